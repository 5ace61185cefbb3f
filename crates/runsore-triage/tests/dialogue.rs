//! The simulated patient (issues 2, 8 and 13): start from `where` and `onset` only, answer the
//! engine's questions from the full vignette (unknown where it is silent), and compare. The
//! protocol is `shared/tools/score_hard.py dialogue`'s: a checklist is answered field by field and
//! counts as one question per 6 fields. The floors hold the figures reached (see each test).

mod common;

use common::{Score, dialogue, load, run};
use runsore_triage::fields::AnswerKind;
use runsore_triage::{Triage, knowledge};
use serde_json::json;

/// Scores the dialogue on one vignette file, prints the misses and the figures.
fn score(file: &str) -> (Score, usize) {
    let mut score = Score::default();
    let mut over_emergency = 0;
    for case in load(file) {
        let (out, n) = dialogue(&case.intake, &["where", "onset"], 15);
        over_emergency +=
            (out.triage == Triage::Emergency && case.expect.triage <= Triage::SeeDoctor) as usize;
        score.add(&case, &out, n);
    }
    score.report(&format!("dialogue {file}"));
    println!("sent to emergency wrongly: {over_emergency}");
    (score, over_emergency)
}

fn mean_questions(score: &Score) -> f64 {
    score.questions as f64 / score.n as f64
}

/// The 86 worked cases of the contract. Reached: top-1 98.8%, triage 98.8%, no serious
/// under-triage, none sent to emergency wrongly, 6.14 questions on average, of which 3 are the
/// screen every dialogue opens with (the 12 safety signs, counted as two, then "can you stand and
/// walk on the leg?"). Before (issue 13): 6.4 questions with standing and walking asked in fewer
/// than half of the dialogues and a fixed context checklist. Since a checklist's last slot goes to
/// the item that adds most beside the others, and the raise arm of the stopping rule stops at 0.08:
/// 6.00 questions, the same top-1 and triage. The contract's bar of 5 questions is not reached:
/// the red-flag questions the picture makes possible (medicines, age, sickness and headache after
/// a long run...) are asked whatever their value. Walking normally now settles standing and walking
/// (dlg, issue 13), but here it changes nothing: the simulated runner leaves silent fields unknown,
/// and the 5 of the 86 who say they are not limping say so only after standing was asked. Measured
/// and left out: red-flag items sharing a checklist with the adaptive items (5.99, one more miss on
/// the third reviewer's set), the raise arm at 0.15 (5.81, serious under-triages on two development
/// sets), the statin and night-pain signs asked only beside other items (6.01, two more misses).
/// Since an emergency red flag ends the screen (`an_emergency_red_flag_ends_the_screen`): 5.86,
/// the same top-1, triage and misses (then 5.93 with claudication's change, below).
#[test]
fn project_vignettes_dialogue() {
    let (score, over) = score("vignettes.json");
    assert_eq!(
        score.under_serious, 0,
        "urgent or emergency case under-triaged"
    );
    assert!(
        over as f64 <= 0.02 * score.n as f64,
        "{over} sent to emergency wrongly"
    );
    assert!(score.pct(score.top1) >= 97.0, "top-1 below 97%");
    assert!(score.pct(score.triage_exact) >= 98.0, "triage below 98%");
    let mean = mean_questions(&score);
    // 6.07 since claudication's sign no longer counts for the burn of hard effort (one case now
    // asks about smoking): top-1 and triage went from 98.8% to 100%. 5.93 since an emergency red
    // flag ends the screen. 5.72 since the screen asks only what the picture makes possible and
    // takes the first red-flag items into its spare slots (the same misses on every set). 5.31
    // since standing and walking is asked where the picture makes not standing possible, the limp
    // in its place elsewhere (`standing_is_asked_where_the_picture_makes_not_standing_possible`);
    // 5.23 with the stopping rule's change arm at 0.23 (knowledge.toml says what it cost); 5.24
    // with belly or testicle pain screened in more pictures. 5.10 since the screen comes in
    // pages, likeliest signs first (an emergency sign on the first page ends it), and muscle
    // breakdown's triad is not asked of pain that crept up over weeks. 5.02 since the free slots
    // of the screen's last page take the signs of the red flags a triage urgent on the
    // probabilities alone hides (`free_slots_screen_the_flags_a_probable_triage_hides`), in a
    // dialogue begun from the place and the start: 5.01, fewer questions on every blind set, the
    // same misses on every development half. 4.95 since an emergency red flag that names the
    // leading cause ends the questions
    // (`an_emergency_flag_naming_the_leading_cause_ends_the_questions`).
    //
    // Measured and left out (session 12): the limp as a tick in a free slot of the screen's last
    // page where standing is asked next, even only where the limp's answer on the place and the
    // start is under the stopping rule's change arm (4.97; no outcome changed on any development
    // half, but blind set 10's held half lost a name and an exact triage, 90% -> 88%, 98% -> 97%).
    // Why, on the 86 and the development halves with each case's silent limp set to yes, then no
    // (pain during a run or at a time not given): 29 final results change, 27 of them on a yes.
    // In the picture the savers share (buttock pain during a run, the burn of hard effort
    // leading) the stopping rule never reaches the limp; asked early, a "yes" makes a strain lead
    // at see-a-doctor over the burn the other answers point to (13 cases), or a strain over
    // claudication (5), a stress fracture over piriformis (3), DOMS at see-a-doctor (3). The
    // place and the start cannot tell those runners from the ones it saves a question; what
    // would is how much a limp weighs against the burn of hard effort, an estimate in the
    // knowledge base without a source to move it. And a red-flag page of the adaptive
    // checklist filled with the items a later page would ask: 5.16, more questions in 13 of
    // the 86.
    assert!(mean <= 4.96, "{mean:.2} questions on average");
}

