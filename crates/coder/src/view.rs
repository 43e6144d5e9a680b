//! A read-only view of a parsed sentence that the coder queries: upper-case words,
//! children lists and predicates over part-of-speech tags and dependency relations.
//!
//! Relations are read in both UD v1 and v2 spellings (`dobj`/`obj`, `nsubjpass`/`nsubj:pass`,
//! `nmod` with a case marker/`obl`), so CoNLL-U from older parsers works unchanged.

use std::borrow::Cow;

use dyad_types::ParsedSentence;

/// The upper-case word forms and lemmas of a sentence in one buffer (two allocations per
/// sentence rather than one per word); [`View`] borrows them.
pub(crate) struct Folded {
    buf: String,
    /// Byte ranges in `buf`: the words, then the lemmas.
    spans: Vec<(usize, usize)>,
}

impl Folded {
    pub(crate) fn new(s: &ParsedSentence) -> Folded {
        let len: usize = s.tokens.iter().map(|t| t.form.len() + t.lemma.len()).sum();
        let mut buf = String::with_capacity(len);
        let mut spans = Vec::with_capacity(2 * s.tokens.len());
        let mut push = |buf: &mut String, w: &str| {
            let start = buf.len();
            buf.push_str(w);
            if let Some(new) = buf.get_mut(start..) {
                new.make_ascii_uppercase();
            }
            spans.push((start, buf.len()));
        };
        for t in &s.tokens {
            push(&mut buf, &t.form);
        }
        for t in &s.tokens {
            // Unknown lemmas (`_`) are empty.
            push(&mut buf, if t.lemma == "_" { "" } else { &t.lemma });
        }
        Folded { buf, spans }
    }

    fn strs(&self) -> impl Iterator<Item = &str> {
        self.spans
            .iter()
            .map(|&(s, e)| self.buf.get(s..e).unwrap_or(""))
    }
}

/// Dependents of every token, in one array (compressed rows).
pub(crate) struct Children {
    /// Token `k`'s dependents are `kids[start[k]..start[k + 1]]`.
    start: Vec<usize>,
    kids: Vec<usize>,
}

impl Children {
    fn new(heads: &[Option<usize>]) -> Children {
        let n = heads.len();
        let mut start = vec![0usize; n + 1];
        for &h in heads.iter().flatten() {
            start[h + 1] += 1;
        }
        for k in 0..n {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        let mut kids = vec![0usize; start[n]];
        for (i, h) in heads.iter().enumerate() {
            if let Some(h) = *h {
                kids[fill[h]] = i;
                fill[h] += 1;
            }
        }
        Children { start, kids }
    }

    /// The 0-based dependents of token `k`, in order.
    pub(crate) fn get(&self, k: usize) -> Option<&[usize]> {
        let (&a, &b) = (self.start.get(k)?, self.start.get(k + 1)?);
        self.kids.get(a..b)
    }
}

/// The sentence as the coder sees it.
pub(crate) struct View<'a> {
    pub(crate) s: &'a ParsedSentence,
    /// Upper-case word forms.
    pub(crate) words: Vec<&'a str>,
    /// Upper-case lemmas (empty when unknown).
    pub(crate) lemmas: Vec<&'a str>,
    /// 0-based heads (`None` for the root or a head out of range).
    pub(crate) heads: Vec<Option<usize>>,
    /// 0-based dependents of each token, in order.
    pub(crate) children: Children,
    /// Lower-case relations.
    pub(crate) rels: Vec<Cow<'a, str>>,
    /// Where each relation's base ends (before its `:subtype`, or its length).
    base_ends: Vec<usize>,
    /// Tokens removed by the comma rule (their words neither code nor name actors).
    pub(crate) masked: Vec<bool>,
}

