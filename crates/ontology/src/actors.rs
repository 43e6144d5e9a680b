//! CAMEO actor codes: three-letter type codes and country codes.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::DataError;
use crate::tsv;

pub(crate) const ACTOR_TYPES_FILE: &str = "actor-types.tsv";
pub(crate) const ACTOR_TYPES_TSV: &str = include_str!("../data/actor-types.tsv");
/// The project's state list, named as [`DataError::file`] reports it.
pub(crate) const STATES_FILE: &str = "dictionaries/actors/countries.dyad";
/// Only its `= CODE  Name` header lines are read here.
pub(crate) const STATES_DYAD: &str = include_str!("../../../dictionaries/actors/countries.dyad");
pub(crate) const TERRITORIES_FILE: &str = "territories.tsv";
pub(crate) const TERRITORIES_TSV: &str = include_str!("../data/territories.tsv");

/// What kind of part of an actor code a three-letter type code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActorKind {
    /// Primary role (GOV, MIL, OPP, REB, ...): preferred for domestic actors.
    Primary,
    /// Secondary role or specialty (BUS, MED, LEG, ...).
    Secondary,
    /// Tertiary modifier (MOD, RAD), a last resort.
    Tertiary,
    /// PTY, placed right after GOV or OPP for political parties.
    Party,
    /// Generic international or transnational code (IGO, NGO, UIS, ...).
    International,
    /// International region standing in for a group of countries (MEA, WST, ...).
    Region,
    /// First part of a religion code (CHR, MOS, ...).
    Religion,
}

impl ActorKind {
    /// Lower-case name as written in the data file.
    pub fn name(self) -> &'static str {
        match self {
            ActorKind::Primary => "primary",
            ActorKind::Secondary => "secondary",
            ActorKind::Tertiary => "tertiary",
            ActorKind::Party => "party",
            ActorKind::International => "international",
            ActorKind::Region => "region",
            ActorKind::Religion => "religion",
        }
    }

    fn from_name(s: &str) -> Option<ActorKind> {
        [
            ActorKind::Primary,
            ActorKind::Secondary,
            ActorKind::Tertiary,
            ActorKind::Party,
            ActorKind::International,
            ActorKind::Region,
            ActorKind::Religion,
        ]
        .into_iter()
        .find(|k| k.name() == s)
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A three-letter CAMEO actor type code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ActorType {
    /// The code, e.g. `"GOV"`.
    pub code: &'static str,
    /// Its kind.
    pub kind: ActorKind,
    /// A short English name, e.g. `"Government"`.
    pub name: &'static str,
}

/// A country (or dependent territory) code.
///
/// The table holds every state of the project's actor dictionary
/// `dictionaries/actors/countries.dyad` (ISO 3166-1 alpha-3 codes, `XKX`
/// for Kosovo) and the crate's `data/territories.tsv`: the codes CAMEO
/// coding uses beyond those, such as dependent territories coded under
/// their parent (`"USAGUM"`) and CAMEO's own codes (`"TMP"`, `"KSV"`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Country {
    /// Three letters (mostly ISO 3166 alpha-3, e.g. `"DEU"`), or six for a
    /// territory coded under its parent (`"USAGUM"`).
    pub code: &'static str,
    /// English display name.
    pub name: &'static str,
    /// Other names for the same code (given for territories only).
    pub aliases: Vec<&'static str>,
}

/// One three-letter part of a CAMEO actor code after the country.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActorCodePart<'a> {
    /// A known actor type code (role, international code, region, religion).
    Type(&'a ActorType),
    /// A part the tables do not know: an organization code (`UNO`), an
    /// ethnic code, or a code from a newer dictionary.
    Other(&'a str),
}

/// A CAMEO actor code split into its country and three-letter parts.
///
/// Returned by [`Ontology::split_actor_code`](crate::Ontology::split_actor_code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorCodeParts<'a> {
    /// The leading country, when the code starts with one (a 6-letter
    /// territory code is preferred over its 3-letter parent).
    pub country: Option<&'a Country>,
    /// The remaining parts, in order.
    pub parts: Vec<ActorCodePart<'a>>,
}

impl<'a> ActorCodeParts<'a> {
    /// The known actor types among the parts, in order.
    pub fn types(&self) -> impl Iterator<Item = &'a ActorType> + '_ {
        self.parts.iter().filter_map(|p| match p {
            ActorCodePart::Type(t) => Some(*t),
            ActorCodePart::Other(_) => None,
        })
    }
}

