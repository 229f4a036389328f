//! Memory, Global, Table and ExternRef through the public API (no wasm code involved).

use ember::{
    Engine, Error, ExternRef, Func, Global, GlobalType, Limits, Memory, MemoryType, RefType, Store,
    Table, TableType, Val, ValType,
};

fn store() -> Store<()> {
    Store::new(&Engine::default(), ())
}

fn mem_ty(min: u32, max: Option<u32>) -> MemoryType {
    MemoryType {
        limits: Limits { min, max },
    }
}

fn table_ty(element: RefType, min: u32, max: Option<u32>) -> TableType {
    TableType {
        element,
        limits: Limits { min, max },
    }
}

#[test]
fn memory_new_data_and_size() {
    let mut store = store();
    let m = Memory::new(&mut store, mem_ty(2, Some(4))).unwrap();
    assert_eq!(m.size(&store), 2);
    assert_eq!(m.data_size(&store), 2 * 65536);
    assert!(m.data(&store).iter().all(|&b| b == 0));
    m.data_mut(&mut store)[100] = 7;
    assert_eq!(m.data(&store)[100], 7);
    assert_eq!(
        m.ty(&store).limits,
        Limits {
            min: 2,
            max: Some(4)
        }
    );
}

#[test]
fn memory_grow_from_zero_pages() {
    let mut store = store();
    let m = Memory::new(&mut store, mem_ty(0, Some(5))).unwrap();
    assert_eq!(m.data_size(&store), 0);
    // The first growth allocates zeroed memory; later ones extend it.
    assert_eq!(m.grow(&mut store, 2).unwrap(), 0);
    assert!(m.data(&store).iter().all(|&b| b == 0));
    m.data_mut(&mut store)[2 * 65536 - 1] = 9;
    assert_eq!(m.grow(&mut store, 3).unwrap(), 2);
    assert_eq!(m.data_size(&store), 5 * 65536);
    assert_eq!(m.data(&store)[2 * 65536 - 1], 9);
    assert!(m.data(&store)[2 * 65536..].iter().all(|&b| b == 0));
}

#[test]
fn memory_grow_respects_max() {
    let mut store = store();
    let m = Memory::new(&mut store, mem_ty(1, Some(3))).unwrap();
    assert_eq!(m.grow(&mut store, 0).unwrap(), 1);
    assert_eq!(m.grow(&mut store, 2).unwrap(), 1);
    assert_eq!(m.size(&store), 3);
    assert!(matches!(m.grow(&mut store, 1), Err(Error::Usage(_))));
    assert_eq!(m.size(&store), 3);
    // The type reports the current size as the minimum.
    assert_eq!(m.ty(&store).limits.min, 3);
}

#[test]
fn memory_grow_past_65536_pages_fails() {
    let mut store = store();
    let m = Memory::new(&mut store, mem_ty(0, None)).unwrap();
    assert!(m.grow(&mut store, 65537).is_err());
    assert!(m.grow(&mut store, u32::MAX).is_err());
    assert_eq!(m.size(&store), 0);
}

#[test]
fn memory_invalid_limits_rejected() {
    let mut store = store();
    assert!(Memory::new(&mut store, mem_ty(2, Some(1))).is_err());
    assert!(Memory::new(&mut store, mem_ty(65537, None)).is_err());
    assert!(Memory::new(&mut store, mem_ty(0, Some(65537))).is_err());
}

#[test]
fn memory_read_write() {
    let mut store = store();
    let m = Memory::new(&mut store, mem_ty(1, None)).unwrap();
    m.write(&mut store, 65530, b"hello!").unwrap();
    let mut buf = [0u8; 6];
    m.read(&store, 65530, &mut buf).unwrap();
    assert_eq!(&buf, b"hello!");
    assert!(m.write(&mut store, 65531, b"hello!").is_err());
    assert!(m.read(&store, usize::MAX, &mut buf).is_err());
    assert!(m.read(&store, 65536, &mut []).is_ok());
    assert!(m.read(&store, 65537, &mut []).is_err());
}

#[test]
fn global_get_set() {
    let mut store = store();
    let ty = GlobalType {
        content: ValType::I64,
        mutable: true,
    };
    let g = Global::new(&mut store, ty, Val::I64(5)).unwrap();
    assert_eq!(g.get(&store), Val::I64(5));
    g.set(&mut store, Val::I64(-1)).unwrap();
    assert_eq!(g.get(&store), Val::I64(-1));
    assert_eq!(g.ty(&store), ty);
}

#[test]
fn global_errors() {
    let mut store = store();
    let imm = GlobalType {
        content: ValType::I32,
        mutable: false,
    };
    assert!(matches!(
        Global::new(&mut store, imm, Val::I64(1)),
        Err(Error::Usage(_))
    ));
    let g = Global::new(&mut store, imm, Val::I32(1)).unwrap();
    assert!(matches!(
        g.set(&mut store, Val::I32(2)),
        Err(Error::Usage(_))
    ));
    assert_eq!(g.get(&store), Val::I32(1));

    let m = Global::new(
        &mut store,
        GlobalType {
            content: ValType::F32,
            mutable: true,
        },
        Val::from(1.5f32),
    )
    .unwrap();
    assert!(matches!(
        m.set(&mut store, Val::F64(0)),
        Err(Error::Usage(_))
    ));
    assert_eq!(m.get(&store).f32(), Some(1.5));
}

