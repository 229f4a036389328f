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

use super::fast::{Ctx, Hot, Ip};
use super::visit::{
    acc_op, bin, bin_fimm, bin_fused, bin_imm, br_cmp, br_cmp_imm, br_un, facc, fimm_operand,
    fused_f64, handler, konst, load, load_add, opnd, pure_handlers, sel, store, un,
};
use super::{Flow, Stop, float, numeric};
use core::mem::MaybeUninit;
use ember_bytecode::spread::Effect;
use ember_bytecode::*;

/// A handler: runs the instruction at `ip` and everything after it until one stops. The last
/// two arguments are the float and the integer accumulator.
type Handler = for<'a, 'c> fn(&'a mut Ctx<'c>, Ip, *mut u64, Pad, *mut u8, f64, u64) -> Stop;

/// An argument that carries nothing: it takes the fourth argument register (`rcx` on x86-64,
/// which variable shifts need for their count) so that memory 0's address travels in the
/// fifth, and shift handlers need not save and restore it. Never read.
type Pad = MaybeUninit<usize>;

/// Bytes in front of each instruction in the code this dispatch runs: the instruction's
/// handler ([`write_handler`]).
pub(crate) const GAP: usize = core::mem::size_of::<Handler>();

/// Writes the handler of `instr` (an instruction's encoding, from its opcode) into `gap`, the
/// [`GAP`] bytes in front of it (see `ember_bytecode::spread`). `acc` is the slot whose value
/// the integer accumulator holds whenever execution reaches `instr` (from [`effect`]): if
/// `instr` reads that slot, it gets a handler that reads the accumulator instead ([`AccOp`]).
///
/// If `instr` and `next`, the instruction after it, are a pair listed in [`PAIRS`], the handler
/// runs both (the gap in front of `next` still holds `next`'s own handler, for branches to it).
pub(crate) fn write_handler(gap: &mut [u8], instr: &[u8], acc: Option<Slot>, next: Option<&[u8]>) {
    let mut h = match instr {
        [EXT_PREFIX, e, ..] => EXT[usize::from(*e)],
        [b, ..] => PRIMARY[usize::from(*b)],
        [] => bad,
    };
    if let Some(Some(select)) = key(instr).map(|k| ACC[k]) {
        h = select(instr, acc);
    }
    if let (Some(k), Some(next)) = (key(instr), next)
        && PAIR_FIRST[k]
        && let Some(j) = key(next)
        && let Some(&(_, _, pick)) = PAIRS.iter().find(|&&(a, b, _)| a == k && b == j)
        && let Some(p) = pick(instr, next, acc)
    {
        h = p;
    }
    if let Some(gap) = gap.get_mut(..GAP) {
        // SAFETY: `gap` has `GAP` = `size_of::<Handler>()` writable bytes; the write needs no
        // alignment. Writing the pointer as a pointer (not its address as bytes) keeps it
        // valid for the read in `next`.
        unsafe { core::ptr::write_unaligned(gap.as_mut_ptr().cast::<Handler>(), h) };
    }
}

/// What the instruction `instr` does to the integer accumulator ([`Hot::iacc`]), for
/// `ember_bytecode::spread`: instructions whose handler writes their result to `dst` last,
/// with `set`, leave that value in it ([`EFFECT`]); instructions that write no slot leave it
/// alone.
pub(crate) fn effect(instr: &[u8]) -> Effect {
    match key(instr).map(|k| (k, EFFECT[k])) {
        Some((k, WRITES)) => match instr.get(OPCODE_LEN[k]..OPCODE_LEN[k] + 2) {
            Some(&[lo, hi]) => Effect::Writes(Slot::from_le_bytes([lo, hi])),
            _ => Effect::Clobbers,
        },
        Some((_, KEEPS)) => Effect::Keeps,
        _ => Effect::Clobbers,
    }
}

/// The index of the opcode at the start of `code` in the tables below: the byte, or 256 plus
/// the second byte of an extended opcode.
const fn key(code: &[u8]) -> Option<usize> {
    match code {
        [EXT_PREFIX, b, ..] => Some(256 + *b as usize),
        [EXT_PREFIX] | [] => None,
        [b, ..] => Some(*b as usize),
    }
}

