//! CoNLL-U: reading, writing, and UD v1 → v2 relation labels.

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use dyad_types::{CharSpan, Date, ParsedSentence, Token};

use crate::align::{align_tokens_lenient, normalize_whitespace};
use crate::error::{ConlluError, ConlluErrorKind, Error, Location};

/// A multiword token line (`1-2  don't`): one orthographic word that spans several
/// syntactic words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MultiwordToken {
    /// 1-based index of the first syntactic word.
    pub first: usize,
    /// 1-based index of the last syntactic word.
    pub last: usize,
    /// The surface form.
    pub form: String,
    /// The MISC column (`_` when empty).
    pub misc: String,
}

/// One sentence of a CoNLL-U file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConlluSentence {
    /// Comment lines, without the leading `#` and surrounding spaces (`text = ...`).
    pub comments: Vec<String>,
    /// The syntactic words (integer IDs), in order; empty nodes (`1.1`) are skipped.
    /// `span` is filled from `TokenRange=` in MISC when present.
    pub tokens: Vec<Token>,
    /// The MISC column of each token (`_` when empty), parallel to `tokens`.
    pub misc: Vec<String>,
    /// Multiword token ranges.
    pub multiword: Vec<MultiwordToken>,
    /// 1-based line of the sentence's first line in its file.
    pub line: usize,
}

impl ConlluSentence {
    /// The value of a `# key = value` comment.
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then_some(v.trim())
        })
    }

    /// `# sent_id = ...`
    pub fn sent_id(&self) -> Option<&str> {
        self.comment("sent_id")
    }

    /// `# text = ...`
    pub fn text(&self) -> Option<&str> {
        self.comment("text")
    }

    /// The sentence text rebuilt from the words: multiword tokens stand for their parts,
    /// and a space follows each word unless its MISC says `SpaceAfter=No`.
    pub fn reconstruct_text(&self) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < self.tokens.len() {
            let id = i + 1;
            let (form, misc, next) = match self
                .multiword
                .iter()
                .find(|m| m.first == id && m.last >= id)
            {
                Some(m) => (m.form.as_str(), m.misc.as_str(), m.last),
                None => (
                    self.tokens[i].form.as_str(),
                    self.misc.get(i).map_or("_", |s| s.as_str()),
                    id,
                ),
            };
            out.push_str(form);
            if next < self.tokens.len() && !misc_has(misc, "SpaceAfter", "No") {
                out.push(' ');
            }
            i = next.max(id);
        }
        out
    }

    /// Makes a [`ParsedSentence`].
    ///
    /// The text is `# text =` when present, else rebuilt with
    /// [`reconstruct_text`](Self::reconstruct_text), in both cases with whitespace
    /// normalised. Token spans come from `TokenRange=` in MISC when every token has one
    /// that fits the text with the same word, otherwise from aligning the words to the
    /// text (tokens that cannot be found keep `span = None`).
    pub fn to_parsed(&self, id: impl Into<String>, date: Option<Date>) -> ParsedSentence {
        let text = normalize_whitespace(
            &self
                .text()
                .map_or_else(|| self.reconstruct_text(), str::to_string),
        );
        let mut tokens = self.tokens.clone();
        if !spans_fit(&text, &tokens) {
            align_tokens_lenient(&text, &mut tokens);
        }
        ParsedSentence {
            id: id.into(),
            date,
            text,
            tokens,
            tree: None,
        }
    }
}

/// Do all tokens have spans whose text equals their form?
fn spans_fit(text: &str, tokens: &[Token]) -> bool {
    let chars: Vec<char> = text.chars().collect();
    !tokens.is_empty()
        && tokens.iter().all(|t| match t.span {
            Some(s) if s.start <= s.end && s.end <= chars.len() => {
                chars[s.start..s.end].iter().collect::<String>() == t.form
            }
            _ => false,
        })
}

fn misc_has(misc: &str, key: &str, value: &str) -> bool {
    misc_get(misc, key) == Some(value)
}

fn misc_get<'a>(misc: &'a str, key: &str) -> Option<&'a str> {
    misc.split('|').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then_some(v)
    })
}

/// Reads every sentence of a CoNLL-U text. A broken sentence gives an error naming its
/// file and line and the next sentence is read normally.
///
/// ```
/// let src = "# text = Arnor left.\n1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n\
///            2\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";
/// let sents = dyad_io::parse_conllu(src, "x.conllu");
/// let s = sents[0].as_ref().unwrap();
/// assert_eq!(s.tokens[0].deprel, "nsubj");
/// assert_eq!(s.reconstruct_text(), "Arnor left.");
/// ```
pub fn parse_conllu(src: &str, file: &str) -> Vec<Result<ConlluSentence, ConlluError>> {
    let file: Arc<str> = Arc::from(file);
    let mut out = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    for (k, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            if !block.is_empty() {
                out.push(parse_block(&block, &file));
                block.clear();
            }
        } else {
            block.push((k + 1, line));
        }
    }
    if !block.is_empty() {
        out.push(parse_block(&block, &file));
    }
    out
}

