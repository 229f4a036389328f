//! The integer routines against the hardware's (x86-64 runs them with
//! `--features small-code,portable-dispatch`).

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
