//! Snapshot readers: dyad series, top dyads, event search and mentions.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use dyad_ontology::QuadClass;
use dyad_types::{ActorMention, CharSpan, Date, Event, SourceRef};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use crate::calendar::{bucket_start, date_from_days};
use crate::error::{Error, ErrorKind, Result};
use crate::writer::int;
use crate::Shared;

/// Largest page [`Reader::events`] and [`Reader::top_dyads`] return.
pub const MAX_LIMIT: usize = 10_000;

/// A read handle. Obtain it with [`Store::reader`](crate::Store::reader); open as many as
/// you like, on any thread (each is `Send`).
///
/// Every query runs in one read transaction, so it sees one consistent snapshot of the
/// store even while the writer commits (the file is in WAL mode). All parameters are bound, never
/// spliced into SQL text.
pub struct Reader {
    conn: Connection,
    // Keeps an in-memory database alive as long as a reader uses it.
    _shared: Arc<Shared>,
}

/// Width of the buckets of a [`Reader::dyad_series`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Interval {
    /// One bucket per day.
    Day,
    /// ISO weeks, starting on Monday.
    Week,
    /// Calendar months.
    Month,
}

/// An inclusive range of dates; an open end is unbounded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// First day included.
    pub from: Option<Date>,
    /// Last day included.
    pub to: Option<Date>,
}

impl DateRange {
    /// Every date.
    pub const ALL: DateRange = DateRange {
        from: None,
        to: None,
    };

    /// The days from `from` to `to`, both included.
    pub fn new(from: Date, to: Date) -> DateRange {
        DateRange {
            from: Some(from),
            to: Some(to),
        }
    }

    /// The bounds as day numbers, or [`ErrorKind::InvalidDateRange`] if `from > to`.
    pub(crate) fn days(&self) -> Result<(Option<i64>, Option<i64>)> {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                return Err(ErrorKind::InvalidDateRange { from, to }.into());
            }
        }
        Ok((
            self.from.map(Date::days_since_epoch),
            self.to.map(Date::days_since_epoch),
        ))
    }
}

/// One bucket of a dyad time series.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesBucket {
    /// First day of the bucket (a Monday for weeks, the 1st for months).
    pub start: Date,
    /// Distinct events (by date, source, target and code).
    pub events: u64,
    /// Mentions of those events in articles.
    pub mentions: u64,
    /// Events per quad class: index 0 is class 1 (verbal cooperation) ... 3 is class 4.
    pub quad: [u64; 4],
    /// Sum of the Goldstein values of the events.
    pub goldstein_sum: f64,
    /// Mean Goldstein value over the events whose code CAMEO knows (those counted in
    /// `quad`); `None` when there is none.
    pub goldstein_mean: Option<f64>,
}

/// How [`Reader::top_dyads`] ranks dyads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RankBy {
    /// Number of distinct events.
    Events,
    /// Number of mentions.
    Mentions,
}

/// A dyad with its totals over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DyadTotal {
    /// Source actor code.
    pub source: String,
    /// Target actor code.
    pub target: String,
    /// Distinct events.
    pub events: u64,
    /// Mentions.
    pub mentions: u64,
}

/// Stable identifier of a stored event (it survives re-ingest of the articles that
/// mention it, as long as one of them still does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub i64);

/// The date of a stored event: a day, or unknown when neither the event nor its article
/// had one. Displays as `YYYY-MM-DD`, or `unknown`. Unknown sorts before every day, as
/// events are listed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventDate(pub Option<Date>);

impl EventDate {
    /// The day, if known.
    pub fn get(self) -> Option<Date> {
        self.0
    }

    /// True when the date is known.
    pub fn is_known(self) -> bool {
        self.0.is_some()
    }
}

impl From<Date> for EventDate {
    fn from(d: Date) -> EventDate {
        EventDate(Some(d))
    }
}

impl From<Option<Date>> for EventDate {
    fn from(d: Option<Date>) -> EventDate {
        EventDate(d)
    }
}

impl PartialEq<Date> for EventDate {
    fn eq(&self, other: &Date) -> bool {
        self.0 == Some(*other)
    }
}

impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(d) => d.fmt(f),
            None => f.write_str("unknown"),
        }
    }
}

