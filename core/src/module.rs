//! Compiled modules.

#[cfg(feature = "translate")]
use crate::config::CompilationMode;
use crate::engine::Engine;
use crate::error::Result;
use crate::externals::ExternType;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::{Ref, RefCell};
use ember_bytecode::module::UNTRANSLATED;
use ember_bytecode::module::{CompiledModule, ExternKind, FuncBody, ImportType as RawImportType};
#[cfg(feature = "translate")]
use ember_validate::LazyBodies;

/// Without the `translate` feature no module is lazily compiled: this type has no values.
#[cfg(not(feature = "translate"))]
#[derive(Debug)]
pub(crate) enum LazyBodies {}

/// A validated module translated to bytecode (cheap to clone).
#[derive(Debug, Clone)]
pub struct Module {
    pub(crate) inner: Rc<ModuleInner>,
}

#[derive(Debug)]
pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    /// The module. Lazily compiled: its declarations only (bodies are `UNTRANSLATED`
    /// placeholders, the code is empty); what has been translated is in `lazy`.
    pub(crate) compiled: CompiledModule,
    /// For a lazily compiled module: the wasm and the functions translated so far.
    pub(crate) lazy: Option<Lazy>,
    /// The code the executor runs, when it is not the stored code: with room in front of
    /// every instruction (`exec::GAP` bytes, for tail dispatch's handler addresses). Each
    /// function is copied there when it is first called, like a lazily translated one.
    pub(crate) spread: Option<RefCell<LazyCode>>,
}

/// A lazily compiled module's wasm and translation state.
#[derive(Debug)]
pub(crate) struct Lazy {
    wasm: Box<[u8]>,
    bodies: LazyBodies,
    /// Borrowed (shared) while the executor runs the module's code; borrowed mutably only to
    /// translate a function, which the executor does outside its dispatch.
    state: RefCell<LazyCode>,
}

/// The functions of a lazily compiled module translated so far.
#[derive(Debug)]
pub(crate) struct LazyCode {
    code: Vec<u8>,
    /// Every defined function; `code_start == UNTRANSLATED` until translated.
    bodies: Vec<FuncBody>,
}

/// The code and bodies the executor runs, borrowed from a module.
pub(crate) enum View<'a> {
    Eager(&'a CompiledModule),
    Lazy(Ref<'a, LazyCode>),
}

impl View<'_> {
    /// All bytecode translated so far.
    pub(crate) fn code(&self) -> &[u8] {
        match self {
            View::Eager(m) => &m.code,
            View::Lazy(l) => &l.code,
        }
    }
    /// Every defined function's body (`UNTRANSLATED` ones not yet runnable).
    pub(crate) fn bodies(&self) -> &[FuncBody] {
        match self {
            View::Eager(m) => &m.bodies,
            View::Lazy(l) => &l.bodies,
        }
    }
}

impl ModuleInner {
    /// Makes a module's inner state.
    pub(crate) fn new(
        engine: &Engine,
        compiled: CompiledModule,
        lazy: Option<Lazy>,
    ) -> ModuleInner {
        let spread = cfg!(ember_tail_dispatch).then(|| {
            let mut bodies = compiled.bodies.clone();
            for b in &mut bodies {
                b.code_start = UNTRANSLATED;
            }
            RefCell::new(LazyCode {
                code: Vec::new(),
                bodies,
            })
        });
        ModuleInner {
            engine: engine.clone(),
            compiled,
            lazy,
            spread,
        }
    }

