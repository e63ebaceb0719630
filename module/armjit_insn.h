/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARMv7-A instruction encoders (ARM state) for armjit.
 *
 * Each ARMv7-only one (movw/movt, mls, udiv/sdiv, dmb) has its ARMv6K
 * alternative next to it: the translation picks one by the level
 * armjit_rt.arch (armjit_translate.h, arm_v7()). Everything else here
 * is ARMv6K too (ldrex/strex ARMv6, ldrexd/strexd ARMv6K, rev and the
 * extends ARMv6, ldrd/strd ARMv5TE, blx ARMv5T).
 *
 * One pure function per instruction, named after the mnemonic, returning
 * the 32-bit opcode with condition AL; arm_cond() makes any of them
 * conditional. An operand an instruction can't encode (an immediate out of
 * range, a register pair the instruction forbids) yields ARM_INSN_BAD, a
 * permanently undefined instruction, never a different instruction.
 */
#ifndef ARMJIT_INSN_H
#define ARMJIT_INSN_H

#include "armjit_compat.h"

enum {
	ARM_R0, ARM_R1, ARM_R2, ARM_R3, ARM_R4, ARM_R5, ARM_R6, ARM_R7,
	ARM_R8, ARM_R9, ARM_R10, ARM_R11, ARM_IP, ARM_SP, ARM_LR, ARM_PC,
};

enum arm_cond {
	ARM_COND_EQ, ARM_COND_NE, ARM_COND_HS, ARM_COND_LO,
	ARM_COND_MI, ARM_COND_PL, ARM_COND_VS, ARM_COND_VC,
	ARM_COND_HI, ARM_COND_LS, ARM_COND_GE, ARM_COND_LT,
	ARM_COND_GT, ARM_COND_LE, ARM_COND_AL,
};

enum arm_shift { ARM_LSL, ARM_LSR, ARM_ASR, ARM_ROR };

/* Data-processing opcodes (bits 24:21). */
enum arm_dp {
	ARM_DP_AND, ARM_DP_EOR, ARM_DP_SUB, ARM_DP_RSB,
	ARM_DP_ADD, ARM_DP_ADC, ARM_DP_SBC, ARM_DP_RSC,
	ARM_DP_TST, ARM_DP_TEQ, ARM_DP_CMP, ARM_DP_CMN,
	ARM_DP_ORR, ARM_DP_MOV, ARM_DP_BIC, ARM_DP_MVN,
};

/* udf #0xbad: what an encoder returns for operands it can't encode */
#define ARM_INSN_BAD	0xe7f0bafd

/*
 * Instruction fields, shared with the decoders (armjit_decode.h): an
 * encoder puts an operand where its decoder takes it from.
 */
#define ARM_COND_SHIFT	28
#define ARM_RN_SHIFT	16		/* Rn; Rd of multiplies, udiv */
#define ARM_RD_SHIFT	12		/* Rd, Rt; Ra, RdLo of multiplies */
#define ARM_RS_SHIFT	8		/* Rs; Rm of multiplies, udiv */
#define ARM_RM_SHIFT	0		/* Rm; Rn of multiplies, udiv */
#define ARM_DP_OP_SHIFT	21		/* enum arm_dp */
#define ARM_SHIFT_N_SHIFT 7		/* shift amount, 5 bits */
#define ARM_SHIFT_T_SHIFT 5		/* enum arm_shift */
#define ARM_P_BIT	(1U << 24)	/* loads/stores: pre-indexed */
#define ARM_U_BIT	(1U << 23)	/* ... offset added */
#define ARM_W_BIT	(1U << 21)	/* ... writeback */
#define ARM_L_BIT	(1U << 20)	/* ... a load */
#define ARM_S_BIT	(1U << 20)	/* data processing: sets flags */
#define ARM_B_BIT	(1U << 22)	/* word/byte: a byte */
#define ARM_HI_BIT	(1U << 22)	/* halfword/dual: immediate offset */
#define ARM_LINK_BIT	(1U << 24)	/* b: bl */

