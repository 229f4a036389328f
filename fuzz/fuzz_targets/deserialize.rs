//! Loading precompiled modules never panics, whatever the bytes:
//! 1. the raw input as a blob (`Module::deserialize`);
//! 2. a wasm-smith module, translated and serialized (it must round-trip exactly), then
//!    corrupted at input-chosen positions (bit flips, truncation) and loaded.
//!
//! A blob that loads and whose code has no backward branch and few call sites (so it terminates
//! quickly with a call-depth limit) is instantiated (with small memory/table limits, running its
//! start function) and its exported functions are called with default arguments.
#![no_main]

use arbitrary::Unstructured;
use ember::bytecode::Instr;
use ember::bytecode::module::CompiledModule;
use ember::{CompilationMode, Config, Engine, Extern, Linker, Module, Store, Val};
use libfuzzer_sys::fuzz_target;

/// Whether the module's code might run long: a branch that is not forward, or > 8 calls.
fn may_run_long(m: &CompiledModule) -> bool {
    let code = &m.code;
    let (mut pc, mut calls) = (0, 0);
    while pc < code.len() {
        let Ok((instr, len)) = Instr::decode(code, pc) else {
            return true;
        };
        let mut text = String::new();
        let _ = instr.disassemble(code, pc, &mut text);
        if text.contains("offset=-") || text.contains("offset=0") {
            return true;
        }
        if instr.mnemonic() == "br_table" {
            let tail = text.split('[').nth(1).unwrap_or("").trim_end_matches(']');
            if tail.split(", ").any(|o| o.parse::<i64>().is_ok_and(|o| o <= 0)) {
                return true;
            }
        }
        calls += usize::from(instr.mnemonic().starts_with("call"));
        pc += len.max(1);
    }
    calls > 8
}

fn load_and_run(engine: &Engine, blob: &[u8]) {
    let Ok(module) = Module::deserialize(engine, blob) else {
        return;
    };
    // Instantiation runs the start function: only code that ends quickly is run at all.
    if may_run_long(module.compiled()) {
        return;
    }
    let mut store = Store::new(engine, ());
    // Imports are not provided: modules with imports fail to link, which is fine.
    let Ok(instance) = Linker::new(engine).instantiate(&mut store, &module) else {
        return;
    };
    let funcs: Vec<_> = instance
        .exports(&store)
        .filter_map(|(_, e)| match e {
            Extern::Func(f) => Some(f),
            _ => None,
        })
        .collect();
    for f in funcs {
        let ty = f.ty(&store);
        let args: Vec<Val> = ty.params().iter().map(|&t| Val::default_for(t)).collect();
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
        let _ = f.call(&mut store, &args, &mut results);
    }
}

/// WebAssembly 2.0 without SIMD, small modules.
fn config(u: &mut Unstructured<'_>) -> arbitrary::Result<wasm_smith::Config> {
    let mut c = wasm_smith::Config::default();
    c.simd_enabled = false;
    c.relaxed_simd_enabled = false;
    c.threads_enabled = false;
    c.shared_everything_threads_enabled = false;
    c.tail_call_enabled = false;
    c.exceptions_enabled = false;
    c.gc_enabled = false;
    c.memory64_enabled = false;
    c.custom_page_sizes_enabled = false;
    c.custom_descriptors_enabled = false;
    c.wide_arithmetic_enabled = false;
    c.extended_const_enabled = false;
    c.compact_imports_enabled = false;
    c.max_memories = 1;
    c.max_imports = 0;
    c.max_funcs = u.int_in_range(1..=20)?;
    c.max_instructions = u.int_in_range(1..=300)?;
    c.multi_value_enabled = true;
    c.reference_types_enabled = u.ratio(7, 8)?;
    c.bulk_memory_enabled = true;
    Ok(c)
}

fuzz_target!(|data: &[u8]| {
    let engine = Engine::new(
        &Config::default()
            .max_call_depth(4)
            .max_stack_slots(1 << 14)
            .max_memory_pages(16)
            .max_table_elements(10_000)
            .compilation_mode(CompilationMode::Eager),
    );
    load_and_run(&engine, data);

    let mut u = Unstructured::new(data);
    let Ok(config) = config(&mut u) else {
        return;
    };
    let Ok(module) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let Ok(m) = Module::from_binary(&engine, &module.to_bytes()) else {
        return;
    };
    let blob = m.serialize().expect("a translated module serializes");
    let again = Module::deserialize(&engine, &blob).expect("a translated module loads");
    assert_eq!(again.compiled(), m.compiled(), "round trip changed the module");
    let mut bytes = blob;
    let flips: u8 = u.int_in_range(0..=4).unwrap_or(0);
    for _ in 0..flips {
        let Ok(at) = u.choose_index(bytes.len().max(1) * 8) else {
            break;
        };
        if let Some(b) = bytes.get_mut(at / 8) {
            *b ^= 1 << (at % 8);
        }
    }
    if u.ratio(1u8, 8).unwrap_or(false) {
        let keep = u.choose_index(bytes.len().max(1)).unwrap_or(0);
        bytes.truncate(keep);
    }
    load_and_run(&engine, &bytes);
});
