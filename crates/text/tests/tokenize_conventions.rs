//! Table tests for the tokenizer's conventions (UD English EWT) and for wire copy. Every
//! case also checks that the reported offsets slice the original text exactly.

use dyad_text::tokenize::{segment, tokenize, RawSentence, RawToken};

/// Checks offsets of tokens against `text`, by bytes and by characters.
fn check_offsets(text: &str, tokens: &[RawToken]) {
    let chars: Vec<char> = text.chars().collect();
    let mut last_end = 0;
    for t in tokens {
        assert_eq!(
            &text[t.start_byte..t.end_byte],
            t.form,
            "byte offsets of {t:?}"
        );
        let by_char: String = chars[t.start_char..t.end_char].iter().collect();
        assert_eq!(by_char, t.form, "char offsets of {t:?}");
        assert!(
            t.start_byte >= last_end,
            "tokens overlap or go backwards at {t:?}"
        );
        assert!(!t.form.is_empty());
        last_end = t.end_byte;
        let next_is_adjacent = text[t.end_byte..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && !c.is_control());
        if next_is_adjacent {
            assert!(!t.space_after, "space_after of {t:?}");
        }
    }
}

fn check_sentences(text: &str, sentences: &[RawSentence]) {
    for s in sentences {
        assert!(!s.tokens.is_empty());
        check_offsets(text, &s.tokens);
        assert_eq!(s.start_byte, s.tokens[0].start_byte);
        assert_eq!(s.end_byte, s.tokens[s.tokens.len() - 1].end_byte);
        assert_eq!(s.start_char, s.tokens[0].start_char);
        assert_eq!(s.end_char, s.tokens[s.tokens.len() - 1].end_char);
    }
}

fn forms(text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    check_offsets(text, &tokens);
    tokens.into_iter().map(|t| t.form).collect()
}

