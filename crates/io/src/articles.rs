//! Readers for raw news articles: JSON Lines, plain text files and PETRARCH XML.
//!
//! Every reader hands out one [`Article`] at a time, or a [`Reject`] that names the file,
//! the line and the reason when a record cannot be used; reading always goes on with the
//! next record. [`ArticleReader`] picks the reader from a file's extension (or an explicit
//! [`InputFormat`]) and reads standard input as JSON Lines unless told otherwise.
//!
//! # JSON Lines
//!
//! One JSON object per line with the keys `id`, `date`, `title`, `text`, `url` and
//! `source`. Only `text` is required; other keys are ignored. The reader keeps at most one
//! line in memory (and never more than [`ArticleOptions::max_line_bytes`] of it), so it
//! reads inputs of any size in bounded memory.
//!
//! | input | result |
//! |---|---|
//! | blank line | skipped silently |
//! | not JSON, or JSON that is not an object | [`Reject`]: [`RejectReason::NotJson`] / [`RejectReason::NotAnObject`] |
//! | no `text`, `text` null, empty or only whitespace | [`Reject`]: [`RejectReason::NoText`] |
//! | `text` not a string | [`Reject`]: [`RejectReason::TextNotString`] |
//! | `text` longer than [`ArticleOptions::max_text_bytes`] (10 MiB by default) | [`Reject`]: [`RejectReason::TooLarge`] |
//! | a line longer than [`ArticleOptions::max_line_bytes`] | [`Reject`]: [`RejectReason::LineTooLong`]; the line is skipped without being held in memory |
//! | `date` an impossible day (`"2023-02-30"`, `"2023-13"`) | [`Reject`]: [`RejectReason::ImpossibleDate`]. A date that cannot exist means the record is corrupt; coding it with no date would silently lose information |
//! | `date` partial (`"2023"`, `"2023-10"`) | kept; `date` is `None`, `date_missing` is true, and a warning says so |
//! | `date` in no known layout (`"yesterday"`), or not a string | kept; `date` is `None`, `date_missing` is true, and a warning says so |
//! | `date` absent, null or `""` | kept; `date` is `None`, `date_missing` is true, no warning |
//! | invalid UTF-8 bytes | replaced by U+FFFD, with a warning; the record is then read as usual |
//! | `id` absent | `FILE:LINE` |
//! | `id` a number | its decimal text |
//! | `id`, `title`, `url` or `source` of another type | ignored, with a warning |
//!
//! Accepted date layouts are `YYYY-MM-DD`, an RFC 3339 timestamp (its date part is used),
//! and `YYYYMMDD`. A UTF-8 byte order mark at the start of the input and a `\r` before
//! each `\n` are dropped.
//!
//! # Plain text
//!
//! A whole file is one article; its id is the file name (without directories) and its date
//! is unknown. Invalid UTF-8 is replaced with a warning; an empty file or one over the size
//! limit is rejected.
//!
//! # PETRARCH XML
//!
//! Read with [`parse_petrarch_xml`](crate::parse_petrarch_xml) (the whole file at once, as
//! that reader works). Consecutive `<Sentence>` records of one story (the id without its
//! final `_<n>`, PETRARCH's convention) make one article whose text is the sentence texts
//! joined by single spaces; each sentence, with its parse when the record had one, is in
//! [`Article::sentences`]. A record that cannot be read becomes a [`Reject`].

use std::collections::VecDeque;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dyad_types::{Date, DateError, ParsedSentence};
use serde_json::{Map, Value};

use crate::error::{Location, RecordErrorKind, Warning};
use crate::petrarch::{parse_petrarch_xml, ParseFormat, ReadOptions};

/// Default limit on the size of an article's text: 10 MiB of UTF-8.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 10 * 1024 * 1024;

