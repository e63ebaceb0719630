#!/bin/sh
# No half state (issue 19): armjit can't be removed between its yes to a
# load's verifier and that load's JIT (unload_window.c). For each question
# armjit answers (tail: bpf_jit_supports_subprog_tailcalls, every kernel;
# inline: bpf_jit_inlines_helper_call, 6.12 and later) a rmmod while the
# load verifies is refused as busy and the program ends JIT'ed, right;
# afterwards no module reference is left and rmmod works. Needs
# $ARMJIT_KO; leaves armjit loaded, disabled.
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"
dir=$(cd "$(dirname "$0")" && pwd)
[ "$(uname -m)" != armv6l ] || dir=$dir/armel
A=/sys/kernel/armjit
SYS=/proc/sys/net/core
T=/sys/kernel/tracing

[ -f "$ARMJIT_KO" ] && [ -x "$dir/unload_window" ] || {
	echo "1..0 # SKIP no armjit.ko or unload_window"
	exit 4
}
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
ktap_plan 4
old_jit=$(cat $SYS/bpf_jit_enable)
echo 1 >$SYS/bpf_jit_enable

for q in tail inline; do
	[ -d $A ] || kmodload "$ARMJIT_KO"
	echo 1 >$A/enabled
	before=$(armjit_stat compiled)
	"$dir/unload_window" $q >/tmp/uw.out 2>&1
	st=$?
	cat /tmp/uw.out
	if [ $st = 4 ]; then
		ktap_skip "$q: rmmod during the load's verification" \
			"$(grep SKIP /tmp/uw.out | sed 's/.*SKIP //')"
		continue
	fi
	if [ -d $A ]; then
		after=$(armjit_stat compiled)
		ktap_diag "$q: compiled +$((after - before))"
		[ $((after - before)) -ge 2 ] || st=1
	fi
	ktap_result $st "$q: rmmod during the load's verification refused, the program JIT'ed by armjit"
done

[ -d $A ] || kmodload "$ARMJIT_KO"
echo 0 >$A/enabled
ref=$(cat /sys/module/armjit/refcnt)
rmmod armjit
st=$?
kmodload "$ARMJIT_KO"
ktap_diag "refcnt after the loads: $ref"
[ "$ref" = 0 ] && [ $st = 0 ] && [ -d $A ]
ktap_result $? "no module reference left: rmmod and load again work"

echo "$old_jit" >$SYS/bpf_jit_enable
check_dmesg
ktap_result $? "no warning, BUG or oops in the kernel log"
ktap_totals
