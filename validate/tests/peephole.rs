//! Disassembly tests: each peephole of the translator on a small function.

mod common;

use ember_bytecode::module::CompiledModule;
use ember_validate::Translator;

fn compile(wat: &str) -> CompiledModule {
    let wasm = wat::parse_str(wat).expect("valid wat");
    let m = Translator::new().translate(&wasm).expect("translates");
    common::check_module(&m).expect("self-check");
    m
}

/// Disassembly of the only (or first) defined function of a module.
fn dis(wat: &str) -> Vec<String> {
    common::disasm(&compile(wat), 0)
}

fn func(body: &str) -> String {
    format!("(module (func $f {body}\n) (func $g (param i32 i32 i32) (result i32) local.get 2))")
}

#[track_caller]
fn assert_code(wat_body: &str, expected: &[&str]) {
    let got = dis(&func(wat_body));
    assert_eq!(got, expected, "\ngot:\n  {}\n", got.join("\n  "));
}

#[test]
fn i32_constant_operands_fold_into_imm_forms() {
    // Slots: params 0, 1; temporaries from 2.
    assert_code(
        "(param i32 i32) (result i32)
         local.get 0 i32.const 5 i32.add      ;; x + c
         i32.const 6 local.get 0 i32.mul      ;; c * x (commutative)
         i32.add
         local.get 0 i32.const 3 i32.sub      ;; x - c  -> add_imm -c
         i32.const 7 local.get 1 i32.sub      ;; c - x  -> sub_imm_lhs
         i32.xor
         i32.and
         i32.const 35 i32.shl                 ;; shift counts are taken mod 32
         local.get 0 i32.div_s                ;; no imm form: register operands",
        &[
            "i32.add_imm dst=2 lhs=0 imm=5",
            "i32.mul_imm dst=3 lhs=0 imm=6",
            "i32.add dst=2 lhs=2 rhs=3",
            "i32.add_imm dst=3 lhs=0 imm=-3",
            "i32.sub_imm_lhs dst=4 imm=7 rhs=1",
            "i32.xor dst=3 lhs=3 rhs=4",
            "i32.and dst=2 lhs=2 rhs=3",
            "i32.shl_imm dst=2 lhs=2 imm=3",
            "i32.div_s dst=2 lhs=2 rhs=0",
            "return_slot src=2",
        ],
    );
}

#[test]
fn i64_immediates_only_when_they_fit_i32() {
    assert_code(
        "(param i64) (result i64)
         local.get 0 i64.const -7 i64.sub            ;; add_imm 7
         i64.const 0x80000000 i64.add                ;; does not fit: const + add
         i64.const 0x123456789 i64.and               ;; does not fit: const64 + and
         i64.const -2147483648 i64.sub               ;; -c does not fit i32: register sub
         i64.const 70 i64.rotl                       ;; rotate count mod 64",
        &[
            "i64.add_imm dst=1 lhs=0 imm=7",
            "const32 dst=2 value=2147483648",
            "i64.add dst=1 lhs=1 rhs=2",
            "const64 dst=2 value=4886718345",
            "i64.and dst=1 lhs=1 rhs=2",
            "const64 dst=2 value=18446744071562067968",
            "i64.sub dst=1 lhs=1 rhs=2",
            "i64.rotl_imm dst=1 lhs=1 imm=6",
            "return_slot src=1",
        ],
    );
}

#[test]
fn compare_with_constant_lhs_is_swapped() {
    assert_code(
        "(param i32 i64) (result i32)
         i32.const 10 local.get 0 i32.lt_s      ;; 10 < x  ==  x > 10
         i64.const 3 local.get 1 i64.ge_u       ;; 3 >= y  ==  y <= 3
         i32.add",
        &[
            "i32.gt_s_imm dst=2 lhs=0 imm=10",
            "i64.le_u_imm dst=3 lhs=1 imm=3",
            "i32.add dst=2 lhs=2 rhs=3",
            "return_slot src=2",
        ],
    );
}

