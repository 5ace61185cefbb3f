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
    let mut out = Vec::with_capacity(16 + n * 14);
    out.push(VERSION);
    put_varint(&mut out, n as u64);
    // Time is never missing; a non-finite time is stored as 0 rather than dropping the sample,
    // which would shift every other column.
    let t: Vec<Option<i64>> = samples
        .iter()
        .map(|s| Some(quantize(s.t, T_SCALE).unwrap_or(0)))
        .collect();
    put_column(&mut out, &t);
    let cols: [fn(&Sample) -> Option<i64>; 8] = [
        |s| s.lat.and_then(|v| quantize(v, DEG_SCALE)),
        |s| s.lon.and_then(|v| quantize(v, DEG_SCALE)),
        |s| s.alt_m.and_then(|v| quantize(v, CM_SCALE)),
        |s| s.dist_m.and_then(|v| quantize(v, CM_SCALE)),
        |s| s.speed_mps.and_then(|v| quantize(v, SPEED_SCALE)),
        |s| s.hr.map(i64::from),
        |s| s.cadence.map(i64::from),
        |s| s.temp_c.map(i64::from),
    ];
    let mut col = Vec::with_capacity(n);
    for f in cols {
        col.clear();
        col.extend(samples.iter().map(f));
        put_column(&mut out, &col);
    }
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
    let n = n as usize;
    let mut samples = vec![Sample::default(); n];
    let t = r.column(n)?;
    for (s, v) in samples.iter_mut().zip(t) {
        s.t = v.map_or(0.0, |v| v as f64 / T_SCALE);
    }
    let lat = r.column(n)?;
    let lon = r.column(n)?;
    let alt = r.column(n)?;
    let dist = r.column(n)?;
    let speed = r.column(n)?;
    let hr = r.column(n)?;
    let cad = r.column(n)?;
    let temp = r.column(n)?;
    for (i, s) in samples.iter_mut().enumerate() {
        s.lat = lat[i].map(|v| v as f64 / DEG_SCALE);
        s.lon = lon[i].map(|v| v as f64 / DEG_SCALE);
        s.alt_m = alt[i].map(|v| v as f64 / CM_SCALE);
        s.dist_m = dist[i].map(|v| v as f64 / CM_SCALE);
        s.speed_mps = speed[i].map(|v| v as f64 / SPEED_SCALE);
        s.hr = hr[i].map(|v| narrow(v, "heart rate")).transpose()?;
        s.cadence = cad[i].map(|v| narrow(v, "cadence")).transpose()?;
        s.temp_c = temp[i].map(|v| narrow(v, "temperature")).transpose()?;
    }
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

/// Rounds to the column's resolution; `None` for values that are not finite.
fn quantize(v: f64, scale: f64) -> Option<i64> {
    // `as` saturates for huge values, so an absurd altitude cannot overflow.
    v.is_finite().then(|| (v * scale).round() as i64)
}

fn put_column(out: &mut Vec<u8>, values: &[Option<i64>]) {
    let present = values.iter().filter(|v| v.is_some()).count();
    if present == 0 {
        out.push(0);
        return;
    }
    if present == values.len() {
        out.push(1);
    } else {
        out.push(2);
        let mut bitmap = vec![0u8; values.len().div_ceil(8)];
        for (i, v) in values.iter().enumerate() {
            if v.is_some() {
                bitmap[i / 8] |= 1 << (i % 8);
            }
        }
        out.extend_from_slice(&bitmap);
    }
    let mut prev = 0i64;
    for v in values.iter().flatten() {
        let delta = v.wrapping_sub(prev);
        put_varint(out, ((delta << 1) ^ (delta >> 63)) as u64);
        prev = *v;
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

    fn column(&mut self, n: usize) -> Result<Vec<Option<i64>>, DecodeError> {
        let mode = self.byte()?;
        let present: Vec<bool> = match mode {
            0 => return Ok(vec![None; n]),
            1 => vec![true; n],
            2 => {
                let len = n.div_ceil(8);
                let end = self.pos.checked_add(len).filter(|&e| e <= self.bytes.len());
                let end = end.ok_or_else(|| DecodeError("presence bitmap cut short".into()))?;
                let bitmap = &self.bytes[self.pos..end];
                self.pos = end;
                (0..n)
                    .map(|i| bitmap[i / 8] & (1 << (i % 8)) != 0)
                    .collect()
            }
            other => {
                return Err(DecodeError(format!(
                    "unknown column mode {other} at byte {}",
                    self.pos - 1
                )));
            }
        };
        let mut prev = 0i64;
        let mut out = Vec::with_capacity(n);
        for p in present {
            if p {
                let z = self.varint()?;
                let delta = ((z >> 1) as i64) ^ -((z & 1) as i64);
                prev = prev.wrapping_add(delta);
                out.push(Some(prev));
            } else {
                out.push(None);
            }
        }
        Ok(out)
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
