#!/bin/sh
# test_bpf's three suites with the stock JIT alone (armjit disabled,
# bpf_jit_enable=1): the figures armjit's are compared with (README). KTAP;
# passes when each suite printed its Summary line (failures are the stock
# JIT's, reported, not judged).
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"
SYS=/proc/sys/net/core
ktap_plan 3
was_en=$(cat /sys/kernel/armjit/enabled 2>/dev/null || echo 0)
was_jit=$(cat $SYS/bpf_jit_enable)
echo 0 >/sys/kernel/armjit/enabled 2>/dev/null
echo 1 >$SYS/bpf_jit_enable
for suite in test_bpf test_tail_calls test_skb_segment; do
	sum=$(run_test_bpf $suite)
	ktap_diag "stock: ${sum:-$suite: no Summary line}"
	[ -n "$sum" ]
	ktap_result $? "$suite with the stock JIT printed its summary"
done
echo "$was_jit" >$SYS/bpf_jit_enable
echo "$was_en" >/sys/kernel/armjit/enabled 2>/dev/null
ktap_totals
