//! Saving what can still be read from a damaged store: every row that reads is written to an
//! export that `restore` takes, every row that does not is named by table and id.
//!
//! A store that fails `PRAGMA quick_check` is refused by [`Store::open`]; the runner's data is
//! still theirs, so [`Store::open_for_salvage`] opens it read-only without checking or migrating
//! it, and [`Store::salvage_json`] walks each table by id. A scan stops at the first damaged page,
//! so the ids past it are found again one by one (a lookup descends through other pages), up to
//! the table's largest id or [`PROBE_LIMIT`] ids further.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::io::Write;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::checkins::{CheckInId, EpisodeId};
use crate::error::{Result, StoreError};
use crate::export::{EXPORT_FORMAT, EXPORT_VERSION, ExportedFile, ImportCounts};
use crate::profile::Profile;
use crate::runs::{FileId, RunId};
use crate::{SCHEMA_VERSION, Store, schema};

/// How many ids past the last one a broken scan reached are looked up one by one.
///
/// Ids are SQLite rowids given in order, so a table's ids are about as many as its rows; a
/// million lookups take a second or two, far beyond any runner's store.
pub const PROBE_LIMIT: i64 = 1_000_000;

/// When the largest id cannot be read, this many ids in a row absent (or unreadable) end the
/// lookups.
const UNKNOWN_END_STREAK: usize = 1_000;

/// A row that could not be read, or ids that could not even be listed (`id` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LostRow {
    /// The table (`files`, `runs`, `episodes`, `checkins`, `soreness_logs`, `profile`).
    pub table: &'static str,
    /// The row's id, when known.
    pub id: Option<i64>,
    /// What SQLite or the store said.
    pub reason: String,
}

impl fmt::Display for LostRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "{} {id}: {}", self.table, self.reason),
            None => write!(f, "{}: {}", self.table, self.reason),
        }
    }
}

/// What a salvage saved and what it could not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Salvage {
    /// Rows written to the export, by kind.
    pub saved: ImportCounts,
    /// Rows that could not be read, by table and id.
    pub lost: Vec<LostRow>,
    /// Links from a saved row to a lost one that were dropped, so the export restores.
    pub unlinked: Vec<String>,
}

impl Salvage {
    /// Whether everything was saved.
    pub fn is_complete(&self) -> bool {
        self.lost.is_empty()
    }
}

impl Store {
    /// Opens a store read-only to save what it holds, without `quick_check` and without
    /// migrating it (nothing is written to the file). A store from a newer runsore is still
    /// refused ([`StoreError::TooNew`]): its rows may mean what this version cannot know.
    pub fn open_for_salvage(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(crate::BUSY_TIMEOUT).map_err(open_err)?;
        let found = schema::version(&conn).map_err(open_err)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(Store { conn })
    }

    /// Writes every row that reads as an export (the same JSON as [`Store::export_json`], so
    /// `restore` takes it) and reports the rest. Links from a saved row to a lost one (a run's
    /// check-ins, a check-in's episode) are dropped and listed, so the export restores; a run
    /// whose file record is lost is lost with it. Fails only when writing fails.
    pub fn salvage_json(&self, out: impl Write, pretty: bool) -> Result<Salvage> {
        let stream = SalvageStream {
            store: self,
            state: RefCell::new(State::default()),
        };
        let written = if pretty {
            serde_json::to_writer_pretty(out, &stream)
        } else {
            serde_json::to_writer(out, &stream)
        };
        written.map_err(|source| StoreError::Json {
            context: "writing the export".into(),
            source,
        })?;
        Ok(stream.state.into_inner().salvage)
    }

