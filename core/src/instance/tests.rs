//! Instantiation on hand-built compiled modules (no translator needed).

use crate::{
    Caller, Engine, Error, Extern, Func, Global, GlobalType, Instance, Limits, Linker, Memory,
    MemoryType, Module, RefType, Store, Table, TableType, TrapCode, Val, ValType,
};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use ember_bytecode::module::{
    CompiledModule, ConstExpr, DataMode, DataSegment, ElemMode, ElemSegment, Export, ExternKind,
    FuncBody, Import, ImportType,
};
use ember_bytecode::types::FuncType;

fn import(name: &str, ty: ImportType) -> Import {
    Import {
        module: String::from("env"),
        name: String::from(name),
        ty,
    }
}

fn limits(min: u32, max: Option<u32>) -> Limits {
    Limits { min, max }
}

fn body() -> FuncBody {
    FuncBody {
        code_start: 0,
        code_len: 0,
        frame_size: 0,
        num_params: 0,
        zeroed_locals: 0,
        num_results: 0,
    }
}

/// A module importing `env::f: [] -> []`, `env::mem` (memory 1), `env::tab` (table 2 funcref),
/// `env::g` (global i32), defining one function, one memory, one global and segments.
fn sample() -> CompiledModule {
    CompiledModule {
        types: vec![FuncType::new([], [])],
        imports: vec![
            import("f", ImportType::Func(0)),
            import(
                "mem",
                ImportType::Memory(MemoryType {
                    limits: limits(1, None),
                }),
            ),
            import(
                "tab",
                ImportType::Table(TableType {
                    element: RefType::FuncRef,
                    limits: limits(2, None),
                }),
            ),
            import(
                "g",
                ImportType::Global(GlobalType {
                    content: ValType::I32,
                    mutable: false,
                }),
            ),
        ],
        funcs: vec![0, 0],
        tables: vec![TableType {
            element: RefType::FuncRef,
            limits: limits(2, None),
        }],
        memories: vec![
            MemoryType {
                limits: limits(1, None),
            },
            MemoryType {
                limits: limits(1, Some(1)),
            },
        ],
        globals: vec![
            GlobalType {
                content: ValType::I32,
                mutable: false,
            },
            GlobalType {
                content: ValType::I32,
                mutable: true,
            },
            GlobalType {
                content: ValType::FuncRef,
                mutable: false,
            },
        ],
        global_inits: vec![ConstExpr::GlobalGet(0), ConstExpr::RefFunc(1)],
        exports: vec![
            Export {
                name: String::from("g1"),
                kind: ExternKind::Global,
                index: 1,
            },
            Export {
                name: String::from("fref"),
                kind: ExternKind::Global,
                index: 2,
            },
            Export {
                name: String::from("own"),
                kind: ExternKind::Memory,
                index: 1,
            },
            Export {
                name: String::from("f"),
                kind: ExternKind::Func,
                index: 1,
            },
        ],
        start: Some(0),
        elems: vec![
            ElemSegment {
                mode: ElemMode::Active {
                    table: 0,
                    offset: ConstExpr::I32(0),
                },
                ty: RefType::FuncRef,
                items: Box::new([ConstExpr::RefFunc(0), ConstExpr::RefFunc(1)]),
            },
            ElemSegment {
                mode: ElemMode::Passive,
                ty: RefType::FuncRef,
                items: Box::new([ConstExpr::RefNull(RefType::FuncRef)]),
            },
            ElemSegment {
                mode: ElemMode::Declared,
                ty: RefType::FuncRef,
                items: Box::new([ConstExpr::RefFunc(1)]),
            },
        ],
        datas: vec![
            DataSegment {
                mode: DataMode::Active {
                    memory: 0,
                    offset: ConstExpr::GlobalGet(0),
                },
                bytes: Box::new(*b"hi"),
            },
            DataSegment {
                mode: DataMode::Passive,
                bytes: Box::new(*b"later"),
            },
            DataSegment {
                mode: DataMode::Active {
                    memory: 1,
                    offset: ConstExpr::I32(65535),
                },
                bytes: Box::new(*b"z"),
            },
        ],
        num_imported_funcs: 1,
        num_imported_tables: 1,
        num_imported_memories: 1,
        num_imported_globals: 1,
        bodies: vec![body()],
        code: Default::default(),
        wasm_code_size: 0,
    }
}

