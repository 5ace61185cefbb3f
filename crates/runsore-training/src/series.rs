//! Load over time, as pure functions of the analysed runs and `today`: daily totals, fitness and
//! fatigue, acute:chronic ratios, monotony and strain, run-length spikes, weekly change and
//! downhill novelty.
//!
//! Days before the first recorded run are unknown, not zero: the series start on that day, and
//! figures that need more history than there is are withheld with a reason.

use serde::Serialize;

use crate::date::Day;
use crate::load::{Analysis, RunMetrics};

/// Time constant of fitness (chronic training load), days.
pub const CTL_DAYS: f64 = 42.0;
/// Time constant of fatigue (acute training load), days.
pub const ATL_DAYS: f64 = 7.0;
/// Days of data before acute:chronic ratios are shown.
pub const RATIO_WARMUP_DAYS: i64 = 28;
/// Days with activity needed in the 21 days before this week for a ratio to be shown.
pub const MIN_CHRONIC_ACTIVE_DAYS: usize = 4;
/// The window for the longest previous run (Frandsen et al. 2025).
pub const SPIKE_WINDOW_DAYS: i64 = 30;
/// The window for downhill novelty (the repeated-bout effect lasts weeks).
pub const DOWNHILL_WINDOW_DAYS: i64 = 42;
/// Runs more than 40 years before `today` are ignored: a device clock that was never set (FIT
/// dates near 1989, zero timestamps) must not make a series of half a million empty days.
pub const MAX_HISTORY_DAYS: i64 = 40 * 365;
/// A run descending less than this (metres) counts as flat for downhill novelty.
pub const FLAT_DESCENT_M: f64 = 20.0;
/// The caveat that goes with every acute:chronic ratio.
pub const RATIO_CAVEAT: &str = "acute:chronic ratios are disputed as injury predictors (Lolli et al. \
2019, BJSM 53:921; Impellizzeri et al. 2021, Sports Med, doi:10.1007/s40279-020-01378-6): read them as how this week \
compares with the last month, not as a risk score";

/// One day's totals.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct DayTotal {
    /// Running distance, km.
    pub distance_km: f64,
    /// Load of all activities, TRIMP scale.
    pub load: f64,
    /// Number of activities.
    pub activities: u32,
}

/// Daily totals from the first recorded day through `today`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Daily {
    /// The first day with a recorded activity.
    pub first: Day,
    /// The last day (today).
    pub today: Day,
    /// One entry per day, `first..=today`.
    pub days: Vec<DayTotal>,
}

impl Daily {
    /// Totals per day for runs on or before `today`; `None` when there are none.
    pub fn new(analysis: &Analysis, today: Day) -> Option<Daily> {
        let first = analysis
            .runs
            .iter()
            .map(|r| r.day)
            .filter(|d| *d <= today && *d >= today.plus(-MAX_HISTORY_DAYS))
            .min()?;
        let mut days = vec![DayTotal::default(); (today.0 - first.0 + 1) as usize];
        for r in analysis
            .runs
            .iter()
            .filter(|r| r.day <= today && r.day >= first)
        {
            let d = &mut days[(r.day.0 - first.0) as usize];
            d.load += r.load;
            d.activities += 1;
            if r.is_run {
                d.distance_km += r.distance_km.unwrap_or(0.0);
            }
        }
        Some(Daily { first, today, days })
    }

    /// Days of data, counting the first and today.
    pub fn days_of_data(&self) -> i64 {
        self.days.len() as i64
    }

    /// The day's totals, `None` before the first day (unknown) or after today.
    pub fn get(&self, day: Day) -> Option<&DayTotal> {
        let i = day.0 - self.first.0;
        if i < 0 {
            None
        } else {
            self.days.get(i as usize)
        }
    }

    /// Sums over `from..=to`, with the number of known days in it.
    pub fn sum(&self, from: Day, to: Day) -> (DayTotal, i64) {
        let mut total = DayTotal::default();
        let mut known = 0;
        for d in from.0..=to.0 {
            if let Some(t) = self.get(Day(d)) {
                total.distance_km += t.distance_km;
                total.load += t.load;
                total.activities += t.activities;
                known += 1;
            }
        }
        (total, known)
    }
}

