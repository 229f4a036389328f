//! Robustness: malformed, truncated, mutated and oversized modules must give `Ok` or an `Err`
//! with a message — never a panic — and a few execution edge cases must trap cleanly.

use ember::{CompilationMode, Config, Engine, Error, Linker, Module, Store, TrapCode, Val};
// The translator is what these tests push to its limits, so every engine here is eager (lazy
// modes translate each function, and report its translation limits, on its first call).
use ember_tests::catch_panic;
use ember_tests::rng::Rng;

/// Valid modules the mutation tests start from.
const SOURCES: &[&str] = &[
    r#"(module
        (func $fib (export "fib") (param i32) (result i32)
          (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
            (then (local.get 0))
            (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                           (call $fib (i32.sub (local.get 0) (i32.const 2))))))))"#,
    r#"(module
        (memory (export "mem") 1 4)
        (global $g (mut i32) (i32.const 7))
        (global (export "c") f64 (f64.const 1.5))
        (data (i32.const 16) "hello")
        (data $p "passive")
        (func (export "load") (param i32) (result i64)
          (i64.add (i64.load offset=4 (local.get 0)) (i64.extend_i32_u (global.get $g))))
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
        (func (export "init") (memory.init $p (i32.const 0) (i32.const 0) (i32.const 3))
          (data.drop $p)))"#,
    r#"(module
        (type $t (func (param i32) (result i32)))
        (table $tab 4 funcref)
        (elem (table $tab) (i32.const 0) func $a $b)
        (elem $e funcref (ref.func $a) (ref.null func))
        (func $a (type $t) (i32.mul (local.get 0) (i32.const 3)))
        (func $b (type $t) (i32.sub (local.get 0) (i32.const 1)))
        (func (export "dispatch") (param i32 i32) (result i32)
          (call_indirect (type $t) (local.get 1) (local.get 0)))
        (func (export "refs") (result funcref i32)
          (table.init $tab $e (i32.const 2) (i32.const 0) (i32.const 2))
          (ref.func $a) (table.size $tab)))"#,
    r#"(module
        (func (export "switch") (param i32) (result i32)
          (block $b
            (block $a
              (br_table $a $b $a (local.get 0)))
            (return (i32.const 10)))
          (i32.const 20))
        (func (export "pair") (param i32) (result i32 i64)
          local.get 0
          block (param i32) (result i32 i64) i64.const 2 end)
        (func (export "sel") (param i32 f32 f32) (result f32)
          (select (local.get 1) (local.get 2) (local.get 0)))
        (func (export "loop") (param i64) (result i64) (local i64)
          (loop $l
            (local.set 1 (i64.add (local.get 1) (local.get 0)))
            (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
            (br_if $l (i64.ne (local.get 0) (i64.const 0))))
          (local.get 1)))"#,
];

/// The smallest module, for the exhaustive single-byte mutation test.
const SMALL: &str = r#"(module
    (memory 1)
    (func (export "f") (param i32) (result i32)
      (i32.add (i32.load (local.get 0)) (i32.const 1))))"#;

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).expect("test module must assemble")
}

/// Collects inputs that made `Module::new` misbehave.
struct Checker {
    engine: Engine,
    problems: Vec<String>,
    checked: usize,
}

impl Checker {
    fn new() -> Self {
        Checker {
            engine: Engine::new(&Config::default().compilation_mode(CompilationMode::Eager)),
            problems: Vec::new(),
            checked: 0,
        }
    }

    /// Compiles `bytes`: must not panic; an error must have a message, and a binary decoding
    /// error an offset within the input. Returns whether it compiled.
    fn check(&mut self, bytes: &[u8], what: impl Fn() -> String) -> bool {
        self.checked += 1;
        match catch_panic(|| Module::new(&self.engine, bytes)) {
            Err(panic) => {
                self.problems.push(format!("{}: PANIC: {panic}", what()));
                false
            }
            Ok(Ok(_)) => true,
            Ok(Err(e)) => {
                if e.to_string().trim().is_empty() {
                    self.problems
                        .push(format!("{}: error without a message: {e:?}", what()));
                }
                if let Error::Compile(c) = &e {
                    if c.message.is_empty() {
                        self.problems
                            .push(format!("{}: empty compile error message", what()));
                    }
                    if bytes.starts_with(b"\0asm") && c.offset > bytes.len() {
                        self.problems.push(format!(
                            "{}: error offset {} beyond input length {}: {e}",
                            what(),
                            c.offset,
                            bytes.len()
                        ));
                    }
                }
                false
            }
        }
    }

