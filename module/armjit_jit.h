/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armjit JIT context and the interface between the pass loop (armjit_core.c
 * in the kernel, the host test runner in user space) and the translation
 * (armjit_translate.c). Pure: builds in the kernel and in armhf user space.
 */
#ifndef ARMJIT_JIT_H
#define ARMJIT_JIT_H

#include "armjit_compat.h"

/*
 * The instruction set JIT'ed code is made of, chosen once at load from the
 * running kernel and CPU (armjit_rt_init()). ARMv6K (ARM1176: Raspberry
 * Pi 1 and Zero) lacks movw/movt, dmb, mls and udiv/sdiv: its encoders'
 * alternatives are next to them in armjit_insn.h, chosen by arm_v7().
 */
enum armjit_arch {
	ARMJIT_ARCH_V6K = 6,
	ARMJIT_ARCH_V7 = 7,
};

/*
 * Kernel routines JIT'ed code may call. Never armjit's own text: programs
 * outlive the module. Filled at module load (or by the host test runner).
 */
struct armjit_rt {
	u32 call_base;		/* __bpf_call_base: helper call imm origin */
	u32 uidivmod;		/* __aeabi_uidivmod: r0 = q, r1 = r */
	u32 idivmod;		/* __aeabi_idivmod: signed, r0 = q, r1 = r */
	u32 div64_u64;		/* u64 div64_u64(u64, u64) */
	u32 div64_u64_rem;	/* u64 div64_u64_rem(u64, u64, u64 *rem) */
	u32 div64_s64;		/* s64 div64_s64(s64, s64) */
	bool hwdiv;		/* CPU has UDIV/SDIV in ARM state */
	u8 arch;		/* enum armjit_arch: what JIT'ed code may use */
	u32 map_lookup_elem;	/* the bpf_map_lookup_elem helper, or 0 */
	bool tc_count_empty;	/* a tail call to an empty slot counts */
	/*
	 * Helpers emitted in place (armjit_inline_kind()): their functions
	 * (0: called as any other), the CPU number's offset in the task
	 * TPIDRURO holds (cpu_up: a uniprocessor kernel, the CPU is 0), and
	 * whether a call's imm may be such a helper's id, left by a verifier
	 * told that armjit inlines it (bpf_jit_inlines_helper_call(), 6.12+).
	 */
	u32 fn_cpu_id, fn_raw_cpu_id, fn_task, fn_task_btf;
	u16 cpu_off;
	bool cpu_up;
	bool inline_ids;
};

extern struct armjit_rt armjit_rt;

/* The helpers' ids (uapi enum bpf_func_id), as 6.12+ verifiers leave them. */
#define ARMJIT_FUNC_CPU_ID	8	/* bpf_get_smp_processor_id */
#define ARMJIT_FUNC_TASK	35	/* bpf_get_current_task */
#define ARMJIT_FUNC_TASK_BTF	158	/* bpf_get_current_task_btf */

/* The function of helper id @id that armjit compiles in place, or 0. */
static inline u32 armjit_inline_fn(s32 id)
{
	switch (id) {
	case ARMJIT_FUNC_CPU_ID:
		return armjit_rt.fn_cpu_id;
	case ARMJIT_FUNC_TASK:
		return armjit_rt.fn_task;
	case ARMJIT_FUNC_TASK_BTF:
		return armjit_rt.fn_task_btf;
	}
	return 0;
}

/* A helper call whose imm is such an id (never a function's offset). */
static inline bool armjit_inline_id(const struct bpf_insn *insn)
{
	return armjit_rt.inline_ids && insn->code == (BPF_JMP | BPF_CALL) &&
	       !insn->src_reg && armjit_inline_fn(insn->imm);
}

/*
 * How to call a helper (from the helper metadata table). ARMJIT_CONV_U64 is
 * the BPF_CALL_x wrapper ABI every BPF helper has: each of the first nargs
 * arguments a 64-bit value (r0:r1, r2:r3, then 8-byte stack slots).
 * ARMJIT_CONV_AAPCS is the callee's real C prototype: a 4-byte argument
 * takes one register or 4-byte slot, an 8-byte one an even/odd register
 * pair or an 8-byte aligned slot (AAPCS 5.5).
 */
