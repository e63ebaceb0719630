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

#endif /* __KERNEL__ */

/* cpuv4 (6.6+): absent from 6.1's headers, used by newer verifiers. */
#ifndef BPF_MEMSX
#define BPF_MEMSX		0x80	/* sign-extending load */
#endif

#endif /* ARMJIT_COMPAT_H */
