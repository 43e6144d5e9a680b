//! Throughput of `segment` on real text (UD EWT train, rebuilt raw). Ignored by default; run
//! `cargo test --release -p dyad-text --test tokenize_speed -- --ignored --nocapture`.

use std::time::Instant;

use dyad_text::tokenize::eval::read_conllu_file;
use dyad_text::tokenize::segment;

#[test]
#[ignore]
fn throughput() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/ud/UD_English-EWT/en_ewt-ud-train.conllu"
    );
    if !std::path::Path::new(path).exists() {
        eprintln!("skipping: needs ../shared/data/ud/UD_English-EWT/en_ewt-ud-train.conllu");
        return;
    }
    let docs = match read_conllu_file(std::path::Path::new(path)) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let rounds = 5;
    let start = Instant::now();
    let mut tokens = 0usize;
    for _ in 0..rounds {
        for t in &texts {
            tokens += segment(t).iter().map(|s| s.tokens.len()).sum::<usize>();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "segment: {:.1} M chars/s, {:.1} MB/s, {:.2} M tokens/s ({} chars x {rounds} in {secs:.3} s)",
        (chars * rounds) as f64 / secs / 1e6,
        (bytes * rounds) as f64 / secs / 1e6,
        tokens as f64 / secs / 1e6,
        chars
    );
    assert!(tokens > 0);
}
