//! Properties over arbitrary input: no NaN, no negative distance, descent or load, evidence that
//! always fits the intake.

use proptest::prelude::*;
use runsore_model::{Format, Intake, Run, RunSummary, Sample, Sport};
use runsore_training::{Day, Profile, RunFigures, RunView, derive_evidence, report};

/// One step: seconds since the last sample, altitude, metres moved, heart rate, temperature.
type Step = (f64, Option<f64>, Option<f64>, Option<u8>, Option<i8>);

fn sample() -> impl Strategy<Value = Step> {
    (
        // Some files step back in time: negative steps must not break anything.
        -5.0..40.0_f64,
        proptest::option::of(-500.0..5000.0_f64),
        proptest::option::of(0.0..30.0_f64),
        proptest::option::of(any::<u8>()),
        proptest::option::of(-30..50_i8),
    )
}

fn run_of(steps: Vec<Step>) -> Run {
    let (mut t, mut d) = (1_700_000_000.0, 0.0);
    let samples = steps
        .into_iter()
        .map(|(dt, alt, step, hr, temp)| {
            t += dt;
            d += step.unwrap_or(0.0);
            Sample {
                t,
                alt_m: alt,
                dist_m: step.map(|_| d),
                hr,
                temp_c: temp,
                ..Sample::default()
            }
        })
        .collect();
    Run {
        source: "prop".into(),
        format: Format::Gpx,
        content_hash: String::new(),
        device: None,
        sport: Sport::Unknown,
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

fn finite_non_negative(v: Option<f64>) -> bool {
    v.is_none_or(|v| v.is_finite() && v >= 0.0)
}

proptest! {
    // 64 cases keep the debug-mode run to a few seconds on a shared two-core machine.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn figures_are_finite_and_non_negative(steps in proptest::collection::vec(sample(), 0..300)) {
        let f = RunFigures::from_run(&run_of(steps));
        for v in [f.elapsed_s, f.moving_s, f.distance_m, f.avg_hr, f.max_hr,
                  f.descent.metres, f.descent.steep_s, f.descent.steep_m] {
            prop_assert!(finite_non_negative(v), "{f:?}");
        }
        prop_assert!(f.temp_c.is_none_or(f64::is_finite));
    }

    #[test]
    fn report_and_evidence_stay_sane(
        runs in proptest::collection::vec(
            (0..120_i64, proptest::collection::vec(sample(), 0..60), proptest::option::of(0.0..10.0_f64)),
            0..25,
        ),
        mass in proptest::option::of(30.0..150.0_f64),
        today in 0..150_i64,
    ) {
        let views: Vec<RunView> = runs
            .into_iter()
            .enumerate()
            .filter_map(|(i, (day, steps, rpe))| {
                let mut run = run_of(steps);
                run.rpe = rpe;
                run.summary.start_utc = Some((20_000 + day) * 86_400);
                let mut v = RunView::from_run(i as i64, &run)?;
                v.start_utc = (20_000 + day) * 86_400;
                Some(v)
            })
            .collect();
        let profile = Profile { body_mass_kg: mass, ..Profile::default() };
        let r = report(&views, &profile, Day(20_000 + today));
        for w in &r.weeks {
            prop_assert!(w.distance_km.is_finite() && w.distance_km >= 0.0, "{w:?}");
            prop_assert!(w.load.is_finite() && w.load >= 0.0, "{w:?}");
        }
        for p in &r.fitness {
            prop_assert!(p.ctl.is_finite() && p.atl.is_finite() && p.tsb.is_finite(), "{p:?}");
        }
        if let Some(ratios) = &r.ratios {
            prop_assert!(ratios.ewma.value.is_none_or(f64::is_finite));
            prop_assert!(ratios.rolling.value.is_none_or(f64::is_finite));
        }
        let e = derive_evidence(&views, &profile, (20_000 + today) * 86_400 + 43_200);
        let (merged, used) = e.merge_into(&Intake::default());
        prop_assert_eq!(used.len(), e.findings.len(), "every finding fits the intake: {:?}", e);
        prop_assert!(merged.validate().is_empty(), "{:?}", merged.validate());
    }
}
