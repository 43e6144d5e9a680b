//! Native verb files: `= CODE  name` blocks of pattern lines, and `= &NAME` word lists
//! with `word:` lines.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use dyad_types::SourceRef;

use super::{alternatives, at, header, key_line, lines, phrase_words, verb_forms, NativeCounts};
use crate::builder::DictKind;
use crate::error::Sink;
use crate::pattern::{Element, EventCode, Mode, Pattern, Term, VerbSyntax};
use crate::phrase::{regular_plural, PhraseIndex};
use crate::verbs::{synset_key, BlockId, FormRef, Synset, SynsetId, VerbBlock, VerbDictionary};
use crate::verbs::{VerbEntry, VerbForm};

/// What native verb files have defined so far (kept across files).
#[derive(Default)]
pub(crate) struct VerbState {
    /// Verb lemma (uppercase) → its entry.
    verbs: HashMap<Box<str>, u32>,
    /// A pattern's canonical text → where it was first written and under which code.
    seen: HashMap<String, (SourceRef, String)>,
    /// Word list name → where a native file defined it.
    lists: HashMap<Box<str>, SourceRef>,
}

/// The block being read.
enum Current {
    None,
    List(SynsetId),
    Code(EventCode),
    /// After a malformed header: its lines are skipped silently.
    Broken,
}

/// A lexical item of a pattern line.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    List(&'a str),
    Target,
    Source,
    Sym(char),
}

fn lex<'a>(s: &'a str) -> Result<Vec<Tok<'a>>, String> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = s.char_indices().peekable();
    let flush = |out: &mut Vec<Tok<'a>>, start: &mut Option<usize>, end: usize| {
        if let Some(b) = start.take() {
            out.push(Tok::Word(&s[b..end]));
        }
    };
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => flush(&mut out, &mut start, i),
            '(' | ')' | '[' | ']' | '|' => {
                flush(&mut out, &mut start, i);
                out.push(Tok::Sym(c));
            }
            '{' => {
                flush(&mut out, &mut start, i);
                let slot = s.get(i..i + 3);
                let tok = match slot {
                    Some("{T}") => Tok::Target,
                    Some("{S}") => Tok::Source,
                    _ => return Err("'{' must be {T} (target) or {S} (source)".into()),
                };
                out.push(tok);
                chars.next();
                chars.next();
            }
            '&' => {
                flush(&mut out, &mut start, i);
                let mut end = i + 1;
                while let Some(&(j, n)) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        end = j + n.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                if end == i + 1 {
                    return Err("'&' without a word list name".into());
                }
                out.push(Tok::List(&s[i + 1..end]));
            }
            '}' | ':' | '=' | '$' | '*' | '+' | '~' => {
                return Err(format!("unexpected '{c}' in a pattern"));
            }
            _ => {
                if start.is_none() {
                    start = Some(i);
                }
            }
        }
    }
    flush(&mut out, &mut start, s.len());
    Ok(out)
}

struct Parser<'t, 'a> {
    toks: &'t [Tok<'a>],
    pos: usize,
    dict: &'t VerbDictionary,
}

impl Parser<'_, '_> {
    /// Items until `close` (or the end); inside a group, `|` also ends an alternative.
    fn seq(&mut self, close: Option<char>) -> Result<Vec<Term>, String> {
        let mut out = Vec::new();
        while let Some(tok) = self.toks.get(self.pos) {
            match tok {
                Tok::Sym(c) if Some(*c) == close || (*c == '|' && close == Some(')')) => {
                    return Ok(out);
                }
                Tok::Sym(c @ ('(' | '[')) => {
                    if close.is_some() {
                        return Err("a group inside a group: write the choices out".into());
                    }
                    self.pos += 1;
                    out.push(Term::free(self.group(*c)?));
                }
                Tok::Sym(c) => return Err(format!("unbalanced '{c}'")),
                Tok::Word(w) => {
                    self.pos += 1;
                    let words = phrase_words(w);
                    out.extend(
                        words
                            .into_iter()
                            .map(|w| Term::free(Element::Word(w.into_boxed_str()))),
                    );
                }
                Tok::List(name) => {
                    self.pos += 1;
                    let id = self
                        .dict
                        .synset_names
                        .get(synset_key(name).as_str())
                        .ok_or_else(|| format!("undefined word list &{name}"))?;
                    out.push(Term::free(Element::Synset(*id)));
                }
                Tok::Target => {
                    self.pos += 1;
                    out.push(Term::free(Element::Target));
                }
                Tok::Source => {
                    self.pos += 1;
                    out.push(Term::free(Element::Source));
                }
            }
        }
        match close {
            None => Ok(out),
            Some(c) => Err(format!("missing '{c}'")),
        }
    }

