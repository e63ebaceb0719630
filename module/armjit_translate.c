// SPDX-License-Identifier: GPL-2.0
/*
 * armjit translation: eBPF instructions to ARMv7-A (ARM state) code.
 *
 * One pass over the program emits the prologue, every instruction and the
 * epilogue; with no image it only counts, so the same code sizes and writes
 * the image. Every sequence has a size that depends only on the program's
 * insns (the insn, its neighbours and which insns are jump targets, for
 * the peepholes), never on branch distances, so sizes converge after one
 * pass.
 *
 * Register mapping (choose_map() below, per program, into ctx->map[]):
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
 *
 * Before translating, two analyses over the program's flow: which
 * register words may be read later (ctx->live: results nothing reads are
 * not computed, hi words only 32-bit insns read not written, R0's hi not
 * returned by a main program) and which hi words are 0 on every path
 * (ctx->hi0: 64-bit compares of such values are 32-bit ones).
 *
 * All lo/hi words are little-endian: lo at the lower address.
 */
#include "armjit_jit.h"
#include "armjit_insn.h"
#include "armjit_decode.h"

#define TMP_A_LO	ARM_R10		/* dst of a stacked register */
#define TMP_A_HI	ARM_R11
#define TMP_B_LO	ARM_IP		/* src of a stacked register, immediates */
#define TMP_B_HI	ARM_LR

#define SLOT_TCC	72		/* tail-call counter */
#define FRAME_FIXED	80		/* slots + counter */
/* Registers the prologue saves: 10 words keep sp 8-byte aligned. */
#define SAVED_REGS	(0x0ff8 | 1 << ARM_LR)	/* r3-r11, lr */
/* An exit copies an epilogue up to this long rather than branch to it */
#define ARMJIT_EXIT_COPY	4

static inline int hweight_saved(void)
{
	return __builtin_popcount(SAVED_REGS);
}

/*
 * First word of an armjit main image with tail calls: mov r1, #0 (its
 * tail-call counter starts at 0); without, the branch over the stub
 * itself. Word 2 is ARMJIT_UDF in every main image, where a stock image
 * has its prologue: armjit's tail calls look there.
 */
#define ARMJIT_ENTRY_INSN	arm_mov_i(ARM_R1, 0)
#define ARMJIT_MARK_WORD	2

/* ctx->flags */
#define FLAG_BAD_INSN	0x1		/* an encoder answered ARM_INSN_BAD */
#define FLAG_TAIL_CALL	0x2		/* the program has tail calls */
#define FLAG_R1_LIVE	0x4		/* R1's ctx may be read */
#define FLAG_FRAME	0x8		/* stack slots, BPF stack or calls */
#define FLAG_LEAF	0x10		/* a main program that calls nothing */

/* Stack slot of each BPF register, used while it has no ARM pair. */
static const s8 armjit_slot[MAX_BPF_JIT_REG] = {
	[BPF_REG_3] = 0, [BPF_REG_4] = 8, [BPF_REG_5] = 16,
	[BPF_REG_8] = 24, [BPF_REG_9] = 32, [BPF_REG_AX] = 40,
	[BPF_REG_0] = 48, [BPF_REG_6] = 56, [BPF_REG_7] = 64,
	[BPF_REG_1] = -1, [BPF_REG_2] = -1, [BPF_REG_FP] = -1,
};

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
/*
 * A main program that calls nothing (no helper, bpf-to-bpf or tail call,
 * no divide, which may call a routine): r0-r3 need not hold R1, R2.
 */
