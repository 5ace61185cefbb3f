//! The `runsore load` report: weekly distance and load, fitness/fatigue/form, ratios with their
//! caveat, spikes, downhill, sweat and potassium of the last run, plain warnings and pacing advice;
//! as data (`--json`) and as terminal text with small charts.

use std::fmt::Write;

use serde::Serialize;

use crate::date::Day;
use crate::evidence::{describe, km_words};
use crate::figures::RunView;
use crate::load::{Analysis, RunMetrics, analyse};
use crate::profile::Profile;
use crate::series::{
    Daily, DownhillNovelty, FitnessPoint, Monotony, RATIO_CAVEAT, Ratios, Spike, WeekChange,
    downhill, fitness, monotony, ratios, spike, week_change,
};
use crate::sweat::{PotassiumContext, SweatEstimate, potassium_context};

/// What every report says about itself.
pub const EDUCATIONAL: &str = "educational, not a diagnosis: figures are estimates from your \
recorded runs";

/// Report settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportOptions {
    /// Weeks of history in the table and charts.
    pub weeks: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { weeks: 8 }
    }
}

/// Seven days of totals, ending on `end`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekRow {
    /// First day.
    pub start: Day,
    /// Last day.
    pub end: Day,
    /// Running distance, km.
    pub distance_km: f64,
    /// Load, TRIMP scale.
    pub load: f64,
    /// Activities.
    pub activities: u32,
    /// Days of the seven with data (days before the first run are unknown).
    pub known_days: i64,
}

/// The most recent run in brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LastRun {
    /// "your 27 km run on 3 May".
    pub description: String,
    /// Its figures: minutes, distance, pace, load and how it was found, descent, temperature.
    pub metrics: RunMetrics,
    /// Estimated sweat loss.
    pub sweat: Option<SweatEstimate>,
    /// Potassium in that sweat against needs and food.
    pub potassium: Option<PotassiumContext>,
}

/// How much the next week can hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pacing {
    /// Longest run of the last 30 days, km.
    pub longest_30d_km: f64,
    /// No single run above this (110 % of that), km.
    pub next_run_max_km: f64,
    /// Last 7 days, km.
    pub this_week_km: f64,
    /// Mean of the 4 weeks before, km, when known.
    pub four_week_avg_km: Option<f64>,
    /// Next week up to this, km.
    pub next_week_max_km: f64,
    /// The advice in sentences.
    pub advice: Vec<String>,
}

/// The `runsore load` report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadReport {
    /// The day the report is for.
    pub today: Day,
    /// Educational-use statement.
    pub disclaimer: &'static str,
    /// Activities counted.
    pub activities: usize,
    /// Weekly rows, oldest first.
    pub weeks: Vec<WeekRow>,
    /// Daily fitness, fatigue and form over the same weeks.
    pub fitness: Vec<FitnessPoint>,
    /// Acute:chronic ratios (withheld early), with their caveat.
    pub ratios: Option<Ratios>,
    /// Monotony and strain.
    pub monotony: Option<Monotony>,
    /// Weekly change.
    pub week_change: Option<WeekChange>,
    /// Runs of the last 4 weeks longer than 110 % of the 30-day longest before them.
    pub spikes: Vec<Spike>,
    /// Runs of the last 6 weeks with much or novel downhill.
    pub downhill: Vec<DownhillNovelty>,
    /// The latest run.
    pub last_run: Option<LastRun>,
    /// Plain warnings.
    pub warnings: Vec<String>,
    /// Pacing advice.
    pub pacing: Option<Pacing>,
    /// How the figures were made.
    pub notes: Vec<String>,
}

/// The report for `today` with the default options.
pub fn report(runs: &[RunView], profile: &Profile, today: Day) -> LoadReport {
    report_with(runs, profile, today, ReportOptions::default())
}