    fn group(&mut self, open: char) -> Result<Element, String> {
        if open == '[' {
            let inner = self.seq(Some(']'))?;
            self.pos += 1;
            if inner.is_empty() {
                return Err("empty optional group '[]'".into());
            }
            return Ok(Element::Alternatives(vec![inner, Vec::new()]));
        }
        let mut alts = Vec::new();
        loop {
            let alt = self.seq(Some(')'))?;
            if alt.is_empty() {
                return Err("empty choice in '(...|...)'".into());
            }
            alts.push(alt);
            match self.toks.get(self.pos) {
                Some(Tok::Sym('|')) => self.pos += 1,
                _ => {
                    self.pos += 1; // ')'
                    break;
                }
            }
        }
        Ok(Element::Alternatives(alts))
    }
}

/// A pattern line read: the verb lemma (lower case), the terms after it, the mode, and
/// the canonical text (blanks collapsed, mode normalised).
struct Parsed {
    verb: String,
    after: Vec<Term>,
    mode: Option<Mode>,
    text: String,
}

fn parse_pattern(line: &str, dict: &VerbDictionary) -> Result<Parsed, String> {
    let (body, mode) = match line.split_once("=>") {
        Some((b, m)) => {
            let m = m.trim();
            let mode = Mode::parse(m).ok_or_else(|| {
                format!("unknown mode {m:?} after '=>' (historical, intend, deny or threat)")
            })?;
            (b, Some(mode))
        }
        None => (line, None),
    };
    let toks = lex(body)?;
    let Some(Tok::Word(verb)) = toks.first() else {
        return Err("a pattern must start with its verb (a lemma)".into());
    };
    let verb = verb.to_ascii_lowercase();
    if verb == "not" {
        return Err("a pattern may not start with 'not': the coder handles negation".into());
    }
    let letters = verb
        .split('-')
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()));
    if !letters {
        return Err(format!(
            "verb {verb:?} must be one word of letters (hyphens allowed)"
        ));
    }
    let mut p = Parser {
        toks: &toks,
        pos: 1,
        dict,
    };
    let after = p.seq(None)?;
    let mut text = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(m) = mode {
        text.push_str(" => ");
        text.push_str(m.as_str());
    }
    Ok(Parsed {
        verb,
        after,
        mode,
        text,
    })
}

/// A CAMEO code header: two to four digits.
fn parse_code(head: &str) -> Option<EventCode> {
    (head.len() >= 2 && head.len() <= 4 && head.bytes().all(|b| b.is_ascii_digit())).then(|| {
        EventCode {
            code: Some(head.into()),
            pair: None,
        }
    })
}

impl VerbState {
    /// Reads one native verb file into `dict`.
    pub(crate) fn load(
        &mut self,
        text: &str,
        file: &Arc<str>,
        dict: &mut VerbDictionary,
        sink: &mut Sink,
    ) -> NativeCounts {
        // Word lists first, so that patterns may use a list defined further down.
        for l in lines(text) {
            if let Some((head, _)) = header(l.text) {
                if let Some(name) = head.strip_prefix('&') {
                    if valid_list_name(name) {
                        list_id(dict, name, at(file, l.no));
                    }
                }
            }
        }
        let mut used: HashSet<Box<str>> = HashSet::new();
        let (mut patterns, mut lists, mut words) = (0usize, 0usize, 0usize);
        let mut cur = Current::None;
        for l in lines(text) {
            let here = at(file, l.no);
            if l.text.starts_with('=') && !l.text.starts_with("=>") {
                cur = self.start(l.text, &here, dict, sink);
                lists += usize::from(matches!(cur, Current::List(_)));
                continue;
            }
            match &cur {
                Current::None => sink.report(
                    here,
                    "line outside a block (no '= CODE  name' header above it)",
                ),
                Current::Broken => {}
                Current::List(id) => match key_line(l.text) {
                    Some(k) if k.key == "word" && k.range.is_none() => {
                        match alternatives(k.value) {
                            Ok(phrases) => {
                                for ph in phrases {
                                    words += usize::from(add_word(dict, *id, ph));
                                }
                            }
                            Err(why) => sink.report(here, why),
                        }
                    }
                    _ => sink.report(
                        here,
                        format!("a word list has only 'word:' lines, got {:?}", l.text),
                    ),
                },
                Current::Code(code) => {
                    let code = code.clone();
                    match self.pattern(l.text, l.comment, &here, code, dict) {
                        Ok(verb) => {
                            patterns += 1;
                            used.insert(verb);
                        }
                        Err(why) => sink.report(here, why),
                    }
                }
            }
        }
        NativeCounts {
            kind: DictKind::Verbs(VerbSyntax::Native),
            entries: used.len(),
            patterns,
            synsets: lists,
            details: vec![
                ("verbs", used.len()),
                ("patterns", patterns),
                ("word lists", lists),
                ("words", words),
            ],
        }
    }

