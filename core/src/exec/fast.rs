//! The fast path: interprets the instructions that only touch slots, globals and memory 0 with
//! its state (`pc`, the frame's slots, memory 0) in registers. Anything else (calls across
//! instances, host calls, tables, `memory.grow`, ...) stops it with [`Stop::Slow`] *before*
//! changing any state; `Executor::dispatch_loop` then runs that one instruction on the
//! [`Executor`](super::Executor) and re-enters.
//!
//! Two dispatch techniques share the instruction semantics below (`impl Visit for Hot`):
//! tail calls between per-instruction handlers (`threaded.rs`, optimised x86-64 and AArch64
//! builds) and a portable loop ([`Hot::run`], everywhere else). `build.rs` chooses.

use super::stack::Frame;
#[cfg(feature = "float-superinstructions")]
use super::visit::fimm_operand;
use super::visit::{
    bin, bin_fimm, bin_fused, bin_imm, br_cmp, br_cmp_imm, br_un, facc, fused_f64, handler, konst,
    load, load_add, opnd, pure_handlers, sel, store, un,
};
use super::{Flow, GAP, Stop};
#[cfg(not(ember_compact_loop))]
use super::{float, numeric};
use crate::error::TrapCode;
use crate::store::GlobalEntity;
use alloc::vec::Vec;
use ember_bytecode::module::{FuncBody, UNTRANSLATED};
use ember_bytecode::*;

/// State the fast loop needs only on calls, returns and global accesses (one pointer away, so
/// the hot registers stay few).
pub(super) struct Ctx<'a> {
    /// Base of the current frame in the value stack.
    pub(super) fp: usize,
    /// Suspended callers. With tail dispatch, while [`run`] runs, its length is stale: the
    /// frames are those from `frames_ptr` to `top` ([`run`] sets the length back before
    /// returning).
    pub(super) frames: &'a mut Vec<Frame>,
    /// The frames' buffer (set by [`run`]).
    #[cfg(ember_tail_dispatch)]
    pub(super) frames_ptr: *mut Frame,
    /// One past the innermost frame (set by [`run`]).
    #[cfg(ember_tail_dispatch)]
    pub(super) top: *mut Frame,
    /// Calls push frames only below this: `frames_ptr` plus the smaller of the frames'
    /// capacity (the executor grows it) and `max_depth - 1` (set by [`run`]).
    #[cfg(ember_tail_dispatch)]
    pub(super) limit: *mut Frame,
    /// `frames_ptr + entry_depth` (at most `top`): returning with `top` here finishes the
    /// invocation (set by [`run`]).
    #[cfg(ember_tail_dispatch)]
    pub(super) entry_top: *mut Frame,
    /// The current module's function bodies (for same-module calls).
    pub(super) bodies: &'a [FuncBody],
    /// Its number of imported functions.
    pub(super) num_imported_funcs: u32,
    /// The current instance (store index).
    pub(super) instance: u32,
    /// Returning at this frame depth finishes the invocation (left to the executor).
    pub(super) entry_depth: usize,
    /// `Config::max_call_depth`.
    pub(super) max_depth: usize,
    /// The store's globals.
    pub(super) globals: &'a mut [GlobalEntity],
    /// Module global index → store global index, for the current instance.
    pub(super) global_map: &'a [u32],
    /// The current module's code (for offsets).
    pub(super) code: &'a [u8],
    /// The value stack (set by [`run`], which borrows it mutably for the whole dispatch).
    pub(super) values_ptr: *mut u64,
    /// Its length in slots.
    pub(super) values_len: usize,
    /// Where the dispatch stopped (set when a handler stops it).
    pub(super) stop_pc: usize,
    /// Length of memory 0 (set by [`run`]; the tail dispatch keeps only its address in a
    /// register).
    pub(super) mem_len: usize,
    /// Bounds for accesses to memory 0 (set by [`run`]): entry `k` is the largest address at
    /// which `2^k` bytes fit, `mem_len - 2^k`, negative if they fit nowhere. A bounds check is
    /// then one compare of the address.
    pub(super) mem_limit: [i64; 4],
}

