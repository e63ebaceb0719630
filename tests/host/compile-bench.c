// SPDX-License-Identifier: GPL-2.0
/*
 * Compile cost of armjit's translation, on the build machine: the JIT's
 * pure sources built natively (x86_64 or whatever cc makes), fed
 * generated programs of a given length and compiled as the kernel module
 * does it (armjit_core.c: map sites, armjit_passes(): one recording pass,
 * the image patched at its address), without running the code. Prints
 * the time per compile and per BPF insn for each length, so growth in
 * program length shows; --profile LEN only compiles, for perf.
 *
 *   compile-bench [--shape mix|alu|jumps|loops] [--min-time SEC]
 *                 [LEN...]
 *   compile-bench --profile LEN --reps N [--shape ...]
 *
 * Shapes: mix (ALU, loads and stores through ctx and the stack, forward
 * conditional jumps, helper calls, map lookups, ld_imm64, divides: what
 * clang makes of packet code), alu (straight line ALU and ld_imm64),
 * jumps (every other insn a conditional jump forward), loops (mix with a
 * back edge every ~64 insns, bounded loops as verifier-approved programs
 * have them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "armjit_jit.h"

struct armjit_rt armjit_rt;

#define CALL_BASE	0xc0100000U
#define IMAGE_ADDR	0xbf000000U
/*
 * Helper calls: imm is the helper's offset from __bpf_call_base, as the
 * verifier leaves it; word-aligned, as kernel functions are (else no bl)
 */
#define MAP_LOOKUP	4	/* bpf_map_lookup_elem's */

static u64 seed;

static u32 rnd(u32 n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return n ? (u32)(seed >> 32) % n : 0;
}

static struct bpf_insn mk(u8 code, u8 dst, u8 src, s16 off, s32 imm)
{
	struct bpf_insn insn = {
		.code = code, .dst_reg = dst, .src_reg = src,
		.off = off, .imm = imm,
	};

	return insn;
}

/* R0, R2-R9 (R1 stays ctx, as in most programs) */
static u8 rreg(void)
{
	static const u8 regs[] = { 0, 2, 3, 4, 5, 6, 7, 8, 9 };

	return regs[rnd(sizeof(regs))];
}

static s32 rimm(void)
{
	switch (rnd(4)) {
	case 0:
		return rnd(16);
	case 1:
		return (s32)rnd(0x10000) - 0x8000;
	case 2:
		return -1;
	default:
		return (s32)rnd(0xffffffffU);
	}
}

static const u8 alu_ops[] = {
	BPF_ADD, BPF_SUB, BPF_OR, BPF_AND, BPF_XOR, BPF_MOV, BPF_MOV,
	BPF_MOV, BPF_LSH, BPF_RSH, BPF_ARSH, BPF_MUL, BPF_ADD, BPF_AND,
};

static const u8 jmp_ops[] = {
	BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE, BPF_JSGT,
	BPF_JSLT, BPF_JSET, BPF_JEQ, BPF_JNE,
};

static const u8 sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };

static int gen_alu(struct bpf_insn *p)
{
	u8 cls = rnd(3) ? BPF_ALU64 : BPF_ALU, op = alu_ops[rnd(sizeof(alu_ops))];
	s32 imm = rimm();

	if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
		imm = rnd(cls == BPF_ALU64 ? 64 : 32);
	if (rnd(2))
		*p = mk(cls | op | BPF_X, rreg(), rreg(), 0, 0);
	else
		*p = mk(cls | op | BPF_K, rreg(), 0, 0, imm);
	return 1;
}

static int gen_mem(struct bpf_insn *p)
{
	u8 sz = sizes[rnd(4)];
	int k = rnd(4);

	/* ctx: positive offsets; the stack: 8-byte slots below FP */
	s16 coff = rnd(64) * 8, soff = -8 * (1 + rnd(32));

	if (k == 0)
		*p = mk(BPF_LDX | BPF_MEM | sz, rreg(), BPF_REG_1, coff, 0);
	else if (k == 1)
		*p = mk(BPF_LDX | BPF_MEM | BPF_DW, rreg(), BPF_REG_10, soff, 0);
	else if (k == 2)
		*p = mk(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, rreg(), soff, 0);
	else
		*p = mk(BPF_ST | BPF_MEM | sz, BPF_REG_10, 0, soff, rimm());
	return 1;
}

