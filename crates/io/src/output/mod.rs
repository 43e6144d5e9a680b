//! Event output: one [`EventRecord`] per coded event, written by an [`EventWriter`] in one
//! of the [`OutputFormat`]s.
//!
//! * [`JsonlWriter`]: dyad's own JSON Lines format, every field documented on the type
//!   (and in `docs/event-format.md`).
//! * [`PetrarchWriter`]: PETRARCH-2 event lines ([`format_event_line`](crate::format_event_line)).
//! * [`PhoenixWriter`]: the Phoenix data set's 26 tab-separated columns.
//! * [`GdeltWriter`]: the GDELT 2.0 event table's 61 tab-separated columns.
//! * [`ParquetWriter`] (Cargo feature `parquet`, on by default): the JSON Lines fields as
//!   flat Parquet columns, written in bounded row groups by [`ParquetTable`].
//!
//! All writers take any [`std::io::Write`], write nothing that depends on the clock, the
//! thread count or hash order (the same records give byte-identical output), and end
//! every record with `\n`. [`AtomicFile`] gives `--output` files that appear only when
//! complete; [`Deduplicator`] keeps one event per (date, source, target, code) per article.
//!
//! ```
//! use dyad_io::output::{EventRecord, OutputFormat, WriterOptions};
//! use dyad_io::{Article, Location};
//! use dyad_types::{ActorMention, CharSpan, Event};
//!
//! let article = Article::new("a1", "Intro. Arnor accused Gondor.", Location::new("in.jsonl", 1));
//! let event = Event {
//!     source: ActorMention { code: "ARN".into(), span: Some(CharSpan::new(0, 5)), ..Default::default() },
//!     target: ActorMention { code: "GON".into(), span: Some(CharSpan::new(14, 20)), ..Default::default() },
//!     code: "112".into(),
//!     verb_span: Some(CharSpan::new(6, 13)),
//!     ..Default::default()
//! };
//! // The event is in sentence 1, which starts at character 7 of the article.
//! let record = EventRecord::new(&article, 1, "Arnor accused Gondor.", 7, &event, 0);
//! let mut out = Vec::new();
//! let mut writer = "jsonl".parse::<OutputFormat>()?.writer(&mut out, &WriterOptions::default());
//! writer.write(&record)?;
//! writer.finish()?;
//! drop(writer);
//! let line: serde_json::Value = serde_json::from_slice(&out)?;
//! assert_eq!(line["event_id"], "a1-1-0");
//! assert_eq!(line["target"]["span"], serde_json::json!([21, 27]));
//! assert_eq!(line["cameo"]["root"], "11");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use dyad_ontology::{ActorCodePart, ActorKind};
use dyad_types::{CharSpan, Date, Event};

use crate::articles::Article;

mod gdelt;
mod jsonl;
#[cfg(feature = "parquet")]
mod parquet;
mod phoenix_tsv;

pub use gdelt::{GdeltWriter, GDELT_COLUMNS};
pub use jsonl::JsonlWriter;
#[cfg(feature = "parquet")]
pub use parquet::{
    Cell, ColumnType, ParquetColumn, ParquetTable, ParquetWriter, DEFAULT_ROW_GROUP_ROWS,
    EVENT_COLUMNS, EVENT_SCHEMA_ID,
};
pub use phoenix_tsv::{PhoenixWriter, PHOENIX_COLUMNS};

/// One event to write, with the article and sentence it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRecord<'a> {
    /// The article (its id, date, URL and source are written; its text is not).
    pub article: &'a Article,
    /// 0-based index of the sentence in the article.
    pub sentence: usize,
    /// Identifier of the sentence for formats that list sentence ids (PETRARCH, Phoenix):
    /// by default `{article_id}_{sentence + 1}`, PETRARCH's `story_sentence` convention;
    /// set it to the input's own id when the input had one (PETRARCH XML).
    pub sentence_id: String,
    /// The sentence text; the event's spans index its characters.
    pub sentence_text: &'a str,
    /// Character offset of the sentence's first character in the article text.
    pub sentence_start: usize,
    /// The coded event (spans relative to the sentence).
    pub event: &'a Event,
    /// Identifier of the event, unique within a run: `{article_id}-{sentence}-{n}` where
    /// `n` is the event's 0-based index among the sentence's events.
    pub event_id: String,
    /// A PLOVER mode to write instead of the one the CAMEO mapping gives (an auxiliary
    /// mode such as `historical`, when the caller found one).
    pub plover_mode: Option<&'a str>,
}

