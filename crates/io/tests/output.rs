//! Event writers: spans, columns, determinism.

use std::io::Write as _;

use dyad_io::output::{
    AtomicFile, Deduplicator, EventRecord, OutputFormat, WriterOptions, GDELT_COLUMNS,
    PHOENIX_COLUMNS,
};
use dyad_io::{Article, Location};
use dyad_types::{ActorMention, CharSpan, Date, Event, SourceRef};
use serde_json::Value;

const TEXT: &str = "Über Café news from São Paulo. The Chinese government urged South Korea to act. Gondor thanked Arnor.";

/// Character offset of `needle` (which must occur once) in `hay`.
fn char_at(hay: &str, needle: &str) -> usize {
    let b = hay.find(needle).unwrap();
    hay[..b].chars().count()
}

fn span_of(sentence: &str, words: &str) -> CharSpan {
    let s = char_at(sentence, words);
    CharSpan::new(s, s + words.chars().count())
}

fn article() -> Article {
    let mut a = Article::new("art-1", TEXT, Location::new("in.jsonl", 3));
    a.date = Some(Date::new(2023, 10, 19).unwrap());
    a.date_missing = false;
    a.url = Some("https://example.invalid/a\t1".into());
    a.source = Some("Demo Wire".into());
    a
}

struct Sentence {
    index: usize,
    text: &'static str,
    events: Vec<Event>,
}

fn actor(code: &str, sentence: &str, words: &str, line: u32) -> ActorMention {
    ActorMention {
        code: code.into(),
        tokens: (0, 1),
        span: Some(span_of(sentence, words)),
        entries: vec![SourceRef {
            file: "demo.actors".into(),
            line,
        }],
    }
}

fn sentences() -> Vec<Sentence> {
    let s1 = "The Chinese government urged South Korea to act.";
    let s2 = "Gondor thanked Arnor.";
    let urge = Event {
        sentence_id: "1".into(),
        date: Some(Date::new(2023, 10, 19).unwrap()),
        source: actor("CHNGOV", s1, "The Chinese government", 10),
        target: actor("KOR", s1, "South Korea", 20),
        code: "0231".into(),
        verb_tokens: (3, 4),
        verb_span: Some(span_of(s1, "urged")),
        pattern: "URGE + TO".into(),
        pattern_entry: Some(SourceRef {
            file: "demo.verbs".into(),
            line: 77,
        }),
        issues: vec![("DIPLOMACY".into(), 1)],
    };
    let mut urge_again = urge.clone();
    urge_again.verb_span = None;
    let thank = Event {
        sentence_id: "2".into(),
        date: None,
        source: actor("GON", s2, "Gondor", 1),
        target: ActorMention::default(),
        code: "1823".into(),
        verb_span: Some(span_of(s2, "thanked")),
        ..Default::default()
    };
    vec![
        Sentence {
            index: 1,
            text: s1,
            events: vec![urge, urge_again],
        },
        Sentence {
            index: 2,
            text: s2,
            events: vec![thank],
        },
    ]
}

fn write_all(format: OutputFormat, keep_all: bool) -> (Vec<u8>, usize) {
    let a = article();
    let ss = sentences();
    let mut out = Vec::new();
    let mut dedup = Deduplicator::new(keep_all);
    {
        let mut w = format.writer(&mut out, &WriterOptions::default());
        for s in &ss {
            let start = char_at(TEXT, s.text);
            for (n, e) in s.events.iter().enumerate() {
                let mut r = EventRecord::new(&a, s.index, s.text, start, e, n);
                if s.index == 2 {
                    r.plover_mode = Some("historical");
                }
                if dedup.keep(&r) {
                    w.write(&r).unwrap();
                }
            }
        }
        w.finish().unwrap();
    }
    (out, dedup.dropped())
}

fn slice(text: &str, span: &Value) -> String {
    let s = span[0].as_u64().unwrap() as usize;
    let e = span[1].as_u64().unwrap() as usize;
    text.chars().skip(s).take(e - s).collect()
}

