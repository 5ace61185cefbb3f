//! runsore-app: the use cases every front end shares, between the pure crates and the store.
//!
//! The CLI and the web app only translate their input into these calls and render what comes
//! back, so the two cannot disagree: a check (an intake or a story, at a given time, with the
//! evidence of the stored runs and the runner's profile), a follow-up (the course compared with
//! the expected one, escalation, red flags asked again, the episode closed, pacing), the views of
//! runs, training and check-ins, the profile, and export and restore.
//!
//! [`App`] owns the way to the store. Each call takes a SQLite connection of its own from a small
//! pool (so a slow import never holds up an assessment). The figures derived from the store (the
//! runs' views, the evidence, pacing, the training charts, the check-ins) are kept with the
//! store's revision they were derived at, which every committed change moves (also one made by
//! another process, such as the CLI importing while the web app runs): a request reads that one
//! number and recomputes only what changed.

mod check;
pub mod dialogue;
pub mod export;
mod followup;
mod history;
pub mod import;
mod load;
mod local;
mod pool;
pub mod runs;
mod screen;
pub mod views;
mod walwatch;

use std::path::Path;
use std::sync::{Arc, Mutex};

pub use check::{
    CheckReport, Checked, MentionedSign, Origin, checked, paced, parse_intake, read_story,
    red_flags_in_words, remove_path, without_signs_to_confirm,
};
pub use followup::{FollowUp, FollowUpStart, merge_intake};
pub use history::Episodes;
pub use import::{FileProblem, ImportSink, ImportSummary, NoProgress};
pub use load::LoadView;
pub use local::{local_offset_s, training_profile};
pub use runs::{ListedRun, RunList, RunQuery};
pub use screen::{
    AskedAgain, SafetySign, asked_again, carried_fields, safety_fields, safety_screen,
};
pub use views::{
    ACWR_BAND, CHART_WEEKS, CheckinEntry, DayView, FollowUpEntry, MAX_CHART_WEEKS, RunPage, RunRow,
    TrainingView, WeekView,
};

use runsore_model::DerivedEvidence;
use runsore_store::{FiguresRevision, RunKey, Store, StoreError};

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
/// How long derived evidence is reused within one revision of the store: `hours_since_run`
/// moves with the clock, and a minute is far below the precision any question asks for.
const EVIDENCE_TTL_S: i64 = 60;
/// How many entries each cache of derived figures keeps (the charts are looked at over a few
/// windows).
const KEPT: usize = 8;
/// How many timings (onset and days since onset) the evidence from the runs is kept for: one
/// runner asks in a handful of ways, but a server answering many clients (or the benchmark's 86
/// worked cases, 28 timings) derived the evidence again for most requests with only [`KEPT`].
/// An entry is a few findings; looking one up is a scan of this many keys.
const EVIDENCE_KEPT: usize = 64;

/// What one revision of the store holds that every derived figure starts from: each run's view
/// (a few figures and a histogram of heart rates, never the samples), oldest first, and the
/// runner's profile.
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// The store's revision these were read at.
    pub(crate) revision: i64,
    /// The revision of the runs and the profile they were read at: what the figures derived
    /// from them are kept by (a check-in moves the store's revision, not this one).
    pub(crate) figures: FiguresRevision,
    /// Every run with a start time, by start time.
    pub(crate) views: Arc<Vec<runsore_training::RunView>>,
    /// What identifies each run read (`keys[i]` is the run of `views[i]`), and the runs read
    /// that have no view (no start time): the next reading reads only the runs not among them.
    read: Arc<(Vec<RunKey>, Vec<RunKey>)>,
    /// The profile as stored.
    pub(crate) profile: runsore_store::Profile,
}

impl Snapshot {
    /// The runs starting in `[from_utc, to_utc)`, and their place in [`Snapshot::views`].
    pub(crate) fn between(
        &self,
        from_utc: i64,
        to_utc: i64,
    ) -> (std::ops::Range<usize>, &[runsore_training::RunView]) {
        let lo = self.views.partition_point(|v| v.start_utc < from_utc);
        let hi = self.views.partition_point(|v| v.start_utc < to_utc).max(lo);
        (lo..hi, &self.views[lo..hi])
    }
}

/// A small cache of figures derived from the store: each entry remembers the revision it was
/// derived at and the inputs it was derived for, so nothing stale is ever answered.
pub(crate) struct Memo<K, V> {
    entries: Mutex<Vec<(i64, K, V)>>,
    /// The most entries kept.
    kept: usize,
    /// Held while a missing value is derived: the requests that arrive meanwhile wait for it
    /// instead of each deriving it (32 requests deriving the charts of 6,000 runs at once once
    /// took 290 MB).
    making: Mutex<()>,
}

impl<K: PartialEq, V: Clone> Memo<K, V> {
    fn new() -> Self {
        Self::keeping(KEPT)
    }

    fn keeping(kept: usize) -> Self {
        Memo {
            entries: Mutex::new(Vec::new()),
            kept: kept.max(1),
            making: Mutex::new(()),
        }
    }