/// A stored event: one (date, source, target, code) with its counts.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    /// Its id, for [`Reader::mentions`].
    pub id: EventId,
    /// Date of the event; unknown for events stored without one (each such event comes
    /// from one article).
    pub date: EventDate,
    /// Source actor code (`---` when the slot was empty).
    pub source: String,
    /// Target actor code (`---` when the slot was empty).
    pub target: String,
    /// CAMEO event code.
    pub code: String,
    /// CAMEO root (1 to 20), when the code is CAMEO.
    pub root: Option<u8>,
    /// Quad class, when the code is CAMEO.
    pub quad: Option<QuadClass>,
    /// Goldstein value, when the code is CAMEO.
    pub goldstein: Option<f64>,
    /// Number of mentions (GDELT's NumMentions).
    pub mentions: u64,
    /// Number of distinct outlets that mentioned it (NumSources).
    pub sources: u64,
    /// Number of distinct articles that mentioned it (NumArticles).
    pub articles: u64,
}

/// Position after the last event of a page; pass it as [`EventQuery::after`] to get the
/// next page. Its text form (`Display` / `FromStr`: `DAY.ID`, or `u.ID` after an undated
/// event) is safe to hand to web clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cursor {
    /// Day number of the last event; `None` when it was undated.
    day: Option<i64>,
    id: i64,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(day) => write!(f, "{day}.{}", self.id),
            None => write!(f, "u.{}", self.id),
        }
    }
}

impl FromStr for Cursor {
    type Err = Error;
    fn from_str(s: &str) -> Result<Cursor> {
        let bad = || Error::new(ErrorKind::BadCursor(format!("{s:?} is not DAY.ID")));
        let (day, id) = s.split_once('.').ok_or_else(bad)?;
        Ok(Cursor {
            day: match day {
                "u" => None,
                d => Some(d.parse().map_err(|_| bad())?),
            },
            id: id.parse().map_err(|_| bad())?,
        })
    }
}

/// Filters for [`Reader::events`]. All filters combine with AND; unset ones match all.
///
/// Actor filters match code prefixes (`"CHN"` matches `CHN`, `CHNGOV`, `CHNMIL`...);
/// lower-case ASCII letters are upper-cased first.
#[derive(Clone, Debug, PartialEq)]
pub struct EventQuery {
    /// Source or target code starts with this.
    pub actor: Option<String>,
    /// Source code starts with this.
    pub source: Option<String>,
    /// Target code starts with this.
    pub target: Option<String>,
    /// Source or target belongs to this country (`"DEU"`, `"USAGUM"`).
    pub country: Option<String>,
    /// CAMEO code starts with this (`"19"`, `"190"`).
    pub code: Option<String>,
    /// CAMEO root, 1 to 20.
    pub root: Option<u8>,
    /// Quad class.
    pub quad: Option<QuadClass>,
    /// Event dates.
    pub dates: DateRange,
    /// Page size, 1 to [`MAX_LIMIT`].
    pub limit: usize,
    /// Continue after this cursor (from [`EventPage::next`]).
    pub after: Option<Cursor>,
}

impl Default for EventQuery {
    fn default() -> EventQuery {
        EventQuery {
            actor: None,
            source: None,
            target: None,
            country: None,
            code: None,
            root: None,
            quad: None,
            dates: DateRange::ALL,
            limit: 100,
            after: None,
        }
    }
}

/// One page of [`Reader::events`], in order of (date, id), undated events first.
#[derive(Clone, Debug, PartialEq)]
pub struct EventPage {
    /// The events.
    pub events: Vec<StoredEvent>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

/// One mention of an event: where it was found and the coder's evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// The article's id.
    pub article: String,
    /// Its title.
    pub title: String,
    /// Its URL.
    pub url: String,
    /// Its outlet.
    pub outlet: String,
    /// Its date.
    pub article_date: Option<Date>,
    /// Version of the coder that produced the event.
    pub coder_version: String,
    /// Index of the sentence in the article.
    pub sentence: usize,
    /// The sentence text.
    pub sentence_text: String,
    /// The event as the coder gave it, evidence included.
    pub event: Event,
}

