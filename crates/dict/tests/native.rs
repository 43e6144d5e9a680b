//! The native `.dyad` reader: small fixtures, malformed input, and the embedded defaults.

use dyad_dict::{
    ActorKind, AgentPlacement, DictKind, Dictionaries, DictionaryBuilder, Element, ErrorKind, Mode,
    VerbSyntax,
};
use dyad_types::Date;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/native");

fn fixtures() -> Dictionaries {
    let d = DictionaryBuilder::new()
        .native(format!("{DATA}/actors.dyad"))
        .native(format!("{DATA}/agents.dyad"))
        .native(format!("{DATA}/verbs.dyad"))
        .build()
        .unwrap();
    assert!(d.diagnostics().is_empty(), "{:?}", d.diagnostics());
    d
}

fn day(s: &str) -> Option<Date> {
    Some(Date::parse_iso(s).unwrap())
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

/// The code of the actor phrase at the start of `text` on `date`, and whether it was in
/// term.
fn code(d: &Dictionaries, text: &str, date: Option<Date>) -> Option<(String, bool)> {
    let toks = words(text);
    let m = d.actors().lookup_on(&toks, 0, date)?;
    assert_eq!(m.len, toks.len(), "{text}: matched only part");
    m.entry.code_near(date).map(|(c, t)| (c.to_string(), t))
}

#[test]
fn actor_entries_keywords_and_kinds() {
    let d = fixtures();
    let stats = &d.files()[0];
    assert_eq!(stats.kind, DictKind::Actors);
    assert_eq!(
        stats.details,
        vec![("actors", 4), ("people", 2), ("names", 23), ("roles", 3)]
    );
    let get = |p: &str| d.actors().get(p).unwrap();
    assert_eq!(get("kingdom of gondor").code_on(None), Some("GON"));
    assert_eq!(get("Kingdom of Gondor").name.as_ref(), "Gondor");
    assert_eq!(get("Gondorians").kind, ActorKind::Adjective);
    assert_eq!(get("Minas Tirith").code_on(None), Some("GONGOV"));
    assert_eq!(get("Minas Tirith").kind, ActorKind::Government);
    assert_eq!(get("Pelargir").kind, ActorKind::Place);
    assert_eq!(get("Pelargir").code_on(None), Some("GON"));
    assert_eq!(get("Rohan").sector.as_deref(), Some("GOV"));
    assert_eq!(get("Uruk-hai").country.as_deref(), Some("MOR"));
    assert_eq!(
        get("Minas Tirith").at.to_string(),
        format!("{DATA}/actors.dyad:7")
    );
    assert_eq!(get("Aragorn").kind, ActorKind::Person);
}

#[test]
fn dated_lines_and_shared_phrases_resolve_by_date() {
    let d = fixtures();
    let c = |t: &str, date: &str| code(&d, t, day(date));
    assert_eq!(c("Orc Host", "2005-01-01"), Some(("ORCREB".into(), true)));
    assert_eq!(c("Orc Host", "2015-01-01"), Some(("ORCGOV".into(), true)));
    assert_eq!(c("Uruk - hai", "2010-06-30"), Some(("ORCREB".into(), true)));
    assert_eq!(c("Uruk - hai", "2010-07-01"), Some(("ORCGOV".into(), true)));
    assert_eq!(c("Edoras", "2005-05-05"), Some(("ROHGOV".into(), true)));
    assert_eq!(c("Dunharrow", "2012-01-01"), Some(("ROHGOV".into(), true)));
    // A lapsed name still resolves, to the nearest code, out of term.
    assert_eq!(c("Old Gondor", "1995-01-01"), Some(("GON".into(), true)));
    assert_eq!(c("Old Gondor", "2005-01-01"), Some(("GON".into(), false)));
    assert_eq!(
        d.actors()
            .get("Old Gondor")
            .unwrap()
            .code_on(day("2005-01-01")),
        None
    );
}

#[test]
fn people_resolve_to_the_role_of_the_date_or_the_nearest() {
    let d = fixtures();
    let c = |t: &str, date: &str| code(&d, t, day(date));
    assert_eq!(c("Strider", "1995-01-01"), Some(("GONREB".into(), true)));
    assert_eq!(
        c("King Elessar", "2020-01-01"),
        Some(("GONGOV".into(), true))
    );
    assert_eq!(c("Aragorn", "1980-01-01"), Some(("GONREB".into(), false)));
    assert_eq!(
        c("Lord Denethor", "2010-01-01"),
        Some(("GONGOV".into(), false))
    );
    // A dated name keeps only the roles within its range (none here: the nearest one).
    let steward = d.actors().get("Steward").unwrap();
    assert_eq!(steward.code_on(day("1990-01-01")), None);
    assert_eq!(steward.code_on(day("2002-01-01")), Some("GONGOV"));
    assert_eq!(code(&d, "Aragorn", None), Some(("GONGOV".into(), true)));
}

#[test]
fn short_capital_forms_need_their_case() {
    let d = fixtures();
    let m = d.actors().lookup_on(&["GK", "said"], 0, None).unwrap();
    assert!(m.exact_case);
    assert_eq!(m.entry.code_on(None), Some("GON"));
    assert!(d.actors().lookup_on(&["gk", "said"], 0, None).is_none());
    assert!(d.actors().lookup_on(&["Gk"], 0, None).is_none());
    let m = d.actors().lookup_on(&["GONDOR"], 0, None).unwrap();
    assert!(!m.exact_case, "ordinary names match in any case");
}

#[test]
fn agents_nouns_plurals_and_position() {
    let d = fixtures();
    let a = d.agents();
    assert_eq!(a.get("foreign ministries").unwrap().apply("GON"), "GONGOV");
    assert_eq!(a.get("spokesmen").unwrap().code.as_ref(), "GOV");
    assert_eq!(a.get("charities").unwrap().apply("GON"), "NGOGON");
    assert_eq!(a.get("charity").unwrap().placement, AgentPlacement::Prefix);
    assert_eq!(
        a.get("non-governmental organisation")
            .unwrap()
            .name
            .as_ref(),
        "non-governmental organisation"
    );
    assert_eq!(d.files()[1].details, vec![("agents", 2), ("nouns", 5)]);
    // Each match cites the line of its noun.
    assert_eq!(a.get("governments").unwrap().at.line, 3);
    assert_eq!(a.get("spokesmen").unwrap().at.line, 4);
    assert_eq!(a.get("charity").unwrap().at.line, 8);
}

#[test]
fn verbs_patterns_word_lists_and_modes() {
    let d = fixtures();
    let v = d.verbs();
    let urged = v.lookup("URGED").unwrap();
    assert_eq!(urged.entry.base.as_ref(), "URGE");
    assert_eq!(urged.block.syntax, VerbSyntax::Native);
    assert_eq!(
        urged.entry.code.to_string(),
        "020",
        "the verb alone gives its code"
    );
    assert!(urged.entry.own_code);
    let p = &urged.block.patterns[0];
    assert_eq!(p.text.as_ref(), "urge {T} to");
    assert_eq!(p.after[0].element, Element::Target);
    assert_eq!(p.code.to_string(), "020");
    assert_eq!(p.at.line, 4);
    for form in ["URGES", "URGING", "URGE"] {
        assert!(v.lookup(form).is_some(), "{form}");
    }
    // `call` has no line of its own: no code without a pattern.
    let call = v.lookup("CALLED").unwrap();
    assert!(call.entry.code.is_null());
    assert_eq!(call.block.patterns[0].note.as_ref(), "phrasal");
    // [optional] is a choice with an empty alternative.
    let court = v.lookup("COURTING").unwrap().block.patterns[0].clone();
    let Element::Alternatives(opt) = &court.after[0].element else {
        panic!()
    };
    assert!(opt[1].is_empty());
    // Word lists may be defined after their first use; members get plurals.
    let sent = v.lookup("SENT").unwrap();
    let Element::Synset(id) = sent.block.patterns[0].after[0].element else {
        panic!()
    };
    let relief = v.synset(id).unwrap();
    assert_eq!(relief.name.as_ref(), "RELIEF");
    assert_eq!(relief.longest_match(&["TENTS"], 0), Some(1));
    assert_eq!(relief.longest_match(&["FOOD", "AID"], 0), Some(2));
    let received = v.lookup("RECEIVED").unwrap().block.patterns[0].clone();
    assert_eq!(received.after[2].element, Element::Source);
    let had = v.lookup("HAD").unwrap().block.patterns[0].clone();
    assert_eq!(had.mode, Some(Mode::Historical));
    // A hyphenated verb is the tokenizer's three words, inflected at the end.
    let toks = ["THEY", "TEST", "-", "FIRED", "MISSILES"];
    let m = v.match_at(&toks, 3).unwrap();
    assert_eq!(
        (m.start, m.end, m.entry.code.to_string()),
        (1, 4, "0871".into())
    );
    let f = &d.files()[2];
    assert_eq!(
        (f.kind, f.patterns, f.synsets),
        (DictKind::Verbs(VerbSyntax::Native), 8, 1)
    );
}

fn diagnostics(file: &str) -> Vec<String> {
    let d = DictionaryBuilder::new()
        .native(format!("{DATA}/{file}"))
        .build()
        .unwrap();
    let prefix = format!("{DATA}/");
    d.diagnostics()
        .iter()
        .map(|x| x.to_string().replacen(&prefix, "", 1))
        .collect()
}

#[test]
fn malformed_actor_lines_are_reported_and_skipped() {
    let got = diagnostics("bad.dyad");
    let expected = [
        "bad.dyad:2: line outside an entry",
        "bad.dyad:5: bad date \"1999-02-30\"",
        "bad.dyad:6: unknown keyword 'nickname:'",
        "bad.dyad:7: date range \"..\" has no date",
        "bad.dyad:8: empty alternative",
        "bad.dyad:9: 'country:' needs one code",
        "bad.dyad:10: header \"Elendil\" needs an actor code",
        "bad.dyad:12: entry without a name:",
        "bad.dyad:16: date range \"2000-01-01..1999-01-01\" ends before it starts",
        "bad.dyad:17: role code \"arngov\" is not a code",
        "bad.dyad:14: header \"Isildur\" needs an actor code",
    ];
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for (g, e) in got.iter().zip(expected) {
        assert!(g.starts_with(e), "{g:?} should start with {e:?}");
    }
    // The good lines of a bad entry still count.
    let d = DictionaryBuilder::new()
        .native(format!("{DATA}/bad.dyad"))
        .build()
        .unwrap();
    assert_eq!(d.actors().get("Arnor").unwrap().code_on(None), Some("ARN"));
    assert!(
        d.actors().get("Dunedain").is_none(),
        "the whole malformed line is skipped"
    );
}

#[test]
fn malformed_verb_lines_are_reported_and_skipped() {
    let got = diagnostics("badverbs.dyad");
    let expected = [
        "badverbs.dyad:2: a pattern may not start with 'not'",
        "badverbs.dyad:4: pattern \"urge {T} to\" repeats ",
        "badverbs.dyad:5: missing ']'",
        "badverbs.dyad:6: undefined word list &MISSING",
        "badverbs.dyad:7: header needs a CAMEO code",
        "badverbs.dyad:9: word list name &lower",
        "badverbs.dyad:12: unexpected ':'",
        "badverbs.dyad:13: unknown mode \"later\"",
        "badverbs.dyad:15: a word list has only 'word:' lines",
    ];
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for (g, e) in got.iter().zip(expected) {
        assert!(g.starts_with(e), "{g:?} should start with {e:?}");
    }
}

#[test]
fn strict_mode_fails_on_the_first_problem() {
    let err = DictionaryBuilder::new()
        .strict(true)
        .native(format!("{DATA}/badverbs.dyad"))
        .build()
        .unwrap_err();
    let ErrorKind::Malformed(d) = err.kind() else {
        panic!("{err}")
    };
    assert_eq!(d.at.line, 2);
}

#[test]
fn kind_is_checked_or_detected_and_dyad_names_are_native() {
    // Given as actors by name only: the `.dyad` name makes it native.
    let d = DictionaryBuilder::new()
        .text(
            DictKind::Actors,
            "x.dyad",
            "= GON  Gondor\n  name: Gondor\n",
        )
        .native_text("y", "= GOV  government\n  noun: minister\n")
        .build()
        .unwrap();
    assert_eq!(d.actors().get("Gondor").unwrap().code_on(None), Some("GON"));
    assert_eq!(d.agents().get("ministers").unwrap().code.as_ref(), "GOV");
    // A verb file read as actors: every header is reported.
    let d = DictionaryBuilder::new()
        .text(DictKind::Actors, "v.dyad", "= 020  appeal\n  urge {T}\n")
        .build()
        .unwrap();
    assert_eq!(d.diagnostics().len(), 2, "{:?}", d.diagnostics());
}

// ---------------------------------------------------------------------------------------
// The embedded defaults

#[test]
fn embedded_defaults_load_without_diagnostics() {
    let d = Dictionaries::embedded_default().unwrap();
    let diags: Vec<String> = d.diagnostics().iter().map(|x| x.to_string()).collect();
    assert!(
        diags.is_empty(),
        "{} diagnostics:\n{}",
        diags.len(),
        diags.join("\n")
    );
    assert!(d.actors().len() > 1000 && d.verbs().pattern_count() > 1000);
    assert!(d.agents().len() > 10);
}

#[test]
fn embedded_defaults_cover_every_dictionary_file() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../dictionaries");
    fn walk(dir: &std::path::Path, out: &mut Vec<String>, root: &std::path::Path) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out, root);
            } else if p.extension().is_some_and(|x| x == "dyad") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(format!("dictionaries/{rel}"));
            }
        }
    }
    let root = std::path::Path::new(root);
    if !root.exists() {
        eprintln!("skipping: needs ../../dictionaries");
        return;
    }
    let mut on_disk = Vec::new();
    walk(root, &mut on_disk, root);
    on_disk.sort();
    let embedded: Vec<String> = Dictionaries::embedded_default_files()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(embedded, on_disk);
}

