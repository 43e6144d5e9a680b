//! `dyad parse`: split, tokenize, tag, lemmatize and parse text; write CoNLL-U.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::input::ArticleBatches;

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// Files to parse: each plain text file is one document; a JSON Lines file
    /// (`.jsonl`, `.json`, `.ndjson`) holds one article per line with its `text` and `id`,
    /// as `dyad code` reads them. Standard input (plain text) when none is given. Invalid
    /// UTF-8 is replaced with U+FFFD, with a warning; a file or record that cannot be read
    /// is reported and skipped, and the exit code is then 3.
    files: Vec<PathBuf>,
    /// Use this model file instead of the embedded one.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Alternative paths the parser tries per sentence: 0 (default) is greedy; 8 is about
    /// 0.6 UAS/LAS points better for 1.8 times the parsing work.
    #[arg(long, default_value_t = 0)]
    parse_branches: usize,
    /// Worker threads (0: one per core). Output is the same for any count.
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

/// Documents parsed together on the worker threads, at most this many ...
const BATCH_DOCUMENTS: usize = 64;
/// ... or this many bytes of text.
const BATCH_BYTES: usize = 16 << 20;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = match &args.model {
        Some(p) => dyad_text::Model::load(p)?,
        None => dyad_text::Model::embedded()?,
    }
    .with_parse_branches(args.parse_branches);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut batch = Batch::default();
    // Parse the batch's documents on the worker threads and write them in input order.
    let mut flush = |batch: &mut Batch| -> anyhow::Result<()> {
        let rendered = dyad_pipeline::parallel_map(&batch.documents, args.threads, |(id, text)| {
            // CoNLL-U takes about 14 bytes per byte of news text.
            let mut conllu = String::with_capacity(text.len() * 14);
            // Writing to a String cannot fail.
            let _ = model.write_conllu(text, id, &mut conllu);
            conllu
        });
        for conllu in rendered {
            out.write_all(conllu.as_bytes())
                .context("writing to standard output")?;
        }
        batch.documents.clear();
        batch.bytes = 0;
        Ok(())
    };
    let (mut skipped, mut warnings) = (0usize, 0usize);
    if args.files.is_empty() {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        let text = utf8_or_replaced(bytes, "standard input", &mut warnings);
        batch.push("stdin".into(), text);
    }
    for path in &args.files {
        let name = path.display().to_string();
        if dyad_io::InputFormat::from_path(path) == Some(dyad_io::InputFormat::Jsonl) {
            // `dyad code`'s reader: it prints each article's warnings and reports and counts
            // each record it cannot read (a file that cannot be opened is one).
            let mut articles =
                ArticleBatches::open(std::slice::from_ref(&name), None, None, BATCH_DOCUMENTS)?;
            while let Some(read) = articles.next_batch()? {
                for article in read {
                    warnings += article.warnings.len();
                    if batch.push(article.id, article.text) {
                        flush(&mut batch)?;
                    }
                }
            }
            skipped += articles.finish()?;
            continue;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("dyad parse: {name}: {e}; skipped");
                skipped += 1;
                continue;
            }
        };
        let text = utf8_or_replaced(bytes, &name, &mut warnings);
        if batch.push(name, text) {
            flush(&mut batch)?;
        }
    }
    let documents = batch.total;
    flush(&mut batch)?;
    out.flush().context("writing to standard output")?;
    eprintln!("parse: documents={documents} skipped={skipped} warnings={warnings}");
    Ok(if skipped > 0 {
        ExitCode::from(super::code::EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Documents (id, text) waiting to be parsed.
#[derive(Default)]
struct Batch {
    documents: Vec<(String, String)>,
    /// Bytes of text in `documents`.
    bytes: usize,
    /// Documents pushed so far, over all batches.
    total: usize,
}

impl Batch {
    /// Add a document; true when the batch is full.
    fn push(&mut self, id: String, text: String) -> bool {
        self.bytes += text.len();
        self.total += 1;
        self.documents.push((id, text));
        self.documents.len() >= BATCH_DOCUMENTS || self.bytes >= BATCH_BYTES
    }
}

/// The input as text: itself when it is UTF-8, else with each invalid sequence replaced by
/// U+FFFD and a warning (counted in `warnings`) naming the input and the first bad byte.
fn utf8_or_replaced(bytes: Vec<u8>, name: &str, warnings: &mut usize) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            eprintln!(
                "dyad parse: {name}: invalid UTF-8 at byte {}; invalid bytes replaced with U+FFFD",
                e.utf8_error().valid_up_to()
            );
            *warnings += 1;
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    }
}
