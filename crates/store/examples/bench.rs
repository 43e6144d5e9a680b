//! Ingest and query benchmark on deterministic synthetic data.
//!
//! ```text
//! cargo run --release -p dyad-store --example bench -- --events 10000000
//! ```
//!
//! Options: `--events N` (coded events to ingest, default 1 000 000), `--batch N` (articles
//! per transaction, default 5000), `--path FILE` (default: a file in the temp directory,
//! deleted at the end unless `--keep`), `--normal` (synchronous=NORMAL instead of FULL),
//! `--queries-only` (reuse an existing `--path`).
//!
//! The data: 200 actors (40 countries, each bare and with GOV, MIL, OPP, BUS), Zipf-ranked
//! so that a few dyads dominate; CAMEO codes also Zipf-ranked; 60 outlets; articles of 1 to
//! 8 events in date order over ten years (2010-2019); 30% of events repeat one of the
//! last thousand events (same date, dyad and code), so events gather several mentions.

use std::time::{Duration, Instant};

use dyad_store::{
    ArticleInput, DateRange, Durability, EventInput, EventQuery, Interval, RankBy, Store,
    StoreOptions,
};
use dyad_types::{ActorMention, CharSpan, Date, Event, SourceRef};

/// splitmix64: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Samples ranks 0..n with probability proportional to 1 / (rank + 1)^s.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (0..n)
            .map(|r| {
                acc += 1.0 / ((r + 1) as f64).powf(s);
                acc
            })
            .collect();
        cdf.iter_mut().for_each(|c| *c /= acc);
        Zipf(cdf)
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.0.partition_point(|&c| c < u).min(self.0.len() - 1)
    }
}

struct Generator {
    rng: Rng,
    actors: Vec<String>,
    codes: Vec<&'static str>,
    outlets: Vec<String>,
    actor_zipf: Zipf,
    code_zipf: Zipf,
    outlet_zipf: Zipf,
    recent: Vec<(Date, usize, usize, usize)>,
    /// 2009-12-29 (three days of slack for events before their article) to 2019-12-31.
    dates: Vec<Date>,
    days: i64,
    total_articles: usize,
    next_article: usize,
}

impl Generator {
    fn new(events: usize) -> Generator {
        let ont = dyad_ontology::Ontology::get();
        let countries: Vec<&str> = ont
            .countries()
            .iter()
            .map(|c| c.code)
            .filter(|c| c.len() == 3)
            .take(40)
            .collect();
        let mut actors = Vec::new();
        for c in &countries {
            for role in ["", "GOV", "MIL", "OPP", "BUS"] {
                actors.push(format!("{c}{role}"));
            }
        }
        let mut rng = Rng(0x5eed);
        // Shuffle so that popularity does not follow alphabetical order.
        for i in (1..actors.len()).rev() {
            actors.swap(i, rng.below(i + 1));
        }
        let mut codes: Vec<&'static str> = ont
            .cameo_events()
            .iter()
            .map(|e| e.code)
            .filter(|c| c.len() >= 3)
            .collect();
        for i in (1..codes.len()).rev() {
            codes.swap(i, rng.below(i + 1));
        }
        let first = Date::new(2009, 12, 29).unwrap_or_else(|_| unreachable!());
        let days = 3 + 3652;
        Generator {
            actor_zipf: Zipf::new(actors.len(), 1.1),
            code_zipf: Zipf::new(codes.len(), 1.0),
            outlet_zipf: Zipf::new(60, 0.8),
            outlets: (0..60).map(|i| format!("outlet-{i:02}")).collect(),
            rng,
            actors,
            codes,
            recent: Vec::new(),
            dates: calendar(first, days as usize),
            days: days - 3,
            total_articles: (events as f64 / 4.5).ceil() as usize,
            next_article: 0,
        }
    }

