//! Translation never panics, and agrees with wasmparser's validator (WebAssembly 2.0 without
//! SIMD, the features Ember implements) on which modules are valid:
//! 1. the raw input as a binary module (and as text, through `Module::new`);
//! 2. a wasm-smith module built from the input (sometimes with invalid function bodies).
#![no_main]

use arbitrary::Unstructured;
use ember::{Engine, Module};
use libfuzzer_sys::fuzz_target;
use wasmparser::Validator;

/// Ember and wasmparser must agree on validity; Ember must not panic.
fn agree(engine: &Engine, wasm: &[u8]) {
    let ember = Module::from_binary(engine, wasm);
    let reference = Validator::new_with_features(ember_validate::features()).validate_all(wasm);
    match (&ember, &reference) {
        (Ok(_), Ok(_)) | (Err(_), Err(_)) => {}
        _ => {
            if let Ok(dir) = std::env::var("EMBER_FUZZ_DUMP") {
                let _ = std::fs::write(format!("{dir}/translate.wasm"), wasm);
            }
            panic!(
                "validity disagreement: Ember {:?}, wasmparser {:?}",
                ember.as_ref().map(|_| ()),
                reference.as_ref().map(|_| ())
            );
        }
    }
}

/// A wasm-smith configuration for Ember's feature set, with wider limits than the
/// differential target (imports, unbounded memories and tables, big types).
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
    c.max_tables = u.int_in_range(0..=5)?;
    c.min_types = 1;
    c.max_funcs = u.int_in_range(1..=100)?;
    c.min_funcs = u.int_in_range(0..=3)?.min(c.max_funcs);
    c.max_instructions = u.int_in_range(1..=1000)?;
    c.max_nesting_depth = 50;
    c.allow_invalid_funcs = u.ratio(1, 4)?;
    c.canonicalize_nans = u.arbitrary()?;
    c.disallow_traps = u.arbitrary()?;
    c.min_uleb_size = u.int_in_range(1..=5)?;
    c.generate_custom_sections = u.arbitrary()?;
    c.multi_value_enabled = u.ratio(7, 8)?;
    c.reference_types_enabled = u.ratio(7, 8)?;
    c.bulk_memory_enabled = u.ratio(7, 8)? || c.reference_types_enabled;
    Ok(c)
}

fuzz_target!(|data: &[u8]| {
    thread_local!(static ENGINE: Engine = Engine::default());
    ENGINE.with(|engine| {
        agree(engine, data);
        // Text (or binary) through the public entry point: must not panic.
        let _ = Module::new(engine, data);

        let mut u = Unstructured::new(data);
        let Ok(config) = config(&mut u) else { return };
        let invalid_allowed = config.allow_invalid_funcs;
        let Ok(module) = wasm_smith::Module::new(config, &mut u) else {
            return;
        };
        let wasm = module.to_bytes();
        if invalid_allowed {
            agree(engine, &wasm);
        } else if let Err(e) = Module::from_binary(engine, &wasm) {
            if let Ok(dir) = std::env::var("EMBER_FUZZ_DUMP") {
                let _ = std::fs::write(format!("{dir}/translate.wasm"), &wasm);
            }
            panic!("Ember rejected a valid wasm-smith module: {e}");
        }
    });
});
