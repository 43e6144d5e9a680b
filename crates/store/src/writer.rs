//! The single writer: ingests coded articles and keeps the aggregates in step.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use dyad_types::{ActorMention, SourceRef};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::error::{Error, ErrorKind, Result};
use crate::input::{ArticleInput, EventInput, IngestOutcome};
use crate::Shared;

/// Code stored for an actor slot that nobody fills (PETRARCH writes `---`).
pub(crate) const NULL_ACTOR: &str = "---";

/// The one writer of a store. Obtain it with [`Store::writer`](crate::Store::writer).
///
/// Every call to [`ingest`](Writer::ingest) or [`ingest_batch`](Writer::ingest_batch) is one
/// SQLite transaction: when it returns `Ok`, the articles are committed (and, with
/// [`Durability::Full`](crate::Durability::Full), on disk); when it returns `Err`, nothing of
/// the call is stored. Readers never see a half-ingested article.
///
/// The writer also keeps the `daily` dyad summary (per day, source and target: events,
/// mentions, quad class counts, Goldstein sum) up to date inside the same transaction.
///
/// An event with no date of its own, in an article without one, is stored with an
/// unknown date: it is returned by event queries and exports and counted in
/// [`Stats::undated_events`](crate::Stats::undated_events), but is in no daily summary, dyad
/// series or top-dyad count, and it is never merged with events of other articles (with
/// no date there is no telling whether two reports are of the same event).
pub struct Writer {
    conn: Connection,
    shared: Arc<Shared>,
    ids: IdCache,
}

/// Ids of interned strings, valid for committed rows only: cleared when a transaction fails.
#[derive(Default)]
struct IdCache {
    actors: HashMap<String, i64>,
    outlets: HashMap<String, i64>,
    coders: HashMap<String, i64>,
}

/// Change to one row of `daily`, summed over a transaction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct DailyDelta {
    events: i64,
    mentions: i64,
    quad: [i64; 4],
    goldstein10: i64,
}

impl DailyDelta {
    /// Accounts for one event (dis)appearing: `sign` is +1 or -1.
    fn event(&mut self, sign: i64, quad: Option<i64>, goldstein10: Option<i64>) {
        self.events += sign;
        if let Some(slot) = quad
            .and_then(|q| usize::try_from(q - 1).ok())
            .and_then(|i| self.quad.get_mut(i))
        {
            *slot += sign;
        }
        self.goldstein10 += sign * goldstein10.unwrap_or(0);
    }
}

/// `(source, target, date)` of a `daily` row.
type DailyKey = (i64, i64, i64);

impl Writer {
    pub(crate) fn new(conn: Connection, shared: Arc<Shared>) -> Writer {
        Writer {
            conn,
            shared,
            ids: IdCache::default(),
        }
    }

    /// Stores one article in its own transaction.
    ///
    /// Returns [`IngestOutcome::Unchanged`] when an article with this id, the same text
    /// (by [`content_hash`](crate::content_hash)) and the same coder version is already
    /// stored; [`IngestOutcome::Replaced`] when the id is stored with other text or another
    /// coder version (its sentences, events and mentions are replaced, and the counts of
    /// events it shared with other articles go down); [`IngestOutcome::Inserted`] otherwise.
    pub fn ingest(&mut self, article: &ArticleInput) -> Result<IngestOutcome> {
        self.ingest_batch(std::slice::from_ref(article))?
            .into_iter()
            .next()
            .ok_or_else(|| Error::corrupt("ingest of one article gave no outcome"))
    }

    /// Stores several articles in one transaction (much faster than one by one), returning
    /// one outcome per article, in order. If any article is invalid, none is stored.
    pub fn ingest_batch(&mut self, articles: &[ArticleInput]) -> Result<Vec<IngestOutcome>> {
        articles.iter().try_for_each(validate)?;
        let result = self.ingest_in_transaction(articles);
        if result.is_err() {
            // Rows interned by the rolled-back transaction are gone.
            self.ids = IdCache::default();
        }
        result
    }

    fn ingest_in_transaction(&mut self, articles: &[ArticleInput]) -> Result<Vec<IngestOutcome>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut daily = BTreeMap::new();
        let mut outcomes = Vec::with_capacity(articles.len());
        for article in articles {
            outcomes.push(ingest_one(&tx, &mut self.ids, &mut daily, article)?);
        }
        flush_daily(&tx, &daily)?;
        tx.commit()?;
        Ok(outcomes)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.shared.release_writer();
    }
}

/// Checks what SQLite would not: every event points at a sentence of its article.
fn validate(a: &ArticleInput) -> Result<()> {
    for (i, e) in a.events.iter().enumerate() {
        if e.sentence >= a.sentences.len() {
            return Err(ErrorKind::SentenceOutOfRange {
                article: a.id.clone(),
                event: i,
                sentence: e.sentence,
                sentences: a.sentences.len(),
            }
            .into());
        }
    }
    Ok(())
}

