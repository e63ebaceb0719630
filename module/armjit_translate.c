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
 * What it builds on, each in a room of its own (armjit_translate.h,
 * Documentation/armjit-design.rst): where each BPF register lives and
 * the frame (armjit_regs.c: is_mapped(), slot_off(), fp_off()); facts
 * about the program computed once per compile (armjit_analysis.c:
 * is_target(), word_live(), hi_zero(); ctx->live: results nothing reads
 * are not computed, hi words only 32-bit insns read not written, R0's hi
 * not returned by a main program; ctx->hi0: 64-bit compares of values
 * whose hi words are 0 are 32-bit ones); the emitter (armjit_emit.c:
 * emit(), which drops what a register holds already and keeps stores
 * back; the translation asks it armjit_emit_known() and the like).
 *
 * All lo/hi words are little-endian: lo at the lower address.
 */
#include "armjit_translate.h"

/* An exit copies an epilogue up to this long rather than branch to it */
#define ARMJIT_EXIT_COPY	4

/*
 * First word of an armjit main image with tail calls: mov r1, #0 (its
 * tail-call counter starts at 0); without, the branch over the stub
 * itself. Word ARMJIT_MARK_WORD (2) is the tail-call ABI marker in every
 * main image, where a stock image has its prologue: armjit's tail calls
 * look there (armjit_jit.h).
 */
#define ARMJIT_ENTRY_INSN	arm_mov_i(ARM_R1, 0)

static u32 tc_mark(const struct armjit_ctx *ctx)
{
	return ARMJIT_TC_MARK(ctx->tc_abi ? ctx->tc_abi : ARMJIT_TC_ABI);
}

/* ---- Constants ---------------------------------------------------------- */

/* ARMv6K: mov/orr or mvn/bic of rotated immediates (arm_imm_seq()) */
static void emit_imm_seq(struct armjit_ctx *ctx, u8 rd, const u32 *seq,
			 int n, bool fixed)
{
	int i;

	for (i = 0; i < n; i++) {
		if (fixed)
			armjit_emit_fixed(ctx, rd, seq[i]);
		else
			emit(seq[i], ctx);
	}
}

/*
 * ARMv6K: a constant of 3 or 4 mov/orr is one ldr from the literal pool
 * when this compile has one (on a Pi 1 an ldr that hits the cache issues
 * in a cycle; two movs are as fast as it and need no memory).
 */
static noinline void emit_mov_imm_v6(struct armjit_ctx *ctx, u8 rd, u32 val)
{
	u32 seq[4];
	int n = arm_imm_seq(rd, val, false, seq);

	if (ctx->lit && n > 2)
		armjit_emit_lit(ctx, rd, val, false);
	else
		emit_imm_seq(ctx, rd, seq, n, false);
}

/* rd = val (ARMv6K's seq[] apart: no stack canary on ARMv7's path) */
static void emit_mov_imm(struct armjit_ctx *ctx, u8 rd, u32 val)
{
	if (armjit_emit_known(ctx, rd, val))
		return;		/* movw/movt too */
	if (!arm_v7()) {
		emit_mov_imm_v6(ctx, rd, val);
		return;
	}
	if (arm_imm_ok(val)) {
		armjit_emit_const_word(ctx, arm_mov_i(rd, val), rd, val);
	} else if (arm_imm_ok(~val)) {
		armjit_emit_const_word(ctx, arm_mvn_i(rd, ~val), rd, val);
	} else {
		/* rd may hold the low half already */
		if (!armjit_emit_known(ctx, rd, val & 0xffff))
			armjit_emit_const_word(ctx, arm_movw(rd, val & 0xffff),
					       rd, val & 0xffff);
		if (val >> 16)
			armjit_emit_const_word(ctx, arm_movt(rd, val >> 16),
					       rd, val);
	}
}

/*
 * Fixed two-instruction form, for addresses: also those the extra pass
 * patches in, so neither dropped nor remembered.
 */
static void emit_mov_addr(struct armjit_ctx *ctx, u8 rd, u32 val)
{
	if (!arm_v7()) {
		u32 seq[4];

		if (ctx->lit)
			armjit_emit_lit(ctx, rd, val, true);
		else
			emit_imm_seq(ctx, rd, seq,
				     arm_imm_seq(rd, val, true, seq), true);
		return;
	}
	armjit_emit_fixed(ctx, rd, arm_movw(rd, val & 0xffff));
	armjit_emit_fixed(ctx, rd, arm_movt(rd, val >> 16));
}

/* Does data-processing op (immediate form: imm) write rd, and no constant? */
static bool dp_writes_rd(enum arm_dp op, bool imm)
{
	if (op >= ARM_DP_TST && op <= ARM_DP_CMN)
		return false;	/* flags only */
	return !imm || (op != ARM_DP_MOV && op != ARM_DP_MVN);
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
		if (dp_writes_rd(op, true))
			armjit_emit_dp(ctx, arm_dp_imm(op, s, rd, rn, imm), rd);
		else
			emit(arm_dp_imm(op, s, rd, rn, imm), ctx);
		return;
	}
	/* one insn and no constant: the low half, every bit flipped */
	if (!s && op == ARM_DP_AND && imm == 0xffff) {
		emit(arm_uxth(rd, rn), ctx);
		return;
	}
	if (!s && op == ARM_DP_EOR && imm == ~0U) {
		emit(arm_mvn_r(rd, rn), ctx);
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
		if (dp_writes_rd(alt, true))
			armjit_emit_dp(ctx, arm_dp_imm(alt, s, rd, rn, alt_imm),
				       rd);
		else
			emit(arm_dp_imm(alt, s, rd, rn, alt_imm), ctx);
		return;
	}
	emit_mov_imm(ctx, tmp, imm);
	if (dp_writes_rd(op, false))
		armjit_emit_dp(ctx, arm_dp_reg(op, s, rd, rn, tmp), rd);
	else
		emit(arm_dp_reg(op, s, rd, rn, tmp), ctx);
}

static void emit_add_imm(struct armjit_ctx *ctx, u8 rd, u8 rn, s32 imm,
			 u8 tmp)
{
	if (imm || rd != rn)
		emit_dp_imm(ctx, ARM_DP_ADD, false, rd, rn, imm, tmp);
}

/* ---- BPF register access ---------------------------------------------- */

/* ARM register holding the lo word of r: its own, or tmp after a load. */
static u8 bpf_get_lo(struct armjit_ctx *ctx, u8 r, u8 tmp)
{
	if (is_mapped(ctx, r))
		return ctx->map[r].lo;
	if (r == BPF_REG_FP)
		emit_add_imm(ctx, tmp, ARM_SP, fp_off(ctx), tmp);
	else
		armjit_emit_ldr_sp(ctx, tmp, slot_off(ctx, r, false));
	return tmp;
}

static u8 bpf_get_hi(struct armjit_ctx *ctx, u8 r, u8 tmp)
{
	if (is_mapped(ctx, r))
		return ctx->map[r].hi;
	if (r == BPF_REG_FP)
		emit_mov_imm(ctx, tmp, 0);
	else
		armjit_emit_ldr_sp(ctx, tmp, slot_off(ctx, r, true));
	return tmp;
}

/* Register to compute the lo/hi word of r into: its own, or tmp. */
static u8 bpf_dst_lo(const struct armjit_ctx *ctx, u8 r, u8 tmp)
{
	return is_mapped(ctx, r) ? ctx->map[r].lo : tmp;
}

static u8 bpf_dst_hi(const struct armjit_ctx *ctx, u8 r, u8 tmp)
{
	return is_mapped(ctx, r) ? ctx->map[r].hi : tmp;
}

static void bpf_put_half(struct armjit_ctx *ctx, u8 r, bool hi, u8 src)
{
	u8 own = hi ? ctx->map[r].hi : ctx->map[r].lo;

	if (is_mapped(ctx, r)) {
		if (own != src)
			armjit_emit_dp(ctx, arm_mov_r(own, src), own);
	} else {
		armjit_emit_str_sp(ctx, src, slot_off(ctx, r, hi));
	}
}

