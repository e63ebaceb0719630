// SPDX-License-Identifier: GPL-2.0
/*
 * ccount: a QEMU TCG plugin for `make compile-profile-guest`
 * (bench/compile-profile). Counts every executed guest instruction whose
 * virtual address lies in [lo, hi) (default the module area and the whole
 * kernel, 0xbf000000-0xffffffff) and, each time the guest executes the
 * marker instruction "orr r9, r9, r9" (0xe1899009, ARM state) in user
 * space, writes the counts since the previous marker to OUT.N (N = 0, 1,
 * ...: OUT.0 holds the boot up to the first marker) as one "ADDR COUNT"
 * line (hex address, decimal count) per executed address, and starts
 * over from zero. The selftest runner's --loads executes a marker before
 * and after its loads.
 *
 *	qemu-system-arm ... -plugin ccount.so,out=OUT[,lo=ADDR,hi=ADDR]
 *
 * Build: gcc -shared -fPIC -O2 -o ccount.so ccount.c (no QEMU headers).
 * The API is declared by hand, as in pcount.c (QEMU 7.2, version 1).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

#define MARKER		0xe1899009u	/* orr r9, r9, r9 */
#define PAGE_SHIFT	12
#define NR_PAGES	(1u << (32 - PAGE_SHIFT))
#define SLOTS		(1u << (PAGE_SHIFT - 2))	/* 4-byte ARM insns */

/* Counters per guest page, allocated when code there is first translated. */
static uint64_t *pages[NR_PAGES];
static uint64_t lo = 0xbf000000ull, hi = 0x100000000ull;
static const char *out_path = "ccount.out";
static unsigned int snapshot;

static void write_snapshot(void)
{
	char path[4096];
	uint32_t p, i;
	FILE *f;

	snprintf(path, sizeof(path), "%s.%u", out_path, snapshot++);
	f = fopen(path, "w");
	if (!f)
		perror(path);
	for (p = 0; p < NR_PAGES; p++) {
		if (!pages[p])
			continue;
		for (i = 0; i < SLOTS; i++) {
			if (!pages[p][i])
				continue;
			if (f)
				fprintf(f, "%08llx %llu\n",
					((unsigned long long)p << PAGE_SHIFT) + 4 * i,
					(unsigned long long)pages[p][i]);
			pages[p][i] = 0;
		}
	}
	if (f && fclose(f))
		perror(path);
}

static void on_marker(unsigned int vcpu_index, void *userdata)
{
	write_snapshot();
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		uint32_t op = 0, p;

		if (va < lo || va >= hi) {
			/* user space: a 4-byte Thumb insn can't match it */
			if (va < 0xbf000000ull &&
			    qemu_plugin_insn_size(insn) == 4) {
				memcpy(&op, qemu_plugin_insn_data(insn), 4);
				if (op == MARKER)
					qemu_plugin_register_vcpu_insn_exec_cb(insn,
						on_marker, QEMU_PLUGIN_CB_NO_REGS, NULL);
			}
			continue;
		}
		p = va >> PAGE_SHIFT;
		if (!pages[p]) {
			pages[p] = calloc(SLOTS, sizeof(uint64_t));
			if (!pages[p]) {
				fprintf(stderr, "ccount: out of memory\n");
				abort();
			}
		}
		/* one vCPU (scripts/vm: -smp 1): no two threads add here */
		qemu_plugin_register_vcpu_insn_exec_inline(insn,
				QEMU_PLUGIN_INLINE_ADD_U64,
				&pages[p][(va >> 2) & (SLOTS - 1)], 1);
	}
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
	write_snapshot();	/* the rest: last marker to power-off */
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			out_path = argv[i] + 4;
		} else if (!strncmp(argv[i], "lo=", 3)) {
			lo = strtoull(argv[i] + 3, NULL, 0);
		} else if (!strncmp(argv[i], "hi=", 3)) {
			hi = strtoull(argv[i] + 3, NULL, 0);
		} else {
			fprintf(stderr, "ccount: unknown argument '%s' (out=FILE, lo=ADDR, hi=ADDR)\n",
				argv[i]);
			return -1;
		}
	}
	if (!info->system_emulation || strcmp(info->target_name, "arm") ||
	    lo >= hi || hi > 0x100000000ull) {
		fprintf(stderr, "ccount: needs qemu-system-arm and lo < hi <= 2^32\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