/*
 * Opcodes with condition AL and every operand field 0, and the masks
 * that tell each from every other encoding armjit emits.
 */
#define ARM_OP_DP_IMM	0xe2000000	/* mask ARM_MASK_CLASS */
#define ARM_OP_DP_RSI	0xe0000000	/* mask 0x0e000010 */
#define ARM_OP_DP_RSR	0xe0000010	/* mask 0x0e000090 */
#define ARM_OP_MOVW	0xe3000000	/* mask 0x0ff00000 */
#define ARM_OP_MOVT	0xe3400000
#define ARM_MASK_MOVW	0x0ff00000
#define ARM_OP_MUL	0xe0000090	/* mask ARM_MASK_MUL */
#define ARM_OP_MLA	0xe0200090
#define ARM_OP_MLS	0xe0600090
#define ARM_OP_UMULL	0xe0800090
#define ARM_MASK_MUL	0x0ff000f0
#define ARM_OP_UDIV	0xe730f010	/* mask ARM_MASK_DIV */
#define ARM_OP_SDIV	0xe710f010
#define ARM_MASK_DIV	0x0ff0f0f0
#define ARM_OP_REV	0xe6bf0f30	/* mask ARM_MASK_EXT */
#define ARM_OP_REV16	0xe6bf0fb0
#define ARM_OP_UXTH	0xe6ff0070
#define ARM_OP_SXTB	0xe6af0070
#define ARM_OP_SXTH	0xe6bf0070
#define ARM_MASK_EXT	0x0fff0ff0
#define ARM_OP_LDR_I	0xe5100000	/* mask ARM_MASK_LS */
#define ARM_OP_STR_I	0xe5000000
#define ARM_OP_LDRB_I	0xe5500000
#define ARM_OP_STRB_I	0xe5400000
#define ARM_MASK_LS	0x0f700000	/* P U B W L: U is the sign */
#define ARM_OP_LDRH_I	0xe15000b0	/* mask ARM_MASK_LSH */
#define ARM_OP_STRH_I	0xe14000b0
#define ARM_OP_LDRSB_I	0xe15000d0
#define ARM_OP_LDRSH_I	0xe15000f0
#define ARM_OP_LDRD_I	0xe14000d0
#define ARM_OP_STRD_I	0xe14000f0
#define ARM_MASK_LSH	0x0f7000f0
#define ARM_OP_LDR_R	0xe7900000	/* mask 0x0ff00070 */
#define ARM_MASK_LDR_R	0x0ff00070
#define ARM_OP_LDREX	0xe1900f9f	/* mask ARM_MASK_EX */
#define ARM_OP_STREX	0xe1800f90
#define ARM_OP_LDREXD	0xe1b00f9f
#define ARM_OP_STREXD	0xe1a00f90
#define ARM_MASK_EX	0x0ff00ff0
#define ARM_OP_DMB	0xf57ff050	/* option in bits 3:0 */
#define ARM_MASK_DMB	0xfffffff0
#define ARM_DMB_ISH	0xb
#define ARM_OP_CP15_DMB	0xee070fba	/* mcr p15, 0, rt, c7, c10, 5 */
#define ARM_MASK_CP15_DMB 0xffff0fff
#define ARM_OP_MRC_TP	0xee1d0f70	/* mrc p15, 0, rt, c13, c0, 3 */
#define ARM_MASK_MRC_TP	0xffff0fff
#define ARM_OP_PUSH	0xe92d0000	/* mask ARM_MASK_LDM */
#define ARM_OP_POP	0xe8bd0000
#define ARM_MASK_LDM	0x0fff0000
#define ARM_OP_B	0xea000000	/* mask ARM_MASK_B */
#define ARM_OP_BL	0xeb000000
#define ARM_MASK_B	0x0f000000
#define ARM_B_OFF_MASK	0x00ffffff
#define ARM_OP_BX	0xe12fff10	/* mask ARM_MASK_BX */
#define ARM_OP_BLX_R	0xe12fff30
#define ARM_MASK_BX	0x0ffffff0
#define ARM_OP_UDF	0xe7f000f0	/* mask 0x0ff000f0, imm16 */
#define ARM_MASK_UDF	0x0ff000f0

