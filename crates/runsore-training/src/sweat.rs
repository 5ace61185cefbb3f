//! Sweat loss from a heat balance, the potassium it carries, and food servings that replace it.
//!
//! Model (Gagnon, Jay & Kenny 2013, J Physiol 591:2925, doi:10.1113/jphysiol.2012.248823: whole-body
//! sweat rate is set by the evaporative heat loss required for heat balance, E_req):
//! - metabolic rate from running speed by the ACSM level-running equation, VO2 = 3.5 + 0.2 x speed
//!   (ml/kg/min, speed in m/min; ACSM's Guidelines for Exercise Testing and Prescription), at
//!   20.9 kJ per litre of oxygen; running does almost no external work, so all of it is heat;
//! - without speed, VO2 from the heart-rate reserve fraction (%HRR ~ %VO2R, Swain & Leutholtz 1997,
//!   Med Sci Sports Exerc 29:410) with an assumed VO2max;
//! - dry heat loss (convection + radiation) from skin at 33 C through light running clothing
//!   (0.3 clo), convective coefficient 8.3 v^0.6 W/m2K and radiative 4.7 W/m2K (ASHRAE Fundamentals,
//!   ch. 9), body surface area by DuBois (with height) or Livingston & Lee 2001 (mass only);
//! - respiratory heat loss by Fanger's equations (ASHRAE), humidity assumed 1.5 kPa;
//! - sweat = E_req / 2,426 J/g (latent heat of sweat).
//!
//! Individuals differ widely (Baker 2017, Sports Med 47 S1:111: 0.5 to 2.0 L/h, some above 3), so
//! the estimate is shown with a range of 0.7x to 1.3x. Potassium in sweat 4 to 8 mmol/L (IOM 2005
//! DRI for water and electrolytes: about 4-5; runners 5.9 +/- 0.9, JISSN 2016 13:31; ACSM 2007
//! commonly quoted as 4-8), 39.1 mg per mmol (NIH ODS). Food only: never supplements.

use runsore_model::Sex;
use serde::Serialize;

/// Mass assumed when the profile has none.
pub const ASSUMED_MASS_KG: f64 = 70.0;
/// Temperature assumed when the run recorded none (a temperate day).
pub const ASSUMED_TEMP_C: f64 = 20.0;
/// Aerobic capacity assumed to turn a heart-rate or pace fraction into oxygen uptake.
pub const ASSUMED_VO2MAX: f64 = 50.0;
/// Potassium concentration range in sweat, mmol/L.
pub const SWEAT_K_MMOL_L: (f64, f64) = (4.0, 8.0);
/// Milligrams of potassium per millimole.
pub const K_MG_PER_MMOL: f64 = 39.1;

const KJ_PER_L_O2: f64 = 20.9;
const SKIN_C: f64 = 33.0;
const CLOTHING_M2K_PER_W: f64 = 0.3 * 0.155;
const CLOTHING_AREA_FACTOR: f64 = 1.05;
const RADIATIVE_W_M2K: f64 = 4.7;
const AMBIENT_VAPOUR_KPA: f64 = 1.5;
const LATENT_J_PER_G: f64 = 2426.0;

/// What the sweat estimate needs about one session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweatInput {
    /// Minutes of exercise.
    pub minutes: f64,
    /// Average moving speed, m/s, for running.
    pub speed_mps: Option<f64>,
    /// Fraction of heart-rate reserve (0-1), used when there is no speed.
    pub hrr_fraction: Option<f64>,
    /// Air temperature, degrees Celsius.
    pub temp_c: Option<f64>,
    /// Body mass, kilograms.
    pub body_mass_kg: Option<f64>,
    /// Height, centimetres.
    pub height_cm: Option<f64>,
}

