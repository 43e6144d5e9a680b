//! Greedy arc-eager dependency parser with an averaged perceptron, rich non-local
//! features (Zhang and Nivre 2011 style) and a dynamic oracle (Goldberg and Nivre 2012)
//! for training. One labelled action set: SHIFT, REDUCE, LEFT-ARC(l), RIGHT-ARC(l).
//! LEFT-ARC may also take a word that already has a head (the non-monotonic arc-eager
//! system of Honnibal, Goldberg and Johnson 2013), so a RIGHT-ARC made too early, above
//! all the root arc given to the first verb of "“We face …,” said Joe", can be undone
//! when the true head arrives; models of format 2 were trained without it.
//!
//! Parsing takes at most `2n` transitions, so time is linear in sentence length. The
//! root may take only one dependent (labelled `root`); words still without a head at
//! the end attach to that word with `dep` (or the first becomes the root).

use crate::cluster::{Clusters, NO_CLASSES};
use crate::codec::{Reader, Writer};
use crate::hash::{feat, feat4, hash_str, Rng};
use crate::perceptron::{argmax, argmax_finite, copy_pruned, Trainer, Weights};
use crate::tagger::norm_lower_into;
use crate::Error;

const NONE: usize = usize::MAX;
const SHIFT: usize = 0;
const REDUCE: usize = 1;

/// What the parser needs to know about each word: hashes of the word, its joint tag,
/// its UPOS and its ending, and how many punctuation marks and verbs come before it.
#[derive(Clone, Copy)]
pub(crate) struct PWord {
    pub(crate) w: u64,
    pub(crate) p: u64,
    u: u64,
    suf: u64,
    /// Distributional class (fine).
    c: u64,
    punct_before: u32,
    verb_before: u32,
    punct: bool,
    verb: bool,
}

const NONE_W: PWord = PWord {
    w: 1,
    p: 1,
    u: 1,
    suf: 1,
    c: 1,
    punct_before: 0,
    verb_before: 0,
    punct: false,
    verb: false,
};
const ROOT_W: PWord = PWord {
    w: 2,
    p: 2,
    u: 2,
    suf: 2,
    c: 2,
    punct_before: 0,
    verb_before: 0,
    punct: false,
    verb: false,
};

/// Parser input for a sentence: forms and their (UPOS, XPOS) tag ids into `tagset`.
pub(crate) fn pwords(
    forms: &[&str],
    tags: &[usize],
    tagset: &[(String, String)],
    clusters: &Clusters,
) -> Vec<PWord> {
    let mut out = Vec::with_capacity(forms.len());
    let (mut punct, mut verb) = (0u32, 0u32);
    let mut lower = String::new();
    for (f, &t) in forms.iter().zip(tags) {
        let upos = tagset.get(t).map_or("", |x| x.0.as_str());
        norm_lower_into(f, &mut lower);
        let suf_start = lower.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
        let is_punct = upos == "PUNCT";
        let is_verb = matches!(upos, "VERB" | "AUX");
        let w = hash_str(&lower);
        let (c, _) = clusters.classes(w);
        out.push(PWord {
            w,
            p: t as u64 + 10,
            u: hash_str(upos),
            suf: hash_str(&lower[suf_start..]) ^ 0x5u64,
            c,
            punct_before: punct,
            verb_before: verb,
            punct: is_punct,
            verb: is_verb,
        });
        punct += is_punct as u32;
        verb += is_verb as u32;
    }
    out
}

struct State {
    n: usize,
    /// Whether LEFT-ARC may replace a head (see the module documentation).
    repair: bool,
    stack: Vec<usize>,
    b: usize,
    heads: Vec<usize>,
    labels: Vec<u16>,
    l1: Vec<usize>,
    l2: Vec<usize>,
    r1: Vec<usize>,
    r2: Vec<usize>,
    nl: Vec<u16>,
    nr: Vec<u16>,
    lset: Vec<u64>,
    rset: Vec<u64>,
}

impl State {
    fn new(n: usize, repair: bool) -> State {
        let m = n + 1;
        State {
            n,
            repair,
            stack: vec![0],
            b: 1,
            heads: vec![NONE; m],
            labels: vec![0; m],
            l1: vec![NONE; m],
            l2: vec![NONE; m],
            r1: vec![NONE; m],
            r2: vec![NONE; m],
            nl: vec![0; m],
            nr: vec![0; m],
            lset: vec![0; m],
            rset: vec![0; m],
        }
    }

