//! A small CoNLL-U reader and writer.
//!
//! The reader keeps the ten columns of each word line, skips empty nodes (`1.1`) and
//! remembers multiword token ranges (`1-2`) separately, so the words are exactly the
//! syntactic words the tagger and parser see.

use std::fmt::Write as _;
use std::path::Path;

use crate::{Error, Result};

/// One syntactic word of a CoNLL-U sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    /// Word form.
    pub form: String,
    /// Lemma (`_` when absent).
    pub lemma: String,
    /// Universal part-of-speech tag.
    pub upos: String,
    /// Language-specific tag (Penn Treebank for English).
    pub xpos: String,
    /// Morphological features.
    pub feats: String,
    /// 1-based head index, 0 for the root; `None` when the column is `_`.
    pub head: Option<usize>,
    /// Dependency relation.
    pub deprel: String,
    /// Enhanced dependencies column, kept as is.
    pub deps: String,
    /// Miscellaneous column, kept as is.
    pub misc: String,
}

impl Word {
    /// The word of an annotated token, with `misc` as its MISC column.
    pub fn from_token(t: dyad_types::Token, misc: String) -> Word {
        Word {
            form: t.form,
            lemma: t.lemma,
            upos: t.upos,
            xpos: t.xpos,
            feats: t.feats,
            head: Some(t.head),
            deprel: t.deprel,
            // Written as `_`.
            deps: String::new(),
            misc,
        }
    }
}

/// A multiword token line (`3-4 don't`): the range of words it spans and its surface form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiwordToken {
    /// First word (1-based).
    pub first: usize,
    /// Last word (1-based, inclusive).
    pub last: usize,
    /// Surface form.
    pub form: String,
    /// Miscellaneous column.
    pub misc: String,
}

/// One sentence of a CoNLL-U file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sentence {
    /// Comment lines without the leading `#` and one space.
    pub comments: Vec<String>,
    /// The syntactic words; `words[i]` has ID `i + 1`.
    pub words: Vec<Word>,
    /// Multiword tokens.
    pub multiword: Vec<MultiwordToken>,
    /// Line number of the sentence's first line in its file.
    pub line: usize,
}

impl Sentence {
    /// The value of a `key = value` comment (`text`, `sent_id`, ...).
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }

    /// Whether a comment starts a new document (`# newdoc`) or paragraph (`# newpar`).
    pub fn starts(&self, what: &str) -> bool {
        self.comments
            .iter()
            .any(|c| c.split(['=', ' ']).next() == Some(what))
    }
}

/// Read a CoNLL-U file.
pub fn read_file(path: &Path) -> Result<Vec<Sentence>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// Parse CoNLL-U text; `file` names the source in error messages.
pub fn parse(text: &str, file: &str) -> Result<Vec<Sentence>> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let err = |line: usize, reason: String| Error::Conllu {
        file: file.to_string(),
        line,
        reason,
    };
    for (i, raw) in text.lines().enumerate() {
        let ln = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if !cur.words.is_empty() || !cur.comments.is_empty() {
                finish(&mut out, std::mem::take(&mut cur), file)?;
            }
            continue;
        }
        if cur.words.is_empty() && cur.comments.is_empty() && cur.multiword.is_empty() {
            cur.line = ln;
        }
        if let Some(c) = line.strip_prefix('#') {
            cur.comments
                .push(c.strip_prefix(' ').unwrap_or(c).to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(err(
                ln,
                format!("expected 10 tab-separated columns, found {}", cols.len()),
            ));
        }
        let id = cols[0];
        if id.contains('.') {
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            let (Ok(first), Ok(last)) = (a.parse::<usize>(), b.parse::<usize>()) else {
                return Err(err(ln, format!("bad multiword range {id:?}")));
            };
            if first == 0 || last < first {
                return Err(err(ln, format!("bad multiword range {id:?}")));
            }
            cur.multiword.push(MultiwordToken {
                first,
                last,
                form: cols[1].to_string(),
                misc: cols[9].to_string(),
            });
            continue;
        }
        let Ok(n) = id.parse::<usize>() else {
            return Err(err(ln, format!("bad word ID {id:?}")));
        };
        if n != cur.words.len() + 1 {
            return Err(err(
                ln,
                format!(
                    "word ID {n} out of sequence (expected {})",
                    cur.words.len() + 1
                ),
            ));
        }
        let head = match cols[6] {
            "_" => None,
            h => match h.parse::<usize>() {
                Ok(h) => Some(h),
                Err(_) => return Err(err(ln, format!("bad HEAD {h:?}"))),
            },
        };
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        finish(&mut out, cur, file)?;
    }
    Ok(out)
}