/// Estimated sweat loss of one session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweatEstimate {
    /// Central estimate, litres.
    pub litres: f64,
    /// Low end of the range, litres.
    pub litres_low: f64,
    /// High end of the range, litres.
    pub litres_high: f64,
    /// Litres per hour.
    pub litres_per_hour: f64,
    /// The central estimate as a percentage of body mass.
    pub percent_body_mass: f64,
    /// Potassium lost, low end, mg (central litres x 4 mmol/L).
    pub potassium_mg_low: f64,
    /// Potassium lost, high end, mg (central litres x 8 mmol/L).
    pub potassium_mg_high: f64,
    /// What was assumed because it was not known.
    pub assumptions: Vec<&'static str>,
}

/// Estimates sweat loss and the potassium in it. Never fails: unknown inputs take stated defaults.
pub fn estimate_sweat(input: &SweatInput) -> SweatEstimate {
    let mut assumptions = Vec::new();
    let mass = input.body_mass_kg.unwrap_or_else(|| {
        assumptions.push("body mass assumed 70 kg");
        ASSUMED_MASS_KG
    });
    let temp = input.temp_c.unwrap_or_else(|| {
        assumptions.push("temperature assumed 20 C");
        ASSUMED_TEMP_C
    });
    let minutes = input.minutes.max(0.0);
    let speed = input.speed_mps.filter(|v| v.is_finite() && *v > 0.0);
    let vo2 = match (speed, input.hrr_fraction) {
        (Some(v), _) => 3.5 + 0.2 * v * 60.0,
        (None, Some(f)) => {
            assumptions.push("oxygen uptake from heart rate with VO2max assumed 50 ml/kg/min");
            3.5 + f.clamp(0.0, 1.0) * (ASSUMED_VO2MAX - 3.5)
        }
        (None, None) => {
            assumptions.push("an easy 10 km/h effort assumed");
            3.5 + 0.2 * (10_000.0 / 60.0)
        }
    };
    // Heat: ml/kg/min x kg / 1000 -> L/min, x kJ/L -> kJ/min, / 60 x 1000 -> W.
    let metabolic_w = vo2 * mass * KJ_PER_L_O2 / 60.0;
    let area = match input.height_cm {
        Some(h) => 0.007_184 * mass.powf(0.425) * h.powf(0.725),
        None => 0.1173 * mass.powf(0.6466),
    };
    let air_speed = speed.unwrap_or(1.0).max(0.2);
    let convective = 8.3 * air_speed.powf(0.6);
    let dry_w = area * (SKIN_C - temp)
        / (CLOTHING_M2K_PER_W + 1.0 / (CLOTHING_AREA_FACTOR * (convective + RADIATIVE_W_M2K)));
    let respiratory_w =
        0.0014 * metabolic_w * (34.0 - temp) + 0.0173 * metabolic_w * (5.87 - AMBIENT_VAPOUR_KPA);
    let required_w = (metabolic_w - dry_w - respiratory_w).max(0.0);
    let litres_per_hour = required_w * 3600.0 / LATENT_J_PER_G / 1000.0;
    let litres = litres_per_hour * minutes / 60.0;
    SweatEstimate {
        litres,
        litres_low: litres * 0.7,
        litres_high: litres * 1.3,
        litres_per_hour,
        percent_body_mass: litres / mass * 100.0,
        potassium_mg_low: litres * SWEAT_K_MMOL_L.0 * K_MG_PER_MMOL,
        potassium_mg_high: litres * SWEAT_K_MMOL_L.1 * K_MG_PER_MMOL,
        assumptions,
    }
}

/// A serving of a potassium-rich food (USDA FoodData Central, SR Legacy; public domain).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Food {
    /// The food in plain words.
    pub name: &'static str,
    /// The serving.
    pub serving: &'static str,
    /// Potassium in the serving, mg.
    pub potassium_mg: f64,
    /// FoodData Central id.
    pub fdc_id: u32,
}