struct Env {
    f: Func,
    mem: Memory,
    tab: Table,
    g: Global,
}

fn env(store: &mut Store<u32>, g: i32) -> Env {
    Env {
        f: Func::wrap(&mut *store, |mut c: Caller<'_, u32>| *c.data_mut() += 1),
        mem: Memory::new(
            &mut *store,
            MemoryType {
                limits: limits(1, None),
            },
        )
        .unwrap(),
        tab: Table::new(
            &mut *store,
            TableType {
                element: RefType::FuncRef,
                limits: limits(2, None),
            },
            Val::FuncRef(None),
        )
        .unwrap(),
        g: Global::new(
            &mut *store,
            GlobalType {
                content: ValType::I32,
                mutable: false,
            },
            Val::I32(g),
        )
        .unwrap(),
    }
}

impl Env {
    fn externs(&self) -> [Extern; 4] {
        [
            self.f.into(),
            self.mem.into(),
            self.tab.into(),
            self.g.into(),
        ]
    }
}

#[test]
fn instantiates_sample() {
    let engine = Engine::default();
    let module = Module::from_compiled(&engine, sample());
    let mut store = Store::new(&engine, 0u32);
    let e = env(&mut store, 100);
    let inst = Instance::new(&mut store, &module, &e.externs()).unwrap();
    // Start (the imported host function) ran once.
    assert_eq!(*store.data(), 1);
    // Globals: g1 = imported g, fref = defined function 1.
    let g1 = inst.get_global(&store, "g1").unwrap();
    assert_eq!(g1.get(&store), Val::I32(100));
    let f = inst.get_func(&store, "f").unwrap();
    assert_eq!(
        inst.get_global(&store, "fref").unwrap().get(&store),
        Val::FuncRef(Some(f))
    );
    // Element segment 0 copied into the imported table.
    assert_eq!(e.tab.get(&store, 0), Some(Val::FuncRef(Some(e.f))));
    assert_eq!(e.tab.get(&store, 1), Some(Val::FuncRef(Some(f))));
    // Data at offset global 0 (= 100) in the imported memory; and the own memory's last byte.
    assert_eq!(&e.mem.data(&store)[100..102], b"hi");
    let own = inst.get_memory(&store, "own").unwrap();
    assert_eq!(own.data(&store)[65535], b'z');
    // Segment drop state.
    let ie = &store.inner.instances[inst.index as usize];
    assert_eq!(ie.data_dropped, [true, false, true]);
    assert!(ie.elems[0].is_empty());
    assert_eq!(&*ie.elems[1], &[0]);
    assert!(ie.elems[2].is_empty());
    assert_eq!(inst.exports(&store).count(), 4);
}

#[test]
fn segment_out_of_bounds_keeps_earlier_ones() {
    let engine = Engine::default();
    let module = Module::from_compiled(&engine, sample());
    let mut store = Store::new(&engine, 0u32);
    // Data segment 0 goes to offset 65535 with 2 bytes: out of bounds. Elements were applied.
    let e = env(&mut store, 65535);
    match Instance::new(&mut store, &module, &e.externs()) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::MemoryOutOfBounds),
        other => panic!("expected trap, got {other:?}"),
    }
    assert_eq!(e.tab.get(&store, 0), Some(Val::FuncRef(Some(e.f))));
    assert!(matches!(e.tab.get(&store, 1), Some(Val::FuncRef(Some(_)))));
    // The start function did not run.
    assert_eq!(*store.data(), 0);

    // A table too small for the element segment: table trap, nothing written.
    let mut m = sample();
    m.elems[0].mode = ElemMode::Active {
        table: 0,
        offset: ConstExpr::I32(1),
    };
    let module = Module::from_compiled(&engine, m);
    let e = env(&mut store, 0);
    match Instance::new(&mut store, &module, &e.externs()) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::TableOutOfBounds),
        other => panic!("expected trap, got {other:?}"),
    }
    assert_eq!(e.tab.get(&store, 1), Some(Val::FuncRef(None)));
    assert_eq!(&e.mem.data(&store)[..2], b"\0\0");
}

