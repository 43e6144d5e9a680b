//! The coding procedure for one sentence.
//!
//! 1. Discards: a sentence containing a discard phrase is not coded.
//! 2. Comma rule: short comma-delimited clauses (appositions, attributions) are masked,
//!    unless they hold a member of a coordinated list or the sentence's main predicate.
//! 3. Actor and agent phrases are found (longest match, left to right) and grouped into
//!    noun phrases through the dependency tree ([`crate::mentions`]).
//! 4. Every dictionary verb is coded: the patterns of its block(s) are tried longest first;
//!    the first that matches gives the code and any designated actors (`$`, `+`, `%`, `^`);
//!    otherwise the verb's own code applies. TABARI/PETRARCH-1 patterns are matched over
//!    the words around the verb (the clause after it); PETRARCH-2 patterns over the verb's
//!    subject and its nominal dependents only. With a coding ontology (PICO), a negated
//!    PETRARCH-2 verb takes the negated code.
//! 5. Source and target not designated by the pattern come from the dependency tree: the
//!    subject (climbing through open complements, coordination, relative clauses and
//!    pronouns) is the source, the first actor after the verb in its clause the target;
//!    in the passive the subject is the target and the `by` agent the source (TABARI
//!    reverses only when there is a `by` agent; PETRARCH-2 always).
//! 6. One event per source × target actor (compound actors), plus the reciprocal event of a
//!    pair code (`[032:033]`).
//! 7. Redundant events are dropped ([`superseded`]): a default-coded verb yields to its
//!    coded open complement, reported events yield to the statement that reports them, and
//!    one-sided events yield to the dyad whose clause contains them. Subordinate codes
//!    (`023?`) are kept only when nothing else codes.

use dyad_dict::{DiscardScope, EventCode, VerbMatch, VerbSyntax};
use dyad_types::{ActorMention, Event, ParsedSentence};

use crate::lists::TextWords;
use crate::matcher::{match_side, Bindings, Compiled, Context, Present, WordId};
use crate::mentions::{core, country_of, Actor, Hit, HitKind, Hits, ResolveOpts, Resolver};
use crate::scratch::{self, Scratch};
use crate::view::{Folded, Rel, Sub, View};
use crate::{ArticleContext, Coding, Inner, Outcome, Rejection, VerbReport};
use std::rc::Rc;

struct Ctx<'r, 'v, 'a> {
    r: &'r Resolver<'v, 'a>,
    ids: &'r WordIds,
}

impl Context for Ctx<'_, '_, '_> {
    fn words(&self) -> &[WordId] {
        &self.ids.words
    }

    fn lemmas(&self) -> &[WordId] {
        &self.ids.lemmas
    }

    fn actor_at(&self, t: usize, compound: bool) -> Option<(usize, usize)> {
        self.r.hits.get(t)?;
        if self.r.v.masked.get(t).copied().unwrap_or(true) {
            return None;
        }
        let h = self.r.np_head(t);
        let mut end = core(self.r.v, h).last().copied().unwrap_or(t).max(t);
        if let Some(hit) = self.r.hits.get(t) {
            end = end.max(hit.end.saturating_sub(1));
        }
        if compound {
            for c in conjuncts(self.r.v, h) {
                end = end.max(core(self.r.v, c).last().copied().unwrap_or(c));
            }
        }
        Some((h, end))
    }

    fn phrase_at(&self, t: usize) -> Option<(usize, usize)> {
        let v = self.r.v;
        if v.masked.get(t).copied().unwrap_or(true) || v.is_punct(t) {
            return None;
        }
        let h = self.r.np_head(t);
        if !v.is_nominal(h) {
            return None;
        }
        Some((h, core(v, h).last().copied().unwrap_or(t).max(t)))
    }

    fn is_compound(&self, h: usize) -> bool {
        self.r.with_resolved(h, |found| {
            found.iter().filter(|a| !a.is_null()).count() >= 2
        })
    }
}

/// A handful of distinct actor codes: a list beats a hash set at these sizes, and the
/// first few live on the stack.
#[derive(Default)]
struct CodeSet<'c> {
    head: [&'c str; 4],
    len: usize,
    more: Vec<&'c str>,
}

impl<'c> CodeSet<'c> {
    fn iter(&self) -> impl Iterator<Item = &'c str> + '_ {
        self.head
            .iter()
            .take(self.len)
            .chain(self.more.iter())
            .copied()
    }

    fn contains(&self, code: &str) -> bool {
        self.iter().any(|c| c == code)
    }

    fn len(&self) -> usize {
        self.len + self.more.len()
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn insert(&mut self, code: &'c str) {
        if self.contains(code) {
            return;
        }
        match self.head.get_mut(self.len) {
            Some(slot) => {
                *slot = code;
                self.len += 1;
            }
            None => self.more.push(code),
        }
    }
}

impl<'c> FromIterator<&'c str> for CodeSet<'c> {
    fn from_iter<I: IntoIterator<Item = &'c str>>(iter: I) -> CodeSet<'c> {
        let mut set = CodeSet::default();
        for c in iter {
            set.insert(c);
        }
        set
    }
}

fn conjuncts(v: &View<'_>, h: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = vec![h];
    while let Some(k) = stack.pop() {
        if out.len() > v.len() {
            break;
        }
        for &c in v.children.get(k).unwrap_or(&[]) {
            if v.rel(c) == Rel::Conj && !out.contains(&c) {
                out.push(c);
                stack.push(c);
            }
        }
    }
    out
}

/// Masks comma-delimited clauses whose length (in words) falls in the configured ranges.
fn comma_mask(v: &mut View<'_>, o: &crate::CoderOptions) {
    let n = v.len();
    let commas: Vec<usize> = (0..n).filter(|&i| v.words[i] == ",").collect();
    if commas.is_empty() {
        return;
    }
    let words_in = |v: &View<'_>, a: usize, b: usize| (a..b).filter(|&i| !v.is_punct(i)).count();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    // Beginning clause.
    if o.comma_bmax > 0 {
        let first = commas[0];
        let len = words_in(v, 0, first);
        if len >= o.comma_bmin && len <= o.comma_bmax {
            spans.push((0, first + 1));
        }
    }
    // Internal clauses.
    if o.comma_max > 0 {
        for w in commas.windows(2) {
            let (a, b) = (w[0], w[1]);
            let len = words_in(v, a + 1, b);
            if len >= o.comma_min && len <= o.comma_max {
                spans.push((a, b));
            }
        }
    }
    // End clause.
    if o.comma_emax > 0 {
        if let Some(&last) = commas.last() {
            let len = words_in(v, last + 1, n);
            if len >= o.comma_emin && len <= o.comma_emax {
                spans.push((last, n));
            }
        }
    }
    for (a, b) in spans {
        // A segment holding an item of a coordinated list ("Mordor, the Shire, Fornost and
        // Bree") is part of the list, not a parenthetical clause.
        let b = b.min(n);
        let has_conj = |k: usize| {
            v.children
                .get(k)
                .is_some_and(|c| c.iter().any(|&x| v.rel(x) == Rel::Conj))
        };
        let list_item = (a..b).any(|i| {
            let outside = v
                .heads
                .get(i)
                .copied()
                .flatten()
                .filter(|&h| h < a || h >= b);
            match (v.rel(i), outside) {
                (Rel::Conj, Some(_)) => true,
                // "Mordor, the Shire, Arnor and Bree": an apposition inside a coordination.
                (Rel::Appos, Some(h)) => has_conj(h) || has_conj(i),
                _ => false,
            }
        });
        // Nor is the clause that holds the sentence's main predicate.
        let holds_root =
            (a..b).any(|i| v.heads.get(i).copied().flatten().is_none() && !v.is_punct(i));
        if list_item || holds_root {
            continue;
        }
        for i in a..b {
            // Keep final punctuation visible; it names nothing anyway.
            v.masked[i] = true;
        }
    }
}

