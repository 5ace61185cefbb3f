//! Import, once for every front end: watch files, folders and export archives (from paths, or an
//! upload's bytes) into the store. From paths, sources are listed in order and decoded on all
//! cores, with a queue no longer than the decoders are many, so memory follows the cores and not
//! the files; an upload is decoded one file at a time, so that one request of a server holds the
//! memory and the core of one file whatever the archive holds; a
//! file whose content the store already holds is only inflated and hashed, not decoded; one
//! thread writes, one transaction per file. A file that cannot be read is reported by name and
//! the rest go on. The front ends only show the progress ([`ImportSink`]) and the summary.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rayon::iter::{ParallelBridge, ParallelIterator};
use runsore_import::{DecodeOptions, Decoded, ImportError, Source};
use runsore_model::Run;
use runsore_store::{EncodedSamples, FileRecord, InsertOutcome, Store};
use serde::Serialize;

use crate::{App, AppError, Result};

/// A file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileProblem {
    /// The file (`path`, or `archive!entry`).
    pub file: String,
    /// Why, in words.
    pub reason: String,
}

/// What an import did: the running totals handed to the sink, and the result.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportSummary {
    /// Files looked at.
    pub files: usize,
    /// Their size as read (archive entries as stored in the archive).
    pub bytes: u64,
    /// Runs written.
    pub runs_imported: usize,
    /// Files that brought at least one new run.
    pub files_imported: usize,
    /// Files whose runs the store already held.
    pub already_present: usize,
    /// Files that are not activities (a settings file, an empty activity).
    pub skipped: Vec<FileProblem>,
    /// Files that could not be read or stored.
    pub failed: Vec<FileProblem>,
}

/// Where an import reports its progress; called on the writing thread after each file.
pub trait ImportSink {
    /// The totals so far.
    fn progress(&self, _so_far: &ImportSummary) {}
}

/// A sink that shows nothing.
pub struct NoProgress;

impl ImportSink for NoProgress {}

/// What a decoder hands the writer for one source.
enum Work {
    Decoded {
        name: String,
        size: u64,
        runs: Vec<Run>,
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

impl App {
    /// Imports every source under `paths` (files, folders, export archives).
    pub fn import_paths(
        &self,
        paths: &[PathBuf],
        sink: &dyn ImportSink,
        now_utc: i64,
    ) -> Result<ImportSummary> {
        let summary = self.with_store(|store| {
            import_sources(
                store,
                runsore_import::sources(paths),
                sink,
                now_utc,
                &|n| n,
                Decoders::AllCores,
            )
        });
        // Runs went in (or some did before an error): the cached views must be read again.
        self.invalidate();
        summary
    }

    /// Imports one uploaded file or export archive from its bytes; `name` is the runner's file
    /// name, which labels the runs and the messages and never reaches the file system.
    pub fn import_bytes(
        &self,
        name: &str,
        bytes: &[u8],
        sink: &dyn ImportSink,
        now_utc: i64,
    ) -> Result<ImportSummary> {
        let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let is_zip =
            bytes.starts_with(b"PK\x03\x04") || name.to_ascii_lowercase().ends_with(".zip");
        let summary = if is_zip {
            // The importer lists archives from paths, so the upload goes to a private temporary
            // file under a fixed name, removed when this returns; the messages name the upload.
            let dir = tempfile::tempdir().map_err(|e| AppError::Io(e.to_string()))?;
            let path = dir.path().join("upload.zip");
            std::fs::write(&path, bytes).map_err(|e| AppError::Io(e.to_string()))?;
            let temp_name = path.display().to_string();
            let prefix = dir.path().display().to_string();
            let clean = |s: String| {
                s.replace(&temp_name, name)
                    .replace(&prefix, "")
                    .trim_start_matches(['/', '\\'])
                    .to_string()
            };
            self.with_store(|store| {
                import_sources(
                    store,
                    runsore_import::sources(std::slice::from_ref(&path)),
                    sink,
                    now_utc,
                    &clean,
                    Decoders::ThisThread,
                )
            })
        } else {
            let source = Source {
                path: Path::new(name).to_path_buf(),
                entry: None,
                bytes: bytes.to_vec(),
                meta: None,
            };
            self.with_store(|store| {
                import_sources(
                    store,
                    std::iter::once(Ok(source)),
                    sink,
                    now_utc,
                    &|n| n,
                    Decoders::ThisThread,
                )
            })
        };
        self.invalidate();
        summary
    }
}

/// Who decodes the sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoders {
    /// Every core, the writer on this thread: for files and folders named on a command line.
    AllCores,
    /// This thread alone: for an upload, whose request should hold the memory and the core of
    /// one file, not of every core.
    ThisThread,
}

/// The pipeline: `sources` decoded (by `decoders`), written here one file at a time, the totals
/// handed to `sink` after each. `clean` turns a source's name into the one the runner knows.
fn import_sources<I>(
    store: &Store,
    sources: I,
    sink: &dyn ImportSink,
    now_utc: i64,
    clean: &(dyn Fn(String) -> String + Sync),
    decoders: Decoders,
) -> Result<ImportSummary>
where
    I: Iterator<Item = std::result::Result<Source, ImportError>> + Send,
{
    let mut summary = ImportSummary::default();
    let known = store.file_hashes()?;
    let mut written = |work: Work| -> Result<()> {
        write(store, work, now_utc, &mut summary)?;
        sink.progress(&summary);
        Ok(())
    };
    match decoders {
        Decoders::ThisThread => {
            for item in sources {
                written(decode(item, &known, clean))?;
            }
        }
        Decoders::AllCores => {
            // Decoded files wait for the writer in a queue no longer than the decoders are
            // many, so memory follows the number of cores, not the number of files in an archive.
            let (tx, rx) = mpsc::sync_channel::<Work>(rayon::current_num_threads());
            std::thread::scope(|scope| -> Result<()> {
                let known = &known;
                scope.spawn(move || {
                    sources.par_bridge().for_each_with(tx, |tx, item| {
                        let _ = tx.send(decode(item, known, clean));
                    });
                });
                for work in rx {
                    written(work)?;
                }
                Ok(())
            })?;
        }
    }
    Ok(summary)
}

/// Writes one decoded source (one transaction) and counts what it did.
fn write(store: &Store, work: Work, now_utc: i64, summary: &mut ImportSummary) -> Result<()> {
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
                summary.skipped.push(FileProblem {
                    file: name,
                    reason: "no activity in the file".into(),
                });
                return Ok(());
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
                Err(err) => summary.failed.push(FileProblem {
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
            summary.skipped.push(FileProblem { file: name, reason });
        }
        Work::Failed { name, size, reason } => {
            summary.bytes += size;
            summary.failed.push(FileProblem { file: name, reason });
        }
    }
    Ok(())
}

/// Decodes one listed source on a worker thread. A file whose hash the store already holds is
/// only inflated and hashed, not decoded, so a re-import costs little more than reading.
fn decode(
    item: std::result::Result<Source, ImportError>,
    known: &HashSet<String>,
    clean: &(dyn Fn(String) -> String + Sync),
) -> Work {
    let src = match item {
        Ok(src) => src,
        Err(err) => {
            // The error's own message starts with the path; the file column keeps it short.
            let text = clean(err.to_string());
            return Work::Failed {
                name: text.split(": ").next().unwrap_or(&text).to_string(),
                size: 0,
                reason: text,
            };
        }
    };
    let name = clean(src.name());
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
            for run in &mut runs {
                if let Some(meta) = &src.meta {
                    meta.apply(run);
                }
                run.source = clean(std::mem::take(&mut run.source));
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