/// One news article to code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// Identifier: the input's `id`, else `FILE:LINE` (JSON Lines), the file name (plain
    /// text) or the story id (PETRARCH XML).
    pub id: String,
    /// Date of the report, when the input gave a complete, valid one.
    pub date: Option<Date>,
    /// True when `date` is `None`, whatever the reason (absent, partial, unreadable):
    /// events of this article carry no date.
    pub date_missing: bool,
    /// Headline, when given.
    pub title: Option<String>,
    /// The article text; spans in the event output index its characters.
    pub text: String,
    /// Address of the article, when given.
    pub url: Option<String>,
    /// News source (agency, outlet), when given.
    pub source: Option<String>,
    /// Where the record starts (the line of a JSON Lines record; line 1 of a text file).
    pub location: Location,
    /// Sentences the input already split (and maybe parsed), in order; empty for JSON Lines
    /// and plain text, where the text layer splits `text`.
    pub sentences: Vec<GivenSentence>,
    /// Harmless problems met while reading this article (see the module docs).
    pub warnings: Vec<Warning>,
}

impl Article {
    /// An article with only an id, a text and a location: no date (`date_missing` is
    /// true), no title, URL, source, sentences or warnings.
    pub fn new(id: impl Into<String>, text: impl Into<String>, location: Location) -> Article {
        Article {
            id: id.into(),
            date: None,
            date_missing: true,
            title: None,
            text: text.into(),
            url: None,
            source: None,
            location,
            sentences: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// A sentence that came with the input (PETRARCH XML).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GivenSentence {
    /// Character offset of the sentence's first character in [`Article::text`].
    pub start_char: usize,
    /// The sentence; `tokens` is empty when the record had no parse.
    pub sentence: ParsedSentence,
    /// Whether the record had a parse, and which kind.
    pub parse_format: ParseFormat,
    /// Where the record is.
    pub location: Location,
}

/// Why an input record was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RejectReason {
    /// The line is not valid JSON.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// The line is JSON but not an object.
    #[error("not a JSON object (found {0})")]
    NotAnObject(&'static str),
    /// No `text`, or it is null, empty or only whitespace.
    #[error("no text")]
    NoText,
    /// `text` is not a string.
    #[error("text is not a string (found {0})")]
    TextNotString(&'static str),
    /// The date names a day that does not exist.
    #[error("impossible date {given:?}: {error}")]
    ImpossibleDate {
        /// The date as written.
        given: String,
        /// Why it is impossible.
        error: DateError,
    },
    /// The text is over the size limit.
    #[error("text is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the text in bytes (for skipped lines: at least this many).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The line is over the line length limit; it was skipped unread.
    #[error("line is over {limit} bytes; skipped")]
    LineTooLong {
        /// The limit.
        limit: usize,
    },
    /// The input could not be read.
    #[error("read error: {0}")]
    Io(String),
    /// A PETRARCH XML record could not be read.
    #[error("{}{kind}", id.as_deref().map(|i| format!("record {i}: ")).unwrap_or_default())]
    Record {
        /// The record's id, when known.
        id: Option<String>,
        /// Why.
        kind: RecordErrorKind,
    },
}

/// A record that was not read, where it is, and why. Reading goes on after it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct Reject {
    /// The input's name (`<stdin>` for standard input).
    pub file: Arc<str>,
    /// 1-based line of the record (0 when the whole input failed to open or read).
    pub line: usize,
    /// Why.
    pub reason: RejectReason,
}

/// Limits for the article readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArticleOptions {
    /// Longest accepted article text, in bytes of UTF-8 (default
    /// [`DEFAULT_MAX_TEXT_BYTES`]).
    pub max_text_bytes: usize,
}

impl Default for ArticleOptions {
    fn default() -> Self {
        ArticleOptions {
            max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
        }
    }
}

impl ArticleOptions {
    /// Longest JSON line kept in memory: room for a text at the limit written entirely as
    /// `\uXXXX` escapes, plus 1 MiB for the other keys.
    pub fn max_line_bytes(&self) -> usize {
        self.max_text_bytes
            .saturating_mul(6)
            .saturating_add(1024 * 1024)
    }
}

/// What an input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// JSON Lines articles (`.jsonl`, `.json`, `.ndjson`).
    Jsonl,
    /// One plain text article per file (`.txt`).
    Text,
    /// PETRARCH XML, with or without parses (`.xml`).
    PetrarchXml,
}

