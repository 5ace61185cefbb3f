//! Impossible runs stay out of the figures over time: a GPX whose points jump across the globe
//! (10,677,377 km in 10 minutes) once made `load` advise "keep any single run under 11745131 km"
//! and `check` rank a stress fracture first on a "+49432365%" week.

use runsore_model::Sport;
use runsore_training::{Day, Profile, RunFigures, RunView, analyse, render_text, report};

const DAY: i64 = 86_400;
const T0: i64 = 1_790_000_000;

fn run(id: i64, day: i64, sport: Sport, km: f64, minutes: f64) -> RunView {
    RunView {
        id,
        start_utc: T0 + day * DAY,
        local_offset_s: Some(0),
        sport,
        rpe: None,
        figures: RunFigures {
            elapsed_s: Some(minutes * 60.0),
            moving_s: Some(minutes * 60.0),
            distance_m: Some(km * 1000.0),
            ..RunFigures::default()
        },
    }
}

#[test]
fn a_run_across_the_globe_is_flagged_and_left_out_of_the_analytics() {
    let mut runs: Vec<RunView> = (0..20)
        .map(|i| run(i, i * 2, Sport::Running, 10.0, 55.0))
        .collect();
    let globe = run(99, 39, Sport::Unknown, 10_677_377.0, 10.0);
    assert!(globe.implausible().is_some());
    runs.push(globe.clone());
    let fast_run = run(98, 38, Sport::Running, 60.0, 60.0);
    assert!(fast_run.implausible().is_some(), "60 km/h is not running");
    runs.push(fast_run);

    let analysis = analyse(&runs, &Profile::default());
    assert!(analysis.runs.iter().all(|r| r.id != 99 && r.id != 98));

    let today = Day::from_utc(T0 + 40 * DAY, 0);
    let text = render_text(&report(&runs, &Profile::default(), today));
    assert!(!text.contains("11745131"), "{text}");
    let clean: Vec<RunView> = runs.iter().filter(|r| r.id < 90).cloned().collect();
    assert_eq!(
        text,
        render_text(&report(&clean, &Profile::default(), today)),
        "an implausible run changes nothing"
    );
}
