//! The benchmark modules and workloads.

/// A benchmark module (built by `bench/build-wasm.sh`).
#[derive(Debug, Clone, Copy)]
pub struct WasmModule {
    /// Short name used in the tables.
    pub name: &'static str,
    /// The module binary.
    pub bytes: &'static [u8],
}

/// Rust kernels (bench/kernels): fib, sieve, matmul, nbody, sha256, sort, coremark, memops.
pub const KERNELS: WasmModule = WasmModule {
    name: "kernels",
    bytes: include_bytes!("../wasm/kernels.wasm"),
};

/// crates.io programs (bench/programs): pulldown-cmark, miniz_oxide, regex, serde_json.
pub const PROGRAMS: WasmModule = WasmModule {
    name: "programs",
    bytes: include_bytes!("../wasm/programs.wasm"),
};

/// Every benchmark module.
pub const MODULES: [WasmModule; 2] = [KERNELS, PROGRAMS];

/// One workload: an export `(i32) -> i64` of a module, with its `n` for full and quick runs.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    /// Export name (also the workload's name in the tables).
    pub export: &'static str,
    /// The module exporting it.
    pub module: WasmModule,
    /// Argument for a full run (~0.1–0.3 s on Ember).
    pub n: i32,
    /// Argument for `--quick` and the tests.
    pub n_quick: i32,
}

const fn w(module: WasmModule, export: &'static str, n: i32, n_quick: i32) -> Workload {
    Workload {
        export,
        module,
        n,
        n_quick,
    }
}

/// Every workload.
pub const WORKLOADS: [Workload; 12] = [
    w(KERNELS, "fib", 30, 15),
    w(KERNELS, "sieve", 40, 1),
    w(KERNELS, "matmul", 10, 1),
    w(KERNELS, "nbody", 60000, 100),
    w(KERNELS, "sha256", 120, 1),
    w(KERNELS, "sort", 15, 1),
    w(KERNELS, "coremark", 400, 2),
    w(KERNELS, "memops", 30000, 10),
    w(PROGRAMS, "markdown", 20, 1),
    w(PROGRAMS, "deflate", 2, 1),
    w(PROGRAMS, "regex", 5, 1),
    w(PROGRAMS, "json", 10, 1),
];

/// Size in bytes of a module's code section (function bodies), 0 if it has none.
pub fn code_section_size(bytes: &[u8]) -> usize {
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let Ok(wasmparser::Payload::CodeSectionStart {
            unchecked_range, ..
        }) = payload
        {
            return (unchecked_range.end - unchecked_range.start) as usize;
        }
    }
    0
}
