//! runsore-store (being built).
