//! `runsore check`: red-flag screen, adaptive questions, likely causes, triage and care plan.
//!
//! Three ways in: `--intake FILE|-` (the intake contract), `--story FILE|-` (the runner's own
//! words), or interactive in a terminal. The store's runs fill what the runner left unknown.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use runsore_model::{DerivedEvidence, Intake, Trend};
use runsore_triage::fields::AnswerKind;
use runsore_triage::{Assessment, Question};
use serde_json::{Value, json};

use crate::{Ctx, ctx::bad_input, evidence};

/// Conditions after which pacing advice from the runs is shown.
const PACED: &[&str] = &["doms", "muscle_strain"];

/// Assess sore hips or glutes: red flags first, then the questions that matter, then the likely
/// causes, how urgent it is, what to do and what to expect. Educational, not a diagnosis.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Read the intake (JSON, see intake.schema.json) from FILE, or `-` for standard input.
    #[arg(long, value_name = "FILE")]
    intake: Option<String>,
    /// Read the runner's own words from FILE, or `-` for standard input.
    #[arg(long, value_name = "FILE")]
    story: Option<String>,
    /// Do not use the runs in the store.
    #[arg(long)]
    no_runs: bool,
    /// Save the check-in in the store (interactive checks are always saved).
    #[arg(long)]
    save: bool,
    /// Follow up the open episode: how is it going compared with the expected course? Asks
    /// better/same/worse/gone, the pain now and the red flags again.
    #[arg(long)]
    follow_up: bool,
}

impl Cmd {
    /// Runs the check.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        if self.intake.as_deref() == Some("-") && self.story.as_deref() == Some("-") {
            return Err(bad_input(
                "--intake and --story cannot both read standard input",
            ));
        }
        let interactive = self.intake.is_none() && self.story.is_none();
        if interactive && !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(bad_input(
                "no answers given: pass --intake FILE|- or --story FILE|-, or run in a terminal",
            ));
        }
        let now = ctx.now_utc();
        let derived = if self.no_runs {
            Default::default()
        } else {
            evidence::from_store(ctx, now)?
        };

        let mut understood = None;
        let mut intake_json = json!({});
        if let Some(src) = &self.story {
            let text = read_input(src, "--story")?;
            let mut options = runsore_story::Options::at(now, 0);
            options.red_flag_fields = red_flag_fields(runsore_triage::knowledge());
            let u = runsore_story::read_story_at(&text, &options);
            intake_json = serde_json::to_value(&u.intake)?;
            understood = Some(u);
        }
        if let Some(src) = &self.intake {
            let text = read_input(src, "--intake")?;
            let given = runsore_triage::parse_intake(&text)
                .map_err(|e| bad_input(format!("{src}: {e}")))?;
            merge(&mut intake_json, serde_json::to_value(&given)?);
        }
        let mut intake: Intake =
            serde_json::from_value(intake_json).context("merging the intake")?;

        let kb = runsore_triage::knowledge();
        if self.follow_up {
            return self.run_follow_up(
                ctx,
                intake_json_for_follow_up(&self, &intake)?,
                &derived,
                interactive,
            );
        }
        if interactive {
            intake = dialogue(intake, &derived, false)?;
        }
        let assessment = runsore_triage::assess(kb, &intake, &derived);
        if self.save || interactive {
            evidence::save_checkin(ctx, now, &intake, &derived, &assessment)?;
        }

        // Overload is the usual cause of DOMS and strains: pace the way back from the runs.
        let overload = assessment
            .conditions
            .first()
            .is_some_and(|c| PACED.contains(&&*c.id));
        let pacing = if overload && !self.no_runs {
            evidence::pacing(ctx, now)?
        } else {
            None
        };
        if ctx.json {
            let mut out = serde_json::to_value(&assessment)?;
            if let Some(p) = &pacing {
                out["pacing"] = serde_json::to_value(p)?;
            }
            if let Some(u) = &understood {
                out["understood"] = serde_json::to_value(&u.intake)?;
                out["understood_from"] = serde_json::to_value(&u.evidence)?;
            }
            outln!("{}", serde_json::to_string_pretty(&out)?);
        } else {
            if let Some(u) = &understood {
                outln!("{}", runsore_story::render_understood(u));
            }
            out!("{}", runsore_triage::render_text(&assessment));
            if let Some(p) = &pacing {
                outln!("\nPacing your way back (from your recorded runs)");
                for line in &p.advice {
                    outln!("  - {line}");
                }
            }
        }
        Ok(())
    }
}

