//! The web app's view of the core: the use cases of [`runsore_app::App`] with the assessment laid
//! out as plain view types for the pages.
//!
//! Every call here is blocking (SQLite, the engine); handlers make them on the blocking pool
//! through [`crate::AppState::blocking`], each on a connection of its own.

use std::path::Path;
use std::sync::Arc;

use runsore_app::{App, AppError, Checked};
use runsore_model::Intake;
use runsore_store::CheckInId;
use serde::Serialize;

pub use runsore_app::{FollowUpEntry as FollowUp, RunPage, TrainingView};

use crate::view;

/// A failure of the store or the importer.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The store failed.
    #[error("store: {0}")]
    Store(String),
    /// The change is not possible in the current state (e.g. a closed episode).
    #[error("{0}")]
    Conflict(String),
    /// A file could not be decoded; the message names the file and what is wrong.
    #[error("{0}")]
    Decode(String),
    /// No such record.
    #[error("not found")]
    NotFound,
    /// The input is wrong; `field` names the field at fault when one is.
    #[error("{message}")]
    BadInput {
        /// The field at fault.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
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
    /// True when it screens for a danger sign.
    pub red_flag: bool,
    /// A checklist's yes/no fields, asked together on one page; empty for a plain question.
    pub fields: Vec<String>,
    /// A checklist's items in plain words: `items[i]` describes `fields[i]`.
    pub items: Vec<String>,
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
    /// The triage in words: what to do now.
    pub triage_text: String,
    /// What the most likely cause is, in a sentence.
    pub summary: String,
    /// "Answer these before relying on this result", while red-flag answers are missing.
    pub pending_note: Option<String>,
    /// What the runner's recorded runs told the engine, in sentences.
    pub from_runs: Vec<String>,
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
    /// The runner's own words, when the check-in was made from them.
    pub story: Option<String>,
    /// An assessment or a follow-up.
    pub kind: runsore_store::CheckInKind,
    /// The follow-ups saved against it, oldest first.
    pub followups: Vec<FollowUp>,
}

/// Seconds since the epoch, now.
pub fn now_utc() -> i64 {
    runsore_app::now_utc()
}

impl From<AppError> for BackendError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => BackendError::NotFound,
            AppError::Conflict(m) => BackendError::Conflict(m),
            AppError::BadInput { field, message } => BackendError::BadInput { field, message },
            other => BackendError::Store(other.to_string()),
        }
    }
}

/// The use cases, as the web app calls them.
pub struct Backend {
    app: App,
    /// A fixed "now" in place of the clock (`runsore --now T serve`).
    fixed_now: Option<i64>,
}

impl Backend {
    /// A backend over an in-memory store.
    pub fn in_memory() -> Result<Backend, BackendError> {
        Ok(Backend {
            app: App::in_memory()?,
            fixed_now: None,
        })
    }

    /// A backend over the SQLite file at `path`.
    pub fn open(path: &Path) -> Result<Backend, BackendError> {
        Ok(Backend {
            app: App::open(path)?,
            fixed_now: None,
        })
    }

    /// The same backend, reading `now` as a fixed time when one is given.
    pub fn with_clock(self, fixed_now: Option<i64>) -> Backend {
        Backend { fixed_now, ..self }
    }

    fn now(&self) -> i64 {
        self.fixed_now.unwrap_or_else(now_utc)
    }

    /// Reads what every view of the runs starts from ([`runsore_app::App::warm`]).
    pub fn warm(&self) -> Result<(), BackendError> {
        Ok(self.app.warm()?)
    }

    /// Parses intake JSON, naming the field at fault.
    pub fn parse_intake(&self, json: &str) -> Result<Intake, (Option<String>, String)> {
        view::parse_intake(json)
    }

    /// The report of a check with the runs' evidence, for the API to serialise as it is (the
    /// same JSON as `runsore check --json`).
    pub fn assess_raw(&self, intake: Intake) -> Result<runsore_app::CheckReport, BackendError> {
        Ok(self.app.check_report(intake, self.now(), true)?)
    }

    /// [`Backend::assess_raw`] when it needs no store read ([`runsore_app::App::check_report_kept`]):
    /// made on the async worker itself, `None` when it must go to the blocking pool.
    pub fn assess_kept(&self, intake: &Intake) -> Option<runsore_app::CheckReport> {
        self.app.check_report_kept(intake, self.now())
    }

