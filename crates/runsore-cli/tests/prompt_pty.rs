//! The interactive check through a real pseudo-terminal, as a runner at a keyboard meets it:
//! Enter on a safety question does not answer yes, Esc goes back, Ctrl-C leaves the terminal
//! as it was, and red flags read from the runner's words are asked back, none pre-ticked.

mod common;

use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{Expect, Session};

fn session(db: &str) -> expectrl::session::OsSession {
    // A terminal as a runner has it: echo on (the pty starts with it off). It is turned on by
    // `stty` before runsore starts: turned on from here after the spawn, it raced runsore's first
    // key read, which saved the echo-off mode as "the terminal as it was" and restored it.
    let runsore = common::runsore();
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "stty echo && exec \"$0\" \"$@\""])
        .arg(runsore.get_program())
        .args(["--db", db, "check", "--no-runs"]);
    for (key, value) in runsore.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    cmd.env_remove("RUNSORE_NOW")
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1");
    let mut s = Session::spawn(cmd).expect("runsore starts in a pty");
    s.get_process_mut()
        .set_window_size(100, 40)
        .expect("window size");
    // The story reader compiles its vocabulary on first use: generous in a debug build.
    s.set_expect_timeout(Some(Duration::from_secs(60)));
    s
}

/// Everything the program has printed until `needle`, as text.
fn until(s: &mut expectrl::session::OsSession, needle: &str) -> String {
    let c = s
        .expect(needle)
        .unwrap_or_else(|e| panic!("waiting for {needle:?}: {e}"));
    String::from_utf8_lossy(c.before()).into_owned()
}

/// Waits until runsore reads a key: it reads each key in raw mode, which turns echo off.
fn wait_for_key_read(s: &expectrl::session::OsSession) {
    let start = std::time::Instant::now();
    while s.get_process().get_echo().expect("terminal mode") {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "runsore never waited for a key"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn wait_exit(s: &expectrl::session::OsSession) -> WaitStatus {
    s.get_process().wait().expect("wait for runsore")
}

#[test]
fn enter_does_not_answer_a_safety_question_esc_goes_back_ctrl_c_restores() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runsore.db").display().to_string();
    let mut s = session(&db);
    let mut seen = String::new();
    seen += &until(&mut s, "In your own words");
    s.send("\r").unwrap(); // no story
    seen += &until(&mut s, "Where does it hurt");
    s.send("1").unwrap(); // buttock
    s.send("\r").unwrap();
    seen += &until(&mut s, "When did it start");
    // Nothing pre-selected: Enter alone asks for a choice.
    s.send("\r").unwrap();
    seen += &until(&mut s, "choose with the arrow keys");
    s.send("3").unwrap(); // next day
    s.send("\r").unwrap();
    seen += &until(&mut s, "(safety check)");
    // Enter out of habit: no answer, the hint, the question again.
    s.send("\r").unwrap();
    seen += &until(&mut s, "(safety check)");
    // The safety screen is one checklist: every line needs y, n or ? before Enter.
    seen += &until(&mut s, "answer every line");
    // Esc: back to "when did it start", asked afresh.
    s.send("\x1b").unwrap();
    seen += &until(&mut s, "When did it start");
    s.send("4").unwrap(); // two days after
    s.send("\r").unwrap();
    seen += &until(&mut s, "two days or more after");
    seen += &until(&mut s, "(safety check)");
    // The whole checklist is drawn before Ctrl-C is pressed.
    seen += &until(&mut s, "Enter when all answered");
    // Ctrl-C is pressed once runsore waits for a key, as a runner reading the list would: between
    // keys the terminal is back in its own mode, where the terminal itself turns Ctrl-C into a
    // signal that ends the program without a word (CI once pressed it in that gap).
    wait_for_key_read(&s);
    // Ctrl-C: the program stops and says nothing was saved.
    s.send("\x03").unwrap();
    seen += &until(&mut s, "nothing was saved");
    let status = wait_exit(&s);
    assert!(
        matches!(status, WaitStatus::Exited(_, 130)),
        "exit status {status:?}"
    );
    // The terminal is as it was: echo on, and the cursor never hidden.
    assert!(s.get_process().get_echo().unwrap(), "echo left off");
    assert!(!seen.contains("\x1b[?25l"), "the cursor was hidden");
    // Nothing answered yes to a safety question, and nothing was saved.
    assert!(!seen.contains("(safety check) yes"), "{seen}");
    let out = common::runsore()
        .args(["--db", &db, "--json", "history"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("\"triage\""), "a check-in was saved: {text}");
}

#[test]
fn red_flags_from_the_runners_words_are_asked_back_unticked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runsore.db").display().to_string();
    let mut s = session(&db);
    until(&mut s, "In your own words");
    s.send("My left buttock is sore since yesterday's long run and my pee is dark like cola\r")
        .unwrap();
    until(&mut s, "You mentioned these warning signs");
    let list = until(&mut s, "Enter when all answered");
    assert!(list.contains("urine"), "{list}");
    assert!(list.contains("you wrote"), "{list}");
    assert!(!list.contains("[ yes ]"), "pre-ticked: {list}");
    // Enter before answering: not accepted.
    s.send("\r").unwrap();
    until(&mut s, "answer every line");
    // The runner corrects it: no, it is not dark.
    s.send("n").unwrap();
    s.send("\r").unwrap();
    let after = until(&mut s, " ruled out");
    assert!(after.trim_end().ends_with("0 confirmed, 1"), "{after}");
    // The next question is drawn, and runsore waits for a key, before Ctrl-C is pressed: sent
    // earlier, it can reach the terminal between two prompts and stop the program before it says so.
    until(&mut s, "Ctrl-C: stop");
    wait_for_key_read(&s);
    s.send("\x03").unwrap();
    until(&mut s, "nothing was saved");
    assert!(matches!(wait_exit(&s), WaitStatus::Exited(_, 130)));
}
