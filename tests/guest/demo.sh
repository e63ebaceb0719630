#!/bin/sh
# make demo (guest, busybox sh): armjit's sysfs switch and stats, then
# test_bpf's suites under the stock JIT and through armjit, side by side.
. "$(dirname "$0")/lib.sh"
A=/sys/kernel/armjit
run() { echo "# $*"; sh -c "$*" 2>&1; }

echo "== armjit.ko loaded by scripts/vm on $(uname -r)"
run "lsmod | grep armjit"
run "dmesg | grep armjit:"
run "ls -l $A"
run "cat $A/enabled"
run "echo 1 > $A/enabled; cat $A/enabled"
run "echo 2 > $A/enabled; cat $A/enabled"
run "echo 0 > $A/enabled; cat $A/enabled"
run "cat $A/stats"

echo
echo "== the helper metadata table: how each call site lays out its arguments"
run "wc -l < $A/helpers/table"
run "grep -E '^(#|bpf_map_(lookup|update)_elem|bpf_ktime_get_ns|bpf_csum_diff) ' $A/helpers/table"
run "echo 'bpf_map_update_elem nargs=3' > $A/helpers/override; grep '^bpf_map_update_elem ' $A/helpers/table"
run "echo 'bpf_map_update_elem nargs=9' > $A/helpers/override"
run "echo bpf_map_update_elem > $A/helpers/reset; grep '^bpf_map_update_elem ' $A/helpers/table"

echo
echo "== test_bpf with bpf_jit_enable=1: stock JIT (armjit off), then armjit"
echo 1 >/proc/sys/net/core/bpf_jit_enable
for suite in test_bpf test_tail_calls test_skb_segment; do
	echo 0 >$A/enabled
	stock=$(run_test_bpf $suite)
	echo 1 >$A/enabled
	mine=$(run_test_bpf $suite)
	echo 0 >$A/enabled
	printf '%-17s stock:  %s\n%-17s armjit: %s\n' "$suite" \
		"${stock#*Summary: }" "" "${mine#*Summary: }"
done
run "cat $A/stats"
if check_dmesg >/tmp/bad; then
	echo "== kernel log: no warnings, BUGs or oopses"
else
	echo "== kernel log:"; cat /tmp/bad
fi
