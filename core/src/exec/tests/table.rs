//! Table instructions and references.

use super::*;

const FREF: ValType = ValType::FuncRef;

/// Functions over two tables (t0: 4 entries, max 6; t1: 2 entries, no max) and one passive
/// element segment [f0, null, f1] where f0, f1 are the first two functions.
struct T {
    m: Inst,
    get: u32,
    set: u32,
    size: u32,
    grow: u32,
    fill: u32,
    copy_00: u32,
    copy_10: u32,
    init: u32,
    drop: u32,
    refs: u32,
    is_null: u32,
}

fn tables() -> T {
    let mut b = Builder::new();
    let t_v = b.ty(&[], &[]);
    let f0 = b.func(t_v, 0, 0, |a| {
        a.op(Instr::Return(Return {}));
    });
    let f1 = b.func(t_v, 0, 0, |a| {
        a.op(Instr::Return(Return {}));
    });
    b.table(vec![0; 4], Some(6));
    b.table(vec![0; 2], None);
    b.elem(vec![Some(f0), None, Some(f1)]);
    let t_get = b.ty(&[I32, I32], &[FREF]);
    let t_set = b.ty(&[I32, I32, FREF], &[]);
    let t_size = b.ty(&[I32], &[I32]);
    let t_grow = b.ty(&[I32, FREF, I32], &[I32]);
    let t_3 = b.ty(&[I32, I32, I32], &[]);
    let t_fill = b.ty(&[I32, FREF, I32], &[]);
    let t_refs = b.ty(&[], &[FREF, FREF]);
    let t_null = b.ty(&[FREF], &[I32]);
    // Table operand selected by a br_table-free trick: one function per table where needed.
    let get = b.func(t_get, 0, 3, |a| {
        let one = a.label();
        a.br(Instr::BrIfNez(BrIfNez { cond: 0, offset: 0 }), one)
            .op(Instr::TableGet(TableGet {
                dst: 2,
                table: 0,
                index: 1,
            }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 2 }));
        a.bind(one);
        a.op(Instr::TableGet(TableGet {
            dst: 2,
            table: 1,
            index: 1,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 2 }));
    });
    let set = b.func(t_set, 0, 3, |a| {
        let one = a.label();
        a.br(Instr::BrIfNez(BrIfNez { cond: 0, offset: 0 }), one)
            .op(Instr::TableSet(TableSet {
                table: 0,
                index: 1,
                value: 2,
            }))
            .op(Instr::Return(Return {}));
        a.bind(one);
        a.op(Instr::TableSet(TableSet {
            table: 1,
            index: 1,
            value: 2,
        }))
        .op(Instr::Return(Return {}));
    });
    let size = b.func(t_size, 0, 2, |a| {
        let one = a.label();
        a.br(Instr::BrIfNez(BrIfNez { cond: 0, offset: 0 }), one)
            .op(Instr::TableSize(TableSize { dst: 1, table: 0 }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 1 }));
        a.bind(one);
        a.op(Instr::TableSize(TableSize { dst: 1, table: 1 }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 1 }));
    });
    // grow(table, init, delta)
    let grow = b.func(t_grow, 0, 4, |a| {
        let one = a.label();
        a.br(Instr::BrIfNez(BrIfNez { cond: 0, offset: 0 }), one)
            .op(Instr::TableGrow(TableGrow {
                dst: 3,
                table: 0,
                init: 1,
                delta: 2,
            }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 3 }));
        a.bind(one);
        a.op(Instr::TableGrow(TableGrow {
            dst: 3,
            table: 1,
            init: 1,
            delta: 2,
        }))
        .op(Instr::ReturnSlot(ReturnSlot { src: 3 }));
    });
    let fill = b.func(t_fill, 0, 3, |a| {
        a.op(Instr::TableFill(TableFill {
            table: 0,
            start: 0,
            value: 1,
            len: 2,
        }))
        .op(Instr::Return(Return {}));
    });
    let copy_00 = b.func(t_3, 0, 3, |a| {
        a.op(Instr::TableCopy(TableCopy {
            dst_table: 0,
            src_table: 0,
            dst_index: 0,
            src_index: 1,
            len: 2,
        }))
        .op(Instr::Return(Return {}));
    });
    let copy_10 = b.func(t_3, 0, 3, |a| {
        a.op(Instr::TableCopy(TableCopy {
            dst_table: 1,
            src_table: 0,
            dst_index: 0,
            src_index: 1,
            len: 2,
        }))
        .op(Instr::Return(Return {}));
    });
    let init = b.func(t_3, 0, 3, |a| {
        a.op(Instr::TableInit(TableInit {
            table: 0,
            segment: 0,
            dst_index: 0,
            src_offset: 1,
            len: 2,
        }))
        .op(Instr::Return(Return {}));
    });
    let drop = b.func(t_v, 0, 0, |a| {
        a.op(Instr::ElemDrop(ElemDrop { segment: 0 }))
            .op(Instr::Return(Return {}));
    });
    let refs = b.func(t_refs, 0, 2, |a| {
        a.op(Instr::RefFunc(RefFunc { dst: 0, func: f1 }))
            .op(Instr::Const32(Const32 { dst: 1, value: 0 }))
            .op(Instr::ReturnMany(ReturnMany { count: 2 }))
            .slots(&[0, 1]);
    });
    let is_null = b.func(t_null, 0, 2, |a| {
        a.op(Instr::RefIsNull(RefIsNull { dst: 1, src: 0 }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 1 }));
    });
    T {
        m: b.build(),
        get,
        set,
        size,
        grow,
        fill,
        copy_00,
        copy_10,
        init,
        drop,
        refs,
        is_null,
    }
}

