// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's kernel glue around the pass sequence (armjit_passes.c):
 * constant blinding (armjit_blind.c; the kernel's
 * bpf_jit_blind_constants() only as a fallback), the buffers of a
 * compile, images from bpf_jit_binary_alloc(), the pending record of a
 * subprogram, and publishing the image read-only. Translation itself is
 * in armjit_translate.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <asm/cacheflush.h>
#include <asm/hwcap.h>
#include <asm/elf.h>
#include "armjit.h"
#include "armjit_jit.h"

struct armjit_rt armjit_rt;

/*
 * The instruction set armjit emits: ARMv7 on a kernel built for ARMv7
 * (__LINUX_ARM_ARCH__, the floor of every CPU it runs on), else what the
 * kernel's CPU table says the CPU runs (elf_platform, AT_PLATFORM:
 * "v6l", "v7l"). Not cpu_architecture(): it answers ARMv7 for an ARM1176
 * (its ID_MMFR0 shows VMSAv7 features), which has no movw or dmb. ARMv6K
 * at least: armjit's 64-bit atomics need ldrexd/strexd. 0 if armjit can't
 * serve this kernel.
 */
static u8 armjit_cpu_arch(void)
{
	if (__LINUX_ARM_ARCH__ >= 7)
		return ARMJIT_ARCH_V7;
	if (elf_platform[0] == 'v' && elf_platform[1] >= '7' &&
	    elf_platform[1] <= '9')
		return ARMJIT_ARCH_V7;
	if (__LINUX_ARM_ARCH__ >= 6 && IS_ENABLED(CONFIG_CPU_32v6K))
		return ARMJIT_ARCH_V6K;
	pr_err("needs ARMv6K or ARMv7 (kernel built for ARMv%d%s, CPU %s)\n",
	       __LINUX_ARM_ARCH__, IS_ENABLED(CONFIG_CPU_32v6K) ? "K" : "",
	       elf_platform);
	return 0;
}

/*
 * The helpers JIT'ed code reads in place (armjit_inline_kind()): current
 * is in TPIDRURO (CURRENT_POINTER_IN_TPIDRURO, ARMv6K and later), with
 * its thread_info first (THREAD_INFO_IN_TASK), whose cpu is ARM's
 * raw_smp_processor_id(). Another kernel calls them.
 */
static void armjit_inline_init(void)
{
#if defined(CONFIG_CURRENT_POINTER_IN_TPIDRURO) && \
	defined(CONFIG_THREAD_INFO_IN_TASK)
	static_assert(offsetof(struct task_struct, thread_info) == 0);
	static_assert(offsetof(struct thread_info, cpu) < 4096);
	static_assert(BPF_FUNC_get_smp_processor_id == ARMJIT_FUNC_CPU_ID &&
		      BPF_FUNC_get_current_task == ARMJIT_FUNC_TASK &&
		      BPF_FUNC_get_current_task_btf == ARMJIT_FUNC_TASK_BTF);

	armjit_rt.cpu_off = offsetof(struct thread_info, cpu);
	armjit_rt.cpu_up = !IS_ENABLED(CONFIG_SMP);
	armjit_rt.fn_cpu_id = armjit_lookup_name("bpf_get_smp_processor_id");
	/* the socket filters' (bpf_get_raw_smp_processor_id_proto) */
	armjit_rt.fn_raw_cpu_id = armjit_lookup_name("bpf_get_raw_cpu_id");
	armjit_rt.fn_task = armjit_lookup_name("bpf_get_current_task");
	armjit_rt.fn_task_btf = armjit_lookup_name("bpf_get_current_task_btf");
	if (armjit_rt.fn_cpu_id && armjit_rt.fn_task && armjit_rt.fn_task_btf) {
		pr_info("helpers in place: the current task, its CPU%s\n",
			armjit_rt.cpu_up ? " (0: uniprocessor)" : "");
		return;
	}
	armjit_rt.fn_cpu_id = 0;
	armjit_rt.fn_raw_cpu_id = 0;
	armjit_rt.fn_task = 0;
	armjit_rt.fn_task_btf = 0;
#endif
	pr_info("helpers in place: none (calls)\n");
}

