use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{CharSpan, Date};

/// Where a dictionary entry came from: its file and 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    /// File name as given to the loader (or `<default>/name` for embedded dictionaries).
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: u32,
}

impl std::fmt::Display for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// An actor as it was found in a sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorMention {
    /// The full actor code (`CHNGOV`), empty when the slot is unfilled (`---` in PETRARCH).
    pub code: String,
    /// Token range `[start, end)` of the words that named the actor.
    pub tokens: (usize, usize),
    /// Character span of those words in the sentence text, when known.
    pub span: Option<CharSpan>,
    /// Dictionary entries that produced the code (the actor, then any agents).
    pub entries: Vec<SourceRef>,
}

impl ActorMention {
    /// True when no actor fills this slot.
    pub fn is_null(&self) -> bool {
        self.code.is_empty() || self.code == "---"
    }
}

/// One coded event: who did what to whom, and the evidence for it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Identifier of the sentence the event came from.
    pub sentence_id: String,
    /// Date of the sentence, when known.
    pub date: Option<Date>,
    /// Who acted.
    pub source: ActorMention,
    /// Who was acted upon.
    pub target: ActorMention,
    /// CAMEO event code (`0231`), as the dictionary gave it.
    pub code: String,
    /// Token range `[start, end)` of the verb (and its particles).
    pub verb_tokens: (usize, usize),
    /// Character span of the verb in the sentence text, when known.
    pub verb_span: Option<CharSpan>,
    /// The dictionary pattern that matched, as written in its file.
    pub pattern: String,
    /// Where that pattern is defined.
    pub pattern_entry: Option<SourceRef>,
    /// Issue codes with their counts (`NUCLEAR`, 1), from the issues dictionary.
    pub issues: Vec<(String, u32)>,
}
