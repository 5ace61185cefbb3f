//! runsore-app: the use cases every front end shares, between the pure crates and the store.
//!
//! The CLI and the web app only translate their input into these calls and render what comes
//! back, so the two cannot disagree: a check (an intake or a story, at a given time, with the
//! evidence of the stored runs and the runner's profile), a follow-up (the course compared with
//! the expected one, escalation, red flags asked again, the episode closed, pacing), the views of
//! runs, training and check-ins, the profile, and export and restore.
//!
//! [`App`] owns the way to the store. Each call takes a SQLite connection of its own from a small
//! pool (so a slow import never holds up an assessment), and the few figures that are costly to
//! recompute and change slowly (the evidence from the runs, the training charts) are kept for a
//! short while behind locks that guard only the cached value.

mod check;
pub mod export;
mod followup;
pub mod import;
mod local;
mod pool;
mod screen;
pub mod views;

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

pub use check::{
    CheckReport, Checked, MentionedSign, Origin, paced, parse_intake, read_story,
    red_flags_in_words, remove_path, without_signs_to_confirm,
};
pub use followup::{FollowUp, FollowUpStart, merge_intake};
pub use import::{FileProblem, ImportSink, ImportSummary, NoProgress};
pub use local::{local_offset_s, training_profile};
pub use screen::{SafetySign, carried_fields, safety_fields, safety_screen};
pub use views::{
    ACWR_BAND, CHART_WEEKS, CheckinEntry, DayView, FollowUpEntry, MAX_CHART_WEEKS, RunPage, RunRow,
    TrainingView, WeekView,
};

use runsore_model::DerivedEvidence;
use runsore_store::{Store, StoreError};

use crate::pool::Pool;

/// What can go wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The runner's input is wrong; `field` names the intake field at fault when one is.
    #[error("{message}")]
    BadInput {
        /// The field at fault (dotted path), when one is.
        field: Option<String>,
        /// What is wrong, in plain words.
        message: String,
    },
    /// No such record.
    #[error("not found")]
    NotFound,
    /// The change is not possible in the current state (e.g. a closed episode).
    #[error("{0}")]
    Conflict(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// A file of the app's own could not be written (an upload's temporary copy).
    #[error("{0}")]
    Io(String),
    /// A stored record could not be read back (written by an incompatible version).
    #[error("a stored record could not be read: {0}")]
    Corrupt(String),
}

impl AppError {
    /// A bad-input error naming a field.
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError::BadInput {
            field: Some(field.to_string()),
            message: message.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => AppError::NotFound,
            StoreError::EpisodeClosed { .. } => AppError::Conflict(
                "this check-in's episode is closed: start a new check-in to record how it is now"
                    .into(),
            ),
            other => AppError::Store(other),
        }
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::Corrupt(e.to_string())
    }
}

/// The result of a use case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// How far back the runs that explain today's soreness are read: the 6 weeks the downhill
/// novelty needs plus the 30 days before the longest-run spike.
pub const LOOKBACK_S: i64 = 90 * 86_400;
/// How long derived evidence is reused: `hours_since_run` moves with the clock, and a minute is
/// far below the precision any question asks for.
const EVIDENCE_TTL_S: i64 = 60;
/// How many timings' evidence is kept at once.
const EVIDENCE_KEPT: usize = 8;

/// Every run's view, with the runs' fingerprint it was read at.
type CachedViews = ((i64, i64), std::sync::Arc<Vec<runsore_training::RunView>>);

/// The use cases over one store.
pub struct App {
    pool: Pool,
    /// Every run's view, with the runs' fingerprint it was read at.
    views: Mutex<Option<CachedViews>>,
    /// The evidence from the runs, with the time and the timing it was derived for.
    evidence: Mutex<Vec<(i64, runsore_training::Timing, DerivedEvidence)>>,
    /// The training charts, with the local day and the moment they were computed.
    training: Mutex<Option<(Instant, i64, std::sync::Arc<TrainingView>)>>,
    /// Held while a check-in is looked up by its flow key and saved.
    saving: Mutex<()>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("pool", &self.pool).finish()
    }
}

impl App {
    fn over(pool: Pool) -> App {
        App {
            pool,
            views: Mutex::new(None),
            evidence: Mutex::new(Vec::new()),
            training: Mutex::new(None),
            saving: Mutex::new(()),
        }
    }

    /// The use cases over the SQLite store at `path`, created when missing.
    pub fn open(path: &Path) -> Result<App> {
        Ok(App::over(Pool::open(path)?))
    }

    /// The use cases over the existing store at `path`, to read only: nothing is created or
    /// written, so a read-only data folder does not block the views (a use case that writes
    /// fails with SQLite's "read-only" error).
    pub fn open_read_only(path: &Path) -> Result<App> {
        Ok(App::over(Pool::open_read_only(path)?))
    }

    /// The use cases over a fresh store in memory (for trying the app out, and tests).
    pub fn in_memory() -> Result<App> {
        Ok(App::over(Pool::in_memory()?))
    }

    /// Runs `f` with a connection of its own.
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.pool.with(f)
    }

    /// Forgets every cached figure: the store changed.
    pub fn invalidate(&self) {
        if let Ok(mut v) = self.views.lock() {
            *v = None;
        }
        if let Ok(mut e) = self.evidence.lock() {
            e.clear();
        }
        if let Ok(mut t) = self.training.lock() {
            *t = None;
        }
    }

    /// The training profile from the stored one, with the age at `now_utc`.
    pub fn profile(&self, now_utc: i64) -> Result<runsore_training::Profile> {
        self.with_store(|s| Ok(training_profile(&s.profile()?, now_utc)))
    }

    /// The stored profile as the runner gave it.
    pub fn stored_profile(&self) -> Result<runsore_store::Profile> {
        self.with_store(|s| Ok(s.profile()?))
    }

    /// Stores the runner's profile; a figure out of range is bad input naming its field.
    pub fn set_profile(&self, profile: &runsore_store::Profile) -> Result<()> {
        self.with_store(|s| {
            s.set_profile(profile).map_err(|e| match e {
                StoreError::Invalid { field, .. } => {
                    AppError::field(field, format!("profile: {e}"))
                }
                other => other.into(),
            })
        })?;
        self.invalidate();
        Ok(())
    }

    /// How many runs are stored.
    pub fn run_count(&self) -> Result<usize> {
        self.with_store(|s| Ok(s.run_count()?))
    }

    /// The stored activities as the analytics count them: (runs of two minutes or more, other
    /// activities such as rides or a few seconds recorded by mistake, implausible ones left out
    /// of every figure).
    pub fn activity_counts(&self, now_utc: i64) -> Result<(usize, usize, usize)> {
        let views = self.all_views()?;
        let implausible = views.iter().filter(|v| v.implausible().is_some()).count();
        let profile = self.profile(now_utc)?;
        let runs = runsore_training::analyse(&views, &profile)
            .runs
            .iter()
            .filter(|r| r.is_a_real_run())
            .count();
        Ok((
            runs,
            views.len().saturating_sub(runs + implausible),
            implausible,
        ))
    }
}

/// Seconds since the epoch, now: for front ends that have no `--now`.
pub fn now_utc() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
