//! The portable loop's compact form (feature `small-code`, not with tail dispatch): the
//! instructions of a handler *family* (`bin`, `un`, `load`, ... in `visit.rs`) share one
//! decode of their operands, one read of the slots and one write of the result; only the
//! operation itself is per instruction. Every handler of the portable loop otherwise decodes
//! its own operands (on RISC-V, where a slot operand is read byte by byte, about 40 bytes per
//! handler); here a family member costs its operation and a jump-table entry.
//!
//! All of it is generated from the family macros' member lists (`pure_handlers!` with
//! `@fam` for the table of families, `@calc` for each family's operations), so the instruction
//! set is still defined once. The members' `Visit` methods on [`Hot`] are stand-ins
//! (`pure_handlers!(@compact)`), never reached.

use super::fast::Hot;
use super::visit::{
    bin, bin_fimm, bin_fused, bin_imm, br_cmp, br_cmp_imm, br_un, facc, fused_f64, handler, konst,
    load, load_add, pure_handlers, sel, store, un,
};
use super::{Flow, GAP, Stop, float, numeric};
use ember_bytecode::*;

/// `dst = f(src)` (`un!`).
pub(super) const UN: usize = 1;
/// `dst = f(lhs, rhs)` (`bin!`).
pub(super) const BIN: usize = 2;
/// `dst = f(lhs, imm)` (`bin_imm!`).
pub(super) const BIN_IMM: usize = 3;
/// Branch if `f(lhs, rhs)` (`br_cmp!`).
pub(super) const BR_CMP: usize = 4;
/// Branch if `f(lhs, imm)` (`br_cmp_imm!`).
pub(super) const BR_CMP_IMM: usize = 5;
/// Branch if `f(cond)` (`br_un!`).
pub(super) const BR_UN: usize = 6;
/// Loads at `addr + offset` (`load!`).
pub(super) const LOAD: usize = 7;
/// Loads at `addr + index + offset` (`load_add!`).
pub(super) const LOAD_ADD: usize = 8;
/// Loads at `addr + imm + offset` (`load_add!`).
pub(super) const LOAD_ADD_IMM: usize = 9;
/// Loads at `addr + (index << imm) + offset` (`load_add!`).
pub(super) const LOAD_ADD_SHL: usize = 10;
/// Stores of a slot's value (`store!`).
pub(super) const STORE: usize = 11;
/// Stores of a constant (`store!`).
pub(super) const STORE_IMM: usize = 12;
/// Number of families (numbered from 1).
const FAMILIES: usize = 13;

/// Each family's representative, whose decoding serves the whole family: its layout and its
/// opcode's length. A representative with a one-byte opcode decodes an extended member one
/// byte further; one with an extended opcode has only extended members.
const REP: [(&str, usize); 13] = [
    ("", 1),
    (I32Eqz::LAYOUT, I32Eqz::OPCODE_LEN),
    (I32Add::LAYOUT, I32Add::OPCODE_LEN),
    (I32AddImm::LAYOUT, I32AddImm::OPCODE_LEN),
    (BrI32Eq::LAYOUT, BrI32Eq::OPCODE_LEN),
    (BrI32EqImm::LAYOUT, BrI32EqImm::OPCODE_LEN),
    (BrIfNez::LAYOUT, BrIfNez::OPCODE_LEN),
    (Load32::LAYOUT, Load32::OPCODE_LEN),
    (Load32Add::LAYOUT, Load32Add::OPCODE_LEN),
    (Load32AddImm::LAYOUT, Load32AddImm::OPCODE_LEN),
    (Load32AddShl::LAYOUT, Load32AddShl::OPCODE_LEN),
    (Store32::LAYOUT, Store32::OPCODE_LEN),
    (Store32Imm::LAYOUT, Store32Imm::OPCODE_LEN),
];
const _: () = {
    let mut f = 1;
    while f < REP.len() {
        // `step` decodes these at the instruction's first byte, the others one byte in.
        assert!(REP[f].1 == if f == LOAD_ADD_SHL { 2 } else { 1 });
        f += 1;
    }
};

