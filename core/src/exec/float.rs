//! Float operations with WebAssembly semantics where Rust's differ or `core` lacks them.

use crate::error::TrapCode;

macro_rules! float_ops {
    ($f:ident $q:ident, quiet: $quiet:expr, sign: $sign:expr,
     $min:ident $max:ident $ceil:ident $floor:ident $trunc:ident $nearest:ident $sqrt:ident
     $copysign:ident,
     libm: $lceil:path, $lfloor:path, $ltrunc:path, $lrint:path, $lsqrt:path) => {
        /// A NaN input made quiet (arithmetic NaN), other values unchanged.
        #[inline(always)]
        fn $q(x: $f) -> $f {
            if x.is_nan() {
                $f::from_bits(x.to_bits() | $quiet)
            } else {
                x
            }
        }

        /// `min`: NaN if either operand is NaN; `-0 < +0`.
        #[inline]
        pub(super) fn $min(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                // Equal: only the zeros' signs can differ; prefer the negative one.
                return $f::from_bits(a.to_bits() | b.to_bits());
            }
            if a < b { a } else { b }
        }

        /// `max`: NaN if either operand is NaN; `-0 < +0`.
        #[inline]
        pub(super) fn $max(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                return $f::from_bits(a.to_bits() & b.to_bits());
            }
            if a > b { a } else { b }
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
    f32_min f32_max f32_ceil f32_floor f32_trunc f32_nearest f32_sqrt f32_copysign,
    libm: libm::ceilf, libm::floorf, libm::truncf, libm::rintf, libm::sqrtf);
float_ops!(f64 quiet64, quiet: 0x0008_0000_0000_0000u64, sign: 0x8000_0000_0000_0000u64,
    f64_min f64_max f64_ceil f64_floor f64_trunc f64_nearest f64_sqrt f64_copysign,
    libm: libm::ceil, libm::floor, libm::trunc, libm::rint, libm::sqrt);

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
/// f64 operation on two widened f32 back into the f32 operation (the results agree).
#[cfg(ember_f32_via_f64)]
#[inline(never)]
fn wide(x: f32) -> f64 {
    f64::from(x)
}

/// `x as f32`, out of the optimiser's sight as `wide` is (it would turn an integer's
/// conversion to f64 then f32 into one to f32).
#[cfg(ember_f32_via_f64)]
#[inline(never)]
fn narrow(x: f64) -> f32 {
    x as f32
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

macro_rules! f32_ops {
    (arith $($name:ident $op:tt;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(a: f32, b: f32) -> f32 {
            #[cfg(ember_f32_via_f64)]
            return (wide(a) $op wide(b)) as f32;
            #[cfg(not(ember_f32_via_f64))]
            return a $op b;
        }
    )*};
    (cmp $($name:ident $op:tt;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(a: f32, b: f32) -> bool {
            #[cfg(ember_f32_via_f64)]
            return wide(a) $op wide(b);
            #[cfg(not(ember_f32_via_f64))]
            return a $op b;
        }
    )*};
    (sat $($name:ident -> $i:ty;)*) => {$(
        /// Saturating truncation (`as`).
        #[inline(always)]
        pub(super) fn $name(a: f32) -> $i {
            #[cfg(ember_f32_via_f64)]
            return wide(a) as $i;
            #[cfg(not(ember_f32_via_f64))]
            return a as $i;
        }
    )*};
    (from $($name:ident: $i:ty;)*) => {$(
        /// Conversion (`as`; the integer is exact in f64).
        #[inline(always)]
        pub(super) fn $name(a: $i) -> f32 {
            #[cfg(ember_f32_via_f64)]
            return narrow(f64::from(a));
            #[cfg(not(ember_f32_via_f64))]
            return a as f32;
        }
    )*};
    (via $($name:ident => $f64:ident;)*) => {$(
        #[cfg(ember_f32_via_f64)]
        #[inline]
        pub(super) fn $name(x: f32) -> f32 {
            $f64(wide(x)) as f32
        }
    )*};
    (via2 $($name:ident => $f64:ident;)*) => {$(
        #[cfg(ember_f32_via_f64)]
        #[inline]
        pub(super) fn $name(a: f32, b: f32) -> f32 {
            $f64(wide(a), wide(b)) as f32
        }
    )*};
}
f32_ops!(arith f32_add +; f32_sub -; f32_mul *; f32_div /;);
f32_ops!(cmp f32_eq ==; f32_ne !=; f32_lt <; f32_gt >; f32_le <=; f32_ge >=;);
f32_ops!(sat f32_sat_i32 -> i32; f32_sat_u32 -> u32; f32_sat_i64 -> i64; f32_sat_u64 -> u64;);
f32_ops!(from f32_from_i32: i32; f32_from_u32: u32;);
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
    if x.is_nan() {
        let b = x.to_bits();
        let sign = ((b >> 63) as u32) << 31;
        let payload = ((b >> 29) as u32) & 0x003f_ffff;
        return f32::from_bits(sign | 0x7fc0_0000 | payload);
    }
    x as f32
}

/// `f64.promote_f32`: exact; a NaN becomes a quiet NaN keeping the sign and payload.
#[inline]
pub(super) fn promote(x: f32) -> f64 {
    // (Where f32 is computed in f64, `is_nan` on the bits: no f32 comparison.)
    #[cfg(ember_f32_via_f64)]
    let nan = x.to_bits() & 0x7fff_ffff > 0x7f80_0000;
    #[cfg(not(ember_f32_via_f64))]
    let nan = x.is_nan();
    if nan {
        let b = x.to_bits();
        let sign = u64::from(b >> 31) << 63;
        let payload = u64::from(b & 0x003f_ffff) << 29;
        return f64::from_bits(sign | 0x7ff8_0000_0000_0000 | payload);
    }
    f64::from(x)
}

/// Trapping float→int truncations. Each accepts `x` when `lo < x < hi` (exclusive bounds chosen
/// so every value in range truncates to a representable integer); NaN traps with
/// `BadConversionToInteger`, anything else out of range with `IntegerOverflow`.
macro_rules! trunc {
    ($($name:ident: $f:ty => $i:ty, $lo:expr, $hi:expr;)*) => {$(
        #[inline]
        pub(super) fn $name(x: $f) -> Result<$i, TrapCode> {
            // (Compared in f64 where f32 is computed so: the bounds are exact in both.)
            #[cfg(ember_f32_via_f64)]
            let (x, lo, hi) = (Wide::wide(x), f64::from($lo), f64::from($hi));
            #[cfg(not(ember_f32_via_f64))]
            let (lo, hi) = ($lo, $hi);
            if x.is_nan() {
                return Err(TrapCode::BadConversionToInteger);
            }
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
