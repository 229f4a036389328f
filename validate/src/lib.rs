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
mod module;
mod sections;
mod strict;

use alloc::vec::Vec;
use core::fmt;
use ember_bytecode::module::CompiledModule;
use ember_bytecode::module::FuncBody;
use module::ModuleState;
use wasmparser::{FuncToValidate, FuncValidatorAllocations, FunctionBody, Parser, WasmFeatures};

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
/// (cleared, capacity kept). The module level is checked by Ember's own `module` validator, whose
/// state lives only as long as one module (so a long-lived translator's heap stays bounded
/// whatever it is fed, `tests/bounded_types.rs`); function bodies by wasmparser's
/// `FuncValidator`.
///
/// After warm-up, translating a module allocates only per module (the output, the module
/// validator's state), never per function or per operator (see `tests/alloc_reuse.rs`).
pub struct Translator {
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
        FuncToValidate<&ModuleState>,
        &FunctionBody<'_>,
    ) -> Result<FuncBody, CompileError>
    + 'a;

pub use ember_bytecode::module::UNTRANSLATED;

/// Where the bodies of a lazily loaded module lie, and what translating them later needs.
#[derive(Debug, Clone)]
pub struct LazyBodies {
    /// Byte range of each defined function's body in the wasm.
    ranges: Vec<(usize, usize)>,
    /// The module as function validation sees it.
    resources: ModuleState,
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

    /// Validates `wasm` (a binary module) and translates it.
    pub fn translate(&mut self, wasm: &[u8]) -> Result<CompiledModule, CompileError> {
        let mut code: Vec<u8> = Vec::new();
        let (mut m, _) = self.translate_inner_with(wasm, &mut |t, m, to_validate, body| {
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
        let mut ranges = Vec::new();
        let result = self.translate_inner_with(wasm, &mut |t, m, to_validate, body| {
            let range = body.range();
            let ty = m.func_type(to_validate.index);
            let (num_params, num_results) = ty.map_or((0, 0), |t| {
                (t.params().len() as u16, t.results().len() as u16)
            });
            ranges.push((range.start as usize, range.end as usize));
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
        result.map(|(m, resources)| (m, LazyBodies { ranges, resources }))
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
        let &(start, end) = lazy
            .ranges
            .get(index)
            .ok_or_else(|| convert::err(0, "no such function body"))?;
        let bytes = wasm
            .get(start..end)
            .ok_or_else(|| convert::err(start, "function body outside the module"))?;
        let func = m.num_imported_funcs + index as u32;
        let ty = *m
            .funcs
            .get(func as usize)
            .ok_or_else(|| convert::err(start, "no such function"))?;
        // `ty` was checked when the module loaded: it names a function type.
        let to_validate = FuncToValidate {
            resources: &lazy.resources,
            index: func,
            ty,
            features: features(),
        };
        let body =
            wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(bytes, start as u64));
        let allocs = core::mem::take(&mut self.allocs);
        let mut fv = to_validate.into_validator(allocs);
        let result = func::translate(&mut self.buffers, self.float_super, code, m, &mut fv, &body);
        self.allocs = fv.into_allocations();
        result
    }

    /// Validates the module structure, calling `body` for every function body.
    fn translate_inner_with(
        &mut self,
        wasm: &[u8],
        body: &mut BodyFn<'_>,
    ) -> Result<(CompiledModule, ModuleState), CompileError> {
        let mut m = CompiledModule::default();
        let mut state = ModuleState::default();
        for payload in Parser::new(0).parse_all(wasm) {
            let payload = payload.map_err(convert::wp_err)?;
            sections::record(&mut m, &mut state, &payload, wasm)?;
            match payload {
                wasmparser::Payload::CodeSectionStart { size, .. } => {
                    self.code_size = size as usize;
                }
                wasmparser::Payload::CodeSectionEntry(b) => {
                    let (index, ty) = state.next_body(&b)?;
                    let to_validate = FuncToValidate {
                        resources: &state,
                        index,
                        ty,
                        features: features(),
                    };
                    let result = body(self, &m, to_validate, &b);
                    m.bodies.push(result?);
                }
                _ => {}
            }
        }
        Ok((m, state))
    }
}
