//! Compact JSON of an assessment with the knowledge base's own condition information written
//! once: a condition's summary, care plan, course and sources are the same text in every answer
//! (some 9 KB of the 21 KB an answer takes), which serde_json escaped and formatted again for
//! each one. Under [`to_json_writer`] (compact output, as the web API answers), the advice of an
//! unchanged condition of the embedded knowledge base is written from that JSON, kept as raw
//! values; anything else (a plan changed for this runner, another knowledge base, pretty output,
//! any other serializer) is serialised field by field. The bytes are the same (tests below).

use std::cell::Cell;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;

use crate::assess::Advice;
use crate::kb::ConditionInfo;
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
    }
}
