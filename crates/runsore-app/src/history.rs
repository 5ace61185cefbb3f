//! The runner's episodes as `runsore history` lists them, and the quick soreness log between
//! check-ins (`runsore log`): the use cases over the store's episodes, so no front end reads or
//! writes them on its own.

use runsore_model::Region;
use runsore_store::{Episode, EpisodeHistory, NewSoreness, SorenessLog};

use crate::{App, Result};

/// The episodes, most recent first, and the soreness logged outside any episode.
#[derive(Debug, Clone)]
pub struct Episodes {
    /// At most the number asked for, most recently opened first, each with its check-ins and
    /// soreness logs.
    pub episodes: Vec<EpisodeHistory>,
    /// Soreness logged outside any episode (before the first check-in, or after one closed),
    /// oldest first.
    pub loose: Vec<SorenessLog>,
}

impl App {
    /// The `limit` most recently opened episodes, and the loose soreness logs.
    pub fn episodes(&self, limit: usize) -> Result<Episodes> {
        self.with_store(|s| {
            let mut episodes = s.list_episodes()?;
            episodes.sort_by_key(|e| std::cmp::Reverse((e.episode.opened_utc, e.episode.id.0)));
            episodes.truncate(limit);
            let loose = s
                .soreness_between(i64::MIN, i64::MAX)?
                .into_iter()
                .filter(|l| l.data.episode_id.is_none())
                .collect();
            Ok(Episodes { episodes, loose })
        })
    }

    /// Logs soreness `level` (0 to 10) at `now_utc` in the open episode, if there is one; the
    /// episode it went to.
    pub fn log_soreness(
        &self,
        level: u8,
        regions: Vec<Region>,
        note: Option<String>,
        now_utc: i64,
    ) -> Result<Option<Episode>> {
        if level > 10 {
            return Err(crate::AppError::field(
                "level",
                format!("soreness is 0 to 10, got {level}"),
            ));
        }
        self.with_store(|s| {
            let episode = s.current_episode()?;
            s.log_soreness(&NewSoreness {
                at_utc: now_utc,
                level,
                regions,
                note,
                episode_id: episode.as_ref().map(|e| e.id),
            })?;
            Ok(episode)
        })
    }
}