fn is_upper_code(s: &str, lens: &[usize]) -> bool {
    lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())
}

pub(crate) fn load_actor_types() -> Result<Vec<ActorType>, DataError> {
    parse_actor_types(ACTOR_TYPES_FILE, ACTOR_TYPES_TSV)
}

/// Reads actor types; the result is sorted by code.
pub(crate) fn parse_actor_types(
    file: &'static str,
    text: &'static str,
) -> Result<Vec<ActorType>, DataError> {
    let mut out: Vec<(usize, ActorType)> = Vec::new();
    for row in tsv::rows(file, text, 3, 3)? {
        let err = |reason: String| DataError::new(file, row.line, reason);
        let code = row.get(0);
        if !is_upper_code(code, &[3]) {
            return Err(err(format!("{code:?} is not three capital letters")));
        }
        let kind = ActorKind::from_name(row.get(1))
            .ok_or_else(|| err(format!("{:?} is not an actor kind", row.get(1))))?;
        out.push((
            row.line,
            ActorType {
                code,
                kind,
                name: row.get(2),
            },
        ));
    }
    out.sort_by(|a, b| a.1.code.cmp(b.1.code));
    if let Some(w) = out.windows(2).find(|w| w[0].1.code == w[1].1.code) {
        return Err(DataError::new(
            file,
            w[1].0,
            format!("duplicate code {}", w[1].1.code),
        ));
    }
    Ok(out.into_iter().map(|(_, t)| t).collect())
}

/// Countries sorted by code, with an index of their lower-cased names.
pub(crate) struct CountryTable {
    pub countries: Vec<Country>,
    /// (lower-cased name or alias, index into `countries`), sorted.
    pub by_name: Vec<(String, usize)>,
}

/// A country with where it was read, before the table is assembled.
struct Entry {
    country: Country,
    file: &'static str,
    line: usize,
    /// For a territories row: the state code of the same place (`iso`).
    same_as: Option<&'static str>,
    /// Whether it came from the territories table.
    territory: bool,
}

impl Entry {
    fn err(&self, reason: String) -> DataError {
        DataError::new(self.file, self.line, reason)
    }
}

pub(crate) fn load_countries() -> Result<CountryTable, DataError> {
    build_countries(
        parse_state_headers(STATES_FILE, STATES_DYAD)?,
        parse_territories(TERRITORIES_FILE, TERRITORIES_TSV)?,
    )
}

/// Reads the `= CODE  Name` header lines of a `.dyad` actor dictionary
/// (the keyword lines under them are ignored). As in the dictionary
/// format, `#` starts a comment and lines may be indented; a header needs
/// a three-letter capital code and a name after it.
fn parse_state_headers(file: &'static str, text: &'static str) -> Result<Vec<Entry>, DataError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let body = raw.split('#').next().unwrap_or("").trim();
        let Some(rest) = body.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let (code, name) = rest
            .split_once(char::is_whitespace)
            .map_or((rest, ""), |(c, n)| (c, n.trim()));
        let err = |reason: String| DataError::new(file, line, reason);
        if !is_upper_code(code, &[3]) {
            return Err(err(format!(
                "header code {code:?} is not three capital letters"
            )));
        }
        if name.is_empty() {
            return Err(err(format!("header {code} has no name after the code")));
        }
        out.push(Entry {
            country: Country {
                code,
                name,
                aliases: Vec::new(),
            },
            file,
            line,
            same_as: None,
            territory: false,
        });
    }
    Ok(out)
}

/// Reads the territories table: code, name, state code of the same place
/// (or `-`), aliases separated by `;` (or `-`).
fn parse_territories(file: &'static str, text: &'static str) -> Result<Vec<Entry>, DataError> {
    let mut out = Vec::new();
    for row in tsv::rows(file, text, 4, 4)? {
        let err = |reason: String| DataError::new(file, row.line, reason);
        let code = row.get(0);
        if !is_upper_code(code, &[3, 6]) {
            return Err(err(format!("{code:?} is not 3 or 6 capital letters")));
        }
        let same_as = row.opt(2);
        if let Some(iso) = same_as {
            if !is_upper_code(iso, &[3]) {
                return Err(err(format!("iso {iso:?} is not three capital letters")));
            }
        }
        let aliases: Vec<&'static str> =
            row.opt(3).map_or_else(Vec::new, |s| s.split(';').collect());
        if let Some(a) = aliases.iter().find(|a| a.trim() != **a || a.is_empty()) {
            return Err(err(format!(
                "alias {a:?} is empty or has surrounding spaces"
            )));
        }
        out.push(Entry {
            country: Country {
                code,
                name: row.get(1),
                aliases,
            },
            file,
            line: row.line,
            same_as,
            territory: true,
        });
    }
    Ok(out)
}

