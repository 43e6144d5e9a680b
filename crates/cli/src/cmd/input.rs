//! What `dyad code`, `dyad ingest` and `dyad parse` (for its JSON Lines inputs) share:
//! reading articles from the command line's inputs in bounded batches, reporting each
//! rejected record once.

use std::fmt::Display;
use std::io::Write as _;
use std::iter::Peekable;
use std::path::Path;

use anyhow::Context as _;
use dyad_io::{Article, ArticleOptions, ArticleReader, InputFormat, InputSource};

/// Articles from a list of inputs (none: standard input), a batch at a time. Rejected
/// records go to stderr and, when asked, to a rejects file, and are counted.
pub struct ArticleBatches {
    inputs: std::vec::IntoIter<InputSource>,
    current: Option<Peekable<ArticleReader>>,
    format: Option<InputFormat>,
    batch_size: usize,
    rejects: Option<std::io::BufWriter<std::fs::File>>,
    rejected: usize,
}

impl ArticleBatches {
    /// Batches of at most `batch_size` articles from `files` (`-` or none: stdin), read as
    /// `input_format` (default: by extension), with rejects also written to `rejects`.
    pub fn open(
        files: &[String],
        input_format: Option<&str>,
        rejects: Option<&Path>,
        batch_size: usize,
    ) -> anyhow::Result<ArticleBatches> {
        let format = input_format
            .map(str::parse::<InputFormat>)
            .transpose()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let rejects = match rejects {
            Some(p) => Some(std::io::BufWriter::new(
                std::fs::File::create(p)
                    .with_context(|| format!("cannot create {}", p.display()))?,
            )),
            None => None,
        };
        let inputs: Vec<InputSource> = if files.is_empty() {
            vec![InputSource::Stdin]
        } else {
            files.iter().map(|f| InputSource::from_arg(f)).collect()
        };
        Ok(ArticleBatches {
            inputs: inputs.into_iter(),
            current: None,
            format,
            batch_size: batch_size.max(1),
            rejects,
            rejected: 0,
        })
    }

    /// The next batch of readable articles, or `None` when every input is read. Articles'
    /// warnings are printed; rejected records are reported and counted.
    pub fn next_batch(&mut self) -> anyhow::Result<Option<Vec<Article>>> {
        loop {
            let exhausted = self.current.as_mut().is_none_or(|r| r.peek().is_none());
            if exhausted {
                let Some(input) = self.inputs.next() else {
                    return Ok(None);
                };
                let reader = ArticleReader::open(&input, self.format, ArticleOptions::default());
                self.current = Some(reader.peekable());
                continue;
            }
            let Some(reader) = self.current.as_mut() else {
                return Ok(None);
            };
            let items: Vec<_> = reader.by_ref().take(self.batch_size).collect();
            let mut batch = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Ok(article) => {
                        for w in &article.warnings {
                            eprintln!("{w}");
                        }
                        batch.push(article);
                    }
                    Err(reject) => self.reject(&reject)?,
                }
            }
            if !batch.is_empty() {
                return Ok(Some(batch));
            }
        }
    }

    /// Reports one rejected record (or article) and counts it.
    pub fn reject(&mut self, what: &dyn Display) -> anyhow::Result<()> {
        eprintln!("{what}");
        if let Some(f) = self.rejects.as_mut() {
            writeln!(f, "{what}")?;
        }
        self.rejected += 1;
        Ok(())
    }

    /// How many records were rejected so far.
    pub fn rejected(&self) -> usize {
        self.rejected
    }

    /// Flushes the rejects file; returns the number of rejected records.
    pub fn finish(self) -> anyhow::Result<usize> {
        if let Some(mut f) = self.rejects {
            f.flush()?;
        }
        Ok(self.rejected)
    }
}
