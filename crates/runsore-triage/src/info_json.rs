//! Compact JSON of an assessment with the knowledge base's own text written once: a condition's
//! summary, care plan, course and sources are the same text in every answer (some 9 KB of the
//! 21 KB an answer takes), which serde_json escaped and formatted again for each one; so is each
//! reason (a finding's effect on a condition, as the runner's own answer) and each unexplained
//! condition (under 0.5 %, no reasons: most of the twenty), which `sonic-rs` wrote key by key.
//! Under [`to_json_writer`] (compact output, as the web API answers), the advice of an
//! unchanged condition of the embedded knowledge base is written from that JSON, kept as raw
//! values, and a reason or an unexplained condition from JSON kept in the knowledge base it came
//! from (written the first time an assessment lists it); anything else (a plan changed for this
//! runner, an answer read from the runs, fields changed after the assessment, pretty output, any
//! other serializer) is serialised field by field. The bytes are the same (tests below).

use std::cell::Cell;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;

use crate::assess::{Advice, Origin, RankedCondition, Reason};
use crate::kb::ConditionInfo;
use crate::kb::Triage;
use crate::shared::{Shared, Text};

/// One condition's information as JSON: each field's key and value (kept as written, for
/// `sonic-rs` to copy), in the order serialised.
type Fields = Vec<(String, sonic_rs::OwnedLazyValue)>;

/// Per condition of the embedded knowledge base: its information's address and its JSON.
fn table() -> Option<&'static [(usize, Fields)]> {
    static TABLE: OnceLock<Vec<(usize, Fields)>> = OnceLock::new();
    let kb = crate::embedded_if_loaded()?;
    Some(TABLE.get_or_init(|| {
        kb.compiled
            .text
            .condition_info
            .iter()
            .filter_map(|info| Some((address(info), fields(info)?)))
            .collect()
    }))
}

fn address(info: &Shared<ConditionInfo>) -> usize {
    Arc::as_ptr(&info.0) as usize
}

/// The information's own serialisation, split into its fields (`None` should it not be an
/// object, which it always is: then the advice is serialised field by field).
fn fields(info: &ConditionInfo) -> Option<Fields> {
    struct Ordered;
    impl<'de> Visitor<'de> for Ordered {
        type Value = Fields;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
            let mut out = Vec::new();
            while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                let value = sonic_rs::from_str(value.get()).map_err(serde::de::Error::custom)?;
                out.push((key, value));
            }
            Ok(out)
        }
    }
    let json = serde_json::to_string(info).ok()?;
    serde_json::Deserializer::from_str(&json)
        .deserialize_map(Ordered)
        .ok()
}

/// The kept JSON of `info` when it is an unchanged condition of the embedded knowledge base.
fn kept(info: &Shared<ConditionInfo>) -> Option<&'static Fields> {
    let at = address(info);
    table()?.iter().find(|(a, _)| *a == at).map(|(_, f)| f)
}

thread_local! {
    /// Set while [`to_json_vec`] writes (with `sonic-rs`, the serializer that copies a kept
    /// value as written; another would write it as an object): the kept JSON may be used.
    static COMPACT: Cell<bool> = const { Cell::new(false) };
}

/// `serde_json::to_writer` (compact JSON), the same bytes, written by `sonic-rs` (which scans
/// strings for escapes with SIMD: `serde_json` took some 190,000 instructions to write a worked
/// case's answer, `sonic-rs` 120,000, see `benches/json.rs`), with the advice's condition
/// information copied from JSON written once where it is the knowledge base's own.
///
/// # Errors
/// As `serde_json::to_writer`: the writer's errors, and what the value's `Serialize` fails with.
pub fn to_json_writer<W: std::io::Write, T: Serialize + ?Sized>(
    mut out: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut json = Vec::with_capacity(32 * 1024);
    to_json_vec(&mut json, value)?;
    out.write_all(&json).map_err(serde_json::Error::io)
}

/// [`to_json_writer`] appending to a buffer (without the copy a writer needs).
///
/// # Errors
/// What the value's `Serialize` fails with.
pub fn to_json_vec<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    /// Puts the flag back as it was, whatever happens while writing.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            COMPACT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(COMPACT.with(|c| c.replace(true)));
    sonic_rs::to_writer(out, value).map_err(serde::ser::Error::custom)
}

/// The advice as the derived form writes it: its fields, then the information's flattened in.
#[derive(Serialize)]
struct Derived<'a> {
    probability: f64,
    severity: &'a [Text],
    not_running_soreness: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    care_deferred: &'a Option<Text>,
    #[serde(flatten)]
    info: &'a ConditionInfo,
}

