//! The assessment: what `assess` returns and the JSON contract front ends read
//! (`triage`, ordered `conditions`, `questions` best first, red flags, care, course, sources).

use runsore_model::{DerivedEvidence, DerivedFinding, Intake, paths};
use serde::Serialize;

use crate::engine::{self, State};
use crate::fields::{AnswerKind, field_kind};
use crate::kb::{ConditionInfo, KnowledgeBase, MAX_CONDITIONS, Triage};
use crate::shared::{Shared, Text};

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The runner answered it.
    Runner,
    /// It was read from the runner's recorded runs.
    Runs,
}

/// One finding's effect on one condition. Serialised as its public fields (`info_json.rs`: from
/// JSON written once per knowledge base when it is the knowledge base's own, unchanged).
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// Finding id.
    pub finding: Text,
    /// The finding in plain words, as answered ("swelling" or "no swelling").
    pub text: Text,
    /// The intake field it came from.
    pub field: Text,
    /// Likelihood ratio of the answer for this condition.
    pub likelihood_ratio: f64,
    /// Change to the condition's log-odds after tempering.
    pub effect: f64,
    /// Who supplied the answer.
    pub from: Origin,
    /// For answers from the runs: the sentence saying which run and figure.
    pub because: Option<String>,
    /// The source behind the link, when there is one.
    pub source: Option<Text>,
    /// True when the link's strength is an estimate.
    pub estimate: bool,
    /// The JSON of this finding's effect on this condition as the runner's own answer, written
    /// once per knowledge base (`None` for an answer read from the runs).
    pub(crate) kept: Option<crate::info_json::KeptReason>,
}

/// A ranked condition. Serialised as its public fields (`info_json.rs`: from JSON written once
/// per knowledge base for an unexplained one, which has no reasons and only a few possible
/// probabilities and levels).
#[derive(Debug, Clone, PartialEq)]
pub struct RankedCondition {
    /// Contract id.
    pub id: Text,
    /// Name in plain words.
    pub name: Text,
    /// Probability, 0 to 1.
    pub probability: f64,
    /// Its triage level given the severity findings.
    pub triage: Triage,
    /// Findings that raised it, strongest first; empty for a condition under
    /// [`EXPLAINED_MIN_PROBABILITY`]. Serialised as `for`.
    pub for_: Vec<Reason>,
    /// Findings that lowered it, strongest first; empty for a condition under
    /// [`EXPLAINED_MIN_PROBABILITY`].
    pub against: Vec<Reason>,
    /// The JSON of an unexplained condition at this probability and level, written once per
    /// knowledge base (`None` for an explained one).
    pub(crate) kept: Option<crate::info_json::KeptCondition>,
}

/// The probability (as rounded in the assessment) from which a condition is listed with its
/// reasons: below it, a cause rounds to 0% and no front end shows it. Its reasons are left out
/// of the assessment: they were two thirds of the answer's bytes, for causes nobody reads.
pub const EXPLAINED_MIN_PROBABILITY: f64 = 0.005;

/// A question still worth asking: one field, or a checklist of yes/no fields asked at once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// The intake field's dotted path (for a checklist: its first field).
    pub field: Text,
    /// A checklist's yes/no fields, in order: ticked items are set to true, unticked ones to
    /// false, "not sure" ones go to the intake's `not_sure` list. Empty for a plain question.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Text>,
    /// A checklist's plain-language items: `items[i]` describes `fields[i]`, already filtered
    /// to the runner's sex and age where known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Text>,
    /// True for the safety checklist that opens every dialogue.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub safety: bool,
    /// The wording.
    pub text: Text,
    /// How it is answered.
    pub answer: AnswerKind,
    /// Allowed values for one-of and any-of answers.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub options: &'static [&'static str],
    /// True for red-flag screening.
    pub red_flag: bool,
    /// The chance that the answer changes the leading condition or the triage.
    pub could_change: f64,
}

/// A red flag that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiredRedFlag {
    /// Rule id.
    pub id: Text,
    /// Minimum level it sets.
    pub level: Triage,
    /// Why it matters.
    pub why: Text,
    /// What to do.
    pub action: Text,
    /// Sources.
    pub sources: Shared<[String]>,
}

/// A red flag not yet ruled out where the picture makes it possible.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingRedFlag {
    /// Rule id.
    pub id: Text,
    /// The level it would set.
    pub level: Triage,
    /// Why it matters.
    pub why: Text,
    /// The intake fields whose answers are needed.
    pub fields: Vec<Text>,
}

/// Whether the safety questions are answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Safety {
    /// True when every field of the screen (the safety checklist items that apply to this runner,
    /// and the `always_ask` fields) has a yes or no.
    pub complete: bool,
    /// The safety fields still without a yes or no ("not sure" included).
    pub unanswered: Vec<Text>,
    /// What a front end leads with instead of any reassurance: set while the screen is
    /// incomplete and the known findings call for less than urgent care.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<Text>,
}

