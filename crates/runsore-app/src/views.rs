//! What the front ends show: a page of runs, the training charts' series, the check-ins with the
//! follow-ups saved against each; and the stored form of a result.

use std::sync::Arc;

use runsore_followup::{CourseCheck, Status};
use runsore_model::Intake;
use runsore_store::{CheckIn, CheckInId, CheckInKind};
use runsore_training::{Day, RunView};
use runsore_triage::{Assessment, Triage};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{App, Result, local_offset_s, training_profile};

/// The version of the stored result's shape, written with every check-in.
pub const RESULT_VERSION: u32 = 1;
/// Weeks of history the training charts show unless asked for others.
pub const CHART_WEEKS: i64 = 16;
/// The most weeks one view of the training charts shows (two years).
pub const MAX_CHART_WEEKS: i64 = 104;
/// Most runs on one page of the list.
pub const MAX_PAGE: usize = 200;

/// The band within which the acute:chronic ratio reads as "about usual" (the training crate's
/// `RatioBand::Usual`, 0.8 to 1.3).
pub const ACWR_BAND: (f64, f64) = (0.8, 1.3);

/// An assessment as stored: the assessment's own fields, the version of this shape, and for a
/// follow-up the course comparison and the check-in it follows.
pub(crate) fn stored_result(
    assessment: &Assessment,
    follow_up: Option<(&CourseCheck, CheckInId)>,
) -> Result<Value> {
    stored_result_from(assessment, follow_up, &crate::Origin::default())
}

/// [`stored_result`] with what the check-in came from: the runner's words (`story`) and the
/// front end's flow key (`flow`), when there are.
pub(crate) fn stored_result_from(
    assessment: &Assessment,
    follow_up: Option<(&CourseCheck, CheckInId)>,
    origin: &crate::Origin,
) -> Result<Value> {
    let mut v = serde_json::to_value(assessment)?;
    if let Some(story) = origin.story.as_deref().filter(|s| !s.trim().is_empty()) {
        v["story"] = story.into();
    }
    if let Some(flow) = &origin.flow {
        v["flow"] = flow.as_str().into();
    }
    v["version"] = RESULT_VERSION.into();
    if let Some((course, follows)) = follow_up {
        v["follow_up"] = serde_json::to_value(course)?;
        v["follows"] = follows.0.into();
    }
    Ok(v)
}

/// One ranked cause as read back.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredCondition {
    /// The condition's id.
    pub id: String,
    /// Its name in plain words, as the engine gave it then.
    pub name: String,
    /// Its probability then, 0 to 1.
    pub probability: f64,
    /// Findings that raised it, strongest first.
    #[serde(rename = "for")]
    pub for_: Vec<StoredReason>,
    /// Findings that lowered it, strongest first.
    pub against: Vec<StoredReason>,
}

/// Who supplied the answer behind a reason (the engine's `Origin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonFrom {
    /// The runner answered it.
    Runner,
    /// It was read from the runner's recorded runs.
    Runs,
}

/// One finding's effect on a cause, as read back.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredReason {
    /// The finding in plain words, as answered.
    pub text: String,
    /// Who supplied the answer.
    pub from: ReasonFrom,
    /// For answers from the runs: the sentence saying which run and figure.
    #[serde(default)]
    pub because: Option<String>,
}

/// A question the engine still wanted answered, as read back.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredQuestion {
    /// The intake field (for a checklist: its first field).
    pub field: String,
    /// A checklist's yes/no fields; empty for a plain question.
    #[serde(default)]
    pub fields: Vec<String>,
    /// A checklist's items in plain words (`items[i]` describes `fields[i]`); empty for a plain
    /// question, and in results stored before they were kept.
    #[serde(default)]
    pub items: Vec<String>,
    /// The wording.
    pub text: String,
    /// True for red-flag screening.
    pub red_flag: bool,
}

/// A red flag that fired, as read back.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredRedFlag {
    /// The rule's id.
    pub id: String,
    /// The level it set.
    pub level: Triage,
    /// Why it matters.
    pub why: String,
    /// What to do.
    pub action: String,
}

/// Whether the safety questions were answered, as read back.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredSafety {
    /// True when every safety field that applied had a yes or no.
    pub complete: bool,
    /// What a front end leads with instead of any reassurance, while the screen is incomplete.
    #[serde(default)]
    pub headline: Option<String>,
}