/// Bytes of opcode by [`key`].
const OPCODE_LEN: [usize; 512] = {
    let mut t = [1; 512];
    let mut k = 256;
    while k < 512 {
        t[k] = 2;
        k += 1;
    }
    t
};

/// An instruction type whose slot operands may come from the integer accumulator: the value
/// the instruction just before wrote to its `dst` (`Hot::set` keeps the last value written in
/// `Hot::iacc`). Implemented by the `@acc` form of the handler families (`visit.rs`); handlers
/// that use it are made for the types [`ACC`] lists.
///
/// Sound because the accumulator then holds exactly the slot's value, on every path to the
/// instruction (`spread` works that out from [`effect`]): the last instruction before it that
/// wrote any slot is one whose handler writes its result last, with `set`; all these only
/// touch slots and
/// memory 0, so the fast path runs both (the executor's slow path never runs either, and
/// re-enters the fast path only after an instruction it ran, which is none of these).
trait AccOp: Op {
    /// Its slot operands that may come from the accumulator, in order: bit `k` of a handler's
    /// mask stands for the `k`-th.
    fn operands(instr: &[u8]) -> [Option<Slot>; 2];

    /// Runs the instruction at `ip`, reading the operands in mask `M` from the accumulator.
    ///
    /// # Safety
    /// `ip` points at a whole instruction of this type.
    unsafe fn exec_acc<const M: u8>(hot: &mut Hot<'_, '_>, ip: *const u8) -> Flow;

    /// Size of the fixed part in bytes (opcode included).
    const SIZE: usize;

    /// Whether this is a conditional branch: then its handlers dispatch from two places, one
    /// for each way it goes ([`taken`](AccOp::taken)), so that each indirect jump has one
    /// usual target and predicts well.
    const BRANCH: bool = false;

    /// For a conditional branch at `ip`: its offset if it is taken (reading the operands in
    /// mask `M` from the accumulator).
    ///
    /// # Safety
    /// `ip` points at a whole instruction of this type.
    #[inline(always)]
    unsafe fn taken<const M: u8>(_hot: &mut Hot<'_, '_>, _ip: *const u8) -> Option<i32> {
        None
    }
}

pure_handlers!(@acc impls);

// `global.get` and `global.set` (explicit handlers of the fast loop, not of the pure families):
// the stack pointer of compiled code goes through them around every call that needs a stack
// frame (json: `global.get`, `i32.add_imm`, `global.set`). With these they read and write the
// accumulator and pair with their neighbours.
acc_op!(impls GlobalGet {|i| [None, None]} WRITES, |s, i, m| {
    let v = s.global(i.index)?.value;
    s.set(i.dst, v);
    s.pc += GAP + GlobalGet::SIZE;
    Ok(())
});
acc_op!(impls GlobalSet [src] KEEPS, |s, i, m| {
    let from_acc = m & 1 != 0;
    let v = opnd!(s from_acc u64 i.src);
    s.global(i.index)?.value = v;
    s.pc += GAP + GlobalSet::SIZE;
    Ok(())
});

/// [`EFFECT`]: the handler writes its result to `dst` last, with `set` (so that the
/// accumulator holds it).
const WRITES: u8 = 2;
/// [`EFFECT`]: the handler writes no slot and leaves the accumulator alone.
const KEEPS: u8 = 1;

/// By [`key`]: [`WRITES`], [`KEEPS`], or 0 (anything else, or not known).
static EFFECT: [u8; 512] = {
    let mut p = [0; 512];
    pure_handlers!(@acc p);
    // Explicit handlers (`handler!`) that end with `set(dst, …)`.
    p[opcode_key(I32SubImmLhs::OPCODE)] = WRITES;
    p[opcode_key(I64SubImmLhs::OPCODE)] = WRITES;
    p[opcode_key(GlobalGet::OPCODE)] = WRITES;
    // Explicit handlers that only move `pc` (or write no slot).
    p[opcode_key(GlobalSet::OPCODE)] = KEEPS;
    p[opcode_key(Br::OPCODE)] = KEEPS;
    p[opcode_key(BrTable::OPCODE)] = KEEPS;
    p
};

