#!/bin/sh
# Guest test (busybox sh): the BPF selftests (../selftests) through armjit
# only, every program JIT'ed by armjit: for kernels whose stock JIT refuses
# some of them (KERNEL=rpi: -ENOTSUPP, a load failure on 6.1), where
# selftests/run.sh's judged stock mode can't pass; selftests_nojit.sh
# covers the interpreter and reports the stock JIT. Loads armjit.ko if it
# isn't loaded. KTAP on stdout (the runner's). Skipped (exit 4) without
# the selftests.
. "$(dirname "$0")/lib.sh"

st_dir=$(dirname "$0")/../selftests
[ -x "$st_dir/run.sh" ] || { echo "1..0 # SKIP no selftests in this boot"; exit 4; }
[ -d /sys/module/armjit ] || kmodload "$ARMJIT_KO"
exec sh "$st_dir/run.sh" --mode armjit --expect-jited armjit
