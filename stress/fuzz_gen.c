// SPDX-License-Identifier: GPL-2.0
/*
 * The differential fuzzers' program generator (fuzz_gen.h), shared by the
 * guest fuzzer (stress/fuzz.c: the kernel's interpreter as the reference)
 * and the host one (tests/host/fuzz.c: tests/host/ref_interp.c). Random,
 * verifier-valid socket-filter programs:
 *
 * R0-R9 hold scalars between "groups"; a group is never entered in the
 * middle. ALU/ALU32 (all ops, edge-case immediates, masked register
 * shifts, byte swaps), forward JMP/JMP32 of every condition (register and
 * immediate), stack LDX/STX/ST of every size, stack and map-value atomics
 * (add/or/and/xor, fetch, xchg, cmpxchg), map lookup/update,
 * skb_load_bytes, ctx (__sk_buff) loads, ktime/prandom (results discarded),
 * smp_processor_id, tail calls into a prog array; in about a third of the
 * programs (instead of tail calls) bpf-to-bpf calls into 1-4 subprograms
 * (5 arguments, nested calls, own stacks); where the environment allows
 * (env->sub_tail: the host fuzzer), a quarter of those tail-call from
 * their subprograms and main instead of nesting calls (a subprogram then
 * gets ctx in R1, spilled below its stack). The epilogue stores R0-R9 into
 * map key 3 and folds the stack data area into R0.
 *
 * Program k of a seed is gen(k): the first k groups and the epilogue, so
 * a prefix of the groups is a smaller program (shrinking).
 */
#include "common.h"
#include "fuzz_gen.h"

#define DATA	FUZZ_DATA
#define DATAW	FUZZ_DATAW
#define SPILL	(-64)	/* R0..R5 spill slots [FP-64, FP-16) */
#define KEY	(-16)
#define CTX	(-8)

static uint64_t rs;

static uint64_t r64(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rn(uint32_t n)
{
	return r64() % n;
}

static int32_t imm32(void)
{
	static const int32_t e[] = { 0, 1, -1, 2, 0x7fffffff, INT32_MIN,
		0xffff, 0x10000, 0x7f, 0x80, 0xff, 31, 32, 63, 64, -2,
		0x12345678, -0x10000 };

	return rn(3) ? e[rn(ARRAY_SIZE(e))] : (int32_t)r64();
}

static uint64_t imm64(void)
{
	static const uint64_t e[] = { 0, ~0ULL, 1ULL << 63, ~0ULL >> 1,
		0xffffffffULL, 0x100000000ULL, 0x80000000ULL,
		0xffffffff80000000ULL, 0x00000000ffff0000ULL };

	return rn(2) ? e[rn(ARRAY_SIZE(e))] : r64();
}

static const struct fuzz_env *env;
static struct bpf_insn *prog;
static int n;
static int gstart[FUZZ_MAXI];	/* group starts */
static int ngroups;
static struct { int at, group; } jumps[FUZZ_MAXI];
static int njumps;

static void e(struct bpf_insn i)
{
	if (n < FUZZ_MAXI)
		prog[n++] = i;
}

static void e_ld64(int d, uint64_t v)
{
	struct bpf_insn l[] = { LD_IMM64(d, v) };

	e(l[0]);
	e(l[1]);
}

/* ld_imm64 of the environment's map (FUZZ_MAP_ARRAY, FUZZ_MAP_PROGS) */
static void e_map(int d, int which)
{
	struct bpf_insn l[] = { LD_IMM64_RAW(d, env->map_src, env->map[which]) };

	e(l[0]);
	e(l[1]);
}

/* a call of helper @func (BPF_FUNC_*), as the environment makes it */
static void e_call_helper(int func)
{
	e(env->call(func));
}

static int reg(void)
{
	return rn(10);
}

static void spill(void)
{
	int i;

	for (i = 0; i <= 5; i++)
		e(STX_MEM(BPF_DW, 10, i, SPILL + 8 * i));
}

static void restore(void)
{
	int i;

	for (i = 0; i <= 5; i++)
		e(LDX_MEM(BPF_DW, i, 10, SPILL + 8 * i));
}

static const int sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
static const int sbytes[] = { 1, 2, 4, 8 };

/* A random offset of a size-z access, aligned, in [base, base + width). */
static int slot(int z, int base, int width)
{
	return base + sbytes[z] * rn(width / sbytes[z]);
}

static void g_alu(void)
{
	static const int ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR,
		BPF_AND, BPF_LSH, BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV,
		BPF_ARSH, BPF_END };
	int op = ops[rn(ARRAY_SIZE(ops))], is64 = rn(2), d = reg(), s = reg();
	int cls = is64 ? BPF_ALU64 : BPF_ALU, bits = is64 ? 64 : 32;

	if (op == BPF_END) {
		static const int w[] = { 16, 32, 64 };

		e(INSN(BPF_ALU | BPF_END | (rn(2) ? BPF_TO_BE : BPF_TO_LE), d,
		       0, 0, w[rn(3)]));
		return;
	}
	if (op == BPF_NEG) {
		e(INSN(cls | BPF_NEG, d, 0, 0, 0));
		return;
	}
	if (rn(2)) {	/* immediate */
		int32_t k = imm32();

		if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
			k = rn(bits);
		if ((op == BPF_DIV || op == BPF_MOD) && !k)
			k = 7;
		e(INSN(cls | op | BPF_K, d, 0, 0, k));
		return;
	}
	if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) {
		int t = reg();

		e(MOV64_REG(t, s));
		e(ALU64_IMM(BPF_AND, t, bits - 1));
		s = t;
	}
	e(INSN(cls | op | BPF_X, d, s, 0, 0));
}

