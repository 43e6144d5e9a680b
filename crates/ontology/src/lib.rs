//! CAMEO and PLOVER code tables: names, Goldstein values, quad classes,
//! mappings.
//!
//! # Overview
//!
//! The crate answers questions about codes, from tables compiled into the
//! binary and parsed once on first use:
//!
//! * **CAMEO events** ([`CameoEvent`]): all 318 codes of CAMEO 1.1b3
//!   (20 two-digit roots, 3-digit base codes and 4-digit sub codes), each
//!   with its label, its Goldstein value as GDELT scores it and its
//!   [`QuadClass`].
//! * **PLOVER** ([`PloverType`]): the 16 event types with their modes, the
//!   general contexts, the [`AuxiliaryMode`]s, and the mapping from every
//!   CAMEO code of roots 03–20 to a type, mode and contexts
//!   ([`PloverMapping`]). Roots 01 (statements) and 02 (appeals) have no
//!   PLOVER counterpart.
//! * **Actors**: three-letter CAMEO actor type codes ([`ActorType`]: roles
//!   such as GOV or MIL, international codes such as IGO, regions,
//!   religions) and country codes ([`Country`]); [`split_actor_code`]
//!   reads a full code such as `USAGOVMIL` into those parts. The countries
//!   are the states of the project's actor dictionary
//!   `dictionaries/actors/countries.dyad` (its `= CODE  Name` headers) and
//!   the crate's `data/territories.tsv`, which adds the codes CAMEO coding
//!   uses beyond them (`USAGUM` for Guam, `TMP`, `KSV`).
//!
//! Use the free functions, or [`Ontology::get`] for the whole tables.
//!
//! # Example
//!
//! ```
//! use dyad_ontology::{cameo_event, goldstein, plover_for_cameo, quad_class};
//! use dyad_ontology::{PloverEventType, QuadClass};
//!
//! let e = cameo_event("0231").ok_or("no 0231")?;
//! assert_eq!(e.name, "Appeal for economic aid");
//! assert_eq!(e.goldstein, 3.4);
//! assert_eq!(e.root, "02");
//! assert_eq!(quad_class("190"), Some(QuadClass::MaterialConflict));
//!
//! // A 4-digit code that CAMEO does not define falls back to its parent.
//! assert_eq!(goldstein("1959"), goldstein("195"));
//! // Codes that are not CAMEO give None.
//! assert_eq!(quad_class("---"), None);
//!
//! let p = plover_for_cameo("042").ok_or("no mapping")?;
//! assert_eq!(p.event_type, PloverEventType::Consult);
//! assert_eq!(p.mode, Some("visit"));
//! # Ok::<(), &'static str>(())
//! ```
//!
//! # Lookup rules
//!
//! Codes are written as CAMEO writes them: 2 to 4 ASCII digits with the
//! leading zero (`"042"`, not `"42"`), no surrounding spaces.
//! [`cameo_event`] matches exactly. The other CAMEO lookups
//! ([`resolve_cameo`], [`cameo_root`], [`quad_class`], [`goldstein`],
//! [`plover_for_cameo`]) also accept a 4-digit code missing from the table
//! whose fourth digit is 1–9 and whose 3-digit parent exists: they answer
//! for the parent (so `"0257"` behaves as `"025"`). A fourth digit of 0
//! (`"1010"`) is never CAMEO and is not resolved; neither is an unknown
//! 3-digit code (`"047"`), a root outside 01–20 (WEIS-style `"903"`), or
//! anything else; such codes give `None`. Nothing here panics on input.

#![deny(missing_docs)]

mod actors;
mod cameo;
mod error;
mod plover;
mod tsv;

use std::sync::OnceLock;

pub use actors::{ActorCodePart, ActorCodeParts, ActorKind, ActorType, Country};
pub use cameo::{CameoEvent, CodeLevel, GoldsteinSource, QuadClass};
pub use error::DataError;
pub use plover::{
    plover_context, plover_contexts, plover_types, AuxiliaryMode, MappingBasis, PloverContext,
    PloverEventType, PloverMapping, PloverMode, PloverType,
};

/// All tables, parsed. Obtain the shared instance with [`Ontology::get`].
///
/// Immutable once built, and `Send + Sync`.
#[derive(Debug)]
pub struct Ontology {
    events: Vec<CameoEvent>,
    mappings: Vec<PloverMapping>,
    actor_types: Vec<ActorType>,
    countries: Vec<Country>,
    country_names: Vec<(String, usize)>,
}

static ONTOLOGY: OnceLock<Result<Ontology, DataError>> = OnceLock::new();

