// SPDX-License-Identifier: GPL-2.0
/*
 * bpf-to-bpf calls (BPF_PSEUDO_CALL) and subprogram addresses
 * (BPF_PSEUDO_FUNC), JIT'ed the way the verifier's jit_subprogs() does
 * (runner.c host_prog_jit_funcs()): nested calls up to MAX_CALL_FRAMES,
 * five full 64-bit arguments, 64-bit R0, R6-R9 across calls, deep and
 * isolated stacks, a 30-function call DAG, calls in loops, helpers and
 * divides inside callees, memory and atomics through pointers to the
 * caller's stack, and callbacks a helper calls through a u64 x 5 pointer.
 *
 * Rules the verifier enforces and these programs follow: a callee never
 * reads R0 or R6-R9 before writing them, a caller never reads R1-R5 after
 * a call (the interpreter poisons them).
 *
 * Tail calls from subprograms (sp_tailcalls()): the target replaces the
 * subprogram's frame and returns to its caller, the count is one for the
 * whole call tree (6.12's tailcall_bpf2bpf_hierarchy selftests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"

#define MAXF		40
#define MAX_FRAMES	8	/* MAX_CALL_FRAMES, main included */

/* ---- multi-function program builder ---- */

struct mprog {
	struct prog_buf fn[MAXF];
	u32 stack[MAXF];
	int nf;
	struct prog_buf out;
};

static void mp_init(struct mprog *m)
{
	memset(m, 0, sizeof(*m));
}

/* A new function (0 = main) with its stack depth; returns its index. */
static int mp_func(struct mprog *m, u32 stack)
{
	pb_init(&m->fn[m->nf]);
	m->stack[m->nf] = stack;
	return m->nf++;
}

/* Call function @callee (resolved by mp_link). */
static void mp_call(struct mprog *m, int f, int callee)
{
	PB(&m->fn[f], INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, callee));
}

/* reg = address of function @callee (ld_imm64 BPF_PSEUDO_FUNC) */
static void mp_ldfunc(struct mprog *m, int f, int reg, int callee)
{
	PB(&m->fn[f], LD_IMM64_RAW(reg, BPF_PSEUDO_FUNC, callee));
}

/* Functions in index order; pseudo imm: function index -> relative. */
static void mp_link(struct mprog *m)
{
	int start[MAXF], f, i;

	pb_init(&m->out);
	for (f = 0; f < m->nf; f++) {
		start[f] = m->out.len;
		for (i = 0; i < m->fn[f].len; i++)
			pb_emit(&m->out, m->fn[f].insns[i]);
	}
	for (i = 0; i < m->out.len; i++) {
		struct bpf_insn *in = &m->out.insns[i];

		if (is_pseudo_call(in) || is_pseudo_func(in))
			in->imm = start[in->imm] - (i + 1);
		if (is_pseudo_func(in))
			i++;
	}
}

static void mp_free(struct mprog *m)
{
	int f;

	for (f = 0; f < m->nf; f++)
		pb_free(&m->fn[f]);
	pb_free(&m->out);
}

static const char *const variant_name[] = {
	"", " [blinded]", " [zext]", " [blinded, zext]"
};
static const u32 variant_flags[] = {
	0, F_BLIND, F_ZEXT | F_ZEXT_INSERT, F_BLIND | F_ZEXT | F_ZEXT_INSERT
};

/* Run the linked program; nvar: plain, + blinded, + verifier zext, + both. */
static void mp_run(struct mprog *m, const char *name, u32 ctx_size,
		   u8 *ctx, u32 flags, u64 expect_r0,
		   void (*reset)(const struct test_case *), int nvar)
{
	struct test_case t;
	char buf[200];
	int v;

	mp_link(m);
	for (v = 0; v < nvar; v++) {
		memset(&t, 0, sizeof(t));
		snprintf(buf, sizeof(buf), "%s%s", name, variant_name[v]);
		t.name = buf;
		t.insns = m->out.insns;
		t.len = m->out.len;
		t.stack_depth = m->stack[0] ? m->stack[0] : 8;
		t.func_stack = m->stack;
		t.nfunc_stack = m->nf;
		t.ctx = ctx;
		t.ctx_size = ctx_size;
		t.flags = flags | variant_flags[v];
		t.expect_r0 = expect_r0;
		t.reset = reset;
		run_test(&t);
	}
}

/* ---- globals the programs reach through ld_imm64 addresses ---- */

static u64 g_rec[8];
static u64 g_counts[MAXF];

static void reset_globals(const struct test_case *t)
{
	memset(g_rec, 0, sizeof(g_rec));
	memset(g_counts, 0, sizeof(g_counts));
}

static __attribute__((__noinline__)) u64 h_mix5(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return a + 3 * b + 5 * c + 7 * d + 11 * e + (a >> 32) * 13;
}

static __attribute__((__noinline__)) u64 h_rec5(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	g_rec[0] = a;
	g_rec[1] = b;
	g_rec[2] = c;
	g_rec[3] = d;
	g_rec[4] = e;
	return ~a ^ (e << 3);
}

typedef u64 (*cb_t)(u64, u64, u64, u64, u64);

/* bpf_loop()-like: calls the subprogram @cb @n times, sums. */
static __attribute__((__noinline__)) u64 h_loop(u64 cb, u64 n, u64 a, u64 b, u64 c)
{
	cb_t fn = (cb_t)(uintptr_t)(u32)cb;
	u64 sum = 0, i;

	for (i = 0; i < (u32)n; i++)
		sum += fn(i, a, b + i, c ^ sum, sum * 7 + (i << 33));
	return sum ^ (n << 40) ^ (cb >> 32);
}

static const u64 vals[] = {
	0x1111111122222222ull, 0x3333333344444444ull, 0x5555555566666666ull,
	0x7777777788888888ull, 0x99999999aaaaaaaaull, 0xbbbbbbbbccccccccull,
	0xddddddddeeeeeeeeull, 0xfedcba9876543210ull, 0, (u64)-1,
	0x8000000000000000ull, 0x00000000ffffffffull, 0x0000000100000000ull,
	0x7fffffff80000000ull, 0x0123456789abcdefull,
};
#define NVALS	((int)ARRAY_SIZE(vals))

/* ---- the first test, kept by name ---- */

static void sp_simple(void)
{
	struct bpf_insn prog[] = {
		MOV64_IMM(R1, 5),
		MOV64_IMM(R2, 7),
		MOV64_IMM(R6, 100),
		CALL_PSEUDO(2),
		ALU64_REG(BPF_ADD, R0, R6),
		EXIT(),
		/* subprog: R0 = R1 * R2, clobbers R6 of its own */
		MOV64_REG(R0, R1),
		ALU64_REG(BPF_MUL, R0, R2),
		MOV64_IMM(R6, 1),
		EXIT(),
	};
	static const u32 stacks[] = { 64, 0 };
	struct test_case t;

	memset(&t, 0, sizeof(t));
	t.name = "bpf-to-bpf call (BPF_PSEUDO_CALL)";
	t.insns = prog;
	t.len = ARRAY_SIZE(prog);
	t.flags = F_EXPECT_R0;
	t.expect_r0 = 135;
	t.stack_depth = 64;
	t.func_stack = stacks;
	t.nfunc_stack = 2;
	run_test(&t);
}

