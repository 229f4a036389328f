//! Instances: instantiated modules and their exports.

use crate::context::{AsContext, AsContextMut, StoreContext};
use crate::error::Result;
use crate::externals::Extern;
use crate::func::Func;
use crate::global::Global;
use crate::memory::Memory;
use crate::module::Module;
use crate::store::StoreId;
use crate::table::Table;
use crate::typed::{TypedFunc, WasmParams, WasmResults};

mod instantiate;

/// An instantiated module in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Instance {
    /// Instantiates `module` with `imports` (one per module import, in order), following the
    /// WebAssembly 2.0 instantiation algorithm: imports are checked against the module's
    /// import types, functions, tables, memories and globals are allocated, active element and
    /// data segments are copied in order, then the start function runs.
    ///
    /// Errors with [`Error::Link`](crate::Error::Link) for a missing or mistyped import, with
    /// [`Error::Trap`](crate::Error::Trap) if a segment is out of bounds or the start function
    /// traps (segments copied before the failure stay copied, as the spec requires), and with
    /// [`Error::Usage`](crate::Error::Usage) for an import from another store or an allocation
    /// failure.
    pub fn new(
        mut store: impl AsContextMut,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance> {
        instantiate::instantiate(store.as_context_mut().store, module, imports)
    }

    /// The export `name`, if the instance has one (`None` too if `store` is not the instance's
    /// store).
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let store = store.as_context().store;
        if store.inner.id != self.store {
            return None;
        }
        store.inner.instance_export(self.index, name)
    }

    /// The exported function `name`.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported function `name`, typed. Errors if there is no such function export or its
    /// type does not match `Params -> Results`.
    pub fn get_typed_func<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<Params, Results>> {
        let store = store.as_context();
        let f = self.get_func(&store, name).ok_or_else(|| {
            crate::Error::Usage(ember_bytecode::msg!(
                "no exported function named `",
                name,
                "`"
            ))
        })?;
        f.typed(&store)
    }

    /// The exported memory `name`.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported global `name`.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The exported table `name`.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// The module this instance was created from.
    ///
    /// # Panics
    /// If `store` is not the instance's store.
    pub fn module<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> &'a Module {
        let store = store.into().store;
        store.inner.assert_owns(self.store, "instance");
        &store.inner.instances[self.index as usize].module
    }

    /// All exports, in the module's order (empty if `store` is not the instance's store).
    pub fn exports<'a, T: 'a>(
        &self,
        store: impl Into<StoreContext<'a, T>>,
    ) -> impl Iterator<Item = (&'a str, Extern)> + 'a {
        let store = store.into().store;
        let inner = &store.inner;
        let index = self.index;
        let exports: &'a [ember_bytecode::module::Export] = if inner.id == self.store {
            inner
                .instances
                .get(index as usize)
                .map(|i| &i.module.compiled().exports[..])
                .unwrap_or(&[])
        } else {
            &[]
        };
        exports.iter().filter_map(move |e| {
            Some((
                e.name.as_str(),
                inner.instance_item(index, e.kind, e.index)?,
            ))
        })
    }
}

#[cfg(test)]
mod tests;
