// SPDX-License-Identifier: GPL-2.0
/*
 * Guest test: load-acquire and store-release (BPF_STX | BPF_ATOMIC, imm
 * BPF_LOAD_ACQ / BPF_STORE_REL), which a newer verifier (6.15+, 7.2 here)
 * hands a 32-bit JIT in B, H and W. armjit JITs them (armjit_translate.c,
 * emit_acq_rel()); the stock arm32 JIT refuses them, so without armjit the
 * kernel interprets them. Each program is loaded and run with armjit off
 * and on (bpf_jit_enable=1 both times): the same load result and return
 * value, and with armjit on the program is armjit's ("compiled" up by one,
 * nothing to the stock JIT) and its image has one barrier per
 * acquire/release (dmb ish, at ARMv6K the CP15 one). On kernels whose
 * verifier rejects them (6.1, 6.12) both loads fail alike. Static, raw
 * bpf(2), KTAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include "../host/bpf_insn.h"
#include "guest_ktap.h"

#define ENABLED	"/sys/kernel/armjit/enabled"
#define STATS	"/sys/kernel/armjit/stats"

#ifndef BPF_LOAD_ACQ
#define BPF_LOAD_ACQ	0x100
#define BPF_STORE_REL	0x110
#endif


struct prog {
	const char *name;
	struct bpf_insn insns[8];
	int len;
	int barriers;
};

/* each returns 42 when run; barriers: its acquires and releases */
static const struct prog progs[] = {
	{ "load-acquire W", {
		MOV64_IMM(2, 42), STX_MEM(BPF_W, 10, 2, -8),
		ATOMIC_OP(BPF_W, BPF_LOAD_ACQ, 0, 10, -8), EXIT() }, 4, 1 },
	{ "load-acquire B", {
		MOV64_IMM(2, 42), STX_MEM(BPF_W, 10, 2, -8),
		ATOMIC_OP(BPF_B, BPF_LOAD_ACQ, 0, 10, -8), EXIT() }, 4, 1 },
	{ "load-acquire H into a stacked register", {
		LD_IMM64(2, 0x77770000002aULL), STX_MEM(BPF_DW, 10, 2, -8),
		ATOMIC_OP(BPF_H, BPF_LOAD_ACQ, 9, 10, -8),
		MOV64_REG(0, 9), EXIT() }, 6, 1 },
	{ "store-release W", {
		MOV64_IMM(2, 42), ATOMIC_OP(BPF_W, BPF_STORE_REL, 10, 2, -8),
		LDX_MEM(BPF_W, 0, 10, -8), EXIT() }, 4, 1 },
	{ "store-release H, then load-acquire W", {
		MOV64_IMM(2, 42), STX_MEM(BPF_W, 10, 2, -8),
		ATOMIC_OP(BPF_H, BPF_STORE_REL, 10, 2, -8),
		ATOMIC_OP(BPF_W, BPF_LOAD_ACQ, 0, 10, -8), EXIT() }, 5, 2 },
};

#define ARRAY_LEN	(sizeof(progs) / sizeof(progs[0]))


static void put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0)
			perror(path);
		close(fd);
	}
}

static long stat_of(const char *name)
{
	char line[64];
	long v = -1, x;
	FILE *f = fopen(STATS, "r");
	size_t n = strlen(name);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ' ' &&
		    sscanf(line + n, "%ld", &x) == 1)
			v = x;
	fclose(f);
	return v;
}

struct outcome {
	int load_err;		/* 0 or errno */
	int run_err;
	unsigned int retval;
	int jited;
	int barriers;		/* dmb ish / CP15 barrier words in the image */
};

static void run(const struct prog *p, struct outcome *o)
{
	static char log[4096];
	static unsigned int image[1024];
	struct bpf_prog_info info;
	union bpf_attr a;
	unsigned int i;
	int fd;

	memset(o, 0, sizeof(*o));
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (unsigned long)p->insns;
	a.insn_cnt = p->len;
	a.license = (unsigned long)"GPL";
	a.log_buf = (unsigned long)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	log[0] = 0;
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0) {
		o->load_err = errno;
		printf("# %s: load: %s; %.200s\n", p->name, strerror(errno), log);
		return;
	}
	o->run_err = test_run_once(fd, &o->retval);
	memset(&info, 0, sizeof(info));
	memset(image, 0, sizeof(image));
	info.jited_prog_len = sizeof(image);
	info.jited_prog_insns = (unsigned long)image;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = (unsigned long)&info;
	if (!sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a)) {
		o->jited = info.jited_prog_len > 0;
		for (i = 0; i < info.jited_prog_len / 4 && i < 1024; i++)
			o->barriers += image[i] == 0xf57ff05b ||
				       (image[i] & 0xffff0fff) == 0xee070fba;
	}
	close(fd);
}

int main(void)
{
	struct outcome off, on;
	long failed0, stock0, compiled0;
	size_t i;

	printf("TAP version 13\n1..%zu\n", 2 * ARRAY_LEN);
	put("/proc/sys/net/core/bpf_jit_enable", "1");
	for (i = 0; i < ARRAY_LEN; i++) {
		const struct prog *p = &progs[i];

		put(ENABLED, "0");
		run(p, &off);
		put(ENABLED, "1");
		failed0 = stat_of("failed");
		stock0 = stat_of("stock");
		compiled0 = stat_of("compiled");
		run(p, &on);
		put(ENABLED, "0");
		printf("# %s: armjit off: load %d run %d retval %u jited %d; on: load %d run %d retval %u jited %d barriers %d\n",
		       p->name, off.load_err, off.run_err, off.retval, off.jited,
		       on.load_err, on.run_err, on.retval, on.jited,
		       on.barriers);
		result(off.load_err == on.load_err &&
		       off.run_err == on.run_err && off.retval == on.retval &&
		       (off.load_err || (!off.run_err && off.retval == 42)),
		       "%s: the same load and result with armjit on", p->name);
		if (off.load_err) {
			printf("ok %d %s: armjit JITs it # SKIP the verifier rejects it here\n",
			       ++nr, p->name);
			continue;
		}
		result(on.jited && stat_of("compiled") == compiled0 + 1 &&
		       stat_of("failed") == failed0 &&
		       stat_of("stock") == stock0 &&
		       on.barriers == p->barriers,
		       "%s: armjit JITs it, a barrier per acquire/release",
		       p->name);
	}
	return failed ? 1 : 0;
}
