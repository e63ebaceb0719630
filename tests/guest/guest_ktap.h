/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest tests' static C programs share: KTAP result lines
 * (nr, failed, skipped count them) and bpf(2).
 */
#ifndef GUEST_KTAP_H
#define GUEST_KTAP_H

#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

static int nr, failed, skipped;

/* "ok N <fmt with name>" or "not ok ..." */
static __attribute__((unused)) void result(int ok, const char *fmt,
					   const char *name)
{
	printf("%sok %d ", ok ? "" : "not ", ++nr);
	printf(fmt, name);
	printf("\n");
	if (!ok)
		failed++;
}

static __attribute__((unused)) void skip(const char *what, const char *name,
					 const char *why)
{
	printf("ok %d ", ++nr);
	printf(what, name);
	printf(" # SKIP %s\n", why);
	skipped++;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

#endif /* GUEST_KTAP_H */
