//! The float accumulator: an f64 value that the next instruction consumes is handed over in a
//! register instead of a slot. When an f64 operator consumes the temporary that the previous
//! instruction (an f64 operator writing a slot) produced, the producer becomes its `.to_acc`
//! twin and the consumer its `.acc_lhs` / `.acc_rhs` twin. Twins have the plain instruction's
//! layout, so both are rewritten in place but for their opcodes.
//!
//! Sound because the temporary is consumed exactly once (stack discipline), by the very next
//! instruction, with no branch target between them ([`FuncTranslator::producer_of`]), and
//! because no other peephole matches a twin (they all match plain opcodes), so none reads the
//! slot the accumulator replaced.

use super::FuncTranslator;
use ember_bytecode::*;

/// An opcode: a primary byte, or `0xFF00 | second byte` for an extended one.
type Key = u16;

const fn p(op: u8) -> Key {
    op as Key
}
const fn e(op: u8) -> Key {
    0xFF00 | op as Key
}

/// One f64 operator's twins: `(plain, to_acc, acc_lhs, acc_rhs, acc_lhs.to_acc,
/// acc_rhs.to_acc)`; 0 where the form does not exist (an immediate has no accumulator twin).
const FORMS: &[[Key; 6]] = &[
    [
        p(op::F64Add),
        e(ext_op::F64AddToAcc),
        e(ext_op::F64AddAccLhs),
        e(ext_op::F64AddAccRhs),
        e(ext_op::F64AddAccLhsToAcc),
        e(ext_op::F64AddAccRhsToAcc),
    ],
    [
        p(op::F64Sub),
        e(ext_op::F64SubToAcc),
        e(ext_op::F64SubAccLhs),
        e(ext_op::F64SubAccRhs),
        e(ext_op::F64SubAccLhsToAcc),
        e(ext_op::F64SubAccRhsToAcc),
    ],
    [
        p(op::F64Mul),
        e(ext_op::F64MulToAcc),
        e(ext_op::F64MulAccLhs),
        e(ext_op::F64MulAccRhs),
        e(ext_op::F64MulAccLhsToAcc),
        e(ext_op::F64MulAccRhsToAcc),
    ],
    [
        p(op::F64Div),
        e(ext_op::F64DivToAcc),
        e(ext_op::F64DivAccLhs),
        e(ext_op::F64DivAccRhs),
        e(ext_op::F64DivAccLhsToAcc),
        e(ext_op::F64DivAccRhsToAcc),
    ],
    [
        p(op::F64AddImm),
        e(ext_op::F64AddImmToAcc),
        e(ext_op::F64AddImmAccLhs),
        0,
        e(ext_op::F64AddImmAccLhsToAcc),
        0,
    ],
    [
        p(op::F64SubImm),
        e(ext_op::F64SubImmToAcc),
        e(ext_op::F64SubImmAccLhs),
        0,
        e(ext_op::F64SubImmAccLhsToAcc),
        0,
    ],
    [
        p(op::F64MulImm),
        e(ext_op::F64MulImmToAcc),
        e(ext_op::F64MulImmAccLhs),
        0,
        e(ext_op::F64MulImmAccLhsToAcc),
        0,
    ],
    [
        p(op::F64DivImm),
        e(ext_op::F64DivImmToAcc),
        e(ext_op::F64DivImmAccLhs),
        0,
        e(ext_op::F64DivImmAccLhsToAcc),
        0,
    ],
    [
        p(op::F64SubImmLhs),
        e(ext_op::F64SubImmLhsToAcc),
        0,
        e(ext_op::F64SubImmLhsAccRhs),
        0,
        e(ext_op::F64SubImmLhsAccRhsToAcc),
    ],
    [
        p(op::F64DivImmLhs),
        e(ext_op::F64DivImmLhsToAcc),
        0,
        e(ext_op::F64DivImmLhsAccRhs),
        0,
        e(ext_op::F64DivImmLhsAccRhsToAcc),
    ],
];

