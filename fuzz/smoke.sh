#!/usr/bin/env bash
# Fuzz smoke test for CI: builds the cargo-fuzz targets and runs each for about a minute,
# starting from the committed regression corpus (fuzz/corpus-regress/<target>/).
# Exits non-zero if any target finds a crash (panic, abort, sanitizer error, OOM, timeout);
# the reproducer is written to fuzz/artifacts/<target>/.
#
# Needs the nightly toolchain (`cargo +nightly`); installs cargo-fuzz if it is missing.
# Without nightly it prints a note and exits 0.
#
# Environment: FUZZ_SECONDS (default 60) per target; FUZZ_TARGETS (default: all four).
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-translate differential exec_limits deserialize}"

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz smoke: no nightly toolchain (cargo +nightly); skipped"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz smoke: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

cargo +nightly fuzz build

status=0
for target in $targets; do
    # New inputs go to a scratch directory; the committed corpus is only read.
    scratch="$(mktemp -d)"
    mkdir -p "artifacts/$target"
    echo "fuzz smoke: $target for ${seconds}s"
    # A target without a committed corpus starts from nothing.
    seeds=()
    [ -d "corpus-regress/$target" ] && seeds=("corpus-regress/$target")
    if ! cargo +nightly fuzz run "$target" "$scratch" "${seeds[@]}" -- \
        -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2560 -print_final_stats=1 \
        -artifact_prefix="artifacts/$target/"; then
        echo "fuzz smoke: $target FAILED; reproducer in fuzz/artifacts/$target/"
        echo "  reproduce: cd fuzz && cargo +nightly fuzz run $target fuzz/artifacts/$target/<file>"
        status=1
    fi
    rm -rf "$scratch"
done
exit "$status"