/*
 * A chain of MAX_FRAMES frames. Each level saves its five arguments (R6-R9
 * and its stack), stores a marker on its stack, passes permuted and
 * perturbed arguments down, and folds the callee's R0 with its saved
 * arguments and the marker. The deepest records its arguments in g_rec.
 * Main: three rounds with different 64-bit arguments and R6-R9 values.
 */
static void sp_chain(void)
{
	static const u32 stacks[MAX_FRAMES] = { 48, 16, 512, 16, 104, 460, 256, 16 };
	struct mprog m;
	int f, r, k, i;

	mp_init(&m);
	for (f = 0; f < MAX_FRAMES; f++)
		mp_func(&m, stacks[f]);
	/* main */
	PB(&m.fn[0], STX_MEM(BPF_DW, R10, R1, -8));
	for (k = 0; k < 3; k++) {
		for (r = 6; r <= 9; r++)
			pb_ld64(&m.fn[0], r, vals[(k * 4 + r) % NVALS] ^ ((u64)r << 56));
		for (i = 0; i < 5; i++)
			pb_ld64(&m.fn[0], R1 + i, vals[(k * 5 + i * 3) % NVALS] + i + k);
		/* main's own stack word, read back after the call */
		pb_ld64(&m.fn[0], R0, 0xa5a5a5a55a5a5a5aull + k);
		PB(&m.fn[0], STX_MEM(BPF_DW, R10, R0, -16));
		mp_call(&m, 0, 1);
		PB(&m.fn[0], LDX_MEM(BPF_DW, R1, R10, -8),
		   STX_MEM(BPF_DW, R1, R0, 8 * (11 * k)));
		for (r = 6; r <= 9; r++)
			PB(&m.fn[0], STX_MEM(BPF_DW, R1, r, 8 * (11 * k + r - 5)));
		pb_ld64(&m.fn[0], R2, (uintptr_t)g_rec);
		for (i = 0; i < 5; i++)
			PB(&m.fn[0], LDX_MEM(BPF_DW, R3, R2, 8 * i),
			   STX_MEM(BPF_DW, R1, R3, 8 * (11 * k + 5 + i)));
		PB(&m.fn[0], LDX_MEM(BPF_DW, R3, R10, -16),
		   STX_MEM(BPF_DW, R1, R3, 8 * (11 * k + 10)));
	}
	PB(&m.fn[0], EXIT());

	for (f = 1; f < MAX_FRAMES; f++) {
		struct prog_buf *pb = &m.fn[f];
		u64 mark = 0x0f1e2d3c4b5a6978ull * f;

		PB(pb, MOV64_REG(R6, R1), MOV64_REG(R7, R2), MOV64_REG(R8, R3),
		   MOV64_REG(R9, R4), STX_MEM(BPF_DW, R10, R5, -8));
		pb_ld64(pb, R0, mark);
		PB(pb, STX_MEM(BPF_DW, R10, R0, -16));
		if (f < MAX_FRAMES - 1) {
			/* R1..R5 = R7 ^ k, R8 + k, R9, [fp-8] rotated, R6 */
			pb_ld64(pb, R1, 0x0101010180000001ull * f);
			PB(pb, ALU64_REG(BPF_XOR, R1, R7),
			   MOV64_REG(R2, R8),
			   ALU64_IMM(BPF_ADD, R2, 0x7fffffff - f),
			   MOV64_REG(R3, R9),
			   LDX_MEM(BPF_DW, R4, R10, -8),
			   MOV64_REG(R0, R4),
			   ALU64_IMM(BPF_LSH, R4, 8 + f),
			   ALU64_IMM(BPF_RSH, R0, 56 - f),
			   ALU64_REG(BPF_OR, R4, R0),
			   MOV64_REG(R5, R6));
			mp_call(&m, f, f + 1);
		} else {
			pb_ld64(pb, R0, (uintptr_t)g_rec);
			for (i = 0; i < 5; i++)
				PB(pb, STX_MEM(BPF_DW, R0, R1 + i, 8 * i));
			PB(pb, MOV64_REG(R0, R1),
			   ALU64_REG(BPF_XOR, R0, R2),
			   ALU64_REG(BPF_MUL, R0, R3),
			   ALU64_REG(BPF_SUB, R0, R4),
			   ALU64_REG(BPF_XOR, R0, R5));
		}
		/* R0 = (R0 * 3 ^ R6) + R7 - R8 ^ R9 + [fp-8] + [fp-16] */
		PB(pb, ALU64_IMM(BPF_MUL, R0, 3),
		   ALU64_REG(BPF_XOR, R0, R6),
		   ALU64_REG(BPF_ADD, R0, R7),
		   ALU64_REG(BPF_SUB, R0, R8),
		   ALU64_REG(BPF_XOR, R0, R9),
		   LDX_MEM(BPF_DW, R1, R10, -8),
		   ALU64_REG(BPF_ADD, R0, R1),
		   LDX_MEM(BPF_DW, R1, R10, -16),
		   ALU64_REG(BPF_ADD, R0, R1),
		   EXIT());
	}
	mp_run(&m, "bpf2bpf chain of 8 frames: 5 x 64-bit args, R0, R6-R9, stack words",
	       8 * 33, NULL, 0, 0, reset_globals, 4);
	mp_free(&m);
}