    fn finish(self) {
        assert!(self.checked > 0);
        if !self.problems.is_empty() {
            let shown: Vec<&str> = self.problems.iter().take(20).map(String::as_str).collect();
            panic!(
                "{} of {} inputs misbehaved; first ones:\n{}",
                self.problems.len(),
                self.checked,
                shown.join("\n")
            );
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn test_modules_are_valid() {
    ember_tests::install_quiet_panic_hook();
    let engine = Engine::new(&Config::default().compilation_mode(CompilationMode::Eager));
    for (i, src) in SOURCES.iter().chain([&SMALL]).enumerate() {
        if let Err(e) = Module::new(&engine, wasm(src)) {
            panic!("module {i} must compile: {e}");
        }
    }
}

#[test]
fn truncated_prefixes() {
    ember_tests::install_quiet_panic_hook();
    let mut c = Checker::new();
    for (m, src) in SOURCES.iter().chain([&SMALL]).enumerate() {
        let bytes = wasm(src);
        for len in 0..bytes.len() {
            c.check(&bytes[..len], || {
                format!("module {m} truncated to {len} bytes")
            });
        }
    }
    c.finish();
}

#[test]
fn random_garbage() {
    ember_tests::install_quiet_panic_hook();
    let mut c = Checker::new();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for n in 0..4000 {
        let len = rng.below(160);
        let mut bytes = Vec::with_capacity(len + 8);
        match n % 3 {
            // Pure garbage (also exercises the text path).
            0 => {}
            // A valid header, then garbage.
            1 => bytes.extend_from_slice(b"\0asm\x01\0\0\0"),
            // A valid header and a plausible section id and size, then garbage.
            _ => {
                bytes.extend_from_slice(b"\0asm\x01\0\0\0");
                bytes.push(rng.below(13) as u8);
                bytes.push(len as u8 & 0x7f);
            }
        }
        bytes.extend((0..len).map(|_| rng.byte()));
        c.check(&bytes, || format!("garbage #{n}: {}", hex(&bytes)));
    }
    c.finish();
}

#[test]
fn every_single_byte_mutation_of_a_small_module() {
    ember_tests::install_quiet_panic_hook();
    let mut c = Checker::new();
    let original = wasm(SMALL);
    for at in 0..original.len() {
        for value in 0..=255u8 {
            if value == original[at] {
                continue;
            }
            let mut bytes = original.clone();
            bytes[at] = value;
            c.check(&bytes, || {
                format!("small module with byte {at} set to {value:#04x}")
            });
        }
    }
    c.finish();
}

#[test]
fn random_byte_flips() {
    ember_tests::install_quiet_panic_hook();
    let mut c = Checker::new();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for (m, src) in SOURCES.iter().enumerate() {
        let original = wasm(src);
        for n in 0..1500 {
            let mut bytes = original.clone();
            let flips = 1 + rng.below(3);
            for _ in 0..flips {
                let at = 8 + rng.below(bytes.len() - 8);
                bytes[at] ^= 1 << rng.below(8);
            }
            c.check(&bytes, || format!("module {m} flip #{n}: {}", hex(&bytes)));
        }
    }
    c.finish();
}

// ---- hand-made modules with oversized counts and lengths ----

fn leb(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

fn section(id: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![id];
    s.extend(leb(payload.len() as u64));
    s.extend_from_slice(payload);
    s
}

fn module(sections: &[Vec<u8>]) -> Vec<u8> {
    let mut m = b"\0asm\x01\0\0\0".to_vec();
    for s in sections {
        m.extend_from_slice(s);
    }
    m
}

/// Type section with one `() -> ()` type, function section with one function of it.
fn one_func_header() -> Vec<Vec<u8>> {
    vec![section(1, &[1, 0x60, 0, 0]), section(3, &[1, 0])]
}

/// A code section with one body made of `locals` entries and `code` (which ends with `end`).
fn code_section(locals: &[(u64, u8)], code: &[u8]) -> Vec<u8> {
    let mut body = leb(locals.len() as u64);
    for &(n, ty) in locals {
        body.extend(leb(n));
        body.push(ty);
    }
    body.extend_from_slice(code);
    let mut payload = vec![1];
    payload.extend(leb(body.len() as u64));
    payload.extend(body);
    section(10, &payload)
}

fn oversized_cases() -> Vec<(&'static str, Vec<u8>)> {
    const I32: u8 = 0x7f;
    let mut cases = vec![
        (
            "type count u32::MAX",
            module(&[section(1, &leb(u32::MAX as u64))]),
        ),
        (
            "function count u32::MAX",
            module(&[
                section(1, &[1, 0x60, 0, 0]),
                section(3, &leb(u32::MAX as u64)),
            ]),
        ),
        (
            "import count u32::MAX",
            module(&[section(2, &leb(u32::MAX as u64))]),
        ),
        (
            "export count u32::MAX",
            module(&[section(7, &leb(u32::MAX as u64))]),
        ),
    ];
    let mut h = one_func_header();
    h.push(code_section(&[(u32::MAX as u64, I32)], &[0x0b]));
    cases.push(("2^32-1 locals", module(&h)));
    let mut h = one_func_header();
    h.push(code_section(
        &[(0x8000_0000, I32), (0x8000_0000, I32)],
        &[0x0b],
    ));
    cases.push(("local counts summing past u32", module(&h)));
    let mut h = one_func_header();
    h.push(code_section(&[(60_000, I32)], &[0x0b]));
    cases.push(("60000 locals", module(&h)));

    // 50000 locals (wasmparser's limit) plus 20000 stacked operands: the frame needs more slots
    // than a u16 can name.
    let mut code = [0x41, 0x00].repeat(20_000); // i32.const 0
    code.extend(std::iter::repeat_n(0x1a, 20_000)); // drop
    code.push(0x0b);
    let mut h = one_func_header();
    h.push(code_section(&[(50_000, I32)], &code));
    cases.push(("frame too large", module(&h)));

    // Data segment whose length points past the end.
    let mut data = vec![1, 0, 0x41, 0, 0x0b];
    data.extend(leb(0xffff));
    data.extend_from_slice(b"abc");
    cases.push((
        "data length past end",
        module(&[section(5, &[1, 0, 1]), section(11, &data)]),
    ));
    cases.push((
        "data count u32::MAX",
        module(&[section(5, &[1, 0, 1]), section(11, &leb(u32::MAX as u64))]),
    ));
    cases.push((
        "element count u32::MAX",
        module(&[
            section(4, &[1, 0x70, 0, 1]),
            section(9, &leb(u32::MAX as u64)),
        ]),
    ));
    let mut mem = vec![1, 0];
    mem.extend(leb(65_537));
    cases.push(("memory min 65537 pages", module(&[section(5, &mem)])));
    let mut mem = vec![1, 1];
    mem.extend(leb(2));
    mem.extend(leb(1));
    cases.push(("memory max < min", module(&[section(5, &mem)])));
    // br_table claiming u32::MAX targets, then the code ends.
    let mut code = vec![0x02, 0x40, 0x41, 0x00, 0x0e];
    code.extend(leb(u32::MAX as u64));
    code.extend_from_slice(&[0, 0x0b, 0x0b]);
    let mut h = one_func_header();
    h.push(code_section(&[], &code));
    cases.push(("br_table with u32::MAX targets", module(&h)));
    // An import whose module name length points past the end.
    let mut imp = vec![1];
    imp.extend(leb(u32::MAX as u64));
    imp.extend_from_slice(b"env");
    cases.push(("import name length u32::MAX", module(&[section(2, &imp)])));
    // A section whose size runs past the end of the input.
    let mut m = module(&[]);
    m.push(1);
    m.extend(leb(1 << 30));
    m.extend_from_slice(&[1, 0x60]);
    cases.push(("section size past end", m));
    // A custom section whose name length is larger than the section.
    cases.push(("custom name past end", module(&[section(0, &[0x7f, b'a'])])));
    // A body size larger than the rest of the section.
    let mut h = one_func_header();
    h.push(section(10, &[1, 0x7f, 0, 0x0b]));
    cases.push(("body size past end", module(&h)));
    cases
}

#[test]
fn oversized_counts_and_lengths() {
    ember_tests::install_quiet_panic_hook();
    let mut c = Checker::new();
    for (name, bytes) in oversized_cases() {
        let ok = c.check(&bytes, || format!("oversized case `{name}`"));
        assert!(!ok, "oversized case `{name}` must be rejected");
    }
    c.finish();
}

/// Valid modules with extreme sizes: they compile (instantiating them would allocate gigabytes,
/// which is the embedder's limit to set, so they are not instantiated here).
#[test]
fn extreme_but_valid_limits_compile() {
    ember_tests::install_quiet_panic_hook();
    let mut c = Checker::new();
    let mut table = vec![1, 0x70, 0];
    table.extend(leb(u32::MAX as u64));
    let mut mem = vec![1, 0];
    mem.extend(leb(65_536));
    let mut h = one_func_header();
    h.push(code_section(&[(50_000, 0x7f)], &[0x0b]));
    let cases = [
        ("table min u32::MAX", module(&[section(4, &table)])),
        ("memory min 65536 pages", module(&[section(5, &mem)])),
        ("50000 locals", module(&h)),
    ];
    for (name, bytes) in cases {
        let ok = c.check(&bytes, || format!("case `{name}`"));
        assert!(ok, "case `{name}` is valid and must compile");
    }
    c.finish();
}

// ---- execution edge cases ----

fn instantiate(text: &str) -> (Store<()>, ember::Instance) {
    let engine = Engine::new(&Config::default().compilation_mode(CompilationMode::Eager));
    let module = Module::new(&engine, wasm(text)).expect("module compiles");
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("module instantiates");
    (store, instance)
}

fn call(
    store: &mut Store<()>,
    instance: &ember::Instance,
    name: &str,
    args: &[Val],
) -> ember::Result<Vec<Val>> {
    let func = instance
        .get_func(&*store, name)
        .unwrap_or_else(|| panic!("export {name}"));
    let ty = func.ty(&*store);
    let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    func.call(&mut *store, args, &mut results)?;
    Ok(results)
}

fn assert_stack_overflow(r: ember::Result<Vec<Val>>) {
    match r {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::StackOverflow, "trap {t}"),
        other => panic!("expected a stack overflow trap, got {other:?}"),
    }
}

#[test]
fn deep_recursion_traps_and_the_store_stays_usable() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func $down (export "down") (param i32) (result i32)
              (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
            (func $wide (export "wide") (param i64) (result i64)
              (local f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
              (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
              (call $wide (local.get 0)))
            (func (export "ok") (result i32) (i32.const 42)))"#,
    );
    assert_stack_overflow(call(&mut store, &instance, "down", &[Val::I32(0)]));
    assert_stack_overflow(call(&mut store, &instance, "wide", &[Val::I64(1)]));
    // The same store still runs code, and overflows again the same way.
    assert_eq!(
        call(&mut store, &instance, "ok", &[]).unwrap(),
        vec![Val::I32(42)]
    );
    assert_stack_overflow(call(&mut store, &instance, "down", &[Val::I32(0)]));
    assert_eq!(
        call(&mut store, &instance, "ok", &[]).unwrap(),
        vec![Val::I32(42)]
    );
}

#[test]
fn huge_memory_grow_fails_with_minus_one() {
    let (mut store, instance) = instantiate(
        r#"(module
            (memory (export "m") 1)
            (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
            (func (export "size") (result i32) (memory.size)))"#,
    );
    for pages in [65_536, 0x7fff_ffff, -1] {
        let r = call(&mut store, &instance, "grow", &[Val::I32(pages)]).unwrap();
        assert_eq!(r, vec![Val::I32(-1)], "memory.grow {pages}");
    }
    assert_eq!(
        call(&mut store, &instance, "size", &[]).unwrap(),
        vec![Val::I32(1)]
    );
    let r = call(&mut store, &instance, "grow", &[Val::I32(1)]).unwrap();
    assert_eq!(r, vec![Val::I32(1)]);
    assert_eq!(
        call(&mut store, &instance, "size", &[]).unwrap(),
        vec![Val::I32(2)]
    );
}

#[test]
fn memory_grow_respects_the_declared_maximum() {
    let (mut store, instance) = instantiate(
        r#"(module
            (memory 1 3)
            (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    let grow =
        |store: &mut Store<()>, n: i32| call(store, &instance, "grow", &[Val::I32(n)]).unwrap();
    assert_eq!(grow(&mut store, 3), vec![Val::I32(-1)]);
    assert_eq!(grow(&mut store, 2), vec![Val::I32(1)]);
    assert_eq!(grow(&mut store, 1), vec![Val::I32(-1)]);
    assert_eq!(grow(&mut store, 0), vec![Val::I32(3)]);
}
