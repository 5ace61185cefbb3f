//! Red flags in many phrasings: stated, they are always read; negated, never read as true.
//!
//! Kept apart from the phrasing table because a miss here is a safety failure, not a recall one.

use runsore_story::read_story;
use serde_json::Value;

fn read(story: &str, field: &str) -> Option<Value> {
    let intake = serde_json::to_value(read_story(story).intake).expect("intake serialises");
    intake.get(field).cloned()
}

/// `alarming` is the value that raises concern (`false` for `can_bear_weight`).
fn check(field: &str, alarming: bool, stated: &[&str], negated: &[&str]) {
    for story in stated {
        assert_eq!(
            read(story, field),
            Some(Value::Bool(alarming)),
            "{field} missed in {story:?}"
        );
    }
    for story in negated {
        assert_eq!(
            read(story, field),
            Some(Value::Bool(!alarming)),
            "{field} misread in negated {story:?}"
        );
    }
}

#[test]
fn dark_urine() {
    check(
        "dark_urine",
        true,
        &[
            "my pee is dark like cola",
            "Peed brown this morning after the ultra.",
            "My urine has gone a dark tea colour.",
            "My wee has come out the colour of Coke.",
            "I think my pee might be darker than usual.",
            "Passing dark brown urine.",
            "There was blood-coloured pee.",
            "Urine the colour of strong tea.",
            "My pee looks like cola, and my glutes are swollen.",
        ],
        &[
            "My urine isn't dark.",
            "No dark pee.",
            "Pee is a normal colour.",
            "My pee is clear.",
            "Urine looks normal, glutes sore.",
            "Glutes sore but no dark or cola-coloured urine.",
        ],
    );
    // Silent about colour: unknown, never false.
    assert_eq!(
        read("I haven't noticed what colour my pee is.", "dark_urine"),
        None
    );
    assert_eq!(read("I drank tea after the race.", "dark_urine"), None);
}

#[test]
fn saddle_numbness() {
    check(
        "saddle_numbness",
        true,
        &[
            "I'm numb between my legs.",
            "Numbness in the saddle area.",
            "It's gone numb down below.",
            "I can't feel the toilet paper when I wipe.",
            "Tingling and numbness around my back passage.",
            "My genitals feel numb.",
            "The area where I'd sit on a saddle feels numb.",
        ],
        &[
            "No numbness between my legs.",
            "The feeling between my legs is normal.",
            "Down below feels normal when I wipe.",
            "No saddle numbness.",
        ],
    );
}

#[test]
fn bladder_bowel_change() {
    check(
        "bladder_bowel_change",
        true,
        &[
            "I can't control my bladder.",
            "I have trouble passing urine.",
            "I have to strain to start peeing and it only dribbles.",
            "I wet myself on the way home.",
            "I've lost control of my bowels.",
            "I can't empty my bladder properly.",
            "I had an accident with my bowels without realising.",
            "New bladder problems since yesterday.",
            "I can't tell when I need to pee.",
        ],
        &[
            "No trouble passing urine.",
            "Going to the toilet is normal.",
            "Peeing and pooing are normal.",
            "No bladder or bowel problems.",
            "Bladder and bowels are fine.",
        ],
    );
}

#[test]
fn cannot_bear_weight() {
    check(
        "can_bear_weight",
        false,
        &[
            "I can't put any weight on the leg.",
            "I can hardly stand.",
            "I cannot bear weight on it.",
            "Unable to walk since the fall.",
            "The leg won't take my weight.",
            "I can only just stand.",
            "I couldn't walk and had to be carried off.",
            "I can't stand on my left leg.",
        ],
        &[
            "I can walk fine.",
            "I can still walk, just about.",
            "Though I can walk on it.",
            "Walking is fine.",
            "I'm walking normally.",
        ],
    );
}

#[test]
fn chest_pain_breath_fainting() {
    check(
        "chest_pain",
        true,
        &[
            "Chest pain on the last climb.",
            "My chest felt tight.",
            "A crushing pain in my chest.",
            "Some chest tightness at the end.",
        ],
        &[
            "No chest pain.",
            "I don't have chest pain or anything like that.",
        ],
    );
    check(
        "short_of_breath",
        true,
        &[
            "I'm short of breath at rest.",
            "Breathless just walking.",
            "I can't catch my breath.",
        ],
        &["Not short of breath.", "No breathlessness."],
    );
    check(
        "fainting",
        true,
        &[
            "I fainted.",
            "Nearly passed out at the finish.",
            "I blacked out briefly.",
            "Felt dizzy and light-headed.",
            "I collapsed after the line.",
        ],
        &[
            "I didn't faint.",
            "I haven't fainted.",
            "No dizziness or fainting.",
            "I'm not dizzy.",
        ],
    );
}

