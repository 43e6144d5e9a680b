//! PETRARCH sentence files: `<Environment>`, `<Sentence>` records with `<Text>`, `<Parse>`
//! and expected `<EventCoding>`s.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use dyad_types::{Date, ParsedSentence};

use crate::align::{align_tokens, align_tokens_lenient, normalize_whitespace, AlignError};
use crate::conllu::{normalize_ud_v1, parse_conllu};
use crate::error::{Error, Location, RecordError, RecordErrorKind, TreebankError, Warning};
use crate::treebank::parse_treebank;
use crate::xml::{scan, unescape, Item};

/// How to read a PETRARCH file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// A parse token that cannot be found in `<Text>` makes the record an error
    /// ("tokens don't match text"). When false the token keeps `span = None` and the
    /// record is kept. Default true.
    pub strict_alignment: bool,
    /// Rewrite UD v1 labels of CoNLL-U parses as UD v2 ([`normalize_ud_v1`]). Default true.
    pub normalize_ud: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            strict_alignment: true,
            normalize_ud: true,
        }
    }
}

/// One `<Config option="..." value="...">` element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigOption {
    /// The option name, as written.
    pub option: String,
    /// The value, as written.
    pub value: String,
    /// Where it is.
    pub location: Location,
}

/// The `<Environment>` block: dictionary files and run settings of a validation file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// `<Verbfile>`.
    pub verb_file: Option<String>,
    /// Every `<Actorfile>`, in order.
    pub actor_files: Vec<String>,
    /// `<Agentfile>`.
    pub agent_file: Option<String>,
    /// `<Discardfile>`.
    pub discard_file: Option<String>,
    /// `<Issuefile>`.
    pub issue_file: Option<String>,
    /// `<PICOfile>` (UniversalPetrarch's internal coding ontology).
    pub pico_file: Option<String>,
    /// `<Errorfile>`.
    pub error_file: Option<String>,
    /// `<Include>`: the record categories to code, split at whitespace.
    pub include: Vec<String>,
    /// `<Exclude>`: record categories to skip.
    pub exclude: Vec<String>,
    /// `<Pause>` value.
    pub pause: Option<String>,
    /// `<Config>` elements inside the environment.
    pub config: Vec<ConfigOption>,
    /// Other elements, as (name, text) pairs.
    pub other: Vec<(String, String)>,
    /// Where the block starts (absent: line 0).
    pub line: usize,
}

impl Environment {
    /// Whether a record of this category is to be coded under `<Include>`/`<Exclude>`:
    /// with an include list, only listed categories (case-insensitive); excluded ones never.
    pub fn includes(&self, category: Option<&str>) -> bool {
        let c = category.unwrap_or("");
        let eq = |x: &String| x.eq_ignore_ascii_case(c);
        if self.exclude.iter().any(eq) {
            return false;
        }
        self.include.is_empty() || self.include.iter().any(eq)
    }
}

/// An expected event from an `<EventCoding sourcecode=... targetcode=... eventcode=...>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpectedEvent {
    /// `sourcecode`.
    pub source: String,
    /// `targetcode`.
    pub target: String,
    /// `eventcode`.
    pub code: String,
    /// Every other attribute of the element.
    pub attributes: BTreeMap<String, String>,
}

/// Which kind of parse a record carried.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseFormat {
    /// No `<Parse>`: the sentence has text only (tokens are empty).
    #[default]
    None,
    /// A Penn Treebank bracketed tree; dependencies were derived from it.
    Treebank,
    /// CoNLL-U.
    Conllu,
}

