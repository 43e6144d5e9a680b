//! Agent dictionaries: roles that refine an actor code; see the main type.

use std::collections::HashMap;
use std::sync::Arc;

use dyad_types::SourceRef;

use crate::error::Sink;
use crate::lines::Lines;
use crate::phrase::{regular_plural, split_phrase, split_phrase_gaps, PhraseIndex};

/// Where an agent code goes relative to the actor code it qualifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgentPlacement {
    /// `[~GOV]`: appended after the actor code (`USA` → `USAGOV`).
    Suffix,
    /// `[NGO~]`: put before the actor code (`USA` → `NGOUSA`).
    Prefix,
}

/// One agent: its code and where that code goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentEntry {
    /// The primary phrase, words joined by blanks (`FOREIGN MINISTER`).
    pub name: Box<str>,
    /// The code without `~` (`GOVFRM`).
    pub code: Box<str>,
    /// Whether the code is a suffix or a prefix.
    pub placement: AgentPlacement,
    /// Where the agent is written.
    pub at: SourceRef,
}

impl AgentEntry {
    /// Combines the agent with an actor code: `USA` + `[~GOV]` → `USAGOV`, `USA` + `[NGO~]`
    /// → `NGOUSA`. With no actor code the agent code alone is returned.
    pub fn apply(&self, actor_code: &str) -> String {
        match self.placement {
            AgentPlacement::Suffix => format!("{actor_code}{}", self.code),
            AgentPlacement::Prefix => format!("{}{actor_code}", self.code),
        }
    }
}

/// An agent phrase found in a token sequence.
#[derive(Clone, Copy, Debug)]
pub struct AgentMatch<'a> {
    /// How many tokens the phrase covers.
    pub len: usize,
    /// The agent.
    pub entry: &'a AgentEntry,
}

/// All agents, indexed for longest-phrase lookup (same matching rules as
/// [`ActorDictionary`](crate::ActorDictionary)).
///
/// Agent dictionaries: roles (`PRESIDENT`, `TROOPS`) that refine an actor code.
///
/// ```text
/// !PERSON! = MAN, MEN, WOMAN, WOMEN         substitution set
/// PRESIDENT [~GOVPRS]                       suffix: USA + GOVPRS = USAGOVPRS
/// ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOVATG]   irregular plural
/// POLICE {} [~COP]                          no plural
/// HUMAN_RIGHTS_BODY [NGO~]                  prefix: NGO + USA = NGOUSA
/// CONGRESS!PERSON! [~LEG]                   one entry per substitution, no plurals
/// ```
///
/// Regular plurals (`S`, `Y` → `IES`, `SS` → `SSES`) are added unless `{...}` is given.
#[derive(Clone, Debug, Default)]
pub struct AgentDictionary {
    pub(crate) entries: Vec<AgentEntry>,
    pub(crate) phrases: PhraseIndex<u32>,
}

impl AgentDictionary {
    /// The longest agent phrase (singular or plural form) starting at `tokens[start]`;
    /// among equal lengths the one loaded last wins, as in PETRARCH-2.
    pub fn longest_match<S: AsRef<str>>(
        &self,
        tokens: &[S],
        start: usize,
    ) -> Option<AgentMatch<'_>> {
        let (len, id) = self.phrases.longest(tokens, start)?;
        Some(AgentMatch {
            len,
            entry: self.entries.get(*id as usize)?,
        })
    }

    /// As [`AgentDictionary::longest_match`], letting up to `max_gap` tokens come between
    /// words that the dictionary separates with a blank (see
    /// [`ActorDictionary::longest_match_gapped`](crate::ActorDictionary::longest_match_gapped)).
    pub fn longest_match_gapped<S: AsRef<str>>(
        &self,
        tokens: &[S],
        start: usize,
        max_gap: usize,
    ) -> Option<AgentMatch<'_>> {
        let (len, id) = self.phrases.longest_gapped(tokens, start, max_gap)?;
        Some(AgentMatch {
            len,
            entry: self.entries.get(*id as usize)?,
        })
    }

    /// The agent whose phrase is exactly `phrase` (`"foreign ministers"`).
    pub fn get(&self, phrase: &str) -> Option<&AgentEntry> {
        let words = split_phrase(phrase);
        match self.longest_match(&words, 0) {
            Some(m) if m.len == words.len() => Some(m.entry),
            _ => None,
        }
    }

    /// All agents in load order.
    pub fn entries(&self) -> &[AgentEntry] {
        &self.entries
    }

    /// Number of agents.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when none was loaded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of phrases, generated forms included.
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }
}

/// Accumulates agent files.
#[derive(Default)]
pub(crate) struct AgentLoader {
    pub(crate) dict: AgentDictionary,
    substitutions: HashMap<String, Vec<String>>,
}

impl AgentLoader {
    /// Reads one agent file; returns the number of agents read.
    pub(crate) fn load(&mut self, text: &str, file: &Arc<str>, sink: &mut Sink) -> usize {
        let before = self.dict.entries.len();
        for line in Lines::new(text) {
            let at = SourceRef {
                file: file.clone(),
                line: line.no,
            };
            let t = line.text.trim();
            if let Err(why) = self.line(t, &at) {
                sink.report(at, why);
            }
        }
        self.dict.entries.len() - before
    }

