//! CAMEO event codes: names, Goldstein values and quad classes.

use std::fmt;

use crate::error::DataError;
use crate::tsv;

/// File name of the embedded CAMEO event table (for error messages).
pub(crate) const EVENTS_FILE: &str = "cameo-events.tsv";
pub(crate) const EVENTS_TSV: &str = include_str!("../data/cameo-events.tsv");

/// The four-way grouping of events used by GDELT and most CAMEO users.
///
/// It depends only on the two-digit root: roots 01–05 are verbal
/// cooperation, 06–08 material cooperation, 09–13 verbal conflict and
/// 14–20 material conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuadClass {
    /// 1: statements, appeals, intentions, consultations, diplomacy.
    VerbalCooperation = 1,
    /// 2: material cooperation, aid and yielding.
    MaterialCooperation = 2,
    /// 3: investigations, demands, disapproval, rejections and threats.
    VerbalConflict = 3,
    /// 4: protest, force posture, reduced relations, coercion and violence.
    MaterialConflict = 4,
}

impl QuadClass {
    /// All four classes in numeric order.
    pub const ALL: [QuadClass; 4] = [
        QuadClass::VerbalCooperation,
        QuadClass::MaterialCooperation,
        QuadClass::VerbalConflict,
        QuadClass::MaterialConflict,
    ];

    /// The GDELT number of the class, 1 to 4.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The class with GDELT number `n` (1 to 4).
    pub fn from_number(n: u8) -> Option<QuadClass> {
        QuadClass::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The class of CAMEO root `root` (1 to 20).
    pub fn for_root(root: u8) -> Option<QuadClass> {
        match root {
            1..=5 => Some(QuadClass::VerbalCooperation),
            6..=8 => Some(QuadClass::MaterialCooperation),
            9..=13 => Some(QuadClass::VerbalConflict),
            14..=20 => Some(QuadClass::MaterialConflict),
            _ => None,
        }
    }

    /// A short English name, e.g. `"verbal cooperation"`.
    pub fn name(self) -> &'static str {
        match self {
            QuadClass::VerbalCooperation => "verbal cooperation",
            QuadClass::MaterialCooperation => "material cooperation",
            QuadClass::VerbalConflict => "verbal conflict",
            QuadClass::MaterialConflict => "material conflict",
        }
    }

    /// True for classes 1 and 2.
    pub fn is_cooperation(self) -> bool {
        matches!(
            self,
            QuadClass::VerbalCooperation | QuadClass::MaterialCooperation
        )
    }

    /// True for classes 2 and 4.
    pub fn is_material(self) -> bool {
        matches!(
            self,
            QuadClass::MaterialCooperation | QuadClass::MaterialConflict
        )
    }
}

impl fmt::Display for QuadClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How deep a code sits in the CAMEO hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CodeLevel {
    /// Two digits: one of the 20 cue categories (`"19"`).
    Root,
    /// Three digits (`"190"`, `"193"`).
    Base,
    /// Four digits (`"1951"`).
    Sub,
}

/// Where an event's Goldstein value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GoldsteinSource {
    /// GDELT's Goldstein table gives a value for this exact code.
    Listed,
    /// GDELT gives none; the value is that of the nearest listed
    /// ancestor (the 3-digit parent, else the root).
    Inherited,
}

/// One CAMEO event code with its facts.
#[derive(Clone, Debug, PartialEq)]
pub struct CameoEvent {
    /// The code as written in CAMEO, with leading zero: `"0231"`.
    pub code: &'static str,
    /// The CAMEO label; roots are in capitals (`"APPEAL"`).
    pub name: &'static str,
    /// Goldstein conflict/cooperation value, from -10 to +10.
    pub goldstein: f32,
    /// Whether [`goldstein`](Self::goldstein) is listed or inherited.
    pub goldstein_source: GoldsteinSource,
    /// Quad class, from the root.
    pub quad_class: QuadClass,
    /// The two-digit root of the code (`"02"` for `"0231"`).
    pub root: &'static str,
}

impl CameoEvent {
    /// The two-digit root code (same as the `root` field).
    pub fn root_code(&self) -> &'static str {
        self.root
    }

    /// The root as a number, 1 to 20.
    pub fn root_number(&self) -> u8 {
        parse_root(self.code).map_or(0, |(_, n)| n)
    }

    /// Root, base or sub code.
    pub fn level(&self) -> CodeLevel {
        match self.code.len() {
            2 => CodeLevel::Root,
            3 => CodeLevel::Base,
            _ => CodeLevel::Sub,
        }
    }

    /// True for the 20 two-digit codes.
    pub fn is_root(&self) -> bool {
        self.code.len() == 2
    }

    /// The code one level up: `"023"` for `"0231"`, `"02"` for `"023"`,
    /// none for a root.
    pub fn parent_code(&self) -> Option<&'static str> {
        match self.code.len() {
            3 => self.code.get(..2),
            4 => self.code.get(..3),
            _ => None,
        }
    }
}

/// Splits a well-formed code into its root text and root number.
///
/// Well-formed: 2 to 4 ASCII digits whose first two give 01..=20.
pub(crate) fn parse_root(code: &str) -> Option<(&str, u8)> {
    if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let root = code.get(..2)?;
    let n: u8 = root.parse().ok()?;
    (1..=20).contains(&n).then_some((root, n))
}

/// Reads the embedded event table.
pub(crate) fn load_events() -> Result<Vec<CameoEvent>, DataError> {
    parse_events(EVENTS_FILE, EVENTS_TSV)
}

