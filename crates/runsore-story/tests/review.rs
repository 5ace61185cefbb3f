//! Patterns an independent reviewer's held-out test found (issue 8 feedback), as a table.
//!
//! Each phrase is a pattern the reader must handle in general, not a case string to match.

use runsore_story::read_story;
use serde_json::Value;

fn get<'a>(intake: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(intake, |node, part| node.get(part))
}

/// Checks every case and reports all failures at once.
fn check_all(cases: &[(&str, &[&str])]) {
    let failures: Vec<String> = cases.iter().filter_map(|(s, e)| failure(s, e)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check(story: &str, expect: &[&str]) {
    if let Some(f) = failure(story, expect) {
        panic!("{f}");
    }
}

fn failure(story: &str, expect: &[&str]) -> Option<String> {
    let intake = serde_json::to_value(read_story(story).intake).expect("intake serialises");
    for e in expect {
        let ok = if let Some(field) = e.strip_prefix('!') {
            get(&intake, field).is_none()
        } else if let Some((field, item)) = e.split_once("+=") {
            get(&intake, field)
                .and_then(Value::as_array)
                .is_some_and(|l| l.iter().any(|v| v.as_str() == Some(item)))
        } else {
            let (field, want) = e.split_once('=').expect("case is field=value");
            let want: Value = serde_json::from_str(want).expect("case value is json");
            get(&intake, field).is_some_and(|got| match (got.as_f64(), want.as_f64()) {
                (Some(a), Some(b)) => (a - b).abs() < 0.6,
                _ => *got == want,
            })
        };
        if !ok {
            return Some(format!("{story:?}: expected {e}, read {intake}"));
        }
    }
    None
}

#[test]
fn red_flag_wording() {
    let cases: &[(&str, &[&str])] = &[
        ("My pee looks like Coca-Cola.", &["dark_urine=true"]),
        ("My wee is the colour of strong tea.", &["dark_urine=true"]),
        (
            "My leg is getting weaker every day.",
            &["weakness=true", "trend=\"worse\""],
        ),
        (
            "The leg is weaker and weaker.",
            &["weakness=true", "trend=\"worse\""],
        ),
        ("It feels strange when I wipe.", &["saddle_numbness=true"]),
        (
            "I haven't been able to hold my bowels properly.",
            &["bladder_bowel_change=true"],
        ),
        (
            "I drank water at every station, nothing else.",
            &["run.electrolytes=false"],
        ),
        (
            "Water, nothing else, for the whole marathon.",
            &["run.electrolytes=false"],
        ),
    ];
    check_all(cases);
}

#[test]
fn wrong_reads() {
    let cases: &[(&str, &[&str])] = &[
        ("I'm a 45-year-old woman.", &["sex=\"female\""]),
        ("I can walk OK.", &["can_bear_weight=true"]),
        ("Ran in 90F heat.", &["!age", "!sex", "run.hot=true"]),
        (
            "Did hill reps on Tuesday; now my glutes ache.",
            &["!pain_stairs"],
        ),
        (
            "Hill repeats yesterday, glutes sore today.",
            &["!pain_stairs"],
        ),
        (
            "I'm training for a marathon and my bum hurts.",
            &["!run.distance_km"],
        ),
        (
            "Training for my first 100 km, my glute aches.",
            &["!run.distance_km"],
        ),
        (
            "I was sitting on the sofa when I noticed my glute ached.",
            &["!pain_sitting"],
        ),
        (
            "Pain where a bike saddle sits.",
            &["!pain_sitting", "!saddle_numbness"],
        ),
        (
            "No numbness in the saddle area.",
            &["saddle_numbness=false"],
        ),
        ("No numbness down there.", &["saddle_numbness=false"]),
        ("Sciatica down my leg.", &["radiates_below_knee=true"]),
    ];
    check_all(cases);
}

#[test]
fn missed_wording() {
    let cases: &[(&str, &[&str])] = &[
        ("Bloke, 40, sore glute.", &["sex=\"male\"", "age=40"]),
        ("Sore glute (M).", &["sex=\"male\""]),
        ("52, female, outer hip pain.", &["sex=\"female\"", "age=52"]),
        ("44 y/o M with groin pain.", &["sex=\"male\"", "age=44"]),
        ("Pain on the R side.", &["sides=\"right\""]),
        ("R sided buttock pain.", &["sides=\"right\""]),
        ("Groin ache x 2 mo.", &["days_since_onset=60"]),
        ("Sit bone pain for 2 wks.", &["days_since_onset=14"]),
        ("Pain 9, can't walk.", &["pain=9"]),
        ("It hurts when I lie on it.", &["pain_lying_on_side=true"]),
        (
            "It hurts to roll onto it at night.",
            &["pain_lying_on_side=true"],
        ),
        ("Sore lying on that side.", &["pain_lying_on_side=true"]),
        ("It is worst after driving.", &["pain_sitting=true"]),
        ("The pain is right where I sit.", &["where+=sit_bone"]),
        ("Pain at the spot where you sit.", &["where+=sit_bone"]),
        (
            "Since getting home my glutes cramp.",
            &["onset=\"hours_after\""],
        ),
        (
            "Since I finished, my glutes have cramped.",
            &["onset=\"hours_after\""],
        ),
        ("My glutes are tight tonight.", &["onset=\"hours_after\""]),
        ("This evening my bum aches.", &["onset=\"hours_after\""]),
        (
            "Sunday race, and on Monday morning my glutes were sore.",
            &["onset=\"next_day\""],
        ),
        (
            "Long run yesterday and I woke up today with sore glutes.",
            &["onset=\"next_day\""],
        ),
        ("The burn was completely gone.", &["trend=\"gone\""]),
        ("Fine 15 min later.", &["trend=\"gone\""]),
        ("Now I feel grand.", &["trend=\"gone\""]),
        ("My strength is OK.", &["weakness=false"]),
        ("Strength is fine.", &["weakness=false"]),
        ("I'm not out of breath.", &["short_of_breath=false"]),
        (
            "Nothing goes below the knee.",
            &["radiates_below_knee=false"],
        ),
        (
            "It never goes past the knee.",
            &["radiates_below_knee=false"],
        ),
        (
            "No bladder or bowel issues.",
            &["bladder_bowel_change=false"],
        ),
        ("It was 29 degrees.", &["run.hot=true"]),
        ("A 10-miler on Sunday.", &["run.distance_km=16.1"]),
        ("More than I've done in months.", &["run.unaccustomed=true"]),
        (
            "I roughly doubled my miles.",
            &["training.weekly_increase_pct=100"],
        ),
        (
            "I went from 50 to 80 km.",
            &["training.weekly_increase_pct=60"],
        ),
        (
            "I didn't increase my mileage.",
            &["training.weekly_increase_pct=0"],
        ),
        (
            "Pain down both legs past the knees.",
            &["where+=below_knee", "radiates_below_knee=true"],
        ),
        (
            "Pain through the buttock to the shin.",
            &["where+=below_knee", "radiates_below_knee=true"],
        ),
        ("My foot is slapping.", &["weakness=true"]),
        ("I keep tripping over my foot.", &["weakness=true"]),
        (
            "Doing strides I felt a sudden pull in my hamstring.",
            &["sudden=true", "onset=\"during_run\""],
        ),
    ];
    check_all(cases);
}

#[test]
fn a_worsening_on_a_run_is_not_the_onset() {
    check(
        "It has built up over three weeks, and on today's run it got much worse.",
        &["onset=\"gradual_weeks\"", "trend=\"worse\""],
    );
}

#[test]
fn a_worsening_during_a_run_sets_no_onset() {
    check(
        "Groin ache; on the run today it got much worse.",
        &["!onset", "trend=\"worse\""],
    );
    check("In the last mile it got worse.", &["!onset"]);
}

#[test]
fn sciatica_names_leg_pain_not_back_pain() {
    check(
        "Sciatica down my leg.",
        &["!back_pain", "radiates_below_knee=true"],
    );
}

/// The second blind reviewer's patterns: weakness told in plain words, a worsening course, and
/// hopping stated through negatives.
#[test]
fn second_review_weakness_and_hopping() {
    check_all(&[
        (
            "I can't push up on my toes on that side any more, it's got worse this week.",
            &["weakness=true", "trend=\"worse\"", "!can_bear_weight"],
        ),
        (
            "My foot keeps catching on the kerb, worse each day.",
            &["weakness=true", "trend=\"worse\"", "!clicking_locking"],
        ),
        (
            "The leg is weaker than it was a few days ago.",
            &["weakness=true", "trend=\"worse\""],
        ),
        (
            "I can't stand on my tiptoes on the left.",
            &["weakness=true", "!can_bear_weight"],
        ),
        (
            "I wasn't able to hop without pain, and it aches in bed at night.",
            &["pain_hopping=true", "pain_at_night=true"],
        ),
        ("I can hop without pain.", &["pain_hopping=false"]),
        ("Hopping hurts on the right.", &["pain_hopping=true"]),
        (
            "The hip clicks and catches when I stand up.",
            &["clicking_locking=true"],
        ),
        ("I can't put any weight on it.", &["can_bear_weight=false"]),
    ]);
}
