//! Verb patterns compiled for matching, and the matcher.
//!
//! Both dictionary syntaxes are matched the same way: each side of the verb is flattened to
//! a sequence of atoms (words, synsets, actor slots), alternatives expanded, and matched
//! against the words of the verb's clause in text order. A blank between atoms lets words
//! intervene; a joined atom (`_`) must come right after its left neighbour. PETRARCH-2's
//! `{...}` noun phrases and `(...)` prepositional phrases are read as their words in order,
//! which is what they denote on the surface ("* (ON {FINANCIAL AID})" ~ "ON ... FINANCIAL
//! ... AID").

//!
//! Words are compared as ids: every word a pattern or synset names is interned once in the
//! [`Lexicon`], and a sentence's words and lemmas are looked up once per sentence. Each
//! flattened side also lists the words it needs ([`Side::literals`]), so a pattern whose
//! words are not all in the sentence is passed over without being tried.

use std::sync::Arc;

use dyad_dict::{Element, EventCode, Pattern, SynsetId, Term, VerbDictionary};
use dyad_types::SourceRef;

use dyad_dict::fx::{FxHashMap, WordFilter};

/// An interned upper-case word.
pub(crate) type WordId = u32;

/// The id of every word the patterns and synsets do not name.
pub(crate) const NO_WORD: WordId = WordId::MAX;

/// The words of the patterns and synsets, interned, and the synsets' member phrases.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    ids: FxHashMap<Box<str>, WordId>,
    /// The keys of `ids`.
    filter: WordFilter,
    words: Vec<Box<str>>,
    /// Member phrases by (synset, first word), longest first.
    members: FxHashMap<(u32, WordId), Vec<Box<[WordId]>>>,
}

impl Lexicon {
    /// A lexicon holding the words of every synset member.
    pub(crate) fn new(verbs: &VerbDictionary) -> Lexicon {
        let mut lex = Lexicon::default();
        for (k, syn) in verbs.synsets().iter().enumerate() {
            let Ok(k) = u32::try_from(k) else { break };
            for phrase in &syn.phrases {
                let ids: Box<[WordId]> = phrase.iter().map(|w| lex.intern(w)).collect();
                if let Some(&first) = ids.first() {
                    lex.members.entry((k, first)).or_default().push(ids);
                }
            }
        }
        for bucket in lex.members.values_mut() {
            bucket.sort_by_key(|p| std::cmp::Reverse(p.len()));
        }
        lex
    }

    fn intern(&mut self, w: &str) -> WordId {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = WordId::try_from(self.words.len()).unwrap_or(NO_WORD);
        if id != NO_WORD && !w.is_empty() {
            self.ids.insert(w.into(), id);
            self.filter.insert(w);
            self.words.push(w.into());
        }
        id
    }

    /// The id of an upper-case word, [`NO_WORD`] when no pattern or synset names it.
    pub(crate) fn id(&self, w: &str) -> WordId {
        if w.is_empty() || !self.filter.may_contain(w) {
            return NO_WORD;
        }
        self.ids.get(w).copied().unwrap_or(NO_WORD)
    }

    /// The number of words interned (ids are `0..len`).
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    fn word(&self, id: WordId) -> &str {
        self.words.get(id as usize).map_or("", |w| w)
    }

    /// The length of the longest member phrase of synset `id` at `words[start..]`: what
    /// [`dyad_dict::Synset::longest_match`] finds, over word ids.
    pub(crate) fn synset_match(
        &self,
        id: SynsetId,
        words: &[WordId],
        start: usize,
    ) -> Option<usize> {
        let rest = words.get(start..)?;
        let bucket = self.members.get(&(id.0, *rest.first()?))?;
        bucket
            .iter()
            .find(|p| rest.len() >= p.len() && rest[1..p.len()] == p[1..])
            .map(|p| p.len())
    }
}

