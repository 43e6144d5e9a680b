//! Apache Parquet output: a small column-typed table writer ([`ParquetTable`]) and the
//! event writer built on it ([`ParquetWriter`]).
//!
//! Only the low-level writer of the `parquet` crate is used (no Arrow). Rows are buffered
//! column by column and written as one row group every [`DEFAULT_ROW_GROUP_ROWS`] rows, so
//! memory stays bounded whatever the number of rows. Every row group is serialised into
//! an in-memory buffer that is then handed to the output, which therefore needs neither
//! `Seek` nor `Send`: an [`AtomicFile`](super::AtomicFile) or any other [`Write`] will do.

use std::io::{self, Write};
use std::sync::Arc;

use dyad_types::{ActorMention, CharSpan, Date};
use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::format::KeyValue;
use parquet::schema::types::{Type, TypePtr};

use super::{ActorParts, CodeFacts, EventRecord, EventWriter};

/// Rows per row group unless set otherwise: large enough for good compression and fast
/// scans, small enough that a row group of events stays in the tens of megabytes.
pub const DEFAULT_ROW_GROUP_ROWS: usize = 64 * 1024;

/// The type of a [`ParquetColumn`], with the Parquet type it is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColumnType {
    /// `BYTE_ARRAY (STRING)`, required.
    Text,
    /// `BYTE_ARRAY (STRING)`, optional.
    OptText,
    /// `INT32`, required.
    Int32,
    /// `INT32`, optional.
    OptInt32,
    /// `INT64`, required.
    Int64,
    /// `INT64`, optional.
    OptInt64,
    /// `FLOAT` (32 bits), optional.
    OptFloat,
    /// `BOOLEAN`, required.
    Bool,
    /// `INT32 (DATE)`: days since 1970-01-01, optional.
    OptDate,
    /// A required `LIST` of required strings (may be empty).
    TextList,
    /// A required `LIST` of `{code: STRING, count: INT32}` structs (may be empty).
    IssueList,
}

/// A column of a [`ParquetTable`]: its name and type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParquetColumn {
    /// Column name.
    pub name: &'static str,
    /// Column type.
    pub ty: ColumnType,
}

const fn col(name: &'static str, ty: ColumnType) -> ParquetColumn {
    ParquetColumn { name, ty }
}

