//! A check: an intake (or the runner's own words) assessed at a given time with the evidence of
//! the stored runs, saved as a check-in, and pacing advice when the likely cause is overload.

use std::sync::Arc;

use runsore_model::{DerivedEvidence, Intake};
use runsore_store::{CheckInId, CheckInKind, NewCheckIn, RunId};
use runsore_training::{Day, Timing};
use runsore_triage::Assessment;

use crate::{
    App, AppError, EVIDENCE_TTL_S, LOOKBACK_S, Result, Snapshot, local_offset_s, training_profile,
};

/// Whether an assessment's most likely cause gets pacing advice from the runs (the knowledge
/// base says which causes are paced).
pub fn paced(assessment: &Assessment) -> bool {
    assessment
        .conditions
        .first()
        .is_some_and(|c| runsore_triage::paced_conditions().any(|id| id == &*c.id))
}

/// What a check answers, serialised the same by every front end (`runsore check --json`,
/// `POST /api/assess`, `POST /api/checkins`): the assessment's own fields, pacing when the likely
/// cause is overload, and everything the runs said (also what the runner's answers overrode, so
/// the watch's figures stay visible as confirmation).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckReport {
    /// The assessment.
    #[serde(flatten)]
    pub assessment: Assessment,
    /// How much running the next week can hold, from the runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pacing: Option<runsore_training::report::Pacing>,
    /// Every finding the runs gave.
    pub runs_evidence: Vec<runsore_model::DerivedFinding>,
}

/// An assessment with what it was made from.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The intake assessed.
    pub intake: Intake,
    /// What the runs said.
    pub derived: DerivedEvidence,
    /// The engine's assessment.
    pub assessment: Assessment,
}

impl App {
    /// What the stored runs say about soreness at `now_utc`; empty when there is no run. The
    /// intake's onset and days since onset point at the run that explains it.
    pub fn evidence(&self, now_utc: i64, intake: &Intake) -> Result<DerivedEvidence> {
        let snap = self.snapshot()?;
        Ok((*self.evidence_in(&snap, now_utc, Timing::of(intake))).clone())
    }

    fn evidence_in(&self, snap: &Snapshot, now_utc: i64, timing: Timing) -> Arc<DerivedEvidence> {
        let fresh =
            |(at, t): &(i64, Timing)| *t == timing && (0..EVIDENCE_TTL_S).contains(&(now_utc - at));
        if let Some(ev) = self.evidence.get(snap.figures.n, fresh) {
            return ev;
        }
        let (_, views) = snap.between(now_utc - LOOKBACK_S, now_utc + 1);
        let ev = Arc::new(if views.is_empty() {
            DerivedEvidence::default()
        } else {
            let profile = training_profile(&snap.profile, now_utc);
            runsore_training::derive_evidence_for(views, &profile, now_utc, timing)
        });
        self.evidence.put(
            snap.figures.n,
            (now_utc, timing),
            Arc::clone(&ev),
            |(_, t)| *t == timing,
        );
        ev
    }

    /// Assesses an intake at `now_utc`, with the evidence of the stored runs unless `use_runs`
    /// is false.
    pub fn assess(&self, intake: Intake, now_utc: i64, use_runs: bool) -> Result<Checked> {
        let derived = if use_runs {
            self.evidence(now_utc, &intake)?
        } else {
            DerivedEvidence::default()
        };
        Ok(checked(intake, derived))
    }

    /// Assesses an intake at `now_utc` and reports it (as [`App::assess`] then [`App::report`]
    /// give it), with the runs read once: what a front end that only shows the answer needs.
    pub fn check_report(
        &self,
        intake: Intake,
        now_utc: i64,
        use_runs: bool,
    ) -> Result<CheckReport> {
        if !use_runs {
            let Checked { assessment, .. } = checked(intake, DerivedEvidence::default());
            return Ok(CheckReport {
                assessment,
                pacing: None,
                runs_evidence: Vec::new(),
            });
        }
        let snap = self.snapshot()?;
        Ok(self.check_report_in(&snap, &intake, now_utc))
    }

