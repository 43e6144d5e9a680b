//! Loads every real PETRARCH/TABARI dictionary in `../shared` (skipping when absent) and
//! checks that it reads cleanly and that well-known lookups work.

use std::path::PathBuf;

use dyad_dict::{
    DictKind, Dictionaries, DictionaryBuilder, DiscardScope, Element, ErrorKind, VerbSyntax,
};
use dyad_types::Date;

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/")).join(rel)
}

const P2: &str = "peers/petrarch2/dictionaries/";
const V3: &str = "peers/universal-petrarch/validate/";

/// Builds from the given files, or returns None (after saying so) when one is missing.
fn load(files: &[(DictKind, String)]) -> Option<Dictionaries> {
    let mut b = DictionaryBuilder::new();
    for (kind, rel) in files {
        let path = shared(rel);
        if !path.exists() {
            eprintln!("skipping: needs ../shared/{rel}");
            return None;
        }
        b.file(*kind, path);
    }
    match b.build() {
        Ok(d) => Some(d),
        Err(e) => panic!("load failed: {e}"),
    }
}

fn date(s: &str) -> Option<Date> {
    Some(Date::parse_iso(s).unwrap())
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(dyad_dict::normalize_word)
        .collect()
}

fn assert_few_diagnostics(d: &Dictionaries, max: usize) {
    for f in d.files() {
        let name = f.file.rsplit('/').next().unwrap_or(&f.file);
        eprintln!(
            "{name}: {} entries, {} patterns, {} diagnostics",
            f.entries, f.patterns, f.diagnostics
        );
        assert!(f.entries > 0, "{name} read no entries");
        assert!(
            f.diagnostics <= max,
            "{name}: {} diagnostics: {:#?}",
            f.diagnostics,
            d.diagnostics()
        );
    }
}

