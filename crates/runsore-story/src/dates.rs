//! Relative dates resolved against the time of the check: "since Sunday", "Saturday's long run".
//!
//! The clock is a parameter ([`crate::Options::now`]): the reader reads none.

use serde_json::Value;
use time::OffsetDateTime;

use crate::Found;
use crate::text::{Clause, clause_of};
use crate::vocab::Vocabulary;

/// Days back from `today` (Monday 0) to the last `day`: 1 to 6, and today's own weekday 0 or 7
/// (`week`). Where the two readings differ, the one that keeps a red flag in its window is
/// taken: a run "on Sunday" told on a Sunday is today's (dark urine counts within 3 days of a
/// run), unless it was "last Sunday"; pain "since Sunday" told on a Sunday began a week ago
/// (today would be "since this morning"), and pain of more than 3 days is what a growing hip's
/// flag asks.
fn days_back(today: usize, day: usize, week: bool) -> u8 {
    match (today + 7 - day) % 7 {
        0 if week => 7,
        back => back as u8,
    }
}

/// Whether the weekday at `start..end` names the day the story is told ("it's Tuesday", "today
/// (Thursday)", "it's now Sunday evening", "Tuesday today").
fn names_today(lower: &str, start: usize, end: usize) -> bool {
    let before = lower[..start].trim_end_matches([' ', '(', ',']);
    let after = lower[end..].trim_start_matches([' ', ')', ',']);
    [
        "it's",
        "it is",
        "its",
        "it's now",
        "it is now",
        "its now",
        "today is",
        "today",
        "now",
    ]
    .iter()
    .any(|w| {
        before.ends_with(w)
            && before[..before.len() - w.len()]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric())
    }) || after.starts_with("today")
}

/// Findings from weekdays: "since <day>" gives the days since the pain began; a run on a day
/// ("Saturday's long run", "ran 30k on Sunday") gives the hours since the run, both as weak
/// readings that a plainer number beats.
pub(crate) fn relative(
    vocab: &Vocabulary,
    text: &str,
    clauses: &[Clause],
    now: OffsetDateTime,
) -> Vec<Found> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut run_seen = false;
    // "Marathon on Saturday, it's now Sunday evening": the story's own today beats the clock's
    // (the words may be read days after they were written).
    let mut today = now.weekday().number_days_from_monday() as usize;
    let mut told = Vec::new();
    for (day, re) in vocab.weekdays.iter().enumerate() {
        for m in re.find_iter(text) {
            if names_today(&lower, m.start(), m.end()) {
                today = day;
                told.push(m.start());
            }
        }
    }
    for (day, re) in vocab.weekdays.iter().enumerate() {
        for m in re.find_iter(text) {
            let (start, end) = (m.start(), m.end());
            if told.contains(&start) {
                continue;
            }
            let before = lower[..start].trim_end();
            let last = before
                .strip_suffix("last")
                .filter(|b| b.chars().last().is_none_or(|c| !c.is_alphanumeric()));
            let before = last.map_or(before, str::trim_end);
            let since = before.ends_with("since") || before.ends_with("from");
            if since {
                let back = days_back(today, day, true);
                let since_start = lower[..start]
                    .rfind("since")
                    .or_else(|| lower[..start].rfind("from"));
                out.push(Found {
                    field: "days_since_onset".into(),
                    value: Value::from(back),
                    start: since_start.unwrap_or(start),
                    end,
                    weak: true,
                    measured: false,
                    rule: "since-weekday".into(),
                    modifiers: Vec::new(),
                });
            }
            // The run's day: the weekday's clause names a run.
            let c = clauses[clause_of(clauses, start)];
            if !run_seen && vocab.weekday_run.is_match(&text[c.start..c.end.max(end)]) {
                run_seen = true;
                let back = days_back(today, day, last.is_some() || since);
                out.push(Found {
                    field: "hours_since_run".into(),
                    value: Value::from(u32::from(back) * 24),
                    start,
                    end,
                    weak: true,
                    measured: false,
                    rule: "run-weekday".into(),
                    modifiers: Vec::new(),
                });
            }
        }
    }
    out
}
