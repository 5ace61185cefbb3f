//! `runsore serve`: the local web app and JSON API.

use std::net::IpAddr;

use anyhow::Context;
use clap::Args;

/// Start the web app on this computer and print the address to open.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 7878)]
    pub port: u16,
    /// Address to bind; anything but loopback also needs --allow-remote and a token.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Allow binding an address other than loopback (other devices can then reach the app).
    #[arg(long)]
    pub allow_remote: bool,
    /// Access token required on every request; generated when --allow-remote is given without it.
    #[arg(long, env = "RUNSORE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Largest upload accepted, in megabytes.
    #[arg(long, default_value_t = 256)]
    pub upload_limit_mb: usize,
}

impl Cmd {
    /// Runs the server until Ctrl-C, over the same store as the other commands.
    pub fn run(self, ctx: &crate::Ctx) -> anyhow::Result<()> {
        let db = Some(ctx.db_path()?);
        let token = match (&self.token, self.allow_remote && !self.bind.is_loopback()) {
            (Some(t), _) => Some(t.clone()),
            (None, true) => Some(runsore_web::random_token()),
            (None, false) => None,
        };
        let config = runsore_web::Config {
            addr: self.bind,
            port: self.port,
            allow_remote: self.allow_remote,
            access_token: token,
            db,
            upload_limit: self.upload_limit_mb.max(1) * 1024 * 1024,
            now: ctx.fixed_now(),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .max_blocking_threads(blocking_threads())
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        match runtime.block_on(runsore_web::serve(config)) {
            Ok(()) => Ok(()),
            Err(e @ runsore_web::ServeError::Refused(_)) => {
                Err(crate::ctx::bad_input(e.to_string()))
            }
            Err(e) => Err(e).context("the web app stopped"),
        }
    }
}

/// The threads of the blocking pool, where every store read and most of the engine run: two a
/// core (one computing while another waits on the disk), at least 4 and at most the app's 16
/// connections. Tokio's default of 512 let 32 clients in flight keep 60 threads alive, each
/// with the allocator's own heap: 79-124 MB resident after the load against 46-48 MB with 4
/// threads, and more context switches for no more work done on two cores.
fn blocking_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(2, std::num::NonZeroUsize::get)
        .saturating_mul(2)
        .clamp(4, 16)
}
