//! Reader for dyad's own dictionary format (`.dyad` files, `docs/dictionary-format.md`).
//!
//! One reader handles the three kinds of native file, told apart by their content (or by
//! the [`DictKind`] the caller gives):
//!
//! * **verbs**: a header is `= CODE  name` with a numeric CAMEO code, or `= &NAME` for a
//!   word list;
//! * **agents**: entries have `noun:` (or `plural:`, `position:`) lines;
//! * **actors**: everything else (`name:`, `adj:`, `gov:`, `place:`, `role:` ...).
//!
//! Entries are compiled into the same structures as PETRARCH/TABARI dictionaries:
//!
//! * Each keyword line of an actor entry becomes one [`ActorEntry`](crate::ActorEntry)
//!   (kind from the keyword, code from the header: `gov:` appends `GOV`), so a date range on
//!   the line becomes a date restriction on the code, and one phrase written in several
//!   entries with different ranges resolves by date
//!   ([`ActorDictionary::lookup_on`](crate::ActorDictionary::lookup_on)). A person's codes
//!   are their roles; a dated `name` line keeps the roles within its range.
//! * Each `noun:` or `plural:` line of an agent entry becomes one
//!   [`AgentEntry`](crate::AgentEntry) (so a match cites its line) with the header's code;
//!   nouns get their regular plurals.
//! * Each verb lemma becomes one [`VerbEntry`](crate::VerbEntry) with its inflected forms
//!   and one [`VerbBlock`](crate::VerbBlock) holding every pattern of that verb from every
//!   native file, each with the code of the header it is written under
//!   ([`VerbSyntax::Native`]); a line with the verb alone sets the verb's own code.
//!
//! Phrases are split into words the way `dyad-text` tokenizes ([`phrase_words`]).

mod actors;
mod agents;
mod inflect;
mod verbs;

use std::sync::Arc;

use dyad_types::{Date, SourceRef};

use crate::actors::{ActorLoader, DateRule};
use crate::agents::AgentLoader;
use crate::builder::DictKind;
use crate::error::Sink;
use crate::verbs::VerbLoader;

pub use inflect::verb_forms;

/// Splits a dictionary phrase into the words `dyad-text`'s tokenizer would make of it,
/// uppercased (ASCII) like [`normalize_word`](crate::normalize_word):
///
/// * blanks separate words;
/// * a final `'s` (or `’s`) after a letter is its own word (`North Korea's` → `NORTH`,
///   `KOREA`, `'S`), as is a final `'` (`Workers'`, `Shia'`);
/// * commas and other closing or opening punctuation are words (`Gavi, the Vaccine
///   Alliance` → `GAVI`, `,`, ...);
/// * a hyphen is its own word (`al-Qaeda` → `AL`, `-`, `QAEDA`), except after the prefixes
///   that UD English keeps attached (`co-operation`, `non-governmental`, `anti-war`);
/// * periods stay inside their word (`U.S.`, `P.R.C.`), other apostrophes too
///   (`d'affaires`, `Hay'at`).
///
/// ```
/// use dyad_dict::phrase_words;
/// assert_eq!(phrase_words("North Korea's"), ["NORTH", "KOREA", "'S"]);
/// assert_eq!(phrase_words("U.S.-led"), ["U.S.", "-", "LED"]);
/// assert_eq!(phrase_words("non-governmental group"), ["NON-GOVERNMENTAL", "GROUP"]);
/// ```
pub fn phrase_words(phrase: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in phrase.split_whitespace() {
        // Opening and closing punctuation are words of their own.
        let body = chunk.trim_start_matches(OPENERS);
        for c in chunk[..chunk.len() - body.len()].chars() {
            out.push(c.to_string());
        }
        let trimmed = body.trim_end_matches(CLOSERS);
        let closers = &body[trimmed.len()..];
        let (body, clitic) = split_clitic(trimmed);
        split_hyphens(body, &mut out);
        if let Some(c) = clitic {
            out.extend(c.split(' ').map(String::from));
        }
        out.extend(closers.chars().map(String::from));
    }
    out
}

