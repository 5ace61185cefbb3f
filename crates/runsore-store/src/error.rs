//! The store's error type: every failure names what was being done and on what.

use std::path::PathBuf;

/// A failure of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or is not a SQLite database.
    #[error("cannot open store {path}: {source}")]
    Open {
        /// The path given.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The store was written by a newer runsore; it is left untouched.
    #[error(
        "store {path} has schema version {found} but this runsore knows versions up to {supported}; \
         use a newer runsore (the store was not modified)"
    )]
    TooNew {
        /// The path given.
        path: PathBuf,
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// SQLite's integrity check (`PRAGMA quick_check`) found damage when the store was opened;
    /// nothing was read or written past it.
    #[error(
        "store {path} is damaged ({detail}); it was not modified: restore it from an export \
         (`runsore restore`) or move it away to start a new one"
    )]
    Damaged {
        /// The path given.
        path: PathBuf,
        /// The first problems SQLite reported.
        detail: String,
    },
    /// A schema migration failed; the store stays at the version before it.
    #[error("migrating the store to schema version {version} failed: {source}")]
    Migration {
        /// The version being migrated to.
        version: i64,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("{context}: {source}")]
    Sql {
        /// What the store was doing.
        context: String,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// Data read from the store is damaged or not what this version wrote.
    #[error("damaged data in the store ({table} {id}): {what}")]
    Corrupt {
        /// The table the row came from.
        table: &'static str,
        /// The row's id.
        id: i64,
        /// What is wrong.
        what: String,
    },
    /// A value given to the store is not acceptable.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field at fault.
        field: &'static str,
        /// Why it is refused.
        reason: String,
    },
    /// A row asked for does not exist.
    #[error("{what} {id} not found")]
    NotFound {
        /// What kind of row (`run`, `episode`, `check-in`).
        what: &'static str,
        /// The id asked for.
        id: i64,
    },
    /// An episode is already open, so another cannot be opened.
    #[error("episode {id} is already open; close it before opening another")]
    EpisodeAlreadyOpen {
        /// The open episode.
        id: i64,
    },
    /// The episode is closed and cannot take this change.
    #[error("episode {id} is closed")]
    EpisodeClosed {
        /// The closed episode.
        id: i64,
    },
    /// Importing an export needs an empty store.
    #[error("cannot import an export into a store that already holds {what}")]
    NotEmpty {
        /// What the store already holds.
        what: String,
    },
    /// JSON could not be written or read.
    #[error("{context}: {source}")]
    Json {
        /// What the store was doing.
        context: String,
        /// serde_json's reason.
        source: serde_json::Error,
    },
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Adds context to a SQLite error.
pub(crate) trait SqlContext<T> {
    /// Wraps the error with what the store was doing.
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> SqlContext<T> for std::result::Result<T, rusqlite::Error> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| StoreError::Sql {
            context: context(),
            source,
        })
    }
}
