//! End-to-end runs of `dyad ingest` and `dyad query` on a store in a temporary folder.
//!
//! The fixture sentences were checked with `dyad code` first: each yields one event with
//! the default dictionaries (CHN→KOR 020, JPN→RUS 1123, DEU→FRA 051, ISR→LBN 190).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ARTICLES: &str = r#"{"id":"a1","date":"2024-03-05","source":"AFP","title":"Talks","text":"China urged South Korea to resolve the situation. Japan accused Russia of provocation."}
{"id":"a2","date":"2024-03-06","source":"Reuters","text":"China urged South Korea to resolve the situation. Germany praised France."}
{"id":"a3","source":"AP","text":"Israel attacked Lebanon."}
"#;

/// A fresh folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-store-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .output()
        .expect("dyad runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `dyad ingest FILE --db DB` and returns its exit code and summary line without the time.
fn ingest(file: &Path, db: &Path) -> (Option<i32>, String) {
    let out = dyad(&["ingest", path(file), "--db", path(db), "--threads", "2"]);
    let err = stderr(&out);
    let last = err.lines().last().unwrap_or("").to_string();
    assert!(last.starts_with("ingest: "), "no summary line:\n{err}");
    let summary = match last.split_once(" seconds=") {
        Some((head, _)) => head.to_string(),
        None => panic!("no seconds in {last:?}"),
    };
    (out.status.code(), summary)
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// A store holding the fixture, and the fixture's path.
fn fixture_store(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = temp_dir(name);
    let file = dir.join("articles.jsonl");
    std::fs::write(&file, ARTICLES).expect("write fixture");
    let db = dir.join("events.db");
    let out = dyad(&["ingest", path(&file), "--db", path(&db), "--threads", "2"]);
    // The undated article is stored with its event, which has no date.
    let err = stderr(&out);
    let (code, summary) = ingest(&file, &db);
    assert_eq!(code, Some(0));
    assert_eq!(
        summary,
        "ingest: articles=3 inserted=0 replaced=0 unchanged=3 events=5 undated=0 rejected=0"
    );
    let first = err.lines().last().unwrap_or("");
    assert!(
        first.starts_with(
            "ingest: articles=3 inserted=3 replaced=0 unchanged=0 events=5 undated=1 rejected=0 seconds="
        ),
        "{err}"
    );
    (dir, file, db)
}

fn query(db: &Path, args: &[&str]) -> String {
    let mut all = vec!["query", "--db", path(db)];
    all.extend_from_slice(args);
    let out = dyad(&all);
    assert!(
        out.status.success(),
        "dyad {all:?} failed: {}",
        stderr(&out)
    );
    stdout(&out)
}

#[test]
fn ingest_counts_and_reingest_is_idempotent_or_replaces() {
    let (dir, file, db) = fixture_store("reingest");

    // a2 drops its second sentence: replaced, and DEU→FRA disappears from the store.
    let changed = dir.join("changed.jsonl");
    std::fs::write(
        &changed,
        r#"{"id":"a2","date":"2024-03-06","source":"Reuters","text":"China urged South Korea to resolve the situation."}
"#,
    )
    .unwrap();
    let (code, summary) = ingest(&changed, &db);
    assert_eq!(code, Some(0));
    assert_eq!(
        summary,
        "ingest: articles=1 inserted=0 replaced=1 unchanged=0 events=1 undated=0 rejected=0"
    );
    let top = query(&db, &["top", "--format", "csv"]);
    assert_eq!(
        top,
        "source,target,events,mentions\nCHN,KOR,2,2\nJPN,RUS,1,1\n"
    );

    // Another dictionary set is another coder version: every article is coded again.
    let extra = dir.join("extra.dyad");
    std::fs::write(&extra, "# no entries\n").unwrap();
    let out = dyad(&[
        "ingest",
        path(&file),
        "--db",
        path(&db),
        "--dict",
        path(&extra),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.lines().last().unwrap_or("").starts_with(
            "ingest: articles=3 inserted=0 replaced=3 unchanged=0 events=5 undated=1 rejected=0 seconds="
        ),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rejected_records_give_exit_code_3() {
    let dir = temp_dir("rejects");
    let file = dir.join("bad.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"ok\",\"date\":\"2024-03-05\",\"text\":\"Germany praised France.\"}\nnot json\n",
    )
    .unwrap();
    let db = dir.join("events.db");
    let (code, summary) = ingest(&file, &db);
    assert_eq!(code, Some(3));
    assert_eq!(
        summary,
        "ingest: articles=1 inserted=1 replaced=0 unchanged=0 events=1 undated=0 rejected=1"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn series_top_and_events_answer_from_the_store() {
    let (dir, _file, db) = fixture_store("queries");

    let series = query(
        &db,
        &[
            "series",
            "CHN",
            "KOR",
            "--interval",
            "day",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        series,
        "start,events,mentions,verbal_coop,material_coop,verbal_conflict,material_conflict,goldstein_sum,goldstein_mean\n\
         2024-03-05,1,1,1,0,0,0,3.0,3.0\n\
         2024-03-06,1,1,1,0,0,0,3.0,3.0\n"
    );
    let monthly = query(&db, &["series", "CHN", "KOR", "--format", "csv"]);
    assert!(
        monthly.ends_with("\n2024-03-01,2,2,2,0,0,0,6.0,3.0\n"),
        "{monthly}"
    );
    let none = query(&db, &["series", "KOR", "CHN", "--format", "json"]);
    assert_eq!(none.trim(), "[]");

    let top = query(
        &db,
        &[
            "top", "--by", "mentions", "--limit", "2", "--format", "json",
        ],
    );
    let top: serde_json::Value = serde_json::from_str(&top).unwrap();
    assert_eq!(top.as_array().map(Vec::len), Some(2));
    assert_eq!(top[0]["source"], "CHN");
    assert_eq!(top[0]["target"], "KOR");
    assert_eq!(top[0]["mentions"], 2);
    let top_day = query(
        &db,
        &[
            "top",
            "--from",
            "2024-03-06",
            "--to",
            "2024-03-06",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        top_day,
        "source,target,events,mentions\nCHN,KOR,1,1\nDEU,FRA,1,1\n"
    );

    // Conflict events only: JPN→RUS accuse (1123, quad 3).
    let conflict = query(&db, &["events", "--quad", "3", "--format", "json"]);
    let conflict: serde_json::Value = serde_json::from_str(&conflict).unwrap();
    let events = conflict["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["source"], "JPN");
    assert_eq!(events[0]["target"], "RUS");
    assert_eq!(events[0]["code"], "1123");
    assert_eq!(events[0]["date"], "2024-03-05");
    assert_eq!(conflict["next"], serde_json::Value::Null);

    // Pagination: CHN events one per page.
    let page1 = query(
        &db,
        &[
            "events", "--actor", "chn", "--limit", "1", "--format", "json",
        ],
    );
    let page1: serde_json::Value = serde_json::from_str(&page1).unwrap();
    assert_eq!(page1["events"][0]["date"], "2024-03-05");
    let cursor = page1["next"].as_str().expect("a next cursor").to_string();
    let page2 = query(
        &db,
        &[
            "events", "--actor", "CHN", "--limit", "1", "--cursor", &cursor, "--format", "csv",
        ],
    );
    let rows: Vec<&str> = page2.lines().collect();
    assert_eq!(rows.len(), 2, "{page2}");
    assert!(
        rows[1].contains(",2024-03-06,CHN,KOR,020,2,1,3.0,1,1,1"),
        "{page2}"
    );
    let table = query(&db, &["events", "--country", "DEU"]);
    assert!(
        table
            .lines()
            .any(|l| l.contains("DEU") && l.contains("FRA") && l.contains("051")),
        "{table}"
    );
    assert!(table.ends_with("next: -\n"), "{table}");

    // The mentions of the first event point back at article a1.
    let id = page1["events"][0]["id"].as_i64().unwrap().to_string();
    let mentions = query(&db, &["mentions", &id, "--format", "json"]);
    let mentions: serde_json::Value = serde_json::from_str(&mentions).unwrap();
    assert_eq!(mentions[0]["article"], "a1");
    assert_eq!(mentions[0]["outlet"], "AFP");
    assert_eq!(
        mentions[0]["sentence_text"],
        "China urged South Korea to resolve the situation."
    );
    assert_eq!(mentions[0]["event"]["code"], "020");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_dates_and_missing_stores_exit_2() {
    let (dir, _file, db) = fixture_store("errors");
    for args in [
        vec!["top", "--from", "2024-03-06", "--to", "2024-03-01"],
        vec!["events", "--from", "2024-02-30"],
        vec!["series", "CHN", "KOR", "--to", "yesterday"],
        vec!["events", "--cursor", "nonsense"],
    ] {
        let mut all = vec!["query", "--db", path(&db)];
        all.extend_from_slice(&args);
        let out = dyad(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).starts_with("dyad: error: --"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = dyad(&["query", "--db", path(&dir.join("absent.db")), "top"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no event store"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}
