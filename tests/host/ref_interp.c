// SPDX-License-Identifier: GPL-2.0
/*
 * Reference eBPF interpreter for the armjit host tests: the semantics of
 * ___bpf_prog_run() in the 6.1 kernel/bpf/core.c, plus what the verifier's
 * rewrites add for programs it accepts: DIV by 0 gives 0, MOD by 0 leaves
 * DST unchanged (ALU32: zero-extended low half). Also 6.12's cpuv4
 * instructions: MOVSX (MOV off 8/16/32), LDX MEMSX, signed DIV/MOD (off 1:
 * truncated, INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0), ALU64 END (an
 * unconditional byte swap) and JMP32 JA (gotol, offset in imm). Full 64-bit
 * registers on a 32-bit host; pointers are the low 32 bits of a register.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ref_interp.h"

#define STEP_LIMIT	(1 << 24)
#define MAX_CALL_FRAMES	8	/* the verifier's limit, main function included */
#define MAX_CALLBACKS	8

typedef u64 (*helper_fn)(u64, u64, u64, u64, u64);

struct interp {
	const struct host_prog *hp;
	u32 tail_call_cnt;
	long steps;
	int depth;		/* frames below the main one */
	char *err;
	int errlen;
	int starts[MAX_FUNCS];	/* function starts, for their stack depths */
	int nfuncs;
	int cb_err;		/* error inside a callback a helper called */
};

static inline void *ptr(u64 base, s16 off)
{
	return (void *)(uintptr_t)((u32)base + (s32)off);
}

/* Memory accesses may be unaligned (packet data): go through memcpy. */
static u64 load(const void *p, int size)
{
	u8 b; u16 h; u32 w; u64 d;

	switch (size) {
	case BPF_B: memcpy(&b, p, 1); return b;
	case BPF_H: memcpy(&h, p, 2); return h;
	case BPF_W: memcpy(&w, p, 4); return w;
	default: memcpy(&d, p, 8); return d;
	}
}

static void store(void *p, int size, u64 v)
{
	u8 b = v; u16 h = v; u32 w = v;

	switch (size) {
	case BPF_B: memcpy(p, &b, 1); break;
	case BPF_H: memcpy(p, &h, 2); break;
	case BPF_W: memcpy(p, &w, 4); break;
	default: memcpy(p, &v, 8); break;
	}
}

static u64 bswap16_64(u64 x) { return __builtin_bswap16((u16)x); }
static u64 bswap32_64(u64 x) { return __builtin_bswap32((u32)x); }

static int fail(struct interp *in, int pc, const char *what)
{
	snprintf(in->err, in->errlen, "interpreter: %s at insn %d", what, pc);
	return -EINVAL;
}

/* signed 64-bit DIV/MOD as the interpreter computes it (div64_s64) */
static s64 sdiv64(s64 a, s64 b)
{
	if (b == -1)
		return (s64)(0 - (u64)a);	/* INT64_MIN / -1 = INT64_MIN */
	return a / b;
}

static u32 sdiv32(s32 a, s32 b)
{
	if (b == -1)
		return 0 - (u32)a;
	return (u32)(a / b);
}

static int alu64(u8 op, s16 off, u64 *dst, u64 src)
{
	if (off == 1 && (op == BPF_DIV || op == BPF_MOD)) {
		s64 d = (s64)*dst, s = (s64)src;

		if (op == BPF_DIV)
			*dst = s ? (u64)sdiv64(d, s) : 0;
		else if (s)
			*dst = (u64)d - (u64)sdiv64(d, s) * (u64)s;
		return 0;
	}
	if (op == BPF_MOV && off) {
		switch (off) {
		case 8: *dst = (u64)(s64)(s8)src; break;
		case 16: *dst = (u64)(s64)(s16)src; break;
		case 32: *dst = (u64)(s64)(s32)src; break;
		default: return -1;
		}
		return 0;
	}
	if (off)
		return -1;
	switch (op) {
	case BPF_ADD: *dst += src; break;
	case BPF_SUB: *dst -= src; break;
	case BPF_MUL: *dst *= src; break;
	case BPF_DIV: *dst = src ? *dst / src : 0; break;
	case BPF_MOD: if (src) *dst %= src; break;
	case BPF_OR: *dst |= src; break;
	case BPF_AND: *dst &= src; break;
	case BPF_XOR: *dst ^= src; break;
	case BPF_LSH: *dst <<= (src & 63); break;
	case BPF_RSH: *dst >>= (src & 63); break;
	case BPF_ARSH: *dst = (u64)((s64)*dst >> (src & 63)); break;
	case BPF_MOV: *dst = src; break;
	case BPF_NEG: *dst = -*dst; break;
	default: return -1;
	}
	return 0;
}

