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

use alloc::vec::Vec;
use core::fmt;
use ember_bytecode::module::CompiledModule;
use ember_bytecode::module::FuncBody;
use wasmparser::{
    FuncToValidate, FuncValidatorAllocations, FunctionBody, Parser, ValidPayload, Validator,
    ValidatorResources, WasmFeatures,
};

pub use ember_bytecode::CompileError;

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
    /// Size of the current module's code section.
    code_size: usize,
    /// Emit the float superinstructions ([`Translator::float_superinstructions`]).
    float_super: bool,
}

/// Called for every function body with the module so far.
type BodyFn<'a> = dyn FnMut(
        &mut Translator,
        &CompiledModule,
        FuncToValidate<ValidatorResources>,
        &FunctionBody<'_>,
    ) -> Result<FuncBody, CompileError>
    + 'a;

pub use ember_bytecode::module::UNTRANSLATED;

/// Where the bodies of a lazily loaded module lie, and what translating them later needs.
#[derive(Debug, Clone)]
pub struct LazyBodies {
    /// Byte range of each defined function's body in the wasm.
    ranges: Vec<(usize, usize)>,
    /// The module's types, as the validator saw them.
    resources: Option<ValidatorResources>,
    features: WasmFeatures,
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
            code_size: 0,
            float_super: cfg!(feature = "float-superinstructions"),
        }
    }

    /// Whether translated code may use the float superinstructions
    /// ([`ember_bytecode::is_float_superinstruction`]: the float accumulator, fused
    /// multiply-add pairs, immediate operands; on by default). Turn it off to precompile
    /// modules for a runtime built without the feature `float-superinstructions`. A build
    /// without that feature never emits them, whatever this says.
    pub fn float_superinstructions(&mut self, on: bool) -> &mut Self {
        self.float_super = on && cfg!(feature = "float-superinstructions");
        self
    }

    /// After the validator has been fed this many types it is replaced, bounding its type
    /// arena (which otherwise keeps every distinct type it has seen).
    pub const MAX_TYPES_PER_VALIDATOR: usize = 4096;

    /// Validates `wasm` (a binary module) and translates it.
    pub fn translate(&mut self, wasm: &[u8]) -> Result<CompiledModule, CompileError> {
        let result = self.translate_inner(wasm);
        self.finish(result.as_ref().map(|m| m.types.len()));
        result
    }

    /// Validates `wasm`'s module structure and records where each function body lies, without
    /// translating any body: the module's function bodies have `code_start ==
    /// [`UNTRANSLATED`]` until [`Translator::translate_body`] translates them. With
    /// `validate_bodies`, every body is also validated now (so a module that loads is valid, as
    /// with [`Translator::translate`]); without, an invalid body is only found when it is
    /// translated.
    pub fn translate_lazy(
        &mut self,
        wasm: &[u8],
        validate_bodies: bool,
    ) -> Result<(CompiledModule, LazyBodies), CompileError> {
        let mut lazy = LazyBodies {
            ranges: Vec::new(),
            resources: None,
            features: features(),
        };
        let result = self.translate_inner_with(wasm, &mut |t, m, to_validate, body| {
            let range = body.range();
            let ty = m.func_type(to_validate.index);
            let (num_params, num_results) = ty.map_or((0, 0), |t| {
                (t.params().len() as u16, t.results().len() as u16)
            });
            lazy.ranges.push((range.start as usize, range.end as usize));
            if lazy.resources.is_none() {
                lazy.resources = Some(to_validate.resources.clone());
            }
            if validate_bodies {
                #[cfg(not(feature = "small-code"))]
                let func_index = to_validate.index;
                let allocs = core::mem::take(&mut t.allocs);
                let mut fv = to_validate.into_validator(allocs);
                #[cfg(feature = "small-code")]
                let r = func::validate(&mut t.buffers, m, &mut fv, body);
                #[cfg(not(feature = "small-code"))]
                let r = fv.validate(body).map_err(|e| func::wp_err(e, func_index));
                t.allocs = fv.into_allocations();
                r?;
            }
            Ok(FuncBody {
                code_start: UNTRANSLATED,
                code_len: 0,
                frame_size: 0,
                num_params,
                zeroed_locals: 0,
                num_results,
            })
        });
        self.finish(result.as_ref().map(|m| m.types.len()));
        result.map(|m| (m, lazy))
    }

    /// Translates defined function `index` (0 = the first function the module defines) of a
    /// module loaded by [`Translator::translate_lazy`] from the same `wasm`, appending its
    /// bytecode to `code`, and returns its body (validating it first).
    pub fn translate_body(
        &mut self,
        wasm: &[u8],
        m: &CompiledModule,
        lazy: &LazyBodies,
        index: usize,
        code: &mut Vec<u8>,
    ) -> Result<FuncBody, CompileError> {
        let (&(start, end), Some(resources)) = (
            lazy.ranges
                .get(index)
                .ok_or_else(|| convert::err(0, "no such function body"))?,
            lazy.resources.as_ref(),
        ) else {
            return Err(convert::err(0, "no such function body"));
        };
        let bytes = wasm
            .get(start..end)
            .ok_or_else(|| convert::err(start, "function body outside the module"))?;
        let func = m.num_imported_funcs + index as u32;
        let ty = *m
            .funcs
            .get(func as usize)
            .ok_or_else(|| convert::err(start, "no such function"))?;
        let to_validate = wasmparser::FuncToValidate {
            resources: resources.clone(),
            index: func,
            ty,
            features: lazy.features,
        };
        let body =
            wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(bytes, start as u64));
        let allocs = core::mem::take(&mut self.allocs);
        let mut fv = to_validate.into_validator(allocs);
        let result = func::translate(&mut self.buffers, self.float_super, code, m, &mut fv, &body);
        self.allocs = fv.into_allocations();
        result
    }

    fn translate_inner(&mut self, wasm: &[u8]) -> Result<CompiledModule, CompileError> {
        let mut code: Vec<u8> = Vec::new();
        let mut m = self.translate_inner_with(wasm, &mut |t, m, to_validate, body| {
            if code.capacity() == 0 {
                // Bytecode is usually between one and three times the wasm size.
                code.reserve(t.code_size.saturating_mul(3));
            }
            let allocs = core::mem::take(&mut t.allocs);
            let mut fv = to_validate.into_validator(allocs);
            let result =
                func::translate(&mut t.buffers, t.float_super, &mut code, m, &mut fv, body);
            t.allocs = fv.into_allocations();
            result
        })?;
        m.code = code.into();
        Ok(m)
    }

    /// Keeps or replaces the validator after a module with `types` types (or an error).
    fn finish(&mut self, types: Result<usize, &CompileError>) {
        match types {
            Ok(n) if self.types_fed + n <= Self::MAX_TYPES_PER_VALIDATOR => {
                // The validator saw the module's end: keep it (and its type arena) for the next.
                self.types_fed += n;
                self.validator.reset();
            }
            // A validator stopped mid-module cannot be reset, and one that has seen many types
            // is dropped to bound memory: start a fresh one.
            _ => {
                self.types_fed = 0;
                self.validator = Validator::new_with_features(features());
            }
        }
    }

    /// Validates the module structure, calling `body` for every function body.
    fn translate_inner_with(
        &mut self,
        wasm: &[u8],
        body: &mut BodyFn<'_>,
    ) -> Result<CompiledModule, CompileError> {
        let mut m = CompiledModule::default();
        for payload in Parser::new(0).parse_all(wasm) {
            let payload = payload.map_err(convert::wp_err)?;
            let valid = self.validator.payload(&payload).map_err(convert::wp_err)?;
            sections::record(&mut m, &payload, wasm)?;
            if let wasmparser::Payload::CodeSectionStart { size, .. } = payload {
                self.code_size = size as usize;
            }
            match valid {
                ValidPayload::Func(to_validate, b) => {
                    let result = body(self, &m, to_validate, &b);
                    m.bodies.push(result?);
                }
                ValidPayload::Parser(_) => {
                    return Err(convert::err(0, "nested modules are not supported"));
                }
                ValidPayload::Ok | ValidPayload::End(_) => {}
            }
        }
        Ok(m)
    }
}
