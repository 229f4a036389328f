//! Float operations: bit-exact sign ops, min/max, rounding, truncations, conversions.

use super::*;

fn f32u(instr: Instr, bits: u32) -> u32 {
    match un(instr, F32, F32, Val::F32(bits)).unwrap() {
        Val::F32(b) => b,
        v => panic!("{v:?}"),
    }
}
fn f64u(instr: Instr, bits: u64) -> u64 {
    match un(instr, F64, F64, Val::F64(bits)).unwrap() {
        Val::F64(b) => b,
        v => panic!("{v:?}"),
    }
}
fn f32b(instr: Instr, a: f32, b: f32) -> u32 {
    match bin(instr, F32, F32, Val::from(a), Val::from(b)).unwrap() {
        Val::F32(b) => b,
        v => panic!("{v:?}"),
    }
}
fn f64b(instr: Instr, a: f64, b: f64) -> u64 {
    match bin(instr, F64, F64, Val::from(a), Val::from(b)).unwrap() {
        Val::F64(b) => b,
        v => panic!("{v:?}"),
    }
}

macro_rules! u2 {
    ($Ty:ident) => {
        Instr::$Ty($Ty { dst: 1, src: 0 })
    };
}
macro_rules! b3 {
    ($Ty:ident) => {
        Instr::$Ty($Ty {
            dst: 2,
            lhs: 0,
            rhs: 1,
        })
    };
}

#[test]
fn sign_ops_keep_nan_payloads() {
    assert_eq!(f32u(u2!(F32Abs), 0xffa0_0001), 0x7fa0_0001);
    assert_eq!(f32u(u2!(F32Neg), 0x7fa0_0001), 0xffa0_0001);
    assert_eq!(
        f64u(u2!(F64Abs), 0xfff0_0000_0000_0001),
        0x7ff0_0000_0000_0001
    );
    assert_eq!(
        f64u(u2!(F64Neg), 0x7ff0_0000_0000_0001),
        0xfff0_0000_0000_0001
    );
    let cs =
        |a: u32, b: u32| match bin(b3!(F32Copysign), F32, F32, Val::F32(a), Val::F32(b)).unwrap() {
            Val::F32(x) => x,
            v => panic!("{v:?}"),
        };
    assert_eq!(cs(0x7fa0_0001, 0x8000_0000), 0xffa0_0001);
    assert_eq!(cs(0xbf80_0000, 0x7fc0_0000), 0x3f80_0000);
    let cs64 =
        |a: u64, b: u64| match bin(b3!(F64Copysign), F64, F64, Val::F64(a), Val::F64(b)).unwrap() {
            Val::F64(x) => x,
            v => panic!("{v:?}"),
        };
    assert_eq!(cs64(0x7ff0_0000_0000_0001, 1 << 63), 0xfff0_0000_0000_0001);
}

#[test]
fn min_max_zero_and_nan() {
    assert_eq!(f32b(b3!(F32Min), 0.0, -0.0), (-0.0f32).to_bits());
    assert_eq!(f32b(b3!(F32Min), -0.0, 0.0), (-0.0f32).to_bits());
    assert_eq!(f32b(b3!(F32Max), -0.0, 0.0), 0);
    assert_eq!(f32b(b3!(F32Max), 0.0, -0.0), 0);
    assert_eq!(f32b(b3!(F32Min), 1.0, 2.0), 1.0f32.to_bits());
    assert_eq!(f32b(b3!(F32Max), 1.0, 2.0), 2.0f32.to_bits());
    assert!(f32::from_bits(f32b(b3!(F32Min), f32::NAN, 1.0)).is_nan());
    assert!(f32::from_bits(f32b(b3!(F32Max), 1.0, f32::NAN)).is_nan());
    assert!(f32::from_bits(f32b(b3!(F32Min), f32::NEG_INFINITY, f32::NAN)).is_nan());
    assert_eq!(f64b(b3!(F64Min), 0.0, -0.0), (-0.0f64).to_bits());
    assert_eq!(f64b(b3!(F64Max), -0.0, 0.0), 0);
    assert_eq!(
        f64b(b3!(F64Max), -1.0, f64::NEG_INFINITY),
        (-1.0f64).to_bits()
    );
    assert!(f64::from_bits(f64b(b3!(F64Max), f64::NAN, 1.0)).is_nan());
    assert!(f64::from_bits(f64b(b3!(F64Min), 1.0, f64::NAN)).is_nan());
}