/// One source behind the advice, as read back (the knowledge base's source, resolved).
#[derive(Debug, Clone, Deserialize)]
pub struct StoredSource {
    /// The work's own title.
    pub title: String,
    /// Where to read it.
    pub url: String,
}

/// Care, course and when to get help for one likely cause, as read back.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredAdvice {
    /// The condition's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is, in a sentence.
    pub summary: String,
    /// Its usual course.
    pub course: runsore_triage::Course,
    /// The care plan, in order (empty when a warning sign deferred it).
    pub care: Vec<runsore_triage::Step>,
    /// What not to do.
    pub avoid: Vec<runsore_triage::Step>,
    /// When to get help.
    pub escalate: Vec<runsore_triage::Step>,
    /// Why the care plan was withheld, when a warning sign called for more urgent care.
    #[serde(default)]
    pub care_deferred: Option<String>,
    /// The sources cited.
    pub sources: Vec<StoredSource>,
}

/// A stored result read back, typed: the assessment as the engine serialised it (the same shape
/// as `runsore check --json` and `POST /api/assess`), its [`RESULT_VERSION`], what it came from,
/// and for a follow-up the course comparison and the check-in it follows. Every field the engine
/// always writes is required, so a damaged record is an error, never a guess.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredResult {
    /// The shape's version ([`RESULT_VERSION`] when written by this runsore).
    pub version: u32,
    /// The triage level the check-in ended at.
    pub triage: Triage,
    /// What to do now at that level.
    pub what_to_do_now: String,
    /// The causes, most likely first.
    pub conditions: Vec<StoredCondition>,
    /// The questions still worth asking then, best first.
    pub questions: Vec<StoredQuestion>,
    /// The red flags that fired.
    pub red_flags: Vec<StoredRedFlag>,
    /// "Answer these before relying on this result", when red-flag answers were missing.
    #[serde(default)]
    pub pending_note: Option<String>,
    /// Whether the safety questions were answered.
    pub safety: StoredSafety,
    /// Care, course and when to get help for the likely causes.
    pub advice: Vec<StoredAdvice>,
    /// The answers read from the runner's runs.
    pub from_runs: Vec<runsore_model::DerivedFinding>,
    /// Educational, not a diagnosis.
    pub disclaimer: String,
    /// The runner's own words, when the check-in was made from them.
    #[serde(default)]
    pub story: Option<String>,
    /// The key of the front end's flow that saved it, when one did.
    #[serde(default)]
    pub flow: Option<String>,
    /// For a follow-up: the course compared with the expected one.
    #[serde(default)]
    pub follow_up: Option<CourseCheck>,
    /// For a follow-up: the check-in it follows.
    #[serde(default)]
    pub follows: Option<i64>,
}

impl StoredResult {
    /// Reads a stored result; an error names what does not fit. A result written by a newer
    /// runsore (a higher version) is refused rather than read as this version's shape.
    pub fn read(v: &Value) -> Result<StoredResult> {
        let r = StoredResult::deserialize(v)?;
        if r.version > RESULT_VERSION {
            return Err(crate::AppError::Corrupt(format!(
                "the result has version {}, newer than this runsore reads ({RESULT_VERSION})",
                r.version
            )));
        }
        Ok(r)
    }

    /// An assessment made now, in the shape it is stored and read back in.
    pub fn of(assessment: &Assessment) -> Result<StoredResult> {
        StoredResult::read(&stored_result(assessment, None)?)
    }
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
    /// Why the run cannot be real, when it cannot: it is kept and listed but left out of the
    /// training figures and the advice (`runsore_training::RunView::implausible`).
    pub implausible: Option<String>,
    /// Pace in seconds per km, for a run (not a ride) with a distance and a time.
    pub pace_s_per_km: Option<f64>,
    /// Highest heart rate.
    pub max_hr: Option<f64>,
    /// Total ascent in metres.
    pub ascent_m: Option<f64>,
    /// Average temperature, °C, when the watch recorded it.
    pub avg_temp_c: Option<f64>,
    /// The run's name in the file, when it has one.
    pub name: Option<String>,
}

