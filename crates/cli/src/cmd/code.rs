//! `dyad code`: code a parsed PETRARCH XML file with the dictionaries a PETRARCH config
//! names; write PETRARCH-2 event lines.

use std::io::{IsTerminal as _, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use dyad_coder::{CoderBuilder, Outcome};
use dyad_io::output::{AtomicFile, Deduplicator, EventRecord, OutputFormat, WriterOptions};
use dyad_io::{
    format_event_line, merge_story_events, Article, EventLineOptions, LineContext, ReadOptions,
    Record,
};
use dyad_pipeline::{auxiliary_mode, parallel_map, Pipeline};

use super::input::ArticleBatches;

/// Exit code when some input records were rejected (the others were coded).
pub const EXIT_REJECTED: u8 = 3;

/// Articles coded together; bounds memory whatever the input size.
pub(crate) const BATCH_ARTICLES: usize = 256;

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// Inputs: JSON Lines articles (.jsonl), plain-text articles (.txt, one each), PETRARCH XML
    /// (.xml). None or `-`: JSON Lines on standard input.
    pub files: Vec<String>,
    /// A PETRARCH config (`PETR_config.ini`): code the parses a PETRARCH XML file carries with
    /// the dictionaries and options the config names, as PETRARCH-2 does.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Where the config's dictionaries are (default: the config's folder).
    #[arg(long)]
    pub dict_dir: Option<PathBuf>,
    /// More dictionaries in dyad's format (`.dyad`), loaded after the defaults.
    #[arg(long)]
    pub dict: Vec<PathBuf>,
    /// Do not load the embedded default dictionaries (use only `--dict` files).
    #[arg(long)]
    pub no_default_dict: bool,
    /// Output format: jsonl, petrarch, phoenix, gdelt or parquet (parquet needs --output).
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// Input format for all inputs: jsonl, text or xml (default: by file extension).
    #[arg(long)]
    pub input_format: Option<String>,
    /// Write here (atomically: a temporary file, then a rename) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Worker threads (0: one per core). Output is the same for any count.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Keep every event, not one per (date, source, target, code) per article.
    #[arg(long)]
    pub no_dedup: bool,
    /// Also write each rejected record's `file:line: reason` to this file.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Alternative paths the parser tries per sentence: 0 (default) is greedy; 8 parses
    /// about 0.6 UAS/LAS points better at about 60% of the speed.
    #[arg(long, default_value_t = 0)]
    pub parse_branches: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match &args.config {
        Some(config) => run_with_petrarch_config(&args, config),
        None => run_raw(&args),
    }
}

/// Output formats of the PETRARCH-config path.
#[derive(Clone, Copy)]
enum Format {
    Petrarch,
    Jsonl,
}

/// The story a sentence belongs to: its id without the final `_<n>` (PETRARCH's rule).
fn story_of(id: &str) -> &str {
    match id.rsplit_once('_') {
        Some((story, n)) if !story.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric()) => {
            story
        }
        _ => id,
    }
}

