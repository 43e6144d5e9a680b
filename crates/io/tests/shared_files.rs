//! Reads the shared validation and sample files (each test is skipped, saying so, when
//! ../shared is absent).

use std::collections::HashMap;
use std::path::PathBuf;

use dyad_io::{
    parse_conllu, read_petrarch_file, to_conllu, ParseFormat, PetrarchFile, ReadOptions, Record,
    RecordErrorKind, TreebankError,
};

const V2: &str = "peers/petrarch2/text/PETR.UnitTest.records.xml";
const V3: &str = "peers/universal-petrarch/validate/PETR_Validate_records_2_02.xml";
const GIGAWORD: &str = "peers/petrarch2/text/GigaWord.sample.PETR.xml";

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/")).join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: needs ../shared/{rel}");
        None
    }
}

fn read_with(rel: &str, strict: bool) -> Option<PetrarchFile> {
    let p = shared(rel)?;
    let opts = ReadOptions {
        strict_alignment: strict,
        ..ReadOptions::default()
    };
    Some(read_petrarch_file(&p, &opts).expect("the file is readable"))
}

fn read(rel: &str) -> Option<PetrarchFile> {
    read_with(rel, true)
}

fn record<'a>(f: &'a PetrarchFile, id: &str) -> &'a Record {
    f.ok_records()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("record {id} missing"))
}

/// (dependent, head, relation) by word form.
fn has_dep(r: &Record, dep: &str, head: &str, rel: &str) -> bool {
    let t = &r.sentence.tokens;
    t.iter().any(|d| {
        d.form == dep
            && d.deprel == rel
            && d.head > 0
            && t.get(d.head - 1).is_some_and(|h| h.form == head)
    })
}

fn text_of(r: &Record, i: usize) -> Option<String> {
    let s = r.sentence.tokens[i].span?;
    Some(
        r.sentence
            .text
            .chars()
            .skip(s.start)
            .take(s.end - s.start)
            .collect(),
    )
}

/// Every token with a span covers text equal to its form, up to case and the rewrites
/// the aligner accepts; and spans increase.
fn check_spans(f: &PetrarchFile) -> (usize, usize) {
    let (mut with, mut without) = (0, 0);
    for r in f.ok_records() {
        let mut last_end = 0;
        for (i, t) in r.sentence.tokens.iter().enumerate() {
            match t.span {
                Some(s) => {
                    with += 1;
                    assert!(s.start >= last_end && s.end > s.start, "{} token {i}", r.id);
                    last_end = s.end;
                    let got = text_of(r, i).unwrap_or_default();
                    if t.form.chars().all(char::is_alphanumeric) {
                        assert_eq!(
                            got.to_lowercase(),
                            t.form.to_lowercase(),
                            "{} token {i}",
                            r.id
                        );
                    }
                }
                None => without += 1,
            }
        }
    }
    (with, without)
}

