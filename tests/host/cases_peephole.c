// SPDX-License-Identifier: GPL-2.0
/*
 * The translation's peepholes across two BPF insns (armjit_translate.c):
 * "rD = rS; rD op= K/rX" as one sequence, the reload a BPF insn drops
 * when its predecessor ended by storing that word, and DW stack accesses
 * as one ldrd/strd. Each against the interpreter with every register in
 * a pair or on the stack (per program, by use), with jumps that land
 * between the two insns (no peephole may span them), and the sizes they
 * save (so a change that turns one off is seen).
 */
#include <stdio.h>
#include <stdlib.h>
#include "gen.h"
#include "armjit_translate.h"

static const int pp_regs[] = { R0, R2, R3, R4, R5, R6, R7, R8, R9 };

static int rnd(int n)
{
	return (int)(rnd64() % (u64)n);
}

static s32 pick_imm(void)
{
	static const s32 imms[] = { 0, 1, 14, 34, -1, -16, 255, 256, 4095,
				    0x10000, -0x10001, 0x7fffffff,
				    (s32)0x80000000, 0x12345678 };

	return imms[rnd(ARRAY_SIZE(imms))];
}

/*
 * Random "rD = rS; rD op= ..." blocks. Operands near 2^32 carry into the
 * hi word; FP as rS is subtracted again so the result doesn't depend on
 * where the stack is. @bias: one register used much more, so programs
 * differ in which registers live in pairs.
 */
static void fused_random(int seed, bool alu32)
{
	static const u8 ops64[] = { BPF_ADD, BPF_SUB };
	static const u8 ops32[] = { BPF_ADD, BPF_SUB, BPF_AND, BPF_OR,
				    BPF_XOR, BPF_LSH, BPF_RSH, BPF_ARSH };
	struct gen_prog g;
	char name[96];
	int bias = pp_regs[seed % ARRAY_SIZE(pp_regs)];
	int n;

	gen_init(&g, GEN_ALLREGS);
	for (n = 0; n < 40; n++) {
		int d = rnd(3) ? pp_regs[rnd(ARRAY_SIZE(pp_regs))] : bias;
		int s = rnd(3) ? pp_regs[rnd(ARRAY_SIZE(pp_regs))] : bias;
		int x = pp_regs[rnd(ARRAY_SIZE(pp_regs))];
		u64 a = gen_vals64[rnd(gen_nr_vals64)];
		u64 b = rnd(2) ? 0xfffffff0ull + rnd(32) :
				 gen_vals64[rnd(gen_nr_vals64)];
		struct gen_block *blk;
		u8 op;

		if (d == s)
			s = d == R3 ? R4 : R3;
		if (x == d)
			x = d == R5 ? R6 : R5;
		blk = gen_add(&g, d, s, a, b);
		if (alu32) {
			op = ops32[rnd(ARRAY_SIZE(ops32))];
			gen_body(blk, MOV32_REG(d, s));
			if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
				gen_body(blk, ALU32_IMM(op, d, rnd(32)));
			else
				gen_body(blk, ALU32_IMM(op, d, pick_imm()));
			continue;
		}
		op = ops64[rnd(2)];
		if (rnd(6) == 0) {
			/* FP + K: a stack address, then - FP again */
			gen_body(blk, MOV64_REG(d, R10));
			gen_body(blk, ALU64_IMM(op, d, rnd(2) ? -8 * rnd(64) :
						   rnd(5000) - 2500));
			gen_body(blk, ALU64_REG(BPF_SUB, d, R10));
		} else {
			gen_body(blk, MOV64_REG(d, s));
			gen_body(blk, rnd(2) ? ALU64_IMM(op, d, pick_imm()) :
					       ALU64_REG(op, d, x));
		}
	}
	snprintf(name, sizeof(name), "peephole: %s rD = rS; rD op= ..., seed %d",
		 alu32 ? "32-bit" : "64-bit", seed);
	gen_run(&g, name);
	gen_free(&g);
}

/*
 * exit, then 30 insns that never run but make R0, R6 and R7 the most used
 * registers: the others of a test live on the stack
 */
static void weigh_r0_r6_r7(struct prog_buf *pb)
{
	int i;

	PB(pb, JA(30));
	for (i = 0; i < 30; i++)
		PB(pb, ALU64_REG(BPF_ADD, R0 + (i % 3 ? 5 + i % 3 : 0), R6));
	PB(pb, EXIT());
}

/*
 * A jump that lands on the second insn of a pair: it must run there (a
 * fused pair would skip it), and a store the fall-through path left in a
 * register must not stand in for the load there.
 */
static void jump_between(u32 flags, const char *tag)
{
	struct prog_buf pb;
	char name[96];

	pb_init(&pb);
	PB(&pb, MOV64_IMM(R2, 0),
	   MOV64_IMM(R4, 0),
	   /* R3-R5, R8, R9 on the stack: the filler below weights R0, R6, R7 */
	   MOV32_IMM(R9, 7),
	   MOV32_IMM(R8, 99),		/* r10 = 99 */
	   MOV64_IMM(R3, 40),		/* r10 = 40 */
	   JMP_IMM(BPF_JEQ, R2, 0, 1),	/* 5: taken, to 7 */
	   MOV32_IMM(R9, 3),		/* ends storing r10 into R9 */
	   ALU32_IMM(BPF_ADD, R9, 1),	/* 7: loads R9 (8, not 41) */
	   JMP_IMM(BPF_JEQ, R2, 0, 1),	/* 8: taken, to 10 */
	   MOV64_REG(R4, R3),
	   ALU64_IMM(BPF_ADD, R4, 2),	/* 10: R4 = 2, not 0 */
	   MOV64_REG(R5, R3),		/* 11, 12: a pair */
	   ALU64_IMM(BPF_ADD, R5, 5),
	   STX_MEM(BPF_DW, R1, R9, 0),
	   STX_MEM(BPF_DW, R1, R8, 8),
	   STX_MEM(BPF_DW, R1, R4, 16),
	   STX_MEM(BPF_DW, R1, R5, 24),
	   MOV64_IMM(R0, 1));
	weigh_r0_r6_r7(&pb);
	snprintf(name, sizeof(name), "peephole: jumps between the insns of a pair%s",
		 tag);
	run_pb(name, &pb, flags);
	pb_free(&pb);
}