/// The frame stack, two ways. With tail dispatch (`threaded.rs`) a raw view of the vector's
/// buffer kept in [`Ctx`]: one compare per call against a precomputed limit, no indirection
/// (fib: 8% fewer instructions), and pointers rather than a depth, so that a push or pop needs
/// no multiplication and the call handler saves two registers fewer (fib: 7% fewer). The
/// portable loop keeps the vector: on RISC-V at opt-level z the raw view made the loop 7 KB
/// larger (the machine outliner found far less to share).
impl Ctx<'_> {
    /// Pushes `frame` if the depth stays below `max_depth` and no allocation is needed.
    #[inline(always)]
    fn try_push_frame(&mut self, frame: Frame) -> bool {
        #[cfg(ember_tail_dispatch)]
        {
            if self.top >= self.limit {
                return false;
            }
            // SAFETY: `top < limit <= frames_ptr + capacity`: the slot is inside the frames'
            // buffer.
            unsafe { self.top.write(frame) };
            self.top = self.top.wrapping_add(1);
            true
        }
        #[cfg(not(ember_tail_dispatch))]
        {
            let depth = self.frames.len();
            if depth + 1 >= self.max_depth || depth == self.frames.capacity() {
                return false;
            }
            self.frames.push(frame);
            true
        }
    }

    /// The innermost suspended caller, if it belongs to this invocation (`None` if returning
    /// finishes the invocation: that is left to the executor).
    #[inline(always)]
    fn caller_frame(&self) -> Option<Frame> {
        #[cfg(ember_tail_dispatch)]
        {
            if self.top <= self.entry_top {
                return None;
            }
            // SAFETY: `frames_ptr <= entry_top < top <= frames_ptr + capacity` (`run` sets
            // `entry_top` at most `len` frames from `frames_ptr`, and a frame is pushed only
            // below `limit`), and the frames below `top` are initialised (see `run`).
            Some(unsafe { self.top.sub(1).read() })
        }
        #[cfg(not(ember_tail_dispatch))]
        {
            if self.frames.len() <= self.entry_depth {
                return None;
            }
            self.frames.last().copied()
        }
    }

    /// Pops the innermost suspended caller, if it belongs to this invocation.
    #[inline(always)]
    fn pop_frame(&mut self) -> Option<Frame> {
        let f = self.caller_frame()?;
        #[cfg(ember_tail_dispatch)]
        {
            self.top = self.top.wrapping_sub(1);
        }
        #[cfg(not(ember_tail_dispatch))]
        self.frames.pop();
        Some(f)
    }
}

