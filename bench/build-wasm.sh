#!/usr/bin/env bash
# Rebuilds the benchmark modules in bench/wasm/ from bench/kernels and bench/programs.
# Needs the wasm32-unknown-unknown target (`rustup target add wasm32-unknown-unknown`).
set -euo pipefail
cd "$(dirname "$0")"
for p in kernels programs; do
    (cd "$p" && cargo build --release --target wasm32-unknown-unknown)
    cp "$p/target/wasm32-unknown-unknown/release/ember_bench_$p.wasm" "wasm/$p.wasm"
done
ls -l wasm/
