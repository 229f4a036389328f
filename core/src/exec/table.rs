//! Tables: get/set/grow/fill/copy/init, all bounds-checked (`TableOutOfBounds`).

use super::{Executor, Stop};
use crate::error::TrapCode;
use crate::store::TableEntity;

/// `start .. start + len` if it lies within `size` entries.
#[inline(always)]
fn range(start: u32, len: u32, size: usize) -> Result<core::ops::Range<usize>, TrapCode> {
    let end = u64::from(start) + u64::from(len);
    if end > size as u64 {
        return Err(TrapCode::TableOutOfBounds);
    }
    Ok(start as usize..end as usize)
}

impl<T> Executor<'_, T> {
    /// Store index of module table `table` of the current instance.
    #[inline]
    fn table_index(&self, table: u32) -> Result<usize, Stop> {
        let t = *self.store.inner.instances[self.instance as usize]
            .tables
            .get(table as usize)
            .ok_or(Stop::BadCode)?;
        if (t as usize) < self.store.inner.tables.len() {
            Ok(t as usize)
        } else {
            Err(Stop::BadCode)
        }
    }

    /// Module table `table` of the current instance.
    #[inline]
    pub(super) fn table(&self, table: u32) -> Result<&TableEntity, Stop> {
        let t = self.table_index(table)?;
        Ok(&self.store.inner.tables[t])
    }

    #[inline]
    fn table_mut(&mut self, table: u32) -> Result<&mut TableEntity, Stop> {
        let t = self.table_index(table)?;
        Ok(&mut self.store.inner.tables[t])
    }

    /// `table.get`.
    pub(super) fn table_get_at(&self, table: u32, index: u32) -> Result<u64, Stop> {
        let t = self.table(table)?;
        Ok(*t
            .elems
            .get(index as usize)
            .ok_or(TrapCode::TableOutOfBounds)?)
    }

    /// `table.set`.
    pub(super) fn table_set_at(&mut self, table: u32, index: u32, value: u64) -> Result<(), Stop> {
        let t = self.table_mut(table)?;
        *t.elems
            .get_mut(index as usize)
            .ok_or(TrapCode::TableOutOfBounds)? = value;
        Ok(())
    }

    /// `table.grow`: the old size, or `u32::MAX` (-1) if the table cannot grow.
    pub(super) fn table_grow_by(&mut self, table: u32, init: u64, delta: u32) -> Result<u32, Stop> {
        let limit = self.store.inner.engine.config().max_table_elements;
        Ok(self
            .table_mut(table)?
            .grow(delta, init, limit)
            .unwrap_or(u32::MAX))
    }

    /// `table.fill`.
    pub(super) fn table_fill_range(
        &mut self,
        table: u32,
        start: u32,
        value: u64,
        len: u32,
    ) -> Result<(), Stop> {
        let t = self.table_mut(table)?;
        let r = range(start, len, t.elems.len())?;
        t.elems[r].fill(value);
        Ok(())
    }

    /// `table.copy` (overlap allowed when both tables are the same).
    pub(super) fn table_copy_range(
        &mut self,
        dst_table: u32,
        src_table: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> Result<(), Stop> {
        let (d, s) = (self.table_index(dst_table)?, self.table_index(src_table)?);
        let tables = &mut self.store.inner.tables;
        let sr = range(src, len, tables[s].elems.len())?;
        let dr = range(dst, len, tables[d].elems.len())?;
        if d == s {
            tables[d].elems.copy_within(sr, dr.start);
        } else if d < s {
            let (lo, hi) = tables.split_at_mut(s);
            lo[d].elems[dr].copy_from_slice(&hi[0].elems[sr]);
        } else {
            let (lo, hi) = tables.split_at_mut(d);
            hi[0].elems[dr].copy_from_slice(&lo[s].elems[sr]);
        }
        Ok(())
    }

    /// `table.init` from element segment `segment` of the current instance.
    pub(super) fn table_init_range(
        &mut self,
        table: u32,
        segment: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> Result<(), Stop> {
        let t = self.table_index(table)?;
        let inner = &mut self.store.inner;
        let seg = inner.instances[self.instance as usize]
            .elems
            .get(segment as usize)
            .ok_or(Stop::BadCode)?;
        let sr = range(src, len, seg.len())?;
        let elems = &mut inner.tables[t].elems;
        let dr = range(dst, len, elems.len())?;
        elems[dr].copy_from_slice(&seg[sr]);
        Ok(())
    }
}
