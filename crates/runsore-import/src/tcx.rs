//! TCX (Training Center XML) reader: one track per `<Activity>`, its laps' totals as the device
//! summary, trackpoints with position, altitude, distance, heart rate, cadence and speed.
//!
//! Like the GPX reader it matches local names, so the `ns3:TPX` extension and unprefixed `Watts`
//! read the same, and it tolerates the spaces Strava writes before `<?xml`. Courses are ignored.

use quick_xml::events::BytesStart;
use runsore_model::{RunSummary, Sample};

use crate::gpx::{Parsed, Track};
use crate::timefmt::{iso_offset_s, parse_iso8601};
use crate::xml::{self, byte, num};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    Activity,
    Lap,
    Trackpoint,
    Time,
    Position,
    Lat,
    Lon,
    Alt,
    Dist,
    HeartRateBpm,
    AvgHr,
    MaxHr,
    Value,
    Cadence,
    RunCadence,
    Speed,
    TotalTime,
    Creator,
    Name,
    Other,
}

fn tag(local: &str) -> Tag {
    match local {
        "Activity" => Tag::Activity,
        "Lap" => Tag::Lap,
        "Trackpoint" => Tag::Trackpoint,
        "Time" => Tag::Time,
        "Position" => Tag::Position,
        "LatitudeDegrees" => Tag::Lat,
        "LongitudeDegrees" => Tag::Lon,
        "AltitudeMeters" => Tag::Alt,
        "DistanceMeters" => Tag::Dist,
        "HeartRateBpm" => Tag::HeartRateBpm,
        "AverageHeartRateBpm" => Tag::AvgHr,
        "MaximumHeartRateBpm" => Tag::MaxHr,
        "Value" => Tag::Value,
        "Cadence" => Tag::Cadence,
        "RunCadence" => Tag::RunCadence,
        "Speed" => Tag::Speed,
        "TotalTimeSeconds" => Tag::TotalTime,
        "Creator" => Tag::Creator,
        "Name" => Tag::Name,
        _ => Tag::Other,
    }
}

#[derive(Default)]
struct Lap {
    start: Option<f64>,
    time_s: Option<f64>,
    dist_m: Option<f64>,
    avg_hr: Option<f64>,
    max_hr: Option<f64>,
}

struct State {
    out: Parsed,
    stack: Vec<Tag>,
    text: String,
    in_activity: bool,
    laps: Vec<Lap>,
    point: Option<(Sample, bool)>,
    /// Points read so far, against [`crate::MAX_SAMPLES`].
    samples: usize,
}

