//! Per-run load and figures that depend on the profile: heart-rate anchors, Banister TRIMP,
//! session RPE, a pace-based estimate, pace, descent and the sweat estimate.
//!
//! One load scale for every run, so that fitness and fatigue add like with like: Banister TRIMP
//! (`minutes x dHR x 0.64 x e^(k dHR)`, Banister 1991; k 1.92 men, 1.67 women, as in
//! GoldenCheetah's TRIMPPoints.cpp). Without heart rate, dHR is estimated: from RPE (CR10 / 10),
//! else from running speed as a fraction of VO2 reserve (ACSM running equation; %HRR ~ %VO2R,
//! Swain & Leutholtz 1997), and the run says which method it used.

use serde::Serialize;

use crate::date::Day;
use crate::figures::RunView;
use crate::profile::Profile;
use crate::sweat::{ASSUMED_VO2MAX, SweatEstimate, SweatInput, estimate_sweat};

/// Default resting heart rate when neither the profile nor the data give one (Runalyze's
/// fallback, Trimp/Calculator.php).
pub const DEFAULT_HR_REST: f64 = 60.0;
/// Default maximum heart rate when nothing better is known (Runalyze's fallback).
pub const DEFAULT_HR_MAX: f64 = 200.0;
/// k for an unknown sex: the mean of the men's and women's constants.
const K_UNKNOWN: f64 = (1.92 + 1.67) / 2.0;

/// Where a heart-rate anchor came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HrSource {
    /// Given in the profile.
    Profile,
    /// Age-predicted, 208 - 0.7 x age (Tanaka et al. 2001, JACC 37:153), or the highest
    /// recorded when that is higher.
    AgePredicted,
    /// The highest heart rate recorded in the runs.
    HighestRecorded,
    /// A default (Runalyze's 200 / 60).
    Default,
}

/// The heart-rate anchors and TRIMP constant used, and where they came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HrBasis {
    /// Maximum heart rate.
    pub hr_max: f64,
    /// Resting heart rate.
    pub hr_rest: f64,
    /// Where `hr_max` came from.
    pub hr_max_source: HrSource,
    /// Where `hr_rest` came from.
    pub hr_rest_source: HrSource,
    /// The TRIMP exponent constant k.
    pub k: f64,
    /// One sentence saying which anchors were used and why.
    pub note: String,
}

impl HrBasis {
    /// The anchors for a profile and the runs: the profile's values, else estimates.
    pub fn new(profile: &Profile, runs: &[RunView]) -> HrBasis {
        let highest = runs
            .iter()
            .filter_map(|r| r.figures.max_hr)
            .filter(|h| (100.0..=230.0).contains(h))
            .fold(None, |m: Option<f64>, h| Some(m.map_or(h, |m| m.max(h))));
        let (hr_max, hr_max_source) = match (profile.hr_max, profile.age, highest) {
            (Some(h), _, _) => (h, HrSource::Profile),
            (None, Some(age), hi) => (
                (208.0 - 0.7 * f64::from(age)).max(hi.unwrap_or(0.0)),
                HrSource::AgePredicted,
            ),
            (None, None, Some(h)) => (h, HrSource::HighestRecorded),
            (None, None, None) => (DEFAULT_HR_MAX, HrSource::Default),
        };
        let (mut hr_rest, hr_rest_source) = match profile.hr_rest {
            Some(r) => (r, HrSource::Profile),
            None => (DEFAULT_HR_REST, HrSource::Default),
        };
        if hr_rest >= hr_max - 20.0 {
            // Only reachable with an estimated maximum below 80 bpm: keep the reserve meaningful.
            hr_rest = hr_max - 20.0;
        }
        let k = match profile.sex {
            Some(runsore_model::Sex::Male) => 1.92,
            Some(runsore_model::Sex::Female) => 1.67,
            None => K_UNKNOWN,
        };
        let max_words = match hr_max_source {
            HrSource::Profile => "from your profile",
            HrSource::AgePredicted => "estimated from your age as 208 - 0.7 x age",
            HrSource::HighestRecorded => "the highest recorded in your runs",
            HrSource::Default => "a default",
        };
        let rest_words = match hr_rest_source {
            HrSource::Profile => "from your profile",
            _ => "a default",
        };
        let set = if hr_max_source == HrSource::Profile && hr_rest_source == HrSource::Profile {
            ""
        } else {
            "; set yours with `runsore profile`"
        };
        let sex_words = match profile.sex {
            Some(_) => "",
            None => "; sex unknown, so the TRIMP constant is the mean of the men's and women's",
        };
        let note = format!(
            "heart-rate load uses a maximum of {hr_max:.0} bpm, {max_words}, and a resting rate \
             of {hr_rest:.0} bpm, {rest_words}{set}{sex_words}"
        );
        HrBasis {
            hr_max,
            hr_rest,
            hr_max_source,
            hr_rest_source,
            k,
            note,
        }
    }