/// An input format name that is not known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown input format {0:?} (expected jsonl, text or xml)")]
pub struct UnknownInputFormat(pub String);

impl std::str::FromStr for InputFormat {
    type Err = UnknownInputFormat;

    /// `jsonl`/`json`/`ndjson`, `text`/`txt`, `xml`/`petrarch`, in any case.
    fn from_str(s: &str) -> Result<InputFormat, UnknownInputFormat> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "json" | "ndjson" => Ok(InputFormat::Jsonl),
            "text" | "txt" => Ok(InputFormat::Text),
            "xml" | "petrarch" => Ok(InputFormat::PetrarchXml),
            _ => Err(UnknownInputFormat(s.to_string())),
        }
    }
}

impl InputFormat {
    /// The format a file's extension says (`None` for other extensions).
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?;
        ext.parse()
            .ok()
            .filter(|_| !ext.eq_ignore_ascii_case("petrarch"))
    }
}

/// Reads JSON Lines articles one line at a time from any buffered reader.
///
/// ```
/// use dyad_io::{ArticleOptions, JsonlArticles};
/// let input = "{\"id\": \"a1\", \"date\": \"2023-10-19\", \"text\": \"Arnor urged Gondor.\"}\n\
///              not json\n\
///              {\"text\": \"Rohan met Gondor.\", \"date\": \"2023-10\"}\n";
/// let mut it = JsonlArticles::new(input.as_bytes(), "in.jsonl", ArticleOptions::default());
/// let a = it.next().unwrap()?;
/// assert_eq!((a.id.as_str(), a.date.unwrap().to_string()), ("a1", "2023-10-19".to_string()));
/// let r = it.next().unwrap().unwrap_err();
/// assert!(r.to_string().starts_with("in.jsonl:2: not JSON"), "{r}");
/// let c = it.next().unwrap()?;
/// assert_eq!(c.id, "in.jsonl:3");
/// assert!(c.date_missing && c.date.is_none());
/// assert!(c.warnings[0].message.contains("partial date"));
/// assert!(it.next().is_none());
/// # Ok::<(), dyad_io::Reject>(())
/// ```
pub struct JsonlArticles<R> {
    reader: R,
    file: Arc<str>,
    opts: ArticleOptions,
    line: usize,
    done: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> JsonlArticles<R> {
    /// A reader over `reader`; `file` names it in ids, warnings and rejects.
    pub fn new(reader: R, file: impl Into<Arc<str>>, opts: ArticleOptions) -> JsonlArticles<R> {
        JsonlArticles {
            reader,
            file: file.into(),
            opts,
            line: 0,
            done: false,
            buf: Vec::new(),
        }
    }

    /// Reads the next line into `self.buf`, keeping at most `cap` bytes. Returns
    /// `Ok(None)` at the end, `Ok(Some(false))` when the line was too long.
    fn read_line(&mut self, cap: usize) -> std::io::Result<Option<bool>> {
        self.buf.clear();
        // Do not keep a huge buffer around after one long line.
        if self.buf.capacity() > 1 << 20 {
            self.buf.shrink_to(1 << 16);
        }
        let mut overflow = false;
        let mut any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, found) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if !overflow {
                let room = cap.saturating_sub(self.buf.len());
                let piece = chunk.get(..take).unwrap_or(chunk);
                if piece.len() > room {
                    overflow = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(piece);
                }
            }
            self.reader.consume(take);
            if found {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        Ok(Some(!overflow))
    }
}

impl<R: BufRead> Iterator for JsonlArticles<R> {
    type Item = Result<Article, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let cap = self.opts.max_line_bytes();
            let read = self.read_line(cap);
            self.line += 1;
            let reject = |reason| Reject {
                file: self.file.clone(),
                line: self.line,
                reason,
            };
            match read {
                Err(e) => {
                    self.done = true;
                    return Some(Err(reject(RejectReason::Io(e.to_string()))));
                }
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Ok(Some(false)) => {
                    return Some(Err(reject(RejectReason::LineTooLong { limit: cap })));
                }
                Ok(Some(true)) => {}
            }
            let mut bytes: &[u8] = &self.buf;
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let location = Location::new(self.file.clone(), self.line);
            let mut warnings = Vec::new();
            let text = match std::str::from_utf8(bytes) {
                Ok(s) => std::borrow::Cow::Borrowed(s),
                Err(_) => {
                    warnings.push(Warning {
                        location: location.clone(),
                        message: "invalid UTF-8 bytes replaced with U+FFFD".into(),
                    });
                    String::from_utf8_lossy(bytes)
                }
            };
            let value: Value = match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(e) => return Some(Err(reject(RejectReason::NotJson(e.to_string())))),
            };
            let Value::Object(map) = value else {
                return Some(Err(reject(RejectReason::NotAnObject(type_name(&value)))));
            };
            return Some(article_from_json(map, location, warnings, &self.opts).map_err(reject));
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn article_from_json(
    mut map: Map<String, Value>,
    location: Location,
    mut warnings: Vec<Warning>,
    opts: &ArticleOptions,
) -> Result<Article, RejectReason> {
    let text = match map.remove("text") {
        None | Some(Value::Null) => return Err(RejectReason::NoText),
        Some(Value::String(s)) => s,
        Some(other) => return Err(RejectReason::TextNotString(type_name(&other))),
    };
    if text.trim().is_empty() {
        return Err(RejectReason::NoText);
    }
    if text.len() > opts.max_text_bytes {
        return Err(RejectReason::TooLarge {
            size: text.len(),
            limit: opts.max_text_bytes,
        });
    }
    let mut warn = |message: String| {
        warnings.push(Warning {
            location: location.clone(),
            message,
        })
    };
    let date = match map.remove("date") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match read_date(&s) {
            DateRead::Ok(d) => Some(d),
            DateRead::Empty => None,
            DateRead::Partial => {
                warn(format!("partial date {s:?}: day unknown, date set to null"));
                None
            }
            DateRead::Unreadable => {
                warn(format!(
                    "unreadable date {s:?} (expected YYYY-MM-DD): date set to null"
                ));
                None
            }
            DateRead::Impossible(error) => {
                return Err(RejectReason::ImpossibleDate { given: s, error })
            }
        },
        Some(other) => {
            warn(format!(
                "date is {} (expected a string): date set to null",
                type_name(&other)
            ));
            None
        }
    };
    let mut string_field = |key: &str| -> Option<String> {
        match map.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) if key == "id" => Some(n.to_string()),
            Some(other) => {
                warn(format!(
                    "{key} is {} (expected a string): ignored",
                    type_name(&other)
                ));
                None
            }
        }
    };
    let id = string_field("id").filter(|s| !s.is_empty());
    let title = string_field("title");
    let url = string_field("url");
    let source = string_field("source");
    Ok(Article {
        id: id.unwrap_or_else(|| location.to_string()),
        date,
        date_missing: date.is_none(),
        title,
        text,
        url,
        source,
        location,
        sentences: Vec::new(),
        warnings,
    })
}

