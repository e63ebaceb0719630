#!/bin/sh
# Failure paths of armjit's compile: with debugfs armjit/fail_nth = n, the
# n-th fault point (an allocation, the kernel's blinding, set_memory_*) of
# every compile fails. For n = 1, 2, ... until a round injects nothing,
# test_bpf over a few ranges (helpers, ld_abs, atomics, jumps) at
# bpf_jit_harden 0 and 2, its tail-call suite, and the selftests (bpf-to-
# bpf calls: a subprogram's extra pass; line info) load through armjit.
# Every load must then fail cleanly or run correctly: no wrong result (a
# test_bpf "ret X != Y", a selftest "got X, want Y"), no oops or warning.
# At the end every fault point has failed at least once, images are back
# to the baseline count, and armjit holds no module reference.
# First, init's error path: loading with fail_init=N (each step of init)
# fails and leaves no sysfs directory or module behind; fail_init=6 (the
# inlined helpers' kretprobes) loads with the stock answer, said once.
# Needs $ARMJIT_KO, debugfs, and the selftests build in /root/selftests.
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"

A=/sys/kernel/armjit
D=/sys/kernel/debug/armjit
SYS=/proc/sys/net/core
ST=${ST:-/root/selftests}
# bpf_jit_binary_alloc'ed images in vmalloc
images() { grep -c -E "bpf_jit_alloc_exec|bpf_jit_binary_alloc" /proc/vmallocinfo; }

[ -f "$ARMJIT_KO" ] && [ -d /sys/kernel/debug ] || {
	echo "1..0 # SKIP no armjit.ko or no debugfs"
	exit 4
}
ktap_plan 9

[ ! -d /sys/module/armjit ] || rmmod armjit
bad=
for s in 1 2 3 4; do
	kmodload "$ARMJIT_KO" fail_init=$s >/dev/null 2>&1 && bad="$bad $s"
	[ -e /sys/module/armjit ] || [ -e $A ] || [ -e $D ] && {
		bad="$bad $s(left)"
		rmmod armjit 2>/dev/null
	}
done
[ -n "$bad" ] && ktap_diag "init steps not failing cleanly:$bad"
[ -z "$bad" ]
ktap_result $? "init fails cleanly at each step (fail_init=1..4)"
dmesg -c >>"$KMSG_SAVED"
kmodload "$ARMJIT_KO" fail_init=6 >/dev/null 2>&1
echo 1 >$A/enabled
st6=$(armjit_stat inline_helpers)
line6=$(dmesg | grep -c 'inline_helpers: stock answer')
rmmod armjit
ktap_diag "fail_init=6: inline_helpers $st6, log lines $line6"
{ [ "$st6" = stock ] && [ "$line6" = 1 ]; } ||
	{ [ "$st6" = absent ] && [ "$line6" = 0 ]; }
ktap_result $? "fail_init=6: the inlined helpers keep the stock answer, one log line (absent where the kernel never asks)"
kmodload "$ARMJIT_KO"
[ -w $D/fail_nth ]
ktap_result $? "armjit loads after them, $D/fail_nth present"

echo 1 >$A/enabled
echo 1 >$SYS/bpf_jit_enable
# Programs of the tests before this one are freed after RCU grace periods:
# the baseline is taken once the count holds still (3 reads, 2 s apart).
i=0 same=0 base=$(images)
while [ $same -lt 3 ] && [ $i -lt 30 ]; do
	sleep 2
	now=$(images)
	if [ "$now" = "$base" ]; then same=$((same + 1)); else same=0; fi
	base=$now
	i=$((i + 1))
done
# the count sees a live image: a selftest program held running
live=-
if [ -x "$ST/run.sh" ]; then
	sh "$ST/run.sh" --prog l4lb --mode armjit --rnd-hi32 off \
		--repeat 5000000 >/dev/null 2>&1 &
	sleep 5
	live=$(images)
	kill $! 2>/dev/null
	wait
