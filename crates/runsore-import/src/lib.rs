//! runsore-import: the only crate that reads user files. It turns FIT, GPX and TCX files (plain or
//! gzipped), folders and Strava / Garmin export archives into [`runsore_model::Run`]s.
//!
//! Two entry points, meant to be combined by the CLI:
//! - [`sources`] walks paths (files, folders, zip archives, zips inside zips) and yields every
//!   candidate activity file with its bytes, reading archive entries in memory;
//! - [`decode`] (and [`decode_source`]) turns one file's bytes into runs. It is pure over its
//!   input and `Send`, so callers can run it on all cores. [`inflate`] then [`decode_inflated`]
//!   split it in two, so a caller can look the file's hash up before paying for decoding.
//!
//! Invariants: decoders never panic and never read past their input; nothing is allocated from a
//! size a file declares; inflating stops at [`DecodeOptions::max_inflated`] bytes; a damaged file
//! yields what could be read plus warnings, or a [`DecodeError`] that names the file and what is
//! wrong.

pub mod archive;
pub mod fit;
mod gpx;
mod sport;
pub mod summary;
mod tcx;
mod timefmt;
mod xml;

use std::io::Read;

use runsore_model::{Format, Run};

pub use archive::{ExportMeta, ImportError, Source, sources};
pub use sport::sport_from_name;
pub use timefmt::parse_iso8601;

/// The default cap on the size of one decompressed file: 256 MiB, far above any real activity
/// (the corpus's largest is 3.5 MB) and low enough that a decompression bomb cannot exhaust memory.
pub const DEFAULT_MAX_INFLATED: u64 = 256 * 1024 * 1024;

/// The most samples one file may decode to, whatever its format: 11 days of one-second records,
/// beyond any real activity; about 100 MB of samples at most (see `docs/limits.md`).
pub const MAX_SAMPLES: usize = 1_000_000;

/// The error of a file that holds more than [`MAX_SAMPLES`] points.
pub(crate) fn too_many_samples() -> String {
    format!(
        "more than {MAX_SAMPLES} samples (over 11 days at one a second); refused as not a real \
         activity"
    )
}

/// Settings of [`decode_with`].
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions {
    /// Largest size a `.gz` file may inflate to, in bytes.
    pub max_inflated: u64,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            max_inflated: DEFAULT_MAX_INFLATED,
        }
    }
}

/// What one file held.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// One run per session (FIT), track (GPX) or activity (TCX), in file order. The position in
    /// this list is the session index that [`content_hash`] takes.
    Runs(Vec<Run>),
    /// A valid file that is not an activity (settings, monitoring, a route without times).
    NotActivity {
        /// Why, in words a person understands.
        reason: String,
    },
}

/// Why a file could not be decoded: the file and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {kind}")]
pub struct DecodeError {
    /// The source name given to [`decode`].
    pub file: String,
    /// What is wrong.
    pub kind: DecodeErrorKind,
}

/// The kinds of [`DecodeError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeErrorKind {
    /// The file has no bytes at all.
    #[error("empty file (0 bytes)")]
    Empty,
    /// Neither the content nor the name says FIT, GPX or TCX.
    #[error("not a FIT, GPX or TCX file ({0})")]
    UnknownFormat(String),
    /// A FIT file that could not be read.
    #[error("fit: {0}")]
    Fit(String),
    /// A GPX file that could not be read.
    #[error("gpx: {0}")]
    Gpx(String),
    /// A TCX file that could not be read.
    #[error("tcx: {0}")]
    Tcx(String),
    /// A `.gz` file whose compressed data is damaged.
    #[error("gzip: {0}")]
    Gzip(String),
    /// A `.gz` file that inflates past the cap.
    #[error("gzip: inflates to more than {limit} bytes; refused as a possible decompression bomb")]
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
}

/// Hex BLAKE3 content hash of a run: the decoded (gunzipped) file bytes, plus the session index
/// for every session after the first, so the first run of a file carries the file's own hash.
pub fn content_hash(decoded_bytes: &[u8], session_index: usize) -> String {
    if session_index == 0 {
        return blake3::hash(decoded_bytes).to_hex().to_string();
    }
    let mut h = blake3::Hasher::new();
    h.update(decoded_bytes);
    h.update(&(session_index as u64).to_le_bytes());
    h.finalize().to_hex().to_string()
}

/// Whether bytes start like a gzip stream.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1F, 0x8B])
}

