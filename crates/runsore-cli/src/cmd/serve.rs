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
