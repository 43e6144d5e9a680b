//! The error type for malformed ontology tables.

/// A table row that could not be read: which file, which line, and why.
///
/// The tables compiled into the crate are checked by the crate's own
/// tests, so this error only surfaces if an embedded file is edited
/// carelessly.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct DataError {
    /// Name of the table file: as it sits under the crate's `data/`, or
    /// relative to the workspace root for the actor dictionary the country
    /// table reads (`dictionaries/actors/countries.dyad`).
    pub file: &'static str,
    /// 1-based line number of the offending row.
    pub line: usize,
    /// What is wrong with the row, in lowercase words.
    pub reason: String,
}

impl DataError {
    pub(crate) fn new(file: &'static str, line: usize, reason: impl Into<String>) -> Self {
        DataError {
            file,
            line,
            reason: reason.into(),
        }
    }
}
