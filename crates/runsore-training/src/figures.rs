//! Per-run figures that do not depend on the runner's profile: durations, distance, time at each
//! heart rate, descent from smoothed elevation, temperature. Computed once from a decoded run.

use runsore_model::{Run, Sample, Sport};
use serde::{Deserialize, Serialize};

/// What the analytics need from a stored run. The store fills it from its rows (the figures can be
/// computed at import with [`RunFigures::from_run`] and kept, so the samples need not be reloaded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    /// The stored run's id, named in explanations.
    pub id: i64,
    /// Start, seconds since the Unix epoch, UTC.
    pub start_utc: i64,
    /// Offset of local time from UTC in seconds, when the file said.
    pub local_offset_s: Option<i32>,
    /// The sport.
    pub sport: Sport,
    /// Perceived exertion (CR10, 1-10) when the runner or the export gave it.
    pub rpe: Option<f64>,
    /// The profile-independent figures.
    pub figures: RunFigures,
}

impl RunView {
    /// Builds the view of a decoded run; `None` when the run has no start time at all (neither in
    /// its summary nor in its samples), since it cannot be placed in time.
    pub fn from_run(id: i64, run: &Run) -> Option<RunView> {
        let summary = run.best_summary();
        let start_utc = summary.start_utc.or_else(|| {
            run.samples
                .iter()
                .find(|s| s.t.is_finite())
                .map(|s| s.t.floor() as i64)
        })?;
        Some(RunView {
            id,
            start_utc,
            local_offset_s: summary.local_offset_s,
            sport: run.sport.clone(),
            rpe: run
                .rpe
                .filter(|r| r.is_finite() && (0.0..=10.0).contains(r)),
            figures: RunFigures::from_run(run),
        })
    }

    /// Why the run cannot be real (distance, duration or speed beyond its sport), or `None`.
    /// Implausible runs are kept in the store and listed with this reason, but left out of every
    /// figure over time (see [`crate::load::analyse_since`]).
    pub fn implausible(&self) -> Option<String> {
        let f = &self.figures;
        runsore_model::plausible::implausible(&self.sport, f.distance_m, f.moving_s.or(f.elapsed_s))
    }

    /// Whether the analytics treat it as running. A file that does not name its sport (many GPX
    /// files) is taken as a run, since runsore's users import their runs, unless it moved faster
    /// than anyone runs for a whole session (a ride recorded as a bare GPX track).
    pub fn is_run(&self) -> bool {
        match self.sport {
            Sport::Running => true,
            Sport::Unknown => {
                let f = &self.figures;
                match (f.distance_m, f.moving_s.or(f.elapsed_s)) {
                    (Some(d), Some(s)) if s > 0.0 => d / s <= MAX_RUN_MPS,
                    _ => true,
                }
            }
            _ => false,
        }
    }
}

/// Seconds spent at one heart rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HrBin {
    /// Beats per minute.
    pub bpm: u8,
    /// Seconds recorded at that rate.
    pub seconds: f64,
}

/// Where the descent figure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElevationSource {
    /// Smoothed recorded elevation samples (grade figures available when distance is known).
    Samples,
    /// The device's own total descent (no grade figures).
    DeviceTotal,
    /// No elevation at all.
    None,
}

/// Descent of one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Descent {
    /// Metres descended.
    pub metres: Option<f64>,
    /// Seconds spent on grades steeper than -5 %.
    pub steep_s: Option<f64>,
    /// Metres of distance covered on grades steeper than -5 %.
    pub steep_m: Option<f64>,
    /// Where the figures came from.
    pub source: ElevationSource,
}

/// The profile-independent figures of one run; `None` where unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunFigures {
    /// First to last record, seconds.
    pub elapsed_s: Option<f64>,
    /// Time in motion, seconds.
    pub moving_s: Option<f64>,
    /// Distance, metres.
    pub distance_m: Option<f64>,
    /// Average heart rate.
    pub avg_hr: Option<f64>,
    /// Highest heart rate recorded.
    pub max_hr: Option<f64>,
    /// Time at each heart rate, from the samples (empty without heart-rate samples).
    pub hr_seconds: Vec<HrBin>,
    /// Descent and steep downhill.
    pub descent: Descent,
    /// Average recorded temperature, degrees Celsius (a wrist sensor reads warmer than the air).
    pub temp_c: Option<f64>,
}

