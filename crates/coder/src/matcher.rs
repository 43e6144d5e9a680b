//! Verb patterns compiled for matching, and the matcher.
//!
//! Both dictionary syntaxes are matched the same way: each side of the verb is flattened to
//! a sequence of atoms (words, synsets, actor slots), alternatives expanded, and matched
//! against the words of the verb's clause in text order. A blank between atoms lets words
//! intervene; a joined atom (`_`) must come right after its left neighbour. PETRARCH-2's
//! `{...}` noun phrases and `(...)` prepositional phrases are read as their words in order,
//! which is what they denote on the surface ("* (ON {FINANCIAL AID})" ~ "ON ... FINANCIAL
//! ... AID").

use std::sync::Arc;

use dyad_dict::{Element, EventCode, Pattern, SynsetId, Term, VerbDictionary};
use dyad_types::SourceRef;

/// One element of a flattened pattern side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Atom {
    Word(Box<str>),
    Synset(SynsetId),
    Source,
    Target,
    Compound,
    Skip,
}

/// An atom and whether it must follow its left neighbour directly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) atom: Atom,
    pub(crate) joined: bool,
}

/// A pattern ready for matching.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    /// Alternative flattenings of the part before the verb.
    pub(crate) before: Vec<Vec<Item>>,
    pub(crate) verb_joined: bool,
    /// Alternative flattenings of the part after the verb.
    pub(crate) after: Vec<Vec<Item>>,
    pub(crate) code: EventCode,
    pub(crate) text: Arc<str>,
    pub(crate) at: SourceRef,
    /// Ordering key: literal characters (TABARI's length rule), larger first.
    pub(crate) weight: usize,
}

const MAX_VARIANTS: usize = 32;

fn flatten(terms: &[Term], out: &mut Vec<Vec<Item>>) {
    for t in terms {
        let joined = t.joined;
        let mut next: Vec<Vec<Item>> = Vec::new();
        let push_seq = |prefix: &Vec<Item>, seq: &[Item], next: &mut Vec<Vec<Item>>| {
            if next.len() < MAX_VARIANTS {
                let mut p = prefix.clone();
                p.extend(seq.iter().cloned());
                next.push(p);
            }
        };
        let variants: Vec<Vec<Item>> = match &t.element {
            Element::Word(w) => vec![vec![Item {
                atom: Atom::Word(w.clone()),
                joined,
            }]],
            Element::Synset(id) => vec![vec![Item {
                atom: Atom::Synset(*id),
                joined,
            }]],
            Element::Source => vec![vec![Item {
                atom: Atom::Source,
                joined,
            }]],
            Element::Target => vec![vec![Item {
                atom: Atom::Target,
                joined,
            }]],
            Element::Compound => vec![vec![Item {
                atom: Atom::Compound,
                joined,
            }]],
            Element::Skip => vec![vec![Item {
                atom: Atom::Skip,
                joined,
            }]],
            Element::NounPhrase(ts) | Element::Prep(ts) => {
                let mut inner = vec![Vec::new()];
                flatten(ts, &mut inner);
                let np = matches!(t.element, Element::NounPhrase(_)) && ts.len() >= 2;
                for v in inner.iter_mut() {
                    // In a noun phrase the modifier written last stands right before the
                    // head: {NEW &TIETYPES RELATIONS} takes "new global economic relations"
                    // but not "new economic trade relations".
                    if np && v.len() >= 2 {
                        if let Some(last) = v.last_mut() {
                            last.joined = true;
                        }
                    }
                    if let Some(first) = v.first_mut() {
                        first.joined = joined;
                    }
                }
                inner
            }
            Element::Alternatives(alts) => {
                let mut all = Vec::new();
                for alt in alts {
                    let mut inner = vec![Vec::new()];
                    flatten(alt, &mut inner);
                    for mut v in inner {
                        if let Some(first) = v.first_mut() {
                            first.joined = joined;
                        }
                        all.push(v);
                    }
                }
                all
            }
            #[allow(unreachable_patterns)]
            _ => vec![Vec::new()],
        };
        for prefix in out.iter() {
            for v in &variants {
                push_seq(prefix, v, &mut next);
            }
        }
        *out = next;
    }
}

