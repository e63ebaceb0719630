/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The thin layer between armjit's pure JIT code (encoders, translation) and
 * its environment: the kernel, or armhf user space for host-side tests.
 * Only this header may differ between the two builds.
 */
#ifndef ARMJIT_COMPAT_H
#define ARMJIT_COMPAT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/bug.h>
#include <linux/stddef.h>
#include <linux/filter.h>
#include <linux/bpf.h>
/*
 * The kernels armjit was checked against, and every difference between
 * them that armjit relies on, here and nowhere else. Another kernel is
 * refused at build (dkms.conf skips it first): its JIT entry, blinding,
 * tail-call layout or stock JIT prologue may differ (README: adding a
 * kernel). ARMJIT_KV_MAJOR/MINOR: the kernel Makefile's VERSION and
 * PATCHLEVEL (Kbuild).
 *   ARMJIT_JIT_ENV	7.2: bpf_int_jit_compile(env, prog), so prog is in
 *			r1; the caller blinds before the JIT
 *			(bpf_prog_jit_compile(), bpf_jit_subprogs()) with
 *			bpf_jit_blind_constants(env, prog).
 *   ARMJIT_PROTO_PROG	6.12, 7.2: bpf_base_func_proto(id, prog).
 *   ARMJIT_BIN_CONST	7.2: sysfs hands binary attributes const (their
 *			read(), an attribute group's bin_attrs).
 *   ARMJIT_ZEXT_TRUSTED	0 on 7.2: its verifier leaves out zero-extensions
 *			a later 64-bit read needs (BPF_F_TEST_RND_HI32
 *			shows it under the interpreter too, and armjit's
 *			fuzzer did), so armjit clears the hi word of
 *			every 32-bit result itself, as without
 *			verifier_zext.
 *   ARMJIT_TC_COUNT_EMPTY	1 before 7.2: a tail call to an empty slot counts
 *			toward MAX_TAIL_CALL_CNT (the interpreter's order:
 *			count, then the NULL check); 7.2 counts only
 *			taken ones (its tailcall3 selftest asserts it).
 */
#define ARMJIT_KV(a, b)	(ARMJIT_KV_MAJOR == (a) && ARMJIT_KV_MINOR == (b))
#if ARMJIT_KV(6, 1)
#define ARMJIT_JIT_ENV		0
#define ARMJIT_PROTO_PROG	0
#define ARMJIT_BIN_CONST
#define ARMJIT_ZEXT_TRUSTED	1
#define ARMJIT_TC_COUNT_EMPTY	1
#elif ARMJIT_KV(6, 12)
#define ARMJIT_JIT_ENV		0
#define ARMJIT_PROTO_PROG	1
#define ARMJIT_BIN_CONST
#define ARMJIT_ZEXT_TRUSTED	1
#define ARMJIT_TC_COUNT_EMPTY	1
#elif ARMJIT_KV(7, 2)
#define ARMJIT_JIT_ENV		1
#define ARMJIT_PROTO_PROG	1
#define ARMJIT_BIN_CONST	const
#define ARMJIT_ZEXT_TRUSTED	0
#define ARMJIT_TC_COUNT_EMPTY	0
#else
#error "armjit knows the internals of 6.1, 6.12 and 7.2 kernels only (README: adding a kernel)"
#endif

/*
 * The parameters armjit expects of the unexported functions that differ
 * between kernels; armjit_syms.c checks every such function against the
 * kernel's own declaration. armjit_jit_call(fn) calls a function taking
 * ARMJIT_JIT_PARAMS with the caller's own parameters of those names.
 */
#if ARMJIT_JIT_ENV
struct bpf_verifier_env;
#define ARMJIT_JIT_PARAMS	struct bpf_verifier_env *env, struct bpf_prog *prog
#define ARMJIT_BLIND_PARAMS	struct bpf_verifier_env *env, struct bpf_prog *prog
#define ARMJIT_JIT_PROG_REG	ARM_r1
#define armjit_jit_call(fn)	((fn)(env, prog))
#else
#define ARMJIT_JIT_PARAMS	struct bpf_prog *prog
#define ARMJIT_BLIND_PARAMS	struct bpf_prog *prog
#define ARMJIT_JIT_PROG_REG	ARM_r0
#define armjit_jit_call(fn)	((fn)(prog))
#endif

