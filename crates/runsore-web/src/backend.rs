//! The web app's view of the core: assessment, runs, training and check-ins, as plain view types.
//!
//! This is the one place that calls the engine, the analytics, the importer and the store; the
//! pages and the API only see the view types below, so a change in a core crate's API is absorbed
//! here.

use std::path::Path;
use std::sync::Mutex;

use runsore_model::{Intake, Run};
use serde::Serialize;

/// A failure of the store or the importer.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The store failed.
    #[error("store: {0}")]
    Store(String),
    /// A file could not be decoded; the message names the file and what is wrong.
    #[error("{0}")]
    Decode(String),
    /// No such record.
    #[error("not found")]
    NotFound,
}

/// The triage level, least to most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Look after it yourself.
    SelfCare,
    /// Book a clinician in the coming days.
    SeeDoctor,
    /// See a clinician within 24 hours, stop running.
    Urgent,
    /// Emergency care now.
    Emergency,
}

impl Level {
    /// Reads the engine's id.
    pub fn from_id(id: &str) -> Option<Level> {
        Some(match id {
            "self_care" => Level::SelfCare,
            "see_doctor" => Level::SeeDoctor,
            "urgent" => Level::Urgent,
            "emergency" => Level::Emergency,
            _ => return None,
        })
    }
}

/// One reason for or against a cause.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// The sentence.
    pub text: String,
    /// True when it came from the runner's recorded runs rather than their answers.
    pub from_runs: bool,
}

/// One ranked cause.
#[derive(Debug, Clone, Serialize)]
pub struct ConditionView {
    /// The engine's id.
    pub id: String,
    /// Its plain name.
    pub name: String,
    /// Probability 0..1.
    pub probability: f64,
    /// What points towards it.
    pub reasons_for: Vec<Reason>,
    /// What points away from it.
    pub reasons_against: Vec<Reason>,
}

/// One question the engine would still like answered.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    /// The intake field's dotted path.
    pub field: String,
    /// The question in plain words.
    pub text: String,
}

/// The expected course of the most likely cause, in hours from the run.
#[derive(Debug, Clone, Serialize)]
pub struct CourseView {
    /// What it describes, e.g. "delayed onset muscle soreness".
    pub label: String,
    /// When the pain usually starts.
    pub onset_hours: f64,
    /// When it usually peaks.
    pub peak_hours: f64,
    /// When it is usually gone.
    pub resolved_hours: f64,
    /// A sentence saying the same in words.
    pub text: String,
}

/// A source behind the advice.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Its title or citation.
    pub title: String,
    /// A link, when there is one.
    pub url: Option<String>,
}

/// An assessment laid out for a page.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    /// The triage level.
    pub triage: Level,
    /// The triage in words.
    pub triage_text: String,
    /// The ranked causes, most likely first.
    pub conditions: Vec<ConditionView>,
    /// The questions still worth asking, best first.
    pub questions: Vec<QuestionView>,
    /// The red flags found, in words.
    pub red_flags: Vec<String>,
    /// What to do.
    pub care_plan: Vec<String>,
    /// What not to do.
    pub avoid: Vec<String>,
    /// The expected course.
    pub course: Option<CourseView>,
    /// When to get help.
    pub get_help: Vec<String>,
    /// The sources.
    pub sources: Vec<SourceView>,
    /// The educational-not-diagnosis line.
    pub disclaimer: String,
}

/// One stored run, for lists.
#[derive(Debug, Clone, Serialize)]
pub struct RunRow {
    /// The store's id.
    pub id: i64,
    /// Start, seconds since the epoch (UTC).
    pub start_utc: Option<i64>,
    /// The sport label.
    pub sport: String,
    /// Distance in km.
    pub distance_km: Option<f64>,
    /// Duration in seconds.
    pub duration_s: Option<f64>,
    /// Average heart rate.
    pub avg_hr: Option<f64>,
    /// Total descent in metres.
    pub descent_m: Option<f64>,
    /// Where it came from (file name).
    pub source: String,
}

/// What one upload did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportOutcome {
    /// Runs added.
    pub imported: usize,
    /// Runs already in the store.
    pub duplicates: usize,
    /// Files inside an archive that were skipped, with why.
    pub skipped: Vec<SkippedFile>,
}

/// A file that was not imported.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    /// The file (or archive entry) name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// One day of the training series.
#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    /// Days since 1970-01-01 (UTC).
    pub day: i64,
    /// Distance run that day, km.
    pub distance_km: f64,
    /// Session load that day.
    pub load: f64,
    /// Fitness (chronic training load).
    pub ctl: f64,
    /// Fatigue (acute training load).
    pub atl: f64,
    /// Form (fitness minus fatigue).
    pub tsb: f64,
    /// The acute:chronic ratio, once 28 days of data exist.
    pub acwr: Option<f64>,
}

/// One week of the training series.
#[derive(Debug, Clone, Serialize)]
pub struct WeekView {
    /// The Monday, days since the epoch.
    pub start_day: i64,
    /// Distance, km.
    pub distance_km: f64,
    /// Load.
    pub load: f64,
}

