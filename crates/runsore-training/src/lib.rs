//! runsore-training (being built).
