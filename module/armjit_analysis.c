// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's analyses: facts about the BPF program the translation reads,
 * computed from the program alone (never from the emitted code), once
 * per compile (armjit_build() runs them when ctx->insns changes).
 *
 *   is_target[i]  a jump lands on insn i (armjit_mark_targets();
 *                 peepholes across two insns and the scratch cache
 *                 across insns need it)
 *   live[i]       bit r (lo) and 16 + r (hi): that word of BPF register r
 *                 may be read after insn i (armjit_compute_live():
 *                 backwards to the fixed point; needs ctx->ret32). It
 *                 fills use_def[i] (if there) first: each insn's
 *                 armjit_insn_use_def() once, for the sweeps and passes
 *   hi0[i]        bit r: R<r>'s hi word is 0 on every path to insn i,
 *                 counting the writes liveness drops as not made
 *                 (armjit_compute_hi0(): needs live[] and FLAG_R1_LIVE)
 *   leaf          armjit_is_leaf(): a main program that calls nothing
 *   R1 read       armjit_r1_live_in(): ctx may be read before written
 *   map sites     armjit_find_map_calls(): lookups of a known map
 *
 * Past ARMJIT_SWEEPS sweeps an analysis gives up safely: every word live,
 * no hi word known 0. is_target[] and the map sites run only with
 * ARMJIT_OPT_TARGETS in ctx->opt, live[] and hi0[] with ARMJIT_OPT_LIVE
 * (armjit_jit.h); without, the translation takes the safe answer.
 */
#include "armjit_translate.h"

/*
 * A main program that calls nothing (no helper, bpf-to-bpf or tail call,
 * no divide, which may call a routine): r0-r3 need not hold R1, R2.
 */
