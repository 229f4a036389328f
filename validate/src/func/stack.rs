//! Providers on the compile-time stack: materialising them, copying them, `local.set`.

use super::Fallible;
use super::{Entry, FuncTranslator};
use ember_bytecode::*;

impl FuncTranslator<'_> {
    /// Emits `dst = v` (const32 when the value zero-extends from 32 bits, else const64).
    pub(crate) fn emit_const(&mut self, dst: Slot, v: u64) {
        self.last = None;
        match u32::try_from(v) {
            Ok(value) => Const32 { dst, value }.encode(self.code),
            Err(_) => Const64 { dst, value: v }.encode(self.code),
        }
    }

    /// Emits `dst = src` unless they are the same slot.
    pub(crate) fn emit_copy(&mut self, dst: Slot, src: Slot) {
        if dst != src {
            self.last = None;
            Copy { dst, src }.encode(self.code);
        }
    }

    /// The slot holding a popped entry that was at height `h`; a constant is materialised into
    /// the home slot of `h`.
    pub(crate) fn operand(&mut self, h: u32, e: Entry) -> Slot {
        match e {
            Entry::Local(x) => x,
            Entry::Temp => self.home(h),
            Entry::Const(v) => {
                let dst = self.home(h);
                self.emit_const(dst, v);
                dst
            }
        }
    }

    /// Pops the top entry and returns the slot holding it.
    pub(crate) fn pop_slot(&mut self) -> Fallible<(u32, Slot)> {
        let (h, e) = self.pop()?;
        Ok((h, self.operand(h, e)))
    }

    /// Makes the entry at height `h` a temporary in its home slot.
    pub(crate) fn materialize_at(&mut self, h: u32) {
        let Some(&e) = self.b.stack.get(h as usize) else {
            return;
        };
        let home = self.home(h);
        match e {
            Entry::Temp => return,
            Entry::Local(x) => self.emit_copy(home, x),
            Entry::Const(v) => self.emit_const(home, v),
        }
        self.b.stack[h as usize] = Entry::Temp;
    }

    /// Materialises the top `n` entries and every lazy local reference on the stack (done at the
    /// entry of every block, so that code inside the block never changes a provider below it).
    pub(crate) fn materialize_for_block(&mut self, n: u32) {
        let len = self.height();
        // Lazy locals first, runs of consecutive heights as one `copy_many` (the destinations
        // are temporaries, the sources locals: no overlap).
        self.b.slots.clear();
        let mut run_dst: Slot = 0;
        for h in 0..len {
            if let Entry::Local(x) = self.b.stack[h as usize] {
                let dst = self.home(h);
                if !self.b.slots.is_empty()
                    && usize::from(run_dst) + self.b.slots.len() != usize::from(dst)
                {
                    self.flush_copies(run_dst);
                }
                if self.b.slots.is_empty() {
                    run_dst = dst;
                }
                self.b.slots.push(x);
                self.b.stack[h as usize] = Entry::Temp;
            }
        }
        self.flush_copies(run_dst);
        for h in len.saturating_sub(n)..len {
            self.materialize_at(h);
        }
    }

    /// Materialises every entry that lazily reads local `x`.
    fn materialize_local_refs(&mut self, x: Slot) {
        for h in 0..self.height() {
            if self.b.stack[h as usize] == Entry::Local(x) {
                self.materialize_at(h);
            }
        }
    }

    /// Writes the popped entry `e` (from height `h`) to local `x`.
    pub(crate) fn set_local(&mut self, x: Slot, h: u32, e: Entry) {
        let refs = self.b.stack.contains(&Entry::Local(x));
        if e == Entry::Temp
            && !refs
            && let Some(last) = self.last
            && last.height == h
        {
            // Retarget the producing instruction's dst to the local.
            let at = self.dst_pos(last.pos);
            self.code[at..at + 2].copy_from_slice(&x.to_le_bytes());
            self.last = None;
            return;
        }
        if refs {
            self.materialize_local_refs(x);
        }
        match e {
            Entry::Temp => {
                let src = self.home(h);
                self.emit_copy(x, src)
            }
            Entry::Local(y) => self.emit_copy(x, y),
            Entry::Const(v) => self.emit_const(x, v),
        }
        self.last = None;
    }

    /// Copies the top `n` entries to the home slots of heights `target..target+n` (the values of
    /// a branch to a label, or a block's results at its end). The entries stay as they are.
    /// In-order copying is safe: every temporary source is at a height at or above its target.
    pub(crate) fn copy_top_to(&mut self, target: u32, n: u32) -> Fallible {
        self.need_depth(n)?;
        let len = self.height();
        let first = len - n;
        self.b.slots.clear();
        let mut run_dst: Slot = 0;
        for k in 0..n {
            let h = first + k;
            let dst = self.home(target + k);
            let src = match self.b.stack[h as usize] {
                Entry::Temp => Some(self.home(h)),
                Entry::Local(x) => Some(x),
                Entry::Const(_) => None,
            };
            match src {
                Some(src) if src != dst => {
                    if self.b.slots.is_empty() {
                        run_dst = dst;
                    }
                    self.b.slots.push(src);
                }
                _ => self.flush_copies(run_dst),
            }
        }
        self.flush_copies(run_dst);
        for k in 0..n {
            let h = first + k;
            if let Entry::Const(v) = self.b.stack[h as usize] {
                let dst = self.home(target + k);
                self.emit_const(dst, v);
            }
        }
        Ok(())
    }

    /// Checks the stack holds at least `n` entries (always true for validated code).
    pub(crate) fn need_depth(&self, n: u32) -> Fallible {
        if self.height() < n {
            return Err(self.error("internal: operand stack underflow"));
        }
        Ok(())
    }

    /// Emits the pending run of copies in `slots` to `dst, dst+1, ...`.
    fn flush_copies(&mut self, dst: Slot) {
        match self.b.slots.len() {
            0 => {}
            1 => {
                let src = self.b.slots[0];
                self.emit_copy(dst, src);
            }
            n => {
                self.last = None;
                CopyMany {
                    dst,
                    count: n as u16,
                }
                .encode(self.code);
                for &s in &self.b.slots {
                    self.code.extend_from_slice(&s.to_le_bytes());
                }
            }
        }
        self.b.slots.clear();
    }

    /// Whether a branch carrying the top `n` entries to the label at height `target` needs no
    /// copies (every value is already a temporary in its target slot).
    pub(crate) fn values_in_place(&self, target: u32, n: u32) -> bool {
        let len = self.height();
        if len < n {
            return false;
        }
        (0..n).all(|k| {
            let h = len - n + k;
            h == target + k && self.b.stack[h as usize] == Entry::Temp
        })
    }
}
