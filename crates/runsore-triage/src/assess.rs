//! The assessment: what `assess` returns and the JSON contract front ends read
//! (`triage`, ordered `conditions`, `questions` best first, red flags, care, course, sources).

use runsore_model::{DerivedEvidence, DerivedFinding, Intake};
use serde::Serialize;

use crate::engine::{self, State};
use crate::fields::{AnswerKind, field_kind};
use crate::kb::{Course, EvidenceNote, KnowledgeBase, Source, Step, Triage};

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The runner answered it.
    Runner,
    /// It was read from the runner's recorded runs.
    Runs,
}

/// One finding's effect on one condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// Finding id.
    pub finding: String,
    /// The finding in plain words, as answered ("swelling" or "no swelling").
    pub text: String,
    /// The intake field it came from.
    pub field: String,
    /// Likelihood ratio of the answer for this condition.
    pub likelihood_ratio: f64,
    /// Change to the condition's log-odds after tempering.
    pub effect: f64,
    /// Who supplied the answer.
    pub from: Origin,
    /// For answers from the runs: the sentence saying which run and figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub because: Option<String>,
    /// The source behind the link, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// True when the link's strength is an estimate.
    pub estimate: bool,
}

/// A ranked condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedCondition {
    /// Contract id.
    pub id: String,
    /// Name in plain words.
    pub name: String,
    /// Probability, 0 to 1.
    pub probability: f64,
    /// Its triage level given the severity findings.
    pub triage: Triage,
    /// Findings that raised it, strongest first.
    #[serde(rename = "for")]
    pub for_: Vec<Reason>,
    /// Findings that lowered it, strongest first.
    pub against: Vec<Reason>,
}

/// A question still worth asking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// The intake field's dotted path.
    pub field: String,
    /// The wording.
    pub text: String,
    /// How it is answered.
    pub answer: AnswerKind,
    /// Allowed values for one-of and any-of answers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<&'static str>,
    /// True for red-flag screening.
    pub red_flag: bool,
    /// The chance that the answer changes the leading condition or the triage.
    pub could_change: f64,
}

/// A red flag that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiredRedFlag {
    /// Rule id.
    pub id: String,
    /// Minimum level it sets.
    pub level: Triage,
    /// Why it matters.
    pub why: String,
    /// What to do.
    pub action: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// A red flag not yet ruled out where the picture makes it possible.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingRedFlag {
    /// Rule id.
    pub id: String,
    /// The level it would set.
    pub level: Triage,
    /// Why it matters.
    pub why: String,
    /// The intake fields whose answers are needed.
    pub fields: Vec<String>,
}

/// Care plan, course and when to get help for one likely condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice {
    /// Condition id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Probability.
    pub probability: f64,
    /// What it is.
    pub summary: String,
    /// Severity labels that apply.
    pub severity: Vec<String>,
    /// Typical course.
    pub course: Course,
    /// Care plan in order.
    pub care: Vec<Step>,
    /// What not to do.
    pub avoid: Vec<Step>,
    /// When to get help.
    pub escalate: Vec<Step>,
    /// The source article against newer evidence.
    pub evidence: Vec<EvidenceNote>,
    /// Every source cited above.
    pub sources: Vec<Source>,
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
    /// "Answer these before relying on this result", when any red flag is pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_note: Option<String>,
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
    let ev = engine::read_evidence(kb, intake, derived);
    let c = &kb.compiled;
    let nc = c.nc;
    let s = engine::scores(kb, &ev.states);
    let p = engine::posterior(kb, &s);
    let levels = engine::condition_levels(kb, &ev.states);
    let triage = engine::triage(kb, &ev.states, &p);

    let mut order: Vec<usize> = (0..nc).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));

    let conditions = order
        .iter()
        .map(|&k| {
            let (for_, against) = reasons(kb, &ev, k);
            RankedCondition {
                id: kb.conditions[k].id.clone(),
                name: kb.conditions[k].name.clone(),
                probability: round3(p[k]),
                triage: levels[k],
                for_,
                against,
            }
        })
        .collect();

    let red_flags = kb
        .red_flags
        .iter()
        .zip(&c.red_flags)
        .filter(|(_, (rule, _, _))| engine::holds(rule, &ev.states))
        .map(|(r, _)| FiredRedFlag {
            id: r.id.clone(),
            level: r.level,
            why: r.why.clone(),
            action: r.action.clone(),
            sources: r.sources.clone(),
        })
        .collect();

    let pending = engine::pending_red_flags(kb, &ev.states, &p, triage);
    let mut questions: Vec<Question> = Vec::new();
    let push = |field: usize, red_flag: bool, change: f32, questions: &mut Vec<Question>| {
        let spec = &kb.fields[field];
        if questions.iter().any(|q| q.field == spec.path) {
            return;
        }
        let kind = engine::answer_kind(kb, field);
        let options = match kind {
            AnswerKind::OneOf | AnswerKind::AnyOf => field_kind(&spec.path)
                .map(|(_, v)| v.to_vec())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        questions.push(Question {
            field: spec.path.clone(),
            text: spec.question.clone(),
            answer: kind,
            options,
            red_flag,
            could_change: round3(change),
        });
    };
    for pend in &pending {
        for &field in &pend.fields {
            push(field as usize, true, 0.0, &mut questions);
        }
    }
    for ranked in engine::rank_questions(kb, &ev, &s, &p, triage) {
        push(ranked.field as usize, false, ranked.change, &mut questions);
    }

    let pending_red_flags: Vec<PendingRedFlag> = pending
        .iter()
        .map(|pend| {
            let r = &kb.red_flags[pend.flag];
            PendingRedFlag {
                id: r.id.clone(),
                level: r.level,
                why: r.why.clone(),
                fields: pend
                    .fields
                    .iter()
                    .map(|&f| kb.fields[f as usize].path.clone())
                    .collect(),
            }
        })
        .collect();
    let pending_note = (!pending_red_flags.is_empty()).then(|| kb.pending_note.clone());

    // Advice for the leading condition, and the runner-up when it is close.
    let mut advice = Vec::new();
    for (rank, &k) in order.iter().enumerate().take(2) {
        if rank == 1 && p[k] < 0.25 {
            break;
        }
        advice.push(advice_for(kb, k, p[k], &ev.states));
    }

    Assessment {
        triage,
        what_to_do_now: kb.levels.get(triage).to_string(),
        conditions,
        questions,
        red_flags,
        pending_red_flags,
        pending_note,
        advice,
        from_runs: ev.used.clone(),
        disclaimer: kb.disclaimer.clone(),
        knowledge_version: kb.version.clone(),
    }
}

