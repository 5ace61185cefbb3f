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

/// Every normal dependency of a crate in `crates` that is one of `forbidden`, as "a depends on b".
fn forbidden_edges(crates: &[&str], forbidden: &[&str]) -> Vec<String> {
    normal_deps()
        .into_iter()
        .filter(|(name, _)| crates.contains(&name.as_str()))
        .flat_map(|(name, deps)| {
            deps.into_iter()
                .filter(|dep| forbidden.contains(&dep.as_str()))
                .map(move |dep| format!("{name} depends on {dep}"))
        })
        .collect()
}

#[test]
fn pure_crates_depend_on_no_io_crate() {
    let problems = forbidden_edges(PURE, IO_DEPS);
    assert!(
        problems.is_empty(),
        "pure crates must do no I/O:\n{}",
        problems.join("\n")
    );
}

#[test]
fn edges_hold_no_medical_or_training_logic() {
    // The importer and the store are edges: they must not reach into the engine or analytics.
    let problems = forbidden_edges(
        &["runsore-import", "runsore-store"],
        &[
            "runsore-triage",
            "runsore-training",
            "runsore-story",
            "runsore-web",
        ],
    );
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

/// The string literals of a Rust source outside its `#[cfg(test)]` module and its comments:
/// plain strings with their escapes, and raw strings (`r#"..."#`), each with its line.
fn string_literals(text: &str) -> Vec<(usize, String)> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            // A char literal such as '"' must not open a string.
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') && bytes.get(i + 3) == Some(&b'\'') => i += 3,
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) =>
            {
                let hashes = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                if bytes.get(i + 1 + hashes) == Some(&b'"') {
                    let start = i + 2 + hashes;
                    let close = format!("\"{}", "#".repeat(hashes));
                    let end = code[start..].find(&close).map_or(code.len(), |e| start + e);
                    out.push((line, code[start..end].to_string()));
                    line += code[start..end].matches('\n').count();
                    i = end + close.len();
                    continue;
                }
            }
            b'"' => {
                let mut s = String::new();
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    } else if bytes[i] == b'\n' {
                        line += 1;
                    }
                    s.push(bytes[i] as char);
                    i += 1;
                }
                out.push((line, s));
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The names a front end must take from the model or the knowledge base, never write itself:
/// every intake field's dotted path and every condition id.
fn declared_names() -> Vec<String> {
    let mut names: Vec<String> = runsore_model::FIELDS
        .iter()
        .map(|f| f.path.to_string())
        .collect();
    // The intake's own keys beyond the fields (`not_sure`); "run" and "training" group fields
    // that are listed above, and as plain words they name other things (the runs pages).
    names.extend(
        runsore_model::Intake::field_names()
            .filter(|n| !matches!(*n, "run" | "training"))
            .filter(|n| !names.iter().any(|m| m == n))
            .map(str::to_string)
            .collect::<Vec<_>>(),
    );
    names.extend(
        runsore_triage::knowledge()
            .conditions
            .iter()
            .map(|c| c.id.clone()),
    );
    names
}

/// Where a literal names a declared field or condition: the whole literal, or a JSON key or
/// a quoted word inside it (a raw JSON string such as `{"fever":true}`).
fn named_in(literal: &str, names: &[String]) -> Vec<String> {
    let mut found: Vec<String> = names.iter().filter(|n| *n == literal).cloned().collect();
    for quoted in literal.split('"').skip(1).step_by(2) {
        if let Some(n) = names.iter().find(|n| *n == quoted) {
            found.push(n.clone());
        }
    }
    found
}

/// Issue 11: the CLI and the web are front ends over one use-case layer (runsore-app), and every
/// medical fact and intake field is declared once (the model's `FIELDS` and `paths`, the
/// knowledge base). A field name or a condition id written by hand in their sources (tests
/// aside) fails here: it is a copy that goes stale the day the model or the knowledge base
/// changes.
#[test]
fn front_ends_write_no_field_name_or_condition_id_by_hand() {
    let names = declared_names();
    assert!(names.len() > 80, "{} names", names.len());
    let mut problems = Vec::new();
    for krate in ["runsore-cli", "runsore-web", "runsore-app"] {
        let mut stack = vec![workspace_root().join("crates").join(krate).join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (line, literal) in string_literals(&text) {
                        for name in named_in(&literal, &names) {
                            problems.push(format!(
                                "{}:{line}: \"{name}\"",
                                path.strip_prefix(workspace_root()).unwrap().display()
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "field names or condition ids written by hand in a front end (take them from \
         runsore_model::paths / FIELDS or the knowledge base):\n{}",
        problems.join("\n")
    );
}

/// The scanner itself: it finds names in plain and raw strings, skips comments, char literals
/// and test modules, and does not flag a longer word that contains a name.
#[test]
fn the_literal_scanner_finds_what_it_must() {
    let names = vec![
        "fever".to_string(),
        "doms".to_string(),
        "run.hot".to_string(),
    ];
    let src = r####"
        // "fever" in a comment is prose
        let c = '"';
        let a = "fever";
        let b = r#"{"run.hot":true,"where":[]}"#;
        let d = "fevers and doms";
        #[cfg(test)]
        mod tests { const X: &str = "doms"; }
    "####;
    let found: Vec<(usize, String)> = string_literals(src)
        .into_iter()
        .flat_map(|(line, l)| named_in(&l, &names).into_iter().map(move |n| (line, n)))
        .collect();
    assert_eq!(
        found,
        [(4, "fever".to_string()), (5, "run.hot".to_string())]
    );
}