enum armjit_conv {
	ARMJIT_CONV_U64,
	ARMJIT_CONV_AAPCS,
};

#define ARMJIT_MAX_ARGS	5

struct armjit_call_conv {
	u32 addr;			/* callee */
	u8 conv;			/* enum armjit_conv */
	u8 nargs;			/* 0..ARMJIT_MAX_ARGS */
	u8 arg_size[ARMJIT_MAX_ARGS];	/* 4 or 8 bytes */
	u8 ret_size;			/* 0, 4 or 8 bytes */
};

/* the scratch cache's registers (armjit_emit.c): r0-r3, r10, r11, ip, lr */
#define ARMJIT_CACHE_REGS	0x5c0f

/*
 * A word the recording pass wrote before it could know it (the word at
 * fix.at says which): a b to BPF insn val's code (val == len: the
 * epilogue), a bl of the kernel routine at address val, a leaf's push or
 * pop of the registers it turns out to write.
 */
struct armjit_fixup {
	int at;
	u32 val;
};

/*
 * A call site with a callee of its own: bpf_map_lookup_elem with R1 a
 * known map (armjit_find_map_calls()) calls that map's lookup directly,
 * void *(*)(struct bpf_map *, void *), as the verifier patches the call
 * for 64-bit JITs (do_misc_fixups()).
 */
struct armjit_site {
	int insn;			/* the call's index */
	u32 map;			/* R1 at the call */
	struct armjit_call_conv conv;	/* the callee (conv.addr) */
};

/*
 * What the analyses know of an insn (armjit_scan() fills it): the words
 * of BPF registers it reads and writes (live[]'s bits), where control
 * goes after it, its live-in words while liveness sweeps, and how it
 * changes the hi words known 0 (hi0's rule: kill, gen, cp).
 */
struct armjit_use_def {
	u32 use, def;
	u32 in;		/* use | (live & ~def), as the sweeps go */
	s32 tgt;	/* UD_JMP: the insn it jumps to, -1 past the program */
	u16 kill, gen;	/* hi0 after: (in & ~kill) | gen, and cp's */
	u8 fl;		/* UD_* */
	u8 cp;		/* HI0_CP | r: kill's register 0 only where r's is */
};

#define UD_NEXT		0x1	/* control may go on to the next insn */
#define UD_WIDE		0x2	/* ld_imm64: that next insn is 2 on */
#define UD_HALF		0x4	/* ld_imm64's second half: no insn */
#define UD_JMP		0x8	/* a jump (to tgt) */
#define UD_HI0_LIVE	0x10	/* hi0's rule holds if dst's hi word is live */
#define UD_BACK		0x20	/* a jump back (or to itself) lands here */

/* Where a BPF register lives: ARM registers lo:hi, or a stack slot. */
struct armjit_reg {
	s8 lo, hi;	/* ARM registers, or -1 */
	s8 slot;	/* else stack slot offset from sp, or -1 for FP */
};

struct armjit_image_ops;

