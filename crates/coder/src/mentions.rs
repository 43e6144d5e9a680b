//! Actors in a sentence: dictionary hits (actor and agent phrases) and their grouping into
//! noun phrases through the dependency tree.
//!
//! A noun phrase's *core* is its head with the pre-modifiers that name it (compounds, flat
//! names, adjectives, determiners, possessors). The actor of a phrase is the first actor hit
//! in its core, extended by the agents in the core ("Gondor's government" → `GON`+`GOV`).
//! A core with agents but no actor borrows the actors of its `of`/`in`/`from` modifiers
//! ("lawmakers in Fornost and Gondor" → `FORLEG`, `GONLEG`); conjuncts add more actors
//! ("Danish media and government" → `DNKMED`, `DNKGOV`).

use std::cell::RefCell;

use dyad_types::SourceRef;

use crate::view::View;

/// What a dictionary hit names.
#[derive(Clone, Debug)]
pub(crate) enum HitKind {
    /// An actor phrase and its code on the sentence date (`None`: null-coded).
    Actor(Option<String>),
    /// An agent phrase: code without `~`, and whether it goes before the actor code.
    Agent { code: String, prefix: bool },
}

/// One dictionary phrase found in the sentence.
#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: HitKind,
    pub(crate) entry: SourceRef,
}

/// One coded actor (one code) and its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Actor {
    /// Full code; empty for an unidentified actor with no agent.
    pub(crate) code: String,
    /// True when no actor phrase was found (code is `---` plus agents, or empty).
    pub(crate) null_actor: bool,
    /// The code without the agent of the phrase head: what a coordinated phrase shares
    /// ("Danish Islamist media and government": `DNKMUS`).
    pub(crate) base: String,
    pub(crate) tokens: (usize, usize),
    pub(crate) entries: Vec<SourceRef>,
}

impl Actor {
    pub(crate) fn is_null(&self) -> bool {
        self.code.is_empty() || self.code == "---"
    }
}

/// Relations that attach a pre-modifier to the noun it helps name.
fn is_core_rel(v: &View<'_>, child: usize, head: usize) -> bool {
    let r = v.rel(child);
    let base = v.base_rel(child);
    match base {
        "compound" | "flat" | "name" | "amod" | "det" | "nummod" | "goeswith" | "fixed" | "mwe"
        | "poss" => true,
        "nmod" => r == "nmod:poss" || (child < head && v.case_of(child) == Some("'S")),
        "case" => v.words.get(child).is_some_and(|&w| w == "'S" || w == "'"),
        "dep" | "advmod" => child < head,
        _ => false,
    }
}

