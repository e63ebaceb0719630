// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's pass sequence, the one the kernel glue (armjit_core.c) and the
 * host test runner (tests/host/runner.c) both run, so the host tests see
 * the kernel's passes. Pure: the image comes through struct
 * armjit_image_ops (bpf_jit_binary_alloc() in the kernel, mmap on the
 * host); blinding, publishing and the pending record stay with the caller.
 *
 * Every sequence armjit_build() emits has a size that depends only on the
 * program (never on branch distances) and, for calls of kernel routines,
 * on ctx->image_addr: one pass without the address gives the size to
 * allocate (such calls sized as a bl: ctx->near_guess), one with it the
 * final size (a routine out of reach after all: the image overflows and
 * the sequence starts again with every call through ip, ctx->calls_far).
 * That one writes into the image already: when nothing moved
 * (ctx->settled, the same size) its forward branches were final and it
 * is the last; else one more pass writes the image again and must come
 * out its size (-EFAULT). ARMv6K's literal pool (ctx->lit) follows the
 * code: the ldrs of a pass find their words where the previous pass's
 * code ended, so its moving counts as moved. No pass writes past the
 * words the allocation holds (the emitter checks every word: -ENOSPC).
 *
 * Those passes are the fallback. First comes one recording pass
 * (rec_passes()): it writes into scratch memory and lists the words that
 * need what only the image's address or the pass's end tells (struct
 * armjit_fixup); the image gets the words with those patched, which are
 * the words a pass at its address would write (the host tests check each
 * compile against one). A routine out of bl reach or a branch out of
 * range leaves it to the passes.
 */
#include "armjit_translate.h"
#include "armjit_decode.h"

/* One pass: sizing while @image is NULL, else writing into @room words. */
static int armjit_pass(struct armjit_ctx *ctx, u32 *image, int room)
{
	ctx->image = image;
	ctx->image_words = image ? room : 0;	/* emit()'s one check */
	ctx->idx = 0;
	return armjit_build(ctx);
}

/* ---- The recording pass -------------------------------------------------- */

/* @p's @used bytes into a new buffer of @bytes, @p freed; NULL: no memory */
static void *rec_realloc(struct armjit_ctx *ctx, void *p, size_t used,
			 size_t bytes)
{
	const struct armjit_image_ops *ops = ctx->rec_ops;
	void *q = ops->scratch(ops->priv, bytes);

	if (!q)
		return NULL;
	if (p) {
		memcpy(q, p, used);
		ops->unscratch(ops->priv, p);
	}
	return q;
}

bool armjit_rec_grow(struct armjit_ctx *ctx)
{
	int n = 2 * ctx->image_words;
	u32 *p;

	p = rec_realloc(ctx, ctx->image, ctx->image_words * sizeof(u32),
			n * sizeof(u32));
	if (!p)
		return false;
	ctx->image = p;
	ctx->image_words = n;
	return true;
}

void armjit_rec_fix(struct armjit_ctx *ctx, u32 val)
{
	if (ctx->fix_n == ctx->fix_room) {
		int n = 2 * ctx->fix_room;
		struct armjit_fixup *p;

		p = rec_realloc(ctx, ctx->fix, ctx->fix_n * sizeof(*p),
				n * sizeof(*p));
		if (!p) {
			ctx->flags |= FLAG_OVERFLOW;
			return;
		}
		ctx->fix = p;
		ctx->fix_room = n;
	}
	ctx->fix[ctx->fix_n].at = ctx->idx - 1;
	ctx->fix[ctx->fix_n].val = val;
	ctx->fix_n++;
}

static void rec_free(struct armjit_ctx *ctx)
{
	const struct armjit_image_ops *ops = ctx->rec_ops;

	if (ctx->rec && ctx->image)
		ops->unscratch(ops->priv, ctx->image);
	if (ctx->fix)
		ops->unscratch(ops->priv, ctx->fix);
	ctx->image = NULL;
	ctx->fix = NULL;
	ctx->rec = false;
}

/*
 * A leaf that writes no callee-saved register saves none: its push goes
 * (every word after it one back), its pops become bx lr.
 */
static void rec_drop_push(struct armjit_ctx *ctx)
{
	int i, at = ctx->push_at;

	memmove(&ctx->image[at], &ctx->image[at + 1],
		(ctx->idx - at - 1) * sizeof(u32));
	ctx->idx--;
	for (i = 0; i <= ctx->len; i++)
		if (ctx->offsets[i] > at)
			ctx->offsets[i]--;
	if (ctx->epilogue_offset > at)
		ctx->epilogue_offset--;
	for (i = 0; i < ctx->fix_n; i++)
		if (ctx->fix[i].at > at)
			ctx->fix[i].at--;
	ctx->lit_base--;		/* the pool follows the code */
	ctx->push_at = -1;
}