#[test]
fn production_petrarch2_set() {
    let Some(d) = load(&[
        (
            DictKind::Verbs(VerbSyntax::Auto),
            format!("{P2}CAMEO.2.0.txt"),
        ),
        (
            DictKind::Actors,
            format!("{P2}Phoenix.Countries.actors.txt"),
        ),
        (
            DictKind::Actors,
            format!("{P2}Phoenix.International.actors.txt"),
        ),
        (
            DictKind::Actors,
            format!("{P2}Phoenix.MilNonState.actors.txt"),
        ),
        (DictKind::Agents, format!("{P2}Phoenix.agents.txt")),
        (DictKind::Discards, format!("{P2}Phoenix.discards.txt")),
        (DictKind::Issues, format!("{P2}Phoenix.IssueCoding.txt")),
    ]) else {
        return;
    };
    // The remaining diagnostics are real defects in the files (bad dates, missing codes).
    assert_few_diagnostics(&d, 20);
    assert_eq!(d.files()[0].kind, DictKind::Verbs(VerbSyntax::Petrarch2));

    // Actors.
    let toks = words("THE UNITED STATES SAID");
    let usa = d.actors().longest_match(&toks, 1).unwrap();
    assert_eq!((usa.len, usa.entry.code_on(None)), (2, Some("USA")));
    let bush = d.actors().get("George W. Bush").unwrap();
    assert_eq!(bush.code_on(date("2005-06-01")), Some("USAGOV"));
    assert_eq!(bush.code_on(date("1995-06-01")), Some("USAELI"));
    assert_eq!(bush.code_on(date("2012-06-01")), Some("USAELI"));
    let obama = d.actors().get("BARACK OBAMA").unwrap();
    assert_eq!(obama.code_on(date("2010-01-01")), Some("USAGOV"));
    assert_eq!(obama.code_on(date("1990-01-01")), Some("USAELI"));
    assert_eq!(obama.code_on(None), Some("USAGOV"));
    assert_eq!(
        d.actors().get("PRESIDENT PUTIN").unwrap().name.as_ref(),
        "VLADIMIR PUTIN"
    );

    // Agents.
    assert_eq!(d.agents().get("PRESIDENT").unwrap().apply("USA"), "USAGOV");
    assert!(d.agents().get("PRESIDENTS").is_some());

    // Verbs.
    for form in ["ACCUSE", "ACCUSED", "ACCUSES", "ACCUSING"] {
        let m = d
            .verbs()
            .lookup(form)
            .unwrap_or_else(|| panic!("{form} not found"));
        assert_eq!(m.entry.base.as_ref(), "ACCUSE");
        assert_eq!(m.entry.code.to_string(), "112");
        assert!(!m.block.patterns.is_empty());
    }
    let said = d.verbs().lookup("SAID").unwrap();
    assert_eq!(said.entry.base.as_ref(), "SAY");
    let toks = words("rebels carried out attacks");
    let m = d.verbs().match_at(&toks, 1).unwrap();
    assert_eq!((m.entry.base.as_ref(), m.end - m.start), ("CARRY OUT", 2));
    let ask = d.verbs().lookup("ASKED").unwrap();
    let aid = ask
        .block
        .patterns
        .iter()
        .find(|p| p.code.to_string() == "0231" && p.after.len() == 1);
    assert!(aid.is_some());
    assert!(d.verbs().transformations().len() >= 8);
    let mil = d.verbs().synset_named("&MILITARY").unwrap();
    assert!(mil.contains_word("TROOPS") || mil.contains_word("ARMY"));
    let any_prep = d
        .verbs()
        .blocks()
        .iter()
        .flat_map(|b| &b.patterns)
        .any(|p| {
            p.after
                .iter()
                .any(|t| matches!(&t.element, Element::Prep(ts) if ts.len() > 1))
        });
    assert!(any_prep);

    // Discards and issues.
    assert_eq!(
        d.discards()
            .check("The football season opened")
            .map(|e| e.scope),
        Some(DiscardScope::Sentence)
    );
    let golf = d.discards().check("He won at the World Golf Championships");
    assert_eq!(golf.map(|e| e.scope), Some(DiscardScope::Story));
    assert!(d
        .discards()
        .check("The minister met the ambassador")
        .is_none());
    let hits = d
        .issues()
        .find("Teachers and students protested at the university");
    let codes: Vec<&str> = hits.counts.iter().map(|(c, _)| c.as_str()).collect();
    assert!(
        codes.contains(&"TEACHERS") && codes.contains(&"STUDENTS"),
        "{codes:?}"
    );
}

#[test]
fn the_shipped_petrarch_config_names_the_production_set() {
    let ini = shared("peers/petrarch2/config/PETR_config.ini");
    if !ini.exists() {
        eprintln!("skipping: needs ../shared/peers/petrarch2/config/PETR_config.ini");
        return;
    }
    let dir = shared(P2);
    let d = DictionaryBuilder::new()
        .petrarch_config(&ini, Some(&dir))
        .unwrap()
        .build()
        .unwrap();
    let kinds: Vec<DictKind> = d.files().iter().map(|f| f.kind).collect();
    assert_eq!(kinds.len(), 7, "{kinds:?}");
    assert_eq!(kinds[0], DictKind::Verbs(VerbSyntax::Petrarch2));
    assert!(d.actors().len() > 20_000 && !d.issues().is_empty());
}

#[test]
fn petrarch1_tabari_patterns() {
    let Some(d) = load(&[(
        DictKind::Verbs(VerbSyntax::Auto),
        format!("{P2}CAMEO.verbpatterns.150430.txt"),
    )]) else {
        return;
    };
    assert_few_diagnostics(&d, 10);
    assert_eq!(d.files()[0].kind, DictKind::Verbs(VerbSyntax::Tabari));
    assert!(d.verbs().pattern_count() > 10_000);
    let m = d.verbs().lookup("ABANDONED").unwrap();
    assert_eq!(m.entry.code.to_string(), "080");
    assert!(m
        .block
        .patterns
        .iter()
        .any(|p| p.after.iter().any(|t| t.element == Element::Target)));
}

