/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generated test programs made of blocks. Each block loads operands into
 * registers, runs a short body (the instruction under test, maybe a branch
 * around marker moves) and stores registers to the ctx buffer, so one
 * program checks hundreds of operand combinations and the comparison of the
 * buffer tells which one went wrong.
 */
#ifndef TESTS_GEN_H
#define TESTS_GEN_H

#include "runner.h"

#define GEN_MAX_BODY	8

struct gen_block {
	int dst, src;			/* src < 0: no source register */
	u64 a, b;			/* initial dst, src values */
	struct bpf_insn body[GEN_MAX_BODY];
	int nbody;
};

enum gen_mode {
	/*
	 * Fixed dst/src; per block: dst = a, src = b, body, store dst and
	 * src through a base register that is neither.
	 */
	GEN_VALUES,
	/*
	 * Per block: every R0-R9 set to a distinct pattern, src = b, dst = a,
	 * body, all of R0-R9 stored (via the stack and R1/R2).
	 */
	GEN_ALLREGS,
};

struct gen_prog {
	enum gen_mode mode;
	struct gen_block *blocks;
	int nr, cap;
	/* results */
	struct prog_buf pb;
	int *blk_insn;			/* first insn of each block */
	int *blk_body_end;		/* end of each block's body */
	int words_per_block;
	u32 flags;
};

void gen_init(struct gen_prog *g, enum gen_mode mode);
struct gen_block *gen_add(struct gen_prog *g, int dst, int src, u64 a, u64 b);
void gen_body(struct gen_block *b, struct bpf_insn insn);
/* Build and run as one test. */
bool gen_run(struct gen_prog *g, const char *name);
void gen_free(struct gen_prog *g);

/* Flags added to every gen_run() test (zext variants). */
extern u32 gen_extra_flags;

/* Operand magnitudes. */
extern const u64 gen_vals64[];
extern const int gen_nr_vals64;
extern const s32 gen_imms[];
extern const int gen_nr_imms;

#endif

/* Annotated hand-built programs: notes say which insns wrote which words. */
struct note {
	int word_lo, word_hi;		/* ctx words [lo, hi) */
	int insn_lo, insn_hi;
	char text[96];
};

struct noted_prog {
	struct prog_buf pb;
	struct note *notes;
	int nr, cap;
	int insn_mark;
};

void np_init(struct noted_prog *np);
/* Start a new case: following insns belong to it. */
void np_mark(struct noted_prog *np);
/* The case just emitted wrote ctx bytes [off, off + size). */
void np_note(struct noted_prog *np, int off, int size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool np_run(struct noted_prog *np, const char *name, u8 *ctx, u32 ctx_size,
	    u32 stack_depth, u32 flags);
void np_free(struct noted_prog *np);
