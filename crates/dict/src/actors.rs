//! Actor dictionaries (TABARI/PETRARCH `.actors` files); details on the main type.

use std::sync::Arc;

use dyad_types::{Date, SourceRef};

use crate::error::Sink;
use crate::lines::Lines;
use crate::phrase::{split_phrase, split_phrase_gaps, PhraseIndex};

/// When a code of an actor applies. Bounds are inclusive ("or equal"), as in PETRARCH.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateRule {
    /// No restriction: the record's default code.
    Always,
    /// `<date`: on or before the date.
    Before(Date),
    /// `>date`: on or after the date.
    After(Date),
    /// `date-date`: between the dates, both included.
    Between(Date, Date),
}

impl DateRule {
    /// Whether the rule holds on `date`. `None` stands for "now": a date later than any date
    /// in the dictionaries, so only [`DateRule::After`] (and [`DateRule::Always`]) hold.
    pub fn holds_on(&self, date: Option<Date>) -> bool {
        match (*self, date) {
            (DateRule::Always, _) => true,
            (DateRule::After(_), None) => true,
            (_, None) => false,
            (DateRule::Before(d), Some(x)) => x <= d,
            (DateRule::After(d), Some(x)) => x >= d,
            (DateRule::Between(a, b), Some(x)) => a <= x && x <= b,
        }
    }
}

/// One code of an actor record with its date restriction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRule {
    /// The actor code as written, uppercased (`USAGOV`); `---` is the null code. A code
    /// with `/` (`ELR/GAL`) is a TABARI coded compound actor: each part is one actor (see
    /// [`ActorEntry::compound_codes_on`]).
    pub code: Box<str>,
    /// When the code applies.
    pub when: DateRule,
}

/// What the phrases of an actor record stand for (native `.dyad` dictionaries say it with
/// their keyword; PETRARCH/TABARI records are all [`ActorKind::Name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ActorKind {
    /// `name:` a name, short form or abbreviation of the actor.
    Name,
    /// `adj:` an adjective or demonym ("Chinese", "North Koreans").
    Adjective,
    /// `gov:` a capital or seat standing for the government; the code has `GOV` appended.
    Government,
    /// `place:` a place inside the actor, coded as the actor and marked as a location.
    Place,
    /// A person (`actors/people.dyad`): the codes are the person's roles.
    Person,
}

/// One actor record: its primary name, its codes and where it was defined.
#[derive(Clone, Debug)]
pub struct ActorEntry {
    /// The primary phrase, words joined by single blanks (`UNITED STATES OF AMERICA`); for
    /// native `.dyad` entries, the header's display name as written (`China`, `Xi Jinping`).
    pub name: Box<str>,
    /// The codes in file order; restricted ones and default ones mixed.
    pub codes: Vec<CodeRule>,
    /// The line of the primary phrase (native entries: the keyword line).
    pub at: SourceRef,
    /// What the record's phrases stand for.
    pub kind: ActorKind,
    /// Native entries: the header's `sector:` (`IGO`, `NGO`...), reported, never appended.
    pub sector: Option<Box<str>>,
    /// Native entries: the header's `country:` (ISO-3), for organisations and groups.
    pub country: Option<Box<str>>,
}

impl ActorEntry {
    /// The code that applies on `date`, following PETRARCH: the first date-restricted code
    /// whose restriction holds, otherwise the first unrestricted (default) code, otherwise
    /// none. The null code `---` is reported as `None`.
    ///
    /// With `date == None` the entry is read as of "now", deterministically: a date later
    /// than every date in the dictionaries, so open-ended `>date` codes apply and bounded
    /// ones (`<date`, `date-date`) do not. (PETRARCH itself always has a sentence date.)
    pub fn code_on(&self, date: Option<Date>) -> Option<&str> {
        let rule = self
            .codes
            .iter()
            .find(|r| r.when != DateRule::Always && r.when.holds_on(date))
            .or_else(|| self.codes.iter().find(|r| r.when == DateRule::Always))?;
        (&*rule.code != "---").then_some(&*rule.code)
    }

    /// The code on `date` as [`ActorEntry::code_on`] gives it, with `true`; when no code
    /// applies then, the date-restricted code nearest in time (a person out of every role,
    /// a name used after it lapsed), with `false` ("resolved out of term"). Ties go to the
    /// code written first. With `date == None` ("now") the code that ends latest is nearest.
    pub fn code_near(&self, date: Option<Date>) -> Option<(&str, bool)> {
        if let Some(c) = self.code_on(date) {
            return Some((c, true));
        }
        let mut best: Option<(i64, &CodeRule)> = None;
        for r in &self.codes {
            if let Some(d) = rule_distance(r.when, date) {
                if !matches!(best, Some((b, _)) if b <= d) {
                    best = Some((d, r));
                }
            }
        }
        let (_, rule) = best?;
        (&*rule.code != "---").then_some((&*rule.code, false))
    }