/* Conditional form of insn (which must be a conditional-space one). */
static inline u32 arm_cond(enum arm_cond cond, u32 insn)
{
	if (insn == ARM_INSN_BAD || (insn >> ARM_COND_SHIFT) != ARM_COND_AL)
		return ARM_INSN_BAD;
	return (insn & ~(15U << ARM_COND_SHIFT)) | (u32)cond << ARM_COND_SHIFT;
}

/*
 * Modified immediate (imm8 rotated right by an even amount): the 12-bit
 * field for val with the smallest rotation, or -1 if val has no such
 * form. Its 8-bit window starts at bit s = 32 - 2 * rot: the highest s
 * wins. One that doesn't wrap past bit 31 can start no higher than the
 * lowest set bit's pair; only s = 26, 28, 30 (rot 3, 2, 1) wrap.
 */
static inline int arm_imm12(u32 val)
{
	int rot, s;

	if (val <= 0xff)
		return val;
	s = __builtin_ctz(val) & ~1;
	if (!(val >> s >> 8))
		return (32 - s) << 7 | val >> s;	/* rot (32 - s) / 2 */
	for (rot = 1; rot <= 3; rot++) {
		u32 v = val << (2 * rot) | val >> (32 - 2 * rot);

		if (v <= 0xff)
			return rot << 8 | v;
	}
	return -1;
}

static inline bool arm_imm_ok(u32 val)
{
	return arm_imm12(val) >= 0;
}

/* Format builders. */

static inline u32 arm_dp_imm(enum arm_dp op, bool s, u8 rd, u8 rn, u32 imm)
{
	int enc = arm_imm12(imm);

	if (enc < 0 || rd > 15 || rn > 15)
		return ARM_INSN_BAD;
	return ARM_OP_DP_IMM | op << ARM_DP_OP_SHIFT | (s ? ARM_S_BIT : 0) |
	       rn << ARM_RN_SHIFT | rd << ARM_RD_SHIFT | enc;
}

/* op rd, rn, rm, <type> #n (LSR/ASR accept 1..32, LSL 0..31) */
static inline u32 arm_dp_rsi(enum arm_dp op, bool s, u8 rd, u8 rn, u8 rm,
			     enum arm_shift type, u8 n)
{
	if (rd > 15 || rn > 15 || rm > 15)
		return ARM_INSN_BAD;
	if (n == 0)
		type = ARM_LSL;		/* shift by 0: plain register */
	else if (n > (type == ARM_LSR || type == ARM_ASR ? 32 : 31))
		return ARM_INSN_BAD;
	return ARM_OP_DP_RSI | op << ARM_DP_OP_SHIFT | (s ? ARM_S_BIT : 0) |
	       rn << ARM_RN_SHIFT | rd << ARM_RD_SHIFT |
	       (n & 31) << ARM_SHIFT_N_SHIFT | type << ARM_SHIFT_T_SHIFT |
	       rm << ARM_RM_SHIFT;
}

static inline u32 arm_dp_reg(enum arm_dp op, bool s, u8 rd, u8 rn, u8 rm)
{
	return arm_dp_rsi(op, s, rd, rn, rm, ARM_LSL, 0);
}

/* op rd, rn, rm, <type> rs (shift by the bottom byte of rs) */
static inline u32 arm_dp_rsr(enum arm_dp op, bool s, u8 rd, u8 rn, u8 rm,
			     enum arm_shift type, u8 rs)
{
	if (rd > 14 || rn > 14 || rm > 14 || rs > 14)
		return ARM_INSN_BAD;
	return ARM_OP_DP_RSR | op << ARM_DP_OP_SHIFT | (s ? ARM_S_BIT : 0) |
	       rn << ARM_RN_SHIFT | rd << ARM_RD_SHIFT | rs << ARM_RS_SHIFT |
	       type << ARM_SHIFT_T_SHIFT | rm << ARM_RM_SHIFT;
}

/* Moves. */

