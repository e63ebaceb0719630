/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armjit stress tests: shared helpers (raw bpf(2) wrappers, instruction
 * builders, sysfs/procfs access, results). Static armhf user space, no
 * libbpf: every program is built from raw instructions.
 */
#ifndef STRESS_COMMON_H
#define STRESS_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

/* the instruction builders tests/host and tests/guest use too */
#include "../tests/host/bpf_insn.h"
#define LD_MAP_FD(d, fd)	LD_IMM64_RAW(d, BPF_PSEUDO_MAP_FD, fd)
#define CALL_HELPER(id)		CALL_IMM(id)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Word ARMJIT_MARK_WORD of every armjit main image: the tail-call ABI
 * marker, UDF #(0xdde0 | version), where the stock JIT's prologue is
 * (module/armjit_jit.h, ARMJIT_TC_MARK). Version 1 (0xe7fddef1) is the
 * armjit before versions; ARMJIT_TC_ABI the current one.
 */
#define ARMJIT_MARK_WORD	2
#define ARMJIT_TC_ABI		3
#define ARMJIT_TC_MARK(v)	(0xe7fddef0u | (v))

#define SYS_ARMJIT	"/sys/kernel/armjit"
#define PROC_JIT_ENABLE	"/proc/sys/net/core/bpf_jit_enable"
#define PROC_JIT_HARDEN	"/proc/sys/net/core/bpf_jit_harden"

static inline long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static inline uint64_t ptr64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Verifier log of the last failed load (prog_load with log). */
extern char bpf_log[4 << 20];

/* Returns the fd or -errno. type: BPF_PROG_TYPE_*. */
static inline int prog_load(int type, const struct bpf_insn *insns, int n,
			    int want_log)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = ptr64(insns);
	a.insn_cnt = n;
	a.license = ptr64("GPL");
	if (want_log) {
		bpf_log[0] = 0;
		a.log_buf = ptr64(bpf_log);
		a.log_size = sizeof(bpf_log);
		a.log_level = 1;
	}
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0 && want_log && errno == ENOSPC) {
		/* log too small: retry without one, keep the errno */
		a.log_buf = 0;
		a.log_size = 0;
		a.log_level = 0;
		fd = sys_bpf(BPF_PROG_LOAD, &a);
	}
	return fd < 0 ? -errno : fd;
}

static inline int map_create(int type, int key, int value, int entries)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = key;
	a.value_size = value;
	a.max_entries = entries;
	fd = sys_bpf(BPF_MAP_CREATE, &a);
	return fd < 0 ? -errno : fd;
}

static inline int map_update(int fd, const void *key, const void *val)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr64(key);
	a.value = ptr64(val);
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a) ? -errno : 0;
}

static inline int map_lookup(int fd, const void *key, void *val)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr64(key);
	a.value = ptr64(val);
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) ? -errno : 0;
}

static inline int map_delete(int fd, const void *key)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr64(key);
	return sys_bpf(BPF_MAP_DELETE_ELEM, &a) ? -errno : 0;
}

/* BPF_PROG_TEST_RUN on a fixed packet: 0 and *retval, or -errno. */
static inline int prog_run(int fd, const void *data, int len, int repeat,
			   uint32_t *retval)
{
	union bpf_attr a;
	static unsigned char out[2048];

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = ptr64(data);
	a.test.data_size_in = len;
	a.test.data_out = ptr64(out);
	a.test.data_size_out = sizeof(out);
	a.test.repeat = repeat;
	if (sys_bpf(BPF_PROG_TEST_RUN, &a))
		return -errno;
	*retval = a.test.retval;
	return 0;
}

/*
 * The JIT'ed image: its length (0: not JIT'ed), and up to max bytes of it in
 * buf (may be NULL). -errno on failure.
 */
static inline int prog_jited(int fd, void *buf, uint32_t max)
{
	struct bpf_prog_info info;
	union bpf_attr a;

	memset(&info, 0, sizeof(info));
	info.jited_prog_len = buf ? max : 0;
	info.jited_prog_insns = ptr64(buf);
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = ptr64(&info);
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a))
		return -errno;
	return info.jited_prog_len;
}

/*
 * Who JIT'ed it: 'a' armjit, 'o' armjit with another tail-call ABI's
 * marker (a test's stand-in for an older armjit's image), 's' the stock
 * JIT, 'i' nobody (interpreter).
 */
static inline int prog_owner(int fd)
{
	uint32_t w[4];
	int len = prog_jited(fd, w, sizeof(w));

	if (len < 0)
		return '?';
	if (len == 0)
		return 'i';
	if (len < 4 * (ARMJIT_MARK_WORD + 1))
		return 's';
	if (w[ARMJIT_MARK_WORD] == ARMJIT_TC_MARK(ARMJIT_TC_ABI))
		return 'a';
	if ((w[ARMJIT_MARK_WORD] & ~0xfu) == ARMJIT_TC_MARK(0))
		return 'o';
	return 's';
}

/* Writes s to path: 0 or -errno. */
static inline int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(s))
		err = -EIO;
	close(fd);
	return err;
}

/* Reads path into buf (NUL-terminated): length or -errno. */
static inline int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(fd);
	return len;
}

static inline long read_long(const char *path)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 0);
}

/* One counter of /sys/kernel/armjit/stats, -1 if absent. */
static inline long armjit_stat(const char *name)
{
	char buf[512], *p;
	size_t l = strlen(name);

	if (read_file(SYS_ARMJIT "/stats", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, name, l) && p[l] == ' ')
			return strtol(p + l + 1, NULL, 10);
	return -1;
}

static inline void set_jit(int on)
{
	write_file(PROC_JIT_ENABLE, on ? "1" : "0");
}

static inline int set_armjit(int on)
{
	return write_file(SYS_ARMJIT "/enabled", on ? "1" : "0");
}

/* Results: "@ok NAME" / "@not ok NAME", numbered by run.sh. */
extern int nfail;

static inline void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("@%s ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		nfail++;
}

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* A 64-byte Ethernet/IPv4 frame, the same for every run. */
extern const unsigned char pkt[64];

static inline void dump_insns(const struct bpf_insn *in, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		const uint8_t *b = (const uint8_t *)&in[i];

		printf("# insn %4d: %02x%02x%02x%02x%02x%02x%02x%02x\n", i,
		       b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
	}
}

int cmd_storm(int argc, char **argv);
int cmd_tailcall(int argc, char **argv);
int cmd_harden(int argc, char **argv);
int cmd_sysfs(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);

#endif
