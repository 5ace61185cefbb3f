//! `runsore check`: red-flag screen, adaptive questions, likely causes, triage and care plan.
//!
//! Three ways in: `--intake FILE|-` (the intake contract), `--story FILE|-` (the runner's own
//! words), or interactive in a terminal. The store's runs fill what the runner left unknown.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use runsore_model::{DerivedEvidence, Intake};
use runsore_triage::fields::AnswerKind;
use runsore_triage::{Assessment, Question};
use serde_json::{Value, json};

use crate::prompt::{Prompt, Step};
use crate::{Ctx, ctx::bad_input};

/// Assess sore hips or glutes: red flags first, then the questions that matter, then the likely
/// causes, how urgent it is, what to do and what to expect. Educational, not a diagnosis.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Read the intake from FILE, or `-` for standard input: JSON as described by the schema that
    /// `--schema` prints (schema/intake.schema.json in the source, contract version 2).
    #[arg(long, value_name = "FILE")]
    intake: Option<String>,
    /// Print the intake's JSON Schema (schema/intake.schema.json, generated from the field
    /// table) and exit.
    #[arg(long, conflicts_with_all = ["intake", "story", "follow_up", "save"])]
    schema: bool,
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
    /// Show everything: the other causes, the full care plan, the expected course, the evidence
    /// notes and sources (the default is one screen).
    #[arg(long)]
    full: bool,
}

impl Cmd {
    /// Runs the check.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        if self.schema {
            crate::out!("{}", runsore_model::schema::intake_schema().to_pretty());
            return Ok(());
        }
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
        let use_runs = !self.no_runs;
        let app = crate::app::open_existing(ctx)?;
        let derive = |intake: &Intake| -> anyhow::Result<DerivedEvidence> {
            match (&app, use_runs) {
                (Some(app), true) => Ok(app.evidence(now, intake)?),
                _ => Ok(DerivedEvidence::default()),
            }
        };

        // The runner's words are read as at the time of the check, in their local time, through
        // the app layer (so "since Sunday" is the same day here as on the web).
        let read_words = |text: &str| -> anyhow::Result<runsore_story::Understood> {
            match &app {
                Some(app) => Ok(app.read_story(text, now)?),
                None => Ok(runsore_app::read_story(text, now, 0)),
            }
        };
        let mut understood = None;
        let mut intake = Intake::default();
        if let Some(src) = &self.story {
            let text = read_input(src, "--story")?;
            let u = read_words(&text)?;
            intake = u.intake.clone();
            understood = Some(u);
        }
        if let Some(src) = &self.intake {
            let text = read_input(src, "--intake")?;
            let given = runsore_triage::parse_intake(&text)
                .map_err(|e| bad_input(format!("{src}: {e}")))?;
            // The answers given win over what was read from the words.
            intake = runsore_app::merge_intake(&intake, &given).context("merging the intake")?;
        }

        let mut derived = derive(&intake)?;
        if self.follow_up {
            let Some(app) = &app else {
                return Err(bad_input(
                    "no open episode to follow up: run `runsore check` first",
                ));
            };
            let result = run_follow_up(
                ctx,
                app,
                &intake,
                &derived,
                interactive,
                use_runs,
                &read_words,
            )?;
            if ctx.json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&crate::followup::to_json(&result)?)?
                );
            } else {
                let colour =
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                out!("{}", crate::followup::render(&result, self.full, colour));
            }
            return Ok(());
        }
        if interactive {
            let (answered, words) = dialogue(intake, &derive, &read_words, false)?;
            intake = answered;
            understood = words;
            // The answers about when it began point at the run that explains it.
            derived = derive(&intake)?;
        }
        let checked = runsore_app::checked(intake, derived);
        if self.save || interactive {
            match &app {
                Some(app) => app.save_checkin(&checked, now)?,
                None => crate::app::open(ctx)?.save_checkin(&checked, now)?,
            };
        }
        // Overload is the usual cause of DOMS and strains: pace the way back from the runs.
        let report = match &app {
            Some(app) => app.report(&checked, now, use_runs)?,
            None => runsore_app::CheckReport {
                assessment: checked.assessment.clone(),
                pacing: None,
                runs_evidence: Vec::new(),
            },
        };
        let runsore_app::Checked {
            assessment,
            intake,
            derived,
        } = checked;
        let pacing = report.pacing.clone();
        if ctx.json {
            let mut out = serde_json::to_value(&report)?;
            if let Some(u) = &understood {
                out["understood"] = serde_json::to_value(&u.intake)?;
                out["understood_from"] = serde_json::to_value(&u.evidence)?;
            }
            outln!("{}", serde_json::to_string_pretty(&out)?);
        } else {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let words = understood
                .as_ref()
                .map(|u| crate::result::understood_words(u, &intake))
                .unwrap_or_default();
            let input = crate::result::Input {
                assessment: &assessment,
                intake: &intake,
                derived: &derived,
                pacing: pacing.as_ref(),
                understood: words,
            };
            let opts = crate::result::Options {
                full: self.full,
                colour,
            };
            out!("{}", crate::result::render(&input, &opts));
        }
        Ok(())
    }
}

