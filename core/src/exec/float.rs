//! Float operations with WebAssembly semantics where Rust's differ or `core` lacks them.

use crate::error::TrapCode;

macro_rules! float_ops {
    ($f:ident $q:ident, quiet: $quiet:expr, sign: $sign:expr, cmp: $nan:ident $eq:ident $lt:ident $gt:ident $add:ident,
     $min:ident $max:ident $ceil:ident $floor:ident $trunc:ident $nearest:ident $sqrt:ident
     $copysign:ident,
     libm: $lceil:path, $lfloor:path, $ltrunc:path, $lrint:path, $lsqrt:path) => {
        /// A NaN input made quiet (arithmetic NaN), other values unchanged.
        #[inline(always)]
        fn $q(x: $f) -> $f {
            if $nan(x) {
                $f::from_bits(x.to_bits() | $quiet)
            } else {
                x
            }
        }

        /// `min`: NaN if either operand is NaN; `-0 < +0`.
        #[inline]
        pub(super) fn $min(a: $f, b: $f) -> $f {
            if $nan(a) || $nan(b) {
                return $add(a, b);
            }
            if $eq(a, b) {
                // Equal: only the zeros' signs can differ; prefer the negative one.
                return $f::from_bits(a.to_bits() | b.to_bits());
            }
            if $lt(a, b) { a } else { b }
        }

        /// `max`: NaN if either operand is NaN; `-0 < +0`.
        #[inline]
        pub(super) fn $max(a: $f, b: $f) -> $f {
            if $nan(a) || $nan(b) {
                return $add(a, b);
            }
            if $eq(a, b) {
                return $f::from_bits(a.to_bits() & b.to_bits());
            }
            if $gt(a, b) { a } else { b }
        }

        /// Round up.
        #[inline]
        pub(super) fn $ceil(x: $f) -> $f {
            $q($lceil(x))
        }
        /// Round down.
        #[inline]
        pub(super) fn $floor(x: $f) -> $f {
            $q($lfloor(x))
        }
        /// Round toward zero.
        #[inline]
        pub(super) fn $trunc(x: $f) -> $f {
            $q($ltrunc(x))
        }
        /// Round to nearest, ties to even.
        #[inline]
        pub(super) fn $nearest(x: $f) -> $f {
            $q($lrint(x))
        }
        /// Square root.
        #[inline]
        pub(super) fn $sqrt(x: $f) -> $f {
            $q($lsqrt(x))
        }
        /// Sign of `b` on the magnitude of `a` (bits only, NaN payloads kept).
        #[inline(always)]
        pub(super) fn $copysign(a: $f, b: $f) -> $f {
            $f::from_bits((a.to_bits() & !$sign) | (b.to_bits() & $sign))
        }
    };
}

#[cfg(not(ember_f32_via_f64))]
float_ops!(f32 quiet32, quiet: 0x0040_0000u32, sign: 0x8000_0000u32,
    cmp: f32_is_nan f32_eq f32_lt f32_gt f32_add,
    f32_min f32_max f32_ceil f32_floor f32_trunc f32_nearest f32_sqrt f32_copysign,
    libm: libm::ceilf, libm::floorf, libm::truncf, libm::rintf, libm::sqrtf);
#[cfg(not(ember_f32_via_f64))]
float_ops!(f64 quiet64, quiet: 0x0008_0000_0000_0000u64, sign: 0x8000_0000_0000_0000u64,
    cmp: f64_is_nan f64_eq f64_lt f64_gt f64_add,
    f64_min f64_max f64_ceil f64_floor f64_trunc f64_nearest f64_sqrt f64_copysign,
    libm: libm::ceil, libm::floor, libm::trunc, libm::rint, libm::sqrt);
// Where floats are soft: rounding to an integral value and the square root in integers too
// (`soft::round`, `soft::sqrt`), not libm's (which compare floats and use a table).
#[cfg(ember_f32_via_f64)]
float_ops!(f64 quiet64, quiet: 0x0008_0000_0000_0000u64, sign: 0x8000_0000_0000_0000u64,
    cmp: f64_is_nan f64_eq f64_lt f64_gt f64_add,
    f64_min f64_max f64_ceil f64_floor f64_trunc f64_nearest f64_sqrt f64_copysign,
    libm: soft::ceil, soft::floor, soft::trunc, soft::rint, soft::sqrt_f64);

