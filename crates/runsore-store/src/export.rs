//! Export and import of everything the store holds: the runner's data is theirs to take away.
//!
//! An [`Export`] keeps every id, so check-ins still point at their runs and episodes after an
//! import; importing it into an empty store and exporting again gives an equal export.

use serde::{Deserialize, Serialize};

use crate::checkins::{
    CheckIn, Episode, SorenessLog, insert_checkin_row, insert_episode_row, insert_soreness_row,
};
use crate::error::{Result, SqlContext, StoreError};
use crate::profile::{Profile, write_profile};
use crate::runs::{FileId, FileRecord, StoredRun, insert_file_row, insert_run_row};
use crate::{SCHEMA_VERSION, Store, samples};

/// The value of [`Export::format`].
pub const EXPORT_FORMAT: &str = "runsore-export";
/// The export layout version this build writes; it reads this one and older.
pub const EXPORT_VERSION: u32 = 1;

/// An imported file with its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedFile {
    /// The file's id.
    pub id: FileId,
    /// The file.
    #[serde(flatten)]
    pub file: FileRecord,
}

/// Everything in a store, as plain serialisable data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Always [`EXPORT_FORMAT`], so a stray JSON file is recognised as not an export.
    pub format: String,
    /// The export layout version ([`EXPORT_VERSION`]).
    pub version: u32,
    /// The schema version of the store it came from (for information).
    pub schema_version: i64,
    /// The runner's profile.
    pub profile: Profile,
    /// Imported files, by id.
    pub files: Vec<ExportedFile>,
    /// Runs with their samples, by id.
    pub runs: Vec<StoredRun>,
    /// Episodes, by id.
    pub episodes: Vec<Episode>,
    /// Check-ins, in time order.
    pub checkins: Vec<CheckIn>,
    /// Soreness logs, in time order.
    pub soreness: Vec<SorenessLog>,
}

impl Store {
    /// Reads everything into an [`Export`], in one read transaction so it is a consistent
    /// snapshot even while another process writes.
    pub fn export_all(&self) -> Result<Export> {
        let tx = self
            .conn
            .unchecked_transaction()
            .ctx(|| "starting the export".into())?;
        let export = Export {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            schema_version: SCHEMA_VERSION,
            profile: self.profile()?,
            files: self
                .all_files()?
                .into_iter()
                .map(|(id, file)| ExportedFile { id, file })
                .collect(),
            runs: self.all_runs()?,
            episodes: self.all_episodes()?,
            checkins: self.all_checkins()?,
            soreness: self.all_soreness()?,
        };
        tx.finish().ctx(|| "ending the export".into())?;
        Ok(export)
    }

    /// Restores an export into this store, which must be empty, in one transaction.
    pub fn import_all(&self, export: &Export) -> Result<()> {
        if export.format != EXPORT_FORMAT {
            return Err(StoreError::Invalid {
                field: "format",
                reason: format!("{:?} is not a runsore export", export.format),
            });
        }
        if export.version > EXPORT_VERSION {
            return Err(StoreError::Invalid {
                field: "version",
                reason: format!(
                    "export version {} is newer than this runsore reads ({EXPORT_VERSION})",
                    export.version
                ),
            });
        }
        export.profile.validate()?;
        let blobs: Vec<Vec<u8>> = export
            .runs
            .iter()
            .map(|r| samples::encode(&r.run.samples))
            .collect();
        let tx = self.write_tx("import an export")?;
        let held = self.contents()?;
        if !held.is_empty() {
            return Err(StoreError::NotEmpty {
                what: held.join(", "),
            });
        }
        write_profile(&tx, &export.profile).ctx(|| "restoring the profile".into())?;
        for f in &export.files {
            insert_file_row(&tx, Some(f.id), &f.file)
                .ctx(|| format!("restoring file {} ({})", f.id, f.file.source))?;
        }
        let mut next_index = std::collections::HashMap::<FileId, usize>::new();
        for (r, blob) in export.runs.iter().zip(&blobs) {
            let idx = next_index.entry(r.file_id).or_default();
            insert_run_row(&tx, Some(r.id), r.file_id, *idx, &r.run, blob)
                .ctx(|| format!("restoring run {} ({})", r.id, r.run.source))?;
            *idx += 1;
        }
        for e in &export.episodes {
            insert_episode_row(&tx, e)?;
        }
        for c in &export.checkins {
            let text = |v: &serde_json::Value| v.to_string();
            insert_checkin_row(
                &tx,
                Some(c.id),
                &c.data,
                &text(&c.data.intake),
                &text(&c.data.evidence),
                &text(&c.data.result),
            )?;
        }
        for s in &export.soreness {
            insert_soreness_row(&tx, Some(s.id), &s.data)?;
        }
        tx.commit().ctx(|| "committing the import".into())?;
        Ok(())
    }

    /// What the store holds, as "3 runs"-style phrases; empty for an empty store.
    fn contents(&self) -> Result<Vec<String>> {
        let mut held = Vec::new();
        for (table, what) in [
            ("files", "files"),
            ("runs", "runs"),
            ("episodes", "episodes"),
            ("checkins", "check-ins"),
            ("soreness_logs", "soreness logs"),
            ("profile", "profile"),
        ] {
            let n: i64 = self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .ctx(|| format!("counting {what}"))?;
            if n > 0 {
                held.push(format!("{n} {what}"));
            }
        }
        Ok(held)
    }
}
