//! Imported files and their runs: transactional insert with de-duplication, listing, reading.

use runsore_model::{Format, Run, RunSummary, Sport};
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::error::{Result, SqlContext, StoreError};
use crate::{Store, samples};

/// Two runs from different files whose start times and durations both differ by at most this
/// many seconds are the same activity (e.g. the watch's FIT file and Strava's GPX of it).
pub const DUPLICATE_TOLERANCE_S: f64 = 5.0;

/// The id of a stored run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunId(pub i64);

/// The id of an imported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FileId(pub i64);

impl std::fmt::Display for RunId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for FileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One imported file: what the importer read, before its runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The file's path (and `!entry` inside an archive), as given to the importer.
    pub source: String,
    /// The file format.
    pub format: Format,
    /// Hex BLAKE3 hash of the decoded file bytes; a file with a known hash is never stored twice.
    pub content_hash: String,
    /// Size of the decoded bytes.
    pub size_bytes: u64,
    /// When it was imported, seconds since the Unix epoch, UTC.
    pub imported_utc: i64,
}

/// The samples of a file's runs in the stored form, made by [`EncodedSamples::of`] on any
/// thread and handed to [`Store::insert_file_encoded`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedSamples(Vec<Vec<u8>>);

impl EncodedSamples {
    /// Encodes the samples of each run, in order.
    pub fn of(runs: &[Run]) -> EncodedSamples {
        EncodedSamples(runs.iter().map(|r| samples::encode(&r.samples)).collect())
    }

    /// The encoded size in bytes.
    pub fn len_bytes(&self) -> usize {
        self.0.iter().map(Vec::len).sum()
    }
}

/// What became of one run of an inserted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "run_id")]
pub enum RunOutcome {
    /// Stored under this id.
    Inserted(RunId),
    /// Not stored: the same activity (same start and duration) came from another file.
    Duplicate(RunId),
}

/// What [`Store::insert_file`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum InsertOutcome {
    /// A file with the same content hash was imported before; nothing was written.
    AlreadyPresent {
        /// The earlier file.
        file_id: FileId,
    },
    /// The file was recorded; each of its runs was stored or recognised as a duplicate.
    Inserted {
        /// The new file's id.
        file_id: FileId,
        /// One outcome per run, in the order given.
        runs: Vec<RunOutcome>,
    },
}

impl InsertOutcome {
    /// The ids of the runs stored by this insert.
    pub fn inserted(&self) -> Vec<RunId> {
        match self {
            InsertOutcome::AlreadyPresent { .. } => vec![],
            InsertOutcome::Inserted { runs, .. } => runs
                .iter()
                .filter_map(|r| match r {
                    RunOutcome::Inserted(id) => Some(*id),
                    RunOutcome::Duplicate(_) => None,
                })
                .collect(),
        }
    }

    /// True when nothing new was stored: the file or every one of its runs was already there.
    pub fn is_already_present(&self) -> bool {
        self.inserted().is_empty()
    }
}

/// Which runs [`Store::list_runs`] returns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunFilter {
    /// Runs starting at or after this time (seconds since the epoch, UTC).
    pub from: Option<i64>,
    /// Runs starting before this time.
    pub to: Option<i64>,
    /// Only this sport.
    pub sport: Option<Sport>,
    /// At most this many runs (the most recent).
    pub limit: Option<usize>,
}

/// What identifies a stored run with its content ([`Store::run_keys_between`]): its id, and the
/// file it came from (by the file's content hash, unique in the store) with its place in it. An
/// id can come back after a deletion, with another run; the file and place cannot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RunKey {
    /// The run's id.
    pub id: RunId,
    /// The content hash of the file it came from.
    pub content_hash: String,
    /// Its place among the runs of that file.
    pub idx_in_file: i64,
}

/// A run as stored, with its ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRun {
    /// The run's id.
    pub id: RunId,
    /// The file it came from.
    pub file_id: FileId,
    /// How many samples are stored (also when `run.samples` was not loaded).
    pub sample_count: usize,
    /// The run; `samples` is empty in listings and filled by [`Store::get_run`] and
    /// [`Store::runs_between`].
    pub run: Run,
}

