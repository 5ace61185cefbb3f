//! Prints the simulated-patient dialogue for vignettes, question by question, and its score (a
//! tuning aid; the protocol is `score_hard.py dialogue`'s: a checklist is answered field by field
//! and counts as one question per 6 fields, a field the case does not state stays unknown):
//! `cargo run --release -p runsore-triage --example trace -- FILE.json [CASE_ID|-q]`
//! (`-q`: only the misses and the summary). `RUNSORE_KB=FILE` reads another knowledge file, to
//! try a tuning without rebuilding; `RUNSORE_TRACE_FULL=1` scores the complete intakes instead
//! (`score_vignettes.py`'s protocol), without questions.

use runsore_model::DerivedEvidence;
use runsore_triage::{KnowledgeBase, Triage, assess, knowledge, parse_intake};
use serde_json::Value;

fn get<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |node, part| node.get(part))
}

fn put(v: &mut Value, path: &str, value: Value) {
    let parts: Vec<&str> = path.split('.').collect();
    let mut node = v;
    for part in &parts[..parts.len() - 1] {
        node = node
            .as_object_mut()
            .expect("object")
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
    node.as_object_mut()
        .expect("object")
        .insert(parts[parts.len() - 1].to_string(), value);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("read vignettes");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("parse vignettes");
    let quiet = args.get(2).is_some_and(|a| a == "-q");
    let only = args.get(2).filter(|a| *a != "-q");
    let other: Option<KnowledgeBase> = std::env::var("RUNSORE_KB").ok().map(|path| {
        let text = std::fs::read_to_string(&path).expect("read the knowledge file");
        KnowledgeBase::from_toml(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    });
    let kb = other.as_ref().unwrap_or_else(|| knowledge());
    let full_intakes = std::env::var_os("RUNSORE_TRACE_FULL").is_some();
    let cap = if full_intakes { 0 } else { 15 };
    let (mut n, mut top1, mut tri, mut serious, mut over, mut total_q) = (0, 0, 0, 0, 0, 0);
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        if only.is_some_and(|o| o != id) {
            continue;
        }
        let full = &case["intake"];
        let want: Triage = serde_json::from_value(case["expect"]["triage"].clone()).expect("level");
        let want_c = case["expect"]["condition"].as_str().unwrap_or_default();
        let mut log = vec![format!("== {id}: want {want_c} / {want}")];
        let mut intake = Value::Object(Default::default());
        if full_intakes {
            intake = full.clone();
        }
        for f in ["where", "onset"] {
            if let Some(v) = get(full, f) {
                put(&mut intake, f, v.clone());
            }
        }
        let mut asked: Vec<String> = Vec::new();
        let mut count = 0;
        let out = loop {
            let parsed = parse_intake(&intake.to_string()).expect("valid intake");
            let out = assess(kb, &parsed, &DerivedEvidence::default());
            let top: Vec<String> = out
                .conditions
                .iter()
                .take(3)
                .map(|c| format!("{} {:.2}", c.id, c.probability))
                .collect();
            log.push(format!("   [{}] {}", out.triage, top.join(", ")));
            if count >= cap {
                break out;
            }
            let Some(fields) = out
                .questions
                .iter()
                .map(|q| {
                    let mark = if q.red_flag { "!" } else { "" };
                    let fs: Vec<String> = if q.fields.is_empty() {
                        vec![q.field.to_string()]
                    } else {
                        q.fields.iter().map(|f| f.to_string()).collect()
                    };
                    let fs: Vec<String> = fs.into_iter().filter(|f| !asked.contains(f)).collect();
                    (mark, fs)
                })
                .find(|(_, fs)| !fs.is_empty())
            else {
                break out;
            };
            let (mark, fields) = fields;
            count += fields.len().div_ceil(6).max(1);
            asked.extend(fields.iter().cloned());
            let mut said = Vec::new();
            for f in &fields {
                match get(full, f) {
                    Some(v) => {
                        said.push(format!("{f}={v}"));
                        put(&mut intake, f, v.clone());
                    }
                    None => said.push(format!("{f}=?")),
                }
            }
            log.push(format!("  Q{count}{mark} {}", said.join(" ")));
        };
        let ok1 = out.conditions[0].id.as_ref() == want_c;
        n += 1;
        top1 += usize::from(ok1);
        tri += usize::from(out.triage == want);
        serious += usize::from(out.triage < want && want >= Triage::Urgent);
        over += usize::from(out.triage == Triage::Emergency && want <= Triage::SeeDoctor);
        total_q += count;
        if !quiet || !ok1 || out.triage != want {
            for line in &log {
                println!("{line}");
            }
            if !ok1 || out.triage != want {
                println!("  MISS after {count} questions");
            }
        }
    }
    println!(
        "n={n} top1={:.1}% triage={:.1}% under_serious={serious} over_emergency={over} questions={:.2}",
        100.0 * top1 as f64 / n as f64,
        100.0 * tri as f64 / n as f64,
        total_q as f64 / n as f64
    );
}
