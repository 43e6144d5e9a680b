//! Lemmatizer and morphological features learned from a treebank.
//!
//! Known words get the lemma seen most often with their form and XPOS. Unseen words get
//! a suffix rewrite rule (strip *k* characters, append a string) chosen by the longest
//! word ending seen in training with the same XPOS. Features come from the most frequent
//! analysis of (form, UPOS, XPOS), falling back to the tag pair alone.

use std::collections::BTreeMap;

use crate::codec::{Reader, Writer};
use crate::conllu::Sentence;
use crate::hash::{hash_str, mix, FxHashMap};
use crate::Error;

const MAX_SUFFIX: usize = 6;

/// The learned tables.
///
/// Tables are keyed by a 64-bit hash of their tab-joined key strings (the file keeps
/// the strings), so lookups do not allocate.
#[derive(Default)]
pub(crate) struct Lemmatizer {
    exact: FxHashMap<u64, String>,
    lower: FxHashMap<u64, String>,
    rules: FxHashMap<u64, (u8, String)>,
    feats: FxHashMap<u64, String>,
    feats_by_tag: FxHashMap<u64, String>,
    /// The key strings, for writing the tables back out.
    keys: Vec<Vec<(String, String)>>,
    rule_keys: Vec<(String, (u8, String))>,
}

/// Hash of `parts` joined by tabs, without building the string.
fn hkey(parts: &[&str]) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FxHasher::default();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.write_u8(b'\t');
        }
        h.write(p.as_bytes());
        h.write_u8(0xff);
    }
    crate::hash::mix(h.finish())
}

/// Call `f` with `form.to_lowercase()`, without allocating for short ASCII words.
fn with_lower<R>(form: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 48];
    match buf.get_mut(..form.len()) {
        Some(b) if form.is_ascii() => {
            b.copy_from_slice(form.as_bytes());
            b.make_ascii_lowercase();
            // ASCII stays ASCII, so this cannot fail.
            f(std::str::from_utf8(b).unwrap_or_default())
        }
        _ => f(&form.to_lowercase()),
    }
}

fn hashed<V: Clone>(v: &[(String, V)]) -> FxHashMap<u64, V> {
    v.iter()
        .map(|(k, x)| (hkey(&k.split('\t').collect::<Vec<_>>()), x.clone()))
        .collect()
}

fn key(a: &str, b: &str) -> String {
    let mut k = String::with_capacity(a.len() + b.len() + 1);
    k.push_str(a);
    k.push('\t');
    k.push_str(b);
    k
}

fn most_frequent(m: BTreeMap<String, BTreeMap<String, usize>>) -> Vec<(String, String)> {
    m.into_iter()
        .filter_map(|(k, by)| {
            // Highest count; ties go to the smallest string (BTreeMap order).
            let best = by
                .iter()
                .fold(None::<(&String, usize)>, |b, (v, &c)| match b {
                    Some((_, bc)) if bc >= c => b,
                    _ => Some((v, c)),
                })?;
            Some((k, best.0.clone()))
        })
        .collect()
}

/// Rule turning `form` into `lemma`: (characters to strip, string to append).
fn rule_of(form: &str, lemma: &str) -> (usize, String) {
    let f: Vec<char> = form.chars().collect();
    let l: Vec<char> = lemma.chars().collect();
    let p = f.iter().zip(&l).take_while(|(a, b)| a == b).count();
    (f.len() - p, l[p..].iter().collect())
}

fn suffix(chars: &[char], k: usize) -> String {
    chars[chars.len() - k..].iter().collect()
}

fn is_proper(xpos: &str) -> bool {
    xpos.starts_with("NNP")
}

