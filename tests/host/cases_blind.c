// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's constant blinding (module/armjit_blind.c):
 *
 * - the rewrite equals the kernel's: bpf_jit_blind_constants() emulated
 *   here as the kernel does it (bpf_jit_blind_insn() rules, one
 *   bpf_patch_insn_single() per insn with bpf_adj_branches()' offset
 *   adjustment and the backjump's -2, 32-bit offsets so nothing overflows),
 *   compared insn by insn, jump offsets and the old -> new index map
 *   (line info) included, with the same random values;
 * - blinded programs run (random programs, > 32767-insn jumps after
 *   blinding, ld_imm64 halves as jump targets neighbours);
 * - no 32-bit immediate of the program appears in the blinded image (as a
 *   word or a movw/movt pair), while the unblinded image has them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"
#include "armjit_decode.h"

static u64 brnd_state = 0x2545f4914f6cdd1dull;

static u32 brnd(u32 n)
{
	brnd_state ^= brnd_state << 13;
	brnd_state ^= brnd_state >> 7;
	brnd_state ^= brnd_state << 17;
	return (u32)(brnd_state >> 16) % n;
}

/* ---- The kernel's algorithm, emulated -------------------------------- */

struct kprog {
	struct bpf_insn *in;
	int *off;		/* jump offset of each insn (32-bit) */
	int *orig;		/* original index of each insn, or -1 */
	int len, cap;
	int *pos;		/* original insn -> current index */
	int olen;
};

static bool k_is_jmp(const struct bpf_insn *in)
{
	u8 cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL &&
	       op != BPF_EXIT && op != BPF_TAIL_CALL;
}

/* bpf_jit_blind_insn(), transcribed (6.12: off kept in the ALU rewrite) */
static int k_blind_insn(const struct bpf_insn *from, int from_off,
			const struct bpf_insn *aux, struct bpf_insn *to,
			int *to_off, bool zext, u32 rnd)
{
	const int AX = BPF_REG_AX;
	int n = 0, off;
	u8 c = from->code;

	if (from->dst_reg == AX || from->src_reg == AX)
		return 0;
	if (c == 0) {	/* second half of ld_imm64 (class BPF_LD too) */
		to[n++] = ALU32_IMM(BPF_MOV, AX, rnd ^ aux[0].imm);
		to[n++] = ALU32_IMM(BPF_XOR, AX, rnd);
		if (zext)
			to[n++] = ZEXT_REG(AX);
		to[n++] = ALU64_REG(BPF_OR, aux[0].dst_reg, AX);
		return n;
	}
	if (from->imm == 0 && (c == (BPF_ALU | BPF_MOV | BPF_K) ||
			       c == (BPF_ALU64 | BPF_MOV | BPF_K))) {
		to[n++] = ALU64_REG(BPF_XOR, from->dst_reg, from->dst_reg);
		return n;
	}
	switch (BPF_CLASS(c)) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(c) != BPF_K)
			return 0;
		switch (BPF_OP(c)) {
		case BPF_ADD: case BPF_SUB: case BPF_AND: case BPF_OR:
		case BPF_XOR: case BPF_MUL: case BPF_MOV: case BPF_DIV:
		case BPF_MOD:
			to[n++] = INSN(BPF_CLASS(c) | BPF_MOV | BPF_K, AX, 0, 0,
				       rnd ^ from->imm);
			to[n++] = INSN(BPF_CLASS(c) | BPF_XOR | BPF_K, AX, 0, 0, rnd);
			to[n++] = INSN(BPF_CLASS(c) | BPF_OP(c) | BPF_X,
				       from->dst_reg, AX, from->off, 0);
			return n;
		}
		return 0;
	case BPF_JMP:
	case BPF_JMP32:
		if (BPF_SRC(c) != BPF_K)
			return 0;
		switch (BPF_OP(c)) {
		case BPF_JEQ: case BPF_JNE: case BPF_JGT: case BPF_JLT:
		case BPF_JGE: case BPF_JLE: case BPF_JSGT: case BPF_JSLT:
		case BPF_JSGE: case BPF_JSLE: case BPF_JSET:
			off = from_off;
			if (off < 0)
				off -= 2;
			if (BPF_CLASS(c) == BPF_JMP) {
				to[n++] = ALU64_IMM(BPF_MOV, AX, rnd ^ from->imm);
				to[n++] = ALU64_IMM(BPF_XOR, AX, rnd);
			} else {
				to[n++] = ALU32_IMM(BPF_MOV, AX, rnd ^ from->imm);
				to[n++] = ALU32_IMM(BPF_XOR, AX, rnd);
			}
			to_off[n] = off;
			to[n++] = INSN(BPF_CLASS(c) | BPF_OP(c) | BPF_X,
				       from->dst_reg, AX, 0, 0);
			return n;
		}
		return 0;
	case BPF_LD:
		if (c != (BPF_LD | BPF_IMM | BPF_DW))
			return 0;
		to[n++] = ALU64_IMM(BPF_MOV, AX, rnd ^ aux[1].imm);
		to[n++] = ALU64_IMM(BPF_XOR, AX, rnd);
		to[n++] = ALU64_IMM(BPF_LSH, AX, 32);
		to[n++] = ALU64_REG(BPF_MOV, aux[0].dst_reg, AX);
		return n;
	case BPF_ST:
		if (BPF_MODE(c) != BPF_MEM)
			return 0;
		to[n++] = ALU64_IMM(BPF_MOV, AX, rnd ^ from->imm);
		to[n++] = ALU64_IMM(BPF_XOR, AX, rnd);
		to[n++] = STX_MEM(BPF_SIZE(c), from->dst_reg, AX, from->off);
		return n;
	}
	return 0;
}

