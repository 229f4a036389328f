//! Operand encoding: fixed-width little-endian fields, no alignment.

use core::fmt;

/// A value that can be an operand of an instruction: fixed width, little-endian.
pub trait Operand: Sized + Copy {
    /// Encoded width in bytes.
    const SIZE: usize;
    /// Appends the encoding to `out`.
    fn write(self, out: &mut alloc::vec::Vec<u8>);
    /// Reads the operand from the first `SIZE` bytes of `bytes` (the caller guarantees the length).
    fn read(bytes: &[u8]) -> Self;
    /// Reads the operand from the `SIZE` bytes at `p`, without a bounds check.
    ///
    /// # Safety
    /// `p..p + SIZE` must be readable.
    unsafe fn read_ptr(p: *const u8) -> Self;
    /// Whether the type is `i32`, the type of a [`BrOffset`](crate::BrOffset): an `i32`
    /// operand named `offset`, and every `i32` tail, is a branch offset.
    const IS_I32: bool = false;
}

macro_rules! int_operand {
    ($($t:ty),*) => {$(
        impl Operand for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            const IS_I32: bool = core::mem::size_of::<$t>() == 4 && <$t>::MIN != 0;
            #[inline(always)]
            fn write(self, out: &mut alloc::vec::Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            #[inline(always)]
            fn read(bytes: &[u8]) -> Self {
                let mut b = [0u8; core::mem::size_of::<$t>()];
                b.copy_from_slice(&bytes[..core::mem::size_of::<$t>()]);
                <$t>::from_le_bytes(b)
            }
            #[inline(always)]
            unsafe fn read_ptr(p: *const u8) -> Self {
                // SAFETY: the caller guarantees `SIZE` readable bytes at `p`; `read_unaligned`
                // needs no alignment.
                let b = unsafe { core::ptr::read_unaligned(p.cast::<[u8; core::mem::size_of::<$t>()]>()) };
                <$t>::from_le_bytes(b)
            }
        }
    )*};
}
int_operand!(u8, u16, u32, u64, i32);

/// Whether two strings are equal (usable in constants: the executor checks instruction layouts
/// with it at compile time).
pub const fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && starts_with(a, b)
}

/// Whether `s` contains `part` (usable in constants).
pub(crate) const fn contains(s: &str, part: &str) -> bool {
    let (b, p) = (s.as_bytes(), part.as_bytes());
    let mut i = 0;
    while i + p.len() <= b.len() {
        let mut k = 0;
        while k < p.len() && b[i + k] == p[k] {
            k += 1;
        }
        if k == p.len() {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether `s` starts with `prefix` (usable in constants).
pub(crate) const fn starts_with(s: &str, prefix: &str) -> bool {
    let (s, p) = (s.as_bytes(), prefix.as_bytes());
    if s.len() < p.len() {
        return false;
    }
    let mut i = 0;
    while i < p.len() {
        if s[i] != p[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Why bytes could not be decoded as an instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The code ends inside an instruction that starts at `pc`.
    Truncated {
        /// Offset of the instruction's first byte.
        pc: usize,
    },
    /// The byte(s) at `pc` are not an opcode.
    BadOpcode {
        /// Offset of the instruction's first byte.
        pc: usize,
        /// The offending opcode byte (the second byte for extended opcodes).
        byte: u8,
    },
    /// The branch at `pc` leads outside its function or into the middle of an instruction.
    BadTarget {
        /// Offset of the branch instruction's first byte.
        pc: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated { pc } => write!(f, "bytecode truncated in instruction at {pc}"),
            DecodeError::BadOpcode { pc, byte } => {
                write!(f, "invalid opcode byte {byte:#04x} at {pc}")
            }
            DecodeError::BadTarget { pc } => write!(f, "branch at {pc} to no instruction"),
        }
    }
}
