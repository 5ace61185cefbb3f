//! Export and import of everything the store holds: the runner's data is theirs to take away.
//!
//! An [`Export`] keeps every id, so check-ins still point at their runs and episodes after an
//! import; importing it into an empty store and exporting again gives an equal export.
//! [`Store::export_json`] and [`Store::import_json`] write and read the same JSON one run at a
//! time, so that years of samples never sit in memory at once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};

use rusqlite::Transaction;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeSeq, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// How many rows of each kind an import restored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    /// Imported files.
    pub files: usize,
    /// Runs.
    pub runs: usize,
    /// Episodes.
    pub episodes: usize,
    /// Check-ins.
    pub checkins: usize,
    /// Soreness logs.
    pub soreness: usize,
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
    /// snapshot even while another process writes. Holds every sample in memory: for large
    /// stores prefer [`Store::export_json`].
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
            files: self.exported_files()?,
            runs: self.all_runs()?,
            episodes: self.all_episodes()?,
            checkins: self.all_checkins()?,
            soreness: self.all_soreness()?,
        };
        tx.finish().ctx(|| "ending the export".into())?;
        Ok(export)
    }

    /// Writes the export as JSON (the serialisation of [`Export`], byte for byte), reading one
    /// run at a time; `pretty` indents it. One read transaction: a consistent snapshot.
    pub fn export_json(&self, out: impl Write, pretty: bool) -> Result<()> {
        let tx = self
            .conn
            .unchecked_transaction()
            .ctx(|| "starting the export".into())?;
        let stream = ExportStream {
            store: self,
            profile: self.profile()?,
            files: self.exported_files()?,
            episodes: self.all_episodes()?,
            checkins: self.all_checkins()?,
            soreness: self.all_soreness()?,
            failure: RefCell::new(None),
        };
        let written = if pretty {
            serde_json::to_writer_pretty(out, &stream)
        } else {
            serde_json::to_writer(out, &stream)
        };
        if let Some(e) = stream.failure.into_inner() {
            return Err(e);
        }
        written.map_err(|source| StoreError::Json {
            context: "writing the export".into(),
            source,
        })?;
        tx.finish().ctx(|| "ending the export".into())
    }

    /// Restores an export into this store, which must be empty, in one transaction.
    pub fn import_all(&self, export: &Export) -> Result<ImportCounts> {
        check_header(&export.format, export.version)?;
        let mut importer = Importer::begin(self)?;
        importer.profile(&export.profile)?;
        for f in &export.files {
            importer.file(f)?;
        }
        for r in &export.runs {
            importer.run(r)?;
        }
        for e in &export.episodes {
            importer.episode(e)?;
        }
        for c in &export.checkins {
            importer.checkin(c)?;
        }
        for s in &export.soreness {
            importer.soreness(s)?;
        }
        importer.finish()
    }

    /// Restores an export from its JSON (as written by [`Store::export_json`] or by serialising
    /// an [`Export`]) into this store, which must be empty, one run at a time, in one
    /// transaction: on any error nothing is written.
    pub fn import_json(&self, input: impl Read) -> Result<ImportCounts> {
        let importer = RefCell::new(Importer::begin(self)?);
        let failure = RefCell::new(None);
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(input));
        let parsed = ExportSeed {
            importer: &importer,
            failure: &failure,
        }
        .deserialize(&mut de)
        .and_then(|()| de.end());
        if let Some(e) = failure.into_inner() {
            return Err(e);
        }
        parsed.map_err(|source| StoreError::Json {
            context: "reading the export".into(),
            source,
        })?;
        importer.into_inner().finish()
    }

    fn exported_files(&self) -> Result<Vec<ExportedFile>> {
        Ok(self
            .all_files()?
            .into_iter()
            .map(|(id, file)| ExportedFile { id, file })
            .collect())
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

fn check_header(format: &str, version: u32) -> Result<()> {
    if format != EXPORT_FORMAT {
        return Err(StoreError::Invalid {
            field: "format",
            reason: format!("{format:?} is not a runsore export"),
        });
    }
    if version > EXPORT_VERSION {
        return Err(StoreError::Invalid {
            field: "version",
            reason: format!(
                "export version {version} is newer than this runsore reads ({EXPORT_VERSION})"
            ),
        });
    }
    Ok(())
}

/// Writes rows of an export inside one transaction, keeping exported ids.
struct Importer<'a> {
    tx: Transaction<'a>,
    next_index: HashMap<FileId, usize>,
    counts: ImportCounts,
}

