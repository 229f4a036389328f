//! Linear memory: loads, stores, `memory.grow` and bulk operations, all bounds-checked.

use super::{Executor, Stop};
use crate::error::TrapCode;
use crate::store::MemoryEntity;

/// `start .. start + len` as a `usize` range if it lies within `size` bytes.
#[inline(always)]
fn range(start: u64, len: u64, size: usize) -> Option<core::ops::Range<usize>> {
    // `start` and `len` are at most 2^33, so the sum cannot overflow.
    let end = start + len;
    if end > size as u64 {
        return None;
    }
    Some(start as usize..end as usize)
}

impl<T> Executor<'_, T> {
    /// The current instance's memory 0.
    #[inline(always)]
    pub(super) fn memory(&self) -> Result<&MemoryEntity, Stop> {
        self.store.inner.memories.get(self.mem).ok_or(Stop::BadCode)
    }

    #[inline(always)]
    fn memory_mut(&mut self) -> Result<&mut MemoryEntity, Stop> {
        self.store
            .inner
            .memories
            .get_mut(self.mem)
            .ok_or(Stop::BadCode)
    }

    /// `memory.grow`: the old size in pages, or `u32::MAX` (-1) if the memory cannot grow.
    pub(super) fn memory_grow_by(&mut self, delta: u32) -> Result<u32, Stop> {
        let limit = self.store.inner.engine.config().max_memory_pages;
        Ok(self.memory_mut()?.grow(delta, limit).unwrap_or(u32::MAX))
    }

    /// `memory.fill`.
    pub(super) fn mem_fill(&mut self, dst: u32, value: u8, len: u32) -> Result<(), Stop> {
        let data = &mut self.memory_mut()?.data;
        let r =
            range(u64::from(dst), u64::from(len), data.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        data[r].fill(value);
        Ok(())
    }

    /// `memory.copy` (overlap allowed).
    pub(super) fn mem_copy(&mut self, dst: u32, src: u32, len: u32) -> Result<(), Stop> {
        let data = &mut self.memory_mut()?.data;
        let size = data.len();
        let s = range(u64::from(src), u64::from(len), size).ok_or(TrapCode::MemoryOutOfBounds)?;
        let d = range(u64::from(dst), u64::from(len), size).ok_or(TrapCode::MemoryOutOfBounds)?;
        data.copy_within(s, d.start);
        Ok(())
    }

    /// `memory.init` from data segment `segment` of the current module.
    pub(super) fn mem_init(
        &mut self,
        segment: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> Result<(), Stop> {
        let dropped = *self.store.inner.instances[self.instance as usize]
            .data_dropped
            .get(segment as usize)
            .ok_or(Stop::BadCode)?;
        let seg = self
            .module
            .compiled
            .datas
            .get(segment as usize)
            .ok_or(Stop::BadCode)?;
        let bytes: &[u8] = if dropped { &[] } else { &seg.bytes };
        let s = range(u64::from(src), u64::from(len), bytes.len())
            .ok_or(TrapCode::MemoryOutOfBounds)?;
        // Direct field access: `self.module` and `self.store` are borrowed disjointly.
        let data = &mut self
            .store
            .inner
            .memories
            .get_mut(self.mem)
            .ok_or(Stop::BadCode)?
            .data;
        let d =
            range(u64::from(dst), u64::from(len), data.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        data[d].copy_from_slice(&bytes[s]);
        Ok(())
    }
}
