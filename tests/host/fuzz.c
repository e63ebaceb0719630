// SPDX-License-Identifier: GPL-2.0
/*
 * The host fuzzer (make fuzz-host): the guest fuzzer's programs
 * (stress/fuzz_gen.c) JIT'ed by armjit under qemu-arm at both
 * optimisation levels and compared with the reference interpreter
 * (ref_interp.c): R0, the array map's values (R0-R9 and the stack are
 * folded into them by each program's epilogue) and the ctx buffer.
 *
 *   armjit-test [--hwdiv=0|1] fuzz [--seed S] [-n N] [--opt=0|1]
 *                                  [--seconds T] [-v]
 *
 * --seconds: stop after T seconds (wall time) with the programs done.
 *
 * Program i is seed S + i; the seed also picks its configuration:
 * constant blinding (one in four), the verifier's zero-extensions
 * inserted and trusted (one in two), a 32-bit return (one in two). Each
 * image runs twice (state must not leak from one run to the next). A
 * difference is printed with the smallest prefix of the program's groups
 * that still differs at that level, and "fuzz --seed S -n 1" replays it.
 *
 * The environment: an array map (4 keys of 144 bytes) behind stand-ins of
 * bpf_map_lookup_elem (called directly, as armjit calls a known map's
 * lookup) and bpf_map_update_elem, skb_load_bytes from a 64-byte packet,
 * constant ktime/prandom/cpu, a prog array of 4 slots whose slot 2 holds a
 * small program (a tail call there ends the program), a 68-byte ctx.
 *
 * Output: "#" lines, "@cov ROW|COLUMN|N" (insns the interpreter ran at
 * least once, summed over programs, per opcode row and operand class),
 * "@fuzz key=value ..." at the end; fuzz-host (the script) merges the runs
 * of both CPUs and prints the coverage table.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "runner.h"
#include "ref_interp.h"
#include "disasm.h"
#include "armjit_insn.h"
#include "../../stress/fuzz_gen.h"

#define NKEY		FUZZ_NKEY
#define VAL		FUZZ_VAL
#define NSLOTS		4
#define TC_SLOT		2	/* the prog array's one program */
#define CTX_LEN		80

/* ---- The environment -------------------------------------------------- */

static u8 map_val[NKEY][VAL] __attribute__((aligned(8)));
static u8 map_init[NKEY][VAL];
static u8 ctx_init[CTX_LEN];
static u8 pkt[FUZZ_PKT_LEN];
static u64 tc_taken;		/* tail calls that reached slot 2 */
static bool in_ref;		/* the interpreter runs: count */

static void *arr_lookup(struct host_map *map, void *key)
{
	u32 k = *(u32 *)key;

	return k < NKEY ? map_val[k] : NULL;
}

static struct host_map fuzz_map = { .lookup = arr_lookup };

static __attribute__((__noinline__)) u64 h_update(u64 map, u64 key, u64 value,
					      u64 flags, u64 e)
{
	u32 k = *(u32 *)(uintptr_t)key;

	if (k >= NKEY)
		return (u64)-E2BIG;
	memcpy(map_val[k], (void *)(uintptr_t)value, VAL);
	return 0;
}

static __attribute__((__noinline__)) u64 h_ktime(u64 a, u64 b, u64 c, u64 d,
					     u64 e)
{
	return 0x0000123456789abcull;
}

static __attribute__((__noinline__)) u64 h_prandom(u64 a, u64 b, u64 c, u64 d,
					       u64 e)
{
	return 0x9e3779b9;
}

static __attribute__((__noinline__)) u64 h_cpu(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return 1;
}

/* bpf_skb_load_bytes(): the packet's bytes, or -EFAULT and zeroes */
static __attribute__((__noinline__)) u64 h_load_bytes(u64 skb, u64 off, u64 to,
						  u64 len, u64 e)
{
	void *p = (void *)(uintptr_t)to;

	if ((u32)off > FUZZ_PKT_LEN || (u32)len > FUZZ_PKT_LEN - (u32)off) {
		memset(p, 0, (u32)len);
		return (u64)-EFAULT;
	}
	memcpy(p, pkt + (u32)off, (u32)len);
	return 0;
}