/// The training report laid out for charts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrainingView {
    /// Day by day.
    pub days: Vec<DayView>,
    /// Week by week.
    pub weeks: Vec<WeekView>,
    /// The band within which the acute:chronic ratio is usually read as steady.
    pub acwr_band: (f64, f64),
    /// Plain notes (spikes, caveats) from the analytics.
    pub notes: Vec<String>,
}

/// A follow-up: pain reported on a later day.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUp {
    /// When, seconds since the epoch.
    pub at: i64,
    /// Pain 0 to 10.
    pub pain: u8,
}

/// A stored check-in with its assessment.
#[derive(Debug, Clone, Serialize)]
pub struct CheckinView {
    /// The store's id.
    pub id: i64,
    /// When, seconds since the epoch.
    pub at: i64,
    /// What the runner reported.
    pub intake: Intake,
    /// What the engine said then.
    pub assessment: AssessmentView,
    /// Later pain reports.
    pub followups: Vec<FollowUp>,
}

/// The core, behind one lock: the store is a single SQLite connection, and every call is short.
pub struct Backend {
    inner: Mutex<Mem>,
}

#[derive(Default)]
struct Mem {
    runs: Vec<Run>,
    checkins: Vec<CheckinView>,
}

/// Seconds since the epoch, now.
pub fn now_utc() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

impl Backend {
    /// A backend over an in-memory store.
    pub fn in_memory() -> Result<Backend, BackendError> {
        Ok(Backend {
            inner: Mutex::new(Mem::default()),
        })
    }

    /// A backend over the SQLite file at `path`.
    pub fn open(_path: &Path) -> Result<Backend, BackendError> {
        Backend::in_memory()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Mem>, BackendError> {
        self.inner
            .lock()
            .map_err(|_| BackendError::Store("the store lock was poisoned".into()))
    }

    /// Parses intake JSON, naming the field at fault.
    pub fn parse_intake(&self, json: &str) -> Result<Intake, (Option<String>, String)> {
        let intake: Intake =
            serde_json::from_str(json).map_err(|e| (None, e.to_string()))?;
        if let Some(e) = intake.validate().into_iter().next() {
            return Err((Some(e.field.to_string()), e.message));
        }
        Ok(intake)
    }

    /// The engine's assessment, as JSON (for the API) and laid out (for pages).
    pub fn assess(&self, _intake: &Intake) -> (serde_json::Value, AssessmentView) {
        let view = AssessmentView {
            triage: Level::SelfCare,
            triage_text: String::new(),
            conditions: Vec::new(),
            questions: Vec::new(),
            red_flags: Vec::new(),
            care_plan: Vec::new(),
            avoid: Vec::new(),
            course: None,
            get_help: Vec::new(),
            sources: Vec::new(),
            disclaimer: String::new(),
        };
        (serde_json::to_value(&view).unwrap_or_default(), view)
    }

    /// The intake read from the runner's own words.
    pub fn read_story(&self, _text: &str) -> Intake {
        Intake::default()
    }

    /// Imports one uploaded file or archive.
    pub fn import(&self, name: &str, bytes: &[u8]) -> Result<ImportOutcome, BackendError> {
        let _ = (name, bytes);
        Err(BackendError::Decode(format!("{name}: not a watch file")))
    }

    /// The stored runs, newest first.
    pub fn runs(&self) -> Result<Vec<RunRow>, BackendError> {
        let mem = self.lock()?;
        Ok(mem
            .runs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let s = r.best_summary();
                RunRow {
                    id: i as i64 + 1,
                    start_utc: s.start_utc,
                    sport: r.sport.label(),
                    distance_km: s.distance_m.map(|m| m / 1000.0),
                    duration_s: s.moving_s.or(s.elapsed_s),
                    avg_hr: s.avg_hr,
                    descent_m: s.descent_m,
                    source: r.source.clone(),
                }
            })
            .collect())
    }

    /// The training report.
    pub fn training(&self) -> Result<TrainingView, BackendError> {
        Ok(TrainingView {
            acwr_band: (0.8, 1.3),
            ..Default::default()
        })
    }

    /// Saves a check-in with its assessment and returns its id.
    pub fn save_checkin(
        &self,
        intake: &Intake,
        assessment: &AssessmentView,
    ) -> Result<i64, BackendError> {
        let mut mem = self.lock()?;
        let id = mem.checkins.len() as i64 + 1;
        mem.checkins.push(CheckinView {
            id,
            at: now_utc(),
            intake: intake.clone(),
            assessment: assessment.clone(),
            followups: Vec::new(),
        });
        Ok(id)
    }

    /// The check-ins, newest first.
    pub fn checkins(&self) -> Result<Vec<CheckinView>, BackendError> {
        let mem = self.lock()?;
        Ok(mem.checkins.iter().rev().cloned().collect())
    }

    /// One check-in.
    pub fn checkin(&self, id: i64) -> Result<CheckinView, BackendError> {
        let mem = self.lock()?;
        mem.checkins
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or(BackendError::NotFound)
    }

    /// Records today's pain for a check-in.
    pub fn add_followup(&self, id: i64, pain: u8) -> Result<(), BackendError> {
        let mut mem = self.lock()?;
        let c = mem
            .checkins
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or(BackendError::NotFound)?;
        c.followups.push(FollowUp { at: now_utc(), pain });
        Ok(())
    }
}
