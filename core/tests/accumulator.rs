//! The float accumulator: chains of f64 operators, where the translator hands each result to
//! the next instruction in a register, compute exactly what the operators compute one by one,
//! for every operator in every position (left or right operand, register or immediate form,
//! in the middle of a chain), and the same without the accumulator. (`ember-validate`'s
//! `fused_loads` and `float_superinstructions` tests show that such chains do get the
//! accumulator forms, and none without.)

use ember::{CompilationMode, Config, Engine, Linker, Module, Store};

/// An expression over the parameters `a`, `b`, `c` and constants.
#[derive(Clone)]
enum E {
    A,
    B,
    C,
    K(f64),
    Op(&'static str, Box<E>, Box<E>),
}

fn op(o: &'static str, l: E, r: E) -> E {
    E::Op(o, Box::new(l), Box::new(r))
}

impl E {
    fn wat(&self) -> String {
        match self {
            E::A => "(local.get 0)".into(),
            E::B => "(local.get 1)".into(),
            E::C => "(local.get 2)".into(),
            E::K(k) => format!("(f64.const {k})"),
            E::Op(o, l, r) => format!("(f64.{o} {} {})", l.wat(), r.wat()),
        }
    }
    fn eval(&self, a: f64, b: f64, c: f64) -> f64 {
        match self {
            E::A => a,
            E::B => b,
            E::C => c,
            E::K(k) => *k,
            E::Op(o, l, r) => {
                let (x, y) = (l.eval(a, b, c), r.eval(a, b, c));
                match *o {
                    "add" => x + y,
                    "sub" => x - y,
                    "mul" => x * y,
                    "div" => x / y,
                    _ => unreachable!(),
                }
            }
        }
    }
}

/// Two- and three-operator chains of every operator pair, the produced value on either side,
/// and with constants in every place an immediate form can take them.
fn exprs() -> Vec<E> {
    const OPS: [&str; 4] = ["add", "sub", "mul", "div"];
    let mut v = Vec::new();
    for p in OPS {
        for q in OPS {
            let prod = op(p, E::A, E::B);
            let prod_k = op(p, E::A, E::K(2.5));
            let prod_kl = op(p, E::K(2.5), E::B);
            for x in [prod, prod_k, prod_kl] {
                v.push(op(q, x.clone(), E::C));
                v.push(op(q, E::C, x.clone()));
                v.push(op(q, x.clone(), E::K(-1.75)));
                v.push(op(q, E::K(-1.75), x.clone()));
                for r in OPS {
                    v.push(op(r, op(q, x.clone(), E::C), E::A));
                    v.push(op(r, E::A, op(q, E::C, x.clone())));
                    v.push(op(r, op(q, x.clone(), E::K(3.0)), E::K(0.5)));
                    v.push(op(r, E::K(0.5), op(q, E::K(3.0), x.clone())));
                }
            }
        }
    }
    v
}

#[test]
fn chains_compute_what_the_operators_compute() {
    let exprs = exprs();
    let mut wat = String::from("(module\n");
    for (k, e) in exprs.iter().enumerate() {
        wat += &format!(
            "(func (export \"f{k}\") (param f64 f64 f64) (result f64) {})\n",
            e.wat()
        );
    }
    wat += ")";
    let inputs = [
        (1.5, -2.25, 3.125),
        (1.0 + f64::EPSILON, 1.0 - f64::EPSILON, -1.0),
        (0.0, -0.0, 7.0),
        (1e300, 1e-300, f64::INFINITY),
        (f64::from_bits(0x7ff8_0000_0000_1234), 2.0, 3.0),
    ];
    // Also without the float superinstructions (`Config::float_superinstructions(false)`, the
    // code for a firmware): the plain operators, through a precompiled module.
    for (mode, facc) in [
        (CompilationMode::Eager, true),
        (CompilationMode::Lazy, true),
        (CompilationMode::Eager, false),
    ] {
        let config = Config::default()
            .compilation_mode(mode)
            .float_superinstructions(facc);
        let engine = Engine::new(&config);
        let mut module = Module::new(&engine, &wat).unwrap();
        if !facc {
            module = Module::deserialize(&engine, &module.serialize().unwrap()).unwrap();
        }
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate(&mut store, &module)
            .unwrap();
        for (k, e) in exprs.iter().enumerate() {
            let f = instance
                .get_typed_func::<(f64, f64, f64), f64>(&store, &format!("f{k}"))
                .unwrap();
            for &(a, b, c) in &inputs {
                let got = f.call(&mut store, (a, b, c)).unwrap();
                let want = e.eval(a, b, c);
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{} at ({a}, {b}, {c}): {got} vs {want}",
                    e.wat()
                );
            }
        }
    }
}
