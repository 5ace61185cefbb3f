//! The intake: what a runner reports, in the shape of `schema/intake.schema.json` (contract
//! version 2, generated from [`crate::FIELDS`] by [`crate::schema`]).
//!
//! Every field is optional and `None` means unknown, never "no". Unknown fields are rejected by
//! serde (`deny_unknown_fields`); the edge that parses JSON turns that into a message naming the
//! nearest known field. Range checks live in [`Intake::validate`], against the
//! bounds of [`crate::bounds`].
//!
//! [`crate::FIELDS`] describes every field once (dotted path, answer kind, plain-words label,
//! help, choices with their labels, bounds, unit): front ends build forms, prompts and the JSON
//! schema from it instead of copying lists. [`Intake::not_sure`] is runsore's one addition to the
//! contract: the fields the runner answered "not sure", which stay unknown but are not asked
//! again in the same words.

use serde::{Deserialize, Serialize};

use crate::bounds;
use crate::fields::field;

/// Where it hurts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// The fleshy glute.
    Buttock,
    /// The bony point on the outside of the hip.
    SideOfHip,
    /// Front-inner hip crease.
    Groin,
    /// Hip flexor at the front.
    FrontOfHip,
    /// The bone you sit on, low in the buttock.
    SitBone,
    /// Lower back.
    LowerBack,
    /// Back of the thigh.
    BackOfThigh,
    /// Pain or tingling reaching below the knee.
    BelowKnee,
    /// The quadriceps at the front of the thigh.
    FrontOfThigh,
    /// Pain felt in or around the knee (a child's hip problem can show only here).
    Knee,
    /// The calf itself, not pain shooting down the leg.
    Calf,
}

impl Region {
    /// All regions in schema order.
    pub const ALL: [Region; 11] = [
        Region::Buttock,
        Region::SideOfHip,
        Region::Groin,
        Region::FrontOfHip,
        Region::SitBone,
        Region::LowerBack,
        Region::BackOfThigh,
        Region::BelowKnee,
        Region::FrontOfThigh,
        Region::Knee,
        Region::Calf,
    ];

    /// The schema's id for the region.
    pub fn id(self) -> &'static str {
        match self {
            Region::Buttock => "buttock",
            Region::SideOfHip => "side_of_hip",
            Region::Groin => "groin",
            Region::FrontOfHip => "front_of_hip",
            Region::SitBone => "sit_bone",
            Region::LowerBack => "lower_back",
            Region::BackOfThigh => "back_of_thigh",
            Region::BelowKnee => "below_knee",
            Region::FrontOfThigh => "front_of_thigh",
            Region::Knee => "knee",
            Region::Calf => "calf",
        }
    }
}

/// Which side hurts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sides {
    /// Left only.
    Left,
    /// Right only.
    Right,
    /// Both sides.
    Both,
}

/// When the pain started, relative to running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Onset {
    /// During the run.
    DuringRun,
    /// Within a few hours of finishing.
    HoursAfter,
    /// About a day after.
    NextDay,
    /// 48 hours or more after.
    TwoDaysAfter,
    /// Crept up over weeks of running.
    GradualWeeks,
}

/// How it is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Getting worse.
    Worse,
    /// No change.
    Same,
    /// Getting better.
    Better,
    /// Gone.
    Gone,
}

/// What the pain feels like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feel {
    /// Burning.
    Burning,
    /// Aching.
    Aching,
    /// Stiff.
    Stiff,
    /// Sharp.
    Sharp,
    /// Cramping.
    Cramping,
    /// Tingling.
    Tingling,
    /// Numb.
    Numb,
    /// Throbbing.
    Throbbing,
}

/// Sex, used for priors and the TRIMP constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// How hard the run was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intensity {
    /// Easy.
    Easy,
    /// Steady.
    Steady,
    /// Hard.
    Hard,
    /// A race.
    Race,
}

/// A medicine taken now that changes what a sore hip can mean (see the schema's `medications`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Medication {
    /// Blood thinners (warfarin, apixaban, rivaroxaban, dabigatran, edoxaban, clopidogrel,
    /// ticagrelor; aspirin alone does not count).
    Anticoagulant,
    /// A statin, for cholesterol.
    Statin,
    /// Prednisolone or similar tablets for 3 months or more in the past year.
    OralSteroid,
    /// Ciprofloxacin, levofloxacin or similar antibiotics in the last 3 months.
    Fluoroquinolone,
    /// The combined pill, patch or ring, or HRT containing oestrogen.
    HormonalContraception,
}

/// The schema id of each enum value (`Region::id` is above).
macro_rules! ids {
    ($ty:ident { $($variant:ident => $id:literal),* $(,)? }) => {
        impl $ty {
            /// The schema's id for the value.
            pub fn id(self) -> &'static str {
                match self {
                    $($ty::$variant => $id,)*
                }
            }
        }
    };
}

