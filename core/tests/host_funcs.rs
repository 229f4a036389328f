//! Host functions called from the host: Func::new, Func::wrap, TypedFunc, Caller, traps,
//! argument checking.

use ember::{
    AsContextMut, Caller, Engine, Error, ExternRef, Func, FuncType, Linker, Store, Trap, TrapCode,
    Val, ValType,
};

#[test]
fn func_new_and_call() {
    let mut store = Store::new(&Engine::default(), 0u32);
    let ty = FuncType::new([ValType::I32, ValType::I64], [ValType::I64]);
    let f = Func::new(
        &mut store,
        ty.clone(),
        |mut caller: Caller<'_, u32>, args, results| {
            *caller.data_mut() += 1;
            let a = args[0].i32().unwrap() as i64;
            let b = args[1].i64().unwrap();
            results[0] = Val::I64(a * b);
            Ok(())
        },
    );
    assert_eq!(f.ty(&store), ty);
    let mut out = [Val::I64(0)];
    f.call(&mut store, &[Val::I32(6), Val::I64(7)], &mut out)
        .unwrap();
    assert_eq!(out, [Val::I64(42)]);
    assert_eq!(*store.data(), 1);
}

#[test]
fn call_checks_arity_and_types() {
    let mut store = Store::new(&Engine::default(), ());
    let f = Func::wrap(&mut store, |a: i32, b: f64| a as f64 + b);
    let mut out = [Val::F64(0)];
    let e = f.call(&mut store, &[Val::I32(1)], &mut out).unwrap_err();
    assert!(
        matches!(&e, Error::Usage(m) if m.contains("expects 2 arguments")),
        "{e}"
    );
    let e = f
        .call(&mut store, &[Val::I32(1), Val::F32(0)], &mut out)
        .unwrap_err();
    assert!(
        matches!(&e, Error::Usage(m) if m.contains("argument 1")),
        "{e}"
    );
    let e = f
        .call(&mut store, &[Val::I32(1), Val::from(2.5f64)], &mut [])
        .unwrap_err();
    assert!(matches!(&e, Error::Usage(m) if m.contains("result")), "{e}");
    f.call(&mut store, &[Val::I32(1), Val::from(2.5f64)], &mut out)
        .unwrap();
    assert_eq!(out[0].f64(), Some(3.5));
}

#[test]
fn wrap_signatures() {
    let mut store = Store::new(&Engine::default(), ());
    let f = Func::wrap(&mut store, |a: u32, b: u64, c: f32| (a, b, c));
    assert_eq!(
        f.ty(&store),
        FuncType::new(
            [ValType::I32, ValType::I64, ValType::F32],
            [ValType::I32, ValType::I64, ValType::F32]
        )
    );
    let g = Func::wrap(&mut store, |_: Caller<'_, ()>, r: Option<ExternRef>| r);
    assert_eq!(
        g.ty(&store),
        FuncType::new([ValType::ExternRef], [ValType::ExternRef])
    );
    let h = Func::wrap(&mut store, |f: Option<Func>| -> Result<(), Trap> {
        let _ = f;
        Ok(())
    });
    assert_eq!(h.ty(&store), FuncType::new([ValType::FuncRef], []));
}

#[test]
fn typed_func_multi_value() {
    let mut store = Store::new(&Engine::default(), ());
    let f = Func::wrap(&mut store, |a: i32, b: i32| (b, a, a as i64 + b as i64));
    let t = f.typed::<(i32, i32), (i32, i32, i64)>(&store).unwrap();
    assert_eq!(t.call(&mut store, (1, 2)).unwrap(), (2, 1, 3));
    assert!(f.typed::<(i32, i32), (i32, i32)>(&store).is_err());
    assert!(f.typed::<(i32,), (i32, i32, i64)>(&store).is_err());
    assert!(f.typed::<(i64, i32), (i32, i32, i64)>(&store).is_err());
}

#[test]
fn typed_func_single_and_unit() {
    let mut store = Store::new(&Engine::default(), 0i64);
    let f = Func::wrap(&mut store, |mut c: Caller<'_, i64>, x: i64| {
        *c.data_mut() += x;
    });
    let t = f.typed::<i64, ()>(&store).unwrap();
    t.call(&mut store, 5).unwrap();
    t.call(&mut store, 6).unwrap();
    assert_eq!(*store.data(), 11);
    // Twelve parameters.
    let g = Func::wrap(
        &mut store,
        |a: i32,
         b: i32,
         c: i32,
         d: i32,
         e: i32,
         f: i32,
         g: i32,
         h: i32,
         i: i32,
         j: i32,
         k: i32,
         l: i32| { a + b + c + d + e + f + g + h + i + j + k + l },
    );
    let g = g
        .typed::<(i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32), i32>(&store)
        .unwrap();
    assert_eq!(
        g.call(&mut store, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))
            .unwrap(),
        78
    );
}

