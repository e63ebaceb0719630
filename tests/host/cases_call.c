// SPDX-License-Identifier: GPL-2.0
/*
 * Helper calls (5 x u64 wrapper ABI and real AAPCS prototypes through
 * armjit_ctx.calls), callee-saved R6-R9 across calls, and tail calls: a
 * chain, out-of-range index, NULL slot, index high bits, the
 * MAX_TAIL_CALL_CNT limit, different stack depths. bpf-to-bpf calls are
 * in cases_subprog.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "gen.h"
#include "armjit_insn.h"

#define SLOT_CTX	(-8)

/* ---- helpers ---- */

static u64 rec[8];
static u32 counter;

static __attribute__((__noinline__)) u64 h_mix(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return a + 3 * b + 5 * c + 7 * d + 11 * e;
}

static __attribute__((__noinline__)) u64 h_record(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	rec[0] = a;
	rec[1] = b;
	rec[2] = c;
	rec[3] = d;
	rec[4] = e;
	return ~a ^ (e << 1);
}

static __attribute__((__noinline__)) u64 h_counter(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return ++counter + (a << 32);
}

static __attribute__((__noinline__)) u64 h_sum_mem(u64 p, u64 len, u64 c, u64 d, u64 e)
{
	const u8 *m = (const u8 *)(uintptr_t)(u32)p;
	u64 s = 0;
	u32 i;

	for (i = 0; i < (u32)len; i++)
		s = s * 31 + m[i];
	return s;
}

/* Real AAPCS prototypes, and their 5 x u64 twins for the interpreter. */
static __attribute__((__noinline__)) u64 a_mixed(u32 a, u64 b, u32 c, u64 d, u32 e)
{
	rec[0] = a;
	rec[1] = b;
	rec[2] = c;
	rec[3] = d;
	rec[4] = e;
	return (u64)a * 3 + b * 5 + (u64)c * 7 + d * 11 + (u64)e * 13;
}

static u64 w_mixed(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return a_mixed(a, b, c, d, e);
}

static __attribute__((__noinline__)) u32 a_small(u32 a, u32 b, u32 c, u32 d, u32 e)
{
	rec[0] = a;
	rec[1] = b;
	rec[2] = c;
	rec[3] = d;
	rec[4] = e;
	return (a + 2 * b + 3 * c + 4 * d + 5 * e) & 0x7fffffff;
}

static u64 w_small(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return a_small(a, b, c, d, e);
}

static __attribute__((__noinline__)) u64 a_pair(u64 a, u32 b)
{
	rec[0] = a;
	rec[1] = b;
	return a ^ ((u64)b << 16);
}

static u64 w_pair(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return a_pair(a, b);
}

static __attribute__((__noinline__)) void a_void(u32 a, u64 b, u64 c)
{
	rec[0] = a;
	rec[1] = b;
	rec[2] = c;
}

static u64 w_void(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	a_void(a, b, c);
	return 0;
}

/* The AAPCS example pair: a 64-bit argument takes r2:r3, d the stack. */
static __attribute__((__noinline__)) int foo(int a, int b, long long c, int d)
{
	rec[0] = (u32)a;
	rec[1] = (u32)b;
	rec[2] = c;
	rec[3] = (u32)d;
	return (int)((a + 3 * b + (int)(c >> 32) * 5 + (int)c * 7 + 11 * d) &
		     0x7fffffff);
}

static u64 w_foo(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return (u32)foo(a, b, c, d);
}

static __attribute__((__noinline__)) int bar(int a, int b, int c, int d)
{
	rec[0] = (u32)a;
	rec[1] = (u32)b;
	rec[2] = (u32)c;
	rec[3] = (u32)d;
	return (a + 3 * b + 5 * c + 7 * d) & 0x7fffffff;
}

static u64 w_bar(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	return (u32)bar(a, b, c, d);
}

static void reset_helpers(const struct test_case *t)
{
	memset(rec, 0, sizeof(rec));
	counter = 0;
}

static const u64 argvals[] = {
	0x1111111122222222ull, 0x3333333344444444ull, 0x5555555566666666ull,
	0x7777777788888888ull, 0x99999999aaaaaaaaull, 0, (u64)-1,
	0x8000000000000000ull, 0x00000000ffffffffull, 0x0000000100000000ull,
	0x7fffffff80000000ull,
};

/* Copy rec[0..n) and R0 to ctx words [w, w + n + 1); R0 kept. */
static void emit_copy_rec(struct noted_prog *np, int n, int w)
{
	int i;

	PB(&np->pb, LDX_MEM(BPF_DW, R7, R10, SLOT_CTX));
	pb_ld64(&np->pb, R6, (uintptr_t)rec);
	for (i = 0; i < n; i++)
		PB(&np->pb, LDX_MEM(BPF_DW, R2, R6, 8 * i),
		   STX_MEM(BPF_DW, R7, R2, 8 * (w + i)));
	PB(&np->pb, STX_MEM(BPF_DW, R7, R0, 8 * (w + n)));
}