bool armjit_is_leaf(const struct armjit_ctx *ctx)
{
	int i;

	if (ctx->is_subprog)
		return false;
	for (i = 0; i < ctx->len; i++) {
		const struct bpf_insn *insn = &ctx->insns[i];
		u8 op = BPF_OP(insn->code);

		switch (BPF_CLASS(insn->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			if (op == BPF_DIV || op == BPF_MOD)
				return false;
			break;
		case BPF_JMP:
		case BPF_JMP32:
			if (op == BPF_CALL || op == BPF_TAIL_CALL)
				return false;
			break;
		case BPF_LD:
			if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
				return false;
			i++;
			break;
		}
	}
	return true;
}

/* Does insn name BPF register r (as an operand it uses)? */
bool armjit_names_reg(const struct bpf_insn *insn, u8 r)
{
	u8 cls = BPF_CLASS(insn->code);
	bool x = BPF_SRC(insn->code) == BPF_X;

	if (insn->dst_reg == r)
		return true;
	if (insn->src_reg != r)
		return false;
	return cls == BPF_LDX || cls == BPF_STX ||
	       ((cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_JMP ||
		 cls == BPF_JMP32) && x);
}

/* insn i's jump target (any value: the caller checks the range) */
s64 armjit_jmp_target(const struct armjit_ctx *ctx,
		      const struct bpf_insn *insn, int i)
{
	if (ctx->jmp_off)
		return (s64)i + 1 + ctx->jmp_off[i];
	if (insn->code == (BPF_JMP32 | BPF_JA))
		return (s64)i + 1 + insn->imm;	/* gotol (cpuv4) */
	return (s64)i + 1 + insn->off;
}

/* ---- Which register words are read later ------------------------------ */

/*
 * Sweeps over the program an analysis may take: loops need a few more
 * than one; a chain of jumps that goes back and forth (test_bpf's
 * "Staggered jumps: JMP_JA") one per jump. Past that the program is
 * left unanalysed (every word live, no hi word known 0).
 */
#define ARMJIT_SWEEPS	16

/*
 * The words insn reads (*use) and writes whole (*def); false for what
 * the analysis doesn't know (then everything is live). Reads may be
 * more than the insn needs, writes never: a 32-bit op writes the hi
 * word too (0; with verifier_zext undefined until the verifier's zext,
 * which nothing reads before).
 */
bool armjit_insn_use_def(const struct armjit_ctx *ctx,
			 const struct bpf_insn *insn, u32 *use, u32 *def)
{
	struct bpf_insn plain;
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	u8 d = insn->dst_reg, sr = insn->src_reg;
	bool x = BPF_SRC(insn->code) == BPF_X;
	u32 sw = sr < MAX_BPF_JIT_REG && sr != BPF_REG_FP ? LIVE_64(sr) : 0;
	u32 dw = d < MAX_BPF_JIT_REG && d != BPF_REG_FP ? LIVE_64(d) : 0;
	int r;

	if (armjit_plain_insn(insn, &plain) != insn)
		return armjit_insn_use_def(ctx, &plain, use, def);
	*use = 0;
	*def = 0;
	if (d >= MAX_BPF_JIT_REG || sr >= MAX_BPF_JIT_REG)
		return false;
	switch (cls) {
	case BPF_ALU:
		if (op == BPF_MOV && x && d == sr) {
			*def = LIVE_HI(d);	/* zext: lo stays */
			return true;
		}
		/* 32-bit ops read lo words, but a 64-bit byte swap */
		if (op == BPF_END)
			*use |= dw;
		else if (op != BPF_MOV)
			*use |= LIVE_LO(d);
		if (x)
			*use |= LIVE_LO(sr);
		*def = dw;
		return true;
	case BPF_ALU64:
		if (op != BPF_MOV)
			*use |= dw;
		if (x)
			*use |= sw;
		*def = dw;
		return true;
	case BPF_LD:
		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
			return false;
		*def = dw;
		return true;
	case BPF_LDX:
		*use = sw;
		*def = dw;
		return true;
	case BPF_ST:
		*use = dw;
		return true;
	case BPF_STX:
		*use = dw | sw;
		if (BPF_MODE(insn->code) != BPF_ATOMIC)
			return true;
		*use |= LIVE_64(BPF_REG_0);
		if (insn->imm == BPF_CMPXCHG)
			*def = LIVE_64(BPF_REG_0);
		else if (insn->imm & BPF_FETCH)
			*def = sw;
		return true;
	case BPF_JMP:
	case BPF_JMP32:
		switch (op) {
		case BPF_JA:
			return true;
		case BPF_EXIT:
			*use = ctx->ret32 ? LIVE_LO(BPF_REG_0) :
					    LIVE_64(BPF_REG_0);
			return true;
		case BPF_CALL:
			for (r = BPF_REG_1; r <= BPF_REG_5; r++) {
				*use |= LIVE_64(r);
				*def |= LIVE_64(r);
			}
			*def |= LIVE_64(BPF_REG_0);
			return true;
		case BPF_TAIL_CALL:
			*use = LIVE_64(BPF_REG_1) | LIVE_64(BPF_REG_2) |
			       LIVE_64(BPF_REG_3);
			return true;
		}
		if (cls == BPF_JMP32)
			*use = LIVE_LO(d) | (x ? LIVE_LO(sr) : 0);
		else
			*use = dw | (x ? sw : 0);
		return true;
	}
	return false;
}

/* the words read from insn i on (live[i] holds those after it) */
static u32 live_in(const struct armjit_ctx *ctx, int i)
{
	u32 use, def;

	armjit_use_def_at(ctx, i, &use, &def);
	return use | (ctx->live[i] & ~def);
}

/*
 * Does a jump go back (to itself or an earlier insn)? Without one every
 * insn's successors come after it: one backward sweep settles liveness
 * and one forward sweep the hi words known 0, no sweep to confirm.
 */
static bool has_back_jump(const struct armjit_ctx *ctx)
{
	int i;

	for (i = 0; i < ctx->len; i++) {
		const struct bpf_insn *insn = &ctx->insns[i];
		u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

		if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_EXIT &&
		    op != BPF_CALL && op != BPF_TAIL_CALL &&
		    armjit_jmp_target(ctx, insn, i) <= i)
			return true;
		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
			i++;
	}
	return false;
}

/*
 * ctx->live[i]: the words read after insn i on some path, by iterating
 * backwards to the fixed point (loops). live[len] is the end.
 */
