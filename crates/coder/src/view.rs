//! A read-only view of a parsed sentence that the coder queries: upper-case words,
//! children lists and predicates over part-of-speech tags and dependency relations.
//!
//! Relations are read in both UD v1 and v2 spellings (`dobj`/`obj`, `nsubjpass`/`nsubj:pass`,
//! `nmod` with a case marker/`obl`), so CoNLL-U from older parsers works unchanged.

use dyad_types::ParsedSentence;

use crate::scratch::{self, Scratch};

/// The upper-case word forms and lemmas of a sentence in one buffer (two allocations per
/// sentence rather than one per word); [`View`] borrows them.
pub(crate) struct Folded {
    buf: String,
    /// Byte ranges in `buf`: the words, then the lemmas.
    spans: Vec<(usize, usize)>,
}

impl Folded {
    #[cfg(test)]
    pub(crate) fn new(s: &ParsedSentence) -> Folded {
        Folded::new_in(s, &mut Scratch::default())
    }

    /// [`Folded::new`] in the buffers of `sc` ([`Folded::recycle`] gives them back).
    pub(crate) fn new_in(s: &ParsedSentence, sc: &mut Scratch) -> Folded {
        let len: usize = s.tokens.iter().map(|t| t.form.len() + t.lemma.len()).sum();
        let mut buf = scratch::take_string(&mut sc.folded);
        buf.reserve(len);
        let mut spans = scratch::take(&mut sc.folded_spans);
        spans.reserve(2 * s.tokens.len());
        // The buffer is kept from sentence to sentence: only the new part is upper-cased,
        // in one pass (ASCII upper-casing keeps every byte offset).
        let from = buf.len();
        let mut push = |buf: &mut String, w: &str| {
            let start = buf.len();
            buf.push_str(w);
            spans.push((start, buf.len()));
        };
        for t in &s.tokens {
            push(&mut buf, &t.form);
        }
        for t in &s.tokens {
            // Unknown lemmas (`_`) are empty.
            push(&mut buf, if t.lemma == "_" { "" } else { &t.lemma });
        }
        if let Some(new) = buf.get_mut(from..) {
            new.make_ascii_uppercase();
        }
        Folded { buf, spans }
    }

    /// Gives the buffers back to `sc`.
    pub(crate) fn recycle(self, sc: &mut Scratch) {
        scratch::put_string(&mut sc.folded, self.buf);
        scratch::put(&mut sc.folded_spans, self.spans);
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
    fn new_in(heads: &[Option<usize>], sc: &mut Scratch) -> Children {
        let n = heads.len();
        let mut start = scratch::take(&mut sc.start);
        start.resize(n + 1, 0usize);
        for &h in heads.iter().flatten() {
            start[h + 1] += 1;
        }
        for k in 0..n {
            start[k + 1] += start[k];
        }
        let mut fill = scratch::take(&mut sc.fill);
        fill.extend_from_slice(&start);
        let mut kids = scratch::take(&mut sc.kids);
        kids.resize(start[n], 0usize);
        for (i, h) in heads.iter().enumerate() {
            if let Some(h) = *h {
                kids[fill[h]] = i;
                fill[h] += 1;
            }
        }
        scratch::put(&mut sc.fill, fill);
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
    /// Relations, read.
    rels: Vec<(Rel, Sub)>,
    /// Tokens removed by the comma rule (their words neither code nor name actors).
    pub(crate) masked: Vec<bool>,
}

impl<'a> View<'a> {
    /// The view of `s`, whose words `folded` holds ([`Folded::new`] of `s`).
    #[cfg(test)]
    pub(crate) fn new(s: &'a ParsedSentence, folded: &'a Folded) -> View<'a> {
        View::new_in(s, folded, &mut Scratch::default())
    }

    /// [`View::new`] in the buffers of `sc` ([`View::recycle`] gives them back).
    pub(crate) fn new_in(s: &'a ParsedSentence, folded: &'a Folded, sc: &mut Scratch) -> View<'a> {
        let n = s.tokens.len();
        let mut strs = folded.strs();
        let mut words = scratch::lend(&mut sc.words);
        words.extend(strs.by_ref().take(n));
        let mut lemmas = scratch::lend(&mut sc.lemmas);
        lemmas.extend(strs.take(n));
        let mut heads = scratch::take(&mut sc.heads);
        heads.resize(n, None);
        for (i, t) in s.tokens.iter().enumerate() {
            if t.head >= 1 && t.head <= n && t.head != i + 1 {
                heads[i] = Some(t.head - 1);
            }
        }
        break_cycles(&mut heads);
        let children = Children::new_in(&heads, sc);
        let mut rels = scratch::take(&mut sc.rels);
        rels.extend(s.tokens.iter().map(|t| read_rel(&t.deprel)));
        let mut masked = scratch::take(&mut sc.masked);
        masked.resize(n, false);
        View {
            s,
            words,
            lemmas,
            heads,
            children,
            rels,
            masked,
        }
    }

