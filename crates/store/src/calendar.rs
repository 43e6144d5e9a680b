//! Day numbers and time buckets.
//!
//! The store keeps dates as days since 1970-01-01 ([`Date::days_since_epoch`]); this module
//! turns them back into dates and rounds them down to the start of a week or month.

use dyad_types::Date;

use crate::Interval;

/// The date `days` after 1970-01-01, or `None` outside the years `Date` can hold.
pub(crate) fn date_from_days(days: i64) -> Option<Date> {
    // Shift to an epoch of 0000-03-01 so that leap days fall at the end of each year, then
    // split into 400-year eras (146 097 days each).
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months counted from March: 0 = March ... 11 = February.
    let march_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * march_month + 2) / 5 + 1;
    let month = if march_month < 10 {
        march_month + 3
    } else {
        march_month - 9
    };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    Date::new(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )
    .ok()
}

/// The first day (as a day number) of the bucket that holds day `days`.
///
/// Weeks start on Monday (ISO 8601); months on their first day.
pub(crate) fn bucket_start(days: i64, interval: Interval) -> Option<i64> {
    match interval {
        Interval::Day => Some(days),
        // 1970-01-01 was a Thursday, three days after a Monday.
        Interval::Week => Some(days - (days + 3).rem_euclid(7)),
        Interval::Month => {
            let d = date_from_days(days)?;
            Some(Date::new(d.year(), d.month(), 1).ok()?.days_since_epoch())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn day_numbers_round_trip() {
        for days in (-800_000..800_000).step_by(997).chain(-1_000..1_000) {
            let date = date_from_days(days).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
        assert_eq!(date_from_days(0), Some(d(1970, 1, 1)));
        assert_eq!(date_from_days(11_016), Some(d(2000, 2, 29)));
        assert_eq!(date_from_days(-1), Some(d(1969, 12, 31)));
        assert_eq!(date_from_days(i64::MAX), None);
    }

    #[test]
    fn weeks_start_on_monday() {
        let start = |x: Date| date_from_days(bucket_start(x.days_since_epoch(), Interval::Week)?);
        // 2024-01-01 was a Monday.
        assert_eq!(start(d(2024, 1, 1)), Some(d(2024, 1, 1)));
        assert_eq!(start(d(2024, 1, 7)), Some(d(2024, 1, 1)));
        assert_eq!(start(d(2024, 1, 8)), Some(d(2024, 1, 8)));
        // Across a year end, and before the epoch.
        assert_eq!(start(d(2021, 1, 2)), Some(d(2020, 12, 28)));
        assert_eq!(start(d(1970, 1, 1)), Some(d(1969, 12, 29)));
        assert_eq!(start(d(1969, 12, 28)), Some(d(1969, 12, 22)));
    }

    #[test]
    fn months_start_on_the_first() {
        let start = |x: Date| date_from_days(bucket_start(x.days_since_epoch(), Interval::Month)?);
        assert_eq!(start(d(2024, 2, 29)), Some(d(2024, 2, 1)));
        assert_eq!(start(d(2023, 12, 31)), Some(d(2023, 12, 1)));
        assert_eq!(start(d(1969, 3, 15)), Some(d(1969, 3, 1)));
        assert_eq!(start(d(2024, 3, 1)), Some(d(2024, 3, 1)));
    }
}
