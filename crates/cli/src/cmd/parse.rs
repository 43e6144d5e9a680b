//! `dyad parse`: split, tokenize, tag, lemmatize and parse text; write CoNLL-U.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

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
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = match &args.model {
        Some(p) => dyad_text::Model::load(p)?,
        None => dyad_text::Model::embedded()?,
    }
    .with_parse_branches(args.parse_branches);
    let stdout = std::io::stdout();
    let mut out = IoFmt {
        inner: std::io::BufWriter::new(stdout.lock()),
        error: None,
    };
    let write = |out: &mut IoFmt<_>, text: &str, doc_id: &str| -> anyhow::Result<()> {
        if model.write_conllu(text, doc_id, out).is_err() {
            let e = out.error.take();
            return Err(e.map_or_else(|| anyhow::anyhow!("writing CoNLL-U"), Into::into))
                .context("writing to standard output");
        }
        Ok(())
    };
    // One buffer, reused for every file.
    let mut bytes = Vec::new();
    let (mut documents, mut skipped, mut warnings) = (0usize, 0usize, 0usize);
    if args.files.is_empty() {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        let text = utf8_or_replaced(&bytes, "standard input", &mut warnings);
        write(&mut out, &text, "stdin")?;
        documents += 1;
    }
    for path in &args.files {
        let name = path.display().to_string();
        if dyad_io::InputFormat::from_path(path) == Some(dyad_io::InputFormat::Jsonl) {
            let file = match std::fs::File::open(path) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("dyad parse: {name}: {e}; skipped");
                    skipped += 1;
                    continue;
                }
            };
            let reader = std::io::BufReader::with_capacity(1 << 16, file);
            for record in dyad_io::JsonlArticles::new(reader, name.as_str(), Default::default()) {
                match record {
                    Ok(article) => {
                        for w in &article.warnings {
                            eprintln!("dyad parse: {w}");
                        }
                        warnings += article.warnings.len();
                        write(&mut out, &article.text, &article.id)?;
                        documents += 1;
                    }
                    Err(reject) => {
                        eprintln!("dyad parse: {reject}; skipped");
                        skipped += 1;
                    }
                }
            }
            continue;
        }
        bytes.clear();
        if let Err(e) = std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)) {
            eprintln!("dyad parse: {name}: {e}; skipped");
            skipped += 1;
            continue;
        }
        let text = utf8_or_replaced(&bytes, &name, &mut warnings);
        write(&mut out, &text, &name)?;
        documents += 1;
    }
    out.inner.flush()?;
    eprintln!("parse: documents={documents} skipped={skipped} warnings={warnings}");
    Ok(if skipped > 0 {
        ExitCode::from(super::code::EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    })
}

/// The input as text: itself when it is UTF-8, else with each invalid sequence replaced by
/// U+FFFD and a warning (counted in `warnings`) naming the input and the first bad byte.
fn utf8_or_replaced<'a>(
    bytes: &'a [u8],
    name: &str,
    warnings: &mut usize,
) -> std::borrow::Cow<'a, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(e) => {
            eprintln!(
                "dyad parse: {name}: invalid UTF-8 at byte {}; invalid bytes replaced with U+FFFD",
                e.valid_up_to()
            );
            *warnings += 1;
            String::from_utf8_lossy(bytes)
        }
    }
}

/// `fmt::Write` over an `io::Write`, keeping the I/O error that `fmt::Error` cannot carry.
struct IoFmt<W: Write> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> std::fmt::Write for IoFmt<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.inner.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}
