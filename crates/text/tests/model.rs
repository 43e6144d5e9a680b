//! The statistical pipeline end to end: the embedded model's accuracy on UD English EWT
//! (when the reference data is present), training determinism, offsets and bad input.

use std::path::Path;
use std::time::{Duration, Instant};

use dyad_text::{conllu, eval, Model, TrainOptions};

fn shared(rel: &str) -> Option<std::path::PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: needs ../shared/{rel}");
        None
    }
}

/// Floors for the committed model on EWT dev, gold tokenization (measured, then rounded
/// down a little so that a retrain with a tiny wobble still passes).
#[test]
fn embedded_model_meets_accuracy_floors_on_ewt_dev() {
    let Some(path) = shared("data/ud/UD_English-EWT/en_ewt-ud-dev.conllu") else {
        return;
    };
    let greedy = Model::embedded().expect("embedded model loads");
    let gold = conllu::read_file(&path).expect("dev reads");
    let g = eval::evaluate(&greedy, &gold);
    eprintln!("greedy: {g:?}");
    assert!(g.uas >= GREEDY_UAS_FLOOR, "greedy uas {}", g.uas);
    assert!(g.las >= GREEDY_LAS_FLOOR, "greedy las {}", g.las);
    let model = greedy.with_parse_branches(8);
    let s = eval::evaluate(&model, &gold);
    eprintln!("8 branches: {s:?}");
    assert_eq!(s.tokens, 25_147);
    assert!(s.upos >= UPOS_FLOOR, "upos {}", s.upos);
    assert!(s.xpos >= XPOS_FLOOR, "xpos {}", s.xpos);
    assert!(s.lemma >= LEMMA_FLOOR, "lemma {}", s.lemma);
    assert!(s.uas >= UAS_FLOOR, "uas {}", s.uas);
    assert!(s.las >= LAS_FLOOR, "las {}", s.las);
}

// Measured for the committed model with up to 8 parse branches: upos 0.9517, xpos 0.946,
// lemma 0.970, uas 0.8697, las 0.8390 (full labels); greedy (the default): uas 0.8645,
// las 0.8341.
const UPOS_FLOOR: f64 = 0.949;
const XPOS_FLOOR: f64 = 0.943;
const LEMMA_FLOOR: f64 = 0.968;
const UAS_FLOOR: f64 = 0.864;
const LAS_FLOOR: f64 = 0.833;
const GREEDY_UAS_FLOOR: f64 = 0.859;
const GREEDY_LAS_FLOOR: f64 = 0.828;

/// The text layer's accuracy bars on EWT test, gold tokenization, with up to 8 parse
/// branches: UPOS 0.955, UAS 0.870, LAS 0.840. A retrained model must still clear them.
#[test]
fn embedded_model_meets_the_bars_on_ewt_test() {
    let Some(path) = shared("data/ud/UD_English-EWT/en_ewt-ud-test.conllu") else {
        return;
    };
    let model = Model::embedded()
        .expect("embedded model loads")
        .with_parse_branches(8);
    let gold = conllu::read_file(&path).expect("test reads");
    let s = eval::evaluate(&model, &gold);
    eprintln!("EWT test, 8 branches: {s:?}");
    assert_eq!(s.tokens, 25_094);
    assert!(s.upos >= 0.955, "upos {}", s.upos);
    assert!(s.uas >= 0.870, "uas {}", s.uas);
    assert!(s.las >= 0.840, "las {}", s.las);
}

