//! Branch conditions: what a fused compare-and-branch tests, and how to encode it.

use alloc::vec::Vec;
use ember_bytecode::*;

/// An integer comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl CmpOp {
    /// The comparison that is true exactly when `self` is false.
    pub(crate) fn negate(self) -> CmpOp {
        use CmpOp::*;
        match self {
            Eq => Ne,
            Ne => Eq,
            LtS => GeS,
            GeS => LtS,
            LtU => GeU,
            GeU => LtU,
            GtS => LeS,
            LeS => GtS,
            GtU => LeU,
            LeU => GtU,
        }
    }

    /// The comparison with its operands swapped: `a op b == b op.swap() a`.
    pub(crate) fn swap(self) -> CmpOp {
        use CmpOp::*;
        match self {
            Eq => Eq,
            Ne => Ne,
            LtS => GtS,
            GtS => LtS,
            LtU => GtU,
            GtU => LtU,
            LeS => GeS,
            GeS => LeS,
            LeU => GeU,
            GeU => LeU,
        }
    }
}

/// What a conditional branch tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cond {
    /// The i32 in the slot is not zero.
    Nez(Slot),
    /// The i32 in the slot is zero.
    Eqz(Slot),
    /// The i64 in the slot is not zero.
    I64Nez(Slot),
    /// The i64 in the slot is zero.
    I64Eqz(Slot),
    /// i32 comparison of two slots.
    I32(CmpOp, Slot, Slot),
    /// i32 comparison of a slot with an immediate.
    I32Imm(CmpOp, Slot, i32),
    /// i64 comparison of two slots.
    I64(CmpOp, Slot, Slot),
}

impl Cond {
    /// The condition that holds exactly when `self` does not.
    pub(crate) fn negate(self) -> Cond {
        match self {
            Cond::Nez(s) => Cond::Eqz(s),
            Cond::Eqz(s) => Cond::Nez(s),
            Cond::I64Nez(s) => Cond::I64Eqz(s),
            Cond::I64Eqz(s) => Cond::I64Nez(s),
            Cond::I32(op, a, b) => Cond::I32(op.negate(), a, b),
            Cond::I32Imm(op, a, i) => Cond::I32Imm(op.negate(), a, i),
            Cond::I64(op, a, b) => Cond::I64(op.negate(), a, b),
        }
    }

    /// Appends the conditional branch with `offset`. The offset is always the last 4 bytes.
    pub(crate) fn encode(self, offset: BrOffset, out: &mut Vec<u8>) {
        use CmpOp::*;
        match self {
            Cond::Nez(cond) => BrIfNez { cond, offset }.encode(out),
            Cond::Eqz(cond) => BrIfEqz { cond, offset }.encode(out),
            Cond::I64Nez(cond) => BrI64Nez { cond, offset }.encode(out),
            Cond::I64Eqz(cond) => BrI64Eqz { cond, offset }.encode(out),
            Cond::I32(op, lhs, rhs) => match op {
                Eq => BrI32Eq { lhs, rhs, offset }.encode(out),
                Ne => BrI32Ne { lhs, rhs, offset }.encode(out),
                LtS => BrI32LtS { lhs, rhs, offset }.encode(out),
                LtU => BrI32LtU { lhs, rhs, offset }.encode(out),
                GtS => BrI32GtS { lhs, rhs, offset }.encode(out),
                GtU => BrI32GtU { lhs, rhs, offset }.encode(out),
                LeS => BrI32LeS { lhs, rhs, offset }.encode(out),
                LeU => BrI32LeU { lhs, rhs, offset }.encode(out),
                GeS => BrI32GeS { lhs, rhs, offset }.encode(out),
                GeU => BrI32GeU { lhs, rhs, offset }.encode(out),
            },
            Cond::I32Imm(op, lhs, imm) => match op {
                Eq => BrI32EqImm { lhs, imm, offset }.encode(out),
                Ne => BrI32NeImm { lhs, imm, offset }.encode(out),
                LtS => BrI32LtSImm { lhs, imm, offset }.encode(out),
                LtU => BrI32LtUImm { lhs, imm, offset }.encode(out),
                GtS => BrI32GtSImm { lhs, imm, offset }.encode(out),
                GtU => BrI32GtUImm { lhs, imm, offset }.encode(out),
                LeS => BrI32LeSImm { lhs, imm, offset }.encode(out),
                LeU => BrI32LeUImm { lhs, imm, offset }.encode(out),
                GeS => BrI32GeSImm { lhs, imm, offset }.encode(out),
                GeU => BrI32GeUImm { lhs, imm, offset }.encode(out),
            },
            Cond::I64(op, lhs, rhs) => match op {
                Eq => BrI64Eq { lhs, rhs, offset }.encode(out),
                Ne => BrI64Ne { lhs, rhs, offset }.encode(out),
                LtS => BrI64LtS { lhs, rhs, offset }.encode(out),
                LtU => BrI64LtU { lhs, rhs, offset }.encode(out),
                GtS => BrI64GtS { lhs, rhs, offset }.encode(out),
                GtU => BrI64GtU { lhs, rhs, offset }.encode(out),
                LeS => BrI64LeS { lhs, rhs, offset }.encode(out),
                LeU => BrI64LeU { lhs, rhs, offset }.encode(out),
                GeS => BrI64GeS { lhs, rhs, offset }.encode(out),
                GeU => BrI64GeU { lhs, rhs, offset }.encode(out),
            },
        }
    }
}