static inline u32 arm_mov_r(u8 rd, u8 rm)
{
	return arm_dp_reg(ARM_DP_MOV, false, rd, 0, rm);
}

static inline u32 arm_mov_i(u8 rd, u32 imm)
{
	return arm_dp_imm(ARM_DP_MOV, false, rd, 0, imm);
}

static inline u32 arm_mvn_r(u8 rd, u8 rm)
{
	return arm_dp_reg(ARM_DP_MVN, false, rd, 0, rm);
}

static inline u32 arm_mvn_i(u8 rd, u32 imm)
{
	return arm_dp_imm(ARM_DP_MVN, false, rd, 0, imm);
}

/* mov rd, rm, <type> #n */
static inline u32 arm_mov_si(u8 rd, u8 rm, enum arm_shift type, u8 n)
{
	return arm_dp_rsi(ARM_DP_MOV, false, rd, 0, rm, type, n);
}

/* mov rd, rm, <type> rs */
static inline u32 arm_mov_sr(u8 rd, u8 rm, enum arm_shift type, u8 rs)
{
	return arm_dp_rsr(ARM_DP_MOV, false, rd, 0, rm, type, rs);
}

static inline u32 arm_movw(u8 rd, u16 imm)
{
	if (rd > 14)
		return ARM_INSN_BAD;
	return ARM_OP_MOVW | (imm >> 12) << ARM_RN_SHIFT | rd << ARM_RD_SHIFT |
	       (imm & 0xfff);
}

static inline u32 arm_movt(u8 rd, u16 imm)
{
	if (rd > 14)
		return ARM_INSN_BAD;
	return ARM_OP_MOVT | (imm >> 12) << ARM_RN_SHIFT | rd << ARM_RD_SHIFT |
	       (imm & 0xfff);
}

/* v rotated right by s (0..31) */
static inline u32 arm_ror32(u32 v, int s)
{
	return s ? v >> s | v << (32 - s) : v;
}

/*
 * ARMv6 (no movw/movt): val as the fewest modified immediates whose OR it
 * is, into parts[] (at most 4: one per byte); their count, 0 for val 0.
 * A mov of the first and an orr of each other loads val (arm_imm_seq()).
 * Greedy from every even bit position: the best of those is the fewest.
 * From a start, val rotated right by it: the lowest set bit's even pair
 * begins each part (the bits below it are clear by then, so a part that
 * runs past bit 31 takes nothing there). A start whose pair is clear
 * gives what the next one gives; a start stops once it can't beat the
 * best so far (emit() asks this of every ARMv6K constant). One part
 * is val itself, if encodable; past that the search ends at two.
 */
static inline int arm_imm_split(u32 val, u32 parts[4])
{
	int start, best = 5;

	if (arm_imm_ok(val)) {
		parts[0] = val;
		return val ? 1 : 0;
	}
	for (start = 0; start < 32 && best > 2; start += 2) {
		u32 r = arm_ror32(val, start), p[4];
		int n = 0;

		if (!(r & 3) && val)
			continue;
		while (r && n < best - 1) {
			u32 part = r & 0xffU << (__builtin_ctz(r) & ~1);

			p[n++] = arm_ror32(part, (32 - start) & 31);
			r &= ~part;
		}
		if (!r && n < best) {
			best = n;
			memcpy(parts, p, n * sizeof(*p));
		}
	}
	return best;
}

/*
 * ARMv6: the instructions that load val into rd without movw/movt, into
 * insn[] (at most 4); their count. mov/orr of val's parts or mvn/bic of
 * ~val's, the shorter (mov on a tie); fixed: always 4, mov then orr of
 * each byte (for what a later pass patches: its size can't change).
 */