#[test]
fn host_trap_is_reported() {
    let mut store = Store::new(&Engine::default(), ());
    let f = Func::wrap(&mut store, |x: i32| -> Result<i32, Trap> {
        if x < 0 {
            Err(Trap::host("negative"))
        } else {
            Ok(x)
        }
    });
    let t = f.typed::<i32, i32>(&store).unwrap();
    assert_eq!(t.call(&mut store, 3).unwrap(), 3);
    match t.call(&mut store, -1) {
        Err(Error::Trap(trap)) => {
            assert_eq!(trap.code(), TrapCode::HostError);
            assert_eq!(trap.host_message(), Some("negative"));
        }
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn func_new_wrong_result_type_traps() {
    let mut store = Store::new(&Engine::default(), ());
    let ty = FuncType::new([], [ValType::I32]);
    let f = Func::new(&mut store, ty, |_, _, results| {
        results[0] = Val::I64(1);
        Ok(())
    });
    let e = f.call(&mut store, &[], &mut [Val::I32(0)]).unwrap_err();
    assert!(matches!(e, Error::Trap(t) if t.code() == TrapCode::HostError));
}

#[test]
fn host_returning_foreign_reference_traps() {
    let engine = Engine::default();
    let mut other = Store::new(&engine, ());
    let foreign = ExternRef::new(&mut other, 1u8);
    let mut store = Store::new(&engine, ());
    let f = Func::wrap(&mut store, move || Some(foreign));
    let e = f
        .call(&mut store, &[], &mut [Val::ExternRef(None)])
        .unwrap_err();
    assert!(matches!(e, Error::Trap(t) if t.code() == TrapCode::HostError));
    // And a foreign reference as an argument is a usage error.
    let g = Func::wrap(&mut store, |_: Option<ExternRef>| {});
    let e = g
        .call(&mut store, &[Val::ExternRef(Some(foreign))], &mut [])
        .unwrap_err();
    assert!(matches!(e, Error::Usage(_)));
}

#[test]
fn caller_from_host_has_no_exports() {
    let mut store = Store::new(&Engine::default(), ());
    let f = Func::wrap(&mut store, |caller: Caller<'_, ()>| {
        caller.get_export("memory").is_none() as i32
    });
    let t = f.typed::<(), i32>(&store).unwrap();
    assert_eq!(t.call(&mut store, ()).unwrap(), 1);
}

#[test]
fn nested_call_through_caller() {
    let mut store = Store::new(&Engine::default(), 0);
    let inner = Func::wrap(&mut store, |mut c: Caller<'_, i32>, x: i32| {
        *c.data_mut() += x;
        x * 2
    });
    let outer = Func::wrap(
        &mut store,
        move |mut c: Caller<'_, i32>, x: i32| -> Result<i32, Trap> {
            let t = inner
                .typed::<i32, i32>(&c)
                .map_err(|e| Trap::host(e.to_string()))?;
            t.call(&mut c, x + 1).map_err(|e| Trap::host(e.to_string()))
        },
    );
    let t = outer.typed::<i32, i32>(&store).unwrap();
    assert_eq!(t.call(&mut store, 4).unwrap(), 10);
    assert_eq!(*store.data(), 5);
}

#[test]
fn linker_func_definitions() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "f", |x: i32| x + 1).unwrap();
    assert!(matches!(
        linker.func_wrap("env", "f", |x: i32| x + 2),
        Err(Error::Link(_))
    ));
    linker
        .func_new(
            "env",
            "g",
            FuncType::new([], [ValType::I32]),
            |_: Caller<'_, ()>, _, r| {
                r[0] = Val::I32(9);
                Ok(())
            },
        )
        .unwrap();
    let f = linker
        .get(&mut store, "env", "f")
        .unwrap()
        .into_func()
        .unwrap();
    // The same store gets the same function back.
    assert_eq!(
        linker.get(&mut store, "env", "f").unwrap().into_func(),
        Some(f)
    );
    assert_eq!(
        f.typed::<i32, i32>(&store)
            .unwrap()
            .call(&mut store, 1)
            .unwrap(),
        2
    );
    let g = linker
        .get(&mut store, "env", "g")
        .unwrap()
        .into_func()
        .unwrap();
    assert_eq!(
        g.typed::<(), i32>(&store)
            .unwrap()
            .call(&mut store, ())
            .unwrap(),
        9
    );
    assert!(linker.get(&mut store, "env", "h").is_none());

    linker.allow_shadowing(true);
    linker.func_wrap("env", "f", |x: i32| x + 2).unwrap();
    let f2 = linker
        .get(&mut store, "env", "f")
        .unwrap()
        .into_func()
        .unwrap();
    assert_eq!(
        f2.typed::<i32, i32>(&store)
            .unwrap()
            .call(&mut store, 1)
            .unwrap(),
        3
    );
}

#[test]
fn linker_define_checks_store() {
    let engine = Engine::default();
    let mut a = Store::new(&engine, ());
    let b = Store::new(&engine, ());
    let f = Func::wrap(&mut a, || {});
    let mut linker = Linker::new(&engine);
    assert!(matches!(
        linker.define(&b, "m", "f", f),
        Err(Error::Usage(_))
    ));
    linker.define(&a, "m", "f", f).unwrap();
    assert!(matches!(
        linker.define(&a, "m", "f", f),
        Err(Error::Link(_))
    ));
}

/// Generic code over contexts works with a store and with a caller.
fn bump(mut cx: impl ember::AsContextMut<Data = u32>) -> u32 {
    let mut cx = cx.as_context_mut();
    *cx.data_mut() += 1;
    *cx.data()
}

#[test]
fn context_traits_work_for_store_and_caller() {
    let mut store = Store::new(&Engine::default(), 0u32);
    assert_eq!(bump(&mut store), 1);
    let f = Func::wrap(&mut store, |mut caller: Caller<'_, u32>| bump(&mut caller));
    let t = f.typed::<(), u32>(&store).unwrap();
    assert_eq!(t.call(&mut store, ()).unwrap(), 2);
    assert_eq!(bump(store.as_context_mut()), 3);
    use ember::AsContext;
    assert_eq!(*store.as_context().data(), 3);
}