/// One value of a row, for [`ParquetTable::write_row`].
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    /// Null (optional columns only).
    Null,
    /// A string ([`ColumnType::Text`], [`ColumnType::OptText`]).
    Text(&'a str),
    /// An integer ([`ColumnType::Int32`] and [`ColumnType::OptInt32`] when it fits in 32
    /// bits, [`ColumnType::Int64`], [`ColumnType::OptInt64`]).
    Int(i64),
    /// A float ([`ColumnType::OptFloat`]).
    Float(f32),
    /// A boolean ([`ColumnType::Bool`]).
    Bool(bool),
    /// A date ([`ColumnType::OptDate`]).
    Date(Date),
    /// Strings ([`ColumnType::TextList`]).
    TextList(Vec<String>),
    /// `(code, count)` pairs ([`ColumnType::IssueList`]).
    Issues(&'a [(String, u32)]),
}

impl<'a> Cell<'a> {
    /// `Text`, or `Null` for `None`.
    pub fn opt_text(s: Option<&'a str>) -> Cell<'a> {
        s.map_or(Cell::Null, Cell::Text)
    }

    /// `Int`, or `Null` for `None`.
    pub fn opt_int(n: Option<i64>) -> Cell<'a> {
        n.map_or(Cell::Null, Cell::Int)
    }
}

/// Values of one leaf column of the current row group, with their levels.
struct Leaf {
    values: Values,
    def: Vec<i16>,
    rep: Vec<i16>,
    max_def: i16,
    max_rep: i16,
}

enum Values {
    Bytes(Vec<ByteArray>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    Bool(Vec<bool>),
}

impl Values {
    fn clear(&mut self) {
        match self {
            Values::Bytes(v) => v.clear(),
            Values::I32(v) => v.clear(),
            Values::I64(v) => v.clear(),
            Values::F32(v) => v.clear(),
            Values::Bool(v) => v.clear(),
        }
    }
}

impl Leaf {
    fn new(values: Values, max_def: i16, max_rep: i16) -> Leaf {
        Leaf {
            values,
            def: Vec::new(),
            rep: Vec::new(),
            max_def,
            max_rep,
        }
    }

    fn levels(&mut self, def: i16, rep: i16) {
        if self.max_def > 0 {
            self.def.push(def);
        }
        if self.max_rep > 0 {
            self.rep.push(rep);
        }
    }

    fn clear(&mut self) {
        self.values.clear();
        self.def.clear();
        self.rep.clear();
    }

    fn write(&self, w: &mut ColumnWriter<'_>) -> Result<(), ParquetError> {
        let def = (self.max_def > 0).then_some(self.def.as_slice());
        let rep = (self.max_rep > 0).then_some(self.rep.as_slice());
        match (&self.values, w) {
            (Values::Bytes(v), ColumnWriter::ByteArrayColumnWriter(w)) => {
                w.write_batch(v, def, rep)?;
            }
            (Values::I32(v), ColumnWriter::Int32ColumnWriter(w)) => {
                w.write_batch(v, def, rep)?;
            }
            (Values::I64(v), ColumnWriter::Int64ColumnWriter(w)) => {
                w.write_batch(v, def, rep)?;
            }
            (Values::F32(v), ColumnWriter::FloatColumnWriter(w)) => {
                w.write_batch(v, def, rep)?;
            }
            (Values::Bool(v), ColumnWriter::BoolColumnWriter(w)) => {
                w.write_batch(v, def, rep)?;
            }
            _ => {
                return Err(ParquetError::General(
                    "column buffer and schema disagree".into(),
                ))
            }
        }
        Ok(())
    }
}

fn string_type(name: &str, repetition: Repetition) -> Result<Type, ParquetError> {
    Type::primitive_type_builder(name, PhysicalType::BYTE_ARRAY)
        .with_repetition(repetition)
        .with_logical_type(Some(LogicalType::String))
        .build()
}

fn primitive(
    name: &str,
    physical: PhysicalType,
    repetition: Repetition,
    logical: Option<LogicalType>,
) -> Result<Type, ParquetError> {
    Type::primitive_type_builder(name, physical)
        .with_repetition(repetition)
        .with_logical_type(logical)
        .build()
}

/// The standard three-level list: `required group NAME (LIST) { repeated group list {
/// required ELEMENT element; } }`.
fn list_type(name: &str, element: Type) -> Result<Type, ParquetError> {
    let list = Type::group_type_builder("list")
        .with_repetition(Repetition::REPEATED)
        .with_fields(vec![Arc::new(element)])
        .build()?;
    Type::group_type_builder(name)
        .with_repetition(Repetition::REQUIRED)
        .with_logical_type(Some(LogicalType::List))
        .with_fields(vec![Arc::new(list)])
        .build()
}

/// The schema field and the leaf buffers of one column.
fn column_schema(c: &ParquetColumn) -> Result<(TypePtr, Vec<Leaf>), ParquetError> {
    use ColumnType as T;
    use Repetition::{OPTIONAL, REQUIRED};
    let (ty, leaves) = match c.ty {
        T::Text => (
            string_type(c.name, REQUIRED)?,
            vec![Leaf::new(Values::Bytes(Vec::new()), 0, 0)],
        ),
        T::OptText => (
            string_type(c.name, OPTIONAL)?,
            vec![Leaf::new(Values::Bytes(Vec::new()), 1, 0)],
        ),
        T::Int32 | T::OptInt32 => {
            let (rep, max_def) = if c.ty == T::Int32 {
                (REQUIRED, 0)
            } else {
                (OPTIONAL, 1)
            };
            (
                primitive(c.name, PhysicalType::INT32, rep, None)?,
                vec![Leaf::new(Values::I32(Vec::new()), max_def, 0)],
            )
        }
        T::Int64 | T::OptInt64 => {
            let (rep, max_def) = if c.ty == T::Int64 {
                (REQUIRED, 0)
            } else {
                (OPTIONAL, 1)
            };
            (
                primitive(c.name, PhysicalType::INT64, rep, None)?,
                vec![Leaf::new(Values::I64(Vec::new()), max_def, 0)],
            )
        }
        T::OptFloat => (
            primitive(c.name, PhysicalType::FLOAT, OPTIONAL, None)?,
            vec![Leaf::new(Values::F32(Vec::new()), 1, 0)],
        ),
        T::Bool => (
            primitive(c.name, PhysicalType::BOOLEAN, REQUIRED, None)?,
            vec![Leaf::new(Values::Bool(Vec::new()), 0, 0)],
        ),
        T::OptDate => (
            primitive(
                c.name,
                PhysicalType::INT32,
                OPTIONAL,
                Some(LogicalType::Date),
            )?,
            vec![Leaf::new(Values::I32(Vec::new()), 1, 0)],
        ),
        T::TextList => (
            list_type(c.name, string_type("element", REQUIRED)?)?,
            vec![Leaf::new(Values::Bytes(Vec::new()), 1, 1)],
        ),
        T::IssueList => {
            let element = Type::group_type_builder("element")
                .with_repetition(REQUIRED)
                .with_fields(vec![
                    Arc::new(string_type("code", REQUIRED)?),
                    Arc::new(primitive("count", PhysicalType::INT32, REQUIRED, None)?),
                ])
                .build()?;
            (
                list_type(c.name, element)?,
                vec![
                    Leaf::new(Values::Bytes(Vec::new()), 1, 1),
                    Leaf::new(Values::I32(Vec::new()), 1, 1),
                ],
            )
        }
    };
    Ok((Arc::new(ty), leaves))
}

fn pq_err(e: ParquetError) -> io::Error {
    io::Error::other(format!("parquet: {e}"))
}

fn bad_cell(column: &str, reason: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("parquet column {column}: {reason}"),
    )
}

/// A Parquet file of typed columns, written row by row.
///
/// Rows are checked against the columns ([`write_row`](ParquetTable::write_row) fails with
/// [`io::ErrorKind::InvalidInput`] on a missing, extra or mistyped value and stores
/// nothing of that row), buffered, and written as a row group every `row_group_rows` rows.
/// [`finish`](ParquetTable::finish) writes the last row group and the footer; a table
/// dropped without it leaves an incomplete file (write through an
/// [`AtomicFile`](super::AtomicFile) so that such a file never appears). Pages are
/// Snappy-compressed, with dictionary encoding and min/max statistics. The same rows give
/// byte-identical files.
///
/// ```
/// use dyad_io::output::{Cell, ColumnType, ParquetColumn, ParquetTable};
/// let columns = [
///     ParquetColumn { name: "code", ty: ColumnType::Text },
///     ParquetColumn { name: "count", ty: ColumnType::OptInt64 },
/// ];
/// let mut out = Vec::new();
/// let mut table = ParquetTable::new(&mut out, &columns, &[("origin", "doc")])?;
/// table.write_row(&[Cell::Text("190"), Cell::Int(3)])?;
/// table.write_row(&[Cell::Text("112"), Cell::Null])?;
/// assert_eq!(table.finish()?, 2);
/// drop(table);
/// assert_eq!(&out[..4], b"PAR1");
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct ParquetTable<W: Write> {
    out: W,
    file: Option<SerializedFileWriter<Vec<u8>>>,
    columns: Vec<ParquetColumn>,
    /// Leaf buffers of each column, in schema order.
    leaves: Vec<Vec<Leaf>>,
    buffered: usize,
    row_group_rows: usize,
    rows: u64,
}

impl<W: Write> std::fmt::Debug for ParquetTable<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetTable")
            .field("columns", &self.columns)
            .field("buffered", &self.buffered)
            .field("row_group_rows", &self.row_group_rows)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl<W: Write> ParquetTable<W> {
    /// A table of `columns` written to `out`, with `metadata` as the file's key-value
    /// metadata. Fails when two columns share a name or a name is empty. Nothing is
    /// written to `out` before the first row group is full (or [`finish`](Self::finish)).
    pub fn new(
        out: W,
        columns: &[ParquetColumn],
        metadata: &[(&str, &str)],
    ) -> io::Result<ParquetTable<W>> {
        let mut fields = Vec::with_capacity(columns.len());
        let mut leaves = Vec::with_capacity(columns.len());
        for (i, c) in columns.iter().enumerate() {
            if c.name.is_empty() || columns[..i].iter().any(|d| d.name == c.name) {
                return Err(bad_cell(c.name, "empty or repeated column name"));
            }
            let (field, l) = column_schema(c).map_err(pq_err)?;
            fields.push(field);
            leaves.push(l);
        }
        let schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .map_err(pq_err)?;
        let kv = metadata
            .iter()
            .map(|(k, v)| KeyValue::new(k.to_string(), v.to_string()))
            .collect::<Vec<_>>();
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_key_value_metadata((!kv.is_empty()).then_some(kv))
            .build();
        let file = SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(props))
            .map_err(pq_err)?;
        Ok(ParquetTable {
            out,
            file: Some(file),
            columns: columns.to_vec(),
            leaves,
            buffered: 0,
            row_group_rows: DEFAULT_ROW_GROUP_ROWS,
            rows: 0,
        })
    }

    /// Sets the number of rows per row group (at least 1).
    pub fn with_row_group_rows(mut self, rows: usize) -> ParquetTable<W> {
        self.row_group_rows = rows.max(1);
        self
    }

    /// The columns.
    pub fn columns(&self) -> &[ParquetColumn] {
        &self.columns
    }

    /// Rows written so far (buffered ones included).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Adds one row: one cell per column, in column order.
    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> io::Result<()> {
        if self.file.is_none() {
            return Err(io::Error::other("parquet table already finished"));
        }
        if cells.len() != self.columns.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "parquet row has {} values for {} columns",
                    cells.len(),
                    self.columns.len()
                ),
            ));
        }
        for (c, cell) in self.columns.iter().zip(cells) {
            check(c, cell)?;
        }
        for (leaves, cell) in self.leaves.iter_mut().zip(cells) {
            push(leaves, cell);
        }
        self.buffered += 1;
        self.rows += 1;
        if self.buffered >= self.row_group_rows {
            self.flush_row_group()?;
        }
        Ok(())
    }

    /// Writes the buffered rows and the footer, flushes the output and returns the number
    /// of rows. Later calls do nothing and return the same number.
    pub fn finish(&mut self) -> io::Result<u64> {
        if self.file.is_none() {
            return Ok(self.rows);
        }
        if self.buffered > 0 {
            self.flush_row_group()?;
        }
        if let Some(file) = self.file.take() {
            let rest = file.into_inner().map_err(pq_err)?;
            self.out.write_all(&rest)?;
        }
        self.out.flush()?;
        Ok(self.rows)
    }

    /// The output.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn flush_row_group(&mut self) -> io::Result<()> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("parquet table already finished"))?;
        let mut group = file.next_row_group().map_err(pq_err)?;
        for leaf in self.leaves.iter_mut().flatten() {
            let mut column = group
                .next_column()
                .map_err(pq_err)?
                .ok_or_else(|| io::Error::other("parquet schema has fewer columns"))?;
            leaf.write(column.untyped()).map_err(pq_err)?;
            column.close().map_err(pq_err)?;
            leaf.clear();
        }
        group.close().map_err(pq_err)?;
        self.buffered = 0;
        self.drain()
    }

    /// Moves what the Parquet writer has serialised so far to the output.
    fn drain(&mut self) -> io::Result<()> {
        if let Some(file) = self.file.as_mut() {
            let bytes = std::mem::take(file.inner_mut());
            self.out.write_all(&bytes)?;
        }
        Ok(())
    }
}

