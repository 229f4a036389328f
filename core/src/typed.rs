//! Static typing of functions: [`WasmTy`] (one value), [`WasmParams`] / [`WasmResults`]
//! (lists of values), [`WasmRet`] (what a host closure returns), [`IntoFunc`] (closures that can
//! become host functions), and [`TypedFunc`].

use crate::context::AsContextMut;
use crate::error::{Result, Trap};
use crate::func::{Func, check_result_refs};
use crate::store::{Caller, HostFunc};
use crate::value::{ExternRef, Val};
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::marker::PhantomData;
use ember_bytecode::types::{FuncType, ValType};

mod sealed {
    pub trait Sealed {}
}

/// A Rust type that corresponds to one WebAssembly value type.
///
/// Implemented for `i32`, `u32` (as i32), `i64`, `u64` (as i64), `f32`, `f64`,
/// `Option<Func>` (funcref) and `Option<ExternRef>` (externref).
pub trait WasmTy: sealed::Sealed + Copy + 'static {
    /// The WebAssembly type.
    fn valtype() -> ValType;
    /// Converts to a [`Val`].
    fn into_val(self) -> Val;
    /// Converts from a [`Val`] of type [`valtype`](WasmTy::valtype).
    fn from_val(val: Val) -> Option<Self>;
}

macro_rules! wasm_ty {
    ($t:ty, $vt:ident, |$x:ident| $into:expr, |$v:ident| $from:expr) => {
        impl sealed::Sealed for $t {}
        impl WasmTy for $t {
            fn valtype() -> ValType {
                ValType::$vt
            }
            fn into_val(self) -> Val {
                let $x = self;
                $into
            }
            fn from_val($v: Val) -> Option<Self> {
                $from
            }
        }
    };
}

wasm_ty!(i32, I32, |x| Val::I32(x), |v| v.i32());
wasm_ty!(u32, I32, |x| Val::I32(x as i32), |v| v
    .i32()
    .map(|x| x as u32));
wasm_ty!(i64, I64, |x| Val::I64(x), |v| v.i64());
wasm_ty!(u64, I64, |x| Val::I64(x as i64), |v| v
    .i64()
    .map(|x| x as u64));
wasm_ty!(f32, F32, |x| Val::F32(x.to_bits()), |v| match v {
    Val::F32(b) => Some(f32::from_bits(b)),
    _ => None,
});
wasm_ty!(f64, F64, |x| Val::F64(x.to_bits()), |v| match v {
    Val::F64(b) => Some(f64::from_bits(b)),
    _ => None,
});
wasm_ty!(Option<Func>, FuncRef, |x| Val::FuncRef(x), |v| match v {
    Val::FuncRef(f) => Some(f),
    _ => None,
});
wasm_ty!(
    Option<ExternRef>,
    ExternRef,
    |x| Val::ExternRef(x),
    |v| match v {
        Val::ExternRef(r) => Some(r),
        _ => None,
    }
);

/// A list of values: the parameters of a [`TypedFunc`] or the results of a [`TypedFunc`] or host
/// function. Implemented for `()`, every [`WasmTy`], and tuples of up to 12 [`WasmTy`]s.
pub trait WasmParams: Sized + 'static {
    /// Number of values.
    const LEN: usize;
    /// Appends the value types to `out`.
    fn push_valtypes(out: &mut Vec<ValType>);
    /// Writes the values to `out` (which has [`LEN`](WasmParams::LEN) elements).
    fn write_vals(self, out: &mut [Val]);
    /// Reads the values from `vals`; `None` if the count or a type does not match.
    fn read_vals(vals: &[Val]) -> Option<Self>;
}

/// The results of a [`TypedFunc`] or a host function: the same lists as [`WasmParams`].
pub trait WasmResults: WasmParams {}
impl<T: WasmParams> WasmResults for T {}

impl<T: WasmTy> WasmParams for T {
    const LEN: usize = 1;
    fn push_valtypes(out: &mut Vec<ValType>) {
        out.push(T::valtype());
    }
    fn write_vals(self, out: &mut [Val]) {
        if let Some(slot) = out.first_mut() {
            *slot = self.into_val();
        }
    }
    fn read_vals(vals: &[Val]) -> Option<Self> {
        match vals {
            [v] => T::from_val(*v),
            _ => None,
        }
    }
}

/// What a host closure may return: results ([`WasmResults`]) or `Result<results, Trap>`.
pub trait WasmRet: 'static {
    /// The results on success.
    type Results: WasmResults;
    /// The results, or the trap.
    fn into_result(self) -> Result<Self::Results, Trap>;
}

impl<R: WasmResults> WasmRet for R {
    type Results = R;
    fn into_result(self) -> Result<R, Trap> {
        Ok(self)
    }
}

impl<R: WasmResults> WasmRet for Result<R, Trap> {
    type Results = R;
    fn into_result(self) -> Result<R, Trap> {
        self
    }
}

/// A closure that can become a host function ([`Func::wrap`], `Linker::func_wrap`).
///
/// `Params` is the tuple of argument types (with `Caller<'static, T>` first for closures that take
/// a [`Caller`]), `Results` the closure's return type. Implemented for `Fn` closures of up to 12
/// [`WasmTy`] arguments returning a [`WasmRet`].
pub trait IntoFunc<T, Params, Results>: 'static {
    /// The signature and the type-erased host function.
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, HostFunc<T>);
}

/// The trap for a host function called with arguments that don't match its signature (the
/// executor guarantees they do; this keeps a bug from becoming a panic).
fn bad_args() -> Trap {
    Trap::host("host function called with arguments of the wrong type")
}