/// Care plan, course and when to get help for one likely condition. Serialised as its fields
/// with the condition's information flattened in (`info_json.rs`: from JSON written once when it
/// is the knowledge base's own, unchanged).
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    /// Probability.
    pub probability: f64,
    /// Severity labels that apply.
    pub severity: Vec<Text>,
    /// True for a look-alike that is not running soreness at all.
    pub not_running_soreness: bool,
    /// Set when the final triage is more urgent than this condition's own level: the care plan
    /// is withheld (empty `care`) and this says why; what to do now follows the final level.
    pub care_deferred: Option<Text>,
    /// Summary, course, care, what not to do, when to get help, evidence notes, sources.
    pub info: Shared<ConditionInfo>,
}

/// The result of one assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The triage level: never below what a fired red flag demands.
    pub triage: Triage,
    /// What to do now at this level.
    pub what_to_do_now: String,
    /// The conditions, most likely first.
    pub conditions: Vec<RankedCondition>,
    /// Unanswered questions worth asking, best first; red-flag screening first.
    pub questions: Vec<Question>,
    /// Red flags that fired.
    pub red_flags: Vec<FiredRedFlag>,
    /// Red flags still to rule out.
    pub pending_red_flags: Vec<PendingRedFlag>,
    /// "Answer these before relying on this result", when an unanswered red flag is plausible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_note: Option<String>,
    /// Whether the safety questions are answered; while not, front ends lead with its headline.
    pub safety: Safety,
    /// Care, course and when to get help for the likely condition(s).
    pub advice: Vec<Advice>,
    /// The answers read from the runner's runs.
    pub from_runs: Vec<DerivedFinding>,
    /// Educational, not a diagnosis.
    pub disclaimer: String,
    /// Version of the knowledge base used.
    pub knowledge_version: String,
}

/// Most reasons listed per side per condition.
const MAX_REASONS: usize = 6;

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// Assesses an intake (plus evidence from the runner's runs, which fills only fields the runner
/// left unknown). Deterministic; never fails on a valid intake.
pub fn assess(kb: &KnowledgeBase, intake: &Intake, derived: &DerivedEvidence) -> Assessment {
    assess_with(kb, intake, derived, true)
}