#[test]
fn global_float_bits_preserved() {
    let mut store = store();
    let ty = GlobalType {
        content: ValType::F32,
        mutable: false,
    };
    let nan = 0x7fa0_0001;
    let g = Global::new(&mut store, ty, Val::F32(nan)).unwrap();
    assert_eq!(g.get(&store), Val::F32(nan));
}

#[test]
fn table_get_set_grow_fill() {
    let mut store = store();
    let f = Func::wrap(&mut store, || {});
    let t = Table::new(
        &mut store,
        table_ty(RefType::FuncRef, 2, Some(5)),
        Val::FuncRef(None),
    )
    .unwrap();
    assert_eq!(t.size(&store), 2);
    assert_eq!(t.get(&store, 0), Some(Val::FuncRef(None)));
    assert_eq!(t.get(&store, 2), None);
    t.set(&mut store, 1, Val::FuncRef(Some(f))).unwrap();
    assert_eq!(t.get(&store, 1), Some(Val::FuncRef(Some(f))));
    assert!(t.set(&mut store, 2, Val::FuncRef(None)).is_err());
    assert!(t.set(&mut store, 0, Val::I32(0)).is_err());
    assert!(t.set(&mut store, 0, Val::ExternRef(None)).is_err());

    assert_eq!(t.grow(&mut store, 2, Val::FuncRef(Some(f))).unwrap(), 2);
    assert_eq!(t.size(&store), 4);
    assert_eq!(t.get(&store, 3), Some(Val::FuncRef(Some(f))));
    assert!(t.grow(&mut store, 2, Val::FuncRef(None)).is_err());
    assert_eq!(t.size(&store), 4);
    assert_eq!(
        t.ty(&store).limits,
        Limits {
            min: 4,
            max: Some(5)
        }
    );

    t.fill(&mut store, 0, Val::FuncRef(None), 4).unwrap();
    assert_eq!(t.get(&store, 3), Some(Val::FuncRef(None)));
    assert!(t.fill(&mut store, 3, Val::FuncRef(None), 2).is_err());
}

#[test]
fn table_of_externrefs() {
    let mut store = store();
    let r = ExternRef::new(&mut store, 42u64);
    let t = Table::new(
        &mut store,
        table_ty(RefType::ExternRef, 1, None),
        Val::ExternRef(Some(r)),
    )
    .unwrap();
    let Some(Val::ExternRef(Some(got))) = t.get(&store, 0) else {
        panic!("expected an externref")
    };
    let data = got.data(&store).unwrap();
    assert_eq!(data.downcast_ref::<u64>(), Some(&42));
    assert!(
        Table::new(
            &mut store,
            table_ty(RefType::ExternRef, 1, Some(0)),
            Val::ExternRef(None)
        )
        .is_err()
    );
}

#[test]
fn handles_from_another_store_are_rejected() {
    let engine = Engine::default();
    let mut a = Store::new(&engine, ());
    let mut b = Store::new(&engine, ());
    let m = Memory::new(&mut a, mem_ty(1, None)).unwrap();
    let g = Global::new(
        &mut a,
        GlobalType {
            content: ValType::I32,
            mutable: true,
        },
        Val::I32(0),
    )
    .unwrap();
    let t = Table::new(
        &mut a,
        table_ty(RefType::FuncRef, 1, None),
        Val::FuncRef(None),
    )
    .unwrap();
    let f = Func::wrap(&mut a, || 1i32);
    let r = ExternRef::new(&mut a, ());

    assert!(matches!(m.grow(&mut b, 1), Err(Error::Usage(_))));
    assert!(m.write(&mut b, 0, b"x").is_err());
    assert!(m.read(&b, 0, &mut [0]).is_err());
    assert!(matches!(g.set(&mut b, Val::I32(1)), Err(Error::Usage(_))));
    assert_eq!(t.get(&b, 0), None);
    assert!(t.set(&mut b, 0, Val::FuncRef(None)).is_err());
    assert!(t.grow(&mut b, 1, Val::FuncRef(None)).is_err());
    assert!(matches!(
        f.call(&mut b, &[], &mut [Val::I32(0)]),
        Err(Error::Usage(_))
    ));
    assert!(f.typed::<(), i32>(&b).is_err());
    assert!(r.data(&b).is_none());

    // References from store `a` cannot be stored in objects of store `b`.
    let tb = Table::new(
        &mut b,
        table_ty(RefType::FuncRef, 1, None),
        Val::FuncRef(None),
    )
    .unwrap();
    assert!(tb.set(&mut b, 0, Val::FuncRef(Some(f))).is_err());
    assert!(
        Table::new(
            &mut b,
            table_ty(RefType::FuncRef, 1, None),
            Val::FuncRef(Some(f))
        )
        .is_err()
    );
    let gty = GlobalType {
        content: ValType::ExternRef,
        mutable: true,
    };
    assert!(Global::new(&mut b, gty, Val::ExternRef(Some(r))).is_err());
    let gb = Global::new(&mut b, gty, Val::ExternRef(None)).unwrap();
    assert!(gb.set(&mut b, Val::ExternRef(Some(r))).is_err());
}

#[test]
#[should_panic(expected = "does not belong")]
fn memory_data_with_wrong_store_panics() {
    let engine = Engine::default();
    let mut a = Store::new(&engine, ());
    let b = Store::new(&engine, ());
    let m = Memory::new(&mut a, mem_ty(1, None)).unwrap();
    let _ = m.data(&b);
}
