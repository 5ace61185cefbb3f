//! Check-ins, quick soreness logs and the episodes that group them.
//!
//! An assessment is kept as the JSON the engine read and wrote (intake, derived evidence,
//! result) with the knowledge-base version: the store never interprets it, so a later engine can
//! re-read old check-ins without a schema change. Times are parameters, never read from a clock.

use runsore_model::{Region, bounds};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Result, SqlContext, StoreError};
use crate::{RunId, Store};

/// The id of an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EpisodeId(pub i64);

/// The id of a check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CheckInId(pub i64);

/// The id of a quick soreness log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SorenessId(pub i64);

macro_rules! display_id {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}
display_id!(EpisodeId, CheckInId, SorenessId);

/// A stretch of time about one problem, from its first check-in until it is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// The episode's id.
    pub id: EpisodeId,
    /// When it opened, seconds since the Unix epoch, UTC.
    pub opened_utc: i64,
    /// When it closed; `None` while open.
    pub closed_utc: Option<i64>,
    /// A short title given when it opened (e.g. "left buttock after the hill race").
    pub title: Option<String>,
    /// A note given when it closed (e.g. "resolved", "seen a physio").
    pub close_note: Option<String>,
}

impl Episode {
    /// Whether the episode is still open.
    pub fn is_open(&self) -> bool {
        self.closed_utc.is_none()
    }
}

/// What kind of check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckInKind {
    /// A full assessment from the questionnaire.
    Assessment,
    /// A follow-up of an open episode.
    FollowUp,
}

impl CheckInKind {
    fn as_str(self) -> &'static str {
        match self {
            CheckInKind::Assessment => "assessment",
            CheckInKind::FollowUp => "follow_up",
        }
    }

    fn parse(s: &str) -> Option<CheckInKind> {
        [CheckInKind::Assessment, CheckInKind::FollowUp]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A check-in to store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCheckIn {
    /// When it was made, seconds since the Unix epoch, UTC.
    pub at_utc: i64,
    /// Assessment or follow-up.
    pub kind: CheckInKind,
    /// The episode it belongs to (must exist and be open), if any.
    pub episode_id: Option<EpisodeId>,
    /// The knowledge base version that produced the result.
    pub kb_version: String,
    /// The intake as answered.
    pub intake: Value,
    /// The evidence derived from the runs.
    pub evidence: Value,
    /// The engine's result.
    pub result: Value,
    /// The runs the evidence was derived from.
    pub run_ids: Vec<RunId>,
}

/// A stored check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    /// The check-in's id.
    pub id: CheckInId,
    /// Everything as given to [`Store::add_checkin`].
    #[serde(flatten)]
    pub data: NewCheckIn,
}

/// A quick soreness log to store: how sore (0-10) and where, without the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSoreness {
    /// When, seconds since the Unix epoch, UTC.
    pub at_utc: i64,
    /// Soreness from 0 (none) to 10 (worst imaginable).
    pub level: u8,
    /// Where it hurts.
    pub regions: Vec<Region>,
    /// A free note.
    pub note: Option<String>,
    /// The episode it belongs to (must exist and be open), if any.
    pub episode_id: Option<EpisodeId>,
}

/// A stored soreness log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SorenessLog {
    /// The log's id.
    pub id: SorenessId,
    /// Everything as given to [`Store::log_soreness`].
    #[serde(flatten)]
    pub data: NewSoreness,
}

/// An episode with its check-ins and soreness logs, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeHistory {
    /// The episode.
    pub episode: Episode,
    /// Its check-ins in time order.
    pub checkins: Vec<CheckIn>,
    /// Its soreness logs in time order.
    pub soreness: Vec<SorenessLog>,
}

const EPISODE_COLUMNS: &str = "id, opened_utc, closed_utc, title, close_note";
const CHECKIN_COLUMNS: &str =
    "id, episode_id, at_utc, kind, kb_version, intake_json, evidence_json, result_json";
const SORENESS_COLUMNS: &str = "id, episode_id, at_utc, level, regions_json, note";

fn read_episode(r: &Row<'_>) -> rusqlite::Result<Episode> {
    Ok(Episode {
        id: EpisodeId(r.get(0)?),
        opened_utc: r.get(1)?,
        closed_utc: r.get(2)?,
        title: r.get(3)?,
        close_note: r.get(4)?,
    })
}

/// Raw check-in columns; JSON is parsed after the row is read so damage becomes an error.
type CheckInRow = (
    i64,
    Option<i64>,
    i64,
    String,
    String,
    String,
    String,
    String,
);