    /// Hash of everything the features and the valid actions can see: the buffer
    /// position and, for each stack word and the buffer front, its head, label, nearest
    /// dependents, label sets and valencies. Two states with the same signature go on
    /// identically (up to hash collisions), however different their finished arcs are.
    fn sig(&self) -> u64 {
        let mix = |h: u64, x: u64| (h.rotate_left(7) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        let mut h = mix(self.b as u64, self.stack.len() as u64);
        let item = |h: u64, k: usize| {
            if k > self.n {
                return mix(h, k as u64);
            }
            let mut h = mix(h, k as u64);
            h = mix(h, self.heads[k] as u64 ^ (self.labels[k] as u64) << 40);
            h = mix(h, self.l1[k] as u64 ^ (self.l2[k] as u64) << 32);
            h = mix(h, self.r1[k] as u64 ^ (self.r2[k] as u64) << 32);
            h = mix(h, self.lset[k] ^ self.rset[k].rotate_left(17));
            h = mix(h, (self.nl[k] as u64) << 16 | self.nr[k] as u64);
            h
        };
        for &k in &self.stack {
            h = item(h, k);
        }
        item(h, self.b)
    }

    fn terminal(&self) -> bool {
        self.b > self.n
    }

    fn s0(&self) -> usize {
        self.stack.last().copied().unwrap_or(NONE)
    }

    /// Take `d` off its head (a repairing LEFT-ARC), recomputing the head's nearest
    /// dependents, count and label set on `d`'s side. Rare, so a scan.
    fn detach(&mut self, d: usize) {
        let h = self.heads[d];
        if h == NONE {
            return;
        }
        self.heads[d] = NONE;
        self.labels[d] = 0;
        // Visited from `h` outwards: the nearest dependent last, the next nearest before it.
        let (mut near, mut next, mut count, mut set) = (NONE, NONE, 0u16, 0u64);
        let mut visit = |k: usize| {
            if self.heads[k] == h {
                next = near;
                near = k;
                count += 1;
                set |= 1u64 << (self.labels[k].min(63) as u64);
            }
        };
        if d > h {
            (h + 1..=self.n).for_each(&mut visit);
            (self.r1[h], self.r2[h], self.nr[h], self.rset[h]) = (near, next, count, set);
        } else {
            (0..h).rev().for_each(&mut visit);
            (self.l1[h], self.l2[h], self.nl[h], self.lset[h]) = (near, next, count, set);
        }
    }

    fn add_arc(&mut self, h: usize, d: usize, l: u16) {
        self.heads[d] = h;
        self.labels[d] = l;
        let bit = 1u64 << (l.min(63) as u64);
        if d < h {
            // New leftmost dependent (arcs to the left are built inside-out).
            self.l2[h] = self.l1[h];
            self.l1[h] = d;
            self.nl[h] += 1;
            self.lset[h] |= bit;
        } else {
            self.r2[h] = self.r1[h];
            self.r1[h] = d;
            self.nr[h] += 1;
            self.rset[h] |= bit;
        }
    }

    /// Set the scores of the actions not allowed now to -inf (same rule as [`State::valid`],
    /// decided once per kind of action).
    fn mask_invalid(&self, scores: &mut [f32], n_labels: usize, root_label: usize) {
        let s0 = self.s0();
        let has_b = self.b <= self.n;
        let on_word = s0 != 0 && s0 != NONE;
        let headed = on_word && self.heads[s0] != NONE;
        let (left, right) = scores.split_at_mut(2 + n_labels);
        let (fixed, left) = left.split_at_mut(2);
        if !has_b {
            fixed[SHIFT] = f32::NEG_INFINITY;
        }
        if !headed {
            fixed[REDUCE] = f32::NEG_INFINITY;
        }
        if !(has_b && on_word && (!headed || self.repair)) {
            left.fill(f32::NEG_INFINITY);
        } else if let Some(x) = left.get_mut(root_label) {
            *x = f32::NEG_INFINITY;
        }
        if !has_b || s0 == NONE {
            right.fill(f32::NEG_INFINITY);
        } else if s0 == 0 {
            let keep = right
                .get(root_label)
                .copied()
                .filter(|_| self.r1[0] == NONE);
            right.fill(f32::NEG_INFINITY);
            if let (Some(k), Some(x)) = (keep, right.get_mut(root_label)) {
                *x = k;
            }
        } else if let Some(x) = right.get_mut(root_label) {
            *x = f32::NEG_INFINITY;
        }
    }

    /// Empty the state for a sentence of the same length.
    fn reset(&mut self) {
        self.stack.clear();
        self.stack.push(0);
        self.b = 1;
        for v in [
            &mut self.heads,
            &mut self.l1,
            &mut self.l2,
            &mut self.r1,
            &mut self.r2,
        ] {
            v.fill(NONE);
        }
        for v in [&mut self.labels, &mut self.nl, &mut self.nr] {
            v.fill(0);
        }
        self.lset.fill(0);
        self.rset.fill(0);
    }

    /// Whether `action` is allowed (labels: `n_labels`, `root_label` index).
    fn valid(&self, action: usize, n_labels: usize, root_label: usize) -> bool {
        let s0 = self.s0();
        let has_b = self.b <= self.n;
        match action {
            SHIFT => has_b,
            REDUCE => s0 != 0 && s0 != NONE && self.heads[s0] != NONE,
            a if a < 2 + n_labels => {
                let l = a - 2;
                has_b
                    && s0 != 0
                    && s0 != NONE
                    && (self.heads[s0] == NONE || self.repair)
                    && l != root_label
            }
            a => {
                let l = a - 2 - n_labels;
                if !has_b || s0 == NONE {
                    return false;
                }
                if s0 == 0 {
                    l == root_label && self.r1[0] == NONE
                } else {
                    l != root_label
                }
            }
        }
    }

    fn apply(&mut self, action: usize, n_labels: usize) {
        let s0 = self.s0();
        match action {
            SHIFT => {
                self.stack.push(self.b);
                self.b += 1;
            }
            REDUCE => {
                self.stack.pop();
            }
            a if a < 2 + n_labels => {
                self.detach(s0);
                self.add_arc(self.b, s0, (a - 2) as u16);
                self.stack.pop();
            }
            a => {
                let b = self.b;
                self.add_arc(s0, b, (a - 2 - n_labels) as u16);
                self.stack.push(b);
                self.b += 1;
            }
        }
    }

    /// Cost (gold arcs made unreachable) of each action; `gold` holds (head, label) per word.
    ///
    /// With repairs, a stack word's wrong head can still give way to its gold head in the
    /// buffer, so losing that chance costs; a wrong RIGHT-ARC still costs one, as if it
    /// could not be repaired, so that the oracle never prefers a detour.
    fn costs(&self, gold: &[(usize, u16)], n_labels: usize, out: &mut [u32]) {
        let s0 = self.s0();
        let b = self.b;
        let n = self.n;
        let repair = self.repair;
        // Whether stack word `k` could still take a head from the buffer.
        let open = |k: usize| self.heads[k] == NONE || repair;
        // `gold` is indexed by word (word `i` at `gold[i - 1]`); the root has no head.
        let gh = |i: usize| {
            if i == 0 {
                NONE
            } else {
                gold.get(i - 1).map_or(NONE, |g| g.0)
            }
        };
        let gl = |i: usize| {
            if i == 0 {
                u16::MAX
            } else {
                gold.get(i - 1).map_or(u16::MAX, |g| g.1)
            }
        };
        // SHIFT
        let mut shift = 0;
        if b <= n {
            for &k in &self.stack {
                if gh(b) == k {
                    shift += 1;
                }
                if k != 0 && gh(k) == b && open(k) {
                    shift += 1;
                }
            }
        }
        // REDUCE
        let mut reduce = 0;
        if s0 != NONE {
            for k in b..=n {
                if gh(k) == s0 {
                    reduce += 1;
                }
            }
            if repair && s0 != 0 && (b..=n).contains(&gh(s0)) {
                reduce += 1;
            }
        }
        // LEFT-ARC (unlabelled part)
        let mut left = 0;
        if s0 != NONE && s0 != 0 && b <= n {
            let h = gh(s0);
            if h > b && h <= n {
                left += 1;
            }
            // Replacing a gold head.
            if self.heads[s0] != NONE && self.heads[s0] == h {
                left += 1;
            }
            for k in b..=n {
                if gh(k) == s0 {
                    left += 1;
                }
            }
        }
        // RIGHT-ARC (unlabelled part)
        let mut right = 0;
        if b <= n {
            let h = gh(b);
            if h != s0 && h != NONE && (h > b || self.stack.contains(&h)) {
                right += 1;
            }
            for &k in &self.stack {
                if k != 0 && gh(k) == b && open(k) {
                    right += 1;
                }
            }
        }
        out[SHIFT] = shift;
        out[REDUCE] = reduce;
        for l in 0..n_labels {
            let wrong_left = (s0 != NONE && gh(s0) == b && gl(s0) != l as u16) as u32;
            out[2 + l] = left + wrong_left;
            let wrong_right = (s0 != NONE && gh(b) == s0 && gl(b) != l as u16) as u32;
            out[2 + n_labels + l] = right + wrong_right;
        }
    }

    /// Every feature of the state: [`State::stack_features`] then [`buffer_features`].
    fn features(&self, words: &[PWord], out: &mut Vec<u64>) {
        let mut buffer = Vec::with_capacity(16);
        buffer_features(self.b, words, &mut buffer);
        self.stack_features(words, out);
        out.extend_from_slice(&buffer);
    }

    /// The features of [`State::features`] that see more than the buffer position (the
    /// rest are [`buffer_features`]).
    fn stack_features(&self, words: &[PWord], out: &mut Vec<u64>) {
        out.clear();
        let word = |i: usize| -> PWord {
            if i == NONE || i > self.n {
                NONE_W
            } else if i == 0 {
                ROOT_W
            } else {
                words[i - 1]
            }
        };
        let at = |v: &Vec<usize>, i: usize| if i == NONE || i > self.n { NONE } else { v[i] };
        let lab = |i: usize| -> u64 {
            if i == NONE || i > self.n || self.heads[i] == NONE {
                1
            } else {
                self.labels[i] as u64 + 10
            }
        };
        let s0i = self.s0();
        let s1i = if self.stack.len() >= 2 {
            self.stack[self.stack.len() - 2]
        } else {
            NONE
        };
        let n0i = if self.b <= self.n { self.b } else { NONE };
        let n1i = if self.b < self.n { self.b + 1 } else { NONE };
        let n2i = if self.b + 1 < self.n {
            self.b + 2
        } else {
            NONE
        };
        let s0hi = at(&self.heads, s0i);
        let s0h2i = at(&self.heads, s0hi);
        let s0li = at(&self.l1, s0i);
        let s0l2i = at(&self.l2, s0i);
        let s0ri = at(&self.r1, s0i);
        let s0r2i = at(&self.r2, s0i);
        let n0li = at(&self.l1, n0i);
        let n0l2i = at(&self.l2, n0i);
        let (s0, s1, n0, n1, n2) = (word(s0i), word(s1i), word(n0i), word(n1i), word(n2i));
        let (s0h, s0h2, s0l, s0l2, s0r, s0r2, n0l, n0l2) = (
            word(s0hi),
            word(s0h2i),
            word(s0li),
            word(s0l2i),
            word(s0ri),
            word(s0r2i),
            word(n0li),
            word(n0l2i),
        );
        let d: u64 = if s0i == NONE || n0i == NONE || s0i == 0 {
            0
        } else {
            match n0i - s0i {
                x @ 1..=4 => x as u64,
                5..=9 => 5,
                _ => 6,
            }
        };
        let cnt = |v: &Vec<u16>, i: usize| {
            if i == NONE || i > self.n {
                99
            } else {
                v[i].min(8) as u64
            }
        };
        let set = |v: &Vec<u64>, i: usize| {
            if i == NONE || i > self.n {
                1
            } else {
                v[i] ^ 0xabc
            }
        };
        let (vr, vl, n0vl) = (cnt(&self.nr, s0i), cnt(&self.nl, s0i), cnt(&self.nl, n0i));
        let (sr, sl, n0sl) = (
            set(&self.rset, s0i),
            set(&self.lset, s0i),
            set(&self.lset, n0i),
        );
        let f = |t: u32, a: u64, b: u64, c: u64| feat(t, a, b, c);
        // What lies between s0 and n0: punctuation and verbs (prefix counts, O(1)).
        let (pb, vb) = if s0i != NONE && s0i != 0 && n0i != NONE {
            let a = &words[s0i - 1];
            let b = &words[n0i - 1];
            let pb = b
                .punct_before
                .saturating_sub(a.punct_before + a.punct as u32);
            let vb = b.verb_before.saturating_sub(a.verb_before + a.verb as u32);
            (pb.min(3) as u64, vb.min(2) as u64)
        } else {
            (9, 9)
        };
        // One array of all the templates costs less than a push (and its capacity check)
        // for each.
        out.extend_from_slice(&[
            f(1, s0.w, s0.p, 0),
            f(2, s0.w, 0, 0),
            f(3, s0.p, 0, 0),
            feat4(13, s0.w, s0.p, n0.w, n0.p),
            f(14, s0.w, s0.p, n0.w),
            f(15, s0.w, n0.w, n0.p),
            f(16, s0.w, s0.p, n0.p),
            f(17, s0.p, n0.w, n0.p),
            f(18, s0.w, n0.w, 0),
            f(19, s0.p, n0.p, 0),
            f(22, s0.p, n0.p, n1.p),
            f(23, s0h.p, s0.p, n0.p),
            f(24, s0.p, s0l.p, n0.p),
            f(25, s0.p, s0r.p, n0.p),
            f(26, s0.p, n0.p, n0l.p),
            f(27, s0.w, d, 0),
            f(28, s0.p, d, 0),
            f(29, n0.w, d, 0),
            f(30, n0.p, d, 0),
            feat4(31, s0.w, n0.w, d, 0),
            f(32, s0.p, n0.p, d),
            f(33, s0.w, vr, 0),
            f(34, s0.p, vr, 0),
            f(35, s0.w, vl, 0),
            f(36, s0.p, vl, 0),
            f(37, n0.w, n0vl, 0),
            f(38, n0.p, n0vl, 0),
            f(39, s0h.w, 0, 0),
            f(40, s0h.p, 0, 0),
            f(41, lab(s0i), 0, 0),
            f(42, s0l.w, 0, 0),
            f(43, s0l.p, 0, 0),
            f(44, lab(s0li), 0, 0),
            f(45, s0r.w, 0, 0),
            f(46, s0r.p, 0, 0),
            f(47, lab(s0ri), 0, 0),
            f(48, n0l.w, 0, 0),
            f(49, n0l.p, 0, 0),
            f(50, lab(n0li), 0, 0),
            f(51, s0h2.w, 0, 0),
            f(52, s0h2.p, 0, 0),
            f(53, lab(s0hi), 0, 0),
            f(54, s0l2.w, 0, 0),
            f(55, s0l2.p, 0, 0),
            f(56, lab(s0l2i), 0, 0),
            f(57, s0r2.w, 0, 0),
            f(58, s0r2.p, 0, 0),
            f(59, lab(s0r2i), 0, 0),
            f(60, n0l2.w, 0, 0),
            f(61, n0l2.p, 0, 0),
            f(62, lab(n0l2i), 0, 0),
            f(63, s0.p, s0l.p, s0l2.p),
            f(64, s0.p, s0r.p, s0r2.p),
            f(65, s0.p, s0h.p, s0h2.p),
            f(66, n0.p, n0l.p, n0l2.p),
            f(67, s0.w, sr, 0),
            f(68, s0.p, sr, 0),
            f(69, s0.w, sl, 0),
            f(70, s0.p, sl, 0),
            f(71, n0.w, n0sl, 0),
            f(72, n0.p, n0sl, 0),
            f(73, s1.w, 0, 0),
            f(74, s1.p, 0, 0),
            f(75, s1.p, s0.p, n0.p),
            f(76, s1.w, s0.w, 0),
            feat4(78, s0.p, n0.p, n1.p, n2.p),
            f(80, s0.p, (s0hi != NONE) as u64, n0.p),
            f(81, s0h.p, n0.p, 0),
            f(82, s1.p, lab(s1i), s0.p),
            f(83, s0.p, lab(s0i), n0.p),
            f(85, s0.w, n0.p, n1.p),
            // Coarse (UPOS) versions of the main combinations generalise over fine tags.
            f(86, s0.u, n0.u, 0),
            f(87, s0.u, n0.u, n1.u),
            f(88, s1.u, s0.u, n0.u),
            f(89, s0.u, s0l.u, s0r.u),
            f(90, n0.u, n0l.u, s0.u),
            f(91, s0h.u, s0.u, n0.u),
            // Word endings help with words unseen in training.
            f(92, s0.suf, s0.p, 0),
            f(95, pb, vb, 0),
            f(96, s0.p, n0.p, pb * 4 + vb),
            f(97, s0.u, n0.u, pb * 16 + vb * 4 + d.min(3)),
            // UD hangs the preposition (`case`) and the conjunction (`cc`) under the noun
            // or conjunct, so n0's first left child is the word that says where n0 goes:
            // the attachment site candidates s0, s0's head and s1 against it, lexically.
            f(120, s0.w, n0l.w, n0.p),
            f(121, s0.p, n0l.w, n0.w),
            f(122, s0.p, n0l.w, n0.p),
            f(123, s0h.p, n0l.w, n0.p),
            f(124, s0h.w, n0l.w, 0),
            f(125, s1.p, n0l.w, n0.p),
        ]);
        // Distributional classes learned from unlabeled text (none in a model without them).
        if has_classes(words) {
            out.extend_from_slice(&[
                f(100, s0.c, 0, 0),
                f(101, s0.c, n0.c, 0),
                f(102, s0.c, n0.p, 0),
                f(103, s0.p, n0.c, 0),
                f(126, s0.c, n0l.w, n0.c),
            ]);
        }
    }
}

/// The features of [`State::features`] that depend on the buffer position `b` only
/// (in a sentence of `words`, `1 <= b <= words.len()`).
fn buffer_features(b: usize, words: &[PWord], out: &mut Vec<u64>) {
    out.clear();
    let n = words.len();
    let word = |i: usize| -> PWord {
        match i.checked_sub(1).and_then(|i| words.get(i)) {
            Some(w) => *w,
            None => NONE_W,
        }
    };
    let n0 = word(b);
    let n1 = if b < n { word(b + 1) } else { NONE_W };
    let n2 = if b + 1 < n { word(b + 2) } else { NONE_W };
    let n3 = if b + 2 < n { word(b + 3) } else { NONE_W };
    let f = |t: u32, a: u64, b: u64, c: u64| feat(t, a, b, c);
    out.extend_from_slice(&[
        f(79, 0, 0, 0),
        f(4, n0.w, n0.p, 0),
        f(5, n0.w, 0, 0),
        f(6, n0.p, 0, 0),
        f(7, n1.w, n1.p, 0),
        f(8, n1.w, 0, 0),
        f(9, n1.p, 0, 0),
        f(10, n2.w, n2.p, 0),
        f(11, n2.w, 0, 0),
        f(12, n2.p, 0, 0),
        f(20, n0.p, n1.p, 0),
        f(21, n0.p, n1.p, n2.p),
        f(77, n3.p, 0, 0),
        f(84, n0.w, n1.w, 0),
        f(93, n0.suf, n0.p, 0),
        f(94, n1.suf, n1.p, 0),
    ]);
    if has_classes(words) {
        out.extend_from_slice(&[
            f(110, n0.c, 0, 0),
            f(111, n1.c, 0, 0),
            f(112, n0.c, n1.c, 0),
            f(114, n0.c, n0.p, 0),
        ]);
    }
}

/// Whether the words carry distributional classes (all do, or none).
#[inline]
fn has_classes(words: &[PWord]) -> bool {
    words.first().is_some_and(|w| w.c != NO_CLASSES)
}

/// The trained parser.
pub(crate) struct Parser {
    pub(crate) labels: Vec<String>,
    root_label: usize,
    /// Whether LEFT-ARC may replace a head (trained so; see the module documentation).
    repair: bool,
    weights: Weights,
}

/// Settings of the selective branching search (Choi and McCallum 2013) that runs after
/// the greedy pass; see [`Parser::parse`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Search {
    /// Most alternatives tried per sentence (0 = greedy only).
    pub(crate) branches: usize,
    /// A sentence gets one alternative per this many words (at least two, at most
    /// `branches`).
    pub(crate) words_per_branch: usize,
    /// Only steps whose best action beat the best action of another kind by less than
    /// this (in perceptron score units) are branch points.
    pub(crate) margin: f32,
    /// Softmax temperature turning scores into log-probabilities, to compare paths (in
    /// perceptron score units).
    pub(crate) temperature: f32,
    /// A branch is dropped once its log-probability falls this far behind the greedy
    /// path's over the same number of steps.
    pub(crate) give_up: f32,
}

