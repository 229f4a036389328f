//! Operators of proposals Ember does not implement (anything beyond WebAssembly 2.0 without SIMD)
//! are refused with an error that names the proposal, the function and the operator's offset,
//! both when translating and when only validating (lazy loading), in reachable and unreachable
//! code alike.

use ember_validate::Translator;

/// `(proposal, function body)`: each body uses one operator of that proposal.
const CASES: &[(&str, &str)] = &[
    // wasmparser is built without SIMD: its reader refuses the 0xfd prefix itself.
    ("SIMD opcode", "v128.const i64x2 0 0 drop"),
    ("tail_call", "return_call 0"),
    ("exceptions", "(try_table (catch_all 0))"),
    ("gc", "i32.const 1 ref.i31 drop"),
    ("threads", "i32.const 0 i32.atomic.load drop"),
    (
        "wide_arithmetic",
        "i64.const 0 i64.const 0 i64.const 0 i64.const 0 i64.add128 drop drop",
    ),
    ("function_references", "ref.func 0 call_ref 0"),
];

/// The module: function 0 is the empty `(func)`, type 0; function 1 holds `body`, preceded by a
/// `nop` so that the offending operator is not the body's first byte.
fn module(body: &str, unreachable: bool) -> Vec<u8> {
    let prefix = if unreachable { "unreachable" } else { "nop" };
    let wat = format!(
        "(module (type (func)) (memory 1) (elem declare func 0)
           (func (type 0))
           (func (type 0) {prefix} {body}))"
    );
    wat::parse_str(&wat).unwrap_or_else(|e| panic!("wat for {body:?}: {e}"))
}

#[track_caller]
fn check(err: ember_bytecode::CompileError, proposal: &str, wasm: &[u8], mode: &str) {
    let wanted = format!("unsupported operator (proposal {proposal})");
    // Lazy loading validates through wasmparser's own `FuncValidator::validate` without
    // `small-code`: its messages then ("... support is not enabled").
    let theirs = mode == "lazy, validating" && !cfg!(feature = "small-code");
    assert!(
        err.message == wanted
            || (proposal == "SIMD opcode" && err.message.contains(proposal))
            || (theirs && err.message.contains("not enabled")),
        "{mode}: {err}"
    );
    assert_eq!(err.func_index, Some(1), "{mode}: {err}");
    // The offset points into function 1's body, after its `nop`/`unreachable` (0x01/0x00).
    let at = err.offset;
    assert!(
        at > 0 && at < wasm.len(),
        "{mode}: offset {at} of {}",
        wasm.len()
    );
    assert!(
        matches!(wasm[at - 1], 0x00 | 0x01),
        "{mode}: byte before {at}: {:#x}",
        wasm[at - 1]
    );
}

#[test]
fn operators_of_other_proposals_are_refused_with_the_proposal_named() {
    let mut t = Translator::new();
    for &(proposal, body) in CASES {
        for unreachable in [false, true] {
            let wasm = module(body, unreachable);
            let err = t.translate(&wasm).expect_err(body);
            check(err, proposal, &wasm, "eager");
            let Err(err) = t.translate_lazy(&wasm, true) else {
                panic!("lazy loading accepted {body:?}");
            };
            check(err, proposal, &wasm, "lazy, validating");
        }
    }
    // The translator is still usable after the errors.
    let ok = module("nop", false);
    t.translate(&ok).expect("a valid module translates");
}