/// One `<Sentence>` record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The `id` attribute (`L<line>` when absent).
    pub id: String,
    /// The `date` attribute.
    pub date: Date,
    /// The `category` attribute.
    pub category: Option<String>,
    /// Every attribute of `<Sentence>` as written (`sentence`, `source`, `evaluate`, ...).
    pub attributes: BTreeMap<String, String>,
    /// Where the record starts.
    pub location: Location,
    /// The sentence: `text` is `<Text>` with entities decoded and whitespace normalised
    /// (or the words joined when there is no `<Text>`), tokens carry spans into it.
    pub sentence: ParsedSentence,
    /// What `<Parse>` held.
    pub parse_format: ParseFormat,
    /// Expected events.
    pub expected: Vec<ExpectedEvent>,
    /// An `<EventCoding noevents="True">` says the record should give no events.
    pub no_events: bool,
    /// An `<EventCoding error="...">` says the record should be rejected, and why
    /// (`dateline`, `bad_input_parse`, `storydiscard`, `sentencediscard`).
    pub expected_error: Option<String>,
    /// `evaluate="false"` excludes the record from scoring; true otherwise.
    pub evaluate: bool,
    /// The raw contents of `<PLEvent {...}>` lines (PLOVER equivalents, JSON).
    pub plover: Vec<String>,
    /// `<Config>` elements met since the previous record (or inside this one), in order:
    /// apply them before coding this record.
    pub config: Vec<ConfigOption>,
    /// Tokens not found in the text. Always empty with
    /// [`ReadOptions::strict_alignment`] (such records are errors); otherwise these tokens
    /// have `span = None`.
    pub alignment_errors: Vec<AlignError>,
}

impl Record {
    /// The normalised sentence text.
    pub fn text(&self) -> &str {
        &self.sentence.text
    }
}

/// A PETRARCH file, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PetrarchFile {
    /// The file name given to the reader.
    pub file: Arc<str>,
    /// The `<Environment>` block (default when absent).
    pub environment: Environment,
    /// Every `<Sentence>` in order: the record, or why it could not be read.
    pub records: Vec<Result<Record, RecordError>>,
    /// `<Config>` elements after the last record.
    pub trailing_config: Vec<ConfigOption>,
    /// Stray or unknown markup that did not affect any record.
    pub warnings: Vec<Warning>,
}

impl PetrarchFile {
    /// The records that were read.
    pub fn ok_records(&self) -> impl Iterator<Item = &Record> {
        self.records.iter().filter_map(|r| r.as_ref().ok())
    }

    /// The records that could not be read.
    pub fn errors(&self) -> impl Iterator<Item = &RecordError> {
        self.records.iter().filter_map(|r| r.as_ref().err())
    }
}

/// Reads a PETRARCH XML file (see [`parse_petrarch_xml`]). Only failing to read the file
/// at all is an error; invalid UTF-8 is replaced.
pub fn read_petrarch_file(path: &Path, opts: &ReadOptions) -> Result<PetrarchFile, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(parse_petrarch_xml(&text, &path.display().to_string(), opts))
}

