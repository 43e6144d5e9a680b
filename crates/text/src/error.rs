//! The crate's error type.

use std::path::PathBuf;

/// What can go wrong in the text layer: reading treebanks, loading or training models.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A CoNLL-U line could not be read.
    #[error("{file}:{line}: {reason}")]
    Conllu {
        /// The file (or other source name).
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Model data is missing, corrupt or of another version.
    #[error("{0}")]
    Model(String),
    /// Training could not run (for example: no training sentences).
    #[error("training: {0}")]
    Training(String),
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
