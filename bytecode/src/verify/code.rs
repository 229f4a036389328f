//! Function-body checks: one linear pass over the instructions, then a pass over the branch
//! targets against the set of instruction boundaries.

use super::VerifyError;
use crate::module::{CompiledModule, FuncBody};
use crate::types::RefType;
use crate::{BrOffset, Instr, Slot, Tail, Visit};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// What an operand means, from its name in the instruction table (see [`role!`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The length of the tail.
    Count,
    /// A branch offset (`i32`) or a memory offset (`u32`).
    Offset,
    /// An immediate operand.
    Imm,
    /// A constant (`u32`/`u64`) or a slot holding a value (`Slot`).
    Value,
    /// A function index.
    Func,
    /// A type index.
    Type,
    /// A table index.
    Table,
    /// A global index (`u32`) or a slot holding an index (`Slot`).
    Index,
    /// A data or element segment index (checked per instruction).
    Segment,
    /// The first argument slot of a call (may equal the frame size when the callee takes and
    /// returns nothing; checked per instruction).
    Base,
    /// Any other name: a slot if it is a `Slot`, otherwise unknown to the verifier (refused,
    /// so that a new kind of operand cannot slip through unchecked).
    Other,
}

macro_rules! role {
    (count) => {
        Role::Count
    };
    (offset) => {
        Role::Offset
    };
    (imm) => {
        Role::Imm
    };
    (value) => {
        Role::Value
    };
    (func) => {
        Role::Func
    };
    (ty) => {
        Role::Type
    };
    (table) => {
        Role::Table
    };
    (dst_table) => {
        Role::Table
    };
    (src_table) => {
        Role::Table
    };
    (index) => {
        Role::Index
    };
    (segment) => {
        Role::Segment
    };
    (base) => {
        Role::Base
    };
    ($other:ident) => {
        Role::Other
    };
}

