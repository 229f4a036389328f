//! Runs the built `ember` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ember(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ember"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("ember runs")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ has a parent")
        .to_path_buf()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scratch file in the target directory, unique per test.
fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("scratch file");
    path
}

#[test]
fn run_fib() {
    let o = ember(&["run", "examples/fib.wat", "--invoke", "fib", "10"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "55\n");
    let o = ember(&["run", "examples/fib.wat", "--invoke", "fib64", "50"]);
    assert_eq!(stdout(&o), "12586269025\n", "stderr: {}", stderr(&o));
}

#[test]
fn run_other_examples() {
    let o = ember(&[
        "run",
        "examples/sieve.wat",
        "--invoke",
        "count_primes",
        "100",
    ]);
    assert_eq!(stdout(&o), "25\n", "stderr: {}", stderr(&o));
    let o = ember(&["run", "examples/sort.wat", "--invoke", "sort_check", "300"]);
    assert_eq!(stdout(&o), "1\n", "stderr: {}", stderr(&o));
    let o = ember(&["run", "examples/sort.wat", "--invoke", "sum", "1000"]);
    assert_eq!(stdout(&o), "-269184637\n", "stderr: {}", stderr(&o));
}

#[test]
fn run_prints_every_result_and_parses_args_by_type() {
    let wat = scratch(
        "multi.wat",
        br#"(module (func (export "f") (param i64 f32 f64) (result i64 f32 f64 i32)
              (local.get 0) (local.get 1) (local.get 2) (i32.const -1)))"#,
    );
    let o = ember(&[
        "run",
        wat.to_str().unwrap(),
        "--invoke",
        "f",
        "0x10",
        "1.5",
        "-2.25",
    ]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "16\n1.5\n-2.25\n-1\n");
}

#[test]
fn run_without_invoke_calls_start() {
    let wat = scratch(
        "start.wat",
        br#"(module (func (export "_start") (result i32) (i32.const 7)))"#,
    );
    let o = ember(&["run", wat.to_str().unwrap()]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "7\n");
}

#[test]
fn bad_file_is_an_error() {
    let bad = scratch("bad.wasm", b"\0asm\x01\0\0\0\x01\xff");
    let o = ember(&["run", bad.to_str().unwrap(), "--invoke", "f"]);
    assert!(!o.status.success());
    assert!(stderr(&o).starts_with("error:"), "stderr: {}", stderr(&o));
    let o = ember(&["validate", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).starts_with("error:"), "stderr: {}", stderr(&o));
    let o = ember(&["run", "no/such/file.wasm"]);
    assert!(!o.status.success());
    assert!(stderr(&o).starts_with("error:"), "stderr: {}", stderr(&o));
}

#[test]
fn usage_errors() {
    for args in [
        &[][..],
        &["frobnicate"][..],
        &["run", "examples/fib.wat", "--invoke", "fib"][..],
        &["run", "examples/fib.wat", "--invoke", "fib", "ten"][..],
        &["run", "examples/fib.wat", "--invoke", "nope"][..],
    ] {
        let o = ember(args);
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(stderr(&o).starts_with("error:"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn unresolved_import_names_the_import() {
    let wat = scratch(
        "import.wat",
        br#"(module (import "env" "missing" (func)) (func (export "f")))"#,
    );
    let o = ember(&["run", wat.to_str().unwrap(), "--invoke", "f"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.starts_with("error:") && err.contains("missing"),
        "stderr: {err}"
    );
}

#[test]
fn trap_is_an_error() {
    let wat = scratch("trap.wat", br#"(module (func (export "f") unreachable))"#);
    let o = ember(&["run", wat.to_str().unwrap(), "--invoke", "f"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.starts_with("error:") && err.contains("unreachable"),
        "stderr: {err}"
    );
}

#[test]
fn validate_and_inspect() {
    let o = ember(&["validate", "examples/fib.wat"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "valid\n");
    let o = ember(&["inspect", "examples/fib.wat"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("func[0] (export fib) (func (param i32) (result i32))"),
        "{out}"
    );
    assert!(out.contains("frame_size="), "{out}");
    assert!(out.contains("call"), "{out}");
    assert!(
        out.contains("total: 2 functions, wasm code section"),
        "{out}"
    );
}

#[test]
fn wast_prints_file_lines_and_summary() {
    let script = scratch(
        "tiny.wast",
        br#"(module
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
            (assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
            (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
            (assert_invalid (module (func (result i32))) "type mismatch")
            (assert_malformed (module quote "(func") "unexpected end")
        "#,
    );
    let path = script.to_str().unwrap();
    let o = ember(&["wast", path]);
    assert!(
        o.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(&o),
        stderr(&o)
    );
    assert_eq!(
        stdout(&o),
        format!("{path}: 5 passed, 0 failed\nspec: 5 passed, 0 failed\n")
    );

    let failing = scratch(
        "failing.wast",
        br#"(module (func (export "one") (result i32) (i32.const 1)))
            (assert_return (invoke "one") (i32.const 2))"#,
    );
    let o = ember(&["wast", failing.to_str().unwrap()]);
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    assert!(out.contains("2:14: assert_return"), "{out}");
    assert!(out.ends_with("spec: 1 passed, 1 failed\n"), "{out}");
}

#[test]
fn compile_then_run_and_inspect_precompiled() {
    let out = scratch("fib.ember", b"");
    let out_s = out.to_str().expect("utf-8 path");
    let o = ember(&["compile", "examples/fib.wat", "-o", out_s]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let blob = std::fs::read(&out).expect("written");
    assert!(blob.starts_with(b"\0ember\r\n"));
    let o = ember(&["run", out_s, "--invoke", "fib", "10"]);
    assert_eq!(stdout(&o), "55\n", "stderr: {}", stderr(&o));
    let o = ember(&["inspect", out_s]);
    assert!(
        stdout(&o).contains("func[0] (export fib)"),
        "{}",
        stdout(&o)
    );
    // A truncated blob is an error, not a crash.
    let bad = scratch("fib-truncated.ember", &blob[..blob.len() - 3]);
    let o = ember(&["run", bad.to_str().expect("utf-8"), "--invoke", "fib", "10"]);
    assert!(!o.status.success());
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    // Usage errors.
    let o = ember(&["compile", "examples/fib.wat"]);
    assert!(
        stderr(&o).contains("usage: ember compile"),
        "{}",
        stderr(&o)
    );
}
