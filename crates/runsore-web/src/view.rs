//! The bridge to the core's results: intake parsing, and a result (made now, or stored with a
//! check-in) laid out as an [`AssessmentView`]. Both go through the one typed stored result,
//! [`runsore_app::views::StoredResult`], so old check-ins render with the same code as new ones.

use runsore_app::views::{ReasonFrom, StoredReason, StoredResult};
use runsore_model::Intake;

use crate::backend::{
    AssessmentView, ConditionView, CourseView, Level, QuestionView, Reason, SourceView,
};

/// Parses intake JSON; on error, the field at fault (when one is) and the message.
pub fn parse_intake(json: &str) -> Result<Intake, (Option<String>, String)> {
    runsore_triage::parse_intake(json).map_err(|e| (e.field().map(str::to_owned), e.to_string()))
}

fn level(t: runsore_triage::Triage) -> Level {
    match t {
        runsore_triage::Triage::SelfCare => Level::SelfCare,
        runsore_triage::Triage::SeeDoctor => Level::SeeDoctor,
        runsore_triage::Triage::Urgent => Level::Urgent,
        runsore_triage::Triage::Emergency => Level::Emergency,
    }
}

fn reason(r: &StoredReason) -> Reason {
    Reason {
        text: match &r.because {
            Some(because) => format!("{}: {because}", r.text),
            None => r.text.clone(),
        },
        from_runs: r.from == ReasonFrom::Runs,
    }
}

fn mid(range: Option<[f64; 2]>) -> Option<f64> {
    range.map(|[a, b]| (a + b) / 2.0)
}

/// Lays out one of the engine's questions for a page.
pub fn question(q: &runsore_triage::Question) -> QuestionView {
    QuestionView {
        field: q.field.to_string(),
        text: q.text.to_string(),
        red_flag: q.red_flag,
        fields: q.fields.iter().map(ToString::to_string).collect(),
        items: q.items.iter().map(ToString::to_string).collect(),
    }
}

/// Lays out a result for a page.
pub fn assessment(r: &StoredResult) -> AssessmentView {
    let conditions = r
        .conditions
        .iter()
        .map(|c| ConditionView {
            id: c.id.clone(),
            name: c.name.clone(),
            // A stored 1e308 is not a probability (it once showed as "inf%").
            probability: Some(c.probability)
                .filter(|p| runsore_model::bounds::PROBABILITY.contains(*p))
                .unwrap_or(0.0),
            reasons_for: c.for_.iter().map(reason).collect(),
            reasons_against: c.against.iter().map(reason).collect(),
        })
        .collect();
    // The web asks one question a page, and a checklist is one page of ticks, as the CLI asks
    // it: the red-flag ones (the limp that stands in for "can you stand and walk on the leg?",
    // sickness after a long run...) and the adaptive "which of these fit?" alike, so that the web's
    // dialogue is the engine's. The safety screen's own signs are on the safety page; what the
    // engine adds to the screen's spare slots is asked here.
    let screen = runsore_app::safety_fields();
    let questions = r
        .questions
        .iter()
        .filter_map(|q| {
            if q.fields.is_empty() {
                return Some(QuestionView {
                    field: q.field.clone(),
                    text: q.text.clone(),
                    red_flag: q.red_flag,
                    fields: Vec::new(),
                    items: Vec::new(),
                });
            }
            let (fields, items): (Vec<String>, Vec<String>) = q
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| !screen.contains(&f.as_str()))
                .map(|(i, f)| {
                    // A result stored before items were kept words each item as its question.
                    let item = q.items.get(i).cloned().or_else(|| {
                        runsore_triage::find_question(f).map(|spec| spec.question.clone())
                    });
                    (
                        f.clone(),
                        item.unwrap_or_else(|| f.replace(['_', '.'], " ")),
                    )
                })
                .unzip();
            Some(QuestionView {
                field: fields.first()?.clone(),
                text: q.text.clone(),
                red_flag: q.red_flag,
                fields,
                items,
            })
        })
        .collect();
    let top = r.advice.first();
    let course = top.and_then(|a| {
        let c = &a.course;
        let onset = mid(c.onset_hours).unwrap_or(0.0);
        let resolved = c.resolution_hours.map(|[_, b]| b).or(c.max_hours)?;
        let peak = mid(c.peak_hours).unwrap_or(onset).clamp(onset, resolved);
        Some(CourseView {
            label: a.name.clone(),
            onset_hours: onset,
            peak_hours: peak,
            resolved_hours: resolved,
            text: c.text.clone(),
        })
    });
    let texts = |steps: &[runsore_triage::Step]| -> Vec<String> {
        steps.iter().map(|s| s.text.clone()).collect()
    };
    let mut seen = std::collections::HashSet::new();
    let sources = r
        .advice
        .iter()
        .flat_map(|a| &a.sources)
        .filter(|s| seen.insert(s.title.clone()))
        .map(|s| SourceView {
            title: s.title.clone(),
            url: Some(s.url.clone())
                .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        })
        .collect();
    let red_flags = r
        .red_flags
        .iter()
        .map(|f| format!("{} {}", f.why, f.action).trim().to_string())
        .filter(|line| !line.is_empty())
        .collect();
    AssessmentView {
        triage: level(r.triage),
        triage_text: r.what_to_do_now.clone(),
        summary: top.map(|a| a.summary.clone()).unwrap_or_default(),
        // The engine's safety headline (safety questions unanswered) counts as the note too:
        // such a result must never read as reassurance.
        pending_note: r.pending_note.clone().or_else(|| r.safety.headline.clone()),
        from_runs: r.from_runs.iter().map(|f| f.because.clone()).collect(),
        conditions,
        questions,
        red_flags,
        care_plan: top.map(|a| texts(&a.care)).unwrap_or_default(),
        avoid: top.map(|a| texts(&a.avoid)).unwrap_or_default(),
        course,
        get_help: top.map(|a| texts(&a.escalate)).unwrap_or_default(),
        sources,
        disclaimer: r.disclaimer.clone(),
    }
}