impl<'a> View<'a> {
    /// The view of `s`, whose words `folded` holds ([`Folded::new`] of `s`).
    pub(crate) fn new(s: &'a ParsedSentence, folded: &'a Folded) -> View<'a> {
        let n = s.tokens.len();
        let mut strs = folded.strs();
        let words: Vec<&str> = strs.by_ref().take(n).collect();
        let lemmas: Vec<&str> = strs.take(n).collect();
        let mut heads = vec![None; n];
        for (i, t) in s.tokens.iter().enumerate() {
            if t.head >= 1 && t.head <= n && t.head != i + 1 {
                heads[i] = Some(t.head - 1);
            }
        }
        break_cycles(&mut heads);
        let children = Children::new(&heads);
        let rels = s
            .tokens
            .iter()
            .map(|t| {
                if t.deprel.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(t.deprel.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(t.deprel.as_str())
                }
            })
            .collect::<Vec<Cow<'a, str>>>();
        let base_ends = rels
            .iter()
            .map(|r| r.bytes().position(|b| b == b':').unwrap_or(r.len()))
            .collect();
        View {
            s,
            words,
            lemmas,
            heads,
            children,
            rels,
            base_ends,
            masked: vec![false; n],
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    pub(crate) fn xpos(&self, i: usize) -> &str {
        self.s.tokens.get(i).map_or("", |t| t.xpos.as_str())
    }

    pub(crate) fn upos(&self, i: usize) -> &str {
        self.s.tokens.get(i).map_or("", |t| t.upos.as_str())
    }

    pub(crate) fn rel(&self, i: usize) -> &str {
        self.rels.get(i).map_or("", |r| r)
    }

    /// The relation without its subtype (`nsubj:pass` → `nsubj`).
    pub(crate) fn base_rel(&self, i: usize) -> &str {
        let r = self.rel(i);
        let end = self.base_ends.get(i).copied().unwrap_or(r.len());
        r.get(..end).unwrap_or(r)
    }

    pub(crate) fn is_verb(&self, i: usize) -> bool {
        let x = self.xpos(i);
        if x.starts_with("VB") {
            return true;
        }
        if x == "_" || x.is_empty() {
            return matches!(self.upos(i), "VERB" | "AUX");
        }
        false
    }

    pub(crate) fn is_punct(&self, i: usize) -> bool {
        self.upos(i) == "PUNCT"
            || matches!(
                self.xpos(i),
                "," | "." | ":" | "``" | "''" | "-LRB-" | "-RRB-"
            )
            || self
                .words
                .get(i)
                .is_some_and(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_punctuation()))
    }

    pub(crate) fn is_pronoun(&self, i: usize) -> bool {
        matches!(self.xpos(i), "PRP" | "PRP$") || (self.xpos(i) == "_" && self.upos(i) == "PRON")
    }

    pub(crate) fn is_nominal(&self, i: usize) -> bool {
        let x = self.xpos(i);
        if x.starts_with("NN") || x == "PRP" || x == "CD" {
            return true;
        }
        matches!(self.upos(i), "NOUN" | "PROPN" | "PRON" | "NUM")
    }

    /// Subjects of an active clause.
    pub(crate) fn is_subj_rel(&self, i: usize) -> bool {
        matches!(self.rel(i), "nsubj" | "csubj" | "nsubj:xsubj")
    }

    /// Subjects of a passive clause.
    pub(crate) fn is_pass_subj_rel(&self, i: usize) -> bool {
        matches!(
            self.rel(i),
            "nsubj:pass" | "nsubjpass" | "csubj:pass" | "csubjpass"
        )
    }

    pub(crate) fn is_obj_rel(&self, i: usize) -> bool {
        matches!(self.base_rel(i), "obj" | "dobj" | "iobj")
    }

    /// Oblique or nominal modifiers (UD v2 `obl`, v1 `nmod`).
    pub(crate) fn is_obl_rel(&self, i: usize) -> bool {
        matches!(self.base_rel(i), "obl" | "nmod")
    }

    /// The preposition (case marker) of a nominal, upper-case.
    pub(crate) fn case_of(&self, i: usize) -> Option<&str> {
        self.children
            .get(i)?
            .iter()
            .find(|&&c| self.base_rel(c) == "case" && c < i)
            .map(|&c| self.words[c])
    }

    /// Is `i` the agent of a passive verb (`obl:agent`, or an oblique introduced by "by")?
    pub(crate) fn is_agent(&self, i: usize) -> bool {
        let r = self.rel(i);
        if r == "obl:agent" || r == "nmod:agent" {
            return true;
        }
        self.is_obl_rel(i) && self.case_of(i) == Some("BY")
    }

    /// Is verb `v` in the passive voice?
    pub(crate) fn is_passive(&self, v: usize) -> bool {
        let kids = match self.children.get(v) {
            Some(k) => k,
            None => return false,
        };
        if kids
            .iter()
            .any(|&c| self.is_pass_subj_rel(c) || matches!(self.rel(c), "aux:pass" | "auxpass"))
        {
            return true;
        }
        if self.xpos(v) != "VBN" {
            return false;
        }
        // Treebank-derived trees: a past participle with a form of "be" as auxiliary.
        kids.iter()
            .any(|&c| c < v && self.base_rel(c) == "aux" && is_be(self.words[c]))
    }

