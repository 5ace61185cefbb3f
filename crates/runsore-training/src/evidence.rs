//! Evidence for the triage engine read from the runs before the soreness: intake fields with a
//! plain sentence naming the run each came from. The runner's own answers override them
//! (`DerivedEvidence::merge_into`).
//!
//! The run that explains the soreness is the most demanding run (by load) in the window that the
//! soreness's timing points to, not merely the latest: a 2 km shake-out jog the evening after a
//! half marathon does not explain the next morning's glutes. Delayed onset muscle soreness begins
//! 12 to 24 hours after the bout and peaks at 24 to 72 (Cheung et al. 2003, Sports Med 33:145),
//! so without a stated onset the window is the 72 hours before the soreness began.

use runsore_model::{DerivedEvidence, DerivedFinding, Intake, Intensity, Onset};
use serde_json::json;

use crate::date::Day;
use crate::figures::RunView;
use crate::load::{Analysis, HrSource, RunMetrics, analyse_since};
use crate::profile::Profile;
use crate::series::{Daily, SPIKE_WINDOW_DAYS, downhill, spike, week_change};

/// Run-level findings (`run.*`) are filled only when the run ended this recently: an older
/// run is unlikely to be "the run before the pain began".
pub const RECENT_RUN_HOURS: f64 = 7.0 * 24.0;
/// Recorded temperature from which a run counts as hot, C. Heat-illness risk rises from a WBGT
/// of about 23-28 C (ACSM 2007 position stand on exertional heat illness); without humidity the
/// air temperature stands in, and wrist sensors read a few degrees warm, so the bar is 25 C.
pub const HOT_C: f64 = 25.0;
/// Estimated sweat loss, percent of body mass, counted as heavy sweating: the 2 % loss the ACSM
/// 2007 fluid-replacement position stand (Sawka et al., MSSE 39:377) advises staying under.
pub const HEAVY_SWEAT_PCT: f64 = 2.0;

/// Days before the last run that the evidence reads: the explaining run may lie up to 4 weeks
/// before it (a gradual onset), and its spike and downhill look 6 weeks further back.
const WINDOW_DAYS: i64 = 28 + 50;

/// When the soreness began, as the runner said it: what points at the run that explains it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timing {
    /// When it started relative to running.
    pub onset: Option<Onset>,
    /// Days since the pain began.
    pub days_since_onset: Option<f64>,
}

impl Timing {
    /// The timing the runner gave in an intake (unknown fields stay unknown).
    pub fn of(intake: &Intake) -> Timing {
        Timing {
            onset: intake.onset,
            days_since_onset: intake.days_since_onset,
        }
    }

    /// The window, in UTC seconds, in which the explaining run ended: `[from, to]`.
    fn window(&self, now_utc: i64) -> (i64, i64) {
        const H: i64 = 3600;
        // The soreness began between `began_from` and `began_to`: a whole number of days is
        // coarse, so allow a day either side of what was said.
        let (began_from, began_to) = match self.days_since_onset {
            Some(d) if d.is_finite() && d >= 0.0 => {
                let d = d.min(3650.0);
                (
                    now_utc - ((d + 1.0) * 86_400.0) as i64,
                    now_utc - ((d - 1.0).max(0.0) * 86_400.0) as i64,
                )
            }
            // Not said: a check is usually made within two days of the soreness beginning.
            _ if self.onset.is_some() => (now_utc - 48 * H, now_utc),
            _ => (now_utc, now_utc),
        };
        // How long before the soreness began the run ended: during a run, the run may end up
        // to a few hours after it began.
        let (lag_min, lag_max) = match self.onset {
            Some(Onset::DuringRun) => (-4 * H, H),
            Some(Onset::HoursAfter) => (0, 12 * H),
            Some(Onset::NextDay) => (6 * H, 48 * H),
            Some(Onset::TwoDaysAfter) => (30 * H, 96 * H),
            Some(Onset::GradualWeeks) => (0, 28 * 24 * H),
            None => (-4 * H, 72 * H),
        };
        (began_from - lag_max, (began_to - lag_min).min(now_utc))
    }
}

/// Derives intake fields from the runs that started at or before `now_utc`, with the onset
/// unknown (the window is then the 72 hours before now).
pub fn derive_evidence(runs: &[RunView], profile: &Profile, now_utc: i64) -> DerivedEvidence {
    derive_evidence_for(runs, profile, now_utc, Timing::default())
}

