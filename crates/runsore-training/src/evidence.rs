//! Evidence for the triage engine read from the runs before the soreness: intake fields with a
//! plain sentence naming the run each came from. The runner's own answers override them
//! (`DerivedEvidence::merge_into`).

use runsore_model::{DerivedEvidence, DerivedFinding, Intensity};
use serde_json::json;

use crate::date::Day;
use crate::figures::RunView;
use crate::load::{Analysis, RunMetrics, analyse_since};
use crate::profile::Profile;
use crate::series::{Daily, SPIKE_WINDOW_DAYS, downhill, last_run_index, spike, week_change};

/// Run-level findings (`run.*`) are filled only when the last run ended this recently: an older
/// run is unlikely to be "the run before the pain began".
pub const RECENT_RUN_HOURS: f64 = 7.0 * 24.0;
/// Recorded temperature from which a run counts as hot, C. Heat-illness risk rises from a WBGT
/// of about 23-28 C (ACSM 2007 position stand on exertional heat illness); without humidity the
/// air temperature stands in, and wrist sensors read a few degrees warm, so the bar is 25 C.
pub const HOT_C: f64 = 25.0;
/// Estimated sweat loss, percent of body mass, counted as heavy sweating: the 2 % loss the ACSM
/// 2007 fluid-replacement position stand (Sawka et al., MSSE 39:377) advises staying under.
pub const HEAVY_SWEAT_PCT: f64 = 2.0;

/// Days before the last run that the evidence reads (the 6-week downhill window and a margin).
const WINDOW_DAYS: i64 = 50;