static bool is_leaf(const struct armjit_ctx *ctx)
{
	int i;

	if (ctx->is_subprog)
		return false;
	for (i = 0; i < ctx->len; i++) {
		const struct bpf_insn *insn = &ctx->insns[i];
		u8 op = BPF_OP(insn->code);

		switch (BPF_CLASS(insn->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			if (op == BPF_DIV || op == BPF_MOD)
				return false;
			break;
		case BPF_JMP:
		case BPF_JMP32:
			if (op == BPF_CALL || op == BPF_TAIL_CALL)
				return false;
			break;
		case BPF_LD:
			if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
				return false;
			i++;
			break;
		}
	}
	return true;
}

/* Does insn name BPF register r (as an operand it uses)? */
static bool names_reg(const struct bpf_insn *insn, u8 r)
{
	u8 cls = BPF_CLASS(insn->code);
	bool x = BPF_SRC(insn->code) == BPF_X;

	if (insn->dst_reg == r)
		return true;
	if (insn->src_reg != r)
		return false;
	return cls == BPF_LDX || cls == BPF_STX ||
	       ((cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_JMP ||
		 cls == BPF_JMP32) && x);
}

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
			if (!want[j] && names_reg(&ctx->insns[i], j)) {
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

static void choose_map(struct armjit_ctx *ctx)
{
	static const u8 order[] = { BPF_REG_0, BPF_REG_6, BPF_REG_7,
				    BPF_REG_8, BPF_REG_9, BPF_REG_3,
				    BPF_REG_4, BPF_REG_5, BPF_REG_AX };
	static const u8 pairs[] = { ARM_R8, ARM_R4, ARM_R6 };
	s32 gain[MAX_BPF_JIT_REG] = { 0 };
	bool taken[MAX_BPF_JIT_REG] = { false };
	u8 base, prev_base = MAX_BPF_JIT_REG;
	int i, j, p, n = sizeof(pairs);

	for (i = 0; i < ctx->len; i++) {
		const struct bpf_insn *insn = &ctx->insns[i];
		u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
		bool x = BPF_SRC(insn->code) == BPF_X;

		if (insn->dst_reg >= MAX_BPF_JIT_REG ||
		    insn->src_reg >= MAX_BPF_JIT_REG)
			continue;	/* rejected by build_insn */
		switch (cls) {
		case BPF_JMP:
		case BPF_JMP32:
			if (op == BPF_CALL) {
				gain[BPF_REG_0]--;
				gain[BPF_REG_3]--;
				gain[BPF_REG_4]--;
				gain[BPF_REG_5]--;
			} else if (op == BPF_EXIT) {
				/* r0:r1 in a leaf, else two movs or one ldrd */
				gain[BPF_REG_0] += ctx->flags & FLAG_LEAF ?
						   1 : -1;
			} else if (op != BPF_JA && op != BPF_TAIL_CALL) {
				gain[insn->dst_reg]++;
				if (x)
					gain[insn->src_reg]++;
			}
			break;
		case BPF_ALU:
		case BPF_ALU64:
			/* mov writes only; the others read and write dst */
			gain[insn->dst_reg] += op == BPF_MOV ? 1 : 2;
			if (x)
				gain[insn->src_reg]++;
			break;
		case BPF_LD:
			gain[insn->dst_reg]++;
			i++;	/* ld_imm64 */
			break;
		case BPF_LDX:
		case BPF_STX:
		case BPF_ST:
			/*
			 * the base: a load only where the insn before had
			 * another (the scratch cache keeps it)
			 */
			base = cls == BPF_LDX ? insn->src_reg : insn->dst_reg;
			if (base != prev_base)
				gain[base]++;
			gain[cls == BPF_LDX ? insn->dst_reg : insn->src_reg] +=
				cls != BPF_ST;
			prev_base = cls == BPF_LDX && insn->dst_reg == base ?
				    MAX_BPF_JIT_REG : base;
			continue;
		}
		prev_base = MAX_BPF_JIT_REG;
	}
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

/* ---- What the scratch registers hold ----------------------------------- */

/*
 * r10, r11, ip, lr (and r0-r3 after a call's result went to a stacked R0,
 * say) often still hold a stack slot's word when the next
 * insn loads it again, and registers a constant when the next insn sets
 * it again (clang rematerializes return codes before every bounds
 * check): emit() drops such a load, such a mov, and a store of a word
 * back to the slot it came from. ctx->cached[] is, per scratch register,
 * the sp offset of the word it holds, or -1; ctx->kmask/kval the known
 * constants. Every instruction emitted updates them (cache_decode()): a
 * register it may write is forgotten, so is a register mirroring a slot
 * it stores to; an unconditional ldr/str/ldrd/strd of a word at
 * [sp, #imm] and an unconditional mov/mvn/movw/movt of a constant are
 * remembered. Anything else, any call, any change of sp, and every place
 * a branch lands (jump targets, fix_fwd(), loop heads) forget everything.
 */
static const u8 cache_regs[ARMJIT_NR_CACHED] = {
	ARM_R10, ARM_R11, ARM_IP, ARM_LR, ARM_R0, ARM_R1, ARM_R2, ARM_R3
};

static void cache_flush(struct armjit_ctx *ctx)
{
	int i;

	for (i = 0; i < ARMJIT_NR_CACHED; i++)
		ctx->cached[i] = -1;
	ctx->kmask = 0;
	ctx->ip_sp_ok = false;
}

static int cache_idx(u8 r)
{
	int i;

	for (i = 0; i < ARMJIT_NR_CACHED; i++)
		if (cache_regs[i] == r)
			return i;
	return -1;
}

static void cache_forget(struct armjit_ctx *ctx, u8 r)
{
	int i = cache_idx(r);

	if (i >= 0)
		ctx->cached[i] = -1;
	ctx->kmask &= ~(1U << r);
	ctx->written |= 1U << r;
	if (r == ARM_IP)
		ctx->ip_sp_ok = false;
}

static bool known(const struct armjit_ctx *ctx, u8 r, u32 val)
{
	return (ctx->kmask & 1U << r) && ctx->kval[r] == val;
}

/* mov/mvn rd, #imm (S clear), movw/movt: what rd holds after it */
static bool const_result(const struct armjit_ctx *ctx,
			 const struct arm_dec *d, u32 *val)
{
	switch (d->kind) {
	case ARM_K_DP_IMM:
		if (d->s || (d->op != ARM_DP_MOV && d->op != ARM_DP_MVN))
			return false;
		*val = d->op == ARM_DP_MVN ? ~d->imm : d->imm;
		return true;
	case ARM_K_MOVW:
		*val = d->imm;
		return true;
	case ARM_K_MOVT:
		if (!(ctx->kmask & 1U << d->rd))
			return false;
		*val = d->imm << 16 | (ctx->kval[d->rd] & 0xffff);
		return true;
	default:
		return false;
	}
}

/* a store to [sp + off, sp + off + n) */
static void cache_forget_range(struct armjit_ctx *ctx, s32 off, s32 n)
{
	int i;

	for (i = 0; i < ARMJIT_NR_CACHED; i++)
		if (ctx->cached[i] >= 0 && ctx->cached[i] < off + n &&
		    off < ctx->cached[i] + 4)
			ctx->cached[i] = -1;
}

/*
 * A store through another base than sp may reach the BPF stack, where
 * pointers lead (not the register slots below it): its words aren't
 * known any more.
 */
static void cache_forget_bpf_stack(struct armjit_ctx *ctx)
{
	int i;

	for (i = 0; i < ARMJIT_NR_CACHED; i++)
		if (ctx->sp_adj || ctx->cached[i] >= SLOT_TCC)
			ctx->cached[i] = -1;
}

static void cache_set(struct armjit_ctx *ctx, u8 r, s32 off)
{
	int i = cache_idx(r);

	if (i >= 0 && off >= 0)
		ctx->cached[i] = off;
}

/* sp and pc: no BPF code writes them but the prologue and epilogue */
static bool sp_or_pc(u8 r)
{
	return r == ARM_SP || r == ARM_PC;
}

static bool cache_has(const struct armjit_ctx *ctx, u8 r, s32 off)
{
	int i = cache_idx(r);

	return i >= 0 && off >= 0 && ctx->cached[i] == off;
}

/*
 * What an insn armjit emits does, for the scratch cache and kept-back
 * stores: the registers it writes; its memory access, at [sp, #off] (an
 * immediate offset, no writeback) or through another base; a plain
 * branch (b, bx). False for what either must not follow: a call,
 * push/pop, a change of sp, anything else.
 */
struct arm_fx {
	u16 writes;
	bool branch;
	bool load, store;	/* a memory access */
	bool at_sp;		/* ... with base sp */
	bool sp;		/* ... at [sp, #off], n bytes */
	bool word;		/* ... of whole words: to rt (and rt + 1) */
	u8 rt;
	s32 off;
	int n;
};

/* a load or store with an immediate offset (arm_decode(): no writeback) */
static bool fx_ldst(const struct arm_dec *d, struct arm_fx *fx)
{
	fx->load = d->load;
	fx->store = !d->load;
	fx->rt = d->rt;
	if (d->load) {
		if (sp_or_pc(d->rt) || (d->size == 8 && sp_or_pc(d->rt + 1)))
			return false;
		fx->writes = 1U << d->rt | (d->size == 8 ? 1U << (d->rt + 1) : 0);
	}
	if (d->rn != ARM_SP)
		return true;
	fx->at_sp = true;
	fx->sp = true;
	fx->off = d->off;
	fx->n = d->size;
	fx->word = d->size >= 4;
	return true;
}

/*
 * What arm_decode() found, for the scratch cache and the kept-back
 * stores. Multiplies and exclusives count the register after the one in
 * bits 15:12 and the one in 19:16 as written, rev and the extends as
 * not followed: what the decoder before armjit_decode.h did (the images
 * depend on it).
 */
static bool arm_fx(u32 insn, struct arm_fx *fx)
{
	struct arm_dec d;
	u8 f12, f16;

	memset(fx, 0, sizeof(*fx));
	if (!arm_decode(insn, &d))
		return false;
	f12 = arm_field(insn, ARM_RD_SHIFT);
	f16 = arm_field(insn, ARM_RN_SHIFT);
	switch (d.kind) {
	case ARM_K_DMB:
		return true;
	case ARM_K_B:
	case ARM_K_BX:
		fx->branch = true;
		return true;
	case ARM_K_BL:			/* calls */
		fx->branch = true;
		return false;
	case ARM_K_MUL:
	case ARM_K_MLA:
	case ARM_K_MLS:
	case ARM_K_UMULL:
	case ARM_K_LDREX:
	case ARM_K_STREX:
	case ARM_K_LDREXD:
	case ARM_K_STREXD:
		if (sp_or_pc(f12) || sp_or_pc(f12 + 1) || sp_or_pc(f16))
			return false;
		fx->writes = 1U << f12 | 1U << (f12 + 1) | 1U << f16;
		/* exclusives (never at sp) */
		fx->store = d.kind != ARM_K_MUL && d.kind != ARM_K_MLA &&
			    d.kind != ARM_K_MLS && d.kind != ARM_K_UMULL;
		return true;
	case ARM_K_UDIV:
	case ARM_K_SDIV:
		if (sp_or_pc(d.rd))
			return false;
		fx->writes = 1U << d.rd;
		return true;
	case ARM_K_DP_IMM:
	case ARM_K_DP_RSI:
	case ARM_K_DP_RSR:
	case ARM_K_MOVW:
	case ARM_K_MOVT:
		if (d.kind != ARM_K_MOVW && d.kind != ARM_K_MOVT &&
		    d.op >= ARM_DP_TST && d.op <= ARM_DP_CMN)
			return true;	/* flags only */
		if (sp_or_pc(d.rd))
			return false;
		fx->writes = 1U << d.rd;
		return true;
	case ARM_K_LDST:
		return fx_ldst(&d, fx);
	case ARM_K_LDR_R:
		fx->load = true;
		fx->rt = d.rt;
		if (sp_or_pc(d.rt))
			return false;
		fx->writes = 1U << d.rt;
		fx->at_sp = d.rn == ARM_SP;	/* a load: only rt changes */
		return true;
	default:	/* blx, push/pop, rev and extends, udf */
		return false;
	}
}

/*
 * What insn does to the scratch registers and the stack words they
 * hold; false (forget everything) for what arm_fx() doesn't follow.
 */
static bool cache_decode(struct armjit_ctx *ctx, u32 insn)
{
	struct arm_fx fx;
	struct arm_dec d;
	u32 val = 0;
	bool al, k;
	int r;

	if (!arm_fx(insn, &fx))
		return false;
	arm_decode(insn, &d);
	al = d.cond == ARM_COND_AL;
	/* mov/mvn/movw/movt of a constant (movt: rd's lo half known) */
	k = al && const_result(ctx, &d, &val);
	for (r = 0; r < 15; r++)
		if (fx.writes & 1U << r)
			cache_forget(ctx, r);
	if (fx.store && !fx.sp)
		cache_forget_bpf_stack(ctx);
	if (fx.sp) {
		if (fx.store)
			cache_forget_range(ctx, fx.off, fx.n);
		if (al && fx.word) {
			cache_set(ctx, fx.rt, fx.off);
			if (fx.n == 8)
				cache_set(ctx, fx.rt + 1, fx.off + 4);
		}
	}
	if (k) {
		ctx->kmask |= 1U << d.rd;
		ctx->kval[d.rd] = val;
	}
	return true;
}

/*
 * Registers an insn cache_decode() can't follow may write: a call's
 * (bl, blx) scratch registers. Every pop armjit emits restores what a
 * push of the same code saved, and sp and pc aren't saved registers.
 */
static u16 undecoded_writes(u32 insn)
{
	struct arm_dec d;

	arm_decode(insn, &d);
	if (d.kind == ARM_K_BL || d.kind == ARM_K_BLX_R)
		return 0x100f | 1 << ARM_LR;
	return 0;
}

/*
 * An unconditional load at [sp, #imm] of what the register holds, a store
 * there of what the slot holds, a mov of what the register holds.
 */
static bool cache_hit(const struct armjit_ctx *ctx, u32 insn)
{
	struct arm_dec d;
	u32 val;

	if (!arm_decode(insn, &d) || d.cond != ARM_COND_AL)
		return false;
	/* ldr/str rt, [sp, #+imm], ldrd/strd */
	if (d.kind == ARM_K_LDST && d.rn == ARM_SP && d.off >= 0 &&
	    !d.sign && (d.size == 4 || d.size == 8))
		return cache_has(ctx, d.rt, d.off) &&
		       (d.size == 4 || cache_has(ctx, d.rt + 1, d.off + 4));
	if (!sp_or_pc(d.rd) && const_result(ctx, &d, &val))
		return known(ctx, d.rd, val);
	return false;
}

/* ---- Stores kept back ------------------------------------------------ */

/*
 * str rt, [sp, #+imm] or strd rt, [sp, #+imm], unconditional, to a
 * register slot: only sp addresses those (the BPF stack above them has
 * pointers into it). Its size, or 0.
 */
static int kept_store(const struct armjit_ctx *ctx, u32 insn)
{
	struct arm_dec d;

	if (!arm_decode(insn, &d) || d.cond != ARM_COND_AL ||
	    d.kind != ARM_K_LDST || d.load || d.rn != ARM_SP ||
	    d.off < 0 || (d.size != 4 && d.size != 8))
		return 0;
	return !ctx->sp_adj && d.off + d.size <= SLOT_TCC ? d.size : 0;
}

static void emit_raw(u32 insn, struct armjit_ctx *ctx)
{
	if (insn == ARM_INSN_BAD)
		ctx->flags |= FLAG_BAD_INSN;
	if (ctx->image)
		ctx->image[ctx->idx] = insn;
	ctx->idx++;
}

/* The kept-back store, now. */
static void flush_pending(struct armjit_ctx *ctx)
{
	if (!ctx->pend)
		return;
	emit_raw(ctx->pend, ctx);
	ctx->pend = 0;
}

/*
 * Before insn: the kept-back store goes out first if insn reads its slot,
 * writes its registers or is anything emit() can't follow; it is dropped
 * if insn stores over all of its slot first.
 */
static void pending_before(struct armjit_ctx *ctx, u32 insn)
{
	struct arm_fx fx;
	int n;

	if (!ctx->pend)
		return;
	if (!arm_fx(insn, &fx) || fx.branch || (fx.writes & ctx->pend_regs) ||
	    (fx.at_sp && !fx.sp)) {
		flush_pending(ctx);
		return;
	}
	/* only sp reaches the slots */
	if (!fx.sp || fx.off >= ctx->pend_off + ctx->pend_n ||
	    ctx->pend_off >= fx.off + fx.n)
		return;		/* another slot */
	n = kept_store(ctx, insn);
	if (n && fx.off == ctx->pend_off && n >= ctx->pend_n)
		ctx->pend = 0;	/* stored over before anything read it */
	else
		flush_pending(ctx);
}

static inline void emit(u32 insn, struct armjit_ctx *ctx)
{
	struct arm_dec d;
	int n;

	if (cache_hit(ctx, insn))
		return;		/* the register holds that word already */
	pending_before(ctx, insn);
	n = ctx->is_target ? kept_store(ctx, insn) : 0;
	if (n) {
		/* kept back: a stacked register written again soon */
		flush_pending(ctx);	/* one at a time */
		arm_decode(insn, &d);
		ctx->pend = insn;
		ctx->pend_off = d.off;
		ctx->pend_n = n;
		ctx->pend_regs = 1U << d.rt;
		if (n == 8)
			ctx->pend_regs |= 1U << (d.rt + 1);
		cache_decode(ctx, insn);
		return;
	}
	emit_raw(insn, ctx);
	if (!cache_decode(ctx, insn)) {
		ctx->written |= undecoded_writes(insn);
		cache_flush(ctx);
	}
}

/* A branch lands here: the kept-back store before it, nothing known. */
static void land(struct armjit_ctx *ctx)
{
	flush_pending(ctx);
	cache_flush(ctx);
}

static bool is_target(const struct armjit_ctx *ctx, int i)
{
	return !ctx->is_target || ctx->is_target[i];
}

static bool is_mapped(const struct armjit_ctx *ctx, u8 r)
{
	return ctx->map[r].lo >= 0;
}

/* sp offset of a stacked register's word */
static s32 slot_off(const struct armjit_ctx *ctx, u8 r, bool hi)
{
	return ctx->map[r].slot + (hi ? 4 : 0) + ctx->sp_adj;
}

/* FP - sp */
static s32 fp_off(const struct armjit_ctx *ctx)
{
	return ctx->frame_size + ctx->sp_adj;
}

/* ---- Constants ---------------------------------------------------------- */

static void emit_mov_imm(struct armjit_ctx *ctx, u8 rd, u32 val)
{
	if (known(ctx, rd, val))
		return;		/* movw/movt too */
	if (arm_imm_ok(val)) {
		emit(arm_mov_i(rd, val), ctx);
	} else if (arm_imm_ok(~val)) {
		emit(arm_mvn_i(rd, ~val), ctx);
	} else {
		emit(arm_movw(rd, val & 0xffff), ctx);
		if (val >> 16)
			emit(arm_movt(rd, val >> 16), ctx);
	}
}

/*
 * Fixed two-instruction form, for addresses: also those the extra pass
 * patches in, so neither dropped nor remembered.
 */
static void emit_mov_addr(struct armjit_ctx *ctx, u8 rd, u32 val)
{
	ctx->kmask &= ~(1U << rd);
	emit(arm_movw(rd, val & 0xffff), ctx);
	ctx->kmask &= ~(1U << rd);
	emit(arm_movt(rd, val >> 16), ctx);
	ctx->kmask &= ~(1U << rd);
}

/*
 * rd = rn <op> imm, with the equivalent immediate form when imm itself has
 * none (add/sub, adc/sbc, and/bic, cmp/cmn), else through tmp.
 */
static void emit_dp_imm(struct armjit_ctx *ctx, enum arm_dp op, bool s,
			u8 rd, u8 rn, u32 imm, u8 tmp)
{
	enum arm_dp alt = op;
	u32 alt_imm = imm;

	if (arm_imm_ok(imm)) {
		emit(arm_dp_imm(op, s, rd, rn, imm), ctx);
		return;
	}
	switch (op) {
	case ARM_DP_ADD:
	case ARM_DP_SUB:
		alt = op == ARM_DP_ADD ? ARM_DP_SUB : ARM_DP_ADD;
		alt_imm = -imm;
		break;
	case ARM_DP_ADC:
	case ARM_DP_SBC:
		alt = op == ARM_DP_ADC ? ARM_DP_SBC : ARM_DP_ADC;
		alt_imm = ~imm;
		break;
	case ARM_DP_AND:
	case ARM_DP_BIC:
		alt = op == ARM_DP_AND ? ARM_DP_BIC : ARM_DP_AND;
		alt_imm = ~imm;
		break;
	case ARM_DP_CMP:
	case ARM_DP_CMN:
		alt = op == ARM_DP_CMP ? ARM_DP_CMN : ARM_DP_CMP;
		alt_imm = -imm;
		break;
	default:
		break;
	}
	if (alt != op && arm_imm_ok(alt_imm)) {
		emit(arm_dp_imm(alt, s, rd, rn, alt_imm), ctx);
		return;
	}
	emit_mov_imm(ctx, tmp, imm);
	emit(arm_dp_reg(op, s, rd, rn, tmp), ctx);
}

static void emit_add_imm(struct armjit_ctx *ctx, u8 rd, u8 rn, s32 imm,
			 u8 tmp)
{
	if (imm || rd != rn)
		emit_dp_imm(ctx, ARM_DP_ADD, false, rd, rn, imm, tmp);
}

/* insn i's jump target (any value: the caller checks the range) */
static s64 jmp_target(const struct armjit_ctx *ctx,
		      const struct bpf_insn *insn, int i)
{
	if (ctx->jmp_off)
		return (s64)i + 1 + ctx->jmp_off[i];
	if (insn->code == (BPF_JMP32 | BPF_JA))
		return (s64)i + 1 + insn->imm;	/* gotol (cpuv4) */
	return (s64)i + 1 + insn->off;
}

/* ---- Which register words are read later ------------------------------ */

#define LIVE_LO(r)	(1U << (r))
#define LIVE_HI(r)	(1U << (16 + (r)))
#define LIVE_64(r)	(LIVE_LO(r) | LIVE_HI(r))
#define LIVE_ALL	0x0fff0fffU
/*
 * Sweeps over the program an analysis may take: loops need a few more
 * than one; a chain of jumps that goes back and forth (test_bpf's
 * "Staggered jumps: JMP_JA") one per jump. Past that the program is
 * left unanalysed (every word live, no hi word known 0).
 */
#define ARMJIT_SWEEPS	16

/*
 * The words insn reads (*use) and writes whole (*def); false for what
 * the analysis doesn't know (then everything is live). Reads may be
 * more than the insn needs, writes never: a 32-bit op writes the hi
 * word too (0; with verifier_zext undefined until the verifier's zext,
 * which nothing reads before).
 */
static bool insn_use_def(const struct armjit_ctx *ctx,
			 const struct bpf_insn *insn, u32 *use, u32 *def)
{
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	u8 d = insn->dst_reg, sr = insn->src_reg;
	bool x = BPF_SRC(insn->code) == BPF_X;
	u32 sw = sr < MAX_BPF_JIT_REG && sr != BPF_REG_FP ? LIVE_64(sr) : 0;
	u32 dw = d < MAX_BPF_JIT_REG && d != BPF_REG_FP ? LIVE_64(d) : 0;
	int r;

	*use = 0;
	*def = 0;
	if (d >= MAX_BPF_JIT_REG || sr >= MAX_BPF_JIT_REG)
		return false;
	switch (cls) {
	case BPF_ALU:
		if (op == BPF_MOV && x && d == sr) {
			*def = LIVE_HI(d);	/* zext: lo stays */
			return true;
		}
		/* 32-bit ops read lo words, but a 64-bit byte swap */
		if (op == BPF_END)
			*use |= dw;
		else if (op != BPF_MOV)
			*use |= LIVE_LO(d);
		if (x)
			*use |= LIVE_LO(sr);
		*def = dw;
		return true;
	case BPF_ALU64:
		if (op != BPF_MOV)
			*use |= dw;
		if (x)
			*use |= sw;
		*def = dw;
		return true;
	case BPF_LD:
		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
			return false;
		*def = dw;
		return true;
	case BPF_LDX:
		*use = sw;
		*def = dw;
		return true;
	case BPF_ST:
		*use = dw;
		return true;
	case BPF_STX:
		*use = dw | sw;
		if (BPF_MODE(insn->code) != BPF_ATOMIC)
			return true;
		*use |= LIVE_64(BPF_REG_0);
		if (insn->imm == BPF_CMPXCHG)
			*def = LIVE_64(BPF_REG_0);
		else if (insn->imm & BPF_FETCH)
			*def = sw;
		return true;
	case BPF_JMP:
	case BPF_JMP32:
		switch (op) {
		case BPF_JA:
			return true;
		case BPF_EXIT:
			*use = ctx->ret32 ? LIVE_LO(BPF_REG_0) :
					    LIVE_64(BPF_REG_0);
			return true;
		case BPF_CALL:
			for (r = BPF_REG_1; r <= BPF_REG_5; r++) {
				*use |= LIVE_64(r);
				*def |= LIVE_64(r);
			}
			*def |= LIVE_64(BPF_REG_0);
			return true;
		case BPF_TAIL_CALL:
			*use = LIVE_64(BPF_REG_1) | LIVE_64(BPF_REG_2) |
			       LIVE_64(BPF_REG_3);
			return true;
		}
		if (cls == BPF_JMP32)
			*use = LIVE_LO(d) | (x ? LIVE_LO(sr) : 0);
		else
			*use = dw | (x ? sw : 0);
		return true;
	}
	return false;
}

/* the words read from insn i on (live[i] holds those after it) */
static u32 live_in(const struct armjit_ctx *ctx, int i)
{
	u32 use, def;

	insn_use_def(ctx, &ctx->insns[i], &use, &def);
	return use | (ctx->live[i] & ~def);
}

/*
 * ctx->live[i]: the words read after insn i on some path, by iterating
 * backwards to the fixed point (loops). live[len] is the end.
 */
static void compute_live(struct armjit_ctx *ctx)
{
	u32 end = ctx->ret32 ? LIVE_LO(BPF_REG_0) : LIVE_64(BPF_REG_0);
	bool changed = true;
	int i, sweeps = 0;

	if (!ctx->live)
		return;
	for (i = 0; i < ctx->len; i++) {
		u32 use, def;

		if (i && ctx->insns[i - 1].code == (BPF_LD | BPF_IMM | BPF_DW))
			continue;	/* ld_imm64's second half */
		if (!insn_use_def(ctx, &ctx->insns[i], &use, &def)) {
			/* unknown insn: all live everywhere */
			for (i = 0; i <= ctx->len; i++)
				ctx->live[i] = LIVE_ALL;
			return;
		}
	}
	memset(ctx->live, 0, (ctx->len + 1) * sizeof(u32));
	while (changed) {
		/* live_in() of the insn done last: the next one, mostly */
		int last = -1;
		u32 last_in = 0;

		if (++sweeps > ARMJIT_SWEEPS) {
			for (i = 0; i <= ctx->len; i++)
				ctx->live[i] = LIVE_ALL;
			return;
		}
		changed = false;
		for (i = ctx->len - 1; i >= 0; i--) {
			const struct bpf_insn *insn = &ctx->insns[i];
			u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
			bool jmp = cls == BPF_JMP || cls == BPF_JMP32;
			int next = i + 1;
			u32 out = 0;
			s64 t;

			if (i && ctx->insns[i - 1].code ==
				 (BPF_LD | BPF_IMM | BPF_DW))
				continue;	/* ld_imm64's second half */
			if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
				next = i + 2;
			if (!(jmp && (op == BPF_JA || op == BPF_EXIT)))
				out = next >= ctx->len ? end :
				      next == last ? last_in :
						     live_in(ctx, next);
			if (jmp && op != BPF_EXIT && op != BPF_CALL &&
			    op != BPF_TAIL_CALL) {
				t = jmp_target(ctx, insn, i);
				if (t >= 0 && t < ctx->len)
					out |= live_in(ctx, t);
				else
					out |= end;	/* the epilogue */
			}
			if (out != ctx->live[i]) {
				ctx->live[i] = out;
				changed = true;
			}
			last = i;
			last_in = live_in(ctx, i);
		}
	}
	for (i = 0; i + 1 < ctx->len; i++)
		if (ctx->insns[i].code == (BPF_LD | BPF_IMM | BPF_DW)) {
			ctx->live[i + 1] = ctx->live[i];
			i++;
		}
}

/*
 * Which hi words are 0 after insn i, from @in before it. A hi word is
 * known 0 after a write of 0 that liveness kept, or when it was 0 and
 * the insn doesn't write it (or writes 0, dropped as dead).
 */
static u16 hi0_after(const struct armjit_ctx *ctx, int i, u16 in)
{
	const struct bpf_insn *insn = &ctx->insns[i];
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	u8 d = insn->dst_reg, sr = insn->src_reg;
	bool x = BPF_SRC(insn->code) == BPF_X, zero;
	u16 bit = 1U << d;

	switch (cls) {
	case BPF_ALU:
		/* the zext of a register onto itself, or any op's zext32 */
		zero = (op == BPF_MOV && x && d == sr && insn->imm == 1) ||
		       (op != BPF_END && !ctx->verifier_zext &&
			!(op == BPF_MOV && insn->off));
		break;
	case BPF_ALU64:
		if (insn->off)
			zero = false;
		else if (op == BPF_MOV)
			zero = x ? sr == BPF_REG_FP || (in & 1U << sr) :
				   insn->imm >= 0;
		else
			zero = x ? false :
			       (op == BPF_AND && insn->imm >= 0) ||
			       (op == BPF_RSH && (insn->imm & 63) >= 32);
		break;
	case BPF_LD:
		zero = !ctx->insns[i + 1].imm;
		break;
	case BPF_LDX:
		zero = BPF_MODE(insn->code) == BPF_MEM &&
		       BPF_SIZE(insn->code) != BPF_DW && !ctx->verifier_zext;
		break;
	case BPF_STX:
		if (BPF_MODE(insn->code) != BPF_ATOMIC)
			return in;
		if (insn->imm == BPF_CMPXCHG)
			return in & ~1U;
		return insn->imm & BPF_FETCH ? in & ~(1U << sr) : in;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL || op == BPF_TAIL_CALL)
			return in & ~0x3fU;	/* R0-R5 */
		return in;
	default:
		return in;
	}
	if (!zero)
		return in & ~bit;
	/* a 0 written, or left out where it was 0 or nothing reads it */
	return ctx->live && !(ctx->live[i] & LIVE_HI(d)) ? in : in | bit;
}

/*
 * ctx->hi0[]: forward, each insn's hi words known 0 on every path to it
 * (the meet of its predecessors), from the prologue's (R1's when it sets
 * it) at insn 0. Needs ctx->live (the words liveness drops).
 */
static void compute_hi0(struct armjit_ctx *ctx)
{
	bool changed = true;
	int i, sweeps = 0;

	if (!ctx->hi0)
		return;
	memset(ctx->hi0, 0, (ctx->len + 1) * sizeof(u16));
	if (!ctx->live || ctx->live[0] == LIVE_ALL)
		return;		/* no liveness, or an insn it doesn't know */
	for (i = 1; i <= ctx->len; i++)
		ctx->hi0[i] = 0xfff;
	ctx->hi0[0] = !ctx->is_subprog && (ctx->flags & FLAG_R1_LIVE) ?
		      1U << BPF_REG_1 : 0;
	while (changed) {
		if (++sweeps > ARMJIT_SWEEPS) {
			/* not settled: nothing known */
			memset(ctx->hi0, 0, (ctx->len + 1) * sizeof(u16));
			return;
		}
		changed = false;
		for (i = 0; i < ctx->len; i++) {
			const struct bpf_insn *insn = &ctx->insns[i];
			u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
			bool jmp = cls == BPF_JMP || cls == BPF_JMP32;
			int next = i + 1;
			u16 out;
			s64 t;

			if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
				next = i + 2;
			out = hi0_after(ctx, i, ctx->hi0[i]);
			if (!(jmp && (op == BPF_JA || op == BPF_EXIT)) &&
			    next < ctx->len && (ctx->hi0[next] & ~out)) {
				ctx->hi0[next] &= out;
				changed = true;
			}
			if (jmp && op != BPF_EXIT && op != BPF_CALL &&
			    op != BPF_TAIL_CALL) {
				t = jmp_target(ctx, insn, i);
				if (t >= 0 && t < ctx->len &&
				    (ctx->hi0[t] & ~out)) {
					ctx->hi0[t] &= out;
					changed = true;
				}
			}
			if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
				i++;
		}
	}
}

/* Is BPF register r's hi word 0 before the insn being written? */
static bool hi_zero(const struct armjit_ctx *ctx, u8 r)
{
	if (r == BPF_REG_FP)
		return true;
	return ctx->hi0 && r < MAX_BPF_JIT_REG &&
	       (ctx->hi0[ctx->hi0_at] & 1U << r);
}

/* May word hi/lo of BPF register r be read after the insn being written? */
static bool word_live(const struct armjit_ctx *ctx, u8 r, bool hi)
{
	if (!ctx->live || r >= MAX_BPF_JIT_REG)
		return true;
	return ctx->live[ctx->live_at] & (hi ? LIVE_HI(r) : LIVE_LO(r));
}

/* ---- BPF register access ---------------------------------------------- */

/* ARM register holding the lo word of r: its own, or tmp after a load. */
static u8 rd_lo(struct armjit_ctx *ctx, u8 r, u8 tmp)
{
	if (is_mapped(ctx, r))
		return ctx->map[r].lo;
	if (r == BPF_REG_FP)
		emit_add_imm(ctx, tmp, ARM_SP, fp_off(ctx), tmp);
	else
		emit(arm_ldr_i(tmp, ARM_SP, slot_off(ctx, r, false)), ctx);
	return tmp;
}

static u8 rd_hi(struct armjit_ctx *ctx, u8 r, u8 tmp)
{
	if (is_mapped(ctx, r))
		return ctx->map[r].hi;
	if (r == BPF_REG_FP)
		emit(arm_mov_i(tmp, 0), ctx);
	else
		emit(arm_ldr_i(tmp, ARM_SP, slot_off(ctx, r, true)), ctx);
	return tmp;
}

/* Register to compute the lo/hi word of r into: its own, or tmp. */
static u8 dst_lo(const struct armjit_ctx *ctx, u8 r, u8 tmp)
{
	return is_mapped(ctx, r) ? ctx->map[r].lo : tmp;
}

static u8 dst_hi(const struct armjit_ctx *ctx, u8 r, u8 tmp)
{
	return is_mapped(ctx, r) ? ctx->map[r].hi : tmp;
}

static void wr_half(struct armjit_ctx *ctx, u8 r, bool hi, u8 src)
{
	u8 own = hi ? ctx->map[r].hi : ctx->map[r].lo;

	if (is_mapped(ctx, r)) {
		if (own != src)
			emit(arm_mov_r(own, src), ctx);
	} else {
		emit(arm_str_i(src, ARM_SP, slot_off(ctx, r, hi)), ctx);
	}
}

static void wr_lo(struct armjit_ctx *ctx, u8 r, u8 src)
{
	wr_half(ctx, r, false, src);
}

static void wr_hi(struct armjit_ctx *ctx, u8 r, u8 src)
{
	wr_half(ctx, r, true, src);
}

/* lo, hi: an even/odd register pair ldrd/strd can move */
static bool is_pair(u8 lo, u8 hi)
{
	return !(lo & 1) && lo <= ARM_R10 && hi == lo + 1;
}

/* A stacked register's slot offset if ldrd/strd reach it, else -1. */
static s32 slot_d(const struct armjit_ctx *ctx, u8 r)
{
	s32 off;

	if (is_mapped(ctx, r) || r == BPF_REG_FP)
		return -1;
	off = slot_off(ctx, r, false);
	return off <= 255 ? off : -1;
}

/*
 * The insn being translated writes both words of stacked r with one strd
 * from r10:r11 and reads r no more from its slot: a kept-back strd of
 * r10:r11 there (the insn before wrote r) is dead.
 */
static void supersede_pending(struct armjit_ctx *ctx, u8 r)
{
	s32 off = slot_d(ctx, r);

	if (ctx->pend && off >= 0 && ctx->pend_n == 8 &&
	    ctx->pend_off == off &&
	    ctx->pend_regs == (1U << TMP_A_LO | 1U << TMP_A_HI))
		ctx->pend = 0;
}

/*
 * Both words of r: its own registers, or tlo:thi after loading them (one
 * ldrd when tlo:thi is a pair).
 */
static void rd64(struct armjit_ctx *ctx, u8 r, u8 *lo, u8 *hi, u8 tlo,
		 u8 thi)
{
	s32 off = slot_d(ctx, r);

	if (off >= 0 && is_pair(tlo, thi)) {
		emit(arm_ldrd_i(tlo, ARM_SP, off), ctx);
		*lo = tlo;
		*hi = thi;
		return;
	}
	*lo = rd_lo(ctx, r, tlo);
	*hi = rd_hi(ctx, r, thi);
}

/* r = lo:hi (one strd for a stacked r when lo:hi is a pair) */
static void wr64(struct armjit_ctx *ctx, u8 r, u8 lo, u8 hi)
{
	s32 off = slot_d(ctx, r);

	if (off >= 0 && is_pair(lo, hi)) {
		emit(arm_strd_i(lo, ARM_SP, off), ctx);
		return;
	}
	wr_lo(ctx, r, lo);
	wr_hi(ctx, r, hi);
}

/* hi word of r = 0 */
static void zero_hi(struct armjit_ctx *ctx, u8 r)
{
	u8 rd = dst_hi(ctx, r, TMP_A_HI);

	if (!word_live(ctx, r, true) || hi_zero(ctx, r))
		return;		/* nothing reads it, or it is 0 already */
	emit(arm_mov_i(rd, 0), ctx);
	wr_hi(ctx, r, rd);
}

/* After a 32-bit result: zero-extend unless the verifier does it. */
static void zext32(struct armjit_ctx *ctx, u8 r)
{
	if (!ctx->verifier_zext)
		zero_hi(ctx, r);
}

/* r = 64-bit constant */
static void emit_ld_imm64(struct armjit_ctx *ctx, u8 r, u32 lo, u32 hi)
{
	u8 rl = dst_lo(ctx, r, TMP_A_LO), rh = dst_hi(ctx, r, TMP_A_HI);

	if (word_live(ctx, r, true) && (hi || !hi_zero(ctx, r)))
		supersede_pending(ctx, r);	/* one strd of both words */
	emit_mov_imm(ctx, rl, lo);
	if (!word_live(ctx, r, true) || (!hi && hi_zero(ctx, r))) {
		wr_lo(ctx, r, rl);
		return;
	}
	emit_mov_imm(ctx, rh, hi);
	wr64(ctx, r, rl, rh);
}

/* ---- Branches ----------------------------------------------------------- */

/* b<cond> to ARM index target; out of range only matters in the last pass */
static int emit_b(struct armjit_ctx *ctx, u8 cond, int target)
{
	s32 off;

	flush_pending(ctx);	/* before its own index is taken */
	off = target - (ctx->idx + 2);
	if (!ctx->image)
		off = 0;	/* targets not final yet; size is fixed anyway */
	else if (off < -(1 << 23) || off >= (1 << 23))
		return -EFBIG;
	emit(arm_cond(cond, arm_b(off)), ctx);
	return 0;
}

/* Forward branch inside one BPF insn: emit now, fix_fwd() at the target. */
static int emit_fwd(struct armjit_ctx *ctx, u8 cond)
{
	emit(arm_cond(cond, arm_b(0)), ctx);
	return ctx->idx - 1;
}

static void fix_fwd(struct armjit_ctx *ctx, int at)
{
	land(ctx);	/* a branch lands here */
	if (ctx->image)
		ctx->image[at] = arm_b_retarget(ctx->image[at],
						ctx->idx - (at + 2));
}

/* ---- Prologue and epilogue ---------------------------------------------- */

/*
 * A bpf-to-bpf callee (or a callback a helper calls) is entered like a
 * helper with 5 x u64: R1 in r0:r1, R2 in r2:r3 (where they live anyway),
 * R3-R5 in the caller's outgoing stack slots, copied into this frame.
 */
static void build_subprog_prologue(struct armjit_ctx *ctx)
{
	s32 args = ctx->frame_size + 4 * hweight_saved();
	int r;

	emit(arm_push(SAVED_REGS), ctx);
	emit_dp_imm(ctx, ARM_DP_SUB, false, ARM_SP, ARM_SP, ctx->frame_size,
		    ARM_IP);
	for (r = BPF_REG_3; r <= BPF_REG_5; r++) {
		s32 in = args + 8 * (r - BPF_REG_3);

		if (in <= 255) {
			emit(arm_ldrd_i(TMP_A_LO, ARM_SP, in), ctx);
			wr64(ctx, r, TMP_A_LO, TMP_A_HI);
			continue;
		}
		emit(arm_ldr_i(ARM_IP, ARM_SP, in), ctx);
		wr_lo(ctx, r, ARM_IP);
		emit(arm_ldr_i(ARM_IP, ARM_SP, in + 4), ctx);
		wr_hi(ctx, r, ARM_IP);
	}
}

/*
 * A stock-JIT'ed caller's tail call lands here (armjit_jit.h): undo its
 * frame as its epilogue does (sp = fp, pop {r4-r9, fp} and lr instead of
 * pc: sp, r4-r11 and lr are the original caller's again), with ctx and its
 * tail-call count in r0, r1 as armjit's own tail calls pass them. The
 * count is at most MAX_TAIL_CALL_CNT: its low word is enough.
 */
#define STOCK_SAVED_REGS	(0x03f0 | 1 << ARM_R11 | 1 << ARM_LR)

static void build_stock_stub(struct armjit_ctx *ctx)
{
	emit(arm_ldr_i(ARM_R1, ARM_R11, ARMJIT_STOCK_TCC_OFF), ctx);
	emit(arm_mov_r(ARM_R0, ARM_R2), ctx);
	emit(arm_mov_r(ARM_SP, ARM_R11), ctx);
	emit(arm_pop(STOCK_SAVED_REGS), ctx);
}

static void build_prologue(struct armjit_ctx *ctx)
{
	if (ctx->is_subprog) {
		build_subprog_prologue(ctx);
		return;
	}
	/* bpf_func: the tail-call counter starts at 0, if it is kept */
	if (ctx->flags & FLAG_TAIL_CALL)
		emit(ARMJIT_ENTRY_INSN, ctx);
	emit(arm_b(ARMJIT_TAIL_CALL_OFFSET / 4 - (ctx->idx + 2)), ctx);
	while (ctx->idx < ARMJIT_STOCK_PROLOGUE / 4)
		emit(ARMJIT_UDF, ctx);
	build_stock_stub(ctx);
	if (ctx->idx != ARMJIT_TAIL_CALL_OFFSET / 4)
		ctx->flags |= FLAG_BAD_INSN;	/* the layout is off */
	/* tail-call entry (ARMJIT_TAIL_CALL_OFFSET): r0 = ctx, r1 = count */
	if (ctx->saved)
		emit(arm_push(ctx->saved), ctx);
	if (ctx->frame_size)
		emit_dp_imm(ctx, ARM_DP_SUB, false, ARM_SP, ARM_SP,
			    ctx->frame_size, ARM_IP);
	if (ctx->flags & FLAG_TAIL_CALL)
		emit(arm_str_i(ARM_R1, ARM_SP, SLOT_TCC), ctx);
	/* R1 = ctx: a 32-bit pointer (left as it is if nothing reads it) */
	if (!(ctx->flags & FLAG_R1_LIVE))
		return;
	if (ctx->map[BPF_REG_1].lo != ARM_R0)
		wr_lo(ctx, BPF_REG_1, ARM_R0);
	emit(arm_mov_i(ctx->map[BPF_REG_1].hi, 0), ctx);
}

/* Undo the prologue, leaving lr = return address, r0, r1 and ip intact. */
static void emit_teardown(struct armjit_ctx *ctx, u8 tmp)
{
	emit_add_imm(ctx, ARM_SP, ARM_SP, ctx->frame_size, tmp);
}

static void build_epilogue(struct armjit_ctx *ctx)
{
	u8 lo, hi;

	/* u64 return: R0 in r0:r1 (a main program's caller takes r0) */
	rd64(ctx, BPF_REG_0, &lo, &hi, ARM_R0, ARM_R1);
	if (lo != ARM_R0)
		emit(arm_mov_r(ARM_R0, lo), ctx);
	if (hi != ARM_R1 && !ctx->ret32)
		emit(arm_mov_r(ARM_R1, hi), ctx);
	emit_teardown(ctx, ARM_IP);
	if (ctx->saved)
		emit(arm_pop((ctx->saved & ~(1 << ARM_LR)) | 1 << ARM_PC),
		     ctx);
	else
		emit(arm_bx(ARM_LR), ctx);
}

/*
 * The epilogue's length, to copy it to an exit instead of branching
 * there when that is short; a large number when it may need more.
 */
static int epilogue_words(const struct armjit_ctx *ctx)
{
	u32 f = ctx->frame_size;
	int n = 1;

	if (!is_mapped(ctx, BPF_REG_0))
		n++;		/* ldrd r0, r1 */
	else
		n += (ctx->map[BPF_REG_0].lo != ARM_R0) +
		     (ctx->map[BPF_REG_0].hi != ARM_R1 && !ctx->ret32);
	if (f)
		n += arm_imm_ok(f) || arm_imm_ok(-f) ? 1 : 8;
	return n;
}

/* ---- ALU ---------------------------------------------------------------- */

static enum arm_dp bpf2dp(u8 op)
{
	switch (op) {
	case BPF_ADD:
		return ARM_DP_ADD;
	case BPF_SUB:
		return ARM_DP_SUB;
	case BPF_AND:
		return ARM_DP_AND;
	case BPF_OR:
		return ARM_DP_ORR;
	default:
		return ARM_DP_EOR;
	}
}

/* log2(k) if k is a power of two, else -1 */
static int pow2(u64 k)
{
	int n = 0;

	if (!k || (k & (k - 1)))
		return -1;
	while (k >>= 1)
		n++;
	return n;
}

/* 64-bit shift of dl:dh by constant n (1..63) */
static void emit_shift64_k(struct armjit_ctx *ctx, u8 op, u8 dl, u8 dh, u8 n)
{
	switch (op) {
	case BPF_LSH:
		if (n < 32) {
			emit(arm_mov_si(dh, dh, ARM_LSL, n), ctx);
			emit(arm_orr_si(dh, dh, dl, ARM_LSR, 32 - n), ctx);
			emit(arm_mov_si(dl, dl, ARM_LSL, n), ctx);
		} else {
			emit(arm_mov_si(dh, dl, ARM_LSL, n - 32), ctx);
			emit(arm_mov_i(dl, 0), ctx);
		}
		break;
	case BPF_RSH:
		if (n < 32) {
			emit(arm_mov_si(dl, dl, ARM_LSR, n), ctx);
			emit(arm_orr_si(dl, dl, dh, ARM_LSL, 32 - n), ctx);
			emit(arm_mov_si(dh, dh, ARM_LSR, n), ctx);
		} else {
			emit(arm_mov_si(dl, dh, ARM_LSR, n - 32), ctx);
			emit(arm_mov_i(dh, 0), ctx);
		}
		break;
	case BPF_ARSH:
		if (n < 32) {
			emit(arm_mov_si(dl, dl, ARM_LSR, n), ctx);
			emit(arm_orr_si(dl, dl, dh, ARM_LSL, 32 - n), ctx);
			emit(arm_mov_si(dh, dh, ARM_ASR, n), ctx);
		} else {
			emit(arm_mov_si(dl, dh, ARM_ASR, n - 32), ctx);
			emit(arm_mov_si(dh, dh, ARM_ASR, 31), ctx);
		}
		break;
	}
}

/* Save r0-r3 (R1, R2 live there) around a call to a kernel routine. */
#define CALL_SAVED	0x000f

/* Store word src to BPF register r's word in or under the r0-r3 save area. */
static void wr_saved(struct armjit_ctx *ctx, u8 r, bool hi, u8 src,
		     s32 save_off)
{
	s8 own = hi ? ctx->map[r].hi : ctx->map[r].lo;

	if (own >= 0 && (CALL_SAVED & 1 << own))
		emit(arm_str_i(src, ARM_SP, save_off + 4 * own), ctx);
	else
		wr_half(ctx, r, hi, src);
}

/*
 * Call a kernel routine: one bl when the image's address is known and the
 * routine within +-32 MB of this instruction (the module area and kernel
 * text, always on these kernels), else through ip. The choice depends on
 * this instruction's own index, the same in the last sizing pass and the
 * final one. Not for bpf-to-bpf calls: their targets come in the extra
 * pass, which must keep the size.
 */
static void emit_call_addr(struct armjit_ctx *ctx, u32 addr)
{
	s32 off;

	flush_pending(ctx);	/* before its own index is taken */
	off = (s32)(addr - (ctx->image_addr + 4 * ctx->idx + 8));
	if (ctx->image_addr && !(off & 3) && off >= -(1 << 25) &&
	    off < (1 << 25)) {
		emit(arm_bl(off >> 2), ctx);
		return;
	}
	emit_mov_addr(ctx, ARM_IP, addr);
	emit(arm_blx_r(ARM_IP), ctx);
}

/*
 * 64-bit signed remainder after div64_s64(): r0:r1 = q, [sp] = dividend,
 * [sp + 8] = divisor; r0:r1 = dividend - q * divisor (what the kernel's
 * interpreter computes: truncated, INT64_MIN % -1 = 0).
 */
static void emit_srem64(struct armjit_ctx *ctx)
{
	emit(arm_ldr_i(ARM_R2, ARM_SP, 8), ctx);
	emit(arm_ldr_i(ARM_R3, ARM_SP, 12), ctx);
	emit(arm_umull(ARM_R10, ARM_R11, ARM_R0, ARM_R2), ctx);
	emit(arm_mla(ARM_R11, ARM_R0, ARM_R3, ARM_R11), ctx);
	emit(arm_mla(ARM_R11, ARM_R1, ARM_R2, ARM_R11), ctx);
	emit(arm_ldr_i(ARM_R0, ARM_SP, 0), ctx);
	emit(arm_ldr_i(ARM_R1, ARM_SP, 4), ctx);
	emit(arm_subs_r(ARM_R0, ARM_R0, ARM_R10), ctx);
	emit(arm_sbc_r(ARM_R1, ARM_R1, ARM_R11), ctx);
}

/*
 * DIV/MOD through a kernel routine: __aeabi_uidivmod/__aeabi_idivmod
 * (32-bit) or div64_u64 / div64_u64_rem / div64_s64 (64-bit; signed MOD
 * from the quotient). Divisor zero is handled before the call; the
 * routines themselves give INT_MIN / -1 = INT_MIN.
 */
static void emit_divmod_call(struct armjit_ctx *ctx, const struct bpf_insn *insn,
			     bool is64)
{
	bool mod = BPF_OP(insn->code) == BPF_MOD;
	bool sgn = insn->off == 1;
	u8 dst = insn->dst_reg, src = insn->src_reg;
	s32 extra = is64 ? 16 : 0;	/* rem and a pointer to it; or operands */
	u8 rs;

	emit(arm_push(CALL_SAVED), ctx);
	ctx->sp_adj += 16;
	if (extra) {
		emit(arm_sub_i(ARM_SP, ARM_SP, extra), ctx);
		ctx->sp_adj += extra;
	}
	/* divisor to ip:lr, dividend to r10:r11, then both to r0-r3 */
	if (BPF_SRC(insn->code) == BPF_X) {
		rs = rd_lo(ctx, src, TMP_B_LO);
		if (rs != TMP_B_LO)
			emit(arm_mov_r(TMP_B_LO, rs), ctx);
		if (is64) {
			rs = rd_hi(ctx, src, TMP_B_HI);
			if (rs != TMP_B_HI)
				emit(arm_mov_r(TMP_B_HI, rs), ctx);
		}
	}
	rs = rd_lo(ctx, dst, TMP_A_LO);
	emit(arm_mov_r(ARM_R0, rs), ctx);
	if (is64) {
		rs = rd_hi(ctx, dst, TMP_A_HI);
		emit(arm_mov_r(ARM_R1, rs), ctx);
	}
	if (BPF_SRC(insn->code) == BPF_X) {
		emit(arm_mov_r(is64 ? ARM_R2 : ARM_R1, TMP_B_LO), ctx);
		if (is64)
			emit(arm_mov_r(ARM_R3, TMP_B_HI), ctx);
	} else {
		emit_mov_imm(ctx, is64 ? ARM_R2 : ARM_R1, insn->imm);
		if (is64)
			emit_mov_imm(ctx, ARM_R3, insn->imm < 0 ? ~0U : 0);
	}

	if (!is64) {
		emit_call_addr(ctx, sgn ? armjit_rt.idivmod : armjit_rt.uidivmod);
		wr_saved(ctx, dst, false, mod ? ARM_R1 : ARM_R0, 0);
		if (!ctx->verifier_zext) {
			emit(arm_mov_i(ARM_R0, 0), ctx);
			wr_saved(ctx, dst, true, ARM_R0, 0);
		}
	} else if (sgn) {
		if (mod) {
			emit(arm_str_i(ARM_R0, ARM_SP, 0), ctx);
			emit(arm_str_i(ARM_R1, ARM_SP, 4), ctx);
			emit(arm_str_i(ARM_R2, ARM_SP, 8), ctx);
			emit(arm_str_i(ARM_R3, ARM_SP, 12), ctx);
		}
		emit_call_addr(ctx, armjit_rt.div64_s64);
		if (mod)
			emit_srem64(ctx);
		wr_saved(ctx, dst, false, ARM_R0, extra);
		wr_saved(ctx, dst, true, ARM_R1, extra);
	} else if (!mod) {
		emit_call_addr(ctx, armjit_rt.div64_u64);
		wr_saved(ctx, dst, false, ARM_R0, extra);
		wr_saved(ctx, dst, true, ARM_R1, extra);
	} else {
		emit(arm_add_i(ARM_IP, ARM_SP, 8), ctx);
		emit(arm_str_i(ARM_IP, ARM_SP, 0), ctx);
		emit_call_addr(ctx, armjit_rt.div64_u64_rem);
		emit(arm_ldr_i(ARM_R0, ARM_SP, 8), ctx);
		emit(arm_ldr_i(ARM_R1, ARM_SP, 12), ctx);
		wr_saved(ctx, dst, false, ARM_R0, extra);
		wr_saved(ctx, dst, true, ARM_R1, extra);
	}

	if (extra) {
		emit(arm_add_i(ARM_SP, ARM_SP, extra), ctx);
		ctx->sp_adj -= extra;
	}
	emit(arm_pop(CALL_SAVED), ctx);
	ctx->sp_adj -= 16;
}

/* dst = dst / 0 or dst % 0: 0, or dst unchanged (32-bit: zero-extended) */
static void emit_divmod_zero(struct armjit_ctx *ctx, u8 dst, bool mod,
			     bool is64)
{
	if (mod) {
		if (!is64)
			zext32(ctx, dst);
		return;
	}
	emit_ld_imm64(ctx, dst, 0, 0);
}

/*
 * Unsigned 64-bit DIV/MOD of values that fit 32 bits (both hi words 0;
 * K: 0 < imm) with one udiv, the common case; else it branches to the
 * routine call that follows. A divisor 0 needs no test here: udiv gives
 * 0, so dst / 0 = 0 and dst % 0 = dst. Returns the branch to fix past
 * the call.
 */
static int emit_udiv64_fast(struct armjit_ctx *ctx,
			    const struct bpf_insn *insn)
{
	bool mod = BPF_OP(insn->code) == BPF_MOD;
	u8 dst = insn->dst_reg, dl, dh, sl, sh;
	int slow, done;

	rd64(ctx, dst, &dl, &dh, TMP_A_LO, TMP_A_HI);
	if (BPF_SRC(insn->code) == BPF_X) {
		rd64(ctx, insn->src_reg, &sl, &sh, TMP_B_LO, TMP_B_HI);
		emit(arm_cmp_i(dh, 0), ctx);
		emit(arm_cond(ARM_COND_EQ, arm_cmp_i(sh, 0)), ctx);
	} else {
		sl = TMP_B_LO;
		emit_mov_imm(ctx, sl, insn->imm);
		emit(arm_cmp_i(dh, 0), ctx);
	}
	slow = emit_fwd(ctx, ARM_COND_NE);
	/* sh (maybe lr) is dead: lr takes the quotient for MOD */
	if (mod) {
		emit(arm_udiv(TMP_B_HI, dl, sl), ctx);
		emit(arm_mls(dl, TMP_B_HI, sl, dl), ctx);
		wr_lo(ctx, dst, dl);
	} else {
		emit(arm_udiv(dl, dl, sl), ctx);
		wr64(ctx, dst, dl, dh);	/* dh is 0 */
	}
	done = emit_fwd(ctx, ARM_COND_AL);
	fix_fwd(ctx, slow);
	return done;
}

static int emit_divmod(struct armjit_ctx *ctx, const struct bpf_insn *insn,
		       bool is64)
{
	bool mod = BPF_OP(insn->code) == BPF_MOD;
	bool sgn = insn->off == 1;	/* cpuv4 SDIV/SMOD */
	u8 dst = insn->dst_reg, src = insn->src_reg;
	u64 k = is64 ? (u64)(s64)insn->imm : (u32)insn->imm;
	int n, zero = -1, done, fast = -1;
	u8 dl, dh, sl, sh;

	if (insn->off != 0 && insn->off != 1)
		return -EINVAL;

	if (BPF_SRC(insn->code) == BPF_K) {
		if (!k) {
			emit_divmod_zero(ctx, dst, mod, is64);
			return 0;
		}
		n = sgn ? -1 : pow2(k);
		if (n >= 0 && n < 32) {
			/* by 2^n: a shift or a mask */
			dl = rd_lo(ctx, dst, TMP_A_LO);
			if (mod) {
				emit_dp_imm(ctx, ARM_DP_AND, false, dl, dl,
					    (u32)k - 1, TMP_B_LO);
			} else if (is64 && n) {
				dh = rd_hi(ctx, dst, TMP_A_HI);
				emit_shift64_k(ctx, BPF_RSH, dl, dh, n);
				wr_hi(ctx, dst, dh);
			} else if (n) {
				emit(arm_mov_si(dl, dl, ARM_LSR, n), ctx);
			}
			wr_lo(ctx, dst, dl);
			if (is64 && mod)
				zero_hi(ctx, dst);
			else if (!is64)
				zext32(ctx, dst);
			return 0;
		}
	}

	if (!is64 && armjit_rt.hwdiv) {
		dl = rd_lo(ctx, dst, TMP_A_LO);
		if (BPF_SRC(insn->code) == BPF_K) {
			emit_mov_imm(ctx, TMP_B_LO, k);
			sl = TMP_B_LO;
		} else {
			sl = rd_lo(ctx, src, TMP_B_LO);
		}
		/*
		 * udiv/sdiv give 0 for / 0; mod then keeps dst. sdiv gives
		 * INT_MIN / -1 = INT_MIN, so INT_MIN % -1 = 0.
		 */
		if (mod) {
			emit(sgn ? arm_sdiv(TMP_B_HI, dl, sl) :
				   arm_udiv(TMP_B_HI, dl, sl), ctx);
			emit(arm_mls(dl, TMP_B_HI, sl, dl), ctx);
		} else {
			emit(sgn ? arm_sdiv(dl, dl, sl) : arm_udiv(dl, dl, sl),
			     ctx);
		}
		wr_lo(ctx, dst, dl);
		zext32(ctx, dst);
		return 0;
	}

	if (is64 && !sgn && armjit_rt.hwdiv &&
	    (BPF_SRC(insn->code) == BPF_X || insn->imm > 0))
		fast = emit_udiv64_fast(ctx, insn);
	if (BPF_SRC(insn->code) == BPF_X) {
		sl = rd_lo(ctx, src, TMP_B_LO);
		if (is64) {
			sh = rd_hi(ctx, src, TMP_B_HI);
			emit(arm_orrs_r(ARM_IP, sl, sh), ctx);
		} else {
			emit(arm_cmp_i(sl, 0), ctx);
		}
		zero = emit_fwd(ctx, ARM_COND_EQ);
	}
	emit_divmod_call(ctx, insn, is64);
	if (zero >= 0) {
		done = emit_fwd(ctx, ARM_COND_AL);
		fix_fwd(ctx, zero);
		emit_divmod_zero(ctx, dst, mod, is64);
		fix_fwd(ctx, done);
	}
	if (fast >= 0)
		fix_fwd(ctx, fast);
	return 0;
}

/*
 * 64-bit shift of dl:dh by ip (0..63), lr scratch. Register shifts use the
 * bottom byte: 32 and more give 0 (lsl/lsr) or the sign (asr), and a
 * negative n - 32 reads as 224..255.
 */
static void emit_shift64_x(struct armjit_ctx *ctx, u8 op, u8 dl, u8 dh)
{
	const u8 n = ARM_IP, t = ARM_LR;

	switch (op) {
	case BPF_LSH:
		emit(arm_sub_i(t, n, 32), ctx);
		emit(arm_mov_sr(dh, dh, ARM_LSL, n), ctx);
		emit(arm_orr_sr(dh, dh, dl, ARM_LSL, t), ctx);	/* n >= 32 */
		emit(arm_rsb_i(t, n, 32), ctx);
		emit(arm_orr_sr(dh, dh, dl, ARM_LSR, t), ctx);	/* n <= 32 */
		emit(arm_mov_sr(dl, dl, ARM_LSL, n), ctx);
		break;
	case BPF_RSH:
		emit(arm_sub_i(t, n, 32), ctx);
		emit(arm_mov_sr(dl, dl, ARM_LSR, n), ctx);
		emit(arm_orr_sr(dl, dl, dh, ARM_LSR, t), ctx);	/* n >= 32 */
		emit(arm_rsb_i(t, n, 32), ctx);
		emit(arm_orr_sr(dl, dl, dh, ARM_LSL, t), ctx);	/* n <= 32 */
		emit(arm_mov_sr(dh, dh, ARM_LSR, n), ctx);
		break;
	case BPF_ARSH:
		emit(arm_mov_sr(dl, dl, ARM_LSR, n), ctx);
		emit(arm_rsb_i(t, n, 32), ctx);
		emit(arm_orr_sr(dl, dl, dh, ARM_LSL, t), ctx);	/* n <= 32 */
		emit(arm_subs_i(t, n, 32), ctx);
		emit(arm_cond(ARM_COND_PL,
			      arm_orr_sr(dl, dl, dh, ARM_ASR, t)), ctx);
		emit(arm_mov_sr(dh, dh, ARM_ASR, n), ctx);
		break;
	}
}

/* BPF_END: byte swaps (ALU: to_le/to_be; ALU64, cpuv4: unconditional) */
static int emit_end(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	bool swap = BPF_CLASS(insn->code) == BPF_ALU64 ||
		    BPF_SRC(insn->code) == BPF_TO_BE;
	u8 dst = insn->dst_reg, dl, dh;

	if (insn->imm != 16 && insn->imm != 32 && insn->imm != 64)
		return -EINVAL;
	dl = rd_lo(ctx, dst, TMP_A_LO);
	switch (insn->imm) {
	case 16:
		if (swap)
			emit(arm_rev16(dl, dl), ctx);
		emit(arm_uxth(dl, dl), ctx);
		break;
	case 32:
		if (swap)
			emit(arm_rev(dl, dl), ctx);
		break;
	case 64:
		if (!swap)
			return 0;
		dh = rd_hi(ctx, dst, TMP_A_HI);
		emit(arm_rev(ARM_IP, dl), ctx);
		emit(arm_rev(dl, dh), ctx);
		emit(arm_mov_r(dh, ARM_IP), ctx);
		wr_hi(ctx, dst, dh);
		break;
	}
	wr_lo(ctx, dst, dl);
	if (insn->imm != 64)
		zero_hi(ctx, dst);
	return 0;
}

/*
 * The low word of BPF register r when the registers hold it as a known
 * constant (its own ARM register, or a scratch mirroring its slot).
 */
static bool lo_const(const struct armjit_ctx *ctx, u8 r, u32 *v)
{
	int i;

	if (r == BPF_REG_FP)
		return false;
	if (is_mapped(ctx, r)) {
		i = ctx->map[r].lo;
		if (!(ctx->kmask & 1U << i))
			return false;
		*v = ctx->kval[i];
		return true;
	}
	for (i = 0; i < ARMJIT_NR_CACHED; i++) {
		u8 reg = cache_regs[i];

		if (ctx->cached[i] == slot_off(ctx, r, false) &&
		    (ctx->kmask & 1U << reg)) {
			*v = ctx->kval[reg];
			return true;
		}
	}
	return false;
}

/*
 * A shift by a register holding a known amount is the shift by that
 * constant (BPF masks the amount to 31 or 63): a few instructions, not
 * the variable shift's sequence. Returns the insn to translate.
 */
static const struct bpf_insn *shift_by_const(const struct armjit_ctx *ctx,
					     const struct bpf_insn *insn,
					     struct bpf_insn *tmp)
{
	u8 op = BPF_OP(insn->code);
	u32 v;

	if (BPF_SRC(insn->code) != BPF_X ||
	    (op != BPF_LSH && op != BPF_RSH && op != BPF_ARSH) ||
	    !lo_const(ctx, insn->src_reg, &v))
		return insn;
	*tmp = *insn;
	tmp->code = BPF_CLASS(insn->code) | op | BPF_K;
	tmp->src_reg = 0;
	tmp->imm = v & (BPF_CLASS(insn->code) == BPF_ALU64 ? 63 : 31);
	return tmp;
}

static int emit_alu32(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	u8 op = BPF_OP(insn->code), dst = insn->dst_reg, src = insn->src_reg;
	bool k = BPF_SRC(insn->code) == BPF_K;
	u32 imm = insn->imm;
	u8 dl, sl;

	switch (op) {
	case BPF_MOV:
		if (insn->off) {
			/* movsx (cpuv4): sign-extend the low 8/16 bits */
			if (k || (insn->off != 8 && insn->off != 16))
				return -EINVAL;
			sl = rd_lo(ctx, src, TMP_A_LO);
			dl = dst_lo(ctx, dst, TMP_A_LO);
			emit(insn->off == 8 ? arm_sxtb(dl, sl) : arm_sxth(dl, sl),
			     ctx);
			wr_lo(ctx, dst, dl);
			zext32(ctx, dst);
			return 0;
		}
		/* imm 1: the verifier's explicit zero-extension */
		if (!k && imm == 1 && src == dst) {
			zero_hi(ctx, dst);
			return 0;
		}
		if (k) {
			dl = dst_lo(ctx, dst, TMP_A_LO);
			emit_mov_imm(ctx, dl, imm);
		} else {
			dl = rd_lo(ctx, src, TMP_A_LO);
		}
		wr_lo(ctx, dst, dl);
		if (!k && imm == 1)
			zero_hi(ctx, dst);
		else
			zext32(ctx, dst);
		return 0;
	case BPF_DIV:
	case BPF_MOD:
		return emit_divmod(ctx, insn, false);
	case BPF_END:
		return emit_end(ctx, insn);
	}

	dl = rd_lo(ctx, dst, TMP_A_LO);
	sl = k ? TMP_B_LO : src == dst ? dl : rd_lo(ctx, src, TMP_B_LO);
	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		if (k)
			emit_dp_imm(ctx, bpf2dp(op), false, dl, dl, imm,
				    TMP_B_LO);
		else
			emit(arm_dp_reg(bpf2dp(op), false, dl, dl, sl), ctx);
		break;
	case BPF_MUL:
		if (k)
			emit_mov_imm(ctx, sl, imm);
		emit(arm_mul(dl, dl, sl), ctx);
		break;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH: {
		enum arm_shift t = op == BPF_LSH ? ARM_LSL :
				   op == BPF_RSH ? ARM_LSR : ARM_ASR;

		if (k) {
			emit(arm_mov_si(dl, dl, t, imm & 31), ctx);
		} else {
			emit(arm_and_i(TMP_B_LO, sl, 31), ctx);
			emit(arm_mov_sr(dl, dl, t, TMP_B_LO), ctx);
		}
		break;
	}
	case BPF_NEG:
		emit(arm_rsb_i(dl, dl, 0), ctx);
		break;
	default:
		return -EOPNOTSUPP;
	}
	wr_lo(ctx, dst, dl);
	zext32(ctx, dst);
	return 0;
}

/* movsx (cpuv4): dst = (s8/s16/s32)src, sign-extended to 64 bits */
static int emit_movsx64(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	u8 dst = insn->dst_reg, sl, dl, dh;

	if (BPF_SRC(insn->code) != BPF_X ||
	    (insn->off != 8 && insn->off != 16 && insn->off != 32))
		return -EINVAL;
	sl = rd_lo(ctx, insn->src_reg, TMP_A_LO);
	dl = dst_lo(ctx, dst, TMP_A_LO);
	dh = dst_hi(ctx, dst, TMP_A_HI);
	if (insn->off == 8)
		emit(arm_sxtb(dl, sl), ctx);
	else if (insn->off == 16)
		emit(arm_sxth(dl, sl), ctx);
	else if (dl != sl)
		emit(arm_mov_r(dl, sl), ctx);
	emit(arm_mov_si(dh, dl, ARM_ASR, 31), ctx);
	wr_lo(ctx, dst, dl);
	wr_hi(ctx, dst, dh);
	return 0;
}

/*
 * An ALU64 op whose hi word nothing reads: its lo word as the 32-bit op
 * computes it (add, sub, and, or, xor, mul, neg, a left shift by less
 * than 32), or from both words for a right shift by K. False for the
 * other ops: they compute both words.
 */
static bool emit_alu64_lo(struct armjit_ctx *ctx, const struct bpf_insn *insn,
			  int *ret)
{
	u8 op = BPF_OP(insn->code), dst = insn->dst_reg, n = insn->imm & 63;
	bool k = BPF_SRC(insn->code) == BPF_K;
	struct bpf_insn alu32 = *insn;
	u8 dl, dh;

	if ((op == BPF_RSH || op == BPF_ARSH) && k && n) {
		rd64(ctx, dst, &dl, &dh, TMP_A_LO, TMP_A_HI);
		if (n < 32) {
			emit(arm_mov_si(dl, dl, ARM_LSR, n), ctx);
			emit(arm_orr_si(dl, dl, dh, ARM_LSL, 32 - n), ctx);
		} else {
			emit(arm_mov_si(dl, dh, op == BPF_RSH ? ARM_LSR : ARM_ASR,
					n - 32), ctx);
		}
		wr_lo(ctx, dst, dl);
		*ret = 0;
		return true;
	}
	if (op != BPF_ADD && op != BPF_SUB && op != BPF_AND && op != BPF_OR &&
	    op != BPF_XOR && op != BPF_MUL && op != BPF_NEG &&
	    !(op == BPF_LSH && k && n < 32))
		return false;
	alu32.code = BPF_ALU | op | BPF_SRC(insn->code);
	*ret = emit_alu32(ctx, &alu32);
	return true;
}

static int emit_alu64(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	u8 op = BPF_OP(insn->code), dst = insn->dst_reg, src = insn->src_reg;
	bool k = BPF_SRC(insn->code) == BPF_K;
	u32 imm = insn->imm, imm_hi = insn->imm < 0 ? ~0U : 0;
	u8 dl, dh, sl = 0, sh = 0;
	int ret;

	switch (op) {
	case BPF_MOV:
		if (insn->off)
			return emit_movsx64(ctx, insn);
		if (k) {
			emit_ld_imm64(ctx, dst, imm, imm_hi);
		} else if (src != dst && (!word_live(ctx, dst, true) ||
					  (hi_zero(ctx, dst) &&
					   hi_zero(ctx, src)))) {
			sl = rd_lo(ctx, src, dst_lo(ctx, dst, TMP_A_LO));
			wr_lo(ctx, dst, sl);
		} else if (src != dst) {
			supersede_pending(ctx, dst);
			rd64(ctx, src, &sl, &sh, dst_lo(ctx, dst, TMP_A_LO),
			     dst_hi(ctx, dst, TMP_A_HI));
			wr64(ctx, dst, sl, sh);
		}
		return 0;
	case BPF_DIV:
	case BPF_MOD:
		return emit_divmod(ctx, insn, true);
	case BPF_END:
		return emit_end(ctx, insn);
	}
	if (!word_live(ctx, dst, true) && emit_alu64_lo(ctx, insn, &ret))
		return ret;

	rd64(ctx, dst, &dl, &dh, TMP_A_LO, TMP_A_HI);
	if (!k && op != BPF_NEG) {
		/* r10:r11 (one ldrd) when dst doesn't need them */
		u8 tl = is_mapped(ctx, dst) ? TMP_A_LO : TMP_B_LO;
		u8 th = is_mapped(ctx, dst) ? TMP_A_HI : TMP_B_HI;

		if (src == dst) {
			sl = dl;	/* read before any is written */
			sh = dh;
		} else if (op != BPF_LSH && op != BPF_RSH && op != BPF_ARSH) {
			rd64(ctx, src, &sl, &sh, tl, th);
		} else {
			sl = rd_lo(ctx, src, tl);
		}
	}
	/* dst read: a straight sequence then stores both words */
	if (k || (op != BPF_LSH && op != BPF_RSH && op != BPF_ARSH))
		supersede_pending(ctx, dst);
	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
		if (k) {
			emit_dp_imm(ctx, bpf2dp(op), true, dl, dl, imm,
				    TMP_B_LO);
			emit_dp_imm(ctx, op == BPF_ADD ? ARM_DP_ADC : ARM_DP_SBC,
				    false, dh, dh, imm_hi, TMP_B_LO);
		} else {
			emit(arm_dp_reg(bpf2dp(op), true, dl, dl, sl), ctx);
			emit(arm_dp_reg(op == BPF_ADD ? ARM_DP_ADC : ARM_DP_SBC,
					false, dh, dh, sh), ctx);
		}
		break;
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		if (!k) {
			emit(arm_dp_reg(bpf2dp(op), false, dl, dl, sl), ctx);
			emit(arm_dp_reg(bpf2dp(op), false, dh, dh, sh), ctx);
			break;
		}
		emit_dp_imm(ctx, bpf2dp(op), false, dl, dl, imm, TMP_B_LO);
		/* hi word of the constant: 0 or ~0 */
		if (op == BPF_AND && !imm_hi)
			emit(arm_mov_i(dh, 0), ctx);
		else if (op == BPF_OR && imm_hi)
			emit(arm_mvn_i(dh, 0), ctx);
		else if (op == BPF_XOR && imm_hi)
			emit(arm_mvn_r(dh, dh), ctx);
		break;
	case BPF_MUL:
		if (k) {
			emit_mov_imm(ctx, TMP_B_LO, imm);
			emit_mov_imm(ctx, TMP_B_HI, imm_hi);
			sl = TMP_B_LO;
			sh = TMP_B_HI;
		}
		if (sl == TMP_B_LO && sh == TMP_B_HI) {
			/* src in ip:lr: lr free after its one use */
			emit(arm_mul(ARM_LR, dl, ARM_LR), ctx);
			emit(arm_mla(ARM_LR, dh, ARM_IP, ARM_LR), ctx);
			emit(arm_umull(dl, dh, dl, ARM_IP), ctx);
			emit(arm_add_r(dh, dh, ARM_LR), ctx);
		} else {
			/*
			 * src in its own registers (maybe dst's) or r10:r11:
			 * dh is read before umull writes it (no lr, which a
			 * leaf program would have to save)
			 */
			emit(arm_mul(ARM_IP, dl, sh), ctx);
			emit(arm_mla(ARM_IP, dh, sl, ARM_IP), ctx);
			emit(arm_umull(dl, dh, dl, sl), ctx);
			emit(arm_add_r(dh, dh, ARM_IP), ctx);
		}
		break;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		if (k) {
			if (imm & 63)
				emit_shift64_k(ctx, op, dl, dh, imm & 63);
		} else {
			emit(arm_and_i(ARM_IP, sl, 63), ctx);
			emit_shift64_x(ctx, op, dl, dh);
		}
		break;
	case BPF_NEG:
		emit(arm_rsbs_i(dl, dl, 0), ctx);
		emit(arm_rsc_i(dh, dh, 0), ctx);
		break;
	default:
		return -EOPNOTSUPP;
	}
	wr64(ctx, dst, dl, dh);
	return 0;
}