/// Index of an opcode in [`MEMBER`]: its byte, or 256 plus the second byte of an extended one.
pub(super) const fn key(opcode: &[u8]) -> usize {
    match opcode {
        [EXT_PREFIX, b, ..] => 256 + *b as usize,
        [b, ..] => *b as usize,
        [] => 0,
    }
}

/// Gives an instruction of family `fam` the next member number `n` (at compile time: its
/// operands must decode as the representative's do).
pub(super) const fn member(
    t: &mut [u8; TABLE_LEN],
    n: &mut u8,
    opcode: &[u8],
    layout: &str,
    fam: usize,
) {
    let (rep_layout, rep_len) = REP[fam];
    assert!(
        const_str_eq(layout, rep_layout),
        "family member of another layout"
    );
    assert!(
        opcode.len() >= rep_len,
        "family member with a shorter opcode"
    );
    assert!(t[key(opcode)] == 0, "instruction in two families");
    t[key(opcode)] = *n;
    *n += 1;
}

const TABLE_LEN: usize = 256 + EXT_COUNT;

/// Member numbers by [`key`] (0: in no family), and where each family's numbers start: the
/// members of family `f` are numbered `START[f] .. START[f + 1]`, so that each family's
/// operations switch over a dense range.
const NUMBERS: ([u8; TABLE_LEN], [usize; FAMILIES + 1]) = {
    let mut t = [0; TABLE_LEN];
    let mut start = [0; FAMILIES + 1];
    let mut n = 1;
    macro_rules! families {
        ($($f:ident)*) => {$(
            start[$f] = n as usize;
            pure_handlers!(@fam t n $f);
        )*};
    }
    families!(UN BIN BIN_IMM BR_CMP BR_CMP_IMM BR_UN LOAD LOAD_ADD LOAD_ADD_IMM LOAD_ADD_SHL STORE STORE_IMM);
    start[FAMILIES] = n as usize;
    (t, start)
};

/// Member number of the instruction with this opcode.
pub(super) const fn number(opcode: &[u8]) -> usize {
    NUMBERS.0[key(opcode)] as usize
}

/// Member numbers by [`key`] (one copy in the binary).
static MEMBER: [u8; TABLE_LEN] = NUMBERS.0;
/// Where each family's member numbers start.
const START: [usize; FAMILIES + 1] = NUMBERS.1;

/// A value as the 64 bits of a slot (what `Hot::set_*` would write).
pub(super) struct Raw;

impl Raw {
    #[inline(always)]
    pub(super) fn set_u32(v: u32) -> u64 {
        u64::from(v)
    }
    #[inline(always)]
    pub(super) fn set_i32(v: i32) -> u64 {
        u64::from(v as u32)
    }
    #[inline(always)]
    pub(super) fn set_u64(v: u64) -> u64 {
        v
    }
    #[inline(always)]
    pub(super) fn set_i64(v: i64) -> u64 {
        v as u64
    }
    #[inline(always)]
    pub(super) fn set_f32(v: f32) -> u64 {
        u64::from(v.to_bits())
    }
    #[inline(always)]
    pub(super) fn set_f64(v: f64) -> u64 {
        v.to_bits()
    }
    #[inline(always)]
    pub(super) fn set_bool(v: bool) -> u64 {
        u64::from(v)
    }
}

/// `un!` member `k` on `x`.
#[inline(always)]
fn calc_un(k: usize, x: u64) -> Result<u64, Stop> {
    pure_handlers!(@calc un k x);
    Err(Stop::BadCode)
}

/// `bin!` member `k` on `x` and `y`.
#[inline(always)]
fn calc_bin(k: usize, x: u64, y: u64) -> Result<u64, Stop> {
    pure_handlers!(@calc bin k x y);
    Err(Stop::BadCode)
}

/// `bin_imm!` member `k` on `x` and `y`.
#[inline(always)]
fn calc_bin_imm(k: usize, x: u64, y: i32) -> Result<u64, Stop> {
    pure_handlers!(@calc bin_imm k x y);
    Err(Stop::BadCode)
}

/// Whether `br_cmp!` member `k` branches on `x` and `y`.
#[inline(always)]
fn calc_br_cmp(k: usize, x: u64, y: u64) -> bool {
    pure_handlers!(@calc br_cmp k x y);
    false
}

