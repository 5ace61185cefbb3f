//! Issue 15: the run that explains the soreness is the most demanding one in the window the onset
//! points to, not the latest. A generated history of real GPX files goes through `runsore import`
//! and `runsore check` as a runner would run them.

mod common;

use common::{DAY0, history, ok_json, rfc3339, run};
use serde_json::{Value, json};

#[test]
fn the_half_marathon_not_the_shake_out_jog_explains_next_mornings_glutes() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("runs");
    std::fs::create_dir(&files).unwrap();
    history(&files);
    let db = dir.path().join("runsore.db").display().to_string();
    let files = files.display().to_string();
    ok_json(&run(&["--db", &db, "--json", "import", &files], ""));
    let runs = ok_json(&run(&["--db", &db, "--json", "runs", "--limit", "100"], ""));
    let runs = runs
        .as_array()
        .or_else(|| runs["runs"].as_array())
        .expect("a list of runs")
        .clone();
    assert_eq!(runs.len(), 20, "{runs:#?}");
    let id_of = |km: f64| {
        runs.iter()
            .find(|r| {
                r["distance_km"]
                    .as_f64()
                    .or_else(|| r["distance_m"].as_f64().map(|m| m / 1000.0))
                    .is_some_and(|d| (d - km).abs() < 0.3)
            })
            .map(|r| r["id"].clone())
            .unwrap_or_else(|| panic!("no {km} km run in {runs:#?}"))
    };
    let half = id_of(21.1);
    let jog = id_of(2.3);

    // The next morning, 09:00: by the intake, then by the runner's own words with and without
    // the half marathon in them.
    let now = rfc3339(DAY0 + 37 * 86_400 + 9 * 3600);
    let intakes = [
        (
            "--intake",
            json!({"where": ["buttock"], "onset": "next_day"}).to_string(),
        ),
        ("--intake", json!({"where": ["buttock"]}).to_string()),
        (
            "--story",
            "My glutes are really sore this morning, it started when I woke up.".to_string(),
        ),
        (
            "--story",
            "I ran my first half marathon yesterday, lots of downhill at the end, and did a short \
             jog in the evening. Both buttocks are sore this morning."
                .to_string(),
        ),
    ];
    for (flag, input) in &intakes {
        let out = ok_json(&run(
            &["--db", &db, "--now", &now, "check", flag, "-", "--json"],
            input,
        ));
        let all = out["runs_evidence"].as_array().expect("runs_evidence");
        let named: Vec<&Value> = all
            .iter()
            .filter(|f| {
                let field = f["field"].as_str().unwrap();
                field.starts_with("run.") || field == "hours_since_run"
            })
            .collect();
        assert!(!named.is_empty(), "{input}: {all:#?}");
        for f in &named {
            assert_eq!(f["run_id"], half, "{input}: {f}");
            assert_ne!(f["run_id"], jog);
        }
        let because = |field: &str| {
            all.iter()
                .find(|f| f["field"] == field)
                .and_then(|f| f["because"].as_str())
                .unwrap_or_else(|| panic!("{input}: no {field} in {all:#?}"))
                .to_string()
        };
        let unaccustomed = because("run.unaccustomed");
        assert!(
            unaccustomed
                .contains("164% longer than any run in the 30 days before (longest 8.0 km)"),
            "{input}: {unaccustomed}"
        );
        assert!(
            unaccustomed.contains("descended"),
            "{input}: {unaccustomed}"
        );
        let downhill = because("run.downhill");
        assert!(downhill.contains("classic cause"), "{input}: {downhill}");
        assert!(
            because("hours_since_run").contains("2.3 km run"),
            "{input}: the jog is named as coming after"
        );
        assert!(
            all.iter()
                .any(|f| f["field"] == "training.weekly_increase_pct")
        );
        // And the engine heard it: the likely cause is delayed soreness.
        assert_eq!(out["conditions"][0]["id"], "doms", "{input}: {out:#}");
    }
}