/* A helper that leaves other values in ip and lr (both caller-saved). */
static u64 h_clobber(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	__asm__ volatile("mov ip, #0x5a\n\tmov lr, #0xa5" ::: "ip", "lr");
	return a + 1;
}

/*
 * Scratch registers that held a stack word and then took another value
 * without a store (the quotient of a 32-bit MOD, a call): the next read
 * of that word must load it again.
 */
static void scratch_clobbered(void)
{
	struct prog_buf pb;

	pb_init(&pb);
	pb_ld64(&pb, R9, 0x1111222233334444ull);
	PB(&pb, MOV64_IMM(R8, 5),
	   ALU64_REG(BPF_ADD, R8, R9),	/* R9 into ip:lr */
	   ALU32_IMM(BPF_MOD, R8, 7),	/* quotient into lr (udiv) */
	   ALU64_REG(BPF_ADD, R8, R9),
	   STX_MEM(BPF_DW, R1, R8, 0),
	   MOV64_REG(R6, R1),
	   MOV64_IMM(R1, 3),
	   ALU64_REG(BPF_ADD, R8, R9),
	   CALL_IMM(helper_imm(h_clobber)),	/* ip, lr: other values */
	   ALU64_REG(BPF_ADD, R8, R9),
	   ALU64_REG(BPF_ADD, R8, R0),
	   STX_MEM(BPF_DW, R6, R8, 8),
	   MOV64_IMM(R0, 1));
	weigh_r0_r6_r7(&pb);
	run_pb("peephole: scratch registers after a MOD's quotient and a call",
	       &pb, 0);
	pb_free(&pb);
}

/*
 * DW loads and stores on the BPF stack from every register, including
 * offsets ldrd/strd can't reach (imm8) and the hi word's sign (ST imm).
 */
static void stack_dw(void)
{
	struct prog_buf pb;
	int i, k;

	pb_init(&pb);
	for (i = 0; i < (int)ARRAY_SIZE(pp_regs); i++) {
		int r = pp_regs[i], t = pp_regs[(i + 4) % ARRAY_SIZE(pp_regs)];
		/* and 248 below: both in the 512-byte stack */
		s16 off = -8 - 8 * (s16)(i * 7 % 32);

		pb_ld64(&pb, r, 0x0123456789abcdefull * (i + 1));
		PB(&pb, STX_MEM(BPF_DW, R10, r, off),
		   ST_MEM(BPF_DW, R10, off - 248, i % 2 ? -5 - i : 5 + i),
		   LDX_MEM(BPF_DW, t, R10, off),
		   STX_MEM(BPF_DW, R1, t, 8 * i));
		for (k = 0; k < 2; k++)
			PB(&pb, LDX_MEM(BPF_DW, t, R10, off - 248 * k),
			   ALU64_REG(BPF_XOR, R0, t));
	}
	PB(&pb, EXIT());
	run_pb("peephole: DW stack loads and stores, every register", &pb, 0);
	pb_free(&pb);
}

static u64 h_plus1(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return a + 1;
}

/*
 * A register set and then shifted by 0 (no ARM code): the insn that sets
 * it keeps its store back, the shift supersedes that store and stores the
 * same registers again, which must not count as already in the slot
 * (make fuzz-host seed 38493 lost R9 so). A jump lands after each, so the
 * STX reads the slot. A call first: no leaf, stacked registers.
 */
static void shift_by_zero(void)
{
	static const u8 ops[] = { BPF_LSH, BPF_RSH, BPF_ARSH };
	struct prog_buf pb;
	int i, k;

	pb_init(&pb);
	PB(&pb, MOV64_REG(R6, R1),
	   MOV64_IMM(R1, 3),
	   CALL_IMM(helper_imm(h_plus1)));
	for (k = 0; k < (int)ARRAY_SIZE(ops); k++)
		for (i = 0; i < (int)ARRAY_SIZE(pp_regs); i++) {
			int r = pp_regs[i];

			if (r == R6)
				continue;
			PB(&pb, MOV64_IMM(r, 128 + 16 * k + i),
			   ALU64_IMM(ops[k], r, 0),
			   JMP_IMM(BPF_JEQ, r, 0, 0),
			   STX_MEM(BPF_DW, R6, r, 8 * i));
		}
	PB(&pb, MOV64_IMM(R0, 1));
	weigh_r0_r6_r7(&pb);
	run_pb("peephole: a stacked register set, then shifted by 0, then read from its slot",
	       &pb, 0);
	pb_free(&pb);
}

/*
 * Words of @p JIT'ed with and without the peepholes and the image near
 * the helpers (bl calls).
 */
/*
 * Words of p's image with the peepholes (and bl calls) or without; @live:
 * ctx->live in both (else in neither, so the peepholes alone differ).
 */
static bool jit_words_live(const struct bpf_insn *p, int len, bool with,
			   bool live, int *words)
{
	struct host_prog hp = { .insns = p, .len = len, .stack_depth = 512,
				.zext = true };
	bool saved = peephole, saved_near = near_calls, saved_live = liveness;
	int err;

	peephole = with;
	near_calls = with;
	liveness = live;
	err = host_prog_jit(&hp);
	peephole = saved;
	near_calls = saved_near;
	liveness = saved_live;
	*words = hp.words;
	host_prog_free(&hp);
	return !err;
}

static bool jit_words(const struct bpf_insn *p, int len, bool with, int *words)
{
	return jit_words_live(p, len, with, false, words);
}

