// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's analyses: facts about the BPF program the translation reads,
 * computed from the program alone (never from the emitted code), once
 * per compile (armjit_analyse() runs them when ctx->insns changes).
 * armjit_scan() walks the program once for what each asks of an insn:
 *
 *   use_def[i]    its use/def words, successors and hi0's rule, for the
 *                 sweeps below and the passes (insn_dead())
 *   is_target[i]  a jump lands on insn i (peepholes across two insns and the scratch cache
 *                 across insns need it)
 *   leaf          FLAG_LEAF: a main program that calls nothing
 *   live[i]       bit r (lo) and 16 + r (hi): that word of BPF register r
 *                 may be read after insn i (armjit_compute_live():
 *                 backwards to the fixed point; needs ctx->ret32)
 *   hi0[i]        bit r: R<r>'s hi word is 0 on every path to insn i,
 *                 counting the writes liveness drops as not made
 *                 (armjit_compute_hi0(): needs live[] and FLAG_R1_LIVE)
 *   R1 read       armjit_r1_live_in(): ctx may be read before written
 *   map sites     armjit_find_map_calls(): lookups of a known map
 *
 * Past ARMJIT_SWEEPS sweeps an analysis gives up safely: every word live,
 * no hi word known 0. is_target[] and the map sites run only with
 * ARMJIT_OPT_TARGETS in ctx->opt, live[] and hi0[] with ARMJIT_OPT_LIVE
 * (armjit_jit.h); without, the translation takes the safe answer.
 */
#include "armjit_translate.h"

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

/* LIVE_64(r) of a register with words (not FP, not past AX), else 0 */
static const u32 live64[16] = {
	LIVE_64(0), LIVE_64(1), LIVE_64(2), LIVE_64(3), LIVE_64(4),
	LIVE_64(5), LIVE_64(6), LIVE_64(7), LIVE_64(8), LIVE_64(9),
	[BPF_REG_AX] = LIVE_64(BPF_REG_AX),
};

/* use_def[]'s cp: kill's register is 0 after the insn only where r's is */
#define HI0_CP		0x10
#define HI0_CP_AND	0x20	/* ... and where it was 0 before */

/*
 * What a jump or a call (insn i) tells the scan; false: JA | X, an
 * indirect jump (through an insn array, which 7.2's verifier may hand a
 * 32-bit JIT and armjit leaves to the kernel, as the stock JIT does).
 */
static __always_inline bool scan_jmp(struct armjit_ctx *ctx,
				     const struct bpf_insn *insn, int i,
				     struct armjit_scan *s,
				     struct armjit_use_def *u, u8 *tg)
{
	u8 op = BPF_OP(insn->code), d = insn->dst_reg, sr = insn->src_reg;
	bool x = BPF_SRC(insn->code) == BPF_X;
	s64 t;