/// The words of a sentence, each once: as a list, and as a bit set over word ids.
#[derive(Clone, Copy)]
pub(crate) struct Present<'p> {
    pub(crate) list: &'p [WordId],
    pub(crate) bits: &'p [u64],
}

impl Present<'_> {
    /// Whether word `w` is in the sentence.
    pub(crate) fn contains(&self, w: WordId) -> bool {
        self.bits
            .get(w as usize / 64)
            .is_some_and(|b| b >> (w % 64) & 1 == 1)
    }
}

/// One element of a flattened pattern side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Atom {
    Word(WordId),
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

/// One flattening of a pattern side.
#[derive(Clone, Debug)]
pub(crate) struct Side {
    pub(crate) items: Vec<Item>,
    /// The words the side must find (sorted, without repeats): a side cannot match a
    /// sentence that lacks one of them.
    pub(crate) literals: Box<[WordId]>,
}

impl Side {
    fn new(items: Vec<Item>) -> Side {
        let mut literals: Vec<WordId> = items
            .iter()
            .filter_map(|i| match i.atom {
                Atom::Word(w) => Some(w),
                _ => None,
            })
            .collect();
        literals.sort_unstable();
        literals.dedup();
        Side {
            items,
            literals: literals.into(),
        }
    }

    /// Whether every word the side needs is in `present`.
    pub(crate) fn possible(&self, present: Present<'_>) -> bool {
        self.literals.iter().all(|&w| present.contains(w))
    }
}

impl Compiled {
    /// A word every flattening of the pattern needs, if there is one: the pattern cannot
    /// match a sentence without it. The longest such word is taken (the rarest, roughly).
    pub(crate) fn key(&self, lex: &Lexicon) -> Option<WordId> {
        fn common(sides: &[Side]) -> Vec<WordId> {
            let mut it = sides.iter();
            let mut out: Vec<WordId> = it.next().map(|s| s.literals.to_vec()).unwrap_or_default();
            for s in it {
                out.retain(|w| s.literals.contains(w));
            }
            out
        }
        let mut needed = common(&self.before);
        needed.extend(common(&self.after));
        needed
            .into_iter()
            .max_by_key(|&w| (lex.word(w).len(), std::cmp::Reverse(w)))
    }
}

/// The patterns of every verb block indexed by their key word ([`Compiled::key`]), so a
/// verb tries only the patterns whose key word its sentence has, and those without one.
#[derive(Debug, Default)]
pub(crate) struct PatternIndex {
    /// Per block: the positions (in the block's compiled list) of the patterns without a key.
    unkeyed: Vec<Vec<u32>>,
    /// (block, key word) → positions, ascending.
    keyed: FxHashMap<(u32, WordId), Vec<u32>>,
}

impl PatternIndex {
    pub(crate) fn new(compiled: &[Vec<Compiled>], lex: &Lexicon) -> PatternIndex {
        let mut ix = PatternIndex::default();
        for (b, patterns) in compiled.iter().enumerate() {
            let mut unkeyed = Vec::new();
            let b = u32::try_from(b).unwrap_or(u32::MAX);
            for (k, p) in patterns.iter().enumerate() {
                let k = u32::try_from(k).unwrap_or(u32::MAX);
                match p.key(lex) {
                    Some(w) => ix.keyed.entry((b, w)).or_default().push(k),
                    None => unkeyed.push(k),
                }
            }
            ix.unkeyed.push(unkeyed);
        }
        ix
    }

    /// The positions of block `b`'s patterns that a sentence with the words `present`
    /// (sorted ids) may match, ascending.
    pub(crate) fn candidates(&self, b: u32, present: Present<'_>, out: &mut Vec<u32>) {
        out.clear();
        if let Some(u) = self.unkeyed.get(b as usize) {
            out.extend_from_slice(u);
        }
        for &w in present.list {
            if let Some(ks) = self.keyed.get(&(b, w)) {
                out.extend_from_slice(ks);
            }
        }
        out.sort_unstable();
    }
}

