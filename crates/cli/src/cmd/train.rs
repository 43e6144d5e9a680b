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
    /// Drop parser weights below this many quantised units (of 32767) to keep the model small.
    #[arg(long)]
    parser_min_weight: Option<i16>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let train = dyad_text::conllu::read_file(&args.train)?;
    let dev = dyad_text::conllu::read_file(&args.dev)?;
    let mut opt = dyad_text::TrainOptions {
        seed: args.seed,
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
    if let Some(m) = args.parser_min_weight {
        opt.parser_min_weight = m;
    }
    eprintln!(
        "train: {} sentences, dev: {} sentences, {opt:?}",
        train.len(),
        dev.len()
    );
    let bytes = dyad_text::train(&train, &dev, &opt, &mut |m| {
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