enum DateRead {
    Ok(Date),
    Empty,
    Partial,
    Unreadable,
    Impossible(DateError),
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn read_date(s: &str) -> DateRead {
    let t = s.trim();
    if t.is_empty() {
        return DateRead::Empty;
    }
    match Date::parse_iso(t) {
        Ok(d) => return DateRead::Ok(d),
        Err(e @ DateError::Impossible(..)) => return DateRead::Impossible(e),
        Err(_) => {}
    }
    // `YYYY` or `YYYY-MM`: a month that cannot exist is impossible, otherwise partial.
    let (year, month) = match t.split_once('-') {
        None => (t, None),
        Some((y, m)) => (y, Some(m)),
    };
    if year.len() != 4 || !all_digits(year) {
        return DateRead::Unreadable;
    }
    match month {
        None => DateRead::Partial,
        Some(m) if m.len() == 2 && all_digits(m) => {
            let (y, m) = (year.parse().unwrap_or(0), m.parse().unwrap_or(0));
            match Date::new(y, m, 1) {
                Ok(_) => DateRead::Partial,
                Err(_) => DateRead::Impossible(DateError::Impossible(y, m, 0)),
            }
        }
        Some(_) => DateRead::Unreadable,
    }
}

/// Reads a whole plain text input as one article with id `id`; `file` names the input in
/// warnings and rejects. At most `max_text_bytes + 1` bytes are read.
pub fn read_text_article(
    reader: impl Read,
    file: &str,
    id: &str,
    opts: &ArticleOptions,
) -> Result<Article, Reject> {
    let file: Arc<str> = Arc::from(file);
    let reject = |line: usize, reason| Reject {
        file: file.clone(),
        line,
        reason,
    };
    let limit = opts.max_text_bytes;
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader
        .take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| reject(0, RejectReason::Io(e.to_string())))?;
    if bytes.len() > limit {
        return Err(reject(
            1,
            RejectReason::TooLarge {
                size: bytes.len(),
                limit,
            },
        ));
    }
    let location = Location::new(file.clone(), 1);
    let mut warnings = Vec::new();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match String::from_utf8(body.to_vec()) {
        Ok(s) => s,
        Err(_) => {
            warnings.push(Warning {
                location: location.clone(),
                message: "invalid UTF-8 bytes replaced with U+FFFD".into(),
            });
            String::from_utf8_lossy(body).into_owned()
        }
    };
    if text.trim().is_empty() {
        return Err(reject(1, RejectReason::NoText));
    }
    let mut article = Article::new(id, text, location);
    article.warnings = warnings;
    Ok(article)
}