#[test]
fn extra_held_out_vignettes_dialogue() {
    let (score, _) = score("extra_vignettes.json");
    assert_eq!(
        score.under_serious, 0,
        "urgent or emergency case under-triaged"
    );
    assert!(score.pct(score.top1) >= 90.0, "top-1 below 90%");
    // 5.66; 5.30 since standing is asked where its picture makes it possible; 5.26 with the
    // change arm at 0.23; 5.16 since the screen comes in pages; 5.03 since the screen's free
    // slots take the signs of the flags a probable triage hides; 5.00 since an emergency flag naming the leading cause ends the questions.
    assert!(mean_questions(&score) <= 5.01);
}

#[test]
fn reviewer_blind_vignettes_dialogue() {
    let (score, _) = score("reviewer_vignettes.json");
    assert_eq!(
        score.under_serious, 0,
        "urgent or emergency case under-triaged"
    );
    assert!(score.pct(score.top1) >= 90.0, "top-1 below 90%");
    // 5.42 until an infection's prior was raised (a fever puts it first), 5.50 since: one case
    // more asks after the infection's signs; most other sets ask fewer. 5.15 since standing is
    // asked where its picture makes it possible; 5.13 with the change arm at 0.23; 5.00 since
    // the screen comes in pages; 4.82 since its free slots take the signs of the flags a probable
    // triage hides; 4.75 since an emergency flag naming the leading cause ends the questions.
    assert!(mean_questions(&score) <= 4.76);
}

#[test]
fn second_reviewer_blind_vignettes_dialogue() {
    let (score, _) = score("reviewer2_vignettes.json");
    assert_eq!(
        score.under_serious, 0,
        "urgent or emergency case under-triaged"
    );
    assert!(score.pct(score.top1) >= 90.0, "top-1 below 90%");
    // 4.94, then 4.96 with an infection's prior raised; 4.54 since standing is asked where its
    // picture makes it possible; 4.50 with the change arm at 0.23; 4.33 since the screen comes in
    // pages; 4.25 since its free slots take the signs of the flags a probable triage hides; 4.19
    // since an emergency flag naming the leading cause ends the questions.
    assert!(mean_questions(&score) <= 4.2);
}

/// The third reviewer's blind set, never tuned on: measured before this dialogue at 84% top-1,
/// 89% triage, 2 serious under-triages, 9.3 questions; with it, 89.7% / 93.1% / 1 / 8.1. The one
/// serious under-triage left is held here so that it cannot silently grow. Since the screen asks
/// standing and walking second and the yes/no questions come from one adaptive checklist: 86.2% /
/// 94.3% / 1 / 7.46 questions (from 7.9): fewer questions, and a sparse picture's rarer items
/// (a clicking hip, morning stiffness) are asked less often: top-1 fell from 92% to 86% by
/// `score_hard.py` (triage 97% to 94%), a loss left for later work. Since a red flag whose
/// picture is still open rides in the adaptive checklist (a racing heart beside possible cramps):
/// 88.5% / 95.4% / 0 / 7.43, the last serious under-triage gone; with a checklist's last slot
/// for the item that adds most beside the others: 89.7% / 96.6% / 0 / 7.20; since an emergency
/// red flag ends the screen, and with main of 19:20: 92% / 98% / 0 / 7.08; since the screen
/// asks what the picture makes possible and fills its spare slots: 92% / 98% / 0 / 6.90; since
/// standing is asked where its picture makes it possible (the limp elsewhere): 93% / 98% / 0 / 6.63;
/// with the change arm at 0.23: 6.60; since the screen comes in pages: 6.46; since its free slots
/// take the signs of the flags a probable triage hides: 6.44; since an emergency flag naming the
/// leading cause ends the questions: 6.28.
#[test]
fn third_reviewer_blind_vignettes_dialogue() {
    let (score, over) = score("blind3_vignettes.json");
    assert_eq!(
        score.under_serious, 0,
        "{} serious under-triages",
        score.under_serious
    );
    assert!(over <= 1, "{over} sent to emergency wrongly");
    assert!(score.pct(score.top1) >= 89.0, "top-1 below 89%");
    assert!(score.pct(score.triage_exact) >= 96.0, "triage below 96%");
    let mean = mean_questions(&score);
    assert!(mean <= 6.29, "{mean:.2} questions on average");
}