/// The actor and agent phrases of the sentence; `covered` is work space.
fn find_hits<'i>(inner: &'i Inner, v: &View<'_>, covered: &mut Vec<bool>) -> Vec<Hit<'i>> {
    let n = v.len();
    let date = v.s.date;
    let mut hits = Vec::with_capacity(n / 2 + 1);
    covered.clear();
    covered.resize(n, false);
    let actors = inner.dicts.actors();
    let mut i = 0;
    while i < n {
        if v.masked[i] {
            i += 1;
            continue;
        }
        // Not `lookup_on` (case-sensitive phrases, nearest-date records), even on running
        // text: its case rule loses the Guardian's "Isis" (stored as "ISIS").
        let found = actors
            .longest_match(&v.words, i)
            .map(|m| (m.len, m.phrase_at, m.entry.code_on(date)));
        if let Some((len, phrase_at, code)) = found {
            let end = (i + len.max(1)).min(n);
            if (i..end).all(|k| !v.masked[k]) {
                hits.push(Hit {
                    start: i,
                    end,
                    kind: HitKind::Actor(code),
                    entry: phrase_at.clone(),
                });
                for c in covered.iter_mut().take(end).skip(i) {
                    *c = true;
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    let mut i = 0;
    while i < n {
        if v.masked[i] || covered[i] {
            i += 1;
            continue;
        }
        if let Some(m) = inner.dicts.agents().longest_match(&v.words, i) {
            let end = (i + m.len.max(1)).min(n);
            if (i..end).all(|k| !v.masked[k] && !covered[k]) {
                hits.push(Hit {
                    start: i,
                    end,
                    kind: HitKind::Agent {
                        code: &m.entry.code,
                        prefix: m.entry.placement == dyad_dict::AgentPlacement::Prefix,
                    },
                    entry: m.entry.at.clone(),
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
    hits
}

/// Relations of tokens that are never coded as verbs themselves.
fn non_coding_rel(v: &View<'_>, i: usize) -> bool {
    matches!(
        v.rel(i),
        Rel::Aux | Rel::Cop | Rel::Amod | Rel::Compound | Rel::Case | Rel::Mark | Rel::Det
    )
}

/// The tokens of verb `x`'s clause: its subtree without coordinated clauses or parataxis.
fn clause_tokens(v: &View<'_>, x: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(v.len());
    clause_tokens_into(v, x, &mut out);
    out
}

/// [`clause_tokens`] into `out`.
fn clause_tokens_into(v: &View<'_>, x: usize, out: &mut Vec<usize>) {
    // `out` is its own work list: tokens are expanded in the order they were found.
    out.clear();
    out.push(x);
    let mut next = 0;
    while let Some(&k) = out.get(next) {
        next += 1;
        if out.len() > v.len() {
            break;
        }
        for &c in v.children.get(k).unwrap_or(&[]) {
            let r = v.rel(c);
            let clausal_conj = r == Rel::Conj && k == x && (v.is_verb(c) || has_subject(v, c));
            if clausal_conj || r == Rel::Parataxis {
                continue;
            }
            out.push(c);
        }
    }
    out.sort_unstable();
}

/// The clause without its embedded finite or adverbial clauses: what PETRARCH-2 patterns
/// look at after the verb.
///
/// A token is cut off when it is, or hangs below, such a clause (other than `x`); each
/// token's verdict is found once, walking up to the first token whose verdict is known.
fn nominal_part(v: &View<'_>, x: usize, clause: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(clause.len());
    nominal_part_into(v, x, clause, &mut out, &mut Vec::new(), &mut Vec::new());
    out
}

/// [`nominal_part`] into `out`, with work space `state` and `path`.
fn nominal_part_into(
    v: &View<'_>,
    x: usize,
    clause: &[usize],
    out: &mut Vec<usize>,
    state: &mut Vec<u8>,
    path: &mut Vec<usize>,
) {
    let cuts = |t: usize| {
        t != x
            && matches!(
                v.full_rel(t),
                (
                    Rel::Ccomp | Rel::Advcl | Rel::Parataxis | Rel::Csubj,
                    Sub::None
                ) | (Rel::Acl, Sub::Relcl)
                    | (Rel::Csubj, Sub::Pass)
            )
            && !open_complement(v, t)
    };
    const UNKNOWN: u8 = 0;
    const KEPT: u8 = 1;
    const CUT: u8 = 2;
    state.clear();
    state.resize(v.len(), UNKNOWN);
    if let Some(s) = state.get_mut(x) {
        *s = KEPT;
    }
    out.clear();
    for &t in clause {
        path.clear();
        let mut k = t;
        let verdict = loop {
            match state.get(k).copied() {
                Some(UNKNOWN) => {}
                Some(known) => break known,
                None => break KEPT,
            }
            if cuts(k) {
                break CUT;
            }
            path.push(k);
            match v.heads.get(k).copied().flatten() {
                Some(h) if path.len() <= v.len() => k = h,
                _ => break KEPT,
            }
        };
        if verdict == CUT {
            if let Some(s) = state.get_mut(k) {
                *s = CUT;
            }
        }
        for &p in path.iter() {
            if let Some(s) = state.get_mut(p) {
                *s = verdict;
            }
        }
        if verdict == KEPT {
            out.push(t);
        }
    }
}

/// English verbs whose object is the understood subject of their infinitive ("urge X to",
/// "ask X to", "force X to"): a closed class of asking, telling and causing verbs.
const OBJECT_CONTROL: &[&str] = &[
    "ADVISE",
    "ALLOW",
    "APPEAL",
    "ASK",
    "AUTHORIZE",
    "BEG",
    "CALL",
    "CAUSE",
    "CHALLENGE",
    "COMMAND",
    "COMPEL",
    "CONVINCE",
    "DARE",
    "DIRECT",
    "ENABLE",
    "ENCOURAGE",
    "EXHORT",
    "EXPECT",
    "FORBID",
    "FORCE",
    "HELP",
    "IMPLORE",
    "INSTRUCT",
    "INVITE",
    "LEAD",
    "OBLIGE",
    "ORDER",
    "PERMIT",
    "PERSUADE",
    "PRESS",
    "PRESSURE",
    "PRESSURIZE",
    "PROMPT",
    "PUSH",
    "REMIND",
    "REQUEST",
    "REQUIRE",
    "TELL",
    "TEACH",
    "TEMPT",
    "URGE",
    "WANT",
    "WARN",
];

/// Whether verb `p` passes control of its infinitive to its object, judged from its lemma
/// or, without one, from its form (regular inflections stripped).
fn object_control(v: &View<'_>, p: usize) -> bool {
    let lemma = v.lemmas.get(p).copied().unwrap_or("");
    let form = v.words.get(p).copied().unwrap_or("");
    let candidates = [
        lemma,
        form,
        form.strip_suffix("ED").unwrap_or(""),
        form.strip_suffix("D").unwrap_or(""),
        form.strip_suffix("S").unwrap_or(""),
        form.strip_suffix("ING").unwrap_or(""),
    ];
    let irregular = matches!(
        form,
        "TOLD" | "ASKED" | "LED" | "TAUGHT" | "FORBADE" | "FORBIDDEN" | "BADE"
    );
    irregular
        || candidates
            .iter()
            .any(|c| !c.is_empty() && OBJECT_CONTROL.contains(c))
}

/// An open complement: `xcomp`, or a subjectless to-infinitive a parser attached as
/// `advcl` ("vowed on Thursday to wage war").
fn open_complement(v: &View<'_>, y: usize) -> bool {
    match v.rel(y) {
        Rel::Xcomp => true,
        Rel::Advcl => {
            !has_subject(v, y)
                && v.children.get(y).is_some_and(|k| {
                    k.iter()
                        .any(|&c| v.rel(c) == Rel::Mark && v.words[c] == "TO")
                })
        }
        _ => false,
    }
}

fn has_subject(v: &View<'_>, x: usize) -> bool {
    v.children
        .get(x)
        .is_some_and(|k| k.iter().any(|&c| v.is_subj_rel(c) || v.is_pass_subj_rel(c)))
}

/// The subject of verb `x`: its own, or one inherited through control, coordination,
/// relative clauses and pronoun reference. Returns the head token and whether that
/// subject is the verb's own passive subject.
fn subject_of(v: &View<'_>, x: usize) -> Option<(usize, bool)> {
    let mut k = x;
    let mut pronoun: Option<(usize, bool)> = None;
    for _ in 0..10 {
        let own = v.children.get(k).and_then(|kids| {
            kids.iter()
                .copied()
                .find(|&c| v.is_subj_rel(c) || v.is_pass_subj_rel(c))
        });
        // A governing clause whose subject was masked (a parenthetical attribution such as
        // ", a senior official said") lends no subject.
        if own.is_some_and(|s| v.masked[s]) && k != x {
            break;
        }
        if let Some(s) = own {
            let passive = k == x && v.is_pass_subj_rel(s);
            if !v.is_pronoun(s) {
                return Some((s, passive));
            }
            if pronoun.is_none() {
                pronoun = Some((s, passive));
            }
        }
        let parent = match v.heads.get(k).copied().flatten() {
            Some(p) => p,
            None => break,
        };
        match v.rel(k) {
            _ if own.is_none() && open_complement(v, k) => {
                // Object control with verbs of asking and causing: "urged Bree to help";
                // otherwise the subject controls ("hosted Osgiliath to celebrate").
                let object = v
                    .children
                    .get(parent)
                    .and_then(|kids| kids.iter().copied().find(|&c| v.is_obj_rel(c)));
                if let Some(o) = object.filter(|_| object_control(v, parent)) {
                    return Some((o, false));
                }
                k = parent;
            }
            Rel::Conj if own.is_none() => k = parent,
            Rel::Acl if own.is_none() && !v.is_nominal(parent) => k = parent,
            Rel::Acl if own.is_none() => {
                // "the parade supporting Gondor": the modified noun acts; a past participle
                // ("troops sent by X") is passive, its noun the target.
                let passive = v.xpos(k) == "VBN";
                return Some((parent, passive && k == x));
            }
            Rel::Xcomp | Rel::Conj | Rel::Ccomp | Rel::Advcl | Rel::Parataxis
                if pronoun.is_some() =>
            {
                k = parent
            }
            _ => break,
        }
    }
    pronoun
}

struct Roles {
    sources: Vec<Actor>,
    targets: Vec<Actor>,
}

fn first_actor_after(
    r: &Resolver<'_, '_>,
    clause: &[usize],
    after: usize,
    exclude: &CodeSet<'_>,
    skip: &[bool],
) -> Vec<Actor> {
    let v = r.v;
    let mut fallback: Vec<Actor> = Vec::new();
    // Phrase heads already tried: a handful per clause, so a list beats a hash set (on
    // the stack for the first few).
    let mut done = SmallList::default();
    for &t in clause.iter().filter(|&&t| t >= after) {
        // Dictionary actors, or (with new_actor_length) any noun phrase head.
        let candidate = r.hits.get(t).is_some()
            || (r.opts.new_actor_length > 0 && v.is_nominal(t) && r.np_head(t) == t)
            || r.anaphor_word(t);
        let skipped = |k: usize| skip.get(k).copied().unwrap_or(false);
        if v.masked[t] || skipped(t) || !candidate {
            continue;
        }
        let h = r.np_head(t);
        if done.contains(&h) {
            continue;
        }
        done.push(h);
        if skipped(h) {
            continue;
        }
        // Some(actors): the answer; None: look further (maybe after setting `fallback`).
        let answer = r.with_resolved(h, |found| {
            // "China provided support to the country": not China.
            let redirected: Vec<Actor>;
            let found = if found.iter().any(refers_past) {
                let own: Vec<&str> = exclude.iter().filter_map(country_of).collect();
                redirected = found.iter().filter_map(|a| past(a, &own)).collect();
                redirected.as_slice()
            } else {
                found
            };
            // A group is passed over only when all its actors are excluded (the source).
            let all_excluded = found
                .iter()
                .filter(|a| !a.is_null())
                .all(|a| exclude.contains(&a.code));
            if all_excluded {
                return None;
            }
            let good = || found.iter().filter(|a| !a.is_null());
            if good().any(|a| !a.null_actor) {
                return Some(
                    good()
                        .filter(|a| !a.null_actor || !a.code.starts_with("---"))
                        .cloned()
                        .collect(),
                );
            }
            if fallback.is_empty() {
                fallback = good().cloned().collect();
            }
            None
        });
        if let Some(actors) = answer {
            return actors;
        }
    }
    fallback
}

/// A list of token numbers that keeps its first few on the stack.
#[derive(Default)]
struct SmallList {
    head: [usize; 8],
    len: usize,
    more: Vec<usize>,
}

impl SmallList {
    fn contains(&self, x: &usize) -> bool {
        self.head.iter().take(self.len).any(|h| h == x) || self.more.contains(x)
    }

    fn push(&mut self, x: usize) {
        match self.head.get_mut(self.len) {
            Some(slot) => {
                *slot = x;
                self.len += 1;
            }
            None => self.more.push(x),
        }
    }
}

/// TABARI's default source: the first actor from the start of the sentence, before the
/// verb, whose code is not excluded.
fn first_actor_before(r: &Resolver<'_, '_>, before: usize, exclude: &CodeSet<'_>) -> Vec<Actor> {
    let v = r.v;
    let mut done = SmallList::default();
    for t in 0..before.min(v.len()) {
        if v.masked[t] || r.hits.get(t).is_none() {
            continue;
        }
        let h = r.np_head(t);
        if done.contains(&h) {
            continue;
        }
        done.push(h);
        let good: Vec<Actor> = r.with_resolved(h, |found| {
            found
                .iter()
                .filter(|a| !a.null_actor && !exclude.contains(&a.code))
                .cloned()
                .collect()
        });
        if !good.is_empty() {
            return good;
        }
    }
    Vec::new()
}

/// The "by" agent of a passive verb: its `obl:agent` (or `by` oblique), or one a parser
/// hung on an adverb of the verb ("opposed earlier by Osgiliath").
fn agent_of(v: &View<'_>, x: usize) -> Option<usize> {
    let kids = v.children.get(x)?;
    if let Some(&a) = kids.iter().find(|&&c| v.is_agent(c)) {
        return Some(a);
    }
    kids.iter()
        .filter(|&&c| v.rel(c) == Rel::Advmod)
        .flat_map(|&c| v.children.get(c).unwrap_or(&[]).iter().copied())
        .find(|&g| v.is_obl_rel(g) && v.case_of(g) == Some("BY"))
}

/// What code_verb already knows about a verb's clause, shared with the role finders.
struct Site<'c> {
    /// [`clause_tokens`] of the verb.
    clause: &'c [usize],
    /// [`subject_of`] the verb.
    subject: Option<(usize, bool)>,
    /// The subject's subtree, when already computed.
    subject_tree: Option<&'c [usize]>,
    /// [`nominal_part`] of the clause, when already computed.
    nominal: Option<&'c [usize]>,
    /// Work space for the tokens the target is not looked for in.
    skip: &'c mut Vec<bool>,
}

/// `agent_needed`: TABARI reverses source and target in the passive only when a "by" agent
/// is present; PETRARCH-2 (and UD-PETRARCH) whenever the verb is passive.
///
/// `site` holds what the caller already found about `x`.
fn default_roles(
    r: &Resolver<'_, '_>,
    m: &VerbMatch<'_>,
    x: usize,
    site: &mut Site<'_>,
    agent_needed: bool,
) -> Roles {
    let v = r.v;
    let clause = site.clause;
    let subj = site.subject;
    let agent = agent_of(v, x);
    let has_agent = agent.is_some();
    let passive = (v.is_passive(x) || subj.is_some_and(|(_, p)| p)) && (has_agent || !agent_needed);
    let subj_actors = match subj {
        Some((s, _)) => r.resolve(s),
        // An infinitive whose controller could not be found (a misattached "to" clause):
        // TABARI's default, the first actor before the verb. Gerund adverbials ("after
        // leaving Eriador") and other subjectless clauses get no source.
        None if open_complement(v, x) => first_actor_before(r, m.start, &CodeSet::default()),
        None => Vec::new(),
    };
    // The subject's phrase is not the target.
    let skip = &mut *site.skip;
    skip.clear();
    skip.resize(v.len(), false);
    let computed;
    let subject_tree = match (site.subject_tree, subj) {
        (Some(tree), _) => tree,
        (None, Some((s, _))) => {
            computed = v.subtree(s);
            computed.as_slice()
        }
        (None, None) => &[],
    };
    for &t in subject_tree {
        if let Some(k) = skip.get_mut(t) {
            *k = true;
        }
    }
    if passive {
        let exclude: CodeSet<'_> = subj_actors.iter().map(|a| &*a.code).collect();
        let sources = match agent {
            Some(a) => r.resolve(a),
            // No agent: the first actor among the verb's own nominal dependents ("was shot
            // dead in Osgiliath"), not one inside an embedded clause.
            None => {
                let computed;
                let nominal = match site.nominal {
                    Some(n) => n,
                    None => {
                        computed = nominal_part(v, x, clause);
                        computed.as_slice()
                    }
                };
                first_actor_after(r, nominal, m.end, &exclude, skip)
            }
        };
        Roles {
            sources,
            targets: subj_actors,
        }
    } else {
        let exclude: CodeSet<'_> = subj_actors
            .iter()
            .filter(|a| !a.is_null())
            .map(|a| &*a.code)
            .collect();
        let targets = first_actor_after(r, clause, m.end, &exclude, skip);
        Roles {
            sources: subj_actors,
            targets,
        }
    }
}

/// Codes one sentence.
/// What one verb produced before the sentence-level selection.
struct VerbEvents {
    /// The verb token.
    x: usize,
    /// Index of the verb's report in [`Coding::verbs`].
    report: usize,
    events: Vec<Event>,
    /// Events of subordinate codes (`023?`): kept only when nothing else codes.
    subordinate: Vec<Event>,
    /// Tokens of the words the verb's pattern consumed.
    pattern_words: Vec<usize>,
    /// The code came from a pattern, not the verb's default.
    patterned: bool,
}

/// The sentence's words and lemmas as [`crate::matcher::Lexicon`] ids.
struct WordIds {
    words: Vec<WordId>,
    lemmas: Vec<WordId>,
    /// Every id among words and lemmas, once each.
    present: Vec<WordId>,
    /// The same as a bit set over word ids.
    bits: Vec<u64>,
}

impl WordIds {
    fn new_in(inner: &Inner, v: &View<'_>, sc: &mut Scratch) -> WordIds {
        let lex = &inner.lexicon;
        let mut words = scratch::take(&mut sc.word_ids);
        words.extend(v.words.iter().map(|w| lex.id(w)));
        let mut lemmas = scratch::take(&mut sc.lemma_ids);
        // A lemma spelled as its word (most are) has the word's id.
        lemmas.extend(
            v.lemmas
                .iter()
                .zip(v.words.iter().zip(&words))
                .map(|(l, (w, &id))| if l == w { id } else { lex.id(l) }),
        );
        let mut present = scratch::take(&mut sc.present);
        // The bit set stays allocated (and zero) between sentences.
        let mut bits = std::mem::take(&mut sc.present_bits);
        bits.resize(lex.len().div_ceil(64), 0);
        for &w in words.iter().chain(&lemmas) {
            if w == crate::matcher::NO_WORD {
                continue;
            }
            if let Some(b) = bits.get_mut(w as usize / 64) {
                let bit = 1u64 << (w % 64);
                if *b & bit == 0 {
                    *b |= bit;
                    present.push(w);
                }
            }
        }
        WordIds {
            words,
            lemmas,
            present,
            bits,
        }
    }

    fn present(&self) -> Present<'_> {
        Present {
            list: &self.present,
            bits: &self.bits,
        }
    }

    fn recycle(mut self, sc: &mut Scratch) {
        for &w in &self.present {
            if let Some(b) = self.bits.get_mut(w as usize / 64) {
                *b = 0;
            }
        }
        sc.present_bits = self.bits;
        scratch::put(&mut sc.word_ids, self.words);
        scratch::put(&mut sc.lemma_ids, self.lemmas);
        scratch::put(&mut sc.present, self.present);
    }
}

/// Everything the per-verb step needs about the sentence.
struct Sentence<'i, 'r, 'v, 'a> {
    inner: &'i Inner,
    /// Fill the text of the verb reports (only [`crate::Coder::code_detailed`] shows them).
    detailed: bool,
    s: &'a ParsedSentence,
    r: &'r Resolver<'v, 'a>,
    ids: &'r WordIds,
}

/// Codes one sentence; `detailed`: fill in the text of the verb reports; `context`: the
/// article so far (anaphors resolve against it, and the sentence's countries are added).
pub(crate) fn code(
    inner: &Inner,
    s: &ParsedSentence,
    detailed: bool,
    context: Option<&mut ArticleContext>,
) -> Coding {
    let mut coding = Coding {
        events: Vec::new(),
        outcome: Outcome::NoEvents,
        verbs: Vec::new(),
    };
    if s.tokens.is_empty() {
        coding.outcome = Outcome::Empty;
        return coding;
    }
    scratch::with(|sc| {
        let folded = Folded::new_in(s, sc);
        let v = View::new_in(s, &folded, sc);
        // Discards and issues look at the words of the text (the tokens when there is none).
        let text_words = TextWords::new_in(&s.text, sc);
        let mut words_for_lists = text_words.words_into(scratch::lend(&mut sc.text_words));
        if words_for_lists.is_empty() {
            words_for_lists.extend_from_slice(&v.words);
        }
        let ids = WordIds::new_in(inner, &v, sc);
        let v = code_view(
            inner,
            v,
            &ids,
            &words_for_lists,
            detailed,
            &mut sc.verb,
            context,
            &mut coding,
        );
        ids.recycle(sc);
        scratch::give_back(&mut sc.text_words, words_for_lists);
        v.recycle(sc);
        text_words.recycle(sc);
        folded.recycle(sc);
    });
    coding
}

/// [`code`] over the sentence's view, filling `coding`; gives the view back.
#[allow(clippy::too_many_arguments)] // The parts of one sentence, each borrowed differently.
fn code_view<'a>(
    inner: &Inner,
    mut v: View<'a>,
    ids: &WordIds,
    words_for_lists: &[&str],
    detailed: bool,
    bufs: &mut VerbBufs,
    context: Option<&mut ArticleContext>,
    coding: &mut Coding,
) -> View<'a> {
    let s = v.s;
    if let Some(e) = inner
        .discards
        .check(inner.dicts.discards(), words_for_lists)
    {
        coding.outcome = Outcome::Discarded {
            story: e.scope == DiscardScope::Story,
            entry: e.at.clone(),
        };
        return v;
    }
    comma_mask(&mut v, &inner.options);
    let hits = Hits::new_in(
        v.len(),
        find_hits(inner, &v, &mut bufs.covered),
        std::mem::take(&mut bufs.hit_at),
    );
    let r = Resolver::new_in(
        &v,
        &hits,
        ResolveOpts {
            new_actor_length: inner.options.new_actor_length,
            split_slash: inner.options.split_slash_codes,
            in_context: context.is_some(),
        },
        context.as_deref().map_or(&[], |c| c.countries.as_slice()),
        std::mem::take(&mut bufs.memo),
    );
    let cx = Sentence {
        inner,
        detailed,
        s,
        r: &r,
        ids,
    };
    let verbs = inner.dicts.verbs();

    let mut used_verb_tokens = scratch::take(&mut bufs.used);
    used_verb_tokens.resize(v.len(), false);
    let mut coded: Vec<VerbEvents> = Vec::with_capacity(4);
    // The longest verb entries at a token (reused from token to token).
    let mut ms: Vec<VerbMatch<'_>> = Vec::new();
    for x in 0..v.len() {
        if used_verb_tokens[x] || v.masked[x] || !v.is_verb(x) || non_coding_rel(&v, x) {
            continue;
        }
        // Every verb entry with this form (a verb may be listed in several blocks): the
        // longest forms; patterns of all their blocks compete, the last-loaded code that
        // is not null is the default.
        ms.clear();
        ms.extend(verbs.matches_at(&v.words, x));
        let Some(best_len) = ms.iter().map(|m| m.end - m.start).max() else {
            continue;
        };
        ms.retain(|m| m.end - m.start == best_len);
        let Some(m) = ms
            .iter()
            .rev()
            .find(|m| !m.entry.code.is_null())
            .or(ms.first())
            .copied()
        else {
            continue;
        };
        if (m.start..m.end).any(|k| v.masked.get(k).copied().unwrap_or(true)) {
            continue;
        }
        for u in used_verb_tokens.iter_mut().take(m.end).skip(m.start) {
            *u = true;
        }
        let (report, events) = code_verb(&cx, x, &m, &ms, bufs);
        if let Some(mut e) = events {
            e.report = coding.verbs.len();
            coded.push(e);
        }
        coding.verbs.push(report);
    }

    let dropped = superseded(&v, &coded);
    // Each (source, target, code) once, in verb order; the events move, not copied.
    let push = |events: &mut Vec<Event>, ev: Event| {
        let seen = events.iter().any(|e| {
            e.source.code == ev.source.code && e.target.code == ev.target.code && e.code == ev.code
        });
        if !seen {
            events.push(ev);
        }
    };
    for ve in &mut coded {
        let produced = ve.events.len();
        let mut kept = 0;
        for (k, ev) in std::mem::take(&mut ve.events).into_iter().enumerate() {
            if !dropped.contains(&(ve.x, k)) {
                push(&mut coding.events, ev);
                kept += 1;
            }
        }
        if kept == 0 && produced > 0 {
            if let Some(rep) = coding.verbs.get_mut(ve.report) {
                rep.rejection = Some(Rejection::Superseded);
            }
        }
    }
    if coding.events.is_empty() {
        for ve in &mut coded {
            for ev in std::mem::take(&mut ve.subordinate) {
                push(&mut coding.events, ev);
            }
        }
    }
    if !coding.events.is_empty() {
        coding.outcome = Outcome::Coded;
        let issues = inner.dicts.issues();
        if !issues.is_empty() {
            let found = issues.find_words(words_for_lists);
            for e in coding.events.iter_mut() {
                e.issues = found.counts.clone();
            }
        }
    }
    scratch::put(&mut bufs.used, used_verb_tokens);
    scratch::put(&mut bufs.memo, r.into_memo());
    if let Some(ctx) = context {
        ctx.add_sentence(hits.hits.iter().filter_map(|h| match h.kind {
            HitKind::Actor(Some(code)) => country_of(code),
            _ => None,
        }));
    }
    scratch::put(&mut bufs.hit_at, hits.into_at());
    v
}

/// Work space of [`code_verb`], kept from verb to verb and sentence to sentence.
#[derive(Default)]
pub(crate) struct VerbBufs {
    clause: Vec<usize>,
    subject_tree: Vec<usize>,
    pre: Vec<usize>,
    post: Vec<usize>,
    nominal: Vec<usize>,
    state: Vec<u8>,
    path: Vec<usize>,
    positions: Vec<u32>,
    skip: Vec<bool>,
    /// The verb blocks whose patterns compete.
    blocks: Vec<u32>,
    /// The candidate patterns, as (block, position) in [`Inner::compiled`].
    candidates: Vec<(u32, u32)>,
    /// Sentence-level work space of [`code_view`]: the tokens of verbs already coded,
    /// those inside an actor phrase, and the [`Resolver`]'s memo.
    used: Vec<bool>,
    covered: Vec<bool>,
    memo: Vec<Option<Vec<Actor>>>,
    /// [`Hits`]'s index by token.
    hit_at: Vec<Option<usize>>,
}

/// Codes one dictionary verb: pattern, code, source and target, events.
fn code_verb(
    cx: &Sentence<'_, '_, '_, '_>,
    x: usize,
    m: &VerbMatch<'_>,
    ms: &[VerbMatch<'_>],
    bufs: &mut VerbBufs,
) -> (VerbReport, Option<VerbEvents>) {
    let (inner, s, r) = (cx.inner, cx.s, cx.r);
    let v = r.v;
    let lex = &inner.lexicon;
    let ctx = Ctx { r, ids: cx.ids };
    let present = cx.ids.present();
    let mut report = VerbReport {
        tokens: (m.start, m.end),
        verb: if cx.detailed {
            String::from(&*m.entry.base)
        } else {
            String::new()
        },
        code: String::new(),
        pattern: None,
        rejection: None,
    };

    // Patterns. TABARI-style patterns are matched over the words around the verb;
    // PETRARCH-2 patterns over the verb's subject (before) and its nominal dependents
    // (after), not over embedded clauses.
    let p2 = m.block.syntax == VerbSyntax::Petrarch2;
    let VerbBufs {
        clause,
        subject_tree,
        pre,
        post,
        nominal,
        state,
        path,
        positions,
        skip,
        blocks,
        candidates,
        ..
    } = bufs;
    clause_tokens_into(v, x, clause);
    let clause: &[usize] = clause;
    let subject = subject_of(v, x);
    let subject_tree: Option<&[usize]> = match subject.filter(|_| p2) {
        Some((sj, _)) => {
            v.subtree_into(sj, subject_tree);
            Some(subject_tree)
        }
        None => None,
    };
    pre.clear();
    if let Some(tree) = subject_tree {
        pre.extend(
            tree.iter()
                .copied()
                .filter(|&t| t < m.start && !v.masked[t]),
        );
    } else if !p2 {
        pre.extend((0..m.start).filter(|&t| !v.masked[t]));
    }
    let pre: &[usize] = pre;
    let nominal: Option<&[usize]> = if p2 {
        nominal_part_into(v, x, clause, nominal, state, path);
        Some(nominal)
    } else {
        None
    };
    post.clear();
    post.extend(
        nominal
            .unwrap_or(clause)
            .iter()
            .copied()
            .filter(|&t| t >= m.end && !v.masked[t]),
    );
    let post: &[usize] = post;
    blocks.clear();
    for mm in ms {
        if !blocks.contains(&mm.entry.block.0) {
            blocks.push(mm.entry.block.0);
        }
    }
    // Only the patterns whose key word is in the sentence, in their order: (block,
    // position) pairs, each naming a pattern that exists.
    candidates.clear();
    for &b in blocks.iter() {
        let Some(ps) = inner.compiled.get(b as usize) else {
            continue;
        };
        inner.patterns.candidates(b, present, positions);
        candidates.extend(
            positions
                .iter()
                .filter(|&&k| (k as usize) < ps.len())
                .map(|&k| (b, k)),
        );
    }
    let compiled = |&(b, k): &(u32, u32)| {
        inner
            .compiled
            .get(b as usize)
            .and_then(|ps| ps.get(k as usize))
    };
    if blocks.len() > 1 {
        candidates.sort_by_key(|c| std::cmp::Reverse(compiled(c).map_or(0, |p| p.weight)));
    }
    let mut chosen: Option<(&Compiled, Bindings)> = None;
    'pat: for p in candidates.iter().filter_map(compiled) {
        if p.unsupported {
            continue;
        }
        for before in p.before.iter().filter(|s| s.possible(present)) {
            for after in p.after.iter().filter(|s| s.possible(present)) {
                let mut b = Bindings::default();
                let (before, after) = (&before.items, &after.items);
                if !before.is_empty()
                    && !match_side(&ctx, lex, before, pre, false, p.verb_joined, &mut b)
                {
                    continue;
                }
                if !after.is_empty() && !match_side(&ctx, lex, after, post, true, false, &mut b) {
                    continue;
                }
                chosen = Some((p, b));
                break 'pat;
            }
        }
    }
    let mut code: EventCode = match &chosen {
        Some((p, _)) => p.code.clone(),
        None => m.entry.code.clone(),
    };
    if p2 && !inner.ontology.is_empty() && v.is_negated(x) {
        let neg = |c: &Option<Box<str>>| -> Option<Box<str>> {
            c.as_deref()
                .map(|c| inner.ontology.negate(c).unwrap_or(c).into())
        };
        code = EventCode {
            code: neg(&code.code),
            pair: neg(&code.pair),
        };
    }
    if cx.detailed {
        report.code = code.to_string();
        report.pattern = chosen.as_ref().map(|(p, _)| String::from(&*p.text));
    }
    if code.is_null() {
        report.rejection = Some(Rejection::NullCode);
        return (report, None);
    }

    // Roles.
    let (chosen, mut bindings) = match chosen {
        Some((p, b)) => (Some(p), b),
        None => (None, Bindings::default()),
    };
    let mut site = Site {
        clause,
        subject,
        subject_tree,
        nominal,
        skip,
    };
    let (sources, mut targets) = roles(r, m, x, &mut site, p2, &bindings);
    if targets.iter().any(refers_past) {
        refer_past_sources(&sources, &mut targets);
    }
    let null = || Actor {
        code: "".into(),
        null_actor: true,
        base: "".into(),
        tokens: (0, 0),
        entries: Rc::new([]),
        anaphor: None,
    };
    let sources: Vec<Actor> = sources.into_iter().filter(|a| !a.code.is_empty()).collect();
    let targets: Vec<Actor> = targets.into_iter().filter(|a| !a.code.is_empty()).collect();
    let src_list = if sources.is_empty() {
        vec![null()]
    } else {
        sources
    };
    let tgt_list = if targets.is_empty() {
        vec![null()]
    } else {
        targets
    };

    let mut out = VerbEvents {
        x,
        report: 0,
        events: Vec::new(),
        subordinate: Vec::new(),
        pattern_words: std::mem::take(&mut bindings.words),
        patterned: chosen.is_some(),
    };
    let mut rejection = None;
    for sa in &src_list {
        for ta in &tgt_list {
            for (src, tgt, c) in [
                (sa, ta, code.code.as_deref()),
                (ta, sa, code.pair.as_deref()),
            ] {
                let Some(c) = c else { continue };
                if inner.options.require_dyad && (src.is_null() || tgt.is_null()) {
                    rejection.get_or_insert(if src.is_null() {
                        Rejection::NoSource
                    } else {
                        Rejection::NoTarget
                    });
                    continue;
                }
                if !src.is_null() && src.code == tgt.code {
                    rejection.get_or_insert(Rejection::SameActor);
                    continue;
                }
                let (bare, sub) = match c.strip_suffix('?') {
                    Some(b) => (b, true),
                    None => (c.trim_end_matches('!'), false),
                };
                let ev = make_event(s, m, src, tgt, bare, chosen);
                if sub {
                    out.subordinate.push(ev);
                } else {
                    out.events.push(ev);
                }
            }
        }
    }
    if out.events.is_empty() && out.subordinate.is_empty() {
        report.rejection = rejection.or(Some(Rejection::NoSource));
    }
    (report, Some(out))
}

/// Whether `a` is an anaphor that cannot mean the verb's source ("the country").
fn refers_past(a: &Actor) -> bool {
    a.anaphor.as_ref().is_some_and(|an| an.other_than_source)
}

/// `a`, or when it is an anaphor that names one of the countries `own`, the most recent
/// other candidate (`None`: there is none).
fn past(a: &Actor, own: &[&str]) -> Option<Actor> {
    let an = a.anaphor.as_ref().filter(|an| an.other_than_source);
    let Some(an) = an else {
        return Some(a.clone());
    };
    if !country_of(&a.code).is_some_and(|c| own.contains(&c)) {
        return Some(a.clone());
    }
    let c = an.candidates.iter().find(|c| !own.contains(&&***c))?;
    Some(a.with_country(an, c))
}

/// An anaphoric target ("the country") does not refer to the verb's own source: "China
/// ... provided support to the country" means another country than China. Such a target
/// takes the most recent candidate that is not a source's country, or is dropped.
fn refer_past_sources(sources: &[Actor], targets: &mut Vec<Actor>) {
    let own: Vec<&str> = sources.iter().filter_map(|a| country_of(&a.code)).collect();
    *targets = targets.iter().filter_map(|t| past(t, &own)).collect();
}

/// Source and target of verb `x`: the default roles from the tree, overridden by what the
/// pattern designated (`$`, `+`, `%`).
fn roles(
    r: &Resolver<'_, '_>,
    m: &VerbMatch<'_>,
    x: usize,
    site: &mut Site<'_>,
    p2: bool,
    b: &Bindings,
) -> (Vec<Actor>, Vec<Actor>) {
    let defaults = default_roles(r, m, x, site, !p2);
    // The tree's sources, needed again only when the pattern names the source alone.
    let source_alone = b.source.is_some() && b.target.is_none() && b.compound.is_none();
    let default_sources = if source_alone {
        defaults.sources.clone()
    } else {
        Vec::new()
    };
    let (mut sources, mut targets) = (defaults.sources, defaults.targets);
    if let Some(c) = b.compound {
        let all: Vec<Actor> = r.resolve(c).into_iter().filter(|a| !a.is_null()).collect();
        let subject_outside = c >= m.end
            && sources.iter().any(|a| !a.is_null())
            && !sources.iter().any(|s| all.iter().any(|a| a.code == s.code));
        if subject_outside {
            // "Eriador agrees with the Philippines and France": the subject acts on each
            // member of the compound.
            targets = all;
        } else {
            sources = all.clone();
            targets = all;
        }
    }
    if let Some(sh) = b.source {
        sources = r.resolve(sh);
    }
    if let Some(th) = b.target {
        targets = r.resolve(th);
    }
    if b.target.is_some() && b.source.is_none() && b.compound.is_none() {
        // A designated target: the source is the first actor distinct from it.
        let exclude: CodeSet<'_> = targets.iter().map(|a| &*a.code).collect();
        if sources
            .iter()
            .all(|a| a.is_null() || exclude.contains(&a.code))
        {
            sources = first_actor_before(r, m.start, &exclude);
        }
    }
    if source_alone {
        // The source was found after the verb ("- * {MAY DAY} $"): the subject, if it is
        // another actor, is the one acted upon.
        let exclude: CodeSet<'_> = sources.iter().map(|a| &*a.code).collect();
        let subject: Vec<Actor> = default_sources
            .iter()
            .filter(|a| !a.is_null() && !exclude.contains(&a.code))
            .cloned()
            .collect();
        if !subject.is_empty() && b.source.is_some_and(|s| s >= m.end) {
            targets = subject;
        }
        targets.retain(|t| !exclude.contains(&t.code));
    }
    if targets.iter().all(|a| a.is_null()) && b.target.is_none() {
        // TABARI: no target and a compound source: the members act on each other.
        let members: Vec<Actor> = sources.iter().filter(|a| !a.is_null()).cloned().collect();
        let distinct: CodeSet<'_> = members.iter().map(|a| &*a.code).collect();
        if distinct.len() >= 2 {
            targets = members;
        }
    }
    (sources, targets)
}

/// The events (verb token, index) that other events make redundant:
///
/// * a verb and its open complement ("was seen to break into", "vowed to wage war"): the
///   complement says what was done, so a verb coded only by its default yields to it; a
///   verb coded by a pattern of its own keeps its event and the complement's are dropped;
/// * reported speech: "A noted that B regretted C" is A's statement; B's event inside the
///   complement clause is dropped unless B is A ("Ethiopia indicated it deplored Libya");
/// * a one-sided event (null source or target) inside the clause of a verb that coded a
///   full dyad ("restored ties with Gondor after crowds burned down its embassy").
fn superseded(v: &View<'_>, coded: &[VerbEvents]) -> Vec<(usize, usize)> {
    // A few verbs per sentence: lists beat hash sets (repeats do no harm).
    let with_events: Vec<&VerbEvents> = coded.iter().filter(|c| !c.events.is_empty()).collect();
    let mut yields: Vec<usize> = Vec::new();
    for p in &with_events {
        for c in &with_events {
            if c.x != p.x
                && v.heads.get(c.x).copied().flatten() == Some(p.x)
                && open_complement(v, c.x)
            {
                let reaches = p.pattern_words.iter().any(|&w| v.dominated_by(w, c.x));
                if reaches || p.patterned {
                    yields.push(c.x);
                } else {
                    yields.push(p.x);
                }
            }
        }
    }
    let mut dropped: Vec<(usize, usize)> = Vec::new();
    for ve in &with_events {
        if yields.contains(&ve.x) {
            dropped.extend((0..ve.events.len()).map(|k| (ve.x, k)));
        }
    }
    // Reported speech.
    let speakers: Vec<(usize, CodeSet<'_>)> = with_events
        .iter()
        .filter(|ve| !yields.contains(&ve.x))
        .map(|ve| {
            (
                ve.x,
                ve.events
                    .iter()
                    .filter(|e| !e.source.is_null())
                    .map(|e| e.source.code.as_str())
                    .collect(),
            )
        })
        .filter(|(_, codes): &(usize, CodeSet<'_>)| !codes.is_empty())
        .collect();
    for ve in &with_events {
        for (k, e) in ve.events.iter().enumerate() {
            let reported = speakers.iter().any(|(sp, codes)| {
                *sp != ve.x
                    && !codes.contains(e.source.code.as_str())
                    && v.children.get(*sp).is_some_and(|kids| {
                        kids.iter()
                            .any(|&c| v.rel(c) == Rel::Ccomp && v.dominated_by(ve.x, c))
                    })
            });
            if reported {
                dropped.push((ve.x, k));
            }
        }
    }
    // One-sided events inside a dyad's clause.
    let dyadic: Vec<usize> = with_events
        .iter()
        .filter(|ve| {
            ve.events.iter().enumerate().any(|(k, e)| {
                !dropped.contains(&(ve.x, k)) && !e.source.is_null() && !e.target.is_null()
            })
        })
        .map(|ve| ve.x)
        .collect();
    for ve in &with_events {
        for (k, e) in ve.events.iter().enumerate() {
            let one_sided = e.source.is_null() || e.target.is_null();
            if one_sided
                && dyadic
                    .iter()
                    .any(|&d| d != ve.x && clause_tokens(v, d).contains(&ve.x))
            {
                dropped.push((ve.x, k));
            }
        }
    }
    dropped
}

fn mention(s: &ParsedSentence, a: &Actor) -> ActorMention {
    // `String::from`, not `to_string`: an `Rc<str>` would go through the formatter.
    let code = if a.code.is_empty() {
        String::from("---")
    } else {
        String::from(&*a.code)
    };
    let span = if a.tokens.1 > a.tokens.0 {
        s.char_span(a.tokens.0, a.tokens.1 - 1)
    } else {
        None
    };
    ActorMention {
        code,
        tokens: a.tokens,
        span,
        entries: a.entries.to_vec(),
    }
}

fn make_event(
    s: &ParsedSentence,
    m: &VerbMatch<'_>,
    src: &Actor,
    tgt: &Actor,
    code: &str,
    pattern: Option<&Compiled>,
) -> Event {
    Event {
        sentence_id: s.id.clone(),
        date: s.date,
        source: mention(s, src),
        target: mention(s, tgt),
        code: code.to_string(),
        verb_tokens: (m.start, m.end),
        verb_span: s.char_span(m.start, m.end.saturating_sub(1).max(m.start)),
        pattern: pattern
            .map(|p| String::from(&*p.text))
            .unwrap_or_else(|| default_pattern(&m.entry.base, &m.entry.code)),
        pattern_entry: Some(
            pattern
                .map(|p| p.at.clone())
                .unwrap_or_else(|| m.entry.at.clone()),
        ),
        issues: Vec::new(),
    }
}

/// `"{base} [{code}]"`, the pattern text of a verb coded by its own code, written without
/// the formatting machinery (one allocation of the right size).
fn default_pattern(base: &str, code: &EventCode) -> String {
    let (c, p) = (code.code.as_deref(), code.pair.as_deref());
    let mut out = String::with_capacity(
        base.len() + 4 + c.map_or(3, str::len) + p.map_or(0, |p| p.len() + 1),
    );
    out.push_str(base);
    out.push_str(" [");
    match (c, p) {
        (None, None) => out.push_str("---"),
        (c, None) => out.push_str(c.unwrap_or("")),
        (c, Some(p)) => {
            out.push_str(c.unwrap_or(""));
            out.push(':');
            out.push_str(p);
        }
    }
    out.push(']');
    out
}

#[cfg(test)]
mod helper_tests {
    use super::*;

    #[test]
    fn code_sets_hold_each_code_once_past_their_stack_room() {
        let codes = ["A", "B", "A", "C", "D", "E", "B", "F", "E"];
        let set: CodeSet<'_> = codes.iter().copied().collect();
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            ["A", "B", "C", "D", "E", "F"]
        );
        assert_eq!(set.len(), 6);
        assert!(set.contains("F") && set.contains("A") && !set.contains("G"));
        assert!(CodeSet::default().is_empty());
    }

    #[test]
    fn default_pattern_reads_as_the_formatted_code() {
        let codes = [
            EventCode {
                code: None,
                pair: None,
            },
            EventCode {
                code: Some("042".into()),
                pair: None,
            },
            EventCode {
                code: Some("032".into()),
                pair: Some("033".into()),
            },
            EventCode {
                code: None,
                pair: Some("033".into()),
            },
        ];
        for c in &codes {
            assert_eq!(default_pattern("MEET", c), format!("MEET [{c}]"));
        }
    }
}
