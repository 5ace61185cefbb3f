//! Calendar days without a clock or a time-zone database: a day number and its civil date.

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
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Day(days_from_civil(i64::from(year), month, day)))
    }

    /// The civil date (year, month 1-12, day 1-31).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
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

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms (public domain, "chrono-Compatible Low-Level Date Algorithms").
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y as i32, m, d)
}

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