/// Fitness, fatigue and form on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FitnessPoint {
    /// The day.
    pub day: Day,
    /// Fitness (chronic training load, tau 42).
    pub ctl: f64,
    /// Fatigue (acute training load, tau 7).
    pub atl: f64,
    /// Form, CTL - ATL, after the day's load.
    pub tsb: f64,
}

/// `x += (load - x)(1 - e^(-1/tau))` each day from zero on the day before the first run
/// (GoldenCheetah PMCData.cpp, intervals.icu). Form is taken after the day's load.
pub fn fitness(daily: &Daily) -> Vec<FitnessPoint> {
    let kc = 1.0 - (-1.0 / CTL_DAYS).exp();
    let ka = 1.0 - (-1.0 / ATL_DAYS).exp();
    let (mut ctl, mut atl) = (0.0, 0.0);
    daily
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            ctl += (d.load - ctl) * kc;
            atl += (d.load - atl) * ka;
            FitnessPoint {
                day: daily.first.plus(i as i64),
                ctl,
                atl,
                tsb: ctl - atl,
            }
        })
        .collect()
}

/// Where a ratio falls (Gabbett 2016 bands, shown only with [`RATIO_CAVEAT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RatioBand {
    /// Below 0.8: less than usual.
    Low,
    /// 0.8 to 1.3: about usual.
    Usual,
    /// 1.3 to 1.5: raised.
    Raised,
    /// 1.5 and above: high.
    High,
}

impl RatioBand {
    /// The band of a ratio.
    pub fn of(ratio: f64) -> RatioBand {
        if ratio < 0.8 {
            RatioBand::Low
        } else if ratio < 1.3 {
            RatioBand::Usual
        } else if ratio < 1.5 {
            RatioBand::Raised
        } else {
            RatioBand::High
        }
    }

    /// Plain words.
    pub fn words(self) -> &'static str {
        match self {
            RatioBand::Low => "below your usual (under 0.8)",
            RatioBand::Usual => "about your usual (0.8-1.3)",
            RatioBand::Raised => "raised (1.3-1.5)",
            RatioBand::High => "high (1.5 or more)",
        }
    }
}

/// A figure that may be withheld, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ratio {
    /// The value, when shown.
    pub value: Option<f64>,
    /// Its band, when shown.
    pub band: Option<RatioBand>,
    /// Why it is withheld, when it is.
    pub withheld: Option<String>,
}

impl Ratio {
    fn shown(value: f64) -> Ratio {
        Ratio {
            value: Some(value),
            band: Some(RatioBand::of(value)),
            withheld: None,
        }
    }

    fn withheld(reason: impl Into<String>) -> Ratio {
        Ratio {
            value: None,
            band: None,
            withheld: Some(reason.into()),
        }
    }
}

/// Acute:chronic ratios on `today`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ratios {
    /// EWMA ratio, lambda = 2/(N+1) with N 7 and 28 (Williams et al. 2017, BJSM 51:209).
    pub ewma: Ratio,
    /// Uncoupled rolling ratio: mean of the last 7 days over the mean of the 21 before
    /// (Windt & Gabbett 2018).
    pub rolling: Ratio,
    /// Days of data.
    pub days_of_data: i64,
    /// Always shown with the ratios.
    pub caveat: &'static str,
}

