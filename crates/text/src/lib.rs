//! Pure-Rust text layer: sentences, tokens, tags, lemmas, dependency parse.

pub mod tokenize;
