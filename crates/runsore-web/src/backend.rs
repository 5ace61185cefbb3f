//! The web app's view of the core: assessment, runs, training and check-ins, as plain view types.
//!
//! This is the one place that calls the engine, the analytics, the importer and the store; the
//! pages and the API only see the view types below, so a change in a core crate's API is absorbed
//! here.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use runsore_import::Decoded;
use runsore_model::{DerivedEvidence, Intake, Run};
use runsore_store::{
    CheckIn, CheckInKind, EpisodeId, FileRecord, InsertOutcome, NewCheckIn, NewSoreness, RunFilter,
    RunId, RunOutcome, Store, StoreError,
};
use runsore_training::{Day, RunView};
use serde::Serialize;
use serde_json::Value;

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
    /// Why the acute:chronic ratio is not shown, when it is not (the analytics' words).
    pub acwr_withheld: Option<String>,
    /// Plain notes (spikes, caveats) from the analytics.
    pub notes: Vec<String>,
    /// The analytics' full load report for the last day shown (as `runsore load --json` gives it).
    pub report: Option<Value>,
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

/// How long derived evidence is reused before it is recomputed: `hours_since_run` moves with the
/// clock, and a minute is far below the precision any question asks for.
const EVIDENCE_TTL_S: i64 = 60;
/// Weeks of history the training charts show.
const CHART_WEEKS: i64 = 16;
/// How long page data (training series, check-ins) is reused. The web app's own writes clear it at
/// once; this bounds how long a change made by the CLI on the same store takes to show.
const PAGE_TTL: Duration = Duration::from_secs(5);

/// The store and what is cheaper to keep than to recompute on every request.
struct Core {
    store: Store,
    /// Every run's view for the analytics, rebuilt after an import.
    views: Option<Vec<RunView>>,
    /// The evidence derived from the runs and when it was computed.
    evidence: Option<(i64, DerivedEvidence)>,
    /// The training charts' series, for the day it was computed.
    training: Option<(Instant, i64, Arc<TrainingView>)>,
    /// The check-ins with their follow-ups.
    checkins: Option<(Instant, Arc<Vec<CheckinView>>)>,
}

/// The core, behind one lock: the store is a single SQLite connection, and every call is short.
pub struct Backend {
    core: Mutex<Core>,
}

/// Seconds since the epoch, now.
pub fn now_utc() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn store_err(e: StoreError) -> BackendError {
    match e {
        StoreError::NotFound { .. } => BackendError::NotFound,
        StoreError::EpisodeClosed { .. } => BackendError::Conflict(
            "this check-in's episode is closed: start a new check-in to record how it is now"
                .into(),
        ),
        other => BackendError::Store(other.to_string()),
    }
}

impl Core {
    fn views(&mut self) -> Result<&[RunView], BackendError> {
        if self.views.is_none() {
            let runs = self
                .store
                .runs_between(i64::MIN / 4, i64::MAX / 4)
                .map_err(store_err)?;
            let views = runs
                .iter()
                .filter_map(|r| RunView::from_run(r.id.0, &r.run))
                .collect();
            self.views = Some(views);
        }
        Ok(self.views.as_deref().unwrap_or_default())
    }

    fn profile(&self) -> runsore_training::Profile {
        let p = self.store.profile().unwrap_or_default();
        runsore_training::Profile {
            sex: p.sex,
            body_mass_kg: p.body_mass_kg,
            hr_max: p.hr_max,
            hr_rest: p.hr_rest,
            ..Default::default()
        }
    }

    fn evidence(&mut self, now: i64) -> Result<DerivedEvidence, BackendError> {
        if let Some((at, ev)) = &self.evidence
            && now - at < EVIDENCE_TTL_S
        {
            return Ok(ev.clone());
        }
        let profile = self.profile();
        let ev = runsore_training::derive_evidence(self.views()?, &profile, now);
        self.evidence = Some((now, ev.clone()));
        Ok(ev)
    }

