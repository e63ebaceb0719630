// SPDX-License-Identifier: GPL-2.0
/*
 * pcount: a QEMU TCG plugin for `make profile` (bench/profile). Counts
 * every executed guest instruction whose virtual address lies in the
 * arm32 module area [0xbf000000, 0xc0000000), where the kernel's
 * module_alloc() puts BPF images, and writes one "ADDR COUNT" line (hex
 * address, decimal count) per executed address at exit:
 *
 *	qemu-system-arm ... -plugin pcount.so,out=FILE
 *
 * Build: gcc -shared -fPIC -O2 -o pcount.so pcount.c (no QEMU headers).
 *
 * The plugin API is declared by hand below: Debian 12's qemu-system-arm
 * (QEMU 7.2) is built with plugin support (-plugin) but no package ships
 * qemu-plugin.h. The declarations are those of QEMU 7.2's
 * include/qemu/qemu-plugin.h (QEMU_PLUGIN_VERSION 1), only the ones used.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

#define AREA_LO		0xbf000000ull
#define AREA_HI		0xc0000000ull
/* One slot per 4-byte ARM instruction (the armmp kernels are not Thumb-2). */
#define NR_SLOTS	((AREA_HI - AREA_LO) / 4)

static uint64_t *count;
static uint32_t *opcode;	/* the instruction last translated at the slot */
static const char *out_path = "pcount.out";

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		uint64_t slot;
		uint32_t op = 0;

		if (va < AREA_LO || va >= AREA_HI)
			continue;
		slot = (va - AREA_LO) / 4;
		memcpy(&op, qemu_plugin_insn_data(insn),
		       qemu_plugin_insn_size(insn) < 4 ?
		       qemu_plugin_insn_size(insn) : 4);
		/*
		 * Other code at this address: freed memory reused, e.g. a
		 * module's .init.text now holding the BPF image. QEMU
		 * invalidates the old code's TBs on the write, so starting
		 * over here drops only counts of code that is gone.
		 */
		if (opcode[slot] != op) {
			opcode[slot] = op;
			count[slot] = 0;
		}
		/*
		 * Not atomic: scripts/vm runs one vCPU (-smp 1), so no two
		 * threads add to one counter.
		 */
		qemu_plugin_register_vcpu_insn_exec_inline(insn,
				QEMU_PLUGIN_INLINE_ADD_U64, &count[slot], 1);
	}
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
	FILE *f = fopen(out_path, "w");
	uint64_t i;

	if (!f) {
		perror(out_path);
		return;
	}
	for (i = 0; i < NR_SLOTS; i++)
		if (count[i])
			fprintf(f, "%08llx %llu\n",
				(unsigned long long)(AREA_LO + 4 * i),
				(unsigned long long)count[i]);
	if (fclose(f))
		perror(out_path);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			out_path = argv[i] + 4;
		} else {
			fprintf(stderr, "pcount: unknown argument '%s' (out=FILE)\n",
				argv[i]);
			return -1;
		}
	}
	/* The address range is arm32's: refuse other targets and user mode. */
	if (!info->system_emulation || strcmp(info->target_name, "arm")) {
		fprintf(stderr, "pcount: needs qemu-system-arm (target %s)\n",
			info->target_name);
		return -1;
	}
	/* 32 + 16 MB, touched only where the guest runs module-area code */
	count = calloc(NR_SLOTS, sizeof(*count));
	opcode = calloc(NR_SLOTS, sizeof(*opcode));
	if (!count || !opcode) {
		fprintf(stderr, "pcount: out of memory\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
