//! PLOVER: event types, modes, contexts, auxiliary modes, and the
//! mapping from CAMEO codes.
//!
//! PLOVER keeps one level of event type (16 of them) and moves the detail
//! of CAMEO's 3- and 4-digit codes into a *mode* (how, specific to each
//! type) and *contexts* (why or about what, shared by all types). The
//! descriptions here are the project's short summaries of the PLOVER
//! manual (draft 0.8, 2021).

use std::fmt;

use crate::cameo::{CameoEvent, QuadClass};
use crate::error::DataError;
use crate::tsv;

pub(crate) const MAPPING_FILE: &str = "cameo-plover.tsv";
pub(crate) const MAPPING_TSV: &str = include_str!("../data/cameo-plover.tsv");

/// The 16 PLOVER event types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PloverEventType {
    /// AGREE
    Agree,
    /// CONSULT
    Consult,
    /// SUPPORT
    Support,
    /// CONCEDE
    Concede,
    /// COOPERATE
    Cooperate,
    /// AID
    Aid,
    /// RETREAT
    Retreat,
    /// REQUEST
    Request,
    /// ACCUSE
    Accuse,
    /// REJECT
    Reject,
    /// THREATEN
    Threaten,
    /// PROTEST
    Protest,
    /// SANCTION
    Sanction,
    /// MOBILIZE
    Mobilize,
    /// COERCE
    Coerce,
    /// ASSAULT
    Assault,
}

impl PloverEventType {
    /// All types in the manual's order (cooperation to conflict).
    pub const ALL: [PloverEventType; 16] = [
        PloverEventType::Agree,
        PloverEventType::Consult,
        PloverEventType::Support,
        PloverEventType::Concede,
        PloverEventType::Cooperate,
        PloverEventType::Aid,
        PloverEventType::Retreat,
        PloverEventType::Request,
        PloverEventType::Accuse,
        PloverEventType::Reject,
        PloverEventType::Threaten,
        PloverEventType::Protest,
        PloverEventType::Sanction,
        PloverEventType::Mobilize,
        PloverEventType::Coerce,
        PloverEventType::Assault,
    ];

    /// The type's details (definition, modes, quad class).
    pub fn info(self) -> &'static PloverType {
        // PLOVER_TYPES lists the types in the order of `ALL`, which is
        // the declaration order; a test checks it.
        &PLOVER_TYPES[self as usize]
    }

    /// The upper-case name PLOVER uses, e.g. `"AGREE"`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The type named `name` (upper case, as PLOVER writes it).
    pub fn from_name(name: &str) -> Option<PloverEventType> {
        PLOVER_TYPES
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.event_type)
    }

    /// The quad class the PLOVER manual assigns to the type.
    pub fn quad_class(self) -> QuadClass {
        self.info().quad_class
    }

    /// The mode of this type called `name`, if the manual defines one.
    pub fn mode(self, name: &str) -> Option<&'static PloverMode> {
        self.info().modes.iter().find(|m| m.name == name)
    }
}

impl fmt::Display for PloverEventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A mode: the "how" of an event, defined per event type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PloverMode {
    /// Lower-case name as written in PLOVER records, e.g. `"visit"`.
    pub name: &'static str,
    /// A short description.
    pub description: &'static str,
}

/// One PLOVER event type with its definition and modes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PloverType {
    /// The type.
    pub event_type: PloverEventType,
    /// Upper-case name, e.g. `"ASSAULT"`.
    pub name: &'static str,
    /// A one-line summary of the definition.
    pub definition: &'static str,
    /// Quad class given by the manual.
    pub quad_class: QuadClass,
    /// Whether the manual requires a recipient for this type.
    pub requires_recipient: bool,
    /// The modes the manual defines for the type (possibly none).
    pub modes: &'static [PloverMode],
}

/// A context: the "why" or subject of an event, usable with any type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PloverContext {
    /// Name as written in PLOVER records, e.g. `"human_rights"`.
    pub name: &'static str,
    /// A short description.
    pub description: &'static str,
}

/// PLOVER's auxiliary modes: whether a reported event is real and
/// current. The manual defines exactly these four (and notes that no
/// project has fully implemented them); it defines no mode for
/// standing, ongoing relationships.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuxiliaryMode {
    /// The event lies in the past ("during the decolonization struggle").
    Historical,
    /// The event is announced for the future ("will meet next month").
    Future,
    /// The event is conditional ("if forces were to cross the border").
    Hypothetical,
    /// The event is denied ("fighting has not re-emerged"); such events
    /// can be dropped.
    Negation,
}

