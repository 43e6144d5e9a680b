//! The dashboard in a real browser: headless Chromium loads `/` from a server over a store
//! with known events, runs the page's script, and the test reads the resulting DOM. It
//! also saves a screenshot (`target/dashboard.png`).
//!
//! Skips with a message when `/usr/bin/chromium` is absent (Debian's `chromium` package;
//! `.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dyad_server::{build_pipeline, AppState, PipelineOptions, ServerConfig};
use dyad_store::{ArticleInput, EventInput, Store};
use dyad_types::{ActorMention, CharSpan, Date, Event};

mod common;

const CHROMIUM: &str = "/usr/bin/chromium";

/// The character span of the first `needle` in `text` (spans count characters, not bytes).
fn span(text: &str, needle: &str) -> CharSpan {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let start = text[..byte].chars().count();
    CharSpan::new(start, start + needle.chars().count())
}

/// One article with one event, whose source, verb and target are the given words.
fn article(
    id: &str,
    date: (i32, u32, u32),
    sentence: &str,
    (source, source_words): (&str, &str),
    (code, verb_words): (&str, &str),
    (target, target_words): (&str, &str),
) -> ArticleInput {
    let actor = |code: &str, words: &str| ActorMention {
        code: code.into(),
        span: Some(span(sentence, words)),
        ..Default::default()
    };
    ArticleInput {
        id: id.into(),
        date: Some(Date::new(date.0, date.1, date.2).unwrap()),
        title: format!("Report {id}"),
        url: format!("http://example.org/{id}"),
        source: "Test Wire".into(),
        text: sentence.into(),
        sentences: vec![sentence.into()],
        events: vec![EventInput {
            sentence: 0,
            event: Event {
                source: actor(source, source_words),
                target: actor(target, target_words),
                code: code.into(),
                verb_span: Some(span(sentence, verb_words)),
                pattern: "TEST PATTERN".into(),
                ..Default::default()
            },
        }],
        coder_version: "test".into(),
    }
}

/// USA → CHN has events in four months (one month twice); two other dyads have fewer.
fn known_articles() -> Vec<ArticleInput> {
    // "Zürich" puts a two-byte character before the spans: offsets must count characters.
    let accuse = "In Zürich, the United States accused China of spying on its firms.";
    let meet = "The United States met China for talks on trade.";
    let praise = "The United States praised China for the climate pledge.";
    let attack = "Russia attacked Ukraine with drones.";
    let aid = "Japan sent aid to Morocco.";
    vec![
        article(
            "a1",
            (2024, 1, 10),
            accuse,
            ("USA", "the United States"),
            ("112", "accused"),
            ("CHN", "China"),
        ),
        article(
            "a2",
            (2024, 2, 3),
            meet,
            ("USA", "The United States"),
            ("040", "met"),
            ("CHN", "China"),
        ),
        article(
            "a3",
            (2024, 2, 20),
            praise,
            ("USA", "The United States"),
            ("051", "praised"),
            ("CHN", "China"),
        ),
        article(
            "a4",
            (2024, 4, 1),
            meet,
            ("USA", "The United States"),
            ("040", "met"),
            ("CHN", "China"),
        ),
        article(
            "a5",
            (2024, 6, 30),
            accuse,
            ("USA", "the United States"),
            ("112", "accused"),
            ("CHN", "China"),
        ),
        article(
            "a6",
            (2024, 3, 5),
            attack,
            ("RUS", "Russia"),
            ("190", "attacked"),
            ("UKR", "Ukraine"),
        ),
        article(
            "a7",
            (2024, 5, 9),
            aid,
            ("JPN", "Japan"),
            ("073", "sent"),
            ("MAR", "Morocco"),
        ),
    ]
}

/// Where Cargo puts build output: `CARGO_TARGET_DIR` or the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// Runs headless Chromium with `extra` flags on `url`; returns its standard output.
fn chromium(profile: &Path, extra: &[&str], url: &str) -> String {
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--virtual-time-budget=15000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start chromium");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut out).map(|_| out)
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("cannot wait for chromium") {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took more than 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader
        .join()
        .expect("reader thread")
        .expect("chromium output")
}

/// The opening tags (`<name ...`) in `dom` that start with `open` and contain `needle`.
fn tags<'a>(dom: &'a str, open: &str, needle: &str) -> Vec<&'a str> {
    dom.match_indices(open)
        .filter_map(|(i, _)| dom[i..].find('>').map(|end| &dom[i..i + end]))
        .filter(|tag| tag.contains(needle))
        .collect()
}

