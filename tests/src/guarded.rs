//! Running modules of unknown behaviour (mutated, corrupted) safely in tests: a conservative
//! "may run long" filter and a helper that calls every export.

use crate::spectest;
use ember::bytecode::Instr;
use ember::bytecode::module::CompiledModule;
use ember::{Engine, Extern, Linker, Module, Store, Val};

/// Whether running `m`'s code might take long: a branch that does not go forward (a loop, or a
/// branch to itself), more than `max_call_sites` call sites (with the call depth limited to
/// `d`, at most `max_call_sites ^ d` calls), or code that cannot be decoded. Conservative:
/// memory offsets are printed like branch offsets, so `offset=0` loads count as loops.
pub fn may_run_long(m: &CompiledModule, max_call_sites: usize) -> bool {
    let code = &m.code;
    let mut pc = 0;
    let mut call_sites = 0;
    while pc < code.len() {
        let Ok((instr, len)) = Instr::decode(code, pc) else {
            return true;
        };
        let mut text = String::new();
        let _ = instr.disassemble(code, pc, &mut text);
        // Branch offsets are printed as `offset=N`, or in the `[...]` tail of br_table.
        if text.contains("offset=-") || text.contains("offset=0") {
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
    call_sites > max_call_sites
}

/// Instantiates `module` with `spectest` and calls every exported function with default
/// arguments (checking that returned references are usable in the store); returns how many
/// functions were called.
pub fn run_all(engine: &Engine, module: &Module) -> usize {
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
        if f.call(&mut store, &args, &mut results).is_ok() {
            for r in &results {
                if let Val::FuncRef(Some(g)) = r {
                    let _ = g.ty(&store);
                }
            }
        }
    }
    funcs.len()
}
