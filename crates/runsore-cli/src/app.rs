//! The way to the use cases: the store named by `--db` opened as a [`runsore_app::App`].

use anyhow::Context as _;
use runsore_app::App;

use crate::Ctx;

/// The use cases over the store when it exists; read-only commands do not create one.
pub fn open_existing(ctx: &Ctx) -> anyhow::Result<Option<App>> {
    if !ctx.db_exists() {
        return Ok(None);
    }
    open(ctx).map(Some)
}

/// The use cases over the store when it exists, opened to read only (for commands that do not
/// write, so that a read-only data folder does not block them).
pub fn open_existing_read_only(ctx: &Ctx) -> anyhow::Result<Option<App>> {
    if !ctx.db_exists() {
        return Ok(None);
    }
    let db = ctx.db_path()?;
    App::open_read_only(&db)
        .with_context(|| format!("opening the store {}", db.display()))
        .map(Some)
}

/// The use cases over the store, created when missing.
pub fn open(ctx: &Ctx) -> anyhow::Result<App> {
    let db = ctx.db_path()?;
    App::open(&db).with_context(|| format!("opening the store {}", db.display()))
}
