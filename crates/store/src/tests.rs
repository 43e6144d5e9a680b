//! Unit tests of the whole store, in memory unless a file is the point.

use dyad_ontology::QuadClass;
use dyad_types::{ActorMention, CharSpan, Date, Event, SourceRef};

use super::*;

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::new(y, m, d).unwrap()
}

fn actor(code: &str) -> ActorMention {
    ActorMention {
        code: code.into(),
        ..Default::default()
    }
}

fn ev(source: &str, target: &str, code: &str) -> EventInput {
    EventInput {
        sentence: 0,
        event: Event {
            source: actor(source),
            target: actor(target),
            code: code.into(),
            ..Default::default()
        },
    }
}

fn dated(source: &str, target: &str, code: &str, d: Date) -> EventInput {
    let mut e = ev(source, target, code);
    e.event.date = Some(d);
    e
}

fn article(id: &str, outlet: &str, d: Date, events: Vec<EventInput>) -> ArticleInput {
    ArticleInput {
        id: id.into(),
        date: Some(d),
        title: format!("title of {id}"),
        url: format!("https://news.example/{id}"),
        source: outlet.into(),
        text: format!("text of {id}"),
        sentences: vec![format!("sentence of {id}"), "second sentence".into()],
        events,
        coder_version: "test-coder 1".into(),
    }
}

fn all_events(r: &Reader) -> Vec<StoredEvent> {
    let q = EventQuery {
        limit: MAX_LIMIT,
        ..Default::default()
    };
    r.events(&q).unwrap().events
}

/// A unique path in the temporary directory, removed (with WAL side files) on drop.
struct TempDb(std::path::PathBuf);

impl TempDb {
    fn new(tag: &str) -> TempDb {
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        TempDb(std::env::temp_dir().join(format!(
            "dyad-store-test-{}-{tag}-{n}.db",
            std::process::id()
        )))
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Store>();
    send_sync::<Error>();
    send_sync::<ArticleInput>();
    send::<Writer>();
    send::<Reader>();
}

#[test]
fn reingesting_the_same_article_changes_nothing() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let a = article(
        "a1",
        "AFP",
        date(2020, 1, 1),
        vec![ev("USA", "CHN", "042"), ev("CHN", "USA", "112")],
    );
    assert_eq!(w.ingest(&a).unwrap(), IngestOutcome::Inserted);
    let r = store.reader().unwrap();
    let before = (r.stats().unwrap(), all_events(&r));
    assert_eq!(w.ingest(&a).unwrap(), IngestOutcome::Unchanged);
    assert_eq!(
        w.ingest_batch(&[a.clone(), a.clone()]).unwrap(),
        [IngestOutcome::Unchanged; 2]
    );
    assert_eq!((r.stats().unwrap(), all_events(&r)), before);
    assert_eq!(before.0.articles, 1);
    assert_eq!(before.0.mentions, 2);
    r.verify().unwrap();
}