static int alu32(u8 op, s16 off, u64 *dst, u32 src)
{
	u32 d = (u32)*dst;

	if (off == 1 && (op == BPF_DIV || op == BPF_MOD)) {
		if (op == BPF_DIV)
			d = src ? sdiv32((s32)d, (s32)src) : 0;
		else if (src)
			d = d - sdiv32((s32)d, (s32)src) * src;
		*dst = d;
		return 0;
	}
	if (op == BPF_MOV && off) {
		switch (off) {
		case 8: *dst = (u32)(s32)(s8)src; break;
		case 16: *dst = (u32)(s32)(s16)src; break;
		default: return -1;
		}
		return 0;
	}
	if (off)
		return -1;
	switch (op) {
	case BPF_ADD: d += src; break;
	case BPF_SUB: d -= src; break;
	case BPF_MUL: d *= src; break;
	case BPF_DIV: d = src ? d / src : 0; break;
	case BPF_MOD: if (src) d %= src; break;
	case BPF_OR: d |= src; break;
	case BPF_AND: d &= src; break;
	case BPF_XOR: d ^= src; break;
	case BPF_LSH: d <<= (src & 31); break;
	case BPF_RSH: d >>= (src & 31); break;
	case BPF_ARSH: d = (u32)((s32)d >> (src & 31)); break;
	case BPF_MOV: d = src; break;
	case BPF_NEG: d = -d; break;
	default: return -1;
	}
	*dst = d;	/* zero-extended */
	return 0;
}

static int cond64(u8 op, u64 a, u64 b, bool *taken)
{
	switch (op) {
	case BPF_JEQ: *taken = a == b; break;
	case BPF_JNE: *taken = a != b; break;
	case BPF_JGT: *taken = a > b; break;
	case BPF_JGE: *taken = a >= b; break;
	case BPF_JLT: *taken = a < b; break;
	case BPF_JLE: *taken = a <= b; break;
	case BPF_JSET: *taken = (a & b) != 0; break;
	case BPF_JSGT: *taken = (s64)a > (s64)b; break;
	case BPF_JSGE: *taken = (s64)a >= (s64)b; break;
	case BPF_JSLT: *taken = (s64)a < (s64)b; break;
	case BPF_JSLE: *taken = (s64)a <= (s64)b; break;
	default: return -1;
	}
	return 0;
}

static int cond32(u8 op, u32 a, u32 b, bool *taken)
{
	switch (op) {
	case BPF_JEQ: *taken = a == b; break;
	case BPF_JNE: *taken = a != b; break;
	case BPF_JGT: *taken = a > b; break;
	case BPF_JGE: *taken = a >= b; break;
	case BPF_JLT: *taken = a < b; break;
	case BPF_JLE: *taken = a <= b; break;
	case BPF_JSET: *taken = (a & b) != 0; break;
	case BPF_JSGT: *taken = (s32)a > (s32)b; break;
	case BPF_JSGE: *taken = (s32)a >= (s32)b; break;
	case BPF_JSLT: *taken = (s32)a < (s32)b; break;
	case BPF_JSLE: *taken = (s32)a <= (s32)b; break;
	default: return -1;
	}
	return 0;
}

