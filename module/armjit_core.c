// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's kernel pass loop: constant blinding, sizing passes until the
 * code size converges, image allocation, the final pass, and publishing
 * the image read-only. Translation itself is in armjit_translate.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/math64.h>
#include <asm/cacheflush.h>
#include <asm/hwcap.h>
#include "armjit.h"
#include "armjit_jit.h"

/* Sizing passes before giving up on convergence. */
#define ARMJIT_MAX_PASSES	16

/* Permanently undefined instruction: fills holes in the image. */
#define ARMJIT_UDF		0xe7fddef1

struct armjit_rt armjit_rt;

/* libgcc-ABI division routines of arch/arm/lib, exported by the kernel. */
extern void __aeabi_uidivmod(void);
extern void __aeabi_idivmod(void);

int armjit_rt_init(void)
{
	armjit_rt.call_base = (u32)__bpf_call_base;
	armjit_rt.uidivmod = (u32)__aeabi_uidivmod;
	armjit_rt.idivmod = (u32)__aeabi_idivmod;
	armjit_rt.div64_u64 = (u32)div64_u64;
	armjit_rt.div64_u64_rem = (u32)div64_u64_rem;
	armjit_rt.div64_s64 = (u32)div64_s64;
	armjit_rt.hwdiv = !!(elf_hwcap & HWCAP_IDIVA);
	pr_info("hardware divide: %s\n", armjit_rt.hwdiv ? "yes" : "no");
	return 0;
}

static void armjit_fill_hole(void *area, unsigned int size)
{
	u32 *ptr = area;

	for (size /= sizeof(u32); size > 0; size--)
		*ptr++ = ARMJIT_UDF;
}

/* bpf_jit_binary_lock_ro() with the unexported calls resolved. */
static void armjit_lock_ro(struct bpf_binary_header *hdr)
{
	struct vm_struct *vm = armjit_syms.find_vm_area(hdr);

	if (vm)
		vm->flags |= VM_FLUSH_RESET_PERMS;
	armjit_syms.set_memory_ro((unsigned long)hdr, hdr->size >> PAGE_SHIFT);
	armjit_syms.set_memory_x((unsigned long)hdr, hdr->size >> PAGE_SHIFT);
}

static int armjit_size_passes(struct armjit_ctx *ctx)
{
	int pass, prev = -1, err;

	for (pass = 0; pass < ARMJIT_MAX_PASSES; pass++) {
		ctx->idx = 0;
		err = armjit_build(ctx);
		if (err)
			return err;
		if (ctx->idx == prev)
			return 0;
		prev = ctx->idx;
	}
	return -EFBIG;
}

static int armjit_emit_image(struct bpf_prog *prog, struct armjit_ctx *ctx)
{
	struct bpf_binary_header *hdr;
	unsigned int size = ctx->idx * sizeof(u32);
	int sized = ctx->idx, err;
	u8 *image;

	hdr = armjit_syms.bpf_jit_binary_alloc(size, &image, sizeof(u32),
					       armjit_fill_hole);
	if (!hdr)
		return -ENOMEM;

	ctx->image = (u32 *)image;
	ctx->idx = 0;
	err = armjit_build(ctx);
	if (!err && ctx->idx != sized)
		err = -EFAULT;	/* the final pass must match the sizing */
	if (err) {
		armjit_syms.bpf_jit_binary_free(hdr);
		return err;
	}

	flush_icache_range((unsigned long)image, (unsigned long)image + size);
	armjit_lock_ro(hdr);
	prog->bpf_func = (void *)image;
	prog->jited = 1;
	prog->jited_len = size;
	return 0;
}

struct bpf_prog *armjit_jit_compile(struct bpf_prog *orig)
{
	struct armjit_ctx ctx = {};
	struct bpf_prog *prog = orig, *tmp;
	struct armjit_call_conv *calls;
	int err;

	/* Subprograms need the extra-pass protocol, not supported yet. */
	if (orig->is_func || orig->aux->func_cnt)
		return NULL;

	tmp = armjit_syms.bpf_jit_blind_constants(orig);
	if (IS_ERR(tmp))
		goto fail;
	prog = tmp;

	ctx.insns = prog->insnsi;
	ctx.len = prog->len;
	ctx.stack_depth = prog->aux->stack_depth;
	ctx.verifier_zext = prog->aux->verifier_zext;
	err = armjit_helpers_for_prog(prog, &calls, &ctx.ncalls);
	if (err)
		goto fail_release;
	ctx.calls = calls;
	ctx.offsets = kcalloc(prog->len + 1, sizeof(*ctx.offsets), GFP_KERNEL);
	if (!ctx.offsets) {
		kfree(calls);
		err = -ENOMEM;
		goto fail_release;
	}

	err = armjit_size_passes(&ctx);
	if (!err)
		err = armjit_emit_image(prog, &ctx);
	kfree(ctx.offsets);
	kfree(calls);
	if (err)
		goto fail_release;

	if (prog != orig)
		armjit_syms.bpf_jit_prog_release_other(prog, orig);
	return prog;

fail_release:
	if (err != -EOPNOTSUPP)
		pr_debug("cannot compile program: %d\n", err);
	if (prog != orig)
		armjit_syms.bpf_jit_prog_release_other(orig, prog);
fail:
	atomic_long_inc(&armjit_stats.failed);
	return NULL;
}
