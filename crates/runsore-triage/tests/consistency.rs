//! The knowledge base agrees with itself: each escalation says the level it declares, and the
//! engine gives that level for the picture it describes; durations in a condition's texts are
//! the ones its course figures hold (follow-up reads the figures, the runner reads the text).
//! These would have caught the review's three contradictions (DOMS "marked swelling: emergency"
//! against its see-a-doctor rule, lactic acid's "get checked urgently" against the dark-urine
//! emergency flag, stress fracture's 6 to 12 weeks against follow-up's 8 to 16).

mod common;

use common::run;
use runsore_triage::{Triage, knowledge};
use serde_json::{Value, json};

/// Phrases that say a level, most urgent first; an escalation's stated level is the most urgent
/// one whose phrase it contains.
const PHRASES: [(Triage, &[&str]); 3] = [
    (
        Triage::Emergency,
        &[
            "emergency care",
            "emergency department",
            "ambulance",
            "emergency number",
        ],
    ),
    (
        Triage::Urgent,
        &["today", "within 24 hours", "the same day", "urgent"],
    ),
    (Triage::SeeDoctor, &["in the coming days", "book a"]),
];

fn stated_level(text: &str) -> Option<Triage> {
    let t = text.to_lowercase();
    PHRASES
        .iter()
        .find(|(_, words)| words.iter().any(|w| t.contains(w)))
        .map(|(level, _)| *level)
}

