//! Structured control flow: blocks, branches, `br_table`, returns.

use super::Fallible;
use super::cond::Cond;
use super::{Ctrl, Entry, Fixup, FuncTranslator, Kind};
use ember_bytecode::*;
use wasmparser::BlockType;

impl FuncTranslator<'_> {
    /// Parameter and result counts of a block type.
    fn block_arity(&self, bt: BlockType) -> Fallible<(u32, u32)> {
        Ok(match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(i) => {
                let ty = self
                    .module
                    .types
                    .get(i as usize)
                    .ok_or_else(|| self.error("unknown block type"))?;
                (ty.params().len() as u32, ty.results().len() as u32)
            }
        })
    }

    /// The branch offset from `instr` to `target`.
    fn rel(&self, instr: usize, target: usize) -> Fallible<BrOffset> {
        let d = target as i64 - instr as i64;
        i32::try_from(d).map_err(|_| self.too_large("branch offset exceeds i32"))
    }

    /// Writes the offset field at `field` of the branch at `instr` to jump to `target`.
    fn patch(&mut self, instr: usize, field: usize, target: usize) -> Fallible {
        let off = self.rel(instr, target)?;
        self.code[field..field + 4].copy_from_slice(&off.to_le_bytes());
        if target == self.code.len() {
            self.bound_here = target;
        }
        Ok(())
    }

    /// Binds every pending branch to frame `label` to the current position.
    fn bind_label(&mut self, label: u32) -> Fallible {
        // A jump or conditional branch to this label that is the last instruction emitted would
        // jump to the next instruction: drop it. (A label bound at its position now denotes the
        // same place: the instruction that follows.)
        let end = self.code.len();
        if self.bound_here != end
            && let Some(i) = self.b.fixups.iter().rposition(|f| {
                f.label == label && f.field + 4 == end && self.code[f.instr] != op::BrTable
            })
        {
            let f = self.b.fixups.swap_remove(i);
            self.code.truncate(f.instr);
        }
        let here = self.code.len();
        let mut i = 0;
        while i < self.b.fixups.len() {
            let f = self.b.fixups[i];
            if f.label == label {
                self.patch(f.instr, f.field, here)?;
                self.b.fixups.swap_remove(i);
            } else {
                i += 1;
            }
        }
        self.last = None;
        Ok(())
    }

    /// Emits a conditional branch with a zero offset; returns its position.
    fn emit_cond_branch(&mut self, cond: Cond) -> usize {
        self.last = None;
        let pos = self.code.len();
        cond.encode(0, self.code);
        pos
    }

    /// Field position of the offset of the branch at `pos` (always its last 4 bytes).
    fn field_of(&self, _pos: usize) -> usize {
        self.code.len() - 4
    }

    /// Emits an unconditional jump to frame `idx` (which is not the function frame).
    fn emit_jump(&mut self, idx: u32) -> Fallible {
        self.last = None;
        let pos = self.code.len();
        let frame = self.b.ctrl[idx as usize];
        if frame.kind == Kind::Loop {
            let offset = self.rel(pos, frame.pc)?;
            Br { offset }.encode(self.code);
        } else {
            Br { offset: 0 }.encode(self.code);
            let field = self.field_of(pos);
            self.b.fixups.push(Fixup {
                label: idx,
                instr: pos,
                field,
            });
            self.note_branch_to_end(idx);
        }
        Ok(())
    }

    /// Emits a conditional branch to frame `idx` (not the function frame) when values need no copy.
    fn emit_cond_jump(&mut self, cond: Cond, idx: u32) -> Fallible {
        let pos = self.emit_cond_branch(cond);
        let field = self.field_of(pos);
        let frame = self.b.ctrl[idx as usize];
        if frame.kind == Kind::Loop {
            self.patch(pos, field, frame.pc)?;
        } else {
            self.b.fixups.push(Fixup {
                label: idx,
                instr: pos,
                field,
            });
            self.note_branch_to_end(idx);
        }
        Ok(())
    }

    /// Emits the complete unconditional transfer to frame `idx`: value copies and the jump (or a
    /// return, for the function frame). The stack is left unchanged.
    fn emit_branch_to(&mut self, idx: u32) -> Fallible {
        if idx == 0 {
            return self.emit_return();
        }
        let frame = self.b.ctrl[idx as usize];
        self.copy_top_to(frame.height, frame.label_arity())?;
        self.emit_jump(idx)
    }

    /// Index of the frame `depth` levels out.
    fn frame_index(&self, depth: u32) -> Fallible<u32> {
        (self.b.ctrl.len() as u32)
            .checked_sub(1)
            .and_then(|top| top.checked_sub(depth))
            .ok_or_else(|| self.error("internal: branch depth out of range"))
    }

    /// Code after this point is unreachable until the end of the current frame.
    fn set_unreachable(&mut self) {
        self.unreachable = true;
        self.dead_depth = 0;
        self.last = None;
        if let Some(f) = self.b.ctrl.last() {
            let h = f.height as usize;
            if self.b.stack.len() > h {
                self.b.stack.truncate(h);
            }
        }
    }

    /// Pops the condition of a `br_if`/`if`, fusing with the compare just emitted if possible.
    fn pop_cond(&mut self) -> Fallible<Cond> {
        let (h, e) = self.pop()?;
        if e == Entry::Temp
            && let Some(last) = self.last
            && last.height == h
            && let Some(c) = last.cond
        {
            self.code.truncate(last.pos);
            self.last = None;
            return Ok(c);
        }
        Ok(Cond::Nez(self.operand(h, e)))
    }

    /// `block` / `loop`.
    pub(crate) fn op_block(&mut self, bt: BlockType, kind: Kind) -> Fallible {
        if self.unreachable {
            self.dead_depth += 1;
            return Ok(());
        }
        let (nparams, nresults) = self.block_arity(bt)?;
        self.need_depth(nparams)?;
        self.materialize_for_block(nparams);
        self.last = None;
        let height = self.height() - nparams;
        // The block's results must have home slots even if it ends with an empty stack.
        self.need_slots(self.base + height + nresults)?;
        self.b.ctrl.push(Ctrl {
            kind,
            height,
            nparams,
            nresults,
            pc: self.code.len(),
            else_branch: None,
            branched: false,
            entry_assigned: self.assigned,
            label_assigned: super::init::UNREACHED,
        });
        Ok(())
    }

    /// `if`.
    pub(crate) fn op_if(&mut self, bt: BlockType) -> Fallible {
        if self.unreachable {
            self.dead_depth += 1;
            return Ok(());
        }
        let (nparams, nresults) = self.block_arity(bt)?;
        let cond = self.pop_cond()?;
        self.need_depth(nparams)?;
        self.materialize_for_block(nparams);
        let pos = self.emit_cond_branch(cond.negate());
        let field = self.field_of(pos);
        let height = self.height() - nparams;
        self.need_slots(self.base + height + nresults)?;
        self.b.ctrl.push(Ctrl {
            kind: Kind::If,
            height,
            nparams,
            nresults,
            pc: pos,
            else_branch: Some((pos, field)),
            branched: false,
            entry_assigned: self.assigned,
            label_assigned: super::init::UNREACHED,
        });
        Ok(())
    }

    /// `else`.
    pub(crate) fn op_else(&mut self) -> Fallible {
        if self.unreachable && self.dead_depth > 0 {
            return Ok(());
        }
        let idx = self.frame_index(0)?;
        let frame = self.b.ctrl[idx as usize];
        if !self.unreachable {
            self.copy_top_to(frame.height, frame.nresults)?;
            self.emit_jump(idx)?;
        }
        if let Some((pos, field)) = frame.else_branch {
            let here = self.code.len();
            self.patch(pos, field, here)?;
        }
        self.note_else(&frame);
        let f = &mut self.b.ctrl[idx as usize];
        f.else_branch = None;
        f.kind = Kind::Else;
        self.b.stack.truncate(frame.height as usize);
        for _ in 0..frame.nparams {
            self.push(Entry::Temp)?;
        }
        self.unreachable = false;
        self.last = None;
        Ok(())
    }

    /// `end`.
    pub(crate) fn op_end(&mut self) -> Fallible {
        if self.unreachable && self.dead_depth > 0 {
            self.dead_depth -= 1;
            return Ok(());
        }
        let idx = self.frame_index(0)?;
        let frame = self.b.ctrl[idx as usize];
        if frame.kind == Kind::Func {
            if !self.unreachable {
                self.emit_return()?;
            }
            self.b.ctrl.pop();
            return Ok(());
        }
        let fallthrough = !self.unreachable;
        if fallthrough {
            self.copy_top_to(frame.height, frame.nresults)?;
        }
        let mut reachable = fallthrough;
        if frame.kind != Kind::Loop {
            reachable |= frame.branched;
        }
        let frame = self.b.ctrl[idx as usize];
        self.note_end(&frame, fallthrough);
        self.bind_label(idx)?;
        if let Some((pos, field)) = frame.else_branch {
            reachable = true;
            let here = self.code.len();
            self.patch(pos, field, here)?;
        }
        self.b.ctrl.pop();
        self.b.stack.truncate(frame.height as usize);
        for _ in 0..frame.nresults {
            self.push(Entry::Temp)?;
        }
        self.unreachable = false;
        self.dead_depth = 0;
        self.last = None;
        if !reachable {
            self.set_unreachable();
        }
        Ok(())
    }

    /// `br`.
    pub(crate) fn op_br(&mut self, depth: u32) -> Fallible {
        let idx = self.frame_index(depth)?;
        self.emit_branch_to(idx)?;
        self.set_unreachable();
        Ok(())
    }

    /// `br_if`.
    pub(crate) fn op_br_if(&mut self, depth: u32) -> Fallible {
        let idx = self.frame_index(depth)?;
        let cond = self.pop_cond()?;
        let frame = self.b.ctrl[idx as usize];
        if idx != 0 && self.values_in_place(frame.height, frame.label_arity()) {
            return self.emit_cond_jump(cond, idx);
        }
        // Skip over the copies and the jump when the condition is false.
        let skip = self.emit_cond_branch(cond.negate());
        let field = self.field_of(skip);
        self.emit_branch_to(idx)?;
        let here = self.code.len();
        self.patch(skip, field, here)?;
        self.last = None;
        Ok(())
    }

    /// `br_table`.
    pub(crate) fn op_br_table(&mut self, table: &wasmparser::BrTable<'_>) -> Fallible {
        let (_, index) = self.pop_slot()?;
        self.b.targets.clear();
        for t in table.targets() {
            let t = t.map_err(|e| super::wp_err(e, self.func_index))?;
            self.b.targets.push(t);
        }
        self.b.targets.push(table.default());
        let count = self.b.targets.len();
        let count_u32 =
            u32::try_from(count).map_err(|_| self.too_large("br_table with too many targets"))?;
        self.last = None;
        let pos = self.code.len();
        BrTable {
            index,
            count: count_u32,
        }
        .encode(self.code);
        let tail = self.code.len();
        self.code.resize(tail + 4 * count, 0);
        self.b.stubs.clear();
        for j in 0..count {
            let depth = self.b.targets[j];
            let idx = self.frame_index(depth)?;
            let field = tail + 4 * j;
            let frame = self.b.ctrl[idx as usize];
            if idx != 0 && self.values_in_place(frame.height, frame.label_arity()) {
                if frame.kind == Kind::Loop {
                    self.patch(pos, field, frame.pc)?;
                } else {
                    self.b.fixups.push(Fixup {
                        label: idx,
                        instr: pos,
                        field,
                    });
                    self.note_branch_to_end(idx);
                }
                continue;
            }
            let stub = match self.b.stubs.iter().find(|s| s.0 == idx) {
                Some(&(_, at)) => at,
                None => {
                    let at = self.code.len();
                    self.emit_branch_to(idx)?;
                    self.b.stubs.push((idx, at));
                    at
                }
            };
            self.patch(pos, field, stub)?;
        }
        self.set_unreachable();
        Ok(())
    }

    /// Emits a return of the top `num_results` entries. The stack is left unchanged.
    pub(crate) fn emit_return(&mut self) -> Fallible {
        self.last = None;
        let n = self.num_results;
        self.need_depth(n)?;
        let len = self.height();
        match n {
            0 => Return {}.encode(self.code),
            1 => {
                let h = len - 1;
                match self.b.stack[h as usize] {
                    Entry::Const(v) => match u32::try_from(v) {
                        Ok(value) => ReturnImm32 { value }.encode(self.code),
                        Err(_) => ReturnImm64 { value: v }.encode(self.code),
                    },
                    Entry::Local(x) => ReturnSlot { src: x }.encode(self.code),
                    Entry::Temp => {
                        let src = self.home(h);
                        ReturnSlot { src }.encode(self.code)
                    }
                }
            }
            _ => {
                // Constants go to their own home slots first (above every other source).
                for k in 0..n {
                    let h = len - n + k;
                    if let Entry::Const(v) = self.b.stack[h as usize] {
                        let dst = self.home(h);
                        self.emit_const(dst, v);
                    }
                }
                ReturnMany { count: n as u16 }.encode(self.code);
                for k in 0..n {
                    let h = len - n + k;
                    let s = match self.b.stack[h as usize] {
                        Entry::Local(x) => x,
                        _ => self.home(h),
                    };
                    self.code.extend_from_slice(&s.to_le_bytes());
                }
            }
        }
        Ok(())
    }

    /// `return`.
    pub(crate) fn op_return(&mut self) -> Fallible {
        self.emit_return()?;
        self.set_unreachable();
        Ok(())
    }

    /// `unreachable`.
    pub(crate) fn op_unreachable(&mut self) {
        self.last = None;
        Unreachable {}.encode(self.code);
        self.set_unreachable();
    }
}