/*
 * The instructions each peephole saves, on the shapes clang emits:
 * bounds checks (rD = rS; rD += K; if rD > rE), stack pointers
 * (rD = FP; rD += K), a zero-extended load and an op on a stacked
 * register, DW stack copies.
 */
static void sizes(void)
{
	const struct {
		const char *what;
		struct bpf_insn insns[14];
		int len, saved;	/* ARMv6K too: a far call's address is one
				 * ldr and its pool word, as movw/movt
				 */
	} c[] = {
		{ "helper call near the image: one bl",
		  { MOV64_IMM(R1, 41), CALL_IMM(helper_imm(h_plus1)), EXIT() },
		  3, 2 },
		{ "a shift by a register holding a constant: by that constant",
		  { MOV64_IMM(R2, 3), ALU64_REG(BPF_LSH, R1, R2),
		    MOV32_IMM(R2, 33), ALU32_REG(BPF_RSH, R1, R2), EXIT() },
		  5, 5 },
		/*
		 * the calls: R1, R2 in r0-r3 and 3 pairs, so R9 is stacked;
		 * 2 of the words saved are the call's bl
		 */
		{ "a constant set again: no mov, no store back to its slot",
		  { CALL_IMM(helper_imm(h_plus1)),
		    MOV64_IMM(R0, 0), MOV64_IMM(R6, 0), MOV64_IMM(R7, 0),
		    ALU64_REG(BPF_ADD, R0, R6), ALU64_REG(BPF_ADD, R6, R7),
		    ALU64_REG(BPF_ADD, R7, R0), ALU64_REG(BPF_ADD, R0, R7),
		    ALU64_REG(BPF_ADD, R6, R0), MOV32_IMM(R9, 1),
		    JMP_IMM(BPF_JEQ, R0, 5, 1), MOV32_IMM(R9, 1), EXIT() },
		  13, 4 },
		/*
		 * R6, R7, R9 used most: R0 stacked; of the 6 words, 2 are the
		 * bl, 2 the reloads of R0, 2 its stores the next insn makes
		 * dead
		 */
		{ "a stacked register written insn after insn: one store",
		  { CALL_IMM(helper_imm(h_plus1)), MOV64_IMM(R6, 1),
		    MOV64_IMM(R7, 2), MOV64_IMM(R9, 3),
		    ALU64_REG(BPF_ADD, R6, R7), ALU64_REG(BPF_ADD, R7, R9),
		    ALU64_REG(BPF_ADD, R9, R6), ALU64_REG(BPF_ADD, R6, R7),
		    ALU64_REG(BPF_ADD, R7, R9), ALU64_IMM(BPF_ADD, R0, 2),
		    ALU64_REG(BPF_SUB, R0, R7), ALU64_REG(BPF_ADD, R0, R9),
		    EXIT() },
		  13, 6 },
		{ "rD = rS; rD += K (both in pairs): no copy",
		  { MOV64_REG(R3, R1), ALU64_IMM(BPF_ADD, R3, 14), EXIT() },
		  3, 2 },
		{ "rD = FP; rD += K: add from sp, hi 0",
		  { MOV64_REG(R2, R10), ALU64_IMM(BPF_ADD, R2, -16), EXIT() },
		  3, 2 },
		{ "wD = wS; wD &= K: no copy",
		  { MOV32_REG(R2, R1), ALU32_IMM(BPF_AND, R2, 0xff), EXIT() },
		  3, 1 },
		{ "op on a stacked register after its store: no reload",
		  { CALL_IMM(helper_imm(h_plus1)),
		    MOV64_IMM(R0, 0), MOV64_IMM(R6, 0), MOV64_IMM(R7, 0),
		    ALU64_REG(BPF_ADD, R0, R6), ALU64_REG(BPF_ADD, R6, R7),
		    ALU64_REG(BPF_ADD, R7, R0), ALU64_REG(BPF_ADD, R0, R7),
		    ALU64_REG(BPF_ADD, R6, R0),
		    MOV32_IMM(R9, 1), ALU32_IMM(BPF_LSH, R9, 4),
		    ALU32_IMM(BPF_OR, R9, 3), EXIT() },
		  13, 4 },
	};
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(c); i++) {
		char name[128];
		int with, without, saved;
		bool ok;

		snprintf(name, sizeof(name), "peephole: size: %s", c[i].what);
		if (!want(name) || counting) {
			report(name, true);
			continue;
		}
		with = without = 0;
		saved = c[i].saved;
		ok = jit_words(c[i].insns, c[i].len, true, &with) &&
		     jit_words(c[i].insns, c[i].len, false, &without);
		if (!ok || without - with != saved)
			printf("# %s: %d words with the peepholes, %d without (want %d fewer)\n",
			       name, with, without, saved);
		report(name, ok && without - with == saved);
	}
}

/* ---- bpf_map_lookup_elem of a known map: the map's lookup directly ---- */

static u64 map_vals[8];
static int direct_hits;

static void *lookup_vals(struct host_map *m, void *key)
{
	u32 k = *(u32 *)key;

	if (!host_in_helper)
		direct_hits++;
	return k < 8 ? &((u64 *)m->priv)[k] : NULL;
}

static struct host_map vals_map = { lookup_vals, map_vals };
static struct host_map vals_map2 = { lookup_vals, map_vals + 4 };

/*
 * @how: 0 ld_imm64 R1 right before the call, 1 a jump landing on the call
 * in between, 2 R1 copied from another register, 3 R1 loaded twice (the
 * second map counts), 4 R1 loaded from the stack after its ld_imm64.
 * Direct sites the JIT must find: 1, 0, 0, 1, 0.
 */
