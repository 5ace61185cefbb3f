//! The result of `runsore check` as a runner reads it in a terminal.
//!
//! The default is short enough for one screen: the headline; the likely cause with its three
//! strongest reasons in plain words; what to do now; when to get help; then the disclaimer.
//! `--full` adds the rest (other causes, the care plan, the expected course, the evidence notes,
//! sources, pacing). An emergency is said first and again last, in red when standard output is a
//! terminal, so that it is on screen whichever end the runner looks at. A result resting on
//! unanswered safety questions never leads with "look after it yourself". Reasons carry no
//! likelihood ratios, and a sentence about a run is printed once, however many causes it
//! supports. Every medical word comes from the assessment (the knowledge base): this module only
//! chooses what to show and in what order.

use std::collections::HashSet;
use std::fmt::Write as _;

use console::Style;
use runsore_model::{DerivedEvidence, DerivedFinding, Intake, paths};
use runsore_training::report::Pacing;
use runsore_triage::{Assessment, Origin, Reason, Triage};

/// What the result shows and how.
pub struct Options {
    /// Everything, not only the short form.
    pub full: bool,
    /// Colour (standard output is a terminal and colour is not turned off).
    pub colour: bool,
}

/// Everything a result is made from.
pub struct Input<'a> {
    /// The assessment.
    pub assessment: &'a Assessment,
    /// The intake as the runner gave it (without the runs' findings).
    pub intake: &'a Intake,
    /// Everything the runs say, also what the runner's own answers overrode.
    pub derived: &'a DerivedEvidence,
    /// Pacing advice from the runs, when the likely cause is overload.
    pub pacing: Option<&'a Pacing>,
    /// What was read from the runner's words: (field, value in words, the words).
    pub understood: Vec<(String, String, String)>,
}

/// The headline for a level.
fn level_words(t: Triage) -> &'static str {
    match t {
        Triage::SelfCare => "Look after it yourself",
        Triage::SeeDoctor => "See a clinician or physiotherapist in the coming days",
        Triage::Urgent => "Urgent: see a clinician within 24 hours and stop running",
        Triage::Emergency => "EMERGENCY: get care now",
    }
}

/// A level as a phrase inside a sentence: "usually self-care".
pub fn level_phrase(t: Triage) -> &'static str {
    match t {
        Triage::SelfCare => "self-care at home",
        Triage::SeeDoctor => "a clinician or physiotherapist in the coming days",
        Triage::Urgent => "a clinician within 24 hours",
        Triage::Emergency => "emergency care",
    }
}

/// Whether the result rests on too little: the engine's safety screen incomplete (the web leads
/// with its headline then too), a red-flag answer pending, or nothing known.
pub fn not_enough(a: &Assessment, intake: &Intake, derived: &DerivedEvidence) -> bool {
    !a.safety.complete
        || !a.pending_red_flags.is_empty()
        || (*intake == Intake::default() && derived.findings.is_empty())
}

/// A percentage a runner can read: "about 70%", "under 1%".
fn percent(p: f64) -> String {
    let pct = p * 100.0;
    if pct < 1.0 {
        "under 1%".into()
    } else {
        format!("about {pct:.0}%")
    }
}

/// How strongly one reason points, in words instead of a likelihood ratio.
fn strength(r: &Reason) -> &'static str {
    let lr = r.likelihood_ratio.max(1e-9);
    let lr = if lr >= 1.0 { lr } else { 1.0 / lr };
    if lr >= 3.0 {
        "strongly"
    } else if lr >= 1.5 {
        "clearly"
    } else {
        "a little"
    }
}

struct Writer<'a> {
    out: String,
    told: HashSet<String>,
    opts: &'a Options,
}