/* R0 from nine callees, 64-bit values of every shape, twice each. */
static void sp_returns(void)
{
	struct mprog m;
	int f, k, w = 0;

	mp_init(&m);
	mp_func(&m, 8);
	for (f = 1; f <= 9; f++)
		mp_func(&m, f * 8);
	PB(&m.fn[0], STX_MEM(BPF_DW, R10, R1, -8));
	for (k = 0; k < 9; k++) {
		int a;

		for (a = 0; a < 2; a++) {
			pb_ld64(&m.fn[0], R1, vals[(3 * k + a) % NVALS]);
			pb_ld64(&m.fn[0], R2, vals[(5 * k + 7 + a) % NVALS]);
			pb_ld64(&m.fn[0], R5, vals[(7 * k + 3 + a) % NVALS]);
			PB(&m.fn[0], MOV64_REG(R3, R1), ALU64_IMM(BPF_ADD, R3, -1),
			   MOV64_REG(R4, R2), ALU64_IMM(BPF_LSH, R4, 1));
			/* R0 before the call: not the result */
			PB(&m.fn[0], MOV64_IMM(R0, -7));
			mp_call(&m, 0, 1 + k);
			PB(&m.fn[0], LDX_MEM(BPF_DW, R1, R10, -8),
			   STX_MEM(BPF_DW, R1, R0, 8 * w++));
		}
	}
	PB(&m.fn[0], MOV64_IMM(R0, 1), EXIT());
	/* 1: R0 = R1 */
	PB(&m.fn[1], MOV64_REG(R0, R1), EXIT());
	/* 2: w0 = w1 + w2 (32-bit: high half 0) */
	PB(&m.fn[2], MOV32_REG(R0, R1), ALU32_REG(BPF_ADD, R0, R2), EXIT());
	/* 3: constant with both halves */
	PB(&m.fn[3], LD_IMM64(R0, 0x8000000000000001ull), EXIT());
	/* 4: -1 sign-extended */
	PB(&m.fn[4], MOV64_IMM(R0, -1), EXIT());
	/* 5: R5 >> 32 | R4 << 32 */
	PB(&m.fn[5], MOV64_REG(R0, R5), ALU64_IMM(BPF_RSH, R0, 32),
	   ALU64_REG(BPF_MOV, R1, R4), ALU64_IMM(BPF_LSH, R1, 32),
	   ALU64_REG(BPF_OR, R0, R1), EXIT());
	/* 6: R3 - R4 through the stack, R0 via LDX */
	PB(&m.fn[6], STX_MEM(BPF_DW, R10, R3, -48), STX_MEM(BPF_DW, R10, R4, -40),
	   LDX_MEM(BPF_DW, R0, R10, -48), LDX_MEM(BPF_DW, R1, R10, -40),
	   ALU64_REG(BPF_SUB, R0, R1), EXIT());
	/* 7: R0 from a 32-bit load, then arsh: sign bits into the high half */
	PB(&m.fn[7], STX_MEM(BPF_W, R10, R5, -4), LDX_MEM(BPF_W, R0, R10, -4),
	   ALU64_IMM(BPF_LSH, R0, 32), ALU64_IMM(BPF_ARSH, R0, 7), EXIT());
	/* 8: R0 = R2 ^ R5, via a register the JIT keeps on the stack (R9) */
	PB(&m.fn[8], MOV64_REG(R9, R2), ALU64_REG(BPF_XOR, R9, R5),
	   MOV64_REG(R0, R9), EXIT());
	/* 9: exits in the middle: max(R1, R2) unsigned, then signed */
	PB(&m.fn[9], JMP_REG(BPF_JGE, R2, R1, 2), MOV64_REG(R0, R1), EXIT(),
	   MOV64_REG(R0, R2), JMP_REG(BPF_JSGT, R5, R0, 1), EXIT(),
	   MOV64_REG(R0, R5), EXIT());
	mp_run(&m, "bpf2bpf R0 return: 64-bit values from 9 callees (one exits early)", 8 * w, NULL,
	       F_EXPECT_R0, 1, NULL, 2);
	mp_free(&m);
}

/*
 * R6-R9 across calls: main sets them, calls f1; f1 sets its own, calls
 * f2 (which sets yet others, calls a helper and divides), checks its own
 * after the call; main checks its own.
 */
static void sp_callee_saved(void)
{
	struct mprog m;
	int r, k;

	mp_init(&m);
	mp_func(&m, 16);
	mp_func(&m, 24);
	mp_func(&m, 8);
	for (k = 0; k < 2; k++) {
		for (r = 6; r <= 9; r++)
			pb_ld64(&m.fn[0], r, 0x1000000100000001ull * (r + 3 * k) ^ 0x8000000080000000ull);
		PB(&m.fn[0], STX_MEM(BPF_DW, R10, R1, -8), MOV64_IMM(R2, k));
		mp_call(&m, 0, 1);
		PB(&m.fn[0], LDX_MEM(BPF_DW, R1, R10, -8));
		for (r = 6; r <= 9; r++)
			PB(&m.fn[0], STX_MEM(BPF_DW, R1, r, 8 * (10 * k + r - 6)));
		PB(&m.fn[0], STX_MEM(BPF_DW, R1, R0, 8 * (10 * k + 4)));
	}
	PB(&m.fn[0], MOV64_IMM(R0, 2), EXIT());
	/* f1(ctx, k) */
	PB(&m.fn[1], STX_MEM(BPF_DW, R10, R1, -8), MOV64_REG(R0, R2),
	   ALU64_IMM(BPF_MUL, R0, 10), STX_MEM(BPF_DW, R10, R0, -16));
	for (r = 6; r <= 9; r++)
		pb_ld64(&m.fn[1], r, 0xf0000000f0000000ull + r * 0x0100000001000001ull);
	pb_ld64(&m.fn[1], R1, 0xfffffffe00000005ull);
	pb_ld64(&m.fn[1], R2, 0x123456789ull);
	mp_call(&m, 1, 2);
	PB(&m.fn[1], LDX_MEM(BPF_DW, R1, R10, -8), LDX_MEM(BPF_DW, R2, R10, -16),
	   ALU64_IMM(BPF_LSH, R2, 3), ALU64_REG(BPF_ADD, R1, R2));
	for (r = 6; r <= 9; r++)
		PB(&m.fn[1], STX_MEM(BPF_DW, R1, r, 8 * (r - 1)));
	PB(&m.fn[1], STX_MEM(BPF_DW, R1, R0, 8 * 9), ALU64_IMM(BPF_ADD, R0, 1), EXIT());
	/* f2(a, b): clobber R6-R9, helper, divides */
	for (r = 6; r <= 9; r++)
		pb_ld64(&m.fn[2], r, 0x5a5a5a5a5a5a5a5aull ^ r);
	PB(&m.fn[2], MOV64_REG(R6, R1), MOV64_REG(R7, R2),
	   MOV64_REG(R3, R1), MOV64_REG(R4, R2), MOV64_IMM(R5, 99),
	   CALL_IMM(helper_imm(h_mix5)),
	   MOV64_REG(R8, R0), ALU64_REG(BPF_DIV, R8, R7),
	   MOV64_REG(R9, R6), ALU64_REG(BPF_MOD, R9, R7),
	   MOV32_REG(R1, R6), ALU32_IMM(BPF_DIV, R1, 7),
	   MOV64_REG(R0, R8), ALU64_REG(BPF_XOR, R0, R9),
	   ALU64_REG(BPF_ADD, R0, R1), EXIT());
	mp_run(&m, "bpf2bpf R6-R9 preserved across calls (callee sets its own, calls a helper, divides)",
	       8 * 20, NULL, 0, 0, NULL, 4);
	mp_free(&m);
}

/*
 * Deep stacks: every frame fills its whole stack with its own pattern
 * (64-bit words, plus 32-bit words for a depth not a multiple of 8), calls
 * the next, then checks every word: OR of (word ^ expected) into ctx.
 * @stacks: MAX_FRAMES depths.
 */