fn read_checkin_row(r: &Row<'_>) -> rusqlite::Result<CheckInRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

type SorenessRow = (i64, Option<i64>, i64, i64, String, Option<String>);

fn read_soreness_row(r: &Row<'_>) -> rusqlite::Result<SorenessRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn json_text(value: &Value, field: &'static str) -> Result<String> {
    serde_json::to_string(value).map_err(|source| StoreError::Json {
        context: format!("writing the check-in's {field}"),
        source,
    })
}

impl Store {
    /// Opens an episode at `now`; fails with [`StoreError::EpisodeAlreadyOpen`] if one is open.
    pub fn open_episode(&self, now: i64, title: Option<&str>) -> Result<Episode> {
        check_time("opened_utc", now)?;
        let tx = self.write_tx("open an episode")?;
        if let Some(open) = current_episode(&tx)? {
            return Err(StoreError::EpisodeAlreadyOpen { id: open.id.0 });
        }
        tx.execute(
            "INSERT INTO episodes (opened_utc, title) VALUES (?1, ?2)",
            params![now, title],
        )
        .ctx(|| "opening an episode".into())?;
        let episode = Episode {
            id: EpisodeId(tx.last_insert_rowid()),
            opened_utc: now,
            closed_utc: None,
            title: title.map(str::to_string),
            close_note: None,
        };
        tx.commit().ctx(|| "opening an episode".into())?;
        Ok(episode)
    }

    /// The open episode, if any.
    pub fn current_episode(&self) -> Result<Option<Episode>> {
        current_episode(&self.conn)
    }

    /// One episode.
    pub fn episode(&self, id: EpisodeId) -> Result<Episode> {
        get_episode(&self.conn, id)
    }

    /// Closes an open episode at `now` with an optional note.
    pub fn close_episode(&self, id: EpisodeId, now: i64, note: Option<&str>) -> Result<Episode> {
        check_time("closed_utc", now)?;
        let tx = self.write_tx("close an episode")?;
        let mut episode = get_episode(&tx, id)?;
        if !episode.is_open() {
            return Err(StoreError::EpisodeClosed { id: id.0 });
        }
        if now < episode.opened_utc {
            return Err(StoreError::Invalid {
                field: "closed_utc",
                reason: format!(
                    "{now} is before the episode opened at {}",
                    episode.opened_utc
                ),
            });
        }
        tx.execute(
            "UPDATE episodes SET closed_utc = ?1, close_note = ?2 WHERE id = ?3",
            params![now, note, id.0],
        )
        .ctx(|| format!("closing episode {id}"))?;
        tx.commit().ctx(|| format!("closing episode {id}"))?;
        episode.closed_utc = Some(now);
        episode.close_note = note.map(str::to_string);
        Ok(episode)
    }

    /// Every episode, oldest first, with its check-ins and soreness logs.
    pub fn list_episodes(&self) -> Result<Vec<EpisodeHistory>> {
        let ctx = || "listing episodes".to_string();
        let episodes: Vec<Episode> = self
            .conn
            .prepare(&format!(
                "SELECT {EPISODE_COLUMNS} FROM episodes ORDER BY opened_utc, id"
            ))
            .and_then(|mut st| st.query_map([], read_episode)?.collect())
            .ctx(ctx)?;
        episodes
            .into_iter()
            .map(|episode| {
                Ok(EpisodeHistory {
                    checkins: self.query_checkins("episode_id = ?1", [episode.id.0])?,
                    soreness: self.query_soreness("episode_id = ?1", [episode.id.0])?,
                    episode,
                })
            })
            .collect()
    }

    /// Stores a check-in with the runs it looked at.
    pub fn add_checkin(&self, checkin: &NewCheckIn) -> Result<CheckInId> {
        let intake = json_text(&checkin.intake, "intake")?;
        let evidence = json_text(&checkin.evidence, "evidence")?;
        let result = json_text(&checkin.result, "result")?;
        let tx = self.write_tx("save a check-in")?;
        if let Some(id) = checkin.episode_id {
            require_open(&tx, id)?;
        }
        let id = insert_checkin_row(&tx, None, checkin, &intake, &evidence, &result)?;
        tx.commit().ctx(|| "saving a check-in".into())?;
        Ok(id)
    }

    /// One check-in.
    pub fn checkin(&self, id: CheckInId) -> Result<CheckIn> {
        self.query_checkins("id = ?1", [id.0])?
            .pop()
            .ok_or(StoreError::NotFound {
                what: "check-in",
                id: id.0,
            })
    }

    /// Check-ins made in `[from_utc, to_utc)`, oldest first, in or out of episodes.
    pub fn checkins_between(&self, from_utc: i64, to_utc: i64) -> Result<Vec<CheckIn>> {
        self.query_checkins("at_utc >= ?1 AND at_utc < ?2", [from_utc, to_utc])
    }

    /// Stores a quick soreness log.
    pub fn log_soreness(&self, log: &NewSoreness) -> Result<SorenessId> {
        let tx = self.write_tx("log soreness")?;
        if let Some(id) = log.episode_id {
            require_open(&tx, id)?;
        }
        let id = insert_soreness_row(&tx, None, log)?;
        tx.commit().ctx(|| "logging soreness".into())?;
        Ok(id)
    }

    /// Soreness logs made in `[from_utc, to_utc)`, oldest first, in or out of episodes.
    pub fn soreness_between(&self, from_utc: i64, to_utc: i64) -> Result<Vec<SorenessLog>> {
        self.query_soreness("at_utc >= ?1 AND at_utc < ?2", [from_utc, to_utc])
    }

    pub(crate) fn all_episodes(&self) -> Result<Vec<Episode>> {
        self.conn
            .prepare(&format!(
                "SELECT {EPISODE_COLUMNS} FROM episodes ORDER BY id"
            ))
            .and_then(|mut st| st.query_map([], read_episode)?.collect())
            .ctx(|| "reading episodes".into())
    }

    pub(crate) fn all_checkins(&self) -> Result<Vec<CheckIn>> {
        self.query_checkins("1 = 1", [])
    }

    pub(crate) fn all_soreness(&self) -> Result<Vec<SorenessLog>> {
        self.query_soreness("1 = 1", [])
    }

    pub(crate) fn query_checkins<const N: usize>(
        &self,
        cond: &str,
        args: [i64; N],
    ) -> Result<Vec<CheckIn>> {
        let ctx = || "reading check-ins".to_string();
        let rows: Vec<CheckInRow> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CHECKIN_COLUMNS} FROM checkins WHERE {cond} ORDER BY at_utc, id"
            ))
            .and_then(|mut st| {
                st.query_map(rusqlite::params_from_iter(args), read_checkin_row)?
                    .collect()
            })
            .ctx(ctx)?;
        let mut runs_of = self
            .conn
            .prepare_cached("SELECT run_id FROM checkin_runs WHERE checkin_id = ?1 ORDER BY run_id")
            .ctx(ctx)?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, episode, at_utc, kind, kb_version, intake, evidence, result) in rows {
            let corrupt = |what: String| StoreError::Corrupt {
                table: "checkins",
                id,
                what,
            };
            let parse = |text: &str, field: &str| {
                serde_json::from_str::<Value>(text).map_err(|e| corrupt(format!("{field}: {e}")))
            };
            let run_ids: Vec<RunId> = runs_of
                .query_map([id], |r| r.get(0).map(RunId))
                .and_then(|rows| rows.collect())
                .ctx(ctx)?;
            out.push(CheckIn {
                id: CheckInId(id),
                data: NewCheckIn {
                    at_utc,
                    kind: CheckInKind::parse(&kind)
                        .ok_or_else(|| corrupt(format!("kind {kind:?}")))?,
                    episode_id: episode.map(EpisodeId),
                    kb_version,
                    intake: parse(&intake, "intake")?,
                    evidence: parse(&evidence, "evidence")?,
                    result: parse(&result, "result")?,
                    run_ids,
                },
            });
        }
        Ok(out)
    }

    pub(crate) fn query_soreness<const N: usize>(
        &self,
        cond: &str,
        args: [i64; N],
    ) -> Result<Vec<SorenessLog>> {
        let rows: Vec<SorenessRow> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SORENESS_COLUMNS} FROM soreness_logs WHERE {cond} ORDER BY at_utc, id"
            ))
            .and_then(|mut st| {
                st.query_map(rusqlite::params_from_iter(args), read_soreness_row)?
                    .collect()
            })
            .ctx(|| "reading soreness logs".into())?;
        rows.into_iter()
            .map(|(id, episode, at_utc, level, regions, note)| {
                let corrupt = |what: String| StoreError::Corrupt {
                    table: "soreness_logs",
                    id,
                    what,
                };
                let level = u8::try_from(level)
                    .ok()
                    .filter(|l| *l <= 10)
                    .ok_or_else(|| corrupt(format!("level {level}")))?;
                let regions =
                    serde_json::from_str(&regions).map_err(|e| corrupt(format!("regions: {e}")))?;
                Ok(SorenessLog {
                    id: SorenessId(id),
                    data: NewSoreness {
                        at_utc,
                        level,
                        regions,
                        note,
                        episode_id: episode.map(EpisodeId),
                    },
                })
            })
            .collect()
    }
}

