//! Function-body checks: one linear pass over the instructions, then a pass over the branch
//! targets against the set of instruction boundaries.
//!
//! Table-driven: [`super::table`] describes every instruction, and one generic loop
//! ([`scan`]) checks them all; there is no per-instruction code.

use super::VerifyError;
use super::table::{
    BRANCH, DESCS, Desc, INDEX, MEMORY, Rule, SPECIAL, SPECIALS, TAIL_NONE, TAIL_SLOTS, TERMINAL,
    UNKNOWN, WINDOW, kind,
};
use crate::module::{CompiledModule, FuncBody};
use crate::msg;
use crate::types::RefType;
use crate::{DecodeError, EXT_PREFIX, Slot};
use alloc::string::String;
use alloc::vec::Vec;

/// What a failed check found: a small value, turned into a message only on failure.
#[derive(Clone, Copy)]
enum Fault {
    Decode(DecodeError),
    /// An index operand of kind `kind::FUNC ..= kind::GLOBAL`, and its value.
    IndexOutOfRange(u8, u32),
    OutOfRange(&'static str, u32),
    Slot(Slot, u32),
    Fits(&'static str, u32, u32, u32),
    NoMemory,
    NotFuncref(u32),
    NotMutable(u32),
    NotDeclared(u32),
    ElemTableTypes,
    TableTypes,
    Returns(usize, usize),
}

impl Fault {
    /// The message for a failure of the instruction at `pc` of `code`.
    #[cold]
    #[inline(never)]
    fn message(self, code: &[u8], pc: usize) -> String {
        // One template (a `\u{1}` for each piece: `what`, then the numbers) per fault, and one
        // call that fills it in.
        let (text, what, a, b, c): (&str, &str, u32, u32, u32) = match self {
            Fault::Decode(e) => return msg!(e, " (function-relative)"),
            Fault::IndexOutOfRange(kind, i) => (
                "\u{1} index \u{1} out of range",
                match kind {
                    kind::FUNC => "function",
                    kind::TYPE => "type",
                    kind::TABLE => "table",
                    _ => "global",
                },
                i,
                0,
                0,
            ),
            Fault::OutOfRange(what, i) => ("\u{1} \u{1} out of range", what, i, 0, 0),
            Fault::Slot(s, frame) => (
                "\u{1}slot \u{1} outside the frame of \u{1} slots",
                "",
                u32::from(s),
                frame,
                0,
            ),
            Fault::Fits(what, base, n, frame) => (
                "\u{1} at slot \u{1} needs \u{1} slots, frame has \u{1}",
                what,
                base,
                n,
                frame,
            ),
            Fault::NoMemory => ("the module has no memory", "", 0, 0, 0),
            Fault::NotFuncref(t) => ("\u{1}table \u{1} is not a funcref table", "", t, 0, 0),
            Fault::NotMutable(g) => ("\u{1}global \u{1} is not mutable", "", g, 0, 0),
            Fault::NotDeclared(f) => ("\u{1}function \u{1} is not declared", "", f, 0, 0),
            Fault::ElemTableTypes => ("element segment and table types differ", "", 0, 0, 0),
            Fault::TableTypes => ("table element types differ", "", 0, 0, 0),
            Fault::Returns(n, results) => {
                let (n, results) = (n as u32, results as u32);
                match n {
                    0 => (
                        "\u{1}returns no value, function has \u{1} results",
                        "",
                        results,
                        0,
                        0,
                    ),
                    1 => (
                        "\u{1}returns one value, function has \u{1} results",
                        "",
                        results,
                        0,
                        0,
                    ),
                    _ => (
                        "\u{1}returns \u{1} values, function has \u{1} results",
                        "",
                        n,
                        results,
                        0,
                    ),
                }
            }
        };
        let what = msg::concat(text, &[&what, &a, &b, &c]);
        // Only a known opcode fails other checks.
        #[cfg(feature = "mnemonics")]
        {
            let index = match code.get(pc..) {
                Some([EXT_PREFIX, e, ..]) => crate::PRIMARY_COUNT + usize::from(*e),
                Some([b, ..]) => usize::from(*b),
                _ => usize::MAX,
            };
            msg!(super::table::mnemonic(index), ": ", what)
        }
        #[cfg(not(feature = "mnemonics"))]
        match code.get(pc..) {
            Some([b, rest @ ..]) => {
                let (ext, byte) = match (*b, rest) {
                    (EXT_PREFIX, [e, ..]) => ("0xff ", *e),
                    _ => ("", *b),
                };
                msg!("opcode ", ext, msg::hex_digits(byte, 2), ": ", what)
            }
            _ => what,
        }
    }
}

/// Verifies function bodies, reusing its buffers.
pub(super) struct CodeVerifier<'m> {
    m: &'m CompiledModule,
    declared: &'m [bool],
    /// Per type: `max(params, results)`, the slots a call needs from its base.
    call_slots: Vec<u32>,
    /// One bit per byte of the current function: set where an instruction starts.
    starts: Vec<u64>,
    targets: Vec<i64>,
}

impl<'m> CodeVerifier<'m> {
    pub(super) fn new(m: &'m CompiledModule, declared: &'m [bool]) -> Self {
        let call_slots = m
            .types
            .iter()
            .map(|t| t.params().len().max(t.results().len()) as u32)
            .collect();
        CodeVerifier {
            m,
            declared,
            call_slots,
            starts: Vec::new(),
            targets: Vec::new(),
        }
    }

