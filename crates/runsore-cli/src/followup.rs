//! `runsore check --follow-up`: the few questions that matter for the open episode, the course
//! compared with the expected one, and the triage raised when recovery is off course.

use anyhow::Context as _;
use runsore_followup::{CourseCheck, Progress, Status};
use runsore_model::{DerivedEvidence, Intake};
use runsore_store::{CheckInKind, EpisodeHistory, NewCheckIn, Store};
use runsore_triage::{Assessment, KnowledgeBase, Triage};
use serde_json::{Value, json};

use crate::{Ctx, ctx::bad_input};

/// The result of a follow-up: the fresh assessment and the course comparison.
pub struct FollowUp {
    /// The re-assessment of the merged answers, its triage raised to the course's demand.
    pub assessment: Assessment,
    /// How recovery compares with the expected course.
    pub course: CourseCheck,
}

/// The intake fields that red-flag rules read: asked again at every follow-up, never carried
/// over, since a red flag can appear at any time.
pub fn red_flag_fields(kb: &KnowledgeBase) -> Vec<String> {
    let mut fields: Vec<String> = kb
        .red_flags
        .iter()
        .flat_map(|rule| rule.when.iter().flatten())
        .filter_map(|id| kb.findings.iter().find(|f| &f.id == id))
        .map(|f| f.field.clone())
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

/// The open episode with its history; a bad-input error when there is none.
pub fn open_episode(store: &Store) -> anyhow::Result<EpisodeHistory> {
    let current = store.current_episode()?.ok_or_else(|| {
        bad_input("no open episode to follow up: run `runsore check` first (follow-ups need an earlier check)")
    })?;
    store
        .list_episodes()?
        .into_iter()
        .find(|h| h.episode.id == current.id)
        .context("the open episode vanished while reading it")
}

/// The previous answers to build on: the latest check-in's intake without its red-flag answers
/// or the answers that change from day to day.
pub fn carried_intake(kb: &KnowledgeBase, history: &EpisodeHistory) -> anyhow::Result<Value> {
    let last = history
        .checkins
        .last()
        .context("an episode always has a check-in")?;
    let mut intake = last.data.intake.clone();
    if let Some(obj) = intake.as_object_mut() {
        for field in red_flag_fields(kb)
            .iter()
            .chain(&["trend".to_string(), "pain".to_string()])
        {
            if !field.contains('.') {
                obj.remove(field);
            }
        }
    }
    Ok(intake)
}

/// Hours on the episode's clock at `now`: from the end of the run that set it off (or, for pain
/// that crept up, from when it began) as told at the first check-in.
fn episode_hours(history: &EpisodeHistory, now_utc: i64) -> f64 {
    let first = &history.checkins[0].data;
    let at_first = first
        .intake
        .get("hours_since_run")
        .and_then(Value::as_f64)
        .or_else(|| {
            first
                .intake
                .get("days_since_onset")
                .and_then(Value::as_f64)
                .map(|d| d * 24.0)
        });
    at_first.unwrap_or(0.0) + (now_utc - first.at_utc).max(0) as f64 / 3600.0
}

/// Re-assesses `answers` (the carried intake with today's answers merged in) for the episode and
/// compares the course; stores the follow-up and closes the episode when the pain is gone.
pub fn follow_up(
    ctx: &Ctx,
    store: &Store,
    history: &EpisodeHistory,
    answers: &Intake,
    derived: &DerivedEvidence,
) -> anyhow::Result<FollowUp> {
    let kb = runsore_triage::knowledge();
    let now = ctx.now_utc();
    let Some(trend) = answers.trend else {
        return Err(bad_input(
            "a follow-up needs `trend` (better, same, worse or gone)",
        ));
    };
    let hours = episode_hours(history, now);
    let first = &history.checkins[0].data;
    let condition_id = first.result["conditions"][0]["id"]
        .as_str()
        .unwrap_or("doms")
        .to_string();
    let condition = kb
        .conditions
        .iter()
        .find(|c| c.id == condition_id)
        .with_context(|| {
            format!("the episode's condition {condition_id} is not in this knowledge base")
        })?;

    // Time has passed since the first check: the engine sees the answers as of now.
    let mut intake = answers.clone();
    if first.intake.get("hours_since_run").is_some() {
        intake.hours_since_run = Some((hours * 10.0).round() / 10.0);
    }
    intake.days_since_onset = Some(((hours / 24.0) * 10.0).round() / 10.0);
    let mut assessment = runsore_triage::assess(kb, &intake, derived);

    let first_pain = first
        .intake
        .get("pain")
        .and_then(Value::as_u64)
        .and_then(|p| u8::try_from(p).ok());
    let course = runsore_followup::compare(
        &condition.name,
        &condition.course,
        condition.triage,
        &Progress {
            hours,
            trend,
            first_pain,
            pain_now: intake.pain,
        },
    );
    if course.at_least > assessment.triage {
        assessment.triage = course.at_least;
        assessment.what_to_do_now =
            format!("{} {}", course.message, kb.levels.get(course.at_least))
                .as_str()
                .into();
    }
    let mut result = serde_json::to_value(&assessment)?;
    result["follow_up"] = serde_json::to_value(&course)?;
    store.add_checkin(&NewCheckIn {
        at_utc: now,
        kind: CheckInKind::FollowUp,
        episode_id: Some(history.episode.id),
        kb_version: assessment.knowledge_version.to_string(),
        intake: serde_json::to_value(&intake)?,
        evidence: serde_json::to_value(derived)?,
        result,
        run_ids: Vec::new(),
    })?;
    if course.status == Status::Resolved && assessment.triage == Triage::SelfCare {
        store.close_episode(history.episode.id, now, Some("resolved"))?;
    }
    Ok(FollowUp { assessment, course })
}

/// The JSON of a follow-up: the assessment's contract fields plus `follow_up`.
pub fn to_json(f: &FollowUp) -> anyhow::Result<Value> {
    let mut out = serde_json::to_value(&f.assessment)?;
    out["follow_up"] = json!(f.course);
    Ok(out)
}

/// Plain words for the terminal: the course first, then the assessment.
pub fn render(f: &FollowUp) -> String {
    let marker = match f.course.status {
        Status::OnCourse | Status::Resolved => "on course",
        Status::Slow | Status::Worse | Status::Overdue => "OFF COURSE",
    };
    format!(
        "Follow-up, {marker}: {}\n  Expected: {}\n\n{}",
        f.course.message,
        f.course.expected,
        runsore_triage::render_text(&f.assessment)
    )
}
