//! The coding engine: a parsed sentence plus dictionaries to events.
//!
//! * [`CoderBuilder`] gathers the dictionaries (verbs with their patterns, actors, agents,
//!   discards, issues) and the [`CoderOptions`], and compiles them once into a [`Coder`].
//! * [`Coder`] is immutable, cheap to clone and `Send + Sync`: share it across threads.
//!   [`Coder::code`] turns a [`ParsedSentence`] into [`Event`]s; [`Coder::code_detailed`]
//!   also says why verbs did not code ([`Coding`]).
//! * [`Coder::code_in_context`] codes the sentences of one article in order through an
//!   [`ArticleContext`]: "the country" and "its army" resolve to countries named before,
//!   and agents that only modify another noun ("press briefing") name no actor.
//!
//! The coder works over the dependency analysis every [`ParsedSentence`] carries, so it
//! codes Treebank-derived, CoNLL-U and dyad's own parses alike; it never calls a parser.
//! Each event carries the sentence id, the token ranges and character spans of source,
//! verb and target, and the dictionary lines ([`dyad_types::SourceRef`]) of the pattern
//! and of every actor and agent that produced it.
//!
//! # Dictionary syntaxes
//!
//! Verb blocks remember the syntax they were written in, and the coder follows the program
//! that syntax was made for: TABARI/PETRARCH-1 patterns are matched over the words around
//! the verb and passives are reversed only with a `by` agent; PETRARCH-2 patterns are
//! matched over the subject and the verb's nominal dependents, passives are always
//! reversed, and negated verbs take their negated code when a [`CodeOntology`] is given.
//! Slash actor codes (`ELR/GAL`) are split into several actors when
//! [`CoderOptions::split_slash_codes`] is set (PETRARCH-1) and kept whole otherwise.
//! The steps of coding a sentence are listed in the `engine` module's source.
//!
//! ```
//! use dyad_coder::{CoderBuilder, CoderOptions};
//! use dyad_dict::{DictKind, DictionaryBuilder, VerbSyntax};
//! use dyad_types::{ParsedSentence, Token};
//!
//! let dicts = DictionaryBuilder::new()
//!     .text(DictKind::Actors, "demo.actors", "ARNOR [ARN]\nGONDOR [GON]\n")
//!     .text(DictKind::Verbs(VerbSyntax::Tabari), "demo.verbs", "--- ACCUSE [112] ---\nACCUSE\n")
//!     .build()?;
//! let coder = CoderBuilder::new().dictionaries(dicts).options(CoderOptions::default()).build()?;
//!
//! // "Arnor accused Gondor": a subject, a verb and its object.
//! let tok = |form: &str, xpos: &str, head: usize, deprel: &str| Token {
//!     form: form.into(), lemma: "_".into(), upos: "_".into(), xpos: xpos.into(),
//!     feats: "_".into(), head, deprel: deprel.into(), span: None,
//! };
//! let sentence = ParsedSentence {
//!     id: "demo-1".into(),
//!     text: "Arnor accused Gondor".into(),
//!     tokens: vec![tok("Arnor", "NNP", 2, "nsubj"), tok("accused", "VBD", 0, "root"), tok("Gondor", "NNP", 2, "obj")],
//!     ..Default::default()
//! };
//! let events = coder.code(&sentence);
//! assert_eq!(events.len(), 1);
//! assert_eq!((events[0].source.code.as_str(), events[0].target.code.as_str(), events[0].code.as_str()), ("ARN", "GON", "112"));
//! assert_eq!(events[0].verb_tokens, (1, 2));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod engine;
mod lists;
mod matcher;
mod mentions;
mod pico;
mod scratch;
mod view;

use std::sync::Arc;

use dyad_dict::Dictionaries;
use dyad_types::{Event, ParsedSentence, SourceRef};

pub use dyad_types;
pub use pico::{CodeOntology, PicoError};

/// Coding options, named as in PETRARCH's `PETR_config.ini`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoderOptions {
    /// Events need both a source and a target (`require_dyad`, default true).
    pub require_dyad: bool,
    /// Noun phrases of at most this many words that are not in the dictionaries become
    /// actors coded by their quoted text (`new_actor_length`, default 0: off).
    pub new_actor_length: usize,
    /// Internal comma-delimited clauses of `comma_min..=comma_max` words are ignored.
    pub comma_min: usize,
    /// See [`CoderOptions::comma_min`]; 0 switches the rule off.
    pub comma_max: usize,
    /// Initial clauses (before the first comma) of `comma_bmin..=comma_bmax` words are ignored.
    pub comma_bmin: usize,
    /// See [`CoderOptions::comma_bmin`]; 0 switches the rule off (the default).
    pub comma_bmax: usize,
    /// Final clauses (after the last comma) of `comma_emin..=comma_emax` words are ignored.
    pub comma_emin: usize,
    /// See [`CoderOptions::comma_emin`]; 0 switches the rule off.
    pub comma_emax: usize,
    /// Split actor codes written with `/` (`ELR/GAL`) into one actor per code, as
    /// PETRARCH-1 does; when false the code is kept whole, as UD-PETRARCH does.
    pub split_slash_codes: bool,
}

