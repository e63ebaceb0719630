/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TESTS_REF_INTERP_H
#define TESTS_REF_INTERP_H

#include "runner.h"

/*
 * Reference eBPF interpreter (6.1 ISA, kernel/bpf/core.c semantics plus the
 * verifier's divide-by-zero rewrite). Runs @hp with R1 = @ctx. Returns 0 and
 * sets *r0, or a negative error (bad instruction, step limit) with a message
 * in @err.
 */
int ref_run(const struct host_prog *hp, void *ctx, u64 *r0, char *err, int n);

/*
 * Coverage: while ref_count_hp is set, ref_count[i] counts the executions
 * of its insn i (one entry per insn).
 */
extern const struct host_prog *ref_count_hp;
extern u32 *ref_count;

#endif
