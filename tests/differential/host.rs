//! The host environment both engines give generated modules: the same imports (module `env`),
//! with the same behaviour. wasm-smith picks its imports from [`imports_wat`].

use super::values::{Ty, Value};

/// Module name of every import.
pub const MODULE: &str = "env";

/// One importable item.
pub enum Item {
    /// A host function: parameter and result types. Its behaviour is [`call`].
    Func(&'static [Ty], &'static [Ty]),
    /// A global: type, mutability, initial value.
    Global(Ty, bool, Value),
    /// A memory: minimum and maximum pages.
    Memory(u32, u32),
    /// A table: element type, minimum and maximum size.
    Table(Ty, u32, u32),
}

/// Everything the host provides.
pub const ITEMS: &[(&str, Item)] = &[
    ("f0", Item::Func(&[], &[])),
    ("f_i32", Item::Func(&[Ty::I32], &[Ty::I32])),
    (
        "f_mix",
        Item::Func(&[Ty::I64, Ty::F64, Ty::F32], &[Ty::F64]),
    ),
    (
        "f_multi",
        Item::Func(&[Ty::I32, Ty::I64], &[Ty::I32, Ty::I64, Ty::F32]),
    ),
    (
        "f_ref",
        Item::Func(&[Ty::FuncRef, Ty::ExternRef], &[Ty::ExternRef, Ty::I32]),
    ),
    ("trap", Item::Func(&[Ty::I32], &[])),
    ("g_i32", Item::Global(Ty::I32, false, Value::I32(42))),
    ("g_i64", Item::Global(Ty::I64, true, Value::I64(-7))),
    (
        "g_f32",
        Item::Global(Ty::F32, false, Value::F32(0x3fc0_0000)),
    ),
    (
        "g_f64",
        Item::Global(Ty::F64, true, Value::F64(0x4009_21fb_5444_2d18)),
    ),
    (
        "g_ref",
        Item::Global(Ty::FuncRef, true, Value::FuncRef(false)),
    ),
    ("mem", Item::Memory(1, 4)),
    ("tab", Item::Table(Ty::FuncRef, 4, 100)),
    ("tab_ext", Item::Table(Ty::ExternRef, 2, 20)),
];

fn ty_text(t: Ty) -> &'static str {
    match t {
        Ty::I32 => "i32",
        Ty::I64 => "i64",
        Ty::F32 => "f32",
        Ty::F64 => "f64",
        Ty::FuncRef => "funcref",
        Ty::ExternRef => "externref",
    }
}

/// A module whose imports are [`ITEMS`] (wasm-smith's `available_imports`).
pub fn imports_wat() -> String {
    let mut s = String::from("(module\n");
    for (name, item) in ITEMS {
        let desc = match item {
            Item::Func(p, r) => {
                let p: Vec<_> = p.iter().map(|&t| ty_text(t)).collect();
                let r: Vec<_> = r.iter().map(|&t| ty_text(t)).collect();
                format!("func (param {}) (result {})", p.join(" "), r.join(" "))
            }
            Item::Global(t, true, _) => format!("global (mut {})", ty_text(*t)),
            Item::Global(t, false, _) => format!("global {}", ty_text(*t)),
            Item::Memory(min, max) => format!("memory {min} {max}"),
            Item::Table(t, min, max) => format!("table {min} {max} {}", ty_text(*t)),
        };
        s.push_str(&format!("  (import \"{MODULE}\" \"{name}\" ({desc}))\n"));
    }
    s.push(')');
    s
}

/// A host function's behaviour: results are a hash of the arguments (NaNs hashed as one
/// value, since their payloads may legitimately differ between engines); `trap` traps when
/// its argument is 3 mod 4. `Err(())` is a trap.
pub fn call(name: &str, args: &[Value], results: &[Ty]) -> Result<Vec<Value>, ()> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for a in args {
        let bits = match *a {
            Value::I32(x) => x as u32 as u64,
            Value::I64(x) => x as u64,
            Value::F32(x) if f32::from_bits(x).is_nan() => 1 << 40,
            Value::F32(x) => u64::from(x),
            Value::F64(x) if f64::from_bits(x).is_nan() => 1 << 41,
            Value::F64(x) => x,
            Value::FuncRef(nonnull) | Value::ExternRef(nonnull) => u64::from(nonnull),
        };
        h = (h ^ bits).wrapping_mul(0x0000_0100_0000_01b3);
    }
    if name == "trap" && matches!(args.first(), Some(Value::I32(x)) if x & 3 == 3) {
        return Err(());
    }
    Ok(results
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let v = h.rotate_left(i as u32 * 13);
            match t {
                Ty::I32 => Value::I32(v as i32),
                Ty::I64 => Value::I64(v as i64),
                Ty::F32 => Value::F32(((v as i32) as f32).to_bits()),
                Ty::F64 => Value::F64(((v as i64) as f64).to_bits()),
                Ty::FuncRef => Value::FuncRef(false),
                Ty::ExternRef => Value::ExternRef(false),
            }
        })
        .collect())
}