/// A stored article, as [`Reader::article`] returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredArticle {
    /// Its id.
    pub id: String,
    /// Its date.
    pub date: Option<Date>,
    /// Headline.
    pub title: String,
    /// URL.
    pub url: String,
    /// Outlet.
    pub source: String,
    /// [`content_hash`](crate::content_hash) of its text.
    pub content_hash: u64,
    /// Length of its text in bytes.
    pub text_len: u64,
    /// Version of the coder that produced its events.
    pub coder_version: String,
    /// Its sentences.
    pub sentences: Vec<String>,
    /// Number of event mentions it contributes.
    pub mentions: u64,
}

/// Row counts of a store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Articles.
    pub articles: u64,
    /// Distinct events.
    pub events: u64,
    /// Mentions.
    pub mentions: u64,
    /// Distinct actor codes.
    pub actors: u64,
    /// Rows of the daily dyad summary.
    pub daily_rows: u64,
    /// Distinct events whose date is unknown (included in `events`).
    pub undated_events: u64,
}

/// The columns `e.date, s.code, t.code, e.code, e.root, e.quad, e.goldstein10,
/// e.mentions, e.sources, e.articles` of an event query, as SQLite gives them.
struct EventRow {
    days: Option<i64>,
    source: String,
    target: String,
    code: String,
    root: Option<i64>,
    quad: Option<i64>,
    goldstein10: Option<i64>,
    counts: [i64; 3],
}

impl EventRow {
    /// Reads the columns from index `at` on.
    fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<EventRow> {
        Ok(EventRow {
            days: r.get(at)?,
            source: r.get(at + 1)?,
            target: r.get(at + 2)?,
            code: r.get(at + 3)?,
            root: r.get(at + 4)?,
            quad: r.get(at + 5)?,
            goldstein10: r.get(at + 6)?,
            counts: [r.get(at + 7)?, r.get(at + 8)?, r.get(at + 9)?],
        })
    }

    fn into_event(self, id: EventId) -> Result<StoredEvent> {
        let [mentions, sources, articles] = self.counts;
        Ok(StoredEvent {
            id,
            date: EventDate(self.days.map(day).transpose()?),
            source: self.source,
            target: self.target,
            code: self.code,
            root: self.root.and_then(|r| u8::try_from(r).ok()),
            quad: self
                .quad
                .and_then(|n| u8::try_from(n).ok())
                .and_then(QuadClass::from_number),
            goldstein: self.goldstein10.map(|g| g as f64 / 10.0),
            mentions: count(mentions),
            sources: count(sources),
            articles: count(articles),
        })
    }
}

fn day(days: i64) -> Result<Date> {
    date_from_days(days).ok_or_else(|| Error::corrupt(format!("day number {days} is out of range")))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn check_limit(limit: usize) -> Result<i64> {
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Error::query(format!(
            "limit {limit} is not between 1 and {MAX_LIMIT}"
        )));
    }
    Ok(int(limit))
}

/// A non-empty code prefix, ASCII upper-cased.
fn prefix(what: &str, p: &str) -> Result<Value> {
    if p.is_empty() {
        return Err(Error::query(format!("empty {what} filter")));
    }
    Ok(Value::Text(p.to_ascii_uppercase()))
}

impl Reader {
    pub(crate) fn new(conn: Connection, shared: Arc<Shared>) -> Reader {
        Reader {
            conn,
            _shared: shared,
        }
    }

