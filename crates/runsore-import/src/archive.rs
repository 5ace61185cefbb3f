//! Finding activity files: plain files, folders walked recursively, zip archives and zips inside
//! zips (Garmin's `UploadedFiles_*.zip`), with Strava's `activities.csv` joined by `Filename`.
//!
//! Archive entries are read in memory and never extracted, so an entry named `../x` or `/x`
//! cannot write anywhere; such entries are still refused with an error, since no real export has
//! them. Every entry is read through a size cap, so a lying or bombed zip cannot exhaust memory.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use runsore_model::{Run, Sport};

use crate::{DEFAULT_MAX_INFLATED, sport_from_name};

/// How deep zips inside zips are followed (Garmin nests one level).
const MAX_ZIP_DEPTH: usize = 3;

/// The most bytes all archive entries of one listing may inflate to, together: 4 GiB, about
/// twenty years of daily runs. Entries are read one at a time, so this bounds time, not memory.
pub const DEFAULT_MAX_TOTAL: u64 = 4 << 30;

/// The largest `activities.csv` read (Strava's for 5000 activities is about 5 MB).
const MAX_CSV: u64 = 64 << 20;

/// What a path is, when it is not a regular file.
fn not_regular(t: std::fs::FileType) -> Option<&'static str> {
    if t.is_file() || t.is_dir() {
        None
    } else if t.is_symlink() {
        Some("a symbolic link inside a folder, not followed (give its target instead)")
    } else {
        Some("not a regular file (a pipe, device or socket)")
    }
}

/// One candidate activity file: where it is and its bytes (still gzipped if the file is).
#[derive(Debug, Clone)]
pub struct Source {
    /// The file on disk (the outermost archive for archive entries).
    pub path: PathBuf,
    /// The entry inside the archive; nested archives are joined with `!`.
    pub entry: Option<String>,
    /// The file's bytes, as stored (a `.gz` stays compressed: `decode` inflates it).
    pub bytes: Vec<u8>,
    /// What an export's index said about this file.
    pub meta: Option<ExportMeta>,
}

