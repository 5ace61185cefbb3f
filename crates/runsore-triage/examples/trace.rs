//! Prints the simulated-patient dialogue for vignettes, question by question (a tuning aid):
//! `cargo run -p runsore-triage --example trace -- FILE.json [CASE_ID]`.

use runsore_model::DerivedEvidence;
use runsore_triage::{assess, knowledge, parse_intake};
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
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        if args.len() > 2 && args[2] != id {
            continue;
        }
        let full = &case["intake"];
        println!(
            "== {id}: want {} / {}",
            case["expect"]["condition"], case["expect"]["triage"]
        );
        let mut intake = Value::Object(Default::default());
        for f in ["where", "onset"] {
            if let Some(v) = get(full, f) {
                put(&mut intake, f, v.clone());
            }
        }
        let mut asked: Vec<String> = Vec::new();
        loop {
            let parsed = parse_intake(&intake.to_string()).expect("valid intake");
            let out = assess(knowledge(), &parsed, &DerivedEvidence::default());
            let top: Vec<String> = out
                .conditions
                .iter()
                .take(3)
                .map(|c| format!("{} {:.2}", c.id, c.probability))
                .collect();
            let qs: Vec<String> = out
                .questions
                .iter()
                .filter(|q| !asked.iter().any(|a| q.field == **a))
                .take(5)
                .map(|q| format!("{}{}", q.field, if q.red_flag { "!" } else { "" }))
                .collect();
            println!(
                "   [{}] {} | next: {}",
                out.triage,
                top.join(", "),
                qs.join(" ")
            );
            let Some(field) = out
                .questions
                .iter()
                .map(|q| q.field.to_string())
                .find(|f| !asked.contains(f))
            else {
                break;
            };
            asked.push(field.clone());
            if asked.len() > 15 {
                break;
            }
            match get(full, &field) {
                Some(v) => {
                    println!("  Q{} {field} = {v}", asked.len());
                    put(&mut intake, &field, v.clone());
                }
                None => println!("  Q{} {field} = (unknown)", asked.len()),
            }
        }
    }
}