    fn line(&mut self, t: &str, at: &SourceRef) -> Result<(), String> {
        if t.starts_with('!') && t.contains('=') && !t.contains('[') {
            let (marker, list) = t.split_once('=').unwrap_or((t, ""));
            let marker = marker.trim();
            if marker.len() < 3
                || !marker.ends_with('!')
                || marker[1..marker.len() - 1].contains('!')
            {
                return Err(format!("malformed substitution marker {marker:?}"));
            }
            let items: Vec<String> = list
                .split(',')
                .map(|s| {
                    s.split_whitespace()
                        .collect::<String>()
                        .to_ascii_uppercase()
                })
                .filter(|s| !s.is_empty())
                .collect();
            if items.is_empty() {
                return Err(format!("empty substitution set {marker}"));
            }
            self.substitutions
                .insert(marker.to_ascii_uppercase(), items);
            return Ok(());
        }
        let open = t.find('[').ok_or("agent without a [code]")?;
        let (code_text, tail) = t[open + 1..]
            .split_once(']')
            .ok_or("unclosed '[' in agent code")?;
        if !tail.trim().is_empty() {
            return Err(format!("unexpected {:?} after the agent code", tail.trim()));
        }
        let code_text = code_text.trim();
        let (code, placement) = if let Some(c) = code_text.strip_prefix('~') {
            (c, AgentPlacement::Suffix)
        } else if let Some(c) = code_text.strip_suffix('~') {
            (c, AgentPlacement::Prefix)
        } else {
            return Err(format!("agent code [{code_text}] has no '~'"));
        };
        if code.is_empty() || code.contains(['~', ' ']) {
            return Err(format!("malformed agent code [{code_text}]"));
        }
        let head = &t[..open];
        let (phrase, plurals) = match head.split_once('{') {
            Some((p, rest)) => {
                let (pl, tail) = rest.split_once('}').ok_or("unclosed '{' in agent plural")?;
                if !tail.trim().is_empty() {
                    return Err(format!("unexpected {:?} after the plural", tail.trim()));
                }
                (p.trim(), Some(pl))
            }
            None => (head.trim(), None),
        };
        if phrase.is_empty() {
            return Err("agent without a phrase".into());
        }
        // Expand substitution markers; substituted forms get no generated plurals.
        let mut texts = vec![phrase.to_ascii_uppercase()];
        let mut substituted = false;
        while let Some(start) = texts.first().and_then(|s| s.find('!')) {
            let first = texts.first().map(String::as_str).unwrap_or("");
            let end = first[start + 1..].find('!').ok_or("unclosed '!' marker")? + start + 1;
            let marker = first[start..=end].to_string();
            let items = self
                .substitutions
                .get(&marker)
                .ok_or_else(|| format!("undefined substitution {marker}"))?;
            let m = marker.as_str();
            texts = texts
                .iter()
                .flat_map(|s| items.iter().map(move |it| s.replacen(m, it, 1)))
                .collect();
            substituted = true;
        }
        let Ok(id) = u32::try_from(self.dict.entries.len()) else {
            return Err("too many agents".into());
        };
        let words0 = split_phrase(texts.first().map(String::as_str).unwrap_or(""));
        self.dict.entries.push(AgentEntry {
            name: words0.join(" ").into_boxed_str(),
            code: code.to_ascii_uppercase().into_boxed_str(),
            placement,
            at: at.clone(),
        });
        for text in &texts {
            let (words, gaps) = split_phrase_gaps(text);
            if words.is_empty() {
                continue;
            }
            if plurals.is_none() && !substituted {
                if let Some(p) = regular_plural(&words) {
                    self.dict.phrases.insert_with_gaps(p, gaps.clone(), id);
                }
            }
            self.dict.phrases.insert_with_gaps(words, gaps, id);
        }
        // Plurals in `{...}` are separated by blanks, so their words are joined by `_`.
        for p in plurals.unwrap_or("").split_whitespace() {
            let words = split_phrase(p);
            if !words.is_empty() {
                self.dict.phrases.insert(words, id);
            }
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> AgentDictionary {
        self.dict.phrases.finish();
        self.dict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (AgentDictionary, Vec<String>) {
        let mut l = AgentLoader::default();
        let mut sink = Sink::new(false);
        l.load(text, &Arc::from("t.agents"), &mut sink);
        (
            l.finish(),
            sink.diagnostics.iter().map(|d| d.to_string()).collect(),
        )
    }

    const TEXT: &str = include_str!("../tests/data/small.agents.txt");

    #[test]
    fn reads_codes_placements_and_forms() {
        let (dict, diags) = load(TEXT);
        assert_eq!(
            diags,
            vec!["t.agents:9: agent code [GOV] has no '~'".to_string()]
        );
        assert_eq!(dict.get("president").unwrap().apply("USA"), "USAGOVPRS");
        assert_eq!(dict.get("presidents").unwrap().code.as_ref(), "GOVPRS");
        assert_eq!(
            dict.get("foreign ministers").unwrap().code.as_ref(),
            "GOVFRM"
        );
        assert_eq!(
            dict.get("attorneys general").unwrap().code.as_ref(),
            "GOVATG"
        );
        assert!(dict.get("attorney generals").is_none());
        assert!(dict.get("polices").is_none());
        assert_eq!(dict.get("secretaries").unwrap().code.as_ref(), "GOV");
        assert_eq!(
            dict.get("human rights body").unwrap().apply("USA"),
            "NGOUSA"
        );
        assert_eq!(dict.get("congresswomen").unwrap().code.as_ref(), "LEG");
        assert!(dict.get("congressmans").is_none());
    }

    #[test]
    fn longest_agent_phrase_wins() {
        let (dict, _) = load(TEXT);
        let toks = ["FOREIGN", "MINISTER", "SAID"];
        let m = dict.longest_match(&toks, 0).unwrap();
        assert_eq!((m.len, m.entry.code.as_ref()), (2, "GOVFRM"));
    }
}
