// SPDX-License-Identifier: GPL-2.0
/*
 * Encoder check for module/armjit_insn.h, run on the build host.
 *
 * Prints one line per case, "encoder<TAB>hex word<TAB>assembly text", for
 * test_insn.sh to assemble with GNU as and compare word for word; and
 * checks directly (no assembler) that operands an instruction can't encode
 * give ARM_INSN_BAD, printing "bad<TAB>encoder<TAB>ok|FAIL<TAB>what",
 * and that arm_decode() (armjit_decode.h) gives every word's operands
 * back: the encoder of the kind it names, called with them, makes the
 * same word ("dec<TAB>encoder<TAB>ok|FAIL<TAB>what").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include "armjit_insn.h"
#include "armjit_decode.h"

static const u8 regs[] = { 0, 1, 5, 8, 12, 14 };	/* every bit of a field */
#define NR	(sizeof(regs) / sizeof(regs[0]))

static const char *const dp_names[16] = {
	"and", "eor", "sub", "rsb", "add", "adc", "sbc", "rsc",
	"tst", "teq", "cmp", "cmn", "orr", "mov", "bic", "mvn",
};
static const char *const sh_names[4] = { "lsl", "lsr", "asr", "ror" };
static const char *const cond_names[15] = {
	"eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc",
	"hi", "ls", "ge", "lt", "gt", "le", "",
};

static const u32 good_imms[] = {
	0, 1, 0x7f, 0xff, 0x100, 0x3fc, 0x400, 0xff000000, 0xf000000f,
	0x80000000, 0xc0000000, 0x104, 0x3f0000, 0x2000, 0xab00, 0x00ab0000,
	0xf000, 0x10, 0x0ff00000,
};
static const u32 bad_imms[] = {
	0x101, 0x1fe01, 0xffffffff, 0x12345678, 0x1ff, 0xf000001f, 0x80000101,
	0x102, 0xfffffffe,
};

