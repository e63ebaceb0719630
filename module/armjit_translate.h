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

/* mov/mvn/movw/movt rd of val (what emit() would find, told) */
void armjit_emit_const_word(struct armjit_ctx *ctx, u32 insn, u8 rd, u32 val);

/*
 * A stacked register's word at [sp, #off]: ldr, str, ldrd, strd rt (what
 * emit() would find in the word, told)
 */
void armjit_emit_ldr_sp(struct armjit_ctx *ctx, u8 rt, s32 off);
void armjit_emit_str_sp(struct armjit_ctx *ctx, u8 rt, s32 off);
void armjit_emit_ldrd_sp(struct armjit_ctx *ctx, u8 rt, s32 off);
void armjit_emit_strd_sp(struct armjit_ctx *ctx, u8 rt, s32 off);
/*
 * a data-processing word that writes rd and nothing else (not tst..cmn,
 * not a constant's mov or mvn, which emit() remembers), rd told
 */
void armjit_emit_dp(struct armjit_ctx *ctx, u32 insn, u8 rd);
/* mul, mla, mls, umull (what emit() would find, but which) */
void armjit_emit_mul(struct armjit_ctx *ctx, u32 insn);
/* a byte, halfword or word at [rn, #off], rt and rn told (not sp's) */
void armjit_emit_mem_word(struct armjit_ctx *ctx, u32 insn, u8 rt, u8 rn,
			  bool load);

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
/* The constant r holds; does it hold the stack word at sp + off? */
bool armjit_emit_const(const struct armjit_ctx *ctx, u8 r, u32 *val);
bool armjit_emit_holds(const struct armjit_ctx *ctx, u8 r, s32 off);
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
