//! Word normalisation and a phrase index keyed by first word (longest match first).

use crate::fx::{FxHashMap, WordFilter};

/// Normalises one token the way dictionary words are stored: ASCII letters uppercased,
/// everything else kept.
///
/// Dictionary lookups compare words exactly, so callers should pass tokens through this
/// (or any equivalent uppercasing) first.
///
/// ```
/// assert_eq!(dyad_dict::normalize_word("Obama's"), "OBAMA'S");
/// ```
pub fn normalize_word(word: &str) -> String {
    word.to_ascii_uppercase()
}

/// Splits a dictionary phrase on blanks and underscores into uppercase words.
pub(crate) fn split_phrase(s: &str) -> Vec<Box<str>> {
    s.split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_uppercase().into_boxed_str())
        .collect()
}

/// The regular English plural of a phrase's last word: `Y` after a consonant → `IES`;
/// `S`, `X`, `Z`, `CH`, `SH` → `+ES`; otherwise `+S`. A last word already ending in a
/// single `S` is taken to be plural and gets none (PETRARCH would produce `ARMSS`).
pub(crate) fn regular_plural(words: &[Box<str>]) -> Option<Vec<Box<str>>> {
    let (last, head) = words.split_last()?;
    let before_y = last.strip_suffix('Y').and_then(|s| s.chars().last());
    let plural = if let (Some(stem), Some(c)) = (last.strip_suffix('Y'), before_y) {
        if "AEIOU".contains(c) {
            format!("{last}S")
        } else {
            format!("{stem}IES")
        }
    } else if last.ends_with("SS")
        || last.ends_with(['X', 'Z'])
        || last.ends_with("CH")
        || last.ends_with("SH")
    {
        format!("{last}ES")
    } else if last.ends_with('S') || !last.chars().any(|c| c.is_alphabetic()) {
        return None;
    } else {
        format!("{last}S")
    };
    let mut out = head.to_vec();
    out.push(plural.into_boxed_str());
    Some(out)
}

