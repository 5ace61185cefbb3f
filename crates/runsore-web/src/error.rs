//! The app's one error type, answered as JSON under `/api` and as a page elsewhere.
//!
//! Messages are written for the runner: no stack traces, no internal paths. Internal errors are
//! logged and answered with a generic sentence; the runner's own mistakes are not logged.

use axum::Json;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde::Serialize;

use crate::layout;

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed: bad JSON, an unknown field, a value out of range.
    #[error("{message}")]
    BadInput {
        /// The field at fault (dotted path), when one is.
        field: Option<String>,
        /// What is wrong, in plain words.
        message: String,
    },
    /// The body is larger than the limit.
    #[error("the upload is larger than the limit of {}", size_words(*limit))]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// No such page or record.
    #[error("not found")]
    NotFound,
    /// The access token is missing or wrong.
    #[error("an access token is required: open the link runsore printed when it started")]
    Unauthorized,
    /// A CSRF or cross-site check failed.
    #[error("{0}")]
    Forbidden(String),
    /// The content type is not one the route reads.
    #[error("{0}")]
    Unsupported(String),
    /// Something failed inside (the store, a bug); the detail is logged, not shown.
    #[error("something went wrong on our side; please try again")]
    Internal(String),
}

/// A size limit in words: "64 KB", "256 MB".
pub fn size_words(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes / 1024)
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl AppError {
    /// A bad-input error naming a field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadInput {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A bad-input error not tied to one field.
    pub fn bad(message: impl Into<String>) -> Self {
        AppError::BadInput {
            field: None,
            message: message.into(),
        }
    }

    /// The HTTP status for the error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadInput { .. } => StatusCode::BAD_REQUEST,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn log(&self) {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
    }

    /// The JSON answer `{error, field}`.
    pub fn json(self) -> Response {
        self.log();
        let field = match &self {
            AppError::BadInput { field, .. } => field.as_deref(),
            _ => None,
        };
        let body = ErrorBody {
            error: self.to_string(),
            field,
        };
        (self.status(), Json(body)).into_response()
    }

    /// The page answer, in the app's layout.
    pub fn page(self) -> Response {
        self.log();
        let title = match self.status() {
            StatusCode::NOT_FOUND => "Page not found",
            StatusCode::PAYLOAD_TOO_LARGE => "File too large",
            StatusCode::INTERNAL_SERVER_ERROR => "Something went wrong",
            _ => "That did not work",
        };
        let body = html! {
            h1 { (title) }
            p.error-text role="alert" { (self.to_string()) }
            p { a href="/" { "Back to the start" } }
        };
        (
            self.status(),
            Html(layout::page(title, "", body).into_string()),
        )
            .into_response()
    }

    /// JSON for API paths, a page for the rest.
    pub fn into_response_for(self, api: bool) -> Response {
        if api { self.json() } else { self.page() }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.page()
    }
}

/// An [`AppError`] that answers as JSON; API handlers return it.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.json()
    }
}

/// The fallback for unknown paths.
pub async fn not_found(uri: Uri) -> Response {
    AppError::NotFound.into_response_for(uri.path().starts_with("/api/"))
}
