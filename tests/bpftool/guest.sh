#!/bin/sh
# tests/bpftool/guest.sh NAME:OBJ... (guest side of make bpftool-test,
# busybox sh, in /root). Needs /root/bt/ from tests/bpftool/bpftool-test:
# Debian's bpftool:armhf in bt/bin/bpftool with its shared libraries and
# the armhf dynamic loader in bt/lib/ (run through the loader: the guest's
# initramfs is busybox only), bt/bin/proginfo (the kernel's bpf_prog_info
# by id, raw bpf(2)), the objects in bt/.
# With armjit and bpf_jit_enable on, each OBJ is loaded and pinned by
# bpftool as /sys/fs/bpf/NAME, then shown by bpftool and proginfo, its
# JIT'ed image dumped (bpftool prog dump jited ... file, and proginfo's
# jited_prog_insns) and printed hex-encoded between marker lines. No
# verdicts here: the host parses the "@@bt ..." lines and prints KTAP.
BTD=/root/bt
bt() { "$BTD/lib/ld-linux-armhf.so.3" --library-path "$BTD/lib" "$BTD/bin/bpftool" "$@"; }

# hexdump FILE: two hex digits a byte, 16 a line
hexdump_f() { od -An -tx1 -v "$1" 2>/dev/null || hexdump -v -e '16/1 "%02x " "\n"' "$1"; }

echo "@@bt bpftool version"
bt version 2>&1
echo "@@bt rc $?"

if [ ! -d /sys/kernel/armjit ]; then
	echo "@@bt armjit missing ${ARMJIT_LOAD_ERR:-}"
	exit 1
fi
echo 1 >/sys/kernel/armjit/enabled
echo 1 >/proc/sys/net/core/bpf_jit_enable
echo 1 >/proc/sys/net/core/bpf_jit_kallsyms
echo "@@bt armjit enabled=$(cat /sys/kernel/armjit/enabled) bpf_jit_enable=$(cat /proc/sys/net/core/bpf_jit_enable)"
grep -q ' /sys/fs/bpf bpf ' /proc/mounts || mount -t bpf bpf /sys/fs/bpf
echo "@@bt bpffs $(grep ' /sys/fs/bpf ' /proc/mounts)"
tr '\n' ' ' </sys/kernel/armjit/stats | sed 's/^/@@bt stats-before /'
echo

for a; do
	name=${a%%:*} obj=$BTD/${a#*:}
	pin=/sys/fs/bpf/$name
	echo "@@bt prog $name $obj"
	bt prog load "$obj" "$pin" 2>&1
	echo "@@bt load-rc $name $?"
	bt prog show pinned "$pin" 2>&1 | sed "s/^/@@bt show $name /"
	bt -j prog show pinned "$pin" 2>&1 | sed "s/^/@@bt json $name /"
	id=$(bt prog show pinned "$pin" 2>/dev/null | sed -n '1s/:.*//p')
	echo "@@bt id $name ${id:-none}"
	[ -n "$id" ] || continue
	"$BTD/bin/proginfo" "$id" "/tmp/$name.img" >"/tmp/$name.info" 2>&1
	echo "@@bt info-rc $name $?"
	sed "s/^/@@bt info $name /" "/tmp/$name.info"
	# Debian's bpftool 7.1 needs libbfd even to write the raw image
	bt prog dump jited id "$id" file "/tmp/$name.bt" >/tmp/out 2>&1
	echo "@@bt dump-rc $name $? $(tr '\n' ' ' </tmp/out)"
	bt prog dump xlated id "$id" >/tmp/xl 2>&1
	echo "@@bt xlated $name rc=$? lines=$(wc -l </tmp/xl) calls=$(grep -c 'call pc[+-]' /tmp/xl)"
	# each function's kallsyms entry (bpf_jit_kallsyms=1), by address
	grep '\[bpf\]' /proc/kallsyms >/tmp/ks
	for addr in $(sed -n 's/.* addr=0x//p' "/tmp/$name.info"); do
		echo "@@bt ksym $name $(grep "^$addr " /tmp/ks | head -n 1)"
	done
	for f in img bt; do
		[ -f "/tmp/$name.$f" ] || continue
		echo "@@bt hex-begin $name $f $(wc -c <"/tmp/$name.$f")"
		hexdump_f "/tmp/$name.$f"
		echo "@@bt hex-end $name $f"
	done
done

echo "@@bt prog-show-all"
bt prog show 2>&1
tr '\n' ' ' </sys/kernel/armjit/stats | sed 's/^/@@bt stats-after /'
echo
echo "@@bt done"
