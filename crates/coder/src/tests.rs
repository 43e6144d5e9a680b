//! Table-driven tests: small dictionaries, hand-written dependency parses, expected events.

use dyad_dict::{DictKind, DictionaryBuilder, VerbSyntax};
use dyad_types::{Date, ParsedSentence, Token};

use crate::{CoderBuilder, CoderOptions, Outcome, Rejection};

const ACTORS: &str = "\
ARNOR [ARN]
GONDOR [GON]
+MINAS_TIRITH
OSGILIATH [OSG]
LORIEN [ELR/GAL]
SMEAGOL
\t[HOBGOV 950101-951231]
\t[HOB]
";
const AGENTS: &str =
    "GOVERNMENT [~GOV]\nLAWMAKER [~LEG]\nMEDIA {} [~MED]\nFOREIGN_MINISTRY [~GOV]\n\
                      SPOKESPERSON [~MED]\nISLAMIST [~MUS]\n";
const VERBS: &str = "\
&TIETYPES
+MILITARY
+ECONOMIC
--- ACCUSE [112] ---
ACCUSE
--- RESTORE [---] ---
RESTORE
- * &TIETYPES TIES [064]
- * TIES [063]
--- LEAVE [---] ---
LEAVE {LEFT LEAVES LEAVING}
- * FOR + [032:033]
--- OPPOSE [112] ---
OPPOSE
--- MEET [031:031] ---
MEET {MET MEETS MEETING}
--- SAY [023] ---
SAY {SAID SAYS}
--- SEE [010] ---
SEE {SAW SEEN SEES SEEING}
";
const DISCARDS: &str = "+TYPHOON\nBASEBALL\n";

/// One token: form, Penn tag, 1-based head, relation.
fn t(form: &str, xpos: &str, head: usize, rel: &str) -> Token {
    Token {
        form: form.into(),
        lemma: "_".into(),
        upos: "_".into(),
        xpos: xpos.into(),
        feats: "_".into(),
        head,
        deprel: rel.into(),
        span: None,
    }
}