/* the tail-call target's: counts the interpreter's arrivals */
static __attribute__((__noinline__)) u64 h_tc_mark(u64 a, u64 b, u64 c, u64 d,
					       u64 e)
{
	tc_taken += in_ref;
	return 0;
}

/* The helper table as the kernel's would have them: u64, their arity. */
#define CONV(fn, n) { (u32)(uintptr_t)(fn), ARMJIT_CONV_U64, n, \
		      { 8, 8, 8, 8, 8 }, 8 }
static struct armjit_call_conv fuzz_calls[] = {
	CONV(host_map_lookup_elem, 2),
	CONV(h_update, 4),
	CONV(h_ktime, 0),
	CONV(h_prandom, 0),
	CONV(h_cpu, 0),
	CONV(h_load_bytes, 4),
	CONV(h_tc_mark, 0),
};

static void *const fuzz_wrap[] = {
	host_map_lookup_elem, h_update, h_ktime, h_prandom, h_cpu,
	h_load_bytes, h_tc_mark,
};

static const char *const helper_names[] = {
	"map_lookup_elem", "map_update_elem", "ktime_get_ns",
	"get_prandom_u32", "get_smp_processor_id", "skb_load_bytes",
	"tail-call target's mark",
};

/*
 * bpf_get_smp_processor_id as a seed's program calls it (fuzz_prog()):
 * a plain stand-in, the inlined helper's function (in place at opt 1), or
 * the id a 6.12+ verifier leaves for armjit (in place at every level).
 */
static int cpu_how;

static struct bpf_insn host_call(int func)
{
	switch (func) {
	case BPF_FUNC_map_lookup_elem:
		return CALL_IMM(helper_imm(host_map_lookup_elem));
	case BPF_FUNC_map_update_elem:
		return CALL_IMM(helper_imm(h_update));
	case BPF_FUNC_ktime_get_ns:
		return CALL_IMM(helper_imm(h_ktime));
	case BPF_FUNC_get_prandom_u32:
		return CALL_IMM(helper_imm(h_prandom));
	case BPF_FUNC_get_smp_processor_id:
		if (cpu_how == 1 && armjit_rt.fn_cpu_id)
			return CALL_IMM(armjit_rt.fn_cpu_id - armjit_rt.call_base);
		if (cpu_how == 2 && armjit_rt.inline_ids)
			return CALL_IMM(ARMJIT_FUNC_CPU_ID);
		return CALL_IMM(helper_imm(h_cpu));
	case BPF_FUNC_skb_load_bytes:
		return CALL_IMM(helper_imm(h_load_bytes));
	case BPF_FUNC_tail_call:	/* the verifier's rewrite */
		return TAIL_CALL();
	}
	fprintf(stderr, "fuzz: helper %d has no stand-in\n", func);
	exit(2);
}

/* seed's program (its first @groups groups; -1: all) into fp */
static int fuzz_prog(const struct fuzz_env *e, u64 seed, int groups,
		     struct fuzz_prog *out)
{
	cpu_how = seed % 3;
	return fuzz_gen(e, seed, groups, out);
}

static struct bpf_array *progs;
static struct fuzz_env env = { .call = host_call, .sub_tail = true,
				.acq_rel = true };

/* slot 2: mark, then R0 = ctx word 1 + 0x77 */
static const struct bpf_insn tc_insns[] = {
	MOV64_REG(R6, R1),
	CALL_IMM(0),		/* h_tc_mark, set at init */
	LDX_MEM(BPF_W, R0, R6, 4),
	ALU64_IMM(BPF_ADD, R0, 0x77),
	EXIT(),
};

static struct bpf_insn tc_prog[ARRAY_SIZE(tc_insns)];
static struct host_prog tc_target[2][2];	/* [opt][ret32] */
static bool tc_jited[2][2];