static void bpf_put_lo(struct armjit_ctx *ctx, u8 r, u8 src)
{
	bpf_put_half(ctx, r, false, src);
}

static void bpf_put_hi(struct armjit_ctx *ctx, u8 r, u8 src)
{
	bpf_put_half(ctx, r, true, src);
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
	armjit_emit_drop_pending(ctx, slot_d(ctx, r), 8,
				 1U << TMP_A_LO | 1U << TMP_A_HI);
}

/*
 * Both words of r: its own registers, or tlo:thi after loading them (one
 * ldrd when tlo:thi is a pair). Returned as lo | hi << 8.
 */
static u16 bpf_get_pair(struct armjit_ctx *ctx, u8 r, u8 tlo, u8 thi)
{
	s32 off = slot_d(ctx, r);
	u8 lo;

	if (off >= 0 && is_pair(tlo, thi)) {
		armjit_emit_ldrd_sp(ctx, tlo, off);
		return tlo | thi << 8;
	}
	lo = bpf_get_lo(ctx, r, tlo);	/* lo's word first */
	return lo | bpf_get_hi(ctx, r, thi) << 8;
}

/*
 * bpf_get_pair() into *lo, *hi: inline, so no caller's locals have their
 * address taken (which costs the caller a stack canary)
 */
static __always_inline void bpf_get_reg64(struct armjit_ctx *ctx, u8 r,
					  u8 *lo, u8 *hi, u8 tlo, u8 thi)
{
	u16 p = bpf_get_pair(ctx, r, tlo, thi);

	*lo = p & 0xff;
	*hi = p >> 8;
}

/* r = lo:hi (one strd for a stacked r when lo:hi is a pair) */
static void bpf_put_reg64(struct armjit_ctx *ctx, u8 r, u8 lo, u8 hi)
{
	s32 off = slot_d(ctx, r);

	if (off >= 0 && is_pair(lo, hi)) {
		armjit_emit_strd_sp(ctx, lo, off);
		return;
	}
	bpf_put_lo(ctx, r, lo);
	bpf_put_hi(ctx, r, hi);
}

/* hi word of r = 0 */
static void zero_hi(struct armjit_ctx *ctx, u8 r)
{
	u8 rd = bpf_dst_hi(ctx, r, TMP_A_HI);

	if (!word_live(ctx, r, true) || hi_zero(ctx, r))
		return;		/* nothing reads it, or it is 0 already */
	emit(arm_mov_i(rd, 0), ctx);
	bpf_put_hi(ctx, r, rd);
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
	u8 rl = bpf_dst_lo(ctx, r, TMP_A_LO), rh = bpf_dst_hi(ctx, r, TMP_A_HI);

	if (word_live(ctx, r, true) && (hi || !hi_zero(ctx, r)))
		supersede_pending(ctx, r);	/* one strd of both words */
	emit_mov_imm(ctx, rl, lo);
	if (!word_live(ctx, r, true) || (!hi && hi_zero(ctx, r))) {
		bpf_put_lo(ctx, r, rl);
		return;
	}
	emit_mov_imm(ctx, rh, hi);
	bpf_put_reg64(ctx, r, rl, rh);
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
	/*
	 * On a call path to a tail call (armjit_jit.h): the caller's
	 * pointer to the shared tail-call count, from its frame.
	 */
	if (ctx->flags & FLAG_TCC) {
		emit(arm_ldr_i(ARM_IP, ARM_SP, args + SLOT_TCC), ctx);
		emit(arm_str_i(ARM_IP, ARM_SP, SLOT_TCC), ctx);
	}
	for (r = BPF_REG_3; r <= BPF_REG_5; r++) {
		s32 in = args + 8 * (r - BPF_REG_3);

		if (in <= 255) {
			emit(arm_ldrd_i(TMP_A_LO, ARM_SP, in), ctx);
			bpf_put_reg64(ctx, r, TMP_A_LO, TMP_A_HI);
			continue;
		}
		emit(arm_ldr_i(ARM_IP, ARM_SP, in), ctx);
		bpf_put_lo(ctx, r, ARM_IP);
		emit(arm_ldr_i(ARM_IP, ARM_SP, in + 4), ctx);
		bpf_put_hi(ctx, r, ARM_IP);
	}
}

/*
 * A stock-JIT'ed caller's tail call lands here (armjit_jit.h): undo its
 * frame as its epilogue does (sp = fp, pop {r4-r9, fp} and lr instead of
 * pc: sp, r4-r11 and lr are the original caller's again), with ctx and its
 * tail-call count in r0, r1 as armjit's own tail calls pass them. The
 * count is at most MAX_TAIL_CALL_CNT: its low word is enough.
 */
static void build_stock_stub(struct armjit_ctx *ctx)
{
	switch (ctx->stock_tc) {
	case ARMJIT_STOCK_TC_ON:
		emit(arm_ldr_i(ARM_R1, ARM_R11, ARMJIT_STOCK_TCC_OFF), ctx);
		emit(arm_mov_r(ARM_R0, ARM_R2), ctx);
		emit(arm_mov_r(ARM_SP, ARM_R11), ctx);
		emit(arm_pop(ARMJIT_STOCK_PUSH), ctx);
		break;
	case ARMJIT_STOCK_TC_REFUSE:
		/* refused: the stock program returns 0 (armjit_jit.h) */
		emit(arm_mov_i(ARM_R0, 0), ctx);
		emit(arm_mov_i(ARM_R1, 0), ctx);
		emit(arm_mov_r(ARM_SP, ARM_R11), ctx);
		emit(arm_pop((ARMJIT_STOCK_PUSH & ~(1 << ARM_LR)) |
			     1 << ARM_PC), ctx);
		break;
	default:
		while (ctx->idx < ARMJIT_TAIL_CALL_OFFSET / 4)
			emit(ARMJIT_UDF, ctx);
	}
}