ids!(Sides { Left => "left", Right => "right", Both => "both" });
ids!(Onset {
    DuringRun => "during_run",
    HoursAfter => "hours_after",
    NextDay => "next_day",
    TwoDaysAfter => "two_days_after",
    GradualWeeks => "gradual_weeks",
});
ids!(Trend { Worse => "worse", Same => "same", Better => "better", Gone => "gone" });
ids!(Feel {
    Burning => "burning",
    Aching => "aching",
    Stiff => "stiff",
    Sharp => "sharp",
    Cramping => "cramping",
    Tingling => "tingling",
    Numb => "numb",
    Throbbing => "throbbing",
});
ids!(Sex { Female => "female", Male => "male" });
ids!(Intensity { Easy => "easy", Steady => "steady", Hard => "hard", Race => "race" });
ids!(Medication {
    Anticoagulant => "anticoagulant",
    Statin => "statin",
    OralSteroid => "oral_steroid",
    Fluoroquinolone => "fluoroquinolone",
    HormonalContraception => "hormonal_contraception",
});

/// The run before the pain began.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    /// Minutes run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<f64>,
    /// Distance in kilometres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// How hard it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity: Option<Intensity>,
    /// Hot or humid weather.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hot: Option<bool>,
    /// Heavy sweating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heavy_sweating: Option<bool>,
    /// Replaced electrolytes during or after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electrolytes: Option<bool>,
    /// Much downhill running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downhill: Option<bool>,
    /// Longer, harder or a different kind of run than usual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unaccustomed: Option<bool>,
}

impl RunReport {
    /// True when nothing is known about the run.
    pub fn is_empty(&self) -> bool {
        *self == RunReport::default()
    }
}

/// Training background.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// How much weekly running volume rose over the last weeks, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_increase_pct: Option<f64>,
    /// A stress fracture before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_stress_fracture: Option<bool>,
    /// Under-fuelling for the training, or missed periods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_energy_availability: Option<bool>,
}

impl Training {
    /// True when nothing is known about training.
    pub fn is_empty(&self) -> bool {
        *self == Training::default()
    }
}

