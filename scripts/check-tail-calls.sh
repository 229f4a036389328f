#!/usr/bin/env bash
# Checks that the executor's tail-call dispatch really compiled to jumps: in an optimised
# x86-64 build, no instruction handler (`ember::exec::threaded::{handler, handler_acc, pair}`,
# each instantiated per instruction type) may reach another handler
# through an indirect *call* (which would take a native stack frame per executed instruction
# and overflow the stack on long runs); each must end in an indirect jump through the handler
# table. Calls to named functions (memset, libm, out-of-line slow paths) are fine.
#
# Usage: scripts/check-tail-calls.sh BINARY   (e.g. target/release/ember-bench)
set -euo pipefail
bin="${1:?usage: check-tail-calls.sh BINARY}"
objdump -d --no-show-raw-insn -M intel "$bin" | awk '
    /^[0-9a-f]+ <.*>:$/ { name = $2; inh = (name ~ /ember4exec8threaded(7handler|11handler_acc|4pair)17h/); if (inh) n++ }
    inh && !/\[rip/ && /call +(r[a-z0-9]+$|QWORD PTR \[r[a-z0-9]+[]+*])/ { print "indirect call in " name ": " $0; bad++ }
    inh && /jmp +(r[a-z0-9]+$|QWORD PTR \[r[a-z0-9]+[]+*])/ { jumps[name] = 1 }
    END {
        j = 0; for (k in jumps) j++
        printf "check-tail-calls: %d handler functions, %d with an indirect jump, %d indirect calls\n", n, j, bad
        if (n < 100) { print "check-tail-calls: too few handlers found (is this an optimised x86-64 build?)"; exit 1 }
        if (bad > 0 || j < n - 5) exit 1
    }'
