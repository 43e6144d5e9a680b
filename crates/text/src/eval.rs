//! Scoring a model against a gold treebank.

use std::time::Instant;

use dyad_types::Token;

use crate::conllu::Sentence;
use crate::Model;

/// Accuracy figures over gold-tokenized sentences (all words, punctuation included).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scores {
    /// Sentences scored.
    pub sentences: usize,
    /// Words scored.
    pub tokens: usize,
    /// Universal POS accuracy.
    pub upos: f64,
    /// Penn Treebank tag accuracy.
    pub xpos: f64,
    /// Lemma accuracy (exact string).
    pub lemma: f64,
    /// Unlabelled attachment score.
    pub uas: f64,
    /// Labelled attachment score with full labels (`nsubj:pass` must match exactly).
    pub las: f64,
    /// Labelled attachment score on the universal part of the label (CoNLL 2018 LAS).
    pub las_universal: f64,
    /// Seconds spent annotating (tagging, lemmatizing, parsing), input reading excluded.
    pub seconds: f64,
}

impl Scores {
    /// Words annotated per second.
    pub fn tokens_per_second(&self) -> f64 {
        self.tokens as f64 / self.seconds.max(1e-9)
    }
}

fn universal(label: &str) -> &str {
    label.split(':').next().unwrap_or(label)
}

/// Annotate each gold sentence from its gold words and compare.
pub fn evaluate(model: &Model, gold: &[Sentence]) -> Scores {
    evaluate_with(model, gold, |_, _| {})
}

/// [`evaluate`], handing each gold sentence and its annotated tokens to `each` (after
/// scoring, outside the timed part), e.g. to write the predictions.
pub fn evaluate_with(
    model: &Model,
    gold: &[Sentence],
    mut each: impl FnMut(&Sentence, Vec<Token>),
) -> Scores {
    let mut s = Scores {
        sentences: gold.len(),
        ..Scores::default()
    };
    let (mut up, mut xp, mut lem, mut ua, mut la, mut lu) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    let mut seconds = 0f64;
    for sent in gold {
        let forms: Vec<&str> = sent.words.iter().map(|w| w.form.as_str()).collect();
        let t0 = Instant::now();
        let toks = model.annotate_tokens(&forms);
        seconds += t0.elapsed().as_secs_f64();
        for (t, g) in toks.iter().zip(&sent.words) {
            s.tokens += 1;
            up += (t.upos == g.upos) as usize;
            xp += (t.xpos == g.xpos) as usize;
            lem += (t.lemma == g.lemma) as usize;
            if Some(t.head) == g.head {
                ua += 1;
                la += (t.deprel == g.deprel) as usize;
                lu += (universal(&t.deprel) == universal(&g.deprel)) as usize;
            }
        }
        each(sent, toks);
    }
    let n = s.tokens.max(1) as f64;
    s.upos = up as f64 / n;
    s.xpos = xp as f64 / n;
    s.lemma = lem as f64 / n;
    s.uas = ua as f64 / n;
    s.las = la as f64 / n;
    s.las_universal = lu as f64 / n;
    s.seconds = seconds;
    s
}

/// `gold` with its words replaced by `tokens` (annotated from its gold forms): predicted
/// lemma, tags, features, head and relation; comments, multiword tokens and MISC kept.
pub fn predicted(gold: &Sentence, tokens: Vec<Token>) -> Sentence {
    let words = tokens
        .into_iter()
        .zip(&gold.words)
        .map(|(t, g)| crate::conllu::Word::from_token(t, g.misc.clone()))
        .collect();
    Sentence {
        words,
        ..gold.clone()
    }
}

/// Scores of an evaluation from raw text (CoNLL 2018 style: predicted words are aligned
/// to gold words by their character extent; each figure is an F1 over words).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawScores {
    /// Gold sentences.
    pub sentences: usize,
    /// Gold words.
    pub tokens: usize,
    /// Tagging, lemma and attachment F1 over aligned words.
    pub scores: Scores,
    /// Surface token F1 (from the tokenizer's evaluation).
    pub tokens_f1: f64,
    /// Sentence F1 (from the tokenizer's evaluation).
    pub sentences_f1: f64,
}