/// The report for `today`.
pub fn report_with(
    runs: &[RunView],
    profile: &Profile,
    today: Day,
    options: ReportOptions,
) -> LoadReport {
    let analysis = analyse(runs, profile);
    let mut notes = vec![
        analysis.hr.note.clone(),
        "load is on the Banister TRIMP scale; runs without heart rate are estimated from your \
         effort rating or pace, and each run says which"
            .to_string(),
        "days before your first recorded run are unknown, not rest days".to_string(),
    ];
    let Some(daily) = Daily::new(&analysis, today) else {
        notes.push("no recorded activities up to this day".into());
        return LoadReport {
            today,
            disclaimer: EDUCATIONAL,
            activities: 0,
            weeks: Vec::new(),
            fitness: Vec::new(),
            ratios: None,
            monotony: None,
            week_change: None,
            spikes: Vec::new(),
            downhill: Vec::new(),
            last_run: None,
            warnings: Vec::new(),
            pacing: None,
            notes,
        };
    };
    let weeks_n = options.weeks.max(1) as i64;
    let weeks: Vec<WeekRow> = (0..weeks_n)
        .rev()
        .map(|w| {
            let end = today.plus(-7 * w);
            let start = end.plus(-6);
            let (t, known) = daily.sum(start, end);
            WeekRow {
                start,
                end,
                distance_km: t.distance_km,
                load: t.load,
                activities: t.activities,
                known_days: known,
            }
        })
        .collect();
    let from = today.plus(-7 * weeks_n + 1);
    let fitness: Vec<FitnessPoint> = fitness(&daily)
        .into_iter()
        .filter(|p| p.day >= from)
        .collect();
    let ratios = ratios(&daily);
    let monotony = monotony(&daily);
    let change = week_change(&daily);

    let upto: Vec<usize> = (0..analysis.runs.len())
        .filter(|&i| analysis.runs[i].day <= today)
        .collect();
    let spikes: Vec<Spike> = upto
        .iter()
        .filter(|&&i| analysis.runs[i].day >= today.plus(-27))
        .filter_map(|&i| spike(&analysis, i))
        .filter(Spike::is_spike)
        .collect();
    let downhills: Vec<DownhillNovelty> = upto
        .iter()
        .filter(|&&i| analysis.runs[i].day >= today.plus(-41))
        .filter_map(|&i| downhill(&analysis, i))
        .filter(|d| d.much || d.novel)
        .collect();

    let last_run = upto
        .iter()
        .rev()
        .find(|&&i| analysis.runs[i].is_a_real_run())
        .map(|&i| {
            let r = &analysis.runs[i];
            let sweat = r.sweat(&analysis.profile);
            LastRun {
                description: describe(r, today),
                metrics: r.clone(),
                potassium: sweat
                    .as_ref()
                    .map(|s| potassium_context(s, analysis.profile.sex)),
                sweat,
            }
        });

    // The four weeks before this one, when all 28 days are known.
    let (prev4, known4) = daily.sum(today.plus(-34), today.plus(-7));
    let four_week_avg = (known4 == 28).then_some(prev4.distance_km / 4.0);

    let mut warnings = Vec::new();
    if let (Some(pct), Some(last)) = (change.pct, change.last_week_km)
        && pct > 30.0
    {
        warnings.push(format!(
            "this week's running ({}) is {pct:.0}% above last week's ({}): rises of more than 30% \
             went with more hip and glute injuries in new runners (Nielsen et al. 2014)",
            km_words(change.this_week_km),
            km_words(last)
        ));
    }
    if let Some(avg) = four_week_avg.filter(|a| *a > 0.0) {
        let pct = (change.this_week_km / avg - 1.0) * 100.0;
        if pct > 30.0 {
            warnings.push(format!(
                "this week is {pct:.0}% above your 4-week average ({})",
                km_words(avg)
            ));
        }
    }
    for s in spikes.iter().filter(|s| s.day >= today.plus(-13)) {
        if let Some(r) = analysis.runs.iter().find(|r| r.id == s.run_id) {
            warnings.push(format!(
                "{} was {:.0}% longer than any run in the 30 days before ({}): the strongest \
                 single-run injury signal found so far (Frandsen et al. 2025)",
                describe(r, today),
                (s.ratio.unwrap_or(1.0) - 1.0) * 100.0,
                km_words(s.longest_before_km.unwrap_or(0.0))
            ));
        }
    }
    for d in downhills
        .iter()
        .filter(|d| d.novel && d.day >= today.plus(-6))
    {
        if let Some(r) = analysis.runs.iter().find(|r| r.id == d.run_id) {
            warnings.push(format!(
                "{} descended {:.0} m, more than your runs of the 6 weeks before: expect muscle \
                 soreness 1-3 days after; the next downhill run will hurt less (repeated-bout \
                 effect)",
                describe(r, today),
                d.descent_m
            ));
        }
    }
    if let Some(band @ crate::series::RatioBand::High) = ratios.ewma.band {
        warnings.push(format!(
            "your acute:chronic ratio is {:.2}: {}; a measure disputed as an injury predictor, \
             read it as a trend",
            ratios.ewma.value.unwrap_or(0.0),
            band.words()
        ));
    }
    if let Some(m) = monotony.monotony.filter(|m| *m > 2.0) {
        warnings.push(format!(
            "training monotony is {m:.1}: every day alike; Foster flags above 2, easy and rest \
             days between harder ones lower it"
        ));
    }

    let pacing = pacing(&analysis, &daily, today, &change, four_week_avg);
    LoadReport {
        today,
        disclaimer: EDUCATIONAL,
        activities: upto.len(),
        weeks,
        fitness,
        ratios: Some(ratios),
        monotony: Some(monotony),
        week_change: Some(change),
        spikes,
        downhill: downhills,
        last_run,
        warnings,
        pacing,
        notes,
    }
}