#[test]
fn compare_and_br_if_fuse() {
    assert_code(
        "(param i32 i32 i64 f32)
         block
           local.get 0 local.get 1 i32.lt_s br_if 0     ;; reg-reg
           local.get 0 i32.const 10 i32.ge_u br_if 0    ;; reg-imm
           i32.const 4 local.get 0 i32.gt_s br_if 0     ;; constant lhs: swapped
           local.get 0 i32.eqz br_if 0                  ;; eqz -> br_if_eqz
           local.get 2 i64.eqz br_if 0                  ;; i64.eqz -> br.i64.eqz
           local.get 2 local.get 2 i64.ne br_if 0       ;; i64 reg-reg
           local.get 2 i64.const 3 i64.lt_s br_if 0     ;; i64 imm: no fused form
           local.get 3 local.get 3 f32.lt br_if 0       ;; floats never fuse
           local.get 1 br_if 0                          ;; plain i32
           i32.const 0 local.set 1
         end",
        &[
            "br.i32.lt_s lhs=0 rhs=1 offset=98",
            "br.i32.ge_u_imm lhs=0 imm=10 offset=89",
            "br.i32.lt_s_imm lhs=0 imm=4 offset=78",
            "br_if_eqz cond=0 offset=67",
            "br.i64.eqz cond=2 offset=60",
            "br.i64.ne lhs=2 rhs=2 offset=53",
            "i64.lt_s_imm dst=4 lhs=2 imm=3",
            "br_if_nez cond=4 offset=35",
            "f32.lt dst=4 lhs=3 rhs=3",
            "br_if_nez cond=4 offset=21",
            "br_if_nez cond=1 offset=14",
            "const32 dst=1 value=0",
            "return",
        ],
    );
}

#[test]
fn if_branches_on_the_negated_condition() {
    assert_code(
        "(param i32 i32) (result i32)
         local.get 0 local.get 1 i32.le_u
         if (result i32) i32.const 1 else i32.const 2 end
         local.get 0 i32.const 0 i32.ne
         if (result i32) i32.const 3 else i32.const 4 end
         i32.add
         local.get 1 i32.eqz
         if (param i32) (result i32) i32.const 5 i32.add end",
        &[
            "br.i32.gt_u lhs=0 rhs=1 offset=21",
            "const32 dst=2 value=1",
            "br offset=12",
            "const32 dst=2 value=2",
            "br.i32.eq_imm lhs=0 imm=0 offset=23",
            "const32 dst=3 value=3",
            "br offset=12",
            "const32 dst=3 value=4",
            "i32.add dst=2 lhs=2 rhs=3",
            "br_if_nez cond=1 offset=16",
            "i32.add_imm dst=2 lhs=2 imm=5",
            "return_slot src=2",
        ],
    );
}

#[test]
fn local_set_retargets_the_producing_instruction() {
    assert_code(
        "(param i32 i32) (result i32) (local i32 i32)
         local.get 0 local.get 1 i32.add local.set 2     ;; add writes local 2 directly
         local.get 2 i32.const 1 i32.add local.tee 3     ;; tee too
         i32.const 9 local.set 2                          ;; a constant: const32 into the local
         local.get 3 local.set 2                          ;; a local: copy",
        &[
            "i32.add dst=2 lhs=0 rhs=1",
            "i32.add_imm dst=3 lhs=2 imm=1",
            "const32 dst=2 value=9",
            "copy dst=2 src=3",
            "return_slot src=3",
        ],
    );
}

#[test]
fn lazy_local_reads_are_materialised_before_the_local_changes() {
    assert_code(
        "(param i32) (result i32)
         local.get 0                                   ;; lazy read of local 0 (height 0)
         local.get 0 i32.const 1 i32.add local.set 0   ;; overwrites local 0
         local.get 0 i32.add",
        &[
            "i32.add_imm dst=2 lhs=0 imm=1",
            // The old value is saved to the home slot of height 0 (slot 1) first; the add is
            // not retargeted because local 0 was still referenced.
            "copy dst=1 src=0",
            "copy dst=0 src=2",
            "i32.add dst=1 lhs=1 rhs=0",
            "return_slot src=1",
        ],
    );
    // Also below an enclosing block: lazy locals are materialised at block entry.
    assert_code(
        "(param i32) (result i32)
         local.get 0
         block
           i32.const 5 local.set 0
         end
         local.get 0 i32.add",
        &[
            "copy dst=1 src=0",
            "const32 dst=0 value=5",
            "i32.add dst=1 lhs=1 rhs=0",
            "return_slot src=1",
        ],
    );
}