/// The ratios on the daily series' last day.
pub fn ratios(daily: &Daily) -> Ratios {
    let n = daily.days_of_data();
    let warmup = format!(
        "needs {RATIO_WARMUP_DAYS} days of data, there are {n}: before that there is no month to \
         compare with"
    );
    let (ewma, rolling) = if n < RATIO_WARMUP_DAYS {
        (Ratio::withheld(warmup.clone()), Ratio::withheld(warmup))
    } else {
        let la = 2.0 / (7.0 + 1.0);
        let lc = 2.0 / (28.0 + 1.0);
        let (mut a, mut c) = (0.0, 0.0);
        for d in &daily.days {
            a = la * d.load + (1.0 - la) * a;
            c = lc * d.load + (1.0 - lc) * c;
        }
        let t = daily.today;
        // Coverage: a ratio over a month with two recorded sessions compares with nothing (see
        // haelan#188, "not a ratio of anything"), so both need a few active days before this week.
        let active = (7..28_i64)
            .filter(|i| daily.get(t.plus(-i)).is_some_and(|d| d.load > 0.0))
            .count();
        if active < MIN_CHRONIC_ACTIVE_DAYS {
            let why = format!(
                "{active} of the 21 days before this week had recorded activity: too few to \
                 compare with (needs {MIN_CHRONIC_ACTIVE_DAYS})"
            );
            (Ratio::withheld(why.clone()), Ratio::withheld(why))
        } else {
            let acute = daily.sum(t.plus(-6), t).0.load / 7.0;
            let chronic = daily.sum(t.plus(-27), t.plus(-7)).0.load / 21.0;
            (Ratio::shown(a / c), Ratio::shown(acute / chronic))
        }
    };
    Ratios {
        ewma,
        rolling,
        days_of_data: n,
        caveat: RATIO_CAVEAT,
    }
}

/// Foster's monotony and strain over the last 7 days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Monotony {
    /// Mean daily load / its standard deviation (population), capped at 10 as Runalyze does.
    pub monotony: Option<f64>,
    /// Weekly load x monotony.
    pub strain: Option<f64>,
    /// The week's load.
    pub week_load: f64,
    /// Why withheld, when it is.
    pub withheld: Option<String>,
}

/// Monotony and strain on the series' last day (Foster 1998, Med Sci Sports Exerc 30:1164).
pub fn monotony(daily: &Daily) -> Monotony {
    let t = daily.today;
    let loads: Vec<f64> = (0..7)
        .filter_map(|i| daily.get(t.plus(-i)).map(|d| d.load))
        .collect();
    let week_load: f64 = loads.iter().sum();
    let withheld = |why: &str| Monotony {
        monotony: None,
        strain: None,
        week_load,
        withheld: Some(why.into()),
    };
    if loads.len() < 7 {
        return withheld("needs 7 days of data");
    }
    if week_load <= 0.0 {
        return withheld("no load this week");
    }
    let mean = week_load / 7.0;
    let sd = (loads.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / 7.0).sqrt();
    let m = if sd > 0.0 {
        (mean / sd).min(10.0)
    } else {
        10.0
    };
    Monotony {
        monotony: Some(m),
        strain: Some(week_load * m),
        week_load,
        withheld: None,
    }
}

/// One run's length against the longest run of the 30 days before (Frandsen et al. 2025, BJSM
/// 59:1203: above 1.1 raised injury hazard, HRR 1.64 at 10-30 % longer, 1.52 at 30-100 %,
/// 2.28 above 100 %).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spike {
    /// The run.
    pub run_id: i64,
    /// Its day.
    pub day: Day,
    /// Its distance, km.
    pub distance_km: f64,
    /// The longest run in the 30 days before, km.
    pub longest_before_km: Option<f64>,
    /// distance / longest before.
    pub ratio: Option<f64>,
    /// True when the 30 days before reach back before the first recorded run.
    pub partial_window: bool,
}

impl Spike {
    /// Above 1.1: the strongest published single-run signal.
    pub fn is_spike(&self) -> bool {
        self.ratio.is_some_and(|r| r > 1.1)
    }

    /// The hazard ratio Frandsen et al. reported for this band, when it is a spike.
    pub fn hazard_ratio(&self) -> Option<f64> {
        match self.ratio? {
            r if r > 2.0 => Some(2.28),
            r if r > 1.3 => Some(1.52),
            r if r > 1.1 => Some(1.64),
            _ => None,
        }
    }
}

