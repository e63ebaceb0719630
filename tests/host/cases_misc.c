// SPDX-License-Identifier: GPL-2.0
/*
 * LD_IMM64 into every register, large programs with long branches, random
 * programs (fixed seed), and real-looking programs: checksums, hashes,
 * sorting, CRC, header parsing.
 */
#include <stdio.h>
#include <stdlib.h>
#include "gen.h"

#define SLOT_CTX	(-8)

static u64 h_rand_mix(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return (a ^ (b >> 3)) + c * 0x9e3779b97f4a7c15ull - (d << 7) + e;
}

static void ld_imm64_all(void)
{
	struct gen_prog g;
	int d, i;

	gen_init(&g, GEN_ALLREGS);
	for (d = 0; d <= 9; d++)
		for (i = 0; i < gen_nr_vals64; i += 3)
			gen_add(&g, d, -1, gen_vals64[(i + d) % gen_nr_vals64], 0);
	gen_run(&g, "ld_imm64 every register x magnitudes");
	gen_free(&g);
	gen_init(&g, GEN_VALUES);
	for (i = 0; i < gen_nr_vals64; i++)
		gen_add(&g, R7, -1, gen_vals64[i], 0);
	gen_run(&g, "ld_imm64 all magnitudes in r7");
	gen_free(&g);
}

/* Forward branch over @n filler insns, then a backward loop over them. */
static void long_branches(int n, const char *name, u32 flags)
{
	struct prog_buf pb;
	int i;

	pb_init(&pb);
	PB(&pb, MOV64_IMM(R0, 1),
	   MOV64_IMM(R6, 0),
	   MOV64_IMM(R7, 0),
	   /* skip the filler once, forward */
	   JMP_IMM(BPF_JEQ, R6, 0, n + 1));
	/* filler: R7 += i-ish, alternating 32/64-bit ops on stacked regs */
	for (i = 0; i < n; i++) {
		if (i % 3 == 0)
			PB(&pb, ALU64_IMM(BPF_ADD, R7, i & 0xff));
		else if (i % 3 == 1)
			PB(&pb, ALU64_IMM(BPF_XOR, R8 + (i & 1), i));
		else
			PB(&pb, ALU32_IMM(BPF_ADD, R0, 1));
	}
	PB(&pb, JA(2));
	/* landing: loop back into the filler 3 times */
	PB(&pb, ALU64_IMM(BPF_ADD, R6, 1),
	   JA(-(n + 3)));
	/* after filler when R6 > 0: jump to landing if R6 < 4 */
	PB(&pb, JMP_IMM(BPF_JEQ, R6, 0, -3),
	   JMP_IMM(BPF_JLT, R6, 3, -4),
	   ALU64_IMM(BPF_LSH, R7, 20),
	   ALU64_REG(BPF_ADD, R0, R7),
	   EXIT());
	run_pb(name, &pb, flags);
	pb_free(&pb);
}

static int rnd(int n)
{
	return (int)(rnd64() % (u64)n);
}

static int rnd_reg(void)
{
	static const int r[] = { R0, R2, R3, R4, R5, R6, R7, R8, R9 };

	return r[rnd(ARRAY_SIZE(r))];
}

static u64 rnd_val(void)
{
	switch (rnd(4)) {
	case 0: return gen_vals64[rnd(gen_nr_vals64)];
	case 1: return rnd64() & 0xffff;
	default: return rnd64();
	}
}

/* Is insn @i the second half of an LD_IMM64? (scan from the start) */
static bool is_ld_second(const struct bpf_insn *insns, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (insns[j].code == (BPF_LD | BPF_IMM | BPF_DW) && ++j == i)
			return true;
	return false;
}

/*
 * Random loop-free program: R1 stays the ctx pointer (reloaded after
 * calls), R10 is never read as a value. Ends by storing R0, R2-R9.
 */