fn sentence(id: &str, tokens: Vec<Token>) -> ParsedSentence {
    let text = tokens
        .iter()
        .map(|t| t.form.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    ParsedSentence {
        id: id.into(),
        date: Date::new(1995, 6, 1).ok(),
        text,
        tokens,
        tree: None,
    }
}

fn coder(options: CoderOptions) -> crate::Coder {
    let dicts = DictionaryBuilder::new()
        .text(DictKind::Actors, "t.actors", ACTORS)
        .text(DictKind::Agents, "t.agents", AGENTS)
        .text(DictKind::Verbs(VerbSyntax::Tabari), "t.verbs", VERBS)
        .text(DictKind::Discards, "t.discards", DISCARDS)
        .build()
        .expect("test dictionaries load");
    CoderBuilder::new()
        .dictionaries(dicts)
        .options(options)
        .build()
        .expect("coder builds")
}

fn triples(events: &[dyad_types::Event]) -> Vec<String> {
    let mut v: Vec<String> = events
        .iter()
        .map(|e| format!("{} {} {}", e.source.code, e.target.code, e.code))
        .collect();
    v.sort();
    v
}

struct Case {
    name: &'static str,
    sentence: fn() -> ParsedSentence,
    expected: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "subject verb object",
        sentence: || {
            sentence(
                "svo",
                vec![
                    t("Arnor", "NNP", 2, "nsubj"),
                    t("accused", "VBD", 0, "root"),
                    t("Gondor", "NNP", 2, "obj"),
                ],
            )
        },
        expected: &["ARN GON 112"],
    },
    Case {
        name: "passive with by",
        sentence: || {
            sentence(
                "passive",
                vec![
                    t("Gondor", "NNP", 3, "nsubj:pass"),
                    t("was", "VBD", 3, "aux:pass"),
                    t("opposed", "VBN", 0, "root"),
                    t("by", "IN", 5, "case"),
                    t("Osgiliath", "NNP", 3, "obl:agent"),
                ],
            )
        },
        expected: &["OSG GON 112"],
    },
    Case {
        name: "compound subject gives one event per actor",
        sentence: || {
            sentence(
                "compound",
                vec![
                    t("Arnor", "NNP", 4, "nsubj"),
                    t("and", "CC", 3, "cc"),
                    t("Osgiliath", "NNP", 1, "conj"),
                    t("accused", "VBD", 0, "root"),
                    t("Gondor", "NNP", 4, "obj"),
                ],
            )
        },
        expected: &["ARN GON 112", "OSG GON 112"],
    },
    Case {
        name: "agents join the actor of their phrase and of their conjuncts",
        sentence: || {
            sentence(
                "agents",
                vec![
                    t("Gondor", "NNP", 3, "nmod:poss"),
                    t("'s", "POS", 1, "case"),
                    t("media", "NNS", 6, "nsubj"),
                    t("and", "CC", 5, "cc"),
                    t("government", "NN", 3, "conj"),
                    t("accused", "VBD", 0, "root"),
                    t("lawmakers", "NNS", 6, "obj"),
                    t("in", "IN", 9, "case"),
                    t("Arnor", "NNP", 7, "nmod"),
                ],
            )
        },
        expected: &["GONGOV ARNLEG 112", "GONMED ARNLEG 112"],
    },
    Case {
        name: "a noun modifier's agent outranks the head's, an adjective's adds to it",
        sentence: || {
            sentence(
                "agents2",
                vec![
                    t("Gondor", "NNP", 4, "compound"),
                    t("foreign", "JJ", 3, "amod"),
                    t("ministry", "NN", 4, "compound"),
                    t("spokesperson", "NN", 5, "nsubj"),
                    t("accused", "VBD", 0, "root"),
                    t("Arnor", "NNP", 8, "compound"),
                    t("Islamist", "JJ", 8, "amod"),
                    t("media", "NNS", 5, "obj"),
                ],
            )
        },
        expected: &["GONGOV ARNMUSMED 112"],
    },
    Case {
        name: "synset pattern beats shorter pattern",
        sentence: || {
            sentence(
                "synset",
                vec![
                    t("Arnor", "NNP", 2, "nsubj"),
                    t("restored", "VBD", 0, "root"),
                    t("economic", "JJ", 4, "amod"),
                    t("ties", "NNS", 2, "obj"),
                    t("with", "IN", 6, "case"),
                    t("Gondor", "NNP", 2, "obl"),
                ],
            )
        },
        expected: &["ARN GON 064"],
    },
    Case {
        name: "designated target and pair code",
        sentence: || {
            sentence(
                "pair",
                vec![
                    t("Arnor", "NNP", 2, "nsubj"),
                    t("left", "VBD", 0, "root"),
                    t("for", "IN", 5, "case"),
                    t("Minas", "NNP", 5, "compound"),
                    t("Tirith", "NNP", 2, "obl"),
                ],
            )
        },
        expected: &["ARN GON 032", "GON ARN 033"],
    },
    Case {
        name: "slash codes split into actors and dates select codes",
        sentence: || {
            sentence(
                "slash",
                vec![
                    t("Smeagol", "NNP", 2, "nsubj"),
                    t("met", "VBD", 0, "root"),
                    t("Lorien", "NNP", 2, "obj"),
                ],
            )
        },
        expected: &[
            "ELR HOBGOV 031",
            "GAL HOBGOV 031",
            "HOBGOV ELR 031",
            "HOBGOV GAL 031",
        ],
    },
    Case {
        name: "a default-coded verb yields to its coded open complement",
        sentence: || {
            sentence(
                "xcomp",
                vec![
                    t("Arnor", "NNP", 3, "nsubj:pass"),
                    t("was", "VBD", 3, "aux:pass"),
                    t("seen", "VBN", 0, "root"),
                    t("to", "TO", 5, "mark"),
                    t("accuse", "VB", 3, "xcomp"),
                    t("Gondor", "NNP", 5, "obj"),
                ],
            )
        },
        expected: &["ARN GON 112"],
    },
    Case {
        name: "short final comma clause is ignored",
        sentence: || {
            sentence(
                "comma",
                vec![
                    t("Arnor", "NNP", 2, "nsubj"),
                    t("accused", "VBD", 7, "ccomp"),
                    t("Gondor", "NNP", 2, "obj"),
                    t(",", ",", 7, "punct"),
                    t("a", "DT", 6, "det"),
                    t("lawmaker", "NN", 7, "nsubj"),
                    t("said", "VBD", 0, "root"),
                ],
            )
        },
        expected: &["ARN GON 112"],
    },
];

