#!/bin/sh
# Guest test (busybox sh): test_bpf's three suites through armjit (enabled,
# bpf_jit_enable=1, bpf_jit_harden=$HARDEN, default 0). Passes when every
# test passes and armjit handed no program to the stock JIT. Loads armjit.ko
# if it isn't loaded; restores enabled and the sysctls. KTAP on stdout.
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"

A=/sys/kernel/armjit
SYS=/proc/sys/net/core
ktap_plan 6

[ -d /sys/module/armjit ] || kmodload "$ARMJIT_KO"
[ -d /sys/module/armjit ]
ktap_result $? "armjit.ko is loaded"

was_enabled=$(cat $A/enabled 2>/dev/null || echo 0)
was_jit=$(cat $SYS/bpf_jit_enable)
was_harden=$(cat $SYS/bpf_jit_harden)
echo 1 >$A/enabled
echo 1 >$SYS/bpf_jit_enable
echo "${HARDEN:-0}" >$SYS/bpf_jit_harden
ktap_diag "bpf_jit_enable=1 bpf_jit_harden=$(cat $SYS/bpf_jit_harden) armjit enabled=$(cat $A/enabled)"
stock0=$(armjit_stat stock)

for suite in test_bpf test_tail_calls test_skb_segment; do
	sum=$(run_test_bpf $suite)
	ktap_diag "${sum:-$suite: no Summary line}"
	case $sum in
	*", 0 FAILED"*) ktap_result 0 "$suite" ;;
	*) ktap_result 1 "$suite" ;;
	esac
done

ktap_diag "$(cat $A/stats | tr '\n' ' ')"
[ -n "$stock0" ] && [ "$(armjit_stat stock)" = "$stock0" ]
ktap_result $? "no program handed to the stock JIT"

echo "$was_enabled" >$A/enabled
echo "$was_jit" >$SYS/bpf_jit_enable
echo "$was_harden" >$SYS/bpf_jit_harden

check_dmesg
ktap_result $? "kernel log has no WARNING, BUG, Oops or Call trace"

ktap_totals