#[test]
fn v2_unit_test_records() {
    let Some(f) = read(V2) else { return };
    // 284 <Sentence> records (the 285th match of "<Sentence" is <Sentences>).
    assert_eq!(f.records.len(), 284);
    assert_eq!(f.ok_records().count(), 272);
    let errors: Vec<_> = f.errors().collect();
    assert_eq!(errors.len(), 12);
    let mismatch = errors
        .iter()
        .filter(|e| matches!(e.kind, RecordErrorKind::TokensDontMatchText { .. }))
        .count();
    assert_eq!(mismatch, 10);
    // The two records meant to fail on their parse do, and say so.
    let bad: Vec<_> = errors
        .iter()
        .filter(|e| matches!(e.kind, RecordErrorKind::Treebank(_)))
        .collect();
    assert_eq!(bad.len(), 2);
    assert!(bad
        .iter()
        .all(|e| e.expected_error.as_deref() == Some("bad_input_parse")));
    assert!(matches!(
        bad[0].kind,
        RecordErrorKind::Treebank(TreebankError::ExtraClose(_))
    ));
    let icc = errors
        .iter()
        .find(|e| e.id.as_deref() == Some("ICC-01"))
        .expect("ICC-01 rejected");
    assert!(icc.to_string().contains("\"Police\""), "{icc}");
    assert!(
        icc.to_string().contains("PETR.UnitTest.records.xml:"),
        "{icc}"
    );

    let env = &f.environment;
    assert_eq!(env.verb_file.as_deref(), Some("PETR.Validate.verbs.txt"));
    assert_eq!(env.actor_files, ["PETR.Validate.actors.txt"]);
    assert_eq!(env.include.len(), 12);
    assert_eq!(env.config.len(), 1);
    // 28 <Config> elements between records (a 29th is inside a comment), none lost with
    // a skipped record.
    let cfg: usize = f
        .records
        .iter()
        .map(|r| {
            r.as_ref()
                .map_or_else(|e| e.config.len(), |r| r.config.len())
        })
        .sum();
    assert_eq!(cfg, 28);

    assert!(f
        .ok_records()
        .all(|r| r.parse_format == ParseFormat::Treebank));
    assert_eq!(f.ok_records().map(|r| r.expected.len()).sum::<usize>(), 343);
    assert_eq!(f.ok_records().filter(|r| r.no_events).count(), 18);
    let (with, without) = check_spans(&f);
    assert_eq!(with + without, 6098);
    // Only full stops the text does not have go unaligned.
    assert_eq!(without, 6);

    let demo = record(&f, "DEMO-06");
    assert_eq!(demo.expected[0].source, "CALGOV");
    assert!(has_dep(demo, "government", "condemned", "nsubj"));
    assert!(has_dep(demo, "attack", "condemned", "obj"));
    assert!(has_dep(demo, "promised", "condemned", "conj"));
    assert!(has_dep(demo, "aid", "promised", "obj"));
    // The parse hangs "by Osgiliath soldiers" on the verb (active voice: plain obl).
    assert!(has_dep(demo, "soldiers", "condemned", "obl"));
    assert!(has_dep(demo, "Osgiliath", "soldiers", "compound"));
    let urged = record(&f, "DEMO-19");
    assert!(has_dep(urged, "minister", "urged", "nsubj"));
    assert!(has_dep(urged, "Eriador", "urged", "obj"));
    assert!(has_dep(urged, "respond", "urged", "xcomp"));
    assert!(has_dep(urged, "Arnor", "minister", "nmod:poss"));
    let passive = record(&f, "DEMO-12");
    assert!(has_dep(passive, "Osgiliath", "drawn", "nsubj:pass"));
    assert!(has_dep(passive, "resumption", "drawn", "obl:agent"));
    assert!(has_dep(passive, "foe", "Osgiliath", "appos"));
}

#[test]
fn v2_lenient_reading_keeps_mismatched_records() {
    let Some(f) = read_with(V2, false) else {
        return;
    };
    assert_eq!(f.ok_records().count(), 282);
    let icc = record(&f, "ICC-01");
    assert_eq!(icc.alignment_errors.len(), 2);
    assert_eq!(icc.alignment_errors[0].token, "Police");
    assert_eq!(
        f.ok_records()
            .filter(|r| !r.alignment_errors.is_empty())
            .count(),
        10
    );
}

