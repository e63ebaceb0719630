/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoders of the ARM instructions armjit_insn.h encodes, on the same
 * field and opcode definitions (as arm64's aarch64_insn_decode_*() beside
 * its encoders). arm_decode() names the encoder a word came from and
 * gives its operands back; tests/host/test_insn.c checks that
 * re-encoding every word it decodes gives the same word. Anything no
 * encoder makes (writeback, register offsets but ldr_r's, other
 * coprocessor or system space) is ARM_K_UNKNOWN.
 */
#ifndef ARMJIT_DECODE_H
#define ARMJIT_DECODE_H

#include "armjit_insn.h"

enum arm_kind {
	ARM_K_UNKNOWN,
	ARM_K_DP_IMM,	/* arm_dp_imm(op, s, rd, rn, imm) */
	ARM_K_DP_RSI,	/* arm_dp_rsi(op, s, rd, rn, rm, shift, n) */
	ARM_K_DP_RSR,	/* arm_dp_rsr(op, s, rd, rn, rm, shift, rs) */
	ARM_K_MOVW,	/* arm_movw(rd, imm) */
	ARM_K_MOVT,	/* arm_movt(rd, imm) */
	ARM_K_MUL,	/* arm_mul(rd, rn, rm) */
	ARM_K_MLA,	/* arm_mla(rd, rn, rm, ra) */
	ARM_K_MLS,	/* arm_mls(rd, rn, rm, ra) */
	ARM_K_UMULL,	/* arm_umull(rd = lo, ra = hi, rn, rm) */
	ARM_K_UDIV,	/* arm_udiv(rd, rn, rm) */
	ARM_K_SDIV,
	ARM_K_REV,	/* arm_rev(rd, rm) */
	ARM_K_REV16,
	ARM_K_UXTH,
	ARM_K_SXTB,
	ARM_K_SXTH,
	ARM_K_LDST,	/* immediate offset: load, size, sign; rt, rn, off */
	ARM_K_LDR_R,	/* arm_ldr_r(rt, rn, rm, n) */
	ARM_K_LDREX,	/* arm_ldrex(rt, rn) */
	ARM_K_STREX,	/* arm_strex(rd, rt, rn) */
	ARM_K_LDREXD,
	ARM_K_STREXD,
	ARM_K_DMB,	/* option in imm */
	ARM_K_CP15_DMB,	/* arm_cp15_dmb(rt) */
	ARM_K_MRC_TP,	/* arm_mrc_tpidruro(rt) */
	ARM_K_PUSH,	/* register mask in imm */
	ARM_K_POP,
	ARM_K_B,	/* b: off in words from pc + 8 */
	ARM_K_BL,
	ARM_K_BX,	/* arm_bx(rm) */
	ARM_K_BLX_R,
	ARM_K_UDF,	/* imm16 in imm: ARMJIT_UDF, ARM_INSN_BAD */
};

struct arm_dec {
	enum arm_kind kind;
	u8 cond;		/* enum arm_cond */
	u8 op;			/* data processing: enum arm_dp */
	bool s;			/* ... sets flags */
	u8 rd, rn, rm, rs, ra, rt;
	u8 shift, n;		/* shift type and amount (1..32, 0: none) */
	u32 imm;
	s32 off;		/* loads, stores: bytes; b, bl: words */
	u8 size;		/* loads, stores: 1, 2, 4 or 8 (rt, rt + 1) */
	bool load, sign;	/* ... a load; sign-extending */
};

/* Is insn (any condition) the instruction op with operands in ~mask? */
#define ARM_IS(insn, op, mask)	(((insn) & (mask)) == ((op) & (mask)))

static inline u8 arm_field(u32 insn, int shift)
{
	return (insn >> shift) & 15;
}

/* The value of a modified immediate's 12-bit field. */
static inline u32 arm_imm12_value(u32 enc)
{
	u32 rot = ((enc >> 8) & 15) * 2, v = enc & 0xff;

	return rot ? v >> rot | v << (32 - rot) : v;
}