    /// Gives the buffers back to `sc`.
    pub(crate) fn recycle(self, sc: &mut Scratch) {
        scratch::give_back(&mut sc.words, self.words);
        scratch::give_back(&mut sc.lemmas, self.lemmas);
        scratch::put(&mut sc.heads, self.heads);
        scratch::put(&mut sc.start, self.children.start);
        scratch::put(&mut sc.kids, self.children.kids);
        scratch::put(&mut sc.rels, self.rels);
        scratch::put(&mut sc.masked, self.masked);
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

    /// The relation of token `i` without its subtype (`nsubj:pass` → `nsubj`).
    pub(crate) fn rel(&self, i: usize) -> Rel {
        self.rels.get(i).map_or(Rel::Other, |r| r.0)
    }

    /// The relation of token `i` and its subtype.
    pub(crate) fn full_rel(&self, i: usize) -> (Rel, Sub) {
        self.rels
            .get(i)
            .copied()
            .unwrap_or((Rel::Other, Sub::Other))
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
        matches!(
            self.full_rel(i),
            (Rel::Nsubj | Rel::Csubj, Sub::None) | (Rel::Nsubj, Sub::Xsubj)
        )
    }

    /// Subjects of a passive clause.
    pub(crate) fn is_pass_subj_rel(&self, i: usize) -> bool {
        matches!(
            self.full_rel(i),
            (Rel::Nsubj | Rel::Csubj, Sub::Pass) | (Rel::Nsubjpass | Rel::Csubjpass, Sub::None)
        )
    }

    pub(crate) fn is_obj_rel(&self, i: usize) -> bool {
        matches!(self.rel(i), Rel::Obj | Rel::Dobj | Rel::Iobj)
    }

    /// Oblique or nominal modifiers (UD v2 `obl`, v1 `nmod`).
    pub(crate) fn is_obl_rel(&self, i: usize) -> bool {
        matches!(self.rel(i), Rel::Obl | Rel::Nmod)
    }

    /// The preposition (case marker) of a nominal, upper-case.
    pub(crate) fn case_of(&self, i: usize) -> Option<&str> {
        self.children
            .get(i)?
            .iter()
            .find(|&&c| self.rel(c) == Rel::Case && c < i)
            .map(|&c| self.words[c])
    }

    /// Is `i` the agent of a passive verb (`obl:agent`, or an oblique introduced by "by")?
    pub(crate) fn is_agent(&self, i: usize) -> bool {
        if matches!(self.full_rel(i), (Rel::Obl | Rel::Nmod, Sub::Agent)) {
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
        if kids.iter().any(|&c| {
            self.is_pass_subj_rel(c)
                || matches!(
                    self.full_rel(c),
                    (Rel::Aux, Sub::Pass) | (Rel::Auxpass, Sub::None)
                )
        }) {
            return true;
        }
        if self.xpos(v) != "VBN" {
            return false;
        }
        // Treebank-derived trees: a past participle with a form of "be" as auxiliary.
        kids.iter()
            .any(|&c| c < v && self.rel(c) == Rel::Aux && is_be(self.words[c]))
    }

    /// Negated by "not"/"n't"/"never" (UD v1 `neg`, v2 `advmod` with Polarity=Neg or these words).
    pub(crate) fn is_negated(&self, v: usize) -> bool {
        self.children.get(v).is_some_and(|kids| {
            kids.iter().any(|&c| {
                self.full_rel(c) == (Rel::Neg, Sub::None)
                    || (matches!(self.rel(c), Rel::Advmod | Rel::Aux | Rel::Neg)
                        && matches!(self.words[c], "NOT" | "N'T" | "NEVER"))
            })
        })
    }

    /// All tokens of the subtree under `i`, in order.
    pub(crate) fn subtree(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.len() + 1);
        self.subtree_into(i, &mut out);
        out
    }

    /// [`View::subtree`] into `out`.
    pub(crate) fn subtree_into(&self, i: usize, out: &mut Vec<usize>) {
        // `out` is its own work list: tokens are expanded in the order they were found.
        out.clear();
        out.push(i);
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

/// A dependency relation without its subtype, in UD v1 or v2 spelling. Relations are read
/// once per sentence, so the coder's many tests on them compare small values, not strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rel {
    Acl,
    Advcl,
    Advmod,
    Amod,
    Appos,
    Aux,
    Auxpass,
    Case,
    Cc,
    Ccomp,
    Compound,
    Conj,
    Cop,
    Csubj,
    Csubjpass,
    Dep,
    Det,
    Dobj,
    Fixed,
    Flat,
    Goeswith,
    Iobj,
    Mark,
    Mwe,
    Name,
    Neg,
    Nmod,
    Nsubj,
    Nsubjpass,
    Nummod,
    Obj,
    Obl,
    Parataxis,
    Poss,
    Punct,
    Xcomp,
    /// Any other relation.
    Other,
}

/// The subtype of a relation (after its first `:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sub {
    /// No subtype.
    None,
    Agent,
    Pass,
    Poss,
    Relcl,
    Xsubj,
    /// Any other subtype.
    Other,
}

/// Up to 8 bytes of a relation name, lower-cased, as one number (longer: `None`).
const fn word(name: &[u8]) -> u64 {
    let mut v = 0u64;
    let mut i = 0;
    while i < name.len() && i < 8 {
        v |= (name[i].to_ascii_lowercase() as u64) << (8 * i);
        i += 1;
    }
    v
}

const ACL: u64 = word(b"acl");
const ADVCL: u64 = word(b"advcl");
const ADVMOD: u64 = word(b"advmod");
const AMOD: u64 = word(b"amod");
const APPOS: u64 = word(b"appos");
const AUX: u64 = word(b"aux");
const AUXPASS: u64 = word(b"auxpass");
const CASE: u64 = word(b"case");
const CC: u64 = word(b"cc");
const CCOMP: u64 = word(b"ccomp");
const COMPOUND: u64 = word(b"compound");
const CONJ: u64 = word(b"conj");
const COP: u64 = word(b"cop");
const CSUBJ: u64 = word(b"csubj");
const DEP: u64 = word(b"dep");
const DET: u64 = word(b"det");
const DOBJ: u64 = word(b"dobj");
const FIXED: u64 = word(b"fixed");
const FLAT: u64 = word(b"flat");
const GOESWITH: u64 = word(b"goeswith");
const IOBJ: u64 = word(b"iobj");
const MARK: u64 = word(b"mark");
const MWE: u64 = word(b"mwe");
const NAME: u64 = word(b"name");
const NEG: u64 = word(b"neg");
const NMOD: u64 = word(b"nmod");
const NSUBJ: u64 = word(b"nsubj");
const NUMMOD: u64 = word(b"nummod");
const OBJ: u64 = word(b"obj");
const OBL: u64 = word(b"obl");
const POSS: u64 = word(b"poss");
const PUNCT: u64 = word(b"punct");
const XCOMP: u64 = word(b"xcomp");
const SUB_PASS: u64 = word(b"pass");
const SUB_POSS: u64 = word(b"poss");
const SUB_RELCL: u64 = word(b"relcl");
const SUB_AGENT: u64 = word(b"agent");
const SUB_XSUBJ: u64 = word(b"xsubj");

/// [`word`] at run time, for names of letters (what relation names are): the bytes are
/// loaded at once and lower-cased by setting their `0x20` bit, which turns an ASCII
/// letter into its lower case and no other byte into a letter.
fn folded(name: &[u8]) -> u64 {
    let n = name.len().min(8);
    if n == 0 {
        return 0;
    }
    // Two overlapping loads whose shared bytes agree (a `copy_from_slice` of a variable
    // length would be a call to `memcpy`).
    let u32_at = |k: usize| {
        name.get(k..k + 4)
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map_or(0, |a| u64::from(u32::from_le_bytes(a)))
    };
    let byte = |k: usize| name.get(k).map_or(0, |&x| u64::from(x));
    let w = if n < 4 {
        byte(0) | byte(n / 2) << (8 * (n / 2)) | byte(n - 1) << (8 * (n - 1))
    } else {
        u32_at(0) | u32_at(n - 4) << (8 * (n - 4))
    };
    w | (0x2020_2020_2020_2020u64 >> (8 * (8 - n)))
}

/// The base relation named `base` (any case).
fn base_rel(base: &[u8]) -> Rel {
    if base.len() > 8 {
        let lower = base.to_ascii_lowercase();
        return match lower.as_slice() {
            b"csubjpass" => Rel::Csubjpass,
            b"nsubjpass" => Rel::Nsubjpass,
            b"parataxis" => Rel::Parataxis,
            _ => Rel::Other,
        };
    }
    match folded(base) {
        ACL => Rel::Acl,
        ADVCL => Rel::Advcl,
        ADVMOD => Rel::Advmod,
        AMOD => Rel::Amod,
        APPOS => Rel::Appos,
        AUX => Rel::Aux,
        AUXPASS => Rel::Auxpass,
        CASE => Rel::Case,
        CC => Rel::Cc,
        CCOMP => Rel::Ccomp,
        COMPOUND => Rel::Compound,
        CONJ => Rel::Conj,
        COP => Rel::Cop,
        CSUBJ => Rel::Csubj,
        DEP => Rel::Dep,
        DET => Rel::Det,
        DOBJ => Rel::Dobj,
        FIXED => Rel::Fixed,
        FLAT => Rel::Flat,
        GOESWITH => Rel::Goeswith,
        IOBJ => Rel::Iobj,
        MARK => Rel::Mark,
        MWE => Rel::Mwe,
        NAME => Rel::Name,
        NEG => Rel::Neg,
        NMOD => Rel::Nmod,
        NSUBJ => Rel::Nsubj,
        NUMMOD => Rel::Nummod,
        OBJ => Rel::Obj,
        OBL => Rel::Obl,
        POSS => Rel::Poss,
        PUNCT => Rel::Punct,
        XCOMP => Rel::Xcomp,
        _ => Rel::Other,
    }
}

/// Reads a relation (any case) as its base and subtype.
fn read_rel(deprel: &str) -> (Rel, Sub) {
    let bytes = deprel.as_bytes();
    let (base, sub) = match bytes.iter().position(|&b| b == b':') {
        Some(k) => (&bytes[..k], Some(&bytes[k + 1..])),
        None => (bytes, None),
    };
    let sub = match sub {
        None => Sub::None,
        Some(s) if s.len() > 8 => Sub::Other,
        Some(s) => match folded(s) {
            SUB_PASS => Sub::Pass,
            SUB_POSS => Sub::Poss,
            SUB_RELCL => Sub::Relcl,
            SUB_AGENT => Sub::Agent,
            SUB_XSUBJ => Sub::Xsubj,
            _ => Sub::Other,
        },
    };
    (base_rel(base), sub)
}

#[cfg(test)]
mod rel_tests {
    use super::*;

