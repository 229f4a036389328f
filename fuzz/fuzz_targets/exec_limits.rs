//! Resource limits: deep recursion, huge frames, big memories and tables, grow storms and
//! bulk operations over large ranges, under varied `Config` stack limits. Every call must
//! return a value or a trap of the expected kind; nothing may panic or abort. A global
//! allocator that refuses any single allocation above [`ALLOC_LIMIT`] makes the engine's
//! allocation-failure paths (`try_reserve`) reachable.
#![no_main]

use arbitrary::Arbitrary;
use ember::{Config, Engine, Error, Instance, Module, Store, TrapCode, Val};
use libfuzzer_sys::fuzz_target;
use std::alloc::{GlobalAlloc, Layout, System};

/// Largest single allocation the fuzzed process may make (bigger ones fail, like on a small
/// device).
const ALLOC_LIMIT: usize = 256 << 20;

struct Limited;

// SAFETY: forwards to `System`, except that over-large requests fail with null, which the
// `GlobalAlloc` contract allows.
unsafe impl GlobalAlloc for Limited {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ALLOC_LIMIT {
            return std::ptr::null_mut();
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ALLOC_LIMIT {
            return std::ptr::null_mut();
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > ALLOC_LIMIT {
            return std::ptr::null_mut();
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Limited = Limited;

/// One stress action; each is an exported function of the generated module.
#[derive(Arbitrary, Debug)]
enum Op {
    /// Direct recursion `n` deep through the function with many locals.
    Recurse(u32),
    /// Recursion `n` deep through `call_indirect`.
    RecurseIndirect(u32),
    /// Mutual recursion with multi-value results, `n` deep.
    RecurseMulti(u32),
    /// `memory.grow` by `delta` pages.
    MemGrow(u32),
    /// `count` iterations of `memory.grow(delta)`.
    MemGrowStorm { count: u16, delta: u8 },
    /// `memory.fill`.
    MemFill { dst: u32, val: u8, len: u32 },
    /// `memory.copy`.
    MemCopy { dst: u32, src: u32, len: u32 },
    /// A load at `addr` (out of bounds for big addresses).
    Load(u32),
    /// `table.grow` by `delta`.
    TableGrow(u32),
    /// `table.fill` with a function reference.
    TableFill { dst: u32, len: u32 },
    /// `call_indirect` at `index`.
    CallIndirect(u32),
}

#[derive(Arbitrary, Debug)]
struct Input {
    max_stack_slots: u32,
    max_call_depth: u32,
    max_memory_pages: u32,
    max_table_elements: u32,
    locals: u16,
    mem_min: u16,
    mem_max: Option<u32>,
    table_min: u32,
    table_max: Option<u32>,
    ops: Vec<Op>,
}

/// The module: one memory, one funcref table (with `$rec_ind` at index 0), stress functions.
fn module_text(input: &Input) -> String {
    let locals = input.locals % 50_001;
    let mem_min = u32::from(input.mem_min) % 65_537;
    let mem_max = match input.mem_max {
        Some(m) => format!(" {}", (m % 65_537).max(mem_min)),
        None => String::new(),
    };
    // Tables of up to 2^32 - 1 elements: allocation fails cleanly above ALLOC_LIMIT.
    let table_min = input.table_min.max(1);
    let table_max = match input.table_max {
        Some(m) => format!(" {}", m.max(table_min)),
        None => String::new(),
    };
    format!(
        r#"(module
  (type $r (func (param i32) (result i32)))
  (memory (export "mem") {mem_min}{mem_max})
  (table $t {table_min}{table_max} funcref)
  (elem (i32.const 0) $rec_ind)
  (func $rec (export "rec") (param i32) (result i32) (local {locals_decl})
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func $rec_ind (export "rec_ind") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call_indirect $t (type $r) (i32.sub (local.get 0) (i32.const 1))
                                     (i32.const 0))
                     (i32.const 1)))))
  (func $multi (export "multi") (param i32) (result i32 i64 f64 i32)
    (if (result i32 i64 f64 i32) (i32.eqz (local.get 0))
      (then (i32.const 0) (i64.const 1) (f64.const 2) (i32.const 3))
      (else (call $multi2 (i32.sub (local.get 0) (i32.const 1))))))
  (func $multi2 (param i32) (result i32 i64 f64 i32)
    (call $multi (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "storm") (param $n i32) (param $d i32) (result i32)
    (loop $l
      (drop (memory.grow (local.get $d)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    (memory.size))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.func $rec_ind) (local.get 0)))
  (func (export "tfill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $rec) (local.get 1)))
  (func (export "icall") (param i32) (result i32)
    (call_indirect $t (type $r) (i32.const 3) (local.get 0)))
)"#,
        locals_decl = if locals == 0 {
            String::new()
        } else {
            vec!["i64"; usize::from(locals)].join(" ")
        },
    )
}

/// Calls `name`; the outcome must be success or one of the `allowed` trap codes.
fn call(
    store: &mut Store<()>,
    inst: &Instance,
    name: &str,
    args: &[Val],
    nres: usize,
    allowed: &[TrapCode],
) -> Option<Vec<Val>> {
    let func = inst.get_func(&*store, name).expect("export");
    let ty = func.ty(&*store);
    let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    assert_eq!(results.len(), nres);
    match func.call(&mut *store, args, &mut results) {
        Ok(()) => Some(results),
        Err(Error::Trap(t)) if allowed.contains(&t.code()) => None,
        Err(e) => panic!("{name}({args:?}): unexpected error {e}"),
    }
}

fuzz_target!(|input: Input| {
    let config = Config::default()
        .max_stack_slots(input.max_stack_slots as usize % (1 << 26))
        .max_call_depth(input.max_call_depth as usize % (1 << 20))
        .max_memory_pages(input.max_memory_pages % 70_000)
        .max_table_elements(input.max_table_elements);
    let engine = Engine::new(&config);
    let config = engine.config().clone();
    let module = Module::new(&engine, module_text(&input)).expect("generated module is valid");
    let mut store = Store::new(&engine, ());
    let inst = match Instance::new(&mut store, &module, &[]) {
        Ok(i) => i,
        // A memory or table over the configured limits, or too big to allocate.
        Err(Error::Limit(_)) => return,
        Err(e) => panic!("instantiation: {e}"),
    };
    let mem = inst.get_memory(&store, "mem").expect("memory");
    let so = [TrapCode::StackOverflow];
    let oob = [TrapCode::MemoryOutOfBounds, TrapCode::StackOverflow];
    let i32v = |x: u32| Val::I32(x as i32);
    for op in input.ops.iter().take(16) {
        let pages_before = mem.size(&store);
        match *op {
            Op::Recurse(n) => {
                let n = n % 2_000_000;
                if let Some(r) = call(&mut store, &inst, "rec", &[i32v(n)], 1, &so) {
                    assert_eq!(r[0], i32v(n));
                }
            }
            Op::RecurseIndirect(n) => {
                let n = n % 2_000_000;
                // The table may have been refilled with `$rec` (other type): signature trap.
                let allowed = [TrapCode::StackOverflow, TrapCode::BadSignature];
                if let Some(r) = call(&mut store, &inst, "rec_ind", &[i32v(n)], 1, &allowed) {
                    assert_eq!(r[0], i32v(n));
                }
            }
            Op::RecurseMulti(n) => {
                let n = n % 2_000_000;
                if let Some(r) = call(&mut store, &inst, "multi", &[i32v(n)], 4, &so) {
                    assert_eq!(r[3], Val::I32(3));
                }
            }
            Op::MemGrow(d) => {
                // A tiny `max_stack_slots` / `max_call_depth` makes every call overflow.
                let Some(r) = call(&mut store, &inst, "grow", &[i32v(d)], 1, &so) else {
                    continue;
                };
                let after = mem.size(&store);
                if r[0] == Val::I32(-1) {
                    assert_eq!(after, pages_before);
                } else {
                    assert_eq!(r[0], i32v(pages_before));
                    assert_eq!(after, pages_before + d);
                    assert!(after <= config.max_memory_pages);
                }
            }
            Op::MemGrowStorm { count, delta } => {
                let args = [i32v(u32::from(count % 2000)), i32v(u32::from(delta))];
                let Some(r) = call(&mut store, &inst, "storm", &args, 1, &so) else {
                    continue;
                };
                assert_eq!(r[0], i32v(mem.size(&store)));
                assert!(mem.size(&store) <= 65_536);
                assert!(mem.size(&store) <= config.max_memory_pages.max(pages_before));
            }
            Op::MemFill { dst, val, len } => {
                let args = [i32v(dst), i32v(u32::from(val)), i32v(len)];
                call(&mut store, &inst, "fill", &args, 0, &oob);
            }
            Op::MemCopy { dst, src, len } => {
                call(
                    &mut store,
                    &inst,
                    "copy",
                    &[i32v(dst), i32v(src), i32v(len)],
                    0,
                    &oob,
                );
            }
            Op::Load(addr) => {
                call(&mut store, &inst, "load", &[i32v(addr)], 1, &oob);
            }
            Op::TableGrow(d) => {
                call(&mut store, &inst, "tgrow", &[i32v(d)], 1, &so);
            }
            Op::TableFill { dst, len } => {
                let oob = [TrapCode::TableOutOfBounds, TrapCode::StackOverflow];
                call(&mut store, &inst, "tfill", &[i32v(dst), i32v(len)], 0, &oob);
            }
            Op::CallIndirect(i) => {
                let allowed = [
                    TrapCode::UndefinedElement,
                    TrapCode::UninitializedElement,
                    TrapCode::BadSignature,
                    TrapCode::StackOverflow,
                ];
                call(&mut store, &inst, "icall", &[i32v(i)], 1, &allowed);
            }
        }
        assert_eq!(mem.data(&store).len(), mem.size(&store) as usize * 65_536);
    }
});