fn weight(items: &[Item], verbs: &VerbDictionary) -> usize {
    items
        .iter()
        .map(|i| match &i.atom {
            Atom::Word(w) => w.len(),
            Atom::Synset(id) => verbs
                .synset(*id)
                .and_then(|s| {
                    s.phrases
                        .iter()
                        .map(|p| p.iter().map(|w| w.len()).sum::<usize>())
                        .min()
                })
                .unwrap_or(1),
            _ => 0,
        })
        .sum()
}

/// Compiles a block's patterns, longest first (ties in file order).
pub(crate) fn compile(patterns: &[Pattern], verbs: &VerbDictionary) -> Vec<Compiled> {
    let mut out: Vec<Compiled> = patterns
        .iter()
        .map(|p| {
            let mut before = vec![Vec::new()];
            flatten(&p.before, &mut before);
            let mut after = vec![Vec::new()];
            flatten(&p.after, &mut after);
            let w = before.iter().map(|b| weight(b, verbs)).max().unwrap_or(0)
                + after.iter().map(|a| weight(a, verbs)).max().unwrap_or(0);
            Compiled {
                before,
                verb_joined: p.verb_joined,
                after,
                code: p.code.clone(),
                text: render(p).into(),
                at: p.at.clone(),
                weight: w,
            }
        })
        .collect();
    out.sort_by_key(|p| std::cmp::Reverse(p.weight));
    out
}

/// The pattern as a line of text (`- $ * TO + [032:033]`), for event evidence.
fn render(p: &Pattern) -> String {
    fn terms(ts: &[Term], out: &mut Vec<String>) {
        for t in ts {
            let s = match &t.element {
                Element::Word(w) => w.to_string(),
                Element::Synset(id) => format!("&{}", id.0),
                Element::Source => "$".into(),
                Element::Target => "+".into(),
                Element::Compound => "%".into(),
                Element::Skip => "^".into(),
                Element::NounPhrase(ts) => {
                    let mut v = Vec::new();
                    terms(ts, &mut v);
                    format!("{{{}}}", v.join(" "))
                }
                Element::Prep(ts) => {
                    let mut v = Vec::new();
                    terms(ts, &mut v);
                    format!("({})", v.join(" "))
                }
                Element::Alternatives(alts) => {
                    let parts: Vec<String> = alts
                        .iter()
                        .map(|a| {
                            let mut v = Vec::new();
                            terms(a, &mut v);
                            v.join(" ")
                        })
                        .collect();
                    format!("{{ {} }}", parts.join(" | "))
                }
                #[allow(unreachable_patterns)]
                _ => "?".into(),
            };
            if t.joined {
                if let Some(last) = out.last_mut() {
                    last.push('_');
                    last.push_str(&s);
                    continue;
                }
            }
            out.push(s);
        }
    }
    let mut v = Vec::new();
    terms(&p.before, &mut v);
    let mut line = String::from("- ");
    if !v.is_empty() {
        line.push_str(&v.join(" "));
        line.push_str(if p.verb_joined { "_" } else { " " });
    }
    line.push('*');
    let mut a = Vec::new();
    terms(&p.after, &mut a);
    if let Some(first) = p.after.first() {
        line.push(if first.joined { '_' } else { ' ' });
    } else if !a.is_empty() {
        line.push(' ');
    }
    line.push_str(&a.join(" "));
    line.push_str(&format!(" [{}]", p.code));
    line
}

/// What the matcher needs from the sentence.
pub(crate) trait Context {
    /// Upper-case words.
    fn words(&self) -> &[String];
    /// Upper-case lemmas (empty strings when unknown).
    fn lemmas(&self) -> &[String];
    /// If token `t` starts (or lies in) an actor/agent phrase, the noun-phrase head and the
    /// last token of that noun phrase (with its conjuncts when `compound`).
    fn actor_at(&self, t: usize, compound: bool) -> Option<(usize, usize)>;
    /// If token `t` lies in any noun phrase (actor or not), its head and last token: what
    /// `^` passes over.
    fn phrase_at(&self, t: usize) -> Option<(usize, usize)>;
    /// Whether the phrase headed by `h` names two or more actors.
    fn is_compound(&self, h: usize) -> bool;
}

