//! `dyad ingest`: code articles as `dyad code` does and keep them, with their events, in
//! an event store (`dyad-store`, SQLite).
//!
//! Articles are read, coded in parallel and stored in batches, one transaction per batch.
//! Re-ingesting the same text with the same coder version leaves the store as it was;
//! changed text or another coder version (a changed dictionary) replaces the article's
//! events.
//!
//! An article without a date is stored with its events; the events carry no date, so the
//! store returns them from event queries and exports but leaves them out of dyad series
//! and top dyads. The summary line counts them (`undated=`).

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use dyad_io::Article;
use dyad_pipeline::{parallel_map, Pipeline};
use dyad_store::{content_hash, ArticleInput, ErrorKind, EventInput, IngestOutcome, Store, Writer};

use super::code::{build_pipeline, code_article, exit_code};
use super::input::ArticleBatches;

/// Articles coded and stored together: one store transaction each.
const BATCH_ARTICLES: usize = 1000;

/// Size in bytes of the text model embedded in the binary (part of the coder version).
/// Evaluated at compile time: the bytes themselves are not kept.
const MODEL_BYTES: usize = include_bytes!("../../../text/models/en_ewt.bin").len();

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// Inputs: JSON Lines articles (.jsonl), plain-text articles (.txt, one each), PETRARCH XML
    /// (.xml). None or `-`: JSON Lines on standard input.
    pub files: Vec<String>,
    /// The event store (an SQLite file, created when absent).
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
    /// Worker threads for coding (0: one per core). The store is the same for any count.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// More dictionaries in dyad's format (`.dyad`), loaded after the defaults.
    #[arg(long)]
    pub dict: Vec<PathBuf>,
    /// Input format for all inputs: jsonl, text or xml (default: by file extension).
    #[arg(long)]
    pub input_format: Option<String>,
    /// Also write each rejected record's `file:line: reason` to this file.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

#[derive(Default)]
struct Totals {
    articles: usize,
    inserted: usize,
    replaced: usize,
    unchanged: usize,
    events: usize,
    undated_events: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let mut batches = ArticleBatches::open(
        &args.files,
        args.input_format.as_deref(),
        args.rejects.as_deref(),
        BATCH_ARTICLES,
    )?;
    let coder_version = coder_version(&args.dict)?;
    let pipeline = build_pipeline(&args.dict, false)?;
    let store = Store::open(&args.db)
        .with_context(|| format!("cannot open the store {}", args.db.display()))?;
    let mut writer = store.writer().context("cannot write to the store")?;
    let stored_reader = store.reader().context("cannot read the store")?;

    let progress = std::io::stderr().is_terminal();
    let mut totals = Totals::default();
    while let Some(batch) = batches.next_batch()? {
        // Articles stored with the same text by the same coder version are not
        // coded again: the store would keep them as they are.
        let mut todo = Vec::with_capacity(batch.len());
        for article in batch {
            match stored_reader.article(&article.id)? {
                Some(stored)
                    if stored.content_hash == content_hash(&article.text)
                        && stored.coder_version == coder_version =>
                {
                    totals.articles += 1;
                    totals.unchanged += 1;
                    totals.events += usize::try_from(stored.mentions).unwrap_or(usize::MAX);
                }
                _ => todo.push(article),
            }
        }
        let inputs = parallel_map(&todo, args.threads, |a| {
            to_input(&pipeline, a, &coder_version)
        });
        totals.undated_events += inputs
            .iter()
            .filter(|i| i.date.is_none())
            .map(|i| i.events.iter().filter(|e| e.event.date.is_none()).count())
            .sum::<usize>();
        store_batch(&mut writer, &inputs, &mut totals, &mut batches)?;
        if progress {
            eprint!(
                "\rarticles={} inserted={} replaced={} unchanged={} events={} rejected={}",
                totals.articles,
                totals.inserted,
                totals.replaced,
                totals.unchanged,
                totals.events,
                batches.rejected()
            );
        }
    }
    let rejected = batches.finish()?;
    if progress {
        eprintln!();
    }
    eprintln!(
        "ingest: articles={} inserted={} replaced={} unchanged={} events={} undated={} rejected={} seconds={:.3}",
        totals.articles,
        totals.inserted,
        totals.replaced,
        totals.unchanged,
        totals.events,
        totals.undated_events,
        rejected,
        started.elapsed().as_secs_f64()
    );
    Ok(exit_code(rejected))
}

