//! Hostile inputs against the web app: values that once took the server down, each test named
//! after the attack it guards against. Every page must answer within a time and size limit.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use runsore_web::{AppState, Backend, Limits, Options, app};
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

fn state_on_port(port: u16, token: Option<&str>) -> AppState {
    AppState::new(
        Backend::in_memory().unwrap(),
        Options {
            access_token: token.map(str::to_owned),
            port: Some(port),
            ..Options::default()
        },
    )
}

fn with_host(method: &str, uri: &str, host: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, host)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn dns_rebinding_is_refused_by_the_host_allow_list() {
    let app = app(state_on_port(7878, None));
    for host in [
        "127.0.0.1:7878",
        "localhost:7878",
        "[::1]:7878",
        "LOCALHOST:7878",
    ] {
        let (status, body) = send(&app, with_host("GET", "/api/checkins", host, "")).await;
        assert_eq!(status, StatusCode::OK, "{host}: {body}");
    }
    // A page on evil.example rebound to 127.0.0.1 reads same-origin: only its Host tells.
    for host in [
        "evil.example:7878",
        "127.0.0.1:9999",
        "localhost",
        "127.0.0.1.evil.example:7878",
    ] {
        let (status, _) = send(&app, with_host("GET", "/api/checkins", host, "")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{host}");
        let write = with_host(
            "POST",
            "/api/checkins",
            host,
            r#"{"where":["buttock"],"pain":4}"#,
        );
        assert_eq!(send(&app, write).await.0, StatusCode::FORBIDDEN, "{host}");
        assert_eq!(
            send(&app, with_host("GET", "/", host, "")).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let (_, list) = send(
        &app,
        with_host("GET", "/api/checkins", "127.0.0.1:7878", ""),
    )
    .await;
    assert!(list.contains("[]"), "nothing was written: {list}");
    // Without a Host at all on a bound server: refused too (browsers always send one).
    assert_eq!(get(&app, "/api/checkins").await.0, StatusCode::FORBIDDEN);

    // With a token, the server is meant to be reached by other names; the token decides.
    let token = "correct-horse-battery-staple";
    let remote = app_with_token(token);
    let req = Request::get("/api/runs")
        .header(header::HOST, "192.168.1.20:7878")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&remote, req).await.0, StatusCode::OK);
}

fn app_with_token(token: &str) -> Router {
    app(state_on_port(7878, Some(token)))
}

#[tokio::test]
async fn a_token_of_spaces_is_refused() {
    for token in [
        " ".repeat(16),
        "\t".repeat(20),
        "pass word with spaces".into(),
    ] {
        let config = runsore_web::Config {
            addr: "0.0.0.0".parse().unwrap(),
            port: 0,
            allow_remote: true,
            access_token: Some(token.clone()),
            ..runsore_web::Config::default()
        };
        let err = runsore_web::serve(config).await.expect_err("must refuse");
        assert!(err.to_string().contains("spaces"), "{token:?}: {err}");
    }
}

fn multipart_file(filename: &str) -> Request<Body> {
    let mut body = Vec::new();
    body.extend_from_slice(b"--XBOUNDARYX\r\n");
    body.extend_from_slice(
        format!("Content-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(b"<gpx></gpx>\r\n--XBOUNDARYX--\r\n");
    Request::post("/api/import")
        .header(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=XBOUNDARYX",
        )
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_names_that_are_not_file_names_give_400_not_500() {
    let app = app(AppState::in_memory().unwrap());
    let long = "a".repeat(300) + ".zip";
    for name in ["..", "%2E%2E", "a%00b.gpx", long.as_str(), "x/..", "."] {
        let req = Request::post(format!("/api/import?name={name}"))
            .body(Body::from(&b"PK\x03\x04 not really a zip"[..]))
            .unwrap();
        let (status, body) = send(&app, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {body}");
        assert!(body.contains("file name"), "{name}: {body}");
    }
    for name in ["..", long.as_str(), "dir/.."] {
        let (status, body) = send(&app, multipart_file(name)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {body}");
        assert!(body.contains("file name"), "{name}: {body}");
    }
}

/// Serves `app` on a free loopback port with `limits`, in the background.
async fn spawn_server(limits: Limits) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = state_on_port(addr.port(), None);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(runsore_web::serve_listener(
        listener,
        app(state),
        limits,
        async {
            let _ = stopped.await;
        },
    ));
    (addr, stop)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_client_is_dropped_after_the_header_read_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limits = Limits {
        header_read_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let (addr, _stop) = spawn_server(limits).await;
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    // Half a request line, then nothing: held forever before.
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server still holds the slow connection");
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_beyond_the_limit_wait_and_the_server_keeps_answering() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limits = Limits {
        max_connections: 2,
        header_read_timeout: Duration::from_secs(60),
    };
    let (addr, _stop) = spawn_server(limits).await;
    let idle_a = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _idle_b = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        addr.port()
    );
    let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
    third.write_all(request.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(500), third.read(&mut buf)).await;
    assert!(
        early.is_err(),
        "a third connection was served beyond the limit of two"
    );
    drop(idle_a);
    let mut reply = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), third.read_to_end(&mut reply))
        .await
        .expect("served once a connection closed")
        .unwrap();
    assert!(
        reply.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
}

/// A GPX of `n` points, slow enough to decode that it shows who waits for whom.
fn big_gpx(n: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><type>running</type><trkseg>"#,
    );
    for i in 0..n {
        let t = 1_700_000_000 + i as i64;
        let when = time::OffsetDateTime::from_unix_timestamp(t).unwrap();
        s.push_str(&format!(
            r#"<trkpt lat="{:.6}" lon="{:.6}"><ele>10</ele><time>{}</time></trkpt>"#,
            51.0 + i as f64 * 1e-5,
            0.0,
            when.format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        ));
    }
    s.push_str("</trkseg></trk></gpx>");
    s
}

#[test]
fn an_import_does_not_hold_the_async_workers() {
    // One async worker: an import decoded on it would finish before any other request is
    // answered. On the blocking pool, the page is answered while the import still decodes.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let app = app(AppState::in_memory().unwrap());
        let gpx = big_gpx(60_000);
        let upload = Request::post("/api/import?name=big.gpx")
            .body(Body::from(gpx))
            .unwrap();
        let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (a, o) = (app.clone(), order.clone());
        let import = tokio::spawn(async move {
            let res = a.oneshot(upload).await.unwrap();
            o.lock().unwrap().push(("import", res.status()));
        });
        tokio::task::yield_now().await;
        let (a, o) = (app.clone(), order.clone());
        let page = tokio::spawn(async move {
            let res = a
                .oneshot(Request::get("/checkin").body(Body::empty()).unwrap())
                .await
                .unwrap();
            o.lock().unwrap().push(("page", res.status()));
        });
        import.await.unwrap();
        page.await.unwrap();
        let order = order.lock().unwrap().clone();
        assert_eq!(order[0], ("page", StatusCode::OK), "{order:?}");
        assert_eq!(order[1], ("import", StatusCode::OK), "{order:?}");
    });
}
