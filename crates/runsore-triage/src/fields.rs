//! The intake's fields by dotted path: their answer kinds, their allowed values, and how to read
//! them out of an [`Intake`] without going through JSON (the engine does this on every call).

use runsore_model::{Feel, Intake, Intensity, Onset, Region, Sex, Sides, Trend};

/// How a field is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// Yes or no.
    YesNo,
    /// One value out of a list.
    OneOf,
    /// Any number of values out of a list.
    AnyOf,
    /// A whole number.
    Integer,
    /// A number.
    Number,
}

/// A field's value as read from an intake.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A yes/no answer.
    Bool(bool),
    /// One enum value, by its schema id.
    Enum(&'static str),
    /// Several enum values, by their schema ids.
    Many(Vec<&'static str>),
    /// A number.
    Number(f64),
}

/// Every intake field the engine knows, with its answer kind and, for enums, the allowed values.
pub const INTAKE_FIELDS: &[(&str, AnswerKind, &[&str])] = &[
    ("age", AnswerKind::Integer, &[]),
    ("sex", AnswerKind::OneOf, &["female", "male"]),
    (
        "where",
        AnswerKind::AnyOf,
        &[
            "buttock",
            "side_of_hip",
            "groin",
            "front_of_hip",
            "sit_bone",
            "lower_back",
            "back_of_thigh",
            "below_knee",
        ],
    ),
    ("sides", AnswerKind::OneOf, &["left", "right", "both"]),
    (
        "onset",
        AnswerKind::OneOf,
        &[
            "during_run",
            "hours_after",
            "next_day",
            "two_days_after",
            "gradual_weeks",
        ],
    ),
    ("sudden", AnswerKind::YesNo, &[]),
    ("felt_pop", AnswerKind::YesNo, &[]),
    ("hours_since_run", AnswerKind::Number, &[]),
    ("days_since_onset", AnswerKind::Number, &[]),
    (
        "trend",
        AnswerKind::OneOf,
        &["worse", "same", "better", "gone"],
    ),
    ("pain", AnswerKind::Integer, &[]),
    (
        "feels",
        AnswerKind::AnyOf,
        &[
            "burning",
            "aching",
            "stiff",
            "sharp",
            "cramping",
            "tingling",
            "numb",
            "throbbing",
        ],
    ),
    ("swelling", AnswerKind::YesNo, &[]),
    ("bruising", AnswerKind::YesNo, &[]),
    ("weakness", AnswerKind::YesNo, &[]),
    ("spasms", AnswerKind::YesNo, &[]),
    ("tender_to_touch", AnswerKind::YesNo, &[]),
    ("can_bear_weight", AnswerKind::YesNo, &[]),
    ("limping", AnswerKind::YesNo, &[]),
    ("pain_at_rest", AnswerKind::YesNo, &[]),
    ("pain_at_night", AnswerKind::YesNo, &[]),
    ("pain_hopping", AnswerKind::YesNo, &[]),
    ("pain_lying_on_side", AnswerKind::YesNo, &[]),
    ("pain_sitting", AnswerKind::YesNo, &[]),
    ("pain_stairs", AnswerKind::YesNo, &[]),
    ("clicking_locking", AnswerKind::YesNo, &[]),
    ("back_pain", AnswerKind::YesNo, &[]),
    ("radiates_below_knee", AnswerKind::YesNo, &[]),
    ("numbness_tingling", AnswerKind::YesNo, &[]),
    ("saddle_numbness", AnswerKind::YesNo, &[]),
    ("bladder_bowel_change", AnswerKind::YesNo, &[]),
    ("dark_urine", AnswerKind::YesNo, &[]),
    ("fever", AnswerKind::YesNo, &[]),
    ("muscle_cramps", AnswerKind::YesNo, &[]),
    ("general_weakness", AnswerKind::YesNo, &[]),
    ("palpitations", AnswerKind::YesNo, &[]),
    ("chest_pain", AnswerKind::YesNo, &[]),
    ("short_of_breath", AnswerKind::YesNo, &[]),
    ("fainting", AnswerKind::YesNo, &[]),
    ("headache", AnswerKind::YesNo, &[]),
    ("nausea_vomiting", AnswerKind::YesNo, &[]),
    ("confusion", AnswerKind::YesNo, &[]),
    ("run.minutes", AnswerKind::Number, &[]),
    ("run.distance_km", AnswerKind::Number, &[]),
    (
        "run.intensity",
        AnswerKind::OneOf,
        &["easy", "steady", "hard", "race"],
    ),
    ("run.hot", AnswerKind::YesNo, &[]),
    ("run.heavy_sweating", AnswerKind::YesNo, &[]),
    ("run.electrolytes", AnswerKind::YesNo, &[]),
    ("run.downhill", AnswerKind::YesNo, &[]),
    ("run.unaccustomed", AnswerKind::YesNo, &[]),
    ("training.weekly_increase_pct", AnswerKind::Number, &[]),
    ("training.previous_stress_fracture", AnswerKind::YesNo, &[]),
    ("training.low_energy_availability", AnswerKind::YesNo, &[]),
];

/// The answer kind and allowed values of a dotted path, or `None` for an unknown path.
pub fn field_kind(path: &str) -> Option<(AnswerKind, &'static [&'static str])> {
    INTAKE_FIELDS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, kind, values)| (*kind, *values))
}

fn onset_id(o: Onset) -> &'static str {
    match o {
        Onset::DuringRun => "during_run",
        Onset::HoursAfter => "hours_after",
        Onset::NextDay => "next_day",
        Onset::TwoDaysAfter => "two_days_after",
        Onset::GradualWeeks => "gradual_weeks",
    }
}

