// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's register frame: where each BPF register lives (ctx->map[], per
 * program), the frame below the saved registers and what the prologue
 * saves. The translation asks is_mapped(), slot_off(), fp_off()
 * (armjit_translate.h) rather than assume a layout.
 *
 * Register mapping (armjit_choose_map(), per program):
 *
 *   BPF     ARM          why
 *   R1      r0:r1        AAPCS argument 1 (ctx arrives in r0)
 *   R2      r2:r3        AAPCS argument 2
 *   3 of R0, R3-R9, AX   r8:r9, r4:r5, r6:r7: callee-saved, so they survive
 *                        helper and divide calls; the most used ones get
 *                        them (default R0, R6, R7)
 *   the others           stack slots (armjit_slot[]); R3-R5's slots are the
 *                        outgoing stack arguments of a helper call, so a
 *                        call stores R3-R5 living in registers there first
 *   FP      sp + frame   not a register: high word 0, low word computed
 *   scratch r10:r11 (dst of stacked registers), ip:lr (src, immediates)
 *
 * A leaf (a main program calling nothing: no helper, bpf-to-bpf or tail
 * call, no divide) has five pairs, r0:r1, r2:r3, r8:r9, r4:r5, r6:r7, in
 * that order: R1 and R2 when named (they have no slot), the most used
 * others; R0 first (the return value is in place), then R1 (the prologue
 * copies ctx from r0 when R1 is read before written). It pushes only the
 * callee-saved registers the previous pass wrote (none: no push, bx lr).
 *
 * Frame, from sp up: R3 R4 R5 R8 R9 AX R0 R6 R7 slots (8 bytes each),
 * tail-call counter (8), BPF stack (stack_depth rounded up to 8), FP =
 * that top; then the pushed {r3-r11, lr}. sp stays 8-byte aligned.
 */
#include "armjit_translate.h"

/* Stack slot of each BPF register, used while it has no ARM pair. */
static const s8 armjit_slot[MAX_BPF_JIT_REG] = {
	[BPF_REG_3] = 0, [BPF_REG_4] = 8, [BPF_REG_5] = 16,
	[BPF_REG_8] = 24, [BPF_REG_9] = 32, [BPF_REG_AX] = 40,
	[BPF_REG_0] = 48, [BPF_REG_6] = 56, [BPF_REG_7] = 64,
	[BPF_REG_1] = -1, [BPF_REG_2] = -1, [BPF_REG_FP] = -1,
};

/*
 * Leaf programs: five pairs, r0:r1 and r2:r3 first (no push), to R1 and
 * R2 if named (they have no stack slot) and the most used others. R0
 * gets r0:r1 (the return value is there already), R1 the next (ctx
 * arrives in r0, copied by the prologue).
 */
static void choose_leaf_map(struct armjit_ctx *ctx, const s32 *gain)
{
	static const u8 regs[] = { BPF_REG_0, BPF_REG_1, BPF_REG_2,
				   BPF_REG_6, BPF_REG_7, BPF_REG_8,
				   BPF_REG_9, BPF_REG_3, BPF_REG_4,
				   BPF_REG_5, BPF_REG_AX };
	static const u8 pairs[] = { ARM_R0, ARM_R2, ARM_R8, ARM_R4, ARM_R6 };
	bool want[MAX_BPF_JIT_REG] = { false };
	int i, j, n = 0, p = 0;

	for (i = 0; i < ctx->len; i++)
		for (j = BPF_REG_1; j <= BPF_REG_2; j++)
			if (!want[j] && armjit_names_reg(&ctx->insns[i], j)) {
				want[j] = true;
				n++;
			}
	for (; n < (int)sizeof(pairs); n++) {
		int best = -1;

		for (j = 0; j < (int)sizeof(regs); j++)
			if (regs[j] != BPF_REG_1 && regs[j] != BPF_REG_2 &&
			    !want[regs[j]] &&
			    (best < 0 || gain[regs[j]] > gain[regs[best]]))
				best = j;
		want[regs[best]] = true;
	}
	for (j = 0; j < (int)sizeof(regs); j++)
		if (want[regs[j]]) {
			ctx->map[regs[j]] = (struct armjit_reg){
				pairs[p], pairs[p] + 1, -1 };
			p++;
		}
}

/*
 * R3-R5's slots are a call's stack arguments (5 x u64): where a call
 * stores R3-R5 that live in registers.
 */
s32 armjit_arg_slot(u8 r)
{
	return armjit_slot[r];
}