static void out(const char *enc, u32 w, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The word the encoder arm_decode() names makes from its operands. */
static u32 reencode(const struct arm_dec *d)
{
	static const u32 ldst[2][2][9] = {	/* [load][sign][size] */
		{ { 0, ARM_OP_STRB_I, ARM_OP_STRH_I, 0, ARM_OP_STR_I,
		    0, 0, 0, ARM_OP_STRD_I } },
		{ { 0, ARM_OP_LDRB_I, ARM_OP_LDRH_I, 0, ARM_OP_LDR_I,
		    0, 0, 0, ARM_OP_LDRD_I },
		  { 0, ARM_OP_LDRSB_I, ARM_OP_LDRSH_I } },
	};
	u32 w, op;

	switch (d->kind) {
	case ARM_K_DP_IMM:
		w = arm_dp_imm(d->op, d->s, d->rd, d->rn, d->imm);
		break;
	case ARM_K_DP_RSI:
		w = arm_dp_rsi(d->op, d->s, d->rd, d->rn, d->rm, d->shift, d->n);
		break;
	case ARM_K_DP_RSR:
		w = arm_dp_rsr(d->op, d->s, d->rd, d->rn, d->rm, d->shift, d->rs);
		break;
	case ARM_K_MOVW: w = arm_movw(d->rd, d->imm); break;
	case ARM_K_MOVT: w = arm_movt(d->rd, d->imm); break;
	case ARM_K_MUL: w = arm_mul(d->rd, d->rn, d->rm); break;
	case ARM_K_MLA: w = arm_mla(d->rd, d->rn, d->rm, d->ra); break;
	case ARM_K_MLS: w = arm_mls(d->rd, d->rn, d->rm, d->ra); break;
	case ARM_K_UMULL: w = arm_umull(d->rd, d->ra, d->rn, d->rm); break;
	case ARM_K_UDIV: w = arm_udiv(d->rd, d->rn, d->rm); break;
	case ARM_K_SDIV: w = arm_sdiv(d->rd, d->rn, d->rm); break;
	case ARM_K_REV: w = arm_rev(d->rd, d->rm); break;
	case ARM_K_REV16: w = arm_rev16(d->rd, d->rm); break;
	case ARM_K_UXTH: w = arm_uxth(d->rd, d->rm); break;
	case ARM_K_SXTB: w = arm_sxtb(d->rd, d->rm); break;
	case ARM_K_SXTH: w = arm_sxth(d->rd, d->rm); break;
	case ARM_K_LDST:
		op = ldst[d->load][d->sign][d->size];
		if (op == ARM_OP_LDRD_I)
			w = arm_ldrd_i(d->rt, d->rn, d->off);
		else if (op == ARM_OP_STRD_I)
			w = arm_strd_i(d->rt, d->rn, d->off);
		else if ((op & 0x0e000000) == 0x04000000)
			w = arm_ls_imm(op, d->rt, d->rn, d->off);
		else
			w = arm_lsh_imm(op, d->rt, d->rn, d->off);
		break;
	case ARM_K_LDR_R: w = arm_ldr_r(d->rt, d->rn, d->rm, d->n); break;
	case ARM_K_LDREX: w = arm_ldrex(d->rt, d->rn); break;
	case ARM_K_STREX: w = arm_strex(d->rd, d->rt, d->rn); break;
	case ARM_K_LDREXD: w = arm_ldrexd(d->rt, d->rn); break;
	case ARM_K_STREXD: w = arm_strexd(d->rd, d->rt, d->rn); break;
	case ARM_K_DMB:
		return d->imm == ARM_DMB_ISH ? arm_dmb_ish() : ARM_INSN_BAD;
	case ARM_K_CP15_DMB: w = arm_cp15_dmb(d->rt); break;
	case ARM_K_MRC_TP: w = arm_mrc_tpidruro(d->rt); break;
	case ARM_K_PUSH: w = arm_push(d->imm); break;
	case ARM_K_POP: w = arm_pop(d->imm); break;
	case ARM_K_B: w = arm_b(d->off); break;
	case ARM_K_BL: w = arm_bl(d->off); break;
	case ARM_K_BX: w = arm_bx(d->rm); break;
	case ARM_K_BLX_R: w = arm_blx_r(d->rm); break;
	default:
		return ARM_INSN_BAD;
	}
	return d->cond == ARM_COND_AL ? w : arm_cond(d->cond, w);
}

static void check_decode(const char *enc, u32 w)
{
	struct arm_dec d;
	bool ok = arm_decode(w, &d);
	u32 again = ok ? reencode(&d) : ARM_INSN_BAD;

	printf("dec\t%s\t%s\tdecode kind %d, encode again: %08x (word %08x)\n",
	       enc, ok && again == w ? "ok" : "FAIL", d.kind, again, w);
}

static void out(const char *enc, u32 w, const char *fmt, ...)
{
	va_list ap;

	check_decode(enc, w);
	printf("%s\t%08x\t", enc, w);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void bad(const char *enc, u32 w, const char *what)
{
	printf("bad\t%s\t%s\t%s (got %08x)\n", enc, w == ARM_INSN_BAD ? "ok" : "FAIL",
	       what, w);
}

#define BAD(enc, call, what)	bad(enc, call, what)

static const char *r(u8 n)
{
	static char buf[8][8];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "r%d", n);
	return buf[i];
}

static bool is_test(int op)
{
	return op >= ARM_DP_TST && op <= ARM_DP_CMN;
}

static bool is_move(int op)
{
	return op == ARM_DP_MOV || op == ARM_DP_MVN;
}

/* "op{s} rd, rn, " prefix per data-processing opcode kind */
static void dp_prefix(char *buf, int n, int op, bool s, u8 rd, u8 rn)
{
	if (is_test(op))
		snprintf(buf, n, "%s %s, ", dp_names[op], r(rn));
	else if (is_move(op))
		snprintf(buf, n, "%s%s %s, ", dp_names[op], s ? "s" : "", r(rd));
	else
		snprintf(buf, n, "%s%s %s, %s, ", dp_names[op], s ? "s" : "", r(rd),
			 r(rn));
}

static void test_dp(void)
{
	unsigned int i, a, b, c, t;
	int op, s;
	char pre[64];

	for (op = 0; op < 16; op++) {
		for (s = 0; s <= 1; s++) {
			if (is_test(op) && !s)
				continue;
			for (a = 0; a < NR; a++) {
				for (b = 0; b < NR; b++) {
					u8 rd = is_test(op) ? 0 : regs[a];
					u8 rn = is_move(op) ? 0 : regs[b];

					if ((is_test(op) && a) || (is_move(op) && b))
						continue;
					dp_prefix(pre, sizeof(pre), op, s, rd, rn);
					for (i = 0; i < sizeof(good_imms) / 4; i++)
						out("arm_dp_imm", arm_dp_imm(op, s, rd, rn, good_imms[i]),
						    "%s#0x%x", pre, good_imms[i]);
					for (c = 0; c < NR; c++) {
						u8 rm = regs[c];

						out("arm_dp_reg", arm_dp_reg(op, s, rd, rn, rm),
						    "%s%s", pre, r(rm));
						for (t = 0; t < 4; t++) {
							static const u8 ns[] = { 1, 5, 16, 31, 32 };
							unsigned int k;

							for (k = 0; k < sizeof(ns); k++) {
								if (ns[k] == 32 && (t == ARM_LSL || t == ARM_ROR))
									continue;
								out("arm_dp_rsi",
								    arm_dp_rsi(op, s, rd, rn, rm, t, ns[k]),
								    "%s%s, %s #%d", pre, r(rm), sh_names[t], ns[k]);
							}
							out("arm_dp_rsi", arm_dp_rsi(op, s, rd, rn, rm, t, 0),
							    "%s%s", pre, r(rm));
							out("arm_dp_rsr",
							    arm_dp_rsr(op, s, rd, rn, rm, t, regs[(a + c + t) % NR]),
							    "%s%s, %s %s", pre, r(rm), sh_names[t],
							    r(regs[(a + c + t) % NR]));
						}
					}
				}
			}
		}
	}
	for (i = 0; i < sizeof(bad_imms) / 4; i++)
		BAD("arm_dp_imm", arm_dp_imm(ARM_DP_ADD, 0, 1, 2, bad_imms[i]),
		    "add with a non-modified-immediate constant");
	BAD("arm_dp_imm", arm_dp_imm(ARM_DP_ADD, 0, 16, 2, 1), "rd > 15");
	BAD("arm_dp_rsi", arm_dp_rsi(ARM_DP_ADD, 0, 1, 2, 3, ARM_LSL, 32), "lsl #32");
	BAD("arm_dp_rsi", arm_dp_rsi(ARM_DP_ADD, 0, 1, 2, 3, ARM_LSR, 33), "lsr #33");
	BAD("arm_dp_rsi", arm_dp_rsi(ARM_DP_ADD, 0, 1, 2, 3, ARM_ROR, 32), "ror #32");
	BAD("arm_dp_rsr", arm_dp_rsr(ARM_DP_ADD, 0, 1, 2, 3, ARM_LSL, 15), "rs = pc");
	BAD("arm_dp_rsr", arm_dp_rsr(ARM_DP_ADD, 0, 15, 2, 3, ARM_LSL, 4), "rd = pc");
}

/* Named wrappers: each against the generic form's assembly. */
static void test_named(void)
{
	unsigned int a, b, c, i;

	for (a = 0; a < NR; a++) {
		u8 x = regs[a];

		for (b = 0; b < NR; b++) {
			u8 y = regs[b];

			out("arm_mov_r", arm_mov_r(x, y), "mov %s, %s", r(x), r(y));
			out("arm_mvn_r", arm_mvn_r(x, y), "mvn %s, %s", r(x), r(y));
			out("arm_cmp_r", arm_cmp_r(x, y), "cmp %s, %s", r(x), r(y));
			out("arm_tst_r", arm_tst_r(x, y), "tst %s, %s", r(x), r(y));
			out("arm_rev", arm_rev(x, y), "rev %s, %s", r(x), r(y));
			out("arm_rev16", arm_rev16(x, y), "rev16 %s, %s", r(x), r(y));
			out("arm_uxth", arm_uxth(x, y), "uxth %s, %s", r(x), r(y));
			out("arm_sxtb", arm_sxtb(x, y), "sxtb %s, %s", r(x), r(y));
			out("arm_sxth", arm_sxth(x, y), "sxth %s, %s", r(x), r(y));
			for (i = 0; i < 4; i++) {
				out("arm_mov_si", arm_mov_si(x, y, i, 7), "mov %s, %s, %s #7",
				    r(x), r(y), sh_names[i]);
				out("arm_mov_sr", arm_mov_sr(x, y, i, regs[(a + 1) % NR]),
				    "mov %s, %s, %s %s", r(x), r(y), sh_names[i],
				    r(regs[(a + 1) % NR]));
			}
			out("arm_mov_si", arm_mov_si(x, y, ARM_LSR, 32), "mov %s, %s, lsr #32",
			    r(x), r(y));
			out("arm_mov_si", arm_mov_si(x, y, ARM_ASR, 0), "mov %s, %s", r(x), r(y));
			for (i = 0; i < sizeof(good_imms) / 4; i++) {
				u32 v = good_imms[i];

				out("arm_add_i", arm_add_i(x, y, v), "add %s, %s, #0x%x", r(x), r(y), v);
				out("arm_sub_i", arm_sub_i(x, y, v), "sub %s, %s, #0x%x", r(x), r(y), v);
				out("arm_subs_i", arm_subs_i(x, y, v), "subs %s, %s, #0x%x", r(x), r(y), v);
				out("arm_rsb_i", arm_rsb_i(x, y, v), "rsb %s, %s, #0x%x", r(x), r(y), v);
				out("arm_rsbs_i", arm_rsbs_i(x, y, v), "rsbs %s, %s, #0x%x", r(x), r(y), v);
				out("arm_rsc_i", arm_rsc_i(x, y, v), "rsc %s, %s, #0x%x", r(x), r(y), v);
				out("arm_and_i", arm_and_i(x, y, v), "and %s, %s, #0x%x", r(x), r(y), v);
				if (!b) {
					out("arm_mov_i", arm_mov_i(x, v), "mov %s, #0x%x", r(x), v);
					out("arm_mvn_i", arm_mvn_i(x, v), "mvn %s, #0x%x", r(x), v);
					out("arm_cmp_i", arm_cmp_i(x, v), "cmp %s, #0x%x", r(x), v);
					out("arm_cmn_i", arm_cmn_i(x, v), "cmn %s, #0x%x", r(x), v);
					out("arm_tst_i", arm_tst_i(x, v), "tst %s, #0x%x", r(x), v);
				}
			}
			for (c = 0; c < NR; c++) {
				u8 z = regs[c], w = regs[(a + b + c) % NR];

				out("arm_add_r", arm_add_r(x, y, z), "add %s, %s, %s", r(x), r(y), r(z));
				out("arm_adds_r", arm_adds_r(x, y, z), "adds %s, %s, %s", r(x), r(y), r(z));
				out("arm_adc_r", arm_adc_r(x, y, z), "adc %s, %s, %s", r(x), r(y), r(z));
				out("arm_sub_r", arm_sub_r(x, y, z), "sub %s, %s, %s", r(x), r(y), r(z));
				out("arm_subs_r", arm_subs_r(x, y, z), "subs %s, %s, %s", r(x), r(y), r(z));
				out("arm_sbc_r", arm_sbc_r(x, y, z), "sbc %s, %s, %s", r(x), r(y), r(z));
				out("arm_sbcs_r", arm_sbcs_r(x, y, z), "sbcs %s, %s, %s", r(x), r(y), r(z));
				out("arm_and_r", arm_and_r(x, y, z), "and %s, %s, %s", r(x), r(y), r(z));
				out("arm_orr_r", arm_orr_r(x, y, z), "orr %s, %s, %s", r(x), r(y), r(z));
				out("arm_orrs_r", arm_orrs_r(x, y, z), "orrs %s, %s, %s", r(x), r(y), r(z));
				out("arm_eor_r", arm_eor_r(x, y, z), "eor %s, %s, %s", r(x), r(y), r(z));
				out("arm_mul", arm_mul(x, y, z), "mul %s, %s, %s", r(x), r(y), r(z));
				out("arm_udiv", arm_udiv(x, y, z), "udiv %s, %s, %s", r(x), r(y), r(z));
				out("arm_sdiv", arm_sdiv(x, y, z), "sdiv %s, %s, %s", r(x), r(y), r(z));
				out("arm_mla", arm_mla(x, y, z, w), "mla %s, %s, %s, %s", r(x), r(y), r(z), r(w));
				out("arm_mls", arm_mls(x, y, z, w), "mls %s, %s, %s, %s", r(x), r(y), r(z), r(w));
				if (x != y)
					out("arm_umull", arm_umull(x, y, z, w), "umull %s, %s, %s, %s",
					    r(x), r(y), r(z), r(w));
				for (i = 0; i < 4; i++) {
					out("arm_orr_si", arm_orr_si(x, y, z, i, 9), "orr %s, %s, %s, %s #9",
					    r(x), r(y), r(z), sh_names[i]);
					out("arm_orr_sr", arm_orr_sr(x, y, z, i, w), "orr %s, %s, %s, %s %s",
					    r(x), r(y), r(z), sh_names[i], r(w));
				}
			}
		}
	}
	for (i = 0; i < sizeof(bad_imms) / 4; i++) {
		BAD("arm_mov_i", arm_mov_i(1, bad_imms[i]), "mov non-immediate");
		BAD("arm_add_i", arm_add_i(1, 2, bad_imms[i]), "add non-immediate");
		BAD("arm_cmp_i", arm_cmp_i(1, bad_imms[i]), "cmp non-immediate");
	}
	BAD("arm_umull", arm_umull(3, 3, 1, 2), "rdlo == rdhi");
	BAD("arm_mul", arm_mul(15, 1, 2), "rd = pc");
	BAD("arm_udiv", arm_udiv(1, 15, 2), "rn = pc");
	BAD("arm_sdiv", arm_sdiv(1, 2, 15), "rm = pc");
	BAD("arm_sxtb", arm_sxtb(15, 1), "rd = pc");
	BAD("arm_sxth", arm_sxth(1, 15), "rm = pc");
	BAD("arm_rev", arm_rev(15, 1), "rd = pc");
	BAD("arm_mla", arm_mla(1, 2, 3, 15), "ra = pc");
}

static void test_movw(void)
{
	static const u16 v[] = { 0, 1, 0xfff, 0x1000, 0x8001, 0xffff, 0x1234, 0xabcd };
	unsigned int a, i;

	for (a = 0; a < NR; a++)
		for (i = 0; i < sizeof(v) / 2; i++) {
			out("arm_movw", arm_movw(regs[a], v[i]), "movw %s, #0x%x", r(regs[a]), v[i]);
			out("arm_movt", arm_movt(regs[a], v[i]), "movt %s, #0x%x", r(regs[a]), v[i]);
		}
	BAD("arm_movw", arm_movw(15, 1), "rd = pc");
	BAD("arm_movt", arm_movt(15, 1), "rd = pc");
}

static void test_ldst(void)
{
	static const s32 offs[] = { 0, 1, 4, 255, 256, 4095, -1, -4, -255, -256, -4095, 0x800, 0x123 };
	static const s32 hoffs[] = { 0, 1, 2, 15, 16, 255, -1, -2, -16, -255, 0xa5, -0x5a };
	static const u8 rns[] = { 0, 1, 5, 8, 12, 13, 14 };
	unsigned int a, b, i;
	char addr[32];

	for (a = 0; a < NR; a++) {
		for (b = 0; b < sizeof(rns); b++) {
			u8 t = regs[a], n = rns[b];

			for (i = 0; i < sizeof(offs) / 4; i++) {
				s32 o = offs[i];

				if (o)
					snprintf(addr, sizeof(addr), "[%s, #%d]", r(n), o);
				else
					snprintf(addr, sizeof(addr), "[%s]", r(n));
				out("arm_ldr_i", arm_ldr_i(t, n, o), "ldr %s, %s", r(t), addr);
				out("arm_str_i", arm_str_i(t, n, o), "str %s, %s", r(t), addr);
				out("arm_ldrb_i", arm_ldrb_i(t, n, o), "ldrb %s, %s", r(t), addr);
				out("arm_strb_i", arm_strb_i(t, n, o), "strb %s, %s", r(t), addr);
				out("arm_ls_imm", arm_ls_imm(0xe5100000, t, n, o), "ldr %s, %s", r(t), addr);
				if (o >= 0)
					out("arm_ls_imm_up", arm_ls_imm_up(0xe5000000, t, n, o),
					    "str %s, %s", r(t), addr);
			}
			for (i = 0; i < sizeof(hoffs) / 4; i++) {
				s32 o = hoffs[i];

				if (o)
					snprintf(addr, sizeof(addr), "[%s, #%d]", r(n), o);
				else
					snprintf(addr, sizeof(addr), "[%s]", r(n));
				out("arm_ldrh_i", arm_ldrh_i(t, n, o), "ldrh %s, %s", r(t), addr);
				out("arm_strh_i", arm_strh_i(t, n, o), "strh %s, %s", r(t), addr);
				out("arm_ldrsb_i", arm_ldrsb_i(t, n, o), "ldrsb %s, %s", r(t), addr);
				out("arm_ldrsh_i", arm_ldrsh_i(t, n, o), "ldrsh %s, %s", r(t), addr);
				out("arm_lsh_imm", arm_lsh_imm(0xe15000b0, t, n, o), "ldrh %s, %s",
				    r(t), addr);
				if (o >= 0)
					out("arm_lsh_imm_up", arm_lsh_imm_up(0xe14000b0, t, n, o),
					    "strh %s, %s", r(t), addr);
				if (!(t & 1) && t < 12) {
					out("arm_ldrd_i", arm_ldrd_i(t, n, o), "ldrd %s, %s, %s",
					    r(t), r(t + 1), addr);
					out("arm_strd_i", arm_strd_i(t, n, o), "strd %s, %s, %s",
					    r(t), r(t + 1), addr);
				}
			}
			for (i = 0; i < NR; i++) {
				u8 m = regs[i];

				out("arm_ldr_r", arm_ldr_r(t, n, m, 0), "ldr %s, [%s, %s]",
				    r(t), r(n), r(m));
				out("arm_ldr_r", arm_ldr_r(t, n, m, 2), "ldr %s, [%s, %s, lsl #2]",
				    r(t), r(n), r(m));
				out("arm_ldr_r", arm_ldr_r(t, n, m, 31), "ldr %s, [%s, %s, lsl #31]",
				    r(t), r(n), r(m));
			}
		}
	}
	BAD("arm_ldr_i", arm_ldr_i(1, 2, 4096), "offset 4096");
	BAD("arm_ldr_i", arm_ldr_i(1, 2, -4096), "offset -4096");
	BAD("arm_str_i", arm_str_i(1, 2, 0x10000), "offset 0x10000");
	BAD("arm_ldrb_i", arm_ldrb_i(1, 2, 4096), "offset 4096");
	BAD("arm_strb_i", arm_strb_i(1, 2, -4096), "offset -4096");
	BAD("arm_ldrh_i", arm_ldrh_i(1, 2, 256), "offset 256");
	BAD("arm_strh_i", arm_strh_i(1, 2, -256), "offset -256");
	BAD("arm_ldrsb_i", arm_ldrsb_i(1, 2, 256), "offset 256");
	BAD("arm_ldrsh_i", arm_ldrsh_i(1, 2, -256), "offset -256");
	BAD("arm_ldrd_i", arm_ldrd_i(1, 2, 0), "odd rt");
	BAD("arm_strd_i", arm_strd_i(14, 2, 0), "rt = lr");
	BAD("arm_ldrd_i", arm_ldrd_i(2, 3, 256), "offset 256");
	BAD("arm_ldr_i", arm_ldr_i(15, 2, 0), "rt = pc");
	BAD("arm_ldr_r", arm_ldr_r(1, 2, 15, 0), "rm = pc");
	BAD("arm_ldr_r", arm_ldr_r(1, 2, 3, 32), "lsl #32");
}

static void test_excl(void)
{
	static const u8 pairs[] = { 0, 2, 4, 8, 10, 12 };
	unsigned int a, b, c;

	for (a = 0; a < NR; a++)
		for (b = 0; b < NR; b++) {
			u8 t = regs[a], n = regs[b];

			out("arm_ldrex", arm_ldrex(t, n), "ldrex %s, [%s]", r(t), r(n));
			for (c = 0; c < NR; c++) {
				u8 d = regs[c];

				if (d != t && d != n)
					out("arm_strex", arm_strex(d, t, n), "strex %s, %s, [%s]",
					    r(d), r(t), r(n));
			}
		}
	for (a = 0; a < sizeof(pairs); a++)
		for (b = 0; b < NR; b++) {
			u8 t = pairs[a], n = regs[b];

			out("arm_ldrexd", arm_ldrexd(t, n), "ldrexd %s, %s, [%s]", r(t),
			    r(t + 1), r(n));
			for (c = 0; c < NR; c++) {
				u8 d = regs[c];

				if (d != n && d != t && d != t + 1)
					out("arm_strexd", arm_strexd(d, t, n),
					    "strexd %s, %s, %s, [%s]", r(d), r(t), r(t + 1), r(n));
			}
		}
	out("arm_dmb_ish", arm_dmb_ish(), "dmb ish");
	for (a = 0; a < NR; a++)
		out("arm_cp15_dmb", arm_cp15_dmb(regs[a]),
		    "mcr p15, 0, %s, c7, c10, 5", r(regs[a]));
	BAD("arm_cp15_dmb", arm_cp15_dmb(15), "rt = pc");
	for (a = 0; a < NR; a++)
		out("arm_mrc_tpidruro", arm_mrc_tpidruro(regs[a]),
		    "mrc p15, 0, %s, c13, c0, 3", r(regs[a]));
	BAD("arm_mrc_tpidruro", arm_mrc_tpidruro(15), "rt = pc");
	BAD("arm_ldrexd", arm_ldrexd(1, 2), "odd rt");
	BAD("arm_ldrexd", arm_ldrexd(14, 2), "rt = lr");
	BAD("arm_strexd", arm_strexd(3, 2, 4), "rd == rt + 1");
	BAD("arm_strexd", arm_strexd(2, 2, 4), "rd == rt");
	BAD("arm_strexd", arm_strexd(4, 2, 4), "rd == rn");
	BAD("arm_strexd", arm_strexd(0, 3, 4), "odd rt");
	BAD("arm_strex", arm_strex(1, 1, 4), "rd == rt");
	BAD("arm_strex", arm_strex(4, 1, 4), "rd == rn");
	BAD("arm_ldrex", arm_ldrex(15, 4), "rt = pc");
}

static void list(char *buf, int n, u16 mask)
{
	int i, l = 0;

	l += snprintf(buf + l, n - l, "{");
	for (i = 0; i < 16; i++)
		if (mask & (1 << i))
			l += snprintf(buf + l, n - l, "%s%s", l > 1 ? ", " : "", r(i));
	snprintf(buf + l, n - l, "}");
}

static void test_stack_branch(void)
{
	static const u16 masks[] = { 0x4ff0, 0x0003, 0x4010, 0x8010, 0x1fff, 0x5ff0,
				     0xdfff & ~0x2000, 0x0c00, 0x8ff0 };
	static const s32 boffs[] = { 0, 1, -1, -2, 2, 100, -100, 0x7fffff, -0x800000,
				     0x123456, -0x654321 };
	unsigned int i, a;
	char buf[96];

	for (i = 0; i < sizeof(masks) / 2; i++) {
		list(buf, sizeof(buf), masks[i]);
		out("arm_push", arm_push(masks[i]), "push %s", buf);
		out("arm_pop", arm_pop(masks[i]), "pop %s", buf);
	}
	for (i = 0; i < sizeof(boffs) / 4; i++)
		out("arm_b", arm_b(boffs[i]), "b .+(8+4*(%d))", boffs[i]);
	for (i = 0; i < sizeof(boffs) / 4; i++)
		out("arm_bl", arm_bl(boffs[i]), "bl .+(8+4*(%d))", boffs[i]);
	for (a = 0; a < NR; a++) {
		out("arm_bx", arm_bx(regs[a]), "bx %s", r(regs[a]));
		out("arm_blx_r", arm_blx_r(regs[a]), "blx %s", r(regs[a]));
	}
	BAD("arm_push", arm_push(0x0010), "one register");
	BAD("arm_push", arm_push(0), "no register");
	BAD("arm_push", arm_push(0x2010), "sp in the list");
	BAD("arm_pop", arm_pop(0x8000), "one register");
	BAD("arm_b", arm_b(0x800000), "offset 2^23");
	BAD("arm_b", arm_b(-0x800001), "offset -2^23 - 1");
	BAD("arm_bl", arm_bl(0x800000), "offset 2^23");
	BAD("arm_bl", arm_bl(-0x800001), "offset -2^23 - 1");
	BAD("arm_bx", arm_bx(15), "bx pc");
	BAD("arm_blx_r", arm_blx_r(15), "blx pc");
}

static void test_cond(void)
{
	int c;

	for (c = 0; c < 15; c++) {
		out("arm_cond", arm_cond(c, arm_add_r(1, 2, 3)), "add%s r1, r2, r3", cond_names[c]);
		out("arm_cond", arm_cond(c, arm_mov_i(5, 0xff00)), "mov%s r5, #0xff00",
		    cond_names[c]);
		out("arm_cond", arm_cond(c, arm_b(-5)), "b%s .+(8+4*(-5))", cond_names[c]);
		out("arm_cond", arm_cond(c, arm_ldr_i(0, 1, -8)), "ldr%s r0, [r1, #-8]",
		    cond_names[c]);
		out("arm_cond", arm_cond(c, arm_blx_r(12)), "blx%s r12", cond_names[c]);
		out("arm_cond", arm_cond(c, arm_movw(7, 0x1234)), "movw%s r7, #0x1234",
		    cond_names[c]);
	}
	BAD("arm_cond", arm_cond(ARM_COND_EQ, ARM_INSN_BAD), "of ARM_INSN_BAD");
	BAD("arm_cond", arm_cond(ARM_COND_EQ, arm_dmb_ish()), "of an unconditional insn");
	BAD("arm_cond", arm_cond(ARM_COND_NE, arm_cond(ARM_COND_EQ, arm_add_r(1, 2, 3))),
	    "of an already conditional insn");
}

/* arm_ror32 against a 64-bit rotate, every shift of a few values. */
static void test_ror32(void)
{
	static const u32 vals[] = { 0, 1, 0x80000000, 0x12345678, 0xff,
				    0xdeadbeef, 0xffffffff, 0x0ff00ff0 };
	unsigned int i;
	bool fail = false;
	int s;

	for (i = 0; i < sizeof(vals) / 4; i++)
		for (s = 0; s < 32; s++) {
			u32 want = (u32)((((u64)vals[i] << 32) | vals[i]) >> s);

			if (arm_ror32(vals[i], s) != want) {
				printf("bad\tarm_ror32\tFAIL\t0x%x ror %d: 0x%x, want 0x%x\n",
				       vals[i], s, arm_ror32(vals[i], s), want);
				fail = true;
			}
		}
	printf("bad\tarm_ror32\t%s\tevery shift of %u values\n",
	       fail ? "FAIL" : "ok", (unsigned int)(sizeof(vals) / 4));
}

/* The encoding with the smallest rotation, by trying each (or -1). */
static int imm12_ref(u32 val)
{
	int rot;

	for (rot = 0; rot < 16; rot++) {
		u32 v = rot ? val << (2 * rot) | val >> (32 - 2 * rot) : val;

		if (v <= 0xff)
			return rot << 8 | v;
	}
	return -1;
}

/* arm_imm12 / arm_imm_ok against a brute force over all 4096 encodings. */
static void test_imm12(void)
{
	static const u32 probe[] = { 0, 1, 0xff, 0x100, 0x101, 0x3fc, 0x3fd, 0xff000000,
				     0xf000000f, 0xf000001f, 0x80000000, 0xffffffff,
				     0x00ff0000, 0x01fe0000, 0x03fc0000, 0x12345678,
				     0xc000003f, 0xe000001f };
	unsigned int i;
	int rot, v;
	bool fail = false;

	/* every encodable value is found, with an encoding that decodes to it */
	for (rot = 0; rot < 16; rot++)
		for (v = 0; v < 256; v++) {
			u32 val = rot ? (u32)v >> (2 * rot) | (u32)v << (32 - 2 * rot) : (u32)v;
			int e = arm_imm12(val);
			u32 back;

			if (e < 0 || !arm_imm_ok(val)) {
				printf("bad\tarm_imm12\tFAIL\t0x%x (rot %d imm %d) not found\n",
				       val, rot, v);
				fail = true;
				continue;
			}
			back = (e >> 8) ? (u32)(e & 0xff) >> (2 * (e >> 8)) |
					  (u32)(e & 0xff) << (32 - 2 * (e >> 8)) : (u32)(e & 0xff);
			if (back != val) {
				printf("bad\tarm_imm12\tFAIL\t0x%x encodes as 0x%x = 0x%x\n",
				       val, e, back);
				fail = true;
			}
		}
	for (i = 0; i < sizeof(probe) / 4; i++) {
		bool enc = false;

		for (rot = 0; rot < 16; rot++) {
			u32 x = rot ? probe[i] << (2 * rot) | probe[i] >> (32 - 2 * rot) : probe[i];

			if (x <= 0xff)
				enc = true;
		}
		if (enc != arm_imm_ok(probe[i]) || enc != (arm_imm12(probe[i]) >= 0)) {
			printf("bad\tarm_imm12\tFAIL\t0x%x: encodable %d, arm_imm_ok %d\n",
			       probe[i], enc, arm_imm_ok(probe[i]));
			fail = true;
		}
	}
	/* the same encoding as trying each rotation (the images depend on it) */
	{
		u32 x = 12345, val;
		unsigned int n;

		for (n = 0; n < 4096 + 2000000; n++) {
			if (n < 4096)	/* every encodable value, once more */
				val = (n >> 8) ? (n & 0xff) >> (2 * (n >> 8)) |
						 (n & 0xff) << (32 - 2 * (n >> 8)) :
						 n & 0xff;
			else if (n & 1)	/* 9..16 set bits somewhere */
				val = ((x = x * 1103515245u + 12345u) >> 7 &
				       0xffff) << (x >> 27);
			else
				val = (x = x * 1103515245u + 12345u) ^ n << 16;
			if (arm_imm12(val) != imm12_ref(val)) {
				printf("bad\tarm_imm12\tFAIL\t0x%x: 0x%x, trying each rotation 0x%x\n",
				       val, arm_imm12(val), imm12_ref(val));
				fail = true;
				break;
			}
		}
	}
	printf("bad\tarm_imm12\t%s\tall 4096 encodings and probes\n", fail ? "FAIL" : "ok");
	printf("bad\tarm_imm_ok\t%s\tall 4096 encodings and probes\n", fail ? "FAIL" : "ok");
}

/*
 * ARMv6K's constants: the parts arm_imm_split() gives are disjoint
 * modified immediates (as checks the encodings) whose OR is the value, no
 * more of them than the value has nonzero bytes; arm_imm_seq()'s
 * instructions, run on one register, load it (fixed: always 4).
 */
static void test_imm_seq(void)
{
	static const u32 fixed_v[] = { 0x12345678, 0xfa11, 0, 0xffffffff };
	u32 vals[200];
	unsigned int nv = 0, i, k;
	u32 x = 0x9e3779b9;

	for (i = 0; i < sizeof(good_imms) / 4; i++)
		vals[nv++] = good_imms[i];
	for (i = 0; i < sizeof(bad_imms) / 4; i++)
		vals[nv++] = bad_imms[i];
	vals[nv++] = 0x00ffff00;
	vals[nv++] = 0xff0000ff;	/* wraps around: 1 part */
	vals[nv++] = 0x81000001;	/* across bit 31: 2 parts */
	vals[nv++] = 0xfffeffff;
	while (nv < sizeof(vals) / 4) {
		x = x * 1103515245 + 12345;
		vals[nv++] = x >> (nv % 24);
	}
	for (i = 0; i < nv; i++) {
		u32 parts[4], seq[4], or = 0, val = vals[i];
		int n = arm_imm_split(val, parts), bytes = 0, m, nn, j;
		bool ok = n >= 0 && n <= 4;

		for (j = 0; j < 4; j++)
			bytes += !!(val >> (8 * j) & 0xff);
		for (j = 0; ok && j < n; j++) {
			ok = arm_imm_ok(parts[j]) && !(or & parts[j]) && parts[j];
			or |= parts[j];
			out("arm_imm_split", arm_dp_imm(ARM_DP_ORR, false, 3, 3, parts[j]),
			    "orr r3, r3, #0x%x", parts[j]);
		}
		ok = ok && or == val && n <= bytes;
		printf("dec\tarm_imm_split\t%s\t0x%08x: %d parts\n",
		       ok ? "ok" : "FAIL", val, n);
		for (k = 0; k < 2; k++) {
			u32 acc = 0;

			if (k && i >= sizeof(fixed_v) / 4)
				break;
			if (k)
				val = fixed_v[i];
			m = arm_imm_seq(5, val, k, seq);
			nn = arm_imm_split(~val, parts);
			/* the shorter of mov/orr and mvn/bic, or 4 */
			ok = k ? m == 4 :
			     m == (!n || !nn ? 1 : n < nn ? n : nn);
			for (j = 0; ok && j < m; j++) {
				struct arm_dec d;

				ok = arm_decode(seq[j], &d) && d.kind == ARM_K_DP_IMM &&
				     d.rd == 5 && !d.s;
				if (!ok)
					break;
				if (j == 0 && (d.op == ARM_DP_MOV || d.op == ARM_DP_MVN))
					acc = d.op == ARM_DP_MOV ? d.imm : ~d.imm;
				else if (j && d.rn == 5 && d.op == ARM_DP_ORR)
					acc |= d.imm;
				else if (j && d.rn == 5 && d.op == ARM_DP_BIC)
					acc &= ~d.imm;
				else
					ok = false;
				out("arm_imm_seq", seq[j], "%s r5, %s#0x%x", dp_names[d.op],
				    j ? "r5, " : "", d.imm);
			}
			printf("dec\tarm_imm_seq\t%s\t0x%08x%s: %d insns, r5 = 0x%08x\n",
			       ok && acc == val ? "ok" : "FAIL", val, k ? " fixed" : "",
			       m, acc);
		}
	}
	BAD("arm_imm_seq", (arm_imm_seq(15, 1, false, vals), vals[0]), "rd = pc");
}

int main(void)
{
	test_dp();
	test_named();
	test_movw();
	test_ldst();
	test_excl();
	test_stack_branch();
	test_cond();
	test_imm12();
	test_ror32();
	test_imm_seq();
	return 0;
}
