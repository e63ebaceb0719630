#!/bin/sh
# tests/guest/boot_enable.sh (guest, busybox sh; KTAP): armjit enabled from
# load, the way a boot with dkms/armjit.conf in /etc/modprobe.d and
# dkms/armjit-load.conf in /etc/modules-load.d does it: the module is put
# under /lib/modules/$KV/updates/dkms (where DKMS installs it), depmod, then
# each name of modules-load.d goes to modprobe (what systemd-modules-load
# does), which applies "options armjit enabled=1".
# Uses $ARMJIT_KO (scripts/vm) and the two files from ../dkms/ or
# $ARMJIT_DKMS_DIR (else built-in copies of their one line). Leaves armjit
# loaded and disabled if it was loaded at the start (scripts/vm's state).
. "$(dirname "$0")/ktap.sh"

ko=${ARMJIT_KO:-/lib/modules/$(uname -r)/extra/armjit.ko}
kv=$(uname -r)
dir=${ARMJIT_DKMS_DIR:-$(dirname "$0")/../dkms}
sysen=/sys/kernel/armjit/enabled
ktap_plan 6

was_loaded=
[ -d /sys/module/armjit ] && was_loaded=1
[ -z "$was_loaded" ] || rmmod armjit

mkdir -p "/lib/modules/$kv/updates/dkms" /etc/modprobe.d /etc/modules-load.d
cp "$ko" "/lib/modules/$kv/updates/dkms/armjit.ko"
depmod "$kv"
for f in armjit.conf:modprobe.d armjit-load.conf:modules-load.d; do
	src=$dir/${f%%:*} dst=/etc/${f#*:}/armjit.conf
	if [ -f "$src" ]; then
		cp "$src" "$dst"
	else
		ktap_diag "no $src: built-in copy"
		case $f in
		armjit.conf:*) echo "options armjit enabled=1" >"$dst" ;;
		*) echo armjit >"$dst" ;;
		esac
	fi
done

# systemd-modules-load: every name in modules-load.d, comments left out.
st=0
for m in $(sed 's/[#;].*//' /etc/modules-load.d/*.conf); do
	modprobe "$m" || st=1
done
ktap_result $st "modules-load.d + modprobe.d load armjit"
v=$(cat $sysen 2>&1)
[ "$v" = 1 ]
ktap_result $? "$sysen reads 1 right after load ($v)"
v=$(cat /sys/module/armjit/parameters/enabled 2>&1)
[ "$v" = Y ]
ktap_result $? "parameter enabled reads Y ($v)"
echo 0 >$sysen && [ "$(cat $sysen)" = 0 ] && echo 1 >$sysen &&
	[ "$(cat $sysen)" = 1 ]
ktap_result $? "sysfs switches it off and on again after an enabled load"

# Without the options file: loaded disabled (the default).
rm -f /etc/modprobe.d/armjit.conf
rmmod armjit && modprobe armjit
v=$(cat $sysen 2>&1)
[ "$v" = 0 ]
ktap_result $? "without modprobe.d/armjit.conf it loads disabled ($v)"
rmmod armjit
ktap_result $? "rmmod armjit"

rm -f /etc/modules-load.d/armjit.conf "/lib/modules/$kv/updates/dkms/armjit.ko"
depmod "$kv"
[ -z "$was_loaded" ] || kmodload "$ko" || ktap_diag "reloading $ko failed"
ktap_totals