impl AuxiliaryMode {
    /// All four auxiliary modes.
    pub const ALL: [AuxiliaryMode; 4] = [
        AuxiliaryMode::Historical,
        AuxiliaryMode::Future,
        AuxiliaryMode::Hypothetical,
        AuxiliaryMode::Negation,
    ];

    /// Lower-case name as written in PLOVER records.
    pub fn name(self) -> &'static str {
        match self {
            AuxiliaryMode::Historical => "historical",
            AuxiliaryMode::Future => "future",
            AuxiliaryMode::Hypothetical => "hypothetical",
            AuxiliaryMode::Negation => "negation",
        }
    }

    /// The auxiliary mode called `name`.
    pub fn from_name(name: &str) -> Option<AuxiliaryMode> {
        AuxiliaryMode::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl fmt::Display for AuxiliaryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

const fn m(name: &'static str, description: &'static str) -> PloverMode {
    PloverMode { name, description }
}

const fn t(
    event_type: PloverEventType,
    name: &'static str,
    definition: &'static str,
    quad_class: QuadClass,
    requires_recipient: bool,
    modes: &'static [PloverMode],
) -> PloverType {
    PloverType {
        event_type,
        name,
        definition,
        quad_class,
        requires_recipient,
        modes,
    }
}

use PloverEventType as P;
use QuadClass::{MaterialConflict, MaterialCooperation, VerbalConflict, VerbalCooperation};

/// The 16 types, in the order of [`PloverEventType::ALL`].
static PLOVER_TYPES: [PloverType; 16] = [
    t(
        P::Agree,
        "AGREE",
        "Promise, offer or agree to cooperate later; future-tense cooperation",
        VerbalCooperation,
        false,
        &[],
    ),
    t(
        P::Consult,
        "CONSULT",
        "Meet, visit, host, talk or negotiate, in person or remotely",
        VerbalCooperation,
        false,
        &[
            m("visit", "the actor visits, the recipient hosts"),
            m("third-party", "a third party hosts the meeting"),
            m(
                "multilateral",
                "meeting within an alliance or international body",
            ),
            m("phone", "by telephone or another remote medium"),
        ],
    ),
    t(
        P::Support,
        "SUPPORT",
        "Verbal, diplomatic support: praise, endorse, recognize, sign or ratify",
        VerbalCooperation,
        false,
        &[],
    ),
    t(
        P::Concede,
        "CONCEDE",
        "Verbal concession without immediate material effect",
        VerbalCooperation,
        false,
        &[],
    ),
    t(
        P::Cooperate,
        "COOPERATE",
        "Start or expand mutual material cooperation or exchange",
        MaterialCooperation,
        true,
        &[],
    ),
    t(
        P::Aid,
        "AID",
        "Provide material aid that mainly benefits the recipient, or asylum",
        MaterialCooperation,
        true,
        &[],
    ),
    t(
        P::Retreat,
        "RETREAT",
        "Concession with immediate material effect: release, withdraw, disarm, resign",
        MaterialCooperation,
        false,
        &[
            m("withdraw", "pull back from territory or an area"),
            m("release", "free captives"),
            m("disarm", "lay down or give up weapons"),
            m("ceasefire", "put a ceasefire into effect"),
            m("access", "let observers, peacekeepers or aid workers in"),
            m("resign", "an official steps down"),
        ],
    ),
    t(
        P::Request,
        "REQUEST",
        "Ask for, demand or order something, verbally",
        VerbalConflict,
        false,
        &[
            m("assist", "exchange, relations or assistance"),
            m("change", "change of policy, government or institutions"),
            m(
                "yield",
                "release prisoners, lift sanctions or curfews, cease fire",
            ),
            m("meet", "meetings and negotiations"),
        ],
    ),
    t(
        P::Accuse,
        "ACCUSE",
        "Disapprove, criticize, accuse, sue or investigate",
        VerbalConflict,
        false,
        &[
            m("disapprove", "disapprove, condemn, complain"),
            m("investigate", "investigation of any kind"),
            m("allege", "accuse, charge, sue, indict or try"),
        ],
    ),
    t(
        P::Reject,
        "REJECT",
        "Reject or refuse",
        VerbalConflict,
        false,
        &[
            m("assist", "exchange, relations or assistance"),
            m("change", "change of policy, government or institutions"),
            m(
                "yield",
                "release prisoners, lift sanctions or curfews, cease fire",
            ),
            m("meet", "meetings and negotiations"),
        ],
    ),
    t(
        P::Threaten,
        "THREATEN",
        "Threaten or warn of serious consequences; the mode is what is threatened",
        VerbalConflict,
        false,
        &[
            m(
                "restrict",
                "restrict movement or goods, ban political activity",
            ),
            m("arrest", "arrest, detain or imprison"),
            m("relations", "suspend relations, talks or negotiations"),
            m("expel", "expel diplomats, peacekeepers or NGOs"),
            m("territory", "seize or occupy territory"),
            m("violence", "use violence"),
        ],
    ),
    t(
        P::Protest,
        "PROTEST",
        "Collective civilian protest against the recipient",
        MaterialConflict,
        false,
        &[
            m("demo", "organized, largely peaceful demonstration"),
            m("riot", "violent riot"),
            m("strike", "workers walk out"),
            m("hunger", "hunger strike"),
            m("boycott", "withdraw commercial or social relations"),
            m("obstruct", "block passage or access"),
            m("vandalize", "damage property as a symbolic act"),
        ],
    ),
    t(
        P::Sanction,
        "SANCTION",
        "Reduce existing or routine relations (CAMEO's reduce relations)",
        MaterialConflict,
        true,
        &[
            m("convict", "found guilty or liable by a court"),
            m("expel", "expel from a group, party or country"),
            m("withdraw", "withdraw oneself or non-military resources"),
            m(
                "discontinue",
                "cut or end exchanges, including international sanctions",
            ),
        ],
    ),
    t(
        P::Mobilize,
        "MOBILIZE",
        "Military or police moves short of using force",
        MaterialConflict,
        false,
        &[
            m("troops", "mobilize armed personnel or units"),
            m("weapons", "raise readiness of weapons systems"),
            m("police", "mobilize police or security units"),
            m("militia", "mobilize a non-state armed group"),
        ],
    ),
    t(
        P::Coerce,
        "COERCE",
        "Repression and coercion falling short of violence",
        MaterialConflict,
        false,
        &[
            m("seize", "search, confiscate, raid"),
            m(
                "restrict",
                "restrict political freedoms or movement, ban from politics",
            ),
            m("censor", "censor or restrict information"),
            m("curfew", "impose a curfew"),
            m("martial-law", "impose a state of emergency or martial law"),
            m("arrest", "arrest or detain"),
            m("deport", "expel or deport individuals"),
            m("withhold", "withhold public goods or services"),
            m("misinformation", "deceive or spread misinformation"),
            m("cyber", "cyber attack or cyber crime"),
        ],
    ),
    t(
        P::Assault,
        "ASSAULT",
        "Deliberate action that can cause substantial physical harm",
        MaterialConflict,
        false,
        &[
            m("abduct", "abduct, kidnap, hijack"),
            m("beat", "physical assault by blows"),
            m("torture", "torture"),
            m("sexual", "sexual violence"),
            m(
                "targeted",
                "targeted killing, assassination, execution, massacre",
            ),
            m("destroy", "intentional destruction of property"),
            m(
                "primitive",
                "fire, blades, rocks and other primitive weapons",
            ),
            m("firearms", "rifles, pistols, light machine guns"),
            m("explosives", "mines, IEDs, car bombs and other explosives"),
            m("suicide-attack", "suicide attack"),
            m("aerial", "manned aircraft"),
            m("drone", "unmanned aerial vehicles"),
            m("heavy-weapons", "artillery, rockets, armor"),
            m("crowd-control", "less-lethal crowd control"),
            m(
                "unconventional",
                "chemical, biological, radiological or nuclear",
            ),
        ],
    ),
];

const fn c(name: &'static str, description: &'static str) -> PloverContext {
    PloverContext { name, description }
}

/// The general contexts of the PLOVER manual.
static PLOVER_CONTEXTS: [PloverContext; 37] = [
    c("military", "state military forces"),
    c("intelligence", "state intelligence agencies"),
    c("executive", "executives, their agencies and families"),
    c("legislative", "legislatures and coalition making"),
    c("election", "elections and campaigns"),
    c(
        "political_institutions",
        "changes in formal political bodies and parties",
    ),
    c("pro_democracy", "democratization"),
    c("pro_autocracy", "autocratization"),
    c("economic", "economy, trade, finance"),
    c("legal", "courts, judiciary and law"),
    c("reparations", "compensation for past harm"),
    c("human_rights", "human rights in general"),
    c("rights_freedoms", "political rights and civil liberties"),
    c("repression", "forceful repression by security forces"),
    c("human_security", "water, food, housing, energy, land"),
    c("gender", "gender and women's issues"),
    c("lgbt", "LGBTQ issues"),
    c(
        "religion_ethnicity",
        "religious, ethnic, caste or language issues",
    ),
    c("inequality", "unequal distribution of resources"),
    c("diplomatic", "diplomacy, international or domestic"),
    c("territory", "territorial disputes and forced displacement"),
    c("peacekeeping", "peacekeeping operations"),
    c("health", "public health and disease"),
    c("asylum", "seeking or granting asylum"),
    c("migration", "migrants, refugees, displaced people"),
    c("disasters", "natural and man-made disasters"),
    c("natural_resource", "natural resource extraction and trade"),
    c("environment", "pollution and environmental policy"),
    c("technology", "technology and high-tech industry"),
    c("terrorism", "terrorist groups and counter-terrorism"),
    c(
        "cbrn",
        "chemical, biological, radiological, nuclear weapons",
    ),
    c("cyber", "cyber attacks and crime"),
    c("misinformation", "misinformation and influence operations"),
    c("crime", "crime and criminals in general"),
    c("corruption", "abuse of public office"),
    c("illegal_drugs", "illegal drugs"),
    c("trafficking", "smuggling of people, drugs or goods"),
];

/// All PLOVER event types, in the manual's order.
pub fn plover_types() -> &'static [PloverType] {
    &PLOVER_TYPES
}

