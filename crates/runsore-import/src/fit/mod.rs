//! A FIT decoder written for importing activities: it walks the protocol itself and keeps only the
//! messages and fields runsore needs (file_id, session, record, activity, sport).
//!
//! Why not a crate: the research note (shared/research/formats.md §2) measured fitparser at about
//! 6.5 MB/s with memory 60 times the file, all-or-nothing errors and messages printed to stderr;
//! a walker like this one runs at hundreds of MB/s, salvages truncated files and never prints.
//!
//! Invariants: every read is bounds-checked against the input (no indexing past a checked length),
//! nothing is allocated from a size the file declares, and damage ends the walk with what was read
//! so far plus a warning, never a panic.

mod crc;
pub mod profile;
pub(crate) mod runs;

pub use crc::crc16;

/// Seconds from the Unix epoch to the FIT epoch (1989-12-31T00:00:00Z).
pub const FIT_EPOCH: i64 = 631_065_600;

/// FIT times below this are seconds since the device powered on, not dates (FIT profile).
pub const FIT_MIN_DATE: u32 = 0x1000_0000;

/// Where one `record` message sits: its FIT time and the logical file it came from. Kept beside
/// the samples rather than inside them so a single-session file's samples move into its run
/// without a copy.
#[derive(Debug, Clone, Copy)]
pub struct Record {
    /// Index of the logical FIT file (chained parts without their own file_id continue one).
    pub file: u32,
    /// FIT timestamp (seconds since the FIT epoch, or device-relative when below FIT_MIN_DATE).
    pub ts: u32,
}

/// One `session` message with the fields runsore keeps, scale applied.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// Logical file the session belongs to.
    pub file: u32,
    /// `start_time` (raw FIT time).
    pub start: Option<u32>,
    /// `timestamp`: the end of the session in the FIT profile.
    pub end: Option<u32>,
    /// `total_elapsed_time`, seconds.
    pub elapsed_s: Option<f64>,
    /// `total_timer_time`, seconds.
    pub timer_s: Option<f64>,
    /// `total_moving_time`, seconds.
    pub moving_s: Option<f64>,
    /// `total_distance`, metres.
    pub distance_m: Option<f64>,
    /// `sport` enum value.
    pub sport: Option<u8>,
    /// `sub_sport` enum value.
    pub sub_sport: Option<u8>,
    /// `avg_heart_rate`, bpm.
    pub avg_hr: Option<u8>,
    /// `max_heart_rate`, bpm.
    pub max_hr: Option<u8>,
    /// `total_ascent`, metres.
    pub ascent_m: Option<u16>,
    /// `total_descent`, metres.
    pub descent_m: Option<u16>,
    /// `avg_temperature`, °C.
    pub avg_temp_c: Option<i8>,
}

/// Everything the walker kept from one FIT file (all chained parts).
#[derive(Debug, Default)]
pub struct FitFile {
    /// `file_id.type` of the first file_id message.
    pub file_type: Option<u8>,
    /// Whether any file_id message was seen.
    pub has_file_id: bool,
    /// `file_id.manufacturer`.
    pub manufacturer: Option<u16>,
    /// `file_id.product`.
    pub product: Option<u16>,
    /// Where each record message sits, in file order (parallel to `samples`).
    pub records: Vec<Record>,
    /// The decoded values of each record message; `t` is already in Unix seconds.
    pub samples: Vec<runsore_model::Sample>,
    /// All session messages in file order.
    pub sessions: Vec<Session>,
    /// The `sport` message (sport, sub_sport), used when a session lacks them.
    pub sport: Option<(u8, Option<u8>)>,
    /// Local time minus UTC, from the activity message.
    pub local_offset_s: Option<i32>,
    /// Problems that did not stop the walk.
    pub warnings: Vec<String>,
    /// True when the walk stopped on damage before the end of the declared data.
    pub partial: bool,
    /// Number of FIT headers read (chained files).
    pub headers: u32,
    /// Number of data messages read.
    pub messages: u64,
    /// Number of logical files (chained parts that open with a file_id).
    pub logical_files: u32,
    /// Record messages skipped because no timestamp was known for them.
    pub untimed_records: u64,
    /// Sum of the data sizes the headers declare.
    pub declared_data: u64,
}

