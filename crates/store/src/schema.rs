//! The database layout, its version stamp and connection settings.

use rusqlite::Connection;

use crate::error::{Error, ErrorKind, Result};

/// Version of the database layout, stamped in `PRAGMA user_version`.
///
/// Bump it whenever a table, column, index or the meaning of a stored value changes. A
/// database with another version is refused with [`ErrorKind::IncompatibleFormat`], except
/// older versions this build upgrades when it opens them (version 1).
///
/// * 1: first layout.
/// * 2: `events.date` may be NULL (events whose date is unknown).
pub const FORMAT_VERSION: i64 = 2;

/// `PRAGMA application_id` of a dyad store: "dyad" in ASCII.
pub(crate) const APPLICATION_ID: i64 = 0x6479_6164;

/// The `events` table under a given name. `date` is NULL when the event's date is unknown;
/// such events are never merged with others (SQLite's unique indexes let NULLs repeat).
macro_rules! events_table {
    ($name:literal) => {
        concat!(
            "CREATE TABLE ",
            $name,
            " (
    id          INTEGER PRIMARY KEY,
    date        INTEGER,
    source      INTEGER NOT NULL REFERENCES actors (id),
    target      INTEGER NOT NULL REFERENCES actors (id),
    code        TEXT NOT NULL,
    root        INTEGER,
    quad        INTEGER,
    goldstein10 INTEGER,
    mentions    INTEGER NOT NULL,
    sources     INTEGER NOT NULL,
    articles    INTEGER NOT NULL
);
"
        )
    };
}

/// The layout. Dates are days since 1970-01-01; Goldstein values are stored in tenths so
/// that sums stay exact when events are added and removed again.
const SCHEMA: &str = concat!(
    "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE actors (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    country TEXT
);
CREATE INDEX actors_country ON actors (country);

CREATE TABLE outlets (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE coders (
    id      INTEGER PRIMARY KEY,
    version TEXT NOT NULL UNIQUE
);

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    ext_id       TEXT NOT NULL UNIQUE,
    date         INTEGER,
    title        TEXT NOT NULL,
    url          TEXT NOT NULL,
    outlet       INTEGER NOT NULL REFERENCES outlets (id),
    content_hash INTEGER NOT NULL,
    text_len     INTEGER NOT NULL,
    coder        INTEGER NOT NULL REFERENCES coders (id)
);

CREATE TABLE sentences (
    article INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (article, idx)
) WITHOUT ROWID;

",
    events_table!("events"),
    "
CREATE UNIQUE INDEX events_key ON events (date, source, target, code);

CREATE TABLE mentions (
    id                 INTEGER PRIMARY KEY,
    event              INTEGER NOT NULL REFERENCES events (id),
    article            INTEGER NOT NULL,
    outlet             INTEGER NOT NULL,
    sentence           INTEGER NOT NULL,
    sentence_id        TEXT NOT NULL,
    event_date         INTEGER,
    source_code        TEXT NOT NULL,
    source_tok_start   INTEGER NOT NULL,
    source_tok_end     INTEGER NOT NULL,
    source_span_start  INTEGER,
    source_span_end    INTEGER,
    source_entries     TEXT NOT NULL,
    target_code        TEXT NOT NULL,
    target_tok_start   INTEGER NOT NULL,
    target_tok_end     INTEGER NOT NULL,
    target_span_start  INTEGER,
    target_span_end    INTEGER,
    target_entries     TEXT NOT NULL,
    code               TEXT NOT NULL,
    verb_tok_start     INTEGER NOT NULL,
    verb_tok_end       INTEGER NOT NULL,
    verb_span_start    INTEGER,
    verb_span_end      INTEGER,
    pattern            TEXT NOT NULL,
    pattern_file       TEXT,
    pattern_line       INTEGER,
    issues             TEXT NOT NULL,
    FOREIGN KEY (article, sentence) REFERENCES sentences (article, idx)
);
CREATE INDEX mentions_event ON mentions (event, outlet, article);
CREATE INDEX mentions_article ON mentions (article, sentence);

