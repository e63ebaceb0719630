#!/bin/sh
# test_bpf's three suites with no JIT at all (armjit disabled,
# bpf_jit_enable=0): every test must pass interpreted. The reference on a
# kernel where armjit can't run yet (KERNEL=rpi before ARMv6 code
# generation) and a check that the harness (module load, busybox, kmodload)
# works there. Restores both settings. KTAP.
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"
SYS=/proc/sys/net/core
ktap_plan 3
was_en=$(cat /sys/kernel/armjit/enabled 2>/dev/null || echo 0)
was_jit=$(cat $SYS/bpf_jit_enable)
echo 0 >/sys/kernel/armjit/enabled 2>/dev/null
echo 0 >$SYS/bpf_jit_enable
sum=$(run_test_bpf test_bpf)
ktap_diag "interp: ${sum:-no Summary line}"
case $sum in
*"Summary: 1026 PASSED, 0 FAILED, [0/1014 JIT'ed]"*) true ;;
*) false ;;
esac
ktap_result $? "test_bpf interpreted: 1026 PASSED, 0 FAILED, none JIT'ed"
sum=$(run_test_bpf test_tail_calls)
ktap_diag "interp: ${sum:-no Summary line}"
case $sum in *"Summary: 10 PASSED, 0 FAILED"*) true ;; *) false ;; esac
ktap_result $? "test_tail_calls interpreted: 10 PASSED, 0 FAILED"
sum=$(run_test_bpf test_skb_segment)
ktap_diag "interp: ${sum:-no Summary line}"
case $sum in *"Summary: 2 PASSED, 0 FAILED"*) true ;; *) false ;; esac
ktap_result $? "test_skb_segment interpreted: 2 PASSED, 0 FAILED"
echo "$was_jit" >$SYS/bpf_jit_enable
echo "$was_en" >/sys/kernel/armjit/enabled 2>/dev/null
ktap_totals
