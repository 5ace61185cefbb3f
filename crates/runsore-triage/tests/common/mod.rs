//! Shared helpers for the engine's tests: vignette loading, scoring, and the simulated-patient
//! dialogue (the same protocol as `shared/tools/score_hard.py dialogue`).
#![allow(dead_code)] // each test binary uses a different subset

use runsore_model::DerivedEvidence;
use runsore_triage::{Assessment, Triage, assess, knowledge, parse_intake};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
pub struct Expect {
    pub condition: String,
    pub triage: Triage,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: String,
    #[serde(default)]
    pub story: String,
    pub intake: Value,
    pub expect: Expect,
}

pub fn load(name: &str) -> Vec<Case> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn run(intake: &Value) -> Assessment {
    let intake = parse_intake(&intake.to_string()).unwrap_or_else(|e| panic!("{e}: {intake}"));
    assess(knowledge(), &intake, &DerivedEvidence::default())
}

/// A question's intake fields: several for a checklist, one otherwise.
pub fn fields_of(q: &runsore_triage::Question) -> Vec<String> {
    if q.fields.is_empty() {
        vec![q.field.to_string()]
    } else {
        q.fields.iter().map(|f| f.to_string()).collect()
    }
}

/// Starts from the given fields of the full intake and answers the engine's questions from it,
/// the first question with a field not yet asked each time, until the list is empty or `cap`
/// questions were asked. As in `score_hard.py dialogue`: a checklist is answered field by field
/// (a field the case does not state stays unknown) and counts as one question per 6 fields.
pub fn dialogue(full: &Value, start_fields: &[&str], cap: usize) -> (Assessment, usize) {
    let mut intake = Value::Object(Default::default());
    for f in start_fields {
        if let Some(v) = runsore_testkit::field(full, f) {
            runsore_testkit::set_field(&mut intake, f, v.clone());
        }
    }
    runsore_testkit::simulated_dialogue(intake, full, cap, run, |out: &Assessment| {
        out.questions.iter().map(fields_of).collect()
    })
}

#[derive(Debug, Default)]
pub struct Score {
    pub n: usize,
    pub top1: usize,
    pub top3: usize,
    pub triage_exact: usize,
    pub under: usize,
    pub under_serious: usize,
    pub questions: usize,
    pub misses: Vec<String>,
}

impl Score {
    pub fn add(&mut self, case: &Case, out: &Assessment, questions: usize) {
        let ids: Vec<&str> = out.conditions.iter().map(|c| &*c.id).collect();
        let t1 = ids.first() == Some(&case.expect.condition.as_str());
        let t3 = ids.iter().take(3).any(|i| *i == case.expect.condition);
        self.n += 1;
        self.top1 += t1 as usize;
        self.top3 += t3 as usize;
        self.triage_exact += (out.triage == case.expect.triage) as usize;
        let under = out.triage < case.expect.triage;
        self.under += under as usize;
        self.under_serious += (under && case.expect.triage >= Triage::Urgent) as usize;
        self.questions += questions;
        if !t1 || out.triage != case.expect.triage {
            self.misses.push(format!(
                "miss {}: want {}/{}, got {:?}/{} ({:.2}) after {questions} questions",
                case.id,
                case.expect.condition,
                case.expect.triage,
                &ids[..3],
                out.triage,
                out.conditions[0].probability
            ));
        }
    }

    pub fn pct(&self, x: usize) -> f64 {
        100.0 * x as f64 / self.n.max(1) as f64
    }

    pub fn report(&self, label: &str) {
        for m in &self.misses {
            println!("{m}");
        }
        println!(
            "{label}: n={} top1={:.0}% top3={:.0}% triage={:.0}% under={} under_serious={} questions={:.2}",
            self.n,
            self.pct(self.top1),
            self.pct(self.top3),
            self.pct(self.triage_exact),
            self.under,
            self.under_serious,
            self.questions as f64 / self.n.max(1) as f64
        );
    }
}