impl Ontology {
    /// Parses the embedded tables. Called once by [`Ontology::try_get`].
    fn load() -> Result<Ontology, DataError> {
        let events = cameo::load_events()?;
        let mappings = plover::load_mapping(&events)?;
        let actor_types = actors::load_actor_types()?;
        let table = actors::load_countries()?;
        Ok(Ontology {
            events,
            mappings,
            actor_types,
            countries: table.countries,
            country_names: table.by_name,
        })
    }

    /// The shared ontology, or the error that made an embedded table
    /// unreadable. Parsing happens on the first call only.
    pub fn try_get() -> Result<&'static Ontology, DataError> {
        ONTOLOGY
            .get_or_init(Ontology::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The shared ontology.
    ///
    /// # Panics
    ///
    /// If an embedded table is malformed. The crate's tests parse every
    /// table, so a published build cannot panic here; use
    /// [`Ontology::try_get`] to handle the error anyway.
    pub fn get() -> &'static Ontology {
        match Ontology::try_get() {
            Ok(o) => o,
            Err(e) => panic!("dyad-ontology: embedded table is malformed: {e}"),
        }
    }

    /// All CAMEO event codes, sorted by code (which is also hierarchical
    /// order: `"02"`, `"020"`, `"021"`, `"0211"`, ...).
    pub fn cameo_events(&self) -> &[CameoEvent] {
        &self.events
    }

    /// The 20 two-digit root codes, in order.
    pub fn cameo_roots(&self) -> impl Iterator<Item = &CameoEvent> + '_ {
        self.events.iter().filter(|e| e.is_root())
    }

    /// The event with exactly this code.
    pub fn cameo_event(&self, code: &str) -> Option<&CameoEvent> {
        self.events
            .binary_search_by(|e| e.code.cmp(code))
            .ok()
            .and_then(|i| self.events.get(i))
    }

    /// The event for `code`, or for its 3-digit parent when `code` is an
    /// undefined 4-digit code ending in 1–9 (see the crate docs).
    pub fn resolve_cameo(&self, code: &str) -> Option<&CameoEvent> {
        cameo::parse_root(code)?;
        if let Some(e) = self.cameo_event(code) {
            return Some(e);
        }
        if code.len() == 4 && !code.ends_with('0') {
            return self.cameo_event(code.get(..3)?);
        }
        None
    }

    /// The root event of `code` (resolved as in [`Ontology::resolve_cameo`]).
    pub fn cameo_root(&self, code: &str) -> Option<&CameoEvent> {
        self.cameo_event(self.resolve_cameo(code)?.root)
    }

    /// The direct children of `code`: 3-digit codes of a root, 4-digit
    /// codes of a base code.
    pub fn cameo_children<'a>(
        &'a self,
        code: &'a str,
    ) -> impl Iterator<Item = &'a CameoEvent> + 'a {
        self.events
            .iter()
            .filter(move |e| e.parent_code() == Some(code))
    }

    /// The PLOVER mapping of `code` (resolved as in
    /// [`Ontology::resolve_cameo`]); `None` for roots 01 and 02, which
    /// PLOVER dropped, and for unknown codes.
    pub fn plover_for_cameo(&self, code: &str) -> Option<&PloverMapping> {
        plover::find_mapping(&self.mappings, self.resolve_cameo(code)?)
    }

    /// All mapping rows, sorted by CAMEO code.
    pub fn plover_mappings(&self) -> &[PloverMapping] {
        &self.mappings
    }

    /// All three-letter actor type codes, sorted by code.
    pub fn actor_types(&self) -> &[ActorType] {
        &self.actor_types
    }

    /// The actor type with this three-letter code (exact, upper case).
    pub fn actor_type(&self, code: &str) -> Option<&ActorType> {
        self.actor_types
            .binary_search_by(|t| t.code.cmp(code))
            .ok()
            .and_then(|i| self.actor_types.get(i))
    }

    /// Splits an actor code such as `"USAGOVMIL"` or `"IGOUNOREFHCR"`
    /// into a leading country and three-letter parts.
    ///
    /// The code must be upper-case ASCII letters in a multiple of three;
    /// anything else (including PETRARCH's `"---"` for no actor) gives
    /// `None`. The first part is read as a country whenever it is one, so
    /// `"MUS"` (Mauritius, and a Phoenix religion code) opening a code is
    /// Mauritius.
    pub fn split_actor_code<'a>(&'a self, code: &'a str) -> Option<ActorCodeParts<'a>> {
        let well_formed = !code.is_empty()
            && code
                .as_bytes()
                .chunks(3)
                .all(|c| c.len() == 3 && c.iter().all(u8::is_ascii_uppercase));
        if !well_formed {
            return None;
        }
        let (country, rest) = [6, 3]
            .into_iter()
            .filter(|&n| n <= code.len())
            .find_map(|n| Some((self.country(code.get(..n)?)?, code.get(n..)?)))
            .map_or((None, code), |(c, rest)| (Some(c), rest));
        let parts = (0..rest.len() / 3)
            .filter_map(|i| rest.get(3 * i..3 * i + 3))
            .map(|p| {
                self.actor_type(p)
                    .map_or(ActorCodePart::Other(p), ActorCodePart::Type)
            })
            .collect();
        Some(ActorCodeParts { country, parts })
    }

    /// All countries, sorted by code.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The country with this code (exact, upper case: `"DEU"`, `"USAGUM"`).
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries
            .binary_search_by(|c| c.code.cmp(code))
            .ok()
            .and_then(|i| self.countries.get(i))
    }

    /// The country whose name or alias is `name`, ignoring case and
    /// surrounding spaces.
    pub fn country_by_name(&self, name: &str) -> Option<&Country> {
        let key = name.trim().to_lowercase();
        let i = self
            .country_names
            .binary_search_by(|(n, _)| n.as_str().cmp(key.as_str()))
            .ok()?;
        let (_, ci) = self.country_names.get(i)?;
        self.countries.get(*ci)
    }
}

