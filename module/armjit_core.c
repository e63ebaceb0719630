// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's kernel pass loop: constant blinding, one sizing pass, image
 * allocation, the final pass (which must match the sizing), and publishing
 * the image read-only. Translation itself is in armjit_translate.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <asm/cacheflush.h>
#include <asm/hwcap.h>
#include "armjit.h"
#include "armjit_jit.h"

struct armjit_rt armjit_rt;

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

/*
 * bpf_jit_binary_lock_ro() with the unexported calls resolved. It can fail
 * (6.12's returns an int): the image is then freed, not used, as the
 * kernel's own JITs do.
 */
static int armjit_lock_ro(struct bpf_binary_header *hdr)
{
	struct vm_struct *vm = armjit_syms.find_vm_area(hdr);
	int err;

	if (vm)
		vm->flags |= VM_FLUSH_RESET_PERMS;
	err = armjit_syms.set_memory_ro((unsigned long)hdr,
					hdr->size >> PAGE_SHIFT);
	if (err)
		return err;
	return armjit_syms.set_memory_x((unsigned long)hdr,
					hdr->size >> PAGE_SHIFT);
}

/*
 * One sizing pass: every sequence armjit_build() emits has a size that
 * depends only on the instruction (never on branch distances), so the
 * first pass already gives the final size and every insn's offset. The
 * final pass checks that (armjit_write_image(): -EFAULT if it differs).
 */
static int armjit_size_passes(struct armjit_ctx *ctx)
{
	ctx->idx = 0;
	return armjit_build(ctx);
}

/*
 * Marks a subprogram whose first pass armjit compiled: its image still has
 * placeholder call targets and stays writable until the extra pass, which
 * must come to armjit whatever the toggle says. Each pending subprogram
 * holds a module reference (released by the extra pass, or by
 * armjit_forget_pending() when the verifier frees it instead).
 */
static const u32 armjit_pending_marker = 0x4a4d5241;

bool armjit_is_pending(const struct bpf_prog *prog)
{
	return prog->aux->jit_data == &armjit_pending_marker;
}

void armjit_forget_pending(struct bpf_prog *prog)
{
	if (!armjit_is_pending(prog))
		return;
	prog->aux->jit_data = NULL;
	module_put(THIS_MODULE);
}

/* The kernel's bpf_jit_binary_hdr(): the image starts in the first page. */
static struct bpf_binary_header *armjit_image_hdr(const struct bpf_prog *prog)
{
	return (void *)((unsigned long)prog->bpf_func & PAGE_MASK);
}

/*
 * The extra pass of a subprogram another JIT compiled in its first pass
 * (armjit was switched on or off, or reloaded, in between): its functions
 * would call each other with different conventions, and the other JIT
 * would leave its first image behind. Free that image and report the
 * subprogram not JIT'ed: bpf_func changed, so the verifier falls back to
 * the interpreter for the whole program.
 */
void armjit_drop_foreign(struct bpf_prog *prog)
{
	armjit_syms.bpf_jit_binary_free(armjit_image_hdr(prog));
	prog->bpf_func = NULL;
	prog->jited = 0;
	prog->jited_len = 0;
	atomic_long_inc(&armjit_stats.failed);
}

/* Line info: jited address of each source line's first instruction. */
static void armjit_fill_linfo(struct bpf_prog *prog, struct armjit_ctx *ctx)
{
	u32 *bytes;
	int i;

	if (!prog->aux->jited_linfo)
		return;
	bytes = kmalloc_array(ctx->len, sizeof(*bytes), GFP_KERNEL);
	if (!bytes)
		return;
	for (i = 0; i < ctx->len; i++)
		bytes[i] = ctx->offsets[i + 1] * sizeof(u32);
	armjit_syms.bpf_prog_fill_jited_linfo(prog, bytes);
	kfree(bytes);
}

/* Final pass into @image; sized by the sizing passes (ctx->idx). */
static int armjit_write_image(struct armjit_ctx *ctx, u8 *image)
{
	int sized = ctx->idx, err;

	ctx->image = (u32 *)image;
	ctx->idx = 0;
	err = armjit_build(ctx);
	if (!err && ctx->idx != sized)
		err = -EFAULT;	/* the final pass must match the sizing */
	return err;
}

static int armjit_publish(struct bpf_prog *prog, struct armjit_ctx *ctx)
{
	struct bpf_binary_header *hdr = armjit_image_hdr(prog);
	unsigned long start = (unsigned long)prog->bpf_func;
	int err;

	flush_icache_range(start, start + prog->jited_len);
	err = armjit_lock_ro(hdr);
	if (err)
		return err;
	armjit_fill_linfo(prog, ctx);
	return 0;
}

