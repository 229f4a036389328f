//! `ember wast FILE.wast...`: run spec-test scripts with the spec runner.

use ember::Engine;
use ember_tests::{
    FileReport, Summary, catch_panic, install_quiet_panic_hook, run_wast_with_engine,
};
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
        let report =
            catch_panic(|| run_wast_with_engine(&engine, file, &source)).unwrap_or_else(|panic| {
                let mut r = FileReport::new(file);
                r.fail(0, 0, "script", format!("PANIC: {panic}"));
                r
            });
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = report.write_details(&mut text, MAX_DETAILS);
        print!("{text}");
        summary.add(&report);
    }
    println!("{}", summary.line("spec"));
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