/// A stored run as a row of the list (and the page of one run).
pub(crate) fn run_row(r: &runsore_store::StoredRun) -> RunRow {
    let sm = r.run.best_summary();
    let view = RunView::from_run(r.id.0, &r.run);
    let distance_km = sm.distance_m.map(|m| m / 1000.0);
    let duration_s = sm.moving_s.or(sm.elapsed_s);
    let is_run = view.as_ref().is_some_and(RunView::is_run);
    RunRow {
        id: r.id.0,
        start_utc: sm.start_utc,
        sport: r.run.sport.label(),
        distance_km,
        duration_s,
        avg_hr: sm.avg_hr,
        descent_m: sm.descent_m,
        source: r
            .run
            .source
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&r.run.source)
            .to_string(),
        implausible: view.as_ref().and_then(RunView::implausible),
        pace_s_per_km: match (distance_km, duration_s) {
            (Some(d), Some(s)) if is_run && d > 0.0 && s > 0.0 => Some(s / d),
            _ => None,
        },
        max_hr: sm.max_hr,
        ascent_m: sm.ascent_m,
        avg_temp_c: sm.avg_temp_c,
        name: r.run.name.clone(),
    }
}

/// One page of the stored runs, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct RunPage {
    /// The runs on this page.
    pub runs: Vec<RunRow>,
    /// How many runs are stored in all.
    pub total: usize,
    /// The first run's position in the whole list (0-based).
    pub offset: usize,
    /// The page size asked for.
    pub limit: usize,
}

/// One day of the training series.
#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    /// Days since 1970-01-01, in the runner's local time.
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
    /// The first day, days since the epoch.
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
    /// The latest run's day, when the charts end there because it is long past.
    pub ends_at_latest_run: Option<i64>,
    /// The analytics' full load report for the last day shown (as `runsore load --json` gives
    /// it).
    pub report: Option<runsore_training::LoadReport>,
    /// The last day shown, days since the epoch (local).
    pub end_day: Option<i64>,
    /// How many weeks are shown.
    pub weeks_shown: i64,
    /// The first stored run's day, so a front end can offer the weeks before those shown.
    pub first_run_day: Option<i64>,
    /// The day the default view ends at (today, or the latest run when that is long past), so a
    /// front end can offer the weeks after those shown.
    pub latest_day: Option<i64>,
}

/// A follow-up saved against a check-in.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUpEntry {
    /// When, seconds since the epoch.
    pub at: i64,
    /// Pain 0 to 10, when given.
    pub pain: Option<u8>,
    /// The follow-up check-in, when it was one (a quick soreness log is not).
    pub checkin_id: Option<i64>,
    /// On course or not.
    pub status: Option<Status>,
    /// The course compared with the expected one, in words.
    pub message: Option<String>,
    /// The triage the follow-up ended at.
    pub triage: Option<Triage>,
}

/// A stored check-in with the follow-ups saved against it.
#[derive(Debug, Clone, Serialize)]
pub struct CheckinEntry {
    /// The store's id.
    pub id: i64,
    /// When, seconds since the epoch.
    pub at: i64,
    /// An assessment or a follow-up.
    pub kind: CheckInKind,
    /// What the runner reported.
    pub intake: Intake,
    /// What the engine said then, as stored.
    pub result: Value,
    /// The runner's own words, when the check-in was made from them.
    pub story: Option<String>,
    /// Follow-ups saved against it, oldest first.
    pub followups: Vec<FollowUpEntry>,
}

/// What a check-in came from, read on its own so that a list of check-ins still shows when
/// one stored result cannot be read whole (the front end shows that one as unreadable).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StoredOrigin {
    /// The runner's own words.
    #[serde(default)]
    pub(crate) story: Option<String>,
    /// The front end's flow key.
    #[serde(default)]
    pub(crate) flow: Option<String>,
}

impl StoredOrigin {
    pub(crate) fn of(c: &CheckIn) -> StoredOrigin {
        StoredOrigin::deserialize(&c.data.result).unwrap_or_default()
    }
}

fn story_of(c: &CheckIn) -> Option<String> {
    StoredOrigin::of(c).story
}

fn follow_up_entry(c: &CheckIn) -> Result<FollowUpEntry> {
    let r = StoredResult::read(&c.data.result)?;
    let intake: Intake = serde_json::from_value(c.data.intake.clone())?;
    Ok(FollowUpEntry {
        at: c.data.at_utc,
        pain: intake.pain,
        checkin_id: Some(c.id.0),
        status: r.follow_up.as_ref().map(|f| f.status),
        message: r.follow_up.map(|f| f.message),
        triage: Some(r.triage),
    })
}

