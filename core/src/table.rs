//! Tables.

use crate::context::{AsContext, AsContextMut};
use crate::error::{Error, Result};
use crate::store::{StoreId, TableEntity};
use crate::value::Val;
use alloc::string::String;
use ember_bytecode::msg;
use ember_bytecode::types::{TableType, ValType};

/// A table of references in a store (owned by an instance or created by the host).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

const WHAT: &str = "table";

impl Table {
    pub(crate) fn from_parts(store: StoreId, index: u32) -> Table {
        Table { store, index }
    }

    fn entity_mut<'a, T>(&self, store: &'a mut crate::Store<T>) -> Result<&'a mut TableEntity> {
        store.inner.check(self.store, WHAT)?;
        store
            .inner
            .tables
            .get_mut(self.index as usize)
            .ok_or_else(|| Error::Usage(msg!("invalid ", WHAT, " handle")))
    }

    /// Creates a table of `ty.limits.min` elements, each set to `init`.
    ///
    /// Errors if min > max, the allocation fails, or `init` is not a reference of the table's
    /// element type from this store.
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Val) -> Result<Table> {
        let store = store.as_context_mut().store;
        let init = checked_raw(init, ValType::from(ty.element), store.inner.id)?;
        let limit = store.inner.engine.config().max_table_elements;
        let entity = TableEntity::new(ty, init, limit).ok_or_else(|| {
            Error::Usage(msg!(
                "cannot create table of type ",
                ty,
                ": invalid, over the limit of ",
                limit,
                " elements, or out of memory"
            ))
        })?;
        let index = store.inner.tables.len() as u32;
        store.inner.tables.push(entity);
        Ok(Table::from_parts(store.inner.id, index))
    }

    /// The table's type, with its current size as the minimum.
    ///
    /// # Panics
    /// If `store` is not the table's store.
    pub fn ty(&self, store: impl AsContext) -> TableType {
        let store = store.as_context().store;
        store.inner.assert_owns(self.store, WHAT);
        store.inner.tables[self.index as usize].current_type()
    }

    /// The current number of elements.
    ///
    /// # Panics
    /// If `store` is not the table's store.
    pub fn size(&self, store: impl AsContext) -> u32 {
        let store = store.as_context().store;
        store.inner.assert_owns(self.store, WHAT);
        store.inner.tables[self.index as usize].size()
    }

    /// The element at `index`; `None` if out of bounds or `store` is not the table's store.
    pub fn get(&self, store: impl AsContext, index: u32) -> Option<Val> {
        let store = store.as_context().store;
        if store.inner.id != self.store {
            return None;
        }
        let t = store.inner.tables.get(self.index as usize)?;
        let raw = *t.elems.get(index as usize)?;
        Some(Val::from_raw(
            raw,
            ValType::from(t.ty.element),
            &store.inner,
        ))
    }

    /// Sets the element at `index`.
    ///
    /// Errors if `index` is out of bounds, `val` is not a reference of the element type from
    /// this store, or `store` is not the table's store.
    pub fn set(&self, mut store: impl AsContextMut, index: u32, val: Val) -> Result<()> {
        let store = store.as_context_mut().store;
        let id = store.inner.id;
        let t = self.entity_mut(store)?;
        let raw = checked_raw(val, ValType::from(t.ty.element), id)?;
        let size = t.size();
        let slot = t.elems.get_mut(index as usize).ok_or_else(|| {
            Error::Usage(msg!(
                "table index ",
                index,
                " out of bounds for a table of ",
                size,
                " elements"
            ))
        })?;
        *slot = raw;
        Ok(())
    }

    /// Grows the table by `delta` elements set to `init` and returns the previous size.
    ///
    /// Errors (leaving the table unchanged): [`Error::Usage`] if the new size would exceed the
    /// table type's maximum, `init` has the wrong type or store, or `store` is not the table's
    /// store; [`Error::Limit`] if it would exceed
    /// [`Config::max_table_elements`](crate::Config::max_table_elements) or the allocation
    /// fails.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u32, init: Val) -> Result<u32> {
        let store = store.as_context_mut().store;
        let id = store.inner.id;
        let limit = store.inner.engine.config().max_table_elements;
        let t = self.entity_mut(store)?;
        let raw = checked_raw(init, ValType::from(t.ty.element), id)?;
        let old = t.size();
        let type_max = t.ty.limits.max.unwrap_or(u32::MAX);
        if old.checked_add(delta).is_none_or(|new| new > type_max) {
            return Err(Error::Usage(msg!(
                "cannot grow table of ",
                old,
                " elements by ",
                delta,
                ": maximum is ",
                type_max
            )));
        }
        t.grow(delta, raw, limit).ok_or_else(|| {
            Error::Limit(msg!(
                "cannot grow table of ",
                old,
                " elements by ",
                delta,
                ": over the limit of ",
                limit,
                " elements or out of memory"
            ))
        })
    }

    /// Sets `len` elements starting at `dst` to `val`.
    ///
    /// Errors (leaving the table unchanged) if the range is out of bounds, `val` has the wrong
    /// type or store, or `store` is not the table's store.
    pub fn fill(&self, mut store: impl AsContextMut, dst: u32, val: Val, len: u32) -> Result<()> {
        let store = store.as_context_mut().store;
        let id = store.inner.id;
        let t = self.entity_mut(store)?;
        let raw = checked_raw(val, ValType::from(t.ty.element), id)?;
        let size = t.size();
        let range = (dst as usize)
            .checked_add(len as usize)
            .and_then(|end| t.elems.get_mut(dst as usize..end))
            .ok_or_else(|| {
                Error::Usage(msg!(
                    "table fill of ",
                    len,
                    " elements at ",
                    dst,
                    " out of bounds for a table of ",
                    size
                ))
            })?;
        range.fill(raw);
        Ok(())
    }
}

/// `val` as a raw reference for a table with element type `ty` in store `id`.
fn checked_raw(val: Val, ty: ValType, id: StoreId) -> Result<u64> {
    if val.ty() != ty {
        return Err(Error::Usage(msg!(
            "table of ",
            ty,
            " cannot hold a value of type ",
            val.ty()
        )));
    }
    val.to_raw(id)
        .ok_or_else(|| Error::Usage(String::from("reference belongs to a different store")))
}
