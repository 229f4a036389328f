//! Translation of one function body: wasm operators in, register bytecode out.
//!
//! The translator keeps a compile-time operand stack of *providers* ([`Entry`]): a local, a
//! temporary living in the home slot of its stack height, or a constant. Locals and constants are
//! materialised only when an instruction needs them in a slot.

mod cond;
mod control;
mod facc;
mod init;
mod ops;
mod stack;

use crate::CompileError;
use crate::module::ModuleState;
use crate::strict::OpRule;
use alloc::boxed::Box;
use alloc::format;
use alloc::vec::Vec;
use cond::Cond;
use ember_bytecode::module::{CompiledModule, FuncBody};
use ember_bytecode::{EXT_PREFIX, Slot};
use wasmparser::{
    FuncValidator, FunctionBody, OperatorsReader, OperatorsReaderAllocations, VisitOperator,
};

/// A compile-time operand stack entry: where the value can be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// The value is local (parameter or declared local) `x`, read lazily.
    Local(Slot),
    /// The value is in the home slot of this entry's stack height.
    Temp,
    /// A constant, as the raw 64-bit slot value.
    Const(u64),
}

/// What kind of construct a control frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

/// A control frame.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctrl {
    pub(crate) kind: Kind,
    /// Stack height of the frame's first parameter (its results start here too).
    pub(crate) height: u32,
    pub(crate) nparams: u32,
    pub(crate) nresults: u32,
    /// For a loop: the position of its first instruction (the target of branches to it).
    pub(crate) pc: usize,
    /// For an `if`: the position of the branch to the `else` (or `end`), and of its offset
    /// field.
    pub(crate) else_branch: Option<(usize, usize)>,
    /// Some branch targets the end of this frame.
    pub(crate) branched: bool,
    /// The locals assigned on every path to the frame's entry (`init.rs`).
    pub(crate) entry_assigned: init::Assigned,
    /// The locals assigned on every branch to the frame's end so far.
    pub(crate) label_assigned: init::Assigned,
}

impl Ctrl {
    /// How many values a branch to this frame carries.
    pub(crate) fn label_arity(&self) -> u32 {
        if self.kind == Kind::Loop {
            self.nparams
        } else {
            self.nresults
        }
    }
}

/// A forward branch waiting for its label to be bound.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fixup {
    /// Index of the target frame in the control stack.
    pub(crate) label: u32,
    /// Position of the branch instruction's first byte.
    pub(crate) instr: usize,
    /// Position of the 4-byte offset field to patch.
    pub(crate) field: usize,
}

/// The instruction just emitted, if it produced the top of the stack: lets `local.set` retarget
/// its `dst` and `br_if`/`if` fuse a compare.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Last {
    /// Position of the instruction's first byte.
    pub(crate) pos: usize,
    /// Where the code ended right after it.
    pub(crate) end: usize,
    /// Stack height of the value it produced.
    pub(crate) height: u32,
    /// If it was an integer compare: the equivalent branch condition.
    pub(crate) cond: Option<Cond>,
}

/// Buffers reused for every function of every module (cleared, capacity kept).
#[derive(Default)]
pub(crate) struct Buffers {
    pub(crate) stack: Vec<Entry>,
    pub(crate) ctrl: Vec<Ctrl>,
    pub(crate) fixups: Vec<Fixup>,
    /// Scratch: source slots of a `copy_many` / `return_many`.
    pub(crate) slots: Vec<Slot>,
    /// Scratch: `br_table` target depths (default last).
    pub(crate) targets: Vec<u32>,
    /// Scratch: `br_table` stubs already emitted: (frame index, position).
    pub(crate) stubs: Vec<(u32, usize)>,
    /// The operator reader's own control stack.
    pub(crate) reader: Option<OperatorsReaderAllocations>,
}

/// The state of one function's translation.
pub(crate) struct FuncTranslator<'a> {
    pub(crate) b: &'a mut Buffers,
    pub(crate) code: &'a mut Vec<u8>,
    pub(crate) module: &'a CompiledModule,
    /// Slots of parameters and declared locals: `home(h) = base + h`.
    pub(crate) base: u32,
    /// Parameter slots (`0..params`).
    pub(crate) params: u32,
    /// Locals `params..zero_end` may be read before they are written: calls zero them.
    pub(crate) zero_end: u32,
    /// The locals written on every path to the current point (`init.rs`).
    pub(crate) assigned: init::Assigned,
    pub(crate) num_results: u32,
    /// Slots needed so far.
    pub(crate) frame_size: u32,
    pub(crate) last: Option<Last>,
    /// Code is unreachable until the `else`/`end` of the current frame.
    pub(crate) unreachable: bool,
    /// Blocks opened inside unreachable code, not yet closed.
    pub(crate) dead_depth: u32,
    pub(crate) func_index: u32,
    /// Emit the float superinstructions (`ember_bytecode::is_float_superinstruction`).
    pub(crate) float_super: bool,
    /// Only validate: the operators are checked (by the validator and [`crate::strict`]) but
    /// not lowered (`validate`, feature `small-code`).
    #[cfg(feature = "small-code")]
    pub(crate) validate_only: bool,
    /// Offset of the operator being translated (for errors).
    pub(crate) offset: usize,
    /// The last code position some already-patched branch jumps to (a label bound there).
    pub(crate) bound_here: usize,
}