/// Runs the fast loop from `pc` in the frame at `ctx.fp` until an instruction stops it
/// (`Stop::Slow` for one it leaves to the executor; the returned `pc` then points at it).
///
/// `pc` must be the first byte of an instruction of a function of `code`, and `values` must
/// hold that function's whole frame from `ctx.fp` (the executor's invariants: see
/// [`Hot::get`]; the caller checks `pc < code.len()` and `ctx.fp <= values.len()`).
#[inline(never)]
pub(super) fn run(
    pc: usize,
    values: &mut [u64],
    mem: &mut [u8],
    ctx: &mut Ctx<'_>,
) -> (Stop, usize) {
    ctx.values_ptr = values.as_mut_ptr();
    ctx.values_len = values.len();
    ctx.mem_len = mem.len();
    // A memory is below 2^48 bytes: `as i64` is exact.
    ctx.mem_limit = [1, 2, 4, 8].map(|n| mem.len() as i64 - n);
    #[cfg(ember_tail_dispatch)]
    {
        let p = ctx.frames.as_mut_ptr();
        let limit = ctx.frames.capacity().min(ctx.max_depth.saturating_sub(1));
        ctx.frames_ptr = p;
        ctx.top = p.wrapping_add(ctx.frames.len());
        ctx.limit = p.wrapping_add(limit);
        ctx.entry_top = p.wrapping_add(ctx.entry_depth.min(ctx.frames.len()));
    }
    let ip = Ip(ctx.code.as_ptr().wrapping_add(pc));
    let regs = ctx.values_ptr.wrapping_add(ctx.fp);
    #[cfg(ember_tail_dispatch)]
    let stop = super::threaded::enter(ctx, ip, regs, mem);
    #[cfg(not(ember_tail_dispatch))]
    let stop = {
        let mut hot = Hot {
            pc: ip,
            regs,
            mem,
            ctx,
            facc: 0.0,
            iacc: 0,
        };
        let stop = hot.run();
        let pc = hot.pc;
        ctx.stop_pc = ctx.offset(pc);
        stop
    };
    // SAFETY: `top - frames_ptr <= capacity` frames (a frame is pushed only below `limit`),
    // and the frames below `top` are initialised: those the vector held, and those pushed
    // since.
    #[cfg(ember_tail_dispatch)]
    unsafe {
        let depth = (ctx.top as usize - ctx.frames_ptr as usize) / core::mem::size_of::<Frame>();
        ctx.frames.set_len(depth)
    };
    (stop, ctx.stop_pc)
}

/// The instruction pointer: the address of the start of the next instruction in the code being
/// run: its [`GAP`] (the handler address, with tail dispatch), then its opcode. Only
/// dereferenced by the dispatch; moving it is safe pointer arithmetic.
#[derive(Clone, Copy)]
pub(super) struct Ip(pub(super) *const u8);

impl core::ops::AddAssign<usize> for Ip {
    #[inline(always)]
    fn add_assign(&mut self, n: usize) {
        self.0 = self.0.wrapping_add(n);
    }
}

/// The hot interpreter state.
pub(super) struct Hot<'a, 'c> {
    /// The next instruction.
    pub(super) pc: Ip,
    /// Slot 0 of the current frame (`ctx.values_ptr + ctx.fp`).
    pub(super) regs: *mut u64,
    /// Memory 0's bytes (empty if the instance has no memory).
    pub(super) mem: &'a mut [u8],
    /// Everything else.
    pub(super) ctx: &'a mut Ctx<'c>,
    /// The float accumulator: an f64 result handed to the next instruction in a register
    /// (the `.to_acc` / `.acc_*` instructions), not through a slot. Unused by the portable
    /// loop of a build without the feature `float-superinstructions`.
    #[cfg_attr(
        not(any(feature = "float-superinstructions", ember_tail_dispatch)),
        allow(dead_code)
    )]
    pub(super) facc: f64,
    /// The integer accumulator (tail dispatch only): the last value written to a slot. The
    /// handler of an instruction whose operand the previous instruction just produced may read
    /// it from here instead of from the slot (`threaded::AccOp`).
    pub(super) iacc: u64,
}

/// A value of an operand's type from the integer accumulator's 64 bits (as from a slot).
pub(super) trait FromAcc {
    /// The operand: the low bits, as a slot read gives them.
    fn from_acc(v: u64) -> Self;
}

macro_rules! from_acc {
    ($($T:ty => |$v:ident| $e:expr;)*) => {$(
        impl FromAcc for $T {
            #[inline(always)]
            fn from_acc($v: u64) -> Self {
                $e
            }
        }
    )*};
}
from_acc! {
    u32 => |v| v as u32;
    i32 => |v| v as u32 as i32;
    u64 => |v| v;
    i64 => |v| v as i64;
    f32 => |v| f32::from_bits(v as u32);
    f64 => |v| f64::from_bits(v);
}

