//! Cross-checks the crate's own tables against the reference files in
//! `../shared` (read-only, beside the project). Each test skips, saying
//! what it needs, when its file is absent.

use std::collections::{BTreeMap, BTreeSet};

use dyad_ontology::{
    cameo_event, country, plover_for_cameo, plover_types, GoldsteinSource, MappingBasis, Ontology,
    QuadClass,
};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/");

/// Reads `../shared/<rel>`, or prints why the test is skipped.
fn read_shared(rel: &str) -> Option<String> {
    let path = format!("{SHARED}{rel}");
    match std::fs::read(&path) {
        // Some of these files are not valid UTF-8 in places.
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(_) => {
            eprintln!("skipping: needs ../shared/{rel}");
            None
        }
    }
}

fn all_codes() -> BTreeSet<&'static str> {
    Ontology::get()
        .cameo_events()
        .iter()
        .map(|e| e.code)
        .collect()
}

/// GDELT scores these, but they are not CAMEO 1.1b3 codes.
const GDELT_EXTRAS: [&str; 6] = ["0110", "0357", "109", "1641", "1642", "1643"];

#[test]
fn goldstein_values_match_gdelt() {
    let Some(text) = read_shared("peers/cameo/goldstein.tsv") else {
        return;
    };
    let mut listed = BTreeMap::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let (code, value) = line.split_once('\t').expect("two columns");
        listed.insert(
            code.to_string(),
            value.trim().parse::<f32>().expect("a number"),
        );
    }
    assert!(listed.len() > 250, "read {} values", listed.len());
    for (code, value) in &listed {
        if GDELT_EXTRAS.contains(&code.as_str()) {
            assert!(cameo_event(code).is_none(), "{code} should not be CAMEO");
            continue;
        }
        let e = cameo_event(code).unwrap_or_else(|| panic!("{code} missing from our table"));
        assert_eq!(e.goldstein, *value, "goldstein of {code}");
        assert_eq!(e.goldstein_source, GoldsteinSource::Listed, "{code}");
    }
    // Codes marked Inherited are exactly those GDELT does not score, and
    // they carry the value of their nearest scored ancestor.
    for e in Ontology::get().cameo_events() {
        if e.goldstein_source == GoldsteinSource::Inherited {
            assert!(!listed.contains_key(e.code), "{} is listed", e.code);
            let mut anc = e.code;
            while !listed.contains_key(anc) {
                anc = &anc[..anc.len() - 1];
            }
            assert_eq!(e.goldstein, listed[anc], "{} inherits from {anc}", e.code);
        }
    }
}

#[test]
fn codefile_codes_are_all_ours() {
    let Some(text) = read_shared("peers/cameo/CAMEO_codefile.txt") else {
        return;
    };
    let ours = all_codes();
    let mut n = 0;
    for line in text.lines() {
        // "LABEL: 0231= Appeal for economic aid"; variant labels
        // ("LABELi", codes like "0811i") are alternative wordings.
        let Some(rest) = line.strip_prefix("LABEL: ") else {
            continue;
        };
        let Some((code, _)) = rest.split_once('=') else {
            continue;
        };
        if code.bytes().all(|b| b.is_ascii_digit()) {
            assert!(ours.contains(code), "{code} missing");
            n += 1;
        }
    }
    assert!(n > 280, "read {n} codes");
}

#[test]
fn gdelt_lookup_codes_are_all_ours() {
    let Some(text) = read_shared("peers/cameo/LOOKUP-CAMEO.eventcodes.txt") else {
        return;
    };
    let ours = all_codes();
    let theirs: BTreeSet<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|c| !c.is_empty())
        .collect();
    assert!(theirs.len() > 300);
    for c in &theirs {
        assert!(ours.contains(c), "{c} missing");
    }
    // GDELT's list predates 155, 176, 1834, 1951 and 1952, lacks 1213
    // and 1214 like the manual's summary, and loses 106 to a joined line.
    let missing: Vec<_> = ours.difference(&theirs).copied().collect();
    assert_eq!(
        missing,
        ["106", "1213", "1214", "155", "176", "1834", "1951", "1952"]
    );
}