/// [`key`] of an opcode (always one).
const fn opcode_key(opcode: &[u8]) -> usize {
    match key(opcode) {
        Some(k) => k,
        None => 0,
    }
}

/// Picks a handler of `I` for an instruction (`instr`) whose operands equal to `acc`, the slot
/// whose value the accumulator holds, are read from the accumulator.
fn select<I: AccOp>(instr: &[u8], acc: Option<Slot>) -> Handler {
    match I::operands(instr).map(|s| acc.is_some() && s == acc) {
        [false, false] if !I::BRANCH => handler::<I>,
        [false, false] => handler_acc::<I, 0>,
        [true, false] => handler_acc::<I, 1>,
        [false, true] => handler_acc::<I, 2>,
        [true, true] => handler_acc::<I, 3>,
    }
}

/// How to pick an accumulator handler for an instruction.
type Pick = fn(&[u8], Option<Slot>) -> Handler;

/// Fills the table [`ACC`] for the listed instruction types.
macro_rules! acc_handlers {
    ($t:ident: $($Ty:ident),* $(,)?) => {
        $( $t[opcode_key($Ty::OPCODE)] = Some(select::<$Ty> as Pick); )*
    };
}

/// By [`key`]: the instructions that have handlers reading an operand from the accumulator,
/// chosen by measurement (`ember-bench --features op-stats` pairs): each costs up to three
/// more handlers in the binary.
static ACC: [Option<Pick>; 512] = {
    let mut t: [Option<Pick>; 512] = [None; 512];
    acc_handlers! { t:
        I32Add, I32Sub, I32Mul, I32And, I32Or, I32Xor, I32Shl, I32ShrU, I32ShrS,
        I32Eq, I32Ne, I32LtU, I32LtS, I32GtU, I32GeU,
        I32AddImm, I32MulImm, I32AndImm, I32OrImm, I32XorImm, I32ShlImm, I32ShrUImm, I32ShrSImm,
        I32RotlImm, I32EqImm, I32NeImm, I32Eqz, I32AddShl, I32XorRotl,
        I64Add, I64Sub, I64Mul, I64And, I64Or, I64Xor, I64Shl, I64ShrU,
        I64AddImm, I64AndImm, I64ShlImm, I64ShrUImm, I64ShrSImm, I64ExtendI32U, I64ExtendI32S,
        BrIfNez, BrIfEqz, BrI64Eqz, BrI64Nez,
        BrI32Eq, BrI32Ne, BrI32LtS, BrI32LtU, BrI32GtS, BrI32GtU, BrI32LeS, BrI32LeU,
        BrI32GeS, BrI32GeU,
        BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm,
        BrI32LeSImm, BrI32LeUImm, BrI32GeSImm, BrI32GeUImm,
        BrI64Eq, BrI64Ne, BrI64LtS, BrI64LtU, BrI64GtS, BrI64GtU, BrI64LeS, BrI64LeU, BrI64GeS,
        BrI64GeU,
        Load8U, Load8S, Load16U, Load16S, Load32, Load32S, Load64,
        Load8UAdd, Load16UAdd, Load16SAdd, Load32Add, Load64Add,
        Load8UAddImm, Load16UAddImm, Load32AddImm, Load64AddImm,
        Load16UAddShl, Load16SAddShl, Load32AddShl, Load64AddShl,
        Store8, Store16, Store32, Store64, Store8Imm, Store32Imm, Store64Imm,
        Copy, I64MulImm64, Select, F64MulAdd, F64AddMul, GlobalGet, GlobalSet,
        F64Add, F64Sub, F64Mul, F64Div, F64Lt, F64Gt, F64Le, F64Ge,
        F64AddImm, F64SubImm, F64MulImm, F64DivImm, F64SubImmLhs, F64DivImmLhs,
        F64AddToAcc, F64SubToAcc, F64MulToAcc, F64DivToAcc,
        F64AddAccLhs, F64SubAccLhs, F64MulAccLhs, F64DivAccLhs,
        F64AddAccRhs, F64SubAccRhs, F64MulAccRhs, F64DivAccRhs,
        F64AddAccLhsToAcc, F64SubAccLhsToAcc, F64MulAccLhsToAcc, F64DivAccLhsToAcc,
        F64AddAccRhsToAcc, F64SubAccRhsToAcc, F64MulAccRhsToAcc, F64DivAccRhsToAcc,
        F64AddImmToAcc, F64SubImmToAcc, F64MulImmToAcc, F64DivImmToAcc,
        F64SubImmLhsToAcc, F64DivImmLhsToAcc,
    }
    t
};

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
    next(ctx, ip, regs, mem.as_mut_ptr(), 0.0, 0)
}

