//! Properties of the engine over arbitrary valid intakes (every field known or not, any allowed
//! value): probabilities are a distribution, red flags always win, questions never ask what is
//! answered, and the same input gives the same output.

use proptest::prelude::*;
use runsore_model::{DerivedEvidence, DerivedFinding, Intake};
use runsore_triage::fields::{AnswerKind, field_kind, intake_fields, read_field};
use runsore_triage::{Assessment, Triage, assess, knowledge, parse_intake};
use serde_json::{Map, Value, json};

/// A valid value for one intake field, within the schema's ranges.
fn value_of(
    path: &'static str,
    kind: AnswerKind,
    options: &'static [&'static str],
) -> BoxedStrategy<Value> {
    match kind {
        AnswerKind::YesNo => any::<bool>().prop_map(Value::Bool).boxed(),
        AnswerKind::OneOf => proptest::sample::select(options)
            .prop_map(|s| json!(s))
            .boxed(),
        AnswerKind::AnyOf => proptest::sample::subsequence(options, 1..=options.len())
            .prop_map(|v| json!(v))
            .boxed(),
        AnswerKind::Integer => match path {
            "age" => (10u8..=100).prop_map(|v| json!(v)).boxed(),
            _ => (0u8..=10).prop_map(|v| json!(v)).boxed(),
        },
        AnswerKind::Number => {
            let range = match path {
                "training.weekly_increase_pct" => -100.0..400.0,
                "hours_since_run" => 0.0..2000.0,
                _ => 0.0..500.0,
            };
            // Whole zeros and edges matter as much as the inside of a range.
            prop_oneof![Just(0.0), range].prop_map(|v| json!(v)).boxed()
        }
    }
}

fn put(root: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        Some((head, rest)) => {
            let node = root
                .entry(head)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = node {
                put(m, rest, value);
            }
        }
        None => {
            root.insert(path.to_owned(), value);
        }
    }
}

/// An intake as JSON: each field unknown with probability 0.6, else any valid value.
fn intake_json() -> impl Strategy<Value = String> {
    let fields: Vec<_> = intake_fields()
        .iter()
        .map(|&(path, kind, options)| {
            proptest::option::weighted(0.4, value_of(path, kind, options))
                .prop_map(move |v| (path, v))
        })
        .collect();
    fields.prop_map(|fields| {
        let mut root = Map::new();
        for (path, v) in fields {
            if let Some(v) = v {
                put(&mut root, path, v);
            }
        }
        Value::Object(root).to_string()
    })
}

/// Evidence from runs for a few of the fields the training crate derives.
fn derived() -> impl Strategy<Value = DerivedEvidence> {
    let candidates: Vec<&'static str> = [
        "hours_since_run",
        "run.minutes",
        "run.distance_km",
        "run.intensity",
        "run.hot",
        "run.heavy_sweating",
        "run.downhill",
        "run.unaccustomed",
        "training.weekly_increase_pct",
    ]
    .into_iter()
    .filter(|p| field_kind(p).is_some())
    .collect();
    let picks: Vec<_> = candidates
        .into_iter()
        .map(|path| {
            let (kind, options) = field_kind(path).unwrap();
            proptest::option::weighted(0.5, value_of(path, kind, options)).prop_map(move |v| {
                v.map(|value| DerivedFinding {
                    field: path.to_owned(),
                    value,
                    because: "property test".to_owned(),
                    run_id: Some(1),
                })
            })
        })
        .collect();
    picks.prop_map(|f| DerivedEvidence {
        findings: f.into_iter().flatten().collect(),
    })
}

/// Every invariant of one assessment of `intake` (with `derived` evidence), as an error message.
fn check(intake: &Intake, derived: &DerivedEvidence, a: &Assessment) -> Result<(), TestCaseError> {
    let n = a.conditions.len();
    prop_assert!(n > 0);
    let mut sum = 0.0;
    for c in &a.conditions {
        prop_assert!(
            c.probability.is_finite() && (0.0..=1.0).contains(&c.probability),
            "{}: probability {}",
            c.id,
            c.probability
        );
        sum += c.probability;
    }
    // Each probability is rounded to 3 decimals: the sum may be off by half a unit per condition.
    prop_assert!((sum - 1.0).abs() <= 0.0005 * n as f64 + 1e-9, "sum {sum}");
    for w in a.conditions.windows(2) {
        prop_assert!(
            w[0].probability >= w[1].probability,
            "not ranked: {} {}",
            w[0].id,
            w[1].id
        );
    }
    for f in &a.red_flags {
        prop_assert!(
            a.triage >= f.level,
            "triage {:?} below red flag {} ({:?})",
            a.triage,
            f.id,
            f.level
        );
    }
    // Emergency only from a red flag, or from an emergency condition that the findings point to
    // specifically (it leads with at least the tuned probability): never from a vague picture.
    if a.triage == Triage::Emergency {
        let from_flag = a.red_flags.iter().any(|f| f.level == Triage::Emergency);
        let lead = &a.conditions[0];
        let pointed = lead.triage == Triage::Emergency
            && lead.probability + 0.0005 >= knowledge().tuning.emergency_lead_probability;
        prop_assert!(
            from_flag || pointed,
            "emergency from a vague picture: {} at {}",
            lead.id,
            lead.probability
        );
    }
    let (merged, _) = derived.merge_into(intake);
    let mut seen = Vec::new();
    for q in &a.questions {
        prop_assert!(field_kind(&q.field).is_some(), "unknown field {}", q.field);
        prop_assert!(
            read_field(intake, &q.field).is_none(),
            "asks answered field {}",
            q.field
        );
        prop_assert!(
            read_field(&merged, &q.field).is_none(),
            "asks field {} that the runs already answered",
            q.field
        );
        prop_assert!(!seen.contains(&q.field), "asks {} twice", q.field);
        seen.push(q.field.clone());
    }
    Ok(())
}

proptest! {
    // 256 cases: a few seconds in a debug build, enough to reach every red flag's fields.
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn assessment_invariants_hold_for_any_valid_intake(json in intake_json()) {
        let intake = parse_intake(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
        let none = DerivedEvidence::default();
        let a = assess(knowledge(), &intake, &none);
        check(&intake, &none, &a)?;
        // Deterministic: the same intake gives the same assessment, field for field.
        prop_assert_eq!(&a, &assess(knowledge(), &intake, &none));
        // The intake survives a round trip through its JSON.
        let again = parse_intake(&serde_json::to_string(&intake).unwrap()).unwrap();
        prop_assert_eq!(&again, &intake);
    }

    #[test]
    fn evidence_from_runs_keeps_the_invariants(json in intake_json(), derived in derived()) {
        let intake = parse_intake(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
        let a = assess(knowledge(), &intake, &derived);
        check(&intake, &derived, &a)?;
        prop_assert_eq!(&a, &assess(knowledge(), &intake, &derived));
    }
}
