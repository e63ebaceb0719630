#!/bin/sh
# Guest test (busybox sh): test_bpf's three suites through armjit (enabled,
# bpf_jit_enable=1, bpf_jit_harden=$HARDEN, default 0, /sys/kernel/armjit/opt
# $OPT, default as found). Passes when every
# test passes, armjit handed no program to the stock JIT and every call
# had metadata (calls_default unchanged). Loads armjit.ko
# if it isn't loaded; restores enabled and the sysctls. KTAP on stdout.
# RANGES: see below.
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"

A=/sys/kernel/armjit
SYS=/proc/sys/net/core
ktap_plan 7

[ -d /sys/module/armjit ] || kmodload "$ARMJIT_KO"
[ -d /sys/module/armjit ]
ktap_result $? "armjit.ko is loaded"

was_enabled=$(cat $A/enabled 2>/dev/null || echo 0)
was_jit=$(cat $SYS/bpf_jit_enable)
was_harden=$(cat $SYS/bpf_jit_harden)
was_opt=$(cat $A/opt)
echo "${OPT:-$was_opt}" >$A/opt
echo 1 >$A/enabled
echo 1 >$SYS/bpf_jit_enable
echo "${HARDEN:-0}" >$SYS/bpf_jit_harden
ktap_diag "bpf_jit_enable=1 bpf_jit_harden=$(cat $SYS/bpf_jit_harden) armjit enabled=$(cat $A/enabled) opt=$(cat $A/opt)"
stock0=$(armjit_stat stock)
default0=$(armjit_stat calls_default)

# RANGES="A,B C,D": test_bpf's suite only over those test_range=A,B ids,
# one load each (all must pass). (With the kernel's own blinding, the stock
# JIT's, bpf_jit_harden=2 takes minutes per "all ... value magnitudes" test,
# #828-#952 on 6.1, under TCG, and fails #977-#1025; armjit blinds itself,
# in linear time: the whole suite in ~2 min.)
for suite in test_bpf test_tail_calls test_skb_segment; do
	if [ $suite = test_bpf ] && [ -n "${RANGES:-}" ]; then
		ok=0
		for r in $RANGES; do
			sum=$(run_test_bpf $suite test_range="$r")
			ktap_diag "test_range=$r: ${sum:-no Summary line}"
			case $sum in *", 0 FAILED"*) ;; *) ok=1 ;; esac
		done
		ktap_result $ok "$suite over test_range $RANGES"
		continue
	fi
	sum=$(run_test_bpf $suite)
	ktap_diag "${sum:-$suite: no Summary line}"
	case $sum in
	*", 0 FAILED"*) ktap_result 0 "$suite" ;;
	*) ktap_result 1 "$suite" ;;
	esac
done

ktap_diag "$(cat $A/stats | tr '\n' ' ')"
ktap_diag "helper table: $(grep -vc '^#' $A/helpers/table) entries, default ones: $(grep ' default' $A/helpers/table | cut -d' ' -f1 | tr '\n' ' ')"
[ -n "$stock0" ] && [ "$(armjit_stat stock)" = "$stock0" ]
ktap_result $? "no program handed to the stock JIT"
# every function test_bpf's programs call has metadata (issue 18)
[ -n "$default0" ] && [ "$(armjit_stat calls_default)" = "$default0" ]
ktap_result $? "no call without metadata (calls_default $default0 -> $(armjit_stat calls_default))"

echo "$was_enabled" >$A/enabled
echo "$was_jit" >$SYS/bpf_jit_enable
echo "$was_harden" >$SYS/bpf_jit_harden
echo "$was_opt" >$A/opt

check_dmesg
ktap_result $? "kernel log has no WARNING, BUG, Oops or Call trace"

ktap_totals
