//! Every corpus file against the reference figures (shared/corpus/REFERENCE.json, made with
//! fitdecode, gpxpy and lxml): each file either decodes with agreeing figures or fails, or is
//! skipped as not an activity, with the reason this test expects.
//!
//! Two runs of the same check: the small permissively licensed copy in tests/data (always there)
//! and the whole shared corpus (skipped with a note when absent, as on a fresh clone elsewhere).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use runsore_import::{Decoded, decode};
use runsore_model::{Format, Run};
use serde_json::Value;

/// How one file came out, for the tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// Decoded, figures agree with the reference.
    Agrees,
    /// Decoded a file the reference parser could not read; figures agree with `recovered`.
    ReadBeyondReference,
    /// Failed with a reason this test expects.
    FailedWithReason,
    /// Not an activity, as the reference says.
    NotActivity,
}

/// Files whose failure is expected, with a fragment of the reason runsore must give.
const EXPECTED_FAILURES: &[(&str, &str)] = &[
    ("fit/sportslib__empty-sessions.fit", "empty file (0 bytes)"),
    // A header declaring no data, then 86 KB that are not FIT.
    (
        "fit/sportslib__empty-activities.fit",
        "declares 0 bytes of data",
    ),
    // Three records without a timestamp and no session: nothing a training log can use.
    ("fit/fitparse__DeveloperData.fit", "none with a timestamp"),
];

fn corpus_dirs() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os("RUNSORE_CORPUS") {
        candidates.push(PathBuf::from(dir));
    }
    // The main repo and CI keep shared/ beside the repository; a worktree one level deeper.
    candidates.push(manifest.join("../../../shared/corpus"));
    candidates.push(manifest.join("../../../../shared/corpus"));
    candidates
        .into_iter()
        .find(|d| d.join("REFERENCE.json").is_file())
}

fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn unix(v: &Value) -> Option<i64> {
    let s = v.as_str()?;
    Some(runsore_import::parse_iso8601(s)?.floor() as i64)
}

fn close(what: &str, ours: Option<f64>, want: Option<f64>, tol: f64, errs: &mut Vec<String>) {
    match (ours, want) {
        (None, None) => {}
        (Some(a), Some(b)) if (a - b).abs() <= tol => {}
        _ => errs.push(format!(
            "{what}: runsore {ours:?}, reference {want:?} (tolerance {tol})"
        )),
    }
}

fn has(run: &Run, p: impl Fn(&runsore_model::Sample) -> bool) -> bool {
    run.samples.iter().any(p)
}

/// Compares one run with one reference session; returns the disagreements.
fn compare(run: &Run, s: &Value, boundaries: usize, errs: &mut Vec<String>) {
    let g = |k: &str| &s[k];
    let points = g("points").as_u64().unwrap_or(0) as usize;
    let n = run.samples.len();
    if n.abs_diff(points) > boundaries {
        errs.push(format!(
            "points: runsore {n}, reference {points} (tolerance {boundaries})"
        ));
    }
    let checks = [
        ("has_position", has(run, |x| x.lat.is_some())),
        ("has_altitude", has(run, |x| x.alt_m.is_some())),
        ("has_hr", has(run, |x| x.hr.is_some_and(|h| h > 0))),
        ("has_temperature", has(run, |x| x.temp_c.is_some())),
    ];
    for (k, ours) in checks {
        if let Some(want) = g(k).as_bool() {
            // A boundary record shared with the next session may carry what this one lacks.
            if ours != want && !(boundaries > 0 && n <= 2) {
                errs.push(format!("{k}: runsore {ours}, reference {want}"));
            }
        }
    }
    match run.format {
        Format::Fit => {
            // The reference reports the session's own fields: compare the device summary.
            let d = run.device_summary.clone().unwrap_or_default();
            if d.start_utc != unix(g("start")) {
                errs.push(format!(
                    "start: runsore {:?}, reference {}",
                    d.start_utc,
                    g("start")
                ));
            }
            close("elapsed_s", d.elapsed_s, f(g("elapsed_s")), 0.001, errs);
            close("distance_m", d.distance_m, f(g("distance_m")), 0.01, errs);
            close("ascent_m", d.ascent_m, f(g("ascent_m")), 1.0, errs);
            close("descent_m", d.descent_m, f(g("descent_m")), 1.0, errs);
            close("avg_hr", d.avg_hr, f(g("avg_hr")), 1.0, errs);
            close("max_hr", d.max_hr, f(g("max_hr")), 1.0, errs);
        }
        Format::Gpx | Format::Tcx => {
            let sm = &run.summary;
            if sm.start_utc != unix(g("start")) {
                errs.push(format!(
                    "start: runsore {:?}, reference {}",
                    sm.start_utc,
                    g("start")
                ));
            }
            close("elapsed_s", sm.elapsed_s, f(g("elapsed_s")), 0.001, errs);
            close("max_hr", sm.max_hr, f(g("max_hr")), 0.0, errs);
            // runsore also takes the plain mean over points with HR > 0.
            close("avg_hr", sm.avg_hr, f(g("avg_hr")), 0.001, errs);
            if run.format == Format::Gpx {
                let want = f(g("distance_m"));
                let tol = want.unwrap_or(0.0) * 0.005 + 0.01;
                close("distance_m", sm.distance_m, want, tol, errs);
            } else {
                let d = run.device_summary.clone().unwrap_or_default();
                close(
                    "distance_m (laps)",
                    d.distance_m,
                    f(g("distance_m")),
                    0.01,
                    errs,
                );
                close("timer_s (laps)", d.moving_s, f(g("timer_s")), 0.001, errs);
            }
        }
    }
}

