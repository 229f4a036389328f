//! Prints the bytecode of a .wat or .wasm file: `cargo run -p ember-validate --example disasm FILE`.
use ember_bytecode::Instr;

fn main() {
    let path = std::env::args().nth(1).expect("usage: disasm FILE");
    let bytes = wat::parse_file(&path).expect("parse");
    let m = ember_validate::Translator::new()
        .translate(&bytes)
        .unwrap_or_else(|e| panic!("{e}"));
    for (i, b) in m.bodies.iter().enumerate() {
        let f = i as u32 + m.num_imported_funcs;
        println!(
            "func {f} {}: frame_size={} params={} zeroed={} results={}",
            m.func_type(f).map(|t| t.to_string()).unwrap_or_default(),
            b.frame_size,
            b.num_params,
            b.zeroed_locals,
            b.num_results
        );
        let code = m.body_code(b).expect("code");
        let mut pc = 0;
        while pc < code.len() {
            let (ins, len) = Instr::decode(code, pc).expect("decode");
            let mut s = String::new();
            ins.disassemble(code, pc, &mut s).expect("fmt");
            println!("  {pc:4}: {s}");
            pc += len;
        }
    }
    println!(
        "wasm code section: {} bytes, bytecode: {} bytes",
        m.wasm_code_size,
        m.code.len()
    );
}