/* bpf_patch_insn_single() + bpf_adj_branches() (+ bpf_adj_linfo()) */
static void k_patch(struct kprog *p, int pos, const struct bpf_insn *buf,
		    const int *boff, int cnt)
{
	int delta = cnt - 1, end_old = pos + 1, end_new = pos + cnt;
	int orig = p->orig[pos], i;

	if (p->len + delta > p->cap) {
		p->cap = 2 * (p->len + delta);
		p->in = realloc(p->in, p->cap * sizeof(*p->in));
		p->off = realloc(p->off, p->cap * sizeof(int));
		p->orig = realloc(p->orig, p->cap * sizeof(int));
	}
	memmove(p->in + end_new, p->in + end_old, (p->len - end_old) * sizeof(*p->in));
	memmove(p->off + end_new, p->off + end_old, (p->len - end_old) * sizeof(int));
	memmove(p->orig + end_new, p->orig + end_old, (p->len - end_old) * sizeof(int));
	p->len += delta;
	for (i = 0; i < cnt; i++) {
		p->in[pos + i] = buf[i];
		p->off[pos + i] = boff[i];
		p->orig[pos + i] = i == 0 ? orig : -1;
	}
	for (i = 0; i < p->len; i++) {
		if (!k_is_jmp(&p->in[i]))
			continue;
		if (i < pos && i + p->off[i] + 1 >= end_old)
			p->off[i] += delta;
		else if (i >= end_new && i + p->off[i] + 1 < end_new)
			p->off[i] -= delta;
	}
	for (i = 0; i < p->olen; i++)
		if (p->pos[i] > pos)
			p->pos[i] += delta;
}