static void map_lookup_case(int how)
{
	static const char *const what[] = {
		"ld_imm64 R1 = map right before the call: the map's lookup",
		"a jump lands between ld_imm64 and the call: the helper",
		"R1 from another register: the helper",
		"R1 = map, then R1 = map2: map2's lookup",
		"R1 = map, then R1 loaded (map2) from the stack: the helper",
	};
	static const int want_sites[] = { 1, 0, 0, 1, 0 };
	struct prog_buf pb;
	char name[128];
	bool ok;
	int i, runs_direct, want;

	for (i = 0; i < 8; i++)
		map_vals[i] = 0x1111111111111111ull * (i + 1);
	pb_init(&pb);
	PB(&pb, MOV64_REG(R6, R1),
	   ST_MEM(BPF_W, R10, -4, 5),
	   MOV64_REG(R2, R10),
	   ALU64_IMM(BPF_ADD, R2, -4));
	if (how == 2) {
		pb_ld64(&pb, R7, (u32)(uintptr_t)&vals_map);
		PB(&pb, MOV64_REG(R1, R7));
	} else if (how == 4) {
		pb_ld64(&pb, R7, (u32)(uintptr_t)&vals_map2);
		PB(&pb, STX_MEM(BPF_DW, R10, R7, -16));
		pb_ld64(&pb, R1, (u32)(uintptr_t)&vals_map);
		PB(&pb, LDX_MEM(BPF_DW, R1, R10, -16));
	} else {
		pb_ld64(&pb, R1, (u32)(uintptr_t)(how == 3 ? &vals_map2 :
							    &vals_map));
		if (how == 3)
			pb_ld64(&pb, R1, (u32)(uintptr_t)&vals_map2);
		if (how == 1)
			PB(&pb, JMP_IMM(BPF_JEQ, R6, 0, 0));
	}
	PB(&pb, CALL_IMM(helper_imm(host_map_lookup_elem)),
	   JMP_IMM(BPF_JEQ, R0, 0, 3),
	   LDX_MEM(BPF_DW, R3, R0, 0),
	   STX_MEM(BPF_DW, R6, R3, 0),
	   ALU64_IMM(BPF_ADD, R3, 1),
	   MOV64_IMM(R0, 1),
	   EXIT());
	snprintf(name, sizeof(name), "map lookup: %s", what[how]);
	direct_hits = 0;
	ok = run_pb(name, &pb, 0);
	runs_direct = direct_hits;
	pb_free(&pb);
	snprintf(name, sizeof(name), "map lookup: %s: %d direct site(s), %d direct call(s)",
		 what[how], host_direct_sites, runs_direct);
	/* the runner runs each image twice; at opt 0 none is direct */
	want = peephole ? want_sites[how] : 0;
	report(name, ok && host_direct_sites == want &&
		     runs_direct == 2 * want);
}

/* ARM words of an image matching (w & mask) == val */
int count_words(const struct host_prog *hp, u32 mask, u32 val)
{
	int j, n = 0;

	for (j = 0; j < hp->words; j++)
		n += (((u32 *)hp->image)[j] & mask) == val;
	return n;
}

/*
 * Runs @t against the interpreter, then (when check @name is selected)
 * JITs its program alone and counts the words matching each of two
 * (mask, value) patterns into n[] (-1 when the JIT failed). False: the
 * check is not run (reported ok, as when counting).
 */
bool jit_count2(const struct test_case *t, const char *name,
		const u32 pat[2][2], int n[2])
{
	struct host_prog hp = { .insns = t->insns, .len = t->len,
				.stack_depth = t->stack_depth, .zext = true };
	int i;

	run_test(t);
	if (!want(name) || counting) {
		report(name, true);
		return false;
	}
	n[0] = n[1] = -1;
	if (host_prog_jit(&hp))
		return true;
	for (i = 0; i < 2; i++)
		n[i] = count_words(&hp, pat[i][0], pat[i][1]);
	host_prog_free(&hp);
	return true;
}

/*
 * A program that lives in registers (no stacked register, BPF stack or
 * call) has no frame: no sub/add of sp. A leaf program (no calls) saves
 * only the callee-saved registers it writes, and nothing if none: R0 in
 * r0:r1, R1 and R2 in r2:r3 or r0:r1 first; R1's ctx is copied to its
 * pair only when read before written; an exit before the last insn
 * copies a short epilogue. Each also runs against the interpreter.
 */