impl Source {
    /// The name runs and errors use: `path` or `path!entry`.
    pub fn name(&self) -> String {
        match &self.entry {
            Some(e) => format!("{}!{e}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }
}

/// A row of Strava's `activities.csv` for one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportMeta {
    /// Strava's activity id.
    pub activity_id: Option<String>,
    /// The activity's name as the runner gave it.
    pub name: Option<String>,
    /// Strava's activity type ("Run", "Ride", ...).
    pub activity_type: Option<String>,
    /// Perceived exertion, 1 to 10.
    pub rpe: Option<f64>,
    /// The activity date as written (localised).
    pub date_text: Option<String>,
    /// The activity date read from `date_text`, seconds since the Unix epoch, when readable.
    pub date_utc: Option<i64>,
}

impl ExportMeta {
    /// Applies the export's name, type and perceived exertion to a decoded run: the runner's
    /// choices in the app win over what the device recorded.
    pub fn apply(&self, run: &mut Run) {
        if let Some(n) = self.name.as_ref().filter(|n| !n.trim().is_empty()) {
            run.name = Some(n.trim().to_owned());
        }
        if let Some(t) = &self.activity_type {
            let s = sport_from_name(t);
            if s != Sport::Unknown {
                run.sport = s;
            }
        }
        if self.rpe.is_some() {
            run.rpe = self.rpe;
        }
    }
}

/// Why a path or archive entry could not be listed or read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Reading a file or folder failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A zip archive (or an entry of it) is damaged.
    #[error("{path}: not a readable zip archive: {reason}")]
    Zip {
        /// The archive (and entry).
        path: String,
        /// What the zip reader said.
        reason: String,
    },
    /// An entry whose name points outside the archive.
    #[error("{path}: entry {entry:?} has an unsafe name (absolute or with ..); skipped")]
    UnsafeEntry {
        /// The archive.
        path: String,
        /// The entry's name as stored.
        entry: String,
    },
    /// An entry that would inflate past the cap.
    #[error("{path}: entry {entry:?} is larger than {limit} bytes once inflated; skipped")]
    TooLarge {
        /// The archive.
        path: String,
        /// The entry.
        entry: String,
        /// The cap in bytes.
        limit: u64,
    },
    /// A path that is not a regular file (a pipe, a device, a socket) or a symbolic link inside a
    /// folder: reading it could hang or never end, so it is reported and skipped.
    #[error("{path}: {what}; skipped")]
    NotRegular {
        /// The path.
        path: String,
        /// What it is, in words.
        what: &'static str,
    },
    /// The files of the listing together inflate past the total cap; the rest is not read.
    #[error("{path}: the files inside add up to more than {limit} bytes; the rest was not read")]
    TotalTooLarge {
        /// The archive where the cap was reached.
        path: String,
        /// The cap in bytes.
        limit: u64,
    },
    /// A Strava `activities.csv` that could not be read; files are still imported without it.
    #[error("{path}: activities.csv: {reason}")]
    Csv {
        /// The archive or folder.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

struct ZipWork {
    path: PathBuf,
    /// Entry path of this archive inside its parents, when nested.
    prefix: Option<String>,
    archive: zip::ZipArchive<Box<dyn ReadSeek>>,
    next: usize,
    meta: HashMap<String, ExportMeta>,
    depth: usize,
}

struct WalkWork {
    it: walkdir::IntoIter,
    root: PathBuf,
    meta: HashMap<String, ExportMeta>,
}

enum Work {
    Path(PathBuf),
    Walk(Box<WalkWork>),
    Zip(Box<ZipWork>),
}

/// The iterator [`sources`] returns.
pub struct Sources {
    stack: Vec<Work>,
    pending: Vec<Result<Source, ImportError>>,
    max_entry: u64,
    /// Bytes read from archive entries so far, against `max_total`.
    total: u64,
    max_total: u64,
}

/// Enumerates every candidate activity file under `paths`: files given directly (whatever their
/// name), `.fit`/`.gpx`/`.tcx` (and `.gz`) files in folders, and such entries in zip archives,
/// nested zips included. Folders and archives are listed in name order. Errors (an unreadable
/// file, a damaged zip, an unsafe entry) are yielded in place and listing goes on.
pub fn sources(paths: &[PathBuf]) -> Sources {
    Sources {
        stack: paths.iter().rev().map(|p| Work::Path(p.clone())).collect(),
        pending: Vec::new(),
        max_entry: DEFAULT_MAX_INFLATED,
        total: 0,
        max_total: DEFAULT_MAX_TOTAL,
    }
}

impl Sources {
    /// Sets the cap on one archive entry's inflated size (default 256 MiB).
    pub fn max_entry_size(mut self, limit: u64) -> Self {
        self.max_entry = limit;
        self
    }

    /// Sets the cap on all archive entries together (default [`DEFAULT_MAX_TOTAL`]).
    pub fn max_total_size(mut self, limit: u64) -> Self {
        self.max_total = limit;
        self
    }
}

/// Whether a file name looks like an activity file.
pub fn is_candidate(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    let base = l.strip_suffix(".gz").unwrap_or(&l);
    base.ends_with(".fit") || base.ends_with(".gpx") || base.ends_with(".tcx")
}

fn is_zip_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

fn io_err(path: &Path, source: std::io::Error) -> ImportError {
    ImportError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Reads at most `limit + 1` bytes so a caller can tell an oversize stream without holding it.
/// `size_hint` (a zip entry's stated size, a file's length) only pre-sizes the buffer, within
/// the limit.
fn read_capped(r: impl Read, limit: u64, size_hint: u64) -> std::io::Result<Vec<u8>> {
    let hint = size_hint.min(limit).min(64 << 20) + 1;
    let mut out = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    r.take(limit.saturating_add(1)).read_to_end(&mut out)?;
    Ok(out)
}

impl Iterator for Sources {
    type Item = Result<Source, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(p) = self.pending.pop() {
                return Some(p);
            }
            let top = self.stack.last_mut()?;
            match top {
                Work::Path(_) => {
                    let Some(Work::Path(p)) = self.stack.pop() else {
                        continue;
                    };
                    if p.is_dir() {
                        let (meta, err) = folder_meta(&p);
                        if let Some(e) = err {
                            self.pending.push(Err(e));
                        }
                        let it = walkdir::WalkDir::new(&p).sort_by_file_name().into_iter();
                        self.stack
                            .push(Work::Walk(Box::new(WalkWork { it, root: p, meta })));
                    } else if let Some(item) = self.open_file(p, true, None) {
                        return Some(item);
                    }
                }
                Work::Walk(w) => match w.it.next() {
                    None => {
                        self.stack.pop();
                    }
                    Some(Err(e)) => {
                        let path = e
                            .path()
                            .map(Path::to_path_buf)
                            .unwrap_or_else(|| w.root.clone());
                        let source = e.into_io_error().unwrap_or_else(|| {
                            std::io::Error::other("file system loop or unreadable entry")
                        });
                        return Some(Err(io_err(&path, source)));
                    }
                    Some(Ok(entry)) => {
                        let name = entry.file_name().to_string_lossy();
                        if !is_candidate(&name) && !is_zip_name(&name) {
                            continue;
                        }
                        if let Some(what) = not_regular(entry.file_type()) {
                            return Some(Err(ImportError::NotRegular {
                                path: entry.path().display().to_string(),
                                what,
                            }));
                        }
                        if !entry.file_type().is_file() {
                            continue;
                        }
                        let rel = entry
                            .path()
                            .strip_prefix(&w.root)
                            .map(|r| r.to_string_lossy().replace('\\', "/"))
                            .unwrap_or_default();
                        let m = w.meta.get(&rel).cloned();
                        let path = entry.into_path();
                        if let Some(item) = self.open_file(path, false, m) {
                            return Some(item);
                        }
                    }
                },
                Work::Zip(z) => {
                    if z.next >= z.archive.len() {
                        self.stack.pop();
                        continue;
                    }
                    let i = z.next;
                    z.next += 1;
                    if let Some(item) = self.zip_entry(i) {
                        return Some(item);
                    }
                }
            }
        }
    }
}

impl Sources {
    /// Opens a file on disk: zips are pushed for listing, anything else is read whole.
    fn open_file(
        &mut self,
        path: PathBuf,
        explicit: bool,
        meta: Option<ExportMeta>,
    ) -> Option<Result<Source, ImportError>> {
        // Opening a FIFO blocks until a writer comes, and /dev/zero never ends: look first.
        match std::fs::metadata(&path) {
            Ok(m) if !m.is_file() => {
                return Some(Err(ImportError::NotRegular {
                    path: path.display().to_string(),
                    what: "not a regular file (a pipe, device or socket)",
                }));
            }
            Ok(_) => {}
            Err(e) => return Some(Err(io_err(&path, e))),
        }
        let mut f = match File::open(&path) {
            Ok(f) => f,
            Err(e) => return Some(Err(io_err(&path, e))),
        };
        let mut magic = [0u8; 4];
        let n = f.read(&mut magic).unwrap_or(0);
        let zip_magic = n == 4 && magic == *b"PK\x03\x04";
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if zip_magic || (explicit && is_zip_name(&name)) {
            if let Err(e) = f.rewind() {
                return Some(Err(io_err(&path, e)));
            }
            return match zip::ZipArchive::new(Box::new(f) as Box<dyn ReadSeek>) {
                Ok(archive) => {
                    self.push_zip(path, None, archive, 1);
                    None
                }
                Err(e) => Some(Err(ImportError::Zip {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })),
            };
        }
        if !explicit && !is_candidate(&name) {
            return None;
        }
        let mut bytes = magic[..n].to_vec();
        let len = f.metadata().map_or(0, |m| m.len());
        match read_capped(f, self.max_entry, len) {
            Ok(rest) => bytes.extend_from_slice(&rest),
            Err(e) => return Some(Err(io_err(&path, e))),
        }
        if bytes.len() as u64 > self.max_entry {
            return Some(Err(ImportError::TooLarge {
                path: path.display().to_string(),
                entry: name,
                limit: self.max_entry,
            }));
        }
        Some(Ok(Source {
            path,
            entry: None,
            bytes,
            meta,
        }))
    }

    fn push_zip(
        &mut self,
        path: PathBuf,
        prefix: Option<String>,
        mut archive: zip::ZipArchive<Box<dyn ReadSeek>>,
        depth: usize,
    ) {
        let label = match &prefix {
            Some(p) => format!("{}!{p}", path.display()),
            None => path.display().to_string(),
        };
        let (meta, err) = zip_meta(&mut archive, &label, self.max_entry);
        if let Some(e) = err {
            self.pending.push(Err(e));
        }
        self.stack.push(Work::Zip(Box::new(ZipWork {
            path,
            prefix,
            archive,
            next: 0,
            meta,
            depth,
        })));
    }

    fn zip_entry(&mut self, i: usize) -> Option<Result<Source, ImportError>> {
        let max = self.max_entry;
        let Some(Work::Zip(z)) = self.stack.last_mut() else {
            return None;
        };
        let label = match &z.prefix {
            Some(p) => format!("{}!{p}", z.path.display()),
            None => z.path.display().to_string(),
        };
        let mut f = match z.archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                return Some(Err(ImportError::Zip {
                    path: label,
                    reason: e.to_string(),
                }));
            }
        };
        if f.is_dir() {
            return None;
        }
        // zip 9 reports an entry name that is not valid text as an error instead of guessing.
        let name = match f.name() {
            Ok(n) => n.into_owned(),
            Err(e) => {
                return Some(Err(ImportError::Zip {
                    path: label,
                    reason: e.to_string(),
                }));
            }
        };
        let nested = is_zip_name(&name);
        if !is_candidate(&name) && !nested {
            return None;
        }
        // zip 9 reads `/abs/x` as enclosed (it drops the root); an export never holds an
        // absolute name, so one is refused here whatever the zip crate's reading.
        let absolute = name.starts_with(['/', '\\']) || name.get(1..2) == Some(":");
        if absolute || f.enclosed_name().is_none() {
            return Some(Err(ImportError::UnsafeEntry {
                path: label,
                entry: name,
            }));
        }
        if f.size() > max {
            return Some(Err(ImportError::TooLarge {
                path: label,
                entry: name,
                limit: max,
            }));
        }
        let size = f.size();
        let bytes = match read_capped(&mut f, max, size) {
            Ok(b) => b,
            Err(e) => {
                return Some(Err(ImportError::Zip {
                    path: format!("{label}!{name}"),
                    reason: e.to_string(),
                }));
            }
        };
        drop(f);
        if bytes.len() as u64 > max {
            return Some(Err(ImportError::TooLarge {
                path: label,
                entry: name,
                limit: max,
            }));
        }
        self.total = self.total.saturating_add(bytes.len() as u64);
        if self.total > self.max_total {
            // Nothing more is read from any archive of this listing.
            self.stack.retain(|w| !matches!(w, Work::Zip(_)));
            return Some(Err(ImportError::TotalTooLarge {
                path: label,
                limit: self.max_total,
            }));
        }
        let Some(Work::Zip(z)) = self.stack.last_mut() else {
            return None;
        };
        let entry = match &z.prefix {
            Some(p) => format!("{p}!{name}"),
            None => name.clone(),
        };
        if nested {
            if z.depth >= MAX_ZIP_DEPTH {
                return Some(Err(ImportError::Zip {
                    path: format!("{label}!{name}"),
                    reason: format!("zips nested deeper than {MAX_ZIP_DEPTH} levels; skipped"),
                }));
            }
            let (path, depth) = (z.path.clone(), z.depth + 1);
            return match zip::ZipArchive::new(Box::new(Cursor::new(bytes)) as Box<dyn ReadSeek>) {
                Ok(archive) => {
                    self.push_zip(path, Some(entry), archive, depth);
                    None
                }
                Err(e) => Some(Err(ImportError::Zip {
                    path: format!("{label}!{name}"),
                    reason: e.to_string(),
                })),
            };
        }
        let meta = z.meta.get(&name).cloned();
        Some(Ok(Source {
            path: z.path.clone(),
            entry: Some(entry),
            bytes,
            meta,
        }))
    }
}