#[test]
fn table() {
    let c = coder(CoderOptions::default());
    for case in CASES {
        let got = triples(&c.code(&(case.sentence)()));
        let mut want: Vec<String> = case.expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "case: {}", case.name);
    }
}

#[test]
fn evidence_points_into_the_sentence_and_dictionaries() {
    let c = coder(CoderOptions::default());
    let s = (CASES[0].sentence)();
    let ev = c.code(&s);
    let e = &ev[0];
    assert_eq!(e.sentence_id, "svo");
    assert_eq!(e.source.tokens, (0, 1));
    assert_eq!(e.target.tokens, (2, 3));
    assert_eq!(e.verb_tokens, (1, 2));
    assert_eq!(e.source.entries[0].to_string(), "t.actors:1");
    assert_eq!(
        e.pattern_entry.as_ref().map(|r| r.file.to_string()),
        Some("t.verbs".to_string())
    );
}

#[test]
fn require_dyad_off_keeps_one_sided_events() {
    let mk = || {
        sentence(
            "mono",
            vec![t("Arnor", "NNP", 2, "nsubj"), t("said", "VBD", 0, "root")],
        )
    };
    let strict = coder(CoderOptions::default()).code_detailed(&mk());
    assert!(strict.events.is_empty());
    assert_eq!(strict.verbs[0].rejection, Some(Rejection::NoTarget));
    let loose = coder(CoderOptions {
        require_dyad: false,
        ..CoderOptions::default()
    });
    assert_eq!(triples(&loose.code(&mk())), vec!["ARN --- 023"]);
}

#[test]
fn discards_stop_coding() {
    let c = coder(CoderOptions::default());
    let s = sentence(
        "d",
        vec![
            t("Arnor", "NNP", 2, "nsubj"),
            t("accused", "VBD", 0, "root"),
            t("typhoon", "NN", 2, "obj"),
        ],
    );
    let r = c.code_detailed(&s);
    assert!(r.events.is_empty());
    assert!(matches!(r.outcome, Outcome::Discarded { story: true, .. }));
}

#[test]
fn malformed_trees_do_not_panic() {
    let c = coder(CoderOptions::default());
    let bad = sentence(
        "bad",
        vec![
            t("Arnor", "NNP", 3, "nsubj"),
            t("accused", "VBD", 9, "root"),
            t("Gondor", "NNP", 1, "obj"),
        ],
    );
    let _ = c.code(&bad);
    let _ = c.code(&ParsedSentence::default());
}

