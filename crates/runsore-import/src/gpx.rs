//! GPX 1.0 and 1.1 reader: one track per `<trk>`, points with position, elevation, time and the
//! Garmin/Strava TrackPointExtension heart rate, temperature and cadence.
//!
//! Elements are matched by local name only, so files that use a namespace prefix without
//! declaring it (Garmin Connect's `gpxdata:`) read like any other; routes and waypoints are not
//! activities and are ignored.

use quick_xml::events::BytesStart;
use runsore_model::Sample;

use crate::timefmt::{iso_offset_s, parse_iso8601};
use crate::xml::{self, byte, num};

/// A track read from an XML file (GPX track or TCX activity), before it becomes a run.
#[derive(Debug, Default)]
pub struct Track {
    /// `<name>` of the track.
    pub name: Option<String>,
    /// `<type>` (GPX) or `Sport` (TCX).
    pub sport: Option<String>,
    /// All points in document order; a point without a time has `t` NaN.
    pub samples: Vec<Sample>,
    /// All points, with or without a time.
    pub points: usize,
    /// Lap totals (TCX only).
    pub device_summary: Option<runsore_model::RunSummary>,
}

/// What an XML reader found in a file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The writing device or app (GPX `creator`, TCX `Creator/Name`).
    pub device: Option<String>,
    /// Tracks in document order, empty ones included.
    pub tracks: Vec<Track>,
    /// Problems that did not stop reading.
    pub warnings: Vec<String>,
    /// True when the XML broke off and only what came before was kept.
    pub partial: bool,
    /// Whether the root element was the expected one.
    pub root_seen: bool,
    /// Local time minus UTC, when a timestamp states its offset.
    pub local_offset_s: Option<i32>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    Trk,
    Trkpt,
    Ele,
    Time,
    Name,
    Type,
    Hr,
    Temp,
    Cad,
    Speed,
    Other,
}

fn tag(local: &str) -> Tag {
    match local {
        "trk" => Tag::Trk,
        "trkpt" => Tag::Trkpt,
        "ele" => Tag::Ele,
        "time" => Tag::Time,
        "name" => Tag::Name,
        "type" => Tag::Type,
        "hr" | "heartrate" => Tag::Hr,
        "atemp" | "wtemp" | "temp" | "temperature" => Tag::Temp,
        "cad" | "cadence" => Tag::Cad,
        "speed" => Tag::Speed,
        // Extensions are not consistent in case (Strava's `gpxx:Temperature`).
        _ if local.bytes().any(|c| c.is_ascii_uppercase()) => {
            match local.to_ascii_lowercase().as_str() {
                l @ ("hr" | "heartrate" | "atemp" | "wtemp" | "temp" | "temperature" | "cad"
                | "cadence" | "speed") => tag(l),
                _ => Tag::Other,
            }
        }
        _ => Tag::Other,
    }
}

struct State {
    out: Parsed,
    stack: Vec<Tag>,
    text: String,
    point: Option<(Sample, bool)>,
    /// Points read so far, against [`crate::MAX_SAMPLES`].
    samples: usize,
    in_trk: bool,
}

impl State {
    fn wants_text(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(
                Tag::Ele
                    | Tag::Time
                    | Tag::Name
                    | Tag::Type
                    | Tag::Hr
                    | Tag::Temp
                    | Tag::Cad
                    | Tag::Speed
            )
        )
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let local = e.local_name();
        let local = local.as_ref();
        let t = tag(local);
        self.text.clear();
        match t {
            Tag::Trk => {
                self.in_trk = true;
                self.out.tracks.push(Track::default());
            }
            Tag::Trkpt if self.in_trk => {
                let mut s = Sample::default();
                for a in e.attributes().with_checks(false).flatten() {
                    match a.key.local_name().as_ref() {
                        "lat" => s.lat = num(&a.value).filter(|v| v.abs() <= 90.0),
                        "lon" => s.lon = num(&a.value).filter(|v| v.abs() <= 180.0),
                        _ => {}
                    }
                }
                if s.lat.is_none() || s.lon.is_none() {
                    s.lat = None;
                    s.lon = None;
                }
                self.point = Some((s, false));
            }
            Tag::Other if local == "gpx" => {
                self.out.root_seen = true;
                for a in e.attributes().with_checks(false).flatten() {
                    if a.key.local_name().as_ref() == "creator" {
                        let v = a.value.trim();
                        if !v.is_empty() {
                            self.out.device = Some(v.to_owned());
                        }
                    }
                }
            }
            _ => {}
        }
        self.stack.push(t);
    }

    fn end(&mut self) {
        let Some(t) = self.stack.pop() else { return };
        let parent = self.stack.last().copied();
        let buf = std::mem::take(&mut self.text);
        let text = buf.trim();
        if let Some((p, has_time)) = self.point.as_mut() {
            match t {
                Tag::Ele => p.alt_m = xml::bounded(text, runsore_model::bounds::ALTITUDE_M),
                Tag::Time => {
                    if let Some(v) = parse_iso8601(text) {
                        p.t = v;
                        *has_time = true;
                        if self.out.local_offset_s.is_none() {
                            self.out.local_offset_s = iso_offset_s(text);
                        }
                    }
                }
                Tag::Hr => p.hr = p.hr.or(xml::heart_rate(text)),
                Tag::Temp => {
                    p.temp_c = xml::bounded(text, runsore_model::bounds::TEMPERATURE_C)
                        .map(|v| v.round() as i8)
                }
                Tag::Cad => p.cadence = byte(text),
                Tag::Speed => p.speed_mps = num(text).filter(|v| *v >= 0.0),
                Tag::Trkpt => {
                    let (mut p, has_time) = self.point.take().unwrap_or_default();
                    if let Some(trk) = self.out.tracks.last_mut() {
                        trk.points += 1;
                        if !has_time {
                            // Filled from the neighbouring points' times once the track is read.
                            p.t = f64::NAN;
                        }
                        trk.samples.push(p);
                        self.samples += 1;
                    }
                }
                _ => {}
            }
        } else if self.in_trk && parent == Some(Tag::Trk) {
            if let Some(trk) = self.out.tracks.last_mut() {
                match t {
                    Tag::Name if !text.is_empty() => trk.name = Some(text.to_owned()),
                    Tag::Type if !text.is_empty() => trk.sport = Some(text.to_owned()),
                    _ => {}
                }
            }
        } else if t == Tag::Trk {
            self.in_trk = false;
        }
        // Keep the buffer's allocation for the next element.
        let mut buf = buf;
        buf.clear();
        self.text = buf;
    }
}

/// Reads GPX text. Fails only when nothing that looks like GPX could be read.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let text = xml::prepare(bytes);
    let mut st = State {
        out: Parsed::default(),
        stack: Vec::new(),
        text: String::new(),
        point: None,
        samples: 0,
        in_trk: false,
    };
    xml::read_events(&text, &mut st, &FORMAT)?;
    Ok(st.out)
}

const FORMAT: xml::Format = xml::Format {
    name: "GPX",
    root: "<gpx>",
    points: "points",
};

xml::handler_for!(State);
