//! `runsore restore FILE`: reads a `runsore export` back into an empty store, exactly, through
//! `runsore_app::App::restore`.

use std::path::PathBuf;

use clap::Args;

use crate::{Ctx, ctx::bad_input};

/// Restore an export (runsore-export.json) into an empty store.
#[derive(Debug, Args)]
pub struct Cmd {
    /// The runsore-export.json written by `runsore export`.
    file: PathBuf,
}

impl Cmd {
    /// The command for one export file (`runsore import runsore-export.json` comes here too).
    pub fn new(file: PathBuf) -> Cmd {
        Cmd { file }
    }

    /// Restores the export.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let name = self.file.display().to_string();
        let file =
            std::fs::File::open(&self.file).map_err(|e| bad_input(format!("{name}: {e}")))?;
        // Streams run by run, in one transaction: all of the export or nothing.
        let counts = crate::app::open(ctx)?.restore(&name, file)?;
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
