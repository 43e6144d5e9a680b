//! Error and warning types shared by the readers.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use dyad_types::DateError;

/// A place in an input file: its name and 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// File name as given to the reader.
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: usize,
}

impl Location {
    /// A location from its parts.
    pub fn new(file: impl Into<Arc<str>>, line: usize) -> Location {
        Location {
            file: file.into(),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// An error that stops a whole file from being read (it could not be opened).
///
/// Problems *inside* a file never produce this: they become [`RecordError`]s (the record is
/// skipped, reading goes on) or [`Warning`]s.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// Why a record could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordErrorKind {
    /// The `<Sentence>` element has no `date` attribute.
    #[error("missing date attribute")]
    MissingDate,
    /// The `date` attribute is not a valid `YYYYMMDD` date.
    #[error("bad date: {0}")]
    BadDate(DateError),
    /// The record was not closed before the next one began or the file ended.
    #[error("unterminated <{0}> element")]
    Unterminated(String),
    /// Something in the markup could not be understood.
    #[error("malformed markup: {0}")]
    Malformed(String),
    /// The `<Parse>` block is neither a Treebank tree nor CoNLL-U.
    #[error("unrecognised parse format")]
    UnknownParseFormat,
    /// The Treebank parse is broken.
    #[error("bad Treebank parse: {0}")]
    Treebank(#[from] TreebankError),
    /// The CoNLL-U parse is broken.
    #[error("bad CoNLL-U parse: {0}")]
    Conllu(ConlluErrorKind),
    /// A token of the parse could not be found in the sentence text.
    #[error("tokens don't match text: token {index} {token:?} not found after char {offset}")]
    TokensDontMatchText {
        /// 0-based index of the token.
        index: usize,
        /// Its form.
        token: String,
        /// Character offset in the text where the search began.
        offset: usize,
    },
}

/// A record that could not be read: where it is, which one it is, and why.
///
/// Reading goes on with the next record after one of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    /// Where the problem is (the line of the fault when known, else of the record start).
    pub location: Location,
    /// The record's `id` attribute, when it could be read.
    pub id: Option<String>,
    /// The `error` attribute of the record's `<EventCoding>`, when present: validation files
    /// mark records that are *meant* to fail this way (`bad_input_parse`).
    pub expected_error: Option<String>,
    /// What went wrong.
    pub kind: RecordErrorKind,
    /// `<Config>` elements that came before (or inside) the record, as in
    /// [`Record::config`](crate::Record::config): apply them even though the record is
    /// skipped, so the records after it are coded with the right options.
    pub config: Vec<crate::ConfigOption>,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{}: record {}: {}", self.location, id, self.kind),
            None => write!(f, "{}: {}", self.location, self.kind),
        }
    }
}

impl std::error::Error for RecordError {}

/// Something odd but harmless in an input file (unknown option, stray markup).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Where.
    pub location: Location,
    /// What, in a short lowercase phrase.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.location, self.message)
    }
}

/// Why a Penn Treebank bracketed parse could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TreebankError {
    /// Nothing but whitespace.
    #[error("empty parse")]
    Empty,
    /// A `)` with no matching `(` (at the given 1-based line of the parse text).
    #[error("unbalanced parentheses: extra ')' at parse line {0}")]
    ExtraClose(usize),
    /// The text ended with brackets still open.
    #[error("unbalanced parentheses: {0} '(' left open")]
    Unclosed(usize),
    /// A node with no label and no children, a word outside any bracket, or similar.
    #[error("malformed tree at parse line {line}: {reason}")]
    Malformed {
        /// 1-based line within the parse text.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The tree has no words.
    #[error("tree has no tokens")]
    NoTokens,
}

/// Why a CoNLL-U line or sentence could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConlluErrorKind {
    /// A token line does not have 10 tab-separated columns.
    #[error("expected 10 columns, found {0}")]
    Columns(usize),
    /// The ID column is not a number, range or decimal.
    #[error("bad ID {0:?}")]
    BadId(String),
    /// Token IDs are not 1, 2, 3, ... in order.
    #[error("token ID {found} out of sequence (expected {expected})")]
    Sequence {
        /// The ID expected.
        expected: usize,
        /// The ID found.
        found: usize,
    },
    /// The HEAD column is not a number or points outside the sentence.
    #[error("bad HEAD {0:?}")]
    BadHead(String),
    /// A sentence without any token lines.
    #[error("sentence has no tokens")]
    NoTokens,
}

/// A CoNLL-U problem with its location.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {kind}")]
pub struct ConlluError {
    /// File and line of the faulty line.
    pub location: Location,
    /// What is wrong.
    pub kind: ConlluErrorKind,
}