/// The opcode of the instruction at the start of `code`, and its length in bytes.
fn key(code: &[u8]) -> Option<(Key, usize)> {
    match code {
        [EXT_PREFIX, b, ..] => Some((e(*b), 2)),
        [b, ..] if *b != EXT_PREFIX => Some((p(*b), 1)),
        _ => None,
    }
}

/// The encoding of opcode `k`: its bytes and their number.
fn key_bytes(k: Key) -> ([u8; 2], usize) {
    if k >= 0xFF00 {
        ([EXT_PREFIX, k as u8], 2)
    } else {
        ([k as u8, 0], 1)
    }
}

/// The twin of a producer writing its result to the accumulator: plain → `to_acc`,
/// `acc_lhs` → `acc_lhs.to_acc`, `acc_rhs` → `acc_rhs.to_acc`.
fn to_acc(k: Key) -> Option<Key> {
    FORMS
        .iter()
        .find_map(|f| match f.iter().position(|&x| x == k)? {
            0 => Some(f[1]),
            2 => Some(f[4]),
            3 => Some(f[5]),
            _ => None,
        })
}

/// The twin of a plain consumer reading its left (`lhs`) or right operand from the
/// accumulator.
fn acc_in(k: Key, lhs: bool) -> Option<Key> {
    let f = FORMS.iter().find(|f| f[0] == k)?;
    Some(f[if lhs { 2 } else { 3 }]).filter(|&x| x != 0)
}

impl FuncTranslator<'_> {
    /// Before an f64 operator pops its operands: the position of the last instruction if it
    /// produced one of them (and that is all it did), where it ended, and whether that is the
    /// left operand.
    pub(crate) fn facc_producer(&self) -> Option<(usize, usize, bool)> {
        if !self.float_super {
            return None;
        }
        let top = self.height().checked_sub(1)?;
        [top, top.wrapping_sub(1)].into_iter().find_map(|h| {
            let (pos, _) = self.producer_of(h)?;
            let (k, _) = key(self.code.get(pos..)?)?;
            to_acc(k)?;
            // (`producer_of` found `last` to be the producer.)
            let end = self.last?.end;
            Some((pos, end, h != top))
        })
    }

    /// After the f64 operator at `pos` was emitted: if `producer` (from
    /// [`facc_producer`](Self::facc_producer)) feeds it, hands the value over in the
    /// accumulator. Returns where the operator now starts.
    pub(crate) fn facc_link(
        &mut self,
        pos: usize,
        producer: Option<(usize, usize, bool)>,
    ) -> usize {
        let Some((at, end, lhs)) = producer else {
            return pos;
        };
        let (Some((pk, plen)), Some((ck, clen))) = (
            self.code.get(at..).and_then(key),
            self.code.get(pos..).and_then(key),
        ) else {
            return pos;
        };
        let (Some(pk2), Some(ck2)) = (to_acc(pk), acc_in(ck, lhs)) else {
            return pos;
        };
        // Adjacent: nothing (a materialised constant operand) between them.
        if end != pos {
            return pos;
        }
        // The two instructions' operands (each instruction is at most 20 bytes long).
        let mut fields = [0u8; 40];
        let (pf, cf) = (pos - at - plen, self.code.len() - pos - clen);
        if pf + cf > fields.len() {
            return pos;
        }
        fields[..pf].copy_from_slice(&self.code[at + plen..pos]);
        fields[pf..pf + cf].copy_from_slice(&self.code[pos + clen..]);
        self.code.truncate(at);
        let (b, n) = key_bytes(pk2);
        self.code.extend_from_slice(&b[..n]);
        self.code.extend_from_slice(&fields[..pf]);
        let new_pos = self.code.len();
        let (b, n) = key_bytes(ck2);
        self.code.extend_from_slice(&b[..n]);
        self.code.extend_from_slice(&fields[pf..pf + cf]);
        new_pos
    }
}
