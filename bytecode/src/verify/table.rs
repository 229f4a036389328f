//! The verifier's instruction table, built at compile time from
//! [`for_each_op!`](crate::for_each_op).
//!
//! Every instruction gets a [`Desc`]: its fixed size, which operands are slots, flags, and for
//! the few that need more than slot checks and at most one branch offset, a [`Special`]: the
//! operands to range-check or hand to a rule, the tail, and the instruction-specific [`Rule`].
//! What an operand means comes from its name and type in the table ([`classify`]). An operand
//! the verifier does not know, a rule whose instruction lacks the operands it reads, or an
//! entry that does not fit the layout stops the build, with a message naming the instruction:
//! a new instruction cannot slip through unchecked.

#[allow(unused_imports)] // `BrOffset` and `Slot` are named by the instruction table.
use crate::encoding::{same as eq, starts_with};
use crate::{BrOffset, EXT_PREFIX, Slot};

/// The type of an operand, as written in the instruction table.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    U16,
    U32,
    I32,
    U64,
}

/// An operand type the verifier knows. An instruction with an operand of any other type does
/// not compile.
pub(super) trait OperandTy {
    const TY: Ty;
}

impl OperandTy for u16 {
    const TY: Ty = Ty::U16;
}
impl OperandTy for u32 {
    const TY: Ty = Ty::U32;
}
impl OperandTy for i32 {
    const TY: Ty = Ty::I32;
}
impl OperandTy for u64 {
    const TY: Ty = Ty::U64;
}

/// One instruction of the table, as the verifier sees it (compile time only).
pub(super) struct OpSpec {
    pub(super) mnemonic: &'static str,
    /// Fixed size in bytes, opcode included.
    pub(super) size: usize,
    /// Operands in order: name and type.
    pub(super) fields: &'static [(&'static str, Ty)],
    /// The tail: its operand type and the name of the field holding its length.
    pub(super) tail: Option<(Ty, &'static str)>,
}

macro_rules! tail_spec {
    () => {
        None
    };
    ([$t:ty; $count:ident]) => {
        Some((<$t as OperandTy>::TY, stringify!($count)))
    };
}

