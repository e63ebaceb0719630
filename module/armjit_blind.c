// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's constant blinding (bpf_jit_harden): the rewrite rules of the
 * kernel's bpf_jit_blind_insn() (kernel/bpf/core.c, 6.1 and 6.12), applied
 * in two linear passes instead of one bpf_patch_insn_single() per
 * instruction, into a separate buffer (the program's own insns stay as
 * they are), with jump offsets kept as 32-bit values in a side array (no
 * 16-bit insn->off limit). Pure: builds in the kernel and in user space.
 *
 * Every immediate an attacker chooses is loaded as (imm ^ rnd) ^ rnd
 * through BPF_REG_AX. rnd comes from SipHash-2-4 of the instruction's index
 * under a per-program random key, so that the verifier's extra pass over a
 * subprogram (same key) rewrites it identically.
 */
#include "armjit_jit.h"

/* BPF_ST | BPF_PROBE_MEM32 (arena stores, 6.9+); not in 6.1's headers. */
#define ARMJIT_PROBE_MEM32	0xa0

static inline u64 rotl64(u64 x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3) do {					\
		v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0;		\
		v0 = rotl64(v0, 32);					\
		v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2;		\
		v2 = rotl64(v2, 32);					\
	} while (0)

/* SipHash-2-4 of the 8-byte little-endian message @i, low 32 bits. */
u32 armjit_blind_rnd(const struct armjit_blind_key *key, u32 i)
{
	u64 v0 = 0x736f6d6570736575ULL ^ key->k[0];
	u64 v1 = 0x646f72616e646f6dULL ^ key->k[1];
	u64 v2 = 0x6c7967656e657261ULL ^ key->k[0];
	u64 v3 = 0x7465646279746573ULL ^ key->k[1];
	u64 m = i, b = 8ULL << 56;

	v3 ^= m;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return (u32)(v0 ^ v1 ^ v2 ^ v3);
}

static struct bpf_insn mk(u8 code, u8 dst, u8 src, s16 off, s32 imm)
{
	struct bpf_insn in = {
		.code = code, .dst_reg = dst, .src_reg = src,
		.off = off, .imm = imm,
	};

	return in;
}

static bool is_ld_imm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* Jumps with an offset: everything in JMP/JMP32 but call, exit, tail call. */
static bool has_target(const struct bpf_insn *in)
{
	u8 cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	if (cls != BPF_JMP && cls != BPF_JMP32)
		return false;
	return op != BPF_CALL && op != BPF_EXIT && op != BPF_TAIL_CALL;
}

/* gotol (cpuv4) keeps its offset in imm. */
static s32 target_off(const struct bpf_insn *in)
{
	if (in->code == (BPF_JMP32 | BPF_JA))
		return in->imm;
	return in->off;
}

/* What bpf_jit_blind_insn() blinds among the K forms. */
static bool blinded_alu(u8 op)
{
	switch (op) {
	case BPF_ADD: case BPF_SUB: case BPF_AND: case BPF_OR:
	case BPF_XOR: case BPF_MUL: case BPF_MOV: case BPF_DIV:
	case BPF_MOD:
		return true;
	}
	return false;
}

static bool blinded_jmp(u8 op)
{
	switch (op) {
	case BPF_JEQ: case BPF_JNE: case BPF_JGT: case BPF_JLT:
	case BPF_JGE: case BPF_JLE: case BPF_JSGT: case BPF_JSLT:
	case BPF_JSGE: case BPF_JSLE: case BPF_JSET:
		return true;
	}
	return false;
}

/*
 * The rewrite of insns[i] (both halves of an ld_imm64) into @out (NULL:
 * only count). Returns the number of insns, or -EINVAL/-EOPNOTSUPP.
 * *@nin: how many input insns it consumed (1, or 2 for ld_imm64).
 * *@start2: for ld_imm64, the index in @out where the second half's
 * rewrite starts (where a jump to i + 1 would land).
 */
static int blind_one(const struct bpf_insn *insns, int len, int i,
		     bool zext, const struct armjit_blind_key *key,
		     struct bpf_insn *out, int *nin, int *start2)
{
	const struct bpf_insn *f = &insns[i];
	const u8 AX = BPF_REG_AX;
	u8 cls = BPF_CLASS(f->code), op = BPF_OP(f->code);
	u32 rnd = 0, rnd2 = 0;
	int n;

	*nin = 1;
	if (is_ld_imm64(f)) {
		if (i + 1 >= len || insns[i + 1].code)
			return -EINVAL;
		*nin = 2;
		*start2 = 1;
		/*
		 * A subprogram's address (jit_subprogs() patches it between
		 * passes) is no user constant: left alone, as the kernel does.
		 * One aimed at AX the kernel would mangle; never generated.
		 */
		if (f->src_reg == BPF_PSEUDO_FUNC) {
			if (out) {
				out[0] = f[0];
				out[1] = f[1];
			}
			return 2;
		}
		if (f->dst_reg == AX || f->src_reg == AX)
			return -EOPNOTSUPP;
		*start2 = 4;
		if (!out)
			return zext ? 8 : 7;
		rnd = armjit_blind_rnd(key, i);
		rnd2 = armjit_blind_rnd(key, i + 1);
		out[0] = mk(BPF_ALU64 | BPF_MOV | BPF_K, AX, 0, 0, rnd ^ f[1].imm);
		out[1] = mk(BPF_ALU64 | BPF_XOR | BPF_K, AX, 0, 0, rnd);
		out[2] = mk(BPF_ALU64 | BPF_LSH | BPF_K, AX, 0, 0, 32);
		out[3] = mk(BPF_ALU64 | BPF_MOV | BPF_X, f->dst_reg, AX, 0, 0);
		out[4] = mk(BPF_ALU | BPF_MOV | BPF_K, AX, 0, 0, rnd2 ^ f[0].imm);
		out[5] = mk(BPF_ALU | BPF_XOR | BPF_K, AX, 0, 0, rnd2);
		n = 6;
		if (zext)	/* BPF_ZEXT_REG(AX) */
			out[n++] = mk(BPF_ALU | BPF_MOV | BPF_X, AX, AX, 0, 1);
		out[n++] = mk(BPF_ALU64 | BPF_OR | BPF_X, f->dst_reg, AX, 0, 0);
		return n;
	}