fn current_episode(conn: &Connection) -> Result<Option<Episode>> {
    conn.query_row(
        &format!("SELECT {EPISODE_COLUMNS} FROM episodes WHERE closed_utc IS NULL"),
        [],
        read_episode,
    )
    .optional()
    .ctx(|| "reading the open episode".into())
}

fn get_episode(conn: &Connection, id: EpisodeId) -> Result<Episode> {
    conn.query_row(
        &format!("SELECT {EPISODE_COLUMNS} FROM episodes WHERE id = ?1"),
        [id.0],
        read_episode,
    )
    .optional()
    .ctx(|| format!("reading episode {id}"))?
    .ok_or(StoreError::NotFound {
        what: "episode",
        id: id.0,
    })
}

fn require_open(conn: &Connection, id: EpisodeId) -> Result<()> {
    if get_episode(conn, id)?.is_open() {
        Ok(())
    } else {
        Err(StoreError::EpisodeClosed { id: id.0 })
    }
}

/// Refuses a time outside [`bounds::TIMESTAMP`]: a check-in dated at `i64::MIN` once took the
/// training page down.
fn check_time(field: &'static str, at: i64) -> Result<()> {
    if bounds::TIMESTAMP.contains_i64(at) {
        return Ok(());
    }
    Err(StoreError::Invalid {
        field,
        reason: bounds::TIMESTAMP.message(at as f64),
    })
}