/// The story a PETRARCH sentence id belongs to: the id without a final `_<n>`.
pub fn story_id(sentence_id: &str) -> &str {
    match sentence_id.rsplit_once('_') {
        Some((story, n))
            if !story.is_empty()
                && !n.is_empty()
                && n.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            story
        }
        _ => sentence_id,
    }
}

/// Reads PETRARCH XML text into articles (one per story) and rejects, in input order.
///
/// ```
/// let xml = r#"<Sentences>
/// <Sentence date="19950101" id="S1_1" source="AFP"><Text>Arnor urged Gondor.</Text></Sentence>
/// <Sentence date="19950101" id="S1_2"><Text>Rohan agreed.</Text></Sentence>
/// <Sentence date="19950231" id="S2_1"><Text>Bad date.</Text></Sentence>
/// </Sentences>"#;
/// let items = dyad_io::petrarch_articles(xml, "s.xml", &Default::default());
/// let a = items[0].as_ref().unwrap();
/// assert_eq!((a.id.as_str(), a.text.as_str()), ("S1", "Arnor urged Gondor. Rohan agreed."));
/// assert_eq!(a.sentences[1].start_char, 20);
/// assert_eq!(a.source.as_deref(), Some("AFP"));
/// assert!(items[1].is_err());
/// ```
pub fn petrarch_articles(
    xml: &str,
    file: &str,
    opts: &ReadOptions,
) -> Vec<Result<Article, Reject>> {
    let parsed = parse_petrarch_xml(xml, file, opts);
    let mut out: Vec<Result<Article, Reject>> = Vec::new();
    for rec in parsed.records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.push(Err(Reject {
                    file: e.location.file.clone(),
                    line: e.location.line,
                    reason: RejectReason::Record {
                        id: e.id,
                        kind: e.kind,
                    },
                }));
                continue;
            }
        };
        let story = story_id(&rec.id).to_string();
        let same = matches!(out.last(), Some(Ok(a)) if a.id == story);
        if !same {
            let mut a = Article::new(story, String::new(), rec.location.clone());
            a.date = Some(rec.date);
            a.date_missing = false;
            a.source = rec.attributes.get("source").cloned();
            a.url = rec.attributes.get("url").cloned();
            out.push(Ok(a));
        }
        if let Some(Ok(a)) = out.last_mut() {
            if !a.text.is_empty() {
                a.text.push(' ');
            }
            let start_char = a.text.chars().count();
            a.text.push_str(&rec.sentence.text);
            a.sentences.push(GivenSentence {
                start_char,
                sentence: rec.sentence,
                parse_format: rec.parse_format,
                location: rec.location,
            });
        }
    }
    out
}