    /// [`App::check_report`] with the runs' evidence, when it needs nothing from the store but
    /// its revision: the runs' views at the current revision are kept, and a connection is idle.
    /// Otherwise `None`, for a call of [`App::check_report`] that may block.
    ///
    /// What is left is computation (the evidence from the kept views when not kept itself, the
    /// engine, pacing), so a front end on an async worker can answer at once instead of paying
    /// for a hop to a blocking thread that costs as much as the assessment.
    pub fn check_report_kept(&self, intake: &Intake, now_utc: i64) -> Option<CheckReport> {
        let snap = self.kept_snapshot()?;
        Some(self.check_report_in(&snap, intake, now_utc))
    }

    fn check_report_in(&self, snap: &Snapshot, intake: &Intake, now_utc: i64) -> CheckReport {
        let derived = self.evidence_in(snap, now_utc, Timing::of(intake));
        let assessment = runsore_triage::assess(runsore_triage::knowledge(), intake, &derived);
        let pacing = if paced(&assessment) {
            self.pacing_in(snap, now_utc)
        } else {
            None
        };
        CheckReport {
            assessment,
            pacing,
            runs_evidence: derived.findings.clone(),
        }
    }

    /// Stores an assessment as a check-in, in the open episode (opening one when there is none).
    pub fn save_checkin(&self, checked: &Checked, now_utc: i64) -> Result<CheckInId> {
        Ok(self
            .save_checkin_from(checked, now_utc, &Origin::default())?
            .0)
    }

    /// The check-in a front end's flow (`Origin::flow`) was saved as, if it was.
    pub fn checkin_of_flow(&self, flow: &str) -> Result<Option<CheckInId>> {
        self.with_store(|s| find_flow(s, flow))
    }

    /// Stores an assessment as a check-in with what it came from: the runner's own words, and
    /// the key of the front end's flow. A flow saved before is not saved again: its check-in's
    /// id comes back with `false` (a form sent twice, or again after the back button, makes no
    /// duplicate).
    pub fn save_checkin_from(
        &self,
        checked: &Checked,
        now_utc: i64,
        origin: &Origin,
    ) -> Result<(CheckInId, bool)> {
        // One save at a time, so two sends of one flow cannot both miss the other.
        let _one = self.saving.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(flow) = &origin.flow
            && let Some(id) = self.checkin_of_flow(flow)?
        {
            return Ok((id, false));
        }
        let Checked {
            intake,
            derived,
            assessment,
        } = checked;
        let mut run_ids: Vec<RunId> = derived
            .findings
            .iter()
            .filter_map(|f| f.run_id)
            .map(RunId)
            .collect();
        run_ids.sort_by_key(|r| r.0);
        run_ids.dedup();
        self.with_store(|s| {
            let episode = match s.current_episode()? {
                Some(e) => e,
                None => {
                    let title = assessment.conditions.first().map(|c| &*c.name);
                    s.open_episode(now_utc, title)?
                }
            };
            Ok(s.add_checkin(&NewCheckIn {
                at_utc: now_utc,
                kind: CheckInKind::Assessment,
                episode_id: Some(episode.id),
                kb_version: assessment.knowledge_version.to_string(),
                intake: serde_json::to_value(intake)?,
                evidence: serde_json::to_value(derived)?,
                result: crate::views::stored_result_from(assessment, None, origin)?,
                run_ids,
            })?)
        })
        .map(|id| (id, true))
    }

    /// Pacing for the next week from the stored runs: how much running it can hold.
    pub fn pacing(&self, now_utc: i64) -> Result<Option<runsore_training::report::Pacing>> {
        let snap = self.snapshot()?;
        Ok(self.pacing_in(&snap, now_utc))
    }

