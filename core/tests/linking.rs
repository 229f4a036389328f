//! Instantiation and linking of wasm modules (needs the translator; the ones that call wasm code
//! need the executor).

use ember::{
    Caller, Engine, Error, Extern, ExternType, Func, Global, GlobalType, Instance, Limits, Linker,
    Memory, MemoryType, Module, RefType, Store, Table, TableType, Trap, TrapCode, Val, ValType,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, wat).unwrap_or_else(|e| panic!("module failed to compile: {e}"))
}

fn link_err<T>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Link(m)) => m,
        Err(e) => panic!("expected a link error, got {e:?}"),
        Ok(_) => panic!("expected a link error, got Ok"),
    }
}

#[test]
fn wat_parse_error_is_compile_error() {
    let engine = Engine::default();
    assert!(matches!(
        Module::new(&engine, "(module (func (i32.bogus)))"),
        Err(Error::Compile(_))
    ));
}

#[test]
fn imports_and_exports_listing() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
            (import "env" "f" (func (param i32) (result i64)))
            (import "env" "mem" (memory 1 2))
            (import "env" "tab" (table 3 funcref))
            (import "env" "g" (global (mut f32)))
            (func (export "h"))
            (export "mem2" (memory 0)))"#,
    );
    let imports: Vec<_> = m
        .imports()
        .map(|i| (i.module(), i.name(), i.ty()))
        .collect();
    assert_eq!(imports.len(), 4);
    assert_eq!(
        imports[0],
        (
            "env",
            "f",
            ExternType::Func(ember::FuncType::new([ValType::I32], [ValType::I64]))
        )
    );
    assert_eq!(
        imports[1].2,
        ExternType::Memory(MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2)
            }
        })
    );
    assert_eq!(
        imports[2].2,
        ExternType::Table(TableType {
            element: RefType::FuncRef,
            limits: Limits { min: 3, max: None }
        })
    );
    assert_eq!(
        imports[3].2,
        ExternType::Global(GlobalType {
            content: ValType::F32,
            mutable: true
        })
    );
    let exports: Vec<_> = m.exports().map(|e| (e.name(), e.ty())).collect();
    assert_eq!(exports.len(), 2);
    assert_eq!(exports[0].0, "h");
    assert!(matches!(exports[1].1, ExternType::Memory(_)));
}

#[test]
fn unknown_import() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(&engine, r#"(module (import "env" "missing" (func)))"#);
    let linker = Linker::new(&engine);
    let msg = link_err(linker.instantiate(&mut store, &m));
    assert!(msg.contains("unknown import: env::missing"), "{msg}");
}

#[test]
fn wrong_kind_and_function_type() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(&engine, r#"(module (import "env" "f" (func (param i32))))"#);
    let mem = Memory::new(
        &mut store,
        MemoryType {
            limits: Limits { min: 0, max: None },
        },
    )
    .unwrap();
    let msg = link_err(Instance::new(&mut store, &m, &[Extern::Memory(mem)]));
    assert!(msg.contains("incompatible import type for env::f"), "{msg}");

    let f64f = Func::wrap(&mut store, |_: i64| {});
    let msg = link_err(Instance::new(&mut store, &m, &[f64f.into()]));
    assert!(msg.contains("incompatible import type for env::f"), "{msg}");
    let f = Func::wrap(&mut store, |_: i32| {});
    Instance::new(&mut store, &m, &[f.into()]).unwrap();
    // Wrong number of imports.
    link_err(Instance::new(&mut store, &m, &[]));
}

#[test]
fn memory_limits_matching() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(&engine, r#"(module (import "env" "m" (memory 2 4)))"#);
    let mk = |store: &mut Store<()>, min, max| {
        Memory::new(
            store,
            MemoryType {
                limits: Limits { min, max },
            },
        )
        .unwrap()
    };
    let cases = [
        (2, Some(4), true),
        (3, Some(3), true),
        (1, Some(4), false), // min too small
        (2, None, false),    // no max
        (2, Some(5), false), // max too large
    ];
    for (min, max, ok) in cases {
        let mem = mk(&mut store, min, max);
        let r = Instance::new(&mut store, &m, &[mem.into()]);
        assert_eq!(r.is_ok(), ok, "memory {min} {max:?}: {r:?}");
        if !ok {
            link_err(r);
        }
    }
    // The current size counts as the minimum.
    let mem = mk(&mut store, 1, Some(4));
    mem.grow(&mut store, 1).unwrap();
    Instance::new(&mut store, &m, &[mem.into()]).unwrap();
}