/* ---- Loads and stores --------------------------------------------------- */

/*
 * Base register for [BPF reg r + *off] reaching *off .. *off + span - 1 with
 * an immediate form of range +-lim; else the address goes to r11, off 0.
 */
static u8 mem_base(struct armjit_ctx *ctx, u8 r, s32 *off, s32 span, s32 lim)
{
	u8 base;

	if (r == BPF_REG_FP) {
		base = ARM_SP;
		*off += fp_off(ctx);
	} else {
		/* r11: r10 often holds a stacked dst's word still */
		base = rd_lo(ctx, r, TMP_A_HI);
	}
	if (*off >= -lim && *off + span - 1 <= lim)
		return base;
	emit_add_imm(ctx, TMP_A_HI, base, *off, TMP_A_LO);
	*off = 0;
	return TMP_A_HI;
}

static s32 size_lim(u8 size)
{
	return size == BPF_H ? 255 : 4095;
}

static u32 arm_load(u8 size, u8 rt, u8 rn, s32 off)
{
	switch (size) {
	case BPF_B:
		return arm_ldrb_i(rt, rn, off);
	case BPF_H:
		return arm_ldrh_i(rt, rn, off);
	default:
		return arm_ldr_i(rt, rn, off);
	}
}

static u32 arm_store(u8 size, u8 rt, u8 rn, s32 off)
{
	switch (size) {
	case BPF_B:
		return arm_strb_i(rt, rn, off);
	case BPF_H:
		return arm_strh_i(rt, rn, off);
	default:
		return arm_str_i(rt, rn, off);
	}
}