static void no_frame(void)
{
	static const struct bpf_insn in_regs[] = {
		MOV64_IMM(R0, 7), ALU64_IMM(BPF_ADD, R0, 1),
		JMP_IMM(BPF_JEQ, R0, 8, 1), EXIT(), ALU64_IMM(BPF_ADD, R0, 2),
		EXIT(),
	};
	/* R1 read first; R0, R1, R6, R7, R9 the most used: R8 stacked */
	static const struct bpf_insn stacked[] = {
		MOV64_REG(R9, R1), MOV64_IMM(R0, 7), MOV64_IMM(R6, 1),
		MOV64_IMM(R7, 2), MOV64_IMM(R8, 3), ALU64_REG(BPF_ADD, R9, R8),
		ALU64_REG(BPF_ADD, R0, R9), ALU64_REG(BPF_ADD, R0, R1),
		ALU64_REG(BPF_ADD, R6, R7), ALU64_REG(BPF_SUB, R0, R1),
		ALU64_REG(BPF_SUB, R0, R1), ALU64_REG(BPF_ADD, R0, R6),
		EXIT(),
	};
	/* R1 written before read; R6 (r8:r9) and a multiply's lr */
	static const struct bpf_insn saves[] = {
		MOV64_IMM(R1, 5), MOV64_IMM(R6, 3), MOV64_IMM(R0, 2),
		ALU64_REG(BPF_MUL, R0, R6), ALU64_REG(BPF_ADD, R0, R1), EXIT(),
	};
	static const struct {
		const char *what;
		const struct bpf_insn *insns;
		int len;
		u64 r0;
		int sp_ops, exits, copy_r1;
		u32 push;	/* the prologue's push list, 0: none */
	} c[] = {
		{ "in registers, no callee-saved register", in_regs,
		  ARRAY_SIZE(in_regs), 10, 0, 2, 0, 0 },
		{ "a stacked register, R1 read first", stacked,
		  ARRAY_SIZE(stacked), 13, 2, 1, 1, 0x0ff8 | 1 << 14 },
		{ "R6 and lr written, R1 not read first", saves,
		  ARRAY_SIZE(saves), 11, 0, 1, 0,
		  1 << 3 | 1 << 8 | 1 << 9 | 1 << 14 },
	};
	int k;

	for (k = 0; k < (int)ARRAY_SIZE(c); k++) {
		struct host_prog hp = { .insns = c[k].insns, .len = c[k].len,
					.zext = true };
		struct test_case t = { .insns = c[k].insns, .len = c[k].len,
				       .flags = F_EXPECT_R0,
				       .expect_r0 = c[k].r0 };
		char name[128], run[128];
		int sp_ops, pushes, exits, copy;
		bool ok;

		snprintf(run, sizeof(run), "prologue: leaf: %s", c[k].what);
		snprintf(name, sizeof(name), "prologue: leaf: shape: %s",
			 c[k].what);
		t.name = run;
		run_test(&t);
		if (!want(name) || counting) {
			report(name, true);
			continue;
		}
		if (host_prog_jit(&hp)) {
			printf("# %s: JIT failed\n", name);
			report(name, false);
			continue;
		}
		sp_ops = count_words(&hp, 0xfffff000, 0xe24dd000) +
			 count_words(&hp, 0xfffff000, 0xe28dd000);
		pushes = count_words(&hp, 0xffff0000, 0xe92d0000);
		exits = count_words(&hp, 0xffffffff, 0xe12fff1e) +
			count_words(&hp, 0xffff8000, 0xe8bd8000);
		/* mov r2, r0; mov r3, #0 */
		copy = count_words(&hp, 0xffffffff, 0xe1a02000) &&
		       count_words(&hp, 0xffffffff, 0xe3a03000);
		ok = sp_ops == c[k].sp_ops && exits == c[k].exits &&
		     copy == c[k].copy_r1 &&
		     (c[k].push ? pushes == 1 &&
		      count_words(&hp, 0xffffffff, 0xe92d0000 | c[k].push) :
		      !pushes);
		printf("# %s: %d words, %d sub/add sp, %d push, %d exits, R1 copied %d\n",
		       name, hp.words, sp_ops, pushes, exits, copy);
		host_prog_free(&hp);
		report(name, ok);
	}
}

/*
 * Words nothing reads later (ctx->live): a hi word only 32-bit insns
 * read, a value overwritten before any read, R0's hi at a main
 * program's exit (--ret32 as the kernel); hi words known 0 (ctx->hi0):
 * 64-bit compares as 32-bit ones, no second zero. Each runs against
 * the interpreter too, and its image is smaller by @saved words with the
 * analyses than without.
 */
static void dead_words(void)
{
	static const struct {
		const char *what;
		struct bpf_insn insns[8];
		int len, saved, saved32;	/* --ret32: R0's hi too */
	} c[] = {
		{ "zext of a hi word only JMP32 reads",
		  { MOV32_IMM(R0, 3), ZEXT_REG(R0), MOV32_IMM(R6, 5),
		    ZEXT_REG(R6), JMP32_REG(BPF_JGT, R0, R6, 1),
		    ALU32_REG(BPF_ADD, R0, R6), EXIT() }, 7, 1, 2 },
		{ "a constant overwritten before any read",
		  { LD_IMM64(R0, 0x123456789ULL), LD_IMM64(R0, 7), EXIT() },
		  5, 3, 4 },
		{ "a load whose value nothing reads",
		  { LDX_MEM(BPF_W, R2, R1, 0), MOV64_IMM(R2, 1),
		    ALU64_REG(BPF_ADD, R2, R1), ALU64_REG(BPF_SUB, R2, R1),
		    MOV64_REG(R0, R2), EXIT() }, 6, 1, 2 },
		{ "64-bit multiply whose hi nothing reads: one mul",
		  { LD_IMM64(R6, 0x100000005ULL), MOV64_IMM(R7, -3),
		    ALU64_REG(BPF_MUL, R6, R7), MOV32_REG(R0, R6), EXIT() },
		  6, 3, 3 },
		{ "64-bit right shifts whose hi nothing reads",
		  { LD_IMM64(R6, 0x8234567887654321ULL), MOV64_REG(R7, R6),
		    ALU64_IMM(BPF_ARSH, R6, 40), ALU64_IMM(BPF_RSH, R7, 4),
		    ALU32_REG(BPF_ADD, R7, R6), MOV32_REG(R0, R7), EXIT() },
		  8, 2, 2 },
		/* hi words known 0 (ctx->hi0) */
		{ "64-bit compares of values with hi 0, across a jump",
		  { MOV64_IMM(R2, 5), MOV64_IMM(R3, 7), JA(0),
		    JMP_REG(BPF_JGT, R2, R3, 2), JMP_IMM(BPF_JSGT, R2, 3, 1),
		    MOV64_REG(R2, R3), MOV64_REG(R0, R2), EXIT() },
		  8, 5, 6 },
		{ "a hi word set to 0 again: no mov",
		  { MOV64_IMM(R6, 1), JMP_IMM(BPF_JEQ, R6, 1, 0),
		    MOV64_IMM(R6, 2), MOV64_REG(R0, R6), EXIT() },
		  5, 2, 3 },
		{ "64-bit mov whose hi only a 32-bit op reads",
		  { MOV64_IMM(R6, -3), MOV64_REG(R0, R6),
		    ALU32_IMM(BPF_ADD, R0, 9), ZEXT_REG(R0), EXIT() }, 5, 1, 2 },
	};
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(c); i++) {
		struct test_case t = { .insns = c[i].insns, .len = c[i].len };
		char name[128], run[128];
		int with = 0, without = 0;
		int saved = ret32 ? c[i].saved32 : c[i].saved;
		bool ok;

		snprintf(run, sizeof(run), "liveness: %s", c[i].what);
		snprintf(name, sizeof(name), "liveness: size: %s", c[i].what);
		t.name = run;
		run_test(&t);
		if (!want(name) || counting) {
			report(name, true);
			continue;
		}
		ok = jit_words_live(c[i].insns, c[i].len, true, true, &with) &&
		     jit_words_live(c[i].insns, c[i].len, true, false,
				    &without);
		if (!ok || without - with != saved)
			printf("# %s: %d words with the analysis, %d without (want %d fewer)\n",
			       name, with, without, saved);
		report(name, ok && without - with == saved);
	}
}

