//! The JSON API under `/api`; its OpenAPI document is generated in `openapi.rs`. Errors are
//! `{error, field}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

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
    // With the runs' views kept for the store's revision, what is left is some 100 microseconds
    // of computation: a hop to the blocking pool and back cost about as much again (threads
    // woken and put to sleep on two cores), so only a call that must read the store makes it.
    let assessment = match state.backend().assess_kept(&intake) {
        Some(report) => report,
        None => state
            .blocking(move |b| b.assess_raw(intake))
            .await
            .map_err(internal)?,
    };
    // An assessment is some 17 KB of JSON: one allocation of about twice that size instead of
    // the dozen doublings `Json` would go through from its small default. The same bytes as
    // `serde_json::to_writer`, by a faster writer, with the knowledge base's condition texts
    // copied from JSON written once instead of escaped again for every answer.
    let mut out = Vec::with_capacity(32 * 1024);
    runsore_triage::to_json_vec(&mut out, &assessment)
        .map_err(|e| AppError::Internal(e.to_string()))?;
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

/// `GET /api/checkins`: every check-in with its result as stored, the same assessment shape as
/// `POST /api/assess` answers.
pub async fn checkins(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list = state
        .blocking(|b| b.checkin_entries())
        .await
        .map_err(internal)?;
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

/// `GET /api/openapi.json`: the generated document (the same as `schema/openapi.json`).
pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::document_text(),
    )
        .into_response()
}