static void sp_stacks(const char *name, const u32 *stacks)
{
	struct mprog m;
	int f, j;

	mp_init(&m);
	for (f = 0; f < MAX_FRAMES; f++)
		mp_func(&m, stacks[f]);
	for (f = 0; f < MAX_FRAMES; f++) {
		struct prog_buf *pb = &m.fn[f];
		u32 sd = stacks[f];
		int nw = sd / 8;
		u64 base = 0x0102030405060708ull * (f + 1) ^ 0x8000000000000000ull;
		u64 step = 0x0000000100000003ull * (2 * f + 1);

		/* R1 = ctx everywhere; R6 keeps it */
		PB(pb, MOV64_REG(R6, R1));
		pb_ld64(pb, R7, base);
		pb_ld64(pb, R4, step);
		for (j = 0; j < nw; j++)
			PB(pb, STX_MEM(BPF_DW, R10, R7, -8 * (j + 1)),
			   ALU64_REG(BPF_ADD, R7, R4));
		if (sd & 4)	/* the word below 8 * nw */
			PB(pb, STX_MEM(BPF_W, R10, R7, -(int)sd));
		if (f < MAX_FRAMES - 1) {
			PB(pb, MOV64_REG(R1, R6));
			mp_call(&m, f, f + 1);
		} else {
			PB(pb, MOV64_IMM(R0, 0));
		}
		/* check: R8 = OR of differences, R9 = sum of words */
		PB(pb, MOV64_REG(R8, R0), MOV64_IMM(R9, 0));
		pb_ld64(pb, R7, base);
		pb_ld64(pb, R4, step);
		for (j = 0; j < nw; j++)
			PB(pb, LDX_MEM(BPF_DW, R3, R10, -8 * (j + 1)),
			   ALU64_REG(BPF_ADD, R9, R3),
			   ALU64_REG(BPF_XOR, R3, R7),
			   ALU64_REG(BPF_OR, R8, R3),
			   ALU64_REG(BPF_ADD, R7, R4));
		if (sd & 4)
			PB(pb, LDX_MEM(BPF_W, R3, R10, -(int)sd),
			   ALU64_REG(BPF_ADD, R9, R3),
			   ALU32_REG(BPF_XOR, R3, R7),
			   ALU64_REG(BPF_OR, R8, R3));
		PB(pb, STX_MEM(BPF_DW, R6, R8, 16 * f),
		   STX_MEM(BPF_DW, R6, R9, 16 * f + 8),
		   MOV64_REG(R0, R8), EXIT());
	}
	mp_run(&m, name, 16 * MAX_FRAMES, NULL, 0, 0, NULL, 2);
	mp_free(&m);
}

/*
 * A DAG of 30 or 40 functions on 7 levels (main on level 0): each calls 0-3
 * functions of deeper levels with arguments mixed from its own, counts
 * its calls with an atomic add to g_counts[f], folds results into R6-R9
 * and its stack, sometimes calls a helper or divides.
 */
static u64 dag_rnd;

static u32 dag_next(void)
{
	dag_rnd = dag_rnd * 6364136223846793005ull + 1442695040888963407ull;
	return dag_rnd >> 33;
}

static void sp_dag(u64 seed, int nf, int nvar)
{
	static const u32 stack_choice[] = { 16, 24, 64, 200, 460, 512 };
	int level[MAXF], ncalls[MAXF], callees[MAXF][3], main_calls[MAXF];
	bool called[MAXF] = { false };
	int nmain = 0, f, c, i;
	struct mprog m;
	char name[120];

	dag_rnd = seed;
	mp_init(&m);
	mp_func(&m, 64);
	level[0] = 0;
	for (f = 1; f < nf; f++) {
		mp_func(&m, stack_choice[dag_next() % ARRAY_SIZE(stack_choice)]);
		level[f] = 1 + (f - 1) * 7 / (nf - 1);	/* 1..7 */
	}
	/* the call graph: 0-3 calls to deeper levels */
	for (f = 1; f < nf; f++) {
		int deeper = 0;

		for (i = f + 1; i < nf; i++)
			if (level[i] > level[f])
				deeper++;
		ncalls[f] = deeper ? dag_next() % 4 : 0;
		for (c = 0; c < ncalls[f]; c++) {
			int callee, pick = dag_next() % deeper;

			for (callee = f + 1; ; callee++)
				if (level[callee] > level[f] && !pick--)
					break;
			callees[f][c] = callee;
			called[callee] = true;
		}
	}
	/* main calls the roots 1, 4, 7, 10 and whatever nobody calls (every
	 * function must be a call target to be a function of its own)
	 */
	for (f = 1; f < nf; f++)
		if ((f < 11 && f % 3 == 1) || !called[f])
			main_calls[nmain++] = f;

	/* main: R6 = ctx */
	PB(&m.fn[0], MOV64_REG(R6, R1));
	for (c = 0; c < nmain; c++) {
		for (i = 0; i < 5; i++)
			pb_ld64(&m.fn[0], R1 + i, vals[(c * 7 + i * 2) % NVALS] ^ ((u64)c << 40));
		mp_call(&m, 0, main_calls[c]);
		PB(&m.fn[0], STX_MEM(BPF_DW, R6, R0, 8 * c));
	}
	pb_ld64(&m.fn[0], R7, (uintptr_t)g_counts);
	for (f = 1; f < nf; f++)
		PB(&m.fn[0], LDX_MEM(BPF_DW, R1, R7, 8 * f),
		   STX_MEM(BPF_DW, R6, R1, 8 * (nmain + f)));
	PB(&m.fn[0], MOV64_IMM(R0, 0), EXIT());

	for (f = 1; f < nf; f++) {
		struct prog_buf *pb = &m.fn[f];

		PB(pb, MOV64_REG(R6, R1), ALU64_IMM(BPF_XOR, R6, f * 77),
		   MOV64_REG(R7, R2),
		   STX_MEM(BPF_DW, R10, R3, -8),
		   STX_MEM(BPF_DW, R10, R4, -16),
		   MOV64_REG(R8, R5));
		pb_ld64(pb, R9, 0x9e3779b97f4a7c15ull * f);
		/* g_counts[f]++ (atomic) */
		pb_ld64(pb, R1, (uintptr_t)&g_counts[f]);
		PB(pb, MOV64_IMM(R2, 1), ATOMIC_OP(BPF_DW, BPF_ADD, R1, R2, 0));
		for (c = 0; c < ncalls[f]; c++) {
			PB(pb, MOV64_REG(R1, R6), ALU64_REG(BPF_ADD, R1, R9),
			   MOV64_REG(R2, R7), ALU64_IMM(BPF_LSH, R2, c + 1),
			   LDX_MEM(BPF_DW, R3, R10, -8),
			   LDX_MEM(BPF_DW, R4, R10, -16), ALU64_REG(BPF_XOR, R4, R8),
			   MOV64_REG(R5, R9), ALU64_IMM(BPF_RSH, R5, c + 3));
			mp_call(&m, f, callees[f][c]);
			PB(pb, ALU64_IMM(BPF_MUL, R9, 31), ALU64_REG(BPF_ADD, R9, R0),
			   LDX_MEM(BPF_DW, R1, R10, -8), ALU64_REG(BPF_XOR, R1, R0),
			   STX_MEM(BPF_DW, R10, R1, -8));
		}
		switch (dag_next() % 3) {
		case 0:	/* helper */
			PB(pb, MOV64_REG(R1, R6), MOV64_REG(R2, R7),
			   LDX_MEM(BPF_DW, R3, R10, -8), LDX_MEM(BPF_DW, R4, R10, -16),
			   MOV64_REG(R5, R9), CALL_IMM(helper_imm(h_mix5)),
			   ALU64_REG(BPF_XOR, R9, R0));
			break;
		case 1:	/* divides */
			PB(pb, MOV64_REG(R1, R7), ALU64_IMM(BPF_OR, R1, 1),
			   MOV64_REG(R2, R9), ALU64_REG(BPF_DIV, R2, R1),
			   ALU64_REG(BPF_ADD, R9, R2),
			   MOV32_REG(R3, R6), ALU32_IMM(BPF_MOD, R3, 1000 + f),
			   ALU64_REG(BPF_XOR, R9, R3));
			break;
		default:
			break;
		}
		PB(pb, MOV64_REG(R0, R9), ALU64_REG(BPF_XOR, R0, R6),
		   ALU64_REG(BPF_ADD, R0, R7), ALU64_REG(BPF_SUB, R0, R8),
		   LDX_MEM(BPF_DW, R1, R10, -16), ALU64_REG(BPF_XOR, R0, R1),
		   EXIT());
	}
	snprintf(name, sizeof(name),
		 "bpf2bpf DAG of %d functions (7 levels, atomics, helpers, divides), seed %llx",
		 nf, (unsigned long long)seed);
	mp_run(&m, name, 8 * (nmain + nf), NULL, 0, 0, reset_globals, nvar);
	mp_free(&m);
}

