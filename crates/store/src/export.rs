//! Parquet export of the stored events, partitioned Hive-style by year and month.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

use dyad_io::output::{Cell, ColumnType, ParquetColumn, ParquetTable};

use crate::error::{ErrorKind, Result};
use crate::reader::{DateRange, Reader, StoredEvent};
use crate::writer::NULL_ACTOR;

/// Partition value of events whose date is unknown: Hive's name for a NULL partition
/// value, which Spark, Hive and DuckDB read back as NULL.
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// Value of the `dyad.schema` key in the metadata of exported files.
pub const EXPORT_SCHEMA_ID: &str = "dyad.store-events/1";

const fn col(name: &'static str, ty: ColumnType) -> ParquetColumn {
    ParquetColumn { name, ty }
}

/// The columns of an exported file, one row per stored event (see
/// [`Reader::export_parquet`]).
pub const EXPORT_COLUMNS: &[ParquetColumn] = {
    use ColumnType::*;
    &[
        col("event_id", Int64),
        col("date", OptDate),
        col("source_code", OptText),
        col("source_country", OptText),
        col("source_sector", OptText),
        col("source_parts", TextList),
        col("target_code", OptText),
        col("target_country", OptText),
        col("target_sector", OptText),
        col("target_parts", TextList),
        col("cameo_code", Text),
        col("cameo_root", OptText),
        col("cameo_name", OptText),
        col("goldstein", OptFloat),
        col("quad_class", OptInt32),
        col("plover_type", OptText),
        col("plover_mode", OptText),
        col("plover_context", TextList),
        col("num_mentions", Int64),
        col("num_sources", Int64),
        col("num_articles", Int64),
        col("first_article_id", OptText),
        col("first_url", OptText),
    ]
};

/// What [`Reader::export_parquet`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Events written.
    pub events: u64,
    /// Of which with an unknown date.
    pub undated_events: u64,
    /// The files written, relative to the export directory, in the order written.
    pub files: Vec<PathBuf>,
}

/// `(year, month)` of a partition; `None` for undated events.
type Partition = Option<(i32, u32)>;

fn partition_dir(p: Partition) -> PathBuf {
    match p {
        // No zero padding: every engine then reads `month` as an integer (DuckDB keeps
        // `03` as a string).
        Some((y, m)) => Path::new(&format!("year={y}")).join(format!("month={m}")),
        None => {
            Path::new(&format!("year={NULL_PARTITION}")).join(format!("month={NULL_PARTITION}"))
        }
    }
}

fn export_err(path: &Path) -> impl FnOnce(io::Error) -> crate::Error + '_ {
    move |error| {
        ErrorKind::Export {
            path: path.to_path_buf(),
            error,
        }
        .into()
    }
}

struct Partfile {
    partition: Partition,
    relative: PathBuf,
    path: PathBuf,
    table: ParquetTable<BufWriter<File>>,
}