fn pacing(
    analysis: &Analysis,
    daily: &Daily,
    today: Day,
    change: &WeekChange,
    four_week_avg: Option<f64>,
) -> Option<Pacing> {
    // The longest single run of the last 30 days. When it was itself a spike (more than 10 %
    // longer than anything in the 30 days before it), the limit builds from the longest before
    // it: the day after a first half marathon, "under 110% of 21 km" would invite a second spike.
    let longest_run = (0..analysis.runs.len())
        .filter(|&i| {
            let r = &analysis.runs[i];
            r.is_run && r.day <= today && r.day >= today.plus(-29)
        })
        .filter(|&i| analysis.runs[i].distance_km.is_some_and(|d| d > 0.0))
        .max_by(|&a, &b| {
            let d = |i: usize| analysis.runs[i].distance_km.unwrap_or(0.0);
            d(a).total_cmp(&d(b))
        });
    let Some(index) = longest_run else {
        // No run with a distance: the daily totals stand in.
        let longest = (0..30)
            .filter_map(|i| daily.get(today.plus(-i)))
            .map(|d| d.distance_km)
            .fold(0.0_f64, f64::max);
        return (longest > 0.0).then(|| pacing_from(longest, None, change, four_week_avg));
    };
    let run = &analysis.runs[index];
    let longest = run.distance_km.unwrap_or(0.0);
    let before_spike = spike(analysis, index)
        .filter(Spike::is_spike)
        .and_then(|s| s.longest_before_km)
        .filter(|b| *b > 0.0)
        .map(|b| (b, describe(run, today)));
    Some(pacing_from(longest, before_spike, change, four_week_avg))
}