/// Calls the handler of the instruction at `ip` (in tail position: a jump).
#[inline(always)]
fn next(ctx: &mut Ctx<'_>, ip: Ip, regs: *mut u64, mem: *mut u8, facc: f64, iacc: u64) -> Stop {
    // SAFETY: `ip` points at the gap in front of an instruction of the current module's code
    // (see `Hot::run` for why that always holds), which holds that instruction's handler
    // (`write_handler`, called for every instruction the code was built from).
    let h = unsafe { core::ptr::read_unaligned(ip.0.cast::<Handler>()) };
    h(ctx, ip, regs, Pad::uninit(), mem, facc, iacc)
}

/// The body of a handler: rebuilds the hot state from the arguments, runs `$exec` on it (with
/// `$hot` the state and `$at` the instruction's opcode), then goes on to the next handler.
macro_rules! step {
    ($ctx:ident, $ip:ident, $regs:ident, $mem:ident, $facc:ident, $iacc:ident, |$hot:ident, $at:ident| $exec:expr) => {{
        let mut hot = hot($ctx, $ip, $regs, $mem, $facc, $iacc);
        let ($hot, $at) = (&mut hot, $ip.0.wrapping_add(GAP));
        let r = $exec;
        let (ip, regs, facc, iacc) = (hot.pc, hot.regs, hot.facc, hot.iacc);
        match r {
            Ok(()) => next($ctx, ip, regs, $mem, facc, iacc),
            Err(stop) => {
                $ctx.stop_pc = $ctx.offset(ip);
                stop
            }
        }
    }};
}

/// The hot state a handler runs an instruction on, from its arguments.
#[inline(always)]
fn hot<'a, 'c>(
    ctx: &'a mut Ctx<'c>,
    ip: Ip,
    regs: *mut u64,
    mem: *mut u8,
    facc: f64,
    iacc: u64,
) -> Hot<'a, 'c> {
    // SAFETY: `mem`/`ctx.mem_len` are memory 0's bytes, which `fast::run` borrows mutably for
    // the whole dispatch; only one handler runs at a time, and this slice dies before the next.
    let mem_slice = unsafe { core::slice::from_raw_parts_mut(mem, ctx.mem_len) };
    Hot {
        pc: ip,
        regs,
        mem: mem_slice,
        ctx,
        facc,
        iacc,
    }
}

/// The handler of instruction type `I`.
fn handler<I: Op>(
    ctx: &mut Ctx<'_>,
    ip: Ip,
    regs: *mut u64,
    _: Pad,
    mem: *mut u8,
    facc: f64,
    iacc: u64,
) -> Stop {
    // SAFETY: this handler was chosen by the opcode after the gap at `ip`, which starts a
    // whole instruction of type `I` (see `next`).
    step!(ctx, ip, regs, mem, facc, iacc, |hot, at| unsafe {
        I::exec(hot, at)
    })
}

