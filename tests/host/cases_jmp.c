// SPDX-License-Identifier: GPL-2.0
/*
 * Branches: every JMP and JMP32 condition, K and X, over values around the
 * boundaries (equal, +-1, sign boundary, high halves differing), taken and
 * not taken, every register pairing; loops (backward branches), JA.
 */
#include <stdio.h>
#include "gen.h"

struct jmp_op {
	const char *name;
	u8 op;
};

static const struct jmp_op conds[] = {
	{ "jeq", BPF_JEQ }, { "jne", BPF_JNE }, { "jgt", BPF_JGT },
	{ "jge", BPF_JGE }, { "jlt", BPF_JLT }, { "jle", BPF_JLE },
	{ "jset", BPF_JSET }, { "jsgt", BPF_JSGT }, { "jsge", BPF_JSGE },
	{ "jslt", BPF_JSLT }, { "jsle", BPF_JSLE },
};

static const u64 bounds[] = {
	0, 1, (u64)-1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
	0x100000001ull, 0x1ffffffffull, 0x7fffffffffffffffull,
	0x8000000000000000ull, 0xffffffff00000000ull, 0x0000000500000005ull,
	0x0000000600000005ull, 0x0000000500000006ull, 0xfffffffe7fffffffull,
	0x80000000ffffffffull,
};

static const s32 jimms[] = {
	0, 1, -1, 2, -2, 0x7fffffff, (s32)0x80000000, 0x7ffffffe,
	(s32)0x80000001, 5, 6, 0x100, -0x100,
};

/* Body: branch on the condition; dst += 0x1000 if not taken, 0x2000 if taken. */
static void jmp_body(struct gen_block *b, bool is32, u8 op, bool x, s32 imm)
{
	u8 code = (is32 ? BPF_JMP32 : BPF_JMP) | op | (x ? BPF_X : BPF_K);

	gen_body(b, INSN(code, b->dst, x ? b->src : 0, 2, x ? 0 : imm));
	gen_body(b, ALU64_IMM(BPF_ADD, b->dst, 0x1000));
	gen_body(b, JA(1));
	gen_body(b, ALU64_IMM(BPF_ADD, b->dst, 0x2000));
}

static void jmp_family(bool is32, const struct jmp_op *o, bool x)
{
	const char *cls = is32 ? "jmp32" : "jmp";
	struct gen_prog g;
	char name[96];
	unsigned int i, j, k;
	int d, s;
	static const int pairs[][2] = { { R1, R2 }, { R0, R9 }, { R7, R6 } };

	for (k = 0; k < ARRAY_SIZE(pairs); k++) {
		d = pairs[k][0];
		s = pairs[k][1];
		gen_init(&g, GEN_VALUES);
		for (i = 0; i < ARRAY_SIZE(bounds); i++) {
			if (x) {
				for (j = 0; j < ARRAY_SIZE(bounds); j++)
					jmp_body(gen_add(&g, d, s, bounds[i], bounds[j]),
						 is32, o->op, true, 0);
				/* +-1 around each value */
				jmp_body(gen_add(&g, d, s, bounds[i], bounds[i] + 1),
					 is32, o->op, true, 0);
				jmp_body(gen_add(&g, d, s, bounds[i], bounds[i] - 1),
					 is32, o->op, true, 0);
				continue;
			}
			for (j = 0; j < ARRAY_SIZE(jimms); j++) {
				jmp_body(gen_add(&g, d, -1, bounds[i], (u32)jimms[j]),
					 is32, o->op, false, jimms[j]);
			}
			/* imm = value, value +- 1 */
			for (j = 0; j < 3; j++) {
				s32 imm = (s32)bounds[i] + (s32)j - 1;

				jmp_body(gen_add(&g, d, -1, bounds[i], (u32)imm),
					 is32, o->op, false, imm);
			}
		}
		if (x)
			snprintf(name, sizeof(name), "%s_%s_x values dst=r%d src=r%d",
				 cls, o->name, d, s);
		else
			snprintf(name, sizeof(name), "%s_%s_k values dst=r%d",
				 cls, o->name, d);
		gen_run(&g, name);
		gen_free(&g);
	}

	gen_init(&g, GEN_ALLREGS);
	for (d = 0; d <= 9; d++) {
		for (s = 0; s <= 9; s++) {
			if (!x && s)
				continue;
			if (x) {
				jmp_body(gen_add(&g, d, s, 0x0000000180000000ull,
						 0x0000000280000000ull), is32, o->op, true, 0);
				jmp_body(gen_add(&g, d, s, 0xffffffff00000003ull,
						 0x0000000000000004ull), is32, o->op, true, 0);
			} else {
				jmp_body(gen_add(&g, d, -1, 0x0000000180000000ull, 0),
					 is32, o->op, false, (s32)0x80000000);
				jmp_body(gen_add(&g, d, -1, 0xffffffff00000003ull, 0),
					 is32, o->op, false, 4);
			}
		}
	}
	snprintf(name, sizeof(name), "%s_%s_%s all register pairs", cls, o->name,
		 x ? "x" : "k");
	gen_run(&g, name);
	gen_free(&g);
}

