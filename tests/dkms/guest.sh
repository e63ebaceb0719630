#!/bin/sh
# tests/dkms/guest.sh (guest side of tests/dkms/dkms-test; busybox sh, KTAP):
# loads the DKMS-built armjit.ko from /root/dkms-built/ (scripts/vm booted
# with --no-load: no other armjit is loaded), checks it is that module, runs
# tests/guest/boot_enable.sh with it, then test_bpf with armjit enabled
# (skipped with DKMS_TEST_BPF=0: the Pi kernel before ARMv6 generation).
. /root/guest/ktap.sh
D=/root/dkms-built
ko=$D/armjit.ko
ktap_plan 4

sum=$(sha256sum "$ko" | cut -d' ' -f1)
ktap_diag "armjit.ko sha256 $sum (host: $(cat $D/sha256))"
err=$(kmodload "$ko" 2>&1)
ktap_result $? "DKMS-built armjit.ko loads${err:+ ($err)}"
want=$(cat $D/srcversion)
got=$(cat /sys/module/armjit/srcversion 2>&1)
[ "$sum" = "$(cat $D/sha256)" ] && [ -n "$want" ] && [ "$got" = "$want" ]
ktap_result $? "guest runs the DKMS-built module (srcversion $got, host modinfo $want)"

ARMJIT_KO=$ko sh /root/guest/boot_enable.sh >/tmp/be.out 2>&1
st=$?
sed 's/^/    /' /tmp/be.out
ktap_check boot_enable.sh $st /tmp/be.out | sed 's/^/    /'
[ $st = 0 ] && ! grep -q '^not ok' /tmp/be.out
ktap_result $? "boot_enable.sh with the DKMS-built module"

if [ "${DKMS_TEST_BPF:-1}" = 0 ]; then
	ktap_skip "test_bpf summary seen with armjit enabled" \
		"DKMS_TEST_BPF=0: armjit can't be enabled on this kernel yet"
	ktap_totals
	exit
fi
# test_bpf, armjit enabled (loaded by the same file, disabled at load).
[ -d /sys/module/armjit ] || kmodload "$ko"
echo 1 >/sys/kernel/armjit/enabled
echo 1 >/proc/sys/net/core/bpf_jit_enable
en=$(cat /sys/kernel/armjit/enabled)
dmesg -c >/dev/null
kmodload "$TEST_BPF_KO" 2>/dev/null
dmesg >/tmp/test_bpf.log
grep -E 'test_bpf: Summary|test_bpf: test_(tail_calls|skb_segment): Summary' \
	/tmp/test_bpf.log | sed 's/^\[[ 0-9.]*\] //; s/^/# /'
ktap_diag "armjit stats: $(tr '\n' ' ' </sys/kernel/armjit/stats 2>&1)"
sumline=$(grep 'test_bpf: Summary: .* JIT' /tmp/test_bpf.log | head -n 1)
jited=$(echo "$sumline" | sed -n 's/.*\[\([0-9]*\)\/[0-9]* JIT.*/\1/p')
[ "$en" = 1 ] && [ -n "$sumline" ] && [ "${jited:-0}" -gt 0 ]
ktap_result $? "test_bpf summary seen with armjit enabled (${sumline#*Summary: })"
ktap_totals