/// Reads PETRARCH XML from text; `file` names it in errors.
///
/// The reader is tolerant: it does not need well-formed XML, only recognisable
/// `<Sentence ...>` ... `</Sentence>` records. A record that cannot be used (no or bad date,
/// broken parse, tokens that do not match the text, unclosed) becomes a [`RecordError`]
/// with file, line and reason, and reading goes on with the next record.
///
/// ```
/// let xml = r#"<Sentences>
/// <Sentence date="19950101" id="T-1" category="DEMO">
/// <EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"/>
/// <Text>Arnor restored ties with Gondor.</Text>
/// <Parse>(ROOT (S (NP (NNP Arnor)) (VP (VBD restored) (NP (NNS ties)) (PP (IN with) (NP (NNP Gondor)))) (. .)))</Parse>
/// </Sentence>
/// <Sentence date="1995" id="T-2"><Text>x</Text></Sentence>
/// </Sentences>"#;
/// let f = dyad_io::parse_petrarch_xml(xml, "t.xml", &Default::default());
/// let r = f.records[0].as_ref().unwrap();
/// assert_eq!(r.expected[0].code, "064");
/// assert_eq!(r.sentence.tokens[0].deprel, "nsubj");
/// let e = f.records[1].as_ref().unwrap_err();
/// assert_eq!(e.to_string(), "t.xml:7: record T-2: bad date: malformed date \"1995\": expected YYYYMMDD");
/// ```
pub fn parse_petrarch_xml(src: &str, file: &str, opts: &ReadOptions) -> PetrarchFile {
    let file: Arc<str> = Arc::from(file);
    let items = scan(src);
    let mut out = PetrarchFile {
        file: file.clone(),
        ..PetrarchFile::default()
    };
    let mut pending: Vec<ConfigOption> = Vec::new();
    let loc = |line: usize| Location {
        file: file.clone(),
        line,
    };
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Item::Start {
                name: "Environment",
                self_closing: false,
                line,
                ..
            } => {
                let (env, next) = read_environment(&items, i + 1, *line, &file, &mut out.warnings);
                out.environment = env;
                i = next;
                continue;
            }
            Item::Start {
                name: "Sentence",
                attrs,
                self_closing,
                line,
                ..
            } => {
                let start_line = *line;
                // The record runs to its </Sentence>, or up to (not including) the next
                // <Sentence>, </Sentences> or the end of the input.
                let mut j = i + 1;
                let mut closed = false;
                if !self_closing {
                    while j < items.len() {
                        match &items[j] {
                            Item::End {
                                name: "Sentence", ..
                            } => {
                                closed = true;
                                break;
                            }
                            Item::Start {
                                name: "Sentence", ..
                            }
                            | Item::End {
                                name: "Sentences", ..
                            } => break,
                            _ => j += 1,
                        }
                    }
                }
                let mut config = std::mem::take(&mut pending);
                let body = if *self_closing {
                    &items[i + 1..i + 1]
                } else {
                    &items[i + 1..j.min(items.len())]
                };
                let rec = if *self_closing || closed {
                    build_record(attrs, body, start_line, &file, config, opts)
                } else {
                    config.extend(inner_config(body, &file));
                    Err(RecordError {
                        location: loc(start_line),
                        id: attr(attrs, "id"),
                        expected_error: expected_error_of(body),
                        kind: RecordErrorKind::Unterminated("Sentence".into()),
                        config,
                    })
                };
                out.records.push(rec);
                i = if closed {
                    j + 1
                } else if *self_closing {
                    i + 1
                } else {
                    j
                };
                continue;
            }
            Item::Start {
                name: "Config",
                attrs,
                line,
                ..
            } => {
                if let Some(c) = config_option(attrs, loc(*line), &mut out.warnings) {
                    pending.push(c);
                }
            }
            Item::Start { name, line, .. }
                if !matches!(*name, "Sentences" | "Validation" | "Stop") =>
            {
                out.warnings.push(Warning {
                    location: loc(*line),
                    message: format!("unexpected <{name}> outside a record"),
                });
            }
            Item::End { name, line }
                if !matches!(*name, "Sentences" | "Validation" | "Config" | "Stop") =>
            {
                out.warnings.push(Warning {
                    location: loc(*line),
                    message: format!("unexpected </{name}> outside a record"),
                });
            }
            Item::Malformed { reason, line } => {
                out.warnings.push(Warning {
                    location: loc(*line),
                    message: reason.clone(),
                });
            }
            _ => {}
        }
        i += 1;
    }
    out.trailing_config = pending;
    out
}

fn attr(attrs: &[(&str, String)], key: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.clone())
}

fn config_option(
    attrs: &[(&str, String)],
    location: Location,
    warnings: &mut Vec<Warning>,
) -> Option<ConfigOption> {
    match (attr(attrs, "option"), attr(attrs, "value")) {
        (Some(option), Some(value)) => Some(ConfigOption {
            option,
            value,
            location,
        }),
        _ => {
            warnings.push(Warning {
                location,
                message: "<Config> without option and value attributes".into(),
            });
            None
        }
    }
}