/// The actor slots a pattern bound.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bindings {
    pub(crate) source: Option<usize>,
    pub(crate) target: Option<usize>,
    pub(crate) compound: Option<usize>,
    /// Tokens of words (not actors) the pattern consumed.
    pub(crate) words: Vec<usize>,
}

/// Matches a flattened side against `window` (token indices in text order).
///
/// `anchor_start`: the first item must match at window position 0 when it is joined
/// (after-side: joined to the verb). `anchor_end`: the last item must end at the window
/// end (before-side with `verb_joined`).
pub(crate) fn match_side(
    ctx: &dyn Context,
    verbs: &VerbDictionary,
    items: &[Item],
    window: &[usize],
    anchor_start: bool,
    anchor_end: bool,
    b: &mut Bindings,
) -> bool {
    go(
        ctx,
        verbs,
        items,
        window,
        0,
        anchor_start,
        anchor_end,
        b,
        &mut 0,
    )
}

#[allow(clippy::too_many_arguments)]
fn go(
    ctx: &dyn Context,
    verbs: &VerbDictionary,
    items: &[Item],
    window: &[usize],
    pos: usize,
    first: bool,
    anchor_end: bool,
    b: &mut Bindings,
    budget: &mut usize,
) -> bool {
    *budget += 1;
    if *budget > 20_000 {
        return false;
    }
    let Some((item, rest)) = items.split_first() else {
        return !anchor_end || pos == window.len();
    };
    let fixed = item.joined && (pos > 0 || first);
    let last = if fixed {
        pos.min(window.len())
    } else {
        window.len()
    };
    let mut p = pos;
    while p < window.len() && p <= last {
        if let Some(next) = step(ctx, verbs, &item.atom, window, p) {
            let saved = b.clone();
            match &item.atom {
                Atom::Source => b.source = ctx.actor_at(window[p], false).map(|x| x.0),
                Atom::Target => b.target = ctx.actor_at(window[p], false).map(|x| x.0),
                Atom::Compound => b.compound = ctx.actor_at(window[p], true).map(|x| x.0),
                Atom::Skip => {}
                Atom::Word(_) | Atom::Synset(_) => b.words.extend(window[p..next].iter().copied()),
            }
            if go(ctx, verbs, rest, window, next, false, anchor_end, b, budget) {
                return true;
            }
            *b = saved;
        }
        if fixed {
            break;
        }
        p += 1;
    }
    false
}

/// Tries one atom at window position `p`; returns the next position.
fn step(
    ctx: &dyn Context,
    verbs: &VerbDictionary,
    atom: &Atom,
    window: &[usize],
    p: usize,
) -> Option<usize> {
    let t = *window.get(p)?;
    let words = ctx.words();
    match atom {
        Atom::Word(w) => {
            let form = words.get(t).map(|x| x.as_str()) == Some(&**w);
            let lemma = ctx.lemmas().get(t).map(|x| x.as_str()) == Some(&**w);
            (form || lemma).then_some(p + 1)
        }
        Atom::Synset(id) => {
            let syn = verbs.synset(*id)?;
            let n = syn.longest_match(words, t)?;
            // The n words must be consecutive inside the window too.
            for k in 0..n {
                if window.get(p + k) != Some(&(t + k)) {
                    return None;
                }
            }
            Some(p + n)
        }
        Atom::Source | Atom::Target | Atom::Skip | Atom::Compound => {
            let compound = matches!(atom, Atom::Compound);
            let found = ctx.actor_at(t, compound);
            let (h, end) = match (atom, found) {
                (_, Some(x)) => x,
                // `^` passes over any noun phrase, named actor or not.
                (Atom::Skip, None) => ctx.phrase_at(t)?,
                _ => return None,
            };
            if compound && !ctx.is_compound(h) {
                return None;
            }
            let mut q = p + 1;
            while q < window.len() && window[q] <= end {
                q += 1;
            }
            Some(q)
        }
    }
}