    fn pacing_in(&self, snap: &Snapshot, now_utc: i64) -> Option<runsore_training::report::Pacing> {
        let (window, views) = snap.between(now_utc - LOOKBACK_S, now_utc + 1);
        if views.is_empty() {
            return None;
        }
        let profile = training_profile(&snap.profile, now_utc);
        let today = Day::from_utc(now_utc, local_offset_s(views));
        // The advice depends on nothing else: the same runs, day and age give the same words.
        let key: crate::PacingKey = (today.0, window, profile.age);
        self.pacing
            .get_or_make(snap.figures.n, key, || {
                Ok(runsore_training::report(views, &profile, today).pacing)
            })
            .unwrap_or_default()
    }

    /// The report of a check: the assessment with pacing and the runs' findings.
    pub fn report(&self, checked: &Checked, now_utc: i64, use_runs: bool) -> Result<CheckReport> {
        Ok(CheckReport {
            assessment: checked.assessment.clone(),
            pacing: self.pacing_for(&checked.assessment, now_utc, use_runs)?,
            runs_evidence: checked.derived.findings.clone(),
        })
    }

    /// Pacing advice when the assessment's likely cause is overload and the runs are used.
    pub fn pacing_for(
        &self,
        assessment: &Assessment,
        now_utc: i64,
        use_runs: bool,
    ) -> Result<Option<runsore_training::report::Pacing>> {
        if use_runs && paced(assessment) {
            self.pacing(now_utc)
        } else {
            Ok(None)
        }
    }
}

/// The engine's assessment of an intake with the runs' evidence (derived by [`App::evidence`],
/// or none): what every check of every front end ends in.
pub fn checked(intake: Intake, derived: DerivedEvidence) -> Checked {
    let assessment = runsore_triage::assess(runsore_triage::knowledge(), &intake, &derived);
    Checked {
        intake,
        derived,
        assessment,
    }
}

/// What a check-in came from besides its intake, stored with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The runner's own words, as they wrote them.
    pub story: Option<String>,
    /// The key of the front end's flow that made it (the web's check-in pages), so that the
    /// same flow sent again is recognised.
    pub flow: Option<String>,
}

fn find_flow(s: &runsore_store::Store, flow: &str) -> Result<Option<CheckInId>> {
    // A runner makes a few check-ins a week, so reading them all is cheap; the key lives in the
    // stored result, which the store never interprets.
    Ok(s.checkins_between(i64::MIN / 4, i64::MAX / 4)?
        .iter()
        .rev()
        .find(|c| crate::views::StoredOrigin::of(c).flow.as_deref() == Some(flow))
        .map(|c| c.id))
}

/// A warning sign read from the runner's own words, to be confirmed before it counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MentionedSign {
    /// The intake field.
    pub field: String,
    /// The knowledge base's question for it.
    pub question: String,
    /// The runner's words it was read from.
    pub words: String,
}

/// The red flags that the runner's words alone raise, each with the words it was read from. A
/// reading of words is not an answer: front ends keep these fields out of the intake and ask
/// them back in one checklist ("You mentioned ..., is that right?").
pub fn red_flags_in_words(u: &runsore_story::Understood) -> Vec<MentionedSign> {
    let kb = runsore_triage::knowledge();
    let none = DerivedEvidence::default();
    let ids = |intake: &Intake| -> Vec<String> {
        runsore_triage::assess(kb, intake, &none)
            .red_flags
            .iter()
            .map(|f| f.id.to_string())
            .collect()
    };
    let all = ids(&u.intake);
    let Ok(json) = serde_json::to_value(&u.intake) else {
        return Vec::new();
    };
    if all.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<MentionedSign> = Vec::new();
    for span in &u.evidence {
        if span.value != serde_json::Value::Bool(true) || out.iter().any(|m| m.field == span.field)
        {
            continue;
        }
        let mut without = json.clone();
        remove_path(&mut without, &span.field);
        let Ok(intake) = serde_json::from_value::<Intake>(without) else {
            continue;
        };
        if ids(&intake) != all {
            out.push(MentionedSign {
                field: span.field.clone(),
                question: runsore_triage::find_question(&span.field).map_or_else(
                    || span.field.replace(['_', '.'], " "),
                    |q| q.question.clone(),
                ),
                words: span.text.clone(),
            });
        }
    }
    out
}

