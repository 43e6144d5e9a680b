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
use std::rc::Rc;

use dyad_types::SourceRef;

use crate::view::{Rel, Sub, View};

/// What a dictionary hit names.
#[derive(Clone, Debug)]
pub(crate) enum HitKind<'d> {
    /// An actor phrase and its code on the sentence date (`None`: null-coded).
    Actor(Option<&'d str>),
    /// An agent phrase: code without `~`, and whether it goes before the actor code.
    Agent { code: &'d str, prefix: bool },
}

/// One dictionary phrase found in the sentence.
#[derive(Clone, Debug)]
pub(crate) struct Hit<'d> {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: HitKind<'d>,
    pub(crate) entry: SourceRef,
}

/// One coded actor (one code) and its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Actor {
    /// Full code; empty for an unidentified actor with no agent. The strings are shared:
    /// a phrase's actors are cloned for every verb that names them.
    pub(crate) code: Rc<str>,
    /// True when no actor phrase was found (code is `---` plus agents, or empty).
    pub(crate) null_actor: bool,
    /// The code without the agent of the phrase head: what a coordinated phrase shares
    /// ("Danish Islamist media and government": `DNKMUS`).
    pub(crate) base: Rc<str>,
    pub(crate) tokens: (usize, usize),
    pub(crate) entries: Rc<[SourceRef]>,
    /// Set when the phrase is an anaphor ("the country", "its army") resolved to an
    /// earlier country: the code names the first candidate.
    pub(crate) anaphor: Option<Rc<Anaphor>>,
}

/// An anaphor and the countries it may refer to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Anaphor {
    /// The countries mentioned before it, most recent first (in its sentence, then in
    /// earlier sentences of the article).
    pub(crate) candidates: Vec<Rc<str>>,
    /// The agents the phrase adds to the country ("its army": `MIL`).
    pub(crate) agents: Vec<(String, bool)>,
    /// The phrase cannot mean the verb's own source's country ("China provided support to
    /// the country"), as "the government" or "its army" can ("Britons urged the
    /// government").
    pub(crate) other_than_source: bool,
    /// Evidence: what the phrase said.
    pub(crate) note: SourceRef,
}

impl Actor {
    /// This actor re-resolved to anaphor candidate `country`.
    pub(crate) fn with_country(&self, an: &Anaphor, country: &str) -> Actor {
        let code: Rc<str> = combine(country, &an.agents).into();
        Actor {
            code: code.clone(),
            base: code,
            ..self.clone()
        }
    }
}

/// The country of an actor code (`PRKGOV` → `PRK`), when it starts with one.
pub(crate) fn country_of(code: &str) -> Option<&'static str> {
    dyad_ontology::split_actor_code(code)?
        .country
        .map(|c| c.code)
}

/// Head nouns that, after "the", refer back to a country named before.
const ANAPHORIC_NOUNS: &[&str] = &["COUNTRY", "NATION", "STATE", "GOVERNMENT", "REGIME"];

/// Of those, the ones that name the country itself, not its government.
const COUNTRY_NOUNS: &[&str] = &["COUNTRY", "NATION", "STATE"];

/// Determiners and adjectives that make a bare agent generic ("other parties", "all
/// sides", "relevant parties"): such a phrase names no particular actor. Quantities
/// ("many civilians") are left alone: they are real targets.
const GENERIC: &[&str] = &["OTHER", "ALL", "ANY", "RELEVANT", "VARIOUS"];

impl Actor {
    pub(crate) fn is_null(&self) -> bool {
        self.code.is_empty() || &*self.code == "---"
    }
}

/// Relations that attach a pre-modifier to the noun it helps name.
fn is_core_rel(v: &View<'_>, child: usize, head: usize) -> bool {
    match v.full_rel(child) {
        (
            Rel::Compound
            | Rel::Flat
            | Rel::Name
            | Rel::Amod
            | Rel::Det
            | Rel::Nummod
            | Rel::Goeswith
            | Rel::Fixed
            | Rel::Mwe
            | Rel::Poss,
            _,
        ) => true,
        (Rel::Nmod, sub) => sub == Sub::Poss || (child < head && v.case_of(child) == Some("'S")),
        (Rel::Case, _) => v.words.get(child).is_some_and(|&w| w == "'S" || w == "'"),
        (Rel::Dep | Rel::Advmod, _) => child < head,
        _ => false,
    }
}

/// A short list of tokens kept on the stack (spilling to the heap past 16).
pub(crate) struct Tokens {
    head: [usize; 16],
    len: usize,
    /// All the tokens, once there are more than `head` holds.
    spill: Vec<usize>,
}

