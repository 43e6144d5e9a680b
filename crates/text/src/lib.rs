//! Pure-Rust text layer: sentences, tokens, part-of-speech tags, lemmas, morphological
//! features and a Universal Dependencies parse.
//!
//! * [`tokenize`]: sentence splitting and tokenization with offsets into the original text.
//! * [`Model`]: the statistical pipeline (tagger, lemmatizer, dependency parser), trained
//!   by `dyad train` on UD English EWT and embedded in the binary ([`Model::embedded`]).
//! * [`conllu`]: a small CoNLL-U reader and writer; [`eval`] scores a model against gold
//!   trees; [`train()`] learns a model from treebanks.
//!
//! # The models
//!
//! All three are learned from UD English EWT (CC BY-SA 4.0) by `dyad train`, with the
//! number of epochs chosen on the EWT dev set, deterministically for a given seed:
//!
//! * tagger: joint (UPOS, XPOS) tags from a greedy averaged perceptron over word, affix,
//!   shape, context, ambiguity-class and word-class features, in two passes (the second also sees the
//!   first pass's tags of the next two words);
//! * lemmatizer and features: the most frequent lemma and feature set of each (form, tag)
//!   in training, suffix rewrite rules for unseen words, and `Voice=Pass` from the parse;
//! * parser: greedy arc-eager transitions with full UD labels (LEFT-ARC may replace a
//!   head given earlier), an averaged perceptron over rich stack/buffer features, trained
//!   with a dynamic oracle on jackknifed tags. It is linear in sentence length.
//!
//! The word classes are learned by `dyad train` from unlabeled text (the exchange
//! algorithm for a class bigram model) and stored in the model file.
//!
//! Weights are quantised to 16 bits (8 in the rows of frequent features) and small ones
//! pruned; the committed model file (`models/en_ewt.bin`, zlib-compressed) is inflated at
//! build time and embedded in the binary with `include_bytes!`.
//!
//! ```
//! use dyad_text::Model;
//!
//! let model = Model::embedded()?;
//! let sentences = model.analyze("Rebels attacked the town. Police arrested two men.", None);
//! assert_eq!(sentences.len(), 2);
//! let first = &sentences[0];
//! assert_eq!(first.tokens[1].form, "attacked");
//! assert_eq!(first.tokens[1].upos, "VERB");
//! assert_eq!(first.tokens[1].lemma, "attack");
//! // Exactly one word hangs from the root.
//! assert_eq!(first.tokens.iter().filter(|t| t.head == 0).count(), 1);
//! # Ok::<(), dyad_text::Error>(())
//! ```
#![deny(missing_docs)]

mod cluster;
mod codec;
pub mod conllu;
mod error;
pub mod eval;
mod hash;
mod lemma;
mod model;
mod parser;
mod perceptron;
mod tagger;
pub mod tokenize;
mod train;

pub use error::{Error, Result};
pub use model::Model;
pub use train::{train, train_with_text, TrainOptions};
