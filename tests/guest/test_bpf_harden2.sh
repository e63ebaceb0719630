#!/bin/sh
# test_bpf.sh with bpf_jit_harden=2: every program constant-blinded by
# armjit's own blinder (module/armjit_blind.c); all must pass, JIT'ed.
HARDEN=2 exec sh "$(dirname "$0")/test_bpf.sh"