/// All general contexts of the PLOVER manual.
pub fn plover_contexts() -> &'static [PloverContext] {
    &PLOVER_CONTEXTS
}

/// The context called `name`.
pub fn plover_context(name: &str) -> Option<&'static PloverContext> {
    PLOVER_CONTEXTS.iter().find(|c| c.name == name)
}

/// How a row of the CAMEO→PLOVER mapping relates to the PLOVER
/// project's 2021 conversion table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MappingBasis {
    /// As in the 2021 table.
    Table,
    /// The 2021 table, with a mode or context renamed to the manual's
    /// vocabulary (or dropped when the manual has no equivalent).
    Normalized,
    /// The CAMEO code is missing from the 2021 table; mapped by the project.
    Added,
    /// The project departs from the 2021 table (see the note).
    Departs,
}

/// The PLOVER counterpart of one CAMEO code.
#[derive(Clone, Debug, PartialEq)]
pub struct PloverMapping {
    /// The CAMEO code of the mapping row (a fallback lookup may return
    /// the row of the requested code's parent).
    pub cameo_code: &'static str,
    /// The PLOVER event type.
    pub event_type: PloverEventType,
    /// The mode, one defined for `event_type` by the manual, if any.
    pub mode: Option<&'static str>,
    /// Contexts implied by the CAMEO code (often none).
    pub contexts: Vec<&'static str>,
    /// Relation to the 2021 conversion table.
    pub basis: MappingBasis,
    /// The project's reason, for rows that are not [`MappingBasis::Table`].
    pub note: Option<&'static str>,
}