/// The run columns read back, in the order [`read_run`] expects.
const RUN_COLUMNS: &str = "id, file_id, source, format, content_hash, device, sport, sub_sport, \
    name, rpe, partial, warnings_json, sample_count, has_device_summary, \
    s_start_utc, s_local_offset_s, s_elapsed_s, s_moving_s, s_distance_m, s_ascent_m, \
    s_descent_m, s_avg_hr, s_max_hr, s_avg_temp_c, \
    d_start_utc, d_local_offset_s, d_elapsed_s, d_moving_s, d_distance_m, d_ascent_m, \
    d_descent_m, d_avg_hr, d_max_hr, d_avg_temp_c";

const INSERT_RUN: &str = "INSERT INTO runs (file_id, idx_in_file, source, format, content_hash, \
    device, sport, sub_sport, name, rpe, start_utc, elapsed_s, partial, warnings_json, \
    sample_count, samples, has_device_summary, \
    s_start_utc, s_local_offset_s, s_elapsed_s, s_moving_s, s_distance_m, s_ascent_m, \
    s_descent_m, s_avg_hr, s_max_hr, s_avg_temp_c, \
    d_start_utc, d_local_offset_s, d_elapsed_s, d_moving_s, d_distance_m, d_ascent_m, \
    d_descent_m, d_avg_hr, d_max_hr, d_avg_temp_c, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
    ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, \
    ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38)";

/// The sport as stored: the label for known sports, `other:` and the exact name otherwise, so
/// that reading it back gives the same value.
pub(crate) fn sport_key(sport: &Sport) -> String {
    match sport {
        Sport::Other(name) => format!("other:{name}"),
        known => known.label(),
    }
}

fn sport_from_key(key: &str) -> Sport {
    match key.strip_prefix("other:") {
        Some(name) => Sport::Other(name.to_string()),
        None => Sport::from_label(key),
    }
}

fn format_from_str(s: &str) -> Option<Format> {
    [Format::Fit, Format::Gpx, Format::Tcx]
        .into_iter()
        .find(|f| f.as_str() == s)
}

impl Store {
    /// Stores one file and its runs in one transaction: all of it or, on any error, nothing.
    ///
    /// A file whose content hash is known is [`InsertOutcome::AlreadyPresent`] and nothing is
    /// written. Otherwise the file is recorded and each run is stored, unless a run from another
    /// file has the same start and duration within [`DUPLICATE_TOLERANCE_S`]: that one is
    /// reported as a [`RunOutcome::Duplicate`] of the stored run.
    pub fn insert_file(&self, file: &FileRecord, runs: &[Run]) -> Result<InsertOutcome> {
        if self.has_file(&file.content_hash)? {
            // Skip encoding; the answer is given under the lock below.
            return self.insert_file_encoded(file, runs, &EncodedSamples(vec![]));
        }
        self.insert_file_encoded(file, runs, &EncodedSamples::of(runs))
    }