impl Search {
    /// Greedy parsing only.
    pub(crate) const GREEDY: Search = Search {
        branches: 0,
        words_per_branch: 1,
        margin: 0.0,
        temperature: 1.0,
        give_up: 0.0,
    };

    /// How many alternatives a sentence of `n` words gets.
    fn branches_for(&self, n: usize) -> usize {
        n.div_ceil(self.words_per_branch.max(1))
            .max(2)
            .min(self.branches)
    }

    /// The default search with at most `branches` alternatives per sentence.
    pub(crate) fn with_branches(branches: usize) -> Search {
        Search {
            branches,
            ..Search::default()
        }
    }
}

impl Default for Search {
    /// Tuned on EWT dev. The margin and temperature are in perceptron score units, not
    /// in the quantised units of a model's weights (whose size differs from model to
    /// model): they were tuned as 30,000 and 10,000 units of a model whose unit is
    /// 0.0026738888.
    fn default() -> Search {
        Search {
            branches: DEFAULT_BRANCHES,
            words_per_branch: 4,
            margin: 80.216_66,
            temperature: 26.738_888,
            give_up: 1.0,
        }
    }
}

/// Most alternatives tried per sentence by default (see [`Search`]).
pub(crate) const DEFAULT_BRANCHES: usize = 8;

