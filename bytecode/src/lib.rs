//! Ember's register bytecode.
//!
//! The instruction set is defined once, in [`for_each_op!`](crate::for_each_op). Everything that
//! reads or writes bytecode — the encoder and decoder here, the disassembler, the executor's
//! dispatch in `ember` — is generated from that table, so they cannot disagree.
//!
//! See `docs/bytecode.md` for the design: frames of untyped 64-bit slots, the calling convention,
//! branch offsets and the encoding.
#![no_std]
#![deny(missing_docs)]

extern crate alloc;

mod encoding;
pub mod format;
mod isa;
pub mod module;
pub mod msg;
pub mod spread;
pub mod types;
pub mod verify;

pub use encoding::{DecodeError, Operand, same as const_str_eq};
pub use isa::*;

/// A frame slot: an index into the current function's frame of 64-bit values.
pub type Slot = u16;

/// A branch offset in bytes, relative to the first byte (the opcode) of the branch instruction.
pub type BrOffset = i32;

/// The byte that introduces an extended (two-byte) opcode.
pub const EXT_PREFIX: u8 = 0xFF;

/// A malformed or invalid module: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// What is wrong.
    pub message: alloc::string::String,
    /// Byte offset in the input (the wasm binary, or a precompiled blob).
    pub offset: usize,
    /// The function (module-level index) being translated, if the error is inside a body.
    pub func_index: Option<u32>,
}

impl core::fmt::Display for CompileError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
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
