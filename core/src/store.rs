//! The store: owns every runtime object (functions, memories, tables, globals, instances) and
//! the host state `T`. Handles (`Func`, `Memory`, ...) are indices into it, tagged with the
//! store's id so a handle from another store is detected.

use crate::engine::Engine;
use crate::error::{Error, Trap};
use crate::externals::Extern;
use crate::func::Func;
use crate::global::Global;
use crate::index::{HASH_START, Index};
use crate::memory::Memory;
use crate::module::Module;
use crate::table::Table;
use crate::value::Val;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicU32, Ordering};
use ember_bytecode::module::ExternKind;
use ember_bytecode::msg;
use ember_bytecode::types::{FuncType, GlobalType, MemoryType, TableType};

/// Identifies a store; every handle carries the id of the store it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StoreId(pub(crate) u32);

impl StoreId {
    fn fresh() -> StoreId {
        // Only uniqueness matters; relaxed is enough.
        static NEXT: AtomicU32 = AtomicU32::new(1);
        #[cfg(target_has_atomic = "32")]
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        // Targets without atomic read-modify-write (Cortex-M0) are single-core and Ember is
        // single-threaded there: a load and a store cannot interleave with another `fresh`
        // unless an interrupt handler creates stores too, which no embedding does.
        #[cfg(not(target_has_atomic = "32"))]
        let id = {
            let id = NEXT.load(Ordering::Relaxed);
            NEXT.store(id.wrapping_add(1), Ordering::Relaxed);
            id
        };
        StoreId(id)
    }
}

/// A host function as stored: takes the caller context, arguments and a result buffer whose
/// length matches the function's signature.
///
/// The closures Ember stores here (built by `Func::new`, `Func::wrap`, `Linker::func_*`)
/// check what the user code returned: on `Ok`, `results` holds values of the signature's
/// result types, and every reference in them belongs to the caller's store. The executor can
/// rely on that.
pub(crate) type HostFunc<T> = Rc<dyn Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap>>;

/// Interns function types so a signature check is one integer compare.
#[derive(Debug, Default)]
pub(crate) struct TypeRegistry {
    /// Every interned type; its id is its position.
    pub(crate) types: Vec<FuncType>,
    /// The ids, by [`type_hash`] and [`type_order`].
    ids: Index,
}

impl TypeRegistry {
    /// The id of `ty`, interning it if new.
    pub(crate) fn intern(&mut self, ty: &FuncType) -> u32 {
        let hash = type_hash(ty);
        let types = &self.types;
        if let Some(id) = self
            .ids
            .find(hash, &mut |id| type_order(&types[id as usize], ty))
        {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(ty.clone());
        let types = &self.types;
        self.ids.insert(hash, id, &mut |a, b| {
            type_order(&types[a as usize], &types[b as usize])
        });
        id
    }
    /// The type with this id. Ids come from `intern`, so they are always in range.
    pub(crate) fn get(&self, id: u32) -> &FuncType {
        &self.types[id as usize]
    }
}

/// The value types of `t` (parameters, then results) as bytes.
fn type_codes(t: &FuncType) -> impl Iterator<Item = u8> + '_ {
    t.params().iter().chain(t.results()).map(|&v| v as u8)
}

/// A hash of a function type, for [`Index`].
fn type_hash(ty: &FuncType) -> u32 {
    let num_params = (ty.params().len() as u32).to_le_bytes();
    crate::index::hash(HASH_START, num_params.into_iter().chain(type_codes(ty)))
}

/// A total order on function types (by parameter count, then the value types in order).
fn type_order(a: &FuncType, b: &FuncType) -> core::cmp::Ordering {
    a.params()
        .len()
        .cmp(&b.params().len())
        .then_with(|| type_codes(a).cmp(type_codes(b)))
}

/// A function in the store.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FuncEntity {
    /// A function defined by a wasm module.
    Wasm {
        /// Interned type id.
        ty: u32,
        /// Index into `StoreInner::instances`.
        instance: u32,
        /// Module-level function index (>= the module's imported function count).
        index: u32,
    },
    /// A host function.
    Host {
        /// Interned type id.
        ty: u32,
        /// Index into `Store::host_funcs`.
        host: u32,
    },
}