/*
 * Per-program choice of the BPF registers that get the three callee-saved
 * pairs r8:r9, r4:r5, r6:r7: those of R0, R3-R9, AX whose stack slot
 * would cost the most loads and stores (ties in the default order R0, R6,
 * R7, R8, R9, R3, R4, R5, AX). R1, R2 always live in r0:r1, r2:r3; FP is
 * never a register. Per insn, a stacked register costs a load for each
 * read and a store for each write (a 64-bit one is one ldrd/strd); R0 in
 * a pair costs one more at each call and exit (two movs from or to r0:r1
 * instead of one strd or ldrd), R3-R5 one more at each call (stored into
 * the outgoing argument slots, where a stacked one already is).
 */
void armjit_choose_map(struct armjit_ctx *ctx, const struct armjit_scan *s)
{
	static const u8 order[] = { BPF_REG_0, BPF_REG_6, BPF_REG_7,
				    BPF_REG_8, BPF_REG_9, BPF_REG_3,
				    BPF_REG_4, BPF_REG_5, BPF_REG_AX };
	static const u8 pairs[] = { ARM_R8, ARM_R4, ARM_R6 };
	bool taken[MAX_BPF_JIT_REG] = { false };
	s32 gain[MAX_BPF_JIT_REG];
	int i, j, p, n = sizeof(pairs);

	/* R0 at an exit: r0:r1 in a leaf, else two movs or one ldrd */
	memcpy(gain, s->gain, sizeof(gain));
	gain[BPF_REG_0] += ctx->flags & FLAG_LEAF ? s->exits : -s->exits;
	for (i = 0; i < MAX_BPF_JIT_REG; i++) {
		ctx->map[i].lo = -1;
		ctx->map[i].hi = -1;
		ctx->map[i].slot = armjit_slot[i];
	}
	if (ctx->flags & FLAG_LEAF) {
		choose_leaf_map(ctx, gain);
		return;
	}
	ctx->map[BPF_REG_1] = (struct armjit_reg){ ARM_R0, ARM_R1, -1 };
	ctx->map[BPF_REG_2] = (struct armjit_reg){ ARM_R2, ARM_R3, -1 };
	for (p = 0; p < n; p++) {
		int best = -1;

		for (j = 0; j < (int)sizeof(order); j++)
			if (!taken[order[j]] &&
			    (best < 0 || gain[order[j]] > gain[order[best]]))
				best = j;
		taken[order[best]] = true;
		ctx->map[order[best]] = (struct armjit_reg){ pairs[p],
							     pairs[p] + 1, -1 };
	}
}

/*
 * What the prologue must set up (after armjit_choose_map()): a frame for stacked
 * registers, the BPF stack, the tail-call counter, calls (their argument
 * slots) and subprograms; R1's hi word when anything reads R1. Register
 * fields an insn doesn't use are 0 (the verifier checks): R0, which must
 * be in a pair anyway.
 */
void armjit_scan_frame(struct armjit_ctx *ctx, const struct armjit_scan *s)
{
	int i;

	/* R0 is read by every exit and by cmpxchg without being named */
	if (ctx->stack_depth || ctx->is_subprog || s->calls ||
	    !is_mapped(ctx, BPF_REG_0))
		ctx->flags |= FLAG_FRAME;
	if (s->tail_call)
		ctx->flags |= FLAG_TAIL_CALL;
	/* else one if a stacked register is named (no calls, no stack) */
	for (i = 0; i < ctx->len && !(ctx->flags & FLAG_FRAME); i++) {
		u8 d = ctx->insns[i].dst_reg, sr = ctx->insns[i].src_reg;

		if (d >= MAX_BPF_JIT_REG || sr >= MAX_BPF_JIT_REG)
			continue;	/* build_insn() rejects it */
		if ((d != BPF_REG_FP && !is_mapped(ctx, d)) ||
		    (sr != BPF_REG_FP && !is_mapped(ctx, sr)))
			ctx->flags |= FLAG_FRAME;
	}
	/* a tail call, or a call on the way to one (the verifier says) */
	if ((ctx->flags & FLAG_TAIL_CALL) || ctx->tc_reach)
		ctx->flags |= FLAG_TCC | FLAG_FRAME;
}

/* What a leaf program saves: the callee-saved registers it writes, lr. */
u16 armjit_leaf_saved(u16 written)
{
	u16 m = written & (0x0ff0 | 1 << ARM_LR);
	int i, n;

	if (!m)
		return 0;
	m |= 1 << ARM_LR;
	for (i = m, n = 0; i; i &= i - 1)
		n++;
	if (n & 1)
		m |= 1 << ARM_R3;	/* sp stays 8-byte aligned */
	return m;
}

