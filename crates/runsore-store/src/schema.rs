//! The schema as an append-only list of migrations; `PRAGMA user_version` records how many ran.
//!
//! Never edit a migration once it is on main: stores in the wild are at every version. Add a new
//! one at the end instead, and a case for it in the upgrade tests.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Result, SqlContext, StoreError};

/// The migrations in order; migration `i` takes the store from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // Version 1: imported files, their runs, the runner's profile.
    r#"
    CREATE TABLE files (
        id            INTEGER PRIMARY KEY,
        source        TEXT NOT NULL,
        format        TEXT NOT NULL,
        content_hash  TEXT NOT NULL UNIQUE,
        size_bytes    INTEGER NOT NULL,
        imported_utc  INTEGER NOT NULL
    );
    CREATE TABLE runs (
        id              INTEGER PRIMARY KEY,
        file_id         INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        idx_in_file     INTEGER NOT NULL,
        source          TEXT NOT NULL,
        format          TEXT NOT NULL,
        content_hash    TEXT NOT NULL,
        device          TEXT,
        sport           TEXT NOT NULL,
        sub_sport       TEXT,
        name            TEXT,
        rpe             REAL,
        -- Best start and elapsed time (device totals first), for filters and de-duplication.
        start_utc       INTEGER,
        elapsed_s       REAL,
        -- The summary recomputed from the samples.
        s_start_utc       INTEGER,
        s_local_offset_s  INTEGER,
        s_elapsed_s       REAL,
        s_moving_s        REAL,
        s_distance_m      REAL,
        s_ascent_m        REAL,
        s_descent_m       REAL,
        s_avg_hr          REAL,
        s_max_hr          REAL,
        s_avg_temp_c      REAL,
        -- The device's own totals; has_device_summary is 0 when the file had none.
        has_device_summary INTEGER NOT NULL,
        d_start_utc       INTEGER,
        d_local_offset_s  INTEGER,
        d_elapsed_s       REAL,
        d_moving_s        REAL,
        d_distance_m      REAL,
        d_ascent_m        REAL,
        d_descent_m       REAL,
        d_avg_hr          REAL,
        d_max_hr          REAL,
        d_avg_temp_c      REAL,
        partial         INTEGER NOT NULL,
        warnings_json   TEXT NOT NULL,
        sample_count    INTEGER NOT NULL,
        samples         BLOB NOT NULL,
        UNIQUE (file_id, idx_in_file)
    );
    CREATE INDEX runs_start ON runs(start_utc);
    CREATE INDEX runs_sport_start ON runs(sport, start_utc);
    CREATE TABLE profile (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        body_mass_kg  REAL,
        sex           TEXT CHECK (sex IN ('female', 'male')),
        birth_year    INTEGER,
        hr_max        REAL,
        hr_rest       REAL
    );
    "#,
    // Version 2: episodes of soreness, check-ins (assessments kept as the engine's JSON), the
    // runs each check-in looked at, and quick soreness logs.
    r#"
    CREATE TABLE episodes (
        id          INTEGER PRIMARY KEY,
        opened_utc  INTEGER NOT NULL,
        closed_utc  INTEGER,
        title       TEXT,
        close_note  TEXT,
        CHECK (closed_utc IS NULL OR closed_utc >= opened_utc)
    );
    -- At most one episode is open at a time.
    CREATE UNIQUE INDEX episodes_one_open ON episodes ((closed_utc IS NULL))
        WHERE closed_utc IS NULL;
    CREATE TABLE checkins (
        id             INTEGER PRIMARY KEY,
        episode_id     INTEGER REFERENCES episodes(id),
        at_utc         INTEGER NOT NULL,
        kind           TEXT NOT NULL,
        kb_version     TEXT NOT NULL,
        intake_json    TEXT NOT NULL,
        evidence_json  TEXT NOT NULL,
        result_json    TEXT NOT NULL
    );
    CREATE INDEX checkins_episode ON checkins (episode_id, at_utc);
    CREATE INDEX checkins_at ON checkins (at_utc);
    CREATE TABLE checkin_runs (
        checkin_id  INTEGER NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        PRIMARY KEY (checkin_id, run_id)
    ) WITHOUT ROWID;
    CREATE INDEX checkin_runs_run ON checkin_runs (run_id);
    CREATE TABLE soreness_logs (
        id            INTEGER PRIMARY KEY,
        episode_id    INTEGER REFERENCES episodes(id),
        at_utc        INTEGER NOT NULL,
        level         INTEGER NOT NULL CHECK (level BETWEEN 0 AND 10),
        regions_json  TEXT NOT NULL,
        note          TEXT
    );
    CREATE INDEX soreness_at ON soreness_logs (at_utc);
    CREATE INDEX soreness_episode ON soreness_logs (episode_id, at_utc);
    "#,
    // Version 3: a revision number that every committed change to the data moves (triggers, so
    // no writer can forget it, whichever process writes, even the sqlite3 shell): figures derived
    // from the store are kept while it stays the same. `PRAGMA data_version` cannot serve: it
    // ignores the reading connection's own writes and differs between connections.
    r#"
    CREATE TABLE revision (
        id  INTEGER PRIMARY KEY CHECK (id = 1),
        n   INTEGER NOT NULL
    );
    INSERT INTO revision VALUES (1, 0);
    CREATE TRIGGER files_insert_revises AFTER INSERT ON files
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER files_update_revises AFTER UPDATE ON files
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER files_delete_revises AFTER DELETE ON files
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER runs_insert_revises AFTER INSERT ON runs
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER runs_update_revises AFTER UPDATE ON runs
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER runs_delete_revises AFTER DELETE ON runs
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER profile_insert_revises AFTER INSERT ON profile
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER profile_update_revises AFTER UPDATE ON profile
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER profile_delete_revises AFTER DELETE ON profile
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER episodes_insert_revises AFTER INSERT ON episodes
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER episodes_update_revises AFTER UPDATE ON episodes
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER episodes_delete_revises AFTER DELETE ON episodes
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER checkins_insert_revises AFTER INSERT ON checkins
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER checkins_update_revises AFTER UPDATE ON checkins
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER checkins_delete_revises AFTER DELETE ON checkins
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER checkin_runs_insert_revises AFTER INSERT ON checkin_runs
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER checkin_runs_update_revises AFTER UPDATE ON checkin_runs
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER checkin_runs_delete_revises AFTER DELETE ON checkin_runs
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER soreness_logs_insert_revises AFTER INSERT ON soreness_logs
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER soreness_logs_update_revises AFTER UPDATE ON soreness_logs
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER soreness_logs_delete_revises AFTER DELETE ON soreness_logs
        BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; END;
    "#,
    // Version 4: the revision of what the training figures are derived from (the runs and the
    // profile) apart from the store's, so that a check-in saved does not make every figure be
    // derived again; and a count of runs changed in place (only a hand edit does that: runsore
    // adds and removes runs), so that a reader that keeps each run's figures can read only the
    // runs added since, and read all again after an edit.
    r#"
    CREATE TABLE figures_revision (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        n      INTEGER NOT NULL,
        edits  INTEGER NOT NULL
    );
    INSERT INTO figures_revision VALUES (1, 0, 0);
    CREATE TRIGGER runs_insert_revises_figures AFTER INSERT ON runs
        BEGIN UPDATE figures_revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER runs_update_revises_figures AFTER UPDATE ON runs
        BEGIN UPDATE figures_revision SET n = n + 1, edits = edits + 1 WHERE id = 1; END;
    CREATE TRIGGER runs_delete_revises_figures AFTER DELETE ON runs
        BEGIN UPDATE figures_revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER profile_insert_revises_figures AFTER INSERT ON profile
        BEGIN UPDATE figures_revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER profile_update_revises_figures AFTER UPDATE ON profile
        BEGIN UPDATE figures_revision SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER profile_delete_revises_figures AFTER DELETE ON profile
        BEGIN UPDATE figures_revision SET n = n + 1 WHERE id = 1; END;
    "#,
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Reads the store's schema version.
pub(crate) fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the store up to `target` (at most [`SCHEMA_VERSION`]), one migration per transaction.
///
/// Each migration takes the write lock first and re-reads the version inside it, so two processes
/// opening a new store at once do not both run it.
pub(crate) fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    // The common case, an up-to-date store, needs no write lock.
    if version(conn).ctx(|| "reading the schema version".into())? >= target {
        return Ok(());
    }
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx(|| "locking the store to migrate it".into())?;
        let current = version(&tx).ctx(|| "reading the schema version".into())?;
        if current >= target {
            return Ok(());
        }
        let next = current + 1;
        let sql = usize::try_from(current)
            .ok()
            .and_then(|i| MIGRATIONS.get(i))
            .ok_or(StoreError::Invalid {
                field: "schema version",
                reason: format!("{current} is not a known version"),
            })?;
        tx.execute_batch(sql)
            .and_then(|()| tx.pragma_update(None, "user_version", next))
            .and_then(|()| tx.commit())
            .map_err(|source| StoreError::Migration {
                version: next,
                source,
            })?;
    }
}
