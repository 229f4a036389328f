//! The instruction set: one table, and everything generated from it.
//!
//! Conventions every instruction follows (see `docs/bytecode.md`):
//! - Operands are frame slots ([`Slot`], `u16`) holding untyped 64-bit values. A 32-bit value
//!   (i32, f32 bits) lives in the low 32 bits; readers ignore the high 32 bits, so
//!   `i32.wrap_i64` and every `reinterpret` are plain copies.
//! - An instruction that produces one value names its destination `dst`, and `dst` is always the
//!   first operand, right after the opcode byte(s). The translator relies on this to retarget a
//!   result into a local.
//! - `imm` operands of 64-bit integer operations are `i32` sign-extended to 64 bits.
//! - Branch offsets ([`BrOffset`]) are relative to the first byte of the branch instruction.
//! - Loads and stores carry a static `offset`; the effective address is
//!   `(addr as u32 as u64) + offset` and must lie in bounds for the access width.
//! - Function, type, global, table, segment indices are module-level indices (imports first).

use crate::encoding::{DecodeError, Operand};
use crate::{BrOffset, EXT_PREFIX, Slot};
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

/// Whether the instruction named `mnemonic` is one of the float superinstructions, which only
/// make float code faster: the float accumulator's twins of the f64 operators, which pass a
/// value to the next instruction in a register (`.to_acc`, `.acc_lhs`, `.acc_rhs` in their
/// names), the fused `f64.mul_add` / `f64.add_mul`, and the f32/f64 operators with an
/// immediate operand (`f64.add_imm`, `f32.sub_imm_lhs`, ...). Only builds with the feature
/// `float-superinstructions` (on by default) translate to them, verify them and run them; a
/// runtime built without it (a firmware) refuses them.
pub const fn is_float_superinstruction(mnemonic: &str) -> bool {
    use crate::encoding::{contains, same, starts_with};
    let float = starts_with(mnemonic, "f32.") || starts_with(mnemonic, "f64.");
    contains(mnemonic, ".to_acc")
        || contains(mnemonic, ".acc_lhs")
        || contains(mnemonic, ".acc_rhs")
        || same(mnemonic, "f64.mul_add")
        || same(mnemonic, "f64.add_mul")
        || (float && contains(mnemonic, "_imm"))
}

