//! Glue between the store and the pure crates: stored runs into the analytics' views, the
//! stored profile into the analytics' profile, and assessments into stored check-ins.

use anyhow::Context as _;
use runsore_model::{DerivedEvidence, Intake};
use runsore_store::{CheckInKind, NewCheckIn, RunId, Store};
use runsore_training::{Profile, RunView};
use runsore_triage::Assessment;

use crate::Ctx;

/// How far back the runs that explain today's soreness are read: the 6 weeks the downhill
/// novelty needs plus the 30 days before the longest-run spike.
const LOOKBACK_S: i64 = 90 * 86_400;

/// Opens the store when it exists; read-only commands do not create one.
pub fn open_existing(ctx: &Ctx) -> anyhow::Result<Option<Store>> {
    if !ctx.db_exists() {
        return Ok(None);
    }
    let db = ctx.db_path()?;
    let store = Store::open(&db).with_context(|| format!("opening the store {}", db.display()))?;
    Ok(Some(store))
}

/// The training profile from the stored one; age from the birth year at `now`.
pub fn profile(store: &Store, now_utc: i64) -> anyhow::Result<Profile> {
    let p = store.profile()?;
    let year_now = 1970 + now_utc.div_euclid(31_556_952) as i32;
    Ok(Profile {
        sex: p.sex,
        body_mass_kg: p.body_mass_kg,
        age: p.birth_year.and_then(|y| u8::try_from(year_now - y).ok()),
        hr_max: p.hr_max,
        hr_rest: p.hr_rest,
        ..Profile::default()
    })
}

/// The views of every run starting in `[from, to)`.
pub fn run_views(store: &Store, from_utc: i64, to_utc: i64) -> anyhow::Result<Vec<RunView>> {
    Ok(store
        .runs_between(from_utc, to_utc)?
        .iter()
        .filter_map(|r| RunView::from_run(r.id.0, &r.run))
        .collect())
}

/// What the stored runs say about the soreness now; empty when there is no store or no run.
/// The intake's onset and days since onset point at the run that explains it.
pub fn from_store(ctx: &Ctx, now_utc: i64, intake: &Intake) -> anyhow::Result<DerivedEvidence> {
    let Some(store) = open_existing(ctx)? else {
        return Ok(DerivedEvidence::default());
    };
    let views = run_views(&store, now_utc - LOOKBACK_S, now_utc + 1)?;
    if views.is_empty() {
        return Ok(DerivedEvidence::default());
    }
    let profile = profile(&store, now_utc)?;
    Ok(runsore_training::derive_evidence_for(
        &views,
        &profile,
        now_utc,
        runsore_training::Timing::of(intake),
    ))
}

/// Stores an assessment as a check-in, in the open episode (opening one when there is none).
pub fn save_checkin(
    ctx: &Ctx,
    now_utc: i64,
    intake: &Intake,
    derived: &DerivedEvidence,
    assessment: &Assessment,
) -> anyhow::Result<()> {
    let db = ctx.db_path()?;
    let store = Store::open(&db).with_context(|| format!("opening the store {}", db.display()))?;
    let episode = match store.current_episode()? {
        Some(e) => e,
        None => {
            let title = assessment.conditions.first().map(|c| &*c.name);
            store.open_episode(now_utc, title)?
        }
    };
    let run_ids = derived
        .findings
        .iter()
        .filter_map(|f| f.run_id)
        .map(RunId)
        .collect::<Vec<_>>();
    let mut run_ids = run_ids;
    run_ids.sort_by_key(|r| r.0);
    run_ids.dedup();
    store.add_checkin(&NewCheckIn {
        at_utc: now_utc,
        kind: CheckInKind::Assessment,
        episode_id: Some(episode.id),
        kb_version: assessment.knowledge_version.to_string(),
        intake: serde_json::to_value(intake)?,
        evidence: serde_json::to_value(derived)?,
        result: serde_json::to_value(assessment)?,
        run_ids,
    })?;
    Ok(())
}

/// Pacing advice for the next week from the stored runs, shown after an assessment whose likely
/// cause is overload (DOMS, a strain): how much running the next week can hold.
pub fn pacing(ctx: &Ctx, now_utc: i64) -> anyhow::Result<Option<runsore_training::report::Pacing>> {
    let Some(store) = open_existing(ctx)? else {
        return Ok(None);
    };
    let views = run_views(&store, now_utc - LOOKBACK_S, now_utc + 1)?;
    if views.is_empty() {
        return Ok(None);
    }
    let profile = profile(&store, now_utc)?;
    let offset = local_offset_s(&views);
    let today = runsore_training::Day::from_utc(now_utc, offset);
    Ok(runsore_training::report(&views, &profile, today).pacing)
}

/// The runner's offset from UTC: the latest run's, as the files record it, else UTC.
pub fn local_offset_s(views: &[RunView]) -> i32 {
    views
        .iter()
        .max_by_key(|v| v.start_utc)
        .and_then(|v| v.local_offset_s)
        .unwrap_or(0)
}
