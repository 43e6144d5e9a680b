//! Reading the crate's tab-separated tables.
//!
//! Format: one row per line, fields separated by a single tab, `#` at
//! the start of a line marks a comment, blank lines are skipped. A field
//! written `-` stands for "no value".

use crate::error::DataError;

/// One data row with its 1-based line number.
pub(crate) struct Row {
    pub line: usize,
    pub fields: Vec<&'static str>,
}

impl Row {
    /// The field at `i`; the caller has checked the field count.
    pub fn get(&self, i: usize) -> &'static str {
        self.fields.get(i).copied().unwrap_or("")
    }

    /// The field at `i`, or `None` when it is `-` or absent.
    pub fn opt(&self, i: usize) -> Option<&'static str> {
        match self.fields.get(i).copied() {
            None | Some("-") | Some("") => None,
            Some(s) => Some(s),
        }
    }
}

/// Splits `text` into rows of `min..=max` fields each.
pub(crate) fn rows(
    file: &'static str,
    text: &'static str,
    min: usize,
    max: usize,
) -> Result<Vec<Row>, DataError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let fields: Vec<&'static str> = raw.split('\t').collect();
        if fields.len() < min || fields.len() > max {
            let want = if min == max {
                format!("{min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(DataError::new(
                file,
                line,
                format!(
                    "expected {want} tab-separated fields, found {}",
                    fields.len()
                ),
            ));
        }
        if let Some(f) = fields.iter().find(|f| f.trim() != **f || f.is_empty()) {
            return Err(DataError::new(
                file,
                line,
                format!("field {f:?} is empty or has surrounding spaces"),
            ));
        }
        out.push(Row { line, fields });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_comments_and_blank_lines() {
        let r = rows("t.tsv", "# c\n\na\tb\n", 2, 2).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].line, 3);
        assert_eq!(r[0].get(1), "b");
        assert_eq!(r[0].opt(5), None);
    }

    #[test]
    fn wrong_field_count_names_file_and_line() {
        let e = rows("t.tsv", "a\tb\nc\n", 2, 2).err().unwrap();
        assert_eq!(
            e.to_string(),
            "t.tsv:2: expected 2 tab-separated fields, found 1"
        );
    }

    #[test]
    fn padded_field_is_an_error() {
        let e = rows("t.tsv", "a\t b\n", 2, 2).err().unwrap();
        assert_eq!(e.line, 1);
        assert!(e.reason.contains("surrounding spaces"), "{e}");
    }

    #[test]
    fn dash_is_none() {
        let r = rows("t.tsv", "a\t-\n", 2, 2).unwrap();
        assert_eq!(r[0].opt(1), None);
        assert_eq!(r[0].opt(0), Some("a"));
    }
}