static void build_prologue(struct armjit_ctx *ctx)
{
	if (ctx->is_subprog) {
		build_subprog_prologue(ctx);
		return;
	}
	/* bpf_func: the tail-call count starts at 0, if it is kept */
	if (ctx->flags & FLAG_TCC)
		emit(ARMJIT_ENTRY_INSN, ctx);
	emit(arm_b(ARMJIT_TAIL_CALL_OFFSET / 4 - (ctx->idx + 2)), ctx);
	while (ctx->idx < ARMJIT_STOCK_PROLOGUE / 4)
		emit(ctx->idx == ARMJIT_MARK_WORD ? tc_mark(ctx) : ARMJIT_UDF,
		     ctx);
	build_stock_stub(ctx);
	if (ctx->idx != ARMJIT_TAIL_CALL_OFFSET / 4)
		ctx->flags |= FLAG_BAD_INSN;	/* the layout is off */
	/*
	 * tail-call entry (ARMJIT_TAIL_CALL_OFFSET): r0 = ctx, r1 = the
	 * count (at most MAX_TAIL_CALL_CNT) or a pointer to the count in
	 * an older frame that outlives this one; SLOT_TCC gets a pointer,
	 * to the count kept in its high word if it came by value.
	 */
	if (ctx->saved) {
		emit(arm_push(ctx->saved), ctx);
		ctx->push_at = ctx->idx - 1;
	}
	if (ctx->frame_size)
		emit_dp_imm(ctx, ARM_DP_SUB, false, ARM_SP, ARM_SP,
			    ctx->frame_size, ARM_IP);
	if (ctx->flags & FLAG_TCC) {
		int ptr;

		emit(arm_cmp_i(ARM_R1, MAX_TAIL_CALL_CNT), ctx);
		ptr = armjit_emit_fwd(ctx, ARM_COND_HI);
		emit(arm_str_i(ARM_R1, ARM_SP, SLOT_TCC + 4), ctx);
		emit(arm_add_i(ARM_R1, ARM_SP, SLOT_TCC + 4), ctx);
		armjit_fix_fwd(ctx, ptr);
		emit(arm_str_i(ARM_R1, ARM_SP, SLOT_TCC), ctx);
	}
	/* R1 = ctx: a 32-bit pointer (left as it is if nothing reads it) */
	if (!(ctx->flags & FLAG_R1_LIVE))
		return;
	if (ctx->map[BPF_REG_1].lo != ARM_R0)
		bpf_put_lo(ctx, BPF_REG_1, ARM_R0);
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
	bpf_get_reg64(ctx, BPF_REG_0, &lo, &hi, ARM_R0, ARM_R1);
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
	/* a leaf's: the registers it writes are known at the pass's end */
	if (ctx->rec && (ctx->flags & FLAG_LEAF))
		armjit_rec_fix(ctx, 0);
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
			armjit_emit_dp(ctx, arm_mov_si(dh, dh, ARM_LSL, n), dh);
			armjit_emit_dp(ctx, arm_orr_si(dh, dh, dl, ARM_LSR, 32 - n),
				       dh);
			armjit_emit_dp(ctx, arm_mov_si(dl, dl, ARM_LSL, n), dl);
		} else {
			armjit_emit_dp(ctx, arm_mov_si(dh, dl, ARM_LSL, n - 32),
				       dh);
			emit_mov_imm(ctx, dl, 0);
		}
		break;
	case BPF_RSH:
		if (n < 32) {
			armjit_emit_dp(ctx, arm_mov_si(dl, dl, ARM_LSR, n), dl);
			armjit_emit_dp(ctx, arm_orr_si(dl, dl, dh, ARM_LSL, 32 - n),
				       dl);
			armjit_emit_dp(ctx, arm_mov_si(dh, dh, ARM_LSR, n), dh);
		} else {
			armjit_emit_dp(ctx, arm_mov_si(dl, dh, ARM_LSR, n - 32),
				       dl);
			emit_mov_imm(ctx, dh, 0);
		}
		break;
	case BPF_ARSH:
		if (n < 32) {
			armjit_emit_dp(ctx, arm_mov_si(dl, dl, ARM_LSR, n), dl);
			armjit_emit_dp(ctx, arm_orr_si(dl, dl, dh, ARM_LSL, 32 - n),
				       dl);
			armjit_emit_dp(ctx, arm_mov_si(dh, dh, ARM_ASR, n), dh);
		} else {
			armjit_emit_dp(ctx, arm_mov_si(dl, dh, ARM_ASR, n - 32),
				       dl);
			armjit_emit_dp(ctx, arm_mov_si(dh, dh, ARM_ASR, 31),
				       dh);
		}
		break;
	}
}

/* Save r0-r3 (R1, R2 live there) around a call to a kernel routine. */
#define CALL_SAVED	0x000f

/* Store word src to BPF register r's word in or under the r0-r3 save area. */
static void bpf_put_saved(struct armjit_ctx *ctx, u8 r, bool hi, u8 src,
		     s32 save_off)
{
	s8 own = hi ? ctx->map[r].hi : ctx->map[r].lo;

	if (own >= 0 && (CALL_SAVED & 1 << own))
		emit(arm_str_i(src, ARM_SP, save_off + 4 * own), ctx);
	else
		bpf_put_half(ctx, r, hi, src);
}

/*
 * Call a kernel routine: one bl when the image's address is known and the
 * routine within +-32 MB of this instruction (the module area and kernel
 * text, always on these kernels), else through ip. The choice depends on
 * this instruction's own index, the same in the last sizing pass and the
 * final one. Not for bpf-to-bpf calls: their targets come in the extra
 * pass, which must keep the size. Before the address is known: a bl
 * (ctx->near_guess), unless this compile found one out of reach.
 */
static void emit_call_addr(struct armjit_ctx *ctx, u32 addr)
{
	s32 off;

	if (!ctx->image_addr && !ctx->calls_far) {
		ctx->near_guess = true;
		emit(arm_bl(0), ctx);
		if (ctx->rec)
			armjit_rec_fix(ctx, addr);
		return;
	}

	off = (s32)(addr - (ctx->image_addr + 4 * armjit_emit_index(ctx) + 8));
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
	armjit_emit_mul(ctx, arm_umull(ARM_R10, ARM_R11, ARM_R0, ARM_R2));
	armjit_emit_mul(ctx, arm_mla(ARM_R11, ARM_R0, ARM_R3, ARM_R11));
	armjit_emit_mul(ctx, arm_mla(ARM_R11, ARM_R1, ARM_R2, ARM_R11));
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
		rs = bpf_get_lo(ctx, src, TMP_B_LO);
		if (rs != TMP_B_LO)
			emit(arm_mov_r(TMP_B_LO, rs), ctx);
		if (is64) {
			rs = bpf_get_hi(ctx, src, TMP_B_HI);
			if (rs != TMP_B_HI)
				emit(arm_mov_r(TMP_B_HI, rs), ctx);
		}
	}
	rs = bpf_get_lo(ctx, dst, TMP_A_LO);
	emit(arm_mov_r(ARM_R0, rs), ctx);
	if (is64) {
		rs = bpf_get_hi(ctx, dst, TMP_A_HI);
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
		bpf_put_saved(ctx, dst, false, mod ? ARM_R1 : ARM_R0, 0);
		if (!ctx->verifier_zext) {
			emit(arm_mov_i(ARM_R0, 0), ctx);
			bpf_put_saved(ctx, dst, true, ARM_R0, 0);
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
		bpf_put_saved(ctx, dst, false, ARM_R0, extra);
		bpf_put_saved(ctx, dst, true, ARM_R1, extra);
	} else if (!mod) {
		emit_call_addr(ctx, armjit_rt.div64_u64);
		bpf_put_saved(ctx, dst, false, ARM_R0, extra);
		bpf_put_saved(ctx, dst, true, ARM_R1, extra);
	} else {
		emit(arm_add_i(ARM_IP, ARM_SP, 8), ctx);
		emit(arm_str_i(ARM_IP, ARM_SP, 0), ctx);
		emit_call_addr(ctx, armjit_rt.div64_u64_rem);
		emit(arm_ldr_i(ARM_R0, ARM_SP, 8), ctx);
		emit(arm_ldr_i(ARM_R1, ARM_SP, 12), ctx);
		bpf_put_saved(ctx, dst, false, ARM_R0, extra);
		bpf_put_saved(ctx, dst, true, ARM_R1, extra);
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

	bpf_get_reg64(ctx, dst, &dl, &dh, TMP_A_LO, TMP_A_HI);
	if (BPF_SRC(insn->code) == BPF_X) {
		bpf_get_reg64(ctx, insn->src_reg, &sl, &sh, TMP_B_LO, TMP_B_HI);
		emit(arm_cmp_i(dh, 0), ctx);
		emit(arm_cond(ARM_COND_EQ, arm_cmp_i(sh, 0)), ctx);
	} else {
		sl = TMP_B_LO;
		emit_mov_imm(ctx, sl, insn->imm);
		emit(arm_cmp_i(dh, 0), ctx);
	}
	slow = armjit_emit_fwd(ctx, ARM_COND_NE);
	/* sh (maybe lr) is dead: lr takes the quotient for MOD */
	if (mod) {
		emit(arm_udiv(TMP_B_HI, dl, sl), ctx);
		armjit_emit_mul(ctx, arm_mls(dl, TMP_B_HI, sl, dl));
		bpf_put_lo(ctx, dst, dl);
	} else {
		emit(arm_udiv(dl, dl, sl), ctx);
		bpf_put_reg64(ctx, dst, dl, dh);	/* dh is 0 */
	}
	done = armjit_emit_fwd(ctx, ARM_COND_AL);
	armjit_fix_fwd(ctx, slow);
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
			dl = bpf_get_lo(ctx, dst, TMP_A_LO);
			if (mod) {
				emit_dp_imm(ctx, ARM_DP_AND, false, dl, dl,
					    (u32)k - 1, TMP_B_LO);
			} else if (is64 && n) {
				dh = bpf_get_hi(ctx, dst, TMP_A_HI);
				emit_shift64_k(ctx, BPF_RSH, dl, dh, n);
				bpf_put_hi(ctx, dst, dh);
			} else if (n) {
				emit(arm_mov_si(dl, dl, ARM_LSR, n), ctx);
			}
			bpf_put_lo(ctx, dst, dl);
			if (is64 && mod)
				zero_hi(ctx, dst);
			else if (!is64)
				zext32(ctx, dst);
			return 0;
		}
	}

	if (!is64 && armjit_rt.hwdiv) {
		dl = bpf_get_lo(ctx, dst, TMP_A_LO);
		if (BPF_SRC(insn->code) == BPF_K) {
			emit_mov_imm(ctx, TMP_B_LO, k);
			sl = TMP_B_LO;
		} else {
			sl = bpf_get_lo(ctx, src, TMP_B_LO);
		}
		/*
		 * udiv/sdiv give 0 for / 0; mod then keeps dst. sdiv gives
		 * INT_MIN / -1 = INT_MIN, so INT_MIN % -1 = 0.
		 */
		if (mod) {
			emit(sgn ? arm_sdiv(TMP_B_HI, dl, sl) :
				   arm_udiv(TMP_B_HI, dl, sl), ctx);
			armjit_emit_mul(ctx, arm_mls(dl, TMP_B_HI, sl, dl));
		} else {
			emit(sgn ? arm_sdiv(dl, dl, sl) : arm_udiv(dl, dl, sl),
			     ctx);
		}
		bpf_put_lo(ctx, dst, dl);
		zext32(ctx, dst);
		return 0;
	}

	if (is64 && !sgn && armjit_rt.hwdiv &&
	    (BPF_SRC(insn->code) == BPF_X || insn->imm > 0))
		fast = emit_udiv64_fast(ctx, insn);
	if (BPF_SRC(insn->code) == BPF_X) {
		sl = bpf_get_lo(ctx, src, TMP_B_LO);
		if (is64) {
			sh = bpf_get_hi(ctx, src, TMP_B_HI);
			emit(arm_orrs_r(ARM_IP, sl, sh), ctx);
		} else {
			emit(arm_cmp_i(sl, 0), ctx);
		}
		zero = armjit_emit_fwd(ctx, ARM_COND_EQ);
	}
	emit_divmod_call(ctx, insn, is64);
	if (zero >= 0) {
		done = armjit_emit_fwd(ctx, ARM_COND_AL);
		armjit_fix_fwd(ctx, zero);
		emit_divmod_zero(ctx, dst, mod, is64);
		armjit_fix_fwd(ctx, done);
	}
	if (fast >= 0)
		armjit_fix_fwd(ctx, fast);
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
	dl = bpf_get_lo(ctx, dst, TMP_A_LO);
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
		dh = bpf_get_hi(ctx, dst, TMP_A_HI);
		emit(arm_rev(ARM_IP, dl), ctx);
		emit(arm_rev(dl, dh), ctx);
		emit(arm_mov_r(dh, ARM_IP), ctx);
		bpf_put_hi(ctx, dst, dh);
		break;
	}
	bpf_put_lo(ctx, dst, dl);
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
	if (r == BPF_REG_FP)
		return false;
	if (is_mapped(ctx, r))
		return armjit_emit_const(ctx, ctx->map[r].lo, v);
	return armjit_emit_slot_const(ctx, slot_off(ctx, r, false), v);
}