    /// The ids of `table` that exist, in order: a scan, then lookups past where it broke.
    fn salvage_ids(&self, table: &'static str, lost: &mut Vec<LostRow>) -> Vec<i64> {
        let mut ids = Vec::new();
        let scan = (|| -> rusqlite::Result<()> {
            let mut st = self
                .conn
                .prepare(&format!("SELECT id FROM {table} ORDER BY id"))?;
            let mut rows = st.query([])?;
            while let Some(row) = rows.next()? {
                ids.push(row.get(0)?);
            }
            Ok(())
        })();
        let Err(broke) = scan else {
            return ids;
        };
        let after = ids.last().copied().unwrap_or(0);
        let max = self
            .conn
            .query_row(&format!("SELECT max(id) FROM {table}"), [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .ok();
        let end = match max {
            Some(Some(max)) => max.min(after.saturating_add(PROBE_LIMIT)),
            Some(None) => after,
            None => after.saturating_add(PROBE_LIMIT),
        };
        let mut probe = match self
            .conn
            .prepare(&format!("SELECT 1 FROM {table} WHERE id = ?1"))
        {
            Ok(st) => st,
            Err(e) => {
                lost.push(LostRow {
                    table,
                    id: None,
                    reason: format!("rows after id {after} could not be listed: {broke}; {e}"),
                });
                return ids;
            }
        };
        // Without the largest id, the lookups stop after a long streak of ids that are absent or
        // unreadable: ids are given in order, so a streak that long is past the table's end.
        let mut streak: Vec<(i64, String)> = Vec::new();
        let mut absent = 0;
        let mut stopped = None;
        for id in after.saturating_add(1)..=end {
            match probe.query_row([id], |_| Ok(())).optional() {
                Ok(Some(())) => {
                    ids.push(id);
                    absent = 0;
                    lost.extend(streak.drain(..).map(|(id, reason)| LostRow {
                        table,
                        id: Some(id),
                        reason,
                    }));
                }
                Ok(None) => absent += 1,
                Err(e) => streak.push((id, e.to_string())),
            }
            if max.is_none() && (absent >= UNKNOWN_END_STREAK || streak.len() >= UNKNOWN_END_STREAK)
            {
                stopped = Some(id);
                break;
            }
        }
        match (max, stopped) {
            (Some(_), _) => lost.extend(streak.into_iter().map(|(id, reason)| LostRow {
                table,
                id: Some(id),
                reason,
            })),
            (None, _) if !streak.is_empty() => lost.push(LostRow {
                table,
                id: None,
                reason: format!(
                    "rows from id {} on could not be read, and neither could the largest id \
                     ({broke})",
                    streak[0].0
                ),
            }),
            (None, None) => lost.push(LostRow {
                table,
                id: None,
                reason: format!("ids after {end} were not looked for ({broke})"),
            }),
            (None, Some(_)) => {}
        }
        if let Some(Some(max)) = max
            && max > end
        {
            lost.push(LostRow {
                table,
                id: None,
                reason: format!("ids {} to {max} were not looked for ({broke})", end + 1),
            });
        }
        ids
    }
}

/// What the salvage has saved so far, to drop links to what it lost.
#[derive(Default)]
struct State {
    salvage: Salvage,
    files: HashSet<i64>,
    runs: HashSet<i64>,
    episodes: HashSet<i64>,
}

/// Serialises like an `Export`, reading each row as it is written.
struct SalvageStream<'a> {
    store: &'a Store,
    state: RefCell<State>,
}

impl SalvageStream<'_> {
    fn lose(&self, table: &'static str, id: i64, e: impl fmt::Display) {
        self.state.borrow_mut().salvage.lost.push(LostRow {
            table,
            id: Some(id),
            reason: e.to_string(),
        });
    }

    fn ids(&self, table: &'static str) -> Vec<i64> {
        let mut lost = Vec::new();
        let ids = self.store.salvage_ids(table, &mut lost);
        self.state.borrow_mut().salvage.lost.extend(lost);
        ids
    }

    /// Reads each id of `table` with `read`; a row gone between the listing and the read is
    /// skipped, a row that fails is lost.
    fn rows<T>(
        &self,
        table: &'static str,
        mut read: impl FnMut(i64) -> Result<Option<T>>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for id in self.ids(table) {
            match read(id) {
                Ok(Some(row)) => out.push(row),
                Ok(None) | Err(StoreError::NotFound { .. }) => {}
                Err(e) => self.lose(table, id, e),
            }
        }
        out
    }

    fn profile(&self) -> Profile {
        // A store without a profile row reads as the default profile, so only a failure is lost.
        self.store.profile().unwrap_or_else(|e| {
            self.lose("profile", 1, e);
            Profile::default()
        })
    }