impl Default for CoderOptions {
    fn default() -> CoderOptions {
        CoderOptions {
            require_dyad: true,
            new_actor_length: 0,
            comma_min: 2,
            comma_max: 8,
            comma_bmin: 0,
            comma_bmax: 0,
            comma_emin: 2,
            comma_emax: 8,
            split_slash_codes: true,
        }
    }
}

/// Why a coder could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The dictionaries hold no verbs: nothing could ever be coded.
    #[error("the dictionaries hold no verbs")]
    NoVerbs,
}

/// Gathers dictionaries and options, then builds a [`Coder`].
#[derive(Clone, Debug, Default)]
pub struct CoderBuilder {
    dicts: Dictionaries,
    options: CoderOptions,
    ontology: CodeOntology,
}

impl CoderBuilder {
    /// A builder with no dictionaries and default options.
    pub fn new() -> CoderBuilder {
        CoderBuilder::default()
    }

    /// The compiled dictionaries (verbs, actors, agents, discards, issues).
    pub fn dictionaries(mut self, dicts: Dictionaries) -> CoderBuilder {
        self.dicts = dicts;
        self
    }

    /// The internal coding ontology (PICO) used to code negated verbs as PETRARCH-2 does;
    /// without one, negation is left to the patterns.
    pub fn ontology(mut self, ontology: CodeOntology) -> CoderBuilder {
        self.ontology = ontology;
        self
    }

    /// The coding options.
    pub fn options(mut self, options: CoderOptions) -> CoderBuilder {
        self.options = options;
        self
    }

    /// Compiles the patterns and returns the coder.
    pub fn build(&self) -> Result<Coder, BuildError> {
        let verbs = self.dicts.verbs();
        if verbs.entries().is_empty() {
            return Err(BuildError::NoVerbs);
        }
        let mut lexicon = matcher::Lexicon::new(verbs);
        let compiled = verbs
            .blocks()
            .iter()
            .map(|b| matcher::compile(&b.patterns, verbs, &mut lexicon))
            .collect::<Vec<_>>();
        let patterns = matcher::PatternIndex::new(&compiled, &lexicon);
        Ok(Coder {
            inner: Arc::new(Inner {
                dicts: self.dicts.clone(),
                compiled,
                patterns,
                lexicon,
                discards: lists::DiscardIndex::new(self.dicts.discards()),
                options: self.options.clone(),
                ontology: self.ontology.clone(),
            }),
        })
    }
}

pub(crate) struct Inner {
    pub(crate) dicts: Dictionaries,
    /// Compiled patterns, by verb block id.
    pub(crate) compiled: Vec<Vec<matcher::Compiled>>,
    /// The compiled patterns by key word.
    pub(crate) patterns: matcher::PatternIndex,
    /// The words of the patterns and synsets, interned.
    pub(crate) lexicon: matcher::Lexicon,
    /// The discard list, indexed.
    pub(crate) discards: lists::DiscardIndex,
    pub(crate) options: CoderOptions,
    pub(crate) ontology: CodeOntology,
}

/// The coding engine. Immutable; clones share the compiled dictionaries.
#[derive(Clone)]
pub struct Coder {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Coder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Coder")
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

impl Coder {
    /// The events of one sentence (possibly none). Never fails and never panics on
    /// unusual input: malformed trees (cycles, heads out of range) are read defensively.
    pub fn code(&self, sentence: &ParsedSentence) -> Vec<Event> {
        engine::code(&self.inner, sentence, false, None).events
    }