impl Reader {
    /// Writes the events in `dates` (all of them, undated ones included, when `dates` is
    /// unbounded) as Parquet files under `dir`, partitioned Hive-style:
    /// `dir/year=YYYY/month=M/part-0.parquet` (month 1 to 12, not zero-padded), and
    /// `dir/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-0.parquet`
    /// for events whose date is unknown. One row per stored event ([`EXPORT_COLUMNS`]),
    /// with its GDELT-style counts and the article id and URL of its first stored report; the `year` and `month` partition columns are in the
    /// paths only, the full `date` is in the files.
    ///
    /// `dir` must not exist or be an empty directory. Everything is written under a
    /// temporary directory beside it, renamed to `dir` when complete: readers never see a
    /// partial export, and a failed one leaves nothing behind. Events are read from one
    /// snapshot in bounded batches ([`Reader::scan_events`]) and written in row groups of
    /// at most [`DEFAULT_ROW_GROUP_ROWS`](dyad_io::output::DEFAULT_ROW_GROUP_ROWS), so
    /// memory stays bounded. The same store gives byte-identical files.
    pub fn export_parquet(&self, dir: &Path, dates: DateRange) -> Result<ExportSummary> {
        dates.days()?;
        if let Ok(mut entries) = std::fs::read_dir(dir) {
            if entries.next().is_some() {
                return Err(export_err(dir)(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the directory is not empty",
                )));
            }
        } else if dir.exists() {
            return Err(export_err(dir)(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "exists and is not a directory",
            )));
        }
        let name = dir.file_name().ok_or_else(|| {
            export_err(dir)(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path has no directory name",
            ))
        })?;
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let temp = parent.join(format!(
            ".{}.{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        std::fs::create_dir(&temp).map_err(export_err(&temp))?;
        let result = self.export_into(&temp, dates);
        let result = result.and_then(|summary| {
            if dir.exists() {
                std::fs::remove_dir(dir).map_err(export_err(dir))?;
            }
            std::fs::rename(&temp, dir).map_err(export_err(dir))?;
            Ok(summary)
        });
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&temp);
        }
        result
    }

    fn export_into(&self, root: &Path, dates: DateRange) -> Result<ExportSummary> {
        let mut summary = ExportSummary::default();
        let mut current: Option<Partfile> = None;
        for event in self.scan_events(dates)? {
            let event = event?;
            let partition = event.date.get().map(|d| (d.year(), d.month()));
            if current.as_ref().map(|c| c.partition) != Some(partition) {
                if let Some(done) = current.take() {
                    summary.files.push(close(done)?);
                }
                current = Some(open(root, partition)?);
            }
            let Some(part) = current.as_mut() else {
                continue;
            };
            let first = self.first_report(event.id)?;
            let mut cells = Vec::with_capacity(EXPORT_COLUMNS.len());
            event_cells(&event, &mut cells);
            let (article, url) = first.as_ref().map_or((None, None), |(a, u)| {
                (Some(a.as_str()), Some(u.as_str()).filter(|u| !u.is_empty()))
            });
            cells.push(Cell::opt_text(article));
            cells.push(Cell::opt_text(url));
            part.table
                .write_row(&cells)
                .map_err(export_err(&part.path))?;
            summary.events += 1;
            if partition.is_none() {
                summary.undated_events += 1;
            }
        }
        if let Some(done) = current.take() {
            summary.files.push(close(done)?);
        }
        Ok(summary)
    }
}

fn open(root: &Path, partition: Partition) -> Result<Partfile> {
    let relative = partition_dir(partition).join("part-0.parquet");
    let path = root.join(&relative);
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).map_err(export_err(d))?;
    }
    let file = File::options()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(export_err(&path))?;
    let table = ParquetTable::new(
        BufWriter::new(file),
        EXPORT_COLUMNS,
        &[("dyad.schema", EXPORT_SCHEMA_ID)],
    )
    .map_err(export_err(&path))?;
    Ok(Partfile {
        partition,
        relative,
        path,
        table,
    })
}

/// Finishes a file, syncs it and returns its relative path.
fn close(mut part: Partfile) -> Result<PathBuf> {
    part.table.finish().map_err(export_err(&part.path))?;
    let file = part
        .table
        .into_inner()
        .into_inner()
        .map_err(|e| export_err(&part.path)(e.into_error()))?;
    file.sync_all().map_err(export_err(&part.path))?;
    Ok(part.relative)
}