    fn start(
        &mut self,
        t: &str,
        here: &SourceRef,
        dict: &mut VerbDictionary,
        sink: &mut Sink,
    ) -> Current {
        let Some((head, _)) = header(t) else {
            sink.report(here.clone(), "header without a code after '='");
            return Current::Broken;
        };
        if let Some(name) = head.strip_prefix('&') {
            if !valid_list_name(name) {
                sink.report(
                    here.clone(),
                    format!("word list name &{name} must be capitals, digits and '_'"),
                );
                return Current::Broken;
            }
            let key: Box<str> = synset_key(name).into();
            if let Some(first) = self.lists.get(&key) {
                if first != here {
                    sink.report(
                        here.clone(),
                        format!("word list &{name} is already defined at {first}"),
                    );
                    return Current::Broken;
                }
            }
            self.lists.insert(key, here.clone());
            return Current::List(list_id(dict, name, here.clone()));
        }
        match parse_code(head) {
            Some(code) => Current::Code(code),
            None => {
                sink.report(
                    here.clone(),
                    format!("header needs a CAMEO code (2 to 4 digits) or a &NAME, got {head:?}"),
                );
                Current::Broken
            }
        }
    }

    /// Reads one pattern line; returns the verb's lemma.
    fn pattern(
        &mut self,
        line: &str,
        comment: &str,
        here: &SourceRef,
        code: EventCode,
        dict: &mut VerbDictionary,
    ) -> Result<Box<str>, String> {
        let p = parse_pattern(line, dict)?;
        let lemma: Box<str> = p.verb.to_ascii_uppercase().into();
        let code_text = code.to_string();
        let key = p.text.to_ascii_lowercase();
        if let Some((first, c)) = self.seen.get(&key) {
            return Err(if *c == code_text {
                format!("pattern {:?} repeats {first}", p.text)
            } else {
                format!(
                    "pattern {:?} is already given at {first} (code {c})",
                    p.text
                )
            });
        }
        self.seen.insert(key, (here.clone(), code_text));
        let entry = self.verb(&lemma, here, dict)?;
        let block = dict
            .entries
            .get(entry as usize)
            .map(|e| e.block)
            .ok_or("no verb entry")?;
        if p.after.is_empty() && p.mode.is_none() {
            // The verb alone: its own code, used when no longer pattern matches.
            if let Some(e) = dict.entries.get_mut(entry as usize) {
                e.code = code.clone();
                e.own_code = true;
                e.at = here.clone();
            }
            if let Some(b) = dict.blocks.get_mut(block.0 as usize) {
                b.code = code;
                b.at = here.clone();
            }
            return Ok(lemma);
        }
        let pattern = Pattern {
            before: Vec::new(),
            verb_joined: false,
            after: p.after,
            code,
            text: p.text.into(),
            note: comment.into(),
            at: here.clone(),
            mode: p.mode,
        };
        if let Some(b) = dict.blocks.get_mut(block.0 as usize) {
            b.patterns.push(pattern);
        }
        Ok(lemma)
    }

    /// The native entry of a verb lemma, created with its forms and block when new.
    fn verb(
        &mut self,
        lemma: &str,
        here: &SourceRef,
        dict: &mut VerbDictionary,
    ) -> Result<u32, String> {
        if let Some(&e) = self.verbs.get(lemma) {
            return Ok(e);
        }
        let entry = u32::try_from(dict.entries.len()).map_err(|_| "too many verbs")?;
        let block = BlockId(u32::try_from(dict.blocks.len()).map_err(|_| "too many verbs")?);
        // A hyphenated verb (`test-fire`) inflects its last part; the tokenizer makes it
        // several words (`TEST`, `-`, `FIRED`) unless it starts with a prefix it keeps
        // attached (`co-sponsor`), so the form's head is its last word.
        let (prefix, last) = match lemma.rsplit_once('-') {
            Some((p, l)) => (format!("{p}-"), l),
            None => (String::new(), lemma),
        };
        let forms: Vec<VerbForm> = verb_forms(last)
            .into_iter()
            .map(|f| {
                let words = super::boxed_words(&format!("{prefix}{f}"));
                VerbForm {
                    head: words.len().saturating_sub(1),
                    words,
                }
            })
            .filter(|f| !f.words.is_empty())
            .collect();
        let base: Box<str> = forms
            .first()
            .map(|f| f.words.join(" "))
            .unwrap_or_default()
            .into();
        for (i, f) in forms.iter().enumerate() {
            let refs = dict.by_head.entry(f.head_word().into()).or_default();
            refs.push(FormRef {
                entry,
                form: u32::try_from(i).unwrap_or(0),
            });
        }
        dict.blocks.push(VerbBlock {
            name: base.clone(),
            code: EventCode::NULL,
            verbs: vec![entry],
            patterns: Vec::new(),
            syntax: VerbSyntax::Native,
            at: here.clone(),
        });
        dict.entries.push(VerbEntry {
            base,
            forms,
            code: EventCode::NULL,
            own_code: false,
            block,
            at: here.clone(),
        });
        self.verbs.insert(lemma.into(), entry);
        Ok(entry)
    }
}