#[test]
fn validation_suite_v2_dictionaries() {
    let Some(d) = load(&[
        (
            DictKind::Verbs(VerbSyntax::Auto),
            format!("{P2}PETR.Validate.verbs.txt"),
        ),
        (DictKind::Actors, format!("{P2}PETR.Validate.actors.txt")),
        (DictKind::Agents, format!("{P2}PETR.Validate.agents.txt")),
        (
            DictKind::Discards,
            format!("{P2}PETR.Validate.discards.txt"),
        ),
    ]) else {
        return;
    };
    assert_few_diagnostics(&d, 3);
    assert_eq!(d.files()[0].kind, DictKind::Verbs(VerbSyntax::Tabari));
    assert_eq!(
        d.actors().get("ISRAELI TROOPS").unwrap().code_on(None),
        Some("ISRMIL")
    );
    // "Ithilen state-run television": a phrase written with a blank spans other words.
    let toks = words("in Ithilen state-run television in");
    let tv = d.actors().longest_match_gapped(&toks, 1, 4).unwrap();
    assert_eq!((tv.len, tv.entry.code_on(None)), (3, Some("ITHTV")));
    let gollum = d.actors().get("SMEAGOL").unwrap();
    assert_eq!(gollum.code_on(date("1994-01-01")), Some("HOB"));
    assert_eq!(gollum.code_on(date("1997-01-01")), Some("HOBGOV"));
    assert_eq!(gollum.code_on(date("2001-01-01")), Some("HOBREB"));
    assert!(d
        .verbs()
        .synset_named("ACCORDSYN")
        .unwrap()
        .contains_word("DOLLARS"));
    assert!(!d.agents().is_empty() && !d.discards().is_empty());
}

#[test]
fn validation_suite_v3_dictionaries() {
    let Some(d) = load(&[
        (
            DictKind::Verbs(VerbSyntax::Auto),
            format!("{V3}PETR_Validate_verbs_2_02.txt"),
        ),
        (
            DictKind::Actors,
            format!("{V3}PETR_Validate_actors_2_02.txt"),
        ),
        (
            DictKind::Agents,
            format!("{V3}PETR_Validate_agents_2_02.txt"),
        ),
        (
            DictKind::Discards,
            format!("{V3}PETR_Validate_discards_2_02.txt"),
        ),
    ]) else {
        return;
    };
    // Five patterns use synsets the file never defines; two lines are malformed.
    assert_few_diagnostics(&d, 7);
    assert_eq!(d.files()[0].kind, DictKind::Verbs(VerbSyntax::Petrarch2));
    let went = d
        .verbs()
        .match_at(&words("they went by the rules"), 1)
        .unwrap();
    assert_eq!(
        (went.entry.base.as_ref(), went.block.name.as_ref()),
        ("GO BY", "ALLOW")
    );
    assert!(d.actors().get("HAMAS").is_some());
}

#[test]
fn strict_mode_rejects_the_first_malformed_entry() {
    let path = shared(&format!("{P2}Phoenix.agents.txt"));
    if !path.exists() {
        eprintln!("skipping: needs ../shared/{P2}Phoenix.agents.txt");
        return;
    }
    let err = DictionaryBuilder::new()
        .strict(true)
        .agents(&path)
        .build()
        .unwrap_err();
    let ErrorKind::Malformed(diag) = err.kind() else {
        panic!("{err}")
    };
    assert!(
        diag.to_string().contains("Phoenix.agents.txt:544: "),
        "{diag}"
    );
}

#[test]
fn a_missing_file_is_an_io_error() {
    let err = DictionaryBuilder::new()
        .actors("/nonexistent/x.actors")
        .build()
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Io { .. }));
    assert!(err.to_string().contains("/nonexistent/x.actors"));
}