/// The translator's result: errors are boxed so that results stay one register wide on the hot
/// path (a `CompileError` is 40 bytes; every `?` would otherwise go through memory).
pub(crate) type Fallible<T = ()> = Result<T, Box<CompileError>>;

/// Converts a wasmparser error inside function `func`.
pub(crate) fn wp_err(e: wasmparser::BinaryReaderError, func: u32) -> CompileError {
    CompileError {
        message: alloc::string::ToString::to_string(e.message()),
        offset: e.offset() as usize,
        func_index: Some(func),
    }
}

/// Validates and translates one function body, appending its code to `code` (with the float
/// superinstructions if `float_super`).
pub(crate) fn translate(
    b: &mut Buffers,
    float_super: bool,
    code: &mut Vec<u8>,
    module: &CompiledModule,
    fv: &mut FuncValidator<&ModuleState>,
    body: &FunctionBody<'_>,
) -> Result<FuncBody, CompileError> {
    lower(b, float_super, false, code, module, fv, body)?
        .ok_or_else(|| no_body_error(fv.index(), body))
}

/// Validates one function body as [`translate`] does (the same checks, through the same
/// visitor), without lowering it: lazy translation validates bodies this way when a module is
/// loaded. One visitor for both keeps wasmparser's operator decoder linked once (a second
/// visitor, wasmparser's own `FuncValidator::validate`, costs 10 KB of firmware).
#[cfg(feature = "small-code")]
pub(crate) fn validate(
    b: &mut Buffers,
    module: &CompiledModule,
    fv: &mut FuncValidator<&ModuleState>,
    body: &FunctionBody<'_>,
) -> Result<(), CompileError> {
    // Nothing is emitted: the buffer stays empty and unallocated.
    let mut code = Vec::new();
    lower(b, false, true, &mut code, module, fv, body).map(|_| ())
}

/// The error for a translation that produced no body (not reached: only validation does).
#[cold]
fn no_body_error(func_index: u32, body: &FunctionBody<'_>) -> CompileError {
    CompileError {
        message: alloc::string::String::from("internal: no function body"),
        offset: body.range().start as usize,
        func_index: Some(func_index),
    }
}

/// [`translate`]; with `validate_only`, only its checks (`validate`), and `None`.
fn lower(
    b: &mut Buffers,
    float_super: bool,
    validate_only: bool,
    code: &mut Vec<u8>,
    module: &CompiledModule,
    fv: &mut FuncValidator<&ModuleState>,
    body: &FunctionBody<'_>,
) -> Result<Option<FuncBody>, CompileError> {
    let func_index = fv.index();
    let body_offset = body.range().start as usize;
    let too_large = |what: &str| CompileError {
        message: format!("function too large: {what}"),
        offset: body_offset,
        func_index: Some(func_index),
    };
    let ty = module
        .func_type(func_index)
        .ok_or_else(|| too_large("unknown function type"))?;
    let num_params = ty.params().len();
    let num_results = ty.results().len();

    let mut locals = body
        .get_locals_reader()
        .map_err(|e| wp_err(e, func_index))?;
    let mut num_locals: u32 = 0;
    for _ in 0..locals.get_count() {
        let off = locals.original_position();
        let (count, vt) = locals.read().map_err(|e| wp_err(e, func_index))?;
        fv.define_locals(off, count, vt)
            .map_err(|e| wp_err(e, func_index))?;
        num_locals = num_locals
            .checked_add(count)
            .ok_or_else(|| too_large("too many locals"))?;
    }
    let base = u32::try_from(num_params)
        .ok()
        .and_then(|p| p.checked_add(num_locals))
        .filter(|&n| n <= u32::from(u16::MAX))
        .ok_or_else(|| too_large("more than 65535 parameters and locals"))?;
    let num_results_u16 =
        u16::try_from(num_results).map_err(|_| too_large("more than 65535 results"))?;

    let start = code.len();
    let mut t = FuncTranslator {
        b,
        code,
        module,
        base,
        params: num_params as u32,
        zero_end: num_params as u32,
        assigned: 0,
        num_results: num_results as u32,
        frame_size: base.max(num_results as u32),
        last: None,
        unreachable: false,
        dead_depth: 0,
        func_index,
        float_super,
        #[cfg(feature = "small-code")]
        validate_only,
        offset: body_offset,
        bound_here: usize::MAX,
    };
    t.b.stack.clear();
    t.b.ctrl.clear();
    t.b.fixups.clear();
    t.init_locals_analysis();
    t.b.ctrl.push(Ctrl {
        kind: Kind::Func,
        height: 0,
        nparams: 0,
        nresults: num_results as u32,
        pc: start,
        else_branch: None,
        branched: false,
        entry_assigned: 0,
        label_assigned: init::UNREACHED,
    });

    let ops = body
        .get_binary_reader_for_operators()
        .map_err(|e| wp_err(e, func_index))?;
    let allocs = t.b.reader.take().unwrap_or_default();
    let mut reader = OperatorsReader::new_with_allocs(ops, allocs);
    let result = t.run(fv, &mut reader, body);
    t.b.reader = Some(reader.into_allocations());
    result.map_err(|e| *e)?;
    if validate_only {
        code.truncate(start);
        return Ok(None);
    }

    if !t.b.ctrl.is_empty() {
        return Err(*t.error("function body not terminated by end"));
    }
    let code_len = t.code.len() - start;
    let frame_size =
        u16::try_from(t.frame_size).map_err(|_| too_large("frame needs more than 65535 slots"))?;
    Ok(Some(FuncBody {
        code_start: u32::try_from(start).map_err(|_| too_large("module code exceeds 4 GiB"))?,
        code_len: u32::try_from(code_len).map_err(|_| too_large("code exceeds 4 GiB"))?,
        frame_size,
        num_params: num_params as u16,
        zeroed_locals: t.locals_to_zero() as u16,
        num_results: num_results_u16,
    }))
}