/*
 * A shift by a register holding a known amount is the shift by that
 * constant (BPF masks the amount to 31 or 63): a few instructions, not
 * the variable shift's sequence. Returns the insn to translate.
 */
static noinline const struct bpf_insn *
shift_x_const(const struct armjit_ctx *ctx, const struct bpf_insn *insn,
	      struct bpf_insn *tmp)
{
	u32 v;

	if (!lo_const(ctx, insn->src_reg, &v))
		return insn;
	*tmp = *insn;
	tmp->code = BPF_CLASS(insn->code) | BPF_OP(insn->code) | BPF_K;
	tmp->src_reg = 0;
	tmp->imm = v & (BPF_CLASS(insn->code) == BPF_ALU64 ? 63 : 31);
	return tmp;
}

/* shift_x_const() for a shift by a register; any other insn as it is */
static __always_inline const struct bpf_insn *
shift_by_const(const struct armjit_ctx *ctx, const struct bpf_insn *insn,
	       struct bpf_insn *tmp)
{
	u8 op = BPF_OP(insn->code);

	if (BPF_SRC(insn->code) != BPF_X ||
	    (op != BPF_LSH && op != BPF_RSH && op != BPF_ARSH))
		return insn;
	return shift_x_const(ctx, insn, tmp);
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
			sl = bpf_get_lo(ctx, src, TMP_A_LO);
			dl = bpf_dst_lo(ctx, dst, TMP_A_LO);
			emit(insn->off == 8 ? arm_sxtb(dl, sl) : arm_sxth(dl, sl),
			     ctx);
			bpf_put_lo(ctx, dst, dl);
			zext32(ctx, dst);
			return 0;
		}
		/* imm 1: the verifier's explicit zero-extension */
		if (!k && imm == 1 && src == dst) {
			zero_hi(ctx, dst);
			return 0;
		}
		if (k) {
			dl = bpf_dst_lo(ctx, dst, TMP_A_LO);
			emit_mov_imm(ctx, dl, imm);
		} else {
			dl = bpf_get_lo(ctx, src, TMP_A_LO);
		}
		bpf_put_lo(ctx, dst, dl);
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

	dl = bpf_get_lo(ctx, dst, TMP_A_LO);
	sl = k ? TMP_B_LO : src == dst ? dl : bpf_get_lo(ctx, src, TMP_B_LO);
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
			armjit_emit_dp(ctx, arm_dp_reg(bpf2dp(op), false, dl,
						       dl, sl), dl);
		break;
	case BPF_MUL:
		if (k)
			emit_mov_imm(ctx, sl, imm);
		armjit_emit_mul(ctx, arm_mul(dl, dl, sl));
		break;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH: {
		enum arm_shift t = op == BPF_LSH ? ARM_LSL :
				   op == BPF_RSH ? ARM_LSR : ARM_ASR;

		if (k) {
			armjit_emit_dp(ctx, arm_mov_si(dl, dl, t, imm & 31), dl);
		} else {
			emit(arm_and_i(TMP_B_LO, sl, 31), ctx);
			emit(arm_mov_sr(dl, dl, t, TMP_B_LO), ctx);
		}
		break;
	}
	case BPF_NEG:
		armjit_emit_dp(ctx, arm_rsb_i(dl, dl, 0), dl);
		break;
	default:
		return -EOPNOTSUPP;
	}
	bpf_put_lo(ctx, dst, dl);
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
	sl = bpf_get_lo(ctx, insn->src_reg, TMP_A_LO);
	dl = bpf_dst_lo(ctx, dst, TMP_A_LO);
	dh = bpf_dst_hi(ctx, dst, TMP_A_HI);
	if (insn->off == 8)
		emit(arm_sxtb(dl, sl), ctx);
	else if (insn->off == 16)
		emit(arm_sxth(dl, sl), ctx);
	else if (dl != sl)
		emit(arm_mov_r(dl, sl), ctx);
	emit(arm_mov_si(dh, dl, ARM_ASR, 31), ctx);
	bpf_put_lo(ctx, dst, dl);
	bpf_put_hi(ctx, dst, dh);
	return 0;
}

/*
 * An ALU64 op whose hi word nothing reads: its lo word as the 32-bit op
 * computes it (add, sub, and, or, xor, mul, neg, a left shift by less
 * than 32), or from both words for a right shift by K: 0 or an error. 1
 * for the other ops: they compute both words. Not inline: its copy of the
 * insn would cost emit_alu64() a stack canary.
 */
