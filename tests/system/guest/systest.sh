#!/bin/bash
# tests/system/guest/systest.sh: the guest side of tests/system/system-test,
# run by systest.service once the boot is over (Type=simple: its own job
# doesn't keep the boot "starting"). Writes /var/log/systest/ (the host
# reads it from the disk image afterwards), prints KTAP on the console too,
# then powers off.
#   systest.mode=base     (kernel command line) only records the boot:
#                         is-system-running, --failed, boot time, the
#                         kernel's warnings
#   systest.mode=armjit   the same, then the checks (KTAP in ktap.txt)
# SYSTEST_PORT: the loopback port of the IPAddressDeny check.
L=/var/log/systest
H=/usr/local/lib/systest/helper
mkdir -p $L
exec > >(tee $L/console.txt >/dev/console) 2>&1
mode=$(sed -n 's/.*systest\.mode=\([a-z]*\).*/\1/p' /proc/cmdline)

# The end of the boot: no job left (ours finished when it started).
timeout 1200 systemctl is-system-running --wait >$L/running.txt 2>&1
systemctl --failed --no-legend --plain >$L/failed.txt 2>&1
systemd-analyze time >$L/time.txt 2>&1
# Seconds from the kernel's start to the end of the boot (the last job).
awk '{ print $1 }' /proc/uptime >$L/uptime.txt
systemd-analyze blame 2>/dev/null | head -n 15 >$L/blame.txt
journalctl -b -k -p warning -o cat --no-pager >$L/kwarn.txt 2>&1
journalctl -b -p warning -o cat --no-pager >$L/warn.txt 2>&1
dmesg >$L/dmesg.txt 2>&1
bpftool prog show >$L/progs.txt 2>&1
cat /proc/sys/net/core/bpf_jit_enable >$L/jit_enable.txt
echo "# $mode boot: $(cat $L/running.txt), $(grep -c . $L/failed.txt) failed units," \
	"$(head -n 1 $L/time.txt)"