/// The tokens of the core of the noun phrase headed by `h`.
pub(crate) fn core(v: &View<'_>, h: usize) -> Vec<usize> {
    // `out` is its own work list: tokens are expanded in the order they were found.
    let mut out = vec![h];
    let mut next = 0;
    while let Some(&k) = out.get(next) {
        next += 1;
        if out.len() > v.len() {
            break;
        }
        for &c in v.children.get(k).unwrap_or(&[]) {
            // Coordinated pre-modifiers belong to the phrase: "Eriadori and Calenardhon leaders".
            let premod_conj = k != h && c < h && v.base_rel(c) == "conj";
            if (premod_conj || is_core_rel(v, c, k)) && !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out.sort_unstable();
    out
}

/// Joins agent codes onto an actor code, skipping an agent the code already ends (or
/// starts) with on a three-letter boundary.
pub(crate) fn combine<S: AsRef<str>>(actor: &str, agents: &[(S, bool)]) -> String {
    let mut code = actor.to_string();
    for (a, prefix) in agents {
        let a = a.as_ref();
        if a.is_empty() {
            continue;
        }
        if *prefix {
            if !code.starts_with(a) {
                code = format!("{a}{code}");
            }
        } else {
            let ends = code.len() >= a.len()
                && code.ends_with(a)
                && (code.len() - a.len()).checked_rem(3) == Some(0)
                && code.len() > a.len();
            if !ends {
                code.push_str(a);
            }
        }
    }
    code
}

/// Whether the phrase of `hit` follows "former" (its agent becomes `ELI`).
fn former(v: &View<'_>, hit: &Hit) -> bool {
    hit.start > 0 && v.words.get(hit.start - 1).is_some_and(|&w| w == "FORMER")
}

/// The code of an agent hit and whether it goes before the actor code.
fn agent_code<'h>(v: &View<'_>, a: &'h Hit) -> Option<(&'h str, bool)> {
    match &a.kind {
        HitKind::Agent { code, prefix } => {
            let code = if former(v, a) { "ELI" } else { code.as_str() };
            Some((code, *prefix))
        }
        _ => None,
    }
}

/// Dictionary hits indexed by token.
pub(crate) struct Hits {
    pub(crate) hits: Vec<Hit>,
    /// For each token, the index of the hit covering it.
    pub(crate) at: Vec<Option<usize>>,
}

impl Hits {
    pub(crate) fn new(n: usize, mut hits: Vec<Hit>) -> Hits {
        hits.sort_by_key(|h| (h.start, h.end));
        let mut at = vec![None; n];
        for (k, h) in hits.iter().enumerate() {
            for slot in at.iter_mut().take(h.end.min(n)).skip(h.start) {
                if slot.is_none() {
                    *slot = Some(k);
                }
            }
        }
        Hits { hits, at }
    }

    pub(crate) fn get(&self, i: usize) -> Option<&Hit> {
        self.at
            .get(i)
            .copied()
            .flatten()
            .and_then(|k| self.hits.get(k))
    }
}

/// Options that shape actor resolution.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResolveOpts {
    pub(crate) new_actor_length: usize,
    pub(crate) split_slash: bool,
}

/// Resolves noun phrases to actors.
pub(crate) struct Resolver<'v, 'a> {
    pub(crate) v: &'v View<'a>,
    pub(crate) hits: &'v Hits,
    pub(crate) opts: ResolveOpts,
    /// What [`Resolver::resolve`] found for each phrase head so far: a phrase resolves the
    /// same way every time it is asked about (the verbs of a sentence share their actors).
    memo: RefCell<Vec<Option<Vec<Actor>>>>,
}

/// What a noun phrase resolved to, before conjuncts are added.
struct Own {
    actors: Vec<Actor>,
    /// True when a real (non-null) actor was found.
    has_actor: bool,
}

impl<'v, 'a> Resolver<'v, 'a> {
    pub(crate) fn new(v: &'v View<'a>, hits: &'v Hits, opts: ResolveOpts) -> Resolver<'v, 'a> {
        Resolver {
            v,
            hits,
            opts,
            memo: RefCell::new(vec![None; v.len()]),
        }
    }

    /// Climbs from a token to the head of the noun phrase it names.
    pub(crate) fn np_head(&self, t: usize) -> usize {
        let mut k = t;
        let mut steps = 0;
        while let Some(h) = self.v.heads.get(k).copied().flatten() {
            steps += 1;
            if steps > self.v.len() || !is_core_rel(self.v, k, h) {
                break;
            }
            k = h;
        }
        k
    }

    /// All actors of the phrase headed by `h`, conjuncts included.
    pub(crate) fn resolve(&self, h: usize) -> Vec<Actor> {
        self.with_resolved(h, <[Actor]>::to_vec)
    }

    /// Calls `f` with [`Resolver::resolve`]'s actors of `h`, without copying them.
    pub(crate) fn with_resolved<R>(&self, h: usize, f: impl FnOnce(&[Actor]) -> R) -> R {
        if let Some(Some(found)) = self.memo.borrow().get(h) {
            return f(found);
        }
        let found = self.resolve_depth(h, 0);
        let out = f(&found);
        if let Some(slot) = self.memo.borrow_mut().get_mut(h) {
            *slot = Some(found);
        }
        out
    }