/*
 * What a leaf saves, known once its pass wrote everything: its push and
 * pops with those registers (none: no push, bx lr). -EFAULT: not a leaf.
 */
static int rec_saved(struct armjit_ctx *ctx)
{
	u16 saved = ctx->saved_next;
	int i;

	if (saved == ctx->saved)
		return 0;
	if (ctx->push_at < 0)
		return -EFAULT;		/* only a leaf's push changes */
	if (saved)
		ctx->image[ctx->push_at] = arm_push(saved);
	else
		rec_drop_push(ctx);
	ctx->saved = saved;
	for (i = 0; i < ctx->fix_n; i++) {
		u32 *w = &ctx->image[ctx->fix[i].at];

		if (ARM_IS(*w, ARM_OP_POP, ARM_MASK_LDM))
			*w = saved ? arm_pop((saved & ~(1 << ARM_LR)) |
					     1 << ARM_PC) : arm_bx(ARM_LR);
	}
	return 0;
}

/* b, bl: bits 27:25 101 */
static bool is_branch(u32 insn)
{
	return ((insn >> 25) & 7) == 5;
}

/* ldr rt, [pc, #off]: a literal pool word's */
static bool is_lit_ldr(u32 insn)
{
	return ARM_IS(insn, ARM_OP_LDR_I, ARM_MASK_LS) &&
	       arm_field(insn, ARM_RN_SHIFT) == ARM_PC;
}

/*
 * The recorded branches, calls and literal loads as the image at @addr
 * wants them (ARMv6K's pool after the code, a word per ldr in order).
 * -ENOSPC: a kernel routine out of bl reach; -EFBIG: a branch or a
 * literal out of range.
 */
static int rec_patch(struct armjit_ctx *ctx, u32 addr)
{
	int i, lit = ctx->lit_base;

	for (i = 0; i < ctx->fix_n; i++) {
		const struct armjit_fixup *f = &ctx->fix[i];
		u32 *w = &ctx->image[f->at];
		s32 off;

		if (is_lit_ldr(*w)) {
			off = 4 * (lit - (f->at + 2));
			if (off < 0 || off > 4095)
				return -EFBIG;
			ctx->image[lit++] = f->val;
			*w = arm_ldr_i(arm_field(*w, ARM_RD_SHIFT), ARM_PC,
				       off);
			continue;
		}
		if (!is_branch(*w))
			continue;	/* a leaf's pop: rec_saved() */
		if (*w & ARM_LINK_BIT) {
			off = (s32)(f->val - (addr + 4 * f->at + 8));
			if ((off & 3) || off < -(1 << 25) || off >= (1 << 25))
				return -ENOSPC;
			*w = arm_b_retarget(*w, off >> 2);
		} else {
			off = ctx->offsets[f->val] - (f->at + 2);
			if (off < -(1 << 23) || off >= (1 << 23))
				return -EFBIG;
			*w = arm_b_retarget(*w, off);
		}
	}
	return 0;
}

/*
 * A test's check of the recorded image: one more pass at its address, as
 * without recording, writes the same words and comes out settled.
 */
static int rec_check(struct armjit_ctx *ctx, const struct armjit_image_ops *ops,
		     u32 *image, int words)
{
	u32 *again = ops->scratch(ops->priv, words * sizeof(u32));
	int err;

	if (!again)
		return -ENOMEM;
	err = armjit_pass(ctx, again, words);
	if (!err && (ctx->idx != words || !ctx->settled ||
		     memcmp(again, image, words * sizeof(u32))))
		err = -EFAULT;
	ops->unscratch(ops->priv, again);
	ctx->image = image;
	ctx->idx = words;
	return err;
}

/*
 * One pass into scratch memory, then the image: the pass's words copied
 * with the few it couldn't know patched in. 1: not this way (the caller
 * runs the passes without recording), else 0 or an error.
 */
