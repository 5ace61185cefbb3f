//! The intake's JSON Schema (contract version 2), generated from [`FIELDS`]: every property, its
//! kind, values, description and range come from the field table, so the schema cannot drift from
//! what the parser accepts. The repository commits the output as `schema/intake.schema.json`, and
//! a test fails when that file is stale or differs from the contract's own copy.
//!
//! The schema is built as an ordered tree ([`Node`]) so the committed file lists the fields in the
//! contract's order, not alphabetically as `serde_json::Value` would.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::fields::{AnswerKind, FIELDS, FieldMeta};

/// The contract's identifier of this version of the schema.
pub const SCHEMA_ID: &str = "runsore/intake/v2";

/// Where the repository keeps the generated schema, relative to its root.
pub const SCHEMA_PATH: &str = "schema/intake.schema.json";

const TITLE: &str = "Soreness intake, version 2";
const DESCRIPTION: &str = "What a runner reports about hip or glute soreness. Every field is \
    optional. A missing field means 'unknown / not asked', never 'no'. Unknown fields are an error.";

/// The nested objects of the intake and their descriptions (empty when the name says it all).
const GROUPS: &[(&str, &str)] = &[("run", "The run before the pain began."), ("training", "")];

/// The one any-of field that must name at least one value: a pain is somewhere. The parser's
/// [`crate::Intake::validate`] refuses an empty list for the same field.
const NON_EMPTY: &str = "where";

/// A JSON value whose objects keep their keys in the order they were built.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// A number; whole numbers are written without a fraction (`0`, not `0.0`).
    Num(f64),
    /// An array.
    List(Vec<Node>),
    /// An object, keys in order.
    Object(Vec<(String, Node)>),
}

impl Node {
    fn object() -> Self {
        Node::Object(Vec::new())
    }

    /// Adds a key (for objects; other nodes are left as they are).
    pub fn with(mut self, key: &str, value: impl Into<Node>) -> Self {
        if let Node::Object(entries) = &mut self {
            entries.push((key.to_string(), value.into()));
        }
        self
    }

    /// The value at `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The same tree as a `serde_json::Value` (keys sorted), for comparing with parsed JSON.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a schema tree always serialises")
    }

    /// The tree as pretty-printed JSON with a final newline: the committed file's exact text.
    pub fn to_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a schema tree always serialises");
        text.push('\n');
        text
    }

    /// Replaces every `$ref` that points into this schema's `$defs` so that it points under
    /// `prefix` instead: an OpenAPI document keeps the definitions in `#/components/schemas/`.
    pub fn rebase_refs(&mut self, prefix: &str) {
        match self {
            Node::Object(entries) => {
                for (key, value) in entries {
                    match value {
                        Node::Str(target) if key == "$ref" => {
                            if let Some(name) = target.strip_prefix("#/$defs/") {
                                *target = format!("{prefix}{name}");
                            }
                        }
                        other => other.rebase_refs(prefix),
                    }
                }
            }
            Node::List(items) => items.iter_mut().for_each(|i| i.rebase_refs(prefix)),
            _ => {}
        }
    }
}

impl From<&str> for Node {
    fn from(s: &str) -> Self {
        Node::Str(s.to_string())
    }
}

impl From<bool> for Node {
    fn from(b: bool) -> Self {
        Node::Bool(b)
    }
}

impl From<f64> for Node {
    fn from(n: f64) -> Self {
        Node::Num(n)
    }
}