static void g_jmp(void)
{
	static const int ops[] = { BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JGE,
		BPF_JLT, BPF_JLE, BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE,
		BPF_JSET, BPF_JA };
	int op = ops[rn(ARRAY_SIZE(ops))], cls = rn(2) ? BPF_JMP : BPF_JMP32;

	if (op == BPF_JA)	/* keep what it skips reachable: if (c) skip */
		e(INSN(cls | BPF_JSET | BPF_K, reg(), 0, 1, imm32()));
	jumps[njumps].at = n;
	jumps[njumps++].group = ngroups + 1 + rn(6);
	if (op == BPF_JA)
		e(JA(0));
	else if (rn(2))
		e(INSN(cls | op | BPF_K, reg(), 0, 0, imm32()));
	else
		e(INSN(cls | op | BPF_X, reg(), reg(), 0, 0));
}

#ifndef BPF_LOAD_ACQ
#define BPF_LOAD_ACQ	0x100
#define BPF_STORE_REL	0x110
#endif

static void g_stack(void)
{
	int z = rn(4), off = slot(z, DATA, DATAW);

	if (env->acq_rel && !rn(6)) {
		z = rn(3);	/* B, H, W: no 64-bit ones on 32-bit */
		off = slot(z, DATA, DATAW);
		if (rn(2))
			e(ATOMIC_OP(sizes[z], BPF_LOAD_ACQ, reg(), 10, off));
		else
			e(ATOMIC_OP(sizes[z], BPF_STORE_REL, 10, reg(), off));
		return;
	}

	switch (rn(3)) {
	case 0:
		e(LDX_MEM(sizes[z], reg(), 10, off));
		break;
	case 1:
		e(STX_MEM(sizes[z], 10, reg(), off));
		break;
	default:
		e(ST_MEM(sizes[z], 10, off, imm32()));
	}
}

static int atomic_op(void)
{
	static const int ops[] = { BPF_ADD, BPF_OR, BPF_AND, BPF_XOR,
		BPF_ADD | BPF_FETCH, BPF_OR | BPF_FETCH, BPF_AND | BPF_FETCH,
		BPF_XOR | BPF_FETCH, BPF_XCHG, BPF_CMPXCHG };

	return ops[rn(ARRAY_SIZE(ops))];
}

static void g_stack_atomic(void)
{
	int dw = rn(2), off = DATA + (dw ? 8 * rn(DATAW / 8) : 4 * rn(DATAW / 4));

	e(ATOMIC_OP(dw ? BPF_DW : BPF_W, atomic_op(), 10, reg(), off));
}