/// Inflates gzip bytes (all members), refusing to produce more than `limit` bytes.
pub fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, DecodeErrorKind> {
    // The gzip trailer states the inflated size (mod 4 GiB); trust it only as a capacity hint,
    // bounded by the cap and by a plausible ratio, so a lying trailer cannot reserve much.
    let stated = bytes
        .len()
        .checked_sub(4)
        .map(|i| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize);
    let hint = stated
        .unwrap_or(0)
        .min(bytes.len().saturating_mul(32))
        .min(usize::try_from(limit).unwrap_or(usize::MAX));
    let mut out = Vec::with_capacity(hint.saturating_add(1));
    let mut r = flate2::read::MultiGzDecoder::new(bytes).take(limit.saturating_add(1));
    r.read_to_end(&mut out)
        .map_err(|e| DecodeErrorKind::Gzip(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(DecodeErrorKind::TooLarge { limit });
    }
    Ok(out)
}

/// Decides the format of (gunzipped) bytes: the FIT signature first, then the name, then a look
/// at the first XML element.
fn sniff(name: &str, b: &[u8]) -> Option<Format> {
    if b.len() >= 12 && &b[8..12] == b".FIT" {
        return Some(Format::Fit);
    }
    let lower = name.to_ascii_lowercase();
    let base = lower.strip_suffix(".gz").unwrap_or(&lower);
    for (ext, f) in [
        (".fit", Format::Fit),
        (".gpx", Format::Gpx),
        (".tcx", Format::Tcx),
    ] {
        if base.ends_with(ext) {
            return Some(f);
        }
    }
    let head = &b[..b.len().min(64 * 1024)];
    let find = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if find(b"TrainingCenterDatabase") {
        Some(Format::Tcx)
    } else if find(b"<gpx") || find(b":gpx") {
        Some(Format::Gpx)
    } else {
        None
    }
}

/// Decodes one file's bytes (plain or gzipped) with default options. `source_name` is the path
/// (and `!entry` inside an archive); it names the file in runs and errors and hints the format.
pub fn decode(source_name: &str, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with(source_name, bytes, &DecodeOptions::default())
}

/// Decodes one file's bytes with the given options.
pub fn decode_with(
    source_name: &str,
    bytes: &[u8],
    opts: &DecodeOptions,
) -> Result<Decoded, DecodeError> {
    decode_inflated(&inflate(source_name, bytes, opts)?)
}

/// A file's bytes after gunzip, with the content hash of its first run. Lets a caller skip the
/// decoding of a file whose hash its store already holds (a re-import then costs one inflate).
#[derive(Debug, Clone)]
pub struct Inflated<'a> {
    /// The source name, as given.
    pub name: &'a str,
    /// The decoded file bytes (borrowed when the file was not gzipped).
    pub data: std::borrow::Cow<'a, [u8]>,
    /// [`content_hash`] of `data` for session 0, i.e. of the file.
    pub hash: String,
}

/// Inflates a file's bytes if gzipped (within `opts.max_inflated`) and hashes them.
pub fn inflate<'a>(
    source_name: &'a str,
    bytes: &'a [u8],
    opts: &DecodeOptions,
) -> Result<Inflated<'a>, DecodeError> {
    let err = |kind| DecodeError {
        file: source_name.to_owned(),
        kind,
    };
    if bytes.is_empty() {
        return Err(err(DecodeErrorKind::Empty));
    }
    let data = if is_gzip(bytes) {
        std::borrow::Cow::Owned(gunzip(bytes, opts.max_inflated).map_err(err)?)
    } else {
        std::borrow::Cow::Borrowed(bytes)
    };
    if data.is_empty() {
        return Err(err(DecodeErrorKind::Empty));
    }
    let hash = content_hash(&data, 0);
    Ok(Inflated {
        name: source_name,
        data,
        hash,
    })
}

/// The start of the warning that flags an implausible run.
pub const IMPLAUSIBLE: &str = "implausible:";

/// Flags every run whose distance, duration or speed no one reaches in its sport
/// ([`runsore_model::plausible`]): the run is kept and imported, and the analytics leave it out.
fn flag_implausible(d: &mut Decoded) {
    let Decoded::Runs(runs) = d else { return };
    for run in runs {
        run.warnings.retain(|w| !w.starts_with(IMPLAUSIBLE));
        let s = run.best_summary();
        if let Some(why) = runsore_model::plausible::implausible(
            &run.sport,
            s.distance_m,
            s.moving_s.or(s.elapsed_s),
        ) {
            run.warnings.push(format!(
                "{IMPLAUSIBLE} {why}; kept, but left out of training figures"
            ));
        }
    }
}

/// Decodes inflated bytes (see [`inflate`]) into runs.
pub fn decode_inflated(inf: &Inflated<'_>) -> Result<Decoded, DecodeError> {
    let mut d = decode_inflated_raw(inf)?;
    flag_implausible(&mut d);
    Ok(d)
}