struct armjit_ctx {
	/* input */
	const struct bpf_insn *insns;
	int len;			/* number of BPF instructions */
	u32 stack_depth;		/* BPF stack bytes (prog->aux->stack_depth) */
	bool verifier_zext;		/* verifier inserted explicit zext */
	bool is_subprog;		/* a bpf-to-bpf callee: R1-R5 arrive
					 * as 5 x u64 (r0:r1, r2:r3, stack)
					 */
	/* on a call path to a subprogram's tail call
	 * (aux->tail_call_reachable): keeps the pointer to the shared
	 * tail-call count for its callees
	 */
	bool tc_reach;
	/* conventions of the helpers this program calls, fixed for all
	 * passes; a call to an address not listed uses 5 x u64
	 */
	const struct armjit_call_conv *calls;
	int ncalls;
	/* call sites with a callee of their own, by insn; fixed for all
	 * passes
	 */
	const struct armjit_site *sites;
	int nsites;
	/* constant-blinded programs (armjit_blind_write()): insn i's jump
	 * offset, used instead of its 16-bit off (or gotol's imm); NULL: none
	 */
	const s32 *jmp_off;
	/* ARMJIT_OPT_* the translation may use: one level for every pass
	 * of a program (a subprogram's extra pass too)
	 */
	u8 opt;
	/* the tail-call ABI version the image's marker word says (0:
	 * ARMJIT_TC_ABI; another only as a test's stand-in for an image
	 * of an older armjit), and what its stub does with a stock-JIT'ed
	 * caller's tail call (enum armjit_stock_tc)
	 */
	u8 tc_abi;
	u8 stock_tc;
	/* len + 1 bytes the translation fills: 1 where an insn is a jump
	 * target (peepholes across two insns need that); NULL (or
	 * ARMJIT_OPT_TARGETS off): every insn counts as one, so no
	 * peephole spans two insns
	 */
	u8 *is_target;
	/* where the image will run, once allocated (0: not yet): kernel
	 * routines in bl range are then called with one bl, so the caller
	 * sizes again with it set before the final pass
	 */
	u32 image_addr;
	/*
	 * Before the address is known a call of a kernel routine is sized
	 * as one bl (images and kernel text are within its reach on these
	 * kernels: one pass fewer); near_guess says a pass did that.
	 * calls_far: not this compile (a routine was out of reach after
	 * all, armjit_passes() sized again)
	 */
	bool near_guess;
	bool calls_far;
	/* the caller takes R0's low word only (a main program: bpf_func
	 * returns unsigned int), so its high word is dead at exit
	 */
	bool ret32;
	/* len + 1 words the translation fills: bit r (lo) and 16 + r (hi)
	 * of live[i] set when that word of BPF register r may be read after
	 * insn i; NULL (or ARMJIT_OPT_LIVE off): every word counts as read
	 */
	u32 *live;
	/* len + 1 halfwords the translation fills: bit r of hi0[i] set when
	 * BPF register r's hi word is 0 on every path to insn i (in the
	 * image: a write that liveness dropped doesn't count); NULL (or
	 * ARMJIT_OPT_LIVE off): none
	 */
	u16 *hi0;
	/* len + 1 entries armjit_scan() fills, once per compile: what
	 * each insn reads and writes (armjit_insn_use_def()), its jumps,
	 * hi0's rule; NULL: liveness unknown (every word live)
	 */
	struct armjit_use_def *use_def;

	/* output */
	u32 *image;			/* NULL in sizing passes */
	int image_words;		/* words image holds: the emitter
					 * writes none past them
					 */
	int idx;			/* next ARM instruction index */
	int *offsets;			/* BPF insn i -> ARM index; len + 1 entries */
	int epilogue_offset;		/* ARM index of the epilogue */
	/* the pass's offsets and saved registers were the previous pass's:
	 * its forward branches are final, another pass the same words
	 */
	bool settled;
	/*
	 * ARMv6K's literal pool (no movw/movt there): a constant that needs
	 * 3 or 4 mov/orr, and every patched address, is one ldr from a
	 * word after the epilogue. lit: the pool is on for this compile
	 * (armjit_passes(): when the image fits ldr's reach,
	 * ARMJIT_LIT_WORDS); its words are at lit_base, where the previous
	 * pass's code ended, one per ldr (lit_n this pass). lit_bad: an ldr
	 * of this pass missed its word (the pool moved, or out of reach):
	 * never the final pass.
	 */
	bool lit;
	bool lit_bad;
	int lit_base;
	int lit_n;

