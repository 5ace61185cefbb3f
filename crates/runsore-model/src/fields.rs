//! Every intake field described once: dotted path, answer kind, label and help in plain words,
//! choices with their labels, and for numbers the bound (range and unit) of [`crate::bounds`]. Front ends build their forms, prompts, schema and
//! "did you mean" lists from [`FIELDS`]; [`Intake::value`] reads a field by its dotted path.

use serde::{Deserialize, Serialize};

use crate::bounds::{self, Bound};
use crate::intake::Intake;

/// How a field is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// One allowed value of a one-of or any-of field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// The schema's id.
    pub id: &'static str,
    /// Plain words for a form.
    pub label: &'static str,
}

/// One intake field.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FieldMeta {
    /// Dotted path (`swelling`, `run.hot`).
    pub path: &'static str,
    /// How it is answered.
    pub kind: AnswerKind,
    /// Short display name in plain words.
    pub label: &'static str,
    /// What it means, as the schema describes it (empty when the name says it all).
    pub help: &'static str,
    /// Allowed values with their labels (one-of and any-of fields only).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub choices: &'static [Choice],
    /// For numbers: the range allowed and the unit, declared once in [`crate::bounds`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
    /// For any-of fields where an empty list is an answer ("none of these", not "unknown"): the
    /// words a front end offers for it. Without it a runner who takes none of the medicines
    /// could only skip, which leaves a safety question open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub none: Option<&'static str>,
}

impl FieldMeta {
    /// The ids of the allowed values.
    pub fn values(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.choices.iter().map(|c| c.id)
    }

    /// The label of one allowed value.
    pub fn choice_label(&self, id: &str) -> Option<&'static str> {
        self.choices.iter().find(|c| c.id == id).map(|c| c.label)
    }
}