/// Where an [`ArticleReader`] reads from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSource {
    /// Standard input.
    Stdin,
    /// A file.
    Path(PathBuf),
}

impl InputSource {
    /// `-` is standard input; anything else a path.
    pub fn from_arg(arg: &str) -> InputSource {
        if arg == "-" {
            InputSource::Stdin
        } else {
            InputSource::Path(PathBuf::from(arg))
        }
    }

    fn name(&self) -> String {
        match self {
            InputSource::Stdin => "<stdin>".to_string(),
            InputSource::Path(p) => p.display().to_string(),
        }
    }
}

enum Inner {
    Jsonl(JsonlArticles<Box<dyn BufRead + Send>>),
    Queue(VecDeque<Result<Article, Reject>>),
}

/// Reads articles from a file or standard input in any [`InputFormat`].
///
/// The format is the one given, else the file's extension says, else JSON Lines (always
/// JSON Lines for standard input unless given). JSON Lines is streamed; plain text is one
/// article; PETRARCH XML is read whole. Failing to open the input is one [`Reject`] with
/// line 0, after which the reader ends.
///
/// ```no_run
/// use dyad_io::{ArticleOptions, ArticleReader, InputSource};
/// let reader = ArticleReader::open(&InputSource::from_arg("news.jsonl"), None, ArticleOptions::default());
/// for item in reader {
///     match item {
///         Ok(article) => println!("{}: {} chars", article.id, article.text.chars().count()),
///         Err(reject) => eprintln!("{reject}"),
///     }
/// }
/// ```
pub struct ArticleReader {
    inner: Inner,
    format: InputFormat,
}

impl ArticleReader {
    /// Opens `source` as `format` (or the detected format).
    pub fn open(
        source: &InputSource,
        format: Option<InputFormat>,
        opts: ArticleOptions,
    ) -> ArticleReader {
        let name = source.name();
        let format = format
            .or_else(|| match source {
                InputSource::Path(p) => InputFormat::from_path(p),
                InputSource::Stdin => None,
            })
            .unwrap_or(InputFormat::Jsonl);
        let fail = |e: std::io::Error| ArticleReader {
            inner: Inner::Queue(VecDeque::from([Err(Reject {
                file: Arc::from(name.as_str()),
                line: 0,
                reason: RejectReason::Io(e.to_string()),
            })])),
            format,
        };
        let reader: Box<dyn Read + Send> = match source {
            InputSource::Stdin => Box::new(std::io::stdin()),
            InputSource::Path(p) => match std::fs::File::open(p) {
                Ok(f) => Box::new(f),
                Err(e) => return fail(e),
            },
        };
        ArticleReader::from_reader(reader, &name, format, opts)
    }

