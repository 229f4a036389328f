//! The store: owns every runtime object (functions, memories, tables, globals, instances) and
//! the host state `T`. Handles (`Func`, `Memory`, ...) are indices into it, tagged with the
//! store's id so a handle from another store is detected.

use crate::engine::Engine;
use crate::error::Trap;
use crate::module::Module;
use crate::value::Val;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicU32, Ordering};
use ember_bytecode::types::{FuncType, GlobalType, MemoryType, TableType};
use hashbrown::HashMap;

/// Identifies a store; every handle carries the id of the store it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StoreId(pub(crate) u32);

impl StoreId {
    fn fresh() -> StoreId {
        // Only uniqueness matters; relaxed is enough. (Targets without atomic RMW get a
        // fallback in a later issue.)
        static NEXT: AtomicU32 = AtomicU32::new(1);
        StoreId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// A host function as stored: takes the caller context, arguments and a result buffer whose
/// length and types match the function's signature.
pub(crate) type HostFunc<T> = Rc<dyn Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap>>;

/// Interns function types so a signature check is one integer compare.
#[derive(Debug, Default)]
pub(crate) struct TypeRegistry {
    pub(crate) types: Vec<FuncType>,
    pub(crate) ids: HashMap<FuncType, u32>,
}

impl TypeRegistry {
    /// The id of `ty`, interning it if new.
    pub(crate) fn intern(&mut self, ty: &FuncType) -> u32 {
        if let Some(&id) = self.ids.get(ty) {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(ty.clone());
        self.ids.insert(ty.clone(), id);
        id
    }
    /// The type with this id.
    pub(crate) fn get(&self, id: u32) -> &FuncType {
        &self.types[id as usize]
    }
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

/// A linear memory. Its size in pages is `data.len() / 65536`.
#[derive(Debug)]
pub(crate) struct MemoryEntity {
    pub(crate) data: Vec<u8>,
    pub(crate) ty: MemoryType,
}

/// A table of raw references (0 = null, else index + 1).
#[derive(Debug)]
pub(crate) struct TableEntity {
    pub(crate) elems: Vec<u64>,
    pub(crate) ty: TableType,
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

/// Owns all runtime objects and the host state `T`.
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
}