impl Ctx<'_> {
    /// Offset of `ip` in the code.
    #[inline(always)]
    pub(super) fn offset(&self, ip: Ip) -> usize {
        (ip.0 as usize).wrapping_sub(self.code.as_ptr() as usize)
    }
}

// (The compact loop reads and writes slots as raw 64 bits: some typed accessors go unused.)
#[cfg_attr(ember_compact_loop, allow(dead_code))]
impl Hot<'_, '_> {
    /// Runs until an instruction stops the loop.
    #[cfg(not(ember_tail_dispatch))]
    #[inline(always)]
    fn run(&mut self) -> Stop {
        loop {
            // SAFETY: `pc` points at the start of an instruction of a function of `code` (its
            // opcode, `GAP` bytes further), and that instruction lies inside `code`: the
            // translator only produces such code
            // and the verifier (`ember_bytecode::verify`) refuses precompiled code that is not
            // (every function decodes into whole instructions, ends with an unconditional
            // transfer, and branches only to instruction starts in the same function). Calls
            // and returns set `pc` to a function's start or to the instruction after a call.
            // `code` is borrowed for the whole loop, so it does not change.
            #[cfg(feature = "op-stats")]
            {
                // SAFETY: as below, `pc` points at a whole instruction; an extended one is at
                // least two bytes long.
                let op = self.pc.0.wrapping_add(GAP);
                let b0 = unsafe { *op };
                let b1 = if b0 == EXT_PREFIX {
                    unsafe { *op.add(1) }
                } else {
                    0
                };
                super::op_stats::record(b0, b1);
            }
            #[cfg(not(ember_compact_loop))]
            let r = unsafe { dispatch_ptr(self, self.pc.0.wrapping_add(GAP)) };
            // SAFETY: as above.
            #[cfg(ember_compact_loop)]
            let r = unsafe { self.step(self.pc.0.wrapping_add(GAP)) };
            if let Err(stop) = r {
                core::hint::cold_path();
                return stop;
            }
        }
    }

    /// Moves `pc` to offset `pc` of the code.
    #[inline(always)]
    fn jump_to(&mut self, pc: usize) {
        self.pc = Ip(self.ctx.code.as_ptr().wrapping_add(pc));
    }

    // Slot access without bounds checks. Every slot operand is below the function's
    // `frame_size` (the translator allocates slots inside the frame; the verifier refuses
    // precompiled code with any slot operand at or above it, `copy_many` destinations
    // included), and the value stack holds the whole frame from `ctx.fp`: every frame is made
    // to fit before it is entered (`Stack::ensure` in the executor, the length check in
    // `call_local` here) and the value stack never shrinks. `debug_assert`s check the bound in
    // debug builds (the whole test suite).
    #[inline(always)]
    pub(super) fn get(&self, s: Slot) -> u64 {
        debug_assert!(
            self.ctx.fp + usize::from(s) < self.ctx.values_len,
            "slot {s} outside the stack"
        );
        // SAFETY: `fp + s < fp + frame_size <= values_len` (see above); `regs` is derived from
        // the value stack's pointer, which `Hot` borrows mutably.
        unsafe { *self.regs.add(usize::from(s)) }
    }
    #[inline(always)]
    pub(super) fn set(&mut self, s: Slot, v: u64) {
        debug_assert!(
            self.ctx.fp + usize::from(s) < self.ctx.values_len,
            "slot {s} outside the stack"
        );
        // SAFETY: as for `get`.
        unsafe { *self.regs.add(usize::from(s)) = v };
        #[cfg(ember_tail_dispatch)]
        {
            self.iacc = v;
        }
    }
    #[inline(always)]
    pub(super) fn u32(&self, s: Slot) -> u32 {
        self.get(s) as u32
    }
    #[inline(always)]
    pub(super) fn i32(&self, s: Slot) -> i32 {
        self.get(s) as u32 as i32
    }
    #[inline(always)]
    pub(super) fn u64(&self, s: Slot) -> u64 {
        self.get(s)
    }
    #[inline(always)]
    pub(super) fn i64(&self, s: Slot) -> i64 {
        self.get(s) as i64
    }
    #[inline(always)]
    pub(super) fn f32(&self, s: Slot) -> f32 {
        f32::from_bits(self.get(s) as u32)
    }
    #[inline(always)]
    pub(super) fn f64(&self, s: Slot) -> f64 {
        f64::from_bits(self.get(s))
    }
    #[inline(always)]
    pub(super) fn set_u32(&mut self, s: Slot, v: u32) {
        self.set(s, u64::from(v));
    }
    #[inline(always)]
    pub(super) fn set_i32(&mut self, s: Slot, v: i32) {
        self.set(s, u64::from(v as u32));
    }
    #[inline(always)]
    pub(super) fn set_u64(&mut self, s: Slot, v: u64) {
        self.set(s, v);
    }
    #[inline(always)]
    pub(super) fn set_i64(&mut self, s: Slot, v: i64) {
        self.set(s, v as u64);
    }
    #[inline(always)]
    pub(super) fn set_f32(&mut self, s: Slot, v: f32) {
        self.set(s, u64::from(v.to_bits()));
    }
    #[inline(always)]
    pub(super) fn set_f64(&mut self, s: Slot, v: f64) {
        self.set(s, v.to_bits());
    }
    #[inline(always)]
    pub(super) fn set_bool(&mut self, s: Slot, v: bool) {
        self.set(s, u64::from(v));
    }
    #[inline(always)]
    pub(super) fn branch(&mut self, offset: i32) {
        self.pc = Ip(self.pc.0.wrapping_offset(offset as isize));
    }