#[test]
fn table_limits_and_element_type() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(&engine, r#"(module (import "env" "t" (table 2 funcref)))"#);
    let t = |store: &mut Store<()>, element, min, max| {
        let init = match element {
            RefType::FuncRef => Val::FuncRef(None),
            RefType::ExternRef => Val::ExternRef(None),
        };
        Table::new(
            store,
            TableType {
                element,
                limits: Limits { min, max },
            },
            init,
        )
        .unwrap()
    };
    let ok = t(&mut store, RefType::FuncRef, 2, Some(10));
    Instance::new(&mut store, &m, &[ok.into()]).unwrap();
    let small = t(&mut store, RefType::FuncRef, 1, None);
    link_err(Instance::new(&mut store, &m, &[small.into()]));
    let wrong = t(&mut store, RefType::ExternRef, 2, None);
    link_err(Instance::new(&mut store, &m, &[wrong.into()]));
}

#[test]
fn global_type_matching() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module (import "env" "g" (global (mut i32))) (global (export "copy") i32 (i32.const 0)))"#,
    );
    let immutable = Global::new(
        &mut store,
        GlobalType {
            content: ValType::I32,
            mutable: false,
        },
        Val::I32(1),
    )
    .unwrap();
    link_err(Instance::new(&mut store, &m, &[immutable.into()]));
    let wrong = Global::new(
        &mut store,
        GlobalType {
            content: ValType::I64,
            mutable: true,
        },
        Val::I64(1),
    )
    .unwrap();
    link_err(Instance::new(&mut store, &m, &[wrong.into()]));
    let good = Global::new(
        &mut store,
        GlobalType {
            content: ValType::I32,
            mutable: true,
        },
        Val::I32(1),
    )
    .unwrap();
    Instance::new(&mut store, &m, &[good.into()]).unwrap();
}

#[test]
fn imports_from_another_store_rejected() {
    let engine = Engine::default();
    let mut a = Store::new(&engine, ());
    let mut b = Store::new(&engine, ());
    let m = module(&engine, r#"(module (import "env" "f" (func)))"#);
    let f = Func::wrap(&mut a, || {});
    assert!(matches!(
        Instance::new(&mut b, &m, &[f.into()]),
        Err(Error::Usage(_))
    ));
}

#[test]
fn global_initializers_and_exports() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let base = Global::new(
        &mut store,
        GlobalType {
            content: ValType::I32,
            mutable: false,
        },
        Val::I32(40),
    )
    .unwrap();
    let m = module(
        &engine,
        r#"(module
            (import "env" "base" (global i32))
            (global (export "a") i32 (global.get 0))
            (global (export "b") (mut i64) (i64.const -5))
            (global (export "c") f64 (f64.const 2.5))
            (global (export "r") funcref (ref.func $f))
            (global (export "n") externref (ref.null extern))
            (func $f (export "f")))"#,
    );
    let inst = Instance::new(&mut store, &m, &[base.into()]).unwrap();
    assert_eq!(
        inst.get_global(&store, "a").unwrap().get(&store),
        Val::I32(40)
    );
    let b = inst.get_global(&store, "b").unwrap();
    assert_eq!(b.get(&store), Val::I64(-5));
    b.set(&mut store, Val::I64(7)).unwrap();
    assert_eq!(b.get(&store), Val::I64(7));
    assert!(
        inst.get_global(&store, "a")
            .unwrap()
            .set(&mut store, Val::I32(0))
            .is_err()
    );
    assert_eq!(
        inst.get_global(&store, "c").unwrap().get(&store).f64(),
        Some(2.5)
    );
    let f = inst.get_func(&store, "f").unwrap();
    assert_eq!(
        inst.get_global(&store, "r").unwrap().get(&store),
        Val::FuncRef(Some(f))
    );
    assert_eq!(
        inst.get_global(&store, "n").unwrap().get(&store),
        Val::ExternRef(None)
    );
    assert!(inst.get_func(&store, "a").is_none());
    assert!(inst.get_export(&store, "zzz").is_none());
    let names: Vec<&str> = inst.exports(&store).map(|(n, _)| n).collect();
    assert_eq!(names, ["a", "b", "c", "r", "n", "f"]);
}

