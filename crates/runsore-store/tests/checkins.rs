//! Episodes, check-ins and quick soreness logs.

mod common;

use common::{T0, file, run};
use runsore_model::Region;
use runsore_store::{
    CheckInId, CheckInKind, EpisodeId, NewCheckIn, NewSoreness, RunId, Store, StoreError,
};
use serde_json::json;

const HOUR: i64 = 3600;

fn checkin(at_utc: i64, episode_id: Option<EpisodeId>, run_ids: Vec<RunId>) -> NewCheckIn {
    NewCheckIn {
        at_utc,
        kind: if episode_id.is_some() {
            CheckInKind::FollowUp
        } else {
            CheckInKind::Assessment
        },
        episode_id,
        kb_version: "kb-2026.11".into(),
        intake: json!({"version": 1, "regions": ["buttock"], "soreness": 6}),
        evidence: json!({"hours_since_last_run": 30.5, "findings": [{"id": "downhill", "value": true}]}),
        result: json!({"triage": "self_care", "ranking": [{"id": "doms", "p": 0.71}]}),
        run_ids,
    }
}

fn soreness(at_utc: i64, level: u8, episode_id: Option<EpisodeId>) -> NewSoreness {
    NewSoreness {
        at_utc,
        level,
        regions: vec![Region::Buttock, Region::SideOfHip],
        note: Some("stairs hurt".into()),
        episode_id,
    }
}

#[test]
fn an_episode_opens_collects_check_ins_and_closes() {
    let store = Store::open_in_memory().expect("open");
    let run_id = store
        .insert_file(&file("hill.fit", T0), &[run("hill.fit", T0, 60)])
        .expect("insert")
        .inserted()[0];
    assert_eq!(store.current_episode().expect("current"), None);

    let episode = store
        .open_episode(T0 + 30 * HOUR, Some("left buttock"))
        .expect("open episode");
    assert!(episode.is_open());
    assert_eq!(
        store.current_episode().expect("current"),
        Some(episode.clone())
    );
    let err = store
        .open_episode(T0 + 31 * HOUR, None)
        .expect_err("one open at a time");
    assert_eq!(
        err.to_string(),
        format!(
            "episode {} is already open; close it before opening another",
            episode.id
        )
    );

    let first = checkin(T0 + 30 * HOUR, Some(episode.id), vec![run_id]);
    let first_id = store.add_checkin(&first).expect("check-in");
    let later = checkin(T0 + 54 * HOUR, Some(episode.id), vec![]);
    let later_id = store.add_checkin(&later).expect("check-in");
    let sore = store
        .log_soreness(&soreness(T0 + 40 * HOUR, 5, Some(episode.id)))
        .expect("log");
    let outside = store
        .log_soreness(&soreness(T0 + 10 * HOUR, 2, None))
        .expect("log");

    let stored = store.checkin(first_id).expect("get");
    assert_eq!(
        stored.data, first,
        "intake, evidence and result come back as given"
    );

    let closed = store
        .close_episode(episode.id, T0 + 120 * HOUR, Some("resolved"))
        .expect("close");
    assert_eq!(closed.closed_utc, Some(T0 + 120 * HOUR));
    assert_eq!(store.current_episode().expect("current"), None);
    assert_eq!(store.episode(episode.id).expect("episode"), closed);

    let history = store.list_episodes().expect("list");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].episode, closed);
    let ids: Vec<CheckInId> = history[0].checkins.iter().map(|c| c.id).collect();
    assert_eq!(ids, [first_id, later_id]);
    assert_eq!(
        history[0].soreness.iter().map(|s| s.id).collect::<Vec<_>>(),
        [sore]
    );

    let between = store.soreness_between(T0, T0 + 48 * HOUR).expect("between");
    assert_eq!(
        between.iter().map(|s| s.id).collect::<Vec<_>>(),
        [outside, sore]
    );
    assert_eq!(between[0].data, soreness(T0 + 10 * HOUR, 2, None));
    let checkins = store
        .checkins_between(T0 + 50 * HOUR, T0 + 60 * HOUR)
        .expect("between");
    assert_eq!(
        checkins.iter().map(|c| c.id).collect::<Vec<_>>(),
        [later_id]
    );

    // A new episode can open once the last one closed.
    let second = store
        .open_episode(T0 + 500 * HOUR, None)
        .expect("second episode");
    assert_ne!(second.id, episode.id);
    assert_eq!(store.list_episodes().expect("list").len(), 2);
}

