//! `runsore runs`: list the stored runs with date and sport filters, or show one, through the
//! app's runs view (`runsore_app::App::runs`), the rows the web's list shows.

use clap::{Args, Subcommand};
use runsore_app::{ListedRun, RunQuery};
use runsore_model::{RunSummary, Sport};
use serde_json::json;

use crate::{Ctx, ctx::bad_input, fmt};

/// List stored runs (most recent first), or show one with `runs show ID`.
#[derive(Debug, Args)]
pub struct Cmd {
    #[command(subcommand)]
    show: Option<Show>,
    /// Only runs on or after this date (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only runs before this date (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only this sport (running, cycling, walking, swimming, ...).
    #[arg(long)]
    sport: Option<String>,
    /// At most this many runs per page (1 to 100000).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    limit: u32,
    /// Which page of runs, most recent first (1 to 1000).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
    page: u16,
}

#[derive(Debug, Subcommand)]
enum Show {
    /// Show one run with its figures.
    Show {
        /// The run's id, as listed.
        id: i64,
    },
}

impl Cmd {
    /// Runs the listing.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let query = RunQuery {
            from_utc: self
                .from
                .as_deref()
                .map(|d| fmt::parse_date("--from", d))
                .transpose()?,
            to_utc: self
                .to
                .as_deref()
                .map(|d| fmt::parse_date("--to", d))
                .transpose()?,
            sport: self.sport.as_deref().map(Sport::from_label),
            offset: usize::from(self.page - 1) * self.limit as usize,
            limit: self.limit as usize,
        };
        // Read only: nothing is created or written, so a read-only data folder does not block it.
        let app = match crate::app::open_existing_read_only(ctx)? {
            Some(app) => app,
            None => runsore_app::App::in_memory()?,
        };
        if let Some(Show::Show { id }) = self.show {
            let run = app.run(id).map_err(|e| match e {
                runsore_app::AppError::NotFound => bad_input(format!("no run with id {id}")),
                other => other.into(),
            })?;
            return show(ctx, &run);
        }
        let list = app.runs(&query)?;
        let (runs, more) = (list.runs, list.more);
        // Said on standard error, so that the JSON on standard output stays one array.
        let more_note = more.then(|| {
            format!(
                "showing {} {} (page {}); more are stored: `runsore runs --page {}`, or \
                 `--limit N` for more a page",
                runs.len(),
                crate::fmt::plural(runs.len(), "run", "runs"),
                self.page,
                self.page + 1
            )
        });
        if ctx.json {
            let rows: Vec<_> = runs.iter().map(run_json).collect();
            outln!("{}", serde_json::to_string_pretty(&rows)?);
            if let Some(note) = &more_note {
                eprintln!("runsore: {note}");
            }
            return Ok(());
        }
        if runs.is_empty() {
            if self.page > 1 {
                outln!("no runs on page {}", self.page);
            } else {
                outln!("no runs stored yet: import some with `runsore import PATH`");
            }
            return Ok(());
        }
        outln!(
            "{:>6}  {:<17}  {:<10}  {:>8}  {:>8}  {:>7}  {:>6}  {:>6}  source",
            "id",
            "start (UTC)",
            "sport",
            "time",
            "km",
            "descent",
            "avg hr",
            "max hr"
        );
        for r in &runs {
            let row = &r.row;
            outln!(
                "{:>6}  {:<17}  {:<10}  {:>8}  {:>8}  {:>7}  {:>6}  {:>6}  {}",
                // A flagged run is marked where the eye starts; the reason follows the table.
                if row.implausible.is_some() {
                    format!("!{}", row.id)
                } else {
                    row.id.to_string()
                },
                row.start_utc
                    .map(fmt::datetime)
                    .unwrap_or_else(|| "-".into()),
                row.sport,
                row.duration_s
                    .map(fmt::duration)
                    .unwrap_or_else(|| "-".into()),
                row.distance_km
                    .map(|km| format!("{km:.2}"))
                    .unwrap_or_else(|| "-".into()),
                row.descent_m
                    .map(|m| format!("{m:.0} m"))
                    .unwrap_or_else(|| "-".into()),
                row.avg_hr
                    .map(|v| format!("{v:.0}"))
                    .unwrap_or_else(|| "-".into()),
                row.max_hr
                    .map(|v| format!("{v:.0}"))
                    .unwrap_or_else(|| "-".into()),
                r.stored.run.source
            );
        }
        let flagged: Vec<(i64, String)> = runs
            .iter()
            .filter_map(|r| r.row.implausible.clone().map(|why| (r.row.id, why)))
            .collect();
        if !flagged.is_empty() {
            outln!();
            for (id, why) in &flagged {
                outln!("run {id} is implausible ({why}): kept, but {LEFT_OUT}");
            }
        }
        if let Some(note) = &more_note {
            outln!("\n{note}");
        }
        Ok(())
    }
}

