//! `Config::max_host_reentry` bounds wasm -> host -> wasm nesting with a trap.

use ember::{Caller, Config, Engine, Error, Extern, Linker, Module, Store, TrapCode};

/// wasm `enter` calls host `again`, which calls `enter` again while the counter in the store is
/// below the requested depth.
fn run(limit: usize, wanted_depth: u32) -> (Result<(), Error>, u32) {
    let engine = Engine::new(&Config::default().max_host_reentry(limit));
    let module = Module::new(
        &engine,
        r#"(module
             (import "host" "again" (func $again))
             (func (export "enter") (call $again)))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, (0u32, wanted_depth));
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "again", |mut caller: Caller<'_, (u32, u32)>| {
            caller.data_mut().0 += 1;
            let (level, wanted) = *caller.data();
            if level < wanted {
                let Some(Extern::Func(enter)) = caller.get_export("enter") else {
                    return Err(ember::Trap::host("no enter export"));
                };
                enter.call(&mut caller, &[], &mut []).map_err(|e| match e {
                    Error::Trap(t) => t,
                    other => ember::Trap::host(other.to_string()),
                })?;
            }
            Ok(())
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let enter = instance.get_func(&store, "enter").unwrap();
    let result = enter.call(&mut store, &[], &mut []);
    (result, store.data().0)
}

#[test]
fn reentry_within_the_limit_runs() {
    let (result, levels) = run(5, 5);
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(levels, 5);
}

#[test]
fn reentry_past_the_limit_traps_with_stack_overflow() {
    let (result, levels) = run(3, 1000);
    match result {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::StackOverflow, "{t}"),
        other => panic!("expected a StackOverflow trap, got {other:?}"),
    }
    // The outermost call is not a re-entry: levels 1..=4 ran, the 4th nested enter trapped.
    assert_eq!(levels, 4);
}
