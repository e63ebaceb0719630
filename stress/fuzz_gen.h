/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differential fuzzers' program generator (fuzz_gen.c), shared by the
 * guest fuzzer (stress/fuzz.c) and the host one (tests/host/fuzz.c). What
 * differs between them is the environment: how a map is loaded (a map fd
 * the verifier resolves, or the address of a stand-in) and how a helper
 * is called (its id, or the address of a stand-in; the verifier's tail
 * call rewrite).
 */
#ifndef STRESS_FUZZ_GEN_H
#define STRESS_FUZZ_GEN_H

#include <stdint.h>
#include <stdbool.h>
#include <linux/bpf.h>

/* The layout the programs assume. */
#define FUZZ_VAL	144	/* map value: 64 bytes of random ops, then the dump */
#define FUZZ_NKEY	4	/* keys 0..2 random ops, 3: the final dump */
#define FUZZ_DATA	(-216)	/* 144-byte stack data area [FP-216, FP-72) */
#define FUZZ_DATAW	144
#define FUZZ_SUBSTK	32	/* each subprogram's stack: [FP-32, FP) */
#define FUZZ_MAXSUB	4	/* subprograms at most */
#define FUZZ_CTX_LEN	68	/* ctx words loaded: offsets 0..64 */
#define FUZZ_PKT_LEN	64	/* skb_load_bytes offsets run up to 72 */
#define FUZZ_MAXI	4096

enum { FUZZ_MAP_ARRAY, FUZZ_MAP_PROGS };

struct fuzz_env {
	/* ld_imm64 of a map: src_reg and the value, per FUZZ_MAP_* */
	uint8_t map_src;
	uint64_t map[2];
	/* the insn that calls helper @func (BPF_FUNC_*) */
	struct bpf_insn (*call)(int func);
	/* some programs with subprograms tail-call from them (and from
	 * main): only where a JIT runs them, never the kernel's interpreter
	 */
	bool sub_tail;
	/* 7.2's load-acquire and store-release (B/H/W) on the stack too:
	 * only where the verifier takes them (the host; sid)
	 */
	bool acq_rel;
};

struct fuzz_prog {
	struct bpf_insn insns[FUZZ_MAXI];
	int len;
	bool use_calls;		/* bpf-to-bpf calls (then no tail calls) */
	int nsub;		/* subprograms, after main's code */
	bool sub_tail;		/* tail calls in subprograms (and main) */
	int groups;		/* the seed's group count */
};

int fuzz_gen(const struct fuzz_env *env, uint64_t seed, int groups,
	     struct fuzz_prog *out);
void fuzz_bytes(uint64_t seed, unsigned char *buf, int len);

#endif