#[test]
fn data_and_element_segments() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module
            (memory (export "mem") 1)
            (table (export "tab") 4 funcref)
            (func $a) (func $b)
            (elem (i32.const 1) $a $b)
            (data (i32.const 10) "hello")
            (data (i32.const 65534) "!!"))"#,
    );
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    let mem = inst.get_memory(&store, "mem").unwrap();
    assert_eq!(&mem.data(&store)[10..15], b"hello");
    assert_eq!(&mem.data(&store)[65534..], b"!!");
    let tab = inst.get_table(&store, "tab").unwrap();
    assert_eq!(tab.get(&store, 0), Some(Val::FuncRef(None)));
    assert!(matches!(tab.get(&store, 1), Some(Val::FuncRef(Some(_)))));
    assert!(matches!(tab.get(&store, 2), Some(Val::FuncRef(Some(_)))));
    assert_eq!(tab.get(&store, 3), Some(Val::FuncRef(None)));
}

#[test]
fn out_of_bounds_segments_trap_and_keep_earlier_writes() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mem = Memory::new(
        &mut store,
        MemoryType {
            limits: Limits { min: 1, max: None },
        },
    )
    .unwrap();
    let m = module(
        &engine,
        r#"(module
            (import "env" "mem" (memory 1))
            (data (i32.const 0) "abc")
            (data (i32.const 65535) "xy")
            (data (i32.const 3) "def"))"#,
    );
    match Instance::new(&mut store, &m, &[mem.into()]) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::MemoryOutOfBounds),
        other => panic!("expected a trap, got {other:?}"),
    }
    assert_eq!(&mem.data(&store)[..6], b"abc\0\0\0");

    let tab = Table::new(
        &mut store,
        TableType {
            element: RefType::FuncRef,
            limits: Limits { min: 2, max: None },
        },
        Val::FuncRef(None),
    )
    .unwrap();
    let m = module(
        &engine,
        r#"(module
            (import "env" "tab" (table 2 funcref))
            (func $f)
            (elem (i32.const 0) $f)
            (elem (i32.const 1) $f $f))"#,
    );
    match Instance::new(&mut store, &m, &[tab.into()]) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::TableOutOfBounds),
        other => panic!("expected a trap, got {other:?}"),
    }
    assert!(matches!(tab.get(&store, 0), Some(Val::FuncRef(Some(_)))));
    assert_eq!(tab.get(&store, 1), Some(Val::FuncRef(None)));
}

#[test]
fn linker_instance_registers_exports() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let a = module(
        &engine,
        r#"(module (memory (export "mem") 1) (global (export "g") i32 (i32.const 3)))"#,
    );
    let inst = linker.instantiate(&mut store, &a).unwrap();
    linker.instance(&mut store, "a", inst).unwrap();
    let b = module(
        &engine,
        r#"(module (import "a" "mem" (memory 1)) (import "a" "g" (global i32))
                   (data (global.get 0) "x"))"#,
    );
    linker.instantiate(&mut store, &b).unwrap();
    let mem = linker
        .get(&mut store, "a", "mem")
        .unwrap()
        .into_memory()
        .unwrap();
    assert_eq!(mem.data(&store)[3], b'x');
    // Registering again under the same name is an error unless shadowing is allowed.
    link_err(linker.instance(&mut store, "a", inst));
    linker.allow_shadowing(true);
    linker.instance(&mut store, "a", inst).unwrap();
}

// ---- Tests below run wasm code: they need the executor. ----