/// Reads the runner's own words as at the time of the check, `now_utc`, in a place `offset_s`
/// seconds ahead of UTC (so "since Sunday" counts the runner's days), with the knowledge base's
/// red-flag fields marked. Every front end reads words through this, so the same story at the
/// same time is understood the same.
pub fn read_story(text: &str, now_utc: i64, offset_s: i32) -> runsore_story::Understood {
    let mut options = runsore_story::Options::at(now_utc, offset_s);
    options.red_flag_fields = runsore_triage::red_flag_fields()
        .iter()
        .map(|r| r.field.to_string())
        .collect();
    let mut u = runsore_story::read_story_at(text, &options);
    unsettle_screen_denials(&mut u);
    u
}

/// Leaves the safety screen's danger signs that the words deny unknown in the intake (their
/// words stay in the evidence). An answer the dialogue takes as known is never asked, so one
/// misread denial ("no numbness... except when I wipe") would hide an emergency sign for good;
/// asked in the screen, it costs the runner one untick. Measured on the session's sets with
/// `score_hard.py`: the same outcomes in story mode and, in words-then-dialogue, 0 to 0.03 more
/// questions on average.
fn unsettle_screen_denials(u: &mut runsore_story::Understood) {
    let Ok(mut json) = serde_json::to_value(&u.intake) else {
        return;
    };
    let mut changed = false;
    for item in &runsore_triage::safety_checklist().items {
        if json.get(&item.field) == Some(&serde_json::Value::Bool(false)) {
            remove_path(&mut json, &item.field);
            changed = true;
        }
    }
    if changed {
        // Removing fields from a valid intake leaves a valid intake.
        if let Ok(intake) = serde_json::from_value(json) {
            u.intake = intake;
        }
    }
}

/// The intake read from the runner's words without the warning signs they raise, and those
/// signs: a reading of words is not an answer, so front ends ask them back before they count.
pub fn without_signs_to_confirm(u: &runsore_story::Understood) -> (Intake, Vec<MentionedSign>) {
    let mentioned = red_flags_in_words(u);
    if mentioned.is_empty() {
        return (u.intake.clone(), mentioned);
    }
    let Ok(mut json) = serde_json::to_value(&u.intake) else {
        return (u.intake.clone(), mentioned);
    };
    for m in &mentioned {
        remove_path(&mut json, &m.field);
    }
    // Removing fields from a valid intake leaves a valid intake.
    let intake = serde_json::from_value(json).unwrap_or_else(|_| u.intake.clone());
    (intake, mentioned)
}

impl App {
    /// The runner's offset from UTC: the latest stored run's, else UTC.
    pub fn local_offset_s(&self) -> Result<i32> {
        Ok(local_offset_s(&self.snapshot()?.views))
    }

    /// Reads the runner's own words as at `now_utc`, in the runner's local time ([`read_story`]).
    pub fn read_story(&self, text: &str, now_utc: i64) -> Result<runsore_story::Understood> {
        Ok(read_story(text, now_utc, self.local_offset_s()?))
    }
}

/// Removes an intake field by its dotted path.
pub fn remove_path(intake: &mut serde_json::Value, field: &str) {
    let mut node = intake;
    let parts: Vec<&str> = field.split('.').collect();
    let Some((last, path)) = parts.split_last() else {
        return;
    };
    for part in path {
        match node.get_mut(*part) {
            Some(n) => node = n,
            None => return,
        }
    }
    if let Some(o) = node.as_object_mut() {
        o.remove(*last);
    }
}

/// Parses intake JSON (the contract), naming the field at fault.
pub fn parse_intake(json: &str) -> Result<Intake> {
    runsore_triage::parse_intake(json).map_err(|e| AppError::BadInput {
        field: e.field().map(str::to_owned),
        message: e.to_string(),
    })
}