#if ARMJIT_PROTO_PROG
#define ARMJIT_PROTO_PARAMS	enum bpf_func_id id, const struct bpf_prog *prog
#define armjit_call_proto(fn, id, prog)	((fn)(id, prog))
#else
#define ARMJIT_PROTO_PARAMS	enum bpf_func_id id
#define armjit_call_proto(fn, id, prog)	((fn)(id))
#endif

/*
 * The kernel's constant blinding of @prog, for a program armjit's own
 * blinder could not rewrite. Where the caller blinds (ARMJIT_JIT_ENV) a
 * program that still needs it is not for armjit: an error sends it to
 * the stock JIT, as the kernel would.
 */
static inline struct bpf_prog *
armjit_kernel_blind(struct bpf_prog *(*blind)(ARMJIT_BLIND_PARAMS),
		    struct bpf_prog *prog)
{
#if ARMJIT_JIT_ENV
	if (prog->blinding_requested && !prog->blinded)
		return ERR_PTR(-EOPNOTSUPP);
	return prog;
#else
	return blind(prog);
#endif
}

/*
 * ARMJIT_JIT_ENV: a program that reaches the JIT still needing blinding
 * is one armjit took over (armjit_main.c: the kernel's blinder failed on
 * it). The stock JIT there never blinds: such a program is armjit's or
 * the interpreter's.
 */
static inline bool armjit_taken_over(const struct bpf_prog *prog)
{
	return ARMJIT_JIT_ENV && prog->blinding_requested && !prog->blinded;
}

#if ARMJIT_JIT_ENV
#include <linux/bpf_verifier.h>
#include <linux/vmalloc.h>

/*
 * An unblinded copy of @prog in the verifier's place, as the kernel's
 * bpf_prog_clone_create() makes one (static there): aux shared, freed by
 * bpf_jit_prog_release_other() like the kernel's blinded clone. Not JIT
 * requested: if armjit's probe were gone before the JIT is called, the
 * stock JIT declines it and the interpreter runs the original.
 */
static inline struct bpf_prog *armjit_unblinded_clone(struct bpf_verifier_env *env,
						      struct bpf_prog *prog)
{
	struct bpf_prog *clone;

	clone = __vmalloc(prog->pages * PAGE_SIZE, GFP_USER | __GFP_ZERO);
	if (!clone)
		return NULL;
	memcpy(clone, prog, prog->pages * PAGE_SIZE);
	clone->jit_requested = 0;
	if (env)
		env->prog = clone;
	return clone;
}
#endif

#else /* host build: armhf user space */

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <string.h>
#include <linux/bpf.h>		/* uapi: struct bpf_insn, opcodes */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef ENOTSUPP
#define ENOTSUPP	524
#endif

/* Kernel-internal BPF definitions absent from the uapi header. */
#define BPF_REG_AX		MAX_BPF_REG
#define BPF_REG_FP		BPF_REG_10
#define MAX_BPF_JIT_REG		(MAX_BPF_REG + 1)
#define BPF_NOSPEC		0xc0
#define BPF_PROBE_MEM		0x20
#define BPF_TAIL_CALL		0xf0
#define MAX_TAIL_CALL_CNT	33

/* Stand-ins with the fields the JIT'ed tail-call code reads. */
struct bpf_prog {
	u32 pad[4];
	unsigned int (*bpf_func)(const void *ctx, const struct bpf_insn *insn);
};

struct bpf_map {
	u32 pad[5];
	u32 max_entries;
};

struct bpf_array {
	struct bpf_map map;
	u32 pad[3];
	void *ptrs[];
};

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define WARN_ON_ONCE(x)	(!!(x))
#define __uninitialized		/* no automatic zeroing of locals here */

#endif /* __KERNEL__ */

/* cpuv4 (6.6+): absent from 6.1's headers, used by newer verifiers. */
#ifndef BPF_MEMSX
#define BPF_MEMSX		0x80	/* sign-extending load */
#endif

/* 6.15+: atomic imm of load-acquire, store-release (8 to 32 bits here). */
#ifndef BPF_LOAD_ACQ
#define BPF_LOAD_ACQ		0x100
#define BPF_STORE_REL		0x110
#endif

#endif /* ARMJIT_COMPAT_H */