	/* translation private state (register usage, etc.) */
	u32 flags;
	u32 frame_size;			/* bytes below the saved registers */
	int sp_adj;			/* bytes pushed inside the current insn */
	int live_at;			/* live[] of the insn being written */
	int hi0_at;			/* hi0[] of the insn being written */
	/* the program the analyses (is_target[], live[], hi0[], map[],
	 * prog_flags) are for: once per compile, not each pass (insns
	 * patched in place keep them: only immediates change)
	 */
	const struct bpf_insn *analysed;
	int analysed_len;
	/*
	 * the last insn with a jump back (-1: none), the first insn one
	 * lands on (armjit_scan())
	 */
	int back_from, back_to;
	bool ud_known;			/* use_def[] knows every insn */
	int inlined;			/* helper calls in place (scan) */
	int lookups;			/* bpf_map_lookup_elem calls (scan) */
	int lookup_first;		/* the first one's index */
	u32 prog_flags;			/* its FLAG_LEAF, _FRAME, _TAIL_CALL,
					 * _R1_LIVE
					 */
	/* sp offset of the stack word ARM register r holds, or -1: only
	 * ARMJIT_CACHE_REGS' ever do
	 */
	s32 cached[16];
	u16 cvalid;			/* bit r: cached[r] holds one */
	/* ARM registers r0-r12, lr known to hold kval[] (bit per register) */
	u16 kmask;
	u32 kval[16];
	/* ip holds sp + ip_sp (an atomic's stack address) */
	bool ip_sp_ok;
	s32 ip_sp;
	/*
	 * Registers the pass's code wrote (push/pop aside), and what the
	 * prologue saves: a leaf program (no calls) saves only what the
	 * previous pass wrote, once there was one
	 */
	u16 written;
	u16 written_last;
	bool written_ok;
	u16 saved;
	/*
	 * The recording pass (armjit_passes()): the code goes into a
	 * scratch buffer (ctx->image, grown as it fills), and every word
	 * that needs what only the image's address or the whole pass
	 * knows is listed in fix[] (struct armjit_fixup). saved_next: what
	 * a pass after this one would save (a leaf: what this one wrote).
	 */
	bool rec;
	struct armjit_fixup *fix;
	int fix_n, fix_room;
	int push_at;			/* the prologue's push, or -1 */
	const struct armjit_image_ops *rec_ops;
	u16 saved_next;
	/* a test's check: after a recorded compile, one more pass at the
	 * image's address must write the same words
	 */
	bool check_rec;
	bool recorded;			/* out: the image came that way */
	/* a str/strd to [sp, #pend_off] not emitted yet (0: none) */
	u32 pend;
	s32 pend_off;
	u8 pend_n;
	u16 pend_regs;
	/* per-program register mapping, chosen at the start of each pass */
	struct armjit_reg map[MAX_BPF_JIT_REG];
};

/*
 * The optimisations, each on when its bit is in ctx->opt and its buffer
 * is there (a failed allocation only makes the code bigger):
 *   ARMJIT_OPT_TARGETS  jump targets known (ctx->is_target): two insns
 *                       as one, the scratch cache across insns, kept-back
 *                       stores, direct map lookups
 *   ARMJIT_OPT_LIVE     liveness and hi words known 0 (ctx->live,
 *                       ctx->hi0): dead results and hi words not
 *                       written, 64-bit compares of such values 32-bit
 *   ARMJIT_OPT_INLINE   calls of the helpers armjit_rt names emitted in
 *                       place (a call the verifier left as the helper's
 *                       id always is)
 * /sys/kernel/armjit/opt 0 is none of them (a direct translation, one
 * BPF insn at a time), 1 all: armjit_opt_flags().
 */
#define ARMJIT_OPT_TARGETS	0x1
#define ARMJIT_OPT_LIVE		0x2
#define ARMJIT_OPT_INLINE	0x4
#define ARMJIT_OPT_ALL		(ARMJIT_OPT_TARGETS | ARMJIT_OPT_LIVE | \
				 ARMJIT_OPT_INLINE)
#define ARMJIT_OPT_MAX_LEVEL	1