/// The pacing advice from the longest run of the last 30 days and, when that run was a spike,
/// the longest before it (the baseline) with the spike run's name.
fn pacing_from(
    longest: f64,
    before_spike: Option<(f64, String)>,
    change: &WeekChange,
    four_week_avg: Option<f64>,
) -> Pacing {
    let this_week = change.this_week_km;
    let base = match four_week_avg {
        Some(avg) => this_week.max(avg),
        None => this_week,
    };
    // Back from a break (nothing in the 4 weeks before) is not a sharp rise: the single-run
    // limit is what matters then.
    let spiked = four_week_avg.is_some_and(|a| a > 0.0 && this_week > 1.3 * a)
        || change.pct.is_some_and(|p| p > 30.0);
    // After a sharp rise the usual week, not the risen one, is the base to build from.
    let usual_week = four_week_avg
        .filter(|a| *a > 0.0)
        .or(change.last_week_km.filter(|l| *l > 0.0));
    let next_week_max = match (spiked, usual_week) {
        (true, Some(usual)) => (usual * 1.1).min(this_week),
        (true, None) => this_week,
        (false, _) => base * 1.3,
    };
    let baseline = before_spike.as_ref().map_or(longest, |(b, _)| *b);
    let mut advice = vec![match &before_spike {
        Some((b, name)) => format!(
            "{name} was a big step up from your longest run in the 30 days before it ({}): build \
             back from that, keeping single runs under {} (110% of {}) for the next weeks; \
             runs more than 10% longer than the recent longest carried the highest injury risk \
             in 5,205 runners (Frandsen et al. 2025)",
            km_words(*b),
            km_words(b * 1.1),
            km_words(*b)
        ),
        None => format!(
            "keep any single run under {} (110% of your longest in the last 30 days, {}): \
             longer runs carried the highest injury risk in 5,205 runners (Frandsen et al. 2025)",
            km_words(longest * 1.1),
            km_words(longest)
        ),
    }];
    advice.push(if spiked {
        format!(
            "this week already rose sharply ({} against a usual {}): keep next week to about \
                 {} rather than add",
            km_words(this_week),
            usual_week.map_or_else(|| "week".to_string(), km_words),
            km_words(next_week_max)
        )
    } else {
        format!(
            "next week can hold up to about {}: weekly rises above 30% went with more hip and \
                 glute injuries (Nielsen et al. 2014); smaller steps let muscles adapt",
            km_words(next_week_max)
        )
    });
    advice.push(
        "if you are sore now, ease off until it settles before building again; pain that is \
         getting worse needs a check, not more running"
            .into(),
    );
    Pacing {
        longest_30d_km: longest,
        next_run_max_km: baseline * 1.1,
        this_week_km: this_week,
        four_week_avg_km: four_week_avg,
        next_week_max_km: next_week_max,
        advice,
    }
}

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of the values, scaled between their minimum and maximum.
pub fn sparkline(values: &[f64]) -> String {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| {
            if !v.is_finite() {
                ' '
            } else if hi - lo < 1e-9 {
                SPARKS[3]
            } else {
                SPARKS[(((v - lo) / (hi - lo)) * 7.0).round() as usize]
            }
        })
        .collect()
}

fn bar(value: f64, max: f64, width: usize) -> String {
    if max <= 0.0 || value <= 0.0 {
        return String::new();
    }
    let eighths = ((value / max) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    let rest = eighths % 8;
    if rest > 0 {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][rest - 1]);
    }
    s
}