/// The CAMEO event with exactly this code. See [`Ontology::cameo_event`].
pub fn cameo_event(code: &str) -> Option<&'static CameoEvent> {
    Ontology::get().cameo_event(code)
}

/// The CAMEO event for `code`, falling back from an undefined 4-digit code
/// to its parent. See [`Ontology::resolve_cameo`].
pub fn resolve_cameo(code: &str) -> Option<&'static CameoEvent> {
    Ontology::get().resolve_cameo(code)
}

/// The root (two-digit) event of `code`. See [`Ontology::cameo_root`].
pub fn cameo_root(code: &str) -> Option<&'static CameoEvent> {
    Ontology::get().cameo_root(code)
}

/// The quad class of `code`, with the crate's fallback rules.
pub fn quad_class(code: &str) -> Option<QuadClass> {
    resolve_cameo(code).map(|e| e.quad_class)
}

/// The Goldstein value of `code`, with the crate's fallback rules.
pub fn goldstein(code: &str) -> Option<f32> {
    resolve_cameo(code).map(|e| e.goldstein)
}

/// The PLOVER type, mode and contexts for a CAMEO code.
/// See [`Ontology::plover_for_cameo`].
pub fn plover_for_cameo(code: &str) -> Option<&'static PloverMapping> {
    Ontology::get().plover_for_cameo(code)
}

/// The three-letter actor type `code`. See [`Ontology::actor_type`].
pub fn actor_type(code: &str) -> Option<&'static ActorType> {
    Ontology::get().actor_type(code)
}

/// Splits an actor code into country and parts.
/// See [`Ontology::split_actor_code`].
pub fn split_actor_code(code: &str) -> Option<ActorCodeParts<'_>> {
    Ontology::get().split_actor_code(code)
}

/// The country with this code. See [`Ontology::country`].
pub fn country(code: &str) -> Option<&'static Country> {
    Ontology::get().country(code)
}