/// A pattern ready for matching.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    /// Alternative flattenings of the part before the verb.
    pub(crate) before: Vec<Side>,
    pub(crate) verb_joined: bool,
    /// Alternative flattenings of the part after the verb.
    pub(crate) after: Vec<Side>,
    /// TABARI's complex (`+++`) and discard (`###`) codes, which PETRARCH does not
    /// implement: such a pattern is passed over.
    pub(crate) unsupported: bool,
    pub(crate) code: EventCode,
    pub(crate) text: Arc<str>,
    pub(crate) at: SourceRef,
    /// Ordering key: literal characters (TABARI's length rule), larger first.
    pub(crate) weight: usize,
}

const MAX_VARIANTS: usize = 32;

fn flatten(terms: &[Term], lex: &mut Lexicon, out: &mut Vec<Vec<Item>>) {
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
                atom: Atom::Word(lex.intern(w)),
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
                flatten(ts, lex, &mut inner);
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
                    flatten(alt, lex, &mut inner);
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

fn weight(items: &[Item], verbs: &VerbDictionary, lex: &Lexicon) -> usize {
    items
        .iter()
        .map(|i| match &i.atom {
            Atom::Word(w) => lex.word(*w).len(),
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
pub(crate) fn compile(
    patterns: &[Pattern],
    verbs: &VerbDictionary,
    lex: &mut Lexicon,
) -> Vec<Compiled> {
    let mut out: Vec<Compiled> = patterns
        .iter()
        .map(|p| {
            let mut before = vec![Vec::new()];
            flatten(&p.before, lex, &mut before);
            let mut after = vec![Vec::new()];
            flatten(&p.after, lex, &mut after);
            let w = before
                .iter()
                .map(|b| weight(b, verbs, lex))
                .max()
                .unwrap_or(0)
                + after
                    .iter()
                    .map(|a| weight(a, verbs, lex))
                    .max()
                    .unwrap_or(0);
            Compiled {
                before: before.into_iter().map(Side::new).collect(),
                verb_joined: p.verb_joined,
                after: after.into_iter().map(Side::new).collect(),
                unsupported: matches!(p.code.code.as_deref(), Some("+++") | Some("###")),
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
    /// The words' ids in the [`Lexicon`].
    fn words(&self) -> &[WordId];
    /// The lemmas' ids ([`NO_WORD`] when unknown).
    fn lemmas(&self) -> &[WordId];
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
    lex: &Lexicon,
    items: &[Item],
    window: &[usize],
    anchor_start: bool,
    anchor_end: bool,
    b: &mut Bindings,
) -> bool {
    go(
        ctx,
        lex,
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
    lex: &Lexicon,
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
        if let Some(next) = step(ctx, lex, &item.atom, window, p) {
            let saved = (b.source, b.target, b.compound, b.words.len());
            match &item.atom {
                Atom::Source => b.source = ctx.actor_at(window[p], false).map(|x| x.0),
                Atom::Target => b.target = ctx.actor_at(window[p], false).map(|x| x.0),
                Atom::Compound => b.compound = ctx.actor_at(window[p], true).map(|x| x.0),
                Atom::Skip => {}
                Atom::Word(_) | Atom::Synset(_) => b.words.extend(window[p..next].iter().copied()),
            }
            if go(ctx, lex, rest, window, next, false, anchor_end, b, budget) {
                return true;
            }
            (b.source, b.target, b.compound) = (saved.0, saved.1, saved.2);
            b.words.truncate(saved.3);
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
    lex: &Lexicon,
    atom: &Atom,
    window: &[usize],
    p: usize,
) -> Option<usize> {
    let t = *window.get(p)?;
    let words = ctx.words();
    match atom {
        Atom::Word(w) => {
            let form = words.get(t) == Some(w);
            let lemma = ctx.lemmas().get(t) == Some(w);
            (form || lemma).then_some(p + 1)
        }
        Atom::Synset(id) => {
            let n = lex.synset_match(*id, words, t)?;
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