/// The handler of instruction type `I` that reads the operands in mask `M` from the integer
/// accumulator ([`AccOp`]).
fn handler_acc<I: AccOp, const M: u8>(
    ctx: &mut Ctx<'_>,
    ip: Ip,
    regs: *mut u64,
    _: Pad,
    mem: *mut u8,
    facc: f64,
    iacc: u64,
) -> Stop {
    if I::BRANCH {
        let mut hot = hot(ctx, ip, regs, mem, facc, iacc);
        // SAFETY: as in `handler`: `write_handler` chose this handler for an instruction of
        // type `I`.
        let taken = unsafe { I::taken::<M>(&mut hot, ip.0.wrapping_add(GAP)) };
        return branch_next(ctx, ip, taken, I::SIZE, regs, mem, facc, iacc);
    }
    // SAFETY: as in `handler`: `write_handler` chose this handler for an instruction of type
    // `I`.
    step!(ctx, ip, regs, mem, facc, iacc, |hot, at| unsafe {
        I::exec_acc::<M>(hot, at)
    })
}

/// After the conditional branch at `ip` (its fixed part `size` bytes): dispatches to its
/// target if `taken` (its offset) or to the next instruction, from two places (see
/// [`AccOp::BRANCH`]).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn branch_next(
    ctx: &mut Ctx<'_>,
    ip: Ip,
    taken: Option<i32>,
    size: usize,
    regs: *mut u64,
    mem: *mut u8,
    facc: f64,
    iacc: u64,
) -> Stop {
    match taken {
        Some(offset) => {
            let to = Ip(ip.0.wrapping_offset(offset as isize));
            // SAFETY: as in `next`: a branch leads to the gap in front of an instruction.
            let h = unsafe { load_handler_apart(to) };
            h(ctx, to, regs, Pad::uninit(), mem, facc, iacc)
        }
        None => next(
            ctx,
            Ip(ip.0.wrapping_add(GAP + size)),
            regs,
            mem,
            facc,
            iacc,
        ),
    }
}

/// Reads the handler in the gap at `ip`, as `next` does, but with an instruction the compiler
/// cannot merge with `next`'s load: a conditional branch's two dispatches would otherwise be
/// folded into one load from a selected address and one indirect jump, which predicts worse
/// (see [`AccOp::BRANCH`]). Measured: see the commit that introduced it.
///
/// # Safety
/// As for `next`: `ip` points at the gap in front of an instruction, which holds its handler.
#[inline(always)]
unsafe fn load_handler_apart(ip: Ip) -> Handler {
    let bits: usize;
    // SAFETY: the caller guarantees the 8 bytes at `ip` are readable (x86-64 and AArch64 load
    // them unaligned); the asm only reads them.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::asm!("mov {h}, qword ptr [{p}]", p = in(reg) ip.0, h = lateout(reg) bits,
            options(nostack, readonly, preserves_flags, pure))
    };
    #[cfg(target_arch = "aarch64")]
    unsafe {
        core::arch::asm!("ldr {h}, [{p}]", p = in(reg) ip.0, h = lateout(reg) bits,
            options(nostack, readonly, preserves_flags, pure))
    };
    // SAFETY: those bytes are a `Handler`, written as one by `write_handler`.
    unsafe { core::mem::transmute::<usize, Handler>(bits) }
}

