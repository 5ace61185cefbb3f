//! The `runsore` binary: parses flags and wires the library crates together.
//!
//! Exit codes: 0 success, 2 bad input (the message names what is wrong and where; a damaged
//! store is the runner's file, so it is bad input too), 3 an export of a damaged store that saved
//! what it could but lost some rows (named on stderr), 1 anything else. Nothing is printed on
//! stdout when a command fails, but for `export --json`'s report of a partial export.

#[macro_use]
mod out;
mod app;
mod cmd;
mod ctx;
mod fmt;
mod followup;
mod prompt;
mod result;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use ctx::{BadInput, Ctx};

/// Every start builds the knowledge base and the reader's tables from a few thousand small
/// blocks: glibc's allocator spent a tenth of a check's time on them and grew the heap a page
/// fault at a time (a `check --story` took 1,419 faults; 386 with mimalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Why do my hips or glutes hurt after running? Educational triage from what you report and what
/// your watch recorded. Not a diagnosis.
#[derive(Debug, Parser)]
#[command(
    name = "runsore",
    version,
    after_help = "Your runs and check-ins are kept in one SQLite file on this computer: \
                  runsore.db in your data directory (on Linux ~/.local/share/runsore/), or where \
                  --db PATH or RUNSORE_DB says. `runsore profile` shows the exact path."
)]
struct Cli {
    /// The SQLite store to use (default: runsore.db in the platform data directory).
    #[arg(long, global = true, env = "RUNSORE_DB", value_name = "PATH")]
    db: Option<std::path::PathBuf>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Take this time as now (RFC 3339 or YYYY-MM-DD), for replaying a day; default: the clock.
    #[arg(
        long,
        global = true,
        env = "RUNSORE_NOW",
        value_name = "TIME",
        hide = true
    )]
    now: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Assess sore hips or glutes: red-flag screen, questions, likely causes, what to do.
    Check(cmd::check::Cmd),
    /// Import watch files, folders, or Strava and Garmin export archives.
    Import(cmd::import::Cmd),
    /// List stored runs, or show one.
    Runs(cmd::runs::Cmd),
    /// Weekly distance and load, fitness and fatigue, spikes, downhill, and pacing advice.
    Load(cmd::load::Cmd),
    /// Show or set your body mass, sex, birth year and heart-rate anchors.
    Profile(cmd::profile::Cmd),
    /// Log how sore you are now (0-10, and where) without the questionnaire.
    Log(cmd::log::Cmd),
    /// Show past soreness episodes and how recovery went.
    History(cmd::history::Cmd),
    /// Export runs, profile, episodes and check-ins to JSON and CSV.
    Export(cmd::export::Cmd),
    /// Restore a `runsore export` into an empty store.
    Restore(cmd::restore::Cmd),
    /// List the conditions runsore knows and the sources behind them.
    Knowledge(cmd::knowledge::Cmd),
    /// Open the web app on this computer (prints the address to open).
    Serve(cmd::serve::Cmd),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RUNSORE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let now = match cli
        .now
        .as_deref()
        .map(|t| fmt::parse_date("--now", t))
        .transpose()
    {
        Ok(now) => now,
        Err(err) => {
            eprintln!("runsore: error: {err:#}");
            return ExitCode::from(2);
        }
    };
    let ctx = Ctx::new(cli.db, cli.json, now);
    let result = match cli.command {
        Command::Import(cmd) => cmd.run(&ctx),
        Command::Runs(cmd) => cmd.run(&ctx),
        Command::History(cmd) => cmd.run(&ctx),
        Command::Log(cmd) => cmd.run(&ctx),
        Command::Load(cmd) => cmd.run(&ctx),
        Command::Profile(cmd) => cmd.run(&ctx),
        Command::Export(cmd) => cmd.run(&ctx),
        Command::Restore(cmd) => cmd.run(&ctx),
        Command::Check(cmd) => cmd.run(&ctx),
        Command::Knowledge(cmd) => cmd.run(&ctx),
        Command::Serve(cmd) => cmd.run(&ctx),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<prompt::Interrupted>().is_some() => {
            eprintln!("runsore: {err}");
            ExitCode::from(130)
        }
        Err(err) if err.downcast_ref::<cmd::export::PartialExport>().is_some() => {
            eprintln!("runsore: error: {err:#}");
            ExitCode::from(3)
        }
        Err(err) => {
            // A damaged store is bad input too: the runner's file, not a fault of runsore.
            let bad_input = err.chain().any(|e| {
                e.downcast_ref::<BadInput>().is_some()
                    || matches!(
                        e.downcast_ref::<runsore_store::StoreError>(),
                        Some(runsore_store::StoreError::Damaged { .. })
                    )
                    || matches!(
                        e.downcast_ref::<runsore_app::AppError>(),
                        Some(
                            runsore_app::AppError::BadInput { .. }
                                | runsore_app::AppError::Conflict(_)
                                | runsore_app::AppError::Store(
                                    runsore_store::StoreError::Damaged { .. }
                                )
                        )
                    )
            });
            eprintln!("runsore: error: {err:#}");
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}
