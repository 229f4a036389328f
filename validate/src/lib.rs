//! Ember's streaming translator: reads each function body once with `wasmparser`, validates
//! it with a reused `FuncValidator`, and lowers it to register bytecode.
//!
//! The entry point is [`Translator::translate`]. One [`Translator`] keeps every buffer it needs
//! (the function validator's allocations, the compile-time operand and control stacks, the
//! branch fixup list, scratch lists) and reuses them for every function of every module.
#![no_std]
#![deny(missing_docs)]

extern crate alloc;

mod convert;
mod func;
mod sections;
mod strict;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use ember_bytecode::module::CompiledModule;
use wasmparser::{FuncValidatorAllocations, Parser, ValidPayload, Validator, WasmFeatures};

/// A malformed or invalid module: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// What is wrong.
    pub message: String,
    /// Byte offset in the wasm binary.
    pub offset: usize,
    /// The function (module-level index) being translated, if the error is inside a body.
    pub func_index: Option<u32>,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.func_index {
            Some(i) => write!(
                f,
                "{} (function {i}, at offset {:#x})",
                self.message, self.offset
            ),
            None => write!(f, "{} (at offset {:#x})", self.message, self.offset),
        }
    }
}

/// The WebAssembly features Ember accepts: 1.0 and 2.0 without SIMD.
pub fn features() -> WasmFeatures {
    WasmFeatures::WASM2.difference(WasmFeatures::SIMD)
}

/// Validates modules and translates them to bytecode, reusing its buffers across functions and
/// modules.
///
/// Reused for every module: the function validator's allocations, the operator reader's control
/// stack, the compile-time operand and control stacks, the branch fixup list and scratch lists
/// (cleared, capacity kept), and the wasmparser `Validator` itself (`Validator::reset` after a
/// module that validated; a fresh one after an error, since wasmparser cannot reset a validator
/// stopped mid-module). A reset validator keeps its type arena, which deduplicates function types
/// across modules: it grows only with types it has not seen before. So that a long-lived engine
/// fed endless distinct modules stays bounded, the validator is replaced by a fresh one once it
/// has been fed [`Translator::MAX_TYPES_PER_VALIDATOR`] types (`tests/bounded_types.rs`).
///
/// After warm-up, translating a module allocates only per module (the output, wasmparser's
/// per-module state), never per function or per operator (see `tests/alloc_reuse.rs`).
pub struct Translator {
    validator: Validator,
    /// Types (module type-section entries) the current validator has been fed.
    types_fed: usize,
    allocs: FuncValidatorAllocations,
    buffers: func::Buffers,
}

impl Default for Translator {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Translator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Translator").finish_non_exhaustive()
    }
}

impl Translator {
    /// A translator for WebAssembly 2.0 (without SIMD).
    pub fn new() -> Self {
        Translator {
            validator: Validator::new_with_features(features()),
            types_fed: 0,
            allocs: FuncValidatorAllocations::default(),
            buffers: func::Buffers::default(),
        }
    }

    /// After the validator has been fed this many types it is replaced, bounding its type
    /// arena (which otherwise keeps every distinct type it has seen).
    pub const MAX_TYPES_PER_VALIDATOR: usize = 4096;

    /// Validates `wasm` (a binary module) and translates it.
    pub fn translate(&mut self, wasm: &[u8]) -> Result<CompiledModule, CompileError> {
        let result = self.translate_inner(wasm);
        match &result {
            Ok(m) if self.types_fed + m.types.len() <= Self::MAX_TYPES_PER_VALIDATOR => {
                // The validator saw the module's end: keep it (and its type arena) for the next.
                self.types_fed += m.types.len();
                self.validator.reset();
            }
            // A validator stopped mid-module cannot be reset, and one that has seen many types
            // is dropped to bound memory: start a fresh one.
            _ => {
                self.types_fed = 0;
                self.validator = Validator::new_with_features(features());
            }
        }
        result
    }

    fn translate_inner(&mut self, wasm: &[u8]) -> Result<CompiledModule, CompileError> {
        let mut m = CompiledModule::default();
        let mut code: Vec<u8> = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            let payload = payload.map_err(convert::wp_err)?;
            let valid = self.validator.payload(&payload).map_err(convert::wp_err)?;
            sections::record(&mut m, &payload, wasm)?;
            if let wasmparser::Payload::CodeSectionStart { size, .. } = payload {
                // Bytecode is usually between one and three times the wasm size.
                code.reserve((size as usize).saturating_mul(3));
            }
            match valid {
                ValidPayload::Func(to_validate, body) => {
                    let allocs = core::mem::take(&mut self.allocs);
                    let mut fv = to_validate.into_validator(allocs);
                    let result = func::translate(&mut self.buffers, &mut code, &m, &mut fv, &body);
                    self.allocs = fv.into_allocations();
                    m.bodies.push(result?);
                }
                ValidPayload::Parser(_) => {
                    return Err(convert::err(0, "nested modules are not supported"));
                }
                ValidPayload::Ok | ValidPayload::End(_) => {}
            }
        }
        m.code = code.into();
        Ok(m)
    }
}
