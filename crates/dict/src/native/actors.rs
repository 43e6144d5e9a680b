//! Native actor files: `= CODE  Name` entries with `name:`, `adj:`, `gov:`, `place:`,
//! `sector:`, `country:` lines, and people (`= Full Name` with `role:` lines).

use std::sync::Arc;

use dyad_types::{Date, SourceRef};

use super::{alternatives, at, boxed_words, header, is_code, is_exact_case, key_line, lines};
use super::{parse_range, NativeCounts};
use crate::actors::{ActorEntry, ActorKind, ActorLoader, CodeRule, DateRule, PhraseRef};
use crate::builder::DictKind;
use crate::error::Sink;

/// One phrase line of an entry.
struct PhraseLine<'a> {
    at: SourceRef,
    key: &'a str,
    when: DateRule,
    phrases: Vec<&'a str>,
}

/// An entry being read: its header and the lines seen so far.
struct Pending<'a> {
    at: SourceRef,
    /// The header without `=`, trimmed (`CHN  China`, `Xi Jinping`).
    full: &'a str,
    /// First word of the header and the rest.
    head: &'a str,
    display: &'a str,
    lines: Vec<PhraseLine<'a>>,
    roles: Vec<CodeRule>,
    sector: Option<&'a str>,
    country: Option<&'a str>,
}

#[derive(Default)]
struct Counts {
    actors: usize,
    people: usize,
    names: usize,
    roles: usize,
}

/// Reads one native actor file.
pub(super) fn load(
    text: &str,
    file: &Arc<str>,
    loader: &mut ActorLoader,
    sink: &mut Sink,
) -> NativeCounts {
    let mut counts = Counts::default();
    let mut cur: Option<Pending<'_>> = None;
    for l in lines(text) {
        let here = at(file, l.no);
        if l.text.starts_with('=') {
            if let Some(p) = cur.take() {
                finish(p, loader, sink, &mut counts);
            }
            match header(l.text) {
                Some((head, display)) if !head.is_empty() => {
                    cur = Some(Pending {
                        at: here,
                        full: l.text.trim_start_matches('=').trim(),
                        head,
                        display,
                        lines: Vec::new(),
                        roles: Vec::new(),
                        sector: None,
                        country: None,
                    })
                }
                _ => sink.report(here, "header without a code or name after '='"),
            }
            continue;
        }
        let Some(p) = cur.as_mut() else {
            sink.report(
                here,
                "line outside an entry (no '= CODE  Name' header above it)",
            );
            continue;
        };
        let Some(k) = key_line(l.text) else {
            sink.report(here, format!("expected 'keyword: value', got {:?}", l.text));
            continue;
        };
        let when = match k.range.map(parse_range).transpose() {
            Ok(r) => r.unwrap_or(DateRule::Always),
            Err(why) => {
                sink.report(here, why);
                continue;
            }
        };
        match k.key {
            "name" | "adj" | "gov" | "place" => match alternatives(k.value) {
                Ok(phrases) => p.lines.push(PhraseLine {
                    at: here,
                    key: k.key,
                    when,
                    phrases,
                }),
                Err(why) => sink.report(here, why),
            },
            "role" => {
                if k.range.is_some() {
                    sink.report(
                        here,
                        "a role's dates follow its code: 'role: CODE FROM..TO'",
                    );
                    continue;
                }
                match parse_role(k.value) {
                    Ok(rule) => p.roles.push(rule),
                    Err(why) => sink.report(here, why),
                }
            }
            "sector" | "country" => {
                let v = k.value;
                let slot = if k.key == "sector" {
                    &mut p.sector
                } else {
                    &mut p.country
                };
                if k.range.is_some() {
                    sink.report(here, format!("'{}:' takes no date range", k.key));
                } else if !is_code(v) {
                    sink.report(here, format!("'{}:' needs one code, got {v:?}", k.key));
                } else if slot.is_some() {
                    sink.report(here, format!("second '{}:' line in one entry", k.key));
                } else {
                    *slot = Some(v);
                }
            }
            other => sink.report(
                here,
                format!(
                    "unknown keyword '{other}:' in an actor file \
                     (expected name, adj, gov, place, role, sector or country)"
                ),
            ),
        }
    }
    if let Some(p) = cur.take() {
        finish(p, loader, sink, &mut counts);
    }
    NativeCounts {
        kind: DictKind::Actors,
        entries: counts.actors + counts.people,
        patterns: 0,
        synsets: 0,
        details: vec![
            ("actors", counts.actors),
            ("people", counts.people),
            ("names", counts.names),
            ("roles", counts.roles),
        ],
    }
}

/// Reads `CODE` or `CODE FROM..TO`.
fn parse_role(v: &str) -> Result<CodeRule, String> {
    let mut parts = v.split_whitespace();
    let code = parts.next().ok_or("role without a code")?;
    if !is_code(code) {
        return Err(format!(
            "role code {code:?} is not a code (capitals and digits)"
        ));
    }
    let when = match parts.next() {
        Some(r) => parse_range(r)?,
        None => DateRule::Always,
    };
    if let Some(extra) = parts.next() {
        return Err(format!("unexpected {extra:?} after the role's dates"));
    }
    Ok(CodeRule {
        code: code.into(),
        when,
    })
}

type Span = (Option<Date>, Option<Date>);

