//! From a walked FIT file to runs: one run per session message, with the records that fall in the
//! session's time span, the device's own totals and figures recomputed from the samples.

use runsore_model::{Format, Run, RunSummary, Sample};

use super::{FIT_EPOCH, FIT_MIN_DATE, FitFile, Session, profile};
use crate::{Decoded, sport_from_name, summary::summarize};

/// `file_id.type` of an activity file.
const FILE_ACTIVITY: u8 = 4;

/// A device label such as "garmin fr945" or "suunto 34".
fn device(ff: &FitFile) -> Option<String> {
    let m = ff.manufacturer?;
    let maker = profile::manufacturer(m).map_or_else(|| format!("manufacturer {m}"), str::to_owned);
    let product = ff.product.map(|p| {
        // Garmin and Dynastream share Garmin's product table.
        if matches!(m, 1 | 13 | 15) {
            profile::garmin_product(p).map_or_else(|| p.to_string(), str::to_owned)
        } else {
            p.to_string()
        }
    });
    Some(match product {
        Some(p) => format!("{maker} {p}"),
        None => maker,
    })
}

fn unix(fit_ts: u32) -> Option<i64> {
    (fit_ts >= FIT_MIN_DATE).then_some(i64::from(fit_ts) + FIT_EPOCH)
}

fn device_summary(s: &Session, local_offset_s: Option<i32>) -> RunSummary {
    RunSummary {
        start_utc: s.start.and_then(unix),
        local_offset_s,
        elapsed_s: s.elapsed_s,
        moving_s: s.moving_s.or(s.timer_s),
        distance_m: s.distance_m,
        ascent_m: s.ascent_m.map(f64::from),
        descent_m: s.descent_m.map(f64::from),
        avg_hr: s.avg_hr.map(f64::from),
        max_hr: s.max_hr.map(f64::from),
        avg_temp_c: s.avg_temp_c.map(f64::from),
    }
}