fi
ktap_diag "images: $base before, $live while a program runs"
: >/tmp/fault.log
bad=0
n=1
while [ $n -le 40 ]; do
	dmesg -c >>"$KMSG_SAVED"
	echo $n >$D/fail_nth
	for h in 0 2; do
		echo $h >$SYS/bpf_jit_harden
		for r in 0,40 300,340 590,620 760,790; do
			kmodload "$TEST_BPF_KO" test_suite=test_bpf \
				test_range=$r >/dev/null 2>&1
			rmmod test_bpf 2>/dev/null
		done
		kmodload "$TEST_BPF_KO" test_suite=test_tail_calls \
			>/dev/null 2>&1
		rmmod test_bpf 2>/dev/null
	done
	echo 0 >$SYS/bpf_jit_harden
	if [ -x "$ST/run.sh" ]; then
		# --faults: subprogram tail calls may be refused; a load
		# the fault sent to the stock JIT is judged as that JIT
		# runs it alone (7.2's counts tailcall_3 to 32: XFAIL)
		sh "$ST/run.sh" --mode armjit --rnd-hi32 off --repeat 1 \
			--faults >/tmp/st.out 2>&1
		if grep -q '^not ok' /tmp/st.out; then
			grep -E 'got .*, want|^not ok' /tmp/st.out |
				sed "s/^/# n=$n: /"
			bad=$((bad + 1))
		fi
	fi
	echo 0 >$D/fail_nth
	dmesg >/tmp/round.log
	cat /tmp/round.log >>/tmp/fault.log
	if grep -q 'ret -\?[0-9]* != ' /tmp/round.log; then
		grep 'ret -\?[0-9]* != ' /tmp/round.log | head -n 5 |
			sed "s/^/# n=$n: /"
		bad=$((bad + 1))
	fi
	hits=$(grep -c 'armjit: fault injected' /tmp/round.log)
	ktap_diag "fail_nth=$n: $hits faults injected"
	[ "$hits" -gt 0 ] || break
	n=$((n + 1))
done

[ "$bad" = 0 ]
ktap_result $? "no wrong result with a fault point failing (n = 1..$n)"

# 7.2 blinds in the kernel before the JIT: armjit's own blinder, and its
# two allocations, never run there.
unreached=
case $(uname -r) in
7.2.*) unreached=" blind_map blind_insns " ;;
esac
missing=
for p in $(cat $D/fault_points); do
	case $unreached in *" $p "*) continue ;; esac
	grep -q "fault injected: $p\$" /tmp/fault.log || missing="$missing $p"
done
[ -n "$missing" ] && ktap_diag "never failed:$missing"
[ -z "$missing" ]
ktap_result $? "every fault point failed at least once"

# Programs are freed after RCU grace periods: give them time.
i=0
while [ "$(images)" -gt "$base" ] && [ $i -lt 60 ]; do
	sleep 2
	i=$((i + 1))
done
ktap_diag "images: $(images) now, $base before"
if [ "$live" = - ] || [ "$live" -le "$base" ]; then
	# 6.1-rt: vmallocinfo names no JIT allocator for a running image
	ktap_skip "every image freed (vmalloc back to baseline)" \
		"the image count does not see a running program's image here"
else
	[ "$(images)" -le "$base" ]
	ktap_result $? "every image freed (vmalloc back to baseline)"
fi

[ "$(cat /sys/module/armjit/refcnt)" = 0 ]
ktap_result $? "armjit holds no module reference"

# still correct afterwards
echo 0 >$SYS/bpf_jit_harden
sum=$(run_test_bpf test_bpf test_range=0,100)
ktap_diag "after: $sum"
case $sum in *", 0 FAILED"*) true ;; *) false ;; esac
ktap_result $? "test_bpf 0-100 passes with fail_nth back at 0"

check_dmesg
ktap_result $? "kernel log has no WARNING, BUG, Oops or Call trace"
echo 0 >$A/enabled
ktap_totals
