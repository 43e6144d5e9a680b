//! `dyad dict`: statistics and checks for dictionaries (dyad's native `.dyad` files and
//! PETRARCH/TABARI files).
//!
//! * `dyad dict stats [--dict FILE]... [--no-default]`: what each file contributes
//!   (actors, names, people, roles, agents, verbs, patterns...) and the patterns per CAMEO
//!   root.
//! * `dyad dict check FILE... [--with-default]`: every problem as `file:line: reason`;
//!   exits 1 when there is any. Besides the reader's diagnostics it checks that verb codes
//!   are CAMEO codes and that native phrases split into the words `dyad-text`'s tokenizer
//!   makes of them (otherwise the phrase could never match).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use dyad_dict::{DictKind, Dictionaries, DictionaryBuilder, FileStats, VerbSyntax};

/// Flags of `dyad dict`.
#[derive(clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `dyad dict` subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Count what each dictionary file contributes.
    Stats(StatsArgs),
    /// Check dictionary files; exit 1 when any has a problem.
    Check(CheckArgs),
}

/// Flags of `dyad dict stats`.
#[derive(clap::Args)]
pub struct StatsArgs {
    /// A dictionary file to load after the defaults (`.dyad`, or a PETRARCH/TABARI file
    /// whose name says its kind: `*actors*`, `*agents*`, `*verbs*`, `*discards*`, `*issues*`).
    #[arg(long = "dict", value_name = "FILE")]
    pub dict: Vec<PathBuf>,
    /// Leave out the embedded default dictionaries.
    #[arg(long)]
    pub no_default: bool,
}

/// Flags of `dyad dict check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// The files to check, loaded in this order.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Load the embedded defaults first (so that a verb file may use their word lists);
    /// only problems in FILEs are reported.
    #[arg(long)]
    pub with_default: bool,
}

/// Runs `dyad dict`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Stats(a) => stats(a),
        Command::Check(a) => check(a),
    }
}

/// The kind of a dictionary file, from its name.
fn kind_of(path: &Path) -> anyhow::Result<DictKind> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    Ok(if name.ends_with(".dyad") {
        DictKind::Native
    } else if name.contains("actor") {
        DictKind::Actors
    } else if name.contains("agent") {
        DictKind::Agents
    } else if name.contains("verb") || name.starts_with("cameo") {
        DictKind::Verbs(VerbSyntax::Auto)
    } else if name.contains("discard") {
        DictKind::Discards
    } else if name.contains("issue") {
        DictKind::Issues
    } else {
        bail!(
            "{}: cannot tell the dictionary kind from the name (use .dyad, or a name with \
             actors, agents, verbs, discards or issues)",
            path.display()
        )
    })
}

fn build(files: &[PathBuf], defaults: bool) -> anyhow::Result<Dictionaries> {
    let mut b = DictionaryBuilder::new();
    if defaults {
        // A default file given on the command line replaces its embedded copy (otherwise
        // every pattern of it would be reported as a repeat).
        let given: Vec<String> = files
            .iter()
            .map(|f| f.to_string_lossy().replace('\\', "/"))
            .collect();
        for (name, text) in Dictionaries::embedded_default_files() {
            if !given.iter().any(|g| g.ends_with(name)) {
                b.native_text(name, *text);
            }
        }
    }
    for f in files {
        b.file(kind_of(f)?, f);
    }
    b.build().context("loading dictionaries")
}

fn kind_name(k: DictKind) -> &'static str {
    match k {
        DictKind::Actors => "actors",
        DictKind::Agents => "agents",
        DictKind::Verbs(VerbSyntax::Native) => "verbs",
        DictKind::Verbs(VerbSyntax::Petrarch2) => "verbs/P2",
        DictKind::Verbs(_) => "verbs/TABARI",
        DictKind::Discards => "discards",
        DictKind::Issues => "issues",
        _ => "other",
    }
}

fn describe(f: &FileStats) -> String {
    if !f.details.is_empty() {
        return f
            .details
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
    }
    match f.kind {
        DictKind::Verbs(_) => format!(
            "verbs {}, patterns {}, synsets {}",
            f.entries, f.patterns, f.synsets
        ),
        _ => format!("entries {}", f.entries),
    }
}

fn stats(a: StatsArgs) -> anyhow::Result<ExitCode> {
    let d = build(&a.dict, !a.no_default)?;
    let mut out = std::io::stdout().lock();
    let width = d
        .files()
        .iter()
        .map(|f| f.file.len())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "{:<width$}  {:<12} {:>8}  details",
        "file", "kind", "ms"
    )?;
    let mut totals: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in d.files() {
        writeln!(
            out,
            "{:<width$}  {:<12} {:>8.2}  {}{}",
            f.file,
            kind_name(f.kind),
            f.micros as f64 / 1000.0,
            describe(f),
            if f.diagnostics > 0 {
                format!("  [{} diagnostics]", f.diagnostics)
            } else {
                String::new()
            }
        )?;
        for (k, n) in &f.details {
            *totals.entry(k).or_default() += n;
        }
    }
    // Patterns per CAMEO root, over all verb files; a verb alone (its own code) counts as
    // one pattern of its code.
    let mut roots: BTreeMap<String, usize> = BTreeMap::new();
    let codes = d
        .verbs()
        .blocks()
        .iter()
        .flat_map(|b| b.patterns.iter().map(|p| &p.code));
    let alone = d
        .verbs()
        .entries()
        .iter()
        .filter(|e| e.own_code)
        .map(|e| &e.code);
    let mut patterns = 0usize;
    for code in codes.chain(alone) {
        patterns += 1;
        if let Some(c) = &code.code {
            *roots.entry(c.chars().take(2).collect()).or_default() += 1;
        }
    }
    writeln!(out)?;
    writeln!(out, "patterns per CAMEO root:")?;
    for (root, n) in &roots {
        let name = dyad_ontology::cameo_event(root).map_or("?", |e| e.name);
        writeln!(out, "  {root}  {name:<32} {n:>6}")?;
    }
    writeln!(out)?;
    let t = |k: &str| totals.get(k).copied().unwrap_or(0);
    writeln!(
        out,
        "total: actor entries {}, phrases {}, people {}, roles {}, agents {}, verbs {}, \
         patterns {patterns}, word lists {}",
        d.actors().len(),
        d.actors().phrase_count(),
        t("people"),
        t("roles"),
        d.agents().len(),
        d.verbs().entries().len(),
        d.verbs().synsets().len()
    )?;
    let n = d.diagnostics().len();
    for diag in d.diagnostics() {
        eprintln!("{diag}");
    }
    writeln!(out, "diagnostics: {n}")?;
    Ok(ExitCode::SUCCESS)
}