/// Sets 4 to 8, each written blind from the contract alone (their odd-numbered halves held out,
/// never read): the dialogue from `where` and `onset` must leave no urgent or emergency case
/// below its level. Prints every set's figures; the floors and ceilings hold what was reached on
/// 2026-12-06 (5cc321f): top-1 94% / 83% / 85% / 93%, triage 98% / 95% / 94% / 98%, 7.20 /
/// 7.56 / 7.53 / 6.66 questions, at most one sent to emergency wrongly per set. Since an
/// emergency red flag ends the screen (with main of 19:20): 6.98 / 7.33 / 7.28 / 6.52 / 6.58
/// questions on sets 4 to 8; since the screen asks what the picture makes possible and fills
/// its spare slots: 6.81 / 7.12 / 7.07 / 6.22 / 6.37, the same misses on every dev half; since
/// standing is asked where its picture makes it possible (the limp elsewhere): 6.59 / 6.88 / 6.83
/// / 5.83 / 6.14, and set 9 6.09 -> 5.89; with the change arm at 0.23: 6.47 / 6.75 / 6.71 / 5.78 /
/// 6.04, set 9 5.82, set 10 6.10 (set 5: one cause named differently, c5-lactic_acid-03); since
/// the screen comes in pages (and the triad of muscle breakdown is not asked of weeks-long pain):
/// 6.35 / 6.65 / 6.60 / 5.66 / 5.91, set 9 5.62, set 10 5.97, set 11 5.48 -> 5.33, the same
/// outcomes on every set; since the screen's free slots take the signs of the flags a probable
/// triage hides: 6.33 / 6.63 / 6.57 / 5.58 / 5.86, set 9 5.59, set 10 5.94, set 11 5.28, set 12
/// 5.42, the same misses on every development half; since an emergency flag naming the leading
/// cause ends the questions: 6.19 / 6.48 / 6.45 / 5.53 / 5.68, set 9 5.50, set 10 5.81, set 11
/// 5.11, set 12 5.32, set 13 4.66, no result changed on any development half.
#[test]
fn later_blind_sets_dialogue() {
    for (file, min_top1, max_mean) in [
        ("blind4_vignettes.json", 93.0, 6.2),
        ("blind5_vignettes.json", 82.0, 6.49),
        ("blind6_vignettes.json", 84.0, 6.46),
        ("blind7_vignettes.json", 92.0, 5.54),
        ("blind8_vignettes.json", 91.0, 5.69),
        // First score (af9d212): 90% top-1, 99% triage, 6.3 questions.
        ("blind9_vignettes.json", 89.0, 5.51),
        // First score (57b8ab2): 92% top-1, 99% triage, 6.37 questions; 6.22 since standing is
        // asked where its picture makes it possible, 6.10 with the change arm at 0.23, 5.97
        // since the screen comes in pages.
        ("blind10_vignettes.json", 91.0, 5.82),
        // First score (fbe64b4): 94% top-1, 98% triage, 5.51 questions, and one serious
        // under-triage (a buttock picture beside a new painful swollen testicle: the screen asked
        // belly and testicle pain only with pain at the front); none since the screen asks it in
        // every picture; 5.33 since the screen comes in pages.
        ("blind11_vignettes.json", 93.0, 5.12),
        // First score (d6888cc, before anything changed because of it): 90% top-1, 98% triage,
        // no serious under-triage, 5.46 questions. Nobody has read it.
        ("blind12_vignettes.json", 89.0, 5.33),
        // First score (a4a29ae, before anything changed because of it): 95% top-1, 99% triage,
        // no serious under-triage, 4.78 questions.
        ("blind13_vignettes.json", 94.0, 4.67),
        // First score (d540119, before anything changed because of it): 95% top-1, 100% triage,
        // no serious under-triage, 4.92 questions. Nobody but its writer has read it.
        ("blind14_vignettes.json", 94.0, 4.93),
    ] {
        let (score, over) = score(file);
        assert_eq!(
            score.under_serious, 0,
            "{file}: {} serious under-triages",
            score.under_serious
        );
        assert!(
            over as f64 <= 0.02 * score.n as f64,
            "{file}: {over} sent to emergency wrongly"
        );
        assert!(
            score.pct(score.top1) >= min_top1,
            "{file}: top-1 below {min_top1}%"
        );
        let mean = mean_questions(&score);
        assert!(mean <= max_mean, "{file}: {mean:.2} questions on average");
    }
}

/// The stopping rule: every question listed that is not red-flag screening has a chance of at
/// least `question_min_change` to change the leading condition or the triage, and a complete
/// intake whose answers leave nothing to change lists none of them.
#[test]
fn only_questions_that_could_change_the_outcome_are_listed() {
    // Listed when the answer could change the outcome (`question_min_change`) or raise the
    // triage (`question_min_raise`, the smaller): either way, at least the smaller chance.
    let t = &knowledge().tuning;
    let min = t.question_min_change.min(t.question_min_raise);
    let mut empty_lists = 0;
    let cases = load("vignettes.json");
    for case in &cases {
        let out = run(&case.intake);
        for q in out.questions.iter().filter(|q| !q.red_flag) {
            assert!(
                q.could_change + 1e-3 >= min,
                "{}: {} listed with a chance of {}",
                case.id,
                q.field,
                q.could_change
            );
        }
        empty_lists += out.questions.iter().all(|q| q.red_flag) as usize;
    }
    // Most complete intakes leave nothing worth asking beyond the screens.
    assert!(
        empty_lists * 2 > cases.len(),
        "only {empty_lists} of {} complete intakes stop",
        cases.len()
    );
}

/// Related yes/no questions are asked together: an adaptive checklist lists at most 6 of its own
/// yes/no items (one question in the contract's count), never one already answered, and a red
/// flag's unanswered field asked in it comes first.
#[test]
fn checklists_group_related_questions() {
    let kb = knowledge();
    let mut grouped = 0;
    for case in load("vignettes.json") {
        let (out, _) = dialogue(&case.intake, &["where", "onset"], 2);
        for q in out.questions.iter().filter(|q| !q.fields.is_empty()) {
            assert!(
                q.safety || q.fields.len() <= 6,
                "{}: {:?}",
                case.id,
                q.fields
            );
            assert_eq!(q.fields.len(), q.items.len());
            assert_eq!(q.field, q.fields[0]);
            let list = kb
                .checklists
                .iter()
                .find(|l| l.text == *q.text)
                .expect("a checklist of the knowledge base");
            for (f, text) in q.fields.iter().zip(&q.items) {
                // The screen's spare slots hold red-flag items of the adaptive checklist, with
                // their own texts (`the_screen_takes_red_flag_items_into_its_spare_slots`).
                let item = list.items.iter().find(|i| i.field == **f).or_else(|| {
                    q.safety
                        .then(|| {
                            kb.checklists
                                .iter()
                                .filter(|l| l.adaptive)
                                .flat_map(|l| &l.items)
                                .find(|i| i.field == **f)
                        })
                        .flatten()
                });
                let item = item.unwrap_or_else(|| panic!("{f} not in {}", list.id));
                assert_eq!(item.text, **text);
            }
            grouped += list.adaptive as usize;
        }
    }
    assert!(grouped > 0, "no adaptive checklist was ever listed");
}

/// An intake holding one answer (a dotted path nests).
fn one_answer(path: &str, value: bool) -> serde_json::Value {
    path.rsplit('.')
        .fold(json!(value), |inner, part| json!({ part: inner }))
}

/// The yes/no fields whose answer alone, on an otherwise empty intake, calls for emergency care,
/// with that answer: found by asking the engine, so the list follows the knowledge base.
fn single_answer_emergency_signs() -> Vec<(String, bool)> {
    let kb = knowledge();
    let mut signs = Vec::new();
    for field in kb.fields.iter().filter(|f| f.answer == AnswerKind::YesNo) {
        for value in [true, false] {
            if run(&one_answer(&field.path, value)).triage == Triage::Emergency {
                signs.push((field.path.clone(), value));
            }
        }
    }
    signs
}

