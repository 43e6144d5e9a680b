//! Bad input: empty, whitespace, punctuation only, control characters, huge sentences,
//! arbitrary strings. Nothing panics, offsets stay exact, time stays linear.

use std::time::{Duration, Instant};

use dyad_text::tokenize::{segment, tokenize, RawSentence, MAX_SENTENCE_TOKENS};

fn check(text: &str) -> Vec<RawSentence> {
    let sentences = segment(text);
    let mut last = 0;
    for s in &sentences {
        assert!(!s.tokens.is_empty() && s.tokens.len() <= MAX_SENTENCE_TOKENS);
        for t in &s.tokens {
            assert_eq!(&text[t.start_byte..t.end_byte], t.form);
            assert!(t.start_byte >= last && t.end_byte > t.start_byte);
            assert!(
                !t.form.chars().any(|c| c.is_whitespace() || c.is_control()),
                "{t:?}"
            );
            last = t.end_byte;
        }
    }
    // tokenize sees the same tokens, up to the period split of a final abbreviation.
    let n: usize = sentences.iter().map(|s| s.tokens.len()).sum();
    let m = tokenize(text).len();
    assert!(m + sentences.len() >= n && m <= n + 1, "{m} vs {n}");
    sentences
}

#[test]
fn empty_and_blank() {
    assert!(check("").is_empty());
    assert!(check("   \n\n\t  \r\n").is_empty());
    assert!(tokenize("").is_empty());
    assert!(check("\u{200B}\u{FEFF}\u{0}\u{7}").is_empty());
}

#[test]
fn punctuation_only() {
    let s = check("... !!! ?? -- \"\" () [] ,,, ;;");
    assert!(!s.is_empty());
    check(".");
    check("'");
    check("-");
    check("@");
    check("http://");
    check("www.");
    check("a@");
    check("@b.c");
    check("''''''''''''");
}

#[test]
fn control_characters_separate_tokens() {
    let text = "North\u{0}Korea\u{7}fired\u{1B}[0m a missile.\u{7F}";
    let forms: Vec<String> = tokenize(text).into_iter().map(|t| t.form).collect();
    assert_eq!(
        forms,
        ["North", "Korea", "fired", "[", "0", "m", "a", "missile", "."]
    );
    check(text);
}

#[test]
fn long_sentences_are_capped() {
    let text = "word ".repeat(20_000);
    let s = check(&text);
    assert_eq!(s.len(), 20_000 / MAX_SENTENCE_TOKENS);
    // With commas the cut falls after one.
    let text = "alpha beta gamma, ".repeat(3_000);
    let s = check(&text);
    assert!(s.len() > 1);
    assert!(s
        .iter()
        .all(|s| s.tokens.last().is_some_and(|t| t.form == ",")));
}

#[test]
fn odd_strings_do_not_panic() {
    let cases = [
        "\u{301}\u{301}abc",
        "a\u{200D}\u{200D}",
        "👍🏽👍🏽👍🏽",
        "U.S.",
        "U.S..",
        "etc...",
        "Mr.",
        "No.",
        "No. 1",
        "don't'",
        "'s",
        "n't",
        "can't't",
        "1,000,",
        "1,00",
        "a-",
        "-a",
        "--a--",
        "1-",
        "1-2-3-4-5-6-7-8-9-0",
        ":-",
        ":)",
        ".com",
        "'9",
        "’",
        "\r\r\r",
        "a\rb\r\nc\n\nd",
        "“",
        "(((((((((",
        "x@y@z@w",
        "a.b.c.d.e.f.g.h",
        "\u{2029}\u{2028}\u{85}",
        "ÉTAT-UNIS, ÉTATS - Le",
    ];
    for c in cases {
        check(c);
        for cut in 0..=c.len() {
            if let Some(prefix) = c.get(..cut) {
                check(prefix);
            }
        }
    }
}

#[test]
fn every_char_boundary_prefix_of_a_story() {
    let story =
        "SEOUL (Reuters) - North Korea's leader didn't say, U.S. officials said on Jan. 5.\n\n\
                 \"We won't,\" Gen. Kim told 1,000 people at 10:30 a.m. (see http://x.org/a).";
    for (i, _) in story.char_indices() {
        check(&story[..i]);
        check(&story[i..]);
    }
}

/// Pseudo-random strings over a troublesome alphabet (a fixed-seed generator, no crate).
#[test]
fn random_strings() {
    let alphabet: Vec<char> =
        "aZ9 .,'’\"-—/:@#$%()\n\r\t\u{0}é👍\u{301}!?…_&sSmMnt1wW:;`´«»“”‘\u{200B}\u{FE0F}\u{2029}東"
            .chars()
            .collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        let len = (seed % 60) as usize;
        let mut s = String::new();
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        check(&s);
    }
}

fn time(text: &str) -> Duration {
    let t = Instant::now();
    let s = segment(text);
    assert!(!s.is_empty());
    t.elapsed()
}

/// Pathological inputs take time in proportion to their length (doubling the input must not
/// quadruple the time).
#[test]
fn linear_time_on_pathological_input() {
    let patterns = [
        "a-", "a.", "1,", "1-", "a@", "x", ".", "-", "'a", "a'", "U.", ":", "(", "1-2-", "ab.c",
        "Mr. ",
    ];
    for p in patterns {
        let small = p.repeat(20_000);
        let big = p.repeat(80_000);
        let (ts, tb) = (time(&small), time(&big));
        // 4x the input: allow generous noise, but not the 16x of a quadratic pass.
        assert!(
            tb < ts * 10 + Duration::from_millis(50),
            "{p:?}: {ts:?} vs {tb:?}"
        );
    }
}
