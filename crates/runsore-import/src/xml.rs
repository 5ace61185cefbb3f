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

/// What the GPX and TCX readers tell [`read_events`] about themselves; the event loop, the
/// error recovery and the limits are the same for both formats, so they are written once.
pub trait Handler {
    /// An element opened (an empty element is opened, then closed).
    fn start(&mut self, e: &quick_xml::events::BytesStart<'_>);
    /// The innermost open element closed.
    fn end(&mut self);
    /// The buffer for the open element's text, or `None` when the reader does not keep it: the
    /// whitespace between elements, a large share of these files, is then never copied.
    fn text(&mut self) -> Option<&mut String>;
    /// Whether the format's root element has been seen.
    fn root_seen(&self) -> bool;
    /// How many elements are open.
    fn depth(&self) -> usize;
    /// Points read so far, against [`crate::MAX_SAMPLES`].
    fn samples(&self) -> usize;
    /// Marks the result as partial, with why.
    fn keep_partial(&mut self, warning: String);
}

/// Implements [`Handler`] for a reader's state, which has the same parts in both formats: `out`
/// (the [`crate::gpx::Parsed`] result), `stack` (the open elements), `text`, `samples`, and
/// `start`, `end` and `wants_text` methods of its own.
macro_rules! handler_for {
    ($state:ty) => {
        impl $crate::xml::Handler for $state {
            fn start(&mut self, e: &quick_xml::events::BytesStart<'_>) {
                <$state>::start(self, e);
            }
            fn end(&mut self) {
                <$state>::end(self);
            }
            fn text(&mut self) -> Option<&mut String> {
                self.wants_text().then_some(&mut self.text)
            }
            fn root_seen(&self) -> bool {
                self.out.root_seen
            }
            fn depth(&self) -> usize {
                self.stack.len()
            }
            fn samples(&self) -> usize {
                self.samples
            }
            fn keep_partial(&mut self, warning: String) {
                self.out.partial = true;
                self.out.warnings.push(warning);
            }
        }
    };
}
pub(crate) use handler_for;

/// The words a format's errors and warnings use.
pub struct Format {
    /// "GPX" or "TCX".
    pub name: &'static str,
    /// The root element as written in messages, e.g. `<gpx>`.
    pub root: &'static str,
    /// What the reader keeps, e.g. "points".
    pub points: &'static str,
}

/// Feeds every event of `text` to `h`. A file that breaks off (an XML error, or the end inside an
/// open element) keeps what came before, marked partial; a file whose root never appears, or that
/// holds more points than any run has, is refused with a message that says so.
pub fn read_events(text: &str, h: &mut impl Handler, f: &Format) -> Result<(), String> {
    use quick_xml::events::Event;
    let tag = f.name.to_ascii_lowercase();
    let mut r = reader(text);
    let mut broke_off = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => h.start(&e),
            Ok(Event::Empty(e)) => {
                h.start(&e);
                h.end();
            }
            Ok(Event::End(_)) => h.end(),
            Ok(Event::Text(t)) => {
                if let Some(buf) = h.text() {
                    buf.push_str(&t);
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(buf) = h.text() {
                    buf.push_str(&t.into_inner());
                }
            }
            Ok(Event::GeneralRef(g)) => {
                if let Some(buf) = h.text() {
                    push_ref(buf, &g);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                let at = r.error_position();
                if !h.root_seen() {
                    return Err(format!(
                        "not a {} file: xml error at byte {at}: {e}",
                        f.name
                    ));
                }
                h.keep_partial(format!(
                    "{tag}: xml error at byte {at}: {e}; kept the {} before it",
                    f.points
                ));
                broke_off = true;
                break;
            }
        }
        if h.samples() > crate::MAX_SAMPLES {
            return Err(crate::too_many_samples());
        }
        if !h.root_seen() && h.depth() > 0 {
            return Err(format!(
                "not a {} file: the first element is not {}",
                f.name, f.root
            ));
        }
    }
    if !h.root_seen() {
        return Err(format!("not a {} file: no {} element", f.name, f.root));
    }
    // Close whatever a file cut short left open, so its last point (and a TCX activity's laps)
    // still count.
    if h.depth() > 0 && !broke_off {
        h.keep_partial(format!(
            "{tag}: the file ends inside an open element (cut short?); kept the {} before the end",
            f.points
        ));
    }
    while h.depth() > 0 {
        h.end();
    }
    Ok(())
}