    /// The value for `key` at `revision`, derived by `make` when none is kept, once however
    /// many ask at the same time.
    pub(crate) fn get_or_make(
        &self,
        revision: i64,
        key: K,
        make: impl FnOnce() -> Result<V>,
    ) -> Result<V> {
        if let Some(v) = self.get(revision, |k| *k == key) {
            return Ok(v);
        }
        let _one = self.making.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = self.get(revision, |k| *k == key) {
            return Ok(v);
        }
        let v = make()?;
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|(r, k, _)| *r == revision && *k != key);
            if entries.len() >= self.kept {
                entries.remove(0);
            }
            entries.push((revision, key, v.clone()));
        }
        Ok(v)
    }

    /// The value for `key` at `revision` when one is kept and `fresh` accepts its key.
    pub(crate) fn get(&self, revision: i64, fresh: impl Fn(&K) -> bool) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries
            .iter()
            .rev()
            .find(|(r, k, _)| *r == revision && fresh(k))
            .map(|(_, _, v)| v.clone())
    }

    /// Keeps `value` for `key` at `revision`, dropping what an older revision derived and the
    /// oldest entry beyond the most kept.
    pub(crate) fn put(&self, revision: i64, key: K, value: V, same: impl Fn(&K) -> bool) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|(r, k, _)| *r == revision && !same(k));
            if entries.len() >= self.kept {
                entries.remove(0);
            }
            entries.push((revision, key, value));
        }
    }

    fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

/// What the pacing advice depends on: the local day, the runs in the window (their place in
/// the snapshot) and the runner's age.
pub(crate) type PacingKey = (i64, std::ops::Range<usize>, Option<u8>);
/// What the training charts depend on: the local day, the runner's age, the end day asked for
/// and the weeks shown.
pub(crate) type TrainingKey = (i64, Option<u8>, Option<i64>, i64);

/// The use cases over one store.
pub struct App {
    pool: Pool,
    /// The runs' views and the profile at the store's latest revision read.
    snapshot: Mutex<Option<Arc<Snapshot>>>,
    /// Held while a snapshot is read, so that requests arriving after a change wait for one
    /// reading instead of each decoding every run.
    reading: Mutex<()>,
    /// The evidence from the runs: its key is the time it was derived at and the timing.
    pub(crate) evidence: Memo<(i64, runsore_training::Timing), Arc<DerivedEvidence>>,
    /// The pacing advice.
    pub(crate) pacing: Memo<PacingKey, Option<runsore_training::report::Pacing>>,
    /// The training charts.
    pub(crate) training: Memo<TrainingKey, Arc<TrainingView>>,
    /// The check-ins with their follow-ups (the key is unused: they depend on the store alone).
    pub(crate) checkins: Memo<(), Arc<Vec<CheckinEntry>>>,
    /// The activity counts, by the runner's age.
    counts: Memo<Option<u8>, (usize, usize, usize)>,
    /// Pages of the runs list, by offset and size.
    pub(crate) pages: Memo<(usize, usize), Arc<RunPage>>,
    /// Held while a check-in is looked up by its flow key and saved.
    saving: Mutex<()>,
    /// The WAL index header watch of a store file in WAL mode ([`App::kept_snapshot`]).
    wal: Option<walwatch::WalWatch>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("pool", &self.pool).finish()
    }
}