/// Reads one sentence: `src` holds its lines (blank lines are ignored), the first of which
/// is line `first_line` of `file`.
pub fn parse_conllu_sentence(
    src: &str,
    file: &str,
    first_line: usize,
) -> Result<ConlluSentence, ConlluError> {
    let lines: Vec<(usize, &str)> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(k, l)| (first_line + k, l))
        .collect();
    parse_block(&lines, &Arc::from(file))
}

/// Reads a CoNLL-U file (see [`parse_conllu`]).
pub fn read_conllu_file(path: &Path) -> Result<Vec<Result<ConlluSentence, ConlluError>>, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(parse_conllu(&text, &path.display().to_string()))
}

fn parse_block(lines: &[(usize, &str)], file: &Arc<str>) -> Result<ConlluSentence, ConlluError> {
    let first = lines.first().map_or(1, |l| l.0);
    let err = |line: usize, kind| ConlluError {
        location: Location {
            file: file.clone(),
            line,
        },
        kind,
    };
    let mut s = ConlluSentence {
        line: first,
        ..ConlluSentence::default()
    };
    let mut heads: Vec<(usize, String)> = Vec::new();
    for &(ln, raw) in lines {
        let line = raw.trim_end_matches(['\r', '\n']);
        if let Some(c) = line.trim_start().strip_prefix('#') {
            s.comments.push(c.trim().to_string());
            continue;
        }
        let mut cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            let ws: Vec<&str> = line.split_whitespace().collect();
            if ws.len() == 10 {
                cols = ws;
            } else {
                return Err(err(ln, ConlluErrorKind::Columns(cols.len())));
            }
        }
        let id = cols[0].trim();
        if let Some((a, b)) = id.split_once('-') {
            let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
                return Err(err(ln, ConlluErrorKind::BadId(id.to_string())));
            };
            if a == 0 || b < a {
                return Err(err(ln, ConlluErrorKind::BadId(id.to_string())));
            }
            s.multiword.push(MultiwordToken {
                first: a,
                last: b,
                form: cols[1].to_string(),
                misc: cols[9].to_string(),
            });
            continue;
        }
        if id.contains('.') {
            if id
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            {
                continue; // empty node of the enhanced graph
            }
            return Err(err(ln, ConlluErrorKind::BadId(id.to_string())));
        }
        let Ok(n) = id.parse::<usize>() else {
            return Err(err(ln, ConlluErrorKind::BadId(id.to_string())));
        };
        let expected = s.tokens.len() + 1;
        if n != expected {
            return Err(err(ln, ConlluErrorKind::Sequence { expected, found: n }));
        }
        let misc = cols[9].to_string();
        let span = misc_get(&misc, "TokenRange").and_then(|r| {
            let (a, b) = r.split_once(':')?;
            Some(CharSpan::new(a.parse().ok()?, b.parse().ok()?))
        });
        s.tokens.push(Token {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head: 0,
            deprel: cols[7].to_string(),
            span,
        });
        s.misc.push(misc);
        heads.push((ln, cols[6].trim().to_string()));
    }
    if s.tokens.is_empty() {
        return Err(err(first, ConlluErrorKind::NoTokens));
    }
    let n = s.tokens.len();
    for (k, (ln, h)) in heads.into_iter().enumerate() {
        let head = if h == "_" {
            // Unparsed token: attach to nothing rather than fail.
            0
        } else {
            match h.parse::<usize>() {
                Ok(v) if v <= n && v != k + 1 => v,
                _ => return Err(err(ln, ConlluErrorKind::BadHead(h))),
            }
        };
        s.tokens[k].head = head;
    }
    Ok(s)
}

/// Writes one sentence as CoNLL-U: `# sent_id`, `# text`, one line per token, then a blank
/// line. MISC carries `TokenRange=start:end` (character offsets into the text) for tokens
/// with a span, and `SpaceAfter=No` when the next token starts where this one ends.
/// Tabs and newlines inside fields are replaced by spaces; empty fields are written `_`.
///
/// ```
/// use dyad_types::{CharSpan, ParsedSentence, Token};
/// let s = ParsedSentence {
///     id: "s1".into(),
///     text: "Hi.".into(),
///     tokens: vec![
///         Token { form: "Hi".into(), head: 0, deprel: "root".into(), span: Some(CharSpan::new(0, 2)), ..Token::default() },
///         Token { form: ".".into(), head: 1, deprel: "punct".into(), span: Some(CharSpan::new(2, 3)), ..Token::default() },
///     ],
///     ..ParsedSentence::default()
/// };
/// let out = dyad_io::to_conllu(&s);
/// assert!(out.contains("1\tHi\t_\t_\t_\t_\t0\troot\t_\tSpaceAfter=No|TokenRange=0:2\n"));
/// ```
pub fn write_conllu<W: Write>(w: &mut W, sentence: &ParsedSentence) -> io::Result<()> {
    w.write_all(to_conllu(sentence).as_bytes())
}