fn check(c: &ParquetColumn, cell: &Cell<'_>) -> io::Result<()> {
    use ColumnType as T;
    let ok = match (c.ty, cell) {
        (T::OptText | T::OptInt32 | T::OptInt64 | T::OptFloat | T::OptDate, Cell::Null) => true,
        (T::Text | T::OptText, Cell::Text(_)) => true,
        (T::Int32 | T::OptInt32, Cell::Int(n)) => {
            if i32::try_from(*n).is_err() {
                return Err(bad_cell(c.name, &format!("{n} does not fit in 32 bits")));
            }
            true
        }
        (T::Int64 | T::OptInt64, Cell::Int(_)) => true,
        (T::OptFloat, Cell::Float(_)) => true,
        (T::Bool, Cell::Bool(_)) => true,
        (T::OptDate, Cell::Date(d)) => {
            if i32::try_from(d.days_since_epoch()).is_err() {
                return Err(bad_cell(c.name, &format!("date {d} out of range")));
            }
            true
        }
        (T::TextList, Cell::TextList(_)) => true,
        (T::IssueList, Cell::Issues(issues)) => {
            if let Some((code, n)) = issues.iter().find(|(_, n)| i32::try_from(*n).is_err()) {
                return Err(bad_cell(
                    c.name,
                    &format!("issue {code} count {n} too large"),
                ));
            }
            true
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(bad_cell(
            c.name,
            &format!("a {:?} value does not fit a {:?} column", cell, c.ty),
        ))
    }
}

/// Appends a checked cell to its column's leaves.
fn push(leaves: &mut [Leaf], cell: &Cell<'_>) {
    let Some((leaf, rest)) = leaves.split_first_mut() else {
        return;
    };
    match cell {
        Cell::Null => leaf.levels(0, 0),
        Cell::Text(s) => {
            if let Values::Bytes(v) = &mut leaf.values {
                v.push(ByteArray::from(s.as_bytes().to_vec()));
            }
            leaf.levels(leaf.max_def, 0);
        }
        Cell::Int(n) => {
            match &mut leaf.values {
                // `check` made sure it fits.
                Values::I32(v) => v.push(i32::try_from(*n).unwrap_or_default()),
                Values::I64(v) => v.push(*n),
                _ => {}
            }
            leaf.levels(leaf.max_def, 0);
        }
        Cell::Float(x) => {
            if let Values::F32(v) = &mut leaf.values {
                v.push(*x);
            }
            leaf.levels(leaf.max_def, 0);
        }
        Cell::Bool(b) => {
            if let Values::Bool(v) = &mut leaf.values {
                v.push(*b);
            }
            leaf.levels(leaf.max_def, 0);
        }
        Cell::Date(d) => {
            if let Values::I32(v) = &mut leaf.values {
                v.push(i32::try_from(d.days_since_epoch()).unwrap_or_default());
            }
            leaf.levels(leaf.max_def, 0);
        }
        Cell::TextList(items) => {
            if items.is_empty() {
                leaf.levels(0, 0);
            }
            for (i, s) in items.iter().enumerate() {
                if let Values::Bytes(v) = &mut leaf.values {
                    v.push(ByteArray::from(s.as_bytes().to_vec()));
                }
                leaf.levels(1, i16::from(i > 0));
            }
        }
        Cell::Issues(issues) => {
            let Some(counts) = rest.first_mut() else {
                return;
            };
            if issues.is_empty() {
                leaf.levels(0, 0);
                counts.levels(0, 0);
            }
            for (i, (code, n)) in issues.iter().enumerate() {
                if let Values::Bytes(v) = &mut leaf.values {
                    v.push(ByteArray::from(code.as_bytes().to_vec()));
                }
                if let Values::I32(v) = &mut counts.values {
                    v.push(i32::try_from(*n).unwrap_or_default());
                }
                leaf.levels(1, i16::from(i > 0));
                counts.levels(1, i16::from(i > 0));
            }
        }
    }
}

/// The columns of [`ParquetWriter`]: dyad's JSON Lines event format, flattened.
pub const EVENT_COLUMNS: &[ParquetColumn] = {
    use ColumnType::*;
    &[
        col("event_id", Text),
        col("article_id", Text),
        col("sentence", Int32),
        col("sentence_id", Text),
        col("date", OptDate),
        col("date_missing", Bool),
        col("url", OptText),
        col("news_source", OptText),
        col("source_code", OptText),
        col("source_country", OptText),
        col("source_sector", OptText),
        col("source_parts", TextList),
        col("source_text", OptText),
        col("source_start", OptInt64),
        col("source_end", OptInt64),
        col("source_entries", TextList),
        col("target_code", OptText),
        col("target_country", OptText),
        col("target_sector", OptText),
        col("target_parts", TextList),
        col("target_text", OptText),
        col("target_start", OptInt64),
        col("target_end", OptInt64),
        col("target_entries", TextList),
        col("cameo_code", Text),
        col("cameo_root", OptText),
        col("cameo_name", OptText),
        col("goldstein", OptFloat),
        col("quad_class", OptInt32),
        col("plover_type", OptText),
        col("plover_mode", OptText),
        col("plover_context", TextList),
        col("issues", IssueList),
        col("text", Text),
        col("verb_text", OptText),
        col("verb_start", OptInt64),
        col("verb_end", OptInt64),
        col("pattern", Text),
        col("pattern_entry", OptText),
    ]
};

/// Value of the `dyad.schema` key in the metadata of [`ParquetWriter`] files.
pub const EVENT_SCHEMA_ID: &str = "dyad.events/1";

/// Writes events as one Parquet file whose columns ([`EVENT_COLUMNS`]) flatten dyad's
/// JSON Lines format ([`JsonlWriter`](super::JsonlWriter)) one to one:
///
/// | column | Parquet type | JSON Lines key |
/// |---|---|---|
/// | `event_id`, `article_id`, `sentence_id` | string | same |
/// | `sentence` | int32 | same |
/// | `date` | date (int32 days), null when unknown | `date` |
/// | `date_missing` | boolean | same |
/// | `url`, `news_source` | string, nullable | same |
/// | `source_code`, `source_country`, `source_sector` | string, nullable | `source.code`, `.country`, `.sector` |
/// | `source_parts` | list of strings | `source.parts` |
/// | `source_text` | string, nullable | `source.text` |
/// | `source_start`, `source_end` | int64, nullable | `source.span` (character offsets in the article) |
/// | `source_entries` | list of strings (`file:line`) | `evidence.source_entries` |
/// | `target_*` | as `source_*` | `target`, `evidence.target_entries` |
/// | `cameo_code` | string | `cameo.code` |
/// | `cameo_root`, `cameo_name` | string, nullable | `cameo.root`, `cameo.name` |
/// | `goldstein` | float (32 bits), nullable | same |
/// | `quad_class` | int32, nullable | same |
/// | `plover_type`, `plover_mode` | string, nullable | `plover.type`, `plover.mode` (null when `plover` is) |
/// | `plover_context` | list of strings | `plover.context` (empty when `plover` is null) |
/// | `issues` | list of `{code: string, count: int32}` | same |
/// | `text` | string | same |
/// | `verb_text` | string, nullable | `evidence.verb.text` |
/// | `verb_start`, `verb_end` | int64, nullable | `evidence.verb.span` |
/// | `pattern` | string | `evidence.pattern` |
/// | `pattern_entry` | string, nullable | `evidence.pattern_entry` |
///
/// Lists use Parquet's standard three-level `LIST` layout. The file's key-value metadata
/// has `dyad.schema` = [`EVENT_SCHEMA_ID`]. Rows are buffered and written in row groups of
/// [`DEFAULT_ROW_GROUP_ROWS`]: the output gets nothing before the first row group is
/// full, then one row group at a time, and the footer at [`finish`](EventWriter::finish).
/// Write to an [`AtomicFile`](super::AtomicFile): the file is only valid once finished.
#[derive(Debug)]
pub struct ParquetWriter<W: Write> {
    table: ParquetTable<W>,
}

impl<W: Write> ParquetWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> ParquetWriter<W> {
        let table = ParquetTable::new(out, EVENT_COLUMNS, &[("dyad.schema", EVENT_SCHEMA_ID)])
            // The columns are a constant with distinct names (tested), and nothing is
            // written to `out` yet: this cannot fail.
            .expect("EVENT_COLUMNS is a valid Parquet schema");
        ParquetWriter { table }
    }

    /// Sets the number of rows per row group (at least 1).
    pub fn with_row_group_rows(self, rows: usize) -> ParquetWriter<W> {
        ParquetWriter {
            table: self.table.with_row_group_rows(rows),
        }
    }

    /// The output.
    pub fn into_inner(self) -> W {
        self.table.into_inner()
    }
}

