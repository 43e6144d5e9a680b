//! The GDELT 2.0 event table format.

use std::io::{self, Write};

use dyad_ontology::ActorKind;

use super::{
    clean_field, goldstein_text, write_tsv_row, ActorParts, CodeFacts, EventRecord, EventWriter,
};

/// The 61 columns of the GDELT 2.0 event table, in order.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_Fullname",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_Fullname",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_Fullname",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// Writes the GDELT 2.0 event table's 61 tab-separated columns ([`GDELT_COLUMNS`]), one
/// line per event, no header. A column dyad has no value for is empty.
///
/// | columns | value |
/// |---|---|
/// | GlobalEventID | [`EventRecord::event_id`] (a string, where GDELT has an integer) |
/// | Day, MonthYear, Year | `YYYYMMDD`, `YYYYMM`, `YYYY` of the event's (else article's) date |
/// | FractionDate | `YYYY.FFFF` with FFFF = (month × 30 + day) / 365, as GDELT computes it |
/// | ActorNCode | the full CAMEO actor code |
/// | ActorNName | the words of the sentence that named the actor |
/// | ActorNCountryCode | the code's leading country, else its region part (AFR, MEA, ...) |
/// | ActorNKnownGroupCode | the organisation part that follows an international type (`UNO` in `IGOUNO`) |
/// | ActorNEthnicCode | empty (the tables do not tell ethnic codes apart) |
/// | ActorNReligion1Code, ActorNReligion2Code | a religion part (CHR, MOS, ...) and the part after it |
/// | ActorNType1Code..Type3Code | the first three role parts (primary, secondary, tertiary, party or international types) |
/// | IsRootEvent | 1 for events of the article's first sentence (its lead), else 0 |
/// | EventCode, EventBaseCode, EventRootCode | the CAMEO code, its first three digits, its root (empty when not CAMEO) |
/// | QuadClass | 1–4 |
/// | GoldsteinScale | one decimal |
/// | NumMentions, NumSources, NumArticles | 1 (one article) |
/// | AvgTone, all 24 geography columns | empty: dyad does not score tone or geolocate |
/// | DATEADDED | empty: dyad writes nothing that depends on the clock |
/// | SOURCEURL | the article URL |
///
/// Tabs and line breaks inside fields become spaces.
#[derive(Debug)]
pub struct GdeltWriter<W> {
    out: W,
}

impl<W: Write> GdeltWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> GdeltWriter<W> {
        GdeltWriter { out }
    }

    /// The output.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The ten actor columns.
fn actor_columns(code: &str, name: Option<String>) -> [String; 10] {
    let p = ActorParts::of(code);
    let kinds = || p.parts.iter().zip(&p.kinds);
    let country = p.country.clone().or_else(|| {
        kinds()
            .find(|(_, k)| **k == Some(ActorKind::Region))
            .map(|(c, _)| c.clone())
    });
    let known_group = p
        .kinds
        .iter()
        .position(|k| *k == Some(ActorKind::International))
        .and_then(|i| match (p.parts.get(i + 1), p.kinds.get(i + 1)) {
            (Some(part), Some(None)) => Some(part.clone()),
            _ => None,
        });
    let religion = p.kinds.iter().position(|k| *k == Some(ActorKind::Religion));
    let religion1 = religion.and_then(|i| p.parts.get(i).cloned());
    let religion2 = religion.and_then(|i| match (p.parts.get(i + 1), p.kinds.get(i + 1)) {
        (Some(part), Some(None)) => Some(part.clone()),
        _ => None,
    });
    let mut types = kinds()
        .filter(|(_, k)| {
            matches!(
                k,
                Some(
                    ActorKind::Primary
                        | ActorKind::Secondary
                        | ActorKind::Tertiary
                        | ActorKind::Party
                        | ActorKind::International
                )
            )
        })
        .map(|(c, _)| c.clone());
    let name = if p.code.is_some() { name } else { None };
    [
        clean_field(p.code.as_deref().unwrap_or_default()),
        clean_field(name.as_deref().unwrap_or_default()),
        country.unwrap_or_default(),
        known_group.unwrap_or_default(),
        String::new(),
        religion1.unwrap_or_default(),
        religion2.unwrap_or_default(),
        types.next().unwrap_or_default(),
        types.next().unwrap_or_default(),
        types.next().unwrap_or_default(),
    ]
}

impl<W: Write> EventWriter for GdeltWriter<W> {
    fn write(&mut self, r: &EventRecord<'_>) -> io::Result<()> {
        let e = r.event;
        let facts = CodeFacts::of(&e.code);
        let mut cols: Vec<String> = Vec::with_capacity(GDELT_COLUMNS.len());
        cols.push(clean_field(&r.event_id));
        match r.date() {
            Some(d) => {
                cols.push(d.to_yyyymmdd());
                cols.push(format!("{:04}{:02}", d.year(), d.month()));
                cols.push(format!("{:04}", d.year()));
                let frac = f64::from(d.month() * 30 + d.day()) / 365.0;
                cols.push(format!("{:.4}", f64::from(d.year()) + frac));
            }
            None => cols.extend(std::iter::repeat(String::new()).take(4)),
        }
        cols.extend(actor_columns(&e.source.code, r.span_text(e.source.span)));
        cols.extend(actor_columns(&e.target.code, r.span_text(e.target.span)));
        cols.push(if r.sentence == 0 { "1" } else { "0" }.to_string());
        cols.push(clean_field(&e.code));
        cols.push(facts.base.unwrap_or_default());
        cols.push(facts.root.unwrap_or_default().to_string());
        cols.push(facts.quad_class.map(|q| q.to_string()).unwrap_or_default());
        cols.push(goldstein_text(facts.goldstein));
        cols.extend(["1", "1", "1"].map(String::from));
        // AvgTone, 3 × 8 geography columns, DATEADDED.
        cols.extend(std::iter::repeat(String::new()).take(1 + 24 + 1));
        cols.push(clean_field(r.article.url.as_deref().unwrap_or_default()));
        debug_assert_eq!(cols.len(), GDELT_COLUMNS.len());
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
    fn actor_columns_break_out_the_code() {
        let c = actor_columns("USAGOVMIL", Some("the Pentagon".into()));
        assert_eq!(c[..4], ["USAGOVMIL", "the Pentagon", "USA", ""]);
        assert_eq!(c[7..], ["GOV", "MIL", ""]);
        let c = actor_columns("IGOUNOREF", None);
        assert_eq!(c[2..4], ["", "UNO"]);
        assert_eq!(c[7..], ["IGO", "REF", ""]);
        let c = actor_columns("---", Some("x".into()));
        assert!(c.iter().all(String::is_empty), "{c:?}");
    }
}