    /// Reads `reader` as `format`; `name` names it in ids, warnings and rejects (a plain
    /// text article's id is the last path component of `name`).
    pub fn from_reader(
        reader: Box<dyn Read + Send>,
        name: &str,
        format: InputFormat,
        opts: ArticleOptions,
    ) -> ArticleReader {
        let inner = match format {
            InputFormat::Jsonl => Inner::Jsonl(JsonlArticles::new(
                Box::new(BufReader::with_capacity(1 << 16, reader)),
                name,
                opts,
            )),
            InputFormat::Text => {
                let id = Path::new(name)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or(name);
                Inner::Queue(VecDeque::from([read_text_article(reader, name, id, &opts)]))
            }
            InputFormat::PetrarchXml => {
                let mut bytes = Vec::new();
                let mut reader = reader;
                match reader.read_to_end(&mut bytes) {
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&bytes);
                        let read = ReadOptions {
                            strict_alignment: false,
                            ..ReadOptions::default()
                        };
                        Inner::Queue(petrarch_articles(&text, name, &read).into())
                    }
                    Err(e) => Inner::Queue(VecDeque::from([Err(Reject {
                        file: Arc::from(name),
                        line: 0,
                        reason: RejectReason::Io(e.to_string()),
                    })])),
                }
            }
        };
        ArticleReader { inner, format }
    }

    /// The format being read.
    pub fn format(&self) -> InputFormat {
        self.format
    }
}

impl Iterator for ArticleReader {
    type Item = Result<Article, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Jsonl(j) => j.next(),
            Inner::Queue(q) => q.pop_front(),
        }
    }
}