    fn invalidate(&mut self) {
        self.views = None;
        self.evidence = None;
        self.training = None;
        self.checkins = None;
    }
}

impl Backend {
    fn over(store: Store) -> Backend {
        Backend {
            core: Mutex::new(Core {
                store,
                views: None,
                evidence: None,
                training: None,
                checkins: None,
            }),
        }
    }

    /// A backend over an in-memory store.
    pub fn in_memory() -> Result<Backend, BackendError> {
        Ok(Backend::over(Store::open_in_memory().map_err(store_err)?))
    }

    /// A backend over the SQLite file at `path`.
    pub fn open(path: &Path) -> Result<Backend, BackendError> {
        Ok(Backend::over(Store::open(path).map_err(store_err)?))
    }

    fn lock(&self) -> Result<MutexGuard<'_, Core>, BackendError> {
        self.core
            .lock()
            .map_err(|_| BackendError::Store("the store lock was poisoned".into()))
    }

    /// Parses intake JSON, naming the field at fault.
    pub fn parse_intake(&self, json: &str) -> Result<Intake, (Option<String>, String)> {
        view::parse_intake(json)
    }

    /// The evidence the runs give, for the engine.
    pub fn derived_evidence(&self) -> Result<DerivedEvidence, BackendError> {
        self.lock()?.evidence(now_utc())
    }

    /// The engine's assessment with the runs' evidence, for the API to serialise as it is.
    pub fn assess_raw(&self, intake: &Intake) -> runsore_triage::Assessment {
        let derived = self.derived_evidence().unwrap_or_default();
        runsore_triage::assess(runsore_triage::knowledge(), intake, &derived)
    }

    /// The engine's assessment, as JSON (to store) and laid out (for pages).
    pub fn assess(&self, intake: &Intake) -> (Value, AssessmentView) {
        let derived = self.derived_evidence().unwrap_or_default();
        let json = view::assess_json(intake, &derived);
        let laid_out = view::assessment(&json);
        (json, laid_out)
    }

    /// The intake read from the runner's own words.
    pub fn read_story(&self, text: &str) -> Intake {
        runsore_story::read_story(text).intake
    }

    /// Imports one uploaded file or export archive. A file that cannot be decoded is an error
    /// naming it; inside an archive, such files are listed as skipped and the rest go in.
    ///
    /// Each file is decoded, stored and dropped before the next is read, and the store lock is
    /// held only while one file's runs are written: memory does not grow with the number of
    /// entries (8 entries once held 6.5 GB at once), and other requests are not kept waiting.
    pub fn import(&self, name: &str, bytes: &[u8]) -> Result<ImportOutcome, BackendError> {
        let mut outcome = ImportOutcome::default();
        let is_zip =
            bytes.starts_with(b"PK\x03\x04") || name.to_ascii_lowercase().ends_with(".zip");
        if is_zip {
            // The importer enumerates archives from paths, so the upload goes to a private
            // temporary file, removed when this function returns. Its name is fixed: the
            // runner's file name only labels messages and never reaches the file system.
            let dir = tempfile::tempdir().map_err(|e| BackendError::Store(e.to_string()))?;
            let safe = name.rsplit(['/', '\\']).next().unwrap_or("upload.zip");
            let path = dir.path().join("upload.zip");
            std::fs::write(&path, bytes).map_err(|e| BackendError::Store(e.to_string()))?;
            let temp_name = format!("{}", path.display());
            let prefix = format!("{}", dir.path().display());
            let clean = |s: String| {
                s.replace(&temp_name, safe)
                    .replace(&prefix, "")
                    .trim_start_matches(['/', '\\'])
                    .to_string()
            };
            let mut any = false;
            let mut stored_any = false;
            for src in runsore_import::sources(std::slice::from_ref(&path)) {
                any = true;
                match src {
                    Err(e) => outcome.skipped.push(SkippedFile {
                        name: safe.into(),
                        reason: clean(e.to_string()),
                    }),
                    Ok(src) => match runsore_import::decode_source(&src) {
                        Ok(Decoded::Runs(runs)) if !runs.is_empty() => {
                            self.store_runs(&clean(src.name()), &runs, bytes.len(), &mut outcome)?;
                            stored_any = true;
                        }
                        Ok(Decoded::Runs(_)) => outcome.skipped.push(SkippedFile {
                            name: clean(src.name()),
                            reason: "no runs in the file".into(),
                        }),
                        Ok(Decoded::NotActivity { reason }) => outcome.skipped.push(SkippedFile {
                            name: clean(src.name()),
                            reason,
                        }),
                        Err(e) => outcome.skipped.push(SkippedFile {
                            name: clean(src.name()),
                            reason: e.kind.to_string(),
                        }),
                    },
                }
            }
            if !any
                || (!stored_any
                    && !outcome.skipped.is_empty()
                    && outcome.skipped.iter().all(|s| s.name == safe))
            {
                let why = outcome
                    .skipped
                    .first()
                    .map(|s| s.reason.clone())
                    .unwrap_or_else(|| "no watch files inside".into());
                return Err(BackendError::Decode(format!("{safe}: {why}")));
            }
        } else {
            match runsore_import::decode(name, bytes) {
                Ok(Decoded::Runs(runs)) if !runs.is_empty() => {
                    self.store_runs(name, &runs, bytes.len(), &mut outcome)?;
                }
                Ok(Decoded::Runs(_)) => {
                    return Err(BackendError::Decode(format!("{name}: no runs in the file")));
                }
                Ok(Decoded::NotActivity { reason }) => {
                    return Err(BackendError::Decode(format!("{name}: {reason}")));
                }
                Err(e) => return Err(BackendError::Decode(e.to_string())),
            }
        }
        Ok(outcome)
    }

    /// Stores one file's runs under the lock, counting what went in.
    fn store_runs(
        &self,
        source: &str,
        runs: &[Run],
        size_bytes: usize,
        outcome: &mut ImportOutcome,
    ) -> Result<(), BackendError> {
        let mut core = self.lock()?;
        let first = &runs[0];
        let record = FileRecord {
            source: source.to_string(),
            format: first.format,
            content_hash: first.content_hash.clone(),
            size_bytes: size_bytes as u64,
            imported_utc: now_utc(),
        };
        match core.store.insert_file(&record, runs).map_err(store_err)? {
            InsertOutcome::AlreadyPresent { .. } => outcome.duplicates += runs.len(),
            InsertOutcome::Inserted { runs: results, .. } => {
                for r in results {
                    match r {
                        RunOutcome::Inserted(_) => outcome.imported += 1,
                        RunOutcome::Duplicate(_) => outcome.duplicates += 1,
                    }
                }
            }
        }
        core.invalidate();
        Ok(())
    }

    /// The stored runs, newest first.
    pub fn runs(&self) -> Result<Vec<RunRow>, BackendError> {
        let core = self.lock()?;
        let runs = core
            .store
            .list_runs(&RunFilter::default())
            .map_err(store_err)?;
        Ok(runs
            .iter()
            .map(|r| {
                let s = r.run.best_summary();
                RunRow {
                    id: r.id.0,
                    start_utc: s.start_utc,
                    sport: r.run.sport.label(),
                    distance_km: s.distance_m.map(|m| m / 1000.0),
                    duration_s: s.moving_s.or(s.elapsed_s),
                    avg_hr: s.avg_hr,
                    descent_m: s.descent_m,
                    source: r
                        .run
                        .source
                        .rsplit(['/', '\\'])
                        .next()
                        .unwrap_or(&r.run.source)
                        .to_string(),
                }
            })
            .collect())
    }

    /// The training series for the charts: the last weeks up to today, or up to the latest run
    /// when the runs are older than that (an old export still shows its training).
    pub fn training(&self) -> Result<Arc<TrainingView>, BackendError> {
        let mut core = self.lock()?;
        let today = Day::from_utc(now_utc(), 0).0;
        if let Some((at, day, t)) = &core.training
            && at.elapsed() < PAGE_TTL
            && *day == today
        {
            return Ok(t.clone());
        }
        let t = Arc::new(compute_training(&mut core)?);
        core.training = Some((Instant::now(), today, t.clone()));
        Ok(t)
    }

    /// The check-ins, newest first, each with the pain reported after it in its episode.
    pub fn checkins(&self) -> Result<Arc<Vec<CheckinView>>, BackendError> {
        let mut core = self.lock()?;
        if let Some((at, list)) = &core.checkins
            && at.elapsed() < PAGE_TTL
        {
            return Ok(list.clone());
        }
        let list = Arc::new(compute_checkins(&core)?);
        core.checkins = Some((Instant::now(), list.clone()));
        Ok(list)
    }

    /// How many runs are stored.
    pub fn run_count(&self) -> Result<usize, BackendError> {
        self.lock()?.store.run_count().map_err(store_err)
    }

    /// Saves a check-in with its assessment and returns its id. It joins the open episode, or
    /// opens one.
    pub fn save_checkin(
        &self,
        intake: &Intake,
        assessment_json: &Value,
    ) -> Result<i64, BackendError> {
        let mut core = self.lock()?;
        let now = now_utc();
        let evidence = core.evidence(now)?;
        let episode = match core.store.current_episode().map_err(store_err)? {
            Some(e) => e,
            None => core.store.open_episode(now, None).map_err(store_err)?,
        };
        let run_ids: Vec<RunId> = evidence
            .findings
            .iter()
            .filter_map(|f| f.run_id)
            .map(RunId)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let id = core
            .store
            .add_checkin(&NewCheckIn {
                at_utc: now,
                kind: CheckInKind::Assessment,
                episode_id: Some(episode.id),
                kb_version: view::kb_version(),
                intake: serde_json::to_value(intake)
                    .map_err(|e| BackendError::Store(e.to_string()))?,
                evidence: serde_json::to_value(&evidence)
                    .map_err(|e| BackendError::Store(e.to_string()))?,
                result: assessment_json.clone(),
                run_ids,
            })
            .map_err(store_err)?;
        core.checkins = None;
        Ok(id.0)
    }

    /// One check-in.
    pub fn checkin(&self, id: i64) -> Result<CheckinView, BackendError> {
        self.checkins()?
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or(BackendError::NotFound)
    }

    /// Records today's pain against a check-in's episode.
    pub fn add_followup(&self, id: i64, pain: u8) -> Result<(), BackendError> {
        let mut core = self.lock()?;
        let c = core
            .store
            .checkin(runsore_store::CheckInId(id))
            .map_err(store_err)?;
        let regions = c
            .data
            .intake
            .get("where")
            .and_then(|w| serde_json::from_value(w.clone()).ok())
            .unwrap_or_default();
        let episode_id: Option<EpisodeId> = c.data.episode_id;
        if episode_id.is_none() {
            return Err(BackendError::Conflict(
                "this check-in belongs to no episode: start a new check-in to record how it is now"
                    .into(),
            ));
        }
        core.store
            .log_soreness(&NewSoreness {
                at_utc: now_utc(),
                level: pain,
                regions,
                note: None,
                episode_id,
            })
            .map_err(store_err)?;
        core.checkins = None;
        Ok(())
    }
}

