//! A few SQLite connections to one store, each used by one call at a time.
//!
//! SQLite in WAL mode lets readers go on while one writer writes, so each call takes a
//! connection of its own instead of queueing behind one lock around the whole store. A store in
//! memory exists only on its one connection, so there the calls take turns.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use runsore_store::Store;

use crate::{AppError, Result};

/// Idle connections kept for reuse; more are opened under load and closed afterwards.
// Enough for the web's busiest moments: a connection dropped for want of room is a page cache
// thrown away and a file opened again.
const MAX_IDLE: usize = 16;

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
    idle: Mutex<Vec<Store>>,
    returned: Condvar,
}

/// Puts the connection back when the call is over, also when it panicked.
struct Lease<'a> {
    pool: &'a Pool,
    store: Option<Store>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let (Some(store), Ok(mut idle)) = (self.store.take(), self.pool.idle.lock())
            && idle.len() < MAX_IDLE
        {
            idle.push(store);
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
            idle: Mutex::new(vec![first]),
            returned: Condvar::new(),
        })
    }

    pub(crate) fn open_read_only(path: &Path) -> Result<Pool> {
        let first = Store::open_read_only(path)?;
        Ok(Pool {
            source: Source::ReadOnly(path.to_path_buf()),
            idle: Mutex::new(vec![first]),
            returned: Condvar::new(),
        })
    }

    pub(crate) fn in_memory() -> Result<Pool> {
        Ok(Pool {
            source: Source::Memory,
            idle: Mutex::new(vec![Store::open_in_memory()?]),
            returned: Condvar::new(),
        })
    }

    fn take(&self) -> Result<Store> {
        let poisoned = || AppError::Conflict("the connection pool was poisoned".into());
        let mut idle = self.idle.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(store) = idle.pop() {
                return Ok(store);
            }
            match &self.source {
                Source::File(path) => {
                    drop(idle);
                    return Ok(Store::reopen(path, false)?);
                }
                Source::ReadOnly(path) => {
                    drop(idle);
                    return Ok(Store::reopen(path, true)?);
                }
                Source::Memory => idle = self.returned.wait(idle).map_err(|_| poisoned())?,
            }
        }
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
