//! Error messages built without `core::fmt`: [`msg!`](crate::msg!)`(piece, ...)` appends text,
//! numbers (decimal, or hexadecimal with [`hex`]) and WebAssembly types (in the text format's
//! notation) to a `String`.
//!
//! `format!` links `core::fmt`'s formatting machinery (`core::fmt::write`, padding, the integer
//! and `Debug` formatters): several kilobytes of a microcontroller's flash. Ember builds the
//! messages of the paths a runtime-only firmware reaches (loading, verifying, linking,
//! instantiating, calling) with this instead, so a firmware that prints nothing with `core::fmt`
//! does not contain it. The `Display` impls stay for hosts that use them.
//!
//! ```
//! use ember_bytecode::{msg, msg::hex, types::ValType};
//! let s = msg!("global ", 3u32, " has type ", ValType::I64, " at ", hex(255u8));
//! assert_eq!(s, "global 3 has type i64 at 0xff");
//! ```

use crate::module::ExternKind;
use crate::types::{FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};
use crate::{CompileError, DecodeError};
use alloc::string::String;

/// Builds a `String` from pieces: literals, and anything that implements
/// [`Piece`](crate::msg::Piece).
///
/// The literals are joined at compile time into one template (with a `\u{1}` where each other
/// piece goes), and one out-of-line call ([`concat()`]) appends it all: the code at each call
/// site is a template and a small array of references.
#[macro_export]
macro_rules! msg {
    (@ [$($t:literal),*] [$($a:expr),*]) => {
        $crate::msg::concat(::core::concat!($($t),*), &[$(&$a as &dyn $crate::msg::Piece),*])
    };
    (@ [$($t:literal),*] [$($a:expr),*] $l:literal $(, $($rest:tt)*)?) => {
        $crate::msg!(@ [$($t,)* $l] [$($a),*] $($($rest)*)?)
    };
    (@ [$($t:literal),*] [$($a:expr),*] $e:expr $(, $($rest:tt)*)?) => {
        $crate::msg!(@ [$($t,)* "\u{1}"] [$($a,)* $e] $($($rest)*)?)
    };
    ($($rest:tt)+) => {
        $crate::msg!(@ [] [] $($rest)+)
    };
}

/// Appends `template` with each `\u{1}` in it replaced by the next of `args` ([`msg!`]'s
/// work).
///
/// [`msg!`]: crate::msg!
#[inline(never)]
pub fn concat(template: &str, args: &[&dyn Piece]) -> String {
    let mut s = String::new();
    let mut args = args.iter();
    let mut start = 0;
    for (i, &b) in template.as_bytes().iter().enumerate() {
        if b == 1 {
            s.push_str(template.get(start..i).unwrap_or_default());
            if let Some(a) = args.next() {
                a.add_to(&mut s);
            }
            start = i + 1;
        }
    }
    s.push_str(template.get(start..).unwrap_or_default());
    s
}

/// Something [`msg!`](crate::msg!) can append.
pub trait Piece {
    /// Appends `self` to `s`.
    fn add_to(&self, s: &mut String);
}

impl<P: Piece + ?Sized> Piece for &P {
    fn add_to(&self, s: &mut String) {
        (**self).add_to(s);
    }
}

impl Piece for str {
    fn add_to(&self, s: &mut String) {
        s.push_str(self);
    }
}

impl Piece for String {
    fn add_to(&self, s: &mut String) {
        s.push_str(self);
    }
}

impl Piece for char {
    fn add_to(&self, s: &mut String) {
        s.push(*self);
    }
}

/// `n / d` and `n % d` for `0 < d < 2^16`, in 16-bit steps of 32-bit division: 32-bit
/// targets then link no 64-bit division routine for messages (about 1 KB on RISC-V).
fn div_small(n: u64, d: u32) -> (u64, u32) {
    let (mut q, mut rem) = (0u64, 0u32);
    for shift in [48, 32, 16, 0] {
        // `rem < d`, so `cur < d << 16 <= 2^32`, and `cur / d < 2^16`.
        let cur = (rem << 16) | ((n >> shift) as u32 & 0xffff);
        q |= u64::from(cur / d) << shift;
        rem = cur % d;
    }
    (q, rem)
}

