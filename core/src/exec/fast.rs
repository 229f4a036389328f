//! The fast loop: interprets the instructions that only touch slots, globals and memory 0 with
//! its state (`pc`, the frame's slots, memory 0, globals) in locals, so the compiler can keep it
//! in registers. Anything else (calls, returns, tables, bulk memory, `memory.grow`) stops the
//! loop with [`Stop::Slow`] *before* changing any state; `Executor::dispatch_loop` then runs
//! that one instruction on the [`Executor`](super::Executor) and re-enters.

use super::visit::{bin, bin_imm, br_cmp, br_cmp_imm, br_un, load, pure_handlers, store, un};
use super::{Flow, Stop, float, numeric};
use crate::error::TrapCode;
use crate::store::GlobalEntity;
use ember_bytecode::*;

/// The hot interpreter state, borrowed from the executor for one run of the fast loop.
pub(super) struct Hot<'a> {
    /// Absolute offset of the next instruction.
    pub(super) pc: usize,
    /// The current frame's slots (from the frame base to the end of the value stack).
    regs: &'a mut [u64],
    /// Memory 0's bytes (empty if the instance has no memory).
    mem: &'a mut [u8],
    /// The store's globals.
    globals: &'a mut [GlobalEntity],
    /// Module global index → store global index, for the current instance.
    global_map: &'a [u32],
}

impl<'a> Hot<'a> {
    #[inline(always)]
    pub(super) fn new(
        pc: usize,
        regs: &'a mut [u64],
        mem: &'a mut [u8],
        globals: &'a mut [GlobalEntity],
        global_map: &'a [u32],
    ) -> Self {
        Hot {
            pc,
            regs,
            mem,
            globals,
            global_map,
        }
    }

    /// Runs until an instruction stops the loop (`Stop::Slow` for one the fast loop leaves to
    /// the executor; `pc` then points at it).
    #[inline(always)]
    pub(super) fn run(&mut self, code: &[u8]) -> Stop {
        loop {
            let pc = self.pc;
            if let Err(stop) = dispatch_or(self, code, pc, |_| Err(Stop::BadCode)) {
                return stop;
            }
        }
    }

    // Slot access: indices are checked against the slice (the translator keeps slots below
    // the frame size, and the executor made the frame fit).
    #[inline(always)]
    fn get(&self, s: Slot) -> u64 {
        self.regs[usize::from(s)]
    }
    #[inline(always)]
    fn set(&mut self, s: Slot, v: u64) {
        self.regs[usize::from(s)] = v;
    }
    #[inline(always)]
    fn u32(&self, s: Slot) -> u32 {
        self.get(s) as u32
    }
    #[inline(always)]
    fn i32(&self, s: Slot) -> i32 {
        self.get(s) as u32 as i32
    }
    #[inline(always)]
    fn u64(&self, s: Slot) -> u64 {
        self.get(s)
    }
    #[inline(always)]
    fn i64(&self, s: Slot) -> i64 {
        self.get(s) as i64
    }
    #[inline(always)]
    fn f32(&self, s: Slot) -> f32 {
        f32::from_bits(self.get(s) as u32)
    }
    #[inline(always)]
    fn f64(&self, s: Slot) -> f64 {
        f64::from_bits(self.get(s))
    }
    #[inline(always)]
    fn set_u32(&mut self, s: Slot, v: u32) {
        self.set(s, u64::from(v));
    }
    #[inline(always)]
    fn set_i32(&mut self, s: Slot, v: i32) {
        self.set(s, u64::from(v as u32));
    }
    #[inline(always)]
    fn set_u64(&mut self, s: Slot, v: u64) {
        self.set(s, v);
    }
    #[inline(always)]
    fn set_i64(&mut self, s: Slot, v: i64) {
        self.set(s, v as u64);
    }
    #[inline(always)]
    fn set_f32(&mut self, s: Slot, v: f32) {
        self.set(s, u64::from(v.to_bits()));
    }
    #[inline(always)]
    fn set_f64(&mut self, s: Slot, v: f64) {
        self.set(s, v.to_bits());
    }
    #[inline(always)]
    fn set_bool(&mut self, s: Slot, v: bool) {
        self.set(s, u64::from(v));
    }
    #[inline(always)]
    fn branch(&mut self, offset: i32) {
        self.pc = self.pc.wrapping_add_signed(offset as isize);
    }

    /// Reads `N` bytes at `addr + offset` of memory 0.
    #[inline(always)]
    fn load<const N: usize>(&self, addr: Slot, offset: u32) -> Result<[u8; N], Stop> {
        let ea = u64::from(self.u32(addr)) + u64::from(offset);
        // `ea` < 2^33 and N <= 8: no overflow.
        if ea + N as u64 > self.mem.len() as u64 {
            return Err(TrapCode::MemoryOutOfBounds.into());
        }
        let ea = ea as usize;
        let mut b = [0u8; N];
        b.copy_from_slice(&self.mem[ea..ea + N]);
        Ok(b)
    }

    /// Writes `N` bytes at `addr + offset` of memory 0.
    #[inline(always)]
    fn store<const N: usize>(&mut self, addr: Slot, offset: u32, bytes: [u8; N]) -> Flow {
        let ea = u64::from(self.u32(addr)) + u64::from(offset);
        if ea + N as u64 > self.mem.len() as u64 {
            return Err(TrapCode::MemoryOutOfBounds.into());
        }
        let ea = ea as usize;
        self.mem[ea..ea + N].copy_from_slice(&bytes);
        Ok(())
    }

    #[inline(always)]
    fn global(&mut self, index: u32) -> Result<&mut GlobalEntity, Stop> {
        let g = *self.global_map.get(index as usize).ok_or(Stop::BadCode)?;
        self.globals.get_mut(g as usize).ok_or(Stop::BadCode)
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

impl Visit for Hot<'_> {
    type Output = Flow;

    pure_handlers!();

    #[inline(always)]
    fn global_get(&mut self, i: GlobalGet) -> Flow {
        let v = self.global(i.index)?.value;
        self.set(i.dst, v);
        self.pc += GlobalGet::SIZE;
        Ok(())
    }
    #[inline(always)]
    fn global_set(&mut self, i: GlobalSet) -> Flow {
        let v = self.get(i.src);
        self.global(i.index)?.value = v;
        self.pc += GlobalSet::SIZE;
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
        self.pc += MemorySize::SIZE;
        Ok(())
    }

    slow! {
        ret Return;
        return_slot ReturnSlot;
        return_imm32 ReturnImm32;
        return_imm64 ReturnImm64;
        return_many ReturnMany [Slot];
        call Call;
        call_indirect CallIndirect;
        memory_grow MemoryGrow;
        memory_fill MemoryFill;
        memory_copy MemoryCopy;
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