#[test]
fn embedded_default_lookups() {
    let d = Dictionaries::embedded_default().unwrap();
    let a = d.actors();
    let at = |text: &[&str], date: Option<Date>| {
        let m = a.lookup_on(text, 0, date).unwrap();
        assert_eq!(m.len, text.len(), "{text:?}");
        m.entry.code_near(date).map(|(c, _)| c.to_string()).unwrap()
    };
    assert_eq!(at(&["South", "Korea"], None), "KOR");
    assert_eq!(at(&["Chinese"], None), "CHN");
    assert_eq!(a.get("Chinese").unwrap().kind, ActorKind::Adjective);
    assert_eq!(at(&["Pyongyang"], None), "PRKGOV");
    assert_eq!(at(&["Zhao", "Lijian"], day("2021-06-01")), "CHNGOV");
    assert_eq!(at(&["U.S."], None), "USA");
    assert_eq!(at(&["US"], None), "USA");
    assert!(
        a.lookup_on(&["us"], 0, None).is_none(),
        "the pronoun is not the country"
    );
    assert_eq!(at(&["North", "Korea", "'s"][..2], None), "PRK");
    assert_eq!(at(&["Soviet", "Union"], day("1985-01-01")), "RUS");
    // One phrase, several entries with different ranges.
    assert_eq!(at(&["Taliban"], day("2010-01-01")), "AFGREBTAL");
    assert_eq!(at(&["Taliban"], day("2023-01-01")), "AFGGOVTAL");
    assert_eq!(at(&["Taliban"], day("1999-01-01")), "AFGGOVTAL");
    let aoun = |date: &str| {
        let m = a.lookup_on(&["Aoun"], 0, day(date)).unwrap();
        (
            m.entry.name.to_string(),
            m.entry.code_near(day(date)).unwrap().1,
        )
    };
    assert_eq!(aoun("2020-01-01"), ("Michel Aoun".to_string(), true));
    assert_eq!(aoun("2026-01-01"), ("Joseph Aoun".to_string(), true));
    assert_eq!(aoun("2023-06-01"), ("Michel Aoun".to_string(), false));

    let urged = d.verbs().lookup("URGED").unwrap();
    assert_eq!(urged.entry.base.as_ref(), "URGE");
    assert!(urged
        .block
        .patterns
        .iter()
        .any(|p| p.after.iter().any(|t| t.element == Element::Target)));
    assert!(d.verbs().lookup("SOUGHT").is_some());
}

