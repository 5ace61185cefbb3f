//! `runsore serve` as a process: it refuses to expose the app without the flag and a token, and
//! on loopback it prints its URL and answers there.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn runsore(dir: &tempfile::TempDir, args: &[&str]) -> Command {
    let mut cmd = common::runsore();
    cmd.arg("--db").arg(dir.path().join("store.db")).args(args);
    cmd.env_remove("RUNSORE_TOKEN");
    cmd
}

#[test]
fn a_public_address_needs_the_flag_and_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["serve", "--bind", "0.0.0.0", "--port", "0"],
            "--allow-remote",
        ),
        (
            &[
                "serve",
                "--bind",
                "0.0.0.0",
                "--port",
                "0",
                "--allow-remote",
                "--token",
                "short",
            ],
            "access token of at least 16 characters",
        ),
    ];
    for (args, fragment) in cases {
        let out = runsore(&dir, args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(fragment), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
    }
}

#[test]
fn serve_prints_its_url_and_answers_there() {
    let dir = tempfile::tempdir().unwrap();
    let child = runsore(&dir, &["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let stdout = server.0.stdout.take().unwrap();
    // The reader stays alive to the end: a closed pipe must not be what the server meets.
    let mut reader = BufReader::new(stdout);
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"));
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut stream = loop {
        match TcpStream::connect(addr) {
            Ok(s) => break s,
            Err(e) if Instant::now() > deadline => panic!("cannot connect to {addr}: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /checkin HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply:.200}");
    let lower = reply.to_ascii_lowercase();
    assert!(lower.contains("content-security-policy:"), "{reply:.400}");
    assert!(reply.contains("Where does it hurt?"));
    drop(reader);
}