#[test]
fn each_escalation_says_the_level_it_declares() {
    let mut problems = Vec::new();
    for c in &knowledge().conditions {
        for step in &c.escalate {
            let declared = step.level.expect("the validator requires a level");
            let stated = stated_level(&step.text);
            if stated != Some(declared) {
                problems.push(format!(
                    "{}: declares {declared}, says {stated:?}: {}",
                    c.id, step.text
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// For each escalation, a picture of what it describes, in the condition's setting. Every
/// escalation needs one here (a new one fails until it is added).
fn pictures() -> Vec<(&'static str, &'static str, Value)> {
    let doms = json!({"where": ["buttock"], "sides": "both", "onset": "next_day",
                      "run": {"minutes": 130, "downhill": true, "unaccustomed": true}});
    let with = |base: &Value, extra: Value| {
        let mut v = base.clone();
        for (k, x) in extra.as_object().expect("object") {
            v[k] = x.clone();
        }
        v
    };
    let sciatica = json!({"where": ["buttock", "back_of_thigh", "below_knee"], "sides": "left",
                          "back_pain": true, "radiates_below_knee": true, "onset": "gradual_weeks"});
    vec![
        (
            "doms",
            "Brown, tea-",
            with(&doms, json!({"dark_urine": true})),
        ),
        (
            "doms",
            "Severe pain with swelling",
            with(
                &doms,
                json!({"pain": 9, "swelling": true, "weakness": true, "dark_urine": false}),
            ),
        ),
        (
            "doms",
            "Pain far worse",
            with(
                &doms,
                json!({"pain": 8, "swelling": false, "weakness": false, "dark_urine": false}),
            ),
        ),
        (
            "doms",
            "Marked swelling",
            with(&doms, json!({"swelling": true, "pain": 5})),
        ),
        (
            "lactic_acid",
            "Brown, tea-",
            json!({"onset": "during_run", "dark_urine": true, "run": {"intensity": "hard"}}),
        ),
        (
            "lactic_acid",
            "Burning or pain",
            json!({"onset": "during_run", "pain": 8, "feels": ["burning"], "run": {"intensity": "hard"}}),
        ),
        (
            "low_potassium",
            "A racing",
            json!({"muscle_cramps": true, "palpitations": true, "run": {"minutes": 150, "hot": true}}),
        ),
        (
            "low_potassium",
            "Weakness that makes",
            json!({"muscle_cramps": true, "confusion": true, "run": {"minutes": 150, "hot": true}}),
        ),
        (
            "muscle_strain",
            "A limp, weakness",
            json!({"where": ["back_of_thigh"], "sudden": true, "pain": 5, "limping": false}),
        ),
        (
            "muscle_strain",
            "A pop with loss",
            json!({"where": ["back_of_thigh"], "sudden": true, "felt_pop": true, "weakness": true}),
        ),
        (
            "muscle_strain",
            "Cannot stand",
            json!({"where": ["back_of_thigh"], "sudden": true, "can_bear_weight": false}),
        ),
        (
            "muscle_strain",
            "Not clearly improving",
            json!({"where": ["back_of_thigh"], "sudden": true, "days_since_onset": 15,
                   "trend": "same", "pain": 3}),
        ),
        (
            "stress_fracture",
            "Cannot stand",
            json!({"where": ["groin"], "onset": "gradual_weeks", "can_bear_weight": false}),
        ),
        (
            "rhabdomyolysis",
            "Little or no urine",
            json!({"pain": 9, "confusion": true, "run": {"unaccustomed": true}}),
        ),
        (
            "cauda_equina",
            "Any of",
            with(&sciatica, json!({"saddle_numbness": true})),
        ),
        (
            "gluteal_tendinopathy",
            "Pain in the groin",
            json!({"where": ["groin"], "onset": "gradual_weeks", "pain_at_night": true,
                   "training": {"weekly_increase_pct": 30}}),
        ),
        (
            "proximal_hamstring_tendinopathy",
            "A sudden sharp pain",
            json!({"where": ["sit_bone"], "sudden": true, "bruising": true}),
        ),
        (
            "piriformis_syndrome",
            "Numbness between",
            json!({"where": ["buttock"], "pain_sitting": true, "bladder_bowel_change": true}),
        ),
        (
            "piriformis_syndrome",
            "Leg or foot weakness",
            with(
                &sciatica,
                json!({"weakness": true, "trend": "worse", "bladder_bowel_change": false,
                       "saddle_numbness": false, "radiates_both_legs": false}),
            ),
        ),
        (
            "lumbar_radiculopathy",
            "Weakness in the leg",
            with(
                &sciatica,
                json!({"weakness": true, "trend": "worse", "bladder_bowel_change": false,
                       "saddle_numbness": false, "radiates_both_legs": false}),
            ),
        ),
        (
            "lumbar_radiculopathy",
            "Sciatica in both legs",
            with(&sciatica, json!({"radiates_both_legs": true})),
        ),
        (
            "hip_joint",
            "The hip locks",
            json!({"where": ["groin"], "clicking_locking": true, "can_bear_weight": false}),
        ),
        (
            "hip_joint",
            "Pain at night",
            json!({"where": ["groin"], "pain_at_night": true, "pain_at_rest": true,
                   "pain_hopping": true}),
        ),
        (
            "hyponatraemia",
            "Confusion",
            json!({"confusion": true, "run": {"minutes": 250}}),
        ),
        (
            "septic_arthritis",
            "Fever or shivers with hip",
            json!({"age": 30, "where": ["groin"], "fever": true, "limping": false,
                   "pain_at_rest": false, "can_bear_weight": true}),
        ),
        (
            "septic_arthritis",
            "Fever or shivers with a limp",
            json!({"age": 30, "where": ["groin"], "fever": true, "limping": true}),
        ),
        (
            "dvt",
            "Breathlessness",
            json!({"where": ["calf"], "calf_swelling": true, "short_of_breath": true}),
        ),
        (
            "vascular_claudication",
            "A leg or foot",
            json!({"eases_within_minutes": true, "cold_pale_leg": true}),
        ),
        (
            "hip_fracture",
            "Cannot stand",
            json!({"age": 70, "fall": true, "where": ["groin"], "can_bear_weight": false}),
        ),
        (
            "adolescent_hip",
            "Cannot put weight",
            json!({"age": 13, "where": ["groin"], "can_bear_weight": false}),
        ),
        (
            "axial_spondyloarthritis",
            "A red, painful eye",
            json!({"age": 30, "where": ["lower_back", "buttock"], "fever": true,
                   "limping": false, "pain_at_rest": false, "can_bear_weight": true}),
        ),
        (
            "pelvic_organ",
            "Any new testicle",
            json!({"sex": "male", "where": ["groin"], "belly_or_testicle_pain": true}),
        ),
    ]
}

/// The engine gives each escalation's declared level for the picture it describes.
#[test]
fn the_engine_gives_each_escalation_its_level() {
    let pictures = pictures();
    let mut problems = Vec::new();
    for c in &knowledge().conditions {
        for step in &c.escalate {
            let Some((_, _, picture)) = pictures
                .iter()
                .find(|(id, start, _)| *id == c.id && step.text.starts_with(start))
            else {
                problems.push(format!("{}: no picture for: {}", c.id, step.text));
                continue;
            };
            let a = run(picture);
            let declared = step.level.expect("level");
            if a.triage != declared {
                problems.push(format!(
                    "{}: '{}' declares {declared}, the engine gives {} for {picture}",
                    c.id, step.text, a.triage
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Hours in one unit.
fn unit_hours(word: &str) -> Option<f64> {
    match word.trim_end_matches(|c: char| !c.is_alphabetic()) {
        "hour" | "hours" => Some(1.0),
        "day" | "days" => Some(24.0),
        "week" | "weeks" => Some(168.0),
        "month" | "months" => Some(730.0),
        _ => None,
    }
}

/// Every "N to M unit" range in a text, in hours.
fn ranges(text: &str) -> Vec<(String, [f64; 2])> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let num = |w: &str| w.parse::<f64>().ok();
    let mut out = Vec::new();
    for w in words.windows(4) {
        if let (Some(a), "to", Some(b), Some(h)) = (num(w[0]), w[1], num(w[2]), unit_hours(w[3])) {
            out.push((w.join(" "), [a * h, b * h]));
        }
    }
    out
}

/// A duration range said in a condition's course or escalation texts is one of
/// its course's figures (onset, peak or resolution), so that what the runner reads and what
/// follow-up checks cannot drift apart.
#[test]
fn course_durations_are_single_sourced() {
    let mut problems = Vec::new();
    for c in &knowledge().conditions {
        let course = &c.course;
        let figures: Vec<[f64; 2]> = [
            course.onset_hours,
            course.peak_hours,
            course.resolution_hours,
        ]
        .into_iter()
        .flatten()
        .collect();
        // Care steps may name other spans (how long to avoid a painkiller), so only the course
        // and the escalations, which say how long the condition itself lasts, are read.
        let texts = std::iter::once(&course.text).chain(c.escalate.iter().map(|s| &s.text));
        for text in texts {
            for (said, hours) in ranges(text) {
                let matches = figures
                    .iter()
                    .any(|f| (f[0] - hours[0]).abs() < 0.5 && (f[1] - hours[1]).abs() < 0.5);
                if !matches {
                    problems.push(format!(
                        "{}: '{said}' is none of its course figures {figures:?}",
                        c.id
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ranges_are_read_in_hours() {
    assert_eq!(
        ranges("heals in about 6 to 12 weeks."),
        vec![("6 to 12 weeks.".to_string(), [1008.0, 2016.0])]
    );
    assert_eq!(ranges("Starts 12 to 24 hours after")[0].1, [12.0, 24.0]);
    assert!(ranges("between 24 and 72 hours").is_empty());
    assert_eq!(
        stated_level("see a clinician within 24 hours"),
        Some(Triage::Urgent)
    );
    assert_eq!(
        stated_level("urgent or emergency care"),
        Some(Triage::Emergency)
    );
}

/// A red flag that counts as possible only once a medicine is known is never asked about: a
/// runner rarely thinks to mention an antibiotic from last month. A fourth blind set found this
/// (tendon pain on a fluoroquinolone left at see-a-doctor by the dialogue); each flag must be
/// possible from something the runner reports about the pain itself.
#[test]
fn no_red_flag_is_possible_only_once_a_medicine_is_known() {
    for flag in &knowledge().red_flags {
        let medicine_only = !flag.possible_when.is_empty()
            && flag
                .possible_when
                .iter()
                .any(|clause| clause.iter().all(|lit| lit.starts_with("med_")));
        assert!(
            !medicine_only,
            "{}: possible only once a medicine is known ({:?})",
            flag.id, flag.possible_when
        );
    }
}

/// Whether the engine, given `intake`, lists `field` among its questions, alone or in a checklist.
fn asks(intake: &Value, field: &str) -> bool {
    run(intake)
        .questions
        .iter()
        .any(|q| q.field == field || q.fields.iter().any(|f| f == field))
}

/// The behaviour the rule above protects: a tendon pain with nothing else known asks about
/// medicines among its questions.
#[test]
fn a_tendon_pain_asks_about_medicines() {
    for place in ["side_of_hip", "sit_bone"] {
        let asked = asks(&json!({"where": [place]}), "medications");
        assert!(asked, "{place}: medicines never asked");
    }
}

/// A growing hip is urgent (contract v2: `age` 17 or under with a limp, or with groin, front of hip,
/// front of thigh or knee pain for more than 3 days), so wherever that picture is possible the
/// runner's age is asked. Before the `possible_when` of the two `growing_hip_*` flags, a
/// 16-year-old's five-day groin pain ended at see-a-doctor in the dialogue: age was never asked.
#[test]
fn a_pain_that_could_be_a_growing_hip_asks_the_age() {
    let pictures = [
        json!({"where": ["groin"]}),
        json!({"where": ["front_of_hip"]}),
        json!({"where": ["front_of_thigh"]}),
        json!({"where": ["knee"]}),
        json!({"where": ["buttock"], "limping": true}),
    ];
    for picture in pictures {
        let asked = asks(&picture, "age");
        assert!(asked, "{picture}: age never asked");
    }
}

/// Palpitations are urgent (contract v2), and cramps, twitching or a heavy sweat make electrolyte
/// loss possible, so the heartbeat is asked even when soreness leads the ranking. Before the
/// flag's `possible_when`, a sweaty runner's cramping buttock with a fluttering heart ended at
/// self-care in the dialogue: the heartbeat was never asked.
#[test]
fn cramps_or_a_heavy_sweat_ask_about_the_heartbeat() {
    let pictures = [
        json!({"where": ["buttock"], "muscle_cramps": true}),
        json!({"where": ["buttock", "back_of_thigh"], "spasms": true}),
        json!({"where": ["buttock"], "run": {"heavy_sweating": true}}),
    ];
    for picture in pictures {
        let asked = asks(&picture, "palpitations");
        assert!(asked, "{picture}: the heartbeat never asked");
    }
}