impl Serialize for Advice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = if COMPACT.with(Cell::get) {
            kept(&self.info)
        } else {
            None
        };
        let Some(fields) = fields else {
            return Derived {
                probability: self.probability,
                severity: &self.severity,
                not_running_soreness: self.not_running_soreness,
                care_deferred: &self.care_deferred,
                info: &self.info,
            }
            .serialize(serializer);
        };
        // A struct with a flattened field is written as a map of unknown length: the same here.
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("probability", &self.probability)?;
        map.serialize_entry("severity", &self.severity)?;
        map.serialize_entry("not_running_soreness", &self.not_running_soreness)?;
        if let Some(deferred) = &self.care_deferred {
            map.serialize_entry("care_deferred", deferred)?;
        }
        for (key, value) in fields {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// An item's JSON written once per knowledge base, with the item it was written from: an
/// assessment lists a few dozen reasons (nine keys and values each) and some twenty conditions,
/// most of them unexplained, that `sonic-rs` would otherwise escape and format again for every
/// answer (a third of the instructions of writing one).
#[derive(Debug, Clone)]
pub(crate) struct Kept<T>(Arc<(T, sonic_rs::OwnedLazyValue)>);

/// Kept JSON is a function of the item's other fields: it never makes two items differ.
impl<T> PartialEq for Kept<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A reason's kept JSON.
pub(crate) type KeptReason = Kept<Reason>;
/// An unexplained condition's kept JSON.
pub(crate) type KeptCondition = Kept<RankedCondition>;

/// Keeps `fields`' JSON beside a copy of `item` without its own kept JSON (`unkept`); `None`
/// should it not be written, which it always is (then the item is serialised field by field).
fn keep<T: Clone>(
    item: &T,
    fields: impl Serialize,
    unkept: impl FnOnce(&mut T),
) -> Option<Kept<T>> {
    let json = serde_json::to_string(&fields).ok()?;
    let value = sonic_rs::from_str(&json).ok()?;
    let mut of = item.clone();
    unkept(&mut of);
    Some(Kept(Arc::new((of, value))))
}

/// The JSON of `reason` (the runner's own answer) to keep.
pub(crate) fn keep_reason(reason: &Reason) -> Option<KeptReason> {
    keep(reason, ReasonFields::of(reason), |r| r.kept = None)
}

/// The reason as the derived form writes it.
#[derive(Serialize)]
struct ReasonFields<'a> {
    finding: &'a Text,
    text: &'a Text,
    field: &'a Text,
    likelihood_ratio: f64,
    effect: f64,
    from: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    because: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a Text>,
    estimate: bool,
}

impl<'a> ReasonFields<'a> {
    fn of(r: &'a Reason) -> Self {
        ReasonFields {
            finding: &r.finding,
            text: &r.text,
            field: &r.field,
            likelihood_ratio: r.likelihood_ratio,
            effect: r.effect,
            from: r.from,
            because: r.because.as_ref(),
            source: r.source.as_ref(),
            estimate: r.estimate,
        }
    }
}

/// True when `a` and `b` have the same public fields (the texts compared by address first, so
/// for a kept reason some ten comparisons).
fn same_reason(a: &Reason, b: &Reason) -> bool {
    a.finding == b.finding
        && a.text == b.text
        && a.field == b.field
        && a.likelihood_ratio.to_bits() == b.likelihood_ratio.to_bits()
        && a.effect.to_bits() == b.effect.to_bits()
        && a.from == b.from
        && a.because == b.because
        && a.source == b.source
        && a.estimate == b.estimate
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The kept JSON only while writing with `sonic-rs` (which copies it as written), and
        // only for the reason it was written from (the fields are public: a caller may have
        // changed them since).
        if COMPACT.with(Cell::get)
            && let Some(Kept(kept)) = &self.kept
            && same_reason(&kept.0, self)
        {
            return kept.1.serialize(serializer);
        }
        ReasonFields::of(self).serialize(serializer)
    }
}

/// The JSON of `condition` (without reasons) to keep.
pub(crate) fn keep_condition(condition: &RankedCondition) -> Option<KeptCondition> {
    keep(condition, ConditionFields::of(condition), |c| c.kept = None)
}

/// The condition as the derived form writes it.
#[derive(Serialize)]
struct ConditionFields<'a> {
    id: &'a Text,
    name: &'a Text,
    probability: f64,
    triage: Triage,
    #[serde(rename = "for")]
    for_: &'a [Reason],
    against: &'a [Reason],
}

impl<'a> ConditionFields<'a> {
    fn of(c: &'a RankedCondition) -> Self {
        ConditionFields {
            id: &c.id,
            name: &c.name,
            probability: c.probability,
            triage: c.triage,
            for_: &c.for_,
            against: &c.against,
        }
    }
}