/// The text inside an element that starts at `items[from - 1]`: the concatenated raw text
/// up to its end tag. Returns the text, the line of its first item, the index after the
/// end tag, and markup that should not be there.
fn element_text<'a>(
    items: &[Item<'a>],
    from: usize,
    name: &str,
) -> (String, usize, usize, Option<(usize, String)>) {
    let mut text = String::new();
    let mut first_line = None;
    let mut bad = None;
    let mut k = from;
    while k < items.len() {
        match &items[k] {
            Item::End { name: n, .. } if *n == name => {
                return (text, first_line.unwrap_or(0), k + 1, bad)
            }
            Item::Text { text: t, line } => {
                first_line.get_or_insert(*line);
                text.push_str(t);
            }
            Item::Comment { .. } => {}
            Item::Start { name: n, line, .. } | Item::End { name: n, line } => {
                if bad.is_none() {
                    bad = Some((*line, format!("<{n}> inside <{name}>")));
                }
                // A record-level tag means the element was never closed.
                if matches!(*n, "Text" | "Parse" | "EventCoding" | "Sentence") {
                    return (
                        text,
                        first_line.unwrap_or(0),
                        k,
                        Some((*line, format!("unterminated <{name}>"))),
                    );
                }
            }
            Item::Malformed { reason, line } => {
                if bad.is_none() {
                    bad = Some((*line, reason.clone()));
                }
            }
        }
        k += 1;
    }
    (
        text,
        first_line.unwrap_or(0),
        k,
        Some((0, format!("unterminated <{name}>"))),
    )
}

