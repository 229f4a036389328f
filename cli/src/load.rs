//! Reading and compiling a module file.

use ember::{CompilationMode, Config, Engine, Module};

/// Reads `path` (binary, text, or a precompiled module written by `ember compile`, detected by
/// its magic number) and compiles or loads it with an engine in compilation `mode`.
pub fn compile_file(path: &str, mode: CompilationMode) -> Result<(Engine, Module), String> {
    compile_with(path, Config::default().compilation_mode(mode))
}

/// Loads `path` (as [`compile_file`]) with an engine of configuration `config`.
fn compile_with(path: &str, config: Config) -> Result<(Engine, Module), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let engine = Engine::new(&config);
    let module = if Module::is_precompiled(&bytes) {
        Module::deserialize(&engine, &bytes)
    } else {
        Module::new(&engine, &bytes)
    }
    .map_err(|e| format!("{path}: {e}"))?;
    Ok((engine, module))
}

/// `ember compile [--no-float-superinstructions] IN -o OUT`: translates IN (binary or text) and
/// writes the precompiled module (with the flag, for a runtime built without that feature).
pub fn compile_command(args: &[String]) -> Result<(), String> {
    let (float_super, args) = match args {
        [flag, rest @ ..] if flag == "--no-float-superinstructions" => (false, rest),
        _ => (true, args),
    };
    let (input, output) = match args {
        [i, o, out] if o == "-o" => (i, out),
        [o, out, i] if o == "-o" => (i, out),
        _ => {
            return Err(
                "usage: ember compile [--no-float-superinstructions] IN.wasm|IN.wat -o OUT.ember"
                    .to_string(),
            );
        }
    };
    let config = Config::default()
        .compilation_mode(CompilationMode::Eager)
        .float_superinstructions(float_super);
    let (_engine, module) = compile_with(input, config)?;
    let blob = module.serialize().map_err(|e| format!("{input}: {e}"))?;
    std::fs::write(output, blob).map_err(|e| format!("cannot write {output}: {e}"))
}