#[test]
fn confusion_palpitations() {
    check(
        "confusion",
        true,
        &[
            "I feel confused.",
            "I'm a bit muddled.",
            "My wife says I seem confused.",
            "Disorientated after the race.",
        ],
        &["I'm not confused.", "No confusion.", "My head's clear."],
    );
    check(
        "palpitations",
        true,
        &[
            "My heart keeps skipping beats.",
            "Palpitations tonight.",
            "Heart racing and fluttering.",
            "My heart was pounding irregularly.",
        ],
        &[
            "No palpitations.",
            "My heartbeat is steady.",
            "Heart rate is normal.",
            "No racing heart.",
        ],
    );
}

#[test]
fn red_flags_in_looser_words() {
    check(
        "dark_urine",
        true,
        &["When I went to the loo it was brownish."],
        &[],
    );
    check(
        "chest_pain",
        true,
        &["At mile 20 I got a heavy pressure in my chest."],
        &[],
    );
    check(
        "short_of_breath",
        true,
        &["I get out of breath climbing one flight of stairs."],
        &[],
    );
    check(
        "confusion",
        true,
        &[
            "I was talking nonsense after the race.",
            "I couldn't remember where I parked.",
        ],
        &[],
    );
    check(
        "palpitations",
        true,
        &["My heartbeat has been irregular since the run."],
        &["My heart isn't racing."],
    );
    check(
        "saddle_numbness",
        true,
        &["Numbness in my groin and bottom."],
        &["I have normal feeling in my groin and bottom."],
    );
    check(
        "bladder_bowel_change",
        true,
        &["My bowels have changed."],
        &["Neither my pee nor my bowels have changed."],
    );
    // Pulling a knee to the chest is a hip test, not chest pain.
    assert_eq!(
        read("It pinches when I pull my knee to my chest.", "chest_pain"),
        None
    );
    // Being out of breath in a race is normal, not a red flag.
    assert_eq!(
        read("I was out of breath at the finish.", "short_of_breath"),
        None
    );
    assert_eq!(read("I can't remember when it started.", "confusion"), None);
}

#[test]
fn the_safety_net_catches_red_flags_in_unplanned_words() {
    check(
        "dark_urine",
        true,
        &["Went for a wee and, honestly, it looked almost black."],
        &[],
    );
    check(
        "chest_pain",
        true,
        &["There's a band around my chest that feels heavy."],
        &[],
    );
    check(
        "palpitations",
        true,
        &["Since the run my pulse feels erratic."],
        &[],
    );
    check(
        "saddle_numbness",
        true,
        &["Lost the feeling in my perineum."],
        &[],
    );
    check(
        "can_bear_weight",
        false,
        &["Putting weight on it is impossible."],
        &[],
    );
    // The net keeps its hands off the ordinary.
    assert_eq!(
        read(
            "I drank tea after the race and my pee is pale.",
            "dark_urine"
        ),
        Some(Value::Bool(false))
    );
    assert_eq!(
        read("I need to lose weight, my glute aches.", "can_bear_weight"),
        None
    );
    assert_eq!(
        read(
            "I couldn't find a toilet on the course.",
            "bladder_bowel_change"
        ),
        None
    );
    assert_eq!(
        read(
            "My heart rate monitor says I was racing at threshold.",
            "palpitations"
        ),
        None
    );
}

#[test]
fn the_net_stays_quiet_for_ordinary_toilet_stops() {
    assert_eq!(
        read(
            "I stopped for a pee at 10 km and carried on.",
            "bladder_bowel_change"
        ),
        None
    );
    assert_eq!(
        read(
            "It was hard to find a toilet on the course.",
            "bladder_bowel_change"
        ),
        None
    );
    check(
        "bladder_bowel_change",
        true,
        &[
            "It's difficult to get my pee going since yesterday.",
            "I'm struggling to empty my bladder.",
        ],
        &[],
    );
    check(
        "confusion",
        true,
        &["My friends said I seemed drunk after the race."],
        &[],
    );
}

#[test]
fn a_symptom_worded_with_no_is_not_a_denial() {
    check(
        "saddle_numbness",
        true,
        &[
            "I have no feeling in my saddle area.",
            "There's no sensation between my legs.",
            "I feel nothing down below.",
        ],
        &["No numbness in the saddle area."],
    );
    check(
        "bladder_bowel_change",
        true,
        &["I have no control of my bladder."],
        &[],
    );
}
