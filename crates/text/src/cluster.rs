//! Distributional word classes learned from unlabeled text: the exchange algorithm for a
//! class-based bigram model (Kneser and Ney 1993; Martin, Liermann and Ney 1998).
//!
//! Every word of the vocabulary belongs to one of `k` classes; the algorithm moves one word
//! at a time to the class that most raises the likelihood of the text under the model
//! `p(w_i | w_{i-1}) = p(c_i | c_{i-1}) p(w_i | c_i)`, which comes down to maximising
//! `sum N(a, b) ln N(a, b) - sum N(a, .) ln N(a, .) - sum N(., b) ln N(., b)` over class
//! bigram counts. Words that share contexts ("Monday", "Tuesday"; "Baghdad", "Kabul") end up
//! together, which lets the tagger and parser generalise to words rare in the treebank.
//!
//! Words are keyed by the hash of their lower-cased, digit-folded form (as the tagger's
//! word features are). Training is deterministic: words are visited in a fixed order and
//! ties go to the lowest class.

use crate::codec::{Reader, Writer};
use crate::hash::{hash_str, FxHashMap};
use crate::tagger::norm_lower_into;
use crate::tokenize;
use crate::Error;

/// The class of a word outside the vocabulary (and of padding), as a feature value.
pub(crate) const NO_CLASS: u64 = 0x4444;

/// The class of every word when the model has no classes: the tagger and parser then
/// leave the class features out, and train as they would without this module.
pub(crate) const NO_CLASSES: u64 = 0;

/// Word classes at two granularities, keyed by the hash of the normalised word.
#[derive(Clone, Debug, Default)]
pub(crate) struct Clusters {
    /// Normalised-word hash → fine class + 1 in the low 16 bits, coarse class + 1 above.
    map: FxHashMap<u64, u32>,
}

impl Clusters {
    /// The (fine, coarse) class feature values of a word by its normalised-form hash:
    /// [`NO_CLASS`] for both when the word has no class, and [`NO_CLASSES`] when there
    /// are no classes at all (a model trained without unlabeled text).
    #[inline]
    pub(crate) fn classes(&self, lower_hash: u64) -> (u64, u64) {
        if self.map.is_empty() {
            return (NO_CLASSES, NO_CLASSES);
        }
        match self.map.get(&lower_hash) {
            Some(&v) => ((v & 0xffff) as u64, (v >> 16) as u64 | 0x10000),
            None => (NO_CLASS, NO_CLASS),
        }
    }

    /// Number of words with a class.
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.map(&self.map, Writer::u32);
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Clusters, Error> {
        Ok(Clusters {
            map: r.map(4, Reader::u32)?,
        })
    }

    /// Learn classes from `texts` (raw text, split and tokenized here): `fine` and `coarse`
    /// classes (each at most 65535) for the words seen at least `min_count` times.
    pub(crate) fn learn(
        texts: &[&str],
        fine: usize,
        coarse: usize,
        min_count: usize,
        log: &mut dyn FnMut(String),
    ) -> Clusters {
        let corpus = Corpus::new(texts, min_count);
        log(format!(
            "clusters: {} tokens, {} words seen {min_count}+ times",
            corpus.tokens, corpus.vocab
        ));
        if corpus.vocab == 0 {
            return Clusters::default();
        }
        let f = exchange(&corpus, fine.clamp(1, 0xfffe), log);
        let c = exchange(&corpus, coarse.clamp(1, 0xfffe), log);
        let mut map = FxHashMap::default();
        for (i, &h) in corpus.keys.iter().enumerate() {
            map.insert(h, (f[i] + 1) | (c[i] + 1) << 16);
        }
        Clusters { map }
    }
}

/// Bigram statistics of a tokenized corpus over word ids: `0..vocab` are the words seen
/// often enough (most frequent first), then one id for all rarer words and one for the
/// sentence boundary.
struct Corpus {
    tokens: usize,
    vocab: usize,
    /// Normalised-word hash of each vocabulary id.
    keys: Vec<u64>,
    /// Per id: (next id, count), sorted by id, the id itself excluded.
    next: Vec<Vec<(u32, u32)>>,
    /// Per id: (previous id, count), sorted by id, the id itself excluded.
    prev: Vec<Vec<(u32, u32)>>,
    /// Per id: how often it follows itself.
    selfs: Vec<u64>,
    /// Per id: how often it is the first / second element of a bigram.
    out_n: Vec<u64>,
    in_n: Vec<u64>,
}