    /// The fraction of heart-rate reserve at `hr`, clamped to 0-1.
    pub fn reserve_fraction(&self, hr: f64) -> f64 {
        ((hr - self.hr_rest) / (self.hr_max - self.hr_rest)).clamp(0.0, 1.0)
    }
}

/// Banister TRIMP: `minutes x dHR x 0.64 x e^(k dHR)`.
pub fn trimp(minutes: f64, dhr: f64, k: f64) -> f64 {
    let dhr = dhr.clamp(0.0, 1.0);
    minutes.max(0.0) * dhr * 0.64 * (k * dhr).exp()
}

/// How a run's load was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadMethod {
    /// TRIMP summed over heart-rate samples.
    TrimpSamples,
    /// TRIMP from the average heart rate.
    TrimpAverage,
    /// TRIMP-equivalent from session RPE (dHR = RPE / 10).
    SessionRpe,
    /// TRIMP-equivalent from running speed (fraction of VO2 reserve, assumed VO2max).
    Pace,
    /// TRIMP-equivalent from duration alone at an assumed moderate effort (dHR 0.5).
    Duration,
    /// No duration: no load.
    None,
}

/// The figures of one run in the runner's terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunMetrics {
    /// The stored run's id.
    pub id: i64,
    /// Start, UTC seconds.
    pub start_utc: i64,
    /// End (start + elapsed), UTC seconds.
    pub end_utc: i64,
    /// The local day it started.
    pub day: Day,
    /// Counted as running (distance series, spikes, run evidence).
    pub is_run: bool,
    /// The sport.
    pub sport: runsore_model::Sport,
    /// Moving minutes (elapsed when moving time is unknown).
    pub minutes: Option<f64>,
    /// Elapsed minutes.
    pub elapsed_minutes: Option<f64>,
    /// Distance, km.
    pub distance_km: Option<f64>,
    /// Pace, minutes per km.
    pub pace_min_per_km: Option<f64>,
    /// Load on the TRIMP scale.
    pub load: f64,
    /// How the load was found.
    pub load_method: LoadMethod,
    /// Banister TRIMP, when there is heart rate.
    pub trimp: Option<f64>,
    /// Session RPE x minutes (Foster 2001), when an RPE was given.
    pub session_rpe: Option<f64>,
    /// Intensity as a fraction of heart-rate reserve (measured or estimated as the method says).
    pub intensity_fraction: Option<f64>,
    /// Average heart rate.
    pub avg_hr: Option<f64>,
    /// Metres descended.
    pub descent_m: Option<f64>,
    /// Minutes below -5 % grade.
    pub steep_minutes: Option<f64>,
    /// Kilometres below -5 % grade.
    pub steep_km: Option<f64>,
    /// Recorded temperature, C.
    pub temp_c: Option<f64>,
    /// Average moving speed of a run, m/s.
    pub speed_mps: Option<f64>,
}

impl RunMetrics {
    /// A run of two minutes or more (or of unknown length): a few seconds of recording is a
    /// button pressed by mistake, not "the run before the pain began".
    pub fn is_a_real_run(&self) -> bool {
        self.is_run && !self.minutes.is_some_and(|m| m < 2.0)
    }