/// The index of the run that explains the soreness: the most demanding real run (by load, then
/// distance, then the later) that ended in the window the timing points to; else the latest real
/// run before now.
pub fn explaining_run_index(analysis: &Analysis, now_utc: i64, timing: Timing) -> Option<usize> {
    let (from, to) = timing.window(now_utc);
    let real = |r: &&RunMetrics| r.is_a_real_run() && r.start_utc <= now_utc;
    let demand = |r: &RunMetrics| (r.load, r.distance_km.unwrap_or(0.0), r.start_utc);
    analysis
        .runs
        .iter()
        .enumerate()
        .filter(|(_, r)| real(r) && r.end_utc >= from && r.end_utc <= to)
        .max_by(|(_, a), (_, b)| {
            let (x, y) = (demand(a), demand(b));
            x.0.total_cmp(&y.0)
                .then(x.1.total_cmp(&y.1))
                .then(x.2.cmp(&y.2))
        })
        .map(|(i, _)| i)
        .or_else(|| analysis.runs.iter().rposition(|r| real(&r)))
}

/// Derives intake fields from the run that explains the soreness (see [`explaining_run_index`])
/// and from the last two weeks.
pub fn derive_evidence_for(
    runs: &[RunView],
    profile: &Profile,
    now_utc: i64,
    timing: Timing,
) -> DerivedEvidence {
    let mut findings = Vec::new();
    // Everything here looks back at most 10 weeks before the last run (a gradual onset's run,
    // then its downhill novelty) and two weeks from now (weekly change): analyse only that
    // window, so ten years cost no more than two months.
    let Some(last_start) = runs
        .iter()
        .filter(|r| r.is_run() && r.start_utc <= now_utc && r.implausible().is_none())
        .filter(|r| !r.figures.minutes().is_some_and(|m| m < 2.0))
        .map(|r| r.start_utc)
        .max()
    else {
        return DerivedEvidence { findings };
    };
    let from = last_start.saturating_sub(WINDOW_DAYS * 86_400);
    let analysis = analyse_since(runs, profile, from);
    let Some(index) = explaining_run_index(&analysis, now_utc, timing) else {
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
    // A later, lighter run is named, so that the runner sees why it is not the one.
    let later = analysis.runs[index + 1..]
        .iter()
        .filter(|r| r.is_a_real_run() && r.start_utc <= now_utc)
        .map(|r| describe(r, today))
        .collect::<Vec<_>>();
    let later_words = match later.as_slice() {
        [] => String::new(),
        [one] => format!(
            " ({one} came after it, but was lighter: the most demanding run before the soreness \
             began explains it best)"
        ),
        many => format!(
            " ({} lighter runs came after it: the most demanding run before the soreness began \
             explains it best)",
            many.len()
        ),
    };
    add(
        "hours_since_run",
        json!(hours),
        format!("{name} ended {} ago{later_words}", hours_words(hours)),
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
        let measured = analysis.hr.hr_max_source == HrSource::Profile;
        let i = match f {
            f if f < 0.70 => Intensity::Easy,
            f if f < 0.80 => Intensity::Steady,
            // A guessed maximum (the highest recorded, or from age) can sit well below the
            // real one: never call a run a race on a guess.
            f if f < 0.90 || !measured => Intensity::Hard,
            _ => Intensity::Race,
        };
        let basis = match analysis.hr.hr_max_source {
            HrSource::Profile => format!(
                "of your heart-rate reserve ({:.0}-{:.0} bpm)",
                analysis.hr.hr_rest, analysis.hr.hr_max
            ),
            HrSource::AgePredicted => format!(
                "of an estimated heart-rate reserve (maximum {:.0} bpm estimated from your age; \
                 set yours with `runsore profile`)",
                analysis.hr.hr_max
            ),
            HrSource::HighestRecorded => format!(
                "of an estimated heart-rate reserve (maximum taken as the highest your watch \
                 recorded, {:.0} bpm, which may be below your true maximum; set yours with \
                 `runsore profile`)",
                analysis.hr.hr_max
            ),
            HrSource::Default => format!(
                "of an estimated heart-rate reserve (a default maximum of {:.0} bpm; set yours \
                 with `runsore profile`)",
                analysis.hr.hr_max
            ),
        };
        return Some((
            i,
            format!("{name} averaged {hr:.0} bpm, {:.0}% {basis}", f * 100.0),
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
        // Sore during the last run, today: the 19 km the day before is outside that window.
        let timing = Timing {
            onset: Some(Onset::DuringRun),
            days_since_onset: Some(0.0),
        };
        let e = derive_evidence_for(&runs, &profile(), now_after(last, 5), timing);
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
        // The 19 km the day before the last run is the most demanding of the 72 hours.
        let named = runs.iter().find(|r| r.id == 100).unwrap().clone();
        let mut blip = run(999, 27, 0.01);
        blip.figures.moving_s = Some(14.0);
        blip.figures.elapsed_s = Some(14.0);
        let mut with_blip = runs.clone();
        with_blip.push(blip);
        let now = now_after(&last, 30);
        let e = derive_evidence(&with_blip, &profile(), now);
        assert_eq!(field(&e, "hours_since_run").unwrap().run_id, Some(named.id));
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

    /// Weeks of easy 8 km runs, a first half marathon with a long descent, and a 2.3 km
    /// shake-out jog that evening.
    fn half_marathon_then_jog() -> (Vec<RunView>, RunView, RunView) {
        let mut runs: Vec<RunView> = (0..35).step_by(2).map(|d| run(d, d, 8.0)).collect();
        runs.extend([35, 37, 39].iter().map(|&d| run(d, d, 12.0)));
        let mut half = run(500, 42, 21.1);
        half.figures.avg_hr = Some(165.0);
        half.figures.hr_seconds = vec![HrBin {
            bpm: 165,
            seconds: 21.1 * 330.0,
        }];
        half.figures.descent = Descent {
            metres: Some(350.0),
            steep_s: Some(12.0 * 60.0),
            steep_m: Some(2500.0),
            source: ElevationSource::Samples,
        };
        let mut jog = run(501, 42, 2.3);
        jog.start_utc += 10 * 3600;
        runs.push(half.clone());
        runs.push(jog.clone());
        (runs, half, jog)
    }

    #[test]
    fn the_run_named_is_the_most_demanding_before_the_soreness_not_the_latest() {
        let (runs, half, jog) = half_marathon_then_jog();
        let now = now_after(&jog, 12);
        let timings = [
            Timing::default(),
            Timing {
                onset: Some(Onset::NextDay),
                days_since_onset: Some(0.0),
            },
            Timing {
                onset: Some(Onset::HoursAfter),
                days_since_onset: None,
            },
        ];
        for timing in timings {
            let e = derive_evidence_for(&runs, &profile(), now, timing);
            for f in &e.findings {
                if f.field.starts_with("run.") || f.field == "hours_since_run" {
                    assert_eq!(
                        f.run_id,
                        Some(half.id),
                        "{timing:?} {}: {}",
                        f.field,
                        f.because
                    );
                }
            }
            let u = field(&e, "run.unaccustomed").unwrap();
            assert_eq!(u.value, json!(true), "{}", u.because);
            // 21.1 km against 12 km: 76 % longer; and 350 m against 40 m.
            assert!(u.because.contains("76% longer"), "{}", u.because);
            assert!(u.because.contains("descended 350 m"), "{}", u.because);
            assert_eq!(field(&e, "run.downhill").unwrap().value, json!(true));
            assert_eq!(field(&e, "run.distance_km").unwrap().value, json!(21.1));
            let h = field(&e, "hours_since_run").unwrap();
            assert!(h.because.contains("2.3 km run"), "{}", h.because);
            assert!(h.because.contains("came after it"), "{}", h.because);
        }
    }

    #[test]
    fn the_onset_points_at_the_run_of_its_day() {
        let (runs, half, _) = half_marathon_then_jog();
        // Five days later, an easy run during which the pain began, that same day.
        let easy = run(600, 47, 6.0);
        let mut runs = runs;
        runs.push(easy.clone());
        let now = now_after(&easy, 2);
        let during = Timing {
            onset: Some(Onset::DuringRun),
            days_since_onset: Some(0.0),
        };
        let e = derive_evidence_for(&runs, &profile(), now, during);
        assert_eq!(field(&e, "run.distance_km").unwrap().run_id, Some(easy.id));
        // Sore for five days, from the day after the half marathon: the half marathon.
        let next_day = Timing {
            onset: Some(Onset::NextDay),
            days_since_onset: Some(4.0),
        };
        let e = derive_evidence_for(&runs, &profile(), now, next_day);
        assert_eq!(field(&e, "run.distance_km").unwrap().run_id, Some(half.id));
    }

    #[test]
    fn a_guessed_maximum_heart_rate_is_said_and_never_makes_a_race() {
        let (runs, half, jog) = half_marathon_then_jog();
        let mut runs = runs;
        for r in &mut runs {
            r.figures.max_hr = Some(172.0);
        }
        let now = now_after(&jog, 12);
        let guessed = Profile {
            hr_max: None,
            ..profile()
        };
        let e = derive_evidence(&runs, &guessed, now);
        let i = field(&e, "run.intensity").unwrap();
        assert_eq!(i.run_id, Some(half.id));
        // 165 on 50-172 is 94 % of the reserve: a race on a measured maximum, hard on a guess.
        assert_eq!(i.value, json!("hard"), "{}", i.because);
        assert!(i.because.contains("estimated"), "{}", i.because);
        assert!(
            i.because.contains("highest your watch recorded"),
            "{}",
            i.because
        );
        let aged = Profile {
            hr_max: None,
            age: Some(40),
            ..profile()
        };
        let e = derive_evidence(&runs, &aged, now);
        let i = field(&e, "run.intensity").unwrap();
        assert!(
            i.because.contains("estimated from your age"),
            "{}",
            i.because
        );
        let measured = Profile {
            hr_max: Some(172.0),
            ..profile()
        };
        let e = derive_evidence(&runs, &measured, now);
        assert_eq!(field(&e, "run.intensity").unwrap().value, json!("race"));
    }
}