/// Cells of one actor: code, country, sector, parts, text, start, end, entries.
fn actor_cells<'a>(
    out: &mut Vec<Cell<'a>>,
    parts: &'a ActorParts,
    text: Option<&'a str>,
    span: Option<CharSpan>,
    mention: &ActorMention,
) {
    out.push(Cell::opt_text(parts.code.as_deref()));
    out.push(Cell::opt_text(parts.country.as_deref()));
    out.push(Cell::opt_text(parts.parts.first().map(String::as_str)));
    out.push(Cell::TextList(parts.parts.clone()));
    out.push(Cell::opt_text(text));
    out.push(Cell::opt_int(span.map(|s| int(s.start))));
    out.push(Cell::opt_int(span.map(|s| int(s.end))));
    out.push(Cell::TextList(
        mention.entries.iter().map(|e| e.to_string()).collect(),
    ));
}

/// A `usize` as a Parquet int64 (saturating; no offset comes near `i64::MAX`).
fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl<W: Write> EventWriter for ParquetWriter<W> {
    fn write(&mut self, r: &EventRecord<'_>) -> io::Result<()> {
        let e = r.event;
        let facts = CodeFacts::of(&e.code);
        let mapping = dyad_ontology::plover_for_cameo(&e.code);
        let (source, target) = (
            ActorParts::of(&e.source.code),
            ActorParts::of(&e.target.code),
        );
        let (source_text, target_text) = (r.span_text(e.source.span), r.span_text(e.target.span));
        let verb_text = r.span_text(e.verb_span);
        let verb = r.article_span(e.verb_span);
        let pattern_entry = e.pattern_entry.as_ref().map(|s| s.to_string());
        let date = r.date();
        let mut cells = Vec::with_capacity(EVENT_COLUMNS.len());
        cells.push(Cell::Text(&r.event_id));
        cells.push(Cell::Text(&r.article.id));
        cells.push(Cell::Int(int(r.sentence)));
        cells.push(Cell::Text(&r.sentence_id));
        cells.push(date.map_or(Cell::Null, Cell::Date));
        cells.push(Cell::Bool(date.is_none()));
        cells.push(Cell::opt_text(r.article.url.as_deref()));
        cells.push(Cell::opt_text(r.article.source.as_deref()));
        let (source_span, target_span) =
            (r.article_span(e.source.span), r.article_span(e.target.span));
        actor_cells(
            &mut cells,
            &source,
            source_text.as_deref(),
            source_span,
            &e.source,
        );
        actor_cells(
            &mut cells,
            &target,
            target_text.as_deref(),
            target_span,
            &e.target,
        );
        cells.push(Cell::Text(&e.code));
        cells.push(Cell::opt_text(facts.root));
        cells.push(Cell::opt_text(facts.name));
        cells.push(facts.goldstein.map_or(Cell::Null, Cell::Float));
        cells.push(Cell::opt_int(facts.quad_class.map(i64::from)));
        let plover_type = mapping.map(|m| m.event_type.name());
        let plover_mode = r.plover_mode.or(mapping.and_then(|m| m.mode));
        cells.push(Cell::opt_text(plover_type));
        cells.push(Cell::opt_text(plover_mode));
        cells.push(Cell::TextList(
            mapping
                .map(|m| m.contexts.iter().map(|c| c.to_string()).collect())
                .unwrap_or_default(),
        ));
        cells.push(Cell::Issues(&e.issues));
        cells.push(Cell::Text(r.sentence_text));
        cells.push(Cell::opt_text(verb_text.as_deref()));
        cells.push(Cell::opt_int(verb.map(|s| int(s.start))));
        cells.push(Cell::opt_int(verb.map(|s| int(s.end))));
        cells.push(Cell::Text(&e.pattern));
        cells.push(Cell::opt_text(pattern_entry.as_deref()));
        self.table.write_row(&cells)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.table.finish().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Article, Location};
    use dyad_types::{Event, SourceRef};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::{Field, Row};

    /// Writes `bytes` to a temporary file and reads it back: (rows, the file's reader).
    fn read_back(tag: &str, bytes: &[u8]) -> (Vec<Row>, SerializedFileReader<std::fs::File>) {
        let path =
            std::env::temp_dir().join(format!("dyad-parquet-{tag}-{}.parquet", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let open = || SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let rows = open()
            .get_row_iter(None)
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let reader = open();
        std::fs::remove_file(&path).unwrap();
        (rows, reader)
    }

    fn field<'r>(row: &'r Row, name: &str) -> &'r Field {
        row.get_column_iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, f)| f)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    fn strings(f: &Field) -> Vec<String> {
        match f {
            Field::ListInternal(l) => l
                .elements()
                .iter()
                .map(|e| match e {
                    Field::Str(s) => s.clone(),
                    other => panic!("not a string: {other:?}"),
                })
                .collect(),
            other => panic!("not a list: {other:?}"),
        }
    }

    fn sample() -> (Article, Event) {
        let mut article = Article::new(
            "a1",
            "Intro. Arnor accused Gondor.",
            Location::new("in.jsonl", 1),
        );
        article.date = Some(Date::new(2023, 10, 19).unwrap());
        article.source = Some("Demo Wire".into());
        let event = Event {
            source: ActorMention {
                code: "USAGOVMIL".into(),
                span: Some(CharSpan::new(0, 5)),
                entries: vec![SourceRef {
                    file: "demo.actors".into(),
                    line: 10,
                }],
                ..Default::default()
            },
            target: ActorMention {
                code: "GON".into(),
                span: Some(CharSpan::new(14, 20)),
                ..Default::default()
            },
            code: "112".into(),
            verb_span: Some(CharSpan::new(6, 13)),
            pattern: "ACCUSE".into(),
            pattern_entry: Some(SourceRef {
                file: "demo.verbs".into(),
                line: 7,
            }),
            issues: vec![("NUCLEAR".into(), 2), ("PEACE".into(), 1)],
            ..Default::default()
        };
        (article, event)
    }

    #[test]
    fn event_columns_are_a_valid_schema() {
        let mut t = ParquetTable::new(Vec::new(), EVENT_COLUMNS, &[]).unwrap();
        assert_eq!(t.finish().unwrap(), 0);
        let (rows, reader) = read_back("empty", &t.into_inner());
        assert!(rows.is_empty());
        let schema = reader.metadata().file_metadata().schema_descr();
        // Two leaves for `issues` (code, count), one for every other column.
        assert_eq!(schema.num_columns(), EVENT_COLUMNS.len() + 1);
    }

    #[test]
    fn events_read_back_with_their_values() {
        let (article, event) = sample();
        let mut undated_article = article.clone();
        undated_article.date = None;
        undated_article.id = "a2".into();
        let empty = Event {
            code: "0874".into(),
            ..Default::default()
        };
        let mut out = Vec::new();
        {
            // Two rows per row group: five events give three row groups.
            let mut w = ParquetWriter::new(&mut out).with_row_group_rows(2);
            for n in 0..3 {
                let r = EventRecord::new(&article, 1, "Arnor accused Gondor.", 7, &event, n);
                w.write(&r).unwrap();
            }
            w.write(&EventRecord::new(&undated_article, 0, "x", 0, &empty, 0))
                .unwrap();
            let mut r = EventRecord::new(&article, 2, "y", 30, &empty, 0);
            r.plover_mode = Some("historical");
            w.write(&r).unwrap();
            w.finish().unwrap();
        }
        let (rows, reader) = read_back("events", &out);
        assert_eq!(rows.len(), 5);
        let meta = reader.metadata();
        assert_eq!(meta.num_row_groups(), 3);
        assert_eq!(meta.file_metadata().num_rows(), 5);
        let kv = meta.file_metadata().key_value_metadata().unwrap();
        assert!(kv
            .iter()
            .any(|k| k.key == "dyad.schema" && k.value.as_deref() == Some(EVENT_SCHEMA_ID)));

        let r = &rows[0];
        assert_eq!(field(r, "event_id"), &Field::Str("a1-1-0".into()));
        assert_eq!(field(&rows[2], "event_id"), &Field::Str("a1-1-2".into()));
        assert_eq!(field(r, "sentence"), &Field::Int(1));
        assert_eq!(field(r, "sentence_id"), &Field::Str("a1_2".into()));
        let days = Date::new(2023, 10, 19).unwrap().days_since_epoch() as i32;
        assert_eq!(field(r, "date"), &Field::Date(days));
        assert_eq!(field(r, "date_missing"), &Field::Bool(false));
        assert_eq!(field(r, "url"), &Field::Null);
        assert_eq!(field(r, "news_source"), &Field::Str("Demo Wire".into()));
        assert_eq!(field(r, "source_code"), &Field::Str("USAGOVMIL".into()));
        assert_eq!(field(r, "source_country"), &Field::Str("USA".into()));
        assert_eq!(field(r, "source_sector"), &Field::Str("GOV".into()));
        assert_eq!(strings(field(r, "source_parts")), ["GOV", "MIL"]);
        assert_eq!(field(r, "source_text"), &Field::Str("Arnor".into()));
        // Spans move to article offsets: the sentence starts at character 7.
        assert_eq!(field(r, "source_start"), &Field::Long(7));
        assert_eq!(field(r, "source_end"), &Field::Long(12));
        assert_eq!(strings(field(r, "source_entries")), ["demo.actors:10"]);
        assert_eq!(field(r, "target_text"), &Field::Str("Gondor".into()));
        // As in JSON Lines: the parts after the country, if any.
        assert_eq!(
            strings(field(r, "target_parts")),
            ActorParts::of("GON").parts
        );
        assert_eq!(field(r, "cameo_code"), &Field::Str("112".into()));
        assert_eq!(field(r, "cameo_root"), &Field::Str("11".into()));
        assert_eq!(field(r, "quad_class"), &Field::Int(3));
        assert_eq!(field(r, "goldstein"), &Field::Float(-2.0));
        assert_eq!(field(r, "verb_text"), &Field::Str("accused".into()));
        assert_eq!(field(r, "verb_start"), &Field::Long(13));
        assert_eq!(field(r, "pattern"), &Field::Str("ACCUSE".into()));
        assert_eq!(
            field(r, "pattern_entry"),
            &Field::Str("demo.verbs:7".into())
        );
        assert_eq!(
            field(r, "text"),
            &Field::Str("Arnor accused Gondor.".into())
        );
        match field(r, "issues") {
            Field::ListInternal(l) => {
                let got: Vec<String> = l.elements().iter().map(|e| e.to_string()).collect();
                assert_eq!(
                    got,
                    [
                        r#"{code: "NUCLEAR", count: 2}"#,
                        r#"{code: "PEACE", count: 1}"#
                    ]
                );
            }
            other => panic!("issues: {other:?}"),
        }

        // The undated event with empty slots: nulls and empty lists.
        let u = &rows[3];
        assert_eq!(field(u, "date"), &Field::Null);
        assert_eq!(field(u, "date_missing"), &Field::Bool(true));
        assert_eq!(field(u, "source_code"), &Field::Null);
        assert_eq!(field(u, "source_start"), &Field::Null);
        assert!(strings(field(u, "source_parts")).is_empty());
        assert!(matches!(field(u, "issues"), Field::ListInternal(l) if l.elements().is_empty()));
        assert_eq!(field(u, "cameo_root"), &Field::Str("08".into()));
        assert_eq!(field(u, "verb_text"), &Field::Null);
        assert_eq!(field(u, "pattern_entry"), &Field::Null);
        // 0874 maps to PLOVER; the auxiliary mode wins when given.
        assert_eq!(
            field(&rows[4], "plover_mode"),
            &Field::Str("historical".into())
        );
    }

    #[test]
    fn output_is_deterministic_and_rows_group_as_asked() {
        let (article, event) = sample();
        let write = |rows_per_group: usize| {
            let mut out = Vec::new();
            let mut w = ParquetWriter::new(&mut out).with_row_group_rows(rows_per_group);
            for n in 0..10 {
                w.write(&EventRecord::new(
                    &article,
                    0,
                    "Arnor accused Gondor.",
                    0,
                    &event,
                    n,
                ))
                .unwrap();
            }
            w.finish().unwrap();
            drop(w);
            out
        };
        assert_eq!(write(4), write(4));
        let (rows, reader) = read_back("groups", &write(4));
        assert_eq!(rows.len(), 10);
        assert_eq!(reader.metadata().num_row_groups(), 3);
        let (_, reader) = read_back("onegroup", &write(DEFAULT_ROW_GROUP_ROWS));
        assert_eq!(reader.metadata().num_row_groups(), 1);
    }

    #[test]
    fn nothing_is_written_before_a_row_group_fills() {
        let mut out = Vec::new();
        let columns = [col("n", ColumnType::Int64)];
        let mut t = ParquetTable::new(&mut out, &columns, &[])
            .unwrap()
            .with_row_group_rows(3);
        t.write_row(&[Cell::Int(1)]).unwrap();
        t.write_row(&[Cell::Int(2)]).unwrap();
        drop(t);
        assert!(out.is_empty());
        let mut t = ParquetTable::new(&mut out, &columns, &[])
            .unwrap()
            .with_row_group_rows(3);
        for n in 0..3 {
            t.write_row(&[Cell::Int(n)]).unwrap();
        }
        drop(t);
        assert_eq!(&out[..4], b"PAR1");
    }

    #[test]
    fn bad_rows_are_refused_whole() {
        let columns = [
            col("a", ColumnType::Text),
            col("b", ColumnType::OptInt32),
            col("c", ColumnType::TextList),
        ];
        let mut t = ParquetTable::new(Vec::new(), &columns, &[]).unwrap();
        let list = || Cell::TextList(vec!["x".into()]);
        let bad = [
            vec![Cell::Null, Cell::Int(1), list()],
            vec![Cell::Text("a"), Cell::Int(1 << 40), list()],
            vec![Cell::Text("a"), Cell::Text("1"), list()],
            vec![Cell::Text("a"), Cell::Int(1)],
        ];
        for row in &bad {
            let e = t.write_row(row).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
        }
        let e = t
            .write_row(&[Cell::Text("a"), Cell::Int(1 << 40), list()])
            .unwrap_err();
        assert!(e.to_string().contains("parquet column b"), "{e}");
        t.write_row(&[Cell::Text("a"), Cell::Null, Cell::TextList(vec![])])
            .unwrap();
        assert_eq!(t.finish().unwrap(), 1);
        let (rows, _) = read_back("bad", &t.into_inner());
        assert_eq!(rows.len(), 1);
        assert_eq!(field(&rows[0], "b"), &Field::Null);
        let dup = [col("a", ColumnType::Text), col("a", ColumnType::Bool)];
        assert!(ParquetTable::new(Vec::new(), &dup, &[]).is_err());
    }
}
