//! Buffers kept from one sentence to the next, one set per thread.
//!
//! Coding a sentence needs a few dozen short arrays (upper-cased words, heads, dependents,
//! relations, word ids, ...). Allocating them afresh for every sentence was a fifth of the
//! coder's time, so [`with`] lends the coding step the buffers the previous sentence on
//! the same thread gave back. The [`crate::Coder`] itself stays immutable and
//! `Send + Sync`: the buffers live in a thread-local, not in the coder.

use std::cell::RefCell;

use crate::engine::VerbBufs;
use crate::matcher::WordId;
use crate::view::{Rel, Sub};

/// Buffers larger than this many elements are not kept (one huge sentence should not pin
/// its memory for the rest of the thread's life).
const KEEP: usize = 1 << 16;

/// The reusable buffers. Each is empty between sentences.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Upper-cased forms and lemmas ([`crate::view::Folded`]).
    pub(crate) folded: String,
    pub(crate) folded_spans: Vec<(usize, usize)>,
    /// Upper-cased text words ([`crate::lists::TextWords`]).
    pub(crate) text: String,
    pub(crate) text_spans: Vec<(usize, usize)>,
    /// Words, lemmas and text words, as borrowed strings (see [`lend`]).
    pub(crate) words: Vec<&'static str>,
    pub(crate) lemmas: Vec<&'static str>,
    pub(crate) text_words: Vec<&'static str>,
    /// The dependency view ([`crate::view::View`]).
    pub(crate) heads: Vec<Option<usize>>,
    pub(crate) start: Vec<usize>,
    pub(crate) fill: Vec<usize>,
    pub(crate) kids: Vec<usize>,
    pub(crate) rels: Vec<(Rel, Sub)>,
    pub(crate) masked: Vec<bool>,
    /// Word ids of the words and lemmas, and those present.
    pub(crate) word_ids: Vec<WordId>,
    pub(crate) lemma_ids: Vec<WordId>,
    pub(crate) present: Vec<WordId>,
    /// The bit set of [`Scratch::present`] over the lexicon, all zero between sentences.
    pub(crate) present_bits: Vec<u64>,
    /// The per-verb work space.
    pub(crate) verb: VerbBufs,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's buffers (fresh ones if they are in use).
pub(crate) fn with<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut sc) => f(&mut sc),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Takes a buffer out of its slot, empty.
pub(crate) fn take<T>(slot: &mut Vec<T>) -> Vec<T> {
    let mut v = std::mem::take(slot);
    v.clear();
    v
}

/// Puts a buffer back into its slot, emptied (dropped when it grew too large).
pub(crate) fn put<T>(slot: &mut Vec<T>, mut v: Vec<T>) {
    v.clear();
    if v.capacity() <= KEEP {
        *slot = v;
    }
}

/// Takes a string buffer out of its slot, empty.
pub(crate) fn take_string(slot: &mut String) -> String {
    let mut s = std::mem::take(slot);
    s.clear();
    s
}

/// Puts a string buffer back, emptied.
pub(crate) fn put_string(slot: &mut String, mut s: String) {
    s.clear();
    if s.capacity() <= KEEP * 8 {
        *slot = s;
    }
}

/// Lends a buffer of borrowed strings for any lifetime: it is empty, so nothing it holds
/// outlives what it borrowed.
pub(crate) fn lend<'a>(slot: &mut Vec<&'static str>) -> Vec<&'a str> {
    take(slot)
}

/// Gives back a buffer lent by [`lend`]: emptied, it holds no borrowed string, and the
/// in-place `collect` keeps its allocation.
pub(crate) fn give_back(slot: &mut Vec<&'static str>, mut v: Vec<&str>) {
    v.clear();
    let v: Vec<&'static str> = v.into_iter().map(|_| "").collect();
    put(slot, v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lent_buffers_come_back_with_their_room() {
        let mut slot: Vec<&'static str> = Vec::with_capacity(64);
        let text = String::from("a b c");
        let mut v = lend(&mut slot);
        v.extend(text.split(' '));
        assert_eq!(v, ["a", "b", "c"]);
        give_back(&mut slot, v);
        assert!(slot.is_empty());
        assert!(slot.capacity() >= 64);
    }
}
