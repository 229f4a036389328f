//! `Config::max_memory_pages` / `max_table_elements`: a module cannot make the host commit more
//! memory than the embedder allows.

use ember::{Config, Engine, Error, Linker, Module, Store};

fn instantiate(config: &Config, wat: &str) -> (Result<ember::Instance, Error>, Store<()>) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let result = Linker::new(&engine).instantiate(&mut store, &module);
    (result, store)
}

#[test]
fn declared_memory_over_the_limit_is_a_limit_error() {
    let config = Config::default().max_memory_pages(10);
    let (ok, _) = instantiate(&config, "(module (memory 10))");
    assert!(ok.is_ok(), "{ok:?}");
    let (err, _) = instantiate(&config, "(module (memory 11))");
    assert!(matches!(err, Err(Error::Limit(_))), "{err:?}");
}

#[test]
fn the_default_limit_refuses_a_4_gib_memory() {
    let (err, _) = instantiate(&Config::default(), "(module (memory 65536))");
    assert!(matches!(err, Err(Error::Limit(_))), "{err:?}");
}

#[test]
fn memory_grow_past_the_limit_returns_minus_one() {
    let config = Config::default().max_memory_pages(4);
    let (instance, mut store) = instantiate(
        &config,
        r#"(module (memory 1)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    let grow = instance
        .unwrap()
        .get_typed_func::<i32, i32>(&store, "grow")
        .unwrap();
    assert_eq!(grow.call(&mut store, 3).unwrap(), 1);
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 0).unwrap(), 4);
}

#[test]
fn table_limits_apply_to_declaration_and_growth() {
    let config = Config::default().max_table_elements(100);
    let (err, _) = instantiate(&config, "(module (table 101 funcref))");
    assert!(matches!(err, Err(Error::Limit(_))), "{err:?}");
    let (err, _) = instantiate(&Config::default(), "(module (table 0xffffffff funcref))");
    assert!(matches!(err, Err(Error::Limit(_))), "{err:?}");
    let (instance, mut store) = instantiate(
        &config,
        r#"(module (table 50 funcref)
             (func (export "grow") (param i32) (result i32)
               (table.grow (ref.null func) (local.get 0))))"#,
    );
    let grow = instance
        .unwrap()
        .get_typed_func::<i32, i32>(&store, "grow")
        .unwrap();
    assert_eq!(grow.call(&mut store, 50).unwrap(), 50);
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
}

#[test]
fn api_created_objects_respect_the_limits() {
    use ember::bytecode::types::{Limits, MemoryType};
    let engine = Engine::new(&Config::default().max_memory_pages(2));
    let mut store = Store::new(&engine, ());
    let ty = |min| MemoryType {
        limits: Limits { min, max: None },
    };
    assert!(ember::Memory::new(&mut store, ty(3)).is_err());
    let m = ember::Memory::new(&mut store, ty(1)).unwrap();
    assert_eq!(m.grow(&mut store, 1).unwrap(), 1);
    assert!(matches!(m.grow(&mut store, 1), Err(Error::Limit(_))));
}
