//! The training load report, once for every front end: `runsore load` and the web's training
//! page read the same runs, take the same profile and end on the same day, so they show the same
//! figures for the same store.

use runsore_training::report::{ReportOptions, report_with};
use runsore_training::{Day, LoadReport, RunView};

use crate::{App, Result, local_offset_s, training_profile};

/// Runs whose latest is older than this many days are shown up to that run rather than up to
/// today, so an old export still shows its training (16 weeks, what the charts show by default).
pub(crate) const LONG_PAST_DAYS: i64 = crate::CHART_WEEKS * 7;

/// The day a report or the charts end on when none is asked for: the runner's local today, or
/// the latest run's day when that is long past. The second value is that latest run's day when
/// it is the one chosen.
pub(crate) fn default_end(latest_run: Option<Day>, today: Day) -> (Day, Option<Day>) {
    match latest_run {
        Some(last) if today.0 - last.0 > LONG_PAST_DAYS => (last, Some(last)),
        _ => (today, None),
    }
}

/// The latest day a run counted by the analytics falls on, in the runner's local time.
pub(crate) fn latest_run_day(
    views: &[RunView],
    profile: &runsore_training::Profile,
) -> Option<Day> {
    runsore_training::analyse(views, profile)
        .runs
        .iter()
        .map(|r| r.day)
        .max()
}

/// A load report with the day it is for.
#[derive(Debug, Clone)]
pub struct LoadView {
    /// The analytics' report (what `runsore load --json` prints and `GET /api/training` holds
    /// as `report`).
    pub report: LoadReport,
    /// The latest run's day when the report ends there because it is long before today.
    pub ends_at_latest_run: Option<Day>,
}

impl App {
    /// The load report for `day` (local), or by default for today, or for the latest run's day
    /// when that is long past; `weeks` rows of history. Every stored run counts (fitness forgets
    /// slowly, so a window would change the figures).
    pub fn load_report(&self, now_utc: i64, day: Option<Day>, weeks: usize) -> Result<LoadView> {
        let snap = self.snapshot()?;
        let profile = training_profile(&snap.profile, now_utc);
        let (end, ends_at_latest_run) = match day {
            Some(d) => (d, None),
            None => default_end(
                latest_run_day(&snap.views, &profile),
                Day::from_utc(now_utc, local_offset_s(&snap.views)),
            ),
        };
        Ok(LoadView {
            report: report_with(&snap.views, &profile, end, ReportOptions { weeks }),
            ends_at_latest_run,
        })
    }
}