impl<'a> EventRecord<'a> {
    /// The record of the `n`-th event (0-based) of sentence `sentence` of `article`, whose
    /// text `sentence_text` starts at character `sentence_start` of the article text.
    pub fn new(
        article: &'a Article,
        sentence: usize,
        sentence_text: &'a str,
        sentence_start: usize,
        event: &'a Event,
        n: usize,
    ) -> EventRecord<'a> {
        EventRecord {
            article,
            sentence,
            sentence_id: format!("{}_{}", article.id, sentence + 1),
            sentence_text,
            sentence_start,
            event,
            event_id: format!("{}-{}-{}", article.id, sentence, n),
            plover_mode: None,
        }
    }

    /// The event's date, else the article's.
    pub fn date(&self) -> Option<Date> {
        self.event.date.or(self.article.date)
    }

    /// A sentence span moved to article offsets.
    pub fn article_span(&self, span: Option<CharSpan>) -> Option<CharSpan> {
        let s = span?;
        Some(CharSpan::new(
            s.start.checked_add(self.sentence_start)?,
            s.end.checked_add(self.sentence_start)?,
        ))
    }

    /// The sentence text under a (sentence-relative) span; `None` when the span is empty
    /// or outside the sentence.
    pub fn span_text(&self, span: Option<CharSpan>) -> Option<String> {
        let s = span?;
        if s.start >= s.end {
            return None;
        }
        let text: String = self
            .sentence_text
            .chars()
            .skip(s.start)
            .take(s.end - s.start)
            .collect();
        (text.chars().count() == s.end - s.start).then_some(text)
    }
}

/// A writer of events in one format.
pub trait EventWriter {
    /// Writes one event.
    fn write(&mut self, record: &EventRecord<'_>) -> io::Result<()>;
    /// Writes anything still pending and flushes the output. Call it once, at the end.
    fn finish(&mut self) -> io::Result<()>;
}

/// Options shared by the writers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriterOptions {
    /// PETRARCH lines: which optional fields to write.
    pub petrarch: crate::EventLineOptions,
}

/// The output formats `dyad code` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// [`JsonlWriter`], the default.
    #[default]
    Jsonl,
    /// [`PetrarchWriter`].
    Petrarch,
    /// [`PhoenixWriter`].
    Phoenix,
    /// [`GdeltWriter`].
    Gdelt,
    /// `ParquetWriter` (needs the `parquet` feature; binary, so meant for files).
    #[cfg(feature = "parquet")]
    Parquet,
}

/// An output format that cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// Parquet was asked for, but this build has the `parquet` feature of `dyad-io` off.
    #[error("parquet output is not in this build (the `parquet` feature of dyad-io is off)")]
    ParquetNotBuilt,
    /// No such format.
    #[error("unknown output format {0:?} (expected jsonl, petrarch, phoenix, gdelt or parquet)")]
    Unknown(String),
}

impl std::str::FromStr for OutputFormat {
    type Err = FormatError;

    /// `jsonl` (or `json`), `petrarch`, `phoenix`, `gdelt`, `parquet`, in any case;
    /// `parquet` gives [`FormatError::ParquetNotBuilt`] when the `parquet` feature is off.
    fn from_str(s: &str) -> Result<OutputFormat, FormatError> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "json" => Ok(OutputFormat::Jsonl),
            "petrarch" => Ok(OutputFormat::Petrarch),
            "phoenix" => Ok(OutputFormat::Phoenix),
            "gdelt" => Ok(OutputFormat::Gdelt),
            #[cfg(feature = "parquet")]
            "parquet" => Ok(OutputFormat::Parquet),
            #[cfg(not(feature = "parquet"))]
            "parquet" => Err(FormatError::ParquetNotBuilt),
            _ => Err(FormatError::Unknown(s.to_string())),
        }
    }
}