/// Builds the runs of a walked FIT file. `hash_of(i)` gives the content hash of session `i`.
pub(crate) fn to_runs(
    mut ff: FitFile,
    source: &str,
    hash_of: &dyn Fn(usize) -> String,
) -> Result<Decoded, String> {
    if let Some(t) = ff.file_type.filter(|&t| t != FILE_ACTIVITY) {
        let name = profile::file_type(t).map_or_else(|| format!("type {t}"), str::to_owned);
        return Ok(Decoded::NotActivity {
            reason: format!("fit: a {name} file, not an activity"),
        });
    }
    let mut warnings = ff.warnings.clone();
    if ff.untimed_records > 0 {
        warnings.push(format!(
            "fit: {} records without a timestamp left out",
            ff.untimed_records
        ));
    }
    if ff.has_file_id && ff.file_type.is_none() {
        warnings.push("fit: file_id has no type; read as an activity".into());
    }
    let device = device(&ff);
    let relative = ff.records.iter().any(|r| r.ts < FIT_MIN_DATE)
        || ff
            .sessions
            .iter()
            .any(|s| s.start.is_some_and(|t| t < FIT_MIN_DATE));
    if relative {
        warnings
            .push("fit: device-relative timestamps (the device had no date); start unknown".into());
    }
    let (file_sport, local_offset_s) = (ff.sport, ff.local_offset_s);
    let sport_of = |s: Option<u8>, sub: Option<u8>| {
        let (s, sub) = match (s, file_sport) {
            (Some(s), _) => (Some(s), sub),
            (None, Some((s2, sub2))) => (Some(s2), sub.or(sub2)),
            (None, None) => (None, sub),
        };
        let sport = match s {
            Some(v) => {
                sport_from_name(&profile::sport(v).map_or_else(|| v.to_string(), str::to_owned))
            }
            None => runsore_model::Sport::Unknown,
        };
        let sub = sub
            .filter(|&v| v != 0)
            .map(|v| profile::sub_sport(v).map_or_else(|| v.to_string(), str::to_owned));
        (sport, sub)
    };
    let finish = |samples: Vec<Sample>, mut summary: RunSummary| {
        if relative {
            summary.start_utc = None;
        }
        summary.local_offset_s = local_offset_s;
        (samples, summary)
    };

    let mut runs = Vec::new();
    if ff.sessions.is_empty() {
        if ff.records.is_empty() {
            return Err(if ff.untimed_records > 0 {
                format!(
                    "no session message and {} records, none with a timestamp: nothing to import",
                    ff.untimed_records
                )
            } else if ff.messages == 0 {
                format!(
                    "no data: the FIT header declares {} bytes of data{}",
                    ff.declared_data,
                    ff.warnings
                        .iter()
                        .find(|w| w.contains("not a FIT header"))
                        .map(|w| format!(", then {}", w.trim_start_matches("fit: ")))
                        .unwrap_or_default()
                )
            } else if ff.partial {
                format!(
                    "no session or record before the damage ({})",
                    ff.warnings.join("; ").replace("fit: ", "")
                )
            } else if !ff.warnings.is_empty() {
                format!(
                    "no session or record messages ({})",
                    ff.warnings.join("; ").replace("fit: ", "")
                )
            } else {
                "no session or record messages: nothing to import".into()
            });
        }
        // Truncated recordings lose the session written at the end; the records still tell the run.
        warnings.push(format!(
            "fit: no session message; figures recomputed from {} records",
            ff.records.len()
        ));
        let samples = std::mem::take(&mut ff.samples);
        let summary = summarize(&samples);
        let (samples, summary) = finish(samples, summary);
        let (sport, sub_sport) = sport_of(None, None);
        runs.push(Run {
            source: source.to_owned(),
            format: Format::Fit,
            content_hash: hash_of(0),
            device: device.clone(),
            sport,
            sub_sport,
            name: None,
            rpe: None,
            summary,
            device_summary: None,
            samples,
            partial: true,
            warnings,
        });
        return Ok(Decoded::Runs(runs));
    }

    let per_file = |f: u32| ff.sessions.iter().filter(|s| s.file == f).count();
    let mut all_samples = std::mem::take(&mut ff.samples);
    let n_sessions = ff.sessions.len();
    for (i, s) in ff.sessions.iter().enumerate() {
        let span: Option<(u32, u32)> = match s.start {
            Some(start) => {
                let end = match (s.end, s.elapsed_s) {
                    (Some(e), _) if e > start => e,
                    (_, Some(el)) => start.saturating_add(el.max(0.0) as u32),
                    _ => u32::MAX,
                };
                Some((start, end))
            }
            None if per_file(s.file) == 1 => Some((0, u32::MAX)),
            None => None,
        };
        let inside = |r: &super::Record| {
            span.is_some_and(|(a, b)| r.file == s.file && r.ts >= a && r.ts <= b)
        };
        let samples: Vec<Sample> = if n_sessions == 1 && ff.records.iter().all(inside) {
            // The common case: one session covering every record; move, do not copy.
            std::mem::take(&mut all_samples)
        } else {
            ff.records
                .iter()
                .zip(&all_samples)
                .filter(|(r, _)| inside(r))
                .map(|(_, x)| *x)
                .collect()
        };
        let summary = summarize(&samples);
        let (samples, summary) = finish(samples, summary);
        let mut dev = device_summary(s, local_offset_s);
        if relative {
            dev.start_utc = None;
        }
        let (sport, sub_sport) = sport_of(s.sport, s.sub_sport);
        runs.push(Run {
            source: source.to_owned(),
            format: Format::Fit,
            content_hash: hash_of(i),
            device: device.clone(),
            sport,
            sub_sport,
            name: None,
            rpe: None,
            summary,
            device_summary: Some(dev),
            samples,
            partial: ff.partial,
            warnings: warnings.clone(),
        });
    }
    Ok(Decoded::Runs(runs))
}