/// A stored result that cannot be read (damaged, or written by a newer runsore), laid out fail
/// closed: at the most urgent level with why it cannot be shown, never as "look after it
/// yourself", and with no cause guessed.
pub fn unreadable(why: &str) -> AssessmentView {
    AssessmentView {
        triage: Level::Emergency,
        triage_text: String::new(),
        summary: String::new(),
        pending_note: Some(format!(
            "This check-in's result cannot be read ({why}), so it is shown at the most urgent \
             level. Start a new check-in to be assessed again."
        )),
        from_runs: Vec::new(),
        conditions: Vec::new(),
        questions: Vec::new(),
        red_flags: Vec::new(),
        care_plan: Vec::new(),
        avoid: Vec::new(),
        course: None,
        get_help: Vec::new(),
        sources: Vec::new(),
        disclaimer: runsore_triage::knowledge().disclaimer.clone(),
    }
}

/// A stored result as JSON laid out for a page: typed when it reads, fail closed when not.
pub fn stored(json: &serde_json::Value) -> AssessmentView {
    match StoredResult::read(json) {
        Ok(r) => assessment(&r),
        Err(e) => unreadable(&e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored_json(intake: &str) -> serde_json::Value {
        let intake = runsore_triage::parse_intake(intake).unwrap();
        let a = runsore_triage::assess(
            runsore_triage::knowledge(),
            &intake,
            &runsore_model::DerivedEvidence::default(),
        );
        let mut v = serde_json::to_value(&a).unwrap();
        v["version"] = runsore_app::views::RESULT_VERSION.into();
        v
    }

    #[test]
    fn unknown_or_damaged_stored_results_are_shown_fail_closed_without_a_cause() {
        // An unknown stored triage once read "Look after it yourself"; a missing cause once
        // fell back to DOMS.
        let mut v = stored_json(r#"{"where":["buttock"],"onset":"next_day","pain":3}"#);
        v["triage"] = "relax".into();
        let view = stored(&v);
        assert_eq!(view.triage, Level::Emergency);
        assert!(view.conditions.is_empty());
        assert!(view.pending_note.unwrap().contains("cannot be read"));
        assert_eq!(stored(&serde_json::json!({})).triage, Level::Emergency);
        // A result from a newer runsore is not read as this version's shape.
        let mut newer = stored_json(r#"{"where":["buttock"]}"#);
        newer["version"] = 99.into();
        assert_eq!(stored(&newer).triage, Level::Emergency);
    }

    #[test]
    fn a_stored_result_reads_back_as_the_assessment_it_was() {
        let v = stored_json(r#"{"where":["buttock"],"onset":"next_day","pain":3}"#);
        let view = stored(&v);
        let first = &v["conditions"][0];
        assert_eq!(view.conditions[0].id, first["id"].as_str().unwrap());
        assert_eq!(view.conditions[0].name, first["name"].as_str().unwrap());
        assert_eq!(
            serde_json::to_value(view.triage).unwrap(),
            v["triage"],
            "the level as stored"
        );
        assert_eq!(view.triage_text, v["what_to_do_now"].as_str().unwrap());
        assert!(!view.disclaimer.is_empty());
        // An absurd probability is shown as 0, not "inf%".
        let mut absurd = v.clone();
        absurd["conditions"][0]["probability"] = 1e308.into();
        assert_eq!(stored(&absurd).conditions[0].probability, 0.0);
    }
}
