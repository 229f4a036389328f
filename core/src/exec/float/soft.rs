//! Float arithmetic in integer arithmetic, where floats are soft anyway
//! (`cfg(ember_f32_via_f64)`): comparisons, conversions and truncations, f64 to f32 rounding,
//! rounding to integral, square root, and `+ - * /` (one routine with one rounding step). One
//! routine each, shared by both widths and every integer type, instead of `compiler_builtins`'
//! and libm's routine per operator and type pair (`__ltdf2`, `__gedf2`, ..., `__floatdisf`,
//! `__fixdfsi`, ..., `__adddf3`, `__muldf3`, `__divdf3`, `sqrt`, `floor`, ...).

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
