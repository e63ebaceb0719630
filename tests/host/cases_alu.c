// SPDX-License-Identifier: GPL-2.0
/*
 * Generated ALU and ALU64 tests: every operation, K and X, over all operand
 * magnitudes (gen_vals64 x gen_vals64, gen_imms) and every register pairing
 * R0-R9 x R0-R9 including dst == src; NEG, END, MOV, the zext insn.
 * cpuv4 (6.12): signed DIV/MOD (off 1), MOVSX (MOV off 8/16/32, X only),
 * ALU64 END (unconditional byte swap).
 */
#include <stdio.h>
#include "gen.h"

struct alu_op {
	const char *name;
	u8 op;
	s16 off;	/* cpuv4: 1 signed DIV/MOD, 8/16/32 MOVSX */
};

static const struct alu_op ops[] = {
	{ "add", BPF_ADD }, { "sub", BPF_SUB }, { "mul", BPF_MUL },
	{ "div", BPF_DIV }, { "mod", BPF_MOD }, { "or", BPF_OR },
	{ "and", BPF_AND }, { "xor", BPF_XOR }, { "lsh", BPF_LSH },
	{ "rsh", BPF_RSH }, { "arsh", BPF_ARSH }, { "mov", BPF_MOV },
	{ "sdiv", BPF_DIV, 1 }, { "smod", BPF_MOD, 1 },
	{ "movsx8", BPF_MOV, 8 }, { "movsx16", BPF_MOV, 16 },
	{ "movsx32", BPF_MOV, 32 },
};

/* Forms the verifier accepts: MOVSX only X, MOVSX 32 only ALU64. */
static bool form_ok(bool is64, const struct alu_op *o, bool x)
{
	if (o->op != BPF_MOV || !o->off)
		return true;
	return x && (is64 || o->off != 32);
}

/* Register pairs for the all-magnitudes programs. */
static const int val_pairs[][2] = {
	{ R0, R7 }, { R9, R8 }, { R2, R3 }, { R5, R6 }, { R6, R1 },
};

static bool is_shift(u8 op)
{
	return op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH;
}

static bool is_div(u8 op)
{
	return op == BPF_DIV || op == BPF_MOD;
}

/* Immediates the verifier accepts for (class, op). */
static bool imm_ok(bool is64, u8 op, s32 imm)
{
	if (is_div(op) && imm == 0)
		return false;	/* verifier: "div by zero" */
	if (is_shift(op) && (imm < 0 || imm >= (is64 ? 64 : 32)))
		return false;	/* verifier: "invalid shift" */
	return true;
}

static struct bpf_insn alu_insn(bool is64, const struct alu_op *o, bool x,
				int dst, int src, s32 imm)
{
	u8 code = (is64 ? BPF_ALU64 : BPF_ALU) | o->op | (x ? BPF_X : BPF_K);

	return INSN(code, dst, x ? src : 0, o->off, x ? 0 : imm);
}

static void alu_family(bool is64, const struct alu_op *o, bool x)
{
	char name[96];
	struct gen_prog g;
	unsigned int p;
	int i, j, d, s, nimm;
	const char *cls = is64 ? "alu64" : "alu32";
	const char *sk = x ? "x" : "k";

	if (!form_ok(is64, o, x))
		return;

	/* All magnitudes, several fixed register pairs. */
	/* the zext/blinded variants: two pairs (BPF regs in ARM regs / in stack slots) */
	for (p = 0; p < (gen_extra_flags ? 2 : ARRAY_SIZE(val_pairs)); p++) {
		d = val_pairs[p][0];
		s = val_pairs[p][1];
		gen_init(&g, GEN_VALUES);
		for (i = 0; i < gen_nr_vals64; i++) {
			if (x) {
				for (j = 0; j < gen_nr_vals64; j++) {
					struct gen_block *b = gen_add(&g, d, s,
						gen_vals64[i], gen_vals64[j]);

					gen_body(b, alu_insn(is64, o, true, d, s, 0));
				}
				continue;
			}
			nimm = is_shift(o->op) ? (is64 ? 64 : 32) : gen_nr_imms;
			for (j = 0; j < nimm; j++) {
				s32 imm = is_shift(o->op) ? j : gen_imms[j];
				struct gen_block *b;

				if (!imm_ok(is64, o->op, imm))
					continue;
				b = gen_add(&g, d, -1, gen_vals64[i], (u32)imm);
				gen_body(b, alu_insn(is64, o, false, d, 0, imm));
			}
		}
		if (x)
			snprintf(name, sizeof(name), "%s_%s_%s values dst=r%d src=r%d",
				 cls, o->name, sk, d, s);
		else
			snprintf(name, sizeof(name), "%s_%s_%s values dst=r%d",
				 cls, o->name, sk, d);
		gen_run(&g, name);
		gen_free(&g);
	}

	/* Every register pairing. */
	gen_init(&g, GEN_ALLREGS);
	for (d = 0; d <= 9; d++) {
		for (s = 0; s <= 9; s++) {
			u64 a = 0x8765432112345678ull;
			u64 bv = is_shift(o->op) ? 0x0000000500000025ull
						 : 0x0000000500000003ull;
			s32 imm = is_shift(o->op) ? 7 : -0x1235;
			struct gen_block *b;

			if (!x) {
				if (s)
					continue;
				b = gen_add(&g, d, -1, a, 0);
				gen_body(b, alu_insn(is64, o, false, d, 0, imm));
				b = gen_add(&g, d, -1, 0xffffffff80000001ull, 0);
				gen_body(b, alu_insn(is64, o, false, d, 0,
						     is_shift(o->op) ? 1 : 3));
				continue;
			}
			b = gen_add(&g, d, s, a, bv);
			gen_body(b, alu_insn(is64, o, true, d, s, 0));
		}
	}
	snprintf(name, sizeof(name), "%s_%s_%s all register pairs", cls, o->name, sk);
	gen_run(&g, name);
	gen_free(&g);
}

