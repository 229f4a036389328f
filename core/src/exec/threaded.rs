//! Tail-call dispatch: one function per instruction, each ending with a call to the next
//! instruction's handler, which optimising compilers for x86-64 and AArch64 emit as a jump
//! (a sibling call). Every handler then has its own indirect jump, which branch predictors
//! learn far better than the single shared jump of a `match` in a loop.
//!
//! The hot state travels in argument registers: the context, the instruction pointer, the
//! frame's slot pointer and memory 0's address (its length is in the context: bounds checks
//! compare with it in memory, which costs no instruction more on x86-64). A handler rebuilds a [`Hot`] from them
//! (free after inlining), runs the shared instruction semantics (`Visit for Hot`), and either
//! tail-calls the next handler or records where it stopped and returns the [`Stop`].
//!
//! Direct threading: the code this dispatch runs is a copy of the stored bytecode with each
//! instruction's handler address in front of it ([`GAP`] bytes; see `ember_bytecode::spread`
//! and `ModuleInner::spread_func`, which makes the copy of a function when it is first
//! called). Dispatch is then a load and a jump, with no opcode table, and an extended opcode
//! costs no second dispatch. The stored form stays position-independent (it is what is
//! serialized and what runs in place from flash under the portable loop); only this copy, in
//! RAM, holds addresses. Offsets (`pc`, return addresses, branch offsets) all refer to the
//! copy; the executor's slow path decodes the same copy, `GAP` bytes after each `pc`.
//!
//! Compiled only where `build.rs` sets `ember_tail_dispatch`; elsewhere the same semantics run
//! in the portable loop (`Hot::run`), because without sibling-call optimisation every executed
//! instruction would take a native stack frame.

use super::Flow;
use super::Stop;
use super::fast::{Ctx, Hot, Ip};
use core::mem::MaybeUninit;
use ember_bytecode::*;

/// A handler: runs the instruction at `ip` and everything after it until one stops.
type Handler = for<'a, 'c> fn(&'a mut Ctx<'c>, Ip, *mut u64, Pad, *mut u8, f64) -> Stop;

/// An argument that carries nothing: it takes the fourth argument register (`rcx` on x86-64,
/// which variable shifts need for their count) so that memory 0's address travels in the
/// fifth, and shift handlers need not save and restore it. Never read.
type Pad = MaybeUninit<usize>;

/// Bytes in front of each instruction in the code this dispatch runs: the instruction's
/// handler ([`write_handler`]).
pub(crate) const GAP: usize = core::mem::size_of::<Handler>();

/// Writes the handler of `instr` (an instruction's encoding, from its opcode) into `gap`, the
/// [`GAP`] bytes in front of it (see `ember_bytecode::spread`).
pub(crate) fn write_handler(gap: &mut [u8], instr: &[u8]) {
    let h = match instr {
        [EXT_PREFIX, e, ..] => EXT[usize::from(*e)],
        [b, ..] => PRIMARY[usize::from(*b)],
        [] => bad,
    };
    if let Some(gap) = gap.get_mut(..GAP) {
        // SAFETY: `gap` has `GAP` = `size_of::<Handler>()` writable bytes; the write needs no
        // alignment. Writing the pointer as a pointer (not its address as bytes) keeps it
        // valid for the read in `next`.
        unsafe { core::ptr::write_unaligned(gap.as_mut_ptr().cast::<Handler>(), h) };
    }
}

/// How to run one instruction type on the hot state.
trait Op {
    /// Decodes the instruction at `ip` and runs it.
    ///
    /// # Safety
    /// `ip` points at a whole instruction of this type (as `dispatch_ptr` requires).
    unsafe fn exec(hot: &mut Hot<'_, '_>, ip: *const u8) -> Flow;
}

