//! Lowering of individual operators.

use super::Fallible;
use super::cond::{CmpOp, Cond, encode_cmp, encode_cmp_imm};
use super::{Entry, FuncTranslator, Kind};
use alloc::vec::Vec;
use ember_bytecode::*;
use wasmparser::{MemArg, Operator as O};

type Out = Vec<u8>;

/// An immediate for an integer op: i32 ops take any constant, i64 ops one that fits in i32.
fn imm_of(c: u64, is64: bool) -> Option<i32> {
    if is64 {
        i32::try_from(c as i64).ok()
    } else {
        Some(c as u32 as i32)
    }
}

/// The width of a store.
#[derive(Clone, Copy)]
enum StoreWidth {
    S8,
    S16,
    S32,
    S64,
}

/// An integer binary operator with an optional immediate form.
struct IntOp {
    is64: bool,
    reg: fn(Slot, Slot, Slot, &mut Out),
    imm: Option<fn(Slot, Slot, i32, &mut Out)>,
    commutative: bool,
    /// Shift or rotate: the immediate is taken modulo the bit width.
    shift: bool,
}

macro_rules! reg {
    ($t:ident) => {
        |dst, lhs, rhs, out: &mut Out| $t { dst, lhs, rhs }.encode(out)
    };
}
macro_rules! imm {
    ($t:ident) => {
        Some(|dst, lhs, imm, out: &mut Out| $t { dst, lhs, imm }.encode(out))
    };
}
/// Encoder of a float operator with a constant right operand (bits).
macro_rules! fimm32 {
    ($t:ident) => {
        |dst, lhs, bits: u64, out: &mut Out| {
            $t {
                dst,
                lhs,
                value: bits as u32,
            }
            .encode(out)
        }
    };
}
macro_rules! fimm64 {
    ($t:ident) => {
        |dst, lhs, value: u64, out: &mut Out| $t { dst, lhs, value }.encode(out)
    };
}
/// Encoder of a float operator with a constant left operand (bits).
macro_rules! fimm32_lhs {
    ($t:ident) => {
        Some(|dst, bits: u64, rhs, out: &mut Out| {
            $t {
                dst,
                value: bits as u32,
                rhs,
            }
            .encode(out)
        })
    };
}
macro_rules! fimm64_lhs {
    ($t:ident) => {
        Some(|dst, value: u64, rhs, out: &mut Out| $t { dst, value, rhs }.encode(out))
    };
}
macro_rules! un {
    ($t:ident) => {
        |dst, src, out: &mut Out| $t { dst, src }.encode(out)
    };
}

const fn int_op(
    is64: bool,
    reg: fn(Slot, Slot, Slot, &mut Out),
    imm: Option<fn(Slot, Slot, i32, &mut Out)>,
    commutative: bool,
    shift: bool,
) -> IntOp {
    IntOp {
        is64,
        reg,
        imm,
        commutative,
        shift,
    }
}

