#!/bin/sh
# Tail calls from subprograms (issue 19): armjit's answer to the verifier's
# bpf_jit_supports_subprog_tailcalls() and the programs it lets through.
#  - /sys/kernel/armjit/stats: subprog_tailcalls no while disabled, yes
#    while enabled; with the probe failing at load (fail_init=5) "stock",
#    one log line, and the programs refused even with armjit enabled
#  - no half state: a program accepted on armjit's yes is JIT'ed by armjit
#    or its load fails, never interpreted: the selftests' tail-call tests
#    with each fault point failing (fail_nth = 1, 2, ...) and with armjit
#    disabled between verification and JIT (debugfs cap_then_off)
#  - other probes on the same functions (tracefs kprobe events: a kprobe and
#    a kretprobe on bpf_int_jit_compile, a kretprobe on the capability
#    question, registered after armjit's, as perf or bpftrace would): the
#    tests pass, the probes fire, no recursion, no warning
# Needs $ARMJIT_KO, debugfs and the selftests build in /root/selftests.
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"

A=/sys/kernel/armjit
D=/sys/kernel/debug/armjit
ST=${ST:-/root/selftests}
RUN="$ST/armjit-selftests --dir $ST --tail-calls"

[ -f "$ARMJIT_KO" ] && [ -d $D ] && [ -x "$ST/armjit-selftests" ] || {
	echo "1..0 # SKIP no armjit.ko, debugfs or selftests"
	exit 4
}
ktap_plan 7
echo 1 >/proc/sys/net/core/bpf_jit_enable

echo 0 >$A/enabled
a=$(armjit_stat subprog_tailcalls)
echo 1 >$A/enabled
b=$(armjit_stat subprog_tailcalls)
ktap_diag "subprog_tailcalls: disabled $a, enabled $b"
[ "$a" = no ] && [ "$b" = yes ]
ktap_result $? "stats: subprog_tailcalls no while disabled, yes while enabled"

$RUN >/tmp/tc.out 2>&1
st=$?
grep -E '^(ok|not ok|# FAIL)' /tmp/tc.out | sed 's/^/# /'
grep '^# Totals' /tmp/tc.out
# the -mcpu=v4 build too, where there is one (6.12 and later)
if [ -x "$ST/v4/armjit-selftests" ]; then
	"$ST/v4/armjit-selftests" --dir "$ST/v4" --tail-calls >/tmp/tc.out 2>&1 ||
		st=1
	grep -E '^(ok|not ok|# FAIL)' /tmp/tc.out | sed 's/^/# v4: /'
	grep '^# Totals' /tmp/tc.out | sed 's/^# /# v4: /'
fi
[ $st = 0 ]
ktap_result $? "tail-call selftests: armjit runs them, interp and stock refuse those with subprograms"

# fail_nth: until a round injects nothing
bad=0 n=1
while [ $n -le 40 ]; do
	dmesg -c >>"$KMSG_SAVED"
	echo $n >$D/fail_nth
	$RUN --mode armjit --faults >/tmp/tc.out 2>&1 || {
		grep -E '^(not ok|# FAIL)' /tmp/tc.out | sed "s/^/# n=$n: /"
		bad=$((bad + 1))
	}
	echo 0 >$D/fail_nth
	hits=$(dmesg | grep -c 'armjit: fault injected')
	refused=$(grep -c 'refused under fault injection' /tmp/tc.out)
	ktap_diag "fail_nth=$n: $hits faults injected, $refused loads refused"
	[ "$hits" -gt 0 ] || break
	n=$((n + 1))
done
[ $bad = 0 ]
ktap_result $? "fault points n = 1..$n: each load JIT'ed by armjit and right, or refused"

echo 1 >$D/cap_then_off
$RUN --mode armjit --faults >/tmp/tc.out 2>&1
st=$?
echo 0 >$D/cap_then_off
grep -E '^(ok|not ok|# FAIL|# refused)' /tmp/tc.out | sed 's/^/# /'
refused=$(grep -c 'refused under fault injection' /tmp/tc.out)
ktap_diag "armjit disabled after its yes: $refused loads refused"
[ $st = 0 ] && [ "$refused" -gt 0 ]
ktap_result $? "armjit disabled between verification and JIT: refused, never interpreted"

# Probes of others, registered after armjit's (tracefs kprobe events).
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
if [ -w $T/kprobe_events ]; then
	echo 1 >$A/enabled
	echo 'p:tc_ent bpf_int_jit_compile' >>$T/kprobe_events &&
	echo 'r:tc_ret bpf_int_jit_compile $retval' >>$T/kprobe_events &&
	echo 'r:tc_cap bpf_jit_supports_subprog_tailcalls $retval' >>$T/kprobe_events &&
	echo 1 >$T/events/kprobes/enable
	echo >$T/trace
	before=$(armjit_stat compiled)
	$RUN --mode armjit >/tmp/tc.out 2>&1
	st=$?
	echo 0 >$T/events/kprobes/enable
	after=$(armjit_stat compiled)
	ent=$(grep -c 'tc_ent:' $T/trace)
	ret=$(grep -c 'tc_ret:' $T/trace)
	cap=$(grep -c 'tc_cap:' $T/trace)
	echo >$T/kprobe_events
	grep -E '^(not ok|# FAIL)' /tmp/tc.out | head -n 10 | sed 's/^/# /'
	ktap_diag "compiled +$((after - before)); events: entry $ent, return $ret, capability $cap"
	[ $st = 0 ] && [ "$ent" -gt 0 ] && [ "$ret" -gt 0 ] && [ "$cap" -gt 0 ] &&
		[ $((after - before)) -gt 0 ]
	ktap_result $? "a kprobe and kretprobes on the same functions: tests pass, every probe fires"
else
	ktap_skip "probes of others on the same functions" "no tracefs kprobe_events"
fi

# The capability probe can't be installed: stock answer, said so.
rmmod armjit
dmesg -c >>"$KMSG_SAVED"
kmodload "$ARMJIT_KO" fail_init=5 >/dev/null 2>&1
echo 1 >$A/enabled
c=$(armjit_stat subprog_tailcalls)
line=$(dmesg | grep -c 'subprog_tailcalls: stock answer')
$RUN --mode armjit >/tmp/tc.out 2>&1
refused=$(grep -cE 'tail_calls are not allowed in non-JITed|mixing of tail_calls and bpf-to-bpf calls is not supported' /tmp/tc.out)
ktap_diag "fail_init=5: subprog_tailcalls $c, log lines $line, refusals $refused"
rmmod armjit
kmodload "$ARMJIT_KO"
[ "$c" = stock ] && [ "$line" = 1 ] && [ "$refused" -gt 0 ]
ktap_result $? "capability probe not installed: stock answer, one log line, programs refused"

check_dmesg
ktap_result $? "no warning, BUG or oops in the kernel log"
ktap_totals