impl Writer<'_> {
    fn style(&self, s: Style) -> Style {
        s.force_styling(self.opts.colour)
    }

    fn line(&mut self, text: impl AsRef<str>) {
        let _ = writeln!(self.out, "{}", text.as_ref());
    }

    fn heading(&mut self, text: &str) {
        let styled = self.style(Style::new().bold()).apply_to(text).to_string();
        self.line(format!("\n{styled}"));
    }

    /// A reason in plain words; a run's sentence only the first time it is told.
    fn reason(&mut self, r: &Reason) -> String {
        let mut s = r.text.to_string();
        if r.from == Origin::Runs {
            match &r.because {
                Some(b) if self.told.insert(b.clone()) => {
                    let _ = write!(s, " (from your watch: {b})");
                }
                _ => s.push_str(" (from your watch, above)"),
            }
        }
        s
    }

    fn emergency(&mut self, a: &Assessment) {
        let red = self.style(Style::new().red().bold().reverse());
        let bold_red = self.style(Style::new().red().bold());
        self.line(red.apply_to(" EMERGENCY: GET CARE NOW ").to_string());
        self.line(bold_red.apply_to(&a.what_to_do_now).to_string());
        for flag in &a.red_flags {
            self.line(format!("  ! {} {}", flag.why, flag.action));
        }
    }
}