/*
 * The scratch cache may not keep a BPF stack word a register loaded
 * through sp once a store through a pointer (another base register)
 * may have changed it: a plain store of each size and an atomic add.
 * Each reads the word before and after (both results kept live).
 */
static void cache_alias(void)
{
	static const struct {
		const char *what;
		struct bpf_insn store;
		u64 r0;
	} c[] = {
		{ "DW store", ST_MEM(BPF_DW, R6, 0, 7), 12 },
		{ "W store", ST_MEM(BPF_W, R6, 0, 7), 12 },
		{ "B store", ST_MEM(BPF_B, R6, 0, 7), 12 },
		{ "STX DW", STX_MEM(BPF_DW, R6, R7, 0), 14 },
		{ "atomic add DW", ATOMIC_OP(BPF_DW, BPF_ADD, R6, R7, 0), 19 },
		{ "atomic add W", ATOMIC_OP(BPF_W, BPF_ADD, R6, R7, 0), 19 },
	};
	int i, j;

	for (i = 0; i < (int)ARRAY_SIZE(c); i++)
		for (j = 0; j < 2; j++) {
			/* j: R2 stacked (a call makes R0, R6, R7 the pairs) */
			struct bpf_insn p[] = {
				MOV64_IMM(R7, 9), ST_MEM(BPF_DW, R10, -8, 5),
				j ? CALL_IMM(helper_imm(h_plus1)) : MOV64_IMM(R0, 0),
				LDX_MEM(BPF_DW, R2, R10, -8), MOV64_REG(R3, R2),
				MOV64_REG(R6, R10), ALU64_IMM(BPF_ADD, R6, -8),
				c[i].store, LDX_MEM(BPF_DW, R2, R10, -8),
				MOV64_REG(R0, R2), ALU64_REG(BPF_ADD, R0, R3),
				EXIT(),
			};
			struct test_case t = { .insns = p, .len = ARRAY_SIZE(p),
					       .flags = F_EXPECT_R0,
					       .expect_r0 = c[i].r0 };
			char name[128];

			snprintf(name, sizeof(name),
				 "cache: a stack word after a %s through a pointer%s",
				 c[i].what, j ? " (after a call)" : "");
			t.name = name;
			run_test(&t);
		}
}

/*
 * Non-fetch atomics of a src in registers: no barrier, no push (r10:r11
 * and lr), the stack address in ip kept from one to the next; what the
 * scratch cache knew holds across the loop, but the BPF stack. Against
 * the interpreter, and the image has no dmb and one push (the
 * prologue's).
 */
static void atomic_plain(void)
{
	static const struct bpf_insn p[] = {
		MOV64_IMM(R7, 3), LD_IMM64(R8, 0x100000005ULL),
		ST_MEM(BPF_DW, R10, -8, 10), ST_MEM(BPF_DW, R10, -16, 20),
		LDX_MEM(BPF_DW, R3, R10, -16),
		ATOMIC_OP(BPF_DW, BPF_ADD, R10, R7, -8),
		ATOMIC_OP(BPF_DW, BPF_ADD, R10, R8, -8),
		ATOMIC_OP(BPF_W, BPF_OR, R10, R7, -16),
		LDX_MEM(BPF_DW, R2, R10, -16), MOV64_REG(R6, R10),
		ALU64_IMM(BPF_ADD, R6, -16),
		ATOMIC_OP(BPF_DW, BPF_XOR, R6, R8, 0),
		ATOMIC_OP(BPF_W, BPF_AND, R10, R8, -8),
		ATOMIC_OP(BPF_W, BPF_ADD, R6, R7, 4),
		LDX_MEM(BPF_DW, R0, R10, -8), LDX_MEM(BPF_DW, R4, R10, -16),
		ALU64_REG(BPF_ADD, R0, R4), ALU64_REG(BPF_ADD, R0, R2),
		ALU64_REG(BPF_ADD, R0, R3), EXIT(),
	};
	static const u32 pat[2][2] = {
		{ 0xffffffff, 0xf57ff05b },	/* dmb ish */
		{ 0xffff0000, 0xe92d0000 },	/* push */
	};
	const char *name = "atomic: non-fetch, src in registers: no barrier, no push";
	struct test_case t = { .name = "atomic: non-fetch ops on the stack and through a pointer",
			       .insns = p, .len = ARRAY_SIZE(p),
			       .stack_depth = 16 };
	int n[2];

	if (!jit_count2(&t, name, pat, n))
		return;
	printf("# %s: %d dmb, %d push\n", name, n[0], n[1]);
	report(name, n[0] == 0 && n[1] == 1);
}

/*
 * 7.2's load-acquire and store-release: a barrier each (dmb ish, at
 * ARMv6K the CP15 one), after the load, before the store, the image
 * otherwise a plain load and store.
 */