int armjit_rt_init(void)
{
	armjit_rt.call_base = (u32)__bpf_call_base;
	armjit_rt.uidivmod = (u32)__aeabi_uidivmod;
	armjit_rt.idivmod = (u32)__aeabi_idivmod;
	armjit_rt.div64_u64 = (u32)div64_u64;
	armjit_rt.div64_u64_rem = (u32)div64_u64_rem;
	armjit_rt.div64_s64 = (u32)div64_s64;
	armjit_rt.arch = armjit_cpu_arch();
	armjit_rt.tc_count_empty = ARMJIT_TC_COUNT_EMPTY;
	if (!armjit_rt.arch)
		return -ENODEV;
	/* IDIVA means ARMv7VE: never on an ARMv6K JIT's CPU */
	armjit_rt.hwdiv = armjit_rt.arch == ARMJIT_ARCH_V7 &&
			  (elf_hwcap & HWCAP_IDIVA);
	pr_info("architecture: %s\n", armjit_rt.arch == ARMJIT_ARCH_V7 ?
		"ARMv7" : "ARMv6K");
	pr_info("hardware divide: %s\n", armjit_rt.hwdiv ? "yes" : "no");
	armjit_inline_init();
	return 0;
}

/*
 * Fault injection for tests (debugfs armjit/fail_nth, armjit_main.c): with
 * fail_nth = n, the n-th fault point of every compile fails as if its
 * allocation (or set_memory_*) had. Each compile counts its own points in
 * a struct armjit_fault, so compiles never disturb each other's counts.
 * Every failure is logged with the point's name: a test can tell that it
 * reached every one (armjit_fault_sites).
 */
unsigned int armjit_fail_nth;

enum armjit_fault_point {
	FP_BLIND_MAP,
	FP_BLIND_INSNS,
	FP_KERNEL_BLIND,
	FP_HELPERS,
	FP_OFFSETS,
	FP_IS_TARGET,
	FP_LIVE,
	FP_HI0,
	FP_USE_DEF,
	FP_MAP_SITES,
	FP_SCRATCH,
	FP_PENDING,
	FP_IMAGE,
	FP_LOCK_RO,
	FP_LINFO,
};

const char * const armjit_fault_sites[] = {
	[FP_BLIND_MAP] = "blind_map",
	[FP_BLIND_INSNS] = "blind_insns",
	[FP_KERNEL_BLIND] = "kernel_blind",
	[FP_HELPERS] = "helpers",
	[FP_OFFSETS] = "offsets",
	[FP_IS_TARGET] = "is_target",
	[FP_LIVE] = "live",
	[FP_HI0] = "hi0",
	[FP_USE_DEF] = "use_def",
	[FP_MAP_SITES] = "map_sites",
	[FP_SCRATCH] = "scratch",
	[FP_PENDING] = "pending",
	[FP_IMAGE] = "image",
	[FP_LOCK_RO] = "lock_ro",
	[FP_LINFO] = "linfo",
	NULL,
};

struct armjit_fault {
	unsigned int hit;
};

static bool armjit_fault(struct armjit_fault *f, enum armjit_fault_point fp)
{
	unsigned int nth = READ_ONCE(armjit_fail_nth);

	if (!nth || ++f->hit != nth)
		return false;
	pr_info("fault injected: %s\n", armjit_fault_sites[fp]);
	return true;
}

/* memset32(): the arch's store-multiple loop, not a word at a time */
static void armjit_fill_hole(void *area, unsigned int size)
{
	memset32(area, ARMJIT_UDF, size / sizeof(u32));
}

/*
 * bpf_jit_binary_lock_ro() with the unexported calls resolved. It can fail
 * (6.12's returns an int): the image is then freed, not used, as the
 * kernel's own JITs do.
 */
static int armjit_lock_ro(struct bpf_binary_header *hdr,
			  struct armjit_fault *f)
{
	struct vm_struct *vm = armjit_syms.find_vm_area(hdr);
	int err;

	if (vm)
		vm->flags |= VM_FLUSH_RESET_PERMS;
	if (armjit_fault(f, FP_LOCK_RO))
		return -ENOMEM;
	err = armjit_syms.set_memory_ro((unsigned long)hdr,
					hdr->size >> PAGE_SHIFT);
	if (err)
		return err;
	return armjit_syms.set_memory_x((unsigned long)hdr,
					hdr->size >> PAGE_SHIFT);
}

