//! Issue dictionaries: phrases that tag a sentence with topics; see the main type.

use std::collections::HashMap;
use std::sync::Arc;

use dyad_types::SourceRef;

use crate::discards::text_words;
use crate::error::Sink;
use crate::lines::Lines;
use crate::phrase::PhraseIndex;

/// What an issue phrase does when found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IssueAction {
    /// Counts one for the issue code with this index in [`Issues::codes`].
    Code(u32),
    /// `~`: cancels the sentence's issues.
    IgnoreSentence,
    /// `~~`: meant to cancel the story's issues; PETRARCH applies it to the sentence.
    IgnoreStory,
}

/// One generated issue phrase.
#[derive(Clone, Debug)]
struct IssuePhrase {
    /// Unique per generated phrase, to count each phrase once.
    id: u32,
    action: IssueAction,
    at: SourceRef,
}

/// The issues found in a sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IssueHits {
    /// Issue codes with the number of distinct phrases of each found, in the order the
    /// codes first appear in the dictionary. Empty when an ignore phrase was found.
    pub counts: Vec<(String, u32)>,
    /// The ignore phrase that cancelled the issues, if one did.
    pub ignored_by: Option<SourceRef>,
}

/// The compiled issue dictionary.
///
/// Issue dictionaries: phrases that tag a sentence with topics (`NUCLEAR`, `ELECTIONS`).
///
/// ```text
/// <ISSUE CATEGORY="ID_ATROCITY">     category tags (only remembered, not required)
/// n:massacre [ID_ATROCITY]           n: the noun and its regular plural
/// ethnic v:purge [ID_ATROCITY]       v: the verb and its -S, -ED, -ING forms
/// al+zarqawi network [TERROR]        +: both "AL ZARQAWI" and "AL-ZARQAWI"
/// ~Saturday Night massacre           ignore phrase (sentence)
/// ~~Armenian genocide                ignore phrase (story)
/// </ISSUE>
/// ```
///
/// As in PETRARCH, any ignore phrase found in a sentence cancels all of its issues.
#[derive(Clone, Debug, Default)]
pub struct Issues {
    codes: Vec<Box<str>>,
    phrases: PhraseIndex<IssuePhrase>,
}

impl Issues {
    /// Finds the issues of a sentence's text.
    pub fn find(&self, text: &str) -> IssueHits {
        self.find_words(&text_words(text))
    }

    /// As [`Issues::find`], on words split by [`crate::text_words`].
    pub fn find_words<S: AsRef<str>>(&self, words: &[S]) -> IssueHits {
        // (code index, count) of the codes found: a sentence finds few of the many codes.
        let mut found: Vec<(u32, u32)> = Vec::new();
        let mut seen: Vec<u32> = Vec::new();
        let mut ignored_by: Option<&IssuePhrase> = None;
        for i in 0..words.len() {
            let stop = self.phrases.each_match(words, i, |_, p| match p.action {
                IssueAction::IgnoreSentence | IssueAction::IgnoreStory => {
                    ignored_by = Some(p);
                    true
                }
                IssueAction::Code(c) => {
                    if !seen.contains(&p.id) {
                        seen.push(p.id);
                        match found.iter_mut().find(|f| f.0 == c) {
                            Some(f) => f.1 += 1,
                            None => found.push((c, 1)),
                        }
                    }
                    false
                }
            });
            if stop {
                if let Some(p) = ignored_by {
                    return IssueHits {
                        counts: Vec::new(),
                        ignored_by: Some(p.at.clone()),
                    };
                }
            }
        }
        // In the order of the codes' first appearance in the dictionary.
        found.sort_unstable_by_key(|f| f.0);
        let counts = found
            .iter()
            .filter_map(|&(c, n)| Some((String::from(&**self.codes.get(c as usize)?), n)))
            .collect();
        IssueHits {
            counts,
            ignored_by: None,
        }
    }

    /// The issue codes in order of first appearance.
    pub fn codes(&self) -> &[Box<str>] {
        &self.codes
    }

    /// Number of phrases, generated forms included.
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }

    /// True when nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.phrases.len() == 0
    }
}

/// Accumulates issue files.
#[derive(Default)]
pub(crate) struct IssueLoader {
    issues: Issues,
    code_ids: HashMap<Box<str>, u32>,
}

