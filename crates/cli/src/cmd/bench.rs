//! `dyad bench`: raw text → events throughput of the whole pipeline (split, tokenize, tag,
//! parse, code), on one thread and on several, with the time to load and the peak memory.

use std::process::ExitCode;
use std::time::Instant;

use dyad_pipeline::{parallel_map, Pipeline};
use dyad_types::Date;

use super::code::{build_pipeline, BATCH_ARTICLES};
use super::input::ArticleBatches;

/// Arguments of `dyad bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Articles to code (JSON Lines, plain text or PETRARCH XML, as `dyad code` reads them).
    #[arg(required = true)]
    files: Vec<String>,
    /// Input format (jsonl, text, xml); by default from each file's extension.
    #[arg(long)]
    input_format: Option<String>,
    /// Thread counts to measure, comma-separated (0: one per core).
    #[arg(long, value_delimiter = ',', default_values_t = vec![1, 0])]
    threads: Vec<usize>,
    /// Passes over the input per thread count; the fastest is reported.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Alternative paths the parser tries per sentence (0, the default: greedy).
    #[arg(long, default_value_t = 0)]
    parse_branches: usize,
    /// Stop reading after this many articles.
    #[arg(long)]
    limit: Option<usize>,
}

/// One measured pass.
struct Pass {
    seconds: f64,
    sentences: usize,
    tokens: usize,
    events: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut batches = ArticleBatches::open(&args.files, args.input_format.as_deref(), None, 1024)?;
    let mut articles: Vec<(String, Option<Date>)> = Vec::new();
    let limit = args.limit.unwrap_or(usize::MAX);
    while articles.len() < limit {
        let Some(batch) = batches.next_batch()? else {
            break;
        };
        articles.extend(batch.into_iter().map(|a| (a.text, a.date)));
    }
    articles.truncate(limit);
    let rejected = batches.finish()?;
    if articles.is_empty() {
        anyhow::bail!("no readable articles in the input");
    }

    let loading = Instant::now();
    let pipeline = build_pipeline(&[], false)?.with_parse_branches(args.parse_branches);
    let load_seconds = loading.elapsed().as_secs_f64();

    let input: Vec<(&str, Option<Date>)> = articles.iter().map(|(t, d)| (t.as_str(), *d)).collect();
    let chars: usize = articles.iter().map(|(t, _)| t.chars().count()).sum();
    println!(
        "articles={} chars={} rejected={} load_seconds={:.3}",
        input.len(),
        chars,
        rejected,
        load_seconds
    );
    println!(
        "{:>7} {:>9} {:>10} {:>8} {:>12} {:>11} {:>8}",
        "threads", "sentences", "tokens", "events", "sentences/s", "tokens/s", "seconds"
    );
    let mut summary = Vec::new();
    for &requested in &args.threads {
        let threads = dyad_pipeline::effective_threads(requested);
        let best = (0..args.rounds.max(1))
            .map(|_| measure(&pipeline, &input, threads))
            .min_by(|a, b| a.seconds.total_cmp(&b.seconds));
        let Some(best) = best else { continue };
        let per_second = |n: usize| n as f64 / best.seconds.max(1e-9);
        println!(
            "{:>7} {:>9} {:>10} {:>8} {:>12.0} {:>11.0} {:>8.3}",
            threads,
            best.sentences,
            best.tokens,
            best.events,
            per_second(best.sentences),
            per_second(best.tokens),
            best.seconds
        );
        summary.push(format!(
            "sentences_per_s_{threads}t={:.0}",
            per_second(best.sentences)
        ));
    }
    let peak = peak_rss_mb()
        .map(|mb| format!("{mb:.0}"))
        .unwrap_or_else(|| "unknown".into());
    println!(
        "bench: {} load_seconds={load_seconds:.3} peak_rss_mb={peak}",
        summary.join(" ")
    );
    Ok(ExitCode::SUCCESS)
}

fn measure(pipeline: &Pipeline, input: &[(&str, Option<Date>)], threads: usize) -> Pass {
    let mut pass = Pass {
        seconds: 0.0,
        sentences: 0,
        tokens: 0,
        events: 0,
    };
    let start = Instant::now();
    // Batches as `dyad code` takes them, keeping only counts, so memory is alike too.
    for batch in input.chunks(BATCH_ARTICLES) {
        let counts = parallel_map(batch, threads, |(text, date)| {
            let article = pipeline.code_text(text, *date);
            article
                .sentences
                .iter()
                .fold((0, 0, 0), |(s, t, e), coded| {
                    (
                        s + 1,
                        t + coded.parsed.tokens.len(),
                        e + coded.coding.events.len(),
                    )
                })
        });
        for (sentences, tokens, events) in counts {
            pass.sentences += sentences;
            pass.tokens += tokens;
            pass.events += events;
        }
    }
    pass.seconds = start.elapsed().as_secs_f64();
    pass
}

/// Peak resident memory of this process so far (Linux: `VmHWM` of /proc/self/status).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
