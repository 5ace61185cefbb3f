//! The dialogue's one rule for what to ask next, shared by the CLI's prompts and the web's pages:
//! the same runner giving the same answers is asked the same questions by either front end.
//!
//! The engine lists the questions still worth asking, best first ([`Assessment::questions`]). A
//! dialogue asks where and when first (every later question, the safety screen included, depends
//! on them), then the engine's best question that still has something open: a field neither
//! answered, nor skipped, nor marked "not sure". A checklist is asked with its open items only. The
//! result is due when nothing is left, when [`MAX_QUESTIONS`] were asked, or as soon as the engine
//! says emergency: no further question may delay that answer.

use runsore_model::{Intake, paths};
use runsore_triage::{Assessment, Question, Text, Triage};

/// The most questions one dialogue asks before it gives its result.
pub const MAX_QUESTIONS: usize = 20;

/// Where a dialogue stands.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The fields the runner skipped ("not sure" to a plain question).
    pub skipped: &'a [String],
    /// How many questions were asked so far.
    pub asked: usize,
    /// Only red-flag questions (the follow-up asks these and nothing else).
    pub red_flags_only: bool,
}

impl Progress<'_> {
    /// True when `field` can still be asked: not answered, not skipped, not "not sure".
    fn open(&self, intake: &Intake, field: &str) -> bool {
        !self.skipped.iter().any(|s| s == field)
            && intake.value(field).is_none()
            && !intake.is_not_sure(field)
    }
}

/// Where, then when the pain began, while either is unknown and not skipped: asked before the
/// engine's own questions, as the web's first page asks where with the body map.
fn opening_question(intake: &Intake, progress: &Progress<'_>) -> Option<Question> {
    if progress.red_flags_only {
        return None;
    }
    [paths::WHERE, paths::ONSET]
        .into_iter()
        .filter(|f| progress.open(intake, f))
        .find_map(|field| {
            let spec = runsore_triage::find_question(field)?;
            let options = runsore_triage::fields::field_kind(field).map_or(&[][..], |(_, o)| o);
            Some(Question {
                field: field.into(),
                fields: Vec::new(),
                items: Vec::new(),
                safety: false,
                text: spec.question.as_str().into(),
                answer: spec.answer,
                options,
                red_flag: false,
                could_change: 1.0,
            })
        })
}

/// The dialogue's next question: where and when while unknown, then the engine's best question
/// (a checklist with its open items only); `None` when the result is due. `assessment` is the
/// engine's for `intake`: an emergency ends the dialogue before anything else is asked.
pub fn next_question(
    assessment: &Assessment,
    intake: &Intake,
    progress: &Progress<'_>,
) -> Option<Question> {
    if assessment.triage == Triage::Emergency || progress.asked >= MAX_QUESTIONS {
        return None;
    }
    opening_question(intake, progress)
        .or_else(|| open_questions(assessment, intake, progress).next())
}

/// The engine's questions still open at this point of the dialogue, best first, each checklist
/// with its open items only: the first is [`next_question`]'s, and their number tells the runner
/// about how many are left.
pub fn open_questions<'a>(
    assessment: &'a Assessment,
    intake: &'a Intake,
    progress: &'a Progress<'a>,
) -> impl Iterator<Item = Question> + 'a {
    assessment
        .questions
        .iter()
        .filter(|q| q.red_flag || !progress.red_flags_only)
        .filter_map(|q| {
            if q.fields.is_empty() {
                return progress.open(intake, &q.field).then(|| q.clone());
            }
            let (fields, items): (Vec<Text>, Vec<Text>) = q
                .fields
                .iter()
                .zip(&q.items)
                .filter(|(f, _)| progress.open(intake, f))
                .map(|(f, i)| (f.clone(), i.clone()))
                .unzip();
            Some(Question {
                field: fields.first()?.clone(),
                fields,
                items,
                ..q.clone()
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intake(json: &str) -> Intake {
        runsore_triage::parse_intake(json).unwrap()
    }

    fn assess(i: &Intake) -> Assessment {
        runsore_triage::assess(
            runsore_triage::knowledge(),
            i,
            &runsore_model::DerivedEvidence::default(),
        )
    }

    const NONE: Progress<'static> = Progress {
        skipped: &[],
        asked: 0,
        red_flags_only: false,
    };

    #[test]
    fn where_then_when_open_the_dialogue() {
        let first = |i: &Intake, p: &Progress<'_>| next_question(&assess(i), i, p).unwrap().field;
        let empty = intake("{}");
        assert_eq!(first(&empty, &NONE), "where");
        let placed = intake(r#"{"where":["buttock"]}"#);
        assert_eq!(first(&placed, &NONE), "onset");
        let skipped = ["onset".to_string()];
        let p = Progress {
            skipped: &skipped,
            ..NONE
        };
        assert_ne!(first(&placed, &p), "onset");
        let known = intake(r#"{"where":["buttock"],"onset":"next_day"}"#);
        assert!(!["where", "onset"].contains(&first(&known, &NONE).as_str()));
        // A danger sign already known ends the dialogue before where and when are asked.
        let urgent = intake(r#"{"saddle_numbness":true}"#);
        assert!(next_question(&assess(&urgent), &urgent, &NONE).is_none());
    }

    #[test]
    fn a_checklist_is_asked_with_its_open_items_only() {
        let i = intake(r#"{"where":["buttock"],"onset":"during_run"}"#);
        let first = next_question(&assess(&i), &i, &NONE).expect("a question");
        assert!(first.fields.len() >= 2, "{first:?}");
        // One item answered and one "not sure": both leave the list.
        let mut json = serde_json::to_value(&i).unwrap();
        json[first.fields[0].as_str()] = false.into();
        json["not_sure"] = serde_json::json!([first.fields[1].as_str()]);
        let i2 = runsore_triage::parse_intake(&json.to_string()).unwrap();
        let next = next_question(&assess(&i2), &i2, &NONE).expect("a question");
        for f in &first.fields[..2] {
            assert!(!next.fields.contains(f), "{f} asked again: {next:?}");
            assert_ne!(&next.field, f);
        }
        assert_eq!(next.fields.len(), next.items.len());
    }

    #[test]
    fn an_emergency_or_the_most_questions_ends_the_dialogue() {
        let i = intake(r#"{"where":["buttock"],"onset":"next_day","saddle_numbness":true}"#);
        let a = assess(&i);
        assert_eq!(a.triage, Triage::Emergency);
        assert!(next_question(&a, &i, &NONE).is_none());
        let i = intake(r#"{"where":["buttock"]}"#);
        let a = assess(&i);
        assert!(next_question(&a, &i, &NONE).is_some());
        let p = Progress {
            asked: MAX_QUESTIONS,
            ..NONE
        };
        assert!(next_question(&a, &i, &p).is_none());
    }

    #[test]
    fn red_flags_only_asks_red_flags_only() {
        let mut i = intake(r#"{"where":["buttock"],"onset":"next_day","pain":3}"#);
        let p = Progress {
            red_flags_only: true,
            ..NONE
        };
        let mut asked = 0;
        while let Some(q) = next_question(&assess(&i), &i, &Progress { asked, ..p }) {
            assert!(q.red_flag, "{q:?}");
            let mut json = serde_json::to_value(&i).unwrap();
            for f in q
                .fields
                .iter()
                .chain(q.fields.is_empty().then_some(&q.field))
            {
                json[f.as_str()] = false.into();
            }
            i = runsore_triage::parse_intake(&json.to_string()).unwrap();
            asked += 1;
            assert!(asked < MAX_QUESTIONS, "no end");
        }
    }
}
