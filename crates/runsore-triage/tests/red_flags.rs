//! One case per red flag (and the near misses that must not fire): the triage is never below
//! what a fired flag demands, whatever the ranking says. Unknown flags where the picture makes
//! them possible come first among the questions, with the "answer these first" note.

mod common;

use runsore_triage::{Triage, knowledge};
use serde_json::json;

/// (red flag id, intake, whether it fires, minimum level expected): the rows of the contract's
/// red-flag table (`intake/README.md`, version 2), each with cases that fire and near misses.
fn cases() -> Vec<(&'static str, serde_json::Value, bool, Triage)> {
    rows()
        .into_iter()
        .chain(beyond_contract())
        .flat_map(|(_, cases)| cases)
        .collect()
}

/// Flags the knowledge base adds to the contract's table, from the sports physician's review.
fn beyond_contract() -> Vec<(&'static str, Vec<Case>)> {
    use Triage::*;
    vec![
        (
            "brown or cola-coloured urine more than 3 days after the last run: never self-care \
             (it may be blood; the NHS asks for an urgent GP appointment)",
            vec![
                (
                    "dark_urine_later",
                    json!({"where": ["buttock"], "onset": "next_day", "sides": "both",
                           "feels": ["aching", "stiff"], "pain": 3, "dark_urine": true,
                           "hours_since_run": 100}),
                    true,
                    Urgent,
                ),
                (
                    "dark_urine_later",
                    json!({"where": ["buttock"], "dark_urine": true, "hours_since_run": 48}),
                    false,
                    Emergency,
                ),
                (
                    "dark_urine_later",
                    json!({"where": ["buttock"], "dark_urine": false, "hours_since_run": 100}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "pain out of proportion (8 or more) after a hard, long, downhill or unaccustomed run: \
         urgent, a same-day CK blood test whatever the urine colour",
            vec![
                (
                    "pain_out_of_proportion",
                    json!({"pain": 8, "dark_urine": false, "run": {"unaccustomed": true}}),
                    true,
                    Urgent,
                ),
                (
                    "pain_out_of_proportion",
                    json!({"pain": 9, "run": {"intensity": "race"}}),
                    true,
                    Urgent,
                ),
                (
                    "pain_out_of_proportion",
                    json!({"pain": 7, "run": {"unaccustomed": true}}),
                    false,
                    SelfCare,
                ),
                (
                    "pain_out_of_proportion",
                    json!({"pain": 9, "run": {"intensity": "easy", "minutes": 30}}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "risk-context floors: while the answers that decide a red flag are unknown, the words' \
             context alone sets how soon the runner is seen (a fall at an age not given, a \
             teenager's hip pain of unknown course, muscle breakdown's triad after a session not \
             described); the first answer that rules the danger out lifts them",
            vec![
                // "Fell on my run, hip sore": no age, no word on walking.
                ("fall_hip_unknown_risk", json!({"fall": true}), true, Urgent),
                // At 80, the place not given and walking not described.
                (
                    "fall_hip_unknown_risk",
                    json!({"fall": true, "age": 80, "where": ["side_of_hip"]}),
                    true,
                    Urgent,
                ),
                // Under 60 and nothing else known that weakens bone: no floor.
                (
                    "fall_hip_unknown_risk",
                    json!({"fall": true, "age": 34}),
                    false,
                    SelfCare,
                ),
                // Walking normally with pain only at the outside of the hip: a bruise.
                (
                    "fall_hip_unknown_risk",
                    json!({"fall": true, "limping": false, "where": ["side_of_hip"]}),
                    false,
                    SelfCare,
                ),
                // Both known: the contract's row decides, not the floor.
                (
                    "fall_hip_unknown_risk",
                    json!({"fall": true, "limping": true, "age": 70}),
                    false,
                    Urgent,
                ),
                // Pain only in the calf after a fall: not the hip.
                (
                    "fall_hip_unknown_risk",
                    json!({"fall": true, "where": ["calf"]}),
                    false,
                    SelfCare,
                ),
                // "Hip sore after sprints at school": 15, the place, start and days not given.
                (
                    "growing_hip_unknown_course",
                    json!({"age": 15}),
                    true,
                    Urgent,
                ),
                (
                    "growing_hip_unknown_course",
                    json!({"age": 14, "days_since_onset": 10}),
                    true,
                    Urgent,
                ),
                // Began gradually 2 days ago: the contract's row says no, and so does the floor.
                (
                    "growing_hip_unknown_course",
                    json!({"age": 15, "where": ["groin"], "sudden": false, "days_since_onset": 2}),
                    false,
                    SelfCare,
                ),
                // Soreness that came on the day after a session: muscle soreness, not the floor.
                (
                    "growing_hip_unknown_course",
                    json!({"age": 15, "where": ["front_of_thigh"], "onset": "next_day"}),
                    false,
                    SelfCare,
                ),
                // A sore buttock is not where a growing hip refers pain.
                (
                    "growing_hip_unknown_course",
                    json!({"age": 15, "where": ["buttock"]}),
                    false,
                    SelfCare,
                ),
                // Known place, known days: the contract's row decides.
                (
                    "growing_hip_unknown_course",
                    json!({"age": 15, "where": ["groin"], "days_since_onset": 10}),
                    false,
                    Urgent,
                ),
                // "Quads swollen rock hard after bootcamp, can't lift my leg, 9/10".
                (
                    "rhabdomyolysis_triad_unknown_run",
                    json!({"where": ["front_of_thigh"], "swelling": true, "weakness": true, "pain": 9}),
                    true,
                    Emergency,
                ),
                // The session known (an hour, familiar, flat): the contract's triad decides.
                (
                    "rhabdomyolysis_triad_unknown_run",
                    json!({"swelling": true, "weakness": true, "pain": 9,
                           "run": {"minutes": 60, "unaccustomed": false, "downhill": false}}),
                    false,
                    SelfCare,
                ),
                // A sudden pop mid-stride: a strain, whose own rules decide.
                (
                    "rhabdomyolysis_triad_unknown_run",
                    json!({"swelling": true, "weakness": true, "pain": 9, "sudden": true, "felt_pop": true}),
                    false,
                    SelfCare,
                ),
                (
                    "rhabdomyolysis_triad_unknown_run",
                    json!({"swelling": true, "weakness": true, "pain": 7}),
                    false,
                    SelfCare,
                ),
            ],
        ),
    ]
}

type Case = (&'static str, serde_json::Value, bool, Triage);

/// The contract's table, row by row.
fn rows() -> Vec<(&'static str, Vec<Case>)> {
    use Triage::*;
    vec![
        (
            "saddle numbness, bladder or bowel change, or both legs: emergency",
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
                    "nerve_pain_both_legs",
                    json!({"where": ["lower_back"], "radiates_both_legs": true}),
                    true,
                    Emergency,
                ),
                (
                    "cauda_equina_signs",
                    json!({"where": ["lower_back"], "sides": "both", "radiates_both_legs": false}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "dark urine within 3 days of a run: emergency",
            vec![
                (
                    "dark_urine_after_exertion",
                    json!({"where": ["buttock"], "dark_urine": true}),
                    true,
                    Emergency,
                ),
                (
                    "dark_urine_after_exertion",
                    json!({"where": ["buttock"], "dark_urine": true, "hours_since_run": 48}),
                    true,
                    Emergency,
                ),
                (
                    "dark_urine_after_exertion",
                    json!({"where": ["buttock"], "dark_urine": true, "hours_since_run": 200}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "swelling, weakness and pain 8+ after a long, unaccustomed or downhill run: emergency",
            vec![
                (
                    "rhabdomyolysis_triad",
                    json!({"swelling": true, "weakness": true, "pain": 8, "run": {"downhill": true}}),
                    true,
                    Emergency,
                ),
                (
                    "rhabdomyolysis_triad",
                    json!({"swelling": true, "weakness": true, "pain": 9, "run": {"minutes": 150}}),
                    true,
                    Emergency,
                ),
                (
                    "rhabdomyolysis_triad",
                    json!({"swelling": true, "weakness": true, "pain": 7, "run": {"downhill": true}}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "cannot bear weight: emergency",
            vec![
                (
                    "cannot_bear_weight",
                    json!({"where": ["groin"], "can_bear_weight": false}),
                    true,
                    Emergency,
                ),
                (
                    "cannot_bear_weight",
                    json!({"where": ["groin"], "can_bear_weight": true}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "chest pain, breathlessness or fainting: emergency",
            vec![
                (
                    "heart_or_lungs",
                    json!({"chest_pain": true}),
                    true,
                    Emergency,
                ),
                (
                    "heart_or_lungs",
                    json!({"short_of_breath": true}),
                    true,
                    Emergency,
                ),
                ("heart_or_lungs", json!({"fainting": true}), true, Emergency),
            ],
        ),
        (
            "confusion; or sickness, or headache with over-drinking, after a long run: emergency",
            vec![
                ("confusion", json!({"confusion": true}), true, Emergency),
                (
                    "hyponatraemia_after_long_run",
                    json!({"nausea_vomiting": true, "run": {"minutes": 150}}),
                    true,
                    Emergency,
                ),
                (
                    "hyponatraemia_after_long_run",
                    json!({"headache": true, "drank_a_lot": true, "run": {"distance_km": 30}}),
                    true,
                    Emergency,
                ),
                (
                    "hyponatraemia_after_long_run",
                    json!({"nausea_vomiting": true, "run": {"intensity": "race"}}),
                    true,
                    Emergency,
                ),
                (
                    "hyponatraemia_after_long_run",
                    json!({"nausea_vomiting": true, "run": {"minutes": 60, "intensity": "race"}}),
                    false,
                    SelfCare,
                ),
                (
                    "hyponatraemia_after_long_run",
                    json!({"nausea_vomiting": true, "run": {"distance_km": 10, "intensity": "race"}}),
                    false,
                    SelfCare,
                ),
                (
                    "hyponatraemia_after_long_run",
                    json!({"nausea_vomiting": true, "hours_since_run": 30, "run": {"minutes": 200}}),
                    false,
                    SelfCare,
                ),
                // A headache alone after a long run is self-care with the warning signs.
                (
                    "hyponatraemia_after_long_run",
                    json!({"headache": true, "drank_a_lot": false, "run": {"minutes": 245}}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "fever with a limp, rest pain, no weight or age 17 or under: emergency",
            vec![
                (
                    "fever_with_hip_signs",
                    json!({"where": ["groin"], "fever": true, "limping": true}),
                    true,
                    Emergency,
                ),
                (
                    "fever_with_hip_signs",
                    json!({"where": ["groin"], "fever": true, "pain_at_rest": true}),
                    true,
                    Emergency,
                ),
                (
                    "fever_with_hip_signs",
                    json!({"where": ["groin"], "fever": true, "age": 13}),
                    true,
                    Emergency,
                ),
                (
                    "fever_with_hip_signs",
                    json!({"where": ["groin"], "fever": true, "limping": false, "pain_at_rest": false}),
                    false,
                    Urgent,
                ),
            ],
        ),
        (
            "fever otherwise: urgent",
            vec![(
                "fever",
                json!({"where": ["buttock"], "fever": true}),
                true,
                Urgent,
            )],
        ),
        (
            "belly or testicle pain: emergency",
            vec![(
                "belly_or_testicle_pain",
                json!({"where": ["groin"], "belly_or_testicle_pain": true}),
                true,
                Emergency,
            )],
        ),
        (
            "cold, pale leg: emergency",
            vec![(
                "cold_pale_leg",
                json!({"cold_pale_leg": true}),
                true,
                Emergency,
            )],
        ),
        (
            "calf swelling: urgent",
            vec![(
                "calf_swelling",
                json!({"where": ["calf"], "calf_swelling": true}),
                true,
                Urgent,
            )],
        ),
        (
            "17 or under with a limp, or groin/hip/thigh/knee pain over 3 days or sudden: urgent",
            vec![
                (
                    "growing_hip_limp",
                    json!({"age": 12, "limping": true}),
                    true,
                    Urgent,
                ),
                (
                    "growing_hip_limp",
                    json!({"age": 18, "limping": true}),
                    false,
                    SelfCare,
                ),
                (
                    "growing_hip_pain",
                    json!({"age": 14, "where": ["knee"], "days_since_onset": 5}),
                    true,
                    Urgent,
                ),
                (
                    "growing_hip_pain",
                    json!({"age": 14, "where": ["front_of_hip"], "sudden": true}),
                    true,
                    Urgent,
                ),
                (
                    "growing_hip_pain",
                    json!({"age": 14, "where": ["knee"], "days_since_onset": 2, "sudden": false}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "a fall on a blood thinner: urgent; with swelling, pain 7+ or no weight: emergency",
            vec![
                (
                    "fall_on_blood_thinner",
                    json!({"fall": true, "medications": ["anticoagulant"]}),
                    true,
                    Urgent,
                ),
                (
                    "fall_on_blood_thinner_bleeding",
                    json!({"fall": true, "medications": ["anticoagulant"], "swelling": true}),
                    true,
                    Emergency,
                ),
                (
                    "fall_on_blood_thinner_bleeding",
                    json!({"fall": true, "medications": ["anticoagulant"], "pain": 7}),
                    true,
                    Emergency,
                ),
                (
                    "fall_on_blood_thinner",
                    json!({"fall": true, "medications": []}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "a fall with a limp or groin pain at 60+, on steroids or under-fuelling: urgent",
            vec![
                (
                    "fall_in_fragile_bone",
                    json!({"fall": true, "where": ["groin"], "age": 64}),
                    true,
                    Urgent,
                ),
                (
                    "fall_in_fragile_bone",
                    json!({"fall": true, "limping": true, "medications": ["oral_steroid"]}),
                    true,
                    Urgent,
                ),
                (
                    "fall_in_fragile_bone",
                    json!({"fall": true, "limping": true, "training": {"low_energy_availability": true}}),
                    true,
                    Urgent,
                ),
                (
                    "fall_in_fragile_bone",
                    json!({"fall": true, "limping": true, "age": 40, "medications": []}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "a blood thinner with swelling or bruising, without a fall: urgent",
            vec![
                (
                    "blood_thinner_swelling",
                    json!({"medications": ["anticoagulant"], "bruising": true, "fall": false}),
                    true,
                    Urgent,
                ),
                (
                    "blood_thinner_swelling",
                    json!({"medications": ["anticoagulant"], "swelling": true}),
                    true,
                    Urgent,
                ),
            ],
        ),
        (
            "a statin with weakness all over, or both sides with pain 7+: urgent",
            vec![
                (
                    "statin_weakness",
                    json!({"medications": ["statin"], "general_weakness": true}),
                    true,
                    Urgent,
                ),
                (
                    "statin_severe_both_sides",
                    json!({"medications": ["statin"], "sides": "both", "pain": 7}),
                    true,
                    Urgent,
                ),
                (
                    "statin_severe_both_sides",
                    json!({"medications": ["statin"], "sides": "left", "pain": 7}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "a fluoroquinolone with tendon pain: urgent",
            vec![
                (
                    "fluoroquinolone_tendon",
                    json!({"medications": ["fluoroquinolone"], "where": ["sit_bone"]}),
                    true,
                    Urgent,
                ),
                (
                    "fluoroquinolone_tendon",
                    json!({"medications": ["fluoroquinolone"], "where": ["calf"]}),
                    true,
                    Urgent,
                ),
                (
                    "fluoroquinolone_tendon",
                    json!({"medications": ["fluoroquinolone"], "where": ["lower_back"]}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "night pain with weight loss or past cancer: urgent",
            vec![
                (
                    "night_pain_cancer_signs",
                    json!({"pain_at_night": true, "cancer_history": true}),
                    true,
                    Urgent,
                ),
                (
                    "night_pain_cancer_signs",
                    json!({"pain_at_night": true, "weight_loss": true}),
                    true,
                    Urgent,
                ),
            ],
        ),
        (
            "palpitations: urgent",
            vec![("palpitations", json!({"palpitations": true}), true, Urgent)],
        ),
        (
            "painful landing with rest or night pain: urgent",
            vec![
                (
                    "painful_landing_with_rest_or_night_pain",
                    json!({"where": ["groin"], "pain_hopping": true, "pain_at_night": true}),
                    true,
                    Urgent,
                ),
                (
                    "painful_landing_with_rest_or_night_pain",
                    json!({"where": ["groin"], "pain_hopping": true, "pain_at_rest": false, "pain_at_night": false}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "the stress-fracture picture even without hopping: urgent",
            vec![
                (
                    "stress_fracture_picture",
                    json!({"where": ["groin"], "onset": "gradual_weeks", "limping": true, "training": {"weekly_increase_pct": 25}}),
                    true,
                    Urgent,
                ),
                (
                    "stress_fracture_picture",
                    json!({"where": ["buttock"], "onset": "gradual_weeks", "pain_at_night": true, "training": {"previous_stress_fracture": true}}),
                    true,
                    Urgent,
                ),
                (
                    "stress_fracture_picture",
                    json!({"where": ["groin"], "onset": "gradual_weeks", "limping": true, "training": {"weekly_increase_pct": 10}}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "pain below the knee with weakness, getting worse: urgent",
            vec![
                (
                    "progressive_leg_weakness",
                    json!({"where": ["buttock", "below_knee"], "weakness": true, "trend": "worse"}),
                    true,
                    Urgent,
                ),
                (
                    "progressive_leg_weakness",
                    json!({"radiates_below_knee": true, "weakness": true, "trend": "better"}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "cramping that stops within minutes at 50+ or in a smoker: see a doctor",
            vec![
                (
                    "claudication_at_risk",
                    json!({"eases_within_minutes": true, "age": 55}),
                    true,
                    SeeDoctor,
                ),
                (
                    "claudication_at_risk",
                    json!({"eases_within_minutes": true, "smoker": true}),
                    true,
                    SeeDoctor,
                ),
                (
                    "claudication_at_risk",
                    json!({"eases_within_minutes": true, "age": 30, "smoker": false}),
                    false,
                    SelfCare,
                ),
            ],
        ),
        (
            "pregnant: see a doctor",
            vec![(
                "pregnant",
                json!({"sex": "female", "pregnant": true}),
                true,
                SeeDoctor,
            )],
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

/// Every row of the contract's table has a case that fires and its level is reached.
#[test]
fn every_contract_row_fires() {
    let rows = rows();
    assert_eq!(rows.len(), 24, "the contract's table has 24 rows");
    for (row, cases) in rows {
        assert!(
            cases.iter().any(|c| c.2),
            "row without a firing case: {row}"
        );
        for (id, intake, fires, min) in &cases {
            check(id, intake, *fires, *min);
        }
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
            json!({"where": ["buttock"], "onset": "next_day", "swelling": true, "weakness": true}),
            "dark_urine_after_exertion",
            "dark_urine",
        ),
        (
            json!({"where": ["groin"], "onset": "gradual_weeks", "limping": true}),
            "cannot_bear_weight",
            "can_bear_weight",
        ),
        (
            json!({"where": ["buttock"], "headache": true, "run": {"minutes": 200}}),
            "hyponatraemia_after_long_run",
            "nausea_vomiting",
        ),
        (
            json!({"where": ["groin"], "pain_at_rest": true}),
            "fever_with_hip_signs",
            "fever",
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

/// Plain DOMS with the safety questions unanswered: no "answer these first" note (no unanswered
/// flag is plausible), but the safety block says the screen is incomplete and the front ends
/// lead with its headline rather than with reassurance; the checklist is the first question.
#[test]
fn plain_doms_gets_the_screen_not_the_note() {
    let out = common::run(&json!({
        "where": ["buttock"], "sides": "both", "onset": "next_day", "feels": ["aching", "stiff"],
        "run": {"unaccustomed": true}
    }));
    assert!(out.pending_note.is_none(), "{:?}", out.pending_red_flags);
    assert!(!out.safety.complete);
    assert!(out.safety.headline.is_some());
    assert!(out.questions[0].safety);
    assert!(out.questions[0].fields.len() <= 12);
    // From an empty intake every emergency sign is screened within the first two questions.
    let empty = common::run(&json!({}));
    let first = &empty.questions[0];
    assert!(first.safety);
    for f in [
        "saddle_numbness",
        "bladder_bowel_change",
        "radiates_both_legs",
        "dark_urine",
        "chest_pain",
        "short_of_breath",
        "fainting",
        "confusion",
        "fever",
        "belly_or_testicle_pain",
        "cold_pale_leg",
    ] {
        assert!(
            first.fields.iter().any(|x| x == f),
            "{f} not screened first"
        );
    }
    assert!(first.fields.len().div_ceil(6) <= 2);
}

/// "Not sure" is recorded: the field stays unknown, the screen stays incomplete, and it is not
/// asked again, so the dialogue moves on.
#[test]
fn not_sure_moves_the_dialogue_on() {
    let out =
        common::run(&json!({"where": ["buttock"], "onset": "next_day", "not_sure": ["fever"]}));
    assert!(out.safety.unanswered.iter().any(|f| f == "fever"));
    assert!(
        out.questions
            .iter()
            .all(|q| q.field != "fever" && !q.fields.iter().any(|f| f == "fever"))
    );
}

/// Never ask the runner to provoke pain: no question tells them to hop or test it.
#[test]
fn no_question_asks_to_provoke_pain() {
    for f in &knowledge().fields {
        let q = f.question.to_lowercase();
        assert!(!q.contains("does hopping"), "{}: {}", f.path, f.question);
        assert!(!q.contains("hop on"), "{}: {}", f.path, f.question);
    }
    let q = runsore_triage::find_question("pain_hopping").unwrap();
    assert!(q.question.contains("Without testing it"), "{}", q.question);
}

/// The care plan follows the final level: under an urgent or emergency level a calmer
/// condition's care plan is withheld, never shown as "book in the coming days".
#[test]
fn care_plan_follows_the_final_level() {
    let out = common::run(&json!({
        "where": ["buttock"], "sides": "left", "onset": "during_run", "sudden": true, "pain": 2,
        "fever": true, "limping": false, "pain_at_rest": false
    }));
    assert_eq!(out.triage, Triage::Urgent);
    for a in &out.advice {
        if a.care_deferred.is_some() {
            assert!(a.info.care.is_empty());
        }
        for step in &a.info.care {
            assert!(!step.text.contains("coming days"), "{}", step.text);
        }
    }
}

/// A risk-context floor raises the triage reported and changes no question: the engine asks
/// what it would ask with the floors taken out of the knowledge base, and without them reports
/// the level it reported before they existed.
#[test]
fn floors_change_no_question() {
    use runsore_model::DerivedEvidence;
    use runsore_triage::{KNOWLEDGE_JSON, KnowledgeBase, assess, parse_intake};
    let mut doc: serde_json::Value = serde_json::from_str(KNOWLEDGE_JSON).expect("embedded json");
    let flags = doc["red_flag"].as_array_mut().expect("red flags");
    let before = flags.len();
    flags.retain(|f| f.get("floor").and_then(|v| v.as_bool()) != Some(true));
    assert!(flags.len() < before, "the knowledge base has floors");
    // The sources only the floors cite go with them (a source never cited is an error).
    let mut rest = doc.clone();
    rest.as_object_mut().expect("an object").remove("source");
    let rest = rest.to_string();
    doc["source"]
        .as_array_mut()
        .expect("sources")
        .retain(|s| rest.contains(&format!("\"{}\"", s["id"].as_str().expect("an id"))));
    let without = KnowledgeBase::from_json(&doc.to_string()).expect("valid without its floors");
    for intake in [
        json!({"fall": true}),
        json!({"fall": true, "age": 80}),
        json!({"age": 15}),
        json!({"age": 14, "days_since_onset": 10, "where": ["groin"]}),
        json!({"where": ["front_of_thigh"], "swelling": true, "weakness": true, "pain": 9}),
        json!({"where": ["buttock"], "onset": "next_day"}),
    ] {
        let parsed = parse_intake(&intake.to_string()).expect("valid intake");
        let with = assess(knowledge(), &parsed, &DerivedEvidence::default());
        let plain = assess(&without, &parsed, &DerivedEvidence::default());
        let asked = |a: &runsore_triage::Assessment| -> Vec<Vec<String>> {
            a.questions.iter().map(common::fields_of).collect()
        };
        assert_eq!(asked(&with), asked(&plain), "questions on {intake}");
        assert!(with.triage >= plain.triage, "{intake}");
        let floor = with.red_flags.iter().filter(|f| {
            knowledge()
                .red_flags
                .iter()
                .any(|r| r.floor && r.id == *f.id)
        });
        for f in floor {
            assert!(with.triage >= f.level, "{intake}: below floor {}", f.id);
        }
    }
}
