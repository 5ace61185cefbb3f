//! Thousands of generated intakes (a fixed pseudo-random sequence, so the test is deterministic):
//! `assess` never panics, probabilities are finite and sum to one, questions are unanswered
//! fields, and the triage is never below a fired red flag.

use runsore_model::DerivedEvidence;
use runsore_triage::fields::{AnswerKind, intake_fields};
use runsore_triage::{assess, knowledge, parse_intake};
use serde_json::{Map, Value, json};

/// A small linear congruential generator: deterministic, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_intake(rng: &mut Lcg) -> Value {
    let mut root = Map::new();
    for (path, kind, values) in intake_fields() {
        if rng.below(3) != 0 {
            continue;
        }
        let v = match kind {
            AnswerKind::YesNo => json!(rng.below(2) == 1),
            AnswerKind::OneOf => json!(values[rng.below(values.len() as u64) as usize]),
            AnswerKind::AnyOf => {
                let mut picked: Vec<&str> = values
                    .iter()
                    .copied()
                    .filter(|_| rng.below(3) == 0)
                    .collect();
                if picked.is_empty() {
                    picked.push(values[0]);
                }
                json!(picked)
            }
            AnswerKind::Integer => match *path {
                "age" => json!(10 + rng.below(91)),
                _ => json!(rng.below(11)),
            },
            AnswerKind::Number => json!(rng.below(5000) as f64 / 10.0),
        };
        match path.split_once('.') {
            Some((parent, child)) => {
                root.entry(parent.to_string())
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("object")
                    .insert(child.to_string(), v);
            }
            None => {
                root.insert(path.to_string(), v);
            }
        }
    }
    Value::Object(root)
}

#[test]
fn generated_intakes() {
    let kb = knowledge();
    let mut rng = Lcg(20261128);
    for _ in 0..2000 {
        let json = random_intake(&mut rng);
        let intake = parse_intake(&json.to_string()).unwrap_or_else(|e| panic!("{e}: {json}"));
        let out = assess(kb, &intake, &DerivedEvidence::default());
        let total: f64 = out.conditions.iter().map(|c| c.probability).sum();
        assert!((total - 1.0).abs() < 0.01, "{json}: sums to {total}");
        for flag in &out.red_flags {
            assert!(
                out.triage >= flag.level,
                "{json}: {} below {}",
                out.triage,
                flag.id
            );
        }
        for q in &out.questions {
            let path = q.field.as_str();
            let known = match path.split_once('.') {
                Some((p, c)) => json.get(p).and_then(|o| o.get(c)).is_some(),
                None => json.get(path).is_some(),
            };
            assert!(!known, "{json}: asks {path}, already answered");
        }
    }
}