fn compute_training(core: &mut Core) -> Result<TrainingView, BackendError> {
    {
        let profile = core.profile();
        let views = core.views()?;
        let analysis = runsore_training::analyse(views, &profile);
        let Some(last) = analysis.runs.iter().map(|r| r.day).max() else {
            return Ok(TrainingView {
                acwr_band: ACWR_BAND,
                ..Default::default()
            });
        };
        let today = Day::from_utc(now_utc(), 0);
        let mut notes = Vec::new();
        let end = if today.0 - last.0 > CHART_WEEKS * 7 {
            notes.push(format!(
                "your latest run was on {}; the charts show the {CHART_WEEKS} weeks up to it",
                crate::charts::day_label_year(last.0)
            ));
            last
        } else {
            today
        };
        let start = Day(end.0 - CHART_WEEKS * 7 + 1);
        let Some(daily) = runsore_training::series::Daily::new(&analysis, end) else {
            return Ok(TrainingView {
                acwr_band: ACWR_BAND,
                ..Default::default()
            });
        };
        let fitness = runsore_training::series::fitness(&daily);
        let mut days = Vec::new();
        for point in fitness.iter().filter(|p| p.day >= start) {
            let total = daily.get(point.day);
            let acwr = runsore_training::series::Daily::new(&analysis, point.day)
                .and_then(|d| runsore_training::series::ratios(&d).ewma.value);
            days.push(DayView {
                day: point.day.0,
                distance_km: total.map(|t| t.distance_km).unwrap_or_default(),
                load: total.map(|t| t.load).unwrap_or_default(),
                ctl: point.ctl,
                atl: point.atl,
                tsb: point.tsb,
                acwr,
            });
        }
        let mut weeks = Vec::new();
        let mut week_start = start;
        while week_start <= end {
            let (t, _) = daily.sum(week_start, Day(week_start.0 + 6));
            weeks.push(WeekView {
                start_day: week_start.0,
                distance_km: t.distance_km,
                load: t.load,
            });
            week_start = Day(week_start.0 + 7);
        }
        let report = runsore_training::report(views, &profile, end);
        notes.extend(report.warnings.iter().cloned());
        if let Some(r) = &report.ratios {
            notes.push(r.caveat.to_string());
        }
        let acwr_withheld = runsore_training::series::ratios(&daily).ewma.withheld;
        Ok(TrainingView {
            days,
            weeks,
            acwr_band: ACWR_BAND,
            acwr_withheld,
            notes,
            report: serde_json::to_value(&report).ok(),
        })
    }
}