/// Every parse is a tree (one root, every head in range, no cycles) whatever the search
/// width, and branching never changes the tags.
#[test]
fn parses_are_trees_with_and_without_branching() {
    let Some(path) = shared("data/ud/UD_English-EWT/en_ewt-ud-dev.conllu") else {
        return;
    };
    let gold = conllu::read_file(&path).expect("dev reads");
    let base = Model::embedded().expect("embedded model loads");
    assert_eq!(base.parse_branches(), 0);
    let models: Vec<Model> = [0, 1, 4, 16]
        .iter()
        .map(|&k| base.clone().with_parse_branches(k))
        .collect();
    let mut differ = 0;
    for sent in gold.iter().take(300) {
        let forms: Vec<&str> = sent.words.iter().map(|w| w.form.as_str()).collect();
        let outs: Vec<_> = models.iter().map(|m| m.annotate_tokens(&forms)).collect();
        for toks in &outs {
            let n = toks.len();
            assert_eq!(toks.iter().filter(|t| t.head == 0).count(), 1, "{forms:?}");
            for (i, t) in toks.iter().enumerate() {
                assert!(t.head <= n);
                // Walk up from each word: the root must come within n steps.
                let (mut h, mut steps) = (i + 1, 0);
                while h != 0 {
                    h = toks[h - 1].head;
                    steps += 1;
                    assert!(steps <= n, "cycle in {forms:?}");
                }
            }
            let tags =
                |v: &[dyad_types::Token]| v.iter().map(|t| t.upos.clone()).collect::<Vec<_>>();
            assert_eq!(tags(toks), tags(&outs[0]));
        }
        differ += (outs[0] != outs[2]) as usize;
    }
    // Branching does change some parses (and the accuracy test above measures how).
    assert!(differ > 0);
}

#[test]
fn embedded_model_loads_quickly_once() {
    let t0 = Instant::now();
    let a = Model::embedded().expect("embedded model loads");
    let b = Model::embedded().expect("second call");
    eprintln!("load: {:?}", t0.elapsed());
    // Generous bound for a loaded CI machine; the budget is 300 ms on a quiet one.
    assert!(t0.elapsed() < Duration::from_secs(3));
    assert_eq!(
        a.annotate_tokens(&["Hello", "."]),
        b.annotate_tokens(&["Hello", "."])
    );
}

#[test]
fn training_is_deterministic_and_learns_the_fixture() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.conllu");
    let sents = conllu::read_file(&path).expect("fixture reads");
    let opt = TrainOptions {
        tagger_epochs: 5,
        parser_epochs: 8,
        jackknife_folds: 2,
        jackknife_epochs: 2,
        tagger_second_pass_folds: 2,
        parser_min_updates: 1,
        parser_min_weight: 0,
        members: 1,
        ..TrainOptions::default()
    };
    let a = dyad_text::train(&sents, &sents, &opt, &mut |_| {}).expect("trains");
    let b = dyad_text::train(&sents, &sents, &opt, &mut |_| {}).expect("trains again");
    assert!(a == b, "same seed and data must give the same bytes");
    assert!(Model::from_bytes(&a).is_ok());
    // Learning is checked on gold tags: fold taggers learnt from two or three sentences
    // tag so badly that what the parser learns from their tags is mostly noise.
    let opt = TrainOptions {
        jackknife_folds: 0,
        ..opt
    };
    let c = dyad_text::train(&sents, &sents, &opt, &mut |_| {}).expect("trains");
    // Greedy: the branching search's settings are tuned for a full-size model's scores.
    let model = Model::from_bytes(&c)
        .expect("trained bytes load")
        .with_parse_branches(0);
    let s = eval::evaluate(&model, &sents);
    assert!(s.upos > 0.9 && s.uas > 0.8, "fixture not learnt: {s:?}");
    assert!(dyad_text::train(&[], &sents, &opt, &mut |_| {}).is_err());
    // With word classes learned from unlabeled text (here the fixture's own text, twice):
    // still deterministic, and the classes change the model.
    let texts: Vec<&str> = sents
        .iter()
        .filter_map(|s| s.comment("text"))
        .chain(sents.iter().filter_map(|s| s.comment("text")))
        .collect();
    assert!(!texts.is_empty());
    let opt = TrainOptions {
        cluster_min_count: 2,
        clusters: 8,
        coarse_clusters: 3,
        ..opt
    };
    let d = dyad_text::train_with_text(&sents, &sents, &texts, &opt, &mut |_| {}).expect("trains");
    let e = dyad_text::train_with_text(&sents, &sents, &texts, &opt, &mut |_| {}).expect("again");
    assert!(d == e, "same text, seed and data must give the same bytes");
    assert!(d != c, "word classes must reach the model");
    let model = Model::from_bytes(&d).expect("loads").with_parse_branches(0);
    let s = eval::evaluate(&model, &sents);
    assert!(s.upos > 0.9 && s.uas > 0.8, "fixture not learnt: {s:?}");
    // Three members averaged: the same bytes on one thread as on two, a model other
    // than the first member's, and still learnt.
    let members = |threads| TrainOptions {
        members: 3,
        threads,
        ..opt.clone()
    };
    let f = dyad_text::train_with_text(&sents, &sents, &texts, &members(1), &mut |_| {})
        .expect("trains members");
    let g = dyad_text::train_with_text(&sents, &sents, &texts, &members(2), &mut |_| {})
        .expect("trains members on two threads");
    assert!(f == g, "the thread count must not change the bytes");
    assert!(f != d, "the members' mean must reach the model");
    let model = Model::from_bytes(&f).expect("loads").with_parse_branches(0);
    let s = eval::evaluate(&model, &sents);
    assert!(
        s.upos > 0.9 && s.uas > 0.8,
        "fixture not learnt by the members: {s:?}"
    );
}

