//! Calendar days without a clock or a time-zone database: a day number and its civil date. The
//! civil calendar itself is the `time` crate's (the importer's timestamps use it too), so the
//! workspace holds no hand-written date arithmetic.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar day in the runner's local time, counted from 1970-01-01 (day 0). Serialised as
/// `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub i64);

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Day, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(|_| {
            serde::de::Error::custom(format!("expected a date YYYY-MM-DD, got {text:?}"))
        })
    }
}

impl std::str::FromStr for Day {
    type Err = ();

    /// Parses `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Day, ()> {
        let mut parts = s.trim().splitn(3, '-');
        let y = parts.next().and_then(|p| p.parse().ok()).ok_or(())?;
        let m = parts.next().and_then(|p| p.parse().ok()).ok_or(())?;
        let d = parts.next().and_then(|p| p.parse().ok()).ok_or(())?;
        Day::from_ymd(y, m, d).ok_or(())
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Day {
    /// The local day of a UTC instant, given the local offset from UTC in seconds.
    pub fn from_utc(utc_s: i64, offset_s: i32) -> Day {
        Day(utc_s.saturating_add(i64::from(offset_s)).div_euclid(86_400))
    }

    /// The day of a civil date; `None` when the month or day is out of range.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        let date = time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
        Some(Day(i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY))
    }

    /// The civil date (year, month 1-12, day 1-31). Days beyond the calendar's range (years
    /// -9999 to 9999, far outside any bounded timestamp) read as its first or last day.
    pub fn ymd(self) -> (i32, u32, u32) {
        let first = i64::from(time::Date::MIN.to_julian_day());
        let last = i64::from(time::Date::MAX.to_julian_day());
        let julian = (self.0 + UNIX_EPOCH_JULIAN_DAY).clamp(first, last) as i32;
        let date = time::Date::from_julian_day(julian).unwrap_or(time::Date::MIN);
        (
            date.year(),
            u32::from(u8::from(date.month())),
            u32::from(date.day()),
        )
    }

    /// The day `n` days later (earlier when negative).
    pub fn plus(self, n: i64) -> Day {
        Day(self.0 + n)
    }

    /// A short human form: "3 May", with the year when it differs from `reference`'s.
    pub fn short(self, reference: Day) -> String {
        let (y, m, d) = self.ymd();
        let month = MONTHS[(m - 1) as usize];
        if y == reference.ymd().0 {
            format!("{d} {month}")
        } else {
            format!("{d} {month} {y}")
        }
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// The Julian day number of 1970-01-01, day 0.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        // (year, month, day, day number), the numbers from `date -d ... +%s` / 86400.
        let cases = [
            (1970, 1, 1, 0),
            (2000, 2, 29, 11_016),
            (2025, 5, 3, 20_211),
            (1969, 12, 31, -1),
        ];
        for (y, m, d, n) in cases {
            assert_eq!(Day::from_ymd(y, m, d), Some(Day(n)), "{y}-{m}-{d}");
            assert_eq!(Day(n).ymd(), (y, m, d));
        }
        assert_eq!(Day::from_ymd(2025, 2, 29), None);
        assert_eq!(Day(20_211).to_string(), "2025-05-03");
        assert_eq!("2025-05-03".parse(), Ok(Day(20_211)));
        assert_eq!("2025-02-30".parse::<Day>(), Err(()));
        assert_eq!(
            serde_json::to_string(&Day(20_211)).unwrap(),
            "\"2025-05-03\""
        );
        assert_eq!(Day(20_211).short(Day(20_300)), "3 May");
        assert_eq!(Day(20_211).short(Day(21_000)), "3 May 2025");
    }

    #[test]
    fn local_day_uses_the_offset() {
        // 2025-05-03 23:30 UTC is already 4 May in UTC+2 and still 3 May in UTC-5.
        let t = 20_211 * 86_400 + 23 * 3600 + 1800;
        assert_eq!(Day::from_utc(t, 7200), Day(20_212));
        assert_eq!(Day::from_utc(t, -5 * 3600), Day(20_211));
    }
}
