//! The spec suite again, with every module translated, serialized to a precompiled blob,
//! deserialized (decoded and verified) and only then instantiated and run.
//!
//! Prints `spec (round-trip): N passed, M failed`; exits non-zero if anything failed.

mod suite;

use ember::Engine;
use ember_tests::{install_quiet_panic_hook, set_round_trip};
use std::process::ExitCode;
use suite::run_spec_suite;

/// Failures printed per file.
const MAX_DETAILS: usize = 5;

fn main() -> ExitCode {
    install_quiet_panic_hook();
    set_round_trip(true);
    let engine = Engine::default();
    let summary = run_spec_suite(&engine, MAX_DETAILS);
    println!("{}", summary.line("spec (round-trip)"));
    if summary.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