#[test]
fn jsonl_spans_slice_the_article_text() {
    let (out, dropped) = write_all(OutputFormat::Jsonl, false);
    assert_eq!(dropped, 1, "the repeated event is dropped");
    let lines: Vec<Value> = out
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let first = &lines[0];
    for side in ["source", "target"] {
        let actor = &first[side];
        assert_eq!(
            slice(TEXT, &actor["span"]),
            actor["text"].as_str().unwrap(),
            "{side}"
        );
    }
    assert_eq!(first["source"]["text"], "The Chinese government");
    assert_eq!(first["target"]["text"], "South Korea");
    let verb = &first["evidence"]["verb"];
    assert_eq!(slice(TEXT, &verb["span"]), "urged");
    assert_eq!(verb["text"], "urged");

    assert_eq!(first["event_id"], "art-1-1-0");
    assert_eq!(first["article_id"], "art-1");
    assert_eq!(first["sentence"], 1);
    assert_eq!(first["sentence_id"], "art-1_2");
    assert_eq!(first["date"], "2023-10-19");
    assert_eq!(first["date_missing"], false);
    assert_eq!(first["news_source"], "Demo Wire");
    assert_eq!(first["source"]["code"], "CHNGOV");
    assert_eq!(first["source"]["country"], "CHN");
    assert_eq!(first["source"]["sector"], "GOV");
    assert_eq!(first["target"]["sector"], Value::Null);
    assert_eq!(first["cameo"]["code"], "0231");
    assert_eq!(first["cameo"]["root"], "02");
    assert_eq!(first["cameo"]["name"], "Appeal for economic aid");
    assert_eq!(
        first["goldstein"].as_f64().map(|g| (g * 10.0).round()),
        Some(34.0)
    );
    assert_eq!(first["quad_class"], 1);
    assert_eq!(
        first["plover"],
        Value::Null,
        "roots 01 and 02 have no PLOVER type"
    );
    assert_eq!(
        first["issues"],
        serde_json::json!([{"code": "DIPLOMACY", "count": 1}])
    );
    assert_eq!(
        first["text"],
        "The Chinese government urged South Korea to act."
    );
    assert_eq!(first["evidence"]["pattern"], "URGE + TO");
    assert_eq!(first["evidence"]["pattern_entry"], "demo.verbs:77");
    assert_eq!(
        first["evidence"]["source_entries"],
        serde_json::json!(["demo.actors:10"])
    );

    let second = &lines[1];
    assert_eq!(second["event_id"], "art-1-2-0");
    assert_eq!(slice(TEXT, &second["source"]["span"]), "Gondor");
    assert_eq!(second["target"]["code"], Value::Null);
    assert_eq!(second["target"]["span"], Value::Null);
    assert_eq!(
        second["date"], "2023-10-19",
        "falls back to the article date"
    );
    assert_eq!(second["plover"]["type"], "ASSAULT");
    assert_eq!(second["plover"]["mode"], "historical");
    assert_eq!(second["quad_class"], 4);
}

#[test]
fn every_documented_jsonl_key_is_written_and_documented() {
    let (out, _) = write_all(OutputFormat::Jsonl, true);
    let first: Value = serde_json::from_slice(out.split(|&b| b == b'\n').next().unwrap()).unwrap();
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/event-format.md"
    ))
    .unwrap();
    for k in &keys {
        assert!(
            doc.contains(&format!("`{k}`")),
            "docs/event-format.md does not mention `{k}`"
        );
    }
    for k in [
        "event_id",
        "article_id",
        "sentence",
        "date",
        "date_missing",
        "source",
        "target",
        "cameo",
        "goldstein",
        "quad_class",
        "plover",
        "issues",
        "text",
        "evidence",
    ] {
        assert!(keys.contains(&k), "missing {k}");
    }
}