fn span(r: DateRule) -> Span {
    match r {
        DateRule::Always => (None, None),
        DateRule::Before(d) => (None, Some(d)),
        DateRule::After(d) => (Some(d), None),
        DateRule::Between(a, b) => (Some(a), Some(b)),
    }
}

fn rule((from, to): Span) -> DateRule {
    match (from, to) {
        (None, None) => DateRule::Always,
        (None, Some(t)) => DateRule::Before(t),
        (Some(f), None) => DateRule::After(f),
        (Some(f), Some(t)) => DateRule::Between(f, t),
    }
}

/// The common part of two date rules, if they overlap.
fn intersect(a: DateRule, b: DateRule) -> Option<DateRule> {
    let ((af, at), (bf, bt)) = (span(a), span(b));
    let from = af.max(bf); // None < Some: an open start never wins
    let to = match (at, bt) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    };
    match (from, to) {
        (Some(f), Some(t)) if f > t => None,
        s => Some(rule(s)),
    }
}

/// Days between two date spans (0 when they overlap).
fn gap(a: DateRule, b: DateRule) -> i64 {
    let ((af, at), (bf, bt)) = (span(a), span(b));
    let d = |x: Option<Date>, y: Option<Date>| match (x, y) {
        (Some(x), Some(y)) => (y.days_since_epoch() - x.days_since_epoch()).max(0),
        _ => 0,
    };
    d(at, bf).max(d(bt, af))
}

/// A person's codes for a name line valid `when`: the roles within that range; when no
/// role overlaps it, the role nearest to it, limited to the range.
fn person_codes(roles: &[CodeRule], when: DateRule) -> Vec<CodeRule> {
    let clipped: Vec<CodeRule> = roles
        .iter()
        .filter_map(|r| {
            intersect(r.when, when).map(|w| CodeRule {
                code: r.code.clone(),
                when: w,
            })
        })
        .collect();
    if !clipped.is_empty() {
        return clipped;
    }
    let mut best: Option<(i64, &CodeRule)> = None;
    for r in roles {
        let g = gap(r.when, when);
        if !matches!(best, Some((b, _)) if b <= g) {
            best = Some((g, r));
        }
    }
    best.map(|(_, r)| {
        vec![CodeRule {
            code: r.code.clone(),
            when,
        }]
    })
    .unwrap_or_default()
}

fn finish(p: Pending<'_>, loader: &mut ActorLoader, sink: &mut Sink, counts: &mut Counts) {
    let person = !p.roles.is_empty();
    if !person && !is_code(p.head) {
        sink.report(
            p.at,
            format!(
                "header {:?} needs an actor code ('= CODE  Name'), or the entry needs role: \
                 lines (a person)",
                p.full
            ),
        );
        return;
    }
    if p.lines.is_empty() {
        sink.report(p.at, "entry without a name:, adj:, gov: or place: line");
        return;
    }
    if person {
        counts.people += 1;
        counts.roles += p.roles.len();
    } else {
        counts.actors += 1;
    }
    let name: Box<str> = if person || p.display.is_empty() {
        p.full.into()
    } else {
        p.display.into()
    };
    for line in p.lines {
        let (kind, codes) = if person {
            if line.key != "name" {
                sink.report(
                    line.at,
                    format!(
                        "'{}:' in a person's entry (people have name: and role: lines)",
                        line.key
                    ),
                );
                continue;
            }
            (ActorKind::Person, person_codes(&p.roles, line.when))
        } else {
            let (kind, code) = match line.key {
                "adj" => (ActorKind::Adjective, p.head.to_string()),
                "gov" => (ActorKind::Government, format!("{}GOV", p.head)),
                "place" => (ActorKind::Place, p.head.to_string()),
                _ => (ActorKind::Name, p.head.to_string()),
            };
            let rule = CodeRule {
                code: code.into_boxed_str(),
                when: line.when,
            };
            (kind, vec![rule])
        };
        let Ok(id) = u32::try_from(loader.dict.entries.len()) else {
            sink.report(line.at, "too many actors");
            return;
        };
        loader.dict.entries.push(ActorEntry {
            name: name.clone(),
            codes,
            at: line.at.clone(),
            kind,
            sector: p.sector.map(Into::into),
            country: p.country.map(Into::into),
        });
        for phrase in line.phrases {
            let words = boxed_words(phrase);
            if words.is_empty() {
                sink.report(line.at.clone(), format!("phrase {phrase:?} has no word"));
                continue;
            }
            counts.names += 1;
            loader.dict.phrases.insert(
                words,
                PhraseRef {
                    entry: id,
                    at: line.at.clone(),
                    exact_case: is_exact_case(phrase),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn clips_roles_to_a_name_range() {
        let roles = vec![
            CodeRule {
                code: "LBNMIL".into(),
                when: DateRule::Between(d("2017-03-08"), d("2025-01-08")),
            },
            CodeRule {
                code: "LBNGOV".into(),
                when: DateRule::After(d("2025-01-09")),
            },
        ];
        let c = person_codes(&roles, DateRule::After(d("2025-01-09")));
        assert_eq!(c.len(), 1);
        assert_eq!(
            (&*c[0].code, c[0].when),
            ("LBNGOV", DateRule::After(d("2025-01-09")))
        );
        let c = person_codes(&roles, DateRule::Before(d("2010-01-01")));
        assert_eq!(
            (&*c[0].code, c[0].when),
            ("LBNMIL", DateRule::Before(d("2010-01-01")))
        );
        assert_eq!(person_codes(&roles, DateRule::Always).len(), 2);
    }
}