macro_rules! ops {
    (
        primary { $( $(#[$pmeta:meta])* $PName:ident $psnake:ident $pmn:literal { $($pf:ident : $pt:ty),* } $([$ptail:ty; $pcount:ident])? ; )* }
        ext { $( $(#[$emeta:meta])* $EName:ident $esnake:ident $emn:literal { $($ef:ident : $et:ty),* } $([$etail:ty; $ecount:ident])? ; )* }
    ) => {
        $( ops!(@op $PName $psnake $([$ptail])?); )*
        $( ops!(@op $EName $esnake $([$etail])?); )*

        /// Handlers by opcode byte ([`EXT_PREFIX`] leads to [`EXT`]).
        static PRIMARY: [Handler; 256] = {
            let mut t: [Handler; 256] = [bad; 256];
            $( t[op::$PName as usize] = handler::<$PName>; )*
            t
        };
        /// Handlers of extended opcodes by their second byte.
        static EXT: [Handler; 256] = {
            let mut t: [Handler; 256] = [bad; 256];
            $( t[ext_op::$EName as usize] = handler::<$EName>; )*
            t
        };
    };
    (@op $Name:ident $snake:ident) => {
        impl Op for $Name {
            #[inline(always)]
            unsafe fn exec(hot: &mut Hot<'_, '_>, ip: *const u8) -> Flow {
                // SAFETY: `ip` points at a whole instruction of this type (caller's guarantee).
                let i = unsafe { $Name::decode_ptr(ip) };
                hot.$snake(i)
            }
        }
    };
    (@op $Name:ident $snake:ident [$tail:ty]) => {
        impl Op for $Name {
            #[inline(always)]
            unsafe fn exec(hot: &mut Hot<'_, '_>, ip: *const u8) -> Flow {
                // SAFETY: `ip` points at a whole instruction of this type, tail included
                // (caller's guarantee); the code is borrowed for the whole dispatch.
                let i = unsafe { $Name::decode_ptr(ip) };
                let tail = unsafe { i.tail_ptr(ip) };
                hot.$snake(i, tail)
            }
        }
    };
}

for_each_op!(ops);

/// Runs from `ip` until an instruction stops; `ctx.stop_pc` then holds its offset.
#[inline(always)]
pub(super) fn enter(ctx: &mut Ctx<'_>, ip: Ip, regs: *mut u64, mem: &mut [u8]) -> Stop {
    next(ctx, ip, regs, mem.as_mut_ptr(), 0.0)
}

/// Calls the handler of the instruction at `ip` (in tail position: a jump).
#[inline(always)]
fn next(ctx: &mut Ctx<'_>, ip: Ip, regs: *mut u64, mem: *mut u8, facc: f64) -> Stop {
    // SAFETY: `ip` points at the gap in front of an instruction of the current module's code
    // (see `Hot::run` for why that always holds), which holds that instruction's handler
    // (`write_handler`, called for every instruction the code was built from).
    let h = unsafe { core::ptr::read_unaligned(ip.0.cast::<Handler>()) };
    h(ctx, ip, regs, Pad::uninit(), mem, facc)
}

/// The handler of instruction type `I`.
fn handler<I: Op>(
    ctx: &mut Ctx<'_>,
    ip: Ip,
    regs: *mut u64,
    _: Pad,
    mem: *mut u8,
    facc: f64,
) -> Stop {
    // SAFETY: `mem`/`ctx.mem_len` are memory 0's bytes, which `fast::run` borrows mutably for
    // the whole dispatch; only one handler runs at a time, and this slice dies before the next.
    let mem_slice = unsafe { core::slice::from_raw_parts_mut(mem, ctx.mem_len) };
    let mut hot = Hot {
        pc: ip,
        regs,
        mem: mem_slice,
        ctx,
        facc,
    };
    // SAFETY: this handler was chosen by the opcode after the gap at `ip`, which starts a
    // whole instruction of type `I` (see `next`).
    let r = unsafe { I::exec(&mut hot, ip.0.wrapping_add(GAP)) };
    let (ip, regs, facc) = (hot.pc, hot.regs, hot.facc);
    match r {
        Ok(()) => next(ctx, ip, regs, mem, facc),
        Err(stop) => {
            ctx.stop_pc = ctx.offset(ip);
            stop
        }
    }
}

/// The handler of a byte that is no opcode (verified code never reaches it).
fn bad(ctx: &mut Ctx<'_>, ip: Ip, _: *mut u64, _: Pad, _: *mut u8, _: f64) -> Stop {
    ctx.stop_pc = ctx.offset(ip);
    Stop::BadCode
}
