//! Native agent files: `= CODE  name` entries with `noun:`, `plural:` and `position:` lines.

use std::sync::Arc;

use dyad_types::SourceRef;

use super::{alternatives, at, boxed_words, header, is_code, key_line, lines, NativeCounts};
use crate::agents::{AgentEntry, AgentLoader, AgentPlacement};
use crate::builder::DictKind;
use crate::error::Sink;
use crate::phrase::regular_plural;

struct Pending<'a> {
    at: SourceRef,
    code: &'a str,
    display: &'a str,
    placement: Option<AgentPlacement>,
    nouns: Vec<(SourceRef, &'a str)>,
    plurals: Vec<(SourceRef, &'a str)>,
}

/// Reads one native agent file.
pub(super) fn load(
    text: &str,
    file: &Arc<str>,
    loader: &mut AgentLoader,
    sink: &mut Sink,
) -> NativeCounts {
    let (mut agents, mut nouns) = (0usize, 0usize);
    let mut cur: Option<Pending<'_>> = None;
    for l in lines(text) {
        let here = at(file, l.no);
        if l.text.starts_with('=') {
            if let Some(p) = cur.take() {
                finish(p, loader, sink, &mut agents, &mut nouns);
            }
            match header(l.text) {
                Some((code, display)) if is_code(code) => {
                    cur = Some(Pending {
                        at: here,
                        code,
                        display,
                        placement: None,
                        nouns: Vec::new(),
                        plurals: Vec::new(),
                    })
                }
                _ => sink.report(
                    here,
                    format!("agent header {:?} needs a code: '= CODE  name'", l.text),
                ),
            }
            continue;
        }
        let Some(p) = cur.as_mut() else {
            sink.report(
                here,
                "line outside an entry (no '= CODE  name' header above it)",
            );
            continue;
        };
        let Some(k) = key_line(l.text) else {
            sink.report(here, format!("expected 'keyword: value', got {:?}", l.text));
            continue;
        };
        if k.range.is_some() {
            sink.report(here, "agent lines take no date range");
            continue;
        }
        match k.key {
            "noun" | "plural" => match alternatives(k.value) {
                Ok(phrases) => {
                    let list = if k.key == "noun" {
                        &mut p.nouns
                    } else {
                        &mut p.plurals
                    };
                    list.extend(phrases.into_iter().map(|ph| (here.clone(), ph)));
                }
                Err(why) => sink.report(here, why),
            },
            "position" => {
                let placement = match k.value {
                    "prefix" => AgentPlacement::Prefix,
                    "suffix" => AgentPlacement::Suffix,
                    v => {
                        sink.report(
                            here,
                            format!("position must be prefix or suffix, got {v:?}"),
                        );
                        continue;
                    }
                };
                if p.placement.replace(placement).is_some() {
                    sink.report(here, "second 'position:' line in one entry");
                }
            }
            other => sink.report(
                here,
                format!(
                    "unknown keyword '{other}:' in an agent file (expected noun, plural or \
                     position)"
                ),
            ),
        }
    }
    if let Some(p) = cur.take() {
        finish(p, loader, sink, &mut agents, &mut nouns);
    }
    NativeCounts {
        kind: DictKind::Agents,
        entries: agents,
        patterns: 0,
        synsets: 0,
        details: vec![("agents", agents), ("nouns", nouns)],
    }
}

fn finish(
    p: Pending<'_>,
    loader: &mut AgentLoader,
    sink: &mut Sink,
    agents: &mut usize,
    nouns: &mut usize,
) {
    if p.nouns.is_empty() {
        sink.report(p.at, "agent without a noun: line");
        return;
    }
    *agents += 1;
    let name: Box<str> = if p.display.is_empty() {
        p.code
    } else {
        p.display
    }
    .into();
    let placement = p.placement.unwrap_or(AgentPlacement::Suffix);
    // One entry per line, so that a match cites the line of its noun.
    let mut line_entry: Option<(u32, SourceRef)> = None;
    let lists = p.nouns.into_iter().map(|n| (true, n));
    for (noun_line, (at, phrase)) in lists.chain(p.plurals.into_iter().map(|n| (false, n))) {
        let words = boxed_words(phrase);
        if words.is_empty() {
            sink.report(at, format!("{phrase:?} has no word"));
            continue;
        }
        let id = match &line_entry {
            Some((id, line)) if *line == at => *id,
            _ => {
                let Ok(id) = u32::try_from(loader.dict.entries.len()) else {
                    sink.report(at, "too many agents");
                    return;
                };
                loader.dict.entries.push(AgentEntry {
                    name: name.clone(),
                    code: p.code.into(),
                    placement,
                    at: at.clone(),
                });
                line_entry = Some((id, at));
                id
            }
        };
        if noun_line {
            *nouns += 1;
            if let Some(pl) = regular_plural(&words) {
                loader.dict.phrases.insert(pl, id);
            }
        }
        loader.dict.phrases.insert(words, id);
    }
}