    /// The code and bodies to run.
    pub(crate) fn view(&self) -> Option<View<'_>> {
        if let Some(s) = &self.spread {
            return s.try_borrow().ok().map(View::Lazy);
        }
        match &self.lazy {
            None => Some(View::Eager(&self.compiled)),
            Some(l) => l.state.try_borrow().ok().map(View::Lazy),
        }
    }

    /// The body of module function `func` if it is defined; `code_start == UNTRANSLATED` if
    /// it must be translated first ([`ModuleInner::translate`]).
    pub(crate) fn body(&self, func: u32) -> Option<FuncBody> {
        let index = func.checked_sub(self.compiled.num_imported_funcs)? as usize;
        if let Some(s) = &self.spread {
            return s.try_borrow().ok()?.bodies.get(index).copied();
        }
        match &self.lazy {
            None => self.compiled.bodies.get(index).copied(),
            Some(l) => l.state.try_borrow().ok()?.bodies.get(index).copied(),
        }
    }

    /// Makes module function `func` ready to run if it is defined and not yet: translates it
    /// (lazy compilation) and copies it to the code the executor runs (tail dispatch).
    pub(crate) fn translate(&self, func: u32) -> Result<()> {
        self.translate_stored(func)?;
        self.spread_func(func)
    }

    /// Copies module function `func`'s stored code to `spread` (if that is used and the
    /// function is defined and not copied yet), writing each instruction's handler.
    fn spread_func(&self, func: u32) -> Result<()> {
        #[cfg(ember_tail_dispatch)]
        if let Some(spread) = &self.spread {
            let Some(index) = func
                .checked_sub(self.compiled.num_imported_funcs)
                .map(|i| i as usize)
            else {
                return Ok(());
            };
            let mut s = spread.try_borrow_mut().map_err(|_| running())?;
            match s.bodies.get(index) {
                Some(b) if b.code_start == UNTRANSLATED => {}
                _ => return Ok(()),
            }
            let lazy_state = match &self.lazy {
                Some(l) => Some(l.state.try_borrow().map_err(|_| running())?),
                None => None,
            };
            let (code, bodies) = match &lazy_state {
                Some(l) => (&l.code[..], &l.bodies[..]),
                None => (&self.compiled.code[..], &self.compiled.bodies[..]),
            };
            let bad = |message: alloc::string::String| crate::error::CompileError {
                message,
                offset: 0,
                func_index: Some(func),
            };
            let body = *bodies
                .get(index)
                .ok_or_else(|| bad("function has no body".into()))?;
            let src = code
                .get(body.code_start as usize..)
                .and_then(|c| c.get(..body.code_len as usize))
                .ok_or_else(|| bad("function body outside the code".into()))?;
            let LazyCode { code: out, bodies } = &mut *s;
            let start = out.len();
            ember_bytecode::spread::spread(
                src,
                crate::exec::GAP,
                out,
                crate::exec::effect,
                crate::exec::write_handler,
            )
            .map_err(|e| bad(alloc::format!("bytecode: {e}")))?;
            let (Ok(code_start), Ok(code_len)) =
                (u32::try_from(start), u32::try_from(out.len() - start))
            else {
                return Err(bad("code too large to run".into()).into());
            };
            bodies[index] = FuncBody {
                code_start,
                code_len,
                ..body
            };
        }
        let _ = func;
        Ok(())
    }

    /// Translates module function `func` if it is defined and not translated yet (lazy
    /// compilation).
    fn translate_stored(&self, func: u32) -> Result<()> {
        let Some(lazy) = &self.lazy else {
            return Ok(());
        };
        let Some(index) = func
            .checked_sub(self.compiled.num_imported_funcs)
            .map(|i| i as usize)
        else {
            return Ok(());
        };
        let mut state = lazy.state.try_borrow_mut().map_err(|_| running())?;
        let LazyCode { code, bodies } = &mut *state;
        match bodies.get(index) {
            Some(b) if b.code_start == UNTRANSLATED => {}
            _ => return Ok(()),
        }
        #[cfg(feature = "translate")]
        {
            let body = self.engine.translate_body(
                &lazy.wasm,
                &self.compiled,
                &lazy.bodies,
                index,
                code,
            )?;
            bodies[index] = body;
            Ok(())
        }
        #[cfg(not(feature = "translate"))]
        {
            let _ = (code, &lazy.wasm);
            match lazy.bodies {}
        }
    }

    /// Translates every function not translated yet.
    pub(crate) fn translate_all(&self) -> Result<()> {
        let n = self.compiled.bodies.len() as u32;
        for k in 0..n {
            self.translate_stored(self.compiled.num_imported_funcs + k)?;
        }
        Ok(())
    }

    /// The whole translated module (after [`ModuleInner::translate_all`]).
    fn complete(&self) -> Result<CompiledModule> {
        let Some(lazy) = &self.lazy else {
            return Ok(self.compiled.clone());
        };
        self.translate_all()?;
        let state = lazy.state.try_borrow().map_err(|_| {
            crate::Error::Usage(alloc::string::String::from(
                "a module cannot be serialized while its code is being translated",
            ))
        })?;
        let mut m = self.compiled.clone();
        m.bodies.clone_from(&state.bodies);
        m.code = state.code.clone().into();
        Ok(m)
    }
}

/// The error of translating a function while its module's code is borrowed.
fn running() -> crate::Error {
    crate::Error::Usage(alloc::string::String::from(
        "a function cannot be translated while its module's code is running",
    ))
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
    #[cfg(feature = "translate")]
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
    #[cfg(feature = "translate")]
    pub fn from_binary(engine: &Engine, wasm: &[u8]) -> Result<Module> {
        let validate_bodies = match engine.config().compilation_mode {
            CompilationMode::Eager => return Module::from_wasm_eager(engine, wasm),
            CompilationMode::LazyTranslation => true,
            CompilationMode::Lazy => false,
        };
        let (compiled, bodies) = engine.translate_lazy(wasm, validate_bodies)?;
        let state = RefCell::new(LazyCode {
            code: Vec::new(),
            bodies: compiled.bodies.clone(),
        });
        Ok(Module {
            inner: Rc::new(ModuleInner::new(
                engine,
                compiled,
                Some(Lazy {
                    wasm: wasm.into(),
                    bodies,
                    state,
                }),
            )),
        })
    }

    /// Validates and translates every function now.
    #[cfg(feature = "translate")]
    fn from_wasm_eager(engine: &Engine, wasm: &[u8]) -> Result<Module> {
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
    /// let blob = module.serialize()?;
    /// let again = ember::Module::deserialize(&engine, &blob)?;
    /// assert_eq!(again.serialize()?, blob);
    /// # Ok::<(), ember::Error>(())
    /// ```
    pub fn serialize(&self) -> Result<Vec<u8>> {
        Ok(ember_bytecode::format::serialize(&self.inner.complete()?))
    }

    /// Translates every function of a lazily compiled module that has not been translated
    /// yet (nothing to do for an eagerly compiled or precompiled one). In
    /// [`CompilationMode::Lazy`](crate::CompilationMode::Lazy) this is where an invalid function body is reported.
    pub fn translate_all(&self) -> Result<()> {
        self.inner.translate_all()
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
    /// let blob: &'static [u8] = module.serialize()?.leak();
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
            inner: Rc::new(ModuleInner::new(engine, compiled, None)),
        }
    }

    /// The translated module: types, imports, exports, segments and bytecode. For a lazily
    /// compiled module ([`CompilationMode`](crate::CompilationMode) other than `Eager`), only the declarations: its
    /// function bodies are placeholders (`code_start ==` [`UNTRANSLATED`](ember_bytecode::module::UNTRANSLATED)) and its
    /// code is empty; [`Module::serialize`] gives the whole translation.
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
            message: ember_bytecode::msg!("precompiled module rejected: ", e.message),
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