/// The elements of `dom` whose opening tag contains `needle`, as the text after the tag
/// up to the next `<`.
fn tagged<'a>(dom: &'a str, needle: &str) -> Vec<&'a str> {
    dom.match_indices(needle)
        .filter_map(|(i, _)| {
            let rest = &dom[i..];
            let open_end = rest.find('>')?;
            let body = &rest[open_end + 1..];
            Some(&body[..body.find('<').unwrap_or(body.len())])
        })
        .collect()
}

#[test]
fn the_dashboard_draws_the_series_network_and_highlighted_evidence() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("skipping: needs {CHROMIUM}");
        return;
    }
    let dir = std::env::temp_dir().join(format!("dyad-dashboard-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let store = Store::open(dir.join("events.db")).unwrap();
    {
        let mut writer = store.writer().unwrap();
        writer.ingest_batch(&known_articles()).unwrap();
    }
    let (pipeline, _) = build_pipeline(&PipelineOptions::default()).unwrap();
    let state = AppState::new(store, pipeline, ServerConfig::default()).unwrap();
    let (runtime, addr) = common::spawn_server(state);
    let url = format!("http://{addr}/?source=USA&target=CHN&interval=month");

    let dom = chromium(&dir.join("profile-dom"), &["--dump-dom"], &url);
    assert!(
        dom.contains(r#"data-state="ready""#),
        "the page did not finish loading:\n{dom}"
    );

    // Series: one point per month with events (Jan, Feb, Apr, Jun 2024).
    let points = tags(&dom, "<circle", r#"class="series-point"#);
    assert_eq!(points.len(), 4, "series points: {points:#?}");
    for month in ["2024-01-01", "2024-02-01", "2024-04-01", "2024-06-01"] {
        assert!(
            points
                .iter()
                .any(|p| p.contains(&format!(r#"data-start="{month}""#))),
            "no point for {month}: {points:#?}"
        );
    }
    // February holds two events (040 met, 051 praised): mean Goldstein (1.0 + 3.4) / 2.
    let feb = points.iter().find(|p| p.contains("2024-02-01")).unwrap();
    assert!(feb.contains(r#"data-events="2""#), "{feb}");
    assert!(feb.contains(r#"data-goldstein="2.20""#), "{feb}");

    // Network: one arrow per stored dyad.
    let edges = tags(&dom, "<path", r#"class="edge"#);
    assert_eq!(edges.len(), 3, "network edges: {edges:#?}");
    assert_eq!(
        tags(&dom, "<path", r#"class="edge on""#).len(),
        1,
        "chosen dyad"
    );
    assert!(dom.contains(r#"data-source="RUS" data-target="UKR""#));

    // Events: five rows for the dyad, each with its sentence and marked spans.
    assert_eq!(dom.matches("<tr data-event=").count(), 5, "event rows");
    let table = &dom[dom.find(r#"<table id="events""#).expect("event table")..];
    let sources = tagged(table, r#"<mark class="ev-source""#);
    let verbs = tagged(table, r#"<mark class="ev-verb""#);
    let targets = tagged(table, r#"<mark class="ev-target""#);
    assert_eq!(sources.len(), 5, "{sources:?}");
    assert!(sources.contains(&"the United States"), "{sources:?}");
    assert_eq!(verbs, ["accused", "met", "praised", "met", "accused"]);
    assert_eq!(targets, ["China"; 5]);
    assert!(
        dom.contains("In Zürich, <mark"),
        "text before the first span is kept"
    );

    // A screenshot for people to look at.
    let shot = target_dir().join("dashboard.png");
    let _ = std::fs::remove_file(&shot);
    chromium(
        &dir.join("profile-shot"),
        &[
            "--window-size=1280,1500",
            &format!("--screenshot={}", shot.display()),
        ],
        &url,
    );
    let png =
        std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", shot.display()));
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(png.len() > 10_000, "screenshot is suspiciously small");
    eprintln!("screenshot: {}", shot.display());

    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
}