impl<'a> Importer<'a> {
    fn begin(store: &'a Store) -> Result<Importer<'a>> {
        let tx = store.write_tx("import an export")?;
        let held = store.contents()?;
        if !held.is_empty() {
            return Err(StoreError::NotEmpty {
                what: held.join(", "),
            });
        }
        // References are checked at commit, so a hand-edited export may list rows in any order.
        tx.pragma_update(None, "defer_foreign_keys", true)
            .ctx(|| "starting the import".into())?;
        Ok(Importer {
            tx,
            next_index: HashMap::new(),
            counts: ImportCounts::default(),
        })
    }

    fn profile(&mut self, p: &Profile) -> Result<()> {
        p.validate()?;
        write_profile(&self.tx, p).ctx(|| "restoring the profile".into())
    }

    fn file(&mut self, f: &ExportedFile) -> Result<()> {
        insert_file_row(&self.tx, Some(f.id), &f.file)
            .ctx(|| format!("restoring file {} ({})", f.id, f.file.source))?;
        self.counts.files += 1;
        Ok(())
    }

    fn run(&mut self, r: &StoredRun) -> Result<()> {
        let blob = samples::encode(&r.run.samples);
        let idx = self.next_index.entry(r.file_id).or_default();
        insert_run_row(&self.tx, Some(r.id), r.file_id, *idx, &r.run, &blob)
            .ctx(|| format!("restoring run {} ({})", r.id, r.run.source))?;
        *idx += 1;
        self.counts.runs += 1;
        Ok(())
    }

    fn episode(&mut self, e: &Episode) -> Result<()> {
        insert_episode_row(&self.tx, e)?;
        self.counts.episodes += 1;
        Ok(())
    }

    fn checkin(&mut self, c: &CheckIn) -> Result<()> {
        let text = |v: &serde_json::Value| v.to_string();
        insert_checkin_row(
            &self.tx,
            Some(c.id),
            &c.data,
            &text(&c.data.intake),
            &text(&c.data.evidence),
            &text(&c.data.result),
        )?;
        self.counts.checkins += 1;
        Ok(())
    }

    fn soreness(&mut self, s: &SorenessLog) -> Result<()> {
        insert_soreness_row(&self.tx, Some(s.id), &s.data)?;
        self.counts.soreness += 1;
        Ok(())
    }

    fn finish(self) -> Result<ImportCounts> {
        let counts = self.counts;
        self.tx.commit().map_err(|source| match source {
            rusqlite::Error::SqliteFailure(e, _)
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
            {
                StoreError::Invalid {
                    field: "export",
                    reason: "a row refers to a file, run or episode that is not in it".into(),
                }
            }
            source => StoreError::Sql {
                context: "committing the import".into(),
                source,
            },
        })?;
        Ok(counts)
    }
}

/// Serialises like [`Export`] but reads the runs from the store while writing.
struct ExportStream<'a> {
    store: &'a Store,
    profile: Profile,
    files: Vec<ExportedFile>,
    episodes: Vec<Episode>,
    checkins: Vec<CheckIn>,
    soreness: Vec<SorenessLog>,
    /// A store error met while writing, kept whole (serde would flatten it to text).
    failure: RefCell<Option<StoreError>>,
}

impl Serialize for ExportStream<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Export", 9)?;
        st.serialize_field("format", EXPORT_FORMAT)?;
        st.serialize_field("version", &EXPORT_VERSION)?;
        st.serialize_field("schema_version", &SCHEMA_VERSION)?;
        st.serialize_field("profile", &self.profile)?;
        st.serialize_field("files", &self.files)?;
        st.serialize_field("runs", &RunsFromStore(self))?;
        st.serialize_field("episodes", &self.episodes)?;
        st.serialize_field("checkins", &self.checkins)?;
        st.serialize_field("soreness", &self.soreness)?;
        st.end()
    }
}

struct RunsFromStore<'a, 'b>(&'b ExportStream<'a>);