/// Random trees (heads out of range, cycles, odd labels) never make the coder panic.
#[test]
fn random_trees_never_panic() {
    let vocab = [
        "Arnor",
        "Gondor",
        "accused",
        "restored",
        "ties",
        "economic",
        "by",
        "and",
        ",",
        "not",
        "left",
        "for",
        "Minas",
        "Tirith",
        "lawmakers",
        "in",
        "government",
        "Lorien",
        "met",
        "said",
        "'s",
        "the",
        "Smeagol",
        "typhoon",
    ];
    let tags = [
        "NNP", "NN", "NNS", "VBD", "VBN", "VB", "IN", "CC", ",", "DT", "RB", "POS", "_",
    ];
    let rels = [
        "nsubj",
        "nsubj:pass",
        "obj",
        "obl",
        "obl:agent",
        "nmod",
        "nmod:poss",
        "conj",
        "cc",
        "appos",
        "xcomp",
        "ccomp",
        "advcl",
        "acl",
        "compound",
        "amod",
        "det",
        "case",
        "punct",
        "aux",
        "aux:pass",
        "advmod",
        "root",
        "parataxis",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let coders = [
        coder(CoderOptions::default()),
        coder(CoderOptions {
            require_dyad: false,
            new_actor_length: 3,
            comma_bmax: 5,
            ..CoderOptions::default()
        }),
    ];
    for k in 0..400 {
        let n = 1 + next(25);
        let tokens: Vec<Token> = (0..n)
            .map(|_| {
                let form = vocab[next(vocab.len())];
                t(
                    form,
                    tags[next(tags.len())],
                    next(n + 3),
                    rels[next(rels.len())],
                )
            })
            .collect();
        let s = sentence(&format!("r{k}"), tokens);
        for c in &coders {
            let r = c.code_detailed(&s);
            for e in &r.events {
                assert!(e.verb_tokens.0 < e.verb_tokens.1 && e.verb_tokens.1 <= n);
                assert!(e.source.tokens.1 <= n && e.target.tokens.1 <= n);
            }
        }
    }
}

/// PETRARCH-2 patterns: structural windows, and negation through the coding ontology.
#[test]
fn petrarch2_patterns_and_negation() {
    let verbs = "--- CLASH [190] ---\nCLASH\n- * (OVER EFFORTS) [110]\n";
    let dicts = DictionaryBuilder::new()
        .text(DictKind::Actors, "t.actors", ACTORS)
        .text(DictKind::Verbs(VerbSyntax::Petrarch2), "t2.verbs", verbs)
        .build()
        .expect("test dictionaries load");
    let ontology = crate::CodeOntology::parse(
        "050:0x0080\n110:0xFFFF+0x0080#0x7000\n190:0x00A0\n",
        "t.pico",
    )
    .expect("ontology parses");
    let c = CoderBuilder::new()
        .dictionaries(dicts)
        .ontology(ontology)
        .build()
        .expect("coder builds");
    // "Arnor (did n't) clash over the efforts of Gondor".
    let mk = |negated: bool| {
        let mut toks = vec![t("Arnor", "NNP", 0, "nsubj")];
        if negated {
            toks.push(t("did", "VBD", 0, "aux"));
            toks.push(t("n't", "RB", 0, "advmod"));
        }
        let v = toks.len() + 1;
        for tk in toks.iter_mut() {
            tk.head = v;
        }
        toks.push(t("clash", "VB", 0, "root"));
        toks.push(t("over", "IN", v + 3, "case"));
        toks.push(t("the", "DT", v + 3, "det"));
        toks.push(t("efforts", "NNS", v, "obl"));
        toks.push(t("of", "IN", v + 5, "case"));
        toks.push(t("Gondor", "NNP", v + 3, "nmod"));
        sentence("p2", toks)
    };
    assert_eq!(triples(&c.code(&mk(false))), vec!["ARN GON 110"]);
    assert_eq!(triples(&c.code(&mk(true))), vec!["ARN GON 050"]);
}

/// A coder whose actors are real countries (anaphors resolve to countries only).
fn country_coder() -> crate::Coder {
    let dicts = DictionaryBuilder::new()
        .text(
            DictKind::Actors,
            "c.actors",
            "CHINA [CHN]\nNORTH_KOREA [PRK]\nJAPAN [JPN]\n",
        )
        .text(DictKind::Agents, "c.agents", AGENTS)
        .text(DictKind::Verbs(VerbSyntax::Tabari), "c.verbs", VERBS)
        .text(
            DictKind::Verbs(VerbSyntax::Tabari),
            "c2.verbs",
            "--- PROVIDE [070] ---\nPROVIDE {PROVIDED}\n",
        )
        .build()
        .expect("test dictionaries load");
    CoderBuilder::new()
        .dictionaries(dicts)
        .build()
        .expect("coder builds")
}

/// "China provided support to the country".
fn support_to_the_country() -> ParsedSentence {
    sentence(
        "anaphor",
        vec![
            t("China", "NNP", 2, "nsubj"),
            t("provided", "VBD", 0, "root"),
            t("support", "NN", 2, "obj"),
            t("to", "IN", 6, "case"),
            t("the", "DT", 6, "det"),
            t("country", "NN", 2, "obl"),
        ],
    )
}

#[test]
fn the_country_refers_back_past_the_source() {
    let c = country_coder();
    let mut ctx = crate::ArticleContext::new();
    // "North Korea accused Japan": the article names PRK, then JPN.
    let first = sentence(
        "first",
        vec![
            t("North", "NNP", 2, "compound"),
            t("Korea", "NNP", 3, "nsubj"),
            t("accused", "VBD", 0, "root"),
            t("Japan", "NNP", 3, "obj"),
        ],
    );
    let coding = c.code_in_context(&first, &mut ctx);
    assert_eq!(triples(&coding.events), vec!["PRK JPN 112"]);
    assert_eq!(ctx.countries().collect::<Vec<_>>(), vec!["PRK", "JPN"]);
    // Alone, "the country" names nobody.
    assert!(c.code(&support_to_the_country()).is_empty());
    // In the article it is the most recent country other than the source.
    let coding = c.code_in_context(&support_to_the_country(), &mut ctx);
    assert_eq!(triples(&coding.events), vec!["CHN JPN 070"]);
    let target = &coding.events[0].target;
    assert_eq!(target.tokens, (4, 6));
    assert!(target
        .entries
        .iter()
        .any(|e| e.file.contains("resolved from 'the country'")));
    // Two sentences later the article's countries are forgotten.
    let mut ctx = crate::ArticleContext::new();
    c.code_in_context(&first, &mut ctx);
    c.code_in_context(&sentence("x", vec![t("Yes", "UH", 0, "root")]), &mut ctx);
    c.code_in_context(&sentence("y", vec![t("No", "UH", 0, "root")]), &mut ctx);
    assert!(c
        .code_in_context(&support_to_the_country(), &mut ctx)
        .events
        .is_empty());
}

#[test]
fn in_context_agents_that_only_modify_or_are_generic_name_no_actor() {
    let c = country_coder();
    // "China accused the media briefing" / "China accused other lawmakers".
    let briefing = sentence(
        "modifier",
        vec![
            t("China", "NNP", 2, "nsubj"),
            t("accused", "VBD", 0, "root"),
            t("the", "DT", 5, "det"),
            t("media", "NN", 5, "compound"),
            t("briefing", "NN", 2, "obj"),
        ],
    );
    let others = sentence(
        "generic",
        vec![
            t("China", "NNP", 2, "nsubj"),
            t("accused", "VBD", 0, "root"),
            t("other", "JJ", 4, "amod"),
            t("lawmakers", "NNS", 2, "obj"),
        ],
    );
    // "China accused lawmakers" still codes in context.
    let plain = sentence(
        "plain",
        vec![
            t("China", "NNP", 2, "nsubj"),
            t("accused", "VBD", 0, "root"),
            t("lawmakers", "NNS", 2, "obj"),
        ],
    );
    assert_eq!(triples(&c.code(&briefing)), vec!["CHN ---MED 112"]);
    assert_eq!(triples(&c.code(&others)), vec!["CHN ---LEG 112"]);
    let mut ctx = crate::ArticleContext::new();
    assert!(c.code_in_context(&briefing, &mut ctx).events.is_empty());
    assert!(c.code_in_context(&others, &mut ctx).events.is_empty());
    assert_eq!(
        triples(&c.code_in_context(&plain, &mut ctx).events),
        vec!["CHN ---LEG 112"]
    );
}