/// A follow-up of the open episode: the carried answers with today's laid over them (and, in a
/// terminal, the questions asked), then the use case.
fn run_follow_up(
    ctx: &Ctx,
    app: &runsore_app::App,
    given: &Intake,
    derived: &DerivedEvidence,
    interactive: bool,
    use_runs: bool,
    read_words: &ReadWords<'_>,
) -> anyhow::Result<runsore_app::FollowUp> {
    let start = app.follow_up_start(None)?;
    let mut answers = runsore_app::merge_intake(&start.carried, given)?;
    if interactive {
        // Which episode this is about comes first: the questions that follow are about it.
        let episode = &start.episode.episode;
        let p = Prompt::new();
        p.say(&format!(
            "runsore: following up episode {}{}, opened {} UTC. Educational, not a diagnosis.",
            episode.id,
            episode
                .title
                .as_deref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default(),
            crate::fmt::datetime(episode.opened_utc)
        ))?;
        p.say("How it is going, the pain now, then the warning signs again. Esc goes back.\n")?;
        answers = ask_follow_up(answers)?;
        let fixed = derived.clone();
        answers = dialogue(
            answers,
            &move |_: &Intake| Ok(fixed.clone()),
            read_words,
            true,
        )?
        .0;
    }
    Ok(app.follow_up(&start, &answers, ctx.now_utc(), use_runs)?)
}

/// Asks how it is going and the pain now, in the model's and the knowledge base's words (the
/// web's follow-up form shows the same choices); nothing pre-selected, Esc goes back.
fn ask_follow_up(mut intake: Intake) -> anyhow::Result<Intake> {
    let p = Prompt::new();
    let question = |field: &str, fallback: &str| {
        runsore_triage::find_question(field)
            .map_or_else(|| fallback.to_string(), |q| q.question.clone())
    };
    let trend = runsore_model::field(runsore_model::paths::TREND)
        .context("the model declares the trend")?;
    let items: Vec<String> = trend
        .choices
        .iter()
        .map(|c| c.label.to_lowercase())
        .collect();
    let trend_q = question(runsore_model::paths::TREND, trend.label);
    let pain_q = question(
        runsore_model::paths::PAIN,
        "How bad is the pain right now (0 to 10)?",
    );
    loop {
        let Step::Answer(i) = p.choose(&trend_q, &items)? else {
            continue;
        };
        intake.trend = Some(serde_json::from_value(json!(trend.choices[i].id))?);
        match p.number(&pain_q, 0.0, 10.0)? {
            Step::Back => continue,
            Step::Answer(v) => {
                intake.pain = v.map(|v| v.round() as u8);
                return Ok(intake);
            }
        }
    }
}

/// The most bytes `--story` or `--intake` reads: a story is a few paragraphs and an intake a few
/// kilobytes. A 10 MB story once ran for minutes and `--story /dev/zero` until memory ran out.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024;

/// Reads a file or standard input (`-`) as UTF-8 text, at most [`MAX_INPUT_BYTES`]; `flag` names
/// the option in errors.
pub fn read_input(src: &str, flag: &str) -> anyhow::Result<String> {
    let (label, reader): (String, Box<dyn Read>) = if src == "-" {
        (format!("{flag} -"), Box::new(std::io::stdin()))
    } else {
        let path = PathBuf::from(src);
        let label = format!("{flag} {}", path.display());
        let file = std::fs::File::open(&path).map_err(|e| bad_input(format!("{label}: {e}")))?;
        (label, Box::new(file))
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad_input(format!("{label}: cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(bad_input(format!(
            "{label}: longer than {} KiB; a story or an intake is a few paragraphs",
            MAX_INPUT_BYTES / 1024
        )));
    }
    String::from_utf8(bytes).map_err(|e| bad_input(format!("{label}: not UTF-8 text: {e}")))
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

