// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: LDX/STX/ST of B/H/W/DW through the ctx buffer (R1) and the stack
 * (R10): offsets around the ARM immediate ranges (LDRH/LDRD 8-bit, LDR
 * 12-bit), negative offsets, the s16 extremes, DW at word-but-not-dword
 * alignment, every dst/base and base/src register pairing incl. equal.
 * cpuv4 LDX MEMSX (sign-extending B/H/W loads; LDRSB has only an 8-bit
 * offset) the same ways, and through R10.
 */
#include <stdio.h>
#include <stdlib.h>
#include "gen.h"

#define CTX_SIZE	81920
#define OUT_AREA	0		/* loaded values land here, 8 bytes each */
#define DATA		8192
#define TARGETS		40960		/* load/store addresses start here */
#define SLOT_CTX	(-8)

static const int sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
static const int size_bytes[] = { 1, 2, 4, 8 };
static const char *const size_names[] = { "b", "h", "w", "dw" };

static const s16 offsets[] = {
	0, 1, 2, 3, 4, 6, 7, 8, 12, 254, 255, 256, 257, 1020, 1024, 4092,
	4095, 4096, 4100, 32767, -1, -2, -4, -8, -255, -256, -257, -4095, -4096,
	-4100, -32768,
};

static u8 *mem_ctx(void)
{
	u8 *c = malloc(CTX_SIZE);
	int i;

	for (i = 0; i < CTX_SIZE; i++)
		c[i] = (u8)(i * 131 + (i >> 8) * 7 + 0x3c);
	return c;
}

/* base = ctx + bias, with ctx from the stack slot */
static void ld_base(struct noted_prog *np, int base, int bias)
{
	PB(&np->pb, LDX_MEM(BPF_DW, base, R10, SLOT_CTX),
	   ALU64_IMM(BPF_ADD, base, bias));
}

/* align: 0 natural, 4 = DW at 4 mod 8, 1 = odd address (packet-style) */
static struct bpf_insn ldx(bool sx, int s, int dst, int base, int off)
{
	return sx ? LDX_MEMSX(sizes[s], dst, base, off) :
		    LDX_MEM(sizes[s], dst, base, off);
}

