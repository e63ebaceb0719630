/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest tests' static C programs share: KTAP result lines
 * (nr, failed, skipped count them), bpf(2) and a test run.
 */
#ifndef GUEST_KTAP_H
#define GUEST_KTAP_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
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

/* One BPF_PROG_TEST_RUN of fd on a zeroed 64-byte packet: 0 or errno. */
static __attribute__((unused)) int test_run_once(int fd, unsigned int *retval)
{
	unsigned char pkt[64] = { 0 };
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (unsigned long)pkt;
	a.test.data_size_in = sizeof(pkt);
	a.test.repeat = 1;
	if (sys_bpf(BPF_PROG_TEST_RUN, &a))
		return errno;
	*retval = a.test.retval;
	return 0;
}

#endif /* GUEST_KTAP_H */