static void random_prog(int nr, int len, u32 flags)
{
	static const u8 aluops[] = {
		BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH,
		BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH, BPF_END,
	};
	static const u8 jops[] = {
		BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE,
		BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE,
	};
	static const u8 szs[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
	static const s32 aops[] = {
		BPF_ADD, BPF_AND, BPF_OR, BPF_XOR, BPF_ADD | BPF_FETCH,
		BPF_AND | BPF_FETCH, BPF_OR | BPF_FETCH, BPF_XOR | BPF_FETCH,
		BPF_XCHG, BPF_CMPXCHG,
	};
	struct prog_buf pb;
	struct test_case t;
	char name[64];
	u8 ctx[512];
	int i, r, end;

	for (i = 0; i < (int)sizeof(ctx); i++)
		ctx[i] = (u8)rnd64();
	pb_init(&pb);
	PB(&pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	for (i = 2; i <= 8; i++)
		PB(&pb, ST_MEM(BPF_DW, R10, -8 * i, (s32)rnd64()));
	PB(&pb, MOV64_IMM(R0, 0));
	for (r = 2; r <= 9; r++)
		pb_ld64(&pb, r, rnd_val());
	end = pb.len + len;
	while (pb.len < end) {
		int k = rnd(100), d = rnd_reg(), s = rnd_reg();
		bool is64 = rnd(2);
		u8 op;

		if (k < 45) {
			op = aluops[rnd(ARRAY_SIZE(aluops))];
			if (op == BPF_END) {
				static const int lens[] = { 16, 32, 64 };

				PB(&pb, ENDIAN(rnd(2) ? BPF_TO_BE : BPF_TO_LE, d,
					       lens[rnd(3)]));
			} else if (op == BPF_NEG) {
				PB(&pb, INSN((is64 ? BPF_ALU64 : BPF_ALU) | BPF_NEG,
					     d, 0, 0, 0));
			} else if (rnd(2)) {
				PB(&pb, INSN((is64 ? BPF_ALU64 : BPF_ALU) | op | BPF_X,
					     d, s, 0, 0));
			} else {
				s32 imm = (s32)rnd_val();

				if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
					imm = rnd(is64 ? 64 : 32);
				if ((op == BPF_DIV || op == BPF_MOD) && !imm)
					imm = 7;
				PB(&pb, INSN((is64 ? BPF_ALU64 : BPF_ALU) | op | BPF_K,
					     d, 0, 0, imm));
			}
		} else if (k < 50) {
			pb_ld64(&pb, d, rnd_val());
		} else if (k < 62) {
			u8 cls = rnd(2) ? BPF_JMP : BPF_JMP32;
			int off = rnd(4) ? rnd(12) : rnd(end - pb.len + 1);

			if (pb.len + 1 + off > end)
				off = end - pb.len - 1;
			if (off < 0)
				off = 0;
			op = jops[rnd(ARRAY_SIZE(jops))];
			if (rnd(2))
				PB(&pb, INSN(cls | op | BPF_X, d, s, off, 0));
			else
				PB(&pb, INSN(cls | op | BPF_K, d, 0, off, (s32)rnd_val()));
		} else if (k < 70) {
			int sz = szs[rnd(4)];

			int off = 8 * rnd(60) + (sz == BPF_B ? rnd(8) : sz == BPF_H ? 2 * rnd(4) :
						    sz == BPF_W ? 4 * rnd(2) : 0);

			PB(&pb, LDX_MEM(sz, d, R1, off));
		} else if (k < 78) {
			int sz = szs[rnd(4)];
			int off = 8 * rnd(60) + (sz == BPF_B ? rnd(8) : sz == BPF_H ? 2 * rnd(4) :
						    sz == BPF_W ? 4 * rnd(2) : 0);

			if (rnd(3))
				PB(&pb, STX_MEM(sz, R1, s, off));
			else
				PB(&pb, ST_MEM(sz, R1, off, (s32)rnd_val()));
		} else if (k < 86) {
			int sz = szs[rnd(4)];
			int off = -8 * (2 + rnd(7)) + (sz == BPF_B ? rnd(8) :
						       sz == BPF_H ? 2 * rnd(4) :
						       sz == BPF_W ? 4 * rnd(2) : 0);

			if (rnd(2))
				PB(&pb, STX_MEM(sz, R10, s, off));
			else
				PB(&pb, LDX_MEM(sz, d, R10, off));
		} else if (k < 94) {
			s32 aop = aops[rnd(ARRAY_SIZE(aops))];
			int sz = rnd(2) ? BPF_DW : BPF_W;

			PB(&pb, ATOMIC_OP(sz, aop, R1, s,
					  8 * rnd(60) + (sz == BPF_W ? 4 * rnd(2) : 0)));
		} else {
			for (r = 1; r <= 5; r++)
				if (r != 1)
					PB(&pb, MOV64_REG(r, rnd_reg()));
			PB(&pb, CALL_IMM(helper_imm(h_rand_mix)),
			   LDX_MEM(BPF_DW, R1, R10, SLOT_CTX));
			for (r = 2; r <= 5; r++)
				pb_ld64(&pb, r, rnd_val());
		}
	}
	/* no branch may land on the second half of an LD_IMM64 */
	for (i = 0; i < pb.len; i++) {
		u8 c = pb.insns[i].code;

		if (c == (BPF_LD | BPF_IMM | BPF_DW)) {
			i++;
			continue;
		}
		if ((BPF_CLASS(c) == BPF_JMP || BPF_CLASS(c) == BPF_JMP32) &&
		    BPF_OP(c) != BPF_CALL && BPF_OP(c) != BPF_EXIT) {
			int tgt = i + 1 + pb.insns[i].off;

			if (tgt > 0 && tgt < pb.len &&
			    pb.insns[tgt - 1].code == (BPF_LD | BPF_IMM | BPF_DW) &&
			    is_ld_second(pb.insns, tgt))
				pb.insns[i].off++;
		}
	}
	for (r = 0; r <= 9; r++)
		if (r != 1)
			PB(&pb, STX_MEM(BPF_DW, R1, r, 480 - 8 * r + (r > 1 ? 8 : 0)));
	PB(&pb, EXIT());
	snprintf(name, sizeof(name), "random program %d (%d insns)%s", nr, pb.len,
		 flags & F_ZEXT_INSERT ? " [verifier_zext]" :
		 flags & F_BLIND ? " [blinded]" : "");
	memset(&t, 0, sizeof(t));
	t.name = name;
	t.insns = pb.insns;
	t.len = pb.len;
	t.ctx = ctx;
	t.ctx_size = sizeof(ctx);
	t.stack_depth = 64;
	t.flags = flags;
	run_test(&t);
	pb_free(&pb);
}

static const struct static_case real_progs[] = {
	{
		"real: internet checksum of 64 bytes (be16 loads, fold carries)",
		{
			MOV64_IMM(R0, 0),
			MOV64_IMM(R2, 0),
			MOV64_REG(R3, R1),		/* loop */
			ALU64_REG(BPF_ADD, R3, R2),
			LDX_MEM(BPF_H, R4, R3, 0),
			ENDIAN(BPF_TO_BE, R4, 16),
			ALU64_REG(BPF_ADD, R0, R4),
			ALU64_IMM(BPF_ADD, R2, 2),
			JMP_IMM(BPF_JLT, R2, 64, -7),
			MOV64_REG(R4, R0),		/* fold */
			ALU64_IMM(BPF_RSH, R4, 16),
			ALU64_IMM(BPF_AND, R0, 0xffff),
			ALU64_REG(BPF_ADD, R0, R4),
			MOV64_REG(R4, R0),
			ALU64_IMM(BPF_RSH, R4, 16),
			JMP_IMM(BPF_JNE, R4, 0, -6),
			ALU32_IMM(BPF_XOR, R0, 0xffff),
			EXIT(),
		},
		.data = { 0x45, 0x00, 0x00, 0x54, 0xab, 0xcd, 0x40, 0x00, 0x40,
			  0x01, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8,
			  0x00, 0xc7, 0xff, 0xff, 0xfe, 0xfe, [40 ... 63] = 0xf1 },
	},
	{
		"real: fnv-1a 64-bit hash of 64 bytes",
		{
			LD_IMM64(R0, 0xcbf29ce484222325ull),
			LD_IMM64(R5, 0x100000001b3ull),
			MOV64_IMM(R2, 0),
			MOV64_REG(R3, R1),
			ALU64_REG(BPF_ADD, R3, R2),
			LDX_MEM(BPF_B, R4, R3, 0),
			ALU64_REG(BPF_XOR, R0, R4),
			ALU64_REG(BPF_MUL, R0, R5),
			ALU64_IMM(BPF_ADD, R2, 1),
			JMP_IMM(BPF_JNE, R2, 64, -7),
			EXIT(),
		},
		.data = "The quick brown fox jumps over the lazy dog, 0123456789!",
	},
	{
		"real: bubble sort 16 u32 in ctx, return checksum of order",
		{
			MOV64_IMM(R6, 0),			/* i */
			MOV64_IMM(R7, 0),			/* j */
			MOV64_REG(R8, R1),
			ALU64_REG(BPF_ADD, R8, R7),
			LDX_MEM(BPF_W, R2, R8, 0),
			LDX_MEM(BPF_W, R3, R8, 4),
			JMP_REG(BPF_JLE, R2, R3, 2),
			STX_MEM(BPF_W, R8, R3, 0),
			STX_MEM(BPF_W, R8, R2, 4),
			ALU64_IMM(BPF_ADD, R7, 4),
			JMP_IMM(BPF_JLT, R7, 60, -9),
			ALU64_IMM(BPF_ADD, R6, 1),
			JMP_IMM(BPF_JLT, R6, 16, -12),
			MOV64_IMM(R0, 0),			/* R0 = sum w[i] * (i+1) */
			MOV64_IMM(R7, 0),
			MOV64_IMM(R6, 1),
			MOV64_REG(R8, R1),
			ALU64_REG(BPF_ADD, R8, R7),
			LDX_MEM(BPF_W, R2, R8, 0),
			ALU64_REG(BPF_MUL, R2, R6),
			ALU64_REG(BPF_ADD, R0, R2),
			ALU64_IMM(BPF_ADD, R6, 1),
			ALU64_IMM(BPF_ADD, R7, 4),
			JMP_IMM(BPF_JLT, R7, 64, -8),
			EXIT(),
		},
		.data = { 0x10, 0x32, 0x54, 0x76, 0xff, 0xff, 0xff, 0xff,
			  1, 0, 0, 0, 0, 0, 0, 0x80, 9, 9, 9, 9, 3, 0, 0, 0,
			  0x7f, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0x55, 0x55, 0, 0,
			  0, 0, 0, 0, 7, 7, 7, 0, 0xaa, 0, 0xaa, 0, 1, 2, 3, 4,
			  5, 6, 7, 8, 0xfe, 0xff, 0xff, 0xff, 0x11, 0, 0, 0 },
	},
	{
		"real: crc32 (bitwise, reflected) of 32 bytes",
		{
			MOV32_IMM(R0, -1),
			MOV64_IMM(R2, 0),
			LD_IMM64(R6, 0xedb88320),
			MOV64_REG(R3, R1),		/* byte loop */
			ALU64_REG(BPF_ADD, R3, R2),
			LDX_MEM(BPF_B, R4, R3, 0),
			ALU32_REG(BPF_XOR, R0, R4),
			MOV64_IMM(R5, 8),
			MOV32_REG(R7, R0),		/* bit loop */
			ALU32_IMM(BPF_RSH, R0, 1),
			JMP32_IMM(BPF_JSET, R7, 1, 1),
			JA(1),
			ALU32_REG(BPF_XOR, R0, R6),
			ALU64_IMM(BPF_SUB, R5, 1),
			JMP_IMM(BPF_JNE, R5, 0, -7),
			ALU64_IMM(BPF_ADD, R2, 1),
			JMP_IMM(BPF_JLT, R2, 32, -14),
			ALU32_IMM(BPF_XOR, R0, -1),
			EXIT(),
		},
		.data = "123456789abcdefghijklmnopqrstuvw",
	},
	{
		"real: fibonacci 90 (64-bit adds crossing 32 bits)",
		{
			MOV64_IMM(R0, 0),
			MOV64_IMM(R6, 1),
			MOV64_IMM(R9, 0),
			MOV64_REG(R7, R0),
			ALU64_REG(BPF_ADD, R7, R6),
			MOV64_REG(R0, R6),
			MOV64_REG(R6, R7),
			ALU64_IMM(BPF_ADD, R9, 1),
			JMP_IMM(BPF_JLT, R9, 90, -6),
			EXIT(),
		},
		.expect_r0 = 2880067194370816120ull, .flags = F_EXPECT_R0,
	},
	{
		"real: gcd by 64-bit mod loop",
		{
			LD_IMM64(R6, 0x1b69b4ba630f34e6ull),	/* 2 * 3^? mix */
			LD_IMM64(R7, 0x0000fa0de7d5e1b2ull),
			JMP_IMM(BPF_JEQ, R7, 0, 5),
			MOV64_REG(R8, R6),
			ALU64_REG(BPF_MOD, R8, R7),
			MOV64_REG(R6, R7),
			MOV64_REG(R7, R8),
			JA(-6),
			MOV64_REG(R0, R6),
			EXIT(),
		},
	},
	{
		"real: gcd by 32-bit mod and 64-bit div mix",
		{
			MOV32_IMM(R6, 1071 * 4096),
			MOV32_IMM(R7, 462 * 4096),
			JMP32_IMM(BPF_JEQ, R7, 0, 5),
			MOV32_REG(R8, R6),
			ALU32_REG(BPF_MOD, R8, R7),
			MOV32_REG(R6, R7),
			MOV32_REG(R7, R8),
			JA(-6),
			LD_IMM64(R0, 0x7fffffffffffffffull),
			ALU64_REG(BPF_DIV, R0, R6),
			ALU64_IMM(BPF_DIV, R0, 3),
			EXIT(),
		},
	},
	{
		"real: parse eth/ipv4/udp header, return dst port and proto",
		{
			LDX_MEM(BPF_H, R2, R1, 12),		/* h_proto */
			ENDIAN(BPF_TO_BE, R2, 16),
			MOV64_IMM(R0, 0),
			JMP_IMM(BPF_JNE, R2, 0x0800, 14),
			LDX_MEM(BPF_B, R3, R1, 14),		/* ver/ihl */
			ALU32_IMM(BPF_AND, R3, 0xf),
			ALU32_IMM(BPF_LSH, R3, 2),
			LDX_MEM(BPF_B, R4, R1, 23),		/* protocol */
			JMP_IMM(BPF_JNE, R4, 17, 9),
			MOV64_REG(R5, R1),
			ALU64_REG(BPF_ADD, R5, R3),
			LDX_MEM(BPF_H, R0, R5, 14 + 2),	/* udp dest */
			ENDIAN(BPF_TO_BE, R0, 16),
			LDX_MEM(BPF_W, R6, R1, 14 + 16),	/* daddr */
			ENDIAN(BPF_TO_BE, R6, 32),
			ALU64_IMM(BPF_LSH, R6, 16),
			ALU64_REG(BPF_OR, R0, R6),
			ALU64_IMM(BPF_LSH, R4, 56),
			ALU64_REG(BPF_OR, R0, R4),
			EXIT(),
		},
		.data = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
			  0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1,
			  192, 168, 1, 200, 0x30, 0x39, 0x01, 0xbb, 0, 20, 0, 0 },
		.expect_r0 = (17ull << 56) | (0xc0a801c8ull << 16) | 443,
		.flags = F_EXPECT_R0,
	},
	{
		"real: popcount 64 by shifts and masks",
		{
			LD_IMM64(R0, 0xf0f0123456789abcull),
			LD_IMM64(R2, 0x5555555555555555ull),
			LD_IMM64(R3, 0x3333333333333333ull),
			LD_IMM64(R4, 0x0f0f0f0f0f0f0f0full),
			LD_IMM64(R5, 0x0101010101010101ull),
			MOV64_REG(R6, R0),
			ALU64_IMM(BPF_RSH, R6, 1),
			ALU64_REG(BPF_AND, R6, R2),
			ALU64_REG(BPF_SUB, R0, R6),
			MOV64_REG(R6, R0),
			ALU64_IMM(BPF_RSH, R6, 2),
			ALU64_REG(BPF_AND, R6, R3),
			ALU64_REG(BPF_AND, R0, R3),
			ALU64_REG(BPF_ADD, R0, R6),
			MOV64_REG(R6, R0),
			ALU64_IMM(BPF_RSH, R6, 4),
			ALU64_REG(BPF_ADD, R0, R6),
			ALU64_REG(BPF_AND, R0, R4),
			ALU64_REG(BPF_MUL, R0, R5),
			ALU64_IMM(BPF_RSH, R0, 56),
			EXIT(),
		},
		.expect_r0 = 30, .flags = F_EXPECT_R0,
	},
};

static const struct static_case special_progs[] = {
	{
		"nospec (BPF_ST | BPF_NOSPEC) is a barrier, no effect on results",
		{
			MOV64_IMM(R0, 5),
			INSN(BPF_ST | BPF_NOSPEC, 0, 0, 0, 0),
			ST_MEM(BPF_DW, R1, 0, 7),
			INSN(BPF_ST | BPF_NOSPEC, 0, 0, 0, 0),
			LDX_MEM(BPF_DW, R2, R1, 0),
			ALU64_REG(BPF_ADD, R0, R2),
			EXIT(),
		},
		.expect_r0 = 12, .flags = F_EXPECT_R0,
	},
	{
		"probe_mem loads (BPF_LDX | BPF_PROBE_MEM), valid addresses",
		{
			INSN(BPF_LDX | BPF_PROBE_MEM | BPF_DW, R0, R1, 8, 0),
			INSN(BPF_LDX | BPF_PROBE_MEM | BPF_W, R2, R1, 4, 0),
			INSN(BPF_LDX | BPF_PROBE_MEM | BPF_H, R3, R1, 2, 0),
			INSN(BPF_LDX | BPF_PROBE_MEM | BPF_B, R4, R1, 1, 0),
			ALU64_REG(BPF_ADD, R0, R2),
			ALU64_REG(BPF_ADD, R0, R3),
			ALU64_REG(BPF_ADD, R0, R4),
			EXIT(),
		},
		.data = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 },
		.flags = F_UNSUPP_OK,
	},
};