static int atomic_op(struct interp *in, int pc, const struct bpf_insn *insn,
		     u64 *reg)
{
	void *p = ptr(reg[insn->dst_reg], insn->off);
	u64 *src = &reg[insn->src_reg];
	s32 op = insn->imm;
	u8 size = BPF_SIZE(insn->code);

	/* 7.2: dst = *(src + off), *(dst + off) = src; B, H, W (32-bit) */
	if (op == BPF_LOAD_ACQ || op == BPF_STORE_REL) {
		if (size == BPF_DW)
			return fail(in, pc, "64-bit load-acquire/store-release");
		if (op == BPF_STORE_REL) {
			if (size == BPF_B)
				*(u8 *)p = *src;
			else if (size == BPF_H)
				*(u16 *)p = *src;
			else
				*(u32 *)p = *src;
			return 0;
		}
		p = ptr(*src, insn->off);
		reg[insn->dst_reg] = size == BPF_B ? *(u8 *)p :
				     size == BPF_H ? *(u16 *)p : *(u32 *)p;
		return 0;
	}
	if (BPF_SIZE(insn->code) == BPF_DW) {
		u64 *m = p, old = *m;

		switch (op & ~BPF_FETCH) {
		case BPF_ADD: *m = old + *src; break;
		case BPF_AND: *m = old & *src; break;
		case BPF_OR: *m = old | *src; break;
		case BPF_XOR: *m = old ^ *src; break;
		case BPF_XCHG & ~BPF_FETCH:
			if (op != BPF_XCHG)
				return fail(in, pc, "bad atomic op");
			*m = *src;
			break;
		case BPF_CMPXCHG & ~BPF_FETCH:
			if (op != BPF_CMPXCHG)
				return fail(in, pc, "bad atomic op");
			if (old == reg[BPF_REG_0])
				*m = *src;
			reg[BPF_REG_0] = old;
			return 0;
		default:
			return fail(in, pc, "bad atomic op");
		}
		if (op & BPF_FETCH)
			*src = old;
	} else if (BPF_SIZE(insn->code) == BPF_W) {
		u32 *m = p, old = *m, s = (u32)*src;

		switch (op & ~BPF_FETCH) {
		case BPF_ADD: *m = old + s; break;
		case BPF_AND: *m = old & s; break;
		case BPF_OR: *m = old | s; break;
		case BPF_XOR: *m = old ^ s; break;
		case BPF_XCHG & ~BPF_FETCH:
			if (op != BPF_XCHG)
				return fail(in, pc, "bad atomic op");
			*m = s;
			break;
		case BPF_CMPXCHG & ~BPF_FETCH:
			if (op != BPF_CMPXCHG)
				return fail(in, pc, "bad atomic op");
			if (old == (u32)reg[BPF_REG_0])
				*m = s;
			reg[BPF_REG_0] = old;
			return 0;
		default:
			return fail(in, pc, "bad atomic op");
		}
		if (op & BPF_FETCH)
			*src = old;
	} else {
		return fail(in, pc, "bad atomic size");
	}
	return 0;
}

static int run(struct interp *in, int pc, u64 *reg);

const struct host_prog *ref_count_hp;
u32 *ref_count;

/* Registers a function has not written yet: a recognisable pattern. */
static void poison(u64 *reg, int from, int to, u64 tag)
{
	int i;

	for (i = from; i <= to; i++)
		reg[i] = 0xdeadbeef00000000ull | tag << 8 | i;
}

/*
 * A bpf-to-bpf call as the kernel's interpreter makes it (JMP_CALL_ARGS):
 * the callee gets its own registers (R1-R5 = the arguments, R0 and R6-R9
 * unwritten) and its own stack of its function's stack depth; only R0
 * comes back. The caller's R1-R5 are dead after the call (the verifier
 * makes them unreadable): poisoned.
 */