    /// The time series of the dyad `source` → `target` (exact actor codes), one bucket per
    /// `interval` that has events, in date order.
    ///
    /// Answered from the daily summary: the cost grows with the number of days the dyad
    /// is active, not with the number of events.
    pub fn dyad_series(
        &self,
        source: &str,
        target: &str,
        interval: Interval,
        dates: DateRange,
    ) -> Result<Vec<SeriesBucket>> {
        let (from, to) = dates.days()?;
        let mut st = self.conn.prepare_cached(
            "SELECT d.date, d.events, d.mentions, d.q1, d.q2, d.q3, d.q4, d.goldstein10
             FROM daily d
             WHERE d.source = (SELECT id FROM actors WHERE code = ?1)
               AND d.target = (SELECT id FROM actors WHERE code = ?2)
               AND d.date >= ?3 AND d.date <= ?4
             ORDER BY d.date",
        )?;
        let rows = st.query_map(
            params![
                source,
                target,
                from.unwrap_or(i64::MIN),
                to.unwrap_or(i64::MAX)
            ],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    [
                        r.get::<_, i64>(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ],
                    r.get::<_, i64>(7)?,
                ))
            },
        )?;
        // (bucket start, events, mentions, quad, goldstein10)
        let mut acc: Vec<(i64, [i64; 6], i64)> = Vec::new();
        for row in rows {
            let (days, counts, g10) = row?;
            let start = bucket_start(days, interval)
                .ok_or_else(|| Error::corrupt(format!("day number {days} is out of range")))?;
            match acc.last_mut() {
                Some((s, c, g)) if *s == start => {
                    c.iter_mut().zip(counts).for_each(|(a, b)| *a += b);
                    *g += g10;
                }
                _ => acc.push((start, counts, g10)),
            }
        }
        acc.into_iter()
            .map(|(start, [events, mentions, q1, q2, q3, q4], g10)| {
                let coded = q1 + q2 + q3 + q4;
                let sum = g10 as f64 / 10.0;
                Ok(SeriesBucket {
                    start: day(start)?,
                    events: count(events),
                    mentions: count(mentions),
                    quad: [count(q1), count(q2), count(q3), count(q4)],
                    goldstein_sum: sum,
                    goldstein_mean: (coded > 0).then(|| sum / coded as f64),
                })
            })
            .collect()
    }

    /// The `limit` dyads with the most events (or mentions) in `dates`, most first; ties
    /// go by the other count, then by codes.
    pub fn top_dyads(&self, dates: DateRange, by: RankBy, limit: usize) -> Result<Vec<DyadTotal>> {
        let (from, to) = dates.days()?;
        let limit = check_limit(limit)?;
        // All time: from the per-dyad totals, without touching the daily rows.
        let sql = match (by, from.is_none() && to.is_none()) {
            (RankBy::Events, true) => {
                "SELECT s.code, t.code, x.ev, x.mn FROM
                   (SELECT source, target, events AS ev, mentions AS mn FROM dyads
                    WHERE ?1 <= ?2) x
                 JOIN actors s ON s.id = x.source JOIN actors t ON t.id = x.target
                 ORDER BY x.ev DESC, x.mn DESC, s.code, t.code LIMIT ?3"
            }
            (RankBy::Mentions, true) => {
                "SELECT s.code, t.code, x.ev, x.mn FROM
                   (SELECT source, target, events AS ev, mentions AS mn FROM dyads
                    WHERE ?1 <= ?2) x
                 JOIN actors s ON s.id = x.source JOIN actors t ON t.id = x.target
                 ORDER BY x.mn DESC, x.ev DESC, s.code, t.code LIMIT ?3"
            }
            (RankBy::Events, false) => {
                "SELECT s.code, t.code, x.ev, x.mn FROM
                   (SELECT source, target, sum(events) AS ev, sum(mentions) AS mn FROM daily
                    WHERE date >= ?1 AND date <= ?2 GROUP BY source, target) x
                 JOIN actors s ON s.id = x.source JOIN actors t ON t.id = x.target
                 ORDER BY x.ev DESC, x.mn DESC, s.code, t.code LIMIT ?3"
            }
            (RankBy::Mentions, false) => {
                "SELECT s.code, t.code, x.ev, x.mn FROM
                   (SELECT source, target, sum(events) AS ev, sum(mentions) AS mn FROM daily
                    WHERE date >= ?1 AND date <= ?2 GROUP BY source, target) x
                 JOIN actors s ON s.id = x.source JOIN actors t ON t.id = x.target
                 ORDER BY x.mn DESC, x.ev DESC, s.code, t.code LIMIT ?3"
            }
        };
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map(
            params![from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX), limit],
            |r| {
                Ok(DyadTotal {
                    source: r.get(0)?,
                    target: r.get(1)?,
                    events: count(r.get(2)?),
                    mentions: count(r.get(3)?),
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One page of events matching `q`, in (date, id) order; undated events come first,
    /// and only when `q.dates` is unbounded (a date range excludes them).
    ///
    /// Pagination is by key, not offset: pages stay correct and cheap however deep, and
    /// events added by the writer meanwhile appear in later pages only if they sort after
    /// the cursor.
    pub fn events(&self, q: &EventQuery) -> Result<EventPage> {
        // One read transaction: the checks and the page see the same snapshot.
        let _snapshot = self.conn.unchecked_transaction()?;
        self.events_in_snapshot(q)
    }

    /// [`Reader::events`] inside a read transaction the caller holds.
    fn events_in_snapshot(&self, q: &EventQuery) -> Result<EventPage> {
        let (from, to) = q.dates.days()?;
        let limit = check_limit(q.limit)?;
        // An actor or country no event can have: answer without scanning the events.
        let prefixes = [
            ("actor", &q.actor),
            ("source", &q.source),
            ("target", &q.target),
        ];
        for (what, p) in prefixes {
            if let Some(p) = p {
                let p = prefix(what, p)?;
                let known: bool = self
                    .conn
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM actors WHERE substr(code, 1, length(?1)) = ?1)")?
                    .query_row([p], |r| r.get(0))?;
                if !known {
                    return Ok(EventPage {
                        events: Vec::new(),
                        next: None,
                    });
                }
            }
        }
        if let Some(c) = &q.country {
            let known: bool = self
                .conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM actors WHERE country = ?1)")?
                .query_row([prefix("country", c)?], |r| r.get(0))?;
            if !known {
                return Ok(EventPage {
                    events: Vec::new(),
                    next: None,
                });
            }
        }
        let mut sql = String::from(
            "SELECT e.id, e.date, s.code, t.code, e.code, e.root, e.quad, e.goldstein10,
                    e.mentions, e.sources, e.articles
             FROM events e JOIN actors s ON s.id = e.source JOIN actors t ON t.id = e.target
             WHERE 1",
        );
        let mut args: Vec<Value> = Vec::new();
        // Each clause is fixed text with `?` placeholders; only values go into `args`.
        let mut clause = |text: &'static str, values: Vec<Value>| {
            sql.push_str(text);
            args.extend(values);
        };
        const ACTOR_IDS: &str = "(SELECT id FROM actors WHERE substr(code, 1, length(?)) = ?)";
        if let Some(a) = &q.actor {
            let p = prefix("actor", a)?;
            clause(
                " AND (e.source IN (SELECT id FROM actors WHERE substr(code, 1, length(?)) = ?)
                    OR e.target IN (SELECT id FROM actors WHERE substr(code, 1, length(?)) = ?))",
                vec![p.clone(), p.clone(), p.clone(), p],
            );
        }
        if let Some(a) = &q.source {
            let p = prefix("source", a)?;
            clause(" AND e.source IN ", vec![]);
            clause(ACTOR_IDS, vec![p.clone(), p]);
        }
        if let Some(a) = &q.target {
            let p = prefix("target", a)?;
            clause(" AND e.target IN ", vec![]);
            clause(ACTOR_IDS, vec![p.clone(), p]);
        }
        if let Some(c) = &q.country {
            let c = prefix("country", c)?;
            clause(
                " AND (e.source IN (SELECT id FROM actors WHERE country = ?)
                    OR e.target IN (SELECT id FROM actors WHERE country = ?))",
                vec![c.clone(), c],
            );
        }
        if let Some(c) = &q.code {
            let p = prefix("code", c)?;
            clause(" AND substr(e.code, 1, length(?)) = ?", vec![p.clone(), p]);
        }
        if let Some(r) = q.root {
            clause(" AND e.root = ?", vec![Value::Integer(i64::from(r))]);
        }
        if let Some(quad) = q.quad {
            clause(
                " AND e.quad = ?",
                vec![Value::Integer(i64::from(quad.number()))],
            );
        }
        if let Some(f) = from {
            clause(" AND e.date >= ?", vec![Value::Integer(f)]);
        }
        if let Some(t) = to {
            clause(" AND e.date <= ?", vec![Value::Integer(t)]);
        }
        match q.after {
            Some(Cursor { day: Some(day), id }) => clause(
                " AND e.date >= ? AND (e.date, e.id) > (?, ?)",
                vec![Value::Integer(day), Value::Integer(day), Value::Integer(id)],
            ),
            // Undated events sort first: after one, the later undated ones and all dated.
            Some(Cursor { day: None, id }) => clause(
                " AND (e.date IS NOT NULL OR e.id > ?)",
                vec![Value::Integer(id)],
            ),
            None => {}
        }
        clause(
            " ORDER BY e.date, e.id LIMIT ?",
            vec![Value::Integer(limit + 1)],
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, i64>(0)?, EventRow::read(r, 1)?))
        })?;
        let mut events = Vec::new();
        let mut more = false;
        for row in rows {
            let (id, row) = row?;
            if events.len() == q.limit {
                more = true;
                break;
            }
            events.push(row.into_event(EventId(id))?);
        }
        let next = match events.last() {
            Some(e) if more => Some(Cursor {
                day: e.date.get().map(Date::days_since_epoch),
                id: e.id.0,
            }),
            _ => None,
        };
        Ok(EventPage { events, next })
    }

    /// Every event in `dates`, in (date, id) order (undated events first, and only when
    /// `dates` is unbounded), as a streaming iterator: events are read in batches of
    /// [`MAX_LIMIT`] by key, all from one snapshot of the store, so memory stays bounded
    /// however large the store. The snapshot is held until the iterator is dropped: in a
    /// file store the writer goes on meanwhile; in an in-memory store, whose connections
    /// share one cache, the writer's commits wait for it or fail.
    ///
    /// ```
    /// # use dyad_store::{DateRange, Store};
    /// let store = Store::open_in_memory()?;
    /// let reader = store.reader()?;
    /// let mut n = 0;
    /// for event in reader.scan_events(DateRange::ALL)? {
    ///     let event = event?;
    ///     n += event.mentions;
    /// }
    /// assert_eq!(n, 0);
    /// # Ok::<(), dyad_store::Error>(())
    /// ```
    pub fn scan_events(&self, dates: DateRange) -> Result<EventScan<'_>> {
        dates.days()?;
        let snapshot = self.conn.unchecked_transaction()?;
        Ok(EventScan {
            reader: self,
            _snapshot: snapshot,
            query: EventQuery {
                dates,
                limit: MAX_LIMIT,
                ..EventQuery::default()
            },
            batch: Vec::new().into_iter(),
            done: false,
        })
    }

    /// The event with this id, if it exists.
    pub fn event(&self, id: EventId) -> Result<Option<StoredEvent>> {
        let mut st = self.conn.prepare_cached(
            "SELECT e.date, s.code, t.code, e.code, e.root, e.quad, e.goldstein10,
                    e.mentions, e.sources, e.articles
             FROM events e JOIN actors s ON s.id = e.source JOIN actors t ON t.id = e.target
             WHERE e.id = ?1",
        )?;
        let row = st.query_row([id.0], |r| EventRow::read(r, 0)).optional()?;
        row.map(|row| row.into_event(id)).transpose()
    }

    /// Id and URL of the article of the first stored mention of event `id` (GDELT's
    /// SOURCEURL); `None` for an unknown id.
    pub(crate) fn first_report(&self, id: EventId) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT a.ext_id, a.url FROM mentions m JOIN articles a ON a.id = m.article
                 WHERE m.event = ?1 ORDER BY m.id LIMIT 1",
            )?
            .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Every mention of event `id`, in the order they were stored; empty for an unknown id.
    pub fn mentions(&self, id: EventId) -> Result<Vec<Mention>> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.ext_id, a.title, a.url, o.name, a.date, c.version, m.sentence, s.text,
                    m.sentence_id, m.event_date,
                    m.source_code, m.source_tok_start, m.source_tok_end, m.source_span_start,
                    m.source_span_end, m.source_entries,
                    m.target_code, m.target_tok_start, m.target_tok_end, m.target_span_start,
                    m.target_span_end, m.target_entries,
                    m.code, m.verb_tok_start, m.verb_tok_end, m.verb_span_start, m.verb_span_end,
                    m.pattern, m.pattern_file, m.pattern_line, m.issues
             FROM mentions m
             JOIN articles a ON a.id = m.article
             JOIN outlets o ON o.id = a.outlet
             JOIN coders c ON c.id = a.coder
             JOIN sentences s ON s.article = m.article AND s.idx = m.sentence
             WHERE m.event = ?1
             ORDER BY m.id",
        )?;
        let mut rows = st.query([id.0])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read_mention(r)?);
        }
        Ok(out)
    }

    /// The article with this id, with its sentences, if stored.
    pub fn article(&self, id: &str) -> Result<Option<StoredArticle>> {
        // One read transaction: the article and its sentences come from the same snapshot.
        let _snapshot = self.conn.unchecked_transaction()?;
        let row = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.date, a.title, a.url, o.name, a.content_hash, a.text_len, c.version,
                        (SELECT count(*) FROM mentions m WHERE m.article = a.id)
                 FROM articles a JOIN outlets o ON o.id = a.outlet JOIN coders c ON c.id = a.coder
                 WHERE a.ext_id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, i64>(8)?,
                ))
            })
            .optional()?;
        let Some((rowid, date, title, url, source, hash, len, coder_version, mentions)) = row
        else {
            return Ok(None);
        };
        let sentences = self
            .conn
            .prepare_cached("SELECT text FROM sentences WHERE article = ?1 ORDER BY idx")?
            .query_map([rowid], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(StoredArticle {
            id: id.to_string(),
            date: date.map(day).transpose()?,
            title,
            url,
            source,
            content_hash: hash as u64,
            text_len: count(len),
            coder_version,
            sentences,
            mentions: count(mentions),
        }))
    }

    /// A number that changes when another connection (another reader's writer, another
    /// process) commits to the store: SQLite's `PRAGMA data_version` on this reader's
    /// connection. Cheap; poll it to know when answers computed earlier may be stale.
    pub fn data_version(&self) -> Result<u64> {
        let v: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(u64::try_from(v).unwrap_or_default())
    }

    /// Row counts.
    pub fn stats(&self) -> Result<Stats> {
        let _snapshot = self.conn.unchecked_transaction()?;
        let n = |table: &str| -> Result<u64> {
            // Table names are fixed strings of this crate, never input.
            let sql = format!("SELECT count(*) FROM {table}");
            Ok(count(self.conn.query_row(&sql, [], |r| r.get(0))?))
        };
        Ok(Stats {
            articles: n("articles")?,
            events: n("events")?,
            mentions: n("mentions")?,
            actors: n("actors")?,
            daily_rows: n("daily")?,
            undated_events: count(self.conn.query_row(
                "SELECT count(*) FROM events WHERE date IS NULL",
                [],
                |r| r.get(0),
            )?),
        })
    }

    /// Recomputes every aggregate from the mentions and compares: event counts (mentions,
    /// articles, outlets), the daily dyad summary, and foreign keys. Slow on big stores;
    /// meant for tests and `fsck`-style checks.
    pub fn verify(&self) -> Result<()> {
        let _snapshot = self.conn.unchecked_transaction()?;
        let checks: [(&str, &str); 6] = [
            (
                "event counts differ from their mentions",
                "SELECT count(*) FROM events e LEFT JOIN
                   (SELECT event, count(*) AS m, count(DISTINCT article) AS a,
                           count(DISTINCT outlet) AS s FROM mentions GROUP BY event) x
                   ON x.event = e.id
                 WHERE x.m IS NULL OR x.m != e.mentions OR x.a != e.articles OR x.s != e.sources",
            ),
            (
                "daily summary rows missing or wrong",
                "SELECT count(*) FROM (
                   SELECT source, target, date, count(*), sum(mentions), sum(quad IS 1), sum(quad IS 2),
                          sum(quad IS 3), sum(quad IS 4), coalesce(sum(goldstein10), 0)
                   FROM events WHERE date IS NOT NULL GROUP BY source, target, date
                   EXCEPT
                   SELECT source, target, date, events, mentions, q1, q2, q3, q4, goldstein10 FROM daily)",
            ),
            (
                "daily summary rows without events",
                "SELECT count(*) FROM (
                   SELECT source, target, date FROM daily
                   EXCEPT SELECT source, target, date FROM events)",
            ),
            (
                "dyad totals differ from the daily summary",
                "SELECT (SELECT count(*) FROM (
                   SELECT source, target, sum(events), sum(mentions) FROM daily GROUP BY source, target
                   EXCEPT SELECT source, target, events, mentions FROM dyads))
                 + (SELECT count(*) FROM (
                   SELECT source, target, events, mentions FROM dyads
                   EXCEPT SELECT source, target, sum(events), sum(mentions) FROM daily
                   GROUP BY source, target))",
            ),
            (
                "mentions whose outlet is not their article's",
                "SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article
                 WHERE m.outlet != a.outlet",
            ),
            ("foreign keys violated", "SELECT count(*) FROM pragma_foreign_key_check"),
        ];
        for (what, sql) in checks {
            let bad: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            if bad != 0 {
                return Err(Error::corrupt(format!("{what}: {bad} rows")));
            }
        }
        Ok(())
    }
}

