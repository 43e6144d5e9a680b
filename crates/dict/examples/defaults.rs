//! Compiles dyad's embedded default dictionaries, reports how long it took, what each file
//! contributed and any diagnostics.
//!
//! ```text
//! cargo run --release -p dyad-dict --example defaults
//! ```

use std::time::Instant;

use dyad_dict::{Dictionaries, DictionaryBuilder};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One cold build, then the best of five, so the figure is not a page-cache artefact.
    let started = Instant::now();
    let dicts = Dictionaries::embedded_default()?;
    let cold = started.elapsed();
    let mut best = cold;
    for _ in 0..5 {
        // `embedded_default` caches its result: build afresh to time a full compile.
        let t = Instant::now();
        let d = DictionaryBuilder::new().embedded_defaults().build()?;
        best = best.min(t.elapsed());
        drop(d);
    }
    for f in dicts.files() {
        let details: Vec<String> = f.details.iter().map(|(k, n)| format!("{k} {n}")).collect();
        println!(
            "{:<48} {:>6} us  {}  diagnostics {}",
            f.file,
            f.micros,
            details.join(", "),
            f.diagnostics
        );
    }
    for d in dicts.diagnostics() {
        println!("{d}");
    }
    println!(
        "actors {} (phrases {}), agents {}, verbs {}, patterns {}, word lists {}",
        dicts.actors().len(),
        dicts.actors().phrase_count(),
        dicts.agents().len(),
        dicts.verbs().entries().len(),
        dicts.verbs().pattern_count(),
        dicts.verbs().synsets().len()
    );
    println!(
        "load time: first {:.1} ms, best of 5 {:.1} ms",
        cold.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3
    );
    Ok(())
}