/// Reads the embedded mapping and checks it against `events`.
pub(crate) fn load_mapping(events: &[CameoEvent]) -> Result<Vec<PloverMapping>, DataError> {
    parse_mapping(MAPPING_FILE, MAPPING_TSV, events)
}

pub(crate) fn parse_mapping(
    file: &'static str,
    text: &'static str,
    events: &[CameoEvent],
) -> Result<Vec<PloverMapping>, DataError> {
    let mut out: Vec<PloverMapping> = Vec::new();
    for row in tsv::rows(file, text, 5, 6)? {
        let err = |reason: String| DataError::new(file, row.line, reason);
        let code = row.get(0);
        if events.binary_search_by(|e| e.code.cmp(code)).is_err() {
            return Err(err(format!("{code:?} is not in the CAMEO event table")));
        }
        if let Some(prev) = out.last() {
            if prev.cameo_code >= code {
                return Err(err(format!(
                    "code {code} is out of order (after {})",
                    prev.cameo_code
                )));
            }
        }
        let event_type = PloverEventType::from_name(row.get(1))
            .ok_or_else(|| err(format!("{:?} is not a PLOVER event type", row.get(1))))?;
        let mode = row.opt(2);
        if let Some(mode) = mode {
            if event_type.mode(mode).is_none() {
                return Err(err(format!("{mode:?} is not a mode of {event_type}")));
            }
        }
        let mut contexts = Vec::new();
        for ctx in row.opt(3).into_iter().flat_map(|s| s.split(';')) {
            if plover_context(ctx).is_none() {
                return Err(err(format!("{ctx:?} is not a PLOVER context")));
            }
            contexts.push(ctx);
        }
        let basis = match row.get(4) {
            "T" => MappingBasis::Table,
            "N" => MappingBasis::Normalized,
            "A" => MappingBasis::Added,
            "D" => MappingBasis::Departs,
            other => return Err(err(format!("basis {other:?} is not T, N, A or D"))),
        };
        let note = row.opt(5);
        if basis != MappingBasis::Table && note.is_none() {
            return Err(err(format!("basis {} needs a note", row.get(4))));
        }
        out.push(PloverMapping {
            cameo_code: code,
            event_type,
            mode,
            contexts,
            basis,
            note,
        });
    }
    Ok(out)
}

