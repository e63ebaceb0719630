/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armjit host-side test runner: JIT a BPF program with armjit_build(), run
 * it natively (armhf, under qemu-user), run the reference interpreter on the
 * same input, and compare R0 and the memory the program wrote.
 */
#ifndef TESTS_RUNNER_H
#define TESTS_RUNNER_H

#include "armjit_jit.h"
#include "bpf_insn.h"

#define R0	BPF_REG_0
#define R1	BPF_REG_1
#define R2	BPF_REG_2
#define R3	BPF_REG_3
#define R4	BPF_REG_4
#define R5	BPF_REG_5
#define R6	BPF_REG_6
#define R7	BPF_REG_7
#define R8	BPF_REG_8
#define R9	BPF_REG_9
#define R10	BPF_REG_10

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * One function of a program with bpf-to-bpf calls, as the verifier's
 * jit_subprogs() splits it: insns [start, start + len) of the program,
 * copied, pseudo calls/funcs patched; its own image.
 */
#define MAX_FUNCS	64
struct host_func {
	int start, len;
	struct bpf_insn *insns;		/* the copy the JIT sees */
	int *target;			/* per insn: callee function, or -1 */
	u32 stack_depth;
	u32 *image;
	size_t image_size;		/* mapping */
	int words;			/* ARM instructions */
	int epilogue_offset;		/* ARM index of the epilogue */
	int pool;			/* words of ARMv6K's literal pool
					 * (the image's last)
					 */
	struct host_blind *blind;	/* its blinded rewrite, or NULL */
	bool tc_reach;			/* aux->tail_call_reachable */
};

/*
 * A program constant-blinded by armjit_blind_size()/armjit_blind_write(),
 * as armjit_jit_compile() does with bpf_jit_harden: what the translation
 * runs on (the interpreter runs the original).
 */
struct host_blind {
	struct bpf_insn *insns;
	s32 *jmp_off;
	u32 *map;			/* original len + 1 entries */
	int len;
};

/* Key of function @f's blinding (fixed: reproducible runs). */
struct armjit_blind_key host_blind_key(int f);
int host_blind(const struct bpf_insn *insns, int len, bool zext,
	       const struct armjit_blind_key *key, struct host_blind *b);
void host_blind_free(struct host_blind *b);

/* A program as the JIT and the interpreter see it (also a tail-call target). */
struct host_prog {
	struct bpf_prog prog;		/* stand-in; bpf_func = JIT image */
	const struct bpf_insn *insns;
	int len;
	u32 stack_depth;
	/* helper conventions for the JIT; the interpreter calls wrap[i]
	 * (a 5 x u64 twin) instead of calls[i].addr
	 */
	const struct armjit_call_conv *calls;
	void *const *wrap;
	int ncalls;
	/* bpf-to-bpf: stack depth of function i (by start address order;
	 * function 0 is the main one); NULL or i >= nfunc_stack: stack_depth
	 */
	const u32 *func_stack;
	int nfunc_stack;
	void *image;
	size_t image_size;
	int jit_err;
	bool blind;			/* JIT it constant-blinded (armjit_blind) */
	bool zext;			/* verifier_zext (also for the blinding) */
	u8 tc_abi;			/* armjit_ctx's: 0 = ARMJIT_TC_ABI */
	u8 stock_tc;			/* enum armjit_stock_tc */
	/* a test's hook: each image holds this many words fewer than
	 * armjit_passes() asks (cases_misc.c: image_room)
	 */
	u8 image_short;
	int words;			/* set by host_prog_jit(): ARM insns */
	int epilogue_offset;		/* ... and where its epilogue starts */
	int pool;			/* ... the literal pool's words */
	/* set by host_prog_jit() when the program has pseudo calls/funcs */
	struct host_func *funcs;
	int nfuncs;
};

/* Function starts (sorted, [0] = 0) as the verifier finds them: insn 0
 * and every BPF_PSEUDO_CALL / BPF_PSEUDO_FUNC target. Returns how many,
 * or -EINVAL (target outside the program, too many).
 */
int find_subprogs(const struct bpf_insn *insns, int len, int *starts, int max);
/* stack depth of the function starting at insn @start */
u32 func_stack_depth(const struct host_prog *hp, const int *starts, int n,
		     int start);
bool is_pseudo_func(const struct bpf_insn *in);
bool is_pseudo_call(const struct bpf_insn *in);

/* Test flags */
#define F_UNSUPP_OK	0x1	/* -EOPNOTSUPP from the JIT is expected: SKIP */
#define F_EXPECT_R0	0x2	/* compare R0 with .expect_r0 as well */
#define F_NO_MEMCMP	0x4	/* don't compare ctx memory */
#define F_ZEXT		0x8	/* verifier_zext = true */
#define F_ZEXT_INSERT	0x10	/* insert the verifier's zext after 32-bit defs */
#define F_BLIND		0x20	/* constant blinding through BPF_REG_AX */
#define F_EXPECT_ERR	0x40	/* malformed: JIT must return -EINVAL/-EOPNOTSUPP */
#define F_DECLINE	0x80	/* with F_EXPECT_ERR: -EOPNOTSUPP only (stock JIT's) */

