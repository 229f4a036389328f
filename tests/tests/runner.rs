//! The spec runner itself: every kind of directive passes when Ember behaves as the script
//! says, and fails (with a location and reason) when it does not — so a lenient runner cannot
//! hide engine bugs.

use ember_tests::{FileReport, run_wast};

const MODULE: &str = r#"
(module $m
  (memory (export "mem") 1)
  (global (export "g") i32 (i32.const 42))
  (table (export "tab") 2 funcref)
  (func $one (export "one") (result i32) (i32.const 1))
  (func (export "id64") (param i64) (result i64) (local.get 0))
  (func (export "idf32") (param f32) (result f32) (local.get 0))
  (func (export "idf64") (param f64) (result f64) (local.get 0))
  (func (export "nanf32") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "nanf64") (param i64) (result f64) (f64.reinterpret_i64 (local.get 0)))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "fref") (result funcref) (ref.func $one))
  (func (export "nullf") (result funcref) (ref.null func))
  (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func $rec (export "rec") (call $rec))
  (func (export "pair") (result i32 i64) (i32.const 1) (i64.const 2)))
"#;

fn run(body: &str) -> FileReport {
    run_wast("test.wast", &format!("{MODULE}\n{body}"))
}

/// Every directive after the module passes.
fn assert_passes(body: &str) {
    let r = run(body);
    assert_eq!(r.failed, 0, "{body}\nfailures: {:#?}", r.failures);
    assert!(r.passed >= 2, "{body}: {r:?}");
}

/// The module passes and exactly the one directive after it fails, with `reason_part`.
fn assert_fails(body: &str, reason_part: &str) {
    let r = run(body);
    assert_eq!((r.passed, r.failed), (1, 1), "{body}\n{r:#?}");
    let f = &r.failures[0];
    assert!(f.line > 1 && f.col > 0, "{f:?}");
    assert!(
        f.reason.contains(reason_part),
        "{body}\nreason: {}",
        f.reason
    );
}

