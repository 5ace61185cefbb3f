//! The SQLite store, the only crate that knows SQL: schema and migrations, runs with their
//! samples, the runner's profile, check-ins and episodes, and export/import of all of it.
//!
//! A [`Store`] wraps one connection. It is `Send` but not `Sync`: a server shares it behind a
//! mutex or opens one per worker; any number of stores (threads or processes) may open the same
//! file at once. The store holds no medical or training logic: assessments are kept as the JSON
//! the engine produced, and every time is a parameter (no clock is read here).
//!
//! ```
//! use runsore_store::{RunFilter, Store};
//!
//! let store = Store::open_in_memory()?;
//! let episode = store.open_episode(1_793_491_200, Some("left buttock"))?;
//! assert_eq!(store.current_episode()?, Some(episode));
//! assert!(store.list_runs(&RunFilter { limit: Some(10), ..Default::default() })?.is_empty());
//! # Ok::<(), runsore_store::StoreError>(())
//! ```
//!
//! Tables (see `schema.rs`): `files` (one row per imported file, unique content hash), `runs`
//! (summary columns, the device's own totals beside the recomputed ones, samples as one compact
//! BLOB), `profile` (one row), `episodes` (at most one open), `checkins` (intake, evidence and
//! result as JSON text), `checkin_runs`, `soreness_logs`.

mod checkins;
mod error;
mod export;
mod profile;
mod runs;
mod salvage;
mod samples;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use checkins::{
    CheckIn, CheckInId, CheckInKind, Episode, EpisodeHistory, EpisodeId, NewCheckIn, NewSoreness,
    SorenessId, SorenessLog,
};
pub use error::{Result, StoreError};
pub use export::{EXPORT_FORMAT, EXPORT_VERSION, Export, ExportedFile, ImportCounts};
pub use profile::Profile;
pub use runs::{
    DUPLICATE_TOLERANCE_S, EncodedSamples, FileId, FileRecord, InsertOutcome, RunFilter, RunId,
    RunKey, RunOutcome, StoredRun,
};
pub use salvage::{LostRow, PROBE_LIMIT, Salvage};
pub use schema::SCHEMA_VERSION;

use error::SqlContext;

/// How long a writer waits for another connection's write to finish before giving up.
///
/// Writes are short (one file's runs, one check-in), so 5 s is far beyond any real wait; it is
/// what keeps a CLI import and the web app from ever showing "database is locked".
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// SQLite's `quick_check`: empty when the store is sound, else its first few findings.
fn quick_check(conn: &Connection) -> rusqlite::Result<String> {
    let mut st = conn.prepare("PRAGMA quick_check(5)")?;
    let rows: Vec<String> = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if rows.len() == 1 && rows[0] == "ok" {
        String::new()
    } else {
        rows.join("; ")
    })
}

/// Whether SQLite could not open or build the WAL index (`-shm`) of a read-only connection.
fn cannot_index_wal(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    )
}

/// The store's `-wal` file.
fn wal_file(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// A `file:` URI for `path` with `immutable=1`, its special characters percent-encoded.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(*b));
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// The revision of the runs and the profile ([`Store::figures_revision`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiguresRevision {
    /// Moves with every run added, removed or changed, and every change to the profile.
    pub n: i64,
    /// Moves only when a stored run is changed in place (never by runsore itself): what was
    /// derived from each run must then be derived again, not only for the runs added.
    pub edits: i64,
}

