//! The seed article, coded with the embedded defaults: what a careful human coder finds in it
//! and dyad already finds (issue 4 lists the rest).

use std::path::PathBuf;
use std::process::Command;

#[test]
fn codes_the_seed_article_like_a_careful_coder() {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/examples/seed-article.jsonl");
    if !seed.exists() {
        eprintln!("skipping: needs ../shared/examples/seed-article.jsonl");
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("code")
        .arg(&seed)
        .arg("--no-dedup")
        .output()
        .expect("dyad runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let field = |e: &serde_json::Value, path: &[&str]| {
        path.iter()
            .fold(e, |v, k| &v[*k])
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    // China's government appeals to South Korea: "has urged South Korea to address" and the
    // spokesperson's "calling on South Korea to resolve".
    let appeals: Vec<String> = events
        .iter()
        .filter(|e| {
            field(e, &["source", "code"]) == "CHNGOV"
                && field(e, &["target", "country"]) == "KOR"
                && field(e, &["cameo", "root"]) == "02"
        })
        .map(|e| field(e, &["evidence", "verb", "text"]))
        .collect();
    assert_eq!(appeals, ["urged", "calling"], "{events:#?}");
    // The aid China "has historically provided" is a standing relationship.
    assert!(
        events
            .iter()
            .any(|e| field(e, &["source", "country"]) == "CHN"
                && field(e, &["cameo", "root"]) == "07"
                && field(e, &["plover", "mode"]) == "historical"),
        "{events:#?}"
    );
    // Nothing in the article is material conflict.
    assert!(events.iter().all(|e| e["quad_class"] != 4), "{events:#?}");
}