/// Reads `activities.csv` in a folder given to [`sources`] (an unzipped Strava export).
fn folder_meta(dir: &Path) -> (HashMap<String, ExportMeta>, Option<ImportError>) {
    let csv_path = dir.join("activities.csv");
    let csv_err = |reason: String| {
        (
            HashMap::new(),
            Some(ImportError::Csv {
                path: dir.display().to_string(),
                reason,
            }),
        )
    };
    // A FIFO named activities.csv once hung the import, and /dev/zero read without end.
    match std::fs::metadata(&csv_path) {
        Err(_) => return (HashMap::new(), None),
        Ok(m) if !m.is_file() => {
            return csv_err("not a regular file (a pipe, device or socket); ignored".into());
        }
        Ok(_) => {}
    }
    let bytes = match File::open(&csv_path).and_then(|f| read_capped(f, MAX_CSV, 0)) {
        Ok(b) if b.len() as u64 > MAX_CSV => {
            return csv_err(format!("larger than {MAX_CSV} bytes; ignored"));
        }
        Ok(b) => b,
        Err(e) => return csv_err(e.to_string()),
    };
    match parse_activities_csv(&bytes, "") {
        Ok(m) => (m, None),
        Err(reason) => (
            HashMap::new(),
            Some(ImportError::Csv {
                path: dir.display().to_string(),
                reason,
            }),
        ),
    }
}

