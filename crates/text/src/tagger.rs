//! Part-of-speech tagger: a greedy left-to-right averaged perceptron over joint
//! (UPOS, XPOS) tags, with word, affix, shape, context and ambiguity-class features.

use crate::cluster::{Clusters, NO_CLASSES};
use crate::codec::{Reader, Writer};
use crate::conllu::Sentence;
use crate::hash::{feat, hash_str, FxHashMap, Rng};
use crate::perceptron::{
    argmax, argmax_finite, copy_pruned, read_sparse, write_mean, SparseWeights, Trainer, Weights,
};
use crate::Error;

/// Hashes of what the features need to know about one word.
#[derive(Clone, Copy, Default)]
pub(crate) struct WordInfo {
    pub(crate) lower: u64,
    form: u64,
    suf: [u64; 4],
    pre: [u64; 3],
    shape: u64,
    flags: u64,
    amb: u64,
    /// Fine and coarse distributional class.
    cls: u64,
    ccls: u64,
    /// The tag of a frequent word that always has the same tag (`u32::MAX` if none).
    sure: u32,
}

const PAD_L: u64 = 0x1111;
const PAD_R: u64 = 0x2222;
const UNKNOWN: u64 = 0x3333;

fn pad(v: u64) -> WordInfo {
    WordInfo {
        lower: v,
        form: v,
        suf: [v; 4],
        pre: [v; 3],
        shape: v,
        flags: v,
        amb: v,
        cls: v,
        ccls: v,
        sure: u32::MAX,
    }
}

/// Lower-cased form, with digits folded to `0` so numbers share statistics.
pub(crate) fn norm_lower(form: &str) -> String {
    let mut out = String::new();
    norm_lower_into(form, &mut out);
    out
}

/// [`norm_lower`] into a reused buffer.
pub(crate) fn norm_lower_into(form: &str, out: &mut String) {
    out.clear();
    if form.is_ascii() {
        out.extend(form.bytes().map(|b| {
            if b.is_ascii_digit() {
                '0'
            } else {
                b.to_ascii_lowercase() as char
            }
        }));
    } else {
        out.extend(form.chars().flat_map(char::to_lowercase).map(|c| {
            if c.is_ascii_digit() {
                '0'
            } else {
                c
            }
        }));
    }
}

/// The shape of a word ("Xxxx", "dd-dd") into a reused buffer.
fn shape_into(form: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    let mut run = 0;
    for c in form.chars().take(24) {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if k == last {
            run += 1;
        } else {
            run = 1;
            last = k;
        }
        if run <= 2 {
            out.push(k);
        }
    }
}

fn affix_hash(kind: u64, affix: &str) -> u64 {
    hash_str(affix) ^ kind.wrapping_mul(0x9e37_79b9)
}

/// The last `k` characters of `s` (all of it when shorter).
fn last_chars(s: &str, k: usize) -> &str {
    let start = s.char_indices().rev().nth(k - 1).map_or(0, |(i, _)| i);
    &s[start..]
}