/// The kind of an action: SHIFT, REDUCE, LEFT-ARC or RIGHT-ARC (any label).
fn kind(action: usize, n_labels: usize) -> usize {
    if action < 2 {
        action
    } else if action < 2 + n_labels {
        2
    } else {
        3
    }
}

/// The best finite-scored action of another kind than `a` (ties: lowest index), from
/// each kind's contiguous block of actions.
fn best_of_other_kind(scores: &[f32], a: usize, n_labels: usize) -> Option<usize> {
    let blocks = [0..1, 1..2, 2..2 + n_labels, 2 + n_labels..2 + 2 * n_labels];
    let own = kind(a, n_labels);
    let mut best: Option<usize> = None;
    for (k, block) in blocks.into_iter().enumerate() {
        if k == own {
            continue;
        }
        let start = block.start;
        if let Some(i) = scores.get(block).and_then(argmax_finite) {
            let i = start + i;
            if best.is_none_or(|b| scores[i] > scores[b]) {
                best = Some(i);
            }
        }
    }
    best
}

/// Log-probability of `action` under a softmax of `scores` at `temp`, given the best
/// action `top` (scores at -inf are impossible actions; scores far below the best are
/// ignored).
fn log_prob(scores: &[f32], action: usize, top: usize, temp: f32) -> f32 {
    let top = scores[top];
    let floor = top - 12.0 * temp;
    let inv = 1.0 / temp;
    let mut z = 0f32;
    for &x in scores {
        if x > floor {
            z += fast_exp((x - top) * inv);
        }
    }
    (scores[action] - top) * inv - z.ln()
}

