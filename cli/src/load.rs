//! Reading and compiling a module file.

use ember::{Engine, Module};

/// Reads `path` (binary or text) and compiles it with a default engine.
pub fn compile_file(path: &str) -> Result<(Engine, Module), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes).map_err(|e| format!("{path}: {e}"))?;
    Ok((engine, module))
}
