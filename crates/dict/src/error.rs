//! Load errors and diagnostics.

use std::fmt;
use std::path::PathBuf;

use dyad_types::SourceRef;

/// A problem with one dictionary entry: where it is and what is wrong with it.
///
/// Displays as `file:line: reason`, the form compilers use, so editors can jump to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file and line of the offending entry.
    pub at: SourceRef,
    /// Why the entry was rejected (lowercase, no trailing period).
    pub reason: String,
}

impl Diagnostic {
    /// A diagnostic for `at` with the given reason.
    pub fn new(at: SourceRef, reason: impl Into<String>) -> Diagnostic {
        Diagnostic {
            at,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

/// Why dictionaries could not be loaded.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

/// The kinds of load error.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A dictionary file could not be read.
    Io {
        /// The file as it was given to the builder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An entry was malformed and the builder was in strict mode
    /// ([`DictionaryBuilder::strict`](crate::DictionaryBuilder::strict)).
    Malformed(Diagnostic),
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn io(path: PathBuf, source: std::io::Error) -> Error {
        Error {
            kind: ErrorKind::Io { path, source },
        }
    }

    pub(crate) fn malformed(d: Diagnostic) -> Error {
        Error {
            kind: ErrorKind::Malformed(d),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Io { path, source } => {
                write!(f, "cannot read dictionary {}: {}", path.display(), source)
            }
            ErrorKind::Malformed(d) => write!(f, "{d}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            ErrorKind::Malformed(_) => None,
        }
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Collects diagnostics while one file is read; in strict mode the first one is an error.
pub(crate) struct Sink {
    pub(crate) strict: bool,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) first_error: Option<Diagnostic>,
}

impl Sink {
    pub(crate) fn new(strict: bool) -> Sink {
        Sink {
            strict,
            diagnostics: Vec::new(),
            first_error: None,
        }
    }

    /// Records a problem; the entry is skipped by the caller.
    pub(crate) fn report(&mut self, at: SourceRef, reason: impl Into<String>) {
        let d = Diagnostic::new(at, reason);
        if self.strict && self.first_error.is_none() {
            self.first_error = Some(d.clone());
        }
        self.diagnostics.push(d);
    }
}