fn check(a: CheckArgs) -> anyhow::Result<ExitCode> {
    let d = build(&a.files, a.with_default)?;
    let names: Vec<String> = a.files.iter().map(|f| f.display().to_string()).collect();
    let mine = |file: &str| names.iter().any(|n| n == file);
    let mut problems: Vec<String> = d
        .diagnostics()
        .iter()
        .filter(|x| mine(&x.at.file))
        .map(|x| x.to_string())
        .collect();
    // Verb codes must be CAMEO codes.
    for block in d.verbs().blocks() {
        for p in block.patterns.iter().filter(|p| mine(&p.at.file)) {
            for c in [&p.code.code, &p.code.pair].into_iter().flatten() {
                if dyad_ontology::cameo_event(c).is_none() {
                    problems.push(format!("{}: {c} is not a CAMEO event code", p.at));
                }
            }
        }
    }
    for e in d
        .verbs()
        .entries()
        .iter()
        .filter(|e| e.own_code && mine(&e.at.file))
    {
        if let Some(c) = &e.code.code {
            if dyad_ontology::cameo_event(c).is_none() {
                problems.push(format!("{}: {c} is not a CAMEO event code", e.at));
            }
        }
    }
    // Native phrases must split the way the tokenizer splits text.
    for (path, name) in a.files.iter().zip(&names) {
        if name.ends_with(".dyad") {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            problems.extend(token_mismatches(&text, name));
        }
    }
    problems.sort_by_key(|p| sort_key(p));
    let mut out = std::io::stdout().lock();
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    let files = d.files().iter().filter(|f| mine(&f.file)).count();
    eprintln!("{files} file(s) checked, {} problem(s)", problems.len());
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Orders `file:line: ...` messages by file, then line number.
fn sort_key(msg: &str) -> (String, u64) {
    let mut parts = msg.splitn(3, ':');
    let file = parts.next().unwrap_or("").to_string();
    let line = parts
        .next()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    (file, line)
}

/// Phrases of `name:`/`adj:`/`gov:`/`place:`/`noun:`/`plural:`/`word:` lines whose words
/// differ from what the tokenizer makes of the same text.
fn token_mismatches(text: &str, file: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        let Some((head, value)) = line.split_once(':') else {
            continue;
        };
        let key = head.split_whitespace().next().unwrap_or("");
        if !matches!(
            key,
            "name" | "adj" | "gov" | "place" | "noun" | "plural" | "word"
        ) {
            continue;
        }
        for phrase in value.split('|').map(str::trim).filter(|p| !p.is_empty()) {
            let dict = dyad_dict::phrase_words(phrase);
            // Inside a sentence: alone, a final period ("Jr.") would end the sentence.
            let mut toks: Vec<String> = dyad_text::tokenize::tokenize(&format!("{phrase} said"))
                .iter()
                .map(|t| dyad_dict::normalize_word(&t.form))
                .collect();
            toks.pop();
            if dict != toks {
                out.push(format!(
                    "{file}:{}: phrase {phrase:?} is read as {} but the tokenizer makes {}",
                    i + 1,
                    dict.join(" "),
                    toks.join(" ")
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every phrase of the default dictionaries splits the way the tokenizer splits it.
    #[test]
    fn default_phrases_split_like_the_tokenizer() {
        let mut bad = Vec::new();
        for (name, text) in Dictionaries::embedded_default_files() {
            bad.extend(token_mismatches(text, name));
        }
        assert!(
            bad.is_empty(),
            "{} mismatches:\n{}",
            bad.len(),
            bad.join("\n")
        );
    }

    #[test]
    fn check_fails_on_a_file_with_problems_and_passes_a_clean_one() {
        let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../dict/tests/data/native");
        let run = |file: &str, with_default: bool| {
            let files = vec![PathBuf::from(format!("{data}/{file}"))];
            check(CheckArgs {
                files,
                with_default,
            })
            .unwrap()
        };
        assert_eq!(run("badverbs.dyad", false), ExitCode::from(1));
        assert_eq!(run("verbs.dyad", false), ExitCode::SUCCESS);
        assert_eq!(run("actors.dyad", true), ExitCode::SUCCESS);
    }

    #[test]
    fn kinds_from_names() {
        assert_eq!(
            kind_of(Path::new("x/people.dyad")).unwrap(),
            DictKind::Native
        );
        assert_eq!(
            kind_of(Path::new("Phoenix.Countries.actors.txt")).unwrap(),
            DictKind::Actors
        );
        assert!(kind_of(Path::new("notes.txt")).is_err());
    }
}
