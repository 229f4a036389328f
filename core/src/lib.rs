//! Ember: a WebAssembly interpreter for microcontrollers, blockchain runtimes and sandboxes.
//!
//! The API follows wasmtime and wasmi: an [`Engine`] (configured by [`Config`]) compiles a
//! [`Module`]; a [`Store`] owns runtime objects and host state; a [`Linker`] defines imports and
//! instantiates modules into [`Instance`]s, whose exported [`Func`]s are called.
//!
//! Functions taking a store accept anything implementing [`AsContext`] / [`AsContextMut`]:
//! `&store`, `&mut store`, or, inside a host function, `&caller` / `&mut caller`.
//!
//! ```
//! use ember::{Caller, Engine, Linker, Module, Store};
//!
//! let engine = Engine::default();
//! let module = Module::new(
//!     &engine,
//!     r#"(module
//!          (import "host" "log" (func $log (param i32)))
//!          (func (export "add") (param i32 i32) (result i32)
//!            (call $log (local.get 0))
//!            (i32.add (local.get 0) (local.get 1))))"#,
//! )?;
//! let mut store = Store::new(&engine, Vec::<i32>::new());
//! let mut linker = Linker::new(&engine);
//! linker.func_wrap("host", "log", |mut caller: Caller<'_, Vec<i32>>, x: i32| {
//!     caller.data_mut().push(x);
//! })?;
//! let instance = linker.instantiate(&mut store, &module)?;
//! let add = instance.get_typed_func::<(i32, i32), i32>(&store, "add")?;
//! assert_eq!(add.call(&mut store, (2, 3))?, 5);
//! assert_eq!(store.data(), &[2]);
//! # Ok::<(), ember::Error>(())
//! ```
#![no_std]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(feature = "wat")]
extern crate std;

mod config;
mod context;
mod engine;
mod error;
mod exec;
mod externals;
mod func;
mod global;
mod index;
mod instance;
mod linker;
mod memory;
mod module;
mod store;
mod table;
mod typed;
mod value;

pub use config::{CompilationMode, Config};
pub use context::{AsContext, AsContextMut, StoreContext, StoreContextMut};
pub use engine::Engine;
pub use error::{CompileError, Error, Result, Trap, TrapCode};
#[cfg(feature = "op-stats")]
pub use exec::op_stats;
pub use externals::{Extern, ExternType};
pub use func::Func;
pub use global::Global;
pub use instance::Instance;
pub use linker::Linker;
pub use memory::Memory;
pub use module::{ExportType, ImportType, Module};
pub use store::{Caller, Store, StoreId};
pub use table::Table;
pub use typed::{IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};
pub use value::{ExternRef, FuncType, RefType, Val, ValType};

pub use ember_bytecode::types::{GlobalType, Limits, MemoryType, TableType};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// The bytecode crate, re-exported for tools that inspect translated code.
pub use ember_bytecode as bytecode;
