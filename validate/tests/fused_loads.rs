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

#[test]
fn a_shifted_index_fuses_into_the_add_and_the_load() {
    // base + (i << 2), either side of the add: `i32.add_shl`; then loaded: `load32.add_shl`.
    assert_code(
        "(param i32 i32) (result i32)
         local.get 0 local.get 1 i32.const 2 i32.shl i32.add i32.load offset=4
         local.get 1 i32.const 34 i32.shl local.get 0 i32.add
         i32.add",
        &[
            "load32.add_shl dst=2 addr=0 index=1 imm=2 offset=4",
            "i32.add_shl dst=3 lhs=0 rhs=1 imm=2",
            "i32.add dst=2 lhs=2 rhs=3",
            "return_slot src=2",
        ],
    );
}

#[test]
fn a_shift_is_not_fused_when_its_result_is_observable_or_the_other_side_is_constant() {
    assert_code(
        "(param i32 i32) (result i32) (local i32)
         local.get 1 i32.const 3 i32.shl local.tee 2 local.get 0 i32.add
         local.get 1 i32.const 3 i32.shl i32.const 100 i32.add
         i32.add",
        &[
            "i32.shl_imm dst=2 lhs=1 imm=3",
            "i32.add dst=3 lhs=2 rhs=0",
            "i32.shl_imm dst=4 lhs=1 imm=3",
            "i32.add_imm dst=4 lhs=4 imm=100",
            "i32.add dst=3 lhs=3 rhs=4",
            "return_slot src=3",
        ],
    );
}

#[test]
fn a_product_fuses_into_the_add_in_operand_order() {
    assert_code(
        "(param f64 f64 f64) (result f64)
         local.get 0 local.get 1 f64.mul local.get 2 f64.add
         local.get 2 local.get 0 local.get 1 f64.mul f64.add
         f64.add
         local.get 0 local.get 1 f64.mul f64.const 1 f64.add
         f64.add",
        &[
            "f64.mul_add dst=3 lhs=0 rhs=1 addend=2",
            "f64.add_mul dst=4 addend=2 lhs=0 rhs=1",
            "f64.add dst=3 lhs=3 rhs=4",
            // (The product and the sum go through the float accumulator.)
            "f64.mul.to_acc dst=4 lhs=0 rhs=1",
            "f64.add_imm.acc_lhs.to_acc dst=4 lhs=4 value=4607182418800017408",
            "f64.add.acc_rhs dst=3 lhs=3 rhs=4",
            "return_slot src=3",
        ],
    );
}

#[test]
fn a_rotation_fuses_into_the_xor() {
    assert_code(
        "(param i32 i32) (result i32)
         local.get 0 local.get 1 i32.const 7 i32.rotl i32.xor
         local.get 1 i32.const 39 i32.rotl local.get 0 i32.xor
         i32.add",
        &[
            "i32.xor_rotl dst=2 lhs=0 rhs=1 imm=7",
            "i32.xor_rotl dst=3 lhs=0 rhs=1 imm=7",
            "i32.add dst=2 lhs=2 rhs=3",
            "return_slot src=2",
        ],
    );
}

#[test]
fn f64_chains_hand_values_over_in_the_accumulator() {
    // (a * b) * 2.5 - c, then 1.5 - that, then stored in a local: every value but the last
    // goes through the accumulator; a value kept in a local does not.
    assert_code(
        "(param f64 f64 f64) (result f64) (local f64)
         (local.set 3 (f64.sub (f64.const 1.5)
           (f64.sub (f64.mul (f64.mul (local.get 0) (local.get 1)) (f64.const 2.5)) (local.get 2))))
         (f64.div (local.get 3) (f64.add (local.get 3) (local.get 0)))",
        &[
            "f64.mul.to_acc dst=5 lhs=0 rhs=1",
            "f64.mul_imm.acc_lhs.to_acc dst=5 lhs=5 value=4612811918334230528",
            "f64.sub.acc_lhs.to_acc dst=5 lhs=5 rhs=2",
            "f64.sub_imm_lhs.acc_rhs dst=3 value=4609434218613702656 rhs=5",
            "f64.add.to_acc dst=5 lhs=3 rhs=0",
            "f64.div.acc_rhs dst=4 lhs=3 rhs=5",
            "return_slot src=4",
        ],
    );
}