static void g_map(void)
{
	int i, k = rn(8) ? rn(3) : 9, at;

	spill();
	e(ST_MEM(BPF_W, 10, KEY, k));
	e_map(1, FUZZ_MAP_ARRAY);
	e(MOV64_REG(2, 10));
	e(ALU64_IMM(BPF_ADD, 2, KEY));
	e_call_helper(BPF_FUNC_map_lookup_elem);
	at = n;
	e(JMP_IMM(BPF_JEQ, 0, 0, 0));
	e(MOV64_REG(1, 0));
	e(LDX_MEM(BPF_DW, 0, 10, SPILL));
	for (i = 1 + rn(4); i > 0; i--) {
		int z = rn(4), s = 6 + rn(4);
		int off = slot(z, 0, 64);

		switch (rn(4)) {
		case 0:
			e(LDX_MEM(sizes[z], s, 1, off));
			break;
		case 1:
			e(STX_MEM(sizes[z], 1, s, off));
			break;
		case 2:
			e(ST_MEM(sizes[z], 1, off, imm32()));
			break;
		default:
			z = 2 + rn(2);
			off = slot(z, 0, 64);
			e(ATOMIC_OP(sizes[z], atomic_op(), 1, s, off));
		}
	}
	prog[at].off = n - at - 1;
	restore();
}

static void g_helper(void)
{
	int len, off;

	spill();
	switch (rn(5)) {
	case 0:
		e_call_helper(BPF_FUNC_ktime_get_ns);
		break;
	case 1:
		e_call_helper(BPF_FUNC_get_prandom_u32);
		break;
	case 2:
		e_call_helper(BPF_FUNC_get_smp_processor_id);
		e(ALU64_REG(BPF_ADD, 6 + rn(4), 0));
		break;
	case 3:	/* skb_load_bytes(ctx, off, stack, len) */
		len = 1 + rn(16);
		off = rn(64 - len + 8);	/* may run past the packet: -EFAULT */
		e(LDX_MEM(BPF_DW, 1, 10, CTX));
		e(MOV64_IMM(2, off));
		e(MOV64_REG(3, 10));
		e(ALU64_IMM(BPF_ADD, 3, DATA + 8 * rn(DATAW / 8 - 2)));
		e(MOV64_IMM(4, len));
		e_call_helper(BPF_FUNC_skb_load_bytes);
		e(ALU64_REG(BPF_XOR, 6 + rn(4), 0));
		break;
	default:	/* map_update_elem(map, key, stack data, BPF_ANY) */
		e(ST_MEM(BPF_W, 10, KEY, rn(8) ? rn(3) : 9));
		e_map(1, FUZZ_MAP_ARRAY);
		e(MOV64_REG(2, 10));
		e(ALU64_IMM(BPF_ADD, 2, KEY));
		e(MOV64_REG(3, 10));
		e(ALU64_IMM(BPF_ADD, 3, DATA));
		e(MOV64_IMM(4, 0));
		e_call_helper(BPF_FUNC_map_update_elem);
		e(ALU64_REG(BPF_ADD, 6 + rn(4), 0));
	}
	restore();
}

static void g_ctx(void)
{
	static const int offs[] = { 0, 8, 16, 32, 48, 52, 56, 60, 64 };
	int t = reg(), d = (t + 1 + rn(9)) % 10;

	e(STX_MEM(BPF_DW, 10, t, SPILL));
	e(LDX_MEM(BPF_DW, t, 10, CTX));
	e(LDX_MEM(BPF_W, d, t, offs[rn(ARRAY_SIZE(offs))]));
	e(LDX_MEM(BPF_DW, t, 10, SPILL));
	/* SPILL slot 0 is R0's: put R0 back if t was R0's slot user */
	if (t == 0)
		return;
}

static void g_tail(void)
{
	spill();
	e(LDX_MEM(BPF_DW, 1, 10, CTX));
	e_map(2, FUZZ_MAP_PROGS);
	e(MOV64_IMM(3, rn(8)));
	e_call_helper(BPF_FUNC_tail_call);
	restore();
}

/*
 * bpf-to-bpf calls (in programs without tail calls: the kernel refuses the
 * mix unless a JIT declares it, sub_tail).
 * Subprograms come after main's exit; each gets R1-R5 (scalars), copies
 * them into R0, R6-R9, runs ALU ops, conditional skips and its own stack
 * (atomics too), may call a later subprogram, returns R0. The caller
 * folds R0 into one of R6-R9 (which the call must preserve) and reloads
 * R0-R5.
 */