/// [`write_conllu`] into a string.
pub fn to_conllu(sentence: &ParsedSentence) -> String {
    let clean = |s: &str| -> String {
        let s = s.replace(['\t', '\n', '\r'], " ");
        if s.is_empty() {
            "_".into()
        } else {
            s
        }
    };
    let mut out = String::new();
    if !sentence.id.is_empty() {
        out.push_str(&format!("# sent_id = {}\n", clean(&sentence.id)));
    }
    if !sentence.text.is_empty() {
        out.push_str(&format!(
            "# text = {}\n",
            sentence.text.replace(['\t', '\n', '\r'], " ")
        ));
    }
    for (i, t) in sentence.tokens.iter().enumerate() {
        let mut misc = Vec::new();
        if let (Some(a), Some(b)) = (t.span, sentence.tokens.get(i + 1).and_then(|n| n.span)) {
            if a.end == b.start {
                misc.push("SpaceAfter=No".to_string());
            }
        }
        if let Some(s) = t.span {
            misc.push(format!("TokenRange={}:{}", s.start, s.end));
        }
        let misc = if misc.is_empty() {
            "_".to_string()
        } else {
            misc.join("|")
        };
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t_\t{}\n",
            i + 1,
            clean(&t.form),
            clean(&t.lemma),
            clean(&t.upos),
            clean(&t.xpos),
            clean(&t.feats),
            t.head,
            clean(&t.deprel),
            misc
        ));
    }
    out.push('\n');
    out
}

