//! Fuzzes the export-archive reader: the input is written to a file named `.zip` (`sources` reads
//! paths, not bytes) and every entry it yields is decoded. Entries are capped at 8 MiB here, not
//! the default 256 MiB, so that one bombed input does not stall the run; the cap's code path is
//! the same.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| std::env::temp_dir().join(format!("runsore-fuzz-{}.zip", std::process::id())))
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if std::fs::write(path, data).is_err() {
        return;
    }
    for src in runsore_import::sources(std::slice::from_ref(path)).max_entry_size(8 << 20) {
        if let Ok(src) = src {
            let _ = runsore_import::decode_source(&src);
        }
    }
});
