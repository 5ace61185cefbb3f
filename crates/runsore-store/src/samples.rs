//! The compact sample encoding: one BLOB per run, packed by column, delta + zigzag varints.
//!
//! One SQL row per sample would make a 3,000-file import write ten million rows; one BLOB per run
//! keeps an import to one row per run. Columns are stored separately so that each holds slowly
//! changing values whose deltas fit in one or two bytes (an hour at 1 Hz is about 50 KB).
//!
//! Values are kept at fixed resolutions, those of the FIT format or finer: time to the
//! millisecond, latitude and longitude to 1e-7 degree (about 1 cm), altitude and distance to the
//! centimetre, speed to the mm/s. Heart rate, cadence and temperature are stored exactly.
//! A non-finite value (NaN, infinity) is stored as missing. Decoding and re-encoding a decoded
//! series gives the same bytes, so export and import round-trip exactly.
//!
//! Layout (version 1): `1u8`, varint sample count, then for each of the nine columns in the
//! order of [`Sample`]'s fields: a presence byte (0 none, 1 all, 2 a bitmap of `ceil(n/8)` bytes
//! follows), then the present values as zigzag varint deltas from the previous present value.

use runsore_model::Sample;

const VERSION: u8 = 1;

const T_SCALE: f64 = 1_000.0;
const DEG_SCALE: f64 = 1e7;
const CM_SCALE: f64 = 100.0;
const SPEED_SCALE: f64 = 1_000.0;

/// Why a sample BLOB could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError(pub(crate) String);

/// Encodes samples into the compact column form.
pub(crate) fn encode(samples: &[Sample]) -> Vec<u8> {
    let n = samples.len();
    let mut out = Vec::with_capacity(16 + n * 16);
    out.push(VERSION);
    put_varint(&mut out, n as u64);
    // Time is never missing; a non-finite time is stored as 0 rather than dropping the sample,
    // which would shift every other column.
    put_column(&mut out, samples, |s| {
        Some(quantize(s.t, T_SCALE).unwrap_or(0))
    });
    put_column(&mut out, samples, |s| {
        s.lat.and_then(|v| quantize(v, DEG_SCALE))
    });
    put_column(&mut out, samples, |s| {
        s.lon.and_then(|v| quantize(v, DEG_SCALE))
    });
    put_column(&mut out, samples, |s| {
        s.alt_m.and_then(|v| quantize(v, CM_SCALE))
    });
    put_column(&mut out, samples, |s| {
        s.dist_m.and_then(|v| quantize(v, CM_SCALE))
    });
    put_column(&mut out, samples, |s| {
        s.speed_mps.and_then(|v| quantize(v, SPEED_SCALE))
    });
    put_column(&mut out, samples, |s| s.hr.map(i64::from));
    put_column(&mut out, samples, |s| s.cadence.map(i64::from));
    put_column(&mut out, samples, |s| s.temp_c.map(i64::from));
    out
}

/// Decodes a BLOB written by [`encode`]; never panics on damaged input.
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<Sample>, DecodeError> {
    let mut r = Reader { bytes, pos: 0 };
    let version = r.byte()?;
    if version != VERSION {
        return Err(DecodeError(format!(
            "unknown sample encoding version {version}"
        )));
    }
    let n = r.varint()?;
    // Each sample needs at least one byte of time delta, so a count beyond the remaining bytes
    // is damage, not a reason to allocate gigabytes.
    if n > (bytes.len() as u64) {
        return Err(DecodeError(format!(
            "sample count {n} exceeds the {} bytes stored",
            bytes.len()
        )));
    }
    let mut samples = vec![Sample::default(); n as usize];
    let s = &mut samples[..];
    r.column(s, |s, v| {
        s.t = v as f64 / T_SCALE;
        Ok(())
    })?;
    r.column(s, |s, v| {
        s.lat = Some(v as f64 / DEG_SCALE);
        Ok(())
    })?;
    r.column(s, |s, v| {
        s.lon = Some(v as f64 / DEG_SCALE);
        Ok(())
    })?;
    r.column(s, |s, v| {
        s.alt_m = Some(v as f64 / CM_SCALE);
        Ok(())
    })?;
    r.column(s, |s, v| {
        s.dist_m = Some(v as f64 / CM_SCALE);
        Ok(())
    })?;
    r.column(s, |s, v| {
        s.speed_mps = Some(v as f64 / SPEED_SCALE);
        Ok(())
    })?;
    r.column(s, |s, v| {
        s.hr = Some(narrow(v, "heart rate")?);
        Ok(())
    })?;
    r.column(s, |s, v| {
        s.cadence = Some(narrow(v, "cadence")?);
        Ok(())
    })?;
    r.column(s, |s, v| {
        s.temp_c = Some(narrow(v, "temperature")?);
        Ok(())
    })?;
    if r.pos != bytes.len() {
        return Err(DecodeError(format!(
            "{} trailing bytes after the samples",
            bytes.len() - r.pos
        )));
    }
    Ok(samples)
}