fn finish(out: &mut Vec<Sentence>, s: Sentence, file: &str) -> Result<()> {
    if s.words.is_empty() {
        // A block of comments alone (e.g. a trailing `# newdoc`) carries no sentence.
        return Ok(());
    }
    let n = s.words.len();
    for (i, w) in s.words.iter().enumerate() {
        if let Some(h) = w.head {
            if h > n {
                return Err(Error::Conllu {
                    file: file.to_string(),
                    line: s.line + s.comments.len() + i,
                    reason: format!("HEAD {h} beyond the sentence's {n} words"),
                });
            }
        }
    }
    out.push(s);
    Ok(())
}

/// Whether the MISC column says no space follows.
pub fn no_space_after(misc: &str) -> bool {
    misc.split('|').any(|f| f == "SpaceAfter=No")
}

/// Write one sentence in CoNLL-U (comments, word lines, blank line).
pub fn write_sentence(out: &mut String, s: &Sentence) {
    for c in &s.comments {
        let _ = writeln!(out, "# {c}");
    }
    for (i, w) in s.words.iter().enumerate() {
        for m in s.multiword.iter().filter(|m| m.first == i + 1) {
            let _ = writeln!(
                out,
                "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}",
                m.first, m.last, m.form, m.misc
            );
        }
        // Pushed piece by piece: `write!` with ten arguments costs several times more.
        push_number(out, i + 1);
        for value in [&w.form, &w.lemma, &w.upos, &w.xpos, &w.feats] {
            out.push('\t');
            push_field(out, value);
        }
        out.push('\t');
        match w.head {
            Some(h) => push_number(out, h),
            None => out.push('_'),
        }
        for value in [&w.deprel, &w.deps, &w.misc] {
            out.push('\t');
            push_field(out, value);
        }
        out.push('\n');
    }
    out.push('\n');
}

/// A column value with tabs and line breaks replaced, never empty.
fn push_field(out: &mut String, s: &str) {
    if s.is_empty() {
        out.push('_');
    } else if s.contains(['\t', '\n', '\r']) {
        out.extend(s.chars().map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        }));
    } else {
        out.push_str(s);
    }
}

/// `n` in decimal.
pub(crate) fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(d as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# text = I don't.\n1-2\tI'm\t_\t_\t_\t_\t_\t_\t_\t_\n1\tI\tI\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\tSpaceAfter=No\n2.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";

    #[test]
    fn reads_words_skipping_empty_nodes() {
        let s = parse(SAMPLE, "t").unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 3);
        assert_eq!(s[0].words[1].head, Some(0));
        assert_eq!(s[0].multiword.len(), 1);
        assert_eq!(s[0].comment("text"), Some("I don't."));
        assert!(no_space_after(&s[0].words[1].misc));
        let mut out = String::new();
        write_sentence(&mut out, &s[0]);
        assert_eq!(
            parse(&out, "t").unwrap(),
            s.iter()
                .map(|x| Sentence {
                    line: 1,
                    ..x.clone()
                })
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let e = parse("# c\n1\tx\tx\n", "f.conllu").unwrap_err().to_string();
        assert!(e.starts_with("f.conllu:2: expected 10"), "{e}");
        let e = parse("1\tx\tx\tX\tX\t_\t5\tdep\t_\t_\n", "f")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f:1: HEAD 5"), "{e}");
        let e = parse("2\tx\tx\tX\tX\t_\t0\troot\t_\t_\n", "f")
            .unwrap_err()
            .to_string();
        assert!(e.contains("out of sequence"), "{e}");
    }
}