#[test]
fn import_checks() {
    let engine = Engine::default();
    let module = Module::from_compiled(&engine, sample());
    let mut store = Store::new(&engine, 0u32);
    let e = env(&mut store, 0);
    let mut ext = e.externs();
    // Wrong kind.
    ext[0] = e.mem.into();
    assert!(matches!(
        Instance::new(&mut store, &module, &ext),
        Err(Error::Link(m)) if m.contains("incompatible import type for env::f")
    ));
    // Wrong function type.
    ext[0] = Func::wrap(&mut store, |_: i32| {}).into();
    assert!(matches!(
        Instance::new(&mut store, &module, &ext),
        Err(Error::Link(_))
    ));
    // Memory too small / table too small / wrong global mutability.
    let mut ext = e.externs();
    ext[1] = Memory::new(
        &mut store,
        MemoryType {
            limits: limits(0, None),
        },
    )
    .unwrap()
    .into();
    assert!(matches!(
        Instance::new(&mut store, &module, &ext),
        Err(Error::Link(m)) if m.contains("env::mem")
    ));
    let mut ext = e.externs();
    ext[2] = Table::new(
        &mut store,
        TableType {
            element: RefType::FuncRef,
            limits: limits(1, Some(5)),
        },
        Val::FuncRef(None),
    )
    .unwrap()
    .into();
    assert!(matches!(
        Instance::new(&mut store, &module, &ext),
        Err(Error::Link(m)) if m.contains("env::tab")
    ));
    let mut ext = e.externs();
    ext[3] = Global::new(
        &mut store,
        GlobalType {
            content: ValType::I32,
            mutable: true,
        },
        Val::I32(0),
    )
    .unwrap()
    .into();
    assert!(matches!(
        Instance::new(&mut store, &module, &ext),
        Err(Error::Link(m)) if m.contains("env::g")
    ));
    // Nothing was instantiated by the failures.
    assert!(store.inner.instances.is_empty());
}

#[test]
fn linker_unknown_import_and_resolution() {
    let engine = Engine::default();
    let module = Module::from_compiled(&engine, sample());
    let mut store = Store::new(&engine, 0u32);
    let e = env(&mut store, 0);
    let mut linker = Linker::new(&engine);
    assert!(matches!(
        linker.instantiate(&mut store, &module),
        Err(Error::Link(m)) if m == "unknown import: env::f"
    ));
    linker
        .func_wrap("env", "f", |mut c: Caller<'_, u32>| *c.data_mut() += 10)
        .unwrap();
    linker.define(&store, "env", "mem", e.mem).unwrap();
    linker.define(&store, "env", "tab", e.tab).unwrap();
    linker.define(&store, "env", "g", e.g).unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    assert_eq!(*store.data(), 10);
    linker.instance(&mut store, "sample", inst).unwrap();
    assert!(matches!(
        linker.get(&mut store, "sample", "own"),
        Some(Extern::Memory(_))
    ));
    // The host function is created once per store.
    let before = store.inner.funcs.len();
    linker.instantiate(&mut store, &module).unwrap();
    assert_eq!(store.inner.funcs.len(), before + 1);
    // `module` instantiates and registers in one step; a second time under the same name
    // is a redefinition.
    let i2 = linker.module(&mut store, "s2", &module).unwrap();
    let g = linker.get(&mut store, "s2", "g1").unwrap();
    assert_eq!(i2.get_export(&store, "g1"), Some(g));
    assert!(matches!(
        linker.module(&mut store, "s2", &module),
        Err(Error::Link(_))
    ));
}