impl FuncEntity {
    /// The interned type id.
    pub(crate) fn ty(&self) -> u32 {
        match *self {
            FuncEntity::Wasm { ty, .. } | FuncEntity::Host { ty, .. } => ty,
        }
    }
}

/// Bytes in a WebAssembly page.
pub(crate) const PAGE_SIZE: usize = 65536;
/// The most pages a (32-bit) memory can have.
pub(crate) const MAX_PAGES: u32 = 65536;

/// A linear memory. Its size in pages is `data.len() / 65536`.
#[derive(Debug)]
pub(crate) struct MemoryEntity {
    pub(crate) data: Vec<u8>,
    pub(crate) ty: MemoryType,
}

impl MemoryEntity {
    /// A zeroed memory of `ty.limits.min` pages; `None` if the type is invalid (min > max, or
    /// over 65536 pages), the size is over `limit` pages, or the allocation fails.
    pub(crate) fn new(ty: MemoryType, limit: u32) -> Option<MemoryEntity> {
        let l = ty.limits;
        if l.min > MAX_PAGES || l.max.is_some_and(|m| m > MAX_PAGES || m < l.min) {
            return None;
        }
        let mut m = MemoryEntity {
            data: Vec::new(),
            ty,
        };
        m.grow(l.min, limit)?;
        Some(m)
    }

    /// The current size in pages.
    pub(crate) fn pages(&self) -> u32 {
        (self.data.len() / PAGE_SIZE) as u32
    }

    /// Grows by `delta` pages (zeroed) and returns the old size in pages; `None` (and no
    /// change) if the new size would exceed the type's maximum, 65536 pages or `limit` pages
    /// (the engine's `Config::max_memory_pages`), or allocation fails.
    pub(crate) fn grow(&mut self, delta: u32, limit: u32) -> Option<u32> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        let max = self
            .ty
            .limits
            .max
            .unwrap_or(MAX_PAGES)
            .min(MAX_PAGES)
            .min(limit);
        if new > max {
            return None;
        }
        let new_len = (new as usize).checked_mul(PAGE_SIZE)?;
        if self.data.is_empty() {
            // The first allocation (instantiation, or growing a 0-page memory) asks for zeroed
            // memory instead of writing the zeros: 99% of instantiating kernels.wasm was this
            // memset.
            self.data = zeroed_bytes(new_len)?;
            return Some(old);
        }
        let extra = new_len - self.data.len();
        self.data.try_reserve_exact(extra).ok()?;
        self.data.resize(new_len, 0);
        Some(old)
    }

    /// The type with the current size as minimum (what import matching uses).
    pub(crate) fn current_type(&self) -> MemoryType {
        let mut ty = self.ty;
        ty.limits.min = self.pages();
        ty
    }
}

/// `n` zero bytes from the allocator's zeroed allocation (large blocks come from the system
/// already zero, so nothing is written), or `None` if the allocation fails.
fn zeroed_bytes(n: usize) -> Option<Vec<u8>> {
    if n == 0 {
        return Some(Vec::new());
    }
    let layout = core::alloc::Layout::array::<u8>(n).ok()?;
    // SAFETY: `layout` has a non-zero size (`n > 0`).
    let ptr = unsafe { alloc::alloc::alloc_zeroed(layout) };
    if ptr.is_null() {
        return None;
    }
    // SAFETY: `ptr` comes from the global allocator with the layout of `n` bytes at alignment 1,
    // which is exactly what a `Vec<u8>` of capacity `n` owns and later frees or reallocates;
    // all `n` bytes are initialised (zero). Exercised by every instantiation with a memory,
    // `core/tests/objects.rs` (memory_new_data_and_size, memory_grow_from_zero_pages) and the
    // spec suite.
    Some(unsafe { Vec::from_raw_parts(ptr, n, n) })
}

/// A table of raw references (0 = null, else index + 1).
#[derive(Debug)]
pub(crate) struct TableEntity {
    pub(crate) elems: Vec<u64>,
    pub(crate) ty: TableType,
}