#[test]
fn a_changed_article_replaces_its_events() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let d = date(2021, 6, 1);
    let mut a = article(
        "a1",
        "AFP",
        d,
        vec![ev("USA", "CHN", "042"), ev("USA", "RUS", "190")],
    );
    w.ingest(&a).unwrap();
    let r = store.reader().unwrap();
    let kept_id = all_events(&r).iter().find(|e| e.code == "042").unwrap().id;

    // Same text, new coder: replaced.
    a.coder_version = "test-coder 2".into();
    a.events = vec![ev("USA", "CHN", "042"), ev("USA", "IRN", "111")];
    assert_eq!(w.ingest(&a).unwrap(), IngestOutcome::Replaced);
    let events = all_events(&r);
    let codes: Vec<_> = events
        .iter()
        .map(|e| (e.target.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(codes, [("CHN", "042"), ("IRN", "111")]);
    // The event both versions report keeps its id.
    assert_eq!(events.iter().find(|e| e.code == "042").unwrap().id, kept_id);
    assert!(r
        .dyad_series("USA", "RUS", Interval::Day, DateRange::ALL)
        .unwrap()
        .is_empty());
    assert_eq!(
        r.article("a1").unwrap().unwrap().coder_version,
        "test-coder 2"
    );

    // New text, fewer sentences: replaced again, old sentences gone.
    a.text.push_str(" (updated)");
    a.sentences = vec!["only one".into()];
    a.events = vec![];
    assert_eq!(w.ingest(&a).unwrap(), IngestOutcome::Replaced);
    let stored = r.article("a1").unwrap().unwrap();
    assert_eq!(stored.sentences, ["only one"]);
    assert_eq!(stored.mentions, 0);
    assert_eq!(stored.content_hash, content_hash(&a.text));
    assert_eq!(
        r.stats().unwrap(),
        Stats {
            articles: 1,
            events: 0,
            mentions: 0,
            actors: 4,
            daily_rows: 0,
            undated_events: 0,
        }
    );
    r.verify().unwrap();
}

#[test]
fn same_event_from_several_articles_is_one_event_with_counts() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let d = date(2022, 2, 24);
    let e = || ev("RUS", "UKR", "190");
    let mut twice = e();
    twice.sentence = 1;
    let a1 = article("a1", "AFP", d, vec![e(), twice]);
    let a2 = article("a2", "AFP", d, vec![e()]);
    let a3 = article("a3", "Reuters", d, vec![e(), ev("UKR", "RUS", "190")]);
    let out = w
        .ingest_batch(&[a1.clone(), a2.clone(), a3.clone()])
        .unwrap();
    assert_eq!(out, [IngestOutcome::Inserted; 3]);

    let r = store.reader().unwrap();
    let events = all_events(&r);
    assert_eq!(events.len(), 2);
    let main = events.iter().find(|e| e.source == "RUS").unwrap();
    assert_eq!((main.mentions, main.sources, main.articles), (4, 2, 3));
    assert_eq!(main.quad, Some(QuadClass::MaterialConflict));
    assert_eq!(main.goldstein, Some(-10.0));
    assert_eq!(main.root, Some(19));
    let mentions = r.mentions(main.id).unwrap();
    let places: Vec<_> = mentions
        .iter()
        .map(|m| (m.article.as_str(), m.outlet.as_str(), m.sentence))
        .collect();
    assert_eq!(
        places,
        [
            ("a1", "AFP", 0),
            ("a1", "AFP", 1),
            ("a2", "AFP", 0),
            ("a3", "Reuters", 0)
        ]
    );
    assert_eq!(mentions[1].sentence_text, "second sentence");
    let day = r
        .dyad_series("RUS", "UKR", Interval::Day, DateRange::ALL)
        .unwrap();
    assert_eq!((day[0].events, day[0].mentions), (1, 4));

    // The only Reuters article drops the event: one source fewer.
    let mut a3b = a3.clone();
    a3b.text.push('!');
    a3b.events.truncate(0);
    w.ingest(&a3b).unwrap();
    let main = r.event(main.id).unwrap().unwrap();
    assert_eq!((main.mentions, main.sources, main.articles), (3, 1, 2));
    // One of two AFP articles drops it: the source stays.
    let mut a2b = a2.clone();
    a2b.text.push('!');
    a2b.events.truncate(0);
    w.ingest(&a2b).unwrap();
    let main = r.event(main.id).unwrap().unwrap();
    assert_eq!((main.mentions, main.sources, main.articles), (2, 1, 1));
    r.verify().unwrap();
    // Back as they were.
    w.ingest_batch(&[a2, a3]).unwrap();
    let main = r.event(main.id).unwrap().unwrap();
    assert_eq!((main.mentions, main.sources, main.articles), (4, 2, 3));
    assert_eq!(r.stats().unwrap().events, 2);
    r.verify().unwrap();
}

#[test]
fn events_take_the_article_date_unless_they_have_their_own() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let a = article(
        "a1",
        "AFP",
        date(2020, 5, 5),
        vec![
            ev("USA", "CHN", "042"),
            dated("USA", "CHN", "042", date(2020, 5, 4)),
        ],
    );
    w.ingest(&a).unwrap();
    let r = store.reader().unwrap();
    let dates: Vec<_> = all_events(&r).iter().map(|e| e.date).collect();
    assert_eq!(dates, [date(2020, 5, 4), date(2020, 5, 5)]);
}

