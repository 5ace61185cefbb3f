//! The store's revision without a SQLite transaction per request, for the hot paths that only
//! need to know whether anything changed (`POST /api/assess`, the runs pages): a read
//! transaction on a WAL store takes and drops locks on its `-shm` index (some 5% of an
//! assessment's server time). Every commit, by this process or any other (`runsore import`
//! while the server runs), rewrites the WAL index header at the start of the `-shm` file: its
//! change counter moves with each transaction, and a reader of the database only sees a commit
//! once the header says so. So while the header's bytes are the ones seen just before the
//! revision was last read, no commit has happened since and that revision is current. Anything
//! else (the header changed or half-written, no `-shm`, a store not in WAL mode) reads the
//! revision from the store as before.
//!
//! The `-shm` handle is kept, so it must name the file SQLite uses: SQLite deletes the `-shm`
//! only when the last connection to the database closes, and the app's pool (`pool.rs`) opens
//! its connections once and keeps them for the app's life (a call's connection goes back to the
//! pool even when the call panics), so while the app can ask, the file cannot be replaced.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The two copies of the WAL index header (48 bytes each) at the start of the `-shm` file.
const HEADER: usize = 96;

/// The header as last seen, and the revision read just after seeing it.
#[derive(Debug)]
struct Seen {
    shm: File,
    header: [u8; HEADER],
    revision: i64,
}

/// Watches one WAL store's index header.
#[derive(Debug)]
pub(crate) struct WalWatch {
    shm_path: PathBuf,
    seen: Mutex<Option<Seen>>,
}

impl WalWatch {
    /// A watch over the store at `db` (its `-shm` beside it), for a store in WAL mode only.
    pub(crate) fn new(db: &Path) -> WalWatch {
        let mut name = db.as_os_str().to_owned();
        name.push("-shm");
        WalWatch {
            shm_path: PathBuf::from(name),
            seen: Mutex::new(None),
        }
    }

    /// The header now, when it is whole and initialised (both copies equal, `isInit` set).
    fn header(shm: &File) -> Option<[u8; HEADER]> {
        let mut now = [0u8; HEADER];
        read_at(shm, &mut now)?;
        (now[..48] == now[48..] && now[12] == 1).then_some(now)
    }

    /// The revision, from what was seen when the header has not changed since; else from
    /// `read` (the store's own revision read), noting the header seen just before it.
    pub(crate) fn revision(&self, read: impl FnOnce() -> Option<i64>) -> Option<i64> {
        let mut seen = self.seen.lock().ok()?;
        if let Some(s) = seen.as_ref()
            && Self::header(&s.shm) == Some(s.header)
        {
            return Some(s.revision);
        }
        // The header first, then the revision: a commit in between leaves a header older than
        // the revision read, which only means reading again next time; never a stale answer.
        let shm = match seen.take() {
            Some(s) => Some(s.shm),
            None => File::open(&self.shm_path).ok(),
        };
        let header = shm.as_ref().and_then(Self::header);
        let revision = read()?;
        if let (Some(shm), Some(header)) = (shm, header) {
            *seen = Some(Seen {
                shm,
                header,
                revision,
            });
        }
        Some(revision)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8]) -> Option<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, 0).ok()
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8]) -> Option<()> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// The revision is read from the store once while nothing commits, and again after every
    /// commit by another connection (as `runsore import` in another process makes them), with
    /// the new value each time.
    #[test]
    fn a_commit_by_another_connection_is_seen_and_nothing_else_reads() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("runs.db");
        let store = runsore_store::Store::open(&path).expect("a store");
        assert!(
            store
                .journal_mode()
                .expect("mode")
                .eq_ignore_ascii_case("wal")
        );
        let other = rusqlite::Connection::open(&path).expect("another connection");
        let watch = WalWatch::new(&path);
        let reads = Cell::new(0);
        let revision = || {
            watch.revision(|| {
                reads.set(reads.get() + 1);
                store.revision().ok()
            })
        };
        let first = revision().expect("a revision");
        for _ in 0..5 {
            assert_eq!(revision(), Some(first));
        }
        assert_eq!(reads.get(), 1, "an unchanged store is not read again");
        for n in 1..=20 {
            other
                .execute("UPDATE revision SET n = n + 1 WHERE id = 1", [])
                .expect("a commit");
            assert_eq!(revision(), Some(first + n), "commit {n}");
            assert_eq!(revision(), Some(first + n));
        }
        assert_eq!(reads.get(), 21);
        // A checkpoint that restarts the log (new salts, frames from the start) is a change of
        // header, not of data: read again, the same revision.
        other
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpointed");
        other
            .execute("UPDATE revision SET n = n + 1 WHERE id = 1", [])
            .expect("a commit after the restart");
        assert_eq!(revision(), Some(first + 21));
    }
}
