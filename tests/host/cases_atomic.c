// SPDX-License-Identifier: GPL-2.0
/*
 * Atomics: BPF_STX | BPF_ATOMIC, W and DW, ADD/AND/OR/XOR with and without
 * BPF_FETCH, XCHG, CMPXCHG (equal, not equal, W equal in the low half only),
 * over operand magnitudes, offsets and register pairings (incl. R0 as base
 * or source for CMPXCHG, which also uses R0 implicitly). 7.2's
 * load-acquire and store-release, B, H and W (a 32-bit kernel's), every
 * register pairing; their images have the barrier.
 */
#include <stdio.h>
#include <stdlib.h>
#include "gen.h"

#define CTX_SIZE	16384
#define TARGETS		8192
#define SLOT_CTX	(-8)

struct atomic_op {
	const char *name;
	s32 op;
};

static const struct atomic_op aops[] = {
	{ "add", BPF_ADD }, { "and", BPF_AND }, { "or", BPF_OR },
	{ "xor", BPF_XOR }, { "fetch_add", BPF_ADD | BPF_FETCH },
	{ "fetch_and", BPF_AND | BPF_FETCH }, { "fetch_or", BPF_OR | BPF_FETCH },
	{ "fetch_xor", BPF_XOR | BPF_FETCH }, { "xchg", BPF_XCHG },
	{ "cmpxchg", BPF_CMPXCHG },
};

static const u64 avals[] = {
	0, 1, (u64)-1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
	0x8000000000000000ull, 0x0123456789abcdefull, 0xfedcba9800000001ull,
};

static const s16 aoffs[] = { 0, 8, -8, 16, 256, -256, 4096, -4096, 32760 };

static int other_reg(int a, int b, int c)
{
	int r = 9;

	while (r == a || r == b || r == c)
		r--;
	return r;
}

/*
 * One case: memory at ctx+t = m; R0 = r0; src = v; atomic op at
 * (base + off); then store src and R0 to out words k, k+1.
 */
static void emit_case(struct noted_prog *np, int sz, const struct atomic_op *o,
		      int base, int src, int off, int t, u64 m, u64 v, u64 r0,
		      int k)
{
	int tmp = other_reg(base, src, R0);
	int out;

	np_mark(np);
	PB(&np->pb, LDX_MEM(BPF_DW, tmp, R10, SLOT_CTX));
	pb_ld64(&np->pb, R0, m);
	PB(&np->pb, STX_MEM(BPF_DW, tmp, R0, t));
	if (o->op == BPF_CMPXCHG || src == R0 || base == R0)
		pb_ld64(&np->pb, R0, r0);
	if (src != base)
		pb_ld64(&np->pb, src, v);
	PB(&np->pb, LDX_MEM(BPF_DW, base, R10, SLOT_CTX),
	   ALU64_IMM(BPF_ADD, base, t - off));
	PB(&np->pb, ATOMIC_OP(sz, o->op, base, src, off));
	out = other_reg(src, R0, -1);
	PB(&np->pb, LDX_MEM(BPF_DW, out, R10, SLOT_CTX),
	   STX_MEM(BPF_DW, out, src, 16 * k),
	   STX_MEM(BPF_DW, out, R0, 16 * k + 8));
	np_note(np, 16 * k, 16,
		"atomic %s %s *(r%d %+d) r%d: mem 0x%llx src 0x%llx r0 0x%llx; words: src, r0",
		sz == BPF_DW ? "dw" : "w", o->name, base, off, src,
		(unsigned long long)m, (unsigned long long)v,
		(unsigned long long)r0);
	np_note(np, t, 8,
		"memory of atomic %s %s r%d %+d r%d: mem 0x%llx src 0x%llx r0 0x%llx",
		sz == BPF_DW ? "dw" : "w", o->name, base, off, src,
		(unsigned long long)m, (unsigned long long)v,
		(unsigned long long)r0);
}