impl Default for RunFigures {
    fn default() -> Self {
        RunFigures {
            elapsed_s: None,
            moving_s: None,
            distance_m: None,
            avg_hr: None,
            max_hr: None,
            hr_seconds: Vec::new(),
            descent: Descent {
                metres: None,
                steep_s: None,
                steep_m: None,
                source: ElevationSource::None,
            },
            temp_c: None,
        }
    }
}

/// Faster than this on average (6.5 m/s, 2:34 per km, beyond the marathon world record's pace)
/// an activity of unknown sport is not taken as a run.
const MAX_RUN_MPS: f64 = 6.5;
/// A gap between samples longer than this is a pause, not time at the last heart rate or speed.
const MAX_GAP_S: f64 = 30.0;
/// Below this speed the runner is stopped (1.8 km/h).
const MOVING_MPS: f64 = 0.5;
/// Heart rates outside this range are sensor artefacts.
const HR_RANGE: std::ops::RangeInclusive<u8> = 30..=230;
/// Half-width of the centred moving average over elevation, metres of distance. GPS altitude
/// noise is several metres from point to point; averaging over 100 m of track removes it while
/// keeping the slope of a real hill (a moving average preserves a straight slope exactly).
const SMOOTH_HALF_M: f64 = 50.0;
/// The same in seconds, when the track has no distance.
const SMOOTH_HALF_S: f64 = 20.0;
/// Hysteresis: a change in smoothed elevation counts only once it exceeds this (metres), as
/// devices do with their elevation threshold, so residual wobble adds nothing.
const HYSTERESIS_M: f64 = 3.0;
/// Grades are taken over segments at least this long (metres).
const GRADE_SEGMENT_M: f64 = 50.0;
/// The steep-downhill grade.
const STEEP_GRADE: f64 = -0.05;
/// A 50 m segment that took longer than this was a stop, not running downhill.
const MAX_SEGMENT_S: f64 = 120.0;

impl RunFigures {
    /// Computes the figures of a decoded run: from its samples where they allow, else from the
    /// device's or recomputed summary.
    pub fn from_run(run: &Run) -> RunFigures {
        let summary = run.best_summary();
        let samples: Vec<&Sample> = run.samples.iter().filter(|s| s.t.is_finite()).collect();
        let track = cumulative_distance(&samples);

        // First to last record by time, not by position: files are not always in order.
        let elapsed_s = summary.elapsed_s.filter(|v| valid(*v)).or_else(|| {
            let lo = samples.iter().map(|s| s.t).fold(f64::INFINITY, f64::min);
            let hi = samples
                .iter()
                .map(|s| s.t)
                .fold(f64::NEG_INFINITY, f64::max);
            (samples.len() > 1).then_some(hi - lo)
        });
        let distance_m = summary
            .distance_m
            .filter(|v| valid(*v))
            .or_else(|| track.as_ref().and_then(|d| d.last().copied()));
        let moving_s = summary
            .moving_s
            .filter(|v| valid(*v))
            .or_else(|| moving_time(&samples, track.as_deref()))
            .or(elapsed_s);

        let hr_seconds = hr_bins(&samples);
        let hr_total: f64 = hr_seconds.iter().map(|b| b.seconds).sum();
        let avg_hr = summary
            .avg_hr
            .filter(|v| valid(*v) && *v > 0.0)
            .or_else(|| {
                (hr_total > 0.0).then(|| {
                    hr_seconds
                        .iter()
                        .map(|b| f64::from(b.bpm) * b.seconds)
                        .sum::<f64>()
                        / hr_total
                })
            });
        let sample_max = hr_seconds.last().map(|b| f64::from(b.bpm));
        let max_hr = summary
            .max_hr
            .filter(|v| valid(*v) && (30.0..=230.0).contains(v))
            .or(sample_max);

        let descent = descent(&samples, track.as_deref()).unwrap_or_else(|| {
            match summary.descent_m.filter(|v| valid(*v)) {
                Some(m) => Descent {
                    metres: Some(m),
                    steep_s: None,
                    steep_m: None,
                    source: ElevationSource::DeviceTotal,
                },
                None => RunFigures::default().descent,
            }
        });

        let temp_c = summary.avg_temp_c.filter(|t| t.is_finite()).or_else(|| {
            let temps: Vec<f64> = samples
                .iter()
                .filter_map(|s| s.temp_c.map(f64::from))
                .collect();
            (!temps.is_empty()).then(|| temps.iter().sum::<f64>() / temps.len() as f64)
        });

        RunFigures {
            elapsed_s,
            moving_s,
            distance_m,
            avg_hr,
            max_hr,
            hr_seconds,
            descent,
            temp_c,
        }
    }