/// Joins states and territories into one table sorted by code.
///
/// A code given twice is an error, and so is a name (or alias, compared
/// case-insensitively) given twice, with one exception: a territory row
/// may share a name with the state its `iso` column names, and the name
/// then finds the territory row (the code CAMEO coding uses).
fn build_countries(states: Vec<Entry>, territories: Vec<Entry>) -> Result<CountryTable, DataError> {
    let mut all = states;
    all.extend(territories);
    all.sort_by(|a, b| a.country.code.cmp(b.country.code));
    if let Some(w) = all
        .windows(2)
        .find(|w| w[0].country.code == w[1].country.code)
    {
        let (first, second) = if w[1].territory {
            (&w[0], &w[1])
        } else {
            (&w[1], &w[0])
        };
        return Err(second.err(format!(
            "duplicate code {} (also at {}:{})",
            second.country.code, first.file, first.line
        )));
    }
    for e in all.iter().filter(|e| e.territory) {
        if let Some(iso) = e.same_as {
            let known = all
                .binary_search_by(|o| o.country.code.cmp(iso))
                .ok()
                .and_then(|i| all.get(i))
                .is_some_and(|o| !o.territory);
            if !known {
                return Err(e.err(format!("iso {iso} is not a code of {STATES_FILE}")));
            }
        }
    }
    // States first, so that a territory may take over a name it shares
    // with its own state.
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for pass_territories in [false, true] {
        for (i, e) in all.iter().enumerate() {
            if e.territory != pass_territories {
                continue;
            }
            let c = &e.country;
            for n in std::iter::once(&c.name).chain(&c.aliases) {
                let key = n.to_lowercase();
                if let Some(&j) = names.get(&key) {
                    let other = all
                        .get(j)
                        .map(|o| (o.country.code, o.file, o.line, o.territory));
                    let shared_with_own_state = matches!(
                        other,
                        Some((code, _, _, false)) if e.same_as == Some(code)
                    );
                    if !shared_with_own_state {
                        let (code, file, line) =
                            other.map_or(("?", "?", 0), |(c, f, l, _)| (c, f, l));
                        return Err(e.err(format!(
                            "name {key:?} is given twice (also for {code} at {file}:{line})"
                        )));
                    }
                }
                names.insert(key, i);
            }
        }
    }
    Ok(CountryTable {
        countries: all.into_iter().map(|e| e.country).collect(),
        by_name: names.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_parse() {
        let types = load_actor_types().unwrap();
        assert!(types.windows(2).all(|w| w[0].code < w[1].code));
        let table = load_countries().unwrap();
        assert!(table.countries.windows(2).all(|w| w[0].code < w[1].code));
        assert!(table.by_name.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn parser_reports_bad_rows() {
        let e = parse_actor_types("a.tsv", "GOV\tprimary\tGovernment\nGov\tprimary\tX\n")
            .err()
            .unwrap();
        assert_eq!((e.line, e.reason.contains("capital")), (2, true), "{e}");
        let e = parse_actor_types("a.tsv", "GOV\tboss\tGovernment\n")
            .err()
            .unwrap();
        assert!(e.reason.contains("not an actor kind"), "{e}");
        let e = parse_actor_types("a.tsv", "GOV\tprimary\tA\nMIL\tprimary\tB\nGOV\tparty\tC\n")
            .err()
            .unwrap();
        assert_eq!(e.line, 3, "{e}");
    }

    fn states(text: &'static str) -> Vec<Entry> {
        parse_state_headers("s.dyad", text).unwrap()
    }

    fn territories(text: &'static str) -> Vec<Entry> {
        parse_territories("t.tsv", text).unwrap()
    }

    #[test]
    fn state_headers_are_read() {
        let text =
            "# states\n= DEU  Germany\n  name: Germany | Deutschland\n\n  = FRA\tFrance  # note\n";
        let got: Vec<_> = states(text)
            .iter()
            .map(|e| (e.country.code, e.country.name, e.line))
            .collect();
        assert_eq!(got, [("DEU", "Germany", 2), ("FRA", "France", 5)]);
    }

    #[test]
    fn malformed_state_header_names_its_line() {
        for (text, want) in [
            (
                "= DEU  Germany\n= De  Germany\n",
                "not three capital letters",
            ),
            (
                "= DEU  Germany\n= DEUT  Germany\n",
                "not three capital letters",
            ),
            ("= DEU  Germany\n= DEU\n", "has no name"),
            ("= DEU  Germany\n=\n", "not three capital letters"),
            ("= DEU  Germany\n= FRA   # France\n", "has no name"),
        ] {
            let e = parse_state_headers("s.dyad", text).err().unwrap();
            assert_eq!((e.file, e.line), ("s.dyad", 2), "{text:?}: {e}");
            assert!(e.reason.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn malformed_territory_rows_are_rejected() {
        for (text, want) in [
            ("USAGUM\tGuam\t-\n", "expected 4"),
            ("USAGU\tGuam\t-\t-\n", "3 or 6"),
            ("USAGUM\tGuam\tGu\t-\n", "iso"),
            ("USAGUM\tGuam\t-\tA;;B\n", "alias"),
        ] {
            let e = parse_territories("t.tsv", text).err().unwrap();
            assert_eq!(e.line, 1, "{text:?}: {e}");
            assert!(e.reason.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn codes_and_names_given_twice_are_rejected() {
        let e = build_countries(
            states("= AAA  X\n= BBB  Y\n"),
            territories("AAA\tZ\t-\t-\n"),
        )
        .err()
        .unwrap();
        assert_eq!((e.file, e.line), ("t.tsv", 1), "{e}");
        assert!(e.reason.contains("duplicate code AAA"), "{e}");
        let e = build_countries(states("= AAA  X\n= BBB  x\n"), Vec::new())
            .err()
            .unwrap();
        assert!(e.reason.contains("\"x\""), "{e}");
        // A territory may not take the name of a state it does not declare.
        let e = build_countries(states("= AAA  X\n"), territories("BBBCCC\tZ\t-\tx\n"))
            .err()
            .unwrap();
        assert_eq!((e.file, e.line), ("t.tsv", 1), "{e}");
        let e = build_countries(states("= AAA  X\n"), territories("BBB\tX\tCCC\t-\n"))
            .err()
            .unwrap();
        assert!(e.reason.contains("iso CCC"), "{e}");
    }

    #[test]
    fn territory_takes_the_name_it_shares_with_its_state() {
        let t = build_countries(
            states("= GUM  Guam\n= USA  United States\n"),
            territories("USAGUM\tGuam\tGUM\tGuam Island\n"),
        )
        .unwrap();
        let codes: Vec<_> = t.countries.iter().map(|c| c.code).collect();
        assert_eq!(codes, ["GUM", "USA", "USAGUM"]);
        let names: Vec<_> = t.by_name.iter().map(|(n, i)| (n.as_str(), *i)).collect();
        assert_eq!(
            names,
            [("guam", 2), ("guam island", 2), ("united states", 1)]
        );
    }

    /// Codes the table had before it was built from `countries.dyad`:
    /// every territory and CAMEO-specific code, and a sample of states.
    const EARLIER_CODES: [&str; 45] = [
        "ANT", "AUSNFK", "CCK", "CXR", "DNKFRO", "DNKGRL", "FRAGLP", "FRAGUF", "FRANCL", "FRAPYF",
        "FRNWLF", "GBRFLK", "GBRGIB", "GBRIMY", "GBRMSR", "GBRPCN", "GBRSHN", "GBRVGB", "GGY",
        "IOT", "KSV", "MAF", "NLDANT", "NZLNIU", "NZLTKL", "PSEGZA", "TMP", "USAASM", "USAGUM",
        "USAPRI", "USAVIR", "USA", "CHN", "RUS", "DEU", "ROU", "MNE", "SRB", "PSE", "VAT", "TWN",
        "HKG", "MAC", "COD", "ESH",
    ];

    #[test]
    fn earlier_codes_are_still_known() {
        let t = load_countries().unwrap();
        let has = |code: &str| t.countries.iter().any(|c| c.code == code);
        for code in EARLIER_CODES {
            assert!(has(code), "{code} is missing");
        }
        // CAMEO's ROM and MTN were not in the earlier table either: the
        // table follows ISO (ROU, MNE).
        assert!(!has("ROM") && !has("MTN"));
        assert!(t.countries.len() >= 239, "{} codes", t.countries.len());
    }
}