static void k_blind(struct kprog *p, const struct bpf_insn *insns, int len,
		    bool zext, const struct armjit_blind_key *key)
{
	struct bpf_insn buf[16], aux[2] = { { 0 } };
	int boff[16];
	int i, oi, cnt;

	p->cap = len + 16;
	p->len = len;
	p->olen = len;
	p->in = malloc(p->cap * sizeof(*p->in));
	p->off = malloc(p->cap * sizeof(int));
	p->orig = malloc(p->cap * sizeof(int));
	p->pos = malloc((len + 1) * sizeof(int));
	memcpy(p->in, insns, len * sizeof(*insns));
	for (i = 0; i < len; i++) {
		p->orig[i] = i;
		p->pos[i] = i;
		p->off[i] = insns[i].code == (BPF_JMP32 | BPF_JA) ?
			    insns[i].imm : insns[i].off;
	}
	p->pos[len] = len;
	for (i = 0, oi = 0; i < p->len; i++, oi++) {
		struct bpf_insn *in = &p->in[i];

		if (in->code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    in->src_reg == BPF_PSEUDO_FUNC) {
			i++;
			oi++;
			continue;
		}
		if (in[0].code == (BPF_LD | BPF_IMM | BPF_DW) && in[1].code == 0)
			memcpy(aux, in, sizeof(aux));
		memset(boff, 0, sizeof(boff));
		cnt = k_blind_insn(in, p->off[i], aux, buf, boff, zext,
				   armjit_blind_rnd(key, oi));
		if (!cnt)
			continue;
		k_patch(p, i, buf, boff, cnt);
		i += cnt - 1;
	}
	p->pos[len] = p->len;
}

static void k_free(struct kprog *p)
{
	free(p->in);
	free(p->off);
	free(p->orig);
	free(p->pos);
}

