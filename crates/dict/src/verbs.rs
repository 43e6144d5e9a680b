//! Verb dictionaries: synsets, blocks, verbs, patterns, transformations; see the main type.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use dyad_types::SourceRef;

use crate::error::Sink;
use crate::lines::Lines;
use crate::pattern::{Element, EventCode, Pattern, Term, VerbSyntax};
use crate::phrase::{regular_plural, split_phrase, PhraseIndex};

/// Index of a synset in its [`VerbDictionary`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SynsetId(pub u32);

/// Index of a verb block in its [`VerbDictionary`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// A synonym set: a label and the phrases it stands for.
///
/// PETRARCH-2 treats a multi-word member (`+URBAN_CENTER`) as a noun phrase whose head is
/// the last word; the phrases here keep the words in order so either reading is possible.
#[derive(Clone, Debug)]
pub struct Synset {
    /// The label without `&` or a final `_` (`CURRENCY`).
    pub name: Box<str>,
    /// Member phrases as word lists, generated plurals included.
    pub phrases: Vec<Vec<Box<str>>>,
    /// Where the label is defined.
    pub at: SourceRef,
    pub(crate) index: PhraseIndex<()>,
}

impl Synset {
    /// The length of the longest member phrase at `tokens[start..]`, if any.
    pub fn longest_match<S: AsRef<str>>(&self, tokens: &[S], start: usize) -> Option<usize> {
        self.index.longest(tokens, start).map(|(n, _)| n)
    }

    /// Whether `word` alone is a member.
    pub fn contains_word(&self, word: &str) -> bool {
        self.index.matches(&[word], 0).any(|(n, _)| n == 1)
    }
}

/// One surface form of a verb: its words and which of them is the inflected verb.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbForm {
    /// The words, uppercase (`["CARRIED", "OUT"]`).
    pub words: Vec<Box<str>>,
    /// Index in `words` of the verb proper (the `+`-marked word; 0 when unmarked).
    pub head: usize,
}

impl VerbForm {
    /// The verb word (`CARRIED`).
    pub fn head_word(&self) -> &str {
        self.words.get(self.head).map_or("", |w| w)
    }
}

/// One verb of a block: its base form, every surface form and its effective code.
#[derive(Clone, Debug)]
pub struct VerbEntry {
    /// The base form (`ACCUSE`, `CARRY OUT`), words joined by single blanks.
    pub base: Box<str>,
    /// All forms, the base first, then the irregular or generated ones.
    pub forms: Vec<VerbForm>,
    /// The verb's own code if it has one, else its block's code.
    pub code: EventCode,
    /// True when `code` was written on the verb's own line.
    pub own_code: bool,
    /// The block whose patterns apply to this verb.
    pub block: BlockId,
    /// Where the verb is written.
    pub at: SourceRef,
}

impl VerbEntry {
    /// True for multi-word verbs (`CARRY OUT`).
    pub fn is_multiword(&self) -> bool {
        self.forms.first().is_some_and(|f| f.words.len() > 1)
    }
}

/// A verb block: the verbs that share a set of patterns.
#[derive(Clone, Debug)]
pub struct VerbBlock {
    /// The description from the `--- NAME [CODE] ---` header (`BLAME`).
    pub name: Box<str>,
    /// The block's default code (`---` when the header has none).
    pub code: EventCode,
    /// The verbs of the block, indices into [`VerbDictionary::entries`].
    pub verbs: Vec<u32>,
    /// The patterns, in file order.
    pub patterns: Vec<Pattern>,
    /// The syntax the patterns were written in.
    pub syntax: VerbSyntax,
    /// Where the header is.
    pub at: SourceRef,
}

/// A verb found in a token sequence.
#[derive(Clone, Copy, Debug)]
pub struct VerbMatch<'a> {
    /// The verb.
    pub entry: &'a VerbEntry,
    /// Its block (patterns and default code).
    pub block: &'a VerbBlock,
    /// The surface form that matched.
    pub form: &'a VerbForm,
    /// Token range `[start, end)` the form covers (for a one-word verb, `i..i + 1`).
    pub start: usize,
    /// End of the range (exclusive).
    pub end: usize,
}

/// An actor slot of a [`Transformation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActorVar {
    /// A named variable (`a`, `b`): the same letter means the same actor.
    Var(char),
    /// `.`: an actor that is not specified (any).
    Unspecified,
    /// `_`: no actor present.
    Absent,
}

/// A verb slot of a [`Transformation`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum VerbRef {
    /// A verb by its base form, words joined by blanks (`ATTACK`, `WILL ATTACK`).
    Verb(Box<str>),
    /// `Q`: any verb.
    Any,
}

/// A PETRARCH-2 transformation `~ a (b c VERB1) VERB2 = x y CODE`: when an event with
/// verb `VERB1` (source `b`, target `c`) is the object of `VERB2` said by `a`, code one
/// event `x y CODE` instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transformation {
    /// The source of the outer verb.
    pub outer_source: ActorVar,
    /// The source of the inner event.
    pub inner_source: ActorVar,
    /// The target of the inner event.
    pub inner_target: ActorVar,
    /// The inner verb.
    pub inner_verb: VerbRef,
    /// The outer verb.
    pub outer_verb: VerbRef,
    /// The source of the result.
    pub result_source: ActorVar,
    /// The target of the result.
    pub result_target: ActorVar,
    /// The resulting code; `None` for `Q` (keep the inner event's code).
    pub result_code: Option<EventCode>,
    /// Where the line is.
    pub at: SourceRef,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct FormRef {
    pub(crate) entry: u32,
    pub(crate) form: u32,
}

