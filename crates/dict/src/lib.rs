//! Readers for PETRARCH-1, PETRARCH-2 and TABARI dictionaries, compiled once into
//! immutable, thread-safe lookup structures for the coder.
//!
//! # Overview
//!
//! * [`DictionaryBuilder`] collects dictionary files (or in-memory text) and
//!   [`build`](DictionaryBuilder::build)s a [`Dictionaries`] bundle: `Clone` (one `Arc`),
//!   `Send + Sync`.
//! * [`ActorDictionary`]: longest actor phrase at a token position, with date-dependent
//!   codes ([`ActorEntry::code_on`]).
//! * [`AgentDictionary`]: roles such as `PRESIDENT` → `~GOVPRS`, applied as a suffix or
//!   prefix of an actor code ([`AgentEntry::apply`]).
//! * [`VerbDictionary`]: any inflected form (`ACCUSED`) or multi-word verb (`CARRIED OUT`)
//!   → its [`VerbEntry`], its [`VerbBlock`] (default code and [`Pattern`]s), plus synsets
//!   and transformations. Both verb syntaxes share one pattern model (module docs of
//!   [`Pattern`]).
//! * [`Discards`] and [`Issues`]: sentence filters and topic tags.
//!
//! dyad's own dictionary format (`.dyad` files, `docs/dictionary-format.md`) is read into the
//! same structures ([`DictionaryBuilder::native`], [`DictKind::Native`]); dyad's default
//! dictionaries are embedded ([`Dictionaries::embedded_default`]). Native phrases are split
//! like the tokenizer splits text ([`phrase_words`]); look them up with
//! [`ActorDictionary::lookup_on`], which honours their dates and exact-case forms, and
//! native verbs find every inflection of their lemma ([`verb_forms`]).
//!
//! Every entry keeps its [`SourceRef`](dyad_types::SourceRef) (file and line) so an event
//! can cite what produced it. A malformed entry gives a [`Diagnostic`] `file:line: reason`
//! and is skipped, or fails the build in [strict](DictionaryBuilder::strict) mode.
//!
//! Lookups compare uppercase words exactly: pass tokens through [`normalize_word`].
//!
//! # Quirks of the real files that the readers keep
//!
//! * A line starting with `#` or `<!` is skipped; elsewhere `#` ends the line; `<!-- -->`
//!   comments may span lines. Old KEDS/TABARI `;` comments are cut on actor, discard and
//!   verb lines.
//! * In a PETRARCH-2 verb file, a line starting with `<!` ends pattern loading for the rest
//!   of the file (verbs are still read), as PETRARCH-2's reader does.
//! * PETRARCH-2 keys patterns by block description: a repeated `--- NAME ---` header
//!   continues the earlier block ([`VerbBlock`]).
//! * A pattern using an undefined synset is skipped with a diagnostic, as in PETRARCH.
//! * When two actor (or agent) entries have the same phrase, the one loaded last wins, as
//!   in PETRARCH-2; when two verbs share a form, [`VerbDictionary::lookup`] gives the first
//!   loaded (PETRARCH-2 keeps the first) and [`VerbDictionary::lookup_all`] gives all.
//! * Date restrictions accept `YYMMDD` and `YYYYMMDD` mixed, and blanks inside
//!   (`[X > 140608]`, `[X 19950601 - 19990815]`).
//! * TABARI `WORD_ ` (underscore before a blank) is an open match, the same as `WORD `.
//!
//! # Example
//!
//! ```
//! use dyad_dict::{DictKind, DictionaryBuilder, Element, VerbSyntax};
//! use dyad_types::Date;
//!
//! let dicts = DictionaryBuilder::new()
//!     .text(DictKind::Actors, "demo.actors", "\
//! UNITED_STATES_ [USA]
//! +AMERICAN_
//! BARACK_OBAMA_
//! \t[USAELI <20090119]
//! \t[USAGOV 20090120-20170119]
//! ")
//!     .text(DictKind::Agents, "demo.agents", "PRESIDENT [~GOV]\n")
//!     .text(DictKind::Verbs(VerbSyntax::Petrarch2), "demo.verbs", "\
//! &CRIME
//! +MURDER
//! --- BLAME [112] ---
//! ACCUSE
//! - * (OF &CRIME) [1121] # ACCUSE
//! ")
//!     .build()?;
//!
//! let tokens = ["THE", "UNITED", "STATES", "ACCUSED", "BARACK", "OBAMA"];
//! let usa = dicts.actors().longest_match(&tokens, 1).unwrap();
//! assert_eq!((usa.len, usa.entry.code_on(None)), (2, Some("USA")));
//!
//! let obama = dicts.actors().longest_match(&tokens, 4).unwrap().entry;
//! assert_eq!(obama.code_on(Some(Date::new(2010, 5, 1)?)), Some("USAGOV"));
//!
//! let president = dicts.agents().get("presidents").unwrap();
//! assert_eq!(president.apply("USA"), "USAGOV");
//!
//! let accused = dicts.verbs().lookup("ACCUSED").unwrap();
//! assert_eq!(accused.entry.base.as_ref(), "ACCUSE");
//! assert_eq!(accused.entry.code.to_string(), "112");
//! let pattern = &accused.block.patterns[0];
//! assert!(matches!(pattern.after[0].element, Element::Prep(_)));
//! assert_eq!(pattern.at.to_string(), "demo.verbs:5");
//! assert!(dicts.diagnostics().is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Example: dyad's native format
//!
//! ```
//! use dyad_dict::{DictionaryBuilder, Element};
//! use dyad_types::Date;
//!
//! let dicts = DictionaryBuilder::new()
//!     .native_text("demo/actors.dyad", "\
//! = GON  Gondor
//!   name: Gondor | GK
//!   gov: Minas Tirith
//! = Aragorn
//!   name: Aragorn | King Elessar
//!   role: GONGOV 2001-01-01..
//! ")
//!     .native_text("demo/verbs.dyad", "= 020  appeal\n  urge\n  urge {T} to\n")
//!     .build()?;
//!
//! let on = Some(Date::new(2010, 5, 1)?);
//! let m = dicts.actors().lookup_on(&["Minas", "Tirith", "said"], 0, on).unwrap();
//! assert_eq!((m.len, m.entry.code_on(on)), (2, Some("GONGOV")));
//! assert!(dicts.actors().lookup_on(&["gk"], 0, on).is_none(), "GK needs its capitals");
//! let king = dicts.actors().lookup_on(&["King", "Elessar"], 0, on).unwrap().entry;
//! assert_eq!(king.code_near(on), Some(("GONGOV", true)));
//!
//! let urged = dicts.verbs().lookup("URGED").unwrap();
//! assert_eq!(urged.entry.code.to_string(), "020");
//! assert_eq!(urged.block.patterns[0].after[0].element, Element::Target);
//! assert!(dicts.diagnostics().is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod actors;
mod agents;
mod builder;
mod defaults;
mod discards;
mod error;
pub mod fx;
mod issues;
mod lines;
mod native;
mod pattern;
mod phrase;
mod verbs;

