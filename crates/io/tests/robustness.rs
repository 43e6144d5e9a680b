//! Bad input never panics: truncations and random mutations of the fixtures, and random
//! bytes, through every reader.

use std::path::Path;

use dyad_io::{
    align_tokens, align_tokens_lenient, derive_dependencies, normalize_ud_v1, parse_conllu,
    parse_petrarch_config, parse_petrarch_xml, parse_treebank, read_tree, ReadOptions,
};
use dyad_types::Token;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

fn all_readers(s: &str) {
    let strict = ReadOptions::default();
    let lenient = ReadOptions {
        strict_alignment: false,
        normalize_ud: true,
    };
    let f = parse_petrarch_xml(s, "f", &strict);
    for r in f.ok_records() {
        // Whatever was read is internally consistent.
        let n = r.sentence.tokens.len();
        assert!(r.sentence.tokens.iter().all(|t| t.head <= n));
        let chars = r.sentence.text.chars().count();
        assert!(r
            .sentence
            .tokens
            .iter()
            .all(|t| t.span.map_or(true, |s| s.start <= s.end && s.end <= chars)));
    }
    let _ = parse_petrarch_xml(s, "f", &lenient);
    let _ = parse_treebank(s);
    let _ = parse_conllu(s, "f");
    let _ = parse_petrarch_config(s, "f");
}

#[test]
fn truncated_fixtures() {
    for name in ["records.xml", "two.conllu", "petr.ini"] {
        let src = fixture(name);
        for (k, _) in src.char_indices() {
            all_readers(&src[..k]);
        }
    }
}

#[test]
fn mutated_fixtures() {
    let src = fixture("records.xml");
    let alphabet: Vec<char> = "<>()/=\"'&;!-?\t\n #xyzé\u{0}\u{fffd}".chars().collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300 {
        let mut chars: Vec<char> = src.chars().collect();
        for _ in 0..1 + rng.below(8) {
            let at = rng.below(chars.len());
            match rng.below(3) {
                0 => {
                    chars.remove(at);
                }
                1 => chars.insert(at, alphabet[rng.below(alphabet.len())]),
                _ => chars[at] = alphabet[rng.below(alphabet.len())],
            }
        }
        all_readers(&chars.into_iter().collect::<String>());
    }
}

#[test]
fn random_text() {
    let alphabet: Vec<char> = "()<>/\\\"'`&;:!-.,?=\t\n 0123456789#ABCabc_|é"
        .chars()
        .collect();
    let mut rng = Rng(42);
    for _ in 0..2000 {
        let len = rng.below(120);
        let s: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        all_readers(&s);
        let mut toks: Vec<Token> = s
            .split_whitespace()
            .map(|w| Token {
                form: w.to_string(),
                ..Token::default()
            })
            .collect();
        let _ = align_tokens(&s, &mut toks);
        let _ = align_tokens_lenient(&s, &mut toks);
        normalize_ud_v1(&mut toks);
    }
}

#[test]
fn derived_dependencies_form_a_tree_for_odd_trees() {
    let trees = [
        "(ROOT (S (CC and) (CC or) (, ,)))",
        "(ROOT (NP (NP (CC and)) (CC and) (NP (CC and))))",
        "(ROOT (VP (VBZ is) (VBZ is) (VP (VBZ is) (VP))))",
        "(ROOT (S (S (S (VP (VBD a)))) (, ,) (S (VP (VBD b))) (, ,) (NP (NN c)) (VP (VBD said))))",
        "(ROOT (SBAR (WHNP (WDT that)) (S (NP (PRP it)) (VP (VBD was)))))",
        "(ROOT (PP (IN of)) (PP (IN in) (IN to)) (. .))",
        "(X (Y (Z (W (V (U (NN deep)))))))",
        "(ROOT (S (NP (EX There)) (VP (VBZ is) (NP (DT a) (NN problem)))))",
    ];
    for src in trees {
        let mut p = read_tree(src).unwrap();
        derive_dependencies(&p.tree, &mut p.tokens);
        let n = p.tokens.len();
        assert_eq!(p.tokens.iter().filter(|t| t.head == 0).count(), 1, "{src}");
        // Every token reaches the root without a cycle.
        for i in 0..n {
            let mut k = i;
            let mut steps = 0;
            while p.tokens[k].head != 0 {
                k = p.tokens[k].head - 1;
                steps += 1;
                assert!(steps <= n, "cycle in {src}");
            }
        }
    }
}