/// Why a FIT file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitError(pub String);

// Message numbers (FIT profile).
const MESG_FILE_ID: u16 = 0;
const MESG_SPORT: u16 = 12;
const MESG_SESSION: u16 = 18;
const MESG_RECORD: u16 = 20;
const MESG_ACTIVITY: u16 = 34;

// Slots in the per-message value array. One namespace across messages keeps the table small.
const T_TS: u8 = 0;
const T_LAT: u8 = 1;
const T_LON: u8 = 2;
const T_ALT: u8 = 3;
const T_EALT: u8 = 4;
const T_HR: u8 = 5;
const T_CAD: u8 = 6;
const T_DIST: u8 = 7;
const T_SPEED: u8 = 8;
const T_ESPEED: u8 = 9;
const T_CSD: u8 = 10;
const T_TEMP: u8 = 11;
const T_START: u8 = 12;
const T_ELAPSED: u8 = 13;
const T_TIMER: u8 = 14;
const T_MOVING: u8 = 15;
const T_SPORT: u8 = 16;
const T_SUB: u8 = 17;
const T_AVGHR: u8 = 18;
const T_MAXHR: u8 = 19;
const T_ASC: u8 = 20;
const T_DESC: u8 = 21;
const T_AVGTEMP: u8 = 22;
const T_TYPE: u8 = 23;
const T_MANU: u8 = 24;
const T_PROD: u8 = 25;
const T_LOCALTS: u8 = 26;
const SLOTS: usize = 27;

/// Marks an absent or invalid value in the slot array.
const NONE: i64 = i64::MIN;

/// The slot a (message, field) pair goes to, if runsore keeps it.
fn target(global: u16, field: u8) -> Option<u8> {
    if field == 253 {
        return Some(T_TS);
    }
    Some(match (global, field) {
        (MESG_RECORD, 0) => T_LAT,
        (MESG_RECORD, 1) => T_LON,
        (MESG_RECORD, 2) => T_ALT,
        (MESG_RECORD, 3) => T_HR,
        (MESG_RECORD, 4) => T_CAD,
        (MESG_RECORD, 5) => T_DIST,
        (MESG_RECORD, 6) => T_SPEED,
        (MESG_RECORD, 8) => T_CSD,
        (MESG_RECORD, 13) => T_TEMP,
        (MESG_RECORD, 73) => T_ESPEED,
        (MESG_RECORD, 78) => T_EALT,
        (MESG_SESSION, 2) => T_START,
        (MESG_SESSION, 5) => T_SPORT,
        (MESG_SESSION, 6) => T_SUB,
        (MESG_SESSION, 7) => T_ELAPSED,
        (MESG_SESSION, 8) => T_TIMER,
        (MESG_SESSION, 9) => T_DIST,
        (MESG_SESSION, 16) => T_AVGHR,
        (MESG_SESSION, 17) => T_MAXHR,
        (MESG_SESSION, 22) => T_ASC,
        (MESG_SESSION, 23) => T_DESC,
        (MESG_SESSION, 57) => T_AVGTEMP,
        (MESG_SESSION, 59) => T_MOVING,
        (MESG_FILE_ID, 0) => T_TYPE,
        (MESG_FILE_ID, 1) => T_MANU,
        (MESG_FILE_ID, 2) => T_PROD,
        (MESG_ACTIVITY, 5) => T_LOCALTS,
        (MESG_SPORT, 0) => T_SPORT,
        (MESG_SPORT, 1) => T_SUB,
        _ => return None,
    })
}

/// Where one kept field sits inside a data message.
#[derive(Debug, Clone, Copy)]
struct FieldLoc {
    off: u16,
    kind: Kind,
    slot: u8,
}