/* Calls in loops: main loops 20 times over f, f loops over g. */
static void sp_loops(void)
{
	struct mprog m;
	int body;

	mp_init(&m);
	mp_func(&m, 16);
	mp_func(&m, 16);
	mp_func(&m, 8);
	/* main: R6 = i, R7 = acc, R8 = ctx */
	PB(&m.fn[0], MOV64_REG(R8, R1), MOV64_IMM(R6, 0));
	pb_ld64(&m.fn[0], R7, 0xffffffff00000001ull);
	body = m.fn[0].len;
	PB(&m.fn[0], MOV64_REG(R1, R6), MOV64_REG(R2, R7));
	mp_call(&m, 0, 1);
	PB(&m.fn[0], ALU64_REG(BPF_ADD, R7, R0),
	   MOV64_REG(R1, R6), ALU64_IMM(BPF_LSH, R1, 3),
	   ALU64_REG(BPF_ADD, R1, R8), STX_MEM(BPF_DW, R1, R0, 0),
	   ALU64_IMM(BPF_ADD, R6, 1));
	PB(&m.fn[0], JMP_IMM(BPF_JLT, R6, 20, body - (m.fn[0].len + 1)));
	PB(&m.fn[0], MOV64_REG(R0, R7), EXIT());
	/* f(i, acc): j = 0..(i & 7); sum g(j, acc) */
	PB(&m.fn[1], MOV64_REG(R6, R1), ALU64_IMM(BPF_AND, R6, 7),
	   MOV64_IMM(R7, 0), MOV64_REG(R9, R2), MOV64_IMM(R8, 0));
	body = m.fn[1].len;
	PB(&m.fn[1], JMP_REG(BPF_JGT, R7, R6, 0));	/* patched below */
	{
		int jmp = m.fn[1].len - 1;

		PB(&m.fn[1], MOV64_REG(R1, R7), MOV64_REG(R2, R9));
		mp_call(&m, 1, 2);
		PB(&m.fn[1], ALU64_REG(BPF_ADD, R8, R0), ALU64_IMM(BPF_ADD, R7, 1));
		PB(&m.fn[1], JA(body - (m.fn[1].len + 1)));
		m.fn[1].insns[jmp].off = m.fn[1].len - (jmp + 1);
	}
	PB(&m.fn[1], MOV64_REG(R0, R8), ALU64_IMM(BPF_MUL, R0, 3), EXIT());
	/* g(j, acc) = acc * (j + 1) ^ j << 35 */
	PB(&m.fn[2], MOV64_REG(R0, R1), ALU64_IMM(BPF_ADD, R0, 1),
	   ALU64_REG(BPF_MUL, R0, R2), ALU64_IMM(BPF_LSH, R1, 35),
	   ALU64_REG(BPF_XOR, R0, R1), EXIT());
	mp_run(&m, "bpf2bpf calls inside loops (20 x f, f loops over g)", 8 * 20,
	       NULL, 0, 0, NULL, 2);
	mp_free(&m);
}

/*
 * Helpers from a callee: h_rec5 gets the callee's five arguments (the
 * subprogram's R3-R5 came through its prologue), AAPCS and u64 division
 * routines in a nested callee with stacked registers.
 */
static void sp_helpers(void)
{
	struct mprog m;
	int k, i;

	mp_init(&m);
	mp_func(&m, 8);
	mp_func(&m, 32);
	mp_func(&m, 40);
	PB(&m.fn[0], MOV64_REG(R6, R1));
	for (k = 0; k < 3; k++) {
		for (i = 0; i < 5; i++)
			pb_ld64(&m.fn[0], R1 + i, vals[(4 * k + 3 * i + 1) % NVALS]);
		mp_call(&m, 0, 1);
		PB(&m.fn[0], STX_MEM(BPF_DW, R6, R0, 8 * (12 * k)));
		pb_ld64(&m.fn[0], R2, (uintptr_t)g_rec);
		for (i = 0; i < 5; i++)
			PB(&m.fn[0], LDX_MEM(BPF_DW, R3, R2, 8 * i),
			   STX_MEM(BPF_DW, R6, R3, 8 * (12 * k + 1 + i)));
	}
	PB(&m.fn[0], MOV64_IMM(R0, 0), EXIT());
	/* f1(a..e): h_rec5(a..e) as received, then f2(...) */
	PB(&m.fn[1], STX_MEM(BPF_DW, R10, R1, -8), STX_MEM(BPF_DW, R10, R5, -16),
	   MOV64_REG(R8, R3), MOV64_REG(R9, R4),
	   CALL_IMM(helper_imm(h_rec5)),
	   MOV64_REG(R7, R0),
	   LDX_MEM(BPF_DW, R1, R10, -8), MOV64_REG(R2, R8), MOV64_REG(R3, R9),
	   LDX_MEM(BPF_DW, R4, R10, -16), MOV64_REG(R5, R7));
	mp_call(&m, 1, 2);
	PB(&m.fn[1], ALU64_REG(BPF_XOR, R0, R7), EXIT());
	/* f2: divides (64/32, reg/imm, div/mod), helper h_mix5 */
	PB(&m.fn[2], MOV64_REG(R8, R1), ALU64_IMM(BPF_OR, R8, 3),
	   MOV64_REG(R9, R2), ALU64_REG(BPF_DIV, R9, R8),
	   MOV64_REG(R7, R3), ALU64_REG(BPF_MOD, R7, R8),
	   MOV64_REG(R6, R4), ALU64_IMM(BPF_DIV, R6, 1000003),
	   STX_MEM(BPF_DW, R10, R5, -40),
	   MOV32_REG(R0, R5), ALU32_IMM(BPF_MOD, R0, 97),
	   MOV32_REG(R1, R4), ALU32_REG(BPF_DIV, R1, R8),
	   ALU64_REG(BPF_ADD, R0, R1),
	   STX_MEM(BPF_DW, R10, R0, -8),
	   MOV64_REG(R1, R9), MOV64_REG(R2, R7), MOV64_REG(R3, R6),
	   LDX_MEM(BPF_DW, R4, R10, -40), LDX_MEM(BPF_DW, R5, R10, -8),
	   CALL_IMM(helper_imm(h_mix5)),
	   ALU64_REG(BPF_XOR, R0, R9), ALU64_REG(BPF_ADD, R0, R6), EXIT());
	mp_run(&m, "bpf2bpf callee calls helpers (5 x u64) and divides", 8 * 36,
	       NULL, 0, 0, reset_globals, 2);
	mp_free(&m);
}

