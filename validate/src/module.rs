//! Module-level validation of WebAssembly 2.0 without SIMD: section order, limits on counts,
//! types, imports, functions, tables, memories, globals and their initialisers, exports, the
//! start function, element and data segments, and the data count. Function bodies are validated
//! by wasmparser's `FuncValidator`, which asks [`ModuleState`] about the module through
//! wasmparser's [`WasmModuleResources`] trait.
//!
//! Ember checks the module level itself rather than with wasmparser's `Validator`, which covers
//! every proposal wasmparser knows (GC type canonicalisation, a second operator validator for
//! constant expressions, components): about 40 KB of firmware that WebAssembly 2.0 does not need.
//! The spec suite's `assert_invalid` and `assert_malformed` directives check these rules.
//!
//! The section handlers in [`crate::sections`] call the `check_*` methods item by item, as they
//! record the module.

use crate::CompileError;
use crate::convert::err;
use alloc::vec::Vec;
use ember_bytecode::module::ConstExpr;
use wasmparser as wp;
use wasmparser::types::{CoreTypeId, TypeIdentifier};

/// wasmparser's implementation limits (its `limits` module is private): modules beyond them are
/// refused, as wasmparser's own validator would, before anything is reserved for their counts.
pub(crate) mod limits {
    pub(crate) const TYPES: u32 = 1_000_000;
    pub(crate) const FUNCTIONS: u32 = 1_000_000;
    pub(crate) const IMPORTS: u32 = 1_000_000;
    pub(crate) const EXPORTS: u32 = 1_000_000;
    pub(crate) const GLOBALS: u32 = 1_000_000;
    pub(crate) const TABLES: u32 = 100_000;
    pub(crate) const ELEMENT_SEGMENTS: u32 = 100_000;
    pub(crate) const DATA_SEGMENTS: u32 = 100_000;
    pub(crate) const FUNCTION_SIZE: u64 = 7_654_321;
}

/// The largest memory of WebAssembly 2.0, in 64 KiB pages (4 GiB).
const MAX_PAGES: u64 = 1 << 16;

/// Sections in the order the binary format requires (custom sections may go anywhere).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Order {
    Start = 0,
    Type,
    Import,
    Function,
    Table,
    Memory,
    Global,
    Export,
    StartFunc,
    Element,
    DataCount,
    Code,
    Data,
}

/// What the module has declared so far, as function validation needs it.
#[derive(Debug, Clone)]
pub(crate) struct ModuleState {
    types: Vec<wp::SubType>,
    /// Type index of every function, imported ones first.
    funcs: Vec<u32>,
    num_imported_funcs: u32,
    /// Functions declared by the function section.
    num_defined_funcs: u32,
    tables: Vec<wp::TableType>,
    memories: Vec<wp::MemoryType>,
    globals: Vec<wp::GlobalType>,
    num_imported_globals: u32,
    elements: Vec<wp::RefType>,
    data_count: Option<u32>,
    /// Functions that `ref.func` may name in a body (bit per function): those named by exports,
    /// element segments and global initialisers.
    referenced: Vec<u64>,
    /// The last section seen.
    order: Order,
    /// Entries of the code section, if there is one, and how many of them have been seen.
    code_count: Option<u32>,
    code_seen: u32,
    /// Segments of the data section, if there is one.
    data_segments: Option<u32>,
    /// Returned for a type id that names no type (never made by this module; see
    /// [`wp::WasmModuleResources::sub_type_at_id`], which cannot fail).
    no_type: wp::SubType,
}

impl Default for ModuleState {
    fn default() -> Self {
        ModuleState {
            types: Vec::new(),
            funcs: Vec::new(),
            num_imported_funcs: 0,
            num_defined_funcs: 0,
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
            num_imported_globals: 0,
            elements: Vec::new(),
            data_count: None,
            referenced: Vec::new(),
            order: Order::Start,
            code_count: None,
            code_seen: 0,
            data_segments: None,
            no_type: wp::SubType {
                is_final: true,
                supertype_idxs: Vec::new(),
                composite_type: wp::CompositeType {
                    inner: wp::CompositeInnerType::Func(wp::FuncType::new([], [])),
                    shared: false,
                    descriptor_idx: None,
                    describes_idx: None,
                },
            },
        }
    }
}