static u32 zext_flag;

static void unary_family(const char *name, struct bpf_insn tmpl)
{
	char buf[96];
	struct gen_prog g;
	int i, d;

	/* All magnitudes in two registers. */
	for (d = 0; d <= 9; d += 9) {
		gen_init(&g, GEN_VALUES);
		for (i = 0; i < gen_nr_vals64; i++) {
			struct gen_block *b = gen_add(&g, d, -1, gen_vals64[i], 0);

			tmpl.dst_reg = d;
			if (tmpl.imm == 1 && tmpl.code == (BPF_ALU | BPF_MOV | BPF_X))
				tmpl.src_reg = d;
			gen_body(b, tmpl);
		}
		g.flags = zext_flag;
		snprintf(buf, sizeof(buf), "%s values dst=r%d", name, d);
		gen_run(&g, buf);
		gen_free(&g);
	}
	/* Every register. */
	gen_init(&g, GEN_ALLREGS);
	for (d = 0; d <= 9; d++) {
		for (i = 0; i < 2; i++) {
			struct gen_block *b = gen_add(&g, d, -1,
				i ? 0xfedcba9876543210ull : 0x00000000ff0180ffull, 0);

			tmpl.dst_reg = d;
			if (tmpl.imm == 1 && tmpl.code == (BPF_ALU | BPF_MOV | BPF_X))
				tmpl.src_reg = d;
			gen_body(b, tmpl);
		}
	}
	g.flags = zext_flag;
	snprintf(buf, sizeof(buf), "%s all registers", name);
	gen_run(&g, buf);
	gen_free(&g);
}

void cases_alu(void)
{
	unsigned int i;
	int is64, x, sz;
	static const int sizes[] = { 16, 32, 64 };
	char name[64];

	for (is64 = 1; is64 >= 0; is64--)
		for (i = 0; i < ARRAY_SIZE(ops); i++)
			for (x = 1; x >= 0; x--)
				alu_family(is64, &ops[i], x);

	unary_family("alu64_neg", NEG64(0));
	unary_family("alu32_neg", NEG32(0));
	for (sz = 0; sz < 3; sz++) {
		snprintf(name, sizeof(name), "end_to_le%d", sizes[sz]);
		unary_family(name, ENDIAN(BPF_TO_LE, 0, sizes[sz]));
		snprintf(name, sizeof(name), "end_to_be%d", sizes[sz]);
		unary_family(name, ENDIAN(BPF_TO_BE, 0, sizes[sz]));
		snprintf(name, sizeof(name), "bswap%d (alu64 end)", sizes[sz]);
		unary_family(name, BSWAP(0, sizes[sz]));
	}
	/* ALU32 again as the verifier leaves it for a JIT asking for zext */
	gen_extra_flags = F_ZEXT | F_ZEXT_INSERT;
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		for (x = 1; x >= 0; x--)
			alu_family(false, &ops[i], x);
	unary_family("alu32_neg", NEG32(0));
	for (sz = 0; sz < 2; sz++) {
		snprintf(name, sizeof(name), "end_to_le%d", sizes[sz]);
		unary_family(name, ENDIAN(BPF_TO_LE, 0, sizes[sz]));
		snprintf(name, sizeof(name), "end_to_be%d", sizes[sz]);
		unary_family(name, ENDIAN(BPF_TO_BE, 0, sizes[sz]));
	}
	gen_extra_flags = 0;

	/* K forms after constant blinding (bpf_jit_harden): via BPF_REG_AX.
	 * Not the signed ones: the runner's rewrite is 6.1's, which drops off.
	 */
	gen_extra_flags = F_BLIND;
	for (is64 = 1; is64 >= 0; is64--)
		for (i = 0; i < ARRAY_SIZE(ops); i++)
			if (!ops[i].off)
				alu_family(is64, &ops[i], false);
	gen_extra_flags = 0;

	unary_family("zext (alu32 mov x imm=1)", ZEXT_REG(0));
	zext_flag = F_ZEXT;
	unary_family("zext (alu32 mov x imm=1) verifier_zext", ZEXT_REG(0));
	zext_flag = 0;
}
