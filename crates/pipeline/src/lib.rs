//! The one place that composes dyad's parts: article text → sentences → tokens, tags and a
//! dependency parse ([`dyad_text::Model`]) → events ([`dyad_coder::Coder`]).
//!
//! The CLI, the server and the Python bindings all code through a [`Pipeline`], so they
//! give the same events for the same text. A pipeline is immutable, cheap to clone and
//! `Send + Sync`; [`Pipeline::code_batch`] codes many articles on several threads and
//! returns them in input order, so output never depends on the thread count.
//!
//! ```
//! use dyad_coder::CoderBuilder;
//! use dyad_dict::{DictKind, DictionaryBuilder, VerbSyntax};
//! use dyad_pipeline::Pipeline;
//! use dyad_text::Model;
//!
//! let dicts = DictionaryBuilder::new()
//!     .text(DictKind::Actors, "demo.actors", "ARNOR [ARN]\nGONDOR [GON]\n")
//!     .text(DictKind::Verbs(VerbSyntax::Tabari), "demo.verbs", "--- ACCUSE [112] ---\nACCUSE\n")
//!     .build()?;
//! let coder = CoderBuilder::new().dictionaries(dicts).build()?;
//! let pipeline = Pipeline::new(Model::embedded()?, coder);
//! let article = pipeline.code_text("Arnor accused Gondor of spying. Nothing else happened.", None);
//! assert_eq!(article.sentences.len(), 2);
//! let events: Vec<_> = article.events().collect();
//! assert_eq!(events.len(), 1);
//! assert_eq!(events[0].1.code, "112");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use dyad_coder::{Coder, Coding};
use dyad_text::{tokenize, Model};
use dyad_types::{Date, Event, ParsedSentence};

/// Text layer and coder, composed. Clones share both.
#[derive(Clone)]
pub struct Pipeline {
    model: Arc<Model>,
    coder: Coder,
}

