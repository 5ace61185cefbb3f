//! Shared domain types of runsore: what a run is, what a runner reports, and the evidence derived
//! from their runs. Plain data, no I/O and no logic beyond small helpers; every crate may use it.

pub mod bounds;
pub mod evidence;
pub mod intake;
pub mod run;

pub use bounds::Bound;
pub use evidence::{DerivedEvidence, DerivedFinding};
pub use intake::{Feel, Intake, Intensity, Onset, Region, RunReport, Sex, Sides, Training, Trend};
pub use run::{Format, Run, RunSummary, Sample, Sport};