impl Corpus {
    fn new(texts: &[&str], min_count: usize) -> Corpus {
        let mut sents: Vec<Vec<u64>> = Vec::new();
        let mut counts: FxHashMap<u64, u64> = FxHashMap::default();
        let mut lower = String::new();
        let mut tokens = 0;
        for text in texts {
            for s in tokenize::segment(text) {
                let ids: Vec<u64> = s
                    .tokens
                    .iter()
                    .map(|t| {
                        norm_lower_into(&t.form, &mut lower);
                        hash_str(&lower)
                    })
                    .collect();
                for h in &ids {
                    *counts.entry(*h).or_default() += 1;
                }
                tokens += ids.len();
                sents.push(ids);
            }
        }
        let mut keys: Vec<(u64, u64)> = counts
            .iter()
            .filter(|(_, c)| **c >= min_count as u64)
            .map(|(h, c)| (*c, *h))
            .collect();
        keys.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let vocab = keys.len();
        let id_of: FxHashMap<u64, u32> = keys
            .iter()
            .enumerate()
            .map(|(i, (_, h))| (*h, i as u32))
            .collect();
        let (rare, edge) = (vocab as u32, vocab as u32 + 1);
        let n_ids = vocab + 2;
        let mut pairs: Vec<u64> = Vec::with_capacity(tokens + sents.len());
        for s in &sents {
            let mut p = edge;
            for h in s {
                let id = id_of.get(h).copied().unwrap_or(rare);
                pairs.push((p as u64) << 32 | id as u64);
                p = id;
            }
            pairs.push((p as u64) << 32 | edge as u64);
        }
        drop(sents);
        pairs.sort_unstable();
        let mut next = vec![Vec::new(); n_ids];
        let mut prev = vec![Vec::new(); n_ids];
        let mut selfs = vec![0u64; n_ids];
        let mut out_n = vec![0u64; n_ids];
        let mut in_n = vec![0u64; n_ids];
        let mut i = 0;
        while i < pairs.len() {
            let key = pairs[i];
            let mut j = i;
            while j < pairs.len() && pairs[j] == key {
                j += 1;
            }
            let (a, b, c) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize, j - i);
            out_n[a] += c as u64;
            in_n[b] += c as u64;
            if a == b {
                selfs[a] += c as u64;
            } else {
                next[a].push((b as u32, c as u32));
                prev[b].push((a as u32, c as u32));
            }
            i = j;
        }
        // `prev` lists were filled in order of the first element: sort them by id.
        for p in &mut prev {
            p.sort_unstable();
        }
        Corpus {
            tokens,
            vocab,
            keys: keys.into_iter().map(|(_, h)| h).collect(),
            next,
            prev,
            selfs,
            out_n,
            in_n,
        }
    }
}

/// `x ln x` with a table for small counts.
struct XLogX {
    table: Vec<f64>,
}

impl XLogX {
    fn new() -> XLogX {
        XLogX {
            table: (0..1 << 16)
                .map(|x: u32| {
                    if x == 0 {
                        0.0
                    } else {
                        x as f64 * (x as f64).ln()
                    }
                })
                .collect(),
        }
    }
    #[inline]
    fn f(&self, x: i64) -> f64 {
        match self.table.get(x as usize) {
            Some(&v) if x >= 0 => v,
            _ if x <= 0 => 0.0,
            _ => x as f64 * (x as f64).ln(),
        }
    }
}

