//! `dyad export`: the events of a store as Parquet files, partitioned for Spark, DuckDB or
//! BigQuery.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use dyad_store::{DateRange, Store};
use dyad_types::Date;

/// Write the events of an event store as Parquet, one file per month:
/// DIR/year=YYYY/month=M/part-0.parquet, and undated events (only without --from/--to)
/// under year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__.
#[derive(Parser, Debug)]
pub struct Args {
    /// Directory to create (it must not exist, or be empty). Written under a temporary
    /// name beside it, then renamed: an interrupted export leaves nothing.
    #[arg(long, value_name = "DIR")]
    pub parquet: PathBuf,
    /// The event store.
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
    /// First day to export (YYYY-MM-DD); a date range leaves undated events out.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day to export (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
}

fn parse_date(flag: &str, s: Option<&str>) -> anyhow::Result<Option<Date>> {
    s.map(|s| Date::parse_iso(s).map_err(|e| anyhow::anyhow!("{flag} {s:?}: {e}")))
        .transpose()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dates = DateRange {
        from: parse_date("--from", args.from.as_deref())?,
        to: parse_date("--to", args.to.as_deref())?,
    };
    if let (Some(f), Some(t)) = (dates.from, dates.to) {
        anyhow::ensure!(f <= t, "--from {f} is after --to {t}");
    }
    // Opening creates a missing file: check first, so that a typo is an error.
    anyhow::ensure!(
        args.db.is_file(),
        "no event store at {} (create one with `dyad ingest`)",
        args.db.display()
    );
    let store = Store::open(&args.db)
        .with_context(|| format!("cannot open the store {}", args.db.display()))?;
    let summary = store.reader()?.export_parquet(&args.parquet, dates)?;
    eprintln!(
        "export: {} events ({} undated) in {} files under {}",
        summary.events,
        summary.undated_events,
        summary.files.len(),
        args.parquet.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_store::{ArticleInput, EventInput};
    use dyad_types::{ActorMention, Event};

    #[test]
    fn exports_a_store_file_by_month() {
        let dir = std::env::temp_dir().join(format!("dyad-cli-export-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("events.db");
        let actor = |c: &str| ActorMention {
            code: c.into(),
            ..Default::default()
        };
        let article = |id: &str, date: Option<Date>| ArticleInput {
            id: id.into(),
            date,
            text: id.into(),
            sentences: vec!["s".into()],
            events: vec![EventInput {
                sentence: 0,
                event: Event {
                    source: actor("CHN"),
                    target: actor("JPN"),
                    code: "112".into(),
                    ..Default::default()
                },
            }],
            ..Default::default()
        };
        {
            let store = Store::open(&db).unwrap();
            let mut w = store.writer().unwrap();
            let d = Date::new(2024, 3, 5).unwrap();
            w.ingest_batch(&[article("a", Some(d)), article("b", None)])
                .unwrap();
        }
        let args = |out: &str, from: Option<&str>| Args {
            parquet: dir.join(out),
            db: db.clone(),
            from: from.map(String::from),
            to: None,
        };
        run(args("all", None)).unwrap();
        let all = dir.join("all");
        assert!(all.join("year=2024/month=3/part-0.parquet").is_file());
        assert!(all
            .join("year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-0.parquet")
            .is_file());
        // A second export to the same directory is refused; a date range leaves the
        // undated event out.
        let e = run(args("all", None)).unwrap_err();
        assert!(format!("{e:#}").contains("not empty"), "{e:#}");
        run(args("march", Some("2024-03-01"))).unwrap();
        assert_eq!(std::fs::read_dir(dir.join("march")).unwrap().count(), 1);
        let e = run(Args {
            db: dir.join("missing.db"),
            ..args("x", None)
        })
        .unwrap_err();
        assert!(e.to_string().contains("no event store"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("--from", None).unwrap(), None);
        let d = parse_date("--from", Some("2024-03-05")).unwrap();
        assert_eq!(d, Some(Date::new(2024, 3, 5).unwrap()));
        let e = parse_date("--to", Some("2024-13-01")).unwrap_err();
        assert!(e.to_string().contains("--to"), "{e}");
    }
}