	/* AX's own users (verifier rewrites) are left alone. */
	if (f->dst_reg == AX || f->src_reg == AX)
		goto copy;

	if ((f->code == (BPF_ALU | BPF_MOV | BPF_K) ||
	     f->code == (BPF_ALU64 | BPF_MOV | BPF_K)) && f->imm == 0) {
		if (out)
			out[0] = mk(BPF_ALU64 | BPF_XOR | BPF_X, f->dst_reg,
				    f->dst_reg, 0, 0);
		return 1;
	}

	if (out)
		rnd = armjit_blind_rnd(key, i);
	if ((cls == BPF_ALU || cls == BPF_ALU64) && BPF_SRC(f->code) == BPF_K &&
	    blinded_alu(op)) {
		if (out) {
			out[0] = mk(cls | BPF_MOV | BPF_K, AX, 0, 0, rnd ^ f->imm);
			out[1] = mk(cls | BPF_XOR | BPF_K, AX, 0, 0, rnd);
			/* off kept: cpuv4 SDIV/SMOD (6.12 keeps it too) */
			out[2] = mk(cls | op | BPF_X, f->dst_reg, AX, f->off, 0);
		}
		return 3;
	}
	if ((cls == BPF_JMP || cls == BPF_JMP32) && BPF_SRC(f->code) == BPF_K &&
	    blinded_jmp(op)) {
		/* JMP compares 64 bits: AX loaded as ALU64 (sign-extended) */
		u8 acls = cls == BPF_JMP ? BPF_ALU64 : BPF_ALU;

		if (out) {
			out[0] = mk(acls | BPF_MOV | BPF_K, AX, 0, 0, rnd ^ f->imm);
			out[1] = mk(acls | BPF_XOR | BPF_K, AX, 0, 0, rnd);
			out[2] = mk(cls | op | BPF_X, f->dst_reg, AX, f->off, 0);
		}
		return 3;
	}
	if (cls == BPF_ST && (BPF_MODE(f->code) == BPF_MEM ||
			      BPF_MODE(f->code) == ARMJIT_PROBE_MEM32)) {
		if (out) {
			out[0] = mk(BPF_ALU64 | BPF_MOV | BPF_K, AX, 0, 0,
				    rnd ^ f->imm);
			out[1] = mk(BPF_ALU64 | BPF_XOR | BPF_K, AX, 0, 0, rnd);
			out[2] = mk(BPF_STX | BPF_MODE(f->code) |
				    BPF_SIZE(f->code), f->dst_reg, AX, f->off, 0);
		}
		return 3;
	}
copy:
	if (out)
		out[0] = *f;
	return 1;
}

int armjit_blind_size(const struct bpf_insn *insns, int len, bool zext,
		      u32 *map)
{
	struct armjit_blind_key none = { { 0, 0 } };
	u32 n = 0;
	int i, cnt, nin, start2;

	for (i = 0; i < len; i += nin) {
		cnt = blind_one(insns, len, i, zext, &none, NULL, &nin, &start2);
		if (cnt < 0)
			return cnt;
		map[i] = n;
		if (nin == 2)
			map[i + 1] = n + start2;
		n += cnt;
		if (n > ARMJIT_BLIND_MAX_LEN)
			return -E2BIG;
	}
	map[len] = n;
	return n;
}

int armjit_blind_write(const struct bpf_insn *insns, int len, bool zext,
		       const struct armjit_blind_key *key, const u32 *map,
		       struct bpf_insn *out, s32 *jmp_off)
{
	int i, k, cnt, nin, start2;

	for (i = 0; i < len; i += nin) {
		struct bpf_insn *to = out + map[i];

		cnt = blind_one(insns, len, i, zext, key, to, &nin, &start2);
		if (cnt < 0)
			return cnt;
		for (k = 0; k < cnt; k++)
			jmp_off[map[i] + k] = 0;
		if (has_target(&insns[i])) {
			/* the jump is its rewrite's last insn */
			s64 t = (s64)i + 1 + target_off(&insns[i]);
			u32 at = map[i] + cnt - 1;
			s32 off;

			if (t < 0 || t > len)
				return -EINVAL;
			off = (s32)map[t] - (s32)(at + 1);
			jmp_off[at] = off;
			/* for readers of insn->off: right when it fits */
			if (insns[i].code == (BPF_JMP32 | BPF_JA))
				out[at].imm = off;
			else
				out[at].off = off == (s16)off ? off : 0;
		}
	}
	return 0;
}