    /// [`ActorEntry::code_on`] with a TABARI coded compound (`ELR/GAL`) split into its
    /// actors; a plain code gives one element, no code none.
    pub fn compound_codes_on(&self, date: Option<Date>) -> Vec<&str> {
        self.code_on(date)
            .map(|c| c.split('/').filter(|p| !p.is_empty()).collect())
            .unwrap_or_default()
    }
}

/// An actor phrase found in a token sequence.
#[derive(Clone, Copy, Debug)]
pub struct ActorMatch<'a> {
    /// How many tokens the phrase covers, from the start position.
    pub len: usize,
    /// The record the phrase belongs to.
    pub entry: &'a ActorEntry,
    /// The line of the phrase itself (the primary line or a `+` synonym line).
    pub phrase_at: &'a SourceRef,
    /// True when the phrase counts only if the text writes it in capitals as stored: a
    /// short all-capitals form in a native dictionary (`US`, `WHO`, `CAR`), which must not
    /// match "us" or "who". Lookups compare uppercased tokens, so the caller checks the
    /// original tokens, or uses [`ActorDictionary::lookup_on`] which does.
    pub exact_case: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct PhraseRef {
    pub(crate) entry: u32,
    pub(crate) at: SourceRef,
    pub(crate) exact_case: bool,
}

/// All actor records of the loaded actor files, indexed for longest-phrase lookup.
///
/// Phrases match consecutive tokens exactly (uppercase; see [`crate::normalize_word`]).
/// TABARI's blank connector ("words may intervene") is read as consecutive by
/// [`ActorDictionary::longest_match`], as PETRARCH-2 does, and honoured by
/// [`ActorDictionary::longest_match_gapped`], as PETRARCH-1 does. A trailing `_` (TABARI's
/// "whole word") is dropped since nothing is stemmed.
///
/// Actor dictionaries (TABARI/PETRARCH `.actors` files).
///
/// A record is a primary phrase, optional `+` synonym lines and optional date-restriction
/// lines (indented, `[CODE restriction]`); codes may also follow the primary phrase on its
/// own line. Every phrase of a record shares the record's codes.
///
/// ```text
/// UNITED_STATES_OF_AMERICA_  [USA]
/// +AMERICAN_
/// BARACK_OBAMA_
///     [USAELI 19610804-20090119]
///     [USAGOV 20090120-20170119]
///     [USAELI >20170120]
/// ```
#[derive(Clone, Debug, Default)]
pub struct ActorDictionary {
    pub(crate) entries: Vec<ActorEntry>,
    pub(crate) phrases: PhraseIndex<PhraseRef>,
    /// Words in the longest phrase (set by `finish`).
    longest_phrase: usize,
}