fn event_cells<'a>(e: &'a StoredEvent, out: &mut Vec<Cell<'a>>) {
    let cameo = dyad_ontology::resolve_cameo(&e.code);
    let plover = dyad_ontology::plover_for_cameo(&e.code);
    out.push(Cell::Int(e.id.0));
    out.push(e.date.get().map_or(Cell::Null, Cell::Date));
    for code in [&e.source, &e.target] {
        push_actor(code, out);
    }
    out.push(Cell::Text(&e.code));
    out.push(Cell::opt_text(cameo.map(|c| c.root)));
    out.push(Cell::opt_text(cameo.map(|c| c.name)));
    out.push(e.goldstein.map_or(Cell::Null, |g| Cell::Float(g as f32)));
    out.push(Cell::opt_int(e.quad.map(|q| i64::from(q.number()))));
    out.push(Cell::opt_text(plover.map(|m| m.event_type.name())));
    out.push(Cell::opt_text(plover.and_then(|m| m.mode)));
    out.push(Cell::TextList(
        plover
            .map(|m| m.contexts.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default(),
    ));
    out.push(Cell::Int(count(e.mentions)));
    out.push(Cell::Int(count(e.sources)));
    out.push(Cell::Int(count(e.articles)));
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// An actor code as its columns: code (null for an empty slot), country, sector, parts.
fn push_actor<'a>(code: &'a str, out: &mut Vec<Cell<'a>>) {
    if code == NULL_ACTOR || code.is_empty() {
        out.extend([
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::TextList(Vec::new()),
        ]);
        return;
    }
    let split = dyad_ontology::split_actor_code(code);
    let country = split.as_ref().and_then(|p| p.country).map(|c| c.code);
    let parts: Vec<String> = split
        .map(|p| {
            p.parts
                .iter()
                .map(|part| match part {
                    dyad_ontology::ActorCodePart::Type(t) => t.code.to_string(),
                    dyad_ontology::ActorCodePart::Other(s) => s.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    out.push(Cell::Text(code));
    out.push(Cell::opt_text(country));
    // The parts follow the country: the first one (the sector) is a slice of `code`.
    let start = country.map_or(0, str::len);
    let sector = parts
        .first()
        .and_then(|p| code.get(start..start + p.len()).filter(|s| s == p));
    out.push(Cell::opt_text(sector));
    out.push(Cell::TextList(parts));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ArticleInput, EventInput, Store};
    use dyad_types::{ActorMention, Date, Event};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::{Field, Row};

    fn input(
        id: &str,
        outlet: &str,
        date: Option<Date>,
        events: &[(&str, &str, &str)],
    ) -> ArticleInput {
        let actor = |c: &str| ActorMention {
            code: c.into(),
            ..Default::default()
        };
        ArticleInput {
            id: id.into(),
            date,
            source: outlet.into(),
            text: format!("text of {id}"),
            sentences: vec!["s".into()],
            events: events
                .iter()
                .map(|(s, t, c)| EventInput {
                    sentence: 0,
                    event: Event {
                        source: actor(s),
                        target: actor(t),
                        code: (*c).into(),
                        ..Default::default()
                    },
                })
                .collect(),
            coder_version: "test".into(),
            url: if id == "c" {
                "https://news.example/c".into()
            } else {
                String::new()
            },
            ..Default::default()
        }
    }

    fn store() -> Store {
        let store = Store::open_in_memory().unwrap();
        let mut w = store.writer().unwrap();
        let d = |m, day| Some(Date::new(2024, m, day).unwrap());
        w.ingest_batch(&[
            input(
                "a",
                "AFP",
                d(3, 5),
                &[("CHNGOV", "JPN", "112"), ("USAGOVMIL", "---", "190")],
            ),
            input("b", "Reuters", d(3, 5), &[("CHNGOV", "JPN", "112")]),
            input("c", "AFP", d(4, 1), &[("RUS", "UKR", "0231")]),
            input("u", "AFP", None, &[("IGOUNO", "SYR", "042")]),
        ])
        .unwrap();
        drop(w);
        store
    }

    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> TempDir {
            TempDir(std::env::temp_dir().join(format!("dyad-export-{tag}-{}", std::process::id())))
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn rows(path: &Path) -> Vec<Row> {
        let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
        let kv = reader
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .unwrap();
        assert!(kv
            .iter()
            .any(|k| k.value.as_deref() == Some(EXPORT_SCHEMA_ID)));
        reader
            .get_row_iter(None)
            .unwrap()
            .collect::<std::result::Result<Vec<_>, _>>()
            .unwrap()
    }

    fn field<'r>(row: &'r Row, name: &str) -> &'r Field {
        row.get_column_iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, f)| f)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    #[test]
    fn export_is_partitioned_by_month_with_undated_apart() {
        let store = store();
        let r = store.reader().unwrap();
        let dir = TempDir::new("all");
        let summary = r.export_parquet(&dir.0, DateRange::ALL).unwrap();
        assert_eq!((summary.events, summary.undated_events), (4, 1));
        let files: Vec<String> = summary
            .files
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            files,
            [
                "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
                "year=2024/month=3/part-0.parquet",
                "year=2024/month=4/part-0.parquet",
            ]
        );
        // Nothing but the partitions: the temporary directory is gone.
        let parent = dir.0.parent().unwrap();
        let name = dir.0.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!std::fs::read_dir(parent).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(&format!(".{name}"))));

        let undated = rows(&dir.0.join(&summary.files[0]));
        assert_eq!(undated.len(), 1);
        assert_eq!(field(&undated[0], "date"), &Field::Null);
        assert_eq!(
            field(&undated[0], "source_code"),
            &Field::Str("IGOUNO".into())
        );
        assert_eq!(
            field(&undated[0], "source_sector"),
            &Field::Str("IGO".into())
        );
        assert_eq!(
            field(&undated[0], "first_article_id"),
            &Field::Str("u".into())
        );

        let march = rows(&dir.0.join(&summary.files[1]));
        assert_eq!(march.len(), 2);
        let accuse = &march[0];
        let day = Date::new(2024, 3, 5).unwrap().days_since_epoch() as i32;
        assert_eq!(field(accuse, "date"), &Field::Date(day));
        assert_eq!(field(accuse, "source_code"), &Field::Str("CHNGOV".into()));
        assert_eq!(field(accuse, "source_country"), &Field::Str("CHN".into()));
        assert_eq!(field(accuse, "source_sector"), &Field::Str("GOV".into()));
        assert_eq!(field(accuse, "cameo_code"), &Field::Str("112".into()));
        assert_eq!(field(accuse, "cameo_root"), &Field::Str("11".into()));
        assert_eq!(field(accuse, "goldstein"), &Field::Float(-2.0));
        assert_eq!(field(accuse, "quad_class"), &Field::Int(3));
        assert_eq!(field(accuse, "num_mentions"), &Field::Long(2));
        assert_eq!(field(accuse, "num_sources"), &Field::Long(2));
        assert_eq!(field(accuse, "num_articles"), &Field::Long(2));
        // The first report: article "a" (stored before "b"), which has no URL.
        assert_eq!(field(accuse, "first_article_id"), &Field::Str("a".into()));
        assert_eq!(field(accuse, "first_url"), &Field::Null);
        let fight = &march[1];
        assert_eq!(field(fight, "target_code"), &Field::Null);
        assert_eq!(field(fight, "source_sector"), &Field::Str("GOV".into()));
        let plover = dyad_ontology::plover_for_cameo("190").unwrap();
        assert_eq!(
            field(fight, "plover_type"),
            &Field::Str(plover.event_type.name().into())
        );
        assert_eq!(field(fight, "num_mentions"), &Field::Long(1));
        let april = rows(&dir.0.join(&summary.files[2]));
        assert_eq!(field(&april[0], "goldstein"), &Field::Float(3.4));
        assert_eq!(
            field(&april[0], "first_url"),
            &Field::Str("https://news.example/c".into())
        );

        // Same store, same bytes.
        let again = TempDir::new("again");
        r.export_parquet(&again.0, DateRange::ALL).unwrap();
        for f in &summary.files {
            assert_eq!(
                std::fs::read(dir.0.join(f)).unwrap(),
                std::fs::read(again.0.join(f)).unwrap()
            );
        }
    }

    #[test]
    fn a_date_range_leaves_undated_events_out() {
        let store = store();
        let r = store.reader().unwrap();
        let dir = TempDir::new("range");
        let april = Date::new(2024, 4, 1).unwrap();
        let summary = r
            .export_parquet(&dir.0, DateRange::new(april, april))
            .unwrap();
        assert_eq!((summary.events, summary.undated_events), (1, 0));
        assert_eq!(summary.files.len(), 1);
        let bad = r.export_parquet(
            &TempDir::new("bad-range").0,
            DateRange::new(april, Date::new(2024, 1, 1).unwrap()),
        );
        assert!(matches!(
            bad.unwrap_err().kind(),
            ErrorKind::InvalidDateRange { .. }
        ));
    }

    #[test]
    fn export_refuses_a_non_empty_directory_and_accepts_an_empty_one() {
        let store = store();
        let r = store.reader().unwrap();
        let dir = TempDir::new("busy");
        std::fs::create_dir_all(&dir.0).unwrap();
        std::fs::write(dir.0.join("keep.txt"), "x").unwrap();
        let e = r.export_parquet(&dir.0, DateRange::ALL).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Export { .. }), "{e}");
        assert!(e.to_string().contains("not empty"), "{e}");
        assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 1);

        let empty = TempDir::new("empty");
        std::fs::create_dir_all(&empty.0).unwrap();
        let summary = r.export_parquet(&empty.0, DateRange::ALL).unwrap();
        assert_eq!(summary.events, 4);

        // An empty store gives an empty directory.
        let none = TempDir::new("none");
        let s = Store::open_in_memory().unwrap();
        let summary = s
            .reader()
            .unwrap()
            .export_parquet(&none.0, DateRange::ALL)
            .unwrap();
        assert_eq!(summary, ExportSummary::default());
        assert_eq!(std::fs::read_dir(&none.0).unwrap().count(), 0);
    }
}
