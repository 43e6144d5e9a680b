//! Penn Treebank bracketed parses: `(ROOT (S (NP (NNP Arnor)) (VP (VBD left))))`.

use std::borrow::Cow;

use dyad_types::{Token, Tree, TreeNode};

use crate::deps::derive_dependencies;
use crate::error::TreebankError;

/// A Treebank parse read into dyad's types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreebankParse {
    /// The constituency tree; preterminals point into `tokens`.
    pub tree: Tree,
    /// The words, with Penn tag (`xpos`), universal tag (`upos`), lemma `_`, and the
    /// dependency analysis derived from the tree (`head`, `deprel`). `span` is `None`:
    /// see [`align_tokens`](crate::align_tokens).
    pub tokens: Vec<Token>,
}

/// Deepest bracket nesting accepted; deeper input is rejected rather than risking the stack.
pub const MAX_DEPTH: usize = 400;

/// Reads one bracketed parse (or several trees in a row, which are joined under one
/// `ROOT`) and derives UD dependencies from it.
///
/// The top node is labelled `ROOT` (CoreNLP writes it unlabelled as `( (S ...))`). Empty
/// elements (`-NONE-` traces) are dropped. Words are unescaped with [`unescape_treebank`].
/// Never panics: unbalanced brackets, empty input and stray words give a
/// [`TreebankError`].
///
/// ```
/// let p = dyad_io::parse_treebank("(ROOT (S (NP (NNP Arnor)) (VP (VBD criticised) (NP (NNP Gondor))) (. .)))")?;
/// let forms: Vec<&str> = p.tokens.iter().map(|t| t.form.as_str()).collect();
/// assert_eq!(forms, ["Arnor", "criticised", "Gondor", "."]);
/// assert_eq!((p.tokens[0].head, p.tokens[0].deprel.as_str()), (2, "nsubj"));
/// assert_eq!((p.tokens[2].head, p.tokens[2].deprel.as_str()), (2, "obj"));
/// assert_eq!(p.tokens[1].deprel, "root");
/// # Ok::<(), dyad_io::TreebankError>(())
/// ```
pub fn parse_treebank(src: &str) -> Result<TreebankParse, TreebankError> {
    let mut p = read_tree(src)?;
    derive_dependencies(&p.tree, &mut p.tokens);
    Ok(p)
}

/// Reads a bracketed parse into a tree and tokens without deriving dependencies
/// (`head` = 0, `deprel` = `_`).
pub fn read_tree(src: &str) -> Result<TreebankParse, TreebankError> {
    let atoms = lex(src);
    if atoms.is_empty() {
        return Err(TreebankError::Empty);
    }
    let mut nodes: Vec<TreeNode> = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    // Open brackets: (node index, has a label been read).
    let mut stack: Vec<(usize, bool, Vec<String>)> = Vec::new();
    let mut tops: Vec<usize> = Vec::new();
    for atom in atoms {
        match atom.kind {
            Atom::Open => {
                if stack.len() >= MAX_DEPTH {
                    return Err(TreebankError::Malformed {
                        line: atom.line,
                        reason: format!("nesting deeper than {MAX_DEPTH}"),
                    });
                }
                nodes.push(TreeNode::default());
                stack.push((nodes.len() - 1, false, Vec::new()));
            }
            Atom::Word(w) => {
                let Some((n, labelled, words)) = stack.last_mut() else {
                    return Err(TreebankError::Malformed {
                        line: atom.line,
                        reason: format!("word {w:?} outside brackets"),
                    });
                };
                if !*labelled && nodes[*n].children.is_empty() {
                    nodes[*n].label = w.to_string();
                    *labelled = true;
                } else if nodes[*n].children.is_empty() {
                    words.push(w.to_string());
                } else {
                    return Err(TreebankError::Malformed {
                        line: atom.line,
                        reason: format!("word {w:?} beside phrases in one bracket"),
                    });
                }
            }
            Atom::Close => {
                let Some((n, _, words)) = stack.pop() else {
                    return Err(TreebankError::ExtraClose(atom.line));
                };
                if !words.is_empty() {
                    if !nodes[n].children.is_empty() {
                        return Err(TreebankError::Malformed {
                            line: atom.line,
                            reason: "word beside phrases in one bracket".into(),
                        });
                    }
                    if nodes[n].label.is_empty() {
                        return Err(TreebankError::Malformed {
                            line: atom.line,
                            reason: "word without a tag".into(),
                        });
                    }
                    let form = words
                        .iter()
                        .map(|w| unescape_treebank(w))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let xpos = nodes[n].label.clone();
                    if xpos == "-NONE-" {
                        // Empty element: drop it (the parent prunes empty children).
                        nodes[n].label.clear();
                        nodes[n].token = None;
                        continue;
                    }
                    nodes[n].token = Some(tokens.len());
                    let upos = penn_to_upos(&xpos, &form).to_string();
                    tokens.push(Token {
                        form,
                        lemma: "_".into(),
                        upos,
                        xpos,
                        feats: "_".into(),
                        head: 0,
                        deprel: "_".into(),
                        span: None,
                    });
                } else if nodes[n].children.is_empty() {
                    if nodes[n].label.is_empty() {
                        return Err(TreebankError::Malformed {
                            line: atom.line,
                            reason: "empty brackets ()".into(),
                        });
                    }
                    // A phrase left empty by dropped traces, or a bare label: drop it.
                    continue;
                }
                match stack.last() {
                    Some(&(parent, _, _)) => nodes[parent].children.push(n),
                    None => tops.push(n),
                }
            }
        }
    }
    if !stack.is_empty() {
        return Err(TreebankError::Unclosed(stack.len()));
    }
    if tokens.is_empty() {
        return Err(TreebankError::NoTokens);
    }
    let root = match tops.as_slice() {
        [only] if nodes[*only].token.is_none() => {
            if nodes[*only].label.is_empty() {
                nodes[*only].label = "ROOT".into();
            }
            *only
        }
        _ => {
            nodes.push(TreeNode {
                label: "ROOT".into(),
                children: tops,
                token: None,
            });
            nodes.len() - 1
        }
    };
    // Unlabelled inner nodes (rare) get a neutral label.
    for node in &mut nodes {
        if node.label.is_empty() && node.token.is_none() {
            node.label = "X".into();
        }
    }
    let tree = compact(nodes, root);
    Ok(TreebankParse { tree, tokens })
}