static void ctx_loads(int align, bool sx, const char *name)
{
	struct noted_prog np;
	u8 *ctx = mem_ctx();
	int k = 0, target = TARGETS;
	unsigned int s, o;

	np_init(&np);
	PB(&np.pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	for (s = 0; s < 4; s++) {
		int sz = size_bytes[s];

		if (align == 4 && sz != 8)
			continue;
		if (align == 1 && sz == 1)
			continue;
		if (sx && sz == 8)
			continue;
		for (o = 0; o < ARRAY_SIZE(offsets); o++) {
			int off = offsets[o];
			int dst = (k % 10), base = (k / 10 + dst + 1) % 10;
			int t = ((target + 15) & ~15) + (align == 4 ? 4 : align);
			int out = 9;

			if (base == dst)
				base = (base + 1) % 10;
			while (out == base || out == dst)
				out--;
			target = t + sz;
			np_mark(&np);
			ld_base(&np, base, t - off);
			PB(&np.pb, ldx(sx, s, dst, base, off),
			   LDX_MEM(BPF_DW, out, R10, SLOT_CTX),
			   STX_MEM(BPF_DW, out, dst, OUT_AREA + 8 * k));
			np_note(&np, OUT_AREA + 8 * k, 8,
				"ldx%s%s r%d = *(r%d %+d), r%d = ctx%+d",
				sx ? "sx" : "", size_names[s], dst, base, off,
				base, t - off);
			k++;
		}
	}
	/* every dst/base pair incl. dst == base */
	for (s = 0; s < 4; s++) {
		int sz = size_bytes[s], dst, base;

		if ((align && s != 3) || (sx && s == 3))
			continue;
		for (base = 0; base <= 9; base++) {
			for (dst = 0; dst <= 9; dst++) {
				int t = ((target + 15) & ~15) + (align == 4 ? 4 : align);
				int off = (k & 1) ? -20 : 36;
				int out = 9;

				while (out == dst || out == base)
					out--;
				target = t + sz;
				np_mark(&np);
				ld_base(&np, base, t - off);
				PB(&np.pb, ldx(sx, s, dst, base, off),
				   LDX_MEM(BPF_DW, out, R10, SLOT_CTX),
				   STX_MEM(BPF_DW, out, dst, OUT_AREA + 8 * k));
				np_note(&np, OUT_AREA + 8 * k, 8,
					"ldx%s%s r%d = *(r%d %+d), r%d = ctx%+d",
					sx ? "sx" : "", size_names[s], dst, base,
					off, base, t - off);
				k++;
			}
		}
	}
	PB(&np.pb, MOV64_IMM(R0, 1), EXIT());
	np_run(&np, name, ctx, CTX_SIZE, 16, 0);
	np_free(&np);
	free(ctx);
}

static void ctx_stores(int align, bool imm, const char *name, u32 flags)
{
	struct noted_prog np;
	u8 *ctx = mem_ctx();
	int k = 0, target = TARGETS;
	unsigned int s, o;

	np_init(&np);
	PB(&np.pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	for (s = 0; s < 4; s++) {
		int sz = size_bytes[s];

		if (align == 4 && sz != 8)
			continue;
		if (align == 1 && sz == 1)
			continue;
		for (o = 0; o < ARRAY_SIZE(offsets); o++) {
			int off = offsets[o];
			int base = k % 10, src = (k / 10 + base + 1) % 10;
			int t = ((target + 15) & ~15) + (align == 4 ? 4 : align);
			u64 v = 0x8877665544332211ull + 0x0101010101010101ull * k;
			s32 iv = (k & 1) ? -(0x1234 + k) : 0x5a6b7c00 + k;

			if (src == base)
				src = (src + 1) % 10;
			target = t + sz;
			np_mark(&np);
			ld_base(&np, base, t - off);
			if (imm) {
				PB(&np.pb, ST_MEM(sizes[s], base, off, iv));
				np_note(&np, t, sz, "st%s *(r%d %+d) = %d, r%d = ctx%+d",
					size_names[s], base, off, iv, base, t - off);
			} else {
				pb_ld64(&np.pb, src, v);
				PB(&np.pb, STX_MEM(sizes[s], base, src, off));
				np_note(&np, t, sz, "stx%s *(r%d %+d) = r%d, r%d = ctx%+d",
					size_names[s], base, off, src, base, t - off);
			}
			k++;
		}
	}
	/* every base/src pair incl. src == base (stores the pointer) */
	if (!imm && !align) {
		int base, src;

		for (base = 0; base <= 9; base++) {
			for (src = 0; src <= 9; src++) {
				s = k % 4;
				int sz = size_bytes[s];
				int t = ((target + 15) & ~15) + (align == 4 && sz == 8 ? 4 : 0);
				int off = (k & 1) ? -12 : 40;

				target = t + sz;
				np_mark(&np);
				if (src != base)
					pb_ld64(&np.pb, src, 0xa1b2c3d4e5f60718ull ^ k);
				ld_base(&np, base, t - off);
				PB(&np.pb, STX_MEM(sizes[s], base, src, off));
				np_note(&np, t, sz, "stx%s *(r%d %+d) = r%d, r%d = ctx%+d",
					size_names[s], base, off, src, base, t - off);
				k++;
			}
		}
	}
	PB(&np.pb, MOV64_IMM(R0, 1), EXIT());
	np_run(&np, name, ctx, CTX_SIZE, 16, flags);
	np_free(&np);
	free(ctx);
}

static const s16 stack_offs[] = {
	-512, -511, -508, -504, -500, -384, -260, -257, -256, -255, -252, -248,
	-128, -64, -17, -16, -12, -9, -8, -6, -4, -2, -1,
};

/* Stack: fill 512 bytes from ctx, then LDX/STX/ST at many offsets, via
 * R10 and via a copy of R10, and copy the whole stack out at the end.
 */
static void stack_access(bool via_copy, const char *name)
{
	struct noted_prog np;
	u8 *ctx = mem_ctx();
	int k = 0, i, dst;
	unsigned int s, o;
	int fp = via_copy ? R3 : R10;

	np_init(&np);
	/* R6 = ctx (kept), R3 = fp copy */
	PB(&np.pb, MOV64_REG(R6, R1));
	for (i = 1; i <= 64; i++)
		PB(&np.pb, LDX_MEM(BPF_DW, R2, R6, DATA + 8 * i),
		   STX_MEM(BPF_DW, R10, R2, -8 * i));
	PB(&np.pb, MOV64_REG(R3, R10));
	for (s = 0; s < 4; s++) {
		int sz = size_bytes[s];

		for (o = 0; o < ARRAY_SIZE(stack_offs); o++) {
			int off = stack_offs[o];

			if (off % sz)
				continue;
			dst = k % 10;
			if (dst == 6 || dst == 3)
				dst = 0;
			if (dst == 0 && (k & 1))
				dst = 9;
			np_mark(&np);
			PB(&np.pb, LDX_MEM(sizes[s], dst, fp, off),
			   STX_MEM(BPF_DW, R6, dst, OUT_AREA + 8 * k));
			np_note(&np, OUT_AREA + 8 * k, 8, "ldx%s r%d = *(r%d %+d)",
				size_names[s], dst, fp, off);
			k++;
		}
	}
	/* stores, then the whole stack is copied out */
	for (s = 0; s < 4; s++) {
		int sz = size_bytes[s];

		for (o = 0; o < ARRAY_SIZE(stack_offs); o++) {
			int off = stack_offs[o];
			int src = (k % 9) + 1;

			if (off % sz || (o + s) % 3 == 0)
				continue;
			if (src == 6 || src == 3)
				src = 7;
			np_mark(&np);
			if (k & 1) {
				PB(&np.pb, ST_MEM(sizes[s], fp, off, -(k * 0x01010101)));
			} else {
				pb_ld64(&np.pb, src, 0xf0e1d2c3b4a59687ull + k);
				PB(&np.pb, STX_MEM(sizes[s], fp, src, off));
			}
			np_note(&np, 4096 + 512 + off, sz, "%s%s *(r%d %+d) (stack)",
				k & 1 ? "st" : "stx", size_names[s], fp, off);
			k++;
		}
	}
	np_mark(&np);
	for (i = 1; i <= 64; i++)
		PB(&np.pb, LDX_MEM(BPF_DW, R2, R10, -8 * i),
		   STX_MEM(BPF_DW, R6, R2, 4096 + 512 - 8 * i));
	PB(&np.pb, MOV64_IMM(R0, 1), EXIT());
	np_run(&np, name, ctx, CTX_SIZE, 512, 0);
	np_free(&np);
	free(ctx);
}

static const struct static_case mem_static[] = {
	{
		"ldx zero-extends b/h/w into the high half",
		{
			LD_IMM64(R2, 0xffffffffffffffffull),
			STX_MEM(BPF_DW, R1, R2, 0),
			LD_IMM64(R0, 0x1234567812345678ull),
			LDX_MEM(BPF_B, R0, R1, 1),
			LD_IMM64(R3, 0x1234567812345678ull),
			LDX_MEM(BPF_H, R3, R1, 2),
			ALU64_REG(BPF_ADD, R0, R3),
			LD_IMM64(R4, 0x1234567812345678ull),
			LDX_MEM(BPF_W, R4, R1, 4),
			ALU64_REG(BPF_ADD, R0, R4),
			EXIT(),
		},
		.expect_r0 = 0xffull + 0xffffull + 0xffffffffull,
		.flags = F_EXPECT_R0,
	},
	{
		"st dw sign-extends imm, st w/h/b truncate",
		{
			ST_MEM(BPF_DW, R1, 0, -2),
			ST_MEM(BPF_W, R1, 8, (s32)0x89abcdef),
			ST_MEM(BPF_H, R1, 16, 0x12345),
			ST_MEM(BPF_B, R1, 24, 0x1ff),
			LDX_MEM(BPF_DW, R0, R1, 0),
			EXIT(),
		},
		.data = { [8 ... 31] = 0x77 },
		.expect_r0 = (u64)-2, .flags = F_EXPECT_R0,
	},
	{
		"stx dw then ldx w halves (little endian layout)",
		{
			LD_IMM64(R2, 0x1122334455667788ull),
			STX_MEM(BPF_DW, R10, R2, -8),
			LDX_MEM(BPF_W, R0, R10, -8),
			LDX_MEM(BPF_W, R3, R10, -4),
			ALU64_IMM(BPF_LSH, R0, 32),
			ALU64_REG(BPF_OR, R0, R3),
			EXIT(),
		},
		.expect_r0 = 0x5566778811223344ull, .flags = F_EXPECT_R0,
	},
	{
		"pointer arithmetic on fp, store and load through it",
		{
			MOV64_REG(R7, R10),
			ALU64_IMM(BPF_ADD, R7, -64),
			ST_MEM(BPF_DW, R7, 8, 0x1234),
			LDX_MEM(BPF_DW, R0, R10, -56),
			MOV64_REG(R8, R10),
			ALU64_IMM(BPF_SUB, R8, 56),
			LDX_MEM(BPF_DW, R2, R8, 0),
			ALU64_REG(BPF_ADD, R0, R2),
			EXIT(),
		},
		.expect_r0 = 0x2468, .flags = F_EXPECT_R0,
	},
	{
		"fp as an operand: compares, differences, alu32 on fp copies",
		{
			MOV64_REG(R2, R10),
			ALU64_IMM(BPF_ADD, R2, -8),
			MOV64_IMM(R0, 0),
			JMP_REG(BPF_JGT, R10, R2, 1),		/* taken */
			ALU64_IMM(BPF_OR, R0, 1),
			JMP_REG(BPF_JEQ, R10, R10, 1),		/* taken */
			ALU64_IMM(BPF_OR, R0, 2),
			JMP_REG(BPF_JLT, R10, R2, 1),		/* not taken */
			ALU64_IMM(BPF_OR, R0, 4),
			MOV64_REG(R3, R10),
			ALU64_REG(BPF_SUB, R3, R2),		/* 8 */
			ALU64_IMM(BPF_LSH, R3, 8),
			ALU64_REG(BPF_OR, R0, R3),
			MOV64_REG(R4, R10),
			ALU64_IMM(BPF_RSH, R4, 32),		/* high half of a pointer: 0 */
			ALU64_IMM(BPF_LSH, R4, 16),
			ALU64_REG(BPF_OR, R0, R4),
			MOV32_REG(R5, R10),
			ALU64_REG(BPF_SUB, R5, R2),		/* 8 */
			ALU64_IMM(BPF_LSH, R5, 20),
			ALU64_REG(BPF_OR, R0, R5),
			EXIT(),
		},
		.expect_r0 = 4 | (8 << 8) | (8 << 20), .flags = F_EXPECT_R0,
	},
	{
		"atomics on the stack via r10 and via an fp copy, w and dw",
		{
			ST_MEM(BPF_DW, R10, -16, 100),
			ST_MEM(BPF_DW, R10, -8, -1),
			MOV64_IMM(R1, 5),
			ATOMIC_OP(BPF_DW, BPF_ADD, R10, R1, -16),
			MOV64_REG(R6, R10),
			MOV64_IMM(R2, 0x0f),
			ATOMIC_OP(BPF_W, BPF_AND | BPF_FETCH, R6, R2, -8),
			MOV64_IMM(R3, 77),
			ATOMIC_OP(BPF_DW, BPF_XCHG, R6, R3, -16),
			LDX_MEM(BPF_DW, R0, R10, -16),
			ALU64_REG(BPF_ADD, R0, R3),
			ALU64_REG(BPF_ADD, R0, R2),
			LDX_MEM(BPF_DW, R4, R10, -8),
			ALU64_REG(BPF_ADD, R0, R4),
			EXIT(),
		},
		.expect_r0 = 77 + 105 + 0xffffffffull + 0xffffffff0000000full,	/* wraps: 0xc4 */
		.flags = F_EXPECT_R0,
	},
};

/*
 * LDX MEMSX through R10: stack bytes with the sign bit set and clear, at
 * offsets on both sides of LDRSB/LDRSH's 255 and LDR's 4095 from sp.
 */
static void stack_sx(void)
{
	static const s16 offs[] = { -8, -16, -200, -256, -264, -400, -512 };
	struct noted_prog np;
	u8 *ctx = mem_ctx();
	unsigned int o, s;
	int k = 0;

	np_init(&np);
	PB(&np.pb, MOV64_REG(R6, R1));
	for (o = 0; o < ARRAY_SIZE(offs); o++) {
		u64 v = (o & 1) ? 0x8899aabbccddeeffull : 0x7f6e5d4c3b2a1908ull;

		PB(&np.pb, LD_IMM64(R2, v), STX_MEM(BPF_DW, R10, R2, offs[o]));
		for (s = 0; s < 3; s++) {
			int dst = (k % 9 + 1) == 6 ? 0 : k % 9 + 1;

			np_mark(&np);
			PB(&np.pb, LDX_MEMSX(sizes[s], dst, R10, offs[o] + (s == 0 ? 7 : s == 1 ? 2 : 4)),
			   STX_MEM(BPF_DW, R6, dst, OUT_AREA + 8 * k));
			np_note(&np, OUT_AREA + 8 * k, 8, "ldxsx%s r%d = *(r10 %+d)",
				size_names[s], dst, offs[o]);
			k++;
		}
	}
	PB(&np.pb, MOV64_IMM(R0, 1), EXIT());
	np_run(&np, "mem stack ldxsx b/h/w via r10", ctx, CTX_SIZE, 512, 0);
	np_free(&np);
	free(ctx);
}

void cases_mem(void)
{
	unsigned int i;

	ctx_loads(0, false, "mem ctx ldx b/h/w/dw offsets and register pairs");
	ctx_loads(4, false, "mem ctx ldx dw at 4 mod 8 (word-aligned)");
	ctx_loads(0, true, "mem ctx ldxsx b/h/w offsets and register pairs");
	ctx_loads(1, true, "mem ctx ldxsx h/w unaligned (packet-style)");
	stack_sx();
	ctx_stores(0, false, "mem ctx stx b/h/w/dw offsets and register pairs", 0);
	ctx_stores(4, false, "mem ctx stx dw at 4 mod 8 (word-aligned)", 0);
	ctx_stores(0, true, "mem ctx st imm b/h/w/dw offsets", 0);
	ctx_stores(4, true, "mem ctx st imm dw at 4 mod 8 (word-aligned)", 0);
	ctx_stores(0, true, "mem ctx st imm b/h/w/dw offsets [blinded]", F_BLIND);
	ctx_loads(1, false, "mem ctx ldx h/w/dw unaligned (packet-style)");
	ctx_stores(1, false, "mem ctx stx h/w/dw unaligned (packet-style)", 0);
	stack_access(false, "mem stack ldx/stx/st via r10");
	stack_access(true, "mem stack ldx/stx/st via fp copy in r3");
	for (i = 0; i < ARRAY_SIZE(mem_static); i++)
		run_static(&mem_static[i]);
}
