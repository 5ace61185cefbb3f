//! A follow-up of an episode: the red flags asked again, the answers re-assessed, the course
//! compared with the expected one (raising the triage when it is off course), the result stored
//! against the check-in it follows, and the episode closed when the pain is gone.

use runsore_followup::{CourseCheck, Progress, Status};
use runsore_model::{DerivedEvidence, Intake, paths};
use runsore_store::{CheckInId, CheckInKind, EpisodeHistory, NewCheckIn};
use runsore_triage::{Assessment, Triage};
use serde::Serialize;
use serde_json::Value;

use crate::screen::carried_fields;
use crate::views::{StoredResult, stored_result};
use crate::{App, AppError, Result};

/// The answers that change from day to day: never carried over from the last check-in.
const DAILY: &[&str] = &[paths::TREND, paths::PAIN];

/// `base` with every answer of `given` laid over it (objects merged field by field).
pub fn merge_intake(base: &Intake, given: &Intake) -> Result<Intake> {
    fn merge(into: &mut Value, from: Value) {
        match (into, from) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in b {
                    merge(a.entry(k).or_insert(Value::Null), v);
                }
            }
            (slot, v) => *slot = v,
        }
    }
    let mut merged = serde_json::to_value(base)?;
    merge(&mut merged, serde_json::to_value(given)?);
    crate::check::parse_intake(&merged.to_string())
}

/// Where a follow-up starts: the episode, the check-in followed and the answers carried over.
#[derive(Debug, Clone)]
pub struct FollowUpStart {
    /// The open episode with its history.
    pub episode: EpisodeHistory,
    /// The check-in the follow-up is saved against.
    pub follows: CheckInId,
    /// The latest answers without the red-flag answers and those that change from day to day.
    pub carried: Intake,
}

/// The result of a follow-up; serialised the same by every front end: the assessment's fields,
/// `follow_up` (the course), and when the episode closed, `back_to_running` and `triggers`.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUp {
    /// The stored follow-up's id.
    pub id: CheckInId,
    /// The check-in it follows.
    pub follows: CheckInId,
    /// The answers as assessed (carried answers, today's answers, the episode's clock).
    #[serde(skip)]
    pub intake: Intake,
    /// What the runs said, as assessed.
    #[serde(skip)]
    pub derived: DerivedEvidence,
    /// The re-assessment, its triage raised to the course's demand.
    #[serde(flatten)]
    pub assessment: Assessment,
    /// How recovery compares with the expected course.
    #[serde(rename = "follow_up")]
    pub course: CourseCheck,
    /// When the episode closed as self-care: how to build back up, from the runs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub back_to_running: Vec<String>,
    /// What this runner's episodes tend to follow.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<String>,
    /// True when this follow-up closed the episode.
    pub closed: bool,
}

/// The care plan follows the final level, as the engine's does: when the course raised the level
/// to urgent or more, a likely cause whose own level is calmer has its care plan withheld, with
/// the knowledge base's words for why.
fn defer_care(a: &mut Assessment, kb: &runsore_triage::KnowledgeBase) {
    if a.triage < Triage::Urgent {
        return;
    }
    for advice in &mut a.advice {
        let own = kb
            .conditions
            .iter()
            .find(|c| c.id == advice.info.id)
            .map(|c| c.triage);
        if own.is_some_and(|own| a.triage > own) && advice.care_deferred.is_none() {
            let mut info = (*advice.info).clone();
            info.care.clear();
            advice.info = runsore_triage::Shared(std::sync::Arc::new(info));
            advice.care_deferred = Some(kb.care_deferred.as_str().into());
        }
    }
}

/// Hours on the episode's clock at `now`: from the end of the run that set it off (or, for pain
/// that crept up, from when it began) as told at the first check-in.
fn episode_hours(first: &Intake, first_at: i64, now_utc: i64) -> f64 {
    let at_first = first
        .hours_since_run
        .or_else(|| first.days_since_onset.map(|d| d * 24.0));
    at_first.unwrap_or(0.0) + (now_utc - first_at).max(0) as f64 / 3600.0
}

impl App {
    /// Starts a follow-up of the check-in `of`, or of the open episode when `None`. The episode
    /// must be open.
    pub fn follow_up_start(&self, of: Option<CheckInId>) -> Result<FollowUpStart> {
        let kb = runsore_triage::knowledge();
        self.with_store(|s| {
            let episode_id = match of {
                Some(id) => s.checkin(id)?.data.episode_id.ok_or_else(|| {
                    AppError::Conflict(
                        "this check-in belongs to no episode: start a new check-in to record how \
                         it is now"
                            .into(),
                    )
                })?,
                None => {
                    s.current_episode()?
                        .ok_or_else(|| AppError::BadInput {
                            field: None,
                            message: "no open episode to follow up: run a check first (follow-ups \
                                      need an earlier check)"
                                .into(),
                        })?
                        .id
                }
            };
            let episode = s
                .list_episodes()?
                .into_iter()
                .find(|h| h.episode.id == episode_id)
                .ok_or(AppError::NotFound)?;
            if !episode.episode.is_open() {
                return Err(AppError::Conflict(
                    "this check-in's episode is closed: start a new check-in to record how it is \
                     now"
                    .into(),
                ));
            }
            let last = episode
                .checkins
                .last()
                .ok_or_else(|| AppError::Corrupt("an episode without a check-in".into()))?;
            let follows = match of {
                Some(id) => id,
                None => {
                    episode
                        .checkins
                        .iter()
                        .rev()
                        .find(|c| c.data.kind == CheckInKind::Assessment)
                        .unwrap_or(last)
                        .id
                }
            };
            let mut carried = last.data.intake.clone();
            for field in carried_fields(kb)
                .iter()
                .map(String::as_str)
                .chain(DAILY.iter().copied())
            {
                crate::check::remove_path(&mut carried, field);
            }
            let carried: Intake = serde_json::from_value(carried)?;
            Ok(FollowUpStart {
                episode,
                follows,
                carried,
            })
        })
    }

