//! Calls: recursion, stack limits, call_indirect, host functions, cross-instance calls.

use super::*;
use alloc::string::ToString;

/// fib(n) = n < 2 ? n : fib(n-1) + fib(n-2), recursive through `call`.
fn fib_module(config: Config) -> (Inst, u32) {
    let mut b = Builder::with_config(config);
    let ty = b.ty(&[I32], &[I32]);
    let fib = b.cm.funcs.len() as u32;
    b.func(ty, 0, 3, |a| {
        let rec = a.label();
        a.br(
            Instr::BrI32GeSImm(BrI32GeSImm {
                lhs: 0,
                imm: 2,
                offset: 0,
            }),
            rec,
        )
        .op(Instr::ReturnSlot(ReturnSlot { src: 0 }));
        a.bind(rec);
        a.op(Instr::I32AddImm(I32AddImm {
            dst: 1,
            lhs: 0,
            imm: -1,
        }))
        .op(Instr::Call(Call { func: fib, base: 1 }))
        .op(Instr::I32AddImm(I32AddImm {
            dst: 2,
            lhs: 0,
            imm: -2,
        }))
        .op(Instr::Call(Call { func: fib, base: 2 }))
        .op(Instr::I32Add(I32Add {
            dst: 1,
            lhs: 1,
            rhs: 2,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 1 }));
    });
    (b.build(), fib)
}

#[test]
fn recursive_fib() {
    let (mut m, fib) = fib_module(Config::default());
    assert_eq!(m.call(fib, &[Val::I32(0)]).unwrap(), [Val::I32(0)]);
    assert_eq!(m.call(fib, &[Val::I32(1)]).unwrap(), [Val::I32(1)]);
    assert_eq!(m.call(fib, &[Val::I32(20)]).unwrap(), [Val::I32(6765)]);
    // The stack is back in the store, with no frames left behind.
    let stack = m.store.inner.stack.as_ref().unwrap();
    assert!(stack.frames.is_empty());
    assert_eq!(stack.top, 0);
}

/// depth(n) = n == 0 ? 0 : depth(n - 1) + 1, with frames of `frame` slots advancing by `base`.
fn depth_module(config: Config, base: u16, frame: u16) -> (Inst, u32) {
    let mut b = Builder::with_config(config);
    let ty = b.ty(&[I32], &[I32]);
    let f = b.cm.funcs.len() as u32;
    b.func(ty, 0, frame, |a| {
        let rec = a.label();
        a.br(Instr::BrIfNez(BrIfNez { cond: 0, offset: 0 }), rec)
            .op(Instr::ReturnImm32(ReturnImm32 { value: 0 }));
        a.bind(rec);
        a.op(Instr::I32AddImm(I32AddImm {
            dst: base,
            lhs: 0,
            imm: -1,
        }))
        .op(Instr::Call(Call { func: f, base }))
        .op(Instr::I32AddImm(I32AddImm {
            dst: 0,
            lhs: base,
            imm: 1,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 0 }));
    });
    (b.build(), f)
}

#[test]
fn call_depth_limit() {
    let config = Config {
        max_call_depth: 100,
        ..Config::default()
    };
    let (mut m, f) = depth_module(config, 1, 2);
    // depth(n) uses n + 1 frames.
    assert_eq!(m.call(f, &[Val::I32(99)]).unwrap(), [Val::I32(99)]);
    assert_eq!(m.trap(f, &[Val::I32(100)]), TrapCode::StackOverflow);
    assert_eq!(m.trap(f, &[Val::I32(-1)]), TrapCode::StackOverflow);
    // Still usable after the trap.
    assert_eq!(m.call(f, &[Val::I32(50)]).unwrap(), [Val::I32(50)]);
    assert!(m.store.inner.stack.as_ref().unwrap().frames.is_empty());
}

#[test]
fn value_stack_limit() {
    let config = Config {
        max_stack_slots: 1000,
        ..Config::default()
    };
    // Each call advances the frame base by 8; the deepest frame needs 10 slots.
    let (mut m, f) = depth_module(config, 8, 10);
    assert_eq!(m.call(f, &[Val::I32(123)]).unwrap(), [Val::I32(123)]);
    assert_eq!(m.trap(f, &[Val::I32(124)]), TrapCode::StackOverflow);
    assert!(m.store.inner.stack.as_ref().unwrap().values.len() <= 1000);
    assert_eq!(m.call(f, &[Val::I32(3)]).unwrap(), [Val::I32(3)]);
}