static int call_func(struct interp *in, int target, u64 *reg, int pc)
{
	struct interp saved;
	u64 creg[MAX_BPF_JIT_REG];
	u32 sd;
	u8 *stk;
	int err;

	if (target < 0 || target >= in->hp->len)
		return fail(in, pc, "call outside the program");
	/* per program: each tail call from a subprogram nests one more */
	if (in->depth + 1 >= MAX_CALL_FRAMES * (1 + (int)in->tail_call_cnt))
		return fail(in, pc, "more than MAX_CALL_FRAMES (8) frames");
	in->depth++;
	sd = func_stack_depth(in->hp, in->starts, in->nfuncs, target);
	/* a tail call from the callee runs its target in this frame */
	if (sd < 512)
		sd = 512;
	poison(creg, 0, MAX_BPF_JIT_REG - 1, in->depth);
	memcpy(&creg[1], &reg[1], 5 * sizeof(u64));
	stk = calloc(1, sd + 8);
	creg[10] = (uintptr_t)(stk + sd);
	memcpy(&saved, in, sizeof(saved));
	err = run(in, target, creg);
	/* the callee's tail call returns here: back to the caller's program */
	in->hp = saved.hp;
	in->nfuncs = saved.nfuncs;
	memcpy(in->starts, saved.starts, sizeof(in->starts));
	free(stk);
	in->depth--;
	if (err)
		return err;
	reg[0] = creg[0];
	poison(reg, 1, 5, 0xcc);
	return 0;
}

/*
 * BPF_PSEUDO_FUNC: a helper calls the subprogram as
 * u64 (*)(u64, u64, u64, u64, u64). Here a host function per callback
 * that runs it in the interpreter (one interpreter at a time).
 */
static struct interp *cb_interp;
static int cb_target[MAX_CALLBACKS];
static int cb_count;

static u64 cb_run(int k, u64 a, u64 b, u64 c, u64 d, u64 e)
{
	struct interp *in = cb_interp;
	u64 reg[MAX_BPF_JIT_REG] = { 0, a, b, c, d, e };
	int err;

	if (in->cb_err)
		return 0;
	err = call_func(in, cb_target[k], reg, -1);
	if (err) {
		in->cb_err = err;
		return 0;
	}
	return reg[0];
}

#define CB(k) \
	static u64 cb##k(u64 a, u64 b, u64 c, u64 d, u64 e) \
	{ return cb_run(k, a, b, c, d, e); }
CB(0) CB(1) CB(2) CB(3) CB(4) CB(5) CB(6) CB(7)
static void *const cb_fns[MAX_CALLBACKS] = {
	cb0, cb1, cb2, cb3, cb4, cb5, cb6, cb7,
};

static void *callback_addr(struct interp *in, int target)
{
	int k;

	for (k = 0; k < cb_count; k++)
		if (cb_target[k] == target)
			return cb_fns[k];
	if (cb_count == MAX_CALLBACKS)
		return NULL;
	cb_target[cb_count] = target;
	return cb_fns[cb_count++];
}

/*
 * Run from @pc with registers @reg (R10 already set) until EXIT. Calls
 * itself for BPF_PSEUDO_CALL (call_func()).
 */
