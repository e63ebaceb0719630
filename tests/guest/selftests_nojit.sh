#!/bin/sh
# Guest test (busybox sh): the BPF selftests (../selftests) interpreted and
# through the stock JIT only, armjit left disabled: what runs on a kernel
# where armjit can't be enabled yet (KERNEL=rpi before ARMv6 code
# generation). KTAP on stdout (the runner's). Skipped (exit 4) without the
# selftests.
st_dir=$(dirname "$0")/../selftests
[ -x "$st_dir/run.sh" ] || { echo "1..0 # SKIP no selftests in this boot"; exit 4; }
echo 0 >/sys/kernel/armjit/enabled 2>/dev/null
sh "$st_dir/run.sh" --mode interp,stock