fn read_environment(
    items: &[Item<'_>],
    mut k: usize,
    line: usize,
    file: &Arc<str>,
    warnings: &mut Vec<Warning>,
) -> (Environment, usize) {
    let mut env = Environment {
        line,
        ..Environment::default()
    };
    let loc = |line: usize| Location {
        file: file.clone(),
        line,
    };
    while k < items.len() {
        match &items[k] {
            Item::End {
                name: "Environment",
                ..
            } => return (env, k + 1),
            Item::Start {
                name: "Config",
                attrs,
                line,
                ..
            } => {
                if let Some(c) = config_option(attrs, loc(*line), warnings) {
                    env.config.push(c);
                }
                k += 1;
            }
            Item::Start {
                name,
                self_closing: false,
                line,
                ..
            } => {
                let name = *name;
                let (raw, _, next, bad) = element_text(items, k + 1, name);
                if let Some((l, why)) = bad {
                    warnings.push(Warning {
                        location: loc(if l == 0 { *line } else { l }),
                        message: why,
                    });
                }
                let value = normalize_whitespace(&unescape(&raw));
                let some = || (!value.is_empty()).then(|| value.clone());
                match name {
                    "Verbfile" => env.verb_file = some(),
                    "Actorfile" => env.actor_files.extend(some()),
                    "Agentfile" => env.agent_file = some(),
                    "Discardfile" => env.discard_file = some(),
                    "Issuefile" => env.issue_file = some(),
                    "PICOfile" => env.pico_file = some(),
                    "Errorfile" => env.error_file = some(),
                    "Include" => {
                        env.include = value.split_whitespace().map(str::to_string).collect()
                    }
                    "Exclude" => {
                        env.exclude = value.split_whitespace().map(str::to_string).collect()
                    }
                    "Pause" => env.pause = some(),
                    "Sentence" | "Sentences" => {
                        warnings.push(Warning {
                            location: loc(*line),
                            message: "unterminated <Environment>".into(),
                        });
                        return (env, k);
                    }
                    _ => env.other.push((name.to_string(), value.clone())),
                }
                k = next;
            }
            Item::Malformed { reason, line } => {
                warnings.push(Warning {
                    location: loc(*line),
                    message: reason.clone(),
                });
                k += 1;
            }
            _ => k += 1,
        }
    }
    warnings.push(Warning {
        location: loc(line),
        message: "unterminated <Environment>".into(),
    });
    (env, k)
}

/// The `<Config>` elements inside a record body.
fn inner_config(body: &[Item<'_>], file: &Arc<str>) -> Vec<ConfigOption> {
    let mut sink = Vec::new();
    body.iter()
        .filter_map(|it| match it {
            Item::Start {
                name: "Config",
                attrs,
                line,
                ..
            } => config_option(
                attrs,
                Location {
                    file: file.clone(),
                    line: *line,
                },
                &mut sink,
            ),
            _ => None,
        })
        .collect()
}

fn expected_error_of(body: &[Item<'_>]) -> Option<String> {
    body.iter().find_map(|it| match it {
        Item::Start {
            name: "EventCoding",
            attrs,
            ..
        } => attr(attrs, "error"),
        _ => None,
    })
}

fn is_true(v: &str) -> bool {
    v.trim().eq_ignore_ascii_case("true")
}

// A record error is the value of the reader, not an exceptional path: no boxing.
#[allow(clippy::result_large_err)]
fn build_record(
    attrs: &[(&str, String)],
    body: &[Item<'_>],
    line: usize,
    file: &Arc<str>,
    config: Vec<ConfigOption>,
    opts: &ReadOptions,
) -> Result<Record, RecordError> {
    let loc = |l: usize| Location {
        file: file.clone(),
        line: l,
    };
    let id_attr = attr(attrs, "id");
    let expected_error = expected_error_of(body);
    let mut all_config = config.clone();
    all_config.extend(inner_config(body, file));
    let fail = |l: usize, kind: RecordErrorKind| RecordError {
        location: loc(l),
        id: id_attr.clone(),
        expected_error: expected_error.clone(),
        kind,
        config: all_config.clone(),
    };
    let date = match attr(attrs, "date") {
        None => return Err(fail(line, RecordErrorKind::MissingDate)),
        Some(d) => Date::parse_yyyymmdd(&d).map_err(|e| fail(line, RecordErrorKind::BadDate(e)))?,
    };
    let mut rec = Record {
        id: id_attr.clone().unwrap_or_else(|| format!("L{line}")),
        date,
        category: attr(attrs, "category"),
        attributes: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        location: loc(line),
        sentence: ParsedSentence::default(),
        parse_format: ParseFormat::None,
        expected: Vec::new(),
        no_events: false,
        expected_error: expected_error.clone(),
        evaluate: attr(attrs, "evaluate").map_or(true, |v| !v.trim().eq_ignore_ascii_case("false")),
        plover: Vec::new(),
        config,
        alignment_errors: Vec::new(),
    };
    let mut text: Option<String> = None;
    let mut parse: Option<(String, usize)> = None;
    let mut k = 0;
    while k < body.len() {
        match &body[k] {
            Item::Start {
                name: "Text",
                self_closing: false,
                line: l,
                ..
            } => {
                let (raw, _, next, bad) = element_text(body, k + 1, "Text");
                if let Some((bl, why)) = bad {
                    return Err(fail(
                        if bl == 0 { *l } else { bl },
                        RecordErrorKind::Malformed(why),
                    ));
                }
                text = Some(unescape(&raw).into_owned());
                k = next;
                continue;
            }
            Item::Start {
                name: "Parse",
                self_closing: false,
                line: l,
                ..
            } => {
                let (raw, first, next, bad) = element_text(body, k + 1, "Parse");
                if let Some((bl, why)) = bad {
                    return Err(fail(
                        if bl == 0 { *l } else { bl },
                        RecordErrorKind::Malformed(why),
                    ));
                }
                parse = Some((
                    unescape(&raw).into_owned(),
                    if first == 0 { *l } else { first },
                ));
                k = next;
                continue;
            }
            Item::Start {
                name: "EventCoding",
                attrs: a,
                ..
            } => {
                let get = |key: &str| attr(a, key);
                if let Some(e) = get("error") {
                    rec.expected_error = Some(e);
                }
                if get("noevents").is_some_and(|v| is_true(&v)) {
                    rec.no_events = true;
                }
                if let Some(code) = get("eventcode") {
                    let mut attributes: BTreeMap<String, String> =
                        a.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
                    attributes.remove("eventcode");
                    let source = attributes.remove("sourcecode").unwrap_or_default();
                    let target = attributes.remove("targetcode").unwrap_or_default();
                    rec.expected.push(ExpectedEvent {
                        source,
                        target,
                        code,
                        attributes,
                    });
                }
            }
            Item::Start {
                name: "PLEvent",
                rest,
                ..
            } => rec.plover.push(rest.to_string()),
            Item::Start {
                name: "Config",
                attrs: a,
                line: l,
                ..
            } => {
                let mut sink = Vec::new();
                if let Some(c) = config_option(a, loc(*l), &mut sink) {
                    rec.config.push(c);
                }
            }
            Item::Malformed { reason, line: l } => {
                return Err(fail(*l, RecordErrorKind::Malformed(reason.clone())));
            }
            Item::End {
                name: n @ ("Text" | "Parse"),
                line: l,
            } => {
                return Err(fail(
                    *l,
                    RecordErrorKind::Malformed(format!("</{n}> without <{n}>")),
                ));
            }
            _ => {}
        }
        k += 1;
    }
    let strict = opts.strict_alignment;
    // An empty <Text> is no text: it is rebuilt from the words.
    let norm_text = text
        .as_deref()
        .map(normalize_whitespace)
        .filter(|t| !t.is_empty());
    let mut sentence = ParsedSentence {
        id: rec.id.clone(),
        date: Some(date),
        ..ParsedSentence::default()
    };
    if let Some((p, pline)) = parse {
        let trimmed = p.trim_start();
        if trimmed.is_empty() {
            // An empty parse is no parse.
        } else if trimmed.starts_with('(') {
            let tb = parse_treebank(&p).map_err(|e| {
                let l = match &e {
                    TreebankError::ExtraClose(n) | TreebankError::Malformed { line: n, .. } => {
                        pline + n - 1
                    }
                    _ => pline,
                };
                fail(l, RecordErrorKind::Treebank(e))
            })?;
            sentence.tokens = tb.tokens;
            sentence.tree = Some(tb.tree);
            rec.parse_format = ParseFormat::Treebank;
        } else if trimmed
            .as_bytes()
            .first()
            .is_some_and(|b| b.is_ascii_digit() || *b == b'#')
        {
            let mut tokens = Vec::new();
            for s in parse_conllu(&p, file) {
                let s = s.map_err(|e| {
                    let l = pline + e.location.line - 1;
                    fail(l, RecordErrorKind::Conllu(e.kind))
                })?;
                // Several sentences in one parse: renumber heads.
                let offset = tokens.len();
                for mut t in s.tokens {
                    if t.head != 0 {
                        t.head += offset;
                    }
                    tokens.push(t);
                }
            }
            // Keep one tree: later roots (of later sentences, or a second root in one)
            // hang from the first as `parataxis`.
            let mut roots =
                (0..tokens.len()).filter(|&k| tokens[k].head == 0 && tokens[k].deprel != "_");
            if let Some(first) = roots.next() {
                let later: Vec<usize> = roots.collect();
                for k in later {
                    tokens[k].head = first + 1;
                    tokens[k].deprel = "parataxis".into();
                }
            }
            if opts.normalize_ud {
                normalize_ud_v1(&mut tokens);
            }
            sentence.tokens = tokens;
            rec.parse_format = ParseFormat::Conllu;
        } else {
            return Err(fail(pline, RecordErrorKind::UnknownParseFormat));
        }
        sentence.text = match &norm_text {
            Some(t) => t.clone(),
            None => detokenize(sentence.tokens.iter().map(|t| t.form.as_str())),
        };
        if strict {
            align_tokens(&sentence.text, &mut sentence.tokens).map_err(|e| {
                fail(
                    pline,
                    RecordErrorKind::TokensDontMatchText {
                        index: e.index,
                        token: e.token,
                        offset: e.offset,
                    },
                )
            })?;
        } else {
            rec.alignment_errors = align_tokens_lenient(&sentence.text, &mut sentence.tokens);
        }
    } else {
        sentence.text = norm_text.unwrap_or_default();
    }
    rec.sentence = sentence;
    Ok(rec)
}

/// Joins words into readable text: no space before closing punctuation and clitics, none
/// after opening brackets and quotes.
fn detokenize<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut glue_next = true;
    let mut open_quote = false;
    for w in words {
        let lw = w.to_ascii_lowercase();
        let closing = matches!(
            w,
            "," | "." | ";" | ":" | "!" | "?" | ")" | "]" | "}" | "%" | "..."
        ) || (w == "\"" && open_quote)
            || (w.starts_with('\'') && w.len() > 1)
            || lw == "n't";
        if !glue_next && !closing {
            out.push(' ');
        }
        out.push_str(w);
        glue_next = matches!(w, "(" | "[" | "{" | "$" | "#") || (w == "\"" && !open_quote);
        if w == "\"" {
            open_quote = !open_quote;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> PetrarchFile {
        parse_petrarch_xml(src, "t.xml", &ReadOptions::default())
    }

    #[test]
    fn reads_environment_and_config_between_records() {
        let f = read(
            "<Environment>\n<Verbfile>v.txt</Verbfile>\n<Actorfile>a1.txt</Actorfile>\n<Actorfile>a2.txt</Actorfile>\n\
             <Include>DEMO ACTOR</Include>\n<Config option=\"stop_on_error\" value=\"True\"></Config>\n</Environment>\n\
             <Sentences>\n<Config option=\"require_dyad\" value=\"false\" />\n\
             <Sentence date=\"20000101\" id=\"A\" category=\"DEMO\"><Text>Hi</Text></Sentence>\n</Sentences>\n\
             <Config option=\"require_dyad\" value=\"true\"/>",
        );
        let env = &f.environment;
        assert_eq!(env.verb_file.as_deref(), Some("v.txt"));
        assert_eq!(env.actor_files, ["a1.txt", "a2.txt"]);
        assert_eq!(env.include, ["DEMO", "ACTOR"]);
        assert_eq!(env.config[0].option, "stop_on_error");
        assert!(env.includes(Some("demo")) && !env.includes(Some("PARSING")));
        let r = f.records[0].as_ref().unwrap();
        assert_eq!(r.config.len(), 1);
        assert_eq!(r.config[0].location.line, 9);
        assert_eq!(r.parse_format, ParseFormat::None);
        assert_eq!(r.text(), "Hi");
        assert_eq!(f.trailing_config.len(), 1);
    }

    #[test]
    fn keeps_markers_and_goes_on_after_broken_records() {
        let f = read(
            "<Sentence date=\"20000101\" id=\"A\"><EventCoding noevents = \"True\"></EventCoding>\n\
             <Text>x</Text></Sentence>\n\
             <Sentence date=\"20000101\" id=\"B\"><EventCoding error=\"bad_input_parse\"/><Text>a b</Text>\n\
             <Parse>(S (NN a) (NN b)))</Parse></Sentence>\n\
             <Sentence id=\"C\"><Text>x</Text></Sentence>\n\
             <Sentence date=\"20000101\" id=\"D\"><Text>never closed</Text>\n\
             <Sentence date=\"20000101\" id=\"E\" evaluate=\"false\"><Text>Gondor &amp; Arnor</Text>\n\
             <PLEvent {\"event\": \"012\"}>\n<Parse>(S (NNP Gondor) (CC &amp;) (NNP Arnor))</Parse></Sentence>",
        );
        assert_eq!(f.records.len(), 5);
        let a = f.records[0].as_ref().unwrap();
        assert!(a.no_events && a.expected.is_empty());
        let b = f.records[1].as_ref().unwrap_err();
        assert_eq!(b.expected_error.as_deref(), Some("bad_input_parse"));
        assert!(matches!(
            b.kind,
            RecordErrorKind::Treebank(TreebankError::ExtraClose(1))
        ));
        assert_eq!(b.location.line, 4);
        assert_eq!(
            f.records[2].as_ref().unwrap_err().kind,
            RecordErrorKind::MissingDate
        );
        let d = f.records[3].as_ref().unwrap_err();
        assert_eq!(
            (d.id.as_deref(), &d.kind),
            (Some("D"), &RecordErrorKind::Unterminated("Sentence".into()))
        );
        let e = f.records[4].as_ref().unwrap();
        assert!(!e.evaluate);
        assert_eq!(e.plover, ["{\"event\": \"012\"}"]);
        assert_eq!(e.text(), "Gondor & Arnor");
        assert_eq!(e.sentence.tokens[1].form, "&");
        assert_eq!(e.sentence.tokens[1].span.map(|s| s.start), Some(7));
    }

    #[test]
    fn tokens_that_do_not_match_the_text_are_an_error_unless_lenient() {
        let src = "<Sentence date=\"20000101\" id=\"M\">\n<Text>The Court met</Text>\n\
                   <Parse>(S (NP (DT The) (NNP Police)) (VP (VBD met)))</Parse></Sentence>";
        let f = read(src);
        let e = f.records[0].as_ref().unwrap_err();
        assert!(e.to_string().contains("tokens don't match text"), "{e}");
        assert!(e.to_string().contains("Police"));
        let lenient = parse_petrarch_xml(
            src,
            "t.xml",
            &ReadOptions {
                strict_alignment: false,
                ..Default::default()
            },
        );
        let r = lenient.records[0].as_ref().unwrap();
        assert_eq!(r.sentence.tokens[1].span, None);
        assert!(r.sentence.tokens[2].span.is_some());
    }

    #[test]
    fn reads_conllu_parses_and_normalises_labels() {
        let src = "<Sentence date=\"20000101\" id=\"U\">\n<Text>\nArnor  attacked\n  Gondor.\n</Text>\n<Parse>\n\
                   1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n2\tattacked\tattack\tVERB\tVBD\t_\t0\troot\t_\t_\n\
                   3\tGondor\tGondor\tPROPN\tNNP\t_\t2\tdobj\t_\t_\n4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n</Parse></Sentence>\n\
                   <Sentence date=\"20000101\" id=\"V\"><Text>x</Text><Parse>\n1\tx\tx\tX\tX\t_\t7\tdep\t_\t_\n</Parse></Sentence>";
        let f = read(src);
        let r = f.records[0].as_ref().unwrap();
        assert_eq!(r.parse_format, ParseFormat::Conllu);
        assert_eq!(r.text(), "Arnor attacked Gondor.");
        assert_eq!(r.sentence.tokens[2].deprel, "obj");
        assert_eq!(r.sentence.tokens[3].span.map(|s| s.start), Some(21));
        let e = f.records[1].as_ref().unwrap_err();
        assert_eq!(e.location.line, 13);
        assert!(matches!(e.kind, RecordErrorKind::Conllu(_)));
    }

    #[test]
    fn empty_text_is_rebuilt_from_the_words() {
        let f = read("<Sentence date=\"20000101\" id=\"E\"><Text>\n\n</Text><Parse>(S (NP (NNP Gondor) (POS 's)) \
                      (VP (VBD said) (`` ``) (-LRB- -LRB-) (NN no) (-RRB- -RRB-) ('' '') (. .)))</Parse></Sentence>");
        let r = f.records[0].as_ref().unwrap();
        assert_eq!(r.text(), "Gondor's said \"(no)\".");
        assert!(r.sentence.tokens.iter().all(|t| t.span.is_some()));
    }

    #[test]
    fn stray_parse_end_tag_is_an_error() {
        let f = read(
            "<Sentence date=\"20000101\" id=\"S\"><Text>a</Text>\n(S (NN a))\n</Parse></Sentence>",
        );
        let e = f.records[0].as_ref().unwrap_err();
        assert_eq!(
            e.kind,
            RecordErrorKind::Malformed("</Parse> without <Parse>".into())
        );
        assert_eq!(e.location.line, 3);
    }

    #[test]
    fn never_panics_on_garbage() {
        let samples = [
            "",
            "<Sentence",
            "<Sentence date=\"20000101\">",
            "<Sentence date=\"20000101\"><Text>",
            "<Sentence date=\"20000101\"><Parse>(((</Parse></Sentence>",
            "<Sentence date=\"20000101\"><Parse>)</Parse></Sentence>",
            "<Sentence date=\"20000101\"><Parse></Parse></Sentence>",
            "<Sentence date=\"20000101\"><Parse>1\t2</Parse></Sentence>",
            "<Sentence date=\"20000101\"><Parse>?!</Parse></Sentence>",
            "<Environment><Verbfile>",
            "</Sentence></Sentence><Sentence/>",
            "\u{0}\u{fffd}<\u{1}>&#xFFFFFFFF;&#0;",
        ];
        for s in samples {
            let _ = read(s);
        }
        let f = read("<Sentence date=\"20000101\"><Parse>(((</Parse></Sentence>");
        assert!(matches!(
            f.records[0],
            Err(RecordError {
                kind: RecordErrorKind::Treebank(TreebankError::Unclosed(3)),
                ..
            })
        ));
    }
}