impl State {
    fn wants_text(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(
                Tag::Time
                    | Tag::Lat
                    | Tag::Lon
                    | Tag::Alt
                    | Tag::Dist
                    | Tag::Value
                    | Tag::Cadence
                    | Tag::RunCadence
                    | Tag::Speed
                    | Tag::TotalTime
                    | Tag::Name
            )
        )
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let local = e.local_name();
        let local = local.as_ref();
        let t = tag(local);
        self.text.clear();
        if local == "TrainingCenterDatabase" {
            self.out.root_seen = true;
        }
        match t {
            Tag::Activity => {
                self.in_activity = true;
                self.laps.clear();
                let mut trk = Track::default();
                for a in e.attributes().with_checks(false).flatten() {
                    if a.key.local_name().as_ref() == "Sport" {
                        let v = a.value.trim();
                        if !v.is_empty() {
                            trk.sport = Some(v.to_owned());
                        }
                    }
                }
                self.out.tracks.push(trk);
            }
            Tag::Lap if self.in_activity => {
                let mut lap = Lap::default();
                for a in e.attributes().with_checks(false).flatten() {
                    if a.key.local_name().as_ref() == "StartTime" {
                        lap.start = parse_iso8601(&a.value);
                    }
                }
                self.laps.push(lap);
            }
            Tag::Trackpoint if self.in_activity => {
                self.point = Some((Sample::default(), false));
            }
            _ => {}
        }
        self.stack.push(t);
    }

    fn parent(&self, up: usize) -> Option<Tag> {
        self.stack.len().checked_sub(up + 1).map(|i| self.stack[i])
    }

    fn end(&mut self) {
        let Some(t) = self.stack.pop() else { return };
        let buf = std::mem::take(&mut self.text);
        let text = buf.trim();
        let parent = self.parent(0);
        if let Some((p, has_time)) = self.point.as_mut() {
            match (t, parent) {
                (Tag::Time, Some(Tag::Trackpoint)) => {
                    if let Some(v) = parse_iso8601(text) {
                        p.t = v;
                        *has_time = true;
                        if self.out.local_offset_s.is_none() {
                            self.out.local_offset_s = iso_offset_s(text);
                        }
                    }
                }
                (Tag::Lat, _) => p.lat = num(text).filter(|v| v.abs() <= 90.0),
                (Tag::Lon, _) => p.lon = num(text).filter(|v| v.abs() <= 180.0),
                (Tag::Alt, _) => p.alt_m = xml::bounded(text, runsore_model::bounds::ALTITUDE_M),
                (Tag::Dist, Some(Tag::Trackpoint)) => p.dist_m = num(text),
                (Tag::Value, Some(Tag::HeartRateBpm)) => p.hr = xml::heart_rate(text),
                (Tag::Cadence, Some(Tag::Trackpoint)) => p.cadence = byte(text),
                (Tag::RunCadence, _) => p.cadence = p.cadence.or(byte(text)),
                (Tag::Speed, _) => p.speed_mps = num(text).filter(|v| *v >= 0.0),
                (Tag::Trackpoint, _) => {
                    let (mut p, has_time) = self.point.take().unwrap_or_default();
                    if p.lat.is_none() || p.lon.is_none() {
                        p.lat = None;
                        p.lon = None;
                    }
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
        } else if self.in_activity {
            let grand = self.parent(1);
            if let Some(lap) = self.laps.last_mut() {
                match (t, parent, grand) {
                    (Tag::TotalTime, Some(Tag::Lap), _) => lap.time_s = num(text),
                    (Tag::Dist, Some(Tag::Lap), _) => lap.dist_m = num(text),
                    (Tag::Value, Some(Tag::AvgHr), Some(Tag::Lap)) => lap.avg_hr = num(text),
                    (Tag::Value, Some(Tag::MaxHr), Some(Tag::Lap)) => lap.max_hr = num(text),
                    _ => {}
                }
            }
            match (t, parent) {
                (Tag::Name, Some(Tag::Creator)) if !text.is_empty() => {
                    self.out.device.get_or_insert_with(|| text.to_owned());
                }
                (Tag::Activity, _) => {
                    self.in_activity = false;
                    let laps = std::mem::take(&mut self.laps);
                    if let Some(trk) = self.out.tracks.last_mut() {
                        trk.device_summary = lap_summary(&laps);
                    }
                }
                _ => {}
            }
        }
        let mut buf = buf;
        buf.clear();
        self.text = buf;
    }
}

/// The activity's totals as its laps state them: summed time and distance, time-weighted mean
/// heart rate, highest maximum.
fn lap_summary(laps: &[Lap]) -> Option<RunSummary> {
    if laps.is_empty() {
        return None;
    }
    let sum = |f: fn(&Lap) -> Option<f64>| {
        let v: Vec<f64> = laps.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>())
    };
    let (mut w, mut hr_sum) = (0.0, 0.0);
    for l in laps {
        if let (Some(hr), Some(t)) = (l.avg_hr, l.time_s) {
            w += t;
            hr_sum += hr * t;
        }
    }
    Some(RunSummary {
        start_utc: laps.iter().find_map(|l| l.start).map(|t| t.floor() as i64),
        moving_s: sum(|l| l.time_s),
        distance_m: sum(|l| l.dist_m),
        avg_hr: (w > 0.0).then(|| hr_sum / w),
        max_hr: laps.iter().filter_map(|l| l.max_hr).reduce(f64::max),
        ..Default::default()
    })
}

/// Reads TCX text. Fails only when nothing that looks like TCX could be read.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let text = xml::prepare(bytes);
    let mut st = State {
        out: Parsed::default(),
        stack: Vec::new(),
        text: String::new(),
        in_activity: false,
        laps: Vec::new(),
        point: None,
        samples: 0,
    };
    xml::read_events(&text, &mut st, &FORMAT)?;
    Ok(st.out)
}

const FORMAT: xml::Format = xml::Format {
    name: "TCX",
    root: "<TrainingCenterDatabase>",
    points: "trackpoints",
};

xml::handler_for!(State);
