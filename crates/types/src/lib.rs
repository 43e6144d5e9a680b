//! Shared vocabulary of dyad: the types every other crate speaks.
//!
//! * [`Date`]: a calendar date, as sentences and date-bounded dictionary entries carry it.
//! * [`ParsedSentence`]: a sentence with its tokens, part-of-speech tags, lemmas, a dependency
//!   parse and, when the input had one, a constituency tree ([`Tree`]).
//! * [`Event`]: one coded event, with the evidence that produced it ([`ActorMention`],
//!   [`SourceRef`]).
//!
//! This crate holds data and the small amount of logic that keeps the data consistent; it
//! knows nothing of dictionaries, parsers or output formats.
//!
//! ```
//! use dyad_types::Date;
//! let d = Date::parse_yyyymmdd("20141231")?;
//! assert_eq!(d.to_string(), "2014-12-31");
//! assert!(d < Date::new(2015, 1, 1)?);
//! # Ok::<(), dyad_types::DateError>(())
//! ```
#![deny(missing_docs)]

mod date;
mod event;
mod sentence;

pub use date::{Date, DateError};
pub use event::{ActorMention, Event, SourceRef};
pub use sentence::{CharSpan, ParsedSentence, Token, Tree, TreeNode};

#[cfg(test)]
mod send_sync {
    fn assert_send_sync<T: Send + Sync>() {}
    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<super::Date>();
        assert_send_sync::<super::ParsedSentence>();
        assert_send_sync::<super::Event>();
    }
}