#[test]
fn multi_value_blocks_and_returns() {
    assert_code(
        "(param i32 i32) (result i32 i32)
         local.get 0 local.get 1
         block (param i32 i32) (result i32 i32)
           i32.const 1 i32.add
         end",
        &[
            "copy_many dst=2 count=2 [0, 1]",
            "i32.add_imm dst=3 lhs=3 imm=1",
            "return_many count=2 [2, 3]",
        ],
    );
    // A block type given by type index, results of a br carried by copy and const.
    assert_code(
        "(param i32) (result i32 i64)
         block (result i32 i64)
           local.get 0 i64.const 7 local.get 0 br_if 0
           drop drop
           i32.const 1 i64.const 2
         end",
        &[
            // Values to copy: branch around the copies on the negated condition.
            "br_if_eqz cond=0 offset=24",
            "copy dst=1 src=0",
            "const32 dst=2 value=7",
            "br offset=19",
            "const32 dst=1 value=1",
            "const32 dst=2 value=2",
            "return_many count=2 [1, 2]",
        ],
    );
}

#[test]
fn br_table_uses_stubs_for_targets_that_need_copies() {
    assert_code(
        "(param i32) (result i32)
         block (result i32)
           block (result i32)
             block (result i32)
               local.get 0 i32.const 2 i32.add         ;; already in place for every target
               local.get 0 br_table 0 1 2 0
             end
             i32.const 1 i32.add
           end
           i32.const 9 local.get 0 br_table 0 1 1     ;; needs a copy: stubs, shared per target
         end",
        &[
            "i32.add_imm dst=1 lhs=0 imm=2",
            // at 9: inner end (32), middle end (41), outer end (77), inner end.
            "br_table index=0 count=4 [23, 32, 68, 23]",
            "i32.add_imm dst=1 lhs=1 imm=1",
            // at 41: stub for the outer block (60), stub for the function (72), twice.
            "br_table index=0 count=3 [19, 31, 31]",
            "const32 dst=1 value=9",
            "br offset=10",
            "return_imm32 value=9",
            "return_slot src=1",
        ],
    );
}

#[test]
fn loops_branch_backwards_with_their_parameters() {
    assert_code(
        "(param i32) (result i32)
         i32.const 0
         loop (param i32) (result i32)
           i32.const 1 i32.add
           local.get 0 i32.const 1 i32.sub local.tee 0
           br_if 0
         end",
        &[
            "const32 dst=1 value=0",
            "i32.add_imm dst=1 lhs=1 imm=1",
            "i32.add_imm dst=0 lhs=0 imm=-1",
            "br_if_nez cond=0 offset=-18",
            "return_slot src=1",
        ],
    );
}

#[test]
fn unreachable_code_is_not_emitted() {
    assert_code(
        "(param i32) (result i32)
         block (result i32)
           local.get 0 br 0
           i32.const 1 i32.add
           block (result i32) i32.const 2 end
           drop
           if i32.const 3 drop else nop end
         end",
        &["copy dst=1 src=0", "return_slot src=1"],
    );
}

#[test]
fn calls_put_arguments_at_the_top_of_the_frame() {
    assert_code(
        "(param i32 i32) (result i32)
         local.get 1
         local.get 0 i32.const 4 local.get 1 call $g
         i32.add",
        &[
            "copy dst=3 src=0",
            "const32 dst=4 value=4",
            "copy dst=5 src=1",
            "call func=1 base=3",
            "i32.add dst=2 lhs=1 rhs=3",
            "return_slot src=2",
        ],
    );
    let m = compile(&func(
        "(param i32 i32) (result i32) local.get 1 local.get 0 i32.const 4 local.get 1 call $g i32.add",
    ));
    assert_eq!(m.bodies[0].frame_size, 6);
}

#[test]
fn too_large_frames_are_errors_not_panics() {
    let mut text = String::from("(module (func (local");
    for _ in 0..50_000 {
        text.push_str(" i32");
    }
    text.push(')');
    for _ in 0..16_000 {
        text.push_str(" local.get 0");
    }
    for _ in 0..16_000 {
        text.push_str(" drop");
    }
    text.push_str("))");
    let wasm = wat::parse_str(&text).expect("valid wat");
    let e = Translator::new()
        .translate(&wasm)
        .expect_err("frame exceeds u16");
    assert!(e.message.starts_with("function too large"), "{e}");
    assert_eq!(e.func_index, Some(0));
}