/// Finds the mapping row for `event`, falling back to its ancestors.
pub(crate) fn find_mapping<'a>(
    mappings: &'a [PloverMapping],
    event: &CameoEvent,
) -> Option<&'a PloverMapping> {
    let code = event.code;
    [Some(code), code.get(..3).filter(|_| code.len() == 4)]
        .into_iter()
        .flatten()
        .find_map(|c| {
            mappings
                .binary_search_by(|m| m.cameo_code.cmp(c))
                .ok()
                .and_then(|i| mappings.get(i))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_in_declaration_order() {
        assert_eq!(PLOVER_TYPES.len(), PloverEventType::ALL.len());
        for (i, t) in PloverEventType::ALL.into_iter().enumerate() {
            assert_eq!(t as usize, i);
            assert_eq!(PLOVER_TYPES[i].event_type, t);
            assert_eq!(PloverEventType::from_name(t.name()), Some(t));
            assert_eq!(t.to_string(), t.name());
        }
        assert_eq!(PloverEventType::from_name("agree"), None);
        assert_eq!(PloverEventType::from_name("CRIME"), None);
    }

    #[test]
    fn names_are_unique() {
        let mut ctx: Vec<_> = plover_contexts().iter().map(|c| c.name).collect();
        assert_eq!(ctx.len(), 37);
        ctx.sort_unstable();
        ctx.dedup();
        assert_eq!(ctx.len(), 37);
        for t in plover_types() {
            let mut modes: Vec<_> = t.modes.iter().map(|m| m.name).collect();
            let n = modes.len();
            modes.sort_unstable();
            modes.dedup();
            assert_eq!(modes.len(), n, "{}", t.name);
        }
    }

    #[test]
    fn known_type_facts() {
        assert_eq!(P::Consult.quad_class(), VerbalCooperation);
        assert_eq!(P::Retreat.quad_class(), MaterialCooperation);
        assert_eq!(P::Accuse.quad_class(), VerbalConflict);
        assert_eq!(P::Sanction.quad_class(), MaterialConflict);
        assert!(P::Aid.info().requires_recipient);
        assert!(!P::Assault.info().requires_recipient);
        assert!(P::Consult.mode("visit").is_some());
        assert!(P::Consult.mode("riot").is_none());
        assert_eq!(P::Agree.info().modes.len(), 0);
        let per_quad = |q| plover_types().iter().filter(|t| t.quad_class == q).count();
        assert_eq!(QuadClass::ALL.map(per_quad), [4, 3, 4, 5], "quad sizes");
    }

    #[test]
    fn auxiliary_modes_round_trip() {
        for a in AuxiliaryMode::ALL {
            assert_eq!(AuxiliaryMode::from_name(a.name()), Some(a));
        }
        assert_eq!(AuxiliaryMode::from_name("ongoing"), None);
    }

    #[test]
    fn parser_reports_bad_rows() {
        let events = crate::cameo::load_events().unwrap();
        let cases = [
            ("1999\tASSAULT\t-\t-\tT\n", "not in the CAMEO event table"),
            ("190\tFIGHT\t-\t-\tT\n", "not a PLOVER event type"),
            ("190\tASSAULT\tvisit\t-\tT\n", "not a mode of ASSAULT"),
            (
                "190\tASSAULT\t-\tmilitary;wars\tT\n",
                "\"wars\" is not a PLOVER context",
            ),
            ("190\tASSAULT\t-\t-\tX\n", "not T, N, A or D"),
            ("190\tASSAULT\t-\t-\tD\n", "needs a note"),
            (
                "191\tCOERCE\t-\t-\tT\n190\tASSAULT\t-\t-\tT\n",
                "out of order",
            ),
        ];
        for (text, what) in cases {
            let e = parse_mapping("t.tsv", text, &events).err().unwrap();
            assert!(e.reason.contains(what), "{text:?}: {e}");
            assert!(e.to_string().starts_with("t.tsv:"), "{e}");
        }
    }
}
