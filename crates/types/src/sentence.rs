use serde::{Deserialize, Serialize};

use crate::Date;

/// A half-open range `[start, end)` of character (Unicode scalar) offsets into a text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct CharSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

impl CharSpan {
    /// A span from its bounds.
    pub fn new(start: usize, end: usize) -> CharSpan {
        CharSpan { start, end }
    }
}

/// One token of a parsed sentence, in CoNLL-U terms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The word form as it appears in the text (Treebank escapes such as `-LRB-` undone).
    pub form: String,
    /// The lemma, or `_` when unknown.
    pub lemma: String,
    /// Universal part-of-speech tag (`NOUN`, `VERB`, ...), or `_` when unknown.
    pub upos: String,
    /// Penn Treebank tag (`NN`, `VBD`, ...), or `_` when unknown.
    pub xpos: String,
    /// Morphological features as in CoNLL-U (`Tense=Past|VerbForm=Fin`), or `_`.
    pub feats: String,
    /// 1-based index of the syntactic head; 0 for the root.
    pub head: usize,
    /// Dependency relation to the head (UD: `nsubj`, `obj`, `obl:agent`, ...).
    pub deprel: String,
    /// Where the token is in [`ParsedSentence::text`], when known.
    pub span: Option<CharSpan>,
}

/// A sentence with its analysis: what the coder works on.
///
/// `tokens` always carries the dependency analysis (derived by head rules when the input
/// only had a constituency tree); `tree` keeps the constituency tree when the input had one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedSentence {
    /// Identifier, unique within its input (PETRARCH `id`, or `article:index`).
    pub id: String,
    /// Date of the report, when known; date-bounded dictionary entries resolve against it.
    pub date: Option<Date>,
    /// The sentence text.
    pub text: String,
    /// Tokens in order; `Token::head` indexes this vector from 1.
    pub tokens: Vec<Token>,
    /// Constituency tree, when the input carried one.
    pub tree: Option<Tree>,
}

/// A constituency tree stored as an arena: `nodes[root]` is the top node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tree {
    /// All nodes; children refer to them by index.
    pub nodes: Vec<TreeNode>,
    /// Index of the top node.
    pub root: usize,
}

/// One node of a [`Tree`]: a phrase (`NP`, `VP`, ...) or a preterminal that covers one token.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeNode {
    /// Phrase label or part-of-speech tag.
    pub label: String,
    /// Child node indices, in order.
    pub children: Vec<usize>,
    /// For a preterminal, the 0-based index of its token in [`ParsedSentence::tokens`].
    pub token: Option<usize>,
}

impl ParsedSentence {
    /// The 0-based index of the head of token `i` (0-based), or `None` for the root.
    pub fn head_of(&self, i: usize) -> Option<usize> {
        match self.tokens.get(i)?.head {
            0 => None,
            h => Some(h - 1),
        }
    }

    /// 0-based indices of the dependents of token `i` (0-based), in order.
    pub fn dependents(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.tokens
            .iter()
            .enumerate()
            .filter(move |(_, t)| t.head == i + 1)
            .map(|(j, _)| j)
    }

    /// The character span covering tokens `first..=last`, when both have spans.
    pub fn char_span(&self, first: usize, last: usize) -> Option<CharSpan> {
        let a = self.tokens.get(first)?.span?;
        let b = self.tokens.get(last)?.span?;
        Some(CharSpan::new(a.start, b.end))
    }
}

impl Tree {
    /// Token indices covered by node `n`, in order (its yield).
    pub fn leaves(&self, n: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![n];
        while let Some(k) = stack.pop() {
            let Some(node) = self.nodes.get(k) else {
                continue;
            };
            if let Some(t) = node.token {
                out.push(t);
            }
            stack.extend(node.children.iter().rev());
        }
        out
    }
}
