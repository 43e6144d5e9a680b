//! Measuring tokenization and sentence splitting against gold CoNLL-U, by the CoNLL 2018
//! shared task definitions.
//!
//! # Raw text
//!
//! A gold file has no raw text of its own, only each sentence's `# text` comment. For raw
//! evaluation [`read_conllu`] rebuilds one raw text per document (a document starts at each
//! `# newdoc`, and the file starts one): the `# text` of its sentences joined by a single
//! space, except that a sentence starting a paragraph (`# newpar`) is preceded by a blank
//! line (`"\n\n"`) instead. Gold tokens are then located in that text by matching their forms
//! in order, skipping whitespace; each gets a character span.
//!
//! # Scores
//!
//! As in the CoNLL 2018 evaluation script, a predicted unit is correct when a gold unit has
//! exactly the same extent. The script compares extents in the text with whitespace removed;
//! since no token contains whitespace, comparing character offsets in the rebuilt text is
//! the same. Precision is correct / predicted, recall is correct / gold, F1 their harmonic
//! mean; scores over several documents add up the counts (micro average).
//!
//! * Tokens: surface tokens, i.e. a UD multiword token ("don't") counts once, with the extent
//!   of the whole written word; predicted clitic pieces are grouped by [`surface_spans`].
//! * Words: syntactic words ("do", "n't"), extents inside a multiword token taken from its
//!   words' forms (in UD EWT they always spell the written word).
//! * Sentences: from the start of the first token to the end of the last.
//!
//! ```
//! use dyad_text::tokenize::eval::{align_f1, read_conllu, score_docs};
//! use dyad_text::tokenize::segment;
//!
//! let gold = "# newdoc\n# text = Hi there.\n1\tHi\t_\t_\t_\t_\t_\t_\t_\t_\n\
//!             2\tthere\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n3\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
//! let docs = read_conllu(gold, "inline.conllu")?;
//! assert_eq!(docs[0].text, "Hi there.");
//! let scores = score_docs(&docs, segment);
//! assert_eq!(scores.tokens.f1, 1.0);
//! assert_eq!(align_f1(&[(0, 2), (3, 8)], &[(0, 2), (3, 5), (5, 8)]).correct, 1);
//! # Ok::<(), dyad_text::tokenize::eval::EvalError>(())
//! ```

use std::path::{Path, PathBuf};

use super::{RawSentence, RawToken};

/// A character span `(start, end)`: `start` inclusive, `end` exclusive.
pub type Span = (usize, usize);

/// Precision, recall and F1 of predicted spans against gold spans, with the counts behind them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct F1 {
    /// Correct predictions / predictions (1.0 when nothing was predicted and nothing expected).
    pub precision: f64,
    /// Correct predictions / gold units.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Number of gold units.
    pub gold: usize,
    /// Number of predicted units.
    pub pred: usize,
    /// Number of predicted units with exactly the extent of a gold unit.
    pub correct: usize,
}

impl F1 {
    /// Scores from counts.
    pub fn from_counts(gold: usize, pred: usize, correct: usize) -> F1 {
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                if a == 0 {
                    1.0
                } else {
                    0.0
                }
            } else {
                a as f64 / b as f64
            }
        };
        let precision = if pred == 0 && gold == 0 {
            1.0
        } else {
            ratio(correct, pred)
        };
        let recall = if gold == 0 && pred == 0 {
            1.0
        } else {
            ratio(correct, gold)
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        F1 {
            precision,
            recall,
            f1,
            gold,
            pred,
            correct,
        }
    }

    /// The scores of both sets of counts together (micro average).
    pub fn combine(self, other: F1) -> F1 {
        F1::from_counts(
            self.gold + other.gold,
            self.pred + other.pred,
            self.correct + other.correct,
        )
    }
}