fn fref(m: &Inst, f: u32) -> Val {
    Val::FuncRef(Some(crate::func::Func::from_parts(
        m.store.inner.id,
        m.sf(f),
    )))
}

#[test]
fn get_set_size_grow() {
    let mut t = tables();
    let oob = TrapCode::TableOutOfBounds;
    let null = Val::FuncRef(None);
    let f1 = fref(&t.m, 1);
    assert_eq!(t.m.call(t.size, &[Val::I32(0)]).unwrap(), [Val::I32(4)]);
    assert_eq!(t.m.call(t.size, &[Val::I32(1)]).unwrap(), [Val::I32(2)]);
    t.m.call(t.set, &[Val::I32(0), Val::I32(3), f1]).unwrap();
    assert_eq!(t.m.call(t.get, &[Val::I32(0), Val::I32(3)]).unwrap(), [f1]);
    assert_eq!(
        t.m.call(t.get, &[Val::I32(0), Val::I32(2)]).unwrap(),
        [null]
    );
    assert_eq!(t.m.trap(t.get, &[Val::I32(0), Val::I32(4)]), oob);
    assert_eq!(t.m.trap(t.set, &[Val::I32(1), Val::I32(2), f1]), oob);
    assert_eq!(t.m.trap(t.get, &[Val::I32(1), Val::I32(-1)]), oob);
    // grow t0 (max 6)
    assert_eq!(
        t.m.call(t.grow, &[Val::I32(0), f1, Val::I32(1)]).unwrap(),
        [Val::I32(4)]
    );
    assert_eq!(t.m.call(t.get, &[Val::I32(0), Val::I32(4)]).unwrap(), [f1]);
    assert_eq!(
        t.m.call(t.grow, &[Val::I32(0), null, Val::I32(2)]).unwrap(),
        [Val::I32(-1)]
    );
    assert_eq!(
        t.m.call(t.grow, &[Val::I32(0), null, Val::I32(1)]).unwrap(),
        [Val::I32(5)]
    );
    assert_eq!(
        t.m.call(t.grow, &[Val::I32(0), null, Val::I32(0)]).unwrap(),
        [Val::I32(6)]
    );
    assert_eq!(t.m.call(t.size, &[Val::I32(0)]).unwrap(), [Val::I32(6)]);
    // t1 has no max: limited by u32; a huge grow fails with -1 instead of aborting.
    assert_eq!(
        t.m.call(t.grow, &[Val::I32(1), null, Val::I32(-1)])
            .unwrap(),
        [Val::I32(-1)]
    );
    assert_eq!(
        t.m.call(t.grow, &[Val::I32(1), null, Val::I32(3)]).unwrap(),
        [Val::I32(2)]
    );
    assert_eq!(t.m.call(t.size, &[Val::I32(1)]).unwrap(), [Val::I32(5)]);
}