/// The first `k` characters of `s` (all of it when shorter).
fn first_chars(s: &str, k: usize) -> &str {
    let end = s.char_indices().nth(k).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// Reused buffers for [`word_info`].
#[derive(Default)]
pub(crate) struct Scratch {
    lower: String,
    shape: String,
}

/// Spelling flags of a word: digits, hyphen, capital first letter, no lower case, first
/// word of the sentence, period, other non-alphanumeric characters.
fn word_flags(form: &str, first: bool) -> u64 {
    let mut flags = 0u64;
    if form.chars().any(|c| c.is_ascii_digit()) {
        flags |= 1;
    }
    if form.contains('-') {
        flags |= 2;
    }
    if form.chars().next().is_some_and(char::is_uppercase) {
        flags |= 4;
    }
    if form.chars().all(|c| !c.is_lowercase()) {
        flags |= 8;
    }
    if first {
        flags |= 16;
    }
    if form.contains('.') {
        flags |= 32;
    }
    if form.chars().any(|c| !c.is_alphanumeric()) {
        flags |= 64;
    }
    flags
}

/// What the tagger's features read of one word (`first`: the sentence's first word).
pub(crate) fn word_info(
    form: &str,
    first: bool,
    amb: &FxHashMap<u64, u64>,
    sure: &FxHashMap<u64, u32>,
    clusters: &Clusters,
    scratch: &mut Scratch,
) -> WordInfo {
    norm_lower_into(form, &mut scratch.lower);
    let lower_s = scratch.lower.as_str();
    let lower = hash_str(lower_s);
    let form_exact = hash_str(form);
    let sure_tag = sure.get(&form_exact).copied().unwrap_or(u32::MAX);
    // A word of `sure` is never tagged: only what its neighbours' features read of it
    // (suffixes 2 and 3, shape, ambiguity and word classes) is needed.
    let tagged = sure_tag == u32::MAX;
    let mut suf = [0u64; 4];
    for (k, s) in suf.iter_mut().enumerate() {
        if tagged || k == 1 || k == 2 {
            *s = affix_hash(k as u64 + 1, last_chars(lower_s, k + 1));
        }
    }
    let mut pre = [0u64; 3];
    let mut flags = 0u64;
    if tagged {
        for (k, p) in pre.iter_mut().enumerate() {
            *p = affix_hash(k as u64 + 11, first_chars(lower_s, k + 1));
        }
        flags = word_flags(form, first);
    }
    // Words too rare to have an ambiguity class count as unknown, so that training sees
    // unknown words and learns to tag them by their affixes and shape.
    let (cls, ccls) = clusters.classes(lower);
    let (lower, form_h, amb) = match amb.get(&lower) {
        Some(&a) => (lower, form_exact, a),
        None => (UNKNOWN, UNKNOWN, 7),
    };
    shape_into(form, &mut scratch.shape);
    WordInfo {
        lower,
        form: form_h,
        suf,
        pre,
        shape: hash_str(&scratch.shape),
        flags,
        amb,
        cls,
        ccls,
        sure: sure_tag,
    }
}

/// Build the word infos of a sentence, padded with two slots on each side.
pub(crate) fn sentence_info(
    forms: &[&str],
    amb: &FxHashMap<u64, u64>,
    sure: &FxHashMap<u64, u32>,
    clusters: &Clusters,
) -> Vec<WordInfo> {
    let mut v = Vec::with_capacity(forms.len() + 4);
    let mut scratch = Scratch::default();
    v.push(pad(PAD_L));
    v.push(pad(PAD_L + 1));
    for (i, f) in forms.iter().enumerate() {
        v.push(word_info(f, i == 0, amb, sure, clusters, &mut scratch));
    }
    v.push(pad(PAD_R));
    v.push(pad(PAD_R + 1));
    v
}

/// Features of word `i` (index into the unpadded sentence) given the two previous tags.
fn features(w: &[WordInfo], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    let c = i + 2;
    let (m2, m1, x, n1, n2) = (&w[c - 2], &w[c - 1], &w[c], &w[c + 1], &w[c + 2]);
    out.extend_from_slice(&[
        feat(0, 0, 0, 0),
        feat(1, x.lower, 0, 0),
        feat(2, x.form, 0, 0),
        feat(3, x.suf[0], 0, 0),
        feat(4, x.suf[1], 0, 0),
        feat(5, x.suf[2], 0, 0),
        feat(6, x.suf[3], 0, 0),
        feat(7, x.pre[0], 0, 0),
        feat(8, x.pre[1], 0, 0),
        feat(9, x.pre[2], 0, 0),
        feat(10, x.shape, 0, 0),
        feat(11, x.flags, 0, 0),
        feat(12, m1.lower, 0, 0),
        feat(13, m2.lower, 0, 0),
        feat(14, n1.lower, 0, 0),
        feat(15, n2.lower, 0, 0),
        feat(16, m1.suf[2], 0, 0),
        feat(17, n1.suf[2], 0, 0),
        feat(18, n1.suf[1], 0, 0),
        feat(19, p1, 0, 0),
        feat(20, p2, 0, 0),
        feat(21, p1, p2, 0),
        feat(22, p1, x.lower, 0),
        feat(23, p1, x.suf[2], 0),
        feat(24, x.amb, 0, 0),
        feat(25, n1.amb, 0, 0),
        feat(26, n2.amb, 0, 0),
        feat(27, x.amb, n1.amb, 0),
        feat(28, p1, x.amb, 0),
        feat(29, x.lower, n1.lower, 0),
        feat(30, m1.lower, x.lower, 0),
        feat(31, n1.shape, 0, 0),
        feat(32, m1.shape, x.shape, 0),
        feat(33, x.flags, x.suf[2], 0),
        feat(34, p1, n1.amb, 0),
        feat(35, x.amb, x.suf[2], 0),
        feat(36, m1.amb, 0, 0),
        feat(37, x.lower, n2.lower, 0),
    ]);
    // Distributional classes learned from unlabeled text (none in a model without them).
    if x.cls != NO_CLASSES {
        out.extend_from_slice(&[
            feat(50, x.cls, 0, 0),
            feat(51, x.ccls, 0, 0),
            feat(53, n1.cls, 0, 0),
        ]);
    }
}

/// Extra features of the second pass: the first pass's tags of the next two words.
fn right_features(w: &[WordInfo], i: usize, p1: u64, first: &[usize], out: &mut Vec<u64>) {
    let x = &w[i + 2];
    let (r1, r2) = (right_tag(first, i, 1), right_tag(first, i, 2));
    out.extend_from_slice(&[
        feat(40, r1, 0, 0),
        feat(41, r1, r2, 0),
        feat(42, r1, x.lower, 0),
        feat(43, p1, r1, 0),
        feat(44, r1, x.suf[2], 0),
        feat(45, r1, x.amb, 0),
    ]);
}

/// First-pass tag of word `i + k` as a feature value (0 past the end).
fn right_tag(first: &[usize], i: usize, k: usize) -> u64 {
    first.get(i + k).map_or(0, |&t| t as u64 + 1)
}

/// Words whose first-pass tag beat the runner-up by at least this much (in averaged
/// perceptron score units) keep it: the second pass re-tags only the others. Chosen on EWT
/// dev (the smallest margin with the accuracy of re-tagging every word; 7000 quantised
/// units of the model it was tuned on); most words lead by more, so the second pass costs about
/// a tenth of what it did when it re-tagged them all.
const SECOND_PASS_MARGIN: f32 = 12.25;

/// The first, left-to-right pass: a tag per word, and into `margins` by how much each
/// tag's score beat the runner-up (infinite for the words of `sure`).
fn first_pass(
    weights: &Weights,
    info: &[WordInfo],
    n: usize,
    margins: &mut Vec<f32>,
) -> Vec<usize> {
    let mut out = Vec::with_capacity(n);
    margins.clear();
    let mut f = Vec::with_capacity(56);
    let mut scores = vec![0f32; weights.n_classes()];
    let (mut p1, mut p2) = (0u64, 0u64);
    for i in 0..n {
        let sure = info[i + 2].sure;
        let (t, margin) = if sure != u32::MAX {
            (sure as usize, f32::INFINITY)
        } else {
            features(info, i, p1, p2, &mut f);
            weights.scores(&f, &mut scores);
            best_two(&scores)
        };
        out.push(t);
        margins.push(margin);
        p2 = p1;
        p1 = t as u64 + 1;
    }
    out
}

/// The best class (the first of equal scores) and its lead over the runner-up.
#[inline]
fn best_two(scores: &[f32]) -> (usize, f32) {
    let (mut b1, mut b2, mut at) = (f32::NEG_INFINITY, f32::NEG_INFINITY, 0usize);
    for (k, &s) in scores.iter().enumerate() {
        if s > b1 {
            b2 = b1;
            b1 = s;
            at = k;
        } else if s > b2 {
            b2 = s;
        }
    }
    (at, b1 - b2)
}

/// The second left-to-right pass, which also sees the first pass's tags of the next two
/// words: it re-tags the words whose first-pass `margins` are under `min_margin` (in the
/// first pass's quantised units) and keeps the first pass's tags of the others.
fn second_pass(
    weights: &Weights,
    info: &[WordInfo],
    first: &[usize],
    margins: &[f32],
    min_margin: f32,
) -> Vec<usize> {
    let mut out = Vec::with_capacity(first.len());
    let mut f = Vec::with_capacity(56);
    let mut scores = vec![0f32; weights.n_classes()];
    let (mut p1, mut p2) = (0u64, 0u64);
    for (i, (&t1, &margin)) in first.iter().zip(margins).enumerate() {
        let t = if margin >= min_margin {
            t1
        } else {
            features(info, i, p1, p2, &mut f);
            right_features(info, i, p1, first, &mut f);
            weights.scores(&f, &mut scores);
            argmax_finite(&scores).unwrap_or(0)
        };
        out.push(t);
        p2 = p1;
        p1 = t as u64 + 1;
    }
    out
}

/// The trained tagger: a left-to-right pass, optionally followed by a second pass that
/// also sees the first pass's tags of the following words.
pub(crate) struct Tagger {
    /// Joint tags: (UPOS, XPOS).
    pub(crate) tags: Vec<(String, String)>,
    first: Weights,
    second: Option<Weights>,
    pub(crate) amb: FxHashMap<u64, u64>,
    sure: FxHashMap<u64, u32>,
    /// Distributional word classes (shared with the parser).
    pub(crate) clusters: Clusters,
}

impl Tagger {
    /// [`SECOND_PASS_MARGIN`] in the first pass's quantised units.
    fn min_margin(&self) -> f32 {
        SECOND_PASS_MARGIN / self.first.scale()
    }

    /// Tag ids of a sentence.
    pub(crate) fn tag(&self, forms: &[&str]) -> Vec<usize> {
        let info = sentence_info(forms, &self.amb, &self.sure, &self.clusters);
        let mut margins = Vec::new();
        let first = first_pass(&self.first, &info, forms.len(), &mut margins);
        match &self.second {
            Some(w) => second_pass(w, &info, &first, &margins, self.min_margin()),
            None => first,
        }
    }

    /// Tag ids of many sentences: as [`Tagger::tag`] on each, but pass by pass over all
    /// of them, so that each pass's weights stay in cache.
    pub(crate) fn tag_batch(&self, sentences: &[&[&str]]) -> Vec<Vec<usize>> {
        let infos: Vec<Vec<WordInfo>> = sentences
            .iter()
            .map(|f| sentence_info(f, &self.amb, &self.sure, &self.clusters))
            .collect();
        let mut margins: Vec<Vec<f32>> = vec![Vec::new(); sentences.len()];
        let first: Vec<Vec<usize>> = infos
            .iter()
            .zip(sentences)
            .zip(&mut margins)
            .map(|((info, f), m)| first_pass(&self.first, info, f.len(), m))
            .collect();
        match &self.second {
            Some(w) => infos
                .iter()
                .zip(&first)
                .zip(&margins)
                .map(|((info, first), m)| second_pass(w, info, first, m, self.min_margin()))
                .collect(),
            None => first,
        }
    }

    fn write_head(
        tags: &[(String, String)],
        amb: &FxHashMap<u64, u64>,
        sure: &FxHashMap<u64, u32>,
        clusters: &Clusters,
        w: &mut Writer,
    ) {
        w.var(tags.len() as u64);
        for (u, x) in tags {
            w.str(u);
            w.str(x);
        }
        w.map(amb, Writer::u64);
        w.map(sure, Writer::u32);
        clusters.write(w);
    }

    /// Serialise: tags, ambiguity classes, first-pass weights, then a flag and the
    /// second-pass weights.
    fn to_bytes(
        tags: &[(String, String)],
        amb: &FxHashMap<u64, u64>,
        sure: &FxHashMap<u64, u32>,
        clusters: &Clusters,
        first: &[u8],
        second: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut w = Writer::default();
        Tagger::write_head(tags, amb, sure, clusters, &mut w);
        w.buf.extend_from_slice(first);
        match second {
            Some(s) => {
                w.u8(1);
                w.buf.extend_from_slice(s);
            }
            None => w.u8(0),
        }
        w.buf
    }

    /// Copy a serialised tagger, pruning its weights (see [`copy_pruned`]).
    pub(crate) fn copy_pruned(r: &mut Reader<'_>, w: &mut Writer, min_q: i16) -> Result<(), Error> {
        let n = r.len(2)?;
        w.var(n as u64);
        for _ in 0..n {
            w.str(&r.str()?);
            w.str(&r.str()?);
        }
        let n = r.len(16)?;
        w.var(n as u64);
        for _ in 0..n {
            w.u64(r.u64()?);
            w.u64(r.u64()?);
        }
        let n = r.len(12)?;
        w.var(n as u64);
        for _ in 0..n {
            w.u64(r.u64()?);
            w.u32(r.u32()?);
        }
        Clusters::read(r)?.write(w);
        copy_pruned(r, w, min_q)?;
        let flag = r.u8()?;
        w.u8(flag);
        if flag == 1 {
            copy_pruned(r, w, min_q)?;
        }
        Ok(())
    }

    /// Read a serialised tagger's parts without building its tables (see
    /// [`TaggerWeights`]).
    pub(crate) fn read_weights(r: &mut Reader<'_>) -> Result<TaggerWeights, Error> {
        let start = r.offset();
        Tagger::read_head(r)?;
        let head = r.read_since(start).to_vec();
        let first = read_sparse(r)?;
        let second = match r.u8()? {
            0 => None,
            1 => Some(read_sparse(r)?),
            _ => return Err(Error::Model("corrupt model data: tagger pass flag".into())),
        };
        Ok(TaggerWeights {
            head,
            first,
            second,
        })
    }

    /// Serialise a tagger whose weights are the mean of those of `taggers`, which must
    /// have the same tags, ambiguity classes, sure words and word classes (as taggers
    /// trained on the same data with different seeds do) and the same passes.
    pub(crate) fn write_mean_of(taggers: Vec<TaggerWeights>, w: &mut Writer) -> Result<(), Error> {
        let Some(head) = taggers.first().map(|t| t.head.clone()) else {
            return Err(Error::Model("no taggers to average".into()));
        };
        if taggers.iter().any(|t| t.head != head) {
            return Err(Error::Model(
                "taggers to average differ in tags or words".into(),
            ));
        }
        let (mut first, mut second) = (Vec::new(), Vec::new());
        for t in taggers {
            first.push(t.first);
            second.extend(t.second);
        }
        if !second.is_empty() && second.len() != first.len() {
            return Err(Error::Model("taggers to average differ in passes".into()));
        }
        w.buf.extend_from_slice(&head);
        write_mean(&first, w)?;
        w.u8(!second.is_empty() as u8);
        if !second.is_empty() {
            write_mean(&second, w)?;
        }
        Ok(())
    }

    /// Read the part before the weights.
    fn read_head(r: &mut Reader<'_>) -> Result<TaggerHead, Error> {
        let n = r.len(2)?;
        let mut tags = Vec::with_capacity(n);
        for _ in 0..n {
            let u = r.str()?;
            let x = r.str()?;
            tags.push((u, x));
        }
        let amb = r.map(8, Reader::u64)?;
        let sure = r.map(4, Reader::u32)?;
        if sure.values().any(|&b| b as usize >= tags.len()) {
            return Err(Error::Model("corrupt model data: tag out of range".into()));
        }
        let clusters = Clusters::read(r)?;
        Ok(TaggerHead {
            tags,
            amb,
            sure,
            clusters,
        })
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Tagger, Error> {
        let TaggerHead {
            tags,
            amb,
            sure,
            clusters,
        } = Tagger::read_head(r)?;
        let first = Weights::read(r)?;
        let second = match r.u8()? {
            0 => None,
            1 => Some(Weights::read(r)?),
            _ => return Err(Error::Model("corrupt model data: tagger pass flag".into())),
        };
        if first.n_classes() != tags.len()
            || second.as_ref().is_some_and(|s| s.n_classes() != tags.len())
        {
            return Err(Error::Model("tagger: class count mismatch".into()));
        }
        Ok(Tagger {
            tags,
            first,
            second,
            amb,
            sure,
            clusters,
        })
    }
}

/// A serialised tagger's parts: the bytes before its weights (tags, ambiguity classes,
/// sure words, word classes) and the weights of its passes.
pub(crate) struct TaggerWeights {
    head: Vec<u8>,
    first: SparseWeights,
    second: Option<SparseWeights>,
}

/// What a serialised tagger holds before its weights.
struct TaggerHead {
    tags: Vec<(String, String)>,
    amb: FxHashMap<u64, u64>,
    sure: FxHashMap<u64, u32>,
    clusters: Clusters,
}

/// Options for training the tagger.
#[derive(Clone, Debug)]
pub(crate) struct TagTrainOptions {
    pub(crate) epochs: usize,
    pub(crate) seed: u64,
    pub(crate) amb_min_count: usize,
    /// Averaged weights smaller than this are dropped from the saved model.
    pub(crate) prune: f64,
    /// Features updated fewer times than this are dropped from the saved model.
    pub(crate) min_updates: u32,
    /// Train a second pass when 2 or more: its training input is first-pass tags from
    /// this many jackknife folds.
    pub(crate) second_pass_folds: usize,
}

type TagData = Vec<(Vec<WordInfo>, Vec<usize>)>;

/// Train one pass; returns the serialised weights of the best epoch on `dev` (or the last).
#[allow(clippy::too_many_arguments)]
fn train_pass(
    data: &TagData,
    right: Option<&[Vec<usize>]>,
    n_classes: usize,
    epochs: usize,
    opt: &TagTrainOptions,
    dev_score: &mut dyn FnMut(&[u8]) -> Result<f64, Error>,
    name: &str,
    log: &mut dyn FnMut(String),
) -> Result<Vec<u8>, Error> {
    let mut trainer = Trainer::new(n_classes);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng::new(opt.seed);
    let mut scores = vec![0f32; n_classes];
    let mut f = Vec::new();
    let mut best: Option<(f64, Vec<u8>)> = None;
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let (mut right_n, mut total) = (0usize, 0usize);
        for &k in &order {
            let (info, gold) = &data[k];
            let first = right.and_then(|r| r.get(k));
            let (mut p1, mut p2) = (0u64, 0u64);
            for (i, &g) in gold.iter().enumerate() {
                if info[i + 2].sure != u32::MAX {
                    p2 = p1;
                    p1 = info[i + 2].sure as u64 + 1;
                    continue;
                }
                features(info, i, p1, p2, &mut f);
                if let Some(first) = first {
                    right_features(info, i, p1, first, &mut f);
                }
                trainer.tick();
                trainer.scores(&f, &mut scores);
                let p = argmax(&scores, |_| true).unwrap_or(0);
                if p != g {
                    trainer.update(&f, g, 1);
                    trainer.update(&f, p, -1);
                } else {
                    right_n += 1;
                }
                total += 1;
                p2 = p1;
                p1 = p as u64 + 1;
            }
        }
        let mut w = Writer::default();
        trainer.write_averaged(&mut w, opt.prune, opt.min_updates);
        let acc = dev_score(&w.buf)?;
        log(format!(
            "{name} epoch {}: train {:.4} dev {:.4} ({} bytes)",
            epoch + 1,
            right_n as f64 / total.max(1) as f64,
            acc,
            w.buf.len()
        ));
        if !matches!(&best, Some((b, _)) if *b >= acc) {
            best = Some((acc, w.buf));
        }
    }
    best.map(|(_, b)| b)
        .ok_or_else(|| Error::Training("no epochs".into()))
}

/// Train a tagger; returns the serialised tagger with the best dev accuracy over epochs
/// (or the last epoch when there is no dev set). `log` receives per-epoch accuracies.
pub(crate) fn train(
    train: &[Sentence],
    dev: &[Sentence],
    clusters: &Clusters,
    opt: &TagTrainOptions,
    log: &mut dyn FnMut(String),
) -> Result<Vec<u8>, Error> {
    let mut tag_ids: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for s in train {
        for w in &s.words {
            tag_ids.entry((w.upos.clone(), w.xpos.clone())).or_insert(0);
        }
    }
    if tag_ids.is_empty() {
        return Err(Error::Training("no training words".into()));
    }
    let tags: Vec<(String, String)> = tag_ids.keys().cloned().collect();
    for (i, v) in tag_ids.values_mut().enumerate() {
        *v = i;
    }
    let amb = ambiguity_classes(train, &tag_ids, opt.amb_min_count);
    let sure = sure_words(train, &tag_ids);
    let data = tag_data(train, &tag_ids, &amb, &sure, clusters);
    let n = tags.len();
    let mut dev_first = |bytes: &[u8]| -> Result<f64, Error> {
        if dev.is_empty() {
            return Ok(0.0);
        }
        let t = Tagger::read(&mut Reader::new(&Tagger::to_bytes(
            &tags, &amb, &sure, clusters, bytes, None,
        )))?;
        Ok(accuracy(&t, dev))
    };
    let first = train_pass(
        &data,
        None,
        n,
        opt.epochs,
        opt,
        &mut dev_first,
        "tagger",
        log,
    )?;
    if opt.second_pass_folds < 2 {
        return Ok(Tagger::to_bytes(&tags, &amb, &sure, clusters, &first, None));
    }
    // First-pass tags for the training data, each fold tagged by a model trained on the others.
    let k = opt.second_pass_folds;
    let mut right: Vec<Vec<usize>> = vec![Vec::new(); data.len()];
    for fold in 0..k {
        let rest: TagData = data
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, d)| d.clone())
            .collect();
        let bytes = train_pass(
            &rest,
            None,
            n,
            opt.epochs.min(6),
            opt,
            &mut |_| Ok(0.0),
            "fold",
            &mut |_| {},
        )?;
        let w = Weights::read(&mut Reader::new(&bytes))?;
        let mut margins = Vec::new();
        for (i, (info, gold)) in data.iter().enumerate().filter(|(i, _)| i % k == fold) {
            right[i] = first_pass(&w, info, gold.len(), &mut margins);
        }
        log(format!(
            "tagger: second-pass fold {} of {k} tagged",
            fold + 1
        ));
    }
    let mut dev_both = |bytes: &[u8]| -> Result<f64, Error> {
        if dev.is_empty() {
            return Ok(0.0);
        }
        let t = Tagger::read(&mut Reader::new(&Tagger::to_bytes(
            &tags,
            &amb,
            &sure,
            clusters,
            &first,
            Some(bytes),
        )))?;
        Ok(accuracy(&t, dev))
    };
    let second = train_pass(
        &data,
        Some(&right),
        n,
        opt.epochs,
        opt,
        &mut dev_both,
        "tagger pass 2",
        log,
    )?;
    Ok(Tagger::to_bytes(
        &tags,
        &amb,
        &sure,
        clusters,
        &first,
        Some(&second),
    ))
}

