//! Sentence splitting and tokenization that keep offsets into the original text.