#[test]
fn v3_validate_records() {
    let Some(f) = read(V3) else { return };
    assert_eq!(f.records.len(), 274);
    assert_eq!(f.ok_records().count(), 273);
    let e = f.errors().next().expect("one error");
    assert_eq!(e.id.as_deref(), Some("ACTOR-07"));
    // The stray "<PLEvent..." of the header comment, which ends early at a nested "-->".
    assert_eq!(f.warnings.len(), 1);
    assert_eq!(f.warnings[0].location.line, 27);
    assert_eq!(
        f.environment.pico_file.as_deref(),
        Some("PETR_Validate_Internal_Coding_Ontology_1_01.txt")
    );
    assert!(f
        .ok_records()
        .all(|r| r.parse_format == ParseFormat::Conllu));
    assert_eq!(f.ok_records().filter(|r| !r.evaluate).count(), 10);
    assert_eq!(f.ok_records().map(|r| r.expected.len()).sum::<usize>(), 321);
    assert_eq!(f.ok_records().map(|r| r.plover.len()).sum::<usize>(), 38);
    assert_eq!(
        f.ok_records()
            .filter(|r| r.expected_error.is_some())
            .count(),
        7
    );
    let (with, without) = check_spans(&f);
    assert_eq!((with, without), (6104, 0));
    // UD v1 labels come out as v2.
    let labels: Vec<&str> = f
        .ok_records()
        .flat_map(|r| r.sentence.tokens.iter().map(|t| t.deprel.as_str()))
        .collect();
    for v1 in ["dobj", "nsubjpass", "auxpass", "neg", "name"] {
        assert!(!labels.contains(&v1), "{v1} left");
    }
    // One root per sentence (DEMO-32's parse has two: the second becomes parataxis).
    assert!(f
        .ok_records()
        .all(|r| r.sentence.tokens.iter().filter(|t| t.head == 0).count() == 1));
    let demo = record(&f, "DEMO-01");
    assert!(has_dep(demo, "ties", "restore", "obj"));
    assert!(has_dep(demo, "Gondor", "restore", "obl"));
    assert_eq!(demo.expected[0].code, "050");
    // The CoNLL-U writer's output reads back to the same analysis.
    let back = parse_conllu(&to_conllu(&demo.sentence), "w")
        .remove(0)
        .expect("reads back");
    assert_eq!(
        back.to_parsed(demo.id.clone(), Some(demo.date)),
        demo.sentence
    );
}

#[test]
fn gigaword_sample() {
    let Some(f) = read(GIGAWORD) else { return };
    assert_eq!(f.records.len(), 76);
    // Hand-edited records whose parse no longer matches the text.
    assert_eq!(f.ok_records().count(), 63);
    assert!(f
        .errors()
        .all(|e| matches!(e.kind, RecordErrorKind::TokensDontMatchText { .. })));
    let (with, without) = check_spans(&f);
    assert_eq!((with, without), (1377, 2));
    assert_eq!(
        f.ok_records()
            .filter(|r| r.attributes.get("source").map(String::as_str) == Some("AFP"))
            .count(),
        63
    );
    let r = record(&f, "AFP0808020705_1");
    assert!(has_dep(r, "court", "issued", "nsubj"));
    assert!(has_dep(r, "warrants", "issued", "obj"));
    assert!(has_dep(r, "has", "issued", "aux"));
    assert!(has_dep(r, "said", "issued", "parataxis"));
    assert!(has_dep(r, "officer", "said", "nsubj"));
    let lenient = read_with(GIGAWORD, false).expect("present");
    assert_eq!(lenient.ok_records().count(), 76);
}

/// Compares dependencies derived from V2's Treebank trees with V3's CoNLL-U parses of the
/// same sentences (same words). V3's parses come from another parser and are not gold, so
/// this is a floor against regressions, not an accuracy figure.
#[test]
fn derived_dependencies_agree_with_udpipe_parses() {
    let (Some(v2), Some(v3)) = (read(V2), read(V3)) else {
        return;
    };
    let key = |r: &Record| {
        r.sentence
            .tokens
            .iter()
            .map(|t| t.form.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let by_words: HashMap<String, &Record> = v3.ok_records().map(|r| (key(r), r)).collect();
    let (mut n, mut uas, mut las, mut sents) = (0usize, 0usize, 0usize, 0usize);
    for r in v2.ok_records() {
        let Some(u) = by_words.get(&key(r)) else {
            continue;
        };
        sents += 1;
        for (a, b) in r.sentence.tokens.iter().zip(&u.sentence.tokens) {
            if b.upos == "PUNCT" {
                continue;
            }
            n += 1;
            let base = |s: &str| s.split(':').next().unwrap_or("").to_string();
            if a.head == b.head {
                uas += 1;
                las += usize::from(base(&a.deprel) == base(&b.deprel));
            }
        }
    }
    let (uas, las) = (uas as f64 / n as f64, las as f64 / n as f64);
    eprintln!("V2 vs V3: sentences {sents} tokens {n} UAS {uas:.3} LAS {las:.3}");
    assert_eq!(sents, 217);
    assert!(uas > 0.80 && las > 0.76, "UAS {uas:.3} LAS {las:.3}");
}