static const struct static_case malformed_progs[] = {
	/*
	 * Valid for 7.2's verifier on a 32-bit arch but left to the kernel
	 * (armjit_translate.c, insns_known()): -EOPNOTSUPP, before any
	 * analysis.
	 */
	{
		"declined: 64-bit load-acquire (the verifier's refuses it on 32-bit)",
		{ MOV64_IMM(R0, 0), ATOMIC_OP(BPF_DW, BPF_LOAD_ACQ, R0, R10, -8),
		  EXIT() },
		.flags = F_EXPECT_ERR | F_DECLINE,
	},
	{
		"declined (7.2): indirect jump (gotox)",
		{ MOV64_IMM(R0, 0), MOV64_IMM(R1, 0),
		  INSN(BPF_JMP | BPF_JA | BPF_X, R1, 0, 0, 0), EXIT() },
		.flags = F_EXPECT_ERR | F_DECLINE,
	},
	{
		"declined (7.2): indirect jump (gotox, JMP32)",
		{ MOV64_IMM(R0, 0), MOV64_IMM(R1, 0),
		  INSN(BPF_JMP32 | BPF_JA | BPF_X, R1, 0, 0, 0), EXIT() },
		.flags = F_EXPECT_ERR | F_DECLINE,
	},
	{
		"malformed: unknown opcode 0xff",
		{ MOV64_IMM(R0, 0), INSN(0xff, 0, 0, 0, 0), EXIT() },
		.flags = F_EXPECT_ERR,
	},
	{
		"malformed: register 12",
		{ MOV64_IMM(R0, 0), MOV64_REG(R0, 12), EXIT() },
		.flags = F_EXPECT_ERR,
	},
	{
		"malformed: jump past the end",
		{ MOV64_IMM(R0, 0), JA(5), EXIT() },
		.flags = F_EXPECT_ERR,
	},
	{
		"malformed: jump before the start",
		{ MOV64_IMM(R0, 0), JMP_IMM(BPF_JEQ, R0, 0, -3), EXIT() },
		.flags = F_EXPECT_ERR,
	},
	{
		"malformed: ld_imm64 cut off at the end",
		{ MOV64_IMM(R0, 0), EXIT(), INSN(BPF_LD | BPF_IMM | BPF_DW, R0, 0, 0, 1) },
		.flags = F_EXPECT_ERR,
	},
	{
		"malformed: end with imm 8",
		{ MOV64_IMM(R0, 0), ENDIAN(BPF_TO_BE, R0, 8), EXIT() },
		.flags = F_EXPECT_ERR,
	},
	{
		"malformed: atomic with op 0x10 (not an atomic op)",
		{ MOV64_IMM(R0, 0), ATOMIC_OP(BPF_DW, 0x10, R10, R0, -8), EXIT() },
		.flags = F_EXPECT_ERR,
	},
	{
		"malformed: atomic on a byte",
		{ MOV64_IMM(R0, 0), ATOMIC_OP(BPF_B, BPF_ADD, R10, R0, -8), EXIT() },
		.flags = F_EXPECT_ERR,
	},
};