static noinline int emit_alu64_lo(struct armjit_ctx *ctx,
				  const struct bpf_insn *insn)
{
	u8 op = BPF_OP(insn->code), dst = insn->dst_reg, n = insn->imm & 63;
	bool k = BPF_SRC(insn->code) == BPF_K;
	struct bpf_insn alu32 = *insn;
	u8 dl, dh;

	if ((op == BPF_RSH || op == BPF_ARSH) && k && n) {
		bpf_get_reg64(ctx, dst, &dl, &dh, TMP_A_LO, TMP_A_HI);
		if (n < 32) {
			emit(arm_mov_si(dl, dl, ARM_LSR, n), ctx);
			emit(arm_orr_si(dl, dl, dh, ARM_LSL, 32 - n), ctx);
		} else {
			emit(arm_mov_si(dl, dh, op == BPF_RSH ? ARM_LSR : ARM_ASR,
					n - 32), ctx);
		}
		bpf_put_lo(ctx, dst, dl);
		return 0;
	}
	if (op != BPF_ADD && op != BPF_SUB && op != BPF_AND && op != BPF_OR &&
	    op != BPF_XOR && op != BPF_MUL && op != BPF_NEG &&
	    !(op == BPF_LSH && k && n < 32))
		return 1;
	alu32.code = BPF_ALU | op | BPF_SRC(insn->code);
	return emit_alu32(ctx, &alu32);	/* these: 0 or an error */
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
			sl = bpf_get_lo(ctx, src, bpf_dst_lo(ctx, dst, TMP_A_LO));
			bpf_put_lo(ctx, dst, sl);
		} else if (src != dst) {
			supersede_pending(ctx, dst);
			bpf_get_reg64(ctx, src, &sl, &sh, bpf_dst_lo(ctx, dst, TMP_A_LO),
			     bpf_dst_hi(ctx, dst, TMP_A_HI));
			bpf_put_reg64(ctx, dst, sl, sh);
		}
		return 0;
	case BPF_DIV:
	case BPF_MOD:
		return emit_divmod(ctx, insn, true);
	case BPF_END:
		return emit_end(ctx, insn);
	}
	if (!word_live(ctx, dst, true)) {
		ret = emit_alu64_lo(ctx, insn);
		if (ret <= 0)
			return ret;
	}

	bpf_get_reg64(ctx, dst, &dl, &dh, TMP_A_LO, TMP_A_HI);
	if (!k && op != BPF_NEG) {
		/* r10:r11 (one ldrd) when dst doesn't need them */
		u8 tl = is_mapped(ctx, dst) ? TMP_A_LO : TMP_B_LO;
		u8 th = is_mapped(ctx, dst) ? TMP_A_HI : TMP_B_HI;

		if (src == dst) {
			sl = dl;	/* read before any is written */
			sh = dh;
		} else if (op != BPF_LSH && op != BPF_RSH && op != BPF_ARSH) {
			bpf_get_reg64(ctx, src, &sl, &sh, tl, th);
		} else {
			sl = bpf_get_lo(ctx, src, tl);
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
			armjit_emit_dp(ctx, arm_dp_reg(bpf2dp(op), true, dl, dl,
						       sl), dl);
			armjit_emit_dp(ctx, arm_dp_reg(op == BPF_ADD ?
						       ARM_DP_ADC : ARM_DP_SBC,
						       false, dh, dh, sh), dh);
		}
		break;
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		if (!k) {
			armjit_emit_dp(ctx, arm_dp_reg(bpf2dp(op), false, dl,
						       dl, sl), dl);
			armjit_emit_dp(ctx, arm_dp_reg(bpf2dp(op), false, dh,
						       dh, sh), dh);
			break;
		}
		emit_dp_imm(ctx, bpf2dp(op), false, dl, dl, imm, TMP_B_LO);
		/* hi word of the constant: 0 or ~0 */
		if (op == BPF_AND && !imm_hi)
			emit_mov_imm(ctx, dh, 0);
		else if (op == BPF_OR && imm_hi)
			emit_mov_imm(ctx, dh, ~0U);
		else if (op == BPF_XOR && imm_hi)
			armjit_emit_dp(ctx, arm_mvn_r(dh, dh), dh);
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
			armjit_emit_mul(ctx, arm_mul(ARM_LR, dl, ARM_LR));
			armjit_emit_mul(ctx, arm_mla(ARM_LR, dh, ARM_IP, ARM_LR));
			armjit_emit_mul(ctx, arm_umull(dl, dh, dl, ARM_IP));
			armjit_emit_dp(ctx, arm_add_r(dh, dh, ARM_LR), dh);
		} else {
			/*
			 * src in its own registers (maybe dst's) or r10:r11:
			 * dh is read before umull writes it (no lr, which a
			 * leaf program would have to save)
			 */
			armjit_emit_mul(ctx, arm_mul(ARM_IP, dl, sh));
			armjit_emit_mul(ctx, arm_mla(ARM_IP, dh, sl, ARM_IP));
			armjit_emit_mul(ctx, arm_umull(dl, dh, dl, sl));
			armjit_emit_dp(ctx, arm_add_r(dh, dh, ARM_IP), dh);
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
		armjit_emit_dp(ctx, arm_rsbs_i(dl, dl, 0), dl);
		armjit_emit_dp(ctx, arm_rsc_i(dh, dh, 0), dh);
		break;
	default:
		return -EOPNOTSUPP;
	}
	bpf_put_reg64(ctx, dst, dl, dh);
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
		base = bpf_get_lo(ctx, r, TMP_A_HI);
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
	dl = bpf_dst_lo(ctx, dst, TMP_B_LO);
	if (size == BPF_B)
		emit(arm_ldrsb_i(dl, base, off), ctx);
	else if (size == BPF_H)
		emit(arm_ldrsh_i(dl, base, off), ctx);
	else
		emit(arm_ldr_i(dl, base, off), ctx);
	dh = bpf_dst_hi(ctx, dst, TMP_B_HI);
	emit(arm_mov_si(dh, dl, ARM_ASR, 31), ctx);
	bpf_put_lo(ctx, dst, dl);
	bpf_put_hi(ctx, dst, dh);
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
	dl = bpf_dst_lo(ctx, dst, TMP_B_LO);
	if (size != BPF_DW) {
		armjit_emit_mem_word(ctx, arm_load(size, dl, base, off), dl,
				     base, true);
		bpf_put_lo(ctx, dst, dl);
		zext32(ctx, dst);
		return 0;
	}
	/* a stacked dst in r10:r11: one strd */
	dl = bpf_dst_lo(ctx, dst, TMP_A_LO);
	dh = bpf_dst_hi(ctx, dst, TMP_A_HI);
	if (sp_pair_ok(base, off, dl, dh)) {
		armjit_emit_ldrd_sp(ctx, dl, off);
	} else if (dl == base) {
		emit(arm_ldr_i(dh, base, off + 4), ctx);
		emit(arm_ldr_i(dl, base, off), ctx);
	} else {
		emit(arm_ldr_i(dl, base, off), ctx);
		emit(arm_ldr_i(dh, base, off + 4), ctx);
	}
	bpf_put_reg64(ctx, dst, dl, dh);
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
		bpf_get_reg64(ctx, insn->src_reg, &sl, &sh, TMP_A_LO, TMP_A_HI);
		if (!is_pair(sl, sh))
			return false;	/* nothing emitted: mapped */
	}
	armjit_emit_strd_sp(ctx, sl, off);
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

	ok &= ~(1U << TMP_A_HI);
	if (off < -lim || off > lim)
		ok &= ~(1U << TMP_A_LO);
	/* masks, not a question per register: this runs for every store */
	if (BPF_CLASS(insn->code) == BPF_ST)
		ok &= armjit_emit_known_regs(ctx, insn->imm);
	else if (!is_mapped(ctx, insn->src_reg) &&
		 insn->src_reg != BPF_REG_FP)
		ok &= armjit_emit_holding(ctx, slot_off(ctx, insn->src_reg,
							false));
	else
		ok = 0;
	if (!ok)
		return false;
	*reg = __builtin_ctz(ok);	/* the lowest, as ever */
	return true;
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
		sl = bpf_get_lo(ctx, src, TMP_B_LO);
		if (size == BPF_DW)
			sh = bpf_get_hi(ctx, src, TMP_B_HI);
	}
	base = mem_base(ctx, insn->dst_reg, &off, size == BPF_DW ? 8 : 1,
			size_lim(size));
	armjit_emit_mem_word(ctx, arm_store(size, sl, base, off), sl, base,
			     false);
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

