//! Export and restore: everything in a store as one JSON file that a restore reads back exactly,
//! CSV tables of the runs and check-ins beside it, and what a damaged store still holds.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use runsore_store::{CheckIn, ImportCounts, RunFilter, Salvage, Store, StoreError, StoredRun};

use crate::views::StoredResult;
use crate::{App, AppError, Result};

/// The export's file name in the folder it is written to.
pub const EXPORT_FILE: &str = "runsore-export.json";
/// The runs' summaries, one row each.
pub const RUNS_CSV: &str = "runs.csv";
/// The check-ins, one row each.
pub const CHECKINS_CSV: &str = "checkins.csv";

/// A whole export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The JSON file written.
    pub path: PathBuf,
    /// Runs exported.
    pub runs: usize,
    /// Episodes exported.
    pub episodes: usize,
    /// Check-ins exported.
    pub checkins: usize,
}

/// What an export of a damaged store saved, and what it could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Salvaged {
    /// The JSON file written (a restore reads it like a whole export).
    pub path: PathBuf,
    /// What the store's check said is damaged.
    pub detail: String,
    /// The rows saved, and the rows lost by table and id.
    pub report: Salvage,
}

/// What an export did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportOutcome {
    /// The store read whole: the JSON file and the CSV tables are written.
    Whole(Exported),
    /// The store is damaged: every row that reads is in the JSON file (no CSV tables); a front
    /// end must say which rows were lost and never present this as a whole export.
    Salvaged(Salvaged),
}

/// Exports the store at `db` into the folder `out` (created when missing). Nothing is written to
/// the store: it is opened to read only, and a missing store exports as an empty one without
/// being created. A damaged store is not an error: what still reads is saved
/// ([`ExportOutcome::Salvaged`]), because the runner's data is theirs even then.
pub fn export(db: &Path, out: &Path) -> Result<ExportOutcome> {
    let opened = if db.exists() {
        Store::open_read_only(db)
    } else {
        Store::open_in_memory()
    };
    let store = match opened {
        Ok(store) => store,
        Err(StoreError::Damaged { detail, .. }) => return salvage(db, out, detail),
        Err(e) => return Err(e.into()),
    };
    create_folder(out)?;
    let path = out.join(EXPORT_FILE);
    // The JSON streams run by run, so memory stays flat however many runs there are.
    write_streamed(&path, |w| Ok(store.export_json(w, false)?))?;
    // The CSV tables hold summaries only, not samples.
    let runs = store.list_runs(&RunFilter::default())?;
    let episodes = store.list_episodes()?;
    let checkins: Vec<&CheckIn> = episodes.iter().flat_map(|e| &e.checkins).collect();
    write_streamed(&out.join(RUNS_CSV), |w| runs_csv(w, &runs))?;
    write_streamed(&out.join(CHECKINS_CSV), |w| checkins_csv(w, &checkins))?;
    Ok(ExportOutcome::Whole(Exported {
        path,
        runs: runs.len(),
        episodes: episodes.len(),
        checkins: checkins.len(),
    }))
}

/// Saves what a damaged store still holds: every row that reads, the rest named in the report.
fn salvage(db: &Path, out: &Path, detail: String) -> Result<ExportOutcome> {
    let store = Store::open_for_salvage(db)?;
    create_folder(out)?;
    let path = out.join(EXPORT_FILE);
    let mut report = None;
    write_streamed(&path, |w| {
        report = Some(store.salvage_json(w, false)?);
        Ok(())
    })?;
    Ok(ExportOutcome::Salvaged(Salvaged {
        path,
        detail,
        report: report.unwrap_or_default(),
    }))
}

impl App {
    /// Restores an export (read from `input`, named `name` in errors) into this store, in one
    /// transaction: all of it or nothing. An export that does not read, or a store that is not
    /// empty, is bad input naming the file.
    pub fn restore(&self, name: &str, input: impl std::io::Read) -> Result<ImportCounts> {
        let counts = self.with_store(|s| {
            s.import_json(input).map_err(|e| AppError::BadInput {
                field: None,
                message: format!("{name}: {e}"),
            })
        })?;
        self.invalidate();
        Ok(counts)
    }
}

fn create_folder(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| AppError::BadInput {
        field: None,
        message: format!("{}: cannot create the folder: {e}", out.display()),
    })
}

/// Writes `path` through a temporary file and a rename, so an interrupted export never leaves
/// half a file under the final name.
fn write_streamed(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<()>,
) -> Result<()> {
    let tmp = path.with_extension("partial");
    let io = |at: &Path, e: std::io::Error| AppError::Io(format!("writing {}: {e}", at.display()));
    let file = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
    let mut writer = std::io::BufWriter::new(file);
    fill(&mut writer)?;
    writer.flush().map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))
}

fn csv_error(e: csv::Error) -> AppError {
    AppError::Io(format!("writing a CSV table: {e}"))
}

fn cell(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}")).unwrap_or_default()
}

/// RFC 3339 UTC of Unix seconds, e.g. `2024-05-03T07:12:00Z`.
fn rfc3339(utc: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(utc)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| utc.to_string())
}

/// The runs' summaries, one row each; every field quoted as CSV needs (a sport or file name with
/// a comma or a quote stays in its column).
fn runs_csv(out: impl std::io::Write, runs: &[StoredRun]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
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
    ])
    .map_err(csv_error)?;
    for r in runs {
        let s = r.run.best_summary();
        w.write_record([
            r.id.0.to_string(),
            s.start_utc.map(rfc3339).unwrap_or_default(),
            r.run.sport.label(),
            cell(s.elapsed_s),
            cell(s.moving_s),
            cell(s.distance_m),
            cell(s.ascent_m),
            cell(s.descent_m),
            cell(s.avg_hr),
            cell(s.max_hr),
            r.run.source.clone(),
        ])
        .map_err(csv_error)?;
    }
    w.flush()
        .map_err(|e| AppError::Io(format!("writing a CSV table: {e}")))
}

/// The check-ins, one row each, read back with their types.
fn checkins_csv(out: impl std::io::Write, checkins: &[&CheckIn]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "episode_id",
        "at",
        "kind",
        "triage",
        "top_condition",
        runsore_model::paths::PAIN,
        runsore_model::paths::TREND,
    ])
    .map_err(csv_error)?;
    let corrupt =
        |id: i64, what: &str, e: String| AppError::Corrupt(format!("check-in {id}: {what}: {e}"));
    for c in checkins {
        let d = &c.data;
        let result = StoredResult::read(&d.result)
            .map_err(|e| corrupt(c.id.0, "its result", e.to_string()))?;
        let intake: runsore_model::Intake = serde_json::from_value(d.intake.clone())
            .map_err(|e| corrupt(c.id.0, "its answers", e.to_string()))?;
        w.write_record([
            c.id.0.to_string(),
            d.episode_id.map(|e| e.0.to_string()).unwrap_or_default(),
            rfc3339(d.at_utc),
            word(&d.kind),
            word(&result.triage),
            result
                .conditions
                .first()
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            intake.pain.map(|p| p.to_string()).unwrap_or_default(),
            intake.trend.as_ref().map(word).unwrap_or_default(),
        ])
        .map_err(csv_error)?;
    }
    w.flush()
        .map_err(|e| AppError::Io(format!("writing a CSV table: {e}")))
}

/// The snake_case word serde gives a unit enum value (`self_care`, `follow_up`).
fn word<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