impl ActorDictionary {
    /// The longest actor phrase starting at `tokens[start]`, or `None`. Among phrases of
    /// equal length the one loaded last wins, as in PETRARCH-2, where a later entry for the
    /// same phrase replaces the earlier one.
    pub fn longest_match<S: AsRef<str>>(
        &self,
        tokens: &[S],
        start: usize,
    ) -> Option<ActorMatch<'_>> {
        let (len, p) = self.phrases.longest(tokens, start)?;
        self.make_match(len, p)
    }

    fn make_match<'a>(&'a self, len: usize, p: &'a PhraseRef) -> Option<ActorMatch<'a>> {
        let entry = self.entries.get(p.entry as usize)?;
        Some(ActorMatch {
            len,
            entry,
            phrase_at: &p.at,
            exact_case: p.exact_case,
        })
    }

    /// The actor phrase a coder should use at `surface[start]` on `date`, given the
    /// tokens **as written** (any case):
    ///
    /// * a phrase marked [`exact_case`](ActorMatch::exact_case) counts only when its tokens
    ///   are written exactly as stored (`US`, not "us");
    /// * among the longest phrases that count, the last loaded one whose record has a code
    ///   on `date` ([`ActorEntry::code_on`]) wins, so one phrase may belong to several
    ///   records with different date ranges ("Taliban" as insurgents, then government);
    /// * when none has a code on that date, the one whose code is nearest in time
    ///   ([`ActorEntry::code_near`]) wins.
    pub fn lookup_on<S: AsRef<str>>(
        &self,
        surface: &[S],
        start: usize,
        date: Option<Date>,
    ) -> Option<ActorMatch<'_>> {
        // Uppercase only the window a phrase can cover.
        let end = surface
            .len()
            .min(start.saturating_add(self.longest_phrase.max(1)));
        let window: Vec<String> = surface
            .get(start..end)?
            .iter()
            .map(|t| crate::phrase::normalize_word(t.as_ref()))
            .collect();
        let mut best: Option<(usize, i64, ActorMatch<'_>)> = None;
        for (len, p) in self.phrases.matches(&window, 0) {
            if best.as_ref().is_some_and(|(l, _, _)| *l > len) {
                break;
            }
            if p.exact_case {
                let stored = window.get(..len).unwrap_or(&[]);
                let written = surface.get(start..start + len).unwrap_or(&[]);
                if !stored.iter().zip(written).all(|(a, b)| *a == b.as_ref()) {
                    continue;
                }
            }
            let Some(m) = self.make_match(len, p) else {
                continue;
            };
            // Rank: 0 when the record has a code on the date, else distance (smaller wins).
            let rank = match m.entry.code_near(date) {
                Some((_, true)) => 0,
                Some((_, false)) => 1 + nearest_days(m.entry, date),
                None => i64::MAX,
            };
            if !matches!(&best, Some((_, r, _)) if *r <= rank) {
                best = Some((len, rank, m));
            }
        }
        best.map(|(_, _, m)| m)
    }

    /// As [`ActorDictionary::longest_match`], but with TABARI/PETRARCH-1 connectors: where
    /// the dictionary separates two words with a blank (`ITHILEN TELEVISION`) up to
    /// `max_gap` other tokens may come between them; `_` still means consecutive. `len`
    /// counts the tokens from `start` through the last matched word. The phrase with the
    /// most words wins. Pass a slice ending at the noun phrase's end to keep matches in it.
    pub fn longest_match_gapped<S: AsRef<str>>(
        &self,
        tokens: &[S],
        start: usize,
        max_gap: usize,
    ) -> Option<ActorMatch<'_>> {
        let (len, p) = self.phrases.longest_gapped(tokens, start, max_gap)?;
        self.make_match(len, p)
    }

    /// Looks up a whole phrase (`"United States"`, `"UNITED_STATES"`): the entry whose phrase
    /// is exactly these words. The phrase is split on blanks and underscores, and failing
    /// that the way native dictionaries split it ([`crate::phrase_words`]: `"al-Qaeda"`).
    pub fn get(&self, phrase: &str) -> Option<&ActorEntry> {
        let whole = |words: &[Box<str>]| match self.longest_match(words, 0) {
            Some(m) if m.len == words.len() => Some(m.entry),
            _ => None,
        };
        whole(&split_phrase(phrase)).or_else(|| whole(&crate::native::boxed_words(phrase)))
    }

    /// All records in load order.
    pub fn entries(&self) -> &[ActorEntry] {
        &self.entries
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no actor was loaded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of phrases (primary names and synonyms).
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }
}

/// How far `date` is from a date-restricted rule, in days (0 when it holds); `None` for
/// [`DateRule::Always`]. With `date == None` ("now", after every date) a rule that ends
/// later is nearer.
fn rule_distance(rule: DateRule, date: Option<Date>) -> Option<i64> {
    let (from, to) = match rule {
        DateRule::Always => return None,
        DateRule::Before(d) => (None, Some(d)),
        DateRule::After(d) => (Some(d), None),
        DateRule::Between(a, b) => (Some(a), Some(b)),
    };
    let Some(x) = date else {
        return Some(to.map_or(0, |t| i64::MAX / 2 - t.days_since_epoch()));
    };
    let x = x.days_since_epoch();
    let before = from.map_or(0, |f| f.days_since_epoch() - x).max(0);
    let after = to.map_or(0, |t| x - t.days_since_epoch()).max(0);
    Some(before.max(after))
}

/// Days from `date` to the nearest code of `entry` (0 for an unrestricted one).
fn nearest_days(entry: &ActorEntry, date: Option<Date>) -> i64 {
    entry
        .codes
        .iter()
        .map(|r| rule_distance(r.when, date).unwrap_or(0))
        .min()
        .unwrap_or(i64::MAX / 2)
}

/// Accumulates actor files, then freezes them into an [`ActorDictionary`].
#[derive(Default)]
pub(crate) struct ActorLoader {
    pub(crate) dict: ActorDictionary,
}