impl Lemmatizer {
    pub(crate) fn train(sents: &[Sentence]) -> Lemmatizer {
        let mut exact: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut lower: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut rules: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut feats: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut feats_tag: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for s in sents {
            for w in &s.words {
                if w.lemma == "_" && w.form != "_" {
                    continue;
                }
                *exact
                    .entry(key(&w.form, &w.xpos))
                    .or_default()
                    .entry(w.lemma.clone())
                    .or_default() += 1;
                let lf = w.form.to_lowercase();
                *lower
                    .entry(key(&lf, &w.xpos))
                    .or_default()
                    .entry(w.lemma.clone())
                    .or_default() += 1;
                let (src, tgt) = if is_proper(&w.xpos) {
                    (w.form.clone(), w.lemma.clone())
                } else {
                    (lf.clone(), w.lemma.to_lowercase())
                };
                let (strip, add) = rule_of(&src, &tgt);
                if strip < 256 {
                    let chars: Vec<char> = src.to_lowercase().chars().collect();
                    let rule = format!("{strip}\t{add}");
                    for k in 0..=MAX_SUFFIX.min(chars.len()) {
                        let rk = key(&w.xpos, &suffix(&chars, k));
                        *rules
                            .entry(rk)
                            .or_default()
                            .entry(rule.clone())
                            .or_default() += 1;
                    }
                }
                let fk = key(&lf, &key(&w.upos, &w.xpos));
                *feats
                    .entry(fk)
                    .or_default()
                    .entry(w.feats.clone())
                    .or_default() += 1;
                *feats_tag
                    .entry(key(&w.upos, &w.xpos))
                    .or_default()
                    .entry(w.feats.clone())
                    .or_default() += 1;
            }
        }
        let rules: Vec<(String, (u8, String))> = most_frequent(rules)
            .into_iter()
            .filter_map(|(k, r)| {
                let (s, a) = r.split_once('\t')?;
                Some((k, (s.parse::<u8>().ok()?, a.to_string())))
            })
            .collect();
        let keys = vec![
            most_frequent(exact),
            most_frequent(lower),
            most_frequent(feats),
            most_frequent(feats_tag),
        ];
        Lemmatizer::build(keys, rules)
    }

    fn build(
        keys: Vec<Vec<(String, String)>>,
        rule_keys: Vec<(String, (u8, String))>,
    ) -> Lemmatizer {
        let get = |i: usize| keys.get(i).map(|v| hashed(v)).unwrap_or_default();
        Lemmatizer {
            exact: get(0),
            lower: get(1),
            rules: hashed(&rule_keys),
            feats: get(2),
            feats_by_tag: get(3),
            keys,
            rule_keys,
        }
    }

    /// The lemma of `form` tagged `xpos`.
    pub(crate) fn lemma(&self, form: &str, xpos: &str) -> String {
        if let Some(l) = self.exact_lemma(form, xpos) {
            return l.to_string();
        }
        if let Some(l) = with_lower(form, |lf| self.lower.get(&hkey(&[lf, xpos]))) {
            return l.clone();
        }
        let lf = form.to_lowercase();
        let src = if is_proper(xpos) {
            form.to_string()
        } else {
            lf
        };
        let lower = src.to_lowercase();
        let n = src.chars().count();
        if lower.chars().count() != n {
            return src;
        }
        for k in (0..=MAX_SUFFIX.min(n)).rev() {
            // The last `k` characters of the lower-cased word.
            let at = match k {
                0 => lower.len(),
                _ => lower.char_indices().rev().nth(k - 1).map_or(0, |(i, _)| i),
            };
            if let Some((strip, add)) = self.rules.get(&hkey(&[xpos, &lower[at..]])) {
                let strip = *strip as usize;
                if strip <= n && strip < n + add.chars().count() {
                    // The first `n - strip` characters of the word, then `add`.
                    let keep = src
                        .char_indices()
                        .nth(n - strip)
                        .map_or(src.len(), |(i, _)| i);
                    let mut out = String::with_capacity(keep + add.len());
                    out.push_str(&src[..keep]);
                    out.push_str(add);
                    return out;
                }
            }
        }
        src
    }

    /// The lemma training saw most often with `form` and `xpos`, if it saw the pair.
    fn exact_lemma(&self, form: &str, xpos: &str) -> Option<&str> {
        self.exact.get(&hkey(&[form, xpos])).map(String::as_str)
    }

    /// Morphological features of `form` with its tags (`_` when none).
    pub(crate) fn feats(&self, form: &str, upos: &str, xpos: &str) -> String {
        self.feats_str(form, upos, xpos).to_string()
    }

