//! Shared helpers of the GPX and TCX readers: tolerant input preparation and text collection.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::BytesRef;

/// Makes XML bytes readable by a strict parser without changing their meaning: drops a UTF-8 BOM
/// and leading whitespace (Strava's TCX exports put spaces before `<?xml`, which XML forbids),
/// and replaces invalid UTF-8 (some apps write Latin-1 names) rather than rejecting the file.
pub fn prepare(bytes: &[u8]) -> Cow<'_, str> {
    let mut b = bytes;
    if let Some(rest) = b.strip_prefix(b"\xEF\xBB\xBF") {
        b = rest;
    }
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let b = &b[start..];
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(String::from_utf8_lossy(b).into_owned()),
    }
}

/// A reader set up for activity files: it does not insist that end names match (some writers
/// get them wrong) and never expands entities beyond XML's five and character references.
pub fn reader(text: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(text);
    let c = r.config_mut();
    c.check_end_names = false;
    c.check_comments = false;
    r
}

/// Appends the text an entity or character reference stands for; unknown entities are dropped.
pub fn push_ref(buf: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        buf.push(c);
        return;
    }
    match r.as_ref() {
        "amp" => buf.push('&'),
        "lt" => buf.push('<'),
        "gt" => buf.push('>'),
        "quot" => buf.push('"'),
        "apos" => buf.push('\''),
        _ => {}
    }
}

/// Parses a number, tolerating surrounding whitespace.
pub fn num(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A number within `bound`, or `None`: an elevation of 1e308 is not recorded, not infinite.
pub fn bounded(s: &str, bound: runsore_model::Bound) -> Option<f64> {
    num(s).and_then(|v| bound.keep(v))
}

/// A heart rate within [`runsore_model::bounds::HEART_RATE`]: 1e9 is not a heart rate, and was
/// once stored as 255.
pub fn heart_rate(s: &str) -> Option<u8> {
    bounded(s, runsore_model::bounds::HEART_RATE).map(|v| v.round() as u8)
}

/// A byte value (heart rate, cadence) from a decimal number, rounded and clamped to 0..=255.
pub fn byte(s: &str) -> Option<u8> {
    num(s)
        .filter(|v| *v >= 0.0)
        .map(|v| v.round().min(255.0) as u8)
}
