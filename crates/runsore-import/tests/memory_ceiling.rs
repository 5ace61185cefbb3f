//! The memory ceilings of `docs/limits.md`, asserted: peak resident memory is measured around one
//! decode (Linux: `/proc/self/clear_refs` resets the peak, `VmHWM` reads it). Its own binary
//! without the test harness, so no other test shares the process while it measures.

use std::io::Write;

use runsore_import::{MAX_SAMPLES, decode};

const MIB: u64 = 1 << 20;

/// Ceiling of one FIT file decoded at the sample cap (docs/limits.md).
const FIT_AT_CAP_MIB: u64 = 192;
/// Ceiling of the bomb: the 256 MiB inflate cap plus a little, never the 26 GB it took.
const FIT_BOMB_MIB: u64 = 300;

fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Peak memory growth, in bytes, while `f` runs.
fn growth(f: impl FnOnce()) -> u64 {
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting the peak (Linux 4.0+)");
    let before = peak_kib();
    f();
    (peak_kib().saturating_sub(before)) * 1024
}

fn fit(data: &[u8]) -> Vec<u8> {
    let mut b = vec![14, 0x20, 0x52, 0x08];
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(b".FIT\0\0");
    b.extend_from_slice(data);
    b.extend_from_slice(&[0, 0]);
    b
}

fn records(fields: &[(u8, u8, u8)], each: &[u8], n: usize) -> Vec<u8> {
    let mut d = vec![0x40, 0, 0, 20, 0, 1, 253, 4, 0x86, 0];
    d.extend_from_slice(&1_000_000_000u32.to_le_bytes());
    d.extend_from_slice(&[0x40, 0, 0, 20, 0, fields.len() as u8]);
    for (n, size, base) in fields {
        d.extend_from_slice(&[*n, *size, *base]);
    }
    for i in 0..n {
        d.push(0x80 | (i % 32) as u8);
        d.extend_from_slice(each);
    }
    fit(&d)
}

fn main() {
    let at_cap = records(&[(3, 1, 2)], &[150], MAX_SAMPLES - 1);
    let used = growth(|| {
        let d = decode("long.fit", &at_cap).expect("decodes");
        drop(d);
    });
    println!(
        "FIT at the cap ({MAX_SAMPLES} samples): {} MiB (ceiling {FIT_AT_CAP_MIB})",
        used / MIB
    );
    assert!(used <= FIT_AT_CAP_MIB * MIB, "{} MiB", used / MIB);

    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&records(&[], &[], 255 << 20)).unwrap();
    let bomb = e.finish().unwrap();
    let used = growth(|| {
        let err = decode("bomb.fit.gz", &bomb).expect_err("refused");
        assert!(err.to_string().contains("records without values"), "{err}");
    });
    println!(
        "FIT bomb ({} KB gzipped, 255 MiB inflated): {} MiB (ceiling {FIT_BOMB_MIB})",
        bomb.len() / 1000,
        used / MIB
    );
    assert!(used <= FIT_BOMB_MIB * MIB, "{} MiB", used / MIB);
    println!("memory ceilings hold");
}
