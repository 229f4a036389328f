#!/usr/bin/env bash
# Builds the firmware examples (firmware/), runs them under QEMU and prints their sizes.
#
#   scripts/firmware.sh            build, run the four QEMU runs, size table
#   scripts/firmware.sh size       build and print the size table only
#
# Runs: Cortex-M4 (thumbv7em-none-eabihf, qemu-system-arm -M mps2-an386, semihosting) and
# RISC-V (riscv32imac-unknown-none-elf, qemu-system-riscv32 -M virt -bios none, UART + test
# device), each as a full build (translates the embedded .wasm) and a runtime-only build (runs
# the precompiled blob in place). Each must print PASS and exit 0. A Cortex-M0
# (thumbv6m-none-eabi) runtime-only build must compile and link.
#
# Sizes are `.text` + `.rodata` at opt-level z, LTO, panic=abort. Budgets (issue 6): full
# <= 200 KiB, runtime-only <= 64 KiB; with FIRMWARE_BUDGETS=enforce a build over budget fails,
# and FIRMWARE_ENFORCE="target/variant ..." makes only the listed builds fail (.ci/run lists
# those that are within budget, so that they stay there).
#
# Needs the three targets (rustup target add ...) and QEMU (apt-get install
# qemu-system-arm qemu-system-misc), and llvm-size (on PATH or `rustup component add
# llvm-tools`); .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/../firmware"
mode="${1:-run}"

# llvm-size: on PATH, or from rustup's llvm-tools component.
if command -v llvm-size >/dev/null; then
    LLVM_SIZE=llvm-size
else
    LLVM_SIZE="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/llvm-size"
fi

# Panic locations keep source paths in .rodata: remap the checkout's and cargo's home so that
# the sizes do not depend on where they lie (the budget check runs on any clone). These flags
# add to firmware/.cargo/config.toml's.
remap="--remap-path-prefix=$(cd .. && pwd)=/ember --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"

# Variants share firmware/target (whatever CARGO_TARGET_DIR says); each ELF is copied out.
build() { # target variant -> path of the copy
    local features=()
    [ "$2" = full ] && features=(--features full)
    local flags_var
    flags_var="CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$1")_RUSTFLAGS"
    env "$flags_var=$remap" \
        cargo build -q --release --target "$1" --target-dir "$PWD/target" "${features[@]}" >&2
    mkdir -p target/out
    cp "target/$1/release/ember-firmware" "target/out/$1-$2.elf"
    echo "target/out/$1-$2.elf"
}

status=0
run() { # name elf qemu-command...
    local name="$1" elf="$2"
    shift 2
    echo "--- $name"
    local out code=0
    out=$(timeout 120 "$@" -kernel "$elf" 2>&1) || code=$?
    echo "$out"
    if [ "$code" -ne 0 ]; then
        echo "firmware: $name FAILED (exit status $code)"
        status=1
    elif ! grep -q '^PASS$' <<<"$out"; then
        echo "firmware: $name exited 0 without PASS"
        status=1
    fi
}

ARM=(qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none
     -semihosting-config enable=on,target=native)
RISCV=(qemu-system-riscv32 -M virt -bios none -nographic -monitor none -serial stdio)

declare -A elf
for t in thumbv7em-none-eabihf riscv32imac-unknown-none-elf; do
    for v in full runtime-only; do
        elf[$t/$v]=$(build "$t" "$v") || exit 1
    done
done
elf[thumbv6m-none-eabi/runtime-only]=$(build thumbv6m-none-eabi runtime-only) || exit 1

if [ "$mode" = run ]; then
    run "Cortex-M4, full" "${elf[thumbv7em-none-eabihf/full]}" "${ARM[@]}"
    run "Cortex-M4, runtime-only" "${elf[thumbv7em-none-eabihf/runtime-only]}" "${ARM[@]}"
    run "RISC-V, full" "${elf[riscv32imac-unknown-none-elf/full]}" "${RISCV[@]}"
    run "RISC-V, runtime-only" "${elf[riscv32imac-unknown-none-elf/runtime-only]}" "${RISCV[@]}"
fi

echo
echo "| target | build | .text | .rodata | .data | .bss (incl. 256 KiB heap) | .text + .rodata | budget |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for key in thumbv7em-none-eabihf/full thumbv7em-none-eabihf/runtime-only \
           riscv32imac-unknown-none-elf/full riscv32imac-unknown-none-elf/runtime-only \
           thumbv6m-none-eabi/runtime-only; do
    e="${elf[$key]}"
    read -r text rodata data bss < <("$LLVM_SIZE" -A "$e" | awk '
        $1 == ".text" || $1 == ".vector_table" { t += $2 } $1 == ".rodata" { r = $2 }
        $1 == ".data" { d = $2 } $1 == ".bss" { b = $2 } END { print t, r, d, b }')
    total=$((text + rodata))
    budget=$((64 * 1024))
    [ "${key#*/}" = full ] && budget=$((200 * 1024))
    mark="≤ $((budget / 1024)) KiB"
    if [ "$total" -gt "$budget" ]; then
        mark="over ($((budget / 1024)) KiB)"
        if [ "${FIRMWARE_BUDGETS:-report}" = enforce ] || [[ " ${FIRMWARE_ENFORCE:-} " == *" $key "* ]]; then
            mark="$mark, enforced: FAILED"
            status=1
        fi
    fi
    echo "| ${key%/*} | ${key#*/} | $text | $rodata | $data | $bss | $total ($((total / 1024)) KiB) | $mark |"
done
exit "$status"