static void acq_rel_barriers(void)
{
	static const struct bpf_insn p[] = {
		MOV64_IMM(R2, 42),
		ATOMIC_OP(BPF_W, BPF_STORE_REL, R10, R2, -8),
		ATOMIC_OP(BPF_B, BPF_LOAD_ACQ, R0, R10, -8),
		EXIT(),
	};
	const char *name = "load-acquire, store-release: a barrier each, load before and store after its own";
	struct host_prog hp = { .insns = p, .len = ARRAY_SIZE(p),
				.stack_depth = 16, .zext = true };
	int bar[2], nb = 0, j, st = -1, ld = -1;
	bool ok;

	if (!want(name) || counting) {
		report(name, true);
		return;
	}
	ok = !host_prog_jit(&hp);
	for (j = 0; ok && j < hp.words - hp.pool; j++) {
		u32 w = ((u32 *)hp.image)[j];

		if (w == 0xf57ff05b || (w & 0xffff0fff) == 0xee070fba) {
			if (nb < 2)
				bar[nb] = j;
			nb++;
		} else if ((w & 0x0ff00000) == 0x05800000 && st < 0) {
			st = j;		/* str rX, [rn, #+/-imm] */
		} else if ((w & 0x0f500000) == 0x05500000 && ld < 0) {
			ld = j;		/* ldrb rX, [rn, #imm] */
		}
	}
	printf("# %s: %d barriers (at %d, %d), store at %d, load at %d\n",
	       name, nb, nb > 0 ? bar[0] : -1, nb > 1 ? bar[1] : -1, st, ld);
	if (ok)
		host_prog_free(&hp);
	report(name, ok && nb == 2 && bar[0] < st && st < ld && ld < bar[1]);
}

/*
 * AND with 0xffff is one uxth, XOR with ~0 one mvn: no constant built
 * (checksum folds, "~csum").
 */
static void mask_insns(void)
{
	static const struct bpf_insn p[] = {
		LDX_MEM(BPF_W, R2, R1, 0),
		ALU32_IMM(BPF_AND, R2, 0xffff),
		LDX_MEM(BPF_W, R3, R1, 4),
		ALU32_IMM(BPF_XOR, R3, -1),
		ALU64_REG(BPF_ADD, R2, R3),
		MOV64_REG(R0, R2),
		EXIT(),
	};
	static const u32 pat[2][2] = {
		{ 0xffff0ff0, 0xe6ff0070 },	/* uxth */
		{ 0xffff0ff0, 0xe1e00000 },	/* mvn rd, rm */
	};
	const char *name = "and 0xffff, xor ~0: one uxth, one mvn";
	struct test_case t = { .name = "and 0xffff, xor ~0 of loaded words",
			       .insns = p, .len = ARRAY_SIZE(p),
			       .stack_depth = 16 };
	int n[2];

	if (!jit_count2(&t, name, pat, n))
		return;
	printf("# %s: %d uxth, %d mvn\n", name, n[0], n[1]);
	report(name, n[0] == 1 && n[1] == 1);
}

/*
 * test_bpf's staggered jumps: a chain of JAs that goes back and forth
 * over the program, so the analyses give up (more sweeps than
 * ARMJIT_SWEEPS) and the code must still be right; with a conditional
 * jump instead (blocks fall through) they settle.
 */
static void staggered(void)
{
	static const char *const what[] = { "JA", "JEQ_X" };
	int size = 200, len = 4 + 3 * (size + 1), k;

	for (k = 0; k < 2; k++) {
		struct bpf_insn *p = calloc(len, sizeof(*p));
		struct bpf_insn jmp = k ? JMP_REG(BPF_JEQ, R1, R2, 0) : JA(0);
		struct test_case t = { .insns = p, .len = len,
				       .flags = F_EXPECT_R0,
				       .expect_r0 = size + 1 };
		char name[96];
		int ind, off;

		p[0] = MOV64_IMM(R0, 0);
		p[1] = MOV64_IMM(R1, 1234);
		p[2] = MOV64_IMM(R2, 1234);
		p[3] = JA(3 * size / 2);
		for (ind = 0, off = size; ind <= size; ind++, off -= 2) {
			struct bpf_insn *ins = &p[4 + 3 * ind];
			int loc;

			if (off == 0)
				off--;
			loc = off < 0 ? -off : off;
			ins[0] = JMP_IMM(BPF_JNE, R0, loc - 1,
					 3 * (size - ind) + 1);
			ins[1] = MOV64_IMM(R0, loc);
			ins[2] = jmp;
			ins[2].off = 3 * (off - 1);
		}
		p[len - 1] = EXIT();
		snprintf(name, sizeof(name),
			 "liveness: staggered jumps (%s) over %d blocks", what[k],
			 size + 1);
		t.name = name;
		run_test(&t);
		free(p);
	}
}

/*
 * The scratch cache's masks, which st_src_held() takes the lowest register
 * of, say what its questions per register say, in random cache states.
 */
static void cache_masks(void)
{
	static const s32 offs[] = { -1, 0, 4, 8, 12, 16, 64, 68 };
	static const u32 vals[] = { 0, 1, 7, 0xffffffff, 0x12345678 };
	static struct armjit_ctx ctx;
	u32 x = 12345;	/* not rnd64(): its sequence makes later programs */
	bool ok = true;
	int it, i, r;

#define NEXT()	(x = x * 1103515245u + 12345u, x >> 16)
	for (it = 0; it < 2000 && ok; it++) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.kmask = NEXT();
		for (r = 0; r < 16; r++)
			ctx.kval[r] = vals[NEXT() % 5];
		for (r = 0; r < 16; r++) {
			ctx.cached[r] = -1;
			if (!(ARMJIT_CACHE_REGS & 1U << r))
				continue;
			ctx.cached[r] = offs[NEXT() % 8];
			if (ctx.cached[r] >= 0)
				ctx.cvalid |= 1U << r;
		}
		for (i = 0; i < 5; i++) {
			u16 m = armjit_emit_known_regs(&ctx, vals[i]);

			for (r = 0; r < 16; r++)
				ok &= !!(m & 1U << r) ==
				      armjit_emit_known(&ctx, r, vals[i]);
		}
		for (i = 0; i < 8; i++) {
			u16 m = armjit_emit_holding(&ctx, offs[i]);

			for (r = 0; r < 16; r++)
				ok &= !!(m & 1U << r) ==
				      armjit_emit_holds(&ctx, r, offs[i]);
		}
	}