#[test]
fn constant_store_values_use_the_store_immediate_forms() {
    let body = "(param i32)
         local.get 0 i32.const 0x1ff i32.store8 offset=1
         local.get 0 i32.const -2 i32.store16
         local.get 0 i32.const 0xdeadbeef i32.store offset=8
         local.get 0 i64.const -3 i64.store
         local.get 0 i64.const 0x1_0000_0000 i64.store   ;; does not fit i32: no imm form
         local.get 0 f64.const 0 f64.store
         local.get 0 i64.const 0x1_0000_0005 i64.store32 ;; low 32 bits
         local.get 0 local.get 0 i32.store";
    let got = dis(&format!("(module (memory 1) (func $f {body}))"));
    assert_eq!(
        got,
        [
            "store8_imm addr=0 imm=511 offset=1",
            "store16_imm addr=0 imm=-2 offset=0",
            "store32_imm addr=0 imm=-559038737 offset=8",
            "store64_imm addr=0 imm=-3 offset=0",
            "const64 dst=2 value=4294967296",
            "store64 addr=0 value=2 offset=0",
            "store64_imm addr=0 imm=0 offset=0",
            "store32_imm addr=0 imm=5 offset=0",
            "store32 addr=0 value=0 offset=0",
            "return",
        ],
        "\ngot:\n  {}\n",
        got.join("\n  ")
    );
}

#[test]
fn float_constants_fold_into_imm_forms_on_either_side_of_sub_and_div() {
    assert_code(
        "(param f64 f32) (result f64)
         f64.const 1.5 local.get 0 f64.sub   ;; c - x  -> sub_imm_lhs
         f64.const 2 f64.div                 ;; x / c  -> div_imm
         f64.const 4 local.get 0 f64.div     ;; c / x  -> div_imm_lhs
         f64.add
         f64.const 3 local.get 0 f64.add     ;; c + x: no lhs form (operand order is kept)
         f64.add
         f32.const 1 local.get 1 f32.sub
         f32.const 8 local.get 1 f32.div
         f32.add
         drop",
        // (f64 values consumed right away go through the float accumulator: `.to_acc`,
        // `.acc_lhs`, `.acc_rhs` twins of the same instructions.)
        &[
            "f64.sub_imm_lhs.to_acc dst=2 value=4609434218613702656 rhs=0",
            "f64.div_imm.acc_lhs dst=2 lhs=2 value=4611686018427387904",
            "f64.div_imm_lhs.to_acc dst=3 value=4616189618054758400 rhs=0",
            "f64.add.acc_rhs dst=2 lhs=2 rhs=3",
            "const64 dst=3 value=4613937818241073152",
            "f64.add.to_acc dst=3 lhs=3 rhs=0",
            "f64.add.acc_rhs dst=2 lhs=2 rhs=3",
            "f32.sub_imm_lhs dst=3 value=1065353216 rhs=1",
            "f32.div_imm_lhs dst=4 value=1090519040 rhs=1",
            "f32.add dst=3 lhs=3 rhs=4",
            "return_slot src=2",
        ],
    );
}

#[test]
fn wide_i64_multipliers_use_mul_imm64() {
    assert_code(
        "(param i64) (result i64)
         local.get 0 i64.const 0x517cc1b727220a95 i64.mul   ;; x * K
         i64.const 0x100000001 local.get 0 i64.mul          ;; K * x (commutative)
         i64.add
         local.get 0 i64.const 7 i64.mul                    ;; fits i32: mul_imm
         i64.xor",
        &[
            "i64.mul_imm64 dst=1 lhs=0 value=5871781006564002453",
            "i64.mul_imm64 dst=2 lhs=0 value=4294967297",
            "i64.add dst=1 lhs=1 rhs=2",
            "i64.mul_imm dst=2 lhs=0 imm=7",
            "i64.xor dst=1 lhs=1 rhs=2",
            "return_slot src=1",
        ],
    );
}
