//! The sentence-level word lists: the words of a sentence's text as discard and issue
//! lists read them, and the discard list indexed for fast lookup.
//!
//! [`DiscardIndex`] finds what [`dyad_dict::Discards::check_words`] finds (a unit test
//! holds the two together) with [`FxHashMap`] tables, and only tries the stem lengths the
//! list has, instead of hashing every prefix of every word.

use dyad_dict::{DiscardEntry, Discards};

use crate::scratch::{self, Scratch};

use dyad_dict::fx::{FxHashMap, WordFilter};

/// [`BYTE_CLASS`]: a word separator (ASCII white space, vertical tab included).
const SPACE: u8 = 1;
/// [`BYTE_CLASS`]: a byte a word keeps at its ends (ASCII letters and digits, `&`, `$`, `%`).
const KEEP: u8 = 2;

/// The class of every byte for [`TextWords::new_in`]'s ASCII split: [`SPACE`], [`KEEP`]
/// or 0 (inside a word, trimmed from its ends).
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_whitespace() || c == 0x0b {
            SPACE
        } else if c.is_ascii_alphanumeric() || c == b'&' || c == b'$' || c == b'%' {
            KEEP
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The words of `text` as [`dyad_dict::text_words`] splits them, as byte ranges of one
/// upper-case buffer (so a sentence costs two allocations, not one per word).
pub(crate) struct TextWords {
    buf: String,
    spans: Vec<(usize, usize)>,
}

impl TextWords {
    /// Splits `text`; non-ASCII text goes through [`dyad_dict::text_words`] itself, whose
    /// Unicode upper-casing may change lengths.
    #[cfg(test)]
    pub(crate) fn new(text: &str) -> TextWords {
        TextWords::new_in(text, &mut Scratch::default())
    }

    /// [`TextWords::new`] in the buffers of `sc` ([`TextWords::recycle`] gives them back).
    pub(crate) fn new_in(text: &str, sc: &mut Scratch) -> TextWords {
        let mut buf = scratch::take_string(&mut sc.text);
        let mut spans = scratch::take(&mut sc.text_spans);
        if !text.is_ascii() {
            let words = dyad_dict::text_words(text);
            for w in &words {
                let start = buf.len();
                buf.push_str(w);
                spans.push((start, buf.len()));
            }
            return TextWords { buf, spans };
        }
        // ASCII: `char::is_whitespace` and `char::is_alphanumeric` agree with their
        // `u8::is_ascii_*` forms (plus vertical tab, which `is_ascii_whitespace` omits).
        buf.push_str(text);
        buf.make_ascii_uppercase();
        let bytes = buf.as_bytes();
        let space = |b: u8| BYTE_CLASS[usize::from(b)] == SPACE;
        let keep = |b: u8| BYTE_CLASS[usize::from(b)] == KEEP;
        spans.reserve(bytes.len() / 5 + 1);
        let mut i = 0;
        while i < bytes.len() {
            if space(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && !space(bytes[i]) {
                i += 1;
            }
            let (mut s, mut e) = (start, i);
            while s < e && !keep(bytes[s]) {
                s += 1;
            }
            while e > s && !keep(bytes[e - 1]) {
                e -= 1;
            }
            if s < e {
                spans.push((s, e));
            }
        }
        TextWords { buf, spans }
    }

    /// The words, borrowed from the buffer.
    #[cfg(test)]
    pub(crate) fn words(&self) -> Vec<&str> {
        self.words_into(Vec::new())
    }

    /// The words, borrowed from the buffer, appended to `out`.
    pub(crate) fn words_into<'a>(&'a self, mut out: Vec<&'a str>) -> Vec<&'a str> {
        out.extend(
            self.spans
                .iter()
                .map(|&(s, e)| self.buf.get(s..e).unwrap_or("")),
        );
        out
    }

    /// Gives the buffers back to `sc`.
    pub(crate) fn recycle(self, sc: &mut Scratch) {
        scratch::put_string(&mut sc.text, self.buf);
        scratch::put(&mut sc.text_spans, self.spans);
    }
}

/// The discard list by first word (entries that need the whole word) and by stem.
#[derive(Debug, Default)]
pub(crate) struct DiscardIndex {
    exact: FxHashMap<Box<str>, Vec<u32>>,
    /// The keys of `exact`.
    exact_filter: WordFilter,
    stems: StemTrie,
}

/// Single-word stems in a byte trie: a word's stems are found in one walk down its bytes.
#[derive(Debug)]
struct StemTrie {
    /// Node 0 is the root.
    nodes: Vec<StemNode>,
    /// The stems' first two bytes (bit `b0 << 8 | b1`), and the one-byte stems (bit
    /// `b0 << 8`): a word that starts with neither has no stem, without a walk.
    starts: Vec<u64>,
}

#[derive(Debug, Default)]
struct StemNode {
    /// (byte, node), sorted by byte.
    next: Vec<(u8, u32)>,
    /// The entries whose stem ends here.
    ids: Vec<u32>,
}

impl Default for StemTrie {
    fn default() -> StemTrie {
        StemTrie {
            nodes: vec![StemNode::default()],
            starts: vec![0; 1 << 10],
        }
    }
}

impl StemTrie {
    fn start_bit(word: &[u8]) -> Option<usize> {
        let b0 = usize::from(*word.first()?);
        Some(b0 << 8 | usize::from(word.get(1).copied().unwrap_or(0)))
    }

    fn may_start(&self, bit: usize) -> bool {
        self.starts
            .get(bit / 64)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }

    fn insert(&mut self, stem: &str, id: u32) {
        let bytes = stem.as_bytes();
        // A one-byte stem marks its byte followed by "nothing" (bit `b0 << 8`).
        let bit = StemTrie::start_bit(bytes.get(..2).unwrap_or(bytes));
        if let Some(bit) = bit {
            if let Some(w) = self.starts.get_mut(bit / 64) {
                *w |= 1 << (bit % 64);
            }
        }
        let mut at = 0usize;
        for &b in stem.as_bytes() {
            let Some(node) = self.nodes.get(at) else {
                return;
            };
            at = match node.next.binary_search_by_key(&b, |e| e.0) {
                Ok(k) => node.next[k].1 as usize,
                Err(k) => {
                    let Ok(new) = u32::try_from(self.nodes.len()) else {
                        return;
                    };
                    self.nodes.push(StemNode::default());
                    self.nodes[at].next.insert(k, (b, new));
                    new as usize
                }
            };
        }
        if let Some(node) = self.nodes.get_mut(at) {
            node.ids.push(id);
        }
    }

    /// Calls `f` with the entries of every stem that is a (non-empty) prefix of `word`,
    /// shortest stem first.
    fn each_prefix_of(&self, word: &str, mut f: impl FnMut(u32)) {
        let bytes = word.as_bytes();
        let one = bytes.first().map(|&b| usize::from(b) << 8);
        let two = bytes.get(..2).and_then(StemTrie::start_bit);
        if !(one.is_some_and(|b| self.may_start(b)) || two.is_some_and(|b| self.may_start(b))) {
            return;
        }
        let mut at = 0usize;
        for &b in bytes {
            let Some(node) = self.nodes.get(at) else {
                return;
            };
            // Most nodes have a child or two: a scan beats a binary search there.
            let next = if node.next.len() <= 8 {
                node.next.iter().find(|e| e.0 == b).map(|e| e.1)
            } else {
                node.next
                    .binary_search_by_key(&b, |e| e.0)
                    .ok()
                    .and_then(|k| node.next.get(k))
                    .map(|e| e.1)
            };
            let Some(next) = next else {
                return;
            };
            at = next as usize;
            let Some(n) = self.nodes.get(at) else {
                return;
            };
            for &id in &n.ids {
                f(id);
            }
        }
    }
}

impl DiscardIndex {
    pub(crate) fn new(d: &Discards) -> DiscardIndex {
        let mut ix = DiscardIndex::default();
        for (id, e) in d.entries().iter().enumerate() {
            let (Some(first), Ok(id)) = (e.words.first(), u32::try_from(id)) else {
                continue;
            };
            if e.words.len() == 1 && !e.whole_word {
                ix.stems.insert(first, id);
            } else {
                ix.exact_filter.insert(first);
                ix.exact.entry(first.clone()).or_default().push(id);
            }
        }
        ix
    }

    /// The first discard entry found in `words` (entries in load order at each word, words
    /// left to right), as [`Discards::check_words`] finds it.
    pub(crate) fn check<'d>(&self, d: &'d Discards, words: &[&str]) -> Option<&'d DiscardEntry> {
        if d.is_empty() {
            return None;
        }
        (0..words.len()).find_map(|i| self.match_at(d, words, i))
    }

    fn match_at<'d>(&self, d: &'d Discards, words: &[&str], i: usize) -> Option<&'d DiscardEntry> {
        let first = *words.get(i)?;
        // The earliest-loaded entry that matches here.
        let mut best: Option<u32> = None;
        let mut consider = |id: u32| {
            if best.is_some_and(|b| b <= id) {
                return;
            }
            if d.entries()
                .get(id as usize)
                .is_some_and(|e| entry_matches(e, words, i))
            {
                best = Some(id);
            }
        };
        if self.exact_filter.may_contain(first) {
            if let Some(ids) = self.exact.get(first) {
                for &id in ids {
                    consider(id);
                }
            }
        }
        self.stems.each_prefix_of(first, consider);
        d.entries().get(best? as usize)
    }
}