#[test]
fn rounding() {
    let n32 = |x: f32| f32::from_bits(f32u(u2!(F32Nearest), x.to_bits()));
    assert_eq!(n32(0.5).to_bits(), 0.0f32.to_bits());
    assert_eq!(n32(1.5), 2.0);
    assert_eq!(n32(2.5), 2.0);
    assert_eq!(n32(-0.5).to_bits(), (-0.0f32).to_bits());
    assert_eq!(n32(-3.5), -4.0);
    assert_eq!(n32(8388609.0), 8388609.0);
    let n64 = |x: f64| f64::from_bits(f64u(u2!(F64Nearest), x.to_bits()));
    assert_eq!(n64(2.5), 2.0);
    assert_eq!(n64(3.5), 4.0);
    assert_eq!(n64(-0.5).to_bits(), (-0.0f64).to_bits());
    assert_eq!(n64(4503599627370497.0), 4503599627370497.0);
    let r = |i, x: f64| f64::from_bits(f64u(i, x.to_bits()));
    assert_eq!(r(u2!(F64Ceil), -0.5).to_bits(), (-0.0f64).to_bits());
    assert_eq!(r(u2!(F64Ceil), 1.1), 2.0);
    assert_eq!(r(u2!(F64Floor), -1.1), -2.0);
    assert_eq!(r(u2!(F64Trunc), -1.9), -1.0);
    assert_eq!(r(u2!(F64Sqrt), 16.0), 4.0);
    assert_eq!(f32::from_bits(f32u(u2!(F32Sqrt), 2.25f32.to_bits())), 1.5);
    assert_eq!(
        f32::from_bits(f32u(u2!(F32Floor), (-0.5f32).to_bits())),
        -1.0
    );
    // A signalling NaN comes out quiet (an arithmetic NaN), keeping its payload.
    assert_eq!(f32u(u2!(F32Ceil), 0x7fa0_0000), 0x7fe0_0000);
    assert_eq!(f32u(u2!(F32Nearest), 0xff80_0001), 0xffc0_0001);
    assert_eq!(
        f64u(u2!(F64Trunc), 0x7ff0_0000_0000_0001),
        0x7ff8_0000_0000_0001
    );
}

#[test]
fn arithmetic() {
    assert_eq!(f32b(b3!(F32Add), 1.5, 2.25), 3.75f32.to_bits());
    assert_eq!(f32b(b3!(F32Div), 1.0, 0.0), f32::INFINITY.to_bits());
    assert_eq!(f64b(b3!(F64Sub), 0.1, 0.3), (0.1f64 - 0.3).to_bits());
    assert_eq!(f64b(b3!(F64Mul), -2.0, 0.0), (-0.0f64).to_bits());
    let cmp = |i, a: f64, b: f64| bin(i, F64, I32, Val::from(a), Val::from(b)).unwrap();
    assert_eq!(cmp(b3!(F64Eq), f64::NAN, f64::NAN), Val::I32(0));
    assert_eq!(cmp(b3!(F64Ne), f64::NAN, f64::NAN), Val::I32(1));
    assert_eq!(cmp(b3!(F64Lt), -0.0, 0.0), Val::I32(0));
    assert_eq!(cmp(b3!(F64Le), -0.0, 0.0), Val::I32(1));
    let cmp32 = |i, a: f32, b: f32| bin(i, F32, I32, Val::from(a), Val::from(b)).unwrap();
    assert_eq!(cmp32(b3!(F32Gt), 2.0, 1.0), Val::I32(1));
    assert_eq!(cmp32(b3!(F32Ge), f32::NAN, 1.0), Val::I32(0));
}

fn trunc32(instr: Instr, x: f64, from: ValType) -> Result<i64, TrapCode> {
    let arg = if from == F32 {
        Val::from(x as f32)
    } else {
        Val::from(x)
    };
    un(instr, from, I64, arg)
        .map(|v| v.i64().unwrap())
        .map_err(|t| t.code())
}