/// `e^x` for `x` in [-12, 0], to about 1e-4 relative error: 2^(x log2 e) split into an
/// integer power (exponent bits) and a cubic for the fraction.
#[inline]
fn fast_exp(x: f32) -> f32 {
    let t = (x * std::f32::consts::LOG2_E).max(-126.0);
    // floor(t) for t <= 0 by truncation (`f32::floor` is a libm call on baseline x86-64).
    let i = t as i32;
    let i = i - ((i as f32) > t) as i32;
    let f = t - i as f32;
    let p = 1.0 + f * (0.695_976_1 + f * (0.224_940_1 + f * 0.079_083_4));
    f32::from_bits(((i + 127) as u32) << 23) * p
}

/// Find the index of the `root` label (or the first label when absent).
fn root_index(labels: &[String]) -> usize {
    labels.iter().position(|l| l == "root").unwrap_or(0)
}

/// Parse result for one word: head (0 = root) and label index.
pub(crate) type Arc = (usize, usize);

fn finish(st: &State, root_label: usize, dep_label: usize) -> Vec<Arc> {
    let n = st.n;
    let mut root = st.r1[0];
    let mut out: Vec<Arc> = (1..=n)
        .map(|i| (st.heads[i], st.labels[i] as usize))
        .collect();
    for i in 1..=n {
        if st.heads[i] == NONE {
            if root == NONE {
                root = i;
                out[i - 1] = (0, root_label);
            } else {
                out[i - 1] = (root, dep_label);
            }
        }
    }
    out
}

