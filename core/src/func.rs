//! Functions.

use crate::store::StoreId;

/// A function in a store (wasm or host).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Func {
    pub(crate) fn from_parts(store: StoreId, index: u32) -> Func {
        Func { store, index }
    }
}