/// Stores one batch in one transaction. When the store refuses an article of it, the
/// others are stored one by one and the refused ones are rejected with the reason.
fn store_batch(
    writer: &mut Writer,
    batch: &[ArticleInput],
    totals: &mut Totals,
    rejects: &mut ArticleBatches,
) -> anyhow::Result<()> {
    let count = |outcome: IngestOutcome, input: &ArticleInput, totals: &mut Totals| {
        totals.articles += 1;
        totals.events += input.events.len();
        match outcome {
            IngestOutcome::Inserted => totals.inserted += 1,
            IngestOutcome::Replaced => totals.replaced += 1,
            IngestOutcome::Unchanged => totals.unchanged += 1,
        }
    };
    match writer.ingest_batch(batch) {
        Ok(outcomes) => {
            for (outcome, input) in outcomes.into_iter().zip(batch) {
                count(outcome, input, totals);
            }
            return Ok(());
        }
        Err(e) if !is_article_error(e.kind()) => {
            return Err(anyhow::Error::new(e).context("cannot store the articles"))
        }
        Err(_) => {}
    }
    for input in batch {
        match writer.ingest(input) {
            Ok(outcome) => count(outcome, input, totals),
            Err(e) if is_article_error(e.kind()) => {
                rejects.reject(&format_args!("{}: not stored: {e}", input.id))?;
            }
            Err(e) => return Err(anyhow::Error::new(e).context("cannot store the articles")),
        }
    }
    Ok(())
}

/// Errors that concern one article, not the store.
fn is_article_error(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::MissingDate { .. } | ErrorKind::SentenceOutOfRange { .. }
    )
}

/// Codes one article and shapes it for the store.
fn to_input(pipeline: &Pipeline, article: &Article, coder_version: &str) -> ArticleInput {
    let coded = code_article(pipeline, article);
    let mut sentences = Vec::with_capacity(coded.len());
    let mut events = Vec::new();
    for (k, s) in coded.into_iter().enumerate() {
        events.extend(
            s.events
                .into_iter()
                .map(|(event, _mode)| EventInput { sentence: k, event }),
        );
        sentences.push(s.text);
    }
    ArticleInput {
        id: article.id.clone(),
        date: article.date,
        title: article.title.clone().unwrap_or_default(),
        url: article.url.clone().unwrap_or_default(),
        source: article.source.clone().unwrap_or_default(),
        text: article.text.clone(),
        sentences,
        events,
        coder_version: coder_version.to_string(),
    }
}

/// `dyad VERSION dict:HASH model:BYTES`: changes when the program, a dictionary (default or
/// `--dict`) or the text model changes, so that re-ingesting then re-codes.
fn coder_version(extra_dicts: &[PathBuf]) -> anyhow::Result<String> {
    let mut hash = Fnv::new();
    for (name, text) in dyad_dict::Dictionaries::embedded_default_files() {
        hash.field(name.as_bytes());
        hash.field(text.as_bytes());
    }
    for path in extra_dicts {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        hash.field(path.display().to_string().as_bytes());
        hash.field(&bytes);
    }
    Ok(format!(
        "dyad {} dict:{:012x} model:{}",
        env!("CARGO_PKG_VERSION"),
        hash.0 >> 16,
        MODEL_BYTES
    ))
}

/// FNV-1a, 64 bits, over length-prefixed fields (so that field boundaries count).
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn field(&mut self, bytes: &[u8]) {
        self.bytes(&(bytes.len() as u64).to_le_bytes());
        self.bytes(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coder_version_names_program_dictionaries_and_model() {
        let v = coder_version(&[]).unwrap();
        assert!(v.starts_with(&format!("dyad {} dict:", env!("CARGO_PKG_VERSION"))));
        assert!(v.ends_with(&format!(" model:{MODEL_BYTES}")));
        assert_eq!(v, coder_version(&[]).unwrap());
    }

    #[test]
    fn an_extra_dictionary_changes_the_version() {
        let dir = std::env::temp_dir().join(format!("dyad-ingest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("extra.dyad");
        std::fs::write(&path, "one").unwrap();
        let one = coder_version(std::slice::from_ref(&path)).unwrap();
        std::fs::write(&path, "two").unwrap();
        let two = coder_version(std::slice::from_ref(&path)).unwrap();
        assert_ne!(one, two);
        assert_ne!(one, coder_version(&[]).unwrap());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn fnv_matches_the_reference_value() {
        let mut h = Fnv::new();
        h.bytes(b"a");
        assert_eq!(h.0, 0xaf63_dc4c_8601_ec8c);
    }
}