/// Rebuild each document's raw text from `gold_path`, analyse it from scratch and score
/// tokens, sentences, tags, lemmas and attachments against the gold file.
pub fn evaluate_raw(model: &Model, gold_path: &std::path::Path) -> crate::Result<RawScores> {
    use crate::tokenize::eval::{align_f1, predicted_spans, read_conllu_file};
    let docs = read_conllu_file(gold_path).map_err(|e| crate::Error::Model(e.to_string()))?;
    let gold = crate::conllu::read_file(gold_path)?;
    let mut sents = gold.iter();
    let mut out = RawScores {
        sentences: gold.len(),
        ..Default::default()
    };
    let (mut tok_f1, mut sent_f1) = (Default::default(), Default::default());
    let mut counts = [0usize; 6];
    let (mut n_gold, mut n_pred) = (0usize, 0usize);
    let mut seconds = 0f64;
    for doc in docs {
        // The gold words of this document, with heads as document-wide indices.
        let mut gwords: Vec<(&crate::conllu::Word, Option<usize>)> = Vec::new();
        while gwords.len() < doc.words.len() {
            let Some(s) = sents.next() else { break };
            let base = gwords.len();
            for w in &s.words {
                gwords.push((
                    w,
                    w.head
                        .map(|h| if h == 0 { usize::MAX } else { base + h - 1 }),
                ));
            }
        }
        let t0 = Instant::now();
        let raw = crate::tokenize::segment(&doc.text);
        let mut pwords: Vec<(dyad_types::Token, (usize, usize), Option<usize>)> = Vec::new();
        for s in &raw {
            let forms: Vec<&str> = s.tokens.iter().map(|t| t.form.as_str()).collect();
            let base = pwords.len();
            for (t, r) in model.annotate_tokens(&forms).into_iter().zip(&s.tokens) {
                let head = if t.head == 0 {
                    usize::MAX
                } else {
                    base + t.head - 1
                };
                pwords.push((t, (r.start_char, r.end_char), Some(head)));
            }
        }
        seconds += t0.elapsed().as_secs_f64();
        let (ptoks, _, psents) = predicted_spans(&raw);
        tok_f1 = crate::tokenize::eval::F1::combine(tok_f1, align_f1(&doc.tokens, &ptoks));
        sent_f1 = crate::tokenize::eval::F1::combine(sent_f1, align_f1(&doc.sentences, &psents));
        // Align words by identical extent.
        let by_span: std::collections::BTreeMap<(usize, usize), usize> =
            doc.words.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        let align: Vec<Option<usize>> = pwords.iter().map(|p| by_span.get(&p.1).copied()).collect();
        n_gold += gwords.len().min(doc.words.len());
        n_pred += pwords.len();
        for (p, a) in pwords.iter().zip(&align) {
            let Some(&(g, gh)) = a.and_then(|i| gwords.get(i)) else {
                continue;
            };
            let t = &p.0;
            counts[0] += (t.upos == g.upos) as usize;
            counts[1] += (t.xpos == g.xpos) as usize;
            counts[2] += (t.lemma == g.lemma) as usize;
            let ph = p.2.map(|h| {
                if h == usize::MAX {
                    Some(usize::MAX)
                } else {
                    align.get(h).copied().flatten()
                }
            });
            let head_ok = matches!((ph, gh), (Some(Some(a)), Some(b)) if a == b);
            if head_ok {
                counts[3] += 1;
                counts[4] += (t.deprel == g.deprel) as usize;
                counts[5] += (universal(&t.deprel) == universal(&g.deprel)) as usize;
            }
        }
    }
    let f1 = |c: usize| {
        if n_gold + n_pred == 0 {
            1.0
        } else {
            2.0 * c as f64 / (n_gold + n_pred) as f64
        }
    };
    out.tokens = n_gold;
    out.scores = Scores {
        sentences: out.sentences,
        tokens: n_pred,
        upos: f1(counts[0]),
        xpos: f1(counts[1]),
        lemma: f1(counts[2]),
        uas: f1(counts[3]),
        las: f1(counts[4]),
        las_universal: f1(counts[5]),
        seconds,
    };
    out.tokens_f1 = tok_f1.f1;
    out.sentences_f1 = sent_f1.f1;
    Ok(out)
}