static int run(struct interp *in, int pc, u64 *reg)
{
	const struct bpf_insn *insns = in->hp->insns;
	int len = in->hp->len;

	for (;;) {
		const struct bpf_insn *insn;
		u8 code, cls, op;
		u64 src;
		bool taken;

		if (pc < 0 || pc >= len)
			return fail(in, pc, "pc out of program");
		if (++in->steps > STEP_LIMIT)
			return fail(in, pc, "step limit (infinite loop?)");
		if (in->hp == ref_count_hp)
			ref_count[pc]++;
		insn = &insns[pc];
		code = insn->code;
		cls = BPF_CLASS(code);
		op = BPF_OP(code);
		if (insn->dst_reg > BPF_REG_AX || insn->src_reg > BPF_REG_AX)
			return fail(in, pc, "bad register");

		switch (cls) {
		case BPF_ALU64:
		case BPF_ALU:
			if (insn->dst_reg == BPF_REG_10)
				return fail(in, pc, "write to R10");
			/* AX is used by blinding: 32-bit ops on it zero-extend too */
			if (op == BPF_END) {
				u64 *d = &reg[insn->dst_reg];

				if (cls == BPF_ALU64 && BPF_SRC(code) != BPF_TO_LE)
					return fail(in, pc, "bad END");
				if (cls == BPF_ALU && BPF_SRC(code) == BPF_TO_LE) {
					switch (insn->imm) {
					case 16: *d = (u16)*d; break;
					case 32: *d = (u32)*d; break;
					case 64: break;
					default: return fail(in, pc, "bad END imm");
					}
				} else {
					switch (insn->imm) {
					case 16: *d = bswap16_64(*d); break;
					case 32: *d = bswap32_64(*d); break;
					case 64: *d = __builtin_bswap64(*d); break;
					default: return fail(in, pc, "bad END imm");
					}
				}
				pc++;
				break;
			}
			if (BPF_SRC(code) == BPF_X)
				src = reg[insn->src_reg];
			else if (cls == BPF_ALU64)
				src = (u64)(s64)insn->imm;
			else
				src = (u32)insn->imm;
			if (cls == BPF_ALU64 ? alu64(op, insn->off, &reg[insn->dst_reg], src)
					     : alu32(op, insn->off, &reg[insn->dst_reg], src))
				return fail(in, pc, "bad ALU op");
			pc++;
			break;

		case BPF_JMP:
		case BPF_JMP32:
			if (op == BPF_JA) {
				/* JMP32 JA: gotol, the offset in imm */
				pc += (cls == BPF_JMP ? insn->off : insn->imm) + 1;
				break;
			}
			if (cls == BPF_JMP && op == BPF_EXIT)
				return 0;
			if (cls == BPF_JMP && op == BPF_CALL) {
				if (insn->src_reg == BPF_PSEUDO_CALL) {
					int err = call_func(in, pc + insn->imm + 1, reg, pc);

					if (err)
						return err;
					pc++;
					break;
				}
				u32 addr = armjit_rt.call_base + (u32)insn->imm;
				helper_fn fn;
				int c;

				/* a helper's id the verifier left for the JIT */
				if (armjit_inline_id(insn))
					addr = armjit_inline_fn(insn->imm);
				fn = (helper_fn)(uintptr_t)addr;

				for (c = 0; c < in->hp->ncalls; c++)
					if (in->hp->calls[c].addr == addr)
						fn = (helper_fn)in->hp->wrap[c];
				reg[0] = fn(reg[1], reg[2], reg[3], reg[4], reg[5]);
				if (in->cb_err)
					return in->cb_err;
				pc++;
				break;
			}
			if (cls == BPF_JMP && op == BPF_TAIL_CALL) {
				struct bpf_array *array = ptr(reg[2], 0);
				u32 index = (u32)reg[3];
				const struct host_prog *np;

				pc++;
				if (index >= array->map.max_entries)
					break;
				if (in->tail_call_cnt >= MAX_TAIL_CALL_CNT)
					break;
				if (armjit_rt.tc_count_empty)
					in->tail_call_cnt++;
				np = array->ptrs[index];
				/*
				 * armjit's contract: an image of another
				 * tail-call ABI is an empty slot
				 */
				if (!np || (np->tc_abi &&
					    np->tc_abi != ARMJIT_TC_ABI))
					break;
				if (!armjit_rt.tc_count_empty)
					in->tail_call_cnt++;
				in->hp = np;
				in->nfuncs = find_subprogs(np->insns, np->len,
							   in->starts,
							   MAX_FUNCS);
				if (in->nfuncs < 0)
					return fail(in, pc, "tail-call target's subprograms");
				insns = np->insns;
				len = np->len;
				pc = 0;
				break;
			}
			src = BPF_SRC(code) == BPF_X ? reg[insn->src_reg]
						     : (u64)(s64)insn->imm;
			if (cls == BPF_JMP ? cond64(op, reg[insn->dst_reg], src, &taken)
					   : cond32(op, (u32)reg[insn->dst_reg], (u32)src, &taken))
				return fail(in, pc, "bad JMP op");
			pc += taken ? insn->off + 1 : 1;
			break;

		case BPF_LDX:
			/* BPF_PROBE_MEM: a fault-tolerant load; plain here */
			if (BPF_MODE(code) == BPF_MEMSX) {
				u64 v = load(ptr(reg[insn->src_reg], insn->off),
					     BPF_SIZE(code));

				switch (BPF_SIZE(code)) {
				case BPF_B: v = (u64)(s64)(s8)v; break;
				case BPF_H: v = (u64)(s64)(s16)v; break;
				case BPF_W: v = (u64)(s64)(s32)v; break;
				default: return fail(in, pc, "bad MEMSX size");
				}
				reg[insn->dst_reg] = v;
				pc++;
				break;
			}
			if (BPF_MODE(code) != BPF_MEM && BPF_MODE(code) != BPF_PROBE_MEM)
				return fail(in, pc, "bad LDX mode");
			reg[insn->dst_reg] = load(ptr(reg[insn->src_reg], insn->off),
						  BPF_SIZE(code));
			pc++;
			break;

		case BPF_ST:
		case BPF_STX:
			if (cls == BPF_STX && BPF_MODE(code) == BPF_ATOMIC) {
				int err = atomic_op(in, pc, insn, reg);

				if (err)
					return err;
				pc++;
				break;
			}
			if (code == (BPF_ST | BPF_NOSPEC)) {	/* speculation barrier */
				pc++;
				break;
			}
			if (BPF_MODE(code) != BPF_MEM)
				return fail(in, pc, "bad ST/STX mode");
			src = cls == BPF_STX ? reg[insn->src_reg] : (u64)(s64)insn->imm;
			store(ptr(reg[insn->dst_reg], insn->off), BPF_SIZE(code), src);
			pc++;
			break;

		case BPF_LD:
			if (code != (BPF_LD | BPF_IMM | BPF_DW) || pc + 1 >= len)
				return fail(in, pc, "bad LD");
			if (insn->src_reg == BPF_PSEUDO_FUNC) {
				/* a callable host function running the subprogram */
				void *cb = callback_addr(in, pc + insn->imm + 1);

				if (!cb)
					return fail(in, pc, "too many callbacks");
				reg[insn->dst_reg] = (uintptr_t)cb;
				pc += 2;
				break;
			}
			reg[insn->dst_reg] = (u64)(u32)insn[0].imm |
					     (u64)(u32)insn[1].imm << 32;
			pc += 2;
			break;

		default:
			return fail(in, pc, "bad class");
		}
	}
}

