//! Small, allocation-free date helpers: ISO 8601 timestamps in XML files and civil dates.
//!
//! XML activity files hold hundreds of thousands of timestamps; parsing them by hand is several
//! times faster than a general date library and lets a bad timestamp become `None`, not an error.

/// Days from 1970-01-01 to the given proleptic Gregorian date, by the `time` crate's calendar
/// (the analytics' days use it too); `None` for a date that does not exist (30 February).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    Some(i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY)
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Seconds since the Unix epoch of an ISO 8601 / RFC 3339 timestamp such as
/// `2020-05-01T07:03:23.5Z` or `2012-12-26T21:29:53+01:00`. A time without a zone is taken as
/// UTC, as gpxpy and Garmin do. Returns `None` for anything it cannot read.
pub fn parse_iso8601(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let year = digits(b, 0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(i64::from(year), month, day)? as f64 * 86_400.0;
    let mut i = 10;
    if matches!(b.get(i), Some(b'T' | b't' | b' ')) {
        let h = digits(b, i + 1, 2)?;
        if b.get(i + 3) != Some(&b':') {
            return None;
        }
        let mi = digits(b, i + 4, 2)?;
        i += 6;
        // Some exporters (NikePlus) drop the seconds or write a single digit.
        let mut sec = 0u32;
        if b.get(i) == Some(&b':') {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && b[end].is_ascii_digit() && end - start < 2 {
                end += 1;
            }
            sec = digits(b, start, end - start)?;
            i = end;
        }
        if h > 24 || mi > 59 || sec > 60 {
            return None;
        }
        secs += f64::from(h * 3600 + mi * 60 + sec);
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            let mut scale = 0.1;
            let mut frac = 0.0;
            while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
                frac += f64::from(c - b'0') * scale;
                scale /= 10.0;
                i += 1;
            }
            secs += frac;
        }
        match b.get(i) {
            None | Some(b'Z' | b'z') => {}
            Some(&sign @ (b'+' | b'-')) => {
                let oh = digits(b, i + 1, 2)?;
                let om = match b.get(i + 3) {
                    Some(b':') => digits(b, i + 4, 2)?,
                    Some(_) => digits(b, i + 3, 2)?,
                    None => 0,
                };
                let off = f64::from(oh * 3600 + om * 60);
                secs += if sign == b'+' { -off } else { off };
            }
            Some(_) => return None,
        }
    }
    Some(secs)
}

/// The UTC offset an ISO 8601 timestamp states explicitly (`+01:00` → 3600), in seconds; `None`
/// for `Z` or no zone, which say nothing about local time.
pub fn iso_offset_s(s: &str) -> Option<i32> {
    let b = s.trim().as_bytes();
    let t = b.iter().position(|&c| c == b'T' || c == b't')?;
    let z = t + b[t..].iter().position(|&c| c == b'+' || c == b'-')?;
    let h = digits(b, z + 1, 2)?;
    let m = match b.get(z + 3) {
        Some(b':') => digits(b, z + 4, 2)?,
        Some(_) => digits(b, z + 3, 2)?,
        None => 0,
    };
    let v = (h * 3600 + m * 60) as i32;
    (v <= 14 * 3600).then_some(if b[z] == b'-' { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(s: &str, want: Option<f64>) {
        assert_eq!(parse_iso8601(s), want, "{s}");
    }

    #[test]
    fn timestamps() {
        check("1970-01-01T00:00:00Z", Some(0.0));
        check("2012-12-26T21:29:53Z", Some(1_356_557_393.0));
        check("2012-12-26T22:29:53+01:00", Some(1_356_557_393.0));
        check("2012-12-26T21:29:53.500Z", Some(1_356_557_393.5));
        check("2012-12-26T21:29:53", Some(1_356_557_393.0));
        check("2012-12-26T21:29:5Z", Some(1_356_557_345.0));
        check("2012-12-26", Some(1_356_480_000.0));
        check("garbage", None);
        check("2012-13-26T21:29:53Z", None);
        check("", None);
    }

    #[test]
    fn offsets() {
        assert_eq!(iso_offset_s("2012-12-26T22:29:53+01:00"), Some(3600));
        assert_eq!(iso_offset_s("2012-12-26T16:29:53-0530"), Some(-19800));
        assert_eq!(iso_offset_s("2012-12-26T21:29:53Z"), None);
        assert_eq!(iso_offset_s("2012-12-26T21:29:53"), None);
    }
}