/// Finds and reads `activities.csv` in a zip (at its root or one folder down).
fn zip_meta(
    archive: &mut zip::ZipArchive<Box<dyn ReadSeek>>,
    label: &str,
    max: u64,
) -> (HashMap<String, ExportMeta>, Option<ImportError>) {
    let found = archive.file_names().filter_map(Result::ok).find_map(|n| {
        let base = n.strip_suffix("activities.csv")?;
        (base.is_empty() || (base.ends_with('/') && base[..base.len() - 1].find('/').is_none()))
            .then(|| (n.to_string(), base.to_owned()))
    });
    let Some((name, base)) = found else {
        return (HashMap::new(), None);
    };
    let csv_err = |reason: String| ImportError::Csv {
        path: label.to_owned(),
        reason,
    };
    let bytes = match archive
        .by_name(&name)
        .map_err(|e| e.to_string())
        .and_then(|f| {
            let size = f.size();
            read_capped(f, max, size).map_err(|e| e.to_string())
        }) {
        Ok(b) => b,
        Err(e) => return (HashMap::new(), Some(csv_err(e))),
    };
    match parse_activities_csv(&bytes, &base) {
        Ok(m) => (m, None),
        Err(reason) => (HashMap::new(), Some(csv_err(reason))),
    }
}