/// Something done to a store that should be refused.
type Attempt<'a> = dyn Fn(&Store) -> Result<(), StoreError> + 'a;

fn check_refused(setup: impl Fn(&Store) -> Result<(), StoreError>, expected: &str) {
    let store = Store::open_in_memory().expect("open");
    let closed = store.open_episode(T0, None).expect("open");
    store
        .close_episode(closed.id, T0 + HOUR, None)
        .expect("close");
    let err = setup(&store).expect_err(expected);
    assert_eq!(err.to_string(), expected);
    assert!(
        store
            .checkins_between(i64::MIN, i64::MAX)
            .expect("list")
            .is_empty()
    );
    assert!(
        store
            .soreness_between(i64::MIN, i64::MAX)
            .expect("list")
            .is_empty()
    );
}

#[test]
fn bad_check_ins_are_refused_with_their_reason() {
    let e1 = Some(EpisodeId(1));
    let before_opening = format!(
        "invalid closed_utc: {T0} is before the episode opened at {}",
        T0 + 10 * HOUR
    );
    let cases: Vec<(Box<Attempt<'_>>, &str)> = vec![
        (
            Box::new(|s| s.add_checkin(&checkin(T0, e1, vec![])).map(drop)),
            "episode 1 is closed",
        ),
        (
            Box::new(|s| {
                s.add_checkin(&checkin(T0, Some(EpisodeId(9)), vec![]))
                    .map(drop)
            }),
            "episode 9 not found",
        ),
        (
            Box::new(|s| s.add_checkin(&checkin(T0, None, vec![RunId(7)])).map(drop)),
            "run 7 not found",
        ),
        (
            Box::new(|s| s.log_soreness(&soreness(T0, 11, None)).map(drop)),
            "invalid level: 11 is above 10",
        ),
        (
            Box::new(|s| s.log_soreness(&soreness(T0, 3, e1)).map(drop)),
            "episode 1 is closed",
        ),
        (
            Box::new(|s| s.close_episode(EpisodeId(1), T0 + 2 * HOUR, None).map(drop)),
            "episode 1 is closed",
        ),
        (
            Box::new(|s| s.close_episode(EpisodeId(2), T0, None).map(drop)),
            "episode 2 not found",
        ),
        (
            Box::new(|s| s.checkin(CheckInId(3)).map(drop)),
            "check-in 3 not found",
        ),
        (
            Box::new(|s| {
                let e = s.open_episode(T0 + 10 * HOUR, None)?;
                s.close_episode(e.id, T0, None).map(drop)
            }),
            before_opening.as_str(),
        ),
        // Values that once took a page down when read back: a check-in at the minimum
        // timestamp, and an intake whose hours reach the chart loops.
        (
            Box::new(|s| s.add_checkin(&checkin(i64::MIN, None, vec![])).map(drop)),
            "invalid at_utc: must be 0 to 7258118400 seconds since 1970, got -9.223372036854776e18",
        ),
        (
            Box::new(|s| s.log_soreness(&soreness(i64::MAX, 3, None)).map(drop)),
            "invalid at_utc: must be 0 to 7258118400 seconds since 1970, got 9.223372036854776e18",
        ),
        (
            Box::new(|s| {
                let mut c = checkin(T0, None, vec![]);
                c.intake = json!({"where": ["buttock"], "hours_since_run": 1e300});
                s.add_checkin(&c).map(drop)
            }),
            "invalid hours_since_run: must be 0 to 17568 hours, got 1e300",
        ),
        (
            Box::new(|s| {
                let mut c = checkin(T0, None, vec![]);
                c.intake = json!({"run": {"minutes": "long"}});
                s.add_checkin(&c).map(drop)
            }),
            "invalid run.minutes: must be 0 to 10080 minutes, got \"long\"",
        ),
    ];
    for (setup, expected) in &cases {
        check_refused(setup, expected);
    }
}
