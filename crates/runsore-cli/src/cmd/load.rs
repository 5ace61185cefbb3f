//! `runsore load`: weekly distance and load, fitness and fatigue, ratios, spikes, downhill, sweat
//! and pacing advice from the stored runs. A thin wrapper over the app's load report
//! (`runsore_app::App::load_report`), the one the web's training page shows.

use clap::Args;
use runsore_training::{Day, render_text};

/// Show training load, its trend and how much the next week can hold.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Weeks of history to show.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=104))]
    weeks: u16,
    /// The day to report on, YYYY-MM-DD (default: today in the time zone of your latest run, or
    /// the latest activity's day when that is more than 16 weeks ago, as the web's charts do).
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

impl Cmd {
    /// Runs the subcommand.
    pub fn run(self, ctx: &crate::Ctx) -> anyhow::Result<()> {
        let now = ctx.now_utc();
        let day = match &self.today {
            Some(text) => Some(text.parse::<Day>().map_err(|()| {
                crate::ctx::bad_input(format!("--today: expected a date YYYY-MM-DD, got {text:?}"))
            })?),
            None => None,
        };
        let app = match crate::app::open_existing_read_only(ctx)? {
            Some(app) => app,
            // No store yet: the same report over no runs, and nothing created.
            None => runsore_app::App::in_memory()?,
        };
        let view = app.load_report(now, day, usize::from(self.weeks))?;
        // Said on standard error with --json, so that standard output stays the report.
        let note = view.ends_at_latest_run.map(|d| {
            format!(
                "your latest recorded activity is on {d}, more than {} weeks ago: the report \
                 is for that day (`--today YYYY-MM-DD` for another)",
                runsore_app::CHART_WEEKS
            )
        });
        if ctx.json {
            outln!("{}", serde_json::to_string_pretty(&view.report)?);
            if let Some(note) = &note {
                eprintln!("runsore: {note}");
            }
        } else {
            if let Some(note) = &note {
                outln!("{note}\n");
            }
            out!("{}", render_text(&view.report));
        }
        Ok(())
    }
}