static inline int arm_imm_seq(u8 rd, u32 val, bool fixed, u32 insn[4])
{
	u32 p[4], np[4];
	int n, nn, i;

	if (rd > 14) {
		insn[0] = ARM_INSN_BAD;
		return 1;
	}
	if (fixed) {
		insn[0] = arm_dp_imm(ARM_DP_MOV, false, rd, 0, val & 0xff);
		for (i = 1; i < 4; i++)
			insn[i] = arm_dp_imm(ARM_DP_ORR, false, rd, rd,
					     val & 0xffU << 8 * i);
		return 4;
	}
	n = arm_imm_split(val, p);
	if (n <= 1) {		/* a mov: mvn/bic can't be shorter */
		insn[0] = arm_dp_imm(ARM_DP_MOV, false, rd, 0, n ? p[0] : 0);
		return 1;
	}
	nn = arm_imm_split(~val, np);
	if (!nn) {
		insn[0] = arm_dp_imm(ARM_DP_MVN, false, rd, 0, 0);
		return 1;
	}
	if (nn < n) {
		insn[0] = arm_dp_imm(ARM_DP_MVN, false, rd, 0, np[0]);
		for (i = 1; i < nn; i++)
			insn[i] = arm_dp_imm(ARM_DP_BIC, false, rd, rd, np[i]);
		return nn;
	}
	insn[0] = arm_dp_imm(ARM_DP_MOV, false, rd, 0, p[0]);
	for (i = 1; i < n; i++)
		insn[i] = arm_dp_imm(ARM_DP_ORR, false, rd, rd, p[i]);
	return n;
}

/* Arithmetic and logic, register and immediate forms. */

static inline u32 arm_add_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_ADD, false, rd, rn, rm);
}

static inline u32 arm_add_i(u8 rd, u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_ADD, false, rd, rn, imm);
}

static inline u32 arm_adds_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_ADD, true, rd, rn, rm);
}

static inline u32 arm_adc_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_ADC, false, rd, rn, rm);
}

static inline u32 arm_sub_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_SUB, false, rd, rn, rm);
}

static inline u32 arm_sub_i(u8 rd, u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_SUB, false, rd, rn, imm);
}

static inline u32 arm_subs_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_SUB, true, rd, rn, rm);
}

static inline u32 arm_subs_i(u8 rd, u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_SUB, true, rd, rn, imm);
}

static inline u32 arm_sbc_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_SBC, false, rd, rn, rm);
}

static inline u32 arm_sbcs_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_SBC, true, rd, rn, rm);
}

static inline u32 arm_rsb_i(u8 rd, u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_RSB, false, rd, rn, imm);
}

static inline u32 arm_rsbs_i(u8 rd, u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_RSB, true, rd, rn, imm);
}

static inline u32 arm_rsc_i(u8 rd, u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_RSC, false, rd, rn, imm);
}

static inline u32 arm_and_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_AND, false, rd, rn, rm);
}

static inline u32 arm_and_i(u8 rd, u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_AND, false, rd, rn, imm);
}

static inline u32 arm_orr_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_ORR, false, rd, rn, rm);
}

static inline u32 arm_orrs_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_ORR, true, rd, rn, rm);
}

/* orr rd, rn, rm, <type> #n */
static inline u32 arm_orr_si(u8 rd, u8 rn, u8 rm, enum arm_shift type, u8 n)
{
	return arm_dp_rsi(ARM_DP_ORR, false, rd, rn, rm, type, n);
}

/* orr rd, rn, rm, <type> rs */
static inline u32 arm_orr_sr(u8 rd, u8 rn, u8 rm, enum arm_shift type, u8 rs)
{
	return arm_dp_rsr(ARM_DP_ORR, false, rd, rn, rm, type, rs);
}

static inline u32 arm_eor_r(u8 rd, u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_EOR, false, rd, rn, rm);
}

static inline u32 arm_cmp_r(u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_CMP, true, 0, rn, rm);
}

static inline u32 arm_cmp_i(u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_CMP, true, 0, rn, imm);
}

static inline u32 arm_cmn_i(u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_CMN, true, 0, rn, imm);
}

static inline u32 arm_tst_r(u8 rn, u8 rm)
{
	return arm_dp_reg(ARM_DP_TST, true, 0, rn, rm);
}

static inline u32 arm_tst_i(u8 rn, u32 imm)
{
	return arm_dp_imm(ARM_DP_TST, true, 0, rn, imm);
}

/* Multiply and divide. */