/// How to read a kept field, settled once per definition rather than per message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    U8,
    U8z,
    I8,
    U16,
    U16z,
    I16,
    U32,
    U32z,
    I32,
    /// compressed_speed_distance: a 3-byte array read whole.
    Csd,
    /// A declared size smaller than the base type (COROS writes such), a string, a float, or
    /// a 64-bit type: read as invalid rather than misread.
    Skip,
}

impl Kind {
    fn of(base: u8, size: u8, slot: u8) -> Kind {
        if slot == T_CSD {
            return if size >= 3 { Kind::Csd } else { Kind::Skip };
        }
        let (kind, need) = match base & 0x1F {
            0 | 2 | 13 => (Kind::U8, 1),
            10 => (Kind::U8z, 1),
            1 => (Kind::I8, 1),
            3 => (Kind::I16, 2),
            4 => (Kind::U16, 2),
            11 => (Kind::U16z, 2),
            5 => (Kind::I32, 4),
            6 => (Kind::U32, 4),
            12 => (Kind::U32z, 4),
            _ => return Kind::Skip,
        };
        if size >= need { kind } else { Kind::Skip }
    }
}

/// A definition message, reduced to what decoding its data messages needs.
#[derive(Debug, Clone)]
struct Def {
    global: u16,
    big_endian: bool,
    /// Total size of a data message body, developer fields included.
    size: usize,
    fields: Vec<FieldLoc>,
    /// Bit i set when slot i is filled by this definition.
    mask: u32,
}

/// Reads one field's value from the start of `b`, applying the FIT invalid-value sentinels.
#[inline]
fn read_value(b: &[u8], big_endian: bool, kind: Kind) -> i64 {
    macro_rules! int {
        ($t:ty, $n:expr) => {{
            let Some(s) = b.get(..$n) else { return NONE };
            let mut a = [0u8; $n];
            a.copy_from_slice(s);
            if big_endian {
                <$t>::from_be_bytes(a)
            } else {
                <$t>::from_le_bytes(a)
            }
        }};
    }
    let Some(&b0) = b.first() else { return NONE };
    match kind {
        Kind::U8 if b0 != 0xFF => i64::from(b0),
        Kind::U8z if b0 != 0 => i64::from(b0),
        Kind::I8 if b0 != 0x7F => i64::from(b0 as i8),
        Kind::U16 => match int!(u16, 2) {
            0xFFFF => NONE,
            v => i64::from(v),
        },
        Kind::U16z => match int!(u16, 2) {
            0 => NONE,
            v => i64::from(v),
        },
        Kind::I16 => match int!(i16, 2) {
            0x7FFF => NONE,
            v => i64::from(v),
        },
        Kind::U32 => match int!(u32, 4) {
            0xFFFF_FFFF => NONE,
            v => i64::from(v),
        },
        Kind::U32z => match int!(u32, 4) {
            0 => NONE,
            v => i64::from(v),
        },
        Kind::I32 => match int!(i32, 4) {
            0x7FFF_FFFF => NONE,
            v => i64::from(v),
        },
        Kind::Csd => match b.get(..3) {
            Some(&[0xFF, 0xFF, 0xFF]) | None => NONE,
            Some(s) => i64::from(s[0]) | i64::from(s[1]) << 8 | i64::from(s[2]) << 16,
        },
        _ => NONE,
    }
}

pub use crate::MAX_SAMPLES;

/// The fewest bytes a record message takes: its header and at least one byte of values. A record
/// of no bytes (a definition with no fields, then one-byte compressed-timestamp headers) carries
/// no value, and once turned each byte of a 256 MiB file into a sample (26 GB).
pub const MIN_RECORD_BYTES: usize = 2;

struct Walker<'a> {
    b: &'a [u8],
    /// Set when the file asked for more samples than its size or [`MAX_SAMPLES`] allow.
    over_budget: Option<String>,
    out: FitFile,
    defs: [Option<Def>; 16],
    vals: [i64; SLOTS],
    last_ts: Option<u32>,
    /// compressed_speed_distance keeps a 12-bit rolling distance; this accumulates it.
    csd: Csd,
    /// Data messages seen in the current chained part (a part opening with file_id is a new file).
    part_messages: u64,
}

