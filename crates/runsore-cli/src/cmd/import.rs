//! `runsore import PATH...`: files, folders and export archives into the store, decoded on all
//! cores, each file written in one transaction, bad files reported while the rest go on.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::iter::{ParallelBridge, ParallelIterator};
use std::collections::HashSet;

use runsore_import::{DecodeOptions, Decoded, Source};
use runsore_store::{EncodedSamples, FileRecord, InsertOutcome, Store};
use serde::Serialize;

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

/// One file's fate, for the summary.
#[derive(Debug, Serialize)]
struct Failure {
    file: String,
    reason: String,
}

/// What the import did, printed at the end (`--json` prints this object).
#[derive(Debug, Default, Serialize)]
struct Summary {
    files: usize,
    bytes: u64,
    runs_imported: usize,
    files_imported: usize,
    already_present: usize,
    skipped: Vec<Failure>,
    failed: Vec<Failure>,
}

/// What a worker hands the writer for one source.
enum Work {
    Decoded {
        name: String,
        size: u64,
        runs: Vec<runsore_model::Run>,
        encoded: EncodedSamples,
    },
    Known {
        size: u64,
    },
    Skipped {
        name: String,
        size: u64,
        reason: String,
    },
    Failed {
        name: String,
        size: u64,
        reason: String,
    },
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
        let db = ctx.db_path()?;
        let store =
            Store::open(&db).with_context(|| format!("opening the store {}", db.display()))?;
        let progress = Progress::new(ctx.json, total_size(&self.paths));
        let summary = import_paths(&store, &self.paths, &progress, ctx.now_utc())?;
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

/// Imports every source under `paths` into `store`: sources are listed in order, decoded in
/// parallel (bounded: a slow writer holds the decoders back so memory stays flat), and written
/// by this thread alone, one transaction per file.
fn import_paths(
    store: &Store,
    paths: &[PathBuf],
    progress: &Progress,
    now_utc: i64,
) -> anyhow::Result<Summary> {
    // Decoded files wait for the writer in a queue no longer than the decoders are many, so
    // memory follows the number of cores, not the number of files in an archive.
    let (tx, rx) = mpsc::sync_channel::<Work>(rayon::current_num_threads());
    let mut summary = Summary::default();
    let known = store.file_hashes()?;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let sources = runsore_import::sources(paths);
        scope.spawn(move || {
            sources.par_bridge().for_each_with(tx, |tx, item| {
                let _ = tx.send(decode(item, &known));
            });
        });
        for work in rx {
            summary.files += 1;
            match work {
                Work::Decoded {
                    name,
                    size,
                    runs,
                    encoded,
                } => {
                    summary.bytes += size;
                    let Some(first) = runs.first() else {
                        summary.skipped.push(Failure {
                            file: name,
                            reason: "no activity in the file".into(),
                        });
                        continue;
                    };
                    let record = FileRecord {
                        source: name.clone(),
                        format: first.format,
                        content_hash: first.content_hash.clone(),
                        size_bytes: size,
                        imported_utc: now_utc,
                    };
                    match store.insert_file_encoded(&record, &runs, &encoded) {
                        Ok(InsertOutcome::AlreadyPresent { .. }) => summary.already_present += 1,
                        Ok(outcome) => {
                            let n = outcome.inserted().len();
                            if n == 0 {
                                summary.already_present += 1;
                            } else {
                                summary.files_imported += 1;
                                summary.runs_imported += n;
                            }
                        }
                        Err(err) => summary.failed.push(Failure {
                            file: name,
                            reason: err.to_string(),
                        }),
                    }
                }
                Work::Known { size } => {
                    summary.bytes += size;
                    summary.already_present += 1;
                }
                Work::Skipped { name, size, reason } => {
                    summary.bytes += size;
                    summary.skipped.push(Failure { file: name, reason });
                }
                Work::Failed { name, size, reason } => {
                    summary.bytes += size;
                    summary.failed.push(Failure { file: name, reason });
                }
            }
            progress.tick(summary.files, summary.bytes);
        }
        Ok(())
    })?;
    Ok(summary)
}

/// Decodes one listed source on a worker thread. A file whose hash the store already holds is
/// only inflated and hashed, not decoded, so a re-import costs little more than reading.
fn decode(item: Result<Source, runsore_import::ImportError>, known: &HashSet<String>) -> Work {
    let src = match item {
        Ok(src) => src,
        Err(err) => {
            return Work::Failed {
                name: err_name(&err),
                size: 0,
                reason: err.to_string(),
            };
        }
    };
    let name = src.name();
    let size = src.bytes.len() as u64;
    let inflated = match runsore_import::inflate(&name, &src.bytes, &DecodeOptions::default()) {
        Ok(inflated) => inflated,
        Err(err) => {
            return Work::Failed {
                name,
                size,
                reason: err.kind.to_string(),
            };
        }
    };
    if known.contains(&inflated.hash) {
        return Work::Known { size };
    }
    match runsore_import::decode_inflated(&inflated) {
        Ok(Decoded::Runs(mut runs)) => {
            if let Some(meta) = &src.meta {
                runs.iter_mut().for_each(|run| meta.apply(run));
            }
            // Encoding the samples here keeps that work off the single writing thread.
            let encoded = EncodedSamples::of(&runs);
            Work::Decoded {
                name,
                size,
                runs,
                encoded,
            }
        }
        Ok(Decoded::NotActivity { reason }) => Work::Skipped { name, size, reason },
        Err(err) => Work::Failed {
            name,
            size,
            reason: err.kind.to_string(),
        },
    }
}

fn err_name(err: &runsore_import::ImportError) -> String {
    // The error's own message starts with the path; keep the summary's file column short.
    let text = err.to_string();
    text.split(": ").next().unwrap_or(&text).to_string()
}

fn print_summary(s: &Summary) {
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