/// Codes a parsed PETRARCH XML file with the dictionaries and options of a PETRARCH config.
fn run_with_petrarch_config(args: &Args, config_path: &Path) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let [input] = args.files.as_slice() else {
        anyhow::bail!("--config codes exactly one parsed PETRARCH XML file");
    };
    let format = match args.format.as_str() {
        "petrarch" => Format::Petrarch,
        "jsonl" => Format::Jsonl,
        other => anyhow::bail!("with --config the format is petrarch or jsonl, not {other:?}"),
    };
    // A record whose parse does not match its text is rejected and counted, not coded.
    let read = ReadOptions::default();
    let file =
        dyad_io::read_petrarch_file(Path::new(input), &read).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut rejected = 0usize;
    for e in file.errors() {
        eprintln!("{e}");
        rejected += 1;
    }
    let config = dyad_io::read_petrarch_config(config_path).map_err(|e| anyhow::anyhow!("{e}"))?;
    for w in &config.warnings {
        eprintln!("{w}");
    }
    let dir: PathBuf = match &args.dict_dir {
        Some(d) => d.clone(),
        None => config_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    let files = super::petrarch::DictFiles {
        verbs: config.verb_file.as_deref(),
        actors: &config.actor_files,
        agents: config.agent_file.as_deref(),
        discards: config.discard_file.as_deref(),
        issues: config.issue_file.as_deref(),
    };
    let dicts = super::petrarch::load_dictionaries(&dir, &files, false)?;
    let o = &config.options;
    let options = super::petrarch::coder_options(o, &dicts);
    let coder = CoderBuilder::new()
        .dictionaries(dicts)
        .options(options)
        .build()?;
    let line_opts = EventLineOptions::from(o);

    let coding_started = std::time::Instant::now();

    // Group sentences into stories, in input order.
    let mut stories: Vec<(String, Vec<&Record>)> = Vec::new();
    for r in file.ok_records() {
        let s = story_of(&r.id).to_string();
        match stories.last_mut() {
            Some((id, v)) if *id == s => v.push(r),
            _ => stories.push((s, vec![r])),
        }
    }

    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let (mut sentences, mut events_out) = (0usize, 0usize);
    for (_, recs) in &stories {
        let mut story_events = Vec::new();
        let mut texts = Vec::new();
        let mut story_discard = false;
        for r in recs {
            sentences += 1;
            let coding = coder.code_detailed(&r.sentence);
            if let Outcome::Discarded { story: true, .. } = coding.outcome {
                story_discard = true;
            }
            for e in coding.events {
                texts.push((
                    r.sentence.text.as_str(),
                    r.attributes.get("source").map(String::as_str),
                ));
                story_events.push(e);
            }
        }
        if story_discard {
            continue;
        }
        match format {
            Format::Jsonl => {
                for e in &story_events {
                    writeln!(out, "{}", serde_json::to_string(e)?)?;
                    events_out += 1;
                }
            }
            Format::Petrarch => {
                for (k, ids) in merge_story_events(&story_events) {
                    let (Some(e), Some((text, source))) = (story_events.get(k), texts.get(k))
                    else {
                        continue;
                    };
                    let ctx = LineContext {
                        text: Some(text),
                        story_source: *source,
                        ids: Some(&ids),
                        ..Default::default()
                    };
                    writeln!(out, "{}", format_event_line(e, &ctx, &line_opts))?;
                    events_out += 1;
                }
            }
        }
    }
    out.flush()?;
    drop(out);
    let coding_secs = coding_started.elapsed().as_secs_f64();
    eprintln!(
        "code: dictionaries and input read in {:.3}s; coding took {:.3}s ({:.0} sentences/s)",
        coding_started.duration_since(started).as_secs_f64(),
        coding_secs,
        if coding_secs > 0.0 {
            sentences as f64 / coding_secs
        } else {
            0.0
        }
    );
    eprintln!(
        "code: articles={} sentences={} events={} rejected={} seconds={:.3}",
        stories.len(),
        sentences,
        events_out,
        rejected,
        started.elapsed().as_secs_f64()
    );
    Ok(exit_code(rejected))
}

pub(crate) fn exit_code(rejected: usize) -> ExitCode {
    if rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REJECTED)
    }
}

/// Codes raw articles: text layer, then coder, with dyad's dictionaries.
fn run_raw(args: &Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let format: OutputFormat = args.format.parse()?;
    anyhow::ensure!(
        !format.is_binary() || args.output.is_some(),
        "--format {} writes a binary file: give it with --output FILE",
        format.name()
    );
    let mut batches = ArticleBatches::open(
        &args.files,
        args.input_format.as_deref(),
        args.rejects.as_deref(),
        BATCH_ARTICLES,
    )?;
    let pipeline =
        build_pipeline(&args.dict, args.no_default_dict)?.with_parse_branches(args.parse_branches);
    let mut atomic = match &args.output {
        Some(p) => {
            Some(AtomicFile::create(p).with_context(|| format!("cannot create {}", p.display()))?)
        }
        None => None,
    };
    let stdout = std::io::stdout();
    let sink: Box<dyn Write> = match atomic.as_mut() {
        Some(f) => Box::new(std::io::BufWriter::new(f)),
        None => Box::new(std::io::BufWriter::new(stdout.lock())),
    };
    let mut writer = format.writer(sink, &WriterOptions::default());
    let mut dedup = Deduplicator::new(args.no_dedup);
    let progress = std::io::stderr().is_terminal();
    let (mut articles, mut sentences, mut events) = (0usize, 0usize, 0usize);

    while let Some(batch) = batches.next_batch()? {
        let coded = parallel_map(&batch, args.threads, |a| code_article(&pipeline, a));
        for (article, coded_sentences) in batch.iter().zip(&coded) {
            articles += 1;
            sentences += coded_sentences.len();
            for s in coded_sentences {
                for (n, (event, mode)) in s.events.iter().enumerate() {
                    let mut record =
                        EventRecord::new(article, s.index, &s.text, s.start_char, event, n);
                    record.plover_mode = *mode;
                    if let Some(id) = &s.id {
                        record.sentence_id = id.clone();
                    }
                    if dedup.keep(&record) {
                        writer.write(&record)?;
                        events += 1;
                    }
                }
            }
        }
        if progress {
            eprint!(
                "\rarticles={articles} sentences={sentences} events={events} rejected={}",
                batches.rejected()
            );
        }
    }
    writer.finish()?;
    drop(writer);
    if let Some(f) = atomic {
        f.commit().context("cannot move the output into place")?;
    }
    let rejected = batches.finish()?;
    if progress {
        eprintln!();
    }
    if dedup.dropped() > 0 {
        eprintln!(
            "code: {} duplicate events merged (--no-dedup keeps them)",
            dedup.dropped()
        );
    }
    eprintln!(
        "code: articles={articles} sentences={sentences} events={events} rejected={rejected} seconds={:.3}",
        started.elapsed().as_secs_f64()
    );
    Ok(exit_code(rejected))
}