/// Header names of the columns runsore reads, in the languages seen in Strava exports. Columns are
/// found by the first header that matches, because Strava repeats some names ("Elapsed Time",
/// "Distance") with other units further right.
const H_ID: &[&str] = &[
    "activity id",
    "aktivitäts-id",
    "id de l'activité",
    "id de actividad",
];
const H_DATE: &[&str] = &[
    "activity date",
    "aktivitätsdatum",
    "date de l'activité",
    "fecha de la actividad",
];
const H_NAME: &[&str] = &[
    "activity name",
    "name der aktivität",
    "nom de l'activité",
    "nombre de la actividad",
];
const H_TYPE: &[&str] = &[
    "activity type",
    "aktivitätsart",
    "type d'activité",
    "tipo de actividad",
];
const H_FILE: &[&str] = &[
    "filename",
    "dateiname",
    "nom du fichier",
    "nombre del archivo",
];
const H_RPE: &[&str] = &[
    "perceived exertion",
    "wahrgenommene anstrengung",
    "effort perçu",
    "esfuerzo percibido",
];

/// Parses Strava's `activities.csv` into metadata keyed by archive entry name (`base` + the
/// `Filename` column). When the headers are in an unknown language, the columns fall back to
/// Strava's fixed order (id, date, name, type) and the filename column is found by its values.
pub fn parse_activities_csv(
    bytes: &[u8],
    base: &str,
) -> Result<HashMap<String, ExportMeta>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = rdr.records();
    let header = match rows.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(format!("header: {e}")),
        None => return Err("empty file".into()),
    };
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let records: Vec<csv::StringRecord> = rows
        .enumerate()
        .map(|(i, r)| r.map_err(|e| format!("line {}: {e}", i + 2)))
        .collect::<Result<_, _>>()?;
    let known = find(H_FILE).is_some();
    let file_col = find(H_FILE).or_else(|| {
        (0..header.len()).find(|&c| {
            records.iter().any(|r| {
                r.get(c)
                    .is_some_and(|v| v.trim().starts_with("activities/"))
            })
        })
    });
    let Some(file_col) = file_col else {
        return Err("no Filename column".into());
    };
    let pos = |names: &[&str], fallback: usize| find(names).or((!known).then_some(fallback));
    let (id, date, name, ty, rpe) = (
        pos(H_ID, 0),
        pos(H_DATE, 1),
        pos(H_NAME, 2),
        pos(H_TYPE, 3),
        find(H_RPE),
    );
    let mut out = HashMap::new();
    for r in &records {
        let get = |c: Option<usize>| {
            c.and_then(|c| r.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let Some(file) = get(Some(file_col)) else {
            continue;
        };
        let date_text = get(date);
        let meta = ExportMeta {
            activity_id: get(id),
            name: get(name),
            activity_type: get(ty),
            rpe: get(rpe)
                .and_then(|v| v.replace(',', ".").parse::<f64>().ok())
                .filter(|v| (1.0..=10.0).contains(v)),
            date_utc: date_text.as_deref().and_then(parse_local_date),
            date_text,
        };
        let file = file.trim_start_matches("./");
        out.insert(format!("{base}{file}"), meta);
    }
    Ok(out)
}

/// Month-name prefixes in the languages of Strava exports, longest first where they overlap.
const MONTHS: &[(&str, u32)] = &[
    ("janv", 1),
    ("jan", 1),
    ("ene", 1),
    ("gen", 1),
    ("févr", 2),
    ("fevr", 2),
    ("feb", 2),
    ("fév", 2),
    ("fev", 2),
    ("mars", 3),
    ("mar", 3),
    ("mär", 3),
    ("mrz", 3),
    ("mrt", 3),
    ("avr", 4),
    ("apr", 4),
    ("abr", 4),
    ("may", 5),
    ("mai", 5),
    ("mag", 5),
    ("mei", 5),
    ("juin", 6),
    ("juil", 7),
    ("jun", 6),
    ("jul", 7),
    ("giu", 6),
    ("lug", 7),
    ("aoû", 8),
    ("aou", 8),
    ("aug", 8),
    ("ago", 8),
    ("sep", 9),
    ("set", 9),
    ("oct", 10),
    ("okt", 10),
    ("ott", 10),
    ("out", 10),
    ("nov", 11),
    ("dec", 12),
    ("déc", 12),
    ("dez", 12),
    ("dic", 12),
];

/// Reads the localised dates of Strava's `activities.csv` ("Jan 5, 2020, 7:03:23 AM",
/// "5 janv. 2020, 07:03:23", "05.01.2020, 07:03:23", "2020-01-05 07:03:23"), taken as UTC as
/// Strava writes them. Returns `None` when the text cannot be read unambiguously.
pub fn parse_local_date(s: &str) -> Option<i64> {
    let lower = s.to_lowercase();
    let mut nums: Vec<(u32, usize)> = Vec::new(); // value, digit count
    let mut month_name = None;
    let mut pm = None;
    let mut time: Vec<u32> = Vec::new();
    let mut date_sep = None;
    for tok in lower.split(|c: char| c.is_whitespace() || c == ',') {
        let tok = tok.trim_matches('.');
        if tok.is_empty() {
            continue;
        }
        if tok == "am" || tok == "a.m" {
            pm = Some(false);
            continue;
        }
        if tok == "pm" || tok == "p.m" {
            pm = Some(true);
            continue;
        }
        if tok.contains(':') {
            time = tok.split(':').filter_map(|p| p.parse().ok()).collect();
            continue;
        }
        if tok.chars().next().is_some_and(char::is_alphabetic) {
            if month_name.is_none() {
                month_name = MONTHS
                    .iter()
                    .find(|(p, _)| tok.starts_with(p))
                    .map(|&(_, m)| m);
            }
            continue;
        }
        for sep in ['-', '.', '/'] {
            if tok.contains(sep) {
                date_sep = Some(sep);
            }
        }
        for part in tok.split(['-', '.', '/']) {
            if let Ok(v) = part.parse::<u32>() {
                nums.push((v, part.len()));
            }
        }
    }
    let (y, m, d) = if let Some(m) = month_name {
        let y = nums.iter().find(|n| n.1 == 4)?.0;
        let d = nums.iter().find(|n| n.1 <= 2)?.0;
        (y, m, d)
    } else {
        let [a, b, c] = nums.get(..3)?.try_into().ok()?;
        if a.1 == 4 {
            (a.0, b.0, c.0)
        } else if c.1 == 4 {
            // Slashes are month first (US) unless the first number cannot be a month.
            if date_sep == Some('/') && a.0 <= 12 {
                (c.0, a.0, b.0)
            } else {
                (c.0, b.0, a.0)
            }
        } else {
            return None;
        }
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1900..=2200).contains(&y) {
        return None;
    }
    let mut h = *time.first().unwrap_or(&0);
    let mi = *time.get(1).unwrap_or(&0);
    let sec = *time.get(2).unwrap_or(&0);
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = crate::timefmt::days_from_civil(i64::from(y), m, d)?;
    Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + sec))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localised_dates() {
        let want = Some(1_578_207_803); // 2020-01-05T07:03:23Z
        for s in [
            "Jan 5, 2020, 7:03:23 AM",
            "5 Jan 2020, 07:03:23",
            "5 janv. 2020, 07:03:23",
            "05.01.2020, 07:03:23",
            "2020-01-05 07:03:23",
            "01/05/2020 07:03:23",
            "5 ene. 2020 7:03:23",
        ] {
            assert_eq!(parse_local_date(s), want, "{s}");
        }
        assert_eq!(
            parse_local_date("Jan 5, 2020, 7:03:23 PM"),
            want.map(|t| t + 12 * 3600)
        );
        assert_eq!(parse_local_date("yesterday"), None);
    }

    #[test]
    fn csv_duplicate_columns_and_positions() {
        let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,Elapsed Time,Distance,Perceived Exertion\n\
                   1,\"Jan 5, 2020, 7:03:23 AM\",Morning Run,Run,100,1.0,activities/1.fit.gz,100,1000.0,7\n\
                   2,\"Jan 6, 2020, 7:03:23 AM\",\"Lunch, Ride\",Ride,100,1.0,,100,1000.0,\n";
        let m = parse_activities_csv(csv.as_bytes(), "").unwrap();
        assert_eq!(m.len(), 1);
        let e = &m["activities/1.fit.gz"];
        assert_eq!(e.name.as_deref(), Some("Morning Run"));
        assert_eq!(e.activity_type.as_deref(), Some("Run"));
        assert_eq!(e.rpe, Some(7.0));
        assert_eq!(e.date_utc, Some(1_578_207_803));

        // Unknown header language: fixed positions, filename column found by its values.
        let csv = "A,B,C,D,E\n9,\"05.01.2020, 07:03:23\",Lauf,Run,activities/9.gpx\n";
        let m = parse_activities_csv(csv.as_bytes(), "export/").unwrap();
        assert_eq!(m["export/activities/9.gpx"].name.as_deref(), Some("Lauf"));
    }
}