#[test]
fn series_buckets_by_week_and_month() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    // 2024-02-26 is a Monday; 2024-03-03 the Sunday of that week.
    let days = [
        (2024, 2, 26),
        (2024, 2, 29),
        (2024, 3, 1),
        (2024, 3, 3),
        (2024, 3, 4),
        (2024, 4, 30),
    ];
    let codes = ["042", "190", "057", "0874", "112", "042"];
    let mut events = Vec::new();
    for ((y, m, d), code) in days.iter().zip(codes) {
        events.push(dated("ISR", "PSE", code, date(*y, *m, *d)));
    }
    // A non-CAMEO code counts as an event without quad class or Goldstein value.
    events.push(dated("ISR", "PSE", "999", date(2024, 3, 1)));
    // Another dyad must not leak in.
    events.push(dated("PSE", "ISR", "190", date(2024, 3, 1)));
    w.ingest(&article("a1", "AFP", date(2024, 5, 1), events))
        .unwrap();
    let r = store.reader().unwrap();

    let week = r
        .dyad_series("ISR", "PSE", Interval::Week, DateRange::ALL)
        .unwrap();
    let starts: Vec<_> = week.iter().map(|b| b.start).collect();
    assert_eq!(
        starts,
        [date(2024, 2, 26), date(2024, 3, 4), date(2024, 4, 29)]
    );
    let first = &week[0];
    assert_eq!(first.events, 5);
    assert_eq!(first.mentions, 5);
    // 042 and 057 are verbal cooperation, 0874 material cooperation, 190 material conflict.
    assert_eq!(first.quad, [2, 1, 0, 1]);
    let sum = dyad_ontology::goldstein("042").unwrap() as f64
        + dyad_ontology::goldstein("190").unwrap() as f64
        + dyad_ontology::goldstein("057").unwrap() as f64
        + dyad_ontology::goldstein("0874").unwrap() as f64;
    assert!(
        (first.goldstein_sum - sum).abs() < 1e-4,
        "{} vs {sum}",
        first.goldstein_sum
    );
    assert!((first.goldstein_mean.unwrap() - sum / 4.0).abs() < 1e-4);

    let month = r
        .dyad_series("ISR", "PSE", Interval::Month, DateRange::ALL)
        .unwrap();
    let summary: Vec<_> = month.iter().map(|b| (b.start, b.events, b.quad)).collect();
    assert_eq!(
        summary,
        [
            (date(2024, 2, 1), 2, [1, 0, 0, 1]),
            (date(2024, 3, 1), 4, [1, 1, 1, 0]),
            (date(2024, 4, 1), 1, [1, 0, 0, 0]),
        ]
    );
    // Date ranges are inclusive and cut inside buckets.
    let cut = r
        .dyad_series(
            "ISR",
            "PSE",
            Interval::Month,
            DateRange::new(date(2024, 2, 29), date(2024, 3, 3)),
        )
        .unwrap();
    let summary: Vec<_> = cut.iter().map(|b| (b.start, b.events)).collect();
    assert_eq!(summary, [(date(2024, 2, 1), 1), (date(2024, 3, 1), 3)]);
    // The mean leaves out events whose code CAMEO does not know.
    let d = r
        .dyad_series(
            "ISR",
            "PSE",
            Interval::Day,
            DateRange::new(date(2024, 3, 1), date(2024, 3, 1)),
        )
        .unwrap();
    assert_eq!((d.len(), d[0].events, d[0].quad), (1, 2, [1, 0, 0, 0]));
    let g057 = dyad_ontology::goldstein("057").unwrap() as f64;
    assert!((d[0].goldstein_mean.unwrap() - g057).abs() < 1e-4);
    let unknown_only = Store::open_in_memory().unwrap();
    unknown_only
        .writer()
        .unwrap()
        .ingest(&article(
            "u",
            "AFP",
            date(2024, 1, 1),
            vec![ev("ISR", "PSE", "999")],
        ))
        .unwrap();
    let b = unknown_only
        .reader()
        .unwrap()
        .dyad_series("ISR", "PSE", Interval::Day, DateRange::ALL)
        .unwrap();
    assert_eq!(
        (b[0].events, b[0].goldstein_sum, b[0].goldstein_mean),
        (1, 0.0, None)
    );
    r.verify().unwrap();
}

#[test]
fn top_dyads_rank_by_events_or_mentions() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let d = date(2019, 1, 1);
    w.ingest_batch(&[
        article(
            "a1",
            "AFP",
            d,
            vec![
                ev("USA", "CHN", "042"),
                ev("USA", "CHN", "043"),
                ev("IRN", "ISR", "190"),
            ],
        ),
        article("a2", "AP", d, vec![ev("IRN", "ISR", "190")]),
        article("a3", "DPA", d, vec![ev("IRN", "ISR", "190")]),
        article("a4", "DPA", date(2019, 2, 1), vec![ev("DEU", "FRA", "040")]),
    ])
    .unwrap();
    let r = store.reader().unwrap();
    let jan = DateRange::new(date(2019, 1, 1), date(2019, 1, 31));
    let by_events = r.top_dyads(jan, RankBy::Events, 10).unwrap();
    let got: Vec<_> = by_events
        .iter()
        .map(|t| (t.source.as_str(), t.target.as_str(), t.events, t.mentions))
        .collect();
    assert_eq!(got, [("USA", "CHN", 2, 2), ("IRN", "ISR", 1, 3)]);
    let by_mentions = r.top_dyads(jan, RankBy::Mentions, 1).unwrap();
    assert_eq!(
        (by_mentions.len(), by_mentions[0].source.as_str()),
        (1, "IRN")
    );
    // All time comes from the per-dyad totals.
    let all = r.top_dyads(DateRange::ALL, RankBy::Mentions, 10).unwrap();
    let got: Vec<_> = all
        .iter()
        .map(|t| (t.source.as_str(), t.target.as_str(), t.events, t.mentions))
        .collect();
    assert_eq!(
        got,
        [
            ("IRN", "ISR", 1, 3),
            ("USA", "CHN", 2, 2),
            ("DEU", "FRA", 1, 1)
        ]
    );
    // Open at one end only: from the daily rows.
    let from_feb = DateRange {
        from: Some(date(2019, 2, 1)),
        to: None,
    };
    assert_eq!(r.top_dyads(from_feb, RankBy::Events, 10).unwrap().len(), 1);
    assert!(matches!(
        r.top_dyads(jan, RankBy::Events, 0).unwrap_err().kind(),
        ErrorKind::InvalidQuery(_)
    ));
}

