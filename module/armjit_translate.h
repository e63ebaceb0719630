/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rooms of armjit's translation and what each offers the others
 * (Documentation/armjit-design.rst): pure, built in the kernel and for
 * the host tests.
 *
 *   armjit_regs.c       the register frame: where each BPF register lives
 *                       (ctx->map[]), the frame and the saved registers
 *   armjit_analysis.c   facts about the BPF program, computed once per
 *                       compile: jump targets, liveness, hi words known 0,
 *                       leaf, R1 read at entry, direct map-lookup sites
 *   armjit_emit.c       the emitter: the image, the index, the scratch
 *                       cache, the kept-back store, what the code wrote;
 *                       branches and calls
 *   armjit_translate.c  BPF insns to ARM code, and the pass (armjit_build)
 *
 * The translation asks the emitter (armjit_emit_known(), ...) and never
 * touches its state; the analyses only read the program.
 */
#ifndef ARMJIT_TRANSLATE_H
#define ARMJIT_TRANSLATE_H

#include "armjit_jit.h"
#include "armjit_insn.h"

/*
 * ARMv7 code (movw/movt, dmb, udiv/sdiv with mls) or ARMv6K's alternatives
 * (armjit_insn.h): the level armjit_rt_init() chose at load.
 */
static inline bool arm_v7(void)
{
	return armjit_rt.arch >= ARMJIT_ARCH_V7;
}

/*
 * A helper call emitted in place: the current task (TPIDRURO) or its CPU
 * number. A call whose imm is the helper's id (the verifier left it for
 * armjit, armjit_rt.inline_ids) must be; a call of the helper's function
 * is when the level has ARMJIT_OPT_INLINE.
 */
enum armjit_inline {
	ARMJIT_INL_NONE,
	ARMJIT_INL_CPU,
	ARMJIT_INL_TASK,	/* (long)current: sign-extended */
	ARMJIT_INL_TASK_BTF,	/* (unsigned long)current */
};

static inline int armjit_inline_kind(const struct armjit_ctx *ctx,
				     const struct bpf_insn *insn)
{
	u32 addr;

	if (insn->code != (BPF_JMP | BPF_CALL) || insn->src_reg)
		return ARMJIT_INL_NONE;
	if (armjit_inline_id(insn))
		addr = armjit_inline_fn(insn->imm);
	else if ((ctx->opt & ARMJIT_OPT_INLINE) && armjit_rt.fn_task)
		addr = armjit_rt.call_base + insn->imm;
	else
		return ARMJIT_INL_NONE;
	if (addr == armjit_rt.fn_cpu_id || addr == armjit_rt.fn_raw_cpu_id)
		return ARMJIT_INL_CPU;
	if (addr == armjit_rt.fn_task)
		return ARMJIT_INL_TASK;
	if (addr == armjit_rt.fn_task_btf)
		return ARMJIT_INL_TASK_BTF;
	return ARMJIT_INL_NONE;
}

/* ---- The register frame (armjit_regs.c) --------------------------------- */

#define TMP_A_LO	ARM_R10		/* dst of a stacked register */
#define TMP_A_HI	ARM_R11
#define TMP_B_LO	ARM_IP		/* src of a stacked register, immediates */
#define TMP_B_HI	ARM_LR

#define SLOT_TCC	72		/* tail-call count: pointer, own count */
#define FRAME_FIXED	80		/* slots + counter */
/* Registers the prologue saves: 10 words keep sp 8-byte aligned. */
#define SAVED_REGS	(0x0ff8 | 1 << ARM_LR)	/* r3-r11, lr */
static inline int hweight_saved(void)
{
	return __builtin_popcount(SAVED_REGS);
}

/* ctx->map[] and ctx->flags' FLAG_LEAF, for this pass */
/*
 * What one walk over the program finds for the register map and the
 * frame (armjit_scan()): each register's gain from a pair, the exits,
 * the calls.
 */
struct armjit_scan {
	s32 gain[16];	/* every dst_reg/src_reg field, in range or not */
	int exits;
	int inlined;	/* helper calls in place */
	int lookups;	/* bpf_map_lookup_elem calls */
	int lookup_first;
	bool calls;	/* a helper, bpf-to-bpf or tail call */
	bool tail_call;
	bool leaf;	/* FLAG_LEAF */
};

