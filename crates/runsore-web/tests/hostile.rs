//! Hostile inputs against the web app: values that once took the server down, each test named
//! after the attack it guards against. Every page must answer within a time and size limit.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use runsore_web::{AppState, app};
use tower::ServiceExt;

/// A page that takes longer than this, or is larger, counts as a server taken down.
const PAGE_TIME: Duration = Duration::from_secs(5);
const PAGE_BYTES: usize = 2 * 1024 * 1024;

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let started = Instant::now();
    let res = tokio::time::timeout(PAGE_TIME, app.clone().oneshot(req))
        .await
        .expect("answered within the time limit")
        .expect("the router answers");
    let status = res.status();
    let bytes = to_bytes(res.into_body(), PAGE_BYTES)
        .await
        .expect("a body within the size limit");
    assert!(started.elapsed() < PAGE_TIME);
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn json_post(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn huge_hours_since_run_is_refused_and_cannot_take_a_page_down() {
    let app = app(AppState::in_memory().unwrap());
    for hours in ["1e300", "1e10", "100000"] {
        let body = format!(r#"{{"where":["buttock"],"pain":4,"hours_since_run":{hours}}}"#);
        let (status, reply) = send(&app, json_post("/api/checkins", &body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{hours}: {reply}");
        assert!(reply.contains("hours_since_run"), "{reply}");
    }
    let (status, reply) = send(
        &app,
        json_post(
            "/api/checkins",
            r#"{"where":["buttock"],"pain":4,"days_since_onset":1e12}"#,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
    assert!(reply.contains("days_since_onset"), "{reply}");
}

/// Every page a stored check-in appears on.
const PAGES: [&str; 7] = [
    "/",
    "/history",
    "/runs",
    "/training",
    "/api/checkins",
    "/api/training",
    "/api/runs",
];

#[tokio::test(flavor = "multi_thread")]
async fn a_check_in_at_the_edge_of_every_bound_renders_every_page_within_limits() {
    let app = app(AppState::in_memory().unwrap());
    let body = r#"{"where":["buttock","side_of_hip"],"pain":10,"age":100,
        "hours_since_run":17568,"days_since_onset":7320,
        "run":{"minutes":10080,"distance_km":1000},
        "training":{"weekly_increase_pct":1000}}"#;
    let (status, reply) = send(&app, json_post("/api/checkins", body)).await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let id: serde_json::Value = serde_json::from_str(&reply).unwrap();
    let id = id["id"].as_i64().unwrap();
    let own = format!("/history/{id}");
    for page in PAGES.iter().copied().chain([own.as_str()]) {
        let (status, _) = get(&app, page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
}
