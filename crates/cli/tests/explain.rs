//! `dyad explain` shows the analysis, the dictionary matches and the events with their evidence.

use std::process::Command;

#[test]
fn explains_an_event_with_its_evidence() {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args([
            "explain",
            "China urged South Korea to resolve the situation.",
            "--date",
            "2021-10-11",
        ])
        .output()
        .expect("dyad runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for part in [
        "tokens, tags and parse:",
        "actor \"South Korea\" -> KOR (dictionaries/actors/countries.dyad:",
        "(verb URGE)",
        "CHN -> KOR : 020",
        "verb   \"urged\"",
        "pattern - * + TO [020] at dictionaries/verbs/02-appeal.dyad:",
    ] {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
}

#[test]
fn says_why_a_sentence_gave_no_event() {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["explain", "The weather was fine."])
        .output()
        .expect("dyad runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("no dictionary verb in this sentence"),
        "{text}"
    );
    assert!(text.contains("events:\n    none"), "{text}");
}

#[test]
fn rejects_an_impossible_date() {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args([
            "explain",
            "China urged South Korea.",
            "--date",
            "2021-02-30",
        ])
        .output()
        .expect("dyad runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("impossible date"));
}
