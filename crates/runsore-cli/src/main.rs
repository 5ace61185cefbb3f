//! The `runsore` binary: parses flags and wires the library crates together.

mod cmd {
    pub mod serve;
}

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Sore hips or glutes from running: triage, watch files, training load.
#[derive(Debug, Parser)]
#[command(name = "runsore", version)]
struct Cli {
    /// The store file (default: in memory for now).
    #[arg(long, global = true, env = "RUNSORE_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the local web app.
    Serve(cmd::serve::Cmd),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(cmd) => cmd.run(cli.db),
    }
}