    fn feats_str(&self, form: &str, upos: &str, xpos: &str) -> &str {
        if let Some(f) = with_lower(form, |lf| self.feats.get(&hkey(&[lf, upos, xpos]))) {
            return f;
        }
        self.feats_by_tag
            .get(&hkey(&[upos, xpos]))
            .map_or("_", String::as_str)
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        let map = |w: &mut Writer, m: &[(String, String)]| {
            w.var(m.len() as u64);
            for (k, x) in m {
                w.str(k);
                w.str(x);
            }
        };
        let empty = Vec::new();
        map(w, self.keys.first().unwrap_or(&empty));
        map(w, self.keys.get(1).unwrap_or(&empty));
        w.var(self.rule_keys.len() as u64);
        for (k, (s, a)) in &self.rule_keys {
            w.str(k);
            w.u8(*s);
            w.str(a);
        }
        map(w, self.keys.get(2).unwrap_or(&empty));
        map(w, self.keys.get(3).unwrap_or(&empty));
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Lemmatizer, Error> {
        let map = |r: &mut Reader<'_>| -> Result<Vec<(String, String)>, Error> {
            let n = r.len(2)?;
            let mut m = Vec::with_capacity(n);
            for _ in 0..n {
                let k = r.str()?;
                let v = r.str()?;
                m.push((k, v));
            }
            Ok(m)
        };
        let exact = map(r)?;
        let lower = map(r)?;
        let n = r.len(3)?;
        let mut rules = Vec::with_capacity(n);
        for _ in 0..n {
            let k = r.str()?;
            let s = r.u8()?;
            let a = r.str()?;
            rules.push((k, (s, a)));
        }
        let feats = map(r)?;
        let feats_by_tag = map(r)?;
        Ok(Lemmatizer::build(
            vec![exact, lower, feats, feats_by_tag],
            rules,
        ))
    }
}

/// The lemma and features of every (form, tag) whose form and XPOS were seen together in
/// training, worked out once at load by [`Lemmatizer::known_words`]. Looking a word up
/// takes one probe of a compact table, which can be prefetched for a whole sentence, with
/// the strings in one arena; [`Lemmatizer::lemma`] and [`Lemmatizer::feats`] take two
/// hash-map lookups and read two separately allocated strings, most of them cache misses
/// while the parser's weights fill the cache (3% of `dyad parse`'s time).
pub(crate) struct KnownWords {
    /// Open addressing with linear probing; a key of 0 marks an empty slot.
    slots: Vec<KnownSlot>,
    /// Interned strings: `spans[id]` is a byte range of `text`.
    text: String,
    spans: Vec<(u32, u32)>,
}

#[derive(Clone, Copy, Default)]
struct KnownSlot {
    key: u64,
    lemma: u32,
    feats: u32,
}