/// Must show (issue 13): from an empty intake the first two questions screen every emergency sign
/// of the contract, as the knowledge base declares them (found by asking the engine, so a new
/// sign cannot be forgotten). The first is the safety checklist: every sign a tick can answer (12
/// items, which the contract counts as two). The second is "can you stand and walk on the leg?":
/// the one sign whose alarming answer is a "no", which a tick cannot give (the contract sets
/// ticked items to true). And the output leads with "not enough to go on yet", never reassurance.
#[test]
fn an_empty_intake_opens_with_every_emergency_sign() {
    let out = run(&json!({}));
    let first = &out.questions[0];
    assert!(first.safety);
    assert!(
        first.fields.len().div_ceil(6) <= 2,
        "{} items",
        first.fields.len()
    );
    let signs = single_answer_emergency_signs();
    assert!(signs.len() >= 10, "{signs:?}");
    for (sign, _) in signs.iter().filter(|(_, yes)| *yes) {
        assert!(
            first.fields.iter().any(|f| f == sign),
            "{sign} is not in the first question"
        );
    }
    // Fever is an emergency with hip signs: it is screened at once too.
    assert!(first.fields.iter().any(|f| f == "fever"));
    // Every "no" that is an emergency sign is the second question, a plain yes/no one.
    let nos: Vec<&str> = signs
        .iter()
        .filter(|(_, yes)| !yes)
        .map(|(f, _)| f.as_str())
        .collect();
    assert_eq!(nos, ["can_bear_weight"]);
    let second = &out.questions[1];
    assert_eq!(second.field, "can_bear_weight");
    assert!(
        second.fields.is_empty(),
        "a plain question, not a checklist"
    );
    assert_eq!(second.answer, AnswerKind::YesNo);
    assert!(second.red_flag, "can_bear_weight is red-flag screening");
    assert!(!out.safety.complete);
    assert!(out.safety.unanswered.iter().any(|f| f == "can_bear_weight"));
    assert!(out.safety.headline.is_some());
    // Answering every item of the first question "no" still leaves the second one, and the
    // result still does not read as reassurance until it is answered.
    let mut noes = serde_json::Map::new();
    for f in &first.fields {
        noes.insert(f.to_string(), json!(false));
    }
    let after = run(&serde_json::Value::Object(noes));
    assert_eq!(after.questions[0].field, "can_bear_weight");
    assert!(after.safety.headline.is_some());
}

/// "Don't know" moves the list on: a field marked not sure is not asked again, and the next
/// question is another one.
#[test]
fn not_sure_answers_move_the_list_on() {
    let out = run(&json!({"where": ["buttock"], "onset": "during_run"}));
    let fields: Vec<String> = out.questions[0]
        .fields
        .iter()
        .map(|f| f.to_string())
        .collect();
    let again = run(&json!({"where": ["buttock"], "onset": "during_run", "not_sure": fields}));
    assert!(!again.questions.is_empty());
    for q in &again.questions {
        assert!(
            q.fields
                .iter()
                .all(|f| !out.questions[0].fields.contains(f))
        );
        assert!(!out.questions[0].fields.contains(&q.field));
    }
    assert!(!again.safety.complete, "not sure is not a no");
}

/// What the runner's words already answered is not asked again: the safety screen lists only
/// the signs still unknown, and no question asks a known field.
#[test]
fn answered_fields_are_not_asked_again() {
    let intake = json!({
        "where": ["buttock"], "onset": "next_day", "sides": "both", "pain": 4,
        "fever": false, "chest_pain": false, "dark_urine": false, "fall": false,
        "swelling": false, "run": {"unaccustomed": true}
    });
    let out = run(&intake);
    for q in &out.questions {
        for f in q.fields.iter().chain(std::iter::once(&q.field)) {
            let known = f
                .split('.')
                .try_fold(&intake, |node, part| node.get(part))
                .is_some();
            assert!(!known, "{f} is asked again");
        }
    }
    assert!(out.questions[0].safety);
    // 12 signs less the 3 answered, less a swollen leg, which a sore buttock does not make
    // possible (`a_picture_screens_only_the_red_flags_it_makes_possible`); a belly or testicle
    // cause stays, as with any pain that did not creep up over weeks (a second complaint beside
    // the sore buttock); the spare slots hold red-flag items of the adaptive checklist. One page:
    // the screen is begun (`the_screen_comes_in_pages_likeliest_signs_first`).
    let screen = &runsore_triage::safety_checklist().items;
    let pages: Vec<&runsore_triage::Question> = out.questions.iter().filter(|q| q.safety).collect();
    let own = pages
        .iter()
        .flat_map(|q| q.fields.iter())
        .filter(|f| screen.iter().any(|i| i.field == ***f))
        .count();
    assert_eq!(own, 8, "{pages:?}");
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(pages[0].fields.len() <= 12);
}

/// A warning sign whose possibility hangs on context the runner has not been asked is still
/// reached (issue 13): a runner with cramps, twitching or a heavy sweat and a racing or skipping
/// heart, who starts from where the pain is (or nothing) and answers only what is true of them,
/// is asked about the heartbeat and ends at urgent care or above. Before, when soreness led the
/// ranking, the checklists asked neither the cramps nor the heart, and most such runners ended at
/// self-care.
#[test]
fn a_racing_heart_beside_cramps_or_a_heavy_sweat_is_reached() {
    let wheres = [
        json!(null),
        json!(["buttock"]),
        json!(["back_of_thigh", "buttock"]),
        json!(["front_of_thigh"]),
        json!(["buttock", "side_of_hip"]),
        json!(["lower_back", "buttock"]),
    ];
    let onsets = [
        json!(null),
        json!("during_run"),
        json!("hours_after"),
        json!("next_day"),
    ];
    let contexts = [
        json!({"muscle_cramps": true}),
        json!({"spasms": true}),
        json!({"run": {"heavy_sweating": true}}),
        json!({"muscle_cramps": true, "spasms": true, "run": {"heavy_sweating": true, "electrolytes": false}}),
    ];
    let mut missed = Vec::new();
    for where_ in &wheres {
        for onset in &onsets {
            for context in &contexts {
                let mut full = context.clone();
                full["palpitations"] = json!(true);
                if !where_.is_null() {
                    full["where"] = where_.clone();
                }
                if !onset.is_null() {
                    full["onset"] = onset.clone();
                }
                let (out, n) = dialogue(&full, &["where", "onset"], 15);
                if out.triage < Triage::Urgent {
                    missed.push(format!("{full} -> {:?} after {n} questions", out.triage));
                }
            }
        }
    }
    assert!(
        missed.is_empty(),
        "{} missed:\n{}",
        missed.len(),
        missed.join("\n")
    );
}

