#!/bin/sh
# armjit stress tests, in the guest (scripts/vm, armjit.ko loaded): KTAP.
#	STRESS_CYCLES=N   rmmod/insmod cycles (default 200; the storm without
#	                  bpf-to-bpf programs runs N/2)
#	STRESS_TOGGLES=N  enabled 1/0 toggle cycles (default 1000)
#	FUZZ_N=N FUZZ_SEED=S  differential fuzzing (default 200 programs, seed 1)
#	STRESS_DANGER=0   skip the last test (stock-JIT'ed programs tail
#	                  calling armjit images, and chains across both JITs
#	                  up to the tail-call limit; last, since a wrong
#	                  landing would crash the kernel)
cd "$(dirname "$0")"
B=./armjit-stress
CYC=${STRESS_CYCLES:-200}
TOG=${STRESS_TOGGLES:-1000}
FN=${FUZZ_N:-200}
FS=${FUZZ_SEED:-1}
BAD='WARNING:|BUG|Oops|Unable to handle|Internal error|kmemleak|Call trace|unwind_backtrace|Kernel panic|refcount_t|list_add corruption|general protection'

# step NAME CMD...: runs CMD; a crash without a "not ok" line gets one
step() {
	_n=$1
	shift
	_t0=$(cut -d' ' -f1 /proc/uptime)
	"$@"
	_st=$?
	echo "# $_n: exit $_st, $(awk -v t="$_t0" '{ printf "%.1f", $1 - t }' /proc/uptime) s"
	[ "$_st" -le 1 ] || echo "@not ok ${_n}_exited_with_status_$_st"
}

dmesg_clean() {
	_b=$(dmesg | grep -E "$BAD" | grep -v 'NOT YET')
	if [ -z "$_b" ]; then
		echo "@ok $1"
	else
		echo "$_b" | head -n 20 | sed 's/^/# /'
		echo "@not ok $1"
	fi
}

kmemleak_scan() {
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	echo scan >/sys/kernel/debug/kmemleak
	_l=$(cat /sys/kernel/debug/kmemleak)
	[ -z "$_l" ] && echo "@ok kmemleak_none" ||
		{ echo "$_l" | head -n 20 | sed 's/^/# /'; echo "@not ok kmemleak_none"; }
}

{
	echo "# armjit stress: STRESS_CYCLES=$CYC STRESS_TOGGLES=$TOG FUZZ_N=$FN FUZZ_SEED=$FS"
	if [ -n "$ARMJIT_LOAD_ERR" ]; then
		echo "@not ok armjit_loaded # $ARMJIT_LOAD_ERR"
	fi
	step sysfs $B sysfs
	step harden $B harden
	step tailcall $B tailcall
	step fuzz $B fuzz --seed "$FS" -n "$FN"
	step storm_toggle $B storm --mode toggle --cycles "$TOG" --subprogs
	step storm_unload $B storm --mode unload --cycles $((CYC / 2))
	step storm_unload_subprogs $B storm --mode unload --cycles "$CYC" --subprogs
	echo "# armjit stats: $(tr '\n' ' ' </sys/kernel/armjit/stats 2>/dev/null)"
	kmemleak_scan
	dmesg_clean dmesg_clean
	if [ "${STRESS_DANGER:-1}" != 0 ]; then
		step tailcall_stock_to_armjit $B tailcall --stock-to-armjit
		dmesg_clean dmesg_clean_after_stock_to_armjit_tail_call
	fi
} 2>&1 | awk '
	/^@ok / { n++; print "ok " n " " substr($0, 5); pass++; fflush(); next }
	/^@not ok / { n++; print "not ok " n " " substr($0, 9); fail++; fflush(); next }
	{ print; fflush() }
	END { print "1.." n
	      printf "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n", pass, fail
	      exit fail ? 1 : 0 }'
