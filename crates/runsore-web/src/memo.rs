//! Pages drawn from values the app keeps for the store's revision are drawn once per value and
//! then answered as they are: the training charts are thousands of numbers formatted into SVG,
//! far costlier than the request that asks for them.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use runsore_app::{CheckinEntry, TrainingView};

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
