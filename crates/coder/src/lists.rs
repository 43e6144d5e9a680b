//! The sentence-level word lists: the words of a sentence's text as discard and issue
//! lists read them, and the discard list indexed for fast lookup.
//!
//! [`DiscardIndex`] finds what [`dyad_dict::Discards::check_words`] finds (a unit test
//! holds the two together) with [`FxHashMap`] tables, and only tries the stem lengths the
//! list has, instead of hashing every prefix of every word.

use dyad_dict::{DiscardEntry, Discards};

use dyad_dict::fx::FxHashMap;

/// The words of `text` as [`dyad_dict::text_words`] splits them, as byte ranges of one
/// upper-case buffer (so a sentence costs two allocations, not one per word).
pub(crate) struct TextWords {
    buf: String,
    spans: Vec<(usize, usize)>,
}

impl TextWords {
    /// Splits `text`; non-ASCII text goes through [`dyad_dict::text_words`] itself, whose
    /// Unicode upper-casing may change lengths.
    pub(crate) fn new(text: &str) -> TextWords {
        if !text.is_ascii() {
            let words = dyad_dict::text_words(text);
            let mut buf = String::with_capacity(words.iter().map(|w| w.len()).sum());
            let mut spans = Vec::with_capacity(words.len());
            for w in &words {
                let start = buf.len();
                buf.push_str(w);
                spans.push((start, buf.len()));
            }
            return TextWords { buf, spans };
        }
        // ASCII: `char::is_whitespace` and `char::is_alphanumeric` agree with their
        // `u8::is_ascii_*` forms (plus vertical tab, which `is_ascii_whitespace` omits).
        let buf = text.to_ascii_uppercase();
        let bytes = buf.as_bytes();
        let space = |b: u8| b.is_ascii_whitespace() || b == 0x0b;
        let keep = |b: u8| b.is_ascii_alphanumeric() || b == b'&' || b == b'$' || b == b'%';
        let mut spans = Vec::with_capacity(bytes.len() / 5 + 1);
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
    pub(crate) fn words(&self) -> Vec<&str> {
        self.spans
            .iter()
            .map(|&(s, e)| self.buf.get(s..e).unwrap_or(""))
            .collect()
    }
}

/// The discard list by first word (entries that need the whole word) and by stem.
#[derive(Debug, Default)]
pub(crate) struct DiscardIndex {
    exact: FxHashMap<Box<str>, Vec<u32>>,
    stems: StemTrie,
}

/// Single-word stems in a byte trie: a word's stems are found in one walk down its bytes.
#[derive(Debug)]
struct StemTrie {
    /// Node 0 is the root.
    nodes: Vec<StemNode>,
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
        }
    }
}

impl StemTrie {
    fn insert(&mut self, stem: &str, id: u32) {
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

    /// The entries of every stem that is a (non-empty) prefix of `word`.
    fn prefixes_of<'t>(&'t self, word: &'t str) -> impl Iterator<Item = u32> + 't {
        let mut at = Some(0usize);
        word.as_bytes()
            .iter()
            .map_while(move |&b| {
                let node = self.nodes.get(at?)?;
                let k = node.next.binary_search_by_key(&b, |e| e.0).ok()?;
                let next = node.next.get(k)?.1 as usize;
                at = Some(next);
                self.nodes.get(next)
            })
            .flat_map(|n| n.ids.iter().copied())
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
        let exact = self.exact.get(first).into_iter().flatten();
        let stems = self.stems.prefixes_of(first);
        let mut best: Option<u32> = None;
        for id in exact.copied().chain(stems) {
            if best.is_some_and(|b| b <= id) {
                continue;
            }
            let Some(e) = d.entries().get(id as usize) else {
                continue;
            };
            if entry_matches(e, words, i) {
                best = Some(id);
            }
        }
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