static void bpf_put_atomic(struct armjit_ctx *ctx, u8 r, bool hi, u8 src)
{
	s8 own = hi ? ctx->map[r].hi : ctx->map[r].lo;

	if (own >= 0 && (ATOMIC_SAVED & 1 << own))
		emit(arm_str_i(src, ARM_SP, 4 * (own - ARM_R4)), ctx);
	else
		bpf_put_half(ctx, r, hi, src);
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
	struct armjit_emit_state st;
	int loop;

	if ((op != BPF_ADD && op != BPF_AND && op != BPF_OR &&
	     op != BPF_XOR) || !is_mapped(ctx, src) || ctx->sp_adj)
		return false;
	sl = ctx->map[src].lo;
	sh = ctx->map[src].hi;
	if (dst == BPF_REG_FP) {
		if (!armjit_emit_ip_is_sp(ctx, sp_off))
			emit_add_imm(ctx, ARM_IP, ARM_SP, sp_off, ARM_IP);
	} else if (is_mapped(ctx, dst) && !insn->off) {
		base = ctx->map[dst].lo;
	} else {
		r = bpf_get_lo(ctx, dst, ARM_IP);
		emit_add_imm(ctx, ARM_IP, r, insn->off, ARM_LR);
	}
	armjit_emit_save(ctx, &st);
	armjit_land(ctx);	/* the loop's head */
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
	armjit_emit_b(ctx, ARM_COND_NE, loop);
	/* as before the loop, less r10, r11, lr and the BPF stack */
	armjit_emit_restore(ctx, &st,
			    1U << ARM_R10 | 1U << ARM_R11 | 1U << ARM_LR);
	if (dst == BPF_REG_FP)
		armjit_emit_set_ip_sp(ctx, sp_off);
	return true;
}

/* dmb ish; ARMv6K: the CP15 barrier, with tmp = 0 */
static void emit_barrier(struct armjit_ctx *ctx, u8 tmp)
{
	if (arm_v7()) {
		emit(arm_dmb_ish(), ctx);
		return;
	}
	emit_mov_imm(ctx, tmp, 0);
	emit(arm_cp15_dmb(tmp), ctx);
}

static int emit_atomic(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	bool dw = BPF_SIZE(insn->code) == BPF_DW;
	u8 dst = insn->dst_reg, src = insn->src_reg;
	s32 op = insn->imm;
	int loop, out = -1;
	u8 r;

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
	if (BPF_SIZE(insn->code) != BPF_W && !dw)
		return -EINVAL;

	if (emit_atomic_plain(ctx, insn, dw))
		return 0;
	emit(arm_push(ATOMIC_SAVED), ctx);
	ctx->sp_adj += 16;
	/* ip = dst + off */
	if (dst == BPF_REG_FP) {
		emit_add_imm(ctx, ARM_IP, ARM_SP, fp_off(ctx) + insn->off,
			     ARM_IP);
	} else {
		r = bpf_get_lo(ctx, dst, ARM_IP);
		emit_add_imm(ctx, ARM_IP, r, insn->off, ARM_LR);
	}
	/* R0 first: it may live in r6:r7 */
	if (op == BPF_CMPXCHG) {
		r = bpf_get_lo(ctx, BPF_REG_0, ARM_R10);
		if (r != ARM_R10)
			emit(arm_mov_r(ARM_R10, r), ctx);
		if (dw) {
			r = bpf_get_hi(ctx, BPF_REG_0, ARM_R11);
			if (r != ARM_R11)
				emit(arm_mov_r(ARM_R11, r), ctx);
		}
	}
	/* r6:r7 = src: read from r4/r5 before they are overwritten */
	r = bpf_get_lo(ctx, src, ARM_R6);
	if (dw) {
		/* src hi can't be r6 unless src lo was r6 too */
		if (r != ARM_R6)
			emit(arm_mov_r(ARM_R6, r), ctx);
		r = bpf_get_hi(ctx, src, ARM_R7);
		if (r != ARM_R7)
			emit(arm_mov_r(ARM_R7, r), ctx);
	} else if (r != ARM_R6) {
		emit(arm_mov_r(ARM_R6, r), ctx);
	}

	emit_barrier(ctx, ARM_R4);	/* r4: the loop loads it */
	armjit_land(ctx);	/* the loop's head */
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
		out = armjit_emit_fwd(ctx, ARM_COND_NE);
		break;
	}
	r = (op == BPF_XCHG || op == BPF_CMPXCHG) ? ARM_R6 : ARM_R10;
	emit(dw ? arm_strexd(ARM_LR, r, ARM_IP) : arm_strex(ARM_LR, r, ARM_IP),
	     ctx);
	emit(arm_cmp_i(ARM_LR, 0), ctx);
	armjit_emit_b(ctx, ARM_COND_NE, loop);
	if (out >= 0)
		armjit_fix_fwd(ctx, out);
	emit_barrier(ctx, ARM_LR);	/* lr: strex's status, dead now */

	if (op & BPF_FETCH) {
		r = op == BPF_CMPXCHG ? BPF_REG_0 : src;
		bpf_put_atomic(ctx, r, false, ARM_R4);
		if (!dw)
			emit(arm_mov_i(ARM_R5, 0), ctx);
		bpf_put_atomic(ctx, r, true, ARM_R5);
	}
	emit(arm_pop(ATOMIC_SAVED), ctx);
	ctx->sp_adj -= 16;
	return 0;
}

/*
 * 7.2's load-acquire: the load, then a barrier (no later access before
 * it); store-release: a barrier, then the store (no earlier access after
 * it), as the kernel's smp_load_acquire()/smp_store_release() on ARM.
 * Kept-back stores may cross the barrier: they go to the frame's
 * register slots, which no other CPU sees.
 */
static int emit_acq_rel(struct armjit_ctx *ctx, const struct bpf_insn *insn)
{
	struct bpf_insn plain;
	int ret;

	armjit_plain_insn(insn, &plain);
	if (BPF_SIZE(insn->code) == BPF_DW)
		return -EOPNOTSUPP;	/* 64-bit kernels only */
	if (insn->imm == BPF_STORE_REL) {
		emit_barrier(ctx, TMP_B_LO);
		return emit_st(ctx, &plain);
	}
	ret = emit_ldx(ctx, &plain);
	if (!ret)
		emit_barrier(ctx, TMP_B_LO);
	return ret;
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
		if (armjit_emit_holds(ctx, regs[i], slot_off(ctx, r, hi))) {
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
			bpf_get_reg64(ctx, insn->dst_reg, &dl, &dh, TMP_A_LO, TMP_A_HI);
	} else if (!held_word(ctx, insn->dst_reg, false, &dl)) {
		dl = bpf_get_lo(ctx, insn->dst_reg, TMP_A_LO);
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
		bpf_get_reg64(ctx, insn->src_reg, &sl, &sh, TMP_A_LO, TMP_A_HI);
	} else if (!k) {
		sl = bpf_get_lo(ctx, insn->src_reg, TMP_B_LO);
		if (is64)
			sh = bpf_get_hi(ctx, insn->src_reg, TMP_B_HI);
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
	u8 rs = hi ? bpf_get_hi(ctx, r, rt) : bpf_get_lo(ctx, r, rt);

	if (rs != rt)
		armjit_emit_dp(ctx, arm_mov_r(rt, rs), rt);
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
						armjit_arg_slot(i)), ctx);
	}
	if (bpf2bpf) {
		emit_mov_addr(ctx, ARM_IP, addr);
		emit(arm_blx_r(ARM_IP), ctx);
	} else {
		emit_call_addr(ctx, addr);
	}
	if (conv && conv->conv == ARMJIT_CONV_AAPCS && conv->ret_size == 4)
		emit(arm_mov_i(ARM_R1, 0), ctx);
	bpf_put_reg64(ctx, BPF_REG_0, ARM_R0, ARM_R1);
	return 0;
}