impl Cmd {
    fn run_follow_up(
        &self,
        ctx: &Ctx,
        given: Value,
        derived: &DerivedEvidence,
        interactive: bool,
    ) -> anyhow::Result<()> {
        let kb = runsore_triage::knowledge();
        let Some(store) = crate::evidence::open_existing(ctx)? else {
            return Err(bad_input(
                "no open episode to follow up: run `runsore check` first",
            ));
        };
        let history = crate::followup::open_episode(&store)?;
        let mut merged = crate::followup::carried_intake(kb, &history)?;
        merge(&mut merged, given);
        let mut answers: Intake =
            serde_json::from_value(merged).context("merging the follow-up answers")?;
        if interactive {
            answers = ask_follow_up(answers)?;
            answers = dialogue(answers, derived, true)?;
        }
        let result = crate::followup::follow_up(ctx, &store, &history, &answers, derived)?;
        if ctx.json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&crate::followup::to_json(&result)?)?
            );
        } else {
            out!("{}", crate::followup::render(&result));
        }
        Ok(())
    }
}

/// The answers given for a follow-up (story and intake merged), as JSON.
fn intake_json_for_follow_up(_cmd: &Cmd, intake: &Intake) -> anyhow::Result<Value> {
    Ok(serde_json::to_value(intake)?)
}

/// Asks how it is going and the pain now.
fn ask_follow_up(mut intake: Intake) -> anyhow::Result<Intake> {
    use dialoguer::{Select, theme::ColorfulTheme};
    let theme = ColorfulTheme::default();
    let trends = [Trend::Better, Trend::Same, Trend::Worse, Trend::Gone];
    let i = Select::with_theme(&theme)
        .with_prompt("Since the last check, is it better, the same, worse, or gone?")
        .items(["better", "the same", "worse", "gone"])
        .default(0)
        .interact()?;
    intake.trend = Some(trends[i]);
    let pain = Question {
        field: "pain".into(),
        text: "How bad is the pain right now, from 0 (none) to 10 (worst imaginable)?".into(),
        answer: AnswerKind::Integer,
        options: &[],
        red_flag: false,
        could_change: 0.0,
    };
    if let Some(v) = ask_number(&theme, &pain.text, &pain)? {
        intake.pain = v.as_u64().and_then(|p| u8::try_from(p.min(10)).ok());
    }
    Ok(intake)
}

/// Reads a file or standard input (`-`) as UTF-8 text; `flag` names the option in errors.
pub fn read_input(src: &str, flag: &str) -> anyhow::Result<String> {
    let mut text = String::new();
    if src == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| bad_input(format!("{flag} -: cannot read standard input: {e}")))?;
    } else {
        let path = PathBuf::from(src);
        text = std::fs::read_to_string(&path)
            .map_err(|e| bad_input(format!("{flag} {}: {e}", path.display())))?;
    }
    Ok(text)
}

/// Copies every field of `from` into `into`, objects merged key by key (the later answer wins).
fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v,
    }
}

/// Sets an intake field by its dotted path.
fn set_path(intake: &mut Value, field: &str, value: Value) {
    let mut node = intake;
    let parts: Vec<&str> = field.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        node = node
            .as_object_mut()
            .expect("intake nodes are objects")
            .entry(part.to_string())
            .or_insert_with(|| json!({}));
    }
    node[parts[parts.len() - 1]] = value;
}

