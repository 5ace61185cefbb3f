//! `runsore history`: soreness episodes with their check-ins, the course as a table and a small
//! chart of the pain over the days.

use anyhow::Context as _;
use clap::Args;
use runsore_model::{Intake, paths};
use runsore_store::{CheckIn, EpisodeHistory, SorenessLog};
use serde_json::{Value, json};

use crate::{Ctx, app, fmt};

/// Show past soreness episodes, their check-ins and how recovery went.
#[derive(Debug, Args)]
pub struct Cmd {
    /// At most this many episodes, most recent first.
    #[arg(long, default_value_t = 10)]
    limit: usize,
}

impl Cmd {
    /// Prints the history.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let runsore_app::Episodes { episodes, loose } = match app::open_existing_read_only(ctx)? {
            Some(app) => app.episodes(self.limit)?,
            None => runsore_app::Episodes {
                episodes: Vec::new(),
                loose: Vec::new(),
            },
        };
        if ctx.json {
            let out: Vec<Value> = episodes
                .iter()
                .map(episode_json)
                .collect::<anyhow::Result<_>>()?;
            outln!("{}", serde_json::to_string_pretty(&out)?);
            return Ok(());
        }
        if episodes.is_empty() && loose.is_empty() {
            outln!("no check-ins yet: `runsore check` starts one");
            return Ok(());
        }
        if !loose.is_empty() {
            outln!("soreness logged outside an episode");
            for log in &loose {
                outln!("  {}", log_line(log));
            }
            outln!();
        }
        for e in &episodes {
            let ep = &e.episode;
            outln!(
                "episode {} {}: opened {}{}",
                ep.id,
                ep.title.as_deref().unwrap_or(""),
                fmt::datetime(ep.opened_utc),
                ep.closed_utc
                    .map(|c| format!(
                        ", closed {} ({})",
                        fmt::datetime(c),
                        ep.close_note.as_deref().unwrap_or("")
                    ))
                    .unwrap_or_else(|| ", open".into())
            );
            outln!(
                "  {:<17} {:<10} {:>4}  {:<7} {:<11} {:<30} note",
                "when",
                "kind",
                paths::PAIN,
                paths::TREND,
                "triage",
                "top cause"
            );
            // Check-ins and logs in one list, in time order.
            let mut lines: Vec<(i64, String)> = e
                .checkins
                .iter()
                .map(|c| {
                    let row = row(c)?;
                    let line = format!(
                        "{:<17} {:<10} {:>4}  {:<7} {:<11} {:<30} {}",
                        fmt::datetime(c.data.at_utc),
                        row.kind,
                        row.pain
                            .map(|p| p.to_string())
                            .unwrap_or_else(|| "-".into()),
                        row.trend.unwrap_or("-"),
                        row.triage,
                        truncate(&row.top, 30),
                        row.note
                    );
                    Ok((c.data.at_utc, line))
                })
                .chain(e.soreness.iter().map(|l| Ok((l.data.at_utc, log_line(l)))))
                .collect::<anyhow::Result<_>>()?;
            lines.sort_by_key(|(at, _)| *at);
            for (_, line) in &lines {
                outln!("  {line}");
            }
            let pains: Vec<Option<u8>> = e
                .checkins
                .iter()
                .map(|c| Ok(row(c)?.pain))
                .collect::<anyhow::Result<_>>()?;
            if pains.iter().any(Option::is_some) {
                outln!("  pain  {}", chart(&pains));
            }
            outln!();
        }
        Ok(())
    }
}

/// One soreness log as a history row.
fn log_line(log: &SorenessLog) -> String {
    let regions: Vec<&str> = log.data.regions.iter().map(|r| r.id()).collect();
    format!(
        "{:<17} {:<10} {:>4}  {}{}",
        fmt::datetime(log.data.at_utc),
        "logged",
        log.data.level,
        regions.join(", "),
        log.data
            .note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    )
}

struct Row {
    kind: &'static str,
    pain: Option<u8>,
    trend: Option<&'static str>,
    triage: &'static str,
    top: String,
    top_id: Option<String>,
    note: String,
    follow_up: Option<runsore_followup::CourseCheck>,
}

/// A stored check-in read back with its types (the answers as an intake, the result as the
/// stored shape); a row that does not fit is an error naming the check-in, never a guess.
fn row(c: &CheckIn) -> anyhow::Result<Row> {
    let d = &c.data;
    let result = runsore_app::views::StoredResult::read(&d.result)
        .with_context(|| format!("check-in {}", c.id.0))?;
    let intake: Intake = serde_json::from_value(d.intake.clone())
        .with_context(|| format!("check-in {}: its answers", c.id.0))?;
    let top = result.conditions.first();
    Ok(Row {
        kind: match d.kind {
            runsore_store::CheckInKind::Assessment => "check",
            runsore_store::CheckInKind::FollowUp => "follow-up",
        },
        pain: intake.pain,
        trend: intake.trend.map(|t| t.id()),
        triage: result.triage.id(),
        top: top.map_or_else(|| "-".to_string(), |c| c.name.clone()),
        top_id: top.map(|c| c.id.clone()),
        note: result
            .follow_up
            .as_ref()
            .map(|f| f.message.clone())
            .unwrap_or_default(),
        follow_up: result.follow_up,
    })
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('…')).collect()
    }
}

/// One bar per check-in, 0-10 mapped onto eighth blocks; unknown pain is a dot.
fn chart(pains: &[Option<u8>]) -> String {
    const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    pains
        .iter()
        .map(|p| match p {
            Some(p) => BARS[(usize::from(*p.min(&10)) * 8).div_ceil(10)],
            None => '·',
        })
        .collect()
}

fn episode_json(e: &EpisodeHistory) -> anyhow::Result<Value> {
    let mut checkins = Vec::new();
    for c in &e.checkins {
        let r = row(c)?;
        checkins.push(json!({
            "id": c.id.0,
            "at": fmt::rfc3339(c.data.at_utc),
            "kind": r.kind,
            (paths::PAIN): r.pain,
            (paths::TREND): r.trend,
            "triage": r.triage,
            "top_condition": r.top_id,
            "follow_up": r.follow_up,
        }));
    }
    Ok(json!({
        "id": e.episode.id.0,
        "title": e.episode.title,
        "opened": fmt::rfc3339(e.episode.opened_utc),
        "closed": e.episode.closed_utc.map(fmt::rfc3339),
        "close_note": e.episode.close_note,
        "checkins": checkins,
        "soreness": e.soreness.iter().map(|s| json!({
            "at": fmt::rfc3339(s.data.at_utc),
            "level": s.data.level,
            "regions": s.data.regions,
            "note": s.data.note,
        })).collect::<Vec<_>>(),
    }))
}
