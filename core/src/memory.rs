//! Linear memories.

use crate::context::{AsContext, AsContextMut, StoreContext, StoreContextMut};
use crate::error::{Error, Result};
use crate::store::{MemoryEntity, StoreId};
use ember_bytecode::msg;
use ember_bytecode::types::MemoryType;

/// A linear memory in a store (owned by an instance or created by the host).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

const WHAT: &str = "memory";

impl Memory {
    pub(crate) fn from_parts(store: StoreId, index: u32) -> Memory {
        Memory { store, index }
    }

    fn entity<'a, T>(&self, store: &'a crate::Store<T>) -> &'a MemoryEntity {
        store.inner.assert_owns(self.store, WHAT);
        &store.inner.memories[self.index as usize]
    }

    fn entity_mut<'a, T>(&self, store: &'a mut crate::Store<T>) -> Result<&'a mut MemoryEntity> {
        store.inner.check(self.store, WHAT)?;
        store
            .inner
            .memories
            .get_mut(self.index as usize)
            .ok_or_else(|| Error::Usage(msg!("invalid ", WHAT, " handle")))
    }

    /// Creates a zeroed memory of `ty.limits.min` pages.
    ///
    /// Errors if the limits are invalid (min > max, or more than 65536 pages) or the memory
    /// cannot be allocated.
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory> {
        let store = store.as_context_mut().store;
        let limit = store.inner.engine.config().max_memory_pages;
        let entity = MemoryEntity::new(ty, limit).ok_or_else(|| {
            Error::Usage(msg!(
                "cannot create memory of type ",
                ty,
                ": invalid, over the limit of ",
                limit,
                " pages, or out of memory"
            ))
        })?;
        let index = store.inner.memories.len() as u32;
        store.inner.memories.push(entity);
        Ok(Memory::from_parts(store.inner.id, index))
    }

    /// The memory's type, with its current size as the minimum.
    ///
    /// # Panics
    /// If `store` is not the memory's store.
    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        self.entity(store.as_context().store).current_type()
    }

    /// The memory's contents.
    ///
    /// # Panics
    /// If `store` is not the memory's store.
    pub fn data<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> &'a [u8] {
        &self.entity(store.into().store).data
    }

    /// The memory's contents, mutably.
    ///
    /// # Panics
    /// If `store` is not the memory's store.
    pub fn data_mut<'a, T: 'a>(&self, store: impl Into<StoreContextMut<'a, T>>) -> &'a mut [u8] {
        let store = store.into().store;
        store.inner.assert_owns(self.store, WHAT);
        &mut store.inner.memories[self.index as usize].data
    }

    /// The current size in 64 KiB pages.
    ///
    /// # Panics
    /// If `store` is not the memory's store.
    pub fn size(&self, store: impl AsContext) -> u32 {
        self.entity(store.as_context().store).pages()
    }

    /// The current size in bytes.
    ///
    /// # Panics
    /// If `store` is not the memory's store.
    pub fn data_size(&self, store: impl AsContext) -> usize {
        self.entity(store.as_context().store).data.len()
    }

    /// Grows the memory by `delta` zeroed pages and returns the previous size in pages.
    ///
    /// Errors (leaving the memory unchanged): [`Error::Usage`] if the new size would exceed the
    /// memory type's maximum or 65536 pages, or if `store` is not the memory's store;
    /// [`Error::Limit`] if it would exceed
    /// [`Config::max_memory_pages`](crate::Config::max_memory_pages) or the allocation fails.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u32) -> Result<u32> {
        let store = store.as_context_mut().store;
        let limit = store.inner.engine.config().max_memory_pages;
        let m = self.entity_mut(store)?;
        let old = m.pages();
        let type_max = m.ty.limits.max.unwrap_or(crate::store::MAX_PAGES);
        if old
            .checked_add(delta)
            .is_none_or(|new| new > type_max.min(crate::store::MAX_PAGES))
        {
            return Err(Error::Usage(msg!(
                "cannot grow memory of ",
                old,
                " pages by ",
                delta,
                ": maximum is ",
                type_max,
                " pages"
            )));
        }
        m.grow(delta, limit).ok_or_else(|| {
            Error::Limit(msg!(
                "cannot grow memory of ",
                old,
                " pages by ",
                delta,
                ": over the limit of ",
                limit,
                " pages or out of memory"
            ))
        })
    }

    /// Copies `buf.len()` bytes starting at `offset` out of the memory.
    ///
    /// Errors if the range is out of bounds or `store` is not the memory's store.
    pub fn read(&self, store: impl AsContext, offset: usize, buf: &mut [u8]) -> Result<()> {
        let cx = store.as_context();
        cx.store.inner.check(self.store, WHAT)?;
        let data = self.data(cx);
        let src = offset
            .checked_add(buf.len())
            .and_then(|end| data.get(offset..end))
            .ok_or_else(|| out_of_bounds(offset, buf.len(), data.len()))?;
        buf.copy_from_slice(src);
        Ok(())
    }

    /// Copies `bytes` into the memory starting at `offset`.
    ///
    /// Errors if the range is out of bounds or `store` is not the memory's store.
    pub fn write(&self, mut store: impl AsContextMut, offset: usize, bytes: &[u8]) -> Result<()> {
        let data = &mut self.entity_mut(store.as_context_mut().store)?.data;
        let len = data.len();
        let dst = offset
            .checked_add(bytes.len())
            .and_then(|end| data.get_mut(offset..end))
            .ok_or_else(|| out_of_bounds(offset, bytes.len(), len))?;
        dst.copy_from_slice(bytes);
        Ok(())
    }
}

fn out_of_bounds(offset: usize, len: usize, size: usize) -> Error {
    Error::Usage(msg!(
        "memory access out of bounds: ",
        len,
        " bytes at offset ",
        offset,
        " in a memory of ",
        size,
        " bytes"
    ))
}
