//! The stored runs listed with filters (`runsore runs`), and one run with its details: the same
//! rows as the web's list ([`RunRow`]), so a run's figures and its "implausible" mark are worked
//! out once for every front end.

use runsore_model::Sport;
use runsore_store::{RunFilter, RunId, StoredRun};

use crate::views::{RunRow, run_row};
use crate::{App, Result};

/// The most runs one filtered list holds.
pub const MAX_LIST: usize = 100_000;

/// What a filtered list of runs asks for.
#[derive(Debug, Clone, Default)]
pub struct RunQuery {
    /// Runs starting at or after this time (seconds since the epoch, UTC).
    pub from_utc: Option<i64>,
    /// Runs starting before this time.
    pub to_utc: Option<i64>,
    /// Only this sport.
    pub sport: Option<Sport>,
    /// How many of the matching runs, most recent first, to pass over.
    pub offset: usize,
    /// At most this many runs (1 to [`MAX_LIST`]).
    pub limit: usize,
}

/// A stored run as listed: the row every front end shows, and the stored run (without its
/// samples) for the details only some show (device, format, warnings, the device's summary).
#[derive(Debug, Clone)]
pub struct ListedRun {
    /// The row, as the web's list shows it.
    pub row: RunRow,
    /// The run as stored.
    pub stored: StoredRun,
}

impl ListedRun {
    fn of(stored: StoredRun) -> ListedRun {
        ListedRun {
            row: run_row(&stored),
            stored,
        }
    }
}

/// A page of a filtered list of runs.
#[derive(Debug, Clone)]
pub struct RunList {
    /// The runs, most recent first.
    pub runs: Vec<ListedRun>,
    /// Whether more runs match after these.
    pub more: bool,
}

impl App {
    /// The stored runs matching `query`, most recent first.
    pub fn runs(&self, query: &RunQuery) -> Result<RunList> {
        let limit = query.limit.clamp(1, MAX_LIST);
        let filter = RunFilter {
            from: query.from_utc,
            to: query.to_utc,
            sport: query.sport.clone(),
            // One more than asked for, to know whether more follow.
            limit: Some(query.offset.saturating_add(limit).saturating_add(1)),
        };
        let all = self.with_store(|s| Ok(s.list_runs(&filter)?))?;
        let more = all.len() > query.offset.saturating_add(limit);
        Ok(RunList {
            runs: all
                .into_iter()
                .skip(query.offset)
                .take(limit)
                .map(ListedRun::of)
                .collect(),
            more,
        })
    }

    /// One stored run with its details; [`crate::AppError::NotFound`] when there is no such run.
    pub fn run(&self, id: i64) -> Result<ListedRun> {
        let stored = self.with_store(|s| Ok(s.get_run(RunId(id))?))?;
        Ok(ListedRun::of(stored))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppError;

    #[test]
    fn an_unknown_run_is_not_found() {
        let app = App::in_memory().unwrap();
        assert!(matches!(app.run(7), Err(AppError::NotFound)));
        let list = app
            .runs(&RunQuery {
                limit: 10,
                ..RunQuery::default()
            })
            .unwrap();
        assert!(list.runs.is_empty() && !list.more);
    }
}
