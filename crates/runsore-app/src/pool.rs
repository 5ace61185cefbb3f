//! A few SQLite connections to one store, each used by one call at a time.
//!
//! SQLite in WAL mode lets readers go on while one writer writes, so each call takes a
//! connection of its own instead of queueing behind one lock around the whole store. A store in
//! memory exists only on its one connection, so there the calls take turns.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use runsore_store::Store;

use crate::{AppError, Result};

/// The most connections open at once; a call beyond them waits for one to come back.
// Opened once and kept: a connection opened per call costs more than most calls (the web's
// blocking pool runs a call per request in flight, so under load more than this were once opened
// and closed again for every request). Each keeps its own page cache, which this bounds too.
const MAX_OPEN: usize = 16;

/// Where connections come from.
#[derive(Debug)]
enum Source {
    /// A file: a new connection can be opened at any time.
    File(PathBuf),
    /// A file opened to read only (a read-only command, or a read-only folder).
    ReadOnly(PathBuf),
    /// Memory: the one connection is all there is.
    Memory,
}

/// The connections to one store.
#[derive(Debug)]
pub(crate) struct Pool {
    source: Source,
    idle: Mutex<Idle>,
    returned: Condvar,
}

/// The connections not in use, and how many are open in all.
#[derive(Debug)]
struct Idle {
    stores: Vec<Store>,
    open: usize,
}

impl Idle {
    fn one(store: Store) -> Mutex<Idle> {
        Mutex::new(Idle {
            stores: vec![store],
            open: 1,
        })
    }
}

/// Puts the connection back when the call is over, also when it panicked.
struct Lease<'a> {
    pool: &'a Pool,
    store: Option<Store>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let (Some(store), Ok(mut idle)) = (self.store.take(), self.pool.idle.lock()) {
            idle.stores.push(store);
            self.pool.returned.notify_one();
        }
    }
}

impl Pool {
    pub(crate) fn open(path: &Path) -> Result<Pool> {
        // Opening once up front creates and migrates the store, and reports a bad path early.
        let first = Store::open(path)?;
        Ok(Pool {
            source: Source::File(path.to_path_buf()),
            idle: Idle::one(first),
            returned: Condvar::new(),
        })
    }

    pub(crate) fn open_read_only(path: &Path) -> Result<Pool> {
        let first = Store::open_read_only(path)?;
        Ok(Pool {
            source: Source::ReadOnly(path.to_path_buf()),
            idle: Idle::one(first),
            returned: Condvar::new(),
        })
    }

    /// The store's file when it is opened to write and in WAL mode (its revision can then be
    /// watched through the `-shm` index, `walwatch.rs`).
    pub(crate) fn wal_file(&self) -> Option<PathBuf> {
        let Source::File(path) = &self.source else {
            return None;
        };
        let wal = self
            .with(|s| Ok(s.journal_mode()?))
            .is_ok_and(|mode| mode.eq_ignore_ascii_case("wal"));
        wal.then(|| path.clone())
    }

    pub(crate) fn in_memory() -> Result<Pool> {
        Ok(Pool {
            source: Source::Memory,
            idle: Idle::one(Store::open_in_memory()?),
            returned: Condvar::new(),
        })
    }

    fn take(&self) -> Result<Store> {
        let poisoned = || AppError::Conflict("the connection pool was poisoned".into());
        let mut idle = self.idle.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(store) = idle.stores.pop() {
                return Ok(store);
            }
            let read_only = match &self.source {
                Source::File(path) if idle.open < MAX_OPEN => (path, false),
                Source::ReadOnly(path) if idle.open < MAX_OPEN => (path, true),
                // All in use (a store in memory has only its one): wait for one to come back.
                _ => {
                    idle = self.returned.wait(idle).map_err(|_| poisoned())?;
                    continue;
                }
            };
            idle.open += 1;
            drop(idle);
            let opened = Store::reopen(read_only.0, read_only.1);
            if opened.is_err() {
                // Not open after all: another call may try again.
                if let Ok(mut idle) = self.idle.lock() {
                    idle.open -= 1;
                }
                self.returned.notify_one();
            }
            return Ok(opened?);
        }
    }

    /// Runs `f` with a connection that is open and idle now, or answers `None` at once: never
    /// waits for one to come back and never opens one (a caller on an async worker must not
    /// block, and a short read is not worth a new connection).
    pub(crate) fn try_with<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Option<Result<T>> {
        // The lock is held only to pop a connection off the list.
        let store = self.idle.lock().ok()?.stores.pop()?;
        let lease = Lease {
            pool: self,
            store: Some(store),
        };
        Some(f(lease
            .store
            .as_ref()
            .expect("a lease holds its store until dropped")))
    }

    pub(crate) fn with<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let lease = Lease {
            pool: self,
            store: Some(self.take()?),
        };
        f(lease
            .store
            .as_ref()
            .expect("a lease holds its store until dropped"))
    }
}
