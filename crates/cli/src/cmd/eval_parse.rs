//! `dyad eval-parse`: score the tagger, lemmatizer and parser against a gold CoNLL-U file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// Gold CoNLL-U file.
    gold: PathBuf,
    /// Use this model file instead of the embedded one.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Alternative paths the parser tries per sentence: 0 (default) is greedy; 8 is about
    /// 0.6 UAS/LAS points better for 1.8 times the parsing work.
    #[arg(long, default_value_t = 0)]
    parse_branches: usize,
    /// Parse the raw text rebuilt from the gold file (`# text` comments) instead of its
    /// gold words; adds token and sentence F1, and scores words aligned by extent.
    #[arg(long)]
    raw: bool,
    /// Also write the predictions (gold words, predicted columns) as CoNLL-U to this
    /// file, e.g. for the CoNLL 2018 scorer or an error analysis. Gold tokenization only.
    #[arg(long, value_name = "FILE", conflicts_with = "raw")]
    write: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = match &args.model {
        Some(p) => dyad_text::Model::load(p)?,
        None => dyad_text::Model::embedded()?,
    }
    .with_parse_branches(args.parse_branches);
    if args.raw {
        let r = dyad_text::eval::evaluate_raw(&model, &args.gold)?;
        let s = &r.scores;
        eprintln!(
            "eval-parse: las_universal={:.3} (LAS below uses full labels)",
            s.las_universal
        );
        println!(
            "eval-parse: sentences={} tokens={} upos={:.3} xpos={:.3} lemma={:.3} uas={:.3} las={:.3} tokens_per_s={:.0} tokens_f1={:.3} sentences_f1={:.3}",
            r.sentences,
            r.tokens,
            s.upos,
            s.xpos,
            s.lemma,
            s.uas,
            s.las,
            s.tokens_per_second(),
            r.tokens_f1,
            r.sentences_f1
        );
        return Ok(ExitCode::SUCCESS);
    }
    let gold = dyad_text::conllu::read_file(&args.gold)?;
    let mut out = String::new();
    let s = dyad_text::eval::evaluate_with(&model, &gold, |sent, tokens| {
        if args.write.is_some() {
            let predicted = dyad_text::eval::predicted(sent, tokens);
            dyad_text::conllu::write_sentence(&mut out, &predicted);
        }
    });
    if let Some(path) = &args.write {
        std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "eval-parse: las_universal={:.3} (LAS below uses full labels); to 5 places: upos={:.5} uas={:.5} las={:.5}",
        s.las_universal, s.upos, s.uas, s.las
    );
    println!(
        "eval-parse: sentences={} tokens={} upos={:.3} xpos={:.3} lemma={:.3} uas={:.3} las={:.3} tokens_per_s={:.0}",
        s.sentences,
        s.tokens,
        s.upos,
        s.xpos,
        s.lemma,
        s.uas,
        s.las,
        s.tokens_per_second()
    );
    Ok(ExitCode::SUCCESS)
}