static inline u8 armjit_opt_flags(unsigned int level)
{
	return level ? ARMJIT_OPT_ALL : 0;
}

/* The buffers of the optimisations ctx->opt has on, or NULL. */
static inline u8 *armjit_targets(const struct armjit_ctx *ctx)
{
	return ctx->opt & ARMJIT_OPT_TARGETS ? ctx->is_target : NULL;
}

static inline u32 *armjit_live(const struct armjit_ctx *ctx)
{
	return ctx->opt & ARMJIT_OPT_LIVE ? ctx->live : NULL;
}

static inline u16 *armjit_hi0(const struct armjit_ctx *ctx)
{
	return ctx->opt & ARMJIT_OPT_LIVE ? ctx->hi0 : NULL;
}

/*
 * The most words an image with a literal pool may have: an ldr reaches
 * 4095 bytes past pc + 8, so from any of its words to the last.
 */
#define ARMJIT_LIT_WORDS	1024

/* Permanently undefined instruction: image holes and padding. */
#define ARMJIT_UDF		0xe7fddef1

/*
 * The tail-call ABI between images: where a tail call enters (below) and
 * what it passes there. Images outlive the module, so an armjit of
 * another version may find them in a prog array. Word ARMJIT_MARK_WORD of
 * every main image is the marker UDF #(0xdde0 | version): armjit's tail
 * calls enter only an image whose marker is exactly their own, any other
 * (an older armjit's, the stock JIT's prologue, the interpreter's text)
 * is an empty slot. Version 1, before the version was counted, is
 * ARMJIT_UDF itself. A change to the entry offset, to what arrives in
 * r0/r1 or to the stub must come with a new version. Version 3 (tail
 * calls from subprograms): r1 is the count (at most MAX_TAIL_CALL_CNT) or
 * a pointer to the count shared by the caller's call tree, and every main
 * image returns R0's 64 bits in r0:r1 (a subprogram's caller gets them).
 */
#define ARMJIT_UDF_IMM(imm)	(0xe7f000f0 | ((imm) & 0xfff0) << 4 | \
				 ((imm) & 0xf))
#define ARMJIT_TC_ABI		3
#define ARMJIT_TC_MARK(v)	ARMJIT_UDF_IMM(0xdde0 | ((v) & 0xf))
#define ARMJIT_MARK_WORD	2

/*
 * A stock-JIT'ed program tail-calling an armjit image jumps to
 * bpf_func + the length of its *own* prologue, with its frame still set up
 * (arch/arm/net/bpf_jit_32.c, emit_bpf_tail_call()). Every armjit main
 * image has a stub there that undoes that frame and enters armjit's own
 * tail-call entry. The stock prologue, build_prologue() without
 * CONFIG_FRAME_POINTER (Debian's armmp config) on ARMv7
 * (__LINUX_ARM_ARCH__ >= 6: every 64-bit move to a scratch slot is one
 * strd), one instruction each:
 *	push {r4-r9, fp, lr}		CALLEE_PUSH_MASK
 *	mov fp, sp
 *	mov r3, #0			BPF R1 hi
 *	sub r2, sp, #SCRATCH_SIZE	BPF R1 lo = BPF FP
 *	sub sp, sp, #STACK_SIZE		always an imm8m
 *	strd r2, r3, [fp, #-64]		BPF FP to its scratch slot
 *	mov r2, #0
 *	strd r2, r3, [fp, #-72]		tail-call count = 0
 *	mov r2, r0			BPF R1 = ctx
 * 9 instructions, 36 bytes. build_prologue(), build_epilogue(),
 * emit_bpf_tail_call() and the scratch layout are the same in 6.1.176
 * and 6.12.95 (the Debian kernels armjit supports): one value for both; a
 * newer stock JIT must be checked again.
 * At a tail call the count (64 bits, STACK_OFFSET(BPF_TC_LO) = fp - 72) is
 * already checked against MAX_TAIL_CALL_CNT and incremented; ctx is in
 * r2 (BPF R1 lo).
 */
