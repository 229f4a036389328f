//! (Part of the `differential` test.) Chains of integer instructions where each result feeds
//! the next instruction, in every position the optimised executor reads from its integer
//! accumulator instead of the slot
//! (`core/src/exec/threaded.rs`, `AccOp`): ALU operands (left, right, both), immediates,
//! compare-and-branch, load addresses and indices, store addresses and values, locals
//! written by one instruction and read by the next, and the pairs of instructions that get one
//! handler for both (`threaded::PAIRS`). Every function runs in Ember and in wasmi
//! with edge-case inputs; results, traps and memory must agree. (`cargo test --release` runs
//! the accumulator; debug builds run the same chains through the portable loop.)

use super::differential::values::{Ty, Value, same_values};
use super::differential::{EmberSide, WasmiSide};

const I32_BIN: &[&str] = &[
    "add", "sub", "mul", "and", "or", "xor", "shl", "shr_u", "shr_s", "rotl", "eq", "ne", "lt_s",
    "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
];
const I64_BIN: &[&str] = &[
    "add", "sub", "mul", "and", "or", "xor", "shl", "shr_u", "shr_s", "eq", "ne", "lt_u",
];
const CMP: &[&str] = &[
    "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
];
const LOADS32: &[&str] = &["load8_u", "load8_s", "load16_u", "load16_s", "load"];
const LOADS64: &[&str] = &["load8_u", "load16_u", "load32_u", "load32_s", "load"];
const STORES: &[(&str, &str)] = &[
    ("i32", "store8"),
    ("i32", "store16"),
    ("i32", "store"),
    ("i64", "store"),
];

/// A function: its name, the type of its three parameters (and of a scratch local 3), its
/// result type, and its body.
type Func = (String, &'static str, &'static str, String);

/// Adds a function with parameters of type `pt` and result type `ty`.
fn push(v: &mut Vec<Func>, pt: &'static str, ty: &'static str, body: String) {
    let name = format!("f{}", v.len());
    v.push((name, pt, ty, body));
}

