//! `runsore restore FILE`: reads a `runsore export` back into an empty store, exactly.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use runsore_store::Store;

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
        let file = std::fs::File::open(&self.file)
            .map_err(|e| bad_input(format!("{}: {e}", self.file.display())))?;
        let db = ctx.db_path()?;
        let store =
            Store::open(&db).with_context(|| format!("opening the store {}", db.display()))?;
        // Streams run by run, in one transaction: all of the export or nothing.
        let counts = store
            .import_json(file)
            .map_err(|e| bad_input(format!("{}: {e}", self.file.display())))?;
        if ctx.json {
            outln!(
                "{}",
                serde_json::json!({"runs": counts.runs, "checkins": counts.checkins, "episodes": counts.episodes})
            );
        } else {
            outln!(
                "restored {} runs, {} episodes and {} check-ins",
                counts.runs,
                counts.episodes,
                counts.checkins
            );
        }
        Ok(())
    }
}