/// The handler of a pair of instructions `I` then `J` (chosen by [`PAIRS`]): runs `I` with the
/// operands in mask `MI` from the accumulator, then `J` (which `I` falls through to) with those
/// in mask `MJ`, then dispatches once. If `I` is a conditional branch, a taken branch
/// dispatches to its target and only the fall-through runs `J`. Saves a dispatch on the pairs that make up the loops of
/// the benchmarks (`ember-bench --features op-stats`).
fn pair<I: AccOp, J: AccOp, const MI: u8, const MJ: u8>(
    ctx: &mut Ctx<'_>,
    ip: Ip,
    regs: *mut u64,
    _: Pad,
    mem: *mut u8,
    facc: f64,
    iacc: u64,
) -> Stop {
    let mut hot = hot(ctx, ip, regs, mem, facc, iacc);
    if I::BRANCH {
        // SAFETY: `write_handler` chose this handler for an instruction of type `I` followed
        // by one of type `J`.
        if let Some(offset) = unsafe { I::taken::<MI>(&mut hot, ip.0.wrapping_add(GAP)) } {
            let to = Ip(ip.0.wrapping_offset(offset as isize));
            // SAFETY: as in `next`: a branch leads to the gap in front of an instruction.
            let h = unsafe { load_handler_apart(to) };
            return h(ctx, to, regs, Pad::uninit(), mem, facc, iacc);
        }
        // Not taken: `I` falls through to `J`.
        hot.pc = Ip(ip.0.wrapping_add(GAP + I::SIZE));
    } else {
        // SAFETY: as above; `I` is no branch, so it moves `pc` to `J`'s gap.
        let r = unsafe { I::exec_acc::<MI>(&mut hot, ip.0.wrapping_add(GAP)) };
        if let Err(stop) = r {
            hot.ctx.stop_pc = hot.ctx.offset(hot.pc);
            return stop;
        }
    }
    let at_j = hot.pc;
    if J::BRANCH {
        // SAFETY: as above, for `J` at `at_j`.
        let taken = unsafe { J::taken::<MJ>(&mut hot, at_j.0.wrapping_add(GAP)) };
        let (regs, facc, iacc) = (hot.regs, hot.facc, hot.iacc);
        return branch_next(ctx, at_j, taken, J::SIZE, regs, mem, facc, iacc);
    }
    // SAFETY: as above, for `J` at `at_j`.
    let r = unsafe { J::exec_acc::<MJ>(&mut hot, at_j.0.wrapping_add(GAP)) };
    let (ip, regs, facc, iacc) = (hot.pc, hot.regs, hot.facc, hot.iacc);
    match r {
        Ok(()) => next(ctx, ip, regs, mem, facc, iacc),
        Err(stop) => {
            ctx.stop_pc = ctx.offset(ip);
            stop
        }
    }
}

/// The accumulator mask of an instruction with operands `ops` when the accumulator holds
/// `acc`: bit `k` for the `k`-th operand if it is that slot; `None` for both (no pair
/// handler takes that).
fn mask(ops: [Option<Slot>; 2], acc: Option<Slot>) -> Option<u8> {
    match ops.map(|s| acc.is_some() && s == acc) {
        [false, false] => Some(0),
        [true, false] => Some(1),
        [false, true] => Some(2),
        [true, true] => None,
    }
}

/// Picks the handler of the pair `I`, `J` for `instr` (an `I`) followed by `next` (a `J`) when
/// the accumulator holds `acc` on entry to `instr`.
fn pick_pair<I: AccOp, J: AccOp>(instr: &[u8], next: &[u8], acc: Option<Slot>) -> Option<Handler> {
    let mi = mask(I::operands(instr), acc)?;
    let after = match effect(instr) {
        Effect::Writes(d) => Some(d),
        Effect::Keeps => acc,
        Effect::Clobbers => None,
    };
    let mj = mask(J::operands(next), after)?;
    Some(match (mi, mj) {
        (0, 0) => pair::<I, J, 0, 0>,
        (0, 1) => pair::<I, J, 0, 1>,
        (0, _) => pair::<I, J, 0, 2>,
        (1, 0) => pair::<I, J, 1, 0>,
        (1, 1) => pair::<I, J, 1, 1>,
        (1, _) => pair::<I, J, 1, 2>,
        (_, 0) => pair::<I, J, 2, 0>,
        (_, 1) => pair::<I, J, 2, 1>,
        (_, _) => pair::<I, J, 2, 2>,
    })
}

/// How to pick a pair's handler.
type PickPair = fn(&[u8], &[u8], Option<Slot>) -> Option<Handler>;

/// Lists pairs of instruction types as [`PAIRS`] entries.
macro_rules! pairs {
    ($(($I:ident, $J:ident)),* $(,)?) => {
        [$((opcode_key($I::OPCODE), opcode_key($J::OPCODE), pick_pair::<$I, $J> as PickPair)),*]
    };
}

