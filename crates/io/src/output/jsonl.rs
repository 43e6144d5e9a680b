//! dyad's JSON Lines event format.

use std::io::{self, Write};

use serde::Serialize;

use super::{ActorParts, CodeFacts, EventRecord, EventWriter};
use dyad_types::{ActorMention, CharSpan};

/// Writes one JSON object per event, one per line (JSON Lines), keys always in the order
/// below. This is dyad's default output.
///
/// ```json
/// {"event_id":"a1-1-0","article_id":"a1","sentence":1,"sentence_id":"a1_2",
///  "date":"2023-10-19","date_missing":false,"url":null,"news_source":"AFP",
///  "source":{"code":"CHNGOV","country":"CHN","sector":"GOV","parts":["GOV"],
///            "text":"The Chinese government","span":[40,63]},
///  "target":{...},
///  "cameo":{"code":"0231","root":"02","name":"Appeal for economic aid"},
///  "goldstein":3.4,"quad_class":1,"plover":null,"issues":[],
///  "text":"The Chinese government urged ...",
///  "evidence":{"verb":{"text":"urged","span":[64,69]},"pattern":"...",
///              "pattern_entry":"CAMEO.2.0.txt:1234","source_entries":[...],
///              "target_entries":[...]}}
/// ```
///
/// | key | type | meaning |
/// |---|---|---|
/// | `event_id` | string | [`EventRecord::event_id`]: `{article_id}-{sentence}-{n}`, `n` the event's 0-based index in its sentence |
/// | `article_id` | string | [`Article::id`](crate::Article::id) |
/// | `sentence` | integer | 0-based index of the sentence in the article |
/// | `sentence_id` | string | [`EventRecord::sentence_id`] (`{article_id}_{sentence+1}`, or the input's id) |
/// | `date` | string or null | `YYYY-MM-DD`: the event's date, else the article's; null when unknown |
/// | `date_missing` | boolean | true exactly when `date` is null |
/// | `url` | string or null | the article's URL |
/// | `news_source` | string or null | the article's source (outlet, agency) |
/// | `source`, `target` | actor | who acted, and on whom (see below) |
/// | `cameo.code` | string | CAMEO event code as the dictionary gave it |
/// | `cameo.root` | string or null | its two-digit root (null when the code is not CAMEO) |
/// | `cameo.name` | string or null | its CAMEO label (an undefined 4-digit code gets its parent's) |
/// | `goldstein` | number or null | Goldstein value, −10 to 10 |
/// | `quad_class` | integer or null | 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict |
/// | `plover` | object or null | `type` (e.g. `CONSULT`, null if the code has no PLOVER type), `mode` (the mapping's mode, or [`EventRecord::plover_mode`] when given; null when none), `context` (array of strings); null when the code has no PLOVER counterpart (roots 01 and 02) and no mode was given |
/// | `issues` | array | `{"code": "NUCLEAR", "count": 1}` for each issue found |
/// | `text` | string | the sentence |
/// | `evidence.verb` | object | `text` and `span` of the verb (null when unknown) |
/// | `evidence.pattern` | string | the verb pattern that matched, as written in its dictionary (may be empty) |
/// | `evidence.pattern_entry` | string or null | `file:line` of that pattern |
/// | `evidence.source_entries`, `evidence.target_entries` | array of strings | `file:line` of the actor (then agent) entries that gave each actor code |
///
/// An actor object has `code` (the full CAMEO actor code, null when the slot is empty),
/// `country` (the leading country code: ISO 3166 alpha-3, or CAMEO's six letters for a
/// territory coded under its parent such as `USAGUM`; null when the code does not start
/// with a country), `sector` (the first three-letter part after the country, e.g. `GOV`
/// in `USAGOVMIL`, `IGO` in `IGOUNO`; null when none), `parts` (every three-letter part
/// after the country, in order), `text` (the words that named the actor) and `span`.
///
/// Every `span` is `[start, end)`: character (Unicode scalar value) offsets into the
/// **article** text, so `article.text.chars().skip(start).take(end - start)` is the
/// `text` beside it. It is null when the coder did not know where the words are.
///
/// Strings are UTF-8 (readers replace invalid bytes with U+FFFD before coding); JSON
/// escapes control characters. Numbers are written in their shortest exact form.
#[derive(Debug)]
pub struct JsonlWriter<W> {
    out: W,
    buf: Vec<u8>,
}