const OPENERS: &[char] = &['(', '[', '"', '\u{201c}'];
const CLOSERS: &[char] = &[',', ';', ':', '!', '?', ')', ']', '"', '\u{201d}'];

/// Prefixes that stay attached before a hyphen (as in `dyad-text`'s lexer).
const HYPHEN_PREFIXES: &[&str] = &[
    "anti", "co", "counter", "cross", "e", "ex", "extra", "intra", "macro", "micro", "mid",
    "multi", "neo", "non", "over", "post", "pre", "pro", "pseudo", "psycho", "quasi", "re", "semi",
    "socio", "sub", "trans", "ultra", "un",
];

fn split_clitic(chunk: &str) -> (&str, Option<&'static str>) {
    for ap in ["'s", "'S", "\u{2019}s", "\u{2019}S"] {
        if let Some(stem) = chunk.strip_suffix(ap) {
            if stem.chars().last().is_some_and(char::is_alphabetic) {
                return (stem, Some("'S"));
            }
            // The tokenizer reads "U.N.'s" as "U.N." "'" "s".
            if stem.ends_with('.') && stem.len() > 1 {
                return (stem, Some("' S"));
            }
        }
    }
    for ap in ['\'', '\u{2019}'] {
        if let Some(stem) = chunk.strip_suffix(ap) {
            if stem.chars().last().is_some_and(char::is_alphabetic) {
                return (stem, Some("'"));
            }
        }
    }
    (chunk, None)
}

fn split_hyphens(body: &str, out: &mut Vec<String>) {
    let mut pieces = body.split('-');
    let mut word = pieces.next().unwrap_or("").to_string();
    // Whether `word` starts a token, where the prefix rule applies.
    let mut starts_token = true;
    for piece in pieces {
        let prefix = starts_token
            && !word.is_empty()
            && HYPHEN_PREFIXES
                .binary_search(&word.to_ascii_lowercase().as_str())
                .is_ok()
            && piece.starts_with(|c: char| c.is_alphanumeric());
        if prefix {
            word.push('-');
            word.push_str(piece);
            starts_token = false;
            continue;
        }
        if !word.is_empty() {
            out.push(word.to_ascii_uppercase());
        }
        out.push("-".to_string());
        word = piece.to_string();
        starts_token = true;
    }
    if !word.is_empty() {
        out.push(word.to_ascii_uppercase());
    }
}

/// Whether a phrase must match with its exact case: one word of two or more capital
/// letters and nothing else (`US`, `WHO`, `CAR`, `PACE`), which lower case would turn into
/// a common word.
pub(crate) fn is_exact_case(phrase: &str) -> bool {
    let p = phrase.trim();
    p.len() >= 2 && p.bytes().all(|b| b.is_ascii_uppercase())
}

pub(crate) fn boxed_words(phrase: &str) -> Vec<Box<str>> {
    phrase_words(phrase)
        .into_iter()
        .map(String::into_boxed_str)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Lines

/// One meaningful line of a native file.
pub(crate) struct NLine<'a> {
    pub(crate) no: u32,
    /// The text without its comment, trimmed on both sides.
    pub(crate) text: &'a str,
    /// The comment after `#`, trimmed (empty when none).
    pub(crate) comment: &'a str,
}

/// The non-blank lines of `text`, comments (`#` to the end of the line) removed.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = NLine<'_>> {
    text.lines().enumerate().filter_map(|(i, raw)| {
        let (body, comment) = match raw.find('#') {
            Some(h) => (&raw[..h], raw[h + 1..].trim()),
            None => (raw, ""),
        };
        let body = body.trim();
        (!body.is_empty()).then(|| NLine {
            no: u32::try_from(i + 1).unwrap_or(u32::MAX),
            text: body,
            comment,
        })
    })
}

/// A header line `= HEAD  rest`: the first word and the rest (trimmed).
pub(crate) fn header(t: &str) -> Option<(&str, &str)> {
    let rest = t.strip_prefix('=')?.trim();
    if rest.starts_with('>') {
        return None;
    }
    let (head, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    Some((head, tail.trim()))
}

/// A keyword line `key [FROM..TO]: values`, split into its parts.
pub(crate) struct KeyLine<'a> {
    pub(crate) key: &'a str,
    pub(crate) range: Option<&'a str>,
    pub(crate) value: &'a str,
}