fn narrow<T: TryFrom<i64>>(v: i64, what: &str) -> Result<T, DecodeError> {
    T::try_from(v).map_err(|_| DecodeError(format!("{what} {v} out of range")))
}

/// Rounds to the column's resolution (half away from zero); `None` for values that are not
/// finite.
fn quantize(v: f64, scale: f64) -> Option<i64> {
    // Adding a signed half and truncating with `as` rounds like `f64::round` without its libm
    // call (this runs for every value of every import); `as` saturates, so an absurd altitude
    // cannot overflow.
    let x = v * scale;
    x.is_finite().then(|| (x + 0.5f64.copysign(x)) as i64)
}

fn put_column(out: &mut Vec<u8>, samples: &[Sample], get: impl Fn(&Sample) -> Option<i64>) {
    let present = samples.iter().filter(|s| get(s).is_some()).count();
    if present == 0 {
        out.push(0);
        return;
    }
    if present == samples.len() {
        out.push(1);
    } else {
        out.push(2);
        let at = out.len();
        out.resize(at + samples.len().div_ceil(8), 0);
        for (i, s) in samples.iter().enumerate() {
            if get(s).is_some() {
                out[at + i / 8] |= 1 << (i % 8);
            }
        }
    }
    let mut prev = 0i64;
    for v in samples.iter().filter_map(&get) {
        let delta = v.wrapping_sub(prev);
        put_varint(out, ((delta << 1) ^ (delta >> 63)) as u64);
        prev = v;
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| DecodeError(format!("samples end early at byte {}", self.pos)))?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(DecodeError(format!("varint too long at byte {}", self.pos)))
    }

    fn delta(&mut self, prev: &mut i64) -> Result<i64, DecodeError> {
        let z = self.varint()?;
        *prev = prev.wrapping_add(((z >> 1) as i64) ^ -((z & 1) as i64));
        Ok(*prev)
    }

    /// Reads one column, calling `set` for each sample that has a value.
    fn column(
        &mut self,
        samples: &mut [Sample],
        mut set: impl FnMut(&mut Sample, i64) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let mode = self.byte()?;
        let mut prev = 0i64;
        match mode {
            0 => Ok(()),
            1 => samples.iter_mut().try_for_each(|s| {
                let v = self.delta(&mut prev)?;
                set(s, v)
            }),
            2 => {
                let start = self.pos;
                let end = start
                    .checked_add(samples.len().div_ceil(8))
                    .filter(|&e| e <= self.bytes.len())
                    .ok_or_else(|| DecodeError("presence bitmap cut short".into()))?;
                self.pos = end;
                for (i, s) in samples.iter_mut().enumerate() {
                    if self.bytes[start + i / 8] & (1 << (i % 8)) != 0 {
                        let v = self.delta(&mut prev)?;
                        set(s, v)?;
                    }
                }
                Ok(())
            }
            other => Err(DecodeError(format!(
                "unknown column mode {other} at byte {}",
                self.pos - 1
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(t: f64) -> Sample {
        Sample {
            t,
            lat: Some(51.501_234_5),
            lon: Some(-0.141_234_5),
            alt_m: Some(12.4),
            dist_m: Some(1234.56),
            speed_mps: Some(3.123),
            hr: Some(150),
            cadence: Some(88),
            temp_c: Some(-3),
        }
    }

    fn check(samples: Vec<Sample>) {
        let bytes = encode(&samples);
        let back = decode(&bytes).expect("decodes");
        assert_eq!(back.len(), samples.len());
        for (a, b) in samples.iter().zip(&back) {
            assert!((a.t - b.t).abs() <= 0.0005, "{a:?} vs {b:?}");
            for (x, y, tol) in [
                (a.lat, b.lat, 1e-7),
                (a.lon, b.lon, 1e-7),
                (a.alt_m, b.alt_m, 0.005),
                (a.dist_m, b.dist_m, 0.005),
                (a.speed_mps, b.speed_mps, 0.0005),
            ] {
                match (x, y) {
                    (Some(x), Some(y)) if x.is_finite() => assert!((x - y).abs() <= tol),
                    (Some(_), None) | (None, None) => {}
                    other => panic!("presence changed: {other:?}"),
                }
            }
            assert_eq!((a.hr, a.cadence, a.temp_c), (b.hr, b.cadence, b.temp_c));
        }
        // Decoded values re-encode to the same bytes: the store round-trips exactly.
        assert_eq!(encode(&back), bytes);
    }

    #[test]
    fn round_trips() {
        let t0 = 1_700_000_000.0;
        check(vec![]);
        check(vec![sample(t0)]);
        check((0..1000).map(|i| sample(t0 + f64::from(i))).collect());
        check(
            (0..37)
                .map(|i| Sample {
                    hr: (i % 3 == 0).then_some(140 + i as u8),
                    lat: (i % 5 != 0).then_some(45.0 + f64::from(i) * 1e-5),
                    alt_m: Some(if i == 7 { f64::NAN } else { 1e9 }),
                    ..Sample {
                        t: t0 + f64::from(i) * 0.25,
                        ..Default::default()
                    }
                })
                .collect(),
        );
    }

    #[test]
    fn compact() {
        let samples: Vec<Sample> = (0..3600)
            .map(|i| {
                let mut s = sample(1_700_000_000.0 + f64::from(i));
                s.dist_m = Some(f64::from(i) * 3.1);
                s.lat = Some(51.5 + f64::from(i) * 2e-5);
                s
            })
            .collect();
        let bytes = encode(&samples);
        assert!(bytes.len() < 3600 * 16, "{} bytes", bytes.len());
    }

    #[test]
    fn damaged_input_is_an_error() {
        let good = encode(&(0..20).map(|i| sample(f64::from(i))).collect::<Vec<_>>());
        for cut in 0..good.len() {
            assert!(decode(&good[..cut]).is_err(), "cut at {cut}");
        }
        let mut extra = good.clone();
        extra.push(0);
        assert!(decode(&extra).is_err());
        for bad in [
            vec![9u8],
            vec![1, 0xff, 0xff, 0xff, 0xff, 0x0f],
            vec![1, 1, 7],
        ] {
            assert!(decode(&bad).is_err(), "{bad:?}");
        }
        // Every single-byte corruption either decodes or errors, never panics.
        for i in 0..good.len() {
            for x in [0u8, 0x7f, 0x80, 0xff] {
                let mut b = good.clone();
                b[i] = x;
                let _ = decode(&b);
            }
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use runsore_model::Sample;

    use super::{decode, encode};

    fn sample() -> impl Strategy<Value = Sample> {
        let f = || {
            prop_oneof![
                Just(None),
                (-1e7f64..1e7).prop_map(Some),
                Just(Some(f64::NAN))
            ]
        };
        (
            (0f64..4e9),
            (f(), f(), f()),
            (f(), f()),
            (
                any::<Option<u8>>(),
                any::<Option<u8>>(),
                any::<Option<i8>>(),
            ),
        )
            .prop_map(
                |(t, (lat, lon, alt_m), (dist_m, speed_mps), (hr, cadence, temp_c))| Sample {
                    t,
                    lat,
                    lon,
                    alt_m,
                    dist_m,
                    speed_mps,
                    hr,
                    cadence,
                    temp_c,
                },
            )
    }

    proptest! {
        // Few cases: the codec is simple and every case encodes hundreds of samples.
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn decoding_gives_back_every_sample_and_re_encodes_identically(
            samples in proptest::collection::vec(sample(), 0..300)
        ) {
            let bytes = encode(&samples);
            let back = decode(&bytes).expect("own encoding decodes");
            prop_assert_eq!(back.len(), samples.len());
            for (a, b) in samples.iter().zip(&back) {
                // Half a unit of the resolution, plus float rounding of the scaled value.
                prop_assert!((a.t - b.t).abs() <= 5e-4 + 1e-6);
                prop_assert_eq!(a.hr, b.hr);
                prop_assert_eq!(a.lat.filter(|v| v.is_finite()).is_some(), b.lat.is_some());
                if let (Some(x), Some(y)) = (a.alt_m, b.alt_m) {
                    prop_assert!((x - y).abs() <= 0.005 + 1e-6);
                }
            }
            prop_assert_eq!(encode(&back), bytes);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn a_plausible_prefix_never_panics(
            samples in proptest::collection::vec(sample(), 1..50),
            flip in any::<(usize, u8)>(),
        ) {
            let mut bytes = encode(&samples);
            let i = flip.0 % bytes.len();
            bytes[i] ^= flip.1;
            let _ = decode(&bytes);
        }
    }
}
