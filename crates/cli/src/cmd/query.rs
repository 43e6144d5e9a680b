//! `dyad query`: questions to an event store that `dyad ingest` filled: a dyad's time
//! series, the busiest dyads, filtered events (paginated) and the mentions of an event.
//!
//! Every answer is a table, written as aligned text (`table`), CSV or JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use dyad_ontology::QuadClass;
use dyad_store::{
    Cursor, DateRange, EventId, EventQuery, Interval, RankBy, Reader, Store, StoredEvent,
};
use dyad_types::Date;
use serde_json::{json, Map, Value};

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// The event store (an SQLite file that `dyad ingest` wrote).
    #[arg(long, default_value = "dyad.db", global = true)]
    pub db: PathBuf,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table", global = true)]
    pub format: String,
    #[command(subcommand)]
    pub query: Query,
}

/// The questions.
#[derive(clap::Subcommand)]
pub enum Query {
    /// Time series of one dyad (exact actor codes): events per quad class, Goldstein sum and mean.
    Series {
        /// Source actor code, e.g. CHN or CHNGOV.
        source: String,
        /// Target actor code.
        target: String,
        /// Bucket width: day, week (from Monday) or month.
        #[arg(long, default_value = "month")]
        interval: String,
        #[command(flatten)]
        dates: Dates,
    },
    /// The busiest dyads of a period.
    Top {
        #[command(flatten)]
        dates: Dates,
        /// Rank by distinct events or by mentions.
        #[arg(long, default_value = "events")]
        by: String,
        /// How many dyads.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Events matching filters, in date order, one page at a time (the next cursor is printed).
    Events(EventArgs),
    /// The article sentences that reported an event, with the coder's evidence.
    Mentions {
        /// Event id (from `dyad query events`).
        event_id: i64,
    },
}

/// A date range (YYYY-MM-DD, both ends included).
#[derive(clap::Args)]
pub struct Dates {
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), included.
    #[arg(long)]
    pub to: Option<String>,
}