/*
 * Pointers as arguments: main passes FP-64 and ctx; f1 writes main's stack
 * with stores of every size and atomics, and passes a pointer to its own
 * stack and one to main's on to f2, which writes both.
 */
static void sp_pointers(void)
{
	struct mprog m;
	int j;

	mp_init(&m);
	mp_func(&m, 72);
	mp_func(&m, 32);
	mp_func(&m, 8);
	for (j = 0; j < 8; j++) {
		pb_ld64(&m.fn[0], R2, 0x1122334455667788ull * (j + 1));
		PB(&m.fn[0], STX_MEM(BPF_DW, R10, R2, -64 + 8 * j));
	}
	PB(&m.fn[0], STX_MEM(BPF_DW, R10, R1, -72),
	   MOV64_REG(R2, R1), MOV64_REG(R1, R10), ALU64_IMM(BPF_ADD, R1, -64));
	pb_ld64(&m.fn[0], R3, 0x8765432112345678ull);
	pb_ld64(&m.fn[0], R4, 0x1122334455667788ull * 6);	/* cmpxchg old */
	mp_call(&m, 0, 1);
	PB(&m.fn[0], LDX_MEM(BPF_DW, R1, R10, -72));
	for (j = 0; j < 8; j++)
		PB(&m.fn[0], LDX_MEM(BPF_DW, R2, R10, -64 + 8 * j),
		   STX_MEM(BPF_DW, R1, R2, 8 * (2 + j)));
	PB(&m.fn[0], STX_MEM(BPF_DW, R1, R0, 8 * 10), EXIT());
	/* f1(p, ctx, v, old) */
	PB(&m.fn[1], MOV64_REG(R6, R1), MOV64_REG(R7, R2), MOV64_REG(R8, R3),
	   STX_MEM(BPF_DW, R10, R4, -8),
	   STX_MEM(BPF_B, R6, R8, 1), STX_MEM(BPF_H, R6, R8, 2),
	   STX_MEM(BPF_W, R6, R8, 12), ST_MEM(BPF_W, R6, 8, -2),
	   MOV64_REG(R1, R8),
	   ATOMIC_OP(BPF_DW, BPF_ADD, R6, R1, 16),
	   MOV64_REG(R2, R8),
	   ATOMIC_OP(BPF_W, BPF_ADD | BPF_FETCH, R6, R2, 24),
	   MOV64_REG(R3, R8),
	   ATOMIC_OP(BPF_DW, BPF_XCHG, R6, R3, 32),
	   LDX_MEM(BPF_DW, R0, R10, -8),
	   MOV64_REG(R4, R8),
	   ATOMIC_OP(BPF_DW, BPF_CMPXCHG, R6, R4, 40),
	   ATOMIC_OP(BPF_DW, BPF_OR, R7, R8, 0),
	   ATOMIC_OP(BPF_W, BPF_XOR, R7, R8, 8),
	   ALU64_REG(BPF_ADD, R0, R2), ALU64_REG(BPF_ADD, R0, R3),
	   STX_MEM(BPF_DW, R10, R0, -16),
	   /* f2(own fp-24, main's p + 48, v) */
	   ST_MEM(BPF_DW, R10, -24, 5),
	   MOV64_REG(R1, R10), ALU64_IMM(BPF_ADD, R1, -24),
	   MOV64_REG(R2, R6), ALU64_IMM(BPF_ADD, R2, 48),
	   MOV64_REG(R3, R8));
	mp_call(&m, 1, 2);
	PB(&m.fn[1], LDX_MEM(BPF_DW, R1, R10, -24),
	   LDX_MEM(BPF_DW, R2, R10, -16), ALU64_REG(BPF_XOR, R0, R2),
	   ALU64_REG(BPF_ADD, R0, R1),
	   LDX_MEM(BPF_DW, R2, R10, -8), ALU64_REG(BPF_XOR, R0, R2),
	   EXIT());
	/* f2(q, p, v): *q += v (atomic, fetch), *p = ~v, p[1] ^= v */
	PB(&m.fn[2], MOV64_REG(R6, R3),
	   ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, R1, R3, 0),
	   STX_MEM(BPF_DW, R10, R3, -8),
	   MOV64_REG(R4, R6), ALU64_IMM(BPF_XOR, R4, -1),
	   STX_MEM(BPF_DW, R2, R4, 0),
	   ATOMIC_OP(BPF_DW, BPF_XOR, R2, R6, 8),
	   LDX_MEM(BPF_DW, R0, R10, -8), EXIT());
	mp_run(&m, "bpf2bpf pointers to the caller's stack as args (stores, atomics, two levels)",
	       88, NULL, 0, 0, NULL, 4);
	mp_free(&m);
}

/*
 * BPF_PSEUDO_FUNC: main loads a subprogram's address (into each register
 * in turn) and gives it to h_loop(), a bpf_loop()-like helper that calls it
 * through a u64 x 5 pointer. The callbacks use all arguments and their
 * stack, one calls another subprogram and a helper.
 */