/// Whether SQLite answered "busy" or "locked".
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// An open runsore store.
pub struct Store {
    conn: Connection,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.conn.path())
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) the store at `path` and migrates it to [`SCHEMA_VERSION`].
    ///
    /// A store written by a newer runsore is refused with [`StoreError::TooNew`] before anything
    /// is written to it.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let started = std::time::Instant::now();
        loop {
            let conn = Connection::open(path).map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
            match Store::setup(conn, path.to_path_buf()) {
                // While another connection switches a new file to WAL or recovers its index,
                // SQLite can answer "busy" without calling the busy handler; opening again
                // after a moment succeeds, so retry within the same busy timeout.
                Err(StoreError::Open { source, .. })
                    if is_busy(&source) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    /// Opens the store at `path` to read only: nothing is created, migrated or written, so a
    /// store in a read-only folder (or a read-only file) still lists its runs. A store of an
    /// older schema is opened read-write once to migrate it (which needs write access), a
    /// newer or damaged one refused as by [`Store::open`].
    ///
    /// A store in WAL mode needs its `-shm` index, which SQLite creates beside the file; in a
    /// folder where it cannot, and when no `-wal` file is left (a clean close removes both),
    /// the store is opened as immutable: nothing can be writing to it then.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        let conn = match schema::version(&conn) {
            Ok(_) => conn,
            Err(e) if cannot_index_wal(&e) && !wal_file(path).exists() => {
                drop(conn);
                let conn =
                    Connection::open_with_flags(immutable_uri(path), flags).map_err(open_err)?;
                conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
                conn
            }
            Err(e) => return Err(open_err(e)),
        };
        let found = schema::version(&conn).map_err(open_err)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found < SCHEMA_VERSION {
            drop(conn);
            return Store::open(path);
        }
        let problems = quick_check(&conn).map_err(open_err)?;
        if !problems.is_empty() {
            return Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail: problems,
            });
        }
        Ok(Store { conn })
    }

    /// Opens one more connection to a store this process has already opened with
    /// [`Store::open`] or [`Store::open_read_only`], which checked its pages and migrated it.
    ///
    /// A connection pool opens its further connections this way: `quick_check` reads every page
    /// of the file, which on a store of years of runs costs far more than the request the
    /// connection is for (it made every store-backed page of the web app 10 to 20 ms of CPU).
    /// The schema version is still read, so a store replaced under the pool is never misread.
    pub fn reopen(path: impl AsRef<Path>, read_only: bool) -> Result<Store> {
        let path = path.as_ref();
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut flags =
            rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        flags |= if read_only {
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
        };
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        let found = match schema::version(&conn) {
            Ok(found) => found,
            // A read-only folder may need the immutable way in: the whole open knows it.
            Err(_) if read_only => return Store::open_read_only(path),
            Err(e) => return Err(open_err(e)),
        };
        if found != SCHEMA_VERSION {
            // Not the store the pool checked: go the whole way.
            drop(conn);
            return if read_only {
                Store::open_read_only(path)
            } else {
                Store::open(path)
            };
        }
        if !read_only {
            conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
                .map_err(open_err)?;
        }
        Ok(Store { conn })
    }

    /// Opens a fresh store in memory (for tests and dry runs).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: PathBuf::from(":memory:"),
            source,
        })?;
        Store::setup(conn, PathBuf::from(":memory:"))
    }

    fn setup(conn: Connection, path: PathBuf) -> Result<Store> {
        let open_err = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        // The version is read before any setting that writes to the file (journal_mode), so a
        // store from a newer runsore is refused untouched. Reading also proves it is SQLite.
        let found = schema::version(&conn).map_err(open_err)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path,
                found,
                supported: SCHEMA_VERSION,
            });
        }
        // Random bytes mid-file were once read and written without complaint until an export
        // failed: check the pages before anything is read or written.
        let problems = quick_check(&conn).map_err(open_err)?;
        if !problems.is_empty() {
            return Err(StoreError::Damaged {
                path,
                detail: problems,
            });
        }
        // WAL lets readers go on while one writer writes; synchronous=NORMAL in WAL mode never
        // corrupts the store on a crash and keeps each commit cheap (only a power cut can lose
        // the last commits, and then whole ones).
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
            .map_err(open_err)?;
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(open_err)?;
        let mut conn = conn;
        schema::migrate_to(&mut conn, SCHEMA_VERSION)?;
        Ok(Store { conn })
    }

    /// The schema version of the open store (always [`SCHEMA_VERSION`] once opened).
    pub fn schema_version(&self) -> Result<i64> {
        schema::version(&self.conn).ctx(|| "reading the schema version".into())
    }

    /// A number that changes whenever another connection (another process, or another `Store`
    /// on the same file) commits a change; a cache of what was read can be kept while it stays
    /// the same. Changes made through this `Store` itself do not move it.
    pub fn data_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .ctx(|| "reading the data version".into())
    }

    /// The store's revision: a number that every committed change to its data moves (an import,
    /// a restore, a deletion, a check-in, the profile), whichever connection or process made it.
    /// Figures derived from the store can be kept while it stays the same; read it before the
    /// data they are derived from, so a change committed in between only costs a recomputation.
    pub fn revision(&self) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT n FROM revision WHERE id = 1")
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .ctx(|| "reading the store's revision".into())
    }

    /// The journal mode SQLite reports (`wal` for a store file opened to write).
    pub fn journal_mode(&self) -> Result<String> {
        self.conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .ctx(|| "reading the journal mode".into())
    }

    /// The revision of what the training figures are derived from: it moves with every change
    /// to the runs or the profile (never with a check-in), so figures derived from them can be
    /// kept across check-ins. Read it, like [`Store::revision`], before the data.
    pub fn figures_revision(&self) -> Result<FiguresRevision> {
        self.conn
            .prepare_cached("SELECT n, edits FROM figures_revision WHERE id = 1")
            .and_then(|mut st| {
                st.query_row([], |r| {
                    Ok(FiguresRevision {
                        n: r.get(0)?,
                        edits: r.get(1)?,
                    })
                })
            })
            .ctx(|| "reading the figures' revision".into())
    }

    /// Runs SQLite's own consistency check; `Ok(())` when it reports `ok`.
    pub fn integrity_check(&self) -> Result<()> {
        let report: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .ctx(|| "running the integrity check".into())?;
        if report == ["ok"] {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                table: "database",
                id: 0,
                what: report.join("; "),
            })
        }
    }

    /// Starts a write transaction, taking the write lock at once.
    ///
    /// A deferred transaction that reads and then writes cannot wait for the lock (SQLite
    /// returns "database is locked" at once to avoid a deadlock); IMMEDIATE waits up to the busy
    /// timeout instead.
    fn write_tx(&self, what: &str) -> Result<Transaction<'_>> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .ctx(|| format!("locking the store to {what}"))
    }
}

// Lets the shared test fixtures (tests/common) name this crate from the unit tests too.
#[cfg(test)]
extern crate self as runsore_store;
#[cfg(test)]
mod tests;