    /// The engine's assessment with the intake and evidence it was made from.
    pub fn checked(&self, intake: Intake) -> Result<runsore_app::Checked, BackendError> {
        Ok(self.app.assess(intake, self.now(), true)?)
    }

    /// The engine's assessment, laid out for a page.
    pub fn assess(&self, intake: Intake) -> Result<AssessmentView, BackendError> {
        let checked = self.app.assess(intake, self.now(), true)?;
        let stored = runsore_app::views::StoredResult::of(&checked.assessment)?;
        Ok(view::assessment(&stored))
    }

    /// Assesses an intake and saves it as a check-in (joining the open episode, or opening
    /// one); returns the check-in's id and the assessment.
    pub fn check_and_save(
        &self,
        intake: Intake,
    ) -> Result<(i64, runsore_app::CheckReport), BackendError> {
        let now = self.now();
        let checked: Checked = self.app.assess(intake, now, true)?;
        let id = self.app.save_checkin(&checked, now)?;
        Ok((id.0, self.app.report(&checked, now, true)?))
    }

    /// [`Backend::check_and_save`] with the runner's words and the key of the web's check-in
    /// flow stored with it; a flow saved before gives its check-in again, with `false`.
    pub fn check_and_save_from(
        &self,
        intake: Intake,
        origin: &runsore_app::Origin,
    ) -> Result<(i64, bool), BackendError> {
        let now = self.now();
        let checked: Checked = self.app.assess(intake, now, true)?;
        let (id, new) = self.app.save_checkin_from(&checked, now, origin)?;
        Ok((id.0, new))
    }

    /// The check-in a web flow was saved as, if it was.
    pub fn checkin_of_flow(&self, flow: &str) -> Result<Option<i64>, BackendError> {
        Ok(self.app.checkin_of_flow(flow)?.map(|id| id.0))
    }

    /// The intake read from the runner's own words, as at the time of the check.
    pub fn read_story(&self, text: &str) -> Result<Intake, BackendError> {
        Ok(self.app.read_story(text, self.now())?.intake)
    }

    /// The intake read from the runner's own words (as at the time of the check) without the
    /// warning signs they raise, and those signs, to be confirmed by the runner before they count.
    pub fn read_story_to_confirm(
        &self,
        text: &str,
    ) -> Result<(Intake, Vec<runsore_app::MentionedSign>), BackendError> {
        let u = self.app.read_story(text, self.now())?;
        Ok(runsore_app::without_signs_to_confirm(&u))
    }

    /// One page of the stored runs, newest first.
    pub fn runs(&self, offset: usize, limit: usize) -> Result<RunPage, BackendError> {
        Ok(self.app.runs_page(offset, limit)?)
    }

    /// One page of the stored runs as the app keeps it (the same `Arc` until the runs change).
    pub fn runs_kept(&self, offset: usize, limit: usize) -> Result<Arc<RunPage>, BackendError> {
        Ok(self.app.runs_page_kept(offset, limit)?)
    }

    /// [`Backend::runs_kept`] when it needs no wait: the page is kept at the current revision
    /// and a connection is idle (an async worker may ask).
    pub fn runs_if_kept(&self, offset: usize, limit: usize) -> Option<Arc<RunPage>> {
        self.app.runs_page_if_kept(offset, limit)
    }

    /// One stored run.
    pub fn run(&self, id: i64) -> Result<runsore_app::RunRow, BackendError> {
        Ok(self.app.run_row(id)?)
    }

    /// The training series for the charts.
    pub fn training(&self) -> Result<Arc<TrainingView>, BackendError> {
        Ok(self.app.training(self.now())?)
    }

    /// The training series for `weeks` weeks ending on `end_day` (`None`: the default end).
    pub fn training_window(
        &self,
        end_day: Option<i64>,
        weeks: i64,
    ) -> Result<Arc<TrainingView>, BackendError> {
        Ok(self.app.training_window(self.now(), end_day, weeks)?)
    }

