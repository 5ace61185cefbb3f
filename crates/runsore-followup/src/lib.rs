//! Follow-up of a soreness episode: compares how recovery is going with the expected course of
//! the condition from the knowledge base, and raises the triage when it is off course.
//!
//! Pure: the time elapsed is a parameter, the course comes from the knowledge base. Red flags are
//! not handled here: the caller re-assesses the follow-up answers with the engine, whose red-flag
//! rules win as always, and takes the more urgent of the two levels.

use runsore_model::Trend;
use runsore_triage::{Course, Triage};
use serde::{Deserialize, Serialize};

/// How recovery compares with the expected course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Gone, as expected.
    Resolved,
    /// Within the usual course.
    OnCourse,
    /// Not improving when it usually would be.
    Slow,
    /// Getting worse when it usually would be easing.
    Worse,
    /// Still there past the longest usual course.
    Overdue,
}

/// What the runner reports at a follow-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Hours since the start of the episode's clock: the end of the run that set it off, or, for
    /// conditions that creep up, when the pain began.
    pub hours: f64,
    /// Better, same, worse or gone.
    pub trend: Trend,
    /// Pain 0-10 at the first check-in of the episode, when given.
    pub first_pain: Option<u8>,
    /// Pain 0-10 now, when given.
    pub pain_now: Option<u8>,
}

/// The comparison with the expected course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseCheck {
    /// The condition followed.
    pub condition: String,
    /// On course or not, and how.
    pub status: Status,
    /// Day of the episode (day 1 is the first 24 hours).
    pub day: u32,
    /// The least urgent triage this course now calls for (never lowers the assessment's level).
    pub at_least: Triage,
    /// Plain words, e.g. "day 6 and worse: this is not the usual course of DOMS".
    pub message: String,
    /// The expected course in plain words, from the knowledge base.
    pub expected: String,
}

/// The ends of a course's windows in hours, with defaults where the knowledge base gives none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Windows {
    /// When it is usually no longer at its worst.
    pub peak_end: f64,
    /// When it has usually eased.
    pub resolution_end: f64,
    /// Past this it is off course whatever the trend.
    pub max: f64,
}

impl Windows {
    /// The windows of a course.
    pub fn of(course: &Course) -> Windows {
        let peak_end = course.peak_hours.map_or(72.0, |[_, hi]| hi);
        let resolution_end = course.resolution_hours.map_or(peak_end * 2.0, |[_, hi]| hi);
        let max = course
            .max_hours
            .unwrap_or(resolution_end * 1.5)
            .max(resolution_end);
        Windows {
            peak_end,
            resolution_end,
            max,
        }
    }
}

/// Compares a follow-up with a condition's expected course. `usual` is the condition's own triage
/// level (a course that goes wrong always calls for at least a clinician's look); `today` is the
/// level the re-assessment of today's answers reached by itself, so that a course still on track
/// does not say "check again tomorrow" above a result that asks for more (pain of 8 in the usual
/// peak of DOMS is on course and still a reason to be seen).
pub fn compare(
    condition_name: &str,
    course: &Course,
    usual: Triage,
    today: Triage,
    p: &Progress,
) -> CourseCheck {
    let hours = if p.hours.is_finite() {
        p.hours.max(0.0)
    } else {
        0.0
    };
    let day = (hours / 24.0).floor() as u32 + 1;
    let Windows {
        peak_end,
        resolution_end,
        max,
    } = Windows::of(course);
    // A rise of two points on the 0-10 scale is the smallest change people reliably feel.
    let pain_rose =
        matches!((p.first_pain, p.pain_now), (Some(a), Some(b)) if b >= a.saturating_add(2));
    let worse = p.trend == Trend::Worse || pain_rose;
    let when = format!("day {day}");
    let name = lower_first(condition_name);
    let (status, at_least, message) = if p.trend == Trend::Gone {
        (
            Status::Resolved,
            usual,
            format!("{when} and gone: a usual course of {name}"),
        )
    } else if hours > max {
        (
            Status::Overdue,
            raise(usual, Triage::SeeDoctor),
            format!(
                "{when} and still there: longer than the usual course of {name}; see a clinician to find out why"
            ),
        )
    } else if worse && hours > peak_end {
        (
            Status::Worse,
            raise(
                usual,
                if usual >= Triage::SeeDoctor {
                    Triage::Urgent
                } else {
                    Triage::SeeDoctor
                },
            ),
            format!(
                "{when} and worse: this is not the usual course of {name}, which should be easing by now"
            ),
        )
    } else if p.trend != Trend::Better && hours > resolution_end {
        (
            Status::Slow,
            raise(usual, Triage::SeeDoctor),
            format!("{when} and no better: {name} has usually eased by now; see a clinician"),
        )
    } else if worse && today > usual {
        (
            Status::OnCourse,
            usual,
            format!(
                "{when} and worse: still within the usual peak of {name}, but what you report today needs more than waiting it out"
            ),
        )
    } else if worse {
        (
            Status::OnCourse,
            usual,
            format!(
                "{when} and worse: still within the usual peak of {name}; check again tomorrow"
            ),
        )
    } else {
        (
            Status::OnCourse,
            usual,
            format!("{when}: within the usual course of {name}"),
        )
    };
    CourseCheck {
        condition: condition_name.to_string(),
        status,
        day,
        at_least,
        message,
        expected: course.text.clone(),
    }
}

fn raise(a: Triage, b: Triage) -> Triage {
    a.max(b)
}

/// "Delayed onset muscle soreness (DOMS)" reads better mid-sentence with a small first letter,
/// but an acronym-led name ("DOMS ...") keeps its capitals.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => a
            .to_lowercase()
            .chain(std::iter::once(b))
            .chain(chars)
            .collect(),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests;

/// What tends to come before this runner's episodes: for each kind of run that the analytics
/// flag, how many of the episodes followed one. Reads only the evidence stored with each
/// episode's first check-in, most recent episode first.
pub fn triggers(episodes: &[runsore_model::DerivedEvidence]) -> Vec<String> {
    // (intake field, value that marks the trigger, words for it)
    const KINDS: &[(&str, &str)] = &[
        ("run.downhill", "much downhill running"),
        ("run.unaccustomed", "a run longer or harder than usual"),
        ("run.hot", "a hot run"),
        ("run.heavy_sweating", "heavy sweating"),
        (
            "training.weekly_increase_pct",
            "weekly distance rising by more than 30%",
        ),
    ];
    let flagged = |e: &runsore_model::DerivedEvidence, field: &str| {
        e.findings.iter().any(|f| {
            f.field == field
                && (f.value == serde_json::Value::Bool(true)
                    || f.value.as_f64().is_some_and(|v| v > 30.0))
        })
    };
    let mut out = Vec::new();
    if episodes.len() < 2 {
        return out;
    }
    for (field, words) in KINDS {
        let n = episodes.iter().filter(|e| flagged(e, field)).count();
        // Two or more, and at least half: a pattern worth a sentence, not a coincidence.
        if n >= 2 && n * 2 >= episodes.len() {
            let example = episodes
                .iter()
                .flat_map(|e| &e.findings)
                .find(|f| f.field == *field)
                .map(|f| format!(" (e.g. {})", f.because))
                .unwrap_or_default();
            out.push(format!(
                "{n} of your last {} episodes followed {words}{example}",
                episodes.len()
            ));
        }
    }
    out
}
