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
 */
#include "armjit_jit.h"

/* One pass: sizing while @image is NULL, else writing into @room words. */
static int armjit_pass(struct armjit_ctx *ctx, u32 *image, int room)
{
	ctx->image = image;
	ctx->image_words = room;
	ctx->idx = 0;
	return armjit_build(ctx);
}

int armjit_passes(struct armjit_ctx *ctx, const struct armjit_image_ops *ops)
{
	int room = 0, sized, err;
	bool guessed;
	u32 *image;

	/* ARMv6K: constants from a literal pool, if ldr reaches it */
	ctx->lit = armjit_rt.arch < ARMJIT_ARCH_V7;
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