fn ambiguity_classes(
    train: &[Sentence],
    tag_ids: &std::collections::BTreeMap<(String, String), usize>,
    min_count: usize,
) -> FxHashMap<u64, u64> {
    // The set of tags seen with each (normalised) word, ignoring rare readings.
    let mut seen: std::collections::BTreeMap<
        u64,
        (usize, std::collections::BTreeMap<usize, usize>),
    > = Default::default();
    for s in train {
        for w in &s.words {
            let e = seen.entry(hash_str(&norm_lower(&w.form))).or_default();
            e.0 += 1;
            *e.1.entry(tag_ids[&(w.upos.clone(), w.xpos.clone())])
                .or_default() += 1;
        }
    }
    let mut amb = FxHashMap::default();
    for (word, (count, by_tag)) in &seen {
        if *count < min_count {
            continue;
        }
        let mut h = 0x5555u64;
        for (t, c) in by_tag {
            if c * 20 >= *count {
                h = feat(99, h, *t as u64, 0);
            }
        }
        amb.insert(*word, h);
    }
    amb
}

/// Frequent word forms (seen 20 times or more) that carried one tag at least 99.5% of
/// the time: tagged directly, without scoring.
fn sure_words(
    train: &[Sentence],
    tag_ids: &std::collections::BTreeMap<(String, String), usize>,
) -> FxHashMap<u64, u32> {
    let mut seen: std::collections::BTreeMap<u64, std::collections::BTreeMap<usize, usize>> =
        Default::default();
    for s in train {
        for w in &s.words {
            *seen
                .entry(hash_str(&w.form))
                .or_default()
                .entry(tag_ids[&(w.upos.clone(), w.xpos.clone())])
                .or_default() += 1;
        }
    }
    let mut out = FxHashMap::default();
    for (form, by_tag) in seen {
        let total: usize = by_tag.values().sum();
        let Some((&tag, &top)) = by_tag
            .iter()
            .max_by_key(|(t, c)| (**c, std::cmp::Reverse(**t)))
        else {
            continue;
        };
        if total >= 20 && top * 1000 >= total * 995 {
            out.insert(form, tag as u32);
        }
    }
    out
}