/// Why a pipeline could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The dictionaries could not be loaded.
    #[error("cannot load the dictionaries: {0}")]
    Dictionaries(#[from] dyad_dict::Error),
    /// The coder could not be built from the dictionaries.
    #[error("cannot build the coder: {0}")]
    Coder(#[from] dyad_coder::BuildError),
    /// The text model (tagger, lemmatizer, parser) could not be loaded.
    #[error("cannot load the text model: {0}")]
    Model(#[from] dyad_text::Error),
}

/// One sentence of an article: where it is, its analysis and what the coder made of it.
#[derive(Clone, Debug)]
pub struct CodedSentence {
    /// 0-based index of the sentence in its article.
    pub index: usize,
    /// Character offset of the sentence's first character in the article text; add it to
    /// the sentence-relative spans of tokens and events to get article offsets.
    pub start_char: usize,
    /// Tokens, tags, lemmas and the dependency parse.
    pub parsed: ParsedSentence,
    /// The coder's result: events and a report for every dictionary verb found.
    pub coding: Coding,
}

/// Everything coded from one article.
#[derive(Clone, Debug, Default)]
pub struct ArticleCoding {
    /// The article's sentences, in order.
    pub sentences: Vec<CodedSentence>,
}

impl ArticleCoding {
    /// All events of the article, in sentence order, each with its sentence.
    pub fn events(&self) -> impl Iterator<Item = (&CodedSentence, &Event)> {
        self.sentences
            .iter()
            .flat_map(|s| s.coding.events.iter().map(move |e| (s, e)))
    }
}

impl Pipeline {
    /// A pipeline over a loaded model and a built coder.
    pub fn new(model: Model, coder: Coder) -> Pipeline {
        Pipeline {
            model: Arc::new(model),
            coder,
        }
    }

    /// dyad's pipeline for raw text, as every front end builds it: the embedded text model,
    /// and a coder over the embedded default dictionaries (unless `no_default_dict`) plus
    /// the `extra` dictionary files in dyad's format, loaded after them. Entries skipped as
    /// malformed are in `pipeline.coder().dictionaries().diagnostics()`.
    pub fn with_dictionaries(
        extra: &[PathBuf],
        no_default_dict: bool,
    ) -> Result<Pipeline, BuildError> {
        let mut builder = dyad_dict::DictionaryBuilder::new();
        if !no_default_dict {
            builder.embedded_defaults();
        }
        for path in extra {
            builder.native(path);
        }
        // PETRARCH's comma rule masks short comma-delimited clauses because its patterns
        // cannot tell an attribution (", an official said") from a participle clause
        // (", calling on X to ..."); over a dependency parse the structure tells them apart.
        let options = dyad_coder::CoderOptions {
            comma_min: 0,
            comma_max: 0,
            comma_emin: 0,
            comma_emax: 0,
            ..dyad_coder::CoderOptions::default()
        };
        let coder = dyad_coder::CoderBuilder::new()
            .dictionaries(builder.build()?)
            .options(options)
            .build()?;
        Ok(Pipeline::new(Model::embedded()?, coder))
    }

    /// The same pipeline with the parser trying `branches` alternative paths per sentence
    /// (0: greedy; see [`Model::with_parse_branches`]).
    pub fn with_parse_branches(mut self, branches: usize) -> Pipeline {
        self.model = Arc::new((*self.model).clone().with_parse_branches(branches));
        self
    }

    /// The text model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The coder.
    pub fn coder(&self) -> &Coder {
        &self.coder
    }

    /// Splits, parses and codes one article. `date` is the report's date; date-bounded
    /// dictionary entries resolve against it.
    ///
    /// The sentences are coded in order in one [`dyad_coder::ArticleContext`], so "the
    /// country" resolves to a country named before it (see
    /// [`Coder::code_in_context`](dyad_coder::Coder::code_in_context)).
    pub fn code_text(&self, text: &str, date: Option<Date>) -> ArticleCoding {
        let mut context = dyad_coder::ArticleContext::new();
        let raw_sentences = tokenize::segment(text);
        // The whole article goes through the tagger and parser at once: their weights stay
        // in cache across sentences.
        let forms: Vec<Vec<&str>> = raw_sentences
            .iter()
            .map(|raw| raw.tokens.iter().map(|t| t.form.as_str()).collect())
            .collect();
        let form_refs: Vec<&[&str]> = forms.iter().map(Vec::as_slice).collect();
        let annotated = self.model.annotate_batch(&form_refs);
        let sentences = raw_sentences
            .iter()
            .zip(annotated)
            .enumerate()
            .map(|(index, (raw, tokens))| {
                let parsed = sentence(text, raw, tokens, index, date);
                let coding = self.coder.code_in_context(&parsed, &mut context);
                CodedSentence {
                    index,
                    start_char: raw.start_char,
                    parsed,
                    coding,
                }
            })
            .collect();
        ArticleCoding { sentences }
    }

    /// Codes many articles on `threads` threads (0: all cores). The result is in input order
    /// and identical whatever the thread count.
    pub fn code_batch(
        &self,
        articles: &[(&str, Option<Date>)],
        threads: usize,
    ) -> Vec<ArticleCoding> {
        parallel_map(articles, threads, |(text, date)| {
            self.code_text(text, *date)
        })
    }
}

/// A parsed sentence from its tokens, with spans made relative to the sentence.
fn sentence(
    text: &str,
    raw: &tokenize::RawSentence,
    mut tokens: Vec<dyad_types::Token>,
    index: usize,
    date: Option<Date>,
) -> ParsedSentence {
    for (tok, rt) in tokens.iter_mut().zip(&raw.tokens) {
        tok.span = Some(dyad_types::CharSpan::new(
            rt.start_char.saturating_sub(raw.start_char),
            rt.end_char.saturating_sub(raw.start_char),
        ));
    }
    ParsedSentence {
        id: index.to_string(),
        date,
        text: text
            .get(raw.start_byte..raw.end_byte)
            .unwrap_or_default()
            .to_string(),
        tokens,
        tree: None,
    }
}

/// Applies `f` to every item on `threads` threads (0: one per core) and returns the results
/// in input order, so the output never depends on the thread count or on scheduling.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = effective_threads(threads).min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        // A worker fails only by panicking; re-raise it rather than lose items silently.
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// PLOVER's auxiliary mode for an event, read from its verb's modifiers: `historical` when an
/// adverb such as "historically" or "traditionally" says the act is a standing relationship
/// rather than a dated event ("China has historically provided support to ...").
pub fn auxiliary_mode(sentence: &ParsedSentence, event: &Event) -> Option<&'static str> {
    const HISTORICAL: [&str; 6] = [
        "historically",
        "traditionally",
        "long",
        "always",
        "habitually",
        "customarily",
    ];
    let (first, last) = event.verb_tokens;
    (first..last.max(first + 1)).find_map(|verb| {
        sentence.dependents(verb).find_map(|d| {
            let t = sentence.tokens.get(d)?;
            let word = t.form.to_lowercase();
            (t.deprel.starts_with("advmod") && HISTORICAL.contains(&word.as_str()))
                .then_some("historical")
        })
    })
}

/// The number of worker threads for a requested count (0 means one per core).
pub fn effective_threads(requested: usize) -> usize {
    if requested > 0 {
        requested
    } else {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + Clone>() {}

    #[test]
    fn pipeline_is_shareable() {
        assert_send_sync::<Pipeline>();
    }

    /// The seed article's sentences are coded in one context: "support to the country"
    /// after "China is North Korea's closest ally" is support to North Korea, and agents
    /// that only modify ("press briefing", "military support") or are generic ("other
    /// parties") are no targets.
    #[test]
    fn articles_are_coded_in_context() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/examples/seed-article.txt"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipping: needs ../shared/examples/seed-article.txt");
            return;
        };
        let pipeline = Pipeline::with_dictionaries(&[], false).expect("pipeline builds");
        let coded = pipeline.code_text(&text, None);
        let events: Vec<&Event> = coded.events().map(|(_, e)| e).collect();
        let aid = events
            .iter()
            .find(|e| e.code.starts_with("07"))
            .expect("China's aid is coded");
        assert_eq!(
            (aid.source.code.as_str(), aid.target.code.as_str()),
            ("CHN", "PRK")
        );
        assert!(aid
            .target
            .entries
            .iter()
            .any(|r| r.file.contains("resolved from 'the country'")));
        for e in &events {
            for bare in ["---MIL", "---MED", "---PTY"] {
                assert_ne!(e.target.code, bare, "{e:#?}");
            }
        }
    }

    #[test]
    fn parallel_map_keeps_input_order_whatever_the_thread_count() {
        let items: Vec<u64> = (0..1000).collect();
        let square = |x: &u64| x * x;
        let one = parallel_map(&items, 1, square);
        assert_eq!(parallel_map(&items, 2, square), one);
        assert_eq!(parallel_map(&items, 7, square), one);
        assert_eq!(one[999], 999 * 999);
    }

    #[test]
    fn historically_marks_a_standing_relationship() {
        use dyad_types::Token;
        let tok = |form: &str, head: usize, deprel: &str| Token {
            form: form.into(),
            head,
            deprel: deprel.into(),
            ..Token::default()
        };
        let sentence = ParsedSentence {
            tokens: vec![
                tok("China", 4, "nsubj"),
                tok("has", 4, "aux"),
                tok("historically", 4, "advmod"),
                tok("provided", 0, "root"),
                tok("aid", 4, "obj"),
            ],
            ..ParsedSentence::default()
        };
        let event = Event {
            verb_tokens: (3, 4),
            ..Event::default()
        };
        assert_eq!(auxiliary_mode(&sentence, &event), Some("historical"));
        let sentence_now = ParsedSentence {
            tokens: sentence.tokens[..2].to_vec(),
            ..sentence.clone()
        };
        assert_eq!(auxiliary_mode(&sentence_now, &event), None);
    }
}