	switch (op) {
	case BPF_CALL:
		/* R0-R5 written, R3-R5 stacked as arguments */
		s->gain[BPF_REG_0]--;
		s->gain[BPF_REG_3]--;
		s->gain[BPF_REG_4]--;
		s->gain[BPF_REG_5]--;
		s->leaf = false;
		s->calls = true;
		s->inlined += armjit_inline_kind(ctx, insn) != ARMJIT_INL_NONE;
		if (insn->code == (BPF_JMP | BPF_CALL) && !insn->src_reg &&
		    armjit_rt.call_base + insn->imm ==
		    armjit_rt.map_lookup_elem) {
			if (!s->lookups++)
				s->lookup_first = i;
		}
		u->use = LIVE_64(BPF_REG_1) | LIVE_64(BPF_REG_2) |
			 LIVE_64(BPF_REG_3) | LIVE_64(BPF_REG_4) |
			 LIVE_64(BPF_REG_5);
		u->def = u->use | LIVE_64(BPF_REG_0);
		u->kill = 0x3f;	/* R0-R5 */
		return true;
	case BPF_TAIL_CALL:
		s->leaf = false;
		s->calls = true;
		s->tail_call |= insn->code == (BPF_JMP | BPF_TAIL_CALL);
		u->use = LIVE_64(BPF_REG_1) | LIVE_64(BPF_REG_2) |
			 LIVE_64(BPF_REG_3);
		u->kill = 0x3f;
		return true;
	case BPF_EXIT:
		s->exits++;	/* armjit_choose_map() counts them */
		u->use = ctx->ret32 ? LIVE_LO(BPF_REG_0) : LIVE_64(BPF_REG_0);
		u->fl = 0;
		return true;
	case BPF_JA:
		if (x)
			return false;
		u->fl = UD_JMP;
		break;
	default:
		s->gain[d]++;
		s->gain[sr] += x;
		if (BPF_CLASS(insn->code) == BPF_JMP32)
			u->use = LIVE_LO(d) | (x ? LIVE_LO(sr) : 0);
		else
			u->use = live64[d] | (x ? live64[sr] : 0);
		u->fl = UD_NEXT | UD_JMP;
		break;
	}
	t = armjit_jmp_target(ctx, insn, i);
	if (t <= i) {
		ctx->back_from = i;
		if (t < ctx->back_to)
			ctx->back_to = t < 0 ? 0 : t;
		/* liveness read its in before this sweep set it */
		if (t >= 0 && ctx->use_def && armjit_live(ctx))
			ctx->use_def[t].fl |= UD_BACK;
	}
	if (tg && t >= 0 && t <= ctx->len)
		tg[t] = 1;
	if (t >= 0 && t < ctx->len)
		u->tgt = t;
	return true;
}

/*
 * What one insn (i, @insn its plain form: armjit_plain_insn(); its
 * registers any 4-bit value) tells the scan, by its class, into *u and *s:
 *
 * - use and def: the words it reads and writes whole. Reads may be more
 *   than the insn needs, writes never: a 32-bit op writes the hi word too
 *   (0; with verifier_zext undefined until the verifier's zext, which
 *   nothing reads before). false: an insn liveness doesn't know.
 * - fl and tgt: where control goes next.
 * - hi0's rule (kill, gen, cp): a hi word is known 0 after a write of 0
 *   that liveness kept, or when it was 0 and the insn doesn't write it
 *   (or writes 0, dropped as dead): UD_HI0_LIVE, armjit_compute_hi0()
 *   asks liveness.
 * - the register map's counts (s->gain): a stacked register costs a load
 *   for each read and a store for each write; a base loaded for the insn
 *   before stays (the scratch cache keeps it: *prev_base).
 * - leaf, calls, the inlined helpers and map lookups.
 *
 * -EOPNOTSUPP for JA | X, else 0.
 */
static __always_inline int scan_insn(struct armjit_ctx *ctx,
				     const struct bpf_insn *insn, int i,
				     struct armjit_scan *s, u8 *prev_base,
				     struct armjit_use_def *u, u8 *tg)
{
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	u8 d = insn->dst_reg, sr = insn->src_reg;
	bool x = BPF_SRC(insn->code) == BPF_X, zero;
	u32 dw = live64[d];

