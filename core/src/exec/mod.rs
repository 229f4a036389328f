//! The executor: interprets bytecode with an explicit frame stack.

/// The value stack and frame stack, reused between calls.
#[derive(Debug, Default)]
pub(crate) struct Stack {}