#[test]
fn fill_copy_init_drop() {
    let mut t = tables();
    let oob = TrapCode::TableOutOfBounds;
    let (f0, f1) = (fref(&t.m, 0), fref(&t.m, 1));
    let raw = |t: &T, i: usize| t.m.store.inner.tables[i].elems.clone();
    let (r0, r1) = (u64::from(t.m.sf(0)) + 1, u64::from(t.m.sf(1)) + 1);
    t.m.call(t.fill, &[Val::I32(1), f0, Val::I32(2)]).unwrap();
    assert_eq!(raw(&t, 0), [0, r0, r0, 0]);
    t.m.call(t.fill, &[Val::I32(4), f1, Val::I32(0)]).unwrap();
    assert_eq!(t.m.trap(t.fill, &[Val::I32(3), f1, Val::I32(2)]), oob);
    assert_eq!(t.m.trap(t.fill, &[Val::I32(5), f1, Val::I32(0)]), oob);
    assert_eq!(raw(&t, 0), [0, r0, r0, 0], "no partial fill");
    // init t0[0..2] = seg[1..3] = [null, f1]
    t.m.call(t.init, &[Val::I32(0), Val::I32(1), Val::I32(2)])
        .unwrap();
    assert_eq!(raw(&t, 0), [0, r1, r0, 0]);
    t.m.call(t.init, &[Val::I32(4), Val::I32(3), Val::I32(0)])
        .unwrap();
    assert_eq!(
        t.m.trap(t.init, &[Val::I32(3), Val::I32(0), Val::I32(2)]),
        oob
    );
    assert_eq!(
        t.m.trap(t.init, &[Val::I32(0), Val::I32(2), Val::I32(2)]),
        oob
    );
    // copy within t0: [0..2] = [1..3] (overlapping)
    t.m.call(t.copy_00, &[Val::I32(0), Val::I32(1), Val::I32(3)])
        .unwrap();
    assert_eq!(raw(&t, 0), [r1, r0, 0, 0]);
    assert_eq!(
        t.m.trap(t.copy_00, &[Val::I32(2), Val::I32(0), Val::I32(3)]),
        oob
    );
    // copy t0 -> t1
    t.m.call(t.copy_10, &[Val::I32(0), Val::I32(0), Val::I32(2)])
        .unwrap();
    assert_eq!(raw(&t, 1), [r1, r0]);
    assert_eq!(
        t.m.trap(t.copy_10, &[Val::I32(1), Val::I32(0), Val::I32(2)]),
        oob
    );
    t.m.call(t.copy_10, &[Val::I32(2), Val::I32(4), Val::I32(0)])
        .unwrap();
    // after elem.drop only empty inits at 0 succeed
    t.m.call(t.drop, &[]).unwrap();
    t.m.call(t.init, &[Val::I32(0), Val::I32(0), Val::I32(0)])
        .unwrap();
    assert_eq!(
        t.m.trap(t.init, &[Val::I32(0), Val::I32(1), Val::I32(0)]),
        oob
    );
    assert_eq!(
        t.m.trap(t.init, &[Val::I32(0), Val::I32(0), Val::I32(1)]),
        oob
    );
}

#[test]
fn references() {
    let mut t = tables();
    let f1 = fref(&t.m, 1);
    assert_eq!(t.m.call(t.refs, &[]).unwrap(), [f1, Val::FuncRef(None)]);
    assert_eq!(
        t.m.call(t.is_null, &[Val::FuncRef(None)]).unwrap(),
        [Val::I32(1)]
    );
    assert_eq!(t.m.call(t.is_null, &[f1]).unwrap(), [Val::I32(0)]);
}
