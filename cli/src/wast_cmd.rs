//! `ember wast FILE.wast...`: run spec-test scripts with the spec runner.

use ember::Engine;
use ember_tests::{Summary, install_quiet_panic_hook, run_and_print};
use std::process::ExitCode;

/// Failures shown per file.
const MAX_DETAILS: usize = 20;

/// Runs every script, prints one line per file (with failure details) and the summary line
/// `spec: N passed, M failed` (as the spec test prints); fails if any directive failed.
pub fn command(files: &[String]) -> Result<ExitCode, String> {
    if files.is_empty() {
        return Err("`ember wast` needs at least one FILE.wast".to_string());
    }
    install_quiet_panic_hook();
    let engine = Engine::default();
    let mut summary = Summary::default();
    for file in files {
        let source =
            std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
        run_and_print(&engine, file, &source, MAX_DETAILS, &mut summary);
    }
    println!("{}", summary.line("spec"));
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
