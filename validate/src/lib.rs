//! Ember's streaming translator: reads each function body once with `wasmparser`, validates
//! it with a reused `FuncValidator`, and lowers it to register bytecode.
#![no_std]
#![deny(missing_docs)]

extern crate alloc;

use alloc::string::String;
use core::fmt;

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

/// TEMPORARY stub (runtime branch) so `ember` compiles until the real translator lands.
#[derive(Debug, Default)]
pub struct Translator {}

impl Translator {
    /// A translator.
    pub fn new() -> Self {
        Translator {}
    }
    /// Always fails (stub).
    pub fn translate(
        &mut self,
        _wasm: &[u8],
    ) -> Result<ember_bytecode::module::CompiledModule, CompileError> {
        Err(CompileError {
            message: String::from("translator not implemented yet"),
            offset: 0,
            func_index: None,
        })
    }
}