	u->use = 0;
	u->def = 0;
	u->kill = 0;
	u->gen = 0;
	u->cp = 0;
	u->fl = UD_NEXT;
	u->tgt = -1;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		/* mov writes only; the others read and write dst */
		s->gain[d] += op == BPF_MOV ? 1 : 2;
		s->gain[sr] += x;
		*prev_base = MAX_BPF_JIT_REG;
		if (op == BPF_DIV || op == BPF_MOD)
			s->leaf = false;	/* may call a routine */
		u->def = dw;
		if (cls == BPF_ALU64) {
			if (op != BPF_MOV)
				u->use = dw;
			if (x)
				u->use |= live64[sr];
			if (insn->off) {
				zero = false;
			} else if (op == BPF_MOV && x && sr != BPF_REG_FP) {
				/* 0 where R<sr>'s is (dead: and where it was) */
				u->kill = 1U << d;
				u->cp = HI0_CP | sr;
				u->fl |= UD_HI0_LIVE;
				return 0;
			} else if (op == BPF_MOV) {
				zero = x || insn->imm >= 0;
			} else {
				zero = !x && ((op == BPF_AND && insn->imm >= 0) ||
					      (op == BPF_RSH &&
					       (insn->imm & 63) >= 32));
			}
			break;
		}
		if (op == BPF_MOV && x && d == sr) {
			/* zext: lo stays; its hi word, or any op's zext32 */
			u->def = LIVE_HI(d);
			zero = insn->imm == 1 ||
			       (!ctx->verifier_zext && !insn->off);
			break;
		}
		/* 32-bit ops read lo words, but a 64-bit byte swap */
		if (op == BPF_END)
			u->use = dw;
		else if (op != BPF_MOV)
			u->use = LIVE_LO(d);
		if (x)
			u->use |= LIVE_LO(sr);
		zero = op != BPF_END && !ctx->verifier_zext &&
		       !(op == BPF_MOV && insn->off);
		break;
	case BPF_LD:
		s->gain[d]++;
		*prev_base = MAX_BPF_JIT_REG;
		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW)) {
			s->leaf = false;	/* LD_ABS, LD_IND: calls */
			ctx->ud_known = false;
			return 0;
		}
		u->fl |= UD_WIDE;
		u->def = dw;
		zero = i + 1 < ctx->len && !ctx->insns[i + 1].imm;
		break;
	case BPF_LDX:
		if (sr != *prev_base)
			s->gain[sr]++;
		s->gain[d]++;
		*prev_base = d == sr ? MAX_BPF_JIT_REG : sr;
		u->use = live64[sr];
		u->def = dw;
		zero = BPF_MODE(insn->code) == BPF_MEM &&
		       BPF_SIZE(insn->code) != BPF_DW && !ctx->verifier_zext;
		break;
	case BPF_ST:
	case BPF_STX:
		if (d != *prev_base)
			s->gain[d]++;
		*prev_base = d;
		u->use = dw;
		if (cls == BPF_ST)
			return 0;
		s->gain[sr]++;
		u->use |= live64[sr];
		if (BPF_MODE(insn->code) != BPF_ATOMIC)
			return 0;
		u->use |= LIVE_64(BPF_REG_0);
		if (insn->imm == BPF_CMPXCHG) {
			u->def = LIVE_64(BPF_REG_0);
			u->kill = 1U << BPF_REG_0;
		} else if (insn->imm & BPF_FETCH) {
			u->def = live64[sr];
			u->kill = 1U << sr;
		}
		return 0;
	default:	/* BPF_JMP, BPF_JMP32 */
		*prev_base = MAX_BPF_JIT_REG;
		return scan_jmp(ctx, insn, i, s, u, tg) ? 0 : -EOPNOTSUPP;
	}
	if (!zero) {
		u->kill = 1U << d;
	} else {
		u->gen = 1U << d;	/* a 0 written; dead: left out, as it was */
		u->fl |= UD_HI0_LIVE;
	}
	return 0;
}

/*
 * One walk over the program for what each analysis asks of every insn
 * (scan_insn()): an indirect jump (left to the kernel: -EOPNOTSUPP), a
 * leaf (FLAG_LEAF: a main program that calls nothing: no helper,
 * bpf-to-bpf or tail call, no divide, which may call a routine), a jump
 * back (ctx->back_from, back_to), the jump targets (is_target[]), each insn's
 * use, def and successors (use_def[], with liveness on) and what the
 * register map and the frame count (*s).
 */
