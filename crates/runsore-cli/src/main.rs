//! The `runsore` binary: parses flags and wires the library crates together.

fn main() {
    println!("runsore");
}