/// Calls `$m!` with the whole instruction table.
///
/// Each entry is `Name snake_name "mnemonic" { field: Type, ... } [TailType; count_field]? ;`.
/// The `primary` group gets one-byte opcodes in table order; the `ext` group gets the
/// [`EXT_PREFIX`](crate::EXT_PREFIX) byte followed by a one-byte opcode. A tail is a list of
/// `count_field` operands of `TailType` that follows the fixed part.
#[macro_export]
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
        primary {
            /// Trap with `unreachable`.
            Unreachable unreachable "unreachable" {};
            /// Copy `src` to `dst`.
            Copy copy "copy" { dst: Slot, src: Slot };
            /// Copy `count` slots named in the tail to `dst, dst+1, ...`, in order (the translator
            /// guarantees no source is overwritten before it is read).
            CopyMany copy_many "copy_many" { dst: Slot, count: u16 } [Slot; count];
            /// `dst = value` (zero-extended; 32-bit constants and f32 bits).
            Const32 const32 "const32" { dst: Slot, value: u32 };
            /// `dst = value` (64-bit constants, f64 bits).
            Const64 const64 "const64" { dst: Slot, value: u64 };
            /// Unconditional branch.
            Br br "br" { offset: BrOffset };
            /// Branch if the i32 in `cond` is not zero.
            BrIfNez br_if_nez "br_if_nez" { cond: Slot, offset: BrOffset };
            /// Branch if the i32 in `cond` is zero.
            BrIfEqz br_if_eqz "br_if_eqz" { cond: Slot, offset: BrOffset };
            /// Branch by table: the tail holds `count` offsets (each relative to this instruction);
            /// the last is the default, taken when the u32 in `index` is `>= count - 1`.
            BrTable br_table "br_table" { index: Slot, count: u32 } [BrOffset; count];
            /// Return with no results.
            Return ret "return" {};
            /// Return one result: copy `src` to slot 0 of the frame, then return.
            ReturnSlot return_slot "return_slot" { src: Slot };
            /// Return one 32-bit constant result.
            ReturnImm32 return_imm32 "return_imm32" { value: u32 };
            /// Return one 64-bit constant result.
            ReturnImm64 return_imm64 "return_imm64" { value: u64 };
            /// Return `count` results: the slots in the tail are copied to slots `0..count` as a
            /// parallel move (all read before any is written).
            ReturnMany return_many "return_many" { count: u16 } [Slot; count];
            /// Call function `func`. Its arguments are in `base, base+1, ...`; the callee's frame
            /// starts at `base`, so its results end up in `base, base+1, ...`.
            Call call "call" { func: u32, base: Slot };
            /// Call through `table` at the u32 in `index`, checking the callee has type `ty`.
            /// Arguments and results as for `call`.
            CallIndirect call_indirect "call_indirect" { ty: u32, table: u32, index: Slot, base: Slot };
            /// `dst = cond != 0 ? if_true : if_false` (`cond` is an i32).
            Select select "select" { dst: Slot, cond: Slot, if_true: Slot, if_false: Slot };
            /// `dst = global[index]`.
            GlobalGet global_get "global.get" { dst: Slot, index: u32 };
            /// `global[index] = src`.
            GlobalSet global_set "global.set" { index: u32, src: Slot };

            // ---- fused compare-and-branch (i32) ----
            /// Branch if `lhs == rhs` (i32).
            BrI32Eq br_i32_eq "br.i32.eq" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs != rhs` (i32).
            BrI32Ne br_i32_ne "br.i32.ne" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs < rhs` (i32, signed).
            BrI32LtS br_i32_lt_s "br.i32.lt_s" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs < rhs` (i32, unsigned).
            BrI32LtU br_i32_lt_u "br.i32.lt_u" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs > rhs` (i32, signed).
            BrI32GtS br_i32_gt_s "br.i32.gt_s" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs > rhs` (i32, unsigned).
            BrI32GtU br_i32_gt_u "br.i32.gt_u" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs <= rhs` (i32, signed).
            BrI32LeS br_i32_le_s "br.i32.le_s" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs <= rhs` (i32, unsigned).
            BrI32LeU br_i32_le_u "br.i32.le_u" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs >= rhs` (i32, signed).
            BrI32GeS br_i32_ge_s "br.i32.ge_s" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs >= rhs` (i32, unsigned).
            BrI32GeU br_i32_ge_u "br.i32.ge_u" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs == imm` (i32).
            BrI32EqImm br_i32_eq_imm "br.i32.eq_imm" { lhs: Slot, imm: i32, offset: BrOffset };
            /// Branch if `lhs != imm` (i32).
            BrI32NeImm br_i32_ne_imm "br.i32.ne_imm" { lhs: Slot, imm: i32, offset: BrOffset };
            /// Branch if `lhs < imm` (i32, signed).
            BrI32LtSImm br_i32_lt_s_imm "br.i32.lt_s_imm" { lhs: Slot, imm: i32, offset: BrOffset };
            /// Branch if `lhs < imm` (i32, unsigned).
            BrI32LtUImm br_i32_lt_u_imm "br.i32.lt_u_imm" { lhs: Slot, imm: i32, offset: BrOffset };
            /// Branch if `lhs > imm` (i32, signed).
            BrI32GtSImm br_i32_gt_s_imm "br.i32.gt_s_imm" { lhs: Slot, imm: i32, offset: BrOffset };
            /// Branch if `lhs > imm` (i32, unsigned).
            BrI32GtUImm br_i32_gt_u_imm "br.i32.gt_u_imm" { lhs: Slot, imm: i32, offset: BrOffset };
            /// Branch if `lhs <= imm` (i32, signed).
            BrI32LeSImm br_i32_le_s_imm "br.i32.le_s_imm" { lhs: Slot, imm: i32, offset: BrOffset };
            /// Branch if `lhs <= imm` (i32, unsigned).
            BrI32LeUImm br_i32_le_u_imm "br.i32.le_u_imm" { lhs: Slot, imm: i32, offset: BrOffset };
            /// Branch if `lhs >= imm` (i32, signed).
            BrI32GeSImm br_i32_ge_s_imm "br.i32.ge_s_imm" { lhs: Slot, imm: i32, offset: BrOffset };
            /// Branch if `lhs >= imm` (i32, unsigned).
            BrI32GeUImm br_i32_ge_u_imm "br.i32.ge_u_imm" { lhs: Slot, imm: i32, offset: BrOffset };

            // ---- fused compare-and-branch (i64) ----
            /// Branch if the i64 in `cond` is zero.
            BrI64Eqz br_i64_eqz "br.i64.eqz" { cond: Slot, offset: BrOffset };
            /// Branch if the i64 in `cond` is not zero.
            BrI64Nez br_i64_nez "br.i64.nez" { cond: Slot, offset: BrOffset };
            /// Branch if `lhs == rhs` (i64).
            BrI64Eq br_i64_eq "br.i64.eq" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs != rhs` (i64).
            BrI64Ne br_i64_ne "br.i64.ne" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs < rhs` (i64, signed).
            BrI64LtS br_i64_lt_s "br.i64.lt_s" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs < rhs` (i64, unsigned).
            BrI64LtU br_i64_lt_u "br.i64.lt_u" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs > rhs` (i64, signed).
            BrI64GtS br_i64_gt_s "br.i64.gt_s" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs > rhs` (i64, unsigned).
            BrI64GtU br_i64_gt_u "br.i64.gt_u" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs <= rhs` (i64, signed).
            BrI64LeS br_i64_le_s "br.i64.le_s" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs <= rhs` (i64, unsigned).
            BrI64LeU br_i64_le_u "br.i64.le_u" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs >= rhs` (i64, signed).
            BrI64GeS br_i64_ge_s "br.i64.ge_s" { lhs: Slot, rhs: Slot, offset: BrOffset };
            /// Branch if `lhs >= rhs` (i64, unsigned).
            BrI64GeU br_i64_ge_u "br.i64.ge_u" { lhs: Slot, rhs: Slot, offset: BrOffset };

            // ---- i32 arithmetic ----
            /// `dst = lhs == 0` (i32).
            I32Eqz i32_eqz "i32.eqz" { dst: Slot, src: Slot };
            /// `dst = lhs == rhs`.
            I32Eq i32_eq "i32.eq" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs != rhs`.
            I32Ne i32_ne "i32.ne" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs < rhs` (signed).
            I32LtS i32_lt_s "i32.lt_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs < rhs` (unsigned).
            I32LtU i32_lt_u "i32.lt_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs > rhs` (signed).
            I32GtS i32_gt_s "i32.gt_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs > rhs` (unsigned).
            I32GtU i32_gt_u "i32.gt_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs <= rhs` (signed).
            I32LeS i32_le_s "i32.le_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs <= rhs` (unsigned).
            I32LeU i32_le_u "i32.le_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs >= rhs` (signed).
            I32GeS i32_ge_s "i32.ge_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs >= rhs` (unsigned).
            I32GeU i32_ge_u "i32.ge_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Count leading zeros.
            I32Clz i32_clz "i32.clz" { dst: Slot, src: Slot };
            /// Count trailing zeros.
            I32Ctz i32_ctz "i32.ctz" { dst: Slot, src: Slot };
            /// Population count.
            I32Popcnt i32_popcnt "i32.popcnt" { dst: Slot, src: Slot };
            /// Wrapping add.
            I32Add i32_add "i32.add" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Wrapping subtract.
            I32Sub i32_sub "i32.sub" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Wrapping multiply.
            I32Mul i32_mul "i32.mul" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Signed division (traps on zero and overflow).
            I32DivS i32_div_s "i32.div_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Unsigned division (traps on zero).
            I32DivU i32_div_u "i32.div_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Signed remainder (traps on zero).
            I32RemS i32_rem_s "i32.rem_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Unsigned remainder (traps on zero).
            I32RemU i32_rem_u "i32.rem_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Bitwise and.
            I32And i32_and "i32.and" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Bitwise or.
            I32Or i32_or "i32.or" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Bitwise xor.
            I32Xor i32_xor "i32.xor" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Shift left (count mod 32).
            I32Shl i32_shl "i32.shl" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Arithmetic shift right.
            I32ShrS i32_shr_s "i32.shr_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Logical shift right.
            I32ShrU i32_shr_u "i32.shr_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Rotate left.
            I32Rotl i32_rotl "i32.rotl" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Rotate right.
            I32Rotr i32_rotr "i32.rotr" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs + imm`.
            I32AddImm i32_add_imm "i32.add_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = imm - rhs`.
            I32SubImmLhs i32_sub_imm_lhs "i32.sub_imm_lhs" { dst: Slot, imm: i32, rhs: Slot };
            /// `dst = lhs * imm`.
            I32MulImm i32_mul_imm "i32.mul_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs & imm`.
            I32AndImm i32_and_imm "i32.and_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs | imm`.
            I32OrImm i32_or_imm "i32.or_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs ^ imm`.
            I32XorImm i32_xor_imm "i32.xor_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs << imm`.
            I32ShlImm i32_shl_imm "i32.shl_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs >> imm` (signed).
            I32ShrSImm i32_shr_s_imm "i32.shr_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs >> imm` (unsigned).
            I32ShrUImm i32_shr_u_imm "i32.shr_u_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs rotl imm`.
            I32RotlImm i32_rotl_imm "i32.rotl_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs rotr imm`.
            I32RotrImm i32_rotr_imm "i32.rotr_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs == imm`.
            I32EqImm i32_eq_imm "i32.eq_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs != imm`.
            I32NeImm i32_ne_imm "i32.ne_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs < imm` (signed).
            I32LtSImm i32_lt_s_imm "i32.lt_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs < imm` (unsigned).
            I32LtUImm i32_lt_u_imm "i32.lt_u_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs > imm` (signed).
            I32GtSImm i32_gt_s_imm "i32.gt_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs > imm` (unsigned).
            I32GtUImm i32_gt_u_imm "i32.gt_u_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs <= imm` (signed).
            I32LeSImm i32_le_s_imm "i32.le_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs <= imm` (unsigned).
            I32LeUImm i32_le_u_imm "i32.le_u_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs >= imm` (signed).
            I32GeSImm i32_ge_s_imm "i32.ge_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs >= imm` (unsigned).
            I32GeUImm i32_ge_u_imm "i32.ge_u_imm" { dst: Slot, lhs: Slot, imm: i32 };

            // ---- i64 arithmetic ----
            /// `dst = src == 0` (i64; result i32).
            I64Eqz i64_eqz "i64.eqz" { dst: Slot, src: Slot };
            /// `dst = lhs == rhs`.
            I64Eq i64_eq "i64.eq" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs != rhs`.
            I64Ne i64_ne "i64.ne" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs < rhs` (signed).
            I64LtS i64_lt_s "i64.lt_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs < rhs` (unsigned).
            I64LtU i64_lt_u "i64.lt_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs > rhs` (signed).
            I64GtS i64_gt_s "i64.gt_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs > rhs` (unsigned).
            I64GtU i64_gt_u "i64.gt_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs <= rhs` (signed).
            I64LeS i64_le_s "i64.le_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs <= rhs` (unsigned).
            I64LeU i64_le_u "i64.le_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs >= rhs` (signed).
            I64GeS i64_ge_s "i64.ge_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs >= rhs` (unsigned).
            I64GeU i64_ge_u "i64.ge_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Count leading zeros.
            I64Clz i64_clz "i64.clz" { dst: Slot, src: Slot };
            /// Count trailing zeros.
            I64Ctz i64_ctz "i64.ctz" { dst: Slot, src: Slot };
            /// Population count.
            I64Popcnt i64_popcnt "i64.popcnt" { dst: Slot, src: Slot };
            /// Wrapping add.
            I64Add i64_add "i64.add" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Wrapping subtract.
            I64Sub i64_sub "i64.sub" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Wrapping multiply.
            I64Mul i64_mul "i64.mul" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Signed division (traps on zero and overflow).
            I64DivS i64_div_s "i64.div_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Unsigned division (traps on zero).
            I64DivU i64_div_u "i64.div_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Signed remainder (traps on zero).
            I64RemS i64_rem_s "i64.rem_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Unsigned remainder (traps on zero).
            I64RemU i64_rem_u "i64.rem_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Bitwise and.
            I64And i64_and "i64.and" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Bitwise or.
            I64Or i64_or "i64.or" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Bitwise xor.
            I64Xor i64_xor "i64.xor" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Shift left (count mod 64).
            I64Shl i64_shl "i64.shl" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Arithmetic shift right.
            I64ShrS i64_shr_s "i64.shr_s" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Logical shift right.
            I64ShrU i64_shr_u "i64.shr_u" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Rotate left.
            I64Rotl i64_rotl "i64.rotl" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Rotate right.
            I64Rotr i64_rotr "i64.rotr" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs + imm`.
            I64AddImm i64_add_imm "i64.add_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = imm - rhs`.
            I64SubImmLhs i64_sub_imm_lhs "i64.sub_imm_lhs" { dst: Slot, imm: i32, rhs: Slot };
            /// `dst = lhs * imm`.
            I64MulImm i64_mul_imm "i64.mul_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs * value` (i64, a constant that does not fit `i32`: hash multipliers).
            I64MulImm64 i64_mul_imm64 "i64.mul_imm64" { dst: Slot, lhs: Slot, value: u64 };
            /// `dst = lhs & imm`.
            I64AndImm i64_and_imm "i64.and_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs | imm`.
            I64OrImm i64_or_imm "i64.or_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs ^ imm`.
            I64XorImm i64_xor_imm "i64.xor_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs << imm`.
            I64ShlImm i64_shl_imm "i64.shl_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs >> imm` (signed).
            I64ShrSImm i64_shr_s_imm "i64.shr_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs >> imm` (unsigned).
            I64ShrUImm i64_shr_u_imm "i64.shr_u_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs rotl imm`.
            I64RotlImm i64_rotl_imm "i64.rotl_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs rotr imm`.
            I64RotrImm i64_rotr_imm "i64.rotr_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs == imm`.
            I64EqImm i64_eq_imm "i64.eq_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs != imm`.
            I64NeImm i64_ne_imm "i64.ne_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs < imm` (signed).
            I64LtSImm i64_lt_s_imm "i64.lt_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs < imm` (unsigned).
            I64LtUImm i64_lt_u_imm "i64.lt_u_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs > imm` (signed).
            I64GtSImm i64_gt_s_imm "i64.gt_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs > imm` (unsigned).
            I64GtUImm i64_gt_u_imm "i64.gt_u_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs <= imm` (signed).
            I64LeSImm i64_le_s_imm "i64.le_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs <= imm` (unsigned).
            I64LeUImm i64_le_u_imm "i64.le_u_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs >= imm` (signed).
            I64GeSImm i64_ge_s_imm "i64.ge_s_imm" { dst: Slot, lhs: Slot, imm: i32 };
            /// `dst = lhs >= imm` (unsigned).
            I64GeUImm i64_ge_u_imm "i64.ge_u_imm" { dst: Slot, lhs: Slot, imm: i32 };

            // ---- f32 ----
            /// `dst = lhs == rhs`.
            F32Eq f32_eq "f32.eq" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs != rhs`.
            F32Ne f32_ne "f32.ne" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs < rhs`.
            F32Lt f32_lt "f32.lt" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs > rhs`.
            F32Gt f32_gt "f32.gt" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs <= rhs`.
            F32Le f32_le "f32.le" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs >= rhs`.
            F32Ge f32_ge "f32.ge" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Absolute value (clears the sign bit).
            F32Abs f32_abs "f32.abs" { dst: Slot, src: Slot };
            /// Negation (flips the sign bit).
            F32Neg f32_neg "f32.neg" { dst: Slot, src: Slot };
            /// Round up.
            F32Ceil f32_ceil "f32.ceil" { dst: Slot, src: Slot };
            /// Round down.
            F32Floor f32_floor "f32.floor" { dst: Slot, src: Slot };
            /// Round toward zero.
            F32Trunc f32_trunc "f32.trunc" { dst: Slot, src: Slot };
            /// Round to nearest, ties to even.
            F32Nearest f32_nearest "f32.nearest" { dst: Slot, src: Slot };
            /// Square root.
            F32Sqrt f32_sqrt "f32.sqrt" { dst: Slot, src: Slot };
            /// Add.
            F32Add f32_add "f32.add" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Subtract.
            F32Sub f32_sub "f32.sub" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Multiply.
            F32Mul f32_mul "f32.mul" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Divide.
            F32Div f32_div "f32.div" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Minimum (NaN-propagating, -0 < +0).
            F32Min f32_min "f32.min" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Maximum (NaN-propagating, -0 < +0).
            F32Max f32_max "f32.max" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Copy sign of `rhs` onto `lhs`.
            F32Copysign f32_copysign "f32.copysign" { dst: Slot, lhs: Slot, rhs: Slot };

            // ---- f64 ----
            /// `dst = lhs == rhs`.
            F64Eq f64_eq "f64.eq" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs != rhs`.
            F64Ne f64_ne "f64.ne" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs < rhs`.
            F64Lt f64_lt "f64.lt" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs > rhs`.
            F64Gt f64_gt "f64.gt" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs <= rhs`.
            F64Le f64_le "f64.le" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `dst = lhs >= rhs`.
            F64Ge f64_ge "f64.ge" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Absolute value (clears the sign bit).
            F64Abs f64_abs "f64.abs" { dst: Slot, src: Slot };
            /// Negation (flips the sign bit).
            F64Neg f64_neg "f64.neg" { dst: Slot, src: Slot };
            /// Round up.
            F64Ceil f64_ceil "f64.ceil" { dst: Slot, src: Slot };
            /// Round down.
            F64Floor f64_floor "f64.floor" { dst: Slot, src: Slot };
            /// Round toward zero.
            F64Trunc f64_trunc "f64.trunc" { dst: Slot, src: Slot };
            /// Round to nearest, ties to even.
            F64Nearest f64_nearest "f64.nearest" { dst: Slot, src: Slot };
            /// Square root.
            F64Sqrt f64_sqrt "f64.sqrt" { dst: Slot, src: Slot };
            /// Add.
            F64Add f64_add "f64.add" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Subtract.
            F64Sub f64_sub "f64.sub" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Multiply.
            F64Mul f64_mul "f64.mul" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Divide.
            F64Div f64_div "f64.div" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Minimum (NaN-propagating, -0 < +0).
            F64Min f64_min "f64.min" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Maximum (NaN-propagating, -0 < +0).
            F64Max f64_max "f64.max" { dst: Slot, lhs: Slot, rhs: Slot };
            /// Copy sign of `rhs` onto `lhs`.
            F64Copysign f64_copysign "f64.copysign" { dst: Slot, lhs: Slot, rhs: Slot };

            // ---- float arithmetic with a constant operand (bits in `value`) ----
            /// `dst = lhs + value` (f32).
            F32AddImm f32_add_imm "f32.add_imm" { dst: Slot, lhs: Slot, value: u32 };
            /// `dst = lhs - value` (f32).
            F32SubImm f32_sub_imm "f32.sub_imm" { dst: Slot, lhs: Slot, value: u32 };
            /// `dst = lhs * value` (f32).
            F32MulImm f32_mul_imm "f32.mul_imm" { dst: Slot, lhs: Slot, value: u32 };
            /// `dst = lhs / value` (f32).
            F32DivImm f32_div_imm "f32.div_imm" { dst: Slot, lhs: Slot, value: u32 };
            /// `dst = lhs + value` (f64).
            F64AddImm f64_add_imm "f64.add_imm" { dst: Slot, lhs: Slot, value: u64 };
            /// `dst = lhs - value` (f64).
            F64SubImm f64_sub_imm "f64.sub_imm" { dst: Slot, lhs: Slot, value: u64 };
            /// `dst = lhs * value` (f64).
            F64MulImm f64_mul_imm "f64.mul_imm" { dst: Slot, lhs: Slot, value: u64 };
            /// `dst = lhs / value` (f64).
            F64DivImm f64_div_imm "f64.div_imm" { dst: Slot, lhs: Slot, value: u64 };
            /// `dst = value - rhs` (f32; a constant left operand).
            F32SubImmLhs f32_sub_imm_lhs "f32.sub_imm_lhs" { dst: Slot, value: u32, rhs: Slot };
            /// `dst = value / rhs` (f32).
            F32DivImmLhs f32_div_imm_lhs "f32.div_imm_lhs" { dst: Slot, value: u32, rhs: Slot };
            /// `dst = value - rhs` (f64).
            F64SubImmLhs f64_sub_imm_lhs "f64.sub_imm_lhs" { dst: Slot, value: u64, rhs: Slot };
            /// `dst = value / rhs` (f64).
            F64DivImmLhs f64_div_imm_lhs "f64.div_imm_lhs" { dst: Slot, value: u64, rhs: Slot };

            // ---- memory ----
            /// Load a byte, sign-extended to 64 bits (serves i32.load8_s and i64.load8_s).
            Load8S load8_s "load8_s" { dst: Slot, addr: Slot, offset: u32 };
            /// Load a byte, zero-extended (i32.load8_u, i64.load8_u).
            Load8U load8_u "load8_u" { dst: Slot, addr: Slot, offset: u32 };
            /// Load 16 bits, sign-extended to 64 bits (i32.load16_s, i64.load16_s).
            Load16S load16_s "load16_s" { dst: Slot, addr: Slot, offset: u32 };
            /// Load 16 bits, zero-extended (i32.load16_u, i64.load16_u).
            Load16U load16_u "load16_u" { dst: Slot, addr: Slot, offset: u32 };
            /// Load 32 bits, sign-extended to 64 bits (i64.load32_s).
            Load32S load32_s "load32_s" { dst: Slot, addr: Slot, offset: u32 };
            /// Load 32 bits, zero-extended (i32.load, f32.load, i64.load32_u).
            Load32 load32 "load32" { dst: Slot, addr: Slot, offset: u32 };
            /// Load 64 bits (i64.load, f64.load).
            Load64 load64 "load64" { dst: Slot, addr: Slot, offset: u32 };
            // ---- loads with a computed address (superinstructions: `i32.add` + load) ----
            /// Load (sign-extended byte) at `(u32)(addr + index) + offset`.
            Load8SAdd load8_s_add "load8_s.add" { dst: Slot, addr: Slot, index: Slot, offset: u32 };
            /// Load (sign-extended byte) at `(u32)(addr + imm) + offset`.
            Load8SAddImm load8_s_add_imm "load8_s.add_imm" { dst: Slot, addr: Slot, imm: i32, offset: u32 };
            /// Load (zero-extended byte) at `(u32)(addr + index) + offset`.
            Load8UAdd load8_u_add "load8_u.add" { dst: Slot, addr: Slot, index: Slot, offset: u32 };
            /// Load (zero-extended byte) at `(u32)(addr + imm) + offset`.
            Load8UAddImm load8_u_add_imm "load8_u.add_imm" { dst: Slot, addr: Slot, imm: i32, offset: u32 };
            /// Load (sign-extended 16 bits) at `(u32)(addr + index) + offset`.
            Load16SAdd load16_s_add "load16_s.add" { dst: Slot, addr: Slot, index: Slot, offset: u32 };
            /// Load (sign-extended 16 bits) at `(u32)(addr + imm) + offset`.
            Load16SAddImm load16_s_add_imm "load16_s.add_imm" { dst: Slot, addr: Slot, imm: i32, offset: u32 };
            /// Load (zero-extended 16 bits) at `(u32)(addr + index) + offset`.
            Load16UAdd load16_u_add "load16_u.add" { dst: Slot, addr: Slot, index: Slot, offset: u32 };
            /// Load (zero-extended 16 bits) at `(u32)(addr + imm) + offset`.
            Load16UAddImm load16_u_add_imm "load16_u.add_imm" { dst: Slot, addr: Slot, imm: i32, offset: u32 };
            /// Load (sign-extended 32 bits) at `(u32)(addr + index) + offset`.
            Load32SAdd load32_s_add "load32_s.add" { dst: Slot, addr: Slot, index: Slot, offset: u32 };
            /// Load (sign-extended 32 bits) at `(u32)(addr + imm) + offset`.
            Load32SAddImm load32_s_add_imm "load32_s.add_imm" { dst: Slot, addr: Slot, imm: i32, offset: u32 };
            /// Load (32 bits, zero-extended) at `(u32)(addr + index) + offset`.
            Load32Add load32_add "load32.add" { dst: Slot, addr: Slot, index: Slot, offset: u32 };
            /// Load (32 bits, zero-extended) at `(u32)(addr + imm) + offset`.
            Load32AddImm load32_add_imm "load32.add_imm" { dst: Slot, addr: Slot, imm: i32, offset: u32 };
            /// Load (64 bits) at `(u32)(addr + index) + offset`.
            Load64Add load64_add "load64.add" { dst: Slot, addr: Slot, index: Slot, offset: u32 };
            /// Load (64 bits) at `(u32)(addr + imm) + offset`.
            Load64AddImm load64_add_imm "load64.add_imm" { dst: Slot, addr: Slot, imm: i32, offset: u32 };
            /// Store the low byte of `value` (i32.store8, i64.store8).
            Store8 store8 "store8" { addr: Slot, value: Slot, offset: u32 };
            /// Store the low 16 bits (i32.store16, i64.store16).
            Store16 store16 "store16" { addr: Slot, value: Slot, offset: u32 };
            /// Store the low 32 bits (i32.store, f32.store, i64.store32).
            Store32 store32 "store32" { addr: Slot, value: Slot, offset: u32 };
            /// Store 64 bits (i64.store, f64.store).
            Store64 store64 "store64" { addr: Slot, value: Slot, offset: u32 };
            /// Store the low byte of the constant `imm`.
            Store8Imm store8_imm "store8_imm" { addr: Slot, imm: i32, offset: u32 };
            /// Store the low 16 bits of the constant `imm`.
            Store16Imm store16_imm "store16_imm" { addr: Slot, imm: i32, offset: u32 };
            /// Store the constant `imm` (32 bits).
            Store32Imm store32_imm "store32_imm" { addr: Slot, imm: i32, offset: u32 };
            /// Store the constant `imm` sign-extended to 64 bits.
            Store64Imm store64_imm "store64_imm" { addr: Slot, imm: i32, offset: u32 };
            /// `dst = memory.size` in pages.
            MemorySize memory_size "memory.size" { dst: Slot };
            /// Grow memory by `delta` pages; `dst` = old size or -1.
            MemoryGrow memory_grow "memory.grow" { dst: Slot, delta: Slot };
        }
        ext {
            // ---- conversions ----
            /// `i64.extend_i32_u`: zero the high 32 bits.
            I64ExtendI32U i64_extend_i32_u "i64.extend_i32_u" { dst: Slot, src: Slot };
            /// `i64.extend_i32_s` (also `i64.extend32_s`).
            I64ExtendI32S i64_extend_i32_s "i64.extend_i32_s" { dst: Slot, src: Slot };
            /// Sign-extend the low 8 bits to 32 bits.
            I32Extend8S i32_extend8_s "i32.extend8_s" { dst: Slot, src: Slot };
            /// Sign-extend the low 16 bits to 32 bits.
            I32Extend16S i32_extend16_s "i32.extend16_s" { dst: Slot, src: Slot };
            /// Sign-extend the low 8 bits to 64 bits.
            I64Extend8S i64_extend8_s "i64.extend8_s" { dst: Slot, src: Slot };
            /// Sign-extend the low 16 bits to 64 bits.
            I64Extend16S i64_extend16_s "i64.extend16_s" { dst: Slot, src: Slot };
            /// f32 → i32, signed, trapping.
            I32TruncF32S i32_trunc_f32_s "i32.trunc_f32_s" { dst: Slot, src: Slot };
            /// f32 → i32, unsigned, trapping.
            I32TruncF32U i32_trunc_f32_u "i32.trunc_f32_u" { dst: Slot, src: Slot };
            /// f64 → i32, signed, trapping.
            I32TruncF64S i32_trunc_f64_s "i32.trunc_f64_s" { dst: Slot, src: Slot };
            /// f64 → i32, unsigned, trapping.
            I32TruncF64U i32_trunc_f64_u "i32.trunc_f64_u" { dst: Slot, src: Slot };
            /// f32 → i64, signed, trapping.
            I64TruncF32S i64_trunc_f32_s "i64.trunc_f32_s" { dst: Slot, src: Slot };
            /// f32 → i64, unsigned, trapping.
            I64TruncF32U i64_trunc_f32_u "i64.trunc_f32_u" { dst: Slot, src: Slot };
            /// f64 → i64, signed, trapping.
            I64TruncF64S i64_trunc_f64_s "i64.trunc_f64_s" { dst: Slot, src: Slot };
            /// f64 → i64, unsigned, trapping.
            I64TruncF64U i64_trunc_f64_u "i64.trunc_f64_u" { dst: Slot, src: Slot };
            /// f32 → i32, signed, saturating.
            I32TruncSatF32S i32_trunc_sat_f32_s "i32.trunc_sat_f32_s" { dst: Slot, src: Slot };
            /// f32 → i32, unsigned, saturating.
            I32TruncSatF32U i32_trunc_sat_f32_u "i32.trunc_sat_f32_u" { dst: Slot, src: Slot };
            /// f64 → i32, signed, saturating.
            I32TruncSatF64S i32_trunc_sat_f64_s "i32.trunc_sat_f64_s" { dst: Slot, src: Slot };
            /// f64 → i32, unsigned, saturating.
            I32TruncSatF64U i32_trunc_sat_f64_u "i32.trunc_sat_f64_u" { dst: Slot, src: Slot };
            /// f32 → i64, signed, saturating.
            I64TruncSatF32S i64_trunc_sat_f32_s "i64.trunc_sat_f32_s" { dst: Slot, src: Slot };
            /// f32 → i64, unsigned, saturating.
            I64TruncSatF32U i64_trunc_sat_f32_u "i64.trunc_sat_f32_u" { dst: Slot, src: Slot };
            /// f64 → i64, signed, saturating.
            I64TruncSatF64S i64_trunc_sat_f64_s "i64.trunc_sat_f64_s" { dst: Slot, src: Slot };
            /// f64 → i64, unsigned, saturating.
            I64TruncSatF64U i64_trunc_sat_f64_u "i64.trunc_sat_f64_u" { dst: Slot, src: Slot };
            /// i32 (signed) → f32.
            F32ConvertI32S f32_convert_i32_s "f32.convert_i32_s" { dst: Slot, src: Slot };
            /// i32 (unsigned) → f32.
            F32ConvertI32U f32_convert_i32_u "f32.convert_i32_u" { dst: Slot, src: Slot };
            /// i64 (signed) → f32.
            F32ConvertI64S f32_convert_i64_s "f32.convert_i64_s" { dst: Slot, src: Slot };
            /// i64 (unsigned) → f32.
            F32ConvertI64U f32_convert_i64_u "f32.convert_i64_u" { dst: Slot, src: Slot };
            /// i32 (signed) → f64.
            F64ConvertI32S f64_convert_i32_s "f64.convert_i32_s" { dst: Slot, src: Slot };
            /// i32 (unsigned) → f64.
            F64ConvertI32U f64_convert_i32_u "f64.convert_i32_u" { dst: Slot, src: Slot };
            /// i64 (signed) → f64.
            F64ConvertI64S f64_convert_i64_s "f64.convert_i64_s" { dst: Slot, src: Slot };
            /// i64 (unsigned) → f64.
            F64ConvertI64U f64_convert_i64_u "f64.convert_i64_u" { dst: Slot, src: Slot };
            /// f64 → f32.
            F32DemoteF64 f32_demote_f64 "f32.demote_f64" { dst: Slot, src: Slot };
            /// f32 → f64.
            F64PromoteF32 f64_promote_f32 "f64.promote_f32" { dst: Slot, src: Slot };

            // ---- references ----
            /// `dst` = reference to module function `func`.
            RefFunc ref_func "ref.func" { dst: Slot, func: u32 };
            /// `dst = src is null` (raw value 0).
            RefIsNull ref_is_null "ref.is_null" { dst: Slot, src: Slot };

            // ---- bulk memory ----
            /// `memory.fill`: `len` bytes at `dst_addr` set to the low byte of `value`.
            MemoryFill memory_fill "memory.fill" { dst_addr: Slot, value: Slot, len: Slot };
            /// `memory.copy` (overlapping allowed).
            MemoryCopy memory_copy "memory.copy" { dst_addr: Slot, src_addr: Slot, len: Slot };
            /// `memory.init` from data segment `segment`.
            MemoryInit memory_init "memory.init" { segment: u32, dst_addr: Slot, src_offset: Slot, len: Slot };
            /// `data.drop`.
            DataDrop data_drop "data.drop" { segment: u32 };

            // ---- tables ----
            /// `dst = table[index]`.
            TableGet table_get "table.get" { dst: Slot, table: u32, index: Slot };
            /// `table[index] = value`.
            TableSet table_set "table.set" { table: u32, index: Slot, value: Slot };
            /// `dst = table.size`.
            TableSize table_size "table.size" { dst: Slot, table: u32 };
            /// Grow by `delta` entries filled with `init`; `dst` = old size or -1.
            TableGrow table_grow "table.grow" { dst: Slot, table: u32, init: Slot, delta: Slot };
            /// Fill `len` entries from `start` with `value`.
            TableFill table_fill "table.fill" { table: u32, start: Slot, value: Slot, len: Slot };
            /// `table.copy` (overlapping allowed).
            TableCopy table_copy "table.copy" { dst_table: u32, src_table: u32, dst_index: Slot, src_index: Slot, len: Slot };
            /// `table.init` from element segment `segment`.
            TableInit table_init "table.init" { table: u32, segment: u32, dst_index: Slot, src_offset: Slot, len: Slot };
            /// `elem.drop`.
            ElemDrop elem_drop "elem.drop" { segment: u32 };

            // ---- superinstructions (after the others: they are only ever produced by fusing) ----
            /// `dst = lhs + (rhs << (imm & 31))` (`i32.shl` by a constant, then `i32.add`).
            I32AddShl i32_add_shl "i32.add_shl" { dst: Slot, lhs: Slot, rhs: Slot, imm: i32 };
            /// `dst = lhs ^ rotl(rhs, imm & 31)` (`i32.rotl` by a constant, then `i32.xor`).
            I32XorRotl i32_xor_rotl "i32.xor_rotl" { dst: Slot, lhs: Slot, rhs: Slot, imm: i32 };
            /// `dst = lhs * rhs + addend` (`f64.mul`, then `f64.add` with the product on the
            /// left; two roundings, as the two instructions).
            F64MulAdd f64_mul_add "f64.mul_add" { dst: Slot, lhs: Slot, rhs: Slot, addend: Slot };
            /// `dst = addend + lhs * rhs` (`f64.mul`, then `f64.add` with the product on the right).
            F64AddMul f64_add_mul "f64.add_mul" { dst: Slot, addend: Slot, lhs: Slot, rhs: Slot };

            // ---- the float accumulator ----
            // Twins of f64 operators with one operand and/or the result in the float
            // accumulator, a register the executor carries from one instruction to the next,
            // instead of a slot. Same layout as the plain instruction; the operand the
            // accumulator replaces is not read (the translator leaves the temporary's slot
            // there). Produced only for a value that the next instruction consumes.
            /// `f64.add`: `acc = lhs + rhs`.
            F64AddToAcc f64_add_to_acc "f64.add.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.add`: `dst = acc + rhs`.
            F64AddAccLhs f64_add_acc_lhs "f64.add.acc_lhs" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.add`: `dst = lhs + acc`.
            F64AddAccRhs f64_add_acc_rhs "f64.add.acc_rhs" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.add`: `acc = acc + rhs`.
            F64AddAccLhsToAcc f64_add_acc_lhs_to_acc "f64.add.acc_lhs.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.add`: `acc = lhs + acc`.
            F64AddAccRhsToAcc f64_add_acc_rhs_to_acc "f64.add.acc_rhs.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.sub`: `acc = lhs - rhs`.
            F64SubToAcc f64_sub_to_acc "f64.sub.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.sub`: `dst = acc - rhs`.
            F64SubAccLhs f64_sub_acc_lhs "f64.sub.acc_lhs" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.sub`: `dst = lhs - acc`.
            F64SubAccRhs f64_sub_acc_rhs "f64.sub.acc_rhs" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.sub`: `acc = acc - rhs`.
            F64SubAccLhsToAcc f64_sub_acc_lhs_to_acc "f64.sub.acc_lhs.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.sub`: `acc = lhs - acc`.
            F64SubAccRhsToAcc f64_sub_acc_rhs_to_acc "f64.sub.acc_rhs.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.mul`: `acc = lhs * rhs`.
            F64MulToAcc f64_mul_to_acc "f64.mul.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.mul`: `dst = acc * rhs`.
            F64MulAccLhs f64_mul_acc_lhs "f64.mul.acc_lhs" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.mul`: `dst = lhs * acc`.
            F64MulAccRhs f64_mul_acc_rhs "f64.mul.acc_rhs" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.mul`: `acc = acc * rhs`.
            F64MulAccLhsToAcc f64_mul_acc_lhs_to_acc "f64.mul.acc_lhs.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.mul`: `acc = lhs * acc`.
            F64MulAccRhsToAcc f64_mul_acc_rhs_to_acc "f64.mul.acc_rhs.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.div`: `acc = lhs / rhs`.
            F64DivToAcc f64_div_to_acc "f64.div.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.div`: `dst = acc / rhs`.
            F64DivAccLhs f64_div_acc_lhs "f64.div.acc_lhs" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.div`: `dst = lhs / acc`.
            F64DivAccRhs f64_div_acc_rhs "f64.div.acc_rhs" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.div`: `acc = acc / rhs`.
            F64DivAccLhsToAcc f64_div_acc_lhs_to_acc "f64.div.acc_lhs.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.div`: `acc = lhs / acc`.
            F64DivAccRhsToAcc f64_div_acc_rhs_to_acc "f64.div.acc_rhs.to_acc" { dst: Slot, lhs: Slot, rhs: Slot };
            /// `f64.add_imm`: `acc = lhs + value`.
            F64AddImmToAcc f64_add_imm_to_acc "f64.add_imm.to_acc" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.add_imm`: `dst = acc + value`.
            F64AddImmAccLhs f64_add_imm_acc_lhs "f64.add_imm.acc_lhs" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.add_imm`: `acc = acc + value`.
            F64AddImmAccLhsToAcc f64_add_imm_acc_lhs_to_acc "f64.add_imm.acc_lhs.to_acc" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.sub_imm`: `acc = lhs - value`.
            F64SubImmToAcc f64_sub_imm_to_acc "f64.sub_imm.to_acc" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.sub_imm`: `dst = acc - value`.
            F64SubImmAccLhs f64_sub_imm_acc_lhs "f64.sub_imm.acc_lhs" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.sub_imm`: `acc = acc - value`.
            F64SubImmAccLhsToAcc f64_sub_imm_acc_lhs_to_acc "f64.sub_imm.acc_lhs.to_acc" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.mul_imm`: `acc = lhs * value`.
            F64MulImmToAcc f64_mul_imm_to_acc "f64.mul_imm.to_acc" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.mul_imm`: `dst = acc * value`.
            F64MulImmAccLhs f64_mul_imm_acc_lhs "f64.mul_imm.acc_lhs" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.mul_imm`: `acc = acc * value`.
            F64MulImmAccLhsToAcc f64_mul_imm_acc_lhs_to_acc "f64.mul_imm.acc_lhs.to_acc" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.div_imm`: `acc = lhs / value`.
            F64DivImmToAcc f64_div_imm_to_acc "f64.div_imm.to_acc" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.div_imm`: `dst = acc / value`.
            F64DivImmAccLhs f64_div_imm_acc_lhs "f64.div_imm.acc_lhs" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.div_imm`: `acc = acc / value`.
            F64DivImmAccLhsToAcc f64_div_imm_acc_lhs_to_acc "f64.div_imm.acc_lhs.to_acc" { dst: Slot, lhs: Slot, value: u64 };
            /// `f64.sub_imm_lhs`: `acc = value - rhs`.
            F64SubImmLhsToAcc f64_sub_imm_lhs_to_acc "f64.sub_imm_lhs.to_acc" { dst: Slot, value: u64, rhs: Slot };
            /// `f64.sub_imm_lhs`: `dst = value - acc`.
            F64SubImmLhsAccRhs f64_sub_imm_lhs_acc_rhs "f64.sub_imm_lhs.acc_rhs" { dst: Slot, value: u64, rhs: Slot };
            /// `f64.sub_imm_lhs`: `acc = value - acc`.
            F64SubImmLhsAccRhsToAcc f64_sub_imm_lhs_acc_rhs_to_acc "f64.sub_imm_lhs.acc_rhs.to_acc" { dst: Slot, value: u64, rhs: Slot };
            /// `f64.div_imm_lhs`: `acc = value / rhs`.
            F64DivImmLhsToAcc f64_div_imm_lhs_to_acc "f64.div_imm_lhs.to_acc" { dst: Slot, value: u64, rhs: Slot };
            /// `f64.div_imm_lhs`: `dst = value / acc`.
            F64DivImmLhsAccRhs f64_div_imm_lhs_acc_rhs "f64.div_imm_lhs.acc_rhs" { dst: Slot, value: u64, rhs: Slot };
            /// `f64.div_imm_lhs`: `acc = value / acc`.
            F64DivImmLhsAccRhsToAcc f64_div_imm_lhs_acc_rhs_to_acc "f64.div_imm_lhs.acc_rhs.to_acc" { dst: Slot, value: u64, rhs: Slot };
            /// Load (sign-extended byte) at `(u32)(addr + (index << (imm & 31))) + offset`.
            Load8SAddShl load8_s_add_shl "load8_s.add_shl" { dst: Slot, addr: Slot, index: Slot, imm: i32, offset: u32 };
            /// Load (zero-extended byte) at `(u32)(addr + (index << (imm & 31))) + offset`.
            Load8UAddShl load8_u_add_shl "load8_u.add_shl" { dst: Slot, addr: Slot, index: Slot, imm: i32, offset: u32 };
            /// Load (sign-extended 16 bits) at `(u32)(addr + (index << (imm & 31))) + offset`.
            Load16SAddShl load16_s_add_shl "load16_s.add_shl" { dst: Slot, addr: Slot, index: Slot, imm: i32, offset: u32 };
            /// Load (zero-extended 16 bits) at `(u32)(addr + (index << (imm & 31))) + offset`.
            Load16UAddShl load16_u_add_shl "load16_u.add_shl" { dst: Slot, addr: Slot, index: Slot, imm: i32, offset: u32 };
            /// Load (sign-extended 32 bits) at `(u32)(addr + (index << (imm & 31))) + offset`.
            Load32SAddShl load32_s_add_shl "load32_s.add_shl" { dst: Slot, addr: Slot, index: Slot, imm: i32, offset: u32 };
            /// Load (32 bits, zero-extended) at `(u32)(addr + (index << (imm & 31))) + offset`.
            Load32AddShl load32_add_shl "load32.add_shl" { dst: Slot, addr: Slot, index: Slot, imm: i32, offset: u32 };
            /// Load (64 bits) at `(u32)(addr + (index << (imm & 31))) + offset`.
            Load64AddShl load64_add_shl "load64.add_shl" { dst: Slot, addr: Slot, index: Slot, imm: i32, offset: u32 };
        }
        }
    };
}

/// A view of an instruction's tail: `len` operands of type `T`.
#[derive(Debug, Clone, Copy)]
pub struct Tail<'a, T> {
    bytes: &'a [u8],
    _t: PhantomData<T>,
}

impl<'a, T: Operand + 'a> Tail<'a, T> {
    /// Number of operands.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.bytes.len() / T::SIZE
    }
    /// Whether the tail is empty.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
    /// Operand `i`, if in range.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<T> {
        let at = i.checked_mul(T::SIZE)?;
        let b = self.bytes.get(at..at.checked_add(T::SIZE)?)?;
        Some(T::read(b))
    }
    /// All operands in order.
    pub fn iter(&self) -> impl Iterator<Item = T> + 'a {
        self.bytes.chunks_exact(T::SIZE).map(T::read)
    }
}

macro_rules! define_isa {
    (
        primary { $( $(#[$pmeta:meta])* $PName:ident $psnake:ident $pmn:literal { $($pf:ident : $pt:ty),* } $([$ptail:ty; $pcount:ident])? ; )* }
        ext { $( $(#[$emeta:meta])* $EName:ident $esnake:ident $emn:literal { $($ef:ident : $et:ty),* } $([$etail:ty; $ecount:ident])? ; )* }
    ) => {
        /// One-byte opcodes, in table order.
        #[repr(u8)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Opcode { $($PName,)* }

        /// Second bytes of extended opcodes (after [`EXT_PREFIX`]), in table order.
        #[repr(u8)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum ExtOpcode { $($EName,)* }

        /// One-byte opcode values, usable as `match` patterns.
        #[allow(non_upper_case_globals, missing_docs)]
        pub mod op {
            $(pub const $PName: u8 = super::Opcode::$PName as u8;)*
        }

        /// Extended opcode second bytes, usable as `match` patterns.
        #[allow(non_upper_case_globals, missing_docs)]
        pub mod ext_op {
            $(pub const $EName: u8 = super::ExtOpcode::$EName as u8;)*
        }

        /// Number of one-byte opcodes.
        pub const PRIMARY_COUNT: usize = [$(Opcode::$PName),*].len();
        /// Number of extended opcodes.
        pub const EXT_COUNT: usize = [$(ExtOpcode::$EName),*].len();
        const _: () = assert!(PRIMARY_COUNT < EXT_PREFIX as usize);

        $( define_isa!(@instr $(#[$pmeta])* $PName $pmn, 1, [op::$PName], { $($pf: $pt),* } $([$ptail; $pcount])?); )*
        $( define_isa!(@instr $(#[$emeta])* $EName $emn, 2, [EXT_PREFIX, ext_op::$EName], { $($ef: $et),* } $([$etail; $ecount])?); )*

        /// Any decoded instruction (fixed part; the tail stays in the code).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        #[allow(clippy::large_enum_variant)]
        pub enum Instr {
            $($PName($PName),)*
            $($EName($EName),)*
        }

        /// What [`spread`](crate::spread::spread) needs of an instruction: its length (tail
        /// included), where its branch offset is (0 if none) and whether its tail is branch
        /// offsets.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Shape {
            /// Length in bytes, tail included.
            pub len: usize,
            /// Where the branch offset of the fixed part is (bytes from the opcode; 0 if none).
            pub branch_at: usize,
            /// Whether the tail is a list of branch offsets.
            pub tail_branches: bool,
        }

        impl Shape {
            /// The shape of the instruction at `pc` (cheaper than [`Instr::decode`]: no
            /// instruction value is built).
            #[inline]
            pub fn of(code: &[u8], pc: usize) -> Result<Shape, DecodeError> {
                let &b = code.get(pc).ok_or(DecodeError::Truncated { pc })?;
                let (len, branch_at, tail_branches) = match b {
                    $(op::$PName => {
                        let i = $PName::decode(code, pc).ok_or(DecodeError::Truncated { pc })?;
                        (i.len(), $PName::BRANCH_AT, $PName::TAIL_BRANCHES)
                    })*
                    EXT_PREFIX => {
                        let &e = code.get(pc + 1).ok_or(DecodeError::Truncated { pc })?;
                        match e {
                            $(ext_op::$EName => {
                                let i = $EName::decode(code, pc).ok_or(DecodeError::Truncated { pc })?;
                                (i.len(), $EName::BRANCH_AT, $EName::TAIL_BRANCHES)
                            })*
                            byte => return Err(DecodeError::BadOpcode { pc, byte }),
                        }
                    }
                    byte => return Err(DecodeError::BadOpcode { pc, byte }),
                };
                if code.len() < pc.saturating_add(len) {
                    return Err(DecodeError::Truncated { pc });
                }
                Ok(Shape { len, branch_at, tail_branches })
            }
        }

        impl Instr {
            /// Decodes the instruction at `pc`; returns it and its total length (tail included).
            pub fn decode(code: &[u8], pc: usize) -> Result<(Instr, usize), DecodeError> {
                let &b = code.get(pc).ok_or(DecodeError::Truncated { pc })?;
                match b {
                    $(op::$PName => {
                        let i = $PName::decode(code, pc).ok_or(DecodeError::Truncated { pc })?;
                        let len = i.len();
                        if code.len() < pc.saturating_add(len) { return Err(DecodeError::Truncated { pc }); }
                        Ok((Instr::$PName(i), len))
                    })*
                    EXT_PREFIX => {
                        let &e = code.get(pc + 1).ok_or(DecodeError::Truncated { pc })?;
                        match e {
                            $(ext_op::$EName => {
                                let i = $EName::decode(code, pc).ok_or(DecodeError::Truncated { pc })?;
                                let len = i.len();
                                if code.len() < pc.saturating_add(len) { return Err(DecodeError::Truncated { pc }); }
                                Ok((Instr::$EName(i), len))
                            })*
                            byte => Err(DecodeError::BadOpcode { pc, byte }),
                        }
                    }
                    byte => Err(DecodeError::BadOpcode { pc, byte }),
                }
            }

            /// Where the branch offset of the fixed part is (bytes from the opcode; 0 if none).
            pub fn branch_at(&self) -> usize {
                match self {
                    $(Instr::$PName(_) => $PName::BRANCH_AT,)*
                    $(Instr::$EName(_) => $EName::BRANCH_AT,)*
                }
            }

            /// Size of the fixed part in bytes (opcode included, tail excluded).
            pub fn fixed_size(&self) -> usize {
                match self {
                    $(Instr::$PName(_) => $PName::SIZE,)*
                    $(Instr::$EName(_) => $EName::SIZE,)*
                }
            }

            /// Whether the tail is a list of branch offsets.
            pub fn tail_branches(&self) -> bool {
                match self {
                    $(Instr::$PName(_) => $PName::TAIL_BRANCHES,)*
                    $(Instr::$EName(_) => $EName::TAIL_BRANCHES,)*
                }
            }

            /// The instruction's mnemonic.
            pub fn mnemonic(&self) -> &'static str {
                match self {
                    $(Instr::$PName(_) => $pmn,)*
                    $(Instr::$EName(_) => $emn,)*
                }
            }

            /// Appends the fixed part of the encoding (a tail must be appended by the caller).
            pub fn encode(&self, out: &mut Vec<u8>) {
                match self {
                    $(Instr::$PName(i) => i.encode(out),)*
                    $(Instr::$EName(i) => i.encode(out),)*
                }
            }

            /// Writes the instruction as text; `code`/`pc` give access to the tail.
            pub fn disassemble(&self, code: &[u8], pc: usize, f: &mut dyn fmt::Write) -> fmt::Result {
                match self {
                    $(#[allow(unused_variables)] Instr::$PName(i) => {
                        f.write_str($pmn)?;
                        $( write!(f, " {}={}", stringify!($pf), i.$pf)?; )*
                        $( let _: Option<$ptail> = None; i.write_tail(code, pc, f)?; )?
                        Ok(())
                    })*
                    $(#[allow(unused_variables)] Instr::$EName(i) => {
                        f.write_str($emn)?;
                        $( write!(f, " {}={}", stringify!($ef), i.$ef)?; )*
                        $( let _: Option<$etail> = None; i.write_tail(code, pc, f)?; )?
                        Ok(())
                    })*
                }
            }
        }

        /// One method per instruction: implement it to interpret, verify or analyse bytecode.
        /// [`dispatch`] decodes one instruction and calls the matching method.
        pub trait Visit {
            /// What each method returns.
            type Output;
            $( define_isa!(@visit_method $PName $psnake $([$ptail])?); )*
            $( define_isa!(@visit_method $EName $esnake $([$etail])?); )*
        }

        /// Decodes the instruction at `pc` and calls the matching [`Visit`] method.
        #[inline(always)]
        pub fn dispatch<V: Visit>(v: &mut V, code: &[u8], pc: usize) -> Result<V::Output, DecodeError> {
            let Some(&b) = code.get(pc) else { return Err(DecodeError::Truncated { pc }) };
            match b {
                $(op::$PName => {
                    let i = $PName::decode(code, pc).ok_or(DecodeError::Truncated { pc })?;
                    Ok(define_isa!(@visit_call v $psnake i code pc $([$ptail])?))
                })*
                EXT_PREFIX => {
                    let Some(&e) = code.get(pc + 1) else { return Err(DecodeError::Truncated { pc }) };
                    match e {
                        $(ext_op::$EName => {
                            let i = $EName::decode(code, pc).ok_or(DecodeError::Truncated { pc })?;
                            Ok(define_isa!(@visit_call v $esnake i code pc $([$etail])?))
                        })*
                        byte => Err(DecodeError::BadOpcode { pc, byte }),
                    }
                }
                byte => Err(DecodeError::BadOpcode { pc, byte }),
            }
        }

        /// Like [`dispatch`], but a decode failure returns `bad(error)` instead of wrapping the
        /// result: an interpreter loop then sees one flat `Output` (no nested `Result` to
        /// materialise per instruction).
        #[inline(always)]
        pub fn dispatch_or<V: Visit>(
            v: &mut V,
            code: &[u8],
            pc: usize,
            bad: impl FnOnce(DecodeError) -> V::Output,
        ) -> V::Output {
            let Some(&b) = code.get(pc) else { return bad(DecodeError::Truncated { pc }) };
            match b {
                $(op::$PName => {
                    let Some(i) = $PName::decode(code, pc) else { return bad(DecodeError::Truncated { pc }) };
                    define_isa!(@visit_call_or v $psnake i code pc bad $([$ptail])?)
                })*
                EXT_PREFIX => {
                    let Some(&e) = code.get(pc + 1) else { return bad(DecodeError::Truncated { pc }) };
                    match e {
                        $(ext_op::$EName => {
                            let Some(i) = $EName::decode(code, pc) else { return bad(DecodeError::Truncated { pc }) };
                            define_isa!(@visit_call_or v $esnake i code pc bad $([$etail])?)
                        })*
                        byte => bad(DecodeError::BadOpcode { pc, byte }),
                    }
                }
                byte => bad(DecodeError::BadOpcode { pc, byte }),
            }
        }

        /// Like [`dispatch`], for an instruction at a raw address and without any checks: for
        /// code the verifier accepted (or the translator produced), where `ip` always points at
        /// the first byte of a whole instruction.
        ///
        /// # Safety
        /// The byte(s) at `ip` must be an opcode, and the whole instruction they start, tail
        /// included, must be readable and stay unchanged during the call.
        #[inline(always)]
        pub unsafe fn dispatch_ptr<V: Visit>(
            v: &mut V,
            ip: *const u8,
        ) -> V::Output {
            // SAFETY: `ip` is readable (caller's guarantee).
            let b = unsafe { *ip };
            match b {
                $(op::$PName => {
                    // SAFETY: the instruction at `ip` is readable (caller's guarantee).
                    let i = unsafe { $PName::decode_ptr(ip) };
                    define_isa!(@visit_call_ptr v $psnake i ip $([$ptail])?)
                })*
                EXT_PREFIX => {
                    // SAFETY: an extended instruction is at least two bytes long.
                    let e = unsafe { *ip.add(1) };
                    match e {
                        $(ext_op::$EName => {
                            // SAFETY: as above.
                            let i = unsafe { $EName::decode_ptr(ip) };
                            define_isa!(@visit_call_ptr v $esnake i ip $([$etail])?)
                        })*
                        // SAFETY: the caller guarantees an opcode at `ip`.
                        _ => unsafe { core::hint::unreachable_unchecked() },
                    }
                }
                // SAFETY: the caller guarantees an opcode at `ip`.
                _ => unsafe { core::hint::unreachable_unchecked() },
            }
        }

        /// Every mnemonic in table order (primary, then extended).
        pub const MNEMONICS: &[&str] = &[$($pmn,)* $($emn,)*];
    };

    (@visit_method $Name:ident $snake:ident) => {
        #[allow(missing_docs)]
        fn $snake(&mut self, i: $Name) -> Self::Output;
    };
    (@visit_method $Name:ident $snake:ident [$tail:ty]) => {
        #[allow(missing_docs)]
        fn $snake(&mut self, i: $Name, tail: Tail<'_, $tail>) -> Self::Output;
    };
    (@visit_call $v:ident $snake:ident $i:ident $code:ident $pc:ident) => {
        $v.$snake($i)
    };
    (@visit_call $v:ident $snake:ident $i:ident $code:ident $pc:ident [$tail:ty]) => {{
        let Some(t) = $i.tail($code, $pc) else { return Err(DecodeError::Truncated { pc: $pc }) };
        $v.$snake($i, t)
    }};

    (@visit_call_or $v:ident $snake:ident $i:ident $code:ident $pc:ident $bad:ident) => {
        $v.$snake($i)
    };
    (@visit_call_or $v:ident $snake:ident $i:ident $code:ident $pc:ident $bad:ident [$tail:ty]) => {{
        let Some(t) = $i.tail($code, $pc) else { return $bad(DecodeError::Truncated { pc: $pc }) };
        $v.$snake($i, t)
    }};

    (@visit_call_ptr $v:ident $snake:ident $i:ident $ip:ident) => {
        $v.$snake($i)
    };
    (@visit_call_ptr $v:ident $snake:ident $i:ident $ip:ident [$tail:ty]) => {{
        // SAFETY: the whole instruction is readable and unchanged during the call (caller's guarantee).
        let t = unsafe { $i.tail_ptr($ip) };
        $v.$snake($i, t)
    }};

    (@instr $(#[$meta:meta])* $Name:ident $mn:literal, $oplen:literal, [$($opb:expr),*], { $($f:ident: $t:ty),* } $([$tail:ty; $count:ident])?) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $Name { $(#[allow(missing_docs)] pub $f: $t,)* }

        impl $Name {
            /// The mnemonic.
            pub const MNEMONIC: &'static str = $mn;
            /// Bytes of opcode (1, or 2 for extended opcodes).
            pub const OPCODE_LEN: usize = $oplen;
            /// The opcode's bytes.
            pub const OPCODE: &'static [u8] = &[$($opb),*];
            /// Size of the fixed part in bytes (opcode included, tail excluded).
            pub const SIZE: usize = $oplen $(+ <$t as Operand>::SIZE)*;
            /// The fixed part's operands after the opcode, as written in the table (`dst: Slot,
            /// lhs: Slot, ...`): instructions with equal layouts decode alike.
            pub const LAYOUT: &'static str = stringify!($($f: $t),*);
            /// Where the branch offset is (bytes from the opcode; 0 if none): the operand named
            /// `offset` of type [`BrOffset`].
            pub const BRANCH_AT: usize = {
                #[allow(unused_mut)]
                let mut at = $oplen;
                #[allow(unused_mut)]
                let mut r = 0;
                $(
                    if <$t as Operand>::IS_I32 && crate::encoding::same(stringify!($f), "offset") {
                        r = at;
                    }
                    at += <$t as Operand>::SIZE;
                )*
                let _ = at;
                r
            };

            /// Appends the fixed part of the encoding.
            #[inline]
            pub fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&[$($opb),*]);
                $( Operand::write(self.$f, out); )*
            }

            /// Decodes the fixed part at `pc` (opcode not checked); `None` if truncated.
            #[inline(always)]
            pub fn decode(code: &[u8], pc: usize) -> Option<Self> {
                #[allow(unused_variables)]
                let b = code.get(pc..pc.checked_add(Self::SIZE)?)?;
                #[allow(unused_mut, unused_variables, unused_assignments)]
                let mut at = $oplen;
                $( let $f = <$t as Operand>::read(&b[at..]);
                   #[allow(unused_assignments)]
                   { at += <$t as Operand>::SIZE; } )*
                Some(Self { $($f),* })
            }

            /// Decodes the fixed part of the instruction at `ip` (opcode not checked) without
            /// bounds checks.
            ///
            /// # Safety
            /// The `SIZE` bytes at `ip` must be readable.
            #[inline(always)]
            #[allow(unused_variables)]
            pub unsafe fn decode_ptr(ip: *const u8) -> Self {
                #[allow(unused_mut, unused_variables, unused_assignments)]
                let mut at = $oplen;
                $( // SAFETY: `at + size_of::<$t>() <= SIZE`: the bytes lie in `ip..ip + SIZE`.
                   let $f = unsafe { <$t as Operand>::read_ptr(ip.add(at)) };
                   #[allow(unused_assignments)]
                   { at += <$t as Operand>::SIZE; } )*
                Self { $($f),* }
            }

            define_isa!(@tail_impl $([$tail; $count])?);
        }
    };

    (@tail_impl) => {
        /// Whether the tail is a list of branch offsets (there is no tail).
        pub const TAIL_BRANCHES: bool = false;

        /// Total length in bytes.
        #[inline(always)]
        #[allow(clippy::len_without_is_empty)]
        pub fn len(&self) -> usize { Self::SIZE }
    };
    (@tail_impl [$tail:ty; $count:ident]) => {
        /// Size of one tail operand in bytes.
        pub const TAIL_SIZE: usize = <$tail as Operand>::SIZE;
        /// Whether the tail is a list of branch offsets (of type [`BrOffset`]).
        pub const TAIL_BRANCHES: bool = <$tail as Operand>::IS_I32;

        /// Total length in bytes, tail included.
        #[inline(always)]
        #[allow(clippy::len_without_is_empty)]
        pub fn len(&self) -> usize { Self::SIZE + (self.$count as usize) * Self::TAIL_SIZE }

        /// The tail of the instruction at `pc`; `None` if the code is too short.
        #[inline(always)]
        pub fn tail<'c>(&self, code: &'c [u8], pc: usize) -> Option<Tail<'c, $tail>> {
            let start = pc.checked_add(Self::SIZE)?;
            let end = start.checked_add((self.$count as usize).checked_mul(Self::TAIL_SIZE)?)?;
            Some(Tail { bytes: code.get(start..end)?, _t: PhantomData })
        }

        /// The tail of the instruction at `ip`, without bounds checks.
        ///
        /// # Safety
        /// The whole instruction (`ip..ip + self.len()`) must be readable, and stay unchanged
        /// for `'c`.
        #[inline(always)]
        pub unsafe fn tail_ptr<'c>(&self, ip: *const u8) -> Tail<'c, $tail> {
            let len = (self.$count as usize) * Self::TAIL_SIZE;
            // SAFETY: the tail, `ip + SIZE .. ip + SIZE + len`, is readable (caller's guarantee).
            Tail { bytes: unsafe { core::slice::from_raw_parts(ip.add(Self::SIZE), len) }, _t: PhantomData }
        }

        fn write_tail(&self, code: &[u8], pc: usize, f: &mut dyn fmt::Write) -> fmt::Result {
            f.write_str(" [")?;
            if let Some(t) = self.tail(code, pc) {
                for (n, x) in t.iter().enumerate() {
                    if n > 0 { f.write_str(", ")?; }
                    write!(f, "{x}")?;
                }
            } else {
                f.write_str("<truncated>")?;
            }
            f.write_str("]")
        }
    };
}

for_each_op!(define_isa);
