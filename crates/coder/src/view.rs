//! A read-only view of a parsed sentence that the coder queries: upper-case words,
//! children lists and predicates over part-of-speech tags and dependency relations.
//!
//! Relations are read in both UD v1 and v2 spellings (`dobj`/`obj`, `nsubjpass`/`nsubj:pass`,
//! `nmod` with a case marker/`obl`), so CoNLL-U from older parsers works unchanged.

use dyad_types::ParsedSentence;

/// The sentence as the coder sees it.
pub(crate) struct View<'a> {
    pub(crate) s: &'a ParsedSentence,
    /// Upper-case word forms.
    pub(crate) words: Vec<String>,
    /// Upper-case lemmas (empty when unknown).
    pub(crate) lemmas: Vec<String>,
    /// 0-based heads (`None` for the root or a head out of range).
    pub(crate) heads: Vec<Option<usize>>,
    /// 0-based dependents of each token, in order.
    pub(crate) children: Vec<Vec<usize>>,
    /// Lower-case relations.
    pub(crate) rels: Vec<String>,
    /// Tokens removed by the comma rule (their words neither code nor name actors).
    pub(crate) masked: Vec<bool>,
}

impl<'a> View<'a> {
    pub(crate) fn new(s: &'a ParsedSentence) -> View<'a> {
        let n = s.tokens.len();
        let words = s
            .tokens
            .iter()
            .map(|t| t.form.to_ascii_uppercase())
            .collect();
        let lemmas = s
            .tokens
            .iter()
            .map(|t| {
                if t.lemma == "_" {
                    String::new()
                } else {
                    t.lemma.to_ascii_uppercase()
                }
            })
            .collect();
        let mut heads = vec![None; n];
        let mut children = vec![Vec::new(); n];
        for (i, t) in s.tokens.iter().enumerate() {
            if t.head >= 1 && t.head <= n && t.head != i + 1 {
                heads[i] = Some(t.head - 1);
            }
        }
        // Break cycles: a token whose head chain returns to itself becomes a root.
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
        for (i, h) in heads.iter().enumerate() {
            if let Some(h) = *h {
                children[h].push(i);
            }
        }
        let rels = s
            .tokens
            .iter()
            .map(|t| t.deprel.to_ascii_lowercase())
            .collect();
        View {
            s,
            words,
            lemmas,
            heads,
            children,
            rels,
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
        self.rels.get(i).map_or("", |r| r.as_str())
    }

    /// The relation without its subtype (`nsubj:pass` → `nsubj`).
    pub(crate) fn base_rel(&self, i: usize) -> &str {
        let r = self.rel(i);
        r.split(':').next().unwrap_or(r)
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
            .map(|&c| self.words[c].as_str())
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
            .any(|&c| c < v && self.base_rel(c) == "aux" && is_be(&self.words[c]))
    }

    /// Negated by "not"/"n't"/"never" (UD v1 `neg`, v2 `advmod` with Polarity=Neg or these words).
    pub(crate) fn is_negated(&self, v: usize) -> bool {
        self.children.get(v).is_some_and(|kids| {
            kids.iter().any(|&c| {
                self.rel(c) == "neg"
                    || (matches!(self.base_rel(c), "advmod" | "aux" | "neg")
                        && matches!(self.words[c].as_str(), "NOT" | "N'T" | "NEVER"))
            })
        })
    }

    /// All tokens of the subtree under `i`, in order.
    pub(crate) fn subtree(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        let mut guard = 0;
        while let Some(k) = stack.pop() {
            guard += 1;
            if guard > self.len() * 2 + 2 {
                break;
            }
            out.push(k);
            if let Some(kids) = self.children.get(k) {
                stack.extend(kids.iter().copied());
            }
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
        let v = View::new(&s);
        assert!(v.is_passive(2));
        assert!(v.subtree(2).contains(&0));
        assert!(v.heads[3].is_none() || v.heads[4].is_none());
    }
}
