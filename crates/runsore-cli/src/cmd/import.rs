//! `runsore import PATH...`: files, folders and export archives into the store through the app
//! layer's import (decoded on all cores, each file written in one transaction, bad files reported
//! while the rest go on); this file only checks the paths, draws the progress and prints the
//! summary.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use runsore_app::{ImportSink, ImportSummary};

use crate::{Ctx, ctx::bad_input};

/// Import watch files (FIT, GPX, TCX, plain or .gz), folders, and Strava or Garmin export
/// archives. Importing the same files again changes nothing. A file that cannot be read is
/// reported and the rest go on; the exit code is then 2.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Files, folders or .zip exports to import.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

impl Cmd {
    /// Runs the import.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        for path in &self.paths {
            if !path.exists() {
                return Err(bad_input(format!(
                    "{}: no such file or folder",
                    path.display()
                )));
            }
        }
        // A `runsore export` is data the runner owns: importing it restores it exactly.
        if let [path] = &self.paths[..]
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            return super::restore::Cmd::new(path.clone()).run(ctx);
        }
        let app = crate::app::open(ctx)?;
        let progress = Progress::new(ctx.json, total_size(&self.paths));
        let summary = app.import_paths(&self.paths, &progress, ctx.now_utc())?;
        progress.finish();
        if summary.files == 0 {
            let names: Vec<String> = self.paths.iter().map(|p| p.display().to_string()).collect();
            return Err(bad_input(format!(
                "{}: no files to import (runsore reads FIT, GPX and TCX files, .gz, and Strava or \
                 Garmin export archives)",
                names.join(", ")
            )));
        }
        if ctx.json {
            outln!("{}", serde_json::to_string_pretty(&summary)?);
        } else {
            print_summary(&summary);
        }
        // The rest of the batch is in; the exit code still tells a script that some input was bad.
        if !summary.failed.is_empty() {
            return Err(bad_input(format!(
                "{} of {} could not be imported (listed above); the others were",
                summary.failed.len(),
                crate::fmt::count(summary.files, "file", "files")
            )));
        }
        Ok(())
    }
}

fn print_summary(s: &ImportSummary) {
    use crate::fmt::count;
    outln!(
        "{} ({:.1} MB): {} imported from {}, {} already present, {} skipped, {} failed",
        count(s.files, "file", "files"),
        s.bytes as f64 / 1e6,
        count(s.runs_imported, "run", "runs"),
        count(s.files_imported, "file", "files"),
        s.already_present,
        s.skipped.len(),
        s.failed.len()
    );
    for f in &s.skipped {
        outln!("  skipped {}: {}", f.file, f.reason);
    }
    for f in &s.failed {
        outln!("  failed  {}: {}", f.file, f.reason);
    }
}

/// The size on disk of the files under `paths`, for the progress bar's length.
fn total_size(paths: &[PathBuf]) -> u64 {
    paths
        .iter()
        .flat_map(|p| walkdir::WalkDir::new(p).follow_links(true))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// A progress bar on a terminal, a plain line every few seconds otherwise, nothing with --json.
struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    started: Instant,
    last_line: std::cell::Cell<Instant>,
}

impl Progress {
    /// `total_bytes` is the size on disk of what is imported: the bar's length, so it can show
    /// an ETA (archive entries are counted as stored, so it is an estimate, clamped at the end).
    fn new(json: bool, total_bytes: u64) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (terminal && !json).then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(total_bytes.max(1)),
                ProgressDrawTarget::stderr(),
            );
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {percent:>3}% {msg} [{elapsed_precise}, ETA {eta}]",
                )
                .expect("the template is valid")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            plain: !terminal && !json,
            started: Instant::now(),
            last_line: std::cell::Cell::new(Instant::now()),
        }
    }

    fn tick(&self, files: usize, bytes: u64) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let msg = format!(
            "{files} files, {:.1} MB, {:.0} files/s, {:.1} MB/s",
            bytes as f64 / 1e6,
            files as f64 / secs,
            bytes as f64 / 1e6 / secs
        );
        if let Some(bar) = &self.bar {
            bar.set_position(bytes.min(bar.length().unwrap_or(u64::MAX)));
            bar.set_message(msg);
        } else if self.plain && self.last_line.get().elapsed() >= Duration::from_secs(2) {
            eprintln!("import: {msg}");
            self.last_line.set(Instant::now());
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl ImportSink for Progress {
    fn progress(&self, so_far: &ImportSummary) {
        self.tick(so_far.files, so_far.bytes);
    }
}
