//! The Phoenix data set's tab-separated event format.

use std::io::{self, Write};

use dyad_ontology::ActorKind;

use super::{
    clean_field, goldstein_text, issues_text, write_tsv_row, ActorParts, CodeFacts, EventRecord,
    EventWriter,
};

/// The 26 Phoenix columns, in order.
pub const PHOENIX_COLUMNS: [&str; 26] = [
    "EventID",
    "Date",
    "Year",
    "Month",
    "Day",
    "SourceActorFull",
    "SourceActorEntity",
    "SourceActorRole",
    "SourceActorAttribute",
    "TargetActorFull",
    "TargetActorEntity",
    "TargetActorRole",
    "TargetActorAttribute",
    "EventCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScore",
    "Issues",
    "Lat",
    "Lon",
    "LocationName",
    "StateName",
    "CountryCode",
    "SentenceID",
    "URLs",
    "NewsSources",
];

/// Writes the Phoenix data set's 26 tab-separated columns ([`PHOENIX_COLUMNS`]), one line
/// per event, no header, as the Open Event Data Alliance's `phoenix_pipeline` wrote them.
///
/// | column | value |
/// |---|---|
/// | EventID | [`EventRecord::event_id`] (Phoenix used a running integer; dyad's id is stable across runs) |
/// | Date, Year, Month, Day | `YYYYMMDD`, `YYYY`, `MM`, `DD` of the event's (else article's) date; empty when unknown |
/// | SourceActorFull | the full source actor code, empty when none |
/// | SourceActorEntity | its country code, or its first part when that is an international type (IGO, NGO, IMG, MNC, ...) |
/// | SourceActorRole | the next part when it is a role (primary or secondary type such as GOV, MIL, REB, OPP, PTY, MED, BUS) |
/// | SourceActorAttribute | the remaining three-letter parts, `;`-joined |
/// | Target... | the same for the target |
/// | EventCode, EventRootCode | CAMEO code and its two-digit root |
/// | QuadClass | 1–4 as the CAMEO root gives it, except 0 for roots 01 and 02, as Phoenix wrote them; empty for non-CAMEO codes |
/// | GoldsteinScore | Goldstein value with one decimal; empty for non-CAMEO codes |
/// | Issues | `CODE,count;CODE,count` |
/// | Lat, Lon, LocationName, StateName, CountryCode | empty: dyad does not geolocate |
/// | SentenceID | [`EventRecord::sentence_id`] |
/// | URLs | the article URL |
/// | NewsSources | the article source |
///
/// Tabs and line breaks inside fields become spaces.
#[derive(Debug)]
pub struct PhoenixWriter<W> {
    out: W,
}

impl<W: Write> PhoenixWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> PhoenixWriter<W> {
        PhoenixWriter { out }
    }

    /// The output.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// Full code, entity, role, attributes.
fn actor_columns(code: &str) -> [String; 4] {
    let p = ActorParts::of(code);
    let mut parts = p.parts.iter().zip(&p.kinds).peekable();
    let entity = match (&p.country, parts.peek()) {
        (Some(c), _) => Some(c.clone()),
        (None, Some((part, Some(ActorKind::International)))) => {
            let e = part.to_string();
            parts.next();
            Some(e)
        }
        _ => None,
    };
    let role = match parts.peek() {
        Some((part, Some(ActorKind::Primary | ActorKind::Secondary | ActorKind::Party))) => {
            let r = part.to_string();
            parts.next();
            Some(r)
        }
        _ => None,
    };
    let rest: Vec<&str> = parts.map(|(part, _)| part.as_str()).collect();
    [
        clean_field(p.code.as_deref().unwrap_or_default()),
        entity.unwrap_or_default(),
        role.unwrap_or_default(),
        rest.join(";"),
    ]
}

impl<W: Write> EventWriter for PhoenixWriter<W> {
    fn write(&mut self, r: &EventRecord<'_>) -> io::Result<()> {
        let e = r.event;
        let facts = CodeFacts::of(&e.code);
        let date = r.date();
        let mut cols: Vec<String> = Vec::with_capacity(PHOENIX_COLUMNS.len());
        cols.push(clean_field(&r.event_id));
        match date {
            Some(d) => {
                cols.push(d.to_yyyymmdd());
                cols.push(format!("{:04}", d.year()));
                cols.push(format!("{:02}", d.month()));
                cols.push(format!("{:02}", d.day()));
            }
            None => cols.extend(std::iter::repeat(String::new()).take(4)),
        }
        cols.extend(actor_columns(&e.source.code));
        cols.extend(actor_columns(&e.target.code));
        cols.push(clean_field(&e.code));
        cols.push(facts.root.unwrap_or_default().to_string());
        let quad = match (facts.root, facts.quad_class) {
            (Some("01" | "02"), Some(_)) => "0".to_string(),
            (_, Some(q)) => q.to_string(),
            _ => String::new(),
        };
        cols.push(quad);
        cols.push(goldstein_text(facts.goldstein));
        cols.push(issues_text(e));
        cols.extend(std::iter::repeat(String::new()).take(5));
        cols.push(clean_field(&r.sentence_id));
        cols.push(clean_field(r.article.url.as_deref().unwrap_or_default()));
        cols.push(clean_field(r.article.source.as_deref().unwrap_or_default()));
        debug_assert_eq!(cols.len(), PHOENIX_COLUMNS.len());
        write_tsv_row(&mut self.out, &cols)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::actor_columns;

    #[test]
    fn actors_split_into_entity_role_attributes() {
        assert_eq!(
            actor_columns("USAGOVMIL"),
            ["USAGOVMIL", "USA", "GOV", "MIL"]
        );
        assert_eq!(
            actor_columns("IGOUNOREF"),
            ["IGOUNOREF", "IGO", "", "UNO;REF"]
        );
        assert_eq!(actor_columns("NGOMED"), ["NGOMED", "NGO", "MED", ""]);
        assert_eq!(actor_columns("CHN"), ["CHN", "CHN", "", ""]);
        assert_eq!(actor_columns("---"), ["", "", "", ""]);
        assert_eq!(actor_columns(""), ["", "", "", ""]);
    }
}
