#!/bin/sh
# test_bpf.sh at /sys/kernel/armjit/opt 0: the direct translation (no
# analyses, register cache, fusion or kept-back stores); all must pass,
# every program JIT'ed by armjit.
OPT=0 exec sh "$(dirname "$0")/test_bpf.sh"