void armjit_choose_map(struct armjit_ctx *ctx, const struct armjit_scan *s);
/* FLAG_FRAME, FLAG_TAIL_CALL, FLAG_TCC (after armjit_choose_map()) */
void armjit_scan_frame(struct armjit_ctx *ctx, const struct armjit_scan *s);
/* sp offset of a call's stack argument R3-R5 (5 x u64) */
s32 armjit_arg_slot(u8 r);
/* what a leaf program that writes @written saves (0: no push) */
u16 armjit_leaf_saved(u16 written);

static inline bool is_mapped(const struct armjit_ctx *ctx, u8 r)
{
	return ctx->map[r].lo >= 0;
}

/* sp offset of a stacked register's word */
static inline s32 slot_off(const struct armjit_ctx *ctx, u8 r, bool hi)
{
	return ctx->map[r].slot + (hi ? 4 : 0) + ctx->sp_adj;
}

/* FP - sp */
static inline s32 fp_off(const struct armjit_ctx *ctx)
{
	return ctx->frame_size + ctx->sp_adj;
}

/* ctx->flags */
#define FLAG_BAD_INSN	0x1		/* an encoder answered ARM_INSN_BAD */
#define FLAG_TAIL_CALL	0x2		/* the program has tail calls */
#define FLAG_R1_LIVE	0x4		/* R1's ctx may be read */
#define FLAG_FRAME	0x8		/* stack slots, BPF stack or calls */
#define FLAG_LEAF	0x10		/* a main program that calls nothing */
#define FLAG_OVERFLOW	0x20		/* a word past ctx->image_words */
#define FLAG_TCC	0x40		/* SLOT_TCC: the tail-call count's pointer */

/* ---- The analyses (armjit_analysis.c) ---------------------------------- */

#define LIVE_LO(r)	(1U << (r))
#define LIVE_HI(r)	(1U << (16 + (r)))
#define LIVE_64(r)	(LIVE_LO(r) | LIVE_HI(r))
#define LIVE_ALL	0x0fff0fffU

/*
 * 7.2's load-acquire and store-release (BPF_STX | BPF_ATOMIC, imm
 * BPF_LOAD_ACQ or BPF_STORE_REL; B, H, W only on a 32-bit kernel: the
 * verifier refuses DW there) are a plain load (dst = *(src + off)) or
 * store (*(dst + off) = src) with a barrier after or before: the
 * analyses and the translation see that load or store (in *tmp). Any
 * other insn is returned as it is.
 */
static inline const struct bpf_insn *
armjit_plain_insn(const struct bpf_insn *insn, struct bpf_insn *tmp)
{
	u8 mode;

	if (BPF_CLASS(insn->code) != BPF_STX ||
	    BPF_MODE(insn->code) != BPF_ATOMIC)
		return insn;
	if (insn->imm == BPF_LOAD_ACQ)
		mode = BPF_LDX;
	else if (insn->imm == BPF_STORE_REL)
		mode = BPF_STX;
	else
		return insn;
	*tmp = *insn;
	tmp->code = mode | BPF_MEM | BPF_SIZE(insn->code);
	tmp->imm = 0;
	return tmp;
}

static inline bool armjit_is_acq_rel(const struct bpf_insn *insn)
{
	struct bpf_insn tmp;

	return armjit_plain_insn(insn, &tmp) != insn;
}
int armjit_scan(struct armjit_ctx *ctx, struct armjit_scan *s);
bool armjit_names_reg(const struct bpf_insn *insn, u8 r);
s64 armjit_jmp_target(const struct armjit_ctx *ctx,
		      const struct bpf_insn *insn, int i);
void armjit_compute_live(struct armjit_ctx *ctx);
void armjit_compute_hi0(struct armjit_ctx *ctx);
bool armjit_r1_live_in(const struct armjit_ctx *ctx);

static inline bool is_target(const struct armjit_ctx *ctx, int i)
{
	const u8 *t = armjit_targets(ctx);

	return !t || t[i];
}

/* Is BPF register r's hi word 0 before the insn being written? */
static inline bool hi_zero(const struct armjit_ctx *ctx, u8 r)
{
	const u16 *hi0 = armjit_hi0(ctx);

	if (r == BPF_REG_FP)
		return true;
	return hi0 && r < MAX_BPF_JIT_REG && (hi0[ctx->hi0_at] & 1U << r);
}