/// Sentences as space-joined token forms.
fn sentences(text: &str) -> Vec<String> {
    let s = segment(text);
    check_sentences(text, &s);
    s.iter()
        .map(|s| {
            s.tokens
                .iter()
                .map(|t| t.form.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn token_table() {
    // (input, tokens joined by single spaces)
    let table: &[(&str, &str)] = &[
        // clitics, as UD EWT splits them
        ("I don't know", "I do n't know"),
        (
            "They can't, won't, cannot",
            "They ca n't , wo n't , can not",
        ),
        ("it's Bush's plan", "it 's Bush 's plan"),
        (
            "I'm sure you'll see we've they're I'd",
            "I 'm sure you 'll see we 've they 're I 'd",
        ),
        ("It’s the Court’s view", "It ’s the Court ’s view"),
        ("dont im gonna", "do nt i m gon na"),
        (
            "O'Connell o'clock rock'n'roll",
            "O'Connell o'clock rock'n'roll",
        ),
        // numbers and money
        (
            "1,000.5 people 3.5% $20 10:30 16/11/2004",
            "1,000.5 people 3.5 % $ 20 10:30 16/11/2004",
        ),
        (
            "a 10-year plan from 1969-1970",
            "a 10 - year plan from 1969 - 1970",
        ),
        (
            "call 713-853-3989 or 1-800-991-9019",
            "call 713-853-3989 or 1-800-991-9019",
        ),
        ("the '90s", "the '90s"),
        // hyphens
        (
            "Al-Zaman e-mail non-profit anti-war self-defense",
            "Al - Zaman e-mail non-profit anti-war self - defense",
        ),
        ("WASHINGTON--The", "WASHINGTON -- The"),
        ("wait — no – yes", "wait — no – yes"),
        // abbreviations keep their period inside a sentence
        ("the U.S. and U.N. forces", "the U.S. and U.N. forces"),
        (
            "Gen. Smith, Mr. Jones, Dr. Who of Acme Corp. and Foo Inc. at 5 a.m. today",
            "Gen. Smith , Mr. Jones , Dr. Who of Acme Corp. and Foo Inc. at 5 a.m. today",
        ),
        ("on Jan. 5 at No. 10", "on Jan. 5 at No. 10"),
        ("i.e. e.g. vs. etc. here", "i.e. e.g. vs. etc. here"),
        ("and so on etc.", "and so on etc ."),
        (
            "U.S.-led forces, a Ph.D. and Sen. Kyl, R-Ariz., said",
            "U.S. - led forces , a Ph.D. and Sen. Kyl , R - Ariz. , said",
        ),
        ("Acme Inc.. Next", "Acme Inc. . Next"),
        (
            "51K 300USD 7:30PM 3.5bn 4th 1960s the 80's",
            "51 K 300 USD 7:30 PM 3.5 bn 4th 1960s the 80's",
        ),
        ("20/20 3/4 1774/76 5/18", "20 / 20 3/4 1774 / 76 5/18"),
        // quotes and brackets
        ("\"Hello,\" he said.", "\" Hello , \" he said ."),
        (
            "“Hello,” he said (quietly) [twice] {x}",
            "“ Hello , ” he said ( quietly ) [ twice ] { x }",
        ),
        ("'quoted' ``tex''", "' quoted ' `` tex ''"),
        // ellipses and runs
        ("Wait... what?! No!!! …", "Wait ... what ?! No !!! …"),
        // URLs, e-mail, emoticons, hashtags
        (
            "see http://example.com/a?b=c, or www.example.org.",
            "see http://example.com/a?b=c , or www.example.org .",
        ),
        (
            "mail john.smith@example.co.uk now",
            "mail john.smith@example.co.uk now",
        ),
        ("(https://x.org/a_(b))", "( https://x.org/a_(b) )"),
        ("great :) :-( ok", "great :) :-( ok"),
        ("join #audiobooks", "join #audiobooks"),
        // slashes
        ("and/or w/o 9/11", "and / or w/o 9/11"),
        // symbols
        ("AT&T Q&A rock & roll", "AT&T Q&A rock & roll"),
    ];
    let mut failures = Vec::new();
    for (input, want) in table {
        let got = forms(input).join(" ");
        if got != *want {
            failures.push(format!("{input:?}\n   want {want:?}\n    got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn sentence_table() {
    // (input, sentences joined by " | ")
    let table: &[(&str, &str)] = &[
        ("He left. She stayed.", "He left . | She stayed ."),
        (
            "\"We will fight,\" he said. \"We will win.\" Then he left.",
            "\" We will fight , \" he said . | \" We will win . \" | Then he left .",
        ),
        (
            "He said \"no.\" She agreed.",
            "He said \" no . \" | She agreed .",
        ),
        ("Is it? Yes! Really.", "Is it ? | Yes ! | Really ."),
        // abbreviations, initials, numbers
        (
            "Gen. Smith met Mr. Jones in the U.S. Army base.",
            "Gen. Smith met Mr. Jones in the U.S. Army base .",
        ),
        ("J. R. R. Tolkien wrote it.", "J. R. R. Tolkien wrote it ."),
        (
            "He is No. 1 in the world. It rose 3.5 percent.",
            "He is No. 1 in the world . | It rose 3.5 percent .",
        ),
        (
            "They met at 5 p.m. The talks failed.",
            "They met at 5 p.m . | The talks failed .",
        ),
        (
            "He lives in the U.S. He works there.",
            "He lives in the U.S . | He works there .",
        ),
        (
            "Apples, pears, etc. They all grow.",
            "Apples , pears , etc . | They all grow .",
        ),
        ("Wait... what happened?", "Wait ... what happened ?"),
        (
            "It rose 5 pct. Prices fell.",
            "It rose 5 pct . | Prices fell .",
        ),
        (
            "They meet at 3 p.m. Monday in Acme Corp. Tower.",
            "They meet at 3 p.m. Monday in Acme Corp. Tower .",
        ),
        ("i went home. it was late", "i went home . | it was late"),
        (
            "1. The first point. 2. The second point.",
            "1 . The first point . | 2 . The second point .",
        ),
        // lines and paragraphs
        (
            "Rebels Seize Town\n\nRebels seized the town on Monday.",
            "Rebels Seize Town | Rebels seized the town on Monday .",
        ),
        (
            "Rebels Seize Town\nRebels seized the town.",
            "Rebels Seize Town | Rebels seized the town .",
        ),
        (
            "first line without period\n\nsecond one",
            "first line without period | second one",
        ),
        (
            "The minister said on\nMonday that talks failed.",
            "The minister said on Monday that talks failed .",
        ),
        (
            "Talks failed, the minister said\nand left.",
            "Talks failed , the minister said and left .",
        ),
        // datelines
        (
            "BEIJING, China - The Chinese government protested.",
            "BEIJING , China - | The Chinese government protested .",
        ),
        (
            "SEOUL (Reuters) - North Korea fired a missile.",
            "SEOUL ( Reuters ) - | North Korea fired a missile .",
        ),
        (
            "WASHINGTON--The Senate voted.",
            "WASHINGTON -- | The Senate voted .",
        ),
        (
            "Beijing, China - The Chinese government said.",
            "Beijing , China - | The Chinese government said .",
        ),
        (
            "BAGHDAD, Jan. 5 (AP) — Bombs exploded.",
            "BAGHDAD , Jan. 5 ( AP ) — | Bombs exploded .",
        ),
        (
            "Obama - The president spoke.",
            "Obama - The president spoke .",
        ),
        (
            "Story one.\n\nSEOUL (AP) - Story two.",
            "Story one . | SEOUL ( AP ) - | Story two .",
        ),
        (
            "東京で会った。「はい」と言った。",
            "東京で会った 。 | 「 はい 」 と言った 。",
        ),
        // emoticons stay with their sentence
        ("I love her. :) She knows.", "I love her . :) | She knows ."),
    ];
    let mut failures = Vec::new();
    for (input, want) in table {
        let got = sentences(input).join(" | ");
        if got != *want {
            failures.push(format!("{input:?}\n   want {want:?}\n    got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn space_after_marks_attached_pieces() {
    let toks = tokenize("I don't.");
    let flags: Vec<(&str, bool)> = toks
        .iter()
        .map(|t| (t.form.as_str(), t.space_after))
        .collect();
    assert_eq!(
        flags,
        [("I", true), ("do", false), ("n't", false), (".", false)]
    );
    let toks = tokenize("end. ");
    assert!(toks.last().is_some_and(|t| t.space_after));
}

#[test]
fn offsets_with_multibyte_text() {
    let text = "Zürich — “Ça va?” dit-il. 東京で会った。 Emoji 👍🏽 ok.";
    let s = segment(text);
    check_sentences(text, &s);
    let all: Vec<&str> = s
        .iter()
        .flat_map(|s| s.tokens.iter().map(|t| t.form.as_str()))
        .collect();
    assert!(all.contains(&"👍🏽"), "{all:?}");
    assert!(all.contains(&"Zürich"));
}
