//! Engine configuration.

/// Settings that affect compilation and execution.
///
/// ```
/// let config = ember::Config::default().max_stack_slots(64 * 1024).max_call_depth(1000);
/// let engine = ember::Engine::new(&config);
/// assert_eq!(engine.config().max_call_depth, 1000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Maximum number of 64-bit value slots on the value stack (all frames together).
    pub max_stack_slots: usize,
    /// Maximum depth of nested wasm calls.
    pub max_call_depth: usize,
    /// Maximum nesting of wasm -> host -> wasm re-entry (each level uses native stack).
    pub max_host_reentry: usize,
    /// Maximum size of any linear memory, in 64 KiB pages.
    pub max_memory_pages: u32,
    /// Maximum number of elements of any table.
    pub max_table_elements: u32,
    /// When function bodies are validated and translated.
    pub compilation_mode: CompilationMode,
    /// Whether translated code may use the float superinstructions
    /// ([`Config::float_superinstructions`]).
    pub float_superinstructions: bool,
}

/// When [`Module::new`](crate::Module::new) validates and translates function bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompilationMode {
    /// Validate and translate every function at `Module::new`.
    Eager,
    /// Validate every function at `Module::new`, translate each on its first call (the
    /// default): start-up does not pay for functions that never run, and every error the
    /// specification requires at load time is still reported there. Ember's own limits on a
    /// function (a frame of more than 65535 slots) are found when it is translated: its first
    /// call then traps.
    #[default]
    LazyTranslation,
    /// Validate and translate each function on its first call. `Module::new` checks only the
    /// module's structure, so, unlike the specification requires, a module with an invalid
    /// function body loads, and the invalid body is reported as a trap when it is first
    /// called (or by [`Module::translate_all`](crate::Module::translate_all)).
    Lazy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_stack_slots: 1 << 20,
            max_call_depth: 16 * 1024,
            max_host_reentry: 100,
            max_memory_pages: 16 * 1024,
            max_table_elements: 10_000_000,
            compilation_mode: CompilationMode::default(),
            float_superinstructions: cfg!(feature = "float-superinstructions"),
        }
    }
}

impl Config {
    /// Sets when function bodies are validated and translated (default:
    /// [`CompilationMode::LazyTranslation`]).
    pub fn compilation_mode(mut self, mode: CompilationMode) -> Self {
        self.compilation_mode = mode;
        self
    }

    /// Sets the maximum number of 64-bit value slots on the value stack, summed over all active
    /// frames (parameters, locals and temporaries). A call whose frame would not fit traps with
    /// [`TrapCode::StackOverflow`](crate::TrapCode::StackOverflow). Default: 2^20 (8 MiB).
    pub fn max_stack_slots(mut self, slots: usize) -> Self {
        self.max_stack_slots = slots;
        self
    }

    /// Sets the maximum depth of nested wasm calls; a deeper call traps with
    /// [`TrapCode::StackOverflow`](crate::TrapCode::StackOverflow). Default: 16384.
    pub fn max_call_depth(mut self, depth: usize) -> Self {
        self.max_call_depth = depth;
        self
    }

    /// Sets how deeply calls may re-enter wasm from host functions (wasm calls a host function
    /// that calls wasm, and so on). Wasm-to-wasm calls never use the native stack, but each
    /// re-entry level runs the executor again on it, so this bounds native stack use: lower it
    /// on targets with small stacks. Deeper re-entry traps with
    /// [`TrapCode::StackOverflow`](crate::TrapCode::StackOverflow). Default: 100.
    pub fn max_host_reentry(mut self, levels: usize) -> Self {
        self.max_host_reentry = levels;
        self
    }

    /// Sets the largest size, in 64 KiB pages, that any linear memory may have (at most 65536,
    /// the 4 GiB WebAssembly limit). Memory is allocated and zeroed as it is declared or grown, so
    /// a module declaring a huge memory would otherwise commit that much RAM: past this limit,
    /// `memory.grow` returns -1 and instantiation fails with an error. Default: 16384 (1 GiB).
    pub fn max_memory_pages(mut self, pages: u32) -> Self {
        self.max_memory_pages = pages;
        self
    }

    /// Sets whether translated code may use the float superinstructions
    /// ([`ember_bytecode::is_float_superinstruction`]: the float accumulator, fused
    /// multiply-add pairs, immediate operands), which make float code faster. Turn it off to
    /// precompile modules ([`Module::serialize`](crate::Module::serialize)) for a runtime built
    /// without the feature `float-superinstructions` (a firmware), which refuses them.
    /// Default: on when this build has that feature (always off without it).
    pub fn float_superinstructions(mut self, on: bool) -> Self {
        self.float_superinstructions = on && cfg!(feature = "float-superinstructions");
        self
    }

    /// Sets the largest number of elements any table may have (8 bytes each): past it,
    /// `table.grow` returns -1 and instantiation fails with an error. Default: 10,000,000.
    pub fn max_table_elements(mut self, elements: u32) -> Self {
        self.max_table_elements = elements;
        self
    }
}