static void sp_callback(void)
{
	static const u8 regs[] = { R1, R0, R2, R3, R4, R5, R6, R7, R8, R9 };
	struct mprog m;
	int k, w = 0;

	mp_init(&m);
	mp_func(&m, 16);
	mp_func(&m, 48);	/* cb A */
	mp_func(&m, 512);	/* cb B */
	mp_func(&m, 16);	/* called by B */
	PB(&m.fn[0], STX_MEM(BPF_DW, R10, R1, -8));
	for (k = 0; k < (int)ARRAY_SIZE(regs); k++) {
		int r = regs[k], cb = 1 + (k & 1);
		int tmp = r == R2 ? R3 : R2;

		mp_ldfunc(&m, 0, r, cb);
		/* the address is 32 bits: its high half is 0 */
		PB(&m.fn[0], MOV64_REG(tmp, r), ALU64_IMM(BPF_RSH, tmp, 32),
		   STX_MEM(BPF_DW, R10, tmp, -16));
		if (r != R1)
			PB(&m.fn[0], MOV64_REG(R1, r));
		PB(&m.fn[0], MOV64_IMM(R2, 3 + k % 4));
		pb_ld64(&m.fn[0], R3, vals[(k * 3) % NVALS]);
		pb_ld64(&m.fn[0], R4, vals[(k * 3 + 5) % NVALS]);
		pb_ld64(&m.fn[0], R5, vals[(k * 3 + 9) % NVALS]);
		PB(&m.fn[0], CALL_IMM(helper_imm(h_loop)),
		   LDX_MEM(BPF_DW, R1, R10, -8),
		   STX_MEM(BPF_DW, R1, R0, 8 * w++),
		   LDX_MEM(BPF_DW, R0, R10, -16),
		   STX_MEM(BPF_DW, R1, R0, 8 * w++));
	}
	PB(&m.fn[0], MOV64_IMM(R0, 0), EXIT());
	/* A(i, a, b, c, d): uses every argument, its stack */
	PB(&m.fn[1], STX_MEM(BPF_DW, R10, R5, -48), STX_MEM(BPF_DW, R10, R4, -40),
	   MOV64_REG(R0, R1), ALU64_IMM(BPF_MUL, R0, 0x10001),
	   ALU64_REG(BPF_XOR, R0, R2), ALU64_REG(BPF_ADD, R0, R3),
	   LDX_MEM(BPF_DW, R6, R10, -40), ALU64_REG(BPF_SUB, R0, R6),
	   LDX_MEM(BPF_DW, R6, R10, -48), ALU64_IMM(BPF_RSH, R6, 1),
	   ALU64_REG(BPF_XOR, R0, R6), EXIT());
	/* B: fills its 512-byte stack ends, calls C and a helper */
	PB(&m.fn[2], STX_MEM(BPF_DW, R10, R1, -512), STX_MEM(BPF_DW, R10, R2, -8),
	   MOV64_REG(R9, R3), MOV64_REG(R8, R4), MOV64_REG(R7, R5),
	   MOV64_REG(R1, R2), MOV64_REG(R2, R9));
	mp_call(&m, 2, 3);
	PB(&m.fn[2], MOV64_REG(R6, R0),
	   LDX_MEM(BPF_DW, R1, R10, -512), MOV64_REG(R2, R9), MOV64_REG(R3, R8),
	   MOV64_REG(R4, R7), LDX_MEM(BPF_DW, R5, R10, -8),
	   CALL_IMM(helper_imm(h_mix5)),
	   ALU64_REG(BPF_XOR, R0, R6), EXIT());
	/* C(x, y) = x * 5 - y, stack used */
	PB(&m.fn[3], STX_MEM(BPF_DW, R10, R2, -16), MOV64_REG(R0, R1),
	   ALU64_IMM(BPF_MUL, R0, 5), LDX_MEM(BPF_DW, R2, R10, -16),
	   ALU64_REG(BPF_SUB, R0, R2), EXIT());
	mp_run(&m, "bpf2bpf BPF_PSEUDO_FUNC callbacks called by a helper (u64 x 5), every dst register",
	       8 * w, NULL, 0, 0, NULL, 4);
	mp_free(&m);
}

/* ---- tail calls from subprograms ---- */

struct tc_array {
	struct bpf_array a;
	void *slots[4];
};

/* A tail-call target (or the main program, for a self tail call). */
static struct host_prog *tc_target(struct mprog *m)
{
	struct host_prog *hp = calloc(1, sizeof(*hp));

	mp_link(m);
	hp->insns = m->out.insns;
	hp->len = m->out.len;
	hp->stack_depth = m->stack[0];
	hp->func_stack = m->stack;
	hp->nfunc_stack = m->nf;
	return hp;
}

static void tc_case(const char *name, struct mprog *m,
		    struct host_prog **extra, int nextra, u64 expect_r0)
{
	struct test_case t;
	char buf[200];
	int v;

	mp_link(m);
	for (v = 0; v < 4; v++) {
		memset(&t, 0, sizeof(t));
		snprintf(buf, sizeof(buf), "%s%s", name, variant_name[v]);
		t.name = buf;
		t.insns = m->out.insns;
		t.len = m->out.len;
		t.stack_depth = m->stack[0];
		t.func_stack = m->stack;
		t.nfunc_stack = m->nf;
		t.extra = extra;
		t.nr_extra = nextra;
		t.ctx_size = 64;
		t.flags = F_EXPECT_R0 | variant_flags[v];
		t.expect_r0 = expect_r0;
		run_test(&t);
	}
}

/* bpf_tail_call(R1, arr, idx) in function @f; R1 must be ctx */
static void tc_call(struct mprog *m, int f, struct tc_array *arr, int idx)
{
	pb_ld64(&m->fn[f], R2, (uintptr_t)&arr->a);
	PB(&m->fn[f], MOV64_IMM(R3, idx), TAIL_CALL());
}

/* ctx word @w += 1, R6 = ctx */
static void tc_count(struct mprog *m, int f, int w)
{
	PB(&m->fn[f], MOV64_REG(R6, R1),
	   LDX_MEM(BPF_DW, R2, R6, 8 * w),
	   ALU64_IMM(BPF_ADD, R2, 1),
	   STX_MEM(BPF_DW, R6, R2, 8 * w));
}