impl FuncTranslator<'_> {
    /// Translates one (already validated) operator. Inlined into each `visit_*` method of
    /// [`super::OpVisitor`], where `op` is a constant, so only its own arm remains: 6% fewer
    /// instructions translating programs.wasm, and about the same code size as one shared copy
    /// (measured on thumbv7em at opt-level z).
    #[inline(always)]
    pub(crate) fn operator(&mut self, op: &O<'_>) -> Fallible {
        if self.unreachable {
            match op {
                O::Block { .. } | O::Loop { .. } | O::If { .. } => self.dead_depth += 1,
                O::Else => self.op_else()?,
                O::End => self.op_end()?,
                _ => {}
            }
            return Ok(());
        }
        match *op {
            O::Unreachable => self.op_unreachable(),
            O::Nop => {}
            O::Block { blockty } => self.op_block(blockty, Kind::Block)?,
            O::Loop { blockty } => self.op_block(blockty, Kind::Loop)?,
            O::If { blockty } => self.op_if(blockty)?,
            O::Else => self.op_else()?,
            O::End => self.op_end()?,
            O::Br { relative_depth } => self.op_br(relative_depth)?,
            O::BrIf { relative_depth } => self.op_br_if(relative_depth)?,
            O::BrTable { ref targets } => self.op_br_table(targets)?,
            O::Return => self.op_return()?,
            O::Call { function_index } => self.op_call(function_index)?,
            O::CallIndirect {
                type_index,
                table_index,
            } => self.op_call_indirect(type_index, table_index)?,
            O::Drop => {
                self.pop()?;
            }
            O::Select | O::TypedSelect { .. } => self.op_select()?,
            O::LocalGet { local_index } => {
                let x = self.local(local_index)?;
                self.note_local_read(x);
                self.push(Entry::Local(x))?;
            }
            O::LocalSet { local_index } => {
                let x = self.local(local_index)?;
                let (h, e) = self.pop()?;
                self.set_local(x, h, e);
                self.note_local_write(x);
            }
            O::LocalTee { local_index } => {
                let x = self.local(local_index)?;
                let (h, e) = self.pop()?;
                self.set_local(x, h, e);
                self.note_local_write(x);
                self.push(Entry::Local(x))?;
            }
            O::GlobalGet { global_index } => {
                let h = self.height();
                let pos = self.code.len();
                GlobalGet {
                    dst: self.home(h),
                    index: global_index,
                }
                .encode(self.code);
                self.def(pos, h, None)?;
            }
            O::GlobalSet { global_index } => {
                let (_, src) = self.pop_slot()?;
                self.last = None;
                GlobalSet {
                    index: global_index,
                    src,
                }
                .encode(self.code);
            }

            // ---- memory ----
            O::I32Load { memarg } | O::F32Load { memarg } | O::I64Load32U { memarg } => {
                self.load(memarg, Width::Load32)?
            }
            O::I64Load { memarg } | O::F64Load { memarg } => self.load(memarg, Width::Load64)?,
            O::I32Load8S { memarg } | O::I64Load8S { memarg } => {
                self.load(memarg, Width::Load8S)?
            }
            O::I32Load8U { memarg } | O::I64Load8U { memarg } => {
                self.load(memarg, Width::Load8U)?
            }
            O::I32Load16S { memarg } | O::I64Load16S { memarg } => {
                self.load(memarg, Width::Load16S)?
            }
            O::I32Load16U { memarg } | O::I64Load16U { memarg } => {
                self.load(memarg, Width::Load16U)?
            }
            O::I64Load32S { memarg } => self.load(memarg, Width::Load32S)?,
            O::I32Store { memarg } | O::F32Store { memarg } | O::I64Store32 { memarg } => {
                self.store(memarg, StoreWidth::S32)?
            }
            O::I64Store { memarg } | O::F64Store { memarg } => {
                self.store(memarg, StoreWidth::S64)?
            }
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                self.store(memarg, StoreWidth::S8)?
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => {
                self.store(memarg, StoreWidth::S16)?
            }
            O::MemorySize { .. } => {
                let h = self.height();
                let pos = self.code.len();
                MemorySize { dst: self.home(h) }.encode(self.code);
                self.def(pos, h, None)?;
            }
            O::MemoryGrow { .. } => {
                self.unop(|dst, delta, o| MemoryGrow { dst, delta }.encode(o))?
            }
            O::MemoryFill { .. } => {
                let [dst_addr, value, len] = self.pop3()?;
                MemoryFill {
                    dst_addr,
                    value,
                    len,
                }
                .encode(self.code);
            }
            O::MemoryCopy { .. } => {
                let [dst_addr, src_addr, len] = self.pop3()?;
                MemoryCopy {
                    dst_addr,
                    src_addr,
                    len,
                }
                .encode(self.code);
            }
            O::MemoryInit { data_index, .. } => {
                let [dst_addr, src_offset, len] = self.pop3()?;
                MemoryInit {
                    segment: data_index,
                    dst_addr,
                    src_offset,
                    len,
                }
                .encode(self.code);
            }
            O::DataDrop { data_index } => {
                self.last = None;
                DataDrop {
                    segment: data_index,
                }
                .encode(self.code);
            }

            // ---- tables and references ----
            O::TableGet { table } => {
                self.unop(|dst, index, o| TableGet { dst, table, index }.encode(o))?
            }
            O::TableSet { table } => {
                let (_, value) = self.pop_slot()?;
                let (_, index) = self.pop_slot()?;
                self.last = None;
                TableSet {
                    table,
                    index,
                    value,
                }
                .encode(self.code);
            }
            O::TableSize { table } => {
                let h = self.height();
                let pos = self.code.len();
                TableSize {
                    dst: self.home(h),
                    table,
                }
                .encode(self.code);
                self.def(pos, h, None)?;
            }
            O::TableGrow { table } => {
                let (_, delta) = self.pop_slot()?;
                let (h, init) = self.pop_slot()?;
                let pos = self.code.len();
                TableGrow {
                    dst: self.home(h),
                    table,
                    init,
                    delta,
                }
                .encode(self.code);
                self.def(pos, h, None)?;
            }
            O::TableFill { table } => {
                let [start, value, len] = self.pop3()?;
                TableFill {
                    table,
                    start,
                    value,
                    len,
                }
                .encode(self.code);
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let [dst_index, src_index, len] = self.pop3()?;
                TableCopy {
                    dst_table,
                    src_table,
                    dst_index,
                    src_index,
                    len,
                }
                .encode(self.code);
            }
            O::TableInit { elem_index, table } => {
                let [dst_index, src_offset, len] = self.pop3()?;
                TableInit {
                    table,
                    segment: elem_index,
                    dst_index,
                    src_offset,
                    len,
                }
                .encode(self.code);
            }
            O::ElemDrop { elem_index } => {
                self.last = None;
                ElemDrop {
                    segment: elem_index,
                }
                .encode(self.code);
            }
            O::RefNull { .. } => self.push(Entry::Const(0))?,
            O::RefIsNull => self.unop(un!(RefIsNull))?,
            O::RefFunc { function_index } => {
                let h = self.height();
                let pos = self.code.len();
                RefFunc {
                    dst: self.home(h),
                    func: function_index,
                }
                .encode(self.code);
                self.def(pos, h, None)?;
            }

            // ---- constants ----
            O::I32Const { value } => self.push(Entry::Const(u64::from(value as u32)))?,
            O::I64Const { value } => self.push(Entry::Const(value as u64))?,
            O::F32Const { value } => self.push(Entry::Const(u64::from(value.bits())))?,
            O::F64Const { value } => self.push(Entry::Const(value.bits()))?,

            // ---- i32 ----
            O::I32Eqz => self.eqz(false)?,
            O::I32Eq => self.cmp(false, CmpOp::Eq)?,
            O::I32Ne => self.cmp(false, CmpOp::Ne)?,
            O::I32LtS => self.cmp(false, CmpOp::LtS)?,
            O::I32LtU => self.cmp(false, CmpOp::LtU)?,
            O::I32GtS => self.cmp(false, CmpOp::GtS)?,
            O::I32GtU => self.cmp(false, CmpOp::GtU)?,
            O::I32LeS => self.cmp(false, CmpOp::LeS)?,
            O::I32LeU => self.cmp(false, CmpOp::LeU)?,
            O::I32GeS => self.cmp(false, CmpOp::GeS)?,
            O::I32GeU => self.cmp(false, CmpOp::GeU)?,
            O::I32Clz => self.unop(un!(I32Clz))?,
            O::I32Ctz => self.unop(un!(I32Ctz))?,
            O::I32Popcnt => self.unop(un!(I32Popcnt))?,
            O::I32Add => {
                if !self.fuse_imm_operand(&[(op::I32ShlImm, |dst, lhs, rhs, imm, o| {
                    I32AddShl { dst, lhs, rhs, imm }.encode(o)
                })])? {
                    self.int_op(&int_op(false, reg!(I32Add), imm!(I32AddImm), true, false))?
                }
            }
            O::I32Sub => self.sub(false)?,
            O::I32Mul => self.int_op(&int_op(false, reg!(I32Mul), imm!(I32MulImm), true, false))?,
            O::I32DivS => self.binop(reg!(I32DivS))?,
            O::I32DivU => self.binop(reg!(I32DivU))?,
            O::I32RemS => self.binop(reg!(I32RemS))?,
            O::I32RemU => self.binop(reg!(I32RemU))?,
            O::I32And => self.int_op(&int_op(false, reg!(I32And), imm!(I32AndImm), true, false))?,
            O::I32Or => self.int_op(&int_op(false, reg!(I32Or), imm!(I32OrImm), true, false))?,
            O::I32Xor => {
                if !self.fuse_imm_operand(&[(op::I32RotlImm, |dst, lhs, rhs, imm, o| {
                    I32XorRotl { dst, lhs, rhs, imm }.encode(o)
                })])? {
                    self.int_op(&int_op(false, reg!(I32Xor), imm!(I32XorImm), true, false))?
                }
            }
            O::I32Shl => self.int_op(&int_op(false, reg!(I32Shl), imm!(I32ShlImm), false, true))?,
            O::I32ShrS => {
                self.int_op(&int_op(false, reg!(I32ShrS), imm!(I32ShrSImm), false, true))?
            }
            O::I32ShrU => {
                self.int_op(&int_op(false, reg!(I32ShrU), imm!(I32ShrUImm), false, true))?
            }
            O::I32Rotl => {
                self.int_op(&int_op(false, reg!(I32Rotl), imm!(I32RotlImm), false, true))?
            }
            O::I32Rotr => {
                self.int_op(&int_op(false, reg!(I32Rotr), imm!(I32RotrImm), false, true))?
            }

            // ---- i64 ----
            O::I64Eqz => self.eqz(true)?,
            O::I64Eq => self.cmp(true, CmpOp::Eq)?,
            O::I64Ne => self.cmp(true, CmpOp::Ne)?,
            O::I64LtS => self.cmp(true, CmpOp::LtS)?,
            O::I64LtU => self.cmp(true, CmpOp::LtU)?,
            O::I64GtS => self.cmp(true, CmpOp::GtS)?,
            O::I64GtU => self.cmp(true, CmpOp::GtU)?,
            O::I64LeS => self.cmp(true, CmpOp::LeS)?,
            O::I64LeU => self.cmp(true, CmpOp::LeU)?,
            O::I64GeS => self.cmp(true, CmpOp::GeS)?,
            O::I64GeU => self.cmp(true, CmpOp::GeU)?,
            O::I64Clz => self.unop(un!(I64Clz))?,
            O::I64Ctz => self.unop(un!(I64Ctz))?,
            O::I64Popcnt => self.unop(un!(I64Popcnt))?,
            O::I64Add => self.int_op(&int_op(true, reg!(I64Add), imm!(I64AddImm), true, false))?,
            O::I64Sub => self.sub(true)?,
            O::I64Mul => {
                if !self.i64_mul_imm64()? {
                    self.int_op(&int_op(true, reg!(I64Mul), imm!(I64MulImm), true, false))?
                }
            }
            O::I64DivS => self.binop(reg!(I64DivS))?,
            O::I64DivU => self.binop(reg!(I64DivU))?,
            O::I64RemS => self.binop(reg!(I64RemS))?,
            O::I64RemU => self.binop(reg!(I64RemU))?,
            O::I64And => self.int_op(&int_op(true, reg!(I64And), imm!(I64AndImm), true, false))?,
            O::I64Or => self.int_op(&int_op(true, reg!(I64Or), imm!(I64OrImm), true, false))?,
            O::I64Xor => self.int_op(&int_op(true, reg!(I64Xor), imm!(I64XorImm), true, false))?,
            O::I64Shl => self.int_op(&int_op(true, reg!(I64Shl), imm!(I64ShlImm), false, true))?,
            O::I64ShrS => {
                self.int_op(&int_op(true, reg!(I64ShrS), imm!(I64ShrSImm), false, true))?
            }
            O::I64ShrU => {
                self.int_op(&int_op(true, reg!(I64ShrU), imm!(I64ShrUImm), false, true))?
            }
            O::I64Rotl => {
                self.int_op(&int_op(true, reg!(I64Rotl), imm!(I64RotlImm), false, true))?
            }
            O::I64Rotr => {
                self.int_op(&int_op(true, reg!(I64Rotr), imm!(I64RotrImm), false, true))?
            }

            // ---- f32 ----
            O::F32Eq => self.binop(reg!(F32Eq))?,
            O::F32Ne => self.binop(reg!(F32Ne))?,
            O::F32Lt => self.binop(reg!(F32Lt))?,
            O::F32Gt => self.binop(reg!(F32Gt))?,
            O::F32Le => self.binop(reg!(F32Le))?,
            O::F32Ge => self.binop(reg!(F32Ge))?,
            O::F32Abs => self.unop(un!(F32Abs))?,
            O::F32Neg => self.unop(un!(F32Neg))?,
            O::F32Ceil => self.unop(un!(F32Ceil))?,
            O::F32Floor => self.unop(un!(F32Floor))?,
            O::F32Trunc => self.unop(un!(F32Trunc))?,
            O::F32Nearest => self.unop(un!(F32Nearest))?,
            O::F32Sqrt => self.unop(un!(F32Sqrt))?,
            O::F32Add => self.float_op(reg!(F32Add), fimm32!(F32AddImm), None)?,
            O::F32Sub => {
                self.float_op(reg!(F32Sub), fimm32!(F32SubImm), fimm32_lhs!(F32SubImmLhs))?
            }
            O::F32Mul => self.float_op(reg!(F32Mul), fimm32!(F32MulImm), None)?,
            O::F32Div => {
                self.float_op(reg!(F32Div), fimm32!(F32DivImm), fimm32_lhs!(F32DivImmLhs))?
            }
            O::F32Min => self.binop(reg!(F32Min))?,
            O::F32Max => self.binop(reg!(F32Max))?,
            O::F32Copysign => self.binop(reg!(F32Copysign))?,

            // ---- f64 ----
            O::F64Eq => self.binop(reg!(F64Eq))?,
            O::F64Ne => self.binop(reg!(F64Ne))?,
            O::F64Lt => self.binop(reg!(F64Lt))?,
            O::F64Gt => self.binop(reg!(F64Gt))?,
            O::F64Le => self.binop(reg!(F64Le))?,
            O::F64Ge => self.binop(reg!(F64Ge))?,
            O::F64Abs => self.unop(un!(F64Abs))?,
            O::F64Neg => self.unop(un!(F64Neg))?,
            O::F64Ceil => self.unop(un!(F64Ceil))?,
            O::F64Floor => self.unop(un!(F64Floor))?,
            O::F64Trunc => self.unop(un!(F64Trunc))?,
            O::F64Nearest => self.unop(un!(F64Nearest))?,
            O::F64Sqrt => self.unop(un!(F64Sqrt))?,
            O::F64Add => {
                if !self.mul_add()? {
                    self.float_op(reg!(F64Add), fimm64!(F64AddImm), None)?
                }
            }
            O::F64Sub => {
                self.float_op(reg!(F64Sub), fimm64!(F64SubImm), fimm64_lhs!(F64SubImmLhs))?
            }
            O::F64Mul => self.float_op(reg!(F64Mul), fimm64!(F64MulImm), None)?,
            O::F64Div => {
                self.float_op(reg!(F64Div), fimm64!(F64DivImm), fimm64_lhs!(F64DivImmLhs))?
            }
            O::F64Min => self.binop(reg!(F64Min))?,
            O::F64Max => self.binop(reg!(F64Max))?,
            O::F64Copysign => self.binop(reg!(F64Copysign))?,

            // ---- conversions ----
            O::I32WrapI64 => {
                // The low 32 bits are the result: re-type the provider.
                if let Some(Entry::Const(v)) = self.b.stack.last_mut() {
                    *v &= 0xFFFF_FFFF;
                }
            }
            O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64 => {}
            O::I64ExtendI32S | O::I64Extend32S => self.unop(un!(I64ExtendI32S))?,
            O::I64ExtendI32U => self.unop(un!(I64ExtendI32U))?,
            O::I32Extend8S => self.unop(un!(I32Extend8S))?,
            O::I32Extend16S => self.unop(un!(I32Extend16S))?,
            O::I64Extend8S => self.unop(un!(I64Extend8S))?,
            O::I64Extend16S => self.unop(un!(I64Extend16S))?,
            O::I32TruncF32S => self.unop(un!(I32TruncF32S))?,
            O::I32TruncF32U => self.unop(un!(I32TruncF32U))?,
            O::I32TruncF64S => self.unop(un!(I32TruncF64S))?,
            O::I32TruncF64U => self.unop(un!(I32TruncF64U))?,
            O::I64TruncF32S => self.unop(un!(I64TruncF32S))?,
            O::I64TruncF32U => self.unop(un!(I64TruncF32U))?,
            O::I64TruncF64S => self.unop(un!(I64TruncF64S))?,
            O::I64TruncF64U => self.unop(un!(I64TruncF64U))?,
            O::I32TruncSatF32S => self.unop(un!(I32TruncSatF32S))?,
            O::I32TruncSatF32U => self.unop(un!(I32TruncSatF32U))?,
            O::I32TruncSatF64S => self.unop(un!(I32TruncSatF64S))?,
            O::I32TruncSatF64U => self.unop(un!(I32TruncSatF64U))?,
            O::I64TruncSatF32S => self.unop(un!(I64TruncSatF32S))?,
            O::I64TruncSatF32U => self.unop(un!(I64TruncSatF32U))?,
            O::I64TruncSatF64S => self.unop(un!(I64TruncSatF64S))?,
            O::I64TruncSatF64U => self.unop(un!(I64TruncSatF64U))?,
            O::F32ConvertI32S => self.unop(un!(F32ConvertI32S))?,
            O::F32ConvertI32U => self.unop(un!(F32ConvertI32U))?,
            O::F32ConvertI64S => self.unop(un!(F32ConvertI64S))?,
            O::F32ConvertI64U => self.unop(un!(F32ConvertI64U))?,
            O::F64ConvertI32S => self.unop(un!(F64ConvertI32S))?,
            O::F64ConvertI32U => self.unop(un!(F64ConvertI32U))?,
            O::F64ConvertI64S => self.unop(un!(F64ConvertI64S))?,
            O::F64ConvertI64U => self.unop(un!(F64ConvertI64U))?,
            O::F32DemoteF64 => self.unop(un!(F32DemoteF64))?,
            O::F64PromoteF32 => self.unop(un!(F64PromoteF32))?,

            _ => return Err(self.error("unsupported operator")),
        }
        Ok(())
    }

    /// The slot of local `index` (validated to exist; params and locals fit `u16`).
    fn local(&self, index: u32) -> Fallible<Slot> {
        Slot::try_from(index).map_err(|_| self.error("internal: local index out of range"))
    }

    /// Pops three operands (bottom first) into slots.
    fn pop3(&mut self) -> Fallible<[Slot; 3]> {
        let (_, c) = self.pop_slot()?;
        let (_, b) = self.pop_slot()?;
        let (_, a) = self.pop_slot()?;
        self.last = None;
        Ok([a, b, c])
    }

    /// `dst = op(src)` with the result at the operand's height.
    fn unop(&mut self, enc: impl FnOnce(Slot, Slot, &mut Out)) -> Fallible {
        let (h, src) = self.pop_slot()?;
        let pos = self.code.len();
        enc(self.home(h), src, self.code);
        self.def(pos, h, None)
    }

    /// `dst = op(lhs, rhs)`, register form.
    fn binop(&mut self, enc: fn(Slot, Slot, Slot, &mut Out)) -> Fallible {
        let (_, rhs) = self.pop_slot()?;
        let (h, lhs) = self.pop_slot()?;
        let pos = self.code.len();
        enc(self.home(h), lhs, rhs, self.code);
        self.def(pos, h, None)
    }

    /// A float binary operator; a constant right operand goes into the immediate form (only
    /// on the right: operand order decides which NaN payload propagates).
    /// `imm_lhs` (for `sub` and `div`) takes a constant left operand the same way.
    fn float_op(
        &mut self,
        reg: fn(Slot, Slot, Slot, &mut Out),
        imm: fn(Slot, Slot, u64, &mut Out),
        imm_lhs: Option<fn(Slot, u64, Slot, &mut Out)>,
    ) -> Fallible {
        // (Only f64 operators have accumulator twins: `facc_link` leaves others alone.)
        let producer = self.facc_producer();
        let len = self.b.stack.len();
        // Without the float superinstructions a constant operand is materialised instead.
        let imm_forms = self.float_super;
        if imm_forms && let Some(&Entry::Const(bits)) = self.b.stack.last() {
            self.pop()?;
            let (h, ea) = self.pop()?;
            let lhs = self.operand(h, ea);
            let pos = self.code.len();
            imm(self.home(h), lhs, bits, self.code);
            let pos = self.facc_link(pos, producer);
            return self.def(pos, h, None);
        }
        if imm_forms
            && let (Some(imm_lhs), Some(&Entry::Const(bits))) = (
                imm_lhs,
                len.checked_sub(2).and_then(|i| self.b.stack.get(i)),
            )
        {
            let (hb, eb) = self.pop()?;
            let rhs = self.operand(hb, eb);
            let (h, _) = self.pop()?;
            let pos = self.code.len();
            imm_lhs(self.home(h), bits, rhs, self.code);
            let pos = self.facc_link(pos, producer);
            return self.def(pos, h, None);
        }
        let (_, rhs) = self.pop_slot()?;
        let (h, lhs) = self.pop_slot()?;
        let pos = self.code.len();
        reg(self.home(h), lhs, rhs, self.code);
        let pos = self.facc_link(pos, producer);
        self.def(pos, h, None)
    }

    /// An integer binary operator, folding a constant operand into the immediate form.
    fn int_op(&mut self, op: &IntOp) -> Fallible {
        let len = self.b.stack.len();
        if len < 2 {
            return Err(self.error("internal: operand stack underflow"));
        }
        let (a, b) = (self.b.stack[len - 2], self.b.stack[len - 1]);
        if let Some(imm_enc) = op.imm {
            let fold = |c: u64| {
                if op.shift {
                    Some((c & if op.is64 { 63 } else { 31 }) as i32)
                } else {
                    imm_of(c, op.is64)
                }
            };
            let folded = match (a, b) {
                (_, Entry::Const(c)) => fold(c).map(|imm| (imm, true)),
                (Entry::Const(c), _) if op.commutative => fold(c).map(|imm| (imm, false)),
                _ => None,
            };
            if let Some((imm, const_rhs)) = folded {
                let (h, src) = self.pop_keeping(const_rhs)?;
                let pos = self.code.len();
                imm_enc(self.home(h), src, imm, self.code);
                return self.def(pos, h, None);
            }
        }
        self.binop(op.reg)
    }

    /// `i64.mul` by a constant that does not fit `i32` (either side): `i64.mul_imm64`. Returns
    /// whether it applied.
    fn i64_mul_imm64(&mut self) -> Fallible<bool> {
        let len = self.b.stack.len();
        if len < 2 {
            return Ok(false);
        }
        let (a, b) = (self.b.stack[len - 2], self.b.stack[len - 1]);
        let wide = |e: Entry| match e {
            Entry::Const(c) if imm_of(c, true).is_none() => Some(c),
            _ => None,
        };
        let (value, const_rhs) = match (wide(a), wide(b)) {
            (_, Some(c)) if !matches!(a, Entry::Const(_)) => (c, true),
            (Some(c), None) if !matches!(b, Entry::Const(_)) => (c, false),
            _ => return Ok(false),
        };
        let (h, lhs) = self.pop_keeping(const_rhs)?;
        let pos = self.code.len();
        I64MulImm64 {
            dst: self.home(h),
            lhs,
            value,
        }
        .encode(self.code);
        self.def(pos, h, None)?;
        Ok(true)
    }

    /// `sub`: `x - c` becomes `add_imm x -c`, `c - x` becomes `sub_imm_lhs`.
    fn sub(&mut self, is64: bool) -> Fallible {
        let len = self.b.stack.len();
        if len < 2 {
            return Err(self.error("internal: operand stack underflow"));
        }
        let (a, b) = (self.b.stack[len - 2], self.b.stack[len - 1]);
        let neg = |c: u64| {
            if is64 {
                (c as i64).checked_neg().and_then(|n| i32::try_from(n).ok())
            } else {
                Some((c as u32 as i32).wrapping_neg())
            }
        };
        if let Entry::Const(c) = b
            && let Some(imm) = neg(c)
        {
            self.pop()?;
            let (h, ea) = self.pop()?;
            let lhs = self.operand(h, ea);
            let pos = self.code.len();
            let dst = self.home(h);
            if is64 {
                I64AddImm { dst, lhs, imm }.encode(self.code);
            } else {
                I32AddImm { dst, lhs, imm }.encode(self.code);
            }
            return self.def(pos, h, None);
        }
        if let Entry::Const(c) = a
            && let Some(imm) = imm_of(c, is64)
        {
            let (_, eb) = self.pop()?;
            let (h, _) = self.pop()?;
            let rhs = self.operand(h + 1, eb);
            let pos = self.code.len();
            let dst = self.home(h);
            if is64 {
                I64SubImmLhs { dst, imm, rhs }.encode(self.code);
            } else {
                I32SubImmLhs { dst, imm, rhs }.encode(self.code);
            }
            return self.def(pos, h, None);
        }
        if is64 {
            self.binop(reg!(I64Sub))
        } else {
            self.binop(reg!(I32Sub))
        }
    }

    /// Integer comparison, with immediate folding (a constant lhs swaps the comparison).
    fn cmp(&mut self, is64: bool, op: CmpOp) -> Fallible {
        let len = self.b.stack.len();
        if len < 2 {
            return Err(self.error("internal: operand stack underflow"));
        }
        let (a, b) = (self.b.stack[len - 2], self.b.stack[len - 1]);
        let folded = match (a, b) {
            (_, Entry::Const(c)) => imm_of(c, is64).map(|imm| (imm, op, true)),
            (Entry::Const(c), _) => imm_of(c, is64).map(|imm| (imm, op.swap(), false)),
            _ => None,
        };
        if let Some((imm, op, const_rhs)) = folded {
            let (h, lhs) = self.pop_keeping(const_rhs)?;
            let dst = self.home(h);
            let pos = self.code.len();
            encode_cmp_imm(is64, op, dst, lhs, imm, self.code);
            let cond = (!is64).then_some(Cond::I32Imm(op, lhs, imm));
            return self.def(pos, h, cond);
        }
        let (_, eb) = self.pop()?;
        let (h, ea) = self.pop()?;
        let dst = self.home(h);
        let lhs = self.operand(h, ea);
        let rhs = self.operand(h + 1, eb);
        let pos = self.code.len();
        encode_cmp(is64, op, dst, lhs, rhs, self.code);
        let cond = if is64 {
            Cond::I64(op, lhs, rhs)
        } else {
            Cond::I32(op, lhs, rhs)
        };
        self.def(pos, h, Some(cond))
    }

    /// `i32.eqz` / `i64.eqz`.
    fn eqz(&mut self, is64: bool) -> Fallible {
        let (h, src) = self.pop_slot()?;
        let pos = self.code.len();
        let dst = self.home(h);
        let cond = if is64 {
            I64Eqz { dst, src }.encode(self.code);
            Cond::I64Eqz(src)
        } else {
            I32Eqz { dst, src }.encode(self.code);
            Cond::Eqz(src)
        };
        self.def(pos, h, Some(cond))
    }

    /// The static offset of a memory access.
    fn mem_offset(&self, m: MemArg) -> Fallible<u32> {
        u32::try_from(m.offset).map_err(|_| self.error("memory offset exceeds u32"))
    }

    fn load(&mut self, m: MemArg, w: Width) -> Fallible {
        let offset = self.mem_offset(m)?;
        let fused = self.take_address_add();
        let (h, addr) = self.pop_slot()?;
        let pos = self.code.len();
        let dst = self.home(h);
        match fused {
            None => w.encode(dst, addr, offset, self.code),
            Some(AddrAdd::Slots(a, b)) => w.encode_add(dst, a, b, offset, self.code),
            Some(AddrAdd::Imm(a, imm)) => w.encode_add_imm(dst, a, imm, offset, self.code),
            Some(AddrAdd::Shl(a, b, imm)) => w.encode_add_shl(dst, a, b, imm, offset, self.code),
        }
        self.def(pos, h, None)
    }

    /// Superinstruction peephole: if the address on top of the stack is the temporary that the
    /// last instruction emitted (`i32.add`, `i32.add_imm` or `i32.add_shl`) produced, and no
    /// branch targets the code after it, removes that instruction and returns its operands for
    /// a fused load.
    fn take_address_add(&mut self) -> Option<AddrAdd> {
        let h = self.height().checked_sub(1)?;
        let (pos, home) = self.producer_of(h)?;
        let rest = self.code.get(pos..)?;
        let fused = match (rest.len(), rest.first()?, rest.get(1)) {
            (I32Add::SIZE, &op::I32Add, _) => {
                let i = I32Add::decode(rest, 0)?;
                (i.dst == home).then_some(AddrAdd::Slots(i.lhs, i.rhs))?
            }
            (I32AddImm::SIZE, &op::I32AddImm, _) => {
                let i = I32AddImm::decode(rest, 0)?;
                (i.dst == home).then_some(AddrAdd::Imm(i.lhs, i.imm))?
            }
            (I32AddShl::SIZE, &EXT_PREFIX, Some(&ext_op::I32AddShl)) => {
                let i = I32AddShl::decode(rest, 0)?;
                (i.dst == home).then_some(AddrAdd::Shl(i.lhs, i.rhs, i.imm))?
            }
            _ => return None,
        };
        self.code.truncate(pos);
        self.last = None;
        Some(fused)
    }

    /// Where the last instruction emitted starts and the slot it wrote, if it produced the
    /// temporary at height `h` (the top of the stack or the entry below it, with nothing
    /// emitted since) and no branch targets the code after it: then that instruction can be
    /// removed and fused into the one that consumes the temporary.
    pub(crate) fn producer_of(&self, h: u32) -> Option<(usize, Slot)> {
        let last = self.last?;
        let top = self.height().checked_sub(1)?;
        if last.height != h
            || (h != top && h + 1 != top)
            || last.cond.is_some()
            || !matches!(self.b.stack.get(h as usize), Some(Entry::Temp))
            || self.bound_here == self.code.len()
        {
            return None;
        }
        Some((last.pos, self.home(h)))
    }

    /// Whether the operand of a binary operator that is not at height `h` is a constant (`top`:
    /// the height of the right operand).
    fn other_is_const(&self, h: u32, top: u32) -> bool {
        let other = if h == top { top.wrapping_sub(1) } else { top };
        matches!(self.b.stack.get(other as usize), Some(Entry::Const(_)))
    }

    /// Pops both operands of a binary operator that encodes only one of them (the other is a
    /// constant folded into an immediate, or the result of a removed producer): returns the
    /// left operand's height (the result's) and the slot of the kept operand.
    fn pop_keeping(&mut self, keep_lhs: bool) -> Fallible<(u32, Slot)> {
        let (_, eb) = self.pop()?;
        let (h, ea) = self.pop()?;
        let kept = if keep_lhs {
            self.operand(h, ea)
        } else {
            self.operand(h + 1, eb)
        };
        Ok((h, kept))
    }

    /// Before a binary operator is emitted: if the last instruction produced one of its
    /// operands (either side), `pick` accepts that instruction (its bytes, and the slot the
    /// operand must be in) and the other operand is no constant (that goes into an immediate
    /// form instead), removes the instruction and pops both operands. Returns what `pick`
    /// returned, whether the removed value was the right operand, the left operand's height
    /// and the slot of the other operand.
    fn take_operand_producer<T>(
        &mut self,
        pick: impl Fn(&[u8], Slot) -> Option<T>,
    ) -> Fallible<Option<(T, bool, u32, Slot)>> {
        let Some(top) = self.height().checked_sub(1) else {
            return Ok(None);
        };
        for h in [top, top.wrapping_sub(1)] {
            let Some((pos, home)) = self.producer_of(h) else {
                continue;
            };
            let Some(picked) = pick(&self.code[pos..], home) else {
                continue;
            };
            if self.other_is_const(h, top) {
                continue;
            }
            self.code.truncate(pos);
            self.last = None;
            // The other operand (no code was emitted since the producer: a local, or a
            // temporary from before it).
            let (ha, other) = self.pop_keeping(h == top)?;
            return Ok(Some((picked, h == top, ha, other)));
        }
        Ok(None)
    }

    /// A commutative integer operator whose operand (either side) is the result of the last
    /// instruction, an immediate form in `fusions` (`(producer opcode, fused encoder)`): one
    /// fused instruction `dst = other OP producer(src, imm)`. Returns whether it applied.
    fn fuse_imm_operand(&mut self, fusions: &[(u8, ImmFusion)]) -> Fallible<bool> {
        let taken = self.take_operand_producer(|rest, home| {
            // Every immediate form here has the layout of `i32.shl_imm`.
            let &(_, fuse) = fusions.iter().find(|(op, _)| rest.first() == Some(op))?;
            let p = I32ShlImm::decode(rest, 0).filter(|i| i.dst == home)?;
            (rest.len() == I32ShlImm::SIZE).then_some((fuse, p))
        })?;
        let Some(((fuse, p), _, h, other)) = taken else {
            return Ok(false);
        };
        let pos = self.code.len();
        fuse(self.home(h), other, p.lhs, p.imm, self.code);
        self.def(pos, h, None)?;
        Ok(true)
    }

    /// `f64.add` of an `f64.mul` that the last instruction computed: one `f64.mul_add` (product
    /// on the left) or `f64.add_mul` (on the right), operand order kept. Returns whether it
    /// applied.
    fn mul_add(&mut self) -> Fallible<bool> {
        if !self.float_super {
            return Ok(false);
        }
        let taken = self.take_operand_producer(|rest, home| {
            let mul = F64Mul::decode(rest, 0).filter(|i| i.dst == home)?;
            (rest.len() == F64Mul::SIZE && rest[0] == op::F64Mul).then_some(mul)
        })?;
        let Some((mul, product_right, h, addend)) = taken else {
            return Ok(false);
        };
        let pos = self.code.len();
        let dst = self.home(h);
        let (lhs, rhs) = (mul.lhs, mul.rhs);
        if product_right {
            F64AddMul {
                dst,
                addend,
                lhs,
                rhs,
            }
            .encode(self.code);
        } else {
            F64MulAdd {
                dst,
                lhs,
                rhs,
                addend,
            }
            .encode(self.code);
        }
        self.def(pos, h, None)?;
        Ok(true)
    }

    fn store(&mut self, m: MemArg, width: StoreWidth) -> Fallible {
        let offset = self.mem_offset(m)?;
        let (hv, value) = self.pop()?;
        // A constant value: the store-immediate form (64-bit stores only when the constant
        // sign-extends from 32 bits).
        let imm = match (value, width) {
            (Entry::Const(c), StoreWidth::S64) => i32::try_from(c as i64).ok(),
            (Entry::Const(c), _) => Some(c as u32 as i32),
            _ => None,
        };
        if let Some(imm) = imm {
            let (_, addr) = self.pop_slot()?;
            self.last = None;
            let out = &mut *self.code;
            match width {
                StoreWidth::S8 => Store8Imm { addr, imm, offset }.encode(out),
                StoreWidth::S16 => Store16Imm { addr, imm, offset }.encode(out),
                StoreWidth::S32 => Store32Imm { addr, imm, offset }.encode(out),
                StoreWidth::S64 => Store64Imm { addr, imm, offset }.encode(out),
            }
            return Ok(());
        }
        let value = self.operand(hv, value);
        let (_, addr) = self.pop_slot()?;
        self.last = None;
        let out = &mut *self.code;
        match width {
            StoreWidth::S8 => Store8 {
                addr,
                value,
                offset,
            }
            .encode(out),
            StoreWidth::S16 => Store16 {
                addr,
                value,
                offset,
            }
            .encode(out),
            StoreWidth::S32 => Store32 {
                addr,
                value,
                offset,
            }
            .encode(out),
            StoreWidth::S64 => Store64 {
                addr,
                value,
                offset,
            }
            .encode(out),
        }
        Ok(())
    }

    /// `select`: `dst = cond ? a : b`.
    fn op_select(&mut self) -> Fallible {
        let (_, cond) = self.pop_slot()?;
        let (_, if_false) = self.pop_slot()?;
        let (h, if_true) = self.pop_slot()?;
        let pos = self.code.len();
        Select {
            dst: self.home(h),
            cond,
            if_true,
            if_false,
        }
        .encode(self.code);
        self.def(pos, h, None)
    }

    /// Materialises the top `n` entries (call arguments) and returns the height of the first.
    fn call_args(&mut self, n: u32) -> Fallible<u32> {
        let h0 = self
            .height()
            .checked_sub(n)
            .ok_or_else(|| self.error("internal: operand stack underflow"))?;
        for h in h0..self.height() {
            self.materialize_at(h);
        }
        Ok(h0)
    }

    /// Pops the arguments, pushes the results of a call at `h0`.
    fn call_results(&mut self, h0: u32, np: u32, nr: u32) -> Fallible {
        self.need_slots(self.base + h0 + np.max(nr))?;
        self.b.stack.truncate(h0 as usize);
        for _ in 0..nr {
            self.push(Entry::Temp)?;
        }
        self.last = None;
        Ok(())
    }

    fn arity(&self, ty: Option<&ember_bytecode::types::FuncType>) -> Fallible<(u32, u32)> {
        let ty = ty.ok_or_else(|| self.error("internal: unknown function type"))?;
        Ok((ty.params().len() as u32, ty.results().len() as u32))
    }

    fn op_call(&mut self, func: u32) -> Fallible {
        let (np, nr) = self.arity(self.module.func_type(func))?;
        let h0 = self.call_args(np)?;
        Call {
            func,
            base: self.home(h0),
        }
        .encode(self.code);
        self.call_results(h0, np, nr)
    }

    fn op_call_indirect(&mut self, ty: u32, table: u32) -> Fallible {
        let (np, nr) = self.arity(self.module.types.get(ty as usize))?;
        let (_, index) = self.pop_slot()?;
        let h0 = self.call_args(np)?;
        CallIndirect {
            ty,
            table,
            index,
            base: self.home(h0),
        }
        .encode(self.code);
        self.call_results(h0, np, nr)
    }
}