/// The exchange algorithm with `k` classes; returns the class of each vocabulary word.
fn exchange(c: &Corpus, k: usize, log: &mut dyn FnMut(String)) -> Vec<u32> {
    let n_ids = c.next.len();
    let xl = XLogX::new();
    // Start round-robin by frequency, so that the most frequent words begin apart.
    let mut class: Vec<usize> = (0..n_ids).map(|i| i % k).collect();
    // Class bigram counts, row-major (`n[a * k + b]`) and transposed, and class totals as
    // first and second element.
    let mut n = vec![0i64; k * k];
    let mut nt = vec![0i64; k * k];
    let mut left = vec![0i64; k];
    let mut right = vec![0i64; k];
    for a in 0..n_ids {
        let ca = class[a];
        for &(b, cnt) in &c.next[a] {
            n[ca * k + class[b as usize]] += cnt as i64;
        }
        n[ca * k + ca] += c.selfs[a] as i64;
        left[ca] += c.out_n[a] as i64;
        right[ca] += c.in_n[a] as i64;
    }
    for a in 0..k {
        for b in 0..k {
            nt[b * k + a] = n[a * k + b];
        }
    }
    // Per moved word: its bigram counts with each class (excluding itself).
    let mut r = vec![0i64; k];
    let mut l = vec![0i64; k];
    let (mut nz_r, mut nz_l): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let max_iters = 20;
    for iter in 0..max_iters {
        let mut moved = 0usize;
        for w in 0..n_ids {
            let old = class[w];
            for &(v, cnt) in &c.next[w] {
                let b = class[v as usize];
                if r[b] == 0 {
                    nz_r.push(b);
                }
                r[b] += cnt as i64;
            }
            for &(v, cnt) in &c.prev[w] {
                let a = class[v as usize];
                if l[a] == 0 {
                    nz_l.push(a);
                }
                l[a] += cnt as i64;
            }
            let s = c.selfs[w] as i64;
            let (outw, inw) = (c.out_n[w] as i64, c.in_n[w] as i64);
            // Take the word out of its class.
            let apply = |n: &mut [i64], nt: &mut [i64], cl: usize, sign: i64| {
                for &b in &nz_r {
                    n[cl * k + b] += sign * r[b];
                    nt[b * k + cl] += sign * r[b];
                }
                for &a in &nz_l {
                    n[a * k + cl] += sign * l[a];
                    nt[cl * k + a] += sign * l[a];
                }
                n[cl * k + cl] += sign * s;
                nt[cl * k + cl] += sign * s;
            };
            apply(&mut n, &mut nt, old, -1);
            left[old] -= outw;
            right[old] -= inw;
            // The gain of putting it into each class.
            let mut best = (f64::NEG_INFINITY, old);
            for cand in std::iter::once(old).chain((0..k).filter(|&x| x != old)) {
                let row = &n[cand * k..(cand + 1) * k];
                let col = &nt[cand * k..(cand + 1) * k];
                let mut g = 0.0;
                for &b in &nz_r {
                    if b != cand {
                        g += xl.f(row[b] + r[b]) - xl.f(row[b]);
                    }
                }
                for &a in &nz_l {
                    if a != cand {
                        g += xl.f(col[a] + l[a]) - xl.f(col[a]);
                    }
                }
                let d = row[cand];
                g += xl.f(d + r[cand] + l[cand] + s) - xl.f(d);
                g -= xl.f(left[cand] + outw) - xl.f(left[cand]);
                g -= xl.f(right[cand] + inw) - xl.f(right[cand]);
                if g > best.0 + 1e-9 {
                    best = (g, cand);
                }
            }
            let new = best.1;
            apply(&mut n, &mut nt, new, 1);
            left[new] += outw;
            right[new] += inw;
            if new != old {
                class[w] = new;
                moved += 1;
            }
            for &b in &nz_r {
                r[b] = 0;
            }
            for &a in &nz_l {
                l[a] = 0;
            }
            nz_r.clear();
            nz_l.clear();
        }
        let mut obj = 0.0;
        for &x in &n {
            obj += xl.f(x);
        }
        for a in 0..k {
            obj -= xl.f(left[a]) + xl.f(right[a]);
        }
        log(format!(
            "clusters k={k} pass {}: {moved} words moved, objective {obj:.0}",
            iter + 1
        ));
        if moved * 1000 <= n_ids {
            break;
        }
    }
    class.truncate(c.vocab);
    class.into_iter().map(|x| x as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_class() {
        let mut text = String::new();
        let days = ["Monday", "Tuesday", "Friday"];
        let cities = ["Paris", "Kabul", "Lima"];
        for i in 0..60 {
            let d = days[i % 3];
            let c = cities[(i / 3) % 3];
            text.push_str(&format!("They met on {d} in {c}. We left on {d} for {c}. "));
        }
        let cl = Clusters::learn(&[&text], 4, 2, 2, &mut |_| {});
        let class = |w: &str| cl.classes(hash_str(&w.to_lowercase())).0;
        assert_ne!(class("monday"), NO_CLASS);
        assert_eq!(class("monday"), class("friday"));
        assert_eq!(class("paris"), class("lima"));
        assert_ne!(class("monday"), class("paris"));
        assert_eq!(class("unseen"), NO_CLASS);
        // Deterministic, and survives a write and read.
        let again = Clusters::learn(&[&text], 4, 2, 2, &mut |_| {});
        let mut w1 = Writer::default();
        cl.write(&mut w1);
        let mut w2 = Writer::default();
        again.write(&mut w2);
        assert_eq!(w1.buf, w2.buf);
        let back = Clusters::read(&mut Reader::new(&w1.buf)).unwrap();
        assert_eq!(back.classes(hash_str("lima")), cl.classes(hash_str("lima")));
    }
}