impl App {
    fn over(pool: Pool) -> App {
        let wal = pool.wal_file().map(|db| walwatch::WalWatch::new(&db));
        App {
            wal,
            pool,
            snapshot: Mutex::new(None),
            reading: Mutex::new(()),
            evidence: Memo::keeping(EVIDENCE_KEPT),
            pacing: Memo::new(),
            training: Memo::new(),
            checkins: Memo::new(),
            counts: Memo::new(),
            pages: Memo::new(),
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

    /// The store's revision: it moves with every change committed to the store, by this app,
    /// the CLI or any other process, so a front end can keep what it rendered from the store
    /// while it stays the same.
    pub fn revision(&self) -> Result<i64> {
        self.with_store(|s| Ok(s.revision()?))
    }

    /// The snapshot when the one kept is at the store's current revision, `None` when the store
    /// would have to be read (or no connection is idle): what a caller that must not block asks.
    /// The revision is one row read on an idle connection, with no wait.
    pub(crate) fn kept_snapshot(&self) -> Option<Arc<Snapshot>> {
        let read = || self.pool.try_with(|s| Ok(s.revision()?))?.ok();
        let revision = match &self.wal {
            Some(watch) => watch.revision(read)?,
            None => read()?,
        };
        self.snapshot
            .lock()
            .ok()?
            .as_ref()
            .filter(|s| s.revision == revision)
            .map(Arc::clone)
    }

    /// The runs' views and the profile at the store's current revision: read from the store
    /// only when the revision moved since they were last read.
    pub(crate) fn snapshot(&self) -> Result<Arc<Snapshot>> {
        let cached = || {
            self.snapshot
                .lock()
                .ok()
                .and_then(|s| s.as_ref().map(Arc::clone))
        };
        let revision = self.revision()?;
        if let Some(s) = cached().filter(|s| s.revision == revision) {
            return Ok(s);
        }
        let _one = self.reading.lock().unwrap_or_else(|e| e.into_inner());
        // Another request may have read it while this one waited.
        self.with_store(|store| {
            let revision = store.revision()?;
            let kept = cached();
            if let Some(s) = kept.as_ref().filter(|s| s.revision == revision) {
                return Ok(Arc::clone(s));
            }
            // The revisions are read before the data, so a change committed in between leaves
            // a snapshot marked older than its data: read again next time, never stale.
            let figures = store.figures_revision()?;
            let snapshot = Arc::new(match kept {
                // A check-in, or a follow-up: the runs and the profile are the ones kept.
                Some(kept) if kept.figures == figures => Snapshot {
                    revision,
                    figures,
                    views: Arc::clone(&kept.views),
                    read: Arc::clone(&kept.read),
                    profile: kept.profile.clone(),
                },
                // Runs added or removed (an import, a deletion, a restore) or the profile
                // changed: only the runs not read before are read.
                Some(kept) if kept.figures.edits == figures.edits => {
                    read_snapshot(store, revision, figures, Some(&kept))?
                }
                // A run changed in place (a hand edit), or nothing read yet: all of them.
                _ => read_snapshot(store, revision, figures, None)?,
            });
            if let Ok(mut s) = self.snapshot.lock() {
                *s = Some(Arc::clone(&snapshot));
            }
            Ok(snapshot)
        })
    }

    /// Reads the runs' views now, so that the first request after a server starts does not
    /// wait for every run of years of them to be decoded (seconds for thousands of runs).
    pub fn warm(&self) -> Result<()> {
        self.snapshot().map(|_| ())
    }

    /// Forgets every cached figure. Never needed for correctness (every figure is kept with
    /// the revision it was derived at); it frees their memory at once after a change. The runs'
    /// views stay: the next reading reuses those of the runs still stored.
    pub fn invalidate(&self) {
        self.evidence.clear();
        self.pacing.clear();
        self.training.clear();
        self.checkins.clear();
        self.counts.clear();
        self.pages.clear();
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
        let snap = self.snapshot()?;
        let profile = training_profile(&snap.profile, now_utc);
        self.counts.get_or_make(snap.figures.n, profile.age, || {
            let views = &snap.views;
            let implausible = views.iter().filter(|v| v.implausible().is_some()).count();
            let runs = runsore_training::analyse(views, &profile)
                .runs
                .iter()
                .filter(|r| r.is_a_real_run())
                .count();
            Ok((
                runs,
                views.len().saturating_sub(runs + implausible),
                implausible,
            ))
        })
    }
}

/// Reads the runs' views and the profile at `revision`, reusing the view of every run `kept`
/// already read: after an import of a few runs into years of them, only those few are decoded
/// (reading every run's samples again took 3 s for 6,000 runs).
fn read_snapshot(
    store: &Store,
    revision: i64,
    figures: FiguresRevision,
    kept: Option<&Snapshot>,
) -> Result<Snapshot> {
    const ALL: (i64, i64) = (i64::MIN / 4, i64::MAX / 4);
    let keys = store.run_keys_between(ALL.0, ALL.1)?;
    let mut known: std::collections::HashMap<&RunKey, Option<&runsore_training::RunView>> =
        std::collections::HashMap::new();
    if let Some(kept) = kept {
        let (kept_keys, viewless) = &*kept.read;
        known.extend(kept_keys.iter().zip(kept.views.iter().map(Some)));
        known.extend(viewless.iter().map(|k| (k, None)));
    }
    let missing: Vec<runsore_store::RunId> = keys
        .iter()
        .filter(|k| !known.contains_key(k))
        .map(|k| k.id)
        .collect();
    let mut fresh = std::collections::HashMap::with_capacity(missing.len());
    store.visit_runs(&missing, |r| {
        fresh.insert(r.id, runsore_training::RunView::from_run(r.id.0, &r.run));
    })?;
    // In the store's order (by start time, then id), as one reading of every run gives them.
    let (mut views, mut view_keys, mut viewless) = (Vec::new(), Vec::new(), Vec::new());
    for key in keys {
        let view = match known.get(&key) {
            Some(view) => view.cloned(),
            // Removed between the listing and the reading: left out, as a full reading would.
            None => match fresh.remove(&key.id) {
                Some(view) => view,
                None => continue,
            },
        };
        match view {
            Some(view) => {
                views.push(view);
                view_keys.push(key);
            }
            None => viewless.push(key),
        }
    }
    Ok(Snapshot {
        revision,
        figures,
        views: Arc::new(views),
        read: Arc::new((view_keys, viewless)),
        profile: store.profile()?,
    })
}

/// Seconds since the epoch, now: for front ends that have no `--now`.
pub fn now_utc() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
