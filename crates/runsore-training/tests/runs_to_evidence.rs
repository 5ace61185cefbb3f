//! From decoded runs (crafted here, sample by sample, as the importer would hand them over) to the
//! evidence the engine reads: a long hot run and a downhill spike must be recognised and named.

use runsore_model::{DerivedEvidence, Format, Run, RunSummary, Sample, Sex, Sport};
use runsore_training::{Day, Profile, RunView, derive_evidence, render_text, report};
use serde_json::json;

const DAY0: i64 = 20_200; // 2025-04-22

/// Deterministic GPS-like altitude noise (xorshift64*), metres.
struct Noise(u64);

impl Noise {
    fn next(&mut self, sd: f64) -> f64 {
        let mut sum = 0.0;
        for _ in 0..12 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            sum += (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64;
        }
        (sum - 6.0) * sd
    }
}

/// A run recorded at 1 Hz: `km` at `speed` m/s, heart rate 145, temperature `temp`, altitude
/// `alt(distance)` plus 2.5 m of noise, starting at 07:00 UTC on `DAY0 + day`.
fn recorded(day: i64, km: f64, speed: f64, temp: i8, alt: impl Fn(f64) -> f64) -> Run {
    let start = (DAY0 + day) * 86_400 + 7 * 3600;
    let seconds = (km * 1000.0 / speed).round() as usize;
    let mut noise = Noise(0xA076_1D64_78BD_642F ^ day as u64);
    let samples = (0..=seconds)
        .map(|i| {
            let d = i as f64 * speed;
            Sample {
                t: (start + i as i64) as f64,
                dist_m: Some(d),
                alt_m: Some(alt(d) + noise.next(2.5)),
                speed_mps: Some(speed),
                hr: Some(145),
                temp_c: Some(temp),
                ..Sample::default()
            }
        })
        .collect();
    Run {
        source: format!("day{day}.fit"),
        format: Format::Fit,
        content_hash: format!("{day:064x}"),
        device: Some("test".into()),
        sport: Sport::Running,
        sub_sport: None,
        name: None,
        rpe: None,
        summary: RunSummary {
            start_utc: Some(start),
            ..RunSummary::default()
        },
        device_summary: None,
        samples,
        partial: false,
        warnings: Vec::new(),
    }
}

/// Four weeks of flat 10 km runs every other day at 15 C, plus one 19 km long run.
fn history() -> Vec<Run> {
    let mut runs: Vec<Run> = (0..28)
        .step_by(2)
        .map(|d| recorded(d, 10.0, 3.0, 15, |_| 40.0))
        .collect();
    runs.push(recorded(25, 19.0, 2.9, 15, |_| 40.0));
    runs
}

fn views(runs: &[Run]) -> Vec<RunView> {
    runs.iter()
        .enumerate()
        .filter_map(|(i, r)| RunView::from_run(i as i64 + 1, r))
        .collect()
}

fn profile() -> Profile {
    Profile {
        sex: Some(Sex::Female),
        body_mass_kg: Some(60.0),
        hr_max: Some(188.0),
        hr_rest: Some(52.0),
        ..Profile::default()
    }
}

fn finding<'a>(e: &'a DerivedEvidence, field: &str) -> &'a runsore_model::DerivedFinding {
    e.findings
        .iter()
        .find(|f| f.field == field)
        .unwrap_or_else(|| panic!("no {field} in {e:#?}"))
}

#[test]
fn flat_history_has_no_invented_descent() {
    for v in views(&history()) {
        let d = v.figures.descent.metres.unwrap();
        assert!(d < 5.0, "run {} on flat ground: {d} m of descent", v.id);
    }
}

#[test]
fn a_long_hot_run_reads_as_hot_heavy_sweating_and_unaccustomed() {
    let mut runs = history();
    // 27 km at 3.03 m/s (5:30 per km, 2 h 29 min) at 31 C on 21 May.
    runs.push(recorded(29, 27.0, 1000.0 / 330.0, 31, |_| 40.0));
    let views = views(&runs);
    let last = views.last().unwrap();
    let now = last.start_utc + 8910 + 20 * 3600;
    let e = derive_evidence(&views, &profile(), now);

    let hot = finding(&e, "run.hot");
    assert_eq!(
        (hot.value.clone(), hot.run_id),
        (json!(true), Some(last.id))
    );
    let sweat = finding(&e, "run.heavy_sweating");
    assert_eq!(sweat.value, json!(true), "{}", sweat.because);
    assert!(
        sweat
            .because
            .starts_with("your 27 km run on 21 May probably cost about")
    );
    let u = finding(&e, "run.unaccustomed");
    assert_eq!(u.value, json!(true));
    assert!(
        u.because
            .starts_with("your 27 km run on 21 May was 42% longer than any run in the 30 days before (longest 19 km)"),
        "{}",
        u.because
    );
    assert_eq!(finding(&e, "hours_since_run").value, json!(20.0));
    assert_eq!(finding(&e, "run.downhill").value, json!(false));

    // The load report names the same run, with its sweat and potassium against food.
    let r = report(&views, &profile(), Day(DAY0 + 30));
    let text = render_text(&r);
    assert!(
        text.contains("Last run: your 27 km run on 21 May"),
        "{text}"
    );
    assert!(text.contains("baked potato with skin has 926 mg"), "{text}");
    assert!(text.contains("2,600 mg for women, NASEM 2019"), "{text}");
    assert!(!text.to_lowercase().contains("take a supplement"));
}

#[test]
fn a_downhill_spike_reads_as_downhill_and_unaccustomed() {
    let mut runs = history();
    // 14 km: 3 km flat at 940 m, 8 km down at -11 % (880 m), 3 km flat, at 15 C on 21 May.
    let alt = |d: f64| {
        if d < 3000.0 {
            940.0
        } else if d < 11_000.0 {
            940.0 - 0.11 * (d - 3000.0)
        } else {
            60.0
        }
    };
    runs.push(recorded(29, 14.0, 3.2, 15, alt));
    let views = views(&runs);
    let last = views.last().unwrap();
    let d = last.figures.descent;
    assert!((d.metres.unwrap() - 880.0).abs() < 8.0, "{d:?}");
    // 8 km at 3.2 m/s = 2500 s below -5 %.
    assert!((d.steep_s.unwrap() - 2500.0).abs() < 60.0, "{d:?}");

    let e = derive_evidence(&views, &profile(), last.start_utc + 4375 + 30 * 3600);
    let down = finding(&e, "run.downhill");
    assert_eq!(
        (down.value.clone(), down.run_id),
        (json!(true), Some(last.id))
    );
    assert!(
        down.because
            .starts_with("your 14 km run on 21 May descended 8"),
        "{}",
        down.because
    );
    let u = finding(&e, "run.unaccustomed");
    assert_eq!(u.value, json!(true));
    assert!(
        u.because.contains("after 6 weeks without downhill"),
        "{}",
        u.because
    );
    assert_eq!(finding(&e, "run.hot").value, json!(false));
}
