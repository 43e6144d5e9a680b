//! CAMEO actor codes: three-letter type codes and country codes.

use std::fmt;

use crate::error::DataError;
use crate::tsv;

pub(crate) const ACTOR_TYPES_FILE: &str = "actor-types.tsv";
pub(crate) const ACTOR_TYPES_TSV: &str = include_str!("../data/actor-types.tsv");
pub(crate) const COUNTRIES_FILE: &str = "countries.tsv";
pub(crate) const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");

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

/// A CAMEO country (or dependent territory) code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Country {
    /// Three letters (mostly ISO 3166 alpha-3, e.g. `"DEU"`), or six for a
    /// territory coded under its parent (`"USAGUM"`).
    pub code: &'static str,
    /// Correlates of War state number, when the country has one.
    pub cow: Option<u16>,
    /// Canonical English name.
    pub name: &'static str,
    /// Other names for the same code.
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

pub(crate) fn load_countries() -> Result<CountryTable, DataError> {
    parse_countries(COUNTRIES_FILE, COUNTRIES_TSV)
}

/// Reads countries. A code or a name (case-insensitively) given twice is
/// an error.
pub(crate) fn parse_countries(
    file: &'static str,
    text: &'static str,
) -> Result<CountryTable, DataError> {
    let mut rows: Vec<(usize, Country)> = Vec::new();
    for row in tsv::rows(file, text, 4, 4)? {
        let err = |reason: String| DataError::new(file, row.line, reason);
        let code = row.get(0);
        if !is_upper_code(code, &[3, 6]) {
            return Err(err(format!("{code:?} is not 3 or 6 capital letters")));
        }
        let cow = match row.opt(1) {
            None => None,
            Some(s) => Some(
                s.parse::<u16>()
                    .map_err(|_| err(format!("COW number {s:?} is not a number")))?,
            ),
        };
        let aliases = row.opt(3).map_or_else(Vec::new, |s| s.split(';').collect());
        rows.push((
            row.line,
            Country {
                code,
                cow,
                name: row.get(2),
                aliases,
            },
        ));
    }
    rows.sort_by(|a, b| a.1.code.cmp(b.1.code));
    if let Some(w) = rows.windows(2).find(|w| w[0].1.code == w[1].1.code) {
        return Err(DataError::new(
            file,
            w[1].0,
            format!("duplicate code {}", w[1].1.code),
        ));
    }
    // (name, line, index); sorting by name then line reports the later row.
    let mut names: Vec<(String, usize, usize)> = Vec::new();
    for (i, (line, c)) in rows.iter().enumerate() {
        for n in std::iter::once(&c.name).chain(&c.aliases) {
            names.push((n.to_lowercase(), *line, i));
        }
    }
    names.sort();
    if let Some(w) = names.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(DataError::new(
            file,
            w[1].1,
            format!("name {:?} is given twice", w[1].0),
        ));
    }
    Ok(CountryTable {
        countries: rows.into_iter().map(|(_, c)| c).collect(),
        by_name: names.into_iter().map(|(n, _, i)| (n, i)).collect(),
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
        let e = parse_countries("c.tsv", "DEU\tx\tGermany\t-\n")
            .err()
            .unwrap();
        assert!(e.reason.contains("COW"), "{e}");
        let e = parse_countries("c.tsv", "DEUT\t255\tGermany\t-\n")
            .err()
            .unwrap();
        assert!(e.reason.contains("3 or 6"), "{e}");
    }

    #[test]
    fn shared_names_are_rejected() {
        let e = parse_countries("c.tsv", "AAA\t-\tX\tY\nBBB\t-\tZ\ty\n")
            .err()
            .unwrap();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.reason.contains("\"y\""), "{e}");
    }
}