static const struct static_case jmp_static[] = {
	{
		"gotol (jmp32 ja, cpuv4): forward, 0, backward, over exit",
		{
			MOV64_IMM(R0, 1),
			GOTOL(0),
			GOTOL(3),			/* 2 */
			ALU64_IMM(BPF_ADD, R0, 100),	/* 3 */
			JMP_IMM(BPF_JGT, R0, 50, 3),
			EXIT(),
			ALU64_IMM(BPF_ADD, R0, 10),	/* 6 */
			GOTOL(-5),
			EXIT(),				/* 8 */
		},
		.expect_r0 = 111, .flags = F_EXPECT_R0,
	},
	{
		"ja forward, ja 0, ja over exit",
		{
			MOV64_IMM(R0, 1),
			JA(0),
			JA(2),
			MOV64_IMM(R0, 2),
			EXIT(),
			ALU64_IMM(BPF_ADD, R0, 10),
			EXIT(),
		},
		.expect_r0 = 11, .flags = F_EXPECT_R0,
	},
	{
		"ja backward (loop with ja, exit via jeq)",
		{
			MOV64_IMM(R0, 0),
			MOV64_IMM(R2, 0),
			JMP_IMM(BPF_JEQ, R2, 100, 3),	/* top */
			ALU64_IMM(BPF_ADD, R0, 3),
			ALU64_IMM(BPF_ADD, R2, 1),
			JA(-4),
			EXIT(),
		},
		.expect_r0 = 300, .flags = F_EXPECT_R0,
	},
	{
		"loop: sum 1..1000 with jle backward",
		{
			MOV64_IMM(R0, 0),
			MOV64_IMM(R3, 1),
			ALU64_REG(BPF_ADD, R0, R3),
			ALU64_IMM(BPF_ADD, R3, 1),
			JMP_IMM(BPF_JLE, R3, 1000, -3),
			EXIT(),
		},
		.expect_r0 = 500500, .flags = F_EXPECT_R0,
	},
	{
		"loop: jmp32 jne backward on low half, high half counts",
		{
			LD_IMM64(R6, 0x00000000fffffff0ull),
			MOV64_IMM(R0, 0),
			ALU64_IMM(BPF_ADD, R6, 1),
			ALU64_IMM(BPF_ADD, R0, 1),
			JMP32_IMM(BPF_JNE, R6, 0x10, -3),
			ALU64_IMM(BPF_LSH, R0, 8),
			ALU64_REG(BPF_ADD, R0, R6),
			EXIT(),
		},
		.expect_r0 = (32ull << 8) + 0x100000010ull, .flags = F_EXPECT_R0,
	},
	{
		"loop: signed countdown jsgt through zero",
		{
			MOV64_IMM(R0, 0),
			MOV64_IMM(R7, 5),
			ALU64_IMM(BPF_ADD, R0, 1),
			ALU64_IMM(BPF_SUB, R7, 1),
			JMP_IMM(BPF_JSGT, R7, -5, -3),
			EXIT(),
		},
		.expect_r0 = 10, .flags = F_EXPECT_R0,
	},
	{
		"nested loops 20x30 with stacked registers",
		{
			MOV64_IMM(R0, 0),
			MOV64_IMM(R8, 0),
			MOV64_IMM(R9, 0),			/* outer */
			ALU64_REG(BPF_ADD, R0, R9),		/* inner */
			ALU64_REG(BPF_ADD, R0, R8),
			ALU64_IMM(BPF_ADD, R9, 1),
			JMP_IMM(BPF_JLT, R9, 30, -4),
			ALU64_IMM(BPF_ADD, R8, 1),
			JMP_IMM(BPF_JNE, R8, 20, -7),
			EXIT(),
		},
		.expect_r0 = 20 * 435 + 30 * 190, .flags = F_EXPECT_R0,
	},
	{
		"jeq x backward between two registers",
		{
			MOV64_IMM(R0, 0),
			MOV64_IMM(R4, 0),
			MOV64_IMM(R5, 7),
			ALU64_IMM(BPF_ADD, R0, 2),
			ALU64_IMM(BPF_ADD, R4, 1),
			JMP_REG(BPF_JNE, R4, R5, -3),
			JMP_REG(BPF_JEQ, R4, R5, 1),
			MOV64_IMM(R0, -1),
			EXIT(),
		},
		.expect_r0 = 14, .flags = F_EXPECT_R0,
	},
	{
		"conditional jump with offset 0 (both paths same)",
		{
			MOV64_IMM(R0, 4),
			JMP_IMM(BPF_JEQ, R0, 4, 0),
			JMP_IMM(BPF_JNE, R0, 4, 0),
			JMP32_IMM(BPF_JEQ, R0, 4, 0),
			ALU64_IMM(BPF_ADD, R0, 1),
			EXIT(),
		},
		.expect_r0 = 5, .flags = F_EXPECT_R0,
	},
	{
		"jset k with high-bit immediate (sign-extended to 64)",
		{
			LD_IMM64(R1, 0x8000000000000000ull),
			MOV64_IMM(R0, 0),
			JMP_IMM(BPF_JSET, R1, (s32)0x80000000, 1),
			EXIT(),
			MOV64_IMM(R0, 1),
			JMP32_IMM(BPF_JSET, R1, (s32)0x80000000, 1),
			ALU64_IMM(BPF_ADD, R0, 2),
			EXIT(),
		},
		.expect_r0 = 3, .flags = F_EXPECT_R0,
	},
	{
		"exit from inside a loop (jeq to exit backward target)",
		{
			MOV64_IMM(R0, 0),
			JA(2),
			EXIT(),				/* 2 */
			EXIT(),
			ALU64_IMM(BPF_ADD, R0, 1),	/* 4 */
			JMP_IMM(BPF_JEQ, R0, 9, -4),
			JA(-3),
		},
		.expect_r0 = 9, .flags = F_EXPECT_R0,
	},
};