CREATE TABLE daily (
    source      INTEGER NOT NULL,
    target      INTEGER NOT NULL,
    date        INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    mentions    INTEGER NOT NULL,
    q1          INTEGER NOT NULL,
    q2          INTEGER NOT NULL,
    q3          INTEGER NOT NULL,
    q4          INTEGER NOT NULL,
    goldstein10 INTEGER NOT NULL,
    PRIMARY KEY (source, target, date)
) WITHOUT ROWID;
CREATE INDEX daily_date ON daily (date);

CREATE TABLE dyads (
    source   INTEGER NOT NULL,
    target   INTEGER NOT NULL,
    events   INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (source, target)
) WITHOUT ROWID;
"
);

/// Settings every connection gets.
pub(crate) fn configure(
    conn: &Connection,
    durability: crate::Durability,
    cache_kib: i64,
) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    let sync = match durability {
        crate::Durability::Full => "FULL",
        crate::Durability::Normal => "NORMAL",
    };
    conn.pragma_update(None, "synchronous", sync)?;
    // Page cache per connection, in KiB: the writer's hot pages are the right edges of
    // the time-ordered indexes plus the daily summary, which is touched all over.
    conn.pragma_update(None, "cache_size", -cache_kib)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Creates the layout in an empty database, or checks the stamp of an existing one.
pub(crate) fn init_or_check(conn: &mut Connection, file_backed: bool) -> Result<()> {
    if file_backed {
        // WAL: readers keep reading a consistent snapshot while the writer commits.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::corrupt(format!(
                "cannot switch to WAL mode (got {mode})"
            )));
        }
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let app: i64 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let tables: i64 = tx.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    if version == 0 && app == 0 && tables == 0 {
        tx.execute_batch(SCHEMA)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('created_by', ?1)",
            [concat!("dyad-store ", env!("CARGO_PKG_VERSION"))],
        )?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", FORMAT_VERSION)?;
        tx.commit()?;
        return Ok(());
    }
    if app != APPLICATION_ID {
        return Err(ErrorKind::NotAStore {
            application_id: app,
        }
        .into());
    }
    if version == 1 {
        drop(tx);
        return migrate(conn);
    }
    if version != FORMAT_VERSION {
        return Err(ErrorKind::IncompatibleFormat {
            found: version,
            expected: FORMAT_VERSION,
        }
        .into());
    }
    Ok(())
}

/// Upgrades a version 1 store to the current layout in one transaction: `events` is
/// rebuilt with a nullable `date` (SQLite cannot drop a NOT NULL constraint in place).
/// Ids and every value are kept; nothing else changes.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    // `events` is referenced by `mentions`: the table swap is done with foreign keys off
    // (a pragma that only takes effect outside a transaction), then checked by hand.
    conn.pragma_update(None, "foreign_keys", false)?;
    let result = (|| -> Result<()> {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have upgraded the store meanwhile.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == FORMAT_VERSION {
            return Ok(());
        }
        tx.execute_batch(concat!(
            events_table!("events_v2"),
            "INSERT INTO events_v2 (id, date, source, target, code, root, quad, goldstein10,
                                   mentions, sources, articles)
             SELECT id, date, source, target, code, root, quad, goldstein10,
                    mentions, sources, articles FROM events;
             DROP TABLE events;
             ALTER TABLE events_v2 RENAME TO events;
             CREATE UNIQUE INDEX events_key ON events (date, source, target, code);"
        ))?;
        let broken: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken != 0 {
            return Err(Error::corrupt(format!(
                "upgrade from format 1 would break {broken} foreign keys"
            )));
        }
        tx.pragma_update(None, "user_version", FORMAT_VERSION)?;
        tx.commit()?;
        Ok(())
    })();
    conn.pragma_update(None, "foreign_keys", true)?;
    result
}