/// What a failed check found: a small value, turned into a message only on failure (keeps
/// the per-instruction code small: no formatting inlined into each instruction's step).
#[derive(Clone, Copy)]
enum Fault {
    UnknownOperand(&'static str),
    IndexOutOfRange(&'static str, u32),
    OutOfRange(&'static str, u32),
    Slot(Slot, u32),
    Fits(&'static str, Slot, usize, u32),
    NoMemory,
    NotFuncref(u32),
    NotMutable(u32),
    NotDeclared(u32),
    ElemTableTypes,
    TableTypes,
    Returns(usize, usize),
}

impl Fault {
    #[cold]
    #[inline(never)]
    fn message(self) -> String {
        match self {
            Fault::UnknownOperand(name) => format!("unknown operand `{name}`"),
            Fault::IndexOutOfRange(what, i) => format!("{what} index {i} out of range"),
            Fault::OutOfRange(what, i) => format!("{what} {i} out of range"),
            Fault::Slot(s, frame) => format!("slot {s} outside the frame of {frame} slots"),
            Fault::Fits(what, base, n, frame) => {
                format!("{what} at slot {base} needs {n} slots, frame has {frame}")
            }
            Fault::NoMemory => String::from("the module has no memory"),
            Fault::NotFuncref(t) => format!("table {t} is not a funcref table"),
            Fault::NotMutable(g) => format!("global {g} is not mutable"),
            Fault::NotDeclared(f) => format!("function {f} is not declared"),
            Fault::ElemTableTypes => String::from("element segment and table types differ"),
            Fault::TableTypes => String::from("table element types differ"),
            Fault::Returns(0, results) => {
                format!("returns no value, function has {results} results")
            }
            Fault::Returns(1, results) => {
                format!("returns one value, function has {results} results")
            }
            Fault::Returns(n, results) => {
                format!("returns {n} values, function has {results} results")
            }
        }
    }
}

/// An operand type the verifier knows how to check.
trait Check: Copy {
    /// Checks the operand (inlined: `role` is a constant at every call).
    fn check(self, role: Role, name: &'static str, cx: &mut FuncCx<'_>) -> Result<(), Fault>;
}

impl Check for u16 {
    #[inline(always)]
    fn check(self, role: Role, _: &'static str, cx: &mut FuncCx<'_>) -> Result<(), Fault> {
        match role {
            Role::Count | Role::Base => Ok(()),
            _ => cx.slot(self),
        }
    }
}

impl Check for u32 {
    #[inline(always)]
    fn check(self, role: Role, name: &'static str, cx: &mut FuncCx<'_>) -> Result<(), Fault> {
        let m = cx.m;
        let (ok, what) = match role {
            Role::Func => ((self as usize) < m.funcs.len(), "function"),
            Role::Type => ((self as usize) < m.types.len(), "type"),
            Role::Table => ((self as usize) < m.tables.len(), "table"),
            Role::Index => ((self as usize) < m.globals.len(), "global"),
            Role::Segment | Role::Offset | Role::Value | Role::Count => (true, ""),
            Role::Imm | Role::Base | Role::Other => return Err(Fault::UnknownOperand(name)),
        };
        if ok {
            Ok(())
        } else {
            Err(Fault::IndexOutOfRange(what, self))
        }
    }
}

impl Check for i32 {
    #[inline(always)]
    fn check(self, role: Role, name: &'static str, cx: &mut FuncCx<'_>) -> Result<(), Fault> {
        match role {
            Role::Offset => cx.branch(self),
            Role::Imm => Ok(()),
            _ => Err(Fault::UnknownOperand(name)),
        }
    }
}

impl Check for u64 {
    #[inline(always)]
    fn check(self, role: Role, name: &'static str, _: &mut FuncCx<'_>) -> Result<(), Fault> {
        match role {
            Role::Value => Ok(()),
            _ => Err(Fault::UnknownOperand(name)),
        }
    }
}

/// A tail operand type: slots and branch offsets.
trait CheckTail: Copy {
    fn check_tail(self, cx: &mut FuncCx<'_>) -> Result<(), Fault>;
}

impl CheckTail for Slot {
    #[inline(always)]
    fn check_tail(self, cx: &mut FuncCx<'_>) -> Result<(), Fault> {
        cx.slot(self)
    }
}

impl CheckTail for BrOffset {
    #[inline(always)]
    fn check_tail(self, cx: &mut FuncCx<'_>) -> Result<(), Fault> {
        cx.branch(self)
    }
}

macro_rules! generic_checks {
    (
        primary { $( $(#[$pmeta:meta])* $PName:ident $psnake:ident $pmn:literal { $($pf:ident : $pt:ty),* } $([$ptail:ty; $pcount:ident])? ; )* }
        ext { $( $(#[$emeta:meta])* $EName:ident $esnake:ident $emn:literal { $($ef:ident : $et:ty),* } $([$etail:ty; $ecount:ident])? ; )* }
    ) => {
        /// One verification step per instruction, driven by [`crate::dispatch`]: checks the
        /// operands and the instruction-specific rules; returns the instruction's length, with
        /// bit [`TERMINAL_BIT`] set for an unconditional transfer, or 0 after a failure (kept
        /// in [`Step::error`]). A plain word keeps the per-instruction return cheap.
        impl Visit for Step<'_, '_> {
            type Output = usize;
            $(
                // The closure collects the `?`s of the checks; a failure is kept in `error`.
                #[allow(unused_variables, clippy::redundant_closure_call)]
                fn $psnake(&mut self, i: crate::$PName $(, tail: Tail<'_, $ptail>)?) -> Self::Output {
                    let instr = Instr::$PName(i);
                    let r = (|| {
                        $( Check::check(i.$pf, role!($pf), stringify!($pf), self.cx)?; )*
                        $( for x in Tail::<$ptail>::iter(&tail) { x.check_tail(self.cx)?; } )?
                        specific(&instr, const { uses_memory($pmn) }, self.body, self.declared, self.cx)
                    })();
                    match r {
                        Ok(()) => i.len() | (usize::from(is_terminal(&instr)) << TERMINAL_BIT),
                        Err(e) => self.fail($pmn, e),
                    }
                }
            )*
            $(
                // The closure collects the `?`s of the checks; a failure is kept in `error`.
                #[allow(unused_variables, clippy::redundant_closure_call)]
                fn $esnake(&mut self, i: crate::$EName $(, tail: Tail<'_, $etail>)?) -> Self::Output {
                    let instr = Instr::$EName(i);
                    let r = (|| {
                        $( Check::check(i.$ef, role!($ef), stringify!($ef), self.cx)?; )*
                        $( for x in Tail::<$etail>::iter(&tail) { x.check_tail(self.cx)?; } )?
                        specific(&instr, const { uses_memory($emn) }, self.body, self.declared, self.cx)
                    })();
                    match r {
                        Ok(()) => i.len() | (usize::from(is_terminal(&instr)) << TERMINAL_BIT),
                        Err(e) => self.fail($emn, e),
                    }
                }
            )*
        }
    };
}
crate::for_each_op!(generic_checks);

/// The state of one verification step.
struct Step<'a, 'b> {
    cx: &'b mut FuncCx<'a>,
    body: &'b FuncBody,
    declared: &'b [bool],
    /// Why the last step failed.
    error: Option<String>,
}

/// Bit of a step's result that marks an unconditional transfer.
const TERMINAL_BIT: u32 = usize::BITS - 1;

impl Step<'_, '_> {
    /// Records a failed check of instruction `mnemonic`; returns the failure result (0).
    #[cold]
    #[inline(never)]
    fn fail(&mut self, mnemonic: &str, e: Fault) -> usize {
        self.error = Some(format!("{mnemonic}: {}", e.message()));
        0
    }
}

/// Whether an instruction never falls through to the next one.
#[inline(always)]
fn is_terminal(instr: &Instr) -> bool {
    matches!(
        instr,
        Instr::Br(_)
            | Instr::BrTable(_)
            | Instr::Return(_)
            | Instr::ReturnSlot(_)
            | Instr::ReturnImm32(_)
            | Instr::ReturnImm64(_)
            | Instr::ReturnMany(_)
            | Instr::Unreachable(_)
    )
}

/// What the checks of one instruction need.
struct FuncCx<'a> {
    m: &'a CompiledModule,
    frame_size: u32,
    /// Offset of the current instruction in the function's code.
    pc: usize,
    /// Branch targets found so far (offsets in the function's code).
    targets: &'a mut Vec<i64>,
}

impl FuncCx<'_> {
    #[inline(always)]
    fn slot(&self, s: Slot) -> Result<(), Fault> {
        if u32::from(s) < self.frame_size {
            Ok(())
        } else {
            Err(Fault::Slot(s, self.frame_size))
        }
    }
    #[inline(always)]
    fn branch(&mut self, offset: BrOffset) -> Result<(), Fault> {
        self.targets.push(self.pc as i64 + i64::from(offset));
        Ok(())
    }
    /// `base + n` slots fit in the frame.
    #[inline(always)]
    fn fits(&self, base: Slot, n: usize, what: &'static str) -> Result<(), Fault> {
        if u64::from(base) + n as u64 <= u64::from(self.frame_size) {
            Ok(())
        } else {
            Err(Fault::Fits(what, base, n, self.frame_size))
        }
    }
}

/// Verifies function bodies, reusing its buffers.
pub(super) struct CodeVerifier<'m> {
    m: &'m CompiledModule,
    declared: &'m [bool],
    /// One bit per byte of the current function: set where an instruction starts.
    starts: Vec<u64>,
    targets: Vec<i64>,
}

impl<'m> CodeVerifier<'m> {
    pub(super) fn new(m: &'m CompiledModule, declared: &'m [bool]) -> Self {
        CodeVerifier {
            m,
            declared,
            starts: Vec::new(),
            targets: Vec::new(),
        }
    }

    /// Checks the code of defined function `func` (its range was checked by the caller).
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
        let mut pc = 0usize;
        let mut last_terminal = false;
        let mut cx = FuncCx {
            m,
            frame_size: u32::from(body.frame_size),
            pc,
            targets: &mut self.targets,
        };
        let mut step = Step {
            cx: &mut cx,
            body,
            declared: self.declared,
            error: None,
        };
        let starts = &mut self.starts;
        while pc < code.len() {
            starts[pc / 64] |= 1 << (pc % 64);
            step.cx.pc = pc;
            let r = crate::dispatch(&mut step, code, pc)
                .map_err(|e| err(pc, format!("{e} (function-relative)")))?;
            if r == 0 {
                let message = step.error.take().unwrap_or_default();
                return Err(err(pc, message));
            }
            last_terminal = r >> TERMINAL_BIT != 0;
            pc += r & !(1 << TERMINAL_BIT);
        }
        if !last_terminal {
            return Err(err(
                code.len(),
                String::from("function code does not end with a branch, return or unreachable"),
            ));
        }
        for &t in &self.targets {
            let ok = usize::try_from(t)
                .ok()
                .filter(|&t| t < code.len())
                .is_some_and(|t| self.starts[t / 64] & (1 << (t % 64)) != 0);
            if !ok {
                return Err(err(
                    0,
                    format!("branch target {t} is not the start of an instruction of the function"),
                ));
            }
        }
        Ok(())
    }
}

/// Whether `s` starts with `prefix` (usable in constants).
const fn starts_with(s: &str, prefix: &str) -> bool {
    let (s, p) = (s.as_bytes(), prefix.as_bytes());
    if s.len() < p.len() {
        return false;
    }
    let mut i = 0;
    while i < p.len() {
        if s[i] != p[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether the instruction with mnemonic `mn` uses memory 0.
const fn uses_memory(mn: &str) -> bool {
    starts_with(mn, "load") || starts_with(mn, "store") || starts_with(mn, "memory.")
}

/// Checks beyond single operands: signatures, kinds, segment indices, result counts. Inlined
/// into each instruction's step, where `instr`'s variant is known, so only its own checks remain.
#[inline(always)]
fn specific(
    instr: &Instr,
    uses_memory: bool,
    body: &FuncBody,
    declared: &[bool],
    cx: &FuncCx<'_>,
) -> Result<(), Fault> {
    let m = cx.m;
    if uses_memory && m.memories.is_empty() {
        return Err(Fault::NoMemory);
    }
    let results = usize::from(body.num_results);
    let table = |t: u32| {
        m.tables
            .get(t as usize)
            .ok_or(Fault::OutOfRange("table", t))
    };
    let data = |s: u32| {
        if (s as usize) < m.datas.len() {
            Ok(())
        } else {
            Err(Fault::OutOfRange("data segment", s))
        }
    };
    let elem = |s: u32| {
        m.elems
            .get(s as usize)
            .ok_or(Fault::OutOfRange("element segment", s))
    };
    match *instr {
        Instr::Call(i) => {
            let t = m
                .func_type(i.func)
                .ok_or(Fault::OutOfRange("function", i.func))?;
            cx.fits(i.base, t.params().len().max(t.results().len()), "call")?;
        }
        Instr::CallIndirect(i) => {
            if table(i.table)?.element != RefType::FuncRef {
                return Err(Fault::NotFuncref(i.table));
            }
            let t = m
                .types
                .get(i.ty as usize)
                .ok_or(Fault::OutOfRange("type", i.ty))?;
            cx.fits(i.base, t.params().len().max(t.results().len()), "call")?;
        }
        Instr::GlobalSet(i) if !m.globals.get(i.index as usize).is_some_and(|g| g.mutable) => {
            return Err(Fault::NotMutable(i.index));
        }
        Instr::RefFunc(i) if !declared.get(i.func as usize).copied().unwrap_or(false) => {
            return Err(Fault::NotDeclared(i.func));
        }
        Instr::MemoryInit(i) => data(i.segment)?,
        Instr::DataDrop(i) => data(i.segment)?,
        Instr::ElemDrop(i) => {
            elem(i.segment)?;
        }
        Instr::TableInit(i) => {
            let same = elem(i.segment)?.ty == table(i.table)?.element;
            if !same {
                return Err(Fault::ElemTableTypes);
            }
        }
        Instr::TableCopy(i) => {
            let same = table(i.dst_table)?.element == table(i.src_table)?.element;
            if !same {
                return Err(Fault::TableTypes);
            }
        }
        Instr::CopyMany(i) => cx.fits(i.dst, usize::from(i.count), "copy_many")?,
        Instr::Return(_) if results != 0 => {
            return Err(Fault::Returns(0, results));
        }
        Instr::ReturnSlot(_) | Instr::ReturnImm32(_) | Instr::ReturnImm64(_) if results != 1 => {
            return Err(Fault::Returns(1, results));
        }
        Instr::ReturnMany(i) if usize::from(i.count) != results => {
            return Err(Fault::Returns(usize::from(i.count), results));
        }
        _ => {}
    }
    Ok(())
}