    /// The address `a + offset` if `N` bytes fit there in memory 0 (`N` is 1, 2, 4 or 8);
    /// otherwise the out-of-bounds trap.
    #[inline(always)]
    pub(super) fn in_bounds<const N: usize>(&self, a: u32, offset: u32) -> Result<usize, Stop> {
        const { assert!(N.is_power_of_two() && N <= 8) };
        // Below 2^33: exact as `i64`, and the sum cannot overflow.
        let ea = u64::from(a) + u64::from(offset);
        let limit = self.ctx.mem_limit[N.trailing_zeros() as usize];
        debug_assert_eq!(limit, self.mem.len() as i64 - N as i64);
        if ea as i64 > limit {
            return Err(TrapCode::MemoryOutOfBounds.into());
        }
        Ok(ea as usize)
    }

    /// Reads `N` bytes at `a + offset` of memory 0 (`a` an already computed 32-bit address).
    #[cfg_attr(any(not(feature = "small-code"), ember_tail_dispatch), inline(always))]
    #[cfg_attr(all(feature = "small-code", not(ember_tail_dispatch)), inline(never))]
    pub(super) fn load_ea<const N: usize>(&self, a: u32, offset: u32) -> Result<[u8; N], Stop> {
        let ea = self.in_bounds::<N>(a, offset)?;
        // SAFETY: `ea + N <= mem.len()` (`in_bounds`). Exercised at the exact edges by
        // `exec::tests::memory::bounds_at_the_exact_edges` and the spec suite's memory tests.
        Ok(unsafe { core::ptr::read_unaligned(self.mem.as_ptr().add(ea).cast::<[u8; N]>()) })
    }

    /// Writes `N` bytes at `addr + offset` of memory 0.
    #[cfg_attr(any(not(feature = "small-code"), ember_tail_dispatch), inline(always))]
    #[cfg_attr(all(feature = "small-code", not(ember_tail_dispatch)), inline(never))]
    pub(super) fn store<const N: usize>(
        &mut self,
        addr: Slot,
        offset: u32,
        bytes: [u8; N],
    ) -> Flow {
        self.store_ea(self.u32(addr), offset, bytes)
    }

