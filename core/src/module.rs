//! Compiled modules.

use crate::engine::Engine;
use alloc::rc::Rc;
use ember_bytecode::module::CompiledModule;

/// A validated module translated to bytecode (cheap to clone).
#[derive(Debug, Clone)]
pub struct Module {
    pub(crate) inner: Rc<ModuleInner>,
}

#[derive(Debug)]
pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    pub(crate) compiled: CompiledModule,
}