    fn resolve_depth(&self, h: usize, depth: usize) -> Vec<Actor> {
        if depth > 6 || h >= self.v.len() {
            return Vec::new();
        }
        let own = self.own(h, depth);
        let mut out = own.actors;
        let bases: Vec<(String, Vec<SourceRef>)> = if own.has_actor {
            let mut b: Vec<(String, Vec<SourceRef>)> = Vec::new();
            for a in &out {
                if !a.null_actor && !b.iter().any(|(x, _)| *x == a.base) {
                    b.push((
                        a.base.clone(),
                        a.entries.first().cloned().into_iter().collect(),
                    ));
                }
            }
            b
        } else {
            Vec::new()
        };
        let kids: &[usize] = self.v.children.get(h).unwrap_or(&[]);
        let has_conj = kids.iter().any(|&c| self.v.base_rel(c) == "conj");
        for &c in kids {
            if self.v.masked.get(c).copied().unwrap_or(false) {
                continue;
            }
            // An apposition inside a list ("Mordor, the Shire, Arnor and Bree") is a member.
            let list_appos = self.v.base_rel(c) == "appos"
                && own.has_actor
                && (has_conj
                    || self
                        .v
                        .children
                        .get(c)
                        .is_some_and(|k| k.iter().any(|&x| self.v.base_rel(x) == "conj")));
            if self.v.base_rel(c) != "conj" && !list_appos {
                continue;
            }
            for a in self.resolve_depth(c, depth + 1) {
                // "Danish media and government": the conjunct's agent-only phrase shares the
                // first conjunct's actor (and its modifiers).
                if a.null_actor && !a.code.is_empty() && !bases.is_empty() {
                    let agents = a.code.trim_start_matches("---").to_string();
                    for (base, ents) in &bases {
                        let mut e = ents.clone();
                        e.extend(a.entries.iter().cloned());
                        out.push(Actor {
                            code: format!("{base}{agents}"),
                            null_actor: false,
                            base: base.clone(),
                            tokens: a.tokens,
                            entries: e,
                        });
                    }
                    continue;
                }
                out.push(a);
            }
        }
        out
    }

