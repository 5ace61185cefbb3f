//! runsore-triage (being built).