static void call_record(void)
{
	struct noted_prog np;
	struct test_case t;
	int k, i, w = 0;

	np_init(&np);
	PB(&np.pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	for (k = 0; k < 12; k++) {
		np_mark(&np);
		for (i = 0; i < 5; i++)
			pb_ld64(&np.pb, R1 + i,
				argvals[(k + i * (1 + k % 3)) % ARRAY_SIZE(argvals)] ^ i);
		PB(&np.pb, CALL_IMM(helper_imm(h_record)));
		emit_copy_rec(&np, 5, w);
		np_note(&np, 8 * w, 48, "call %d: rec[0..4] = R1..R5 as the helper saw them, then R0", k);
		w += 6;
	}
	PB(&np.pb, MOV64_IMM(R0, 3), EXIT());
	memset(&t, 0, sizeof(t));
	t.name = "call helper 5 x u64: every argument half reaches the helper";
	t.insns = np.pb.insns;
	t.len = np.pb.len;
	t.ctx_size = 8 * w;
	t.stack_depth = 16;
	t.describe = np.nr ? NULL : NULL;
	t.reset = reset_helpers;
	run_test(&t);
	np_free(&np);
}

/* R6-R9 (and R0 when not a result) survive calls; results of h_mix. */
static void call_preserve(void)
{
	struct noted_prog np;
	int k, i, w = 0;

	np_init(&np);
	PB(&np.pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	for (k = 0; k < 6; k++) {
		np_mark(&np);
		for (i = 6; i <= 9; i++)
			pb_ld64(&np.pb, i, 0x0102030405060708ull * (u64)(i + k) + k);
		for (i = 1; i <= 5; i++)
			pb_ld64(&np.pb, i, argvals[(k + i) % ARRAY_SIZE(argvals)]);
		PB(&np.pb, CALL_IMM(helper_imm(k & 1 ? h_counter : h_mix)));
		for (i = 6; i <= 9; i++)
			PB(&np.pb, STX_MEM(BPF_DW, R10, i, -16 - 8 * i));
		PB(&np.pb, LDX_MEM(BPF_DW, R1, R10, SLOT_CTX));
		for (i = 6; i <= 9; i++)
			PB(&np.pb, LDX_MEM(BPF_DW, R2, R10, -16 - 8 * i),
			   STX_MEM(BPF_DW, R1, R2, 8 * (w + i - 6)));
		PB(&np.pb, STX_MEM(BPF_DW, R1, R0, 8 * (w + 4)));
		np_note(&np, 8 * w, 40, "call %d (%s): words R6, R7, R8, R9, R0", k,
			k & 1 ? "h_counter" : "h_mix");
		w += 5;
	}
	PB(&np.pb, MOV64_IMM(R0, 4), EXIT());
	{
		struct test_case t;

		memset(&t, 0, sizeof(t));
		t.name = "call helper: R6-R9 preserved across calls, R0 = result";
		t.insns = np.pb.insns;
		t.len = np.pb.len;
		t.ctx_size = 8 * w;
		t.stack_depth = 160;
		t.reset = reset_helpers;
		t.priv = &np;
		run_test(&t);
	}
	np_free(&np);
}

static const struct armjit_call_conv aapcs_calls_tmpl[] = {
	{ 0, ARMJIT_CONV_AAPCS, 5, { 4, 8, 4, 8, 4 }, 8 },
	{ 0, ARMJIT_CONV_AAPCS, 5, { 4, 4, 4, 4, 4 }, 4 },
	{ 0, ARMJIT_CONV_AAPCS, 2, { 8, 4 }, 8 },
	{ 0, ARMJIT_CONV_AAPCS, 3, { 4, 8, 8 }, 0 },
	{ 0, ARMJIT_CONV_AAPCS, 4, { 4, 4, 8, 4 }, 4 },	/* foo */
	{ 0, ARMJIT_CONV_AAPCS, 4, { 4, 4, 4, 4 }, 4 },	/* bar */
};

#define NR_AAPCS	ARRAY_SIZE(aapcs_calls_tmpl)

static void call_aapcs(void)
{
	static struct armjit_call_conv calls[NR_AAPCS];
	static void *wrap[NR_AAPCS];
	void *fns[NR_AAPCS] = { a_mixed, a_small, a_pair, a_void, foo, bar };
	static const int nargs[NR_AAPCS] = { 5, 5, 2, 3, 4, 4 };
	struct noted_prog np;
	struct test_case t;
	int c, k, i, w = 0;

	memcpy(calls, aapcs_calls_tmpl, sizeof(calls));
	wrap[0] = w_mixed;
	wrap[1] = w_small;
	wrap[2] = w_pair;
	wrap[3] = w_void;
	wrap[4] = w_foo;
	wrap[5] = w_bar;
	for (c = 0; c < (int)NR_AAPCS; c++)
		calls[c].addr = (u32)(uintptr_t)fns[c];

	np_init(&np);
	PB(&np.pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	for (c = 0; c < (int)NR_AAPCS; c++) {
		for (k = 0; k < 3; k++) {
			np_mark(&np);
			for (i = 0; i < 5; i++)
				pb_ld64(&np.pb, R1 + i,
					argvals[(3 * k + 2 * i + c) % ARRAY_SIZE(argvals)]);
			PB(&np.pb, CALL_IMM(helper_imm(fns[c])));
			if (c == 3)	/* void: R0 undefined */
				PB(&np.pb, MOV64_IMM(R0, 0));
			emit_copy_rec(&np, nargs[c], w);
			np_note(&np, 8 * w, 8 * (nargs[c] + 1),
				"aapcs helper %d call %d: args as received, then R0", c, k);
			w += nargs[c] + 1;
		}
	}
	PB(&np.pb, MOV64_IMM(R0, 5), EXIT());
	memset(&t, 0, sizeof(t));
	t.name = "call helpers with AAPCS prototypes (foo(int, int, long long, int), bar(int x4), u32/u64 mixes, stack args, u32/void returns)";
	t.insns = np.pb.insns;
	t.len = np.pb.len;
	t.ctx_size = 8 * w;
	t.stack_depth = 16;
	t.reset = reset_helpers;
	t.calls = calls;
	t.wrap = wrap;
	t.ncalls = NR_AAPCS;
	run_test(&t);
	np_free(&np);
}

/* Explicit ARMJIT_CONV_U64 entries with fewer than 5 arguments. */
static __attribute__((__noinline__)) u64 h_two(u64 a, u64 b, u64 c, u64 d, u64 e)
{
	rec[0] = a;
	rec[1] = b;
	return a * 3 + b;
}

static void call_u64_conv(void)
{
	static struct armjit_call_conv calls[2];
	static void *wrap[2];
	struct noted_prog np;
	struct test_case t;
	int k, i, w = 0;

	calls[0] = (struct armjit_call_conv){ (u32)(uintptr_t)h_two,
		ARMJIT_CONV_U64, 2, { 8, 8 }, 8 };
	calls[1] = (struct armjit_call_conv){ (u32)(uintptr_t)h_record,
		ARMJIT_CONV_U64, 5, { 8, 8, 8, 8, 8 }, 8 };
	wrap[0] = h_two;
	wrap[1] = h_record;
	np_init(&np);
	PB(&np.pb, STX_MEM(BPF_DW, R10, R1, SLOT_CTX));
	for (k = 0; k < 6; k++) {
		np_mark(&np);
		for (i = 0; i < 5; i++)
			pb_ld64(&np.pb, R1 + i, argvals[(2 * k + i) % ARRAY_SIZE(argvals)]);
		PB(&np.pb, CALL_IMM(helper_imm(k & 1 ? (void *)h_record : (void *)h_two)));
		emit_copy_rec(&np, k & 1 ? 5 : 2, w);
		np_note(&np, 8 * w, 8 * ((k & 1 ? 5 : 2) + 1),
			"u64 conv call %d: args as received, then R0", k);
		w += (k & 1 ? 5 : 2) + 1;
	}
	PB(&np.pb, MOV64_IMM(R0, 6), EXIT());
	memset(&t, 0, sizeof(t));
	t.name = "call helpers with explicit ARMJIT_CONV_U64 entries (2 and 5 args)";
	t.insns = np.pb.insns;
	t.len = np.pb.len;
	t.ctx_size = 8 * w;
	t.stack_depth = 16;
	t.reset = reset_helpers;
	t.calls = calls;
	t.wrap = wrap;
	t.ncalls = 2;
	t.describe = NULL;
	t.priv = &np;
	run_test(&t);
	np_free(&np);
}

static void call_misc(void)
{
	struct test_case t;
	struct bpf_insn loop[] = {
		/* call h_counter 50 times in a loop; R6 counts, R7 sums */
		MOV64_IMM(R6, 0),
		MOV64_IMM(R7, 0),
		MOV64_REG(R1, R6),
		CALL_IMM(helper_imm(h_counter)),
		ALU64_REG(BPF_ADD, R7, R0),
		ALU64_IMM(BPF_ADD, R6, 1),
		JMP_IMM(BPF_JLT, R6, 50, -5),
		MOV64_REG(R0, R7),
		EXIT(),
	};
	struct bpf_insn stackarg[] = {
		/* helper reads BPF stack through a pointer argument */
		LD_IMM64(R2, 0x0807060504030201ull),
		STX_MEM(BPF_DW, R10, R2, -32),
		LD_IMM64(R2, 0x100f0e0d0c0b0a09ull),
		STX_MEM(BPF_DW, R10, R2, -24),
		LD_IMM64(R2, 0x8887868584838281ull),
		STX_MEM(BPF_DW, R10, R2, -16),
		ST_MEM(BPF_DW, R10, -8, -1),
		MOV64_REG(R1, R10),
		ALU64_IMM(BPF_ADD, R1, -32),
		MOV64_IMM(R2, 32),
		CALL_IMM(helper_imm(h_sum_mem)),
		EXIT(),
	};
	struct bpf_insn ctxarg[] = {
		/* ctx pointer as argument, result high half */
		MOV64_IMM(R2, 64),
		CALL_IMM(helper_imm(h_sum_mem)),
		MOV64_REG(R6, R0),
		MOV64_IMM(R1, 7),
		MOV64_IMM(R2, 0),
		CALL_IMM(helper_imm(h_counter)),
		ALU64_REG(BPF_XOR, R0, R6),
		EXIT(),
	};
	u8 data[64];
	int i;

	for (i = 0; i < 64; i++)
		data[i] = i * 37 + 1;
	memset(&t, 0, sizeof(t));
	t.reset = reset_helpers;
	t.name = "call helper in a loop (50 calls)";
	t.insns = loop;
	t.len = ARRAY_SIZE(loop);
	t.flags = F_EXPECT_R0;
	t.expect_r0 = 50 * 51 / 2 + ((u64)(49 * 50 / 2) << 32);
	run_test(&t);
	t.name = "call helper with a pointer to the BPF stack";
	t.insns = stackarg;
	t.len = ARRAY_SIZE(stackarg);
	t.flags = 0;
	t.stack_depth = 32;
	run_test(&t);
	t.name = "call helper with the ctx pointer, 64-bit results";
	t.insns = ctxarg;
	t.len = ARRAY_SIZE(ctxarg);
	t.ctx = data;
	t.ctx_size = sizeof(data);
	t.stack_depth = 0;
	run_test(&t);
}

/* ---- tail calls ---- */

#define NSLOTS	4

static struct bpf_array *new_array(int max_entries)
{
	struct bpf_array *a = calloc(1, sizeof(*a) + NSLOTS * sizeof(void *));

	a->map.max_entries = max_entries;
	return a;
}

static struct host_prog *new_prog(struct prog_buf *pb, u32 stack_depth)
{
	struct host_prog *hp = calloc(1, sizeof(*hp));

	hp->insns = pb->insns;
	hp->len = pb->len;
	hp->stack_depth = stack_depth;
	return hp;
}

/*
 * Tail-call program: ctx word @slot += @add (via LDX/ADD/STX), then tail
 * call array[index] (R1 = ctx); on fall-through R0 = ret + ctx word 7.
 * @stackuse: write and read back the stack around the tail call.
 */
static void tc_prog(struct prog_buf *pb, struct bpf_array *arr, int slot,
		    int add, u64 index, s32 ret, int stackuse)
{
	pb_init(pb);
	PB(pb, LDX_MEM(BPF_DW, R2, R1, 8 * slot),
	   ALU64_IMM(BPF_ADD, R2, add),
	   STX_MEM(BPF_DW, R1, R2, 8 * slot));
	if (stackuse) {
		PB(pb, ST_MEM(BPF_DW, R10, -stackuse, 0x55),
		   MOV64_REG(R6, R1));
	}
	pb_ld64(pb, R2, (uintptr_t)arr);
	pb_ld64(pb, R3, index);
	PB(pb, TAIL_CALL());
	if (stackuse)
		PB(pb, LDX_MEM(BPF_DW, R0, R10, -stackuse),
		   STX_MEM(BPF_DW, R6, R0, 8 * 6),
		   MOV64_REG(R1, R6));
	PB(pb, LDX_MEM(BPF_DW, R0, R1, 8 * 7),
	   ALU64_IMM(BPF_ADD, R0, ret),
	   EXIT());
}

static void tc_run(const char *name, struct prog_buf *main_pb,
		   struct host_prog **extra, int nextra, u32 main_stack,
		   bool expect, u64 expect_r0)
{
	struct test_case t;

	memset(&t, 0, sizeof(t));
	t.name = name;
	t.insns = main_pb->insns;
	t.len = main_pb->len;
	t.stack_depth = main_stack;
	t.extra = extra;
	t.nr_extra = nextra;
	t.ctx_size = 64;
	t.flags = expect ? F_EXPECT_R0 : 0;
	t.expect_r0 = expect_r0;
	run_test(&t);
}

/*
 * A stock-JIT'ed caller tail-calling an armjit image. The stand-in is the
 * 6.1 stock arm32 JIT's own code (arch/arm/net/bpf_jit_32.c, no
 * CONFIG_FRAME_POINTER): its build_prologue(), BPF R6-R9 registers
 * clobbered, the tail-call count set to @tcc as if earlier tail calls had
 * run, then emit_bpf_tail_call()'s count check and increment and the jump
 * to target->bpf_func + its own prologue length; on a failed tail call
 * R0 = TC_FALL, then build_epilogue(). call_checked() fills r4-r11 with
 * known values and checks them and sp when the chain returns.
 */
#define TC_FALL		0xfa11
#define STOCK_TCC	(-72)	/* STACK_OFFSET(BPF_TC_LO), fp-relative */
#define STOCK_FPSLOT	(-64)	/* STACK_OFFSET(BPF_FP_LO) */
#define STOCK_PUSH	(0x03f0 | 1 << ARM_R11 | 1 << ARM_LR)

u32 cc_sp __attribute__((used));
u64 call_checked(void *fn, void *ctx, u32 *bad);

/* r0 = fn, r1 = ctx, r2 = bad: *bad = mask of r4-r11 (bits 4..11), sp (1) */
__asm__(
"	.text\n"
"	.arm\n"
"	.align 2\n"
"	.globl call_checked\n"
"	.type call_checked, %function\n"
"call_checked:\n"
"	push {r4-r11, lr}\n"
"	push {r2}\n"
"	mov ip, r0\n"
"	mov r0, r1\n"
"	ldr r4, =0x40404044\n"
"	ldr r5, =0x50505055\n"
"	ldr r6, =0x60606066\n"
"	ldr r7, =0x70707077\n"
"	ldr r8, =0x80808088\n"
"	ldr r9, =0x90909099\n"
"	ldr r10, =0xa0a0a0aa\n"
"	ldr r11, =0xb0b0b0bb\n"
"	ldr lr, =cc_sp\n"
"	str sp, [lr]\n"
"	blx ip\n"
"	mov r2, #0\n"
"	ldr ip, =0x40404044\n"
"	cmp r4, ip\n"
"	orrne r2, r2, #0x10\n"
"	ldr ip, =0x50505055\n"
"	cmp r5, ip\n"
"	orrne r2, r2, #0x20\n"
"	ldr ip, =0x60606066\n"
"	cmp r6, ip\n"
"	orrne r2, r2, #0x40\n"
"	ldr ip, =0x70707077\n"
"	cmp r7, ip\n"
"	orrne r2, r2, #0x80\n"
"	ldr ip, =0x80808088\n"
"	cmp r8, ip\n"
"	orrne r2, r2, #0x100\n"
"	ldr ip, =0x90909099\n"
"	cmp r9, ip\n"
"	orrne r2, r2, #0x200\n"
"	ldr ip, =0xa0a0a0aa\n"
"	cmp r10, ip\n"
"	orrne r2, r2, #0x400\n"
"	ldr ip, =0xb0b0b0bb\n"
"	cmp r11, ip\n"
"	orrne r2, r2, #0x800\n"
"	ldr ip, =cc_sp\n"
"	ldr ip, [ip]\n"
"	cmp ip, sp\n"
"	orrne r2, r2, #1\n"
"	mov sp, ip\n"
"	pop {r3}\n"
"	str r2, [r3]\n"
"	pop {r4-r11, pc}\n"
"	.ltorg\n"
"	.size call_checked, .-call_checked\n"
);

struct stock_tc {
	struct host_prog *target;
	u32 tcc;		/* count when the stock caller tail-calls */
	u64 ctx[8];
	u64 want_r0, want_w0;
	u32 prologue_bytes;	/* the stand-in's, computed */
};

/* rd = val in the stand-in: movw/movt, on ARMv6K what armjit emits */
static int stock_mov(u32 *c, u8 rd, u32 val)
{
	if (armjit_rt.arch < ARMJIT_ARCH_V7)
		return arm_imm_seq(rd, val, true, c);
	c[0] = arm_movw(rd, val & 0xffff);
	if (val >> 16) {
		c[1] = arm_movt(rd, val >> 16);
		return 2;
	}
	return 1;
}

static u32 *stock_caller(const struct stock_tc *st, u32 *prologue_bytes,
			 size_t *size)
{
	u32 *c = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u32 target = (u32)(uintptr_t)st->target->prog.bpf_func;
	int n = 0, bhs;

	if (c == MAP_FAILED)
		return NULL;
	/* build_prologue() */
	c[n++] = arm_push(STOCK_PUSH);
	c[n++] = arm_mov_r(ARM_R11, ARM_SP);
	c[n++] = arm_mov_i(ARM_R3, 0);
	c[n++] = arm_sub_i(ARM_R2, ARM_SP, 80);		/* SCRATCH_SIZE */
	c[n++] = arm_sub_i(ARM_SP, ARM_SP, 592);	/* 512 + 80 */
	c[n++] = arm_strd_i(ARM_R2, ARM_R11, STOCK_FPSLOT);
	c[n++] = arm_mov_i(ARM_R2, 0);
	c[n++] = arm_strd_i(ARM_R2, ARM_R11, STOCK_TCC);
	c[n++] = arm_mov_r(ARM_R2, ARM_R0);
	*prologue_bytes = 4 * n;
	/* the body: BPF R6 (r5:r4), TMP_REG_1/2 (r7:r6, r9:r8) in use */
	c[n++] = arm_mov_i(ARM_R4, 0x66);
	c[n++] = arm_mov_i(ARM_R5, 0x67);
	c[n++] = arm_mov_i(ARM_R8, 0x88);
	c[n++] = arm_mov_i(ARM_R9, 0x89);
	n += stock_mov(c + n, ARM_R6, st->tcc);
	c[n++] = arm_mov_i(ARM_R7, 0);
	c[n++] = arm_strd_i(ARM_R6, ARM_R11, STOCK_TCC);
	/* emit_bpf_tail_call(): the count, then the jump */
	c[n++] = arm_ldrd_i(ARM_R6, ARM_R11, STOCK_TCC);
	c[n++] = arm_cmp_i(ARM_R7, 0);
	c[n++] = arm_cond(ARM_COND_EQ, arm_cmp_i(ARM_R6, MAX_TAIL_CALL_CNT));
	bhs = n++;
	c[n++] = arm_dp_imm(ARM_DP_ADD, true, ARM_R6, ARM_R6, 1);
	c[n++] = arm_dp_imm(ARM_DP_ADC, false, ARM_R7, ARM_R7, 0);
	c[n++] = arm_strd_i(ARM_R6, ARM_R11, STOCK_TCC);
	n += stock_mov(c + n, ARM_IP, target);
	c[n++] = arm_add_i(ARM_IP, ARM_IP, *prologue_bytes);
	c[n++] = arm_bx(ARM_IP);
	c[bhs] = arm_cond(ARM_COND_HS, arm_b(n - (bhs + 2)));
	/* out: */
	n += stock_mov(c + n, ARM_R0, TC_FALL);
	c[n++] = arm_mov_i(ARM_R1, 0);
	/* build_epilogue() */
	c[n++] = arm_mov_r(ARM_SP, ARM_R11);
	c[n++] = arm_pop((STOCK_PUSH & ~(1 << ARM_LR)) | 1 << ARM_PC);
	__builtin___clear_cache((char *)c, (char *)(c + n));
	*size = 4096;
	return c;
}

static bool stock_tc_run(void *arg, char *msg, int len)
{
	struct stock_tc *st = arg;
	u32 pb, bad = 0;
	size_t size;
	u32 *caller;
	u64 r0;
	int i;

	if (host_prog_jit(st->target)) {
		snprintf(msg, len, "JIT of the target failed: %d",
			 st->target->jit_err);
		return false;
	}
	caller = stock_caller(st, &pb, &size);
	if (!caller) {
		snprintf(msg, len, "mmap failed");
		return false;
	}
	for (i = 0; i < 2; i++) {
		memset(st->ctx, 0, sizeof(st->ctx));
		r0 = call_checked(caller, st->ctx, &bad);
		if (r0 != st->want_r0 || st->ctx[0] != st->want_w0 || bad)
			break;
	}
	munmap(caller, size);
	host_prog_free(st->target);
	if (pb == ARMJIT_STOCK_PROLOGUE && r0 == st->want_r0 &&
	    st->ctx[0] == st->want_w0 && !bad)
		return true;
	snprintf(msg, len,
		 "stock prologue %u bytes (armjit: %d); R0 0x%llx (want 0x%llx), target runs %llu (want %llu), registers lost 0x%x",
		 pb, ARMJIT_STOCK_PROLOGUE, (unsigned long long)r0,
		 (unsigned long long)st->want_r0,
		 (unsigned long long)st->ctx[0],
		 (unsigned long long)st->want_w0, bad);
	return false;
}

/*
 * The image's words at the stock landing: with the stock JIT's frame not
 * known (ARMJIT_STOCK_TC_TRAP) nothing but udf up to the tail-call entry;
 * word ARMJIT_MARK_WORD the marker of the ABI stamped.
 */
static bool stub_words_run(void *arg, char *msg, int len)
{
	struct host_prog *hp = arg;
	const u32 *w;
	int i;

	if (host_prog_jit(hp)) {
		snprintf(msg, len, "JIT failed: %d", hp->jit_err);
		return false;
	}
	w = hp->image;
	for (i = ARMJIT_STOCK_PROLOGUE / 4; i < ARMJIT_TAIL_CALL_OFFSET / 4; i++)
		if (w[i] != ARMJIT_UDF)
			break;
	if (i == ARMJIT_TAIL_CALL_OFFSET / 4 &&
	    w[ARMJIT_MARK_WORD] == ARMJIT_TC_MARK(hp->tc_abi)) {
		host_prog_free(hp);
		return true;
	}
	snprintf(msg, len, "word %d 0x%08x, marker 0x%08x (want 0x%08x)", i,
		 w[i], w[ARMJIT_MARK_WORD], ARMJIT_TC_MARK(hp->tc_abi));
	host_prog_free(hp);
	return false;
}

static void cases_stock_tailcall(void)
{
	static const u32 tccs[] = { 0, 1, 20, 32, 33 };
	struct prog_buf pb;
	struct bpf_array *arr = new_array(1);
	struct host_prog *self;
	struct stock_tc st;
	char name[160];
	unsigned int i;

	/* ctx word 0 += 1; tail call itself; R0 = word 0 */
	tc_prog(&pb, arr, 0, 1, 0, 0, 0);
	pb.insns[pb.len - 3] = LDX_MEM(BPF_DW, R0, R1, 0);
	self = new_prog(&pb, 512);
	arr->ptrs[0] = self;
	for (i = 0; i < ARRAY_SIZE(tccs); i++) {
		memset(&st, 0, sizeof(st));
		st.target = self;
		st.tcc = tccs[i];
		/* the stock caller's tail call is number tcc + 1 */
		st.want_w0 = st.tcc < MAX_TAIL_CALL_CNT ?
			     MAX_TAIL_CALL_CNT - st.tcc : 0;
		st.want_r0 = st.tcc < MAX_TAIL_CALL_CNT ? st.want_w0 : TC_FALL;
		snprintf(name, sizeof(name),
			 "stock-JIT caller (count %u) tail-calls a self-tail-calling armjit image: %llu runs, limit carried over",
			 st.tcc, (unsigned long long)st.want_w0);
		run_native(name, stock_tc_run, &st);
	}

	/* the stub of an image made while stock tail calls are refused */
	memset(&st, 0, sizeof(st));
	st.target = self;
	self->stock_tc = ARMJIT_STOCK_TC_REFUSE;
	run_native("stock-JIT caller tail-calls an image whose stub refuses (probe failed): the caller returns 0, the target never runs",
		   stock_tc_run, &st);
	self->stock_tc = ARMJIT_STOCK_TC_TRAP;
	self->tc_abi = 3;
	run_native("stock JIT's frame unknown: the stub is udf only; ABI 3 stamped in the marker",
		   stub_words_run, self);
	self->stock_tc = ARMJIT_STOCK_TC_ON;
	self->tc_abi = 0;
	pb_free(&pb);

	/* a target using its stack and ctx, no tail call of its own */
	pb_init(&pb);
	PB(&pb, ST_MEM(BPF_DW, R10, -512, 0x1234),
	   ST_MEM(BPF_DW, R10, -8, 0x55),
	   LDX_MEM(BPF_DW, R0, R10, -512),
	   LDX_MEM(BPF_DW, R2, R10, -8),
	   ALU64_REG(BPF_ADD, R0, R2),
	   ST_MEM(BPF_DW, R1, 0, 7),
	   EXIT());
	memset(&st, 0, sizeof(st));
	st.target = new_prog(&pb, 512);
	st.want_r0 = 0x1234 + 0x55;
	st.want_w0 = 7;
	run_native("stock-JIT caller tail-calls an armjit image with a 512-byte stack",
		   stock_tc_run, &st);
	free(st.target);
	pb_free(&pb);
	free(self);
	free(arr);
}

void cases_tailcall(void)
{
	struct prog_buf p0, p1, p2, p3;
	struct host_prog *h[4];
	struct bpf_array *arr;
	int i;

	/* chain: main -> [1] -> [2] -> [3] (out of range: falls through) */
	arr = new_array(3);
	tc_prog(&p0, arr, 0, 1, 1, 1000, 0);
	tc_prog(&p1, arr, 1, 10, 2, 2000, 0);
	tc_prog(&p2, arr, 2, 100, 3, 3000, 0);
	h[0] = new_prog(&p1, 512);
	h[1] = new_prog(&p2, 512);
	arr->ptrs[1] = h[0];
	arr->ptrs[2] = h[1];
	tc_run("tail call chain main->1->2, then index 3 >= max_entries falls through",
	       &p0, h, 2, 512, true, 3000);

	/* NULL slot */
	arr->ptrs[2] = NULL;
	tc_run("tail call chain main->1, NULL slot 2 falls through",
	       &p0, h, 1, 512, true, 2000);
	pb_free(&p0);
	pb_free(&p1);
	pb_free(&p2);

	/* index: high 32 bits ignored (u32 index) */
	arr->ptrs[2] = NULL;
	tc_prog(&p0, arr, 0, 1, 0x100000001ull, 1000, 0);
	tc_prog(&p1, arr, 1, 10, 0xffffffffull, 2000, 0);
	h[0]->insns = p1.insns;
	h[0]->len = p1.len;
	tc_run("tail call index 0x100000001 is index 1; 0xffffffff out of range",
	       &p0, h, 1, 512, true, 2000);
	pb_free(&p0);
	pb_free(&p1);

	/* limit: a program that tail-calls itself runs 1 + MAX_TAIL_CALL_CNT times */
	tc_prog(&p0, arr, 0, 1, 0, 0, 0);
	/* R0 = count = ctx word 0: patch the fall-through to read word 0 */
	p0.insns[p0.len - 3] = LDX_MEM(BPF_DW, R0, R1, 0);
	h[0]->insns = p0.insns;
	h[0]->len = p0.len;
	h[0]->stack_depth = 512;
	arr->ptrs[0] = h[0];
	tc_run("tail call limit: self tail call runs 1 + MAX_TAIL_CALL_CNT (34) times",
	       &p0, h, 1, 512, true, MAX_TAIL_CALL_CNT + 1);
	pb_free(&p0);

	/* NULL slot tail calls count toward the limit (6.1 core.c order) */
	pb_init(&p0);
	PB(&p0, LDX_MEM(BPF_DW, R2, R1, 0),
	   ALU64_IMM(BPF_ADD, R2, 1),
	   STX_MEM(BPF_DW, R1, R2, 0));
	pb_ld64(&p0, R2, (uintptr_t)arr);
	PB(&p0, MOV64_IMM(R3, 1), TAIL_CALL());		/* NULL: falls through */
	pb_ld64(&p0, R2, (uintptr_t)arr);
	PB(&p0, MOV64_IMM(R3, 0), TAIL_CALL(),		/* self */
	   LDX_MEM(BPF_DW, R0, R1, 0),
	   EXIT());
	arr->ptrs[1] = NULL;
	h[0]->insns = p0.insns;
	h[0]->len = p0.len;
	tc_run("tail call limit: NULL-slot attempts count too (17 runs)",
	       &p0, h, 1, 512, true, 17);
	armjit_rt.tc_count_empty = false;
	tc_run("tail call limit: 7.2 counts only taken tail calls (34 runs)",
	       &p0, h, 1, 512, true, MAX_TAIL_CALL_CNT + 1);
	armjit_rt.tc_count_empty = true;
	pb_free(&p0);

	/*
	 * Stack used on both sides. The verifier gives every program with a
	 * tail call MAX_BPF_STACK (512); the last target has none and a
	 * small stack of its own.
	 */
	tc_prog(&p0, arr, 0, 1, 1, 1000, 40);
	tc_prog(&p1, arr, 1, 10, 2, 2000, 504);
	pb_init(&p2);
	PB(&p2, ST_MEM(BPF_DW, R10, -8, 0x77),
	   LDX_MEM(BPF_DW, R0, R10, -8),
	   STX_MEM(BPF_DW, R1, R0, 8 * 2),
	   ALU64_IMM(BPF_ADD, R0, 3000),
	   EXIT());
	h[0] = new_prog(&p1, 512);
	h[1] = new_prog(&p2, 8);
	arr->ptrs[0] = NULL;
	arr->ptrs[1] = h[0];
	arr->ptrs[2] = h[1];
	arr->map.max_entries = 3;
	tc_run("tail call chain using the stack, last target has stack depth 8",
	       &p0, h, 2, 512, true, 3000 + 0x77);
	pb_free(&p0);
	pb_free(&p1);
	pb_free(&p2);

	/*
	 * Images of another tail-call ABI (an older or newer armjit's
	 * marker, ARMJIT_TC_MARK) are empty slots; the current one lands.
	 */
	tc_prog(&p0, arr, 0, 1, 1, 1000, 0);
	pb_init(&p1);
	PB(&p1, MOV64_IMM(R0, 77), EXIT());
	h[2] = new_prog(&p1, 0);
	arr->ptrs[0] = NULL;
	arr->ptrs[1] = h[2];
	arr->map.max_entries = 2;
	for (i = 1; i <= ARMJIT_TC_ABI + 1; i++) {
		char name[96];

		h[2]->tc_abi = i;
		snprintf(name, sizeof(name),
			 "tail call into an image of tail-call ABI %d %s", i,
			 i == ARMJIT_TC_ABI ? "lands" : "is an empty slot");
		tc_run(name, &p0, &h[2], 1, 512, true,
		       i == ARMJIT_TC_ABI ? 77 : 1000);
	}
	free(h[2]);
	pb_free(&p0);
	pb_free(&p1);

	/* max_entries 0 */
	arr->map.max_entries = 0;
	tc_prog(&p3, arr, 0, 1, 0, 42, 0);
	tc_run("tail call into an empty array (max_entries 0) falls through",
	       &p3, NULL, 0, 512, true, 42);
	pb_free(&p3);
	for (i = 0; i < 2; i++)
		free(h[i]);
	free(arr);
	cases_stock_tailcall();
}

/*
 * The helpers armjit emits in place (armjit_inline_kind()): the current
 * task (bpf_get_current_task, _btf) and its CPU number
 * (bpf_get_smp_processor_id), called by address (ARMJIT_OPT_INLINE) and
 * as the id a 6.12+ verifier leaves for the JIT (armjit_rt.inline_ids),
 * SMP and uniprocessor. R0 and R6-R8 after each call against the
 * interpreter's calls of the same functions; with the id R1-R5 too (the
 * verifier may have dropped their spills: bpf_fastcall). Inlined, the
 * image has one mrc a call (none for the CPU on a uniprocessor), an asr
 * #31 for each bpf_get_current_task (it returns (long)current) and no bl
 * or blx.
 */
static void call_inline(void)
{
	static const char *const how[] = {
		"by address", "by id", "by id, uniprocessor",
	};
	static const s32 ids[] = {
		ARMJIT_FUNC_CPU_ID, ARMJIT_FUNC_TASK, ARMJIT_FUNC_TASK_BTF,
	};
	const u32 fns[] = {
		armjit_rt.fn_cpu_id, armjit_rt.fn_task, armjit_rt.fn_task_btf,
	};
	int h;

	for (h = 0; h < 3; h++) {
		struct host_prog hp = { .zext = true };
		struct noted_prog np;
		struct test_case t;
		static const u8 st_id[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
		static const u8 st_addr[] = { 0, 6, 7, 8 };
		bool by_id = h > 0, inlined = by_id || peephole;
		const u8 *st = by_id ? st_id : st_addr;
		int nst = by_id ? ARRAY_SIZE(st_id) : ARRAY_SIZE(st_addr);
		int k, i, w = 0, mrc = 0, calls = -1, mrcs = -1, asr = 0;
		int asrs = -1;
		char name[160];

		np_init(&np);
		PB(&np.pb, MOV64_REG(R9, R1));
		for (k = 0; k < 6; k++) {
			int f = (k + h) % 3;

			np_mark(&np);
			for (i = 0; i <= 8; i++)
				pb_ld64(&np.pb, i, argvals[(k + i) % ARRAY_SIZE(argvals)] ^ i);
			PB(&np.pb, CALL_IMM(by_id ? ids[f] :
				   (s32)(fns[f] - armjit_rt.call_base)));
			for (i = 0; i < nst; i++)
				PB(&np.pb, STX_MEM(BPF_DW, R9, st[i], 8 * (w + i)));
			np_note(&np, 8 * w, 8 * nst, "call %d (helper %d): R0%s, R6-R8",
				k, f, by_id ? ", R1-R5" : "");
			w += nst;
			mrc += f || h != 2;
			asr += f == 1;
		}
		PB(&np.pb, MOV64_IMM(R0, 5), EXIT());
		armjit_rt.inline_ids = by_id;
		armjit_rt.cpu_up = h == 2;
		host_cpu = 3 + h;
		snprintf(name, sizeof(name), "inlined helpers (current task, its CPU) %s",
			 how[h]);
		memset(&t, 0, sizeof(t));
		t.name = name;
		t.insns = np.pb.insns;
		t.len = np.pb.len;
		t.ctx_size = 8 * w;
		t.stack_depth = 16;
		t.priv = &np;
		run_test(&t);
		snprintf(name, sizeof(name), "inlined helpers %s: %d mrc, %d asr #31, no call in the image",
			 how[h], inlined ? mrc : 0, inlined ? asr : 0);
		if (want(name) && !counting) {
			hp.insns = t.insns;
			hp.len = t.len;
			hp.stack_depth = t.stack_depth;
			if (!host_prog_jit(&hp)) {
				mrcs = count_words(&hp, ARM_MASK_MRC_TP, ARM_OP_MRC_TP);
				calls = count_words(&hp, 0x0f000000, 0x0b000000) +
					count_words(&hp, ARM_MASK_BX, ARM_OP_BLX_R & ARM_MASK_BX);
				/* mov rh, rl, asr #31: the task's hi word */
				asrs = count_words(&hp, 0xffff0ff0, 0xe1a00fc0);
				host_prog_free(&hp);
			}
			report(name, inlined ? mrcs == mrc && calls == 0 &&
						asrs == asr :
				       mrcs == 0 && calls == 6);
		} else {
			report(name, true);
		}
		armjit_rt.inline_ids = false;
		armjit_rt.cpu_up = false;
		np_free(&np);
	}
}

void cases_call(void)
{
	call_record();
	call_preserve();
	call_aapcs();
	call_u64_conv();
	call_misc();
	call_inline();
}