/// A field's name in plain words ("Run distance" for `run.distance_km`), its unit left to the
/// answer; for a path the model does not know, its last part in words.
pub fn field_name(path: &str) -> String {
    match field(path) {
        Some(meta) => match (meta.label.rsplit_once(" ("), meta.bound) {
            (Some((name, _)), Some(_)) => name.to_string(),
            _ => meta.label.to_string(),
        },
        None => {
            let words = path.rsplit('.').next().unwrap_or(path).replace('_', " ");
            let mut c = words.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

/// An answer in plain words: the choices' labels where the field has them ("buttock, sit
/// bone"), the unit where it has one ("18 km", "1 day"), yes or no. The one wording of "what
/// was understood" for every front end.
pub fn answer_words(path: &str, v: &serde_json::Value) -> String {
    use serde_json::Value;
    let meta = field(path);
    let one = |v: &Value| -> String {
        match v {
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::String(s) => meta
                .and_then(|m| m.choice_label(s))
                .map(str::to_lowercase)
                .unwrap_or_else(|| s.replace('_', " ")),
            Value::Number(n) => {
                let n = n.as_f64().unwrap_or_default();
                let n = if n.fract() == 0.0 {
                    format!("{n:.0}")
                } else {
                    format!("{n:.1}")
                };
                match meta.and_then(|m| m.bound).map(|b| b.unit) {
                    // "1 day", not "1 days" (the units are plural words or symbols).
                    Some(unit) if n == "1" && unit.len() > 2 && unit.ends_with('s') => {
                        format!("{n} {}", &unit[..unit.len() - 1])
                    }
                    Some(unit) if !unit.is_empty() && unit != "%" => format!("{n} {unit}"),
                    Some("%") => format!("{n}%"),
                    _ => n,
                }
            }
            other => other.to_string(),
        }
    };
    match v {
        Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(", "),
        other => one(other),
    }
}

/// A field's value as read from an intake.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// A yes/no answer.
    Bool(bool),
    /// One enum value, by its schema id.
    Enum(&'static str),
    /// Several enum values, by their schema ids (possibly none).
    Many(Vec<&'static str>),
    /// A number.
    Number(f64),
}

impl FieldValue {
    /// Whether this answer holds `v`, a value as JSON writes it (a story's reading, a form's
    /// answer): the same answer, or for a list one of its items. Numbers compare as numbers
    /// (25 read from words is the 25.0 kept).
    pub fn holds(&self, v: &serde_json::Value) -> bool {
        match self {
            FieldValue::Bool(b) => v.as_bool() == Some(*b),
            FieldValue::Enum(id) => v.as_str() == Some(*id),
            FieldValue::Many(ids) => v.as_str().is_some_and(|s| ids.contains(&s)),
            FieldValue::Number(n) => v.as_f64() == Some(*n),
        }
    }
}

/// The dotted paths that front ends name on their own (a form's input name, a column, a field
/// read for a summary), declared once here and used by [`FIELDS`] too: a front end writes
/// `paths::PAIN`, never `"pain"`, so renaming a field cannot leave a copy behind (the
/// architecture test fails on a field name written by hand in the CLI or the web).
pub mod paths {
    /// Age in years.
    pub const AGE: &str = "age";
    /// Sex.
    pub const SEX: &str = "sex";
    /// Where it hurts.
    pub const WHERE: &str = "where";
    /// Which side.
    pub const SIDES: &str = "sides";
    /// When it started relative to running.
    pub const ONSET: &str = "onset";
    /// How it is going.
    pub const TREND: &str = "trend";
    /// Pain now, 0 to 10.
    pub const PAIN: &str = "pain";
    /// A longer, harder or different run than usual.
    pub const RUN_UNACCUSTOMED: &str = "run.unaccustomed";
    /// Much downhill running.
    pub const RUN_DOWNHILL: &str = "run.downhill";
    /// The rise in weekly volume, in percent.
    pub const TRAINING_WEEKLY_INCREASE_PCT: &str = "training.weekly_increase_pct";
    /// runsore's addition to the contract: the fields answered "not sure".
    pub const NOT_SURE: &str = "not_sure";
}

/// The field at a dotted path, or `None` for a path the intake does not have.
pub fn field(path: &str) -> Option<&'static FieldMeta> {
    FIELDS.iter().find(|f| f.path == path)
}

/// Every intake field of contract version 2, in the schema's order.
pub const FIELDS: &[FieldMeta] = &[
    FieldMeta {
        path: paths::AGE,
        kind: AnswerKind::Integer,
        label: "Age",
        help: "",
        choices: &[],
        bound: Some(bounds::AGE),
        none: None,
    },
    FieldMeta {
        path: paths::SEX,
        kind: AnswerKind::OneOf,
        label: "Sex",
        help: "",
        choices: &[
            Choice {
                id: "female",
                label: "Female",
            },
            Choice {
                id: "male",
                label: "Male",
            },
        ],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: paths::WHERE,
        kind: AnswerKind::AnyOf,
        label: "Where it hurts",
        help: "Where it hurts. buttock: the fleshy glute; side_of_hip: the bony point on the outside of the hip; groin: front-inner hip crease; front_of_hip: hip flexor at the front; sit_bone: the bone you sit on, low in the buttock; lower_back; back_of_thigh; below_knee: pain or tingling reaching below the knee. front_of_thigh: the quadriceps at the front of the thigh; knee: pain felt in or around the knee (a child's hip problem can show only here); calf: the calf itself, not pain shooting down the leg.",
        choices: &[
            Choice {
                id: "buttock",
                label: "Buttock",
            },
            Choice {
                id: "side_of_hip",
                label: "Side of the hip",
            },
            Choice {
                id: "groin",
                label: "Groin",
            },
            Choice {
                id: "front_of_hip",
                label: "Front of the hip",
            },
            Choice {
                id: "sit_bone",
                label: "Sit bone",
            },
            Choice {
                id: "lower_back",
                label: "Lower back",
            },
            Choice {
                id: "back_of_thigh",
                label: "Back of the thigh",
            },
            Choice {
                id: "below_knee",
                label: "Below the knee",
            },
            Choice {
                id: "front_of_thigh",
                label: "Front of the thigh",
            },
            Choice {
                id: "knee",
                label: "Knee",
            },
            Choice {
                id: "calf",
                label: "Calf",
            },
        ],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: paths::SIDES,
        kind: AnswerKind::OneOf,
        label: "Side",
        help: "",
        choices: &[
            Choice {
                id: "left",
                label: "Left",
            },
            Choice {
                id: "right",
                label: "Right",
            },
            Choice {
                id: "both",
                label: "Both",
            },
        ],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: paths::ONSET,
        kind: AnswerKind::OneOf,
        label: "When it started",
        help: "When it started, relative to running. during_run; hours_after: within a few hours of finishing; next_day: about a day after; two_days_after: 48 hours or more after; gradual_weeks: crept up over weeks of running.",
        choices: &[
            Choice {
                id: "during_run",
                label: "During the run",
            },
            Choice {
                id: "hours_after",
                label: "Within a few hours after",
            },
            Choice {
                id: "next_day",
                label: "About a day after",
            },
            Choice {
                id: "two_days_after",
                label: "Two days or more after",
            },
            Choice {
                id: "gradual_weeks",
                label: "Crept up over weeks",
            },
        ],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "sudden",
        kind: AnswerKind::YesNo,
        label: "Began at one sharp moment",
        help: "Began at one sharp moment (a stride, a sprint, a slip).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "felt_pop",
        kind: AnswerKind::YesNo,
        label: "Felt a pop or tearing",
        help: "Felt or heard a pop or tearing.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "hours_since_run",
        kind: AnswerKind::Number,
        label: "Hours since the run",
        help: "Hours from the end of the run described in `run` until now.",
        choices: &[],
        bound: Some(bounds::HOURS_SINCE_RUN),
        none: None,
    },
    FieldMeta {
        path: "days_since_onset",
        kind: AnswerKind::Number,
        label: "Days since it began",
        help: "Days since the pain began.",
        choices: &[],
        bound: Some(bounds::DAYS_SINCE_ONSET),
        none: None,
    },
    FieldMeta {
        path: paths::TREND,
        kind: AnswerKind::OneOf,
        label: "How it is going",
        help: "",
        choices: &[
            Choice {
                id: "worse",
                label: "Getting worse",
            },
            Choice {
                id: "same",
                label: "About the same",
            },
            Choice {
                id: "better",
                label: "Getting better",
            },
            Choice {
                id: "gone",
                label: "Gone",
            },
        ],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: paths::PAIN,
        kind: AnswerKind::Integer,
        label: "Pain now (0 to 10)",
        help: "Pain right now, 0 none to 10 worst imaginable.",
        choices: &[],
        bound: Some(bounds::PAIN),
        none: None,
    },
    FieldMeta {
        path: "feels",
        kind: AnswerKind::AnyOf,
        label: "What it feels like",
        help: "",
        choices: &[
            Choice {
                id: "burning",
                label: "Burning",
            },
            Choice {
                id: "aching",
                label: "Aching",
            },
            Choice {
                id: "stiff",
                label: "Stiff",
            },
            Choice {
                id: "sharp",
                label: "Sharp",
            },
            Choice {
                id: "cramping",
                label: "Cramping",
            },
            Choice {
                id: "tingling",
                label: "Tingling",
            },
            Choice {
                id: "numb",
                label: "Numb",
            },
            Choice {
                id: "throbbing",
                label: "Throbbing",
            },
        ],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "swelling",
        kind: AnswerKind::YesNo,
        label: "Swelling",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "bruising",
        kind: AnswerKind::YesNo,
        label: "Bruising",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "weakness",
        kind: AnswerKind::YesNo,
        label: "Weak leg or muscle",
        help: "The sore muscle or leg is weak: for example the foot drags or slaps, you cannot rise on tiptoe, or the knee gives way.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "spasms",
        kind: AnswerKind::YesNo,
        label: "Spasms or twitching",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "tender_to_touch",
        kind: AnswerKind::YesNo,
        label: "Tender to press",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "can_bear_weight",
        kind: AnswerKind::YesNo,
        label: "Can walk on the leg",
        help: "Now, can take 4 or more steps on that leg without help (a limp is fine).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "limping",
        kind: AnswerKind::YesNo,
        label: "Limping",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "pain_at_rest",
        kind: AnswerKind::YesNo,
        label: "Pain at rest",
        help: "Aches while sitting or lying still, not only when moving.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "pain_at_night",
        kind: AnswerKind::YesNo,
        label: "Pain at night",
        help: "Pain that wakes you or keeps you awake whichever way you lie (not only when lying on the sore side).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "pain_hopping",
        kind: AnswerKind::YesNo,
        label: "Landing on the leg hurts",
        help: "Landing on the sore leg hurts: already noticed when hopping, jumping or in the first strides of a run. Never ask the runner to test it.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "pain_lying_on_side",
        kind: AnswerKind::YesNo,
        label: "Lying on that side hurts",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "pain_sitting",
        kind: AnswerKind::YesNo,
        label: "Sitting hurts",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "pain_stairs",
        kind: AnswerKind::YesNo,
        label: "Stairs or one-leg standing hurt",
        help: "Stairs, hills or standing on one leg hurt.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "clicking_locking",
        kind: AnswerKind::YesNo,
        label: "Hip clicks, catches or locks",
        help: "The hip clicks, catches or locks.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "back_pain",
        kind: AnswerKind::YesNo,
        label: "Low back pain",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "radiates_below_knee",
        kind: AnswerKind::YesNo,
        label: "Shoots below the knee",
        help: "Pain, tingling or numbness shooting from the back or buttock down past the knee (not a separate sore calf). `where` holding `below_knee` means this is true.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "numbness_tingling",
        kind: AnswerKind::YesNo,
        label: "Numbness or pins and needles",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "saddle_numbness",
        kind: AnswerKind::YesNo,
        label: "Numbness between the legs",
        help: "New numbness or pins and needles around the back passage, the genitals or the inner tops of the thighs (toilet paper feels different when wiping; sex feels different). Not: numbness from a bike saddle that has gone, or a numb patch on the outer buttock or the back of the thigh.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "bladder_bowel_change",
        kind: AnswerKind::YesNo,
        label: "New bladder or bowel trouble",
        help: "New since this pain began: cannot pass urine or must strain to start; the bladder does not feel empty; cannot feel urine or stool passing; or leaking without knowing. Not: a small leak when running, coughing or jumping, or urgent diarrhoea on runs.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "dark_urine",
        kind: AnswerKind::YesNo,
        label: "Dark (tea or cola) urine",
        help: "Brown, red-brown, tea- or cola-coloured urine (not just dark yellow).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "fever",
        kind: AnswerKind::YesNo,
        label: "Fever or shivers",
        help: "Temperature of 38 °C or more, or shivering fits or hot-and-cold spells (not just feeling hot after running).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "muscle_cramps",
        kind: AnswerKind::YesNo,
        label: "Muscle cramps",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "general_weakness",
        kind: AnswerKind::YesNo,
        label: "Weak or tired all over",
        help: "Weak or tired all over, not only the sore muscle.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "palpitations",
        kind: AnswerKind::YesNo,
        label: "Racing or skipping heartbeat",
        help: "Racing, fluttering or skipping heartbeat now, or repeatedly since the run (not a pounding heart just after effort).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "chest_pain",
        kind: AnswerKind::YesNo,
        label: "Chest pain",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "short_of_breath",
        kind: AnswerKind::YesNo,
        label: "Breathless at rest",
        help: "Breathless at rest or with little effort.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "fainting",
        kind: AnswerKind::YesNo,
        label: "Fainted or nearly fainted",
        help: "Fainted, or nearly fainted, while running or at any time since; or any faint with chest pain, palpitations or breathlessness. Not: a brief light-headed spell just after stopping that went within minutes of sitting or lying with the legs up.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "headache",
        kind: AnswerKind::YesNo,
        label: "Headache",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "nausea_vomiting",
        kind: AnswerKind::YesNo,
        label: "Sick or vomiting",
        help: "Have been sick, or still feel sick now (not nausea that settled soon after finishing).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "confusion",
        kind: AnswerKind::YesNo,
        label: "Confused or drowsy",
        help: "Confused, unusually drowsy, or others say you are not making sense.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "run.minutes",
        kind: AnswerKind::Number,
        label: "Run length (minutes)",
        help: "",
        choices: &[],
        bound: Some(bounds::RUN_MINUTES),
        none: None,
    },
    FieldMeta {
        path: "run.distance_km",
        kind: AnswerKind::Number,
        label: "Run distance (km)",
        help: "",
        choices: &[],
        bound: Some(bounds::RUN_DISTANCE_KM),
        none: None,
    },
    FieldMeta {
        path: "run.intensity",
        kind: AnswerKind::OneOf,
        label: "How hard the run was",
        help: "",
        choices: &[
            Choice {
                id: "easy",
                label: "Easy",
            },
            Choice {
                id: "steady",
                label: "Steady",
            },
            Choice {
                id: "hard",
                label: "Hard",
            },
            Choice {
                id: "race",
                label: "A race",
            },
        ],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "run.hot",
        kind: AnswerKind::YesNo,
        label: "Hot or humid",
        help: "Hot or humid weather.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "run.heavy_sweating",
        kind: AnswerKind::YesNo,
        label: "Heavy sweating",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "run.electrolytes",
        kind: AnswerKind::YesNo,
        label: "Replaced electrolytes",
        help: "Replaced electrolytes (sports drink, salty or potassium-rich food) during or after.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: paths::RUN_DOWNHILL,
        kind: AnswerKind::YesNo,
        label: "Much downhill",
        help: "Much downhill running.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: paths::RUN_UNACCUSTOMED,
        kind: AnswerKind::YesNo,
        label: "Longer, harder or different than usual",
        help: "Longer, harder or a different kind of run than usual.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: paths::TRAINING_WEEKLY_INCREASE_PCT,
        kind: AnswerKind::Number,
        label: "Weekly running increase (%)",
        help: "How much weekly running volume rose over the last weeks, in percent.",
        choices: &[],
        bound: Some(bounds::WEEKLY_INCREASE_PCT),
        none: None,
    },
    FieldMeta {
        path: "training.previous_stress_fracture",
        kind: AnswerKind::YesNo,
        label: "Stress fracture before",
        help: "",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "training.low_energy_availability",
        kind: AnswerKind::YesNo,
        label: "Under-fuelling or missed periods",
        help: "Under-fuelling for the training, or missed periods.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "radiates_both_legs",
        kind: AnswerKind::YesNo,
        label: "Nerve pain down both legs",
        help: "In the last 2 weeks, shooting nerve pain, pins and needles or numbness has started going down BOTH legs (or spread from one leg to the other), or both feet drag or both legs give way. Not: tired, heavy or aching legs after running. Never inferred from `sides: both`.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "fall",
        kind: AnswerKind::YesNo,
        label: "A fall or hard knock",
        help: "Fell, or took a hard knock to the hip, pelvis or buttock, before or when the pain began.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "calf_swelling",
        kind: AnswerKind::YesNo,
        label: "One calf or leg swollen",
        help: "One calf, or the whole leg, is visibly bigger or puffier than the other (often warm, red or tight too); new, and not just a bruise.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "long_travel",
        kind: AnswerKind::YesNo,
        label: "Long journey (over 4 hours sitting)",
        help: "Sat for more than 4 hours in one go (a flight, a long drive) in the last 4 weeks.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "belly_or_testicle_pain",
        kind: AnswerKind::YesNo,
        label: "Belly or testicle pain",
        help: "Any of: new pain or swelling in a testicle or the scrotum; sudden or severe pain low in the belly on one side that did not stop when you stopped running; any low belly pain with a late or missed period; a groin lump that has become painful or hard or will not push back in. Not: a stitch, tummy cramps that settled, your usual period pain, or a groin that hurts only when you move the leg.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "pregnant",
        kind: AnswerKind::YesNo,
        label: "Pregnant or period late",
        help: "Pregnant, or the period is late or missed.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "eases_within_minutes",
        kind: AnswerKind::YesNo,
        label: "Cramping that stops within minutes of standing still",
        help: "A cramping ache or heaviness in the buttock, thigh or calf that comes on at about the same distance or effort each time, makes you slow down or stop, and goes within a few minutes of standing still (no need to sit or bend forward).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "cold_pale_leg",
        kind: AnswerKind::YesNo,
        label: "Cold, pale leg or foot",
        help: "Since the pain began, one leg or foot has become cold and pale, white, blue or mottled compared with the other, and stays so at rest in a warm room (it may also be numb or weak).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "smoker",
        kind: AnswerKind::YesNo,
        label: "Smokes or smoked for years",
        help: "Smokes, or smoked for years.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "weight_loss",
        kind: AnswerKind::YesNo,
        label: "Weight loss without trying",
        help: "Lost weight without trying in the last few months.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "cancer_history",
        kind: AnswerKind::YesNo,
        label: "Had cancer",
        help: "Has had cancer, other than a skin cancer that was only cut out (melanoma counts).",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "morning_stiffness",
        kind: AnswerKind::YesNo,
        label: "Morning stiffness over 30 minutes",
        help: "Stiff for more than 30 minutes after waking, easing as you move; the pain may wake you in the second half of the night.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "drank_a_lot",
        kind: AnswerKind::YesNo,
        label: "Drank a lot (more than thirst)",
        help: "Drank to a plan or 'to stay ahead' rather than to thirst, weighed more after than before, or fingers, rings, face or watch strap feel puffy or tight.",
        choices: &[],
        bound: None,
        none: None,
    },
    FieldMeta {
        path: "medications",
        kind: AnswerKind::AnyOf,
        label: "Medicines taken now",
        help: "Medicines taken now. anticoagulant: blood thinners (warfarin, apixaban, rivaroxaban, dabigatran, edoxaban, or clopidogrel or ticagrelor; aspirin alone does not count); statin: for cholesterol; oral_steroid: prednisolone or similar tablets for 3 months or more in the past year; fluoroquinolone: antibiotics such as ciprofloxacin or levofloxacin in the last 3 months; hormonal_contraception: the combined pill, patch or ring, or HRT containing oestrogen. An empty list means none of these.",
        choices: &[
            Choice {
                id: "anticoagulant",
                label: "Blood thinner (not aspirin alone)",
            },
            Choice {
                id: "statin",
                label: "Statin (for cholesterol)",
            },
            Choice {
                id: "oral_steroid",
                label: "Steroid tablets for 3 months or more",
            },
            Choice {
                id: "fluoroquinolone",
                label: "Ciprofloxacin-type antibiotic in the last 3 months",
            },
            Choice {
                id: "hormonal_contraception",
                label: "Combined pill, patch, ring or HRT with oestrogen",
            },
        ],
        bound: None,
        none: Some("None of these"),
    },
];

impl Intake {
    /// Reads one field by dotted path; `None` when unknown (or the path is not a field).
    pub fn value(&self, path: &str) -> Option<FieldValue> {
        use FieldValue::{Bool, Enum, Many, Number};
        let b = |v: Option<bool>| v.map(Bool);
        let n = |v: Option<f64>| v.map(Number);
        match path {
            "age" => self.age.map(|a| Number(f64::from(a))),
            "sex" => self.sex.map(|s| Enum(s.id())),
            "where" => self
                .r#where
                .as_ref()
                .map(|w| Many(w.iter().map(|r| r.id()).collect())),
            "sides" => self.sides.map(|s| Enum(s.id())),
            "onset" => self.onset.map(|o| Enum(o.id())),
            "sudden" => b(self.sudden),
            "felt_pop" => b(self.felt_pop),
            "hours_since_run" => n(self.hours_since_run),
            "days_since_onset" => n(self.days_since_onset),
            "trend" => self.trend.map(|t| Enum(t.id())),
            "pain" => self.pain.map(|p| Number(f64::from(p))),
            "feels" => self
                .feels
                .as_ref()
                .map(|f| Many(f.iter().map(|x| x.id()).collect())),
            "swelling" => b(self.swelling),
            "bruising" => b(self.bruising),
            "weakness" => b(self.weakness),
            "spasms" => b(self.spasms),
            "tender_to_touch" => b(self.tender_to_touch),
            "can_bear_weight" => b(self.can_bear_weight),
            "limping" => b(self.limping),
            "pain_at_rest" => b(self.pain_at_rest),
            "pain_at_night" => b(self.pain_at_night),
            "pain_hopping" => b(self.pain_hopping),
            "pain_lying_on_side" => b(self.pain_lying_on_side),
            "pain_sitting" => b(self.pain_sitting),
            "pain_stairs" => b(self.pain_stairs),
            "clicking_locking" => b(self.clicking_locking),
            "back_pain" => b(self.back_pain),
            "radiates_below_knee" => b(self.radiates_below_knee),
            "numbness_tingling" => b(self.numbness_tingling),
            "saddle_numbness" => b(self.saddle_numbness),
            "bladder_bowel_change" => b(self.bladder_bowel_change),
            "dark_urine" => b(self.dark_urine),
            "fever" => b(self.fever),
            "muscle_cramps" => b(self.muscle_cramps),
            "general_weakness" => b(self.general_weakness),
            "palpitations" => b(self.palpitations),
            "chest_pain" => b(self.chest_pain),
            "short_of_breath" => b(self.short_of_breath),
            "fainting" => b(self.fainting),
            "headache" => b(self.headache),
            "nausea_vomiting" => b(self.nausea_vomiting),
            "confusion" => b(self.confusion),
            "radiates_both_legs" => b(self.radiates_both_legs),
            "fall" => b(self.fall),
            "calf_swelling" => b(self.calf_swelling),
            "long_travel" => b(self.long_travel),
            "belly_or_testicle_pain" => b(self.belly_or_testicle_pain),
            "pregnant" => b(self.pregnant),
            "eases_within_minutes" => b(self.eases_within_minutes),
            "cold_pale_leg" => b(self.cold_pale_leg),
            "smoker" => b(self.smoker),
            "weight_loss" => b(self.weight_loss),
            "cancer_history" => b(self.cancer_history),
            "morning_stiffness" => b(self.morning_stiffness),
            "drank_a_lot" => b(self.drank_a_lot),
            "medications" => self
                .medications
                .as_ref()
                .map(|m| Many(m.iter().map(|x| x.id()).collect())),
            "run.minutes" => n(self.run.minutes),
            "run.distance_km" => n(self.run.distance_km),
            "run.intensity" => self.run.intensity.map(|i| Enum(i.id())),
            "run.hot" => b(self.run.hot),
            "run.heavy_sweating" => b(self.run.heavy_sweating),
            "run.electrolytes" => b(self.run.electrolytes),
            "run.downhill" => b(self.run.downhill),
            "run.unaccustomed" => b(self.run.unaccustomed),
            "training.weekly_increase_pct" => n(self.training.weekly_increase_pct),
            "training.previous_stress_fracture" => b(self.training.previous_stress_fracture),
            "training.low_energy_availability" => b(self.training.low_energy_availability),
            _ => None,
        }
    }

    /// True when the runner answered the field "not sure".
    pub fn is_not_sure(&self, path: &str) -> bool {
        self.not_sure.iter().any(|p| p == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field parses from JSON and reads back: the table, the struct and `value` agree.
    #[test]
    fn every_field_reads_back() {
        for meta in FIELDS {
            let json_value = match meta.kind {
                AnswerKind::YesNo => serde_json::json!(true),
                AnswerKind::OneOf => serde_json::json!(meta.choices[0].id),
                AnswerKind::AnyOf => serde_json::json!([meta.choices[0].id]),
                AnswerKind::Integer | AnswerKind::Number => serde_json::json!(42),
            };
            let mut object = serde_json::Map::new();
            match meta.path.split_once('.') {
                Some((parent, child)) => {
                    let mut inner = serde_json::Map::new();
                    inner.insert(child.to_string(), json_value);
                    object.insert(parent.to_string(), inner.into());
                }
                None => {
                    object.insert(meta.path.to_string(), json_value);
                }
            }
            let intake: Intake = serde_json::from_value(object.into())
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", meta.path));
            assert!(
                intake.value(meta.path).is_some(),
                "{} reads as unknown",
                meta.path
            );
        }
    }

    /// Every top-level name of the struct is in the table (besides the nested objects and
    /// `not_sure`), so a new field cannot be forgotten here.
    #[test]
    fn table_covers_the_struct() {
        for name in Intake::field_names() {
            if matches!(name, "run" | "training" | "not_sure") {
                continue;
            }
            assert!(field(name).is_some(), "{name} is missing from FIELDS");
        }
        assert_eq!(
            FIELDS.iter().filter(|f| !f.path.contains('.')).count() + 2,
            Intake::field_names().count() - 1
        );
    }
}