#[test]
fn assert_return_compares_values() {
    assert_passes(r#"(assert_return (invoke "one") (i32.const 1))"#);
    assert_passes(r#"(assert_return (invoke "pair") (i32.const 1) (i64.const 2))"#);
    assert_passes(r#"(assert_return (invoke "id64" (i64.const -5)) (i64.const -5))"#);
    assert_passes(r#"(assert_return (get "g") (i32.const 42))"#);
    assert_passes(r#"(assert_return (get $m "g") (i32.const 42))"#);
    assert_passes(r#"(assert_return (invoke $m "one") (i32.const 1))"#);
    assert_fails(
        r#"(assert_return (invoke "one") (i32.const 2))"#,
        "expected i32:2, got i32:1",
    );
    assert_fails(
        r#"(assert_return (invoke "one") (i64.const 1))"#,
        "result 0",
    );
    assert_fails(
        r#"(assert_return (invoke "pair") (i32.const 1))"#,
        "expected 1 results, got 2",
    );
    assert_fails(
        r#"(assert_return (get "g") (i32.const 41))"#,
        "expected i32:41",
    );
}

#[test]
fn floats_compare_by_bits_and_nan_patterns() {
    assert_passes(r#"(assert_return (invoke "idf32" (f32.const -0.0)) (f32.const -0.0))"#);
    assert_fails(
        r#"(assert_return (invoke "idf32" (f32.const -0.0)) (f32.const 0.0))"#,
        "f32",
    );
    assert_fails(
        r#"(assert_return (invoke "idf64" (f64.const 0.0)) (f64.const -0.0))"#,
        "f64",
    );
    // Canonical NaN: only the quiet bit in the payload; either sign.
    assert_passes(
        r#"(assert_return (invoke "nanf32" (i32.const 0x7fc00000)) (f32.const nan:canonical))"#,
    );
    assert_passes(
        r#"(assert_return (invoke "nanf32" (i32.const 0xffc00000)) (f32.const nan:canonical))"#,
    );
    assert_fails(
        r#"(assert_return (invoke "nanf32" (i32.const 0x7fc00001)) (f32.const nan:canonical))"#,
        "nan:canonical",
    );
    // Arithmetic NaN: quiet bit set, any payload.
    assert_passes(
        r#"(assert_return (invoke "nanf32" (i32.const 0x7fc00001)) (f32.const nan:arithmetic))"#,
    );
    assert_fails(
        r#"(assert_return (invoke "nanf32" (i32.const 0x7fa00000)) (f32.const nan:arithmetic))"#,
        "nan:arithmetic",
    );
    assert_passes(
        r#"(assert_return (invoke "nanf64" (i64.const 0x7ff8000000000000)) (f64.const nan:canonical))"#,
    );
    assert_fails(
        r#"(assert_return (invoke "nanf64" (i64.const 0x7ff0000000000001)) (f64.const nan:arithmetic))"#,
        "nan:arithmetic",
    );
    // A specific NaN compares by bits.
    assert_passes(
        r#"(assert_return (invoke "nanf32" (i32.const 0x7fa00000)) (f32.const nan:0x200000))"#,
    );
    assert_fails(
        r#"(assert_return (invoke "nanf32" (i32.const 0x7fa00001)) (f32.const nan:0x200000))"#,
        "f32",
    );
}

#[test]
fn references() {
    assert_passes(r#"(assert_return (invoke "ext" (ref.extern 7)) (ref.extern 7))"#);
    assert_passes(r#"(assert_return (invoke "ext" (ref.extern 7)) (ref.extern))"#);
    assert_passes(r#"(assert_return (invoke "ext" (ref.null extern)) (ref.null extern))"#);
    assert_passes(r#"(assert_return (invoke "fref") (ref.func))"#);
    assert_passes(r#"(assert_return (invoke "nullf") (ref.null func))"#);
    assert_fails(
        r#"(assert_return (invoke "ext" (ref.extern 7)) (ref.extern 8))"#,
        "ref.extern 8",
    );
    assert_fails(
        r#"(assert_return (invoke "ext" (ref.extern 7)) (ref.null extern))"#,
        "ref.null",
    );
    assert_fails(r#"(assert_return (invoke "nullf") (ref.func))"#, "ref.func");
    assert_fails(
        r#"(assert_return (invoke "fref") (ref.null func))"#,
        "ref.null func",
    );
}

#[test]
fn traps_and_exhaustion() {
    assert_passes(r#"(assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")"#);
    assert_fails(
        r#"(assert_trap (invoke "div" (i32.const 1)) "integer divide by zero")"#,
        "got results",
    );
    assert_fails(
        r#"(assert_trap (invoke "div" (i32.const 0)) "unreachable")"#,
        "got trap",
    );
    assert_passes(r#"(assert_exhaustion (invoke "rec") "call stack exhausted")"#);
    assert_fails(
        r#"(assert_exhaustion (invoke "one") "call stack exhausted")"#,
        "got results",
    );
    assert_passes(
        r#"(assert_trap (module (memory 1) (data (i32.const 65536) "x")) "out of bounds memory access")"#,
    );
    assert_fails(
        r#"(assert_trap (module (memory 1)) "out of bounds memory access")"#,
        "got results",
    );
}

#[test]
fn rejected_modules() {
    assert_passes(r#"(assert_invalid (module (func (result i32))) "type mismatch")"#);
    assert_fails(
        r#"(assert_invalid (module (func)) "type mismatch")"#,
        "module accepted",
    );
    assert_passes(r#"(assert_malformed (module quote "(func") "unexpected end")"#);
    assert_passes(
        r#"(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")"#,
    );
    assert_fails(
        r#"(assert_malformed (module binary "\00asm\01\00\00\00") "unknown binary version")"#,
        "module accepted",
    );
}

#[test]
fn linking_and_registration() {
    assert_passes(
        r#"(register "M" $m)
           (module (import "M" "one" (func (result i32))) (import "spectest" "print_i32" (func (param i32)))
             (import "spectest" "global_i32" (global i32)) (import "spectest" "table" (table 10 funcref))
             (import "spectest" "memory" (memory 1)))
           (assert_unlinkable (module (import "M" "nope" (func))) "unknown import")
           (assert_unlinkable (module (import "M" "one" (func (result i64)))) "incompatible import type")"#,
    );
    assert_fails(
        r#"(assert_unlinkable (module (func)) "unknown import")"#,
        "instantiation succeeded",
    );
    assert_fails(r#"(register "X" $nope)"#, "no module named $nope");
    assert_fails(r#"(invoke "nope")"#, "no exported function");
    assert_fails(r#"(invoke "rec")"#, "invoke");
}

#[test]
fn a_failed_module_is_not_used_by_later_actions() {
    let r = run(r#"(module (func (export "one") (result i32) (i64.const 1)))
           (assert_return (invoke "one") (i32.const 1))"#);
    assert_eq!((r.passed, r.failed), (1, 2), "{r:#?}");
    assert!(r.failures[1].reason.contains("no current module"), "{r:#?}");
}

#[test]
fn unparsable_script_is_one_failure() {
    let r = run_wast("bad.wast", "(module (func)) (assert_return (invoke \"f\"");
    assert_eq!((r.passed, r.failed), (0, 1), "{r:#?}");
    assert!(
        r.failures[0].reason.contains("cannot parse script"),
        "{r:#?}"
    );
}
