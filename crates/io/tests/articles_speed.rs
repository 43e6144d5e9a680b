//! Throughput of the JSON Lines reader and the event writers (ignored by default).
//!
//! `cargo test -p dyad-io --release --test articles_speed -- --ignored --nocapture`

use std::time::Instant;

use dyad_io::output::{EventRecord, OutputFormat, WriterOptions};
use dyad_io::{Article, ArticleOptions, JsonlArticles, Location};
use dyad_types::{ActorMention, CharSpan, Event};

#[test]
#[ignore]
fn reader_and_writer_throughput() {
    let body = "Arnor accused Gondor of spying on its northern border, officials said. ".repeat(40);
    let mut input = Vec::new();
    let n = 20_000;
    for i in 0..n {
        input.extend_from_slice(
            format!("{{\"id\":\"n{i}\",\"date\":\"2023-10-19\",\"text\":\"{body}\"}}\n").as_bytes(),
        );
    }
    let t = Instant::now();
    let mut count = 0usize;
    for a in JsonlArticles::new(&input[..], "bench", ArticleOptions::default()) {
        count += a.unwrap().text.len();
    }
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(count, n * body.len());
    eprintln!(
        "read: {n} articles, {:.1} MB in {secs:.3}s = {:.0} MB/s",
        input.len() as f64 / 1e6,
        input.len() as f64 / 1e6 / secs
    );

    let article = Article::new("a", body.as_str(), Location::new("bench", 1));
    let sentence = "Arnor accused Gondor of spying on its northern border, officials said.";
    let event = Event {
        source: ActorMention {
            code: "USAGOVMIL".into(),
            span: Some(CharSpan::new(0, 5)),
            ..Default::default()
        },
        target: ActorMention {
            code: "IGOUNO".into(),
            span: Some(CharSpan::new(14, 20)),
            ..Default::default()
        },
        code: "112".into(),
        verb_span: Some(CharSpan::new(6, 13)),
        ..Default::default()
    };
    let m = 200_000;
    for format in [
        OutputFormat::Jsonl,
        OutputFormat::Petrarch,
        OutputFormat::Phoenix,
        OutputFormat::Gdelt,
    ] {
        let mut out = Vec::new();
        let t = Instant::now();
        {
            let mut w = format.writer(&mut out, &WriterOptions::default());
            for i in 0..m {
                w.write(&EventRecord::new(&article, i, sentence, 0, &event, 0))
                    .unwrap();
            }
            w.finish().unwrap();
        }
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "write {}: {m} events in {secs:.3}s = {:.0} events/s",
            format.name(),
            m as f64 / secs
        );
    }
}
