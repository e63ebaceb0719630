#!/bin/sh
# Instructions armjit leaves to the kernel (7.2's load-acquire and
# store-release): the kernel behaves as without armjit (declined.c). Needs
# armjit loaded; leaves armjit disabled and bpf_jit_enable as it was.
dir=$(cd "$(dirname "$0")" && pwd)
# armel/: the ARMv6 builds for the Pi kernel (tests/guest/Makefile).
[ "$(uname -m)" != armv6l ] || dir=$dir/armel
SYS=/proc/sys/net/core
old_jit=$(cat $SYS/bpf_jit_enable)
"$dir/declined"
st=$?
echo "$old_jit" >$SYS/bpf_jit_enable
exit $st