#ifdef CONFIG_FRAME_POINTER
#error "armjit: the stock-JIT tail-call stub assumes no CONFIG_FRAME_POINTER"
#endif
#define ARMJIT_STOCK_PROLOGUE	36
#define ARMJIT_STOCK_TCC_OFF	(-72)	/* fp-relative, low word */
#define ARMJIT_STOCK_PUSH	0x4bf0	/* {r4-r9, fp, lr} */
#define ARMJIT_STOCK_STUB_WORDS	4

/*
 * The running stock JIT is checked at load, not assumed: armjit compiles
 * a probe program with it (armjit_main.c, armjit_stock_probe()) and
 * compares its prologue and its tail call's landing offset with the
 * above. What the stub of an image then does with a stock caller's tail
 * call (ctx->stock_tc):
 *   ARMJIT_STOCK_TC_ON      all of it as above: enter armjit's tail-call
 *                           entry with the caller's count
 *   ARMJIT_STOCK_TC_REFUSE  the counter or ctx are not where the stub
 *                           looks (or a test says so): refused. The stock
 *                           JIT jumps without a return address, so its
 *                           caller can't be resumed at its "out" label as
 *                           an empty slot would: the stub ends the stock
 *                           program (its epilogue: sp = fp, pop) with R0
 *                           0, the usual "drop"/"deny" verdict. Needs only
 *                           the push, mov fp, sp and the landing offset
 *   ARMJIT_STOCK_TC_TRAP    not even those: udf, an oops rather than a
 *                           jump through a guessed frame
 */
enum armjit_stock_tc {
	ARMJIT_STOCK_TC_ON,
	ARMJIT_STOCK_TC_REFUSE,
	ARMJIT_STOCK_TC_TRAP,
};

/*
 * armjit's own tail calls (armjit_translate.c, emit_tail_call()) enter the
 * target at bpf_func + ARMJIT_TAIL_CALL_OFFSET, right after that stub:
 * past the instruction that zeroes the tail-call count (which then
 * arrives in r1, by value or as a pointer, ctx in r0); the caller has
 * already torn down its own frame. Main image layout, in words:
 *	0		mov r1, #0	bpf_func (only a program with tail
 *					calls, or calls on the way to one,
 *					keeps the count)
 *	0 or 1		b T		over the stub (the normal path's cost)
 *	1 or 2 .. S-1	udf		padding, but word 2: the marker
 *					(ARMJIT_TC_MARK(ARMJIT_TC_ABI))
 *	S .. T-1	the stub	S = ARMJIT_STOCK_PROLOGUE / 4; falls
 *					through into (ARMJIT_STOCK_TC_ON)
 *	T		push ...	T = ARMJIT_TAIL_CALL_OFFSET / 4
 */
#define ARMJIT_TAIL_CALL_OFFSET	(ARMJIT_STOCK_PROLOGUE + \
				 4 * ARMJIT_STOCK_STUB_WORDS)

/*
 * One complete pass: prologue, every BPF instruction, epilogue.
 * While ctx->image is NULL only counts instructions (ctx->idx) and records
 * ctx->offsets; once image is set writes the code, at most
 * ctx->image_words words, forward branches to the previous pass's offsets
 * (final when ctx->settled says so), or with ctx->rec into scratch
 * memory, listing what needs patching (armjit_passes.c). Returns 0, or -EOPNOTSUPP for
 * anything armjit can't translate (the caller then hands the program to
 * the stock JIT), -EINVAL for malformed input, -EFBIG when a branch is out
 * of range, -ENOSPC when the code needs more than ctx->image_words.
 */
int armjit_build(struct armjit_ctx *ctx);
/*
 * The analyses of ctx->insns (armjit_build() runs them once a program):
 * early, they give armjit_find_map_calls() the jump targets too.
 */
int armjit_analyse(struct armjit_ctx *ctx);