void armjit_compute_live(struct armjit_ctx *ctx)
{
	u32 end = ctx->ret32 ? LIVE_LO(BPF_REG_0) : LIVE_64(BPF_REG_0);
	struct armjit_use_def *ud = ctx->use_def;
	bool changed = true, known = true, once;
	int i, sweeps = 0;

	if (!armjit_live(ctx))
		return;
	/* every insn's words once: the sweeps and each pass ask again */
	for (i = 0; i < ctx->len; i++) {
		bool half = i && ctx->insns[i - 1].code ==
				 (BPF_LD | BPF_IMM | BPF_DW);
		u32 use, def;

		/* ld_imm64's second half: nothing asks what it does */
		if (!armjit_insn_use_def(ctx, &ctx->insns[i], &use, &def) &&
		    !half)
			known = false;
		if (ud) {
			ud[i].use = use;
			ud[i].def = def;
		}
	}
	if (!known) {
		/* unknown insn: all live everywhere */
		for (i = 0; i <= ctx->len; i++)
			ctx->live[i] = LIVE_ALL;
		return;
	}
	memset(ctx->live, 0, (ctx->len + 1) * sizeof(u32));
	ctx->back_jump = has_back_jump(ctx);	/* hi0's sweeps ask too */
	once = !ctx->back_jump;
	while (changed) {
		/* live_in() of the insn done last: the next one, mostly */
		int last = -1;
		u32 last_in = 0;

		if (++sweeps > ARMJIT_SWEEPS) {
			for (i = 0; i <= ctx->len; i++)
				ctx->live[i] = LIVE_ALL;
			return;
		}
		changed = false;
		for (i = ctx->len - 1; i >= 0; i--) {
			const struct bpf_insn *insn = &ctx->insns[i];
			u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
			bool jmp = cls == BPF_JMP || cls == BPF_JMP32;
			int next = i + 1;
			u32 out = 0;
			s64 t;

			if (i && ctx->insns[i - 1].code ==
				 (BPF_LD | BPF_IMM | BPF_DW))
				continue;	/* ld_imm64's second half */
			if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
				next = i + 2;
			if (!(jmp && (op == BPF_JA || op == BPF_EXIT)))
				out = next >= ctx->len ? end :
				      next == last ? last_in :
						     live_in(ctx, next);
			if (jmp && op != BPF_EXIT && op != BPF_CALL &&
			    op != BPF_TAIL_CALL) {
				t = armjit_jmp_target(ctx, insn, i);
				if (t >= 0 && t < ctx->len)
					out |= live_in(ctx, t);
				else
					out |= end;	/* the epilogue */
			}
			if (out != ctx->live[i]) {
				ctx->live[i] = out;
				changed = true;
			}
			last = i;
			last_in = live_in(ctx, i);
		}
		changed &= !once;
	}
	for (i = 0; i + 1 < ctx->len; i++)
		if (ctx->insns[i].code == (BPF_LD | BPF_IMM | BPF_DW)) {
			ctx->live[i + 1] = ctx->live[i];
			i++;
		}
}

/*
 * Which hi words are 0 after insn i, from @in before it. A hi word is
 * known 0 after a write of 0 that liveness kept, or when it was 0 and
 * the insn doesn't write it (or writes 0, dropped as dead).
 */
