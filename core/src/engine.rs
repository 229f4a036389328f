//! The engine: configuration plus the translator state reused for every module.

use crate::config::Config;
use alloc::rc::Rc;
#[cfg(feature = "translate")]
use alloc::vec::Vec;
#[cfg(feature = "translate")]
use core::cell::RefCell;
use core::fmt;
#[cfg(feature = "translate")]
use ember_bytecode::module::{CompiledModule, FuncBody};
#[cfg(feature = "translate")]
use ember_validate::{CompileError, LazyBodies, Translator};

/// Compiles modules; shared by stores and modules (cheap to clone: a reference count).
///
/// The engine owns one translator whose buffers are reused for every module it compiles.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Rc<EngineInner>,
}

pub(crate) struct EngineInner {
    pub(crate) config: Config,
    #[cfg(feature = "translate")]
    translator: RefCell<Translator>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(&Config::default())
    }
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine with this configuration.
    pub fn new(config: &Config) -> Self {
        Engine {
            inner: Rc::new(EngineInner {
                config: config.clone(),
                #[cfg(feature = "translate")]
                translator: RefCell::new({
                    let mut t = Translator::new();
                    t.float_superinstructions(config.float_superinstructions);
                    t
                }),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Whether two handles refer to the same engine.
    pub fn same(a: &Engine, b: &Engine) -> bool {
        Rc::ptr_eq(&a.inner, &b.inner)
    }

    /// Runs `f` with the engine's translator.
    #[cfg(feature = "translate")]
    fn with_translator<R>(&self, f: impl FnOnce(&mut Translator) -> R) -> R {
        match self.inner.translator.try_borrow_mut() {
            Ok(mut t) => f(&mut t),
            // The translator is only borrowed for the duration of one translation, which does
            // not call back into Ember, so this is unreachable; a fresh translator keeps it safe.
            Err(_) => f(Translator::new()
                .float_superinstructions(self.inner.config.float_superinstructions)),
        }
    }

    /// Validates and translates a binary module with the engine's translator.
    #[cfg(feature = "translate")]
    pub(crate) fn translate(&self, wasm: &[u8]) -> Result<CompiledModule, CompileError> {
        self.with_translator(|t| t.translate(wasm))
    }

    /// Loads a binary module without translating its function bodies (validating them if
    /// `validate_bodies`).
    #[cfg(feature = "translate")]
    pub(crate) fn translate_lazy(
        &self,
        wasm: &[u8],
        validate_bodies: bool,
    ) -> Result<(CompiledModule, LazyBodies), CompileError> {
        self.with_translator(|t| t.translate_lazy(wasm, validate_bodies))
    }

    /// Translates defined function `index` of a lazily loaded module, appending to `code`.
    #[cfg(feature = "translate")]
    pub(crate) fn translate_body(
        &self,
        wasm: &[u8],
        m: &CompiledModule,
        lazy: &LazyBodies,
        index: usize,
        code: &mut Vec<u8>,
    ) -> Result<FuncBody, CompileError> {
        self.with_translator(|t| t.translate_body(wasm, m, lazy, index, code))
    }
}