/// The sessions a run list should match: for GPX/TCX, tracks with timed points only (runsore
/// turns neither empty tracks nor routes without times into runs).
fn expected_sessions<'a>(key: &str, figures: &'a Value) -> Vec<&'a Value> {
    let all = figures["sessions"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if key.starts_with("fit/") {
        return all;
    }
    all.into_iter()
        .filter(|s| s["points"].as_u64().unwrap_or(0) > 0 && !s["start"].is_null())
        .collect()
}

/// Checks decoded runs against a reference figures object (`ok` entry or `recovered`).
fn check_runs(key: &str, runs: &[Run], figures: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let sessions = expected_sessions(key, figures);
    if key.starts_with("fit/") && sessions.is_empty() {
        // No session message: runsore salvages one run from all records, flagged partial.
        let want = figures["records_total"].as_u64().unwrap_or(0) as usize;
        match runs {
            [r] if r.samples.len() == want && r.partial && r.device_summary.is_none() => {}
            _ => errs.push(format!(
                "expected one partial run of {want} records, got {} runs with {:?} samples",
                runs.len(),
                runs.iter().map(|r| r.samples.len()).collect::<Vec<_>>()
            )),
        }
        return errs;
    }
    if runs.len() != sessions.len() {
        errs.push(format!(
            "sessions: runsore {}, reference {}",
            runs.len(),
            sessions.len()
        ));
        return errs;
    }
    let boundaries = sessions.len().saturating_sub(1).min(2);
    for (i, (run, s)) in runs.iter().zip(sessions).enumerate() {
        let mut e = Vec::new();
        compare(run, s, boundaries, &mut e);
        errs.extend(e.into_iter().map(|m| format!("session {i}: {m}")));
    }
    errs
}

fn check_file(dir: &Path, key: &str, entry: &Value) -> Result<(Outcome, String), String> {
    let bytes = std::fs::read(dir.join(key)).map_err(|e| format!("cannot read: {e}"))?;
    let got = decode(key, &bytes);
    let status = entry["status"].as_str().unwrap_or("");
    let expected_failure = EXPECTED_FAILURES.iter().find(|(k, _)| *k == key);
    match (status, got) {
        ("not_activity", Ok(Decoded::NotActivity { reason })) => {
            let ty = entry["file_type"].as_str().unwrap_or("?");
            if reason.contains(ty) {
                Ok((Outcome::NotActivity, reason))
            } else {
                Err(format!(
                    "not-activity reason {reason:?} does not name the type {ty}"
                ))
            }
        }
        (_, Err(e)) => match expected_failure {
            Some((_, frag)) if e.to_string().contains(frag) => {
                Ok((Outcome::FailedWithReason, e.to_string()))
            }
            _ => Err(format!("failed unexpectedly: {e}")),
        },
        (_, Ok(_)) if expected_failure.is_some() => {
            Err("decoded, but this test expects it to fail".into())
        }
        ("ok", Ok(Decoded::Runs(runs))) => {
            let errs = check_runs(key, &runs, entry);
            if errs.is_empty() {
                Ok((Outcome::Agrees, format!("{} run(s)", runs.len())))
            } else {
                Err(errs.join("; "))
            }
        }
        ("ok", Ok(Decoded::NotActivity { reason })) => {
            if expected_sessions(key, entry).is_empty() {
                Ok((Outcome::NotActivity, reason))
            } else {
                Err(format!(
                    "not an activity ({reason}), but the reference has sessions"
                ))
            }
        }
        ("error", Ok(Decoded::Runs(runs))) => {
            let Some(rec) = entry.get("recovered") else {
                return Err(
                    "decoded a file the reference could not, with nothing to compare".into(),
                );
            };
            let errs = check_runs(key, &runs, rec);
            if errs.is_empty() {
                Ok((
                    Outcome::ReadBeyondReference,
                    format!("{} run(s), as recovered", runs.len()),
                ))
            } else {
                Err(errs.join("; "))
            }
        }
        (s, Ok(d)) => Err(format!("reference status {s}, runsore {d:?}")),
    }
}

/// Runs the check over every entry of `dir/REFERENCE.json` and asserts that none disagrees.
fn check_corpus(dir: &Path) -> BTreeMap<Outcome, usize> {
    let text = std::fs::read_to_string(dir.join("REFERENCE.json")).expect("REFERENCE.json");
    let reference: BTreeMap<String, Value> = serde_json::from_str(&text).expect("valid json");
    let mut tally = BTreeMap::new();
    let mut bad = Vec::new();
    for (key, entry) in &reference {
        match check_file(dir, key, entry) {
            Ok((outcome, note)) => {
                println!("{outcome:?}\t{key}\t{note}");
                *tally.entry(outcome).or_insert(0) += 1;
            }
            Err(e) => bad.push(format!("{key}: {e}")),
        }
    }
    println!("tally over {} files: {tally:?}", reference.len());
    assert!(
        bad.is_empty(),
        "{} files disagree:\n{}",
        bad.len(),
        bad.join("\n")
    );
    tally
}

#[test]
fn bundled_test_data_agrees_with_reference() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let tally = check_corpus(&dir);
    assert!(
        tally.get(&Outcome::Agrees).copied().unwrap_or(0) >= 15,
        "{tally:?}"
    );
}

#[test]
#[ignore = "needs ../shared/corpus (or RUNSORE_CORPUS)"]
fn whole_shared_corpus_agrees_with_reference() {
    let dir = corpus_dirs().expect("shared/corpus not found (set RUNSORE_CORPUS)");
    let tally = check_corpus(&dir);
    let total: usize = tally.values().sum();
    assert!(total >= 90, "expected the whole corpus, got {total} files");
}
