//! Issue 7: the web server and a CLI import on one store file at the same time, as real
//! processes: no "database is locked" reaches the user and no write is lost. Then a flood of
//! malformed requests leaves the server healthy. Bounded in count and time; loopback only.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Sends one raw HTTP/1.1 request and returns the status code and the body.
fn request(addr: &str, method: &str, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("the server accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    // A server that refuses early (413) may close before the whole body is sent.
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body));
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply).to_string();
    let status = reply.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn issue_7_web_and_cli_import_share_a_store_without_lock_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let server = common::serve(&db, None);
    let addr = server.addr.clone();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runsore-import/tests/data");

    // The import runs as its own process while the web app writes check-ins and reads runs.
    let import = common::runsore()
        .arg("--db")
        .arg(&db)
        .args(["--json", "import"])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut created = 0;
    for i in 0..30 {
        let body = format!(
            r#"{{"where":["buttock"],"onset":"next_day","pain":{}}}"#,
            i % 10
        );
        let (status, reply) = request(
            &addr,
            "POST",
            "/api/checkins",
            "application/json",
            body.as_bytes(),
        );
        assert_eq!(status, 201, "check-in {i}: {reply}");
        assert!(!reply.contains("locked"), "{reply}");
        created += 1;
        let (status, reply) = request(&addr, "GET", "/api/runs", "text/plain", b"");
        assert_eq!(status, 200, "runs {i}: {reply:.300}");
    }
    let out = import.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("locked"),
        "the import met a lock: {stderr}"
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("import summary");
    assert!(summary["runs_imported"].as_u64().unwrap() > 10, "{summary}");
    let failed = summary["failed"].as_array().unwrap();
    assert!(
        failed
            .iter()
            .all(|f| !f["reason"].as_str().unwrap().contains("locked")),
        "{summary}"
    );

    // No lost writes: every check-in the server acknowledged is there, and every imported run.
    let (_, list) = request(&addr, "GET", "/api/checkins", "text/plain", b"");
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["checkins"].as_array().unwrap().len(), created);
    let runs = common::runsore()
        .arg("--db")
        .arg(&db)
        .args(["--json", "runs", "--limit", "10000"])
        .output()
        .unwrap();
    let runs: serde_json::Value = serde_json::from_slice(&runs.stdout).unwrap();
    assert_eq!(
        runs.as_array().unwrap().len() as u64,
        summary["runs_imported"].as_u64().unwrap()
    );
}

#[test]
fn issue_7_a_flood_of_malformed_requests_leaves_the_server_healthy() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::serve(&dir.path().join("flood.db"), None);
    let addr = server.addr.clone();
    let big = vec![b'{'; 200 * 1024];
    let cases: Vec<(&str, &str, &str, &[u8])> = vec![
        (
            "POST",
            "/api/assess",
            "application/json",
            b"{\"where\": [\"buttock\"",
        ),
        ("POST", "/api/assess", "application/json", b"{\"wher\": []}"),
        ("POST", "/api/assess", "application/json", b"{\"pain\": 99}"),
        ("POST", "/api/assess", "text/plain", b"hello"),
        ("POST", "/api/assess", "application/json", &big),
        (
            "POST",
            "/api/import",
            "application/octet-stream",
            b"\x00\x01\x02 not a watch file",
        ),
        ("GET", "/api/nowhere", "text/plain", b""),
        (
            "POST",
            "/checkin",
            "application/x-www-form-urlencoded",
            b"where=knee&csrf=forged",
        ),
    ];
    let started = Instant::now();
    let mut sent = 0;
    // Bounded: 800 requests or 60 seconds, whichever comes first.
    'flood: for _ in 0..100 {
        for (method, path, ct, body) in &cases {
            let (status, reply) = request(&addr, method, path, ct, body);
            assert!(
                (400..500).contains(&status),
                "{method} {path}: {status} {reply:.200}"
            );
            assert!(
                !reply.contains("panicked") && !reply.contains("/work/"),
                "{reply:.300}"
            );
            sent += 1;
            if started.elapsed() > Duration::from_secs(60) {
                break 'flood;
            }
        }
    }
    assert!(sent >= 80, "only {sent} requests in a minute");
    let (status, _) = request(&addr, "GET", "/", "text/plain", b"");
    assert_eq!(
        status, 200,
        "the server is not healthy after {sent} malformed requests"
    );
    let (status, reply) = request(
        &addr,
        "POST",
        "/api/assess",
        "application/json",
        br#"{"where":["buttock"]}"#,
    );
    assert_eq!(status, 200, "{reply:.300}");
}