fn reasons(kb: &KnowledgeBase, ev: &engine::Evidence, k: usize) -> (Vec<Reason>, Vec<Reason>) {
    let c = &kb.compiled;
    let mut effects: Vec<(usize, f32)> = Vec::new();
    for (f, &state) in ev.states.iter().enumerate() {
        let effect = match state {
            State::Unknown => continue,
            State::Present => c.lp[f][k],
            State::Absent => c.la[f][k],
        };
        if effect.abs() >= 0.05 {
            effects.push((f, effect));
        }
    }
    effects.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    let mut for_ = Vec::new();
    let mut against = Vec::new();
    for (f, effect) in effects {
        let list = if effect > 0.0 {
            &mut for_
        } else {
            &mut against
        };
        if list.len() >= MAX_REASONS {
            continue;
        }
        let finding = &kb.findings[f];
        let present = ev.states[f] == State::Present;
        let (lr_present, lr_absent) = crate::kb::raw_lrs(kb, k, f);
        let field = c.finding_field[f] as usize;
        let link = kb.conditions[k].links.iter().find(|l| l.f == finding.id);
        let derived = ev.from_runs[field].map(|i| &ev.used[i]);
        list.push(Reason {
            finding: finding.id.clone(),
            text: if present {
                finding.label.clone()
            } else {
                finding
                    .label_absent
                    .clone()
                    .unwrap_or_else(|| format!("not: {}", finding.label))
            },
            field: finding.field.clone(),
            likelihood_ratio: (if present { lr_present } else { lr_absent } * 100.0).round()
                / 100.0,
            effect: round3(effect),
            from: if derived.is_some() {
                Origin::Runs
            } else {
                Origin::Runner
            },
            because: derived.map(|d| d.because.clone()),
            source: link.and_then(|l| l.source.clone()),
            estimate: link.is_none_or(|l| l.estimate),
        });
    }
    (for_, against)
}

fn advice_for(kb: &KnowledgeBase, k: usize, p: f32, states: &[State]) -> Advice {
    let cond = &kb.conditions[k];
    let severity = cond
        .severity
        .iter()
        .zip(&kb.compiled.severity[k])
        .filter(|(_, (_, rule))| engine::holds(rule, states))
        .map(|(s, _)| s.label.clone())
        .collect();
    let mut ids: Vec<String> = Vec::new();
    let mut cite = |list: &[String]| {
        for s in list {
            if !ids.contains(s) {
                ids.push(s.clone());
            }
        }
    };
    cite(&cond.summary_sources);
    cite(&cond.course.sources);
    for step in cond.care.iter().chain(&cond.avoid).chain(&cond.escalate) {
        cite(&step.sources);
    }
    for note in &cond.evidence {
        cite(&note.sources);
    }
    let sources = ids.iter().filter_map(|id| kb.source(id)).cloned().collect();
    Advice {
        id: cond.id.clone(),
        name: cond.name.clone(),
        probability: round3(p),
        summary: cond.summary.clone(),
        severity,
        course: cond.course.clone(),
        care: cond.care.clone(),
        avoid: cond.avoid.clone(),
        escalate: cond.escalate.clone(),
        evidence: cond.evidence.clone(),
        sources,
    }
}
