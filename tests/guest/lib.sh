# Helpers for armjit's guest tests (busybox sh, in the scripts/vm guest).

# Kernel log lines from before the last dmesg -c (see run_test_bpf).
KMSG_SAVED=/tmp/kmsg.saved

# run_test_bpf SUITE [PARAM=VALUE...]: loads test_bpf.ko with
# test_suite=SUITE through kmodload (finit_module only: a failing init runs
# once), unloads it if it stayed, and prints its "Summary:" line, e.g.
# "test_bpf: Summary: 844 PASSED, 182 FAILED, [832/832 JIT'ed]".
# A failure makes the load fail (EINVAL): expected, the summary tells.
run_test_bpf() {
	_suite=$1
	shift
	dmesg -c >>"$KMSG_SAVED"
	kmodload "$TEST_BPF_KO" test_suite="$_suite" "$@" >/dev/null 2>&1
	rmmod test_bpf 2>/dev/null
	dmesg | sed -n 's/^\[[ 0-9.]*\] //; /Summary: /p' | tail -n 1
}

# armjit_stat NAME: one counter of /sys/kernel/armjit/stats (empty if none).
armjit_stat() {
	sed -n "s/^$1 //p" /sys/kernel/armjit/stats 2>/dev/null
}

# check_dmesg: fails, printing the lines as KTAP diagnostics, when the
# kernel log of this boot shows a warning, a BUG, an oops or a backtrace.
check_dmesg() {
	_bad=$( { cat "$KMSG_SAVED" 2>/dev/null; dmesg; } |
		grep -E 'WARNING:|BUG|Oops|Call trace|Internal error|Unable to handle|unwind_backtrace|Kernel panic' |
		grep -v 'test_bpf: #')
	[ -z "$_bad" ] && return 0
	echo "$_bad" | head -n 20 | sed 's/^/# /'
	return 1
}

# sysfs_rejects FILE VALUE WORD...: with FILE at VALUE, each WORD written
# must fail with EINVAL and leave VALUE; also "VALUE\0junk" (a NUL must
# not hide junk). Fails, the offending words as a KTAP diagnostic, if not.
sysfs_rejects() {
	_f=$1 _v=$2
	shift 2
	echo "$_v" >"$_f"
	_bad=
	for _w; do
		_err=$( (echo "$_w" >"$_f") 2>&1) && _bad="$_bad '$_w' accepted;"
		case $_err in
		*"Invalid argument"*) ;;
		*) _bad="$_bad '$_w': $_err;" ;;
		esac
		[ "$(cat "$_f")" = "$_v" ] || _bad="$_bad '$_w' changed it;"
	done
	printf '%s\000junk' "$_v" >"$_f" 2>/dev/null &&
		_bad="$_bad '$_v\\0junk' accepted;"
	[ "$(cat "$_f")" = "$_v" ] || _bad="$_bad '$_v\\0junk' changed it;"
	[ -z "$_bad" ] || ktap_diag "$_bad"
	[ -z "$_bad" ]
}