/// Where the dialogue is: everything a step back must restore.
#[derive(Clone)]
struct State {
    intake: Intake,
    skipped: Vec<String>,
    story_done: bool,
    understood: Option<runsore_story::Understood>,
    /// Red-flag fields read from the runner's words, to be confirmed: (field, the words).
    to_confirm: Vec<(String, String)>,
    /// How many of the dialogue's questions were answered or skipped.
    asked: usize,
}

/// Derived evidence for an intake (the run that explains the soreness depends on its timing).
type Derive<'a> = dyn Fn(&Intake) -> anyhow::Result<DerivedEvidence> + 'a;

/// The runner's words read as at the time of the check.
type ReadWords<'a> = dyn Fn(&str) -> anyhow::Result<runsore_story::Understood> + 'a;

/// The dialogue: the runner's own words first (optional), the red flags read from them asked
/// back in one checklist, then where and when, then the engine's questions one at a time, best
/// first, until no answer would change the outcome. "Not sure" leaves a field unknown; Esc or
/// Backspace goes back one question.
fn dialogue(
    intake: Intake,
    derive: &Derive<'_>,
    read_words: &ReadWords<'_>,
    red_flags_only: bool,
) -> anyhow::Result<(Intake, Option<runsore_story::Understood>)> {
    let p = Prompt::new();
    // A follow-up said what it is about before its first question.
    if !red_flags_only {
        p.say(
            "runsore: a few questions about your sore hip or glutes. Educational, not a diagnosis.",
        )?;
        p.say("Nothing is chosen for you: pick an answer, or 'not sure'. Esc goes back.\n")?;
    }
    let mut state = State {
        intake,
        skipped: Vec::new(),
        story_done: red_flags_only,
        understood: None,
        to_confirm: Vec::new(),
        asked: 0,
    };
    let mut undo: Vec<State> = Vec::new();
    loop {
        let before = state.clone();
        let step = next_step(&p, &mut state, derive, read_words, red_flags_only)?;
        match step {
            None => break,
            Some(true) => undo.push(before),
            Some(false) => {
                // Back: the state before the previous answer (at the first question, stay).
                state = undo.pop().unwrap_or(before);
            }
        }
    }
    Ok((state.intake, state.understood))
}