    /// What the training page is drawn from: the charts for `weeks` weeks ending on `end_day`
    /// and the check-ins, both as the app keeps them (the same values until the store changes).
    pub fn training_page(
        &self,
        end_day: Option<i64>,
        weeks: i64,
    ) -> Result<(Arc<TrainingView>, Arc<Vec<runsore_app::CheckinEntry>>), BackendError> {
        let now = self.now();
        Ok((
            self.app.training_window(now, end_day, weeks)?,
            self.app.checkin_list()?,
        ))
    }

    /// The check-ins, newest first, each with the follow-ups saved against it.
    pub fn checkins(&self) -> Result<Vec<CheckinView>, BackendError> {
        Ok(self.app.checkins()?.into_iter().map(checkin_view).collect())
    }

    /// Every check-in as the API gives it: the stored result is the assessment in the same
    /// shape as `POST /api/assess` answers it (plus its `version`, and a follow-up's course).
    pub fn checkin_entries(&self) -> Result<Vec<runsore_app::CheckinEntry>, BackendError> {
        Ok(self.app.checkins()?)
    }

    /// How many runs are stored.
    pub fn run_count(&self) -> Result<usize, BackendError> {
        Ok(self.app.run_count()?)
    }

    /// (runs, other activities, implausible ones) as the analytics count them.
    pub fn activity_counts(&self) -> Result<(usize, usize, usize), BackendError> {
        Ok(self.app.activity_counts(self.now())?)
    }

    /// One check-in.
    pub fn checkin(&self, id: i64) -> Result<CheckinView, BackendError> {
        Ok(checkin_view(self.app.checkin(id)?))
    }

    /// A follow-up of check-in `id`: today's answers (at least `trend`) over the carried ones,
    /// re-assessed and compared with the expected course, saved against that check-in.
    pub fn follow_up(
        &self,
        id: i64,
        given: &Intake,
    ) -> Result<runsore_app::FollowUp, BackendError> {
        let start = self.app.follow_up_start(Some(CheckInId(id)))?;
        let answers = runsore_app::merge_intake(&start.carried, given)?;
        Ok(self.app.follow_up(&start, &answers, self.now(), true)?)
    }

    /// Imports one uploaded file or export archive through the app layer's import. A single
    /// file that cannot be imported is an error naming it; inside an archive, such files are
    /// listed as skipped and the rest go in (an archive that cannot be opened at all is an error).
    pub fn import(&self, name: &str, bytes: &[u8]) -> Result<ImportOutcome, BackendError> {
        let safe = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let is_zip =
            bytes.starts_with(b"PK\x03\x04") || name.to_ascii_lowercase().ends_with(".zip");
        let summary = self
            .app
            .import_bytes(safe, bytes, &runsore_app::NoProgress, self.now())?;
        let stored_any = summary.runs_imported + summary.already_present > 0;
        let problems: Vec<SkippedFile> = summary
            .skipped
            .iter()
            .chain(&summary.failed)
            .map(|p| SkippedFile {
                name: p.file.clone(),
                reason: p.reason.clone(),
            })
            .collect();
        let whole_upload_failed = summary.files == 0
            || (!stored_any && (!is_zip || problems.iter().all(|p| p.name == safe)));
        if whole_upload_failed {
            let why = problems
                .first()
                .map_or_else(|| "no watch files inside".to_string(), |p| p.reason.clone());
            return Err(BackendError::Decode(format!("{safe}: {why}")));
        }
        Ok(ImportOutcome {
            imported: summary.runs_imported,
            duplicates: summary.already_present,
            skipped: problems,
        })
    }
}

fn checkin_view(c: runsore_app::CheckinEntry) -> CheckinView {
    CheckinView {
        id: c.id,
        at: c.at,
        kind: c.kind,
        intake: c.intake,
        assessment: view::stored(&c.result),
        story: c.story,
        followups: c.followups,
    }
}

impl From<BackendError> for crate::error::AppError {
    fn from(e: BackendError) -> Self {
        use crate::error::AppError;
        match e {
            BackendError::NotFound => AppError::NotFound,
            BackendError::Decode(m) | BackendError::Conflict(m) => AppError::bad(m),
            BackendError::BadInput { field, message } => AppError::BadInput { field, message },
            BackendError::Store(m) => AppError::Internal(m),
        }
    }
}