/// The compiled verb dictionaries: verbs by every surface form, blocks with patterns,
/// synsets and transformations.
///
/// Verb dictionaries: synsets, verb blocks with their verbs and patterns, transformations.
///
/// Both syntaxes share the file structure:
///
/// ```text
/// &CURRENCY            synset: label, then `+` member phrases
/// +DOLLAR
/// +CASH_               (final `_`: no plural generated; `&NAME_`: none for the whole set)
///
/// --- BLAME [112] ---  block header: description and the block's default code
/// ACCUSE [112]         verb with its own code; regular forms generated
/// SAY {SAYS SAID}      irregular forms given: only these (and the base) are used
/// +CARRY_OUT           multi-word verb; `+` marks the word that is the verb
/// - * (OF &CRIME) [112]  a pattern of the block (syntax depends on the file)
/// ~ a (a b ATTACK) SAY = a b 015   a transformation (PETRARCH-2)
/// ```
///
/// Patterns belong to the block, so every verb of a block shares them; a verb's own code
/// replaces the block code only when the verb occurs without a matching pattern.
#[derive(Clone, Debug, Default)]
pub struct VerbDictionary {
    pub(crate) blocks: Vec<VerbBlock>,
    pub(crate) entries: Vec<VerbEntry>,
    /// Head word of every form → the forms whose head it is, in load order.
    pub(crate) by_head: crate::fx::FxHashMap<Box<str>, Vec<FormRef>>,
    pub(crate) synsets: Vec<Synset>,
    pub(crate) synset_names: HashMap<Box<str>, SynsetId>,
    transformations: Vec<Transformation>,
}

impl VerbDictionary {
    /// The verb one uppercase word is a form of (`ACCUSED` → `ACCUSE`), counting
    /// single-word forms only. When several verbs share the form, the first loaded wins;
    /// see [`VerbDictionary::lookup_all`].
    pub fn lookup(&self, word: &str) -> Option<VerbMatch<'_>> {
        self.lookup_all(word).next()
    }

    /// Every single-word verb form equal to `word`, in load order.
    pub fn lookup_all<'a>(&'a self, word: &str) -> impl Iterator<Item = VerbMatch<'a>> + 'a {
        let refs = self.by_head.get(word).map(|v| v.as_slice()).unwrap_or(&[]);
        refs.iter().filter_map(move |r| {
            let m = self.resolve(*r, 0)?;
            (m.form.words.len() == 1).then_some(m)
        })
    }

    /// The longest verb form whose verb word is `tokens[i]` and whose other words (particles
    /// such as `OUT` in `CARRY OUT`) are the adjacent tokens; single-word forms count too.
    /// Ties go to the form loaded first.
    pub fn match_at<S: AsRef<str>>(&self, tokens: &[S], i: usize) -> Option<VerbMatch<'_>> {
        let mut best: Option<VerbMatch<'_>> = None;
        for m in self.matches_at(tokens, i) {
            let longer = match best {
                Some(b) => m.end - m.start > b.end - b.start,
                None => true,
            };
            if longer {
                best = Some(m);
            }
        }
        best
    }

    /// Every verb form (single- or multi-word) matching around the verb token `tokens[i]`,
    /// in load order.
    pub fn matches_at<'a: 't, 't, S: AsRef<str>>(
        &'a self,
        tokens: &'t [S],
        i: usize,
    ) -> impl Iterator<Item = VerbMatch<'a>> + 't {
        let refs = tokens
            .get(i)
            .and_then(|w| self.by_head.get(w.as_ref()))
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        refs.iter().filter_map(move |r| {
            let form = self
                .entries
                .get(r.entry as usize)?
                .forms
                .get(r.form as usize)?;
            let start = i.checked_sub(form.head)?;
            let end = start + form.words.len();
            let span = tokens.get(start..end)?;
            if form.words.iter().zip(span).all(|(w, t)| **w == *t.as_ref()) {
                self.resolve(*r, start)
            } else {
                None
            }
        })
    }

    fn resolve(&self, r: FormRef, start: usize) -> Option<VerbMatch<'_>> {
        let entry = self.entries.get(r.entry as usize)?;
        let form = entry.forms.get(r.form as usize)?;
        let block = self.blocks.get(entry.block.0 as usize)?;
        Some(VerbMatch {
            entry,
            block,
            form,
            start,
            end: start + form.words.len(),
        })
    }

    /// A block by id.
    pub fn block(&self, id: BlockId) -> Option<&VerbBlock> {
        self.blocks.get(id.0 as usize)
    }

    /// All blocks in load order.
    pub fn blocks(&self) -> &[VerbBlock] {
        &self.blocks
    }

    /// All verbs in load order.
    pub fn entries(&self) -> &[VerbEntry] {
        &self.entries
    }

    /// A synset by id (ids come from [`Element::Synset`]).
    pub fn synset(&self, id: SynsetId) -> Option<&Synset> {
        self.synsets.get(id.0 as usize)
    }

    /// A synset by label, with or without `&` and a final `_`.
    pub fn synset_named(&self, name: &str) -> Option<&Synset> {
        let id = self.synset_names.get(synset_key(name).as_str())?;
        self.synset(*id)
    }

    /// All synsets in load order.
    pub fn synsets(&self) -> &[Synset] {
        &self.synsets
    }

    /// The transformations in load order.
    pub fn transformations(&self) -> &[Transformation] {
        &self.transformations
    }

    /// Number of patterns over all blocks.
    pub fn pattern_count(&self) -> usize {
        self.blocks.iter().map(|b| b.patterns.len()).sum()
    }

    /// True when nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.synsets.is_empty()
    }
}

/// Normalises a synset label: no `&`, no final `_`, uppercase.
pub(crate) fn synset_key(name: &str) -> String {
    let n = name.trim().trim_start_matches('&');
    n.strip_suffix('_').unwrap_or(n).to_ascii_uppercase()
}

