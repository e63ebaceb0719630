#!/bin/sh
# Guest test (busybox sh): the BPF selftests (../selftests, and
# ../selftests/v4 where it was built) through armjit at
# /sys/kernel/armjit/opt 0, every program JIT'ed by armjit. Loads armjit.ko
# if it isn't loaded; restores opt. KTAP on stdout (the runner's).
# Skipped (exit 4) without the selftests.
. "$(dirname "$0")/lib.sh"

A=/sys/kernel/armjit
st_dir=$(dirname "$0")/../selftests
[ -x "$st_dir/run.sh" ] || { echo "1..0 # SKIP no selftests in this boot"; exit 4; }
[ -d /sys/module/armjit ] || kmodload "$ARMJIT_KO"
was_opt=$(cat $A/opt)
echo 0 >$A/opt
st=0
for d in "$st_dir" "$st_dir/v4"; do
	[ -x "$d/run.sh" ] || continue
	echo "# ==== $d at opt $(cat $A/opt)"
	sh "$d/run.sh" --mode armjit --expect-jited armjit
	rc=$?
	[ $rc = 0 ] || [ $rc = 4 ] || st=1
done
echo "$was_opt" >$A/opt
exit $st
