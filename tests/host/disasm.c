// SPDX-License-Identifier: GPL-2.0
/* Tiny BPF disassembler for failure diagnostics. */
#include <stdio.h>
#include "runner.h"
#include "disasm.h"

static const char *alu_op[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	"neg", "%=", "^=", "=", "s>>=", "end", "?", "?",
};
static const char *jmp_op[16] = {
	"ja", "==", ">", ">=", "&", "!=", "s>", "s>=",
	"call", "exit", "<", "<=", "s<", "s<=", "?", "tail_call",
};
static const char *size_name[4] = { "u32", "u16", "u8", "u64" };

void disasm_insn(const struct bpf_insn *insns, int i, int len, char *buf, int n)
{
	const struct bpf_insn *in = &insns[i];
	u8 code = in->code, cls = BPF_CLASS(code), op = BPF_OP(code);
	const char *sz = size_name[BPF_SIZE(code) >> 3];
	char w = cls == BPF_ALU || cls == BPF_JMP32 ? 'w' : 'r';
	int l;

	l = snprintf(buf, n, "%5d: %02x %x %x %6d %11d  ", i, code, in->dst_reg,
		     in->src_reg, in->off, in->imm);
	buf += l;
	n -= l;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_NEG)
			snprintf(buf, n, "%c%d = -%c%d", w, in->dst_reg, w, in->dst_reg);
		else if (op == BPF_END)
			snprintf(buf, n, "r%d = %s%d r%d", in->dst_reg,
				 BPF_SRC(code) == BPF_TO_BE ? "be" : "le", in->imm,
				 in->dst_reg);
		else if (cls == BPF_ALU && op == BPF_MOV && BPF_SRC(code) == BPF_X &&
			 in->imm == 1)
			snprintf(buf, n, "zext r%d (w%d = w%d, imm 1)", in->dst_reg,
				 in->dst_reg, in->src_reg);
		else if (BPF_SRC(code) == BPF_X)
			snprintf(buf, n, "%c%d %s %c%d", w, in->dst_reg, alu_op[op >> 4],
				 w, in->src_reg);
		else
			snprintf(buf, n, "%c%d %s %d (0x%x)", w, in->dst_reg,
				 alu_op[op >> 4], in->imm, (u32)in->imm);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_JA)
			snprintf(buf, n, "goto %+d -> %d", in->off, i + in->off + 1);
		else if (op == BPF_EXIT)
			snprintf(buf, n, "exit");
		else if (op == BPF_CALL)
			if (in->src_reg == BPF_PSEUDO_CALL)
				snprintf(buf, n, "call pc%+d -> %d", in->imm,
					 i + in->imm + 1);
			else
				snprintf(buf, n, "call helper %d", in->imm);
		else if (op == BPF_TAIL_CALL)
			snprintf(buf, n, "tail_call");
		else if (BPF_SRC(code) == BPF_X)
			snprintf(buf, n, "if %c%d %s %c%d goto %d", w, in->dst_reg,
				 jmp_op[op >> 4], w, in->src_reg, i + in->off + 1);
		else
			snprintf(buf, n, "if %c%d %s %d (0x%x) goto %d", w, in->dst_reg,
				 jmp_op[op >> 4], in->imm, (u32)in->imm, i + in->off + 1);
		break;
	case BPF_LDX:
		snprintf(buf, n, "r%d = *(%s *)(r%d %+d)", in->dst_reg, sz,
			 in->src_reg, in->off);
		break;
	case BPF_ST:
		snprintf(buf, n, "*(%s *)(r%d %+d) = %d", sz, in->dst_reg, in->off,
			 in->imm);
		break;
	case BPF_STX:
		if (BPF_MODE(code) == BPF_ATOMIC)
			snprintf(buf, n, "atomic %s (r%d %+d) op 0x%x r%d", sz,
				 in->dst_reg, in->off, in->imm, in->src_reg);
		else
			snprintf(buf, n, "*(%s *)(r%d %+d) = r%d", sz, in->dst_reg,
				 in->off, in->src_reg);
		break;
	case BPF_LD:
		if (code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 < len &&
		    in->src_reg == BPF_PSEUDO_FUNC)
			snprintf(buf, n, "r%d = func pc%+d -> %d ll", in->dst_reg,
				 in->imm, i + in->imm + 1);
		else if (code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 < len)
			snprintf(buf, n, "r%d = 0x%llx ll", in->dst_reg,
				 (unsigned long long)((u64)(u32)in[0].imm |
						      (u64)(u32)in[1].imm << 32));
		else
			snprintf(buf, n, "(ld)");
		break;
	default:
		snprintf(buf, n, "?");
	}
}

void disasm_dump(const struct bpf_insn *insns, int len, int lo, int hi)
{
	char buf[160];
	int i;

	if (lo < 0)
		lo = 0;
	if (hi > len)
		hi = len;
	printf("#   pc  code d s    off         imm\n");
	for (i = lo; i < hi; i++) {
		disasm_insn(insns, i, len, buf, sizeof(buf));
		printf("# %s\n", buf);
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW))
			i++;
	}
}
