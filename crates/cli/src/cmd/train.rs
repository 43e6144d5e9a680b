//! `dyad train`: learn the tagger, lemmatizer and parser from CoNLL-U treebanks.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// Training treebank (CoNLL-U).
    #[arg(
        long,
        default_value = "../shared/data/ud/UD_English-EWT/en_ewt-ud-train.conllu"
    )]
    train: PathBuf,
    /// Development treebank used to choose the number of epochs (CoNLL-U).
    #[arg(
        long,
        default_value = "../shared/data/ud/UD_English-EWT/en_ewt-ud-dev.conllu"
    )]
    dev: PathBuf,
    /// Where to write the model file.
    #[arg(long, default_value = "crates/text/models/en_ewt.bin")]
    out: PathBuf,
    /// Random seed: the same seed and data give the same model bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Tagger epochs (the best on dev is kept).
    #[arg(long)]
    tagger_epochs: Option<usize>,
    /// Parser epochs (the best on dev is kept).
    #[arg(long)]
    parser_epochs: Option<usize>,
    /// Jackknife folds for the parser's training tags (0 = gold tags).
    #[arg(long)]
    jackknife: Option<usize>,
    /// Folds for the tagger's second (right-context) pass; 0 or 1 = one pass only.
    #[arg(long)]
    tagger_second_pass_folds: Option<usize>,
    /// Taggers and parsers to train, with seeds SEED, SEED + 1, ...; the model keeps the
    /// mean of their weights (an ensemble at the cost of one model's lookups).
    #[arg(long)]
    members: Option<usize>,
    /// Threads training members at once (0: one per core); the model does not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Drop parser weights below this many quantised units (of 32767) to keep the model small.
    #[arg(long)]
    parser_min_weight: Option<i16>,
    /// Unlabeled text the word classes are learned from: CoNLL-U files (their `# text`
    /// lines), JSON Lines files (`.jsonl`, each line's `text` field) or plain text. The
    /// default is the training treebank's text and the news of `scripts/bench-inputs.py`.
    #[arg(
        long,
        num_args = 1..,
        default_values = [
            "../shared/data/ud/UD_English-EWT/en_ewt-ud-train.conllu",
            "target/bench/guardian.jsonl",
            "target/bench/synthetic.jsonl",
        ]
    )]
    unlabeled: Vec<PathBuf>,
    /// Number of fine word classes (0 = no word classes).
    #[arg(long)]
    clusters: Option<usize>,
    /// Number of coarse word classes.
    #[arg(long)]
    coarse_clusters: Option<usize>,
    /// Words seen fewer times than this in the unlabeled text get no class.
    #[arg(long)]
    cluster_min_count: Option<usize>,
}

/// The raw texts of an unlabeled-text file (see `Args::unlabeled`).
fn read_unlabeled(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let data = std::fs::read_to_string(path).with_context(|| {
        format!(
            "reading {} (for --unlabeled; `python3 scripts/bench-inputs.py` writes the \
                 default target/bench/*.jsonl)",
            path.display()
        )
    })?;
    let name = path.to_string_lossy();
    if name.ends_with(".conllu") {
        return Ok(data
            .lines()
            .filter_map(|l| l.strip_prefix("# text = "))
            .map(str::to_string)
            .collect());
    }
    if name.ends_with(".jsonl") {
        let mut out = Vec::new();
        for (i, line) in data.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not JSON", path.display(), i + 1))?;
            match v.get("text").and_then(|t| t.as_str()) {
                Some(t) => out.push(t.to_string()),
                None => anyhow::bail!("{}:{}: no \"text\" string", path.display(), i + 1),
            }
        }
        return Ok(out);
    }
    Ok(vec![data])
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let train = dyad_text::conllu::read_file(&args.train)?;
    let dev = dyad_text::conllu::read_file(&args.dev)?;
    let mut opt = dyad_text::TrainOptions {
        seed: args.seed,
        threads: args.threads,
        ..Default::default()
    };
    if let Some(e) = args.tagger_epochs {
        opt.tagger_epochs = e;
    }
    if let Some(e) = args.parser_epochs {
        opt.parser_epochs = e;
    }
    if let Some(k) = args.jackknife {
        opt.jackknife_folds = k;
    }
    if let Some(k) = args.tagger_second_pass_folds {
        opt.tagger_second_pass_folds = k;
    }
    if let Some(k) = args.members {
        opt.members = k;
    }
    if let Some(m) = args.parser_min_weight {
        opt.parser_min_weight = m;
    }
    if let Some(k) = args.clusters {
        opt.clusters = k;
    }
    if let Some(k) = args.coarse_clusters {
        opt.coarse_clusters = k;
    }
    if let Some(k) = args.cluster_min_count {
        opt.cluster_min_count = k;
    }
    let mut texts = Vec::new();
    if opt.clusters > 0 {
        for p in &args.unlabeled {
            texts.extend(read_unlabeled(p)?);
        }
    }
    let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    eprintln!(
        "train: {} sentences, dev: {} sentences, {opt:?}",
        train.len(),
        dev.len()
    );
    let bytes = dyad_text::train_with_text(&train, &dev, &text_refs, &opt, &mut |m| {
        eprintln!("[{:6.1}s] {m}", t0.elapsed().as_secs_f64())
    })?;
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "train: wrote {} ({} bytes) in {:.1}s",
        args.out.display(),
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