/// The regular forms of a verb: PETRARCH's `+S`, `+ED`/`+D`, `+ING`/`-E+ING`, with the
/// spelling fixes PETRARCH lacks (`CARRY` → `CARRIES`/`CARRIED`, `PUSH` → `PUSHES`).
pub(crate) fn regular_verb_forms(base: &str) -> Vec<String> {
    let b = base;
    let last = b.chars().last().unwrap_or(' ');
    let before_last = b.chars().rev().nth(1).unwrap_or(' ');
    let vowel = |c: char| "AEIOU".contains(c);
    let mut out = Vec::with_capacity(3);
    if last == 'Y' && !vowel(before_last) && b.len() > 1 {
        let stem = &b[..b.len() - 1];
        out.push(format!("{stem}IES"));
        out.push(format!("{stem}IED"));
        out.push(format!("{b}ING"));
    } else if last == 'E' {
        out.push(format!("{b}S"));
        out.push(format!("{b}D"));
        let stem = &b[..b.len() - 1];
        // "SEE" → "SEEING", "AGREE" → "AGREEING"; otherwise drop the E.
        out.push(if before_last == 'E' {
            format!("{b}ING")
        } else {
            format!("{stem}ING")
        });
    } else {
        let es = b.ends_with('S')
            || b.ends_with("SH")
            || b.ends_with("CH")
            || b.ends_with('X')
            || b.ends_with('Z');
        out.push(if es {
            format!("{b}ES")
        } else {
            format!("{b}S")
        });
        out.push(format!("{b}ED"));
        out.push(format!("{b}ING"));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Loading

/// Accumulates verb files, then freezes them into a [`VerbDictionary`].
#[derive(Default)]
pub(crate) struct VerbLoader {
    pub(crate) dict: VerbDictionary,
    /// Synsets whose label ends in `_`: no plurals for their members.
    no_plural: HashSet<SynsetId>,
}

/// Counts of what one verb file contributed.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct VerbCounts {
    pub(crate) verbs: usize,
    pub(crate) patterns: usize,
    pub(crate) synsets: usize,
    pub(crate) transformations: usize,
}

/// Decides the syntax of a verb file when asked to ([`VerbSyntax::Auto`]).
pub(crate) fn detect_syntax(text: &str) -> VerbSyntax {
    let (mut patterns, mut grouped) = (0usize, 0usize);
    for line in Lines::new(text) {
        let t = line.text.trim_start();
        if t.starts_with('~') {
            return VerbSyntax::Petrarch2;
        }
        if let Some(p) = t.strip_prefix('-') {
            if p.starts_with("--") {
                continue;
            }
            patterns += 1;
            if p.contains('(') || (p.contains('{') && !p.contains('|')) {
                grouped += 1;
            }
        }
    }
    if grouped * 20 > patterns {
        VerbSyntax::Petrarch2
    } else {
        VerbSyntax::Tabari
    }
}

impl VerbLoader {
    /// Reads one verb file.
    pub(crate) fn load(
        &mut self,
        text: &str,
        file: &Arc<str>,
        syntax: VerbSyntax,
        sink: &mut Sink,
    ) -> VerbCounts {
        let syntax = match syntax {
            VerbSyntax::Auto => detect_syntax(text),
            s => s,
        };
        let mut counts = VerbCounts::default();
        // Synset labels defined anywhere in this file or earlier ones are valid references.
        let mut known: HashSet<String> = self
            .dict
            .synset_names
            .keys()
            .map(|k| k.to_string())
            .collect();
        for line in Lines::new(text) {
            let t = line.text.trim();
            if t.starts_with('&') {
                known.insert(synset_key(t));
            }
        }

        // PETRARCH-2 stops recording patterns (not verbs) after a line starting with `<!`.
        let patterns_until = match syntax {
            VerbSyntax::Petrarch2 => text
                .lines()
                .position(|l| l.starts_with("<!"))
                .map_or(u32::MAX, |i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
            _ => u32::MAX,
        };
        let mut block: Option<BlockId> = None;
        let mut block_code = EventCode::NULL;
        let mut synset: Option<SynsetId> = None;
        for line in Lines::new(text) {
            let at = SourceRef {
                file: file.clone(),
                line: line.no,
            };
            let t = line.text.trim();
            if t.starts_with("---") {
                synset = None;
                block = self.start_block(t, at, syntax, sink).map(|(id, code)| {
                    block_code = code;
                    id
                });
                continue;
            }
            if let Some(member) = t.strip_prefix('+') {
                if let Some(id) = synset {
                    self.add_synset_member(id, member, at, sink);
                    continue;
                }
            }
            synset = None;
            if t.starts_with('&') {
                synset = self.start_synset(t, at, sink);
                counts.synsets += usize::from(synset.is_some());
            } else if t.starts_with('~') {
                match parse_transformation(t) {
                    Ok(mut tr) => {
                        tr.at = at;
                        self.dict.transformations.push(tr);
                        counts.transformations += 1;
                    }
                    Err(why) => sink.report(at, why),
                }
            } else if let Some(body) = t.strip_prefix('-') {
                if line.no > patterns_until {
                    continue;
                }
                let Some(b) = block else {
                    sink.report(at, "pattern outside a verb block");
                    continue;
                };
                let parsed = match syntax {
                    VerbSyntax::Tabari => parse_tabari_pattern(body, &self.dict, &known),
                    _ => parse_p2_pattern(body, &self.dict, &known),
                };
                match parsed {
                    Ok((before, verb_joined, after, code)) => {
                        let p = Pattern {
                            before,
                            verb_joined,
                            after,
                            code,
                            text: format!(
                                "- {}",
                                body.split_whitespace().collect::<Vec<_>>().join(" ")
                            )
                            .into(),
                            note: line.comment.into(),
                            at,
                            mode: None,
                        };
                        if let Some(blk) = self.dict.blocks.get_mut(b.0 as usize) {
                            blk.patterns.push(p);
                            counts.patterns += 1;
                        }
                    }
                    Err(why) => sink.report(at, why),
                }
            } else {
                let Some(b) = block else {
                    sink.report(at, format!("verb {t:?} outside a verb block"));
                    continue;
                };
                // Old TABARI comments after ';' survive on a few verb lines.
                let t = t.split(';').next().unwrap_or("").trim();
                match self.add_verb(t, b, &block_code, at.clone()) {
                    Ok(()) => counts.verbs += 1,
                    Err(why) => sink.report(at, why),
                }
            }
        }
        counts
    }

    /// Opens a block; returns it and the header's code (the default for the verbs that
    /// follow).
    fn start_block(
        &mut self,
        t: &str,
        at: SourceRef,
        syntax: VerbSyntax,
        sink: &mut Sink,
    ) -> Option<(BlockId, EventCode)> {
        let inner = t.trim_matches('-').trim();
        let (name, code) = match inner.split_once('[') {
            Some((name, rest)) => {
                let Some((code, _)) = rest.split_once(']') else {
                    sink.report(at, "unclosed '[' in block header");
                    return None;
                };
                match EventCode::parse(code) {
                    Ok(c) => (name.trim(), c),
                    Err(why) => {
                        sink.report(at, why);
                        return None;
                    }
                }
            }
            None => (inner, EventCode::NULL),
        };
        if syntax == VerbSyntax::Petrarch2 {
            // PETRARCH-2 keys patterns by the block description: a repeated description
            // continues the earlier block.
            if let Some(i) = self
                .dict
                .blocks
                .iter()
                .position(|b| b.syntax == syntax && *b.name == *name)
            {
                return Some((BlockId(u32::try_from(i).ok()?), code));
            }
        }
        let id = BlockId(u32::try_from(self.dict.blocks.len()).ok()?);
        self.dict.blocks.push(VerbBlock {
            name: name.into(),
            code: code.clone(),
            verbs: Vec::new(),
            patterns: Vec::new(),
            syntax,
            at,
        });
        Some((id, code))
    }

    fn start_synset(&mut self, t: &str, at: SourceRef, sink: &mut Sink) -> Option<SynsetId> {
        if t.contains(char::is_whitespace) {
            sink.report(at, format!("synset label {t:?} contains a blank"));
            return None;
        }
        let key = synset_key(t);
        if key.is_empty() {
            sink.report(at, "empty synset label");
            return None;
        }
        let no_plural = t.ends_with('_');
        if let Some(id) = self.dict.synset_names.get(key.as_str()) {
            // A second definition adds to the first.
            return Some(*id);
        }
        let id = SynsetId(u32::try_from(self.dict.synsets.len()).ok()?);
        self.dict.synsets.push(Synset {
            name: key.clone().into_boxed_str(),
            phrases: Vec::new(),
            at,
            index: PhraseIndex::new(),
        });
        self.dict.synset_names.insert(key.into_boxed_str(), id);
        if no_plural {
            self.no_plural.insert(id);
        }
        Some(id)
    }

    fn add_synset_member(&mut self, id: SynsetId, member: &str, at: SourceRef, sink: &mut Sink) {
        let m = member.trim();
        let words = split_phrase(m);
        if words.is_empty() {
            sink.report(at, "empty synset member");
            return;
        }
        if words.iter().any(|w| matches!(&**w, "$" | "+" | "%" | "^")) {
            sink.report(at, format!("synset member {m:?} may only contain words"));
            return;
        }
        if let [only] = words.as_slice() {
            if only.starts_with('&') {
                // TABARI's embedded synset: the member stands for every phrase of a synset
                // defined earlier.
                let inner = self
                    .dict
                    .synset_names
                    .get(synset_key(only).as_str())
                    .copied();
                let phrases = inner
                    .and_then(|i| self.dict.synsets.get(i.0 as usize))
                    .map(|s| s.phrases.clone());
                match (phrases, self.dict.synsets.get_mut(id.0 as usize)) {
                    (Some(ps), Some(set)) => set.phrases.extend(ps),
                    (None, _) => {
                        sink.report(at, format!("synset {only} is used before it is defined"))
                    }
                    _ => {}
                }
                return;
            }
        }
        if words.iter().any(|w| w.starts_with('&')) {
            sink.report(at, format!("synset member {m:?} mixes a synset with words"));
            return;
        }
        let plural = !(m.ends_with('_') || self.no_plural.contains(&id));
        let Some(set) = self.dict.synsets.get_mut(id.0 as usize) else {
            return;
        };
        if plural {
            if let Some(p) = regular_plural(&words) {
                set.phrases.push(words);
                set.phrases.push(p);
                return;
            }
        }
        set.phrases.push(words);
    }

    fn add_verb(
        &mut self,
        t: &str,
        block: BlockId,
        block_code: &EventCode,
        at: SourceRef,
    ) -> Result<(), String> {
        // VERB {FORMS} [CODE], or VERB [CODE] {FORMS}
        let (head, code) = match t.split_once('[') {
            Some((h, rest)) => {
                let (c, tail) = rest.split_once(']').ok_or("unclosed '[' in verb line")?;
                let tail = tail.trim();
                let forms_after = tail.starts_with('{') && tail.ends_with('}') && !h.contains('{');
                if !tail.is_empty() && !forms_after {
                    return Err(format!("unexpected {tail:?} after the verb's code"));
                }
                (format!("{h} {tail}"), Some(EventCode::parse(c)?))
            }
            None => (t.to_string(), None),
        };
        let head = head.as_str();
        let (base_text, irregular) = match head.split_once('{') {
            Some((b, rest)) => {
                let (forms, tail) = rest.split_once('}').ok_or("unclosed '{' in verb line")?;
                if !tail.trim().is_empty() {
                    return Err(format!("unexpected {:?} after the verb forms", tail.trim()));
                }
                (b, Some(forms))
            }
            None => (head, None),
        };
        if base_text.contains(['(', ')', '{', '}', '$', '*', '&']) {
            return Err(format!("malformed verb {:?}", base_text.trim()));
        }
        let base = parse_verb_form(base_text)
            .ok_or_else(|| format!("malformed verb {:?}", base_text.trim()))?;
        let mut forms = vec![base.clone()];
        match irregular {
            Some(list) => {
                for f in list.split_whitespace() {
                    let mut form =
                        parse_verb_form(f).ok_or_else(|| format!("malformed verb form {f:?}"))?;
                    if !f.contains('+') && form.words.len() == base.words.len() {
                        form.head = base.head;
                    }
                    forms.push(form);
                }
            }
            None => {
                for w in regular_verb_forms(base.head_word()) {
                    let mut words = base.words.clone();
                    if let Some(slot) = words.get_mut(base.head) {
                        *slot = w.into_boxed_str();
                    }
                    forms.push(VerbForm {
                        words,
                        head: base.head,
                    });
                }
            }
        }
        let blk = self
            .dict
            .blocks
            .get_mut(block.0 as usize)
            .ok_or("no verb block")?;
        let entry = u32::try_from(self.dict.entries.len()).map_err(|_| "too many verbs")?;
        blk.verbs.push(entry);
        let own_code = code.is_some();
        let code = code.unwrap_or_else(|| block_code.clone());
        forms.dedup();
        for (i, f) in forms.iter().enumerate() {
            let key: Box<str> = f.head_word().into();
            let refs = self.dict.by_head.entry(key).or_default();
            let r = FormRef {
                entry,
                form: i as u32,
            };
            // The same form twice in one verb (a listed form equal to the base) adds nothing.
            if !refs
                .iter()
                .any(|x| x.entry == entry && forms.get(x.form as usize) == Some(f))
            {
                refs.push(r);
            }
        }
        self.dict.entries.push(VerbEntry {
            base: base.words.join(" ").into_boxed_str(),
            forms,
            code,
            own_code,
            block,
            at,
        });
        Ok(())
    }

    pub(crate) fn finish(mut self) -> VerbDictionary {
        for s in &mut self.dict.synsets {
            let mut ix = PhraseIndex::new();
            for p in &s.phrases {
                ix.insert(p.clone(), ());
            }
            ix.finish();
            s.index = ix;
        }
        self.dict
    }
}

/// Reads `WORD`, `+CARRY_OUT`, `WIRE_+TAP`: the words and which one is the verb.
fn parse_verb_form(s: &str) -> Option<VerbForm> {
    let mut words = Vec::new();
    let mut head = None;
    for w in s
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let w = match w.strip_prefix('+') {
            Some(rest) => {
                head.get_or_insert(words.len());
                rest
            }
            None => w,
        };
        if w.is_empty() {
            return None;
        }
        words.push(w.to_ascii_uppercase().into_boxed_str());
    }
    if words.is_empty() {
        return None;
    }
    Some(VerbForm {
        words,
        head: head.unwrap_or(0),
    })
}

// ---------------------------------------------------------------------------------------
// Pattern lexing shared by both syntaxes

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str, bool),
    Open(char, bool),
    Close(char),
    Bar,
    Star(bool),
}

