//! Training every model of the pipeline from CoNLL-U treebanks.

use std::collections::BTreeSet;

use crate::cluster::Clusters;
use crate::codec::Reader;
use crate::conllu::Sentence;
use crate::lemma::Lemmatizer;
use crate::parser::{self, pwords, ParseExample, ParseTrainOptions};
use crate::tagger::{self, TagTrainOptions, Tagger};
use crate::{Error, Model, Result};

/// Settings for [`train`]. The defaults are the ones the committed model was trained with.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Seed for shuffling and exploration; the same seed gives the same model bytes.
    pub seed: u64,
    /// Tagger passes over the training data (the best on dev is kept).
    pub tagger_epochs: usize,
    /// Parser passes over the training data (the best on dev is kept).
    pub parser_epochs: usize,
    /// Parser training sees tags predicted by taggers trained on the other folds
    /// (jackknifing) when this is 2 or more; gold tags otherwise.
    pub jackknife_folds: usize,
    /// Tagger epochs for each jackknife fold.
    pub jackknife_epochs: usize,
    /// Probability of following a wrong parser prediction in training (dynamic oracle).
    pub explore: f64,
    /// First parser epoch (0-based) that explores.
    pub explore_from: usize,
    /// Tagger weights below this (in quantised units, of 32767 for the largest) are
    /// dropped from the model file.
    pub tagger_min_weight: i16,
    /// Parser weights below this (in quantised units) are dropped from the model file;
    /// this is what keeps the parser compact.
    pub parser_min_weight: i16,
    /// Tagger features updated fewer times than this are dropped from the model file.
    pub tagger_min_updates: u32,
    /// Parser features updated fewer times than this are dropped from the model file.
    pub parser_min_updates: u32,
    /// Train this many taggers and parsers, with seeds `seed`, `seed + 1`, ..., and
    /// keep the mean of their weights: a linear model's scores under mean weights are
    /// the mean of its members' scores, so this is an ensemble that costs no more
    /// lookups to run than one model (the model grows by the features only some members
    /// have).
    pub members: usize,
    /// Threads that train members at once (0: one per core). The model bytes do not
    /// depend on it.
    pub threads: usize,
    /// Train the tagger's second (right-context) pass on first-pass tags from this many
    /// folds; 0 for a single pass.
    pub tagger_second_pass_folds: usize,
    /// Fine distributional word classes learned from the unlabeled text (see
    /// [`train_with_text`]).
    pub clusters: usize,
    /// Coarse distributional word classes learned from the same text.
    pub coarse_clusters: usize,
    /// Words seen fewer times than this in the unlabeled text get no class.
    pub cluster_min_count: usize,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            seed: 1,
            tagger_epochs: 6,
            parser_epochs: 12,
            jackknife_folds: 4,
            jackknife_epochs: 6,
            explore: 0.9,
            explore_from: 1,
            tagger_min_weight: 0,
            parser_min_weight: 450,
            tagger_min_updates: 1,
            parser_min_updates: 1,
            members: 5,
            threads: 0,
            tagger_second_pass_folds: 4,
            clusters: 512,
            coarse_clusters: 64,
            cluster_min_count: 3,
        }
    }
}

fn tag_opts(opt: &TrainOptions, epochs: usize, second_pass_folds: usize) -> TagTrainOptions {
    TagTrainOptions {
        epochs,
        seed: opt.seed,
        amb_min_count: 2,
        prune: 0.0,
        min_updates: opt.tagger_min_updates,
        second_pass_folds,
    }
}

fn examples(
    sents: &[Sentence],
    tags: &[Vec<usize>],
    tagset: &[(String, String)],
    clusters: &Clusters,
    labels: &[String],
) -> Vec<ParseExample> {
    sents
        .iter()
        .zip(tags)
        .map(|(s, t)| ParseExample {
            words: pwords(
                &s.words.iter().map(|w| w.form.as_str()).collect::<Vec<_>>(),
                t,
                tagset,
                clusters,
            ),
            gold: s
                .words
                .iter()
                .map(|w| {
                    let l = labels
                        .binary_search(&w.deprel)
                        .map_or(u16::MAX, |i| i as u16);
                    (w.head.unwrap_or(usize::MAX), l)
                })
                .collect(),
        })
        .collect()
}

fn tag_all(tagger: &Tagger, sents: &[Sentence]) -> Vec<Vec<usize>> {
    sents
        .iter()
        .map(|s| tagger.tag(&s.words.iter().map(|w| w.form.as_str()).collect::<Vec<_>>()))
        .collect()
}

/// Train tagger, lemmatizer and parser on `train`, choosing epochs on `dev`; returns
/// the model file bytes. `log` receives one line per epoch. The model has no word
/// classes: [`train_with_text`] learns them from unlabeled text.
pub fn train(
    train: &[Sentence],
    dev: &[Sentence],
    opt: &TrainOptions,
    log: &mut dyn FnMut(String),
) -> Result<Vec<u8>> {
    train_with_text(train, dev, &[], opt, log)
}