/// `usize` as an SQLite integer (saturating: no real index comes near `i64::MAX`).
pub(crate) fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The code an actor slot is stored under.
fn actor_code(a: &ActorMention) -> &str {
    if a.is_null() {
        NULL_ACTOR
    } else {
        &a.code
    }
}

fn ingest_one(
    tx: &Connection,
    ids: &mut IdCache,
    daily: &mut BTreeMap<DailyKey, DailyDelta>,
    a: &ArticleInput,
) -> Result<IngestOutcome> {
    // The hash is stored as the signed integer with the same bits.
    let hash = a.content_hash() as i64;
    let coder = intern_coder(tx, ids, &a.coder_version)?;
    let outlet = intern_outlet(tx, ids, &a.source)?;
    let date = a.date.map(|d| d.days_since_epoch());
    let existing = tx
        .prepare_cached("SELECT id, content_hash, coder FROM articles WHERE ext_id = ?1")?
        .query_row([&a.id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .optional()?;
    let mut emptied = Vec::new();
    let (article, outcome) = match existing {
        Some((_, h, c)) if h == hash && c == coder => return Ok(IngestOutcome::Unchanged),
        Some((id, _, _)) => {
            emptied = remove_mentions(tx, daily, id)?;
            tx.prepare_cached("DELETE FROM sentences WHERE article = ?1")?
                .execute([id])?;
            tx.prepare_cached(
                "UPDATE articles SET date = ?2, title = ?3, url = ?4, outlet = ?5,
                 content_hash = ?6, text_len = ?7, coder = ?8 WHERE id = ?1",
            )?
            .execute(params![
                id,
                date,
                a.title,
                a.url,
                outlet,
                hash,
                int(a.text.len()),
                coder
            ])?;
            (id, IngestOutcome::Replaced)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO articles (ext_id, date, title, url, outlet, content_hash, text_len, coder)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![a.id, date, a.title, a.url, outlet, hash, int(a.text.len()), coder])?;
            (tx.last_insert_rowid(), IngestOutcome::Inserted)
        }
    };
    {
        let mut st =
            tx.prepare_cached("INSERT INTO sentences (article, idx, text) VALUES (?1, ?2, ?3)")?;
        for (i, s) in a.sentences.iter().enumerate() {
            st.execute(params![article, int(i), s])?;
        }
    }
    // Events of this article that share a key are one event with several mentions.
    let mut groups: BTreeMap<(Option<i64>, i64, i64, &str), Vec<&EventInput>> = BTreeMap::new();
    for e in &a.events {
        let day = e.event.date.or(a.date).map(|d| d.days_since_epoch());
        let source = intern_actor(tx, ids, actor_code(&e.event.source))?;
        let target = intern_actor(tx, ids, actor_code(&e.event.target))?;
        groups
            .entry((day, source, target, e.event.code.as_str()))
            .or_default()
            .push(e);
    }
    for ((day, source, target, code), events) in groups {
        let n = int(events.len());
        let event = add_event(tx, daily, (day, source, target, code), n, outlet)?;
        for e in events {
            insert_mention(tx, event, article, outlet, e)?;
        }
    }
    // Events the old version of the article alone reported, and the new one does not.
    for event in emptied {
        let gone = tx
            .prepare_cached(
                "DELETE FROM events WHERE id = ?1 AND mentions = 0
                 RETURNING date, source, target, quad, goldstein10",
            )?
            .query_row([event], |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })
            .optional()?;
        if let Some((Some(day), source, target, quad, goldstein10)) = gone {
            daily
                .entry((source, target, day))
                .or_default()
                .event(-1, quad, goldstein10);
        }
    }
    Ok(outcome)
}