/// The functions.
fn funcs() -> Vec<Func> {
    let mut v = Vec::new();
    for (ty, ops) in [("i32", I32_BIN), ("i64", I64_BIN)] {
        let x = |o: &str| format!("({ty}.{o} (local.get 0) (local.get 1))");
        for p in ["add", "sub", "mul", "xor", "shr_u"] {
            let prod = x(p);
            let prod_imm = format!("({ty}.{p} (local.get 0) ({ty}.const 7))");
            for q in ops {
                // A comparison's i32 result, widened for an i64 function.
                let w = |body: String| {
                    if ty == "i64" && CMP.contains(q) {
                        format!("(i64.extend_i32_u {body})")
                    } else {
                        body
                    }
                };
                for pr in [&prod, &prod_imm] {
                    for body in [
                        // Left, right, immediate.
                        format!("({ty}.{q} {pr} (local.get 2))"),
                        format!("({ty}.{q} (local.get 2) {pr})"),
                        format!("({ty}.{q} {pr} ({ty}.const 5))"),
                        format!("({ty}.{q} {pr} ({ty}.const -3))"),
                        // Both operands the value just produced.
                        format!("({ty}.{q} (local.tee 3 {pr}) (local.get 3))"),
                        // Through a local (the producer writes it, the next instruction reads it).
                        format!("(local.set 0 {pr}) ({ty}.{q} (local.get 0) (local.get 2))"),
                        // A three-link chain.
                        if ty == "i64" && CMP.contains(q) {
                            format!("(i32.add (i64.{q} {pr} (local.get 2)) (i32.const 1))")
                        } else {
                            format!("({ty}.add ({ty}.{q} {pr} (local.get 2)) (local.get 1))")
                        },
                    ] {
                        push(&mut v, ty, ty, w(body));
                    }
                }
            }
            // Compare and branch on the value just produced.
            for c in CMP {
                for rhs in ["(local.get 2)".to_string(), format!("({ty}.const 9)")] {
                    push(
                        &mut v,
                        ty,
                        ty,
                        format!(
                            "(if (result {ty}) ({ty}.{c} {prod} {rhs}) \
                             (then ({ty}.const 11)) (else ({ty}.const 22)))"
                        ),
                    );
                    push(
                        &mut v,
                        ty,
                        ty,
                        format!(
                            "(block (result {ty}) (br_if 0 ({ty}.const 33) ({ty}.{c} {rhs} {prod})) \
                             (drop) ({ty}.const 44))"
                        ),
                    );
                }
            }
            push(
                &mut v,
                ty,
                ty,
                format!(
                    "(if (result {ty}) ({ty}.eqz {prod}) (then ({ty}.const 1)) (else ({ty}.const 2)))"
                ),
            );
            if ty == "i32" {
                push(
                    &mut v,
                    ty,
                    ty,
                    format!("(if (result i32) {prod} (then (i32.const 1)) (else (i32.const 2)))"),
                );
            }
        }
    }
    // A conditional branch on the value just produced (kept in local 3), then the instruction
    // it falls through to, reading local 3 too: the pairs that start with a branch, taken or
    // not depending on the inputs.
    let fall_through = [
        "(local.set 3 (i32.add (local.get 3) (local.get 2)))",
        "(local.set 3 (i32.sub (local.get 2) (local.get 3)))",
        "(local.set 3 (i32.add (local.get 3) (i32.const 1000)))",
        "(local.set 3 (i32.and (local.get 3) (i32.const 0xff)))",
        "(local.set 0 (local.get 3)) (local.set 3 (i32.mul (local.get 0) (local.get 2)))",
        "(i32.store8 (i32.and (local.get 3) (i32.const 0xff)) (i32.const 5)) \
         (local.set 3 (i32.load (i32.const 0)))",
        "(local.set 3 (i32.load8_u (i32.add (i32.and (local.get 3) (i32.const 0xff)) (local.get 1))))",
        "(local.set 3 (i32.eq (local.get 3) (i32.const 7)))",
    ];
    let produce = "(local.tee 3 (i32.add (local.get 0) (local.get 1)))";
    let mut conds: Vec<String> = vec![produce.into(), format!("(i32.eqz {produce})")];
    for c in CMP {
        conds.push(format!("(i32.{c} {produce} (local.get 2))"));
        conds.push(format!("(i32.{c} {produce} (i32.const 9))"));
    }
    for cond in &conds {
        for j in fall_through {
            push(
                &mut v,
                "i32",
                "i32",
                format!("(block (br_if 0 {cond}) {j}) (local.get 3)"),
            );
        }
    }
    // Loads: address, base and index from the value just produced (in bounds or not).
    for (ty, loads) in [("i32", LOADS32), ("i64", LOADS64)] {
        for l in loads {
            let addr = "(i32.add (local.get 0) (local.get 1))";
            let masked = "(i32.and (i32.add (local.get 0) (local.get 1)) (i32.const 0xfff))";
            push(
                &mut v,
                "i32",
                ty,
                format!("(drop {addr}) ({ty}.{l} offset=3 {masked})"),
            );
            push(
                &mut v,
                "i32",
                ty,
                format!("(drop {addr}) ({ty}.{l} {addr})"),
            );
            push(
                &mut v,
                "i32",
                ty,
                format!("(drop {addr}) ({ty}.{l} (i32.add {masked} (i32.const 100)))"),
            );
            push(
                &mut v,
                "i32",
                ty,
                format!(
                    "(drop {addr}) ({ty}.{l} (i32.add (i32.and (local.get 2) (i32.const 0xff)) {masked}))"
                ),
            );
            push(
                &mut v,
                "i32",
                ty,
                format!(
                    "(drop {addr}) ({ty}.{l} (i32.add (i32.const 64) (i32.shl {masked} (i32.const 2))))"
                ),
            );
            push(
                &mut v,
                "i32",
                ty,
                format!("(drop {addr}) ({ty}.{l} (i32.add {masked} (local.get 2)))"),
            );
        }
    }
    // Stores: value and address from the value just produced; read back.
    for (vt, s) in STORES {
        let val = "(i32.mul (local.get 0) (local.get 1))".to_string();
        let val = if *vt == "i64" {
            format!("(i64.extend_i32_u {val})")
        } else {
            val
        };
        let at = "(i32.and (i32.add (local.get 0) (local.get 2)) (i32.const 0xff8))";
        for body in [
            format!("({vt}.{s} offset=8 {at} {val})"),
            format!("({vt}.{s} {at} ({vt}.const -2))"),
            format!("({vt}.{s} (i32.add (local.get 0) (local.get 2)) {val})"),
        ] {
            push(
                &mut v,
                "i32",
                "i32",
                format!(
                    "{body} (i32.load (i32.and (i32.add (local.get 0) (local.get 2)) (i32.const 0xff8)))"
                ),
            );
        }
    }
    // Floats read from the accumulator: loaded, or computed by the instruction before.
    // Eight different doubles in the first 64 bytes (the data segment at 0).
    let f = |k: usize| {
        format!(
            "(f64.load (i32.and (i32.add (local.get {k}) (i32.const {})) (i32.const 0x38)))",
            8 * k + 8
        )
    };
    for o in ["add", "sub", "mul", "div", "lt", "gt", "le", "ge"] {
        let ty = if ["lt", "gt", "le", "ge"].contains(&o) {
            "i32"
        } else {
            "f64"
        };
        for body in [
            format!("(f64.{o} {} (f64.const 1.5))", f(0)),
            format!("(f64.{o} (f64.const 1.5) {})", f(0)),
            format!("(f64.{o} {} {})", f(0), f(1)),
            format!("(f64.{o} (f64.convert_i32_s (local.get 2)) {})", f(1)),
            format!("(f64.{o} (f64.mul {} (f64.const -0.25)) {})", f(0), f(1)),
            format!("(f64.{o} {} (f64.sub (f64.const 3) {}))", f(0), f(1)),
            format!("(f64.{o} (f64.add {} {}) (f64.const 2))", f(0), f(2)),
            // The fused pairs `f64.mul_add` / `f64.add_mul`, last operand loaded.
            format!(
                "(f64.{o} (f64.add (f64.mul {} {}) {}) (f64.const 3))",
                f(0),
                f(1),
                f(2)
            ),
            format!(
                "(f64.{o} (f64.add {} (f64.mul {} {})) (f64.const 3))",
                f(2),
                f(0),
                f(1)
            ),
        ] {
            push(&mut v, "i32", ty, body);
        }
    }
    // A mutable global (a stack pointer): read, adjusted, written back, read into a local, as
    // compiled code does around calls; and written from a value just produced.
    for body in [
        "(global.set $sp (i32.add (global.get $sp) (i32.const -16)))          (local.set 3 (global.get $sp)) (i32.add (local.get 3) (local.get 0))",
        "(global.set $sp (i32.add (local.get 0) (local.get 1)))          (i32.sub (global.get $sp) (local.get 2))",
        "(global.set $sp (i32.add (global.get $sp) (local.get 0))) (local.set 0 (global.get $sp))          (global.set $sp (i32.add (local.get 0) (i32.const 16))) (i32.xor (global.get $sp) (local.get 0))",
    ] {
        push(&mut v, "i32", "i32", body.into());
    }
    // Copies: a local set from the local the instruction before wrote.
    push(
        &mut v,
        "i32",
        "i32",
        "(local.set 0 (i32.add (local.get 0) (local.get 1))) (local.set 3 (local.get 0)) \
         (i32.mul (local.get 3) (local.get 3))"
            .into(),
    );
    // Conversions in a chain.
    push(
        &mut v,
        "i32",
        "i64",
        "(i64.add (i64.extend_i32_u (i32.add (local.get 0) (local.get 1))) (i64.const 1))".into(),
    );
    push(
        &mut v,
        "i32",
        "i64",
        "(i64.mul (i64.extend_i32_s (i32.sub (local.get 0) (local.get 1))) (i64.const 3))".into(),
    );
    push(
        &mut v,
        "i32",
        "i32",
        "(i32.add (i32.wrap_i64 (i64.shr_u (i64.extend_i32_u (local.get 0)) (i64.const 3))) (local.get 1))".into(),
    );
    v
}

