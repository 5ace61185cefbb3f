//! Story mode on the blind sets: each case's own words, read as every front end reads them
//! ([`runsore_app::read_story`]) and assessed with no runs, against the triage a clinician gave
//! the case. The sets were written from the intake contract alone by reviewers who read neither
//! the reader nor the knowledge base (see each file's commit). Story mode alone is where runsore
//! is weakest on words nobody here wrote: the ceilings hold the serious under-triages measured,
//! so that they cannot silently grow, and each falls as the reader learns a pattern.

use runsore_model::Intake;
use runsore_triage::{Assessment, Triage};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Case {
    id: String,
    story: String,
    intake: Value,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    condition: String,
    triage: Triage,
}

/// A fixed time of check (Sunday 6 December 2026, 12:00 UTC), so that weekdays in the words
/// read the same on every run.
const NOW: i64 = 1_796_558_400;

struct Figures {
    n: usize,
    top1: usize,
    triage: usize,
    under_serious: usize,
    over_emergency: usize,
}

fn load(file: &str) -> Vec<Case> {
    let path = format!(
        "{}/../runsore-triage/tests/data/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn score(file: &str) -> Figures {
    let cases = load(file);
    let mut f = Figures {
        n: cases.len(),
        top1: 0,
        triage: 0,
        under_serious: 0,
        over_emergency: 0,
    };
    for case in &cases {
        let understood = runsore_app::read_story(&case.story, NOW, 0);
        let checked = runsore_app::checked(understood.intake, Default::default());
        let a = &checked.assessment;
        let top = a.conditions.first().map(|c| c.id.as_str());
        f.top1 += (top == Some(case.expect.condition.as_str())) as usize;
        f.triage += (a.triage == case.expect.triage) as usize;
        let under = a.triage < case.expect.triage && case.expect.triage >= Triage::Urgent;
        f.under_serious += under as usize;
        f.over_emergency +=
            (a.triage == Triage::Emergency && case.expect.triage <= Triage::SeeDoctor) as usize;
        if under {
            eprintln!(
                "serious under-triage {}: want {:?}, got {:?} ({:?})",
                case.id, case.expect.triage, a.triage, top
            );
        }
    }
    eprintln!(
        "{file}: n={} top-1 {:.0}% triage {:.0}% serious under {} sent to emergency wrongly {}",
        f.n,
        100.0 * f.top1 as f64 / f.n as f64,
        100.0 * f.triage as f64 / f.n as f64,
        f.under_serious,
        f.over_emergency
    );
    f
}

fn holds(file: &str, min_top1: f64, max_under_serious: usize, max_over_emergency: usize) {
    let f = score(file);
    let top1 = 100.0 * f.top1 as f64 / f.n as f64;
    assert!(
        top1 >= min_top1,
        "{file}: top-1 {top1:.1}% below {min_top1}%"
    );
    assert!(
        f.under_serious <= max_under_serious,
        "{file}: {} serious under-triages, more than {max_under_serious}",
        f.under_serious
    );
    assert!(
        f.over_emergency <= max_over_emergency,
        "{file}: {} sent to emergency wrongly, more than {max_over_emergency}",
        f.over_emergency
    );
}

/// The contract's 86 worked cases: no serious under-triage from the words alone.
#[test]
fn worked_cases_from_their_words() {
    holds("vignettes.json", 94.0, 0, 0);
}

/// Set 3 (87 cases), used as development data since it was scored.
#[test]
fn third_blind_set_from_their_words() {
    holds("blind3_vignettes.json", 86.0, 0, 0);
}

/// Set 4 (124 cases; its odd half was held out, never read).
#[test]
fn fourth_blind_set_from_their_words() {
    holds("blind4_vignettes.json", 89.0, 2, 1);
}

/// Set 5 (130 cases; its odd half was held out, never read).
#[test]
fn fifth_blind_set_from_their_words() {
    // 4 since the risk-context floors (a fall at an age not given, a teenager's hip pain of
    // unknown course, muscle breakdown's triad after a session not described).
    holds("blind5_vignettes.json", 72.0, 4, 0);
}

/// Set 6 (120 cases; its odd half was held out, never read).
#[test]
fn sixth_blind_set_from_their_words() {
    holds("blind6_vignettes.json", 83.0, 0, 0);
}

/// Set 7 (120 cases, 2026-12-06, from the contract alone, in voices the other sets lack:
/// dictation without punctuation, terse one-liners, stories told by a partner or parent).
/// First score, on the build that began that afternoon (b15e251) and before anything changed
/// because of it: 79% top-1, 81% triage, 14 serious under-triages, 2 sent to emergency wrongly
/// (`score_hard.py story`). Its odd half is held out, never read.
#[test]
fn seventh_blind_set_from_their_words() {
    // 1 since the risk-context floors.
    holds("blind7_vignettes.json", 85.0, 1, 1);
}

/// Set 8 (120 cases, 2026-12-06, evening, from the contract alone: non-native English, coaches
/// and partners writing, people over 70). First score, on the build that began that evening
/// (b7af805) and before anything changed because of it: 69% top-1, 77% triage, 17 serious
/// under-triages, 1 sent to emergency wrongly (`score_hard.py story`). Its odd half is held out,
/// never read. Session 7 (indirect signs: the loo paper, a foot like marble, steroids typed by
/// voice, a pupil's age): 72% top-1, 13 serious under-triages.
#[test]
fn eighth_blind_set_from_their_words() {
    // Session 8 (set 9 dev patterns): 74% top-1, 13 serious, 0 sent to emergency wrongly.
    // Session 12 (risk-context floors): 10 serious.
    holds("blind8_vignettes.json", 73.0, 10, 0);
}

/// Set 9 (120 cases, 2026-12-06, night, from the contract alone: South African, Scots and Welsh
/// English, translated messages, nurses' shorthand, voice notes, runners over 80). First score,
/// on the build that began that night (af9d212) and before anything changed because of it: 79%
/// top-1, 78% triage, 10 serious under-triages, 5 sent to emergency wrongly (`score_hard.py
/// story`). Its odd half is held out, never read. Session 8 (its dev half's patterns: a proxy
/// for a neighbour or a training partner, indirect confusion, a foot "out of a morgue", a stuck
/// hernia, numbness on the bike): 84% top-1, 3 serious under-triages, 3 sent to emergency wrongly.
#[test]
fn ninth_blind_set_from_their_words() {
    holds("blind9_vignettes.json", 83.0, 3, 3);
}

/// Set 10 (120 cases, 2026-12-06, late night, from the contract alone: Irish, Australian, Indian,
/// Nigerian and Canadian English, texting, translations from German, Portuguese and Polish,
/// dictation, long rambling messages, carers, pregnant runners). First score, on the build that
/// began that night (57b8ab2) and before anything changed because of it: 75% top-1, 78% triage,
/// 16 serious under-triages (11 in the held half), 4 sent to emergency wrongly (`score_hard.py
/// story`). Its odd half is held out, never read. Session 8's reader (proxies for a client,
/// crude and intimate words, questions answered in the next sentence): 80% top-1, 11 serious
/// under-triages, 3 sent to emergency wrongly.
#[test]
fn tenth_blind_set_from_their_words() {
    // 9 since the risk-context floors.
    holds("blind10_vignettes.json", 79.0, 9, 3);
}

/// Set 11 (120 cases, 2026-12-07, early morning, from the contract alone: Scottish, Welsh, South
/// African, Singaporean and Jamaican English, translations from Spanish, French, Arabic, Mandarin
/// and Hindi, clinicians' shorthand, self-corrections, two complaints in one message). First
/// score, on the build that began that session (fbe64b4) and before anything changed because of
/// it: 81% top-1, 85% triage, 10 serious under-triages (6 in the held half), 1 sent to emergency
/// wrongly (`score_hard.py story`). Its odd half is held out.
#[test]
fn eleventh_blind_set_from_their_words() {
    // 5 serious under-triages by session 12 (with its risk-context floors).
    holds("blind11_vignettes.json", 80.0, 5, 1);
}

/// Set 12(120 cases (2026-12-07, morning), written from the contract's README and
/// schema alone, six per condition: New Zealand, Kenyan, Ghanaian, Filipino, Yorkshire, Geordie,
/// Scouse, Cockney and London English, US Southern and African American English, Hinglish,
/// Taglish, Spanglish, messages translated from Japanese, Korean, Turkish, Russian, Swahili,
/// Vietnamese and Dutch; teenagers, runners over 65, pregnant and postpartum runners, coaches and
/// parents, two complaints in one message, old episodes beside new ones, medical words misused.
/// First score, on the build that began that session (d6888cc) and before anything changed
/// because of it: 77% top-1, 79% triage, 11 serious under-triages, 2 sent to emergency wrongly
/// (`score_hard.py story`). Nobody has read it; its odd half stays held out.
#[test]
fn twelfth_blind_set_from_their_words() {
    // 5 serious under-triages and none sent to emergency wrongly by session 12.
    holds("blind12_vignettes.json", 76.0, 5, 0);
}

/// Set 13 (120 cases, 2026-12-07, session 11, from the contract alone: South African, Glaswegian,
/// Doric, Irish, Welsh, Australian, Canadian, Jamaican, Trinidadian, Nigerian Pidgin, Singaporean
/// and Malaysian English, English from Kerala, Tamil Nadu and Pakistan, messages translated from
/// Brazilian Portuguese, French, German, Italian, Polish, Arabic, Mandarin and Hindi; ultra and
/// trail runners, triathletes, recruits, a downplayer and a catastrophiser, voice dictation, forum
/// posts, clinicians' jargon). First score, on the build that began that session (a4a29ae) and
/// before anything changed because of it: 76% top-1, 77% triage, 12 serious under-triages, 2 sent
/// to emergency wrongly (`score_hard.py story`). Its odd half stays held out.
#[test]
fn thirteenth_blind_set_from_their_words() {
    // 6 serious under-triages and 1 sent to emergency wrongly by session 12 (its floors).
    holds("blind13_vignettes.json", 75.0, 6, 1);
}

/// Set 14 (120 cases, 2026-12-07, session 12, from the contract alone: teenagers and their parents,
/// runners over 70, text-message brevity, rambling posts, speech-to-text, Yorkshire, Geordie, Scouse,
/// Cornish, Ulster, New Zealand and Highland English, American Southern, AAVE, New York and Texan,
/// Hawaiian Pidgin, Ghanaian, Kenyan, Zimbabwean, Sri Lankan, Bangladeshi, Filipino, Hong Kong and
/// Korean English, messages translated from Spanish, Portuguese, Dutch, Swedish, Russian, Turkish,
/// Japanese, Vietnamese and Farsi; wheelchair racers, guide runners, parkrun volunteers, a nurse, a
/// sceptic, a worried spouse, a runner quoting a GP). First score, on the build that began that session (d540119) and before anything
/// changed because of it: 88% top-1, 86% triage, 8 serious under-triages, 3 sent to emergency
/// wrongly (`score_hard.py story`). Nobody but its writer has read it.
#[test]
fn fourteenth_blind_set_from_their_words() {
    holds("blind14_vignettes.json", 87.0, 8, 3);
}

fn assess(intake: &Value) -> Assessment {
    let typed: Intake = serde_json::from_value(intake.clone()).expect("a valid intake");
    runsore_app::checked(typed, Default::default()).assessment
}

/// The runner's words, then the dialogue from what was understood, as `score_hard.py
/// story-dialogue` runs it: the engine's first question with a field not yet asked is answered
/// from the case's full intake (a field the case does not state stays unknown); a checklist counts
/// as one question per 6 fields; at most 15 questions. Returns the serious under-triages and the
/// mean number of questions.
fn story_dialogue(file: &str) -> (usize, f64) {
    let cases = load(file);
    let (mut under_serious, mut questions) = (0, 0);
    for case in &cases {
        let understood = runsore_app::read_story(&case.story, NOW, 0);
        let intake = serde_json::to_value(&understood.intake).expect("an intake serialises");
        let (out, count) =
            runsore_testkit::simulated_dialogue(intake, &case.intake, 15, assess, |out| {
                out.questions
                    .iter()
                    .map(|q| {
                        if q.fields.is_empty() {
                            vec![q.field.to_string()]
                        } else {
                            q.fields.iter().map(|f| f.to_string()).collect()
                        }
                    })
                    .collect()
            });
        questions += count;
        if out.triage < case.expect.triage && case.expect.triage >= Triage::Urgent {
            under_serious += 1;
            eprintln!(
                "story-dialogue serious under-triage {}: want {:?}, got {:?}",
                case.id, case.expect.triage, out.triage
            );
        }
    }
    let mean = questions as f64 / cases.len() as f64;
    eprintln!("story-dialogue {file}: serious under {under_serious}, {mean:.2} questions");
    (under_serious, mean)
}

/// Words, then the dialogue, on every set: the dialogue must catch what the words missed. No
/// serious under-triage on any set. The eighth set's first score (b7af805) had one: a denial of
/// "a stitch" read as a denial of the belly pain the same story states, so the dialogue never
/// asked it. Question ceilings hold the figures of 2026-12-06, evening (4.07 / 4.49 / 4.66 / 5.18 / 4.91 /
/// 4.69 / 5.24), against the contract's bar of 3; since an emergency red flag ends the safety
/// screen (dlg, issue 13): 3.44 / 3.60 / 3.98 / 4.37 / 4.21 / 3.98 / 4.58; since the screen asks
/// only the red flags the picture makes possible and fills its spare slots with the first
/// red-flag items: 3.10 / 3.38 / 3.69 / 4.17 / 3.92 / 3.68 / 4.33 (the same serious misses: none);
/// with a denied danger sign still asked in the screen (ee7205c): 3.14 / 3.40 / 3.73 / 4.19 /
/// 3.94 / 3.74 / 4.36, set 9 3.38; with the reader of 69007cd: 3.13 / 3.40 / 3.74 / 4.19 / 3.95 /
/// 3.71 / 4.26, set 9 3.42 (ceilings a few hundredths above, for the reader's work in flight);
/// with an infection's prior raised (a fever puts it first): 3.09 / 3.37 / 3.69 / 4.02 / 3.96 /
/// 3.68 / 4.31, set 9 3.47; since standing and walking is asked where the picture makes not
/// standing possible, the limp in its place elsewhere (dlg, session 8): 2.91 / 3.31 / 3.59 / 3.94 /
/// 3.86 / 3.62 / 4.23, set 9 3.33; with the stopping rule's change arm at 0.23 (and Monday's
/// weekdays): 2.88 / 3.18 / 3.52 / 3.85 / 3.82 / 3.58 / 4.17, set 9 3.28, set 10 3.85; since the
/// screen comes in pages when it is not yet begun, likeliest signs first (dlg, session 9), with
/// main of 52e7b6b (belly or testicle pain screened in more pictures): 2.88 / 3.20 / 3.52 / 3.85
/// / 3.84 / 3.58 / 4.20, set 9 3.18, set 10 3.72, set 11 3.54.
#[test]
fn every_set_from_their_words_then_the_dialogue() {
    for (file, max_under_serious, max_mean) in [
        ("vignettes.json", 0, 2.89),
        ("blind3_vignettes.json", 0, 3.21),
        ("blind4_vignettes.json", 0, 3.53),
        ("blind5_vignettes.json", 0, 3.86),
        ("blind6_vignettes.json", 0, 3.85),
        // 3.77 since the reader reads "all normal down there now" (session 7): a case the words
        // sent to emergency for a bike's numbness that had gone now goes through the dialogue.
        ("blind7_vignettes.json", 0, 3.59),
        // 4.22 since belly or testicle pain is screened with any pain that did not creep up
        // over weeks (blind set 11's second complaint).
        ("blind8_vignettes.json", 0, 4.21),
        // First score (af9d212): two serious under-triages, both in the held half; 3.6 questions
        // (3.35 since the screen asks what the picture makes possible, 3.42 with ee7205c and 69007cd).
        // One since a danger sign denied in words is still asked in the screen (ee7205c).
        ("blind9_vignettes.json", 1, 3.19),
        // First score (57b8ab2): one serious under-triage, in the held half; 4.09 questions (3.96
        // since standing is asked where its picture makes it possible). 3.74 since the reader
        // leaves a firmly hedged sign with another explanation unknown (session 9): asked, not read.
        ("blind10_vignettes.json", 1, 3.74),
        // First score (fbe64b4): no serious under-triage; 3.58 questions (3.54 since the screen
        // comes in pages).
        ("blind11_vignettes.json", 0, 3.55),
        // First score (d6888cc): one serious under-triage, 3.77 questions by `score_hard.py`; here
        // (this test's clock) two and 3.84. Nobody has read it.
        // One since the risk-context floors (session 12).
        ("blind12_vignettes.json", 1, 3.85),
        // First score (a4a29ae): no serious under-triage, 4.10 questions by `score_hard.py`.
        ("blind13_vignettes.json", 0, 4.11),
        // First score (d540119): one serious under-triage, 3.55 questions by `score_hard.py`.
        ("blind14_vignettes.json", 1, 3.56),
    ] {
        let (under, mean) = story_dialogue(file);
        assert!(
            under <= max_under_serious,
            "{file}: {under} serious under-triages after the dialogue, more than {max_under_serious}"
        );
        assert!(mean <= max_mean, "{file}: {mean:.2} questions on average");
    }
}