/// Filters of `dyad query events`.
#[derive(clap::Args)]
pub struct EventArgs {
    /// Source or target code starts with this (CHN matches CHNGOV).
    #[arg(long)]
    pub actor: Option<String>,
    /// Source code starts with this.
    #[arg(long)]
    pub source: Option<String>,
    /// Target code starts with this.
    #[arg(long)]
    pub target: Option<String>,
    /// Source or target belongs to this country (ISO 3166 alpha-3).
    #[arg(long)]
    pub country: Option<String>,
    /// CAMEO code starts with this (19, 190).
    #[arg(long)]
    pub code: Option<String>,
    /// CAMEO root, 1 to 20.
    #[arg(long)]
    pub root: Option<u8>,
    /// Quad class, 1 to 4 (verbal/material cooperation, verbal/material conflict).
    #[arg(long)]
    pub quad: Option<u8>,
    #[command(flatten)]
    pub dates: Dates,
    /// Page size.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    /// Continue after this cursor (printed with the previous page).
    #[arg(long)]
    pub cursor: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Csv,
    Json,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = match args.format.as_str() {
        "table" => Format::Table,
        "csv" => Format::Csv,
        "json" => Format::Json,
        other => anyhow::bail!("unknown format {other:?}: expected table, csv or json"),
    };
    // Check every argument before touching the store.
    let plan = Plan::new(args.query)?;
    if !args.db.is_file() {
        anyhow::bail!(
            "no event store at {} (`dyad ingest` creates one)",
            args.db.display()
        );
    }
    let store = Store::open(&args.db)
        .with_context(|| format!("cannot open the store {}", args.db.display()))?;
    let reader = store.reader().context("cannot read the store")?;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    plan.answer(&reader, format, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A validated question.
enum Plan {
    Series {
        source: String,
        target: String,
        interval: Interval,
        dates: DateRange,
    },
    Top {
        dates: DateRange,
        by: RankBy,
        limit: usize,
    },
    Events(EventQuery),
    Mentions(EventId),
}

impl Plan {
    fn new(query: Query) -> anyhow::Result<Plan> {
        Ok(match query {
            Query::Series {
                source,
                target,
                interval,
                dates,
            } => Plan::Series {
                source,
                target,
                interval: match interval.as_str() {
                    "day" => Interval::Day,
                    "week" => Interval::Week,
                    "month" => Interval::Month,
                    other => {
                        anyhow::bail!("unknown interval {other:?}: expected day, week or month")
                    }
                },
                dates: date_range(&dates)?,
            },
            Query::Top { dates, by, limit } => Plan::Top {
                dates: date_range(&dates)?,
                by: match by.as_str() {
                    "events" => RankBy::Events,
                    "mentions" => RankBy::Mentions,
                    other => {
                        anyhow::bail!("unknown ranking {other:?}: expected events or mentions")
                    }
                },
                limit: check_limit(limit)?,
            },
            Query::Events(e) => {
                if let Some(r) = e.root {
                    if !(1..=20).contains(&r) {
                        anyhow::bail!("--root {r} is not a CAMEO root (1 to 20)");
                    }
                }
                let quad = match e.quad {
                    Some(q) => Some(
                        QuadClass::from_number(q)
                            .with_context(|| format!("--quad {q} is not a quad class (1 to 4)"))?,
                    ),
                    None => None,
                };
                let after = match &e.cursor {
                    Some(c) => Some(
                        c.parse::<Cursor>()
                            .map_err(|err| anyhow::anyhow!("--cursor: {err}"))?,
                    ),
                    None => None,
                };
                Plan::Events(EventQuery {
                    actor: e.actor,
                    source: e.source,
                    target: e.target,
                    country: e.country,
                    code: e.code,
                    root: e.root,
                    quad,
                    dates: date_range(&e.dates)?,
                    limit: check_limit(e.limit)?,
                    after,
                })
            }
            Query::Mentions { event_id } => Plan::Mentions(EventId(event_id)),
        })
    }

    fn answer(&self, reader: &Reader, format: Format, out: &mut dyn Write) -> anyhow::Result<()> {
        match self {
            Plan::Series {
                source,
                target,
                interval,
                dates,
            } => {
                let buckets = reader.dyad_series(source, target, *interval, *dates)?;
                let mut t = Table::new(&[
                    "start",
                    "events",
                    "mentions",
                    "verbal_coop",
                    "material_coop",
                    "verbal_conflict",
                    "material_conflict",
                    "goldstein_sum",
                    "goldstein_mean",
                ]);
                for b in &buckets {
                    t.rows.push(vec![
                        json!(b.start.to_string()),
                        json!(b.events),
                        json!(b.mentions),
                        json!(b.quad[0]),
                        json!(b.quad[1]),
                        json!(b.quad[2]),
                        json!(b.quad[3]),
                        json!(round(b.goldstein_sum, 1)),
                        b.goldstein_mean.map_or(Value::Null, |m| json!(round(m, 3))),
                    ]);
                }
                t.write(format, out)
            }
            Plan::Top { dates, by, limit } => {
                let dyads = reader.top_dyads(*dates, *by, *limit)?;
                let mut t = Table::new(&["source", "target", "events", "mentions"]);
                for d in &dyads {
                    t.rows.push(vec![
                        json!(d.source),
                        json!(d.target),
                        json!(d.events),
                        json!(d.mentions),
                    ]);
                }
                t.write(format, out)
            }
            Plan::Events(q) => {
                let page = reader.events(q)?;
                let mut t = Table::new(&[
                    "id",
                    "date",
                    "source",
                    "target",
                    "code",
                    "root",
                    "quad",
                    "goldstein",
                    "mentions",
                    "sources",
                    "articles",
                ]);
                t.rows.extend(page.events.iter().map(event_row));
                let next = page.next.map(|c| c.to_string());
                match format {
                    Format::Json => {
                        let doc = json!({ "events": t.objects(), "next": next });
                        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
                    }
                    Format::Csv => {
                        t.write(format, out)?;
                        // The CSV stays a clean table; the cursor goes to stderr.
                        eprintln!("next: {}", next.as_deref().unwrap_or("-"));
                    }
                    Format::Table => {
                        t.write(format, out)?;
                        writeln!(out, "next: {}", next.as_deref().unwrap_or("-"))?;
                    }
                }
                Ok(())
            }
            Plan::Mentions(id) => {
                if reader.event(*id)?.is_none() {
                    anyhow::bail!("no event {} in the store", id.0);
                }
                let mentions = reader.mentions(*id)?;
                if format == Format::Json {
                    let list: Vec<Value> = mentions
                        .iter()
                        .map(|m| -> anyhow::Result<Value> {
                            Ok(json!({
                                "article": m.article,
                                "title": m.title,
                                "url": m.url,
                                "outlet": m.outlet,
                                "article_date": m.article_date.map(|d| d.to_string()),
                                "coder_version": m.coder_version,
                                "sentence": m.sentence,
                                "sentence_text": m.sentence_text,
                                "event": serde_json::to_value(&m.event)?,
                            }))
                        })
                        .collect::<anyhow::Result<_>>()?;
                    writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
                    return Ok(());
                }
                let mut t = Table::new(&[
                    "article",
                    "date",
                    "outlet",
                    "sentence",
                    "source",
                    "target",
                    "code",
                    "pattern",
                    "sentence_text",
                ]);
                for m in &mentions {
                    t.rows.push(vec![
                        json!(m.article),
                        m.article_date.map_or(Value::Null, |d| json!(d.to_string())),
                        json!(m.outlet),
                        json!(m.sentence),
                        json!(m.event.source.code),
                        json!(m.event.target.code),
                        json!(m.event.code),
                        json!(m.event.pattern),
                        json!(m.sentence_text),
                    ]);
                }
                t.write(format, out)
            }
        }
    }
}

fn event_row(e: &StoredEvent) -> Vec<Value> {
    vec![
        json!(e.id.0),
        e.date.get().map_or(Value::Null, |d| json!(d.to_string())),
        json!(e.source),
        json!(e.target),
        json!(e.code),
        e.root.map_or(Value::Null, |r| json!(r)),
        e.quad.map_or(Value::Null, |q| json!(q.number())),
        e.goldstein.map_or(Value::Null, |g| json!(round(g, 1))),
        json!(e.mentions),
        json!(e.sources),
        json!(e.articles),
    ]
}

fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

fn check_limit(limit: usize) -> anyhow::Result<usize> {
    if limit == 0 || limit > dyad_store::MAX_LIMIT {
        anyhow::bail!(
            "--limit {limit} is not between 1 and {}",
            dyad_store::MAX_LIMIT
        );
    }
    Ok(limit)
}

fn parse_date(flag: &str, s: &str) -> anyhow::Result<Date> {
    Date::parse_iso(s).map_err(|e| anyhow::anyhow!("{flag} {s:?}: {e}"))
}

fn date_range(d: &Dates) -> anyhow::Result<DateRange> {
    let from = d
        .from
        .as_deref()
        .map(|s| parse_date("--from", s))
        .transpose()?;
    let to = d.to.as_deref().map(|s| parse_date("--to", s)).transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            anyhow::bail!("--from {f} is after --to {t}");
        }
    }
    Ok(DateRange { from, to })
}

