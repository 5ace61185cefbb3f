//! What the front ends derive instead of copying: the safety checklist, the fields that are red
//! flags on their own, condition names, which causes get pacing advice, and which are not
//! running soreness at all. Everything here is read from the knowledge base (one source of
//! truth); the intake's field metadata is [`runsore_model::FIELDS`].

use std::sync::OnceLock;

use serde::Serialize;

use crate::fields::{AnswerKind, field_kind};
use crate::kb::{Checklist, KnowledgeBase, Triage};
use crate::knowledge;

/// A yes/no field whose answer alone sets a minimum triage level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedFlagField {
    /// The intake field.
    pub field: &'static str,
    /// The answer that is the warning sign (`false` for `can_bear_weight`).
    pub danger: bool,
    /// The least level that answer sets.
    pub level: Triage,
    /// The red flag's id.
    pub flag: &'static str,
}

/// The knowledge base's safety screen: the checklist that opens every dialogue.
pub fn safety_checklist() -> &'static Checklist {
    safety_checklist_in(knowledge())
}

/// The safety checklist of a given knowledge base.
///
/// # Panics
/// Never for the embedded base: its tests check that it has one.
pub fn safety_checklist_in(kb: &KnowledgeBase) -> &Checklist {
    kb.checklists
        .iter()
        .find(|c| c.safety)
        .expect("the knowledge base has a safety checklist")
}

/// Every yes/no field that is a red flag on its own (nothing else needs to be known), most urgent
/// first, then in the knowledge base's order. Check-in forms and follow-up screens use this list.
pub fn red_flag_fields() -> &'static [RedFlagField] {
    static LIST: OnceLock<Vec<RedFlagField>> = OnceLock::new();
    LIST.get_or_init(|| {
        let kb = knowledge();
        let mut out: Vec<RedFlagField> = Vec::new();
        for rule in &kb.red_flags {
            // A field is a red flag on its own when it fills a one-literal clause and every
            // other clause holds while its finding is unknown (`?x`: "within 3 days of a run").
            for (i, clause) in rule.when.iter().enumerate() {
                let others_open = rule
                    .when
                    .iter()
                    .enumerate()
                    .all(|(j, c)| j == i || c.iter().any(|l| l.starts_with('?')));
                if !others_open || rule.when.len() > 1 && clause.len() != 1 {
                    continue;
                }
                for lit in clause {
                    if lit.starts_with('?') {
                        continue;
                    }
                    let (id, negated) = match lit.strip_prefix('!') {
                        Some(rest) => (rest, true),
                        None => (lit.as_str(), false),
                    };
                    let Some(finding) = kb.finding(id) else {
                        continue;
                    };
                    if field_kind(&finding.field).map(|(k, _)| k) != Some(AnswerKind::YesNo) {
                        continue;
                    }
                    let field: &'static str = runsore_model::field(&finding.field)
                        .map(|m| m.path)
                        .unwrap_or("");
                    match out.iter_mut().find(|r| r.field == field) {
                        Some(existing) if existing.level >= rule.level => {}
                        Some(existing) => {
                            existing.level = rule.level;
                            existing.flag = leak(&rule.id);
                        }
                        None => out.push(RedFlagField {
                            field,
                            danger: !negated,
                            level: rule.level,
                            flag: leak(&rule.id),
                        }),
                    }
                }
            }
        }
        out.sort_by_key(|r| std::cmp::Reverse(r.level));
        out
    })
}

fn leak(s: &str) -> &'static str {
    // The embedded knowledge base lives for the whole program; its ids are borrowed from it.
    let kb = knowledge();
    kb.red_flags
        .iter()
        .find(|r| r.id == s)
        .map(|r| r.id.as_str())
        .unwrap_or("")
}

/// (id, plain-words name) of every condition, in the knowledge base's order.
pub fn condition_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    knowledge()
        .conditions
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
}

/// The plain-words name of a condition.
pub fn condition_name(id: &str) -> Option<&'static str> {
    knowledge().condition(id).map(|c| c.name.as_str())
}

/// The conditions whose care plan includes pacing the next runs (front ends add the runner's
/// own pacing baseline to these, and to no others).
pub fn paced_conditions() -> impl Iterator<Item = &'static str> {
    knowledge()
        .conditions
        .iter()
        .filter(|c| c.pacing)
        .map(|c| c.id.as_str())
}

/// True for the look-alikes that are not running soreness at all (a front end says so plainly
/// and shows no soreness care plan).
pub fn is_not_running_soreness(id: &str) -> bool {
    knowledge()
        .condition(id)
        .is_some_and(|c| c.not_running_soreness)
}

/// The display name of an intake field (from [`runsore_model::FIELDS`]).
pub fn field_label(path: &str) -> Option<&'static str> {
    runsore_model::field(path).map(|f| f.label)
}

/// The runner's answer to an intake field in the knowledge base's own words, as an
/// assessment's reasons word it ("started about a day after the run", "no swelling"): the
/// labels of the field's findings that the answer makes present, or for a yes/no field answered
/// no, its finding's label for absent. `None` when the field is unanswered or has no finding.
pub fn answer_words(intake: &runsore_model::Intake, field: &str) -> Option<String> {
    let kb = knowledge();
    let c = &kb.compiled;
    let fi = c.field_index(field)?;
    let ev = crate::engine::read_evidence(kb, intake, &runsore_model::DerivedEvidence::default());
    if !ev.field_known[fi] {
        return None;
    }
    let findings = &c.field_findings[fi];
    let present: Vec<&str> = findings
        .iter()
        .filter(|&&f| ev.states[f as usize] == crate::engine::State::Present)
        .map(|&f| c.text.finding_label[f as usize].as_str())
        .collect();
    match (present.is_empty(), findings.as_slice()) {
        (false, _) => Some(present.join(", ")),
        (true, [only]) => Some(c.text.finding_label_absent[*only as usize].to_string()),
        (true, _) => None,
    }
}
