//! After warm-up, translating a module allocates only for its output and for wasmparser's
//! per-module state: nothing per function, nothing per operator.
//!
//! A counting global allocator counts allocation calls (alloc + realloc) made while translating.
//! Two modules with identical module-level sections but different amounts of code — F vs 8F
//! functions of the same bodies, and bodies 8 times as long — must cost the same number of
//! allocations. Growth of any per-function buffer (operand stack, control stack, fixups,
//! validator allocations, operator reader stack) would show up as a difference, as would a
//! per-function or per-operator allocation.

use std::alloc::{GlobalAlloc, Layout, System};

struct Counting;

thread_local! {
    /// Only allocations of the measuring thread are counted (the test harness runs tests on
    /// other threads at the same time), so the count is per thread too.
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static ALLOCS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn note() {
    if COUNTING.with(|c| c.get()) {
        ALLOCS.with(|a| a.set(a.get() + 1));
    }
}

/// Allocations counted on this thread so far.
fn allocs() -> usize {
    ALLOCS.with(|a| a.get())
}

// SAFETY: forwards every call to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        note();
        // SAFETY: the caller upholds `alloc`'s contract for `l`; passed through as is.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: `p` came from `System` (every allocation here does) with layout `l`.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        note();
        // SAFETY: `p` came from `System` with layout `l`; the caller upholds `realloc`'s contract.
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A function body exercising every buffer: nested blocks with params/results, loops,
/// `br_table` with stubs, calls, lazy locals, fused compares. Repeated `reps` times.
fn body(reps: usize) -> String {
    let unit = r#"
      local.get 0
      block (param i32) (result i32)
        loop (param i32) (result i32)
          local.get 1 i32.const 1 i32.add local.tee 1
          local.get 0 i32.lt_s br_if 1
          block (result i32)
            block (result i32)
              local.get 2 local.get 1 br_table 0 1 2
            end
            i32.const 1 i32.add
          end
          i32.add
          local.get 1 i32.const 100 i32.gt_u br_if 0
        end
      end
      local.get 0 local.get 1 call $g
      if (param i32) (result i32) i32.const 3 i32.mul else i32.const 4 i32.sub end
      local.set 2
    "#;
    let mut s = String::new();
    for _ in 0..reps {
        s.push_str(unit);
    }
    s
}

fn module(funcs: usize, reps: usize) -> Vec<u8> {
    let mut text = String::from(
        r#"(module
        (memory 1)
        (table 4 funcref)
        (func $g (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    "#,
    );
    for _ in 0..funcs {
        text.push_str("(func (param i32) (result i32) (local i32 i32)\n");
        text.push_str(&body(reps));
        text.push_str("local.get 2)\n");
    }
    text.push(')');
    wat::parse_str(&text).expect("valid wat")
}

fn count(t: &mut ember_validate::Translator, wasm: &[u8]) -> (usize, usize) {
    let before = allocs();
    COUNTING.with(|c| c.set(true));
    let m = t.translate(wasm);
    COUNTING.with(|c| c.set(false));
    let n = allocs() - before;
    let m = m.expect("translates");
    let code = m.code.len();
    drop(m);
    (n, code)
}

#[test]
fn translation_allocates_nothing_per_function_or_operator() {
    let small = module(4, 1);
    let big = module(32, 8);

    // Two translators with the same history, each warmed up on the big module (which grows
    // every reusable buffer), measured in lockstep so that nothing a translator keeps between
    // modules can make the two counts differ.
    let mut ta = ember_validate::Translator::new();
    let mut tb = ember_validate::Translator::new();
    let (cold, _) = count(&mut ta, &big);
    count(&mut tb, &big);

    for round in 0..8 {
        let (n_small, code_small) = count(&mut ta, &small);
        let (n_big, code_big) = count(&mut tb, &big);
        eprintln!(
            "round {round}: small module {n_small} allocations ({code_small} bytes of bytecode), \
             big module {n_big} allocations ({code_big} bytes)"
        );
        assert!(code_big > 50 * code_small);
        // 4 functions of 1 unit vs 32 functions of 8 units (64 times the code): same count, so
        // neither the number of functions nor their size costs an allocation.
        assert_eq!(
            n_small, n_big,
            "allocation count depends on the amount of code"
        );
        // What remains is per module: the output (types, funcs, tables, memories, exports,
        // bodies, code, ...) and the module validator's state; a few dozen.
        assert!(n_big <= 64, "{n_big} allocations for one module");
        // The first (cold) translation had to grow the reusable buffers.
        assert!(cold > n_big);
    }
}

#[test]
fn lazily_translated_functions_allocate_nothing() {
    // A lazily loaded module's bodies translated one by one (as on their first calls) reuse the
    // same buffers: after warm-up, translating every body allocates nothing but the output code
    // (reserved up front here).
    let big = module(32, 8);
    let mut t = ember_validate::Translator::new();
    let (m, lazy) = t.translate_lazy(&big, true).expect("valid");
    let n = m.bodies.len();
    let mut warm = Vec::new();
    for k in 0..n {
        t.translate_body(&big, &m, &lazy, k, &mut warm)
            .expect("translates");
    }
    let mut code = Vec::with_capacity(warm.len());
    let before = allocs();
    COUNTING.with(|c| c.set(true));
    for k in (0..n).rev() {
        let body = t.translate_body(&big, &m, &lazy, k, &mut code);
        assert!(body.is_ok());
    }
    COUNTING.with(|c| c.set(false));
    let allocs = allocs() - before;
    assert_eq!(code.len(), warm.len());
    assert_eq!(
        allocs, 0,
        "{allocs} allocations translating {n} bodies lazily"
    );
}
