//! Engine configuration.

/// Settings that affect compilation and execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Maximum number of 64-bit value slots on the value stack (all frames together).
    pub max_stack_slots: usize,
    /// Maximum depth of nested wasm calls.
    pub max_call_depth: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_stack_slots: 1 << 20,
            max_call_depth: 16 * 1024,
        }
    }
}
