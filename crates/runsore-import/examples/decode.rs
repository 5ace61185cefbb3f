//! Prints what runsore-import reads from each file or archive given on the command line.

use std::path::PathBuf;

use runsore_import::{Decoded, decode_source, sources};

fn main() {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    for src in sources(&paths) {
        let src = match src {
            Ok(s) => s,
            Err(e) => {
                println!("ERROR {e}");
                continue;
            }
        };
        match decode_source(&src) {
            Ok(Decoded::Runs(runs)) => {
                for (i, r) in runs.iter().enumerate() {
                    let s = &r.summary;
                    let d = r.device_summary.clone().unwrap_or_default();
                    println!(
                        "{} #{i} {} {:?}/{:?} name={:?} rpe={:?} pts={} start={:?}/{:?} el={:?}/{:?} mov={:?}/{:?} dist={:?}/{:?} up={:?}/{:?} hr={:?}/{:?} max={:?}/{:?} partial={} warn={:?}",
                        src.name(),
                        r.format.as_str(),
                        r.sport,
                        r.sub_sport,
                        r.name,
                        r.rpe,
                        r.samples.len(),
                        s.start_utc,
                        d.start_utc,
                        s.elapsed_s,
                        d.elapsed_s,
                        s.moving_s,
                        d.moving_s,
                        s.distance_m.map(|v| v.round()),
                        d.distance_m,
                        s.ascent_m.map(|v| v.round()),
                        d.ascent_m,
                        s.avg_hr.map(|v| v.round()),
                        d.avg_hr,
                        s.max_hr,
                        d.max_hr,
                        r.partial,
                        r.warnings
                    );
                }
            }
            Ok(Decoded::NotActivity { reason }) => println!("{} NOT ACTIVITY {reason}", src.name()),
            Err(e) => println!("FAIL {e}"),
        }
    }
}