/// Splits a pattern body into tokens. Blanks and `_` separate words; `_` marks the next
/// token as joined. `{ } ( ) | *` stand alone.
fn lex<'a>(s: &'a str) -> Vec<Tok<'a>> {
    let mut out = Vec::new();
    let mut joined = false;
    let mut start: Option<usize> = None;
    let bytes = s.as_bytes();
    let flush =
        |out: &mut Vec<Tok<'a>>, start: &mut Option<usize>, end: usize, joined: &mut bool| {
            if let Some(b) = start.take() {
                out.push(Tok::Word(&s[b..end], *joined));
                *joined = false;
            }
        };
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b' ' | b'\t' => {
                flush(&mut out, &mut start, i, &mut joined);
                joined = false;
            }
            b'_' => {
                flush(&mut out, &mut start, i, &mut joined);
                joined = true;
            }
            b'{' | b'(' => {
                flush(&mut out, &mut start, i, &mut joined);
                out.push(Tok::Open(c as char, joined));
                joined = false;
            }
            b'}' | b')' => {
                flush(&mut out, &mut start, i, &mut joined);
                out.push(Tok::Close(c as char));
                joined = false;
            }
            b'|' => {
                flush(&mut out, &mut start, i, &mut joined);
                out.push(Tok::Bar);
                joined = false;
            }
            b'*' => {
                flush(&mut out, &mut start, i, &mut joined);
                out.push(Tok::Star(joined));
                joined = false;
            }
            _ => {
                if start.is_none() {
                    start = Some(i);
                }
            }
        }
    }
    flush(&mut out, &mut start, s.len(), &mut joined);
    out
}