static u16 hi0_after(const struct armjit_ctx *ctx, int i, u16 in)
{
	struct bpf_insn plain;
	const struct bpf_insn *insn = armjit_plain_insn(&ctx->insns[i],
							&plain);
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	u8 d = insn->dst_reg, sr = insn->src_reg;
	bool x = BPF_SRC(insn->code) == BPF_X, zero;
	u16 bit = 1U << d;

	switch (cls) {
	case BPF_ALU:
		/* the zext of a register onto itself, or any op's zext32 */
		zero = (op == BPF_MOV && x && d == sr && insn->imm == 1) ||
		       (op != BPF_END && !ctx->verifier_zext &&
			!(op == BPF_MOV && insn->off));
		break;
	case BPF_ALU64:
		if (insn->off)
			zero = false;
		else if (op == BPF_MOV)
			zero = x ? sr == BPF_REG_FP || (in & 1U << sr) :
				   insn->imm >= 0;
		else
			zero = x ? false :
			       (op == BPF_AND && insn->imm >= 0) ||
			       (op == BPF_RSH && (insn->imm & 63) >= 32);
		break;
	case BPF_LD:
		zero = !ctx->insns[i + 1].imm;
		break;
	case BPF_LDX:
		zero = BPF_MODE(insn->code) == BPF_MEM &&
		       BPF_SIZE(insn->code) != BPF_DW && !ctx->verifier_zext;
		break;
	case BPF_STX:
		if (BPF_MODE(insn->code) != BPF_ATOMIC)
			return in;
		if (insn->imm == BPF_CMPXCHG)
			return in & ~1U;
		return insn->imm & BPF_FETCH ? in & ~(1U << sr) : in;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL || op == BPF_TAIL_CALL)
			return in & ~0x3fU;	/* R0-R5 */
		return in;
	default:
		return in;
	}
	if (!zero)
		return in & ~bit;
	/* a 0 written, or left out where it was 0 or nothing reads it */
	return armjit_live(ctx) && !(ctx->live[i] & LIVE_HI(d)) ? in : in | bit;
}

/*
 * ctx->hi0[]: forward, each insn's hi words known 0 on every path to it
 * (the meet of its predecessors), from the prologue's (R1's when it sets
 * it) at insn 0. Needs ctx->live (the words liveness drops).
 */
void armjit_compute_hi0(struct armjit_ctx *ctx)
{
	bool changed = true, once;
	int i, sweeps = 0;

	if (!armjit_hi0(ctx))
		return;
	memset(ctx->hi0, 0, (ctx->len + 1) * sizeof(u16));
	if (!armjit_live(ctx) || ctx->live[0] == LIVE_ALL)
		return;		/* no liveness, or an insn it doesn't know */
	for (i = 1; i <= ctx->len; i++)
		ctx->hi0[i] = 0xfff;
	ctx->hi0[0] = !ctx->is_subprog && (ctx->flags & FLAG_R1_LIVE) ?
		      1U << BPF_REG_1 : 0;
	once = !ctx->back_jump;		/* armjit_compute_live()'s */
	while (changed) {
		if (++sweeps > ARMJIT_SWEEPS) {
			/* not settled: nothing known */
			memset(ctx->hi0, 0, (ctx->len + 1) * sizeof(u16));
			return;
		}
		changed = false;
		for (i = 0; i < ctx->len; i++) {
			const struct bpf_insn *insn = &ctx->insns[i];
			u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
			bool jmp = cls == BPF_JMP || cls == BPF_JMP32;
			int next = i + 1;
			u16 out;
			s64 t;

			if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
				next = i + 2;
			out = hi0_after(ctx, i, ctx->hi0[i]);
			if (!(jmp && (op == BPF_JA || op == BPF_EXIT)) &&
			    next < ctx->len && (ctx->hi0[next] & ~out)) {
				ctx->hi0[next] &= out;
				changed = true;
			}
			if (jmp && op != BPF_EXIT && op != BPF_CALL &&
			    op != BPF_TAIL_CALL) {
				t = armjit_jmp_target(ctx, insn, i);
				if (t >= 0 && t < ctx->len &&
				    (ctx->hi0[t] & ~out)) {
					ctx->hi0[t] &= out;
					changed = true;
				}
			}
			if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
				i++;
		}
		changed &= !once;
	}
}

/*
 * May R1's value at entry (ctx) be read? The straight code from insn 0 up
 * to the first jump, call or exit tells: whatever follows runs after it.
 */
bool armjit_r1_live_in(const struct armjit_ctx *ctx)
{
	int i;

	for (i = 0; i < ctx->len; i++) {
		const struct bpf_insn *insn = &ctx->insns[i];
		u8 cls = BPF_CLASS(insn->code);
		bool w;

		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64:
			/* only a mov writes dst without reading it */
			w = BPF_OP(insn->code) == BPF_MOV;
			break;
		case BPF_LD:
			if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
				return true;
			if (insn->dst_reg == BPF_REG_1)
				return false;
			i++;
			continue;
		case BPF_LDX:
			w = true;
			break;
		case BPF_ST:
		case BPF_STX:
			w = false;
			break;
		default:
			return insn->code != (BPF_JMP | BPF_EXIT);
		}
		if (armjit_names_reg(insn, BPF_REG_1) &&
		    !(w && insn->dst_reg == BPF_REG_1 &&
		      insn->src_reg != BPF_REG_1))
			return true;
		if (insn->dst_reg == BPF_REG_1)
			return false;	/* written, not read */
	}
	return true;
}

