//! Compilation modes: what each defers, and that deferred work happens once, on first call.

use ember::{CompilationMode, Config, Engine, Error, Linker, Module, Store, Val};

fn engine(mode: CompilationMode) -> Engine {
    Engine::new(&Config::default().compilation_mode(mode))
}

const TWO_FUNCS: &str = r#"(module
  (func $double (export "double") (param i32) (result i32)
    local.get 0 i32.const 2 i32.mul)
  (func (export "quad") (param i32) (result i32)
    local.get 0 call $double call $double))"#;

fn call(store: &mut Store<()>, module: &Module, name: &str, arg: i32) -> Result<i32, Error> {
    let engine = module.engine().clone();
    let instance = Linker::new(&engine).instantiate(&mut *store, module)?;
    let f = instance.get_func(&*store, name).expect("exported");
    let mut out = [Val::I32(0)];
    f.call(&mut *store, &[Val::I32(arg)], &mut out)?;
    match out[0] {
        Val::I32(v) => Ok(v),
        other => panic!("unexpected result {other:?}"),
    }
}

#[test]
fn lazy_modes_translate_on_first_call_and_agree_with_eager() {
    for mode in [
        CompilationMode::Eager,
        CompilationMode::LazyTranslation,
        CompilationMode::Lazy,
    ] {
        let engine = engine(mode);
        let module = Module::new(&engine, TWO_FUNCS).expect("valid");
        let untranslated = module
            .compiled()
            .bodies
            .iter()
            .filter(|b| b.code_start == ember::bytecode::module::UNTRANSLATED)
            .count();
        let expected_untranslated = if mode == CompilationMode::Eager { 0 } else { 2 };
        assert_eq!(untranslated, expected_untranslated, "{mode:?}");
        let mut store = Store::new(&engine, ());
        assert_eq!(
            call(&mut store, &module, "quad", 5).unwrap(),
            20,
            "{mode:?}"
        );
        assert_eq!(
            call(&mut store, &module, "double", 7).unwrap(),
            14,
            "{mode:?}"
        );
        // Serializing translates everything and gives the eager module's functions (in the
        // order they were translated).
        let eager = Module::new(&self::engine(CompilationMode::Eager), TWO_FUNCS).unwrap();
        let eager = eager.compiled();
        let blob = module.serialize().unwrap();
        let lazy = ember::bytecode::format::decode(&blob).unwrap();
        assert_eq!(lazy.bodies.len(), eager.bodies.len());
        for (l, e) in lazy.bodies.iter().zip(&eager.bodies) {
            assert_eq!(
                (l.frame_size, l.num_params, l.zeroed_locals, l.num_results),
                (e.frame_size, e.num_params, e.zeroed_locals, e.num_results),
                "{mode:?}"
            );
            assert_eq!(lazy.body_code(l), eager.body_code(e), "{mode:?}");
        }
    }
}

/// A body that is invalid (type error) in an otherwise well-formed module.
const INVALID_BODY: &str = r#"(module
  (func (export "ok") (param i32) (result i32) local.get 0)
  (func (export "bad") (param i32) (result i32) i64.const 1))"#;

#[test]
fn only_lazy_mode_defers_validation() {
    for mode in [CompilationMode::Eager, CompilationMode::LazyTranslation] {
        assert!(
            matches!(
                Module::new(&engine(mode), INVALID_BODY),
                Err(Error::Compile(_))
            ),
            "{mode:?} must reject an invalid body at Module::new"
        );
    }
    let engine = engine(CompilationMode::Lazy);
    let module = Module::new(&engine, INVALID_BODY).expect("Lazy checks only the structure");
    let mut store = Store::new(&engine, ());
    assert_eq!(call(&mut store, &module, "ok", 3).unwrap(), 3);
    match call(&mut store, &module, "bad", 3) {
        Err(Error::Trap(t)) => assert!(t.to_string().contains("failed to compile"), "{t}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    assert!(matches!(module.translate_all(), Err(Error::Compile(_))));
    assert!(module.serialize().is_err());
}

#[test]
fn translation_limits_surface_on_first_call_in_lazy_translation() {
    // Valid wasm whose frame needs more than 65535 slots: 50000 locals + 20000 operands.
    let mut body = String::from("(func (export \"big\") (param i32) (result i32) (local");
    body.push_str(&" i32".repeat(49_999));
    body.push(')');
    body.push_str(&" i32.const 0".repeat(20_000));
    body.push_str(&" drop".repeat(20_000));
    body.push_str(" local.get 0)");
    let wat = format!("(module {body})");
    assert!(Module::new(&engine(CompilationMode::Eager), &wat).is_err());
    let engine = engine(CompilationMode::LazyTranslation);
    let module = Module::new(&engine, &wat).expect("valid wasm");
    let mut store = Store::new(&engine, ());
    assert!(matches!(
        call(&mut store, &module, "big", 1),
        Err(Error::Trap(_))
    ));
}

#[test]
fn a_host_function_may_call_a_function_that_is_not_translated_yet() {
    // wasm -> host -> wasm re-entry while the outer call runs the same module's code.
    let wat = r#"(module
      (import "host" "reenter" (func $reenter (param i32) (result i32)))
      (func (export "outer") (param i32) (result i32) local.get 0 call $reenter i32.const 1 i32.add)
      (func (export "inner") (param i32) (result i32) local.get 0 i32.const 100 i32.mul))"#;
    let engine = engine(CompilationMode::LazyTranslation);
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_new(
            "host",
            "reenter",
            ember::FuncType::new([ember::ValType::I32], [ember::ValType::I32]),
            |mut caller, args, results| {
                let inner = caller
                    .get_export("inner")
                    .and_then(|e| e.into_func())
                    .expect("inner exported");
                inner
                    .call(&mut caller, args, results)
                    .map_err(|e| ember::Trap::host(e.to_string()))
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let f = instance.get_func(&store, "outer").unwrap();
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[Val::I32(4)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(401));
}