/// The iterator of [`Reader::scan_events`].
pub struct EventScan<'r> {
    reader: &'r Reader,
    _snapshot: rusqlite::Transaction<'r>,
    query: EventQuery,
    batch: std::vec::IntoIter<StoredEvent>,
    done: bool,
}

impl Iterator for EventScan<'_> {
    type Item = Result<StoredEvent>;

    fn next(&mut self) -> Option<Result<StoredEvent>> {
        loop {
            if let Some(e) = self.batch.next() {
                return Some(Ok(e));
            }
            if self.done {
                return None;
            }
            match self.reader.events_in_snapshot(&self.query) {
                Ok(page) => {
                    self.done = page.next.is_none();
                    self.query.after = page.next;
                    self.batch = page.events.into_iter();
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

impl fmt::Debug for EventScan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventScan")
            .field("query", &self.query)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

fn read_mention(r: &rusqlite::Row<'_>) -> Result<Mention> {
    let json_err = |what: &str, e: serde_json::Error| Error::corrupt(format!("stored {what}: {e}"));
    let usize_at = |i: usize| -> Result<usize> {
        let v: i64 = r.get(i)?;
        usize::try_from(v).map_err(|_| Error::corrupt(format!("negative index {v} in a mention")))
    };
    let span_at = |i: usize| -> Result<Option<CharSpan>> {
        let (s, e): (Option<i64>, Option<i64>) = (r.get(i)?, r.get(i + 1)?);
        Ok(match (s.map(usize::try_from), e.map(usize::try_from)) {
            (Some(Ok(s)), Some(Ok(e))) => Some(CharSpan::new(s, e)),
            _ => None,
        })
    };
    let actor_at = |i: usize| -> Result<ActorMention> {
        let entries: String = r.get(i + 5)?;
        Ok(ActorMention {
            code: r.get(i)?,
            tokens: (usize_at(i + 1)?, usize_at(i + 2)?),
            span: span_at(i + 3)?,
            entries: serde_json::from_str::<Vec<SourceRef>>(&entries)
                .map_err(|e| json_err("entries", e))?,
        })
    };
    let pattern_entry = match (
        r.get::<_, Option<String>>(28)?,
        r.get::<_, Option<u32>>(29)?,
    ) {
        (Some(file), Some(line)) => Some(SourceRef {
            file: file.into(),
            line,
        }),
        _ => None,
    };
    let issues: String = r.get(30)?;
    let event = Event {
        sentence_id: r.get(8)?,
        date: r.get::<_, Option<i64>>(9)?.map(day).transpose()?,
        source: actor_at(10)?,
        target: actor_at(16)?,
        code: r.get(22)?,
        verb_tokens: (usize_at(23)?, usize_at(24)?),
        verb_span: span_at(25)?,
        pattern: r.get(27)?,
        pattern_entry,
        issues: serde_json::from_str(&issues).map_err(|e| json_err("issues", e))?,
    };
    Ok(Mention {
        article: r.get(0)?,
        title: r.get(1)?,
        url: r.get(2)?,
        outlet: r.get(3)?,
        article_date: r.get::<_, Option<i64>>(4)?.map(day).transpose()?,
        coder_version: r.get(5)?,
        sentence: usize_at(6)?,
        sentence_text: r.get(7)?,
        event,
    })
}