/// Checks that `count` more items fit under `max`, given `have` already.
pub(crate) fn check_count(
    have: usize,
    count: u32,
    max: u32,
    what: &str,
    offset: usize,
) -> Result<(), CompileError> {
    if have.saturating_add(count as usize) > max as usize {
        return Err(err(
            offset,
            alloc::format!("{what} count exceeds limit of {max}"),
        ));
    }
    Ok(())
}

fn type_mismatch(offset: usize) -> CompileError {
    err(offset, "type mismatch in constant expression")
}

impl ModuleState {
    /// Checks that a section of kind `order` may come now.
    pub(crate) fn enter(&mut self, order: Order, offset: usize) -> Result<(), CompileError> {
        if order <= self.order {
            return Err(err(offset, "section out of order"));
        }
        self.order = order;
        Ok(())
    }

    /// Checks a type-section recursion group and records its types.
    pub(crate) fn check_rec_group(
        &mut self,
        group: wp::RecGroup,
        offset: usize,
    ) -> Result<(), CompileError> {
        if group.is_explicit_rec_group() {
            return Err(err(offset, "rec groups need the GC proposal"));
        }
        for sub in group.into_types() {
            let c = &sub.composite_type;
            if !sub.is_final
                || !sub.supertype_idxs.is_empty()
                || c.shared
                || c.descriptor_idx.is_some()
                || c.describes_idx.is_some()
                || !matches!(c.inner, wp::CompositeInnerType::Func(_))
            {
                return Err(err(offset, "unsupported non-function type"));
            }
            // (The section's count, one type per group, was checked against `limits::TYPES`.)
            self.types.push(sub);
        }
        Ok(())
    }

    /// The function type at `index`.
    pub(crate) fn func_type(
        &self,
        index: u32,
        offset: usize,
    ) -> Result<&wp::FuncType, CompileError> {
        match self
            .types
            .get(index as usize)
            .map(|t| &t.composite_type.inner)
        {
            Some(wp::CompositeInnerType::Func(f)) => Ok(f),
            _ => Err(err(offset, "unknown type: type index out of bounds")),
        }
    }

    /// Makes room for `n` more functions (a section's count, already checked against
    /// [`limits::FUNCTIONS`]).
    pub(crate) fn reserve_funcs(&mut self, n: u32) {
        self.funcs.reserve(n as usize);
    }

    /// Checks and records a function of type `ty` (imported first, then declared).
    pub(crate) fn add_func(
        &mut self,
        ty: u32,
        imported: bool,
        offset: usize,
    ) -> Result<(), CompileError> {
        self.func_type(ty, offset)?;
        check_count(self.funcs.len(), 1, limits::FUNCTIONS, "functions", offset)?;
        self.funcs.push(ty);
        if imported {
            self.num_imported_funcs += 1;
        } else {
            self.num_defined_funcs += 1;
        }
        Ok(())
    }

    fn check_limits(
        min: u64,
        max: Option<u64>,
        top: u64,
        offset: usize,
    ) -> Result<(), CompileError> {
        if min > top || max.is_some_and(|m| m > top) {
            return Err(err(offset, "size out of range"));
        }
        if max.is_some_and(|m| m < min) {
            return Err(err(offset, "size minimum must not be greater than maximum"));
        }
        Ok(())
    }

    /// Checks and records a table (imported or defined).
    pub(crate) fn add_table(
        &mut self,
        t: wp::TableType,
        offset: usize,
    ) -> Result<(), CompileError> {
        if t.table64 || t.shared {
            return Err(err(
                offset,
                "unsupported table type (memory64 or shared tables)",
            ));
        }
        crate::convert::ref_type(t.element_type, offset)?;
        Self::check_limits(t.initial, t.maximum, u64::from(u32::MAX), offset)?;
        check_count(self.tables.len(), 1, limits::TABLES, "tables", offset)?;
        self.tables.push(t);
        Ok(())
    }

    /// Checks and records a memory (imported or defined).
    pub(crate) fn add_memory(
        &mut self,
        t: wp::MemoryType,
        offset: usize,
    ) -> Result<(), CompileError> {
        if t.memory64 || t.shared || t.page_size_log2.is_some() {
            return Err(err(
                offset,
                "unsupported memory type (memory64, shared memory or custom page sizes)",
            ));
        }
        Self::check_limits(t.initial, t.maximum, MAX_PAGES, offset)?;
        if !self.memories.is_empty() {
            return Err(err(offset, "multiple memories"));
        }
        self.memories.push(t);
        Ok(())
    }