/// Potassium-rich foods, per serving: SR Legacy mg/100 g x USDA portion weight (see
/// shared/research/clinical.md section 5). A sports drink has about 30 mg per cup: it is not here.
pub const FOODS: [Food; 8] = [
    food("baked potato with skin", "1 medium (173 g)", 926.0, 170_093),
    food("banana", "1 medium (118 g)", 422.0, 173_944),
    food(
        "sweet potato baked in skin",
        "1 cup (200 g)",
        950.0,
        168_483,
    ),
    food("white beans, boiled", "1 cup (179 g)", 1004.0, 175_203),
    food("lentils, boiled", "1 cup (198 g)", 731.0, 172_421),
    food("orange juice", "1 cup (248 g)", 496.0, 169_098),
    food("coconut water", "1 cup (240 g)", 600.0, 170_174),
    food("avocado", "half a cup, cubed (75 g)", 364.0, 171_705),
];

const fn food(name: &'static str, serving: &'static str, potassium_mg: f64, fdc_id: u32) -> Food {
    Food {
        name,
        serving,
        potassium_mg,
        fdc_id,
    }
}

/// Adequate intake of potassium, mg/day, adults 19+ (NASEM 2019, doi:10.17226/25353): the one for
/// the runner's sex, the lower when unknown, and the words for it.
pub fn adequate_intake_mg(sex: Option<Sex>) -> (f64, &'static str) {
    match sex {
        Some(Sex::Male) => (3400.0, "3,400 mg for men, NASEM 2019"),
        Some(Sex::Female) => (2600.0, "2,600 mg for women, NASEM 2019"),
        None => (
            2600.0,
            "2,600 mg for women and 3,400 mg for men, NASEM 2019",
        ),
    }
}

/// A food and how many servings hold a given amount of potassium.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FoodServings {
    /// The food.
    pub food: Food,
    /// Servings.
    pub servings: f64,
}

/// Potassium lost in one session set against daily needs and food.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PotassiumContext {
    /// Lost, low end, mg.
    pub lost_mg_low: f64,
    /// Lost, high end, mg.
    pub lost_mg_high: f64,
    /// The adequate intake used, mg/day (the lower one when sex is unknown).
    pub adequate_intake_mg: f64,
    /// The adequate intake in words, with its source.
    pub adequate_intake: &'static str,
    /// The high end as a percentage of the adequate intake.
    pub percent_of_daily_high: f64,
    /// Each food and how many servings replace the high end.
    pub foods: Vec<FoodServings>,
    /// One plain sentence.
    pub summary: String,
}

/// Sets a sweat estimate's potassium against the adequate intake and food servings.
pub fn potassium_context(sweat: &SweatEstimate, sex: Option<Sex>) -> PotassiumContext {
    let (ai, ai_text) = adequate_intake_mg(sex);
    let foods = FOODS
        .iter()
        .map(|f| FoodServings {
            food: *f,
            servings: sweat.potassium_mg_high / f.potassium_mg,
        })
        .collect();
    let summary = format!(
        "about {:.0}-{:.0} mg of potassium lost in sweat, up to {:.0}% of a day's adequate intake \
         ({}); one medium baked potato with skin has 926 mg and a banana 422 mg; food replaces \
         it, supplements are not needed",
        round_to(sweat.potassium_mg_low, 10.0),
        round_to(sweat.potassium_mg_high, 10.0),
        sweat.potassium_mg_high / ai * 100.0,
        ai_text
    );
    PotassiumContext {
        lost_mg_low: sweat.potassium_mg_low,
        lost_mg_high: sweat.potassium_mg_high,
        adequate_intake_mg: ai,
        adequate_intake: ai_text,
        percent_of_daily_high: sweat.potassium_mg_high / ai * 100.0,
        foods,
        summary,
    }
}

