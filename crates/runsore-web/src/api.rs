//! The JSON API under `/api`, and its OpenAPI document. Errors are `{error, field}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::backend::BackendError;
use crate::error::{ApiError, AppError};
use crate::pages::{Upload, import_all, read_uploads};

fn internal(e: BackendError) -> ApiError {
    ApiError(e.into())
}

fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if ok {
        Ok(())
    } else {
        Err(ApiError(AppError::Unsupported(
            "send the body as JSON with Content-Type: application/json".into(),
        )))
    }
}

fn read_intake(state: &AppState, body: &[u8]) -> Result<runsore_model::Intake, ApiError> {
    let text =
        std::str::from_utf8(body).map_err(|_| AppError::bad("the body is not UTF-8 text"))?;
    state
        .backend()
        .parse_intake(text)
        .map_err(|(field, message)| ApiError(AppError::BadInput { field, message }))
}

/// `POST /api/assess`: an intake in, the engine's assessment out.
pub async fn assess(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let intake = read_intake(&state, &body)?;
    let assessment = state
        .blocking(move |b| b.assess_raw(intake))
        .await
        .map_err(internal)?;
    // An assessment is some 30 KB of JSON: one allocation of about that size instead of the
    // dozen doublings `Json` would go through from its small default.
    let mut out = Vec::with_capacity(32 * 1024);
    serde_json::to_writer(&mut out, &assessment).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], out).into_response())
}

/// The page of runs asked for.
#[derive(Deserialize)]
pub struct RunsQuery {
    offset: Option<usize>,
    limit: Option<usize>,
}

/// `GET /api/runs?offset=&limit=`: one page of the stored runs, newest first.
pub async fn runs(
    State(state): State<AppState>,
    Query(q): Query<RunsQuery>,
) -> Result<Response, ApiError> {
    let offset = q.offset.unwrap_or(0);
    let limit = q.limit.unwrap_or(runsore_app::views::MAX_PAGE);
    let page = state
        .blocking(move |b| b.runs(offset, limit))
        .await
        .map_err(internal)?;
    Ok(Json(page).into_response())
}

/// `GET /api/training`.
pub async fn training(State(state): State<AppState>) -> Result<Response, ApiError> {
    let t = state.blocking(|b| b.training()).await.map_err(internal)?;
    Ok(Json(&*t).into_response())
}

/// `GET /api/checkins`.
pub async fn checkins(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list = state.blocking(|b| b.checkins()).await.map_err(internal)?;
    Ok(Json(json!({ "checkins": list })).into_response())
}

/// `POST /api/checkins`: assesses an intake and stores it as a check-in.
pub async fn add_checkin(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let intake = read_intake(&state, &body)?;
    let (id, assessment) = state
        .blocking(move |b| b.check_and_save(intake))
        .await
        .map_err(internal)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/history/{id}"))],
        Json(json!({ "id": id, "assessment": assessment })),
    )
        .into_response())
}

/// `POST /api/checkins/{id}/followups`: a follow-up of check-in `id`. The body is intake JSON
/// with at least `trend` (better, same, worse or gone), usually `pain` and the danger signs
/// asked again; the answers of the last check-in are carried over. The answer is the follow-up
/// as `runsore check --follow-up --json` gives it: the re-assessment, the course compared with
/// the expected one, and when the episode closed, how to build back up.
pub async fn add_followup(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let given = read_intake(&state, &body)?;
    let done = state
        .blocking(move |b| b.follow_up(id, &given))
        .await
        .map_err(internal)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/history/{}", done.id.0))],
        Json(done),
    )
        .into_response())
}

/// The query of a raw-body import.
#[derive(Deserialize)]
pub struct ImportQuery {
    name: Option<String>,
}

/// `POST /api/import`: `multipart/form-data` with `file` parts, or the raw bytes of one file with
/// its name in `?name=`.
pub async fn import(
    State(state): State<AppState>,
    Query(query): Query<ImportQuery>,
    req: Request,
) -> Result<Response, ApiError> {
    let limit = state.inner.upload_limit;
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let files = if is_multipart {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|_| AppError::bad("the multipart body could not be read"))?;
        read_uploads(&state, multipart, None).await?
    } else {
        let name = query.name.filter(|n| !n.is_empty()).ok_or_else(|| {
            AppError::field(
                "name",
                "give the file's name in ?name= (e.g. run.fit) or send multipart/form-data",
            )
        })?;
        let name = crate::pages::upload_name("name", &name)?;
        let bytes = Bytes::from_request(req, &state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge { limit }
            } else {
                AppError::bad("the body could not be read")
            }
        })?;
        if bytes.is_empty() {
            return Err(AppError::field("file", "the body is empty").into());
        }
        vec![Upload {
            name,
            bytes: bytes.to_vec(),
        }]
    };
    let (outcome, errors) = import_all(&state, files).await?;
    if outcome.imported + outcome.duplicates == 0 && !errors.is_empty() {
        return Err(AppError::field("file", errors.join("; ")).into());
    }
    Ok(Json(json!({ "outcome": outcome, "errors": errors })).into_response())
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Json<Value> {
    Json(openapi_doc())
}

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