/// Writes `ret`'s results to `results` after checking their count and stores.
fn store_results<R: WasmRet>(
    ret: R,
    results: &mut [Val],
    store: crate::StoreId,
) -> Result<(), Trap> {
    let r = ret.into_result()?;
    if results.len() != R::Results::LEN {
        return Err(Trap::host(
            "host function result buffer has the wrong length",
        ));
    }
    r.write_vals(results);
    check_result_refs(results, store)
}

macro_rules! impl_lists {
    ($n:literal $($a:ident)*) => {
        impl<$($a: WasmTy),*> WasmParams for ($($a,)*) {
            const LEN: usize = $n;
            fn push_valtypes(_out: &mut Vec<ValType>) {
                $( _out.push($a::valtype()); )*
            }
            #[allow(non_snake_case)]
            fn write_vals(self, _out: &mut [Val]) {
                let ($($a,)*) = self;
                let mut _it = _out.iter_mut();
                $( if let Some(slot) = _it.next() { *slot = $a.into_val(); } )*
            }
            fn read_vals(vals: &[Val]) -> Option<Self> {
                if vals.len() != $n {
                    return None;
                }
                let mut _it = vals.iter();
                Some(($($a::from_val(*_it.next()?)?,)*))
            }
        }

        impl<T: 'static, F, $($a: WasmTy,)* R: WasmRet> IntoFunc<T, ($($a,)*), R> for F
        where
            F: Fn($($a),*) -> R + 'static,
        {
            #[allow(non_snake_case)]
            fn into_func(self) -> (FuncType, HostFunc<T>) {
                let mut results = Vec::new();
                R::Results::push_valtypes(&mut results);
                let ty = FuncType::new([$($a::valtype()),*], results);
                let host = move |caller: Caller<'_, T>, args: &[Val], results: &mut [Val]| {
                    let id = caller.store.inner.id;
                    let ($($a,)*) = <($($a,)*)>::read_vals(args).ok_or_else(bad_args)?;
                    store_results(self($($a),*), results, id)
                };
                (ty, Rc::new(host))
            }
        }

        impl<T: 'static, F, $($a: WasmTy,)* R: WasmRet> IntoFunc<T, (Caller<'static, T>, $($a,)*), R> for F
        where
            F: Fn(Caller<'_, T>, $($a),*) -> R + 'static,
        {
            #[allow(non_snake_case)]
            fn into_func(self) -> (FuncType, HostFunc<T>) {
                let mut results = Vec::new();
                R::Results::push_valtypes(&mut results);
                let ty = FuncType::new([$($a::valtype()),*], results);
                let host = move |caller: Caller<'_, T>, args: &[Val], results: &mut [Val]| {
                    let id = caller.store.inner.id;
                    let ($($a,)*) = <($($a,)*)>::read_vals(args).ok_or_else(bad_args)?;
                    store_results(self(caller, $($a),*), results, id)
                };
                (ty, Rc::new(host))
            }
        }
    };
}

impl_lists!(0);
impl_lists!(1 A1);
impl_lists!(2 A1 A2);
impl_lists!(3 A1 A2 A3);
impl_lists!(4 A1 A2 A3 A4);
impl_lists!(5 A1 A2 A3 A4 A5);
impl_lists!(6 A1 A2 A3 A4 A5 A6);
impl_lists!(7 A1 A2 A3 A4 A5 A6 A7);
impl_lists!(8 A1 A2 A3 A4 A5 A6 A7 A8);
impl_lists!(9 A1 A2 A3 A4 A5 A6 A7 A8 A9);
impl_lists!(10 A1 A2 A3 A4 A5 A6 A7 A8 A9 A10);
impl_lists!(11 A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11);
impl_lists!(12 A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12);

/// A function whose type was checked once ([`Func::typed`]), called with plain Rust values.
pub struct TypedFunc<Params, Results> {
    func: Func,
    _ty: PhantomData<fn(Params) -> Results>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, R> Copy for TypedFunc<P, R> {}

impl<P, R> core::fmt::Debug for TypedFunc<P, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TypedFunc")
            .field("func", &self.func)
            .finish()
    }
}

/// Values passed without a heap allocation (larger lists use a `Vec`).
const INLINE_VALS: usize = 16;

impl<P: WasmParams, R: WasmResults> TypedFunc<P, R> {
    pub(crate) fn new(func: Func) -> Self {
        TypedFunc {
            func,
            _ty: PhantomData,
        }
    }

    /// The untyped function.
    pub fn func(&self) -> &Func {
        &self.func
    }

    /// Calls the function.
    ///
    /// Errors with [`Error::Usage`](crate::Error::Usage) if `store` is not the function's store
    /// or a reference argument belongs to another store, with
    /// [`Error::Trap`](crate::Error::Trap) if execution traps.
    pub fn call(&self, mut store: impl AsContextMut, params: P) -> Result<R> {
        let store = store.as_context_mut().store;
        store.inner.check(self.func.store, "function")?;
        if P::LEN <= INLINE_VALS && R::LEN <= INLINE_VALS {
            let mut args = [Val::I32(0); INLINE_VALS];
            let mut rets = [Val::I32(0); INLINE_VALS];
            self.call_with(store, params, &mut args[..P::LEN], &mut rets[..R::LEN])
        } else {
            let mut args = alloc::vec![Val::I32(0); P::LEN];
            let mut rets = alloc::vec![Val::I32(0); R::LEN];
            self.call_with(store, params, &mut args, &mut rets)
        }
    }

    fn call_with<T>(
        &self,
        store: &mut crate::Store<T>,
        params: P,
        args: &mut [Val],
        rets: &mut [Val],
    ) -> Result<R> {
        params.write_vals(args);
        self.func.call_checked(store, args, rets)?;
        R::read_vals(rets).ok_or_else(|| {
            crate::Error::Trap(Trap::host("function returned values of the wrong type"))
        })
    }
}