/// Asks the next question and applies the answer to `state`. `None` when there is nothing left
/// to ask, `Some(true)` when answered, `Some(false)` when the runner went back.
fn next_step(
    p: &Prompt,
    state: &mut State,
    derive: &Derive<'_>,
    read_words: &ReadWords<'_>,
    red_flags_only: bool,
) -> anyhow::Result<Option<bool>> {
    if !state.story_done {
        let q = "In your own words: what hurts, since when, and what happened? (optional)";
        let Step::Answer(text) = p.text(
            q,
            "type and press Enter, or just Enter to go to the questions",
        )?
        else {
            return Ok(Some(false));
        };
        state.story_done = true;
        if !text.is_empty() {
            let u = read_words(&text)?;
            // The red flags are kept out until confirmed: a reading of words is not an answer.
            let (intake, mentioned) = runsore_app::without_signs_to_confirm(&u);
            state.to_confirm = mentioned.into_iter().map(|m| (m.field, m.words)).collect();
            state.intake = intake;
            state.understood = Some(u);
        }
        return Ok(Some(true));
    }
    if !state.to_confirm.is_empty() {
        let items: Vec<String> = state
            .to_confirm
            .iter()
            .map(|(field, words)| {
                let q = runsore_triage::find_question(field)
                    .map_or_else(|| field.replace(['_', '.'], " "), |s| s.question.clone());
                format!("{q} (you wrote: \"{words}\")")
            })
            .collect();
        let q = "You mentioned these warning signs. Is each one right?";
        let Step::Answer(answers) = p.checklist(q, &items)? else {
            return Ok(Some(false));
        };
        let mut json = serde_json::to_value(&state.intake)?;
        for ((field, _), answer) in state.to_confirm.iter().zip(answers) {
            // Not sure stays unknown: the engine may ask it again in other words.
            if let Some(b) = answer {
                set_path(&mut json, field, json!(b));
            }
        }
        state.intake = runsore_triage::parse_intake(&json.to_string())?;
        state.to_confirm.clear();
        return Ok(Some(true));
    }
    // The one rule of every front end (runsore_app::dialogue): where and when first, then the
    // engine's best question with something still open, until the result is due.
    let progress = runsore_app::dialogue::Progress {
        skipped: &state.skipped,
        asked: state.asked,
        red_flags_only,
    };
    let derived = derive(&state.intake)?;
    let assessment: Assessment = runsore_app::checked(state.intake.clone(), derived).assessment;
    let next = runsore_app::dialogue::next_question(&assessment, &state.intake, &progress);
    let Some(q) = next else {
        return Ok(None);
    };
    state.asked += 1;
    if !q.fields.is_empty() {
        // A checklist (the safety screen, a red flag's ticks, or "which of these fit?"): yes and
        // no are answers; "not sure" goes to the intake's `not_sure` list, so the engine moves
        // on and may ask it in other words.
        let items: Vec<String> = q.items.iter().map(|i| i.to_string()).collect();
        let prompt = if q.red_flag {
            format!("{} (safety check)", q.text)
        } else {
            q.text.to_string()
        };
        let Step::Answer(answers) = p.checklist(&prompt, &items)? else {
            return Ok(Some(false));
        };
        let mut json = serde_json::to_value(&state.intake)?;
        let mut not_sure = Vec::new();
        for (field, answer) in q.fields.iter().zip(answers) {
            match answer {
                Some(b) => set_path(&mut json, field, json!(b)),
                None => not_sure.push(field.to_string()),
            }
        }
        state.intake = runsore_triage::parse_intake(&json.to_string())?;
        for field in not_sure {
            if !state.intake.not_sure.contains(&field) {
                state.intake.not_sure.push(field);
            }
        }
        return Ok(Some(true));
    }
    let Step::Answer(answer) = ask(p, &q)? else {
        return Ok(Some(false));
    };
    match answer {
        Some(value) => {
            let mut json = serde_json::to_value(&state.intake)?;
            set_path(&mut json, &q.field, value);
            match runsore_triage::parse_intake(&json.to_string()) {
                Ok(next) => state.intake = next,
                Err(e) => {
                    p.say(&format!("  that answer was not accepted: {e}"))?;
                    state.skipped.push(q.field.to_string());
                }
            }
        }
        None => state.skipped.push(q.field.to_string()),
    }
    Ok(Some(true))
}

/// Asks one question in the terminal; `Answer(None)` when the runner is not sure.
fn ask(p: &Prompt, q: &Question) -> anyhow::Result<Step<Option<Value>>> {
    let prompt = if q.red_flag {
        format!("{} (safety check)", q.text)
    } else {
        q.text.to_string()
    };
    // The model's words for a choice, as the web's forms show them.
    let meta = runsore_model::field(&q.field);
    let words = |o: &str| {
        meta.and_then(|m| m.choice_label(o))
            .map_or_else(|| o.replace('_', " "), str::to_lowercase)
    };
    Ok(match q.answer {
        AnswerKind::YesNo => match p.yes_no(&prompt)? {
            Step::Answer(b) => Step::Answer(b.map(|b| json!(b))),
            Step::Back => Step::Back,
        },
        AnswerKind::OneOf => {
            let mut items: Vec<String> = q.options.iter().map(|o| words(o)).collect();
            items.push("not sure".into());
            match p.choose(&prompt, &items)? {
                Step::Answer(i) => Step::Answer(q.options.get(i).map(|o| json!(o))),
                Step::Back => Step::Back,
            }
        }
        AnswerKind::AnyOf => {
            let items: Vec<String> = q.options.iter().map(|o| words(o)).collect();
            // "None of these" (an empty list) is an answer where the model says so; nothing
            // picked stays "not sure".
            let none = meta.and_then(|m| m.none);
            match p.choose_many(&prompt, &items, none)? {
                Step::Answer(picked) if picked == [items.len()] => Step::Answer(Some(json!([]))),
                Step::Answer(picked) => Step::Answer(
                    (!picked.is_empty())
                        .then(|| json!(picked.iter().map(|&i| q.options[i]).collect::<Vec<_>>())),
                ),
                Step::Back => Step::Back,
            }
        }
        AnswerKind::Integer | AnswerKind::Number => match p.number(&prompt, 0.0, 100_000.0)? {
            Step::Answer(v) => Step::Answer(v.map(|v| {
                if q.answer == AnswerKind::Integer {
                    json!(v.round() as i64)
                } else {
                    json!(v)
                }
            })),
            Step::Back => Step::Back,
        },
    })
}