/*
 * A subprogram whose first pass armjit compiled: its image still has
 * placeholder call targets and stays writable until the extra pass, which
 * must come to armjit whatever the toggle says. prog->aux->jit_data points
 * to its entry in armjit_pending_list (only pointers found there count),
 * which keeps what the first pass was made from: the blinding key (the
 * same random values), the level, the helpers' conventions and the direct
 * call sites, so a sysfs change in between can't change the extra pass's
 * size. Each pending subprogram holds a module reference (released by the
 * extra pass, or by armjit_forget_pending() when the verifier frees it
 * instead).
 */
struct armjit_pending {
	struct list_head node;
	struct armjit_blind_key key;
	u8 opt;				/* ctx->opt of the first pass */
	u8 tc_abi, stock_tc;		/* its tail calls' ABI, its stub */
	bool lit;			/* ARMv6K: its literal pool */
	const struct armjit_call_conv *calls;
	int ncalls;
	const struct armjit_site *sites;
	int nsites;
};

static LIST_HEAD(armjit_pending_list);
static DEFINE_SPINLOCK(armjit_pending_lock);

/* Under armjit_pending_lock. */
static struct armjit_pending *armjit_find_pending(const struct bpf_prog *prog)
{
	struct armjit_pending *p;

	list_for_each_entry(p, &armjit_pending_list, node)
		if (prog->aux->jit_data == p)
			return p;
	return NULL;
}

bool armjit_is_pending(const struct bpf_prog *prog)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&armjit_pending_lock, flags);
	ret = armjit_find_pending(prog);
	spin_unlock_irqrestore(&armjit_pending_lock, flags);
	return ret;
}

/*
 * A pending subprogram's first pass (key, level, tail-call ABI,
 * conventions, call sites, into @ctx): its extra pass must make the same
 * code. The conventions and sites stay the record's (freed with it).
 * False: not pending.
 */
static bool armjit_pending_get(const struct bpf_prog *prog,
			       struct armjit_blind_key *key,
			       struct armjit_ctx *ctx)
{
	struct armjit_pending *p;
	unsigned long flags;

	spin_lock_irqsave(&armjit_pending_lock, flags);
	p = armjit_find_pending(prog);
	if (p) {
		*key = p->key;
		ctx->opt = p->opt;
		ctx->tc_abi = p->tc_abi;
		ctx->stock_tc = p->stock_tc;
		ctx->lit = p->lit;
		ctx->calls = p->calls;
		ctx->ncalls = p->ncalls;
		ctx->sites = p->sites;
		ctx->nsites = p->nsites;
	}
	spin_unlock_irqrestore(&armjit_pending_lock, flags);
	return p;
}