fn filter_store() -> Store {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let d = date(2023, 7, 1);
    w.ingest(&article(
        "a1",
        "AFP",
        d,
        vec![
            dated("CHNGOV", "JPN", "112", date(2023, 7, 1)),
            dated("CHN", "USAGOV", "042", date(2023, 7, 2)),
            dated("USAMIL", "CHNMIL", "190", date(2023, 7, 3)),
            dated("DEUGOV", "FRAGOV", "0874", date(2023, 7, 4)),
            dated("IGOUNO", "---", "020", date(2023, 7, 5)),
            dated("CHE", "DEU", "0231", date(2023, 7, 6)),
        ],
    ))
    .unwrap();
    store
}

fn pairs(page: &EventPage) -> Vec<(String, String, String)> {
    page.events
        .iter()
        .map(|e| (e.source.clone(), e.target.clone(), e.code.clone()))
        .collect()
}

fn strs(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    v.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn event_filters() {
    let store = filter_store();
    let r = store.reader().unwrap();
    let q = |f: &dyn Fn(&mut EventQuery)| {
        let mut q = EventQuery::default();
        f(&mut q);
        pairs(&r.events(&q).unwrap())
    };
    // Prefix match on either side; "CH" also matches CHE (Switzerland).
    assert_eq!(
        q(&|q| q.actor = Some("CHN".into())),
        strs(&[
            ("CHNGOV", "JPN", "112"),
            ("CHN", "USAGOV", "042"),
            ("USAMIL", "CHNMIL", "190")
        ])
    );
    assert_eq!(q(&|q| q.actor = Some("ch".into())).len(), 4);
    assert_eq!(q(&|q| q.source = Some("CHN".into())).len(), 2);
    assert_eq!(
        q(&|q| q.target = Some("CHN".into())),
        strs(&[("USAMIL", "CHNMIL", "190")])
    );
    assert_eq!(
        q(&|q| q.country = Some("DEU".into())),
        strs(&[("DEUGOV", "FRAGOV", "0874"), ("CHE", "DEU", "0231")])
    );
    assert_eq!(
        q(&|q| q.code = Some("02".into())),
        strs(&[("IGOUNO", "---", "020"), ("CHE", "DEU", "0231")])
    );
    assert_eq!(
        q(&|q| q.root = Some(19)),
        strs(&[("USAMIL", "CHNMIL", "190")])
    );
    assert_eq!(
        q(&|q| q.quad = Some(QuadClass::MaterialCooperation)),
        strs(&[("DEUGOV", "FRAGOV", "0874")])
    );
    assert_eq!(
        q(&|q| q.dates = DateRange::new(date(2023, 7, 2), date(2023, 7, 3))),
        strs(&[("CHN", "USAGOV", "042"), ("USAMIL", "CHNMIL", "190")])
    );
    assert_eq!(
        q(&|q| {
            q.actor = Some("CHN".into());
            q.quad = Some(QuadClass::VerbalCooperation);
        }),
        strs(&[("CHN", "USAGOV", "042")])
    );
    // Unknown codes: empty, not an error.
    assert!(q(&|q| q.actor = Some("XYZ".into())).is_empty());
    assert!(q(&|q| q.country = Some("ATLANTIS".into())).is_empty());
    assert!(q(&|q| q.code = Some("99".into())).is_empty());
    assert!(q(&|q| q.root = Some(42)).is_empty());
    assert!(r
        .dyad_series("XYZ", "CHN", Interval::Day, DateRange::ALL)
        .unwrap()
        .is_empty());
    assert!(r.mentions(EventId(987_654)).unwrap().is_empty());
    assert_eq!(r.event(EventId(987_654)).unwrap(), None);
    assert_eq!(r.article("nope").unwrap(), None);
    // An empty prefix is a mistake, not "everything".
    let empty = EventQuery {
        actor: Some(String::new()),
        ..Default::default()
    };
    assert!(matches!(
        r.events(&empty).unwrap_err().kind(),
        ErrorKind::InvalidQuery(_)
    ));
}

#[test]
fn impossible_date_ranges_are_typed_errors() {
    let store = filter_store();
    let r = store.reader().unwrap();
    let bad = DateRange::new(date(2023, 7, 5), date(2023, 7, 1));
    let is_range_error = |e: Error| matches!(e.kind(), ErrorKind::InvalidDateRange { .. });
    assert!(is_range_error(
        r.dyad_series("CHN", "USAGOV", Interval::Week, bad)
            .unwrap_err()
    ));
    assert!(is_range_error(
        r.top_dyads(bad, RankBy::Events, 5).unwrap_err()
    ));
    let q = EventQuery {
        dates: bad,
        ..Default::default()
    };
    let e = r.events(&q).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid date range: 2023-07-05 is after 2023-07-01"
    );
    // A one-day range is fine.
    let one = DateRange::new(date(2023, 7, 1), date(2023, 7, 1));
    assert_eq!(
        r.events(&EventQuery {
            dates: one,
            ..Default::default()
        })
        .unwrap()
        .events
        .len(),
        1
    );
}

