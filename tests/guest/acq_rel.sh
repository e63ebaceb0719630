#!/bin/sh
# 7.2's load-acquire and store-release, JIT'ed by armjit: the same load,
# result and memory as without armjit, the barriers in the image
# (acq_rel.c). Needs armjit loaded; leaves armjit disabled and
# bpf_jit_enable as it was.
dir=$(cd "$(dirname "$0")" && pwd)
# armel/: the ARMv6 builds for the Pi kernel (tests/guest/Makefile).
[ "$(uname -m)" != armv6l ] || dir=$dir/armel
SYS=/proc/sys/net/core
old_jit=$(cat $SYS/bpf_jit_enable)
"$dir/acq_rel"
st=$?
echo "$old_jit" >$SYS/bpf_jit_enable
exit $st