/// Encodes `dst = lhs OP producer(rhs, imm)` (see `fuse_imm_operand`).
type ImmFusion = fn(Slot, Slot, Slot, i32, &mut Out);

/// The address operands of an `i32.add` / `i32.add_imm` / `i32.add_shl` folded into a load.
#[derive(Clone, Copy)]
enum AddrAdd {
    Slots(Slot, Slot),
    Imm(Slot, i32),
    Shl(Slot, Slot, i32),
}

/// A load's width and extension (one plain and three fused instructions each).
#[derive(Clone, Copy)]
enum Width {
    Load8S,
    Load8U,
    Load16S,
    Load16U,
    Load32S,
    Load32,
    Load64,
}

macro_rules! width_encoders {
    ($($W:ident $Add:ident $AddImm:ident $AddShl:ident;)*) => {
        impl Width {
            fn encode(self, dst: Slot, addr: Slot, offset: u32, o: &mut Out) {
                match self { $(Width::$W => $W { dst, addr, offset }.encode(o),)* }
            }
            fn encode_add(self, dst: Slot, addr: Slot, index: Slot, offset: u32, o: &mut Out) {
                match self { $(Width::$W => $Add { dst, addr, index, offset }.encode(o),)* }
            }
            fn encode_add_imm(self, dst: Slot, addr: Slot, imm: i32, offset: u32, o: &mut Out) {
                match self { $(Width::$W => $AddImm { dst, addr, imm, offset }.encode(o),)* }
            }
            fn encode_add_shl(self, dst: Slot, addr: Slot, index: Slot, imm: i32, offset: u32, o: &mut Out) {
                match self { $(Width::$W => $AddShl { dst, addr, index, imm, offset }.encode(o),)* }
            }
        }
    };
}

width_encoders! {
    Load8S Load8SAdd Load8SAddImm Load8SAddShl;
    Load8U Load8UAdd Load8UAddImm Load8UAddShl;
    Load16S Load16SAdd Load16SAddImm Load16SAddShl;
    Load16U Load16UAdd Load16UAddImm Load16UAddShl;
    Load32S Load32SAdd Load32SAddImm Load32SAddShl;
    Load32 Load32Add Load32AddImm Load32AddShl;
    Load64 Load64Add Load64AddImm Load64AddShl;
}
