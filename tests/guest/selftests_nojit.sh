#!/bin/sh
# Guest test (busybox sh; KTAP): the BPF selftests (../selftests) with armjit
# left disabled: interpreted and through the stock JIT (KERNEL=rpi, whose
# stock JIT refuses some): interpreted, every program
# must pass; through the stock JIT, reported, not judged (the Pi's stock
# JIT refuses some with -ENOTSUPP, a load failure on 6.1): the runner must
# give a result for every program. The runner's output as diagnostics.
# Skipped (exit 4) without the selftests.
. "$(dirname "$0")/ktap.sh"
st_dir=$(dirname "$0")/../selftests
[ -x "$st_dir/run.sh" ] || { echo "1..0 # SKIP no selftests in this boot"; exit 4; }
ktap_plan 2
echo 0 >/sys/kernel/armjit/enabled 2>/dev/null
sh "$st_dir/run.sh" --mode interp >/tmp/st-interp.out 2>&1
st=$?
sed 's/^/# interp: /' /tmp/st-interp.out
n=$(grep -c '^ok ' /tmp/st-interp.out)
[ $st = 0 ] && [ "$n" -gt 0 ] && ! grep -q '^not ok' /tmp/st-interp.out
ktap_result $? "selftests interpreted: $n passed, exit $st"
sh "$st_dir/run.sh" --mode stock >/tmp/st-stock.out 2>&1
sed 's/^/# stock: /' /tmp/st-stock.out
ok=$(grep -c '^ok ' /tmp/st-stock.out)
bad=$(grep -c '^not ok ' /tmp/st-stock.out)
ktap_diag "stock JIT: $ok ok, $bad not ok (-524: the stock JIT refused it)"
[ $((ok + bad)) = "$n" ]
ktap_result $? "selftests through the stock JIT: a result for each of the $n"
ktap_totals