    /// Checks the code of defined function `func` (its range was checked by the caller).
    #[inline(never)]
    pub(super) fn verify_body(&mut self, func: u32, body: &FuncBody) -> Result<(), VerifyError> {
        let m = self.m;
        let base = body.code_start as usize;
        let err = |pc: usize, message: String| VerifyError {
            func: Some(func),
            offset: base + pc,
            message,
        };
        let code = m
            .body_code(body)
            .ok_or_else(|| err(0, String::from("code range outside the module's code")))?;
        if code.is_empty() {
            return Err(err(0, String::from("empty function code")));
        }
        self.starts.clear();
        self.starts.resize(code.len().div_ceil(64), 0);
        self.targets.clear();
        let cx = Cx {
            m,
            index_spaces: [
                m.funcs.len(),
                m.types.len(),
                m.tables.len(),
                m.globals.len(),
            ]
            .map(|n| n as u64),
            declared: self.declared,
            call_slots: &self.call_slots,
            code,
            frame: u32::from(body.frame_size),
            results: usize::from(body.num_results),
        };
        let mut targets = core::mem::take(&mut self.targets);
        let r = scan(&cx, &mut self.starts, &mut targets);
        self.targets = targets;
        match r {
            Ok(true) => {}
            Ok(false) => {
                return Err(err(
                    code.len(),
                    String::from("function code does not end with a branch, return or unreachable"),
                ));
            }
            Err((pc, fault)) => return Err(err(pc, fault.message(code, pc))),
        }
        for &t in &self.targets {
            let ok = usize::try_from(t)
                .ok()
                .filter(|&t| t < code.len())
                .is_some_and(|t| self.starts[t / 64] & (1 << (t % 64)) != 0);
            if !ok {
                return Err(err(
                    0,
                    msg!(
                        "branch target ",
                        t,
                        " is not the start of an instruction of the function"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// What the checks of one function need.
struct Cx<'a> {
    m: &'a CompiledModule,
    /// Lengths of the function, type, table and global index spaces (for operands of kinds
    /// `kind::FUNC ..= kind::GLOBAL`).
    index_spaces: [u64; 4],
    declared: &'a [bool],
    call_slots: &'a [u32],
    code: &'a [u8],
    frame: u32,
    results: usize,
}

/// The recipe of the instruction whose first bytes are in `w`, and its opcode length.
#[inline(always)]
fn lookup(w: &[u8; WINDOW]) -> (Desc, usize) {
    let (i, o) = if w[0] != EXT_PREFIX {
        (usize::from(w[0]), 1)
    } else {
        (usize::from(EXT_PREFIX) + usize::from(w[1]), 2)
    };
    let k = INDEX.get(i).copied().unwrap_or(0);
    (DESCS.get(usize::from(k)).copied().unwrap_or(UNKNOWN), o)
}

/// Walks the instructions of the function: marks their starts, checks each, collects branch
/// targets. Returns whether the last one is an unconditional transfer, or where and why the
/// code is wrong.
///
/// Operands are read through a fixed-size window of the code, so without bounds checks. A
/// fast path takes the common instructions (slots, constants and at most one branch offset);
/// everything else, every failure, and the last instructions (read through a zero-padded
/// window) go to [`check_one`], which checks any instruction completely.
fn scan(cx: &Cx<'_>, starts: &mut [u64], targets: &mut Vec<i64>) -> Result<bool, (usize, Fault)> {
    let code = cx.code;
    let frame = cx.frame;
    // (Always true: a body's length is a `u32`. The window below relies on it.)
    if u32::try_from(code.len()).is_err() {
        return Err((0, Fault::Decode(DecodeError::Truncated { pc: 0 })));
    }
    // Flags that send an instruction to `check_one`: its own checks, and memory instructions
    // when there is no memory.
    let slow = SPECIAL | if cx.m.memories.is_empty() { MEMORY } else { 0 };
    let mut starts = Marker {
        starts,
        word: 0,
        bits: 0,
    };
    let mut pc = 0usize;
    let mut flags = 0u8;
    // While a whole window fits in the code (so does the whole fixed part of the instruction).
    // (`pc <= code.len() <= u32::MAX`, and as a `u32`, `pc + WINDOW` cannot overflow on 64-bit
    // targets: one check less.)
    while let Some(w) = code
        .get(pc as u32 as usize..pc as u32 as usize + WINDOW)
        .and_then(|w| <&[u8; WINDOW]>::try_from(w).ok())
    {
        starts.mark(pc);
        let (d, o) = lookup(w);
        // Whether `check_one` must look at the instruction.
        let mut bad = d.flags & slow != 0;
        let mut mask = d.slots;
        while mask != 0 {
            if u32::from(read16(w, o, mask.trailing_zeros())) >= frame {
                bad = true;
                break;
            }
            mask &= mask - 1;
        }
        if !bad {
            if d.flags & BRANCH != 0 {
                let offset = read32(w, o, u32::from(d.arg)) as i32;
                targets.push(pc as i64 + i64::from(offset));
            }
            pc += usize::from(d.size);
        } else {
            pc = check_one(cx, targets, pc, w, d, o).map_err(|f| (pc, f))?;
        }
        flags = d.flags;
    }
    // The last instructions: a zero-padded window, and all checks in `check_one`.
    while pc < code.len() {
        starts.mark(pc);
        let w = padded(code, pc);
        let (d, o) = lookup(&w);
        pc = check_one(cx, targets, pc, &w, d, o).map_err(|f| (pc, f))?;
        flags = d.flags;
    }
    starts.flush();
    Ok(flags & TERMINAL != 0)
}

/// Sets the bits of instruction starts, keeping the current word of the bit set in a register
/// (starts only grow).
struct Marker<'a> {
    starts: &'a mut [u64],
    /// Index of the current word.
    word: usize,
    /// Bits of the current word not yet stored.
    bits: u64,
}

impl Marker<'_> {
    #[inline(always)]
    fn mark(&mut self, pc: usize) {
        if pc / 64 != self.word {
            self.flush();
            self.word = pc / 64;
        }
        self.bits |= 1 << (pc % 64);
    }

    #[inline(always)]
    fn flush(&mut self) {
        if let Some(w) = self.starts.get_mut(self.word) {
            *w |= self.bits;
        }
        self.bits = 0;
    }
}

/// The window at `pc` near the end of the code: the bytes that are there, then zeros.
#[cold]
#[inline(never)]
fn padded(code: &[u8], pc: usize) -> [u8; WINDOW] {
    let mut w = [0; WINDOW];
    for (d, s) in w.iter_mut().zip(code.get(pc..).unwrap_or_default()) {
        *d = *s;
    }
    w
}

/// The `u16` at unit `u` of the operands (after `o` opcode bytes) in a window.
#[inline(always)]
fn read16(w: &[u8; WINDOW], o: usize, u: u32) -> u16 {
    let j = o + (u as usize & 7) * 2;
    u16::from_le_bytes([w[j], w[j + 1]])
}

/// The `u32` at unit `u` of the operands (after `o` opcode bytes) in a window.
#[inline(always)]
fn read32(w: &[u8; WINDOW], o: usize, u: u32) -> u32 {
    let j = o + (u as usize & 7) * 2;
    u32::from_le_bytes([w[j], w[j + 1], w[j + 2], w[j + 3]])
}

/// Checks the instruction at `pc` completely (`w`: the window at `pc`; `d`, `o`: its recipe
/// and opcode length): decoding, slots, special operands, the tail, memory, and the rule.
/// Returns where the next instruction starts.
#[inline(never)]
fn check_one(
    cx: &Cx<'_>,
    targets: &mut Vec<i64>,
    pc: usize,
    w: &[u8; WINDOW],
    d: Desc,
    o: usize,
) -> Result<usize, Fault> {
    let m = cx.m;
    let code = cx.code;
    let frame = cx.frame;
    let truncated = Fault::Decode(DecodeError::Truncated { pc });
    if d.size == 0 {
        let byte = if o == 1 { w[0] } else { w[1] };
        return Err(Fault::Decode(DecodeError::BadOpcode { pc, byte }));
    }
    let end = pc + usize::from(d.size);
    if end > code.len() {
        return Err(truncated);
    }
    let slot = |s: u16| {
        if u32::from(s) < frame {
            Ok(())
        } else {
            Err(Fault::Slot(s, frame))
        }
    };
    let mut mask = d.slots;
    while mask != 0 {
        slot(read16(w, o, mask.trailing_zeros()))?;
        mask &= mask - 1;
    }
    if d.flags & BRANCH != 0 {
        targets.push(pc as i64 + i64::from(read32(w, o, u32::from(d.arg)) as i32));
    }
    if d.flags & MEMORY != 0 && m.memories.is_empty() {
        return Err(Fault::NoMemory);
    }
    if d.flags & SPECIAL == 0 {
        return Ok(end);
    }
    let sp = SPECIALS.get(usize::from(d.arg)).ok_or(truncated)?;
    // The special operands' values, in order (16-bit ones zero-extended).
    let mut v = [0u32; 4];
    for (i, &k) in sp.operands.iter().enumerate() {
        let kind = k >> 4;
        if kind == kind::DATA {
            break;
        }
        let mut x = read32(w, o, u32::from(k & 15));
        if kind >= kind::COUNT16 {
            x &= 0xFFFF;
        } else if kind == kind::BRANCH {
            targets.push(pc as i64 + i64::from(x as i32));
        } else if let Some(&len) = cx
            .index_spaces
            .get(usize::from(kind.wrapping_sub(kind::FUNC)))
            && u64::from(x) >= len
        {
            return Err(Fault::IndexOutOfRange(kind, x));
        }
        v[i] = x;
    }
    let mut next = end;
    if sp.tail != TAIL_NONE {
        let count = v.get(usize::from(sp.count_at)).copied().unwrap_or(0);
        let size = if sp.tail == TAIL_SLOTS { 2 } else { 4 };
        let tail = (count as usize)
            .checked_mul(size)
            .and_then(|n| code.get(end..end.checked_add(n)?))
            .ok_or(truncated)?;
        next = end + tail.len();
        if sp.tail == TAIL_SLOTS {
            for s in tail.as_chunks::<2>().0 {
                slot(u16::from_le_bytes(*s))?;
            }
        } else {
            targets.reserve(tail.len() / 4);
            for t in tail.as_chunks::<4>().0 {
                targets.push(pc as i64 + i64::from(i32::from_le_bytes(*t)));
            }
        }
    }
    rule(cx, sp.rule, v)?;
    Ok(next)
}

/// Checks instruction rule `rule`, given the values of its special operands in order (as
/// [`Rule::operands`] lists them).
#[inline(always)]
fn rule(cx: &Cx<'_>, rule: Rule, v: [u32; 4]) -> Result<(), Fault> {
    let m = cx.m;
    let table = |t: u32| {
        m.tables
            .get(t as usize)
            .ok_or(Fault::OutOfRange("table", t))
    };
    let elem = |s: u32| {
        m.elems
            .get(s as usize)
            .ok_or(Fault::OutOfRange("element segment", s))
    };
    let fits = |base: u32, n: u32, what| {
        if u64::from(base) + u64::from(n) <= u64::from(cx.frame) {
            Ok(())
        } else {
            Err(Fault::Fits(what, base, n, cx.frame))
        }
    };
    let call_slots = |t: Option<&u32>, f: Fault| {
        t.and_then(|&t| cx.call_slots.get(t as usize))
            .copied()
            .ok_or(f)
    };
    let results = cx.results;
    match rule {
        Rule::None => {}
        Rule::Call => {
            let n = call_slots(
                m.funcs.get(v[0] as usize),
                Fault::OutOfRange("function", v[0]),
            )?;
            fits(v[1], n, "call")?;
        }
        Rule::CallIndirect => {
            if table(v[1])?.element != RefType::FuncRef {
                return Err(Fault::NotFuncref(v[1]));
            }
            fits(
                v[2],
                call_slots(Some(&v[0]), Fault::OutOfRange("type", v[0]))?,
                "call",
            )?;
        }
        Rule::GlobalSet => {
            if !m.globals.get(v[0] as usize).is_some_and(|g| g.mutable) {
                return Err(Fault::NotMutable(v[0]));
            }
        }
        Rule::RefFunc => {
            if !cx.declared.get(v[0] as usize).copied().unwrap_or(false) {
                return Err(Fault::NotDeclared(v[0]));
            }
        }
        Rule::DataSegment => {
            if v[0] as usize >= m.datas.len() {
                return Err(Fault::OutOfRange("data segment", v[0]));
            }
        }
        Rule::ElemSegment => {
            elem(v[0])?;
        }
        Rule::TableInit => {
            if elem(v[1])?.ty != table(v[0])?.element {
                return Err(Fault::ElemTableTypes);
            }
        }
        Rule::TableCopy => {
            if table(v[0])?.element != table(v[1])?.element {
                return Err(Fault::TableTypes);
            }
        }
        Rule::CopyMany => fits(v[0], v[1], "copy_many")?,
        Rule::Return0 if results != 0 => return Err(Fault::Returns(0, results)),
        Rule::Return1 if results != 1 => return Err(Fault::Returns(1, results)),
        Rule::ReturnMany if v[0] as usize != results => {
            return Err(Fault::Returns(v[0] as usize, results));
        }
        Rule::Return0 | Rule::Return1 | Rule::ReturnMany => {}
    }
    Ok(())
}