/// Appends a compare instruction `dst = lhs op rhs` (register form).
pub(crate) fn encode_cmp(
    is64: bool,
    op: CmpOp,
    dst: Slot,
    lhs: Slot,
    rhs: Slot,
    out: &mut Vec<u8>,
) {
    use CmpOp::*;
    if is64 {
        match op {
            Eq => I64Eq { dst, lhs, rhs }.encode(out),
            Ne => I64Ne { dst, lhs, rhs }.encode(out),
            LtS => I64LtS { dst, lhs, rhs }.encode(out),
            LtU => I64LtU { dst, lhs, rhs }.encode(out),
            GtS => I64GtS { dst, lhs, rhs }.encode(out),
            GtU => I64GtU { dst, lhs, rhs }.encode(out),
            LeS => I64LeS { dst, lhs, rhs }.encode(out),
            LeU => I64LeU { dst, lhs, rhs }.encode(out),
            GeS => I64GeS { dst, lhs, rhs }.encode(out),
            GeU => I64GeU { dst, lhs, rhs }.encode(out),
        }
    } else {
        match op {
            Eq => I32Eq { dst, lhs, rhs }.encode(out),
            Ne => I32Ne { dst, lhs, rhs }.encode(out),
            LtS => I32LtS { dst, lhs, rhs }.encode(out),
            LtU => I32LtU { dst, lhs, rhs }.encode(out),
            GtS => I32GtS { dst, lhs, rhs }.encode(out),
            GtU => I32GtU { dst, lhs, rhs }.encode(out),
            LeS => I32LeS { dst, lhs, rhs }.encode(out),
            LeU => I32LeU { dst, lhs, rhs }.encode(out),
            GeS => I32GeS { dst, lhs, rhs }.encode(out),
            GeU => I32GeU { dst, lhs, rhs }.encode(out),
        }
    }
}

/// Appends a compare instruction `dst = lhs op imm` (immediate form).
pub(crate) fn encode_cmp_imm(
    is64: bool,
    op: CmpOp,
    dst: Slot,
    lhs: Slot,
    imm: i32,
    out: &mut Vec<u8>,
) {
    use CmpOp::*;
    if is64 {
        match op {
            Eq => I64EqImm { dst, lhs, imm }.encode(out),
            Ne => I64NeImm { dst, lhs, imm }.encode(out),
            LtS => I64LtSImm { dst, lhs, imm }.encode(out),
            LtU => I64LtUImm { dst, lhs, imm }.encode(out),
            GtS => I64GtSImm { dst, lhs, imm }.encode(out),
            GtU => I64GtUImm { dst, lhs, imm }.encode(out),
            LeS => I64LeSImm { dst, lhs, imm }.encode(out),
            LeU => I64LeUImm { dst, lhs, imm }.encode(out),
            GeS => I64GeSImm { dst, lhs, imm }.encode(out),
            GeU => I64GeUImm { dst, lhs, imm }.encode(out),
        }
    } else {
        match op {
            Eq => I32EqImm { dst, lhs, imm }.encode(out),
            Ne => I32NeImm { dst, lhs, imm }.encode(out),
            LtS => I32LtSImm { dst, lhs, imm }.encode(out),
            LtU => I32LtUImm { dst, lhs, imm }.encode(out),
            GtS => I32GtSImm { dst, lhs, imm }.encode(out),
            GtU => I32GtUImm { dst, lhs, imm }.encode(out),
            LeS => I32LeSImm { dst, lhs, imm }.encode(out),
            LeU => I32LeUImm { dst, lhs, imm }.encode(out),
            GeS => I32GeSImm { dst, lhs, imm }.encode(out),
            GeU => I32GeUImm { dst, lhs, imm }.encode(out),
        }
    }
}
