//! The intake: what a runner reports, in the shape of `intake.schema.json` (version 1).
//!
//! Every field is optional and `None` means unknown, never "no". Unknown fields are rejected by
//! serde (`deny_unknown_fields`); the edge that parses JSON turns that into a message naming the
//! nearest known field. Range checks live in [`Intake::validate`], against the
//! bounds of [`crate::bounds`].

use serde::{Deserialize, Serialize};

use crate::bounds;

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
}

impl Region {
    /// All regions in schema order.
    pub const ALL: [Region; 8] = [
        Region::Buttock,
        Region::SideOfHip,
        Region::Groin,
        Region::FrontOfHip,
        Region::SitBone,
        Region::LowerBack,
        Region::BackOfThigh,
        Region::BelowKnee,
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
        /// What a runner reports about hip or glute soreness (intake version 1).
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
        }

        impl Intake {
            /// The names of the top-level fields, in schema order (for "did you mean").
            pub fn field_names() -> impl Iterator<Item = &'static str> {
                [$(stringify!($name),)* "run", "training"]
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
        let mut check = |field: &'static str, ok: bool, message: String| {
            if !ok {
                errors.push(RangeError { field, message });
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
                check(bound.field, bound.contains(v), bound.message(v));
            }
        }
        if let Some(regions) = &self.r#where {
            check(
                "where",
                !regions.is_empty(),
                "must name at least one region".into(),
            );
            let mut seen = regions.clone();
            seen.sort();
            seen.dedup();
            check(
                "where",
                seen.len() == regions.len(),
                "must not repeat a region".into(),
            );
        }
        if let Some(feels) = &self.feels {
            let mut seen = feels.clone();
            seen.sort();
            seen.dedup();
            check(
                "feels",
                seen.len() == feels.len(),
                "must not repeat a feeling".into(),
            );
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