pub use actors::{ActorDictionary, ActorEntry, ActorKind, ActorMatch, CodeRule, DateRule};
pub use agents::{AgentDictionary, AgentEntry, AgentMatch, AgentPlacement};
pub use builder::{DictKind, Dictionaries, DictionaryBuilder, FileStats};
pub use discards::{text_words, DiscardEntry, DiscardScope, Discards};
pub use error::{Diagnostic, Error, ErrorKind, Result};
pub use issues::{IssueAction, IssueHits, Issues};
pub use native::{phrase_words, verb_forms};
pub use pattern::{Element, EventCode, Mode, Pattern, Term, VerbSyntax};
pub use phrase::normalize_word;
pub use verbs::{
    ActorVar, BlockId, Synset, SynsetId, Transformation, VerbBlock, VerbDictionary, VerbEntry,
    VerbForm, VerbMatch, VerbRef,
};

#[cfg(test)]
mod send_sync {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}

    #[test]
    fn compiled_structures_are_send_and_sync() {
        assert_send_sync::<super::Dictionaries>();
        assert_send_sync::<super::ActorDictionary>();
        assert_send_sync::<super::AgentDictionary>();
        assert_send_sync::<super::VerbDictionary>();
        assert_send_sync::<super::Discards>();
        assert_send_sync::<super::Issues>();
        assert_send_sync::<super::Pattern>();
    }
}