void cases_misc(void)
{
	unsigned int i;

	ld_imm64_all();
	long_branches(100, "long branches over 100 insns, forward and backward", 0);
	long_branches(3000, "long branches over 3000 insns, forward and backward", 0);
	long_branches(32000, "long branches over 32000 insns (near the s16 limit)", 0);
	/* blinded: 3 insns per filler insn, so ~96000-insn jumps */
	long_branches(3000, "long branches over 3000 insns [blinded]", F_BLIND);
	long_branches(32000, "long branches over 32000 insns [blinded: > 32767 after blinding]",
		      F_BLIND);
	/* (the host's zext insertion keeps 16-bit offsets: 20000 * 4/3 fits) */
	long_branches(20000, "long branches over 20000 insns [blinded, zext]",
		      F_BLIND | F_ZEXT | F_ZEXT_INSERT);
	for (i = 0; i < ARRAY_SIZE(real_progs); i++)
		run_static(&real_progs[i]);
	for (i = 0; i < ARRAY_SIZE(special_progs); i++)
		run_static(&special_progs[i]);
	for (i = 0; i < ARRAY_SIZE(malformed_progs); i++)
		run_static(&malformed_progs[i]);
	for (i = 0; i < 60; i++)
		random_prog(i, i < 50 ? 200 : 2000, 0);
	/* the same kind of programs with the verifier's explicit zext */
	for (i = 0; i < 30; i++)
		random_prog(100 + i, 300, F_ZEXT | F_ZEXT_INSERT);
	/* and after constant blinding */
	for (i = 0; i < 30; i++)
		random_prog(200 + i, 300, F_BLIND);
	/* both: ld_imm64's low half gets the zext of AX */
	for (i = 0; i < 20; i++)
		random_prog(300 + i, 300, F_BLIND | F_ZEXT | F_ZEXT_INSERT);
	gen_extra_flags = F_BLIND;
	ld_imm64_all();
	gen_extra_flags = 0;
}

