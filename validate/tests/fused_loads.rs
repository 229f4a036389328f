//! The address superinstructions: `i32.add` / `i32.add_imm` feeding a load become one
//! `loadN.add` / `loadN.add_imm` — only when the sum is a temporary nobody else can observe.

mod common;

fn dis(body: &str) -> Vec<String> {
    let wat = format!("(module (memory 1) (func $f {body}\n))");
    let wasm = wat::parse_str(&wat).expect("valid wat");
    let m = ember_validate::Translator::new()
        .translate(&wasm)
        .expect("translates");
    common::check_module(&m).expect("self-check");
    common::disasm(&m, 0)
}

#[track_caller]
fn assert_code(body: &str, expected: &[&str]) {
    let got = dis(body);
    assert_eq!(got, expected, "\ngot:\n  {}\n", got.join("\n  "));
}

#[test]
fn add_then_load_is_fused() {
    assert_code(
        "(param i32 i32) (result i32)
         local.get 0 local.get 1 i32.add i32.load offset=8
         local.get 0 i32.const 12 i32.add i64.load8_s
         i32.wrap_i64 i32.add",
        &[
            "load32.add dst=2 addr=0 index=1 offset=8",
            "load8_s.add_imm dst=3 addr=0 imm=12 offset=0",
            "i32.add dst=2 lhs=2 rhs=3",
            "return_slot src=2",
        ],
    );
}

#[test]
fn a_sum_kept_in_a_local_is_not_fused() {
    assert_code(
        "(param i32 i32) (result i32) (local i32)
         local.get 0 local.get 1 i32.add local.tee 2 i32.load",
        &[
            "i32.add dst=2 lhs=0 rhs=1",
            "load32 dst=3 addr=2 offset=0",
            "return_slot src=3",
        ],
    );
}

#[test]
fn a_sum_reached_by_a_branch_is_not_fused() {
    // The block's result is the sum or, via `br_if`, 16: the load must see either.
    assert_code(
        "(param i32 i32) (result i32)
         (block (result i32)
           (br_if 0 (i32.const 16) (local.get 1))
           drop
           (i32.add (local.get 0) (local.get 1)))
         i32.load",
        &[
            "br_if_eqz cond=1 offset=19",
            "const32 dst=2 value=16",
            "br offset=12",
            "i32.add dst=2 lhs=0 rhs=1",
            "load32 dst=2 addr=2 offset=0",
            "return_slot src=2",
        ],
    );
}
