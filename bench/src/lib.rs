//! Ember's benchmark suite: real workloads (Rust kernels and crates.io programs compiled to
//! wasm, in `bench/wasm/`) run on Ember and on wasmi 2.0 in the same process.
//!
//! `cargo run --release -p ember-bench -- compare [--quick]` prints the table; the library part
//! is shared with the tests, which check that both engines compute the same results.
#![deny(missing_docs)]

pub mod engines;
pub mod report;
pub mod stats;
pub mod workloads;
