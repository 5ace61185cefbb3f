//! Shared scoring for story corpora: compares what the reader understood with a case's intake.

use std::collections::BTreeMap;

use serde_json::Value;

/// The red-flag fields: one wrong value here is a safety failure.
/// The yes/no intake fields that are red flags on their own, each with its alarming value
/// (`false` for `can_bear_weight`), as the knowledge base declares them: a new red flag is
/// checked here the day it is added.
pub fn red_flags() -> Vec<(String, bool)> {
    runsore_triage::red_flag_fields()
        .iter()
        .map(|r| (r.field.to_string(), r.danger))
        .collect()
}

/// Flattens an intake into dotted paths; list fields become one entry per element.
pub fn flatten(value: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    walk("", value, &mut out);
    out
}

fn walk(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                walk(&path, v, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.insert(
                    format!("{prefix}={}", item.as_str().unwrap_or("?")),
                    Value::Bool(true),
                );
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

/// Whether two values agree; numbers within 10% (a "two-hour run" is 120 against a logged 125).
pub fn agree(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 0.1 * x.abs().max(y.abs()) + 0.01,
        _ => a == b,
    }
}

/// Per-case comparison.
#[derive(Debug, Default)]
pub struct Score {
    /// Fields (or list elements) read that agree with the case.
    pub right: usize,
    /// Fields read that disagree with the case: the precision failures.
    pub wrong: Vec<String>,
    /// Fields read that the case does not state (neither right nor wrong).
    pub extra: Vec<String>,
    /// Fields the case states.
    pub expected: usize,
    /// Fields the case states that were not read (recall failures).
    pub missed: Vec<String>,
}

/// Compares a read intake with the expected one. List elements count one by one; a list element
/// read where the case has a list without it is wrong.
pub fn score(read: &Value, want: &Value) -> Score {
    let got = flatten(read);
    let exp = flatten(want);
    let mut s = Score {
        expected: exp.len(),
        ..Score::default()
    };
    for (k, v) in &got {
        let list_field = k.split_once('=').map(|(f, _)| f);
        match exp.get(k) {
            Some(w) if agree(v, w) => s.right += 1,
            Some(w) => s.wrong.push(format!("{k}: read {v}, case {w}")),
            None => match list_field {
                Some(f) if exp.keys().any(|e| e.starts_with(&format!("{f}="))) => {
                    s.wrong.push(format!("{k}: not in the case's list"))
                }
                _ => s.extra.push(format!("{k}={v}")),
            },
        }
    }
    for (k, v) in &exp {
        if !got.get(k).is_some_and(|g| agree(g, v))
            && !s.wrong.iter().any(|w| w.starts_with(&format!("{k}:")))
        {
            s.missed.push(format!("{k}={v}"));
        }
    }
    s
}