/// Whether `br_cmp_imm!` member `k` branches on `x` and `y`.
#[inline(always)]
fn calc_br_cmp_imm(k: usize, x: u64, y: i32) -> bool {
    pure_handlers!(@calc br_cmp_imm k x y);
    false
}

/// Whether `br_un!` member `k` branches on `x`.
#[inline(always)]
fn calc_br_un(k: usize, x: u64) -> bool {
    pure_handlers!(@calc br_un k x);
    false
}

/// The value load member `k` (`load!`, `load_add!`) reads at `x + off`.
#[inline(always)]
fn calc_load(h: &Hot<'_, '_>, k: usize, x: u32, off: u32) -> Result<u64, Stop> {
    pure_handlers!(@calc load h k x off);
    Err(Stop::BadCode)
}

/// Store member `k` of `v` at `x + off`.
#[inline(always)]
fn calc_store(h: &mut Hot<'_, '_>, k: usize, x: u32, off: u32, v: u64) -> Flow {
    pure_handlers!(@calc store h k x off v);
    Err(Stop::BadCode)
}

/// Generates [`other`] from the instruction table.
macro_rules! other {
    (
        primary { $( $(#[$pmeta:meta])* $PName:ident $psnake:ident $pmn:literal { $($pf:ident : $pt:ty),* } $([$ptail:ty; $pcount:ident])? ; )* }
        ext { $( $(#[$emeta:meta])* $EName:ident $esnake:ident $emn:literal { $($ef:ident : $et:ty),* } $([$etail:ty; $ecount:ident])? ; )* }
    ) => {
        /// Runs the instruction at `ip`, whose [`key`] is `k`, if it is in no family: through
        /// its `Visit` method on [`Hot`]. Unlike `dispatch_ptr`, this switches over the
        /// non-members only (the members never come here), so that the jump table does not
        /// cover every opcode (on RISC-V, 4 bytes an opcode). Those the fast loop leaves to
        /// the executor (`Stop::Slow` from their `Visit` method) decode nothing.
        ///
        /// # Safety
        /// As for [`Hot::step`].
        #[inline(always)]
        unsafe fn other(h: &mut Hot<'_, '_>, k: usize, ip: *const u8) -> Flow {
            $( other!(@one h k ip $PName $psnake $([$ptail])?); )*
            $( other!(@one h k ip $EName $esnake $([$etail])?); )*
            Err(Stop::BadCode)
        }
    };
    (@one $h:ident $k:ident $ip:ident $Name:ident $snake:ident $([$tail:ty])?) => {
        if const { number($Name::OPCODE) == 0 } && $k == const { key($Name::OPCODE) } {
            // SAFETY: the instruction at `ip` is a whole `$Name` (its key is `k`; caller's
            // guarantee).
            let i = unsafe { $Name::decode_ptr($ip) };
            return other!(@call $h $snake i $ip $([$tail])?);
        }
    };
    (@call $h:ident $snake:ident $i:ident $ip:ident) => {
        $h.$snake($i)
    };
    (@call $h:ident $snake:ident $i:ident $ip:ident [$tail:ty]) => {{
        // SAFETY: as above, the tail included.
        let t = unsafe { $i.tail_ptr($ip) };
        $h.$snake($i, t)
    }};
}
for_each_op!(other);

impl Hot<'_, '_> {
    /// Runs the instruction at `ip` (`self.pc`): a family member here, anything else through
    /// its `Visit` method.
    ///
    /// # Safety
    /// As for [`dispatch_ptr`]: `ip` points at the first byte of a whole instruction, which
    /// stays unchanged during the call.
    #[inline(always)]
    pub(super) unsafe fn step(&mut self, ip: *const u8) -> Flow {
        // SAFETY: `ip` points at an opcode, and an extended one has a second byte (caller's
        // guarantee).
        let b = unsafe { *ip };
        let ext = usize::from(b == EXT_PREFIX);
        let k = if ext == 1 {
            256 + usize::from(unsafe { *ip.add(1) })
        } else {
            usize::from(b)
        };
        // A one-byte representative's fields lie `ext` bytes further in an extended member
        // (`member` checked that the layouts agree).
        let p = ip.wrapping_add(ext);
        // SAFETY (each `decode_ptr` below): the instruction at `ip` is a member of the family
        // `m` names (the range of `START` it lies in). With a one-byte representative its fixed part is `ext` bytes
        // longer than the representative's, so `p .. p + SIZE` lies inside it; with an
        // extended one (`LOAD_ADD_SHL`), it is as long, and all of `ip .. ip + SIZE`.
        let m = usize::from(MEMBER.get(k).copied().unwrap_or(0));
        if m < START[UN] {
            // SAFETY: the caller's guarantee.
            return unsafe { other(self, k, ip) };
        }
        if m < START[BIN] {
            let i = unsafe { I32Eqz::decode_ptr(p) };
            let r = calc_un(m, self.get(i.src))?;
            self.set(i.dst, r);
            self.pc += GAP + I32Eqz::SIZE + ext;
        } else if m < START[BIN_IMM] {
            let i = unsafe { I32Add::decode_ptr(p) };
            let r = calc_bin(m, self.get(i.lhs), self.get(i.rhs))?;
            self.set(i.dst, r);
            self.pc += GAP + I32Add::SIZE + ext;
        } else if m < START[BR_CMP] {
            let i = unsafe { I32AddImm::decode_ptr(p) };
            let r = calc_bin_imm(m, self.get(i.lhs), i.imm)?;
            self.set(i.dst, r);
            self.pc += GAP + I32AddImm::SIZE + ext;
        } else if m < START[BR_CMP_IMM] {
            let i = unsafe { BrI32Eq::decode_ptr(p) };
            if calc_br_cmp(m, self.get(i.lhs), self.get(i.rhs)) {
                self.branch(i.offset);
            } else {
                self.pc += GAP + BrI32Eq::SIZE + ext;
            }
        } else if m < START[BR_UN] {
            let i = unsafe { BrI32EqImm::decode_ptr(p) };
            if calc_br_cmp_imm(m, self.get(i.lhs), i.imm) {
                self.branch(i.offset);
            } else {
                self.pc += GAP + BrI32EqImm::SIZE + ext;
            }
        } else if m < START[LOAD] {
            let i = unsafe { BrIfNez::decode_ptr(p) };
            if calc_br_un(m, self.get(i.cond)) {
                self.branch(i.offset);
            } else {
                self.pc += GAP + BrIfNez::SIZE + ext;
            }
        } else if m < START[LOAD_ADD] {
            let i = unsafe { Load32::decode_ptr(p) };
            let r = calc_load(self, m, self.u32(i.addr), i.offset)?;
            self.set(i.dst, r);
            self.pc += GAP + Load32::SIZE + ext;
        } else if m < START[LOAD_ADD_IMM] {
            let i = unsafe { Load32Add::decode_ptr(p) };
            let a = self.u32(i.addr).wrapping_add(self.u32(i.index));
            let r = calc_load(self, m, a, i.offset)?;
            self.set(i.dst, r);
            self.pc += GAP + Load32Add::SIZE + ext;
        } else if m < START[LOAD_ADD_SHL] {
            let i = unsafe { Load32AddImm::decode_ptr(p) };
            let a = self.u32(i.addr).wrapping_add(i.imm as u32);
            let r = calc_load(self, m, a, i.offset)?;
            self.set(i.dst, r);
            self.pc += GAP + Load32AddImm::SIZE + ext;
        } else if m < START[STORE] {
            let i = unsafe { Load32AddShl::decode_ptr(ip) };
            let x = self.u32(i.index).wrapping_shl(i.imm as u32);
            let a = self.u32(i.addr).wrapping_add(x);
            let r = calc_load(self, m, a, i.offset)?;
            self.set(i.dst, r);
            self.pc += GAP + Load32AddShl::SIZE;
        } else if m < START[STORE_IMM] {
            let i = unsafe { Store32::decode_ptr(p) };
            let v = self.get(i.value);
            calc_store(self, m, self.u32(i.addr), i.offset, v)?;
            self.pc += GAP + Store32::SIZE + ext;
        } else {
            let i = unsafe { Store32Imm::decode_ptr(p) };
            calc_store(self, m, self.u32(i.addr), i.offset, i64::from(i.imm) as u64)?;
            self.pc += GAP + Store32Imm::SIZE + ext;
        }
        Ok(())
    }
}