#[test]
fn unbounded_recursion_traps_with_default_limits() {
    let mut b = Builder::new();
    let ty = b.ty(&[], &[]);
    let f = b.cm.funcs.len() as u32;
    b.func(ty, 0, 1, |a| {
        a.op(Instr::Call(Call { func: f, base: 0 }))
            .op(Instr::Return(Return {}));
    });
    let mut m = b.build();
    assert_eq!(m.trap(f, &[]), TrapCode::StackOverflow);
}

#[test]
fn call_indirect_checks() {
    let mut b = Builder::new();
    let t_ii = b.ty(&[I32], &[I32]);
    let t_v = b.ty(&[], &[]);
    let double = b.func(t_ii, 0, 1, |a| {
        a.op(Instr::I32Add(I32Add {
            dst: 0,
            lhs: 0,
            rhs: 0,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 0 }));
    });
    let nop = b.func(t_v, 0, 0, |a| {
        a.op(Instr::Return(Return {}));
    });
    // Table: [double, null, nop]; filled after build (needs store indices).
    b.table(vec![0; 3], None);
    let caller_ty = b.ty(&[I32, I32], &[I32]);
    // caller(index, x) = call_indirect (type ii) table[index](x)
    let caller = b.func(caller_ty, 0, 3, |a| {
        a.op(Instr::Copy(Copy { dst: 2, src: 1 }))
            .op(Instr::CallIndirect(CallIndirect {
                ty: t_ii,
                table: 0,
                index: 0,
                base: 2,
            }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 2 }));
    });
    let mut m = b.build();
    let (d, n) = (m.sf(double), m.sf(nop));
    m.store.inner.tables[0].elems = vec![u64::from(d) + 1, 0, u64::from(n) + 1];
    let c = |m: &mut Inst, i: i32| m.call(caller, &[Val::I32(i), Val::I32(21)]);
    assert_eq!(c(&mut m, 0).unwrap(), [Val::I32(42)]);
    assert_eq!(
        c(&mut m, 1).unwrap_err().code(),
        TrapCode::UninitializedElement
    );
    assert_eq!(c(&mut m, 2).unwrap_err().code(), TrapCode::BadSignature);
    assert_eq!(c(&mut m, 3).unwrap_err().code(), TrapCode::UndefinedElement);
    assert_eq!(
        c(&mut m, -1).unwrap_err().code(),
        TrapCode::UndefinedElement
    );
}

#[test]
fn host_functions() {
    let mut b = Builder::new();
    let t_add = b.ty(&[I32, I64], &[I64, I32]);
    let t_fail = b.ty(&[], &[]);
    let add = b.host(t_add, |_caller, args, results| {
        let (x, y) = (args[0].i32().unwrap(), args[1].i64().unwrap());
        results[0] = Val::I64(i64::from(x) + y);
        results[1] = Val::I32(x);
        Ok(())
    });
    let fail = b.host(t_fail, |_caller, _args, _results| Err(Trap::host("boom")));
    let bad = b.host(t_add, |_caller, _args, results| {
        results[0] = Val::I32(1);
        Ok(())
    });
    // f(x, y) = let (s, x') = add(x, y) in s + x'  (also checks the frame below base survives)
    let t_f = b.ty(&[I32, I64], &[I64]);
    let f = b.func(t_f, 0, 5, |a| {
        a.op(Instr::Const64(Const64 {
            dst: 2,
            value: 1000,
        }))
        .op(Instr::Copy(Copy { dst: 3, src: 0 }))
        .op(Instr::Copy(Copy { dst: 4, src: 1 }))
        .op(Instr::Call(Call { func: add, base: 3 }))
        .op(Instr::I64ExtendI32U(I64ExtendI32U { dst: 4, src: 4 }))
        .op(Instr::I64Add(I64Add {
            dst: 3,
            lhs: 3,
            rhs: 4,
        }))
        .op(Instr::I64Add(I64Add {
            dst: 3,
            lhs: 3,
            rhs: 2,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 3 }));
    });
    let g = b.func(t_fail, 0, 0, |a| {
        a.op(Instr::Call(Call {
            func: fail,
            base: 0,
        }))
        .op(Instr::Return(Return {}));
    });
    let h = b.func(t_f, 0, 2, |a| {
        a.op(Instr::Call(Call { func: bad, base: 0 }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 0 }));
    });
    let mut m = b.build();
    assert_eq!(
        m.call(f, &[Val::I32(5), Val::I64(10)]).unwrap(),
        [Val::I64(1020)]
    );
    let e = m.call(g, &[]).unwrap_err();
    assert_eq!(e.code(), TrapCode::HostError);
    assert_eq!(e.host_message(), Some("boom"));
    assert_eq!(
        m.call(h, &[Val::I32(1), Val::I64(1)]).unwrap_err().code(),
        TrapCode::HostError
    );
    // Calling a host function directly.
    assert_eq!(
        m.call(add, &[Val::I32(2), Val::I64(3)]).unwrap(),
        [Val::I64(5), Val::I32(2)]
    );
    assert!(m.store.inner.stack.as_ref().unwrap().frames.is_empty());
    assert_eq!(e.to_string(), "host error: boom");
}