#define MAXSUB	FUZZ_MAXSUB
#define SUBSTK	FUZZ_SUBSTK
#define SUBCTX	(-SUBSTK - 8)	/* sub_tail: a subprogram's ctx */
static int use_calls, nsub, sub_tail;
static struct { int at, fn; } calls[FUZZ_MAXI];
static int ncalls;

static void e_call(int fn)
{
	calls[ncalls].at = n;
	calls[ncalls++].fn = fn;
	e(CALL_PSEUDO(0));
}

static int called[MAXSUB];	/* from main */

static void g_call_fn(int fn)
{
	spill();
	called[fn] = 1;
	if (sub_tail)
		e(LDX_MEM(BPF_DW, 1, 10, CTX));
	e_call(fn);
	e(ALU64_REG(rn(2) ? BPF_ADD : BPF_XOR, 6 + rn(4), 0));
	restore();
}

static void g_call(void)
{
	g_call_fn(rn(nsub));
}

static void gen_subprog(int fn, int *start)
{
	int i, k;

	start[fn] = n;
	if (sub_tail) {
		/* ctx kept for tail calls; R1 a scalar again */
		e(STX_MEM(BPF_DW, 10, 1, SUBCTX));
		e(MOV64_REG(1, 2));
	}
	e(MOV64_REG(0, 1));
	for (i = 6; i <= 9; i++)
		e(MOV64_REG(i, i - 4));
	for (i = 1; i <= SUBSTK / 8; i++)
		e(ST_MEM(BPF_DW, 10, -8 * i, imm32()));
	for (k = 4 + rn(16); k > 0; k--) {
		int z = rn(4), off = slot(z, -SUBSTK, SUBSTK);

		switch (rn(8)) {
		case 0:
			e(LDX_MEM(sizes[z], reg(), 10, off));
			break;
		case 1:
			e(STX_MEM(sizes[z], 10, reg(), off));
			break;
		case 2:
			z = 2 + rn(2);
			off = slot(z, -SUBSTK, SUBSTK);
			e(ATOMIC_OP(sizes[z], atomic_op(), 10, reg(), off));
			break;
		case 3:	/* if (cond) skip one op */
			e(INSN((rn(2) ? BPF_JMP : BPF_JMP32) | BPF_JGT | BPF_K,
			       reg(), 0, 1, imm32()));
			g_alu();
			break;
		case 4:
			/*
			 * A tail call: its target returns to our caller.
			 * No nested calls then (the verifier allows a tail
			 * call only under 256 bytes of callers' stack).
			 */
			if (sub_tail) {
				e(LDX_MEM(BPF_DW, 1, 10, SUBCTX));
				e_map(2, FUZZ_MAP_PROGS);
				e(MOV64_IMM(3, rn(8)));
				e_call_helper(BPF_FUNC_tail_call);
				/* R0-R5 are gone: from R6-R9 */
				for (i = 0; i <= 5; i++)
					e(MOV64_REG(i, 6 + (i + fn) % 4));
				break;
			}
			if (fn + 1 < nsub) {
				e_call(fn + 1 + rn(nsub - fn - 1));
				/* R1-R5 are gone: new arguments from R6-R9, R0 */
				for (i = 1; i <= 5; i++)
					e(MOV64_REG(i, i == 5 ? 0 : 5 + i));
				break;
			}
			/* fall through */
		default:
			g_alu();
		}
	}
	e(EXIT());
}