static int armjit_emit_image(struct bpf_prog *prog, struct armjit_ctx *ctx)
{
	struct bpf_binary_header *hdr;
	unsigned int size = ctx->idx * sizeof(u32);
	u8 *image;
	int err;

	/*
	 * A subprogram's extra pass must come back to this module: hold it
	 * until then. rmmod may be under way already (this compile was
	 * diverted before armjit's probes went): then leave the program to
	 * the stock JIT, which refuses functions with calls, so the verifier
	 * interprets it. Taking the reference unconditionally here would let
	 * the extra pass reach the stock JIT, which re-JITs a function into a
	 * new image and loses the first.
	 */
	if (prog->is_func && !try_module_get(THIS_MODULE))
		return -EBUSY;
	hdr = armjit_syms.bpf_jit_binary_alloc(size, &image, sizeof(u32),
					       armjit_fill_hole);
	if (!hdr) {
		err = -ENOMEM;
		goto err_put;
	}
	err = armjit_write_image(ctx, image);
	if (err) {
		armjit_syms.bpf_jit_binary_free(hdr);
		goto err_put;
	}
	prog->bpf_func = (void *)image;
	prog->jited = 1;
	prog->jited_len = size;

	if (prog->is_func) {
		/* Calls get their targets in the extra pass. */
		prog->aux->jit_data = (void *)&armjit_pending_marker;
		return 0;
	}
	err = armjit_publish(prog, ctx);
	if (err) {
		armjit_syms.bpf_jit_binary_free(hdr);
		prog->bpf_func = NULL;
		prog->jited = 0;
		prog->jited_len = 0;
	}
	return err;

err_put:
	if (prog->is_func)
		module_put(THIS_MODULE);
	return err;
}

/*
 * The verifier's extra pass over a subprogram (jit_subprogs()): every
 * function now has an address and call instructions point to them. The
 * code is rewritten in place: it must come out the same size, or the
 * program fails cleanly (image freed, not JIT'ed: the verifier then
 * notices bpf_func changed and falls back to the interpreter).
 */
static void armjit_fail_pending(struct bpf_prog *prog, int err)
{
	armjit_forget_pending(prog);
	pr_warn("extra pass failed (%d): program falls back\n", err);
	armjit_syms.bpf_jit_binary_free(armjit_image_hdr(prog));
	prog->bpf_func = NULL;
	prog->jited = 0;
	prog->jited_len = 0;
	atomic_long_inc(&armjit_stats.failed);
}

static void armjit_extra_pass(struct bpf_prog *prog, struct armjit_ctx *ctx)
{
	int err;

	err = armjit_size_passes(ctx);
	if (!err && ctx->idx * sizeof(u32) != prog->jited_len)
		err = -EFAULT;
	if (!err)
		err = armjit_write_image(ctx, (u8 *)prog->bpf_func);
	if (!err)
		err = armjit_publish(prog, ctx);
	if (err) {
		armjit_fail_pending(prog, err);
		return;
	}
	armjit_forget_pending(prog);
}

struct bpf_prog *armjit_jit_compile(struct bpf_prog *orig)
{
	struct armjit_ctx ctx = {};
	struct bpf_prog *prog = orig, *tmp;
	struct armjit_call_conv *calls;
	bool extra = armjit_is_pending(orig);
	int err;

	/* Blinding happened in the first pass; a blinded prog is left alone. */
	tmp = armjit_syms.bpf_jit_blind_constants(orig);
	if (IS_ERR(tmp))
		goto fail;
	prog = tmp;

	ctx.insns = prog->insnsi;
	ctx.len = prog->len;
	ctx.stack_depth = prog->aux->stack_depth;
	ctx.verifier_zext = prog->aux->verifier_zext;
	ctx.is_subprog = prog->is_func && prog->aux->func_idx;
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

	if (extra) {
		armjit_extra_pass(prog, &ctx);
		err = 0;
	} else {
		err = armjit_size_passes(&ctx);
		if (!err)
			err = armjit_emit_image(prog, &ctx);
	}
	kfree(ctx.offsets);
	kfree(calls);
	if (err)
		goto fail_release;

	if (prog != orig)
		armjit_syms.bpf_jit_prog_release_other(prog, orig);
	return prog;

fail_release:
	if (extra) {
		/* Never back to the stock JIT with placeholder calls. */
		armjit_fail_pending(prog, err);
		return prog;
	}
	if (err != -EOPNOTSUPP)
		pr_debug("cannot compile program: %d\n", err);
	if (prog != orig)
		armjit_syms.bpf_jit_prog_release_other(orig, prog);
fail:
	atomic_long_inc(&armjit_stats.failed);
	return NULL;
}