/// Splits `key [range]: value`; `None` when the line has no keyword before a colon.
pub(crate) fn key_line(t: &str) -> Option<KeyLine<'_>> {
    let (head, value) = t.split_once(':')?;
    let mut parts = head.split_whitespace();
    let key = parts.next()?;
    if !key.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let range = parts.next();
    if parts.next().is_some() {
        return None;
    }
    Some(KeyLine {
        key,
        range,
        value: value.trim(),
    })
}

/// Reads `YYYY-MM-DD`.
pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    let ok_shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !ok_shape {
        return Err(format!("bad date {s:?}: expected YYYY-MM-DD"));
    }
    Date::parse_iso(s).map_err(|e| format!("bad date {s:?}: {e}"))
}

/// Reads `FROM..TO` (either end may be empty) into a [`DateRule`].
pub(crate) fn parse_range(s: &str) -> Result<DateRule, String> {
    let (a, b) = s
        .split_once("..")
        .ok_or_else(|| format!("bad date range {s:?}: expected FROM..TO"))?;
    let from = (!a.is_empty()).then(|| parse_date(a)).transpose()?;
    let to = (!b.is_empty()).then(|| parse_date(b)).transpose()?;
    match (from, to) {
        (None, None) => Err(format!("date range {s:?} has no date")),
        (Some(f), Some(t)) if f > t => Err(format!("date range {s:?} ends before it starts")),
        (Some(f), Some(t)) => Ok(DateRule::Between(f, t)),
        (Some(f), None) => Ok(DateRule::After(f)),
        (None, Some(t)) => Ok(DateRule::Before(t)),
    }
}

/// Splits `a | b | c` into trimmed alternatives; an empty one is an error.
pub(crate) fn alternatives(value: &str) -> Result<Vec<&str>, String> {
    if value.trim().is_empty() {
        return Err("no phrase after ':'".into());
    }
    value
        .split('|')
        .map(str::trim)
        .map(|p| {
            if p.is_empty() {
                Err("empty alternative between '|'".to_string())
            } else {
                Ok(p)
            }
        })
        .collect()
}

/// A code as headers and roles write it: capital letters and digits.
pub(crate) fn is_code(s: &str) -> bool {
    s.len() >= 2
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_uppercase())
}

// ---------------------------------------------------------------------------------------
// The loader

/// Which kind a native file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NativeKind {
    Actors,
    Agents,
    Verbs,
}

/// Decides the kind of a native file from its content.
pub(crate) fn detect_kind(text: &str) -> NativeKind {
    let mut agents = false;
    for l in lines(text) {
        if let Some((head, _)) = header(l.text) {
            if head.starts_with('&')
                || (!head.is_empty() && head.bytes().all(|b| b.is_ascii_digit()))
            {
                return NativeKind::Verbs;
            }
        } else if let Some(k) = key_line(l.text) {
            agents |= matches!(k.key, "noun" | "plural" | "position");
        }
    }
    if agents {
        NativeKind::Agents
    } else {
        NativeKind::Actors
    }
}

/// What one native file contributed.
pub(crate) struct NativeCounts {
    pub(crate) kind: DictKind,
    pub(crate) entries: usize,
    pub(crate) patterns: usize,
    pub(crate) synsets: usize,
    pub(crate) details: Vec<(&'static str, usize)>,
}

/// State kept across native files: verbs and patterns seen so far.
#[derive(Default)]
pub(crate) struct NativeLoader {
    verbs: verbs::VerbState,
}

impl NativeLoader {
    /// Reads one native file into the loaders of its kind. `kind` is what the caller said
    /// the file is ([`DictKind::Native`]: detect).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn load(
        &mut self,
        text: &str,
        file: &Arc<str>,
        kind: DictKind,
        actors: &mut ActorLoader,
        agents: &mut AgentLoader,
        verbs: &mut VerbLoader,
        sink: &mut Sink,
    ) -> NativeCounts {
        let kind = match kind {
            DictKind::Actors => NativeKind::Actors,
            DictKind::Agents => NativeKind::Agents,
            DictKind::Verbs(_) => NativeKind::Verbs,
            _ => detect_kind(text),
        };
        match kind {
            NativeKind::Actors => actors::load(text, file, actors, sink),
            NativeKind::Agents => agents::load(text, file, agents, sink),
            NativeKind::Verbs => self.verbs.load(text, file, &mut verbs.dict, sink),
        }
    }
}