/*
 * ldrd/strd at [base + off] for lo:hi: only on the BPF stack (sp-based,
 * where the verifier keeps DW accesses aligned; ldrd/strd fault on an
 * unaligned word even where ldr/str don't) and with an even/odd pair.
 */
static bool sp_pair_ok(u8 base, s32 off, u8 lo, u8 hi)
{
	return base == ARM_SP && !(off & 3) && off >= 0 && off <= 255 &&
	       is_pair(lo, hi);
}

/* LDX MEMSX (cpuv4): B/H/W sign-extended to 64 bits */
static int emit_ldx_sx(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	u8 size = BPF_SIZE(insn->code), dst = insn->dst_reg;
	s32 off = insn->off;
	u8 base, dl, dh;

	if (size == BPF_DW)
		return -EINVAL;
	/* ldrsb has the halfword forms' 8-bit offset */
	base = mem_base(ctx, insn->src_reg, &off, 1,
			size == BPF_W ? 4095 : 255);
	dl = dst_lo(ctx, dst, TMP_B_LO);
	if (size == BPF_B)
		emit(arm_ldrsb_i(dl, base, off), ctx);
	else if (size == BPF_H)
		emit(arm_ldrsh_i(dl, base, off), ctx);
	else
		emit(arm_ldr_i(dl, base, off), ctx);
	dh = dst_hi(ctx, dst, TMP_B_HI);
	emit(arm_mov_si(dh, dl, ARM_ASR, 31), ctx);
	wr_lo(ctx, dst, dl);
	wr_hi(ctx, dst, dh);
	return 0;
}