if [ "$mode" = armjit ]; then
	. /usr/local/lib/systest/ktap.sh
	ktap_plan 12
	st() { sed -n "s/^$1 //p" /sys/kernel/armjit/stats 2>/dev/null; }
	cp /sys/kernel/armjit/stats $L/stats-boot.txt 2>/dev/null
	ktap_diag "stats at the end of the boot: $(tr '\n' ' ' <$L/stats-boot.txt)"

	# armjit came from the initramfs, before PID 1 ran.
	t_armjit=$(sed -n 's/^\[ *\([0-9.]*\)\] armjit: loaded, enabled.*/\1/p' $L/dmesg.txt | head -n 1)
	t_init=$(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' $L/dmesg.txt | head -n 1)
	t_pid1=$(sed -n 's/^\[ *\([0-9.]*\)\] systemd\[1\]: .* running in system mode.*/\1/p' $L/dmesg.txt | head -n 1)
	ktap_diag "initramfs /init at ${t_init:-?} s, armjit loaded enabled at ${t_armjit:-?} s, systemd (PID 1) at ${t_pid1:-?} s"
	[ -n "$t_armjit" ] && [ -n "$t_pid1" ] &&
		awk -v a="$t_armjit" -v p="$t_pid1" 'BEGIN { exit !(a < p) }' &&
		[ "$(cat $L/jit_enable.txt)" = 1 ]
	ktap_result $? "armjit loaded enabled from the initramfs before systemd, bpf_jit_enable 1"

	[ "$(st compiled)" -gt 0 ] 2>/dev/null && [ "$(st stock)" = 0 ] && [ "$(st failed)" = 0 ]
	ktap_result $? "every BPF program of the boot through armjit (compiled $(st compiled), stock $(st stock), failed $(st failed))"

	n=$(grep -c '^[0-9]*: ' $L/progs.txt)
	nj=$(grep -c '  jited [0-9]*B' $L/progs.txt)
	ktap_diag "bpftool prog show: $(grep -o '^[0-9]*: [a-z_]*' $L/progs.txt | awk '{ print $2 }' | sort | uniq -c | tr '\n' ' ')"
	[ "$n" -gt 0 ] && [ "$n" = "$nj" ] && ! grep -q 'not jited' $L/progs.txt
	ktap_result $? "bpftool prog show: $n programs, $nj JIT'ed"

	# seccomp: SystemCallFilter= is a classic filter, migrated to eBPF and
	# JIT'ed when the unit starts.
	c0=$(st compiled)
	out=$(systemd-run --wait --pipe --quiet -p SystemCallFilter=~uname \
		-p SystemCallErrorNumber=EPERM $H uname 2>&1)
	out2=$(systemd-run --wait --pipe --quiet -p SystemCallFilter=~sethostname \
		-p SystemCallErrorNumber=EPERM $H uname 2>&1)
	ktap_diag "SystemCallFilter=~uname: uname says $out; SystemCallFilter=~sethostname: $out2; compiled +$(($(st compiled) - c0))"
	[ "$out" = EPERM ] && [ "$out2" = ok ] && [ "$(st compiled)" -gt "$c0" ]
	ktap_result $? "SystemCallFilter=~uname (EPERM): uname fails with EPERM; ~sethostname: it works"

	out=$(systemd-run --wait -p SystemCallFilter=~uname $H uname 2>&1)
	sig=$(echo "$out" | grep -o 'status=[A-Z0-9]*' | head -n 1)
	out2=$(systemd-run --wait --pipe --quiet -p SystemCallFilter=@system-service $H uname 2>&1)
	ktap_diag "SystemCallFilter=~uname (kill): ${sig:-$out}; SystemCallFilter=@system-service: $out2"
	[ "$sig" = status=SYS ] || [ "$sig" = status=31 ]
	r1=$?
	[ "$out2" = ok ]
	ktap_result $((r1 | $?)) "SystemCallFilter=~uname kills with SIGSYS; @system-service allows uname"

	# IPAddressDeny=any: cgroup/skb programs on the unit's cgroup.
	P=${SYSTEST_PORT:-7777}
	systemd-run --quiet --unit=systest-listen $H listen $P
	sleep 2
	open=$(systemd-run --wait --pipe --quiet $H connect $P 2>&1)
	deny=$(systemd-run --wait --pipe --quiet -p IPAddressDeny=any $H connect $P 2>&1)
	allow=$(systemd-run --wait --pipe --quiet -p IPAddressDeny=any \
		-p IPAddressAllow=localhost $H connect $P 2>&1)
	systemctl stop systest-listen
	ktap_diag "unrestricted: $open; IPAddressDeny=any: $deny; IPAddressDeny=any IPAddressAllow=localhost: $allow"
	[ "$open" = "read: hello" ] && [ "$allow" = "read: hello" ] &&
		case $deny in "connect: "*) true ;; *) false ;; esac
	ktap_result $? "IPAddressDeny=any can't reach a loopback listener an unrestricted unit reaches"

	# A classic socket filter from tcpdump, on lo.
	c0=$(st compiled)
	flt=$(tcpdump -i lo -ddd 'udp dst port 5555' 2>$L/tcpdump.err)
	out=$(echo "$flt" | $H sockfilter 5555 20 2>&1)
	ktap_diag "tcpdump -i lo -ddd 'udp dst port 5555': $(echo "$flt" | head -n 1) insns; 20 datagrams each to 5555 and 5556: $out; compiled +$(($(st compiled) - c0))"
	[ "$out" = "match 20 other 0" ] && [ "$(st compiled)" -gt "$c0" ]
	ktap_result $? "tcpdump's 'udp dst port 5555' on a packet socket sees exactly the 20 datagrams to 5555"

	out=$(echo "$flt" | systemd-run --wait --pipe --quiet -p SystemCallFilter=@system-service \
		-p RestrictAddressFamilies='AF_INET AF_PACKET AF_NETLINK' \
		-p IPAddressDeny=any -p IPAddressAllow=localhost $H sockfilter 5555 20 2>&1)
	ktap_diag "the same in a unit with SystemCallFilter, RestrictAddressFamilies, IPAddress*: $out"
	[ "$out" = "match 20 other 0" ]
	ktap_result $? "socket filter in a unit with seccomp and cgroup programs"

	cp /sys/kernel/armjit/stats $L/stats.txt
	[ "$(st stock)" = 0 ] && [ "$(st failed)" = 0 ]
	ktap_result $? "after the checks: compiled $(st compiled), stock $(st stock), failed $(st failed)"

	# The journal: nothing from armjit or BPF at warning level or above
	# (the host compares the kernel's warnings with the base boot's).
	journalctl -b -p warning -o cat --no-pager >$L/warn.txt 2>&1
	journalctl -b -k -p warning -o cat --no-pager >$L/kwarn.txt 2>&1
	bad=$(grep -i -E 'armjit|bpf|seccomp|jit' $L/warn.txt | grep -v -E 'loading out-of-tree module taints kernel|module verification failed')
	[ -n "$bad" ] && echo "$bad" | sed 's/^/# journal: /'
	[ -z "$bad" ] && ! grep -q -E 'Oops|BUG:|WARNING:|Call trace' $L/dmesg.txt
	ktap_result $? "journal: no warning from armjit or BPF, no oops or WARN"

	# apt remove: unloaded, nothing left.
	apt-get remove -y armjit-dkms >$L/remove.txt 2>&1
	r=$?
	sed 's/^/# apt: /' $L/remove.txt | grep -i -E 'armjit|dkms|initramfs|error|warn' | head -n 20
	[ $r = 0 ] && [ ! -d /sys/module/armjit ] && ! lsmod | grep -q armjit
	ktap_result $? "apt remove armjit-dkms (status $r) unloads armjit"

	left=$( (find / -xdev \( -path /var/log/systest -o -path /proc -o -path /sys \) -prune -o -iname '*armjit*' -print
		dpkg -l | awk '$2 == "armjit-dkms"'
		dkms status armjit 2>/dev/null	# bookworm's dkms: "Broken pipe" noise
		grep -rl armjit /etc 2>/dev/null
		grep -l armjit /lib/modules/*/modules.dep
		for i in /boot/initrd.img-*; do lsinitramfs "$i" | grep armjit | sed "s|^|$i: |"; done) 2>&1)
	[ -z "$left" ] || echo "$left" | sed 's/^/# left: /'
	[ -z "$left" ]
	ktap_result $? "nothing left: no module, file, dkms entry, /etc setting or initramfs content"
	ktap_totals
fi 2>&1 | tee $L/ktap.txt
journalctl -b -o short-monotonic --no-pager >$L/journal.txt 2>&1
echo "systest: done"
sync
systemctl poweroff
