//! Branches, br_table, select, copies, multi-value returns, globals.

use super::*;

#[test]
fn br_table_clamps_to_default() {
    let mut b = Builder::new();
    let ty = b.ty(&[I32], &[I32]);
    let f = b.func(ty, 0, 2, |a| {
        let t: Vec<Label> = (0..4).map(|_| a.label()).collect();
        a.br_table(0, &t);
        for (k, &l) in t.iter().enumerate() {
            a.bind(l);
            a.op(Instr::ReturnImm32(ReturnImm32 {
                value: 100 + k as u32,
            }));
        }
    });
    let mut m = b.build();
    for (arg, want) in [
        (0, 100),
        (1, 101),
        (2, 102),
        (3, 103),
        (4, 103),
        (1000, 103),
        (-1, 103),
    ] {
        assert_eq!(
            m.call(f, &[Val::I32(arg)]).unwrap(),
            [Val::I32(want)],
            "index {arg}"
        );
    }
}

#[test]
fn return_many_is_a_parallel_move() {
    let mut b = Builder::new();
    let ty = b.ty(&[I32, I64, F32], &[F32, I32, I64]);
    let f = b.func(ty, 0, 3, |a| {
        a.op(Instr::ReturnMany(ReturnMany { count: 3 }))
            .slots(&[2, 0, 1]);
    });
    let mut m = b.build();
    assert_eq!(
        m.call(f, &[Val::I32(1), Val::I64(2), Val::F32(3)]).unwrap(),
        [Val::F32(3), Val::I32(1), Val::I64(2)]
    );
}

#[test]
fn copy_many_is_in_order_and_select_tests_low_bits() {
    let mut b = Builder::new();
    let ty = b.ty(&[I32, I32], &[I32, I32, I32]);
    // copy_many dst=2 [1, 0, 2]: slot2=s1, slot3=s0, slot4=slot2 (already overwritten = s1).
    let f = b.func(ty, 0, 6, |a| {
        a.op(Instr::CopyMany(CopyMany { dst: 2, count: 3 }))
            .slots(&[1, 0, 2])
            .op(Instr::ReturnMany(ReturnMany { count: 3 }))
            .slots(&[2, 3, 4]);
    });
    let sty = b.ty(&[I64, I32, I32], &[I32]);
    let sel = b.func(sty, 0, 4, |a| {
        a.op(Instr::Select(Select {
            dst: 3,
            cond: 0,
            if_true: 1,
            if_false: 2,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 3 }));
    });
    let mut m = b.build();
    assert_eq!(
        m.call(f, &[Val::I32(7), Val::I32(8)]).unwrap(),
        [Val::I32(8), Val::I32(7), Val::I32(8)]
    );
    let s = |m: &mut Inst, c: i64| {
        m.call(sel, &[Val::I64(c), Val::I32(1), Val::I32(2)])
            .unwrap()
    };
    assert_eq!(s(&mut m, 1), [Val::I32(1)]);
    assert_eq!(s(&mut m, 0), [Val::I32(2)]);
    assert_eq!(
        s(&mut m, 1 << 32),
        [Val::I32(2)],
        "cond is an i32: high bits ignored"
    );
    assert_eq!(s(&mut m, -1), [Val::I32(1)]);
}

/// `f(a, b) = cond(a, b) ? 1 : 0` through a fused branch.
fn fused(instr: impl Fn(i32) -> Instr, ty: ValType) -> (Inst, u32) {
    let mut b = Builder::new();
    let t = b.ty(&[ty, ty], &[I32]);
    let f = b.func(t, 0, 2, |a| {
        let yes = a.label();
        a.br(instr(0), yes)
            .op(Instr::ReturnImm32(ReturnImm32 { value: 0 }));
        a.bind(yes);
        a.op(Instr::ReturnImm32(ReturnImm32 { value: 1 }));
    });
    (b.build(), f)
}