    /// Checks and records a global's type (imported, or defined with an initialiser checked by
    /// [`ModuleState::check_const`]).
    pub(crate) fn add_global(
        &mut self,
        t: wp::GlobalType,
        imported: bool,
        offset: usize,
    ) -> Result<(), CompileError> {
        if t.shared {
            return Err(err(offset, "unsupported shared global"));
        }
        crate::convert::val_type(t.content_type, offset)?;
        check_count(self.globals.len(), 1, limits::GLOBALS, "globals", offset)?;
        self.globals.push(t);
        if imported {
            self.num_imported_globals += 1;
        }
        Ok(())
    }

    /// Notes that `ref.func` may name function `f` (after checking it exists).
    pub(crate) fn reference(&mut self, f: u32, offset: usize) -> Result<(), CompileError> {
        if f as usize >= self.funcs.len() {
            return Err(err(
                offset,
                "unknown function: function index out of bounds",
            ));
        }
        let word = (f / 64) as usize;
        if self.referenced.len() <= word {
            // Every function is declared before anything references one: one allocation.
            self.referenced.resize(self.funcs.len().div_ceil(64), 0);
        }
        self.referenced[word] |= 1 << (f % 64);
        Ok(())
    }

    /// Checks that constant expression `e` (already decoded) has type `ty`, and notes the
    /// function a `ref.func` names.
    pub(crate) fn check_const(
        &mut self,
        e: &ConstExpr,
        ty: wp::ValType,
        offset: usize,
    ) -> Result<(), CompileError> {
        let ok = match *e {
            ConstExpr::I32(_) => ty == wp::ValType::I32,
            ConstExpr::I64(_) => ty == wp::ValType::I64,
            ConstExpr::F32(_) => ty == wp::ValType::F32,
            ConstExpr::F64(_) => ty == wp::ValType::F64,
            ConstExpr::RefNull(r) => ty == wp::ValType::Ref(wp_ref(r)),
            ConstExpr::RefFunc(f) => {
                self.reference(f, offset)?;
                ty == wp::ValType::FUNCREF
            }
            ConstExpr::GlobalGet(g) => {
                let Some(global) = self.globals.get(g as usize) else {
                    return Err(err(offset, "unknown global: global index out of bounds"));
                };
                if g >= self.num_imported_globals {
                    return Err(err(
                        offset,
                        "constant expression required: global.get of locally defined global",
                    ));
                }
                if global.mutable {
                    return Err(err(
                        offset,
                        "constant expression required: global.get of mutable global",
                    ));
                }
                global.content_type == ty
            }
        };
        if ok {
            Ok(())
        } else {
            Err(type_mismatch(offset))
        }
    }

    /// Checks an export's index; a function becomes referenceable.
    pub(crate) fn check_export(
        &mut self,
        kind: wp::ExternalKind,
        index: u32,
        offset: usize,
    ) -> Result<(), CompileError> {
        let (len, what) = match kind {
            wp::ExternalKind::Func => return self.reference(index, offset),
            wp::ExternalKind::Table => (self.tables.len(), "unknown table"),
            wp::ExternalKind::Memory => (self.memories.len(), "unknown memory"),
            wp::ExternalKind::Global => (self.globals.len(), "unknown global"),
            _ => return Err(err(offset, "unsupported export kind")),
        };
        if index as usize >= len {
            return Err(err(offset, what));
        }
        Ok(())
    }

    /// Checks the start function: it exists and takes and returns nothing.
    pub(crate) fn check_start(&self, f: u32, offset: usize) -> Result<(), CompileError> {
        let ty = self
            .funcs
            .get(f as usize)
            .ok_or_else(|| err(offset, "unknown function: function index out of bounds"))?;
        let ty = self.func_type(*ty, offset)?;
        if !ty.params().is_empty() || !ty.results().is_empty() {
            return Err(err(offset, "invalid start function type"));
        }
        Ok(())
    }

    /// Checks an active element segment's table against the segment's element type.
    pub(crate) fn check_elem_table(
        &self,
        table: u32,
        ty: wp::RefType,
        offset: usize,
    ) -> Result<(), CompileError> {
        match self.tables.get(table as usize) {
            None => Err(err(offset, "unknown table: table index out of bounds")),
            Some(t) if t.element_type != ty => Err(err(offset, "type mismatch: element segment")),
            Some(_) => Ok(()),
        }
    }

    /// Records an element segment's type.
    pub(crate) fn add_elem(&mut self, ty: wp::RefType) {
        self.elements.push(ty);
    }