/// Walking normally settles standing and walking (the field's `settled_when`): a runner who has
/// said they are not limping is not asked "can you stand and walk on the leg?", and the screen
/// does not wait for it; a limp, or no word on it, leaves it asked right after the safety
/// checklist (pain that began during a run: its picture). Not limping adds no evidence of its own
/// for standing: the limp's answer counts once.
#[test]
fn walking_normally_settles_standing_and_walking() {
    let screen_no = |extra: serde_json::Value| {
        let mut intake = json!({"where": ["buttock"], "onset": "during_run"});
        for f in &runsore_triage::safety_checklist().items {
            intake[f.field.as_str()] = json!(false);
        }
        for (k, v) in extra.as_object().unwrap() {
            intake[k.as_str()] = v.clone();
        }
        run(&intake)
    };
    let asks_standing = |out: &runsore_triage::Assessment| {
        out.questions.iter().any(|q| {
            q.field == "can_bear_weight" || q.fields.iter().any(|f| f == "can_bear_weight")
        })
    };
    let walking = screen_no(json!({"limping": false}));
    assert!(!asks_standing(&walking), "asked although walking normally");
    assert!(walking.safety.complete, "{:?}", walking.safety.unanswered);
    assert!(walking.safety.headline.is_none());
    assert!(
        walking
            .pending_red_flags
            .iter()
            .all(|p| p.id != "cannot_bear_weight")
    );
    let limping = screen_no(json!({"limping": true}));
    assert_eq!(limping.questions[0].field, "can_bear_weight");
    assert!(!limping.safety.complete);
    let silent = screen_no(json!({}));
    assert_eq!(silent.questions[0].field, "can_bear_weight");
    // Settling adds no evidence: answering "yes, I can stand and walk" on top of "not limping"
    // still moves the ranking (were it already counted, nothing would move).
    let ranking = |out: &runsore_triage::Assessment| {
        out.conditions
            .iter()
            .map(|c| (c.id.to_string(), c.probability))
            .collect::<Vec<_>>()
    };
    let mut intake = json!({"where": ["groin"], "onset": "gradual_weeks", "limping": false});
    let settled = run(&intake);
    intake["can_bear_weight"] = json!(true);
    assert_ne!(ranking(&settled), ranking(&run(&intake)));
}

/// Whether a question lists a field.
fn asks(out: &runsore_triage::Assessment, field: &str) -> bool {
    out.questions
        .iter()
        .any(|q| q.field == field || q.fields.iter().any(|f| f == field))
}

/// "Can you stand and walk on the leg?" is asked with the screen where the picture makes not
/// standing possible (issue 13; the field's `screen_when`): pain that began during a run or at a
/// time not given, at a sharp moment, after a fall, with a limp, severe pain, swelling, a fever, a
/// child's or an older runner's hip, on a blood thinner or steroid tablets, or with under-fuelling.
/// Soreness that came on the next day, or pain that crept up over weeks, with none of these, asks
/// the limp instead, as a tick (whoever cannot stand cannot walk normally either): the limp stands
/// in for standing in the screen's unanswered fields, and "limping" brings the question back.
#[test]
fn standing_is_asked_where_the_picture_makes_not_standing_possible() {
    for start in [
        json!({"where": ["buttock"], "onset": "next_day"}),
        json!({"where": ["buttock", "back_of_thigh"], "onset": "hours_after"}),
        json!({"where": ["side_of_hip"], "onset": "gradual_weeks"}),
        json!({"where": ["groin"], "onset": "gradual_weeks"}),
        json!({"where": ["sit_bone"], "onset": "gradual_weeks"}),
    ] {
        let out = run(&start);
        // Not as a warning sign (it may still be asked for its value to the ranking).
        let as_flag = out.questions.iter().any(|q| {
            q.red_flag
                && (q.field == "can_bear_weight" || q.fields.iter().any(|f| f == "can_bear_weight"))
        });
        assert!(!as_flag, "{start}: {:?}", out.questions);
        assert!(asks(&out, "limping"), "{start}: {:?}", out.questions);
        let unanswered: Vec<&str> = out.safety.unanswered.iter().map(|f| &**f).collect();
        assert!(!unanswered.contains(&"can_bear_weight"), "{start}");
        assert!(unanswered.contains(&"limping"), "{start}: {unanswered:?}");
        assert!(
            out.safety.headline.is_some() || out.triage >= Triage::Urgent,
            "{start}"
        );
        // A limp puts standing on the picture: asked next, before any other question.
        let mut limping = start.clone();
        limping["limping"] = json!(true);
        let out = run(&limping);
        let first = out
            .questions
            .iter()
            .find(|q| !q.safety)
            .expect("a question");
        assert_eq!(first.field, "can_bear_weight", "{limping}");
        // Walking normally rules it out.
        let mut walking = start.clone();
        walking["limping"] = json!(false);
        let out = run(&walking);
        assert!(!asks(&out, "can_bear_weight") && !asks(&out, "limping"));
        assert!(!out.safety.unanswered.iter().any(|f| f == "limping"));
        // "Not sure" about the limp leaves standing asked.
        let mut unsure = start.clone();
        unsure["not_sure"] = json!(["limping"]);
        assert!(asks(&run(&unsure), "can_bear_weight"), "{unsure}");
    }
    let next_day = json!({"where": ["buttock"], "onset": "next_day"});
    for extra in [
        json!({"onset": "during_run"}),
        json!({"onset": null}),
        json!({"sudden": true}),
        json!({"fall": true}),
        json!({"pain": 8}),
        json!({"swelling": true}),
        json!({"fever": true}),
        json!({"age": 14}),
        json!({"age": 72}),
        json!({"medications": ["anticoagulant"]}),
        json!({"medications": ["oral_steroid"]}),
        json!({"training": {"low_energy_availability": true}}),
    ] {
        let mut intake = next_day.clone();
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                intake.as_object_mut().unwrap().remove(k);
            } else {
                intake[k.as_str()] = v.clone();
            }
        }
        let out = run(&intake);
        assert!(
            asks(&out, "can_bear_weight"),
            "{intake}: {:?}",
            out.questions
        );
        assert!(
            out.safety.unanswered.iter().any(|f| f == "can_bear_weight"),
            "{intake}"
        );
    }
}

