//! Integer arithmetic, comparisons, traps, immediates, sign extension.

use super::*;

fn i32b(instr: Instr, a: i32, b: i32) -> Result<i32, TrapCode> {
    bin(instr, I32, I32, Val::I32(a), Val::I32(b))
        .map(|v| v.i32().unwrap())
        .map_err(|t| t.code())
}

fn i64b(instr: Instr, a: i64, b: i64) -> Result<i64, TrapCode> {
    bin(instr, I64, I64, Val::I64(a), Val::I64(b))
        .map(|v| v.i64().unwrap())
        .map_err(|t| t.code())
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
fn i32_arith_and_traps() {
    assert_eq!(i32b(b3!(I32Add), i32::MAX, 1), Ok(i32::MIN));
    assert_eq!(i32b(b3!(I32Sub), i32::MIN, 1), Ok(i32::MAX));
    assert_eq!(i32b(b3!(I32Mul), 0x1234_5678, 0x100), Ok(0x3456_7800));
    assert_eq!(i32b(b3!(I32DivS), -7, 2), Ok(-3));
    assert_eq!(
        i32b(b3!(I32DivS), 7, 0),
        Err(TrapCode::IntegerDivisionByZero)
    );
    assert_eq!(
        i32b(b3!(I32DivS), i32::MIN, -1),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(i32b(b3!(I32DivU), -1, 2), Ok(0x7fff_ffff));
    assert_eq!(
        i32b(b3!(I32DivU), 1, 0),
        Err(TrapCode::IntegerDivisionByZero)
    );
    assert_eq!(i32b(b3!(I32RemS), -7, 2), Ok(-1));
    assert_eq!(i32b(b3!(I32RemS), i32::MIN, -1), Ok(0));
    assert_eq!(
        i32b(b3!(I32RemS), 1, 0),
        Err(TrapCode::IntegerDivisionByZero)
    );
    assert_eq!(i32b(b3!(I32RemU), -1, 10), Ok(5));
    assert_eq!(
        i32b(b3!(I32RemU), 1, 0),
        Err(TrapCode::IntegerDivisionByZero)
    );
}

#[test]
fn i32_bits_and_shifts() {
    assert_eq!(i32b(b3!(I32Shl), 1, 33), Ok(2));
    assert_eq!(i32b(b3!(I32ShrS), i32::MIN, 31), Ok(-1));
    assert_eq!(i32b(b3!(I32ShrS), i32::MIN, 63), Ok(-1));
    assert_eq!(i32b(b3!(I32ShrU), i32::MIN, 63), Ok(1));
    assert_eq!(i32b(b3!(I32Rotl), 0x8000_0001u32 as i32, 33), Ok(3));
    assert_eq!(i32b(b3!(I32Rotr), 3, -1), Ok(6));
    assert_eq!(i32b(b3!(I32And), 0b1100, 0b1010), Ok(0b1000));
    assert_eq!(i32b(b3!(I32Or), 0b1100, 0b1010), Ok(0b1110));
    assert_eq!(i32b(b3!(I32Xor), 0b1100, 0b1010), Ok(0b0110));
    let u = |instr, a| {
        un(instr, I32, I32, Val::I32(a))
            .map(|v| v.i32().unwrap())
            .unwrap()
    };
    assert_eq!(u(Instr::I32Clz(I32Clz { dst: 1, src: 0 }), 0), 32);
    assert_eq!(u(Instr::I32Clz(I32Clz { dst: 1, src: 0 }), 0x00ff_0000), 8);
    assert_eq!(u(Instr::I32Ctz(I32Ctz { dst: 1, src: 0 }), 0), 32);
    assert_eq!(u(Instr::I32Ctz(I32Ctz { dst: 1, src: 0 }), 0x100), 8);
    assert_eq!(u(Instr::I32Popcnt(I32Popcnt { dst: 1, src: 0 }), -1), 32);
    assert_eq!(u(Instr::I32Eqz(I32Eqz { dst: 1, src: 0 }), 0), 1);
    assert_eq!(u(Instr::I32Eqz(I32Eqz { dst: 1, src: 0 }), 5), 0);
    assert_eq!(
        u(Instr::I32Extend8S(I32Extend8S { dst: 1, src: 0 }), 0x80),
        -128
    );
    assert_eq!(
        u(
            Instr::I32Extend16S(I32Extend16S { dst: 1, src: 0 }),
            0x1_7fff
        ),
        0x7fff
    );
}

#[test]
fn i32_compares_are_0_or_1() {
    assert_eq!(i32b(b3!(I32LtS), -1, 0), Ok(1));
    assert_eq!(i32b(b3!(I32LtU), -1, 0), Ok(0));
    assert_eq!(i32b(b3!(I32GtU), -1, 0), Ok(1));
    assert_eq!(i32b(b3!(I32GeS), 3, 3), Ok(1));
    assert_eq!(i32b(b3!(I32LeU), 4, 3), Ok(0));
    assert_eq!(i32b(b3!(I32Ne), 4, 3), Ok(1));
    assert_eq!(i32b(b3!(I32Eq), 4, 3), Ok(0));
}

#[test]
fn i64_arith_and_traps() {
    assert_eq!(i64b(b3!(I64Add), i64::MAX, 1), Ok(i64::MIN));
    assert_eq!(i64b(b3!(I64Mul), 1 << 40, (1 << 30) + 3), Ok(3 << 40));
    assert_eq!(
        i64b(b3!(I64DivS), i64::MIN, -1),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(
        i64b(b3!(I64DivS), 1, 0),
        Err(TrapCode::IntegerDivisionByZero)
    );
    assert_eq!(i64b(b3!(I64DivU), -1, 2), Ok(i64::MAX));
    assert_eq!(i64b(b3!(I64RemS), i64::MIN, -1), Ok(0));
    assert_eq!(
        i64b(b3!(I64RemU), 1, 0),
        Err(TrapCode::IntegerDivisionByZero)
    );
    assert_eq!(i64b(b3!(I64Shl), 1, 65), Ok(2));
    assert_eq!(i64b(b3!(I64ShrU), -1, 127), Ok(1));
    assert_eq!(i64b(b3!(I64Rotl), 1 << 62, 65), Ok(i64::MIN));
    assert_eq!(i64b(b3!(I64Rotl), i64::MIN, 65), Ok(1));
    assert_eq!(i64b(b3!(I64Rotr), 1, -1), Ok(2));
    let cmp = |instr, a, b| bin(instr, I64, I32, Val::I64(a), Val::I64(b)).unwrap();
    assert_eq!(cmp(b3!(I64LtU), -1, 0), Val::I32(0));
    assert_eq!(cmp(b3!(I64LtS), -1, 0), Val::I32(1));
    assert_eq!(cmp(b3!(I64Eq), 1 << 32, 0), Val::I32(0));
    let u = |instr, a| un(instr, I64, I64, Val::I64(a)).unwrap();
    assert_eq!(u(Instr::I64Clz(I64Clz { dst: 1, src: 0 }), 1), Val::I64(63));
    assert_eq!(u(Instr::I64Ctz(I64Ctz { dst: 1, src: 0 }), 0), Val::I64(64));
    assert_eq!(
        u(Instr::I64Popcnt(I64Popcnt { dst: 1, src: 0 }), -1),
        Val::I64(64)
    );
    assert_eq!(
        u(Instr::I64Extend8S(I64Extend8S { dst: 1, src: 0 }), 0xff),
        Val::I64(-1)
    );
    assert_eq!(
        u(Instr::I64Extend16S(I64Extend16S { dst: 1, src: 0 }), 0x8000),
        Val::I64(-32768)
    );
    let ext = |instr, a| un(instr, I32, I64, Val::I32(a)).unwrap();
    assert_eq!(
        ext(Instr::I64ExtendI32S(I64ExtendI32S { dst: 1, src: 0 }), -2),
        Val::I64(-2)
    );
    assert_eq!(
        ext(Instr::I64ExtendI32U(I64ExtendI32U { dst: 1, src: 0 }), -2),
        Val::I64(0xffff_fffe)
    );
    // i32.wrap_i64 is a copy; the reader of the i32 ignores the high half.
    assert_eq!(
        un(
            Instr::Copy(Copy { dst: 1, src: 0 }),
            I64,
            I32,
            Val::I64(0x1_0000_0005)
        )
        .unwrap(),
        Val::I32(5)
    );
    assert_eq!(
        un(
            Instr::I32Eqz(I32Eqz { dst: 1, src: 0 }),
            I64,
            I32,
            Val::I64(1 << 32)
        )
        .unwrap(),
        Val::I32(1)
    );
}

#[test]
fn immediates() {
    let i32i = |instr| un(instr, I32, I32, Val::I32(10)).unwrap().i32().unwrap();
    assert_eq!(
        i32i(Instr::I32AddImm(I32AddImm {
            dst: 1,
            lhs: 0,
            imm: -11
        })),
        -1
    );
    assert_eq!(
        i32i(Instr::I32SubImmLhs(I32SubImmLhs {
            dst: 1,
            imm: 3,
            rhs: 0
        })),
        -7
    );
    assert_eq!(
        i32i(Instr::I32MulImm(I32MulImm {
            dst: 1,
            lhs: 0,
            imm: -3
        })),
        -30
    );
    assert_eq!(
        i32i(Instr::I32ShlImm(I32ShlImm {
            dst: 1,
            lhs: 0,
            imm: 33
        })),
        20
    );
    assert_eq!(
        i32i(Instr::I32ShrUImm(I32ShrUImm {
            dst: 1,
            lhs: 0,
            imm: 1
        })),
        5
    );
    assert_eq!(
        i32i(Instr::I32LtUImm(I32LtUImm {
            dst: 1,
            lhs: 0,
            imm: -1
        })),
        1
    );
    assert_eq!(
        i32i(Instr::I32LtSImm(I32LtSImm {
            dst: 1,
            lhs: 0,
            imm: -1
        })),
        0
    );
    assert_eq!(
        i32i(Instr::I32RotrImm(I32RotrImm {
            dst: 1,
            lhs: 0,
            imm: 1
        })),
        5
    );
    let i64i = |instr| un(instr, I64, I64, Val::I64(10)).unwrap().i64().unwrap();
    assert_eq!(
        i64i(Instr::I64AddImm(I64AddImm {
            dst: 1,
            lhs: 0,
            imm: -11
        })),
        -1
    );
    assert_eq!(
        i64i(Instr::I64SubImmLhs(I64SubImmLhs {
            dst: 1,
            imm: -3,
            rhs: 0
        })),
        -13
    );
    assert_eq!(
        i64i(Instr::I64AndImm(I64AndImm {
            dst: 1,
            lhs: 0,
            imm: -2
        })),
        10
    );
    assert_eq!(
        i64i(Instr::I64XorImm(I64XorImm {
            dst: 1,
            lhs: 0,
            imm: -1
        })),
        !10
    );
    assert_eq!(
        i64i(Instr::I64ShrSImm(I64ShrSImm {
            dst: 1,
            lhs: 0,
            imm: 65
        })),
        5
    );
    let i64c = |instr| un(instr, I64, I32, Val::I64(10)).unwrap().i32().unwrap();
    // imm is sign-extended: 10 < 0xffff_ffff_ffff_ffff unsigned.
    assert_eq!(
        i64c(Instr::I64LtUImm(I64LtUImm {
            dst: 1,
            lhs: 0,
            imm: -1
        })),
        1
    );
    assert_eq!(
        i64c(Instr::I64GtSImm(I64GtSImm {
            dst: 1,
            lhs: 0,
            imm: -1
        })),
        1
    );
    assert_eq!(
        i64c(Instr::I64EqImm(I64EqImm {
            dst: 1,
            lhs: 0,
            imm: 10
        })),
        1
    );
}

#[test]
fn i64_mul_by_a_wide_constant_wraps() {
    let k = 0x517c_c1b7_2722_0a95_u64;
    let instr = Instr::I64MulImm64(I64MulImm64 {
        dst: 1,
        lhs: 0,
        value: k,
    });
    for x in [0i64, 1, -1, 3, i64::MAX, i64::MIN, 0x1234_5678_9abc_def0] {
        let got = un(instr, I64, I64, Val::I64(x)).unwrap().i64().unwrap();
        assert_eq!(got, x.wrapping_mul(k as i64), "x = {x}");
    }
}
