//! The verb-pattern model shared by both verb dictionary syntaxes; details on the main type.

use dyad_types::SourceRef;

use crate::verbs::SynsetId;

/// Which syntax a verb dictionary is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerbSyntax {
    /// PETRARCH-2 (`CAMEO.2.0.txt`, `PETR_Validate_verbs_2_02.txt`): noun phrases in `{}`,
    /// prepositional phrases in `()`, transformations with `~`.
    Petrarch2,
    /// PETRARCH-1 / TABARI (`CAMEO.verbpatterns.150430.txt`, `PETR.Validate.verbs.txt`):
    /// flat word sequences with `_` connectors.
    Tabari,
    /// Decide from the file: PETRARCH-2 when a pattern line uses `(...)` groups or a
    /// `{...}` group without `|`, or the file has a `~` transformation; TABARI otherwise.
    Auto,
    /// dyad's own format (`verbs/*.dyad`, `docs/dictionary-format.md`): flat word
    /// sequences after the verb, read like TABARI patterns, except that every
    /// [`Element::Word`] is a **lemma** (it matches any inflection of the word, so a coder
    /// should compare it with the token's lemma as well as its form) and no term is joined.
    Native,
}

/// PETRARCH/PLOVER mode of an event, set by a native pattern's `=> mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mode {
    /// `=> historical`: a standing relationship, not a dated act.
    Historical,
    /// `=> intend`: an intention, pledge or plan.
    Intend,
    /// `=> deny`: a denial of the act.
    Deny,
    /// `=> threat`: a threat of the act.
    Threat,
}

impl Mode {
    /// Reads a mode name as written after `=>` (lower case).
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "historical" => Some(Mode::Historical),
            "intend" => Some(Mode::Intend),
            "deny" => Some(Mode::Deny),
            "threat" => Some(Mode::Threat),
            _ => None,
        }
    }

    /// The mode's name as written after `=>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Historical => "historical",
            Mode::Intend => "intend",
            Mode::Deny => "deny",
            Mode::Threat => "threat",
        }
    }
}

/// An event code with its optional pair code, as written in `[...]`.
///
/// `[042]` is a plain code; `[042:043]` a pair: the event is coded `042` and its reciprocal
/// (target acting on source) `043`; `[:173]` has only the reciprocal part. `[---]` is the
/// null code: the match produces no event (but does stop other patterns from applying).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventCode {
    /// The main code, `None` for the null code `---` or an empty main part.
    pub code: Option<Box<str>>,
    /// The pair (reciprocal) code after `:`, when there is one (`None` also for `:---`).
    pub pair: Option<Box<str>>,
}

impl EventCode {
    /// The null code `---`.
    pub const NULL: EventCode = EventCode {
        code: None,
        pair: None,
    };

    /// Reads the inside of `[...]`: `042`, `042:043`, `:173`, `---`. Fails on an empty
    /// string, blanks, or more than one `:`.
    pub fn parse(s: &str) -> Result<EventCode, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("empty event code '[]'".into());
        }
        if s.contains(char::is_whitespace) {
            return Err(format!("blank inside event code [{s}]"));
        }
        let part = |p: &str| -> Option<Box<str>> {
            (!p.is_empty() && p != "---").then(|| p.to_ascii_uppercase().into_boxed_str())
        };
        match s.split_once(':') {
            None => Ok(EventCode {
                code: part(s),
                pair: None,
            }),
            Some((_, b)) if b.contains(':') => Err(format!("more than one ':' in [{s}]")),
            Some((a, b)) => Ok(EventCode {
                code: part(a),
                pair: part(b),
            }),
        }
    }

    /// True for `---` (no main and no pair code).
    pub fn is_null(&self) -> bool {
        self.code.is_none() && self.pair.is_none()
    }
}

impl std::fmt::Display for EventCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.code, &self.pair) {
            (None, None) => f.write_str("---"),
            (Some(c), None) => f.write_str(c),
            (c, Some(p)) => write!(f, "{}:{}", c.as_deref().unwrap_or(""), p),
        }
    }
}

/// One element of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Element {
    /// A literal word, uppercase. PETRARCH-2 reads a bare word as the head noun of a
    /// phrase; TABARI as a word that must occur.
    Word(Box<str>),
    /// A synonym set (`&CURRENCY`): any of its phrases, see
    /// [`VerbDictionary::synset`](crate::VerbDictionary::synset).
    Synset(SynsetId),
    /// `$`: the source actor is here.
    Source,
    /// `+`: the target actor is here.
    Target,
    /// `%`: a compound actor here is both source and target.
    Compound,
    /// `^`: skip the actor (noun phrase) here.
    Skip,
    /// PETRARCH-2 `{A B C}`: a noun phrase whose head is the **last** element; the others
    /// are modifiers before it.
    NounPhrase(Vec<Term>),
    /// PETRARCH-2 `(P X ...)`: a prepositional phrase. The first element is the
    /// preposition (a [`Element::Word`] or a [`Element::Synset`]); the rest, possibly
    /// empty (`(TO)`), is its object.
    Prep(Vec<Term>),
    /// TABARI `{A | B C}` and native `(a|b c)`: any one of the alternative sequences. An
    /// empty alternative makes the group optional (native `[word]` is `[[word], []]`).
    Alternatives(Vec<Vec<Term>>),
}