/// The spike figure of the run at `index` in `analysis.runs` (a running run with distance).
pub fn spike(analysis: &Analysis, index: usize) -> Option<Spike> {
    let run = analysis.runs.get(index)?;
    let distance_km = run.distance_km.filter(|_| run.is_run)?;
    let from = run.start_utc.saturating_sub(SPIKE_WINDOW_DAYS * 86_400);
    let longest = analysis.runs[..index]
        .iter()
        .rev()
        .take_while(|r| r.start_utc >= from)
        .filter(|r| r.is_run && r.start_utc < run.start_utc)
        .filter_map(|r| r.distance_km)
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
    let first = analysis.runs.first().map_or(run.start_utc, |r| r.start_utc);
    Some(Spike {
        run_id: run.id,
        day: run.day,
        distance_km,
        longest_before_km: longest,
        ratio: longest.filter(|l| *l > 0.0).map(|l| distance_km / l),
        partial_window: first > from,
    })
}

/// This week's running distance against last week's (Nielsen et al. 2014, JOSPT 44:739: more
/// than 30 % raised distance-related injuries, which include gluteus medius and trochanteric
/// bursitis, HR 1.59).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekChange {
    /// Last 7 days, km.
    pub this_week_km: f64,
    /// The 7 days before, km (when known).
    pub last_week_km: Option<f64>,
    /// Change in percent.
    pub pct: Option<f64>,
    /// Why the change is withheld, when it is.
    pub withheld: Option<String>,
}

/// The weekly change on the series' last day.
pub fn week_change(daily: &Daily) -> WeekChange {
    let t = daily.today;
    let this_week_km = daily.sum(t.plus(-6), t).0.distance_km;
    let (last, known) = daily.sum(t.plus(-13), t.plus(-7));
    let withheld = |why: &str, last_week_km| WeekChange {
        this_week_km,
        last_week_km,
        pct: None,
        withheld: Some(why.into()),
    };
    if known < 7 {
        return withheld(
            "needs two full weeks of data: the week before began before your first recorded run",
            None,
        );
    }
    if last.distance_km <= 0.0 {
        return withheld("no running the week before", Some(0.0));
    }
    WeekChange {
        this_week_km,
        last_week_km: Some(last.distance_km),
        pct: Some((this_week_km / last.distance_km - 1.0) * 100.0),
        withheld: None,
    }
}

/// A run's descent against the runner's recent downhill (Bontemps et al. 2020, Sports Med
/// 50:2083: the least accustomed get the most damage; the repeated-bout effect protects for
/// weeks).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DownhillNovelty {
    /// The run.
    pub run_id: i64,
    /// Its day.
    pub day: Day,
    /// Its descent, m.
    pub descent_m: f64,
    /// Its minutes below -5 %.
    pub steep_minutes: Option<f64>,
    /// The largest single-run descent in the 6 weeks before, m (when any run had elevation).
    pub previous_max_m: Option<f64>,
    /// descent / previous max (`None` when the runs before were flat, under 20 m).
    pub ratio: Option<f64>,
    /// At least 150 m down and more than 1.5 times anything in the 6 weeks before (a heuristic:
    /// the papers describe the effect, not a threshold).
    pub novel: bool,
    /// At least 300 m down or 10 minutes below -5 %: "much downhill" (heuristic; the median
    /// protocol in Bontemps et al. was 40 min at -12 %).
    pub much: bool,
    /// True when the 6 weeks before reach back before the first recorded run.
    pub partial_window: bool,
}

/// The downhill figures of the run at `index`, when it has a descent.
pub fn downhill(analysis: &Analysis, index: usize) -> Option<DownhillNovelty> {
    let run = analysis.runs.get(index)?;
    let descent_m = run.descent_m?;
    let from = run.start_utc.saturating_sub(DOWNHILL_WINDOW_DAYS * 86_400);
    let previous_max = analysis.runs[..index]
        .iter()
        .rev()
        .take_while(|r| r.start_utc >= from)
        .filter(|r| r.start_utc < run.start_utc)
        .filter_map(|r| r.descent_m)
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
    // Below 20 m a run was flat: a ratio against it would be noise ("440 times more").
    let ratio = previous_max
        .filter(|m| *m >= FLAT_DESCENT_M)
        .map(|m| descent_m / m);
    let novel = descent_m >= 150.0
        && match previous_max {
            Some(m) => m < FLAT_DESCENT_M || descent_m > 1.5 * m,
            None => false,
        };
    let first = analysis.runs.first().map_or(run.start_utc, |r| r.start_utc);
    Some(DownhillNovelty {
        run_id: run.id,
        day: run.day,
        descent_m,
        steep_minutes: run.steep_minutes,
        previous_max_m: previous_max,
        ratio,
        novel,
        much: descent_m >= 300.0 || run.steep_minutes.is_some_and(|m| m >= 10.0),
        partial_window: first > from,
    })
}

