//! Pages drawn from values the app keeps for the store's revision are drawn once per value and
//! then answered as they are: the training charts are thousands of numbers formatted into SVG,
//! far costlier than the request that asks for them.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use runsore_app::{CheckinEntry, RunPage, TrainingView};

/// Pages kept: a few windows of the charts (the default one, and the weeks looked through).
const KEPT: usize = 8;

/// A drawn page with the values it was drawn from.
type Drawn = (Arc<TrainingView>, Arc<Vec<CheckinEntry>>, Bytes);

/// The training page, by the charts and the check-ins it was drawn from. They are compared by
/// identity: the app hands out the same kept value until the store, the day or the window asked
/// for changes, and an entry holds both, so their addresses cannot be reused while it is kept.
#[derive(Default)]
pub(crate) struct TrainingPages {
    entries: Mutex<Vec<Drawn>>,
}

impl TrainingPages {
    /// The page drawn from exactly these values, when it is kept.
    pub(crate) fn get(
        &self,
        training: &Arc<TrainingView>,
        checkins: &Arc<Vec<CheckinEntry>>,
    ) -> Option<Bytes> {
        let entries = self.entries.lock().ok()?;
        entries
            .iter()
            .find(|(t, c, _)| Arc::ptr_eq(t, training) && Arc::ptr_eq(c, checkins))
            .map(|(_, _, page)| page.clone())
    }

    /// Keeps a page drawn from these values, dropping the oldest beyond [`KEPT`].
    pub(crate) fn put(
        &self,
        training: Arc<TrainingView>,
        checkins: Arc<Vec<CheckinEntry>>,
        page: Bytes,
    ) {
        if let Ok(mut entries) = self.entries.lock() {
            // Pages drawn from check-ins no longer current are never asked for again.
            entries.retain(|(_, c, _)| Arc::ptr_eq(c, &checkins));
            if entries.len() >= KEPT {
                entries.remove(0);
            }
            entries.push((training, checkins, page));
        }
    }
}

/// Pages of the runs list kept drawn: the default page and a few paged through.
const RUNS_KEPT: usize = 8;

/// The table of one page of the runs list (everything the page shows of the runs; the form
/// around it carries each client's own token, so it is drawn per request), by the page it was
/// drawn from, compared by identity as above. Drawing 50 rows was most of a request's time:
/// a few hundred small strings formatted and escaped.
#[derive(Default)]
pub(crate) struct RunsTables {
    entries: Mutex<Vec<(Arc<RunPage>, Arc<str>)>>,
}

impl RunsTables {
    /// The table drawn from exactly this page, drawn by `draw` when none is kept.
    pub(crate) fn get_or_draw(
        &self,
        listing: &Arc<RunPage>,
        draw: impl FnOnce(&RunPage) -> String,
    ) -> Arc<str> {
        let kept = |entries: &[(Arc<RunPage>, Arc<str>)]| {
            entries
                .iter()
                .find(|(p, _)| Arc::ptr_eq(p, listing))
                .map(|(_, t)| Arc::clone(t))
        };
        if let Some(table) = self.entries.lock().ok().and_then(|e| kept(&e)) {
            return table;
        }
        let table: Arc<str> = draw(listing).into();
        if let Ok(mut entries) = self.entries.lock() {
            // A page the app no longer keeps is never handed out again; the oldest goes first.
            entries.retain(|(p, _)| Arc::strong_count(p) > 1);
            if entries.len() >= RUNS_KEPT {
                entries.remove(0);
            }
            entries.push((Arc::clone(listing), Arc::clone(&table)));
        }
        table
    }
}