impl FuncTranslator<'_> {
    /// Reads, validates and translates every operator: wasmparser decodes each operator straight
    /// into a call of [`OpVisitor`], which validates it and lowers it.
    fn run(
        &mut self,
        fv: &mut FuncValidator<&ModuleState>,
        reader: &mut OperatorsReader<'_>,
        body: &FunctionBody<'_>,
    ) -> Fallible {
        let func = self.func_index;
        let body_start = body.range().start;
        let body_bytes = body.as_bytes();
        let mut v = OpVisitor {
            t: self,
            fv,
            offset: 0,
            rule: OpRule::None,
        };
        while !reader.eof() {
            let off = reader.original_position();
            v.offset = off;
            v.t.offset = off as usize;
            reader
                .visit_operator(&mut v)
                .map_err(|e| wp_err(e, func))??;
            if v.rule != OpRule::None {
                let next = reader.original_position();
                let op_bytes = usize::try_from(off - body_start)
                    .ok()
                    .zip(usize::try_from(next - body_start).ok())
                    .and_then(|(a, b)| body_bytes.get(a..b))
                    .unwrap_or(&[]);
                crate::strict::check_op(v.rule, op_bytes).map_err(|m| v.t.error(m))?;
                v.rule = OpRule::None;
            }
        }
        reader.finish().map_err(|e| Box::new(wp_err(e, func)))
    }

    /// An error at the current operator.
    #[cold]
    pub(crate) fn error(&self, message: &str) -> Box<CompileError> {
        Box::new(CompileError {
            message: alloc::string::String::from(message),
            offset: self.offset,
            func_index: Some(self.func_index),
        })
    }

    /// The "function too large" error.
    #[cold]
    pub(crate) fn too_large(&self, what: &str) -> Box<CompileError> {
        Box::new(CompileError {
            message: format!("function too large: {what}"),
            offset: self.offset,
            func_index: Some(self.func_index),
        })
    }

    /// The home slot of stack height `h`.
    pub(crate) fn home(&self, h: u32) -> Slot {
        // Every pushed height is checked to fit, see `push`.
        (self.base + h) as Slot
    }

    /// Current stack height.
    pub(crate) fn height(&self) -> u32 {
        self.b.stack.len() as u32
    }

    /// Notes that slots `0..n` are used.
    pub(crate) fn need_slots(&mut self, n: u32) -> Fallible {
        if n > u32::from(u16::MAX) {
            return Err(self.too_large("frame needs more than 65535 slots"));
        }
        self.frame_size = self.frame_size.max(n);
        Ok(())
    }

    /// Pushes an entry, checking its home slot fits.
    pub(crate) fn push(&mut self, e: Entry) -> Fallible {
        let h = self.height();
        let need = self.base + h + 1;
        self.need_slots(need)?;
        self.b.stack.push(e);
        Ok(())
    }

    /// Pops the top entry and returns it with its height.
    pub(crate) fn pop(&mut self) -> Fallible<(u32, Entry)> {
        let e = self
            .b
            .stack
            .pop()
            .ok_or_else(|| self.error("internal: operand stack underflow"))?;
        Ok((self.height(), e))
    }

    /// Records that the instruction at `pos` (the last one emitted) produced a temporary at the
    /// top of the stack (height `h`), and pushes that temporary.
    pub(crate) fn def(&mut self, pos: usize, h: u32, cond: Option<Cond>) -> Fallible {
        debug_assert_eq!(h, self.height());
        self.push(Entry::Temp)?;
        self.last = Some(Last {
            pos,
            end: self.code.len(),
            height: h,
            cond,
        });
        Ok(())
    }

    /// Position of the `dst` operand of the instruction at `pos`.
    pub(crate) fn dst_pos(&self, pos: usize) -> usize {
        if self.code.get(pos) == Some(&EXT_PREFIX) {
            pos + 2
        } else {
            pos + 1
        }
    }
}