/*
 * gotol beyond the s16 reach of JA: over n filler insns, forward, then
 * backward into them once more.
 */
static void gotol_long(int n, const char *name)
{
	struct prog_buf pb;
	int i;

	pb_init(&pb);
	PB(&pb, MOV64_IMM(R0, 0),
	   MOV64_IMM(R6, 0),
	   GOTOL(n));
	for (i = 0; i < n; i++)
		PB(&pb, i & 1 ? ALU64_IMM(BPF_ADD, R0, 1) : ALU32_IMM(BPF_ADD, R0, 2));
	PB(&pb, ALU64_IMM(BPF_ADD, R6, 1),
	   JMP_IMM(BPF_JGT, R6, 1, 1),
	   GOTOL(-(n + 3)),
	   ALU64_IMM(BPF_LSH, R6, 32),
	   ALU64_REG(BPF_OR, R0, R6),
	   EXIT());
	run_pb(name, &pb, 0);
	pb_free(&pb);
}

void cases_jmp(void)
{
	unsigned int i;
	int is32, x;

	for (is32 = 0; is32 <= 1; is32++)
		for (i = 0; i < ARRAY_SIZE(conds); i++)
			for (x = 1; x >= 0; x--)
				jmp_family(is32, &conds[i], x);
	/* K forms after constant blinding: compare with BPF_REG_AX */
	gen_extra_flags = F_BLIND;
	for (is32 = 0; is32 <= 1; is32++)
		for (i = 0; i < ARRAY_SIZE(conds); i++)
			jmp_family(is32, &conds[i], false);
	gen_extra_flags = 0;
	for (i = 0; i < ARRAY_SIZE(jmp_static); i++)
		run_static(&jmp_static[i]);
	gotol_long(40000, "gotol over 40000 insns, forward and backward (cpuv4)");
}