static void gen(int groups)
{
	int g, i, at, start[MAXSUB];

	n = ngroups = njumps = ncalls = 0;
	memset(called, 0, sizeof(called));
	if (use_calls)
		nsub = 1 + rn(MAXSUB);
	/* prologue */
	e(STX_MEM(BPF_DW, 10, 1, CTX));
	for (i = 0; i < DATAW / 8; i++)
		e(ST_MEM(BPF_DW, 10, DATA + 8 * i, imm32()));
	for (i = 0; i < 10; i++) {
		if (rn(2))
			e_ld64(i, imm64());
		else
			e(INSN((rn(2) ? BPF_ALU64 : BPF_ALU) | BPF_MOV | BPF_K,
			       i, 0, 0, imm32()));
	}
	for (g = 0; g < groups; g++) {
		uint32_t w = rn(100);

		gstart[ngroups++] = n;
		if (w < 40)
			g_alu();
		else if (w < 55)
			g_jmp();
		else if (w < 67)
			g_stack();
		else if (w < 75)
			g_stack_atomic();
		else if (w < 85)
			g_map();
		else if (w < 93)
			g_helper();
		else if (w < 98)
			g_ctx();
		else if (use_calls && !(sub_tail && rn(2)))
			g_call();
		else
			g_tail();
		if (use_calls && rn(8) == 0)
			g_call();
	}
	/* every subprogram is called (the verifier rejects dead code) */
	for (i = 0; use_calls && i < nsub; i++) {
		if (called[i])
			continue;
		gstart[ngroups++] = n;
		g_call_fn(i);
	}
	/* epilogue: dump R0-R9 and the stack area into key 3, fold into R0 */
	gstart[ngroups++] = n;
	spill();
	e(ST_MEM(BPF_W, 10, KEY, 3));
	e_map(1, FUZZ_MAP_ARRAY);
	e(MOV64_REG(2, 10));
	e(ALU64_IMM(BPF_ADD, 2, KEY));
	e_call_helper(BPF_FUNC_map_lookup_elem);
	at = n;
	e(JMP_IMM(BPF_JEQ, 0, 0, 0));
	for (i = 0; i <= 5; i++) {
		e(LDX_MEM(BPF_DW, 1, 10, SPILL + 8 * i));
		e(STX_MEM(BPF_DW, 0, 1, 64 + 8 * i));
	}
	for (i = 6; i <= 9; i++)
		e(STX_MEM(BPF_DW, 0, i, 64 + 8 * i - 48));
	/* 64 + 80 = 144: the stack area goes over the random-op bytes? no:
	 * 10 registers fill [64, 144); the stack area is folded instead */
	e(LDX_MEM(BPF_DW, 1, 10, SPILL));
	for (i = 0; i < DATAW / 8; i++) {
		e(LDX_MEM(BPF_DW, 2, 10, DATA + 8 * i));
		e(ALU64_IMM(BPF_MUL, 1, 31));
		e(ALU64_REG(BPF_XOR, 1, 2));
	}
	for (i = 6; i <= 9; i++)
		e(ALU64_REG(BPF_ADD, 1, i));
	e(MOV64_REG(0, 1));
	e(MOV64_REG(2, 1));
	e(ALU64_IMM(BPF_RSH, 2, 32));
	e(ALU64_REG(BPF_XOR, 0, 2));
	e(EXIT());
	prog[at].off = n - at - 1;
	e(MOV64_IMM(0, 0));
	e(EXIT());
	for (i = 0; i < njumps; i++) {
		int gt = jumps[i].group;

		if (gt >= ngroups)
			gt = ngroups - 1;
		prog[jumps[i].at].off = gstart[gt] - jumps[i].at - 1;
	}
	if (!use_calls)
		return;
	for (i = 0; i < nsub; i++)
		gen_subprog(i, start);
	for (i = 0; i < ncalls; i++)
		prog[calls[i].at].imm = start[calls[i].fn] - calls[i].at - 1;
}

/*
 * Program @seed: its group count from the seed, then gen() of @groups of
 * them (-1: all). The same seed makes the same program in every
 * environment, but for the map addresses and call immediates.
 */
int fuzz_gen(const struct fuzz_env *e_, uint64_t seed, int groups,
	     struct fuzz_prog *out)
{
	int k;

	env = e_;
	prog = out->insns;
	rs = seed;
	/* from the seed, not from rs: seeds without calls stay as before */
	use_calls = ((seed * 0x9e3779b97f4a7c15ULL) >> 60) < 5;
	/* the same: programs of the other seeds stay as they were */
	sub_tail = use_calls && env->sub_tail &&
		   ((seed * 0xc2b2ae3d27d4eb4fULL) >> 62) == 0;
	k = 10 + rn(50);
	gen(groups < 0 ? k : groups);
	out->len = n;
	out->use_calls = use_calls;
	out->nsub = use_calls ? nsub : 0;
	out->sub_tail = sub_tail;
	out->groups = k;
	return k;
}

/* Random bytes of the seed (initial map values and the like). */
void fuzz_bytes(uint64_t seed, unsigned char *buf, int len)
{
	int i;

	rs = seed;
	for (i = 0; i < len; i++)
		buf[i] = r64();
}