/// Derives intake fields from the runs that started at or before `now_utc`.
pub fn derive_evidence(runs: &[RunView], profile: &Profile, now_utc: i64) -> DerivedEvidence {
    let mut findings = Vec::new();
    // Everything here looks back at most 6 weeks from the last run (downhill novelty) and two
    // weeks from now (weekly change): analyse only that window, so ten years cost no more than
    // two months.
    let Some(last_start) = runs
        .iter()
        .filter(|r| r.is_run() && r.start_utc <= now_utc)
        .filter(|r| !r.figures.minutes().is_some_and(|m| m < 2.0))
        .map(|r| r.start_utc)
        .max()
    else {
        return DerivedEvidence { findings };
    };
    let from = last_start.saturating_sub(WINDOW_DAYS * 86_400);
    let analysis = analyse_since(runs, profile, from);
    let Some(index) = last_run_index(&analysis, now_utc) else {
        return DerivedEvidence { findings };
    };
    let run = &analysis.runs[index];
    let offset = runs
        .iter()
        .find(|r| r.id == run.id)
        .and_then(|r| r.local_offset_s)
        .or(analysis.profile.utc_offset_s)
        .unwrap_or(0);
    let today = Day::from_utc(now_utc, offset);
    let name = describe(run, today);
    let mut add = |field: &str, value: serde_json::Value, because: String, run_id: Option<i64>| {
        findings.push(DerivedFinding {
            field: field.into(),
            value,
            because,
            run_id,
        });
    };

    let hours = (now_utc.saturating_sub(run.end_utc).max(0) as f64 / 3600.0 * 10.0).round() / 10.0;
    add(
        "hours_since_run",
        json!(hours),
        format!("{name} ended {} ago", hours_words(hours)),
        Some(run.id),
    );

    if hours <= RECENT_RUN_HOURS {
        if let Some(m) = run.minutes {
            add(
                "run.minutes",
                json!(m.round()),
                format!("{name} lasted {:.0} minutes", m),
                Some(run.id),
            );
        }
        if let Some(km) = run.distance_km {
            add(
                "run.distance_km",
                json!((km * 10.0).round() / 10.0),
                format!("{name} covered {}", km_words(km)),
                Some(run.id),
            );
        }
        if let Some((intensity, because)) = intensity(&analysis, index, runs, &name) {
            add("run.intensity", json!(intensity), because, Some(run.id));
        }
        if let Some(t) = run.temp_c {
            let hot = t >= HOT_C;
            let because = format!(
                "your watch recorded an average of {t:.0} C on {name} ({}; a wrist sensor reads \
                 a few degrees above the air)",
                if hot {
                    "hot enough to raise sweating and heat strain"
                } else {
                    "not hot"
                }
            );
            add("run.hot", json!(hot), because, Some(run.id));
        }
        if let Some(s) = &run.sweat(&analysis.profile) {
            let heavy = s.percent_body_mass >= HEAVY_SWEAT_PCT;
            // Without a recorded temperature a "no" could be wrong on a hot day: say only yes.
            if heavy || run.temp_c.is_some() {
                let assumed = if s.assumptions.is_empty() {
                    String::new()
                } else {
                    format!("; {}", s.assumptions.join(", "))
                };
                add(
                    "run.heavy_sweating",
                    json!(heavy),
                    format!(
                        "{name} probably cost about {:.1} L of sweat ({:.1}% of body mass{}), \
                         an estimate from its duration, pace and temperature{assumed}",
                        s.litres,
                        s.percent_body_mass,
                        if heavy {
                            ", above the 2% the ACSM advises staying under"
                        } else {
                            ""
                        }
                    ),
                    Some(run.id),
                );
            }
        }
        let dh = downhill(&analysis, index);
        if let Some(d) = &dh {
            let steep = d
                .steep_minutes
                .map(|m| format!(" with {m:.0} minutes steeper than -5%"))
                .unwrap_or_default();
            let because = if d.much {
                format!(
                    "{name} descended {:.0} m{steep}; downhill running is the classic cause of \
                     delayed muscle soreness",
                    d.descent_m
                )
            } else {
                format!("{name} descended only {:.0} m{steep}", d.descent_m)
            };
            add("run.downhill", json!(d.much), because, Some(run.id));
        }
        let sp = spike(&analysis, index);
        let spike_words = sp.as_ref().filter(|s| s.is_spike()).map(|s| {
            format!(
                "{name} was {:.0}% longer than any run in the {SPIKE_WINDOW_DAYS} days before \
                 (longest {}); a run more than 10% longer than that went with a higher injury \
                 risk in 5,205 runners (Frandsen et al. 2025)",
                (s.ratio.unwrap_or(1.0) - 1.0) * 100.0,
                km_words(s.longest_before_km.unwrap_or(0.0))
            )
        });
        let novel_words = dh.as_ref().filter(|d| d.novel).map(|d| match d.ratio {
            Some(r) => format!(
                "{name} descended {:.0} m, {r:.1} times more than any run in the 6 weeks before \
                 ({:.0} m): muscles not used to downhill get the most soreness",
                d.descent_m,
                d.previous_max_m.unwrap_or(0.0)
            ),
            None => format!(
                "{name} descended {:.0} m after 6 weeks without downhill (no run before it \
                 descended more than 20 m): muscles not used to downhill get the most soreness",
                d.descent_m
            ),
        });
        match (spike_words, novel_words) {
            (Some(a), Some(b)) => add(
                "run.unaccustomed",
                json!(true),
                format!("{a}; and {}", b.replacen(&name, "it", 1)),
                Some(run.id),
            ),
            (Some(a), None) | (None, Some(a)) => {
                add("run.unaccustomed", json!(true), a, Some(run.id))
            }
            (None, None) => {
                if let Some(s) = sp.as_ref().filter(|s| s.ratio.is_some()) {
                    add(
                        "run.unaccustomed",
                        json!(false),
                        format!(
                            "{name} was not more than 10% longer than your longest run of the \
                             {SPIKE_WINDOW_DAYS} days before ({}){}",
                            km_words(s.longest_before_km.unwrap_or(0.0)),
                            if dh.is_some() {
                                " and not unusually downhill"
                            } else {
                                ""
                            }
                        ),
                        Some(run.id),
                    );
                }
            }
        }
    }

    if let Some(daily) = Daily::new(&analysis, today) {
        let w = week_change(&daily);
        if let (Some(pct), Some(last)) = (w.pct, w.last_week_km) {
            add(
                "training.weekly_increase_pct",
                json!(pct.round()),
                format!(
                    "you ran {} in the last 7 days against {} in the 7 days before ({:+.0}%)",
                    km_words(w.this_week_km),
                    km_words(last),
                    pct
                ),
                None,
            );
        }
    }
    DerivedEvidence { findings }
}