/* May word hi/lo of BPF register r be read after the insn being written? */
static inline bool word_live(const struct armjit_ctx *ctx, u8 r, bool hi)
{
	const u32 *live = armjit_live(ctx);

	if (!live || r >= MAX_BPF_JIT_REG)
		return true;
	return live[ctx->live_at] & (hi ? LIVE_HI(r) : LIVE_LO(r));
}

/* ---- The emitter (armjit_emit.c) ---------------------------------------- */

/* Does ARM register r hold val? */
static inline bool armjit_emit_known(const struct armjit_ctx *ctx, u8 r,
				     u32 val)
{
	return (ctx->kmask & 1U << r) && ctx->kval[r] == val;
}

/* The start of a pass: nothing known, nothing kept back or written. */
void armjit_emit_begin(struct armjit_ctx *ctx);
void armjit_emit(u32 insn, struct armjit_ctx *ctx);

static inline void emit(u32 insn, struct armjit_ctx *ctx)
{
	armjit_emit(insn, ctx);
}

/*
 * The words whose kind the translation knows, told to the emitter: what
 * armjit_emit() would find in them, without finding it (a constant's mov,
 * a stacked register's ldr/str/ldrd/strd, a data-processing word that
 * writes rd and nothing else, a multiply, a load or store through another
 * base), and the bookkeeping they share with it. Static inline in each
 * room that emits: a call for each word cost about what the word's
 * bookkeeping does (make compile-profile-guest). The scratch cache and
 * the kept-back store are the emitter's (armjit_emit.c): only these touch
 * them outside it.
 */

/* A word where the image is full, or none (a sizing pass) */
void armjit_emit_full(u32 insn, struct armjit_ctx *ctx);

/*
 * The registers @regs written: what they held is forgotten, but their
 * cached[] entries, which the caller sets (-1, or the word a load brought)
 */
static __always_inline void cache_written(struct armjit_ctx *ctx, u16 regs)
{
	ctx->cvalid &= ~regs;
	ctx->kmask &= ~regs;
	ctx->written |= regs;
	if (regs & 1U << ARM_IP)
		ctx->ip_sp_ok = false;
}

/* r written: what it held is forgotten (every caller's r is below 16) */
static __always_inline void cache_forget(struct armjit_ctx *ctx, u8 r)
{
	ctx->cached[r & 15] = -1;
	cache_written(ctx, 1U << (r & 15));
}

/* a store to [sp + off, sp + off + n) */
static inline void cache_forget_range(struct armjit_ctx *ctx, s32 off, s32 n)
{
	u16 m = ctx->cvalid;

	while (m) {
		int i = __builtin_ctz(m);

		m &= m - 1;
		if (ctx->cached[i] < off + n && off < ctx->cached[i] + 4) {
			ctx->cached[i] = -1;
			ctx->cvalid &= ~(1U << i);
		}
	}
}

/*
 * A store through another base than sp may reach the BPF stack, where
 * pointers lead (not the register slots below it): its words aren't
 * known any more.
 */
static inline void cache_forget_bpf_stack(struct armjit_ctx *ctx)
{
	u16 m = ctx->cvalid;

	while (m) {
		int i = __builtin_ctz(m);

		m &= m - 1;
		if (ctx->sp_adj || ctx->cached[i] >= SLOT_TCC) {
			ctx->cached[i] = -1;
			ctx->cvalid &= ~(1U << i);
		}
	}
}

static __always_inline void cache_set(struct armjit_ctx *ctx, u8 r, s32 off)
{
	if ((ARMJIT_CACHE_REGS & 1U << r) && off >= 0) {
		ctx->cached[r] = off;
		ctx->cvalid |= 1U << r;
	}
}

/* sp and pc: no BPF code writes them but the prologue and epilogue */
static inline bool sp_or_pc(u8 r)
{
	return r == ARM_SP || r == ARM_PC;
}

/* Does ARM register r hold the stack word at sp + off? */
static inline bool armjit_emit_holds(const struct armjit_ctx *ctx, u8 r,
				     s32 off)
{
	return r < 16 && off >= 0 && ctx->cached[r] == off;
}

/*
 * The one place words go into the image: never past the words it holds
 * (a pass that came out longer than its sizing fails the compile).
 * ARM_INSN_BAD (an encoder's refusal) never comes here but through
 * emit_decoded(): it is none of the words the others take.
 */