/// The index of the last run (of two minutes or more) that started at or before `at_utc`.
pub fn last_run_index(analysis: &Analysis, at_utc: i64) -> Option<usize> {
    analysis
        .runs
        .iter()
        .rposition(|r: &RunMetrics| r.is_a_real_run() && r.start_utc <= at_utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Descent, ElevationSource, RunFigures, RunView};
    use crate::load::analyse;
    use crate::profile::Profile;
    use runsore_model::Sport;

    const DAY0: i64 = 20_000;

    /// A run on day `DAY0 + day` at 08:00 UTC, `km` long at 6 min/km, with an RPE so that its
    /// load is exact: RPE 5 -> dHR 0.5 -> TRIMP = minutes x 0.5 x 0.64 x e^(k/2).
    fn run(id: i64, day: i64, km: f64) -> RunView {
        RunView {
            id,
            start_utc: (DAY0 + day) * 86_400 + 8 * 3600,
            local_offset_s: Some(0),
            sport: Sport::Running,
            rpe: Some(5.0),
            figures: RunFigures {
                elapsed_s: Some(km * 360.0),
                moving_s: Some(km * 360.0),
                distance_m: Some(km * 1000.0),
                ..RunFigures::default()
            },
        }
    }

    fn with_descent(mut r: RunView, metres: f64, steep_min: f64) -> RunView {
        r.figures.descent = Descent {
            metres: Some(metres),
            steep_s: Some(steep_min * 60.0),
            steep_m: None,
            source: ElevationSource::Samples,
        };
        r
    }

    fn daily(runs: &[RunView], today: i64) -> Daily {
        Daily::new(&analyse(runs, &Profile::default()), Day(DAY0 + today)).unwrap()
    }

    /// Load per minute at RPE 5 for an unknown sex: 0.5 x 0.64 x e^(1.795 x 0.5).
    fn per_minute() -> f64 {
        0.32 * (1.795_f64 * 0.5).exp()
    }

    #[test]
    fn fitness_fatigue_form_worked_example() {
        // A single load L on day 0, then rest: CTL_0 = L(1 - e^(-1/42)) = 0.0235283 L,
        // ATL_0 = L(1 - e^(-1/7)) = 0.1331221 L; after n rest days each decays by e^(-n/tau).
        let d = daily(&[run(1, 0, 10.0)], 7);
        let l = 60.0 * per_minute();
        let f = fitness(&d);
        assert_eq!(f.len(), 8);
        assert!((f[0].ctl - 0.023_528_3 * l).abs() < 1e-6 * l);
        assert!((f[0].atl - 0.133_122_1 * l).abs() < 1e-6 * l);
        // Day 7: ATL = 0.1331221 L x e^(-1) = 0.0489729 L; CTL = 0.0235283 L x e^(-1/6) = 0.0199163 L.
        assert!((f[7].atl - 0.048_972_9 * l).abs() < 1e-6 * l, "{:?}", f[7]);
        assert!((f[7].ctl - 0.019_916_3 * l).abs() < 1e-6 * l, "{:?}", f[7]);
        assert!((f[7].tsb - (f[7].ctl - f[7].atl)).abs() < 1e-12);
        // intervals.icu's daily factors: 0.9765 and 0.8669 (= e^(-1/42), e^(-1/7) rounded).
        assert!(((-1.0_f64 / 42.0).exp() - 0.9765).abs() < 1e-4);
        assert!(((-1.0_f64 / 7.0).exp() - 0.8669).abs() < 1e-4);
    }

    #[test]
    fn constant_load_converges_and_gaps_before_the_first_run_are_unknown() {
        // The same run every day for 200 days: CTL, ATL -> L and TSB -> 0.
        let runs: Vec<RunView> = (0..200).map(|i| run(i, i, 10.0)).collect();
        let d = daily(&runs, 199);
        let l = 60.0 * per_minute();
        let last = *fitness(&d).last().unwrap();
        assert!((last.atl - l).abs() < 1e-6 * l);
        assert!((last.ctl - l).abs() < 0.01 * l, "{last:?}");
        // Nothing before the first run is counted: the series starts on day 0.
        assert_eq!(d.first, Day(DAY0));
        assert_eq!(d.get(Day(DAY0 - 1)), None);
        // A run after today is ignored.
        let d2 = daily(&[run(1, 0, 10.0), run(2, 9, 10.0)], 5);
        assert_eq!(d2.days.len(), 6);
    }

    #[test]
    fn ratios_withheld_in_the_first_weeks() {
        // A first week with no history: every ratio is withheld with a reason.
        let runs: Vec<RunView> = (0..7).map(|i| run(i, i, 8.0)).collect();
        let r = ratios(&daily(&runs, 6));
        assert_eq!(r.days_of_data, 7);
        assert!(r.ewma.value.is_none() && r.rolling.value.is_none());
        assert!(r.ewma.withheld.as_deref().unwrap().contains("28 days"));
        assert!(r.caveat.contains("disputed"));
        // A month of data but only two sessions before this week: still withheld.
        let sparse = [
            run(1, 0, 8.0),
            run(2, 10, 8.0),
            run(3, 28, 8.0),
            run(4, 29, 8.0),
        ];
        let r = ratios(&daily(&sparse, 29));
        assert!(r.ewma.value.is_none(), "{r:?}");
        assert_eq!(
            r.rolling.withheld.as_deref(),
            Some(
                "1 of the 21 days before this week had recorded activity: too few to compare \
                 with (needs 4)"
            )
        );
        let w = week_change(&daily(&runs, 6));
        assert_eq!(w.this_week_km, 56.0);
        assert!(w.pct.is_none() && w.withheld.is_some());
        let m = monotony(&daily(&runs, 6));
        // Identical loads every day: SD 0, monotony capped at 10.
        assert_eq!(m.monotony, Some(10.0));
    }

    #[test]
    fn ratio_worked_examples() {
        // 21 days of 1 run a day, then 7 days of 2 runs a day (double load), 28 days of data.
        let mut runs: Vec<RunView> = (0..28).map(|i| run(i, i, 10.0)).collect();
        runs.extend((21..28).map(|i| run(100 + i, i, 10.0)));
        let r = ratios(&daily(&runs, 27));
        // Uncoupled rolling: mean 2L over mean L = 2.0.
        assert!((r.rolling.value.unwrap() - 2.0).abs() < 1e-9, "{r:?}");
        assert_eq!(r.rolling.band, Some(RatioBand::High));
        // EWMA from zero: acute after 21 days of L then 7 of 2L:
        // A = 2L - (2L - L(1 - 0.75^21)) 0.75^7 ; C likewise with 1 - 2/29. By hand:
        // 0.75^21 = 0.0023784, 0.75^7 = 0.1334839 -> A = 2 - (2 - 0.9976216) x 0.1334839 = 1.8661986 L
        // (27/29)^21 = 0.2229878, (27/29)^7 = 0.6064016 -> C = 2 - (2 - 0.7770122) x 0.6064016 = 1.2583782 L
        // ratio = 1.48302.
        let e = r.ewma.value.unwrap();
        assert!((e - 1.48302).abs() < 1e-5, "{e}");
        assert_eq!(r.ewma.band, Some(RatioBand::Raised));
    }

    #[test]
    fn monotony_worked_example() {
        // Loads L,0,L,0,L,0,L: mean 4L/7 = 0.571429 L; population SD = sqrt(4/7 - 16/49) L =
        // 0.494872 L; monotony = 1.154701; strain = 4L x 1.154701.
        let runs: Vec<RunView> = [0, 2, 4, 6].iter().map(|&d| run(d, d, 10.0)).collect();
        let m = monotony(&daily(&runs, 6));
        let l = 60.0 * per_minute();
        assert!((m.monotony.unwrap() - 1.154_701).abs() < 1e-6);
        assert!((m.strain.unwrap() - 4.0 * l * 1.154_701).abs() < 1e-4);
    }

    #[test]
    fn spike_worked_examples() {
        // Longest in the 30 days before is 20 km (day 5); day 31 falls out of the window of
        // day 36 (from day 6). Runs: day 5 20 km, day 20 15 km, day 30 27 km, day 36 17 km.
        let runs = [
            run(1, 5, 20.0),
            run(2, 20, 15.0),
            run(3, 30, 27.0),
            run(4, 36, 17.0),
            run(5, 40, 30.0),
        ];
        let a = analyse(&runs, &Profile::default());
        let check = |i: usize, longest: Option<f64>, ratio: Option<f64>, is_spike: bool, hrr| {
            let s = spike(&a, i).unwrap();
            assert_eq!(s.longest_before_km, longest, "run {i}");
            match (s.ratio, ratio) {
                (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "run {i}: {x}"),
                (x, y) => assert_eq!(x, y, "run {i}"),
            }
            assert_eq!(s.is_spike(), is_spike, "run {i}");
            assert_eq!(s.hazard_ratio(), hrr, "run {i}");
        };
        check(0, None, None, false, None); // first run: nothing to compare with
        check(1, Some(20.0), Some(0.75), false, None);
        check(2, Some(20.0), Some(1.35), true, Some(1.52)); // 27/20: 35 % longer
        check(3, Some(27.0), Some(17.0 / 27.0), false, None);
        check(4, Some(27.0), Some(30.0 / 27.0), true, Some(1.64)); // 11 % longer
        assert!(spike(&a, 0).unwrap().partial_window);
    }

    #[test]
    fn week_change_worked_example() {
        // Week before: 3 x 10 km; this week: 3 x 13 km + 1 x 6 km = 45 km -> +50 %.
        let mut runs: Vec<RunView> = [0, 2, 4].iter().map(|&d| run(d, d, 10.0)).collect();
        runs.extend([7, 9, 11].iter().map(|&d| run(d, d, 13.0)));
        runs.push(run(12, 12, 6.0));
        let w = week_change(&daily(&runs, 13));
        assert_eq!((w.this_week_km, w.last_week_km), (45.0, Some(30.0)));
        assert!((w.pct.unwrap() - 50.0).abs() < 1e-9);
        // A week off then running again: the change is withheld, not infinite.
        let runs = [run(1, 0, 10.0), run(2, 14, 10.0)];
        let w = week_change(&daily(&runs, 14));
        assert_eq!(w.pct, None);
        assert_eq!(w.withheld.as_deref(), Some("no running the week before"));
    }

    #[test]
    fn downhill_novelty_worked_examples() {
        // 6 weeks of 80 m descents, then 400 m: 5x, novel and much. A 100 m run is neither.
        let mut runs: Vec<RunView> = (0..42)
            .step_by(3)
            .map(|d| with_descent(run(d, d, 8.0), 80.0, 1.0))
            .collect();
        runs.push(with_descent(run(100, 43, 20.0), 400.0, 25.0));
        runs.push(with_descent(run(101, 45, 8.0), 100.0, 1.0));
        let a = analyse(&runs, &Profile::default());
        let n = a.runs.len();
        let big = downhill(&a, n - 2).unwrap();
        assert_eq!(big.previous_max_m, Some(80.0));
        assert_eq!(big.ratio, Some(5.0));
        assert!(big.novel && big.much);
        let small = downhill(&a, n - 1).unwrap();
        assert_eq!(small.previous_max_m, Some(400.0));
        assert!(!small.novel && !small.much);
        // The first run with elevation has no history: not called novel.
        assert!(!downhill(&a, 0).unwrap().novel);
    }
}
