//! Verifies a precompiled module repeatedly, for instruction counts under callgrind; with
//! `--histogram`, first prints how often each instruction occurs in it.
//!
//! ```text
//! cargo run --release -p ember-cli -- compile bench/wasm/programs.wasm -o /tmp/programs.ember
//! cargo build --release -p ember-bytecode --example verify_bench
//! valgrind --tool=callgrind --toggle-collect='ember_bytecode::verify::verify_module' \
//!     target/release/examples/verify_bench /tmp/programs.ember 10
//! ```

use ember_bytecode::Instr;
use ember_bytecode::format::decode;
use ember_bytecode::module::CompiledModule;
use ember_bytecode::verify::verify_module;
use std::collections::HashMap;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let histogram = args.iter().any(|a| a == "--histogram");
    args.retain(|a| a != "--histogram");
    let path = args
        .first()
        .expect("usage: verify_bench FILE.ember [ROUNDS] [--histogram]");
    let rounds: usize = args
        .get(1)
        .map_or(10, |r| r.parse().expect("a number of rounds"));
    let blob = std::fs::read(path).expect("readable file");
    let m = decode(&blob).expect("decodes");
    if histogram {
        print_histogram(&m);
    }
    for _ in 0..rounds {
        verify_module(std::hint::black_box(&m)).expect("verifies");
    }
    println!(
        "{path}: {} bytes of code verified {rounds} times",
        m.code.len()
    );
}

fn print_histogram(m: &CompiledModule) {
    let mut counts = HashMap::<&str, usize>::new();
    let mut total = 0;
    for b in &m.bodies {
        let code = m.body_code(b).expect("body in range");
        let mut pc = 0;
        while pc < code.len() {
            let (i, len) = Instr::decode(code, pc).expect("decodes");
            *counts.entry(i.mnemonic()).or_default() += 1;
            total += 1;
            pc += len;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|&(mn, n)| (std::cmp::Reverse(n), mn));
    println!("{total} instructions in {} bodies", m.bodies.len());
    for (mn, n) in v {
        println!("{mn:24} {n:8} {:6.2}%", 100.0 * n as f64 / total as f64);
    }
}
