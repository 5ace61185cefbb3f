//! One module per subcommand, each a clap `Cmd` with a `run`.

pub mod check;
pub mod export;
pub mod history;
pub mod import;
pub mod knowledge;
pub mod load;
pub mod profile;
pub mod restore;
pub mod runs;
pub mod serve;
