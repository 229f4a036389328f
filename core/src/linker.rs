//! The linker: named definitions that resolve module imports.

use crate::context::{AsContext, AsContextMut};
use crate::engine::Engine;
use crate::error::{Error, Result, Trap};
use crate::externals::Extern;
use crate::func::Func;
use crate::index::{HASH_START, Index, hash};
use crate::instance::Instance;
use crate::module::Module;
use crate::store::{Caller, HostFunc, Store};
use crate::typed::IntoFunc;
use crate::value::Val;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::Cell;
use core::cmp::Ordering;
use ember_bytecode::msg;
use ember_bytecode::types::FuncType;

/// A definition: an item of a store, or a host function not yet placed in a store.
enum Definition<T> {
    Extern(Extern),
    Host {
        ty: FuncType,
        func: HostFunc<T>,
        /// The function created for the store last used (so repeated instantiations in one
        /// store share it).
        cached: Cell<Option<Func>>,
    },
}

/// Defines imports by `module::name` and instantiates modules with them.
///
/// Host functions defined with [`func_wrap`](Linker::func_wrap) or
/// [`func_new`](Linker::func_new) belong to no store; they are added to a store when first
/// used with it. Items defined with [`define`](Linker::define) or [`instance`](Linker::instance)
/// belong to one store and can only be used with it.
pub struct Linker<T> {
    engine: Engine,
    /// Every definition, in the order first defined.
    defs: Vec<Named<T>>,
    /// `defs` by `module::name`.
    index: Index,
    allow_shadowing: bool,
}

/// A definition and its name.
struct Named<T> {
    module: String,
    name: String,
    def: Definition<T>,
}

impl<T> Named<T> {
    /// Orders this definition's name relative to `module::name`.
    fn order(&self, module: &str, name: &str) -> Ordering {
        (self.module.as_str(), self.name.as_str()).cmp(&(module, name))
    }
}

/// A hash of `module::name` for [`Index`] (0xFF, which UTF-8 never uses, separates the two).
fn name_hash(module: &str, name: &str) -> u32 {
    let module = hash(HASH_START, module.bytes());
    hash(module, core::iter::once(0xFF).chain(name.bytes()))
}

impl<T> core::fmt::Debug for Linker<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut names: Vec<(&str, &str)> = self
            .defs
            .iter()
            .map(|d| (d.module.as_str(), d.name.as_str()))
            .collect();
        names.sort_unstable();
        f.debug_struct("Linker")
            .field("definitions", &names)
            .field("allow_shadowing", &self.allow_shadowing)
            .finish()
    }
}

