/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Instruction builders for the host tests (uapi's linux/bpf.h has the
 * opcodes but not the kernel-internal BPF_*() macros).
 */
#ifndef TESTS_BPF_INSN_H
#define TESTS_BPF_INSN_H

#include <linux/bpf.h>

#ifndef BPF_MEMSX
#define BPF_MEMSX	0x80
#endif
#ifndef BPF_TAIL_CALL
#define BPF_TAIL_CALL	0xf0
#endif

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

#define ALU64_REG(op, d, s)	INSN(BPF_ALU64 | BPF_OP(op) | BPF_X, d, s, 0, 0)
#define ALU32_REG(op, d, s)	INSN(BPF_ALU | BPF_OP(op) | BPF_X, d, s, 0, 0)
#define ALU64_IMM(op, d, i)	INSN(BPF_ALU64 | BPF_OP(op) | BPF_K, d, 0, 0, i)
#define ALU32_IMM(op, d, i)	INSN(BPF_ALU | BPF_OP(op) | BPF_K, d, 0, 0, i)
#define MOV64_REG(d, s)		ALU64_REG(BPF_MOV, d, s)
#define MOV32_REG(d, s)		ALU32_REG(BPF_MOV, d, s)
#define MOV64_IMM(d, i)		ALU64_IMM(BPF_MOV, d, i)
#define MOV32_IMM(d, i)		ALU32_IMM(BPF_MOV, d, i)
#define ZEXT_REG(d)		INSN(BPF_ALU | BPF_MOV | BPF_X, d, d, 0, 1)
#define NEG64(d)		INSN(BPF_ALU64 | BPF_NEG | BPF_K, d, 0, 0, 0)
#define NEG32(d)		INSN(BPF_ALU | BPF_NEG | BPF_K, d, 0, 0, 0)
#define ENDIAN(type, d, len)	INSN(BPF_ALU | BPF_END | (type), d, 0, 0, len)
/* cpuv4 */
#define BSWAP(d, len)		INSN(BPF_ALU64 | BPF_END | BPF_TO_LE, d, 0, 0, len)
#define MOVSX64_REG(d, s, o)	INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, o, 0)
#define MOVSX32_REG(d, s, o)	INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, o, 0)
#define LDX_MEMSX(sz, d, s, o)	INSN(BPF_LDX | BPF_SIZE(sz) | BPF_MEMSX, d, s, o, 0)
#define GOTOL(i)		INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, i)

#define LD_IMM64_RAW(d, s, v) \
	INSN(BPF_LD | BPF_DW | BPF_IMM, d, s, 0, (__s32)(__u32)(__u64)(v)), \
	INSN(0, 0, 0, 0, (__s32)(__u32)((__u64)(v) >> 32))
#define LD_IMM64(d, v)		LD_IMM64_RAW(d, 0, v)

#define LDX_MEM(sz, d, s, o)	INSN(BPF_LDX | BPF_SIZE(sz) | BPF_MEM, d, s, o, 0)
#define STX_MEM(sz, d, s, o)	INSN(BPF_STX | BPF_SIZE(sz) | BPF_MEM, d, s, o, 0)
#define ST_MEM(sz, d, o, i)	INSN(BPF_ST | BPF_SIZE(sz) | BPF_MEM, d, 0, o, i)
#define ATOMIC_OP(sz, op, d, s, o) \
	INSN(BPF_STX | BPF_SIZE(sz) | BPF_ATOMIC, d, s, o, op)

#define JMP_REG(op, d, s, o)	INSN(BPF_JMP | BPF_OP(op) | BPF_X, d, s, o, 0)
#define JMP_IMM(op, d, i, o)	INSN(BPF_JMP | BPF_OP(op) | BPF_K, d, 0, o, i)
#define JMP32_REG(op, d, s, o)	INSN(BPF_JMP32 | BPF_OP(op) | BPF_X, d, s, o, 0)
#define JMP32_IMM(op, d, i, o)	INSN(BPF_JMP32 | BPF_OP(op) | BPF_K, d, 0, o, i)
#define JA(o)			INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL_IMM(i)		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, i)
#define CALL_PSEUDO(o)		INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, o)
#define TAIL_CALL()		INSN(BPF_JMP | BPF_TAIL_CALL, 0, 0, 0, 0)
#define EXIT()			INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#endif
