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

/// Float comparisons, conversions and truncations in integer arithmetic, where floats are
/// soft anyway (`cfg(ember_f32_via_f64)`): one routine each, shared by both widths and every
/// integer type, instead of `compiler_builtins`' routine per operator and type pair
/// (`__ltdf2`, `__gedf2`, ..., `__floatdisf`, `__floatundidf`, ..., `__fixdfsi`, ...).
#[cfg(ember_f32_via_f64)]
mod soft {
    use crate::error::TrapCode;

    /// [`cmp`]: less.
    pub(super) const LT: u32 = 0;
    /// [`cmp`]: equal.
    pub(super) const EQ: u32 = 1;
    /// [`cmp`]: greater.
    pub(super) const GT: u32 = 2;
    /// An f64's infinity (bits).
    pub(super) const INF64: u64 = 0x7ff0_0000_0000_0000;
    /// An f32's infinity, in the top 32 bits.
    pub(super) const INF32: u64 = 0x7f80_0000 << 32;
    const SIGN: u64 = 1 << 63;

    /// Compares two floats given as their bits in the top bits of a `u64` (an f32's shifted
    /// left by 32), `inf` an infinity's so placed: [`LT`], [`EQ`], [`GT`], or 3 if either
    /// is a NaN. `-0 == +0`.
    #[inline(never)]
    pub(super) fn cmp(a: u64, b: u64, inf: u64) -> u32 {
        let (ma, mb) = (a & !SIGN, b & !SIGN);
        if ma > inf || mb > inf {
            return 3;
        }
        if ma | mb == 0 {
            return EQ;
        }
        // Sign and magnitude to an unsigned order: negatives below positives, reversed.
        let key = |v: u64| if v & SIGN != 0 { !v } else { v | SIGN };
        let (ka, kb) = (key(a), key(b));
        if ka < kb {
            LT
        } else if ka == kb {
            EQ
        } else {
            GT
        }
    }

    /// The magnitude of the most negative value of integer type `I` (0 if unsigned).
    pub(super) const fn neg_max<I: Int>() -> u64 {
        I::NEG_MAX
    }

    /// The integer types of the conversions.
    pub(super) trait Int {
        /// The magnitude of the most negative value (0 if unsigned).
        const NEG_MAX: u64;
        /// Whether the value is negative, and its magnitude.
        fn parts(self) -> (bool, u64);
    }
    macro_rules! int {
        ($($t:ty: $neg_max:expr, |$v:ident| $parts:expr;)*) => {$(
            impl Int for $t {
                const NEG_MAX: u64 = $neg_max;
                #[inline(always)]
                fn parts(self) -> (bool, u64) {
                    let $v = self;
                    $parts
                }
            }
        )*};
    }
    int! {
        i32: 1 << 31, |v| (v < 0, u64::from(v.unsigned_abs()));
        i64: 1 << 63, |v| (v < 0, v.unsigned_abs());
        u32: 0, |v| (false, u64::from(v));
        u64: 0, |v| (false, v);
    }

    /// The f64 with bits `x` truncated toward zero, as the low bits of a two's-complement
    /// integer, if that lies in `-neg_max ..= pos_max`. Otherwise, with `sat`, the bound it lies
    /// beyond (0 for a NaN); without, the trap.
    #[inline(never)]
    pub(super) fn to_int(x: u64, neg_max: u64, pos_max: u64, sat: bool) -> Result<u64, TrapCode> {
        let neg = x & SIGN != 0;
        let exp = ((x >> 52) & 0x7ff) as u32;
        let frac = x & ((1 << 52) - 1);
        if exp == 0x7ff && frac != 0 {
            return if sat {
                Ok(0)
            } else {
                Err(TrapCode::BadConversionToInteger)
            };
        }
        let max = if neg { neg_max } else { pos_max };
        // |x| = m * 2^(exp - 1075); at least 2^64 from `exp` 1087 on (infinities too).
        let m = frac | (1 << 52);
        let mut mag = if exp < 1023 {
            0
        } else if exp >= 1075 {
            m.wrapping_shl(exp - 1075)
        } else {
            m >> (1075 - exp)
        };
        if exp >= 1087 || mag > max {
            if !sat {
                return Err(TrapCode::IntegerOverflow);
            }
            mag = max;
        }
        Ok(if neg { mag.wrapping_neg() } else { mag })
    }

