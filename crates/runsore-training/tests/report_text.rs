//! The `runsore load` text and JSON for a crafted six weeks, as snapshots to review by eye.

use runsore_model::{Sex, Sport};
use runsore_training::figures::{Descent, ElevationSource, HrBin};
use runsore_training::{Day, Profile, RunFigures, RunView, derive_evidence, render_text, report};

const DAY0: i64 = 20_180; // 2025-04-02

fn run(id: i64, day: i64, km: f64, hr: u8, temp: f64, descent: f64) -> RunView {
    let seconds = km * 340.0;
    RunView {
        id,
        start_utc: (DAY0 + day) * 86_400 + 6 * 3600,
        local_offset_s: Some(7200),
        sport: Sport::Running,
        rpe: None,
        figures: RunFigures {
            elapsed_s: Some(seconds + 120.0),
            moving_s: Some(seconds),
            distance_m: Some(km * 1000.0),
            avg_hr: Some(f64::from(hr)),
            max_hr: Some(f64::from(hr) + 20.0),
            hr_seconds: vec![HrBin { bpm: hr, seconds }],
            descent: Descent {
                metres: Some(descent),
                steep_s: Some(descent / 400.0 * 1500.0),
                steep_m: Some(descent / 0.1),
                source: ElevationSource::Samples,
            },
            temp_c: Some(temp),
        },
    }
}

/// Six weeks of three runs a week building gently, then a hot, hilly 24 km long run.
fn history() -> Vec<RunView> {
    let mut runs = Vec::new();
    for week in 0..6 {
        let base = 7.0 + week as f64 * 0.5;
        runs.push(run(week * 10 + 1, week * 7, base, 142, 14.0, 40.0));
        runs.push(run(
            week * 10 + 2,
            week * 7 + 2,
            base + 1.0,
            150,
            15.0,
            60.0,
        ));
        runs.push(run(
            week * 10 + 3,
            week * 7 + 5,
            base * 2.0,
            140,
            16.0,
            80.0,
        ));
    }
    runs.push(run(100, 43, 24.0, 152, 28.0, 520.0));
    runs
}

fn profile() -> Profile {
    Profile {
        sex: Some(Sex::Female),
        body_mass_kg: Some(58.0),
        hr_max: Some(190.0),
        hr_rest: Some(50.0),
        ..Profile::default()
    }
}

#[test]
fn load_report_text() {
    let r = report(&history(), &profile(), Day(DAY0 + 44));
    insta::assert_snapshot!(render_text(&r));
}

#[test]
fn derived_evidence_sentences() {
    let runs = history();
    let now = (DAY0 + 44) * 86_400 + 12 * 3600;
    let e = derive_evidence(&runs, &profile(), now);
    let lines: Vec<String> = e
        .findings
        .iter()
        .map(|f| format!("{} = {} ({:?}): {}", f.field, f.value, f.run_id, f.because))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn load_report_json_shape() {
    // Two weeks keep the snapshot short; the shape is what the web app and `--json` users read.
    let options = runsore_training::report::ReportOptions { weeks: 2 };
    let r = runsore_training::report::report_with(&history(), &profile(), Day(DAY0 + 44), options);
    insta::assert_json_snapshot!(rounded(serde_json::to_value(&r).unwrap()));
}

/// Rounds every float to 4 decimals, so that the last bits of `exp` on another libm do not
/// change the snapshot.
fn rounded(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = (n.as_f64().unwrap() * 1e4).round() / 1e4;
            serde_json::json!(x)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(rounded).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, rounded(v))).collect()),
        other => other,
    }
}