int ref_run(const struct host_prog *hp, void *ctx, u64 *r0, char *err, int n)
{
	struct interp in = { .hp = hp, .err = err, .errlen = n };
	struct interp *prev_cb = cb_interp;
	u64 reg[MAX_BPF_JIT_REG];	/* R0-R10, AX */
	/* Tail-call targets share the frame of the first program; the
	 * verifier gives a program with a tail call MAX_BPF_STACK.
	 */
	u32 sd = hp->stack_depth < 512 ? 512 : hp->stack_depth;
	u8 *stack = calloc(1, sd + 8);
	int ret;
	int i;

	/* Uninitialized registers: a recognisable pattern. */
	for (i = 0; i < MAX_BPF_JIT_REG; i++)
		reg[i] = 0xdeadbeef00000000ull | i;
	reg[1] = (uintptr_t)ctx;
	reg[10] = (uintptr_t)(stack + sd);
	in.nfuncs = find_subprogs(hp->insns, hp->len, in.starts, MAX_FUNCS);
	if (in.nfuncs < 0) {
		free(stack);
		snprintf(err, n, "interpreter: pseudo call/func target outside the program");
		return -EINVAL;
	}
	cb_interp = &in;
	cb_count = 0;
	ret = run(&in, 0, reg);
	cb_interp = prev_cb;
	*r0 = reg[0];
	free(stack);
	return ret;
}