/* ctx->is_target[]: every insn a jump lands on */
void armjit_mark_targets(struct armjit_ctx *ctx)
{
	int i;

	if (!armjit_targets(ctx))
		return;
	memset(ctx->is_target, 0, ctx->len + 1);
	for (i = 0; i < ctx->len; i++) {
		const struct bpf_insn *insn = &ctx->insns[i];
		u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
		s64 t;

		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			i++;
			continue;
		}
		if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_CALL ||
		    op == BPF_EXIT || op == BPF_TAIL_CALL)
			continue;
		t = armjit_jmp_target(ctx, insn, i);
		if (t >= 0 && t <= ctx->len)
			ctx->is_target[t] = 1;
	}
}

/*
 * Call insn i with R1 = map: map's lookup as void *(*)(struct bpf_map *,
 * void *), AAPCS 2 x u32 in r0, r1, a pointer back; conv.addr 0 (the
 * helper) when lookup_of() has none.
 */
static void add_map_site(struct armjit_site *s, int i, u32 map,
			 u32 (*lookup_of)(u32 map))
{
	memset(s, 0, sizeof(*s));
	s->insn = i;
	s->map = map;
	s->conv.addr = lookup_of(map);
	s->conv.conv = ARMJIT_CONV_AAPCS;
	s->conv.nargs = 2;
	s->conv.arg_size[0] = 4;
	s->conv.arg_size[1] = 4;
	s->conv.ret_size = 4;
}

/* Does insn (not an ld_imm64) write R1, or may it? */
static bool writes_r1(const struct bpf_insn *insn0)
{
	struct bpf_insn plain;
	const struct bpf_insn *insn = armjit_plain_insn(insn0, &plain);
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
		return insn->dst_reg == BPF_REG_1;
	case BPF_ST:
		return false;
	case BPF_STX:
		return BPF_MODE(insn->code) == BPF_ATOMIC &&
		       (insn->imm & BPF_FETCH) && insn->src_reg == BPF_REG_1;
	case BPF_JMP:
	case BPF_JMP32:
		return op == BPF_CALL || op == BPF_TAIL_CALL;
	}
	return true;	/* LD_ABS/LD_IND are calls */
}

int armjit_count_inlined(const struct armjit_ctx *ctx)
{
	int i, n = 0;

	for (i = 0; i < ctx->len; i++)
		n += armjit_inline_kind(ctx, &ctx->insns[i]) != ARMJIT_INL_NONE;
	return n;
}

int armjit_find_map_calls(struct armjit_ctx *ctx, struct armjit_site *sites,
			  int max, u32 (*lookup_of)(u32 map))
{
	const struct bpf_insn *p = ctx->insns;
	int i, j, n = 0;

	if (!armjit_targets(ctx) || !armjit_rt.map_lookup_elem)
		return 0;
	armjit_mark_targets(ctx);
	for (i = 0; i < ctx->len && n < max; i++) {
		if (p[i].code != (BPF_JMP | BPF_CALL) || p[i].src_reg ||
		    armjit_rt.call_base + p[i].imm != armjit_rt.map_lookup_elem)
			continue;
		/* back from the call while only falling through leads here */
		for (j = i - 1; j >= 0 && i - j <= 64; j--) {
			if (ctx->is_target[j + 1])
				break;
			if (j && p[j - 1].code == (BPF_LD | BPF_IMM | BPF_DW)) {
				j--;
				if (p[j].dst_reg != BPF_REG_1)
					continue;
				if (!p[j].src_reg && p[j].imm && !p[j + 1].imm)
					add_map_site(&sites[n++], i, p[j].imm,
						     lookup_of);
				break;
			}
			if (writes_r1(&p[j]))
				break;
		}
	}
	return n;
}

