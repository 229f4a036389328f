//! Ember vs wasmi on wasm-smith modules: results, traps, globals, memories and tables must
//! agree. The check is shared with the `differential` test of ember-tests.
#![no_main]

#[path = "../../tests/differential/mod.rs"]
mod differential;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(wasm) = differential::generate(&mut u) else {
        return;
    };
    if let Err(disagreement) = differential::check(&wasm, &mut u) {
        if let Ok(dir) = std::env::var("EMBER_FUZZ_DUMP") {
            let _ = std::fs::write(format!("{dir}/differential.wasm"), &wasm);
        }
        panic!("Ember and wasmi disagree: {disagreement}");
    }
});