#[test]
fn pagination_returns_every_event_exactly_once() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let actors = ["USA", "CHN", "RUS", "DEU", "FRA"];
    let codes = ["042", "190", "112", "0231", "057", "173"];
    let mut articles = Vec::new();
    let mut n = 0usize;
    for a in 0..40 {
        let mut events = Vec::new();
        for i in 0..7 {
            n += 1;
            // Several events per day, days out of order across articles.
            let d = Date::new(2020, 1 + (n * 7 % 12) as u32, 1 + (n * 13 % 28) as u32).unwrap();
            let s = actors[(a + i) % 5];
            let t = actors[(a + 2 * i + 1) % 5];
            events.push(dated(s, t, codes[n % codes.len()], d));
        }
        articles.push(article(&format!("p{a}"), "AFP", date(2020, 12, 31), events));
    }
    // Undated events (never merged across articles) come first.
    for a in 0..3 {
        let mut undated = article(
            &format!("u{a}"),
            "AFP",
            date(2020, 1, 1),
            vec![ev("USA", "CHN", "042"), ev("RUS", "USA", "112")],
        );
        undated.date = None;
        articles.push(undated);
    }
    w.ingest_batch(&articles).unwrap();
    let r = store.reader().unwrap();
    let total = r.stats().unwrap().events as usize;
    assert!(total > 100, "{total}");
    assert_eq!(r.stats().unwrap().undated_events, 6);
    for (page_size, filter) in [
        (7, None),
        (1, None),
        (13, Some("US")),
        (total, None),
        (total + 1, None),
    ] {
        let mut q = EventQuery {
            limit: page_size,
            actor: filter.map(String::from),
            ..Default::default()
        };
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = r.events(&q).unwrap();
            assert!(page.events.len() <= page_size);
            pages += 1;
            seen.extend(page.events.iter().map(|e| (e.date, e.id)));
            match page.next {
                // Cursors survive a trip through their text form.
                Some(c) => q.after = Some(c.to_string().parse().unwrap()),
                None => break,
            }
        }
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted, "pages in (date, id) order");
        sorted.dedup();
        assert_eq!(sorted.len(), seen.len(), "no event twice");
        let want = match filter {
            None => total,
            Some(p) => all_events(&r)
                .iter()
                .filter(|e| e.source.starts_with(p) || e.target.starts_with(p))
                .count(),
        };
        assert_eq!(seen.len(), want, "page size {page_size}, filter {filter:?}");
        assert!(pages >= want.div_ceil(page_size));
    }
    assert!(matches!(
        "12".parse::<Cursor>().unwrap_err().kind(),
        ErrorKind::BadCursor(_)
    ));
    assert!("x.1".parse::<Cursor>().is_err());
}

#[test]
fn hostile_strings_are_bound_not_spliced() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let evil = "'; DROP TABLE events;--";
    let mut a = article(
        evil,
        evil,
        date(2020, 1, 1),
        vec![ev(evil, "\"); DELETE FROM articles; --", evil)],
    );
    a.title = evil.into();
    a.coder_version = evil.into();
    a.sentences = vec![evil.into()];
    a.events[0].event.pattern = evil.into();
    assert_eq!(w.ingest(&a).unwrap(), IngestOutcome::Inserted);
    let r = store.reader().unwrap();
    let hostile = EventQuery {
        actor: Some(evil.into()),
        code: Some(evil.into()),
        country: Some(evil.into()),
        ..Default::default()
    };
    assert!(r.events(&hostile).unwrap().events.is_empty());
    // Prefixes are upper-cased, so this one no longer matches the stored code.
    let upper = EventQuery {
        source: Some(evil.into()),
        ..Default::default()
    };
    assert!(r.events(&upper).unwrap().events.is_empty());
    // Exact codes are bound as they are.
    assert!(r
        .dyad_series(evil, evil, Interval::Month, DateRange::ALL)
        .unwrap()
        .is_empty());
    let series = r
        .dyad_series(
            evil,
            "\"); DELETE FROM articles; --",
            Interval::Month,
            DateRange::ALL,
        )
        .unwrap();
    assert_eq!(series.len(), 1);
    let stored = r.article(evil).unwrap().unwrap();
    assert_eq!(
        (stored.title.as_str(), stored.source.as_str()),
        (evil, evil)
    );
    let events = all_events(&r);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].source, evil);
    let m = r.mentions(events[0].id).unwrap();
    assert_eq!(m[0].event.pattern, evil);
    assert_eq!(r.stats().unwrap().articles, 1);
    r.verify().unwrap();
}

