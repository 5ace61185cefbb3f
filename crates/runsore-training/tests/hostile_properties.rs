//! Properties over hostile runs, beyond tests/properties.rs: samples with NaN, infinite or
//! backward times, distance counters that reset, nonsense device summaries, runs given in any
//! order and separated by any gap. Nothing may come out NaN or negative, and the order runs are
//! given in must not matter.

use proptest::prelude::*;
use runsore_model::{Format, Run, RunSummary, Sample, Sport};
use runsore_training::{Day, Profile, RunFigures, RunView, analyse, report};

/// A float that is usually ordinary but sometimes NaN, infinite, negative or huge.
fn wild(ordinary: std::ops::Range<f64>) -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => ordinary,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => -1e12..1e12_f64,
    ]
}

/// One sample step: time step, altitude, distance step, speed, heart rate, temperature.
type Step = (
    f64,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<u8>,
    Option<i8>,
);

fn step() -> impl Strategy<Value = Step> {
    (
        // Time steps: ordinary, backwards, pauses of hours, or broken values.
        prop_oneof![8 => 0.0..10.0_f64, 1 => -100.0..0.0_f64, 1 => wild(0.0..100_000.0)],
        proptest::option::of(wild(-400.0..4000.0)),
        // Distance steps: forward, a counter reset (a big negative step), or broken.
        proptest::option::of(
            prop_oneof![8 => 0.0..40.0_f64, 1 => Just(-1e6), 1 => wild(0.0..10.0)],
        ),
        proptest::option::of(wild(0.0..8.0)),
        proptest::option::of(any::<u8>()),
        proptest::option::of(any::<i8>()),
    )
}

fn summary() -> impl Strategy<Value = Option<RunSummary>> {
    proptest::option::of(
        (
            proptest::option::of(wild(0.0..20_000.0)),
            proptest::option::of(wild(0.0..50_000.0)),
            proptest::option::of(wild(0.0..2_000.0)),
            proptest::option::of(wild(60.0..200.0)),
        )
            .prop_map(|(elapsed, dist, descent, hr)| RunSummary {
                elapsed_s: elapsed,
                moving_s: elapsed.map(|e| e * 0.9),
                distance_m: dist,
                descent_m: descent,
                avg_hr: hr,
                ..RunSummary::default()
            }),
    )
}

fn run_of(start: f64, steps: Vec<Step>, device: Option<RunSummary>, sport: Sport) -> Run {
    let (mut t, mut d) = (start, 0.0);
    let samples = steps
        .into_iter()
        .map(|(dt, alt, dd, speed, hr, temp)| {
            t += dt;
            d += dd.unwrap_or(0.0);
            Sample {
                t,
                alt_m: alt,
                dist_m: dd.map(|_| d),
                speed_mps: speed,
                hr,
                temp_c: temp,
                ..Sample::default()
            }
        })
        .collect();
    Run {
        source: "hostile".into(),
        format: Format::Fit,
        content_hash: String::new(),
        device: None,
        sport,
        sub_sport: None,
        name: None,
        rpe: None,
        summary: RunSummary {
            start_utc: Some(start as i64),
            ..RunSummary::default()
        },
        device_summary: device,
        samples,
        partial: false,
        warnings: Vec::new(),
    }
}

fn sport() -> impl Strategy<Value = Sport> {
    prop_oneof![
        Just(Sport::Running),
        Just(Sport::Unknown),
        Just(Sport::Cycling)
    ]
}

fn ok(v: Option<f64>) -> bool {
    v.is_none_or(|v| v.is_finite() && v >= 0.0)
}

fn check_figures(f: &RunFigures) -> Result<(), TestCaseError> {
    for v in [
        f.elapsed_s,
        f.moving_s,
        f.distance_m,
        f.avg_hr,
        f.max_hr,
        f.descent.metres,
        f.descent.steep_s,
        f.descent.steep_m,
    ] {
        prop_assert!(ok(v), "{f:?}");
    }
    prop_assert!(f.temp_c.is_none_or(f64::is_finite), "{f:?}");
    for b in &f.hr_seconds {
        prop_assert!(b.seconds.is_finite() && b.seconds >= 0.0, "{b:?}");
    }
    Ok(())
}

/// One run to be: days since the previous run, second of the day, samples, device summary, sport.
type RunSpec = (u16, u32, Vec<Step>, Option<RunSummary>, Sport);

