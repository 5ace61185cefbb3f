//! `runsore load`: weekly distance and load, fitness and fatigue, ratios, spikes, downhill, sweat
//! and pacing advice from the stored runs. A thin wrapper: the figures come from
//! runsore-training, the runs from the store.

use anyhow::Context as _;
use clap::Args;
use runsore_store::Store;
use runsore_training::report::{ReportOptions, report_with};
use runsore_training::{Day, RunView, render_text};

/// History read for the report: fitness (tau 42 days) forgets everything older within a year.
const HISTORY_DAYS: i64 = 400;

/// Show training load, its trend and how much the next week can hold.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Weeks of history to show.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=104))]
    weeks: u16,
    /// The day to report on, YYYY-MM-DD (default: today in the time zone of your latest run).
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

impl Cmd {
    /// Runs the subcommand.
    pub fn run(self, ctx: &crate::Ctx) -> anyhow::Result<()> {
        let now = now_utc();
        let today_arg = match &self.today {
            Some(text) => Some(text.parse::<Day>().map_err(|()| {
                crate::ctx::bad_input(format!("--today: expected a date YYYY-MM-DD, got {text:?}"))
            })?),
            None => None,
        };
        // Read up to the end of the requested day (or now), HISTORY_DAYS back.
        let to_utc = today_arg.map_or(now, |d| (d.0 + 2) * 86_400);
        let (views, profile) = if ctx.db_exists() {
            let store = Store::open(ctx.db_path()?)?;
            training_inputs(&store, to_utc - HISTORY_DAYS * 86_400, to_utc, now)?
        } else {
            (Vec::new(), runsore_training::Profile::default())
        };
        let today = today_arg.unwrap_or_else(|| Day::from_utc(now, local_offset_s(&views)));
        let options = ReportOptions {
            weeks: usize::from(self.weeks),
        };
        let report = report_with(&views, &profile, today, options);
        if ctx.json {
            print_out(&format!("{}\n", serde_json::to_string_pretty(&report)?))
        } else {
            print_out(&render_text(&report))
        }
    }
}

/// The stored runs starting in `[from_utc, to_utc)` and the stored profile, as the analytics take
/// them (`runsore check` uses the same to derive evidence).
pub fn training_inputs(
    store: &Store,
    from_utc: i64,
    to_utc: i64,
    now_utc: i64,
) -> anyhow::Result<(Vec<RunView>, runsore_training::Profile)> {
    let stored = store
        .runs_between(from_utc, to_utc)
        .context("reading runs for the training analytics")?;
    let views = stored
        .iter()
        .filter_map(|s| RunView::from_run(s.id.0, &s.run))
        .collect();
    let p = store.profile().context("reading the profile")?;
    let this_year = Day::from_utc(now_utc, 0).ymd().0;
    let profile = runsore_training::Profile {
        sex: p.sex,
        body_mass_kg: p.body_mass_kg,
        age: p.birth_year.and_then(|y| u8::try_from(this_year - y).ok()),
        hr_max: p.hr_max,
        hr_rest: p.hr_rest,
        ..runsore_training::Profile::default()
    };
    Ok((views, profile))
}

/// The runner's offset from UTC: the latest run's, as the files record it, else UTC.
pub fn local_offset_s(views: &[RunView]) -> i32 {
    views
        .iter()
        .max_by_key(|v| v.start_utc)
        .and_then(|v| v.local_offset_s)
        .unwrap_or(0)
}

/// Seconds since the Unix epoch; the CLI is where the clock is read.
pub fn now_utc() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Writes to stdout; a closed pipe (`runsore load | head`) is not an error.
pub fn print_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