/// `at` for line `no` of `file`.
pub(crate) fn at(file: &Arc<str>, no: u32) -> SourceRef {
    SourceRef {
        file: file.clone(),
        line: no,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_split_like_the_tokenizer() {
        assert_eq!(
            phrase_words("People's Republic of China"),
            ["PEOPLE", "'S", "REPUBLIC", "OF", "CHINA"]
        );
        assert_eq!(phrase_words("al-Qaeda"), ["AL", "-", "QAEDA"]);
        assert_eq!(phrase_words("co-operation"), ["CO-OPERATION"]);
        assert_eq!(phrase_words("Bobo-Dioulasso"), ["BOBO", "-", "DIOULASSO"]);
        assert_eq!(phrase_words("anti-war-crimes"), ["ANTI-WAR", "-", "CRIMES"]);
        assert_eq!(phrase_words("Workers' Party"), ["WORKERS", "'", "PARTY"]);
        assert_eq!(phrase_words("charge d'affaires"), ["CHARGE", "D'AFFAIRES"]);
        assert_eq!(phrase_words("24-hour"), ["24", "-", "HOUR"]);
        assert_eq!(phrase_words("U.N.-backed"), ["U.N.", "-", "BACKED"]);
        assert!(phrase_words("  ").is_empty());
        assert_eq!(phrase_words("-"), ["-"]);
        assert_eq!(
            phrase_words("Gavi, the (GAVI)"),
            ["GAVI", ",", "THE", "(", "GAVI", ")"]
        );
        assert_eq!(phrase_words("Shia' Sudani"), ["SHIA", "'", "SUDANI"]);
        assert_eq!(phrase_words("U.N.'s"), ["U.N.", "'", "S"]);
    }

    #[test]
    fn exact_case_forms() {
        assert!(is_exact_case("US") && is_exact_case("WHO") && is_exact_case("PACE"));
        assert!(!is_exact_case("U.S.") && !is_exact_case("Nato") && !is_exact_case("G8"));
        assert!(!is_exact_case("UN envoy") && !is_exact_case("A"));
    }

    #[test]
    fn reads_ranges_and_keywords() {
        let d = |s| parse_date(s).unwrap();
        assert_eq!(
            parse_range("..1991-12-25"),
            Ok(DateRule::Before(d("1991-12-25")))
        );
        assert_eq!(
            parse_range("2013-03-14.."),
            Ok(DateRule::After(d("2013-03-14")))
        );
        assert_eq!(
            parse_range("2003-02-04..2006-06-05"),
            Ok(DateRule::Between(d("2003-02-04"), d("2006-06-05")))
        );
        assert!(parse_range("..").is_err());
        assert!(parse_range("2006-01-01..2005-01-01").is_err());
        assert!(parse_range("2006-13-01..").is_err());
        assert!(parse_range("20060101..").is_err());
        let k = key_line("name ..1991-12-25: Soviet Union | USSR").unwrap();
        assert_eq!(
            (k.key, k.range, k.value),
            ("name", Some("..1991-12-25"), "Soviet Union | USSR")
        );
        assert!(key_line("Name: x").is_none());
        assert_eq!(alternatives("a | b").unwrap(), ["a", "b"]);
        assert!(alternatives("a | | b").is_err());
    }

    #[test]
    fn detects_the_kind() {
        assert_eq!(
            detect_kind("= 020  appeal\n  urge {T}\n"),
            NativeKind::Verbs
        );
        assert_eq!(detect_kind("= &AID aid\n  word: aid\n"), NativeKind::Verbs);
        assert_eq!(
            detect_kind("= GOV government\n  noun: minister\n"),
            NativeKind::Agents
        );
        assert_eq!(
            detect_kind("= CHN China\n  name: China\n"),
            NativeKind::Actors
        );
    }
}