/// `f32.demote_f64`: rounds to nearest; a NaN becomes a quiet NaN keeping the sign and the top
/// payload bits.
/// f32 operations. Where f32 arithmetic is soft float anyway (`cfg(ember_f32_via_f64)`: the
/// compact loop on a target without an f32 unit), they compute in f64 and round once to f32,
/// so that only the f64 routines are linked (on RISC-V about 3 KB less). That is exact: an
/// f32 converts to f64 exactly, f64 has more than twice f32's precision, so `+ - * /` and
/// `sqrt` rounded to f64 and then to f32 give the correctly rounded f32 result; comparisons,
/// truncations and min/max of the exact values are unchanged; and the conversions keep a
/// NaN's sign and payload and set its quiet bit, as the f32 operation would.
///
/// The widening is a function the optimiser does not see through: it would otherwise turn the
/// f64 operation on two widened f32 back into the f32 operation (the results agree). It
/// computes in integers (`__extendsfdf2` is larger): exact, and a NaN keeps its sign and
/// payload and becomes quiet, as `f64::from` does.
#[cfg(ember_f32_via_f64)]
#[inline(never)]
fn wide(x: f32) -> f64 {
    let x = x.to_bits();
    let sign = u64::from(x >> 31) << 63;
    let exp = (x >> 23) & 0xff;
    let frac = u64::from(x & 0x7f_ffff);
    f64::from_bits(if exp == 0xff {
        // Infinities, and NaNs made quiet.
        let quiet = if frac != 0 { 1 << 51 } else { 0 };
        sign | soft::INF64 | quiet | frac << 29
    } else if exp != 0 {
        sign | (u64::from(exp) + (1023 - 127)) << 52 | frac << 29
    } else if frac == 0 {
        sign
    } else {
        // A subnormal, `frac * 2^-149`: normal in f64, its leading 1 (at bit `p`) implicit.
        let p = 63 - frac.leading_zeros();
        sign | u64::from(p + (1023 - 149)) << 52 | (frac << (52 - p)) & ((1 << 52) - 1)
    })
}

/// A truncation's operand as f64 (`cfg(ember_f32_via_f64)`).
#[cfg(ember_f32_via_f64)]
trait Wide {
    fn wide(self) -> f64;
}
#[cfg(ember_f32_via_f64)]
impl Wide for f32 {
    #[inline(always)]
    fn wide(self) -> f64 {
        wide(self)
    }
}
#[cfg(ember_f32_via_f64)]
impl Wide for f64 {
    #[inline(always)]
    fn wide(self) -> f64 {
        self
    }
}

/// f64 `+ - * /`: the operators, or where floats are soft (`cfg(ember_f32_via_f64)`) one
/// integer routine for the four (`soft::arith`), smaller than `compiler_builtins`' three.
macro_rules! f64_arith {
    ($($name:ident $op:tt $code:ident;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(a: f64, b: f64) -> f64 {
            #[cfg(ember_f32_via_f64)]
            return f64::from_bits(soft::arith(a.to_bits(), b.to_bits(), soft::$code));
            #[cfg(not(ember_f32_via_f64))]
            return a $op b;
        }
    )*};
}
f64_arith!(f64_add + ADD; f64_sub - SUB; f64_mul * MUL; f64_div / DIV;);

macro_rules! f32_ops {
    (arith $($name:ident $op:tt $f64:ident;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(a: f32, b: f32) -> f32 {
            #[cfg(ember_f32_via_f64)]
            return narrow($f64(wide(a), wide(b)));
            #[cfg(not(ember_f32_via_f64))]
            return a $op b;
        }
    )*};
    (via $($name:ident => $f64:ident;)*) => {$(
        #[cfg(ember_f32_via_f64)]
        #[inline]
        pub(super) fn $name(x: f32) -> f32 {
            narrow($f64(wide(x)))
        }
    )*};
    (via2 $($name:ident => $f64:ident;)*) => {$(
        #[cfg(ember_f32_via_f64)]
        #[inline]
        pub(super) fn $name(a: f32, b: f32) -> f32 {
            narrow($f64(wide(a), wide(b)))
        }
    )*};
}
f32_ops!(arith f32_add + f64_add; f32_sub - f64_sub; f32_mul * f64_mul; f32_div / f64_div;);
f32_ops!(via f32_ceil => f64_ceil; f32_floor => f64_floor; f32_trunc => f64_trunc;
    f32_nearest => f64_nearest; f32_sqrt => f64_sqrt;);