fn valid_list_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The synset for a word list name, created when new.
fn list_id(dict: &mut VerbDictionary, name: &str, here: SourceRef) -> SynsetId {
    let key = synset_key(name);
    if let Some(id) = dict.synset_names.get(key.as_str()) {
        return *id;
    }
    let id = SynsetId(u32::try_from(dict.synsets.len()).unwrap_or(u32::MAX));
    dict.synsets.push(Synset {
        name: key.clone().into_boxed_str(),
        phrases: Vec::new(),
        at: here,
        index: PhraseIndex::new(),
    });
    dict.synset_names.insert(key.into_boxed_str(), id);
    id
}

/// Adds a word (or phrase) and its regular plural to a word list; false when it has no
/// word.
fn add_word(dict: &mut VerbDictionary, id: SynsetId, phrase: &str) -> bool {
    let words: Vec<Box<str>> = phrase_words(phrase)
        .into_iter()
        .map(String::into_boxed_str)
        .collect();
    let Some(set) = dict.synsets.get_mut(id.0 as usize) else {
        return false;
    };
    if words.is_empty() {
        return false;
    }
    if let Some(p) = regular_plural(&words) {
        set.phrases.push(p);
    }
    set.phrases.push(words);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Parsed, String> {
        let mut dict = VerbDictionary::default();
        list_id(&mut dict, "AID", at(&Arc::from("t"), 1));
        parse_pattern(s, &dict)
    }

    #[test]
    fn reads_pattern_lines() {
        let p = parse("call on {T} to").unwrap();
        assert_eq!(p.verb, "call");
        let e: Vec<&Element> = p.after.iter().map(|t| &t.element).collect();
        assert_eq!(
            e,
            [
                &Element::Word("ON".into()),
                &Element::Target,
                &Element::Word("TO".into())
            ]
        );
        let p = parse("receive &AID from {S}  =>  historical").unwrap();
        assert_eq!(p.mode, Some(Mode::Historical));
        assert_eq!(p.text, "receive &AID from {S} => historical");
        assert!(matches!(p.after[0].element, Element::Synset(SynsetId(0))));
        assert_eq!(p.after[2].element, Element::Source);
        let p = parse("court [foreign] (investor|investment bank)").unwrap();
        let Element::Alternatives(opt) = &p.after[0].element else {
            panic!("{:?}", p.after)
        };
        assert_eq!((opt.len(), opt[1].len()), (2, 0));
        let Element::Alternatives(alts) = &p.after[1].element else {
            panic!("{:?}", p.after)
        };
        assert_eq!(alts[1].len(), 2);
        let p = parse("hold (minute's silence)").unwrap();
        let Element::Alternatives(alts) = &p.after[0].element else {
            panic!()
        };
        assert_eq!(alts[0].len(), 3, "MINUTE 'S SILENCE");
    }

    #[test]
    fn rejects_malformed_lines() {
        for (line, why) in [
            ("not urge {T}", "negation"),
            ("{T} urge", "must start with its verb"),
            ("urge {X}", "{T}"),
            ("urge (a|b", "missing ')'"),
            ("urge a)", "unbalanced"),
            ("urge (a||b)", "empty choice"),
            ("urge []", "empty optional"),
            ("urge ([a] b)", "inside a group"),
            ("urge &NOPE", "undefined word list &NOPE"),
            ("urge {T} => maybe", "unknown mode"),
            ("urge: {T}", "unexpected ':'"),
            ("Urge-on- {T}", "one word"),
            ("urge2 {T}", "one word"),
        ] {
            let got = parse(line).err().unwrap_or_default();
            assert!(got.contains(why), "{line:?}: {got:?}");
        }
    }
}
