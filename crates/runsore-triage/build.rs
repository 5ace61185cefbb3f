//! Writes the embedded knowledge file, `knowledge/knowledge.toml`, as JSON for the crate to parse
//! at start-up: the same document (TOML's tables, arrays, strings, numbers and booleans map one
//! to one onto JSON's), which serde_json reads in a fraction of the time the TOML parser takes.
//! The TOML file stays the one source; a file that does not parse is left for the crate's tests
//! to report with its line (an empty document here, which `knowledge()` rejects).

fn main() {
    println!("cargo::rerun-if-changed=knowledge/knowledge.toml");
    let text = std::fs::read_to_string("knowledge/knowledge.toml")
        .expect("knowledge/knowledge.toml is readable");
    let json = match toml::from_str::<toml::Table>(&text) {
        Ok(table) => serde_json::to_string(&table).expect("a TOML table is written as JSON"),
        Err(_) => "{}".to_string(),
    };
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(format!("{dir}/knowledge.json"), json).expect("OUT_DIR is writable");
}
