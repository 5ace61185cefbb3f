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
            .header(header::CONTENT_TYPE, "application/octet-stream")
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
            .header(header::CONTENT_TYPE, "application/octet-stream")
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

/// Sends `request` (all of it, as bytes) on a new connection; the status and the whole answer.
async fn http(addr: std::net::SocketAddr, request: Vec<u8>) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    conn.write_all(&request).await.unwrap();
    let mut reply = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut reply))
        .await
        .expect("answered")
        .unwrap();
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let status = reply
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not HTTP: {reply}"));
    (status, reply)
}

/// A request with `headers` (besides Host, Content-Length and Connection) and `body`.
fn raw(method: &str, path: &str, port: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    r.push_str("\r\n");
    let mut bytes = r.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn multipart_body(field: &str, filename: &str, content: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(b"--XBOUNDARYX\r\n");
    body.extend_from_slice(
        format!(
            "Content-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(b"\r\n--XBOUNDARYX--\r\n");
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn cross_site_writes_to_the_api_are_refused_and_curl_on_loopback_still_works() {
    let (addr, _stop) = spawn_server(Limits::default()).await;
    let port = addr.port();
    let own = format!("http://127.0.0.1:{port}");
    let json = ("Content-Type", "application/json");
    let checkin = br#"{"where":["buttock"],"pain":3}"#;
    let gpx = big_gpx(120);
    let multipart = ("Content-Type", "multipart/form-data; boundary=XBOUNDARYX");
    // (what, request, status expected)
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        // A cross-site form or fetch can send only simple types without a preflight.
        (
            "text/plain, as a cross-site form with enctype=text/plain sends",
            raw(
                "POST",
                "/api/checkins",
                port,
                &[("Content-Type", "text/plain")],
                checkin,
            ),
            415,
        ),
        (
            "a urlencoded file, as an HTML form or a bare `curl --data-binary` sends",
            raw(
                "POST",
                "/api/import?name=a.gpx",
                port,
                &[("Content-Type", "application/x-www-form-urlencoded")],
                gpx.as_bytes(),
            ),
            415,
        ),
        (
            "no type, as fetch with a Blob body sends",
            raw("POST", "/api/import?name=b.gpx", port, &[], gpx.as_bytes()),
            415,
        ),
        (
            "JSON from another site (Origin)",
            raw(
                "POST",
                "/api/checkins",
                port,
                &[json, ("Origin", "http://evil.example")],
                checkin,
            ),
            403,
        ),
        (
            "JSON from another site (Sec-Fetch-Site)",
            raw(
                "POST",
                "/api/checkins",
                port,
                &[json, ("Sec-Fetch-Site", "cross-site")],
                checkin,
            ),
            403,
        ),
        (
            "multipart from another site",
            raw(
                "POST",
                "/api/import",
                port,
                &[
                    multipart,
                    ("Origin", "http://evil.example"),
                    ("Sec-Fetch-Site", "cross-site"),
                ],
                &multipart_body("file", "c.gpx", gpx.as_bytes()),
            ),
            403,
        ),
        (
            "a page that DNS rebinding points here",
            {
                let mut r = raw("POST", "/api/checkins", port, &[json], checkin);
                let text = String::from_utf8(r.clone()).unwrap().replace(
                    &format!("Host: 127.0.0.1:{port}"),
                    &format!("Host: evil.example:{port}"),
                );
                r = text.into_bytes();
                r
            },
            403,
        ),
        // curl on loopback, and the app's own pages, need nothing more than the right type.
        (
            "curl -H 'content-type: application/json' -d ...",
            raw("POST", "/api/checkins", port, &[json], checkin),
            201,
        ),
        (
            "the app's own page (same origin)",
            raw(
                "POST",
                "/api/assess",
                port,
                &[
                    json,
                    ("Origin", own.as_str()),
                    ("Sec-Fetch-Site", "same-origin"),
                ],
                checkin,
            ),
            200,
        ),
        (
            "curl --data-binary @run.gpx -H 'content-type: application/octet-stream'",
            raw(
                "POST",
                "/api/import?name=d.gpx",
                port,
                &[("Content-Type", "application/octet-stream")],
                gpx.as_bytes(),
            ),
            200,
        ),
        (
            "curl -F file=@run.gpx",
            raw(
                "POST",
                "/api/import",
                port,
                &[multipart],
                &multipart_body("file", "e.gpx", big_gpx(90).as_bytes()),
            ),
            200,
        ),
    ];
    for (what, request, want) in cases {
        let (status, reply) = http(addr, request).await;
        assert_eq!(status, want, "{what}: {reply}");
    }
    // Only the two writes that were allowed stored anything.
    let (_, reply) = http(addr, raw("GET", "/api/checkins", port, &[], b"")).await;
    let body = reply.split_once("\r\n\r\n").expect("a body").1;
    let stored: serde_json::Value = serde_json::from_str(body).expect("JSON");
    assert_eq!(
        stored["checkins"].as_array().expect("check-ins").len(),
        1,
        "{body}"
    );
    let (_, reply) = http(addr, raw("GET", "/api/runs", port, &[], b"")).await;
    assert!(
        reply.contains("d.gpx") && reply.contains("e.gpx"),
        "{reply}"
    );
    assert!(!reply.contains("a.gpx") && !reply.contains("b.gpx") && !reply.contains("c.gpx"));

    // The preflight a non-simple type calls for is never granted.
    let (status, reply) = http(
        addr,
        raw(
            "OPTIONS",
            "/api/checkins",
            port,
            &[
                ("Origin", "http://evil.example"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type"),
            ],
            b"",
        ),
    )
    .await;
    assert!(!(200..300).contains(&status), "{reply}");
    assert!(
        !reply.to_ascii_lowercase().contains("access-control-allow"),
        "{reply}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_form_post_without_its_csrf_token_is_refused_over_http() {
    let (addr, _stop) = spawn_server(Limits::default()).await;
    let port = addr.port();
    // A first visit sets the CSRF cookie; a form posted with the cookie but without the token
    // (what a cross-site form without the page can do) or with a wrong one is refused.
    let (_, page) = http(addr, raw("GET", "/checkin", port, &[], b"")).await;
    let cookie = page
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .expect("a CSRF cookie")
        .to_owned();
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    for path in [
        "/checkin",
        "/checkin/flags",
        "/checkin/answer",
        "/checkin/finish",
        "/history/1/followup",
    ] {
        for body in ["where=buttock", "where=buttock&csrf=0123456789abcdef"] {
            let (status, reply) = http(
                addr,
                raw(
                    "POST",
                    path,
                    port,
                    &[form, ("Cookie", cookie.as_str())],
                    body.as_bytes(),
                ),
            )
            .await;
            assert_eq!(status, 403, "{path} {body}: {reply}");
        }
    }
    let upload = multipart_body("file", "f.gpx", big_gpx(60).as_bytes());
    let (status, reply) = http(
        addr,
        raw(
            "POST",
            "/runs/upload",
            port,
            &[
                ("Content-Type", "multipart/form-data; boundary=XBOUNDARYX"),
                ("Cookie", cookie.as_str()),
            ],
            &upload,
        ),
    )
    .await;
    assert_eq!(status, 403, "{reply}");
    let (_, reply) = http(addr, raw("GET", "/api/runs", port, &[], b"")).await;
    assert!(!reply.contains("f.gpx"), "{reply}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_implausible_run_is_marked_in_the_runs_list_and_the_api() {
    // 1.1 m/s: a plausible walk-jog; the globe run covers 20,000 km in ten minutes.
    let globe = r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><type>running</type><trkseg>
<trkpt lat="51.0" lon="0.0"><time>2024-05-01T10:00:00Z</time></trkpt>
<trkpt lat="-51.0" lon="179.0"><time>2024-05-01T10:05:00Z</time></trkpt>
<trkpt lat="51.0" lon="0.0"><time>2024-05-01T10:10:00Z</time></trkpt>
</trkseg></trk></gpx>"#;
    let app = app(AppState::in_memory().unwrap());
    for (name, body) in [("globe.gpx", globe.to_owned()), ("easy.gpx", big_gpx(600))] {
        let req = Request::post(format!("/api/import?name={name}"))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(body))
            .unwrap();
        let (status, body) = send(&app, req).await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
    }
    let (status, page) = get(&app, "/runs").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        page.matches("Implausible: left out of your training figures")
            .count(),
        1,
        "{page}"
    );
    let (_, body) = get(&app, "/api/runs").await;
    let listing: serde_json::Value = serde_json::from_str(&body).unwrap();
    for run in listing["runs"].as_array().expect("runs") {
        let flagged = run["implausible"].as_str();
        match run["source"].as_str() {
            Some("globe.gpx") => assert!(flagged.is_some_and(|w| w.contains("km")), "{run}"),
            _ => assert!(flagged.is_none(), "{run}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_value_in_the_forms_hidden_intake_is_refused_and_nothing_is_stored() {
    // The issue's third way in: the check-in form carries the answers in a hidden `intake` field.
    let app = app(AppState::in_memory().unwrap());
    let res = app
        .clone()
        .oneshot(Request::get("/checkin").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("rs_csrf="))
        .and_then(|c| c.split(';').next())
        .expect("a CSRF cookie")
        .to_owned();
    let page = String::from_utf8(
        to_bytes(res.into_body(), PAGE_BYTES)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    let token = page
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form's CSRF token")
        .to_owned();
    for hours in ["1e300", "1e10"] {
        let intake = format!(r#"{{"where":["buttock"],"pain":4,"hours_since_run":{hours}}}"#);
        let body: String = [("csrf", token.as_str()), ("intake", intake.as_str())]
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        let req = Request::post("/checkin/finish")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(body))
            .unwrap();
        let (status, reply) = send(&app, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{hours}: {reply}");
        assert!(
            reply.contains("hours_since_run") || reply.contains("hours"),
            "{reply}"
        );
    }
    let (_, stored) = get(&app, "/api/checkins").await;
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(
        stored["checkins"].as_array().map(Vec::len),
        Some(0),
        "{stored}"
    );
    for page in PAGES {
        let (status, _) = get(&app, page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
}
