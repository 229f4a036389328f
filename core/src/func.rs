//! Functions: calling them from the host, and creating host functions.

use crate::context::{AsContext, AsContextMut};
use crate::error::{Error, Result, Trap};
use crate::store::{Caller, FuncEntity, HostFunc, Store, StoreId};
use crate::typed::{IntoFunc, TypedFunc, WasmParams, WasmResults};
use crate::value::Val;
use alloc::rc::Rc;
use alloc::string::String;
use ember_bytecode::msg;
use ember_bytecode::types::{FuncType, ValType};

/// A function in a store (wasm or host).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

const WHAT: &str = "function";

impl Func {
    pub(crate) fn from_parts(store: StoreId, index: u32) -> Func {
        Func { store, index }
    }

    /// Creates a host function of type `ty`.
    ///
    /// `func` receives the [`Caller`], the arguments (of `ty`'s parameter types) and a result
    /// buffer of `ty.results().len()` values, pre-filled with zeros of the result types, which it
    /// must overwrite with values of those types. Returning a value of the wrong type, or a
    /// reference from another store, makes the call trap with a host error.
    ///
    /// ```
    /// use ember::{Caller, Engine, Func, FuncType, Store, Trap, Val, ValType};
    /// let mut store = Store::new(&Engine::default(), ());
    /// let ty = FuncType::new([ValType::I32], [ValType::I32]);
    /// let double = Func::new(&mut store, ty, |_caller: Caller<'_, ()>, args: &[Val], results: &mut [Val]| {
    ///     results[0] = Val::I32(args[0].i32().unwrap_or(0) * 2);
    ///     Ok(())
    /// });
    /// let mut out = [Val::I32(0)];
    /// double.call(&mut store, &[Val::I32(21)], &mut out).unwrap();
    /// assert_eq!(out[0], Val::I32(42));
    /// ```
    pub fn new<T: 'static>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + 'static,
    ) -> Func {
        let host = checked_host(&ty, func);
        Func::from_host(store.as_context_mut().store, &ty, host)
    }

    /// Creates a host function from a closure with typed arguments and results.
    ///
    /// The closure takes plain values (`i32`, `i64`, `u32`, `u64`, `f32`, `f64`,
    /// `Option<Func>`, `Option<ExternRef>`), optionally preceded by a [`Caller`], and returns
    /// `()`, one such value, a tuple of them (multi-value), or a `Result<_, Trap>` of those.
    ///
    /// ```
    /// use ember::{Engine, Func, Store};
    /// let mut store = Store::new(&Engine::default(), ());
    /// let add = Func::wrap(&mut store, |a: i32, b: i32| a.wrapping_add(b));
    /// let add = add.typed::<(i32, i32), i32>(&store).unwrap();
    /// assert_eq!(add.call(&mut store, (2, 3)).unwrap(), 5);
    /// ```
    pub fn wrap<T: 'static, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, host) = func.into_func();
        Func::from_host(store.as_context_mut().store, &ty, host)
    }

    /// Adds a host function to the store.
    pub(crate) fn from_host<T>(store: &mut Store<T>, ty: &FuncType, host: HostFunc<T>) -> Func {
        let ty = store.inner.types.intern(ty);
        let host_index = store.host_funcs.len() as u32;
        store.host_funcs.push(host);
        let index = store.inner.funcs.len() as u32;
        store.inner.funcs.push(FuncEntity::Host {
            ty,
            host: host_index,
        });
        Func::from_parts(store.inner.id, index)
    }

    /// The function's type.
    ///
    /// # Panics
    /// If `store` is not the function's store.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let store = store.as_context().store;
        store.inner.assert_owns(self.store, WHAT);
        let ty = store.inner.funcs[self.index as usize].ty();
        store.inner.types.get(ty).clone()
    }

    /// Calls the function with `params`, writing its results to `results`.
    ///
    /// Errors with [`Error::Usage`] if `store` is not the function's store, the number or types
    /// of `params` don't match the signature, a reference argument belongs to another store, or
    /// `results` does not have exactly as many elements as the function has results; with
    /// [`Error::Trap`] if execution traps.
    pub fn call(
        &self,
        mut store: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let store = store.as_context_mut().store;
        store.inner.check(self.store, WHAT)?;
        let ty = store
            .inner
            .types
            .get(store.inner.funcs[self.index as usize].ty());
        if params.len() != ty.params().len() {
            return Err(Error::Usage(msg!(
                "function ",
                ty,
                " expects ",
                ty.params().len(),
                " arguments, got ",
                params.len()
            )));
        }
        if let Some((i, (p, t))) = params
            .iter()
            .zip(ty.params())
            .enumerate()
            .find(|(_, (p, t))| p.ty() != **t)
        {
            return Err(Error::Usage(msg!(
                "argument ",
                i,
                " of function ",
                ty,
                " must be of type ",
                t,
                ", got ",
                p.ty()
            )));
        }
        if results.len() != ty.results().len() {
            return Err(Error::Usage(msg!(
                "function ",
                ty,
                " has ",
                ty.results().len(),
                " results, but the result buffer has ",
                results.len(),
                " elements"
            )));
        }
        self.call_checked(store, params, results)
    }

    /// Calls after the signature was checked: checks reference arguments' stores, then runs.
    pub(crate) fn call_checked<T>(
        &self,
        store: &mut Store<T>,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        for p in params {
            if p.to_raw(store.inner.id).is_none() {
                return Err(Error::Usage(String::from(
                    "reference argument belongs to a different store",
                )));
            }
        }
        crate::exec::invoke(store, self.index, params, results).map_err(Error::Trap)
    }

    /// A typed view of the function, whose [`call`](TypedFunc::call) takes and returns plain
    /// Rust values.
    ///
    /// Errors if `Params`/`Results` don't match the function's type, or `store` is not the
    /// function's store.
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<TypedFunc<Params, Results>> {
        let store = store.as_context().store;
        store.inner.check(self.store, WHAT)?;
        let ty = store
            .inner
            .types
            .get(store.inner.funcs[self.index as usize].ty());
        let mut params = alloc::vec::Vec::new();
        Params::push_valtypes(&mut params);
        let mut results = alloc::vec::Vec::new();
        Results::push_valtypes(&mut results);
        if params != ty.params() || results != ty.results() {
            let want = FuncType::new(params, results);
            return Err(Error::Usage(msg!(
                "type mismatch: function has type ",
                ty,
                ", typed as ",
                want
            )));
        }
        Ok(TypedFunc::new(*self))
    }
}

/// Wraps a `Func::new`-style closure so its results are pre-filled with zeros and checked.
pub(crate) fn checked_host<T: 'static>(
    ty: &FuncType,
    func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + 'static,
) -> HostFunc<T> {
    let result_types: alloc::boxed::Box<[ValType]> = ty.results().into();
    Rc::new(
        move |caller: Caller<'_, T>, args: &[Val], results: &mut [Val]| {
            let id = caller.store.inner.id;
            for (r, &t) in results.iter_mut().zip(result_types.iter()) {
                *r = Val::default_for(t);
            }
            func(caller, args, results)?;
            if results.len() != result_types.len()
                || results
                    .iter()
                    .zip(result_types.iter())
                    .any(|(r, &t)| r.ty() != t)
            {
                return Err(Trap::host(
                    "host function returned values of the wrong type",
                ));
            }
            check_result_refs(results, id)
        },
    )
}

/// `Ok` if every reference in `results` belongs to store `id`.
pub(crate) fn check_result_refs(results: &[Val], id: StoreId) -> Result<(), Trap> {
    if results.iter().all(|r| r.to_raw(id).is_some()) {
        Ok(())
    } else {
        Err(Trap::host(
            "host function returned a reference from another store",
        ))
    }
}
