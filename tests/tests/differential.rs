//! Deterministic differential testing: fixed seeds -> wasm-smith modules, run in Ember and in
//! wasmi, everything observable compared (see `tests/differential/mod.rs`, which the
//! `differential` fuzz target shares).

#[path = "../differential/mod.rs"]
mod differential;

#[path = "acc/chains.rs"]
mod acc_chains;

use arbitrary::Unstructured;

/// Number of seeds checked by `fixed_seeds`.
const SEEDS: u64 = 300;

/// SplitMix64: a tiny deterministic PRNG to turn a seed into fuzz bytes.
fn bytes_for_seed(seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let len = 512 + (next() % 4096) as usize;
    (0..len).map(|_| next() as u8).collect()
}

/// Runs one seed; `Ok(None)` if the bytes did not make a module.
fn run_seed(seed: u64) -> Result<Option<differential::Stats>, String> {
    let data = bytes_for_seed(seed);
    let mut u = Unstructured::new(&data);
    let Ok(module) = differential::generate(&mut u) else {
        return Ok(None);
    };
    differential::check(&module, &mut u).map(Some)
}

#[test]
fn fixed_seeds() {
    let mut failures = Vec::new();
    let (mut modules, mut instantiated, mut calls, mut traps) = (0, 0, 0, 0);
    for seed in 0..SEEDS {
        match run_seed(seed) {
            Ok(Some(s)) => {
                modules += 1;
                instantiated += usize::from(s.instantiated);
                calls += s.calls;
                traps += s.traps;
            }
            Ok(None) => {}
            Err(e) => failures.push(format!("seed {seed}: {e}")),
        }
    }
    println!(
        "{modules} modules, {instantiated} instantiated, {calls} calls ({traps} trapped in both)"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The generator must actually produce runnable programs.
    assert!(
        modules as u64 > SEEDS * 9 / 10,
        "only {modules} modules generated"
    );
    assert!(calls > 500, "only {calls} calls");
}

/// Every input of the fuzz target's committed corpus (`fuzz/corpus-regress/differential/`,
/// which holds the inputs of past findings) through the same check.
#[test]
fn fuzz_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus-regress/differential");
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus directory") {
        let path = entry.expect("corpus entry").path();
        let data = std::fs::read(&path).expect("corpus file");
        let mut u = Unstructured::new(&data);
        let Ok(module) = differential::generate(&mut u) else {
            continue;
        };
        checked += 1;
        if let Err(e) = differential::check(&module, &mut u) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 20, "only {checked} corpus inputs made modules");
}

/// Reproduces one seed and writes its module to `/tmp/seed<N>.wasm`:
/// `SEED=N cargo test -p ember-tests --test differential -- --ignored dump_seed --nocapture`.
#[test]
#[ignore]
fn dump_seed() {
    let seed: u64 = std::env::var("SEED").map_or(0, |s| s.parse().expect("SEED is a number"));
    let data = bytes_for_seed(seed);
    let mut u = Unstructured::new(&data);
    let module = differential::generate(&mut u).expect("seed makes a module");
    let path = std::env::temp_dir().join(format!("seed{seed}.wasm"));
    std::fs::write(&path, &module.wasm).expect("write module");
    let result = differential::check(&module, &mut u);
    println!("{}: {result:?}", path.display());
}
