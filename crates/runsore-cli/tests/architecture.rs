//! Keeps the dependency arrows of ARCHITECTURE.md true: pure crates depend on no I/O crate and
//! touch no file, socket or clock; edges hold no medical or training logic.

use std::path::Path;
use std::process::Command;

/// Crates that must stay pure: no I/O, no clock, no randomness.
const PURE: &[&str] = &[
    "runsore-model",
    "runsore-triage",
    "runsore-story",
    "runsore-training",
    "runsore-followup",
];

/// Dependencies a pure crate must never have: they do I/O or talk to the outside.
const IO_DEPS: &[&str] = &[
    "rusqlite",
    "axum",
    "tokio",
    "hyper",
    "reqwest",
    "tower",
    "tower-http",
    "walkdir",
    "zip",
    "flate2",
    "directories",
    "clap",
    "indicatif",
    "dialoguer",
    "rand",
    "runsore-import",
    "runsore-store",
    "runsore-web",
    "runsore-cli",
];

/// Calls that betray I/O, a clock or randomness inside a pure crate's sources.
const IMPURE_CALLS: &[&str] = &[
    "std::fs",
    "std::net",
    "std::env",
    "SystemTime::now",
    "Instant::now",
    "File::open",
    "std::process",
    "thread_rng",
];

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

fn metadata() -> serde_json::Value {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(workspace_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints json")
}

/// The normal (non-dev) dependencies of each workspace package.
fn normal_deps() -> Vec<(String, Vec<String>)> {
    let meta = metadata();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap().to_string())
                .collect();
            (p["name"].as_str().unwrap().to_string(), deps)
        })
        .collect()
}

#[test]
fn pure_crates_depend_on_no_io_crate() {
    let mut problems = Vec::new();
    for (name, deps) in normal_deps() {
        if !PURE.contains(&name.as_str()) {
            continue;
        }
        for dep in deps {
            if IO_DEPS.contains(&dep.as_str()) {
                problems.push(format!("{name} depends on {dep}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "pure crates must do no I/O:\n{}",
        problems.join("\n")
    );
}

#[test]
fn edges_hold_no_medical_or_training_logic() {
    // The importer and the store are edges: they must not reach into the engine or analytics.
    let mut problems = Vec::new();
    for (name, deps) in normal_deps() {
        if !["runsore-import", "runsore-store"].contains(&name.as_str()) {
            continue;
        }
        for dep in deps {
            if [
                "runsore-triage",
                "runsore-training",
                "runsore-story",
                "runsore-web",
            ]
            .contains(&dep.as_str())
            {
                problems.push(format!("{name} depends on {dep}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "edges must hold no domain logic:\n{}",
        problems.join("\n")
    );
}

#[test]
fn pure_sources_make_no_io_calls() {
    let mut problems = Vec::new();
    for name in PURE {
        let src = workspace_root().join("crates").join(name).join("src");
        if !src.exists() {
            continue;
        }
        let mut stack = vec![src];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (i, line) in text.lines().enumerate() {
                        let code = line.split("//").next().unwrap_or("");
                        for call in IMPURE_CALLS {
                            if code.contains(call) {
                                problems.push(format!("{}:{}: {call}", path.display(), i + 1));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "pure crates must not do I/O:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_module_opens_with_a_doc_line() {
    let mut problems = Vec::new();
    let mut stack = vec![workspace_root().join("crates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if name != "target" && name != "data" {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                if !text.trim_start().starts_with("//!") {
                    problems.push(path.display().to_string());
                }
            }
        }
    }
    problems.sort();
    assert!(
        problems.is_empty(),
        "modules without a //! line:\n{}",
        problems.join("\n")
    );
}
