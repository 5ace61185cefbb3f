//! `runsore log LEVEL`: a quick soreness note (0-10 and where) without the questionnaire, kept in
//! the open episode (`runsore_app::App::log_soreness`) so that `runsore history` shows it beside
//! the check-ins.

use clap::Args;
use runsore_model::Region;

use crate::{Ctx, ctx::bad_input};

/// Log how sore you are right now (0 none to 10 worst), and where, in a second.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Soreness from 0 (none) to 10 (worst imaginable).
    level: u8,
    #[arg(long = runsore_model::paths::WHERE, value_delimiter = ',', help = where_help())]
    regions: Vec<String>,
    /// A short note.
    #[arg(long)]
    note: Option<String>,
}

/// The regions of the intake's `where`, read from the model, so the help never lists fewer.
fn where_help() -> String {
    let ids: Vec<&str> = Region::ALL.iter().map(|r| r.id()).collect();
    format!(
        "Where: {}, or your own word for it (glutes, hamstring); repeat or separate with commas",
        ids.join(", ")
    )
}

impl Cmd {
    /// Stores the log.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        if self.level > 10 {
            return Err(bad_input(format!(
                "LEVEL must be 0 to 10, got {}",
                self.level
            )));
        }
        let mut regions = Vec::new();
        for r in &self.regions {
            let word = r.trim();
            // A region's id, or the runner's own word for it read with the story reader's
            // vocabulary ("glutes", "bum", "hip flexor"), so both front doors know the same words.
            let found: Vec<Region> = match Region::ALL.into_iter().find(|x| x.id() == word) {
                Some(region) => vec![region],
                None if word.len() <= 60 => runsore_story::read_story(&format!("my {word} hurts"))
                    .intake
                    .r#where
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            if found.is_empty() {
                let known: Vec<_> = Region::ALL.iter().map(|x| x.id()).collect();
                return Err(bad_input(format!(
                    "--where: unknown region {r:?}; known: {} (or words such as glutes, bum, \
                     hamstring)",
                    known.join(", ")
                )));
            }
            for region in found {
                if !regions.contains(&region) {
                    regions.push(region);
                }
            }
        }
        let region_words: Vec<String> = regions.iter().map(|r| r.id().replace('_', " ")).collect();
        let episode =
            crate::app::open(ctx)?.log_soreness(self.level, regions, self.note, ctx.now_utc())?;
        if ctx.json {
            outln!(
                "{}",
                serde_json::json!({"logged": self.level, "episode": episode.map(|e| e.id.0)})
            );
        } else {
            outln!(
                "logged soreness {}/10{}{}",
                self.level,
                if region_words.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", region_words.join(", "))
                },
                episode
                    .map(|e| format!(" in episode {}", e.id))
                    .unwrap_or_default()
            );
        }
        Ok(())
    }
}