    fn own(&self, h: usize, depth: usize) -> Own {
        let v = self.v;
        let core = core(v, h);
        let mut actors: Vec<(&Hit, &Option<String>)> = Vec::new();
        let mut agents: Vec<&Hit> = Vec::new();
        let mut seen = Vec::new();
        for &t in &core {
            if v.masked.get(t).copied().unwrap_or(false) {
                continue;
            }
            let Some(k) = self.hits.at.get(t).copied().flatten() else {
                continue;
            };
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            let Some(hit) = self.hits.hits.get(k) else {
                continue;
            };
            match &hit.kind {
                HitKind::Actor(c) => actors.push((hit, c)),
                HitKind::Agent { .. } => agents.push(hit),
            }
        }
        let former = |hit: &Hit| former(v, hit);
        let agent_code = |a: &'v Hit| agent_code(v, a);
        // An agent named by a noun modifier outranks the head's own agent: "Chinese foreign
        // ministry spokesperson" is the ministry's voice, CHN + GOV (not + MED), while an
        // adjective adds to it: "Danish Islamist media" is DNK + MUS + MED.
        let hit_head = |a: &Hit| {
            (a.start..a.end).find(|&t| {
                !matches!(v.heads.get(t).copied().flatten(), Some(x) if x >= a.start && x < a.end)
            })
        };
        let noun_modifier = |a: &Hit| {
            matches!(a.kind, HitKind::Agent { prefix: false, .. })
                && !(a.start <= h && h < a.end)
                && hit_head(a).is_some_and(|t| v.base_rel(t) == "compound" && v.is_nominal(t))
        };
        let outranked = agents.iter().any(|a| noun_modifier(a));
        let mut agent_codes: Vec<(&str, bool)> = agents
            .iter()
            .filter(|a| !(outranked && a.start <= h && h < a.end))
            .filter_map(|a| agent_code(a))
            .collect();
        // The agents that are modifiers, not the head word: coordinated heads share them.
        let modifier_codes: Vec<(&str, bool)> = agents
            .iter()
            .filter(|a| !(a.start <= h && h < a.end))
            .filter_map(|a| agent_code(a))
            .collect();
        if agent_codes.is_empty() && actors.first().is_some_and(|(a, _)| former(a)) {
            agent_codes.push(("ELI", false));
        }

        if let Some(&(first, code)) = actors.first() {
            // Coordinated pre-modifiers: "Eriadori and Calenardhon leaders" names two actors.
            let mut named: Vec<(&Hit, &Option<String>)> = vec![(first, code)];
            for &(hit, c) in actors.iter().skip(1) {
                // The phrase's own head: the token whose head lies outside the phrase.
                let head_tok = (hit.start..hit.end).find(|&t| {
                    !matches!(v.heads.get(t).copied().flatten(), Some(x) if x >= hit.start && x < hit.end)
                });
                let is_conj = head_tok.is_some_and(|t| {
                    t != h
                        && v.base_rel(t) == "conj"
                        && v.heads
                            .get(t)
                            .copied()
                            .flatten()
                            .is_some_and(|p| core.contains(&p))
                });
                if is_conj {
                    named.push((hit, c));
                }
            }
            let mut out = Vec::new();
            let mut any_code = false;
            for (hit, code) in named {
                let (s, e) = span_of(std::iter::once(hit).chain(agents.iter().copied()));
                let mut ents = vec![hit.entry.clone()];
                ents.extend(agents.iter().map(|a| a.entry.clone()));
                match code {
                    Some(code) => {
                        any_code = true;
                        for c in self.split(code) {
                            out.push(Actor {
                                code: combine(c, &agent_codes),
                                null_actor: false,
                                base: combine(c, &modifier_codes),
                                tokens: (s, e),
                                entries: ents.clone(),
                            })
                        }
                    }
                    None => out.push(Actor {
                        code: String::new(),
                        null_actor: true,
                        base: String::new(),
                        tokens: (s, e),
                        entries: ents,
                    }),
                }
            }
            return Own {
                actors: out,
                has_actor: any_code,
            };
        }

        // No actor in the core: look through "of/in/from/between" modifiers and appositions.
        let mut borrowed = Vec::new();
        for &c in v.children.get(h).unwrap_or(&[]) {
            if c < h || v.masked.get(c).copied().unwrap_or(false) {
                continue;
            }
            let appos = v.base_rel(c) == "appos";
            if !appos {
                if !v.is_obl_rel(c) || v.rel(c) == "nmod:poss" {
                    continue;
                }
                let prep = v.case_of(c).unwrap_or("");
                if !matches!(prep, "OF" | "IN" | "FROM" | "BETWEEN" | "AMONG") {
                    continue;
                }
            } else if !agents.is_empty() {
                continue;
            }
            for a in self.resolve_depth(c, depth + 1) {
                // Only dictionary actors are borrowed, not new (quoted) ones.
                if a.null_actor || a.code.starts_with('"') {
                    continue;
                }
                let mut ents = a.entries.clone();
                ents.extend(agents.iter().map(|g| g.entry.clone()));
                borrowed.push(Actor {
                    code: combine(&a.code, &agent_codes),
                    null_actor: false,
                    base: combine(&a.code, &modifier_codes),
                    tokens: a.tokens,
                    entries: ents,
                });
            }
            if !borrowed.is_empty() {
                break;
            }
        }
        if !borrowed.is_empty() {
            return Own {
                actors: borrowed,
                has_actor: true,
            };
        }
        if !agents.is_empty() {
            let (s, e) = span_of(agents.iter().copied());
            let code = combine("---", &agent_codes);
            // No actor in the core (it would have returned above): the agents' entries.
            let entries: Vec<SourceRef> = agents.iter().map(|a| a.entry.clone()).collect();
            return Own {
                actors: vec![Actor {
                    code,
                    null_actor: true,
                    base: String::new(),
                    tokens: (s, e),
                    entries,
                }],
                has_actor: false,
            };
        }
        if self.opts.new_actor_length > 0 {
            if let Some(a) = self.new_actor(h, &core) {
                return Own {
                    actors: vec![a],
                    has_actor: true,
                };
            }
        }
        Own {
            actors: Vec::new(),
            has_actor: false,
        }
    }

