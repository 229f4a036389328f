//! Both engines behind one small interface: compile, instantiate, call `(i32) -> i64` exports.

use std::collections::HashMap;

/// How a module is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Validate and translate every function up front.
    Eager,
    /// The engine's lazy mode (wasmi: its default, `LazyTranslation`).
    Lazy,
}

/// An error from either engine, as text.
pub type Error = String;

fn err(e: impl std::fmt::Display) -> Error {
    e.to_string()
}

/// An instantiated module on Ember.
pub struct EmberInstance {
    store: ember::Store<()>,
    instance: ember::Instance,
    funcs: HashMap<&'static str, ember::TypedFunc<i32, i64>>,
}

/// An Ember engine in compilation `mode`.
pub fn ember_engine(mode: ember::CompilationMode) -> ember::Engine {
    ember::Engine::new(&ember::Config::default().compilation_mode(mode))
}

/// Compiles an Ember module (mode as configured on `engine`).
pub fn ember_compile(engine: &ember::Engine, bytes: &[u8]) -> Result<ember::Module, Error> {
    ember::Module::from_binary(engine, bytes).map_err(err)
}

/// Instantiates an Ember module in a fresh store.
pub fn ember_instantiate(
    engine: &ember::Engine,
    module: &ember::Module,
) -> Result<EmberInstance, Error> {
    let mut store = ember::Store::new(engine, ());
    let linker = ember::Linker::<()>::new(engine);
    let instance = linker.instantiate(&mut store, module).map_err(err)?;
    Ok(EmberInstance {
        store,
        instance,
        funcs: HashMap::new(),
    })
}

impl EmberInstance {
    /// Calls export `name` with `n`.
    pub fn call(&mut self, name: &'static str, n: i32) -> Result<i64, Error> {
        let f = match self.funcs.get(name) {
            Some(f) => *f,
            None => {
                let f = self
                    .instance
                    .get_typed_func::<i32, i64>(&self.store, name)
                    .map_err(err)?;
                self.funcs.insert(name, f);
                f
            }
        };
        f.call(&mut self.store, n).map_err(err)
    }
}

/// A wasmi engine configured for `mode`.
pub fn wasmi_engine(mode: Mode) -> wasmi::Engine {
    let mut config = wasmi::Config::default();
    config.compilation_mode(match mode {
        Mode::Eager => wasmi::CompilationMode::Eager,
        Mode::Lazy => wasmi::CompilationMode::LazyTranslation,
    });
    wasmi::Engine::new(&config)
}

/// Compiles `bytes` on wasmi (in the engine's mode).
pub fn wasmi_compile(engine: &wasmi::Engine, bytes: &[u8]) -> Result<wasmi::Module, Error> {
    wasmi::Module::new(engine, bytes).map_err(err)
}

/// An instantiated module on wasmi.
pub struct WasmiInstance {
    store: wasmi::Store<()>,
    instance: wasmi::Instance,
    funcs: HashMap<&'static str, wasmi::TypedFunc<i32, i64>>,
}

/// Instantiates a wasmi module in a fresh store.
pub fn wasmi_instantiate(
    engine: &wasmi::Engine,
    module: &wasmi::Module,
) -> Result<WasmiInstance, Error> {
    let mut store = wasmi::Store::new(engine, ());
    let linker = wasmi::Linker::<()>::new(engine);
    let instance = linker
        .instantiate_and_start(&mut store, module)
        .map_err(err)?;
    Ok(WasmiInstance {
        store,
        instance,
        funcs: HashMap::new(),
    })
}

impl WasmiInstance {
    /// Calls export `name` with `n`.
    pub fn call(&mut self, name: &'static str, n: i32) -> Result<i64, Error> {
        let f = match self.funcs.get(name) {
            Some(f) => *f,
            None => {
                let f = self
                    .instance
                    .get_typed_func::<i32, i64>(&self.store, name)
                    .map_err(err)?;
                self.funcs.insert(name, f);
                f
            }
        };
        f.call(&mut self.store, n).map_err(err)
    }
}
