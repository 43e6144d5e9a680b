//! Embedded event store of dyad: coded articles in, dyad series and event queries out.
//!
//! # Overview
//!
//! * [`Store`]: a database file (SQLite, WAL mode) or an in-memory database. It hands out
//!   one [`Writer`] at a time and any number of [`Reader`]s, as tantivy hands out one
//!   `IndexWriter` and many searchers.
//! * [`Writer::ingest`] / [`Writer::ingest_batch`] store [`ArticleInput`]s (an article with
//!   its sentences and coded events) atomically. Re-ingesting the same text with the same
//!   coder version changes nothing; other text or another coder version replaces the
//!   article's events.
//! * Events with the same date, source, target and CAMEO code are one event, whatever the
//!   number of articles reporting it, with GDELT-style counts (mentions, sources, articles);
//!   each mention stays reachable with its evidence ([`Reader::mentions`]).
//! * [`Reader`] answers dyad time series ([`Reader::dyad_series`]) from a daily summary kept
//!   by the writer, top dyads, filtered and paginated event lists ([`Reader::events`]).
//! * [`Reader::scan_events`] streams every event from one snapshot in bounded memory;
//!   `Reader::export_parquet` (Cargo feature `parquet`, on by default) writes them as
//!   Parquet files partitioned Hive-style by month, for Spark, DuckDB or BigQuery.
//! * Events with no date (none of their own, none on the article) are kept with an unknown
//!   [`EventDate`]: returned by event queries and exports, counted in [`Stats`], left out
//!   of the daily summaries and series.
//!
//! The store does not code text: the coder does, and hands over the result.
//!
//! # Example
//!
//! ```
//! use dyad_store::{ArticleInput, DateRange, EventInput, IngestOutcome, Interval, Store};
//! use dyad_types::{ActorMention, Date, Event};
//!
//! let store = Store::open_in_memory()?;
//! let mut writer = store.writer()?;
//! let actor = |code: &str| ActorMention { code: code.into(), ..Default::default() };
//! let article = ArticleInput {
//!     id: "afp-1".into(),
//!     date: Some(Date::new(2024, 3, 5)?),
//!     source: "AFP".into(),
//!     text: "China accused Japan of provocation.".into(),
//!     sentences: vec!["China accused Japan of provocation.".into()],
//!     events: vec![EventInput {
//!         sentence: 0,
//!         event: Event { source: actor("CHNGOV"), target: actor("JPN"), code: "112".into(), ..Default::default() },
//!     }],
//!     coder_version: "dyad 0.1 / cameo 1.1b3".into(),
//!     ..Default::default()
//! };
//! assert_eq!(writer.ingest(&article)?, IngestOutcome::Inserted);
//! assert_eq!(writer.ingest(&article)?, IngestOutcome::Unchanged);
//!
//! let reader = store.reader()?;
//! let series = reader.dyad_series("CHNGOV", "JPN", Interval::Month, DateRange::ALL)?;
//! assert_eq!(series.len(), 1);
//! assert_eq!(series[0].start, Date::new(2024, 3, 1)?);
//! assert_eq!(series[0].quad, [0, 0, 1, 0]); // 112 (accuse) is verbal conflict
//! assert_eq!(series[0].goldstein_sum, -2.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Durability
//!
//! With the default [`Durability::Full`], SQLite syncs the write-ahead log at every commit:
//! once `ingest` returns `Ok`, the articles survive a process crash and a power loss.
//! [`Durability::Normal`] survives a process crash only (a power loss may lose the last
//! commits, never consistency). See the crate README for measurements.
#![deny(missing_docs)]

mod calendar;
mod error;
#[cfg(feature = "parquet")]
mod export;
mod hash;
mod input;
mod reader;
mod schema;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};

pub use error::{Error, ErrorKind, Result};
#[cfg(feature = "parquet")]
pub use export::{ExportSummary, EXPORT_COLUMNS, EXPORT_SCHEMA_ID, NULL_PARTITION};
pub use hash::content_hash;
pub use input::{ArticleInput, EventInput, IngestOutcome};
pub use reader::{
    Cursor, DateRange, DyadTotal, EventDate, EventId, EventPage, EventQuery, EventScan, Interval,
    Mention, RankBy, Reader, SeriesBucket, Stats, StoredArticle, StoredEvent, MAX_LIMIT,
};
pub use schema::FORMAT_VERSION;
pub use writer::Writer;

