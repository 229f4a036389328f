//! Which declared locals a call must zero: those the function may read before it writes them.
//!
//! Wasm zeroes every declared local on entry, and the executor does it on every call. Most
//! locals that compilers produce are written before they are read, so the translator finds, in
//! its one pass, the locals whose first read may come before a write, and the function's
//! [`FuncBody::zeroed_locals`](ember_bytecode::module::FuncBody::zeroed_locals) covers only the
//! locals up to the last of those.
//!
//! The analysis is definite assignment over structured control flow: a local is *assigned* at
//! a point if a `local.set` or `local.tee` of it is on every path from the function's entry to
//! that point. The set of assigned locals is a bit set over slots (functions with more than 64
//! parameters and locals zero all of them). Each control frame keeps the set at its entry (for
//! an `else` arm, and the `if` without one) and the intersection of the sets at the branches
//! to its end; at the end, the set is that intersection with the fall-through's. Branches to a
//! loop go to its head, where the set is the one at entry (writes only add to it).

use super::{Ctrl, FuncTranslator, Kind};
use ember_bytecode::Slot;

/// A set of slots `0..64`.
pub(crate) type Assigned = u64;

/// The set at a point no path reaches: the identity of intersection.
pub(crate) const UNREACHED: Assigned = u64::MAX;

impl FuncTranslator<'_> {
    /// Starts the analysis (parameters are assigned; `self.base` slots in all).
    pub(crate) fn init_locals_analysis(&mut self) {
        if self.base > 64 {
            // Too many locals for the set: zero all of them.
            self.zero_end = self.base;
            self.assigned = UNREACHED;
        } else {
            self.zero_end = self.params;
            self.assigned = 1u64.checked_shl(self.params).map_or(u64::MAX, |b| b - 1);
        }
    }

    /// `local.get x`: if `x` may not be written yet, calls must zero it.
    pub(crate) fn note_local_read(&mut self, x: Slot) {
        if self.assigned >> (x % 64) & 1 == 0 {
            self.zero_end = self.zero_end.max(u32::from(x) + 1);
        }
    }

    /// `local.set x` / `local.tee x` (in reachable code).
    pub(crate) fn note_local_write(&mut self, x: Slot) {
        self.assigned |= 1 << (x % 64);
    }

    /// A branch (taken from here) to the end of frame `idx`, not a loop.
    pub(crate) fn note_branch_to_end(&mut self, idx: u32) {
        let assigned = self.assigned;
        if let Some(f) = self.b.ctrl.get_mut(idx as usize) {
            f.branched = true;
            f.label_assigned &= assigned;
        }
    }

    /// The `else` of `frame`: its arm starts from the set at the `if`.
    pub(crate) fn note_else(&mut self, frame: &Ctrl) {
        self.assigned = frame.entry_assigned;
    }

    /// The `end` of `frame` (not the function's), reached by falling through if `fallthrough`.
    pub(crate) fn note_end(&mut self, frame: &Ctrl, fallthrough: bool) {
        let mut set = if fallthrough {
            self.assigned
        } else {
            UNREACHED
        };
        match frame.kind {
            Kind::Loop => {}
            Kind::If => set &= frame.label_assigned & frame.entry_assigned,
            _ => set &= frame.label_assigned,
        }
        self.assigned = set;
    }

    /// How many declared locals, from the first, a call must zero.
    pub(crate) fn locals_to_zero(&self) -> u32 {
        self.zero_end - self.params
    }
}