fn tag_data(
    train: &[Sentence],
    tag_ids: &std::collections::BTreeMap<(String, String), usize>,
    amb: &FxHashMap<u64, u64>,
    sure: &FxHashMap<u64, u32>,
    clusters: &Clusters,
) -> TagData {
    train
        .iter()
        .map(|s| {
            let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let gold = s
                .words
                .iter()
                .map(|w| tag_ids[&(w.upos.clone(), w.xpos.clone())])
                .collect();
            (sentence_info(&forms, amb, sure, clusters), gold)
        })
        .collect()
}

/// Joint-tag accuracy (both UPOS and XPOS right).
pub(crate) fn accuracy(tagger: &Tagger, sents: &[Sentence]) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    for s in sents {
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        for (t, w) in tagger.tag(&forms).iter().zip(&s.words) {
            let (u, x) = &tagger.tags[*t];
            right += (*u == w.upos && *x == w.xpos) as usize;
            total += 1;
        }
    }
    right as f64 / total.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_two_picks_the_first_best_and_its_lead() {
        assert_eq!(best_two(&[1.0, 5.0, 3.0]), (1, 2.0));
        // Ties go to the lower index, with no lead.
        assert_eq!(best_two(&[1.0, 5.0, 3.0, 5.0]), (1, 0.0));
        assert_eq!(best_two(&[-2.0, -1.0]), (1, 1.0));
        // A single class leads by infinity: the second pass never revisits it.
        assert_eq!(best_two(&[4.0]), (0, f32::INFINITY));
    }
}
