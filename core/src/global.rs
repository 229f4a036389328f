//! Globals.

use crate::context::{AsContext, AsContextMut};
use crate::error::{Error, Result};
use crate::store::{GlobalEntity, StoreId};
use crate::value::Val;
use alloc::string::String;
use ember_bytecode::msg;
use ember_bytecode::types::GlobalType;

/// A global variable in a store (owned by an instance or created by the host).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

const WHAT: &str = "global";

impl Global {
    pub(crate) fn from_parts(store: StoreId, index: u32) -> Global {
        Global { store, index }
    }

    /// Creates a global of type `ty` holding `init`.
    ///
    /// Errors if `init` is not of type `ty.content` or is a reference from another store.
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, init: Val) -> Result<Global> {
        let store = store.as_context_mut().store;
        let value = checked_raw(init, ty, store.inner.id)?;
        let index = store.inner.globals.len() as u32;
        store.inner.globals.push(GlobalEntity { value, ty });
        Ok(Global::from_parts(store.inner.id, index))
    }

    /// The global's type.
    ///
    /// # Panics
    /// If `store` is not the global's store.
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        let store = store.as_context().store;
        store.inner.assert_owns(self.store, WHAT);
        store.inner.globals[self.index as usize].ty
    }

    /// The global's current value.
    ///
    /// # Panics
    /// If `store` is not the global's store.
    pub fn get(&self, store: impl AsContext) -> Val {
        let store = store.as_context().store;
        store.inner.assert_owns(self.store, WHAT);
        let g = &store.inner.globals[self.index as usize];
        Val::from_raw(g.value, g.ty.content, &store.inner)
    }

    /// Sets the global's value.
    ///
    /// Errors if the global is immutable, `val` has the wrong type or is a reference from another
    /// store, or `store` is not the global's store.
    pub fn set(&self, mut store: impl AsContextMut, val: Val) -> Result<()> {
        let store = store.as_context_mut().store;
        store.inner.check(self.store, WHAT)?;
        let id = store.inner.id;
        let g = store
            .inner
            .globals
            .get_mut(self.index as usize)
            .ok_or_else(|| Error::Usage(msg!("invalid ", WHAT, " handle")))?;
        if !g.ty.mutable {
            return Err(Error::Usage(String::from("cannot set an immutable global")));
        }
        g.value = checked_raw(val, g.ty, id)?;
        Ok(())
    }
}

/// `val` as a raw value for a global of type `ty` in store `id`.
fn checked_raw(val: Val, ty: GlobalType, id: crate::StoreId) -> Result<u64> {
    if val.ty() != ty.content {
        return Err(Error::Usage(msg!(
            "global of type ",
            ty.content,
            " cannot hold a value of type ",
            val.ty()
        )));
    }
    val.to_raw(id)
        .ok_or_else(|| Error::Usage(String::from("reference belongs to a different store")))
}