fn intensity(
    analysis: &Analysis,
    index: usize,
    views: &[RunView],
    name: &str,
) -> Option<(Intensity, String)> {
    let run = &analysis.runs[index];
    if let Some(rpe) = views.iter().find(|v| v.id == run.id).and_then(|v| v.rpe) {
        let i = match rpe {
            r if r <= 4.0 => Intensity::Easy,
            r if r <= 6.0 => Intensity::Steady,
            r if r <= 8.0 => Intensity::Hard,
            _ => Intensity::Race,
        };
        return Some((i, format!("you rated {name} {rpe:.0} out of 10 for effort")));
    }
    if let (Some(hr), Some(f)) = (
        run.avg_hr,
        run.intensity_fraction.filter(|_| run.avg_hr.is_some()),
    ) {
        // Heart-rate reserve bands after the ACSM intensity table (moderate 40-59 %, vigorous
        // 60-89 %, near-maximal 90 %+), split for runners: easy under 70 %, steady 70-80 %.
        let i = match f {
            f if f < 0.70 => Intensity::Easy,
            f if f < 0.80 => Intensity::Steady,
            f if f < 0.90 => Intensity::Hard,
            _ => Intensity::Race,
        };
        return Some((
            i,
            format!(
                "{name} averaged {hr:.0} bpm, {:.0}% of your heart-rate reserve ({:.0}-{:.0} bpm)",
                f * 100.0,
                analysis.hr.hr_rest,
                analysis.hr.hr_max
            ),
        ));
    }
    // Pace against the runner's usual: the median speed of the runs in the 6 weeks before.
    let speed = |r: &RunMetrics| r.pace_min_per_km.map(|p| 60.0 / p);
    let own = speed(run)?;
    let from = run.start_utc.saturating_sub(42 * 86_400);
    let mut usual: Vec<f64> = analysis.runs[..index]
        .iter()
        .filter(|r| r.is_run && r.start_utc >= from)
        .filter_map(speed)
        .collect();
    if usual.len() < 3 {
        return None;
    }
    usual.sort_by(f64::total_cmp);
    let median = usual[usual.len() / 2];
    let ratio = own / median;
    let i = match ratio {
        r if r < 1.03 => Intensity::Easy,
        r if r < 1.08 => Intensity::Steady,
        _ => Intensity::Hard,
    };
    Some((
        i,
        format!(
            "{name} averaged {} per km, {} your usual {} per km",
            pace_words(60.0 / own),
            if ratio >= 1.0 {
                format!("{:.0}% faster than", (ratio - 1.0) * 100.0)
            } else {
                "no faster than".to_string()
            },
            pace_words(60.0 / median)
        ),
    ))
}

/// "your 27 km run on 3 May".
pub(crate) fn describe(run: &RunMetrics, today: Day) -> String {
    let what = if run.is_run { "run" } else { "activity" };
    match run.distance_km {
        Some(km) if km > 0.0 => format!("your {} {what} on {}", km_words(km), run.day.short(today)),
        _ => match run.minutes {
            Some(m) => format!("your {m:.0}-minute {what} on {}", run.day.short(today)),
            None => format!("your {what} on {}", run.day.short(today)),
        },
    }
}

/// "27 km", "8.4 km".
pub(crate) fn km_words(km: f64) -> String {
    if km >= 10.0 {
        format!("{km:.0} km")
    } else {
        format!("{km:.1} km")
    }
}

fn pace_words(min_per_km: f64) -> String {
    let total = (min_per_km * 60.0).round() as i64;
    format!("{}:{:02}", total / 60, total % 60)
}

