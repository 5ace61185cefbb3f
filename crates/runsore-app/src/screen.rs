//! The safety screen: the danger signs asked before any other question, derived from the
//! knowledge base's red-flag rules so that no front end keeps a list of its own.

use std::sync::OnceLock;

use runsore_triage::KnowledgeBase;

/// One sign on the safety screen: a yes/no intake field a red-flag rule reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SafetySign {
    /// The intake field.
    pub field: String,
    /// The sign in plain words, as the runner would tick it.
    pub words: String,
    /// The field's value when the sign is ticked (`false` for a rule's `!field`, such as
    /// "cannot bear weight").
    pub when_ticked: bool,
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The signs in the order the rules name them (the most urgent rules come first), each field
/// once. Only plain yes/no findings are screened; a rule's other clauses (how long the run was,
/// where it hurts) come from the rest of the intake.
pub fn safety_screen_of(kb: &KnowledgeBase) -> Vec<SafetySign> {
    let mut signs: Vec<SafetySign> = Vec::new();
    for literal in kb
        .red_flags
        .iter()
        .flat_map(|rule| rule.when.iter().flatten())
    {
        let negated = literal.starts_with('!');
        let id = literal.trim_start_matches('!');
        let Some(finding) = kb.findings.iter().find(|f| f.id == id) else {
            continue;
        };
        let yes_no = finding.values.is_empty()
            && finding.value.is_none()
            && finding.min.is_none()
            && finding.above.is_none()
            && finding.max.is_none()
            && finding.up_to.is_none()
            && matches!(
                runsore_triage::find_question(&finding.field).map(|q| q.answer),
                Some(runsore_triage::fields::AnswerKind::YesNo)
            );
        if !yes_no || signs.iter().any(|s| s.field == finding.field) {
            continue;
        }
        let words = if negated {
            finding
                .label_absent
                .clone()
                .unwrap_or_else(|| format!("not {}", finding.label))
        } else {
            finding.label.clone()
        };
        signs.push(SafetySign {
            field: finding.field.clone(),
            words: capitalised(&words),
            when_ticked: !negated,
        });
    }
    signs
}

/// The safety screen of the embedded knowledge base.
pub fn safety_screen() -> &'static [SafetySign] {
    static SCREEN: OnceLock<Vec<SafetySign>> = OnceLock::new();
    SCREEN.get_or_init(|| safety_screen_of(runsore_triage::knowledge()))
}