/// Appends `n` in base `radix` (10 or 16, lowercase), at least `digits` digits.
#[inline(never)]
fn number(s: &mut String, mut n: u64, radix: u32, digits: u32) {
    let mut buf = [0u8; 64];
    let mut i = buf.len();
    while i > 0 {
        i -= 1;
        let (q, r) = div_small(n, radix);
        buf[i] = b"0123456789abcdef"[r as usize & 15];
        n = q;
        if n == 0 && buf.len() - i >= digits as usize {
            break;
        }
    }
    for &b in &buf[i..] {
        s.push(char::from(b));
    }
}

macro_rules! unsigned {
    ($($t:ty)*) => {$(
        impl Piece for $t {
            fn add_to(&self, s: &mut String) {
                number(s, *self as u64, 10, 1);
            }
        }
    )*};
}
unsigned!(u8 u16 u32 u64 usize);

macro_rules! signed {
    ($($t:ty)*) => {$(
        impl Piece for $t {
            fn add_to(&self, s: &mut String) {
                if *self < 0 {
                    s.push('-');
                }
                number(s, self.unsigned_abs() as u64, 10, 1);
            }
        }
    )*};
}
signed!(i8 i16 i32 i64 isize);

/// A number in hexadecimal with a `0x` prefix (`{:#x}`), padded with zeros to `digits` digits
/// (`{:#04x}` is `digits: 2`). Made by [`hex`] and [`hex_digits`].
#[derive(Debug, Clone, Copy)]
pub struct Hex {
    /// The number.
    pub value: u64,
    /// The fewest digits to write.
    pub digits: u32,
}

/// `value` as `{:#x}` writes it: `0xff`.
pub fn hex(value: impl Into<u64>) -> Hex {
    Hex {
        value: value.into(),
        digits: 1,
    }
}

/// `value` in at least `digits` hexadecimal digits, as `{:#0(digits + 2)x}` writes it:
/// `hex_digits(10u8, 2)` is `0x0a`.
pub fn hex_digits(value: impl Into<u64>, digits: u32) -> Hex {
    Hex {
        value: value.into(),
        digits,
    }
}

impl Piece for Hex {
    fn add_to(&self, s: &mut String) {
        s.push_str("0x");
        number(s, self.value, 16, self.digits);
    }
}

/// `i32`, `funcref`, ... (as `Display`).
impl Piece for ValType {
    fn add_to(&self, s: &mut String) {
        s.push_str(self.name());
    }
}

/// `funcref` or `externref`.
impl Piece for RefType {
    fn add_to(&self, s: &mut String) {
        ValType::from(*self).add_to(s);
    }
}

/// `(func (param i32 i64) (result f32))` (as `Display`).
impl Piece for FuncType {
    fn add_to(&self, s: &mut String) {
        s.push_str("(func");
        for (list, name) in [(self.params(), " (param"), (self.results(), " (result")] {
            if !list.is_empty() {
                s.push_str(name);
                for t in list {
                    s.push(' ');
                    t.add_to(s);
                }
                s.push(')');
            }
        }
        s.push(')');
    }
}

/// `min max`, or `min` without a maximum (as in the text format).
impl Piece for Limits {
    fn add_to(&self, s: &mut String) {
        self.min.add_to(s);
        if let Some(max) = self.max {
            s.push(' ');
            max.add_to(s);
        }
    }
}

/// `(table 1 10 funcref)`.
impl Piece for TableType {
    fn add_to(&self, s: &mut String) {
        s.push_str("(table ");
        self.limits.add_to(s);
        s.push(' ');
        self.element.add_to(s);
        s.push(')');
    }
}

/// `(memory 1 2)`.
impl Piece for MemoryType {
    fn add_to(&self, s: &mut String) {
        s.push_str("(memory ");
        self.limits.add_to(s);
        s.push(')');
    }
}

/// `(global i32)` or `(global (mut i32))`.
impl Piece for GlobalType {
    fn add_to(&self, s: &mut String) {
        s.push_str(if self.mutable {
            "(global (mut "
        } else {
            "(global "
        });
        self.content.add_to(s);
        s.push_str(if self.mutable { "))" } else { ")" });
    }
}

/// `function`, `table`, `memory` or `global`.
impl Piece for ExternKind {
    fn add_to(&self, s: &mut String) {
        s.push_str(match self {
            ExternKind::Func => "function",
            ExternKind::Table => "table",
            ExternKind::Memory => "memory",
            ExternKind::Global => "global",
        });
    }
}