static void env_init(void)
{
	int i;

	progs = calloc(1, sizeof(*progs) + NSLOTS * sizeof(void *));
	progs->map.max_entries = NSLOTS;
	env.map[FUZZ_MAP_ARRAY] = (uintptr_t)&fuzz_map;
	env.map[FUZZ_MAP_PROGS] = (uintptr_t)progs;
	fuzz_bytes(0x1234, &map_init[0][0], sizeof(map_init));
	fuzz_bytes(0x5678, ctx_init, sizeof(ctx_init));
	fuzz_bytes(0x9abc, pkt, sizeof(pkt));
	memcpy(tc_prog, tc_insns, sizeof(tc_insns));
	tc_prog[1].imm = helper_imm(h_tc_mark);
	for (i = 0; i < 4; i++) {
		struct host_prog *hp = &tc_target[i / 2][i % 2];

		hp->insns = tc_prog;
		hp->len = ARRAY_SIZE(tc_prog);
		hp->stack_depth = 0;
		hp->calls = fuzz_calls;
		hp->wrap = fuzz_wrap;
		hp->ncalls = ARRAY_SIZE(fuzz_calls);
	}
	/*
	 * Filled before the first program's interpreter run too (the JIT's
	 * level picks which image it is; the interpreter reads its insns).
	 */
	progs->ptrs[TC_SLOT] = &tc_target[1][0];
}

/* ---- One program ------------------------------------------------------- */

struct fuzz_cfg {
	bool blind, zext, ret32;
};

static struct fuzz_cfg cfg_of(u64 seed)
{
	u64 h = seed * 0xd6e8feb86659fd93ull;
	struct fuzz_cfg c;

	h ^= h >> 32;
	c.blind = (h & 3) == 0;
	c.zext = h >> 2 & 1;
	c.ret32 = h >> 3 & 1;
	return c;
}

/* what a run leaves: R0, the map, the ctx buffer */
struct outcome {
	int err;
	u64 r0;
	u8 map[NKEY][VAL];
	u8 ctx[CTX_LEN];
	char msg[200];
};

static struct fuzz_prog fp;
static struct outcome ref, jit;
static u32 hits[FUZZ_MAXI];

static void reset(u8 *ctx)
{
	memcpy(map_val, map_init, sizeof(map_val));
	memcpy(ctx, ctx_init, CTX_LEN);
}

static void keep(struct outcome *o, const u8 *ctx)
{
	memcpy(o->map, map_val, sizeof(map_val));
	memcpy(o->ctx, ctx, CTX_LEN);
}

static void host_prog_of(struct host_prog *hp, const struct bpf_insn *insns,
			 int len)
{
	static const u32 stacks[1 + FUZZ_MAXSUB] = {
		-FUZZ_DATA, FUZZ_SUBSTK, FUZZ_SUBSTK, FUZZ_SUBSTK, FUZZ_SUBSTK,
	};
	/* with tail calls, a subprogram keeps ctx below its stack */
	static const u32 stacks_tc[1 + FUZZ_MAXSUB] = {
		-FUZZ_DATA, FUZZ_SUBSTK + 8, FUZZ_SUBSTK + 8, FUZZ_SUBSTK + 8,
		FUZZ_SUBSTK + 8,
	};

	memset(hp, 0, sizeof(*hp));
	hp->insns = insns;
	hp->len = len;
	hp->stack_depth = -FUZZ_DATA;
	hp->calls = fuzz_calls;
	hp->wrap = fuzz_wrap;
	hp->ncalls = ARRAY_SIZE(fuzz_calls);
	hp->func_stack = fp.sub_tail ? stacks_tc : stacks;
	hp->nfunc_stack = ARRAY_SIZE(stacks);
}

static u8 ctx_buf[CTX_LEN] __attribute__((aligned(8)));

/* The interpreter's outcome of fp (coverage counted when @count). */
static void run_ref(bool count)
{
	struct host_prog hp;

	host_prog_of(&hp, fp.insns, fp.len);
	reset(ctx_buf);
	if (count) {
		memset(hits, 0, fp.len * sizeof(hits[0]));
		ref_count_hp = &hp;
		ref_count = hits;
	}
	in_ref = count;
	ref.err = ref_run(&hp, ctx_buf, &ref.r0, ref.msg, sizeof(ref.msg));
	in_ref = false;
	ref_count_hp = NULL;
	keep(&ref, ctx_buf);
}