fn sides_id(s: Sides) -> &'static str {
    match s {
        Sides::Left => "left",
        Sides::Right => "right",
        Sides::Both => "both",
    }
}

fn trend_id(t: Trend) -> &'static str {
    match t {
        Trend::Worse => "worse",
        Trend::Same => "same",
        Trend::Better => "better",
        Trend::Gone => "gone",
    }
}

fn feel_id(f: Feel) -> &'static str {
    match f {
        Feel::Burning => "burning",
        Feel::Aching => "aching",
        Feel::Stiff => "stiff",
        Feel::Sharp => "sharp",
        Feel::Cramping => "cramping",
        Feel::Tingling => "tingling",
        Feel::Numb => "numb",
        Feel::Throbbing => "throbbing",
    }
}

fn sex_id(s: Sex) -> &'static str {
    match s {
        Sex::Female => "female",
        Sex::Male => "male",
    }
}

fn intensity_id(i: Intensity) -> &'static str {
    match i {
        Intensity::Easy => "easy",
        Intensity::Steady => "steady",
        Intensity::Hard => "hard",
        Intensity::Race => "race",
    }
}

/// Reads one field of the intake by dotted path; `None` when unknown (or the path is not a field).
pub fn read_field(intake: &Intake, path: &str) -> Option<Value> {
    use Value::{Bool, Enum, Many, Number};
    let b = |v: Option<bool>| v.map(Bool);
    let n = |v: Option<f64>| v.map(Number);
    match path {
        "age" => intake.age.map(|a| Number(f64::from(a))),
        "sex" => intake.sex.map(|s| Enum(sex_id(s))),
        "where" => intake
            .r#where
            .as_ref()
            .map(|w| Many(w.iter().map(|r: &Region| r.id()).collect())),
        "sides" => intake.sides.map(|s| Enum(sides_id(s))),
        "onset" => intake.onset.map(|o| Enum(onset_id(o))),
        "sudden" => b(intake.sudden),
        "felt_pop" => b(intake.felt_pop),
        "hours_since_run" => n(intake.hours_since_run),
        "days_since_onset" => n(intake.days_since_onset),
        "trend" => intake.trend.map(|t| Enum(trend_id(t))),
        "pain" => intake.pain.map(|p| Number(f64::from(p))),
        "feels" => intake
            .feels
            .as_ref()
            .map(|f| Many(f.iter().map(|x| feel_id(*x)).collect())),
        "swelling" => b(intake.swelling),
        "bruising" => b(intake.bruising),
        "weakness" => b(intake.weakness),
        "spasms" => b(intake.spasms),
        "tender_to_touch" => b(intake.tender_to_touch),
        "can_bear_weight" => b(intake.can_bear_weight),
        "limping" => b(intake.limping),
        "pain_at_rest" => b(intake.pain_at_rest),
        "pain_at_night" => b(intake.pain_at_night),
        "pain_hopping" => b(intake.pain_hopping),
        "pain_lying_on_side" => b(intake.pain_lying_on_side),
        "pain_sitting" => b(intake.pain_sitting),
        "pain_stairs" => b(intake.pain_stairs),
        "clicking_locking" => b(intake.clicking_locking),
        "back_pain" => b(intake.back_pain),
        "radiates_below_knee" => b(intake.radiates_below_knee),
        "numbness_tingling" => b(intake.numbness_tingling),
        "saddle_numbness" => b(intake.saddle_numbness),
        "bladder_bowel_change" => b(intake.bladder_bowel_change),
        "dark_urine" => b(intake.dark_urine),
        "fever" => b(intake.fever),
        "muscle_cramps" => b(intake.muscle_cramps),
        "general_weakness" => b(intake.general_weakness),
        "palpitations" => b(intake.palpitations),
        "chest_pain" => b(intake.chest_pain),
        "short_of_breath" => b(intake.short_of_breath),
        "fainting" => b(intake.fainting),
        "headache" => b(intake.headache),
        "nausea_vomiting" => b(intake.nausea_vomiting),
        "confusion" => b(intake.confusion),
        "run.minutes" => n(intake.run.minutes),
        "run.distance_km" => n(intake.run.distance_km),
        "run.intensity" => intake.run.intensity.map(|i| Enum(intensity_id(i))),
        "run.hot" => b(intake.run.hot),
        "run.heavy_sweating" => b(intake.run.heavy_sweating),
        "run.electrolytes" => b(intake.run.electrolytes),
        "run.downhill" => b(intake.run.downhill),
        "run.unaccustomed" => b(intake.run.unaccustomed),
        "training.weekly_increase_pct" => n(intake.training.weekly_increase_pct),
        "training.previous_stress_fracture" => b(intake.training.previous_stress_fracture),
        "training.low_energy_availability" => b(intake.training.low_energy_availability),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every schema field parses from JSON and reads back: the table above and the model agree.
    #[test]
    fn every_field_reads_back() {
        for (path, kind, values) in INTAKE_FIELDS {
            let json_value = match kind {
                AnswerKind::YesNo => serde_json::json!(true),
                AnswerKind::OneOf => serde_json::json!(values[0]),
                AnswerKind::AnyOf => serde_json::json!([values[0]]),
                AnswerKind::Integer | AnswerKind::Number => serde_json::json!(42),
            };
            let mut object = serde_json::Map::new();
            match path.split_once('.') {
                Some((parent, child)) => {
                    let mut inner = serde_json::Map::new();
                    inner.insert(child.to_string(), json_value);
                    object.insert(parent.to_string(), inner.into());
                }
                None => {
                    object.insert(path.to_string(), json_value);
                }
            }
            let intake: Intake = serde_json::from_value(object.into())
                .unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
            assert!(
                read_field(&intake, path).is_some(),
                "{path} reads as unknown"
            );
        }
    }
}