impl App {
    /// One page of the stored runs, newest first (`limit` is capped at [`MAX_PAGE`]).
    /// Kept for the revision of the runs, so paging back and forth reads the store once a page
    /// (and a check-in saved meanwhile changes nothing).
    pub fn runs_page(&self, offset: usize, limit: usize) -> Result<RunPage> {
        Ok(self.runs_page_kept(offset, limit)?.as_ref().clone())
    }

    /// [`App::runs_page`] as it is kept: the same `Arc` until the runs change, so a front end
    /// can keep what it drew from it and know it by its address.
    pub fn runs_page_kept(&self, offset: usize, limit: usize) -> Result<Arc<RunPage>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let key = (offset, limit);
        self.with_store(|s| {
            let revision = s.figures_revision()?.n;
            if let Some(page) = self.pages.get(revision, |k| *k == key) {
                return Ok(page);
            }
            // The revision was read first: a change committed while reading only costs a
            // re-read.
            let page = Arc::new(RunPage {
                total: s.run_count()?,
                runs: s
                    .list_runs_page(offset, limit)?
                    .iter()
                    .map(run_row)
                    .collect(),
                offset,
                limit,
            });
            self.pages
                .put(revision, key, Arc::clone(&page), |k| *k == key);
            Ok(page)
        })
    }

    /// The kept page when it is at the store's current revision and a connection is idle now,
    /// `None` otherwise: what a caller that must not block asks (one row read, no wait).
    pub fn runs_page_if_kept(&self, offset: usize, limit: usize) -> Option<Arc<RunPage>> {
        let key = (offset, limit.clamp(1, MAX_PAGE));
        let revision = self.pool.try_with(|s| Ok(s.figures_revision()?.n))?.ok()?;
        self.pages.get(revision, |k| *k == key)
    }

    /// One stored run, as the list shows it.
    pub fn run_row(&self, id: i64) -> Result<RunRow> {
        self.with_store(|s| Ok(run_row(&s.get_run(runsore_store::RunId(id))?)))
    }

    /// The training series for the charts: the last weeks up to the runner's local today, or up
    /// to the latest run when the runs are older than that (an old export still shows its
    /// training).
    pub fn training(&self, now_utc: i64) -> Result<Arc<TrainingView>> {
        self.training_window(now_utc, None, CHART_WEEKS)
    }

    /// The training series for `weeks` weeks (4 to [`MAX_CHART_WEEKS`]) ending on `end_day`
    /// (days since the epoch, local; `None` for the default end), so older runs can be seen.
    /// Kept for the store's revision, the runner's local day and age, and the window asked for:
    /// the charts depend on nothing else.
    pub fn training_window(
        &self,
        now_utc: i64,
        end_day: Option<i64>,
        weeks: i64,
    ) -> Result<Arc<TrainingView>> {
        let weeks = weeks.clamp(4, MAX_CHART_WEEKS);
        let snap = self.snapshot()?;
        let profile = training_profile(&snap.profile, now_utc);
        let today = Day::from_utc(now_utc, local_offset_s(&snap.views));
        let key: crate::TrainingKey = (today.0, profile.age, end_day, weeks);
        self.training.get_or_make(snap.figures.n, key, || {
            Ok(Arc::new(compute_training(
                &snap.views,
                &profile,
                now_utc,
                end_day,
                weeks,
            )))
        })
    }

    /// The check-ins, newest first, each with the follow-ups saved against it. Follow-ups stored
    /// before they named the check-in they follow, and quick soreness logs, go with the
    /// assessment they came after in their episode.
    pub fn checkins(&self) -> Result<Vec<CheckinEntry>> {
        Ok(self.checkin_list()?.as_ref().clone())
    }

    /// [`App::checkins`] as kept for the store's revision: the same value until the store
    /// changes, so what a front end draws from it can be kept as long.
    pub fn checkin_list(&self) -> Result<Arc<Vec<CheckinEntry>>> {
        let revision = self.revision()?;
        // The revision was read first: a change committed while reading only costs a re-read.
        self.checkins
            .get_or_make(revision, (), || Ok(Arc::new(self.read_checkins()?)))
    }

    fn read_checkins(&self) -> Result<Vec<CheckinEntry>> {
        self.with_store(|s| {
            let mut out = Vec::new();
            let mut in_episodes = std::collections::HashSet::new();
            for history in s.list_episodes()? {
                let assessments: Vec<&CheckIn> = history
                    .checkins
                    .iter()
                    .filter(|c| c.data.kind == CheckInKind::Assessment)
                    .collect();
                // Which assessment each follow-up goes with.
                let owner = |at: i64, follows: Option<i64>| -> Option<i64> {
                    follows.or_else(|| {
                        assessments
                            .iter()
                            .rev()
                            .find(|a| a.data.at_utc <= at)
                            .map(|a| a.id.0)
                    })
                };
                let mut followups: Vec<(i64, FollowUpEntry)> = Vec::new();
                for c in &history.checkins {
                    if c.data.kind == CheckInKind::FollowUp {
                        let r = StoredResult::read(&c.data.result)?;
                        if let Some(o) = owner(c.data.at_utc, r.follows) {
                            followups.push((o, follow_up_entry(c)?));
                        }
                    }
                }
                for log in &history.soreness {
                    if let Some(o) = owner(log.data.at_utc, None) {
                        followups.push((
                            o,
                            FollowUpEntry {
                                at: log.data.at_utc,
                                pain: Some(log.data.level),
                                checkin_id: None,
                                status: None,
                                message: None,
                                triage: None,
                            },
                        ));
                    }
                }
                followups.sort_by_key(|(_, f)| f.at);
                for c in &history.checkins {
                    in_episodes.insert(c.id.0);
                    out.push(CheckinEntry {
                        id: c.id.0,
                        at: c.data.at_utc,
                        kind: c.data.kind,
                        intake: serde_json::from_value(c.data.intake.clone())?,
                        result: c.data.result.clone(),
                        story: story_of(c),
                        followups: followups
                            .iter()
                            .filter(|(o, _)| *o == c.id.0)
                            .map(|(_, f)| f.clone())
                            .collect(),
                    });
                }
            }
            for c in s.checkins_between(i64::MIN / 4, i64::MAX / 4)? {
                if !in_episodes.contains(&c.id.0) {
                    out.push(CheckinEntry {
                        id: c.id.0,
                        at: c.data.at_utc,
                        kind: c.data.kind,
                        intake: serde_json::from_value(c.data.intake.clone())?,
                        result: c.data.result.clone(),
                        story: story_of(&c),
                        followups: Vec::new(),
                    });
                }
            }
            out.sort_by_key(|c| std::cmp::Reverse((c.at, c.id)));
            Ok(out)
        })
    }

    /// One check-in with the follow-ups saved against it.
    pub fn checkin(&self, id: i64) -> Result<CheckinEntry> {
        self.checkin_list()?
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or(crate::AppError::NotFound)
    }
}