impl fmt::Debug for ArticleReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArticleReader")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8]) -> Vec<Result<Article, Reject>> {
        JsonlArticles::new(input, "t.jsonl", ArticleOptions::default()).collect()
    }

    #[test]
    fn dates_are_read_rejected_or_nulled() {
        assert!(matches!(read_date("2023-10-19"), DateRead::Ok(_)));
        assert!(matches!(read_date("2023-10-19T08:00:00Z"), DateRead::Ok(_)));
        assert!(matches!(read_date("20231019"), DateRead::Ok(_)));
        assert!(matches!(read_date("2023-02-30"), DateRead::Impossible(_)));
        assert!(matches!(read_date("2023-13"), DateRead::Impossible(_)));
        assert!(matches!(read_date("2023-10"), DateRead::Partial));
        assert!(matches!(read_date("2023"), DateRead::Partial));
        assert!(matches!(read_date("yesterday"), DateRead::Unreadable));
        assert!(matches!(read_date("19 Oct 2023"), DateRead::Unreadable));
        assert!(matches!(read_date(" "), DateRead::Empty));
        assert!(matches!(read_date("2023-1é"), DateRead::Unreadable));
    }

    #[test]
    fn blank_lines_crlf_and_bom_are_harmless() {
        let got = read(b"\xEF\xBB\xBF{\"text\":\"a\"}\r\n\n   \n{\"text\":\"b\",\"id\":7}\n");
        assert_eq!(got.len(), 2);
        let a = got[0].as_ref().unwrap();
        assert_eq!((a.id.as_str(), a.text.as_str()), ("t.jsonl:1", "a"));
        let b = got[1].as_ref().unwrap();
        assert_eq!((b.id.as_str(), b.location.line), ("7", 4));
    }

    #[test]
    fn wrong_types_are_rejected_or_ignored() {
        let got = read(b"[1]\n{\"text\": 5}\n{\"text\": \"  \"}\n{\"text\":\"x\",\"url\":3,\"date\":20231019}\n");
        let reason = |i: usize| got[i].as_ref().unwrap_err().reason.clone();
        assert_eq!(reason(0), RejectReason::NotAnObject("an array"));
        assert_eq!(reason(1), RejectReason::TextNotString("a number"));
        assert_eq!(reason(2), RejectReason::NoText);
        let a = got[3].as_ref().unwrap();
        assert_eq!(a.url, None);
        assert!(a.date_missing);
        assert_eq!(a.warnings.len(), 2, "{:?}", a.warnings);
    }

    #[test]
    fn long_lines_are_skipped_without_being_kept() {
        let opts = ArticleOptions { max_text_bytes: 10 };
        let cap = opts.max_line_bytes();
        let mut input = format!("{{\"text\":\"{}\"}}\n", "x".repeat(cap + 5)).into_bytes();
        input.extend_from_slice(b"{\"text\":\"0123456789A\"}\n{\"text\":\"ok\"}\n");
        let got: Vec<_> = JsonlArticles::new(&input[..], "t", opts).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0].as_ref().unwrap_err().reason,
            RejectReason::LineTooLong { limit: cap }
        );
        assert_eq!(
            got[1].as_ref().unwrap_err().to_string(),
            "t:2: text is 11 bytes, over the limit of 10 bytes"
        );
        assert_eq!(got[2].as_ref().unwrap().text, "ok");
    }

    #[test]
    fn formats_from_names_and_extensions() {
        assert_eq!("NDJSON".parse(), Ok(InputFormat::Jsonl));
        assert_eq!("txt".parse(), Ok(InputFormat::Text));
        assert!("csv".parse::<InputFormat>().is_err());
        assert_eq!(
            InputFormat::from_path(Path::new("a/b.json")),
            Some(InputFormat::Jsonl)
        );
        assert_eq!(
            InputFormat::from_path(Path::new("b.XML")),
            Some(InputFormat::PetrarchXml)
        );
        assert_eq!(InputFormat::from_path(Path::new("b.csv")), None);
        assert_eq!(InputFormat::from_path(Path::new("b")), None);
    }

    #[test]
    fn text_articles() {
        let a = read_text_article(
            &b"Arnor urged Gondor.\n"[..],
            "dir/x.txt",
            "x.txt",
            &Default::default(),
        )
        .unwrap();
        assert_eq!((a.id.as_str(), a.date_missing), ("x.txt", true));
        let e = read_text_article(&b" \n"[..], "e.txt", "e.txt", &Default::default()).unwrap_err();
        assert_eq!(e.to_string(), "e.txt:1: no text");
        let big = read_text_article(
            &b"0123456789AB"[..],
            "b",
            "b",
            &ArticleOptions { max_text_bytes: 10 },
        )
        .unwrap_err();
        assert_eq!(
            big.reason,
            RejectReason::TooLarge {
                size: 11,
                limit: 10
            }
        );
        let bad = read_text_article(&b"caf\xE9"[..], "c", "c", &Default::default()).unwrap();
        assert_eq!(bad.text, "caf\u{FFFD}");
        assert_eq!(bad.warnings.len(), 1);
    }

    #[test]
    fn garbage_never_panics() {
        // A fixed pseudo-random stream of bytes biased towards JSON punctuation.
        let alphabet = b"{}[]\":,\\ \n\r\tatexdid0123456789-T\xff\xc3\xa9\x00";
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut input = Vec::new();
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            input.push(alphabet[(x % alphabet.len() as u64) as usize]);
        }
        let opts = ArticleOptions { max_text_bytes: 50 };
        let n = JsonlArticles::new(&input[..], "g", opts).count();
        assert!(n > 0);
        for date in [
            "2023-1é-01",
            "é",
            "2023-",
            "-10",
            "2023-10-",
            "202é",
            "99999999",
        ] {
            let _ = read_date(date);
        }
    }

    #[test]
    fn story_ids() {
        assert_eq!(story_id("AFP0808020625_4"), "AFP0808020625");
        assert_eq!(story_id("DEMO-01"), "DEMO-01");
        assert_eq!(story_id("_3"), "_3");
        assert_eq!(story_id("A_"), "A_");
    }
}
