//! `dyad explain`: show a person how dyad read a sentence and why it coded what it coded.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use dyad_coder::{Outcome, Rejection};
use dyad_pipeline::{auxiliary_mode, CodedSentence, Pipeline};
use dyad_types::{Date, ParsedSentence};

use super::code::build_pipeline;

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// The text to explain: one or more sentences.
    pub text: String,
    /// The report's date (YYYY-MM-DD); date-bounded dictionary entries resolve against it.
    #[arg(long)]
    pub date: Option<String>,
    /// More dictionaries in dyad's format (`.dyad`), loaded after the defaults.
    #[arg(long)]
    pub dict: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let date = args.date.as_deref().map(Date::parse_iso).transpose()?;
    let pipeline = build_pipeline(&args.dict, false)?;
    let article = pipeline.code_text(&args.text, date);
    let mut out = String::new();
    for sentence in &article.sentences {
        explain_sentence(&pipeline, sentence, &mut out);
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn explain_sentence(pipeline: &Pipeline, s: &CodedSentence, out: &mut String) {
    let p = &s.parsed;
    let _ = writeln!(
        out,
        "sentence {} (characters {}..): {}",
        s.index, s.start_char, p.text
    );
    let _ = writeln!(out, "\n  tokens, tags and parse:");
    for (i, t) in p.tokens.iter().enumerate() {
        let head = match t.head {
            0 => "root".to_string(),
            h => format!(
                "{h} {}",
                p.tokens.get(h - 1).map_or("?", |h| h.form.as_str())
            ),
        };
        let _ = writeln!(
            out,
            "    {:>3} {:<18} {:<14} {:<6} {:<5} {:<12} <- {head}",
            i + 1,
            t.form,
            t.lemma,
            t.upos,
            t.xpos,
            t.deprel
        );
    }
    let _ = writeln!(out, "\n  dictionary phrases:");
    let found = phrases(pipeline, p);
    if found.is_empty() {
        let _ = writeln!(out, "    none");
    }
    for line in found {
        let _ = writeln!(out, "    {line}");
    }
    let coding = &s.coding;
    let _ = writeln!(out, "\n  verbs:");
    if coding.verbs.is_empty() {
        let _ = writeln!(out, "    no dictionary verb in this sentence");
    }
    for v in &coding.verbs {
        let words = span_text(p, v.tokens);
        let verdict = match v.rejection {
            None => "coded".to_string(),
            Some(r) => format!("not coded: {}", rejection_reason(r)),
        };
        let _ = writeln!(
            out,
            "    {words:?} (verb {}), code {}, pattern {} -> {verdict}",
            v.verb,
            v.code,
            v.pattern.as_deref().unwrap_or("(verb alone)")
        );
    }
    let _ = writeln!(out, "\n  events:");
    match &coding.outcome {
        Outcome::Discarded { story, entry } => {
            let scope = if *story { "story" } else { "sentence" };
            let _ = writeln!(
                out,
                "    none: the {scope} matched the discard entry at {entry}"
            );
        }
        Outcome::Empty => {
            let _ = writeln!(out, "    none: the sentence has no tokens");
        }
        _ if coding.events.is_empty() => {
            let _ = writeln!(out, "    none");
        }
        _ => {}
    }
    for e in &coding.events {
        let cameo = dyad_ontology::cameo_event(&e.code).map_or("", |c| c.name);
        let mode = auxiliary_mode(p, e)
            .map(|m| format!(" (mode {m})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    {} -> {} : {} {cameo}{mode}",
            e.source.code, e.target.code, e.code
        );
        let refs = |entries: &[dyad_types::SourceRef]| {
            entries
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "      source {:?} from {}",
            span_text(p, e.source.tokens),
            refs(&e.source.entries)
        );
        let _ = writeln!(out, "      verb   {:?}", span_text(p, e.verb_tokens));
        let _ = writeln!(
            out,
            "      target {:?} from {}",
            span_text(p, e.target.tokens),
            refs(&e.target.entries)
        );
        let pattern_at = e
            .pattern_entry
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let _ = writeln!(out, "      pattern {} at {pattern_at}", e.pattern);
    }
    let _ = writeln!(out);
}

/// Actor and agent phrases of the dictionaries found in the sentence, longest first at each
/// position, with the code they give on the sentence's date.
fn phrases(pipeline: &Pipeline, p: &ParsedSentence) -> Vec<String> {
    let dicts = pipeline.coder().dictionaries();
    let forms: Vec<&str> = p.tokens.iter().map(|t| t.form.as_str()).collect();
    let upper: Vec<String> = forms.iter().map(|f| f.to_uppercase()).collect();
    let mut lines = Vec::new();
    let mut i = 0;
    while i < forms.len() {
        if let Some(m) = dicts.actors().lookup_on(&forms, i, p.date) {
            let code = m.entry.code_near(p.date).map_or("---", |(c, _)| c);
            lines.push(format!(
                "actor {:?} -> {code} ({})",
                forms[i..i + m.len].join(" "),
                m.phrase_at
            ));
            i += m.len.max(1);
        } else if let Some(m) = dicts.agents().longest_match(&upper, i) {
            lines.push(format!(
                "agent {:?} -> {} ({})",
                forms[i..i + m.len].join(" "),
                m.entry.code,
                m.entry.at
            ));
            i += m.len.max(1);
        } else {
            i += 1;
        }
    }
    lines
}

fn span_text(p: &ParsedSentence, (start, end): (usize, usize)) -> String {
    p.tokens
        .get(start..end)
        .map(|ts| {
            ts.iter()
                .map(|t| t.form.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn rejection_reason(r: Rejection) -> &'static str {
    match r {
        Rejection::NullCode => "the verb or its pattern has the null code ---",
        Rejection::NoSource => "no source actor was found",
        Rejection::NoTarget => "no target actor was found (require_dyad)",
        Rejection::SameActor => "source and target are the same actor",
        _ => "other",
    }
}