fn module(funcs: &[Func]) -> String {
    let mut wat = String::from("(module (memory (export \"mem\") 1)\n");
    wat += "(global $sp (mut i32) (i32.const 65536))\n";
    wat += "(data (i32.const 0) \"\\01\\82\\03\\f4\\05\\86\\07\\f8\\09\\8a\\0b\\fc\\0d\\8e\\0f\\f0\")\n";
    // Doubles: 1.5, -2.75, 1e10, 0.1, -0.0, 3.25e-5, 7, NaN with a payload.
    wat += "(data (i32.const 16) \"";
    for v in [
        1.5f64,
        -2.75,
        1e10,
        0.1,
        -0.0,
        3.25e-5,
        7.0,
        f64::from_bits(0x7ff8_0000_0000_0123),
    ] {
        for b in v.to_le_bytes() {
            wat += &format!("\\{b:02x}");
        }
    }
    wat += "\")\n";
    wat += "(data (i32.const 4000) \"\\ff\\fe\\fd\\fc\\fb\\fa\\f9\\f8\\f7\\f6\\f5\\f4\\f3\\f2\\f1\\f0\")\n";
    for (name, pt, ty, body) in funcs {
        wat += &format!(
            "(func (export \"{name}\") (param $a {pt}) (param $b {pt}) (param $c {pt}) (result {ty}) (local {pt})\n  {body})\n"
        );
    }
    wat + ")"
}