    const FRAC: u64 = (1 << 52) - 1;

    /// f64 bits `x` rounded to f32 bits (to nearest, ties to even); a NaN quiet, keeping its
    /// sign and top payload bits.
    #[inline(always)]
    pub(super) fn narrow(x: u64) -> u32 {
        let sign = ((x >> 32) as u32) & 0x8000_0000;
        let exp = ((x >> 52) & 0x7ff) as i32;
        let frac = x & FRAC;
        if exp == 0x7ff {
            let nan = if frac != 0 {
                0x40_0000 | (frac >> 29) as u32
            } else {
                0
            };
            return sign | 0x7f80_0000 | nan;
        }
        // The f32 exponent field, if the value is normal there.
        let e = exp - (1023 - 127);
        if e >= 0xff {
            return sign | 0x7f80_0000;
        }
        // The significand (an f64 subnormal is far below f32's least value), and how many of
        // its low bits go: 29 for an f32 normal, more for a subnormal (all, at most 63).
        let m = frac | u64::from(exp != 0) << 52;
        let shift = if e >= 1 { 29 } else { (30 - e).min(63) as u32 };
        let kept = m >> shift;
        let rest = m & ((1 << shift) - 1);
        let half = 1 << (shift - 1);
        let up = rest > half || (rest == half && kept & 1 != 0);
        // A normal's leading 1 (in `kept`) adds one to the exponent field; a carry out of the
        // rounding, another (up to infinity, or from the subnormals to the normals).
        let field = if e >= 1 { (e - 1) as u32 } else { 0 };
        sign | ((field << 23) + kept as u32 + u32::from(up))
    }

    /// [`round`]'s modes.
    const TRUNC: u32 = 0;
    const FLOOR: u32 = 1;
    const CEIL: u32 = 2;
    const NEAREST: u32 = 3;

    /// f64 bits `x` rounded to an integral value: toward zero, down, up, or to nearest (ties
    /// to even). The sign stays (`-0.5` rounds up to `-0`); a NaN is returned as it is.
    #[inline(never)]
    fn round(x: u64, mode: u32) -> u64 {
        let exp = ((x >> 52) & 0x7ff) as u32;
        let neg = x & SIGN != 0;
        // Integral already (infinities and NaNs too), or zero.
        if exp >= 1075 || x & !SIGN == 0 {
            return x;
        }
        // The fraction's bits: all of them below 1 (the result is then 0 or 1).
        let bits = if exp < 1023 { 64 } else { 1075 - exp };
        let (int, frac) = if bits == 64 {
            (x & SIGN, x & !SIGN)
        } else {
            let mask = (1 << bits) - 1;
            (x & !mask, x & mask)
        };
        if frac == 0 {
            return x;
        }
        let up = match mode {
            TRUNC => false,
            FLOOR => neg,
            CEIL => !neg,
            // Beyond one half, or one half and the integral part odd (below 1: beyond
            // one half is an exponent of -1 and a fraction).
            _ if bits == 64 => exp == 1022 && x & FRAC != 0,
            _ => {
                let half = 1 << (bits - 1);
                frac > half || (frac == half && (x >> bits) & 1 != 0)
            }
        };
        if !up {
            int
        } else if bits == 64 {
            int | 0x3ff0_0000_0000_0000
        } else {
            // One more in the last integral place (a carry lifts the exponent).
            int + (1 << bits)
        }
    }

    macro_rules! rounding {
        ($($name:ident $mode:ident;)*) => {$(
            #[inline(always)]
            pub(super) fn $name(x: f64) -> f64 {
                f64::from_bits(round(x.to_bits(), $mode))
            }
        )*};
    }
    rounding!(trunc TRUNC; floor FLOOR; ceil CEIL; rint NEAREST;);