/*
 * Every image one word short of what armjit_passes() asks
 * (host_prog.image_short): the final pass must fail cleanly with -ENOSPC
 * (nothing else gives it) and leave the words after the image's room
 * untouched (host_guard_bad). Last in the run, its JITs left out of make
 * images: it shifts no other test's number or image.
 */
static void image_room(const char *name, const struct bpf_insn *insns,
		       int len)
{
	struct host_prog hp = { .insns = insns, .len = len, .stack_depth = 64,
				.image_short = 1 };
	int err;
	bool ok;

	if (counting || !want(name)) {
		report(name, true);
		return;
	}
	host_guard_bad = 0;
	err = host_prog_jit(&hp);
	host_prog_free(&hp);
	ok = err == -ENOSPC && !host_guard_bad;
	if (!ok)
		printf("# %s: one word short: %d (want %d), %d guard words written\n",
		       name, err, -ENOSPC, host_guard_bad);
	report(name, ok);
}

void cases_image_room(void)
{
	/* a tail call: not a leaf, whose first sizing saves more */
	static const struct bpf_insn plain[] = {
		TAIL_CALL(),
		MOV64_IMM(R0, 1),
		STX_MEM(BPF_DW, R10, R0, -8),
		LDX_MEM(BPF_DW, R2, R10, -8),
		ALU64_REG(BPF_ADD, R0, R2),
		JMP_IMM(BPF_JGT, R0, 1, 1),
		MOV64_IMM(R0, 0),
		EXIT(),
	};
	static const struct bpf_insn subprog[] = {
		MOV64_IMM(R1, 3),
		CALL_PSEUDO(2),
		ALU64_IMM(BPF_ADD, R0, 1),
		EXIT(),
		MOV64_REG(R0, R1),
		ALU64_IMM(BPF_MUL, R0, 5),
		EXIT(),
	};

	image_room("image room: one word short, the final pass fails cleanly (-ENOSPC, guard intact)",
		   plain, ARRAY_SIZE(plain));
	image_room("image room: one word short, a subprogram's first pass fails cleanly (-ENOSPC, guard intact)",
		   subprog, ARRAY_SIZE(subprog));
}
