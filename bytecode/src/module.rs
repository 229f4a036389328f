//! A translated module: everything a runtime needs to instantiate and run it, with no reference
//! to the original wasm bytes. Indices are module-level (imports first) unless stated.

use crate::types::{FuncType, GlobalType, MemoryType, RefType, TableType};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

/// A constant expression (WebAssembly 2.0: exactly one instruction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstExpr {
    /// `i32.const`.
    I32(i32),
    /// `i64.const`.
    I64(i64),
    /// `f32.const`, as bits.
    F32(u32),
    /// `f64.const`, as bits.
    F64(u64),
    /// `ref.null`.
    RefNull(RefType),
    /// `ref.func` of a module function index.
    RefFunc(u32),
    /// `global.get` of a module global index (an imported global in 2.0).
    GlobalGet(u32),
}

/// What an import or export refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternKind {
    /// A function.
    Func,
    /// A table.
    Table,
    /// A memory.
    Memory,
    /// A global.
    Global,
}

/// The type an import must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportType {
    /// A function with this module type index.
    Func(u32),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

/// An import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// Expected type.
    pub ty: ImportType,
}

/// An export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// Kind of the exported item.
    pub kind: ExternKind,
    /// Module-level index of the item.
    pub index: u32,
}

/// How an element segment is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElemMode {
    /// Available to `table.init`.
    Passive,
    /// Copied into `table` at `offset` during instantiation, then dropped.
    Active {
        /// Table index.
        table: u32,
        /// Offset expression (i32).
        offset: ConstExpr,
    },
    /// Only declares functions for `ref.func`; dropped at instantiation.
    Declared,
}

/// An element segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElemSegment {
    /// Mode.
    pub mode: ElemMode,
    /// Element type.
    pub ty: RefType,
    /// Items (each `RefFunc`, `RefNull` or `GlobalGet`).
    pub items: Box<[ConstExpr]>,
}

/// How a data segment is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataMode {
    /// Available to `memory.init`.
    Passive,
    /// Copied into `memory` at `offset` during instantiation, then dropped.
    Active {
        /// Memory index.
        memory: u32,
        /// Offset expression (i32).
        offset: ConstExpr,
    },
}

/// A data segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSegment {
    /// Mode.
    pub mode: DataMode,
    /// Bytes.
    pub bytes: Box<[u8]>,
}

/// A function defined in the module (not imported), translated to bytecode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FuncBody {
    /// Byte offset of the function's first instruction in [`CompiledModule::code`].
    pub code_start: u32,
    /// Length of the function's code in bytes.
    pub code_len: u32,
    /// Slots in the frame: params, declared locals, temporaries (and room for callee results).
    pub frame_size: u16,
    /// Number of parameter slots (`0..num_params`).
    pub num_params: u16,
    /// Number of declared (non-parameter) locals, from the first, that a call zeroes: slots
    /// `num_params..num_params + zeroed_locals`. The translator leaves out the locals after the
    /// last one the function may read before writing it (wasm's zero initial value is then
    /// never observed); a function may declare more.
    pub zeroed_locals: u16,
    /// Number of results, returned in slots `0..num_results`.
    pub num_results: u16,
}

/// Bytecode storage: owned, or borrowed for the life of the program (a precompiled module run
/// in place, e.g. from flash, by `deserialize_static`). Dereferences to the bytes.
#[derive(Clone)]
pub enum Code {
    /// Bytecode in a heap buffer.
    Owned(Vec<u8>),
    /// Bytecode used where it lies, never copied.
    Static(&'static [u8]),
}

impl Code {
    /// Whether the bytecode is borrowed (`Code::Static`).
    pub fn is_static(&self) -> bool {
        matches!(self, Code::Static(_))
    }
}

impl Default for Code {
    fn default() -> Self {
        Code::Owned(Vec::new())
    }
}

impl core::ops::Deref for Code {
    type Target = [u8];
    #[inline(always)]
    fn deref(&self) -> &[u8] {
        match self {
            Code::Owned(v) => v,
            Code::Static(s) => s,
        }
    }
}

impl From<Vec<u8>> for Code {
    fn from(v: Vec<u8>) -> Self {
        Code::Owned(v)
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Code) -> bool {
        **self == **other
    }
}

impl Eq for Code {}

impl core::fmt::Debug for Code {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let kind = if self.is_static() { "static" } else { "owned" };
        write!(f, "Code({kind}, {} bytes)", self.len())
    }
}

/// [`FuncBody::code_start`] of a function whose bytecode does not exist yet (a lazily
/// compiled module translates each function on its first call).
pub const UNTRANSLATED: u32 = u32::MAX;

/// A validated, translated module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompiledModule {
    /// The type section (function types).
    pub types: Vec<FuncType>,
    /// Imports in order.
    pub imports: Vec<Import>,
    /// Type index of every function (imported first, then defined).
    pub funcs: Vec<u32>,
    /// Every table (imported first).
    pub tables: Vec<TableType>,
    /// Every memory (imported first).
    pub memories: Vec<MemoryType>,
    /// Every global (imported first).
    pub globals: Vec<GlobalType>,
    /// Initialisers of the defined globals (`globals[num_imported_globals + i]`).
    pub global_inits: Vec<ConstExpr>,
    /// Exports in order.
    pub exports: Vec<Export>,
    /// Start function, if any.
    pub start: Option<u32>,
    /// Element segments.
    pub elems: Vec<ElemSegment>,
    /// Data segments.
    pub datas: Vec<DataSegment>,
    /// Number of imported functions.
    pub num_imported_funcs: u32,
    /// Number of imported tables.
    pub num_imported_tables: u32,
    /// Number of imported memories.
    pub num_imported_memories: u32,
    /// Number of imported globals.
    pub num_imported_globals: u32,
    /// The defined functions (`funcs[num_imported_funcs + i]`).
    pub bodies: Vec<FuncBody>,
    /// Bytecode of all defined functions, back to back.
    pub code: Code,
    /// Total size of the code section of the original wasm, in bytes (for density reports).
    pub wasm_code_size: u32,
}

impl CompiledModule {
    /// The type of module function `func`, if in range.
    pub fn func_type(&self, func: u32) -> Option<&FuncType> {
        let ty = *self.funcs.get(func as usize)?;
        self.types.get(ty as usize)
    }

    /// The body of module function `func` if it is defined (not imported) and in range.
    pub fn body(&self, func: u32) -> Option<&FuncBody> {
        let i = func.checked_sub(self.num_imported_funcs)?;
        self.bodies.get(i as usize)
    }

    /// The bytecode of a defined function.
    pub fn body_code(&self, body: &FuncBody) -> Option<&[u8]> {
        let start = body.code_start as usize;
        self.code
            .get(start..start.checked_add(body.code_len as usize)?)
    }
}
