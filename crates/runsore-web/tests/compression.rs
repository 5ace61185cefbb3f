//! Compression over real HTTP: a browser that says `Accept-Encoding: gzip` gets pages, JSON and
//! the stylesheet gzipped, and one that does not gets them as they are.

use std::io::Read;

use runsore_web::{AppState, Limits, app, serve_listener};

/// One GET over real HTTP (HTTP/1.0, on the blocking pool so the server on this runtime
/// answers), with `Accept-Encoding` when given.
async fn fetch(port: u16, path: &str, accept: Option<&str>) -> runsore_testkit::Reply {
    let head = match accept {
        Some(a) => format!("GET {path} HTTP/1.0\r\nAccept-Encoding: {a}"),
        None => format!("GET {path} HTTP/1.0"),
    };
    tokio::task::spawn_blocking(move || {
        runsore_testkit::http(&format!("127.0.0.1:{port}"), &head, b"")
    })
    .await
    .expect("the request ends")
}

#[tokio::test]
async fn html_json_and_css_are_gzipped_when_the_browser_accepts_it() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let state = AppState::in_memory().unwrap();
    tokio::spawn(serve_listener(
        listener,
        app(state),
        Limits::default(),
        std::future::pending(),
    ));
    let home = fetch(port, "/", None).await.body;
    let css = home
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a stylesheet link")
        .to_string();
    for (path, kind) in [
        ("/checkin", "text/html"),
        ("/api/openapi.json", "application/json"),
        (css.as_str(), "text/css"),
    ] {
        let plain = fetch(port, path, None).await;
        assert_eq!(plain.status, 200, "{path}");
        assert_eq!(plain.header("content-encoding"), None, "{path}");
        let plain = plain.bytes;
        let zipped = fetch(port, path, Some("gzip")).await;
        assert_eq!(zipped.status, 200, "{path}");
        assert!(
            zipped
                .header("content-type")
                .is_some_and(|t| t.starts_with(kind)),
            "{path}: {:?}",
            zipped.headers
        );
        assert_eq!(zipped.header("content-encoding"), Some("gzip"), "{path}");
        let zipped = zipped.bytes;
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&zipped[..])
            .read_to_end(&mut unzipped)
            .expect("a gzip body");
        // Pages carry a per-visit CSRF token, so compare sizes and the start, not every byte.
        assert_eq!(unzipped.len(), plain.len(), "{path}");
        assert_eq!(unzipped[..40], plain[..40], "{path}");
        assert!(
            zipped.len() * 2 < plain.len(),
            "{path}: {} bytes gzipped from {}",
            zipped.len(),
            plain.len()
        );
    }
}