impl<T: 'static> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &Engine) -> Self {
        Linker {
            engine: engine.clone(),
            defs: Vec::new(),
            index: Index::default(),
            allow_shadowing: false,
        }
    }

    /// The engine this linker was created for.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a definition may replace an earlier one with the same name (default: `false`,
    /// redefinition is an error).
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    /// The definition of `module::name`.
    fn lookup(&self, module: &str, name: &str) -> Option<&Definition<T>> {
        let defs = &self.defs;
        let id = self.index.find(name_hash(module, name), &mut |id| {
            defs[id as usize].order(module, name)
        })?;
        Some(&defs[id as usize].def)
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<&mut Self> {
        let defs = &self.defs;
        let hash = name_hash(module, name);
        match self
            .index
            .find(hash, &mut |id| defs[id as usize].order(module, name))
        {
            Some(_) if !self.allow_shadowing => {
                return Err(Error::Link(msg!(module, "::", name, " is already defined")));
            }
            Some(id) => self.defs[id as usize].def = def,
            None => {
                let id = self.defs.len() as u32;
                self.defs.push(Named {
                    module: module.to_string(),
                    name: name.to_string(),
                    def,
                });
                let defs = &self.defs;
                self.index.insert(hash, id, &mut |a, b| {
                    let b = &defs[b as usize];
                    defs[a as usize].order(&b.module, &b.name)
                });
            }
        }
        Ok(self)
    }

    /// Defines `module::name` as `item`, an item of `store`.
    ///
    /// Errors if the name is already defined (unless shadowing is allowed) or `item` belongs to
    /// another store.
    pub fn define(
        &mut self,
        store: impl AsContext<Data = T>,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self> {
        let item = item.into();
        store
            .as_context()
            .store
            .inner
            .check(item.store_id(), "definition")?;
        self.insert(module, name, Definition::Extern(item))
    }

    /// Defines `module::name` as a host function built from a closure (see [`Func::wrap`]).
    ///
    /// ```
    /// use ember::{Caller, Engine, Linker};
    /// let mut linker = Linker::<u32>::new(&Engine::default());
    /// linker.func_wrap("env", "add", |a: i32, b: i32| a + b).unwrap();
    /// linker.func_wrap("env", "count", |mut caller: Caller<'_, u32>| {
    ///     *caller.data_mut() += 1;
    /// }).unwrap();
    /// ```
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self> {
        let (ty, func) = func.into_func();
        self.insert(
            module,
            name,
            Definition::Host {
                ty,
                func,
                cached: Cell::new(None),
            },
        )
    }

    /// Defines `module::name` as a host function of type `ty` (see [`Func::new`]).
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + 'static,
    ) -> Result<&mut Self> {
        // Build the checking wrapper through `Func::new`'s logic, without a store.
        let func = crate::func::checked_host(&ty, func);
        self.insert(
            module,
            name,
            Definition::Host {
                ty,
                func,
                cached: Cell::new(None),
            },
        )
    }

    /// Defines every export of `instance` as `module::export_name`.
    ///
    /// Errors if a name is already defined (unless shadowing is allowed) or `instance` belongs
    /// to another store.
    pub fn instance(
        &mut self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self> {
        let store = store.as_context_mut().store;
        store.inner.check(instance.store, "instance")?;
        let exports: Vec<(String, Extern)> = instance
            .exports(&*store)
            .map(|(n, e)| (n.to_string(), e))
            .collect();
        for (name, ext) in exports {
            self.insert(module, &name, Definition::Extern(ext))?;
        }
        Ok(self)
    }

    /// Instantiates `module` (see [`instantiate`](Linker::instantiate)) and defines its exports
    /// as `name::export_name` (see [`instance`](Linker::instance)).
    pub fn module(
        &mut self,
        mut store: impl AsContextMut<Data = T>,
        name: &str,
        module: &Module,
    ) -> Result<Instance> {
        let instance = self.instantiate(&mut store, module)?;
        self.instance(&mut store, name, instance)?;
        Ok(instance)
    }

    /// The definition of `module::name`, as an item of `store` (host functions are added to
    /// the store on first use). `None` if undefined, or defined as an item of another store.
    pub fn get(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        let def = self.lookup(module, name)?;
        resolve(def, store.as_context_mut().store)
    }

    /// Instantiates `module`, resolving each import by name, and runs its start function.
    ///
    /// Errors with [`Error::Link`] `"unknown import: module::name"` for an undefined import,
    /// and otherwise as [`Instance::new`].
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance> {
        let store = store.as_context_mut().store;
        let mut imports = Vec::with_capacity(module.compiled().imports.len());
        for import in &module.compiled().imports {
            let def = self.lookup(&import.module, &import.name).ok_or_else(|| {
                Error::Link(msg!("unknown import: ", import.module, "::", import.name))
            })?;
            let ext = resolve(def, store).ok_or_else(|| {
                Error::Usage(msg!(
                    "import ",
                    import.module,
                    "::",
                    import.name,
                    " is defined in a different store"
                ))
            })?;
            imports.push(ext);
        }
        Instance::new(store, module, &imports)
    }
}

/// The item `def` stands for in `store`.
fn resolve<T>(def: &Definition<T>, store: &mut Store<T>) -> Option<Extern> {
    match def {
        Definition::Extern(e) => (e.store_id() == store.inner.id).then_some(*e),
        Definition::Host { ty, func, cached } => {
            if let Some(f) = cached.get().filter(|f| f.store == store.inner.id) {
                return Some(Extern::Func(f));
            }
            let f = Func::from_host(store, ty, func.clone());
            cached.set(Some(f));
            Some(Extern::Func(f))
        }
    }
}