static void atomic_family(int sz, const struct atomic_op *o)
{
	struct noted_prog np;
	char name[96];
	unsigned int i, j;
	int k = 0, t = TARGETS, base, src;
	bool cmpx = o->op == BPF_CMPXCHG;

	np_init(&np);
	PB(&np.pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	/* magnitudes x offsets, registers rotating */
	for (i = 0; i < ARRAY_SIZE(avals); i++) {
		for (j = 0; j < ARRAY_SIZE(avals); j++) {
			u64 m = avals[i], v = avals[j];
			int off = aoffs[k % ARRAY_SIZE(aoffs)];
			u64 r0 = m;

			base = 1 + k % 9;
			src = 1 + (k / 9 + base) % 9;
			if (src == base)
				src = 1 + src % 9;
			if (cmpx)	/* equal, not equal, equal low half only */
				r0 = (k % 3 == 0) ? m : (k % 3 == 1) ? m ^ 0x10 :
				     m ^ 0x100000000ull;
			emit_case(&np, sz, o, base, src, off, t, m, v, r0, k);
			t += 8;
			k++;
		}
	}
	/* every base/src pair (src != base), R0 included */
	for (base = 0; base <= 9; base++) {
		for (src = 0; src <= 9; src++) {
			u64 m = 0x0f0f0f0ff0f0f0f0ull, v = 0x1111111180000001ull;

			if (src == base)
				continue;
			emit_case(&np, sz, o, base, src, (k & 1) ? -16 : 24, t, m, v,
				  (k & 2) ? m : v, k);
			t += 8;
			k++;
		}
	}
	PB(&np.pb, MOV64_IMM(R0, 1), EXIT());
	snprintf(name, sizeof(name), "atomic %s %s", sz == BPF_DW ? "dw" : "w",
		 o->name);
	np_run(&np, name, NULL, CTX_SIZE, 16, 0);
	np_free(&np);
}

/*
 * Load-acquire (dst = *(src + off), zero-extended) or store-release
 * (*(dst + off) = src): every dst/src pair of R0-R9 (the same register
 * too for a load), memory and operand magnitudes rotating, each loaded
 * value and each register stored out.
 */
static void acq_rel_family(int sz, bool load)
{
	static const char *const szname[] = { "w", "h", "b", "dw" };
	struct noted_prog np;
	char name[96];
	int k = 0, t = TARGETS, a, b;

	np_init(&np);
	PB(&np.pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	for (a = 0; a <= 9; a++) {
		for (b = 0; b <= 9; b++) {
			u64 m = avals[k % ARRAY_SIZE(avals)];
			u64 v = avals[(k / 3 + 4) % ARRAY_SIZE(avals)];
			int off = aoffs[k % ARRAY_SIZE(aoffs)];
			int tmp = other_reg(a, b, -1), out;

			if (a == b && !load)
				continue;
			np_mark(&np);
			/* memory m at t, b the base, a (the value) v */
			PB(&np.pb, LDX_MEM(BPF_DW, tmp, R10, SLOT_CTX));
			pb_ld64(&np.pb, a, m);
			PB(&np.pb, STX_MEM(BPF_DW, tmp, a, t));
			pb_ld64(&np.pb, a, v);
			PB(&np.pb, LDX_MEM(BPF_DW, b, R10, SLOT_CTX),
			   ALU64_IMM(BPF_ADD, b, t - off));
			if (load)
				PB(&np.pb, ATOMIC_OP(sz, BPF_LOAD_ACQ, a, b, off));
			else
				PB(&np.pb, ATOMIC_OP(sz, BPF_STORE_REL, b, a, off));
			out = other_reg(a, -1, -1);
			PB(&np.pb, LDX_MEM(BPF_DW, out, R10, SLOT_CTX),
			   STX_MEM(BPF_DW, out, a, 16 * k));
			np_note(&np, 16 * k, 8,
				"%s %s r%d, *(r%d %+d): mem 0x%llx value 0x%llx",
				load ? "load-acquire" : "store-release",
				szname[sz >> 3], a, b, off,
				(unsigned long long)m, (unsigned long long)v);
			np_note(&np, t, 8, "memory of %s r%d, r%d %+d",
				load ? "load-acquire" : "store-release", a, b,
				off);
			t += 8;
			k++;
		}
	}
	PB(&np.pb, MOV64_IMM(R0, 1), EXIT());
	snprintf(name, sizeof(name), "%s %s, every register pair",
		 load ? "load-acquire" : "store-release", szname[sz >> 3]);
	np_run(&np, name, NULL, CTX_SIZE, 16, 0);
	np_free(&np);
}

static const struct static_case atomic_static[] = {
	{
		"load-acquire w from the stack into r0, after a jump",
		{ MOV64_IMM(R2, 42), STX_MEM(BPF_W, R10, R2, -8), JA(0),
		  ATOMIC_OP(BPF_W, BPF_LOAD_ACQ, R0, R10, -8), EXIT() },
		.expect_r0 = 42, .flags = F_EXPECT_R0,
	},
	{
		"store-release h to the stack, read back as w",
		{ LD_IMM64(R2, 0x1234567887654321ull),
		  STX_MEM(BPF_DW, R10, R2, -8), MOV64_IMM(R3, -2),
		  ATOMIC_OP(BPF_H, BPF_STORE_REL, R10, R3, -8),
		  LDX_MEM(BPF_W, R0, R10, -8), EXIT() },
		.expect_r0 = 0x8765fffe, .flags = F_EXPECT_R0,
	},
	{
		"atomic counter loop: 100 x fetch_add dw on stack",
		{
			ST_MEM(BPF_DW, R10, -8, 0),
			MOV64_IMM(R6, 0),
			MOV64_IMM(R7, 0),
			MOV64_IMM(R2, 3),
			ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, R10, R2, -8),
			ALU64_REG(BPF_ADD, R7, R2),
			ALU64_IMM(BPF_ADD, R6, 1),
			JMP_IMM(BPF_JLT, R6, 100, -5),
			LDX_MEM(BPF_DW, R0, R10, -8),
			ALU64_IMM(BPF_LSH, R0, 32),
			ALU64_REG(BPF_ADD, R0, R7),
			EXIT(),
		},
		.expect_r0 = (300ull << 32) + 3 * 4950, .flags = F_EXPECT_R0,
	},
	{
		"cmpxchg w: r0 high half ignored in compare, result zero-extended",
		{
			ST_MEM(BPF_W, R10, -4, -5),
			LD_IMM64(R0, 0x12345678fffffffbull),
			MOV64_IMM(R3, 77),
			ATOMIC_OP(BPF_W, BPF_CMPXCHG, R10, R3, -4),
			LDX_MEM(BPF_W, R4, R10, -4),
			ALU64_IMM(BPF_LSH, R4, 32),
			ALU64_REG(BPF_OR, R0, R4),
			EXIT(),
		},
		.expect_r0 = (77ull << 32) | 0xfffffffbull, .flags = F_EXPECT_R0,
	},
};

void cases_atomic(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(aops); i++) {
		atomic_family(BPF_DW, &aops[i]);
		atomic_family(BPF_W, &aops[i]);
	}
	for (i = 0; i < ARRAY_SIZE(atomic_static); i++)
		run_static(&atomic_static[i]);
	for (i = 0; i < 3; i++) {
		static const int sz[] = { BPF_B, BPF_H, BPF_W };

		acq_rel_family(sz[i], true);
		acq_rel_family(sz[i], false);
	}
}
