//! The safety screen and the answers asked again at every follow-up, as the knowledge base
//! declares them: no front end keeps a list of its own.

use runsore_triage::KnowledgeBase;

/// One sign on the safety screen: a yes/no intake field, set to `true` by a tick.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SafetySign {
    /// The intake field.
    pub field: &'static str,
    /// The sign in plain words.
    pub words: &'static str,
}

/// The knowledge base's safety checklist, in its order, for a runner of this sex and age (an
/// item for the other sex or another age is left out; unknown sex or age keeps it).
pub fn safety_screen(sex: Option<&str>, age: Option<u8>) -> Vec<SafetySign> {
    runsore_triage::safety_checklist()
        .items
        .iter()
        .filter(|i| i.applies(sex, age))
        .map(|i| SafetySign {
            field: i.field.as_str(),
            words: i.text.as_str(),
        })
        .collect()
}

/// Every field of the safety checklist, whoever the runner is.
pub fn safety_fields() -> Vec<&'static str> {
    safety_screen(None, None)
        .into_iter()
        .map(|s| s.field)
        .collect()
}

/// A red-flag question asked again at every follow-up beside the safety checklist (such as
/// `can_bear_weight`): a yes/no field with the knowledge base's question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AskedAgain {
    /// The intake field.
    pub field: &'static str,
    /// The knowledge base's question for it.
    pub question: &'static str,
}

/// The yes/no fields that are red flags on their own and not on the safety checklist, each with
/// its question, most urgent first: a follow-up asks them again (they are never carried), as
/// `runsore check --follow-up` does, so that no front end lets one go unasked.
pub fn asked_again() -> Vec<AskedAgain> {
    let checklist = safety_fields();
    let mut out: Vec<AskedAgain> = Vec::new();
    for r in runsore_triage::red_flag_fields() {
        if checklist.contains(&r.field) || out.iter().any(|a| a.field == r.field) {
            continue;
        }
        if let Some(q) = runsore_triage::find_question(r.field) {
            out.push(AskedAgain {
                field: r.field,
                question: q.question.as_str(),
            });
        }
    }
    out
}

/// The answers a follow-up asks again rather than carrying over, since a red flag can appear at
/// any time: the safety checklist and every field that is a red flag on its own (such as
/// `can_bear_weight`, read by a rule as `!can_bear_weight`).
pub fn carried_fields(_kb: &KnowledgeBase) -> Vec<String> {
    let mut fields: Vec<String> = safety_fields()
        .into_iter()
        .chain(runsore_triage::red_flag_fields().iter().map(|r| r.field))
        .map(str::to_owned)
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `can_bear_weight` is a red flag when false and is not on the checklist: a follow-up asks it.
    #[test]
    fn a_follow_up_asks_whether_the_leg_bears_weight() {
        let again = asked_again();
        let field = runsore_triage::red_flag_fields()
            .iter()
            .find(|r| !r.danger)
            .expect("a red flag that is a 'no'")
            .field;
        assert!(again.iter().any(|a| a.field == field), "{again:?}");
        for a in &again {
            assert!(!safety_fields().contains(&a.field), "{a:?}");
            assert!(
                carried_fields(runsore_triage::knowledge())
                    .iter()
                    .any(|f| f == a.field)
            );
        }
    }
}