macro_rules! intake_struct {
    ($( $(#[doc = $doc:literal])* $name:ident : $ty:ty ),* $(,)?) => {
        /// What a runner reports about hip or glute soreness (intake version 2).
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Intake {
            $(
                $(#[doc = $doc])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $name: Option<$ty>,
            )*
            /// The run before the pain began.
            #[serde(default, skip_serializing_if = "RunReport::is_empty")]
            pub run: RunReport,
            /// Training background.
            #[serde(default, skip_serializing_if = "Training::is_empty")]
            pub training: Training,
            /// runsore's addition to the contract: dotted paths the runner answered "not sure".
            /// They stay unknown (never "no"), a red flag they could fire stays pending, and the
            /// engine does not ask them again in the same words, so a dialogue moves on.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub not_sure: Vec<String>,
        }

        impl Intake {
            /// The names of the top-level fields, in schema order (for "did you mean").
            pub fn field_names() -> impl Iterator<Item = &'static str> {
                [$(stringify!($name),)* "run", "training", "not_sure"]
                    .into_iter()
                    .map(|name| name.trim_start_matches("r#"))
            }
        }
    };
}

intake_struct! {
    /// Age in years, 10 to 100.
    age: u8,
    /// Sex.
    sex: Sex,
    /// Where it hurts (at least one region, no repeats).
    r#where: Vec<Region>,
    /// Which side.
    sides: Sides,
    /// When it started relative to running.
    onset: Onset,
    /// Began at one sharp moment.
    sudden: bool,
    /// Felt or heard a pop or tearing.
    felt_pop: bool,
    /// Hours from the end of the most recent run until now.
    hours_since_run: f64,
    /// Days since the pain began.
    days_since_onset: f64,
    /// How it is going.
    trend: Trend,
    /// Pain now, 0 to 10.
    pain: u8,
    /// What it feels like.
    feels: Vec<Feel>,
    /// Swelling.
    swelling: bool,
    /// Bruising.
    bruising: bool,
    /// The sore muscle or leg is weak.
    weakness: bool,
    /// Spasms.
    spasms: bool,
    /// Tender to touch.
    tender_to_touch: bool,
    /// Can stand and walk on the leg.
    can_bear_weight: bool,
    /// Limping.
    limping: bool,
    /// Pain at rest.
    pain_at_rest: bool,
    /// Pain at night.
    pain_at_night: bool,
    /// Hopping on the sore side hurts.
    pain_hopping: bool,
    /// Lying on the sore side hurts.
    pain_lying_on_side: bool,
    /// Sitting hurts.
    pain_sitting: bool,
    /// Stairs, hills or standing on one leg hurt.
    pain_stairs: bool,
    /// The hip clicks, catches or locks.
    clicking_locking: bool,
    /// Back pain.
    back_pain: bool,
    /// Pain radiates below the knee.
    radiates_below_knee: bool,
    /// Numbness or tingling.
    numbness_tingling: bool,
    /// Saddle numbness.
    saddle_numbness: bool,
    /// New trouble holding or passing urine or stool.
    bladder_bowel_change: bool,
    /// Dark, tea- or cola-coloured urine.
    dark_urine: bool,
    /// Fever.
    fever: bool,
    /// Muscle cramps.
    muscle_cramps: bool,
    /// Weak or tired all over.
    general_weakness: bool,
    /// Racing, fluttering or skipped heartbeats.
    palpitations: bool,
    /// Chest pain.
    chest_pain: bool,
    /// Breathless at rest or with little effort.
    short_of_breath: bool,
    /// Fainted or nearly fainted.
    fainting: bool,
    /// Headache.
    headache: bool,
    /// Nausea or vomiting.
    nausea_vomiting: bool,
    /// Confused or unusually drowsy.
    confusion: bool,
    /// Shooting nerve pain, pins and needles or numbness newly going down both legs.
    radiates_both_legs: bool,
    /// Fell, or took a hard knock to the hip, pelvis or buttock.
    fall: bool,
    /// One calf or the whole leg is visibly bigger or puffier than the other.
    calf_swelling: bool,
    /// Sat for more than 4 hours in one go in the last 4 weeks.
    long_travel: bool,
    /// Testicle or scrotal pain, sudden one-sided low belly pain, belly pain with a late period,
    /// or a painful hard groin lump.
    belly_or_testicle_pain: bool,
    /// Pregnant, or the period is late or missed.
    pregnant: bool,
    /// A cramping ache at the same effort each time that goes within minutes of standing still.
    eases_within_minutes: bool,
    /// One leg or foot cold and pale, white, blue or mottled at rest.
    cold_pale_leg: bool,
    /// Smokes, or smoked for years.
    smoker: bool,
    /// Lost weight without trying in the last few months.
    weight_loss: bool,
    /// Has had cancer (other than a skin cancer only cut out).
    cancer_history: bool,
    /// Stiff for more than 30 minutes after waking.
    morning_stiffness: bool,
    /// Drank to a plan rather than to thirst, or puffy fingers, face or weight gain.
    drank_a_lot: bool,
    /// Medicines taken now (an empty list means none of these).
    medications: Vec<Medication>,
}

/// A value out of the schema's range, with the field's dotted path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeError {
    /// The dotted path of the field, e.g. `run.minutes`.
    pub field: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

impl Intake {
    /// Checks the ranges that serde's types do not: the schema's minimums and maximums, and
    /// `where` being non-empty without repeats. Returns every problem, not just the first.
    pub fn validate(&self) -> Vec<RangeError> {
        let mut errors = Vec::new();
        // The message is made only for a value out of range: formatting one for every valid
        // value was most of the time a valid intake took to check.
        let mut check = |field: &'static str, ok: bool, message: &dyn Fn() -> String| {
            if !ok {
                errors.push(RangeError {
                    field,
                    message: message(),
                });
            }
        };
        // Every number against its bound, declared once in [`crate::bounds`].
        for (bound, value) in [
            (bounds::AGE, self.age.map(f64::from)),
            (bounds::PAIN, self.pain.map(f64::from)),
            (bounds::HOURS_SINCE_RUN, self.hours_since_run),
            (bounds::DAYS_SINCE_ONSET, self.days_since_onset),
            (bounds::RUN_MINUTES, self.run.minutes),
            (bounds::RUN_DISTANCE_KM, self.run.distance_km),
            (
                bounds::WEEKLY_INCREASE_PCT,
                self.training.weekly_increase_pct,
            ),
        ] {
            if let Some(v) = value {
                check(bound.field, bound.contains(v), &|| bound.message(v));
            }
        }
        if let Some(regions) = &self.r#where {
            check("where", !regions.is_empty(), &|| {
                "must name at least one region".into()
            });
            let mut seen = regions.clone();
            seen.sort();
            seen.dedup();
            check("where", seen.len() == regions.len(), &|| {
                "must not repeat a region".into()
            });
        }
        if let Some(feels) = &self.feels {
            let mut seen = feels.clone();
            seen.sort();
            seen.dedup();
            check("feels", seen.len() == feels.len(), &|| {
                "must not repeat a feeling".into()
            });
        }
        if let Some(meds) = &self.medications {
            let mut seen = meds.clone();
            seen.sort();
            seen.dedup();
            check("medications", seen.len() == meds.len(), &|| {
                "must not repeat a medicine".into()
            });
        }
        for path in &self.not_sure {
            check("not_sure", field(path).is_some(), &|| {
                format!("names `{path}`, which is not an intake field")
            });
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_skips_unknowns() {
        let json = r#"{"where":["buttock"],"onset":"next_day","run":{"hot":true}}"#;
        let intake: Intake = serde_json::from_str(json).unwrap();
        assert_eq!(intake.r#where, Some(vec![Region::Buttock]));
        assert_eq!(serde_json::to_string(&intake).unwrap(), json);
    }

    #[test]
    fn unknown_field_is_rejected() {
        let err = serde_json::from_str::<Intake>(r#"{"wher":["buttock"]}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `wher`"), "{err}");
    }

    #[test]
    fn ranges_are_checked() {
        let intake: Intake = serde_json::from_str(r#"{"age":5,"pain":11,"where":[]}"#).unwrap();
        let fields: Vec<_> = intake.validate().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["age", "pain", "where"]);
    }
}
