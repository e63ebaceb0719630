#!/bin/sh
# test_bpf.sh with bpf_jit_harden=2: every program constant-blinded by
# armjit's own blinder (module/armjit_blind.c); all must pass, JIT'ed.
# 7.2 blinds in the kernel before any JIT (README, "What 7.2 changed"):
# its blinding is quadratic (minutes per "value magnitudes" test, #855-#983
# of 7.2's test_bpf, under TCG), and the programs it can't blind are
# interpreted without reaching a JIT unless armjit takes them over
# (blind_takeover); the slow ones are left out there, and
# every program the kernel does hand to a JIT must go to armjit (test_bpf.sh
# checks armjit's stock counter).
case $(uname -r) in
7.2.*) RANGES=${RANGES:-0,854 984,1060} ;;
esac
HARDEN=2 RANGES=${RANGES:-} exec sh "$(dirname "$0")/test_bpf.sh"