static void sp_tailcalls(void)
{
	struct tc_array arr = { .a.map.max_entries = 4 };
	struct mprog m, t0, t1, t2;
	struct host_prog *h[3];
	int f, s, s1, s2;

	/*
	 * hierarchy_1: entry counts, calls a subprogram that tail-calls
	 * entry, twice. One count for the tree: entry runs 1 + 33 times
	 * (a count per frame would run it 2^33 times).
	 */
	mp_init(&m);
	f = mp_func(&m, 8);
	s = mp_func(&m, 16);
	tc_count(&m, f, 0);
	PB(&m.fn[f], MOV64_REG(R1, R6));
	mp_call(&m, f, s);
	PB(&m.fn[f], MOV64_REG(R1, R6));
	mp_call(&m, f, s);
	PB(&m.fn[f], LDX_MEM(BPF_DW, R0, R6, 0), EXIT());
	PB(&m.fn[s], ST_MEM(BPF_DW, R10, -16, 7));
	tc_call(&m, s, &arr, 0);
	PB(&m.fn[s], LDX_MEM(BPF_DW, R0, R10, -16), EXIT());
	h[0] = tc_target(&m);
	arr.a.ptrs[0] = h[0];
	tc_case("subprog tail call: entry -> sub -> tail entry, twice per run: 34 runs (one count for the tree)",
		&m, h, 1, 34);
	free(h[0]);
	mp_free(&m);

	/*
	 * bpf2bpf_4: entry -> sub0 -tail-> c0 -> sub1 -tail-> c1 -> sub2
	 * -tail-> c2 (counts) -> sub2 ...: c2 runs 31 times; the last
	 * sub2 returns its own value (the count is spent).
	 */
	memset(&arr.a.ptrs, 0, sizeof(arr.slots));
	mp_init(&m);
	f = mp_func(&m, 8);
	s = mp_func(&m, 8);
	PB(&m.fn[f], MOV64_REG(R6, R1));
	mp_call(&m, f, s);
	PB(&m.fn[f], LDX_MEM(BPF_DW, R1, R6, 0),
	   ALU64_IMM(BPF_LSH, R1, 8), ALU64_REG(BPF_OR, R0, R1), EXIT());
	PB(&m.fn[s], MOV64_REG(R6, R1));
	tc_call(&m, s, &arr, 0);
	PB(&m.fn[s], MOV64_IMM(R0, 1), EXIT());

	mp_init(&t0);
	f = mp_func(&t0, 8);
	s1 = mp_func(&t0, 8);
	mp_call(&t0, f, s1);
	PB(&t0.fn[f], EXIT());
	tc_call(&t0, s1, &arr, 1);
	PB(&t0.fn[s1], MOV64_IMM(R0, 2), EXIT());

	mp_init(&t1);
	f = mp_func(&t1, 8);
	s2 = mp_func(&t1, 8);
	mp_call(&t1, f, s2);
	PB(&t1.fn[f], EXIT());
	tc_call(&t1, s2, &arr, 2);
	PB(&t1.fn[s2], MOV64_IMM(R0, 3), EXIT());

	mp_init(&t2);
	f = mp_func(&t2, 8);
	s2 = mp_func(&t2, 8);
	tc_count(&t2, f, 0);
	PB(&t2.fn[f], MOV64_REG(R1, R6));
	mp_call(&t2, f, s2);
	PB(&t2.fn[f], EXIT());
	tc_call(&t2, s2, &arr, 2);
	PB(&t2.fn[s2], MOV64_IMM(R0, 3), EXIT());

	h[0] = tc_target(&t0);
	h[1] = tc_target(&t1);
	h[2] = tc_target(&t2);
	arr.a.ptrs[0] = h[0];
	arr.a.ptrs[1] = h[1];
	arr.a.ptrs[2] = h[2];
	tc_case("subprog tail calls: entry -> sub -> c0 -> sub -> c1 -> sub -> c2 looping: c2 counts 31, sub's own 3 returned",
		&m, h, 3, 31 << 8 | 3);
	mp_free(&m);
	mp_free(&t0);
	mp_free(&t1);
	mp_free(&t2);
	free(h[0]);
	free(h[1]);
	free(h[2]);

	/*
	 * The target returns to the subprogram's caller with R0's 64 bits
	 * and the caller's R6-R9 intact; the target clobbers its own.
	 * Then the main program's own tail call shares the same count:
	 * the target loops on itself (main-level) until it is spent.
	 */
	memset(&arr.a.ptrs, 0, sizeof(arr.slots));
	mp_init(&m);
	f = mp_func(&m, 24);
	s = mp_func(&m, 40);
	pb_ld64(&m.fn[f], R6, 0x1111111122222222ull);
	pb_ld64(&m.fn[f], R7, 0x3333333344444444ull);
	pb_ld64(&m.fn[f], R8, 0x5555555566666666ull);
	pb_ld64(&m.fn[f], R9, 0x7777777788888888ull);
	PB(&m.fn[f], STX_MEM(BPF_DW, R10, R1, -8));
	mp_call(&m, f, s);
	PB(&m.fn[f], ALU64_IMM(BPF_RSH, R0, 32),
	   ALU64_REG(BPF_ADD, R0, R6), ALU64_REG(BPF_ADD, R0, R7),
	   ALU64_REG(BPF_ADD, R0, R8), ALU64_REG(BPF_ADD, R0, R9),
	   STX_MEM(BPF_DW, R10, R0, -16),
	   LDX_MEM(BPF_DW, R1, R10, -8));
	tc_call(&m, f, &arr, 1);		/* count spent: falls through */
	PB(&m.fn[f], LDX_MEM(BPF_DW, R0, R10, -16),
	   LDX_MEM(BPF_DW, R1, R10, -8),
	   LDX_MEM(BPF_DW, R1, R1, 8),
	   ALU64_REG(BPF_ADD, R0, R1), EXIT());
	PB(&m.fn[s], ST_MEM(BPF_DW, R10, -40, 9));
	tc_call(&m, s, &arr, 0);
	PB(&m.fn[s], MOV64_IMM(R0, 0), EXIT());

	mp_init(&t0);
	f = mp_func(&t0, 512);
	tc_count(&t0, f, 1);
	PB(&t0.fn[f], ST_MEM(BPF_DW, R10, -512, 1), MOV64_REG(R1, R6));
	pb_ld64(&t0.fn[f], R7, 0);
	pb_ld64(&t0.fn[f], R8, 0);
	pb_ld64(&t0.fn[f], R9, 0);
	tc_call(&t0, f, &arr, 0);		/* itself, main-level */
	pb_ld64(&t0.fn[f], R0, 0xabcd000100000000ull);
	PB(&t0.fn[f], MOV64_IMM(R6, 0), EXIT());
	h[0] = tc_target(&t0);
	h[1] = tc_target(&t0);
	arr.a.ptrs[0] = h[0];
	arr.a.ptrs[1] = h[1];
	if (ret32) {
		printf("# --ret32: a subprogram's tail-call target returns R0's 64 bits (ABI 3): skipped\n");
	} else {
		tc_case("subprog tail call: R0's 64 bits and R6-R9 back to the caller; main's own tail call then finds the count spent",
			&m, h, 2, 0xabcd0001ull + 0x1111111122222222ull +
			0x3333333344444444ull + 0x5555555566666666ull +
			0x7777777788888888ull + 33);
	}
	free(h[0]);
	free(h[1]);
	mp_free(&m);
	mp_free(&t0);
}

void cases_subprog(void)
{
	static const u32 deep[MAX_FRAMES] = { 512, 512, 8, 512, 12, 460, 256, 512 };
	/* what the verifier allows: 512 bytes for the whole chain */
	static const u32 legal[MAX_FRAMES] = { 128, 120, 68, 64, 60, 32, 24, 16 };

	sp_simple();
	sp_chain();
	sp_returns();
	sp_callee_saved();
	sp_stacks("bpf2bpf 8 frames of up to 512-byte stacks, each checked after its call", deep);
	sp_stacks("bpf2bpf 8 frames, 512 bytes of stack in all (verifier limit)", legal);
	sp_dag(0x2545f4914f6cdd1dull, 30, 3);
	sp_dag(0x5851f42d4c957f2dull, 40, 2);
	sp_dag(0x14057b7ef767814full, 40, 2);
	sp_loops();
	sp_helpers();
	sp_pointers();
	sp_callback();
	sp_tailcalls();
}