void armjit_forget_pending(struct bpf_prog *prog)
{
	struct armjit_pending *p;
	unsigned long flags;

	spin_lock_irqsave(&armjit_pending_lock, flags);
	p = armjit_find_pending(prog);
	if (p) {
		list_del(&p->node);
		prog->aux->jit_data = NULL;
	}
	spin_unlock_irqrestore(&armjit_pending_lock, flags);
	if (!p)
		return;
	kfree(p->calls);
	kfree(p->sites);
	kfree(p);
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

/*
 * A program blinded by armjit_blind_write(): the rewritten insns the
 * translation runs on, their jump offsets, and the map from the program's
 * own insn indices to them. Empty (insns NULL) when not blinded by armjit.
 */
struct armjit_blinded {
	struct bpf_insn *insns;
	s32 *jmp_off;
	u32 *map;		/* prog->len + 1 entries */
	int len;
};

static void armjit_blinded_free(struct armjit_blinded *b)
{
	kvfree(b->insns);
	kvfree(b->jmp_off);
	kvfree(b->map);
	memset(b, 0, sizeof(*b));
}

static int armjit_blind_prog(const struct bpf_prog *prog,
			     const struct armjit_blind_key *key,
			     struct armjit_blinded *b, struct armjit_fault *f)
{
	bool zext = prog->aux->verifier_zext;
	int n, err;

	if (armjit_fault(f, FP_BLIND_MAP))
		return -ENOMEM;
	b->map = kvmalloc_array(prog->len + 1, sizeof(*b->map), GFP_KERNEL);
	if (!b->map)
		return -ENOMEM;
	n = armjit_blind_size(prog->insnsi, prog->len, zext, b->map);
	if (n < 0) {
		err = n;
		goto err;
	}
	err = -ENOMEM;
	if (armjit_fault(f, FP_BLIND_INSNS))
		goto err;
	b->insns = kvmalloc_array(n, sizeof(*b->insns), GFP_KERNEL);
	b->jmp_off = kvmalloc_array(n, sizeof(*b->jmp_off), GFP_KERNEL);
	if (!b->insns || !b->jmp_off)
		goto err;
	err = armjit_blind_write(prog->insnsi, prog->len, zext, key, b->map,
				 b->insns, b->jmp_off);
	if (err)
		goto err;
	b->len = n;
	return 0;
err:
	armjit_blinded_free(b);
	return err;
}

/*
 * Line info: jited address of each source line's first instruction.
 * insn_to_jit_off[i] is where prog insn i ends: where the translation of
 * insn i + 1 (of its rewrite, for a blinded program) starts.
 */
static void armjit_fill_linfo(struct bpf_prog *prog, struct armjit_ctx *ctx,
			      const struct armjit_blinded *b,
			      struct armjit_fault *f)
{
	u32 *bytes;
	int i;

	if (!prog->aux->jited_linfo || armjit_fault(f, FP_LINFO))
		return;
	bytes = kvmalloc_array(prog->len, sizeof(*bytes), GFP_KERNEL);
	if (!bytes)
		return;
	for (i = 0; i < prog->len; i++)
		bytes[i] = ctx->offsets[b->insns ? b->map[i + 1] : i + 1] *
			   sizeof(u32);
	armjit_syms.bpf_prog_fill_jited_linfo(prog, bytes);
	kvfree(bytes);
}

/*
 * The image of one compile (struct armjit_image_ops for armjit_passes()):
 * from bpf_jit_binary_alloc(), its hole filled with UDF. A subprogram's
 * image comes with its pending record and a module reference: its extra
 * pass must come back to this module. rmmod may be under way already
 * (this compile was diverted before armjit's probes went): then no image,
 * and the stock JIT, which refuses functions with calls, leaves the
 * program to the interpreter. Taking the reference unconditionally would
 * let the extra pass reach the stock JIT, which re-JITs a function into a
 * new image and loses the first.
 */
struct armjit_kimage {
	struct bpf_prog *prog;
	struct armjit_fault *f;
	struct bpf_binary_header *hdr;
	struct armjit_pending *p;	/* a subprogram's, not listed yet */
	int err;			/* why alloc gave none */
};

static u32 *armjit_image_alloc(void *priv, int words, int *room)
{
	struct armjit_kimage *ki = priv;
	u8 *image;

	if (ki->prog->is_func) {
		ki->p = armjit_fault(ki->f, FP_PENDING) ? NULL :
			kzalloc(sizeof(*ki->p), GFP_KERNEL);
		if (!ki->p)
			return NULL;
		if (!try_module_get(THIS_MODULE)) {
			kfree(ki->p);
			ki->p = NULL;
			ki->err = -EBUSY;
			return NULL;
		}
	}
	ki->hdr = armjit_fault(ki->f, FP_IMAGE) ? NULL :
		armjit_syms.bpf_jit_binary_alloc(words * sizeof(u32), &image,
						 sizeof(u32), armjit_fill_hole);
	if (!ki->hdr) {
		if (ki->p) {
			module_put(THIS_MODULE);
			kfree(ki->p);
			ki->p = NULL;
		}
		return NULL;
	}
	*room = words;
	return (u32 *)image;
}

static void armjit_image_free(void *priv, u32 *image)
{
	struct armjit_kimage *ki = priv;

	armjit_syms.bpf_jit_binary_free(ki->hdr);
	ki->hdr = NULL;
	if (ki->p) {
		module_put(THIS_MODULE);
		kfree(ki->p);
		ki->p = NULL;
	}
}

/*
 * The recording pass's scratch memory (freed before the compile ends);
 * without it the passes run as before.
 */
static void *armjit_scratch(void *priv, size_t bytes)
{
	struct armjit_kimage *ki = priv;

	if (armjit_fault(ki->f, FP_SCRATCH))
		return NULL;
	return kvmalloc(bytes, GFP_KERNEL);
}

static void armjit_unscratch(void *priv, void *p)
{
	kvfree(p);
}

static int armjit_publish(struct bpf_prog *prog, struct armjit_ctx *ctx,
			  const struct armjit_blinded *b,
			  struct armjit_fault *f)
{
	struct bpf_binary_header *hdr = armjit_image_hdr(prog);
	unsigned long start = (unsigned long)prog->bpf_func;
	int err;

	flush_icache_range(start, start + prog->jited_len);
	err = armjit_lock_ro(hdr, f);
	if (err)
		return err;
	armjit_fill_linfo(prog, ctx, b, f);
	return 0;
}

/*
 * The passes into a new image. A subprogram's is left writable, listed as
 * pending with what its extra pass needs (its conventions and call sites
 * then the record's: *owned false); any other is published.
 */
static int armjit_emit_image(struct bpf_prog *prog, struct armjit_ctx *ctx,
			     const struct armjit_blinded *b,
			     const struct armjit_blind_key *key,
			     struct armjit_fault *f, bool *owned)
{
	/* the interpreter, which the program keeps if this fails */
	void *interp = prog->bpf_func;
	struct armjit_kimage ki = { .prog = prog, .f = f, .err = -ENOMEM };
	const struct armjit_image_ops ops = {
		.alloc = armjit_image_alloc,
		.free = armjit_image_free,
		.scratch = armjit_scratch,
		.unscratch = armjit_unscratch,
		.priv = &ki,
	};
	struct armjit_pending *p;
	unsigned long flags;
	int err;

	err = armjit_passes(ctx, &ops);
	if (err)
		return err == -ENOMEM ? ki.err : err;
	prog->bpf_func = (void *)ctx->image;
	prog->jited = 1;
	prog->jited_len = ctx->idx * sizeof(u32);

	p = ki.p;
	if (p) {
		/* Calls get their targets in the extra pass. */
		p->key = *key;
		p->opt = ctx->opt;
		p->tc_abi = ctx->tc_abi;
		p->stock_tc = ctx->stock_tc;
		p->lit = ctx->lit;
		p->calls = ctx->calls;
		p->ncalls = ctx->ncalls;
		p->sites = ctx->sites;
		p->nsites = ctx->nsites;
		*owned = false;
		spin_lock_irqsave(&armjit_pending_lock, flags);
		list_add(&p->node, &armjit_pending_list);
		prog->aux->jit_data = p;
		spin_unlock_irqrestore(&armjit_pending_lock, flags);
		return 0;
	}
	err = armjit_publish(prog, ctx, b, f);
	if (err) {
		armjit_syms.bpf_jit_binary_free(ki.hdr);
		prog->bpf_func = interp;
		prog->jited = 0;
		prog->jited_len = 0;
	}
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

static void armjit_extra_pass(struct bpf_prog *prog, struct armjit_ctx *ctx,
			      const struct armjit_blinded *b,
			      struct armjit_fault *f)
{
	int err;

	err = armjit_extra_passes(ctx, (u32 *)prog->bpf_func,
				  prog->jited_len / sizeof(u32));
	if (!err)
		err = armjit_publish(prog, ctx, b, f);
	if (err) {
		armjit_fail_pending(prog, err);
		return;
	}
	armjit_forget_pending(prog);
}

/* map->ops->map_lookup_elem of the map a program's ld_imm64 loads */
static u32 armjit_map_lookup_of(u32 addr)
{
	const struct bpf_map *map = (const struct bpf_map *)addr;

	return map->ops ? (u32)map->ops->map_lookup_elem : 0;
}

/*
 * bpf_map_lookup_elem of a known map calls the map's own lookup (as the
 * verifier patches it for 64-bit JITs): 2 x u32 in r0, r1, a pointer
 * back, none of the helper's own code. No memory, or the helper's table
 * entry overridden from sysfs: the helper instead, as the table says.
 */
static int armjit_map_sites(struct armjit_ctx *ctx, struct armjit_site **out,
			    struct armjit_fault *f)
{
	struct armjit_site *s;
	int i, n, max = 0;

	*out = NULL;
	if (armjit_helper_overridden(armjit_rt.map_lookup_elem))
		return 0;
	/* the analyses counted them (none: a program they refused) */
	if (ctx->analysed == ctx->insns && ctx->analysed_len == ctx->len)
		max = ctx->lookups;
	if (!max || !armjit_targets(ctx) || armjit_fault(f, FP_MAP_SITES))
		return 0;
	s = kcalloc(max, sizeof(*s), GFP_KERNEL);
	if (!s)
		return 0;
	n = armjit_find_map_calls(ctx, s, max, armjit_map_lookup_of);
	for (i = 0; i < n; i++)
		if (s[i].conv.addr)
			atomic_long_inc(&armjit_stats.calls_direct);
	*out = s;
	return n;
}

/*
 * Blinding: bpf_jit_blind_constants()'s own test (blinding_requested is
 * bpf_jit_blinding_enabled() of the loading task: bpf_jit_harden 2, or 1
 * and not bpf_capable; blinded: the kernel's blinding already happened).
 * armjit blinds into a buffer of its own (the prog's insns stay as they
 * are); if it can't, the kernel's blinding, never unblinded code.
 */
static bool armjit_wants_blinding(const struct bpf_prog *prog)
{
	return prog->blinding_requested && !prog->blinded;
}

/* Does the program pass a subprogram as a callback (ld_imm64 of one)? */
static bool armjit_has_callback(const struct bpf_insn *insns, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    insns[i].src_reg == BPF_PSEUDO_FUNC)
			return true;
	return false;
}

/* A zeroed buffer, or NULL (also when its fault point fails). */
static void *armjit_zalloc(size_t n, size_t size, struct armjit_fault *f,
			   enum armjit_fault_point fp)
{
	return armjit_fault(f, fp) ? NULL : kvcalloc(n, size, GFP_KERNEL);
}

/* An analysis's buffer: it writes every entry before any is read. */
static void *armjit_alloc(size_t n, size_t size, struct armjit_fault *f,
			  enum armjit_fault_point fp)
{
	return armjit_fault(f, fp) ? NULL :
				     kvmalloc_array(n, size, GFP_KERNEL);
}

struct bpf_prog *armjit_jit_compile(struct bpf_prog *orig)
{
	struct armjit_ctx ctx = {};
	struct bpf_prog *prog = orig, *tmp;
	struct armjit_call_conv *calls = NULL;
	struct armjit_site *sites = NULL;
	struct armjit_blinded bl = {};
	struct armjit_blind_key key = {};
	struct armjit_fault f = {};
	bool extra, owned = true;
	int err;

	/* a subprogram's extra pass takes its first's level, calls, sites */
	extra = armjit_pending_get(orig, &key, &ctx);
	if (!extra) {
		ctx.opt = armjit_opt_flags(READ_ONCE(armjit_opt));
		if (READ_ONCE(armjit_no_inline))
			ctx.opt &= ~ARMJIT_OPT_INLINE;
		ctx.tc_abi = READ_ONCE(armjit_tc_abi);
		ctx.stock_tc = READ_ONCE(armjit_stock_tc);
	}
	if (armjit_wants_blinding(orig)) {
		if (!extra)
			get_random_bytes(&key, sizeof(key));
		err = armjit_blind_prog(orig, &key, &bl, &f);
		if (err)
			pr_debug("blinding: %d, the kernel's instead\n", err);
	}
	if (!bl.insns) {
		/* A blinded prog (or one not to blind) is left alone. */
		tmp = armjit_fault(&f, FP_KERNEL_BLIND) ? ERR_PTR(-ENOMEM) :
			armjit_kernel_blind(armjit_syms.bpf_jit_blind_constants,
					    orig);
		if (IS_ERR(tmp)) {
			err = PTR_ERR(tmp);
			goto fail_release;
		}
		prog = tmp;
		ctx.insns = prog->insnsi;
		ctx.len = prog->len;
	} else {
		ctx.insns = bl.insns;
		ctx.len = bl.len;
		ctx.jmp_off = bl.jmp_off;
	}

	ctx.stack_depth = prog->aux->stack_depth;
	ctx.verifier_zext = ARMJIT_ZEXT_TRUSTED && prog->aux->verifier_zext;
	ctx.is_subprog = prog->is_func && prog->aux->func_idx;
	ctx.tc_reach = prog->aux->tail_call_reachable;
	/*
	 * A callback is called by the kernel, not by a frame with the
	 * tail-call count's pointer: refuse one that may tail-call (its
	 * referrer is tail_call_reachable then). The load fails: the
	 * kernel interprets no program with subprogram tail calls.
	 */
	if (ctx.tc_reach && armjit_has_callback(ctx.insns, ctx.len)) {
		err = -EOPNOTSUPP;
		goto fail_release;
	}
	/*
	 * bpf_func returns unsigned int, but a main image entered by a
	 * subprogram's tail call returns to that subprogram's caller,
	 * which reads all of R0 (tail-call ABI 3): never ret32 here.
	 */
	ctx.ret32 = false;
	if (!extra) {
		err = armjit_fault(&f, FP_HELPERS) ? -ENOMEM :
			armjit_helpers_for_prog(prog, &calls, &ctx.ncalls);
		if (err)
			goto fail_release;
		ctx.calls = calls;
	}
	ctx.offsets = armjit_zalloc(ctx.len + 1, sizeof(*ctx.offsets), &f,
				    FP_OFFSETS);
	/*
	 * The optimisations' buffers, if the level has them on; without
	 * them the code is only bigger (every insn one at a time, every
	 * register word written)
	 */
	if (ctx.opt & ARMJIT_OPT_TARGETS)
		ctx.is_target = armjit_alloc(ctx.len + 1, 1, &f,
					     FP_IS_TARGET);
	if (ctx.opt & ARMJIT_OPT_LIVE) {
		ctx.live = armjit_alloc(ctx.len + 1, sizeof(*ctx.live), &f,
					FP_LIVE);
		ctx.hi0 = armjit_alloc(ctx.len + 1, sizeof(*ctx.hi0), &f,
				       FP_HI0);
		/* without it every word counts as live */
		ctx.use_def = armjit_alloc(ctx.len + 1,
					   sizeof(*ctx.use_def), &f,
					   FP_USE_DEF);
	}
	if (!ctx.offsets) {
		kvfree(ctx.use_def);
		kvfree(ctx.hi0);
		kvfree(ctx.live);
		kvfree(ctx.is_target);
		kfree(calls);
		err = -ENOMEM;
		goto fail_release;
	}

	if (extra) {
		armjit_extra_pass(prog, &ctx, &bl, &f);
		err = 0;
	} else {
		/* a program it can't analyse fails its first pass the same */
		armjit_analyse(&ctx);
		ctx.nsites = armjit_map_sites(&ctx, &sites, &f);
		ctx.sites = sites;
		err = armjit_emit_image(prog, &ctx, &bl, &key, &f, &owned);
	}
	kvfree(ctx.offsets);
	kvfree(ctx.is_target);
	kvfree(ctx.live);
	kvfree(ctx.hi0);
	kvfree(ctx.use_def);
	if (owned) {
		kfree(calls);
		kfree(sites);
	}
	if (err)
		goto fail_release;

	if (!extra)
		atomic_long_add(armjit_count_inlined(&ctx), &armjit_stats.inlined);
	armjit_blinded_free(&bl);
	if (prog != orig)
		armjit_syms.bpf_jit_prog_release_other(prog, orig);
	return prog;

fail_release:
	armjit_blinded_free(&bl);
	if (prog != orig)
		armjit_syms.bpf_jit_prog_release_other(orig, prog);
	if (extra) {
		/*
		 * Never back to the stock JIT with placeholder calls: the
		 * extra pass fails here, the verifier interprets the program.
		 */
		armjit_fail_pending(orig, err);
		return orig;
	}
	if (err != -EOPNOTSUPP)
		pr_debug("cannot compile program: %d\n", err);
	atomic_long_inc(&armjit_stats.failed);
	return NULL;
}