#[test]
fn trapping_truncations() {
    use TrapCode::{BadConversionToInteger as Nan, IntegerOverflow as Ovf};
    // Results are read back as i64 slots, so i32 results show zero-extended.
    let i = u2!(I32TruncF32S);
    assert_eq!(trunc32(i, -2147483648.0, F32), Ok(0x8000_0000));
    assert_eq!(trunc32(i, 2147483520.0, F32), Ok(2147483520));
    assert_eq!(trunc32(i, 2147483648.0, F32), Err(Ovf));
    assert_eq!(trunc32(i, -2147483904.0, F32), Err(Ovf));
    assert_eq!(trunc32(i, f64::NAN, F32), Err(Nan));
    assert_eq!(trunc32(i, -1.9, F32), Ok(0xffff_ffff));
    let i = u2!(I32TruncF32U);
    assert_eq!(trunc32(i, -0.9, F32), Ok(0));
    assert_eq!(trunc32(i, -1.0, F32), Err(Ovf));
    assert_eq!(trunc32(i, 4294967040.0, F32), Ok(4294967040));
    assert_eq!(trunc32(i, 4294967296.0, F32), Err(Ovf));
    let i = u2!(I32TruncF64S);
    assert_eq!(trunc32(i, -2147483648.9, F64), Ok(0x8000_0000));
    assert_eq!(trunc32(i, -2147483649.0, F64), Err(Ovf));
    assert_eq!(trunc32(i, 2147483647.9, F64), Ok(2147483647));
    assert_eq!(trunc32(i, 2147483648.0, F64), Err(Ovf));
    assert_eq!(trunc32(i, f64::NAN, F64), Err(Nan));
    let i = u2!(I32TruncF64U);
    assert_eq!(trunc32(i, -0.9, F64), Ok(0));
    assert_eq!(trunc32(i, -1.0, F64), Err(Ovf));
    assert_eq!(trunc32(i, 4294967295.9, F64), Ok(4294967295));
    assert_eq!(trunc32(i, 4294967296.0, F64), Err(Ovf));
    assert_eq!(trunc32(i, f64::INFINITY, F64), Err(Ovf));
    let i = u2!(I64TruncF32S);
    assert_eq!(trunc32(i, -9223372036854775808.0, F32), Ok(i64::MIN));
    assert_eq!(trunc32(i, 9223372036854775808.0, F32), Err(Ovf));
    assert_eq!(trunc32(i, -9223373136366403584.0, F32), Err(Ovf));
    assert_eq!(trunc32(i, f64::NAN, F32), Err(Nan));
    let i = u2!(I64TruncF32U);
    assert_eq!(trunc32(i, 18446742974197923840.0, F32), Ok(-1099511627776));
    assert_eq!(trunc32(i, 18446744073709551616.0, F32), Err(Ovf));
    assert_eq!(trunc32(i, -0.9, F32), Ok(0));
    assert_eq!(trunc32(i, -1.0, F32), Err(Ovf));
    let i = u2!(I64TruncF64S);
    assert_eq!(trunc32(i, -9223372036854775808.0, F64), Ok(i64::MIN));
    assert_eq!(trunc32(i, -9223372036854777856.0, F64), Err(Ovf));
    assert_eq!(
        trunc32(i, 9223372036854774784.0, F64),
        Ok(9223372036854774784)
    );
    assert_eq!(trunc32(i, 9223372036854775808.0, F64), Err(Ovf));
    let i = u2!(I64TruncF64U);
    assert_eq!(trunc32(i, 18446744073709549568.0, F64), Ok(-2048));
    assert_eq!(trunc32(i, 18446744073709551616.0, F64), Err(Ovf));
    assert_eq!(trunc32(i, -0.99, F64), Ok(0));
    assert_eq!(trunc32(i, -1.0, F64), Err(Ovf));
    assert_eq!(trunc32(i, f64::NAN, F64), Err(Nan));
}

#[test]
fn saturating_truncations() {
    let s = |i, x: f64, from| trunc32(i, x, from).unwrap();
    assert_eq!(s(u2!(I32TruncSatF32S), f64::NAN, F32), 0);
    assert_eq!(s(u2!(I32TruncSatF32S), -1e10, F32), 0x8000_0000);
    assert_eq!(s(u2!(I32TruncSatF64S), 1e10, F64), 0x7fff_ffff);
    assert_eq!(s(u2!(I32TruncSatF64U), -5.0, F64), 0);
    assert_eq!(s(u2!(I32TruncSatF32U), 1e10, F32), 0xffff_ffff);
    assert_eq!(s(u2!(I64TruncSatF64S), -1e300, F64), i64::MIN);
    assert_eq!(s(u2!(I64TruncSatF32U), f64::INFINITY, F32), -1);
    assert_eq!(s(u2!(I64TruncSatF64U), f64::NAN, F64), 0);
    assert_eq!(s(u2!(I64TruncSatF32S), 1e30, F32), i64::MAX);
}

