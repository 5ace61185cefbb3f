//! Years of generated, real-looking runs for the benchmarks (`benches/check.rs`, and
//! `bench/web-load.sh` through `examples/bench_store.rs`): one run a day up to an end day, each
//! with its own 1-second samples (position on a loop, hills, distance, speed, heart rate with
//! warm-up and drift, cadence, temperature) and a week shaped like a runner's (easy days,
//! intervals, a tempo run, a long run on Sunday, the distances growing and falling over training
//! blocks). The summary is recomputed from the samples by the importer's own code, so the store
//! holds what an import would have written.
//!
//! The runs are generated rather than copied from one file so that the analytics see varied
//! loads (no two runs alike, as in a real history) and the samples stored grow with the count.

use runsore_model::{Format, Run, Sample, Sport};
use runsore_store::{FileRecord, Store, StoreError};

const DAY: i64 = 86_400;

/// A small deterministic generator (xorshift64*): the same store every time, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A value in `lo..hi`.
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

/// One kind of session: distance in km, pace in seconds per km, heart rate in bpm.
struct Session {
    km: (f64, f64),
    pace: (f64, f64),
    hr: (f64, f64),
    /// Seconds of each fast repetition and of the jog between (intervals only).
    reps: Option<(f64, f64)>,
}

const EASY: Session = Session {
    km: (6.0, 11.0),
    pace: (330.0, 370.0),
    hr: (132.0, 145.0),
    reps: None,
};
const INTERVALS: Session = Session {
    km: (9.0, 12.0),
    pace: (320.0, 340.0),
    hr: (140.0, 150.0),
    reps: Some((180.0, 120.0)),
};
const TEMPO: Session = Session {
    km: (10.0, 14.0),
    pace: (270.0, 290.0),
    hr: (155.0, 165.0),
    reps: None,
};
const LONG: Session = Session {
    km: (18.0, 32.0),
    pace: (340.0, 380.0),
    hr: (138.0, 148.0),
    reps: None,
};

/// The week: Monday to Sunday.
const WEEK: [&Session; 7] = [&EASY, &INTERVALS, &EASY, &TEMPO, &EASY, &EASY, &LONG];

/// The samples of one run starting at `start`, on a loop of about 5 km around a park.
fn samples(rng: &mut Rng, start: i64, kind: &Session, block: f64) -> Vec<Sample> {
    let km = rng.range(kind.km.0, kind.km.1) * block;
    let base_pace = rng.range(kind.pace.0, kind.pace.1);
    let base_hr = rng.range(kind.hr.0, kind.hr.1);
    let temp = rng.range(4.0, 26.0);
    let hilliness = rng.range(5.0, 40.0);
    let (lat0, lon0) = (
        51.45 + rng.range(-0.02, 0.02),
        -0.97 + rng.range(-0.02, 0.02),
    );
    let loop_m = 5_000.0;
    let radius_deg = loop_m / (2.0 * std::f64::consts::PI) / 111_000.0;
    let mut out = Vec::with_capacity((km * base_pace) as usize + 1);
    let (mut dist, mut hr, mut t) = (0.0f64, 95.0f64, 0.0f64);
    while dist < km * 1000.0 {
        let fast = kind
            .reps
            .is_some_and(|(on, off)| t > 900.0 && (t - 900.0) % (on + off) < on);
        let pace = if fast { 235.0 } else { base_pace } * rng.range(0.97, 1.03);
        let speed = 1000.0 / pace;
        let angle = dist / loop_m * 2.0 * std::f64::consts::PI;
        let alt = 60.0 + hilliness * (angle * 3.0).sin() + 0.3 * rng.next();
        // Heart rate climbs to the session's level over the warm-up, drifts up over long runs,
        // and jumps on the fast repetitions.
        let target = if fast { 172.0 } else { base_hr } + t / 3600.0 * 4.0;
        hr += (target - hr) / 40.0 + rng.range(-0.8, 0.8);
        out.push(Sample {
            t: (start as f64) + t,
            lat: Some(lat0 + radius_deg * angle.sin()),
            lon: Some(lon0 + radius_deg * angle.cos() / 0.62),
            alt_m: Some(alt),
            dist_m: Some(dist),
            speed_mps: Some(speed),
            hr: Some(hr.round().clamp(60.0, 200.0) as u8),
            cadence: Some((if fast { 184.0 } else { 168.0 } + rng.range(-3.0, 3.0)) as u8),
            temp_c: Some(temp as i8),
        });
        dist += speed;
        t += 1.0;
    }
    out
}

/// One generated run on `day` (days since the epoch) at about `hour` UTC, drawn from `rng`, with
/// the record of the file it came from; `tag` is added to the file's name and hash.
fn generated(
    rng: &mut Rng,
    day: i64,
    hour: i64,
    tag: &str,
    imported_utc: i64,
) -> (FileRecord, Run) {
    // 1970-01-01 was a Thursday: day 0 is index 3 of a Monday-first week.
    let weekday = (day + 3).rem_euclid(7) as usize;
    // Four-week blocks: three building weeks then an easier one.
    let block = [0.9, 1.0, 1.1, 0.75][(day.div_euclid(7)).rem_euclid(4) as usize];
    let start = day * DAY + hour * 3600 + rng.range(-1800.0, 1800.0) as i64;
    let samples = samples(rng, start, WEEK[weekday], block);
    let mut summary = runsore_import::summary::summarize(&samples);
    summary.local_offset_s = Some(3600);
    let source = format!("bench/{day}{tag}.fit");
    let run = Run {
        source: source.clone(),
        format: Format::Fit,
        content_hash: format!("bench-{day}{tag}"),
        device: Some("bench generator".into()),
        sport: Sport::Running,
        sub_sport: None,
        name: None,
        rpe: None,
        summary,
        device_summary: None,
        samples,
        partial: false,
        warnings: Vec::new(),
    };
    let record = FileRecord {
        source,
        format: Format::Fit,
        content_hash: run.content_hash.clone(),
        size_bytes: 20 * run.samples.len() as u64,
        imported_utc,
    };
    (record, run)
}

/// A run of its own on `day` at about 19:00 UTC (apart from the morning runs [`fill`] stores),
/// different for every `seed`: one more run imported.
#[allow(dead_code)] // Used by the benches, not by `bench_store`.
pub fn evening_run(day: i64, seed: u64) -> (FileRecord, Run) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    generated(&mut rng, day, 19, &format!("-evening-{seed}"), day * DAY)
}

/// Stores `count` generated runs, one a day, the newest on `end_utc`'s day: how many were stored
/// and how many samples they hold.
pub fn fill(store: &Store, count: i64, end_utc: i64) -> Result<(usize, usize), StoreError> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // Runs at about 07:00 UTC on each day, the newest on `end_utc`'s day.
    let last_day = end_utc.div_euclid(DAY);
    let (mut stored, mut total_samples) = (0usize, 0usize);
    for k in (0..count).rev() {
        let (record, run) = generated(&mut rng, last_day - k, 7, "", end_utc);
        total_samples += run.samples.len();
        stored += store
            .insert_file(&record, std::slice::from_ref(&run))?
            .inserted()
            .len();
    }
    Ok((stored, total_samples))
}