    #[test]
    fn relations_are_read_in_any_case_with_their_subtypes() {
        assert_eq!(read_rel("nsubj:pass"), (Rel::Nsubj, Sub::Pass));
        assert_eq!(read_rel("NMOD:POSS"), (Rel::Nmod, Sub::Poss));
        assert_eq!(read_rel("acl:relcl"), (Rel::Acl, Sub::Relcl));
        assert_eq!(read_rel("nsubjpass"), (Rel::Nsubjpass, Sub::None));
        assert_eq!(read_rel("obl:tmod"), (Rel::Obl, Sub::Other));
        assert_eq!(read_rel("acl:relcl:x"), (Rel::Acl, Sub::Other));
        assert_eq!(read_rel("root"), (Rel::Other, Sub::None));
        assert_eq!(read_rel(""), (Rel::Other, Sub::None));
        assert_eq!(
            read_rel("averyveryverylongrelation"),
            (Rel::Other, Sub::None)
        );
        assert_eq!(read_rel("parataxis"), (Rel::Parataxis, Sub::None));
        assert_eq!(read_rel("csubjpassx"), (Rel::Other, Sub::None));
        assert_eq!(read_rel("nsubj:passive"), (Rel::Nsubj, Sub::Other));
        assert_eq!(read_rel("Compound:PRT"), (Rel::Compound, Sub::Other));
        assert_eq!(read_rel("nsub"), (Rel::Other, Sub::None));
        assert_eq!(read_rel("NSUBJ:Pass"), (Rel::Nsubj, Sub::Pass));
        assert_eq!(read_rel("n$ubj"), (Rel::Other, Sub::None));
        assert_eq!(read_rel("a"), (Rel::Other, Sub::None));
        assert_eq!(read_rel("GoesWith"), (Rel::Goeswith, Sub::None));
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