    /// An actor not in the dictionaries: a short proper-noun phrase, its words (without
    /// possessive markers and punctuation) quoted, as PETRARCH's `new_actor_length` does.
    fn new_actor(&self, h: usize, _core: &[usize]) -> Option<Actor> {
        let v = self.v;
        let proper = |i: usize| v.xpos(i).starts_with("NNP") || v.upos(i) == "PROPN";
        if !v.is_nominal(h) || v.is_pronoun(h) {
            return None;
        }
        // The phrase: the head's subtree without clauses, appositions and conjuncts.
        let mut words: Vec<usize> = Vec::new();
        let mut stack = vec![h];
        while let Some(k) = stack.pop() {
            if words.len() > v.len() {
                break;
            }
            words.push(k);
            for &c in v.children.get(k).unwrap_or(&[]) {
                let r = v.base_rel(c);
                if k == h && matches!(r, "case" | "mark") {
                    continue;
                }
                if matches!(
                    r,
                    "acl" | "appos" | "conj" | "cc" | "punct" | "parataxis" | "advcl" | "ccomp"
                ) {
                    continue;
                }
                stack.push(c);
            }
        }
        words.sort_unstable();
        words
            .retain(|&i| !v.is_punct(i) && v.words[i] != "'S" && v.words[i] != "'" && !v.masked[i]);
        if words.is_empty()
            || words.len() > self.opts.new_actor_length
            || !words.iter().any(|&i| proper(i))
        {
            return None;
        }
        // Only a contiguous phrase names an actor.
        let (s, e) = (*words.first()?, *words.last()? + 1);
        if (s..e).any(|i| !words.contains(&i) && !v.is_punct(i) && v.words[i] != "'S") {
            return None;
        }
        let text: Vec<&str> = words.iter().map(|&i| v.words[i]).collect();
        let code = format!("\"{}\"", text.join(" "));
        Some(Actor {
            code: code.clone(),
            null_actor: false,
            base: code,
            tokens: (s, e),
            entries: Vec::new(),
        })
    }

    /// The codes of a slash code (`ELR/GAL`) when they are split, else the code itself.
    fn split<'c>(&self, code: &'c str) -> impl Iterator<Item = &'c str> {
        let split = self.opts.split_slash && code.contains('/');
        let whole = (!split).then_some(code);
        let parts = split
            .then(|| code.split('/').filter(|c| !c.is_empty()))
            .into_iter()
            .flatten();
        whole.into_iter().chain(parts)
    }
}

fn span_of<'h>(hits: impl Iterator<Item = &'h Hit>) -> (usize, usize) {
    let mut s = usize::MAX;
    let mut e = 0;
    for h in hits {
        s = s.min(h.start);
        e = e.max(h.end);
    }
    if s == usize::MAX {
        (0, 0)
    } else {
        (s, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_join_on_three_letter_boundaries() {
        assert_eq!(combine("GON", &[("GOV", false)]), "GONGOV");
        assert_eq!(combine("LKAREB", &[("REB", false)]), "LKAREB");
        assert_eq!(
            combine("ARN", &[("NGO", true), ("GOV", false)]),
            "NGOARNGOV"
        );
        assert_eq!(combine("---", &[("GOV", false)]), "---GOV");
    }
}
