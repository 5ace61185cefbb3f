//! `runsore export`: everything in the store (runs with samples, profile, episodes, check-ins)
//! as one JSON file that `runsore restore` reads back exactly, plus CSV tables for spreadsheets.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use runsore_store::Store;

use crate::{Ctx, ctx::bad_input, fmt};

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
        // Read only: an export writes nothing to the store, so a read-only folder does not
        // block it; a missing store exports as an empty one without being created.
        let opened = if db.exists() {
            Store::open_read_only(&db)
        } else {
            Store::open_in_memory()
        };
        let store = match opened {
            Ok(store) => store,
            // The runner's data is theirs even when the file is damaged: save what reads.
            Err(runsore_store::StoreError::Damaged { detail, .. }) => {
                return self.salvage(ctx, &db, &detail);
            }
            Err(e) => {
                return Err(
                    anyhow::Error::new(e).context(format!("opening the store {}", db.display()))
                );
            }
        };
        self.create_out()?;
        let json_path = self.out.join("runsore-export.json");
        // The JSON streams run by run, so memory stays flat however many runs there are.
        let tmp = json_path.with_extension("partial");
        let file =
            std::fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
        let mut writer = std::io::BufWriter::new(file);
        store.export_json(&mut writer, false)?;
        std::io::Write::flush(&mut writer).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &json_path)
            .with_context(|| format!("writing {}", json_path.display()))?;
        // The CSV tables hold summaries only, not samples.
        let runs = store.list_runs(&runsore_store::RunFilter::default())?;
        let episodes = store.list_episodes()?;
        let checkins: Vec<runsore_store::CheckIn> =
            episodes.iter().flat_map(|e| e.checkins.clone()).collect();
        write_atomic(&self.out.join("runs.csv"), runs_csv(&runs)?.as_bytes())?;
        write_atomic(
            &self.out.join("checkins.csv"),
            checkins_csv(&checkins)?.as_bytes(),
        )?;
        if ctx.json {
            outln!(
                "{}",
                serde_json::json!({"path": json_path, "runs": runs.len(), "checkins": checkins.len(), "episodes": episodes.len()})
            );
        } else {
            outln!(
                "wrote {} ({} runs, {} episodes, {} check-ins) and CSV tables beside it",
                json_path.display(),
                runs.len(),
                episodes.len(),
                checkins.len()
            );
        }
        Ok(())
    }
}

impl Cmd {
    fn create_out(&self) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.out).map_err(|e| {
            bad_input(format!(
                "{}: cannot create the folder: {e}",
                self.out.display()
            ))
        })
    }

    /// Exports what a damaged store still holds: every row that reads, the rest named on
    /// standard error by table and id. Ends with [`PartialExport`] (exit code 3) when a row was
    /// lost, so a script never takes a partial export for a whole one.
    fn salvage(self, ctx: &Ctx, db: &std::path::Path, detail: &str) -> anyhow::Result<()> {
        let store = Store::open_for_salvage(db).with_context(|| {
            format!(
                "opening the damaged store {} to save what reads",
                db.display()
            )
        })?;
        self.create_out()?;
        let json_path = self.out.join("runsore-export.json");
        let tmp = json_path.with_extension("partial");
        let file =
            std::fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
        let mut writer = std::io::BufWriter::new(file);
        let report = store.salvage_json(&mut writer, false)?;
        std::io::Write::flush(&mut writer).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &json_path)
            .with_context(|| format!("writing {}", json_path.display()))?;
        eprintln!(
            "runsore: the store {} is damaged ({detail}); saved what reads to {}: {} runs, {} \
             episodes, {} check-ins, {} soreness logs, {} files (no CSV tables: restore the \
             export into a new store and export again for them)",
            db.display(),
            json_path.display(),
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
                serde_json::json!({"path": json_path, "damaged": true, "saved": report.saved, "lost": report.lost, "unlinked": report.unlinked})
            );
        }
        if report.is_complete() {
            return Ok(());
        }
        Err(anyhow::Error::new(PartialExport {
            lost: report.lost.len(),
            path: json_path,
        }))
    }
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
            if self.lost == 1 { "row" } else { "rows" }
        )
    }
}

impl std::error::Error for PartialExport {}

/// Writes through a temporary file and a rename, so an interrupted export never leaves half a file.
fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn cell(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}")).unwrap_or_default()
}

/// The runs' summaries, one row each; every field quoted as CSV needs (a sport or file name with
/// a comma or a quote stays in its column).
fn runs_csv(runs: &[runsore_store::StoredRun]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "start",
        "sport",
        "elapsed_s",
        "moving_s",
        "distance_m",
        "ascent_m",
        "descent_m",
        "avg_hr",
        "max_hr",
        "source",
    ])?;
    for r in runs {
        let s = r.run.best_summary();
        w.write_record([
            r.id.0.to_string(),
            s.start_utc.map(fmt::rfc3339).unwrap_or_default(),
            r.run.sport.label(),
            cell(s.elapsed_s),
            cell(s.moving_s),
            cell(s.distance_m),
            cell(s.ascent_m),
            cell(s.descent_m),
            cell(s.avg_hr),
            cell(s.max_hr),
            r.run.source.clone(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The check-ins, one row each, read back with their types.
fn checkins_csv(checkins: &[runsore_store::CheckIn]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "episode_id",
        "at",
        "kind",
        "triage",
        "top_condition",
        runsore_model::paths::PAIN,
        runsore_model::paths::TREND,
    ])?;
    for c in checkins {
        let d = &c.data;
        let result = runsore_app::views::StoredResult::read(&d.result)
            .with_context(|| format!("check-in {}", c.id.0))?;
        let intake: runsore_model::Intake = serde_json::from_value(d.intake.clone())
            .with_context(|| format!("check-in {}: its answers", c.id.0))?;
        w.write_record([
            c.id.0.to_string(),
            d.episode_id.map(|e| e.0.to_string()).unwrap_or_default(),
            fmt::rfc3339(d.at_utc),
            word(&d.kind),
            word(&result.triage),
            result
                .conditions
                .first()
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            intake.pain.map(|p| p.to_string()).unwrap_or_default(),
            intake.trend.as_ref().map(word).unwrap_or_default(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The snake_case word serde gives a unit enum value (`self_care`, `follow_up`).
fn word<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
