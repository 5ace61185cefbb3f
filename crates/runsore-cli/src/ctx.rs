//! What every subcommand shares: output mode, the store's location, and the bad-input marker.

use std::path::PathBuf;

use anyhow::Context as _;

/// Marks an error as the user's input being wrong, so the process exits with code 2.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Returns a bad-input error with the given message.
pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

/// The shared context of one invocation.
#[derive(Debug)]
pub struct Ctx {
    db: Option<PathBuf>,
    /// Print JSON instead of text.
    pub json: bool,
    now: Option<i64>,
}

impl Ctx {
    /// Builds the context from the global flags.
    pub fn new(db: Option<PathBuf>, json: bool, now: Option<i64>) -> Ctx {
        Ctx { db, json, now }
    }

    /// Now, in Unix seconds: `--now` when given (to replay a day), else the clock.
    pub fn now_utc(&self) -> i64 {
        self.now.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        })
    }

    /// The `--now` given, if any.
    pub fn fixed_now(&self) -> Option<i64> {
        self.now
    }

    /// The store's path: `--db`, `RUNSORE_DB`, or runsore.db in the platform data directory.
    pub fn db_path(&self) -> anyhow::Result<PathBuf> {
        if let Some(path) = &self.db {
            return Ok(path.clone());
        }
        let dirs = directories::ProjectDirs::from("", "", "runsore")
            .context("cannot find a home directory for the store; pass --db PATH")?;
        let dir = dirs.data_dir();
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        Ok(dir.join("runsore.db"))
    }

    /// Whether a store exists already (so read-only commands need not create one).
    pub fn db_exists(&self) -> bool {
        self.db_path().map(|p| p.exists()).unwrap_or(false)
    }
}
