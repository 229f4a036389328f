//! The precompiled-module format: a [`CompiledModule`] as bytes, safe to load from untrusted
//! sources.
//!
//! [`serialize`] writes a module; [`deserialize`] reads one back and runs the
//! [verifier](crate::verify) on it, so a blob that was corrupted or forged either gives an error
//! or a module the executor can run without panicking or leaving a function's frame. The layout
//! is documented in `docs/format.md`. A blob records the format version, the WebAssembly
//! feature set and a fingerprint of the instruction set ([`ISA_FINGERPRINT`]); a blob written
//! with different ones is refused.

mod read;
mod write;

use crate::module::CompiledModule;
use alloc::string::String;
use core::fmt;

pub use read::{decode, decode_static};
pub use write::serialize;

/// The first 8 bytes of every precompiled module.
pub const MAGIC: [u8; 8] = *b"\0ember\r\n";

/// The version of the layout described in `docs/format.md`.
pub const FORMAT_VERSION: u32 = 1;

/// Feature bit: WebAssembly 1.0 (MVP).
pub const FEATURE_MVP: u32 = 1 << 0;
/// Feature bit: the WebAssembly 2.0 additions other than SIMD (sign extension, non-trapping
/// float-to-int, multi-value, bulk memory, reference types, mutable-global imports/exports).
pub const FEATURE_WASM2: u32 = 1 << 1;
/// Feature bit: 128-bit SIMD (not supported yet; never set).
pub const FEATURE_SIMD: u32 = 1 << 2;

/// The features this build translates: WebAssembly 2.0 without SIMD.
pub const FEATURES: u32 = FEATURE_MVP | FEATURE_WASM2;

/// Size of the header: magic, format version, features, ISA fingerprint.
pub const HEADER_SIZE: usize = 8 + 4 + 4 + 8;

/// Whether `bytes` starts like a precompiled module (only the magic number is checked).
pub fn is_precompiled(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// FNV-1a over the bytes of `s` that are not ASCII whitespace (so the fingerprint does not
/// depend on how `stringify!` spaces tokens).
const fn fnv_str(mut h: u64, s: &str) -> u64 {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_whitespace() {
            h ^= b[i] as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        i += 1;
    }
    h
}

const fn fnv_usize(mut h: u64, v: usize) -> u64 {
    let b = (v as u64).to_le_bytes();
    let mut i = 0;
    while i < 8 {
        h ^= b[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    h
}

macro_rules! isa_fingerprint {
    (
        primary { $( $(#[$pmeta:meta])* $PName:ident $psnake:ident $pmn:literal { $($pf:ident : $pt:ty),* } $([$ptail:ty; $pcount:ident])? ; )* }
        ext { $( $(#[$emeta:meta])* $EName:ident $esnake:ident $emn:literal { $($ef:ident : $et:ty),* } $([$etail:ty; $ecount:ident])? ; )* }
    ) => {
        /// Every instruction's layout as text, in opcode order: the primary group, then the
        /// extended group, each entry `mnemonic {field: Type, ...} [Tail; count]`.
        const ISA_TEXT: &[&str] = &[
            "primary",
            $( concat!($pmn, stringify!({ $($pf: $pt),* } $([$ptail; $pcount])?)), )*
            "ext",
            $( concat!($emn, stringify!({ $($ef: $et),* } $([$etail; $ecount])?)), )*
        ];
        /// Every instruction's fixed size in bytes, in the same order.
        const ISA_SIZES: &[usize] = &[$(crate::$PName::SIZE,)* $(crate::$EName::SIZE,)*];
    };
}
crate::for_each_op!(isa_fingerprint);

const fn isa_fingerprint() -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut i = 0;
    while i < ISA_TEXT.len() {
        h = fnv_str(h, ISA_TEXT[i]);
        h = fnv_str(h, ";");
        i += 1;
    }
    let mut i = 0;
    while i < ISA_SIZES.len() {
        h = fnv_usize(h, ISA_SIZES[i]);
        i += 1;
    }
    h = fnv_usize(h, core::mem::size_of::<crate::Slot>());
    h = fnv_usize(h, core::mem::size_of::<crate::BrOffset>());
    fnv_usize(h, crate::EXT_PREFIX as usize)
}

/// A hash of the instruction table generated from [`for_each_op!`](crate::for_each_op): every
/// mnemonic, opcode group and order, operand names, types and sizes, and tails. Any change to
/// the instruction set changes it, so blobs of an older ISA are refused.
pub const ISA_FINGERPRINT: u64 = isa_fingerprint();

/// Why bytes are not a precompiled module this build can load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// Byte offset in the blob where the problem was found.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {:#x})", self.message, self.offset)
    }
}

/// Why a precompiled module could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The bytes do not decode (wrong magic, version, features or ISA, truncated, bad value).
    Format(FormatError),
    /// The bytes decode, but the module is not safe to run.
    Verify(crate::verify::VerifyError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Format(e) => write!(f, "{e}"),
            LoadError::Verify(e) => write!(f, "{e}"),
        }
    }
}

impl From<FormatError> for LoadError {
    fn from(e: FormatError) -> Self {
        LoadError::Format(e)
    }
}

impl From<crate::verify::VerifyError> for LoadError {
    fn from(e: crate::verify::VerifyError) -> Self {
        LoadError::Verify(e)
    }
}

/// Decodes a precompiled module and verifies it: the safe way to load untrusted bytes.
pub fn deserialize(bytes: &[u8]) -> Result<CompiledModule, LoadError> {
    let m = decode(bytes)?;
    crate::verify::verify_module(&m)?;
    Ok(m)
}

/// Like [`deserialize`], but the bytecode is used where it lies in `bytes` (for example in
/// flash) instead of being copied: [`CompiledModule::code`] is [`Code::Static`](crate::module::Code::Static).
// (Never inlined: one copy, and a firmware's size does not swing with the inliner's choice.)
#[inline(never)]
pub fn deserialize_static(bytes: &'static [u8]) -> Result<CompiledModule, LoadError> {
    let m = read::decode_static(bytes)?;
    crate::verify::verify_module(&m)?;
    Ok(m)
}

/// Encoding of value types (the WebAssembly binary codes).
pub(crate) mod code {
    pub const I32: u8 = 0x7F;
    pub const I64: u8 = 0x7E;
    pub const F32: u8 = 0x7D;
    pub const F64: u8 = 0x7C;
    pub const FUNCREF: u8 = 0x70;
    pub const EXTERNREF: u8 = 0x6F;
}

#[cfg(test)]
mod tests;
