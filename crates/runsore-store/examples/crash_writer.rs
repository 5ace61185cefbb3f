//! Imports numbered synthetic files into a store in a loop, to be killed at any moment:
//! `cargo run -p runsore-store --example crash_writer -- STORE.db [COUNT]`, then kill it
//! (`kill -9`) and reopen the store. tests/crash.rs does this repeatedly with its own binary.

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: crash_writer STORE.db [COUNT]");
        return ExitCode::from(2);
    };
    let count = match args.next().map(|c| c.parse::<usize>()) {
        None => 500,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("crash_writer: COUNT: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runsore_store::Store::open(&path).and_then(|s| common::write_files(&s, count));
    match result {
        Ok(n) => {
            println!("{n} runs stored");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("crash_writer: {e}");
            ExitCode::FAILURE
        }
    }
}
