//! Every vignette through the engine: top-1, top-3, exact triage and under-triage, on the
//! project's vignettes and on our own held-out ones.

mod common;

use common::{Score, load, run};

fn check(file: &str, min_top1: f64, min_top3: f64) {
    let mut score = Score::default();
    for case in load(file) {
        let out = run(&case.intake);
        score.add(&case, &out, 0);
    }
    score.report(file);
    assert!(
        score.pct(score.top1) >= min_top1,
        "{file}: top-1 below {min_top1}%"
    );
    assert!(
        score.pct(score.top3) >= min_top3,
        "{file}: top-3 below {min_top3}%"
    );
    assert_eq!(
        score.under_serious, 0,
        "{file}: urgent or emergency case under-triaged"
    );
}

#[test]
fn project_vignettes() {
    check("vignettes.json", 90.0, 100.0);
}

#[test]
fn extra_held_out_vignettes() {
    check("extra_vignettes.json", 90.0, 97.0);
}

/// 60 cases written blind by an independent reviewer who never read the engine or its knowledge
/// (the patterns of its first misses were fixed in the knowledge, never the cases).
#[test]
fn reviewer_blind_vignettes() {
    check("reviewer_vignettes.json", 95.0, 98.0);
}

/// A second blind set of 48 cases, by another reviewer, written after every fix above.
#[test]
fn second_reviewer_blind_vignettes() {
    check("reviewer2_vignettes.json", 95.0, 98.0);
}

/// A third blind set of 87 cases, written from the contract alone by a reviewer who read neither
/// the engine nor the knowledge base, covering all 20 conditions of contract version 2. Scored
/// once on the first version (43% top-1: most fields were unknown to it) and once on this one
/// before anything was changed because of it (89% top-1, 95% top-3, no serious under-triage);
/// the floors hold that second score.
#[test]
fn third_reviewer_blind_vignettes_v2() {
    check("blind3_vignettes.json", 88.0, 94.0);
}

/// A fourth blind set of 124 cases (2026-12-06), written from the contract alone by a reviewer who
/// read neither the engine nor the knowledge base, with traps for over-triage (dark yellow urine,
/// a dizzy spell that passed, someone else's sciatica). First score, on the build of that
/// morning and before anything changed because of it: 92% top-1, 95% top-3, 97% triage, no
/// serious under-triage. Only its even-numbered half was then used to find patterns; the odd half
/// stayed held out (92% top-1, 98% top-3 at the end of that day). The floors hold the end score.
#[test]
fn fourth_reviewer_blind_vignettes_v2() {
    check("blind4_vignettes.json", 93.0, 97.0);
}

/// A fifth blind set of 130 cases (2026-12-06, afternoon), written from the contract's README and
/// schema alone by a reviewer who read neither the engine, the knowledge base nor earlier sets,
/// with 27 over-triage traps and 25 danger signs said only indirectly. First score, on the build
/// of that morning (4c94a93) and before anything changed because of it: 88% top-1, 94% top-3, 98%
/// triage, no serious under-triage. Only its even-numbered half was looked at (two knowledge-base
/// patterns: the age asked wherever a growing hip is possible, the heartbeat asked after cramps
/// or a heavy sweat); the odd half stayed held out. The floors hold the end score.
#[test]
fn fifth_reviewer_blind_vignettes_v2() {
    check("blind5_vignettes.json", 87.0, 93.0);
}

/// A sixth blind set of 120 cases (2026-12-06, evening), written from the contract's README and
/// schema alone, with 28 over-triage traps, 24 danger signs said only indirectly and 19 sparse
/// stories. First score, on the build of that afternoon (415a8b8) and before anything changed
/// because of it: 89% top-1, 97% top-3, 98% triage, no serious under-triage. Only its
/// even-numbered half was looked at, by the lead, for patterns; the floors hold the end score.
#[test]
fn sixth_reviewer_blind_vignettes_v2() {
    check("blind6_vignettes.json", 88.0, 96.0);
}

/// A seventh blind set of 120 cases (2026-12-06, afternoon), written from the contract's README
/// and schema alone, in voices the earlier sets lack (dictation, one-liners, partners and
/// parents writing, mixed units), with 26 over-triage traps, 25 danger signs said indirectly and
/// 21 sparse stories. First score, on the build that began that afternoon (b15e251) and before
/// anything changed because of it: 95% top-1, 98% top-3, 98% triage, no serious under-triage.
/// Its odd-numbered half is held out, never read.
#[test]
fn seventh_reviewer_blind_vignettes_v2() {
    check("blind7_vignettes.json", 94.0, 97.0);
}

/// An eighth blind set of 120 cases (2026-12-06, evening), written from the contract's README and
/// schema alone, six per condition, in voices the earlier sets lack (non-native English, coaches
/// and partners writing, people over 70, sarcasm, medical words used wrongly), with 24 traps, 26
/// danger signs said indirectly, 20 sparse stories and 14 about someone else or the past. First
/// score, on the build that began that evening (b7af805) and before anything changed because of
/// it: 94% top-1, 98% top-3, 99% triage, no serious under-triage. Its odd-numbered half is held
/// out, never read.
#[test]
fn eighth_reviewer_blind_vignettes_v2() {
    check("blind8_vignettes.json", 93.0, 97.0);
}

