//! One case per red flag (and the near misses that must not fire): the triage is never below
//! what a fired flag demands, whatever the ranking says. Unknown flags where the picture makes
//! them possible come first among the questions, with the "answer these first" note.

mod common;

use runsore_triage::{Triage, knowledge};
use serde_json::json;

/// (red flag id, intake, whether it fires, minimum level expected).
fn cases() -> Vec<(&'static str, serde_json::Value, bool, Triage)> {
    use Triage::*;
    vec![
        (
            "cauda_equina_signs",
            json!({"where": ["buttock"], "saddle_numbness": true}),
            true,
            Emergency,
        ),
        (
            "cauda_equina_signs",
            json!({"where": ["lower_back"], "bladder_bowel_change": true}),
            true,
            Emergency,
        ),
        (
            "headache_after_long_or_hot_run",
            json!({"headache": true, "run": {"minutes": 150, "electrolytes": true}}),
            true,
            Urgent,
        ),
        (
            "headache_after_long_or_hot_run",
            json!({"nausea_vomiting": true, "run": {"minutes": 40, "hot": false, "intensity": "easy"}}),
            false,
            SelfCare,
        ),
        (
            "saddle_numbness",
            json!({"where": ["buttock"], "sides": "both", "saddle_numbness": true}),
            true,
            Emergency,
        ),
        (
            "saddle_numbness",
            json!({"where": ["buttock"], "sides": "both", "saddle_numbness": false}),
            false,
            SelfCare,
        ),
        (
            "dark_urine_after_exertion",
            json!({"where": ["buttock"], "onset": "next_day", "dark_urine": true}),
            true,
            Emergency,
        ),
        (
            "cannot_bear_weight",
            json!({"where": ["groin"], "can_bear_weight": false}),
            true,
            Emergency,
        ),
        (
            "heart_or_lungs",
            json!({"where": ["buttock"], "chest_pain": true}),
            true,
            Emergency,
        ),
        (
            "heart_or_lungs",
            json!({"where": ["buttock"], "short_of_breath": true}),
            true,
            Emergency,
        ),
        (
            "heart_or_lungs",
            json!({"where": ["buttock"], "fainting": true}),
            true,
            Emergency,
        ),
        (
            "confusion",
            json!({"where": ["buttock"], "confusion": true}),
            true,
            Emergency,
        ),
        (
            "hyponatraemia_after_water_only",
            json!({"headache": true, "run": {"minutes": 240, "electrolytes": false}}),
            true,
            Emergency,
        ),
        (
            "hyponatraemia_after_water_only",
            json!({"nausea_vomiting": true, "run": {"distance_km": 42.2, "electrolytes": false}}),
            true,
            Emergency,
        ),
        (
            "hyponatraemia_after_water_only",
            json!({"headache": true, "run": {"minutes": 240, "electrolytes": true}}),
            false,
            SelfCare,
        ),
        (
            "hyponatraemia_after_water_only",
            json!({"headache": true, "run": {"minutes": 40, "electrolytes": false}}),
            false,
            SelfCare,
        ),
        (
            "fever_with_rest_pain",
            json!({"where": ["groin"], "fever": true, "pain_at_rest": true}),
            true,
            Emergency,
        ),
        (
            "fever_with_rest_pain",
            json!({"where": ["groin"], "fever": true, "pain_at_rest": false}),
            false,
            SelfCare,
        ),
        (
            "palpitations",
            json!({"where": ["buttock"], "palpitations": true}),
            true,
            Urgent,
        ),
        (
            "painful_hop_with_rest_or_night_pain",
            json!({"where": ["groin"], "pain_hopping": true, "pain_at_night": true}),
            true,
            Urgent,
        ),
        (
            "painful_hop_with_rest_or_night_pain",
            json!({"where": ["groin"], "pain_hopping": true, "pain_at_rest": true}),
            true,
            Urgent,
        ),
        (
            "painful_hop_with_rest_or_night_pain",
            json!({"where": ["groin"], "pain_hopping": true, "pain_at_rest": false, "pain_at_night": false}),
            false,
            SelfCare,
        ),
        (
            "progressive_leg_weakness",
            json!({"where": ["buttock", "below_knee"], "weakness": true, "trend": "worse"}),
            true,
            Urgent,
        ),
        (
            "progressive_leg_weakness",
            json!({"radiates_below_knee": true, "weakness": true, "trend": "worse"}),
            true,
            Urgent,
        ),
        (
            "progressive_leg_weakness",
            json!({"radiates_below_knee": true, "weakness": true, "trend": "better"}),
            false,
            SelfCare,
        ),
    ]
}

