use std::fmt;

use serde::{Deserialize, Serialize};

/// A proleptic Gregorian calendar date.
///
/// Dates order chronologically. They serialise as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a date could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text is not in the expected layout.
    #[error("malformed date {0:?}: expected {1}")]
    Malformed(String, &'static str),
    /// The fields are in range individually but do not name a real day.
    #[error("impossible date {0:04}-{1:02}-{2:02}")]
    Impossible(i32, u32, u32),
}

impl Date {
    /// A date from its parts; fails for days that do not exist (2014-02-30).
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::Impossible(year, month, day));
        }
        Ok(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Reads `YYYYMMDD` (PETRARCH sentence dates).
    pub fn parse_yyyymmdd(s: &str) -> Result<Date, DateError> {
        let s = s.trim();
        let expect = "YYYYMMDD";
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::Malformed(s.to_string(), expect));
        }
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        Date::new(n(0..4) as i32, n(4..6), n(6..8))
    }

    /// Reads `YYMMDD` (TABARI/PETRARCH actor date restrictions). Two-digit years below 30
    /// are 20xx, the others 19xx, as PETRARCH reads them.
    pub fn parse_yymmdd(s: &str) -> Result<Date, DateError> {
        let s = s.trim();
        let expect = "YYMMDD";
        if s.len() == 8 {
            return Date::parse_yyyymmdd(s);
        }
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::Malformed(s.to_string(), expect));
        }
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        let yy = n(0..2) as i32;
        let year = if yy < 30 { 2000 + yy } else { 1900 + yy };
        Date::new(year, n(2..4), n(4..6))
    }

    /// Reads `YYYY-MM-DD`, `YYYYMMDD`, or the date part of an RFC 3339 timestamp.
    pub fn parse_iso(s: &str) -> Result<Date, DateError> {
        let s = s.trim();
        let expect = "YYYY-MM-DD";
        let head = s.get(..10).unwrap_or(s);
        if head.len() == 10 && head.as_bytes()[4] == b'-' && head.as_bytes()[7] == b'-' {
            let year = head[0..4].parse::<i32>();
            let month = head[5..7].parse::<u32>();
            let day = head[8..10].parse::<u32>();
            return match (year, month, day) {
                (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d),
                _ => Err(DateError::Malformed(s.to_string(), expect)),
            };
        }
        Date::parse_yyyymmdd(s).map_err(|_| DateError::Malformed(s.to_string(), expect))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }
    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.month as u32
    }
    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        self.day as u32
    }

    /// `YYYYMMDD` as PETRARCH writes it.
    pub fn to_yyyymmdd(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// Days since 1970-01-01 (negative before), for arithmetic and compact storage.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse_iso(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_layouts_dictionaries_and_inputs_use() {
        assert_eq!(
            Date::parse_yyyymmdd("19950101").unwrap(),
            Date::new(1995, 1, 1).unwrap()
        );
        assert_eq!(
            Date::parse_yymmdd("050101").unwrap(),
            Date::new(2005, 1, 1).unwrap()
        );
        assert_eq!(
            Date::parse_yymmdd("950101").unwrap(),
            Date::new(1995, 1, 1).unwrap()
        );
        assert_eq!(
            Date::parse_iso("2023-10-19T12:00:00Z").unwrap().to_string(),
            "2023-10-19"
        );
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert!(matches!(
            Date::parse_yyyymmdd("20140230"),
            Err(DateError::Impossible(..))
        ));
        assert!(matches!(
            Date::parse_yyyymmdd("2014023"),
            Err(DateError::Malformed(..))
        ));
        assert!(Date::parse_iso("yesterday").is_err());
        assert!(Date::new(2000, 2, 29).is_ok());
        assert!(Date::new(1900, 2, 29).is_err());
    }

    #[test]
    fn counts_days_from_the_epoch() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
        assert_eq!(Date::new(1969, 12, 31).unwrap().days_since_epoch(), -1);
    }
}
