//! Article readers on the fixtures in tests/data/articles.

use std::path::{Path, PathBuf};

use dyad_io::{
    Article, ArticleOptions, ArticleReader, InputFormat, InputSource, ParseFormat, Reject,
    RejectReason,
};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/articles")
        .join(name)
}

fn read(name: &str, format: Option<InputFormat>) -> Vec<Result<Article, Reject>> {
    let source = InputSource::Path(data(name));
    ArticleReader::open(&source, format, ArticleOptions::default()).collect()
}

#[test]
fn jsonl_keeps_good_records_and_names_every_bad_one() {
    let items = read("mixed.jsonl", None);
    // 10 lines, one blank: 9 items.
    assert_eq!(items.len(), 9, "{items:#?}");
    let file = data("mixed.jsonl").display().to_string();

    let good = items[0].as_ref().unwrap();
    assert_eq!(good.id, "good-1");
    assert_eq!(
        good.date.map(|d| d.to_string()).as_deref(),
        Some("2023-10-19")
    );
    assert!(!good.date_missing);
    assert_eq!(good.title.as_deref(), Some("Talks"));
    assert_eq!(good.source.as_deref(), Some("Demo Wire"));
    assert_eq!(good.url.as_deref(), Some("https://example.invalid/1"));
    assert_eq!(good.location.line, 1);
    assert!(good.warnings.is_empty());

    let err = |i: usize| items[i].as_ref().unwrap_err();
    assert!(matches!(err(1).reason, RejectReason::NotJson(_)));
    assert_eq!(err(1).line, 2);
    assert!(err(1)
        .to_string()
        .starts_with(&format!("{file}:2: not JSON")));
    assert_eq!(err(2).to_string(), format!("{file}:3: no text"));
    assert_eq!(
        err(3).to_string(),
        format!("{file}:4: impossible date \"2023-02-30\": impossible date 2023-02-30")
    );

    // Line 5 is blank; line 6 has a partial date.
    let partial = items[4].as_ref().unwrap();
    assert_eq!(
        (partial.id.as_str(), partial.location.line),
        ("partial-date", 6)
    );
    assert!(partial.date.is_none() && partial.date_missing);
    assert_eq!(partial.warnings.len(), 1);
    assert_eq!(
        partial.warnings[0].to_string(),
        format!("{file}:6: warning: partial date \"2023-10\": day unknown, date set to null")
    );
    assert_eq!(partial.text, "Café owners in São Paulo protested.");

    let binary = items[5].as_ref().unwrap();
    assert_eq!(binary.text, "Arnor\u{FFFD}\u{FFFD} urged Gondor.");
    assert_eq!(
        binary.date.map(|d| d.to_string()).as_deref(),
        Some("2023-10-20")
    );
    assert!(binary.warnings[0].message.contains("invalid UTF-8"));

    assert_eq!(
        err(6).to_string(),
        format!("{file}:8: text is not a string (found a number)")
    );

    let no_id = items[7].as_ref().unwrap();
    assert_eq!(no_id.id, format!("{file}:9"));
    assert_eq!(
        no_id.date.map(|d| d.to_string()).as_deref(),
        Some("2023-10-21")
    );

    assert!(matches!(err(8).reason, RejectReason::NotJson(_)));
    assert_eq!(err(8).line, 10);
}

#[test]
fn the_format_can_be_forced() {
    // Read as plain text, the JSON Lines file is one article named after the file.
    let items = read("mixed.jsonl", Some(InputFormat::Text));
    assert_eq!(items.len(), 1);
    let a = items[0].as_ref().unwrap();
    assert_eq!(a.id, "mixed.jsonl");
    assert!(a.date_missing);
}

#[test]
fn text_files_are_one_article() {
    let items = read("lead.txt", None);
    assert_eq!(items.len(), 1);
    let a = items[0].as_ref().unwrap();
    assert_eq!(a.id, "lead.txt");
    assert!(a
        .text
        .starts_with("Arnor accused Gondor of spying.\nGondor"));
    assert_eq!((a.date, a.date_missing), (None, true));
}

#[test]
fn petrarch_xml_gives_stories_with_their_sentences() {
    let items = read("stories.xml", None);
    assert_eq!(items.len(), 3, "{items:#?}");
    let a = items[0].as_ref().unwrap();
    assert_eq!(a.id, "STORY1");
    assert_eq!(a.text, "Arnor accused Gondor. Gondor denied it.");
    assert_eq!(a.source.as_deref(), Some("AFP"));
    assert_eq!(a.sentences.len(), 2);
    let s0 = &a.sentences[0];
    assert_eq!(s0.parse_format, ParseFormat::Treebank);
    assert_eq!(s0.sentence.tokens.len(), 4);
    assert_eq!(s0.sentence.id, "STORY1_1");
    let s1 = &a.sentences[1];
    assert_eq!(s1.parse_format, ParseFormat::None);
    assert!(s1.sentence.tokens.is_empty());
    // The sentence offsets slice the article text.
    let slice: String = a
        .text
        .chars()
        .skip(s1.start_char)
        .take(s1.sentence.text.chars().count())
        .collect();
    assert_eq!(slice, s1.sentence.text);

    let bad = items[1].as_ref().unwrap_err();
    assert_eq!(bad.line, 9);
    assert!(
        bad.to_string()
            .ends_with(":9: record STORY2_1: bad date: impossible date 2008-02-31"),
        "{bad}"
    );

    let c = items[2].as_ref().unwrap();
    assert_eq!((c.id.as_str(), c.source.as_deref()), ("STORY3", None));
}

#[test]
fn a_missing_file_is_one_reject() {
    let items = read("no-such-file.jsonl", None);
    assert_eq!(items.len(), 1);
    let e = items[0].as_ref().unwrap_err();
    assert_eq!(e.line, 0);
    assert!(matches!(e.reason, RejectReason::Io(_)));
}

#[test]
fn a_large_input_streams_in_bounded_memory() {
    // 20,000 records through a reader that never holds more than one line: the test checks
    // the count and the last id; memory is bounded by construction (one line buffer).
    let mut input = Vec::new();
    for i in 0..20_000 {
        input.extend_from_slice(
            format!("{{\"id\":\"n{i}\",\"text\":\"Arnor urged Gondor {i}.\"}}\n").as_bytes(),
        );
    }
    let it = dyad_io::JsonlArticles::new(&input[..], "big", ArticleOptions::default());
    let mut n = 0;
    let mut last = String::new();
    for a in it {
        let a = a.unwrap();
        n += 1;
        last = a.id;
    }
    assert_eq!((n, last.as_str()), (20_000, "n19999"));
}

#[test]
fn the_seed_article_reads() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/examples/seed-article.jsonl"
    );
    if !Path::new(path).exists() {
        eprintln!("skipping: needs ../shared/examples/seed-article.jsonl");
        return;
    }
    let items: Vec<_> = ArticleReader::open(
        &InputSource::from_arg(path),
        None,
        ArticleOptions::default(),
    )
    .collect();
    assert_eq!(items.len(), 1);
    let a = items[0].as_ref().unwrap();
    assert_eq!(a.id, "seed-0001");
    assert!(a.date_missing);
    assert!(a.text.starts_with("Beijing, China"));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}
