//! Bad input to `parse_intake`: every kind of mistake gives an error naming the field (and the
//! nearest known one, or the line and column), never a panic.

use runsore_triage::{IntakeError, parse_intake};

/// (input, expected field at fault or None, words the message must contain).
fn check(input: &str, field: Option<&str>, words: &[&str]) {
    let err = parse_intake(input).expect_err(input);
    assert_eq!(err.field(), field, "{input}: {err}");
    let message = err.to_string();
    for w in words {
        assert!(
            message.contains(w),
            "{input}: message {message:?} lacks {w:?}"
        );
    }
}

#[test]
fn malformed_json_names_line_and_column() {
    check(
        "{\n  \"where\": [\"buttock\"],\n  \"pain\": ,\n}",
        None,
        &["line 3", "column"],
    );
    check("", None, &["line 1"]);
    let err = parse_intake("{\"pain\": 3").unwrap_err();
    assert!(
        matches!(err, IntakeError::Malformed { line: 1, .. }),
        "{err}"
    );
}

#[test]
fn unknown_fields_name_the_nearest_known_one() {
    check(
        r#"{"wher": ["buttock"]}"#,
        Some("wher"),
        &["`wher`", "did you mean `where`"],
    );
    check(
        r#"{"run": {"hott": true}}"#,
        Some("run.hott"),
        &["did you mean `run.hot`"],
    );
    check(
        r#"{"training": {"weekly_increase": 20}}"#,
        Some("training.weekly_increase"),
        &["did you mean `training.weekly_increase_pct`"],
    );
    check(
        r#"{"downhill": true}"#,
        Some("downhill"),
        &["did you mean `run.downhill`"],
    );
    check(r#"{"zzzz": 1}"#, Some("zzzz"), &["unknown field `zzzz`"]);
    check(
        "{\n \"pain\": 3,\n \"swollen\": true\n}",
        Some("swollen"),
        &["line 3", "`swelling`"],
    );
}

#[test]
fn wrong_types_name_the_field() {
    check(
        r#"{"pain": "high"}"#,
        Some("pain"),
        &["pain", "invalid type"],
    );
    check(r#"{"swelling": "yes"}"#, Some("swelling"), &["swelling"]);
    check(
        r#"{"onset": "yesterday"}"#,
        Some("onset"),
        &["onset", "next_day"],
    );
    check(r#"{"where": "buttock"}"#, Some("where"), &["where"]);
    check(
        r#"{"run": {"minutes": "long"}}"#,
        Some("run.minutes"),
        &["run.minutes"],
    );
    check(r#"{"run": true}"#, Some("run"), &["must be an object"]);
    check(r#"["buttock"]"#, Some("(intake)"), &["JSON object"]);
}

#[test]
fn out_of_range_values_name_the_field() {
    check(r#"{"age": 5}"#, Some("age"), &["10 to 100"]);
    check(r#"{"age": 300}"#, Some("age"), &["10 to 100"]);
    check(r#"{"pain": 11}"#, Some("pain"), &["0 to 10"]);
    check(r#"{"pain": -1}"#, Some("pain"), &["0 to 10"]);
    check(r#"{"where": []}"#, Some("where"), &["at least one"]);
    check(
        r#"{"run": {"minutes": -5}}"#,
        Some("run.minutes"),
        &["0 to 10080 minutes"],
    );
    let err = parse_intake(r#"{"age": 5, "pain": 11}"#).unwrap_err();
    assert!(
        matches!(&err, IntakeError::OutOfRange { problems } if problems.len() == 2),
        "every range problem is reported: {err}"
    );
}

#[test]
fn valid_intakes_parse() {
    for input in [
        "{}",
        r#"{"where": ["buttock"], "onset": "next_day"}"#,
        r#"{"run": {"minutes": 90.5, "hot": true}, "training": {"weekly_increase_pct": -10}}"#,
    ] {
        parse_intake(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    }
}

#[test]
fn a_duplicate_key_is_refused_naming_the_field() {
    // A red flag answered `true` then `false` was silently dropped: JSON keeps the last.
    let err =
        parse_intake("{\"where\":[\"buttock\"],\n\"dark_urine\":true,\n\"dark_urine\":false}")
            .unwrap_err();
    assert_eq!(err.field(), Some("dark_urine"));
    assert!(err.to_string().contains("given twice"), "{err}");
    assert!(err.to_string().contains("line 2"), "{err}");
    let nested = parse_intake(r#"{"run":{"hot":true,"hot":false}}"#).unwrap_err();
    assert_eq!(nested.field(), Some("run.hot"));
}

#[test]
fn numbers_beyond_their_bound_are_refused_naming_the_field() {
    // 1e300 hours once reached the chart loops and took the server down.
    for (json, field) in [
        (r#"{"hours_since_run":1e300}"#, "hours_since_run"),
        (r#"{"hours_since_run":1e10}"#, "hours_since_run"),
        (r#"{"days_since_onset":1e12}"#, "days_since_onset"),
        (r#"{"run":{"minutes":1e9}}"#, "run.minutes"),
        (r#"{"run":{"distance_km":40000}}"#, "run.distance_km"),
        (
            r#"{"training":{"weekly_increase_pct":1e308}}"#,
            "training.weekly_increase_pct",
        ),
        (r#"{"age":300}"#, "age"),
    ] {
        let err = parse_intake(json).unwrap_err();
        assert_eq!(err.field(), Some(field), "{json}: {err}");
    }
    assert!(parse_intake(r#"{"hours_since_run":26,"days_since_onset":400}"#).is_ok());
}
