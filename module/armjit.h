/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armjit module internals shared by the hook (armjit_main.c), the kernel
 * symbol resolver (armjit_syms.c) and the kernel pass loop (armjit_core.c).
 * Kernel-only: the pure JIT lives behind armjit_jit.h.
 */
#ifndef ARMJIT_H
#define ARMJIT_H

#include <linux/atomic.h>
#include <linux/filter.h>
#include "armjit_compat.h"

/* Counters shown in /sys/kernel/armjit/stats. */
struct armjit_stats {
	atomic_long_t seen;		/* programs that reached armjit's entry */
	atomic_long_t compiled;		/* JIT'ed by armjit */
	atomic_long_t stock;		/* handed to the stock JIT */
	atomic_long_t failed;		/* armjit tried and gave up (also in stock) */
	atomic_long_t calls_default;	/* helpers called with the 5 x u64
					 * default: no table entry for them
					 */
	atomic_long_t calls_direct;	/* map lookups calling the map's own
					 * lookup (armjit_find_map_calls())
					 */
	atomic_long_t inlined;		/* helper calls emitted in place
					 * (armjit_inline_kind())
					 */
	atomic_long_t blind_takeover;	/* programs the kernel's blinder
					 * failed on, taken over (ARMJIT_JIT_ENV)
					 */
};

extern struct armjit_stats armjit_stats;

/*
 * Kernel functions that are not exported, resolved at load. Their types
 * are checked against the kernel's declarations (armjit_syms.c); those
 * that differ between kernels are the kernel's own, checked against
 * armjit_compat.h's expectations there.
 */
struct armjit_syms {
	typeof(&bpf_int_jit_compile) bpf_int_jit_compile;
	struct bpf_binary_header *(*bpf_jit_binary_alloc)(unsigned int proglen,
			u8 **image_ptr, unsigned int alignment,
			bpf_jit_fill_hole_t bpf_fill_ill_insns);
	void (*bpf_jit_binary_free)(struct bpf_binary_header *hdr);
	typeof(&bpf_jit_blind_constants) bpf_jit_blind_constants;
	void (*bpf_jit_prog_release_other)(struct bpf_prog *fp,
					   struct bpf_prog *fp_other);
	int (*set_memory_ro)(unsigned long addr, int numpages);
	int (*set_memory_x)(unsigned long addr, int numpages);
	struct vm_struct *(*find_vm_area)(const void *addr);
	typeof(&bpf_base_func_proto) bpf_base_func_proto;
	void (*bpf_prog_fill_jited_linfo)(struct bpf_prog *prog,
					  const u32 *insn_to_jit_off);
};

extern struct armjit_syms armjit_syms;

int armjit_resolve_syms(void);
unsigned long armjit_lookup_name(const char *name);

/*
 * /sys/kernel/armjit/opt: the optimisation level of the next compiles
 * (0: a direct translation, 1: all of them; armjit_opt_flags()).
 */
extern unsigned int armjit_opt;

/*
 * The tail-call ABI version the next images' marker says (debugfs
 * armjit/tc_abi, 0: ARMJIT_TC_ABI) and what their stub does with a stock
 * caller's tail call (enum armjit_stock_tc, set at load).
 */
extern u8 armjit_tc_abi;
extern u8 armjit_stock_tc;

/* debugfs armjit/no_inline: helpers called, never emitted in place */
extern bool armjit_no_inline;

/* Fault injection (debugfs armjit/fail_nth): the n-th point of a compile. */
extern unsigned int armjit_fail_nth;
extern const char * const armjit_fault_sites[];

/*
 * Compile @prog with armjit. Returns the JIT'ed program (possibly a blinded
 * clone), or NULL when armjit can't: @prog is then untouched and goes to
 * the stock JIT.
 */
struct bpf_prog *armjit_jit_compile(struct bpf_prog *prog);

/* A subprogram between the verifier's first and extra JIT pass. */
bool armjit_is_pending(const struct bpf_prog *prog);
/* Extra pass of a subprogram the stock JIT compiled first: refuse it. */
void armjit_drop_foreign(struct bpf_prog *prog);
/* The verifier freed it without the extra pass. */
void armjit_forget_pending(struct bpf_prog *prog);

struct armjit_call_conv;

/* The helper metadata table (armjit_helpers.c). */
int armjit_helpers_init(void);
void armjit_helpers_exit(void);
/* The table's entry for @addr was overridden from sysfs. */
bool armjit_helper_overridden(u32 addr);
int armjit_helpers_for_prog(const struct bpf_prog *prog,
			    struct armjit_call_conv **calls, int *ncalls);
extern const struct attribute_group armjit_helpers_group;

/* libgcc-ABI division routines of arch/arm/lib, exported by the kernel. */
void __aeabi_uidivmod(void);
void __aeabi_idivmod(void);

/* Detect the CPU's features and fill armjit_rt. */
int armjit_rt_init(void);

#endif /* ARMJIT_H */