    /// Negated by "not"/"n't"/"never" (UD v1 `neg`, v2 `advmod` with Polarity=Neg or these words).
    pub(crate) fn is_negated(&self, v: usize) -> bool {
        self.children.get(v).is_some_and(|kids| {
            kids.iter().any(|&c| {
                self.rel(c) == "neg"
                    || (matches!(self.base_rel(c), "advmod" | "aux" | "neg")
                        && matches!(self.words[c], "NOT" | "N'T" | "NEVER"))
            })
        })
    }

    /// All tokens of the subtree under `i`, in order.
    pub(crate) fn subtree(&self, i: usize) -> Vec<usize> {
        // `out` is its own work list: tokens are expanded in the order they were found.
        let mut out = vec![i];
        let mut next = 0;
        while let Some(&k) = out.get(next) {
            next += 1;
            if out.len() > self.len() * 2 + 2 {
                break;
            }
            out.extend_from_slice(self.children.get(k).unwrap_or(&[]));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Is `a` inside the subtree of `b` (or `b` itself)?
    pub(crate) fn dominated_by(&self, a: usize, b: usize) -> bool {
        let mut k = Some(a);
        let mut steps = 0;
        while let Some(x) = k {
            if x == b {
                return true;
            }
            steps += 1;
            if steps > self.len() {
                return false;
            }
            k = self.heads.get(x).copied().flatten();
        }
        false
    }
}

/// Breaks cycles: a token whose head chain returns to itself becomes a root. Tokens are
/// settled in order, and a settled token's chain ends at a root, so the walk from a later
/// token may stop at any earlier one.
fn break_cycles(heads: &mut [Option<usize>]) {
    let n = heads.len();
    for i in 0..n {
        let mut k = heads[i];
        let mut steps = 0;
        while let Some(h) = k {
            if h < i {
                break;
            }
            if h == i || steps > n {
                heads[i] = None;
                break;
            }
            k = heads[h];
            steps += 1;
        }
    }
}

pub(crate) fn is_be(w: &str) -> bool {
    matches!(
        w,
        "BE" | "IS" | "ARE" | "WAS" | "WERE" | "BEEN" | "BEING" | "AM" | "'S" | "'RE"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_types::Token;

    fn tok(form: &str, xpos: &str, head: usize, rel: &str) -> Token {
        Token {
            form: form.into(),
            lemma: "_".into(),
            upos: "_".into(),
            xpos: xpos.into(),
            feats: "_".into(),
            head,
            deprel: rel.into(),
            span: None,
        }
    }

    /// The plain rule: walk every chain in full.
    fn break_cycles_slowly(heads: &mut [Option<usize>]) {
        let n = heads.len();
        for i in 0..n {
            let mut k = heads[i];
            let mut steps = 0;
            while let Some(h) = k {
                if h == i || steps > n {
                    heads[i] = None;
                    break;
                }
                k = heads[h];
                steps += 1;
            }
        }
    }

    #[test]
    fn cycles_are_broken_as_by_walking_every_chain() {
        // Every head assignment of 5 tokens (none or any other token).
        let n = 5;
        for code in 0..6usize.pow(n as u32) {
            let mut heads: Vec<Option<usize>> = (0..n)
                .map(|i| {
                    let h = code / 6usize.pow(i as u32) % 6;
                    (h < n && h != i).then_some(h)
                })
                .collect();
            let mut slow = heads.clone();
            break_cycles(&mut heads);
            break_cycles_slowly(&mut slow);
            assert_eq!(heads, slow, "code {code}");
        }
    }

    #[test]
    fn cycles_are_broken_and_passives_seen() {
        let s = ParsedSentence {
            tokens: vec![
                tok("Eriador", "NNP", 3, "nsubj:pass"),
                tok("was", "VBD", 3, "aux:pass"),
                tok("opposed", "VBN", 0, "root"),
                tok("x", "NN", 5, "dep"),
                tok("y", "NN", 4, "dep"),
            ],
            ..Default::default()
        };
        let f = Folded::new(&s);
        let v = View::new(&s, &f);
        assert!(v.is_passive(2));
        assert!(v.subtree(2).contains(&0));
        assert!(v.heads[3].is_none() || v.heads[4].is_none());
    }
}