impl Parser {
    /// Parse a sentence: a greedy pass, then selective branching from its least certain
    /// steps. Each branch takes the best action of another kind there and goes on
    /// greedily until it reaches a state of the greedy path (from then on the two paths
    /// would be the same), ends, or falls too far behind; the path with the highest
    /// log-probability wins.
    pub(crate) fn parse(&self, words: &[PWord], search: &Search) -> Vec<Arc> {
        let nl = self.labels.len();
        let na = 2 + 2 * nl;
        let mut st = State::new(words.len(), self.repair);
        let mut f = Vec::with_capacity(112);
        let mut scores = vec![0f32; na];
        let branching = search.branches > 0;
        // Scores are sums of quantised weights: the search's settings in those units.
        let unit = self.weights.scale();
        let margin = search.margin / unit;
        // Per greedy step: scores (invalid actions at -inf), action and state signature.
        let steps = if branching { 2 * words.len() + 1 } else { 0 };
        let mut rec: Vec<f32> = Vec::with_capacity(steps * na);
        let mut acts: Vec<usize> = Vec::with_capacity(steps);
        let mut sigs: Vec<(usize, u64)> = Vec::with_capacity(steps);
        // Branch points: (margin, step, best action of another kind).
        let mut cands: Vec<(f32, usize, usize)> = Vec::new();
        // The sums of the features that depend on the buffer position only, once per
        // position (row `b - 1`), shared by all the states with that position.
        let mut base = vec![0i32; words.len() * na];
        for (b, row) in (1..).zip(base.chunks_exact_mut(na.max(1))) {
            buffer_features(b, words, &mut f);
            self.weights.partial(&f, row);
        }
        let score = |st: &State, f: &mut Vec<u64>, scores: &mut [f32]| {
            st.stack_features(words, f);
            let at = st.b.wrapping_sub(1).wrapping_mul(na);
            match base.get(at..at.wrapping_add(na)) {
                Some(row) => self.weights.scores_from(row, f, scores),
                None => {
                    st.features(words, f);
                    self.weights.scores(f, scores);
                }
            }
        };
        while !st.terminal() {
            score(&st, &mut f, &mut scores);
            st.mask_invalid(&mut scores, nl, self.root_label);
            let Some(a) = argmax_finite(&scores) else {
                break;
            };
            if branching {
                let alt = best_of_other_kind(&scores, a, nl);
                if let Some(b) = alt.filter(|&b| scores[a] - scores[b] < margin) {
                    cands.push((scores[a] - scores[b], acts.len(), b));
                }
                sigs.push((st.b, st.sig()));
                rec.extend_from_slice(&scores);
                acts.push(a);
            }
            st.apply(a, nl);
        }
        if cands.is_empty() {
            return self.finish_state(&st);
        }
        sigs.push((st.b, st.sig()));
        cands.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        cands.truncate(search.branches_for(words.len()));
        let temp = search.temperature / unit;
        // Log-probabilities of the greedy steps, computed when first needed.
        let mut glp = vec![f32::NAN; acts.len()];
        let mut greedy_lp = |i: usize| -> f32 {
            match glp.get(i) {
                Some(x) if x.is_nan() => {
                    let v = log_prob(&rec[i * na..(i + 1) * na], acts[i], acts[i], temp);
                    glp[i] = v;
                    v
                }
                Some(&x) => x,
                None => 0.0,
            }
        };
        // The greedy step whose state equals `st`'s (only states with the same buffer
        // position can; `b` never decreases along a path).
        let meet = |st: &State, from: usize| -> Option<usize> {
            let start = from + sigs[from..].partition_point(|x| x.0 < st.b);
            let sig = st.sig();
            sigs[start..]
                .iter()
                .take_while(|x| x.0 == st.b)
                .position(|x| x.1 == sig)
                .map(|j| start + j)
        };
        // Best branch: (gain over the greedy path, its state, greedy step it rejoined).
        let mut best: Option<(f32, State, Option<usize>)> = None;
        let mut spare = State::new(words.len(), self.repair);
        for &(_, step, alt) in &cands {
            let mut bs = spare;
            bs.reset();
            for &a in &acts[..step] {
                bs.apply(a, nl);
            }
            let mut lp = log_prob(&rec[step * na..(step + 1) * na], alt, acts[step], temp);
            bs.apply(alt, nl);
            let mut aligned = greedy_lp(step);
            let mut i = step + 1;
            let mut joined = None;
            loop {
                if let Some(j) = meet(&bs, step + 1) {
                    joined = Some(j);
                    break;
                }
                if bs.terminal() || lp - aligned < -search.give_up {
                    break;
                }
                score(&bs, &mut f, &mut scores);
                bs.mask_invalid(&mut scores, nl, self.root_label);
                let Some(a) = argmax_finite(&scores) else {
                    break;
                };
                lp += log_prob(&scores, a, a, temp);
                aligned += greedy_lp(i);
                i += 1;
                bs.apply(a, nl);
            }
            let end = joined.unwrap_or(acts.len());
            let gain = lp - (step..end).map(&mut greedy_lp).sum::<f32>();
            let done = joined.is_some() || bs.terminal();
            if done && gain > 0.0 && best.as_ref().is_none_or(|b| gain > b.0) {
                // Keep the winner; its predecessor's buffers serve the next branch.
                spare = match best.replace((gain, bs, joined)) {
                    Some((_, old, _)) => old,
                    None => State::new(words.len(), self.repair),
                };
            } else {
                spare = bs;
            }
        }
        match best {
            None => self.finish_state(&st),
            Some((_, mut bs, joined)) => {
                for &a in joined.map_or(&[][..], |j| &acts[j..]) {
                    bs.apply(a, nl);
                }
                self.finish_state(&bs)
            }
        }
    }

    fn finish_state(&self, st: &State) -> Vec<Arc> {
        let dep = self
            .labels
            .iter()
            .position(|l| l == "dep")
            .unwrap_or(self.root_label);
        finish(st, self.root_label, dep)
    }

    /// Serialise a parser (model format 3): labels, whether LEFT-ARC repairs, weights.
    pub(crate) fn write(labels: &[String], repair: bool, w: &mut Writer, weights: &[u8]) {
        w.strs(labels);
        w.u8(repair as u8);
        w.buf.extend_from_slice(weights);
    }

    /// Copy a serialised parser of model format `version` into format 3, pruning its
    /// weights (see [`copy_pruned`]).
    pub(crate) fn copy_pruned(
        r: &mut Reader<'_>,
        version: u8,
        w: &mut Writer,
        min_q: i16,
    ) -> Result<(), Error> {
        w.strs(&r.strs()?);
        w.u8(Parser::read_repair(r, version)? as u8);
        copy_pruned(r, w, min_q)
    }

    /// Read a parser serialised in model format `version` (2 or 3).
    pub(crate) fn read(r: &mut Reader<'_>, version: u8) -> Result<Parser, Error> {
        let labels = r.strs()?;
        let repair = Parser::read_repair(r, version)?;
        let weights = Weights::read(r)?;
        if weights.n_classes() != 2 + 2 * labels.len() {
            return Err(Error::Model("parser: class count mismatch".into()));
        }
        Ok(Parser {
            root_label: root_index(&labels),
            labels,
            repair,
            weights,
        })
    }

    /// Format 2 has no repairs and no flag for them.
    pub(crate) fn read_repair(r: &mut Reader<'_>, version: u8) -> Result<bool, Error> {
        if version < 3 {
            return Ok(false);
        }
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            x => Err(Error::Model(format!(
                "parser: unknown transition system {x}"
            ))),
        }
    }
}

