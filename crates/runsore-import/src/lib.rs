//! runsore-import (being built).
