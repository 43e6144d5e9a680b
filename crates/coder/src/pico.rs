//! PETRARCH's internal coding ontology (PICO): CAMEO codes as hexadecimal values in which
//! verb meanings combine by arithmetic. dyad uses it for negation: PETRARCH-2 codes "did
//! not X" as the value of X minus `0xFFFF` ("will not wire tap": `0x0087+0xFFFF` − `0xFFFF`
//! = `0x0087`, CAMEO `057`).
//!
//! File format (`PETR_Validate_Internal_Coding_Ontology_1_01.txt`): one `CODE:VALUE` per
//! line, where `VALUE` is a sum of hexadecimal terms (`-0xFFFF+0x2040+0x300`), optionally
//! followed by `#`-separated alternative values and a label; `#` starts comments.

use std::collections::HashMap;

/// A line of a PICO file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct PicoError {
    /// The file name as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// The code ↔ value table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeOntology {
    /// Every code with its values, in file order (the first value is the primary one).
    values: Vec<(String, Vec<i64>)>,
    /// Primary code of each value (first code listed with it).
    by_value: HashMap<i64, usize>,
}

fn eval(expr: &str) -> Option<i64> {
    let e: String = expr.chars().filter(|c| !c.is_whitespace()).collect();
    if e.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    let mut sign: i64 = 1;
    let mut rest = e.as_str();
    let mut any = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('+') {
            sign = 1;
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix('-') {
            sign = -1;
            rest = r;
            continue;
        }
        let (digits, radix) = match rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
            Some(d) => (d, 16),
            None => (rest, 10),
        };
        let end = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if end == 0 {
            return None;
        }
        let v = i64::from_str_radix(&digits[..end], radix).ok()?;
        total += sign * v;
        any = true;
        rest = &digits[end..];
    }
    any.then_some(total)
}

impl CodeOntology {
    /// Reads a PICO file's text; `file` names it in errors. Lines that are not
    /// `CODE:VALUE` are errors; label parts after `#` are ignored.
    pub fn parse(text: &str, file: &str) -> Result<CodeOntology, PicoError> {
        let mut o = CodeOntology::default();
        for (k, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |reason: &str| PicoError {
                file: file.to_string(),
                line: k + 1,
                reason: reason.to_string(),
            };
            let (code, rest) = line
                .split_once(':')
                .ok_or_else(|| err("expected CODE:VALUE"))?;
            let code = code.trim();
            if code.is_empty() {
                return Err(err("empty code"));
            }
            let mut parts = rest.split('#');
            let first = parts.next().unwrap_or("");
            let primary =
                eval(first).ok_or_else(|| err("value is not a sum of hexadecimal numbers"))?;
            let mut vals = vec![primary];
            vals.extend(parts.filter_map(eval));
            let idx = o.values.len();
            for v in &vals {
                o.by_value.entry(*v).or_insert(idx);
            }
            o.values.push((code.to_string(), vals));
        }
        Ok(o)
    }

    /// True when nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The code of the negated event ("did not X"), when the table has one: a value of
    /// `code` minus (or, for refusals, plus) `0xFFFF`.
    pub fn negate(&self, code: &str) -> Option<&str> {
        let (_, vals) = self.values.iter().find(|(c, _)| c == code)?;
        for v in vals {
            for w in [v - 0xFFFF, v + 0xFFFF] {
                if let Some(&i) = self.by_value.get(&w) {
                    if let Some((c, _)) = self.values.get(i) {
                        if c != code && c != "---" {
                            return Some(c);
                        }
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negation_subtracts_the_refusal_value() {
        let text = "# comment\n050:0x0080#DiplomaticCoop\n057:0x0087\n110:0x1007f#0xFFFF+0x0080#0x7000#Disapprove\n\
                    170:0x10086#0x0087+0xFFFF#0x9000#Coerce\n120:-0xFFFF#Reject\n";
        let o = CodeOntology::parse(text, "t.txt").unwrap();
        assert_eq!(o.negate("110"), Some("050"));
        assert_eq!(o.negate("170"), Some("057"));
        assert_eq!(o.negate("999"), None);
        assert!(CodeOntology::parse("nonsense\n", "t.txt").is_err());
        assert_eq!(eval("-0xFFFF+0x2040+0x300"), Some(-0xFFFF + 0x2040 + 0x300));
    }
}