#[test]
fn mentions_give_back_the_evidence() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let entry = |file: &str, line| SourceRef {
        file: file.into(),
        line,
    };
    let event = Event {
        sentence_id: "s-1".into(),
        date: Some(date(2015, 3, 2)),
        source: ActorMention {
            code: "USAGOV".into(),
            tokens: (0, 2),
            span: Some(CharSpan::new(0, 15)),
            entries: vec![entry("actors.txt", 12), entry("agents.txt", 3)],
        },
        target: ActorMention {
            code: "IRN".into(),
            tokens: (5, 6),
            span: None,
            entries: vec![entry("actors.txt", 99)],
        },
        code: "0231".into(),
        verb_tokens: (2, 4),
        verb_span: Some(CharSpan::new(16, 27)),
        pattern: "- APPEAL FOR * AID".into(),
        pattern_entry: Some(entry("verbs.txt", 4021)),
        issues: vec![("NUCLEAR".into(), 2)],
    };
    let mut a = article(
        "a1",
        "AFP",
        date(2015, 3, 3),
        vec![EventInput {
            sentence: 1,
            event: event.clone(),
        }],
    );
    a.coder_version = "dyad 0.1 / cameo verbs 2024-10".into();
    w.ingest(&a).unwrap();
    let r = store.reader().unwrap();
    let stored = all_events(&r);
    assert_eq!(stored[0].date, date(2015, 3, 2));
    let m = r.mentions(stored[0].id).unwrap();
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].event, event);
    assert_eq!(m[0].sentence, 1);
    assert_eq!(m[0].sentence_text, "second sentence");
    assert_eq!(m[0].coder_version, "dyad 0.1 / cameo verbs 2024-10");
    assert_eq!(m[0].article_date, Some(date(2015, 3, 3)));
    assert_eq!(
        (m[0].title.as_str(), m[0].url.as_str()),
        ("title of a1", "https://news.example/a1")
    );
}

#[test]
fn null_actors_are_stored_as_dashes() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    w.ingest(&article(
        "a1",
        "AFP",
        date(2020, 1, 1),
        vec![ev("USA", "", "010"), ev("USA", "---", "010")],
    ))
    .unwrap();
    let r = store.reader().unwrap();
    let events = all_events(&r);
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].target.as_str(), events[0].mentions), ("---", 2));
}

#[test]
fn invalid_articles_store_nothing() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let good = article("ok", "AFP", date(2020, 1, 1), vec![ev("USA", "CHN", "042")]);
    let mut far = good.clone();
    far.id = "far".into();
    far.events[0].sentence = 2;
    let e = w.ingest_batch(&[good.clone(), far.clone()]).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::SentenceOutOfRange {
                sentence: 2,
                sentences: 2,
                ..
            }
        ),
        "{e}"
    );
    let r = store.reader().unwrap();
    assert_eq!(r.stats().unwrap(), Stats::default());
    // The writer is still usable afterwards.
    assert_eq!(w.ingest(&good).unwrap(), IngestOutcome::Inserted);
    r.verify().unwrap();
}

#[test]
fn only_one_writer_at_a_time() {
    let store = Store::open_in_memory().unwrap();
    let w = store.writer().unwrap();
    assert!(
        matches!(store.writer().err().map(|e| e.to_string()), Some(m) if m.contains("another writer"))
    );
    drop(w);
    assert!(store.clone().writer().is_ok());
}