/*
 * ret32 for this program: never with tail calls from subprograms (the
 * target returns R0's 64 bits to the subprogram's caller: tail-call ABI 3,
 * the kernel's main images are no longer ret32).
 */
static bool ret32_of(const struct fuzz_cfg *c)
{
	return c->ret32 && !fp.sub_tail;
}

static void set_level(int opt, const struct fuzz_cfg *c)
{
	bool r32 = ret32_of(c);

	peephole = liveness = opt;
	ret32 = r32;
	if (!tc_jited[opt][r32]) {
		if (host_prog_jit(&tc_target[opt][r32])) {
			fprintf(stderr, "fuzz: the tail-call target does not JIT\n");
			exit(2);
		}
		tc_jited[opt][r32] = true;
	}
	progs->ptrs[TC_SLOT] = &tc_target[opt][r32];
}

static long words[2], jits[2];

/*
 * fp JIT'ed at @opt; each of two runs compared with ref. Returns 0 (same),
 * 1 (differs: jit holds the run that did, msg says what).
 */
static int run_jit(int opt, const struct fuzz_cfg *c)
{
	struct bpf_insn *zins = NULL;
	struct host_prog hp;
	int run, e, k, len = fp.len;

	set_level(opt, c);
	if (c->zext)
		zins = host_zext_insert(fp.insns, fp.len, &len);
	host_prog_of(&hp, zins ? zins : fp.insns, len);
	hp.blind = c->blind;
	hp.zext = c->zext;
	e = host_prog_jit(&hp);
	jit.msg[0] = 0;
	if (e) {
		snprintf(jit.msg, sizeof(jit.msg), "JIT failed: %d", e);
		jit.err = e;
		free(zins);
		return 1;
	}
	jits[opt]++;
	for (k = 0; k < (hp.nfuncs ? hp.nfuncs : 1); k++)
		words[opt] += hp.nfuncs ? hp.funcs[k].words : hp.words;
	for (run = 0; run < 2; run++) {
		reset(ctx_buf);
		jit.r0 = 0;
		jit.err = host_run_image(hp.image, ctx_buf, &jit.r0, jit.msg,
					 sizeof(jit.msg));
		keep(&jit, ctx_buf);
		if (jit.err ||
		    (ret32_of(c) ? (u32)jit.r0 != (u32)ref.r0 : jit.r0 != ref.r0) ||
		    memcmp(jit.map, ref.map, sizeof(ref.map)) ||
		    memcmp(jit.ctx, ref.ctx, sizeof(ref.ctx))) {
			if (run)
				snprintf(jit.msg + strlen(jit.msg),
					 sizeof(jit.msg) - strlen(jit.msg),
					 " (second run of the image)");
			break;
		}
	}
	host_prog_free(&hp);
	free(zins);
	return run < 2;
}

static void print_cfg(u64 seed, int opt, const struct fuzz_cfg *c)
{
	printf("# seed %llu: opt=%d hwdiv=%d blind=%d zext=%d ret32=%d calls=%d (%d subprograms)\n",
	       (unsigned long long)seed, opt, armjit_rt.hwdiv, c->blind,
	       c->zext, c->ret32, fp.use_calls, fp.nsub);
}

static void print_diff(void)
{
	int k;

	if (ref.err)
		printf("# interpreter: %s\n", ref.msg);
	if (jit.msg[0])
		printf("# armjit: %s\n", jit.msg);
	printf("# R0: interpreter 0x%016llx armjit 0x%016llx\n",
	       (unsigned long long)ref.r0, (unsigned long long)jit.r0);
	for (k = 0; k < NKEY * VAL; k++)
		if (ref.map[k / VAL][k % VAL] != jit.map[k / VAL][k % VAL])
			printf("# map key %d byte %d: interpreter %02x armjit %02x\n",
			       k / VAL, k % VAL, ref.map[k / VAL][k % VAL],
			       jit.map[k / VAL][k % VAL]);
	for (k = 0; k < CTX_LEN; k++)
		if (ref.ctx[k] != jit.ctx[k])
			printf("# ctx byte %d: interpreter %02x armjit %02x\n",
			       k, ref.ctx[k], jit.ctx[k]);
}

