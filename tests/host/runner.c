// SPDX-License-Identifier: GPL-2.0
/*
 * armjit host test runner. Built as a static armhf binary, run under
 * qemu-arm-static. Prints KTAP (kselftest style).
 *
 * For each test: JIT the program with the kernel's pass sequence
 * (armjit_passes(), module/armjit_passes.c: a sizing pass, an RWX mapping,
 * a sizing pass at its address, the final pass), run the reference
 * interpreter and the JIT'ed code on the same ctx buffer (R1), compare R0
 * (64-bit) and the whole buffer including guard zones around it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include "runner.h"
#include "ref_interp.h"
#include "disasm.h"

#define GUARD		256
#define ARM_UDF		0xe7f000f0u	/* permanently undefined */
#define MAX_DIAG_WORDS	12

struct armjit_rt armjit_rt;

const char *test_filter;
bool verbose;
/*
 * ctx->opt, as /sys/kernel/armjit/opt sets it: --opt=1 (default) both,
 * --opt=0 (or --no-peephole) neither. peephole: ARMJIT_OPT_TARGETS (two
 * insns as one, the cache across insns, kept-back stores, direct map
 * lookups); liveness: ARMJIT_OPT_LIVE (every register word live without)
 */
bool peephole = true;
bool liveness = true;
/*
 * --ret32: main programs return R0's low word only (ctx->ret32), as the
 * kernel's did before tail-call ABI 3 (now a subprogram's tail call may
 * return through one); R0 is compared on it
 */
bool ret32;
/* --far-images: images mapped anywhere, helper calls not in bl range */
bool near_calls = true;
bool counting;
static int nr_tests, nr_pass, nr_fail, nr_skip;
/*
 * --dump-images=FILE: every JIT result (error or image words, with the
 * image's address) into FILE, for image-compare (make images): the
 * translation's output compared across commits
 */
static FILE *image_dump;
static int image_seq;
static char cur_name[160];

/* ---- Kernel runtime stand-ins ---------------------------------------- */

/* Origin of BPF_CALL imm, like the kernel's __bpf_call_base. */
static u64 host_call_base(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	(void)a; (void)b; (void)c; (void)d; (void)e;
	return 0;
}

/*
 * The helpers armjit emits in place (armjit_rt.fn_*): for the interpreter
 * and for calls at opt 0. The thread pointer stands for the kernel's
 * current, host_cpu (a TLS word) for its thread_info.cpu.
 */
__thread u32 host_cpu = 3;

static __attribute__((noipa)) u64 host_get_smp_processor_id(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	const u8 *tp = __builtin_thread_pointer();

	(void)a; (void)b; (void)c; (void)d; (void)e;
	return armjit_rt.cpu_up ? 0 : *(const u32 *)(tp + armjit_rt.cpu_off);
}

/* (long)current, as the kernel's: sign-extended */
static __attribute__((noipa)) u64 host_get_current_task(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	(void)a; (void)b; (void)c; (void)d; (void)e;
	return (s64)(s32)(uintptr_t)__builtin_thread_pointer();
}

/* a function of its own, as the kernel's: (unsigned long)current */
static __attribute__((noipa)) u64 host_get_current_task_btf(u64 a, u64 b,
							     u64 c, u64 d,
							     u64 e)
{
	(void)a; (void)b; (void)c; (void)d; (void)e;
	return (u32)(uintptr_t)__builtin_thread_pointer();
}

static void host_inline_init(void)
{
	long off = (const u8 *)&host_cpu -
		   (const u8 *)__builtin_thread_pointer();

	if (off < 0 || off > 4095) {
		fprintf(stderr, "host_cpu at tp%+ld: helpers not inlined\n",
			off);
		return;
	}
	armjit_rt.cpu_off = off;
	armjit_rt.fn_cpu_id = (u32)(uintptr_t)host_get_smp_processor_id;
	armjit_rt.fn_task = (u32)(uintptr_t)host_get_current_task;
	armjit_rt.fn_task_btf = (u32)(uintptr_t)host_get_current_task_btf;
}

u64 div64_u64(u64 dividend, u64 divisor);
u64 div64_u64_rem(u64 dividend, u64 divisor, u64 *remainder);
s64 div64_s64(s64 dividend, s64 divisor);
extern void __aeabi_uidivmod(void);
extern void __aeabi_idivmod(void);

__attribute__((__noinline__)) u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