    /// The square root, correctly rounded (to nearest), of f64 bits `x`: digit by digit, one
    /// bit of the root a step. `sqrt(-0) = -0`; a NaN is returned as it is; below zero, NaN.
    #[inline(never)]
    fn sqrt(x: u64) -> u64 {
        let exp = ((x >> 52) & 0x7ff) as i32;
        if x & !SIGN == 0 || (exp == 0x7ff && (x & FRAC != 0 || x & SIGN == 0)) {
            return x;
        }
        if x & SIGN != 0 {
            return 0x7ff8_0000_0000_0000;
        }
        // x = m * 2^(e - 52), m in [2^52, 2^53) (a subnormal normalised).
        let (mut m, mut e) = if exp == 0 {
            let lz = (x & FRAC).leading_zeros() - 11;
            (x << lz, -1022 - lz as i32)
        } else {
            (x & FRAC | 1 << 52, exp - 1023)
        };
        // An even exponent: m in [2^52, 2^54).
        if e & 1 != 0 {
            m <<= 1;
            e -= 1;
        }
        // The root's 53 bits and one more, q in [2^53, 2^54) (sqrt(m * 2^54)): `s` is twice
        // the root so far, `rem` what is left of m, both scaled along with the bit `r`.
        let mut rem = m << 1;
        let (mut q, mut s, mut r) = (0u64, 0u64, 1u64 << 53);
        while r != 0 {
            let t = s + r;
            if t <= rem {
                s = t + r;
                rem -= t;
                q += r;
            }
            rem <<= 1;
            r >>= 1;
        }
        // Round on the extra bit (never a tie: a remainder is left then); the leading 1 adds
        // one to the exponent field, a carry out of the rounding another.
        let mant = (q >> 1) + (q & 1);
        (((e / 2 + 1022) as u64) << 52) + mant
    }

    #[inline(always)]
    pub(super) fn sqrt_f64(x: f64) -> f64 {
        f64::from_bits(sqrt(x.to_bits()))
    }

    /// [`arith`]'s operations.
    pub(super) const ADD: u32 = 0;
    pub(super) const SUB: u32 = 1;
    pub(super) const MUL: u32 = 2;
    pub(super) const DIV: u32 = 3;
    /// The quiet bit of an f64 NaN.
    const QUIET: u64 = 1 << 51;

    /// `x >> s`, with a 1 in the lowest bit if any bit shifted out was (`s` may be 64 or
    /// more).
    #[inline(always)]
    fn shr_sticky(x: u64, s: u32) -> u64 {
        if s >= 64 {
            return u64::from(x != 0);
        }
        let r = x >> s;
        r | u64::from(r << s != x)
    }

    /// A finite, non-zero magnitude's significand with its leading 1 at bit 63, and the
    /// exponent `e` with which the value is `m * 2^(e - 1086)` (below 1 for a subnormal).
    #[inline(always)]
    fn unpack(mag: u64) -> (i32, u64) {
        let exp = (mag >> 52) as i32;
        let m = ((mag & FRAC) | u64::from(exp != 0) << 52) << 11;
        let lz = m.leading_zeros();
        (exp.max(1) - lz as i32, m << lz)
    }

    /// The f64 nearest `m * 2^(e - 1086)` (ties to even), its sign `sign`, as bits; `m != 0`,
    /// its lowest bit set if the exact value has bits further below (a sticky bit).
    #[inline(always)]
    fn pack(sign: u64, e: i32, m: u64) -> u64 {
        let lz = m.leading_zeros();
        let (mut e, mut m) = (e - lz as i32, m << lz);
        if e >= 0x7ff {
            return sign | INF64;
        }
        if e < 1 {
            // A subnormal (or zero): the exponent field's least value, fewer bits kept.
            m = shr_sticky(m, (1 - e) as u32);
            e = 1;
        }
        // The top 53 bits kept, rounded on the 11 below: up beyond one half, or at one half
        // if odd. A normal's leading 1 adds one to the exponent field, a carry out of the
        // rounding another (up to infinity, or from the subnormals to the normals).
        let kept = m >> 11;
        let up = (m & 0x7ff) + (kept & 1) > 0x400;
        sign | ((((e - 1) as u64) << 52) + kept + u64::from(up))
    }

