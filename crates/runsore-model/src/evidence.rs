//! Evidence derived from a runner's recorded runs, handed to the triage engine beside the intake.
//!
//! The training analytics fill it; the engine reads it. The runner's own answers always win: a
//! derived finding only fills a field the runner left unknown.

use serde::{Deserialize, Serialize};

use crate::intake::Intake;

/// One finding read from the runs, with the sentence that explains where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedFinding {
    /// The intake field's dotted path, e.g. `run.downhill` or `training.weekly_increase_pct`.
    pub field: String,
    /// The value, as it would appear in the intake JSON.
    pub value: serde_json::Value,
    /// Plain words naming the run and the figure, e.g. "your 27 km run on 3 May was 42% longer
    /// than any run in the 30 days before".
    pub because: String,
    /// The stored run it came from, when one run is the source.
    pub run_id: Option<i64>,
}

/// Everything the runs say, as partial intake fields with their explanations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DerivedEvidence {
    /// The findings, each for one intake field.
    pub findings: Vec<DerivedFinding>,
}

impl DerivedEvidence {
    /// Fills the intake's unknown fields from the derived findings and returns the merged intake
    /// together with the findings that were used (those the runner had not answered).
    pub fn merge_into(&self, intake: &Intake) -> (Intake, Vec<DerivedFinding>) {
        let mut json = serde_json::to_value(intake).expect("an intake always serialises");
        let mut used = Vec::new();
        for finding in &self.findings {
            let mut node = &mut json;
            let parts: Vec<&str> = finding.field.split('.').collect();
            let (last, parents) = parts.split_last().expect("split yields at least one part");
            for part in parents {
                node = node
                    .as_object_mut()
                    .expect("intake nodes are objects")
                    .entry(part.to_string())
                    .or_insert_with(|| serde_json::Value::Object(Default::default()));
            }
            let object = node.as_object_mut().expect("intake nodes are objects");
            if !object.contains_key(*last) {
                object.insert(last.to_string(), finding.value.clone());
                used.push(finding.clone());
            }
        }
        match serde_json::from_value::<Intake>(json) {
            Ok(merged) => (merged, used),
            // A derived finding of the wrong shape is a bug in the analytics; never let it break
            // an assessment: fall back to the runner's own answers.
            Err(_) => (intake.clone(), Vec::new()),
        }
    }
}