#[test]
fn host_reenters_wasm_on_the_same_stack() {
    // wasm outer(n) -> host cb(n) -> wasm inner(n) = n * 3 ; outer returns cb(n) + 1
    let mut b = Builder::new();
    let t = b.ty(&[I32], &[I32]);
    let inner_idx = Rc::new(core::cell::Cell::new(u32::MAX));
    let depth_seen = Rc::new(core::cell::Cell::new(0usize));
    let (ii, ds) = (inner_idx.clone(), depth_seen.clone());
    let cb = b.host(t, move |caller, args, results| {
        let stack = caller
            .store
            .inner
            .stack
            .as_ref()
            .expect("stack lent to the store");
        ds.set(stack.frames.len() * 1000 + stack.top);
        let r = call_store(caller.store, ii.get(), args)?;
        results[0] = r[0];
        Ok(())
    });
    let inner = b.func(t, 0, 2, |a| {
        a.op(Instr::I32MulImm(I32MulImm {
            dst: 0,
            lhs: 0,
            imm: 3,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 0 }));
    });
    let outer = b.func(t, 0, 4, |a| {
        a.op(Instr::Copy(Copy { dst: 2, src: 0 }))
            .op(Instr::Call(Call { func: cb, base: 2 }))
            .op(Instr::I32AddImm(I32AddImm {
                dst: 2,
                lhs: 2,
                imm: 1,
            }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 2 }));
    });
    let mut m = b.build();
    inner_idx.set(m.sf(inner));
    assert_eq!(m.call(outer, &[Val::I32(7)]).unwrap(), [Val::I32(22)]);
    // During the host call: no suspended wasm frames, top = base 2 + max(1, 1).
    assert_eq!(depth_seen.get(), 3);
    let stack = m.store.inner.stack.as_ref().unwrap();
    assert_eq!((stack.frames.len(), stack.top), (0, 0));
}

#[test]
fn cross_instance_calls_switch_memory() {
    // Instance A: memory with byte 0 = 11; get() = load8_u 0.
    let mut a = Builder::new();
    a.memory(1, None);
    let t = a.ty(&[], &[I32]);
    let get_a = a.func(t, 0, 1, |x| {
        x.op(Instr::Const32(Const32 { dst: 0, value: 0 }))
            .op(Instr::Load8U(Load8U {
                dst: 0,
                addr: 0,
                offset: 0,
            }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 0 }));
    });
    let mut ia = a.build();
    ia.mem_mut()[0] = 11;
    let get_a_sf = ia.sf(get_a);

    // Instance B (same store): own memory with byte 0 = 22; imports A's get.
    // f() = A.get() * 100 + own load8_u 0 (after the call, B's memory must be current again)
    let mut b = Builder::in_store(ia.store);
    b.memory(1, None);
    let t = b.ty(&[], &[I32]);
    let imp = b.import_func(t, get_a_sf);
    let f = b.func(t, 0, 3, |x| {
        x.op(Instr::Call(Call { func: imp, base: 1 }))
            .op(Instr::I32MulImm(I32MulImm {
                dst: 1,
                lhs: 1,
                imm: 100,
            }))
            .op(Instr::Const32(Const32 { dst: 0, value: 0 }))
            .op(Instr::Load8U(Load8U {
                dst: 0,
                addr: 0,
                offset: 0,
            }))
            .op(Instr::I32Add(I32Add {
                dst: 0,
                lhs: 0,
                rhs: 1,
            }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 0 }));
    });
    let mut ib = b.build();
    assert_eq!(ib.inst, 1);
    ib.mem_mut()[0] = 22;
    assert_eq!(ib.call(f, &[]).unwrap(), [Val::I32(1122)]);
    // ref.func of an import gives the imported store function.
    assert_eq!(ib.sf(imp), get_a_sf);
}