impl TableEntity {
    /// A table of `ty.limits.min` elements set to `init`; `None` if min > max, the size is
    /// over `limit` elements, or the allocation fails.
    pub(crate) fn new(ty: TableType, init: u64, limit: u32) -> Option<TableEntity> {
        let l = ty.limits;
        if l.max.is_some_and(|m| m < l.min) {
            return None;
        }
        let mut t = TableEntity {
            elems: Vec::new(),
            ty,
        };
        t.grow(l.min, init, limit)?;
        Some(t)
    }

    /// The current size in elements.
    pub(crate) fn size(&self) -> u32 {
        self.elems.len() as u32
    }

    /// Grows by `delta` elements set to `init` and returns the old size; `None` (and no change)
    /// if the new size would exceed the type's maximum (or 2^32 - 1) or `limit` elements (the
    /// engine's `Config::max_table_elements`), or allocation fails.
    pub(crate) fn grow(&mut self, delta: u32, init: u64, limit: u32) -> Option<u32> {
        let old = self.size();
        let new = old.checked_add(delta)?;
        if new > self.ty.limits.max.unwrap_or(u32::MAX).min(limit) {
            return None;
        }
        self.elems.try_reserve_exact(delta as usize).ok()?;
        self.elems.resize(new as usize, init);
        Some(old)
    }

    /// The type with the current size as minimum (what import matching uses).
    pub(crate) fn current_type(&self) -> TableType {
        let mut ty = self.ty;
        ty.limits.min = self.size();
        ty
    }
}

/// A global holding a raw value.
#[derive(Debug)]
pub(crate) struct GlobalEntity {
    pub(crate) value: u64,
    pub(crate) ty: GlobalType,
}

/// An instantiated module: maps its module-level indices to store indices.
#[derive(Debug)]
pub(crate) struct InstanceEntity {
    pub(crate) module: Module,
    /// Store function index of every module function (imports first).
    pub(crate) funcs: Vec<u32>,
    /// Store table index of every module table.
    pub(crate) tables: Vec<u32>,
    /// Store memory index of every module memory.
    pub(crate) memories: Vec<u32>,
    /// Store global index of every module global.
    pub(crate) globals: Vec<u32>,
    /// Interned type id of every module type (for `call_indirect`).
    pub(crate) types: Vec<u32>,
    /// Per data segment: dropped (by `data.drop` or after active initialisation).
    pub(crate) data_dropped: Vec<bool>,
    /// Per element segment: the resolved raw references (emptied when dropped).
    pub(crate) elems: Vec<Box<[u64]>>,
}

/// The part of a store that does not depend on the host state type.
pub(crate) struct StoreInner {
    pub(crate) id: StoreId,
    pub(crate) engine: Engine,
    pub(crate) types: TypeRegistry,
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) memories: Vec<MemoryEntity>,
    pub(crate) tables: Vec<TableEntity>,
    pub(crate) globals: Vec<GlobalEntity>,
    pub(crate) instances: Vec<InstanceEntity>,
    pub(crate) externrefs: Vec<Box<dyn Any>>,
    /// The executor's stacks, kept between calls to avoid reallocating (taken while running;
    /// a nested call from a host function makes its own).
    pub(crate) stack: Option<crate::exec::Stack>,
}

impl StoreInner {
    /// `Ok` if `id` is this store's id, else a usage error naming `what`.
    pub(crate) fn check(&self, id: StoreId, what: &str) -> Result<(), Error> {
        if id == self.id {
            Ok(())
        } else {
            Err(Error::Usage(msg!(what, " belongs to a different store")))
        }
    }

    /// Panics with a clear message if `id` is not this store's id. Only for methods that
    /// return no `Result` (as in wasmtime): a handle used with the wrong store.
    #[track_caller]
    pub(crate) fn assert_owns(&self, id: StoreId, what: &str) {
        assert!(
            id == self.id,
            "{what} used with a store it does not belong to"
        );
    }

    /// The handle for item `index` of `kind` in instance `instance` (module-level index).
    pub(crate) fn instance_item(
        &self,
        instance: u32,
        kind: ExternKind,
        index: u32,
    ) -> Option<Extern> {
        let inst = self.instances.get(instance as usize)?;
        let i = index as usize;
        let id = self.id;
        Some(match kind {
            ExternKind::Func => Extern::Func(Func::from_parts(id, *inst.funcs.get(i)?)),
            ExternKind::Table => Extern::Table(Table::from_parts(id, *inst.tables.get(i)?)),
            ExternKind::Memory => Extern::Memory(Memory::from_parts(id, *inst.memories.get(i)?)),
            ExternKind::Global => Extern::Global(Global::from_parts(id, *inst.globals.get(i)?)),
        })
    }

