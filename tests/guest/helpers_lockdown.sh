#!/bin/sh
# Overrides of the helper table under lockdown. The kernel refuses an
# unsigned module once locked down, so armjit is loaded first (if it isn't)
# and the lockdown raised to integrity at run time if it is "none": the
# state a distribution's signed armjit has under lockdown=integrity. The
# raise can't be undone: run this last in a boot. KTAP on stdout.
. "$(dirname "$0")/ktap.sh"
. "$(dirname "$0")/lib.sh"
H=/sys/kernel/armjit/helpers
LD=/sys/kernel/security/lockdown

[ -r $LD ] || mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
[ -d /sys/module/armjit ] || kmodload "$ARMJIT_KO" >/dev/null 2>&1
if [ ! -r $LD ] || [ ! -w $H/override ]; then
	echo "1..0 # SKIP no lockdown LSM or no armjit"
	exit 4
fi
ktap_plan 6

level() { sed -n 's/.*\[\([a-z]*\)\].*/\1/p' $LD; }
ktap_diag "lockdown: $(cat $LD)"
[ "$(level)" = none ] && echo integrity >$LD
case $(level) in integrity|confidentiality) r=0 ;; *) r=1 ;; esac
ktap_result $r "kernel locked down ($(level))"

t0=$(cat $H/table)
err=$( { echo "bpf_map_lookup_elem nargs=5" >$H/override; } 2>&1 )
st=$?
ktap_diag "override: status $st, ${err:-no error}"
case $err in *"not permitted"*) r=$st ;; *) r=1 ;; esac
[ "$r" != 0 ]
ktap_result $? "override refused with EPERM"
err=$( { echo "bpf_ktime_get_ns ret=4" >$H/override; } 2>&1 )
case $err in *"not permitted"*) r=0 ;; *) r=1 ;; esac
ktap_result $r "a narrowing override refused too"
[ "$(cat $H/table)" = "$t0" ] && ! grep -q 'override ' $H/table
ktap_result $? "the table is unchanged"
echo all >$H/reset
ktap_result $? "reset (back to kernel values) still allowed"
dmesg | grep -q 'Lockdown: .*unsafe module parameter'
ktap_result $? "the lockdown LSM logged the refusal"
ktap_totals