    /// Minutes of the run: moving time, else elapsed time.
    pub fn minutes(&self) -> Option<f64> {
        self.moving_s.or(self.elapsed_s).map(|s| s / 60.0)
    }
}

fn valid(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

/// Cumulative distance at each sample: the device's own where every sample has it, else from
/// positions (haversine); `None` when neither covers the whole track.
fn cumulative_distance(samples: &[&Sample]) -> Option<Vec<f64>> {
    if samples.is_empty() {
        return None;
    }
    if samples.iter().all(|s| s.dist_m.is_some_and(valid)) {
        // Devices occasionally step backwards by a few centimetres; never let distance shrink.
        let mut best = 0.0_f64;
        return Some(
            samples
                .iter()
                .map(|s| {
                    best = best.max(s.dist_m.unwrap_or(0.0));
                    best
                })
                .collect(),
        );
    }
    if samples.iter().all(|s| s.lat.is_some() && s.lon.is_some()) {
        let mut total = 0.0;
        let mut out = Vec::with_capacity(samples.len());
        let mut prev: Option<(f64, f64)> = None;
        for s in samples {
            let here = (s.lat.unwrap_or(0.0), s.lon.unwrap_or(0.0));
            if let Some(p) = prev {
                let step = haversine_m(p, here);
                if step.is_finite() {
                    total += step;
                }
            }
            prev = Some(here);
            out.push(total);
        }
        return Some(out);
    }
    None
}

/// Great-circle distance in metres (mean Earth radius 6,371,008.8 m, IUGG).
pub(crate) fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().min(1.0).asin()
}

fn moving_time(samples: &[&Sample], track: Option<&[f64]>) -> Option<f64> {
    if samples.len() < 2 {
        return None;
    }
    let mut total = 0.0;
    for i in 1..samples.len() {
        let dt = samples[i].t - samples[i - 1].t;
        if !(dt > 0.0 && dt <= MAX_GAP_S) {
            continue;
        }
        let speed = samples[i]
            .speed_mps
            .or_else(|| track.map(|d| (d[i] - d[i - 1]) / dt));
        if speed.is_none_or(|v| v >= MOVING_MPS) {
            total += dt;
        }
    }
    Some(total)
}

fn hr_bins(samples: &[&Sample]) -> Vec<HrBin> {
    let mut seconds = [0.0_f64; 256];
    for pair in samples.windows(2) {
        let dt = pair[1].t - pair[0].t;
        if let Some(hr) = pair[0].hr
            && HR_RANGE.contains(&hr)
            && dt > 0.0
            && dt <= MAX_GAP_S
        {
            seconds[hr as usize] += dt;
        }
    }
    seconds
        .iter()
        .enumerate()
        .filter(|(_, s)| **s > 0.0)
        .map(|(bpm, s)| HrBin {
            bpm: bpm as u8,
            seconds: *s,
        })
        .collect()
}

/// Descent from smoothed elevation samples; `None` when fewer than two samples have elevation.
fn descent(samples: &[&Sample], track: Option<&[f64]>) -> Option<Descent> {
    // (time, position along the smoothing axis, elevation) for samples with elevation.
    let mut t = Vec::new();
    let mut x = Vec::new();
    let mut z = Vec::new();
    for (i, s) in samples.iter().enumerate() {
        if let Some(alt) = s.alt_m.filter(|a| a.is_finite()) {
            t.push(s.t);
            x.push(track.map_or(s.t, |d| d[i]));
            z.push(alt);
        }
    }
    if z.len() < 2 {
        return None;
    }
    let half = if track.is_some() {
        SMOOTH_HALF_M
    } else {
        SMOOTH_HALF_S
    };
    let smooth = moving_average(&x, &z, half);

    let mut metres = 0.0;
    let mut anchor = smooth[0];
    for &v in &smooth[1..] {
        if v < anchor - HYSTERESIS_M {
            metres += anchor - v;
            anchor = v;
        } else if v > anchor + HYSTERESIS_M {
            anchor = v;
        }
    }

    let (steep_s, steep_m) = if track.is_some() {
        let (mut secs, mut dist) = (0.0, 0.0);
        let mut a = 0;
        for i in 1..x.len() {
            let run = x[i] - x[a];
            if run >= GRADE_SEGMENT_M {
                let dt = t[i] - t[a];
                if (smooth[i] - smooth[a]) / run < STEEP_GRADE && dt > 0.0 && dt <= MAX_SEGMENT_S {
                    secs += dt;
                    dist += run;
                }
                a = i;
            }
        }
        (Some(secs), Some(dist))
    } else {
        (None, None)
    };

    Some(Descent {
        metres: Some(metres),
        steep_s,
        steep_m,
        source: ElevationSource::Samples,
    })
}