static int emit_ldx(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	u8 size = BPF_SIZE(insn->code), dst = insn->dst_reg;
	s32 off = insn->off;
	u8 base, dl, dh;

	if (BPF_MODE(insn->code) == BPF_MEMSX)
		return emit_ldx_sx(ctx, insn);
	if (BPF_MODE(insn->code) != BPF_MEM)
		return -EOPNOTSUPP;	/* PROBE_MEM */
	base = mem_base(ctx, insn->src_reg, &off, size == BPF_DW ? 8 : 1,
			size_lim(size));
	dl = dst_lo(ctx, dst, TMP_B_LO);
	if (size != BPF_DW) {
		emit(arm_load(size, dl, base, off), ctx);
		wr_lo(ctx, dst, dl);
		zext32(ctx, dst);
		return 0;
	}
	/* a stacked dst in r10:r11: one strd */
	dl = dst_lo(ctx, dst, TMP_A_LO);
	dh = dst_hi(ctx, dst, TMP_A_HI);
	if (sp_pair_ok(base, off, dl, dh)) {
		emit(arm_ldrd_i(dl, ARM_SP, off), ctx);
	} else if (dl == base) {
		emit(arm_ldr_i(dh, base, off + 4), ctx);
		emit(arm_ldr_i(dl, base, off), ctx);
	} else {
		emit(arm_ldr_i(dl, base, off), ctx);
		emit(arm_ldr_i(dh, base, off + 4), ctx);
	}
	wr64(ctx, dst, dl, dh);
	return 0;
}