impl IssueLoader {
    /// Reads one issue file; returns the number of entries (lines) read.
    pub(crate) fn load(&mut self, text: &str, file: &Arc<str>, sink: &mut Sink) -> usize {
        let mut n = 0;
        for line in Lines::new(text) {
            let at = SourceRef {
                file: file.clone(),
                line: line.no,
            };
            let t = line.text.trim();
            if t.starts_with('<') {
                continue; // <ISSUE ...> and </ISSUE> section tags
            }
            let (action, body) = if let Some(b) = t.strip_prefix("~~") {
                (IssueAction::IgnoreStory, b)
            } else if let Some(b) = t.strip_prefix('~') {
                (IssueAction::IgnoreSentence, b)
            } else {
                let Some(open) = t.find('[') else {
                    sink.report(at, format!("issue phrase {t:?} without a [code]"));
                    continue;
                };
                let Some((code, tail)) = t[open + 1..].split_once(']') else {
                    sink.report(at, "unclosed '[' in issue code");
                    continue;
                };
                let code = code.trim();
                if code.is_empty() || code.contains(' ') || !tail.trim().is_empty() {
                    sink.report(at, format!("malformed issue code in {t:?}"));
                    continue;
                }
                let next = self.code_ids.len() as u32;
                let id = *self
                    .code_ids
                    .entry(code.to_ascii_uppercase().into())
                    .or_insert_with(|| {
                        self.issues.codes.push(code.to_ascii_uppercase().into());
                        next
                    });
                (IssueAction::Code(id), &t[..open])
            };
            let forms = expand(&body.trim().to_ascii_uppercase());
            let mut any = false;
            for f in forms {
                let words: Vec<Box<str>> = text_words(&f)
                    .into_iter()
                    .map(String::into_boxed_str)
                    .collect();
                if !words.is_empty() {
                    any = true;
                    let id = u32::try_from(self.issues.phrases.len()).unwrap_or(u32::MAX);
                    self.issues.phrases.insert(
                        words,
                        IssuePhrase {
                            id,
                            action,
                            at: at.clone(),
                        },
                    );
                }
            }
            if any {
                n += 1;
            } else {
                sink.report(at, "issue entry without words");
            }
        }
        n
    }

    pub(crate) fn finish(mut self) -> Issues {
        self.issues.phrases.finish();
        self.issues
    }
}

/// Expands `N:`, `V:` and `+` in an uppercased phrase into every form.
fn expand(s: &str) -> Vec<String> {
    let mut done = Vec::new();
    let mut todo = vec![s.to_string()];
    while let Some(f) = todo.pop() {
        if let Some(p) = f.find('+') {
            todo.push(format!("{} {}", &f[..p], &f[p + 1..]));
            todo.push(format!("{}-{}", &f[..p], &f[p + 1..]));
        } else if let Some((head, word, rest)) = marked(&f, "N:") {
            todo.push(format!("{head}{word}{rest}"));
            let plural = match word.strip_suffix('Y') {
                Some(stem) => format!("{stem}IES"),
                None => format!("{word}S"),
            };
            todo.push(format!("{head}{plural}{rest}"));
        } else if let Some((head, word, rest)) = marked(&f, "V:") {
            todo.push(format!("{head}{word}{rest}"));
            todo.push(format!("{head}{word}S{rest}"));
            match word.strip_suffix('E') {
                Some(stem) => {
                    todo.push(format!("{head}{word}D{rest}"));
                    todo.push(format!("{head}{stem}ING{rest}"));
                }
                None => {
                    todo.push(format!("{head}{word}ED{rest}"));
                    todo.push(format!("{head}{word}ING{rest}"));
                }
            }
        } else {
            done.push(f);
        }
    }
    done.sort();
    done.dedup();
    done
}

/// Splits `head MARKword rest` at the first marker (which must start a word).
fn marked<'a>(s: &'a str, marker: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let mut from = 0;
    while let Some(p) = s[from..].find(marker).map(|p| p + from) {
        if p == 0 || s[..p].ends_with(' ') || s[..p].ends_with('-') {
            let after = &s[p + marker.len()..];
            let end = after.find(' ').unwrap_or(after.len());
            return Some((&s[..p], &after[..end], &after[end..]));
        }
        from = p + marker.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_forms() {
        assert_eq!(expand("N:ATROCITY"), vec!["ATROCITIES", "ATROCITY"]);
        assert_eq!(
            expand("ETHNIC V:PURGE"),
            vec![
                "ETHNIC PURGE",
                "ETHNIC PURGED",
                "ETHNIC PURGES",
                "ETHNIC PURGING"
            ]
        );
        assert_eq!(
            expand("PRE+N:SCHOOL"),
            vec!["PRE SCHOOL", "PRE SCHOOLS", "PRE-SCHOOL", "PRE-SCHOOLS"]
        );
    }

    fn load(text: &str) -> (Issues, Vec<String>) {
        let mut l = IssueLoader::default();
        let mut sink = Sink::new(false);
        l.load(text, &Arc::from("t.issues"), &mut sink);
        (
            l.finish(),
            sink.diagnostics.iter().map(|d| d.to_string()).collect(),
        )
    }

    const TEXT: &str = include_str!("../tests/data/small.issues.txt");

    #[test]
    fn counts_issues_and_honours_ignores() {
        let (iss, diags) = load(TEXT);
        assert_eq!(
            diags,
            vec!["t.issues:6: issue phrase \"e.c.b.\" without a [code]".to_string()]
        );
        let hits = iss.find("Atrocities and a massacre: war crimes, said the report.");
        assert_eq!(
            hits.counts,
            vec![
                ("ID_ATROCITY".to_string(), 2),
                ("WAR_CRIMES".to_string(), 1)
            ]
        );
        let hits = iss.find("the Saturday night massacre was recalled");
        assert!(hits.counts.is_empty());
        assert_eq!(hits.ignored_by.map(|s| s.line), Some(5));
        assert!(iss.find("nothing here").counts.is_empty());
    }
}
