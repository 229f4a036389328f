//! Chooses the executor's dispatch (see `src/exec/threaded.rs`): handlers that tail-call the
//! next instruction's handler where the compiler is known to turn those calls into jumps
//! (optimised builds for x86-64 and AArch64), the portable loop everywhere else (debug builds,
//! 32-bit microcontrollers, wasm), under sanitizers or fuzzing instrumentation (AddressSanitizer
//! keeps the calls as calls: every executed instruction would take a stack frame), or when the
//! `portable-dispatch` feature asks for it.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(ember_tail_dispatch)");
    println!("cargo::rustc-check-cfg=cfg(ember_compact_loop)");
    println!("cargo::rustc-check-cfg=cfg(ember_f32_via_f64)");
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let optimised = matches!(opt.as_str(), "2" | "3" | "s" | "z");
    let sibling_calls = matches!(arch.as_str(), "x86_64" | "aarch64");
    let portable = std::env::var_os("CARGO_FEATURE_PORTABLE_DISPATCH").is_some();
    // `cfg(sanitize = "...")` (-Zsanitizer) and `cfg(fuzzing)` (cargo fuzz) show up as these.
    let instrumented = std::env::var_os("CARGO_CFG_SANITIZE").is_some()
        || std::env::var_os("CARGO_CFG_FUZZING").is_some();
    println!("cargo::rerun-if-env-changed=CARGO_CFG_SANITIZE");
    let tail = optimised && sibling_calls && !portable && !instrumented;
    if tail {
        println!("cargo::rustc-cfg=ember_tail_dispatch");
    }
    // The portable loop's compact form (`src/exec/compact.rs`): smaller, slower.
    let compact = !tail && std::env::var_os("CARGO_FEATURE_SMALL_CODE").is_some();
    if compact {
        println!("cargo::rustc-cfg=ember_compact_loop");
    }
    // There, f32 arithmetic computes in f64 (`src/exec/float.rs`) unless the target has an f32
    // unit (Cortex-M4F: `eabihf`; RISC-V: `F`): without one, only the f64 soft-float routines
    // are then linked. (Other targets, x86-64 included, take it too: that is how the spec
    // suite tests it.)
    let abi = std::env::var("CARGO_CFG_TARGET_ABI").unwrap_or_default();
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    let hard_f32 = (arch == "arm" && abi == "eabihf")
        || (arch.starts_with("riscv") && features.split(',').any(|f| f == "f"));
    if compact && !hard_f32 {
        println!("cargo::rustc-cfg=ember_f32_via_f64");
    }
}