/* STX/ST DW into the BPF stack: src (or imm) in a pair, one strd */
static bool emit_st_dw_fp(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	s32 off = insn->off + fp_off(ctx);
	u8 sl, sh;

	if (insn->dst_reg != BPF_REG_FP || !sp_pair_ok(ARM_SP, off, 0, 1))
		return false;
	if (BPF_CLASS(insn->code) == BPF_ST) {
		emit_mov_imm(ctx, TMP_A_LO, insn->imm);
		emit(insn->imm < 0 ? arm_mvn_i(TMP_A_HI, 0) :
				     arm_mov_i(TMP_A_HI, 0), ctx);
		sl = TMP_A_LO;
		sh = TMP_A_HI;
	} else {
		rd64(ctx, insn->src_reg, &sl, &sh, TMP_A_LO, TMP_A_HI);
		if (!is_pair(sl, sh))
			return false;	/* nothing emitted: mapped */
	}
	emit(arm_strd_i(sl, ARM_SP, off), ctx);
	return true;
}

/*
 * A register holding what a B/H/W store stores (the constant, or the
 * stacked src's word, per the scratch cache) that mem_base() leaves
 * alone: not r11 (a stacked base), not r10 when the offset needs adding.
 */
static bool st_src_held(struct armjit_ctx *ctx, const struct bpf_insn *insn,
			u8 *reg)
{
	s32 off = insn->off + (insn->dst_reg == BPF_REG_FP ? fp_off(ctx) : 0);
	s32 lim = size_lim(BPF_SIZE(insn->code));
	u16 ok = 0x1fff | 1U << ARM_LR;	/* r0-r12, lr */
	int r;

	ok &= ~(1U << TMP_A_HI);
	if (off < -lim || off > lim)
		ok &= ~(1U << TMP_A_LO);
	for (r = 0; r <= ARM_LR; r++) {
		if (!(ok & 1U << r))
			continue;
		if (BPF_CLASS(insn->code) == BPF_ST ?
		    known(ctx, r, insn->imm) :
		    !is_mapped(ctx, insn->src_reg) &&
		    insn->src_reg != BPF_REG_FP &&
		    cache_has(ctx, r, slot_off(ctx, insn->src_reg, false))) {
			*reg = r;
			return true;
		}
	}
	return false;
}

/* ST (imm) and STX MEM */
static int emit_st(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	u8 size = BPF_SIZE(insn->code), src = insn->src_reg;
	bool k = BPF_CLASS(insn->code) == BPF_ST;
	s32 off = insn->off;
	u8 base, sl, sh = 0;

	if (size == BPF_DW && emit_st_dw_fp(ctx, insn))
		return 0;
	if (size != BPF_DW && st_src_held(ctx, insn, &sl)) {
		/* the value is in a register already */
	} else if (k) {
		emit_mov_imm(ctx, TMP_B_LO, insn->imm);
		sl = TMP_B_LO;
		if (size == BPF_DW) {
			emit(insn->imm < 0 ? arm_mvn_i(TMP_B_HI, 0) :
					     arm_mov_i(TMP_B_HI, 0), ctx);
			sh = TMP_B_HI;
		}
	} else {
		sl = rd_lo(ctx, src, TMP_B_LO);
		if (size == BPF_DW)
			sh = rd_hi(ctx, src, TMP_B_HI);
	}
	base = mem_base(ctx, insn->dst_reg, &off, size == BPF_DW ? 8 : 1,
			size_lim(size));
	emit(arm_store(size, sl, base, off), ctx);
	if (size == BPF_DW)
		emit(arm_str_i(sh, base, off + 4), ctx);
	return 0;
}

/* ---- Atomics ------------------------------------------------------------ */

/*
 * ldrex/strex loop between full barriers. r4-r7 are pushed to make room:
 * ip = address, r4:r5 = old value, r6:r7 = src value, r10:r11 = new value
 * (or R0 for cmpxchg), lr = strex status. Operands are read before any of
 * these is overwritten; results for R6/R7 go into the pushed copies.
 */
#define ATOMIC_SAVED	0x00f0

static void wr_atomic(struct armjit_ctx *ctx, u8 r, bool hi, u8 src)
{
	s8 own = hi ? ctx->map[r].hi : ctx->map[r].lo;

	if (own >= 0 && (ATOMIC_SAVED & 1 << own))
		emit(arm_str_i(src, ARM_SP, 4 * (own - ARM_R4)), ctx);
	else
		wr_half(ctx, r, hi, src);
}

/*
 * A non-fetch add/and/or/xor of a src in a pair of its own: no barriers
 * (unordered, as the kernel's atomic64_add() and the interpreter's), no
 * push: r10:r11 take the old and new value, ip the address (or dst's own
 * register), lr the status. The loop writes only those, so what the
 * scratch cache knew before it holds after it, but for the BPF stack,
 * and ip's stack address is kept for the next atomic on the stack.
 */
static bool emit_atomic_plain(struct armjit_ctx *ctx,
			      const struct bpf_insn *insn, bool dw)
{
	u8 op = insn->imm, dst = insn->dst_reg, src = insn->src_reg;
	s32 sp_off = fp_off(ctx) + insn->off;
	u8 sl, sh, base = ARM_IP, r;
	s32 cached[ARMJIT_NR_CACHED];
	u32 kval[16];
	u16 kmask;
	int loop;

	if ((op != BPF_ADD && op != BPF_AND && op != BPF_OR &&
	     op != BPF_XOR) || !is_mapped(ctx, src) || ctx->sp_adj)
		return false;
	sl = ctx->map[src].lo;
	sh = ctx->map[src].hi;
	if (dst == BPF_REG_FP) {
		if (!ctx->ip_sp_ok || ctx->ip_sp != sp_off)
			emit_add_imm(ctx, ARM_IP, ARM_SP, sp_off, ARM_IP);
	} else if (is_mapped(ctx, dst) && !insn->off) {
		base = ctx->map[dst].lo;
	} else {
		r = rd_lo(ctx, dst, ARM_IP);
		emit_add_imm(ctx, ARM_IP, r, insn->off, ARM_LR);
	}
	flush_pending(ctx);
	memcpy(cached, ctx->cached, sizeof(cached));
	memcpy(kval, ctx->kval, sizeof(kval));
	kmask = ctx->kmask;
	land(ctx);	/* the loop's head */
	loop = ctx->idx;
	emit(dw ? arm_ldrexd(ARM_R10, base) : arm_ldrex(ARM_R10, base), ctx);
	if (op == BPF_ADD) {
		emit(arm_dp_reg(ARM_DP_ADD, dw, ARM_R10, ARM_R10, sl), ctx);
		if (dw)
			emit(arm_adc_r(ARM_R11, ARM_R11, sh), ctx);
	} else {
		emit(arm_dp_reg(bpf2dp(op), false, ARM_R10, ARM_R10, sl), ctx);
		if (dw)
			emit(arm_dp_reg(bpf2dp(op), false, ARM_R11, ARM_R11,
					sh), ctx);
	}
	emit(dw ? arm_strexd(ARM_LR, ARM_R10, base) :
		  arm_strex(ARM_LR, ARM_R10, base), ctx);
	emit(arm_cmp_i(ARM_LR, 0), ctx);
	emit_b(ctx, ARM_COND_NE, loop);
	/* as before the loop, less r10, r11, lr and the BPF stack */
	memcpy(ctx->cached, cached, sizeof(cached));
	memcpy(ctx->kval, kval, sizeof(kval));
	ctx->kmask = kmask;
	cache_forget(ctx, ARM_R10);
	cache_forget(ctx, ARM_R11);
	cache_forget(ctx, ARM_LR);
	cache_forget_bpf_stack(ctx);
	if (dst == BPF_REG_FP) {
		ctx->ip_sp_ok = true;
		ctx->ip_sp = sp_off;
	}
	return true;
}

static int emit_atomic(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	bool dw = BPF_SIZE(insn->code) == BPF_DW;
	u8 dst = insn->dst_reg, src = insn->src_reg;
	s32 op = insn->imm;
	int loop, out = -1;
	u8 r;

	if (BPF_SIZE(insn->code) != BPF_W && !dw)
		return -EINVAL;
	switch (op) {
	case BPF_ADD:
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
	case BPF_ADD | BPF_FETCH:
	case BPF_AND | BPF_FETCH:
	case BPF_OR | BPF_FETCH:
	case BPF_XOR | BPF_FETCH:
	case BPF_XCHG:
	case BPF_CMPXCHG:
		break;
	default:
		return -EOPNOTSUPP;
	}

	if (emit_atomic_plain(ctx, insn, dw))
		return 0;
	emit(arm_push(ATOMIC_SAVED), ctx);
	ctx->sp_adj += 16;
	/* ip = dst + off */
	if (dst == BPF_REG_FP) {
		emit_add_imm(ctx, ARM_IP, ARM_SP, fp_off(ctx) + insn->off,
			     ARM_IP);
	} else {
		r = rd_lo(ctx, dst, ARM_IP);
		emit_add_imm(ctx, ARM_IP, r, insn->off, ARM_LR);
	}
	/* R0 first: it may live in r6:r7 */
	if (op == BPF_CMPXCHG) {
		r = rd_lo(ctx, BPF_REG_0, ARM_R10);
		if (r != ARM_R10)
			emit(arm_mov_r(ARM_R10, r), ctx);
		if (dw) {
			r = rd_hi(ctx, BPF_REG_0, ARM_R11);
			if (r != ARM_R11)
				emit(arm_mov_r(ARM_R11, r), ctx);
		}
	}
	/* r6:r7 = src: read from r4/r5 before they are overwritten */
	r = rd_lo(ctx, src, ARM_R6);
	if (dw) {
		/* src hi can't be r6 unless src lo was r6 too */
		if (r != ARM_R6)
			emit(arm_mov_r(ARM_R6, r), ctx);
		r = rd_hi(ctx, src, ARM_R7);
		if (r != ARM_R7)
			emit(arm_mov_r(ARM_R7, r), ctx);
	} else if (r != ARM_R6) {
		emit(arm_mov_r(ARM_R6, r), ctx);
	}

	emit(arm_dmb_ish(), ctx);
	land(ctx);	/* the loop's head */
	loop = ctx->idx;
	emit(dw ? arm_ldrexd(ARM_R4, ARM_IP) : arm_ldrex(ARM_R4, ARM_IP), ctx);
	switch (op & ~BPF_FETCH) {
	case BPF_ADD:
		emit(arm_dp_reg(ARM_DP_ADD, dw, ARM_R10, ARM_R4, ARM_R6), ctx);
		if (dw)
			emit(arm_adc_r(ARM_R11, ARM_R5, ARM_R7), ctx);
		break;
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		emit(arm_dp_reg(bpf2dp(op & ~BPF_FETCH), false,
				ARM_R10, ARM_R4, ARM_R6), ctx);
		if (dw)
			emit(arm_dp_reg(bpf2dp(op & ~BPF_FETCH), false,
					ARM_R11, ARM_R5, ARM_R7), ctx);
		break;
	case BPF_CMPXCHG & ~BPF_FETCH:
		emit(arm_cmp_r(ARM_R4, ARM_R10), ctx);
		if (dw)
			emit(arm_cond(ARM_COND_EQ,
				      arm_cmp_r(ARM_R5, ARM_R11)), ctx);
		out = emit_fwd(ctx, ARM_COND_NE);
		break;
	}
	r = (op == BPF_XCHG || op == BPF_CMPXCHG) ? ARM_R6 : ARM_R10;
	emit(dw ? arm_strexd(ARM_LR, r, ARM_IP) : arm_strex(ARM_LR, r, ARM_IP),
	     ctx);
	emit(arm_cmp_i(ARM_LR, 0), ctx);
	emit_b(ctx, ARM_COND_NE, loop);
	if (out >= 0)
		fix_fwd(ctx, out);
	emit(arm_dmb_ish(), ctx);

	if (op & BPF_FETCH) {
		r = op == BPF_CMPXCHG ? BPF_REG_0 : src;
		wr_atomic(ctx, r, false, ARM_R4);
		if (!dw)
			emit(arm_mov_i(ARM_R5, 0), ctx);
		wr_atomic(ctx, r, true, ARM_R5);
	}
	emit(arm_pop(ATOMIC_SAVED), ctx);
	ctx->sp_adj -= 16;
	return 0;
}

