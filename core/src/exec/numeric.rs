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
}
#[cfg(not(ember_compact_loop))]
div_rem! {
    i64_div_s i64_div_u i64_rem_s i64_rem_u: i64, u64;
}

/// `(r * 2^64 + n) / d` and its remainder, `r < d`: restoring division, a bit a step (the
/// compact loop's i64 division, and the soft-float f64 division's significands). `d != 0`.
/// A 32-bit dividend and divisor take the 32-bit division.
#[cfg(ember_compact_loop)]
#[inline(never)]
pub(super) fn long_div(mut r: u64, n: u64, d: u64) -> (u64, u64) {
    if r == 0 && (n | d) >> 32 == 0 {
        let (n, d) = (n as u32, d as u32);
        return (u64::from(n / d), u64::from(n % d));
    }
    let mut q = n;
    for _ in 0..64 {
        // Shift the next dividend bit (the top of `q`) into `r`; a quotient bit into `q`.
        let carry = r >> 63 != 0;
        r = r << 1 | q >> 63;
        q <<= 1;
        if carry || r >= d {
            r = r.wrapping_sub(d);
            q |= 1;
        }
    }
    (q, r)
}

/// The compact loop's i64 division and remainder: [`long_div`], not `compiler_builtins`'
/// (`__udivdi3`, `__umoddi3`, `__divdi3`, `__moddi3` share a routine of about a kilobyte on
/// 32-bit targets).
#[cfg(ember_compact_loop)]
mod wide {
    use super::{TrapCode, long_div};

    /// The quotient and remainder of the magnitudes, and the signs: traps on zero.
    #[inline(always)]
    fn parts(a: u64, b: u64, signed: bool) -> Result<(u64, u64, bool, bool), TrapCode> {
        if b == 0 {
            return Err(TrapCode::IntegerDivisionByZero);
        }
        let (na, nb) = (signed && (a as i64) < 0, signed && (b as i64) < 0);
        let (q, r) = long_div(
            0,
            if na { a.wrapping_neg() } else { a },
            if nb { b.wrapping_neg() } else { b },
        );
        Ok((q, r, na, nb))
    }

    /// Signed division: traps on zero and on `MIN / -1`.
    #[inline(always)]
    pub(in super::super) fn i64_div_s(a: i64, b: i64) -> Result<i64, TrapCode> {
        if a == i64::MIN && b == -1 {
            return Err(TrapCode::IntegerOverflow);
        }
        let (q, _, na, nb) = parts(a as u64, b as u64, true)?;
        Ok(if na != nb { q.wrapping_neg() } else { q } as i64)
    }
    /// Unsigned division: traps on zero.
    #[inline(always)]
    pub(in super::super) fn i64_div_u(a: u64, b: u64) -> Result<u64, TrapCode> {
        Ok(parts(a, b, false)?.0)
    }
    /// Signed remainder: traps on zero; `MIN % -1` is 0. The sign is the dividend's.
    #[inline(always)]
    pub(in super::super) fn i64_rem_s(a: i64, b: i64) -> Result<i64, TrapCode> {
        let (_, r, na, _) = parts(a as u64, b as u64, true)?;
        Ok(if na { r.wrapping_neg() } else { r } as i64)
    }
    /// Unsigned remainder: traps on zero.
    #[inline(always)]
    pub(in super::super) fn i64_rem_u(a: u64, b: u64) -> Result<u64, TrapCode> {
        Ok(parts(a, b, false)?.1)
    }
}
#[cfg(ember_compact_loop)]
pub(super) use wide::{i64_div_s, i64_div_u, i64_rem_s, i64_rem_u};

#[cfg(all(test, ember_compact_loop))]
mod tests {
    use super::*;

    #[test]
    fn i64_division_agrees_with_the_operators() {
        let edges = [
            0u64,
            1,
            2,
            3,
            7,
            10,
            u32::MAX as u64,
            1 << 32,
            (1 << 32) + 1,
            i64::MAX as u64,
            i64::MIN as u64,
            (i64::MIN as u64) + 1,
            u64::MAX,
            u64::MAX - 1,
            0x8000_0000,
            0xffff_ffff_0000_0000,
        ];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut random = core::iter::repeat_with(move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        });
        let mut pairs = std::vec::Vec::new();
        for &a in &edges {
            for &b in &edges {
                pairs.push((a, b));
            }
        }
        for _ in 0..200_000 {
            let (a, b) = (random.next().unwrap(), random.next().unwrap());
            let s = random.next().unwrap();
            // Also operands of fewer bits, and divisors near the dividend.
            let (a, b) = match s % 4 {
                0 => (a, b),
                1 => (a, b >> (s >> 2 & 63)),
                2 => (a >> (s >> 8 & 63), b >> (s >> 14 & 63)),
                _ => (a, a.wrapping_sub(s >> 60)),
            };
            pairs.push((a, b));
        }
        for (a, b) in pairs {
            let (sa, sb) = (a as i64, b as i64);
            assert_eq!(i64_div_u(a, b).ok(), a.checked_div(b), "{a} / {b}");
            assert_eq!(i64_rem_u(a, b).ok(), a.checked_rem(b), "{a} % {b}");
            assert_eq!(i64_div_s(sa, sb).ok(), sa.checked_div(sb), "{sa} / {sb}");
            let rem = if sb == 0 {
                None
            } else {
                Some(sa.wrapping_rem(sb))
            };
            assert_eq!(i64_rem_s(sa, sb).ok(), rem, "{sa} % {sb}");
        }
        assert_eq!(i64_div_s(i64::MIN, -1), Err(TrapCode::IntegerOverflow));
        assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
        assert_eq!(i64_div_u(1, 0), Err(TrapCode::IntegerDivisionByZero));
        assert_eq!(i64_div_s(1, 0), Err(TrapCode::IntegerDivisionByZero));
        assert_eq!(i64_rem_s(i64::MIN, 0), Err(TrapCode::IntegerDivisionByZero));
        assert_eq!(i64_rem_u(0, 0), Err(TrapCode::IntegerDivisionByZero));
        assert_eq!(long_div(1, 0, 3), ((1u64 << 63) / 3 * 2 + 1, 1));
    }
}
