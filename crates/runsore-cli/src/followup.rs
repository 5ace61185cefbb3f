//! `runsore check --follow-up` output: the course compared with the expected one, then the
//! assessment. The follow-up itself is [`runsore_app::App::follow_up`].

use runsore_app::FollowUp;
use runsore_followup::Status;
use serde_json::Value;

/// The JSON of a follow-up, as every front end gives it.
pub fn to_json(f: &FollowUp) -> anyhow::Result<Value> {
    Ok(serde_json::to_value(f)?)
}

/// Plain words for the terminal: the course first, then the assessment as `runsore check`
/// shows one (short by default, everything with `--full`).
pub fn render(f: &FollowUp, full: bool, colour: bool) -> String {
    let marker = match f.course.status {
        Status::OnCourse | Status::Resolved => "on course",
        Status::Slow | Status::Worse | Status::Overdue => "OFF COURSE",
    };
    let mut text = format!(
        "Follow-up, {marker}: {}\n  Expected: {}\n\n",
        f.course.message, f.course.expected,
    );
    if !f.back_to_running.is_empty() {
        text.push_str("Back to running (the episode is closed)\n");
        for line in &f.back_to_running {
            text.push_str(&format!("  - {line}\n"));
        }
        for line in &f.triggers {
            text.push_str(&format!("  - worth knowing: {line}\n"));
        }
        text.push('\n');
    }
    let input = crate::result::Input {
        assessment: &f.assessment,
        intake: &f.intake,
        derived: &f.derived,
        pacing: None,
        understood: Vec::new(),
    };
    text.push_str(&crate::result::render(
        &input,
        &crate::result::Options { full, colour },
    ));
    text
}