impl ActorLoader {
    /// Reads one actor file; returns the number of records read.
    pub(crate) fn load(&mut self, text: &str, file: &Arc<str>, sink: &mut Sink) -> usize {
        let before = self.dict.entries.len();
        // The record the current synonym and restriction lines belong to.
        let mut current: Option<u32> = None;
        for line in Lines::new(text) {
            let at = SourceRef {
                file: file.clone(),
                line: line.no,
            };
            let raw: &str = &line.text;
            // Old KEDS/TABARI comments start with ';'.
            let raw = raw.split(';').next().unwrap_or("");
            let body = raw.trim();
            if body.is_empty() {
                continue;
            }
            let indented = raw.starts_with(char::is_whitespace);
            if let Some(syn) = body.strip_prefix('+') {
                let Some(entry) = current else {
                    sink.report(at, "synonym line before any actor");
                    continue;
                };
                let (phrase, codes) = match split_codes(syn, &at, sink) {
                    Some(x) => x,
                    None => continue,
                };
                let (words, gaps) = split_phrase_gaps(phrase);
                if words.is_empty() {
                    sink.report(at, "empty synonym");
                    continue;
                }
                if let Some(e) = self.dict.entries.get_mut(entry as usize) {
                    e.codes.extend(codes);
                }
                self.dict.phrases.insert_with_gaps(
                    words,
                    gaps,
                    PhraseRef {
                        entry,
                        at,
                        exact_case: false,
                    },
                );
            } else if body.starts_with('[') && (indented || current.is_some()) {
                let Some(entry) = current else {
                    sink.report(at, "date restriction before any actor");
                    continue;
                };
                match split_codes(body, &at, sink) {
                    Some(("", codes)) => {
                        if let Some(e) = self.dict.entries.get_mut(entry as usize) {
                            e.codes.extend(codes);
                        }
                    }
                    Some(_) => sink.report(at, "text before a code restriction"),
                    None => {}
                }
            } else {
                let Some((phrase, codes)) = split_codes(body, &at, sink) else {
                    current = None;
                    continue;
                };
                let (words, gaps) = split_phrase_gaps(phrase);
                if words.is_empty() {
                    sink.report(at, "actor line without a phrase");
                    current = None;
                    continue;
                }
                let Ok(id) = u32::try_from(self.dict.entries.len()) else {
                    sink.report(at, "too many actors");
                    continue;
                };
                self.dict.entries.push(ActorEntry {
                    name: words.join(" ").into_boxed_str(),
                    codes,
                    at: at.clone(),
                    kind: ActorKind::Name,
                    sector: None,
                    country: None,
                });
                self.dict.phrases.insert_with_gaps(
                    words,
                    gaps,
                    PhraseRef {
                        entry: id,
                        at,
                        exact_case: false,
                    },
                );
                current = Some(id);
            }
        }
        self.dict.entries.len() - before
    }

    pub(crate) fn finish(mut self) -> ActorDictionary {
        self.dict.phrases.finish();
        self.dict.longest_phrase = self.dict.phrases.max_len();
        self.dict
    }
}

/// Splits `PHRASE [CODE r] [CODE r]` into the phrase and its code rules. Reports and
/// returns `None` when a bracket group is malformed.
pub(crate) fn split_codes<'a>(
    s: &'a str,
    at: &SourceRef,
    sink: &mut Sink,
) -> Option<(&'a str, Vec<CodeRule>)> {
    let Some(open) = s.find('[') else {
        return Some((s.trim(), Vec::new()));
    };
    let phrase = s[..open].trim();
    let mut rest = &s[open..];
    let mut codes = Vec::new();
    while let Some(r) = rest.trim_start().strip_prefix('[') {
        let Some(close) = r.find(']') else {
            sink.report(at.clone(), "unclosed '[' in code");
            return None;
        };
        match parse_code_rule(&r[..close]) {
            Ok(rule) => codes.push(rule),
            Err(why) => {
                sink.report(at.clone(), why);
                return None;
            }
        }
        rest = &r[close + 1..];
    }
    if !rest.trim().is_empty() {
        sink.report(
            at.clone(),
            format!("unexpected text {:?} after code", rest.trim()),
        );
        return None;
    }
    Some((phrase, codes))
}