    /// Estimated sweat loss, when the duration is known. Computed on demand: only the latest
    /// runs need it, and a report over ten years should not pay for every one.
    pub fn sweat(&self, profile: &Profile) -> Option<SweatEstimate> {
        self.minutes.map(|m| {
            estimate_sweat(&SweatInput {
                minutes: m,
                speed_mps: self.speed_mps,
                hrr_fraction: self.intensity_fraction,
                temp_c: self.temp_c,
                body_mass_kg: profile.body_mass_kg,
                height_cm: profile.height_cm,
            })
        })
    }
}

/// Every run's metrics, in start order, with the anchors used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Heart-rate anchors.
    pub hr: HrBasis,
    /// The profile as used (invalid values dropped).
    pub profile: Profile,
    /// Runs in start order.
    pub runs: Vec<RunMetrics>,
}

/// Computes every run's metrics under the profile.
pub fn analyse(runs: &[RunView], profile: &Profile) -> Analysis {
    analyse_since(runs, profile, i64::MIN)
}

/// Computes the metrics of the runs starting at or after `from_utc`; the heart-rate anchors
/// still come from every run, so that a window gives the same figures as the whole history.
///
/// Implausible runs ([`RunView::implausible`]) are left out here, the one door every figure over
/// time passes through: a track across the globe must not become the runner's "longest run".
pub fn analyse_since(runs: &[RunView], profile: &Profile, from_utc: i64) -> Analysis {
    let profile = profile.sanitized();
    let plausible: Vec<RunView> = runs
        .iter()
        .filter(|r| r.implausible().is_none())
        .cloned()
        .collect();
    let runs = plausible.as_slice();
    let hr = HrBasis::new(&profile, runs);
    // TRIMP per minute at each heart rate, computed once: summing bins is then a multiply-add.
    let mut per_minute = [0.0; 256];
    for (bpm, w) in per_minute.iter_mut().enumerate() {
        *w = trimp(1.0, hr.reserve_fraction(bpm as f64), hr.k);
    }
    let mut out: Vec<RunMetrics> = runs
        .iter()
        .filter(|r| r.start_utc >= from_utc)
        .map(|r| metrics(r, &profile, &hr, &per_minute))
        .collect();
    out.sort_by_key(|m| (m.start_utc, m.id));
    Analysis {
        hr,
        profile,
        runs: out,
    }
}