/* data processing's tst/teq/cmp/cmn space without S: other encodings */
static inline bool arm_dp_misc(u32 insn)
{
	u8 op = (insn >> ARM_DP_OP_SHIFT) & 15;

	return op >= ARM_DP_TST && op <= ARM_DP_CMN && !(insn & ARM_S_BIT);
}

static inline void arm_decode_regs(u32 insn, struct arm_dec *d)
{
	d->rn = arm_field(insn, ARM_RN_SHIFT);
	d->rd = arm_field(insn, ARM_RD_SHIFT);
	d->rs = arm_field(insn, ARM_RS_SHIFT);
	d->rm = arm_field(insn, ARM_RM_SHIFT);
}

static inline bool arm_decode_mul(u32 insn, struct arm_dec *d)
{
	static const struct { u32 op; enum arm_kind kind; } ops[] = {
		{ ARM_OP_MUL, ARM_K_MUL }, { ARM_OP_MLA, ARM_K_MLA },
		{ ARM_OP_MLS, ARM_K_MLS }, { ARM_OP_UMULL, ARM_K_UMULL },
	};
	int i;

	for (i = 0; i < 4; i++)
		if (ARM_IS(insn, ops[i].op, ARM_MASK_MUL)) {
			d->kind = ops[i].kind;
			/* fields named as the encoders' arguments */
			d->ra = d->rd;
			d->rd = d->rn;
			d->rn = d->rm;
			d->rm = d->rs;
			d->rs = 0;
			if (d->kind == ARM_K_UMULL) {
				d->rd = d->ra;	/* rdlo */
				d->ra = arm_field(insn, ARM_RN_SHIFT);
			}
			return true;
		}
	return false;
}

static inline bool arm_decode_misc(u32 insn, struct arm_dec *d)
{
	static const struct { u32 op, mask; enum arm_kind kind; } ops[] = {
		{ ARM_OP_LDREX, ARM_MASK_EX, ARM_K_LDREX },
		{ ARM_OP_STREX, ARM_MASK_EX, ARM_K_STREX },
		{ ARM_OP_LDREXD, ARM_MASK_EX, ARM_K_LDREXD },
		{ ARM_OP_STREXD, ARM_MASK_EX, ARM_K_STREXD },
		{ ARM_OP_UDIV, ARM_MASK_DIV, ARM_K_UDIV },
		{ ARM_OP_SDIV, ARM_MASK_DIV, ARM_K_SDIV },
		{ ARM_OP_REV, ARM_MASK_EXT, ARM_K_REV },
		{ ARM_OP_REV16, ARM_MASK_EXT, ARM_K_REV16 },
		{ ARM_OP_UXTH, ARM_MASK_EXT, ARM_K_UXTH },
		{ ARM_OP_SXTB, ARM_MASK_EXT, ARM_K_SXTB },
		{ ARM_OP_SXTH, ARM_MASK_EXT, ARM_K_SXTH },
		{ 0, 0, ARM_K_UNKNOWN },
	};
	int i;

	for (i = 0; ops[i].mask; i++) {
		if (!ARM_IS(insn, ops[i].op, ops[i].mask))
			continue;
		d->kind = ops[i].kind;
		switch (d->kind) {
		case ARM_K_LDREX:
		case ARM_K_LDREXD:
			d->rt = d->rd;
			d->rd = 0;
			d->rm = 0;
			d->rs = 0;
			break;
		case ARM_K_STREX:
		case ARM_K_STREXD:
			d->rt = d->rm;
			d->rm = 0;
			d->rs = 0;
			break;
		case ARM_K_UDIV:
		case ARM_K_SDIV:
			d->rd = d->rn;
			d->rn = d->rm;
			d->rm = d->rs;
			d->rs = 0;
			break;
		default:	/* rev, extends: rd, rm */
			d->rn = 0;
			d->rs = 0;
			break;
		}
		return true;
	}
	return false;
}

/*
 * Loads and stores with an immediate offset, no writeback: word and byte
 * (bits 27:25 010) or, @extra, halfword, signed and dual (000).
 */
