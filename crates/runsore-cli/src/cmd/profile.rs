//! `runsore profile`: show or set body mass, sex, birth year and heart-rate anchors (stored),
//! through the app's profile use case (`runsore_app::App::set_profile`).

use clap::{Args, ValueEnum};
use runsore_model::Sex;

/// Show or set what the training figures need about you.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Body mass in kilograms (for the sweat estimate).
    #[arg(long, value_name = "KG")]
    mass: Option<f64>,
    /// Sex (for the heart-rate load constant and potassium needs).
    #[arg(long, value_enum)]
    sex: Option<SexArg>,
    /// Year of birth (for an age-predicted maximum heart rate).
    #[arg(long, value_name = "YEAR")]
    birth_year: Option<i32>,
    /// Maximum heart rate, beats per minute.
    #[arg(long, value_name = "BPM")]
    hr_max: Option<f64>,
    /// Resting heart rate, beats per minute.
    #[arg(long, value_name = "BPM")]
    hr_rest: Option<f64>,
    /// Forget a field (repeatable), e.g. `--clear hr-max`.
    #[arg(long, value_enum, value_name = "FIELD")]
    clear: Vec<Field>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SexArg {
    Female,
    Male,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Field {
    Mass,
    Sex,
    BirthYear,
    HrMax,
    HrRest,
}

impl Cmd {
    /// Runs the subcommand.
    pub fn run(self, ctx: &crate::Ctx) -> anyhow::Result<()> {
        let db = ctx.db_path()?;
        let app = crate::app::open(ctx)?;
        let mut p = app.stored_profile()?;
        let before = p.clone();
        if let Some(v) = self.mass {
            p.body_mass_kg = Some(v);
        }
        if let Some(v) = self.sex {
            p.sex = Some(match v {
                SexArg::Female => Sex::Female,
                SexArg::Male => Sex::Male,
            });
        }
        if let Some(v) = self.birth_year {
            // A runner is at least 10 (the intake's lower bound) and at most 110 years old.
            let year_now = 1970 + ctx.now_utc().div_euclid(31_556_952) as i32;
            if !(year_now - 110..=year_now - 10).contains(&v) {
                return Err(crate::ctx::bad_input(format!(
                    "--birth-year: must be {} to {}, got {v}",
                    year_now - 110,
                    year_now - 10
                )));
            }
            p.birth_year = Some(v);
        }
        if let Some(v) = self.hr_max {
            p.hr_max = Some(v);
        }
        if let Some(v) = self.hr_rest {
            p.hr_rest = Some(v);
        }
        for field in &self.clear {
            match field {
                Field::Mass => p.body_mass_kg = None,
                Field::Sex => p.sex = None,
                Field::BirthYear => p.birth_year = None,
                Field::HrMax => p.hr_max = None,
                Field::HrRest => p.hr_rest = None,
            }
        }
        if p != before {
            // A figure out of range is bad input naming its field.
            app.set_profile(&p)?;
        }
        let text = if ctx.json {
            format!("{}\n", serde_json::to_string_pretty(&p)?)
        } else {
            let show = |v: Option<String>| v.unwrap_or_else(|| "not set".into());
            let sex = p.sex.map(|s| match s {
                Sex::Female => "female".to_string(),
                Sex::Male => "male".to_string(),
            });
            let mut text = format!(
                "body mass   {}\nsex         {}\nbirth year  {}\nHR max      {}\nHR rest     {}\n",
                show(p.body_mass_kg.map(|v| format!("{v} kg"))),
                show(sex),
                show(p.birth_year.map(|v| v.to_string())),
                show(p.hr_max.map(|v| format!("{v} bpm"))),
                show(p.hr_rest.map(|v| format!("{v} bpm"))),
            );
            if p.hr_max.is_none() || p.hr_rest.is_none() || p.body_mass_kg.is_none() {
                text.push_str(
                    "(unset figures are estimated from your runs or given stated defaults; \
                     `runsore load` says which)\n",
                );
            }
            text.push_str(&format!(
                "\nstored in   {} (another place: --db PATH or RUNSORE_DB)\n",
                db.display()
            ));
            text
        };
        out!("{text}");
        Ok(())
    }
}