/// The per-operator visitor: validates with the function's validator, then translates.
struct OpVisitor<'t, 'f, 'v, 'r> {
    t: &'t mut FuncTranslator<'f>,
    fv: &'v mut FuncValidator<&'r ModuleState>,
    /// Offset of the operator being visited.
    offset: u64,
    /// The binary-format rule its bytes must still be checked against ([`crate::strict`]).
    rule: OpRule,
}

macro_rules! define_visit {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $( visit_method!($proposal $op $visit $({ $($arg: $argty),* })?); )*
    };
}

/// One `visit_*` method: validate, then lower the operators of the proposals Ember implements
/// (WebAssembly 2.0 without SIMD, see [`crate::features`]). An operator of any other proposal is
/// an error without asking the validator: its proposal is disabled in [`crate::features`], so the
/// validator could only refuse it too, and not calling it keeps wasmparser's checks for those
/// proposals (GC, exceptions, threads, stack switching, ...) out of the binary (firmware size).
macro_rules! visit_method {
    // The one lowered operator that owns heap data (a `Vec`): dropped normally.
    (reference_types TypedSelectMulti $($rest:tt)*) => {
        visit_method!(@lower drop TypedSelectMulti $($rest)*);
    };
    (mvp $($rest:tt)*) => { visit_method!(@lower forget $($rest)*); };
    (sign_extension $($rest:tt)*) => { visit_method!(@lower forget $($rest)*); };
    (saturating_float_to_int $($rest:tt)*) => { visit_method!(@lower forget $($rest)*); };
    (bulk_memory $($rest:tt)*) => { visit_method!(@lower forget $($rest)*); };
    (reference_types $($rest:tt)*) => { visit_method!(@lower forget $($rest)*); };
    (@lower $keep:ident $op:ident $visit:ident $({ $($arg:ident: $argty:ty),* })?) => {
        #[allow(clippy::clone_on_copy)]
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            let func = self.t.func_index;
            self.fv
                .visitor(self.offset)
                .$visit($($($arg.clone()),*)?)
                .map_err(|e| wp_err(e, func))?;
            visit_method!(@owns_nothing $keep $($($argty),*)?);
            let op = visit_method!(@keep $keep wasmparser::Operator::$op $({ $($arg),* })?);
            self.rule = crate::strict::op_rule(&op);
            #[cfg(feature = "small-code")]
            if self.t.validate_only {
                return Ok(());
            }
            self.t.operator(&op)
        }
    };
    // `forget`: the operator is not dropped. LLVM keeps an out-of-line call to `Operator`'s drop
    // glue otherwise (2% of translation). That is sound only while the operands own nothing,
    // which these compile-time assertions check.
    (@owns_nothing forget $($argty:ty),*) => {
        $( const { assert!(!core::mem::needs_drop::<$argty>()) }; )*
    };
    (@owns_nothing drop $($argty:ty),*) => {};
    (@keep forget $op:expr) => { core::mem::ManuallyDrop::new($op) };
    (@keep drop $op:expr) => { $op };
    ($proposal:ident $op:ident $visit:ident $({ $($arg:ident: $argty:ty),* })?) => {
        #[cold]
        #[inline(never)]
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            $($( let _ = $arg; )*)?
            Err(self.t.error(concat!(
                "unsupported operator (proposal ",
                stringify!($proposal),
                ")"
            )))
        }
    };
}

// The operand types of `for_each_visit_operator!` name the lifetime `'a`.
impl<'a> VisitOperator<'a> for OpVisitor<'_, '_, '_, '_> {
    type Output = Fallible;
    wasmparser::for_each_visit_operator!(define_visit);
}
