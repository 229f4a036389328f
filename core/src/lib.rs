//! Ember: a WebAssembly interpreter for microcontrollers, blockchain runtimes and sandboxes.
//!
//! The API follows wasmtime and wasmi: an [`Engine`] (configured by [`Config`]) compiles a
//! [`Module`]; a [`Store`] owns runtime objects and host state; a [`Linker`] defines imports and
//! instantiates modules into [`Instance`]s, whose exported [`Func`]s are called.
#![no_std]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(feature = "wat")]
extern crate std;

mod config;
mod engine;
mod error;
mod exec;
mod func;
mod module;
mod store;
mod value;

pub use config::Config;
pub use engine::Engine;
pub use error::{CompileError, Error, Result, Trap, TrapCode};
pub use func::Func;
pub use module::Module;
pub use store::{Caller, Store, StoreId};
pub use value::{ExternRef, FuncType, RefType, Val, ValType};

/// The bytecode crate, re-exported for tools that inspect translated code.
pub use ember_bytecode as bytecode;
