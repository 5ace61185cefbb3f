//! How each intake field is asked in a form: its kind, its choices in plain words, and how an
//! answer is written into the intake JSON. This mirrors `intake.schema.json`; the questions' own
//! wording comes from the engine.

use runsore_model::Intake;
use serde_json::Value;

/// The kind of answer a field takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Yes or no.
    Bool,
    /// One of a few choices.
    One(&'static [(&'static str, &'static str)]),
    /// Any of a few choices.
    Many(&'static [(&'static str, &'static str)]),
    /// A whole number within a range.
    Int(i64, i64),
    /// A number of at least zero, with its unit.
    Number(&'static str),
    /// Any number (may be negative), with its unit.
    SignedNumber(&'static str),
}

/// The regions of `where`, with the words the body map shows.
pub const REGIONS: &[(&str, &str)] = &[
    ("buttock", "Buttock"),
    ("side_of_hip", "Side of the hip"),
    ("groin", "Groin"),
    ("front_of_hip", "Front of the hip"),
    ("sit_bone", "Sit bone"),
    ("lower_back", "Lower back"),
    ("back_of_thigh", "Back of the thigh"),
    ("below_knee", "Below the knee"),
];

const SIDES: &[(&str, &str)] = &[("left", "Left"), ("right", "Right"), ("both", "Both")];
const ONSET: &[(&str, &str)] = &[
    ("during_run", "During the run"),
    ("hours_after", "Within a few hours after"),
    ("next_day", "About a day after"),
    ("two_days_after", "Two days or more after"),
    ("gradual_weeks", "Crept up over weeks"),
];
const TREND: &[(&str, &str)] = &[
    ("worse", "Getting worse"),
    ("same", "About the same"),
    ("better", "Getting better"),
    ("gone", "Gone"),
];
const FEELS: &[(&str, &str)] = &[
    ("burning", "Burning"),
    ("aching", "Aching"),
    ("stiff", "Stiff"),
    ("sharp", "Sharp"),
    ("cramping", "Cramping"),
    ("tingling", "Tingling"),
    ("numb", "Numb"),
    ("throbbing", "Throbbing"),
];
const SEX: &[(&str, &str)] = &[("female", "Female"), ("male", "Male")];
const INTENSITY: &[(&str, &str)] = &[
    ("easy", "Easy"),
    ("steady", "Steady"),
    ("hard", "Hard"),
    ("race", "A race"),
];

/// The kind of a field by its dotted path, or `None` for a field this form does not know.
pub fn kind(field: &str) -> Option<Kind> {
    Some(match field {
        "age" => Kind::Int(10, 100),
        "pain" => Kind::Int(0, 10),
        "sex" => Kind::One(SEX),
        "where" => Kind::Many(REGIONS),
        "sides" => Kind::One(SIDES),
        "onset" => Kind::One(ONSET),
        "trend" => Kind::One(TREND),
        "feels" => Kind::Many(FEELS),
        "hours_since_run" => Kind::Number("hours"),
        "days_since_onset" => Kind::Number("days"),
        "run.minutes" => Kind::Number("minutes"),
        "run.distance_km" => Kind::Number("km"),
        "run.intensity" => Kind::One(INTENSITY),
        "training.weekly_increase_pct" => Kind::SignedNumber("%"),
        "run.hot"
        | "run.heavy_sweating"
        | "run.electrolytes"
        | "run.downhill"
        | "run.unaccustomed"
        | "training.previous_stress_fracture"
        | "training.low_energy_availability" => Kind::Bool,
        other if Intake::field_names().any(|n| n == other) => Kind::Bool,
        _ => return None,
    })
}

/// Reads a form answer for a field into JSON, or says what is wrong with it.
pub fn parse_answer(field: &str, values: &[&str]) -> Result<Value, String> {
    let Some(kind) = kind(field) else {
        return Err(format!("unknown question `{field}`"));
    };
    let first = values.first().copied().unwrap_or("");
    match kind {
        Kind::Bool => match first {
            "yes" | "true" => Ok(Value::Bool(true)),
            "no" | "false" => Ok(Value::Bool(false)),
            "" => Err("choose yes or no, or skip the question".into()),
            _ => Err("choose yes or no".into()),
        },
        Kind::One(choices) => {
            if first.is_empty() {
                return Err("choose one answer, or skip the question".into());
            }
            choices
                .iter()
                .find(|(id, _)| *id == first)
                .map(|(id, _)| Value::String((*id).into()))
                .ok_or_else(|| "choose one of the answers shown".into())
        }
        Kind::Many(choices) => {
            if values.is_empty() {
                return Err("choose at least one, or skip the question".into());
            }
            let mut out = Vec::new();
            for v in values {
                if !choices.iter().any(|(id, _)| id == v) {
                    return Err("choose among the answers shown".into());
                }
                if !out.contains(&Value::String((*v).into())) {
                    out.push(Value::String((*v).into()));
                }
            }
            Ok(Value::Array(out))
        }
        Kind::Int(lo, hi) => {
            let n: i64 = first
                .parse()
                .map_err(|_| format!("enter a whole number from {lo} to {hi}"))?;
            if !(lo..=hi).contains(&n) {
                return Err(format!("enter a whole number from {lo} to {hi}"));
            }
            Ok(Value::from(n))
        }
        Kind::Number(unit) | Kind::SignedNumber(unit) => {
            let n: f64 = first
                .replace(',', ".")
                .parse()
                .map_err(|_| format!("enter a number of {unit}"))?;
            let signed = matches!(kind, Kind::SignedNumber(_));
            if !n.is_finite() || (!signed && n < 0.0) || n > 100_000.0 {
                return Err(format!("enter a number of {unit}, 0 or more"));
            }
            Ok(Value::from(n))
        }
    }
}

/// Writes a value at a dotted path of an intake JSON object.
pub fn set(intake: &mut Value, field: &str, value: Value) {
    let mut node = intake;
    let mut parts = field.split('.').peekable();
    while let Some(part) = parts.next() {
        if !node.is_object() {
            *node = Value::Object(Default::default());
        }
        let Value::Object(map) = node else { return };
        if parts.peek().is_none() {
            map.insert(part.to_string(), value);
            return;
        }
        node = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
}

/// Reads the value at a dotted path.
pub fn get<'a>(intake: &'a Value, field: &str) -> Option<&'a Value> {
    field
        .split('.')
        .try_fold(intake, |node, part| node.get(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(field: &str, values: &[&str], expect: Result<&str, &str>) {
        let got = parse_answer(field, values).map(|v| v.to_string());
        match expect {
            Ok(json) => assert_eq!(got.as_deref(), Ok(json), "{field} {values:?}"),
            Err(fragment) => {
                let err = got.expect_err(field);
                assert!(err.contains(fragment), "{field}: {err}");
            }
        }
    }

    #[test]
    fn answers_are_parsed_and_checked() {
        check("swelling", &["yes"], Ok("true"));
        check("swelling", &["no"], Ok("false"));
        check("swelling", &[], Err("yes or no"));
        check("pain", &["7"], Ok("7"));
        check("pain", &["11"], Err("0 to 10"));
        check("pain", &["x"], Err("whole number"));
        check("onset", &["next_day"], Ok("\"next_day\""));
        check("onset", &["yesterday"], Err("one of the answers"));
        check(
            "feels",
            &["aching", "stiff", "aching"],
            Ok("[\"aching\",\"stiff\"]"),
        );
        check("run.minutes", &["42,5"], Ok("42.5"));
        check("run.minutes", &["-3"], Err("0 or more"));
        check("training.weekly_increase_pct", &["-10"], Ok("-10.0"));
        check("run.hot", &["yes"], Ok("true"));
        check("nonsense", &["yes"], Err("unknown question"));
    }

    #[test]
    fn set_and_get_dotted_paths() {
        let mut v = serde_json::json!({"where": ["buttock"]});
        set(&mut v, "run.hot", Value::Bool(true));
        set(&mut v, "pain", Value::from(3));
        assert_eq!(
            v.to_string(),
            r#"{"pain":3,"run":{"hot":true},"where":["buttock"]}"#
        );
        assert_eq!(get(&v, "run.hot"), Some(&Value::Bool(true)));
        assert_eq!(get(&v, "run.cold"), None);
    }
}