fn hours_words(hours: f64) -> String {
    if hours < 48.0 {
        format!("{hours:.0} hours")
    } else {
        format!("{:.0} days", hours / 24.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Descent, ElevationSource, HrBin, RunFigures};
    use runsore_model::{Intake, Sex, Sport};

    const DAY0: i64 = 20_200; // 2025-04-22

    fn run(id: i64, day: i64, km: f64) -> RunView {
        RunView {
            id,
            start_utc: (DAY0 + day) * 86_400 + 7 * 3600,
            local_offset_s: Some(0),
            sport: Sport::Running,
            rpe: None,
            figures: RunFigures {
                elapsed_s: Some(km * 330.0),
                moving_s: Some(km * 330.0),
                distance_m: Some(km * 1000.0),
                avg_hr: Some(140.0),
                hr_seconds: vec![HrBin {
                    bpm: 140,
                    seconds: km * 330.0,
                }],
                temp_c: Some(15.0),
                descent: Descent {
                    metres: Some(40.0),
                    steep_s: Some(0.0),
                    steep_m: Some(0.0),
                    source: ElevationSource::Samples,
                },
                ..RunFigures::default()
            },
        }
    }

    fn profile() -> Profile {
        Profile {
            sex: Some(Sex::Male),
            body_mass_kg: Some(70.0),
            hr_max: Some(190.0),
            hr_rest: Some(50.0),
            ..Profile::default()
        }
    }

    /// Four weeks of 10 km runs every other day, longest 19 km.
    fn history() -> Vec<RunView> {
        let mut runs: Vec<RunView> = (0..28).step_by(2).map(|d| run(d, d, 10.0)).collect();
        runs.push(run(100, 25, 19.0));
        runs
    }

    fn field<'a>(e: &'a DerivedEvidence, name: &str) -> Option<&'a DerivedFinding> {
        e.findings.iter().find(|f| f.field == name)
    }

    fn now_after(r: &RunView, hours: i64) -> i64 {
        r.start_utc + r.figures.elapsed_s.unwrap() as i64 + hours * 3600
    }

    #[test]
    fn a_long_hot_run_gives_hot_and_heavy_sweating() {
        // 27 km at 5:30/km (2 h 29 min) at 30 C: 12 km/h in the heat is about 1.36 L/h, so some
        // 3.4 L, 4.8 % of 70 kg; and 27/19 = 42 % longer than the 30-day longest.
        let mut runs = history();
        let mut long = run(200, 29, 27.0);
        long.figures.temp_c = Some(30.0);
        runs.push(long.clone());
        let e = derive_evidence(&runs, &profile(), now_after(&long, 26));
        let hot = field(&e, "run.hot").unwrap();
        assert_eq!(hot.value, json!(true));
        assert_eq!(hot.run_id, Some(200));
        let sweat = field(&e, "run.heavy_sweating").unwrap();
        assert_eq!(sweat.value, json!(true), "{}", sweat.because);
        assert!(
            sweat.because.contains("your 27 km run on 21 May"),
            "{}",
            sweat.because
        );
        let u = field(&e, "run.unaccustomed").unwrap();
        assert_eq!(u.value, json!(true));
        assert!(
            u.because.starts_with(
                "your 27 km run on 21 May was 42% longer than any run in the 30 days before"
            ),
            "{}",
            u.because
        );
        assert_eq!(field(&e, "hours_since_run").unwrap().value, json!(26.0));
        assert_eq!(field(&e, "run.minutes").unwrap().value, json!(149.0));
        assert_eq!(field(&e, "run.distance_km").unwrap().value, json!(27.0));
        // 140 bpm on 50-190: 64 % of reserve, easy.
        assert_eq!(field(&e, "run.intensity").unwrap().value, json!("easy"));
        assert_eq!(field(&e, "run.downhill").unwrap().value, json!(false));
    }

    #[test]
    fn a_downhill_spike_gives_downhill_and_unaccustomed() {
        let mut runs = history();
        let mut down = run(300, 29, 14.0);
        down.figures.descent = Descent {
            metres: Some(900.0),
            steep_s: Some(40.0 * 60.0),
            steep_m: Some(8000.0),
            source: ElevationSource::Samples,
        };
        runs.push(down.clone());
        let e = derive_evidence(&runs, &profile(), now_after(&down, 30));
        let d = field(&e, "run.downhill").unwrap();
        assert_eq!((d.value.clone(), d.run_id), (json!(true), Some(300)));
        assert!(
            d.because
                .contains("descended 900 m with 40 minutes steeper than -5%")
        );
        let u = field(&e, "run.unaccustomed").unwrap();
        assert_eq!(u.value, json!(true));
        // 14 km is not a length spike (19 km before), but 900 m is 22.5 x the 40 m before.
        assert!(
            u.because
                .contains("22.5 times more than any run in the 6 weeks before"),
            "{}",
            u.because
        );
        // The 15 C run is not hot; its sweat is not heavy.
        assert_eq!(field(&e, "run.hot").unwrap().value, json!(false));
        assert_eq!(field(&e, "run.heavy_sweating").unwrap().value, json!(false));
    }

    #[test]
    fn an_ordinary_run_is_accustomed_and_weekly_change_is_named() {
        let runs = history();
        let last = runs.iter().max_by_key(|r| r.start_utc).unwrap();
        let e = derive_evidence(&runs, &profile(), now_after(last, 5));
        let u = field(&e, "run.unaccustomed").unwrap();
        assert_eq!(u.value, json!(false));
        assert_eq!(
            u.because,
            "your 10 km run on 18 May was not more than 10% longer than your longest run of the \
             30 days before (19 km) and not unusually downhill"
        );
        // Days 20-26: runs on 20, 22, 24, 26 (40 km) + 19 km on 25 = 59 km; days 13-19: 14, 16,
        // 18 = 30 km: +97 %.
        let w = field(&e, "training.weekly_increase_pct").unwrap();
        assert_eq!(w.value, json!(97.0));
        assert!(
            w.because.contains("59 km in the last 7 days against 30 km"),
            "{}",
            w.because
        );
        assert_eq!(w.run_id, None);
    }

    #[test]
    fn old_history_outside_the_window_changes_nothing() {
        let runs = history();
        let last = runs.iter().max_by_key(|r| r.start_utc).unwrap().clone();
        let now = now_after(&last, 5);
        let mut longer = runs.clone();
        // A year earlier: a huge run that would change nothing the evidence looks at.
        longer.insert(0, run(900, -365, 42.0));
        assert_eq!(
            derive_evidence(&runs, &profile(), now),
            derive_evidence(&longer, &profile(), now)
        );
    }

    #[test]
    fn a_few_seconds_of_recording_is_not_the_last_run() {
        let runs = history();
        let last = runs.iter().max_by_key(|r| r.start_utc).unwrap().clone();
        let mut blip = run(999, 27, 0.01);
        blip.figures.moving_s = Some(14.0);
        blip.figures.elapsed_s = Some(14.0);
        let mut with_blip = runs.clone();
        with_blip.push(blip);
        let now = now_after(&last, 30);
        let e = derive_evidence(&with_blip, &profile(), now);
        assert_eq!(field(&e, "hours_since_run").unwrap().run_id, Some(last.id));
        assert_eq!(e, derive_evidence(&runs, &profile(), now));
    }

    #[test]
    fn no_runs_or_an_old_run_give_little() {
        assert!(
            derive_evidence(&[], &profile(), 1_800_000_000)
                .findings
                .is_empty()
        );
        let r = run(1, 0, 10.0);
        let e = derive_evidence(std::slice::from_ref(&r), &profile(), now_after(&r, 24 * 20));
        let fields: Vec<_> = e.findings.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["hours_since_run"]);
        assert!(e.findings[0].because.ends_with("ended 20 days ago"));
        // A first run has nothing to be compared with: unaccustomed stays unknown.
        let e = derive_evidence(std::slice::from_ref(&r), &profile(), now_after(&r, 2));
        assert!(field(&e, "run.unaccustomed").is_none());
        assert!(field(&e, "training.weekly_increase_pct").is_none());
    }

    #[test]
    fn derived_fields_fit_the_intake_and_the_runner_wins() {
        let mut runs = history();
        let mut long = run(200, 29, 27.0);
        long.figures.temp_c = Some(30.0);
        runs.push(long.clone());
        let e = derive_evidence(&runs, &profile(), now_after(&long, 26));
        let own: Intake = serde_json::from_str(r#"{"run":{"hot":false}}"#).unwrap();
        let (merged, used) = e.merge_into(&own);
        // Every finding has the intake's shape (merge would fall back to nothing otherwise).
        assert_eq!(used.len(), e.findings.len() - 1);
        assert_eq!(merged.run.hot, Some(false));
        assert_eq!(merged.run.heavy_sweating, Some(true));
        assert_eq!(merged.hours_since_run, Some(26.0));
        assert!(merged.validate().is_empty());
    }
}