__attribute__((__noinline__)) u64 div64_u64_rem(u64 dividend, u64 divisor,
					    u64 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

__attribute__((__noinline__)) s64 div64_s64(s64 dividend, s64 divisor)
{
	return dividend / divisor;
}

s32 helper_imm(void *fn)
{
	return (s32)((u32)(uintptr_t)fn - armjit_rt.call_base);
}

/* ---- Small utilities -------------------------------------------------- */

static u64 rnd_state = 0x9e3779b97f4a7c15ull;

u64 rnd64(void)
{
	/* xorshift64* */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

void pb_init(struct prog_buf *pb)
{
	pb->len = 0;
	pb->cap = 256;
	pb->insns = malloc(pb->cap * sizeof(*pb->insns));
}

void pb_emit(struct prog_buf *pb, struct bpf_insn insn)
{
	if (pb->len == pb->cap) {
		pb->cap *= 2;
		pb->insns = realloc(pb->insns, pb->cap * sizeof(*pb->insns));
	}
	pb->insns[pb->len++] = insn;
}

void pb_ld64(struct prog_buf *pb, int reg, u64 v)
{
	PB(pb, LD_IMM64(reg, v));
}

void pb_free(struct prog_buf *pb)
{
	free(pb->insns);
	pb->insns = NULL;
	pb->len = pb->cap = 0;
}

int static_len(const struct bpf_insn *insns, int max)
{
	int i;

	for (i = max - 1; i >= 0; i--)
		if (insns[i].code)
			return i + 1;
	return 0;
}

/* ---- Crash containment ------------------------------------------------ */

static sigjmp_buf crash_jmp;
static volatile sig_atomic_t crash_sig;
static volatile uintptr_t crash_pc, crash_addr;

static volatile sig_atomic_t in_jit;

/*
 * A hang is 5 s of the process's own CPU time (SIGPROF), not of the
 * clock: on a loaded machine a long image may take more than 5 s to run.
 */
#define HANG_SECS	5

static void watchdog(unsigned int secs)
{
	struct itimerval it = { .it_value = { .tv_sec = secs } };

	setitimer(ITIMER_PROF, &it, NULL);
}

static void crash_handler(int sig, siginfo_t *si, void *uc)
{
	ucontext_t *u = uc;

	if (!in_jit) {
		/* not in JIT'ed code: a runner bug, die loudly */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	in_jit = 0;

	crash_sig = sig;
	crash_addr = (uintptr_t)si->si_addr;
	crash_pc = u->uc_mcontext.arm_pc;
	siglongjmp(crash_jmp, 1);
}

static void setup_signals(void)
{
	static u8 altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;
	int sigs[] = { SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP, SIGPROF };
	unsigned int i;

	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* ---- JIT ---------------------------------------------------------------- */

static bool cur_zext;

bool is_pseudo_call(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL;
}

bool is_pseudo_func(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       in->src_reg == BPF_PSEUDO_FUNC;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int find_subprogs(const struct bpf_insn *insns, int len, int *starts, int max)
{
	int i, k, n = 1, t;

	starts[0] = 0;
	for (i = 0; i < len; i++) {
		if (!is_pseudo_call(&insns[i]) && !is_pseudo_func(&insns[i]))
			continue;
		t = i + 1 + insns[i].imm;
		if (t < 0 || t >= len)
			return -EINVAL;
		for (k = 0; k < n && starts[k] != t; k++)
			;
		if (k < n)
			continue;
		if (n == max)
			return -EINVAL;
		starts[n++] = t;
	}
	qsort(starts, n, sizeof(int), cmp_int);
	return n;
}

u32 func_stack_depth(const struct host_prog *hp, const int *starts, int n,
		     int start)
{
	int f;

	for (f = 0; f < n; f++)
		if (starts[f] == start)
			break;
	if (hp->func_stack && f < hp->nfunc_stack)
		return hp->func_stack[f];
	return hp->stack_depth;
}

static u32 *map_image(int words, size_t *sizep)
{
	size_t size = ((size_t)words * 4 + 4095) & ~(size_t)4095;
	u32 *image;
	int i;

	if (!size)
		size = 4096;
	/*
	 * near the runner's text (a hint), as the kernel's module area is
	 * near its text: calls of helpers become bl
	 */
	image = mmap(near_calls ? (void *)0x01000000 : NULL, size,
		     PROT_READ | PROT_WRITE | PROT_EXEC,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (image == MAP_FAILED)
		return NULL;
	for (i = 0; i < (int)(size / 4); i++)
		image[i] = ARM_UDF;
	*sizep = size;
	return image;
}

/*
 * The runner's images for armjit_passes() (struct armjit_image_ops): RWX
 * mappings. host_prog.image_short (a test's hook): each holds that many
 * words fewer than asked, the words after them a guard that must stay
 * ARM_UDF; host_guard_bad counts guard words found written.
 */
int host_guard_bad;

struct host_image {
	int short_by;			/* host_prog.image_short */
	size_t size;			/* the mapping */
	int room;			/* words the JIT may write */
};

static u32 *host_image_alloc(void *priv, int words, int *room)
{
	struct host_image *hi = priv;
	u32 *image = map_image(words, &hi->size);

	if (!image)
		return NULL;
	hi->room = words - hi->short_by;
	*room = hi->room;
	return image;
}

static int guard_written(const u32 *image, const struct host_image *hi)
{
	int i, n = 0;

	for (i = hi->room; i < (int)(hi->size / 4); i++)
		n += image[i] != ARM_UDF;
	return n;
}

static void host_image_free(void *priv, u32 *image)
{
	struct host_image *hi = priv;

	host_guard_bad += guard_written(image, hi);
	munmap(image, hi->size);
}

/* The recording pass's scratch memory (the kernel's kvmalloc()). */
static void *host_scratch(void *priv, size_t bytes)
{
	return malloc(bytes);
}

static void host_unscratch(void *priv, void *p)
{
	free(p);
}

/*
 * Compiles the recording pass made, those with a routine out of bl reach
 * (the runner's code is far from its mappings; never in the kernel) and
 * the others (host_passes())
 */
static int host_recorded, host_far, host_unrecorded;

/* The kernel's passes into a new mapping: its words in *words. */
static int host_passes(struct armjit_ctx *ctx, const struct host_prog *hp,
		       u32 **image, size_t *size, int *words)
{
	struct host_image hi = { .short_by = hp->image_short };
	const struct armjit_image_ops ops = {
		.alloc = host_image_alloc,
		.free = host_image_free,
		.scratch = host_scratch,
		.unscratch = host_unscratch,
		.priv = &hi,
	};
	int err;

	/* every recorded compile checked against a pass at its address */
	ctx->check_rec = true;
	err = armjit_passes(ctx, &ops);
	if (!err) {
		host_recorded += ctx->recorded;
		host_far += ctx->calls_far;
		host_unrecorded += !ctx->recorded && !ctx->calls_far;
	}

	if (err)
		return err;
	/* a guard written and the pass still clean: count it too */
	host_guard_bad += guard_written(ctx->image, &hi);
	*image = ctx->image;
	*size = hi.size;
	*words = ctx->idx;
	return 0;
}

/* offsets[]: BPF insn -> ARM index, nondecreasing, inside the image */
static int check_offsets(const struct armjit_ctx *ctx, int words, const char *fn)
{
	int i;

	for (i = 0; i <= ctx->len; i++) {
		if (ctx->offsets[i] < 0 || ctx->offsets[i] > words ||
		    (i && ctx->offsets[i] < ctx->offsets[i - 1])) {
			printf("# %soffsets[%d] = %d (offsets[%d] = %d, image %d insns)\n",
			       fn, i, ctx->offsets[i], i ? i - 1 : 0,
			       ctx->offsets[i ? i - 1 : 0], words);
			return -EBADE;
		}
	}
	return 0;
}

static void dump_image(const u32 *image, int words, int len, int epi,
		       const char *what)
{
	int i;

	printf("# %simage %p, %d ARM insns for %d BPF insns, epilogue at %d\n",
	       what, (void *)image, words, len, epi);
	for (i = 0; i < words; i++)
		printf("# %4d: %08x\n", i, image[i]);
}

/*
 * One record per JIT of a program (J: test number, name, error) and per
 * image (I: function, address, epilogue, words); image-compare
 * normalises what depends on where things are mapped.
 */
static void dump_jit(const struct host_prog *hp, int err, int nfuncs)
{
	if (!image_dump || hp->image_short)
		return;	/* a forced overflow is no image of the translation */
	fprintf(image_dump, "J %d test %d %s err %d funcs %d\n", ++image_seq,
		nr_tests + 1, cur_name, err, nfuncs);
}

static void dump_words(int f, const u32 *image, int words, int epi,
		       int pool)
{
	int i;

	if (!image_dump)
		return;
	fprintf(image_dump, "I %d at 0x%08x words %d epilogue %d pool %d\n",
		f, (u32)(uintptr_t)image, words, epi, pool);
	for (i = 0; i < words; i++)
		fprintf(image_dump, "%08x%c", image[i],
			i % 8 == 7 || i == words - 1 ? '\n' : ' ');
}

static int host_prog_jit_funcs(struct host_prog *hp);

struct armjit_blind_key host_blind_key(int f)
{
	struct armjit_blind_key key = { {
		0x0123456789abcdefull ^ (u64)f * 0x9e3779b97f4a7c15ull,
		0xfedcba9876543210ull + (u64)f } };

	return key;
}

void host_blind_free(struct host_blind *b)
{
	free(b->insns);
	free(b->jmp_off);
	free(b->map);
	memset(b, 0, sizeof(*b));
}

/* armjit_jit_compile()'s armjit_blind_prog(), in user space. */
int host_blind(const struct bpf_insn *insns, int len, bool zext,
	       const struct armjit_blind_key *key, struct host_blind *b)
{
	int n, err;

	memset(b, 0, sizeof(*b));
	b->map = malloc((len + 1) * sizeof(*b->map));
	n = armjit_blind_size(insns, len, zext, b->map);
	if (n < 0) {
		printf("# armjit_blind_size: %d\n", n);
		host_blind_free(b);
		return n;
	}
	b->insns = malloc((n + 1) * sizeof(*b->insns));
	b->jmp_off = malloc((n + 1) * sizeof(*b->jmp_off));
	err = armjit_blind_write(insns, len, zext, key, b->map, b->insns,
				 b->jmp_off);
	if (err) {
		printf("# armjit_blind_write: %d\n", err);
		host_blind_free(b);
		return err;
	}
	b->len = n;
	return 0;
}

/* (Re)blind function @f's current insns into ctx (the key of function f). */
static int blind_func(struct host_func *fn, int f, bool zext,
		      struct armjit_ctx *ctx)
{
	struct armjit_blind_key key = host_blind_key(f);
	int err;

	host_blind_free(fn->blind);
	err = host_blind(fn->insns, fn->len, zext, &key, fn->blind);
	if (err)
		return err;
	ctx->insns = fn->blind->insns;
	ctx->len = fn->blind->len;
	ctx->jmp_off = fn->blind->jmp_off;
	return 0;
}

/* Per insn the JIT sees: the callee of a patched call/func, or -1. */
static int *func_targets(const struct host_func *fn, int len)
{
	int *t, i;

	if (!fn->blind)
		return fn->target;
	t = malloc(len * sizeof(int));
	for (i = 0; i < len; i++)
		t[i] = -1;
	for (i = 0; i < fn->len; i++)
		if (fn->target[i] >= 0)
			t[fn->blind->map[i]] = fn->target[i];
	return t;
}

bool host_in_helper;
int host_direct_sites;

u64 host_map_lookup_elem(u64 map, u64 key, u64 c, u64 d, u64 e)
{
	struct host_map *m = (struct host_map *)(uintptr_t)map;
	void *r;

	host_in_helper = true;
	r = m->lookup(m, (void *)(uintptr_t)key);
	host_in_helper = false;
	return (u32)(uintptr_t)r;
}

static u32 host_lookup_of(u32 map)
{
	return (u32)(uintptr_t)((struct host_map *)(uintptr_t)map)->lookup;
}

/*
 * An analysis's buffer as armjit_core.c allocates it (not zeroed), full
 * of a pattern: an entry read before the analysis wrote it shows.
 */
static void *garbage(size_t n, size_t size)
{
	void *p = malloc(n * size);

	if (p)
		memset(p, 0xa5, n * size);
	return p;
}

/*
 * ctx->opt from peephole and liveness, and its buffers (allocated
 * whatever the level: the translation asks ctx->opt, as the kernel's
 * allocations may fail)
 */
static void host_opt(struct armjit_ctx *ctx)
{
	ctx->opt = (peephole ? ARMJIT_OPT_TARGETS | ARMJIT_OPT_INLINE : 0) |
		   (liveness ? ARMJIT_OPT_LIVE : 0);
	ctx->is_target = garbage(ctx->len + 1, 1);
	ctx->live = garbage(ctx->len + 1, sizeof(u32));
	ctx->hi0 = garbage(ctx->len + 1, sizeof(u16));
	ctx->use_def = garbage(ctx->len + 1, sizeof(*ctx->use_def));
}

/* a ctx's per-pass buffers (not its sites: a pending record's) */
static void free_ctx(struct armjit_ctx *ctx)
{
	free(ctx->offsets);
	free(ctx->is_target);
	free(ctx->live);
	free(ctx->hi0);
	free(ctx->use_def);
}

/* ctx->sites as armjit_map_sites() (armjit_core.c) finds them */
static void host_sites(struct armjit_ctx *ctx)
{
	struct armjit_site *s;
	int i, n, max = 0;

	ctx->sites = NULL;
	ctx->nsites = 0;
	armjit_analyse(ctx);	/* as armjit_core.c: the targets too */
	for (i = 0; i < ctx->len; i++)
		max += ctx->insns[i].code == (BPF_JMP | BPF_CALL);
	if (!max || !armjit_targets(ctx))
		return;
	s = calloc(max, sizeof(*s));
	n = armjit_find_map_calls(ctx, s, max, host_lookup_of);
	host_direct_sites += n;
	ctx->sites = s;
	ctx->nsites = n;
}

int host_prog_jit(struct host_prog *hp)
{
	struct host_blind hb = { 0 };
	struct armjit_ctx ctx;
	int err, words = 0, i;
	size_t size = 0;
	u32 *image;

	hp->image = NULL;
	hp->prog.bpf_func = NULL;
	hp->funcs = NULL;
	hp->nfuncs = 0;
	host_direct_sites = 0;
	for (i = 0; i < hp->len; i++)
		if (is_pseudo_call(&hp->insns[i]) || is_pseudo_func(&hp->insns[i])) {
			err = host_prog_jit_funcs(hp);
			dump_jit(hp, err, err ? 0 : hp->nfuncs);
			for (i = 0; !err && hp->image_short == 0 && i < hp->nfuncs; i++)
				dump_words(i, hp->funcs[i].image,
					   hp->funcs[i].words,
					   hp->funcs[i].epilogue_offset,
					   hp->funcs[i].pool);
			return hp->jit_err = err;
		}

	memset(&ctx, 0, sizeof(ctx));
	ctx.insns = hp->insns;
	ctx.len = hp->len;
	if (hp->blind) {
		struct armjit_blind_key key = host_blind_key(0);

		err = host_blind(hp->insns, hp->len, hp->zext, &key, &hb);
		if (err)
			return hp->jit_err = err;
		ctx.insns = hb.insns;
		ctx.len = hb.len;
		ctx.jmp_off = hb.jmp_off;
	}
	ctx.stack_depth = hp->stack_depth;
	ctx.verifier_zext = hp->zext;
	ctx.calls = hp->calls;
	ctx.ncalls = hp->ncalls;
	ctx.offsets = calloc(ctx.len + 1, sizeof(int));
	host_opt(&ctx);
	ctx.ret32 = ret32;
	ctx.tc_abi = hp->tc_abi;
	ctx.stock_tc = hp->stock_tc;
	host_sites(&ctx);

	err = host_passes(&ctx, hp, &image, &size, &words);
	if (err)
		goto out;
	err = check_offsets(&ctx, words, "");
	if (err) {
		munmap(image, size);
		goto out;
	}
	__builtin___clear_cache((char *)image, (char *)image + size);
	hp->image = image;
	hp->image_size = size;
	hp->words = words;
	hp->prog.bpf_func = (void *)image;
	if (verbose)
		dump_image(image, words, ctx.len, ctx.epilogue_offset,
			   hp->blind ? "blinded: " : "");
	hp->epilogue_offset = ctx.epilogue_offset;
	hp->pool = ctx.lit ? ctx.lit_n : 0;
out:
	dump_jit(hp, err, err ? 0 : 1);
	if (!err && !hp->image_short)
		dump_words(0, hp->image, hp->words, hp->epilogue_offset,
			   hp->pool);
	free(ctx.offsets);
	free(ctx.is_target);
	free(ctx.live);
	free(ctx.hi0);
	free(ctx.use_def);
	free((void *)ctx.sites);
	host_blind_free(&hb);
	hp->jit_err = err;
	return err;
}

/*
 * aux->tail_call_reachable as the verifier's check_max_stack_depth() sets
 * it: a function that calls (or passes as a callback) one with a tail
 * call, or one that does so in turn.
 */
static void mark_tc_reach(struct host_func *funcs, int n)
{
	bool changed = true;
	int f, i;

	while (changed) {
		changed = false;
		for (f = 0; f < n; f++)
			for (i = 0; i < funcs[f].len && !funcs[f].tc_reach;
			     i++) {
				int g = funcs[f].target[i];
				const struct host_func *c = &funcs[g];
				int k;

				if (g < 0)
					continue;
				for (k = 0; k < c->len; k++)
					if (c->insns[k].code ==
					    (BPF_JMP | BPF_TAIL_CALL))
						break;
				if (k < c->len || c->tc_reach)
					changed = funcs[f].tc_reach = true;
			}
	}
}

/*
 * A program with bpf-to-bpf calls, as the 6.1 verifier's jit_subprogs()
 * hands it to the JIT: split at the function starts; in each function
 * every pseudo call gets off = callee index and imm = 1, every
 * BPF_PSEUDO_FUNC ld_imm64 off = index and imm = 1 in both halves; JIT
 * each function (is_subprog for all but the first) and allocate its image.
 * Then patch: call imm = callee image - call_base, ld_imm64 = the image
 * address (high half 0). Then the extra pass per function: sizing passes
 * and a final pass into the same image, which must be the same size and
 * differ from the first image only inside the patched instructions.
 */
static int host_prog_jit_funcs(struct host_prog *hp)
{
	int starts[MAX_FUNCS];
	struct armjit_ctx *ctxs;
	struct host_func *funcs;
	u32 *first = NULL;
	int *tgt = NULL;
	int n, f, i, j, err = 0;

	n = find_subprogs(hp->insns, hp->len, starts, MAX_FUNCS);
	if (n < 0) {
		printf("# pseudo call/func target outside the program (or > %d functions)\n",
		       MAX_FUNCS);
		return -EINVAL;
	}
	funcs = calloc(n, sizeof(*funcs));
	ctxs = calloc(n, sizeof(*ctxs));
	hp->funcs = funcs;
	hp->nfuncs = n;
	for (f = 0; f < n; f++) {
		struct host_func *fn = &funcs[f];

		fn->start = starts[f];
		fn->len = (f + 1 < n ? starts[f + 1] : hp->len) - starts[f];
		fn->stack_depth = func_stack_depth(hp, starts, n, starts[f]);
		fn->insns = malloc(fn->len * sizeof(*fn->insns));
		fn->blind = hp->blind ? calloc(1, sizeof(*fn->blind)) : NULL;
		fn->target = malloc(fn->len * sizeof(int));
		memcpy(fn->insns, hp->insns + fn->start, fn->len * sizeof(*fn->insns));
		for (i = 0; i < fn->len; i++) {
			struct bpf_insn *in = &fn->insns[i];
			int t = fn->start + i + 1 + in->imm, k;

			fn->target[i] = -1;
			if (!is_pseudo_call(in) && !is_pseudo_func(in))
				continue;
			if (is_pseudo_func(in) && i + 1 >= fn->len) {
				printf("# function %d: ld_imm64 at its end\n", f);
				err = -EINVAL;
				goto out;
			}
			for (k = 0; starts[k] != t; k++)
				;
			fn->target[i] = k;
			in->off = k;
			in->imm = 1;
			if (is_pseudo_func(in))
				in[1].imm = 1;
		}
	}

	mark_tc_reach(funcs, n);

	/* First JIT: placeholder targets. */
	for (f = 0; f < n; f++) {
		struct host_func *fn = &funcs[f];
		struct armjit_ctx *ctx = &ctxs[f];

		ctx->insns = fn->insns;
		ctx->len = fn->len;
		if (fn->blind) {
			err = blind_func(fn, f, hp->zext, ctx);
			if (err)
				goto out;
		}
		ctx->stack_depth = fn->stack_depth;
		ctx->verifier_zext = hp->zext;
		ctx->is_subprog = f > 0;
		ctx->tc_reach = fn->tc_reach;
		ctx->calls = hp->calls;
		ctx->ncalls = hp->ncalls;
		ctx->offsets = calloc(ctx->len + 1, sizeof(int));
		host_opt(ctx);
		ctx->ret32 = ret32 && f == 0;
		ctx->tc_abi = hp->tc_abi;
		ctx->stock_tc = hp->stock_tc;
		host_sites(ctx);
		err = host_passes(ctx, hp, &fn->image, &fn->image_size,
				  &fn->words);
		if (!err)
			err = check_offsets(ctx, fn->words, "first pass: ");
		if (err) {
			printf("# function %d (insns %d..%d): first JIT failed\n",
			       f, fn->start, fn->start + fn->len - 1);
			goto out;
		}
	}

	/* Patch the targets, as jit_subprogs() does. */
	for (f = 0; f < n; f++) {
		struct host_func *fn = &funcs[f];

		for (i = 0; i < fn->len; i++) {
			struct bpf_insn *in = &fn->insns[i];
			u32 addr;

			if (fn->target[i] < 0)
				continue;
			addr = (u32)(uintptr_t)funcs[fn->target[i]].image;
			if (is_pseudo_func(in)) {
				in[0].imm = addr;
				in[1].imm = 0;
			} else {
				in->imm = (s32)(addr - armjit_rt.call_base);
			}
		}
	}

	/* Extra pass: same size, same image. */
	for (f = 0; f < n; f++) {
		struct host_func *fn = &funcs[f];
		struct armjit_ctx *ctx = &ctxs[f];
		struct armjit_ctx first_ctx = *ctx;

		free(first);
		first = malloc(fn->words * 4 + 4);
		memcpy(first, fn->image, fn->words * 4);
		/*
		 * a fresh armjit_ctx, as the kernel's (armjit_jit_compile()),
		 * with what its pending record kept: the level, conventions,
		 * call sites; blinded again (same key) from the patched insns
		 */
		free_ctx(ctx);
		memset(ctx, 0, sizeof(*ctx));
		ctx->sites = first_ctx.sites;
		ctx->nsites = first_ctx.nsites;
		ctx->insns = fn->insns;
		ctx->len = fn->len;
		if (fn->blind) {
			err = blind_func(fn, f, hp->zext, ctx);
			if (err)
				goto out;
			if (ctx->len != first_ctx.len) {
				printf("# function %d: extra pass blinded into %d insns, first pass %d\n",
				       f, ctx->len, first_ctx.len);
				err = -EDOM;
				goto out;
			}
		}
		ctx->stack_depth = first_ctx.stack_depth;
		ctx->verifier_zext = first_ctx.verifier_zext;
		ctx->is_subprog = first_ctx.is_subprog;
		ctx->tc_reach = first_ctx.tc_reach;
		ctx->ret32 = first_ctx.ret32;
		ctx->calls = first_ctx.calls;
		ctx->ncalls = first_ctx.ncalls;
		ctx->offsets = calloc(ctx->len + 1, sizeof(int));
		host_opt(ctx);
		/* the pending record's, as the kernel's extra pass takes them */
		ctx->opt = first_ctx.opt;
		ctx->tc_abi = first_ctx.tc_abi;
		ctx->stock_tc = first_ctx.stock_tc;
		ctx->lit = first_ctx.lit;
		err = armjit_extra_passes(ctx, fn->image, fn->words);
		if (err == -EFAULT)
			printf("# function %d: extra pass sizes %d ARM insns, first pass %d\n",
			       f, ctx->idx, fn->words);
		if (!err)
			err = check_offsets(ctx, fn->words, "extra pass: ");
		if (err) {
			printf("# function %d (insns %d..%d): extra pass failed\n",
			       f, fn->start, fn->start + fn->len - 1);
			goto out;
		}
		/* only the patched instructions' code may change */
		tgt = func_targets(fn, ctx->len);
		for (j = 0, i = 0; j < fn->words; j++) {
			while (i < ctx->len && ctx->offsets[i + 1] <= j)
				i++;
			if (first[j] == fn->image[j])
				continue;
			/* the literal pool: patched addresses */
			if (ctx->lit && j >= ctx->lit_base)
				continue;
			if (i < ctx->len && tgt[i] >= 0 &&
			    j >= ctx->offsets[i])
				continue;
			if (j < ctx->offsets[0] || i >= ctx->len)
				printf("# function %d: extra pass changed ARM insn %d (%08x -> %08x) in the %s\n",
				       f, j, first[j], fn->image[j],
				       i >= ctx->len ? "epilogue" : "prologue");
			else
				printf("# function %d: extra pass changed ARM insn %d (%08x -> %08x) of BPF insn %d, no patched call\n",
				       f, j, first[j], fn->image[j], fn->start + i);
			err = -EXDEV;
			goto out;
		}
		if (tgt != fn->target)
			free(tgt);
		tgt = NULL;
		__builtin___clear_cache((char *)fn->image,
					(char *)fn->image + fn->image_size);
	}
	if (verbose) {
		for (f = 0; f < n; f++) {
			char what[64];

			snprintf(what, sizeof(what), "function %d (insns %d..%d): ",
				 f, funcs[f].start, funcs[f].start + funcs[f].len - 1);
			dump_image(funcs[f].image, funcs[f].words, ctxs[f].len,
				   ctxs[f].epilogue_offset, what);
		}
	}
	for (f = 0; f < n; f++) {
		funcs[f].epilogue_offset = ctxs[f].epilogue_offset;
		funcs[f].pool = ctxs[f].lit ? ctxs[f].lit_n : 0;
	}
	hp->image = funcs[0].image;
	hp->image_size = funcs[0].image_size;
	hp->prog.bpf_func = (void *)funcs[0].image;
	hp->words = funcs[0].words;
out:
	if (tgt && tgt != funcs[f].target)
		free(tgt);
	free(first);
	for (f = 0; f < n; f++) {
		free_ctx(&ctxs[f]);
		free((void *)ctxs[f].sites);
	}
	free(ctxs);
	if (err)
		host_prog_free(hp);
	return err;
}

void host_prog_free(struct host_prog *hp)
{
	int f;

	if (hp->funcs) {
		for (f = 0; f < hp->nfuncs; f++) {
			if (hp->funcs[f].image)
				munmap(hp->funcs[f].image, hp->funcs[f].image_size);
			free(hp->funcs[f].insns);
			free(hp->funcs[f].target);
			if (hp->funcs[f].blind) {
				host_blind_free(hp->funcs[f].blind);
				free(hp->funcs[f].blind);
			}
		}
		free(hp->funcs);
		hp->funcs = NULL;
		hp->nfuncs = 0;
	} else if (hp->image) {
		munmap(hp->image, hp->image_size);
	}
	hp->image = NULL;
	hp->prog.bpf_func = NULL;
}

static const char *err_name(int err)
{
	switch (err) {
	case -EOPNOTSUPP: return "-EOPNOTSUPP";
	case -ENOTSUPP: return "-ENOTSUPP";
	case -EINVAL: return "-EINVAL";
	case -EFBIG: return "-EFBIG";
	case -EFAULT: return "-EFAULT (a pass came out another size, or a bad encoding)";
	case -EDOM: return "extra pass blinded into another length";
	case -EBADE: return "ctx->offsets[] not monotonic or outside the image";
	case -EXDEV: return "extra pass changed code outside the patched calls";
	case -ENOMEM: return "-ENOMEM (mmap)";
	default: return "error";
	}
}

/* ---- Running one test --------------------------------------------------- */

static bool run_test1(const struct test_case *t);

/* old -> new insn index of the zext-inserted program being run */
static int *zext_map;
static int zext_map_len;

typedef u64 (*jit_fn)(void *ctx, const void *insn);

static __attribute__((__noinline__)) u64 call_jit(void *image, void *ctx)
{
	return ((jit_fn)image)(ctx, NULL);
}

bool want(const char *name)
{
	return !test_filter || strstr(name, test_filter);
}

static void dump_program(const struct test_case *t, int lo, int hi)
{
	if (zext_map && lo >= 0 && lo <= zext_map_len && hi >= 0 && hi <= zext_map_len) {
		lo = zext_map[lo];
		hi = zext_map[hi];
	}
	if (t->len <= 80 || verbose) {
		printf("# program (%d insns):\n", t->len);
		disasm_dump(t->insns, t->len, 0, t->len);
	} else if (lo >= 0) {
		printf("# program: %d insns; the part computing the first bad word:\n",
		       t->len);
		disasm_dump(t->insns, t->len, lo, hi);
	} else {
		printf("# program: %d insns; first 40:\n", t->len);
		disasm_dump(t->insns, t->len, 0, 40);
	}
}

static void result(bool ok, const char *name, const char *directive)
{
	nr_tests++;
	if (ok) {
		if (directive)
			nr_skip++;
		else
			nr_pass++;
	} else {
		nr_fail++;
	}
	printf("%s %d %s%s%s\n", ok ? "ok" : "not ok", nr_tests, name,
	       directive ? " # " : "", directive ? directive : "");
	fflush(stdout);
}

/*
 * A test that runs native code of its own around JIT'ed images (e.g. a
 * hand-made stand-in for another JIT's caller): @fn returns true on
 * success, else explains in @msg. Crashes and hangs inside it are
 * contained as in JIT'ed code.
 */
bool run_native(const char *name, bool (*fn)(void *arg, char *msg, int n),
		void *arg)
{
	char msg[240] = "";
	volatile bool ok = false;

	if (!want(name))
		return true;
	if (counting) {
		nr_tests++;
		return true;
	}
	snprintf(cur_name, sizeof(cur_name), "%s", name);
	crash_sig = 0;
	if (sigsetjmp(crash_jmp, 1) == 0) {
		watchdog(HANG_SECS);
		in_jit = 1;
		ok = fn(arg, msg, sizeof(msg));
		in_jit = 0;
		watchdog(0);
	} else {
		watchdog(0);
		snprintf(msg, sizeof(msg), "%s: signal %d at pc %p, addr %p",
			 crash_sig == SIGPROF ? "hung (5 s of CPU)" : "crashed",
			 (int)crash_sig, (void *)crash_pc, (void *)crash_addr);
	}
	if (msg[0])
		printf("# %s: %s\n", name, msg);
	result(ok, name, NULL);
	return ok;
}

/*
 * What the verifier does for a JIT that wants explicit zero-extension
 * (bpf_jit_needs_zext(), verifier_zext): after each instruction defining a
 * 32-bit subregister (ALU32 incl. END 16/32, LDX B/H/W, W atomics with
 * FETCH -> src, W CMPXCHG -> R0, 7.2's B/H/W load-acquire -> dst),
 * insert `wX = wX` with imm 1. Here after every one of them, with jump
 * offsets fixed up.
 */
static int zext_def(const struct bpf_insn *in)
{
	u8 cls = BPF_CLASS(in->code);

	if (cls == BPF_ALU) {
		if (in->code == (BPF_ALU | BPF_MOV | BPF_X) && in->imm == 1)
			return -1;	/* already a zext */
		if (BPF_OP(in->code) == BPF_END && in->imm == 64)
			return -1;
		return in->dst_reg;
	}
	if (cls == BPF_LDX && BPF_SIZE(in->code) != BPF_DW)
		return in->dst_reg;
	if (cls == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC &&
	    in->imm == BPF_LOAD_ACQ && BPF_SIZE(in->code) != BPF_DW)
		return in->dst_reg;
	if (cls == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC &&
	    BPF_SIZE(in->code) == BPF_W) {
		if (in->imm == BPF_CMPXCHG)
			return BPF_REG_0;
		if (in->imm & BPF_FETCH)
			return in->src_reg;
	}
	return -1;
}

/*
 * Program rewriting as the kernel does before the JIT sees a program.
 * A rewrite maps insn i to up to 8 insns; the last one carries i's jump
 * (its offset is recomputed), and a jump to i lands on the first.
 */
typedef int (*rewrite_fn)(const struct bpf_insn *in, int i, struct bpf_insn *out);

static int rw_zext(const struct bpf_insn *in, int i, struct bpf_insn *out)
{
	int r = zext_def(&in[i]);

	out[0] = in[i];
	if (r < 0)
		return 1;
	out[1] = ZEXT_REG(r);
	return 2;
}

static struct bpf_insn *rewrite(const struct bpf_insn *in, int len,
				rewrite_fn fn, int *nlen)
{
	int *map = malloc((len + 1) * sizeof(int));
	int *carry;
	struct bpf_insn *out, tmp[8];
	int i, n = 0, k, cnt;

	for (i = 0; i < len; i++) {
		map[i] = n;
		n += fn(in, i, tmp);
		if (in[i].code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 < len) {
			if (n - map[i] == 1)
				n++;		/* kept as is: both halves */
			map[++i] = n - 1;
		}
	}
	map[len] = n;
	out = malloc(n * sizeof(*out));
	carry = malloc(n * sizeof(int));
	for (i = 0, n = 0; i < len; i++) {
		bool ld = in[i].code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 < len;

		cnt = fn(in, i, tmp);
		for (k = 0; k < cnt; k++) {
			carry[n] = k == cnt - 1 ? i : -1;
			out[n++] = tmp[k];
		}
		if (ld) {
			if (cnt == 1) {
				carry[n] = -1;
				out[n++] = in[i + 1];
			}
			i++;
		}
	}
	for (k = 0; k < n; k++) {
		struct bpf_insn *x = &out[k];
		u8 cls = BPF_CLASS(x->code), op = BPF_OP(x->code);
		int oi = carry[k], tgt;

		if (oi < 0)
			continue;
		if (x->code == (BPF_JMP32 | BPF_JA)) {	/* gotol */
			tgt = oi + 1 + in[oi].imm;
			if (tgt >= 0 && tgt <= len)
				x->imm = map[tgt] - (k + 1);
		} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL &&
		    op != BPF_EXIT && op != BPF_TAIL_CALL) {
			tgt = oi + 1 + in[oi].off;
			if (tgt >= 0 && tgt <= len)
				x->off = map[tgt] - (k + 1);
		}
		if (is_pseudo_call(x) || is_pseudo_func(x)) {
			tgt = oi + 1 + in[oi].imm;
			if (tgt >= 0 && tgt <= len)
				x->imm = map[tgt] - (k + 1);
		}
	}
	free(carry);
	*nlen = n;
	zext_map = map;
	zext_map_len = len;
	return out;
}

struct bpf_insn *host_zext_insert(const struct bpf_insn *insns, int len,
				  int *nlen)
{
	struct bpf_insn *out = rewrite(insns, len, rw_zext, nlen);

	free(zext_map);
	zext_map = NULL;
	return out;
}

bool run_test(const struct test_case *t0)
{
	struct test_case zt;
	const struct test_case *t = t0;
	struct bpf_insn *zins = NULL;
	bool ret;

	/* F_BLIND: armjit's own blinding, in host_prog_jit() */
	if (!counting && want(t0->name) && (t0->flags & F_ZEXT_INSERT)) {
		zt = *t0;
		zins = rewrite(t0->insns, t0->len, rw_zext, &zt.len);
		zt.insns = zins;
		zt.orig_insns = t0->insns;
		zt.orig_len = t0->len;
		t = &zt;
	}
	ret = run_test1(t);
	free(zins);
	free(zext_map);
	zext_map = NULL;
	return ret;
}

bool run_pb(const char *name, const struct prog_buf *pb, u32 flags)
{
	struct test_case t;

	memset(&t, 0, sizeof(t));
	t.name = name;
	t.insns = pb->insns;
	t.len = pb->len;
	t.flags = flags;
	return run_test(&t);
}

static bool run_test1(const struct test_case *t)
{
	struct host_prog hp = {
		.insns = t->insns, .len = t->len,
		.stack_depth = t->stack_depth ? t->stack_depth : 512,
		.calls = t->calls, .wrap = t->wrap, .ncalls = t->ncalls,
		.func_stack = t->func_stack, .nfunc_stack = t->nfunc_stack,
	};
	u32 csize = t->ctx_size ? t->ctx_size : 64;
	u32 zone = csize + 2 * GUARD;
	u8 *init, *mem, *ref_mem;
	u64 ref_r0 = 0, jit_r0 = 0;
	char err[160] = "";
	bool ok = true;
	int i, e, shown;
	volatile int lo = -1, hi = -1;
	volatile int run;	/* live across sigsetjmp */

	if (!want(t->name))
		return true;
	if (counting) {
		nr_tests++;
		return true;
	}
	snprintf(cur_name, sizeof(cur_name), "%s", t->name);
	cur_zext = t->flags & F_ZEXT;
	hp.blind = t->flags & F_BLIND;
	hp.zext = cur_zext;
	for (i = 0; i < t->nr_extra; i++) {
		t->extra[i]->blind = hp.blind;
		t->extra[i]->zext = cur_zext;
	}

	init = malloc(zone);
	mem = malloc(zone);
	ref_mem = malloc(zone);
	for (i = 0; i < (int)zone; i++)
		init[i] = 0xa5 ^ (u8)(i * 7);
	if (t->ctx)
		memcpy(init + GUARD, t->ctx, csize);
	else
		memset(init + GUARD, 0, csize);

	for (i = 0; i < t->nr_extra; i++) {
		e = host_prog_jit(t->extra[i]);
		if (e) {
			printf("# %s: JIT of tail-call target %d failed: %s (%d)\n",
			       t->name, i, err_name(e), e);
			ok = false;
		}
	}
	e = ok ? host_prog_jit(&hp) : 0;
	if (t->flags & F_EXPECT_ERR) {
		if (e == -EOPNOTSUPP ||
		    (e == -EINVAL && !(t->flags & F_DECLINE))) {
			printf("# %s: rejected with %s\n", t->name, err_name(e));
			result(true, t->name, NULL);
		} else {
			printf("# %s: malformed program: expected -EINVAL (or -EOPNOTSUPP), got %s (%d)\n",
			       t->name, e ? err_name(e) : "0 (accepted)", e);
			dump_program(t, -1, -1);
			result(false, t->name, NULL);
		}
		goto out;
	}
	if (e) {
		if (e == -EOPNOTSUPP && (t->flags & F_UNSUPP_OK)) {
			result(true, t->name, "SKIP JIT: -EOPNOTSUPP (expected)");
			goto out;
		}
		printf("# %s: armjit_build failed: %s (%d)\n", t->name,
		       err_name(e), e);
		dump_program(t, -1, -1);
		ok = false;
	}
	if (!ok) {
		result(false, t->name, NULL);
		goto out;
	}

	/* Reference run. */
	memcpy(mem, init, zone);
	if (t->reset)
		t->reset(t);
	if (ref_run(&hp, mem + GUARD, &ref_r0, err, sizeof(err))) {
		printf("# %s: %s\n", t->name, err);
		dump_program(t, -1, -1);
		result(false, t->name, NULL);
		goto out;
	}
	memcpy(ref_mem, mem, zone);
	if (t->orig_insns) {
		/* the rewrite must not change what the program computes */
		struct host_prog oh = hp;
		u64 orig_r0;

		oh.insns = t->orig_insns;
		oh.len = t->orig_len;
		memcpy(mem, init, zone);
		if (t->reset)
			t->reset(t);
		if (ref_run(&oh, mem + GUARD, &orig_r0, err, sizeof(err)) ||
		    orig_r0 != ref_r0 || memcmp(mem, ref_mem, zone)) {
			printf("# %s: TEST BUG: the rewritten program computes something else (%s)\n",
			       t->name, err);
			ok = false;
		}
	}
	if ((t->flags & F_EXPECT_R0) && ref_r0 != t->expect_r0) {
		printf("# %s: TEST BUG: interpreter R0 0x%016llx, table says 0x%016llx\n",
		       t->name, (unsigned long long)ref_r0,
		       (unsigned long long)t->expect_r0);
		ok = false;
	}

	/*
	 * JIT runs, same buffer address. Twice: the kernel runs one image
	 * many times (state such as the tail call count must not leak).
	 */
	for (run = 0; run < 2; run++) {
		memcpy(mem, init, zone);
		if (t->reset)
			t->reset(t);
		crash_sig = 0;
		if (sigsetjmp(crash_jmp, 1) == 0) {
			watchdog(HANG_SECS);
			in_jit = 1;
			jit_r0 = call_jit(hp.image, mem + GUARD);
			in_jit = 0;
			watchdog(0);
		} else {
			watchdog(0);
			void *img = hp.image;
			int fi;

			for (fi = 0; fi < hp.nfuncs; fi++)
				if (crash_pc >= (uintptr_t)hp.funcs[fi].image &&
				    crash_pc < (uintptr_t)hp.funcs[fi].image +
					       hp.funcs[fi].image_size) {
					img = hp.funcs[fi].image;
					printf("# %s: crash in function %d (BPF insns %d..%d)\n",
					       t->name, fi, hp.funcs[fi].start,
					       hp.funcs[fi].start + hp.funcs[fi].len - 1);
				}
			printf("# %s: JIT'ed code %s: signal %d at pc %p (image %p +0x%x, ARM insn %d), addr %p\n",
			       t->name, crash_sig == SIGPROF ? "hung (5 s of CPU)" : "crashed",
			       (int)crash_sig, (void *)crash_pc, img,
			       (unsigned int)(crash_pc - (uintptr_t)img),
			       (int)((crash_pc - (uintptr_t)img) / 4), (void *)crash_addr);
			dump_program(t, -1, -1);
			result(false, t->name, NULL);
			goto out;
		}

		if (ret32 ? (u32)jit_r0 != (u32)ref_r0 : jit_r0 != ref_r0) {
			printf("# %s: R0 expected 0x%016llx got 0x%016llx\n", t->name,
			       (unsigned long long)ref_r0, (unsigned long long)jit_r0);
			ok = false;
		}
		if (!(t->flags & F_NO_MEMCMP) && memcmp(mem, ref_mem, zone)) {
			shown = 0;
			for (i = 0; i < (int)zone; i += 8) {
				u64 want_w, got_w;
				char what[200] = "";
				int off = i - GUARD;

				memcpy(&want_w, ref_mem + i, 8);
				memcpy(&got_w, mem + i, 8);
				if (want_w == got_w)
					continue;
				ok = false;
				if (shown++ >= MAX_DIAG_WORDS)
					continue;
				if (off < 0 || off >= (int)csize)
					snprintf(what, sizeof(what), "OUTSIDE the ctx buffer (guard zone)");
				else if (t->describe) {
					int blo = -1, bhi = -1;

					t->describe(t, off / 8, what, sizeof(what),
						    &blo, &bhi);
					if (lo < 0) {
						lo = blo;
						hi = bhi;
					}
				}
				printf("# %s: mem ctx%+d: expected 0x%016llx got 0x%016llx %s\n",
				       t->name, off, (unsigned long long)want_w,
				       (unsigned long long)got_w, what);
			}
			if (shown > MAX_DIAG_WORDS)
				printf("# %s: ... %d differing words in all\n", t->name, shown);
		}
		if (!ok) {
			if (run)
				printf("# %s: the mismatch above is from the SECOND run of the same image\n",
				       t->name);
			break;
		}
	}
	if (!ok)
		dump_program(t, lo, hi);
	result(ok, t->name, NULL);
out:
	for (i = 0; i < t->nr_extra; i++)
		host_prog_free(t->extra[i]);
	host_prog_free(&hp);
	free(init);
	free(mem);
	free(ref_mem);
	return ok;
}

bool report(const char *name, bool ok)
{
	if (!want(name))
		return true;
	if (counting) {
		nr_tests++;
		return true;
	}
	result(ok, name, NULL);
	return ok;
}

bool run_static(const struct static_case *s)
{
	struct test_case t = {
		.name = s->name,
		.insns = s->insns,
		.len = static_len(s->insns, MAX_STATIC_INSNS),
		.stack_depth = s->stack_depth,
		.ctx = (u8 *)s->data,
		.ctx_size = sizeof(s->data),
		.expect_r0 = s->expect_r0,
		.flags = s->flags,
	};

	return run_test(&t);
}

int host_run_image(void *image, void *ctx, u64 *r0, char *msg, int n)
{
	crash_sig = 0;
	if (sigsetjmp(crash_jmp, 1) == 0) {
		watchdog(HANG_SECS);
		in_jit = 1;
		*r0 = call_jit(image, ctx);
		in_jit = 0;
		watchdog(0);
		return 0;
	}
	watchdog(0);
	snprintf(msg, n, "JIT'ed code %s: signal %d at pc %p (image %p +0x%x), addr %p",
		 crash_sig == SIGPROF ? "hung (5 s of CPU)" : "crashed",
		 (int)crash_sig, (void *)crash_pc, image,
		 (unsigned int)(crash_pc - (uintptr_t)image), (void *)crash_addr);
	return -EFAULT;
}

/* ---- main --------------------------------------------------------------- */

/*
 * Compiles are one recording pass (armjit_passes.c), each checked against
 * one more pass at the image's address (ctx->check_rec): all of them but
 * those that found a routine out of bl reach, or the recording fell back
 * unseen.
 */
static void recorded_check(void)
{
	int all = host_recorded + host_far + host_unrecorded;
	bool ok;

	ok = host_recorded && !host_unrecorded;
	if (!counting)
		printf("# %d of %d compiles recorded, %d with a routine out of bl reach\n",
		       host_recorded, all, host_far);
	report("recording pass: every compile recorded (but a routine out of bl reach), each as a pass at its address writes it",
	       ok);
}

static void run_all(void)
{
	rnd_state = 0x9e3779b97f4a7c15ull;
	cases_alu();
	cases_jmp();
	cases_mem();
	cases_atomic();
	cases_call();
	cases_tailcall();
	cases_subprog();
	cases_misc();
	cases_blind();
	cases_peephole();
	cases_hmeta();
	cases_image_room();	/* shifts no test's number */
	recorded_check();	/* last: counts every compile */
}

int main(int argc, char **argv)
{
	int hwdiv = -1, arch = -1;
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	bool cpu_v6 = plat && !strcmp(plat, "v6l");
	bool cpu_idiv = getauxval(AT_HWCAP) & (1 << 17);	/* HWCAP_IDIVA */
	int i, fuzz_args = 0;

	for (i = 1; i < argc && !fuzz_args; i++) {
		if (!strcmp(argv[i], "fuzz"))
			fuzz_args = i;	/* the rest is the fuzzer's */
		else if (!strncmp(argv[i], "--hwdiv=", 8))
			hwdiv = atoi(argv[i] + 8);
		else if (!strncmp(argv[i], "--arch=", 7))
			arch = atoi(argv[i] + 7);
		else if (!strcmp(argv[i], "-v"))
			verbose = true;
		else if (!strcmp(argv[i], "--no-peephole") ||
			 !strcmp(argv[i], "--opt=0"))
			peephole = liveness = false;
		else if (!strcmp(argv[i], "--opt=1"))
			peephole = liveness = true;
		else if (!strcmp(argv[i], "--far-images"))
			near_calls = false;
		else if (!strcmp(argv[i], "--ret32"))
			ret32 = true;
		else if (!strncmp(argv[i], "--dump-images=", 14))
			image_dump = fopen(argv[i] + 14, "w");
		else
			test_filter = argv[i];
	}
	if (arch < 0)
		arch = cpu_v6 ? ARMJIT_ARCH_V6K : ARMJIT_ARCH_V7;
	if (arch != ARMJIT_ARCH_V6K && arch != ARMJIT_ARCH_V7) {
		fprintf(stderr, "--arch=%d: 6 (ARMv6K) or 7 (ARMv7)\n", arch);
		return 2;
	}
	if (hwdiv < 0)
		hwdiv = cpu_idiv && arch == ARMJIT_ARCH_V7;
	if (hwdiv && arch != ARMJIT_ARCH_V7) {
		fprintf(stderr, "--hwdiv=1: ARMv7 only (--arch=7)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	armjit_rt.call_base = (u32)(uintptr_t)host_call_base;
	armjit_rt.uidivmod = (u32)(uintptr_t)__aeabi_uidivmod;
	armjit_rt.idivmod = (u32)(uintptr_t)__aeabi_idivmod;
	armjit_rt.div64_u64 = (u32)(uintptr_t)div64_u64;
	armjit_rt.div64_u64_rem = (u32)(uintptr_t)div64_u64_rem;
	armjit_rt.div64_s64 = (u32)(uintptr_t)div64_s64;
	armjit_rt.hwdiv = hwdiv;
	armjit_rt.arch = arch;
	armjit_rt.tc_count_empty = true;	/* 6.1's order */
	armjit_rt.map_lookup_elem = (u32)(uintptr_t)host_map_lookup_elem;
	host_inline_init();

	setup_signals();
	if (fuzz_args)
		return fuzz_main(argc - fuzz_args, argv + fuzz_args);

	counting = true;
	run_all();
	counting = false;
	printf("TAP version 13\n1..%d\n", nr_tests);
	printf("# armjit host tests: hwdiv=%d (CPU %s hardware divide), opt=%d\n",
	       hwdiv, cpu_idiv ? "has" : "lacks", peephole && liveness);
	printf("# architecture: %s (CPU %s)\n",
	       arch == ARMJIT_ARCH_V7 ? "ARMv7" : "ARMv6K",
	       plat ? plat : "?");
	if (arch == ARMJIT_ARCH_V7 && cpu_v6)
		printf("# WARNING: ARMv7 code on an ARMv6 CPU\n");
	if (hwdiv && !cpu_idiv)
		printf("# WARNING: hwdiv=1 on a CPU without UDIV/SDIV\n");
	nr_tests = 0;
	run_all();
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
	       nr_pass, nr_fail, nr_skip);
	if (image_dump)
		fclose(image_dump);
	return nr_fail ? 1 : 0;
}
