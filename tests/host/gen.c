// SPDX-License-Identifier: GPL-2.0
/* Block-structured generated programs (see gen.h). */
#include <stdio.h>
#include <stdlib.h>
#include "gen.h"
#include "disasm.h"

#define SLOT_CTX	(-8)
#define SLOT_REG(r)	(-16 - 8 * (r))

const u64 gen_vals64[] = {
	0, 1, 2, 3, 5, (u64)-1, (u64)-2, (u64)-3,
	0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe,
	0x100000000ull, 0x100000001ull, 0x00000001fffffffeull,
	0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
	0xffffffff00000000ull, 0xffffffff80000000ull, 0x000000007ffffffeull,
	31, 32, 33, 63, 64, 65,
	/* "random", fixed */
	0x0123456789abcdefull, 0xfedcba9876543210ull, 0x9e3779b97f4a7c15ull,
	0x00000000deadbeefull, 0x5555555555555555ull, 0xaaaaaaaa00000007ull,
	0x0000000c00000000ull, 0x00000000000fffffull,
};
const int gen_nr_vals64 = ARRAY_SIZE(gen_vals64);

const s32 gen_imms[] = {
	0, 1, 2, 3, 5, -1, -2, -3, 0x7fffffff, (s32)0x80000000, (s32)0x80000001,
	31, 32, 33, 63, 64, 0xff, 0x100, 0xfff, 0x1000, 0xffff, 0x10000,
	0x12345678, (s32)0xdeadbeef, (s32)0xfffff000, 0x00ff00ff, (s32)0xff000000,
	-256, -257, 0x3fc, 0x1fe00,
};
const int gen_nr_imms = ARRAY_SIZE(gen_imms);

void gen_init(struct gen_prog *g, enum gen_mode mode)
{
	memset(g, 0, sizeof(*g));
	g->mode = mode;
}

struct gen_block *gen_add(struct gen_prog *g, int dst, int src, u64 a, u64 b)
{
	struct gen_block *blk;

	if (g->nr == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->blocks = realloc(g->blocks, g->cap * sizeof(*g->blocks));
	}
	blk = &g->blocks[g->nr++];
	memset(blk, 0, sizeof(*blk));
	blk->dst = dst;
	blk->src = src;
	blk->a = a;
	blk->b = b;
	return blk;
}

void gen_body(struct gen_block *b, struct bpf_insn insn)
{
	if (b->nbody < GEN_MAX_BODY)
		b->body[b->nbody++] = insn;
}

static u64 pattern(int r, int k)
{
	return 0x0101010101010101ull * (u64)(0x10 + r) + ((u64)k << 20);
}

static int pick_base(const struct gen_block *b)
{
	int r;

	for (r = 9; r >= 1; r--)
		if (r != b->dst && r != b->src)
			return r;
	return -1;
}