impl From<Vec<Node>> for Node {
    fn from(items: Vec<Node>) -> Self {
        Node::List(items)
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Str(v) => s.serialize_str(v),
            Node::Bool(v) => s.serialize_bool(*v),
            // The bounds are small whole numbers or plain decimals: exact in both forms.
            Node::Num(v) if v.fract() == 0.0 && v.abs() < 1e15 => s.serialize_i64(*v as i64),
            Node::Num(v) => s.serialize_f64(*v),
            Node::List(items) => items.serialize(s),
            Node::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// The range the contract states for a number: a closed scale (an integer: age, pain) has both
/// ends; a quantity of time or distance has its floor of 0 and no ceiling. runsore's own wider
/// limits on what is plausible ([`crate::bounds`]) are checked by the parser and named in its
/// errors; they are not part of the contract.
fn contract_range(meta: &FieldMeta) -> (Option<f64>, Option<f64>) {
    let Some(bound) = meta.bound else {
        return (None, None);
    };
    match meta.kind {
        AnswerKind::Integer => (Some(bound.min), Some(bound.max)),
        _ if bound.min == 0.0 => (Some(0.0), None),
        _ => (None, None),
    }
}

fn enum_of(meta: &FieldMeta) -> Node {
    Node::List(meta.values().map(Node::from).collect())
}

/// The schema of one field.
fn property(meta: &FieldMeta) -> Node {
    let mut node = Node::object();
    if !meta.help.is_empty() {
        node = node.with("description", meta.help);
    }
    match meta.kind {
        AnswerKind::YesNo => node.with("$ref", "#/$defs/yes_no"),
        AnswerKind::OneOf => node.with("enum", enum_of(meta)),
        AnswerKind::AnyOf => {
            node = node.with("type", "array").with("uniqueItems", true);
            if meta.path == NON_EMPTY {
                node = node.with("minItems", 1.0);
            }
            node.with("items", Node::object().with("enum", enum_of(meta)))
        }
        AnswerKind::Integer | AnswerKind::Number => {
            let ty = if meta.kind == AnswerKind::Integer {
                "integer"
            } else {
                "number"
            };
            node = node.with("type", ty);
            let (min, max) = contract_range(meta);
            if let Some(min) = min {
                node = node.with("minimum", min);
            }
            if let Some(max) = max {
                node = node.with("maximum", max);
            }
            node
        }
    }
}

/// The properties of the intake object (or of one of its nested objects): the fields in
/// [`FIELDS`] order, each nested object where its first field appears.
fn properties() -> Node {
    let mut top: Vec<(String, Node)> = Vec::new();
    for meta in FIELDS {
        match meta.path.split_once('.') {
            None => top.push((meta.path.to_string(), property(meta))),
            Some((group, name)) => {
                let at = match top.iter().position(|(k, _)| k == group) {
                    Some(at) => at,
                    None => {
                        let description = GROUPS
                            .iter()
                            .find(|(g, _)| *g == group)
                            .map_or("", |(_, d)| *d);
                        let mut node = Node::object();
                        if !description.is_empty() {
                            node = node.with("description", description);
                        }
                        let node = node
                            .with("type", "object")
                            .with("additionalProperties", false)
                            .with("properties", Node::object());
                        top.push((group.to_string(), node));
                        top.len() - 1
                    }
                };
                if let Node::Object(entries) = &mut top[at].1
                    && let Some((_, Node::Object(props))) =
                        entries.iter_mut().find(|(k, _)| k == "properties")
                {
                    props.push((name.to_string(), property(meta)));
                }
            }
        }
    }
    Node::Object(top)
}

/// The definitions the properties refer to.
pub fn defs() -> Node {
    Node::object().with("yes_no", Node::object().with("type", "boolean"))
}

/// The intake object's schema without the document's own keys (`$schema`, `$id`, `$defs`): what
/// an OpenAPI document embeds as a component.
pub fn intake_object() -> Node {
    Node::object()
        .with("title", TITLE)
        .with("description", DESCRIPTION)
        .with("type", "object")
        .with("additionalProperties", false)
        .with("properties", properties())
}

/// The whole JSON Schema document of the intake, contract version 2.
pub fn intake_schema() -> Node {
    let Node::Object(body) = intake_object() else {
        unreachable!("intake_object builds an object")
    };
    let mut doc = Node::object()
        .with("$schema", "https://json-schema.org/draft/2020-12/schema")
        .with("$id", SCHEMA_ID);
    if let Node::Object(entries) = &mut doc {
        entries.extend(body);
    }
    doc.with("$defs", defs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_have_no_fraction() {
        let n = Node::object().with("a", 0.0).with("b", 2.5);
        assert_eq!(serde_json::to_string(&n).unwrap(), r#"{"a":0,"b":2.5}"#);
    }

    #[test]
    fn refs_rebase_under_a_prefix() {
        let mut n = Node::object().with(
            "items",
            Node::List(vec![Node::object().with("$ref", "#/$defs/yes_no")]),
        );
        n.rebase_refs("#/components/schemas/");
        assert_eq!(
            serde_json::to_string(&n).unwrap(),
            r##"{"items":[{"$ref":"#/components/schemas/yes_no"}]}"##
        );
    }

    #[test]
    fn every_field_is_a_property() {
        let schema = intake_schema();
        let props = schema.get("properties").unwrap();
        for meta in FIELDS {
            let found = match meta.path.split_once('.') {
                None => props.get(meta.path),
                Some((g, n)) => props
                    .get(g)
                    .and_then(|g| g.get("properties"))
                    .and_then(|p| p.get(n)),
            };
            assert!(found.is_some(), "{} missing", meta.path);
        }
    }
}
