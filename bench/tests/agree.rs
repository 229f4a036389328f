//! Every workload computes the same result on Ember and wasmi (no timing here).

use ember_bench::engines::{self, Mode};
use ember_bench::workloads::{
    KERNELS, MODULES, PROGRAMS, WORKLOADS, WasmModule, code_section_size,
};

// One test per module so they run in parallel.
#[test]
fn every_kernel_agrees_on_both_engines() {
    agree(KERNELS);
}

#[test]
fn every_program_agrees_on_both_engines() {
    agree(PROGRAMS);
}

fn agree(m: WasmModule) {
    let ember_engine = ember_bench::engines::ember_engine(ember::CompilationMode::Eager);
    // Lazy wasmi translates only what runs (results do not depend on the mode).
    let wasmi_engine = engines::wasmi_engine(Mode::Lazy);
    {
        let em = engines::ember_compile(&ember_engine, m.bytes).expect("Ember compiles");
        let mut e = engines::ember_instantiate(&ember_engine, &em).expect("Ember instantiates");
        let wm = engines::wasmi_compile(&wasmi_engine, m.bytes).expect("wasmi compiles");
        let mut w = engines::wasmi_instantiate(&wasmi_engine, &wm).expect("wasmi instantiates");
        let mut ran = 0;
        for wl in WORKLOADS.iter().filter(|wl| wl.module.name == m.name) {
            let a = e.call(wl.export, wl.n_quick).expect("runs on Ember");
            let b = w.call(wl.export, wl.n_quick).expect("runs on wasmi");
            assert_eq!(a, b, "{}({})", wl.export, wl.n_quick);
            // Calling again gives the same answer (no state leaks between runs); the programs
            // are slow in debug builds, so only the kernels.
            if m.name == KERNELS.name {
                assert_eq!(e.call(wl.export, wl.n_quick).expect("reruns"), a);
            }
            ran += 1;
        }
        assert!(ran > 0, "module {} has workloads", m.name);
    }
}

#[test]
fn lazy_wasmi_compiles_every_module_and_sizes_are_known() {
    let lazy = engines::wasmi_engine(Mode::Lazy);
    for m in MODULES {
        engines::wasmi_compile(&lazy, m.bytes).expect("lazy compile");
        assert!(code_section_size(m.bytes) > 0);
    }
    // The translation benchmark needs one module with at least 1 MB of code.
    assert!(
        MODULES
            .iter()
            .any(|m| code_section_size(m.bytes) >= 1_000_000)
    );
}

#[test]
fn known_results() {
    let engine = ember_bench::engines::ember_engine(ember::CompilationMode::Eager);
    let m = engines::ember_compile(&engine, MODULES[0].bytes).expect("compiles");
    let mut e = engines::ember_instantiate(&engine, &m).expect("instantiates");
    assert_eq!(e.call("fib", 20), Ok(6765));
    // Primes below 32768.
    assert_eq!(e.call("sieve", 1), Ok(3512));
}