/// A runner who cannot stand on the leg (and so limps) is sent to emergency care by the dialogue
/// whatever the picture they start from: wherever the pain is and however it began (hours after
/// a run, the next day, two days after, over weeks), with or without severe pain or an age, the
/// limp is asked and "can you stand and walk on the leg?" follows it.
#[test]
fn a_runner_who_cannot_stand_is_reached_from_any_picture() {
    let wheres = [
        json!(null),
        json!(["buttock"]),
        json!(["groin"]),
        json!(["side_of_hip"]),
        json!(["back_of_thigh", "buttock"]),
        json!(["front_of_thigh"]),
        json!(["lower_back", "buttock"]),
        json!(["sit_bone"]),
        json!(["calf"]),
        json!(["knee"]),
    ];
    let mut missed = Vec::new();
    for where_ in &wheres {
        for onset in ["hours_after", "next_day", "two_days_after", "gradual_weeks"] {
            for extra in [
                json!({}),
                json!({"pain": 8}),
                json!({"age": 30}),
                json!({"age": 70}),
            ] {
                let mut full = extra.clone();
                full["onset"] = json!(onset);
                full["can_bear_weight"] = json!(false);
                full["limping"] = json!(true);
                if !where_.is_null() {
                    full["where"] = where_.clone();
                }
                let (out, n) = dialogue(&full, &["where", "onset"], 15);
                if out.triage != Triage::Emergency {
                    missed.push(format!("{full} -> {:?} after {n} questions", out.triage));
                }
            }
        }
    }
    assert!(
        missed.is_empty(),
        "{} missed:\n{}",
        missed.len(),
        missed.join("\n")
    );
}

/// Once a red flag calls for emergency care, the screen is not asked (issue 13): no answer to it
/// could raise the triage, so a runner told to get emergency care now is not kept answering a
/// dozen more signs first. Each single-answer emergency sign of the contract, found by asking the
/// engine, leaves no other screen item and no "can you stand and walk?" in the questions, while
/// its screen fields still count as unanswered; an urgent flag (a swollen calf) still opens with
/// the screen, whose emergency signs could raise it. Measured (score_hard.py): story-dialogue on
/// the 86 worked cases 4.07 -> 3.45 questions, dialogue 6.00 -> 5.86, no outcome changed on
/// them or on any development set.
#[test]
fn an_emergency_red_flag_ends_the_screen() {
    let screen: Vec<String> = runsore_triage::safety_checklist()
        .items
        .iter()
        .map(|i| i.field.clone())
        .collect();
    let screened = |out: &runsore_triage::Assessment| {
        out.questions.iter().any(|q| {
            q.safety
                || q.field == "can_bear_weight"
                || q.fields.iter().any(|f| screen.contains(&f.to_string()))
        })
    };
    let signs = single_answer_emergency_signs();
    assert!(signs.len() >= 10, "{signs:?}");
    for (sign, value) in &signs {
        let mut intake = one_answer(sign, *value);
        intake["where"] = json!(["buttock"]);
        let out = run(&intake);
        assert_eq!(out.triage, Triage::Emergency, "{sign}");
        assert!(!screened(&out), "{sign}: {:?}", out.questions);
        assert!(!out.safety.complete, "{sign}");
        assert!(out.safety.headline.is_none(), "{sign}");
    }
    let calf = run(&json!({"where": ["calf"], "calf_swelling": true}));
    assert_eq!(calf.triage, Triage::Urgent);
    assert!(calf.questions[0].safety, "{:?}", calf.questions[0]);
    let after_screen = calf.questions.iter().find(|q| !q.safety);
    assert_eq!(after_screen.map(|q| &*q.field), Some("can_bear_weight"));
}

/// The screen asks what the picture makes possible (issue 13, the contract's "a red flag that is
/// unknown, where the picture makes it possible, becomes one of the first questions"): each
/// screen item's `possible_when` in the knowledge base. Pain that crept up over weeks at the
/// outside of the hip is screened for the nerve-root signs, fever and a cold pale leg (one
/// question), not for muscle breakdown, low sodium, the heart or a clot, nor for a belly or
/// testicle cause; the items left out are not counted unanswered either. The same weeks-long pain
/// in the calf keeps the clot's signs; in the groin, the belly's; pain that began with a run keeps
/// the signs of exertion and the belly's (blind set 11: a sore buttock from a hill session beside
/// a new painful swollen testicle, which the screen did not ask); and with no place known every
/// item stays.
#[test]
fn a_picture_screens_only_the_red_flags_it_makes_possible() {
    let screen_of = |intake: serde_json::Value| {
        let out = run(&intake);
        let pages: Vec<&runsore_triage::Question> =
            out.questions.iter().filter(|q| q.safety).collect();
        assert!(!pages.is_empty(), "{intake}: no screen");
        let fields: Vec<String> = pages
            .iter()
            .flat_map(|q| q.fields.iter().map(|f| f.to_string()))
            .collect();
        for page in &pages {
            assert_eq!(page.items.len(), page.fields.len());
        }
        (fields, out)
    };
    let always = [
        "saddle_numbness",
        "bladder_bowel_change",
        "radiates_both_legs",
        "fever",
        "cold_pale_leg",
    ];
    let exertion = [
        "dark_urine",
        "confusion",
        "chest_pain",
        "short_of_breath",
        "fainting",
    ];
    let (side, out) = screen_of(json!({"where": ["side_of_hip"], "onset": "gradual_weeks"}));
    for f in always {
        assert!(side.iter().any(|x| x == f), "{f} not screened: {side:?}");
    }
    for f in exertion
        .iter()
        .chain(&["belly_or_testicle_pain", "calf_swelling"])
    {
        assert!(!side.iter().any(|x| x == f), "{f} screened: {side:?}");
        assert!(
            !out.safety.unanswered.iter().any(|x| x == f),
            "{f} unanswered"
        );
    }
    assert!(side.len() <= 6, "{side:?}");
    assert!(!out.safety.complete);
    assert!(out.safety.headline.is_some());

    let (calf, _) = screen_of(json!({"where": ["calf"], "onset": "gradual_weeks"}));
    for f in ["calf_swelling", "chest_pain", "short_of_breath", "fainting"] {
        assert!(calf.iter().any(|x| x == f), "{f} not screened: {calf:?}");
    }
    let (groin, _) = screen_of(json!({"where": ["groin"], "onset": "gradual_weeks"}));
    for f in ["belly_or_testicle_pain", "calf_swelling"] {
        assert!(groin.iter().any(|x| x == f), "{f} not screened: {groin:?}");
    }
    let (buttock, _) = screen_of(json!({"where": ["buttock"], "onset": "next_day"}));
    for f in always
        .iter()
        .chain(&exertion)
        .chain(&["belly_or_testicle_pain"])
    {
        assert!(
            buttock.iter().any(|x| x == f),
            "{f} not screened: {buttock:?}"
        );
    }
    let (nowhere, _) = screen_of(json!({"onset": "gradual_weeks"}));
    for f in [
        "belly_or_testicle_pain",
        "calf_swelling",
        "chest_pain",
        "fainting",
    ] {
        assert!(
            nowhere.iter().any(|x| x == f),
            "{f} not screened: {nowhere:?}"
        );
    }
}

