#!/bin/sh
# The tail-call ABI between images (module/armjit_jit.h): armjit's tail
# calls enter only images whose marker word is their own tail-call ABI
# version, and stock->armjit tail calls only when the stock JIT's probe at
# load matched armjit's stub. Three loads of armjit: as booted (the probe
# must match: stock->armjit lands, an image of ABI 1, the stand-in for an
# older armjit's, is an empty slot to armjit's tail calls; test_bpf's
# tail-call suite through armjit); with tc_probe_fail=1 (one dmesg line,
# stats say refused, a stock caller's tail call into armjit is refused);
# and again as booted. Needs $ARMJIT_KO, $TEST_BPF_KO and debugfs.
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"

A=/sys/kernel/armjit
SYS=/proc/sys/net/core
T="$(dirname "$0")/tail_abi"
# armel/: the ARMv6 build for the Pi kernel (tests/guest/Makefile).
[ "$(uname -m)" != armv6l ] || T="$(dirname "$0")/armel/tail_abi"
LINE='stock->armjit tail calls refused'

[ -f "$ARMJIT_KO" ] && [ -x "$T" ] && [ -d /sys/kernel/debug ] || {
	echo "1..0 # SKIP no armjit.ko, tail_abi or debugfs"
	exit 4
}
ktap_plan 12
was_jit=$(cat $SYS/bpf_jit_enable)
echo 1 >$SYS/bpf_jit_enable
dmesg -c >>"$KMSG_SAVED"

# refusals: the number of "refused" lines in the kernel log since the
# last dmesg -c
refusals() { dmesg | grep -c "$LINE"; }

# reload [PARAM]: armjit unloaded and loaded again (enabled=0)
reload() {
	[ ! -d /sys/module/armjit ] || rmmod armjit
	dmesg -c >>"$KMSG_SAVED"
	kmodload "$ARMJIT_KO" "$@"
}

[ -d /sys/module/armjit ] || kmodload "$ARMJIT_KO"
abi=$(armjit_stat tail_call_abi) st=$(armjit_stat stock_tail_calls)
ktap_diag "as booted: tail_call_abi $abi, stock_tail_calls $st"
[ "$abi" = 3 ] && [ "$st" = on ] && [ "$( { cat "$KMSG_SAVED"; dmesg; } |
	grep -c "$LINE")" = 0 ]
ktap_result $? "the stock JIT's probe matches armjit's stub: stock_tail_calls on, no refusal line"

"$T" old
ktap_result $? "armjit -> an image of tail-call ABI 1 (older armjit stand-in) is an empty slot; -> ABI 3 (the current) lands"

"$T" stock on
ktap_result $? "stock -> armjit and stock -> armjit -> armjit land"

echo 1 >$A/enabled
stock0=$(armjit_stat stock)
sum=$(run_test_bpf test_tail_calls)
ktap_diag "test_tail_calls: ${sum:-no Summary line}"
case $sum in
*" 10 PASSED, 0 FAILED, [10/10 JIT'ed]"*) r=0 ;;
*) r=1 ;;
esac
[ "$(armjit_stat stock)" = "$stock0" ] || r=1
ktap_result $r "test_tail_calls through armjit: 10/10, all JIT'ed by armjit"
echo 0 >$A/enabled

reload tc_probe_fail=1
st=$(armjit_stat stock_tail_calls)
n=$(refusals)
dmesg | grep "$LINE" | sed 's/^/# /'
[ "$st" = refused ] && [ "$n" = 1 ]
ktap_result $? "tc_probe_fail=1: stock_tail_calls $st, $n refusal line(s) in dmesg"

"$T" stock refused
ktap_result $? "refused: a stock caller's tail call into armjit ends it with 0, armjit -> armjit still lands"

"$T" old
ktap_result $? "refused: armjit -> ABI 1 is still an empty slot, -> ABI 3 (the current) lands"

[ "$(refusals)" = 1 ]
ktap_result $? "still one refusal line after the tail calls"

reload
st=$(armjit_stat stock_tail_calls)
[ "$st" = on ] && [ "$(refusals)" = 0 ]
ktap_result $? "loaded again as booted: stock_tail_calls $st, no refusal line"

"$T" stock on
ktap_result $? "stock -> armjit lands again"

"$T" old
ktap_result $? "armjit -> ABI 1 is an empty slot again"

echo "$was_jit" >$SYS/bpf_jit_enable
check_dmesg
ktap_result $? "kernel log clean (no oops, warning or BUG)"
ktap_totals
