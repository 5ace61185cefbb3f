//! runsore-web (being built).
