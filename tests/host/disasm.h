/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TESTS_DISASM_H
#define TESTS_DISASM_H
void disasm_insn(const struct bpf_insn *insns, int i, int len, char *buf, int n);
void disasm_dump(const struct bpf_insn *insns, int len, int lo, int hi);
#endif
