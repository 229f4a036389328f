//! Superinstructions the translator makes by fusing two: each must compute exactly what the
//! pair computes.

use super::*;

const PAGE: i32 = crate::store::PAGE_SIZE as i32;

#[test]
fn i32_add_shl_masks_the_shift_and_wraps() {
    let add_shl = |imm| {
        Instr::I32AddShl(I32AddShl {
            dst: 2,
            lhs: 0,
            rhs: 1,
            imm,
        })
    };
    let run = |imm, a: i32, b: i32| {
        bin(add_shl(imm), I32, I32, Val::I32(a), Val::I32(b))
            .unwrap()
            .i32()
            .unwrap()
    };
    assert_eq!(run(2, 5, 3), 17);
    assert_eq!(run(33, 5, 3), 11, "shift by 33 & 31 = 1");
    assert_eq!(run(1, 1, i32::MIN + 1), 3, "the shift drops the top bit");
    assert_eq!(run(0, i32::MAX, 1), i32::MIN, "the sum wraps");
}

#[test]
fn i32_xor_rotl_rotates_by_the_masked_amount() {
    let run = |imm, a: i32, b: i32| {
        let i = Instr::I32XorRotl(I32XorRotl {
            dst: 2,
            lhs: 0,
            rhs: 1,
            imm,
        });
        bin(i, I32, I32, Val::I32(a), Val::I32(b))
            .unwrap()
            .i32()
            .unwrap()
    };
    assert_eq!(run(4, 0x0f, 0x1234_5678), 0x2345_6781 ^ 0x0f);
    assert_eq!(
        run(36, 0, 0x1234_5678),
        0x2345_6781,
        "rotation by 36 & 31 = 4"
    );
    assert_eq!(run(0, -1, 5), !5);
}

#[test]
fn f64_mul_add_rounds_twice_in_operand_order() {
    let mut b = Builder::new();
    let ty = b.ty(&[F64, F64, F64], &[F64]);
    for i in [
        Instr::F64MulAdd(F64MulAdd {
            dst: 3,
            lhs: 0,
            rhs: 1,
            addend: 2,
        }),
        Instr::F64AddMul(F64AddMul {
            dst: 3,
            addend: 2,
            lhs: 0,
            rhs: 1,
        }),
    ] {
        b.func(ty, 0, 4, |a| {
            a.op(i).op(Instr::ReturnSlot(ReturnSlot { src: 3 }));
        });
    }
    let mut m = b.build();
    let bits = |v: &[Val]| match v {
        [Val::F64(b)] => *b,
        v => panic!("{v:?}"),
    };
    // (1 + e)(1 - e) = 1 - e², which rounds to 1: the sum with -1 is 0, where one rounding
    // (a fused multiply-add) would give -e².
    let (x, y, z) = (1.0 + f64::EPSILON, 1.0 - f64::EPSILON, -1.0f64);
    assert_ne!(x.mul_add(y, z), 0.0);
    // A NaN in either place: the pair's result, bit for bit.
    let nan = f64::from_bits(0x7ff8_0000_0000_1234);
    for (a, b, c) in [
        (x, y, z),
        (2.5, -4.0, 0.125),
        (nan, 1.0, 2.0),
        (1.0, 2.0, nan),
    ] {
        let args = [a, b, c].map(|v| Val::F64(v.to_bits()));
        let mul_add = bits(&m.call(0, &args).unwrap());
        let add_mul = bits(&m.call(1, &args).unwrap());
        assert_eq!(mul_add, (a * b + c).to_bits(), "{a} * {b} + {c}");
        assert_eq!(add_mul, (c + a * b).to_bits(), "{c} + {a} * {b}");
    }
    assert_eq!(
        bits(
            &m.call(0, &[x, y, z].map(|v| Val::F64(v.to_bits())))
                .unwrap()
        ),
        0
    );
}

#[test]
fn scaled_index_loads_wrap_the_address_and_check_bounds() {
    let mut b = Builder::new();
    b.memory(1, None);
    let ty = b.ty(&[I32, I32], &[I64]);
    b.func(ty, 0, 4, |a| {
        a.op(Instr::Load32AddShl(Load32AddShl {
            dst: 2,
            addr: 0,
            index: 1,
            imm: 2,
            offset: 4,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 2 }));
    });
    let mut m = b.build();
    m.mem_mut()[20..24].copy_from_slice(&0xdead_beef_u32.to_le_bytes());
    let load = |m: &mut Inst, a: i32, i: i32| m.call(0, &[Val::I32(a), Val::I32(i)]);
    // 8 + (2 << 2) + 4 = 20.
    assert_eq!(load(&mut m, 8, 2).unwrap(), [Val::I64(0xdead_beef)]);
    // 0x4000_0002 << 2 wraps to 8 (in 32 bits, before the offset).
    assert_eq!(
        load(&mut m, 8, 0x4000_0002).unwrap(),
        [Val::I64(0xdead_beef)]
    );
    // The last 4 bytes of the page, and one past.
    assert!(load(&mut m, PAGE - 8, 0).is_ok());
    assert_eq!(
        m.trap(0, &[Val::I32(PAGE - 7), Val::I32(0)]),
        TrapCode::MemoryOutOfBounds
    );
}