#[test]
fn file_stores_persist_and_check_their_version() {
    let db = TempDb::new("version");
    {
        let store = Store::open(&db.0).unwrap();
        let mut w = store.writer().unwrap();
        w.ingest(&article(
            "a1",
            "AFP",
            date(2020, 1, 1),
            vec![ev("USA", "CHN", "042")],
        ))
        .unwrap();
    }
    let store = Store::open(&db.0).unwrap();
    assert_eq!(store.reader().unwrap().stats().unwrap().mentions, 1);
    drop(store);

    let conn = Connection::open(&db.0).unwrap();
    conn.pragma_update(None, "user_version", FORMAT_VERSION + 1)
        .unwrap();
    drop(conn);
    let e = Store::open(&db.0).err().unwrap();
    assert!(
        matches!(e.kind(), ErrorKind::IncompatibleFormat { found, expected } if *found == FORMAT_VERSION + 1 && *expected == FORMAT_VERSION)
    );
    assert!(e.to_string().contains("incompatible store format"), "{e}");

    let other = TempDb::new("other");
    let conn = Connection::open(&other.0).unwrap();
    conn.execute_batch("CREATE TABLE t (x)").unwrap();
    drop(conn);
    let e = Store::open(&other.0).err().unwrap();
    assert!(
        matches!(e.kind(), ErrorKind::NotAStore { application_id: 0 }),
        "{e}"
    );

    let missing_dir = std::env::temp_dir()
        .join("dyad-store-no-such-dir")
        .join("x.db");
    let e = Store::open(&missing_dir).err().unwrap();
    assert!(matches!(e.kind(), ErrorKind::Open { .. }), "{e}");
    assert!(e.to_string().contains("dyad-store-no-such-dir"), "{e}");
}

#[test]
fn file_readers_see_committed_snapshots_while_the_writer_works() {
    let db = TempDb::new("snapshot");
    let store = Store::open(&db.0).unwrap();
    let mut w = store.writer().unwrap();
    let r = store.reader().unwrap();
    w.ingest(&article(
        "a1",
        "AFP",
        date(2020, 1, 1),
        vec![ev("USA", "CHN", "042")],
    ))
    .unwrap();
    assert_eq!(r.stats().unwrap().mentions, 1);
    let store2 = store.clone();
    let handle = std::thread::spawn(move || {
        let r = store2.reader().unwrap();
        r.stats().unwrap().articles
    });
    let n = handle.join().unwrap();
    assert_eq!(n, 1);
}

#[test]
fn undated_events_are_stored_but_not_summarised() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let d = date(2021, 6, 1);
    let mut a = article(
        "undated-1",
        "AFP",
        d,
        vec![
            ev("USA", "CHN", "042"),
            ev("USA", "CHN", "042"),
            dated("USA", "CHN", "042", d),
            ev("RUS", "UKR", "190"),
        ],
    );
    a.date = None;
    let mut b = article("undated-2", "Reuters", d, vec![ev("USA", "CHN", "042")]);
    b.date = None;
    let c = article("dated", "AFP", d, vec![ev("USA", "CHN", "042")]);
    w.ingest_batch(&[a.clone(), b.clone(), c]).unwrap();
    let r = store.reader().unwrap();
    r.verify().unwrap();
    let stats = r.stats().unwrap();
    // USA-CHN-042 undated twice (one per article, never merged), RUS-UKR-190 undated,
    // USA-CHN-042 on 2021-06-01 (from two articles).
    assert_eq!(
        (stats.events, stats.undated_events, stats.mentions),
        (4, 3, 6)
    );
    assert_eq!(stats.daily_rows, 1);

    let series = r
        .dyad_series("USA", "CHN", Interval::Day, DateRange::ALL)
        .unwrap();
    assert_eq!(series.len(), 1);
    assert_eq!((series[0].events, series[0].mentions), (1, 2));
    assert!(r
        .dyad_series("RUS", "UKR", Interval::Day, DateRange::ALL)
        .unwrap()
        .is_empty());
    let top = r.top_dyads(DateRange::ALL, RankBy::Events, 10).unwrap();
    assert_eq!(top.len(), 1, "{top:?}");

    // Event queries return them, undated first; a date range leaves them out.
    let all = all_events(&r);
    let dates: Vec<EventDate> = all.iter().map(|e| e.date).collect();
    assert_eq!(
        dates,
        [
            EventDate(None),
            EventDate(None),
            EventDate(None),
            EventDate(Some(d))
        ]
    );
    assert_eq!(all[0].date.to_string(), "unknown");
    assert_eq!((all[0].mentions, all[0].articles), (2, 1));
    let ranged = r
        .events(&EventQuery {
            dates: DateRange {
                from: None,
                to: Some(date(2030, 1, 1)),
            },
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ranged.events.len(), 1);
    assert_eq!(r.event(all[0].id).unwrap().unwrap(), all[0]);
    let m = r.mentions(all[0].id).unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(
        (m[0].article.as_str(), m[0].article_date),
        ("undated-1", None)
    );

    // Re-ingesting with other text keeps the ids of the events it still reports, and
    // drops those it no longer does.
    let ids: Vec<EventId> = all.iter().map(|e| e.id).collect();
    let mut a2 = a.clone();
    a2.text.push_str(" (updated)");
    a2.events.pop();
    assert_eq!(w.ingest(&a2).unwrap(), IngestOutcome::Replaced);
    let after = all_events(&r);
    assert_eq!(after.len(), 3);
    assert_eq!(after[0].id, ids[0]);
    assert!(!after.iter().any(|e| e.source == "RUS"));
    r.verify().unwrap();
    // An undated article given a date later moves its events into the summaries.
    let mut a3 = a2.clone();
    a3.date = Some(d);
    a3.text.push_str(" (dated)");
    assert_eq!(w.ingest(&a3).unwrap(), IngestOutcome::Replaced);
    assert_eq!(r.stats().unwrap().undated_events, 1);
    let series = r
        .dyad_series("USA", "CHN", Interval::Day, DateRange::ALL)
        .unwrap();
    assert_eq!((series[0].events, series[0].mentions), (1, 4));
    r.verify().unwrap();
}