/// Runs on distinct start times, any number of days apart (from none to years).
fn views_of(runs: Vec<RunSpec>) -> Vec<RunView> {
    let mut day = 18_000_i64;
    runs.into_iter()
        .enumerate()
        .filter_map(|(i, (gap, at, steps, device, sport))| {
            day += i64::from(gap);
            let start = (day * 86_400 + i64::from(at % 86_000) + i as i64) as f64;
            RunView::from_run(i as i64, &run_of(start, steps, device, sport))
        })
        .collect()
}

fn runs() -> impl Strategy<Value = Vec<RunSpec>> {
    proptest::collection::vec(
        (
            prop_oneof![4 => 0..3_u16, 2 => 3..60_u16, 1 => 60..2_000_u16],
            any::<u32>(),
            proptest::collection::vec(step(), 0..50),
            summary(),
            sport(),
        ),
        0..12,
    )
}

proptest! {
    // 48 cases each keep the debug-mode run to a few seconds on a shared two-core machine; the
    // strategies lean on the broken values, so few cases still reach them.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn figures_of_broken_samples_are_finite_and_non_negative(
        steps in proptest::collection::vec(step(), 0..200),
        device in summary(),
        sport in sport(),
    ) {
        check_figures(&RunFigures::from_run(&run_of(1.6e9, steps, device, sport)))?;
    }

    #[test]
    fn metrics_are_finite_non_negative_and_in_start_order(runs in runs(), mass in proptest::option::of(30.0..150.0_f64)) {
        let views = views_of(runs);
        let profile = Profile { body_mass_kg: mass, ..Profile::default() };
        let a = analyse(&views, &profile);
        // Implausible runs (speed, distance or duration beyond their sport) are left out.
        let plausible = views.iter().filter(|v| v.implausible().is_none()).count();
        prop_assert_eq!(a.runs.len(), plausible);
        for w in a.runs.windows(2) {
            prop_assert!(w[0].start_utc <= w[1].start_utc, "not in start order");
        }
        for m in &a.runs {
            prop_assert!(m.load.is_finite() && m.load >= 0.0, "load {m:?}");
            prop_assert!(m.end_utc >= m.start_utc, "ends before it starts {m:?}");
            for v in [m.minutes, m.elapsed_minutes, m.distance_km, m.pace_min_per_km, m.trimp,
                      m.session_rpe, m.intensity_fraction, m.descent_m, m.steep_minutes, m.steep_km] {
                prop_assert!(ok(v), "{m:?}");
            }
            if let Some(s) = &m.sweat(&profile) {
                for v in [s.litres, s.litres_low, s.litres_high, s.litres_per_hour,
                          s.percent_body_mass, s.potassium_mg_low, s.potassium_mg_high] {
                    prop_assert!(v.is_finite() && v >= 0.0, "{s:?}");
                }
                prop_assert!(s.litres_low <= s.litres && s.litres <= s.litres_high, "{s:?}");
            }
        }
        // The order runs are given in does not matter: they are put in start order.
        let mut reversed = views.clone();
        reversed.reverse();
        prop_assert_eq!(&analyse(&reversed, &profile).runs, &a.runs);
    }

    #[test]
    fn report_over_any_gaps_is_finite(runs in runs(), ahead in 0..400_i64) {
        let views = views_of(runs);
        let last = views.iter().map(|v| v.start_utc / 86_400).max().unwrap_or(18_000);
        // Today may fall before some runs (a wrong clock) or long after the last.
        let today = Day(last - 30 + ahead);
        let r = report(&views, &Profile::default(), today);
        for w in &r.weeks {
            prop_assert!(w.distance_km.is_finite() && w.distance_km >= 0.0, "{w:?}");
            prop_assert!(w.load.is_finite() && w.load >= 0.0, "{w:?}");
        }
        for p in &r.fitness {
            prop_assert!(p.ctl.is_finite() && p.ctl >= 0.0, "{p:?}");
            prop_assert!(p.atl.is_finite() && p.atl >= 0.0, "{p:?}");
            prop_assert!(p.tsb.is_finite(), "{p:?}");
        }
        if let Some(ratios) = &r.ratios {
            prop_assert!(ratios.ewma.value.is_none_or(|v| v.is_finite() && v >= 0.0));
            prop_assert!(ratios.rolling.value.is_none_or(|v| v.is_finite() && v >= 0.0));
        }
    }
}
