//! `Extern`: anything an instance can import or export, and `ExternType`, its type.

use crate::context::AsContext;
use crate::func::Func;
use crate::global::Global;
use crate::memory::Memory;
use crate::table::Table;
use ember_bytecode::types::{FuncType, GlobalType, MemoryType, TableType};

/// An item that can be imported or exported: a function, memory, global or table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A linear memory.
    Memory(Memory),
    /// A global.
    Global(Global),
    /// A table.
    Table(Table),
}

impl Extern {
    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self {
            Some(f)
        } else {
            None
        }
    }
    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self {
            Some(m)
        } else {
            None
        }
    }
    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self {
            Some(g)
        } else {
            None
        }
    }
    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self {
            Some(t)
        } else {
            None
        }
    }

    /// The item's type (memories and tables report their current size as minimum).
    ///
    /// # Panics
    /// If `store` is not the item's store.
    pub fn ty(&self, store: impl AsContext) -> ExternType {
        match self {
            Extern::Func(f) => ExternType::Func(f.ty(store)),
            Extern::Memory(m) => ExternType::Memory(m.ty(store)),
            Extern::Global(g) => ExternType::Global(g.ty(store)),
            Extern::Table(t) => ExternType::Table(t.ty(store)),
        }
    }

    /// What kind of item this is, as a word ("function", "memory", ...), for messages.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Extern::Func(_) => "function",
            Extern::Memory(_) => "memory",
            Extern::Global(_) => "global",
            Extern::Table(_) => "table",
        }
    }

    pub(crate) fn store_id(&self) -> crate::StoreId {
        match self {
            Extern::Func(f) => f.store,
            Extern::Memory(m) => m.store,
            Extern::Global(g) => g.store,
            Extern::Table(t) => t.store,
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}

/// The type of an [`Extern`], an import or an export.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExternType {
    /// A function type.
    Func(FuncType),
    /// A memory type.
    Memory(MemoryType),
    /// A global type.
    Global(GlobalType),
    /// A table type.
    Table(TableType),
}

impl ExternType {
    /// The function type, if this is one.
    pub fn func(&self) -> Option<&FuncType> {
        if let ExternType::Func(t) = self {
            Some(t)
        } else {
            None
        }
    }
    /// The memory type, if this is one.
    pub fn memory(&self) -> Option<&MemoryType> {
        if let ExternType::Memory(t) = self {
            Some(t)
        } else {
            None
        }
    }
    /// The global type, if this is one.
    pub fn global(&self) -> Option<&GlobalType> {
        if let ExternType::Global(t) = self {
            Some(t)
        } else {
            None
        }
    }
    /// The table type, if this is one.
    pub fn table(&self) -> Option<&TableType> {
        if let ExternType::Table(t) = self {
            Some(t)
        } else {
            None
        }
    }
}