/// Keeps only the nodes reachable from `root`, renumbered in pre-order.
fn compact(nodes: Vec<TreeNode>, root: usize) -> Tree {
    let mut order = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        order.push(n);
        if let Some(node) = nodes.get(n) {
            stack.extend(node.children.iter().rev());
        }
    }
    let mut new_index = vec![usize::MAX; nodes.len()];
    for (k, &n) in order.iter().enumerate() {
        new_index[n] = k;
    }
    let out = order
        .iter()
        .map(|&n| {
            let node = &nodes[n];
            TreeNode {
                label: node.label.clone(),
                children: node.children.iter().map(|&c| new_index[c]).collect(),
                token: node.token,
            }
        })
        .collect();
    Tree {
        nodes: out,
        root: 0,
    }
}

enum Atom<'a> {
    Open,
    Close,
    Word(&'a str),
}

struct Lexed<'a> {
    kind: Atom<'a>,
    line: usize,
}

fn lex(src: &str) -> Vec<Lexed<'_>> {
    let mut out = Vec::new();
    let mut line = 1;
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'(' => {
                out.push(Lexed {
                    kind: Atom::Open,
                    line,
                });
                i += 1;
            }
            b')' => {
                out.push(Lexed {
                    kind: Atom::Close,
                    line,
                });
                i += 1;
            }
            _ if b.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < bytes.len()
                    && !bytes[i].is_ascii_whitespace()
                    && bytes[i] != b'('
                    && bytes[i] != b')'
                {
                    i += 1;
                }
                out.push(Lexed {
                    kind: Atom::Word(&src[start..i]),
                    line,
                });
            }
        }
    }
    out
}

/// Undoes Treebank escapes in a word: `-LRB-` → `(`, `-RSB-` → `]`, `-LCB-` → `{`,
/// `` `` `` and `''` → `"`, `\/` → `/`, `\*` → `*`. Other words are returned unchanged.
///
/// ```
/// assert_eq!(dyad_io::unescape_treebank("-LRB-"), "(");
/// assert_eq!(dyad_io::unescape_treebank("``"), "\"");
/// assert_eq!(dyad_io::unescape_treebank("1\\/2"), "1/2");
/// assert_eq!(dyad_io::unescape_treebank("Gondor"), "Gondor");
/// ```
pub fn unescape_treebank(word: &str) -> Cow<'_, str> {
    let mapped = match word {
        "-LRB-" | "-lrb-" => "(",
        "-RRB-" | "-rrb-" => ")",
        "-LSB-" | "-lsb-" => "[",
        "-RSB-" | "-rsb-" => "]",
        "-LCB-" | "-lcb-" => "{",
        "-RCB-" | "-rcb-" => "}",
        "``" | "''" => "\"",
        _ => {
            if word.contains('\\') {
                return Cow::Owned(word.replace("\\/", "/").replace("\\*", "*"));
            }
            return Cow::Borrowed(word);
        }
    };
    Cow::Borrowed(mapped)
}