/// A result table: named columns, rows of JSON values (strings, numbers or null).
struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<Value>>,
}

impl Table {
    fn new(headers: &[&'static str]) -> Table {
        Table {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    fn objects(&self) -> Vec<Value> {
        self.rows
            .iter()
            .map(|row| {
                let obj: Map<String, Value> = self
                    .headers
                    .iter()
                    .zip(row)
                    .map(|(h, v)| ((*h).to_string(), v.clone()))
                    .collect();
                Value::Object(obj)
            })
            .collect()
    }

    fn write(&self, format: Format, out: &mut dyn Write) -> anyhow::Result<()> {
        match format {
            Format::Json => {
                writeln!(out, "{}", serde_json::to_string_pretty(&self.objects())?)?;
            }
            Format::Csv => {
                let line = |cells: Vec<String>| {
                    cells
                        .iter()
                        .map(|c| csv_field(c))
                        .collect::<Vec<_>>()
                        .join(",")
                };
                writeln!(
                    out,
                    "{}",
                    line(self.headers.iter().map(|h| h.to_string()).collect())
                )?;
                for row in &self.rows {
                    writeln!(out, "{}", line(row.iter().map(cell).collect()))?;
                }
            }
            Format::Table => {
                let cells: Vec<Vec<String>> = self
                    .rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|v| cell(v).replace(['\n', '\r', '\t'], " "))
                            .collect()
                    })
                    .collect();
                let mut widths: Vec<usize> =
                    self.headers.iter().map(|h| h.chars().count()).collect();
                for row in &cells {
                    for (w, c) in widths.iter_mut().zip(row) {
                        *w = (*w).max(c.chars().count());
                    }
                }
                let line = |row: &[String]| {
                    let n = row.len();
                    let mut s = String::new();
                    for (k, (c, w)) in row.iter().zip(&widths).enumerate() {
                        s.push_str(c);
                        if k + 1 < n {
                            s.extend(std::iter::repeat_n(' ', w - c.chars().count() + 2));
                        }
                    }
                    s
                };
                let head: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
                writeln!(out, "{}", line(&head))?;
                for row in &cells {
                    writeln!(out, "{}", line(row))?;
                }
                if cells.is_empty() {
                    writeln!(out, "(no rows)")?;
                }
            }
        }
        Ok(())
    }
}

/// A value as text: strings bare, null empty, numbers as JSON writes them.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("CHN"), "CHN");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn date_ranges_are_checked() {
        let d = |from: &str, to: &str| Dates {
            from: Some(from.into()),
            to: Some(to.into()),
        };
        assert!(date_range(&d("2024-01-01", "2024-02-01")).is_ok());
        let err = date_range(&d("2024-03-01", "2024-02-01"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("after"), "{err}");
        let err = date_range(&d("2024-13-01", "2024-02-01"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("--from"), "{err}");
    }

    #[test]
    fn tables_align_columns() {
        let mut t = Table::new(&["a", "bb"]);
        t.rows.push(vec![json!("xyz"), json!(1)]);
        let mut out = Vec::new();
        t.write(Format::Table, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a    bb\nxyz  1\n");
    }
}