/// `assess`; `hidden_fill` false gives the screen as first shown, without what
/// `free_slot_signs` adds to it.
fn assess_with(
    kb: &KnowledgeBase,
    intake: &Intake,
    derived: &DerivedEvidence,
    hidden_fill: bool,
) -> Assessment {
    let ev = engine::read_evidence(kb, intake, derived);
    let c = &kb.compiled;
    let tx = &c.text;
    let nc = c.nc;
    let s = engine::scores(kb, &ev.states);
    let p = engine::posterior(kb, &s);
    let levels = engine::condition_levels(kb, &ev.states);
    // The questions are weighed against the triage without the risk-context floors
    // (`RedFlagRule::floor`); the result reports it with them.
    let triage = engine::triage(kb, &ev.states, &p);
    let reported = triage.max(engine::floor_level(kb, &ev.states));

    let mut order = [0usize; MAX_CONDITIONS];
    for (i, o) in order.iter_mut().enumerate() {
        *o = i;
    }
    let order = &mut order[..nc];
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));

    // The findings with an effect on some condition (known, and not a partition's other values).
    let known: Vec<(usize, bool)> = ev
        .states
        .iter()
        .enumerate()
        .filter_map(|(f, &state)| match state {
            State::Unknown => None,
            State::Present => Some((f, true)),
            State::Absent => c.la[f][..nc]
                .iter()
                .any(|v| *v != 0.0)
                .then_some((f, false)),
        })
        .collect();
    let conditions = order
        .iter()
        .map(|&k| {
            let probability = round3(p[k]);
            let (for_, against) = if probability >= EXPLAINED_MIN_PROBABILITY {
                reasons(kb, &ev, &known, k)
            } else {
                (Vec::new(), Vec::new())
            };
            let mut condition = RankedCondition {
                id: tx.condition_id[k].clone(),
                name: tx.condition_name[k].clone(),
                probability,
                triage: levels[k],
                for_,
                against,
                kept: None,
            };
            // Unexplained: a probability of 0 to 0.004 (in thousandths) and no reasons.
            let thousandths = (probability * 1000.0).round();
            if condition.for_.is_empty() && condition.against.is_empty() && thousandths < 5.0 {
                let slot = (k * 5 + thousandths as usize) * 4 + levels[k] as usize;
                condition.kept = c.condition_json[slot]
                    .get_or_init(|| crate::info_json::keep_condition(&condition))
                    .clone();
            }
            condition
        })
        .collect();

    let red_flags = c
        .red_flags
        .iter()
        .enumerate()
        .filter(|(_, (rule, _, _))| engine::holds(rule, &ev.states))
        .map(|(i, _)| FiredRedFlag {
            id: tx.flag_id[i].clone(),
            level: kb.red_flags[i].level,
            why: tx.flag_why[i].clone(),
            action: tx.flag_action[i].clone(),
            sources: tx.flag_sources[i].clone(),
        })
        .collect();

    let pending = engine::pending_red_flags(kb, &ev, &p, triage);
    // An `always_ask` field outside its screen picture that other answers can settle (standing
    // and walking, settled by walking normally): a red flag reading it asks first the field that
    // settles it, a tick among the other yes/no items ("are you limping?"), and the field itself
    // only once that answer puts it on its picture. Whoever cannot stand on the leg cannot walk
    // normally either, so the flag is not lost: a limp brings the question back at once, and
    // walking normally settles it. A settling field marked "not sure" leaves the field asked.
    let settle_first: Vec<(u16, Vec<u16>)> = kb
        .tuning
        .always_ask
        .iter()
        .filter_map(|path| {
            let fi = c.field_index(path)?;
            let picture = &c.field_screen[fi];
            if ev.field_known[fi] || picture.is_empty() || engine::holds(picture, &ev.states) {
                return None;
            }
            let mut settling: Vec<u16> = Vec::new();
            for l in c.field_settled[fi].iter().flatten() {
                let f = c.finding_field[l.finding as usize];
                if !ev.field_known[f as usize]
                    && !intake.is_not_sure(&tx.field_path[f as usize])
                    && !settling.contains(&f)
                {
                    settling.push(f);
                }
            }
            (!settling.is_empty()).then_some((fi as u16, settling))
        })
        .collect();
    let planned: Vec<engine::Pending> = pending
        .iter()
        .map(|pend| {
            let mut fields: Vec<u16> = Vec::new();
            for &f in &pend.fields {
                let instead = settle_first.iter().find(|(d, _)| *d == f);
                for &x in instead.map_or(std::slice::from_ref(&f), |(_, s)| s.as_slice()) {
                    if !fields.contains(&x) {
                        fields.push(x);
                    }
                }
            }
            engine::Pending {
                flag: pend.flag,
                fields,
                strong: pend.strong,
                rider: pend.rider,
            }
        })
        .collect();
    // Where no flag asks it yet, the settling field is still asked, as the red-flag question of
    // the most urgent flag that reads the field it stands for (below the triage already given,
    // as for any pending flag): a runner with a limp must meet "can you stand?" whatever the
    // picture, and walking normally is what rules it out.
    let mut planned = planned;
    for (d, settling) in &settle_first {
        if pending.iter().any(|p| !p.rider && p.fields.contains(d)) {
            continue;
        }
        let reads = |rule: &crate::kb::Rule| {
            rule.iter()
                .flatten()
                .any(|l| c.finding_field[l.finding as usize] == *d)
        };
        let flag = (0..c.red_flags.len())
            .filter(|&i| {
                reads(&c.red_flags[i].0) && !kb.red_flags[i].floor && kb.red_flags[i].level > triage
            })
            .max_by(|&a, &b| {
                kb.red_flags[a]
                    .level
                    .cmp(&kb.red_flags[b].level)
                    .then(b.cmp(&a))
            });
        if let Some(flag) = flag {
            planned.push(engine::Pending {
                flag,
                fields: settling.clone(),
                strong: true,
                rider: false,
            });
        }
    }
    // In the engine's order: the picture's flags first, emergencies before urgent ones, then in
    // file order.
    planned.sort_by(|a, b| {
        a.rider
            .cmp(&b.rider)
            .then(b.strong.cmp(&a.strong))
            .then(kb.red_flags[b.flag].level.cmp(&kb.red_flags[a.flag].level))
            .then(a.flag.cmp(&b.flag))
    });
    let mut questions: Vec<Question> = Vec::new();

    // The safety screen opens the dialogue (every applicable item without an answer, so that
    // from an empty intake every emergency sign a tick can answer is screened at once), then the
    // fields asked whenever unknown (`always_ask`: standing and walking, the emergency sign whose
    // alarming answer is a "no"), then any other checklist that is not adaptive, whole.
    let sex = intake.sex.map(|s| s.id());
    let mut unanswered = Vec::new();
    // Once a red flag calls for emergency care, no answer to the screen can raise the triage
    // (it is the highest level, and screen answers never undo a flag that holds: its rules read
    // them only as "present"), so the screen is not asked: a runner told to get emergency care
    // now is not kept answering a dozen more signs first. Its fields stay unanswered (the result
    // says so); should a later answer lower the triage, the screen is asked again.
    let emergency_flag = engine::red_flag_level(kb, &ev.states) == Triage::Emergency;
    let plain = |field: usize, red_flag: bool, change: f32| {
        let kind = engine::answer_kind(kb, field);
        let options = match kind {
            AnswerKind::OneOf | AnswerKind::AnyOf => field_kind(&tx.field_path[field])
                .map(|(_, v)| v)
                .unwrap_or_default(),
            _ => &[],
        };
        Question {
            field: tx.field_path[field].clone(),
            fields: Vec::new(),
            items: Vec::new(),
            safety: false,
            text: tx.field_question[field].clone(),
            answer: kind,
            options,
            red_flag,
            could_change: round3(change),
        }
    };
    // A screen item whose picture the answers so far close (`ChecklistItem::possible_when`: belly
    // or testicle pain when the pain is only at the outside of the hip) is not screened, unless a
    // red flag reading it is still possible on the probabilities (the engine's pending flags,
    // strong or remote). From an empty intake every picture is open: the whole screen.
    let pending_field = |fi: usize| {
        pending
            .iter()
            .filter(|p| !p.rider)
            .any(|p| p.fields.contains(&(fi as u16)))
    };
    // The safety screen in pages of 6 (the contract counts a checklist as one question for every
    // 6 items) once anything is known: the signs the picture makes likeliest first, so that a
    // runner with one of them meets it on the first page, and the answer that calls for emergency
    // care ends the screen there (`emergency_flag` below) instead of after every other sign. Each
    // sign's chance is its predictive probability on what is known with the screen's own answers
    // left out, so the order does not move as its signs are answered. Only a screen not yet begun
    // comes in pages: once any of its signs is answered (on the first page, or in the runner's
    // words), what is left is one page, with the spare slots a single page has, and a first page
    // left unanswered (a front end that skips it) leaves the second page as it was. With 6 or
    // fewer signs, one page. From an empty intake, one page of every sign in the knowledge base's
    // order (issue 13: the first question screens every emergency sign a tick can answer; there
    // is no picture yet to put any sign first).
    let ordered = ev.field_known.iter().any(|&k| k);
    let paged = ordered
        && !kb.checklists.iter().enumerate().any(|(li, list)| {
            list.safety
                && c.checklist_fields[li]
                    .iter()
                    .flatten()
                    .any(|&fi| ev.field_known[fi])
        });
    let sign_chance = |fi: usize, p_screen: &[f32]| -> f32 {
        c.field_findings[fi]
            .iter()
            .map(|&f| {
                (0..nc)
                    .map(|k| p_screen[k] * c.p[f as usize][k])
                    .sum::<f32>()
            })
            .sum()
    };
    let p_screen: Vec<f32> = if ordered {
        let mut states = ev.states.clone();
        for (li, list) in kb.checklists.iter().enumerate() {
            if !list.safety {
                continue;
            }
            for &fi in c.checklist_fields[li].iter().flatten() {
                for &f in &c.field_findings[fi] {
                    states[f as usize] = State::Unknown;
                }
            }
        }
        engine::posterior(kb, &engine::scores(kb, &states)).to_vec()
    } else {
        Vec::new()
    };
    let checklist = |li: usize, unanswered: &mut Vec<Text>, questions: &mut Vec<Question>| {
        let list = &kb.checklists[li];
        // The items this runner's picture screens: (field, item, answered).
        let mut entries = Vec::new();
        for (ii, (item, (fi, picture))) in list
            .items
            .iter()
            .zip(c.checklist_fields[li].iter().zip(&c.checklist_pictures[li]))
            .enumerate()
        {
            let Some(fi) = *fi else { continue };
            if !item.applies(sex, intake.age) {
                continue;
            }
            if !engine::open(picture, &ev.states) && !pending_field(fi) {
                continue;
            }
            entries.push((fi, item, ii, ev.field_known[fi]));
        }
        let open_count = entries.iter().filter(|e| !e.3).count();
        let pages = list.safety && paged && open_count > engine::CHECKLIST_MAX;
        if list.safety && ordered {
            let chance: Vec<f32> = entries
                .iter()
                .map(|e| sign_chance(e.0, &p_screen))
                .collect();
            let mut order: Vec<usize> = (0..entries.len()).collect();
            order.sort_by(|&a, &b| chance[b].total_cmp(&chance[a]).then(a.cmp(&b)));
            entries = order.into_iter().map(|i| entries[i]).collect();
        }
        if !pages {
            entries.retain(|e| !e.3);
        }
        let size = if pages {
            engine::CHECKLIST_MAX
        } else {
            entries.len().max(1)
        };
        for page in entries.chunks(size) {
            let mut ask_fields = Vec::new();
            let mut ask_items = Vec::new();
            for &(fi, item, ii, known) in page {
                if known {
                    continue;
                }
                if list.safety {
                    unanswered.push(tx.field_path[fi].clone());
                }
                if !intake.is_not_sure(&item.field) && !emergency_flag {
                    ask_fields.push(tx.field_path[fi].clone());
                    ask_items.push(tx.checklist_item[li][ii].clone());
                }
            }
            if !ask_fields.is_empty() {
                questions.push(Question {
                    field: ask_fields[0].clone(),
                    fields: ask_fields,
                    items: ask_items,
                    safety: list.safety,
                    text: tx.checklist_text[li].clone(),
                    answer: AnswerKind::YesNo,
                    options: &[],
                    red_flag: true,
                    could_change: 0.0,
                });
            }
        }
    };
    for li in (0..kb.checklists.len()).filter(|&li| kb.checklists[li].safety) {
        checklist(li, &mut unanswered, &mut questions);
    }
    for path in &kb.tuning.always_ask {
        if let Some(fi) = c.field_index(path)
            && !ev.field_known[fi]
        {
            // Outside its picture (`FieldSpec::screen_when`: standing and walking after pain
            // that came on hours after a run or crept up over weeks, with no fall, limp, severe
            // pain, fever...) the answer that would settle it stands in for it in the screen
            // (the limp, asked as a tick: `settle_first`); with that answer marked "not sure" it
            // is asked itself. A field nothing settles is asked there only while a red flag
            // reading it is still possible on the probabilities.
            let picture = &c.field_screen[fi];
            if !picture.is_empty() && !engine::holds(picture, &ev.states) {
                if let Some((_, settling)) = settle_first.iter().find(|(d, _)| *d as usize == fi) {
                    unanswered.extend(settling.iter().map(|&f| tx.field_path[f as usize].clone()));
                    continue;
                }
                if c.field_settled[fi].is_empty() && !pending_field(fi) {
                    continue;
                }
            }
            // Part of the screen: while unknown, the result cannot read as reassurance.
            unanswered.push(tx.field_path[fi].clone());
            if !intake.is_not_sure(path) && !emergency_flag {
                questions.push(plain(fi, true, 0.0));
            }
        }
    }
    for li in (0..kb.checklists.len())
        .filter(|&li| !kb.checklists[li].safety && !kb.checklists[li].adaptive)
    {
        checklist(li, &mut unanswered, &mut questions);
    }
    let safety = Safety {
        complete: unanswered.is_empty(),
        headline: (!unanswered.is_empty() && reported < Triage::Urgent)
            .then(|| tx.safety_headline.clone()),
        unanswered,
    };

    // Then the questions worth asking, best first (red flags the picture makes possible
    // first); a field already listed, or marked "not sure", is not asked again.
    // The fields the questions so far already list, by index (field paths are unique, so this
    // is the comparison of paths done once, not once per candidate the planner weighs).
    let mut listed = vec![false; kb.fields.len()];
    for q in &questions {
        for path in std::iter::once(&q.field).chain(&q.fields) {
            if let Some(fi) = c.field_index(path) {
                listed[fi] = true;
            }
        }
    }
    let askable = |list: Option<usize>, field: usize| {
        !listed[field]
            && !intake.is_not_sure(&tx.field_path[field])
            && list.is_none_or(|li| {
                kb.checklists[li]
                    .items
                    .iter()
                    .zip(&c.checklist_fields[li])
                    .any(|(i, fi)| *fi == Some(field) && i.applies(sex, intake.age))
            })
    };
    let mut asks = engine::plan_questions(kb, &ev, &s, &p, triage, &planned, &askable);
    // The screen's spare slots (a checklist counts as one question per 6 items, so a screen of 4
    // or 10 items has 2 free: on its last page, when it comes in pages) take the yes/no items of
    // the red flags the picture makes possible, which would otherwise be asked next as a short
    // checklist of their own: the same red-flag items, one question sooner and one fewer. Only
    // the leading red-flag questions (the flags asked first whatever their value), in their order,
    // each whole or not at all (split, its rest would still be a question of its own); the fields
    // keep their own item texts.
    if let Some(screen) = questions.iter_mut().rev().find(|q| q.safety) {
        let mut spare = (engine::CHECKLIST_MAX - screen.fields.len() % engine::CHECKLIST_MAX)
            % engine::CHECKLIST_MAX;
        for ask in asks.iter_mut().take_while(|a| a.red_flag) {
            if spare == 0 {
                break;
            }
            // Each field's item text, from the first adaptive checklist that lists it.
            let items: Vec<Option<&Text>> = ask
                .fields
                .iter()
                .map(|&f| {
                    kb.checklists
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| l.adaptive)
                        .find_map(|(li, l)| {
                            let ii = l
                                .items
                                .iter()
                                .position(|i| i.field == *tx.field_path[f as usize])?;
                            Some(&tx.checklist_item[li][ii])
                        })
                })
                .collect();
            if items.iter().any(Option::is_none) {
                continue; // a plain question (an age, the medicines): not a tick
            }
            if ask.fields.len() > spare {
                continue;
            }
            for (&f, item) in ask.fields.iter().zip(&items) {
                screen.fields.push(tx.field_path[f as usize].clone());
                screen
                    .items
                    .push(item.map_or_else(|| Text::from(""), Text::clone));
            }
            spare -= ask.fields.len();
            ask.fields.clear();
        }
        asks.retain(|a| !a.fields.is_empty());
    }
    if hidden_fill && let Some(si) = questions.iter().rposition(|q| q.safety) {
        for (f, item) in free_slot_signs(kb, intake, derived, &ev) {
            let path = &tx.field_path[f];
            if ev.field_known[f] || intake.is_not_sure(path) || questions[si].fields.contains(path)
            {
                continue;
            }
            questions[si].fields.push(path.clone());
            questions[si].items.push(item);
            for ask in asks.iter_mut() {
                ask.fields.retain(|&x| x as usize != f);
            }
        }
        asks.retain(|a| !a.fields.is_empty());
    }
    // Once a red flag that names one cause calls for emergency care and that cause leads, the
    // result is due (the dialogue ends there): what the runner must do cannot change, nor the
    // name the flag gives it. Only a question whose answer could undo the flag is still listed
    // (brown urine counts as muscle breakdown within 3 days of the run, low blood sodium after
    // a long run: how long ago, how long the run); the others would only delay the answer. A
    // flag shared by several causes (not standing: a strain, a broken hip, a growing hip...), or
    // one whose cause does not lead yet, leaves the questions that tell the causes apart.
    let settled_by = |i: usize| {
        let (rule, conditions, _) = &c.red_flags[i];
        kb.red_flags[i].level == Triage::Emergency
            && conditions.len() == 1
            && conditions[0] as usize == order[0]
            && engine::holds(rule, &ev.states)
    };
    let settling_flags: Vec<usize> = (0..c.red_flags.len()).filter(|&i| settled_by(i)).collect();
    if !settling_flags.is_empty() {
        let undoes =
            |f: u16| {
                settling_flags.iter().any(|&i| {
                    c.red_flags[i].0.iter().flatten().any(|l| {
                        (l.negated || l.unknown) && c.finding_field[l.finding as usize] == f
                    })
                })
            };
        asks.retain(|a| a.fields.iter().any(|&f| undoes(f)));
    }
    for ask in asks {
        match ask.checklist {
            Some(li) => {
                let list = &kb.checklists[li];
                let fields: Vec<Text> = ask
                    .fields
                    .iter()
                    .map(|&f| tx.field_path[f as usize].clone())
                    .collect();
                let items = fields
                    .iter()
                    .map(|f| {
                        let item = list.items.iter().position(|i| i.field == **f);
                        item.map_or_else(|| Text::from(""), |ii| tx.checklist_item[li][ii].clone())
                    })
                    .collect();
                questions.push(Question {
                    field: fields[0].clone(),
                    fields,
                    items,
                    safety: false,
                    text: tx.checklist_text[li].clone(),
                    answer: AnswerKind::YesNo,
                    options: &[],
                    red_flag: ask.red_flag,
                    could_change: round3(ask.change),
                });
            }
            None => questions.push(plain(ask.fields[0] as usize, ask.red_flag, ask.change)),
        }
    }

    // Said to be still needed (the note, and the list it introduces) only where the unanswered
    // flag is plausible: its picture makes it possible and, for a flag about particular
    // conditions, they hold at least `pending_note_mass` of the probability, or one of its
    // symptoms is present (a finding of the rule's first clause, which names the symptom, or of
    // its `possible_when` picture other than the run, the place or the runner's profile). A long
    // run alone makes the low-sodium flag worth asking, but not plausible in plain soreness; a
    // headache after it does.
    let symptom_holds = |rule: &crate::kb::Rule| {
        engine::holds(rule, &ev.states)
            && rule.iter().flatten().any(|l| {
                let path = &*tx.finding_field[l.finding as usize];
                let context = ["run.", "training.", "where", "sides", "onset", "age", "sex"]
                    .iter()
                    .any(|c| path.starts_with(c))
                    || ["medications", "hours_since_run", "days_since_onset"].contains(&path);
                !context && !l.unknown && engine::holds(&vec![vec![*l]], &ev.states)
            })
    };
    let plausible = |pend: &&engine::Pending| {
        let (rule, conditions, possible_when) = &c.red_flags[pend.flag];
        let mass: f32 = conditions.iter().map(|&k| p[k as usize]).sum();
        let triggered = rule
            .first()
            .is_some_and(|clause| engine::holds(&vec![clause.clone()], &ev.states));
        // A flag about no condition in particular is plausible when its picture holds on what
        // is known (not merely while a symptom is still unknown: weakness all over is asked of
        // every muscle pain, but its flag is not said to be pending until it is there).
        let known_picture = !possible_when.is_empty()
            && possible_when.iter().all(|clause| {
                clause
                    .iter()
                    .any(|l| !l.unknown && engine::holds(&vec![vec![*l]], &ev.states))
            });
        pend.strong
            && (conditions.is_empty() && known_picture
                || triggered
                || symptom_holds(possible_when)
                || f64::from(mass) >= kb.tuning.pending_note_mass)
    };
    let pending_red_flags: Vec<PendingRedFlag> = pending
        .iter()
        .filter(plausible)
        .map(|pend| PendingRedFlag {
            id: tx.flag_id[pend.flag].clone(),
            level: kb.red_flags[pend.flag].level,
            why: tx.flag_why[pend.flag].clone(),
            fields: pend
                .fields
                .iter()
                .map(|&f| tx.field_path[f as usize].clone())
                .collect(),
        })
        .collect();
    let pending_note = (!pending_red_flags.is_empty()).then(|| tx.pending_note.to_string());

    // Advice for the leading condition, and the runner-up when it is close.
    let mut advice = Vec::new();
    for (rank, &k) in order.iter().enumerate().take(2) {
        if rank == 1 && p[k] < 0.25 {
            break;
        }
        let severity = c.severity[k]
            .iter()
            .enumerate()
            .filter(|(_, (_, rule))| engine::holds(rule, &ev.states))
            .map(|(i, _)| tx.severity_label[k][i].clone())
            .collect();
        // The care plan follows the final level: when a warning sign calls for more urgent care
        // than this condition's own level, its (calmer) care plan is withheld.
        let deferred = reported >= Triage::Urgent && reported > levels[k];
        // A care step with a contraindication that the intake shows (a painkiller in pregnancy,
        // on a blood thinner, over 65) is replaced by what to do instead.
        let withheld: Vec<usize> = c.care_unless[k]
            .iter()
            .filter(|(_, rule)| engine::holds(rule, &ev.states))
            .map(|(i, _)| *i)
            .collect();
        let info = if deferred || !withheld.is_empty() {
            let mut info = (*tx.condition_info[k]).clone();
            if deferred {
                info.care.clear();
            }
            for i in withheld {
                if let Some(step) = info.care.get_mut(i) {
                    step.text = step.instead.take().unwrap_or_default();
                    step.unless.clear();
                }
            }
            Shared(std::sync::Arc::new(info))
        } else {
            tx.condition_info[k].clone()
        };
        advice.push(Advice {
            probability: round3(p[k]),
            severity,
            not_running_soreness: kb.conditions[k].not_running_soreness,
            care_deferred: deferred.then(|| tx.care_deferred.clone()),
            info,
        });
    }

    Assessment {
        triage: reported,
        what_to_do_now: tx.level_text[reported as usize].to_string(),
        conditions,
        questions,
        red_flags,
        pending_red_flags,
        pending_note,
        safety,
        advice,
        from_runs: ev.used.clone(),
        disclaimer: tx.disclaimer.to_string(),
        knowledge_version: tx.version.to_string(),
    }
}

