//! The embedded knowledge base is valid, the validator reports every problem at once, and the
//! public lookups (questions, courses, sources) work.

use runsore_triage::{
    KNOWLEDGE_JSON, KNOWLEDGE_TOML, KnowledgeBase, Triage, course, find_question, knowledge,
    validate,
};

/// `knowledge()` loads the JSON the build script writes of the TOML file: it must be the same
/// knowledge base, field for field and in its compiled form, as parsing the TOML file itself.
#[test]
fn the_embedded_json_is_the_toml_file() {
    let from_toml = KnowledgeBase::from_toml(KNOWLEDGE_TOML).expect("the TOML file loads");
    let from_json = KnowledgeBase::from_json(KNOWLEDGE_JSON).expect("its JSON loads");
    // Debug shows every field, the compiled vectors too (no hash maps, so a stable order), and
    // floats exactly.
    assert_eq!(format!("{from_json:#?}"), format!("{from_toml:#?}"));
    assert_eq!(format!("{:#?}", knowledge()), format!("{from_toml:#?}"));
    // Not a trivially equal pair: the knowledge base is all there.
    assert!(format!("{from_toml:?}").len() > 100_000);
    assert_eq!(from_toml.conditions.len(), 20);
}

#[test]
fn embedded_knowledge_is_valid() {
    let problems = validate(KNOWLEDGE_TOML);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let kb = knowledge();
    assert_eq!(kb.conditions.len(), 20);
    for id in [
        "doms",
        "lactic_acid",
        "low_potassium",
        "muscle_strain",
        "stress_fracture",
        "rhabdomyolysis",
        "cauda_equina",
        "gluteal_tendinopathy",
        "proximal_hamstring_tendinopathy",
        "piriformis_syndrome",
        "lumbar_radiculopathy",
        "hip_joint",
        "hyponatraemia",
        "septic_arthritis",
        "dvt",
        "vascular_claudication",
        "hip_fracture",
        "adolescent_hip",
        "axial_spondyloarthritis",
        "pelvic_organ",
    ] {
        assert!(kb.condition(id).is_some(), "condition {id} missing");
    }
}

/// (what to break, the replacement, words one of the reported problems must contain).
#[test]
fn every_problem_is_reported_at_once() {
    let breakages = [
        (
            r#"{ f = "where_buttock", p = 0.9, source = "acsm_doms", estimate = true }"#,
            r#"{ f = "where_bottom", p = 0.9, source = "acsm_doms", estimate = true }"#,
            "unknown finding",
        ),
        (
            r#"{ f = "sides_both", p = 0.85, source = "cheung2003", estimate = true }"#,
            r#"{ f = "sides_both", p = 0.85, source = "nobody2024", estimate = true }"#,
            "unknown source nobody2024",
        ),
        (
            r#"{ f = "onset_during_run", p = 0.03, source = "cheung2003", estimate = true }"#,
            r#"{ f = "onset_during_run", lr_present = -2.0, lr_absent = 0.5, source = "cheung2003", estimate = true }"#,
            "more than 0",
        ),
        (
            r#"{ f = "onset_gradual_weeks", p = 0.03, estimate = true }"#,
            r#"{ f = "onset_gradual_weeks", p = 0.03 }"#,
            "needs a source or estimate",
        ),
        (
            "text = \"No treatment is needed.",
            "text = \"\"\nsources = []\n[[condition.care]]\ntext = \"No treatment is needed.",
            "has no source",
        ),
    ];
    let mut text = KNOWLEDGE_TOML.to_string();
    for (from, to, _) in &breakages {
        assert!(
            text.contains(from),
            "test setup: {from} not in the knowledge file"
        );
        text = text.replacen(from, to, 1);
    }
    let problems = validate(&text);
    for (_, _, words) in &breakages {
        assert!(
            problems.iter().any(|p| p.contains(words)),
            "no problem mentions {words:?}: {problems:#?}"
        );
    }
    assert!(problems.len() >= breakages.len(), "{problems:#?}");
}

#[test]
fn missing_pieces_are_reported() {
    let problems = validate("version = \"x\"");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].contains("not a valid knowledge file"),
        "{problems:?}"
    );
}

#[test]
fn every_intake_field_has_a_question() {
    for (path, _, _) in runsore_triage::fields::intake_fields() {
        let q = find_question(path).unwrap_or_else(|| panic!("no question for {path}"));
        assert!(
            q.question.ends_with('?') || q.question.ends_with(')'),
            "{path}: {}",
            q.question
        );
    }
}

#[test]
fn courses_are_structured() {
    let doms = course("doms").expect("doms course");
    assert_eq!(doms.onset_hours, Some([12.0, 24.0]));
    assert_eq!(doms.peak_hours, Some([24.0, 72.0]));
    assert_eq!(doms.max_hours, Some(168.0));
    let burn = course("lactic_acid").expect("burn course");
    assert!(burn.resolution_hours.expect("resolution")[1] <= 1.0);
    let strain = course("muscle_strain").expect("strain course");
    assert_eq!(strain.resolution_hours, Some([168.0, 336.0]));
    for c in &knowledge().conditions {
        if c.triage == Triage::SelfCare {
            assert!(c.course.max_hours.is_some(), "{}", c.id);
        }
    }
}

/// Never supplements: the low-potassium plan names food and warns against supplements.
#[test]
fn potassium_advice_is_food_not_supplements() {
    let kb = knowledge();
    let k = kb.condition("low_potassium").expect("low_potassium");
    let care: String = k.care.iter().map(|s| s.text.as_str()).collect();
    assert!(care.contains("potato") && care.contains("banana"), "{care}");
    assert!(
        !care.to_lowercase().contains("supplement"),
        "care must not suggest supplements"
    );
    assert!(k.avoid.iter().any(|s| s.text.contains("supplements")));
}

/// The lists front ends derive: the safety screen, the fields that are red flags on their own,
/// names and pacing, all read from the knowledge base.
#[test]
fn derived_lists_come_from_the_knowledge_base() {
    let screen = runsore_triage::safety_checklist();
    let fields: Vec<&str> = screen.items.iter().map(|i| i.field.as_str()).collect();
    for f in [
        "saddle_numbness",
        "dark_urine",
        "chest_pain",
        "fever",
        "belly_or_testicle_pain",
    ] {
        assert!(fields.contains(&f), "{f} missing from the safety screen");
    }
    assert!(fields.len() <= 12, "the screen must fit two questions");
    let flags = runsore_triage::red_flag_fields();
    let cbw = flags
        .iter()
        .find(|r| r.field == "can_bear_weight")
        .expect("can_bear_weight");
    assert!(!cbw.danger);
    assert!(flags.iter().any(|r| r.field == "dark_urine" && r.danger));
    assert!(flags.iter().any(|r| r.field == "fever" && r.danger));
    let paced: Vec<&str> = runsore_triage::paced_conditions().collect();
    assert!(paced.contains(&"doms") && paced.contains(&"muscle_strain"));
    assert_eq!(
        runsore_triage::condition_names().count(),
        knowledge().conditions.len()
    );
    assert_eq!(runsore_triage::field_label("run.hot"), Some("Hot or humid"));
}