    /// Checks an active data segment's memory.
    pub(crate) fn check_data_memory(&self, memory: u32, offset: usize) -> Result<(), CompileError> {
        if memory as usize >= self.memories.len() {
            return Err(err(offset, "unknown memory: memory index out of bounds"));
        }
        Ok(())
    }

    /// Checks and records the data count section.
    pub(crate) fn set_data_count(&mut self, count: u32, offset: usize) -> Result<(), CompileError> {
        check_count(0, count, limits::DATA_SEGMENTS, "data segments", offset)?;
        self.data_count = Some(count);
        Ok(())
    }

    /// Checks the data section's count against the data count section.
    pub(crate) fn set_data_segments(
        &mut self,
        count: u32,
        offset: usize,
    ) -> Result<(), CompileError> {
        check_count(0, count, limits::DATA_SEGMENTS, "data segments", offset)?;
        if self.data_count.is_some_and(|c| c != count) {
            return Err(err(
                offset,
                "data count and data section have inconsistent lengths",
            ));
        }
        self.data_segments = Some(count);
        Ok(())
    }

    /// Checks the code section's count against the function section's.
    pub(crate) fn set_code_count(&mut self, count: u32, offset: usize) -> Result<(), CompileError> {
        if count != self.num_defined_funcs {
            return Err(err(
                offset,
                "function and code section have inconsistent lengths",
            ));
        }
        self.code_count = Some(count);
        Ok(())
    }

    /// The next function body: its function index and type index.
    pub(crate) fn next_body(
        &mut self,
        body: &wp::FunctionBody<'_>,
    ) -> Result<(u32, u32), CompileError> {
        let range = body.range();
        let range = range.start as usize..range.end as usize;
        if (range.end - range.start) as u64 > limits::FUNCTION_SIZE {
            return Err(err(range.start, "function body size exceeds limit"));
        }
        let index = self.num_imported_funcs + self.code_seen;
        let ty = self
            .funcs
            .get(index as usize)
            .copied()
            .filter(|_| self.code_seen < self.code_count.unwrap_or(0))
            .ok_or_else(|| {
                err(
                    range.start,
                    "function and code section have inconsistent lengths",
                )
            })?;
        self.code_seen += 1;
        Ok((index, ty))
    }

    /// Checks what only the whole module shows.
    pub(crate) fn finish(&self, offset: usize) -> Result<(), CompileError> {
        if self.num_defined_funcs > 0 && self.code_count.is_none() {
            return Err(err(
                offset,
                "function and code section have inconsistent lengths",
            ));
        }
        if self.data_count.is_some_and(|c| c > 0) && self.data_segments.is_none() {
            return Err(err(
                offset,
                "data count and data section have inconsistent lengths",
            ));
        }
        Ok(())
    }
}

/// wasmparser's form of a WebAssembly 2.0 reference type.
fn wp_ref(r: ember_bytecode::types::RefType) -> wp::RefType {
    match r {
        ember_bytecode::types::RefType::FuncRef => wp::RefType::FUNCREF,
        ember_bytecode::types::RefType::ExternRef => wp::RefType::EXTERNREF,
    }
}

/// The type id of type index `index`: the index itself (types are not canonicalised, as
/// WebAssembly 2.0 compares function types structurally; see [`ModuleState::is_subtype`]).
fn id(index: u32) -> CoreTypeId {
    CoreTypeId::from_index(index)
}

/// A wasmparser error at `offset` (wasmparser offers no public constructor: this decodes an
/// invalid heap type, "invalid heap type").
fn heap_type_error(offset: u64) -> wp::BinaryReaderError {
    let mut r = wp::BinaryReader::new(&[0x40], offset);
    if let Err(e) = r.read::<wp::HeapType>() {
        return e;
    }
    // Should a later wasmparser read 0x40 as a heap type: reading on fails at the end of input.
    loop {
        if let Err(e) = r.read_u8() {
            return e;
        }
    }
}