impl KnownWords {
    /// The key of `form` with tag index `tag`, for [`KnownWords::prefetch`] and
    /// [`KnownWords::get`].
    #[inline]
    pub(crate) fn key(form: &str, tag: usize) -> u64 {
        // Never 0, the empty-slot mark.
        mix(hash_str(form) ^ (tag as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1
    }

    /// Start loading the slot where [`KnownWords::get`] will look for `key`, so that the
    /// lookups of a sentence's words overlap.
    #[inline]
    pub(crate) fn prefetch(&self, key: u64) {
        let mask = self.slots.len().saturating_sub(1);
        crate::perceptron::prefetch(&self.slots, (key as usize) & mask);
    }

    /// The lemma and features of the (form, tag) pair of `key`, if training saw it.
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<(&str, &str)> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = (key as usize) & mask;
        loop {
            let slot = self.slots.get(i)?;
            if slot.key == key {
                return Some((self.string(slot.lemma), self.string(slot.feats)));
            }
            if slot.key == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    fn string(&self, id: u32) -> &str {
        self.spans
            .get(id as usize)
            .and_then(|&(a, b)| self.text.get(a as usize..b as usize))
            .unwrap_or_default()
    }
}

impl Lemmatizer {
    /// The [`KnownWords`] of this lemmatizer for the tag set `tags` ((UPOS, XPOS) by tag
    /// index): for each form seen with an XPOS, and each tag with that XPOS, what
    /// [`Lemmatizer::lemma`] and [`Lemmatizer::feats`] give.
    pub(crate) fn known_words<'a>(&'a self, tags: &'a [(String, String)]) -> KnownWords {
        let mut by_xpos: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (t, (_, xpos)) in tags.iter().enumerate() {
            by_xpos.entry(xpos.as_str()).or_default().push(t);
        }
        let exact = self.keys.first().map(Vec::as_slice).unwrap_or_default();
        let mut entries: Vec<(u64, &str, &str)> = Vec::new();
        for (k, _) in exact {
            let Some((form, xpos)) = k.split_once('\t') else {
                continue;
            };
            let Some(lemma) = self.exact_lemma(form, xpos) else {
                continue;
            };
            for &t in by_xpos.get(xpos).map(Vec::as_slice).unwrap_or_default() {
                let feats = self.feats_str(form, &tags[t].0, xpos);
                entries.push((KnownWords::key(form, t), lemma, feats));
            }
        }
        let mut known = KnownWords {
            slots: vec![KnownSlot::default(); (entries.len() * 2).next_power_of_two()],
            text: String::new(),
            spans: Vec::new(),
        };
        let mut ids: FxHashMap<&'a str, u32> = FxHashMap::default();
        let mut intern = |known: &mut KnownWords, s: &'a str| -> u32 {
            *ids.entry(s).or_insert_with(|| {
                let start = known.text.len() as u32;
                known.text.push_str(s);
                known.spans.push((start, known.text.len() as u32));
                known.spans.len() as u32 - 1
            })
        };
        let mask = known.slots.len() - 1;
        for (key, lemma, feats) in entries {
            let slot = KnownSlot {
                key,
                lemma: intern(&mut known, lemma),
                feats: intern(&mut known, feats),
            };
            let mut i = (key as usize) & mask;
            while known.slots[i].key != 0 && known.slots[i].key != key {
                i = (i + 1) & mask;
            }
            known.slots[i] = slot;
        }
        known
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse;

    #[test]
    fn learns_lemmas_and_generalises_suffix_rules() {
        let text = "1\tdogs\tdog\tNOUN\tNNS\tNumber=Plur\t0\troot\t_\t_\n2\tcats\tcat\tNOUN\tNNS\tNumber=Plur\t1\tdep\t_\t_\n3\twent\tgo\tVERB\tVBD\t_\t1\tdep\t_\t_\n4\twalked\twalk\tVERB\tVBD\t_\t1\tdep\t_\t_\n\n";
        let lem = Lemmatizer::train(&parse(text, "t").unwrap());
        assert_eq!(lem.lemma("went", "VBD"), "go");
        assert_eq!(lem.lemma("Dogs", "NNS"), "dog");
        assert_eq!(lem.lemma("birds", "NNS"), "bird");
        assert_eq!(lem.lemma("talked", "VBD"), "talk");
        assert_eq!(lem.feats("birds", "NOUN", "NNS"), "Number=Plur");
        let mut w = Writer::default();
        lem.write(&mut w);
        let back = Lemmatizer::read(&mut Reader::new(&w.buf)).unwrap();
        assert_eq!(back.lemma("talked", "VBD"), "talk");
    }

    #[test]
    fn known_words_answer_as_the_lemmatizer_does() {
        let text = "1\tDogs\tdog\tNOUN\tNNS\tNumber=Plur\t0\troot\t_\t_\n2\twent\tgo\tVERB\tVBD\tTense=Past\t1\tdep\t_\t_\n3\tleft\tleave\tVERB\tVBN\tVoice=Pass\t1\tdep\t_\t_\n4\tleft\tleft\tADJ\tJJ\tDegree=Pos\t1\tdep\t_\t_\n\n";
        let lem = Lemmatizer::train(&parse(text, "t").unwrap());
        let tags: Vec<(String, String)> = [
            ("NOUN", "NNS"),
            ("VERB", "VBD"),
            ("VERB", "VBN"),
            ("ADJ", "VBN"),
            ("ADJ", "JJ"),
        ]
        .iter()
        .map(|(u, x)| (u.to_string(), x.to_string()))
        .collect();
        let known = lem.known_words(&tags);
        let mut found = 0;
        for form in ["Dogs", "dogs", "went", "left", "cats"] {
            for (t, (upos, xpos)) in tags.iter().enumerate() {
                if let Some((l, f)) = known.get(KnownWords::key(form, t)) {
                    assert_eq!(l, lem.lemma(form, xpos), "{form} {xpos}");
                    assert_eq!(f, lem.feats(form, upos, xpos), "{form} {upos} {xpos}");
                    found += 1;
                }
            }
        }
        // Dogs/NNS, went/VBD, left/VBN (with VERB and ADJ), left/JJ: the pairs seen.
        assert_eq!(found, 5);
        assert_eq!(
            known.get(KnownWords::key("left", 2)),
            Some(("leave", "Voice=Pass"))
        );
        assert!(known.get(KnownWords::key("dogs", 0)).is_none());
    }
}