    /// Writes `N` bytes at `a + offset` of memory 0 (`a` an already computed 32-bit address).
    #[inline(always)]
    pub(super) fn store_ea<const N: usize>(&mut self, a: u32, offset: u32, bytes: [u8; N]) -> Flow {
        let ea = self.in_bounds::<N>(a, offset)?;
        // SAFETY: `ea + N <= mem.len()` (`in_bounds`); tested as in `load_ea`.
        unsafe {
            core::ptr::write_unaligned(self.mem.as_mut_ptr().add(ea).cast::<[u8; N]>(), bytes)
        };
        Ok(())
    }

    /// Calls a function of the current module if its frame fits in the allocated stack and a
    /// frame record can be pushed without allocating; otherwise leaves the call to the executor.
    #[inline(always)]
    fn call_local(&mut self, func: u32, base: Slot, ret_pc: usize) -> Flow {
        let ctx = &mut *self.ctx;
        // (An imported `func` wraps around to an index past the bodies.)
        let Some(body) = ctx
            .bodies
            .get(func.wrapping_sub(ctx.num_imported_funcs) as usize)
        else {
            return Err(Stop::Slow);
        };
        let fp = ctx.fp + usize::from(base);
        if fp + usize::from(body.frame_size) > ctx.values_len || body.code_start == UNTRANSLATED {
            return Err(Stop::Slow);
        }
        let frame = Frame {
            pc: ret_pc,
            fp: ctx.fp,
            instance: ctx.instance,
        };
        if !ctx.try_push_frame(frame) {
            return Err(Stop::Slow);
        }
        ctx.fp = fp;
        self.regs = ctx.values_ptr.wrapping_add(fp);
        let locals = usize::from(body.num_params);
        let n = usize::from(body.zeroed_locals);
        // Most functions zero no locals (the translator leaves out those written before they
        // are read). Volatile stores keep this loop a loop: as a call of `memset`, the handler
        // would save and restore registers on every call.
        for k in locals..locals + n {
            // SAFETY: the frame (`frame_size >= num_params + zeroed_locals` slots from `fp`) fits
            // in the value stack (checked above).
            unsafe { core::ptr::write_volatile(self.regs.add(k), 0) };
        }
        self.jump_to(body.code_start as usize);
        Ok(())
    }

    /// Whether a return can stay in the fast loop (same instance, not the entry frame).
    #[inline(always)]
    fn can_return(&self) -> bool {
        self.ctx
            .caller_frame()
            .is_some_and(|f| f.instance == self.ctx.instance)
    }

    /// Returns to the caller (after `can_return`).
    #[inline(always)]
    fn pop_frame(&mut self) -> Flow {
        let f = self.ctx.pop_frame().ok_or(Stop::BadCode)?;
        self.jump_to(f.pc);
        self.ctx.fp = f.fp;
        self.regs = self.ctx.values_ptr.wrapping_add(f.fp);
        Ok(())
    }

    #[inline(always)]
    pub(super) fn global(&mut self, index: u32) -> Result<&mut GlobalEntity, Stop> {
        let g = *self
            .ctx
            .global_map
            .get(index as usize)
            .ok_or(Stop::BadCode)?;
        self.ctx.globals.get_mut(g as usize).ok_or(Stop::BadCode)
    }
}

