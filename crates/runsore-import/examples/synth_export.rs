//! Builds a synthetic Strava-like export for bench/import.sh: `activities.csv` plus N gzipped
//! activity files made from the corpus's readable files, written both as `export.zip` and as an
//! unzipped `export/` folder.
//!
//! Copies are made distinct (so a store's duplicate detection does not skip them): copy k of a
//! file has its timestamps moved k weeks back (FIT: every timestamp field, with the CRC
//! recomputed; GPX/TCX: the year of every timestamp moved k years back).
//!
//! Usage: synth_export CORPUS_DIR OUT_DIR COUNT

use std::io::Write;
use std::path::{Path, PathBuf};

use runsore_import::fit::crc16;
use runsore_import::{Decoded, decode, gunzip, is_gzip};

/// Adds `delta` seconds to every date-valued timestamp of a FIT file and fixes its CRCs.
fn shift_fit(b: &mut [u8], delta: u32) {
    let mut pos = 0usize;
    while pos + 12 <= b.len() {
        let hs = usize::from(b[pos]);
        if hs < 12 || b.get(pos + 8..pos + 12) != Some(b".FIT".as_slice()) {
            return;
        }
        let size = u32::from_le_bytes([b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]]) as usize;
        let (start, end) = (pos + hs, pos + hs + size);
        if end + 2 > b.len() {
            return;
        }
        // Per local message: body size, timestamp offsets, big endian.
        let mut defs: [Option<(usize, Vec<usize>, bool)>; 16] = Default::default();
        let mut p = start;
        while p < end {
            let h = b[p];
            p += 1;
            let local = if h & 0x80 != 0 {
                usize::from((h >> 5) & 3)
            } else if h & 0x40 != 0 {
                let local = usize::from(h & 0x0F);
                let be = b[p + 1] == 1;
                let global = if be {
                    u16::from_be_bytes([b[p + 2], b[p + 3]])
                } else {
                    u16::from_le_bytes([b[p + 2], b[p + 3]])
                };
                let n = usize::from(b[p + 4]);
                p += 5;
                let (mut off, mut ts) = (0usize, Vec::new());
                for _ in 0..n {
                    let (num, sz, base) = (b[p], usize::from(b[p + 1]), b[p + 2] & 0x1F);
                    p += 3;
                    let date_field = num == 253
                        || (matches!(global, 18 | 19) && num == 2)
                        || (global == 0 && num == 4)
                        || (global == 34 && num == 5);
                    if date_field && sz == 4 && matches!(base, 6 | 12) {
                        ts.push(off);
                    }
                    off += sz;
                }
                if h & 0x20 != 0 {
                    let nd = usize::from(b[p]);
                    p += 1;
                    for _ in 0..nd {
                        off += usize::from(b[p + 1]);
                        p += 3;
                    }
                }
                defs[local] = Some((off, ts, be));
                continue;
            } else {
                usize::from(h & 0x0F)
            };
            let Some((size, ts, be)) = defs[local].clone() else {
                return;
            };
            if p + size > end {
                return;
            }
            for o in ts {
                let f = &mut b[p + o..p + o + 4];
                let v = if be {
                    u32::from_be_bytes([f[0], f[1], f[2], f[3]])
                } else {
                    u32::from_le_bytes([f[0], f[1], f[2], f[3]])
                };
                if v != u32::MAX && v >= 0x1000_0000 {
                    let nv = v.wrapping_sub(delta);
                    f.copy_from_slice(&if be {
                        nv.to_be_bytes()
                    } else {
                        nv.to_le_bytes()
                    });
                }
            }
            p += size;
        }
        let crc = crc16(&b[pos..end]);
        b[end..end + 2].copy_from_slice(&crc.to_le_bytes());
        pos = end + 2;
    }
}

/// Moves the year of every ISO timestamp in XML text `years` back.
fn shift_xml(text: &[u8], years: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        // A timestamp starts with YYYY-MM-DDT after '>' or '"'.
        if i + 11 <= text.len()
            && i > 0
            && matches!(text[i - 1], b'>' | b'"')
            && text[i..i + 4].iter().all(u8::is_ascii_digit)
            && text[i + 4] == b'-'
            && text[i + 10] == b'T'
        {
            let y: u32 = std::str::from_utf8(&text[i..i + 4])
                .unwrap()
                .parse()
                .unwrap();
            out.extend_from_slice(format!("{:04}", y.saturating_sub(years)).as_bytes());
            i += 4;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, corpus, out, count] = &args[..] else {
        eprintln!("usage: synth_export CORPUS_DIR OUT_DIR COUNT");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("COUNT is a number");
    let out = PathBuf::from(out);
    let mut originals: Vec<(String, Vec<u8>)> = Vec::new();
    for sub in ["fit", "gpx", "tcx"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(Path::new(corpus).join(sub))
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.sort();
        for p in paths {
            let raw = std::fs::read(&p).unwrap();
            let raw = if is_gzip(&raw) {
                gunzip(&raw, 1 << 28).unwrap()
            } else {
                raw
            };
            let name = p.to_string_lossy().into_owned();
            // Only good activity files, as a real export holds.
            if let Ok(Decoded::Runs(runs)) = decode(&name, &raw)
                && runs.iter().all(|r| !r.partial)
            {
                originals.push((sub.to_owned(), raw));
            }
        }
    }
    assert!(!originals.is_empty(), "no readable files in {corpus}");
    let folder = out.join("export");
    std::fs::create_dir_all(folder.join("activities")).unwrap();
    let zip_file = std::fs::File::create(out.join("export.zip")).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(zip_file));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut csv = String::from(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,Elapsed Time,Distance,Perceived Exertion\n",
    );
    let (mut raw_bytes, mut gz_bytes) = (0u64, 0u64);
    for i in 0..count {
        let (ext, raw) = &originals[i % originals.len()];
        let copy = (i / originals.len()) as u32;
        let bytes = if ext == "fit" {
            let mut b = raw.clone();
            shift_fit(&mut b, copy * 7 * 86_400);
            b
        } else {
            shift_xml(raw, copy)
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        gz.write_all(&bytes).unwrap();
        let gz = gz.finish().unwrap();
        raw_bytes += bytes.len() as u64;
        gz_bytes += gz.len() as u64;
        let name = format!("activities/{}.{ext}.gz", 1_000_000 + i);
        std::fs::write(folder.join(&name), &gz).unwrap();
        zip.start_file(name.as_str(), stored).unwrap();
        zip.write_all(&gz).unwrap();
        csv.push_str(&format!(
            "{},\"Jan 1, 2020, 7:00:00 AM\",Synthetic {i},Run,0,0,{name},0,0,5\n",
            1_000_000 + i
        ));
    }
    std::fs::write(folder.join("activities.csv"), &csv).unwrap();
    zip.start_file("activities.csv", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(csv.as_bytes()).unwrap();
    zip.finish().unwrap();
    println!(
        "files={count} originals={} raw_bytes={raw_bytes} gz_bytes={gz_bytes}",
        originals.len()
    );
}