#[test]
fn code_list_matches_the_manual() {
    let Some(text) = read_shared("peers/cameo/CAMEO.Manual.1.1b3.md") else {
        return;
    };
    let start = text.find("## Chapter 6").expect("chapter 6");
    let end = text.find("## Chapter 7").expect("chapter 7");
    let mut manual = BTreeMap::new();
    for line in text[start..end].lines() {
        let line = line.trim_start_matches("## ").trim_start_matches("- ");
        let Some((code, name)) = line.split_once(':') else {
            continue;
        };
        if (2..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
            // The summary misprints 183 as 1883.
            let code = if code == "1883" { "183" } else { code };
            manual.insert(code.to_string(), name.trim().to_string());
        }
    }
    let ours = all_codes();
    let manual_codes: BTreeSet<&str> = manual.keys().map(String::as_str).collect();
    // 1213 and 1214 appear only in the manual's verb codebook.
    let extra: Vec<_> = ours.difference(&manual_codes).copied().collect();
    assert_eq!(extra, ["1213", "1214"]);
    assert!(manual_codes.is_subset(&ours));
    // Names agree, once the summary's OCR damage is undone: "Threate n",
    // and 125, 127 and 128 broken over several lines (first part kept).
    for (code, name) in &manual {
        let name = name.replace("Threate n", "Threaten");
        let ours = cameo_event(code).map(|e| e.name).unwrap_or_default();
        let same = ours.eq_ignore_ascii_case(&name)
            || (["125", "127", "128"].contains(&code.as_str()) && ours.starts_with(&name));
        assert!(same, "{code}: ours {ours:?}, manual {name:?}");
    }
}

/// One row of the 2021 CAMEO-to-PLOVER table.
struct TableRow {
    code: String,
    event_type: String,
    mode: Option<String>,
    contexts: Vec<String>,
}

fn read_plover_table(text: &str) -> Vec<TableRow> {
    let mut rows = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let Some((code, rest)) = line.split_once(':') else {
            continue;
        };
        let code = code.trim();
        // Skip the two-digit section headers ("08: RETREAT").
        if code.len() < 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let mut parts = rest.split(',').map(str::trim);
        let event_type = parts.next().unwrap_or("").to_string();
        let mode = parts.next().filter(|s| !s.is_empty()).map(str::to_string);
        let contexts = parts
            .next()
            .map(|s| {
                s.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        rows.push(TableRow {
            code: code.to_string(),
            event_type,
            mode,
            contexts,
        });
    }
    rows
}

#[test]
fn plover_mapping_follows_the_2021_table() {
    let Some(text) = read_shared("peers/plover/CAMEO2PLOVER-2021.txt") else {
        return;
    };
    let rows = read_plover_table(&text);
    assert!(rows.len() > 250, "read {} rows", rows.len());
    let mut in_table = BTreeSet::new();
    for r in &rows {
        in_table.insert(r.code.clone());
        let m = plover_for_cameo(&r.code).unwrap_or_else(|| panic!("{} unmapped", r.code));
        assert_eq!(m.cameo_code, r.code);
        match m.basis {
            MappingBasis::Table => {
                assert_eq!(m.event_type.name(), r.event_type, "type of {}", r.code);
                assert_eq!(m.mode, r.mode.as_deref(), "mode of {}", r.code);
                assert_eq!(m.contexts, r.contexts, "contexts of {}", r.code);
            }
            MappingBasis::Normalized => {
                assert_eq!(m.event_type.name(), r.event_type, "type of {}", r.code);
                let changed = m.mode != r.mode.as_deref() || m.contexts != r.contexts;
                assert!(changed, "{} is marked normalized but is unchanged", r.code);
            }
            MappingBasis::Departs => {
                let changed = m.event_type.name() != r.event_type || m.mode != r.mode.as_deref();
                assert!(changed, "{} is marked as departing but agrees", r.code);
            }
            MappingBasis::Added => panic!("{} is in the table but marked added", r.code),
        }
    }
    for m in Ontology::get().plover_mappings() {
        let root_header = m.cameo_code.len() == 2;
        if m.basis == MappingBasis::Added {
            assert!(
                !in_table.contains(m.cameo_code),
                "{} is in the table",
                m.cameo_code
            );
        } else if !root_header {
            assert!(
                in_table.contains(m.cameo_code),
                "{} is not in the table",
                m.cameo_code
            );
        }
    }
}

/// The text of each `\section{NAME}` of the manual's event chapter.
fn manual_sections(tex: &str) -> Vec<(String, String)> {
    let start = tex
        .find("\\chapter{Event Categories}")
        .expect("event chapter");
    let end = tex[start..]
        .find("\\chapter{Contexts}")
        .map_or(tex.len(), |i| start + i);
    let body = &tex[start..end];
    let mut out = Vec::new();
    let mut parts = body.split("\\section{").skip(1);
    for part in &mut parts {
        let (name, text) = part.split_once('}').expect("closing brace");
        out.push((name.to_string(), text.to_string()));
    }
    out
}

#[test]
fn plover_types_match_the_manual() {
    let Some(tex) = read_shared("peers/plover/PLOVER_MANUAL.tex") else {
        return;
    };
    let sections = manual_sections(&tex);
    let names: Vec<&str> = sections.iter().map(|(n, _)| n.as_str()).collect();
    let ours: Vec<&str> = plover_types().iter().map(|t| t.name).collect();
    assert_eq!(names, ours);
    for ((_, text), t) in sections.iter().zip(plover_types()) {
        let quad = text
            .split("Quad category: ")
            .nth(1)
            .and_then(|s| s.split('}').next())
            .expect("quad category");
        let want = match quad {
            "VERBAL COOPERATION" => QuadClass::VerbalCooperation,
            "MATERIAL COOPERATION" => QuadClass::MaterialCooperation,
            "VERBAL CONFLICT" => QuadClass::VerbalConflict,
            "MATERIAL CONFLICT" => QuadClass::MaterialConflict,
            other => panic!("unknown quad {other:?}"),
        };
        assert_eq!(t.quad_class, want, "{}", t.name);
        let recipient = text.contains("Requires recipient: Yes");
        assert_eq!(t.requires_recipient, recipient, "{}", t.name);
        // Mode rows of the section's table: "name & description \\",
        // between the "Name & Content" header and the closing \hline;
        // commented-out rows start with '%'.
        let mut modes = Vec::new();
        if let Some((_, table)) = text.split_once("Name & Content \\\\") {
            let table = table.split("\\end{tabular}").next().unwrap_or("");
            for line in table.lines().map(str::trim) {
                if line.starts_with('%') || line.starts_with('&') || line.starts_with("\\hline") {
                    continue;
                }
                if let Some((name, _)) = line.split_once(" & ") {
                    modes.push(name.trim().to_string());
                }
            }
        }
        let ours: Vec<&str> = t.modes.iter().map(|m| m.name).collect();
        assert_eq!(modes, ours, "modes of {}", t.name);
    }
}

#[test]
fn plover_contexts_match_the_manual() {
    let Some(tex) = read_shared("peers/plover/PLOVER_MANUAL.tex") else {
        return;
    };
    let start = tex.find("START CONTEXTS TABLE").expect("contexts table");
    let end = tex
        .find("END CONTEXTS TABLE")
        .expect("end of contexts table");
    let mut names = Vec::new();
    for line in tex[start..end].lines().map(str::trim) {
        let Some((cell, _)) = line.split_once(" & ") else {
            continue;
        };
        // Either "\hyperref[label]{name}" or a bare name.
        let name = cell
            .rsplit('{')
            .next()
            .unwrap_or(cell)
            .trim()
            .trim_end_matches('}');
        let name = name.replace("\\_", "_");
        if name != "Name" {
            names.push(name);
        }
    }
    let ours: Vec<&str> = dyad_ontology::plover_contexts()
        .iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ours);
}

