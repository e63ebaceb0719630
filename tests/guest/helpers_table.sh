#!/bin/sh
# The helper metadata table: contents, malformed writes, override/reset and
# call sites using it (helpers_table.c). Needs armjit loaded; enables armjit
# and the JIT for the call-site part and restores both afterwards.
dir=$(cd "$(dirname "$0")" && pwd)
# armel/: the ARMv6 builds for the Pi kernel (tests/guest/Makefile).
[ "$(uname -m)" != armv6l ] || dir=$dir/armel
SYS=/proc/sys/net/core
old_jit=$(cat $SYS/bpf_jit_enable)
old_en=$(cat /sys/kernel/armjit/enabled 2>/dev/null || echo 0)
echo 1 >$SYS/bpf_jit_enable
echo 1 >/sys/kernel/armjit/enabled 2>/dev/null
"$dir/helpers_table"
st=$?
echo "$old_jit" >$SYS/bpf_jit_enable
echo "$old_en" >/sys/kernel/armjit/enabled 2>/dev/null
exit $st