    fn article(&mut self) -> ArticleInput {
        let n = self.next_article;
        self.next_article += 1;
        let day =
            3 + ((n as i64 * self.days) / self.total_articles.max(1) as i64).min(self.days - 1);
        let date = self.dates[day as usize];
        let count = 1 + self.rng.below(8);
        let mut sentences = Vec::with_capacity(count);
        let mut events = Vec::with_capacity(count);
        for i in 0..count {
            let (d, s, t, c) = if !self.recent.is_empty() && self.rng.unit() < 0.3 {
                self.recent[self.rng.below(self.recent.len())]
            } else {
                let s = self.actor_zipf.sample(&mut self.rng);
                let mut t = self.actor_zipf.sample(&mut self.rng);
                while t == s {
                    t = self.actor_zipf.sample(&mut self.rng);
                }
                let back = self.rng.below(3) as i64;
                (
                    self.dates[(day - back) as usize],
                    s,
                    t,
                    self.code_zipf.sample(&mut self.rng),
                )
            };
            if self.recent.len() < 1000 {
                self.recent.push((d, s, t, c));
            } else {
                let k = self.rng.below(1000);
                self.recent[k] = (d, s, t, c);
            }
            let (src, tgt, code) = (&self.actors[s], &self.actors[t], self.codes[c]);
            let sentence = format!("{src} and {tgt} did {code} in story {n}.");
            let entry = |file: &str, line: u32| SourceRef {
                file: file.into(),
                line,
            };
            events.push(EventInput {
                sentence: i,
                event: Event {
                    sentence_id: format!("{n}-{i}"),
                    date: Some(d),
                    source: ActorMention {
                        code: src.clone(),
                        tokens: (0, 1),
                        span: Some(CharSpan::new(0, src.len())),
                        entries: vec![entry("actors.txt", s as u32 + 1)],
                    },
                    target: ActorMention {
                        code: tgt.clone(),
                        tokens: (2, 3),
                        span: Some(CharSpan::new(src.len() + 5, src.len() + 5 + tgt.len())),
                        entries: vec![entry("actors.txt", t as u32 + 1)],
                    },
                    code: code.to_string(),
                    verb_tokens: (3, 4),
                    verb_span: None,
                    pattern: format!("- * DID {code}"),
                    pattern_entry: Some(entry("verbs.txt", c as u32 + 1)),
                    issues: Vec::new(),
                },
            });
            sentences.push(sentence);
        }
        let outlet = self.outlets[self.outlet_zipf.sample(&mut self.rng)].clone();
        ArticleInput {
            id: format!("art-{n:09}"),
            date: Some(date),
            title: format!("Story {n}"),
            url: format!("https://news.example/{n}"),
            source: outlet,
            text: sentences.join(" "),
            sentences,
            events,
            coder_version: "bench-coder 1".into(),
        }
    }
}