f32_ops!(via2 f32_min => f64_min; f32_max => f64_max;);

/// `f32.copysign`.
#[cfg(ember_f32_via_f64)]
#[inline(always)]
pub(super) fn f32_copysign(a: f32, b: f32) -> f32 {
    f32::from_bits((a.to_bits() & 0x7fff_ffff) | (b.to_bits() & 0x8000_0000))
}

#[inline]
pub(super) fn demote(x: f64) -> f32 {
    // (Where floats are soft, `narrow` does just that.)
    #[cfg(ember_f32_via_f64)]
    return narrow(x);
    #[cfg(not(ember_f32_via_f64))]
    if f64_is_nan(x) {
        let b = x.to_bits();
        let sign = ((b >> 63) as u32) << 31;
        let payload = ((b >> 29) as u32) & 0x003f_ffff;
        return f32::from_bits(sign | 0x7fc0_0000 | payload);
    }
    #[cfg(not(ember_f32_via_f64))]
    return x as f32;
}

/// `x` rounded to f32 (to nearest, ties to even), in integers (`cfg(ember_f32_via_f64)`:
/// `__truncdfsf2` is larger). A NaN stays a NaN, quiet, with its sign and top payload bits.
#[cfg(ember_f32_via_f64)]
#[inline(never)]
fn narrow(x: f64) -> f32 {
    f32::from_bits(soft::narrow(x.to_bits()))
}

/// `f64.promote_f32`: exact; a NaN becomes a quiet NaN keeping the sign and payload.
#[inline]
pub(super) fn promote(x: f32) -> f64 {
    // (Where f32 is computed in f64, `wide` does just that.)
    #[cfg(ember_f32_via_f64)]
    return wide(x);
    #[cfg(not(ember_f32_via_f64))]
    {
        if x.is_nan() {
            let b = x.to_bits();
            let sign = u64::from(b >> 31) << 63;
            let payload = u64::from(b & 0x003f_ffff) << 29;
            return f64::from_bits(sign | 0x7ff8_0000_0000_0000 | payload);
        }
        f64::from(x)
    }
}

/// Trapping float→int truncations. Each accepts `x` when `lo < x < hi` (exclusive bounds chosen
/// so every value in range truncates to a representable integer); NaN traps with
/// `BadConversionToInteger`, anything else out of range with `IntegerOverflow`.
macro_rules! trunc {
    ($($name:ident: $f:ty => $i:ty, $lo:expr, $hi:expr;)*) => {$(
        #[inline]
        pub(super) fn $name(x: $f) -> Result<$i, TrapCode> {
            // (In integers where floats are soft: `soft::to_int`.)
            #[cfg(ember_f32_via_f64)]
            return soft::to_int(Wide::wide(x).to_bits(), soft::neg_max::<$i>(), <$i>::MAX as u64, false)
                .map(|v| v as $i);
            #[cfg(not(ember_f32_via_f64))]
            let (lo, hi) = ($lo, $hi);
            #[cfg(not(ember_f32_via_f64))]
            if x.is_nan() {
                return Err(TrapCode::BadConversionToInteger);
            }
            #[cfg(not(ember_f32_via_f64))]
            if x > lo && x < hi {
                Ok(x as $i)
            } else {
                Err(TrapCode::IntegerOverflow)
            }
        }
    )*};
}

// Bounds: for signed targets the lower bound is -2^(N-1) - 1 where representable (f64 → i32),
// otherwise the next representable value below -2^(N-1) is already out of range, so the bound is
// the largest float below -2^(N-1) ... expressed as "x >= -2^(N-1)" via `lo = next_down`.
trunc! {
    i32_trunc_f32_s: f32 => i32, -2147483904.0f32, 2147483648.0f32;
    i32_trunc_f32_u: f32 => u32, -1.0f32, 4294967296.0f32;
    i32_trunc_f64_s: f64 => i32, -2147483649.0f64, 2147483648.0f64;
    i32_trunc_f64_u: f64 => u32, -1.0f64, 4294967296.0f64;
    i64_trunc_f32_s: f32 => i64, -9223373136366403584.0f32, 9223372036854775808.0f32;
    i64_trunc_f32_u: f32 => u64, -1.0f32, 18446744073709551616.0f32;
    i64_trunc_f64_s: f64 => i64, -9223372036854777856.0f64, 9223372036854775808.0f64;
    i64_trunc_f64_u: f64 => u64, -1.0f64, 18446744073709551616.0f64;
}