/// Splits a TABARI phrase into words and, for each word, whether other words may come
/// before it (its separator contains a blank) or not (only `_`). The first word's flag is
/// always false.
pub(crate) fn split_phrase_gaps(s: &str) -> (Vec<Box<str>>, Vec<bool>) {
    let mut words = Vec::new();
    let mut gaps = Vec::new();
    let mut gap = false;
    let mut word = String::new();
    for c in s.chars() {
        if c == '_' || c.is_whitespace() {
            if !word.is_empty() {
                gaps.push(gap && !words.is_empty());
                words.push(
                    std::mem::take(&mut word)
                        .to_ascii_uppercase()
                        .into_boxed_str(),
                );
                gap = false;
            }
            gap |= c.is_whitespace();
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        gaps.push(gap && !words.is_empty());
        words.push(word.to_ascii_uppercase().into_boxed_str());
    }
    (words, gaps)
}

/// A stored phrase: its words, which words may follow a gap (empty: none), and its value.
#[derive(Clone, Debug)]
struct Stored<T> {
    words: Box<[Box<str>]>,
    gaps: Box<[bool]>,
    value: T,
}

/// Phrases keyed by their first word; each bucket is sorted longest first and, among equal
/// lengths, latest loaded first: the first full match is the longest and, as in PETRARCH-2
/// (where a later entry overwrites an earlier one), the last loaded among equals.
#[derive(Clone, Debug)]
pub(crate) struct PhraseIndex<T> {
    buckets: FxHashMap<Box<str>, Bucket<T>>,
    /// The first words of the phrases: most sentence words are turned away here.
    firsts: WordFilter,
    /// True after [`PhraseIndex::finish`] (and no insert since): buckets are longest first
    /// and their second-word index is up to date.
    sorted: bool,
    count: usize,
}

/// The phrases that start with one word.
#[derive(Clone, Debug)]
struct Bucket<T> {
    stored: Vec<Stored<T>>,
    /// After [`PhraseIndex::finish`]: the positions in `stored` of the phrases of two words
    /// or more, by their second word, ascending (so longest first). A sentence word is
    /// then compared only with the phrases its next word can continue, however many
    /// phrases share its first word ("UNITED", "NEW", "SOUTH").
    by_second: FxHashMap<Box<str>, Vec<u32>>,
    /// After [`PhraseIndex::finish`]: the position of the first one-word phrase.
    singles: usize,
}

impl<T> Default for Bucket<T> {
    fn default() -> Bucket<T> {
        Bucket {
            stored: Vec::new(),
            by_second: FxHashMap::default(),
            singles: 0,
        }
    }
}

impl<T> Default for PhraseIndex<T> {
    fn default() -> PhraseIndex<T> {
        PhraseIndex::new()
    }
}

impl<T> PhraseIndex<T> {
    pub(crate) fn new() -> PhraseIndex<T> {
        PhraseIndex {
            buckets: FxHashMap::default(),
            firsts: WordFilter::default(),
            sorted: false,
            count: 0,
        }
    }

    /// Adds a phrase whose words must be consecutive (empty phrases are ignored).
    pub(crate) fn insert(&mut self, words: Vec<Box<str>>, value: T) {
        self.insert_with_gaps(words, Vec::new(), value);
    }

    /// Adds a phrase; `gaps[i]` tells whether other words may precede word `i` when
    /// matching with [`PhraseIndex::longest_gapped`].
    pub(crate) fn insert_with_gaps(&mut self, words: Vec<Box<str>>, gaps: Vec<bool>, value: T) {
        let Some(first) = words.first() else { return };
        let key = first.clone();
        self.firsts.insert(first);
        let gaps = if gaps.iter().any(|g| *g) {
            gaps.into_boxed_slice()
        } else {
            Box::new([])
        };
        self.buckets.entry(key).or_default().stored.push(Stored {
            words: words.into_boxed_slice(),
            gaps,
            value,
        });
        self.count += 1;
        self.sorted = false;
    }

    /// Sorts every bucket longest first (stable) and indexes its longer phrases by their
    /// second word; call once after the last insert.
    pub(crate) fn finish(&mut self) {
        for bucket in self.buckets.values_mut() {
            let stored = &mut bucket.stored;
            stored.reverse();
            stored.sort_by_key(|s| std::cmp::Reverse(s.words.len()));
            bucket.by_second.clear();
            bucket.singles = stored
                .iter()
                .position(|s| s.words.len() < 2)
                .unwrap_or(stored.len());
            for (k, s) in stored.iter().enumerate() {
                let (Some(second), Ok(k)) = (s.words.get(1), u32::try_from(k)) else {
                    continue;
                };
                match bucket.by_second.get_mut(second) {
                    Some(v) => v.push(k),
                    None => {
                        bucket.by_second.insert(second.clone(), vec![k]);
                    }
                }
            }
        }
        self.sorted = true;
    }

    /// Number of words in the longest phrase stored.
    pub(crate) fn max_len(&self) -> usize {
        self.buckets
            .values()
            .flat_map(|b| b.stored.iter().map(|s| s.words.len()))
            .max()
            .unwrap_or(0)
    }

    /// Number of phrases stored.
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// The longest phrase that matches `tokens` from `start`, as (length, value): the
    /// first of [`PhraseIndex::matches`].
    pub(crate) fn longest<S: AsRef<str>>(&self, tokens: &[S], start: usize) -> Option<(usize, &T)> {
        let mut first = None;
        self.each_match(tokens, start, |n, v| {
            first = Some((n, v));
            true
        });
        first
    }

    /// Calls `f` with every phrase that matches `tokens` from `start`, as
    /// [`PhraseIndex::matches`] lists them, until `f` returns true (then returns true).
    pub(crate) fn each_match<'a, S: AsRef<str>>(
        &'a self,
        tokens: &[S],
        start: usize,
        mut f: impl FnMut(usize, &'a T) -> bool,
    ) -> bool {
        if !self.sorted {
            return self.matches(tokens, start).any(|(n, v)| f(n, v));
        }
        let Some(rest) = tokens.get(start..) else {
            return false;
        };
        let Some(first) = rest.first().map(AsRef::as_ref) else {
            return false;
        };
        if !self.firsts.may_contain(first) {
            return false;
        }
        let Some(bucket) = self.buckets.get(first) else {
            return false;
        };
        // `singles` > 0: the bucket has longer phrases (else no second word is hashed).
        let longer = match rest.get(1) {
            Some(w) if bucket.singles > 0 => bucket.by_second.get(w.as_ref()),
            _ => None,
        };
        if let Some(longer) = longer {
            for &k in longer {
                let Some(s) = bucket.stored.get(k as usize) else {
                    continue;
                };
                let n = s.words.len();
                let matched = rest.get(..n).is_some_and(|span| {
                    s.words
                        .iter()
                        .zip(span)
                        .skip(1)
                        .all(|(w, t)| **w == *t.as_ref())
                });
                if matched && f(n, &s.value) {
                    return true;
                }
            }
        }
        // One-word phrases match by being in the first word's bucket.
        for s in bucket.stored.get(bucket.singles..).unwrap_or(&[]) {
            if f(s.words.len(), &s.value) {
                return true;
            }
        }
        false
    }

    /// Every phrase that matches `tokens` from `start` word for word, longest first.
    pub(crate) fn matches<'a: 't, 't, S: AsRef<str>>(
        &'a self,
        tokens: &'t [S],
        start: usize,
    ) -> impl Iterator<Item = (usize, &'a T)> + 't {
        let rest = tokens.get(start..).unwrap_or(&[]);
        let bucket = rest
            .first()
            .filter(|w| self.firsts.may_contain(w.as_ref()))
            .and_then(|w| self.buckets.get(w.as_ref()));
        // Sorted: the longer phrases the next word continues, then the one-word phrases.
        // Not sorted (an insert after `finish`): every phrase, in the order stored.
        let (longer, from): (&[u32], usize) = match bucket {
            Some(b) if self.sorted => (
                rest.get(1)
                    .and_then(|w| b.by_second.get(w.as_ref()))
                    .map_or(&[], Vec::as_slice),
                b.singles,
            ),
            _ => (&[], 0),
        };
        let stored: &[Stored<T>] = bucket.map_or(&[], |b| b.stored.as_slice());
        longer
            .iter()
            .filter_map(move |&k| stored.get(k as usize))
            .chain(stored.get(from..).unwrap_or(&[]))
            .filter_map(move |s| {
                let n = s.words.len();
                let ok = rest.len() >= n
                    && s.words
                        .iter()
                        .zip(rest)
                        .skip(1)
                        .all(|(w, t)| **w == *t.as_ref());
                ok.then_some((n, &s.value))
            })
    }

    /// The phrase with the most words that matches from `start` when words stored after a
    /// blank may be preceded by up to `max_gap` other tokens; returns the number of tokens
    /// covered (through the last matched word) and the value.
    pub(crate) fn longest_gapped<S: AsRef<str>>(
        &self,
        tokens: &[S],
        start: usize,
        max_gap: usize,
    ) -> Option<(usize, &T)> {
        let rest = tokens.get(start..).unwrap_or(&[]);
        let bucket = rest
            .first()
            .filter(|w| self.firsts.may_contain(w.as_ref()))
            .and_then(|w| self.buckets.get(w.as_ref()))?;
        bucket.stored.iter().find_map(|s| {
            // Greedy leftmost matching finds a match whenever one exists.
            let mut at = 0usize;
            for (i, w) in s.words.iter().enumerate().skip(1) {
                let gap = if s.gaps.get(i).copied().unwrap_or(false) {
                    max_gap
                } else {
                    0
                };
                let last = at
                    .saturating_add(1)
                    .saturating_add(gap)
                    .min(rest.len().saturating_sub(1));
                let found =
                    (at + 1..=last).find(|&k| rest.get(k).is_some_and(|t| **w == *t.as_ref()))?;
                at = found;
            }
            Some((at + 1, &s.value))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_blanks_and_underscores() {
        assert_eq!(
            split_phrase("united_States  of_"),
            vec!["UNITED".into(), "STATES".into(), "OF".into()] as Vec<Box<str>>
        );
    }

    #[test]
    fn matches_across_gaps_only_where_a_blank_allows() {
        let (w, g) = split_phrase_gaps("ITHILEN TELEVISION");
        assert_eq!(g, vec![false, true]);
        let mut ix = PhraseIndex::new();
        ix.insert_with_gaps(w, g, 1);
        let (w, g) = split_phrase_gaps("ITHILEN_GOVERNMENT_RADIO_");
        assert_eq!(g, vec![false, false, false]);
        ix.insert_with_gaps(w, g, 2);
        ix.finish();
        let toks = ["ITHILEN", "STATE-RUN", "TELEVISION", "SAID"];
        assert_eq!(ix.longest_gapped(&toks, 0, 5), Some((3, &1)));
        assert_eq!(ix.longest_gapped(&toks, 0, 0), None);
        assert_eq!(ix.longest(&toks, 0), None);
        let toks = ["ITHILEN", "OFFICIAL", "GOVERNMENT", "RADIO"];
        assert_eq!(ix.longest_gapped(&toks, 0, 5), None);
        let toks = ["ITHILEN", "GOVERNMENT", "RADIO", "TELEVISION"];
        assert_eq!(ix.longest_gapped(&toks, 0, 5), Some((3, &2)));
    }

    #[test]
    fn forms_regular_plurals() {
        let p = |s: &str| {
            regular_plural(&split_phrase(s))
                .map(|w| w.join(" "))
                .unwrap_or_default()
        };
        assert_eq!(p("SECRETARY"), "SECRETARIES");
        assert_eq!(p("WITNESS"), "WITNESSES");
        assert_eq!(p("FOREIGN MINISTER"), "FOREIGN MINISTERS");
        assert_eq!(p("ENVOY"), "ENVOYS");
        assert_eq!(p("CHURCH"), "CHURCHES");
        assert!(regular_plural(&split_phrase("ARMS")).is_none());
    }

    #[test]
    fn longest_match_wins_and_the_last_loaded_wins_ties() {
        let mut ix = PhraseIndex::new();
        ix.insert(split_phrase("UNITED STATES"), 1);
        ix.insert(split_phrase("UNITED"), 2);
        ix.insert(split_phrase("UNITED STATES CONGRESS"), 3);
        ix.insert(split_phrase("UNITED STATES"), 4);
        ix.finish();
        let toks = ["THE", "UNITED", "STATES", "SAID"];
        assert_eq!(ix.longest(&toks, 1), Some((2, &4)));
        assert_eq!(ix.longest(&toks, 0), None);
        assert_eq!(ix.longest(&toks, 9), None);
        assert_eq!(
            ix.matches(&toks, 1).map(|m| *m.1).collect::<Vec<_>>(),
            vec![4, 1, 2]
        );
    }

    #[test]
    fn matches_agree_with_trying_every_phrase() {
        // Every phrase of up to three words over a small vocabulary, some twice, then every
        // window of a sentence over the same words: the indexed matches (by first word,
        // then second) are exactly the naive ones, in the same order.
        let vocab = ["A", "B", "C", "D"];
        let mut phrases: Vec<Vec<Box<str>>> = Vec::new();
        for (i, a) in vocab.iter().enumerate() {
            phrases.push(vec![(*a).into()]);
            for (j, b) in vocab.iter().enumerate() {
                if (i + j) % 2 == 0 {
                    phrases.push(vec![(*a).into(), (*b).into()]);
                }
                for c in vocab.iter().take(j + 1) {
                    if (i * 7 + j * 3) % 4 == 1 {
                        phrases.push(vec![(*a).into(), (*b).into(), (*c).into()]);
                    }
                }
            }
        }
        phrases.push(vec!["A".into(), "C".into()]);
        let mut ix = PhraseIndex::new();
        for (k, p) in phrases.iter().enumerate() {
            ix.insert(p.clone(), k);
        }
        ix.finish();
        // Naive: longest first; among equal lengths, last loaded first.
        let naive = |toks: &[&str], start: usize| -> Vec<(usize, usize)> {
            let mut found: Vec<(usize, usize)> = phrases
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    toks.get(start..start + p.len())
                        .is_some_and(|w| w.iter().zip(p.iter()).all(|(t, p)| **t == **p))
                })
                .map(|(k, p)| (p.len(), k))
                .collect();
            found.sort_by_key(|&(n, k)| (std::cmp::Reverse(n), std::cmp::Reverse(k)));
            found
        };
        let toks = ["A", "B", "A", "C", "D", "B", "B", "C", "A", "E", "A"];
        for start in 0..=toks.len() {
            let got: Vec<(usize, usize)> = ix.matches(&toks, start).map(|(n, v)| (n, *v)).collect();
            assert_eq!(got, naive(&toks, start), "at {start}");
            let mut each = Vec::new();
            ix.each_match(&toks, start, |n, v| {
                each.push((n, *v));
                false
            });
            assert_eq!(each, got, "each_match at {start}");
            let first = ix.longest(&toks, start).map(|(n, v)| (n, *v));
            assert_eq!(first, got.first().copied(), "longest at {start}");
        }
    }
}
