//! The OpenAPI 3.1 document of the JSON API, generated: the `Intake` component is the intake's
//! JSON Schema built from the model's field table (the same tree as `schema/intake.schema.json`,
//! plus runsore's `not_sure`), and every route comes from [`API_ROUTES`], which a test holds
//! against the router. The repository commits the output as `schema/openapi.json`; a test fails
//! when that file is stale.

use serde_json::{Value, json};

use runsore_model::schema::{self, Node};

/// Where the repository keeps the generated document, relative to its root.
pub const OPENAPI_PATH: &str = "schema/openapi.json";

/// Every route of the JSON API with its method: the router (`crate::app`) and this document
/// both list them, and a test checks each against the other.
pub const API_ROUTES: &[(&str, &str)] = &[
    ("/api/assess", "post"),
    ("/api/runs", "get"),
    ("/api/training", "get"),
    ("/api/checkins", "get"),
    ("/api/checkins", "post"),
    ("/api/checkins/{id}/followups", "post"),
    ("/api/import", "post"),
    ("/api/openapi.json", "get"),
];

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn json_body(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn component(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn intake_body() -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": component("Intake") } } })
}

/// The intake component: the contract's schema from the field table, its `$defs` moved under
/// the components, and runsore's one addition, `not_sure`.
fn intake_component() -> Value {
    let mut intake = schema::intake_object();
    intake.rebase_refs("#/components/schemas/");
    let mut value = intake.to_value();
    value["description"] = Value::String(format!(
        "{} The JSON Schema of contract version 2 is schema/intake.schema.json (`runsore check \
         --schema`); runsore adds `not_sure`.",
        value["description"].as_str().unwrap_or_default()
    ));
    value["properties"][runsore_model::paths::NOT_SURE] = json!({
        "description": "runsore's addition to the contract: dotted paths of the fields the \
            runner answered 'not sure'. They stay unknown and are not asked again in the same words.",
        "type": "array",
        "uniqueItems": true,
        "items": { "type": "string" }
    });
    value
}

fn defs() -> Vec<(String, Value)> {
    match schema::defs() {
        Node::Object(entries) => entries
            .into_iter()
            .map(|(name, node)| (name, node.to_value()))
            .collect(),
        _ => Vec::new(),
    }
}

fn nullable(ty: &str) -> Value {
    json!({ "type": [ty, "null"] })
}

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let triage =
        json!({ "type": "string", "enum": ["self_care", "see_doctor", "urgent", "emergency"] });
    let mut schemas = json!({
        "Error": { "type": "object", "required": ["error"], "properties": {
            "error": { "type": "string", "description": "What is wrong, in plain words" },
            "field": { "type": "string", "description": "The field at fault (dotted path), when one is" }
        }},
        "Intake": intake_component(),
        "Assessment": {
            "type": "object",
            "description": "The engine's assessment. Educational, not a diagnosis.",
            "required": ["triage", "what_to_do_now", "conditions", "questions", "red_flags", "pending_red_flags", "safety", "advice", "from_runs", "disclaimer", "knowledge_version"],
            "properties": {
                "triage": triage,
                "what_to_do_now": { "type": "string" },
                "conditions": { "type": "array", "description": "Most likely first", "items": { "type": "object", "required": ["id", "probability"], "properties": { "id": { "type": "string" }, "probability": { "type": "number", "minimum": 0, "maximum": 1 } } } },
                "questions": { "type": "array", "description": "Unanswered questions worth asking, best first; a checklist carries `fields` and `items`", "items": { "type": "object", "required": ["field", "text"], "properties": { "field": { "type": "string" }, "text": { "type": "string" }, "fields": { "type": "array", "items": { "type": "string" } }, "items": { "type": "array", "items": { "type": "string" } } } } },
                "red_flags": { "type": "array", "items": { "type": "object" } },
                "pending_red_flags": { "type": "array", "items": { "type": "object" } },
                "pending_note": { "type": "string" },
                "safety": { "type": "object" },
                "advice": { "type": "array", "items": { "type": "object" } },
                "from_runs": { "type": "array", "items": { "type": "object" } },
                "disclaimer": { "type": "string" },
                "knowledge_version": { "type": "string" }
            }
        },
        "Report": {
            "description": "What a check answers: the assessment with what the runs said, the same JSON as `runsore check --json`.",
            "allOf": [ component("Assessment"), {
                "type": "object",
                "required": ["runs_evidence"],
                "properties": {
                    "pacing": { "type": "object", "description": "How much running the next week can hold, when the likely cause is overload and runs are stored" },
                    "runs_evidence": { "type": "array", "description": "Every finding the stored runs gave, also those the runner's answers overrode", "items": { "type": "object" } }
                }
            }]
        },
        "FollowUp": {
            "description": "A follow-up: the re-assessment (its triage raised when recovery is off course) with the course compared with the expected one; when the pain is gone the episode closes. The same JSON as `runsore check --follow-up --json`.",
            "allOf": [ component("Assessment"), {
                "type": "object",
                "required": ["id", "follows", "follow_up", "closed"],
                "properties": {
                    "id": { "type": "integer" },
                    "follows": { "type": "integer" },
                    "follow_up": { "type": "object" },
                    "back_to_running": { "type": "array", "items": { "type": "string" } },
                    "triggers": { "type": "array", "items": { "type": "string" } },
                    "closed": { "type": "boolean" }
                }
            }]
        },
        "Run": { "type": "object", "required": ["id", "sport", "source"], "properties": {
            "id": { "type": "integer" }, "start_utc": nullable("integer"), "sport": { "type": "string" },
            "distance_km": nullable("number"), "duration_s": nullable("number"),
            "avg_hr": nullable("number"), "descent_m": nullable("number"), "source": { "type": "string" },
            "implausible": { "type": ["string", "null"], "description": "Why the run cannot be real; such a run is left out of the training figures and the advice" },
            "pace_s_per_km": nullable("number"), "max_hr": nullable("number"), "ascent_m": nullable("number"),
            "avg_temp_c": nullable("number"), "name": nullable("string")
        }},
        "RunPage": { "type": "object", "required": ["runs", "total", "offset", "limit"], "properties": {
            "runs": { "type": "array", "items": component("Run") },
            "total": { "type": "integer" }, "offset": { "type": "integer" }, "limit": { "type": "integer" }
        }},
        "Checkin": { "type": "object", "required": ["id", "at", "kind", "intake", "result", "followups"], "properties": {
            "id": { "type": "integer" },
            "at": { "type": "integer", "description": "Seconds since 1970 (UTC)" },
            "kind": { "type": "string" },
            "intake": component("Intake"),
            "result": {
                "description": "The assessment (or follow-up) as stored: the same shape as the answer of POST /api/assess, with the version of that shape",
                "allOf": [ component("Assessment"), { "type": "object", "required": ["version"], "properties": {
                    "version": { "type": "integer" },
                    "follow_up": { "type": "object" },
                    "follows": { "type": "integer" }
                } } ]
            },
            "story": { "type": ["string", "null"], "description": "The runner's own words, when the check-in was made from them" },
            "followups": { "type": "array", "items": { "type": "object" } }
        }},
        "Training": { "type": "object", "required": ["days", "weeks", "acwr_band", "notes"], "properties": {
            "days": { "type": "array", "items": { "type": "object" } },
            "weeks": { "type": "array", "items": { "type": "object" } },
            "acwr_band": { "type": "array", "items": { "type": "number" } },
            "acwr_withheld": nullable("string"),
            "notes": { "type": "array", "items": { "type": "string" } },
            "ends_at_latest_run": nullable("integer"),
            "report": { "type": ["object", "null"] },
            "end_day": { "type": ["integer", "null"], "description": "The last day shown, days since 1970 in local time" },
            "weeks_shown": { "type": "integer" },
            "first_run_day": { "type": ["integer", "null"], "description": "The first stored run's day, for paging back" },
            "latest_day": { "type": ["integer", "null"], "description": "The default last day, for paging forward" }
        }},
        "ImportResult": { "type": "object", "required": ["outcome", "errors"], "properties": {
            "outcome": { "type": "object" },
            "errors": { "type": "array", "items": { "type": "string" } }
        }}
    });
    for (name, def) in defs() {
        schemas[name] = def;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "runsore",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Triage of hip and glute soreness in runners, their runs and training load. Educational, not a diagnosis."
        },
        "servers": [{ "url": "/" }],
        "paths": {
            "/api/assess": { "post": {
                "summary": "Assess an intake",
                "description": "The intake follows contract version 2 (the Intake schema): every field optional, a missing field unknown, unknown fields rejected. The runner's stored runs fill fields the intake leaves unknown.",
                "requestBody": intake_body(),
                "responses": {
                    "200": json_body("The assessment", component("Report")),
                    "400": error_response("Bad JSON, an unknown field or a value out of range; `field` names it"),
                    "413": error_response("The body is larger than 64 KiB"),
                    "415": error_response("The body is not JSON")
                }
            }},
            "/api/runs": { "get": {
                "summary": "One page of the stored runs, newest first",
                "parameters": [
                    { "name": "offset", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 0, "default": 0 } },
                    { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": runsore_app::views::MAX_PAGE, "default": runsore_app::views::MAX_PAGE } }
                ],
                "responses": { "200": json_body("The runs", component("RunPage")) }
            }},
            "/api/training": { "get": {
                "summary": "The training series (daily load, fitness, fatigue, form, acute:chronic ratio; weekly distance and load) and the full load report",
                "responses": { "200": json_body("The report", component("Training")) }
            }},
            "/api/checkins": {
                "get": {
                    "summary": "List check-ins with their assessments, newest first",
                    "responses": { "200": json_body("The check-ins", json!({ "type": "object", "required": ["checkins"], "properties": { "checkins": { "type": "array", "items": component("Checkin") } } })) }
                },
                "post": {
                    "summary": "Assess an intake and store it as a check-in",
                    "requestBody": intake_body(),
                    "responses": {
                        "201": json_body("Stored", json!({ "type": "object", "required": ["id", "assessment"], "properties": { "id": { "type": "integer" }, "assessment": component("Report") } })),
                        "400": error_response("Bad JSON, an unknown field or a value out of range")
                    }
                }
            },
            "/api/checkins/{id}/followups": { "post": {
                "summary": "Follow up a check-in: how it is now (trend, pain, the danger signs again), compared with the expected course; saved against this check-in",
                "description": "The body is intake JSON with at least `trend`; the answers of the episode's last check-in are carried over except the danger signs and the pain.",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": intake_body(),
                "responses": {
                    "201": json_body("The follow-up", component("FollowUp")),
                    "400": error_response("Bad JSON, an unknown field, a value out of range, no `trend`, or the episode is closed"),
                    "404": error_response("No such check-in")
                }
            }},
            "/api/import": { "post": {
                "summary": "Import watch files (FIT, GPX, TCX, .gz) or an export archive (.zip)",
                "parameters": [{ "name": "name", "in": "query", "required": false, "schema": { "type": "string" }, "description": "The file name, when the body is the raw file" }],
                "requestBody": { "required": true, "content": {
                    "multipart/form-data": { "schema": { "type": "object", "properties": { "file": { "type": "array", "items": { "type": "string", "contentMediaType": "application/octet-stream" } } } } },
                    "application/octet-stream": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } }
                }},
                "responses": {
                    "200": json_body("What was imported, and every file that could not be", component("ImportResult")),
                    "400": error_response("No file could be read; the message names the file and what is wrong"),
                    "413": error_response("The upload is larger than the limit")
                }
            }},
            "/api/openapi.json": { "get": {
                "summary": "This document",
                "responses": { "200": json_body("The OpenAPI document", json!({ "type": "object" })) }
            }}
        },
        "components": { "schemas": schemas }
    })
}

/// The document as the committed file holds it: pretty JSON with a final newline.
pub fn document_text() -> String {
    let mut text = serde_json::to_string_pretty(&document()).expect("the document serialises");
    text.push('\n');
    text
}