int armjit_scan(struct armjit_ctx *ctx, struct armjit_scan *out)
{
	struct armjit_use_def *ud = armjit_live(ctx) ? ctx->use_def : NULL;
	const struct bpf_insn *insns = ctx->insns;
	struct armjit_use_def none;
	u8 *tg = armjit_targets(ctx);
	u8 prev_base = MAX_BPF_JIT_REG;
	/* locals: the stores below might alias ctx's or *out's fields */
	struct armjit_scan sc = { .leaf = !ctx->is_subprog }, *s = &sc;
	int i, err, len = ctx->len;

	ctx->back_from = -1;
	ctx->back_to = ctx->len;
	ctx->ud_known = true;
	if (tg)
		memset(tg, 0, len + 1);
	for (i = 0; i < len; i++) {
		/* a copy: the stores below can't alias it, no field reread */
		const struct bpf_insn cur = insns[i];
		struct bpf_insn plain;
		struct armjit_use_def *u = ud ? &ud[i] : &none;

		/* a register past AX: build_insn() rejects the program */
		err = scan_insn(ctx, armjit_plain_insn(&cur, &plain), i, s,
				&prev_base, u, tg);
		if (err)
			return err;
		u->in = u->use;
		if (!(u->fl & UD_WIDE))
			continue;
		/* ld_imm64's second half: no insn (its fields are 0) */
		if (++i >= len)
			break;
		if (ud) {
			memset(&ud[i], 0, sizeof(ud[i]));
			ud[i].fl = UD_HALF;
		}
	}
	*out = sc;
	ctx->flags = s->leaf ? FLAG_LEAF : 0;
	ctx->inlined = s->inlined;
	ctx->lookups = s->lookups;
	ctx->lookup_first = s->lookup_first;
	return 0;
}

/* every word live after every insn: what the translation may not drop */
static void live_all(struct armjit_ctx *ctx)
{
	int i;

	for (i = 0; i <= ctx->len; i++)
		ctx->live[i] = LIVE_ALL;
}

/*
 * ctx->live[i]: the words read after insn i on some path, by iterating
 * backwards to the fixed point (loops) over use_def[] (armjit_scan()).
 * live[len] is the end.
 */
void armjit_compute_live(struct armjit_ctx *ctx)
{
	u32 end = ctx->ret32 ? LIVE_LO(BPF_REG_0) : LIVE_64(BPF_REG_0);
	struct armjit_use_def *ud = ctx->use_def;
	bool changed = true, once = ctx->back_from < 0;
	/* locals: the stores below might alias ctx's fields */
	u32 *live = ctx->live;
	int i, sweeps = 0, len = ctx->len;

	if (!armjit_live(ctx))
		return;
	if (!ud || !ctx->ud_known) {
		live_all(ctx);	/* an insn it doesn't know, or no table */
		return;
	}
	memset(live, 0, (len + 1) * sizeof(u32));
	/*
	 * without a jump back one sweep settles it, none to confirm; after
	 * the first, the insns past the last jump back read only words the
	 * first settled
	 */
	while (changed) {
		if (++sweeps > ARMJIT_SWEEPS) {
			live_all(ctx);
			return;
		}
		changed = false;
		for (i = sweeps == 1 ? len - 1 : ctx->back_from; i >= 0; i--) {
			struct armjit_use_def *u = &ud[i];
			u32 out = 0;
			int next;

			if (u->fl & UD_HALF)
				continue;
			if (u->fl & UD_NEXT) {
				next = i + 1 + !!(u->fl & UD_WIDE);
				out = next < len ? ud[next].in : end;
			}
			if (u->fl & UD_JMP)
				out |= u->tgt >= 0 ? ud[u->tgt].in : end;
			if (out != live[i]) {
				live[i] = out;
				u->in = u->use | (out & ~u->def);
				/* a jump back read the old one: again */
				if (u->fl & UD_BACK)
					changed = true;
				/* ld_imm64's second half: the same */
				if ((u->fl & UD_WIDE) && i + 1 < len)
					live[i + 1] = out;
			}
		}
		changed &= !once;
	}
}

/* the hi words known 0 after insn *u, from @in before it */
static inline u16 hi0_after(const struct armjit_use_def *u, u16 in)
{
	u16 out = (in & ~u->kill) | u->gen;

	if (u->cp && (in & 1U << (u->cp & 15)) &&
	    (!(u->cp & HI0_CP_AND) || (in & u->kill)))
		out |= u->kill;
	return out;
}