/*
 * A helper in place (armjit_inline_kind()): R0 = current, or its CPU
 * number (current_thread_info()->cpu, raw_smp_processor_id()). R1-R5 are
 * kept: the verifier may have dropped their spills around
 * bpf_get_smp_processor_id (bpf_fastcall). bpf_get_current_task returns
 * (long)current: its hi word is the lo word's sign.
 */
static bool emit_inline_helper(struct armjit_ctx *ctx,
			       const struct bpf_insn *insn)
{
	int kind = armjit_inline_kind(ctx, insn);
	u8 rd;

	if (kind == ARMJIT_INL_NONE)
		return false;
	rd = bpf_dst_lo(ctx, BPF_REG_0, TMP_A_LO);
	if (kind == ARMJIT_INL_CPU && armjit_rt.cpu_up) {
		emit(arm_mov_i(rd, 0), ctx);
	} else {
		emit(arm_mrc_tpidruro(rd), ctx);
		if (kind == ARMJIT_INL_CPU)
			emit(arm_ldr_i(rd, rd, armjit_rt.cpu_off), ctx);
	}
	bpf_put_lo(ctx, BPF_REG_0, rd);
	if (kind != ARMJIT_INL_TASK) {
		zero_hi(ctx, BPF_REG_0);
	} else if (word_live(ctx, BPF_REG_0, true)) {
		u8 rh = bpf_dst_hi(ctx, BPF_REG_0, TMP_A_HI);

		emit(arm_dp_rsi(ARM_DP_MOV, false, rh, 0, rd, ARM_ASR, 31),
		     ctx);
		bpf_put_hi(ctx, BPF_REG_0, rh);
	}
	return true;
}

/*
 * bpf_tail_call(ctx, array, index), the kernel's semantics:
 *	if (index >= array->map.max_entries) goto out;
 *	if (*tcc >= MAX_TAIL_CALL_CNT) goto out;
 *	(*tcc)++;
 *	prog = array->ptrs[index]; if (!prog) goto out;
 * (7.2 counts after the NULL check: armjit_rt.tc_count_empty 0)
 *	tear down this frame, enter prog past its count = 0.
 * tcc (SLOT_TCC) points to one count for the whole call tree, as x86's and
 * arm64's since 6.10 ("tailcall hierarchy"): a subprogram's tail call
 * adds to its callers' count. The target gets the pointer, or the count
 * itself if it was in this frame (a main program's own). A target armjit
 * did not compile is treated like an empty slot. Only scratch registers
 * are used until the target is certain: R1-R5 are dead after the call.
 */
static int emit_tail_call(struct armjit_ctx *ctx)
{
	int out[4], own;
	u8 arr, idx;

	arr = bpf_get_lo(ctx, BPF_REG_2, TMP_A_LO);
	idx = bpf_get_lo(ctx, BPF_REG_3, ARM_LR);
	if (idx != ARM_LR)
		emit(arm_mov_r(ARM_LR, idx), ctx);
	emit(arm_ldr_i(ARM_IP, arr, offsetof(struct bpf_array,
					     map.max_entries)), ctx);
	emit(arm_cmp_r(ARM_LR, ARM_IP), ctx);
	out[0] = armjit_emit_fwd(ctx, ARM_COND_HS);

	emit(arm_ldr_i(ARM_R11, ARM_SP, SLOT_TCC), ctx);
	emit(arm_ldr_i(ARM_IP, ARM_R11, 0), ctx);
	emit(arm_cmp_i(ARM_IP, MAX_TAIL_CALL_CNT), ctx);
	out[1] = armjit_emit_fwd(ctx, ARM_COND_HS);
	if (armjit_rt.tc_count_empty) {
		emit(arm_add_i(ARM_IP, ARM_IP, 1), ctx);
		emit(arm_str_i(ARM_IP, ARM_R11, 0), ctx);
	}

	emit(arm_dp_rsi(ARM_DP_ADD, false, ARM_LR, arr, ARM_LR, ARM_LSL, 2),
	     ctx);
	emit(arm_ldr_i(ARM_LR, ARM_LR, offsetof(struct bpf_array, ptrs)), ctx);
	emit(arm_cmp_i(ARM_LR, 0), ctx);
	out[2] = armjit_emit_fwd(ctx, ARM_COND_EQ);

	/*
	 * Only enter armjit code of this tail-call ABI: an older armjit's
	 * image, or a program the stock JIT or the interpreter runs, has
	 * other conventions. Its word ARMJIT_MARK_WORD tells.
	 */
	emit(arm_ldr_i(ARM_LR, ARM_LR, offsetof(struct bpf_prog, bpf_func)),
	     ctx);
	emit(arm_ldr_i(ARM_R10, ARM_LR, 4 * ARMJIT_MARK_WORD), ctx);
	emit_mov_addr(ctx, ARM_IP, ARMJIT_TC_MARK(ARMJIT_TC_ABI));
	emit(arm_cmp_r(ARM_R10, ARM_IP), ctx);
	out[3] = armjit_emit_fwd(ctx, ARM_COND_NE);
	if (!armjit_rt.tc_count_empty) {
		/* only a tail call that is taken counts (7.2) */
		emit(arm_ldr_i(ARM_IP, ARM_R11, 0), ctx);
		emit(arm_add_i(ARM_IP, ARM_IP, 1), ctx);
		emit(arm_str_i(ARM_IP, ARM_R11, 0), ctx);
	}

	ld_word(ctx, ARM_R0, BPF_REG_1, false);		/* ctx */
	emit(arm_mov_r(ARM_R1, ARM_R11), ctx);		/* tcc */
	if (!ctx->is_subprog) {
		/* this frame's own count goes by value: the frame goes */
		emit(arm_add_i(ARM_IP, ARM_SP, SLOT_TCC + 4), ctx);
		emit(arm_cmp_r(ARM_R11, ARM_IP), ctx);
		own = armjit_emit_fwd(ctx, ARM_COND_NE);
		emit(arm_ldr_i(ARM_R1, ARM_R11, 0), ctx);
		armjit_fix_fwd(ctx, own);
	}
	emit(arm_add_i(ARM_IP, ARM_LR, ARMJIT_TAIL_CALL_OFFSET), ctx);
	emit_teardown(ctx, ARM_R2);
	emit(arm_pop(SAVED_REGS), ctx);
	emit(arm_bx(ARM_IP), ctx);

	armjit_fix_fwd(ctx, out[0]);
	armjit_fix_fwd(ctx, out[1]);
	armjit_fix_fwd(ctx, out[2]);
	armjit_fix_fwd(ctx, out[3]);
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
	s64 target = armjit_jmp_target(ctx, insn, i);
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
		if (emit_inline_helper(ctx, insn))
			return 0;
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
		return armjit_emit_jump(ctx, ARM_COND_AL, ctx->len);
	}

	if (target < 0 || target > ctx->len)
		return -EINVAL;
	if (op == BPF_JA) {
		if (target == i + 1)
			return 0;
		return armjit_emit_jump(ctx, ARM_COND_AL, target);
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
	return armjit_emit_jump(ctx, cond, target);
}

/* ---- Two insns as one -------------------------------------------------- */