#undef NEXT
	report("cache: armjit_emit_known_regs()/_holding() masks = armjit_emit_known()/_holds() per register (2000 random states)",
	       ok);
}

/*
 * ARMv6K's literal pool: a constant of 3 or 4 mov/orr, and an address a
 * later pass patches, is one ldr from a word after the epilogue, when the
 * image fits ldr's reach (ARMJIT_LIT_WORDS). Each program against the
 * interpreter, and its pool's words (none on ARMv7).
 */
/*
 * Runs the program against the interpreter and, when check @sel is
 * selected, JITs it alone for its words and pool words; false when not
 * selected (or counting) or when either failed.
 */
static bool lit_case(const char *name, const char *sel,
		     const struct bpf_insn *p, int len, u64 r0, bool want_r0,
		     int *words, int *pool)
{
	struct test_case t = { .name = name, .insns = p, .len = len,
			       .flags = want_r0 ? F_EXPECT_R0 : 0,
			       .expect_r0 = r0 };
	struct host_prog hp = { .insns = p, .len = len, .stack_depth = 512,
				.zext = true };
	bool ok = run_test(&t);

	if (counting || !want(sel) || host_prog_jit(&hp))
		return false;
	*words = hp.words;
	*pool = hp.pool;
	host_prog_free(&hp);
	return ok;
}

static void lit_pool_one(const char *name, const struct bpf_insn *p,
			 int len, u64 r0, int want_pool)
{
	char check[128];
	int words, pool;
	bool ok;

	snprintf(check, sizeof(check), "%s: pool words", name);
	ok = lit_case(name, check, p, len, r0, true, &words, &pool);
	if (counting || !want(check)) {
		report(check, true);
		return;
	}
	if (ok)
		printf("# %s: %d words, %d in the pool\n", name, words, pool);
	report(check, ok && pool == want_pool);
}

static void lit_pool(void)
{
	/* make bench's mul64_x_hi and jmp32_jsgt_x (lib/test_bpf.c) */
	static const struct bpf_insn mul[] = {
		LD_IMM64(R0, 0x0fedcba987654321ULL),
		LD_IMM64(R1, 0x123456789abcdef0ULL),
		ALU64_REG(BPF_MUL, R0, R1),
		ALU64_IMM(BPF_RSH, R0, 32),
		EXIT(),
	};
	static const struct bpf_insn jsgt[] = {
		MOV32_IMM(R0, -12345678),
		MOV32_IMM(R1, -12345678),
		JMP32_REG(BPF_JSGT, R0, R1, 2),
		MOV32_IMM(R1, -12345679),
		JMP32_REG(BPF_JSGT, R0, R1, 1),
		MOV32_IMM(R0, 0),
		EXIT(),
	};
	const char *reach = "literal pool: images up to ldr's reach have one, larger ones none";
	char buf[128];
	int words, pool, n, with = 0, without = 0;

	lit_pool_one("literal pool: 64x64 multiply of four wide constants",
		     mul, ARRAY_SIZE(mul), 0x2236d88f, arm_v7() ? 0 : 4);
	lit_pool_one("literal pool: JMP32_JSGT_X of wide constants", jsgt,
		     ARRAY_SIZE(jsgt), (u32)-12345678, arm_v7() ? 0 : 3);

	/*
	 * A wide constant first and last, filler between: images from
	 * below to above ldr's reach; beyond it no pool, the same results.
	 */
	for (n = 960; n <= 1040; n += 8) {
		struct prog_buf pb;
		int i;

		pb_init(&pb);
		pb_ld64(&pb, R6, 0x87654321a5a5c3c3ULL);
		PB(&pb, MOV64_IMM(R0, 0));
		for (i = 0; i < n; i++)
			PB(&pb, ALU32_IMM(BPF_ADD, R0, i & 0x7f));
		pb_ld64(&pb, R7, 0x1234567f89abcdefULL);
		PB(&pb, ALU64_REG(BPF_XOR, R6, R7),
		   ALU64_REG(BPF_ADD, R0, R6),
		   EXIT());
		snprintf(buf, sizeof(buf),
			 "literal pool: %d filler insns between two wide constants",
			 n);
		if (lit_case(buf, reach, pb.insns, pb.len, 0, false, &words,
			     &pool)) {
			if (pool && words > ARMJIT_LIT_WORDS) {
				printf("# %s: %d words with a pool\n", buf,
				       words);
				with = -1000;
			}
			if (pool)
				with++;
			else
				without++;
		}
		pb_free(&pb);
	}
	if (counting || !want(reach)) {
		report(reach, true);
		return;
	}
	printf("# literal pool: reach: %d images with a pool, %d without\n",
	       with, without);
	report(reach, arm_v7() ? !with && without == 11 :
			with > 0 && without > 0);
}

void cases_peephole(void)
{
	int seed;

	for (seed = 0; seed < 9; seed++) {
		fused_random(seed, false);
		fused_random(seed, true);
	}
	gen_extra_flags = F_ZEXT | F_ZEXT_INSERT;
	fused_random(100, false);
	fused_random(101, true);
	gen_extra_flags = 0;
	jump_between(0, "");
	jump_between(F_ZEXT | F_ZEXT_INSERT, " [zext]");
	stack_dw();
	scratch_clobbered();
	shift_by_zero();
	sizes();
	for (seed = 0; seed < 5; seed++)
		map_lookup_case(seed);
	no_frame();
	dead_words();
	cache_alias();
	atomic_plain();
	staggered();
	cache_masks();
	lit_pool();
	acq_rel_barriers();
	mask_insns();
}