/// Finds or creates the event with this key and counts `n` new mentions of it from one
/// article of `outlet` (an article that had none before).
///
/// An undated event (`day` is `None`) is only found again when it has no mentions left:
/// then it is one the same article reported before being replaced (events left empty by
/// another article are deleted before the next article is stored).
fn add_event(
    tx: &Connection,
    daily: &mut BTreeMap<DailyKey, DailyDelta>,
    (day, source, target, code): (Option<i64>, i64, i64, &str),
    n: i64,
    outlet: i64,
) -> Result<i64> {
    let mut delta = day.map(|day| daily.entry((source, target, day)).or_default());
    if let Some(d) = delta.as_deref_mut() {
        d.mentions += n;
    }
    let find = match day {
        Some(_) => {
            "SELECT id FROM events WHERE date = ?1 AND source = ?2 AND target = ?3 AND code = ?4"
        }
        None => {
            "SELECT id FROM events WHERE date IS ?1 AND source = ?2 AND target = ?3 AND code = ?4
             AND mentions = 0"
        }
    };
    let found = tx
        .prepare_cached(find)?
        .query_row(params![day, source, target, code], |r| r.get::<_, i64>(0))
        .optional()?;
    if let Some(id) = found {
        let outlet_seen = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM mentions WHERE event = ?1 AND outlet = ?2)",
            )?
            .query_row([id, outlet], |r| r.get::<_, bool>(0))?;
        tx.prepare_cached(
            "UPDATE events SET mentions = mentions + ?2, articles = articles + 1,
             sources = sources + ?3 WHERE id = ?1",
        )?
        .execute(params![id, n, i64::from(!outlet_seen)])?;
        return Ok(id);
    }
    let cameo = dyad_ontology::resolve_cameo(code);
    let root = cameo.map(|c| i64::from(c.root_number()));
    let quad = cameo.map(|c| i64::from(c.quad_class.number()));
    let goldstein10 = cameo.map(|c| (f64::from(c.goldstein) * 10.0).round() as i64);
    tx.prepare_cached(
        "INSERT INTO events (date, source, target, code, root, quad, goldstein10, mentions, sources, articles)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, 1)",
    )?
    .execute(params![day, source, target, code, root, quad, goldstein10, n])?;
    if let Some(d) = delta {
        d.event(1, quad, goldstein10);
    }
    Ok(tx.last_insert_rowid())
}

fn insert_mention(
    tx: &Connection,
    event: i64,
    article: i64,
    outlet: i64,
    e: &EventInput,
) -> Result<()> {
    let ev = &e.event;
    let span = |s: Option<dyad_types::CharSpan>| (s.map(|s| int(s.start)), s.map(|s| int(s.end)));
    let (ss, se) = span(ev.source.span);
    let (ts, te) = span(ev.target.span);
    let (vs, ve) = span(ev.verb_span);
    let entries = |v: &[SourceRef]| serde_json::to_string(v);
    let json_err = |e: serde_json::Error| Error::corrupt(format!("cannot encode evidence: {e}"));
    tx.prepare_cached(
        "INSERT INTO mentions (event, article, outlet, sentence, sentence_id, event_date,
            source_code, source_tok_start, source_tok_end, source_span_start, source_span_end, source_entries,
            target_code, target_tok_start, target_tok_end, target_span_start, target_span_end, target_entries,
            code, verb_tok_start, verb_tok_end, verb_span_start, verb_span_end,
            pattern, pattern_file, pattern_line, issues)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
    )?
    .execute(params![
        event,
        article,
        outlet,
        int(e.sentence),
        ev.sentence_id,
        ev.date.map(|d| d.days_since_epoch()),
        ev.source.code,
        int(ev.source.tokens.0),
        int(ev.source.tokens.1),
        ss,
        se,
        entries(&ev.source.entries).map_err(json_err)?,
        ev.target.code,
        int(ev.target.tokens.0),
        int(ev.target.tokens.1),
        ts,
        te,
        entries(&ev.target.entries).map_err(json_err)?,
        ev.code,
        int(ev.verb_tokens.0),
        int(ev.verb_tokens.1),
        vs,
        ve,
        ev.pattern,
        ev.pattern_entry.as_ref().map(|p| p.file.as_ref()),
        ev.pattern_entry.as_ref().map(|p| p.line),
        serde_json::to_string(&ev.issues).map_err(json_err)?,
    ])?;
    Ok(())
}

/// Deletes every mention of `article` and takes them out of the event and daily counts.
///
/// Events left without mentions stay, with zero counts, so that the new version of the
/// article can take them up again under the same id; their ids are returned and the caller
/// deletes those still empty.
fn remove_mentions(
    tx: &Connection,
    daily: &mut BTreeMap<DailyKey, DailyDelta>,
    article: i64,
) -> Result<Vec<i64>> {
    let affected: Vec<(i64, i64, i64)> = tx
        .prepare_cached(
            "SELECT event, outlet, count(*) FROM mentions WHERE article = ?1 GROUP BY event, outlet ORDER BY event",
        )?
        .query_map([article], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    tx.prepare_cached("DELETE FROM mentions WHERE article = ?1")?
        .execute([article])?;
    let mut emptied = Vec::new();
    for (event, outlet, n) in affected {
        let (day, source, target, mentions): (Option<i64>, i64, i64, i64) = tx
            .prepare_cached("SELECT date, source, target, mentions FROM events WHERE id = ?1")?
            .query_row([event], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        if let Some(day) = day {
            daily.entry((source, target, day)).or_default().mentions -= n;
        }
        if mentions < n {
            return Err(Error::corrupt(format!(
                "event {event} counts {mentions} mentions, {n} were removed"
            )));
        }
        if mentions == n {
            emptied.push(event);
        }
        let outlet_left = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM mentions WHERE event = ?1 AND outlet = ?2)",
            )?
            .query_row([event, outlet], |r| r.get::<_, bool>(0))?;
        tx.prepare_cached(
            "UPDATE events SET mentions = mentions - ?2, articles = articles - 1,
             sources = sources - ?3 WHERE id = ?1",
        )?
        .execute(params![event, n, i64::from(!outlet_left)])?;
    }
    Ok(emptied)
}

