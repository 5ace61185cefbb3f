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
    ///
    /// The fields the runs' analytics fill (the time since the run, the run's figures and the
    /// week's rise) are set on a copy of the intake directly; a finding on any other path takes
    /// the whole intake through JSON, as every finding once did (the same result either way:
    /// `merge_typed_is_merge_json` holds them to it).
    pub fn merge_into(&self, intake: &Intake) -> (Intake, Vec<DerivedFinding>) {
        self.merge_typed(intake)
            .unwrap_or_else(|| self.merge_json(intake))
    }

    /// [`DerivedEvidence::merge_into`] without a JSON round trip of the intake, or `None` when a
    /// finding is on a path it does not set. A value that does not read as its field's type drops
    /// every finding, as the intake's failed deserialisation does in [`Self::merge_json`].
    fn merge_typed(&self, intake: &Intake) -> Option<(Intake, Vec<DerivedFinding>)> {
        if !self.findings.iter().all(|f| typed_path(&f.field)) {
            return None;
        }
        let mut merged = intake.clone();
        let mut used: Vec<DerivedFinding> = Vec::new();
        for finding in &self.findings {
            // A path filled before is known, even by a `null` (the JSON object has its key).
            if used.iter().any(|u| u.field == finding.field) {
                continue;
            }
            match fill(&mut merged, &finding.field, &finding.value) {
                Some(true) => used.push(finding.clone()),
                Some(false) => {}
                None => return Some((intake.clone(), Vec::new())),
            }
        }
        Some((merged, used))
    }

    /// The merge through JSON: the intake as a JSON object, each finding inserted where its key
    /// is missing, read back as an intake.
    fn merge_json(&self, intake: &Intake) -> (Intake, Vec<DerivedFinding>) {
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

/// Declares the fields that the runs' analytics derive once, by path and by the intake field
/// it names, so that the list [`TYPED_PATHS`] and the setter [`fill`] cannot drift apart.
macro_rules! typed_fields {
    ($($path:literal => $($field:ident).+;)*) => {
        /// The paths [`fill`] sets: those the runs' analytics derive.
        const TYPED_PATHS: &[&str] = &[$($path),*];

        /// Sets the field at `path` (one of [`TYPED_PATHS`]) from `value` when it is unknown:
        /// `Some(true)` when set, `Some(false)` when the intake already has it, `None` when the
        /// value does not read as the field's type (serde reads it as the whole intake's reading
        /// would).
        fn fill(intake: &mut Intake, path: &str, value: &serde_json::Value) -> Option<bool> {
            match path {
                $($path => set(&mut intake.$($field).+, value),)*
                // Not among TYPED_PATHS: merge_typed sends such evidence through JSON before this.
                _ => None,
            }
        }
    };
}

typed_fields! {
    "hours_since_run" => hours_since_run;
    "run.minutes" => run.minutes;
    "run.distance_km" => run.distance_km;
    "run.intensity" => run.intensity;
    "run.hot" => run.hot;
    "run.heavy_sweating" => run.heavy_sweating;
    "run.electrolytes" => run.electrolytes;
    "run.downhill" => run.downhill;
    "run.unaccustomed" => run.unaccustomed;
    "training.weekly_increase_pct" => training.weekly_increase_pct;
    "training.previous_stress_fracture" => training.previous_stress_fracture;
    "training.low_energy_availability" => training.low_energy_availability;
}

fn typed_path(path: &str) -> bool {
    TYPED_PATHS.contains(&path)
}

/// Sets `slot` from `value` when it is unknown (see [`fill`]).
fn set<T: serde::de::DeserializeOwned>(
    slot: &mut Option<T>,
    value: &serde_json::Value,
) -> Option<bool> {
    if slot.is_some() {
        return Some(false);
    }
    // Read as the intake reads its field: `null` is a value, and leaves it unknown.
    *slot = Option::<T>::deserialize(value).ok()?;
    Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn finding(field: &str, value: serde_json::Value) -> DerivedFinding {
        DerivedFinding {
            field: field.into(),
            value,
            because: format!("because of {field}"),
            run_id: Some(7),
        }
    }

    /// The typed merge gives what the merge through JSON gives, for intakes that know none, some
    /// or all of the fields, and findings of every typed path with good values, values of the
    /// wrong type or out of the type's range, the same path twice, and an empty run or training.
    #[test]
    fn merge_typed_is_merge_json() {
        let intakes: Vec<Intake> = [
            json!({}),
            json!({"where": ["buttock"], "hours_since_run": 30}),
            json!({"run": {"minutes": 50, "downhill": false}, "training": {"weekly_increase_pct": 5}}),
            json!({"run": {}, "training": {}, "pain": 4, "not_sure": ["run.hot"]}),
            json!({"run": {"minutes": 50, "distance_km": 10, "intensity": "race", "hot": true,
                   "heavy_sweating": true, "electrolytes": false, "downhill": true,
                   "unaccustomed": true},
                   "training": {"weekly_increase_pct": 5, "previous_stress_fracture": false,
                   "low_energy_availability": false}, "hours_since_run": 2.5}),
        ]
        .into_iter()
        .map(|j| serde_json::from_value(j).expect("a valid intake"))
        .collect();
        let good = [
            finding("hours_since_run", json!(26.4)),
            finding("run.minutes", json!(95.0)),
            finding("run.distance_km", json!(18)),
            finding("run.intensity", json!("easy")),
            finding("run.hot", json!(true)),
            finding("run.heavy_sweating", json!(false)),
            finding("run.electrolytes", json!(true)),
            finding("run.downhill", json!(true)),
            finding("run.unaccustomed", json!(true)),
            finding("training.weekly_increase_pct", json!(-17)),
            finding("training.previous_stress_fracture", json!(true)),
            finding("training.low_energy_availability", json!(false)),
        ];
        let bad = [
            finding("run.intensity", json!("sprint")),
            finding("run.hot", json!("yes")),
            finding("hours_since_run", json!("2")),
            finding("run.minutes", json!(null)),
            finding("run.downhill", json!(1)),
            finding("training.weekly_increase_pct", json!([1])),
        ];
        let mut sets: Vec<Vec<DerivedFinding>> = vec![Vec::new(), good.to_vec()];
        for (i, b) in bad.iter().enumerate() {
            let mut with_bad = good.to_vec();
            with_bad.insert(i * 2, b.clone());
            sets.push(with_bad);
            sets.push(vec![b.clone()]);
        }
        // The same path twice: the first one counts, also when it is `null`.
        sets.push(vec![
            finding("run.minutes", json!(30)),
            finding("run.minutes", json!(60)),
        ]);
        sets.push(vec![
            finding("run.minutes", json!(null)),
            finding("run.minutes", json!(60)),
        ]);
        for findings in sets {
            let derived = DerivedEvidence { findings };
            for intake in &intakes {
                let typed = derived.merge_typed(intake).expect("typed paths only");
                assert_eq!(
                    typed,
                    derived.merge_json(intake),
                    "{derived:?} into {intake:?}"
                );
            }
        }
        // Another path goes through JSON, whatever the others are.
        let other = DerivedEvidence {
            findings: vec![good[0].clone(), finding("pain", json!(3))],
        };
        assert!(other.merge_typed(&intakes[0]).is_none());
        assert_eq!(other.merge_into(&intakes[0]), other.merge_json(&intakes[0]));
        assert_eq!(other.merge_into(&intakes[0]).0.pain, Some(3));
    }
}