static inline void emit_raw(u32 insn, struct armjit_ctx *ctx)
{
	int idx = ctx->idx;	/* the word's store might alias it */

	if (likely(idx < ctx->image_words))
		ctx->image[idx] = insn;
	else
		armjit_emit_full(insn, ctx);
	ctx->idx = idx + 1;
}

/* The kept-back store, now. */
static inline void flush_pending(struct armjit_ctx *ctx)
{
	if (!ctx->pend)
		return;
	emit_raw(ctx->pend, ctx);
	ctx->pend = 0;
}

/*
 * A word whose one effect is writing rd (not sp or pc): the kept-back
 * store goes out first if it stores rd, and what rd held is forgotten.
 */
static __always_inline void emit_writing(u32 insn, struct armjit_ctx *ctx,
					 u8 rd)
{
	if (ctx->pend && (ctx->pend_regs & 1U << rd))
		flush_pending(ctx);
	emit_raw(insn, ctx);
	cache_forget(ctx, rd);
}

/*
 * What emit_const() does with an unconditional mov, mvn, movw or movt
 * the translation made of val's bits (rd, told, not known to hold val;
 * a movt's rd known to hold its low half): the same, without finding
 * them. Anything else goes the whole way.
 */
static inline void armjit_emit_const_word(struct armjit_ctx *ctx, u32 insn,
					  u8 rd, u32 val)
{
	if (unlikely(insn == ARM_INSN_BAD || sp_or_pc(rd))) {
		armjit_emit(insn, ctx);
		return;
	}
	emit_writing(insn, ctx, rd);
	ctx->kmask |= 1U << rd;
	ctx->kval[rd] = val;
}

/* Does [off, off + n) meet the kept-back store's slot? */
static inline bool meets_pending(const struct armjit_ctx *ctx, s32 off, int n)
{
	return off < ctx->pend_off + ctx->pend_n && ctx->pend_off < off + n;
}

/*
 * The stacked register's word @insn, ldr/str/ldrd/strd rt, [sp, #off]
 * (n bytes, off >= 0), unconditional, rt (and rt + 1) not sp or pc:
 * dropped if the register holds that word already, kept back if a store
 * to a register slot, the scratch cache told.
 */
static __always_inline void sp_word_emit(struct armjit_ctx *ctx, u32 insn,
					 u8 rt, s32 off, int n, bool load)
{
	u16 regs = n == 8 ? 3U << rt : 1U << rt;

	if (armjit_emit_holds(ctx, rt, off) &&
	    (n == 4 || armjit_emit_holds(ctx, rt + 1, off + 4)))
		return;	/* the register holds that word already */
	if (ctx->pend) {
		bool kept_over = !load && !ctx->sp_adj &&
				 off + n <= SLOT_TCC &&
				 off == ctx->pend_off && n >= ctx->pend_n;

		if (load && (regs & ctx->pend_regs))
			flush_pending(ctx);
		else if (!meets_pending(ctx, off, n))
			;	/* another slot */
		else if (kept_over)
			ctx->pend = 0;	/* stored over before anything read it */
		else
			flush_pending(ctx);
	}
	if (!load && armjit_targets(ctx) && !ctx->sp_adj &&
	    off + n <= SLOT_TCC) {
		/* kept back: a stacked register written again soon */
		flush_pending(ctx);	/* one at a time */
		ctx->pend = insn;
		ctx->pend_off = off;
		ctx->pend_n = n;
		ctx->pend_regs = regs;
	} else {
		emit_raw(insn, ctx);
	}
	if (load) {
		/* cache_forget() of each register, then cache_set(), at once */
		u16 keep = regs & ARMJIT_CACHE_REGS;

		cache_written(ctx, regs);
		ctx->cached[rt] = keep & 1U << rt ? off : -1;
		if (n == 8)
			ctx->cached[rt + 1] = keep & 2U << rt ? off + 4 : -1;
		ctx->cvalid |= keep;
		return;
	}
	cache_forget_range(ctx, off, n);
	cache_set(ctx, rt, off);
	if (n == 8)
		cache_set(ctx, rt + 1, off + 4);
}