fn metrics(run: &RunView, profile: &Profile, hr: &HrBasis, per_minute: &[f64; 256]) -> RunMetrics {
    let f = &run.figures;
    let offset = run.local_offset_s.or(profile.utc_offset_s).unwrap_or(0);
    let minutes = f.minutes().filter(|m| m.is_finite() && *m >= 0.0);
    let distance_km = f.distance_m.map(|m| m / 1000.0);
    let speed = match (f.distance_m, f.moving_s.or(f.elapsed_s)) {
        (Some(d), Some(s)) if d > 0.0 && s > 0.0 => Some(d / s),
        _ => None,
    };
    let pace_min_per_km = speed.filter(|_| run.is_run()).map(|v| 1000.0 / v / 60.0);

    let bins_s: f64 = f.hr_seconds.iter().map(|b| b.seconds).sum();
    let trimp_samples = (bins_s > 0.0).then(|| {
        // Each bin's minutes at its own dHR: more faithful for intervals than the average.
        let sampled: f64 = f
            .hr_seconds
            .iter()
            .map(|b| b.seconds / 60.0 * per_minute[b.bpm as usize])
            .sum();
        // Scale to the run's moving time when samples cover less of it (dropouts).
        match minutes {
            Some(m) if m * 60.0 > bins_s => sampled * m * 60.0 / bins_s,
            _ => sampled,
        }
    });
    let trimp_average = match (f.avg_hr, minutes) {
        (Some(h), Some(m)) => Some(trimp(m, hr.reserve_fraction(h), hr.k)),
        _ => None,
    };
    let session_rpe = match (run.rpe, minutes) {
        (Some(r), Some(m)) => Some(r * m),
        _ => None,
    };
    let pace_fraction = speed
        .filter(|_| run.is_run())
        .map(|v| (0.2 * v * 60.0 / (ASSUMED_VO2MAX - 3.5)).clamp(0.0, 1.0));

    let (load, load_method, intensity_fraction) = match (minutes, trimp_samples, trimp_average) {
        (None, ..) => (0.0, LoadMethod::None, None),
        (Some(_), Some(t), _) => (
            t,
            LoadMethod::TrimpSamples,
            f.avg_hr.map(|h| hr.reserve_fraction(h)),
        ),
        (Some(_), None, Some(t)) => (
            t,
            LoadMethod::TrimpAverage,
            f.avg_hr.map(|h| hr.reserve_fraction(h)),
        ),
        (Some(m), None, None) => match (run.rpe, pace_fraction) {
            (Some(r), _) => {
                let x = (r / 10.0).clamp(0.0, 1.0);
                (trimp(m, x, hr.k), LoadMethod::SessionRpe, Some(x))
            }
            (None, Some(x)) => (trimp(m, x, hr.k), LoadMethod::Pace, Some(x)),
            (None, None) => (trimp(m, 0.5, hr.k), LoadMethod::Duration, None),
        },
    };

    let elapsed = f.elapsed_s.or(f.moving_s).unwrap_or(0.0).max(0.0);
    RunMetrics {
        id: run.id,
        start_utc: run.start_utc,
        end_utc: run.start_utc.saturating_add(elapsed.round() as i64),
        day: Day::from_utc(run.start_utc, offset),
        is_run: run.is_run(),
        sport: run.sport.clone(),
        minutes,
        elapsed_minutes: f.elapsed_s.map(|s| s / 60.0),
        distance_km,
        pace_min_per_km,
        load,
        load_method,
        trimp: trimp_samples.or(trimp_average),
        session_rpe,
        intensity_fraction,
        avg_hr: f.avg_hr,
        descent_m: f.descent.metres,
        steep_minutes: f.descent.steep_s.map(|s| s / 60.0),
        steep_km: f.descent.steep_m.map(|m| m / 1000.0),
        temp_c: f.temp_c,
        speed_mps: speed.filter(|_| run.is_run()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{HrBin, RunFigures};
    use runsore_model::{Sex, Sport};

    fn view(minutes: f64, km: Option<f64>, avg_hr: Option<f64>, rpe: Option<f64>) -> RunView {
        RunView {
            id: 1,
            start_utc: 1_746_259_200,
            local_offset_s: Some(0),
            sport: Sport::Running,
            rpe,
            figures: RunFigures {
                elapsed_s: Some(minutes * 60.0),
                moving_s: Some(minutes * 60.0),
                distance_m: km.map(|k| k * 1000.0),
                avg_hr,
                ..RunFigures::default()
            },
        }
    }

    fn male(max: f64, rest: f64) -> Profile {
        Profile {
            sex: Some(Sex::Male),
            hr_max: Some(max),
            hr_rest: Some(rest),
            ..Profile::default()
        }
    }

    #[test]
    fn trimp_worked_examples() {
        // (minutes, dHR, k, TRIMP) by hand:
        // 30 min at 150 bpm, rest 60, max 190: dHR = 90/130 = 0.692308;
        //   men: 30 x 0.692308 x 0.64 x e^(1.92 x 0.692308 = 1.329231) = 13.2923 x 3.77807 = 50.220
        //   women: e^(1.67 x 0.692308 = 1.156154) = 3.17768 -> 42.239
        // 60 min at dHR 0.5, men: 60 x 0.5 x 0.64 x e^0.96 = 19.2 x 2.611696 = 50.145
        let cases = [
            (30.0, 90.0 / 130.0, 1.92, 50.220),
            (30.0, 90.0 / 130.0, 1.67, 42.239),
            (60.0, 0.5, 1.92, 50.145),
            (60.0, 0.0, 1.92, 0.0),
            (60.0, 1.4, 1.92, 60.0 * 0.64 * 1.92_f64.exp()),
        ];
        for (minutes, dhr, k, want) in cases {
            let got = trimp(minutes, dhr, k);
            assert!((got - want).abs() < 0.001, "{minutes} {dhr} {k}: {got}");
        }
    }

    #[test]
    fn load_method_follows_the_data() {
        let p = male(190.0, 60.0);
        let check = |v: RunView, method: LoadMethod, load: f64| {
            let a = analyse(&[v], &p);
            let m = &a.runs[0];
            assert_eq!(m.load_method, method);
            assert!((m.load - load).abs() < 0.01, "{method:?}: {}", m.load);
        };
        check(
            view(30.0, Some(6.0), Some(150.0), Some(7.0)),
            LoadMethod::TrimpAverage,
            50.220,
        );
        // RPE 5 -> dHR 0.5 for 60 min: 50.145; session RPE itself is 300.
        check(
            view(60.0, Some(10.0), None, Some(5.0)),
            LoadMethod::SessionRpe,
            50.145,
        );
        // 10 km in 60 min = 166.7 m/min: VO2 above rest 0.2 x 166.7 = 33.33 over a reserve of
        // 46.5 -> 0.71685; 60 x 0.71685 x 0.64 x e^(1.92 x 0.71685 = 1.37636) = 109.02.
        check(view(60.0, Some(10.0), None, None), LoadMethod::Pace, 109.02);
        check(view(60.0, None, None, None), LoadMethod::Duration, 50.145);
        let a = analyse(&[view(60.0, Some(10.0), None, Some(5.0))], &p);
        assert_eq!(a.runs[0].session_rpe, Some(300.0));
        assert_eq!(a.runs[0].pace_min_per_km, Some(6.0));
    }

    #[test]
    fn sampled_trimp_equals_average_at_constant_rate_and_exceeds_it_for_intervals() {
        let p = male(190.0, 60.0);
        let mut steady = view(30.0, Some(6.0), Some(150.0), None);
        steady.figures.hr_seconds = vec![HrBin {
            bpm: 150,
            seconds: 1800.0,
        }];
        let a = analyse(&[steady.clone()], &p);
        assert_eq!(a.runs[0].load_method, LoadMethod::TrimpSamples);
        assert!((a.runs[0].load - 50.220).abs() < 0.001);
        // Half at 120, half at 180 (same 150 average): the exponential weights the hard half
        // more. 15 x (60/130) x 0.64 x e^(1.92 x 0.461538) + 15 x (120/130) x 0.64 x
        // e^(1.92 x 0.923077) = 4.43077 x 2.42578 + 8.86154 x 5.88442 = 10.7479 + 52.1450 = 62.893.
        steady.figures.hr_seconds = vec![
            HrBin {
                bpm: 120,
                seconds: 900.0,
            },
            HrBin {
                bpm: 180,
                seconds: 900.0,
            },
        ];
        let a = analyse(&[steady], &p);
        assert!(
            (a.runs[0].load - 62.893).abs() < 0.001,
            "{}",
            a.runs[0].load
        );
    }

    #[test]
    fn hr_anchors_say_where_they_came_from() {
        let mut v = view(30.0, None, Some(150.0), None);
        v.figures.max_hr = Some(187.0);
        let runs = [v];
        let check = |p: Profile, max: f64, rest: f64, source: HrSource, words: &str| {
            let b = HrBasis::new(&p, &runs);
            assert_eq!((b.hr_max, b.hr_rest, b.hr_max_source), (max, rest, source));
            assert!(b.note.contains(words), "{}", b.note);
        };
        check(
            male(195.0, 48.0),
            195.0,
            48.0,
            HrSource::Profile,
            "from your profile",
        );
        check(
            Profile::default(),
            187.0,
            60.0,
            HrSource::HighestRecorded,
            "highest recorded",
        );
        // Age 40: 208 - 28 = 180, below the recorded 187, so 187.
        let aged = Profile {
            age: Some(40),
            ..Profile::default()
        };
        check(aged, 187.0, 60.0, HrSource::AgePredicted, "age");
        let b = HrBasis::new(&Profile::default(), &[]);
        assert_eq!((b.hr_max, b.hr_max_source), (200.0, HrSource::Default));
        assert!(b.note.contains("sex unknown"));
    }
}