static inline bool arm_decode_ldst(u32 insn, struct arm_dec *d, bool extra)
{
	static const struct {
		u32 op, mask;
		u8 size;
		bool load, sign;
	} ops[] = {
		{ ARM_OP_LDR_I, ARM_MASK_LS, 4, true, false },
		{ ARM_OP_STR_I, ARM_MASK_LS, 4, false, false },
		{ ARM_OP_LDRB_I, ARM_MASK_LS, 1, true, false },
		{ ARM_OP_STRB_I, ARM_MASK_LS, 1, false, false },
		{ ARM_OP_LDRH_I, ARM_MASK_LSH, 2, true, false },
		{ ARM_OP_STRH_I, ARM_MASK_LSH, 2, false, false },
		{ ARM_OP_LDRSB_I, ARM_MASK_LSH, 1, true, true },
		{ ARM_OP_LDRSH_I, ARM_MASK_LSH, 2, true, true },
		{ ARM_OP_LDRD_I, ARM_MASK_LSH, 8, true, false },
		{ ARM_OP_STRD_I, ARM_MASK_LSH, 8, false, false },
		{ 0, 0, 0, false, false },
	};
	int i;

	for (i = extra ? 4 : 0; ops[i].mask; i++) {
		if (!ARM_IS(insn, ops[i].op, ops[i].mask))
			continue;
		d->kind = ARM_K_LDST;
		d->size = ops[i].size;
		d->load = ops[i].load;
		d->sign = ops[i].sign;
		d->rt = d->rd;
		d->rd = 0;
		d->rm = 0;
		d->rs = 0;
		if (ops[i].mask == ARM_MASK_LS)
			d->off = insn & 0xfff;
		else
			d->off = ((insn >> 4) & 0xf0) | (insn & 0xf);
		if (!(insn & ARM_U_BIT))
			d->off = -d->off;
		return true;
	}
	return false;
}

/* Data processing: immediate, register shifted by an immediate or by rs. */
static inline bool arm_decode_dp(u32 insn, struct arm_dec *d)
{
	if ((insn & 0x0c000000) || arm_dp_misc(insn))
		return false;
	d->op = (insn >> ARM_DP_OP_SHIFT) & 15;
	d->s = insn & ARM_S_BIT;
	if (ARM_IS(insn, ARM_OP_DP_IMM, 0x0e000000)) {
		d->kind = ARM_K_DP_IMM;
		d->imm = arm_imm12_value(insn & 0xfff);
		d->rm = 0;
		d->rs = 0;
		return true;
	}
	d->shift = (insn >> ARM_SHIFT_T_SHIFT) & 3;
	if (ARM_IS(insn, ARM_OP_DP_RSI, 0x0e000010)) {
		d->kind = ARM_K_DP_RSI;
		d->n = (insn >> ARM_SHIFT_N_SHIFT) & 31;
		d->rs = 0;
		if (!d->n && (d->shift == ARM_LSR || d->shift == ARM_ASR))
			d->n = 32;
		return true;
	}
	if (ARM_IS(insn, ARM_OP_DP_RSR, 0x0e000090)) {
		d->kind = ARM_K_DP_RSR;
		return true;
	}
	return false;
}

/*
 * What insn is, with its operands; false (ARM_K_UNKNOWN) if no encoder's.
 * Every opcode and mask fixes bits 27:25, so those pick the few checks
 * that may match (emit() decodes every word armjit makes), in one order.
 */