/* The smallest prefix of the seed's groups that differs at @opt. */
static void shrink(u64 seed, int opt, const struct fuzz_cfg *c)
{
	int k, groups = fuzz_prog(&env, seed, 0, &fp);

	for (k = 0; k < groups; k++) {
		fuzz_prog(&env, seed, k, &fp);
		run_ref(false);
		if (!ref.err && run_jit(opt, c))
			break;
	}
	if (k == groups) {
		fuzz_prog(&env, seed, -1, &fp);
		run_ref(false);
		run_jit(opt, c);
		printf("# seed %llu: no smaller prefix differs; the whole program (%d insns):\n",
		       (unsigned long long)seed, fp.len);
	} else {
		printf("# seed %llu: reduced reproducer: the first %d of %d groups (%d insns):\n",
		       (unsigned long long)seed, k, groups, fp.len);
	}
	print_diff();
	disasm_dump(fp.insns, fp.len, 0, fp.len);
}

/* ---- Coverage ----------------------------------------------------------- */

/*
 * Operand classes: an immediate 0, one an ARM data-processing insn
 * encodes (imm8m), one whose negation or complement it encodes, any other;
 * a register, the same register on both sides; a byte swap's width;
 * memory at FP or through another pointer; "-" for insns with none.
 */
enum { C_K0, C_KIMM, C_KNEG, C_KWIDE, C_X, C_XSAME, C_W16, C_W32, C_W64,
       C_FP, C_PTR, C_NONE, NCOLS };
static const char *const col_names[NCOLS] = {
	"K=0", "K:imm8m", "K:-imm8m", "K:wide", "X", "X:d=s", "16", "32",
	"64", "fp", "ptr", "-",
};

#define NROWS	(256 + 2 * 16 + ARRAY_SIZE(fuzz_calls) + 2)
#define ROW_ATOMIC(dw, k)	(256 + (dw) * 16 + (k))
#define ROW_HELPER(k)		(256 + 32 + (k))
#define ROW_PSEUDO		((int)ROW_HELPER(ARRAY_SIZE(fuzz_calls)))
#define ROW_TAIL		(ROW_PSEUDO + 1)
static u64 cov[NROWS][NCOLS];

static const s32 atomic_ops[] = {
	BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_ADD | BPF_FETCH,
	BPF_OR | BPF_FETCH, BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH,
	BPF_XCHG, BPF_CMPXCHG,
};

static int imm_class(s32 imm)
{
	if (!imm)
		return C_K0;
	if (arm_imm_ok(imm))
		return C_KIMM;
	if (arm_imm_ok(-(u32)imm) || arm_imm_ok(~(u32)imm))
		return C_KNEG;
	return C_KWIDE;
}

static int row_col(const struct bpf_insn *in, int *col)
{
	u8 cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	unsigned int k;

	*col = C_NONE;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_END)
			*col = in->imm == 16 ? C_W16 : in->imm == 32 ? C_W32 :
			       C_W64;
		else if (op == BPF_NEG)
			*col = C_NONE;
		else if (BPF_SRC(in->code) == BPF_X)
			*col = in->dst_reg == in->src_reg ? C_XSAME : C_X;
		else
			*col = imm_class(in->imm);
		return in->code;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL) {
			u32 addr = armjit_rt.call_base + in->imm;

			if (in->src_reg == BPF_PSEUDO_CALL)
				return ROW_PSEUDO;
			for (k = 0; k < ARRAY_SIZE(fuzz_calls); k++)
				if (fuzz_calls[k].addr == addr)
					return ROW_HELPER(k);
			return in->code;
		}
		if (op == BPF_TAIL_CALL)
			return ROW_TAIL;
		if (op == BPF_JA || op == BPF_EXIT)
			return in->code;
		if (BPF_SRC(in->code) == BPF_X)
			*col = in->dst_reg == in->src_reg ? C_XSAME : C_X;
		else
			*col = imm_class(in->imm);
		return in->code;
	case BPF_LDX:
		*col = in->src_reg == BPF_REG_10 ? C_FP : C_PTR;
		return in->code;
	case BPF_ST:
	case BPF_STX:
		*col = in->dst_reg == BPF_REG_10 ? C_FP : C_PTR;
		if (BPF_MODE(in->code) != BPF_ATOMIC)
			return in->code;
		for (k = 0; k < ARRAY_SIZE(atomic_ops); k++)
			if (atomic_ops[k] == in->imm)
				return ROW_ATOMIC(BPF_SIZE(in->code) == BPF_DW,
						  k);
		return in->code;
	}
	return in->code;
}

