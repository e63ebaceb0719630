#!/bin/sh
# Guest test (busybox sh): /sys/kernel/armjit/opt and the opt= module
# parameter. The file reads 1 after a default load, is mode 0644 root,
# takes 0 and 1 and refuses anything else with EINVAL, the value
# unchanged; armjit loaded with opt=0 starts at 0, opt=2 fails the load;
# the kernel log stays clean. KTAP on stdout. Leaves armjit loaded with
# opt 1. The programs at opt 0: test_bpf_opt0.sh, selftests_opt0.sh.
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"

A=/sys/kernel/armjit
ktap_plan 11

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
	sysfs_rejects $A/opt $v 2 abc "" -1 1x 0x1 " 1" 4294967297
	ktap_result $? "opt rejects 2, abc, empty, -1, 1x, 0x1, ' 1', 2^32+1, $v\\0junk with EINVAL (at $v)"
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

# Leave armjit as a default load has it (test_bpf_opt0.sh and
# selftests_opt0.sh run the programs at opt 0).
[ -d /sys/module/armjit ] || kmodload "$ARMJIT_KO"
[ "$(cat $A/opt 2>&1)" = 1 ]
ktap_result $? "armjit loaded again with the default opt 1"

check_dmesg
ktap_result $? "kernel log has no WARNING, BUG, Oops or Call trace"

ktap_totals
