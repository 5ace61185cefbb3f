//! A run as decoded from a watch file: its summary figures and its samples.
//!
//! Unknown figures are `None`, never zero: a file without heart rate has no average heart rate.

use serde::{Deserialize, Serialize};

/// The file format a run came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Garmin's Flexible and Interoperable Data Transfer binary format.
    Fit,
    /// GPS Exchange Format (XML).
    Gpx,
    /// Training Center XML.
    Tcx,
}

impl Format {
    /// The lowercase name used in the store and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Fit => "fit",
            Format::Gpx => "gpx",
            Format::Tcx => "tcx",
        }
    }
}

/// The sport of an activity. Non-running activities are kept: they still count as load.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sport {
    /// Running of any kind (road, trail, treadmill, track).
    Running,
    /// Walking or hiking.
    Walking,
    /// Cycling of any kind.
    Cycling,
    /// Swimming.
    Swimming,
    /// Anything else, with the name the file gave.
    Other(String),
    /// The file did not say.
    Unknown,
}

impl Sport {
    /// Whether this sport is running (the activity runsore cares most about).
    pub fn is_running(&self) -> bool {
        matches!(self, Sport::Running)
    }

    /// A short lowercase label for tables and the store.
    pub fn label(&self) -> String {
        match self {
            Sport::Running => "running".into(),
            Sport::Walking => "walking".into(),
            Sport::Cycling => "cycling".into(),
            Sport::Swimming => "swimming".into(),
            Sport::Other(name) => name.to_lowercase(),
            Sport::Unknown => "unknown".into(),
        }
    }

    /// Parses a label produced by [`Sport::label`] or a file's own sport name.
    pub fn from_label(label: &str) -> Sport {
        let l = label.trim().to_ascii_lowercase();
        match l.as_str() {
            "" | "unknown" | "generic" => Sport::Unknown,
            "running" | "run" | "trail_running" | "trail running" | "treadmill" | "virtualrun"
            | "virtual_run" | "trailrun" | "track" => Sport::Running,
            "walking" | "walk" | "hiking" | "hike" => Sport::Walking,
            "cycling" | "biking" | "ride" | "bike" | "virtualride" | "virtual_ride" => {
                Sport::Cycling
            }
            "swimming" | "swim" => Sport::Swimming,
            _ => Sport::Other(l),
        }
    }
}

/// One recorded point. Every field but the time may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Sample {
    /// Seconds since the Unix epoch, UTC.
    pub t: f64,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// Altitude in metres.
    pub alt_m: Option<f64>,
    /// Cumulative distance in metres, as the device recorded it.
    pub dist_m: Option<f64>,
    /// Speed in metres per second.
    pub speed_mps: Option<f64>,
    /// Heart rate in beats per minute.
    pub hr: Option<u8>,
    /// Cadence (steps or revolutions per minute, as recorded).
    pub cadence: Option<u8>,
    /// Temperature in degrees Celsius.
    pub temp_c: Option<i8>,
}

/// The summary figures of a run; `None` where unknown.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RunSummary {
    /// Start time, seconds since the Unix epoch, UTC.
    pub start_utc: Option<i64>,
    /// Offset of local time from UTC in seconds, when the file says.
    pub local_offset_s: Option<i32>,
    /// Elapsed time in seconds, first to last record.
    pub elapsed_s: Option<f64>,
    /// Moving time in seconds.
    pub moving_s: Option<f64>,
    /// Distance in metres.
    pub distance_m: Option<f64>,
    /// Total ascent in metres.
    pub ascent_m: Option<f64>,
    /// Total descent in metres.
    pub descent_m: Option<f64>,
    /// Average heart rate in beats per minute.
    pub avg_hr: Option<f64>,
    /// Maximum heart rate in beats per minute.
    pub max_hr: Option<f64>,
    /// Average temperature in degrees Celsius.
    pub avg_temp_c: Option<f64>,
}

/// A decoded activity: where it came from, what sport, the summary and the samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The file's path (and `!entry` inside an archive), as given to the importer.
    pub source: String,
    /// The file format.
    pub format: Format,
    /// Hex BLAKE3 hash of the decoded file bytes (after gunzip), for de-duplication.
    pub content_hash: String,
    /// The device or app that recorded it, when known.
    pub device: Option<String>,
    /// The sport.
    pub sport: Sport,
    /// The sub-sport (trail, treadmill, ...) when known.
    pub sub_sport: Option<String>,
    /// A name given by the runner or the export (Strava's activity name).
    pub name: Option<String>,
    /// Perceived exertion 1-10 when the export gives it.
    pub rpe: Option<f64>,
    /// Figures recomputed from the samples.
    pub summary: RunSummary,
    /// The device's own session totals, when the file has them.
    pub device_summary: Option<RunSummary>,
    /// The recorded samples, in time order.
    pub samples: Vec<Sample>,
    /// True when the file was cut short and holds only the records read before the break.
    pub partial: bool,
    /// Problems that did not stop decoding (bad CRC, skipped records).
    pub warnings: Vec<String>,
}

impl Run {
    /// The best figures: the device's totals where present, else the recomputed ones.
    pub fn best_summary(&self) -> RunSummary {
        let own = &self.summary;
        let Some(dev) = &self.device_summary else {
            return own.clone();
        };
        RunSummary {
            start_utc: dev.start_utc.or(own.start_utc),
            local_offset_s: dev.local_offset_s.or(own.local_offset_s),
            elapsed_s: dev.elapsed_s.or(own.elapsed_s),
            moving_s: dev.moving_s.or(own.moving_s),
            distance_m: dev.distance_m.or(own.distance_m),
            ascent_m: dev.ascent_m.or(own.ascent_m),
            descent_m: dev.descent_m.or(own.descent_m),
            avg_hr: dev.avg_hr.or(own.avg_hr),
            max_hr: dev.max_hr.or(own.max_hr),
            avg_temp_c: dev.avg_temp_c.or(own.avg_temp_c),
        }
    }
}