impl OutputFormat {
    /// True for binary formats (Parquet), which should go to a file rather than a terminal.
    pub fn is_binary(self) -> bool {
        self.name() == "parquet"
    }

    /// The format's name as `from_str` reads it.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Petrarch => "petrarch",
            OutputFormat::Phoenix => "phoenix",
            OutputFormat::Gdelt => "gdelt",
            #[cfg(feature = "parquet")]
            OutputFormat::Parquet => "parquet",
        }
    }

    /// A writer of this format over `out`. Wrap files in a [`std::io::BufWriter`].
    pub fn writer<'w, W: Write + 'w>(
        self,
        out: W,
        opts: &WriterOptions,
    ) -> Box<dyn EventWriter + 'w> {
        match self {
            OutputFormat::Jsonl => Box::new(JsonlWriter::new(out)),
            OutputFormat::Petrarch => Box::new(PetrarchWriter::new(out, opts.petrarch)),
            OutputFormat::Phoenix => Box::new(PhoenixWriter::new(out)),
            OutputFormat::Gdelt => Box::new(GdeltWriter::new(out)),
            #[cfg(feature = "parquet")]
            OutputFormat::Parquet => Box::new(ParquetWriter::new(out)),
        }
    }
}

/// Writes PETRARCH-2 event lines, one per event, each ended by `\n`.
///
/// The columns are those of [`format_event_line`](crate::format_event_line): the date
/// (`YYYYMMDD`), source, target, CAMEO code, issues, [`EventRecord::sentence_id`], the
/// article URL when it has one, the article source (`NULL` when unknown), then the
/// optional actor and verb texts that [`WriterOptions::petrarch`] asks for. Actor roots
/// are not known here and are written as `---` when asked for.
#[derive(Debug)]
pub struct PetrarchWriter<W> {
    out: W,
    opts: crate::EventLineOptions,
}