impl Tokens {
    fn new() -> Tokens {
        Tokens {
            head: [0; 16],
            len: 0,
            spill: Vec::new(),
        }
    }

    fn push(&mut self, t: usize) {
        if self.spill.is_empty() {
            if let Some(slot) = self.head.get_mut(self.len) {
                *slot = t;
                self.len += 1;
                return;
            }
            self.spill.extend_from_slice(&self.head);
        }
        self.spill.push(t);
    }

    fn as_mut_slice(&mut self) -> &mut [usize] {
        if self.spill.is_empty() {
            self.head.get_mut(..self.len).unwrap_or(&mut [])
        } else {
            &mut self.spill
        }
    }
}

impl std::ops::Deref for Tokens {
    type Target = [usize];

    fn deref(&self) -> &[usize] {
        if self.spill.is_empty() {
            self.head.get(..self.len).unwrap_or(&[])
        } else {
            &self.spill
        }
    }
}

/// The tokens of the core of the noun phrase headed by `h`, in order.
pub(crate) fn core(v: &View<'_>, h: usize) -> Tokens {
    // `out` is its own work list: tokens are expanded in the order they were found.
    let mut out = Tokens::new();
    out.push(h);
    let mut next = 0;
    while let Some(&k) = out.get(next) {
        next += 1;
        if out.len() > v.len() {
            break;
        }
        for &c in v.children.get(k).unwrap_or(&[]) {
            // Coordinated pre-modifiers belong to the phrase: "Eriadori and Calenardhon leaders".
            let premod_conj = k != h && c < h && v.rel(c) == Rel::Conj;
            if (premod_conj || is_core_rel(v, c, k)) && !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out.as_mut_slice().sort_unstable();
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

/// [`combine`] with the phrase's agents and with its modifiers' agents, as shared strings
/// (one string when the two agree).
fn combine_both(
    actor: &str,
    agents: &[(&str, bool)],
    modifiers: &[(&str, bool)],
) -> (Rc<str>, Rc<str>) {
    let make = |with: &[(&str, bool)]| -> Rc<str> {
        if with.is_empty() {
            Rc::from(actor)
        } else {
            Rc::from(combine(actor, with))
        }
    };
    let code = make(agents);
    let base = if agents == modifiers {
        code.clone()
    } else {
        make(modifiers)
    };
    (code, base)
}

/// Whether the phrase of `hit` follows "former" (its agent becomes `ELI`).
fn former(v: &View<'_>, hit: &Hit<'_>) -> bool {
    hit.start > 0 && v.words.get(hit.start - 1).is_some_and(|&w| w == "FORMER")
}

/// The code of an agent hit and whether it goes before the actor code.
fn agent_code<'h>(v: &View<'_>, a: &'h Hit) -> Option<(&'h str, bool)> {
    match &a.kind {
        HitKind::Agent { code, prefix } => {
            let code = if former(v, a) { "ELI" } else { *code };
            Some((code, *prefix))
        }
        _ => None,
    }
}

/// Dictionary hits indexed by token.
pub(crate) struct Hits<'d> {
    pub(crate) hits: Vec<Hit<'d>>,
    /// For each token, the index of the hit covering it.
    pub(crate) at: Vec<Option<usize>>,
}

impl<'d> Hits<'d> {
    /// The hits of a sentence of `n` tokens, indexed by token in `at`'s room
    /// ([`Hits::into_at`] gives it back).
    pub(crate) fn new_in(n: usize, mut hits: Vec<Hit<'d>>, mut at: Vec<Option<usize>>) -> Hits<'d> {
        hits.sort_by_key(|h| (h.start, h.end));
        at.clear();
        at.resize(n, None);
        for (k, h) in hits.iter().enumerate() {
            for slot in at.iter_mut().take(h.end.min(n)).skip(h.start) {
                if slot.is_none() {
                    *slot = Some(k);
                }
            }
        }
        Hits { hits, at }
    }

    /// The by-token index's buffer, emptied.
    pub(crate) fn into_at(self) -> Vec<Option<usize>> {
        let mut at = self.at;
        at.clear();
        at
    }

    pub(crate) fn get(&self, i: usize) -> Option<&Hit<'d>> {
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
    /// Coding in an article context ([`crate::Coder::code_in_context`]): anaphors resolve,
    /// and agents that only modify another noun ("press briefing", "military support")
    /// or stand generically ("other parties") name no actor.
    pub(crate) in_context: bool,
}

/// Resolves noun phrases to actors.
pub(crate) struct Resolver<'v, 'a> {
    pub(crate) v: &'v View<'a>,
    pub(crate) hits: &'v Hits<'v>,
    pub(crate) opts: ResolveOpts,
    /// The countries of earlier sentences of the article, most recent last.
    prior: &'v [Box<str>],
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
    /// A resolver whose memo reuses `memo`'s room ([`Resolver::into_memo`] gives it back).
    pub(crate) fn new_in(
        v: &'v View<'a>,
        hits: &'v Hits<'v>,
        opts: ResolveOpts,
        prior: &'v [Box<str>],
        mut memo: Vec<Option<Vec<Actor>>>,
    ) -> Resolver<'v, 'a> {
        memo.clear();
        memo.resize(v.len(), None);
        Resolver {
            v,
            hits,
            opts,
            prior,
            memo: RefCell::new(memo),
        }
    }

    /// The memo's buffer, emptied.
    pub(crate) fn into_memo(self) -> Vec<Option<Vec<Actor>>> {
        let mut memo = self.memo.into_inner();
        memo.clear();
        memo
    }

    /// Whether token `t` may head an anaphor ("the country"): worth resolving even
    /// without a dictionary hit.
    pub(crate) fn anaphor_word(&self, t: usize) -> bool {
        self.opts.in_context
            && self
                .v
                .words
                .get(t)
                .is_some_and(|w| ANAPHORIC_NOUNS.contains(w))
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
        // The phrase's own actors' bases, found when a conjunct first needs them (from the
        // actors before any conjunct's were added).
        let own_len = out.len();
        let bases_of = |own: &[Actor]| {
            let mut b: Vec<(Rc<str>, Vec<SourceRef>)> = Vec::new();
            for a in own {
                if !a.null_actor && !b.iter().any(|(x, _)| *x == a.base) {
                    b.push((
                        a.base.clone(),
                        a.entries.first().cloned().into_iter().collect(),
                    ));
                }
            }
            b
        };
        let mut bases: Option<Vec<(Rc<str>, Vec<SourceRef>)>> = None;
        let kids: &[usize] = self.v.children.get(h).unwrap_or(&[]);
        let has_conj = kids.iter().any(|&c| self.v.rel(c) == Rel::Conj);
        for &c in kids {
            if self.v.masked.get(c).copied().unwrap_or(false) {
                continue;
            }
            // An apposition inside a list ("Mordor, the Shire, Arnor and Bree") is a member.
            let list_appos = self.v.rel(c) == Rel::Appos
                && own.has_actor
                && (has_conj
                    || self
                        .v
                        .children
                        .get(c)
                        .is_some_and(|k| k.iter().any(|&x| self.v.rel(x) == Rel::Conj)));
            if self.v.rel(c) != Rel::Conj && !list_appos {
                continue;
            }
            for a in self.resolve_depth(c, depth + 1) {
                // "Danish media and government": the conjunct's agent-only phrase shares the
                // first conjunct's actor (and its modifiers).
                let shares = a.null_actor && !a.code.is_empty() && own.has_actor;
                let bases = match shares {
                    true => {
                        &*bases.get_or_insert_with(|| bases_of(out.get(..own_len).unwrap_or(&[])))
                    }
                    false => &[][..],
                };
                if !bases.is_empty() {
                    let agents = a.code.trim_start_matches("---").to_string();
                    for (base, ents) in bases {
                        let mut e = ents.clone();
                        e.extend(a.entries.iter().cloned());
                        out.push(Actor {
                            code: format!("{base}{agents}").into(),
                            null_actor: false,
                            base: base.clone(),
                            tokens: a.tokens,
                            entries: e.into(),
                            anaphor: a.anaphor.clone(),
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
        let mut actors: Vec<(&Hit<'_>, Option<&str>)> = Vec::new();
        let mut agents: Vec<&Hit<'_>> = Vec::new();
        // Hits do not overlap, so the core tokens of one hit come one after another.
        let mut last: Option<usize> = None;
        for &t in core.iter() {
            if v.masked.get(t).copied().unwrap_or(false) {
                continue;
            }
            let Some(k) = self.hits.at.get(t).copied().flatten() else {
                continue;
            };
            if last == Some(k) {
                continue;
            }
            last = Some(k);
            let Some(hit) = self.hits.hits.get(k) else {
                continue;
            };
            match &hit.kind {
                HitKind::Actor(c) => actors.push((hit, *c)),
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
                && hit_head(a).is_some_and(|t| v.rel(t) == Rel::Compound && v.is_nominal(t))
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
            let is_conj = |&&(hit, _): &&(&Hit<'_>, Option<&str>)| {
                // The phrase's own head: the token whose head lies outside the phrase.
                let head_tok = (hit.start..hit.end).find(|&t| {
                    !matches!(v.heads.get(t).copied().flatten(), Some(x) if x >= hit.start && x < hit.end)
                });
                head_tok.is_some_and(|t| {
                    t != h
                        && v.rel(t) == Rel::Conj
                        && v.heads
                            .get(t)
                            .copied()
                            .flatten()
                            .is_some_and(|p| core.contains(&p))
                })
            };
            let named = std::iter::once((first, code))
                .chain(actors.iter().skip(1).filter(is_conj).copied());
            let mut out = Vec::new();
            let mut any_code = false;
            for (hit, code) in named {
                let (s, e) = span_of(std::iter::once(hit).chain(agents.iter().copied()));
                let ents: Rc<[SourceRef]> = std::iter::once(hit.entry.clone())
                    .chain(agents.iter().map(|a| a.entry.clone()))
                    .collect();
                match code {
                    Some(code) => {
                        any_code = true;
                        for c in self.split(code) {
                            let (code, base) = combine_both(c, &agent_codes, &modifier_codes);
                            out.push(Actor {
                                code,
                                null_actor: false,
                                base,
                                tokens: (s, e),
                                entries: ents.clone(),
                                anaphor: None,
                            })
                        }
                    }
                    None => out.push(Actor {
                        code: "".into(),
                        null_actor: true,
                        base: "".into(),
                        tokens: (s, e),
                        entries: ents,
                        anaphor: None,
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
            let appos = v.rel(c) == Rel::Appos;
            if !appos {
                if !v.is_obl_rel(c) || v.full_rel(c) == (Rel::Nmod, Sub::Poss) {
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
                let ents: Rc<[SourceRef]> = a
                    .entries
                    .iter()
                    .cloned()
                    .chain(agents.iter().map(|g| g.entry.clone()))
                    .collect();
                let (code, base) = combine_both(&a.code, &agent_codes, &modifier_codes);
                borrowed.push(Actor {
                    code,
                    null_actor: false,
                    base,
                    tokens: a.tokens,
                    entries: ents,
                    anaphor: a.anaphor.as_ref().map(|an| {
                        let mut an = Anaphor::clone(an);
                        an.agents
                            .extend(agent_codes.iter().map(|&(c, p)| (c.to_string(), p)));
                        Rc::new(an)
                    }),
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
        if self.opts.in_context {
            if let Some(a) = self.anaphor(h, &core, &agents, &agent_codes) {
                return Own {
                    actors: vec![a],
                    has_actor: true,
                };
            }
            if !agents.is_empty() && self.not_an_actor(h, &core, &agents) {
                return Own {
                    actors: Vec::new(),
                    has_actor: false,
                };
            }
        }
        if !agents.is_empty() {
            let (s, e) = span_of(agents.iter().copied());
            let code = combine("---", &agent_codes);
            // No actor in the core (it would have returned above): the agents' entries.
            let entries: Rc<[SourceRef]> = agents.iter().map(|a| a.entry.clone()).collect();
            return Own {
                actors: vec![Actor {
                    code: code.into(),
                    null_actor: true,
                    base: "".into(),
                    tokens: (s, e),
                    entries,
                    anaphor: None,
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

    /// "the country", "the government", "its army": a phrase that refers back to a
    /// country named earlier in the sentence or the article, resolved to the most recent
    /// one (the verb may still pass over it for the next, see
    /// [`crate::engine`]'s use of [`Anaphor`]).
    fn anaphor(
        &self,
        h: usize,
        core: &[usize],
        agents: &[&Hit<'_>],
        agent_codes: &[(&str, bool)],
    ) -> Option<Actor> {
        let v = self.v;
        let word = |t: usize| v.words.get(t).copied().unwrap_or("");
        let head = word(h);
        // Only "the" (and a possessive 's) with the head: "the same country", "the new
        // government" or "the country that ..." may be another.
        let plain = core.iter().all(|&t| {
            t == h || (v.rel(t) == Rel::Det && word(t) == "THE") || v.rel(t) == Rel::Case
        });
        let definite = ANAPHORIC_NOUNS.contains(&head)
            && plain
            && core.iter().any(|&t| t < h && word(t) == "THE")
            && !v
                .children
                .get(h)
                .unwrap_or(&[])
                .iter()
                .any(|&c| matches!(v.rel(c), Rel::Acl | Rel::Nmod | Rel::Obl | Rel::Appos));
        // "its army": a possessive pronoun before an agent head.
        let head_is_agent = agents.iter().any(|a| a.start <= h && h < a.end);
        let possessive = head_is_agent
            && core
                .iter()
                .any(|&t| t < h && word(t) == "ITS" && v.is_pronoun(t));
        if !(definite || possessive) {
            return None;
        }
        let first = core.first().copied().unwrap_or(h);
        let mut candidates: Vec<Rc<str>> = Vec::new();
        let mut add = |c: &str| {
            if !candidates.iter().any(|x| &**x == c) {
                candidates.push(c.into());
            }
        };
        let before = self.hits.hits.iter().rev().filter(|x| x.end <= first);
        if definite {
            // Countries named before the phrase, most recent first, then in the last
            // sentences.
            for hit in before {
                if let HitKind::Actor(Some(code)) = hit.kind {
                    if let Some(c) = country_of(code) {
                        add(c);
                    }
                }
            }
            for c in self.prior.iter().rev() {
                add(c);
            }
        } else {
            // "its": the nearest actor before it, when that is a country ("Isis and its
            // victims" is not about one).
            let nearest = before
                .filter_map(|x| match x.kind {
                    HitKind::Actor(Some(code)) => Some(code),
                    _ => None,
                })
                .next();
            if let Some(c) = nearest.and_then(country_of) {
                add(c);
            }
        }
        let country = candidates.first()?.clone();
        let mut agent_list: Vec<(String, bool)> = agent_codes
            .iter()
            .map(|&(c, p)| (c.to_string(), p))
            .collect();
        if agent_list.is_empty() && matches!(head, "GOVERNMENT" | "REGIME") {
            agent_list.push(("GOV".to_string(), false));
        }
        let (s, e) = (first, core.last().copied().unwrap_or(h) + 1);
        let phrase: Vec<&str> = (s..e)
            .map(|t| v.s.tokens.get(t).map_or("", |k| k.form.as_str()))
            .collect();
        let note = SourceRef {
            file: format!("<anaphora: resolved from '{}'>", phrase.join(" ")).into(),
            line: u32::try_from(h + 1).unwrap_or(u32::MAX),
        };
        let an = Anaphor {
            candidates,
            agents: agent_list,
            other_than_source: definite && COUNTRY_NOUNS.contains(&head),
            note: note.clone(),
        };
        let code: Rc<str> = combine(&country, &an.agents).into();
        let entries: Rc<[SourceRef]> = agents
            .iter()
            .map(|a| a.entry.clone())
            .chain(std::iter::once(note))
            .collect();
        Some(Actor {
            code: code.clone(),
            null_actor: false,
            base: code,
            tokens: (s, e),
            entries,
            anaphor: Some(Rc::new(an)),
        })
    }

    /// An agent-only phrase that names no actor in context: its agents merely modify a
    /// head that is no agent ("press briefing", "military support", where "military"
    /// may head its own adjectival phrase), or the phrase is generic ("other parties").
    fn not_an_actor(&self, h: usize, core: &[usize], agents: &[&Hit<'_>]) -> bool {
        let v = self.v;
        let head_is_agent = agents.iter().any(|a| a.start <= h && h < a.end);
        if !head_is_agent {
            return true;
        }
        // An adjective ("military" in "economic and military support") is a modifier even
        // where a parser made it the head of its own phrase.
        if !v.is_nominal(h) {
            return true;
        }
        core.iter()
            .any(|&t| t < h && v.words.get(t).is_some_and(|w| GENERIC.contains(w)))
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
                let r = v.rel(c);
                if k == h && matches!(r, Rel::Case | Rel::Mark) {
                    continue;
                }
                if matches!(
                    r,
                    Rel::Acl
                        | Rel::Appos
                        | Rel::Conj
                        | Rel::Cc
                        | Rel::Punct
                        | Rel::Parataxis
                        | Rel::Advcl
                        | Rel::Ccomp
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
        let code: Rc<str> = format!("\"{}\"", text.join(" ")).into();
        Some(Actor {
            code: code.clone(),
            null_actor: false,
            base: code,
            tokens: (s, e),
            entries: Rc::new([]),
            anaphor: None,
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

fn span_of<'h, 'd: 'h>(hits: impl Iterator<Item = &'h Hit<'d>>) -> (usize, usize) {
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
    fn token_lists_keep_every_token_past_their_stack_room() {
        let mut t = Tokens::new();
        let want: Vec<usize> = (0..40).rev().collect();
        for (k, &x) in want.iter().enumerate() {
            t.push(x);
            assert_eq!(&*t, &want[..=k]);
        }
        t.as_mut_slice().sort_unstable();
        assert_eq!(t.to_vec(), (0..40).collect::<Vec<_>>());
        let mut short = Tokens::new();
        short.push(3);
        short.push(1);
        short.as_mut_slice().sort_unstable();
        assert_eq!(&*short, &[1, 3]);
    }

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