/*
 * What emit_sp() does with a stacked register's word whose fields the
 * translation knows (armjit_emit_ldr_sp() and the like):
 * the same, without finding them. Anything else (an offset out of
 * range: ARM_INSN_BAD) goes the whole way. One function per kind, so
 * that its size and direction are constants there.
 */
static __always_inline void sp_word_told(struct armjit_ctx *ctx, u32 insn,
					 u8 rt, s32 off, int n, bool load)
{
	if (unlikely(insn == ARM_INSN_BAD || off < 0 || sp_or_pc(rt) ||
		     (n == 8 && sp_or_pc(rt + 1)))) {
		armjit_emit(insn, ctx);
		return;
	}
	sp_word_emit(ctx, insn, rt, off, n, load);
}

/*
 * The usual word (an offset ldr/str or ldrd/strd reaches, rt a register
 * it takes and not sp or pc) encoded past the checks the encoder and
 * sp_word_told() would make; else the whole way. @op: ARM_OP_LDR_I,
 * _STR_I (4 bytes), ARM_OP_LDRD_I, _STRD_I (8).
 */
static __always_inline void sp_word_op(struct armjit_ctx *ctx, u32 op, u8 rt,
				       s32 off, int n, bool load)
{
	if (n == 4 && likely(off >= 0 && off <= 4095 && rt <= ARM_LR &&
			     rt != ARM_SP))
		sp_word_emit(ctx, arm_ls_imm_up(op, rt, ARM_SP, off), rt, off,
			     4, load);
	else if (n == 4)
		sp_word_told(ctx, arm_ls_imm(op, rt, ARM_SP, off), rt, off, 4,
			     load);
	else if (likely(off >= 0 && off <= 255 && !(rt & 1) && rt <= ARM_R10))
		sp_word_emit(ctx, arm_lsh_imm_up(op, rt, ARM_SP, off), rt, off,
			     8, load);
	else
		sp_word_told(ctx, load ? arm_ldrd_i(rt, ARM_SP, off) :
					 arm_strd_i(rt, ARM_SP, off),
			     rt, off, 8, load);
}

static inline void armjit_emit_ldr_sp(struct armjit_ctx *ctx, u8 rt, s32 off)
{
	sp_word_op(ctx, ARM_OP_LDR_I, rt, off, 4, true);
}

static inline void armjit_emit_str_sp(struct armjit_ctx *ctx, u8 rt, s32 off)
{
	sp_word_op(ctx, ARM_OP_STR_I, rt, off, 4, false);
}

static inline void armjit_emit_ldrd_sp(struct armjit_ctx *ctx, u8 rt, s32 off)
{
	sp_word_op(ctx, ARM_OP_LDRD_I, rt, off, 8, true);
}

static inline void armjit_emit_strd_sp(struct armjit_ctx *ctx, u8 rt, s32 off)
{
	sp_word_op(ctx, ARM_OP_STRD_I, rt, off, 8, false);
}

/*
 * What emit_plain() does with a data-processing word that writes rd, the
 * translation's (armjit_translate.h): the same, without finding it.
 */
static inline void armjit_emit_dp(struct armjit_ctx *ctx, u32 insn, u8 rd)
{
	if (unlikely(insn == ARM_INSN_BAD || sp_or_pc(rd))) {
		armjit_emit(insn, ctx);
		return;
	}
	emit_writing(insn, ctx, rd);
}

/*
 * What emit_mem() does with a byte, halfword or word load or store at
 * another base than sp that the translation made from its fields: the
 * same, without finding them. Anything else (an sp base, sp or pc
 * loaded, ARM_INSN_BAD) goes the whole way.
 */
static inline void armjit_emit_mem_word(struct armjit_ctx *ctx, u32 insn,
					u8 rt, u8 rn, bool load)
{
	if (unlikely(insn == ARM_INSN_BAD || rn == ARM_SP ||
		     (load && sp_or_pc(rt)))) {
		armjit_emit(insn, ctx);
		return;
	}
	if (!load) {
		emit_raw(insn, ctx);
		cache_forget_bpf_stack(ctx);
		return;
	}
	emit_writing(insn, ctx, rt);
}

/* A multiply's word, its registers not sp or pc: as emit_mul_bl() says */
static __always_inline void emit_mul_word(struct armjit_ctx *ctx, u32 insn,
					  u8 f12, u8 f16)
{
	u16 writes = 1U << f12 | 1U << (f12 + 1) | 1U << f16;

	if (ctx->pend && (ctx->pend_regs & writes))
		flush_pending(ctx);
	emit_raw(insn, ctx);
	while (writes) {
		cache_forget(ctx, __builtin_ctz(writes));
		writes &= writes - 1;
	}
}