#[test]
fn cursors_after_undated_events_round_trip() {
    let c: Cursor = "u.42".parse().unwrap();
    assert_eq!(c.to_string(), "u.42");
    let c: Cursor = "-3.7".parse().unwrap();
    assert_eq!(c.to_string(), "-3.7");
    assert!("u.x".parse::<Cursor>().is_err());
}

/// The committed store of format version 1 (written by the version 1 code: 11 synthetic
/// articles, 18 events, 30 mentions) must still open: it is upgraded in place.
#[test]
fn format_1_stores_are_upgraded() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/store-v1.sqlite");
    let db = TempDb::new("v1");
    std::fs::copy(fixture, &db.0).unwrap();
    let conn = Connection::open(&db.0).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    drop(conn);

    let store = Store::open(&db.0).unwrap();
    let r = store.reader().unwrap();
    let stats = r.stats().unwrap();
    assert_eq!(
        (
            stats.articles,
            stats.events,
            stats.mentions,
            stats.undated_events
        ),
        (11, 18, 30, 0)
    );
    r.verify().unwrap();
    let first = all_events(&r)[0].clone();
    assert!(first.date.is_known());
    assert_eq!(r.mentions(first.id).unwrap().len() as u64, first.mentions);

    let mut w = store.writer().unwrap();
    let mut a = article(
        "new",
        "AFP",
        date(2020, 1, 1),
        vec![ev("USA", "CHN", "042")],
    );
    a.date = None;
    w.ingest(&a).unwrap();
    assert_eq!(r.stats().unwrap().undated_events, 1);
    r.verify().unwrap();
    drop((w, r, store));

    let conn = Connection::open(&db.0).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, FORMAT_VERSION);
    // Opening again is a no-op.
    drop(conn);
    assert_eq!(
        Store::open(&db.0)
            .unwrap()
            .reader()
            .unwrap()
            .stats()
            .unwrap()
            .events,
        19
    );
}

#[test]
fn scans_stream_every_event_once_in_order_across_batches() {
    let store = Store::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    let actors = ["USA", "CHN", "RUS", "DEU", "FRA", "JPN", "IND"];
    let mut articles = Vec::new();
    for a in 0..1_600 {
        // A day of its own per article: no event is merged with another article's.
        let d = date(
            2020 + (a / 336) as i32,
            1 + (a / 28 % 12) as u32,
            1 + (a % 28) as u32,
        );
        let events = (0..8)
            .map(|i| {
                ev(
                    actors[(a + i) % 7],
                    actors[(a * 3 + i + 1) % 7],
                    ["042", "190", "112", "057"][i % 4],
                )
            })
            .collect();
        let mut art = article(&format!("s{a}"), "AFP", d, events);
        if a % 100 == 0 {
            art.date = None;
        }
        articles.push(art);
    }
    w.ingest_batch(&articles).unwrap();
    let r = store.reader().unwrap();
    let stats = r.stats().unwrap();
    assert!(stats.events as usize > MAX_LIMIT, "{stats:?}");
    let scanned: Vec<StoredEvent> = r
        .scan_events(DateRange::ALL)
        .unwrap()
        .collect::<Result<_>>()
        .unwrap();
    assert_eq!(scanned.len() as u64, stats.events);
    let keys: Vec<(EventDate, EventId)> = scanned.iter().map(|e| (e.date, e.id)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted);
    assert_eq!(
        scanned.iter().filter(|e| !e.date.is_known()).count() as u64,
        stats.undated_events
    );
    let year = DateRange::new(date(2020, 3, 1), date(2020, 3, 31));
    let march = r.scan_events(year).unwrap().count();
    let page = r
        .events(&EventQuery {
            dates: year,
            limit: MAX_LIMIT,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(march, page.events.len());
    assert!(r
        .scan_events(DateRange::new(date(2020, 2, 1), date(2020, 1, 1)))
        .is_err());
}