/// Scores predicted spans against gold spans: a prediction is correct when a gold span has
/// exactly the same start and end. Inputs need not be sorted; duplicates count once each
/// side at most once matched.
pub fn align_f1(gold: &[Span], pred: &[Span]) -> F1 {
    let mut g = gold.to_vec();
    let mut p = pred.to_vec();
    g.sort_unstable();
    p.sort_unstable();
    let (mut i, mut j, mut correct) = (0, 0, 0);
    while i < g.len() && j < p.len() {
        match g[i].cmp(&p[j]) {
            std::cmp::Ordering::Equal => {
                correct += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    F1::from_counts(gold.len(), pred.len(), correct)
}

/// Groups a sentence's tokens into surface tokens (written words) and returns their character
/// spans: a clitic piece split off by the tokenizer ("n't" after "do", "'s" after "it", "not"
/// after "can", "na" after "gon", a possessive apostrophe after a plural) joins the token
/// before it when the two are adjacent. A `'` is taken as possessive when it follows a word
/// ending in "s" and no opening single quote is pending in the sentence.
pub fn surface_spans(tokens: &[RawToken]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(tokens.len());
    let mut open_single = false;
    for (i, t) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).map(|k| &tokens[k]);
        let adjacent = prev.is_some_and(|p| p.end_byte == t.start_byte);
        let joins = match prev {
            Some(p) if adjacent => is_clitic(&p.form, &t.form, open_single),
            _ => false,
        };
        if is_single_quote(&t.form) {
            if !adjacent {
                open_single = true;
            } else if !joins {
                open_single = false;
            }
        }
        match out.last_mut() {
            Some(last) if joins => last.1 = t.end_char,
            _ => out.push((t.start_char, t.end_char)),
        }
    }
    out
}

fn is_single_quote(f: &str) -> bool {
    matches!(f, "'" | "\u{2019}" | "\u{2018}")
}

fn is_clitic(prev: &str, form: &str, open_single: bool) -> bool {
    if !prev.chars().last().is_some_and(char::is_alphabetic) {
        return false;
    }
    let lower: String = form
        .chars()
        .map(|c| {
            if c == '\u{2019}' || c == '`' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let p = prev.to_ascii_lowercase();
    match lower.as_str() {
        "n't" | "'s" | "'m" | "'d" | "'ll" | "'re" | "'ve" => true,
        "nt" => true,
        "not" => p == "can",
        "na" => p == "gon" || p == "wan",
        "ta" => p == "got",
        "m" | "ve" => p == "i",
        "s" => matches!(
            p.as_str(),
            "that" | "what" | "there" | "he" | "she" | "else"
        ),
        "re" => matches!(p.as_str(), "you" | "they"),
        "ll" => p == "you",
        "'" => !open_single && p.ends_with('s'),
        _ => false,
    }
}

/// One document of a gold CoNLL-U file, with its rebuilt raw text and gold extents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoldDoc {
    /// The `# newdoc id`, when given.
    pub id: Option<String>,
    /// The rebuilt raw text (see the [module documentation](self)).
    pub text: String,
    /// Character span of each gold sentence in `text`.
    pub sentences: Vec<Span>,
    /// Character span of each gold surface token (a multiword token counts once).
    pub tokens: Vec<Span>,
    /// Character span of each gold syntactic word, in file order.
    pub words: Vec<Span>,
}

/// Why a gold file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not CoNLL-U as expected.
    #[error("{name}:{line}: {reason}")]
    Format {
        /// The file's name as given.
        name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Reads gold documents from CoNLL-U text; `name` is used in error messages.
///
/// Every sentence needs a `# text` comment whose text spells its tokens in order (whitespace
/// aside).
pub fn read_conllu(input: &str, name: &str) -> Result<Vec<GoldDoc>, EvalError> {
    let err = |line: usize, reason: String| EvalError::Format {
        name: name.to_string(),
        line,
        reason,
    };
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut doc = GoldDoc::default();
    let mut doc_chars = 0usize;
    let mut new_par = false;
    let mut text: Option<(String, usize)> = None;
    // (line number, surface form, word forms)
    let mut surface: Vec<(usize, String, Vec<String>)> = Vec::new();
    let mut mwt_until = 0usize;
    let mut sent_line = 0usize;
    let lines = input.lines().chain(std::iter::once(""));
    for (ln0, line) in lines.enumerate() {
        let ln = ln0 + 1;
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if surface.is_empty() && text.is_none() {
                continue;
            }
            let (stext, tline) = text
                .take()
                .ok_or_else(|| err(sent_line, "sentence without a `# text` comment".into()))?;
            if !doc.text.is_empty() {
                let sep = if new_par { "\n\n" } else { " " };
                doc.text.push_str(sep);
                doc_chars += sep.len();
            }
            new_par = false;
            let base = doc_chars;
            let mut pos = 0usize; // byte in stext
            let mut cpos = 0usize; // char in stext
            let mut first: Option<usize> = None;
            let mut last = 0usize;
            for (tl, form, words) in surface.drain(..) {
                while let Some(c) = stext[pos..].chars().next().filter(|c| c.is_whitespace()) {
                    pos += c.len_utf8();
                    cpos += 1;
                }
                let (end, ecpos) = match_form(&stext, pos, cpos, &form).ok_or_else(|| {
                    err(tl, format!("form {form:?} does not match the `# text` (line {tline}) at character {cpos}"))
                })?;
                let span = (base + cpos, base + ecpos);
                first.get_or_insert(span.0);
                last = span.1;
                doc.tokens.push(span);
                let lens: Vec<usize> = words.iter().map(|w| w.chars().count()).collect();
                if words.len() > 1 && lens.iter().sum::<usize>() == span.1 - span.0 {
                    let mut s = span.0;
                    for l in lens {
                        doc.words.push((s, s + l));
                        s += l;
                    }
                } else {
                    doc.words.extend((0..words.len().max(1)).map(|_| span));
                }
                pos = end;
                cpos = ecpos;
            }
            if let Some(f) = first {
                doc.sentences.push((f, last));
            }
            doc_chars += stext.chars().count();
            doc.text.push_str(&stext);
            mwt_until = 0;
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim_start();
            if let Some(rest) = c.strip_prefix("newdoc") {
                if !doc.text.is_empty() {
                    docs.push(std::mem::take(&mut doc));
                    doc_chars = 0;
                }
                doc.id = rest
                    .trim_start()
                    .strip_prefix("id")
                    .map(|s| s.trim_start_matches([' ', '=']).trim().to_string());
                new_par = false;
            } else if c.starts_with("newpar") {
                new_par = true;
            } else if let Some(t) = c.strip_prefix("text") {
                if let Some(t) = t.trim_start().strip_prefix('=') {
                    text = Some((t.trim().to_string(), ln));
                    sent_line = ln;
                }
            }
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(id), Some(form)) = (cols.next(), cols.next()) else {
            return Err(err(
                ln,
                "expected a token line with tab-separated ID and FORM".into(),
            ));
        };
        if sent_line == 0 {
            sent_line = ln;
        }
        if id.contains('.') {
            continue; // empty node
        }
        if let Some((a, b)) = id.split_once('-') {
            let (Ok(_), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
                return Err(err(ln, format!("bad multiword token range {id:?}")));
            };
            mwt_until = b;
            surface.push((ln, form.to_string(), Vec::new()));
            continue;
        }
        let Ok(n) = id.parse::<usize>() else {
            return Err(err(ln, format!("bad token ID {id:?}")));
        };
        if n <= mwt_until {
            if let Some(last) = surface.last_mut() {
                last.2.push(form.to_string());
            }
        } else {
            surface.push((ln, form.to_string(), vec![form.to_string()]));
        }
    }
    if !doc.text.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

/// Matches `form` in `text` at byte `pos` (char `cpos`), letting whitespace in the text stand
/// for nothing inside the form; returns the end (byte, char).
fn match_form(text: &str, pos: usize, cpos: usize, form: &str) -> Option<(usize, usize)> {
    if let Some(rest) = text.get(pos..) {
        if rest.starts_with(form) {
            return Some((pos + form.len(), cpos + form.chars().count()));
        }
    }
    let mut t = text.get(pos..)?.char_indices().peekable();
    let mut consumed_chars = 0usize;
    let mut end = pos;
    for fc in form.chars().filter(|c| !c.is_whitespace()) {
        loop {
            let (i, c) = t.next()?;
            consumed_chars += 1;
            end = pos + i + c.len_utf8();
            if c == fc {
                break;
            }
            if !c.is_whitespace() {
                return None;
            }
        }
    }
    Some((end, cpos + consumed_chars))
}

/// Reads a gold CoNLL-U file (see [`read_conllu`]).
pub fn read_conllu_file(path: &Path) -> Result<Vec<GoldDoc>, EvalError> {
    let input = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_conllu(&input, &path.display().to_string())
}

/// Token, word and sentence scores of one evaluation.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// Surface tokens.
    pub tokens: F1,
    /// Syntactic words.
    pub words: F1,
    /// Sentences.
    pub sentences: F1,
}

/// Predicted character spans of one text, from the output of [`super::segment`]:
/// (surface tokens, words, sentences).
pub fn predicted_spans(sentences: &[RawSentence]) -> (Vec<Span>, Vec<Span>, Vec<Span>) {
    let mut tokens = Vec::new();
    let mut words = Vec::new();
    let mut sents = Vec::with_capacity(sentences.len());
    for s in sentences {
        tokens.extend(surface_spans(&s.tokens));
        words.extend(s.tokens.iter().map(|t| (t.start_char, t.end_char)));
        sents.push((s.start_char, s.end_char));
    }
    (tokens, words, sents)
}

/// Runs `segmenter` (normally [`super::segment`]) on each document's raw text and scores it.
pub fn score_docs(docs: &[GoldDoc], segmenter: impl Fn(&str) -> Vec<RawSentence>) -> Scores {
    let mut total = Scores::default();
    for d in docs {
        let (tokens, words, sents) = predicted_spans(&segmenter(&d.text));
        total.tokens = total.tokens.combine(align_f1(&d.tokens, &tokens));
        total.words = total.words.combine(align_f1(&d.words, &words));
        total.sentences = total.sentences.combine(align_f1(&d.sentences, &sents));
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f1_counts() {
        let f = align_f1(&[(0, 1), (2, 3)], &[(0, 1), (2, 4), (5, 6)]);
        assert_eq!((f.gold, f.pred, f.correct), (2, 3, 1));
        assert!((f.precision - 1.0 / 3.0).abs() < 1e-12);
        assert!((f.recall - 0.5).abs() < 1e-12);
        assert!((f.f1 - 0.4).abs() < 1e-12);
        assert_eq!(align_f1(&[], &[]).f1, 1.0);
        assert_eq!(align_f1(&[(0, 1)], &[]).f1, 0.0);
    }

    #[test]
    fn multiword_tokens_and_paragraphs() {
        let gold = "# newdoc id = d1\n# newpar\n# text = I don't.\n1\tI\t_\n2-3\tdon't\n2\tdo\t_\n3\tn't\t_\n4\t.\t_\n\n\
                    # newpar\n# text = Ok\n1\tOk\t_\n\n# newdoc id = d2\n# text = Yes\n1\tYes\t_\n";
        let docs = match read_conllu(gold, "t") {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "I don't.\n\nOk");
        assert_eq!(docs[0].id.as_deref(), Some("d1"));
        assert_eq!(docs[1].text, "Yes");
        assert_eq!(docs[0].sentences, [(0, 8), (10, 12)]);
        assert_eq!(docs[0].tokens, [(0, 1), (2, 7), (7, 8), (10, 12)]);
        assert_eq!(docs[0].words, [(0, 1), (2, 4), (4, 7), (7, 8), (10, 12)]);
    }

    #[test]
    fn missing_text_is_an_error_with_a_line() {
        let e = read_conllu("1\tHi\t_\n\n", "g.conllu")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("g.conllu:1: sentence without a `# text` comment")
        );
    }

    #[test]
    fn surface_grouping() {
        let text = "I don't like 'the boys' toys' or cannot";
        let toks = super::super::tokenize(text);
        let spans = surface_spans(&toks);
        let forms: Vec<&str> = spans
            .iter()
            .map(|&(s, e)| -> &str {
                let b: Vec<(usize, char)> = text.char_indices().collect();
                &text[b[s].0..b.get(e).map_or(text.len(), |x| x.0)]
            })
            .collect();
        assert_eq!(
            forms,
            ["I", "don't", "like", "'", "the", "boys", "'", "toys'", "or", "cannot"]
        );
    }
}