/*
 * Where an image comes from (armjit_passes.c asks; armjit_core.c answers
 * with bpf_jit_binary_alloc(), the host runner with mmap). alloc: an image
 * for @words words at the address it will run from, writable, and in
 * *room the words it holds; NULL if none. free: give it back.
 */
struct armjit_image_ops {
	u32 *(*alloc)(void *priv, int words, int *room);
	void (*free)(void *priv, u32 *image);
	/* scratch memory for the recording pass (NULL: none, two passes) */
	void *(*scratch)(void *priv, size_t bytes);
	void (*unscratch)(void *priv, void *p);
	void *priv;
};

/*
 * The recording pass's buffers, grown (doubled) as they fill: false if no
 * memory (the pass then overflows). armjit_rec_fix() lists the word just
 * emitted (ctx->idx - 1) with @val.
 */
bool armjit_rec_grow(struct armjit_ctx *ctx);
void armjit_rec_fix(struct armjit_ctx *ctx, u32 val);

/*
 * A program's passes (armjit_passes.c): size, allocate, write at the
 * image's address, and write again only if that moved anything (then
 * compare). 0: the code is in ctx->image, ctx->idx
 * words; else the image (if any) is freed. -ENOSPC: the final pass
 * wanted more words than the image holds (none written past them),
 * -EFAULT: it came out another size; else armjit_build()'s errors.
 */
int armjit_passes(struct armjit_ctx *ctx, const struct armjit_image_ops *ops);

/*
 * A subprogram's extra pass, its calls now with targets: rewritten in
 * place into @image, its first pass's @words words, which it must fill
 * exactly (-EFAULT). The caller gives ctx what the first pass had
 * (conventions, call sites, blinding key, ctx->opt).
 */
int armjit_extra_passes(struct armjit_ctx *ctx, u32 *image, int words);

/* The helper calls ctx's program has in place (armjit_inline_kind()). */
int armjit_count_inlined(const struct armjit_ctx *ctx);

/*
 * The calls of bpf_map_lookup_elem (armjit_rt.map_lookup_elem) where R1
 * holds a ld_imm64 constant: the ld_imm64 and the call on one path (no
 * jump lands between) and nothing between writes R1; the verifier made
 * sure R1 there is a map. Fills sites[] (at most @max) for ctx->insns,
 * ctx->len (after armjit_analyse(): its jump targets; none without it),
 * each callee the map's lookup as
 * @lookup_of() (the environment's: map->ops->map_lookup_elem) gives it,
 * or 0; returns how many.
 */
int armjit_find_map_calls(struct armjit_ctx *ctx, struct armjit_site *sites,
			  int max, u32 (*lookup_of)(u32 map));

/*
 * Constant blinding (armjit_blind.c), the rewrite of the kernel's
 * bpf_jit_blind_constants() in linear time and without the 16-bit jump
 * offset limit. armjit_blind_size() fills @map (len + 1 entries: insn i ->
 * index of the first insn of its rewrite; map[len] = new length) and
 * returns the new length (or -EINVAL for a truncated ld_imm64,
 * -EOPNOTSUPP for what it leaves to the kernel, -E2BIG). Then
 * armjit_blind_write() writes the program into @out and each jump's
 * offset into @jmp_off (both map[len] entries): -EINVAL for a jump outside
 * the program. @zext: the verifier's explicit zero-extension (verifier_zext).
 * Random values: armjit_blind_rnd(key, insn index), so the same key gives
 * the same program (the extra pass of a subprogram).
 */
struct armjit_blind_key {
	u64 k[2];
};

#define ARMJIT_BLIND_MAX_LEN	(1U << 26)

u32 armjit_blind_rnd(const struct armjit_blind_key *key, u32 i);
int armjit_blind_size(const struct bpf_insn *insns, int len, bool zext,
		      u32 *map);
int armjit_blind_write(const struct bpf_insn *insns, int len, bool zext,
		       const struct armjit_blind_key *key, const u32 *map,
		       struct bpf_insn *out, s32 *jmp_off);

#endif /* ARMJIT_JIT_H */
