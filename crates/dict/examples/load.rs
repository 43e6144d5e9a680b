//! Loads dictionaries and reports what each file contributed, the diagnostics and the
//! time taken.
//!
//! ```text
//! cargo run --release -p dyad-dict --example load                 # production set
//! cargo run --release -p dyad-dict --example load -- KIND=PATH ... # your own files
//! ```
//!
//! KIND is one of `actors`, `agents`, `verbs`, `discards`, `issues`. Without arguments the
//! PETRARCH-2 production set is read from `../shared/peers/petrarch2/dictionaries/`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use dyad_dict::{DictKind, DictionaryBuilder, VerbSyntax};

fn main() -> ExitCode {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/peers/petrarch2/dictionaries"
    ));
    let mut inputs: Vec<(DictKind, PathBuf)> = Vec::new();
    for arg in std::env::args().skip(1) {
        let Some((kind, path)) = arg.split_once('=') else {
            eprintln!("expected KIND=PATH, got {arg:?}");
            return ExitCode::from(2);
        };
        let kind = match kind {
            "actors" => DictKind::Actors,
            "agents" => DictKind::Agents,
            "verbs" => DictKind::Verbs(VerbSyntax::Auto),
            "discards" => DictKind::Discards,
            "issues" => DictKind::Issues,
            _ => {
                eprintln!("unknown kind {kind:?}");
                return ExitCode::from(2);
            }
        };
        inputs.push((kind, PathBuf::from(path)));
    }
    if inputs.is_empty() {
        let production = [
            (DictKind::Verbs(VerbSyntax::Auto), "CAMEO.2.0.txt"),
            (DictKind::Actors, "Phoenix.Countries.actors.txt"),
            (DictKind::Actors, "Phoenix.International.actors.txt"),
            (DictKind::Actors, "Phoenix.MilNonState.actors.txt"),
            (DictKind::Agents, "Phoenix.agents.txt"),
            (DictKind::Discards, "Phoenix.discards.txt"),
            (DictKind::Issues, "Phoenix.IssueCoding.txt"),
        ];
        for (kind, name) in production {
            let path = dir.join(name);
            if !path.exists() {
                eprintln!("skipping: needs {}", path.display());
                return ExitCode::SUCCESS;
            }
            inputs.push((kind, path));
        }
    }
    let mut builder = DictionaryBuilder::new();
    for (kind, path) in &inputs {
        builder.file(*kind, path);
    }
    let started = Instant::now();
    let dicts = match builder.build() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let elapsed = started.elapsed();
    // A closed pipe (`| head`) just ends the report.
    let _ = report(&dicts, elapsed);
    ExitCode::SUCCESS
}

fn report(dicts: &dyad_dict::Dictionaries, elapsed: std::time::Duration) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for f in dicts.files() {
        let name = f.file.rsplit('/').next().unwrap_or(&f.file);
        writeln!(
            out,
            "{name:40} {:>6} entries {:>6} patterns {:>4} synsets {:>4} diagnostics {:>7.1} ms",
            f.entries,
            f.patterns,
            f.synsets,
            f.diagnostics,
            f.micros as f64 / 1000.0
        )?;
    }
    for d in dicts.diagnostics().iter().take(40) {
        writeln!(out, "  {d}")?;
    }
    if dicts.diagnostics().len() > 40 {
        writeln!(out, "  ... {} more", dicts.diagnostics().len() - 40)?;
    }
    writeln!(
        out,
        "actors {} ({} phrases), agents {} ({} phrases), verbs {} in {} blocks, \
         {} patterns, {} synsets, {} transformations, {} discards, {} issue phrases",
        dicts.actors().len(),
        dicts.actors().phrase_count(),
        dicts.agents().len(),
        dicts.agents().phrase_count(),
        dicts.verbs().entries().len(),
        dicts.verbs().blocks().len(),
        dicts.verbs().pattern_count(),
        dicts.verbs().synsets().len(),
        dicts.verbs().transformations().len(),
        dicts.discards().len(),
        dicts.issues().phrase_count(),
    )?;
    writeln!(
        out,
        "total load time: {:.1} ms",
        elapsed.as_secs_f64() * 1000.0
    )?;
    Ok(())
}