    /// f64 bits `a op b`, `op` one of [`ADD`], [`SUB`], [`MUL`], [`DIV`], correctly rounded
    /// (to nearest, ties to even). A NaN operand is returned quiet (`a` if both are); an
    /// invalid operation (`inf - inf`, `0 * inf`, `0 / 0`, `inf / inf`) gives the canonical NaN.
    #[inline(never)]
    pub(super) fn arith(a: u64, b: u64, op: u32) -> u64 {
        const NAN: u64 = INF64 | QUIET;
        let (ma, mb) = (a & !SIGN, b & !SIGN);
        if ma > INF64 {
            return a | QUIET;
        }
        if mb > INF64 {
            return b | QUIET;
        }
        let b = if op == SUB { b ^ SIGN } else { b };
        if op >= MUL {
            let sign = (a ^ b) & SIGN;
            let (a_inf, b_inf) = (ma == INF64, mb == INF64);
            let (a_zero, b_zero) = (ma == 0, mb == 0);
            let div = op == DIV;
            // For a division, `b`'s infinity acts as a product's zero and its zero as an
            // infinity (`0 / 0` and `inf / inf` as `0 * inf`).
            let (b_inf, b_zero) = if div {
                (b_zero, b_inf)
            } else {
                (b_inf, b_zero)
            };
            if a_inf && b_zero || a_zero && b_inf {
                return NAN;
            }
            if a_inf || b_inf {
                return sign | INF64;
            }
            if a_zero || b_zero {
                return sign;
            }
            let ((ea, xa), (eb, xb)) = (unpack(ma), unpack(mb));
            if div {
                // (xa / 2) * 2^64 / xb: 64 quotient bits, in (2^62, 2^64).
                let (q, r) = super::super::numeric::long_div(xa >> 1, 0, xb);
                return pack(sign, ea - eb + 1023, q | u64::from(r != 0));
            }
            // The 128-bit product, in 32-bit halves; its top 64 bits and a sticky bit.
            let (a1, a0, b1, b0) = (xa >> 32, xa & 0xffff_ffff, xb >> 32, xb & 0xffff_ffff);
            let (p00, p01, p10) = (a0 * b0, a0 * b1, a1 * b0);
            let mid = (p00 >> 32) + (p01 & 0xffff_ffff) + (p10 & 0xffff_ffff);
            let hi = a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
            let low = (p00 as u32 | mid as u32) != 0;
            return pack(sign, ea + eb - 1022, hi | u64::from(low));
        }
        // Addition: `a` the larger magnitude (its sign is the result's).
        let (a, b, ma, mb) = if ma < mb {
            (b, a, mb, ma)
        } else {
            (a, b, ma, mb)
        };
        if ma == INF64 {
            return if mb == INF64 && a != b { NAN } else { a };
        }
        if mb == 0 {
            // `-0 + -0` is `-0`, `+0 + -0` is `+0`.
            return if ma == 0 { a & b } else { a };
        }
        let ((ea, xa), (eb, xb)) = (unpack(ma), unpack(mb));
        // A bit of headroom for the carry; `b` aligned to `a`, with a sticky bit.
        let (x, y) = (xa >> 1, shr_sticky(xb >> 1, (ea - eb) as u32));
        let m = if (a ^ b) & SIGN == 0 { x + y } else { x - y };
        if m == 0 {
            return 0;
        }
        pack(a & SIGN, ea + 1, m)
    }

    /// The float nearest `mag` (ties to even), negative if `neg`, as bits: an f64's if `f64`,
    /// otherwise an f32's (in the low 32 bits). 0 is +0.
    #[inline(never)]
    pub(super) fn from_int(neg: bool, mag: u64, f64: bool) -> u64 {
        if mag == 0 {
            return 0;
        }
        let (frac, bias, sign) = if f64 { (52, 1023, 63) } else { (23, 127, 31) };
        let lz = mag.leading_zeros();
        let m = mag << lz;
        // The significand's `frac + 1` bits, and the bits below them (from the top).
        let kept = m >> (63 - frac);
        let rest = m << (frac + 1);
        let up = rest > SIGN || (rest == SIGN && kept & 1 != 0);
        // The significand's leading 1 adds one to the exponent field (a carry out of the
        // rounding, another).
        let exp = u64::from(63 - lz) + bias - 1;
        ((exp << frac) + kept + u64::from(up)) | (u64::from(neg) << sign)
    }
}

/// The integer routines against the hardware's (x86-64 runs them with
/// `--features small-code,portable-dispatch`).
#[cfg(all(test, ember_f32_via_f64))]
mod tests {
    use super::*;

    /// Edge values and pseudo-random bit patterns.
    fn samples() -> impl Iterator<Item = u64> {
        let edges: [u64; 10] = [
            0,
            1,
            0x7ff0_0000_0000_0000,
            0x7ff8_0000_0000_0000,
            0x7ff0_0000_0000_0001,
            0x3ff0_0000_0000_0000,
            0x41e0_0000_0000_0000,
            0x43e0_0000_0000_0000,
            0x43f0_0000_0000_0000,
            0x3fe0_0000_0000_0000,
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let random = core::iter::repeat_with(move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        });
        let edges = edges.into_iter().flat_map(|e| {
            [
                e,
                e | 1 << 63,
                e.wrapping_sub(1),
                e.wrapping_add(1),
                (e - (e > 0) as u64) | 1 << 63,
            ]
        });
        edges.chain(random.take(200_000))
    }