static void build(struct gen_prog *g)
{
	struct prog_buf *pb = &g->pb;
	int k, r, base = -1;
	int off = 0;

	pb_init(pb);
	g->blk_insn = calloc(g->nr + 1, sizeof(int));
	g->blk_body_end = calloc(g->nr + 1, sizeof(int));
	if (g->mode == GEN_VALUES) {
		g->words_per_block = g->nr && g->blocks[0].src >= 0 ? 2 : 1;
		base = g->nr ? pick_base(&g->blocks[0]) : 9;
		PB(pb, MOV64_REG(base, R1));
	} else {
		g->words_per_block = 10;
		PB(pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	}
	for (k = 0; k < g->nr; k++) {
		struct gen_block *b = &g->blocks[k];

		g->blk_insn[k] = pb->len;
		if (g->mode == GEN_ALLREGS)
			for (r = 0; r <= 9; r++)
				pb_ld64(pb, r, pattern(r, k));
		if (b->src >= 0)
			pb_ld64(pb, b->src, b->b);
		pb_ld64(pb, b->dst, b->a);
		for (r = 0; r < b->nbody; r++)
			pb_emit(pb, b->body[r]);
		g->blk_body_end[k] = pb->len;
		if (g->mode == GEN_VALUES) {
			PB(pb, STX_MEM(BPF_DW, base, b->dst, off));
			if (b->src >= 0)
				PB(pb, STX_MEM(BPF_DW, base, b->src, off + 8));
			off += 8 * g->words_per_block;
		} else {
			for (r = 0; r <= 9; r++)
				PB(pb, STX_MEM(BPF_DW, R10, r, SLOT_REG(r)));
			PB(pb, LDX_MEM(BPF_DW, R1, R10, SLOT_CTX));
			for (r = 0; r <= 9; r++)
				PB(pb, LDX_MEM(BPF_DW, R2, R10, SLOT_REG(r)),
				   STX_MEM(BPF_DW, R1, R2, off + 8 * r));
			off += 80;
		}
	}
	g->blk_insn[g->nr] = pb->len;
	PB(pb, MOV64_IMM(R0, 0x5a), EXIT());
}

static void describe(const struct test_case *t, int word, char *buf, int n,
		     int *lo, int *hi)
{
	const struct gen_prog *g = t->priv;
	int k = word / g->words_per_block, w = word % g->words_per_block;
	const struct gen_block *b;
	char ins[160], which[24];

	if (k >= g->nr) {
		snprintf(buf, n, "(past the last block)");
		return;
	}
	b = &g->blocks[k];
	/* the operand loads and the body; the stores after it are uniform */
	*lo = g->blk_insn[k];
	*hi = g->blk_body_end[k];
	if (g->mode == GEN_ALLREGS)
		*lo = *hi - b->nbody - 2 * (1 + (b->src >= 0));
	if (g->mode == GEN_VALUES)
		snprintf(which, sizeof(which), "%s", w ? "src" : "dst");
	else
		snprintf(which, sizeof(which), "R%d%s", w,
			 w == b->dst ? "=dst" : w == b->src ? "=src" : "");
	disasm_insn(b->body, 0, b->nbody, ins, sizeof(ins));
	snprintf(buf, n, "[block %d %s: dst=R%d src=R%d a=0x%llx b=0x%llx;%s]",
		 k, which, b->dst, b->src, (unsigned long long)b->a,
		 (unsigned long long)b->b, ins + 34);
}

u32 gen_extra_flags;

bool gen_run(struct gen_prog *g, const char *name)
{
	struct test_case t;
	char zname[160];
	bool ok;

	if (gen_extra_flags & (F_ZEXT_INSERT | F_BLIND)) {
		snprintf(zname, sizeof(zname), "%s [%s]", name,
			 gen_extra_flags & F_BLIND ? "blinded" : "verifier_zext");
		name = zname;
	}
	memset(&t, 0, sizeof(t));
	t.name = name;
	if (counting || !want(name))
		return run_test(&t);
	build(g);
	t.insns = g->pb.insns;
	t.len = g->pb.len;
	t.stack_depth = 128;
	t.ctx_size = g->nr * 8 * g->words_per_block;
	if (!t.ctx_size)
		t.ctx_size = 8;
	t.describe = describe;
	t.priv = g;
	t.flags = g->flags | gen_extra_flags;
	ok = run_test(&t);
	pb_free(&g->pb);
	free(g->blk_insn);
	free(g->blk_body_end);
	g->blk_insn = NULL;
	g->blk_body_end = NULL;
	return ok;
}

void gen_free(struct gen_prog *g)
{
	free(g->blocks);
	memset(g, 0, sizeof(*g));
}

/* ---- Annotated programs ---- */
#include <stdarg.h>

void np_init(struct noted_prog *np)
{
	memset(np, 0, sizeof(*np));
	pb_init(&np->pb);
}

void np_mark(struct noted_prog *np)
{
	np->insn_mark = np->pb.len;
}

void np_note(struct noted_prog *np, int off, int size, const char *fmt, ...)
{
	struct note *n;
	va_list ap;

	if (np->nr == np->cap) {
		np->cap = np->cap ? 2 * np->cap : 64;
		np->notes = realloc(np->notes, np->cap * sizeof(*np->notes));
	}
	n = &np->notes[np->nr++];
	n->word_lo = off / 8;
	n->word_hi = (off + size + 7) / 8;
	n->insn_lo = np->insn_mark;
	n->insn_hi = np->pb.len;
	va_start(ap, fmt);
	vsnprintf(n->text, sizeof(n->text), fmt, ap);
	va_end(ap);
}

static void np_describe(const struct test_case *t, int word, char *buf, int n,
			int *lo, int *hi)
{
	const struct noted_prog *np = t->priv;
	int i;

	/* The last note covering the word: the last write wins. */
	for (i = np->nr - 1; i >= 0; i--) {
		const struct note *nt = &np->notes[i];

		if (word >= nt->word_lo && word < nt->word_hi) {
			*lo = nt->insn_lo;
			*hi = nt->insn_hi;
			snprintf(buf, n, "[%s]", nt->text);
			return;
		}
	}
	snprintf(buf, n, "[not written by any case]");
}

bool np_run(struct noted_prog *np, const char *name, u8 *ctx, u32 ctx_size,
	    u32 stack_depth, u32 flags)
{
	struct test_case t;

	memset(&t, 0, sizeof(t));
	t.name = name;
	t.insns = np->pb.insns;
	t.len = np->pb.len;
	t.ctx = ctx;
	t.ctx_size = ctx_size;
	t.stack_depth = stack_depth;
	t.flags = flags;
	t.describe = np_describe;
	t.priv = np;
	return run_test(&t);
}

void np_free(struct noted_prog *np)
{
	pb_free(&np->pb);
	free(np->notes);
	memset(np, 0, sizeof(*np));
}
