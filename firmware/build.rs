//! Assembles `app.wat`, precompiles it with Ember on the build machine, runs it there to get the
//! results the firmware must reproduce, and picks the board's linker script.

use std::path::PathBuf;

/// Arguments the firmware calls the program with (also in `src/main.rs` via `expected.rs`).
const FIB_N: i32 = 24;
const SORT_N: i32 = 2000;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo::rerun-if-changed=app.wat");
    println!("cargo::rerun-if-changed=cortex_m.x");
    println!("cargo::rerun-if-changed=riscv.x");

    let wasm = wat::parse_file("app.wat").expect("app.wat assembles");
    std::fs::write(out.join("app.wasm"), &wasm).expect("write app.wasm");
    // The firmware's Ember is built without the feature `float-superinstructions`: the blob
    // must not use them, or it would refuse it.
    let engine = ember::Engine::new(
        &ember::Config::default()
            .compilation_mode(ember::CompilationMode::Eager)
            .float_superinstructions(false),
    );
    let module = ember::Module::new(&engine, &wasm).expect("app.wasm is valid");
    let blob = module.serialize().expect("serializes");
    std::fs::write(out.join("app.ember"), &blob).expect("write app.ember");

    // The expected results, from Ember on the build machine.
    let mut store = ember::Store::new(&engine, ());
    let mut linker = ember::Linker::new(&engine);
    linker.func_wrap("env", "print", |_: i32| {}).expect("define print");
    let instance = linker.instantiate(&mut store, &module).expect("instantiates");
    let fib = instance.get_typed_func::<i32, i32>(&store, "fib").expect("fib");
    let sort = instance.get_typed_func::<i32, i32>(&store, "sort_hash").expect("sort_hash");
    let fib_r = fib.call(&mut store, FIB_N).expect("fib runs");
    let hash = sort.call(&mut store, SORT_N).expect("sort_hash runs");
    assert_ne!(hash, -1, "sort_hash found the array unsorted");
    std::fs::write(
        out.join("expected.rs"),
        format!(
            "/// fib argument.\npub const FIB_N: i32 = {FIB_N};\n/// fib(FIB_N).\npub const FIB: i32 = {fib_r};\n\
             /// sort_hash argument.\npub const SORT_N: i32 = {SORT_N};\n/// sort_hash(SORT_N).\npub const HASH: i32 = {hash};\n"
        ),
    )
    .expect("write expected.rs");

    let target = std::env::var("TARGET").unwrap_or_default();
    let script = if target.starts_with("thumb") {
        "cortex_m.x"
    } else if target.starts_with("riscv32") {
        "riscv.x"
    } else {
        return; // host `cargo check`: no firmware link
    };
    std::fs::copy(script, out.join("link.x")).expect("copy linker script");
    println!("cargo::rustc-link-search={}", out.display());
    println!("cargo::rustc-link-arg=-Tlink.x");
}
