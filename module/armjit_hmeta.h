/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helper metadata table's pure part (armjit_hmeta.c): entries keyed
 * by function address, learning them from a program type's func-proto
 * resolver, and judging overrides. The kernel glue (resolvers, sysfs,
 * locking) is armjit_helpers.c; host tests drive this part with stand-in
 * resolvers (tests/host/cases_hmeta.c).
 */
#ifndef ARMJIT_HMETA_H
#define ARMJIT_HMETA_H

#include "armjit_compat.h"
#include "armjit_jit.h"

#define ARMJIT_NAME_LEN		48

enum armjit_source {
	ARMJIT_SRC_KERNEL,	/* a bpf_func_proto of the running kernel */
	ARMJIT_SRC_BUILTIN,	/* a BPF_CALL_x the kernel's own rewrites call
				 * (classic BPF conversion, LD_ABS): armjit's
				 * list
				 */
	ARMJIT_SRC_DEFAULT,	/* seen at JIT time, no metadata: 5 x u64 */
};

/* types: bit 0 (BPF_PROG_TYPE_UNSPEC) is bpf_base_func_proto() at load. */
#define ARMJIT_TYPE_BASE	0
#define ARMJIT_MAX_TYPES	64

struct armjit_helper {
	char name[ARMJIT_NAME_LEN];
	int id;				/* BPF_FUNC_* or -1 */
	u8 source;			/* enum armjit_source */
	bool overridden;
	u64 types;			/* program types whose resolver gave it */
	struct armjit_call_conv cur;	/* what call sites use */
	struct armjit_call_conv def;	/* what reset restores */
};

struct armjit_htable {
	struct armjit_helper *h;
	int n, max;
	/* names a new entry (kernel: the symbol) */
	void (*name_of)(u32 addr, char *buf, int size);
};

/* One resolver answer, reduced to what a call site needs. */
struct armjit_proto {
	u32 addr;
	u8 nargs;
	u8 arg_size[ARMJIT_MAX_ARGS];
	u8 ret_size;
};

/* @arg's resolver for helper @id: 0 and *p filled, or -ENOENT. */
typedef int (*armjit_resolve_fn)(void *arg, int id, struct armjit_proto *p);

/*
 * Helper ids whose resolution has a side effect (enables a trace event,
 * logs a warning, asks the lockdown LSM, which may log and audit), with
 * the function each resolves to: a sweep asks for one only when the
 * program being compiled calls that function (the verifier then asked
 * the same resolver the same question for this program).
 */
struct armjit_side_effect {
	int id;
	const char *func;
};

#define ARMJIT_NR_SIDE_EFFECTS	7
extern const struct armjit_side_effect
	armjit_side_effects[ARMJIT_NR_SIDE_EFFECTS];

struct armjit_helper *armjit_ht_find(const struct armjit_htable *t, u32 addr);
struct armjit_helper *armjit_ht_find_name(const struct armjit_htable *t,
					  const char *name);
struct armjit_helper *armjit_ht_add(struct armjit_htable *t, u32 addr,
				    int id, u8 source,
				    const struct armjit_call_conv *def);
int armjit_ht_learn(struct armjit_htable *t, int id,
		    const struct armjit_proto *p, int type);
int armjit_sweep(struct armjit_htable *t, int type, armjit_resolve_fn fn,
		 void *arg, const u32 *side_addr, const u32 *called,
		 int ncalled);
void armjit_default_conv(struct armjit_call_conv *c, u32 addr);
bool armjit_conv_narrower(const struct armjit_call_conv *def,
			  const struct armjit_call_conv *c);

#endif /* ARMJIT_HMETA_H */
