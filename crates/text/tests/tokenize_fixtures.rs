//! Fixtures under `tests/data/tokenize/`: a wire-copy sample with its expected segmentation,
//! and a small CoNLL-U file for the evaluation helpers. These need nothing from `../shared`.

use dyad_text::tokenize::eval::{read_conllu_file, score_docs, surface_spans};
use dyad_text::tokenize::segment;

fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tokenize")).join(name)
}

fn read(name: &str) -> String {
    match std::fs::read_to_string(data(name)) {
        Ok(s) => s,
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn wire_copy_segmentation() {
    let text = read("wire.txt");
    let got: Vec<String> = segment(&text)
        .iter()
        .map(|s| {
            for t in &s.tokens {
                assert_eq!(&text[t.start_byte..t.end_byte], t.form);
            }
            s.tokens
                .iter()
                .map(|t| t.form.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let want: Vec<String> = read("wire.expected").lines().map(str::to_string).collect();
    let diff: Vec<String> = (0..got.len().max(want.len()))
        .filter(|&i| got.get(i) != want.get(i))
        .map(|i| format!("{i}:\n   want {:?}\n    got {:?}", want.get(i), got.get(i)))
        .collect();
    assert!(diff.is_empty(), "\n{}", diff.join("\n"));
}

#[test]
fn mini_conllu_round_trip() {
    let docs = match read_conllu_file(&data("mini.conllu")) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(docs.len(), 2);
    assert_eq!(
        docs[0].text,
        "The U.S. didn't act. Officials said so\n\nIt's over!"
    );
    assert_eq!(docs[1].text, "Gen. Kim left at 5 p.m.");
    assert_eq!(docs[0].sentences, [(0, 20), (21, 38), (40, 50)]);
    // "didn't" is one surface token and two words.
    assert!(docs[0].tokens.contains(&(9, 15)));
    assert!(docs[0].words.contains(&(9, 12)) && docs[0].words.contains(&(12, 15)));
    assert_eq!(docs[0].words.len(), 13);
    let s = score_docs(&docs, segment);
    // "Officials said so" has no final period but ends its paragraph.
    assert_eq!(
        (s.tokens.correct, s.tokens.gold, s.tokens.pred),
        (18, 18, 18)
    );
    assert_eq!((s.words.correct, s.words.gold), (20, 20));
    assert_eq!(
        (s.sentences.correct, s.sentences.gold, s.sentences.pred),
        (4, 4, 4)
    );
    assert_eq!(s.tokens.f1, 1.0);
}

#[test]
fn surface_tokens_regroup_clitics() {
    let text = "They can't, it's Bush's and the boys' toys; I cannot.";
    let s = segment(text);
    let spans = surface_spans(&s[0].tokens);
    let chars: Vec<char> = text.chars().collect();
    let got: Vec<String> = spans
        .iter()
        .map(|&(a, b)| chars[a..b].iter().collect())
        .collect();
    assert_eq!(
        got,
        [
            "They", "can't", ",", "it's", "Bush's", "and", "the", "boys'", "toys", ";", "I",
            "cannot", "."
        ]
    );
}