impl<W: Write> JsonlWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> JsonlWriter<W> {
        JsonlWriter {
            out,
            buf: Vec::new(),
        }
    }

    /// The output.
    pub fn into_inner(self) -> W {
        self.out
    }
}

#[derive(Serialize)]
struct Line<'a> {
    event_id: &'a str,
    article_id: &'a str,
    sentence: usize,
    sentence_id: &'a str,
    date: Option<String>,
    date_missing: bool,
    url: Option<&'a str>,
    news_source: Option<&'a str>,
    source: Actor,
    target: Actor,
    cameo: Cameo<'a>,
    goldstein: Option<f32>,
    quad_class: Option<u8>,
    plover: Option<Plover<'a>>,
    issues: Vec<Issue<'a>>,
    text: &'a str,
    evidence: Evidence<'a>,
}

#[derive(Serialize)]
struct Actor {
    code: Option<String>,
    country: Option<String>,
    sector: Option<String>,
    parts: Vec<String>,
    text: Option<String>,
    span: Option<[usize; 2]>,
}

#[derive(Serialize)]
struct Cameo<'a> {
    code: &'a str,
    root: Option<&'static str>,
    name: Option<&'static str>,
}

#[derive(Serialize)]
struct Plover<'a> {
    #[serde(rename = "type")]
    event_type: Option<&'static str>,
    mode: Option<&'a str>,
    context: Vec<&'static str>,
}

#[derive(Serialize)]
struct Issue<'a> {
    code: &'a str,
    count: u32,
}

#[derive(Serialize)]
struct Verb {
    text: Option<String>,
    span: Option<[usize; 2]>,
}

#[derive(Serialize)]
struct Evidence<'a> {
    verb: Verb,
    pattern: &'a str,
    pattern_entry: Option<String>,
    source_entries: Vec<String>,
    target_entries: Vec<String>,
}

fn span_pair(s: Option<CharSpan>) -> Option<[usize; 2]> {
    s.map(|s| [s.start, s.end])
}

fn actor(r: &EventRecord<'_>, m: &ActorMention) -> Actor {
    let p = ActorParts::of(&m.code);
    Actor {
        sector: p.parts.first().cloned(),
        code: p.code,
        country: p.country,
        parts: p.parts,
        text: r.span_text(m.span),
        span: span_pair(r.article_span(m.span)),
    }
}

impl<W: Write> EventWriter for JsonlWriter<W> {
    fn write(&mut self, r: &EventRecord<'_>) -> io::Result<()> {
        let e = r.event;
        let facts = CodeFacts::of(&e.code);
        let mapping = dyad_ontology::plover_for_cameo(&e.code);
        let plover = match (mapping, r.plover_mode) {
            (None, None) => None,
            (m, mode) => Some(Plover {
                event_type: m.map(|m| m.event_type.name()),
                mode: mode.or(m.and_then(|m| m.mode)),
                context: m.map(|m| m.contexts.clone()).unwrap_or_default(),
            }),
        };
        let date = r.date();
        let line = Line {
            event_id: &r.event_id,
            article_id: &r.article.id,
            sentence: r.sentence,
            sentence_id: &r.sentence_id,
            date: date.map(|d| d.to_string()),
            date_missing: date.is_none(),
            url: r.article.url.as_deref(),
            news_source: r.article.source.as_deref(),
            source: actor(r, &e.source),
            target: actor(r, &e.target),
            cameo: Cameo {
                code: &e.code,
                root: facts.root,
                name: facts.name,
            },
            goldstein: facts.goldstein,
            quad_class: facts.quad_class,
            plover,
            issues: e
                .issues
                .iter()
                .map(|(code, count)| Issue {
                    code,
                    count: *count,
                })
                .collect(),
            text: r.sentence_text,
            evidence: Evidence {
                verb: Verb {
                    text: r.span_text(e.verb_span),
                    span: span_pair(r.article_span(e.verb_span)),
                },
                pattern: &e.pattern,
                pattern_entry: e.pattern_entry.as_ref().map(|s| s.to_string()),
                source_entries: e.source.entries.iter().map(|s| s.to_string()).collect(),
                target_entries: e.target.entries.iter().map(|s| s.to_string()).collect(),
            },
        };
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, &line).map_err(io::Error::other)?;
        self.buf.push(b'\n');
        self.out.write_all(&self.buf)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
