//! Compiled modules.

use crate::engine::Engine;
use crate::error::Result;
use crate::externals::ExternType;
use alloc::rc::Rc;
use alloc::vec::Vec;
use ember_bytecode::module::{CompiledModule, ExternKind, ImportType as RawImportType};

/// A validated module translated to bytecode (cheap to clone).
#[derive(Debug, Clone)]
pub struct Module {
    pub(crate) inner: Rc<ModuleInner>,
}

#[derive(Debug)]
pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    pub(crate) compiled: CompiledModule,
}

/// An import of a module: where it comes from and the type it must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportType<'a> {
    module: &'a str,
    name: &'a str,
    ty: ExternType,
}

impl<'a> ImportType<'a> {
    /// The module name of the import.
    pub fn module(&self) -> &'a str {
        self.module
    }
    /// The field name of the import.
    pub fn name(&self) -> &'a str {
        self.name
    }
    /// The type the imported item must have.
    pub fn ty(&self) -> ExternType {
        self.ty.clone()
    }
}

/// An export of a module: its name and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportType<'a> {
    name: &'a str,
    ty: ExternType,
}

impl<'a> ExportType<'a> {
    /// The export name.
    pub fn name(&self) -> &'a str {
        self.name
    }
    /// The type of the exported item.
    pub fn ty(&self) -> ExternType {
        self.ty.clone()
    }
}

/// The magic number every binary module starts with.
#[cfg(feature = "wat")]
const WASM_MAGIC: &[u8; 4] = b"\0asm";

impl Module {
    /// Validates and translates a module.
    ///
    /// `bytes` is a binary module, or (with the `wat` feature, on by default) WebAssembly text,
    /// detected by the absence of the `\0asm` magic number. A malformed or invalid module, or
    /// text that does not parse, gives [`Error::Compile`](crate::Error::Compile).
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module> {
        let bytes = bytes.as_ref();
        #[cfg(feature = "wat")]
        if !bytes.starts_with(WASM_MAGIC) {
            let wasm = wat::parse_bytes(bytes).map_err(|e| crate::error::CompileError {
                message: alloc::format!("{e}"),
                offset: 0,
                func_index: None,
            })?;
            return Module::from_binary(engine, &wasm);
        }
        Module::from_binary(engine, bytes)
    }

    /// Validates and translates a binary module (text is not accepted).
    pub fn from_binary(engine: &Engine, wasm: &[u8]) -> Result<Module> {
        let compiled = engine.translate(wasm)?;
        // The executor runs translated code without bounds checks on its bytes and slots,
        // trusting the translator as it trusts the verifier for precompiled code; debug builds
        // (the test suite, the fuzzers) hold the translator to the verifier's rules.
        #[cfg(debug_assertions)]
        if let Err(e) = ember_bytecode::verify::verify_module(&compiled) {
            panic!("translator output fails verification: {e}");
        }
        Ok(Module::from_compiled(engine, compiled))
    }

    /// Encodes the translated module as a precompiled blob (layout in `docs/format.md`), to be
    /// loaded later with [`Module::deserialize`] without translating again.
    ///
    /// ```
    /// let engine = ember::Engine::default();
    /// let module = ember::Module::new(&engine, "(module (func (export \"f\") (result i32) i32.const 7))")?;
    /// let blob = module.serialize();
    /// let again = ember::Module::deserialize(&engine, &blob)?;
    /// assert_eq!(again.compiled(), module.compiled());
    /// # Ok::<(), ember::Error>(())
    /// ```
    pub fn serialize(&self) -> Vec<u8> {
        ember_bytecode::format::serialize(&self.inner.compiled)
    }

    /// Loads a blob written by [`Module::serialize`]. Safe on untrusted bytes: the blob is
    /// decoded with every read bounds-checked and then verified (every instruction decodes,
    /// slots lie in their frame, branches land on instructions of the same function, indices are
    /// in range and of the right kind; see `ember_bytecode::verify`), so it either gives an
    /// error or a module that runs without panicking. A blob from another format version,
    /// feature set or instruction set (another Ember version) is refused with a message saying
    /// to recompile it. Errors are [`Error::Compile`](crate::Error::Compile) with the byte offset
    /// in the blob (format errors) or the function and code offset (verification errors).
    pub fn deserialize(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        let compiled = ember_bytecode::format::deserialize(bytes).map_err(load_error)?;
        Ok(Module::from_compiled(engine, compiled))
    }

