// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's emitter: owns the image, the index, the scratch cache (which
 * stack words and constants scratch registers hold), the kept-back store
 * and what the code wrote (ctx->written). Every word goes through
 * armjit_emit(), which reads the common ones' fields and decodes the
 * others (armjit_decode.h), to drop what is there already and to keep a
 * store back (a stacked register's word may come with its fields:
 * armjit_emit_ldr_sp() and the like); a word no encoder makes, a call,
 * push/pop or a change of sp makes it forget everything. Branches
 * and calls take their index through armjit_emit_index() (the kept-back
 * store goes out first); a place a branch lands calls armjit_land().
 */
#include "armjit_translate.h"
#include "armjit_decode.h"

/* ---- What the scratch registers hold ----------------------------------- */

/*
 * r10, r11, ip, lr (and r0-r3 after a call's result went to a stacked R0,
 * say) often still hold a stack slot's word when the next
 * insn loads it again, and registers a constant when the next insn sets
 * it again (clang rematerializes return codes before every bounds
 * check): emit() drops such a load, such a mov, and a store of a word
 * back to the slot it came from. ctx->cached[] is, per ARM register, the
 * sp offset of the word it holds, or -1 (always, but for the scratch
 * registers: ARMJIT_CACHE_REGS); bit r of ctx->cvalid says which hold
 * one. ctx->kmask/kval the known
 * constants. Every instruction emitted updates them (cache_decode()): a
 * register it may write is forgotten, so is a register mirroring a slot
 * it stores to; an unconditional ldr/str/ldrd/strd of a word at
 * [sp, #imm] and an unconditional mov/mvn/movw/movt of a constant are
 * remembered. Anything else, any call, any change of sp, and every place
 * a branch lands (jump targets, armjit_fix_fwd(), loop heads) forget
 * everything.
 */
static void cache_flush(struct armjit_ctx *ctx)
{
	memset(ctx->cached, 0xff, sizeof(ctx->cached));	/* all -1 */
	ctx->cvalid = 0;
	ctx->kmask = 0;
	ctx->ip_sp_ok = false;
}