/*
 * What emit_mul_bl() does with a mul, mla, mls or umull the translation
 * made: the same, without finding which word it is.
 */
static inline void armjit_emit_mul(struct armjit_ctx *ctx, u32 insn)
{
	u8 f12 = (insn >> ARM_RD_SHIFT) & 15;
	u8 f16 = (insn >> ARM_RN_SHIFT) & 15;

	if (unlikely(insn == ARM_INSN_BAD || sp_or_pc(f12) ||
		     sp_or_pc(f12 + 1) || sp_or_pc(f16))) {
		armjit_emit(insn, ctx);
		return;
	}
	emit_mul_word(ctx, insn, f12, f16);
}

/*
 * An insn whose constant in rd must be neither dropped nor remembered
 * (an address the extra pass patches in).
 */
void armjit_emit_fixed(struct armjit_ctx *ctx, u8 rd, u32 insn);
/*
 * ARMv6K: rd = val by one ldr from the literal pool (ctx->lit on); fixed
 * as armjit_emit_fixed(). The pool's words: armjit_emit_lit_pool().
 */
void armjit_emit_lit(struct armjit_ctx *ctx, u8 rd, u32 val, bool fixed);
void armjit_emit_lit_pool(struct armjit_ctx *ctx);
/* The index the next insn gets (the kept-back store goes out first). */
int armjit_emit_index(struct armjit_ctx *ctx);
/* A branch lands here: the kept-back store before it, nothing known. */
void armjit_land(struct armjit_ctx *ctx);
/* The constant ARM register r holds, if one is known */
bool armjit_emit_const(const struct armjit_ctx *ctx, u8 r, u32 *val);
/* The registers armjit_emit_known() (_holds()) says yes for, as a mask. */
u16 armjit_emit_known_regs(const struct armjit_ctx *ctx, u32 val);
u16 armjit_emit_holding(const struct armjit_ctx *ctx, s32 off);
/* a constant in a scratch register mirroring the stack word at sp + off */
bool armjit_emit_slot_const(const struct armjit_ctx *ctx, s32 off, u32 *val);
/* The kept-back store, n bytes to sp + off, dropped */
void armjit_emit_drop_kept(struct armjit_ctx *ctx, s32 off, int n);

/* Drop the kept-back store if it is n bytes of @regs to sp + off. */
static inline void armjit_emit_drop_pending(struct armjit_ctx *ctx, s32 off,
					    int n, u16 regs)
{
	if (ctx->pend && off >= 0 && ctx->pend_n == n &&
	    ctx->pend_off == off && ctx->pend_regs == regs)
		armjit_emit_drop_kept(ctx, off, n);
}
/* Does ip hold sp + off (an atomic's stack address)? Now it does. */
bool armjit_emit_ip_is_sp(const struct armjit_ctx *ctx, s32 off);
void armjit_emit_set_ip_sp(struct armjit_ctx *ctx, s32 off);

/*
 * What the scratch cache knows, kept across a loop the translation emits
 * (an atomic's ldrex/strex): saved before its head, back after it less
 * the registers @clobbered and the BPF stack.
 */
struct armjit_emit_state {
	s32 cached[16];
	u32 kval[16];
	u16 kmask;
};

void armjit_emit_save(struct armjit_ctx *ctx, struct armjit_emit_state *st);
void armjit_emit_restore(struct armjit_ctx *ctx,
			 const struct armjit_emit_state *st, u16 clobbered);

/* b<cond> to ARM index target; -EFBIG out of range (final pass only) */
int armjit_emit_b(struct armjit_ctx *ctx, u8 cond, int target);
/* b<cond> to BPF insn j's code (ctx->len: the epilogue) */
int armjit_emit_jump(struct armjit_ctx *ctx, u8 cond, int j);
/* Forward branch inside one BPF insn: emit now, armjit_fix_fwd() there. */
int armjit_emit_fwd(struct armjit_ctx *ctx, u8 cond);
void armjit_fix_fwd(struct armjit_ctx *ctx, int at);

#endif /* ARMJIT_TRANSLATE_H */
