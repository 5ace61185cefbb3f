//! Invariants the fuzz targets check on every assessment, beyond "does not panic": they are the
//! engine's promises (see runsore-triage's tests/properties.rs for the same, over valid intakes).

use runsore_model::{DerivedEvidence, Intake};
use runsore_triage::{assess, fields::read_field, knowledge, render_text};

/// Assesses a valid intake and panics (a fuzz crash) when an invariant of the result is broken.
pub fn assess_and_check(intake: &Intake) {
    let a = assess(knowledge(), intake, &DerivedEvidence::default());
    let mut sum = 0.0;
    for c in &a.conditions {
        assert!(
            (0.0..=1.0).contains(&c.probability),
            "probability of {} out of [0, 1]: {}",
            c.id,
            c.probability
        );
        sum += c.probability;
    }
    assert!(
        // Each probability is rounded to 3 decimals, so the sum may be off by half a unit each.
        a.conditions.is_empty() || (sum - 1.0).abs() <= 0.0005 * a.conditions.len() as f64 + 1e-9,
        "probabilities sum to {sum}"
    );
    for f in &a.red_flags {
        assert!(
            a.triage >= f.level,
            "triage {:?} below red flag {}",
            a.triage,
            f.id
        );
    }
    for q in &a.questions {
        assert!(
            read_field(intake, &q.field).is_none(),
            "asks answered field {}",
            q.field
        );
    }
    let _ = render_text(&a);
}
