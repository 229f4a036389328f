//! `Translator::float_superinstructions(false)`: no float superinstruction
//! (`ember_bytecode::is_float_superinstruction`), for a runtime built without the feature of
//! that name.

mod common;

use ember_bytecode::is_float_superinstruction;
use ember_validate::Translator;

/// f64 chains that the translator otherwise hands over in the accumulator, a fused
/// multiply-add, and constant operands of both float types on either side.
const WAT: &str = r#"(module (func (param f64 f64 f64 f32) (result f64)
    (f64.div (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2))
             (f64.sub (f64.mul (local.get 2) (f64.const 0.5)) (local.get 0)))
    (f64.sub (f64.const 3) (local.get 1))
    (f64.add)
    (f64.promote_f32 (f32.div (f32.const 2) (f32.add (local.get 3) (f32.const 1))))
    (f64.mul)))"#;

/// The mnemonics of the float superinstructions in the function's code.
fn float_acc_mnemonics(t: &mut Translator) -> Vec<String> {
    let wasm = wat::parse_str(WAT).expect("valid wat");
    let m = t.translate(&wasm).expect("translates");
    common::check_module(&m).expect("self-check");
    common::disasm(&m, 0)
        .into_iter()
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .filter(|mn| is_float_superinstruction(mn))
        .collect()
}

#[test]
fn off_emits_none_of_the_group() {
    assert_eq!(
        float_acc_mnemonics(Translator::new().float_superinstructions(false)),
        Vec::<String>::new()
    );
}

#[test]
fn on_by_default_with_the_feature() {
    let found = float_acc_mnemonics(&mut Translator::new());
    if cfg!(feature = "float-superinstructions") {
        // Each kind: accumulator twins, fused pairs, immediates (both sides, both types).
        for kind in [
            ".to_acc",
            "mul_add",
            "f64.mul_imm",
            "f64.sub_imm_lhs",
            "f32.add_imm",
            "f32.div_imm_lhs",
        ] {
            assert!(
                found.iter().any(|m| m.contains(kind)),
                "no {kind} in {found:?}"
            );
        }
    } else {
        assert!(
            found.is_empty(),
            "a build without the feature emits none: {found:?}"
        );
    }
}