/// The country with this name or alias. See [`Ontology::country_by_name`].
pub fn country_by_name(name: &str) -> Option<&'static Country> {
    Ontology::get().country_by_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ont() -> &'static Ontology {
        Ontology::try_get().unwrap()
    }

    #[test]
    fn public_types_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Ontology>();
        check::<CameoEvent>();
        check::<PloverMapping>();
        check::<PloverType>();
        check::<Country>();
        check::<ActorType>();
        check::<ActorCodeParts<'static>>();
        check::<DataError>();
    }

    #[test]
    fn code_counts() {
        let o = ont();
        let count = |n: usize| {
            o.cameo_events()
                .iter()
                .filter(|e| e.code.len() == n)
                .count()
        };
        assert_eq!(o.cameo_events().len(), 318);
        assert_eq!(count(2), 20);
        assert_eq!(count(3), 149);
        assert_eq!(count(4), 149);
        let inherited = o
            .cameo_events()
            .iter()
            .filter(|e| e.goldstein_source == GoldsteinSource::Inherited)
            .count();
        assert_eq!(inherited, 39);
    }

    #[test]
    fn every_root_has_its_quad_class() {
        let roots: Vec<_> = ont().cameo_roots().collect();
        assert_eq!(roots.len(), 20);
        for (i, r) in roots.iter().enumerate() {
            let n = i as u8 + 1;
            assert_eq!(r.code, format!("{n:02}"));
            assert_eq!(r.root_number(), n);
            let want = match n {
                1..=5 => 1,
                6..=8 => 2,
                9..=13 => 3,
                _ => 4,
            };
            assert_eq!(r.quad_class.number(), want, "root {}", r.code);
        }
    }

    #[test]
    fn children_share_root_and_quad_class() {
        let o = ont();
        for e in o.cameo_events() {
            let root = o.cameo_event(e.root).unwrap();
            assert_eq!(e.quad_class, root.quad_class, "{}", e.code);
            assert!(e.code.starts_with(e.root));
            if let Some(p) = e.parent_code() {
                assert!(o.cameo_event(p).is_some(), "{} has no parent", e.code);
            }
        }
        // Every 3-digit code with 4-digit children has them numbered from 1.
        for e in o
            .cameo_events()
            .iter()
            .filter(|e| e.level() == CodeLevel::Base)
        {
            let kids: Vec<_> = o.cameo_children(e.code).collect();
            for (i, k) in kids.iter().enumerate() {
                assert_eq!(k.code, format!("{}{}", e.code, i + 1), "under {}", e.code);
            }
        }
    }

    #[test]
    fn known_facts() {
        let e = cameo_event("0231").unwrap();
        assert_eq!((e.name, e.goldstein), ("Appeal for economic aid", 3.4));
        assert_eq!(e.quad_class, QuadClass::VerbalCooperation);
        assert_eq!(quad_class("190"), Some(QuadClass::MaterialConflict));
        assert_eq!(quad_class("036"), Some(QuadClass::VerbalCooperation));
        assert_eq!(quad_class("0874"), Some(QuadClass::MaterialCooperation));
        assert_eq!(quad_class("094"), Some(QuadClass::VerbalConflict));
        assert_eq!(goldstein("0874"), Some(10.0));
        assert_eq!(goldstein("130"), Some(-4.4));
        assert_eq!(goldstein("13"), Some(-6.0));
        assert_eq!(
            cameo_event("20").unwrap().name,
            "USE UNCONVENTIONAL MASS VIOLENCE"
        );
        assert_eq!(cameo_event("1823").unwrap().goldstein, -10.0);
        assert_eq!(cameo_root("1823").unwrap().name, "ASSAULT");
        let e = cameo_event("1952").unwrap();
        assert_eq!(e.goldstein_source, GoldsteinSource::Inherited);
        assert_eq!(e.goldstein, -10.0);
    }

    #[test]
    fn non_cameo_codes_give_none() {
        for bad in [
            "", "---", "0", "00", "000", "21", "903", "047", "1010", "0110", "109", "10000", "19a",
            " 190", "190 ", "-19", "42",
        ] {
            assert!(cameo_event(bad).is_none(), "{bad:?}");
            assert!(resolve_cameo(bad).is_none(), "{bad:?}");
            assert!(quad_class(bad).is_none(), "{bad:?}");
            assert!(goldstein(bad).is_none(), "{bad:?}");
            assert!(cameo_root(bad).is_none(), "{bad:?}");
            assert!(plover_for_cameo(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn undefined_sub_codes_fall_back_to_parent() {
        assert!(cameo_event("0257").is_none());
        assert_eq!(resolve_cameo("0257").unwrap().code, "025");
        assert_eq!(quad_class("0257"), Some(QuadClass::VerbalCooperation));
        assert_eq!(goldstein("1959"), Some(-10.0));
        assert_eq!(cameo_root("1959").unwrap().code, "19");
        assert_eq!(plover_for_cameo("1959").unwrap().cameo_code, "195");
        // A 3-digit code with no 4-digit children still resolves sub codes.
        assert_eq!(resolve_cameo("0421").unwrap().code, "042");
        // GDELT scores 1641, which CAMEO 1.1b3 lacks: it resolves to 164.
        assert!(cameo_event("1641").is_none());
        assert_eq!(resolve_cameo("1641").unwrap().code, "164");
    }

    #[test]
    fn mapping_covers_every_code_of_roots_03_to_20() {
        let o = ont();
        for e in o.cameo_events() {
            let m = o.plover_for_cameo(e.code);
            if e.root_number() <= 2 {
                assert!(m.is_none(), "{} should be dropped", e.code);
            } else {
                let m = m.unwrap_or_else(|| panic!("{} has no mapping", e.code));
                assert_eq!(m.cameo_code, e.code, "{} maps only via fallback", e.code);
            }
        }
        // Roots 01 and 02 hold 11 + 28 codes.
        assert_eq!(o.plover_mappings().len(), 318 - 39);
    }

    #[test]
    fn mapping_facts() {
        let m = plover_for_cameo("0874").unwrap();
        assert_eq!(
            (m.event_type, m.mode),
            (PloverEventType::Retreat, Some("disarm"))
        );
        assert_eq!(m.contexts, ["military"]);
        let m = plover_for_cameo("1121").unwrap();
        assert_eq!(m.event_type, PloverEventType::Accuse);
        assert_eq!(m.contexts, ["crime", "corruption"]);
        assert_eq!(
            plover_for_cameo("191").unwrap().event_type,
            PloverEventType::Coerce
        );
        let m = plover_for_cameo("1952").unwrap();
        assert_eq!((m.mode, m.basis), (Some("drone"), MappingBasis::Added));
        assert!(plover_for_cameo("0231").is_none());
        // Every mode used is one the manual defines for that type.
        for m in Ontology::get().plover_mappings() {
            if let Some(mode) = m.mode {
                assert!(m.event_type.mode(mode).is_some(), "{}", m.cameo_code);
            }
        }
    }

    #[test]
    fn actor_facts() {
        assert_eq!(actor_type("GOV").unwrap().kind, ActorKind::Primary);
        assert_eq!(actor_type("MED").unwrap().kind, ActorKind::Secondary);
        assert_eq!(actor_type("RAD").unwrap().kind, ActorKind::Tertiary);
        assert_eq!(actor_type("PTY").unwrap().kind, ActorKind::Party);
        assert_eq!(actor_type("IGO").unwrap().kind, ActorKind::International);
        assert_eq!(actor_type("MEA").unwrap().name, "Middle East");
        assert_eq!(actor_type("MOS").unwrap().kind, ActorKind::Religion);
        for code in [
            "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "PTY", "REB", "SPY", "MED", "EDU", "BUS",
            "CRM", "CVL", "REF", "LAB", "REL", "HLH", "IGO", "NGO", "IMG", "INS", "SEP", "UAF",
            "ELI", "AGR", "DEV", "ENV", "HRI", "MOD", "RAD", "UIS", "NGM", "MNC", "INT",
        ] {
            assert!(actor_type(code).is_some(), "{code}");
        }
        assert!(actor_type("gov").is_none());
        assert!(actor_type("USAGOV").is_none());
        assert!(actor_type("").is_none());
    }

    #[test]
    fn actor_codes_split() {
        let p = split_actor_code("USAGOVMIL").unwrap();
        assert_eq!(p.country.map(|c| c.code), Some("USA"));
        let types: Vec<_> = p.types().map(|t| t.code).collect();
        assert_eq!(types, ["GOV", "MIL"]);
        let p = split_actor_code("USAGUMGOV").unwrap();
        assert_eq!(p.country.map(|c| c.code), Some("USAGUM"));
        let p = split_actor_code("IGOUNOREFHCR").unwrap();
        assert_eq!(p.country, None);
        assert_eq!(
            p.parts,
            [
                ActorCodePart::Type(actor_type("IGO").unwrap()),
                ActorCodePart::Other("UNO"),
                ActorCodePart::Type(actor_type("REF").unwrap()),
                ActorCodePart::Other("HCR"),
            ]
        );
        let p = split_actor_code("DEU").unwrap();
        assert_eq!(
            (p.country.map(|c| c.name), p.parts.len()),
            (Some("Germany"), 0)
        );
        for bad in ["", "---", "USAGO", "usagov", "USA GOV", "ÄÖÜ"] {
            assert_eq!(split_actor_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn country_facts() {
        assert_eq!(country("DEU").unwrap().name, "Germany");
        assert_eq!(country("USA").unwrap().name, "United States");
        assert_eq!(country("USAGUM").unwrap().name, "Guam");
        assert_eq!(country("TMP").unwrap().name, "Timor-Leste");
        assert_eq!(country("TLS").unwrap().name, "Timor-Leste");
        assert!(country("XXX").is_none());
        assert!(country("---").is_none());
        assert!(country("deu").is_none());
        assert_eq!(country_by_name("russia").unwrap().code, "RUS");
        // A territory named like its ISO entry in countries.dyad is found
        // under the code CAMEO coding uses.
        assert_eq!(country_by_name("Guam").unwrap().code, "USAGUM");
        assert_eq!(country_by_name("east timor").unwrap().code, "TMP");
        assert_eq!(country_by_name(" Isle Of Man ").unwrap().code, "GBRIMY");
        assert!(country_by_name("Atlantis").is_none());
        assert!(ont().countries().windows(2).all(|w| w[0].code < w[1].code));
    }
}