/*
 * ctx->hi0[]: forward, each insn's hi words known 0 on every path to it
 * (the meet of its predecessors), from the prologue's (R1's when it sets
 * it) at insn 0. Needs ctx->live (the words liveness drops) and
 * use_def[]'s rules (the first sweep drops the 0s liveness left out).
 */
void armjit_compute_hi0(struct armjit_ctx *ctx)
{
	struct armjit_use_def *ud = ctx->use_def;
	bool changed = true, once = ctx->back_from < 0;
	/* locals: the stores below might alias ctx's fields */
	const u32 *live = ctx->live;
	u16 *hi0 = ctx->hi0;
	int i, sweeps = 0, len = ctx->len;

	if (!armjit_hi0(ctx))
		return;
	if (!armjit_live(ctx) || !ud || live[0] == LIVE_ALL) {
		/* no liveness, or an insn it doesn't know: nothing known */
		memset(hi0, 0, (len + 1) * sizeof(u16));
		return;
	}
	/* all known 0 until reached (bits 12-15 say nothing: no register) */
	memset(hi0, 0xff, (len + 1) * sizeof(u16));
	hi0[0] = !ctx->is_subprog && (ctx->flags & FLAG_R1_LIVE) ?
		 1U << BPF_REG_1 : 0;
	while (changed) {
		if (++sweeps > ARMJIT_SWEEPS) {
			/* not settled: nothing known */
			memset(hi0, 0, (len + 1) * sizeof(u16));
			return;
		}
		changed = false;
		/* before the first insn a jump back lands on: settled */
		for (i = sweeps == 1 ? 0 : ctx->back_to; i < len; i++) {
			struct armjit_use_def *u = &ud[i];
			int next;
			u16 out;

			if (u->fl & UD_HALF)
				continue;
			/* a 0 left out where nothing reads it: as it was */
			if (sweeps == 1 && (u->fl & UD_HI0_LIVE) &&
			    !(live[i] & (u32)(u->gen | u->kill) << 16)) {
				u->gen = 0;
				if (u->cp)
					u->cp |= HI0_CP_AND;
			}
			out = hi0_after(u, hi0[i]);
			next = i + 1 + !!(u->fl & UD_WIDE);
			if ((u->fl & UD_NEXT) && next < len)
				hi0[next] &= out;
			if ((u->fl & UD_JMP) && u->tgt >= 0 &&
			    (hi0[u->tgt] & ~out)) {
				hi0[u->tgt] &= out;
				/* this sweep went past it: again */
				changed |= u->tgt <= i;
			}
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

	if (ctx->analysed == ctx->insns && ctx->analysed_len == ctx->len)
		return ctx->inlined;	/* armjit_scan() counted them */

	for (i = 0; i < ctx->len; i++)
		n += armjit_inline_kind(ctx, &ctx->insns[i]) != ARMJIT_INL_NONE;
	return n;
}

int armjit_find_map_calls(struct armjit_ctx *ctx, struct armjit_site *sites,
			  int max, u32 (*lookup_of)(u32 map))
{
	const struct bpf_insn *p = ctx->insns;
	int i, j, n = 0, left;

	/*
	 * the analyses' jump targets and lookup count; a program they
	 * refused fails its compile anyway
	 */
	if (!armjit_targets(ctx) || !armjit_rt.map_lookup_elem ||
	    ctx->analysed != ctx->insns || ctx->analysed_len != ctx->len ||
	    !ctx->lookups)
		return 0;
	/* from the first lookup the scan saw to the last */
	left = ctx->lookups;
	for (i = ctx->lookup_first; i < ctx->len && n < max && left; i++) {
		if (p[i].code != (BPF_JMP | BPF_CALL) || p[i].src_reg ||
		    armjit_rt.call_base + p[i].imm != armjit_rt.map_lookup_elem)
			continue;
		left--;
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