impl Serialize for RunsFromStore<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut ser_error = None;
        let read = self.0.store.for_each_run(|run| {
            seq.serialize_element(&run).map_err(|e| {
                ser_error = Some(e);
                StoreError::Invalid {
                    field: "export",
                    reason: "writing failed".into(),
                }
            })
        });
        if let Some(e) = ser_error {
            return Err(e);
        }
        if let Err(e) = read {
            *self.0.failure.borrow_mut() = Some(e);
            return Err(ser::Error::custom("reading runs failed"));
        }
        seq.end()
    }
}

/// Reads an export's JSON, handing each row to the importer as soon as it is parsed.
struct ExportSeed<'a, 'b> {
    importer: &'b RefCell<Importer<'a>>,
    failure: &'b RefCell<Option<StoreError>>,
}

impl ExportSeed<'_, '_> {
    /// Runs one import step; a store error is kept whole and serde gets a stand-in.
    fn step<E: de::Error>(&self, result: Result<()>) -> std::result::Result<(), E> {
        result.map_err(|e| {
            let text = e.to_string();
            *self.failure.borrow_mut() = Some(e);
            E::custom(text)
        })
    }
}

impl<'de> DeserializeSeed<'de> for ExportSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ExportSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a runsore export object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut format: Option<String> = None;
        let mut version: Option<u32> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => format = Some(map.next_value()?),
                "version" => version = Some(map.next_value()?),
                "schema_version" => {
                    map.next_value::<IgnoredAny>()?;
                }
                data => {
                    // The header comes first in every export this store writes; checking it
                    // before any row keeps a stray JSON file from being half-read.
                    let header = match (&format, version) {
                        (Some(f), Some(v)) => check_header(f, v),
                        _ => Err(StoreError::Invalid {
                            field: "format",
                            reason: "the export does not start with its format and version".into(),
                        }),
                    };
                    self.step(header)?;
                    match data {
                        "profile" => {
                            let p: Profile = map.next_value()?;
                            self.step(self.importer.borrow_mut().profile(&p))?;
                        }
                        "files" => map.next_value_seed(Rows::<ExportedFile>::new(&self))?,
                        "runs" => map.next_value_seed(Rows::<StoredRun>::new(&self))?,
                        "episodes" => map.next_value_seed(Rows::<Episode>::new(&self))?,
                        "checkins" => map.next_value_seed(Rows::<CheckIn>::new(&self))?,
                        "soreness" => map.next_value_seed(Rows::<SorenessLog>::new(&self))?,
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
            }
        }
        match (&format, version) {
            (Some(f), Some(v)) => self.step(check_header(f, v)),
            _ => Err(de::Error::missing_field("format")),
        }
    }
}

const FIELDS: &[&str] = &[
    "format",
    "version",
    "schema_version",
    "profile",
    "files",
    "runs",
    "episodes",
    "checkins",
    "soreness",
];

/// A row type of the export and how the importer takes it.
trait Row: for<'de> Deserialize<'de> {
    fn import(&self, importer: &mut Importer<'_>) -> Result<()>;
}

impl Row for ExportedFile {
    fn import(&self, importer: &mut Importer<'_>) -> Result<()> {
        importer.file(self)
    }
}

impl Row for StoredRun {
    fn import(&self, importer: &mut Importer<'_>) -> Result<()> {
        importer.run(self)
    }
}

impl Row for Episode {
    fn import(&self, importer: &mut Importer<'_>) -> Result<()> {
        importer.episode(self)
    }
}

impl Row for CheckIn {
    fn import(&self, importer: &mut Importer<'_>) -> Result<()> {
        importer.checkin(self)
    }
}

impl Row for SorenessLog {
    fn import(&self, importer: &mut Importer<'_>) -> Result<()> {
        importer.soreness(self)
    }
}

/// A JSON array of rows, each imported as soon as it is parsed.
struct Rows<'s, 'a, 'b, T> {
    seed: &'s ExportSeed<'a, 'b>,
    row: std::marker::PhantomData<T>,
}

impl<'s, 'a, 'b, T> Rows<'s, 'a, 'b, T> {
    fn new(seed: &'s ExportSeed<'a, 'b>) -> Self {
        Rows {
            seed,
            row: std::marker::PhantomData,
        }
    }
}

impl<'de, T: Row> DeserializeSeed<'de> for Rows<'_, '_, '_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Row> Visitor<'de> for Rows<'_, '_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(row) = seq.next_element::<T>()? {
            self.seed
                .step(row.import(&mut self.seed.importer.borrow_mut()))?;
        }
        Ok(())
    }
}
