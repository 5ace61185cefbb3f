//! Properties of `assess`: deterministic, derived evidence only fills unknown fields and is
//! marked as coming from the runs, the output carries the contract's fields, and no intake (even
//! an empty one) makes it fail.

mod common;

use runsore_model::{DerivedEvidence, DerivedFinding};
use runsore_triage::{Origin, assess, knowledge, parse_intake, render_text};
use serde_json::json;

#[test]
fn deterministic() {
    let intake = json!({"where": ["buttock"], "onset": "next_day", "run": {"unaccustomed": true}});
    assert_eq!(common::run(&intake), common::run(&intake));
}

#[test]
fn derived_evidence_fills_unknowns_and_is_explained() {
    let intake = parse_intake(r#"{"where": ["buttock"], "sides": "both", "onset": "next_day"}"#)
        .expect("valid");
    let derived = DerivedEvidence {
        findings: vec![
            DerivedFinding {
                field: "run.downhill".into(),
                value: json!(true),
                because: "your 21 km run on 3 May descended 640 m, four times your usual".into(),
                run_id: Some(7),
            },
            DerivedFinding {
                field: "onset".into(),
                value: json!("during_run"),
                because: "ignored: the runner answered".into(),
                run_id: None,
            },
        ],
    };
    let out = assess(knowledge(), &intake, &derived);
    assert_eq!(out.from_runs.len(), 1, "the runner's own onset wins");
    let doms = out
        .conditions
        .iter()
        .find(|c| c.id == "doms")
        .expect("doms");
    let downhill = doms
        .for_
        .iter()
        .find(|r| r.finding == "run_downhill")
        .expect("downhill explains doms");
    assert_eq!(downhill.from, Origin::Runs);
    assert!(
        downhill
            .because
            .as_deref()
            .unwrap_or_default()
            .contains("640 m")
    );
    let onset = doms
        .for_
        .iter()
        .find(|r| r.field == "onset")
        .expect("onset reason");
    assert_eq!(onset.from, Origin::Runner);
}

#[test]
fn contract_fields_are_present() {
    let out = common::run(&json!({"where": ["buttock"], "onset": "next_day"}));
    let v = serde_json::to_value(&out).expect("serialises");
    for key in [
        "triage",
        "conditions",
        "questions",
        "red_flags",
        "advice",
        "disclaimer",
        "knowledge_version",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let c = &v["conditions"][0];
    for key in ["id", "name", "probability", "for", "against"] {
        assert!(c.get(key).is_some(), "condition missing {key}");
    }
    let q = &v["questions"][0];
    assert!(q["field"].is_string() && q["text"].is_string());
    let probabilities: Vec<f64> = out.conditions.iter().map(|c| c.probability).collect();
    assert!(
        probabilities.windows(2).all(|w| w[0] >= w[1]),
        "ordered: {probabilities:?}"
    );
    let total: f64 = probabilities.iter().sum();
    assert!((total - 1.0).abs() < 0.01, "sums to {total}");
    let text = render_text(&out);
    assert!(text.contains("not a diagnosis"), "{text}");
    assert!(
        text.contains("Care plan") && text.contains("Sources"),
        "{text}"
    );
}

#[test]
fn empty_and_contradictory_intakes_do_not_fail() {
    for intake in [
        json!({}),
        json!({"where": ["buttock", "side_of_hip", "groin", "front_of_hip", "sit_bone", "lower_back", "back_of_thigh", "below_knee"],
               "feels": ["burning", "aching", "stiff", "sharp", "cramping", "tingling", "numb", "throbbing"],
               "onset": "during_run", "trend": "gone", "pain": 10, "can_bear_weight": true, "felt_pop": true,
               "saddle_numbness": false, "hours_since_run": 0, "days_since_onset": 0,
               "run": {"minutes": 0, "distance_km": 1000, "intensity": "easy"},
               "training": {"weekly_increase_pct": -100}}),
    ] {
        let out = common::run(&intake);
        assert_eq!(out.conditions.len(), 20);
        assert!(out.conditions.iter().all(|c| c.probability.is_finite()));
    }
}

/// No answer, no confidence: with only a place and a timing, nothing reaches 90%.
#[test]
fn thin_evidence_is_not_overconfident() {
    for intake in [
        json!({"where": ["buttock"]}),
        json!({"onset": "next_day"}),
        json!({"where": ["groin"], "onset": "gradual_weeks"}),
        json!({"where": ["buttock"], "onset": "during_run"}),
    ] {
        let out = common::run(&intake);
        assert!(
            out.conditions[0].probability < 0.9,
            "{intake}: {}",
            out.conditions[0].probability
        );
    }
}

/// The answer explains the causes a front end lists (at least 0.5%) and no others: the reasons of
/// causes that round to 0% were two thirds of its bytes. Over the worked cases: every listed cause
/// that some known finding moves has reasons, every unlisted one has none, and advice cites its
/// sources without the knowledge base's checking notes.
#[test]
fn only_listed_causes_are_explained_and_sources_carry_no_audit_notes() {
    let cases: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/vignettes.json"
        ))
        .expect("worked cases"),
    )
    .expect("JSON");
    let (mut listed, mut unlisted) = (0, 0);
    for case in cases.as_array().expect("a list") {
        let intake = parse_intake(&case["intake"].to_string()).expect("valid intake");
        let out = assess(knowledge(), &intake, &DerivedEvidence::default());
        for c in &out.conditions {
            let explained = !c.for_.is_empty() || !c.against.is_empty();
            if c.probability >= runsore_triage::EXPLAINED_MIN_PROBABILITY {
                listed += 1;
                assert!(
                    explained,
                    "{}: {} is listed but not explained",
                    case["id"], c.id
                );
            } else {
                unlisted += 1;
                assert!(
                    !explained,
                    "{}: {} is unlisted but explained",
                    case["id"], c.id
                );
            }
        }
        let json = serde_json::to_value(&out).expect("serialises");
        for advice in json["advice"].as_array().expect("advice") {
            for source in advice["sources"].as_array().expect("sources") {
                assert!(source.get("note").is_none(), "{source}");
                assert!(
                    source["title"].is_string() && source["url"].is_string(),
                    "{source}"
                );
            }
        }
    }
    assert!(
        listed >= 86 && unlisted >= 86,
        "{listed} listed, {unlisted} not"
    );
}

/// An answer in the knowledge base's words, as the reasons word it.
#[test]
fn answers_in_the_knowledge_bases_words() {
    let intake = parse_intake(
        r#"{"onset": "next_day", "swelling": false, "feels": ["stiff", "aching"], "sudden": true}"#,
    )
    .expect("valid");
    let words = |field| runsore_triage::answer_words(&intake, field);
    assert_eq!(
        words("onset").as_deref(),
        Some("started about a day after the run")
    );
    assert_eq!(words("swelling").as_deref(), Some("no swelling"));
    assert!(
        words("feels").is_some_and(|w| w.contains("stiffness")),
        "{:?}",
        words("feels")
    );
    assert_eq!(words("pain"), None, "unanswered");
    assert_eq!(words("no_such_field"), None);
}
