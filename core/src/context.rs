//! Store contexts: the traits that let API functions take `&store`, `&mut store`, `&caller` or
//! `&mut caller` interchangeably.

use crate::engine::Engine;
use crate::store::{Caller, Store};

/// A shared borrow of a [`Store`], obtained from anything implementing [`AsContext`].
pub struct StoreContext<'a, T> {
    pub(crate) store: &'a Store<T>,
}

/// A mutable borrow of a [`Store`], obtained from anything implementing [`AsContextMut`].
pub struct StoreContextMut<'a, T> {
    pub(crate) store: &'a mut Store<T>,
}

impl<'a, T> StoreContext<'a, T> {
    /// The host state.
    pub fn data(&self) -> &'a T {
        &self.store.data
    }
    /// The engine of the store.
    pub fn engine(&self) -> &'a Engine {
        &self.store.inner.engine
    }
}

impl<'a, T> StoreContextMut<'a, T> {
    /// The host state.
    pub fn data(&self) -> &T {
        &self.store.data
    }
    /// The host state, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.store.data
    }
    /// The engine of the store.
    pub fn engine(&self) -> &Engine {
        &self.store.inner.engine
    }
}

/// Something that gives shared access to a store: [`Store`], [`Caller`], [`StoreContext`],
/// [`StoreContextMut`], and references to them.
pub trait AsContext {
    /// The host state type of the store.
    type Data;
    /// A shared borrow of the store.
    fn as_context(&self) -> StoreContext<'_, Self::Data>;
}

/// Something that gives mutable access to a store: [`Store`], [`Caller`], [`StoreContextMut`],
/// and mutable references to them.
pub trait AsContextMut: AsContext {
    /// A mutable borrow of the store.
    fn as_context_mut(&mut self) -> StoreContextMut<'_, Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext { store: self }
    }
}

impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut { store: self }
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext { store: self.store }
    }
}

impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut { store: self.store }
    }
}

impl<T> AsContext for StoreContext<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext { store: self.store }
    }
}

impl<T> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext { store: self.store }
    }
}

impl<T> AsContextMut for StoreContextMut<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut { store: self.store }
    }
}

impl<C: AsContext + ?Sized> AsContext for &C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}

impl<C: AsContext + ?Sized> AsContext for &mut C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}

impl<C: AsContextMut + ?Sized> AsContextMut for &mut C {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, C::Data> {
        (**self).as_context_mut()
    }
}

// Conversions used by methods returning borrows that live as long as the store borrow
// (`Memory::data`, `Memory::data_mut`, `ExternRef::data`).

impl<'a, T> From<&'a Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a Store<T>) -> Self {
        StoreContext { store }
    }
}

impl<'a, T> From<&'a mut Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a mut Store<T>) -> Self {
        StoreContext { store }
    }
}

impl<'a, T> From<&'a Caller<'_, T>> for StoreContext<'a, T> {
    fn from(caller: &'a Caller<'_, T>) -> Self {
        StoreContext {
            store: caller.store,
        }
    }
}

impl<'a, T> From<&'a mut Caller<'_, T>> for StoreContext<'a, T> {
    fn from(caller: &'a mut Caller<'_, T>) -> Self {
        StoreContext {
            store: caller.store,
        }
    }
}

impl<'a, T> From<&'a StoreContext<'_, T>> for StoreContext<'a, T> {
    fn from(cx: &'a StoreContext<'_, T>) -> Self {
        StoreContext { store: cx.store }
    }
}

impl<'a, T> From<StoreContextMut<'a, T>> for StoreContext<'a, T> {
    fn from(cx: StoreContextMut<'a, T>) -> Self {
        StoreContext { store: cx.store }
    }
}

impl<'a, T> From<&'a StoreContextMut<'_, T>> for StoreContext<'a, T> {
    fn from(cx: &'a StoreContextMut<'_, T>) -> Self {
        StoreContext { store: cx.store }
    }
}

impl<'a, T> From<&'a mut StoreContextMut<'_, T>> for StoreContext<'a, T> {
    fn from(cx: &'a mut StoreContextMut<'_, T>) -> Self {
        StoreContext { store: cx.store }
    }
}

impl<'a, T> From<&'a mut Store<T>> for StoreContextMut<'a, T> {
    fn from(store: &'a mut Store<T>) -> Self {
        StoreContextMut { store }
    }
}

impl<'a, T> From<&'a mut Caller<'_, T>> for StoreContextMut<'a, T> {
    fn from(caller: &'a mut Caller<'_, T>) -> Self {
        StoreContextMut {
            store: caller.store,
        }
    }
}

impl<'a, T> From<&'a mut StoreContextMut<'_, T>> for StoreContextMut<'a, T> {
    fn from(cx: &'a mut StoreContextMut<'_, T>) -> Self {
        StoreContextMut { store: cx.store }
    }
}