#[test]
fn fused_branches() {
    let (mut m, f) = fused(
        |o| {
            Instr::BrI32LtS(BrI32LtS {
                lhs: 0,
                rhs: 1,
                offset: o,
            })
        },
        I32,
    );
    let mut c = |a: i32, b: i32| m.call(f, &[Val::I32(a), Val::I32(b)]).unwrap()[0];
    assert_eq!(c(-1, 0), Val::I32(1));
    assert_eq!(c(0, -1), Val::I32(0));
    let (mut m, f) = fused(
        |o| {
            Instr::BrI32GeU(BrI32GeU {
                lhs: 0,
                rhs: 1,
                offset: o,
            })
        },
        I32,
    );
    let mut c = |a: i32, b: i32| m.call(f, &[Val::I32(a), Val::I32(b)]).unwrap()[0];
    assert_eq!(c(-1, 0), Val::I32(1));
    assert_eq!(c(0, -1), Val::I32(0));
    assert_eq!(c(5, 5), Val::I32(1));
    let (mut m, f) = fused(
        |o| {
            Instr::BrI32LeUImm(BrI32LeUImm {
                lhs: 0,
                imm: -2,
                offset: o,
            })
        },
        I32,
    );
    let mut c = |a: i32| m.call(f, &[Val::I32(a), Val::I32(0)]).unwrap()[0];
    assert_eq!(c(-2), Val::I32(1));
    assert_eq!(c(-1), Val::I32(0));
    let (mut m, f) = fused(
        |o| {
            Instr::BrI32GtSImm(BrI32GtSImm {
                lhs: 0,
                imm: -2,
                offset: o,
            })
        },
        I32,
    );
    let mut c = |a: i32| m.call(f, &[Val::I32(a), Val::I32(0)]).unwrap()[0];
    assert_eq!(c(-1), Val::I32(1));
    assert_eq!(c(-2), Val::I32(0));
    let (mut m, f) = fused(
        |o| {
            Instr::BrI64GtU(BrI64GtU {
                lhs: 0,
                rhs: 1,
                offset: o,
            })
        },
        I64,
    );
    let mut c = |a: i64, b: i64| m.call(f, &[Val::I64(a), Val::I64(b)]).unwrap()[0];
    assert_eq!(c(-1, 1), Val::I32(1));
    assert_eq!(c(1 << 40, (1 << 40) + 1), Val::I32(0));
    let (mut m, f) = fused(|o| Instr::BrI64Eqz(BrI64Eqz { cond: 0, offset: o }), I64);
    let mut c = |a: i64| m.call(f, &[Val::I64(a), Val::I64(0)]).unwrap()[0];
    assert_eq!(c(1 << 32), Val::I32(0));
    assert_eq!(c(0), Val::I32(1));
    let (mut m, f) = fused(|o| Instr::BrIfNez(BrIfNez { cond: 0, offset: o }), I64);
    let mut c = |a: i64| m.call(f, &[Val::I64(a), Val::I64(0)]).unwrap()[0];
    assert_eq!(c(1 << 32), Val::I32(0), "br_if tests the i32 only");
    assert_eq!(c(3), Val::I32(1));
}

#[test]
fn loop_sums_with_backward_branch() {
    // sum(n) = n + (n-1) + ... + 1, with a backward br_if.
    let mut b = Builder::new();
    let ty = b.ty(&[I32], &[I32]);
    let f = b.func(ty, 1, 2, |a| {
        let top = a.label();
        let done = a.label();
        a.br(Instr::BrIfEqz(BrIfEqz { cond: 0, offset: 0 }), done);
        a.bind(top);
        a.op(Instr::I32Add(I32Add {
            dst: 1,
            lhs: 1,
            rhs: 0,
        }))
        .op(Instr::I32AddImm(I32AddImm {
            dst: 0,
            lhs: 0,
            imm: -1,
        }))
        .br(Instr::BrIfNez(BrIfNez { cond: 0, offset: 0 }), top);
        a.bind(done);
        a.op(Instr::ReturnSlot(ReturnSlot { src: 1 }));
    });
    let mut m = b.build();
    assert_eq!(m.call(f, &[Val::I32(100)]).unwrap(), [Val::I32(5050)]);
    assert_eq!(m.call(f, &[Val::I32(0)]).unwrap(), [Val::I32(0)]);
    // Declared locals start at zero on every call.
    assert_eq!(m.call(f, &[Val::I32(3)]).unwrap(), [Val::I32(6)]);
}

#[test]
fn globals_and_constants() {
    let mut b = Builder::new();
    let g = b.global(5);
    let ty = b.ty(&[I64], &[I64]);
    // swap: old = global; global = arg; return old
    let f = b.func(ty, 0, 2, |a| {
        a.op(Instr::GlobalGet(GlobalGet { dst: 1, index: g }))
            .op(Instr::GlobalSet(GlobalSet { index: g, src: 0 }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 1 }));
    });
    let cty = b.ty(&[], &[I64, F64]);
    let c = b.func(cty, 0, 2, |a| {
        a.op(Instr::Const64(Const64 {
            dst: 0,
            value: 0x1234_5678_9abc_def0,
        }))
        .op(Instr::Const32(Const32 {
            dst: 1,
            value: 0xffff_ffff,
        }))
        .op(Instr::ReturnMany(ReturnMany { count: 2 }))
        .slots(&[0, 1]);
    });
    let unr_ty = b.ty(&[], &[]);
    let u = b.func(unr_ty, 0, 0, |a| {
        a.op(Instr::Unreachable(Unreachable {}));
    });
    let r64ty = b.ty(&[], &[I64]);
    let r64 = b.func(r64ty, 0, 1, |a| {
        a.op(Instr::ReturnImm64(ReturnImm64 { value: u64::MAX }));
    });
    let mut m = b.build();
    assert_eq!(m.call(f, &[Val::I64(9)]).unwrap(), [Val::I64(5)]);
    assert_eq!(m.call(f, &[Val::I64(-1)]).unwrap(), [Val::I64(9)]);
    assert_eq!(m.store.inner.globals[0].value, u64::MAX);
    assert_eq!(
        m.call(c, &[]).unwrap(),
        [Val::I64(0x1234_5678_9abc_def0), Val::F64(0xffff_ffff)]
    );
    assert_eq!(m.trap(u, &[]), TrapCode::Unreachable);
    assert_eq!(m.call(r64, &[]).unwrap()[0], Val::I64(-1));
}