    /// [`Store::insert_file`] with the samples encoded beforehand by [`EncodedSamples::of`].
    ///
    /// Encoding is most of an insert's work; an importer that decodes on several threads can
    /// encode there too, leaving the one writing thread only the writes.
    pub fn insert_file_encoded(
        &self,
        file: &FileRecord,
        runs: &[Run],
        encoded: &EncodedSamples,
    ) -> Result<InsertOutcome> {
        if file.content_hash.trim().is_empty() {
            return Err(StoreError::Invalid {
                field: "content_hash",
                reason: format!("empty for {}", file.source),
            });
        }
        let ctx = || format!("storing {}", file.source);
        // A re-import is mostly known files: answer those without taking the write lock.
        if let Some(file_id) = file_by_hash(&self.conn, &file.content_hash).ctx(ctx)? {
            return Ok(InsertOutcome::AlreadyPresent { file_id });
        }
        if encoded.0.len() != runs.len() {
            return Err(StoreError::Invalid {
                field: "encoded samples",
                reason: format!(
                    "{} encoded for {} runs of {}",
                    encoded.0.len(),
                    runs.len(),
                    file.source
                ),
            });
        }
        let tx = self.write_tx("import a file")?;
        // Checked again under the lock: another process may have stored it meanwhile.
        if let Some(file_id) = file_by_hash(&tx, &file.content_hash).ctx(ctx)? {
            return Ok(InsertOutcome::AlreadyPresent { file_id });
        }
        let file_id = insert_file_row(&tx, None, file).ctx(ctx)?;
        let mut outcomes = Vec::with_capacity(runs.len());
        for (i, (run, blob)) in runs.iter().zip(&encoded.0).enumerate() {
            let best = run.best_summary();
            if let (Some(start), Some(elapsed)) = (best.start_utc, best.elapsed_s) {
                let dup: Option<i64> = tx
                    .prepare_cached(
                        "SELECT id FROM runs WHERE file_id <> ?1 \
                         AND start_utc BETWEEN ?2 - ?4 AND ?2 + ?4 \
                         AND abs(elapsed_s - ?3) <= ?4 \
                         ORDER BY abs(start_utc - ?2), id LIMIT 1",
                    )
                    .and_then(|mut st| {
                        st.query_row(
                            params![file_id.0, start, elapsed, DUPLICATE_TOLERANCE_S],
                            |r| r.get(0),
                        )
                        .optional()
                    })
                    .ctx(ctx)?;
                if let Some(id) = dup {
                    outcomes.push(RunOutcome::Duplicate(RunId(id)));
                    continue;
                }
            }
            let id = insert_run_row(&tx, None, file_id, i, run, blob).ctx(ctx)?;
            outcomes.push(RunOutcome::Inserted(id));
        }
        tx.commit().ctx(ctx)?;
        Ok(InsertOutcome::Inserted {
            file_id,
            runs: outcomes,
        })
    }

