//! The store's error type.

use std::fmt;

use dyad_types::Date;

/// A store operation failed. Inspect the cause with [`Error::kind`].
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// SQLite reported an error (I/O, locking, corruption, ...).
    #[error("sqlite: {0}")]
    Sqlite(#[source] rusqlite::Error),
    /// The database file could not be opened.
    #[error("cannot open store {}: {source}", path.display())]
    Open {
        /// The file.
        path: std::path::PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by another format version of this crate.
    #[error(
        "incompatible store format: the database has version {found}, \
         this build reads version {expected}"
    )]
    IncompatibleFormat {
        /// Version stamped in the database (`PRAGMA user_version`).
        found: i64,
        /// Version this build reads and writes ([`crate::FORMAT_VERSION`]).
        expected: i64,
    },
    /// The file is an SQLite database, but not one of ours.
    #[error("not a dyad store: the database has application id {application_id:#x}")]
    NotAStore {
        /// Its `PRAGMA application_id`.
        application_id: i64,
    },
    /// A second [`crate::Writer`] was requested while one is alive.
    #[error("another writer is open on this store")]
    WriterBusy,
    /// A query's date range ends before it starts.
    #[error("invalid date range: {from} is after {to}")]
    InvalidDateRange {
        /// Start of the range.
        from: Date,
        /// End of the range.
        to: Date,
    },
    /// An event has no date of its own and its article has none either. Not returned
    /// since format version 2, which stores such events with an unknown date; kept so that
    /// code matching on it still compiles.
    #[error("article {article:?}, event {event}: no date on the event nor on the article")]
    MissingDate {
        /// The article's id.
        article: String,
        /// Index of the event in the article's event list.
        event: usize,
    },
    /// An event points at a sentence the article does not have.
    #[error(
        "article {article:?}, event {event}: sentence {sentence} out of range \
         (the article has {sentences})"
    )]
    SentenceOutOfRange {
        /// The article's id.
        article: String,
        /// Index of the event in the article's event list.
        event: usize,
        /// The sentence index it gave.
        sentence: usize,
        /// How many sentences the article has.
        sentences: usize,
    },
    /// A query parameter is unusable (reason given).
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// A pagination cursor could not be read.
    #[error("bad cursor: {0}")]
    BadCursor(String),
    /// An export could not be written.
    #[error("cannot export to {}: {error}", path.display())]
    Export {
        /// The file or directory.
        path: std::path::PathBuf,
        /// What failed (in the message, so not repeated as a source).
        error: std::io::Error,
    },
    /// Stored data breaks an invariant of the store (reason given).
    #[error("store data is inconsistent: {0}")]
    DataCorruption(String),
}

/// `Result` with the store's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    pub(crate) fn query(reason: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidQuery(reason.into()))
    }

    pub(crate) fn corrupt(reason: impl Into<String>) -> Error {
        Error::new(ErrorKind::DataCorruption(reason.into()))
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error { kind }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error {
            kind: ErrorKind::Sqlite(e),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}