    /// `got` is `want` bit for bit, or, if `want` is a NaN, a quiet NaN (canonical if the
    /// operands were canonical or not NaNs).
    fn same(got: f64, want: f64, a: f64, b: f64, what: &str) {
        if want.is_nan() {
            let g = got.to_bits();
            assert!(
                got.is_nan() && g & 1 << 51 != 0,
                "{what}: {a:e} {b:e} -> {g:#x}"
            );
            let canonical = |x: f64| !x.is_nan() || x.to_bits() << 1 == 0xfff0_0000_0000_0000;
            if canonical(a) && canonical(b) {
                assert_eq!(g << 1, 0xfff0_0000_0000_0000, "{what}: {a:e} {b:e}");
            }
            // A NaN operand's payload is kept.
            if a.is_nan() || b.is_nan() {
                let n = if a.is_nan() { a } else { b };
                assert_eq!(g << 1, (n.to_bits() | 1 << 51) << 1, "{what}: {a:e} {b:e}");
            }
        } else {
            assert_eq!(
                got.to_bits(),
                want.to_bits(),
                "{what}: {a:e} {b:e} ({a:?} {b:?})"
            );
        }
    }

    /// `+ - * /` of `a` and `b` both ways, f64 and f32, against the hardware.
    fn arith_agrees(a: f64, b: f64) {
        for (a, b) in [(a, b), (b, a)] {
            same(f64_add(a, b), a + b, a, b, "+");
            same(f64_sub(a, b), a - b, a, b, "-");
            same(f64_mul(a, b), a * b, a, b, "*");
            same(f64_div(a, b), a / b, a, b, "/");
            let (x, y) = (a as f32, b as f32);
            let f = |r: f32| f64::from(r);
            same(f(f32_add(x, y)), f(x + y), f(x), f(y), "f32 +");
            same(f(f32_sub(x, y)), f(x - y), f(x), f(y), "f32 -");
            same(f(f32_mul(x, y)), f(x * y), f(x), f(y), "f32 *");
            same(f(f32_div(x, y)), f(x / y), f(x), f(y), "f32 /");
        }
    }