#[test]
fn chains_agree_with_wasmi() {
    let funcs = funcs();
    let wat = module(&funcs);
    let wasm = wat::parse_str(&wat).unwrap_or_else(|e| panic!("{e}"));
    let (mut ember, mut wasmi) = match (EmberSide::new(&wasm), WasmiSide::new(&wasm)) {
        (Ok(e), Ok(w)) => (e, w),
        (e, w) => panic!("instantiation: Ember {:?}, wasmi {:?}", e.err(), w.err()),
    };
    let i32s: [i32; 6] = [0, 1, -1, 37, i32::MIN, 0x0123_4567];
    let i64s: [i64; 6] = [0, 1, -1, 37, i64::MIN, 0x0123_4567_89ab_cdef];
    let mut calls = 0;
    for (name, _, _, body) in &funcs {
        let (params, _) = ember.func_type(name);
        for (k, &x) in i32s.iter().enumerate() {
            let (y, z) = (i32s[(k + 1) % 6], i32s[(k + 4) % 6]);
            let args: Vec<Value> = params
                .iter()
                .zip([(x, i64s[k]), (y, i64s[(k + 1) % 6]), (z, i64s[(k + 4) % 6])])
                .map(|(t, (a32, a64))| match t {
                    Ty::I32 => Value::I32(a32),
                    _ => Value::I64(a64),
                })
                .collect();
            let (e, w) = (ember.call(name, &args), wasmi.call(name, &args));
            match (&e, &w) {
                (Ok(a), Ok(b)) => assert!(
                    same_values(a, b),
                    "{body} {args:?}: Ember {a:?}, wasmi {b:?}"
                ),
                (Err(a), Err(b)) => {
                    assert!(
                        a.agrees_with(b),
                        "{body} {args:?}: Ember {a:?}, wasmi {b:?}"
                    )
                }
                _ => panic!("{body} {args:?}: Ember {e:?}, wasmi {w:?}"),
            }
            calls += 1;
        }
    }
    assert_eq!(ember.memory("mem", false), wasmi.memory("mem", false));
    assert!(calls > 3000, "{calls} calls");
}
