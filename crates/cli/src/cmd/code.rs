//! `dyad code`: code a parsed PETRARCH XML file with the dictionaries a PETRARCH config
//! names; write PETRARCH-2 event lines.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use dyad_coder::{CoderBuilder, CoderOptions, Outcome};
use dyad_dict::DictionaryBuilder;
use dyad_io::{
    format_event_line, merge_story_events, EventLineOptions, LineContext, ReadOptions, Record,
};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// PETRARCH-2 tab-separated event lines.
    Petrarch,
    /// One JSON object per event (dyad's `Event`, with all evidence).
    Jsonl,
}

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// The parsed input (PETRARCH XML with `<Parse>` blocks).
    pub file: PathBuf,
    /// The PETRARCH config naming the dictionaries and options (`PETR_config.ini`).
    #[arg(long)]
    pub config: PathBuf,
    /// Where the dictionaries are (default: the config's folder).
    #[arg(long)]
    pub dict_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Petrarch)]
    pub format: Format,
    /// Write here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
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

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let read = ReadOptions {
        strict_alignment: false,
        ..ReadOptions::default()
    };
    let file =
        dyad_io::read_petrarch_file(&args.file, &read).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut rejected = 0usize;
    for e in file.errors() {
        eprintln!("{e}");
        rejected += 1;
    }
    let config = dyad_io::read_petrarch_config(&args.config).map_err(|e| anyhow::anyhow!("{e}"))?;
    for w in &config.warnings {
        eprintln!("warning: {w}");
    }
    let dir: PathBuf = match &args.dict_dir {
        Some(d) => d.clone(),
        None => args
            .config
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    let mut b = DictionaryBuilder::new();
    let verb_file = config
        .verb_file
        .as_deref()
        .context("the config names no verbfile_name")?;
    b.verbs(dir.join(verb_file));
    for a in &config.actor_files {
        b.actors(dir.join(a));
    }
    if let Some(a) = &config.agent_file {
        b.agents(dir.join(a));
    }
    if let Some(d) = &config.discard_file {
        b.discards(dir.join(d));
    }
    if let Some(i) = &config.issue_file {
        b.issues(dir.join(i));
    }
    let dicts = b.build().context("cannot load the dictionaries")?;
    let diagnostics = dicts.diagnostics();
    for d in diagnostics.iter().take(5) {
        eprintln!("warning: {d}");
    }
    if diagnostics.len() > 5 {
        eprintln!(
            "warning: {} more dictionary entries skipped (--strict stops at the first)",
            diagnostics.len() - 5
        );
    }
    let o = &config.options;
    let split_slash = dicts
        .verbs()
        .blocks()
        .first()
        .is_some_and(|blk| blk.syntax == dyad_dict::VerbSyntax::Tabari);
    let options = CoderOptions {
        require_dyad: o.require_dyad,
        new_actor_length: o.new_actor_length,
        comma_min: o.comma_min,
        comma_max: o.comma_max,
        comma_bmin: o.comma_bmin,
        comma_bmax: o.comma_bmax,
        comma_emin: o.comma_emin,
        comma_emax: o.comma_emax,
        split_slash_codes: split_slash,
    };
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
        match args.format {
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
    Ok(ExitCode::SUCCESS)
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