/// Renders the result.
pub fn render(input: &Input<'_>, opts: &Options) -> String {
    let a = input.assessment;
    let mut w = Writer {
        out: String::new(),
        told: HashSet::new(),
        opts,
    };
    let emergency = a.triage == Triage::Emergency;
    let thin = not_enough(a, input.intake, input.derived);

    // 1. The headline.
    if emergency {
        w.emergency(a);
    } else if thin && a.triage == Triage::SelfCare {
        let s = w.style(Style::new().yellow().bold());
        // The engine's words, the same the web leads with.
        let headline: &str = match &a.safety.headline {
            Some(h) => h.as_ref(),
            None => &runsore_triage::knowledge().safety_headline,
        };
        w.line(s.apply_to(headline).to_string());
        // The knowledge base's words, the same the web shows; then how to answer here.
        w.line(format!(
            "{} Run `runsore check` in a terminal to answer them, or answer them below.",
            runsore_triage::knowledge().safety_until
        ));
    } else {
        let s = w.style(match a.triage {
            Triage::Urgent => Style::new().red().bold(),
            Triage::SeeDoctor => Style::new().yellow().bold(),
            _ => Style::new().green().bold(),
        });
        w.line(s.apply_to(level_words(a.triage)).to_string());
        w.line(&a.what_to_do_now);
        for flag in &a.red_flags {
            w.line(format!("  ! {} {}", flag.why, flag.action));
        }
    }
    if thin {
        let questions: Vec<_> = a.questions.iter().filter(|q| q.red_flag).collect();
        if !questions.is_empty() {
            w.heading("Still to answer (safety)");
            // A checklist's items are the signs to watch for meanwhile, so they are listed; the
            // screen's pages share one wording, said once.
            let mut said: Vec<&str> = Vec::new();
            for q in questions {
                if !said.contains(&q.text.as_ref()) {
                    w.line(format!("  ? {}", q.text));
                    said.push(q.text.as_ref());
                }
                for item in &q.items {
                    w.line(format!("      - {item}"));
                }
            }
        }
    }

    // What was read from the runner's words, in plain words.
    if !input.understood.is_empty() {
        w.heading("What I understood from your words (correct me with `runsore check`)");
        for (field, value, words) in &input.understood {
            w.line(format!("  - {field}: {value} (\"{words}\")"));
        }
    }

    // 2. The watch: the run that explains the soreness, shown even where the runner's own
    // answers override it for the ranking.
    let watch: Vec<&DerivedFinding> = input
        .derived
        .findings
        .iter()
        .filter(|f| {
            opts.full
                || matches!(
                    f.field.as_str(),
                    paths::RUN_UNACCUSTOMED
                        | paths::RUN_DOWNHILL
                        | paths::TRAINING_WEEKLY_INCREASE_PCT
                )
        })
        .collect();
    if !watch.is_empty() {
        w.heading("From your watch");
        for f in watch {
            w.told.insert(f.because.clone());
            let note = if a.from_runs.iter().any(|u| u.field == f.field) {
                ""
            } else {
                " (your own answer counts instead)"
            };
            w.line(format!("  - {}{note}", f.because));
        }
    }

    // 3. The likely cause and its three strongest reasons.
    let shown: Vec<_> = a
        .conditions
        .iter()
        .filter(|c| c.probability >= runsore_triage::EXPLAINED_MIN_PROBABILITY)
        .take(if opts.full { 5 } else { 1 })
        .collect();
    let nothing_known = *input.intake == Intake::default() && input.derived.findings.is_empty();
    if let Some(top) = shown.first().filter(|_| !nothing_known) {
        w.heading(&format!(
            "Most likely: {} ({})",
            top.name,
            percent(top.probability)
        ));
        for r in top.for_.iter().take(3) {
            let line = w.reason(r);
            w.line(format!("  - {line}"));
        }
    }
    if opts.full {
        for c in shown.iter().skip(1) {
            w.heading(&format!(
                "Also possible: {} ({})",
                c.name,
                percent(c.probability)
            ));
            for r in c.for_.iter().take(3) {
                let line = w.reason(r);
                w.line(format!("  + {} points to it {}", line, strength(r)));
            }
            for r in c.against.iter().take(2) {
                let line = w.reason(r);
                w.line(format!("  - {} points away from it {}", line, strength(r)));
            }
        }
        if let Some(top) = shown.first()
            && !top.against.is_empty()
        {
            w.heading(&format!("What points away from {}", top.name));
            for r in top.against.iter().take(3) {
                let line = w.reason(r);
                w.line(format!("  - {line}"));
            }
        }
    }

    // 4. What to do now: the level's action; at self-care or see-a-clinician, the first care
    // steps of the likely cause (an urgent or emergency result is not a home care plan).
    let advice = a.advice.first();
    w.heading("What to do now");
    let reassuring = thin && a.triage == Triage::SelfCare;
    if emergency {
        w.line("  Get emergency care now (see above).");
    } else if reassuring {
        w.line(
            "  Answer the safety questions above first. Until then, do not run on it, and get \
             care at once if any of those signs appears.",
        );
    } else {
        w.line(format!("  {}", a.what_to_do_now));
    }
    if a.triage <= Triage::SeeDoctor
        && !reassuring
        && let Some(adv) = advice
    {
        let steps = if opts.full { adv.info.care.len() } else { 3 };
        for (i, step) in adv.info.care.iter().take(steps).enumerate() {
            w.line(format!("  {}. {}", i + 1, step.text));
        }
        if opts.full && !adv.info.avoid.is_empty() {
            w.heading("What not to do");
            for step in &adv.info.avoid {
                w.line(format!("  - {}", step.text));
            }
        }
    }

    // 5. When to get help.
    if let Some(adv) = advice {
        w.heading("When to get help");
        for step in &adv.info.escalate {
            w.line(format!("  - {}", step.text));
        }
    }

    if opts.full {
        if let Some(adv) = advice {
            w.heading("What to expect");
            w.line(format!("  {}", adv.info.course.text));
            if !adv.info.evidence.is_empty() {
                w.heading("The source article and newer evidence");
                for note in &adv.info.evidence {
                    w.line(format!("  - {} {}", note.article, note.modern));
                }
            }
            w.heading("Sources");
            for s in &adv.info.sources {
                w.line(format!("  [{}] {} <{}>", s.id, s.title, s.url));
            }
        }
        let others: Vec<_> = a.questions.iter().filter(|q| !q.red_flag).take(3).collect();
        if !others.is_empty() {
            w.heading("Answers that could change this");
            for q in others {
                w.line(format!("  ? {}", q.text));
            }
        }
    }
    // Pacing is for overload at home, never beside an urgent or emergency result.
    if let Some(p) = input
        .pacing
        .filter(|_| a.triage <= Triage::SeeDoctor && !thin)
    {
        w.heading("Pacing your way back (from your recorded runs)");
        let n = if opts.full { p.advice.len() } else { 1 };
        for line in p.advice.iter().take(n) {
            w.line(format!("  - {line}"));
        }
    }
    if !opts.full {
        w.line(
            "\nThe other causes, the full care plan, what to expect and the sources: add --full.",
        );
    }

    // 6. The emergency again, then the disclaimer last.
    if emergency {
        w.line("");
        w.emergency(a);
    }
    w.line(format!("\n{}", a.disclaimer));
    if opts.full {
        w.line(format!("(knowledge base {})", a.knowledge_version));
    }
    w.out
}