impl Serialize for RankedCondition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // As for a reason: the kept JSON only with `sonic-rs`, and only for the same fields.
        if COMPACT.with(Cell::get)
            && let Some(Kept(kept)) = &self.kept
            && kept.0.id == self.id
            && kept.0.name == self.name
            && kept.0.probability.to_bits() == self.probability.to_bits()
            && kept.0.triage == self.triage
            && self.for_.is_empty()
            && self.against.is_empty()
        {
            return kept.1.serialize(serializer);
        }
        ConditionFields::of(self).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runsore_model::DerivedEvidence;

    /// Every condition of the embedded knowledge base has its JSON kept.
    #[test]
    fn every_condition_is_kept() {
        let kb = crate::knowledge();
        let table = table().expect("loaded");
        assert_eq!(table.len(), kb.conditions.len());
        for info in &kb.compiled.text.condition_info {
            assert!(kept(info).is_some());
        }
    }

    /// The assessments of the worked cases (and with a store's findings): `to_json_writer` gives
    /// the bytes `serde_json::to_writer` gives, having used the kept JSON; pretty output and JSON
    /// values never use it.
    #[test]
    fn kept_json_is_the_derived_json() {
        let kb = crate::knowledge();
        let cases: serde_json::Value =
            serde_json::from_str(include_str!("../tests/data/vignettes.json")).expect("JSON");
        let runs: DerivedEvidence = serde_json::from_value(serde_json::json!({"findings": [
            {"field": "hours_since_run", "value": 20.5, "because": "your run \"ended\" 20 hours ago", "run_id": 198},
            {"field": "run.downhill", "value": true, "because": "descended 405 m", "run_id": 198}
        ]}))
        .expect("derived");
        let (mut kept_advice, mut changed_advice) = (0, 0);
        // [written field by field, from kept JSON]
        let (mut kept_conditions, mut kept_reasons) = ([0, 0], [0, 0]);
        for case in cases.as_array().expect("list") {
            let intake = crate::parse_intake(&case["intake"].to_string()).expect("valid");
            for derived in [DerivedEvidence::default(), runs.clone()] {
                let a = crate::assess(kb, &intake, &derived);
                for advice in &a.advice {
                    if kept(&advice.info).is_some() {
                        kept_advice += 1;
                    } else {
                        changed_advice += 1;
                    }
                }
                for c in &a.conditions {
                    kept_conditions[usize::from(c.kept.is_some())] += 1;
                    for r in c.for_.iter().chain(&c.against) {
                        kept_reasons[usize::from(r.kept.is_some())] += 1;
                    }
                }
                let mut fast = Vec::new();
                to_json_writer(&mut fast, &a).expect("JSON");
                assert_eq!(
                    String::from_utf8(fast).expect("UTF-8"),
                    serde_json::to_string(&a).expect("JSON")
                );
                // Outside `to_json_writer`, the derived form: pretty output stays pretty.
                let pretty = serde_json::to_string_pretty(&a).expect("JSON");
                assert!(!pretty.contains("\"care\": [{"), "{pretty}");
            }
        }
        assert!(
            kept_advice > 150 && changed_advice > 0,
            "{kept_advice} {changed_advice}"
        );
        // Both forms of a reason (the runs' answers are not kept) and of a condition met.
        assert!(
            kept_conditions[0] > 100 && kept_conditions[1] > 1000,
            "{kept_conditions:?}"
        );
        assert!(
            kept_reasons[0] > 50 && kept_reasons[1] > 1000,
            "{kept_reasons:?}"
        );
    }

    /// A reason or an unexplained condition whose public fields were changed after the
    /// assessment is written as it is now, not from the JSON kept for it.
    #[test]
    fn changed_fields_are_not_written_from_kept_json() {
        let kb = crate::knowledge();
        let intake =
            crate::parse_intake(r#"{"where":["buttock"],"onset":"next_day","swelling":false}"#)
                .expect("valid");
        let mut a = crate::assess(kb, &intake, &DerivedEvidence::default());
        let reason = a
            .conditions
            .iter_mut()
            .flat_map(|c| c.for_.iter_mut().chain(c.against.iter_mut()))
            .find(|r| r.kept.is_some())
            .expect("a kept reason");
        reason.text = "changed after".into();
        let condition = a
            .conditions
            .iter_mut()
            .find(|c| c.kept.is_some())
            .expect("a kept condition");
        condition.name = "renamed after".into();
        let mut fast = Vec::new();
        to_json_writer(&mut fast, &a).expect("JSON");
        let fast = String::from_utf8(fast).expect("UTF-8");
        assert_eq!(fast, serde_json::to_string(&a).expect("JSON"));
        assert!(fast.contains("\"changed after\"") && fast.contains("\"renamed after\""));
    }
}