/* ---- Jumps and calls ---------------------------------------------------- */

static u8 jmp_cond(u8 op)
{
	switch (op) {
	case BPF_JEQ:
		return ARM_COND_EQ;
	case BPF_JNE:
	case BPF_JSET:
		return ARM_COND_NE;
	case BPF_JGT:
		return ARM_COND_HI;
	case BPF_JGE:
		return ARM_COND_HS;
	case BPF_JLT:
		return ARM_COND_LO;
	case BPF_JLE:
		return ARM_COND_LS;
	case BPF_JSGT:
		return ARM_COND_GT;
	case BPF_JSGE:
		return ARM_COND_GE;
	case BPF_JSLT:
		return ARM_COND_LT;
	case BPF_JSLE:
		return ARM_COND_LE;
	}
	return ARM_COND_AL;
}

/* Set flags for dst <op> src, return the condition to branch on. */
/*
 * A stacked register's word(s) in registers per the scratch cache: r0-r3,
 * r10, r11 only (a compare may put a constant into ip, lr).
 */
static bool held_word(const struct armjit_ctx *ctx, u8 r, bool hi, u8 *reg)
{
	static const u8 regs[] = { ARM_R0, ARM_R1, ARM_R2, ARM_R3, ARM_R10,
				   ARM_R11 };
	int i;

	if (is_mapped(ctx, r) || r == BPF_REG_FP)
		return false;
	for (i = 0; i < (int)sizeof(regs); i++)
		if (cache_has(ctx, regs[i], slot_off(ctx, r, hi))) {
			*reg = regs[i];
			return true;
		}
	return false;
}

static int emit_cmp(struct armjit_ctx *ctx, const struct bpf_insn *insn,
		    bool is64)
{
	u8 op = BPF_OP(insn->code), cond = jmp_cond(op);
	bool k = BPF_SRC(insn->code) == BPF_K;
	bool sgn = op == BPF_JSGT || op == BPF_JSGE || op == BPF_JSLT ||
		   op == BPF_JSLE;
	u32 imm = insn->imm, imm_hi = insn->imm < 0 ? ~0U : 0;
	u8 dl, dh = 0, sl = 0, sh = 0;

	if (cond == ARM_COND_AL)
		return -EOPNOTSUPP;
	if (is64) {
		if (!held_word(ctx, insn->dst_reg, false, &dl) ||
		    !held_word(ctx, insn->dst_reg, true, &dh))
			rd64(ctx, insn->dst_reg, &dl, &dh, TMP_A_LO, TMP_A_HI);
	} else if (!held_word(ctx, insn->dst_reg, false, &dl)) {
		dl = rd_lo(ctx, insn->dst_reg, TMP_A_LO);
	}

	if (k && ((sgn && is64) ||
		  !(op == BPF_JSET ? arm_imm_ok(imm) :
		    arm_imm_ok(imm) || arm_imm_ok(-imm)))) {
		/* constant to ip:lr, compare as registers */
		emit_mov_imm(ctx, TMP_B_LO, imm);
		if (is64)
			emit_mov_imm(ctx, TMP_B_HI, imm_hi);
		sl = TMP_B_LO;
		sh = TMP_B_HI;
		k = false;
	} else if (!k && is64 && is_mapped(ctx, insn->dst_reg)) {
		/* r10:r11 free: one ldrd */
		rd64(ctx, insn->src_reg, &sl, &sh, TMP_A_LO, TMP_A_HI);
	} else if (!k) {
		sl = rd_lo(ctx, insn->src_reg, TMP_B_LO);
		if (is64)
			sh = rd_hi(ctx, insn->src_reg, TMP_B_HI);
	}

	if (op == BPF_JSET) {
		if (k) {
			emit(arm_tst_i(dl, imm), ctx);
			if (is64 && imm_hi)
				emit(arm_cond(ARM_COND_EQ, arm_tst_r(dh, dh)),
				     ctx);
		} else {
			emit(arm_tst_r(dl, sl), ctx);
			if (is64)
				emit(arm_cond(ARM_COND_EQ, arm_tst_r(dh, sh)),
				     ctx);
		}
		return cond;
	}
	if (!is64) {
		if (k)
			emit_dp_imm(ctx, ARM_DP_CMP, true, 0, dl, imm, TMP_B_LO);
		else
			emit(arm_cmp_r(dl, sl), ctx);
		return cond;
	}
	if (sgn) {
		/* the flags of the 64-bit subtraction: N, V right for lt/ge */
		if (op == BPF_JSGT || op == BPF_JSLE) {
			emit(arm_cmp_r(sl, dl), ctx);
			emit(arm_sbcs_r(ARM_IP, sh, dh), ctx);
			return op == BPF_JSGT ? ARM_COND_LT : ARM_COND_GE;
		}
		emit(arm_cmp_r(dl, sl), ctx);
		emit(arm_sbcs_r(ARM_IP, dh, sh), ctx);
		return cond;
	}
	/* equality and unsigned order: hi words, then lo words if equal */
	if (k && !imm && (op == BPF_JEQ || op == BPF_JNE)) {
		emit(arm_orrs_r(ARM_IP, dl, dh), ctx);
	} else if (k) {
		emit(imm_hi ? arm_cmn_i(dh, 1) : arm_cmp_i(dh, 0), ctx);
		emit(arm_cond(ARM_COND_EQ, arm_imm_ok(imm) ? arm_cmp_i(dl, imm) :
			      arm_cmn_i(dl, -imm)), ctx);
	} else {
		emit(arm_cmp_r(dh, sh), ctx);
		emit(arm_cond(ARM_COND_EQ, arm_cmp_r(dl, sl)), ctx);
	}
	return cond;
}

static const struct armjit_call_conv *find_conv(const struct armjit_ctx *ctx,
						u32 addr)
{
	int i;

	for (i = 0; i < ctx->ncalls; i++)
		if (ctx->calls[i].addr == addr)
			return &ctx->calls[i];
	return NULL;
}