fn decode_inflated_raw(inf: &Inflated<'_>) -> Result<Decoded, DecodeError> {
    let (source_name, data) = (inf.name, &inf.data[..]);
    let err = |kind| DecodeError {
        file: source_name.to_owned(),
        kind,
    };
    let hash_of = |i: usize| {
        if i == 0 {
            inf.hash.clone()
        } else {
            content_hash(data, i)
        }
    };
    match sniff(source_name, data) {
        Some(Format::Fit) => {
            let ff = fit::FitFile::decode(data).map_err(|e| err(DecodeErrorKind::Fit(e.0)))?;
            fit::runs::to_runs(ff, source_name, &hash_of).map_err(|e| err(DecodeErrorKind::Fit(e)))
        }
        Some(Format::Gpx) => {
            let p = gpx::parse(data).map_err(|e| err(DecodeErrorKind::Gpx(e)))?;
            Ok(xml_runs(p, Format::Gpx, source_name, &hash_of))
        }
        Some(Format::Tcx) => {
            let p = tcx::parse(data).map_err(|e| err(DecodeErrorKind::Tcx(e)))?;
            Ok(xml_runs(p, Format::Tcx, source_name, &hash_of))
        }
        None => Err(err(DecodeErrorKind::UnknownFormat(
            "no FIT signature, no <gpx> or <TrainingCenterDatabase> element".into(),
        ))),
    }
}

/// Decodes a [`Source`] and applies what its export said about it (name, sport, perceived
/// exertion from Strava's activities.csv).
pub fn decode_source(src: &Source) -> Result<Decoded, DecodeError> {
    let mut d = decode(&src.name(), &src.bytes)?;
    if let (Decoded::Runs(runs), Some(meta)) = (&mut d, &src.meta) {
        for run in runs.iter_mut() {
            meta.apply(run);
        }
    }
    // The export may have named the sport: judge again against it.
    flag_implausible(&mut d);
    Ok(d)
}

/// Turns the tracks of a GPX or TCX file into runs; tracks without timed points are not runs.
fn xml_runs(
    p: gpx::Parsed,
    format: Format,
    source: &str,
    hash_of: &dyn Fn(usize) -> String,
) -> Decoded {
    let kind = format.as_str();
    let mut runs = Vec::new();
    let mut untimed_tracks = 0usize;
    let mut empty_tracks = 0usize;
    for mut trk in p.tracks {
        let untimed = fill_missing_times(&mut trk.samples);
        if trk.samples.is_empty() || untimed == trk.samples.len() {
            if trk.points > 0 {
                untimed_tracks += 1;
            } else {
                empty_tracks += 1;
            }
            continue;
        }
        let mut warnings = p.warnings.clone();
        if untimed > 0 {
            warnings.push(format!(
                "{kind}: {untimed} points without a time took the time of a neighbouring point"
            ));
        }
        let mut summary = summary::summarize(&trk.samples);
        summary.local_offset_s = p.local_offset_s;
        let i = runs.len();
        runs.push(Run {
            source: source.to_owned(),
            format,
            content_hash: hash_of(i),
            device: p.device.clone(),
            sport: trk
                .sport
                .as_deref()
                .map_or(runsore_model::Sport::Unknown, sport_from_name),
            sub_sport: None,
            name: trk.name,
            rpe: None,
            summary,
            device_summary: trk.device_summary,
            samples: trk.samples,
            partial: p.partial,
            warnings,
        });
    }
    if runs.is_empty() {
        let reason = if untimed_tracks > 0 {
            format!("{kind}: its tracks have no times (a route or plan, not a recorded activity)")
        } else if empty_tracks > 0 {
            format!("{kind}: its tracks have no points")
        } else if format == Format::Gpx {
            "gpx: no track (only routes or waypoints, if anything)".to_owned()
        } else {
            "tcx: no activity".to_owned()
        };
        return Decoded::NotActivity { reason };
    }
    Decoded::Runs(runs)
}

/// Gives points without a time (NaN) the time of the point before them, or of the first timed
/// point for those at the start, so their position still counts. Returns how many had none.
fn fill_missing_times(samples: &mut [runsore_model::Sample]) -> usize {
    let missing = samples.iter().filter(|s| s.t.is_nan()).count();
    if missing == 0 || missing == samples.len() {
        return missing;
    }
    let first = samples
        .iter()
        .map(|s| s.t)
        .find(|t| !t.is_nan())
        .unwrap_or(0.0);
    let mut prev = first;
    for s in samples.iter_mut() {
        if s.t.is_nan() {
            s.t = prev;
        } else {
            prev = s.t;
        }
    }
    missing
}