/// [`train`], with distributional word classes learned first from `unlabeled` (raw
/// texts, split into sentences and tokenized here) and used as tagger and parser
/// features.
pub fn train_with_text(
    train: &[Sentence],
    dev: &[Sentence],
    unlabeled: &[&str],
    opt: &TrainOptions,
    log: &mut dyn FnMut(String),
) -> Result<Vec<u8>> {
    let train: Vec<Sentence> = train
        .iter()
        .filter(|s| s.words.iter().all(|w| w.head.is_some()))
        .cloned()
        .collect();
    if train.is_empty() {
        return Err(Error::Training("no training sentences with heads".into()));
    }
    let clusters = if unlabeled.is_empty() || opt.clusters == 0 {
        Clusters::default()
    } else {
        Clusters::learn(
            unlabeled,
            opt.clusters,
            opt.coarse_clusters,
            opt.cluster_min_count,
            log,
        )
    };
    log(format!("clusters: {} words with a class", clusters.len()));
    let lemma = Lemmatizer::train(&train);
    log("lemmatizer: trained".into());
    let members = opt.members.max(1);
    let bytes = if members == 1 {
        train_member(&train, dev, &clusters, &lemma, opt, log)?
    } else {
        let seeds: Vec<u64> = (0..members as u64)
            .map(|i| opt.seed.wrapping_add(i))
            .collect();
        let threads = match opt.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let models = train_members(&train, dev, &clusters, &lemma, opt, &seeds, threads, log)?;
        let refs: Vec<&[u8]> = models.iter().map(Vec::as_slice).collect();
        log(format!(
            "mean of the taggers and parsers of seeds {seeds:?}"
        ));
        Model::average_members(&refs)?
    };
    let bytes = Model::prune_bytes(&bytes, opt.tagger_min_weight, opt.parser_min_weight)?;
    // The bytes must load: check before anyone commits them.
    Model::from_bytes(&bytes)?;
    Ok(bytes)
}

/// Train the members of seeds `seeds` (see [`TrainOptions::members`]) on up to
/// `threads` threads; their model bytes, unpruned, in the order of `seeds` whatever the
/// threads do, with their log lines passed on as they come.
#[allow(clippy::too_many_arguments)]
fn train_members(
    train: &[Sentence],
    dev: &[Sentence],
    clusters: &Clusters,
    lemma: &Lemmatizer,
    opt: &TrainOptions,
    seeds: &[u64],
    threads: usize,
    log: &mut dyn FnMut(String),
) -> Result<Vec<Vec<u8>>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let mut done: Vec<(usize, Result<Vec<u8>>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.clamp(1, seeds.len()))
            .map(|_| {
                let tx = tx.clone();
                let next = &next;
                scope.spawn(move || {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&seed) = seeds.get(i) else {
                            break;
                        };
                        let member = TrainOptions {
                            seed,
                            ..opt.clone()
                        };
                        let mut log = |m: String| {
                            // The receiver outlives the workers.
                            let _ = tx.send(format!("seed {seed}: {m}"));
                        };
                        out.push((
                            i,
                            train_member(train, dev, clusters, lemma, &member, &mut log),
                        ));
                    }
                    out
                })
            })
            .collect();
        drop(tx);
        for line in rx {
            log(line);
        }
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(out) => out,
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Train one tagger and parser with `opt.seed` on the word `clusters` and `lemma`; the
/// model bytes, unpruned.
fn train_member(
    train: &[Sentence],
    dev: &[Sentence],
    clusters: &Clusters,
    lemma: &Lemmatizer,
    opt: &TrainOptions,
    log: &mut dyn FnMut(String),
) -> Result<Vec<u8>> {
    let tagger_bytes = tagger::train(
        train,
        dev,
        clusters,
        &tag_opts(opt, opt.tagger_epochs, opt.tagger_second_pass_folds),
        log,
    )?;
    let tagger = Tagger::read(&mut Reader::new(&tagger_bytes))?;
    let labels: Vec<String> = train
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.deprel.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let tag_index = |u: &str, x: &str| {
        tagger
            .tags
            .iter()
            .position(|(a, b)| a == u && b == x)
            .unwrap_or(0)
    };
    let train_tags: Vec<Vec<usize>> = if opt.jackknife_folds >= 2 {
        let k = opt.jackknife_folds;
        let mut tags = vec![Vec::new(); train.len()];
        for fold in 0..k {
            let rest: Vec<Sentence> = train
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k != fold)
                .map(|(_, s)| s.clone())
                .collect();
            let held: Vec<usize> = (0..train.len()).filter(|i| i % k == fold).collect();
            let bytes = tagger::train(
                &rest,
                &[],
                clusters,
                &tag_opts(opt, opt.jackknife_epochs, 0),
                &mut |m| log(format!("fold {fold}: {m}")),
            )?;
            let t = Tagger::read(&mut Reader::new(&bytes))?;
            for i in held {
                let pred = t.tag(
                    &train[i]
                        .words
                        .iter()
                        .map(|w| w.form.as_str())
                        .collect::<Vec<_>>(),
                );
                // Map the fold tagger's tag ids onto the main tagger's.
                tags[i] = pred
                    .iter()
                    .map(|&p| {
                        let (u, x) = &t.tags[p];
                        tag_index(u, x)
                    })
                    .collect();
            }
        }
        tags
    } else {
        train
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| tag_index(&w.upos, &w.xpos))
                    .collect()
            })
            .collect()
    };
    let train_ex = examples(train, &train_tags, &tagger.tags, clusters, &labels);
    let dev_ex = examples(dev, &tag_all(&tagger, dev), &tagger.tags, clusters, &labels);
    let popt = ParseTrainOptions {
        epochs: opt.parser_epochs,
        seed: opt.seed,
        explore: opt.explore,
        explore_from: opt.explore_from,
        prune: 0.0,
        min_updates: opt.parser_min_updates,
    };
    let parser_bytes = parser::train(&labels, &train_ex, &dev_ex, &popt, log)?;
    Ok(Model::write_parts(&tagger_bytes, lemma, &parser_bytes))
}
