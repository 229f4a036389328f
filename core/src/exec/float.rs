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

float_ops!(f32 quiet32, quiet: 0x0040_0000u32, sign: 0x8000_0000u32,
    f32_min f32_max f32_ceil f32_floor f32_trunc f32_nearest f32_sqrt f32_copysign,
    libm: libm::ceilf, libm::floorf, libm::truncf, libm::rintf, libm::sqrtf);
float_ops!(f64 quiet64, quiet: 0x0008_0000_0000_0000u64, sign: 0x8000_0000_0000_0000u64,
    f64_min f64_max f64_ceil f64_floor f64_trunc f64_nearest f64_sqrt f64_copysign,
    libm: libm::ceil, libm::floor, libm::trunc, libm::rint, libm::sqrt);

/// `f32.demote_f64`: rounds to nearest; a NaN becomes a quiet NaN keeping the sign and the top
/// payload bits.
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
    if x.is_nan() {
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
            if x.is_nan() {
                return Err(TrapCode::BadConversionToInteger);
            }
            if x > $lo && x < $hi {
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