static inline bool arm_decode(u32 insn, struct arm_dec *d)
{
	memset(d, 0, sizeof(*d));
	d->cond = insn >> ARM_COND_SHIFT;
	if (d->cond == 0xf) {
		if (!ARM_IS(insn, ARM_OP_DMB, ARM_MASK_DMB))
			return false;
		d->kind = ARM_K_DMB;
		d->imm = insn & 15;
		d->cond = ARM_COND_AL;
		return true;
	}
	switch ((insn >> 25) & 7) {
	case 0:		/* bx, data processing (register) and: */
		arm_decode_regs(insn, d);
		if (ARM_IS(insn, ARM_OP_BX, ARM_MASK_BX) ||
		    ARM_IS(insn, ARM_OP_BLX_R, ARM_MASK_BX)) {
			d->kind = ARM_IS(insn, ARM_OP_BX, ARM_MASK_BX) ?
				  ARM_K_BX : ARM_K_BLX_R;
			d->rn = 0;
			d->rd = 0;
			d->rs = 0;
			return true;
		}
		/*
		 * multiplies, exclusives (bits 6:5 00), halfword and dual
		 * loads, stores
		 */
		if ((insn & 0x90) == 0x90 &&
		    ((insn & 0x60) ? arm_decode_ldst(insn, d, true) :
		     arm_decode_mul(insn, d) || arm_decode_misc(insn, d)))
			return true;
		if (arm_decode_dp(insn, d))
			return true;
		break;
	case 1:		/* data processing (immediate), movw, movt */
		arm_decode_regs(insn, d);
		if (ARM_IS(insn, ARM_OP_MOVW, ARM_MASK_MOVW) ||
		    ARM_IS(insn, ARM_OP_MOVT, ARM_MASK_MOVW)) {
			d->kind = ARM_IS(insn, ARM_OP_MOVW, ARM_MASK_MOVW) ?
				  ARM_K_MOVW : ARM_K_MOVT;
			d->imm = ((insn >> 4) & 0xf000) | (insn & 0xfff);
			d->rn = d->rs = d->rm = 0;
			return true;
		}
		if (arm_decode_dp(insn, d))
			return true;
		break;
	case 2:		/* word and byte loads, stores */
		arm_decode_regs(insn, d);
		if (arm_decode_ldst(insn, d, false))
			return true;
		break;
	case 3:		/* udf, divides, rev and extends, ldr (register) */
		arm_decode_regs(insn, d);
		if (ARM_IS(insn, ARM_OP_UDF, ARM_MASK_UDF)) {
			d->kind = ARM_K_UDF;
			d->imm = ((insn >> 4) & 0xfff0) | (insn & 15);
			d->rn = d->rd = d->rs = d->rm = 0;
			return true;
		}
		if (arm_decode_misc(insn, d))
			return true;
		if (ARM_IS(insn, ARM_OP_LDR_R, ARM_MASK_LDR_R)) {
			d->kind = ARM_K_LDR_R;
			d->rt = d->rd;
			d->rd = 0;
			d->rs = 0;
			d->n = (insn >> ARM_SHIFT_N_SHIFT) & 31;
			d->size = 4;
			d->load = true;
			return true;
		}
		break;
	case 4:		/* push, pop */
		if (ARM_IS(insn, ARM_OP_PUSH, ARM_MASK_LDM) ||
		    ARM_IS(insn, ARM_OP_POP, ARM_MASK_LDM)) {
			d->kind = ARM_IS(insn, ARM_OP_PUSH, ARM_MASK_LDM) ?
				  ARM_K_PUSH : ARM_K_POP;
			d->imm = insn & 0xffff;
			return true;
		}
		break;
	case 5:		/* b, bl */
		d->kind = insn & ARM_LINK_BIT ? ARM_K_BL : ARM_K_B;
		d->off = (s32)((insn & ARM_B_OFF_MASK) << 8) >> 8;
		return true;
	case 7:		/* the CP15 barrier */
		if (ARM_IS(insn, ARM_OP_CP15_DMB, ARM_MASK_CP15_DMB)) {
			d->kind = ARM_K_CP15_DMB;
			d->rt = arm_field(insn, ARM_RD_SHIFT);
			return true;
		}
		if (ARM_IS(insn, ARM_OP_MRC_TP, ARM_MASK_MRC_TP)) {
			d->kind = ARM_K_MRC_TP;
			d->rt = arm_field(insn, ARM_RD_SHIFT);
			return true;
		}
		break;
	}
	memset(d, 0, sizeof(*d));
	return false;
}

/* A b<cond> (or bl) with another offset (b to pc + 8 + 4 * off). */
static inline u32 arm_b_retarget(u32 insn, s32 off)
{
	return (insn & ~ARM_B_OFF_MASK) | (off & ARM_B_OFF_MASK);
}

#endif /* ARMJIT_DECODE_H */