fn entry_matches(e: &DiscardEntry, words: &[&str], i: usize) -> bool {
    let n = e.words.len();
    let Some(span) = words.get(i..i + n) else {
        return false;
    };
    e.words.iter().zip(span).enumerate().all(|(k, (w, t))| {
        if k + 1 == n && !e.whole_word {
            t.starts_with(&**w)
        } else {
            **w == **t
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_dict::{DictKind, DictionaryBuilder};

    const TEXTS: &[&str] = &[
        "He played baseballs, badly.",
        "The Academy Awards were held",
        "the World Cup.",
        "the World Cups",
        "Two months later, Gondor's \"army\" (again) left",
        "The minister met the president",
        "Academy",
        "  BASE   base-ball  BASEBALL!! ... $5 & 10% ",
        "Éomer rode to the WORLD CUP in Rohan's café",
        "",
        "-- , .",
        "tabs\tand\x0bvertical\x0ctabs\r\nand new lines\x1f",
    ];

    #[test]
    fn text_words_split_as_the_dictionary_crate_does() {
        for t in TEXTS {
            let ours = TextWords::new(t);
            assert_eq!(ours.words(), dyad_dict::text_words(t), "{t:?}");
        }
    }

    #[test]
    fn discards_found_as_the_dictionary_crate_finds_them() {
        let list = "BASEBALL # sport\nBASE\n+ACADEMY AWARD\nWORLD CUP_\nMONTHS LATER\nB\n\
                    CUP_\n+BASEBALL\nCAF\nCAFÉ\nÉO\nBASEBALLS_\n";
        let dicts = DictionaryBuilder::new()
            .text(DictKind::Discards, "t.discards", list)
            .build()
            .unwrap();
        let d = dicts.discards();
        let ix = DiscardIndex::new(d);
        for t in TEXTS {
            let tw = TextWords::new(t);
            let words = tw.words();
            let ours = ix.check(d, &words).map(|e| e.at.line);
            let theirs = d.check_words(&words).map(|e| e.at.line);
            assert_eq!(ours, theirs, "{t:?}");
        }
        let tw = TextWords::new("the base");
        assert!(ix.check(d, &tw.words()).is_some());
    }
}