/// Reads `CODE`, `CODE >date`, `CODE <date` or `CODE date-date`.
fn parse_code_rule(s: &str) -> Result<CodeRule, String> {
    let mut parts = s.split_whitespace();
    let code = parts.next().ok_or_else(|| "empty code '[]'".to_string())?;
    // The restriction may be written with blanks (`> 140608`, `19950601 - 19990815`).
    let rest: String = parts.collect();
    let restriction = (!rest.is_empty()).then_some(rest.as_str());
    let date = |d: &str| Date::parse_yymmdd(d).map_err(|e| format!("bad date in [{s}]: {e}"));
    let when = match restriction {
        None => DateRule::Always,
        Some(r) => {
            if let Some(d) = r.strip_prefix('<') {
                DateRule::Before(date(d)?)
            } else if let Some(d) = r.strip_prefix('>') {
                DateRule::After(date(d)?)
            } else if let Some((a, b)) = r.split_once('-') {
                DateRule::Between(date(a)?, date(b)?)
            } else {
                return Err(format!("bad date restriction {r:?} in [{s}]"));
            }
        }
    };
    Ok(CodeRule {
        code: code.to_ascii_uppercase().into_boxed_str(),
        when,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (ActorDictionary, Vec<String>) {
        let mut l = ActorLoader::default();
        let mut sink = Sink::new(false);
        l.load(text, &Arc::from("t.actors"), &mut sink);
        (
            l.finish(),
            sink.diagnostics.iter().map(|d| d.to_string()).collect(),
        )
    }

    fn d(s: &str) -> Option<Date> {
        Some(Date::parse_iso(s).unwrap())
    }

    const TEXT: &str = include_str!("../tests/data/small.actors.txt");

    #[test]
    fn reads_records_synonyms_and_restrictions() {
        let (dict, diags) = load(TEXT);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].starts_with("t.actors:11: bad date"), "{diags:?}");
        assert_eq!(dict.len(), 5);
        assert_eq!(dict.get("american").unwrap().name.as_ref(), "UNITED STATES");
        assert_eq!(dict.get("U.S.").unwrap().code_on(None), Some("USA"));
        assert_eq!(dict.get("after broken").unwrap().code_on(None), Some("X"));
    }

    #[test]
    fn honours_date_restrictions() {
        let (dict, _) = load(TEXT);
        let obama = dict.get("BARACK OBAMA").unwrap();
        assert_eq!(obama.code_on(d("2005-01-01")), Some("USAELI"));
        assert_eq!(obama.code_on(d("2009-01-20")), Some("USAGOV"));
        assert_eq!(obama.code_on(d("2017-01-19")), Some("USAGOV"));
        assert_eq!(obama.code_on(d("2018-01-01")), Some("USAELI"));
        assert_eq!(obama.code_on(d("1950-01-01")), None);
        assert_eq!(obama.code_on(None), Some("USAELI"));
        let annan = dict.get("KOFI ANNAN").unwrap();
        assert_eq!(annan.code_on(d("2000-06-01")), Some("IGOUNO"));
        assert_eq!(annan.code_on(d("2010-06-01")), Some("ELI"));
        assert_eq!(annan.code_on(None), Some("ELI"));
    }

    #[test]
    fn finds_the_longest_phrase() {
        let (dict, _) = load(TEXT);
        let toks = ["THE", "UNITED", "STATES", "CONGRESS", "MET"];
        let m = dict.longest_match(&toks, 1).unwrap();
        assert_eq!((m.len, m.entry.code_on(None)), (3, Some("USALEG")));
        let m = dict.longest_match(&toks[..3], 1).unwrap();
        assert_eq!((m.len, m.entry.code_on(None)), (2, Some("USA")));
        assert_eq!(m.phrase_at.line, 2);
        assert!(dict.longest_match(&toks, 0).is_none());
    }

    #[test]
    fn blanks_allow_gaps_only_in_gapped_matching() {
        let (dict, _) = load(
            "ITHILEN  [ITH]\nITHILEN TELEVISION  [ITHTV]\nITHILEN_GOVERNMENT_RADIO_ [ITHRAD]\n",
        );
        let toks = ["ITHILEN", "STATE-RUN", "TELEVISION", "SAID"];
        let m = dict.longest_match_gapped(&toks, 0, 3).unwrap();
        assert_eq!((m.len, m.entry.code_on(None)), (3, Some("ITHTV")));
        let m = dict.longest_match(&toks, 0).unwrap();
        assert_eq!((m.len, m.entry.code_on(None)), (1, Some("ITH")));
        let toks = ["ITHILEN", "STATE", "GOVERNMENT", "RADIO"];
        assert_eq!(dict.longest_match_gapped(&toks, 0, 3).unwrap().len, 1);
    }

    #[test]
    fn null_code_is_none_and_compounds_split() {
        let (dict, _) = load("BOROMIR  [---]\nFELLOWSHIP [ELR/GAL]\n");
        assert_eq!(dict.get("BOROMIR").unwrap().code_on(None), None);
        assert!(dict
            .get("BOROMIR")
            .unwrap()
            .compound_codes_on(None)
            .is_empty());
        assert_eq!(
            dict.get("FELLOWSHIP").unwrap().compound_codes_on(None),
            vec!["ELR", "GAL"]
        );
    }
}