/// Handlers the fast loop leaves to the executor.
macro_rules! slow {
    ($($name:ident $Ty:ident $([$tail:ty])?;)*) => {$(
        #[inline(always)]
        fn $name(&mut self, _: $Ty $(, _: Tail<'_, $tail>)?) -> Flow {
            Err(Stop::Slow)
        }
    )*};
}

impl Visit for Hot<'_, '_> {
    type Output = Flow;

    #[cfg(not(ember_compact_loop))]
    pure_handlers!();
    // The families' members run in `compact.rs`; stand-ins here.
    #[cfg(ember_compact_loop)]
    pure_handlers!(@compact);

    #[inline(always)]
    fn global_get(&mut self, i: GlobalGet) -> Flow {
        let v = self.global(i.index)?.value;
        self.set(i.dst, v);
        self.pc += GAP + GlobalGet::SIZE;
        Ok(())
    }
    #[inline(always)]
    fn global_set(&mut self, i: GlobalSet) -> Flow {
        let v = self.get(i.src);
        self.global(i.index)?.value = v;
        self.pc += GAP + GlobalSet::SIZE;
        Ok(())
    }
    #[inline(always)]
    fn memory_size(&mut self, i: MemorySize) -> Flow {
        // Without a memory the executor reports the bad code.
        if self.mem.is_empty() {
            return Err(Stop::Slow);
        }
        let pages = self.mem.len() / crate::store::PAGE_SIZE;
        self.set_u32(i.dst, pages as u32);
        self.pc += GAP + MemorySize::SIZE;
        Ok(())
    }

    #[inline(always)]
    fn call(&mut self, i: Call) -> Flow {
        self.call_local(i.func, i.base, self.ctx.offset(self.pc) + GAP + Call::SIZE)
    }
    #[inline(always)]
    fn ret(&mut self, _: Return) -> Flow {
        if !self.can_return() {
            return Err(Stop::Slow);
        }
        self.pop_frame()
    }
    #[inline(always)]
    fn return_slot(&mut self, i: ReturnSlot) -> Flow {
        if !self.can_return() {
            return Err(Stop::Slow);
        }
        let v = self.get(i.src);
        self.set(0, v);
        self.pop_frame()
    }
    #[inline(always)]
    fn return_imm32(&mut self, i: ReturnImm32) -> Flow {
        if !self.can_return() {
            return Err(Stop::Slow);
        }
        self.set_u32(0, i.value);
        self.pop_frame()
    }
    #[inline(always)]
    fn return_imm64(&mut self, i: ReturnImm64) -> Flow {
        if !self.can_return() {
            return Err(Stop::Slow);
        }
        self.set_u64(0, i.value);
        self.pop_frame()
    }

    #[inline(always)]
    fn memory_fill(&mut self, i: MemoryFill) -> Flow {
        if self.mem.is_empty() {
            return Err(Stop::Slow);
        }
        let (d, v, n) = (
            u64::from(self.u32(i.dst_addr)),
            self.get(i.value) as u8,
            u64::from(self.u32(i.len)),
        );
        // Both are below 2^32: no overflow.
        if d + n > self.mem.len() as u64 {
            return Err(TrapCode::MemoryOutOfBounds.into());
        }
        self.mem[d as usize..(d + n) as usize].fill(v);
        self.pc += GAP + MemoryFill::SIZE;
        Ok(())
    }
    #[inline(always)]
    fn memory_copy(&mut self, i: MemoryCopy) -> Flow {
        if self.mem.is_empty() {
            return Err(Stop::Slow);
        }
        let (d, s, n) = (
            u64::from(self.u32(i.dst_addr)),
            u64::from(self.u32(i.src_addr)),
            u64::from(self.u32(i.len)),
        );
        let size = self.mem.len() as u64;
        if d + n > size || s + n > size {
            return Err(TrapCode::MemoryOutOfBounds.into());
        }
        self.mem
            .copy_within(s as usize..(s + n) as usize, d as usize);
        self.pc += GAP + MemoryCopy::SIZE;
        Ok(())
    }

    slow! {
        return_many ReturnMany [Slot];
        call_indirect CallIndirect;
        memory_grow MemoryGrow;
        memory_init MemoryInit;
        data_drop DataDrop;
        ref_func RefFunc;
        table_get TableGet;
        table_set TableSet;
        table_size TableSize;
        table_grow TableGrow;
        table_fill TableFill;
        table_copy TableCopy;
        table_init TableInit;
        elem_drop ElemDrop;
    }
}