impl<W: Write> PetrarchWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W, opts: crate::EventLineOptions) -> PetrarchWriter<W> {
        PetrarchWriter { out, opts }
    }

    /// The output.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> EventWriter for PetrarchWriter<W> {
    fn write(&mut self, r: &EventRecord<'_>) -> io::Result<()> {
        let ids = [r.sentence_id.clone()];
        let mut event = r.event.clone();
        event.date = r.date();
        let ctx = crate::LineContext {
            text: Some(r.sentence_text),
            story_source: r.article.source.as_deref(),
            url: r.article.url.as_deref(),
            actor_roots: None,
            ids: Some(&ids),
        };
        let line = crate::format_event_line(&event, &ctx, &self.opts);
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A file written under a temporary name in the same directory and renamed into place by
/// [`AtomicFile::commit`], so readers never see half an output. Dropped without a commit
/// (an error, a panic), the temporary file is removed and any earlier file at the path
/// is left as it was.
///
/// ```
/// use std::io::Write;
/// let dir = std::env::temp_dir().join(format!("dyad-atomic-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("events.jsonl");
/// let mut f = dyad_io::output::AtomicFile::create(&path)?;
/// f.write_all(b"{}\n")?;
/// assert!(!path.exists());
/// f.commit()?;
/// assert_eq!(std::fs::read(&path)?, b"{}\n");
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct AtomicFile {
    file: Option<io::BufWriter<File>>,
    temp: PathBuf,
    path: PathBuf,
}

impl AtomicFile {
    /// Creates the temporary file `.{name}.{pid}.{n}.tmp` beside `path`.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "output path has no file name")
            })?
            .to_string_lossy()
            .into_owned();
        let mut n = 0u32;
        loop {
            let temp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
            match File::options().write(true).create_new(true).open(&temp) {
                Ok(f) => {
                    return Ok(AtomicFile {
                        file: Some(io::BufWriter::new(f)),
                        temp,
                        path: path.to_path_buf(),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// The path the file will have once committed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(w) = self.file.take() {
            let f = w.into_inner().map_err(|e| e.into_error())?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&self.temp, &self.path)?;
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Keeps one event per (date, source, target, code) within an article, as PETRARCH does
/// before writing, and counts the others. Articles are told apart by id: the set of seen
/// keys is cleared whenever the article id changes, so memory is bounded by the largest
/// article.
///
/// ```
/// use dyad_io::output::{Deduplicator, EventRecord};
/// use dyad_io::{Article, Location};
/// use dyad_types::Event;
/// let a = Article::new("a", "x", Location::new("f", 1));
/// let e = Event { code: "010".into(), ..Default::default() };
/// let mut d = Deduplicator::new(false);
/// assert!(d.keep(&EventRecord::new(&a, 0, "x", 0, &e, 0)));
/// assert!(!d.keep(&EventRecord::new(&a, 1, "x", 0, &e, 0)));
/// assert_eq!(d.dropped(), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Deduplicator {
    keep_all: bool,
    article: Option<String>,
    seen: std::collections::BTreeSet<(Option<Date>, String, String, String)>,
    dropped: usize,
}

impl Deduplicator {
    /// A deduplicator; with `keep_all` every event is kept (and none counted).
    pub fn new(keep_all: bool) -> Deduplicator {
        Deduplicator {
            keep_all,
            ..Deduplicator::default()
        }
    }

    /// True when the record should be written: it is the first of its key in its article
    /// (or all are kept).
    pub fn keep(&mut self, r: &EventRecord<'_>) -> bool {
        if self.keep_all {
            return true;
        }
        if self.article.as_deref() != Some(r.article.id.as_str()) {
            self.article = Some(r.article.id.clone());
            self.seen.clear();
        }
        let key = (
            r.date(),
            r.event.source.code.clone(),
            r.event.target.code.clone(),
            r.event.code.clone(),
        );
        if self.seen.insert(key) {
            true
        } else {
            self.dropped += 1;
            false
        }
    }

    /// How many events were not kept so far.
    pub fn dropped(&self) -> usize {
        self.dropped
    }
}

/// An actor code read into the parts the output formats need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ActorParts {
    /// The whole code, `None` when the slot is empty.
    pub code: Option<String>,
    /// The leading country code, when the code starts with one.
    pub country: Option<String>,
    /// The three-letter parts after the country, in order.
    pub parts: Vec<String>,
    /// The kind of each part, when the ontology knows it.
    pub kinds: Vec<Option<ActorKind>>,
}

impl ActorParts {
    pub(crate) fn of(code: &str) -> ActorParts {
        let code = code.trim();
        if code.is_empty() || code == "---" {
            return ActorParts::default();
        }
        match dyad_ontology::split_actor_code(code) {
            Some(p) => {
                let (parts, kinds) = p
                    .parts
                    .iter()
                    .map(|part| match part {
                        ActorCodePart::Type(t) => (t.code.to_string(), Some(t.kind)),
                        ActorCodePart::Other(s) => (s.to_string(), None),
                    })
                    .unzip();
                ActorParts {
                    code: Some(code.to_string()),
                    country: p.country.map(|c| c.code.to_string()),
                    parts,
                    kinds,
                }
            }
            // Codes that are not upper-case letters in threes: keep them whole.
            None => ActorParts {
                code: Some(code.to_string()),
                ..ActorParts::default()
            },
        }
    }
}

/// Event code facts the writers share.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct CodeFacts {
    pub root: Option<&'static str>,
    pub base: Option<String>,
    pub name: Option<&'static str>,
    pub goldstein: Option<f32>,
    pub quad_class: Option<u8>,
}

impl CodeFacts {
    pub(crate) fn of(code: &str) -> CodeFacts {
        match dyad_ontology::resolve_cameo(code) {
            Some(e) => CodeFacts {
                root: Some(e.root),
                base: Some(code.get(..3).unwrap_or(code).to_string()),
                name: Some(e.name),
                goldstein: Some(e.goldstein),
                quad_class: Some(e.quad_class.number()),
            },
            None => CodeFacts::default(),
        }
    }
}

/// Replaces tabs and line breaks by spaces (for tab-separated formats).
pub(crate) fn clean_field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Writes `cols` as one tab-separated line.
pub(crate) fn write_tsv_row(out: &mut impl Write, cols: &[String]) -> io::Result<()> {
    let mut line = cols.join("\t");
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// A Goldstein value with one decimal, as the CAMEO tables write them.
pub(crate) fn goldstein_text(g: Option<f32>) -> String {
    g.map(|g| format!("{g:.1}")).unwrap_or_default()
}

/// `CODE,count;CODE,count`.
pub(crate) fn issues_text(e: &Event) -> String {
    e.issues
        .iter()
        .map(|(c, n)| format!("{},{n}", clean_field(c)))
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;

    #[test]
    fn formats_parse() {
        assert_eq!("JSONL".parse(), Ok(OutputFormat::Jsonl));
        assert_eq!("gdelt".parse(), Ok(OutputFormat::Gdelt));
        #[cfg(feature = "parquet")]
        {
            assert_eq!("Parquet".parse(), Ok(OutputFormat::Parquet));
            assert!(OutputFormat::Parquet.is_binary());
        }
        #[cfg(not(feature = "parquet"))]
        assert_eq!(
            "parquet".parse::<OutputFormat>().unwrap_err().to_string(),
            "parquet output is not in this build (the `parquet` feature of dyad-io is off)"
        );
        assert!(matches!(
            "csv".parse::<OutputFormat>(),
            Err(FormatError::Unknown(_))
        ));
        for f in [
            OutputFormat::Jsonl,
            OutputFormat::Petrarch,
            OutputFormat::Phoenix,
            OutputFormat::Gdelt,
            #[cfg(feature = "parquet")]
            OutputFormat::Parquet,
        ] {
            assert_eq!(f.name().parse(), Ok(f));
            assert_eq!(f.is_binary(), f.name() == "parquet");
        }
    }

    #[test]
    fn actor_parts() {
        let p = ActorParts::of("USAGOVMIL");
        assert_eq!(p.country.as_deref(), Some("USA"));
        assert_eq!(p.parts, ["GOV", "MIL"]);
        assert_eq!(ActorParts::of("---"), ActorParts::default());
        let odd = ActorParts::of("xx");
        assert_eq!((odd.code.as_deref(), odd.parts.len()), (Some("xx"), 0));
    }

    #[test]
    fn code_facts() {
        let f = CodeFacts::of("0874");
        assert_eq!(
            (f.root, f.base.as_deref(), f.quad_class),
            (Some("08"), Some("087"), Some(2))
        );
        assert_eq!(goldstein_text(f.goldstein), "10.0");
        assert_eq!(CodeFacts::of("---"), CodeFacts::default());
        assert_eq!(CodeFacts::of("19").base.as_deref(), Some("19"));
    }

    #[test]
    fn dedup_is_per_article_and_keys_on_date_actors_code() {
        let a = Article::new("a", "x", Location::new("f", 1));
        let b = Article::new("b", "x", Location::new("f", 2));
        let e = Event {
            code: "010".into(),
            ..Default::default()
        };
        let mut f = e.clone();
        f.target.code = "GON".into();
        let mut d = Deduplicator::new(false);
        assert!(d.keep(&EventRecord::new(&a, 0, "x", 0, &e, 0)));
        assert!(d.keep(&EventRecord::new(&a, 0, "x", 0, &f, 1)));
        assert!(!d.keep(&EventRecord::new(&a, 2, "x", 0, &e, 0)));
        assert!(d.keep(&EventRecord::new(&b, 0, "x", 0, &e, 0)));
        assert_eq!(d.dropped(), 1);
        let mut all = Deduplicator::new(true);
        assert!(all.keep(&EventRecord::new(&a, 0, "x", 0, &e, 0)));
        assert!(all.keep(&EventRecord::new(&a, 0, "x", 0, &e, 0)));
        assert_eq!(all.dropped(), 0);
    }

    #[test]
    fn atomic_file_is_removed_when_not_committed() {
        let dir = std::env::temp_dir().join(format!("dyad-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.txt");
        std::fs::write(&path, "old").unwrap();
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(b"new").unwrap();
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