    fn files(&self) -> Vec<ExportedFile> {
        let files = self.rows("files", |id| {
            Ok(self
                .store
                .files_where("id = ?1", [id])?
                .pop()
                .map(|(id, file)| ExportedFile { id, file }))
        });
        let mut st = self.state.borrow_mut();
        st.files = files.iter().map(|f| f.id.0).collect();
        st.salvage.saved.files = files.len();
        files
    }

    fn episodes(&self) -> Vec<crate::Episode> {
        let episodes = self.rows("episodes", |id| self.store.episode(EpisodeId(id)).map(Some));
        let mut st = self.state.borrow_mut();
        st.episodes = episodes.iter().map(|e| e.id.0).collect();
        st.salvage.saved.episodes = episodes.len();
        episodes
    }

    fn checkins(&self) -> Vec<crate::CheckIn> {
        let mut checkins = self.rows("checkins", |id| self.store.checkin(CheckInId(id)).map(Some));
        let mut st = self.state.borrow_mut();
        let State {
            salvage,
            runs,
            episodes,
            ..
        } = &mut *st;
        for c in &mut checkins {
            if let Some(e) = c.data.episode_id.filter(|e| !episodes.contains(&e.0)) {
                salvage.unlinked.push(format!(
                    "check-in {}: its episode {e} was lost; kept outside any episode",
                    c.id
                ));
                c.data.episode_id = None;
            }
            c.data.run_ids.retain(|r| {
                let kept = runs.contains(&r.0);
                if !kept {
                    salvage.unlinked.push(format!(
                        "check-in {}: its link to run {r} was dropped (the run was lost)",
                        c.id
                    ));
                }
                kept
            });
        }
        salvage.saved.checkins = checkins.len();
        checkins
    }

    fn soreness(&self) -> Vec<crate::SorenessLog> {
        let mut logs = self.rows("soreness_logs", |id| {
            Ok(self.store.query_soreness("id = ?1", [id])?.pop())
        });
        let mut st = self.state.borrow_mut();
        let State {
            salvage, episodes, ..
        } = &mut *st;
        for l in &mut logs {
            if let Some(e) = l.data.episode_id.filter(|e| !episodes.contains(&e.0)) {
                salvage.unlinked.push(format!(
                    "soreness log {}: its episode {e} was lost; kept outside any episode",
                    l.id
                ));
                l.data.episode_id = None;
            }
        }
        salvage.saved.soreness = logs.len();
        logs
    }
}

impl Serialize for SalvageStream<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        // Field order matters: runs are written before check-ins so that a check-in's link to a
        // lost run is known to be lost when the check-in is written.
        let mut st = s.serialize_struct("Export", 9)?;
        st.serialize_field("format", EXPORT_FORMAT)?;
        st.serialize_field("version", &EXPORT_VERSION)?;
        st.serialize_field("schema_version", &SCHEMA_VERSION)?;
        st.serialize_field("profile", &self.profile())?;
        st.serialize_field("files", &self.files())?;
        st.serialize_field("runs", &SalvagedRuns(self))?;
        st.serialize_field("episodes", &self.episodes())?;
        st.serialize_field("checkins", &self.checkins())?;
        st.serialize_field("soreness", &self.soreness())?;
        st.end()
    }
}

/// The runs, read and written one at a time.
struct SalvagedRuns<'a, 'b>(&'b SalvageStream<'a>);

impl Serialize for SalvagedRuns<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let stream = self.0;
        let mut seq = s.serialize_seq(None)?;
        for id in stream.ids("runs") {
            let run = match stream.store.get_run(RunId(id)) {
                Ok(run) => run,
                Err(StoreError::NotFound { .. }) => continue,
                Err(e) => {
                    stream.lose("runs", id, e);
                    continue;
                }
            };
            let FileId(file) = run.file_id;
            if !stream.state.borrow().files.contains(&file) {
                stream.lose(
                    "runs",
                    id,
                    format!("its file record {file} was lost, and a run needs one to restore"),
                );
                continue;
            }
            seq.serialize_element(&run)?;
            let mut st = stream.state.borrow_mut();
            st.runs.insert(id);
            st.salvage.saved.runs += 1;
        }
        seq.end()
    }
}