struct test_case {
	const char *name;
	const struct bpf_insn *insns;
	int len;
	u32 stack_depth;		/* 0: 512 */
	u8 *ctx;			/* initial ctx buffer (R1); NULL: zeroes */
	u32 ctx_size;			/* 0: 64 */
	u64 expect_r0;
	u32 flags;
	/* Optional: explain 8-byte word i of the ctx buffer (diagnostics). */
	void (*describe)(const struct test_case *t, int word, char *buf, int n,
			 int *insn_lo, int *insn_hi);
	void *priv;
	/* Optional: called before each of the two runs (reset helper state). */
	void (*reset)(const struct test_case *t);
	/* Helper conventions (NULL: every call 5 x u64), see host_prog. */
	const struct armjit_call_conv *calls;
	void *const *wrap;
	int ncalls;
	/* Set by the runner for rewritten programs: the original, whose
	 * interpreted result must equal the rewritten one's.
	 */
	const struct bpf_insn *orig_insns;
	int orig_len;
	/* bpf-to-bpf: stack depth of each function (see host_prog). */
	const u32 *func_stack;
	int nfunc_stack;
	/* Extra programs this test tail-calls (JIT'ed before the main one). */
	struct host_prog **extra;
	int nr_extra;
};

/* Static tables, lib/test_bpf.c style. Length: up to the last non-zero code. */
#define MAX_STATIC_INSNS	128
struct static_case {
	const char *name;
	struct bpf_insn insns[MAX_STATIC_INSNS];
	u8 data[64];			/* ctx buffer */
	u64 expect_r0;
	u32 flags;
	u32 stack_depth;
};

/* Growable instruction buffer for generated programs. */
struct prog_buf {
	struct bpf_insn *insns;
	int len, cap;
};

void pb_init(struct prog_buf *pb);
void pb_emit(struct prog_buf *pb, struct bpf_insn insn);
void pb_ld64(struct prog_buf *pb, int reg, u64 v);
void pb_free(struct prog_buf *pb);
#define PB(pb, ...) do {						\
		const struct bpf_insn __i[] = { __VA_ARGS__ };		\
		for (unsigned int __k = 0; __k < ARRAY_SIZE(__i); __k++)	\
			pb_emit(pb, __i[__k]);				\
	} while (0)

/* Run one test, print its KTAP line. Returns true if ok. */
bool run_test(const struct test_case *t);
/* run_test() of the program in @pb, all other fields zero but @flags. */
bool run_pb(const char *name, const struct prog_buf *pb, u32 flags);
bool run_static(const struct static_case *s);
/* A check that runs no program: its KTAP line (selection, counting). */
bool report(const char *name, bool ok);
int static_len(const struct bpf_insn *insns, int max);

/*
 * A test running native code of its own (crash containment, KTAP line):
 * @fn returns true on success, else explains in @msg.
 */
bool run_native(const char *name, bool (*fn)(void *arg, char *msg, int n),
		void *arg);

/*
 * Run a JIT'ed image on @ctx, crashes and hangs (5 s of CPU) contained:
 * 0 and *r0, or -EFAULT with what happened in @msg.
 */
int host_run_image(void *image, void *ctx, u64 *r0, char *msg, int n);
/* The verifier's zero-extensions inserted after every 32-bit def (malloc'ed). */
struct bpf_insn *host_zext_insert(const struct bpf_insn *insns, int len,
				  int *nlen);
/* armjit-test [--hwdiv=N] fuzz ...: the host fuzzer (fuzz.c, make fuzz-host) */
int fuzz_main(int argc, char **argv);

/* words found written after an image's room (host_prog.image_short) */
extern int host_guard_bad;

/* Tail-call support: JIT (hp->image) and interpreter use the same objects. */
int host_prog_jit(struct host_prog *hp);
/* ARM words of hp's image matching (w & mask) == val */
int count_words(const struct host_prog *hp, u32 mask, u32 val);
/*
 * run_test(@t), then (when check @name is selected) its program JIT'ed
 * alone: n[i] its words matching pattern i (-1: the JIT failed). False:
 * not run (reported ok, as when counting).
 */
bool jit_count2(const struct test_case *t, const char *name,
		const u32 pat[2][2], int n[2]);
void host_prog_free(struct host_prog *hp);

/* Random numbers with a fixed seed. */
u64 rnd64(void);

/*
 * A stand-in map: bpf_map_lookup_elem with R1 = &map (ld_imm64) calls
 * map->lookup directly (armjit_find_map_calls(), as the kernel module
 * resolves map->ops->map_lookup_elem); host_map_lookup_elem is the helper
 * (armjit_rt.map_lookup_elem), which calls it too, with host_in_helper set.
 */
struct host_map {
	void *(*lookup)(struct host_map *map, void *key);
	void *priv;
};
u64 host_map_lookup_elem(u64 map, u64 key, u64 c, u64 d, u64 e);
extern bool host_in_helper;
/* call sites host_prog_jit() resolved to a direct lookup, last program */
extern int host_direct_sites;

/* Helper-call address for BPF_CALL imm. */
s32 helper_imm(void *fn);

/* Case groups. Each runs its tests; counts go through run_test(). */
void cases_alu(void);
void cases_jmp(void);
void cases_mem(void);
void cases_atomic(void);
void cases_call(void);
void cases_tailcall(void);
void cases_subprog(void);
void cases_misc(void);
void cases_blind(void);
void cases_peephole(void);
void cases_hmeta(void);
void cases_image_room(void);

/* Test selection: only names containing this substring (NULL: all). */
extern const char *test_filter;
extern bool verbose;
extern bool peephole;
extern bool ret32;		/* --ret32: ctx->ret32 for main programs */
extern bool liveness;		/* ctx->live: dead words dropped */
extern bool near_calls;
extern __thread u32 host_cpu;	/* the CPU number inlined helpers read */
extern bool counting;		/* first pass: only count tests */
bool want(const char *name);

#endif
