#!/bin/sh
# The helpers armjit emits in place (bpf_get_smp_processor_id,
# bpf_get_current_task): the same loads and results as without armjit, the
# verifier's xlated programs as armjit answered, debugfs no_inline,
# cap_then_off and fail_nth, a kretprobe of another on the question
# (inline_helpers.c). Needs armjit loaded; leaves armjit disabled and
# bpf_jit_enable as it was.
dir=$(cd "$(dirname "$0")" && pwd)
# armel/: the ARMv6 builds for the Pi kernel (tests/guest/Makefile).
[ "$(uname -m)" != armv6l ] || dir=$dir/armel
SYS=/proc/sys/net/core
[ -d /sys/kernel/armjit ] || {
	echo "1..0 # SKIP armjit not loaded${ARMJIT_LOAD_ERR:+: $ARMJIT_LOAD_ERR}"
	exit 4
}
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
old_jit=$(cat $SYS/bpf_jit_enable)
"$dir/inline_helpers"
st=$?
echo "$old_jit" >$SYS/bpf_jit_enable
exit $st
