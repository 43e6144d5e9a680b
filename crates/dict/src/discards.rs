//! Discard lists: sentence and story filters; details on [`Discards`].

use crate::fx::FxHashMap;
use std::sync::Arc;

use dyad_types::SourceRef;

use crate::error::Sink;
use crate::lines::Lines;

/// Whether a discard applies to the sentence or to the whole story.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiscardScope {
    /// Skip the sentence.
    Sentence,
    /// Skip every sentence of the story (`+` entries).
    Story,
}

/// One discard phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscardEntry {
    /// The words, uppercase, as [`text_words`] would produce them.
    pub words: Vec<Box<str>>,
    /// True when the last word must be whole (entry ended in `_`); otherwise it is a stem.
    pub whole_word: bool,
    /// Sentence or story.
    pub scope: DiscardScope,
    /// Where the entry is written.
    pub at: SourceRef,
}

/// The compiled discard list.
///
/// Discard lists: phrases that mark a sentence (or, with `+`, a whole story) as not to be
/// coded, such as sports results.
///
/// ```text
/// BASEBALL             sentence discard; a stem: also BASEBALLS
/// +ACADEMY AWARD       story discard
/// WORLD CUP_           final '_': the last word must be whole ("WORLD CUPS" does not match)
/// ```
///
/// PETRARCH looks for `' ' + phrase` in the uppercased sentence text. This reads the text
/// as words ([`text_words`]) and requires the phrase's words in a row, the last one as a
/// prefix of its word unless the entry ends in `_`: the same outcome whenever words are
/// separated by blanks.
#[derive(Clone, Debug, Default)]
pub struct Discards {
    entries: Vec<DiscardEntry>,
    /// Multi-word entries and whole single words, by first word.
    by_first: FxHashMap<Box<str>, Vec<u32>>,
    /// Single-word stems, by the stem.
    stems: FxHashMap<Box<str>, Vec<u32>>,
}

/// Splits sentence text into uppercase words for discard and issue matching: blanks
/// separate words, and punctuation at either end of a word (`"`, `,`, `(`, a final `.` …)
/// is dropped; inner punctuation (`AL-QAEDA`, `U.S`) stays.
pub fn text_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&' && c != '$' && c != '%')
                .to_uppercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

impl Discards {
    /// The first discard entry found in `text` (entries are tried in load order at each
    /// word, words left to right), or `None` if the sentence may be coded.
    pub fn check(&self, text: &str) -> Option<&DiscardEntry> {
        self.check_words(&text_words(text))
    }

    /// As [`Discards::check`], on words already split by [`text_words`].
    pub fn check_words<S: AsRef<str>>(&self, words: &[S]) -> Option<&DiscardEntry> {
        (0..words.len()).find_map(|i| self.match_at(words, i))
    }

    fn match_at<S: AsRef<str>>(&self, words: &[S], i: usize) -> Option<&DiscardEntry> {
        let first = words.get(i)?.as_ref();
        let exact = self.by_first.get(first).into_iter().flatten();
        let stems = first
            .char_indices()
            .skip(1)
            .map(|(k, _)| &first[..k])
            .chain(std::iter::once(first))
            .filter_map(|p| self.stems.get(p))
            .flatten();
        let mut best: Option<u32> = None;
        for &id in exact.chain(stems) {
            let Some(e) = self.entries.get(id as usize) else {
                continue;
            };
            if entry_matches(e, words, i) && (best.is_none() || Some(id) < best) {
                best = Some(id);
            }
        }
        self.entries.get(best? as usize)
    }

    /// All entries in load order.
    pub fn entries(&self) -> &[DiscardEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn entry_matches<S: AsRef<str>>(e: &DiscardEntry, words: &[S], i: usize) -> bool {
    let n = e.words.len();
    let Some(span) = words.get(i..i + n) else {
        return false;
    };
    e.words.iter().zip(span).enumerate().all(|(k, (w, t))| {
        let t = t.as_ref();
        if k + 1 == n && !e.whole_word {
            t.starts_with(&**w)
        } else {
            **w == *t
        }
    })
}

/// Accumulates discard files.
#[derive(Default)]
pub(crate) struct DiscardLoader {
    d: Discards,
}

impl DiscardLoader {
    pub(crate) fn load(&mut self, text: &str, file: &Arc<str>, sink: &mut Sink) -> usize {
        let before = self.d.entries.len();
        for line in Lines::new(text) {
            let at = SourceRef {
                file: file.clone(),
                line: line.no,
            };
            // Old-style ';' comments occur after some entries.
            let t = line.text.split(';').next().unwrap_or("").trim();
            let (scope, body) = match t.strip_prefix('+') {
                Some(b) => (DiscardScope::Story, b.trim()),
                None => (DiscardScope::Sentence, t),
            };
            let whole_word = body.ends_with('_');
            let words: Vec<Box<str>> = text_words(&body.replace('_', " "))
                .into_iter()
                .map(String::into_boxed_str)
                .collect();
            if words.is_empty() {
                if !t.is_empty() {
                    sink.report(at, "discard entry without words");
                }
                continue;
            }
            let Ok(id) = u32::try_from(self.d.entries.len()) else {
                sink.report(at, "too many discards");
                continue;
            };
            let key = words.first().cloned().unwrap_or_default();
            if words.len() == 1 && !whole_word {
                self.d.stems.entry(key).or_default().push(id);
            } else {
                self.d.by_first.entry(key).or_default().push(id);
            }
            self.d.entries.push(DiscardEntry {
                words,
                whole_word,
                scope,
                at,
            });
        }
        self.d.entries.len() - before
    }

    pub(crate) fn finish(self) -> Discards {
        self.d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Discards {
        let mut l = DiscardLoader::default();
        let mut sink = Sink::new(false);
        l.load(text, &Arc::from("t.discards"), &mut sink);
        assert!(sink.diagnostics.is_empty());
        l.finish()
    }

    #[test]
    fn matches_stems_whole_words_and_scopes() {
        let d = load("BASEBALL # sport\n+ACADEMY AWARD\nWORLD CUP_\nMONTHS LATER\n");
        let hit = d.check("He played baseballs, badly.").unwrap();
        assert_eq!((hit.scope, hit.at.line), (DiscardScope::Sentence, 1));
        assert_eq!(
            d.check("The Academy Awards were held").unwrap().scope,
            DiscardScope::Story
        );
        assert!(d.check("the World Cup.").is_some());
        assert!(d.check("the World Cups").is_none());
        assert!(d.check("Two months later").is_some());
        assert!(d.check("The minister met the president").is_none());
        assert!(d.check("Academy").is_none());
    }
}
