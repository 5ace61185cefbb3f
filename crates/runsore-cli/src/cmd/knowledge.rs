//! `runsore knowledge`: the conditions runsore knows, their usual triage and their sources.

use clap::Args;

use crate::Ctx;

/// List the conditions in the knowledge base and the sources behind them.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Show one condition in full (its id, e.g. doms).
    id: Option<String>,
}

impl Cmd {
    /// Prints the listing.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let kb = runsore_triage::knowledge();
        let conditions: Vec<_> = kb
            .conditions
            .iter()
            .filter(|c| self.id.as_deref().is_none_or(|id| c.id == id))
            .collect();
        if conditions.is_empty() {
            let ids: Vec<_> = kb.conditions.iter().map(|c| c.id.as_str()).collect();
            return Err(crate::ctx::bad_input(format!(
                "no condition {:?}; known: {}",
                self.id.unwrap_or_default(),
                ids.join(", ")
            )));
        }
        if ctx.json {
            outln!("{}", serde_json::to_string_pretty(&conditions)?);
            return Ok(());
        }
        outln!("runsore knowledge base, version {}\n", kb.version);
        for c in conditions {
            outln!("{} ({})\n  {}", c.name, c.id, c.summary);
            if self.id.is_some() {
                outln!("{}", serde_json::to_string_pretty(c)?);
            }
        }
        Ok(())
    }
}