/// Splits `BODY [CODE]` (the text after `-`) into the body and the parsed code.
fn split_pattern_code(body: &str) -> Result<(&str, EventCode), String> {
    let open = body.rfind('[').ok_or("pattern without a [code]")?;
    let rest = &body[open + 1..];
    let (code, tail) = rest.split_once(']').ok_or("unclosed '[' in pattern code")?;
    if !tail.trim().is_empty() {
        return Err(format!(
            "unexpected {:?} after the pattern code",
            tail.trim()
        ));
    }
    Ok((&body[..open], EventCode::parse(code)?))
}

type Parsed = (Vec<Term>, bool, Vec<Term>, EventCode);

struct TermReader<'d, 'a> {
    toks: Vec<Tok<'a>>,
    pos: usize,
    dict: &'d VerbDictionary,
    known: &'d HashSet<String>,
    syntax: VerbSyntax,
}

impl<'d, 'a> TermReader<'d, 'a> {
    /// Reads terms until `close` (or the end when `close` is None); stops before a `*` at
    /// top level or a `|` inside alternatives.
    fn seq(&mut self, close: Option<char>, in_alt: bool) -> Result<Vec<Term>, String> {
        self.seq_from(close, in_alt, false)
    }

    /// As `seq`; `first_joins` lets the first term be joined to what precedes the sequence
    /// (the verb).
    fn seq_from(
        &mut self,
        close: Option<char>,
        in_alt: bool,
        first_joins: bool,
    ) -> Result<Vec<Term>, String> {
        let mut out: Vec<Term> = Vec::new();
        while let Some(&tok) = self.toks.get(self.pos) {
            match tok {
                Tok::Close(c) => {
                    if Some(c) == close {
                        return Ok(out);
                    }
                    return Err(format!("unbalanced '{c}'"));
                }
                Tok::Bar => {
                    if in_alt {
                        return Ok(out);
                    }
                    return Err("'|' outside a {...|...} group".into());
                }
                Tok::Star(_) => {
                    if close.is_none() {
                        return Ok(out);
                    }
                    return Err("'*' inside a group".into());
                }
                Tok::Open(c, joined) => {
                    self.pos += 1;
                    let element = self.group(c)?;
                    out.push(Term {
                        element,
                        joined: joined && (first_joins || !out.is_empty()),
                    });
                }
                Tok::Word(w, joined) => {
                    self.pos += 1;
                    let element = self.word(w)?;
                    // At the start of a sequence there is only something to join to right
                    // after the verb (`*_WORD`).
                    out.push(Term {
                        element,
                        joined: joined && (first_joins || !out.is_empty()),
                    });
                }
            }
        }
        match close {
            None => Ok(out),
            Some(c) => Err(format!("missing '{c}'")),
        }
    }

