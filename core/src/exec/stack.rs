//! The value stack and the frame stack.

use crate::error::TrapCode;
use crate::value::Val;
use alloc::vec::Vec;

/// A suspended caller: where to resume when the current function returns.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    /// Absolute offset in the caller module's code to resume at.
    pub(super) pc: usize,
    /// The caller's frame base in the value stack.
    pub(super) fp: usize,
    /// The caller's instance (store index).
    pub(super) instance: u32,
}

/// The value stack and frame stack, reused between calls.
///
/// While a host function runs, the executor lends its stack back to the store so a nested
/// host→wasm call continues on the same stack (above `top`): the slot and depth limits then hold
/// across host re-entry, and nested calls allocate nothing.
#[derive(Debug, Default)]
pub(crate) struct Stack {
    /// Untyped 64-bit slots of all frames. Its length is a high-water mark; only grows.
    pub(super) values: Vec<u64>,
    /// Suspended callers.
    pub(super) frames: Vec<Frame>,
    /// First free slot above the frames of suspended invocations (0 when nothing is running).
    pub(super) top: usize,
    /// How many host functions are running with this stack lent to them (host→wasm re-entry
    /// recurses natively, so it is bounded separately by `Config::max_host_reentry`).
    pub(super) nesting: usize,
    /// Scratch for `return_many` (parallel moves).
    pub(super) scratch: Vec<u64>,
    /// Reused argument buffer for host calls.
    pub(super) host_args: Vec<Val>,
    /// Reused result buffer for host calls.
    pub(super) host_results: Vec<Val>,
}

impl Stack {
    /// Makes sure slots `0..end` exist, within `max` slots; `StackOverflow` otherwise (also when
    /// memory for the stack cannot be allocated).
    #[inline]
    pub(super) fn ensure(&mut self, end: usize, max: usize) -> Result<(), TrapCode> {
        if end <= self.values.len() {
            return Ok(());
        }
        self.grow(end, max)
    }

    #[cold]
    fn grow(&mut self, end: usize, max: usize) -> Result<(), TrapCode> {
        if end > max {
            return Err(TrapCode::StackOverflow);
        }
        let len = self.values.len();
        // Grow geometrically (at least 1 Ki slots) so deep recursion reallocates rarely.
        let target = end.max(len.saturating_mul(2).min(max)).max(1024.min(max));
        self.values
            .try_reserve_exact(target - len)
            .map_err(|_| TrapCode::StackOverflow)?;
        self.values.resize(target, 0);
        Ok(())
    }

    /// Pushes a suspended caller, `StackOverflow` if memory runs out.
    #[inline]
    pub(super) fn push_frame(&mut self, frame: Frame) -> Result<(), TrapCode> {
        if self.frames.len() == self.frames.capacity() {
            self.frames
                .try_reserve(1)
                .map_err(|_| TrapCode::StackOverflow)?;
        }
        self.frames.push(frame);
        Ok(())
    }
}
