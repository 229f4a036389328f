//! Integer operations that can trap (division, remainder).

use crate::error::TrapCode;

macro_rules! div_rem {
    ($($div_s:ident $div_u:ident $rem_s:ident $rem_u:ident: $s:ty, $u:ty;)*) => {$(
        /// Signed division: traps on zero and on `MIN / -1`.
        #[inline(always)]
        pub(super) fn $div_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivisionByZero);
            }
            a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
        }
        /// Unsigned division: traps on zero.
        #[inline(always)]
        pub(super) fn $div_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_div(b).ok_or(TrapCode::IntegerDivisionByZero)
        }
        /// Signed remainder: traps on zero; `MIN % -1` is 0.
        #[inline(always)]
        pub(super) fn $rem_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivisionByZero);
            }
            Ok(a.wrapping_rem(b))
        }
        /// Unsigned remainder: traps on zero.
        #[inline(always)]
        pub(super) fn $rem_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_rem(b).ok_or(TrapCode::IntegerDivisionByZero)
        }
    )*};
}

div_rem! {
    i32_div_s i32_div_u i32_rem_s i32_rem_u: i32, u32;
    i64_div_s i64_div_u i64_rem_s i64_rem_u: i64, u64;
}