u16 armjit_emit_known_regs(const struct armjit_ctx *ctx, u32 val)
{
	u16 m = ctx->kmask, regs = 0;

	while (m) {
		int r = __builtin_ctz(m);

		if (ctx->kval[r] == val)
			regs |= 1U << r;
		m &= m - 1;
	}
	return regs;
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

u16 armjit_emit_holding(const struct armjit_ctx *ctx, s32 off)
{
	u16 regs = 0, m = ctx->cvalid;

	if (off < 0)
		return 0;
	while (m) {
		int r = __builtin_ctz(m);

		m &= m - 1;
		if (ctx->cached[r] == off)
			regs |= 1U << r;
	}
	return regs;
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
 * What arm_decode() found (@d, of insn), for the scratch cache and the
 * kept-back stores. Multiplies and exclusives count the register after
 * the one in bits 15:12 and the one in 19:16 as written: what the decoder
 * before armjit_decode.h did (the images depend on it); rev and the
 * extends write rd alone.
 */
static bool arm_fx(u32 insn, const struct arm_dec *d, struct arm_fx *fx)
{
	u8 f12, f16;

	memset(fx, 0, sizeof(*fx));
	if (d->kind == ARM_K_UNKNOWN)
		return false;
	f12 = arm_field(insn, ARM_RD_SHIFT);
	f16 = arm_field(insn, ARM_RN_SHIFT);
	switch (d->kind) {
	case ARM_K_DMB:
	case ARM_K_CP15_DMB:	/* reads rt */
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
		fx->store = d->kind != ARM_K_MUL && d->kind != ARM_K_MLA &&
			    d->kind != ARM_K_MLS && d->kind != ARM_K_UMULL;
		return true;
	case ARM_K_UDIV:
	case ARM_K_SDIV:
	case ARM_K_REV:
	case ARM_K_REV16:
	case ARM_K_UXTH:
	case ARM_K_SXTB:
	case ARM_K_SXTH:
		if (sp_or_pc(d->rd))
			return false;
		fx->writes = 1U << d->rd;
		return true;
	case ARM_K_DP_IMM:
	case ARM_K_DP_RSI:
	case ARM_K_DP_RSR:
	case ARM_K_MOVW:
	case ARM_K_MOVT:
		if (d->kind != ARM_K_MOVW && d->kind != ARM_K_MOVT &&
		    d->op >= ARM_DP_TST && d->op <= ARM_DP_CMN)
			return true;	/* flags only */
		if (sp_or_pc(d->rd))
			return false;
		fx->writes = 1U << d->rd;
		return true;
	case ARM_K_LDST:
		return fx_ldst(d, fx);
	case ARM_K_MRC_TP:
		if (sp_or_pc(d->rt))
			return false;
		fx->writes = 1U << d->rt;
		return true;
	case ARM_K_LDR_R:
		fx->load = true;
		fx->rt = d->rt;
		if (sp_or_pc(d->rt))
			return false;
		fx->writes = 1U << d->rt;
		fx->at_sp = d->rn == ARM_SP;	/* a load: only rt changes */
		return true;
	default:	/* blx, push/pop, udf */
		return false;
	}
}

/*
 * A word emit() was given, decoded once for all it asks of it: what
 * arm_decode() found and, if arm_fx() follows it (ok), its effects.
 */
struct arm_word {
	struct arm_dec d;
	struct arm_fx fx;
	bool ok;
	bool k;		/* a constant's mov: rd = val (const_result()) */
	u32 val;
};

/*
 * const_result() here, once: what cache_hit() and cache_decode() ask of
 * it (the constants known) doesn't change in between.
 */
static void word_decode(const struct armjit_ctx *ctx, struct arm_word *w,
			u32 insn)
{
	arm_decode(insn, &w->d);
	w->ok = arm_fx(insn, &w->d, &w->fx);
	w->val = 0;
	w->k = const_result(ctx, &w->d, &w->val);
}

/*
 * What the word does to the scratch registers and the stack words they
 * hold; false (forget everything) for what arm_fx() doesn't follow.
 */
static bool cache_decode(struct armjit_ctx *ctx, const struct arm_word *w)
{
	const struct arm_dec *d = &w->d;
	const struct arm_fx *fx = &w->fx;
	u16 writes = fx->writes & 0x7fff;	/* r0-lr */
	bool al, k;

	if (!w->ok)
		return false;
	al = d->cond == ARM_COND_AL;
	/* mov/mvn/movw/movt of a constant (movt: rd's lo half known) */
	k = al && w->k;
	while (writes) {
		cache_forget(ctx, __builtin_ctz(writes));
		writes &= writes - 1;
	}
	if (fx->store && !fx->sp)
		cache_forget_bpf_stack(ctx);
	if (fx->sp) {
		if (fx->store)
			cache_forget_range(ctx, fx->off, fx->n);
		if (al && fx->word) {
			cache_set(ctx, fx->rt, fx->off);
			if (fx->n == 8)
				cache_set(ctx, fx->rt + 1, fx->off + 4);
		}
	}
	if (k) {
		ctx->kmask |= 1U << d->rd;
		ctx->kval[d->rd] = w->val;
	}
	return true;
}

/*
 * Registers a word cache_decode() can't follow may write: a call's
 * (bl, blx) scratch registers, the rd of a byte swap or an extend (a
 * leaf program saves only what its code writes: a callee-saved register
 * only an sxtb writes must be saved too). Every pop armjit emits restores
 * what a push of the same code saved, and sp and pc aren't saved
 * registers.
 */
#define CALL_WRITES	(0x100f | 1U << ARM_LR)	/* r0-r3, ip, lr */

static u16 undecoded_writes(const struct arm_word *w)
{
	switch (w->d.kind) {
	case ARM_K_BL:
	case ARM_K_BLX_R:
		return CALL_WRITES;
	case ARM_K_REV:
	case ARM_K_REV16:
	case ARM_K_UXTH:
	case ARM_K_SXTB:
	case ARM_K_SXTH:
		return 1U << w->d.rd;
	default:
		return 0;
	}
}

/*
 * An unconditional load at [sp, #imm] of what the register holds, a store
 * there of what the slot holds, a mov of what the register holds.
 */
static bool cache_hit(const struct armjit_ctx *ctx, const struct arm_word *w)
{
	const struct arm_dec *d = &w->d;

	if (d->kind == ARM_K_UNKNOWN || d->cond != ARM_COND_AL)
		return false;
	/* ldr/str rt, [sp, #+imm], ldrd/strd */
	if (d->kind == ARM_K_LDST && d->rn == ARM_SP && d->off >= 0 &&
	    !d->sign && (d->size == 4 || d->size == 8))
		return armjit_emit_holds(ctx, d->rt, d->off) &&
		       (d->size == 4 ||
			armjit_emit_holds(ctx, d->rt + 1, d->off + 4));
	if (!sp_or_pc(d->rd) && w->k)
		return armjit_emit_known(ctx, d->rd, w->val);
	return false;
}

/* ---- Stores kept back ------------------------------------------------ */

/*
 * str rt, [sp, #+imm] or strd rt, [sp, #+imm], unconditional, to a
 * register slot: only sp addresses those (the BPF stack above them has
 * pointers into it). Its size, or 0.
 */
static int kept_store(const struct armjit_ctx *ctx, const struct arm_word *w)
{
	const struct arm_dec *d = &w->d;

	if (d->kind != ARM_K_LDST || d->cond != ARM_COND_AL || d->load ||
	    d->rn != ARM_SP || d->off < 0 || (d->size != 4 && d->size != 8))
		return 0;
	return !ctx->sp_adj && d->off + d->size <= SLOT_TCC ? d->size : 0;
}

/* The image full at ctx->idx: the recording pass's scratch grows. */
static noinline bool image_grow(struct armjit_ctx *ctx)
{
	return ctx->rec && armjit_rec_grow(ctx);
}

/* A word where the image is full, or none (a sizing pass: image_words 0) */
noinline void armjit_emit_full(u32 insn, struct armjit_ctx *ctx)
{
	if (!ctx->image)
		return;
	if (image_grow(ctx))
		ctx->image[ctx->idx] = insn;
	else
		ctx->flags |= FLAG_OVERFLOW;
}

/*
 * Before insn: the kept-back store goes out first if insn reads its slot,
 * writes its registers or is anything emit() can't follow; it is dropped
 * if insn stores over all of its slot first.
 */
static void pending_before(struct armjit_ctx *ctx, const struct arm_word *w)
{
	const struct arm_fx *fx = &w->fx;
	int n;

	if (!ctx->pend)
		return;
	if (!w->ok || fx->branch || (fx->writes & ctx->pend_regs) ||
	    (fx->at_sp && !fx->sp)) {
		flush_pending(ctx);
		return;
	}
	/* only sp reaches the slots */
	if (!fx->sp || fx->off >= ctx->pend_off + ctx->pend_n ||
	    ctx->pend_off >= fx->off + fx->n)
		return;		/* another slot */
	n = kept_store(ctx, w);
	if (n && fx->off == ctx->pend_off && n >= ctx->pend_n)
		ctx->pend = 0;	/* stored over before anything read it */
	else
		flush_pending(ctx);
}

/*
 * The words emit() needs no decode for: b (the kept-back store before
 * it), and data processing that writes a register other than sp and pc
 * or only the flags, but a constant's mov or mvn (what cache_decode()
 * remembers). What the decode would find, from the fields: true if
 * emitted.
 */
static __always_inline bool emit_plain(u32 insn, struct armjit_ctx *ctx)
{
	u8 op, rd;

	if ((insn >> ARM_COND_SHIFT) == 0xf)
		return false;
	if ((insn & 0x0f000000) == 0x0a000000) {	/* b<cond> */
		flush_pending(ctx);
		emit_raw(insn, ctx);
		return true;
	}
	/* data processing: bits 27:26 00, not the multiplies' and extra
	 * loads' space, not movw/movt/bx (arm_dp_misc())
	 */
	if ((insn & 0x0c000000) ||
	    (!(insn & 0x02000000) && (insn & 0x90) == 0x90) ||
	    arm_dp_misc(insn))
		return false;
	op = (insn >> ARM_DP_OP_SHIFT) & 15;
	rd = arm_field(insn, ARM_RD_SHIFT);
	if (op >= ARM_DP_TST && op <= ARM_DP_CMN) {
		emit_raw(insn, ctx);		/* flags only */
		return true;
	}
	if (sp_or_pc(rd) ||
	    ((op == ARM_DP_MOV || op == ARM_DP_MVN) && (insn & 0x02000000)))
		return false;
	emit_writing(insn, ctx, rd);
	return true;
}

/*
 * mov/mvn rd, #imm (S clear), movw, movt with rd not sp or pc: the
 * constant's value, as const_result() finds it; false if not such a word.
 * *k: rd's value is known after it (a movt of an rd not known isn't).
 */
static bool const_mov(const struct armjit_ctx *ctx, u32 insn, u8 *rd,
		      u32 *val, bool *k)
{
	u8 op = (insn >> ARM_DP_OP_SHIFT) & 15;

	if ((insn & 0x0e000000) != 0x02000000 || (insn & ARM_S_BIT) ||
	    (insn >> ARM_COND_SHIFT) == 0xf)
		return false;
	*rd = arm_field(insn, ARM_RD_SHIFT);
	if (sp_or_pc(*rd))
		return false;
	*k = true;
	switch (op) {
	case ARM_DP_MOV:
		*val = arm_imm12_value(insn & 0xfff);
		return true;
	case ARM_DP_MVN:
		*val = ~arm_imm12_value(insn & 0xfff);
		return true;
	case ARM_DP_TST:	/* movw: op 1000, S clear */
		*val = ((insn >> 4) & 0xf000) | (insn & 0xfff);
		return true;
	case ARM_DP_CMP:	/* movt: op 1010, S clear */
		*k = ctx->kmask & 1U << *rd;
		*val = (((insn >> 4) & 0xf000) | (insn & 0xfff)) << 16 |
		       (ctx->kval[*rd] & 0xffff);
		return true;
	default:
		return false;
	}
}

/*
 * A constant's mov without the generic decode: dropped if rd holds the
 * value already, else rd's value known after it (unconditional ones).
 */
static __always_inline bool emit_const(u32 insn, struct armjit_ctx *ctx)
{
	bool al = (insn >> ARM_COND_SHIFT) == ARM_COND_AL, k;
	u32 val;
	u8 rd;

	if (!const_mov(ctx, insn, &rd, &val, &k))
		return false;
	k &= al;
	if (k && armjit_emit_known(ctx, rd, val))
		return true;	/* rd holds it already */
	emit_writing(insn, ctx, rd);
	if (k) {
		ctx->kmask |= 1U << rd;
		ctx->kval[rd] = val;
	}
	return true;
}

/*
 * ldr/str rt, [sp, #+-imm12] and ldrd/strd rt, [sp, #+-imm8], any
 * condition, rt (and rt + 1) not sp or pc: the stacked registers' loads
 * and stores, most of the words emit() gets. What arm_decode() finds,
 * from the fields (the other fields of *d left as they are); false if
 * not such a word.
 */
static __always_inline bool sp_fields(u32 insn, struct arm_dec *d)
{
	u8 rt = arm_field(insn, ARM_RD_SHIFT);

	if ((insn >> ARM_COND_SHIFT) == 0xf ||
	    arm_field(insn, ARM_RN_SHIFT) != ARM_SP || sp_or_pc(rt))
		return false;
	if (ARM_IS(insn, ARM_OP_LDR_I, ARM_MASK_LS) ||
	    ARM_IS(insn, ARM_OP_STR_I, ARM_MASK_LS)) {
		d->size = 4;
		d->load = ARM_IS(insn, ARM_OP_LDR_I, ARM_MASK_LS);
		d->off = insn & 0xfff;
	} else if (ARM_IS(insn, ARM_OP_LDRD_I, ARM_MASK_LSH) ||
		   ARM_IS(insn, ARM_OP_STRD_I, ARM_MASK_LSH)) {
		if (sp_or_pc(rt + 1))
			return false;
		d->size = 8;
		d->load = ARM_IS(insn, ARM_OP_LDRD_I, ARM_MASK_LSH);
		d->off = ((insn >> 4) & 0xf0) | (insn & 0xf);
	} else {
		return false;
	}
	if (!(insn & ARM_U_BIT))
		d->off = -d->off;
	d->kind = ARM_K_LDST;
	d->cond = insn >> ARM_COND_SHIFT;
	d->rt = rt;
	d->rn = ARM_SP;
	return true;
}

/* sp_fields()'s words, for emit_decoded(): what word_decode() finds */
static bool sp_word(u32 insn, struct arm_word *w)
{
	memset(&w->d, 0, sizeof(w->d));
	if (!sp_fields(insn, &w->d))
		return false;
	memset(&w->fx, 0, sizeof(w->fx));
	w->ok = fx_ldst(&w->d, &w->fx);	/* true: rt isn't sp or pc */
	w->k = false;
	w->val = 0;
	return true;
}

/* Any other word: decoded once, every question below reads it. */
static noinline void emit_decoded(u32 insn, struct armjit_ctx *ctx)
{
	/*
	 * word_decode() writes every field; INIT_STACK_ALL_ZERO would add
	 * a memset() call per word emitted (make compile-profile-guest).
	 */
	struct arm_word w __uninitialized;
	int n;

	if (unlikely(insn == ARM_INSN_BAD))
		ctx->flags |= FLAG_BAD_INSN;
	if (!sp_word(insn, &w))
		word_decode(ctx, &w, insn);
	if (cache_hit(ctx, &w))
		return;		/* the register holds that word already */
	pending_before(ctx, &w);
	n = armjit_targets(ctx) ? kept_store(ctx, &w) : 0;
	if (n) {
		/* kept back: a stacked register written again soon */
		flush_pending(ctx);	/* one at a time */
		ctx->pend = insn;
		ctx->pend_off = w.d.off;
		ctx->pend_n = n;
		ctx->pend_regs = 1U << w.d.rt;
		if (n == 8)
			ctx->pend_regs |= 1U << (w.d.rt + 1);
		cache_decode(ctx, &w);
		return;
	}
	emit_raw(insn, ctx);
	if (!cache_decode(ctx, &w)) {
		ctx->written |= undecoded_writes(&w);
		cache_flush(ctx);
	}
}

/*
 * ldr/str rt, [sp, #+imm12] and ldrd/strd rt, [sp, #+imm8],
 * unconditional, rt not sp or pc: the stacked registers' loads and
 * stores, most of the words emit() gets. What emit_decoded() does with
 * them (cache_hit(), pending_before(), kept_store(), cache_decode()),
 * from their fields; false if not such a word.
 */
static __always_inline bool emit_sp(u32 insn, struct armjit_ctx *ctx)
{
	struct arm_dec d __uninitialized;	/* sp_fields() fills it */

	if ((insn >> ARM_COND_SHIFT) != ARM_COND_AL || !(insn & ARM_U_BIT) ||
	    !sp_fields(insn, &d))
		return false;
	sp_word_emit(ctx, insn, d.rt, d.off, d.size, d.load);
	return true;
}

/*
 * An unconditional load or store with an immediate offset from another
 * base than sp (packet and ctx loads, the BPF stack through a pointer,
 * ARMv6K's literals), or of a byte or halfword at sp (the BPF stack): a
 * load writes rt (and rt + 1), a store may write the BPF stack (at sp:
 * the bytes it names). What emit_decoded() does with it, without the
 * questions that only sp's words answer; false if not such a word.
 */
static __always_inline bool emit_mem(u32 insn, struct armjit_ctx *ctx)
{
	struct arm_dec d __uninitialized;	/* arm_decode_ldst() fills it */
	bool extra, sp;
	u16 regs;

	if ((insn >> ARM_COND_SHIFT) != ARM_COND_AL)
		return false;
	switch ((insn >> 25) & 7) {
	case 0:		/* halfword, signed and dual: bits 7, 4 set */
		if ((insn & 0x90) != 0x90 || !(insn & 0x60))
			return false;
		extra = true;
		break;
	case 2:		/* word and byte */
		extra = false;
		break;
	default:
		return false;
	}
	d.rd = arm_field(insn, ARM_RD_SHIFT);
	if (!arm_decode_ldst(insn, &d, extra))
		return false;
	sp = arm_field(insn, ARM_RN_SHIFT) == ARM_SP;
	if (sp && d.size >= 4)
		return false;	/* emit_sp()'s, or decoded */
	if (!d.load) {
		if (sp && ctx->pend && meets_pending(ctx, d.off, d.size))
			flush_pending(ctx);
		emit_raw(insn, ctx);
		if (sp)
			cache_forget_range(ctx, d.off, d.size);
		else
			cache_forget_bpf_stack(ctx);
		return true;
	}
	if (sp_or_pc(d.rt) || (d.size == 8 && sp_or_pc(d.rt + 1)))
		return false;
	regs = 1U << d.rt | (d.size == 8 ? 2U << d.rt : 0);
	if (ctx->pend && ((ctx->pend_regs & regs) ||
			  (sp && meets_pending(ctx, d.off, d.size))))
		flush_pending(ctx);
	emit_raw(insn, ctx);
	cache_forget(ctx, d.rt);
	if (d.size == 8)
		cache_forget(ctx, d.rt + 1);
	return true;
}

/*
 * mul, mla, mls, umull (S clear): they write the registers in bits 15:12
 * (and the one after) and 19:16, as arm_fx() counts them; bl: a call
 * (the kept-back store out first, the scratch registers and lr written,
 * everything forgotten). What emit_decoded() does with them; false for
 * anything else.
 */
static __always_inline bool emit_mul_bl(u32 insn, struct armjit_ctx *ctx)
{
	u8 f12 = arm_field(insn, ARM_RD_SHIFT);
	u8 f16 = arm_field(insn, ARM_RN_SHIFT);

	if ((insn >> ARM_COND_SHIFT) == 0xf)
		return false;
	if ((insn & 0x0f000000) == 0x0b000000) {	/* bl */
		flush_pending(ctx);
		emit_raw(insn, ctx);
		ctx->written |= CALL_WRITES;
		cache_flush(ctx);
		return true;
	}
	if (!ARM_IS(insn, ARM_OP_MUL, ARM_MASK_MUL) &&
	    !ARM_IS(insn, ARM_OP_MLA, ARM_MASK_MUL) &&
	    !ARM_IS(insn, ARM_OP_MLS, ARM_MASK_MUL) &&
	    !ARM_IS(insn, ARM_OP_UMULL, ARM_MASK_MUL))
		return false;
	if (sp_or_pc(f12) || sp_or_pc(f12 + 1) || sp_or_pc(f16))
		return false;
	emit_mul_word(ctx, insn, f12, f16);
	return true;
}

/*
 * The common words from their fields (a small frame), each asked of the
 * paths its bits 27:25 may take; others decoded.
 */
void armjit_emit(u32 insn, struct armjit_ctx *ctx)
{
	bool done;

	switch ((insn >> 25) & 7) {
	case 0:		/* data processing, ldrd/strd, multiplies */
		done = emit_plain(insn, ctx) || emit_sp(insn, ctx) ||
		       emit_mem(insn, ctx) || emit_mul_bl(insn, ctx);
		break;
	case 1:		/* data processing (immediate), movw, movt */
		done = emit_plain(insn, ctx) || emit_const(insn, ctx);
		break;
	case 2:		/* ldr/str (immediate) */
		done = emit_sp(insn, ctx) || emit_mem(insn, ctx);
		break;
	case 5:		/* b, bl */
		done = emit_plain(insn, ctx) || emit_mul_bl(insn, ctx);
		break;
	default:
		done = false;
		break;
	}
	if (!done)
		emit_decoded(insn, ctx);
}

/* A branch lands here: the kept-back store before it, nothing known. */
void armjit_land(struct armjit_ctx *ctx)
{
	flush_pending(ctx);
	cache_flush(ctx);
}

/* ---- Branches ---------------------------------------------------------- */

/* b<cond> to ARM index target; out of range only matters in the last pass */
int armjit_emit_b(struct armjit_ctx *ctx, u8 cond, int target)
{
	s32 off;

	off = target - (armjit_emit_index(ctx) + 2);
	if (!ctx->image)
		off = 0;	/* targets not final yet; size is fixed anyway */
	else if (off < -(1 << 23) || off >= (1 << 23))
		return -EFBIG;
	emit(arm_cond(cond, arm_b(off)), ctx);
	return 0;
}

/*
 * b<cond> to BPF insn j's code (j == ctx->len: the epilogue). The
 * recording pass lists it, its target final only once the pass ends.
 */
int armjit_emit_jump(struct armjit_ctx *ctx, u8 cond, int j)
{
	if (!ctx->rec)
		return armjit_emit_b(ctx, cond, ctx->offsets[j]);
	emit(arm_cond(cond, arm_b(0)), ctx);
	armjit_rec_fix(ctx, j);
	return 0;
}

/* Forward branch inside one BPF insn: emit now, armjit_fix_fwd() there. */
int armjit_emit_fwd(struct armjit_ctx *ctx, u8 cond)
{
	emit(arm_cond(cond, arm_b(0)), ctx);
	return ctx->idx - 1;
}

void armjit_fix_fwd(struct armjit_ctx *ctx, int at)
{
	armjit_land(ctx);	/* a branch lands here */
	/* past the image's words: never written, FLAG_OVERFLOW set */
	if (ctx->image && at < ctx->image_words)
		ctx->image[at] = arm_b_retarget(ctx->image[at],
						ctx->idx - (at + 2));
}

/* ---- What the translation may ask and tell ------------------------------ */

void armjit_emit_begin(struct armjit_ctx *ctx)
{
	ctx->pend = 0;
	cache_flush(ctx);
	ctx->written = 0;
}

void armjit_emit_fixed(struct armjit_ctx *ctx, u8 rd, u32 insn)
{
	ctx->kmask &= ~(1U << rd);
	emit(insn, ctx);
	ctx->kmask &= ~(1U << rd);
}

/*
 * The word goes to the pool at once, where the previous pass's code ended
 * (the same place when nothing moved: armjit_emit_lit_pool() checks);
 * the ldr is then an ordinary load for the emitter, which this makes a
 * known constant.
 */
void armjit_emit_lit(struct armjit_ctx *ctx, u8 rd, u32 val, bool fixed)
{
	int at = ctx->lit_base + ctx->lit_n++;
	s32 off;

	/* what emit() would do first: the kept-back store stays back */
	if (ctx->pend && (ctx->pend_regs & 1U << rd))
		flush_pending(ctx);
	off = 4 * (at - (ctx->idx + 2));

	if (ctx->rec) {
		off = 0;	/* the pool's place is known at the end */
	} else {
		if (ctx->image && at < ctx->image_words)
			ctx->image[at] = val;
		if (off < -4095 || off > 4095) {
			ctx->lit_bad = true;	/* sizing, or the pool moved */
			off = 0;
		}
	}
	ctx->kmask &= ~(1U << rd);
	emit(arm_ldr_i(rd, ARM_PC, off), ctx);
	if (ctx->rec)
		armjit_rec_fix(ctx, val);
	if (!fixed) {
		ctx->kmask |= 1U << rd;
		ctx->kval[rd] = val;
	}
}

/*
 * After the epilogue: the pool's words, written already by each ldr; the
 * pass's ldrs found them only if the pool starts where it did before.
 */
void armjit_emit_lit_pool(struct armjit_ctx *ctx)
{
	int i, base = armjit_emit_index(ctx);

	if (ctx->lit_n && base != ctx->lit_base)
		ctx->lit_bad = true;
	ctx->lit_base = base;
	for (i = 0; i < ctx->lit_n; i++) {
		if (ctx->image && ctx->idx >= ctx->image_words &&
		    !image_grow(ctx))
			ctx->flags |= FLAG_OVERFLOW;
		ctx->idx++;
	}
}

int armjit_emit_index(struct armjit_ctx *ctx)
{
	flush_pending(ctx);	/* before its own index is taken */
	return ctx->idx;
}

bool armjit_emit_const(const struct armjit_ctx *ctx, u8 r, u32 *val)
{
	if (!(ctx->kmask & 1U << r))
		return false;
	*val = ctx->kval[r];
	return true;
}

bool armjit_emit_slot_const(const struct armjit_ctx *ctx, s32 off, u32 *val)
{
	/* the scratch registers first */
	static const u8 order[] = {
		ARM_R10, ARM_R11, ARM_IP, ARM_LR, ARM_R0, ARM_R1, ARM_R2, ARM_R3
	};
	unsigned int i;

	for (i = 0; i < sizeof(order); i++) {
		u8 reg = order[i];

		if (ctx->cached[reg] == off && (ctx->kmask & 1U << reg)) {
			*val = ctx->kval[reg];
			return true;
		}
	}
	return false;
}

void armjit_emit_drop_kept(struct armjit_ctx *ctx, s32 off, int n)
{
	ctx->pend = 0;
	/*
	 * The slot never got the value: a store of the same registers
	 * there is no cache hit (make fuzz-host seed 38493: "r9 = 128;
	 * r9 >>= 0" lost r9).
	 */
	cache_forget_range(ctx, off, n);
}

bool armjit_emit_ip_is_sp(const struct armjit_ctx *ctx, s32 off)
{
	return ctx->ip_sp_ok && ctx->ip_sp == off;
}

void armjit_emit_set_ip_sp(struct armjit_ctx *ctx, s32 off)
{
	ctx->ip_sp_ok = true;
	ctx->ip_sp = off;
}

void armjit_emit_save(struct armjit_ctx *ctx, struct armjit_emit_state *st)
{
	flush_pending(ctx);
	memcpy(st->cached, ctx->cached, sizeof(st->cached));
	memcpy(st->kval, ctx->kval, sizeof(st->kval));
	st->kmask = ctx->kmask;
}

void armjit_emit_restore(struct armjit_ctx *ctx,
			 const struct armjit_emit_state *st, u16 clobbered)
{
	int r;

	memcpy(ctx->cached, st->cached, sizeof(ctx->cached));
	ctx->cvalid = 0;
	for (r = 0; r < 16; r++)
		if (ctx->cached[r] >= 0)
			ctx->cvalid |= 1U << r;
	memcpy(ctx->kval, st->kval, sizeof(ctx->kval));
	ctx->kmask = st->kmask;
	for (r = 0; r < 16; r++)
		if (clobbered & 1U << r)
			cache_forget(ctx, r);
	cache_forget_bpf_stack(ctx);
}
