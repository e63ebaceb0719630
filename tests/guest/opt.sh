#!/bin/sh
# Guest test (busybox sh): /sys/kernel/armjit/opt and the opt= module
# parameter. The file reads 1 after a default load, is mode 0644 root,
# takes 0 and 1 and refuses anything else with EINVAL, the value
# unchanged; armjit loaded with opt=0 starts at 0, opt=2 fails the load;
# test_bpf's three suites pass through armjit at opt 0 (every program JIT'ed
# by armjit, none handed to the stock JIT), and the kernel log stays
# clean. KTAP on stdout. Leaves armjit loaded with opt 1, as it found it
# (enabled and the sysctls restored).
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"

A=/sys/kernel/armjit
SYS=/proc/sys/net/core
ktap_plan 14

[ -d /sys/module/armjit ] || kmodload "$ARMJIT_KO"
[ -d /sys/module/armjit ]
ktap_result $? "armjit.ko is loaded"

[ "$(cat $A/opt 2>&1)" = 1 ]
ktap_result $? "opt reads 1 after a default load"

mode=$(stat -c '%a %u' $A/opt 2>&1)
ktap_diag "mode, uid: $mode"
[ "$mode" = "644 0" ]
ktap_result $? "opt is mode 0644, owned by root"

echo 0 >$A/opt && [ "$(cat $A/opt)" = 0 ]
ktap_result $? "opt accepts 0"

echo 1 >$A/opt && [ "$(cat $A/opt)" = 1 ]
ktap_result $? "opt accepts 1"

# Bad writes fail with EINVAL and leave the value (tried at 1 and at 0).
for v in 1 0; do
	echo $v >$A/opt
	bad=
	for w in 2 abc "" -1 1x 0x1 " 1" 4294967297; do
		err=$( (echo "$w" >$A/opt) 2>&1) && bad="$bad '$w' accepted;"
		case $err in
		*"Invalid argument"*) ;;
		*) bad="$bad '$w': $err;" ;;
		esac
		[ "$(cat $A/opt)" = $v ] || bad="$bad '$w' changed it;"
	done
	# a NUL before junk must not pass either
	printf '1\000junk' >$A/opt 2>/dev/null && bad="$bad '1\\0junk' accepted;"
	[ "$(cat $A/opt)" = $v ] || bad="$bad '1\\0junk' changed it;"
	[ -z "$bad" ] || ktap_diag "$bad"
	[ -z "$bad" ]
	ktap_result $? "opt rejects 2, abc, empty, -1, 1x, 0x1, ' 1', 2^32+1, 1\\0junk with EINVAL (at $v)"
done

# The module parameter: opt=0 at load, opt=2 refused.
rmmod armjit
kmodload "$ARMJIT_KO" opt=0 >/dev/null 2>&1
ktap_diag "loaded with opt=0: opt $(cat $A/opt 2>&1), parameter $(cat /sys/module/armjit/parameters/opt 2>&1)"
[ "$(cat $A/opt 2>&1)" = 0 ]
ktap_result $? "opt=0 at load: opt reads 0"

rmmod armjit
err=$(kmodload "$ARMJIT_KO" opt=2 2>&1)
st=$?
ktap_diag "opt=2: exit $st: $err; $(dmesg | grep 'armjit: opt=' | tail -n 1)"
[ $st != 0 ] && [ ! -d /sys/module/armjit ]
ktap_result $? "opt=2 at load fails the load"

# test_bpf through armjit at opt 0: the direct translation.
[ -d /sys/module/armjit ] || kmodload "$ARMJIT_KO" opt=0
was_jit=$(cat $SYS/bpf_jit_enable)
echo 0 >$A/opt
echo 1 >$A/enabled
echo 1 >$SYS/bpf_jit_enable
stock0=$(armjit_stat stock)
for suite in test_bpf test_tail_calls test_skb_segment; do
	c0=$(armjit_stat compiled)
	sum=$(run_test_bpf $suite)
	c1=$(armjit_stat compiled)
	ktap_diag "opt $(cat $A/opt): ${sum:-$suite: no Summary line}; armjit compiled $((c1 - c0))"
	jited=$(echo "$sum" | sed -n 's/.*\[\([0-9]*\)\/[0-9]* JIT.ed\].*/\1/p')
	case $sum in
	*", 0 FAILED"*) [ -n "$jited" ] && [ $((c1 - c0)) -ge "$jited" ] ;;
	*) false ;;
	esac
	ktap_result $? "$suite at opt 0: 0 FAILED, every JIT'ed program armjit's"
done
ktap_diag "$(cat $A/stats | tr '\n' ' ')"
[ -n "$stock0" ] && [ "$(armjit_stat stock)" = "$stock0" ]
ktap_result $? "no program handed to the stock JIT at opt 0"

echo 0 >$A/enabled
echo 1 >$A/opt
echo "$was_jit" >$SYS/bpf_jit_enable

check_dmesg
ktap_result $? "kernel log has no WARNING, BUG, Oops or Call trace"

ktap_totals