/// A screen shorter than a multiple of 6 items (the contract counts 6 as one question) takes the
/// yes/no items of the red flags asked first into its spare slots, whole: a sore buttock since
/// the day after a run leaves 10 screen items and 2 spare, a weeks-long pain at the outside of the
/// hip 5 and 1. Whatever is taken in is a ticked item of its own, listed in no other question,
/// and the screen never grows past the next multiple of 6.
#[test]
fn the_screen_takes_red_flag_items_into_its_spare_slots() {
    let base: Vec<String> = runsore_triage::safety_checklist()
        .items
        .iter()
        .map(|i| i.field.clone())
        .collect();
    let mut folded_somewhere = false;
    for case in load("vignettes.json") {
        let mut start = serde_json::Map::new();
        for k in ["where", "onset"] {
            if let Some(v) = case.intake.get(k) {
                start.insert(k.into(), v.clone());
            }
        }
        let out = run(&serde_json::Value::Object(start));
        let pages: Vec<&runsore_triage::Question> =
            out.questions.iter().filter(|q| q.safety).collect();
        if pages.is_empty() {
            continue;
        }
        let fields: Vec<&str> = pages
            .iter()
            .flat_map(|q| q.fields.iter().map(|f| f.as_ref()))
            .collect();
        let own = fields
            .iter()
            .filter(|f| base.iter().any(|b| b == *f))
            .count();
        let extra: Vec<&str> = fields
            .iter()
            .copied()
            .filter(|f| !base.iter().any(|b| b == f))
            .collect();
        // Only the last page takes items in: the pages before it are full.
        for page in &pages[..pages.len() - 1] {
            assert_eq!(page.fields.len(), 6, "{}: {:?}", case.id, page.fields);
            assert!(page.fields.iter().all(|f| base.contains(&f.to_string())));
        }
        assert!(
            fields.len().div_ceil(6) == own.div_ceil(6),
            "{}: {fields:?}",
            case.id
        );
        for page in &pages {
            assert_eq!(page.items.len(), page.fields.len());
        }
        for f in &extra {
            folded_somewhere = true;
            let elsewhere = out
                .questions
                .iter()
                .filter(|q| !q.safety)
                .any(|q| q.field.as_ref() == *f || q.fields.iter().any(|x| x.as_ref() == *f));
            assert!(!elsewhere, "{}: {f} asked twice", case.id);
        }
    }
    assert!(folded_somewhere, "no screen ever took a red-flag item");
}

/// A triage that is urgent on the probabilities alone (groin pain that crept up over weeks: a
/// stress fracture is likely) does not ask the urgent red flags (it already says urgent), but
/// the answers to come can lower it, and each flag is then asked as a question of its own: their
/// yes/no signs take the free slots of the screen's last page, where they cost none. The page is
/// chosen on the place and the start alone, and answering its items moves no new item onto it;
/// a dialogue that began from the runner's words (anything else known) asks them in their turn.
#[test]
fn free_slots_screen_the_flags_a_probable_triage_hides() {
    let start = json!({"where": ["groin"], "onset": "gradual_weeks"});
    let out = run(&start);
    assert_eq!(out.triage, Triage::Urgent);
    assert!(out.red_flags.is_empty());
    let last = out.questions.iter().rfind(|q| q.safety).expect("a screen");
    for f in ["general_weakness", "pain_at_night", "pain_hopping"] {
        assert!(last.fields.iter().any(|x| x == f), "{f} not on {last:?}");
    }
    assert!(last.fields.len() <= 6, "{last:?}");
    assert_eq!(last.fields.len(), last.items.len());
    // Listed in no other question.
    for q in out.questions.iter().filter(|q| !q.safety) {
        for f in std::iter::once(&q.field).chain(&q.fields) {
            assert!(!last.fields.contains(f), "{f} asked twice: {q:?}");
        }
    }
    // The first page answered, then some of the last page's items: the page keeps its other
    // items and takes no new one.
    let mut answered = start.clone();
    for q in out.questions.iter().filter(|q| q.safety) {
        if q.fields != last.fields {
            for f in &q.fields {
                answered[f.as_ref()] = json!(false);
            }
        }
    }
    for (i, step) in [("general_weakness", false), ("pain_at_night", false)]
        .into_iter()
        .enumerate()
    {
        answered[step.0] = json!(step.1);
        let again = run(&answered);
        let page = again
            .questions
            .iter()
            .rfind(|q| q.safety)
            .expect("a screen");
        for f in &page.fields {
            assert!(
                last.fields.contains(f),
                "{f} moved onto the page ({i}): {page:?}"
            );
        }
    }
    // From the runner's words (how it feels, known before the screen), the flags wait for
    // their turn.
    let mut words = start.clone();
    words["feels"] = json!(["aching"]);
    let out = run(&words);
    let last = out.questions.iter().rfind(|q| q.safety).expect("a screen");
    assert!(
        !last.fields.iter().any(|f| f == "general_weakness"),
        "{last:?}"
    );
}