fn reasons(
    kb: &KnowledgeBase,
    ev: &engine::Evidence,
    known: &[(usize, bool)],
    k: usize,
) -> (Vec<Reason>, Vec<Reason>) {
    let c = &kb.compiled;
    let tx = &c.text;
    // The strongest effects on each side, without sorting every known finding.
    let mut top_for: [(f32, usize); MAX_REASONS] = [(0.0, usize::MAX); MAX_REASONS];
    let mut top_against: [(f32, usize); MAX_REASONS] = [(0.0, usize::MAX); MAX_REASONS];
    for &(f, present) in known {
        let effect = if present { c.lp[f][k] } else { c.la[f][k] };
        if effect.abs() < 0.05 {
            continue;
        }
        let slots = if effect > 0.0 {
            &mut top_for
        } else {
            &mut top_against
        };
        let weakest = (0..MAX_REASONS)
            .min_by(|&a, &b| slots[a].0.abs().total_cmp(&slots[b].0.abs()))
            .unwrap_or(0);
        if effect.abs() > slots[weakest].0.abs() {
            slots[weakest] = (effect, f);
        }
    }
    let build = |slots: &mut [(f32, usize); MAX_REASONS]| -> Vec<Reason> {
        slots.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()).then(a.1.cmp(&b.1)));
        slots
            .iter()
            .filter(|(_, f)| *f != usize::MAX)
            .map(|&(effect, f)| {
                let present = ev.states[f] == State::Present;
                let (lr_present, lr_absent) = c.lr_raw[f][k];
                let field = c.finding_field[f] as usize;
                let derived = ev.from_runs[field].map(|i| &ev.used[i]);
                let (source, estimate) = &tx.link[f][k];
                let lr = if present { lr_present } else { lr_absent };
                let mut reason = Reason {
                    finding: tx.finding_id[f].clone(),
                    text: if present {
                        tx.finding_label[f].clone()
                    } else {
                        tx.finding_label_absent[f].clone()
                    },
                    field: tx.finding_field[f].clone(),
                    likelihood_ratio: (f64::from(lr) * 100.0).round() / 100.0,
                    effect: round3(effect),
                    from: if derived.is_some() {
                        Origin::Runs
                    } else {
                        Origin::Runner
                    },
                    because: derived.map(|d| d.because.clone()),
                    source: source.clone(),
                    estimate: *estimate,
                    kept: None,
                };
                if derived.is_none() {
                    let slot = (f * MAX_CONDITIONS + k) * 2 + usize::from(present);
                    reason.kept = c.reason_json[slot]
                        .get_or_init(|| crate::info_json::keep_reason(&reason))
                        .clone();
                }
                reason
            })
            .collect()
    };
    (build(&mut top_for), build(&mut top_against))
}