#[test]
fn call_exported_function() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module (func (export "add") (param i32 i32) (result i32)
              (i32.add (local.get 0) (local.get 1))))"#,
    );
    let inst = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
    let add = inst
        .get_typed_func::<(i32, i32), i32>(&store, "add")
        .unwrap();
    assert_eq!(add.call(&mut store, (2, 40)).unwrap(), 42);
    let f = inst.get_func(&store, "add").unwrap();
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[Val::I32(1), Val::I32(2)], &mut out)
        .unwrap();
    assert_eq!(out[0], Val::I32(3));
    assert!(f.call(&mut store, &[Val::I32(1)], &mut out).is_err());
    assert!(
        f.call(&mut store, &[Val::I32(1), Val::I64(2)], &mut out)
            .is_err()
    );
    assert!(
        inst.get_typed_func::<(i32, i32), i64>(&store, "add")
            .is_err()
    );
}

#[test]
fn host_function_with_caller_memory_and_data() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, Vec::<u8>::new());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "record",
            |mut caller: Caller<'_, Vec<u8>>, ptr: i32, len: i32| -> Result<(), Trap> {
                let mem = caller
                    .get_export("memory")
                    .and_then(Extern::into_memory)
                    .ok_or_else(|| Trap::host("no memory"))?;
                let bytes = mem
                    .data(&caller)
                    .get(ptr as usize..(ptr + len) as usize)
                    .ok_or_else(|| Trap::host("out of bounds"))?
                    .to_vec();
                mem.data_mut(&mut caller)[0] = b'!';
                caller.data_mut().extend_from_slice(&bytes);
                Ok(())
            },
        )
        .unwrap();
    let m = module(
        &engine,
        r#"(module
            (import "host" "record" (func $record (param i32 i32)))
            (memory (export "memory") 1)
            (data (i32.const 16) "greetings")
            (func (export "run") (call $record (i32.const 16) (i32.const 9))))"#,
    );
    let inst = linker.instantiate(&mut store, &m).unwrap();
    let run = inst.get_typed_func::<(), ()>(&store, "run").unwrap();
    run.call(&mut store, ()).unwrap();
    assert_eq!(store.data().as_slice(), b"greetings");
    let mem = inst.get_memory(&store, "memory").unwrap();
    assert_eq!(mem.data(&store)[0], b'!');
}

#[test]
fn host_trap_propagates_through_wasm() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "fail", || -> Result<(), Trap> {
            Err(Trap::host("boom"))
        })
        .unwrap();
    let m = module(
        &engine,
        r#"(module (import "host" "fail" (func $fail))
                   (func (export "run") (result i32) (call $fail) (i32.const 1)))"#,
    );
    let inst = linker.instantiate(&mut store, &m).unwrap();
    let run = inst.get_typed_func::<(), i32>(&store, "run").unwrap();
    match run.call(&mut store, ()) {
        Err(Error::Trap(t)) => {
            assert_eq!(t.code(), TrapCode::HostError);
            assert_eq!(t.host_message(), Some("boom"));
        }
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn start_function_runs_and_traps() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, 0u32);
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "tick", |mut c: Caller<'_, u32>| *c.data_mut() += 1)
        .unwrap();
    let m = module(
        &engine,
        r#"(module (import "host" "tick" (func $tick)) (start $tick))"#,
    );
    linker.instantiate(&mut store, &m).unwrap();
    linker.instantiate(&mut store, &m).unwrap();
    assert_eq!(*store.data(), 2);

    let m = module(&engine, r#"(module (func $s unreachable) (start $s))"#);
    match linker.instantiate(&mut store, &m) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::Unreachable),
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn wasm_trap_code() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let m = module(
        &engine,
        r#"(module (func (export "div") (param i32 i32) (result i32)
              (i32.div_s (local.get 0) (local.get 1))))"#,
    );
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    let div = inst
        .get_typed_func::<(i32, i32), i32>(&store, "div")
        .unwrap();
    assert_eq!(div.call(&mut store, (7, 2)).unwrap(), 3);
    match div.call(&mut store, (1, 0)) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::IntegerDivisionByZero),
        other => panic!("expected a trap, got {other:?}"),
    }
}
