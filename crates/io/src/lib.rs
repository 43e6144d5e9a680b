//! Readers and writers for the field's input and output formats (PETRARCH XML, Penn
//! Treebank, CoNLL-U, PETRARCH config and event lines).
//!
//! # Overview
//!
//! * [`parse_petrarch_xml`] / [`read_petrarch_file`] read a PETRARCH sentence file into a
//!   [`PetrarchFile`]: its [`Environment`], and one `Result<`[`Record`]`, `[`RecordError`]`>`
//!   per `<Sentence>`. A [`Record`] holds the [`ParsedSentence`](dyad_types::ParsedSentence)
//!   the coder works on (tokens with UD dependencies and character spans into the
//!   normalised text) and the expected events. A broken record is reported with file, line
//!   and reason, and reading goes on. Malformed XML is read tolerantly.
//! * [`parse_treebank`] reads a Penn Treebank tree and derives UD dependencies from it
//!   ([`derive_dependencies`]); [`penn_to_upos`] and [`unescape_treebank`] help.
//! * [`align_tokens`] finds each token in the sentence text and fills its span.
//! * [`parse_conllu`], [`to_conllu`]/[`write_conllu`] and [`normalize_ud_v1`] handle
//!   CoNLL-U.
//! * [`parse_petrarch_config`] reads `PETR_config.ini`; [`CodingOptions`] holds the
//!   options and also takes `<Config>` elements.
//! * [`format_event_line`] writes PETRARCH-2's tab-separated event lines.
//! * [`ArticleReader`] reads raw news articles for `dyad code` (JSON Lines, streamed; plain
//!   text; PETRARCH XML), one [`Article`] or [`Reject`] at a time.
//! * [`output`] writes coded events ([`output::EventRecord`]) as dyad JSON Lines, PETRARCH-2
//!   lines, Phoenix or GDELT columns, with [`output::AtomicFile`] and
//!   [`output::Deduplicator`].
//!
//! # Example
//!
//! ```
//! let xml = r#"<Sentences>
//! <Sentence date="20080804" id="S-1" category="DEMO">
//! <Text>
//!   Arnor urged Gondor to withdraw
//!   its troops.
//! </Text>
//! <Parse>
//! (ROOT (S (NP (NNP Arnor))
//!   (VP (VBD urged) (S (NP (NNP Gondor)) (VP (TO to) (VP (VB withdraw) (NP (PRP$ its) (NNS troops))))))
//!   (. .)))
//! </Parse>
//! </Sentence>
//! </Sentences>"#;
//! let file = dyad_io::parse_petrarch_xml(xml, "demo.xml", &dyad_io::ReadOptions::default());
//! let record = file.records[0].clone()?;
//! let s = &record.sentence;
//! assert_eq!(s.text, "Arnor urged Gondor to withdraw its troops.");
//! // "Gondor" (token 3) is the object of "urged" (token 2) ...
//! assert_eq!((s.tokens[2].head, s.tokens[2].deprel.as_str()), (2, "obj"));
//! // ... and it is characters 12..18 of the text (spans count characters, not bytes).
//! let span = s.tokens[2].span.unwrap();
//! assert_eq!((span.start, span.end), (12, 18));
//! let word: String = s.text.chars().skip(span.start).take(span.end - span.start).collect();
//! assert_eq!(word, "Gondor");
//! # Ok::<(), dyad_io::RecordError>(())
//! ```
#![deny(missing_docs)]

mod align;
mod articles;
mod config;
mod conllu;
mod deps;
mod error;
mod events;
pub mod output;
mod petrarch;
mod treebank;
mod xml;

pub use align::{align_tokens, align_tokens_lenient, normalize_whitespace, AlignError};
pub use articles::{
    petrarch_articles, read_text_article, story_id, Article, ArticleOptions, ArticleReader,
    GivenSentence, InputFormat, InputSource, JsonlArticles, Reject, RejectReason,
    UnknownInputFormat, DEFAULT_MAX_TEXT_BYTES,
};
pub use config::{
    parse_petrarch_config, read_petrarch_config, CodingOptions, OptionError, PetrConfig,
};
pub use conllu::{
    normalize_ud_v1, parse_conllu, parse_conllu_sentence, read_conllu_file, to_conllu,
    write_conllu, ConlluSentence, MultiwordToken,
};
pub use deps::derive_dependencies;
pub use error::{
    ConlluError, ConlluErrorKind, Error, Location, RecordError, RecordErrorKind, TreebankError,
    Warning,
};
pub use events::{format_event_line, merge_story_events, EventLineOptions, LineContext};
pub use petrarch::{
    parse_petrarch_xml, read_petrarch_file, ConfigOption, Environment, ExpectedEvent, ParseFormat,
    PetrarchFile, ReadOptions, Record,
};
pub use treebank::{
    parse_treebank, penn_to_upos, read_tree, unescape_treebank, TreebankParse, MAX_DEPTH,
};

#[cfg(test)]
mod send_sync {
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<super::PetrarchFile>();
        assert_send_sync::<super::Record>();
        assert_send_sync::<super::RecordError>();
        assert_send_sync::<super::Error>();
        assert_send_sync::<super::PetrConfig>();
        assert_send_sync::<super::ConlluSentence>();
        assert_send_sync::<super::TreebankParse>();
        assert_send_sync::<super::Article>();
        assert_send_sync::<super::Reject>();
        assert_send_sync::<super::output::EventRecord<'static>>();
        assert_send_sync::<super::output::FormatError>();
        fn assert_send<T: Send>() {}
        assert_send::<super::ArticleReader>();
    }
}