/// One training or evaluation sentence for the parser.
pub(crate) struct ParseExample {
    pub(crate) words: Vec<PWord>,
    /// Gold (head, label) per word; label `u16::MAX` when unknown.
    pub(crate) gold: Vec<(usize, u16)>,
}

/// Options for training the parser.
#[derive(Clone, Debug)]
pub(crate) struct ParseTrainOptions {
    pub(crate) epochs: usize,
    pub(crate) seed: u64,
    /// Probability of following a wrong prediction during training (dynamic oracle).
    pub(crate) explore: f64,
    /// First epoch (0-based) from which exploration is on.
    pub(crate) explore_from: usize,
    /// Averaged weights smaller than this are dropped from the saved model.
    pub(crate) prune: f64,
    /// Features updated fewer times than this are dropped from the saved model.
    pub(crate) min_updates: u32,
}

/// Train the parser; returns the serialised parser with the best dev LAS.
pub(crate) fn train(
    labels: &[String],
    train: &[ParseExample],
    dev: &[ParseExample],
    opt: &ParseTrainOptions,
    log: &mut dyn FnMut(String),
) -> Result<Vec<u8>, Error> {
    if train.is_empty() || labels.is_empty() {
        return Err(Error::Training("no parser training data".into()));
    }
    let nl = labels.len();
    let root_label = root_index(labels);
    let n_actions = 2 + 2 * nl;
    let mut trainer = Trainer::new(n_actions);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng::new(opt.seed);
    let mut scores = vec![0f32; n_actions];
    let mut costs = vec![0u32; n_actions];
    let mut f = Vec::new();
    let mut best: Option<(f64, Vec<u8>)> = None;
    for epoch in 0..opt.epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &k in &order {
            let ex = &train[k];
            let mut st = State::new(ex.words.len(), true);
            while !st.terminal() {
                st.features(&ex.words, &mut f);
                trainer.tick();
                trainer.scores(&f, &mut scores);
                let valid = |a: usize| st.valid(a, nl, root_label);
                let Some(pred) = argmax(&scores, valid) else {
                    break;
                };
                st.costs(&ex.gold, nl, &mut costs);
                let min = (0..n_actions)
                    .filter(|&a| valid(a))
                    .map(|a| costs[a])
                    .min()
                    .unwrap_or(0);
                let best_gold = argmax(&scores, |a| valid(a) && costs[a] == min).unwrap_or(pred);
                let next = if costs[pred] == min {
                    right += 1;
                    pred
                } else {
                    trainer.update(&f, best_gold, 1);
                    trainer.update(&f, pred, -1);
                    if epoch >= opt.explore_from && rng.unit() < opt.explore {
                        pred
                    } else {
                        best_gold
                    }
                };
                total += 1;
                st.apply(next, nl);
            }
        }
        let mut w = Writer::default();
        trainer.write_averaged(&mut w, opt.prune, opt.min_updates);
        let parser = Parser {
            labels: labels.to_vec(),
            root_label,
            repair: true,
            weights: Weights::read(&mut Reader::new(&w.buf))?,
        };
        let mut bytes = Writer::default();
        Parser::write(labels, true, &mut bytes, &w.buf);
        let (uas, las) = if dev.is_empty() {
            (0.0, epoch as f64)
        } else {
            attachment(&parser, dev)
        };
        log(format!(
            "parser epoch {}: train action acc {:.4} dev uas {:.4} las {:.4} ({} bytes)",
            epoch + 1,
            right as f64 / total.max(1) as f64,
            uas,
            las,
            bytes.buf.len()
        ));
        if !matches!(&best, Some((b, _)) if *b >= las) {
            best = Some((las, bytes.buf));
        }
    }
    best.map(|(_, b)| b)
        .ok_or_else(|| Error::Training("no epochs".into()))
}

