//! What the writer takes: coded articles.

use dyad_types::{Date, Event};

/// One coded article, ready to store.
///
/// The store does not code text: `sentences` and `events` come from the coder. The article
/// text itself is not stored, only its [`content_hash`](ArticleInput::content_hash) and
/// length; the sentences are stored and hold what the events cite.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleInput {
    /// Stable identifier of the article (unique in the store).
    pub id: String,
    /// Publication date; events without their own date take this one.
    pub date: Option<Date>,
    /// Headline.
    pub title: String,
    /// Where the article was found.
    pub url: String,
    /// The outlet that published it ("source" in GDELT terms: counted by `sources`).
    pub source: String,
    /// The full text, hashed to detect changes.
    pub text: String,
    /// The sentences the coder worked on, in order.
    pub sentences: Vec<String>,
    /// The coded events.
    pub events: Vec<EventInput>,
    /// Version of the coder, dictionaries and models that produced `events`.
    pub coder_version: String,
}

impl ArticleInput {
    /// The FNV-1a 64-bit hash of [`text`](ArticleInput::text); see [`crate::content_hash`].
    pub fn content_hash(&self) -> u64 {
        crate::content_hash(&self.text)
    }
}

/// A coded event and the sentence it came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventInput {
    /// Index into [`ArticleInput::sentences`].
    pub sentence: usize,
    /// The event with its evidence.
    pub event: Event,
}

/// What [`Writer::ingest`](crate::Writer::ingest) did with an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IngestOutcome {
    /// The article was new.
    Inserted,
    /// The article was stored with other text or by another coder version; its events
    /// were replaced.
    Replaced,
    /// The article was stored with the same text and coder version; nothing changed.
    Unchanged,
}