/// The hand-written OpenAPI 3 document.
pub fn openapi_doc() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "runsore",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Triage of hip and glute soreness in runners, their runs and training load. Educational, not a diagnosis."
        },
        "servers": [{ "url": "/" }],
        "paths": {
            "/api/assess": { "post": {
                "summary": "Assess an intake",
                "description": "The intake follows intake.schema.json (version 1): every field optional, unknown fields rejected. The runner's stored runs fill fields the intake leaves unknown.",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Intake" } } } },
                "responses": {
                    "200": { "description": "The assessment", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Assessment" } } } },
                    "400": error_response("Bad JSON, an unknown field or a value out of range; `field` names it"),
                    "413": error_response("The body is larger than 64 KiB"),
                    "415": error_response("The body is not JSON")
                }
            }},
            "/api/runs": { "get": {
                "summary": "One page of the stored runs, newest first",
                "parameters": [
                    { "name": "offset", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 0, "default": 0 } },
                    { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 200, "default": 200 } }
                ],
                "responses": { "200": { "description": "The runs", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "runs": { "type": "array", "items": { "$ref": "#/components/schemas/Run" } },
                    "total": { "type": "integer" }, "offset": { "type": "integer" }, "limit": { "type": "integer" }
                } } } } } }
            }},
            "/api/training": { "get": {
                "summary": "The training series (daily load, fitness, fatigue, form, acute:chronic ratio; weekly distance and load) and the full load report",
                "responses": { "200": { "description": "The report", "content": { "application/json": { "schema": { "type": "object" } } } } }
            }},
            "/api/checkins": {
                "get": {
                    "summary": "List check-ins with their assessments, newest first",
                    "responses": { "200": { "description": "The check-ins", "content": { "application/json": { "schema": { "type": "object" } } } } }
                },
                "post": {
                    "summary": "Assess an intake and store it as a check-in",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Intake" } } } },
                    "responses": {
                        "201": { "description": "Stored", "content": { "application/json": { "schema": { "type": "object", "properties": { "id": { "type": "integer" }, "assessment": { "$ref": "#/components/schemas/Assessment" } } } } } },
                        "400": error_response("Bad JSON, an unknown field or a value out of range")
                    }
                }
            },
            "/api/checkins/{id}/followups": { "post": {
                "summary": "Follow up a check-in: how it is now (trend, pain, the danger signs again), compared with the expected course; saved against this check-in",
                "description": "The body is intake JSON with at least `trend`; the answers of the episode's last check-in are carried over except the danger signs and the pain. The answer is the re-assessment (its triage raised when recovery is off course) with `follow_up`, the course comparison, and when the pain is gone the episode is closed (`back_to_running`, `triggers`). The same JSON as `runsore check --follow-up --json`.",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Intake" } } } },
                "responses": {
                    "201": { "description": "The follow-up", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Assessment" } } } },
                    "400": error_response("Bad JSON, an unknown field, a value out of range, no `trend`, or the episode is closed"),
                    "404": error_response("No such check-in")
                }
            }},
            "/api/import": { "post": {
                "summary": "Import watch files (FIT, GPX, TCX, .gz) or an export archive (.zip)",
                "parameters": [{ "name": "name", "in": "query", "required": false, "schema": { "type": "string" }, "description": "The file name, when the body is the raw file" }],
                "requestBody": { "required": true, "content": {
                    "multipart/form-data": { "schema": { "type": "object", "properties": { "file": { "type": "array", "items": { "type": "string", "format": "binary" } } } } },
                    "application/octet-stream": { "schema": { "type": "string", "format": "binary" } }
                }},
                "responses": {
                    "200": { "description": "What was imported", "content": { "application/json": { "schema": { "type": "object" } } } },
                    "400": error_response("No file could be read; the message names the file and what is wrong"),
                    "413": error_response("The upload is larger than the limit")
                }
            }}
        },
        "components": { "schemas": {
            "Error": { "type": "object", "required": ["error"], "properties": {
                "error": { "type": "string", "description": "What is wrong, in plain words" },
                "field": { "type": "string", "description": "The field at fault (dotted path), when one is" }
            }},
            "Intake": { "type": "object", "description": "See intake.schema.json; unknown fields are rejected", "additionalProperties": false, "properties": {
                "where": { "type": "array", "items": { "type": "string", "enum": ["buttock", "side_of_hip", "groin", "front_of_hip", "sit_bone", "lower_back", "back_of_thigh", "below_knee"] } },
                "onset": { "type": "string", "enum": ["during_run", "hours_after", "next_day", "two_days_after", "gradual_weeks"] },
                "pain": { "type": "integer", "minimum": 0, "maximum": 10 },
                "run": { "type": "object" },
                "training": { "type": "object" }
            }},
            "Assessment": { "type": "object", "required": ["triage", "conditions", "questions"], "properties": {
                "triage": { "type": "string", "enum": ["self_care", "see_doctor", "urgent", "emergency"] },
                "conditions": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "string" }, "probability": { "type": "number" } } } },
                "questions": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "text": { "type": "string" } } } }
            }},
            "Run": { "type": "object", "properties": {
                "id": { "type": "integer" }, "start_utc": { "type": "integer", "nullable": true }, "sport": { "type": "string" },
                "distance_km": { "type": "number", "nullable": true }, "duration_s": { "type": "number", "nullable": true },
                "avg_hr": { "type": "number", "nullable": true }, "descent_m": { "type": "number", "nullable": true }, "source": { "type": "string" },
                "implausible": { "type": "string", "nullable": true, "description": "why the run cannot be real; such a run is left out of the training figures and the advice" }
            }}
        }}
    })
}
