//! `runsore export`: everything in the store (runs with samples, profile, episodes, check-ins)
//! as one JSON file that `runsore restore` reads back exactly, plus CSV tables for spreadsheets.
//! The export itself is `runsore_app::export`; this file only renders what it did.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use runsore_app::export::{ExportOutcome, Salvaged};

use crate::Ctx;

/// Export your data: runs, profile, episodes and check-ins to JSON (and CSV tables).
#[derive(Debug, Args)]
pub struct Cmd {
    /// The folder to write into (created if missing): runsore-export.json, runs.csv, checkins.csv.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

impl Cmd {
    /// Writes the export.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let db = ctx.db_path()?;
        let outcome = runsore_app::export::export(&db, &self.out)
            .with_context(|| format!("exporting the store {}", db.display()))?;
        let done = match outcome {
            ExportOutcome::Whole(done) => done,
            ExportOutcome::Salvaged(salvaged) => return salvaged_report(ctx, &db, salvaged),
        };
        if ctx.json {
            outln!(
                "{}",
                serde_json::json!({"path": done.path, "runs": done.runs, "checkins": done.checkins, "episodes": done.episodes})
            );
        } else {
            outln!(
                "wrote {} ({} runs, {} episodes, {} check-ins) and CSV tables beside it",
                done.path.display(),
                done.runs,
                done.episodes,
                done.checkins
            );
        }
        Ok(())
    }
}

/// Says what was saved from a damaged store and names every lost row on standard error. Ends
/// with [`PartialExport`] (exit code 3) when a row was lost, so a script never takes a partial
/// export for a whole one.
fn salvaged_report(ctx: &Ctx, db: &std::path::Path, s: Salvaged) -> anyhow::Result<()> {
    let report = &s.report;
    eprintln!(
        "runsore: the store {} is damaged ({}); saved what reads to {}: {} runs, {} \
         episodes, {} check-ins, {} soreness logs, {} files (no CSV tables: restore the \
         export into a new store and export again for them)",
        db.display(),
        s.detail,
        s.path.display(),
        report.saved.runs,
        report.saved.episodes,
        report.saved.checkins,
        report.saved.soreness,
        report.saved.files,
    );
    for lost in &report.lost {
        eprintln!("runsore: lost: {lost}");
    }
    for note in &report.unlinked {
        eprintln!("runsore: {note}");
    }
    if ctx.json {
        outln!(
            "{}",
            serde_json::json!({"path": s.path, "damaged": true, "saved": report.saved, "lost": report.lost, "unlinked": report.unlinked})
        );
    }
    if report.is_complete() {
        return Ok(());
    }
    Err(anyhow::Error::new(PartialExport {
        lost: report.lost.len(),
        path: s.path,
    }))
}

/// An export that saved what it could from a damaged store but lost some rows: exit code 3.
#[derive(Debug)]
pub struct PartialExport {
    /// Rows (or runs of ids) that could not be read.
    pub lost: usize,
    /// Where what was saved is.
    pub path: PathBuf,
}

impl std::fmt::Display for PartialExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the export {} is partial: {} {} of the damaged store could not be read (listed above)",
            self.path.display(),
            self.lost,
            crate::fmt::plural(self.lost, "row", "rows")
        )
    }
}

impl std::error::Error for PartialExport {}
