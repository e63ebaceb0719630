#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of the armjit BPF selftests (busybox sh): runs armjit-selftests,
# found next to this script with its *.bpf.o files, in every mode (interp,
# stock, and armjit if armjit.ko is loaded). Arguments go to the runner:
#	run.sh --mode armjit --expect-jited armjit
#	run.sh --rnd-hi32 off --repeat 100000	(bench lines for figures)
# Exit status: the runner's, kselftest's codes (0 pass, 1 fail, 4 skipped).
dir=$(cd "$(dirname "$0")" && pwd)
[ -e /proc/self ] || mount -t proc proc /proc
[ -d /sys/kernel ] || mount -t sysfs sysfs /sys
"$dir/armjit-selftests" --dir "$dir" "$@"
st=$?
# armjit's counters (calls_default: calls without helper metadata)
[ -r /sys/kernel/armjit/stats ] &&
	echo "# armjit stats: $(tr '\n' ' ' </sys/kernel/armjit/stats)"
exit $st
