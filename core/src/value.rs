//! Values crossing the API boundary, and their raw slot encoding.
//!
//! Inside the executor every value is an untyped `u64` slot (see `docs/bytecode.md`): i32 and
//! f32 bits in the low 32 bits (high bits ignored by readers), i64 and f64 bits in all 64,
//! references as `0` for null, else `index + 1` (a store function index for `funcref`, a store
//! extern-ref index for `externref`).

pub use ember_bytecode::types::{FuncType, RefType, ValType};

use crate::context::{AsContextMut, StoreContext};
use crate::func::Func;
use crate::store::{StoreId, StoreInner};
use alloc::boxed::Box;
use core::any::Any;

/// A WebAssembly value. Floats are kept as bits so NaN payloads survive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    /// i32.
    I32(i32),
    /// i64.
    I64(i64),
    /// f32 bits.
    F32(u32),
    /// f64 bits.
    F64(u64),
    /// A function reference (`None` is `ref.null func`).
    FuncRef(Option<Func>),
    /// An external reference (`None` is `ref.null extern`).
    ExternRef(Option<ExternRef>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero value (or null reference) of a type.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
        }
    }

    /// The i32, if this is one.
    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The i64, if this is one.
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The f32, if this is one.
    pub fn f32(&self) -> Option<f32> {
        if let Val::F32(v) = self {
            Some(f32::from_bits(*v))
        } else {
            None
        }
    }
    /// The f64, if this is one.
    pub fn f64(&self) -> Option<f64> {
        if let Val::F64(v) = self {
            Some(f64::from_bits(*v))
        } else {
            None
        }
    }

    /// Encodes as a raw slot value. `store` identifies the store the value must belong to;
    /// references from another store give `None`.
    pub(crate) fn to_raw(self, store: StoreId) -> Option<u64> {
        Some(match self {
            Val::I32(v) => v as u32 as u64,
            Val::I64(v) => v as u64,
            Val::F32(v) => v as u64,
            Val::F64(v) => v,
            Val::FuncRef(None) | Val::ExternRef(None) => 0,
            Val::FuncRef(Some(f)) => {
                if f.store != store {
                    return None;
                }
                f.index as u64 + 1
            }
            Val::ExternRef(Some(r)) => {
                if r.store != store {
                    return None;
                }
                r.index as u64 + 1
            }
        })
    }

    /// Decodes a raw slot value of type `ty` from store `store`.
    ///
    /// A reference that names no function (or extern-ref) of the store reads as null. Translated
    /// code never makes one, but a forged precompiled module can (slots are untyped: it may
    /// return an integer as a `funcref`); this keeps every [`Func`] handle valid, so such code
    /// cannot make a later API call panic.
    pub(crate) fn from_raw(raw: u64, ty: ValType, store: &StoreInner) -> Val {
        let (id, nfuncs, nrefs) = (store.id, store.funcs.len(), store.externrefs.len());
        let valid = |n: usize| raw.checked_sub(1).filter(|&i| i < n as u64);
        match ty {
            ValType::I32 => Val::I32(raw as u32 as i32),
            ValType::I64 => Val::I64(raw as i64),
            ValType::F32 => Val::F32(raw as u32),
            ValType::F64 => Val::F64(raw),
            ValType::FuncRef => Val::FuncRef(valid(nfuncs).map(|i| Func::from_parts(id, i as u32))),
            ValType::ExternRef => Val::ExternRef(valid(nrefs).map(|i| ExternRef {
                store: id,
                index: i as u32,
            })),
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::F32(v.to_bits())
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F64(v.to_bits())
    }
}

impl From<Func> for Val {
    fn from(f: Func) -> Val {
        Val::FuncRef(Some(f))
    }
}
impl From<Option<Func>> for Val {
    fn from(f: Option<Func>) -> Val {
        Val::FuncRef(f)
    }
}
impl From<ExternRef> for Val {
    fn from(r: ExternRef) -> Val {
        Val::ExternRef(Some(r))
    }
}
impl From<Option<ExternRef>> for Val {
    fn from(r: Option<ExternRef>) -> Val {
        Val::ExternRef(r)
    }
}

/// A reference to a host value owned by a store, usable as a WebAssembly `externref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternRef {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl ExternRef {
    /// Moves `value` into the store and returns a reference to it.
    pub fn new<V: Any>(mut store: impl AsContextMut, value: V) -> ExternRef {
        let inner = &mut store.as_context_mut().store.inner;
        let index = inner.externrefs.len() as u32;
        inner.externrefs.push(Box::new(value));
        ExternRef {
            store: inner.id,
            index,
        }
    }

    /// The host value, if `store` is the store it belongs to.
    pub fn data<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> Option<&'a dyn Any> {
        let store = store.into().store;
        if self.store != store.inner.id {
            return None;
        }
        store
            .inner
            .externrefs
            .get(self.index as usize)
            .map(|b| &**b)
    }
}
