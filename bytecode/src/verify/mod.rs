//! The verifier: checks that a [`CompiledModule`] — typically one decoded from untrusted bytes —
//! is safe to run, in time linear in its size.
//!
//! What it guarantees (see `docs/format.md` for the full list):
//! - every function's code decodes into whole instructions that end exactly at the end of the
//!   function, and the last one is an unconditional transfer (`br`, `br_table`, a return, or
//!   `unreachable`), so execution cannot run off the end of a function;
//! - every slot operand (tails included) is below the function's `frame_size`; a `call` or
//!   `call_indirect` at `base` has `base + max(params, results)` of the callee's type within the
//!   frame; `copy_many`'s destinations and `return_many`'s results fit;
//! - every branch target (`br_table` tails included) is the first byte of an instruction of the
//!   same function;
//! - every function, type, global, table, memory, data and element index is in range and of the
//!   right kind (`global.set` of a mutable global, `call_indirect` through a funcref table,
//!   memory instructions only with a memory, `table.init`/`table.copy` with matching element
//!   types, `ref.func` of a declared function), and returns match the function's result count;
//! - frames hold the parameters and locals, and parameter and result counts match the type;
//! - module level: types, imports and the import counts agree; bodies lie inside `code`, in
//!   order, without overlap; exports are in range with unique names; constant expressions are
//!   well typed; segments name existing tables and memories of the right type; the start
//!   function has type `[] -> []`.
//!
//! It does not type-check slots (they are untyped): a forged module may, say, read an i32 as
//! an f64. That cannot break memory safety or make the executor panic; references coming out of
//! such code are checked where they leave the executor.
//!
//! Bodies are checked against a table that the compiler derives from the instruction set
//! (`table.rs`: every instruction's operand layout, flags and rule), by one generic loop
//! (`code.rs`). An instruction whose operands the verifier cannot classify stops the build.

mod code;
mod module;
mod table;

#[cfg(test)]
mod tests;

use crate::module::CompiledModule;
use alloc::string::String;
use core::fmt;

/// Why a module failed verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    /// The function (module-level index) whose body is wrong, if the problem is in a body.
    pub func: Option<u32>,
    /// For a problem in a body: offset of the offending instruction in
    /// [`CompiledModule::code`]. Otherwise 0.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.func {
            Some(func) => write!(
                f,
                "precompiled module rejected: {} (function {func}, code offset {:#x})",
                self.message, self.offset
            ),
            None => write!(f, "precompiled module rejected: {}", self.message),
        }
    }
}

/// A module-level error.
pub(crate) fn module_error(message: impl Into<String>) -> VerifyError {
    VerifyError {
        func: None,
        offset: 0,
        message: message.into(),
    }
}

/// Checks the whole module: module-level consistency, then every function body.
pub fn verify_module(m: &CompiledModule) -> Result<(), VerifyError> {
    let declared = module::check(m)?;
    let mut v = code::CodeVerifier::new(m, &declared);
    let mut prev_end = 0u64;
    for (k, body) in m.bodies.iter().enumerate() {
        let func = u32::try_from(k)
            .ok()
            .and_then(|k| k.checked_add(m.num_imported_funcs))
            .ok_or_else(|| module_error("too many functions"))?;
        let start = u64::from(body.code_start);
        let end = start + u64::from(body.code_len);
        if start < prev_end || end > m.code.len() as u64 {
            return Err(VerifyError {
                func: Some(func),
                offset: body.code_start as usize,
                message: String::from(
                    "function code range overlaps the previous function or lies outside the code",
                ),
            });
        }
        prev_end = end;
        v.verify_body(func, body)?;
    }
    Ok(())
}
