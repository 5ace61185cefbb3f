//! Small formatting and parsing helpers shared by the subcommands: dates and durations.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::ctx::bad_input;

/// RFC 3339 UTC of Unix seconds, e.g. `2024-05-03T07:12:00Z`.
pub fn rfc3339(utc: i64) -> String {
    OffsetDateTime::from_unix_timestamp(utc)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| utc.to_string())
}

/// `YYYY-MM-DD HH:MM` (UTC) of Unix seconds, for tables.
pub fn datetime(utc: i64) -> String {
    let text = rfc3339(utc);
    text.get(..16).map(|s| s.replace('T', " ")).unwrap_or(text)
}

/// `H:MM:SS` of seconds.
pub fn duration(secs: f64) -> String {
    let s = secs.max(0.0).round() as i64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Parses `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time into Unix seconds; `flag` names the
/// option in the error.
pub fn parse_date(flag: &str, text: &str) -> anyhow::Result<i64> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t.unix_timestamp());
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format)
        .map(|d| d.midnight().assume_utc().unix_timestamp())
        .map_err(|_| {
            bad_input(format!(
                "{flag}: expected a date like 2024-05-03, got {text:?}"
            ))
        })
}

/// The singular or the plural for a count: "1 run", "2 runs".
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// "1 run", "3 runs".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}