#[test]
fn auxiliary_modes_match_the_manual() {
    let Some(tex) = read_shared("peers/plover/PLOVER_MANUAL.tex") else {
        return;
    };
    let sec = tex
        .split("\\section{Auxiliary modes}")
        .nth(1)
        .expect("auxiliary section");
    let sec = sec.split("\\section{").next().unwrap_or("");
    for m in dyad_ontology::AuxiliaryMode::ALL {
        assert!(sec.contains(&format!("\\plcon{{{}}}", m.name())), "{m}");
    }
    assert!(sec.contains("four \\emph{auxiliary modes}"));
}

/// Every code of CAMEO's country list is one the table knows. Names are
/// not compared: ours are the display names of `countries.dyad` and
/// `data/territories.tsv`, in the project's own wording.
#[test]
fn countries_cover_the_country_list() {
    let Some(text) = read_shared("peers/cameo/countrynames.txt") else {
        return;
    };
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [_name, code, _cow] = cols[..] else {
            panic!("bad line {line:?}")
        };
        if code == "---" {
            continue;
        }
        assert!(country(code).is_some(), "{code} missing");
        n += 1;
    }
    assert!(n > 250);
}

#[test]
fn primary_and_secondary_roles_match_the_manual() {
    let Some(text) = read_shared("peers/cameo/CAMEO.Manual.1.1b3.md") else {
        return;
    };
    let start = text
        .find("Table 3.1: Generic Domestic Role Codes")
        .expect("table 3.1");
    let mut kind = "";
    let mut n = 0;
    for line in text[start..].lines().skip(1) {
        if !line.starts_with('|') {
            if n > 0 {
                break;
            }
            continue;
        }
        let first = line
            .trim_start_matches('|')
            .split('|')
            .next()
            .unwrap_or("")
            .trim();
        match first {
            "Primary Role Codes" => kind = "primary",
            "Secondary Role Codes" => kind = "secondary",
            "Tertiary Role Codes" => kind = "tertiary",
            c if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => {
                let t = dyad_ontology::actor_type(c).unwrap_or_else(|| panic!("{c} missing"));
                assert_eq!(t.kind.name(), kind, "{c}");
                n += 1;
            }
            _ => {}
        }
    }
    assert_eq!(n, 26);
}
