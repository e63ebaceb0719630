// SPDX-License-Identifier: GPL-2.0
/*
 * armjit-stress: stress and differential tests of armjit in the guest.
 *
 *   armjit-stress storm --mode toggle|unload [--cycles N] [--subprogs]
 *   armjit-stress tailcall [--stock-to-armjit]
 *   armjit-stress harden
 *   armjit-stress sysfs
 *   armjit-stress fuzz [--seed S] [-n N] [--verbose]
 *
 * Results are "@ok NAME" / "@not ok NAME" lines (run.sh numbers them as
 * KTAP) and "# ..." diagnostics. Exit status 1 if any check failed.
 */
#include "common.h"

char bpf_log[4 << 20];
int nfail;

/* Ethernet + IPv4 + UDP, padded to 64 bytes. */
const unsigned char pkt[64] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00,
	0x45, 0x00, 0x00, 0x32, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x30, 0x39, 0x00, 0x35, 0x00, 0x1e, 0x00, 0x00,
	0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10, 0x5a, 0xa5,
};

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "storm", cmd_storm }, { "tailcall", cmd_tailcall },
		{ "harden", cmd_harden }, { "sysfs", cmd_sysfs },
		{ "fuzz", cmd_fuzz },
	};
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2)
		for (i = 0; i < ARRAY_SIZE(cmds); i++)
			if (!strcmp(argv[1], cmds[i].name)) {
				cmds[i].fn(argc - 1, argv + 1);
				return nfail ? 1 : 0;
			}
	fprintf(stderr, "usage: %s storm|tailcall|harden|sysfs|fuzz [ARGS]\n",
		argv[0]);
	return 2;
}
