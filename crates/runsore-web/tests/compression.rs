//! Compression over real HTTP: a browser that says `Accept-Encoding: gzip` gets pages, JSON and
//! the stylesheet gzipped, and one that does not gets them as they are.

use std::io::Read;

use runsore_web::{AppState, Limits, app, serve_listener};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One raw HTTP/1.1 request; the status line and headers (lowercased names), and the body with
/// any chunked transfer encoding undone.
async fn fetch(
    port: u16,
    path: &str,
    accept: Option<&str>,
) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("the server accepts");
    let accept = accept
        .map(|a| format!("Accept-Encoding: {a}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{accept}Connection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .expect("a chunk size");
            let size_text = String::from_utf8_lossy(&rest[..end]).to_string();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
                .expect("a hex chunk size");
            rest = &rest[end + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = out;
    }
    (status, headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
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
    let (_, _, home) = fetch(port, "/", None).await;
    let home = String::from_utf8(home).unwrap();
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
        let (status, plain_headers, plain) = fetch(port, path, None).await;
        assert!(status.contains(" 200 "), "{path}: {status}");
        assert_eq!(header(&plain_headers, "content-encoding"), None, "{path}");
        let (status, headers, zipped) = fetch(port, path, Some("gzip")).await;
        assert!(status.contains(" 200 "), "{path}: {status}");
        assert!(
            header(&headers, "content-type").is_some_and(|t| t.starts_with(kind)),
            "{path}: {headers:?}"
        );
        assert_eq!(header(&headers, "content-encoding"), Some("gzip"), "{path}");
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