impl ModuleState {
    fn ref_subtype(&self, a: wp::RefType, b: wp::RefType) -> bool {
        use wp::AbstractHeapType as A;
        use wp::HeapType as H;
        if a == b {
            return true;
        }
        if a.is_nullable() && !b.is_nullable() {
            return false;
        }
        let func = |h: H| match h {
            H::Concrete(i) => match i {
                wp::UnpackedIndex::Id(id) => self.types.get(id.index()).map(|t| &t.composite_type),
                wp::UnpackedIndex::Module(i) => {
                    self.types.get(i as usize).map(|t| &t.composite_type)
                }
                _ => None,
            },
            _ => None,
        };
        match (a.heap_type(), b.heap_type()) {
            (
                H::Concrete(_),
                H::Abstract {
                    shared: false,
                    ty: A::Func,
                },
            ) => true,
            (
                H::Abstract {
                    shared: false,
                    ty: A::NoFunc,
                },
                H::Abstract {
                    shared: false,
                    ty: A::Func,
                }
                | H::Concrete(_),
            ) => true,
            (
                H::Abstract {
                    shared: false,
                    ty: A::NoExtern,
                },
                H::Abstract {
                    shared: false,
                    ty: A::Extern,
                },
            ) => true,
            (H::Abstract { ty: x, .. }, H::Abstract { ty: y, .. }) => x == y,
            (x @ H::Concrete(_), y @ H::Concrete(_)) => {
                matches!((func(x), func(y)), (Some(p), Some(q)) if p == q)
            }
            _ => false,
        }
    }
}

impl wp::WasmModuleResources for ModuleState {
    fn table_at(&self, at: u32) -> Option<wp::TableType> {
        self.tables.get(at as usize).copied()
    }

    fn memory_at(&self, at: u32) -> Option<wp::MemoryType> {
        self.memories.get(at as usize).copied()
    }

    fn tag_at(&self, _at: u32) -> Option<&wp::FuncType> {
        None
    }

    fn global_at(&self, at: u32) -> Option<wp::GlobalType> {
        self.globals.get(at as usize).copied()
    }

    fn sub_type_at(&self, type_index: u32) -> Option<&wp::SubType> {
        self.types.get(type_index as usize)
    }

    fn sub_type_at_id(&self, id: CoreTypeId) -> &wp::SubType {
        self.types.get(id.index()).unwrap_or(&self.no_type)
    }

    fn type_id_of_function(&self, func_idx: u32) -> Option<CoreTypeId> {
        self.funcs.get(func_idx as usize).map(|&t| id(t))
    }

    fn type_index_of_function(&self, func_index: u32) -> Option<u32> {
        self.funcs.get(func_index as usize).copied()
    }

    fn element_type_at(&self, at: u32) -> Option<wp::RefType> {
        self.elements.get(at as usize).copied()
    }

    fn is_subtype(&self, a: wp::ValType, b: wp::ValType) -> bool {
        match (a, b) {
            (wp::ValType::Ref(a), wp::ValType::Ref(b)) => self.ref_subtype(a, b),
            _ => a == b,
        }
    }

    fn is_shared(&self, _ty: wp::RefType) -> bool {
        false
    }

    fn check_heap_type(
        &self,
        heap_type: &mut wp::HeapType,
        offset: u64,
    ) -> Result<(), wp::BinaryReaderError> {
        use wp::AbstractHeapType as A;
        match *heap_type {
            wp::HeapType::Abstract {
                shared: false,
                ty: A::Func | A::Extern,
            } => Ok(()),
            wp::HeapType::Concrete(wp::UnpackedIndex::Module(i))
                if (i as usize) < self.types.len() =>
            {
                *heap_type = wp::HeapType::Concrete(wp::UnpackedIndex::Id(id(i)));
                Ok(())
            }
            wp::HeapType::Concrete(wp::UnpackedIndex::Id(i)) if i.index() < self.types.len() => {
                Ok(())
            }
            _ => Err(heap_type_error(offset)),
        }
    }

    fn top_type(&self, heap_type: &wp::HeapType) -> wp::HeapType {
        use wp::AbstractHeapType as A;
        match *heap_type {
            wp::HeapType::Abstract {
                shared,
                ty: A::Extern | A::NoExtern,
            } => wp::HeapType::Abstract {
                shared,
                ty: A::Extern,
            },
            wp::HeapType::Abstract { shared, ty } => wp::HeapType::Abstract {
                shared,
                ty: if matches!(ty, A::Func | A::NoFunc) {
                    A::Func
                } else {
                    ty
                },
            },
            _ => wp::HeapType::Abstract {
                shared: false,
                ty: A::Func,
            },
        }
    }

    fn element_count(&self) -> u32 {
        self.elements.len() as u32
    }

    fn data_count(&self) -> Option<u32> {
        self.data_count
    }

    fn is_function_referenced(&self, idx: u32) -> bool {
        self.referenced
            .get((idx / 64) as usize)
            .is_some_and(|w| w >> (idx % 64) & 1 == 1)
    }

    fn has_function_exact_type(&self, _idx: u32) -> bool {
        false
    }
}