#[test]
fn embedded_defaults_are_deterministic() {
    let a = Dictionaries::embedded_default().unwrap();
    let b = DictionaryBuilder::new()
        .embedded_defaults()
        .build()
        .unwrap();
    assert_eq!(
        format!("{:?}", a.verbs().blocks()),
        format!("{:?}", b.verbs().blocks())
    );
    assert_eq!(
        format!("{:?}", a.actors().entries()),
        format!("{:?}", b.actors().entries())
    );
    assert_eq!(
        format!("{:?}", a.agents().entries()),
        format!("{:?}", b.agents().entries())
    );
}

/// Deterministic mutations of the fixtures: the native reader must report, never panic.
#[test]
fn mutated_native_files_never_panic() {
    let seeds = [
        include_str!("data/native/actors.dyad"),
        include_str!("data/native/agents.dyad"),
        include_str!("data/native/verbs.dyad"),
        include_str!("data/native/bad.dyad"),
    ];
    let specials: Vec<char> = "=:|.&{}()[]TS#'-\u{2019}\u{e9} \n0123>".chars().collect();
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for seed in seeds {
        for _ in 0..200 {
            let mut chars: Vec<char> = seed.chars().collect();
            for _ in 0..(next() % 10) {
                let pos = (next() as usize) % (chars.len() + 1);
                let c = specials[(next() as usize) % specials.len()];
                if next() % 3 == 0 && pos < chars.len() {
                    chars.remove(pos);
                } else {
                    chars.insert(pos, c);
                }
            }
            let text: String = chars.into_iter().collect();
            let d = DictionaryBuilder::new()
                .native_text("fuzz.dyad", text.as_str())
                .build();
            assert!(d.is_ok(), "non-strict build failed on {text:?}");
            let d = d.unwrap();
            let toks = ["Orc", "Host", "GK", "said"];
            for i in 0..toks.len() + 1 {
                let _ = d.actors().lookup_on(&toks, i, day("2010-07-01"));
                let _ = d.actors().lookup_on(&toks, i, None);
            }
        }
    }
}