/// As `Display`: `bytecode truncated in instruction at 12`, ...
impl Piece for DecodeError {
    fn add_to(&self, s: &mut String) {
        let (text, pc) = match *self {
            DecodeError::Truncated { pc } => ("bytecode truncated in instruction at ", pc),
            DecodeError::BadOpcode { pc, byte } => {
                s.push_str("invalid opcode byte ");
                hex_digits(byte, 2).add_to(s);
                (" at ", pc)
            }
            DecodeError::BadTarget { pc } => ("branch at ", pc),
        };
        s.push_str(text);
        pc.add_to(s);
        if let DecodeError::BadTarget { .. } = self {
            s.push_str(" to no instruction");
        }
    }
}

/// As `Display`: `message (function 3, at offset 0x1c)` or `message (at offset 0x1c)`.
impl Piece for CompileError {
    fn add_to(&self, s: &mut String) {
        s.push_str(&self.message);
        s.push_str(" (");
        if let Some(i) = self.func_index {
            s.push_str("function ");
            i.add_to(s);
            s.push_str(", ");
        }
        s.push_str("at offset ");
        hex(self.offset as u64).add_to(s);
        s.push(')');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn numbers_as_format_writes_them() {
        // Edge values, powers of ten and sixteen and their neighbours (the 16-bit steps of
        // `div_small`), and a spread of others.
        let mut ns = vec![0u64, 1, 9, 10, 99, 100, 12345, u32::MAX.into(), u64::MAX];
        for k in 1..20 {
            let p = 10u64.pow(k);
            ns.extend([p - 1, p, p + 1, 1u64 << (k * 3), (1u64 << (k * 3)) - 1]);
        }
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..1000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ns.push(x >> (x % 64));
        }
        for n in ns {
            assert_eq!(msg!(n), format!("{n}"));
            assert_eq!(msg!(hex(n)), format!("{n:#x}"));
            assert_eq!(msg!(hex_digits(n, 2)), format!("{n:#04x}"));
            assert_eq!(msg!(hex_digits(n, 16)), format!("{n:#018x}"));
        }
        for n in [0i64, -1, 7, -10, i64::MIN, i64::MAX] {
            assert_eq!(msg!(n), format!("{n}"));
        }
        assert_eq!(
            msg!(i32::MIN, " ", u8::MAX, " ", 3usize),
            "-2147483648 255 3"
        );
        assert_eq!(msg!("only text"), "only text");
        assert_eq!(msg!(String::from("x"), "-", 5u8, "", 6u16), "x-56");
        let name = String::from("env");
        assert_eq!(msg!("a", name, ' ', 'b'), "aenv b");
    }

    #[test]
    fn types_as_display_writes_them() {
        use ValType::*;
        for ty in [
            FuncType::new([], []),
            FuncType::new([I32, I64], []),
            FuncType::new([], [F32]),
            FuncType::new([F64, FuncRef], [ExternRef, I32]),
        ] {
            assert_eq!(msg!(ty), ty.to_string());
        }
        for v in [I32, I64, F32, F64, FuncRef, ExternRef] {
            assert_eq!(msg!(v), v.to_string());
        }
    }

    #[test]
    fn types_in_text_format_notation() {
        let limits = |min, max| Limits { min, max };
        let table = TableType {
            element: RefType::ExternRef,
            limits: limits(1, Some(10)),
        };
        assert_eq!(msg!(table), "(table 1 10 externref)");
        let memory = MemoryType {
            limits: limits(2, None),
        };
        assert_eq!(msg!(memory), "(memory 2)");
        let global = |mutable| GlobalType {
            content: ValType::F64,
            mutable,
        };
        assert_eq!(
            msg!(global(false), global(true)),
            "(global f64)(global (mut f64))"
        );
        assert_eq!(
            msg!(ExternKind::Func, " ", ExternKind::Global),
            "function global"
        );
    }

    #[test]
    fn decode_errors_as_display_writes_them() {
        for e in [
            DecodeError::Truncated { pc: 12 },
            DecodeError::BadOpcode { pc: 3, byte: 0xfe },
            DecodeError::BadOpcode { pc: 0, byte: 7 },
            DecodeError::BadTarget { pc: 40 },
        ] {
            assert_eq!(msg!(e), e.to_string());
        }
        for func_index in [None, Some(3)] {
            let e = CompileError {
                message: String::from("bad"),
                offset: 0x1c,
                func_index,
            };
            assert_eq!(msg!(e), e.to_string());
        }
    }
}