/* armjit_blind vs the emulated kernel; prints the first difference */
static bool same_as_kernel(const struct bpf_insn *insns, int len, bool zext,
			   int seed)
{
	struct armjit_blind_key key = host_blind_key(seed);
	struct host_blind b;
	struct kprog k;
	bool ok = true;
	int i;

	if (host_blind(insns, len, zext, &key, &b))
		return false;
	k_blind(&k, insns, len, zext, &key);
	if (k.len != b.len) {
		printf("# blinded into %d insns, the kernel's way %d\n", b.len, k.len);
		ok = false;
	}
	for (i = 0; ok && i < b.len; i++) {
		const struct bpf_insn *x = &b.insns[i], *y = &k.in[i];
		bool jmp = k_is_jmp(y);
		bool gotol = y->code == (BPF_JMP32 | BPF_JA);

		if (x->code != y->code || x->dst_reg != y->dst_reg ||
		    x->src_reg != y->src_reg ||
		    (!gotol && x->imm != y->imm) ||
		    (!jmp && x->off != y->off) ||
		    (jmp && b.jmp_off[i] != k.off[i])) {
			printf("# insn %d: armjit %02x %d %d off %d imm %d jmp_off %d; kernel %02x %d %d off %d imm %d\n",
			       i, x->code, x->dst_reg, x->src_reg, x->off, x->imm,
			       b.jmp_off[i], y->code, y->dst_reg, y->src_reg,
			       jmp ? k.off[i] : y->off, y->imm);
			ok = false;
		}
	}
	for (i = 0; ok && i <= len; i++) {
		/* a second half's own position isn't kept by the kernel */
		if (i && i < len && insns[i - 1].code == (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (b.map[i] != (u32)k.pos[i]) {
			printf("# map[%d] = %u, the kernel's way %d\n", i, b.map[i],
			       k.pos[i]);
			ok = false;
		}
	}
	k_free(&k);
	host_blind_free(&b);
	return ok;
}

/* ---- Programs for the comparison ---------------------------------------- */

static struct bpf_insn rnd_insn(int i, int len, int *skip)
{
	static const u8 alu[] = {
		BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH,
		BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH, BPF_END,
	};
	static const u8 jop[] = {
		BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE,
		BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE, BPF_JA,
	};
	static const s32 imms[] = { 0, 1, -1, 0x7fffffff, (s32)0x80000000 };
	u8 d = brnd(11), s = brnd(11);
	s32 imm = brnd(3) ? (s32)brnd(0xffffffffu) : imms[brnd(5)];
	int tgt = brnd(len + 1), off = tgt - (i + 1);
	struct bpf_insn j;

	*skip = 0;
	if (brnd(30) == 0)	/* a verifier rewrite through AX */
		d = BPF_REG_AX;
	if (brnd(30) == 0)
		s = BPF_REG_AX;
	switch (brnd(9)) {
	case 0: case 1:
		return INSN((brnd(2) ? BPF_ALU : BPF_ALU64) | alu[brnd(14)] |
			    BPF_K, d, 0, brnd(8) == 0, imm);
	case 2:
		return INSN((brnd(2) ? BPF_ALU : BPF_ALU64) | alu[brnd(14)] |
			    BPF_X, d, s, 0, 0);
	case 3:
		if (off != (s16)off)
			off = 0;
		j = INSN((brnd(2) ? BPF_JMP : BPF_JMP32) | jop[brnd(12)] |
			 (brnd(3) ? BPF_K : BPF_X), d, s, off, imm);
		if (j.code == (BPF_JMP32 | BPF_JA))
			j.imm = off;	/* gotol */
		return j;
	case 4:
		return brnd(2) ? GOTOL(off) : JA(off == (s16)off ? off : 0);
	case 5:
		if (i + 1 >= len)
			return EXIT();
		*skip = 1;
		if (d == BPF_REG_AX)	/* only a subprogram's address */
			return INSN(BPF_LD | BPF_IMM | BPF_DW, d,
				    BPF_PSEUDO_FUNC, 0, imm);
		return INSN(BPF_LD | BPF_IMM | BPF_DW, d,
			    brnd(4) ? 0 : brnd(2) ? BPF_PSEUDO_FUNC :
			    BPF_PSEUDO_MAP_FD, 0, imm);
	case 6:
		return INSN(BPF_ST | BPF_MEM | (brnd(4) << 3), d, 0,
			    -(s16)brnd(64), imm);
	case 7:
		return INSN(BPF_STX | BPF_MEM | (brnd(4) << 3), d, s,
			    -(s16)brnd(64), 0);
	default:
		return brnd(3) ? CALL_IMM(imm) : brnd(2) ? EXIT() :
		       CALL_PSEUDO(imm);
	}
}

static void compare_random(int nr, int len, bool zext)
{
	struct bpf_insn *p = malloc(len * sizeof(*p));
	char name[120];
	int i, skip;

	for (i = 0; i < len; i++) {
		p[i] = rnd_insn(i, len, &skip);
		if (skip) {
			/* ld_imm64's second half; no jump lands on it here */
			p[i + 1] = INSN(0, 0, 0, 0, (s32)brnd(0xffffffffu));
			i++;
		}
	}
	/* jumps into a second half: retarget to the first */
	for (i = 0; i < len; i++) {
		int t, off;

		if (!k_is_jmp(&p[i]))
			continue;
		off = p[i].code == (BPF_JMP32 | BPF_JA) ? p[i].imm : p[i].off;
		t = i + 1 + off;
		if (t > 0 && t < len && p[t - 1].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    p[t].code == 0) {
			if (p[i].code == (BPF_JMP32 | BPF_JA))
				p[i].imm--;
			else
				p[i].off--;
		}
	}
	snprintf(name, sizeof(name),
		 "blind: rewrite = the kernel's bpf_jit_blind_constants(): random %d insns #%d%s",
		 len, nr, zext ? " [zext]" : "");
	report(name, !want(name) || counting || same_as_kernel(p, len, zext, nr));
	free(p);
}

static void compare_static(void)
{
	const struct bpf_insn p[] = {
		MOV64_IMM(R0, 0),			/* -> xor */
		MOV32_IMM(R1, 0),			/* -> xor (64-bit) */
		ALU64_IMM(BPF_ADD, R0, 0),		/* imm 0, still blinded */
		ALU32_IMM(BPF_LSH, R0, 3),		/* shifts: left alone */
		ALU64_IMM(BPF_ARSH, R0, 3),
		INSN(BPF_ALU | BPF_DIV | BPF_K, R2, 0, 1, -7),	/* sdiv: off kept */
		INSN(BPF_ALU64 | BPF_MOD | BPF_K, R2, 0, 1, 9),
		JMP_IMM(BPF_JEQ, R0, 5, 4),		/* forward over ld_imm64 */
		LD_IMM64(R3, 0x1122334455667788ull),
		LD_IMM64_RAW(R4, BPF_PSEUDO_FUNC, 12),	/* left alone */
		JMP32_IMM(BPF_JSLT, R0, -3, -5),	/* backward: off - 2 */
		ST_MEM(BPF_B, R10, -1, 0x7f),
		ST_MEM(BPF_H, R10, -2, 0x1234),
		ST_MEM(BPF_W, R10, -8, 0x12345678),
		ST_MEM(BPF_DW, R10, -16, -2),
		ALU64_IMM(BPF_ADD, BPF_REG_AX, 7),	/* AX: left alone */
		MOV64_REG(R1, BPF_REG_AX),
		JA(-8),
		GOTOL(-11),
		JMP_REG(BPF_JGT, R1, R2, -12),
		CALL_IMM(0x1234),
		CALL_PSEUDO(-20),
		EXIT(),
	};

	report("blind: rewrite = the kernel's: every rule and exception (imm 0, shifts, AX, pseudo func, sdiv off, back/forward jumps)",
	       counting || same_as_kernel(p, ARRAY_SIZE(p), false, 1));
	report("blind: rewrite = the kernel's: every rule and exception [zext]",
	       counting || same_as_kernel(p, ARRAY_SIZE(p), true, 2));
}

/* ---- Long jumps after blinding ------------------------------------------ */

/*
 * R0 sums a filler of n blinded ALU insns, entered and left through
 * conditional jumps (K: themselves blinded), a JA and a gotol, each over
 * the whole filler: jumps of ~3n insns after blinding.
 */
static void long_jumps(int n, bool gotol, const char *name)
{
	struct prog_buf pb;
	struct host_blind b;
	struct armjit_blind_key key = host_blind_key(0);
	int i, far = 0;
	bool ok = true;
	char zname[200];

	pb_init(&pb);
	PB(&pb, MOV64_IMM(R0, 0),
	   MOV64_IMM(R6, 0),
	   JMP_IMM(BPF_JEQ, R6, 0, 1));		/* 2: first time into the loop */
	/* 3: then past it, forward over the filler */
	if (gotol)
		PB(&pb, GOTOL(n + 4));
	else
		PB(&pb, JA(n + 4));
	/* 4: the loop, R6 = 0, 1, 2 */
	for (i = 0; i < n; i++)
		PB(&pb, i & 1 ? ALU64_IMM(BPF_ADD, R0, 0x10001 * (i & 0xff) + 3) :
		   ALU32_IMM(BPF_XOR, R0, 0x5a5a0000 + i));
	PB(&pb, ALU64_IMM(BPF_ADD, R6, 1),
	   JMP_IMM(BPF_JLT, R6, 3, -(n + 2)),	/* back over the filler */
	   gotol ? GOTOL(-(n + 5)) : JA(-(n + 5)),	/* back to 2 */
	   MOV64_IMM(R0, -1),			/* never */
	   ALU64_IMM(BPF_ADD, R0, 1),
	   EXIT());
	if (!counting && want(name)) {
		/* the test is what it says: jumps beyond s16 */
		if (host_blind(pb.insns, pb.len, false, &key, &b)) {
			ok = false;
		} else {
			for (i = 0; i < b.len; i++)
				if (b.jmp_off[i] > 32767 || b.jmp_off[i] < -32768)
					far++;
			host_blind_free(&b);
		}
		if (far < 1) {
			printf("# %s: TEST BUG: no jump beyond s16 after blinding\n", name);
			ok = false;
		}
	}
	if (!ok) {
		report(name, false);
		pb_free(&pb);
		return;
	}
	run_pb(name, &pb, F_BLIND);
	snprintf(zname, sizeof(zname), "%s [zext]", name);
	run_pb(zname, &pb, F_BLIND | F_ZEXT | F_ZEXT_INSERT);
	pb_free(&pb);
}

/* ---- No program immediate in the image ---------------------------------- */

/* an unconditional mov/mvn/orr/bic rd, (rd,) #imm: its op, else -1 */
static int const_step(u32 w, struct arm_dec *d)
{
	if (!arm_decode(w, d) || d->kind != ARM_K_DP_IMM || d->s ||
	    d->cond != ARM_COND_AL)
		return -1;
	if (d->op == ARM_DP_MOV || d->op == ARM_DP_MVN ||
	    ((d->op == ARM_DP_ORR || d->op == ARM_DP_BIC) && d->rn == d->rd))
		return d->op;
	return -1;
}

/*
 * ARMv6K's constants (arm_imm_seq()): a mov (mvn) of rd, then up to 3
 * orr (bic) of rd on it; each value it passes through.
 */
static int image_has_v6(const u32 *img, int words, u32 v)
{
	int i, j, hits = 0;

	for (i = 0; i < words; i++) {
		struct arm_dec d, e;
		int op = const_step(img[i], &d);
		u32 acc;

		if (op != ARM_DP_MOV && op != ARM_DP_MVN)
			continue;
		acc = op == ARM_DP_MOV ? d.imm : ~d.imm;
		for (j = i + 1; j < words && j <= i + 3; j++) {
			op = const_step(img[j], &e);
			if ((op != ARM_DP_ORR && op != ARM_DP_BIC) || e.rd != d.rd)
				break;
			acc = op == ARM_DP_ORR ? acc | e.imm : acc & ~e.imm;
			if (acc == v) {
				hits++;
				break;
			}
		}
	}
	return hits;
}

/*
 * Constants in the image: raw words and movw/movt pairs on one register
 * (ARMv6K: mov/orr sequences).
 */
static int image_has(const u32 *img, int words, u32 v)
{
	int i, j, hits = 0;

	if (armjit_rt.arch < ARMJIT_ARCH_V7)
		hits += image_has_v6(img, words, v);

	for (i = 0; i < words; i++) {
		u32 w = img[i];

		if (w == v)
			hits++;
		if ((w & 0x0ff00000) != 0x03000000)	/* movw */
			continue;
		for (j = i + 1; j < words && j <= i + 3; j++) {
			u32 t = img[j];

			if ((t & 0x0ff00000) == 0x03400000 &&
			    ((t >> 12) & 15) == ((w >> 12) & 15)) {
				u32 lo = ((w >> 4) & 0xf000) | (w & 0xfff);
				u32 hi = ((t >> 4) & 0xf000) | (t & 0xfff);

				if ((hi << 16 | lo) == v)
					hits++;
				break;
			}
		}
	}
	return hits;
}

/* needs movw+movt (neither half trivial): not a rotated 8-bit immediate */
static bool wide(u32 v)
{
	return (v & 0xffff) && (v >> 16) && (v & 0xffff) != 0xffff &&
	       (v >> 16) != 0xffff;
}

static void imm_scan_one(const struct bpf_insn *p, int len, const char *name,
			 u32 flags)
{
	struct host_prog plain = { .insns = p, .len = len, .stack_depth = 512 };
	struct host_prog bl = plain;
	int i, seen = 0, nimm = 0, leaked = 0;
	bool ok = true;

	if (!want(name) || counting) {
		report(name, true);
		return;
	}
	plain.zext = bl.zext = flags & F_ZEXT;
	bl.blind = true;
	if (host_prog_jit(&plain) || host_prog_jit(&bl)) {
		printf("# %s: JIT failed\n", name);
		report(name, false);
		host_prog_free(&plain);
		return;
	}
	for (i = 0; i < len; i++) {
		const struct bpf_insn *in = &p[i];
		u32 v[2];
		int k, nv = 1;

		v[0] = in->imm;
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			v[1] = in[1].imm;
			nv = 2;
			i++;
		} else if (BPF_SRC(in->code) != BPF_K ||
			   BPF_CLASS(in->code) == BPF_LDX ||
			   BPF_CLASS(in->code) == BPF_STX) {
			continue;
		}
		for (k = 0; k < nv; k++) {
			if (!wide(v[k]))
				continue;
			nimm++;
			if (image_has(plain.image, plain.words, v[k]))
				seen++;
			if (image_has(bl.image, bl.words, v[k])) {
				printf("# %s: immediate 0x%08x (insn %d) in the blinded image\n",
				       name, v[k], i);
				leaked++;
			}
		}
	}
	printf("# %s: %d wide immediates, %d found in the unblinded image, %d in the blinded one\n",
	       name, nimm, seen, leaked);
	/* the scan finds them when they are there */
	if (!nimm || seen * 10 < nimm * 9 || leaked)
		ok = false;
	report(name, ok);
	host_prog_free(&plain);
	host_prog_free(&bl);
}

static void imm_scan(void)
{
	static const u8 alu[] = {
		BPF_ADD, BPF_SUB, BPF_AND, BPF_OR, BPF_XOR, BPF_MUL, BPF_MOV,
		BPF_DIV, BPF_MOD,
	};
	static const u8 jop[] = {
		BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JLT, BPF_JGE, BPF_JLE, BPF_JSGT,
		BPF_JSLT, BPF_JSGE, BPF_JSLE, BPF_JSET,
	};
	struct prog_buf pb;
	int i, k, r;

	for (r = 0; r < 2; r++) {
		pb_init(&pb);
		PB(&pb, MOV64_IMM(R0, 0));
		for (i = 0; i < 8; i++)
			pb_ld64(&pb, R2 + i, 0x1234567800000000ull * (i + 1) +
				0x9abc0def + i * 0x01010101u);
		for (k = 0; k < 6; k++) {
			for (i = 0; i < (int)ARRAY_SIZE(alu); i++) {
				s32 imm = (s32)(0x12345679u * (k * 9 + i + 3));

				PB(&pb, INSN((k & 1 ? BPF_ALU : BPF_ALU64) | alu[i] |
					     BPF_K, R2 + (i + k) % 8, 0, 0, imm));
			}
			for (i = 0; i < (int)ARRAY_SIZE(jop); i++)
				PB(&pb, INSN((k & 1 ? BPF_JMP32 : BPF_JMP) | jop[i] |
					     BPF_K, R2 + i % 8, 0, 1,
					     (s32)(0x2468ace1u * (k * 11 + i + 1))),
				   ALU64_IMM(BPF_ADD, R0, 1));
			for (i = 0; i < 4; i++)
				PB(&pb, ST_MEM(i << 3, R10, -8 * (i + 1 + 4 * k),
					       (s32)(0x3579bdf1u * (k * 4 + i + 1))));
		}
		PB(&pb, EXIT());
		imm_scan_one(pb.insns, pb.len,
			     r ? "blind: no program immediate in the image (ALU/JMP/ST/LD_IMM64 K forms) [zext]" :
			     "blind: no program immediate in the image (ALU/JMP/ST/LD_IMM64 K forms)",
			     r ? F_ZEXT : 0);
		pb_free(&pb);
	}
}

void cases_blind(void)
{
	int i;

	compare_static();
	for (i = 0; i < 40; i++)
		compare_random(i, i < 30 ? 50 : 2000, i & 1);
	long_jumps(12000, false, "blind: jumps over 12000 insns, > 32767 after blinding (JLT K, JA)");
	long_jumps(20000, true, "blind: jumps over 20000 insns, > 32767 after blinding (gotol)");
	imm_scan();
}
