//! Honest probabilities (issue 8): the stated probability of the top condition against how often
//! it is right, on every vignette and on thinned variants of each (fields removed in a fixed
//! pattern), printed as a table. Fails when a band is clearly overconfident.

mod common;

use serde_json::{Map, Value};

/// The fields of a case as (dotted path, value), in a fixed order.
fn flatten(intake: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (k, v) in intake.as_object().expect("object") {
        match v.as_object() {
            Some(inner) if k == "run" || k == "training" => {
                for (k2, v2) in inner {
                    out.push((format!("{k}.{k2}"), v2.clone()));
                }
            }
            _ => out.push((k.clone(), v.clone())),
        }
    }
    out
}

fn build(fields: &[(String, Value)]) -> Value {
    let mut root = Map::new();
    for (path, v) in fields {
        match path.split_once('.') {
            Some((parent, child)) => {
                root.entry(parent.to_string())
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("object")
                    .insert(child.to_string(), v.clone());
            }
            None => {
                root.insert(path.clone(), v.clone());
            }
        }
    }
    Value::Object(root)
}

/// The full intake and three thinned variants: every other field, the first third, the last
/// half (always keeping `where` when present, as a runner always says where it hurts).
fn variants(intake: &Value) -> Vec<Value> {
    let fields = flatten(intake);
    let keep_where = |i: usize, f: &(String, Value)| f.0 == "where" || i == usize::MAX;
    let pick = |pred: &dyn Fn(usize) -> bool| -> Value {
        let kept: Vec<(String, Value)> = fields
            .iter()
            .enumerate()
            .filter(|(i, f)| keep_where(*i, f) || pred(*i))
            .map(|(_, f)| f.clone())
            .collect();
        build(&kept)
    };
    let n = fields.len();
    vec![
        intake.clone(),
        pick(&|i| i % 2 == 0),
        pick(&|i| i < n.div_ceil(3)),
        pick(&|i| i >= n / 2),
    ]
}

const BANDS: [(f64, f64); 5] = [(0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01)];

#[test]
fn calibration_table() {
    let mut rows = [(0usize, 0usize, 0f64); BANDS.len()];
    for file in ["vignettes.json", "extra_vignettes.json"] {
        for case in common::load(file) {
            for intake in variants(&case.intake) {
                let out = common::run(&intake);
                let top = &out.conditions[0];
                let right = top.id == case.expect.condition;
                let band = BANDS
                    .iter()
                    .position(|(lo, hi)| top.probability >= *lo && top.probability < *hi)
                    .expect("a band");
                rows[band].0 += 1;
                rows[band].1 += right as usize;
                rows[band].2 += top.probability;
            }
        }
    }
    println!("stated top probability | cases | mean stated | share right");
    let mut ece = 0.0;
    let total: usize = rows.iter().map(|r| r.0).sum();
    for ((lo, hi), (n, right, sum)) in BANDS.iter().zip(rows) {
        if n == 0 {
            println!("{lo:.1}-{:.1} | 0 | - | -", hi.min(1.0));
            continue;
        }
        let stated = sum / n as f64;
        let share = right as f64 / n as f64;
        ece += (stated - share).abs() * n as f64 / total as f64;
        println!(
            "{lo:.1}-{:.1} | {n} | {stated:.2} | {share:.2}",
            hi.min(1.0)
        );
        if n >= 10 {
            assert!(
                share >= stated - 0.15,
                "band {lo}-{hi}: states {stated:.2} but right {share:.2}: overconfident"
            );
        }
    }
    println!("expected calibration error: {ece:.3} over {total} assessments");
}