    fn group(&mut self, open: char) -> Result<Element, String> {
        let close = if open == '{' { '}' } else { ')' };
        if open == '{' && self.syntax == VerbSyntax::Tabari {
            let mut alts = Vec::new();
            loop {
                alts.push(self.seq(Some(close), true)?);
                match self.toks.get(self.pos) {
                    Some(Tok::Bar) => self.pos += 1,
                    Some(Tok::Close(_)) => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err("missing '}'".into()),
                }
            }
            if alts.iter().any(|a| a.is_empty()) {
                return Err("empty alternative in {...|...}".into());
            }
            return Ok(Element::Alternatives(alts));
        }
        let inner = self.seq(Some(close), false)?;
        self.pos += 1; // the closer
        if open == '{' {
            if inner.is_empty() {
                return Err("empty noun phrase '{}'".into());
            }
            Ok(Element::NounPhrase(inner))
        } else {
            if inner.is_empty() {
                return Err("empty prepositional phrase '()'".into());
            }
            Ok(Element::Prep(inner))
        }
    }

    fn word(&mut self, w: &'a str) -> Result<Element, String> {
        Ok(match w {
            "$" => Element::Source,
            "+" => Element::Target,
            "%" => Element::Compound,
            "^" => Element::Skip,
            _ if w.starts_with('&') => {
                // Labels may contain '_' (`&FIGHT_OF_WORDS`): take the longest run of joined
                // words that names a known synset; `&TIETYPES_MEMOS` is `&TIETYPES` + `MEMOS`.
                let mut name = w.to_string();
                let mut best = known_synset(&name, self.known).then_some((name.clone(), self.pos));
                let mut p = self.pos;
                while let Some(Tok::Word(next, true)) = self.toks.get(p) {
                    name.push('_');
                    name.push_str(next);
                    p += 1;
                    if known_synset(&name, self.known) {
                        best = Some((name.clone(), p));
                    }
                }
                let (name, end) = best.ok_or_else(|| format!("undefined synset {w}"))?;
                self.pos = end;
                let key = synset_key(&name);
                match self.dict.synset_names.get(key.as_str()) {
                    Some(id) => Element::Synset(*id),
                    None => return Err(format!("synset {w} is used before it is defined")),
                }
            }
            _ => Element::Word(w.to_ascii_uppercase().into_boxed_str()),
        })
    }
}

fn known_synset(name: &str, known: &HashSet<String>) -> bool {
    known.contains(&synset_key(name))
}

fn parse_pattern(
    body: &str,
    dict: &VerbDictionary,
    known: &HashSet<String>,
    syntax: VerbSyntax,
) -> Result<Parsed, String> {
    let (text, code) = split_pattern_code(body)?;
    // TABARI legacy: "WORD_ " is an open match, the same as "WORD ".
    let cleaned;
    let text = if syntax == VerbSyntax::Tabari && text.contains("_ ") {
        cleaned = text.replace("_ ", " ");
        cleaned.as_str()
    } else {
        text
    };
    let toks = lex(text);
    let stars = toks.iter().filter(|t| matches!(t, Tok::Star(_))).count();
    if stars != 1 {
        return Err(if stars == 0 {
            "pattern without '*'".into()
        } else {
            "pattern with more than one '*'".into()
        });
    }
    let mut r = TermReader {
        toks,
        pos: 0,
        dict,
        known,
        syntax,
    };
    let before = r.seq(None, false)?;
    let verb_joined = match r.toks.get(r.pos) {
        Some(Tok::Star(j)) => *j && !before.is_empty(),
        _ => return Err("'*' inside a group".into()),
    };
    r.pos += 1;
    // After the verb, a word joined by '_' to '*' must follow the verb directly.
    let after = r.seq_from(None, false, true)?;
    if r.pos < r.toks.len() {
        return Err("pattern with more than one '*'".into());
    }
    Ok((before, verb_joined, after, code))
}

fn parse_p2_pattern(
    body: &str,
    dict: &VerbDictionary,
    known: &HashSet<String>,
) -> Result<Parsed, String> {
    parse_pattern(body, dict, known, VerbSyntax::Petrarch2)
}

fn parse_tabari_pattern(
    body: &str,
    dict: &VerbDictionary,
    known: &HashSet<String>,
) -> Result<Parsed, String> {
    parse_pattern(body, dict, known, VerbSyntax::Tabari)
}