static const char *const alu_ops[16] = {
	"add", "sub", "mul", "div", "or", "and", "lsh", "rsh", "neg", "mod",
	"xor", "mov", "arsh", "end", "?", "?",
};
static const char *const jmp_ops[16] = {
	"ja", "jeq", "jgt", "jge", "jset", "jne", "jsgt", "jsge", "call",
	"exit", "jlt", "jle", "jslt", "jsle", "?", "tail_call",
};
static const char *const sizes[4] = { "w", "h", "b", "dw" };

static void row_name(int row, char *buf, int n)
{
	static const char *const aop[] = {
		"add", "or", "and", "xor", "fetch_add", "fetch_or",
		"fetch_and", "fetch_xor", "xchg", "cmpxchg",
	};
	u8 cls = row & 7;

	if (row >= ROW_ATOMIC(0, 0) && row < ROW_HELPER(0)) {
		snprintf(buf, n, "atomic %s %s", row >= ROW_ATOMIC(1, 0) ?
			 "dw" : "w", aop[(row - 256) % 16]);
		return;
	}
	if (row >= ROW_HELPER(0) && row < ROW_PSEUDO) {
		snprintf(buf, n, "call %s", helper_names[row - ROW_HELPER(0)]);
		return;
	}
	if (row == ROW_PSEUDO) {
		snprintf(buf, n, "call bpf-to-bpf");
		return;
	}
	if (row == ROW_TAIL) {
		snprintf(buf, n, "tail_call");
		return;
	}
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if ((row & 0xf0) == BPF_END)
			snprintf(buf, n, "%s %s", cls == BPF_ALU ? "alu32" :
				 "alu64", row & BPF_X ? "to_be" : "to_le");
		else
			snprintf(buf, n, "%s %s", cls == BPF_ALU ? "alu32" :
				 "alu64", alu_ops[row >> 4]);
		return;
	case BPF_JMP:
	case BPF_JMP32:
		snprintf(buf, n, "%s %s", cls == BPF_JMP ? "jmp" : "jmp32",
			 jmp_ops[row >> 4]);
		return;
	case BPF_LDX:
		snprintf(buf, n, "ldx %s", sizes[(row >> 3) & 3]);
		return;
	case BPF_ST:
		snprintf(buf, n, "st %s", sizes[(row >> 3) & 3]);
		return;
	case BPF_STX:
		snprintf(buf, n, "stx %s", sizes[(row >> 3) & 3]);
		return;
	case BPF_LD:
		snprintf(buf, n, row == (BPF_LD | BPF_IMM | BPF_DW) ?
			 "ld_imm64" : "ld 0x%02x", row);
		return;
	}
	snprintf(buf, n, "code 0x%02x", row);
}

static void count_cov(void)
{
	int i, col, row;

	for (i = 0; i < fp.len; i++) {
		if (!hits[i])
			continue;
		row = row_col(&fp.insns[i], &col);
		cov[row][col]++;
		if (fp.insns[i].code == (BPF_LD | BPF_IMM | BPF_DW))
			i++;
	}
}