impl FitFile {
    /// Walks `b` as a FIT file. Fails only when not even the first header can be read; damage
    /// later on keeps what was read and sets `partial` with a warning.
    pub fn decode(b: &[u8]) -> Result<FitFile, FitError> {
        let mut w = Walker {
            b,
            over_budget: None,
            out: FitFile::default(),
            defs: Default::default(),
            vals: [NONE; SLOTS],
            last_ts: None,
            csd: Csd::default(),
            part_messages: 0,
        };
        // Records are most of a FIT file at 20 to 40 bytes each; reserving for that saves the
        // copies of a growing vector without trusting any size the file declares. Never more
        // than the sample cap: a 255 MiB bomb once reserved 800 MB at once, which a process under
        // a memory limit could not get (tests/hostile_memory.rs in runsore-cli).
        let expected = (b.len() / 32).min(MAX_SAMPLES);
        w.out.records.reserve(expected);
        w.out.samples.reserve(expected);
        w.run()?;
        match w.over_budget {
            Some(why) => Err(FitError(why)),
            None => Ok(w.out),
        }
    }
}

impl<'a> Walker<'a> {
    fn warn(&mut self, msg: String) {
        // A file with thousands of the same oddity should not carry thousands of warnings.
        if self.out.warnings.len() < 20 {
            self.out.warnings.push(msg);
        }
    }