/// The yes/no signs of the red flags that a triage urgent on the probabilities alone hides, for
/// the free slots of the safety screen's last page (a checklist counts as one question for every
/// 6 items, so a last page of 2 signs has 4 slots free). Groin pain that crept up over weeks: a
/// likely stress fracture makes it urgent, so weakness all over on a statin, night pain with past
/// cancer and a painful landing are not asked while it holds; later answers can lower it, and
/// each flag is then asked as a question of its own, where in a free slot it costs none. Each
/// flag's signs whole or not at all.
///
/// Chosen on the place and the start alone, with the free slots of the last page as then shown,
/// and only in a dialogue that began from them: while nothing is known but the place (and the
/// side), the start, what the runs say and the answers to the screen and to these signs, so that
/// the page and its items stay the same whatever is answered on it (no sign moves onto a page
/// already shown). A dialogue that began from the runner's words asks them in their turn: there,
/// their answers changed what was asked next and cost more questions than they saved (words then
/// dialogue on the blind sets' development halves: one case 3 -> 7).
fn free_slot_signs(
    kb: &KnowledgeBase,
    intake: &Intake,
    derived: &DerivedEvidence,
    ev: &engine::Evidence,
) -> Vec<(usize, Text)> {
    let c = &kb.compiled;
    let tx = &c.text;
    let safety_field = |fi: usize| {
        kb.checklists
            .iter()
            .enumerate()
            .any(|(li, list)| list.safety && c.checklist_fields[li].contains(&Some(fi)))
    };
    // The side is part of the place (the web's map gives it with the place): known or not, it
    // leaves the choice as it is.
    let place = [paths::WHERE, paths::SIDES, paths::ONSET].map(|path| c.field_index(path));
    // Cheaply first (most calls): anything known that no screen or tick could have asked.
    let tick = |fi: usize| {
        kb.checklists
            .iter()
            .enumerate()
            .any(|(li, list)| list.adaptive && c.checklist_fields[li].contains(&Some(fi)))
    };
    if (0..kb.fields.len()).any(|fi| {
        ev.field_known[fi]
            && !place.contains(&Some(fi))
            && ev.from_runs[fi].is_none()
            && !safety_field(fi)
            && !tick(fi)
    }) {
        return Vec::new();
    }
    let before = Intake {
        r#where: intake.r#where.clone(),
        onset: intake.onset,
        ..Intake::default()
    };
    let ev_b = engine::read_evidence(kb, &before, derived);
    let p = engine::posterior(kb, &engine::scores(kb, &ev_b.states));
    let triage = engine::triage(kb, &ev_b.states, &p);
    let floor = engine::red_flag_level(kb, &ev_b.states);
    if floor >= triage {
        return Vec::new();
    }
    let groups: Vec<Vec<usize>> = engine::pending_red_flags(kb, &ev_b, &p, floor)
        .iter()
        .filter(|pend| pend.strong && !pend.rider && kb.red_flags[pend.flag].level <= triage)
        .map(|pend| pend.fields.iter().map(|&f| f as usize).collect())
        .collect();
    // Only in a dialogue that began from the place and the start (see above): checked here on
    // every sign the flags could add, and below on those the page takes.
    let begun_here = |fi: usize, signs: &[usize]| {
        !ev.field_known[fi]
            || ev_b.field_known[fi]
            || place.contains(&Some(fi))
            || ev.from_runs[fi].is_some()
            || safety_field(fi)
            || signs.contains(&fi)
    };
    let signs: Vec<usize> = groups.iter().flatten().copied().collect();
    if signs.is_empty() || !(0..kb.fields.len()).all(|fi| begun_here(fi, &signs)) {
        return Vec::new();
    }
    let item_of = |f: usize| {
        kb.checklists
            .iter()
            .enumerate()
            .filter(|(_, l)| l.adaptive)
            .find_map(|(li, l)| {
                let ii = l.items.iter().position(|i| i.field == *tx.field_path[f])?;
                Some(tx.checklist_item[li][ii].clone())
            })
    };
    let first = assess_with(kb, &before, derived, false);
    let Some(page) = first.questions.iter().rfind(|q| q.safety) else {
        return Vec::new();
    };
    let mut spare =
        (engine::CHECKLIST_MAX - page.fields.len() % engine::CHECKLIST_MAX) % engine::CHECKLIST_MAX;
    let mut out: Vec<(usize, Text)> = Vec::new();
    for group in groups {
        let fields: Vec<usize> = group
            .into_iter()
            .filter(|&f| {
                !page.fields.contains(&tx.field_path[f]) && !out.iter().any(|(o, _)| *o == f)
            })
            .collect();
        let Some(items) = fields
            .iter()
            .map(|&f| item_of(f))
            .collect::<Option<Vec<_>>>()
        else {
            continue; // a plain question (an age, the medicines): not a tick
        };
        if fields.is_empty() || fields.len() > spare {
            continue;
        }
        spare -= fields.len();
        out.extend(fields.into_iter().zip(items));
    }
    let signs: Vec<usize> = out.iter().map(|(f, _)| *f).collect();
    if !(0..kb.fields.len()).all(|fi| begun_here(fi, &signs)) {
        return Vec::new();
    }
    out
}