    /// Codes one sentence of an article, in order: as [`Coder::code_detailed`], plus what
    /// running text needs and isolated sentences cannot have.
    ///
    /// * Anaphors resolve. "The country", "the nation", "the state", "the government"
    ///   and "the regime" name the most recent country mentioned before them in the
    ///   sentence or in the two sentences before it (kept in `context`); "the country",
    ///   "the nation" and "the state" skip the verb's own source ("China ... provided
    ///   support to the country" is another country), while "the government" may be the
    ///   source's own ("Britons urged the government"). "Its" before an agent ("its
    ///   army") names the nearest actor before it in the sentence, when that is a
    ///   country. The actor's evidence ([`dyad_types::ActorMention::entries`]) then ends
    ///   with a `<anaphora: resolved from 'the country'>` entry whose line is the phrase
    ///   head's 1-based token number.
    /// * Agents that only modify a noun that is no agent ("press briefing", "military
    ///   support") and generic agents ("other parties", "all sides") name no actor.
    ///
    /// The sentence's countries are then added to `context`. Start a new
    /// [`ArticleContext`] for every article.
    pub fn code_in_context(
        &self,
        sentence: &ParsedSentence,
        context: &mut ArticleContext,
    ) -> Coding {
        engine::code(&self.inner, sentence, true, Some(context))
    }

    /// The events of one sentence together with what happened to every verb.
    pub fn code_detailed(&self, sentence: &ParsedSentence) -> Coding {
        engine::code(&self.inner, sentence, true, None)
    }

    /// The options the coder was built with.
    pub fn options(&self) -> &CoderOptions {
        &self.inner.options
    }

    /// The dictionaries the coder was built with.
    pub fn dictionaries(&self) -> &Dictionaries {
        &self.inner.dicts
    }
}

/// What the sentences of an article coded so far tell the next one: the countries they
/// named, in order. See [`Coder::code_in_context`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleContext {
    /// The countries of the last [`ArticleContext::SENTENCES`] sentences, oldest first.
    countries: Vec<Box<str>>,
    /// How many of `countries` each of those sentences named.
    per_sentence: std::collections::VecDeque<usize>,
}

impl ArticleContext {
    /// Anaphors look back this many sentences (besides their own): further back, "the
    /// country" is as likely to mean one not named at all.
    const SENTENCES: usize = 2;

    /// An empty context, for the start of an article.
    pub fn new() -> ArticleContext {
        ArticleContext::default()
    }

    /// The countries named in the last sentences, oldest first.
    pub fn countries(&self) -> impl Iterator<Item = &str> {
        self.countries.iter().map(|c| &**c)
    }

    pub(crate) fn add_sentence<'c>(&mut self, countries: impl Iterator<Item = &'c str>) {
        let before = self.countries.len();
        self.countries.extend(countries.map(Box::from));
        self.per_sentence.push_back(self.countries.len() - before);
        while self.per_sentence.len() > ArticleContext::SENTENCES {
            let n = self.per_sentence.pop_front().unwrap_or(0);
            self.countries.drain(..n.min(self.countries.len()));
        }
    }
}

/// The full result of coding a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coding {
    /// The events, in the order their verbs occur, without duplicates.
    pub events: Vec<Event>,
    /// What happened to the sentence as a whole.
    pub outcome: Outcome,
    /// Every dictionary verb found, with its code and why it did not code if it did not.
    pub verbs: Vec<VerbReport>,
}

/// What happened to a sentence as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// At least one event.
    Coded,
    /// Verbs or actors were missing: no event.
    NoEvents,
    /// The sentence had no tokens.
    Empty,
    /// A discard phrase matched: the sentence (or, when `story`, its whole story) is not coded.
    Discarded {
        /// True for story-level discards (`+` entries).
        story: bool,
        /// The discard entry that matched.
        entry: SourceRef,
    },
}

/// One dictionary verb found in a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbReport {
    /// Token range of the verb (with its particles).
    pub tokens: (usize, usize),
    /// The verb's base form in the dictionary.
    pub verb: String,
    /// The code that applied (`---` for a null code).
    pub code: String,
    /// The pattern that matched, if any.
    pub pattern: Option<String>,
    /// Why the verb produced no event, if it produced none.
    pub rejection: Option<Rejection>,
}

/// Why a verb produced no event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The verb or its matching pattern has the null code `---`.
    NullCode,
    /// No source actor (and `require_dyad` is on).
    NoSource,
    /// No target actor (and `require_dyad` is on).
    NoTarget,
    /// Source and target were the same actor.
    SameActor,
    /// Its events were made redundant by another verb's (an open complement that says
    /// what was done, a reported statement, or a dyad whose clause contains it).
    Superseded,
}

#[cfg(test)]
mod send_sync {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    #[test]
    fn coder_is_send_sync_clone() {
        assert_send_sync::<super::Coder>();
        assert_send_sync::<super::ArticleContext>();
    }
}

#[cfg(test)]
mod tests;
