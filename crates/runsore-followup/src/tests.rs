//! Course comparison for every condition of the embedded knowledge base: on course, slow, worse,
//! overdue and resolved, at hours placed inside each condition's own windows.

use super::*;

fn progress(hours: f64, trend: Trend) -> Progress {
    Progress {
        hours,
        trend,
        first_pain: None,
        pain_now: None,
    }
}

#[test]
fn every_condition_on_course_slow_worse_overdue() {
    let kb = runsore_triage::knowledge();
    let mut failures = Vec::new();
    for c in &kb.conditions {
        let Windows {
            peak_end,
            resolution_end,
            max,
        } = Windows::of(&c.course);
        let mut check = |label: &str, p: Progress, want: Status, at_least: Triage| {
            let got = compare(&c.name, &c.course, c.triage, c.triage, &p);
            if got.status != want || got.at_least < at_least {
                failures.push(format!(
                    "{} {label} at {}h: want {want:?} >= {at_least:?}, got {:?} {:?} ({})",
                    c.id, p.hours, got.status, got.at_least, got.message
                ));
            }
        };
        check(
            "on course",
            progress(peak_end / 2.0, Trend::Better),
            Status::OnCourse,
            c.triage,
        );
        check(
            "worse",
            progress((peak_end + max) / 2.0 + 0.01, Trend::Worse),
            Status::Worse,
            c.triage.max(Triage::SeeDoctor),
        );
        if resolution_end < max {
            check(
                "slow",
                progress((resolution_end + max) / 2.0, Trend::Same),
                Status::Slow,
                Triage::SeeDoctor,
            );
        }
        check(
            "overdue",
            progress(max + 24.0, Trend::Better),
            Status::Overdue,
            Triage::SeeDoctor,
        );
        check(
            "gone",
            progress(max + 24.0, Trend::Gone),
            Status::Resolved,
            c.triage,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn doms_worse_on_day_six_is_off_course() {
    let kb = runsore_triage::knowledge();
    let doms = kb
        .conditions
        .iter()
        .find(|c| c.id == "doms")
        .expect("doms is in the knowledge base");
    let got = compare(
        &doms.name,
        &doms.course,
        doms.triage,
        doms.triage,
        &progress(5.0 * 24.0 + 3.0, Trend::Worse),
    );
    assert_eq!(got.status, Status::Worse);
    assert_eq!(got.at_least, Triage::SeeDoctor);
    assert!(
        got.message
            .starts_with("day 6 and worse: this is not the usual course of"),
        "{}",
        got.message
    );
    // Worse on day 2 is the usual peak of DOMS: no escalation.
    let early = compare(
        &doms.name,
        &doms.course,
        doms.triage,
        doms.triage,
        &progress(30.0, Trend::Worse),
    );
    assert_eq!(
        (early.status, early.at_least),
        (Status::OnCourse, Triage::SelfCare)
    );
    assert!(
        early.message.ends_with("check again tomorrow"),
        "{}",
        early.message
    );
    // On course, but today's answers reached a clinician's look by themselves (pain of 7): the
    // course does not tell the runner to wait and see above that result.
    let seen = compare(
        &doms.name,
        &doms.course,
        doms.triage,
        Triage::SeeDoctor,
        &progress(30.0, Trend::Worse),
    );
    assert_eq!(seen.status, Status::OnCourse);
    assert!(!seen.message.contains("tomorrow"), "{}", seen.message);
}

#[test]
fn a_two_point_rise_in_pain_counts_as_worse() {
    let kb = runsore_triage::knowledge();
    let doms = kb
        .conditions
        .iter()
        .find(|c| c.id == "doms")
        .expect("doms is in the knowledge base");
    let p = Progress {
        hours: 100.0,
        trend: Trend::Same,
        first_pain: Some(3),
        pain_now: Some(5),
    };
    assert_eq!(
        compare(&doms.name, &doms.course, doms.triage, doms.triage, &p).status,
        Status::Worse
    );
}

#[test]
fn burning_still_there_hours_later_is_not_the_burn_of_hard_effort() {
    let kb = runsore_triage::knowledge();
    let burn = kb
        .conditions
        .iter()
        .find(|c| c.id == "lactic_acid")
        .expect("lactic_acid is known");
    let got = compare(
        &burn.name,
        &burn.course,
        burn.triage,
        burn.triage,
        &progress(12.0, Trend::Same),
    );
    assert_eq!(got.status, Status::Overdue);
    assert!(got.at_least >= Triage::SeeDoctor);
}

fn evidence(fields: &[(&str, serde_json::Value)]) -> runsore_model::DerivedEvidence {
    runsore_model::DerivedEvidence {
        findings: fields
            .iter()
            .map(|(f, v)| runsore_model::DerivedFinding {
                field: (*f).into(),
                value: v.clone(),
                because: format!("your run said {f}"),
                run_id: Some(1),
            })
            .collect(),
    }
}

#[test]
fn triggers_name_a_pattern_only_when_it_repeats() {
    use serde_json::json;
    let downhill = evidence(&[("run.downhill", json!(true))]);
    let spike = evidence(&[("training.weekly_increase_pct", json!(45.0))]);
    let flat = evidence(&[("run.downhill", json!(false))]);
    let got = triggers(&[downhill.clone(), downhill.clone(), flat.clone()]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("2 of your last 3 episodes followed much downhill running"));
    assert!(triggers(&[downhill.clone(), flat.clone(), flat.clone(), spike.clone()]).is_empty());
    assert!(
        triggers(&[downhill]).is_empty(),
        "one episode is no pattern"
    );
    let got = triggers(&[spike.clone(), spike]);
    assert!(
        got[0].contains("weekly distance rising by more than 30%"),
        "{got:?}"
    );
}