/// Maps a Penn Treebank tag to a Universal Dependencies part of speech.
///
/// The mapping is by tag alone, with the word only for verbs that are always auxiliaries
/// in the tag sets that mark them (`AUX`, `AUXZ`, ... in some CoreNLP output); the
/// dependency derivation later turns auxiliaries and copulas into `AUX` and
/// subordinating `IN` into `SCONJ`.
///
/// ```
/// assert_eq!(dyad_io::penn_to_upos("NNP", "Arnor"), "PROPN");
/// assert_eq!(dyad_io::penn_to_upos("VBD", "criticised"), "VERB");
/// assert_eq!(dyad_io::penn_to_upos("-LRB-", "("), "PUNCT");
/// ```
pub fn penn_to_upos(xpos: &str, form: &str) -> &'static str {
    match xpos {
        "NN" | "NNS" => "NOUN",
        "NNP" | "NNPS" => "PROPN",
        "PRP" | "PRP$" | "WP" | "WP$" | "EX" => "PRON",
        "DT" | "PDT" | "WDT" => "DET",
        "JJ" | "JJR" | "JJS" | "AFX" => "ADJ",
        "RB" | "RBR" | "RBS" | "WRB" => "ADV",
        "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" => "VERB",
        "MD" => "AUX",
        "IN" | "RP" => "ADP",
        "TO" | "POS" => "PART",
        "CC" => "CCONJ",
        "CD" => "NUM",
        "UH" => "INTJ",
        "SYM" | "$" | "#" => "SYM",
        "FW" | "LS" | "ADD" | "GW" | "XX" => "X",
        "." | "," | ":" | "``" | "''" | "-LRB-" | "-RRB-" | "-LSB-" | "-RSB-" | "-LCB-"
        | "-RCB-" | "HYPH" | "NFP" => "PUNCT",
        t if t.starts_with("AUX") => "AUX",
        _ if !form.is_empty() && form.chars().all(|c| c.is_ascii_punctuation()) => "PUNCT",
        _ => "X",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_unlabelled_roots_and_escapes() {
        let p = read_tree(
            "( (S (NP (NNP A)) (VP (VBD said) (-LRB- -LRB-) (`` ``) (NN x) (-RRB- -RRB-))))",
        )
        .unwrap();
        assert_eq!(p.tree.nodes[p.tree.root].label, "ROOT");
        let forms: Vec<&str> = p.tokens.iter().map(|t| t.form.as_str()).collect();
        assert_eq!(forms, ["A", "said", "(", "\"", "x", ")"]);
        assert_eq!(p.tree.leaves(p.tree.root), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(p.tokens[2].upos, "PUNCT");
    }

    #[test]
    fn drops_traces_and_joins_several_trees() {
        let p = read_tree("(S (NP (-NONE- *T*)) (VP (VB go))) (S (VP (VB stop)))").unwrap();
        assert_eq!(p.tokens.len(), 2);
        let root = &p.tree.nodes[p.tree.root];
        assert_eq!(root.label, "ROOT");
        assert_eq!(root.children.len(), 2);
        assert_eq!(p.tree.leaves(p.tree.root), vec![0, 1]);
    }

    #[test]
    fn rejects_broken_brackets_without_panicking() {
        assert_eq!(read_tree("  \n "), Err(TreebankError::Empty));
        assert_eq!(read_tree("(S (NP (NN a))"), Err(TreebankError::Unclosed(1)));
        assert!(matches!(
            read_tree("(S (NN a)))"),
            Err(TreebankError::ExtraClose(1))
        ));
        assert!(matches!(
            read_tree("word (S (NN a))"),
            Err(TreebankError::Malformed { .. })
        ));
        assert!(matches!(
            read_tree("(S (NN a) b)"),
            Err(TreebankError::Malformed { .. })
        ));
        assert!(matches!(
            read_tree("(())"),
            Err(TreebankError::Malformed { .. })
        ));
        assert_eq!(read_tree("(S )"), Err(TreebankError::NoTokens));
        let deep = "(".repeat(MAX_DEPTH + 5);
        assert!(read_tree(&deep).is_err());
        for junk in [")(", "(((", "\u{0}\u{1}", "(X (Y", "(NN)", "( )"] {
            let _ = parse_treebank(junk);
        }
    }
}
