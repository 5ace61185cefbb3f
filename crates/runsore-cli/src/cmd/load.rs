//! `runsore load`: weekly distance and load, fitness and fatigue, ratios, spikes, downhill, sweat
//! and pacing advice from the stored runs. A thin wrapper: the figures come from
//! runsore-training, the runs from the store.

use clap::Args;
use runsore_training::report::{ReportOptions, report_with};
use runsore_training::{Day, render_text};

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
        let now = ctx.now_utc();
        let today_arg = match &self.today {
            Some(text) => Some(text.parse::<Day>().map_err(|()| {
                crate::ctx::bad_input(format!("--today: expected a date YYYY-MM-DD, got {text:?}"))
            })?),
            None => None,
        };
        // Read up to the end of the requested day (or now), HISTORY_DAYS back.
        let to_utc = today_arg.map_or(now, |d| (d.0 + 2) * 86_400);
        let (views, profile) = if let Some(app) = crate::app::open_existing_read_only(ctx)? {
            let views = app.run_views(to_utc - HISTORY_DAYS * 86_400, to_utc)?;
            (views, app.profile(now)?)
        } else {
            (Vec::new(), runsore_training::Profile::default())
        };
        let today =
            today_arg.unwrap_or_else(|| Day::from_utc(now, runsore_app::local_offset_s(&views)));
        let options = ReportOptions {
            weeks: usize::from(self.weeks),
        };
        let report = report_with(&views, &profile, today, options);
        if ctx.json {
            outln!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            out!("{}", render_text(&report));
        }
        Ok(())
    }
}