/// The fields read from the runner's words in plain words, each with the words it was read from:
/// the field's name and the value read ("Where it hurts", "buttock", "bum"), worded as the web's
/// "from your words we understood" words them (`runsore_model::answer_words`). One line a value:
/// a span names one value of a field, so a field read twice (two places, two feelings) shows
/// each beside its own words. Only what the assessed intake still holds: a sign the runner then
/// ruled out or was not sure of, or an answer given over the words, is not shown as understood.
pub fn understood_words(
    understood: &runsore_story::Understood,
    assessed: &Intake,
) -> Vec<(String, String, String)> {
    let kept = |field: &str, value: &serde_json::Value| {
        assessed.value(field).is_some_and(|now| now.holds(value))
    };
    let mut out: Vec<(String, String, String)> = Vec::new();
    for span in understood
        .evidence
        .iter()
        .filter(|s| kept(&s.field, &s.value))
    {
        let what = runsore_model::field_name(&span.field);
        let value = runsore_model::answer_words(&span.field, &span.value);
        if !out.iter().any(|(w, v, _)| *w == what && *v == value) {
            out.push((what, value, span.text.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assess(intake: &str) -> (Assessment, Intake) {
        let intake = runsore_triage::parse_intake(intake).unwrap();
        let a = runsore_triage::assess(
            runsore_triage::knowledge(),
            &intake,
            &DerivedEvidence::default(),
        );
        (a, intake)
    }

    fn text(intake: &str, full: bool) -> String {
        let (a, intake) = assess(intake);
        let derived = DerivedEvidence::default();
        render(
            &Input {
                assessment: &a,
                intake: &intake,
                derived: &derived,
                pacing: None,
                understood: Vec::new(),
            },
            &Options {
                full,
                colour: false,
            },
        )
    }

    #[test]
    fn an_empty_intake_never_reads_as_reassurance() {
        let t = text("{}", false);
        assert!(t.starts_with("Not enough to go on yet"), "{t}");
        assert!(!t.contains("Look after it yourself"), "{t}");
    }

    /// The runner's words told where and when but no safety question was answered: the
    /// engine's screen is incomplete, so the result leads with its headline (as the web's does),
    /// never with "look after it yourself".
    #[test]
    fn an_incomplete_safety_screen_never_reads_as_reassurance() {
        let intake = r#"{"where":["buttock"],"sides":"right","days_since_onset":1,
            "feels":["aching","stiff"],"pain_stairs":true}"#;
        let (a, _) = assess(intake);
        assert_eq!(a.triage, Triage::SelfCare);
        assert!(!a.safety.complete);
        let t = text(intake, false);
        let headline: &str = a
            .safety
            .headline
            .as_ref()
            .expect("the engine's headline")
            .as_ref();
        assert!(t.starts_with(headline), "{t}");
        assert!(t.contains(&runsore_triage::knowledge().safety_until), "{t}");
        assert!(!t.contains("Look after it yourself"), "{t}");
    }

    /// The safety questions still open are listed with the signs they ask about (what to watch
    /// for meanwhile), each wording once even when the screen comes in two pages.
    #[test]
    fn the_signs_still_to_answer_are_listed_once_each() {
        let intake = r#"{"where":["buttock"],"sides":"both","onset":"next_day","pain":3}"#;
        let (a, _) = assess(intake);
        let screens: Vec<_> = a.questions.iter().filter(|q| q.safety).collect();
        assert!(!screens.is_empty());
        let t = text(intake, false);
        for q in &screens {
            assert_eq!(t.matches(q.text.as_ref()).count(), 1, "{t}");
            for item in &q.items {
                assert!(t.contains(&format!("- {item}")), "{item}: {t}");
            }
        }
    }

    #[test]
    fn an_emergency_is_first_and_last_before_the_disclaimer() {
        let t = text(
            r#"{"where":["buttock"],"dark_urine":true,"onset":"next_day"}"#,
            false,
        );
        assert!(t.starts_with(" EMERGENCY: GET CARE NOW"), "{t}");
        let last = t.rfind("EMERGENCY: GET CARE NOW").unwrap();
        assert!(last > t.len() / 2, "{t}");
        let disclaimer = runsore_triage::knowledge().disclaimer.trim();
        assert!(t.trim_end().ends_with(disclaimer), "{t}");
    }

    #[test]
    fn the_short_result_has_no_jargon_and_fits_a_screen() {
        let intake = r#"{"where":["buttock"],"onset":"next_day","run":{"downhill":true,
            "unaccustomed":true},"pain":4,"dark_urine":false,"saddle_numbness":false,
            "bladder_bowel_change":false,"can_bear_weight":true,
            "fever":false,"chest_pain":false,"short_of_breath":false,"fainting":false,
            "confusion":false,"swelling":false}"#;
        let t = text(intake, false);
        assert!(t.lines().count() <= 40, "{} lines:\n{t}", t.lines().count());
        for jargon in [" (x", "EWMA", " = yes", "self_care", "usually self"] {
            assert!(!t.contains(jargon), "{jargon:?} in:\n{t}");
        }
        assert!(t.contains("Most likely:"), "{t}");
        let full = text(intake, true);
        assert!(full.len() > t.len());
        assert!(!full.contains(" (x"), "{full}");
        // No cause at 0% is listed.
        assert!(
            !full.contains("(0%)") && !full.contains("about 0%"),
            "{full}"
        );
        let disclaimer = runsore_triage::knowledge().disclaimer.trim();
        let end = full.rfind(disclaimer).unwrap();
        assert!(!full[end..].contains("Pacing"), "{full}");
    }

    /// Each line pairs a value with the words it was read from: a field read twice (two places,
    /// two feelings) once put the first place's words beside the second place, and a feeling's
    /// words beside another feeling.
    #[test]
    fn understood_lines_pair_each_value_with_its_own_words() {
        // Monday 2026-12-07, 12:00 UTC.
        let u = runsore_app::read_story(
            "my bum hurts on the left after a 25k, sort of deep ache, had a bit of tingling down the back of the leg",
            1_796_644_800,
            0,
        );
        let lines: Vec<String> = understood_words(&u, &u.intake)
            .into_iter()
            .map(|(what, value, words)| format!("{what}: {value} (\"{words}\")"))
            .collect();
        for want in [
            "Where it hurts: buttock (\"bum\")",
            "Where it hurts: back of the thigh (\"back of the leg\")",
            "What it feels like: aching (\"ache\")",
            "What it feels like: tingling (\"tingling\")",
            "Run distance: 25 km (\"25k\")",
        ] {
            assert!(lines.iter().any(|l| l == want), "{want} not in {lines:#?}");
        }
    }

    /// A sign read from the words that the runner then ruled out is not listed as understood.
    #[test]
    fn understood_lines_leave_out_what_the_runner_corrected() {
        let u = runsore_app::read_story(
            "glutes wrecked since the long run, pee looked dark this morning",
            1_796_644_800,
            0,
        );
        assert_eq!(u.intake.dark_urine, Some(true), "{:?}", u.intake);
        let has_urine = |intake: &Intake| {
            understood_words(&u, intake)
                .iter()
                .any(|(what, _, _)| what.contains("urine"))
        };
        assert!(has_urine(&u.intake));
        let mut corrected = u.intake.clone();
        corrected.dark_urine = Some(false);
        assert!(!has_urine(&corrected));
        corrected.dark_urine = None;
        assert!(!has_urine(&corrected));
    }
}