/* rd = rn * rm */
static inline u32 arm_mul(u8 rd, u8 rn, u8 rm)
{
	if (rd > 14 || rn > 14 || rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_MUL | rd << ARM_RN_SHIFT | rm << ARM_RS_SHIFT |
	       rn << ARM_RM_SHIFT;
}

/* rd = ra + rn * rm */
static inline u32 arm_mla(u8 rd, u8 rn, u8 rm, u8 ra)
{
	if (rd > 14 || rn > 14 || rm > 14 || ra > 14)
		return ARM_INSN_BAD;
	return ARM_OP_MLA | rd << ARM_RN_SHIFT | ra << ARM_RD_SHIFT |
	       rm << ARM_RS_SHIFT | rn << ARM_RM_SHIFT;
}

/*
 * rd = ra - rn * rm (ARMv6T2, ARMv7). ARMv6K: only udiv/sdiv's remainders
 * need it, and an ARMv6K JIT has no hardware divide (armjit_rt.hwdiv 0):
 * its remainders come from the kernel's routines.
 */
static inline u32 arm_mls(u8 rd, u8 rn, u8 rm, u8 ra)
{
	if (rd > 14 || rn > 14 || rm > 14 || ra > 14)
		return ARM_INSN_BAD;
	return ARM_OP_MLS | rd << ARM_RN_SHIFT | ra << ARM_RD_SHIFT |
	       rm << ARM_RS_SHIFT | rn << ARM_RM_SHIFT;
}

/* rdhi:rdlo = rn * rm, unsigned */
static inline u32 arm_umull(u8 rdlo, u8 rdhi, u8 rn, u8 rm)
{
	if (rdlo > 14 || rdhi > 14 || rn > 14 || rm > 14 || rdlo == rdhi)
		return ARM_INSN_BAD;
	return ARM_OP_UMULL | rdhi << ARM_RN_SHIFT | rdlo << ARM_RD_SHIFT |
	       rm << ARM_RS_SHIFT | rn << ARM_RM_SHIFT;
}

/*
 * rd = rn / rm, unsigned (ARMv7VE / IDIVA; x / 0 = 0). Without it (ARMv6K,
 * Cortex-A8/A9: armjit_rt.hwdiv 0) a call of __aeabi_uidivmod.
 */
static inline u32 arm_udiv(u8 rd, u8 rn, u8 rm)
{
	if (rd > 14 || rn > 14 || rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_UDIV | rd << ARM_RN_SHIFT | rm << ARM_RS_SHIFT |
	       rn << ARM_RM_SHIFT;
}

/* rd = rn / rm, signed (ARMv7VE / IDIVA; x / 0 = 0, INT_MIN / -1 = INT_MIN) */
static inline u32 arm_sdiv(u8 rd, u8 rn, u8 rm)
{
	if (rd > 14 || rn > 14 || rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_SDIV | rd << ARM_RN_SHIFT | rm << ARM_RS_SHIFT |
	       rn << ARM_RM_SHIFT;
}

/* Byte order and extension. */

static inline u32 arm_rev(u8 rd, u8 rm)
{
	if (rd > 14 || rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_REV | rd << ARM_RD_SHIFT | rm << ARM_RM_SHIFT;
}

static inline u32 arm_rev16(u8 rd, u8 rm)
{
	if (rd > 14 || rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_REV16 | rd << ARM_RD_SHIFT | rm << ARM_RM_SHIFT;
}

static inline u32 arm_uxth(u8 rd, u8 rm)
{
	if (rd > 14 || rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_UXTH | rd << ARM_RD_SHIFT | rm << ARM_RM_SHIFT;
}

static inline u32 arm_sxtb(u8 rd, u8 rm)
{
	if (rd > 14 || rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_SXTB | rd << ARM_RD_SHIFT | rm << ARM_RM_SHIFT;
}

static inline u32 arm_sxth(u8 rd, u8 rm)
{
	if (rd > 14 || rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_SXTH | rd << ARM_RD_SHIFT | rm << ARM_RM_SHIFT;
}

/* Loads and stores: [rn, #off] and [rn, rm]. */

/* word and byte, offset -4095..4095 */
/* the fields of an offset 0..4095 added, the caller's range checks made */
static inline u32 arm_ls_imm_up(u32 op, u8 rt, u8 rn, u32 off)
{
	return op | ARM_U_BIT | rn << ARM_RN_SHIFT | rt << ARM_RD_SHIFT | off;
}

static inline u32 arm_ls_imm(u32 op, u8 rt, u8 rn, s32 off)
{
	if (off < -4095 || off > 4095 || rt > 14 || rn > 15)
		return ARM_INSN_BAD;
	if (off >= 0)
		return arm_ls_imm_up(op, rt, rn, off);
	return arm_ls_imm_up(op, rt, rn, -off) & ~ARM_U_BIT;
}

/* halfword and dual: the fields of an offset 0..255 added, as above */
static inline u32 arm_lsh_imm_up(u32 op, u8 rt, u8 rn, u32 off)
{
	return op | ARM_U_BIT | rn << ARM_RN_SHIFT | rt << ARM_RD_SHIFT |
	       (off >> 4) << 8 | (off & 15);
}

/* halfword, offset -255..255 */
static inline u32 arm_lsh_imm(u32 op, u8 rt, u8 rn, s32 off)
{
	if (off < -255 || off > 255 || rt > 14 || rn > 15)
		return ARM_INSN_BAD;
	if (off >= 0)
		return arm_lsh_imm_up(op, rt, rn, off);
	return arm_lsh_imm_up(op, rt, rn, -off) & ~ARM_U_BIT;
}

static inline u32 arm_ldr_i(u8 rt, u8 rn, s32 off)
{
	return arm_ls_imm(ARM_OP_LDR_I, rt, rn, off);
}

static inline u32 arm_str_i(u8 rt, u8 rn, s32 off)
{
	return arm_ls_imm(ARM_OP_STR_I, rt, rn, off);
}

static inline u32 arm_ldrb_i(u8 rt, u8 rn, s32 off)
{
	return arm_ls_imm(ARM_OP_LDRB_I, rt, rn, off);
}

static inline u32 arm_strb_i(u8 rt, u8 rn, s32 off)
{
	return arm_ls_imm(ARM_OP_STRB_I, rt, rn, off);
}

static inline u32 arm_ldrh_i(u8 rt, u8 rn, s32 off)
{
	return arm_lsh_imm(ARM_OP_LDRH_I, rt, rn, off);
}

static inline u32 arm_strh_i(u8 rt, u8 rn, s32 off)
{
	return arm_lsh_imm(ARM_OP_STRH_I, rt, rn, off);
}

/* sign-extending byte and halfword loads, offset -255..255 */
static inline u32 arm_ldrsb_i(u8 rt, u8 rn, s32 off)
{
	return arm_lsh_imm(ARM_OP_LDRSB_I, rt, rn, off);
}

static inline u32 arm_ldrsh_i(u8 rt, u8 rn, s32 off)
{
	return arm_lsh_imm(ARM_OP_LDRSH_I, rt, rn, off);
}

/* rt, rt + 1 = [rn + off] / [rn + off] = rt, rt + 1; rt even, r0-r10 */
static inline u32 arm_ldrd_i(u8 rt, u8 rn, s32 off)
{
	if ((rt & 1) || rt > 10)
		return ARM_INSN_BAD;
	return arm_lsh_imm(ARM_OP_LDRD_I, rt, rn, off);
}

static inline u32 arm_strd_i(u8 rt, u8 rn, s32 off)
{
	if ((rt & 1) || rt > 10)
		return ARM_INSN_BAD;
	return arm_lsh_imm(ARM_OP_STRD_I, rt, rn, off);
}

/* ldr rt, [rn, rm, lsl #n] */
static inline u32 arm_ldr_r(u8 rt, u8 rn, u8 rm, u8 n)
{
	if (rt > 14 || rn > 15 || rm > 14 || n > 31)
		return ARM_INSN_BAD;
	return ARM_OP_LDR_R | rn << ARM_RN_SHIFT | rt << ARM_RD_SHIFT |
	       n << ARM_SHIFT_N_SHIFT | rm << ARM_RM_SHIFT;
}

/* Exclusives and barriers. */

static inline u32 arm_ldrex(u8 rt, u8 rn)
{
	if (rt > 14 || rn > 14)
		return ARM_INSN_BAD;
	return ARM_OP_LDREX | rn << ARM_RN_SHIFT | rt << ARM_RD_SHIFT;
}

/* rd = 0 if [rn] = rt happened, else 1 */
static inline u32 arm_strex(u8 rd, u8 rt, u8 rn)
{
	if (rd > 14 || rt > 14 || rn > 14 || rd == rt || rd == rn)
		return ARM_INSN_BAD;
	return ARM_OP_STREX | rn << ARM_RN_SHIFT | rd << ARM_RD_SHIFT |
	       rt << ARM_RM_SHIFT;
}

/* rt, rt + 1 = [rn]; rt even, not r14 */
static inline u32 arm_ldrexd(u8 rt, u8 rn)
{
	if ((rt & 1) || rt > 12 || rn > 14)
		return ARM_INSN_BAD;
	return ARM_OP_LDREXD | rn << ARM_RN_SHIFT | rt << ARM_RD_SHIFT;
}

static inline u32 arm_strexd(u8 rd, u8 rt, u8 rn)
{
	if ((rt & 1) || rt > 12 || rd > 14 || rn > 14 || rd == rn ||
	    rd == rt || rd == rt + 1)
		return ARM_INSN_BAD;
	return ARM_OP_STREXD | rn << ARM_RN_SHIFT | rd << ARM_RD_SHIFT |
	       rt << ARM_RM_SHIFT;
}

static inline u32 arm_dmb_ish(void)
{
	return ARM_OP_DMB | ARM_DMB_ISH;
}

/*
 * ARMv6's dmb (ARMv7 has it too, deprecated): the CP15 data memory
 * barrier, rt must hold 0.
 */
static inline u32 arm_cp15_dmb(u8 rt)
{
	if (rt > 14)
		return ARM_INSN_BAD;
	return ARM_OP_CP15_DMB | rt << ARM_RD_SHIFT;
}

/*
 * Read TPIDRURO, the user read-only thread ID register (ARMv6K and
 * later): the kernel keeps current there (CURRENT_POINTER_IN_TPIDRURO).
 */
static inline u32 arm_mrc_tpidruro(u8 rt)
{
	if (rt > 14)
		return ARM_INSN_BAD;
	return ARM_OP_MRC_TP | rt << ARM_RD_SHIFT;
}

/* Stack: push/pop of a register mask (at least two registers). */

static inline u32 arm_push(u16 mask)
{
	if (!mask || !(mask & (mask - 1)) || (mask & (1 << ARM_SP)))
		return ARM_INSN_BAD;
	return ARM_OP_PUSH | mask;
}

static inline u32 arm_pop(u16 mask)
{
	if (!mask || !(mask & (mask - 1)) || (mask & (1 << ARM_SP)))
		return ARM_INSN_BAD;
	return ARM_OP_POP | mask;
}

/* Branches. */

/* b to pc + 8 + 4 * off */
static inline u32 arm_b(s32 off)
{
	if (off < -(1 << 23) || off >= (1 << 23))
		return ARM_INSN_BAD;
	return ARM_OP_B | (off & ARM_B_OFF_MASK);
}

/* bl .+8+4*off: call within +-32 MB */
static inline u32 arm_bl(s32 off)
{
	if (off < -(1 << 23) || off >= (1 << 23))
		return ARM_INSN_BAD;
	return ARM_OP_BL | (off & ARM_B_OFF_MASK);
}

static inline u32 arm_bx(u8 rm)
{
	if (rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_BX | rm << ARM_RM_SHIFT;
}

static inline u32 arm_blx_r(u8 rm)
{
	if (rm > 14)
		return ARM_INSN_BAD;
	return ARM_OP_BLX_R | rm << ARM_RM_SHIFT;
}

#endif /* ARMJIT_INSN_H */