fn round_to(v: f64, step: f64) -> f64 {
    (v / step).round() * step
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: SweatInput, litres_per_hour: f64, assumed: usize) {
        let e = estimate_sweat(&input);
        assert!(
            (e.litres_per_hour - litres_per_hour).abs() < 0.005,
            "{input:?}: {e:?}"
        );
        assert_eq!(e.assumptions.len(), assumed, "{:?}", e.assumptions);
        assert!((e.litres - litres_per_hour * input.minutes / 60.0).abs() < 0.01);
    }

    #[test]
    fn heat_balance_worked_examples() {
        // 70 kg, 12 km/h (200 m/min): VO2 = 3.5 + 0.2 x 200 = 43.5 ml/kg/min -> 3.045 L/min ->
        // M = 3.045 x 20.9 / 60 kW = 1060.7 W. Area 0.1173 x 70^0.6466 = 1.830 m2.
        // hc = 8.3 x 3.333^0.6 = 17.09; dry = 1.830 x (33 - T) / (0.0465 + 1 / (1.05 x 21.79)).
        // At 20 C: dry = 1.830 x 13 / 0.09021 = 263.7 W; respiratory = 0.0014 x 1060.7 x 14
        // + 0.0173 x 1060.7 x 4.37 = 20.8 + 80.2 = 101.0 W; E_req = 696.0 W -> 1.033 L/h.
        let base = SweatInput {
            minutes: 60.0,
            speed_mps: Some(200.0 / 60.0),
            hrr_fraction: None,
            temp_c: Some(20.0),
            body_mass_kg: Some(70.0),
            height_cm: None,
        };
        check(base, 1.033, 0);
        // At 30 C: dry = 61.0 W, respiratory 86.1 W, E_req 913.6 W -> 1.356 L/h for 90 minutes.
        check(
            SweatInput {
                minutes: 90.0,
                temp_c: Some(30.0),
                ..base
            },
            1.356,
            0,
        );
        // Unknown mass and temperature take 70 kg and 20 C, and say so.
        check(
            SweatInput {
                body_mass_kg: None,
                temp_c: None,
                ..base
            },
            1.033,
            2,
        );
    }

    #[test]
    fn assumption_words_match_the_constants() {
        assert_eq!(ASSUMED_MASS_KG, 70.0);
        assert_eq!(ASSUMED_TEMP_C, 20.0);
        assert_eq!(ASSUMED_VO2MAX, 50.0);
    }

    #[test]
    fn potassium_range_and_foods() {
        // 1.5 L x 4 and 8 mmol/L x 39.1 mg = 234.6 and 469.2 mg; 469.2 / 2600 = 18.0 %.
        let sweat = SweatEstimate {
            litres: 1.5,
            litres_low: 1.05,
            litres_high: 1.95,
            litres_per_hour: 1.0,
            percent_body_mass: 1.5 / 70.0 * 100.0,
            potassium_mg_low: 1.5 * 4.0 * 39.1,
            potassium_mg_high: 1.5 * 8.0 * 39.1,
            assumptions: Vec::new(),
        };
        let k = potassium_context(&sweat, Some(Sex::Female));
        assert!((k.lost_mg_low - 234.6).abs() < 1e-9);
        assert!((k.percent_of_daily_high - 18.05).abs() < 0.01);
        assert_eq!(k.foods[0].food.name, "baked potato with skin");
        assert!((k.foods[1].servings - 469.2 / 422.0).abs() < 1e-9);
        assert!(k.summary.contains("230-470 mg"), "{}", k.summary);
        assert!(
            !k.summary.contains("supplement ") && k.summary.contains("supplements are not needed")
        );
        assert_eq!(adequate_intake_mg(Some(Sex::Male)).0, 3400.0);
    }

    #[test]
    fn food_table_matches_usda_per_100g() {
        // (K mg per 100 g, grams per serving) from SR Legacy; servings rounded to whole mg.
        let per_100g = [
            (535.0, 173.0),
            (358.0, 118.0),
            (475.0, 200.0),
            (561.0, 179.0),
            (369.0, 198.0),
            (200.0, 248.0),
            (250.0, 240.0),
            (485.0, 75.0),
        ];
        for (food, (k, g)) in FOODS.iter().zip(per_100g) {
            assert!((food.potassium_mg - k * g / 100.0).abs() < 1.0, "{food:?}");
        }
    }
}