/// One coded sentence, owned so that batches can be coded on worker threads.
pub(crate) struct SentenceEvents {
    pub(crate) index: usize,
    pub(crate) id: Option<String>,
    pub(crate) start_char: usize,
    pub(crate) text: String,
    pub(crate) events: Vec<(dyad_types::Event, Option<&'static str>)>,
}

/// Codes one article: its given parses when the input had them, else dyad's text layer.
pub(crate) fn code_article(pipeline: &Pipeline, article: &Article) -> Vec<SentenceEvents> {
    let with_modes = |parsed: &dyad_types::ParsedSentence, events: Vec<dyad_types::Event>| {
        events
            .into_iter()
            .map(|e| {
                let mode = auxiliary_mode(parsed, &e);
                (e, mode)
            })
            .collect()
    };
    if article.sentences.is_empty() {
        return pipeline
            .code_text(&article.text, article.date)
            .sentences
            .into_iter()
            .map(|s| SentenceEvents {
                index: s.index,
                id: None,
                start_char: s.start_char,
                events: with_modes(&s.parsed, s.coding.events),
                text: s.parsed.text,
            })
            .collect();
    }
    let mut context = dyad_coder::ArticleContext::new();
    article
        .sentences
        .iter()
        .enumerate()
        .map(|(index, given)| {
            let mut parsed = given.sentence.clone();
            if parsed.tokens.is_empty() {
                // No parse in the input: dyad's text layer analyses the sentence.
                let raw = dyad_text::tokenize::tokenize(&parsed.text);
                let forms: Vec<&str> = raw.iter().map(|t| t.form.as_str()).collect();
                parsed.tokens = pipeline.model().annotate_tokens(&forms);
                for (token, r) in parsed.tokens.iter_mut().zip(&raw) {
                    token.span = Some(dyad_types::CharSpan::new(r.start_char, r.end_char));
                }
            }
            let events = pipeline
                .coder()
                .code_in_context(&parsed, &mut context)
                .events;
            SentenceEvents {
                index,
                id: Some(parsed.id.clone()),
                start_char: given.start_char,
                events: with_modes(&parsed, events),
                text: parsed.text,
            }
        })
        .collect()
}

/// The pipeline of the raw-text commands: the embedded text model, and a coder over the
/// default dictionaries (unless `no_default_dict`) plus the `extra` `.dyad` files.
pub(crate) fn build_pipeline(extra: &[PathBuf], no_default_dict: bool) -> anyhow::Result<Pipeline> {
    let pipeline = Pipeline::with_dictionaries(extra, no_default_dict)?;
    for d in pipeline.coder().dictionaries().diagnostics() {
        eprintln!("warning: {d}");
    }
    Ok(pipeline)
}

#[cfg(test)]
mod tests {
    use super::story_of;

    #[test]
    fn stories_are_ids_without_the_sentence_number() {
        assert_eq!(story_of("AFP0808020625_4"), "AFP0808020625");
        assert_eq!(story_of("DEMO-01"), "DEMO-01");
    }
}