/// Refuses an intake whose numbers lie outside their bounds, whatever front end or export wrote
/// it. Other fields are the engine's business; only the figures that reach pages are checked.
fn check_intake(intake: &Value) -> Result<()> {
    for bound in bounds::INTAKE {
        let value = bound.field.split('.').try_fold(intake, |v, key| v.get(key));
        let Some(value) = value else { continue };
        let ok = value.as_f64().is_some_and(|v| bound.contains(v));
        if !ok {
            return Err(StoreError::Invalid {
                field: bound.field,
                reason: match value.as_f64() {
                    Some(v) => bound.message(v),
                    None => format!("{}, got {value}", bound.describe()),
                },
            });
        }
    }
    Ok(())
}

pub(crate) fn insert_episode_row(conn: &Connection, e: &Episode) -> Result<()> {
    check_time("opened_utc", e.opened_utc)?;
    if let Some(closed) = e.closed_utc {
        check_time("closed_utc", closed)?;
    }
    conn.execute(
        "INSERT INTO episodes (id, opened_utc, closed_utc, title, close_note) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![e.id.0, e.opened_utc, e.closed_utc, e.title, e.close_note],
    )
    .ctx(|| format!("storing episode {}", e.id))?;
    Ok(())
}

pub(crate) fn insert_checkin_row(
    conn: &Connection,
    id: Option<CheckInId>,
    c: &NewCheckIn,
    intake: &str,
    evidence: &str,
    result: &str,
) -> Result<CheckInId> {
    check_time("at_utc", c.at_utc)?;
    check_intake(&c.intake)?;
    let ctx = || format!("storing the check-in of {}", c.at_utc);
    conn.prepare_cached(
        "INSERT INTO checkins (id, episode_id, at_utc, kind, kb_version, intake_json, \
         evidence_json, result_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut st| {
        st.execute(params![
            id.map(|i| i.0),
            c.episode_id.map(|e| e.0),
            c.at_utc,
            c.kind.as_str(),
            c.kb_version,
            intake,
            evidence,
            result,
        ])
    })
    .ctx(ctx)?;
    let id = CheckInId(conn.last_insert_rowid());
    let mut link = conn
        .prepare_cached("INSERT OR IGNORE INTO checkin_runs (checkin_id, run_id) VALUES (?1, ?2)")
        .ctx(ctx)?;
    for run in &c.run_ids {
        link.execute([id.0, run.0]).map_err(|source| match source {
            rusqlite::Error::SqliteFailure(e, _)
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
            {
                StoreError::NotFound {
                    what: "run",
                    id: run.0,
                }
            }
            source => StoreError::Sql {
                context: ctx(),
                source,
            },
        })?;
    }
    Ok(id)
}

pub(crate) fn insert_soreness_row(
    conn: &Connection,
    id: Option<SorenessId>,
    s: &NewSoreness,
) -> Result<SorenessId> {
    check_time("at_utc", s.at_utc)?;
    if s.level > 10 {
        return Err(StoreError::Invalid {
            field: "level",
            reason: format!("{} is above 10", s.level),
        });
    }
    let regions = serde_json::to_string(&s.regions).map_err(|source| StoreError::Json {
        context: "writing soreness regions".into(),
        source,
    })?;
    conn.prepare_cached(
        "INSERT INTO soreness_logs (id, episode_id, at_utc, level, regions_json, note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut st| {
        st.execute(params![
            id.map(|i| i.0),
            s.episode_id.map(|e| e.0),
            s.at_utc,
            s.level,
            regions,
            s.note
        ])
    })
    .ctx(|| format!("storing the soreness log of {}", s.at_utc))?;
    Ok(SorenessId(conn.last_insert_rowid()))
}
