//! `ember inspect FILE`: every function's signature, frame and disassembled bytecode.

use crate::load::compile_file;
use ember::bytecode::Instr;
use ember::bytecode::module::{CompiledModule, ExternKind, FuncBody};
use std::fmt::Write as _;

/// Prints the translated module.
pub fn command(file: &str) -> Result<(), String> {
    let (_engine, module) = compile_file(file, ember::CompilationMode::Eager)?;
    let text = render(module.compiled()).map_err(|e| format!("{file}: {e}"))?;
    print!("{text}");
    Ok(())
}

/// The listing: one block per defined function, then totals.
pub fn render(m: &CompiledModule) -> Result<String, String> {
    let mut out = String::new();
    for (i, body) in m.bodies.iter().enumerate() {
        let index = m
            .num_imported_funcs
            .checked_add(i as u32)
            .ok_or("function index overflow")?;
        render_func(m, index, body, &mut out)?;
    }
    let wasm = m.wasm_code_size;
    let bytecode = m.code.len();
    let ratio = if wasm == 0 {
        0.0
    } else {
        bytecode as f64 / f64::from(wasm)
    };
    let _ = writeln!(
        out,
        "total: {} functions, wasm code section {wasm} bytes, bytecode {bytecode} bytes, ratio {ratio:.2}",
        m.bodies.len()
    );
    Ok(out)
}

fn render_func(
    m: &CompiledModule,
    index: u32,
    body: &FuncBody,
    out: &mut String,
) -> Result<(), String> {
    let ty = m
        .func_type(index)
        .map(|t| t.to_string())
        .unwrap_or_else(|| "(unknown type)".to_string());
    let names: Vec<&str> = m
        .exports
        .iter()
        .filter(|e| e.kind == ExternKind::Func && e.index == index)
        .map(|e| e.name.as_str())
        .collect();
    let exported = if names.is_empty() {
        String::new()
    } else {
        format!(" (export {})", names.join(", "))
    };
    let _ = writeln!(out, "func[{index}]{exported} {ty}");
    let _ = writeln!(
        out,
        "  frame_size={} params={} zeroed={} results={} code={} bytes",
        body.frame_size, body.num_params, body.zeroed_locals, body.num_results, body.code_len
    );
    let code = m
        .body_code(body)
        .ok_or_else(|| format!("function {index}: code out of range"))?;
    let mut pc = 0;
    while pc < code.len() {
        match Instr::decode(code, pc) {
            Ok((instr, len)) => {
                let mut line = String::new();
                let _ = instr.disassemble(code, pc, &mut line);
                let _ = writeln!(out, "  {pc:6}: {line}");
                pc += len.max(1);
            }
            Err(e) => {
                let _ = writeln!(out, "  {pc:6}: <{e}>");
                break;
            }
        }
    }
    Ok(())
}