/// Reads `~ a (b c VERB1) VERB2 = x y CODE`.
fn parse_transformation(t: &str) -> Result<Transformation, String> {
    let body = t.trim_start_matches('~');
    let spaced = body
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace('=', " = ");
    let toks: Vec<&str> = spaced.split_whitespace().collect();
    let bad = || {
        format!(
            "malformed transformation {:?}: expected '~ a (b c VERB) VERB = x y CODE'",
            t.trim()
        )
    };
    let [os, "(", is, it, iv, ")", ov, "=", rs, rt, rc] = toks.as_slice() else {
        return Err(bad());
    };
    let var = |s: &str| -> Result<ActorVar, String> {
        match s {
            "." => Ok(ActorVar::Unspecified),
            "_" => Ok(ActorVar::Absent),
            _ => {
                let mut cs = s.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) if c.is_ascii_lowercase() => Ok(ActorVar::Var(c)),
                    _ => Err(bad()),
                }
            }
        }
    };
    let verb = |s: &str| -> VerbRef {
        if s == "Q" {
            VerbRef::Any
        } else {
            VerbRef::Verb(split_phrase(s).join(" ").into_boxed_str())
        }
    };
    Ok(Transformation {
        outer_source: var(os)?,
        inner_source: var(is)?,
        inner_target: var(it)?,
        inner_verb: verb(iv),
        outer_verb: verb(ov),
        result_source: var(rs)?,
        result_target: var(rt)?,
        result_code: if *rc == "Q" {
            None
        } else {
            Some(EventCode::parse(rc)?)
        },
        at: SourceRef {
            file: Arc::from(""),
            line: 0,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, syntax: VerbSyntax) -> (VerbDictionary, Vec<String>) {
        let mut l = VerbLoader::default();
        let mut sink = Sink::new(false);
        l.load(text, &Arc::from("t.verbs"), syntax, &mut sink);
        (
            l.finish(),
            sink.diagnostics.iter().map(|d| d.to_string()).collect(),
        )
    }

    const P2: &str = include_str!("../tests/data/p2.verbs.txt");
    const TABARI: &str = include_str!("../tests/data/tabari.verbs.txt");

    fn word(w: &str) -> Element {
        Element::Word(w.into())
    }

    #[test]
    fn detects_the_syntax() {
        assert_eq!(detect_syntax(P2), VerbSyntax::Petrarch2);
        assert_eq!(detect_syntax(TABARI), VerbSyntax::Tabari);
    }

    #[test]
    fn generates_regular_forms() {
        assert_eq!(
            regular_verb_forms("ACCUSE"),
            vec!["ACCUSES", "ACCUSED", "ACCUSING"]
        );
        assert_eq!(
            regular_verb_forms("CARRY"),
            vec!["CARRIES", "CARRIED", "CARRYING"]
        );
        assert_eq!(
            regular_verb_forms("PLAY"),
            vec!["PLAYS", "PLAYED", "PLAYING"]
        );
        assert_eq!(
            regular_verb_forms("PUSH"),
            vec!["PUSHES", "PUSHED", "PUSHING"]
        );
        assert_eq!(
            regular_verb_forms("AGREE"),
            vec!["AGREES", "AGREED", "AGREEING"]
        );
    }

    #[test]
    fn p2_reports_malformed_patterns_with_their_lines() {
        let (_, diags) = load(P2, VerbSyntax::Petrarch2);
        assert_eq!(
            diags,
            vec![
                "t.verbs:25: undefined synset &UNDEFINED".to_string(),
                "t.verbs:26: missing ')'".to_string(),
            ]
        );
    }

    #[test]
    fn p2_verbs_forms_and_codes() {
        let (d, _) = load(P2, VerbSyntax::Petrarch2);
        let m = d.lookup("ACCUSED").unwrap();
        assert_eq!(
            (
                m.entry.base.as_ref(),
                m.entry.code.to_string(),
                m.entry.own_code
            ),
            ("ACCUSE", "112".into(), false)
        );
        assert_eq!(m.block.name.as_ref(), "BLAME");
        assert_eq!(d.lookup("CHARGING").unwrap().entry.code.to_string(), "1121");
        assert!(d.lookup("STUDIED").is_some());
        assert!(
            d.lookup("STUDYS").is_none(),
            "listed forms replace the regular ones"
        );
        assert_eq!(d.lookup("SNUBBED").unwrap().entry.code.to_string(), "111");
        // Multi-word verbs are found from their verb word with the particle beside it.
        let toks = ["THEY", "CARRIED", "OUT", "ATTACKS"];
        let m = d.match_at(&toks, 1).unwrap();
        assert_eq!((m.entry.base.as_ref(), m.start, m.end), ("CARRY OUT", 1, 3));
        assert_eq!(m.block.code, EventCode::NULL);
        assert!(d.lookup("CARRIED").is_none());
        let toks = ["POLICE", "WIRE", "TAPPED", "PHONES"];
        assert!(d.match_at(&toks, 2).is_none(), "no listed TAPPED form");
        let toks = ["POLICE", "WIRE", "TAPS", "PHONES"];
        let m = d.match_at(&toks, 2).unwrap();
        assert_eq!((m.entry.base.as_ref(), m.start, m.end), ("WIRE TAP", 1, 3));
        // A repeated block description continues the block; the header code still applies.
        let c = d.lookup("CRITICIZES").unwrap();
        assert_eq!(
            (c.block.name.as_ref(), c.entry.code.to_string()),
            ("BLAME", "110".into())
        );
        assert_eq!(c.block.patterns.len(), 5);
        // Verbs after `<!` are read; their patterns are not.
        let say = d.lookup("SAID").unwrap();
        assert!(say.block.patterns.is_empty());
    }

    #[test]
    fn p2_patterns() {
        let (d, _) = load(P2, VerbSyntax::Petrarch2);
        let crime = d.synset_named("&CRIME").unwrap();
        let crime_id = SynsetId(1);
        assert_eq!(d.synset(crime_id).unwrap().name, crime.name);
        let pats = &d.lookup("ACCUSE").unwrap().block.patterns;
        let p = &pats[0];
        assert!(p.before.is_empty());
        assert_eq!(
            p.after,
            vec![Term::free(Element::Prep(vec![
                Term::free(word("OF")),
                Term::free(Element::Synset(crime_id))
            ]))]
        );
        assert_eq!(
            (p.code.to_string(), p.note.as_ref(), p.at.line),
            ("1122".into(), "ACCUSE", 21)
        );
        let p = &pats[1];
        assert_eq!(p.before, vec![Term::free(Element::Source)]);
        assert_eq!(
            p.after,
            vec![
                Term::free(Element::Target),
                Term::free(Element::NounPhrase(vec![
                    Term::free(word("WAR")),
                    Term::free(Element::Synset(crime_id))
                ])),
            ]
        );
        assert_eq!(
            (p.code.code.as_deref(), p.code.pair.as_deref()),
            (Some("112"), Some("111"))
        );
        let p = &pats[2];
        assert_eq!(p.after.len(), 2);
        assert!(matches!(&p.after[0].element, Element::Prep(t) if t[1].element == Element::Skip));
        assert_eq!(
            (p.code.code.as_deref(), p.code.pair.as_deref()),
            (None, Some("112"))
        );
        let p = &pats[3];
        assert_eq!(
            (p.before.clone(), p.code.is_null()),
            (vec![Term::free(Element::Compound)], true)
        );
    }

    #[test]
    fn p2_synsets() {
        let (d, _) = load(P2, VerbSyntax::Petrarch2);
        let aux = d.synset_named("AUXVERB").unwrap();
        assert_eq!(aux.longest_match(&["IS", "TO", "GO"], 0), Some(2));
        assert!(
            aux.longest_match(&["WILLS"], 0).is_none(),
            "label ends in _: no plurals"
        );
        let crime = d.synset_named("CRIME").unwrap();
        assert!(crime.contains_word("MURDERS"));
        assert_eq!(crime.longest_match(&["WAR", "CRIMES"], 0), Some(2));
        assert!(crime.contains_word("GENOCIDE") && !crime.contains_word("GENOCIDES"));
        let bad = d.synset_named("BADTHING").unwrap();
        assert!(bad.contains_word("MURDER") && bad.contains_word("SCANDALS"));
    }

    #[test]
    fn p2_transformations() {
        let (d, _) = load(P2, VerbSyntax::Petrarch2);
        let t = d.transformations();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].inner_verb, VerbRef::Verb("CRITICIZE".into()));
        assert_eq!(
            t[0].result_code.as_ref().map(|c| c.to_string()),
            Some("112".into())
        );
        assert_eq!(
            (t[1].inner_source, t[1].inner_verb.clone()),
            (ActorVar::Absent, VerbRef::Any)
        );
        assert_eq!(
            (t[1].result_source, t[1].result_code.clone()),
            (ActorVar::Unspecified, None)
        );
        assert_eq!(t[1].at.line, 38);
    }

    #[test]
    fn tabari_patterns() {
        let (d, diags) = load(TABARI, VerbSyntax::Tabari);
        assert_eq!(
            diags,
            vec![
                "t.verbs:14: pattern without '*'".to_string(),
                "t.verbs:15: unclosed '[' in pattern code".to_string()
            ]
        );
        let m = d.lookup("GAVE").unwrap();
        assert_eq!(
            (m.entry.base.as_ref(), m.entry.code.to_string()),
            ("GIVE", "070".into())
        );
        let pats = &m.block.patterns;
        assert_eq!(pats.len(), 6);
        let cur = d.synset_named("CURRENCY").unwrap();
        assert!(cur.contains_word("DOLLARS") && !cur.contains_word("YENS"));
        assert_eq!(
            pats[0].after,
            vec![
                Term::free(Element::Synset(SynsetId(0))),
                Term::free(word("TO")),
                Term::free(Element::Target)
            ]
        );
        // `SAID_*`: SAID directly before the verb; `AID_TO`: consecutive words.
        let p = &pats[1];
        assert_eq!(
            p.before,
            vec![Term::free(Element::Source), Term::free(word("SAID"))]
        );
        assert!(p.verb_joined);
        assert_eq!(
            p.after,
            vec![
                Term::free(word("AID")),
                Term {
                    element: word("TO"),
                    joined: true
                },
                Term::free(Element::Target)
            ]
        );
        let Element::Alternatives(alts) = &pats[2].after[0].element else {
            panic!("{:?}", pats[2])
        };
        assert_eq!(alts.len(), 2);
        assert_eq!(alts[1].len(), 3);
        assert_eq!(pats[3].before, vec![Term::free(Element::Skip)]);
        assert_eq!(
            pats[3].after,
            vec![Term::free(Element::Compound), Term::free(Element::Target)]
        );
        assert_eq!(pats[3].code.to_string(), "074:075");
        assert_eq!(pats[3].text.as_ref(), "- ^ * % + [074:075]");
        // `_` before and after an alternative group; `*_WORD`.
        let p = &pats[4].after;
        assert_eq!((p.len(), p[2].joined, p[3].joined), (4, true, true));
        assert!(matches!(&p[2].element, Element::Alternatives(a) if a.len() == 2));
        assert!(pats[5].after[0].joined && !pats[0].after[0].joined);
    }

    #[test]
    fn strict_mode_stops_at_the_first_problem() {
        let mut l = VerbLoader::default();
        let mut sink = Sink::new(true);
        l.load(TABARI, &Arc::from("t.verbs"), VerbSyntax::Tabari, &mut sink);
        assert_eq!(sink.first_error.map(|d| d.at.line), Some(14));
    }
}