/// Page cache of the writer's connection, in KiB.
const WRITER_CACHE_KIB: i64 = 256 * 1024;
/// Page cache of each reader's connection, in KiB.
const READER_CACHE_KIB: i64 = 64 * 1024;

/// How hard a commit tries to reach the disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Durability {
    /// `synchronous=FULL`: a commit is on disk when `ingest` returns (survives power loss).
    #[default]
    Full,
    /// `synchronous=NORMAL`: a commit survives a crash of the process, but the last ones
    /// may be lost on power loss or an OS crash. Faster for many small commits.
    Normal,
}

/// Options for [`Store::open_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StoreOptions {
    /// Commit durability; [`Durability::Full`] by default.
    pub durability: Durability,
}

/// An event store: a file or an in-memory database. Cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct Store {
    shared: Arc<Shared>,
}

/// What a store and all its handles share.
pub(crate) struct Shared {
    location: Location,
    options: StoreOptions,
    writer_open: AtomicBool,
    // An in-memory database lives as long as one connection to it: this one.
    _anchor: Mutex<Option<Connection>>,
}

enum Location {
    File(PathBuf),
    Memory(String),
}

impl Shared {
    pub(crate) fn release_writer(&self) {
        self.writer_open.store(false, Ordering::Release);
    }
}

impl Store {
    /// Opens the store at `path`, creating it if the file does not exist.
    ///
    /// Fails with [`ErrorKind::IncompatibleFormat`] for a store of another
    /// [`FORMAT_VERSION`] and [`ErrorKind::NotAStore`] for another SQLite database.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(path, StoreOptions::default())
    }

    /// [`Store::open`] with options.
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<Store> {
        let store = Store::from_location(Location::File(path.as_ref().to_path_buf()), options);
        let mut conn = store.connect(READER_CACHE_KIB)?;
        schema::init_or_check(&mut conn, true)?;
        Ok(store)
    }

    /// A new, empty store in memory, gone when the store and its handles are dropped.
    ///
    /// Its reader and writer connections share one cache: a reader query waits for (or
    /// fails on) a writer transaction in progress rather than reading a snapshot.
    pub fn open_in_memory() -> Result<Store> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let uri = format!(
            "file:dyad-store-{}-{n}?mode=memory&cache=shared",
            std::process::id()
        );
        let anchor = open_connection(&uri)?;
        let store = Store::from_location(Location::Memory(uri), StoreOptions::default());
        let mut conn = store.connect(READER_CACHE_KIB)?;
        schema::init_or_check(&mut conn, false)?;
        if let Ok(mut slot) = store.shared._anchor.lock() {
            *slot = Some(anchor);
        }
        Ok(store)
    }

    fn from_location(location: Location, options: StoreOptions) -> Store {
        Store {
            shared: Arc::new(Shared {
                location,
                options,
                writer_open: AtomicBool::new(false),
                _anchor: Mutex::new(None),
            }),
        }
    }

    fn connect(&self, cache_kib: i64) -> Result<Connection> {
        let conn = match &self.shared.location {
            Location::File(p) => Connection::open_with_flags(
                p,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|source| ErrorKind::Open {
                path: p.clone(),
                source,
            })?,
            Location::Memory(uri) => open_connection(uri)?,
        };
        schema::configure(&conn, self.shared.options.durability, cache_kib)?;
        Ok(conn)
    }

    /// The writer. Only one exists at a time: a second call while it is alive fails with
    /// [`ErrorKind::WriterBusy`]. (Writers in other processes wait on SQLite's lock.)
    pub fn writer(&self) -> Result<Writer> {
        if self.shared.writer_open.swap(true, Ordering::AcqRel) {
            return Err(ErrorKind::WriterBusy.into());
        }
        match self.connect(WRITER_CACHE_KIB) {
            Ok(conn) => Ok(Writer::new(conn, Arc::clone(&self.shared))),
            Err(e) => {
                self.shared.release_writer();
                Err(e)
            }
        }
    }

    /// A new reader.
    pub fn reader(&self) -> Result<Reader> {
        let conn = self.connect(READER_CACHE_KIB)?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(Reader::new(conn, Arc::clone(&self.shared)))
    }
}

fn open_connection(uri: &str) -> Result<Connection> {
    Ok(Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?)
}

#[cfg(test)]
mod tests;