    /// Whether a file with this content hash was imported (lets the importer skip decoding it).
    pub fn has_file(&self, content_hash: &str) -> Result<bool> {
        self.conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM files WHERE content_hash = ?1)")
            .and_then(|mut st| st.query_row([content_hash], |r| r.get(0)))
            .ctx(|| "looking up a file hash".into())
    }

    /// The content hashes of every imported file, so that an importer running on many threads
    /// can skip decoding known files without a connection per thread.
    pub fn file_hashes(&self) -> Result<std::collections::HashSet<String>> {
        let ctx = || "listing file hashes".to_string();
        let mut st = self
            .conn
            .prepare_cached("SELECT content_hash FROM files")
            .ctx(ctx)?;
        let rows = st.query_map([], |r| r.get::<_, String>(0)).ctx(ctx)?;
        let mut out = std::collections::HashSet::new();
        for row in rows {
            out.insert(row.ctx(ctx)?);
        }
        Ok(out)
    }

    /// How many runs are stored.
    pub fn run_count(&self) -> Result<usize> {
        self.conn
            .query_row("SELECT count(*) FROM runs", [], |r| r.get::<_, i64>(0))
            .ctx(|| "counting runs".into())
            .map(|n| n.max(0) as usize)
    }

    /// Runs matching the filter, most recent first (runs without a start time last), without
    /// their samples.
    pub fn list_runs(&self, filter: &RunFilter) -> Result<Vec<StoredRun>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs \
             WHERE (?1 IS NULL OR start_utc >= ?1) AND (?2 IS NULL OR start_utc < ?2) \
             AND (?3 IS NULL OR sport = ?3) \
             ORDER BY start_utc DESC, id DESC LIMIT ?4"
        );
        let limit = filter
            .limit
            .map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let sport = filter.sport.as_ref().map(sport_key);
        let mut st = self
            .conn
            .prepare_cached(&sql)
            .ctx(|| "listing runs".into())?;
        let rows = st
            .query_map(params![filter.from, filter.to, sport, limit], read_run)
            .ctx(|| "listing runs".into())?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.ctx(|| "listing runs".into())??);
        }
        Ok(out)
    }

    /// One page of runs, most recent first, without their samples (runs without a start time
    /// last: SQLite sorts NULL lowest, so last when descending). The order is the `runs_start`
    /// index's own, read backwards; an `IS NULL` term in the ORDER BY made SQLite read and sort
    /// every row instead (13 ms against 0.4 ms for a page of a 3,000-run store). `limit` runs
    /// after skipping `offset`.
    pub fn list_runs_page(&self, offset: usize, limit: usize) -> Result<Vec<StoredRun>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs \
             ORDER BY start_utc DESC, id DESC LIMIT ?1 OFFSET ?2"
        );
        let as_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let mut st = self
            .conn
            .prepare_cached(&sql)
            .ctx(|| "listing runs".into())?;
        let rows = st
            .query_map(params![as_i64(limit), as_i64(offset)], read_run)
            .ctx(|| "listing runs".into())?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.ctx(|| "listing runs".into())??);
        }
        Ok(out)
    }

    /// A cheap mark of the stored runs (their count and the highest id): it changes whenever a
    /// run is added, removed or the store restored, so figures derived from the runs can be kept
    /// until it does.
    pub fn runs_fingerprint(&self) -> Result<(i64, i64)> {
        self.conn
            .prepare_cached("SELECT count(*), coalesce(max(id), 0) FROM runs")
            .and_then(|mut st| st.query_row([], |r| Ok((r.get(0)?, r.get(1)?))))
            .ctx(|| "counting runs".into())
    }

    /// What identifies each run starting in `[from_utc, to_utc)` with its content, oldest first,
    /// without reading its samples: a reader that keeps figures per run compares these with
    /// the ones it read, and reads only the runs it has not ([`Store::visit_runs`]).
    pub fn run_keys_between(&self, from_utc: i64, to_utc: i64) -> Result<Vec<RunKey>> {
        let ctx = || "listing runs".to_string();
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, content_hash, idx_in_file FROM runs \
                 WHERE start_utc >= ?1 AND start_utc < ?2 ORDER BY start_utc, id",
            )
            .ctx(ctx)?;
        let rows = st
            .query_map([from_utc, to_utc], |r| {
                Ok(RunKey {
                    id: RunId(r.get(0)?),
                    content_hash: r.get(1)?,
                    idx_in_file: r.get(2)?,
                })
            })
            .ctx(ctx)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().ctx(ctx)
    }

    /// Calls `f` with each of the runs `ids` that is stored, with its samples, one at a time in
    /// the order given.
    pub fn visit_runs(&self, ids: &[RunId], mut f: impl FnMut(StoredRun)) -> Result<()> {
        let sql = format!("SELECT {RUN_COLUMNS}, samples FROM runs WHERE id = ?1");
        let mut st = self
            .conn
            .prepare_cached(&sql)
            .ctx(|| "reading runs for analysis".into())?;
        for id in ids {
            let found = st
                .query_row([id.0], read_run_with_samples)
                .optional()
                .ctx(|| format!("reading run {id}"))?;
            if let Some(run) = found {
                f(run?);
            }
        }
        Ok(())
    }

    /// One run with its samples.
    pub fn get_run(&self, id: RunId) -> Result<StoredRun> {
        let sql = format!("SELECT {RUN_COLUMNS}, samples FROM runs WHERE id = ?1");
        let found = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_row([id.0], read_run_with_samples).optional())
            .ctx(|| format!("reading run {id}"))?;
        found.ok_or(StoreError::NotFound {
            what: "run",
            id: id.0,
        })?
    }

    /// Every run starting in `[from_utc, to_utc)`, oldest first, with samples: what the training
    /// analytics need.
    pub fn runs_between(&self, from_utc: i64, to_utc: i64) -> Result<Vec<StoredRun>> {
        let mut out = Vec::new();
        self.visit_runs_between(from_utc, to_utc, |run| out.push(run))?;
        Ok(out)
    }

    /// Calls `f` with every run starting in `[from_utc, to_utc)` and its samples, oldest first,
    /// one at a time: the analytics reduce each run to a few figures, so a store of years of
    /// runs is never held in memory at once.
    pub fn visit_runs_between(
        &self,
        from_utc: i64,
        to_utc: i64,
        mut f: impl FnMut(StoredRun),
    ) -> Result<()> {
        let sql = format!(
            "SELECT {RUN_COLUMNS}, samples FROM runs WHERE start_utc >= ?1 AND start_utc < ?2 \
             ORDER BY start_utc, id"
        );
        let ctx = || "reading runs for analysis".to_string();
        let mut st = self.conn.prepare_cached(&sql).ctx(ctx)?;
        let rows = st
            .query_map([from_utc, to_utc], read_run_with_samples)
            .ctx(ctx)?;
        for row in rows {
            f(row.ctx(ctx)??);
        }
        Ok(())
    }

    /// Every imported file, in id order (for export).
    pub(crate) fn all_files(&self) -> Result<Vec<(FileId, FileRecord)>> {
        self.files_where("1 = 1", [])
    }

    /// The imported files matching `cond` (SQL over `files`, with `args`), in id order.
    pub(crate) fn files_where<const N: usize>(
        &self,
        cond: &str,
        args: [i64; N],
    ) -> Result<Vec<(FileId, FileRecord)>> {
        let ctx = || "reading files".to_string();
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT id, source, format, content_hash, size_bytes, imported_utc FROM files \
                 WHERE {cond} ORDER BY id"
            ))
            .ctx(ctx)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args), |r| {
                let id: i64 = r.get(0)?;
                let format: String = r.get(2)?;
                let size: i64 = r.get(4)?;
                Ok((id, format, size, r.get(1)?, r.get(3)?, r.get(5)?))
            })
            .ctx(ctx)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, format, size, source, content_hash, imported_utc) = row.ctx(ctx)?;
            let corrupt = |what: String| StoreError::Corrupt {
                table: "files",
                id,
                what,
            };
            let format =
                format_from_str(&format).ok_or_else(|| corrupt(format!("format {format:?}")))?;
            let size_bytes =
                u64::try_from(size).map_err(|_| corrupt(format!("size_bytes {size}")))?;
            out.push((
                FileId(id),
                FileRecord {
                    source,
                    format,
                    content_hash,
                    size_bytes,
                    imported_utc,
                },
            ));
        }
        Ok(out)
    }

    /// Every run with samples, in id order (for export).
    pub(crate) fn all_runs(&self) -> Result<Vec<StoredRun>> {
        let mut out = Vec::new();
        self.for_each_run(|r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` with every run and its samples, in id order, one at a time (so an export of
    /// years of runs never holds them all in memory).
    pub(crate) fn for_each_run(&self, mut f: impl FnMut(StoredRun) -> Result<()>) -> Result<()> {
        let sql = format!("SELECT {RUN_COLUMNS}, samples FROM runs ORDER BY id");
        let ctx = || "reading runs".to_string();
        let mut st = self.conn.prepare(&sql).ctx(ctx)?;
        let rows = st.query_map([], read_run_with_samples).ctx(ctx)?;
        for row in rows {
            f(row.ctx(ctx)??)?;
        }
        Ok(())
    }
}

fn file_by_hash(conn: &rusqlite::Connection, hash: &str) -> rusqlite::Result<Option<FileId>> {
    conn.prepare_cached("SELECT id FROM files WHERE content_hash = ?1")?
        .query_row([hash], |r| r.get(0).map(FileId))
        .optional()
}

/// Inserts a file row, with a given id (import) or a new one.
pub(crate) fn insert_file_row(
    conn: &rusqlite::Connection,
    id: Option<FileId>,
    file: &FileRecord,
) -> rusqlite::Result<FileId> {
    conn.prepare_cached(
        "INSERT INTO files (id, source, format, content_hash, size_bytes, imported_utc) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id.map(|i| i.0),
        file.source,
        file.format.as_str(),
        file.content_hash,
        i64::try_from(file.size_bytes).unwrap_or(i64::MAX),
        file.imported_utc,
    ])?;
    Ok(FileId(conn.last_insert_rowid()))
}

/// Inserts a run row, with a given id (import) or a new one.
pub(crate) fn insert_run_row(
    conn: &rusqlite::Connection,
    id: Option<RunId>,
    file_id: FileId,
    idx_in_file: usize,
    run: &Run,
    samples_blob: &[u8],
) -> rusqlite::Result<RunId> {
    let best = run.best_summary();
    let warnings = serde_json::to_string(&run.warnings)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let s = &run.summary;
    let none = RunSummary::default();
    let d = run.device_summary.as_ref().unwrap_or(&none);
    let mut st = conn.prepare_cached(INSERT_RUN)?;
    st.execute(params![
        file_id.0,
        i64::try_from(idx_in_file).unwrap_or(i64::MAX),
        run.source,
        run.format.as_str(),
        run.content_hash,
        run.device,
        sport_key(&run.sport),
        run.sub_sport,
        run.name,
        run.rpe,
        best.start_utc,
        best.elapsed_s,
        run.partial,
        warnings,
        i64::try_from(run.samples.len()).unwrap_or(i64::MAX),
        samples_blob,
        run.device_summary.is_some(),
        s.start_utc,
        s.local_offset_s,
        s.elapsed_s,
        s.moving_s,
        s.distance_m,
        s.ascent_m,
        s.descent_m,
        s.avg_hr,
        s.max_hr,
        s.avg_temp_c,
        d.start_utc,
        d.local_offset_s,
        d.elapsed_s,
        d.moving_s,
        d.distance_m,
        d.ascent_m,
        d.descent_m,
        d.avg_hr,
        d.max_hr,
        d.avg_temp_c,
        id.map(|i| i.0),
    ])?;
    Ok(RunId(conn.last_insert_rowid()))
}

fn read_summary(r: &Row<'_>, at: usize) -> rusqlite::Result<RunSummary> {
    Ok(RunSummary {
        start_utc: r.get(at)?,
        local_offset_s: r.get(at + 1)?,
        elapsed_s: r.get(at + 2)?,
        moving_s: r.get(at + 3)?,
        distance_m: r.get(at + 4)?,
        ascent_m: r.get(at + 5)?,
        descent_m: r.get(at + 6)?,
        avg_hr: r.get(at + 7)?,
        max_hr: r.get(at + 8)?,
        avg_temp_c: r.get(at + 9)?,
    })
}

/// Reads a row of [`RUN_COLUMNS`]; the outer error is SQLite's, the inner one damaged data.
fn read_run(r: &Row<'_>) -> rusqlite::Result<Result<StoredRun>> {
    let id: i64 = r.get(0)?;
    let corrupt = |what: String| StoreError::Corrupt {
        table: "runs",
        id,
        what,
    };
    let format: String = r.get(3)?;
    let Some(format) = format_from_str(&format) else {
        return Ok(Err(corrupt(format!("unknown format {format:?}"))));
    };
    let warnings: String = r.get(11)?;
    let warnings: Vec<String> = match serde_json::from_str(&warnings) {
        Ok(w) => w,
        Err(e) => return Ok(Err(corrupt(format!("warnings: {e}")))),
    };
    let sample_count: i64 = r.get(12)?;
    let Ok(sample_count) = usize::try_from(sample_count) else {
        return Ok(Err(corrupt(format!("sample count {sample_count}"))));
    };
    let has_device: bool = r.get(13)?;
    let sport: String = r.get(6)?;
    Ok(Ok(StoredRun {
        id: RunId(id),
        file_id: FileId(r.get(1)?),
        sample_count,
        run: Run {
            source: r.get(2)?,
            format,
            content_hash: r.get(4)?,
            device: r.get(5)?,
            sport: sport_from_key(&sport),
            sub_sport: r.get(7)?,
            name: r.get(8)?,
            rpe: r.get(9)?,
            summary: read_summary(r, 14)?,
            device_summary: if has_device {
                Some(read_summary(r, 24)?)
            } else {
                None
            },
            samples: Vec::new(),
            partial: r.get(10)?,
            warnings,
        },
    }))
}

/// Reads a row of [`RUN_COLUMNS`] followed by the samples BLOB.
fn read_run_with_samples(r: &Row<'_>) -> rusqlite::Result<Result<StoredRun>> {
    let mut stored = match read_run(r)? {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let blob: Vec<u8> = r.get(34)?;
    match samples::decode(&blob) {
        Ok(samples) if samples.len() == stored.sample_count => {
            stored.run.samples = samples;
            Ok(Ok(stored))
        }
        Ok(samples) => Ok(Err(StoreError::Corrupt {
            table: "runs",
            id: stored.id.0,
            what: format!(
                "{} samples stored but {} recorded",
                samples.len(),
                stored.sample_count
            ),
        })),
        Err(e) => Ok(Err(StoreError::Corrupt {
            table: "runs",
            id: stored.id.0,
            what: format!("samples: {}", e.0),
        })),
    }
}