    /// The export `name` of instance `instance`.
    pub(crate) fn instance_export(&self, instance: u32, name: &str) -> Option<Extern> {
        let inst = self.instances.get(instance as usize)?;
        let e = inst
            .module
            .compiled()
            .exports
            .iter()
            .find(|e| e.name == name)?;
        self.instance_item(instance, e.kind, e.index)
    }
}

/// Owns all runtime objects and the host state `T`.
///
/// Every handle ([`Func`], [`Memory`], [`Table`], [`Global`], [`Instance`](crate::Instance),
/// [`ExternRef`](crate::ExternRef)) belongs to one store. Methods given the wrong store return
/// an [`Error::Usage`] where they return a `Result` (or `None` where they return an `Option`);
/// the few that return a plain value (`Memory::data`, `Global::get`, `Func::ty`, ...) panic, as
/// in wasmtime.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) host_funcs: Vec<HostFunc<T>>,
    pub(crate) data: T,
}

impl<T> Store<T> {
    /// A new store using `engine`'s configuration, holding host state `data`.
    pub fn new(engine: &Engine, data: T) -> Self {
        Store {
            inner: StoreInner {
                id: StoreId::fresh(),
                engine: engine.clone(),
                types: TypeRegistry::default(),
                funcs: Vec::new(),
                memories: Vec::new(),
                tables: Vec::new(),
                globals: Vec::new(),
                instances: Vec::new(),
                externrefs: Vec::new(),
                stack: None,
            },
            host_funcs: Vec::new(),
            data,
        }
    }

    /// The engine this store uses.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The host state.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The host state, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// This store's id (every handle created in it carries it).
    pub fn id(&self) -> StoreId {
        self.inner.id
    }

    /// Consumes the store, returning the host state.
    pub fn into_data(self) -> T {
        self.data
    }
}

/// What a host function sees of its caller: the store (and so the host state), and the
/// instance whose code made the call, whose exports it can look up (e.g. its `memory`).
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    /// Store index of the calling instance; `None` when called from the host.
    pub(crate) instance: Option<u32>,
}

impl<'a, T> Caller<'a, T> {
    /// Used by the executor when it calls a host function.
    pub(crate) fn new(store: &'a mut Store<T>, instance: Option<u32>) -> Self {
        Caller { store, instance }
    }

    /// The host state.
    pub fn data(&self) -> &T {
        &self.store.data
    }

    /// The host state, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.store.data
    }

    /// The export `name` of the calling instance (typically its `"memory"`); `None` if it has
    /// no such export or the function was called directly from the host.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.store.inner.instance_export(self.instance?, name)
    }

    /// The engine of the store.
    pub fn engine(&self) -> &Engine {
        &self.store.inner.engine
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_bytecode::types::ValType;

    /// A function type per number below 3^7: its digits in base 3 pick the value types.
    fn ty(mut n: u32) -> FuncType {
        const VT: [ValType; 3] = [ValType::I32, ValType::F64, ValType::ExternRef];
        let mut types = Vec::new();
        while n > 0 {
            types.push(VT[(n % 3) as usize]);
            n /= 3;
        }
        let results = types.split_off(types.len() / 2);
        FuncType::new(types, results)
    }

    #[test]
    fn equal_types_get_equal_ids() {
        let mut r = TypeRegistry::default();
        let ids: Vec<u32> = (0..500).map(|n| r.intern(&ty(n))).collect();
        for (n, &id) in ids.iter().enumerate() {
            assert_eq!(r.get(id), &ty(n as u32));
            // Interning again, or an equal type built separately, finds the same id.
            assert_eq!(r.intern(&ty(n as u32)), id);
        }
        let distinct: alloc::collections::BTreeSet<u32> = ids.iter().copied().collect();
        assert_eq!(distinct.len(), r.types.len());
        for a in 0..500 {
            for b in [0, 1, 7, 499] {
                assert_eq!(ty(a) == ty(b), ids[a as usize] == ids[b as usize]);
            }
        }
    }
}