static int rec_passes(struct armjit_ctx *ctx, const struct armjit_image_ops *ops)
{
	int words, room = 0, err;
	u32 *image;

	/* a compile that found a routine out of reach */
	if (!ops->scratch || ctx->calls_far)
		return 1;
	ctx->rec_ops = ops;
	ctx->fix_n = 0;
	ctx->fix_room = 16 + ctx->len / 4;
	ctx->image_words = 64 + 4 * ctx->len;
	ctx->fix = ops->scratch(ops->priv, ctx->fix_room * sizeof(*ctx->fix));
	ctx->image = ops->scratch(ops->priv, ctx->image_words * sizeof(u32));
	ctx->rec = true;
	if (!ctx->fix || !ctx->image) {
		rec_free(ctx);
		return 1;
	}
	ctx->image_addr = 0;
	ctx->near_guess = false;
	ctx->written_ok = false;	/* a leaf pushes all, patched after */
	ctx->idx = 0;
	err = armjit_build(ctx);
	if (err == -E2BIG || (!err && ctx->lit && ctx->idx > ARMJIT_LIT_WORDS)) {
		/* the pool out of ldr's reach: constants from movs */
		ctx->lit = false;
		ctx->fix_n = 0;
		ctx->idx = 0;
		err = armjit_build(ctx);
	}
	/* out of scratch memory; a loop's branch out of range */
	if (err == -ENOSPC || err == -EFBIG)
		err = 1;
	if (!err && rec_saved(ctx))
		err = 1;
	if (err) {
		rec_free(ctx);
		return err;
	}
	words = ctx->idx;
	image = ops->alloc(ops->priv, words, &room);
	if (!image) {
		rec_free(ctx);
		return -ENOMEM;
	}
	ctx->image_addr = (u32)(uintptr_t)image;
	err = room < words ? -ENOSPC : rec_patch(ctx, ctx->image_addr);
	if (!err)
		memcpy(image, ctx->image, words * sizeof(u32));
	rec_free(ctx);
	ctx->image = image;
	ctx->image_words = room;
	ctx->idx = words;
	if (!err && ctx->check_rec)
		err = rec_check(ctx, ops, image, words);
	ctx->recorded = !err;
	if (err) {
		ops->free(ops->priv, image);
		ctx->image = NULL;
		/* a routine out of reach: every call through ip */
		if (err == -ENOSPC && room >= words && ctx->near_guess)
			ctx->calls_far = true;
		return err == -EFBIG || ctx->calls_far ? 1 : err;
	}
	return 0;
}

int armjit_passes(struct armjit_ctx *ctx, const struct armjit_image_ops *ops)
{
	int room = 0, sized, err;
	bool guessed;
	u32 *image;

	/* ARMv6K: constants from a literal pool, if ldr reaches it */
	ctx->lit = armjit_rt.arch < ARMJIT_ARCH_V7;
	ctx->recorded = false;
	err = rec_passes(ctx, ops);
	if (err <= 0)
		return err;
	ctx->image_addr = 0;
	ctx->near_guess = false;
	err = armjit_pass(ctx, NULL, 0);	/* the size to allocate */
	if (!err && ctx->lit && ctx->idx > ARMJIT_LIT_WORDS) {
		ctx->lit = false;
		err = armjit_pass(ctx, NULL, 0);
	}
	if (err)
		return err;
	sized = ctx->idx;
	guessed = ctx->near_guess;
	image = ops->alloc(ops->priv, ctx->idx, &room);
	if (!image)
		return -ENOMEM;
	/* written where it will run: calls out of bl range grow */
	ctx->image_addr = (u32)(uintptr_t)image;
	err = armjit_pass(ctx, image, room);
	if (err == -ENOSPC && guessed && !ctx->calls_far) {
		/* a kernel routine out of reach: every call through ip */
		ops->free(ops->priv, image);
		ctx->image = NULL;
		ctx->calls_far = true;
		return armjit_passes(ctx, ops);
	}
	if (err == -EFBIG) {
		/* maybe only a stale forward target: size as before */
		err = armjit_pass(ctx, NULL, 0);
	} else if (!err && ctx->settled && ctx->idx == sized) {
		return 0;	/* another pass would write the same words */
	}
	sized = ctx->idx;
	if (!err)
		err = armjit_pass(ctx, image, room);
	/* the final pass must match the one before */
	if (!err && (ctx->idx != sized || ctx->lit_bad))
		err = -EFAULT;
	if (err) {
		ops->free(ops->priv, image);
		ctx->image = NULL;
	}
	return err;
}

int armjit_extra_passes(struct armjit_ctx *ctx, u32 *image, int words)
{
	int err;

	ctx->image_addr = (u32)(uintptr_t)image;
	err = armjit_pass(ctx, NULL, 0);
	if (!err && ctx->idx != words)
		err = -EFAULT;	/* rewritten in place: the same size */
	if (!err)
		err = armjit_pass(ctx, image, words);
	if (!err && (ctx->idx != words || ctx->lit_bad))
		err = -EFAULT;
	return err;
}