/// Comparisons and NaN tests: the operators, or in integers where floats are soft
/// (`soft::cmp`: one routine instead of `compiler_builtins`' one per operator).
macro_rules! cmp_ops {
    ($($f32:ident $f64:ident $op:tt |$r:ident| $test:expr;)*) => {$(
        #[inline(always)]
        pub(super) fn $f32(a: f32, b: f32) -> bool {
            #[cfg(ember_f32_via_f64)]
            return {
                let $r = soft::cmp(u64::from(a.to_bits()) << 32, u64::from(b.to_bits()) << 32, soft::INF32);
                $test
            };
            #[cfg(not(ember_f32_via_f64))]
            return a $op b;
        }
        #[inline(always)]
        pub(super) fn $f64(a: f64, b: f64) -> bool {
            #[cfg(ember_f32_via_f64)]
            return {
                let $r = soft::cmp(a.to_bits(), b.to_bits(), soft::INF64);
                $test
            };
            #[cfg(not(ember_f32_via_f64))]
            return a $op b;
        }
    )*};
}
cmp_ops! {
    f32_eq f64_eq == |r| r == soft::EQ;
    f32_ne f64_ne != |r| r != soft::EQ;
    f32_lt f64_lt < |r| r == soft::LT;
    f32_gt f64_gt > |r| r == soft::GT;
    f32_le f64_le <= |r| r <= soft::EQ;
    f32_ge f64_ge >= |r| r.wrapping_sub(soft::EQ) <= soft::GT - soft::EQ;
}

/// Whether `x` is a NaN.
#[inline(always)]
fn f64_is_nan(x: f64) -> bool {
    #[cfg(ember_f32_via_f64)]
    return x.to_bits() & !(1 << 63) > soft::INF64;
    #[cfg(not(ember_f32_via_f64))]
    return x.is_nan();
}
#[cfg(not(ember_f32_via_f64))]
#[inline(always)]
fn f32_is_nan(x: f32) -> bool {
    x.is_nan()
}

/// Saturating truncations (`as`).
macro_rules! sat_ops {
    ($($name:ident: $f:ty => $i:ty;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(a: $f) -> $i {
            #[cfg(ember_f32_via_f64)]
            return match soft::to_int(Wide::wide(a).to_bits(), soft::neg_max::<$i>(), <$i>::MAX as u64, true) {
                Ok(v) => v as $i,
                Err(_) => 0,
            };
            #[cfg(not(ember_f32_via_f64))]
            return a as $i;
        }
    )*};
}
sat_ops! {
    f32_sat_i32: f32 => i32;
    f32_sat_u32: f32 => u32;
    f32_sat_i64: f32 => i64;
    f32_sat_u64: f32 => u64;
    f64_sat_i32: f64 => i32;
    f64_sat_u32: f64 => u32;
    f64_sat_i64: f64 => i64;
    f64_sat_u64: f64 => u64;
}

/// Conversions from integers (`as`, rounding to nearest).
macro_rules! from_ops {
    ($($name:ident: $i:ty => $f:ident, $is64:expr;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(a: $i) -> $f {
            #[cfg(ember_f32_via_f64)]
            {
                let (neg, mag) = soft::Int::parts(a);
                return $f::from_bits(soft::from_int(neg, mag, $is64) as _);
            }
            #[cfg(not(ember_f32_via_f64))]
            return a as $f;
        }
    )*};
}
from_ops! {
    f32_from_i32: i32 => f32, false;
    f32_from_u32: u32 => f32, false;
    f32_from_i64: i64 => f32, false;
    f32_from_u64: u64 => f32, false;
    f64_from_i32: i32 => f64, true;
    f64_from_u32: u32 => f64, true;
    f64_from_i64: i64 => f64, true;
    f64_from_u64: u64 => f64, true;
}

#[cfg(ember_f32_via_f64)]
mod soft;

#[cfg(all(test, ember_f32_via_f64))]
mod tests;