#[test]
fn unbounded_host_reentry_traps() {
    // wasm f() -> host h() -> wasm f() -> ... : bounded by the re-entry limit, not a crash.
    let mut b = Builder::new();
    let t = b.ty(&[], &[]);
    let target = Rc::new(core::cell::Cell::new(u32::MAX));
    let levels = Rc::new(core::cell::Cell::new(0usize));
    let (tg, lv) = (target.clone(), levels.clone());
    let h = b.host(t, move |caller, _args, _results| {
        lv.set(lv.get() + 1);
        call_store(caller.store, tg.get(), &[]).map(|_| ())
    });
    let f = b.func(t, 0, 1, |a| {
        a.op(Instr::Call(Call { func: h, base: 0 }))
            .op(Instr::Return(Return {}));
    });
    let mut m = b.build();
    target.set(m.sf(f));
    assert_eq!(m.trap(f, &[]), TrapCode::StackOverflow);
    assert_eq!(levels.get(), crate::Config::default().max_host_reentry + 1);
    let stack = m.store.inner.stack.as_ref().unwrap();
    assert_eq!((stack.frames.len(), stack.top, stack.nesting), (0, 0, 0));
}

#[test]
fn call_indirect_to_host_and_other_instance() {
    // Instance A defines triple(x) = 3x.
    let mut a = Builder::new();
    let t = a.ty(&[I32], &[I32]);
    let triple = a.func(t, 0, 1, |x| {
        x.op(Instr::I32MulImm(I32MulImm {
            dst: 0,
            lhs: 0,
            imm: 3,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 0 }));
    });
    let ia = a.build();
    let triple_sf = ia.sf(triple);
    // Instance B: host neg(x) = -x; table [A.triple, neg]; f(i, x) = table[i](x) + 1.
    let mut b = Builder::in_store(ia.store);
    let t = b.ty(&[I32], &[I32]);
    let neg = b.host(t, |_c, args, res| {
        res[0] = Val::I32(-args[0].i32().unwrap());
        Ok(())
    });
    b.table(vec![0, 0], None);
    let tf = b.ty(&[I32, I32], &[I32]);
    let f = b.func(tf, 0, 3, |x| {
        x.op(Instr::Copy(Copy { dst: 2, src: 1 }))
            .op(Instr::CallIndirect(CallIndirect {
                ty: t,
                table: 0,
                index: 0,
                base: 2,
            }))
            .op(Instr::I32AddImm(I32AddImm {
                dst: 2,
                lhs: 2,
                imm: 1,
            }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 2 }));
    });
    let mut ib = b.build();
    let neg_sf = ib.sf(neg);
    let tbl = ib.store.inner.instances[ib.inst as usize].tables[0] as usize;
    ib.store.inner.tables[tbl].elems = vec![u64::from(triple_sf) + 1, u64::from(neg_sf) + 1];
    assert_eq!(
        ib.call(f, &[Val::I32(0), Val::I32(5)]).unwrap(),
        [Val::I32(16)]
    );
    assert_eq!(
        ib.call(f, &[Val::I32(1), Val::I32(5)]).unwrap(),
        [Val::I32(-4)]
    );
}

#[test]
fn bad_bytecode_is_refused_before_it_runs() {
    // The executor trusts verified code (no bounds checks on bytecode or slots): a wild branch
    // or a truncated instruction must never reach it.
    let wild = |a: &mut Asm| {
        a.op(Instr::Br(Br { offset: 1 << 30 }));
    };
    let cut = |a: &mut Asm| {
        a.code.push(op::Const64);
        a.code.push(0);
    };
    let slot = |a: &mut Asm| {
        a.op(Instr::Copy(Copy { dst: 1, src: 0 }));
        a.op(Instr::Return(Return {}));
    };
    for (what, body) in [
        ("wild branch", &wild as &dyn Fn(&mut Asm)),
        ("truncated", &cut),
        ("slot outside the frame", &slot),
    ] {
        let mut b = Builder::new();
        let t = b.ty(&[], &[]);
        b.func(t, 0, 1, body);
        assert!(b.try_build().is_err(), "{what}: verifier accepted it");
    }
}
