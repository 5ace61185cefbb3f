//! `runsore serve` as a process: it refuses to expose the app without the flag and a token, and
//! on loopback it prints its URL and answers there.

mod common;

use std::process::Command;

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
    let server = common::serve(&dir.path().join("store.db"), None);
    let reply = runsore_testkit::http(&server.addr, "GET /checkin HTTP/1.0", b"");
    assert_eq!(reply.status, 200, "{:.200}", reply.body);
    assert!(
        reply.header("content-security-policy").is_some(),
        "{:?}",
        reply.headers
    );
    assert!(reply.body.contains("Where does it hurt?"));
}
