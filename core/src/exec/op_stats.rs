//! Executed-instruction counters (cargo feature `op-stats`, for choosing superinstructions by
//! measured frequency): how often each instruction and each pair of consecutive instructions
//! ran. Counting forces the portable dispatch loop (`build.rs`), which records every
//! instruction before running it; instructions the executor's slow path runs after a fast-path
//! stop are counted once, by the fast loop.
//!
//! The counters are process-wide (single-threaded use; relaxed atomics only keep them `Sync`).

use alloc::vec::Vec;
use core::sync::atomic::{AtomicU16, AtomicU64, Ordering::Relaxed};
use ember_bytecode::*;

/// Opcode keys: primary opcodes `0..256`, extended ones `256 + second byte`.
const KEYS: usize = 512;

static SINGLE: [AtomicU64; KEYS] = [const { AtomicU64::new(0) }; KEYS];
static PAIRS: [AtomicU64; KEYS * KEYS] = [const { AtomicU64::new(0) }; KEYS * KEYS];
/// The key of the previously executed instruction (`KEYS` = none).
static PREV: AtomicU16 = AtomicU16::new(KEYS as u16);

macro_rules! names {
    (
        primary { $( $(#[$pmeta:meta])* $PName:ident $psnake:ident $pmn:literal { $($pf:ident : $pt:ty),* } $([$ptail:ty; $pcount:ident])? ; )* }
        ext { $( $(#[$emeta:meta])* $EName:ident $esnake:ident $emn:literal { $($ef:ident : $et:ty),* } $([$etail:ty; $ecount:ident])? ; )* }
    ) => {
        /// Mnemonic by key.
        static NAMES: [&str; KEYS] = {
            let mut t = ["?"; KEYS];
            $( t[op::$PName as usize] = $pmn; )*
            $( t[256 + ext_op::$EName as usize] = $emn; )*
            t
        };
    };
}
for_each_op!(names);

/// Records the instruction whose first bytes are `b0`, `b1`.
#[inline(always)]
pub(super) fn record(b0: u8, b1: u8) {
    let key = if b0 == EXT_PREFIX {
        256 + usize::from(b1)
    } else {
        usize::from(b0)
    };
    SINGLE[key].fetch_add(1, Relaxed);
    let prev = usize::from(PREV.swap(key as u16, Relaxed));
    if prev < KEYS {
        PAIRS[prev * KEYS + key].fetch_add(1, Relaxed);
    }
}

/// Clears every counter.
pub fn reset() {
    for c in SINGLE.iter().chain(PAIRS.iter()) {
        c.store(0, Relaxed);
    }
    PREV.store(KEYS as u16, Relaxed);
}

/// Executed-instruction counts, most frequent first.
pub fn singles() -> Vec<(&'static str, u64)> {
    let mut v: Vec<_> = SINGLE
        .iter()
        .enumerate()
        .map(|(k, c)| (NAMES[k], c.load(Relaxed)))
        .filter(|&(_, n)| n != 0)
        .collect();
    v.sort_by_key(|s| core::cmp::Reverse(s.1));
    v
}

/// Counts of consecutive instruction pairs `(first, second)`, most frequent first.
pub fn pairs() -> Vec<(&'static str, &'static str, u64)> {
    let mut v: Vec<_> = PAIRS
        .iter()
        .enumerate()
        .map(|(k, c)| (NAMES[k / KEYS], NAMES[k % KEYS], c.load(Relaxed)))
        .filter(|&(_, _, n)| n != 0)
        .collect();
    v.sort_by_key(|p| core::cmp::Reverse(p.2));
    v
}

#[cfg(all(test, feature = "wat"))]
mod tests {
    use crate::{Engine, Instance, Module, Store};

    // The counters are process-wide: run alone (`cargo test -p ember --features op-stats --lib
    // op_stats`), as .ci/run does.
    #[test]
    fn counts_every_executed_instruction_and_pair() {
        let engine = Engine::default();
        let module = Module::new(
            &engine,
            r#"(module (func (export "f") (param i32) (result i32) (local i32)
                 (loop
                   (local.set 1 (i32.add (local.get 1) (local.get 0)))
                   (br_if 0 (local.tee 0 (i32.add (local.get 0) (i32.const -1)))))
                 (local.get 1)))"#,
        )
        .unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
        super::reset();
        assert_eq!(f.call(&mut store, 10).unwrap(), 55);
        let singles = super::singles();
        let count = |name: &str| singles.iter().find(|s| s.0 == name).map_or(0, |s| s.1);
        assert_eq!(count("i32.add"), 10);
        assert_eq!(count("i32.add_imm"), 10);
        assert_eq!(count("br_if_nez"), 10);
        let pairs = super::pairs();
        let pair = |a: &str, b: &str| {
            pairs
                .iter()
                .find(|p| p.0 == a && p.1 == b)
                .map_or(0, |p| p.2)
        };
        assert_eq!(pair("i32.add", "i32.add_imm"), 10);
        assert_eq!(pair("br_if_nez", "i32.add"), 9);
    }
}