/// Every date from `first` on, `n` of them.
fn calendar(first: Date, n: usize) -> Vec<Date> {
    let mut out = Vec::with_capacity(n);
    let mut d = first;
    while out.len() < n {
        out.push(d);
        d = Date::new(d.year(), d.month(), d.day() + 1)
            .or_else(|_| Date::new(d.year(), d.month() + 1, 1))
            .or_else(|_| Date::new(d.year() + 1, 1, 1))
            .unwrap_or(d);
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let flag = |name: &str| args.iter().any(|a| a == name);
    let events: usize = opt("--events")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let batch: usize = opt("--batch")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(5000);
    let default_path = std::env::temp_dir().join(format!("dyad-store-bench-{events}.db"));
    let path = opt("--path")
        .map(std::path::PathBuf::from)
        .unwrap_or(default_path);
    let durability = if flag("--normal") {
        Durability::Normal
    } else {
        Durability::Full
    };

    if !flag("--queries-only") {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
        let store = Store::open_with(&path, StoreOptions { durability })?;
        let mut writer = store.writer()?;
        let mut gen = Generator::new(events);
        let (mut done, mut gen_time, mut ingest_time) = (0usize, Duration::ZERO, Duration::ZERO);
        let started = Instant::now();
        let mut last_report = Instant::now();
        while done < events {
            let t = Instant::now();
            let mut articles = Vec::with_capacity(batch);
            while articles.len() < batch && done < events {
                let mut a = gen.article();
                a.events.truncate(events - done);
                done += a.events.len();
                articles.push(a);
            }
            gen_time += t.elapsed();
            let t = Instant::now();
            writer.ingest_batch(&articles)?;
            ingest_time += t.elapsed();
            if last_report.elapsed() > Duration::from_secs(30) {
                eprintln!(
                    "  {done} events, {:.0} events/s",
                    done as f64 / ingest_time.as_secs_f64()
                );
                last_report = Instant::now();
            }
        }
        drop(writer);
        println!(
            "ingest: {done} events in {} articles, {:.1} s ingest ({:.0} events/s), {:.1} s generating, {:.1} s wall, {durability:?}, batches of {batch} articles",
            gen.next_article,
            ingest_time.as_secs_f64(),
            done as f64 / ingest_time.as_secs_f64(),
            gen_time.as_secs_f64(),
            started.elapsed().as_secs_f64(),
        );
    }

    let store = Store::open(&path)?;
    let reader = store.reader()?;
    let stats = reader.stats()?;
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| {
            let mut p = path.clone().into_os_string();
            p.push(s);
            std::fs::metadata(p).ok().map(|m| m.len())
        })
        .sum();
    println!(
        "store: {} articles, {} distinct events, {} mentions, {} actors, {} daily rows, {:.0} MB",
        stats.articles,
        stats.events,
        stats.mentions,
        stats.actors,
        stats.daily_rows,
        size as f64 / 1e6
    );

    let t = Instant::now();
    let top = reader.top_dyads(DateRange::ALL, RankBy::Events, 1000)?;
    println!("top dyads, all time, 1000 rows: {}", ms(t.elapsed()));
    let year = DateRange::new(Date::new(2015, 1, 1)?, Date::new(2015, 12, 31)?);
    let t = Instant::now();
    reader.top_dyads(year, RankBy::Mentions, 20)?;
    println!("top dyads, one year by mentions: {}", ms(t.elapsed()));

    for (label, rank) in [("busiest", 0usize), ("100th", 99), ("1000th", 999)] {
        let Some(d) = top.get(rank).or(top.last()) else {
            break;
        };
        for interval in [Interval::Month, Interval::Week, Interval::Day] {
            let fresh = store.reader()?;
            let t = Instant::now();
            let buckets = fresh.dyad_series(&d.source, &d.target, interval, DateRange::ALL)?;
            let first = t.elapsed();
            let runs: Vec<Duration> = (0..20)
                .map(|_| {
                    let t = Instant::now();
                    let _ = fresh.dyad_series(&d.source, &d.target, interval, DateRange::ALL);
                    t.elapsed()
                })
                .collect();
            println!(
                "series {label} dyad {}->{} ({} events) {interval:?}: {} buckets, first {} median {}",
                d.source,
                d.target,
                d.events,
                buckets.len(),
                ms(first),
                ms(median(runs))
            );
        }
    }
    if let Some(d) = top.first() {
        // The same series straight from the events table: what the summary saves.
        let conn = rusqlite::Connection::open(&path)?;
        let t = Instant::now();
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM (SELECT (date / 30) AS b, count(*), sum(goldstein10) FROM events
             WHERE source = (SELECT id FROM actors WHERE code = ?1)
               AND target = (SELECT id FROM actors WHERE code = ?2) GROUP BY b)",
            [&d.source, &d.target],
            |r| r.get(0),
        )?;
        println!(
            "same series without the summary (scan of events): {n} buckets, {}",
            ms(t.elapsed())
        );
    }

    let rare_actor = top.last().map(|d| d.target.clone());
    let queries: [(&str, EventQuery); 6] = [
        (
            "events page, actor that never occurs (XXX)",
            EventQuery {
                actor: Some("XXX".into()),
                ..Default::default()
            },
        ),
        (
            "events page, exact source and target of the 1000th dyad",
            EventQuery {
                target: rare_actor.clone(),
                source: top.last().map(|d| d.source.clone()),
                ..Default::default()
            },
        ),
        ("events page, no filter", EventQuery::default()),
        (
            "events page, actor prefix of the busiest actor",
            EventQuery {
                actor: top
                    .first()
                    .map(|d| d.source.get(..3).unwrap_or("").to_string()),
                ..Default::default()
            },
        ),
        (
            "events page, code 19 in 2015",
            EventQuery {
                code: Some("19".into()),
                dates: year,
                ..Default::default()
            },
        ),
        (
            "events page, rare: root 20 + country of the 1000th dyad",
            EventQuery {
                root: Some(20),
                country: top
                    .get(999)
                    .map(|d| d.target.get(..3).unwrap_or("").to_string()),
                ..Default::default()
            },
        ),
    ];
    for (label, q) in queries {
        let t = Instant::now();
        let page = reader.events(&q)?;
        let first = t.elapsed();
        let mut deep = q.clone();
        deep.after = page.next;
        let t = Instant::now();
        let page2 = reader.events(&deep)?;
        println!(
            "{label}: {} rows in {}, next page {} rows in {}",
            page.events.len(),
            ms(first),
            page2.events.len(),
            ms(t.elapsed())
        );
    }
    if let Some(e) = reader
        .events(&EventQuery {
            limit: 1,
            ..Default::default()
        })?
        .events
        .first()
    {
        let t = Instant::now();
        let m = reader.mentions(e.id)?;
        println!("mentions of one event: {} in {}", m.len(), ms(t.elapsed()));
    }
    if !flag("--keep") && !flag("--queries-only") {
        drop(reader);
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
    Ok(())
}