    fn run(&mut self) -> Result<(), FitError> {
        let b = self.b;
        if b.is_empty() {
            return Err(FitError("empty file (0 bytes)".into()));
        }
        let mut pos = 0usize;
        loop {
            if pos >= b.len() {
                return Ok(());
            }
            let part = self.out.headers;
            let hs = usize::from(b[pos]);
            let header_ok = hs >= 12
                && b.len() - pos >= hs
                && b.get(pos + 8..pos + 12) == Some(b".FIT".as_slice());
            if !header_ok {
                if part == 0 {
                    return Err(FitError(if b.len() < 12 {
                        format!(
                            "not a FIT file: {} bytes, shorter than a FIT header",
                            b.len()
                        )
                    } else {
                        "not a FIT file: no .FIT signature in the header".into()
                    }));
                }
                // Junk or a damaged header after a complete file: keep what was read.
                self.warn(format!(
                    "fit: the {} bytes after FIT file {} (from byte {pos}) are not a FIT header; ignored",
                    b.len() - pos,
                    part
                ));
                return Ok(());
            }
            self.out.headers += 1;
            let data_size = u32::from_le_bytes([b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]]);
            if hs >= 14 {
                let stored = u16::from_le_bytes([b[pos + 12], b[pos + 13]]);
                if stored != 0 && stored != crc16(&b[pos..pos + 12]) {
                    self.warn(format!("fit: header crc mismatch in FIT file {}", part + 1));
                }
            }
            self.out.declared_data += u64::from(data_size);
            let data_start = pos + hs;
            let declared_end = data_start as u64 + u64::from(data_size);
            let (data_end, cut) = if declared_end > b.len() as u64 {
                (b.len(), true)
            } else {
                (declared_end as usize, false)
            };
            self.defs = Default::default();
            self.part_messages = 0;
            if !self.walk(data_start, data_end) {
                self.out.partial = true;
                return Ok(());
            }
            if cut {
                self.out.partial = true;
                self.warn(format!(
                    "fit: truncated: the header declares {data_size} bytes of data but the file ends at byte {}",
                    b.len()
                ));
                return Ok(());
            }
            let Some(crc_bytes) = b.get(data_end..data_end + 2) else {
                self.out.partial = true;
                self.warn(format!(
                    "fit: truncated: file crc missing at byte {data_end}"
                ));
                return Ok(());
            };
            let stored = u16::from_le_bytes([crc_bytes[0], crc_bytes[1]]);
            if stored != crc16(&b[pos..data_end]) {
                self.warn(format!(
                    "fit: file crc mismatch in FIT file {} (data decoded anyway)",
                    part + 1
                ));
            }
            pos = data_end + 2;
        }
    }

    /// Walks the messages of one chained part. Returns false when damage stopped it.
    fn walk(&mut self, start: usize, end: usize) -> bool {
        let whole: &'a [u8] = self.b;
        let b = &whole[..end];
        let mut p = start;
        while p < end {
            let h = b[p];
            let msg_at = p;
            p += 1;
            if h & 0x80 != 0 {
                // Compressed timestamp header: 2-bit local type, 5-bit time offset.
                let local = usize::from((h >> 5) & 0x03);
                let off = u32::from(h & 0x1F);
                let ts = match self.last_ts {
                    Some(last) => {
                        let mut t = (last & !0x1F).wrapping_add(off);
                        if off < (last & 0x1F) {
                            t = t.wrapping_add(0x20);
                        }
                        Some(t)
                    }
                    None => None,
                };
                match self.data(b, &mut p, local, ts, msg_at) {
                    Ok(()) => {}
                    Err(()) => return false,
                }
            } else if h & 0x40 != 0 {
                let local = usize::from(h & 0x0F);
                let dev = h & 0x20 != 0;
                let Some(fixed) = b.get(p..p + 5) else {
                    return self.cut(msg_at, "definition message");
                };
                let big_endian = fixed[1] == 1;
                let global = if big_endian {
                    u16::from_be_bytes([fixed[2], fixed[3]])
                } else {
                    u16::from_le_bytes([fixed[2], fixed[3]])
                };
                let n = usize::from(fixed[4]);
                p += 5;
                let Some(fdefs) = b.get(p..p + 3 * n) else {
                    return self.cut(msg_at, "definition message");
                };
                p += 3 * n;
                let mut fields = Vec::new();
                let mut mask = 0u32;
                let mut size = 0usize;
                for fd in fdefs.chunks_exact(3) {
                    if let Some(slot) = target(global, fd[0]) {
                        fields.push(FieldLoc {
                            off: size as u16,
                            kind: Kind::of(fd[2], fd[1], slot),
                            slot,
                        });
                        mask |= 1 << slot;
                    }
                    size += usize::from(fd[1]);
                }
                if dev {
                    let Some(&nd) = b.get(p) else {
                        return self.cut(msg_at, "definition message");
                    };
                    p += 1;
                    let nd = usize::from(nd);
                    let Some(ddefs) = b.get(p..p + 3 * nd) else {
                        return self.cut(msg_at, "definition message");
                    };
                    p += 3 * nd;
                    // Developer fields are skipped by size; their meaning is not needed.
                    size += ddefs
                        .chunks_exact(3)
                        .map(|d| usize::from(d[1]))
                        .sum::<usize>();
                }
                self.defs[local] = Some(Def {
                    global,
                    big_endian,
                    size,
                    fields,
                    mask,
                });
            } else {
                let local = usize::from(h & 0x0F);
                if self.data(b, &mut p, local, None, msg_at).is_err() {
                    return false;
                }
            }
        }
        true
    }

    fn cut(&mut self, at: usize, what: &str) -> bool {
        self.warn(format!(
            "fit: truncated at byte {at} in {what} (after {} data messages); kept what came before",
            self.out.messages
        ));
        false
    }

    fn data(
        &mut self,
        b: &[u8],
        p: &mut usize,
        local: usize,
        compressed_ts: Option<u32>,
        msg_at: usize,
    ) -> Result<(), ()> {
        let Some(def) = self.defs[local].as_ref() else {
            self.warn(format!(
                "fit: data message at byte {msg_at} uses undefined local message {local}; stopped there (after {} data messages)",
                self.out.messages
            ));
            return Err(());
        };
        let Some(body) = b.get(*p..*p + def.size) else {
            let n = self.out.messages;
            self.warn(format!(
                "fit: truncated at byte {msg_at} in data message {} (global {}); kept what came before",
                n + 1,
                def.global
            ));
            return Err(());
        };
        *p += def.size;
        self.out.messages += 1;
        let global = def.global;
        let mask = def.mask;
        if def.fields.is_empty() && global != MESG_RECORD {
            if compressed_ts.is_some() {
                self.last_ts = compressed_ts;
            }
            self.part_messages += 1;
            return Ok(());
        }
        for f in &def.fields {
            let v = match body.get(usize::from(f.off)..) {
                Some(s) => read_value(s, def.big_endian, f.kind),
                None => NONE,
            };
            self.vals[usize::from(f.slot)] = v;
        }
        let vals = &self.vals;
        let get = |slot: u8| -> Option<i64> {
            if mask & (1 << slot) != 0 {
                let v = vals[usize::from(slot)];
                (v != NONE).then_some(v)
            } else {
                None
            }
        };
        let ts = match get(T_TS) {
            Some(t) => {
                let t = t as u32;
                self.last_ts = Some(t);
                Some(t)
            }
            None => {
                if compressed_ts.is_some() {
                    self.last_ts = compressed_ts;
                }
                compressed_ts
            }
        };
        let first_in_part = self.part_messages == 0;
        self.part_messages += 1;
        match global {
            MESG_RECORD => {
                // The budget: one sample per MIN_RECORD_BYTES read so far, and MAX_SAMPLES in
                // all, so memory follows the file's size whatever its messages say.
                let allowed = (*p / MIN_RECORD_BYTES).min(MAX_SAMPLES);
                if ts.is_some() && self.out.samples.len() >= allowed {
                    self.over_budget = Some(if allowed == MAX_SAMPLES {
                        crate::too_many_samples()
                    } else {
                        format!(
                            "{} records in the first {} bytes, fewer than {MIN_RECORD_BYTES} bytes \
                             each: records without values; refused as damaged or hostile",
                            self.out.samples.len() + 1,
                            *p
                        )
                    });
                    return Err(());
                }
                record(&mut self.out, &mut self.csd, &get, ts)
            }
            MESG_SESSION => {
                let s = Session {
                    file: self.out.logical_files.saturating_sub(1),
                    start: get(T_START).map(|v| v as u32),
                    end: ts,
                    elapsed_s: get(T_ELAPSED).map(|v| v as f64 / 1000.0),
                    timer_s: get(T_TIMER).map(|v| v as f64 / 1000.0),
                    moving_s: get(T_MOVING).map(|v| v as f64 / 1000.0),
                    distance_m: get(T_DIST).map(|v| v as f64 / 100.0),
                    sport: get(T_SPORT).map(|v| v as u8),
                    sub_sport: get(T_SUB).map(|v| v as u8),
                    avg_hr: get(T_AVGHR).map(|v| v as u8),
                    max_hr: get(T_MAXHR).map(|v| v as u8),
                    ascent_m: get(T_ASC).map(|v| v as u16),
                    descent_m: get(T_DESC).map(|v| v as u16),
                    avg_temp_c: get(T_AVGTEMP).map(|v| v as i8),
                };
                self.out.sessions.push(s);
            }
            MESG_FILE_ID => {
                // A chained part that opens with its own file_id is a new logical file; parts
                // without one (HRM data appended to swims) continue the previous one.
                if first_in_part || self.out.logical_files == 0 {
                    self.out.logical_files += 1;
                }
                if !self.out.has_file_id {
                    self.out.has_file_id = true;
                    self.out.file_type = get(T_TYPE).map(|v| v as u8);
                    self.out.manufacturer = get(T_MANU).map(|v| v as u16);
                    self.out.product = get(T_PROD).map(|v| v as u16);
                }
            }
            MESG_ACTIVITY => {
                if let (Some(local), Some(utc)) = (get(T_LOCALTS), ts) {
                    let off = local - i64::from(utc);
                    if off.abs() <= 15 * 3600 && self.out.local_offset_s.is_none() {
                        self.out.local_offset_s = Some(off as i32);
                    }
                }
            }
            MESG_SPORT if self.out.sport.is_none() => {
                if let Some(s) = get(T_SPORT) {
                    self.out.sport = Some((s as u8, get(T_SUB).map(|v| v as u8)));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Running state of compressed_speed_distance's 12-bit rolling distance.
#[derive(Default)]
struct Csd {
    last: Option<u32>,
    acc: f64,
}

/// Turns one record message's values into a sample.
use runsore_model::bounds;

fn record(out: &mut FitFile, csd: &mut Csd, get: &impl Fn(u8) -> Option<i64>, ts: Option<u32>) {
    const SEMI: f64 = 180.0 / 2_147_483_648.0;
    let Some(ts) = ts else {
        out.untimed_records += 1;
        return;
    };
    let mut s = runsore_model::Sample {
        t: (i64::from(ts) + FIT_EPOCH) as f64,
        ..Default::default()
    };
    if let (Some(lat), Some(lon)) = (get(T_LAT), get(T_LON)) {
        s.lat = Some(lat as f64 * SEMI);
        s.lon = Some(lon as f64 * SEMI);
    }
    s.alt_m = get(T_EALT)
        .or(get(T_ALT))
        .and_then(|v| bounds::ALTITUDE_M.keep(v as f64 / 5.0 - 500.0));
    s.speed_mps = get(T_ESPEED).or(get(T_SPEED)).map(|v| v as f64 / 1000.0);
    s.dist_m = get(T_DIST).map(|v| v as f64 / 100.0);
    if let Some(packed) = get(T_CSD) {
        // Packed as 12 bits of speed (1/100 m/s) then 12 bits of rolling distance (1/16 m).
        let speed = (packed & 0x0FFF) as f64 / 100.0;
        let dist = ((packed >> 12) & 0x0FFF) as u32;
        if s.speed_mps.is_none() {
            s.speed_mps = Some(speed);
        }
        let delta = match csd.last {
            Some(last) => dist.wrapping_sub(last) & 0x0FFF,
            None => dist,
        };
        csd.last = Some(dist);
        csd.acc += f64::from(delta) / 16.0;
        if s.dist_m.is_none() {
            s.dist_m = Some(csd.acc);
        }
    }
    s.hr = get(T_HR)
        .filter(|&v| bounds::HEART_RATE.contains(v as f64))
        .map(|v| v as u8);
    s.cadence = get(T_CAD).map(|v| v as u8);
    s.temp_c = get(T_TEMP)
        .filter(|&v| bounds::TEMPERATURE_C.contains(v as f64))
        .map(|v| v as i8);
    out.records.push(Record {
        file: out.logical_files.saturating_sub(1),
        ts,
    });
    out.samples.push(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a FIT file from data-section bytes: 14-byte header and CRCs.
    fn fit(data: &[u8]) -> Vec<u8> {
        let mut b = vec![14, 0x20, 0x52, 0x08];
        b.extend_from_slice(&(data.len() as u32).to_le_bytes());
        b.extend_from_slice(b".FIT");
        let hcrc = crc16(&b);
        b.extend_from_slice(&hcrc.to_le_bytes());
        b.extend_from_slice(data);
        let crc = crc16(&b);
        b.extend_from_slice(&crc.to_le_bytes());
        b
    }

    /// A definition message for `global` with (field, size, base type) triples.
    fn def(
        local: u8,
        big_endian: bool,
        global: u16,
        fields: &[(u8, u8, u8)],
        dev: &[u8],
    ) -> Vec<u8> {
        let mut b = vec![
            0x40 | local | if dev.is_empty() { 0 } else { 0x20 },
            0,
            u8::from(big_endian),
        ];
        b.extend_from_slice(&if big_endian {
            global.to_be_bytes()
        } else {
            global.to_le_bytes()
        });
        b.push(fields.len() as u8);
        for &(n, s, t) in fields {
            b.extend_from_slice(&[n, s, t]);
        }
        if !dev.is_empty() {
            b.push(dev.len() as u8);
            for &size in dev {
                b.extend_from_slice(&[0, size, 0]);
            }
        }
        b
    }

    const TS: u32 = 1_000_000_000; // 2021-09-09, a date (above FIT_MIN_DATE)

    #[test]
    fn big_endian_dev_fields_compressed_times_and_sentinels() {
        let mut d = Vec::new();
        // file_id: type activity.
        d.extend(def(0, false, MESG_FILE_ID, &[(0, 1, 0)], &[]));
        d.extend([0x00, 4]);
        // record, big endian: timestamp, heart_rate, altitude (misaligned: 1 byte uint16),
        // distance; plus a 3-byte developer field to skip.
        d.extend(def(
            1,
            true,
            MESG_RECORD,
            &[(253, 4, 0x86), (3, 1, 2), (2, 1, 0x84), (5, 4, 0x86)],
            &[3],
        ));
        d.push(0x01);
        d.extend(TS.to_be_bytes());
        d.push(150);
        d.push(7);
        d.extend(1234u32.to_be_bytes());
        d.extend([9, 9, 9]);
        // Same record with heart rate 0xFF (invalid) and distance invalid.
        d.push(0x01);
        d.extend((TS + 24).to_be_bytes());
        d.push(0xFF);
        d.push(7);
        d.extend(u32::MAX.to_be_bytes());
        d.extend([9, 9, 9]);
        // Compressed-timestamp record (local 2): heart rate only; the 5-bit offset rolls over.
        d.extend(def(2, false, MESG_RECORD, &[(3, 1, 2)], &[]));
        // TS has its low 5 bits 0, so the last time's low bits are 24; 20 s later wraps to 12.
        assert_eq!(TS & 0x1F, 0);
        let off = (24 + 20) & 0x1F;
        d.push(0x80 | (2 << 5) | off as u8);
        d.push(160);
        let b = fit(&d);
        let f = FitFile::decode(&b).unwrap();
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
        assert_eq!(f.file_type, Some(4));
        assert_eq!(f.samples.len(), 3);
        assert_eq!(f.samples[0].hr, Some(150));
        assert_eq!(f.samples[0].dist_m, Some(12.34));
        assert_eq!(
            f.samples[0].alt_m, None,
            "a 1-byte uint16 is misaligned, not misread"
        );
        assert_eq!(f.samples[1].hr, None);
        assert_eq!(f.samples[1].dist_m, None);
        assert_eq!(f.records[2].ts, TS + 44);
        assert_eq!(f.samples[2].t, f64::from(TS + 44) + FIT_EPOCH as f64);
        assert_eq!(f.samples[2].hr, Some(160));
    }

    #[test]
    fn bad_crc_warns_and_truncation_keeps_what_came_before() {
        let mut d = def(0, false, MESG_FILE_ID, &[(0, 1, 0)], &[]);
        d.extend([0x00, 4]);
        d.extend(def(
            1,
            false,
            MESG_RECORD,
            &[(253, 4, 0x86), (3, 1, 2)],
            &[],
        ));
        for i in 0..10u32 {
            d.push(0x01);
            d.extend((TS + i).to_le_bytes());
            d.push(100 + i as u8);
        }
        let mut b = fit(&d);
        let n = b.len();
        b[n - 1] ^= 0xFF;
        let f = FitFile::decode(&b).unwrap();
        assert_eq!(f.samples.len(), 10);
        assert!(!f.partial);
        assert!(f.warnings[0].contains("crc mismatch"), "{:?}", f.warnings);

        let f = FitFile::decode(&b[..n - 5]).unwrap();
        assert!(f.partial);
        assert_eq!(f.samples.len(), 9);
        assert!(
            f.warnings.iter().any(|w| w.contains("truncated")),
            "{:?}",
            f.warnings
        );
    }
}