/// Centred moving average of `z` over the window `x ± half`, in O(n) (x should be non-decreasing;
/// out-of-order samples give a rougher average, never a panic).
fn moving_average(x: &[f64], z: &[f64], half: f64) -> Vec<f64> {
    let mut prefix = Vec::with_capacity(z.len() + 1);
    prefix.push(0.0);
    for v in z {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + v);
    }
    let (mut lo, mut hi) = (0, 0);
    let mut out = Vec::with_capacity(z.len());
    for i in 0..z.len() {
        // `lo <= i <= hi` holds even if a file's samples are out of order (never index past).
        while lo < i && x[lo] < x[i] - half {
            lo += 1;
        }
        while hi + 1 < z.len() && x[hi + 1] <= x[i] + half {
            hi += 1;
        }
        hi = hi.max(i);
        out.push((prefix[hi + 1] - prefix[lo]) / (hi + 1 - lo) as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use runsore_model::{Format, RunSummary};

    /// A deterministic pseudo-random generator for test noise (xorshift64*).
    struct Noise(u64);
    impl Noise {
        /// Roughly normal noise with standard deviation `sd` (sum of 12 uniforms minus 6).
        fn normal(&mut self, sd: f64) -> f64 {
            let mut sum = 0.0;
            for _ in 0..12 {
                self.0 ^= self.0 >> 12;
                self.0 ^= self.0 << 25;
                self.0 ^= self.0 >> 27;
                let u =
                    (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64;
                sum += u;
            }
            (sum - 6.0) * sd
        }
    }

    pub(crate) fn run_from(samples: Vec<Sample>) -> Run {
        Run {
            source: "test".into(),
            format: Format::Fit,
            content_hash: String::new(),
            device: None,
            sport: Sport::Running,
            sub_sport: None,
            name: None,
            rpe: None,
            summary: RunSummary::default(),
            device_summary: None,
            samples,
            partial: false,
            warnings: Vec::new(),
        }
    }

    /// One sample a second at `speed` m/s, elevation from `alt(distance)` plus `noise_sd` metres.
    fn track(seconds: usize, speed: f64, noise_sd: f64, alt: impl Fn(f64) -> f64) -> Vec<Sample> {
        let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
        (0..=seconds)
            .map(|i| {
                let d = i as f64 * speed;
                Sample {
                    t: 1_700_000_000.0 + i as f64,
                    dist_m: Some(d),
                    alt_m: Some(alt(d) + noise.normal(noise_sd)),
                    hr: Some(150),
                    ..Sample::default()
                }
            })
            .collect()
    }

    #[test]
    fn noisy_flat_gps_elevation_yields_near_zero_descent() {
        // An hour at 3 m/s on the flat with 3 m of GPS altitude noise per point. Summing raw
        // drops would invent over a kilometre of descent.
        let samples = track(3600, 3.0, 3.0, |_| 50.0);
        let raw: f64 = samples
            .windows(2)
            .map(|w| (w[0].alt_m.unwrap() - w[1].alt_m.unwrap()).max(0.0))
            .sum();
        assert!(raw > 1000.0, "the noise is real: raw descent {raw}");
        let f = RunFigures::from_run(&run_from(samples));
        let d = f.descent;
        assert_eq!(d.source, ElevationSource::Samples);
        assert!(d.metres.unwrap() < 5.0, "{d:?}");
        assert!(d.steep_s.unwrap() < 30.0, "{d:?}");
    }

    #[test]
    fn a_real_descent_is_measured() {
        // 10.8 km at 3 m/s: 3 km flat, 3 km down at -8 % (240 m), 4.8 km flat; 2 m noise.
        let alt = |d: f64| {
            if d < 3000.0 {
                500.0
            } else if d < 6000.0 {
                500.0 - 0.08 * (d - 3000.0)
            } else {
                260.0
            }
        };
        let f = RunFigures::from_run(&run_from(track(3600, 3.0, 2.0, alt)));
        let d = f.descent;
        // 240 m down; hysteresis may keep the last < 3 m.
        assert!((d.metres.unwrap() - 240.0).abs() < 6.0, "{d:?}");
        // 3 km of steep descent at 3 m/s = 1000 s; smoothing blurs the ends by about 50 m each.
        assert!((d.steep_m.unwrap() - 3000.0).abs() < 150.0, "{d:?}");
        assert!((d.steep_s.unwrap() - 1000.0).abs() < 50.0, "{d:?}");
        assert_eq!(f.distance_m, Some(10_800.0));
        assert_eq!(f.elapsed_s, Some(3600.0));
        assert_eq!(f.moving_s, Some(3600.0));
    }

    #[test]
    fn a_gentle_slope_is_not_steep() {
        // -3 % for 3 km: 90 m of descent, none of it steeper than -5 %.
        let f = RunFigures::from_run(&run_from(track(1000, 3.0, 1.0, |d| 300.0 - 0.03 * d)));
        assert!(
            (f.descent.metres.unwrap() - 90.0).abs() < 6.0,
            "{:?}",
            f.descent
        );
        assert_eq!(f.descent.steep_s, Some(0.0));
    }

    #[test]
    fn summary_figures_win_and_gaps_are_pauses() {
        let mut samples = track(600, 3.0, 0.0, |_| 10.0);
        // A 10-minute pause in the middle: not moving time, not time at 150 bpm.
        for s in samples.iter_mut().skip(300) {
            s.t += 600.0;
        }
        let f = RunFigures::from_run(&run_from(samples.clone()));
        assert_eq!(f.elapsed_s, Some(1200.0));
        assert_eq!(f.moving_s, Some(599.0));
        assert_eq!(
            f.hr_seconds,
            vec![HrBin {
                bpm: 150,
                seconds: 599.0
            }]
        );
        assert_eq!(f.avg_hr, Some(150.0));

        let mut run = run_from(samples);
        run.device_summary = Some(RunSummary {
            distance_m: Some(1850.0),
            avg_hr: Some(148.0),
            descent_m: Some(12.0),
            ..RunSummary::default()
        });
        let f = RunFigures::from_run(&run);
        assert_eq!((f.distance_m, f.avg_hr), (Some(1850.0), Some(148.0)));
        // Descent comes from the samples when they exist (flat here), not the device total.
        assert_eq!(f.descent.metres, Some(0.0));
    }

    #[test]
    fn device_total_is_used_without_elevation_samples() {
        let mut run = run_from(Vec::new());
        run.summary.start_utc = Some(1_700_000_000);
        run.summary.descent_m = Some(321.0);
        let view = RunView::from_run(7, &run).unwrap();
        assert_eq!(view.figures.descent.metres, Some(321.0));
        assert_eq!(view.figures.descent.source, ElevationSource::DeviceTotal);
        assert_eq!(view.figures.descent.steep_s, None);
        assert!(RunView::from_run(8, &run_from(Vec::new())).is_none());
    }

    #[test]
    fn an_unnamed_fast_track_is_not_a_run() {
        let mut run = run_from(track(600, 3.0, 0.0, |_| 0.0));
        run.sport = Sport::Unknown;
        assert!(RunView::from_run(1, &run).unwrap().is_run());
        let mut ride = run_from(track(600, 8.0, 0.0, |_| 0.0));
        ride.sport = Sport::Unknown;
        assert!(!RunView::from_run(2, &ride).unwrap().is_run());
        ride.sport = Sport::Cycling;
        assert!(!RunView::from_run(3, &ride).unwrap().is_run());
    }

    #[test]
    fn positions_give_distance() {
        // 0.01 degrees of latitude is 1,111.95 m on the mean sphere.
        let samples = (0..=10)
            .map(|i| Sample {
                t: i as f64,
                lat: Some(45.0 + 0.001 * i as f64),
                lon: Some(7.0),
                ..Sample::default()
            })
            .collect();
        let f = RunFigures::from_run(&run_from(samples));
        assert!((f.distance_m.unwrap() - 1111.95).abs() < 0.1, "{f:?}");
        assert_eq!(f.descent.source, ElevationSource::None);
    }
}