/// An element and how it is connected to the item before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The element.
    pub element: Element,
    /// True when nothing may come between this element and the item to its left (the
    /// previous term, or the verb for `after[0]`): an `_` connector in the source. Always
    /// false for `before[0]` and for PETRARCH-2 patterns, which have no connectors.
    pub joined: bool,
}

impl Term {
    /// A term not joined to its left neighbour.
    pub fn free(element: Element) -> Term {
        Term {
            element,
            joined: false,
        }
    }
}

/// One verb pattern.
///
/// The verb-pattern model shared by both verb dictionary syntaxes.
///
/// A pattern line is `- BEFORE * AFTER [CODE]`: what must surround the verb for the pattern
/// to assign its code. Both syntaxes are read into the same [`Pattern`]:
///
/// | source text | PETRARCH-2 (`CAMEO.2.0.txt`) | PETRARCH-1/TABARI (`CAMEO.verbpatterns`) |
/// |---|---|---|
/// | `WORD` | [`Element::Word`]: a noun (head of a phrase) | [`Element::Word`]: a literal word |
/// | `&NAME` | [`Element::Synset`] | [`Element::Synset`] |
/// | `$` / `+` / `%` | [`Element::Source`] / [`Element::Target`] / [`Element::Compound`] | same |
/// | `^` | [`Element::Skip`] | same |
/// | `{A B}` | [`Element::NounPhrase`]: the last element is the head | (TABARI `{A \| B}`: [`Element::Alternatives`]) |
/// | `(P X)` | [`Element::Prep`]: the first element is the preposition | — |
/// | `A_B` | `joined` terms | `joined` terms: no words between |
///
/// dyad's native syntax ([`VerbSyntax::Native`]) reads `verb w1 (a|b) [c] {T} &SET => mode`
/// into the same model: the verb is the block's verb, everything after it goes to `after`
/// as free (not joined) terms: words as [`Element::Word`], `(a|b)` as
/// [`Element::Alternatives`], `[c]` as alternatives with an empty one, `{T}`/`{S}` as
/// [`Element::Target`]/[`Element::Source`], `&SET` as [`Element::Synset`]; `before` stays
/// empty and `=> mode` sets [`Pattern::mode`].
///
/// Elements are kept in **text order** on both sides of the verb: `before[0]` is the word
/// farthest left, `before.last()` the one next to the verb; `after[0]` is next to the verb.
/// (PETRARCH stores the upper half reversed; here it is not.)
///
/// ## What the markers mean (TABARI manual ch. 5, PETRARCH `dictionaries.rst`)
///
/// * `$` the source actor is the actor found at this point; `+` likewise the target.
///   Without `$` the source is the subject; without `+` the target is the object.
/// * `%` a compound actor: the actor found here is both source and target (events between
///   the members of a compound subject, e.g. "A and B agreed").
/// * `^` skip: the actor (noun phrase) at this point is passed over, not used.
/// * A blank between elements lets other words intervene; `_` requires the two to be
///   consecutive ([`Term::joined`], [`Pattern::verb_joined`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// What precedes the verb, in text order.
    pub before: Vec<Term>,
    /// True when `before.last()` must immediately precede the verb (`X_*` in TABARI).
    pub verb_joined: bool,
    /// What follows the verb, in text order.
    pub after: Vec<Term>,
    /// The code assigned when the pattern matches.
    pub code: EventCode,
    /// The pattern as written, without its comment and with blanks collapsed
    /// (`- $ * (TO +) [042:043]`), for citing as evidence.
    pub text: Box<str>,
    /// The comment after `#` on the pattern line, trimmed (often the verb the pattern was
    /// written for), or empty.
    pub note: Box<str>,
    /// Where the pattern is written.
    pub at: SourceRef,
    /// The mode set by a native pattern's `=> mode`; `None` for a plain act (and always
    /// for PETRARCH/TABARI patterns).
    pub mode: Option<Mode>,
}

impl Pattern {
    /// Number of literal elements (words and synsets, nested ones included): a measure of
    /// how specific the pattern is, for callers that prefer the most specific match.
    pub fn specificity(&self) -> usize {
        fn count(terms: &[Term]) -> usize {
            terms
                .iter()
                .map(|t| match &t.element {
                    Element::Word(_) | Element::Synset(_) => 1,
                    Element::NounPhrase(ts) | Element::Prep(ts) => count(ts),
                    Element::Alternatives(alts) => alts.iter().map(|a| count(a)).min().unwrap_or(0),
                    _ => 0,
                })
                .sum()
        }
        count(&self.before) + count(&self.after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_event_codes() {
        assert_eq!(EventCode::parse("042").unwrap().to_string(), "042");
        let p = EventCode::parse("042:043").unwrap();
        assert_eq!(
            (p.code.as_deref(), p.pair.as_deref()),
            (Some("042"), Some("043"))
        );
        let r = EventCode::parse(":173").unwrap();
        assert_eq!((r.code, r.pair.as_deref()), (None, Some("173")));
        assert!(EventCode::parse("---").unwrap().is_null());
        assert!(EventCode::parse("").is_err());
        assert!(EventCode::parse("1:2:3").is_err());
        assert!(EventCode::parse("04 2").is_err());
    }
}
