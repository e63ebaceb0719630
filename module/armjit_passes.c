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
 * allocate, one with it the final size. The final pass writes into the
 * words the allocation holds and no further (the emitter checks every
 * word: -ENOSPC), and must come out that size (-EFAULT).
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
	u32 *image;

	err = armjit_pass(ctx, NULL, 0);	/* the size to allocate */
	if (err)
		return err;
	image = ops->alloc(ops->priv, ctx->idx, &room);
	if (!image)
		return -ENOMEM;
	/* sized again where it will run: calls in bl range shrink */
	ctx->image_addr = (u32)(uintptr_t)image;
	err = armjit_pass(ctx, NULL, 0);
	sized = ctx->idx;
	if (!err)
		err = armjit_pass(ctx, image, room);
	if (!err && ctx->idx != sized)
		err = -EFAULT;	/* the final pass must match the sizing */
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
	if (!err && ctx->idx != words)
		err = -EFAULT;
	return err;
}
