//! Pure training analytics over recorded runs: per-run figures, load over time, spikes, downhill,
//! sweat and potassium, the evidence handed to the triage engine and the `runsore load` report.
//!
//! Invariants: no I/O, no clock (`today` and `now_utc` are parameters), no randomness, and no
//! function fails on valid input. Unknown figures stay `None`; days before the first recorded run
//! are unknown history, never zero load.
//!
//! Entry points: [`RunView::from_run`] (at import or when reading the store), [`report()`] and
//! [`render_text`] (`runsore load`), [`derive_evidence`] (for the triage engine), [`analyse`]
//! (per-run metrics). The formulas and their sources are in each module's opening comment:
//! `figures` (descent from smoothed elevation), `load` (Banister TRIMP and its fallbacks),
//! `series` (CTL/ATL/TSB, acute:chronic ratios, monotony, spikes, weekly change, downhill
//! novelty), `sweat` (heat-balance sweat estimate, potassium, foods), `evidence` (thresholds for
//! hot, heavy sweating, downhill, unaccustomed).

pub mod date;
pub mod evidence;
pub mod figures;
pub mod load;
pub mod profile;
pub mod report;
pub mod series;
pub mod sweat;

pub use date::Day;
pub use evidence::{Timing, derive_evidence, derive_evidence_for, explaining_run_index};
pub use figures::{Descent, ElevationSource, HrBin, RunFigures, RunView};
pub use load::{Analysis, HrBasis, HrSource, LoadMethod, RunMetrics, analyse, analyse_since};
pub use profile::Profile;
pub use report::{LoadReport, render_text, report};
pub use sweat::{SweatEstimate, estimate_sweat};