/// The pairs of instructions that get one handler for both, chosen by how often they follow
/// each other in the benchmarks (`ember-bench --features op-stats`, pairs averaged over the
/// workloads): loop increments and their compare-and-branch, address arithmetic and its load,
/// copies of structures.
static PAIRS: [(usize, usize, PickPair); 159] = pairs![
    (Store64, I32AddImm),
    (I32AddImm, BrI32NeImm),
    (I32Add, I32Add),
    (I64Add, I64Add),
    (I32AddImm, I32AddImm),
    (I32Add, I32AddImm),
    (I32Add, Load64),
    (Copy, Copy),
    (Store8Imm, I32Add),
    (I32Add, BrI32LtUImm),
    (I32AddImm, Load64),
    (Load32, Store32),
    (I32AndImm, I32Add),
    (I64Add, I32AddImm),
    (I64ExtendI32U, I64Add),
    (I32AddImm, BrI32GtUImm),
    (Load32, Load32),
    (Store32, I32LtU),
    (I32AddShl, Load32),
    (I32AddImm, I32AndImm),
    (Load64, Load64AddImm),
    (Load64, I32Add),
    (I32LtU, I32Add),
    (Load8UAdd, BrI32NeImm),
    (F64MulToAcc, F64MulAccLhsToAcc),
    (I32RotlImm, I32XorRotl),
    (Store32, Load32),
    (Load16UAddShl, BrIfEqz),
    (I32Sub, I32AndImm),
    (I32AndImm, I32AddShl),
    (I32AddShl, Load16U),
    (I32Add, Load16UAddImm),
    (I32AndImm, BrI32GtU),
    (Load64, F64MulToAcc),
    (Load16U, BrI32EqImm),
    (I32AddImm, I32Add),
    (Store64, Load64),
    (Load16SAddShl, BrI32LtS),
    (I64Xor, I64MulImm64),
    (I64MulImm64, Load8UAddImm),
    (Load8UAddImm, I64Xor),
    (I32AddImm, BrI32LtU),
    (Load32, BrIfEqz),
    (Load8U, Load8UAdd),
    // Second round: the most frequent pairs left in each workload.
    (I32AddImm, I32AddShl),
    (I32Add, I32AddShl),
    (Load32AddImm, Store32),
    (Store32, Load32AddImm),
    (Load8UAdd, I32Add),
    (I32Add, Load32AddShl),
    (Load8UAddImm, Load8UAdd),
    (Store32, Store32),
    (I32AndImm, BrIfNez),
    (I32AddImm, BrI32GeU),
    (I32AndImm, BrIfEqz),
    (Load32AddShl, BrI32GtUImm),
    (I32AddImm, Store32),
    (Load64, Store64),
    (Load32, I32Add),
    (Load32, BrI32Ne),
    (F64AddAccRhs, Store64),
    (F64SubAccRhs, Store64),
    (F64MulToAcc, F64MulAccRhsToAcc),
    (F64MulAccLhsToAcc, F64AddAccRhs),
    (F64MulAccRhs, F64MulToAcc),
    (I32Add, Load8U),
    (Load8UAdd, BrIfEqz),
    (I32Add, BrIfNez),
    (Load8UAdd, Load8UAdd),
    (Load8UAdd, BrIfNez),
    (Store8, Store8),
    (I32Add, Copy),
    (I32Add, Load32AddImm),
    (I32Xor, I32Add),
    (Copy, I32Xor),
    (I32And, I32Xor),
    (I32XorRotl, I32Add),
    (I32XorRotl, I32XorRotl),
    (I32ShrUImm, I32Xor),
    (Copy, I32Mul),
    (I32Mul, BrI32GtUImm),
    // Constants (materialised in loops) and `select`.
    (Const32, I32AddImm),
    (Const32, BrI32LtUImm),
    (Const32, Load32),
    (Const32, I32Add),
    (Const32, Const32),
    (I32LtU, Select),
    (I32GtU, Select),
    (Select, I32GtU),
    (Select, I32LtU),
    // The fused f64 pairs (matmul, nbody).
    (Load64, F64AddMul),
    (Load64AddImm, F64AddMul),
    (F64AddMul, Store64),
    (F64Sub, F64AddMul),
    (F64AddMul, F64MulImm),
    // Third round: a conditional branch and what it falls through to (loop exits), and the
    // most frequent pairs left (op-stats over all workloads, the session-6 binary).
    (BrI32NeImm, I32Add),
    (BrI32LtUImm, Store8Imm),
    (BrI32NeImm, Load8UAdd),
    (BrIfEqz, I32Sub),
    (BrI32GtU, I32AndImm),
    (BrI32LtUImm, Const32),
    (BrI32GtUImm, I64ExtendI32U),
    (Copy, Load16SAddShl),
    (BrI32EqImm, BrI32GtUImm),
    (BrI32GtUImm, Copy),
    (BrI32LtS, Const32),
    (BrIfNez, I32AddImm),
    (I32AddImm, BrIfNez),
    (BrI32GtUImm, I32AddImm),
    (BrI32Eq, Load16UAddShl),
    (BrI32LtU, I32AddImm),
    (BrI32LtUImm, I64ExtendI32U),
    (Store32, I32AddImm),
    (BrI32Ne, I32AddImm),
    (Copy, I32AddImm),
    (I32Add, Store32),
    (Load32AddImm, I32RotlImm),
    (I32XorRotl, I32ShrUImm),
    (Load32, BrI32GeU),
    (BrIfEqz, I32AddImm),
    (BrI32NeImm, Copy),
    (BrI32NeImm, I32AddImm),
    (I32EqImm, BrIfNez),
    (Load8UAdd, I32EqImm),
    (Load64AddImm, F64Sub),
    // Fourth round: the most frequent pairs left per workload (nbody's float accumulator
    // chains, sort's xorshift, sha256's rounds, loads after branches).
    (F64MulAccRhsToAcc, F64SubImmLhsAccRhsToAcc),
    (F64SubImmLhsAccRhsToAcc, F64MulAccRhs),
    (F64MulAccRhsToAcc, F64MulAccRhsToAcc),
    (F64MulAccLhsToAcc, F64SubAccRhs),
    (Load64, F64MulImmToAcc),
    (F64MulImmToAcc, F64AddAccRhs),
    (I32ShlImm, I32Xor),
    (Select, Store32),
    (I32Xor, I32ShlImm),
    (I32Xor, I32ShrUImm),
    (I32Xor, Store32),
    (Load32, I32GtU),
    (BrI32GtUImm, Load8UAddImm),
    (BrI32GeU, Load32),
    (I32AddImm, Load32),
    (I32Add, Load32),
    (Const32, Select),
    (BrIfEqz, Load32),
    (Load8U, Load8U),
    (I32AddImm, Copy),
    (BrI32LtU, I32Add),
    (BrIfNez, Load8UAdd),
    (Load32, I32AddShl),
    (Copy, I32And),
    (Copy, I32RotlImm),
    (I32And, I32And),
    (I32Xor, Copy),
    (I32Xor, I32And),
    (I32Xor, I32RotlImm),
    (I32AddImm, Load32Add),
    (Load32Add, I32Add),
    // The stack pointer: `global.get` then adjust it, adjust it then `global.set`.
    (GlobalGet, I32AddImm),
    (I32AddImm, GlobalSet),
    (GlobalSet, Copy),
];

/// By [`key`]: whether an instruction type starts some pair of [`PAIRS`].
static PAIR_FIRST: [bool; 512] = {
    let mut t = [false; 512];
    let mut k = 0;
    while k < PAIRS.len() {
        t[PAIRS[k].0] = true;
        k += 1;
    }
    t
};

/// The handler of a byte that is no opcode (verified code never reaches it).
fn bad(ctx: &mut Ctx<'_>, ip: Ip, _: *mut u64, _: Pad, _: *mut u8, _: f64, _: u64) -> Stop {
    ctx.stop_pc = ctx.offset(ip);
    Stop::BadCode
}