#[test]
fn conversions() {
    let c32 = |i, v: Val, from| match un(i, from, F32, v).unwrap() {
        Val::F32(b) => f32::from_bits(b),
        v => panic!("{v:?}"),
    };
    assert_eq!(c32(u2!(F32ConvertI32S), Val::I32(-1), I32), -1.0);
    assert_eq!(c32(u2!(F32ConvertI32U), Val::I32(-1), I32), 4294967296.0);
    assert_eq!(
        c32(u2!(F32ConvertI64S), Val::I64(i64::MIN), I64),
        -9223372036854775808.0
    );
    assert_eq!(
        c32(u2!(F32ConvertI64U), Val::I64(-1), I64),
        18446744073709551616.0
    );
    // Round to nearest even: 2^24 + 1 is a tie between 2^24 and 2^24 + 2.
    assert_eq!(
        c32(u2!(F32ConvertI32S), Val::I32(16777217), I32),
        16777216.0
    );
    assert_eq!(
        c32(u2!(F32ConvertI64U), Val::I64(0x0020_0000_2000_0001), I64),
        9007200328482816.0
    );
    let c64 = |i, v: Val, from| match un(i, from, F64, v).unwrap() {
        Val::F64(b) => f64::from_bits(b),
        v => panic!("{v:?}"),
    };
    assert_eq!(c64(u2!(F64ConvertI32U), Val::I32(-1), I32), 4294967295.0);
    assert_eq!(c64(u2!(F64ConvertI32S), Val::I32(-1), I32), -1.0);
    assert_eq!(c64(u2!(F64ConvertI64S), Val::I64(-3), I64), -3.0);
    assert_eq!(
        c64(u2!(F64ConvertI64U), Val::I64(-1), I64),
        18446744073709551616.0
    );
    assert_eq!(c64(u2!(F64PromoteF32), Val::from(1.5f32), F32), 1.5);
    // NaN payloads: promote keeps the payload (quieted), demote keeps the top bits.
    assert_eq!(
        un(u2!(F64PromoteF32), F32, F64, Val::F32(0x7fa0_0001)).unwrap(),
        Val::F64(0x7ffc_0000_2000_0000)
    );
    assert_eq!(
        un(u2!(F32DemoteF64), F64, F32, Val::F64(0xfff8_0000_0000_0000)).unwrap(),
        Val::F32(0xffc0_0000)
    );
    assert_eq!(
        un(u2!(F32DemoteF64), F64, F32, Val::from(f64::MAX)).unwrap(),
        Val::from(f32::INFINITY)
    );
    assert_eq!(
        un(
            u2!(F32DemoteF64),
            F64,
            F32,
            Val::from(1.0000000596046448f64)
        )
        .unwrap(),
        Val::from(1.0f32)
    );
}

#[test]
fn constant_operands_on_either_side() {
    let f64imm = |instr: Instr, x: f64| match un(instr, F64, F64, Val::from(x)).unwrap() {
        Val::F64(b) => f64::from_bits(b),
        v => panic!("{v:?}"),
    };
    let f32imm = |instr: Instr, x: f32| match un(instr, F32, F32, Val::from(x)).unwrap() {
        Val::F32(b) => f32::from_bits(b),
        v => panic!("{v:?}"),
    };
    // `un` runs `dst=1 src=0`: the constant is 10, the slot holds x = 4.
    let c64 = 10f64.to_bits();
    let c32 = 10f32.to_bits();
    let sub64 = Instr::F64SubImmLhs(F64SubImmLhs {
        dst: 1,
        value: c64,
        rhs: 0,
    });
    let div64 = Instr::F64DivImmLhs(F64DivImmLhs {
        dst: 1,
        value: c64,
        rhs: 0,
    });
    let sub64r = Instr::F64SubImm(F64SubImm {
        dst: 1,
        lhs: 0,
        value: c64,
    });
    let div64r = Instr::F64DivImm(F64DivImm {
        dst: 1,
        lhs: 0,
        value: c64,
    });
    assert_eq!(f64imm(sub64, 4.0), 6.0);
    assert_eq!(f64imm(div64, 4.0), 2.5);
    assert_eq!(f64imm(sub64r, 4.0), -6.0);
    assert_eq!(f64imm(div64r, 4.0), 0.4);
    assert!(f64imm(div64, 0.0).is_infinite());
    let sub32 = Instr::F32SubImmLhs(F32SubImmLhs {
        dst: 1,
        value: c32,
        rhs: 0,
    });
    let div32 = Instr::F32DivImmLhs(F32DivImmLhs {
        dst: 1,
        value: c32,
        rhs: 0,
    });
    assert_eq!(f32imm(sub32, 4.0), 6.0);
    assert_eq!(f32imm(div32, 4.0), 2.5);
    assert!(f32imm(sub32, f32::NAN).is_nan());
}