/*
 * "rD = rS; rD op= K/rX" (clang's pointer arithmetic, bounds checks) when
 * the second insn is no jump target: op straight from rS's registers,
 * without the copy. FP + K is sp + constant (hi 0) when that isn't below
 * sp. 64 bits: ADD, SUB; 32 bits: ADD, SUB, AND, OR, XOR and shifts by K.
 * Returns 1 when it emitted both insns, 0 when they don't pair.
 */
static noinline int emit_fused_mov(struct armjit_ctx *ctx,
				   const struct bpf_insn *a,
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
		sl = bpf_get_lo(ctx, src, TMP_A_LO);
		dl = bpf_dst_lo(ctx, dst, TMP_A_LO);
		if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
			emit(arm_mov_si(dl, sl, t, imm & 31), ctx);
		else
			emit_dp_imm(ctx, bpf2dp(op), false, dl, sl, imm,
				    TMP_B_LO);
		bpf_put_lo(ctx, dst, dl);
		zext32(ctx, dst);
		return 1;
	}
	if (op != BPF_ADD && op != BPF_SUB)
		return 0;
	if (!k && x == dst)
		return 0;
	dl = bpf_dst_lo(ctx, dst, TMP_A_LO);
	dh = bpf_dst_hi(ctx, dst, TMP_A_HI);
	if (src == BPF_REG_FP) {
		v = (s64)fp_off(ctx) + (op == BPF_ADD ? (s64)b->imm :
							-(s64)b->imm);
		if (!k || v < 0 || v > 4095)
			return 0;
		emit_add_imm(ctx, dl, ARM_SP, v, TMP_B_LO);
		emit(arm_mov_i(dh, 0), ctx);
		bpf_put_reg64(ctx, dst, dl, dh);
		return 1;
	}
	bpf_get_reg64(ctx, src, &sl, &sh, TMP_A_LO, TMP_A_HI);
	if (k) {
		emit_dp_imm(ctx, bpf2dp(op), true, dl, sl, imm, TMP_B_LO);
		emit_dp_imm(ctx, op == BPF_ADD ? ARM_DP_ADC : ARM_DP_SBC,
			    false, dh, sh, imm_hi, TMP_B_LO);
	} else {
		bpf_get_reg64(ctx, x, &xl, &xh, TMP_B_LO, TMP_B_HI);
		emit(arm_dp_reg(bpf2dp(op), true, dl, sl, xl), ctx);
		emit(arm_dp_reg(op == BPF_ADD ? ARM_DP_ADC : ARM_DP_SBC,
				false, dh, sh, xh), ctx);
	}
	bpf_put_reg64(ctx, dst, dl, dh);
	return 1;
}

/* emit_fused_mov() when a is a copy: most insns are not */
static __always_inline int emit_fused(struct armjit_ctx *ctx,
				      const struct bpf_insn *a,
				      const struct bpf_insn *b)
{
	if (a->code != (BPF_CLASS(a->code) | BPF_MOV | BPF_X))
		return 0;
	return emit_fused_mov(ctx, a, b);
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
	const u32 *live = armjit_live(ctx);
	u32 def;

	/* without use_def[] every word is live (armjit_compute_live()) */
	if (!live || !ctx->use_def)
		return false;
	/* most insns: a word written is read */
	def = ctx->use_def[i].def;
	if (!def || (live[i] & def))
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
	return true;
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
		if (armjit_is_acq_rel(insn))
			return emit_acq_rel(ctx, insn);
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
			u8 rd = bpf_dst_lo(ctx, insn->dst_reg, TMP_B_LO);

			emit_mov_addr(ctx, rd, insn[0].imm);
			bpf_put_lo(ctx, insn->dst_reg, rd);
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
 * What a pass needs of the program alone, once per compile (not each
 * pass): leaf, jump targets, liveness, the register map, the frame, R1
 * read at entry, hi words known 0. ctx->prog_flags keeps the flags.
 */
int armjit_analyse(struct armjit_ctx *ctx)
{
	struct armjit_scan s;
	int ret;

	ret = armjit_scan(ctx, &s);
	if (ret)
		return ret;
	armjit_compute_live(ctx);
	armjit_choose_map(ctx, &s);
	armjit_scan_frame(ctx, &s);
	if (is_mapped(ctx, BPF_REG_1) && armjit_r1_live_in(ctx))
		ctx->flags |= FLAG_R1_LIVE;
	armjit_compute_hi0(ctx);
	ctx->prog_flags = ctx->flags;
	ctx->analysed = ctx->insns;
	ctx->analysed_len = ctx->len;
	return 0;
}

/* What a pass saves: a leaf only what the pass before it wrote. */
static u16 pass_saved(const struct armjit_ctx *ctx, bool known, u16 written)
{
	return (ctx->prog_flags & FLAG_LEAF) && known ?
	       armjit_leaf_saved(written) : SAVED_REGS;
}

int armjit_build(struct armjit_ctx *ctx)
{
	const u8 *tg;
	bool lit_stop;
	int i, ret, moved = 0;

	if (ctx->analysed != ctx->insns || ctx->analysed_len != ctx->len) {
		ret = armjit_analyse(ctx);
		if (ret)
			return ret;
	}
	ctx->idx = 0;
	ctx->settled = false;
	ctx->flags = ctx->prog_flags;
	ctx->sp_adj = 0;
	ctx->lit_n = 0;
	ctx->lit_bad = false;
	ctx->push_at = -1;
	armjit_emit_begin(ctx);
	ctx->saved = pass_saved(ctx, ctx->written_ok, ctx->written_last);
	ctx->frame_size = !(ctx->flags & FLAG_FRAME) ? 0 :
			  FRAME_FIXED + ((ctx->stack_depth + 7) & ~7U);

	build_prologue(ctx);
	/* recording: past the literal pool's reach, stop early */
	lit_stop = ctx->rec && ctx->lit;
	tg = armjit_targets(ctx);	/* is_target()'s, once */
	for (i = 0; i < ctx->len; i++) {
		if (!tg || tg[i])
			armjit_land(ctx);	/* a jump lands here */
		moved |= ctx->offsets[i] ^ ctx->idx;
		ctx->offsets[i] = ctx->idx;
		ctx->live_at = i;
		ctx->hi0_at = i;
		ret = build_insn(ctx, &ctx->insns[i], i);
		if (ret < 0)
			return ret;
		if (lit_stop && ctx->idx > ARMJIT_LIT_WORDS)
			return -E2BIG;
		if (ret) {
			i++;
			moved |= ctx->offsets[i] ^ ctx->idx;
			ctx->offsets[i] = ctx->idx;
		}
	}
	armjit_land(ctx);	/* exits branch here */
	moved |= ctx->offsets[ctx->len] ^ ctx->idx;
	ctx->offsets[ctx->len] = ctx->idx;
	ctx->epilogue_offset = ctx->idx;
	build_epilogue(ctx);
	if (ctx->lit)
		armjit_emit_lit_pool(ctx);

	/* more words than the image holds: none of them written */
	if (ctx->flags & FLAG_OVERFLOW)
		return -ENOSPC;
	/* a callee-saved register written but not saved: a pass differed */
	if (armjit_leaf_saved(ctx->written) & ~ctx->saved)
		ctx->flags |= FLAG_BAD_INSN;
	/* an operand no instruction can encode: a translation bug */
	if (WARN_ON_ONCE(ctx->flags & FLAG_BAD_INSN))
		return -EFAULT;
	/*
	 * Forward branches and exits took the previous pass's offsets: a
	 * pass after this one, with these and what this one wrote, would
	 * emit the same words if neither moved
	 */
	ctx->settled = !moved && !ctx->lit_bad &&
		       pass_saved(ctx, true, ctx->written) == ctx->saved;
	ctx->saved_next = pass_saved(ctx, true, ctx->written);
	ctx->written_last = ctx->written;
	ctx->written_ok = true;
	return 0;
}