static void print_cov(void)
{
	char name[64];
	int r, c;

	for (r = 0; r < (int)NROWS; r++)
		for (c = 0; c < NCOLS; c++)
			if (cov[r][c]) {
				row_name(r, name, sizeof(name));
				printf("@cov %s|%s|%llu\n", name, col_names[c],
				       (unsigned long long)cov[r][c]);
			}
}

/* ---- main ---------------------------------------------------------------- */

int fuzz_main(int argc, char **argv)
{
	u64 seed = 1, s;
	long n = 1000, i, diffs = 0, ref_errs = 0, calls = 0, blinded = 0;
	long zexts = 0, r32 = 0, with_tail = 0, shown = 0, sub_tails = 0;
	int opt_only = -1, opt, k;
	struct timespec t0, t1;
	double secs, limit = 0;

	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--seed") && k + 1 < argc)
			seed = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "-n") && k + 1 < argc)
			n = atol(argv[++k]);
		else if (!strncmp(argv[k], "--opt=", 6))
			opt_only = atoi(argv[k] + 6);
		else if (!strcmp(argv[k], "--seconds") && k + 1 < argc)
			limit = atof(argv[++k]);
		else if (!strcmp(argv[k], "-v"))
			verbose = true;
		else {
			fprintf(stderr, "usage: armjit-test [--hwdiv=0|1] fuzz [--seed S] [-n N] [--opt=0|1] [--seconds T] [-v]\n");
			return 2;
		}
	}
	/* calls a 6.12+ verifier leaves as ids (fuzz_prog(), cpu_how 2) */
	armjit_rt.inline_ids = true;
	env_init();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		struct fuzz_cfg c;

		if (limit && !(i & 63)) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (t1.tv_sec - t0.tv_sec >= limit)
				break;
		}

		s = seed + i;
		c = cfg_of(s);
		fuzz_prog(&env, s, -1, &fp);
		tc_taken = 0;
		run_ref(true);
		if (ref.err) {
			/* a generator bug: the verifier would reject it */
			ref_errs++;
			print_cfg(s, -1, &c);
			printf("# seed %llu: the interpreter fails: %s\n",
			       (unsigned long long)s, ref.msg);
			continue;
		}
		count_cov();
		calls += fp.use_calls;
		sub_tails += fp.sub_tail;
		blinded += c.blind;
		zexts += c.zext;
		r32 += c.ret32;
		with_tail += tc_taken > 0;
		for (opt = 1; opt >= 0; opt--) {
			if (opt_only >= 0 && opt != opt_only)
				continue;
			if (!run_jit(opt, &c))
				continue;
			diffs++;
			print_cfg(s, opt, &c);
			printf("# seed %llu: DIFFERENCE at opt=%d; replay: %s --hwdiv=%d fuzz --seed %llu -n 1 --opt=%d\n",
			       (unsigned long long)s, opt,
			       armjit_rt.arch < ARMJIT_ARCH_V7 ?
			       "armjit-test-v6 --arch=6" : "armjit-test",
			       armjit_rt.hwdiv, (unsigned long long)s, opt);
			print_diff();
			if (shown++ < 3 || verbose)
				shrink(s, opt, &c);
			fuzz_prog(&env, s, -1, &fp);
			run_ref(false);
		}
		if (verbose)
			printf("# seed %llu: %d insns, R0 0x%016llx\n",
			       (unsigned long long)s, fp.len,
			       (unsigned long long)ref.r0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_cov();
	n = i;
	printf("@fuzz arch=%d hwdiv=%d seed=%llu programs=%ld differences=%ld ref_errors=%ld with_calls=%ld sub_tail=%ld tail_taken=%ld blinded=%ld zext=%ld ret32=%ld jits0=%ld jits1=%ld words0=%ld words1=%ld seconds=%.1f\n",
	       armjit_rt.arch, armjit_rt.hwdiv, (unsigned long long)seed, n,
	       diffs, ref_errs,
	       calls, sub_tails, with_tail, blinded, zexts, r32, jits[0], jits[1],
	       words[0], words[1], secs);
	return diffs || ref_errs;
}