/// A ninth blind set of 120 cases (2026-12-06, night), written from the contract's README and
/// schema alone, six per condition, in new voices (South African, Scots and Welsh English,
/// messages translated from Spanish, French and Italian, a nurse's shorthand, voice notes, runners
/// over 80, a parkrun marshal writing for someone), with 24 traps, 26 danger signs said indirectly,
/// 20 sparse stories and 14 about someone else or the past. First score, on the build that began
/// that night (af9d212) and before anything changed because of it: 91% top-1, 97% top-3, 99%
/// triage, no serious under-triage. Its odd-numbered half is held out, never read.
#[test]
fn ninth_reviewer_blind_vignettes_v2() {
    check("blind9_vignettes.json", 90.0, 96.0);
}

/// A tenth blind set of 120 cases (2026-12-06, late night), written from the contract's README and
/// schema alone, six per condition, in voices no earlier set has (Irish, Australian, New Zealand,
/// Indian, Nigerian and Canadian English, a teenager's texting, a coach writing for a client,
/// messages translated from German, Portuguese and Polish, dictation with homophones, emoji, long
/// rambling messages, doctors who run, carers, pregnant and postpartum runners), with 25 traps, 25
/// danger signs said indirectly, 20 sparse stories and 15 about someone else or the past. First
/// score, on the build that began that night (57b8ab2) and before anything changed because of it:
/// 94% top-1, 98% top-3, 99% triage, no serious under-triage. Its odd-numbered half is held out,
/// never read.
#[test]
fn tenth_reviewer_blind_vignettes_v2() {
    check("blind10_vignettes.json", 93.0, 97.0);
}

/// An eleventh blind set of 120 cases (2026-12-07, early morning), written from the contract's
/// README and schema alone, six per condition: Scottish, Welsh, South African, Singaporean and
/// Jamaican English, messages translated from Spanish, French, Arabic, Mandarin and Hindi,
/// runners over 70, parents, recruits, triathletes, ultra and trail jargon, clinicians'
/// shorthand, self-corrections, bullet lists, two complaints in one message, numbers and dates in
/// every form, sarcasm. First score, on the build that began that session (fbe64b4) and before
/// anything changed because of it: 96% top-1, 98% top-3, 100% triage, no serious under-triage.
/// Its odd-numbered half is held out.
#[test]
fn eleventh_reviewer_blind_vignettes_v2() {
    check("blind11_vignettes.json", 95.0, 97.0);
}

/// A twelfth blind set of 120 cases (2026-12-07, morning), written from the contract's README and
/// schema alone, six per condition: New Zealand, Kenyan, Ghanaian, Filipino, Yorkshire, Geordie,
/// Scouse, Cockney and London English, US Southern and African American English, Hinglish,
/// Taglish, Spanglish, messages translated from Japanese, Korean, Turkish, Russian, Swahili,
/// Vietnamese and Dutch; teenagers, runners over 65, pregnant and postpartum runners, coaches and
/// parents, two complaints in one message, old episodes beside new ones, medical words misused.
/// First score, on the build that began that session (d6888cc) and before anything changed
/// because of it: 96% top-1, 98% top-3, 100% triage, no serious under-triage. Nobody has read it;
/// its odd-numbered half stays held out.
#[test]
fn twelfth_reviewer_blind_vignettes_v2() {
    check("blind12_vignettes.json", 95.0, 97.0);
}

/// A thirteenth blind set of 120 cases (2026-12-07, session 11), written from the contract's
/// README and schema alone, six per condition: South African, Glaswegian, Doric, Irish, Welsh, Australian, Canadian, Jamaican,
/// Trinidadian, Nigerian Pidgin, Singaporean and Malaysian English, English from Kerala, Tamil Nadu and
/// Pakistan, messages translated from Brazilian Portuguese, French, German, Italian, Polish, Arabic,
/// Mandarin and Hindi; ultra and trail runners, triathletes, recruits, a downplayer and a
/// catastrophiser, voice dictation, forum posts, clinicians' jargon. First score, on the
/// build that began that session (a4a29ae) and before anything changed because of it: 95% top-1,
/// 100% top-3, 100% triage, no serious under-triage. Its odd-numbered half stays held out.
#[test]
fn thirteenth_reviewer_blind_vignettes_v2() {
    check("blind13_vignettes.json", 94.0, 99.0);
}

/// Set 14 (120 cases, 2026-12-07, session 12, from the contract alone: teenagers and their parents,
/// runners over 70, text-message brevity, rambling posts, speech-to-text, Yorkshire, Geordie, Scouse,
/// Cornish, Ulster, New Zealand and Highland English, American Southern, AAVE, New York and Texan,
/// Hawaiian Pidgin, Ghanaian, Kenyan, Zimbabwean, Sri Lankan, Bangladeshi, Filipino, Hong Kong and
/// Korean English, messages translated from Spanish, Portuguese, Dutch, Swedish, Russian, Turkish,
/// Japanese, Vietnamese and Farsi; wheelchair racers, guide runners, parkrun volunteers, a nurse, a
/// sceptic, a worried spouse, a runner quoting a GP). First score, on the build that began that session (d540119) and before anything
/// changed because of it: 96% top-1, 99% top-3, 100% triage, no serious under-triage. Nobody but
/// its writer has read it.
#[test]
fn fourteenth_reviewer_blind_vignettes_v2() {
    check("blind14_vignettes.json", 95.0, 99.0);
}