macro_rules! op_specs {
    (
        primary { $( $(#[$pmeta:meta])* $PName:ident $psnake:ident $pmn:literal { $($pf:ident : $pt:ty),* } $([$ptail:ty; $pcount:ident])? ; )* }
        ext { $( $(#[$emeta:meta])* $EName:ident $esnake:ident $emn:literal { $($ef:ident : $et:ty),* } $([$etail:ty; $ecount:ident])? ; )* }
    ) => {
        /// The primary group, in opcode order.
        pub(super) const PRIMARY_SPECS: &[OpSpec] = &[$(OpSpec {
            mnemonic: $pmn,
            size: crate::$PName::SIZE,
            fields: &[$((stringify!($pf), <$pt as OperandTy>::TY)),*],
            tail: tail_spec!($([$ptail; $pcount])?),
        },)*];
        /// The extended group, in opcode order.
        pub(super) const EXT_SPECS: &[OpSpec] = &[$(OpSpec {
            mnemonic: $emn,
            size: crate::$EName::SIZE,
            fields: &[$((stringify!($ef), <$et as OperandTy>::TY)),*],
            tail: tail_spec!($([$etail; $ecount])?),
        },)*];
        /// Every mnemonic in table order (primary, then extended), each followed by a space:
        /// for messages (one string, no table of pointers).
        #[cfg(feature = "mnemonics")]
        pub(super) const MNEMONIC_TEXT: &str = concat!($($pmn, " ",)* $($emn, " ",)*);
    };
}
crate::for_each_op!(op_specs);

/// Operand kinds (a nibble). Slots are in [`Desc::slots`]; the other operands that need a
/// check or are read by a rule are [`Special`] operands. Plain data (constants, immediates,
/// memory offsets) needs nothing.
pub(super) mod kind {
    /// A constant, an immediate or a memory offset: nothing to check.
    pub(in crate::verify) const DATA: u8 = 0;
    /// A slot: below the frame size.
    pub(in crate::verify) const SLOT: u8 = 1;
    /// A branch offset (`i32`): its target is checked after the pass.
    pub(in crate::verify) const BRANCH: u8 = 2;
    /// A function index (`u32`), in range. `FUNC ..= GLOBAL` are the indices checked
    /// against the length of an index space.
    pub(in crate::verify) const FUNC: u8 = 3;
    /// A type index (`u32`), in range.
    pub(in crate::verify) const TYPE: u8 = 4;
    /// A table index (`u32`), in range.
    pub(in crate::verify) const TABLE: u8 = 5;
    /// A global index (`u32`), in range.
    pub(in crate::verify) const GLOBAL: u8 = 6;
    /// A data or element segment index (`u32`), checked by the instruction's rule.
    pub(in crate::verify) const SEGMENT: u8 = 7;
    /// The length of the tail (`u32`).
    pub(in crate::verify) const COUNT32: u8 = 8;
    /// The length of the tail (`u16`). `COUNT16` and above are the 16-bit kinds.
    pub(in crate::verify) const COUNT16: u8 = 9;
    /// The first argument slot of a call (`u16`): may equal the frame size when the callee
    /// takes and returns nothing; checked by the call's rule.
    pub(in crate::verify) const BASE: u8 = 10;
    /// A slot the rule also needs (`copy_many`'s `dst`); checked as a slot too.
    pub(in crate::verify) const DST: u8 = 11;
}

/// What an operand means, from its name and type in the table. Any other combination stops
/// the build, so that a new kind of operand cannot slip through unchecked.
pub(super) const fn classify(op: &OpSpec, rule: Rule, name: &str, ty: Ty) -> u8 {
    let is_count = match op.tail {
        Some((_, count)) => eq(name, count),
        None => false,
    };
    match ty {
        Ty::U16 if is_count => kind::COUNT16,
        Ty::U16 if eq(name, "base") => kind::BASE,
        Ty::U16 if eq(name, "dst") && matches!(rule, Rule::CopyMany) => kind::DST,
        Ty::U16 => kind::SLOT,
        Ty::U32 if is_count => kind::COUNT32,
        Ty::U32 if eq(name, "func") => kind::FUNC,
        Ty::U32 if eq(name, "ty") => kind::TYPE,
        Ty::U32 if eq(name, "table") || eq(name, "dst_table") || eq(name, "src_table") => {
            kind::TABLE
        }
        Ty::U32 if eq(name, "index") => kind::GLOBAL,
        Ty::U32 if eq(name, "segment") => kind::SEGMENT,
        Ty::U32 if eq(name, "offset") || eq(name, "value") || eq(name, "imm") => kind::DATA,
        Ty::I32 if eq(name, "offset") => kind::BRANCH,
        Ty::I32 | Ty::U64 if eq(name, "value") || eq(name, "imm") => kind::DATA,
        _ => refuse(
            op,
            "has an operand the verifier does not know: `",
            name,
            "`",
        ),
    }
}

/// The checks an instruction needs beyond its operands.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Rule {
    None,
    /// `call`: `base + max(params, results)` of the callee within the frame.
    Call,
    /// `call_indirect`: a funcref table, and the type's `base + max(params, results)` fits.
    CallIndirect,
    /// `global.set`: a mutable global.
    GlobalSet,
    /// `ref.func`: a declared function.
    RefFunc,
    /// `memory.init`, `data.drop`: a data segment.
    DataSegment,
    /// `elem.drop`: an element segment.
    ElemSegment,
    /// `table.init`: an element segment of the table's element type.
    TableInit,
    /// `table.copy`: tables of the same element type.
    TableCopy,
    /// `copy_many`: `dst .. dst + count` within the frame.
    CopyMany,
    /// Returns no value: the function has no results.
    Return0,
    /// Returns one value: the function has one result.
    Return1,
    /// `return_many`: `count` is the function's result count.
    ReturnMany,
}

impl Rule {
    /// The special operands the rule reads, in the order the instruction must have them: its
    /// code reads them by position. `None` for rules that take any (except a call's base, a
    /// segment or a rule's slot, which only a rule checks).
    const fn operands(self) -> Option<&'static [u8]> {
        use kind::*;
        Some(match self {
            Rule::None => return None,
            Rule::Call => &[FUNC, BASE],
            Rule::CallIndirect => &[TYPE, TABLE, BASE],
            Rule::GlobalSet => &[GLOBAL],
            Rule::RefFunc => &[FUNC],
            Rule::DataSegment | Rule::ElemSegment => &[SEGMENT],
            Rule::TableInit => &[TABLE, SEGMENT],
            Rule::TableCopy => &[TABLE, TABLE],
            Rule::CopyMany => &[DST, COUNT16],
            Rule::Return0 | Rule::Return1 => &[],
            Rule::ReturnMany => &[COUNT16],
        })
    }
}

/// Instruction-specific rules, by mnemonic. Each must name an instruction of the table (the
/// build stops otherwise), so renaming one cannot silently drop its checks.
const RULES: &[(&str, Rule)] = &[
    ("call", Rule::Call),
    ("call_indirect", Rule::CallIndirect),
    ("global.set", Rule::GlobalSet),
    ("ref.func", Rule::RefFunc),
    ("memory.init", Rule::DataSegment),
    ("data.drop", Rule::DataSegment),
    ("elem.drop", Rule::ElemSegment),
    ("table.init", Rule::TableInit),
    ("table.copy", Rule::TableCopy),
    ("copy_many", Rule::CopyMany),
    ("return", Rule::Return0),
    ("return_slot", Rule::Return1),
    ("return_imm32", Rule::Return1),
    ("return_imm64", Rule::Return1),
    ("return_many", Rule::ReturnMany),
];

/// Unconditional transfers: a function's code must end with one. Each must name an
/// instruction of the table.
const TERMINALS: &[&str] = &[
    "unreachable",
    "br",
    "br_table",
    "return",
    "return_slot",
    "return_imm32",
    "return_imm64",
    "return_many",
];

/// Whether the instruction with mnemonic `mn` uses memory 0.
const fn uses_memory(mn: &str) -> bool {
    starts_with(mn, "load") || starts_with(mn, "store") || starts_with(mn, "memory.")
}

/// [`Desc::flags`]: an unconditional transfer.
pub(super) const TERMINAL: u8 = 1;
/// [`Desc::flags`]: needs a memory.
pub(super) const MEMORY: u8 = 2;
/// [`Desc::flags`]: needs the slow path: special operands other than one branch offset, a
/// tail or a rule (then [`Desc::arg`] indexes [`SPECIALS`]), or no such opcode.
pub(super) const SPECIAL: u8 = 4;
/// [`Desc::flags`]: one branch offset, at unit [`Desc::arg`], and nothing else special.
pub(super) const BRANCH: u8 = 8;

/// How to verify one instruction (4 bytes).
#[derive(Clone, Copy)]
pub(super) struct Desc {
    /// Fixed size in bytes, opcode included; 0 for a byte that is no opcode.
    pub(super) size: u8,
    /// Bit `u` set: the two bytes at `2u` after the opcode are a slot operand.
    pub(super) slots: u8,
    /// [`TERMINAL`], [`MEMORY`], [`SPECIAL`], [`BRANCH`].
    pub(super) flags: u8,
    /// With [`SPECIAL`]: the index of the instruction's entry in [`SPECIALS`]; with
    /// [`BRANCH`]: the unit of the branch offset.
    pub(super) arg: u8,
}

/// The [`Desc`] of a byte that is no opcode: the slow path refuses it.
pub(super) const UNKNOWN: Desc = Desc {
    size: 0,
    slots: 0,
    flags: SPECIAL,
    arg: 0,
};

/// Most special operands of one instruction.
pub(super) const MAX_SPECIAL_OPERANDS: usize = 4;

/// [`Special::tail`]: no tail.
pub(super) const TAIL_NONE: u8 = 0;
/// [`Special::tail`]: a tail of slots.
pub(super) const TAIL_SLOTS: u8 = 1;
/// [`Special::tail`]: a tail of branch offsets.
pub(super) const TAIL_BRANCHES: u8 = 2;

/// The rest of an instruction's recipe, for the few that need more than slot checks.
#[derive(Clone, Copy)]
pub(super) struct Special {
    /// Operands, in order: `kind << 4 | u` for the operand at `2u` bytes after the opcode; 0
    /// ends the list.
    pub(super) operands: [u8; MAX_SPECIAL_OPERANDS],
    /// [`TAIL_NONE`], [`TAIL_SLOTS`] or [`TAIL_BRANCHES`].
    pub(super) tail: u8,
    /// With a tail: the position in `operands` of the tail's length.
    pub(super) count_at: u8,
    pub(super) rule: Rule,
}

/// Bytes the fast path looks at, from the opcode on: enough for a 4-byte read at any operand
/// position (`2 + 2u + 4` with `u < 8`), so reads need no bounds checks; and more than any
/// instruction's fixed part, so a whole window inside the code holds the whole fixed part.
pub(super) const WINDOW: usize = 20;

/// Builds an instruction's recipe; stops the build if the table entry does not fit.
const fn describe(op: &OpSpec, oplen: usize) -> (Desc, Special) {
    let mut rule = Rule::None;
    let mut i = 0;
    while i < RULES.len() {
        if eq(RULES[i].0, op.mnemonic) {
            rule = RULES[i].1;
        }
        i += 1;
    }
    let mut flags = 0;
    let mut i = 0;
    while i < TERMINALS.len() {
        if eq(TERMINALS[i], op.mnemonic) {
            flags |= TERMINAL;
        }
        i += 1;
    }
    if uses_memory(op.mnemonic) {
        flags |= MEMORY;
    }
    let mut slots = 0u8;
    let mut operands = [0u8; MAX_SPECIAL_OPERANDS];
    let mut n = 0;
    let mut count_at = 0;
    let mut counts = 0;
    let mut at = oplen;
    let mut i = 0;
    while i < op.fields.len() {
        let (name, ty) = op.fields[i];
        let k = classify(op, rule, name, ty);
        let u = (at - oplen) / 2;
        if !(at - oplen).is_multiple_of(2) || u >= 8 {
            refuse(
                op,
                "has an operand the verifier cannot address: `",
                name,
                "`",
            );
        }
        if k == kind::SLOT || k == kind::DST {
            slots |= 1 << u;
        }
        if k != kind::SLOT && k != kind::DATA {
            if n == MAX_SPECIAL_OPERANDS {
                refuse(op, "has too many special operands, from `", name, "`");
            }
            if k == kind::COUNT16 || k == kind::COUNT32 {
                count_at = n as u8;
                counts += 1;
            }
            operands[n] = k << 4 | u as u8;
            n += 1;
        }
        at += match ty {
            Ty::U16 => 2,
            Ty::U32 | Ty::I32 => 4,
            Ty::U64 => 8,
        };
        i += 1;
    }
    if at != op.size || op.size > WINDOW {
        refuse(op, "has a size the verifier does not expect", "", "");
    }
    let tail = match op.tail {
        None => TAIL_NONE,
        Some((Ty::U16, _)) => TAIL_SLOTS,
        Some((Ty::I32, _)) => TAIL_BRANCHES,
        Some(_) => refuse(op, "has a tail the verifier does not know", "", ""),
    };
    if counts != (tail != TAIL_NONE) as usize {
        refuse(
            op,
            "has a tail without a length operand, or the reverse",
            "",
            "",
        );
    }
    match rule.operands() {
        // Operands that only a rule checks need that rule.
        None => {
            if has(&operands, kind::BASE) || has(&operands, kind::SEGMENT) {
                refuse(op, "has a call base or segment operand but no rule", "", "");
            }
        }
        Some(expected) => {
            let mut same = expected.len() == n;
            let mut i = 0;
            while same && i < n {
                same = operands[i] >> 4 == expected[i];
                i += 1;
            }
            if !same {
                refuse(
                    op,
                    "does not have the operands its verifier rule reads",
                    "",
                    "",
                );
            }
        }
    }
    let mut arg = 0;
    if n == 1 && operands[0] >> 4 == kind::BRANCH && matches!(rule, Rule::None) {
        flags |= BRANCH;
        arg = operands[0] & 15;
    } else if n != 0 || !matches!(rule, Rule::None) {
        flags |= SPECIAL;
    }
    let desc = Desc {
        size: op.size as u8,
        slots,
        flags,
        arg,
    };
    let special = Special {
        operands,
        tail,
        count_at,
        rule,
    };
    (desc, special)
}

/// Whether one of `operands` is of kind `k`.
const fn has(operands: &[u8; MAX_SPECIAL_OPERANDS], k: u8) -> bool {
    let mut i = 0;
    while i < operands.len() {
        if operands[i] != 0 && operands[i] >> 4 == k {
            return true;
        }
        i += 1;
    }
    false
}

/// Instruction `i` of the whole table (primary, then extended) and its opcode length.
const fn spec(i: usize) -> (&'static OpSpec, usize) {
    if i < PRIMARY_SPECS.len() {
        (&PRIMARY_SPECS[i], 1)
    } else {
        (&EXT_SPECS[i - PRIMARY_SPECS.len()], 2)
    }
}

/// Number of instructions in the table.
pub(super) const OP_COUNT: usize = PRIMARY_SPECS.len() + EXT_SPECS.len();

/// Number of instructions with a [`Special`].
const SPECIAL_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < OP_COUNT {
        let (op, oplen) = spec(i);
        if describe(op, oplen).0.flags & SPECIAL != 0 {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The recipes of the one-byte opcodes (by byte) and of the extended ones, and [`SPECIALS`].
type Tables = (
    [Desc; 256],
    [Desc; EXT_SPECS.len()],
    [Special; SPECIAL_COUNT],
);

const fn build() -> Tables {
    const NO_SPECIAL: Special = Special {
        operands: [0; MAX_SPECIAL_OPERANDS],
        tail: TAIL_NONE,
        count_at: 0,
        rule: Rule::None,
    };
    let mut primary = [UNKNOWN; 256];
    let mut ext = [UNKNOWN; EXT_SPECS.len()];
    let mut specials = [NO_SPECIAL; SPECIAL_COUNT];
    let mut n = 0;
    let mut i = 0;
    while i < OP_COUNT {
        let (op, oplen) = spec(i);
        if !cfg!(feature = "float-superinstructions")
            && crate::is_float_superinstruction(op.mnemonic)
        {
            // Left out of this build: an unknown opcode.
            i += 1;
            continue;
        }
        let (mut d, s) = describe(op, oplen);
        if d.flags & SPECIAL != 0 {
            d.arg = n as u8;
            specials[n] = s;
            n += 1;
        }
        if i < PRIMARY_SPECS.len() {
            primary[i] = d;
        } else {
            ext[i - PRIMARY_SPECS.len()] = d;
        }
        i += 1;
    }
    assert!(SPECIAL_COUNT <= 256 && PRIMARY_SPECS.len() < EXT_PREFIX as usize);
    // Every rule and terminal names an instruction.
    let mut i = 0;
    while i < RULES.len() {
        assert!(
            names_an_instruction(RULES[i].0),
            "a verifier rule names no instruction"
        );
        i += 1;
    }
    let mut i = 0;
    while i < TERMINALS.len() {
        assert!(
            names_an_instruction(TERMINALS[i]),
            "a verifier terminal names no instruction"
        );
        i += 1;
    }
    (primary, ext, specials)
}

const fn names_an_instruction(mn: &str) -> bool {
    let mut i = 0;
    while i < OP_COUNT {
        if eq(spec(i).0.mnemonic, mn) {
            return true;
        }
        i += 1;
    }
    false
}

const TABLES: Tables = build();

/// Length of [`INDEX`]: the one-byte opcodes below [`EXT_PREFIX`], then the extended ones.
const INDEX_LEN: usize = EXT_PREFIX as usize + EXT_SPECS.len();

/// Entry `i` of [`INDEX`]'s order: opcode byte `i` below [`EXT_PREFIX`], else extended opcode
/// `i - EXT_PREFIX`.
const fn entry(i: usize) -> Desc {
    if i < EXT_PREFIX as usize {
        TABLES.0[i]
    } else {
        TABLES.1[i - EXT_PREFIX as usize]
    }
}

const fn same_desc(a: Desc, b: Desc) -> bool {
    a.size == b.size && a.slots == b.slots && a.flags == b.flags && a.arg == b.arg
}

/// Number of distinct recipes, [`UNKNOWN`] included (most instructions share theirs with
/// others: same size, slots and flags).
const DISTINCT: usize = {
    let mut n = 1;
    let mut i = 0;
    while i < INDEX_LEN {
        let d = entry(i);
        let mut first = !same_desc(d, UNKNOWN);
        let mut j = 0;
        while first && j < i {
            first = !same_desc(entry(j), d);
            j += 1;
        }
        n += first as usize;
        i += 1;
    }
    n
};

// (An index into them is a byte.)
const _: () = assert!(DISTINCT <= 256);

/// [`INDEX`] and [`DESCS`]: each distinct recipe once, [`UNKNOWN`] first.
const fn dedup() -> ([u8; INDEX_LEN], [Desc; DISTINCT]) {
    let mut index = [0u8; INDEX_LEN];
    let mut descs = [UNKNOWN; DISTINCT];
    let mut n = 1;
    let mut i = 0;
    while i < INDEX_LEN {
        let d = entry(i);
        let mut k = 0;
        while k < n && !same_desc(descs[k], d) {
            k += 1;
        }
        if k == n {
            descs[n] = d;
            n += 1;
        }
        index[i] = k as u8;
        i += 1;
    }
    (index, descs)
}

const DEDUP: ([u8; INDEX_LEN], [Desc; DISTINCT]) = dedup();
/// For each opcode, the index of its recipe in [`DESCS`] (0, [`UNKNOWN`], for non-opcodes):
/// one-byte opcode `b` at `b`, extended opcode `e` at `EXT_PREFIX + e`; past the end,
/// unknown.
pub(super) static INDEX: [u8; INDEX_LEN] = DEDUP.0;
/// The distinct recipes.
pub(super) static DESCS: [Desc; DISTINCT] = DEDUP.1;
/// The [`Special`]s, indexed by [`Desc::arg`].
pub(super) static SPECIALS: [Special; SPECIAL_COUNT] = TABLES.2;

/// Stops the build: instruction `op` does not fit the verifier's table.
const fn refuse(op: &OpSpec, what: &str, name: &str, end: &str) -> ! {
    let mut buf = [b' '; 200];
    let mut n = 0;
    let parts = [
        "verifier: instruction `",
        op.mnemonic,
        "` ",
        what,
        name,
        end,
        "; teach bytecode/src/verify/table.rs about it",
    ];
    let mut p = 0;
    while p < parts.len() {
        let b = parts[p].as_bytes();
        let mut i = 0;
        while i < b.len() && n < buf.len() {
            buf[n] = b[i];
            n += 1;
            i += 1;
        }
        p += 1;
    }
    let (text, _) = buf.split_at(n);
    match core::str::from_utf8(text) {
        Ok(s) => panic!("{}", s),
        Err(_) => panic!("verifier: an instruction does not fit the verifier's table"),
    }
}

/// The mnemonic of instruction `index` (primary opcodes, then [`crate::PRIMARY_COUNT`] +
/// extended opcodes), for messages.
#[cfg(feature = "mnemonics")]
pub(super) fn mnemonic(index: usize) -> &'static str {
    MNEMONIC_TEXT.split(' ').nth(index).unwrap_or("?")
}