#[test]
fn phoenix_lines_have_26_columns() {
    let (out, _) = write_all(OutputFormat::Phoenix, true);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    for l in &lines {
        assert_eq!(l.split('\t').count(), PHOENIX_COLUMNS.len());
    }
    let c: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(
        c[..9],
        [
            "art-1-1-0",
            "20231019",
            "2023",
            "10",
            "19",
            "CHNGOV",
            "CHN",
            "GOV",
            ""
        ]
    );
    assert_eq!(c[9..13], ["KOR", "KOR", "", ""]);
    assert_eq!(c[13..18], ["0231", "02", "0", "3.4", "DIPLOMACY,1"]);
    assert!(c[18..23].iter().all(|x| x.is_empty()));
    assert_eq!(
        c[23..],
        ["art-1_2", "https://example.invalid/a 1", "Demo Wire"]
    );
    let c: Vec<&str> = lines[2].split('\t').collect();
    assert_eq!(c[13..17], ["1823", "18", "4", "-10.0"]);
}

#[test]
fn gdelt_lines_have_61_columns() {
    let (out, _) = write_all(OutputFormat::Gdelt, true);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    for l in &lines {
        assert_eq!(l.split('\t').count(), GDELT_COLUMNS.len());
    }
    let c: Vec<&str> = lines[0].split('\t').collect();
    let col = |name: &str| c[GDELT_COLUMNS.iter().position(|n| *n == name).unwrap()];
    assert_eq!(col("GlobalEventID"), "art-1-1-0");
    assert_eq!(col("Day"), "20231019");
    assert_eq!(col("MonthYear"), "202310");
    assert_eq!(col("Year"), "2023");
    assert_eq!(col("FractionDate"), "2023.8740");
    assert_eq!(col("Actor1Code"), "CHNGOV");
    assert_eq!(col("Actor1Name"), "The Chinese government");
    assert_eq!(col("Actor1CountryCode"), "CHN");
    assert_eq!(col("Actor1Type1Code"), "GOV");
    assert_eq!(col("Actor2Code"), "KOR");
    assert_eq!(col("Actor2CountryCode"), "KOR");
    assert_eq!(col("IsRootEvent"), "0");
    assert_eq!(col("EventCode"), "0231");
    assert_eq!(col("EventBaseCode"), "023");
    assert_eq!(col("EventRootCode"), "02");
    assert_eq!(col("QuadClass"), "1");
    assert_eq!(col("GoldsteinScale"), "3.4");
    assert_eq!(
        (col("NumMentions"), col("NumSources"), col("NumArticles")),
        ("1", "1", "1")
    );
    assert_eq!(col("DATEADDED"), "");
    assert_eq!(col("SOURCEURL"), "https://example.invalid/a 1");
}

#[test]
fn petrarch_lines_reuse_the_petrarch_writer() {
    let (out, dropped) = write_all(OutputFormat::Petrarch, false);
    assert_eq!(dropped, 1);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text,
        "20231019\tCHNGOV\tKOR\t0231\tDIPLOMACY,1\tart-1_2\thttps://example.invalid/a 1\tDemo Wire\n\
         20231019\tGON\t---\t1823\t\tart-1_3\thttps://example.invalid/a 1\tDemo Wire\n"
    );
}

#[test]
fn output_is_byte_identical_across_runs_and_through_atomic_files() {
    let dir = std::env::temp_dir().join(format!("dyad-io-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for format in [
        OutputFormat::Jsonl,
        OutputFormat::Petrarch,
        OutputFormat::Phoenix,
        OutputFormat::Gdelt,
    ] {
        let (a, _) = write_all(format, true);
        let (b, _) = write_all(format, true);
        assert_eq!(a, b, "{format:?}");
        assert!(a.ends_with(b"\n"));
        let path = dir.join(format!("events.{}", format.name()));
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(&a).unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), a);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_documented_example_is_real_output() {
    let (out, _) = write_all(OutputFormat::Jsonl, true);
    let first = std::str::from_utf8(out.split(|&b| b == b'\n').next().unwrap()).unwrap();
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/event-format.md"
    ))
    .unwrap();
    // The example in the docs is this line, wrapped; compare without whitespace between tokens.
    let start = doc.find("{\"event_id\":\"art-1-1-0\"").unwrap();
    let end = start + doc[start..].find("\n```").unwrap();
    let example: String = doc[start..end].lines().map(str::trim).collect();
    // Raw text, so the key order is checked too.
    let got = first.replace(r#""url":"https://example.invalid/a\t1""#, r#""url":null"#);
    assert_eq!(got, example);
}
