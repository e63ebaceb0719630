/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armjit JIT context and the interface between the pass loop (armjit_core.c
 * in the kernel, the host test runner in user space) and the translation
 * (armjit_translate.c). Pure: builds in the kernel and in armhf user space.
 */
#ifndef ARMJIT_JIT_H
#define ARMJIT_JIT_H

#include "armjit_compat.h"

/*
 * Kernel routines JIT'ed code may call. Never armjit's own text: programs
 * outlive the module. Filled at module load (or by the host test runner).
 */
struct armjit_rt {
	u32 call_base;		/* __bpf_call_base: helper call imm origin */
	u32 uidivmod;		/* __aeabi_uidivmod: r0 = q, r1 = r */
	u32 idivmod;		/* __aeabi_idivmod: signed, r0 = q, r1 = r */
	u32 div64_u64;		/* u64 div64_u64(u64, u64) */
	u32 div64_u64_rem;	/* u64 div64_u64_rem(u64, u64, u64 *rem) */
	u32 div64_s64;		/* s64 div64_s64(s64, s64) */
	bool hwdiv;		/* CPU has UDIV/SDIV in ARM state */
};

extern struct armjit_rt armjit_rt;

struct armjit_ctx {
	/* input */
	const struct bpf_insn *insns;
	int len;			/* number of BPF instructions */
	u32 stack_depth;		/* BPF stack bytes (prog->aux->stack_depth) */
	bool verifier_zext;		/* verifier inserted explicit zext */

	/* output */
	u32 *image;			/* NULL in sizing passes */
	int idx;			/* next ARM instruction index */
	int *offsets;			/* BPF insn i -> ARM index; len + 1 entries */
	int epilogue_offset;		/* ARM index of the epilogue */

	/* translation private state (register usage, etc.) */
	u32 flags;
};

/*
 * One complete pass: prologue, every BPF instruction, epilogue.
 * While ctx->image is NULL only counts instructions (ctx->idx) and records
 * ctx->offsets; once image is set (same size as the previous pass) writes
 * the code. Returns 0, or -EOPNOTSUPP for anything armjit can't translate
 * (the caller then hands the program to the stock JIT), -EINVAL for
 * malformed input, -EFBIG when a branch is out of range.
 */
int armjit_build(struct armjit_ctx *ctx);

#endif /* ARMJIT_JIT_H */