static int gen_ld64(struct bpf_insn *p)
{
	p[0] = mk(BPF_LD | BPF_IMM | BPF_DW, rreg(), 0, 0, rimm());
	p[1] = mk(0, 0, 0, 0, rimm());
	return 2;
}

/* a map lookup: key on the stack, map in R1, the call, a NULL check */
static int gen_lookup(struct bpf_insn *p, int left)
{
	if (left < 6)
		return gen_alu(p);
	p[0] = mk(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	p[1] = mk(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -8);
	p[2] = mk(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, 0, 0,
		  0x40000 + 0x100 * rnd(8));
	p[3] = mk(0, 0, 0, 0, 0);
	p[4] = mk(BPF_JMP | BPF_CALL, 0, 0, 0, MAP_LOOKUP);
	p[5] = mk(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0,
		  rnd(left - 6 < 0x7fff ? left - 6 : 0x7fff), 0);
	return 6;
}

static int gen_jmp(struct bpf_insn *p, int left)
{
	u8 cls = rnd(4) ? BPF_JMP : BPF_JMP32, op = jmp_ops[rnd(sizeof(jmp_ops))];
	/* mostly short hops, some far ones */
	int off = rnd(8) ? rnd(16) : rnd(left);

	if (off >= left)	/* to the final r0 = 0 at most */
		off = left - 1;
	if (off > 0x7fff)
		off = 0x7fff;
	if (rnd(2))
		*p = mk(cls | op | BPF_X, rreg(), rreg(), off, 0);
	else
		*p = mk(cls | op | BPF_K, rreg(), 0, off, rimm());
	return 1;
}

/* Is p[i] the second half of an ld_imm64? */
static bool second_half(const struct bpf_insn *p, int i)
{
	int k = 0;

	/* count the ld_imm64 halves before it, back to a plain insn */
	while (i - k - 1 >= 0 &&
	       p[i - k - 1].code == (BPF_LD | BPF_IMM | BPF_DW))
		k++;
	return k & 1;
}

/*
 * A program of @len insns (@shape); R1 (ctx) is saved to R6 first, the
 * last two are r0 = 0; exit. Jumps land inside the program, never on an
 * ld_imm64's second half.
 */
static struct bpf_insn *gen_prog(const char *shape, int len, int *lenp)
{
	struct bpf_insn *p = calloc(len + 8, sizeof(*p));
	bool loops = !strcmp(shape, "loops");
	int n = 0, last_head = 1, end = len - 2, i;

	seed = 88172645463325252ULL + len;	/* the same program each run */
	p[n++] = mk(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0);
	while (n < end) {
		int left = end - n, k = rnd(100);

		if (left < 6 || !strcmp(shape, "alu")) {
			n += k < 90 || left < 2 ? gen_alu(p + n) :
			     gen_ld64(p + n);
			continue;
		}
		if (!strcmp(shape, "jumps")) {
			n += n & 1 ? gen_jmp(p + n, left) : gen_alu(p + n);
			continue;
		}
		if (loops && n - last_head > 64 && k < 2) {
			/* a bounded loop's back edge to the last head */
			p[n] = mk(BPF_JMP | BPF_JLT | BPF_K, rreg(), 0,
				  last_head - n - 1, 16);
			n++;
			last_head = n;
			continue;
		}
		if (k < 40)
			n += gen_alu(p + n);
		else if (k < 65)
			n += gen_mem(p + n);
		else if (k < 82)
			n += gen_jmp(p + n, left);
		else if (k < 86)
			n += gen_ld64(p + n);
		else if (k < 90)
			n += gen_lookup(p + n, left);
		else if (k < 94)
			/* another helper, R1-R5 as arguments */
			p[n++] = mk(BPF_JMP | BPF_CALL, 0, 0, 0,
				    4 * (2 + rnd(30)));
		else if (k < 96)
			p[n++] = mk(BPF_ALU64 | (rnd(2) ? BPF_DIV : BPF_MOD) |
				    BPF_K, rreg(), 0, 0, 3 + rnd(1000));
		else
			n += gen_alu(p + n);
	}
	p[n++] = mk(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	p[n++] = mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (i = 0; i < n; i++) {
		u8 cls = BPF_CLASS(p[i].code), op = BPF_OP(p[i].code);

		if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL &&
		    op != BPF_EXIT && second_half(p, i + 1 + p[i].off))
			p[i].off--;
	}
	*lenp = n;
	return p;
}

static u32 lookup_of(u32 map)
{
	return 0xc0200000U + (map & 0xff00);
}

struct buffers {
	int *offsets;
	u8 *is_target;
	u32 *live;
	u16 *hi0;
	u32 *image;
	int image_words;
	struct armjit_site *sites;
};

/* FNV-1a of the image: the same programs must give the same images */
static u32 image_hash(const u32 *image, int words)
{
	u32 h = 2166136261U;
	int i, k;

	for (i = 0; i < words; i++)
		for (k = 0; k < 32; k += 8)
			h = (h ^ ((image[i] >> k) & 0xff)) * 16777619U;
	return h;
}

static double now(void)
{
	struct timespec ts;

	/* CPU time: the build machine is shared, wall time isn't ours */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/*
 * The images (struct armjit_image_ops): one buffer, grown as needed, at
 * IMAGE_ADDR when the host lets us map there (kernel routines then in
 * bl reach, as in the module area), else anywhere (calls through ip).
 */
static u32 *bench_alloc(void *priv, int words, int *room)
{
	struct buffers *b = priv;

	if (words > b->image_words) {
		size_t size = ((size_t)words * 4 + 0xfffff) & ~0xfffffUL;
		void *p = MAP_FAILED;

		if (b->image)
			munmap(b->image, (size_t)b->image_words * 4);
		p = mmap((void *)(uintptr_t)IMAGE_ADDR, size,
			 PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0);
		if (p == MAP_FAILED)
			p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			b->image = NULL;
			b->image_words = 0;
			return NULL;
		}
		b->image = p;
		b->image_words = size / 4;
	}
	*room = words;
	return b->image;
}

static void bench_free(void *priv, u32 *image)
{
}

/* the recording pass's scratch memory (the kernel's kvmalloc()) */
static void *bench_scratch(void *priv, size_t bytes)
{
	return malloc(bytes);
}

static void bench_unscratch(void *priv, void *p)
{
	free(p);
}

/*
 * One compile, as armjit_jit_compile() makes it (allocation of the
 * per-program arrays included: the kernel's kvcalloc()s; armjit_passes():
 * one recording pass, the image patched); the image's words, or a
 * negative error.
 */
static int compile(const struct bpf_insn *insns, int len, struct buffers *b)
{
	const struct armjit_image_ops ops = {
		.alloc = bench_alloc,
		.free = bench_free,
		.scratch = bench_scratch,
		.unscratch = bench_unscratch,
		.priv = b,
	};
	struct armjit_ctx ctx = { 0 };
	int i, max = 0, err;

	ctx.insns = insns;
	ctx.len = len;
	ctx.stack_depth = 256;
	ctx.ret32 = true;
	ctx.opt = armjit_opt_flags(1);	/* the default level */
	ctx.offsets = calloc(len + 1, sizeof(*ctx.offsets));
	ctx.is_target = malloc(len + 1);
	ctx.live = malloc((len + 1) * sizeof(*ctx.live));
	ctx.hi0 = malloc((len + 1) * sizeof(*ctx.hi0));
	ctx.use_def = malloc((len + 1) * sizeof(*ctx.use_def));
	armjit_analyse(&ctx);	/* as armjit_core.c: the targets too */
	for (i = 0; i < len; i++)
		max += insns[i].code == (BPF_JMP | BPF_CALL);
	b->sites = max ? calloc(max, sizeof(*b->sites)) : NULL;
	ctx.nsites = max ? armjit_find_map_calls(&ctx, b->sites, max,
						 lookup_of) : 0;
	ctx.sites = b->sites;
	err = armjit_passes(&ctx, &ops);
	free(ctx.offsets);
	free(ctx.is_target);
	free(ctx.live);
	free(ctx.hi0);
	free(ctx.use_def);
	free(b->sites);
	return err ? err : ctx.idx;
}

static int usage(void)
{
	fprintf(stderr, "usage: compile-bench [--shape mix|alu|jumps|loops] [--min-time SEC] [--profile LEN --reps N] [LEN...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const int def_lens[] = { 256, 1024, 4096, 16384, 65536, 131072 };
	const char *shape = "mix";
	double min_time = 0.5;
	int lens[32], nlens = 0, profile = 0, reps = 100, i;
	struct buffers b = { 0 };

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--shape") && i + 1 < argc)
			shape = argv[++i];
		else if (!strcmp(argv[i], "--min-time") && i + 1 < argc)
			min_time = atof(argv[++i]);
		else if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			profile = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (argv[i][0] != '-' && nlens < 32)
			lens[nlens++] = atoi(argv[i]);
		else
			return usage();
	}
	armjit_rt.call_base = CALL_BASE;
	armjit_rt.uidivmod = CALL_BASE + 0x1000;
	armjit_rt.idivmod = CALL_BASE + 0x2000;
	armjit_rt.div64_u64 = CALL_BASE + 0x3000;
	armjit_rt.div64_u64_rem = CALL_BASE + 0x4000;
	armjit_rt.div64_s64 = CALL_BASE + 0x5000;
	armjit_rt.hwdiv = true;
	armjit_rt.arch = getenv("CB_V6") ? ARMJIT_ARCH_V6K : ARMJIT_ARCH_V7;
	armjit_rt.tc_count_empty = true;
	armjit_rt.map_lookup_elem = CALL_BASE + MAP_LOOKUP;

	if (profile) {
		struct bpf_insn *p;
		int len, words = 0;

		p = gen_prog(shape, profile, &len);
		for (i = 0; i < reps; i++)
			words = compile(p, len, &b);
		printf("%s %d insns: %d words, %d compiles\n", shape, len,
		       words, reps);
		free(p);
		return words < 0;
	}
	if (!nlens) {
		memcpy(lens, def_lens, sizeof(def_lens));
		nlens = sizeof(def_lens) / sizeof(def_lens[0]);
	}
	printf("# shape %s: compile = find_map_calls + armjit_passes (as armjit_core.c)\n",
	       shape);
	printf("# %8s %8s %8s %12s %12s %10s %10s\n", "insns", "words",
	       "compiles", "us/compile", "us (mean)", "ns/insn", "image");
	for (i = 0; i < nlens; i++) {
		struct bpf_insn *p;
		int len, words = 0, n = 0;
		double t0, t, sum = 0, best = 1e9;

		p = gen_prog(shape, lens[i], &len);
		/* the fastest compile: least disturbed by the other jobs */
		do {
			t0 = now();
			words = compile(p, len, &b);
			t = now() - t0;
			sum += t;
			if (t < best)
				best = t;
			n++;
		} while ((sum < min_time || n < 3) && words >= 0);
		if (words < 0) {
			printf("%s %d: error %d\n", shape, len, words);
			return 1;
		}
		printf("  %8d %8d %8d %12.1f %12.1f %10.1f   %08x\n", len, words,
		       n, best * 1e6, sum / n * 1e6, best / len * 1e9,
		       image_hash(b.image, words));
		free(p);
	}
	if (b.image)
		munmap(b.image, (size_t)b.image_words * 4);
	return 0;
}