fn check(id: &str, intake: &serde_json::Value, fires: bool, min: Triage) {
    let out = common::run(intake);
    let fired = out.red_flags.iter().any(|f| f.id == id);
    assert_eq!(fired, fires, "{id} on {intake}: fired {fired}");
    assert!(
        out.triage >= min,
        "{id} on {intake}: triage {} below {min}",
        out.triage
    );
}

#[test]
fn every_red_flag() {
    let cases = cases();
    for (id, intake, fires, min) in &cases {
        check(id, intake, *fires, *min);
    }
    for flag in &knowledge().red_flags {
        assert!(
            cases
                .iter()
                .any(|(id, _, fires, _)| *id == flag.id && *fires),
            "red flag {} has no firing case",
            flag.id
        );
    }
}

/// A clear DOMS picture still goes to the emergency department with dark urine.
#[test]
fn red_flags_win_over_the_ranking() {
    let out = common::run(&json!({
        "where": ["buttock"], "sides": "both", "onset": "next_day", "feels": ["aching", "stiff"],
        "tender_to_touch": true, "pain": 4, "run": {"unaccustomed": true, "downhill": true},
        "dark_urine": true
    }));
    assert_eq!(out.triage, Triage::Emergency);
}

/// (intake, the red flag that must be pending, the first question's field).
#[test]
fn unknown_red_flags_are_asked_first() {
    for (intake, flag, first) in [
        (
            json!({"where": ["lower_back", "buttock", "below_knee"], "back_pain": true, "radiates_below_knee": true}),
            "cauda_equina_signs",
            "saddle_numbness",
        ),
        (
            json!({"where": ["buttock"], "onset": "next_day"}),
            "dark_urine_after_exertion",
            "dark_urine",
        ),
        (
            json!({"where": ["buttock"], "sides": "both"}),
            "saddle_numbness",
            "saddle_numbness",
        ),
        (
            json!({"where": ["groin"], "onset": "gradual_weeks", "training": {"weekly_increase_pct": 40}}),
            "cannot_bear_weight",
            "can_bear_weight",
        ),
        (
            json!({"where": ["buttock"], "muscle_cramps": true, "run": {"minutes": 200, "electrolytes": false, "hot": true}}),
            "hyponatraemia_after_water_only",
            "headache",
        ),
    ] {
        let out = common::run(&intake);
        assert!(
            out.pending_red_flags.iter().any(|p| p.id == flag),
            "{flag} not pending for {intake}"
        );
        assert!(out.pending_note.is_some(), "no pending note for {intake}");
        assert!(
            out.questions[0].red_flag,
            "first question is not a red flag for {intake}"
        );
        let red: Vec<String> = out
            .questions
            .iter()
            .take_while(|q| q.red_flag)
            .flat_map(common::fields_of)
            .collect();
        assert!(
            red.iter().any(|f| f == first),
            "{first} not among the first questions {red:?} for {intake}"
        );
    }
}

/// When every red flag is answered no, nothing is pending and the note is gone.
#[test]
fn answered_red_flags_are_not_pending() {
    let out = common::run(&json!({
        "where": ["buttock"], "onset": "next_day", "dark_urine": false, "can_bear_weight": true,
        "palpitations": false, "run": {"unaccustomed": true}
    }));
    assert!(
        out.pending_red_flags.is_empty(),
        "{:?}",
        out.pending_red_flags
    );
    assert!(out.pending_note.is_none());
}