fn compute_checkins(core: &Core) -> Result<Vec<CheckinView>, BackendError> {
    {
        let mut out = Vec::new();
        let mut in_episodes = std::collections::HashSet::new();
        for history in core.store.list_episodes().map_err(store_err)? {
            for (i, c) in history.checkins.iter().enumerate() {
                in_episodes.insert(c.id.0);
                let until = history
                    .checkins
                    .get(i + 1)
                    .map(|n| n.data.at_utc)
                    .unwrap_or(i64::MAX);
                let followups = history
                    .soreness
                    .iter()
                    .filter(|s| s.data.at_utc >= c.data.at_utc && s.data.at_utc < until)
                    .map(|s| FollowUp {
                        at: s.data.at_utc,
                        pain: s.data.level,
                    })
                    .collect();
                out.push(checkin_view(c, followups));
            }
        }
        for c in core
            .store
            .checkins_between(i64::MIN / 4, i64::MAX / 4)
            .map_err(store_err)?
        {
            if !in_episodes.contains(&c.id.0) {
                out.push(checkin_view(&c, Vec::new()));
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse((c.at, c.id)));
        Ok(out)
    }
}

/// The band within which the acute:chronic ratio reads as "about usual" (the training crate's
/// `RatioBand::Usual`, 0.8 to 1.3).
const ACWR_BAND: (f64, f64) = (0.8, 1.3);

fn checkin_view(c: &CheckIn, followups: Vec<FollowUp>) -> CheckinView {
    CheckinView {
        id: c.id.0,
        at: c.data.at_utc,
        intake: serde_json::from_value(c.data.intake.clone()).unwrap_or_default(),
        assessment: view::assessment(&c.data.result),
        followups,
    }
}