/// Rewrites UD v1 relation labels and tags as UD v2 uses them, in place:
///
/// | v1 | v2 |
/// |---|---|
/// | `dobj` | `obj` |
/// | `nsubjpass`, `csubjpass`, `auxpass` | `nsubj:pass`, `csubj:pass`, `aux:pass` |
/// | `nmod`, `nmod:tmod`, `nmod:npmod` on a verb, adjective or adverb | `obl`, `obl:tmod`, `obl:npmod` |
/// | `nmod:agent` | `obl:agent` |
/// | `neg` | `advmod` (`det` on a determiner such as "no"); the word is kept |
/// | `mwe`, `name`, `foreign` | `fixed`, `flat`, `flat:foreign` |
/// | `remnant` | `orphan` |
/// | UPOS `CONJ` | `CCONJ` |
/// | UPOS `VERB` on `aux`/`cop` | `AUX` |
/// | `cc` (and list commas) on the first conjunct | on the conjunct that follows |
///
/// Labels that are already v2 are left alone, so applying it twice changes nothing.
///
/// ```
/// use dyad_types::Token;
/// let tok = |form: &str, upos: &str, head, deprel: &str| Token {
///     form: form.into(), upos: upos.into(), head, deprel: deprel.into(), ..Token::default()
/// };
/// let mut t = vec![tok("ties", "NOUN", 2, "dobj"), tok("restore", "VERB", 0, "root"), tok("Gondor", "PROPN", 2, "nmod")];
/// dyad_io::normalize_ud_v1(&mut t);
/// assert_eq!((t[0].deprel.as_str(), t[2].deprel.as_str()), ("obj", "obl"));
/// ```
pub fn normalize_ud_v1(tokens: &mut [Token]) {
    let head_upos: Vec<String> = tokens
        .iter()
        .map(|t| match t.head {
            0 => String::new(),
            h => tokens.get(h - 1).map_or(String::new(), |x| x.upos.clone()),
        })
        .collect();
    for (t, hu) in tokens.iter_mut().zip(head_upos) {
        let predicate = matches!(hu.as_str(), "VERB" | "ADJ" | "ADV" | "AUX");
        let new = match t.deprel.as_str() {
            "dobj" => Some("obj"),
            "nsubjpass" => Some("nsubj:pass"),
            "csubjpass" => Some("csubj:pass"),
            "auxpass" => Some("aux:pass"),
            "nmod:agent" => Some("obl:agent"),
            "nmod" if predicate => Some("obl"),
            "nmod:tmod" if predicate => Some("obl:tmod"),
            "nmod:npmod" if predicate => Some("obl:npmod"),
            "neg" if t.upos == "DET" => Some("det"),
            "neg" => Some("advmod"),
            "mwe" => Some("fixed"),
            "name" => Some("flat"),
            "foreign" => Some("flat:foreign"),
            "remnant" => Some("orphan"),
            _ => None,
        };
        if let Some(n) = new {
            t.deprel = n.to_string();
        }
        if t.upos == "CONJ" {
            t.upos = "CCONJ".into();
        }
        if t.upos == "VERB" && matches!(t.deprel.as_str(), "aux" | "aux:pass" | "cop") {
            t.upos = "AUX".into();
        }
    }
    // v1 hangs coordinators (and the commas of a list) on the first conjunct; v2 on the
    // conjunct that follows them.
    let n = tokens.len();
    for i in 0..n {
        let is_cc = tokens[i].deprel == "cc";
        let is_comma = tokens[i].deprel == "punct" && tokens[i].form == ",";
        let h = tokens[i].head;
        if !(is_cc || is_comma) || h == 0 || h > i {
            continue;
        }
        let next_conj = (i + 1..n).find(|&k| tokens[k].head == h && tokens[k].deprel == "conj");
        if let Some(c) = next_conj {
            tokens[i].head = c + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = a\n# text = Gondor didn't go.\n\
        1\tGondor\tGondor\tPROPN\tNNP\t_\t4\tnsubj\t_\t_\n\
        2-3\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n\
        2\tdid\tdo\tAUX\tVBD\t_\t4\taux\t_\t_\n\
        3\tn't\tnot\tPART\tRB\t_\t4\tneg\t_\t_\n\
        3.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t4:conj\t_\n\
        4\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
        5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn reads_ranges_empty_nodes_and_comments() {
        let all = parse_conllu(SAMPLE, "t.conllu");
        assert_eq!(all.len(), 1);
        let s = all[0].as_ref().unwrap();
        assert_eq!(s.tokens.len(), 5);
        assert_eq!(s.multiword.len(), 1);
        assert_eq!(s.sent_id(), Some("a"));
        assert_eq!(s.reconstruct_text(), "Gondor didn't go.");
        let p = s.to_parsed("a", None);
        assert_eq!(p.text, "Gondor didn't go.");
        assert_eq!(p.tokens[1].span, Some(CharSpan::new(7, 10)));
        assert_eq!(p.tokens[2].span, Some(CharSpan::new(10, 13)));
    }

    #[test]
    fn errors_name_the_line_and_reading_goes_on() {
        let src = "1\ta\n\n1\tb\tb\tX\tX\t_\t0\troot\t_\t_\n3\tc\tc\tX\tX\t_\t1\tdep\t_\t_\n\n\
                   1\tok\tok\tX\tX\t_\t0\troot\t_\t_\n2\tx\tx\tX\tX\t_\t9\tdep\t_\t_\n\n1\tfine\tfine\tX\tX\t_\t0\troot\t_\t_\n";
        let all = parse_conllu(src, "f");
        assert_eq!(all.len(), 4);
        let e0 = all[0].as_ref().unwrap_err();
        assert_eq!(
            (e0.location.line, &e0.kind),
            (1, &ConlluErrorKind::Columns(2))
        );
        let e1 = all[1].as_ref().unwrap_err();
        assert_eq!(e1.location.line, 4);
        assert!(matches!(
            e1.kind,
            ConlluErrorKind::Sequence {
                expected: 2,
                found: 3
            }
        ));
        assert!(matches!(
            all[2].as_ref().unwrap_err().kind,
            ConlluErrorKind::BadHead(_)
        ));
        assert!(all[3].is_ok());
        assert_eq!(
            all[0].as_ref().unwrap_err().to_string(),
            "f:1: expected 10 columns, found 2"
        );
    }

    #[test]
    fn writes_and_reads_back_with_token_ranges() {
        let s = parse_conllu(SAMPLE, "t").remove(0).unwrap();
        let p = s.to_parsed("a", None);
        let out = to_conllu(&p);
        assert!(out.contains("TokenRange=0:6"));
        let back = parse_conllu(&out, "t").remove(0).unwrap();
        let q = back.to_parsed("a", None);
        assert_eq!(q.tokens, p.tokens);
        assert_eq!(q.text, p.text);
    }

    #[test]
    fn normalises_v1_labels() {
        let mut s = parse_conllu(SAMPLE, "t").remove(0).unwrap();
        normalize_ud_v1(&mut s.tokens);
        assert_eq!(s.tokens[2].deprel, "advmod");
        assert_eq!(s.tokens[2].form, "n't");
        let before = s.tokens.clone();
        normalize_ud_v1(&mut s.tokens);
        assert_eq!(before, s.tokens);
    }

    #[test]
    fn garbage_does_not_panic() {
        for src in [
            "\u{0}\u{1}\t\t\t",
            "1-\t",
            "0-0\ta\t\t\t\t\t\t\t\t",
            "1.\ta\tb\tc\td\te\tf\tg\th\ti",
            "#\n#\n",
            "\t\t\t\t\t\t\t\t\t",
        ] {
            let _ = parse_conllu(src, "g");
        }
    }
}