    /// Re-assesses `answers` (the carried intake with today's answers laid over it) at `now_utc`,
    /// compares the course, stores the follow-up against the check-in followed, and closes the
    /// episode when the pain is gone and nothing calls for care.
    pub fn follow_up(
        &self,
        start: &FollowUpStart,
        answers: &Intake,
        now_utc: i64,
        use_runs: bool,
    ) -> Result<FollowUp> {
        let kb = runsore_triage::knowledge();
        let Some(trend) = answers.trend else {
            return Err(AppError::field(
                paths::TREND,
                "a follow-up needs `trend` (better, same, worse or gone)",
            ));
        };
        let first = start
            .episode
            .checkins
            .first()
            .ok_or_else(|| AppError::Corrupt("an episode without a check-in".into()))?;
        let first_intake: Intake = serde_json::from_value(first.data.intake.clone())?;
        let first_result = StoredResult::read(&first.data.result)?;
        let condition_id = first_result
            .conditions
            .first()
            .map(|c| c.id.clone())
            .ok_or_else(|| {
                AppError::Corrupt("the episode's first check-in ranks no cause".into())
            })?;
        let condition = kb
            .conditions
            .iter()
            .find(|c| c.id == condition_id)
            .ok_or_else(|| {
                AppError::Corrupt(format!(
                    "the episode's condition {condition_id} is not in this knowledge base"
                ))
            })?;
        let hours = episode_hours(&first_intake, first.data.at_utc, now_utc);

        // Time has passed since the first check: the engine sees the answers as of now.
        let mut intake = answers.clone();
        if first_intake.hours_since_run.is_some() {
            intake.hours_since_run = Some((hours * 10.0).round() / 10.0);
        }
        intake.days_since_onset = Some(((hours / 24.0) * 10.0).round() / 10.0);
        let crate::Checked {
            intake,
            derived,
            mut assessment,
        } = self.assess(intake, now_utc, use_runs)?;
        let course = runsore_followup::compare(
            &condition.name,
            &condition.course,
            condition.triage,
            assessment.triage,
            &Progress {
                hours,
                trend,
                first_pain: first_intake.pain,
                pain_now: intake.pain,
            },
        );
        if course.at_least > assessment.triage {
            assessment.triage = course.at_least;
            assessment.what_to_do_now =
                format!("{} {}", course.message, kb.levels.get(course.at_least))
                    .as_str()
                    .into();
            defer_care(&mut assessment, kb);
        }
        let closes = course.status == Status::Resolved && assessment.triage == Triage::SelfCare;
        let episode_id = start.episode.episode.id;
        let id = self.with_store(|s| {
            let id = s.add_checkin(&NewCheckIn {
                at_utc: now_utc,
                kind: CheckInKind::FollowUp,
                episode_id: Some(episode_id),
                kb_version: assessment.knowledge_version.to_string(),
                intake: serde_json::to_value(&intake)?,
                evidence: serde_json::to_value(&derived)?,
                result: stored_result(&assessment, Some((&course, start.follows)))?,
                run_ids: Vec::new(),
            })?;
            if closes {
                s.close_episode(episode_id, now_utc, Some("resolved"))?;
            }
            Ok(id)
        })?;
        let mut back_to_running = Vec::new();
        let mut triggers = Vec::new();
        if closes {
            if use_runs {
                back_to_running = self.pacing(now_utc)?.map(|p| p.advice).unwrap_or_default();
            }
            back_to_running.push(
                "start with easy runs shorter than the one before this episode, and add distance \
                 only while nothing hurts the next day"
                    .into(),
            );
            let episodes: Vec<DerivedEvidence> = self.with_store(|s| {
                Ok(s.list_episodes()?
                    .iter()
                    .rev()
                    .filter_map(|e| e.checkins.first())
                    .filter_map(|c| serde_json::from_value(c.data.evidence.clone()).ok())
                    .collect())
            })?;
            triggers = runsore_followup::triggers(&episodes);
        }
        Ok(FollowUp {
            id,
            follows: start.follows,
            intake,
            derived,
            assessment,
            course,
            back_to_running,
            triggers,
            closed: closes,
        })
    }
}