#[test]
fn spans_slice_the_sentence_text() {
    let model = Model::embedded().expect("loads");
    let text = "  Rebels attacked Kabul’s airport on Monday.\n\nThe army did not respond.";
    let sents = model.analyze(text, None);
    assert_eq!(sents.len(), 2);
    for s in &sents {
        assert!(text.contains(&s.text));
        let chars: Vec<char> = s.text.chars().collect();
        for t in &s.tokens {
            let span = t.span.expect("span");
            let slice: String = chars[span.start..span.end].iter().collect();
            assert_eq!(slice, t.form);
        }
        assert_eq!(s.tokens.iter().filter(|t| t.head == 0).count(), 1);
        assert!(s.tokens.iter().all(|t| t.head <= s.tokens.len()));
    }
    let not = sents[1]
        .tokens
        .iter()
        .find(|t| t.form == "not")
        .expect("not");
    assert_eq!(not.deprel, "advmod");
}

#[test]
fn bad_input_neither_panics_nor_hangs() {
    let model = Model::embedded().expect("loads");
    assert!(model.analyze("", None).is_empty());
    assert!(model.annotate_tokens(&[]).is_empty());
    let _ = model.analyze("\u{0}\u{1}\u{7f} \u{202e}abc\u{feff}.\r\n\t\u{85}", None);
    let _ = model.annotate_tokens(&["", "\u{0}", " ", "\n"]);
    // One 20,000-word sentence: the parser is linear-time, so this is quick.
    let forms: Vec<&str> = ["the", "men", "said", "that", ","]
        .iter()
        .cycle()
        .take(20_000)
        .copied()
        .collect();
    let t0 = Instant::now();
    let toks = model.annotate_tokens(&forms);
    assert_eq!(toks.len(), 20_000);
    assert_eq!(toks.iter().filter(|t| t.head == 0).count(), 1);
    assert!(
        t0.elapsed() < Duration::from_secs(10),
        "took {:?}",
        t0.elapsed()
    );
    let long = "word ".repeat(20_000);
    let t0 = Instant::now();
    let n: usize = model
        .analyze(&long, None)
        .iter()
        .map(|s| s.tokens.len())
        .sum();
    assert_eq!(n, 20_000);
    assert!(t0.elapsed() < Duration::from_secs(10));
}

#[test]
fn truncated_model_bytes_are_an_error() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/en_ewt.bin");
    let bytes = std::fs::read(path).expect("committed model");
    for cut in [0, 7, 8, 100, bytes.len() / 2, bytes.len() - 1] {
        assert!(Model::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
}