/// Asks the engine's questions one at a time, best first, until no answer would change the
/// outcome. Skipping a question leaves it unknown and moves on.
fn dialogue(
    mut intake: Intake,
    derived: &DerivedEvidence,
    red_flags_only: bool,
) -> anyhow::Result<Intake> {
    let theme = dialoguer::theme::ColorfulTheme::default();
    let kb = runsore_triage::knowledge();
    let mut skipped: Vec<String> = Vec::new();
    eprintln!(
        "runsore: a few questions about your sore hip or glutes. Educational, not a diagnosis."
    );
    eprintln!("Use the arrow keys and Enter; choose 'skip' when you do not know.\n");
    // Where and when come first, as on the web app's body map: every later question, the
    // red-flag screen included, depends on them.
    if !red_flags_only {
        for field in ["where", "onset"] {
            let known = serde_json::to_value(&intake)?.get(field).is_some();
            if let (false, Some(spec)) = (known, runsore_triage::find_question(field)) {
                let options = runsore_triage::fields::field_kind(field).map_or(&[][..], |(_, o)| o);
                let q = Question {
                    field: field.into(),
                    text: spec.question.as_str().into(),
                    answer: spec.answer,
                    options,
                    red_flag: false,
                    could_change: 1.0,
                };
                if let Some(value) = ask(&theme, &q)? {
                    let mut json = serde_json::to_value(&intake)?;
                    set_path(&mut json, field, value);
                    intake = runsore_triage::parse_intake(&json.to_string())?;
                }
            }
        }
    }
    loop {
        let assessment: Assessment = runsore_triage::assess(kb, &intake, derived);
        let Some(q) = assessment
            .questions
            .iter()
            .find(|q| !skipped.iter().any(|f| q.field == *f) && (q.red_flag || !red_flags_only))
            .cloned()
        else {
            break;
        };
        let answer = ask(&theme, &q)?;
        match answer {
            Some(value) => {
                let mut json = serde_json::to_value(&intake)?;
                set_path(&mut json, &q.field, value);
                match runsore_triage::parse_intake(&json.to_string()) {
                    Ok(next) => intake = next,
                    Err(e) => {
                        eprintln!("  that answer was not accepted: {e}");
                        skipped.push(q.field.to_string());
                    }
                }
            }
            None => skipped.push(q.field.to_string()),
        }
    }
    Ok(intake)
}

/// Asks one question in the terminal; `None` when the runner skips it.
fn ask(theme: &dialoguer::theme::ColorfulTheme, q: &Question) -> anyhow::Result<Option<Value>> {
    use dialoguer::{MultiSelect, Select};
    let prompt = if q.red_flag {
        format!("{} (safety check)", q.text)
    } else {
        q.text.to_string()
    };
    Ok(match q.answer {
        AnswerKind::YesNo => {
            let i = Select::with_theme(theme)
                .with_prompt(&prompt)
                .items(["yes", "no", "skip"])
                .default(0)
                .interact()?;
            [Some(json!(true)), Some(json!(false)), None][i].clone()
        }
        AnswerKind::OneOf => {
            let mut items: Vec<String> = q.options.iter().map(|o| o.replace('_', " ")).collect();
            items.push("skip".into());
            let i = Select::with_theme(theme)
                .with_prompt(&prompt)
                .items(&items)
                .default(0)
                .interact()?;
            q.options.get(i).map(|o| json!(o))
        }
        AnswerKind::AnyOf => {
            let items: Vec<String> = q.options.iter().map(|o| o.replace('_', " ")).collect();
            let picked = MultiSelect::with_theme(theme)
                .with_prompt(format!(
                    "{prompt} (space to pick, Enter to confirm; none picked = skip)"
                ))
                .items(&items)
                .interact()?;
            (!picked.is_empty())
                .then(|| json!(picked.iter().map(|&i| q.options[i]).collect::<Vec<_>>()))
        }
        AnswerKind::Integer | AnswerKind::Number => ask_number(theme, &prompt, q)?,
    })
}

fn ask_number(
    theme: &dialoguer::theme::ColorfulTheme,
    prompt: &str,
    q: &Question,
) -> anyhow::Result<Option<Value>> {
    let text: String = dialoguer::Input::with_theme(theme)
        .with_prompt(format!("{prompt} (a number, or Enter to skip)"))
        .allow_empty(true)
        .validate_with(|s: &String| -> Result<(), String> {
            if s.trim().is_empty()
                || s.trim()
                    .parse::<f64>()
                    .is_ok_and(|v| v.is_finite() && v >= 0.0)
            {
                Ok(())
            } else {
                Err("type a number such as 3 or 2.5, or leave it empty".into())
            }
        })
        .interact_text()?;
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v: f64 = t.parse().expect("validated above");
    Ok(Some(if q.answer == AnswerKind::Integer {
        json!(v.round() as i64)
    } else {
        json!(v)
    }))
}

/// The intake fields whose finding alone fires a red flag (a rule of one clause), from the
/// knowledge base: the story reader marks the words behind them, for the runner to confirm.
fn red_flag_fields(kb: &runsore_triage::KnowledgeBase) -> std::collections::BTreeSet<String> {
    kb.red_flags
        .iter()
        .filter(|r| r.when.len() == 1)
        .flat_map(|r| r.when[0].iter())
        .filter_map(|lit| {
            let id = lit.trim_start_matches('!');
            kb.findings
                .iter()
                .find(|f| f.id == id)
                .map(|f| f.field.clone())
        })
        .collect()
}
