//! The fast loop's hand-offs to the executor: stack growth inside a call, call-depth and
//! slot-limit traps, bulk memory bounds, globals, and calls across instances.

use crate::config::Config;
use crate::engine::Engine;
use crate::error::{Error, TrapCode};
use crate::linker::Linker;
use crate::module::Module;
use crate::store::Store;

fn instance(engine: &Engine, wat: &str) -> (Store<()>, crate::Instance) {
    let module = Module::new(engine, wat).expect("compiles");
    let mut store = Store::new(engine, ());
    let linker = Linker::<()>::new(engine);
    let inst = linker
        .instantiate(&mut store, &module)
        .expect("instantiates");
    (store, inst)
}

const REC: &str = r#"(module
  (global $g (mut i32) (i32.const 0))
  ;; Recursion with 40 locals per frame: the value stack must grow while the fast loop runs.
  (func $down (export "down") (param $n i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $down (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
  (func (export "count") (result i32) (global.get $g))
  (memory 1)
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))"#;

#[test]
fn deep_recursion_grows_the_stack_then_traps_at_the_limit() {
    let engine = Engine::new(&Config::default().max_call_depth(100_000));
    let (mut store, inst) = instance(&engine, REC);
    let down = inst
        .get_typed_func::<i32, i32>(&store, "down")
        .expect("export");
    let count = inst
        .get_typed_func::<(), i32>(&store, "count")
        .expect("export");
    assert_eq!(down.call(&mut store, 5000).ok(), Some(5000));
    assert_eq!(count.call(&mut store, ()).ok(), Some(5001));
    // Past the call-depth limit: a trap, and the engine stays usable.
    let e = down.call(&mut store, 200_000).expect_err("too deep");
    assert!(matches!(e, Error::Trap(t) if t.code() == TrapCode::StackOverflow));
    assert_eq!(down.call(&mut store, 10).ok(), Some(10));
}

#[test]
fn slot_limit_traps_inside_the_fast_loop() {
    let engine = Engine::new(&Config::default().max_stack_slots(4096));
    let (mut store, inst) = instance(&engine, REC);
    let down = inst
        .get_typed_func::<i32, i32>(&store, "down")
        .expect("export");
    let e = down.call(&mut store, 1000).expect_err("needs ~45k slots");
    assert!(matches!(e, Error::Trap(t) if t.code() == TrapCode::StackOverflow));
    assert_eq!(down.call(&mut store, 20).ok(), Some(20));
}

#[test]
fn bulk_memory_bounds_in_the_fast_loop() {
    let engine = Engine::default();
    let (mut store, inst) = instance(&engine, REC);
    let fill = inst
        .get_typed_func::<(i32, i32, i32), ()>(&store, "fill")
        .expect("export");
    let copy = inst
        .get_typed_func::<(i32, i32, i32), ()>(&store, "copy")
        .expect("export");
    let load = inst
        .get_typed_func::<i32, i32>(&store, "load")
        .expect("export");
    fill.call(&mut store, (10, 7, 5)).expect("fill");
    assert_eq!(load.call(&mut store, 14).ok(), Some(7));
    assert_eq!(load.call(&mut store, 15).ok(), Some(0));
    // Overlapping copy forward.
    copy.call(&mut store, (12, 10, 5)).expect("copy");
    assert_eq!(load.call(&mut store, 16).ok(), Some(7));
    // Out of bounds: trap, nothing written.
    let e = fill.call(&mut store, (65530, 9, 7)).expect_err("oob");
    assert!(matches!(e, Error::Trap(t) if t.code() == TrapCode::MemoryOutOfBounds));
    assert_eq!(load.call(&mut store, 65535).ok(), Some(0));
    let e = copy.call(&mut store, (0, 65535, 2)).expect_err("oob");
    assert!(matches!(e, Error::Trap(t) if t.code() == TrapCode::MemoryOutOfBounds));
    assert_eq!(load.call(&mut store, 0).ok(), Some(0));
    // Zero length at the end is fine.
    fill.call(&mut store, (65536, 1, 0))
        .expect("empty fill at end");
}

#[test]
fn calls_between_instances_leave_and_reenter_the_fast_loop() {
    let engine = Engine::default();
    let callee = Module::new(
        &engine,
        r#"(module (global $g (mut i32) (i32.const 100))
             (func (export "bump") (param i32) (result i32)
               (global.set $g (i32.add (global.get $g) (local.get 0)))
               (global.get $g)))"#,
    )
    .expect("compiles");
    let caller = Module::new(
        &engine,
        r#"(module (import "m" "bump" (func $bump (param i32) (result i32)))
             (global $g (mut i32) (i32.const 1))
             (func (export "run") (param $n i32) (result i32) (local $acc i32)
               (loop $l
                 (local.set $acc (i32.add (local.get $acc) (call $bump (global.get $g))))
                 (global.set $g (i32.add (global.get $g) (i32.const 1)))
                 (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
               (local.get $acc)))"#,
    )
    .expect("compiles");
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::<()>::new(&engine);
    let a = linker.instantiate(&mut store, &callee).expect("callee");
    linker.instance(&mut store, "m", a).expect("define");
    let b = linker.instantiate(&mut store, &caller).expect("caller");
    let run = b.get_typed_func::<i32, i32>(&store, "run").expect("export");
    // bump(1)=101, bump(2)=103, bump(3)=106: 310; each instance keeps its own globals.
    assert_eq!(run.call(&mut store, 3).ok(), Some(310));
}

#[test]
fn fused_address_loads_wrap_like_separate_instructions() {
    let engine = Engine::default();
    let (mut store, inst) = instance(
        &engine,
        r#"(module (memory 1)
             (data (i32.const 16) "\01\02\03\04\05\06\07\08")
             (func (export "reg") (param i32 i32) (result i64)
               (i64.load offset=4 (i32.add (local.get 0) (local.get 1))))
             (func (export "imm") (param i32) (result i32)
               (i32.load16_s offset=2 (i32.add (local.get 0) (i32.const 0x20)))))"#,
    );
    let reg = inst
        .get_typed_func::<(i32, i32), i64>(&store, "reg")
        .expect("export");
    let imm = inst
        .get_typed_func::<i32, i32>(&store, "imm")
        .expect("export");
    // 0xFFFF_FFF0 + 0x1C wraps to 12; + offset 4 = 16.
    assert_eq!(
        reg.call(&mut store, (-16, 0x1C)).ok(),
        Some(0x0807_0605_0403_0201)
    );
    // -18 + 0x20 = 14; + 2 = 16: bytes 01 02.
    assert_eq!(imm.call(&mut store, -18).ok(), Some(0x0201));
    // No wrap in the offset addition: 65535 + 0 + 4 is out of bounds.
    let e = reg.call(&mut store, (65535, 0)).expect_err("oob");
    assert!(matches!(e, Error::Trap(t) if t.code() == TrapCode::MemoryOutOfBounds));
}