/// Once anything is known, a screen of more than 6 signs comes in pages of 6 (the contract counts
/// a checklist as one question for every 6 items, so the count is the same), the signs the
/// picture makes likeliest first: a runner with one of them ticks it on the first page, and the
/// emergency it calls for ends the screen there. The pages are cut over every sign the picture
/// screens, answered or not, so the second page stays the same whether the first page's signs
/// are answered "no" or left unanswered; from an empty intake the screen stays one page
/// (`an_empty_intake_opens_with_every_emergency_sign`). Measured (score_hard.py dialogue, the 86
/// worked cases): 5.23 -> 5.12 questions, the same outcomes on every development set.
#[test]
fn the_screen_comes_in_pages_likeliest_signs_first() {
    let pages_of = |intake: &serde_json::Value| -> Vec<Vec<String>> {
        run(intake)
            .questions
            .iter()
            .filter(|q| q.safety)
            .map(|q| q.fields.iter().map(|f| f.to_string()).collect())
            .collect()
    };
    let base: Vec<String> = runsore_triage::safety_checklist()
        .items
        .iter()
        .map(|i| i.field.clone())
        .collect();
    let mut pictures = 0;
    for case in load("vignettes.json") {
        let mut start = json!({});
        for k in ["where", "onset"] {
            if let Some(v) = case.intake.get(k) {
                start[k] = v.clone();
            }
        }
        let pages = pages_of(&start);
        let signs: usize = pages.iter().flatten().filter(|f| base.contains(f)).count();
        if signs <= 6 {
            assert!(pages.len() <= 1, "{}: {pages:?}", case.id);
            continue;
        }
        pictures += 1;
        assert_eq!(pages.len(), 2, "{}: {pages:?}", case.id);
        assert_eq!(pages[0].len(), 6, "{}: {pages:?}", case.id);
        // The second page's signs are the same after the first is answered "no" (what the
        // answers add to its spare slots may change).
        let own = |page: Option<&Vec<String>>| -> Vec<String> {
            let mut signs: Vec<String> = page
                .into_iter()
                .flatten()
                .filter(|f| base.contains(f))
                .cloned()
                .collect();
            signs.sort();
            signs
        };
        let mut noes = start.clone();
        for f in &pages[0] {
            noes[f.as_str()] = json!(false);
        }
        let after = pages_of(&noes);
        assert_eq!(after.len(), 1, "{}: {after:?}", case.id);
        assert_eq!(
            own(after.first()),
            own(pages.get(1)),
            "{}: answered no",
            case.id
        );
        // A runner with a first-page sign that calls for emergency care is told so at once.
        for f in &pages[0] {
            let mut yes = start.clone();
            yes[f.as_str()] = json!(true);
            let out = run(&yes);
            if out.triage == Triage::Emergency {
                assert!(
                    !out.questions.iter().any(|q| q.safety),
                    "{}: {f} ticked, the screen goes on",
                    case.id
                );
            }
        }
    }
    assert!(pictures >= 40, "{pictures} pictures with a paged screen");
    // The likeliest first: dark urine for muscle pain hours after a run, a belly or testicle
    // cause for groin pain that began on a run, numbness in the saddle for low back pain.
    let first = |intake: serde_json::Value| pages_of(&intake).remove(0);
    for (intake, sign) in [
        (
            json!({"where": ["buttock", "back_of_thigh"], "onset": "hours_after"}),
            "dark_urine",
        ),
        (
            json!({"where": ["groin"], "onset": "during_run"}),
            "belly_or_testicle_pain",
        ),
        (
            json!({"where": ["lower_back", "buttock"]}),
            "saddle_numbness",
        ),
    ] {
        let page = first(intake.clone());
        assert!(page.iter().any(|f| f == sign), "{intake}: {page:?}");
    }
}

/// Once a red flag that names one cause calls for emergency care and that cause leads, no
/// question is listed but one whose answer could undo the flag: what the runner must do (get
/// emergency care now) and the name the flag gives cannot change, and the dialogue ends there.
/// A flag whose cause does not lead yet, or one that several causes share, leaves the questions
/// that tell the causes apart. Measured (score_hard2 dialogue): the 86 worked cases 5.01 -> 4.95
/// questions, fewer on every development half, no result changed on any.
#[test]
fn an_emergency_flag_naming_the_leading_cause_ends_the_questions() {
    // Brown urine the day after a run: muscle breakdown leads, named by the flag.
    let out = run(&json!({"where": ["buttock"], "onset": "next_day", "dark_urine": true}));
    assert_eq!(out.triage, Triage::Emergency);
    assert_eq!(&*out.conditions[0].id, "rhabdomyolysis");
    assert!(out.questions.is_empty(), "{:?}", out.questions);
    // Confusion during a run calls for emergency care, but low blood sodium, the cause it names,
    // does not lead yet: the questions go on.
    let out = run(&json!({"where": ["buttock"], "onset": "during_run", "confusion": true}));
    assert_eq!(out.triage, Triage::Emergency);
    assert_ne!(&*out.conditions[0].id, "hyponatraemia");
    assert!(!out.questions.is_empty());
    // A fever with a limp names a joint infection, which does not lead yet: the same.
    let out =
        run(&json!({"where": ["buttock"], "onset": "during_run", "fever": true, "limping": true}));
    assert_eq!(out.triage, Triage::Emergency);
    assert_ne!(&*out.conditions[0].id, "septic_arthritis");
    assert!(!out.questions.is_empty());
}