/// Reads an event table in the crate's format (see the data file's
/// header) and checks its order, hierarchy and values.
pub(crate) fn parse_events(
    file: &'static str,
    text: &'static str,
) -> Result<Vec<CameoEvent>, DataError> {
    let mut events: Vec<CameoEvent> = Vec::new();
    for row in tsv::rows(file, text, 4, 4)? {
        let err = |reason: String| DataError::new(file, row.line, reason);
        let code = row.get(0);
        let (root, n) = parse_root(code).ok_or_else(|| {
            err(format!(
                "{code:?} is not a CAMEO code (2-4 digits, root 01-20)"
            ))
        })?;
        if code.len() == 4 && code.ends_with('0') {
            return Err(err(format!("sub code {code} ends in 0")));
        }
        let goldstein: f32 = row
            .get(1)
            .parse()
            .map_err(|_| err(format!("goldstein {:?} is not a number", row.get(1))))?;
        if !(-10.0..=10.0).contains(&goldstein) {
            return Err(err(format!("goldstein {goldstein} is outside -10..10")));
        }
        let goldstein_source = match row.get(2) {
            "G" => GoldsteinSource::Listed,
            "I" => GoldsteinSource::Inherited,
            other => return Err(err(format!("source {other:?} is neither G nor I"))),
        };
        if let Some(prev) = events.last() {
            if prev.code >= code {
                return Err(err(format!(
                    "code {code} is out of order (after {})",
                    prev.code
                )));
            }
        }
        let event = CameoEvent {
            code,
            name: row.get(3),
            goldstein,
            goldstein_source,
            quad_class: QuadClass::for_root(n)
                .ok_or_else(|| err(format!("root {root} has no quad class")))?,
            root,
        };
        if let Some(parent) = event.parent_code() {
            if events.binary_search_by(|e| e.code.cmp(parent)).is_err() {
                return Err(err(format!(
                    "code {code} comes without its parent {parent}"
                )));
            }
        }
        events.push(event);
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quad_class_numbers_round_trip() {
        for q in QuadClass::ALL {
            assert_eq!(QuadClass::from_number(q.number()), Some(q));
        }
        assert_eq!(QuadClass::from_number(0), None);
        assert_eq!(QuadClass::from_number(5), None);
    }

    #[test]
    fn quad_class_boundaries() {
        assert_eq!(QuadClass::for_root(5), Some(QuadClass::VerbalCooperation));
        assert_eq!(QuadClass::for_root(6), Some(QuadClass::MaterialCooperation));
        assert_eq!(QuadClass::for_root(8), Some(QuadClass::MaterialCooperation));
        assert_eq!(QuadClass::for_root(9), Some(QuadClass::VerbalConflict));
        assert_eq!(QuadClass::for_root(13), Some(QuadClass::VerbalConflict));
        assert_eq!(QuadClass::for_root(14), Some(QuadClass::MaterialConflict));
        assert_eq!(QuadClass::for_root(20), Some(QuadClass::MaterialConflict));
        assert_eq!(QuadClass::for_root(0), None);
        assert_eq!(QuadClass::for_root(21), None);
        assert!(QuadClass::MaterialCooperation.is_cooperation());
        assert!(QuadClass::MaterialCooperation.is_material());
        assert!(!QuadClass::VerbalConflict.is_material());
        assert_eq!(QuadClass::VerbalConflict.to_string(), "verbal conflict");
    }

    #[test]
    fn parse_root_rejects_malformed_codes() {
        assert_eq!(parse_root("0231"), Some(("02", 2)));
        assert_eq!(parse_root("20"), Some(("20", 20)));
        for bad in [
            "", "0", "00", "21", "903", "---", "02a", "12345", " 02", "０２",
        ] {
            assert_eq!(parse_root(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn embedded_table_parses() {
        let events = load_events().unwrap();
        assert!(!events.is_empty());
    }

    #[test]
    fn parser_reports_bad_rows() {
        let cases = [
            ("01\t0\tG\tA\n010\tx\tG\tB\n", 2, "not a number"),
            ("01\t11\tG\tA\n", 1, "outside"),
            ("01\t0\tQ\tA\n", 1, "neither G nor I"),
            ("21\t0\tG\tA\n", 1, "not a CAMEO code"),
            ("02\t0\tG\tA\n01\t0\tG\tB\n", 2, "out of order"),
            ("01\t0\tG\tA\n0101\t0\tG\tB\n", 2, "without its parent 010"),
            (
                "01\t0\tG\tA\n010\t0\tG\tB\n0111\t0\tG\tC\n",
                3,
                "without its parent 011",
            ),
            ("01\t0\tG\tA\n010\t0\tG\tB\n0100\t0\tG\tC\n", 3, "ends in 0"),
        ];
        for (text, line, what) in cases {
            let e = parse_events("t.tsv", text).err().unwrap();
            assert_eq!(e.line, line, "{text:?}: {e}");
            assert!(e.reason.contains(what), "{text:?}: {e}");
        }
    }

    #[test]
    fn event_helpers() {
        let events = load_events().unwrap();
        let find = |c: &str| events.iter().find(|e| e.code == c).unwrap();
        let e = find("0231");
        assert_eq!(e.root_code(), "02");
        assert_eq!(e.root_number(), 2);
        assert_eq!(e.level(), CodeLevel::Sub);
        assert_eq!(e.parent_code(), Some("023"));
        assert_eq!(find("023").parent_code(), Some("02"));
        assert_eq!(find("02").parent_code(), None);
        assert!(find("19").is_root());
        assert_eq!(find("190").level(), CodeLevel::Base);
    }
}
