//! A long-lived translator fed endless modules with distinct types keeps working, and the heap it
//! retains stays bounded: nothing it keeps between modules grows with the types it has seen (the
//! module validator's state lives for one module).

use ember_validate::Translator;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

/// Counts live heap bytes (allocated minus freed).
struct Live;
static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Live {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        // SAFETY: `p` was allocated by `System` with layout `l`.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - l.size() as isize, Ordering::Relaxed);
        // SAFETY: `p` was allocated by `System` with layout `l`.
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static GLOBAL: Live = Live;

/// The params of a type unique to `n`: `f32`, then `n` in binary (i32 = 0, i64 = 1).
fn params_for(n: usize) -> Vec<&'static str> {
    let bits = usize::BITS - n.leading_zeros();
    let mut p = vec!["f32"];
    p.extend(
        (0..bits)
            .rev()
            .map(|b| if n >> b & 1 == 1 { "i64" } else { "i32" }),
    );
    p
}

/// A module whose single function type is unique to `n`.
fn module_with_distinct_type(n: usize) -> Vec<u8> {
    let params = params_for(n).join(" ");
    wat::parse_str(format!(
        "(module (func (param {params}) (result f32) (local.get 0)))"
    ))
    .unwrap()
}

#[test]
fn retained_heap_stays_bounded_over_many_distinct_types() {
    let max = 4096;
    // Built up front so only the translator's own allocations change the live count below.
    let modules: Vec<Vec<u8>> = (1..=3 * max).map(module_with_distinct_type).collect();
    let mut t = Translator::new();
    let base = LIVE.load(Ordering::Relaxed);
    let mut peak_first_lifetime = 0;
    for (i, wasm) in modules.iter().enumerate() {
        let m = t.translate(wasm).unwrap();
        assert_eq!(m.types[0].params().len(), params_for(i + 1).len());
        drop(m);
        let retained = LIVE.load(Ordering::Relaxed) - base;
        if i < max {
            peak_first_lifetime = peak_first_lifetime.max(retained);
        }
    }
    let retained_at_end = LIVE.load(Ordering::Relaxed) - base;
    // A type arena kept across modules would hold three times the types of the first third.
    assert!(
        retained_at_end <= peak_first_lifetime * 3 / 2,
        "retained {retained_at_end} bytes after {} distinct types; peak over the first {max} was \
         {peak_first_lifetime}",
        3 * max
    );
}