/* ctx->sites[] entry of call insn i (sorted by insn), or NULL */
static const struct armjit_site *find_site(const struct armjit_ctx *ctx,
					   int i)
{
	int lo = 0, hi = ctx->nsites - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (ctx->sites[mid].insn == i)
			return ctx->sites[mid].conv.addr ? &ctx->sites[mid] :
							   NULL;
		if (ctx->sites[mid].insn < i)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* Word hi/lo of BPF register r to ARM register rt. */
static void ld_word(struct armjit_ctx *ctx, u8 rt, u8 r, bool hi)
{
	u8 rs = hi ? rd_hi(ctx, r, rt) : rd_lo(ctx, r, rt);

	if (rs != rt)
		emit(arm_mov_r(rt, rs), ctx);
}

/*
 * Helper call. 5 x u64 (conv NULL or ARMJIT_CONV_U64): R1, R2 already are
 * r0:r1, r2:r3 and R3-R5 the stack arguments. ARMJIT_CONV_AAPCS: move the
 * argument words into place in order, registers first. That order is
 * safe for this mapping: a register argument's target is never above its
 * source (R1 r0:r1, R2 r2:r3), and a stack argument never lands above its
 * source slot (R3-R5 at [sp], [sp+8], [sp+16]).
 */
static int emit_call(struct armjit_ctx *ctx, u32 addr,
		     const struct armjit_call_conv *conv, bool bpf2bpf)
{
	int i, ncrn = 0, nsaa = 0;
	u8 sz;

	if (conv && conv->conv == ARMJIT_CONV_AAPCS) {
		if (conv->nargs > ARMJIT_MAX_ARGS)
			return -EINVAL;
		for (i = 0; i < conv->nargs; i++) {
			u8 r = BPF_REG_1 + i;

			sz = conv->arg_size[i];
			if (sz != 4 && sz != 8)
				return -EINVAL;
			if (sz == 8)
				ncrn = (ncrn + 1) & ~1;
			if (ncrn + sz / 4 <= 4) {
				ld_word(ctx, ncrn++, r, false);
				if (sz == 8)
					ld_word(ctx, ncrn++, r, true);
				continue;
			}
			ncrn = 4;
			if (sz == 8)
				nsaa = (nsaa + 7) & ~7;
			ld_word(ctx, ARM_IP, r, false);
			emit(arm_str_i(ARM_IP, ARM_SP, nsaa), ctx);
			nsaa += 4;
			if (sz == 8) {
				ld_word(ctx, ARM_IP, r, true);
				emit(arm_str_i(ARM_IP, ARM_SP, nsaa), ctx);
				nsaa += 4;
			}
		}
		if (nsaa > 24)
			return -EINVAL;
	}
	if (!conv || conv->conv != ARMJIT_CONV_AAPCS) {
		/* 5 x u64: R3-R5 in registers go to their argument slots */
		int nargs = conv ? conv->nargs : ARMJIT_MAX_ARGS;

		for (i = BPF_REG_3; i <= BPF_REG_5 && i <= nargs; i++)
			if (is_mapped(ctx, i))
				emit(arm_strd_i(ctx->map[i].lo, ARM_SP,
						armjit_slot[i]), ctx);
	}
	if (bpf2bpf) {
		emit_mov_addr(ctx, ARM_IP, addr);
		emit(arm_blx_r(ARM_IP), ctx);
	} else {
		emit_call_addr(ctx, addr);
	}
	if (conv && conv->conv == ARMJIT_CONV_AAPCS && conv->ret_size == 4)
		emit(arm_mov_i(ARM_R1, 0), ctx);
	wr64(ctx, BPF_REG_0, ARM_R0, ARM_R1);
	return 0;
}

/*
 * bpf_tail_call(ctx, array, index), kernel 6.1 semantics:
 *	if (index >= array->map.max_entries) goto out;
 *	if (tcc >= MAX_TAIL_CALL_CNT) goto out;
 *	tcc++;
 *	prog = array->ptrs[index]; if (!prog) goto out;
 *	tear down this frame, enter prog past its tcc = 0 with r1 = tcc.
 * A target armjit did not compile is treated like an empty slot.
 */
static int emit_tail_call(struct armjit_ctx *ctx)
{
	int out[4];
	u8 arr, idx;

	arr = rd_lo(ctx, BPF_REG_2, TMP_A_LO);
	idx = rd_lo(ctx, BPF_REG_3, ARM_LR);
	if (idx != ARM_LR)
		emit(arm_mov_r(ARM_LR, idx), ctx);
	emit(arm_ldr_i(ARM_IP, arr, offsetof(struct bpf_array,
					     map.max_entries)), ctx);
	emit(arm_cmp_r(ARM_LR, ARM_IP), ctx);
	out[0] = emit_fwd(ctx, ARM_COND_HS);

	emit(arm_ldr_i(ARM_IP, ARM_SP, SLOT_TCC), ctx);
	emit(arm_cmp_i(ARM_IP, MAX_TAIL_CALL_CNT), ctx);
	out[1] = emit_fwd(ctx, ARM_COND_HS);
	emit(arm_add_i(ARM_IP, ARM_IP, 1), ctx);
	emit(arm_str_i(ARM_IP, ARM_SP, SLOT_TCC), ctx);

	emit(arm_dp_rsi(ARM_DP_ADD, false, ARM_LR, arr, ARM_LR, ARM_LSL, 2),
	     ctx);
	emit(arm_ldr_i(ARM_LR, ARM_LR, offsetof(struct bpf_array, ptrs)), ctx);
	emit(arm_cmp_i(ARM_LR, 0), ctx);
	out[2] = emit_fwd(ctx, ARM_COND_EQ);

	/*
	 * Only enter armjit code: a program the stock JIT or the interpreter
	 * runs has other conventions. Its word ARMJIT_MARK_WORD tells.
	 */
	emit(arm_ldr_i(ARM_LR, ARM_LR, offsetof(struct bpf_prog, bpf_func)),
	     ctx);
	emit(arm_ldr_i(ARM_R10, ARM_LR, 4 * ARMJIT_MARK_WORD), ctx);
	emit_mov_addr(ctx, ARM_R11, ARMJIT_UDF);
	emit(arm_cmp_r(ARM_R10, ARM_R11), ctx);
	out[3] = emit_fwd(ctx, ARM_COND_NE);

	ld_word(ctx, ARM_R0, BPF_REG_1, false);		/* ctx */
	emit(arm_mov_r(ARM_R1, ARM_IP), ctx);		/* tcc */
	emit(arm_add_i(ARM_IP, ARM_LR, ARMJIT_TAIL_CALL_OFFSET), ctx);
	emit_teardown(ctx, ARM_R2);
	emit(arm_pop(SAVED_REGS), ctx);
	emit(arm_bx(ARM_IP), ctx);

	fix_fwd(ctx, out[0]);
	fix_fwd(ctx, out[1]);
	fix_fwd(ctx, out[2]);
	fix_fwd(ctx, out[3]);
	return 0;
}

/* the unsigned order of a signed jump op (the same for the others) */
static u8 unsigned_op(u8 op)
{
	switch (op) {
	case BPF_JSGT:
		return BPF_JGT;
	case BPF_JSGE:
		return BPF_JGE;
	case BPF_JSLT:
		return BPF_JLT;
	case BPF_JSLE:
		return BPF_JLE;
	}
	return op;
}

static int emit_jmp(struct armjit_ctx *ctx, const struct bpf_insn *insn,
		    int i)
{
	bool is64 = BPF_CLASS(insn->code) == BPF_JMP;
	u8 op = BPF_OP(insn->code);
	s64 target = jmp_target(ctx, insn, i);
	const struct armjit_site *site;
	int cond;

	switch (op) {
	case BPF_CALL:
		if (!is64)
			return -EINVAL;
		/*
		 * bpf-to-bpf: the verifier's first pass has a placeholder
		 * target, the extra pass the callee's address; the call is
		 * the same size either way.
		 */
		if (insn->src_reg == BPF_PSEUDO_CALL)
			return emit_call(ctx, armjit_rt.call_base + insn->imm,
					 NULL, true);
		if (insn->src_reg)	/* kfunc */
			return -EOPNOTSUPP;
		site = find_site(ctx, i);
		if (site)
			return emit_call(ctx, site->conv.addr, &site->conv,
					 false);
		return emit_call(ctx, armjit_rt.call_base + insn->imm,
				 find_conv(ctx, armjit_rt.call_base +
					   insn->imm), false);
	case BPF_TAIL_CALL:
		if (!is64)
			return -EINVAL;
		return emit_tail_call(ctx);
	case BPF_EXIT:
		if (!is64)
			return -EINVAL;
		if (i == ctx->len - 1)
			return 0;	/* falls into the epilogue */
		if (epilogue_words(ctx) <= ARMJIT_EXIT_COPY) {
			build_epilogue(ctx);
			return 0;
		}
		return emit_b(ctx, ARM_COND_AL, ctx->epilogue_offset);
	}

	if (target < 0 || target > ctx->len)
		return -EINVAL;
	if (op == BPF_JA) {
		if (target == i + 1)
			return 0;
		return emit_b(ctx, ARM_COND_AL, ctx->offsets[target]);
	}
	if (is64 && hi_zero(ctx, insn->dst_reg) &&
	    (BPF_SRC(insn->code) == BPF_K ? insn->imm >= 0 :
	     insn->src_reg != BPF_REG_FP && hi_zero(ctx, insn->src_reg))) {
		/* both hi words 0: the lo words as unsigned decide */
		struct bpf_insn lo = *insn;

		lo.code = BPF_JMP32 | BPF_SRC(insn->code) | unsigned_op(op);
		cond = emit_cmp(ctx, &lo, false);
	} else {
		cond = emit_cmp(ctx, insn, is64);
	}
	if (cond < 0)
		return cond;
	return emit_b(ctx, cond, ctx->offsets[target]);
}

/* ---- Two insns as one -------------------------------------------------- */

/*
 * "rD = rS; rD op= K/rX" (clang's pointer arithmetic, bounds checks) when
 * the second insn is no jump target: op straight from rS's registers,
 * without the copy. FP + K is sp + constant (hi 0) when that isn't below
 * sp. 64 bits: ADD, SUB; 32 bits: ADD, SUB, AND, OR, XOR and shifts by K.
 * Returns 1 when it emitted both insns, 0 when they don't pair.
 */
static int emit_fused(struct armjit_ctx *ctx, const struct bpf_insn *a,
		      const struct bpf_insn *b)
{
	u8 dst = a->dst_reg, src = a->src_reg, x = b->src_reg;
	u8 op = BPF_OP(b->code), cls = BPF_CLASS(a->code);
	bool k = BPF_SRC(b->code) == BPF_K;
	u32 imm = b->imm, imm_hi = b->imm < 0 ? ~0U : 0;
	u8 dl, dh, sl, sh, xl, xh;
	s64 v;

	if (a->code != (cls | BPF_MOV | BPF_X) || a->off || a->imm ||
	    BPF_CLASS(b->code) != cls || b->dst_reg != dst || b->off ||
	    src == dst || dst == BPF_REG_FP || x >= MAX_BPF_JIT_REG)
		return 0;
	if (cls == BPF_ALU) {
		enum arm_shift t = op == BPF_LSH ? ARM_LSL :
				   op == BPF_RSH ? ARM_LSR : ARM_ASR;

		if (!k || (op != BPF_ADD && op != BPF_SUB && op != BPF_AND &&
			   op != BPF_OR && op != BPF_XOR && op != BPF_LSH &&
			   op != BPF_RSH && op != BPF_ARSH))
			return 0;
		sl = rd_lo(ctx, src, TMP_A_LO);
		dl = dst_lo(ctx, dst, TMP_A_LO);
		if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
			emit(arm_mov_si(dl, sl, t, imm & 31), ctx);
		else
			emit_dp_imm(ctx, bpf2dp(op), false, dl, sl, imm,
				    TMP_B_LO);
		wr_lo(ctx, dst, dl);
		zext32(ctx, dst);
		return 1;
	}
	if (op != BPF_ADD && op != BPF_SUB)
		return 0;
	if (!k && x == dst)
		return 0;
	dl = dst_lo(ctx, dst, TMP_A_LO);
	dh = dst_hi(ctx, dst, TMP_A_HI);
	if (src == BPF_REG_FP) {
		v = (s64)fp_off(ctx) + (op == BPF_ADD ? (s64)b->imm :
							-(s64)b->imm);
		if (!k || v < 0 || v > 4095)
			return 0;
		emit_add_imm(ctx, dl, ARM_SP, v, TMP_B_LO);
		emit(arm_mov_i(dh, 0), ctx);
		wr64(ctx, dst, dl, dh);
		return 1;
	}
	rd64(ctx, src, &sl, &sh, TMP_A_LO, TMP_A_HI);
	if (k) {
		emit_dp_imm(ctx, bpf2dp(op), true, dl, sl, imm, TMP_B_LO);
		emit_dp_imm(ctx, op == BPF_ADD ? ARM_DP_ADC : ARM_DP_SBC,
			    false, dh, sh, imm_hi, TMP_B_LO);
	} else {
		rd64(ctx, x, &xl, &xh, TMP_B_LO, TMP_B_HI);
		emit(arm_dp_reg(bpf2dp(op), true, dl, sl, xl), ctx);
		emit(arm_dp_reg(op == BPF_ADD ? ARM_DP_ADC : ARM_DP_SBC,
				false, dh, sh, xh), ctx);
	}
	wr64(ctx, dst, dl, dh);
	return 1;
}

/* ---- Dispatch ----------------------------------------------------------- */

/*
 * An insn with no effect but its result, which nothing reads: an ALU op
 * (a divide by 0 has a result too), a constant, a load.
 */
static bool insn_dead(const struct armjit_ctx *ctx,
		      const struct bpf_insn *insn, int i)
{
	u8 cls = BPF_CLASS(insn->code);
	u32 use, def;

	if (!ctx->live || i + 1 > ctx->len)
		return false;
	if (cls != BPF_ALU && cls != BPF_ALU64 &&
	    insn->code != (BPF_LD | BPF_IMM | BPF_DW) &&
	    !(cls == BPF_LDX && BPF_MODE(insn->code) == BPF_MEM))
		return false;
	if (insn->code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 >= ctx->len)
		return false;	/* cut off: build_insn() rejects it */
	/* ops the translation checks further stay, to be checked */
	if ((cls == BPF_ALU || cls == BPF_ALU64) &&
	    (insn->off || BPF_OP(insn->code) >= BPF_END))
		return false;
	if (!insn_use_def(ctx, insn, &use, &def) || !def)
		return false;
	return !(ctx->live[i] & def);
}

/* Returns 1 if insn used two slots (LD_IMM64), 0, or an error. */
static int build_insn(struct armjit_ctx *ctx, const struct bpf_insn *insn,
		      int i)
{
	u8 cls = BPF_CLASS(insn->code);
	struct bpf_insn tmp;

	if (insn->dst_reg >= MAX_BPF_JIT_REG ||
	    insn->src_reg >= MAX_BPF_JIT_REG)
		return -EINVAL;
	/* FP is read-only */
	if (insn->dst_reg == BPF_REG_FP &&
	    (cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_LDX ||
	     cls == BPF_LD))
		return -EINVAL;

	if (insn_dead(ctx, insn, i))
		return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
	ctx->live_at = i + 1;
	if ((cls == BPF_ALU || cls == BPF_ALU64) && i + 1 < ctx->len &&
	    !is_target(ctx, i + 1) && emit_fused(ctx, insn, insn + 1))
		return 1;
	ctx->live_at = i;

	switch (cls) {
	case BPF_ALU:
		return emit_alu32(ctx, shift_by_const(ctx, insn, &tmp));
	case BPF_ALU64:
		return emit_alu64(ctx, shift_by_const(ctx, insn, &tmp));
	case BPF_LDX:
		return emit_ldx(ctx, insn);
	case BPF_ST:
		if (BPF_MODE(insn->code) == BPF_NOSPEC)
			return 0;	/* no speculative store bypass here */
		if (BPF_MODE(insn->code) != BPF_MEM)
			return -EOPNOTSUPP;
		return emit_st(ctx, insn);
	case BPF_STX:
		if (BPF_MODE(insn->code) == BPF_ATOMIC)
			return emit_atomic(ctx, insn);
		if (BPF_MODE(insn->code) != BPF_MEM)
			return -EOPNOTSUPP;
		return emit_st(ctx, insn);
	case BPF_LD:
		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
			return -EOPNOTSUPP;	/* LD_ABS/LD_IND */
		if (i + 1 >= ctx->len || insn[1].code)
			return -EINVAL;
		if (insn->src_reg == BPF_PSEUDO_FUNC) {
			/* a subprogram's address: known in the extra pass */
			u8 rd = dst_lo(ctx, insn->dst_reg, TMP_B_LO);

			emit_mov_addr(ctx, rd, insn[0].imm);
			wr_lo(ctx, insn->dst_reg, rd);
			zero_hi(ctx, insn->dst_reg);
			return 1;
		}
		emit_ld_imm64(ctx, insn->dst_reg, insn[0].imm, insn[1].imm);
		return 1;
	case BPF_JMP:
	case BPF_JMP32:
		return emit_jmp(ctx, insn, i);
	}
	return -EOPNOTSUPP;
}

/*
 * What the prologue must set up (after choose_map()): a frame for stacked
 * registers, the BPF stack, the tail-call counter, calls (their argument
 * slots) and subprograms; R1's hi word when anything reads R1. Register
 * fields an insn doesn't use are 0 (the verifier checks): R0, which must
 * be in a pair anyway.
 */
static void scan_frame(struct armjit_ctx *ctx)
{
	int i;

	/* R0 is read by every exit and by cmpxchg without being named */
	if (ctx->stack_depth || ctx->is_subprog || !is_mapped(ctx, BPF_REG_0))
		ctx->flags |= FLAG_FRAME;
	for (i = 0; i < ctx->len; i++) {
		const struct bpf_insn *insn = &ctx->insns[i];
		u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
		u8 d = insn->dst_reg, s = insn->src_reg;

		if (insn->code == (BPF_JMP | BPF_TAIL_CALL))
			ctx->flags |= FLAG_TAIL_CALL;
		if ((cls == BPF_JMP || cls == BPF_JMP32) &&
		    (op == BPF_CALL || op == BPF_TAIL_CALL))
			ctx->flags |= FLAG_FRAME;
		if (d >= MAX_BPF_JIT_REG || s >= MAX_BPF_JIT_REG)
			continue;	/* build_insn() rejects it */
		if ((d != BPF_REG_FP && !is_mapped(ctx, d)) ||
		    (s != BPF_REG_FP && !is_mapped(ctx, s)))
			ctx->flags |= FLAG_FRAME;
	}
}

/*
 * May R1's value at entry (ctx) be read? The straight code from insn 0 up
 * to the first jump, call or exit tells: whatever follows runs after it.
 */
static bool r1_live_in(const struct armjit_ctx *ctx)
{
	int i;

	for (i = 0; i < ctx->len; i++) {
		const struct bpf_insn *insn = &ctx->insns[i];
		u8 cls = BPF_CLASS(insn->code);
		bool w;

		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64:
			/* only a mov writes dst without reading it */
			w = BPF_OP(insn->code) == BPF_MOV;
			break;
		case BPF_LD:
			if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
				return true;
			if (insn->dst_reg == BPF_REG_1)
				return false;
			i++;
			continue;
		case BPF_LDX:
			w = true;
			break;
		case BPF_ST:
		case BPF_STX:
			w = false;
			break;
		default:
			return insn->code != (BPF_JMP | BPF_EXIT);
		}
		if (names_reg(insn, BPF_REG_1) &&
		    !(w && insn->dst_reg == BPF_REG_1 &&
		      insn->src_reg != BPF_REG_1))
			return true;
		if (insn->dst_reg == BPF_REG_1)
			return false;	/* written, not read */
	}
	return true;
}

/* What a leaf program saves: the callee-saved registers it writes, lr. */
static u16 leaf_saved(u16 written)
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

/* ctx->is_target[]: every insn a jump lands on */
static void mark_targets(struct armjit_ctx *ctx)
{
	int i;

	if (!ctx->is_target)
		return;
	memset(ctx->is_target, 0, ctx->len + 1);
	for (i = 0; i < ctx->len; i++) {
		const struct bpf_insn *insn = &ctx->insns[i];
		u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
		s64 t;

		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			i++;
			continue;
		}
		if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_CALL ||
		    op == BPF_EXIT || op == BPF_TAIL_CALL)
			continue;
		t = jmp_target(ctx, insn, i);
		if (t >= 0 && t <= ctx->len)
			ctx->is_target[t] = 1;
	}
}

/*
 * Call insn i with R1 = map: map's lookup as void *(*)(struct bpf_map *,
 * void *), AAPCS 2 x u32 in r0, r1, a pointer back; conv.addr 0 (the
 * helper) when lookup_of() has none.
 */
static void add_map_site(struct armjit_site *s, int i, u32 map,
			 u32 (*lookup_of)(u32 map))
{
	memset(s, 0, sizeof(*s));
	s->insn = i;
	s->map = map;
	s->conv.addr = lookup_of(map);
	s->conv.conv = ARMJIT_CONV_AAPCS;
	s->conv.nargs = 2;
	s->conv.arg_size[0] = 4;
	s->conv.arg_size[1] = 4;
	s->conv.ret_size = 4;
}

/* Does insn (not an ld_imm64) write R1, or may it? */
static bool writes_r1(const struct bpf_insn *insn)
{
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
		return insn->dst_reg == BPF_REG_1;
	case BPF_ST:
		return false;
	case BPF_STX:
		return BPF_MODE(insn->code) == BPF_ATOMIC &&
		       (insn->imm & BPF_FETCH) && insn->src_reg == BPF_REG_1;
	case BPF_JMP:
	case BPF_JMP32:
		return op == BPF_CALL || op == BPF_TAIL_CALL;
	}
	return true;	/* LD_ABS/LD_IND are calls */
}

int armjit_find_map_calls(struct armjit_ctx *ctx, struct armjit_site *sites,
			  int max, u32 (*lookup_of)(u32 map))
{
	const struct bpf_insn *p = ctx->insns;
	int i, j, n = 0;

	if (!ctx->is_target || !armjit_rt.map_lookup_elem)
		return 0;
	mark_targets(ctx);
	for (i = 0; i < ctx->len && n < max; i++) {
		if (p[i].code != (BPF_JMP | BPF_CALL) || p[i].src_reg ||
		    armjit_rt.call_base + p[i].imm != armjit_rt.map_lookup_elem)
			continue;
		/* back from the call while only falling through leads here */
		for (j = i - 1; j >= 0 && i - j <= 64; j--) {
			if (ctx->is_target[j + 1])
				break;
			if (j && p[j - 1].code == (BPF_LD | BPF_IMM | BPF_DW)) {
				j--;
				if (p[j].dst_reg != BPF_REG_1)
					continue;
				if (!p[j].src_reg && p[j].imm && !p[j + 1].imm)
					add_map_site(&sites[n++], i, p[j].imm,
						     lookup_of);
				break;
			}
			if (writes_r1(&p[j]))
				break;
		}
	}
	return n;
}

int armjit_build(struct armjit_ctx *ctx)
{
	/* the analyses, once for the program (not each pass) */
	bool fresh = ctx->analysed != ctx->insns ||
		     ctx->analysed_len != ctx->len;
	int i, ret;

	ctx->idx = 0;
	ctx->flags = is_leaf(ctx) ? FLAG_LEAF : 0;
	ctx->sp_adj = 0;
	ctx->pend = 0;
	cache_flush(ctx);
	mark_targets(ctx);
	if (fresh)
		compute_live(ctx);
	choose_map(ctx);
	scan_frame(ctx);
	if (is_mapped(ctx, BPF_REG_1) && r1_live_in(ctx))
		ctx->flags |= FLAG_R1_LIVE;
	if (fresh)
		compute_hi0(ctx);
	ctx->analysed = ctx->insns;
	ctx->analysed_len = ctx->len;
	ctx->saved = SAVED_REGS;
	if ((ctx->flags & FLAG_LEAF) && ctx->written_ok)
		ctx->saved = leaf_saved(ctx->written_last);
	ctx->written = 0;
	ctx->frame_size = !(ctx->flags & FLAG_FRAME) ? 0 :
			  FRAME_FIXED + ((ctx->stack_depth + 7) & ~7U);

	build_prologue(ctx);
	for (i = 0; i < ctx->len; i++) {
		if (is_target(ctx, i))
			land(ctx);	/* a jump lands here */
		ctx->offsets[i] = ctx->idx;
		ctx->live_at = i;
		ctx->hi0_at = i;
		ret = build_insn(ctx, &ctx->insns[i], i);
		if (ret < 0)
			return ret;
		if (ret) {
			i++;
			ctx->offsets[i] = ctx->idx;
		}
	}
	land(ctx);	/* exits branch here */
	ctx->offsets[ctx->len] = ctx->idx;
	ctx->epilogue_offset = ctx->idx;
	build_epilogue(ctx);

	/* a callee-saved register written but not saved: a pass differed */
	if (leaf_saved(ctx->written) & ~ctx->saved)
		ctx->flags |= FLAG_BAD_INSN;
	/* an operand no instruction can encode: a translation bug */
	if (WARN_ON_ONCE(ctx->flags & FLAG_BAD_INSN))
		return -EFAULT;
	ctx->written_last = ctx->written;
	ctx->written_ok = true;
	return 0;
}