fn compute_training(
    views: &[RunView],
    profile: &runsore_training::Profile,
    now_utc: i64,
    end_day: Option<i64>,
    weeks: i64,
) -> TrainingView {
    let empty = || TrainingView {
        acwr_band: ACWR_BAND,
        weeks_shown: weeks,
        ..Default::default()
    };
    let analysis = runsore_training::analyse(views, profile);
    let Some(last) = analysis.runs.iter().map(|r| r.day).max() else {
        return empty();
    };
    let first_run_day = analysis.runs.iter().map(|r| r.day.0).min();
    let today = Day::from_utc(now_utc, local_offset_s(views));
    let mut ends_at_latest_run = None;
    // The same default end as `runsore load` (`App::load_report`).
    let (latest, long_past) = crate::load::default_end(Some(last), today);
    let end = match end_day {
        // Within the runs' span and never after the default end.
        Some(d) => Day(d.clamp(first_run_day.unwrap_or(d), latest.0)),
        None => {
            ends_at_latest_run = long_past.map(|d| d.0);
            latest
        }
    };
    let weeks_shown = weeks;
    let start = Day(end.0 - weeks * 7 + 1);
    let Some(daily) = runsore_training::series::Daily::new(&analysis, end) else {
        return empty();
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
    let report = runsore_training::report(views, profile, end);
    let mut notes: Vec<String> = report.warnings.to_vec();
    if let Some(r) = &report.ratios {
        notes.push(r.caveat.to_string());
    }
    let acwr_withheld = runsore_training::series::ratios(&daily).ewma.withheld;
    TrainingView {
        days,
        weeks,
        acwr_band: ACWR_BAND,
        acwr_withheld,
        notes,
        ends_at_latest_run,
        report: Some(report),
        end_day: Some(end.0),
        weeks_shown,
        first_run_day,
        latest_day: Some(latest.0),
    }
}