fn summary_json(s: &RunSummary) -> serde_json::Value {
    json!({
        "start": s.start_utc.map(fmt::rfc3339),
        "elapsed_s": s.elapsed_s,
        "moving_s": s.moving_s,
        "distance_m": s.distance_m,
        "ascent_m": s.ascent_m,
        "descent_m": s.descent_m,
        "avg_hr": s.avg_hr,
        "max_hr": s.max_hr,
        "avg_temp_c": s.avg_temp_c,
    })
}

/// The JSON row of a run: the contract's fields at the top, `null` for unknown, never 0.
fn run_json(listed: &ListedRun) -> serde_json::Value {
    let r = &listed.stored;
    let s = r.run.best_summary();
    let mut row = summary_json(&s);
    let obj = row.as_object_mut().expect("summary_json builds an object");
    obj.insert("id".into(), json!(r.id.0));
    obj.insert("source".into(), json!(r.run.source));
    obj.insert("format".into(), json!(r.run.format.as_str()));
    obj.insert("sport".into(), json!(r.run.sport.label()));
    obj.insert("sub_sport".into(), json!(r.run.sub_sport));
    obj.insert("name".into(), json!(r.run.name));
    obj.insert("device".into(), json!(r.run.device));
    obj.insert("partial".into(), json!(r.run.partial));
    obj.insert("samples".into(), json!(r.sample_count));
    let why = &listed.row.implausible;
    obj.insert("left_out_of_analytics".into(), json!(why.is_some()));
    obj.insert("implausible".into(), json!(why));
    row
}

/// What a flagged run's mark says.
const LEFT_OUT: &str = "left out of the training figures and the advice";

fn show(ctx: &Ctx, listed: &ListedRun) -> anyhow::Result<()> {
    let r = &listed.stored;
    if ctx.json {
        let mut row = run_json(listed);
        let obj = row.as_object_mut().expect("run_json builds an object");
        obj.insert("recomputed".into(), summary_json(&r.run.summary));
        obj.insert(
            "device_summary".into(),
            r.run
                .device_summary
                .as_ref()
                .map_or(json!(null), summary_json),
        );
        obj.insert("warnings".into(), json!(r.run.warnings));
        outln!("{}", serde_json::to_string_pretty(&row)?);
        return Ok(());
    }
    let s = r.run.best_summary();
    outln!(
        "run {}: {} ({})",
        r.id.0,
        r.run.name.as_deref().unwrap_or(&r.run.source),
        r.run.sport.label()
    );
    if let Some(why) = &listed.row.implausible {
        outln!("  flagged   implausible: {why}; kept, but {LEFT_OUT}");
    }
    outln!("  source    {}", r.run.source);
    outln!("  device    {}", r.run.device.as_deref().unwrap_or("-"));
    outln!(
        "  start     {}",
        s.start_utc.map(fmt::rfc3339).unwrap_or_else(|| "-".into())
    );
    outln!(
        "  elapsed   {}",
        s.elapsed_s.map(fmt::duration).unwrap_or_else(|| "-".into())
    );
    outln!(
        "  moving    {}",
        s.moving_s.map(fmt::duration).unwrap_or_else(|| "-".into())
    );
    outln!(
        "  distance  {}",
        s.distance_m
            .map(|m| format!("{:.2} km", m / 1000.0))
            .unwrap_or_else(|| "-".into())
    );
    outln!(
        "  ascent    {}",
        s.ascent_m
            .map(|m| format!("{m:.0} m"))
            .unwrap_or_else(|| "-".into())
    );
    outln!(
        "  descent   {}",
        s.descent_m
            .map(|m| format!("{m:.0} m"))
            .unwrap_or_else(|| "-".into())
    );
    outln!(
        "  heart     {} avg, {} max",
        s.avg_hr
            .map(|v| format!("{v:.0}"))
            .unwrap_or_else(|| "-".into()),
        s.max_hr
            .map(|v| format!("{v:.0}"))
            .unwrap_or_else(|| "-".into())
    );
    outln!(
        "  samples   {}{}",
        r.sample_count,
        if r.run.partial {
            " (file cut short: partial)"
        } else {
            ""
        }
    );
    for w in &r.run.warnings {
        outln!("  warning   {w}");
    }
    Ok(())
}