    /// Like [`Module::deserialize`], but the bytecode is executed where it lies in `bytes`
    /// instead of being copied to the heap: for firmware that keeps precompiled modules in flash
    /// (`include_bytes!` in a `static`). The blob is verified exactly as by `deserialize`; only
    /// the module's declarations (types, imports, exports, segments) are copied to the heap.
    ///
    /// ```
    /// # let engine = ember::Engine::default();
    /// # let module = ember::Module::new(&engine, "(module (func (export \"f\") (result i32) i32.const 7))")?;
    /// // Typically `static BLOB: &[u8] = include_bytes!("app.ember");`
    /// let blob: &'static [u8] = module.serialize().leak();
    /// let module = ember::Module::deserialize_static(&engine, blob)?;
    /// assert!(module.compiled().code.is_static());
    /// # Ok::<(), ember::Error>(())
    /// ```
    pub fn deserialize_static(engine: &Engine, bytes: &'static [u8]) -> Result<Module> {
        let compiled = ember_bytecode::format::deserialize_static(bytes).map_err(load_error)?;
        Ok(Module::from_compiled(engine, compiled))
    }

    /// Whether `bytes` starts with the magic number of a precompiled module (as written by
    /// [`Module::serialize`]); only the first 8 bytes are looked at.
    pub fn is_precompiled(bytes: &[u8]) -> bool {
        ember_bytecode::format::is_precompiled(bytes)
    }

    /// Wraps an already translated module.
    pub(crate) fn from_compiled(engine: &Engine, compiled: CompiledModule) -> Module {
        Module {
            inner: Rc::new(ModuleInner {
                engine: engine.clone(),
                compiled,
            }),
        }
    }

    /// The translated module: types, imports, exports, segments and bytecode.
    pub fn compiled(&self) -> &CompiledModule {
        &self.inner.compiled
    }

    /// The engine that compiled this module.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The imports, in order.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = ImportType<'_>> + '_ {
        let m = &self.inner.compiled;
        m.imports.iter().map(move |i| ImportType {
            module: &i.module,
            name: &i.name,
            ty: match i.ty {
                RawImportType::Func(t) => ExternType::Func(
                    m.types
                        .get(t as usize)
                        .cloned()
                        .unwrap_or_else(|| crate::FuncType::new([], [])),
                ),
                RawImportType::Table(t) => ExternType::Table(t),
                RawImportType::Memory(t) => ExternType::Memory(t),
                RawImportType::Global(t) => ExternType::Global(t),
            },
        })
    }

    /// The exports, in order.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = ExportType<'_>> + '_ {
        let m = &self.inner.compiled;
        m.exports.iter().map(move |e| ExportType {
            name: &e.name,
            ty: export_type(m, e.kind, e.index),
        })
    }

    /// The type of the export `name`, if there is one.
    pub fn get_export(&self, name: &str) -> Option<ExternType> {
        let m = &self.inner.compiled;
        let e = m.exports.iter().find(|e| e.name == name)?;
        Some(export_type(m, e.kind, e.index))
    }
}

/// The type of a module item. Indices come from a validated module; out-of-range ones (which
/// validation rules out) give an empty function type or zero limits rather than a panic.
/// A precompiled blob that failed to load, as an [`Error::Compile`](crate::Error::Compile).
fn load_error(e: ember_bytecode::format::LoadError) -> crate::Error {
    use ember_bytecode::format::LoadError;
    match e {
        LoadError::Format(e) => crate::error::CompileError {
            message: e.message,
            offset: e.offset,
            func_index: None,
        },
        LoadError::Verify(e) => crate::error::CompileError {
            message: alloc::format!("precompiled module rejected: {}", e.message),
            offset: e.offset,
            func_index: e.func,
        },
    }
    .into()
}

fn export_type(m: &CompiledModule, kind: ExternKind, index: u32) -> ExternType {
    use ember_bytecode::types::{GlobalType, Limits, MemoryType, RefType, TableType, ValType};
    let i = index as usize;
    let zero = Limits { min: 0, max: None };
    match kind {
        ExternKind::Func => ExternType::Func(
            m.func_type(index)
                .cloned()
                .unwrap_or_else(|| crate::FuncType::new([], [])),
        ),
        ExternKind::Table => ExternType::Table(m.tables.get(i).copied().unwrap_or(TableType {
            element: RefType::FuncRef,
            limits: zero,
        })),
        ExternKind::Memory => ExternType::Memory(
            m.memories
                .get(i)
                .copied()
                .unwrap_or(MemoryType { limits: zero }),
        ),
        ExternKind::Global => ExternType::Global(m.globals.get(i).copied().unwrap_or(GlobalType {
            content: ValType::I32,
            mutable: false,
        })),
    }
}
