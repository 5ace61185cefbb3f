//! Fuzzes the way from an intake to every page: the input is posted to `/api/checkins`; when the
//! check-in is stored, every page that shows it must answer 200 within a time and a size limit
//! (one stored check-in with 1e300 hours once took the server down).
#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

/// A page slower or larger than this counts as a server taken down.
const PAGE_TIME: Duration = Duration::from_secs(2);
const PAGE_BYTES: usize = 2 * 1024 * 1024;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

async fn fetch(app: &axum::Router, req: Request<Body>) -> (StatusCode, Vec<u8>) {
    let started = Instant::now();
    let res = app.clone().oneshot(req).await.expect("the router answers");
    let status = res.status();
    let body = to_bytes(res.into_body(), PAGE_BYTES)
        .await
        .expect("a body within the size limit");
    assert!(started.elapsed() < PAGE_TIME, "took {:?}", started.elapsed());
    (status, body.to_vec())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    runtime().block_on(async {
        // A fresh store each time: one stored check-in, every page that shows it.
        let app = runsore_web::app(runsore_web::AppState::in_memory().expect("a store"));
        let post = Request::post("/api/checkins")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(text.to_owned()))
            .unwrap();
        let (status, body) = fetch(&app, post).await;
        if status != StatusCode::CREATED {
            assert!(status.is_client_error(), "{status}: {}", String::from_utf8_lossy(&body));
            return;
        }
        let id: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        let id = id["id"].as_i64().expect("an id");
        let own = format!("/history/{id}");
        for page in ["/", "/history", "/training", "/runs", "/api/checkins", "/api/training", &own] {
            let req = Request::get(page).body(Body::empty()).unwrap();
            let (status, _) = fetch(&app, req).await;
            assert_eq!(status, StatusCode::OK, "{page}");
        }
    });
});