/// UAS and LAS of a parser over examples, parsing greedily (so that the epoch chosen,
/// and the model bytes, do not depend on the search settings).
pub(crate) fn attachment(parser: &Parser, dev: &[ParseExample]) -> (f64, f64) {
    let (mut u, mut l, mut t) = (0usize, 0usize, 0usize);
    for ex in dev {
        for (arc, g) in parser
            .parse(&ex.words, &Search::GREEDY)
            .iter()
            .zip(&ex.gold)
        {
            if arc.0 == g.0 {
                u += 1;
                if arc.1 as u16 == g.1 {
                    l += 1;
                }
            }
            t += 1;
        }
    }
    (u as f64 / t.max(1) as f64, l as f64 / t.max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_oracle_sequence_has_zero_cost_for_projective_tree() {
        // "a b c": b is root, a <- b, c <- b.
        let gold = vec![(2usize, 1u16), (0, 0), (2, 1)];
        for repair in [false, true] {
            let mut st = State::new(3, repair);
            let mut costs = vec![0u32; 6];
            let mut steps = 0;
            while !st.terminal() {
                st.costs(&gold, 2, &mut costs);
                let a = (0..6)
                    .find(|&a| st.valid(a, 2, 0) && costs[a] == 0)
                    .expect("a zero-cost action");
                st.apply(a, 2);
                steps += 1;
                assert!(steps < 10);
            }
            let arcs = finish(&st, 0, 1);
            assert_eq!(arcs, vec![(2, 1), (0, 0), (2, 1)]);
        }
    }

    /// "face said": the root arc given too early to word 1 is undone by a LEFT-ARC from
    /// its true head, which the oracle then prefers, and word 2 becomes the root.
    #[test]
    fn left_arc_repairs_an_early_root() {
        let (nl, root) = (2, 0);
        let (left, right) = (|l: usize| 2 + l, |l: usize| 2 + nl + l);
        let gold = vec![(2usize, 1u16), (0, 0)];
        for repair in [false, true] {
            let mut st = State::new(2, repair);
            st.apply(right(root), nl);
            assert_eq!((st.heads[1], st.r1[0]), (0, 1));
            assert_eq!(st.valid(left(1), nl, root), repair);
            if !repair {
                continue;
            }
            let mut costs = vec![0u32; 2 + 2 * nl];
            st.costs(&gold, nl, &mut costs);
            assert_eq!((costs[left(1)], costs[REDUCE]), (0, 1));
            st.apply(left(1), nl);
            assert_eq!((st.heads[1], st.labels[1], st.l1[2]), (2, 1, 1));
            assert_eq!((st.r1[0], st.nr[0], st.rset[0]), (NONE, 0, 0));
            assert!(st.valid(right(root), nl, root));
            st.apply(right(root), nl);
            assert!(st.terminal());
            let arcs: Vec<(usize, u16)> = finish(&st, root, 1)
                .iter()
                .map(|&(h, l)| (h, l as u16))
                .collect();
            assert_eq!(arcs, gold);
        }
    }

    /// Taking a word off its head leaves the head's other dependents as if the word had
    /// never been attached.
    #[test]
    fn detach_restores_the_heads_other_dependents() {
        let mut st = State::new(6, true);
        st.add_arc(1, 3, 2);
        st.add_arc(1, 4, 5);
        st.add_arc(1, 6, 3);
        let mut want = State::new(6, true);
        want.add_arc(1, 3, 2);
        want.add_arc(1, 4, 5);
        st.detach(6);
        assert_eq!(st.heads[6], NONE);
        assert_eq!(
            (st.r1[1], st.r2[1], st.nr[1], st.rset[1]),
            (want.r1[1], want.r2[1], want.nr[1], want.rset[1])
        );
        st.add_arc(5, 2, 4);
        st.add_arc(5, 1, 1);
        st.detach(1);
        assert_eq!(
            (st.l1[5], st.l2[5], st.nl[5], st.lset[5]),
            (2, NONE, 1, 1 << 4)
        );
    }

    /// Format 3 records whether LEFT-ARC repairs; format 2, which has no such byte, reads
    /// as a parser without repairs.
    #[test]
    fn format_2_parsers_read_without_repairs() {
        let labels = vec!["root".to_string(), "dep".to_string()];
        let mut weights = Writer::default();
        Trainer::new(6).write_averaged(&mut weights, 0.0, 1);
        for repair in [false, true] {
            let mut v3 = Writer::default();
            Parser::write(&labels, repair, &mut v3, &weights.buf);
            let p = Parser::read(&mut Reader::new(&v3.buf), 3).expect("format 3 reads");
            assert_eq!(p.repair, repair);
        }
        let mut v2 = Writer::default();
        v2.strs(&labels);
        v2.buf.extend_from_slice(&weights.buf);
        let p = Parser::read(&mut Reader::new(&v2.buf), 2).expect("format 2 reads");
        assert!(!p.repair);
        let mut bad = Writer::default();
        bad.strs(&labels);
        bad.u8(7);
        bad.buf.extend_from_slice(&weights.buf);
        assert!(Parser::read(&mut Reader::new(&bad.buf), 3).is_err());
    }

    /// The per-kind mask agrees with `valid` on every state met along random valid paths.
    #[test]
    fn mask_invalid_agrees_with_valid() {
        let nl = 5;
        let na = 2 + 2 * nl;
        let mut rng = Rng::new(7);
        for n in 1..9 {
            for (root_label, repair) in [(0, false), (3, false), (0, true), (3, true)] {
                let mut st = State::new(n, repair);
                while !st.terminal() {
                    let mut sc = vec![0f32; na];
                    st.mask_invalid(&mut sc, nl, root_label);
                    for (a, x) in sc.iter().enumerate() {
                        assert_eq!(*x == 0.0, st.valid(a, nl, root_label), "action {a}");
                    }
                    let ok: Vec<usize> = (0..na).filter(|&a| st.valid(a, nl, root_label)).collect();
                    let pick = ok[(rng.unit() * ok.len() as f64) as usize % ok.len()];
                    st.apply(pick, nl);
                }
            }
        }
    }

    /// The stack and buffer features together are exactly the full feature set, on
    /// every state met along random valid paths.
    #[test]
    fn branches_grow_with_sentence_length() {
        let s = Search::default();
        assert_eq!(s.branches_for(1), 2);
        assert_eq!(s.branches_for(9), 3);
        assert_eq!(s.branches_for(100), DEFAULT_BRANCHES);
        assert_eq!(Search::with_branches(1).branches_for(30), 1);
        assert_eq!(Search::GREEDY.branches_for(30), 0);
    }

    /// The block-wise search finds what a filtered scan over all actions finds.
    #[test]
    fn best_of_other_kind_agrees_with_a_full_scan() {
        let nl = 5;
        let mut rng = Rng::new(3);
        for _ in 0..2000 {
            let scores: Vec<f32> = (0..2 + 2 * nl)
                .map(|_| match rng.below(4) {
                    0 => f32::NEG_INFINITY,
                    _ => rng.below(6) as f32,
                })
                .collect();
            let Some(a) = argmax_finite(&scores) else {
                continue;
            };
            let scan = argmax(&scores, |b| {
                scores[b] > f32::NEG_INFINITY && kind(b, nl) != kind(a, nl)
            });
            assert_eq!(best_of_other_kind(&scores, a, nl), scan, "{scores:?}");
        }
    }

    #[test]
    fn fast_exp_is_close() {
        for i in 0..=1200 {
            let x = -(i as f32) / 100.0;
            let (a, b) = (fast_exp(x), x.exp());
            assert!((a - b).abs() <= 2e-4 * b, "{x}: {a} vs {b}");
        }
    }

    /// Following zero-cost actions rebuilds a projective tree with nested left and right
    /// dependents, in at most 2n steps.
    #[test]
    fn zero_cost_path_rebuilds_projective_trees() {
        // 1 <- 2 <- 6 (root), 3 -> 4 -> 5 attached to 2, 7 <- 6; labels 1..3, root 0.
        let gold = vec![
            (2usize, 1u16),
            (6, 2),
            (2, 3),
            (3, 1),
            (4, 2),
            (0, 0),
            (6, 3),
        ];
        let nl = 4;
        for repair in [false, true] {
            let mut st = State::new(gold.len(), repair);
            let mut costs = vec![0u32; 2 + 2 * nl];
            let mut steps = 0;
            while !st.terminal() {
                st.costs(&gold, nl, &mut costs);
                let a = (0..costs.len())
                    .find(|&a| st.valid(a, nl, 0) && costs[a] == 0)
                    .expect("a zero-cost action");
                st.apply(a, nl);
                steps += 1;
            }
            assert!(steps <= 2 * gold.len());
            let arcs: Vec<(usize, u16)> = finish(&st, 0, 1)
                .iter()
                .map(|&(h, l)| (h, l as u16))
                .collect();
            assert_eq!(arcs, gold);
        }
    }
}