/// The report as terminal text.
pub fn render_text(report: &LoadReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Training load up to {}", report.today);
    let _ = writeln!(out, "({})", report.disclaimer);
    if report.weeks.is_empty() {
        let _ = writeln!(
            out,
            "\nNo recorded activities yet: import some with `runsore import`."
        );
        return out;
    }
    let _ = writeln!(out, "\nWeekly running distance and load");
    let max_km = report
        .weeks
        .iter()
        .map(|w| w.distance_km)
        .fold(0.0, f64::max);
    for w in &report.weeks {
        let label = format!(
            "{} - {}",
            w.start.short(report.today),
            w.end.short(report.today)
        );
        if w.known_days == 0 {
            let _ = writeln!(out, "  {label:<16} (before your first recorded run)");
            continue;
        }
        let _ = writeln!(
            out,
            "  {label:<16} {:>6.1} km {:>6.0} load  {}{}",
            w.distance_km,
            w.load,
            bar(w.distance_km, max_km, 24),
            if w.known_days < 7 { "  (partial)" } else { "" }
        );
    }
    if let Some(last) = report.fitness.last() {
        let ctl: Vec<f64> = report.fitness.iter().map(|p| p.ctl).collect();
        let atl: Vec<f64> = report.fitness.iter().map(|p| p.atl).collect();
        let tsb: Vec<f64> = report.fitness.iter().map(|p| p.tsb).collect();
        let _ = writeln!(out, "\nFitness, fatigue and form (daily, oldest left)");
        let _ = writeln!(out, "  fitness {:>6.1}  {}", last.ctl, sparkline(&ctl));
        let _ = writeln!(out, "  fatigue {:>6.1}  {}", last.atl, sparkline(&atl));
        let _ = writeln!(out, "  form    {:>6.1}  {}", last.tsb, sparkline(&tsb));
    }
    if let Some(r) = &report.ratios {
        let _ = writeln!(out, "\nAcute:chronic ratios");
        for (name, ratio) in [("EWMA 7/28", &r.ewma), ("rolling 7/21", &r.rolling)] {
            match (ratio.value, ratio.band, &ratio.withheld) {
                (Some(v), Some(b), _) => {
                    let _ = writeln!(out, "  {name:<13} {v:.2}  {}", b.words());
                }
                (_, _, Some(why)) => {
                    let _ = writeln!(out, "  {name:<13} not shown: {why}");
                }
                _ => {}
            }
        }
        let _ = writeln!(out, "  note: {RATIO_CAVEAT}");
    }
    if let Some(m) = &report.monotony
        && let (Some(mono), Some(strain)) = (m.monotony, m.strain)
    {
        let _ = writeln!(out, "  monotony {mono:.2}, strain {strain:.0} (Foster)");
    }
    if let Some(w) = &report.week_change {
        match (w.pct, &w.withheld) {
            (Some(p), _) => {
                let _ = writeln!(
                    out,
                    "\nThis week {} ({p:+.0}% on the week before)",
                    km_words(w.this_week_km)
                );
            }
            (None, Some(why)) => {
                let _ = writeln!(
                    out,
                    "\nThis week {} (change not shown: {why})",
                    km_words(w.this_week_km)
                );
            }
            _ => {}
        }
    }
    if let Some(last) = &report.last_run {
        let _ = writeln!(out, "\nLast run: {}", last.description);
        if let Some(s) = &last.sweat {
            let _ = writeln!(
                out,
                "  sweat: about {:.1} L (likely {:.1}-{:.1} L, an estimate{})",
                s.litres,
                s.litres_low,
                s.litres_high,
                if s.assumptions.is_empty() {
                    String::new()
                } else {
                    format!("; {}", s.assumptions.join(", "))
                }
            );
        }
        if let Some(k) = &last.potassium {
            let _ = writeln!(out, "  potassium: {}", k.summary);
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\nWorth knowing");
        for w in &report.warnings {
            let _ = writeln!(out, "  ! {w}");
        }
    }
    if let Some(p) = &report.pacing {
        let _ = writeln!(out, "\nPacing the next week");
        for a in &p.advice {
            let _ = writeln!(out, "  - {a}");
        }
    }
    let _ = writeln!(out, "\nHow these figures were made");
    for n in &report.notes {
        let _ = writeln!(out, "  {n}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::RunFigures;
    use runsore_model::Sport;

    const DAY0: i64 = 20_200;

    fn run(id: i64, day: i64, km: f64) -> RunView {
        RunView {
            id,
            start_utc: (DAY0 + day) * 86_400 + 7 * 3600,
            local_offset_s: Some(0),
            sport: Sport::Running,
            rpe: Some(4.0),
            figures: RunFigures {
                elapsed_s: Some(km * 330.0),
                moving_s: Some(km * 330.0),
                distance_m: Some(km * 1000.0),
                temp_c: Some(18.0),
                ..RunFigures::default()
            },
        }
    }

    #[test]
    fn empty_history_reports_nothing_to_show() {
        let r = report(&[], &Profile::default(), Day(DAY0));
        assert_eq!(r.activities, 0);
        assert!(render_text(&r).contains("No recorded activities"));
    }

    #[test]
    fn a_first_week_withholds_ratios_and_still_paces() {
        let runs = [run(1, 0, 5.0), run(2, 2, 6.0), run(3, 4, 8.0)];
        let r = report(&runs, &Profile::default(), Day(DAY0 + 4));
        assert_eq!(r.weeks.len(), 8);
        assert_eq!(r.weeks[7].distance_km, 19.0);
        assert_eq!(r.weeks[7].known_days, 5);
        assert_eq!(r.weeks[6].known_days, 0);
        assert!(r.ratios.as_ref().unwrap().ewma.withheld.is_some());
        let p = r.pacing.as_ref().unwrap();
        // 8 km was 33 % longer than the 6 km before it: the limit builds from 6 km.
        assert!((p.next_run_max_km - 6.6).abs() < 1e-9, "{p:?}");
        let text = render_text(&r);
        assert!(text.contains("not shown: needs 28 days of data"), "{text}");
        assert!(text.contains("before your first recorded run"), "{text}");
        assert!(text.contains("disputed"), "{text}");
    }

    #[test]
    fn a_jump_after_steady_weeks_warns_and_holds() {
        // Five weeks of 3 x 10 km, then this week 3 x 10 km + 17 km + 16.5 km = 63.5 km.
        let mut runs: Vec<RunView> = (0..35)
            .filter(|d| d % 7 == 0 || d % 7 == 2 || d % 7 == 4)
            .map(|d| run(d, d, 10.0))
            .collect();
        for (id, d, km) in [
            (100, 35, 10.0),
            (101, 37, 10.0),
            (102, 39, 10.0),
            (103, 40, 17.0),
            (104, 41, 16.5),
        ] {
            runs.push(run(id, d, km));
        }
        let r = report(&runs, &Profile::default(), Day(DAY0 + 41));
        let w = r.week_change.as_ref().unwrap();
        // Days 35-41 = 63.5 km; days 28-34 = 30 km: +111.7 %.
        assert!((w.pct.unwrap() - 111.666_666).abs() < 1e-3, "{w:?}");
        assert_eq!(r.warnings.len(), 4, "{:#?}", r.warnings);
        assert!(
            r.warnings[0].contains("112% above last week's (30 km)"),
            "{}",
            r.warnings[0]
        );
        assert!(r.warnings[1].starts_with("this week is 112% above your 4-week average (30 km)"));
        assert!(
            r.warnings[2].starts_with("your 17 km run on 1 Jun was 70% longer"),
            "{}",
            r.warnings[2]
        );
        assert!(
            r.warnings[3].starts_with("your acute:chronic ratio is 1.72"),
            "{}",
            r.warnings[3]
        );
        assert_eq!(r.spikes.len(), 1);
        let p = r.pacing.as_ref().unwrap();
        // The spike is not the new base: the usual 30 km week and the 10 km runs before it are.
        assert!((p.next_week_max_km - 33.0).abs() < 1e-9, "{p:?}");
        assert!((p.next_run_max_km - 11.0).abs() < 1e-9, "{p:?}");
        let text = render_text(&r);
        assert!(
            text.contains("64 km against a usual 30 km): keep next week to about 33 km"),
            "{text}"
        );
        assert!(
            text.contains("keeping single runs under 11 km (110% of 10 km)"),
            "{text}"
        );
        assert!(!text.contains("18.7") && !text.contains("19 km"), "{text}");
        assert!(r.ratios.as_ref().unwrap().rolling.value.is_some());
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["today"], serde_json::json!("2025-06-02"));
    }

    #[test]
    fn sparkline_and_bars() {
        assert_eq!(sparkline(&[0.0, 1.0, 2.0, 7.0]), "▁▂▃█");
        assert_eq!(sparkline(&[5.0, 5.0]), "▄▄");
        assert_eq!(bar(10.0, 20.0, 4), "██");
        assert_eq!(bar(0.0, 20.0, 4), "");
    }
}