    #[test]
    fn arithmetic_agrees_with_the_hardware() {
        let edges: [u64; 16] = [
            0,
            1,
            2,
            0x000f_ffff_ffff_ffff,
            0x0010_0000_0000_0000,
            0x0010_0000_0000_0001,
            0x7fef_ffff_ffff_ffff,
            0x7fe0_0000_0000_0000,
            0x7ff0_0000_0000_0000,
            0x7ff8_0000_0000_0000,
            0x7ff0_0000_0000_0001,
            0x7ff4_3210_0000_0000,
            0x3ff0_0000_0000_0000,
            0x3ff0_0000_0000_0001,
            0x3fef_ffff_ffff_ffff,
            0x0360_0000_0000_0000,
        ];
        let edges = edges.iter().flat_map(|&e| [e, e | 1 << 63]);
        let edges: std::vec::Vec<f64> = edges.map(f64::from_bits).collect();
        for &a in &edges {
            for &b in &edges {
                arith_agrees(a, b);
            }
        }
        // Overflow, underflow, ties and cancellations.
        let (max, tiny) = (f64::MAX, f64::MIN_POSITIVE);
        let ulp = f64::EPSILON;
        for (a, b) in [
            (max, max),
            (max, 2.0),
            (max, 0.5),
            (tiny, 0.5),
            (tiny, tiny),
            (tiny, -tiny * (1.0 - ulp)),
            (1.0, ulp / 2.0),
            (1.0 + ulp, ulp / 2.0),
            (1.0, -ulp / 4.0),
            (1.0 + ulp, 1.0 + ulp),
            (3.0, 1.0 + ulp),
            (1.0, 3.0),
            (f64::from_bits(3), 0.5),
            (f64::from_bits(3), 0.25),
            (f64::from_bits(1), 0.5),
            (f64::from_bits(1), 1.5),
            (tiny * 1.5, 0.5),
            (f64::from_bits(0x7fe0_0000_0000_0000), 2.0),
            (max, 1.0 + ulp / 2.0),
        ] {
            arith_agrees(a, b);
            arith_agrees(-a, b);
        }
        // Random bit patterns, and random values of similar exponents.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let (a, b, s) = (next(), next(), next());
            arith_agrees(f64::from_bits(a), f64::from_bits(b));
            // `b` with `a`'s exponent give or take a few (or 60), or a subnormal.
            let d = (s & 0xf) << 52;
            let near = match s >> 4 & 3 {
                0 => (b & !(0x7ff << 52)) | (a & (0x7ff << 52)),
                1 => ((b & !(0x7ff << 52)) | (a & (0x7ff << 52))).wrapping_add(d),
                2 => ((b & !(0x7ff << 52)) | (a & (0x7ff << 52))).wrapping_sub(d),
                _ => b & 0x800f_ffff_ffff_ffff,
            };
            arith_agrees(f64::from_bits(a), f64::from_bits(near));
            // Few significand bits: exact results and ties.
            let (p, q) = (a & 0xfff0_0000_00ff_0000, near & 0xfff0_0000_0000_00ff);
            arith_agrees(f64::from_bits(p), f64::from_bits(q));
            arith_agrees(f64::from_bits(a), f64::from_bits(a ^ (s & 0xff)));
        }
    }

    #[test]
    fn exact_roots_and_ties() {
        // A subnormal f64 (2^-1054), and f32's least subnormal.
        let (tiny, least) = (f64::from_bits(1 << 20), f64::from(f32::from_bits(1)));
        for k in 0..2000u32 {
            let v = f64::from(k);
            assert_eq!(f64_sqrt(v * v), v);
            assert_eq!(
                f64_sqrt(v * v * tiny).to_bits(),
                (v * v * tiny).sqrt().to_bits()
            );
            let h = v + 0.5;
            assert_eq!(f64_nearest(h).to_bits(), libm::rint(h).to_bits());
            assert_eq!(f64_nearest(-h).to_bits(), libm::rint(-h).to_bits());
            assert_eq!(narrow(h * least).to_bits(), ((h * least) as f32).to_bits());
        }
    }

    #[test]
    fn integer_routines_agree_with_the_hardware() {
        let prev = core::cell::Cell::new(0u64);
        for bits in samples() {
            let (a, b) = (f64::from_bits(bits), f64::from_bits(prev.replace(bits)));
            assert_eq!(f64_lt(a, b), a < b, "{a} < {b}");
            assert_eq!(f64_le(a, b), a <= b);
            assert_eq!(f64_eq(a, b), a == b);
            assert_eq!(f64_ne(a, b), a != b);
            assert_eq!(f64_gt(a, b), a > b);
            assert_eq!(f64_ge(a, b), a >= b);
            assert_eq!(f64_eq(a, a), a == a);
            let (x, y) = (
                f32::from_bits(bits as u32),
                f32::from_bits((bits >> 32) as u32),
            );
            assert_eq!(f32_lt(x, y), x < y);
            assert_eq!(f32_ge(x, y), x >= y);
            assert_eq!(f32_eq(x, y), x == y);
            assert_eq!(f32_eq(x, -x), x == -x);
            // Conversions, of the whole range and of the small integers.
            for v in [bits, bits >> 40, bits >> 11] {
                assert_eq!(f64_from_u64(v).to_bits(), (v as f64).to_bits(), "{v}");
                assert_eq!(
                    f64_from_i64(v as i64).to_bits(),
                    (v as i64 as f64).to_bits()
                );
                assert_eq!(f32_from_u64(v).to_bits(), (v as f32).to_bits(), "{v}");
                assert_eq!(
                    f32_from_i64(v as i64).to_bits(),
                    (v as i64 as f32).to_bits()
                );
                assert_eq!(
                    f32_from_i32(v as i32).to_bits(),
                    (v as i32 as f32).to_bits()
                );
                assert_eq!(
                    f32_from_u32(v as u32).to_bits(),
                    (v as u32 as f32).to_bits()
                );
                assert_eq!(
                    f64_from_i32(v as i32).to_bits(),
                    f64::from(v as i32).to_bits()
                );
                assert_eq!(
                    f64_from_u32(v as u32).to_bits(),
                    f64::from(v as u32).to_bits()
                );
            }
            // Truncations: the saturating ones are `as`; the trapping ones agree with them
            // in range.
            for a in [a, a * 1e-300, a * 1e300, a.trunc(), f64::from(x)] {
                assert_eq!(f64_sat_i32(a), a as i32, "{a}");
                assert_eq!(f64_sat_u32(a), a as u32, "{a}");
                assert_eq!(f64_sat_i64(a), a as i64, "{a}");
                assert_eq!(f64_sat_u64(a), a as u64, "{a}");
                let t = a.trunc();
                let ok = |lo: f64, hi: f64| t >= lo && t <= hi;
                assert_eq!(
                    i32_trunc_f64_s(a).ok(),
                    ok(-2147483648.0, 2147483647.0).then_some(a as i32)
                );
                assert_eq!(
                    i32_trunc_f64_u(a).ok(),
                    ok(0.0, 4294967295.0).then_some(a as u32)
                );
                assert_eq!(
                    i64_trunc_f64_s(a).ok(),
                    ok(-9223372036854775808.0, 9223372036854774784.0).then_some(a as i64)
                );
                assert_eq!(
                    i64_trunc_f64_u(a).ok(),
                    ok(0.0, 18446744073709549568.0).then_some(a as u64)
                );
                if a.is_nan() {
                    assert_eq!(i32_trunc_f64_s(a), Err(TrapCode::BadConversionToInteger));
                }
            }
            // Rounding, square roots, narrowing: as libm and the hardware (a NaN quiet).
            for v in [
                a,
                a * 1e-300,
                a * 1e300,
                a * 1e-310,
                f64::from(x),
                a % 1e6,
                a % 4.0,
            ] {
                let q = |r: f64| {
                    if r.is_nan() {
                        r.to_bits() | 1 << 51
                    } else {
                        r.to_bits()
                    }
                };
                assert_eq!(f64_ceil(v).to_bits(), q(libm::ceil(v)), "{v}");
                assert_eq!(f64_floor(v).to_bits(), q(libm::floor(v)), "{v}");
                assert_eq!(f64_trunc(v).to_bits(), q(libm::trunc(v)), "{v}");
                assert_eq!(f64_nearest(v).to_bits(), q(libm::rint(v)), "{v}");
                let root = f64_sqrt(v);
                if v < 0.0 {
                    assert!(root.is_nan());
                } else {
                    assert_eq!(root.to_bits(), q(v.sqrt()), "{v}");
                }
                let n = narrow(v);
                if v.is_nan() {
                    assert_eq!(n.to_bits(), demote(v).to_bits());
                } else {
                    assert_eq!(n.to_bits(), (v as f32).to_bits(), "{v}");
                }
            }
            assert_eq!(f64_nearest(0.5).to_bits(), 0.0f64.to_bits());
            assert_eq!(f64_nearest(-2.5).to_bits(), (-2.0f64).to_bits());
            assert_eq!(f64_nearest(-0.2).to_bits(), (-0.0f64).to_bits());
            assert_eq!(f64_ceil(-0.2).to_bits(), (-0.0f64).to_bits());
            assert_eq!(
                narrow(f64::from(f32::MAX) * 1.5).to_bits(),
                f32::INFINITY.to_bits()
            );
            assert_eq!(wide(x).to_bits(), f64::from(x).to_bits(), "{x}");
            // `promote`: a NaN quiet, with its sign and payload.
            let q = if x.is_nan() { 1 << 51 } else { 0 };
            assert_eq!(promote(x).to_bits(), f64::from(x).to_bits() | q, "{x}");
            assert_eq!(wide(y).to_bits(), f64::from(y).to_bits(), "{y}");
            let sub = f32::from_bits(bits as u32 & 0x807f_ffff);
            assert_eq!(wide(sub).to_bits(), f64::from(sub).to_bits(), "{sub}");
            assert_eq!(f32_sat_i32(x), x as i32);
            assert_eq!(f32_sat_u64(x), x as u64);
            // min and max: NaN if either is; -0 below +0.
            let (lo, hi) = (f64_min(a, b), f64_max(a, b));
            if a.is_nan() || b.is_nan() {
                assert!(lo.is_nan() && hi.is_nan());
            } else if a == b {
                assert_eq!(lo.to_bits(), a.to_bits() | b.to_bits());
                assert_eq!(hi.to_bits(), a.to_bits() & b.to_bits());
            } else {
                assert_eq!(lo, a.min(b));
                assert_eq!(hi, a.max(b));
            }
        }
    }
}
