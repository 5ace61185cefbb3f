//! `runsore restore FILE`: reads a `runsore export` back into an empty store, exactly.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use runsore_store::{Export, Store};

use crate::{Ctx, ctx::bad_input};

/// Restore an export (runsore-export.json) into an empty store.
#[derive(Debug, Args)]
pub struct Cmd {
    /// The runsore-export.json written by `runsore export`.
    file: PathBuf,
}

impl Cmd {
    /// Restores the export.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let bytes = std::fs::read(&self.file)
            .map_err(|e| bad_input(format!("{}: {e}", self.file.display())))?;
        let export: Export = serde_json::from_slice(&bytes).map_err(|e| {
            bad_input(format!(
                "{}: not a runsore export: {e} (line {}, column {})",
                self.file.display(),
                e.line(),
                e.column()
            ))
        })?;
        let db = ctx.db_path()?;
        let store =
            Store::open(&db).with_context(|| format!("opening the store {}", db.display()))?;
        store
            .import_all(&export)
            .map_err(|e| bad_input(format!("{}: {e}", self.file.display())))?;
        if ctx.json {
            outln!(
                "{}",
                serde_json::json!({"runs": export.runs.len(), "checkins": export.checkins.len(), "episodes": export.episodes.len()})
            );
        } else {
            outln!(
                "restored {} runs, {} episodes and {} check-ins",
                export.runs.len(),
                export.episodes.len(),
                export.checkins.len()
            );
        }
        Ok(())
    }
}