/// Applies the summed `daily` changes of a transaction to `daily` and to the all-time
/// `dyads` totals; rows left without events go.
fn flush_daily(tx: &Connection, daily: &BTreeMap<DailyKey, DailyDelta>) -> Result<()> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO daily (source, target, date, events, mentions, q1, q2, q3, q4, goldstein10)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (source, target, date) DO UPDATE SET
            events = events + excluded.events, mentions = mentions + excluded.mentions,
            q1 = q1 + excluded.q1, q2 = q2 + excluded.q2, q3 = q3 + excluded.q3,
            q4 = q4 + excluded.q4, goldstein10 = goldstein10 + excluded.goldstein10",
    )?;
    let mut prune = tx.prepare_cached(
        "DELETE FROM daily WHERE source = ?1 AND target = ?2 AND date = ?3 AND events <= 0",
    )?;
    let mut totals: BTreeMap<(i64, i64), (i64, i64)> = BTreeMap::new();
    for (&(source, target, day), d) in daily {
        if *d == DailyDelta::default() {
            continue;
        }
        let [q1, q2, q3, q4] = d.quad;
        upsert.execute(params![
            source,
            target,
            day,
            d.events,
            d.mentions,
            q1,
            q2,
            q3,
            q4,
            d.goldstein10
        ])?;
        if d.events < 0 {
            prune.execute([source, target, day])?;
        }
        let t = totals.entry((source, target)).or_default();
        t.0 += d.events;
        t.1 += d.mentions;
    }
    let mut upsert = tx.prepare_cached(
        "INSERT INTO dyads (source, target, events, mentions) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (source, target) DO UPDATE SET
            events = events + excluded.events, mentions = mentions + excluded.mentions",
    )?;
    let mut prune =
        tx.prepare_cached("DELETE FROM dyads WHERE source = ?1 AND target = ?2 AND events <= 0")?;
    for ((source, target), (events, mentions)) in totals {
        if (events, mentions) == (0, 0) {
            continue;
        }
        upsert.execute([source, target, events, mentions])?;
        if events < 0 {
            prune.execute([source, target])?;
        }
    }
    Ok(())
}

fn intern_actor(tx: &Connection, ids: &mut IdCache, code: &str) -> Result<i64> {
    if let Some(&id) = ids.actors.get(code) {
        return Ok(id);
    }
    let found = tx
        .prepare_cached("SELECT id FROM actors WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?;
    let id = match found {
        Some(id) => id,
        None => {
            let country = dyad_ontology::split_actor_code(code)
                .and_then(|p| p.country)
                .map(|c| c.code);
            tx.prepare_cached("INSERT INTO actors (code, country) VALUES (?1, ?2)")?
                .execute(params![code, country])?;
            tx.last_insert_rowid()
        }
    };
    ids.actors.insert(code.to_string(), id);
    Ok(id)
}

fn intern_outlet(tx: &Connection, ids: &mut IdCache, name: &str) -> Result<i64> {
    intern_name(
        tx,
        &mut ids.outlets,
        name,
        "SELECT id FROM outlets WHERE name = ?1",
        "INSERT INTO outlets (name) VALUES (?1)",
    )
}

fn intern_coder(tx: &Connection, ids: &mut IdCache, version: &str) -> Result<i64> {
    intern_name(
        tx,
        &mut ids.coders,
        version,
        "SELECT id FROM coders WHERE version = ?1",
        "INSERT INTO coders (version) VALUES (?1)",
    )
}

fn intern_name(
    tx: &Connection,
    cache: &mut HashMap<String, i64>,
    name: &str,
    select: &str,
    insert: &str,
) -> Result<i64> {
    if let Some(&id) = cache.get(name) {
        return Ok(id);
    }
    let found = tx
        .prepare_cached(select)?
        .query_row([name], |r| r.get(0))
        .optional()?;
    let id = match found {
        Some(id) => id,
        None => {
            tx.prepare_cached(insert)?.execute([name])?;
            tx.last_insert_rowid()
        }
    };
    cache.insert(name.to_string(), id);
    Ok(id)
}
