//! Reads the small fixtures in tests/data from disk.

use std::path::{Path, PathBuf};

use dyad_io::{
    format_event_line, read_conllu_file, read_petrarch_config, read_petrarch_file, ConlluErrorKind,
    Error, EventLineOptions, LineContext, ParseFormat, ReadOptions, RecordErrorKind, TreebankError,
};
use dyad_types::{ActorMention, Event};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn petrarch_fixture() {
    let f = read_petrarch_file(&data("records.xml"), &ReadOptions::default()).unwrap();
    assert_eq!(
        f.environment.actor_files,
        ["fixture.actors.one.txt", "fixture.actors.two.txt"]
    );
    assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    assert_eq!(f.records.len(), 6);
    assert_eq!(f.ok_records().count(), 4);

    let r1 = f.records[0].as_ref().unwrap();
    assert_eq!(r1.text(), "Kethra criticised Lomar on Tuesday.");
    assert_eq!(r1.date.to_string(), "2001-02-03");
    assert_eq!(r1.category.as_deref(), Some("DEMO"));
    assert_eq!(
        r1.attributes.get("sentence").map(String::as_str),
        Some("true")
    );
    assert_eq!(r1.expected.len(), 1);
    assert_eq!(
        (r1.expected[0].source.as_str(), r1.expected[0].code.as_str()),
        ("KTH", "111")
    );
    assert_eq!(r1.location.line, 14);
    let t = &r1.sentence.tokens;
    assert_eq!((t[0].deprel.as_str(), t[0].head), ("nsubj", 2));
    assert_eq!((t[2].deprel.as_str(), t[2].head), ("obj", 2));
    assert_eq!(
        (t[4].form.as_str(), t[4].deprel.as_str()),
        ("Tuesday", "obl")
    );

    let r2 = f.records[1].as_ref().unwrap();
    assert_eq!(r2.config.len(), 1);
    assert_eq!(r2.config[0].option, "new_actor_length");
    assert_eq!(
        r2.expected[0].attributes.get("note").map(String::as_str),
        Some("agent")
    );
    let t = &r2.sentence.tokens;
    let by_form = |w: &str| t.iter().position(|x| x.form == w).unwrap();
    assert_eq!(t[by_form("envoys")].deprel, "nsubj:pass");
    assert_eq!(t[by_form("Lomar")].deprel, "obl:agent");
    assert_eq!(t[by_form("were")].deprel, "aux:pass");
    assert_eq!(t[by_form("(")].form, "(");
    let paren = t[by_form("(")].span.unwrap();
    assert_eq!(r2.text().chars().nth(paren.start), Some('('));

    let r3 = f.records[2].as_ref().unwrap();
    assert!(r3.no_events);
    assert_eq!(r3.parse_format, ParseFormat::Conllu);
    assert_eq!(
        r3.sentence.tokens[2].span.map(|s| (s.start, s.end)),
        Some((16, 17))
    );

    let e4 = f.records[3].as_ref().unwrap_err();
    assert_eq!(e4.id.as_deref(), Some("FIX-4"));
    assert!(matches!(e4.kind, RecordErrorKind::BadDate(_)));
    assert!(
        e4.to_string()
            .ends_with("records.xml:45: record FIX-4: bad date: impossible date 2001-02-31"),
        "{e4}"
    );

    let e5 = f.records[4].as_ref().unwrap_err();
    assert_eq!(e5.expected_error.as_deref(), Some("bad_input_parse"));
    assert_eq!(
        e5.kind,
        RecordErrorKind::Treebank(TreebankError::ExtraClose(4))
    );
    assert_eq!(e5.location.line, 55);

    let r6 = f.records[5].as_ref().unwrap();
    let t = &r6.sentence.tokens;
    assert_eq!(
        (t[2].form.as_str(), t[2].deprel.as_str(), t[2].head),
        ("Lomar", "conj", 1)
    );
    assert_eq!((t[1].deprel.as_str(), t[1].head), ("cc", 3));
    assert_eq!((t[0].deprel.as_str(), t[0].head), ("nsubj", 4));
}

#[test]
fn config_fixture() {
    let c = read_petrarch_config(&data("petr.ini")).unwrap();
    assert_eq!(c.verb_file.as_deref(), Some("fixture.verbs.txt"));
    assert_eq!(c.actor_files, ["one.txt", "two.txt", "three.txt"]);
    assert_eq!(c.issue_file.as_deref(), Some("issues.txt"));
    assert_eq!(c.text_files, ["a.xml", "b.xml"]);
    assert_eq!(c.event_file.as_deref(), Some("out.txt"));
    assert_eq!(c.stanford_dir.as_deref(), Some("~/corenlp/"));
    let o = &c.options;
    assert!(o.code_by_sentence && o.write_actor_text && o.write_event_text && !o.require_dyad);
    assert_eq!((o.new_actor_length, o.comma_emax, o.comma_max), (4, 6, 8));
    assert!(!o.stop_on_error);
    let w: Vec<String> = c.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].ends_with("petr.ini:18: warning: unknown option \"frobnicate\""),
        "{w:?}"
    );
    assert!(
        w[1].contains("petr.ini:19:") && w[1].contains("stop_on_error"),
        "{w:?}"
    );
}

#[test]
fn conllu_fixture() {
    let all = read_conllu_file(&data("two.conllu")).unwrap();
    assert_eq!(all.len(), 3);
    let s = all[0].as_ref().unwrap();
    assert_eq!(s.sent_id(), Some("c1"));
    let p = s.to_parsed("c1", None);
    assert_eq!(p.text, "Lomar won't yield.");
    assert_eq!(
        p.tokens
            .iter()
            .map(|t| t.span.map(|s| s.start))
            .collect::<Vec<_>>(),
        [Some(0), Some(6), Some(8), Some(12), Some(17)]
    );
    let e = all[1].as_ref().unwrap_err();
    assert_eq!(
        (e.location.line, &e.kind),
        (12, &ConlluErrorKind::Columns(2))
    );
    assert!(all[2].is_ok());
}

#[test]
fn missing_files_are_io_errors() {
    let e = read_petrarch_file(&data("no-such-file.xml"), &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, Error::Io { .. }));
    assert!(e.to_string().contains("no-such-file.xml"));
    assert!(read_petrarch_config(&data("nope.ini")).is_err());
    assert!(read_conllu_file(&data("nope.conllu")).is_err());
}

#[test]
fn event_line_from_a_fixture_record() {
    let f = read_petrarch_file(&data("records.xml"), &ReadOptions::default()).unwrap();
    let r = f.records[0].as_ref().unwrap();
    let s = &r.sentence;
    let ev = Event {
        sentence_id: r.id.clone(),
        date: Some(r.date),
        source: ActorMention {
            code: "KTH".into(),
            span: s.char_span(0, 0),
            ..Default::default()
        },
        target: ActorMention {
            code: "LMR".into(),
            span: s.char_span(2, 2),
            ..Default::default()
        },
        code: "111".into(),
        verb_span: s.char_span(1, 1),
        ..Default::default()
    };
    let opts = EventLineOptions {
        write_actor_text: true,
        write_event_text: true,
        write_actor_root: false,
    };
    let ctx = LineContext {
        text: Some(r.text()),
        story_source: r.attributes.get("source").map(String::as_str),
        ..Default::default()
    };
    assert_eq!(
        format_event_line(&ev, &ctx, &opts),
        "20010203\tKTH\tLMR\t111\t\tFIX-1\tNULL\tKethra\tLomar\tcriticised"
    );
}
