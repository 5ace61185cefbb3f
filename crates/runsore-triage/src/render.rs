//! The assessment as plain text for a terminal: what is likely and why, what to do now, the care
//! plan, the expected course, when to get help, sources, and the disclaimer.

use std::fmt::Write;

use crate::assess::{Assessment, Origin, Reason};
use crate::kb::Triage;

fn level_words(t: Triage) -> &'static str {
    match t {
        Triage::SelfCare => "SELF-CARE",
        Triage::SeeDoctor => "SEE A CLINICIAN IN THE COMING DAYS",
        Triage::Urgent => "URGENT: SEE A CLINICIAN WITHIN 24 HOURS",
        Triage::Emergency => "EMERGENCY: GET CARE NOW",
    }
}

fn reason_line(r: &Reason) -> String {
    let from = match (r.from, &r.because) {
        (Origin::Runs, Some(because)) => format!(" [from your runs: {because}]"),
        (Origin::Runs, None) => " [from your runs]".to_string(),
        (Origin::Runner, _) => String::new(),
    };
    format!("{} (x{:.1}){from}", r.text, r.likelihood_ratio)
}

fn hours(h: f64) -> String {
    if h < 1.0 {
        format!("{:.0} min", h * 60.0)
    } else if h < 48.0 {
        format!("{h:.0} h")
    } else if h < 24.0 * 14.0 {
        format!("{:.0} days", h / 24.0)
    } else {
        format!("{:.0} weeks", h / 168.0)
    }
}

/// Renders an assessment as human-readable text (the CLI prints it).
pub fn render_text(a: &Assessment) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "{}", level_words(a.triage));
    let _ = writeln!(w, "{}", a.what_to_do_now);
    for flag in &a.red_flags {
        let _ = writeln!(w, "  ! {} {}", flag.why, flag.action);
    }
    if let Some(note) = &a.pending_note {
        let _ = writeln!(w, "\n{note}");
        for q in a.questions.iter().filter(|q| q.red_flag) {
            let _ = writeln!(w, "  ? {}", q.text);
        }
    }

    let _ = writeln!(w, "\nWhat is most likely");
    for (i, c) in a.conditions.iter().take(3).enumerate() {
        let _ = writeln!(w, "  {}. {} ({:.0}%)", i + 1, c.name, c.probability * 100.0);
        if !c.for_.is_empty() {
            let list: Vec<String> = c.for_.iter().take(4).map(reason_line).collect();
            let _ = writeln!(w, "     for: {}", list.join("; "));
        }
        if !c.against.is_empty() {
            let list: Vec<String> = c.against.iter().take(3).map(reason_line).collect();
            let _ = writeln!(w, "     against: {}", list.join("; "));
        }
    }

    for adv in &a.advice {
        let _ = writeln!(w, "\n{} ({:.0}%)", adv.info.name, adv.probability * 100.0);
        let _ = writeln!(w, "  {}", adv.info.summary);
        for s in &adv.severity {
            let _ = writeln!(w, "  Severity: {s}");
        }
        let _ = writeln!(w, "\n  Care plan");
        for (i, step) in adv.info.care.iter().enumerate() {
            let _ = writeln!(w, "    {}. {}", i + 1, step.text);
        }
        let _ = writeln!(w, "  What not to do");
        for step in &adv.info.avoid {
            let _ = writeln!(w, "    - {}", step.text);
        }
        let _ = writeln!(w, "  Expected course");
        let _ = writeln!(w, "    {}", adv.info.course.text);
        if let Some([lo, hi]) = adv.info.course.resolution_hours {
            let _ = writeln!(
                w,
                "    Usually resolves within {} to {}.",
                hours(lo),
                hours(hi)
            );
        }
        let _ = writeln!(w, "  When to get help");
        for step in &adv.info.escalate {
            let _ = writeln!(w, "    - {}", step.text);
        }
        if !adv.info.evidence.is_empty() {
            let _ = writeln!(w, "  The source article and newer evidence");
            for note in &adv.info.evidence {
                let _ = writeln!(w, "    - {} {}", note.article, note.modern);
            }
        }
        let _ = writeln!(w, "  Sources");
        for s in &adv.info.sources {
            let _ = writeln!(w, "    [{}] {} <{}>", s.id, s.citation(), s.url);
        }
    }

    let others: Vec<_> = a.questions.iter().filter(|q| !q.red_flag).take(3).collect();
    if !others.is_empty() {
        let _ = writeln!(w, "\nAnswers that could change this");
        for q in others {
            let _ = writeln!(w, "  ? {}", q.text);
        }
    }
    let _ = writeln!(w, "\n{}", a.disclaimer);
    let _ = writeln!(w, "(knowledge base {})", a.knowledge_version);
    out
}
