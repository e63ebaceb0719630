// SPDX-License-Identifier: GPL-2.0
/*
 * Guest test (issue 19, no half state): armjit can't go away between its
 * yes to a load's verifier and that load's JIT. Were it gone, 6.12 and
 * later would interpret a program with bpf-to-bpf calls whose main part
 * tail-calls, and a program whose helper calls the verifier left as ids.
 *
 * unload_window tail|inline: a program whose verification takes seconds
 * (a counted loop the verifier walks) after the question (tail:
 * bpf_jit_supports_subprog_tailcalls(), asked at the tail call; inline:
 * bpf_jit_inlines_helper_call(), asked before the walk). A child waits on
 * trace_pipe for a tracefs kretprobe event on the question, then tries
 * delete_module("armjit", O_NONBLOCK) while the load is still verifying.
 * Expected: the rmmod is refused as busy, the load ends JIT'ed and its
 * run returns the right value. A rmmod that went through must leave the
 * load refused, never interpreted. Prints "# " lines; exit 0 if right,
 * 1 if wrong, 4 if it can't be set up (no tracefs kprobe events, or the
 * kernel never asks the question).
 *
 * Needs armjit loaded and enabled, bpf_jit_enable 1 (unload_window.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include "../host/bpf_insn.h"
#include "guest_ktap.h"

#define T		"/sys/kernel/tracing/"
#define EVENT		"armjit_window"
/*
 * Loop rounds the verifier walks one by one: calibrated on CALIB rounds
 * to about WALK_S seconds (6.12's verifier is many times slower per round
 * than 6.1's or 7.2's), at most MAX_ROUNDS (its 1M-instruction limit).
 */
#define CALIB		20000
#define WALK_S		1.5
#define MAX_ROUNDS	300000
#define TARGET_RET	7
#define SUB_RET		42

static int put(const char *path, const char *s, int flags)
{
	int fd = open(path, O_WRONLY | flags);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int load(const struct bpf_insn *insns, int len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	a.insns = (unsigned long)insns;
	a.insn_cnt = len;
	a.license = (unsigned long)"GPL";
	return sys_bpf(BPF_PROG_LOAD, &a);
}

static int prog_array(void)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_PROG_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	return sys_bpf(BPF_MAP_CREATE, &a);
}

static int map_put(int map, unsigned int key, int value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = map;
	a.key = (unsigned long)&key;
	a.value = (unsigned long)&value;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
}

/* the run's return value, the image's length; -1 on error */
static int run(int fd, unsigned int *jited_len)
{
	struct bpf_prog_info info;
	union bpf_attr a;
	unsigned int ret = 0;

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = (unsigned long)&info;
	*jited_len = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) ? 0 :
		     info.jited_prog_len;
	return test_run_once(fd, &ret) ? -1 : (int)ret;
}

/* rounds for a walk of about WALK_S seconds; 0 if a walk fails */
static int calibrate(void)
{
	struct bpf_insn walk[] = {
		MOV64_IMM(7, 0),
		ALU64_IMM(BPF_ADD, 7, 1),
		JMP_IMM(BPF_JLT, 7, CALIB, -2),
		MOV64_IMM(0, 0),
		EXIT(),
	};
	double t0 = now(), t;
	int fd = load(walk, sizeof(walk) / sizeof(walk[0]));

	t = now() - t0;
	if (fd < 0)
		return 0;
	close(fd);
	printf("# calibration: %d rounds verified in %.2f s\n", CALIB, t);
	if (t * MAX_ROUNDS < WALK_S * CALIB)
		return MAX_ROUNDS;
	return t < WALK_S ? CALIB * (WALK_S / t) : CALIB;
}

/* what the child saw: rmmod's errno (0: armjit gone) and when */
struct outcome {
	int err;
	double at;
};

/* Child: the first event line, then rmmod. */
static void child(int tp, int out)
{
	struct outcome o;
	char buf[4096];
	ssize_t n;

	while ((n = read(tp, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		if (strstr(buf, EVENT))
			break;
	}
	o.err = syscall(__NR_delete_module, "armjit", O_NONBLOCK) ? errno : 0;
	o.at = now();
	if (write(out, &o, sizeof(o)) != sizeof(o))
		_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	int tail = argc == 2 && !strcmp(argv[1], "tail");
	const char *question = tail ? "bpf_jit_supports_subprog_tailcalls" :
				      "bpf_jit_inlines_helper_call";
	struct bpf_insn target[] = { MOV64_IMM(0, TARGET_RET), EXIT() };
	struct bpf_insn insns[] = {
		/* tail: bpf_tail_call(ctx, map, 0); inline: the cpu id */
		MOV64_REG(6, 1),
		LD_IMM64_RAW(2, BPF_PSEUDO_MAP_FD, 0),
		MOV64_IMM(3, 0),
		CALL_IMM(BPF_FUNC_tail_call),
		/* the walk: one state of r7 per round */
		MOV64_IMM(7, 0),
		ALU64_IMM(BPF_ADD, 7, 1),
		JMP_IMM(BPF_JLT, 7, 0, -2),	/* imm: the rounds */
		CALL_PSEUDO(1),
		EXIT(),
		MOV64_IMM(0, SUB_RET),
		EXIT(),
	};
	int map = -1, tfd, fd, tp, pfd[2], err, ret, expect;
	unsigned int jited_len = 0;
	struct outcome o;
	struct pollfd p;
	char def[128];
	double t0, t1;
	pid_t pid;

	if (argc != 2 || (!tail && strcmp(argv[1], "inline"))) {
		fprintf(stderr, "usage: unload_window tail|inline\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (tail) {
		map = prog_array();
		tfd = load(target, 2);
		if (map < 0 || tfd < 0 || map_put(map, 0, tfd)) {
			printf("# prog array or tail-call target: %s\n",
			       strerror(errno));
			return 1;
		}
		insns[1].imm = map;
		expect = TARGET_RET;
	} else {
		/* r0 = cpu id; r2, r3 and the tail call: no-ops */
		insns[0] = CALL_IMM(BPF_FUNC_get_smp_processor_id);
		insns[1] = MOV64_IMM(2, 0);
		insns[2] = MOV64_IMM(2, 0);
		insns[4] = MOV64_IMM(3, 0);
		expect = SUB_RET;
	}

	insns[7].imm = calibrate();
	if (!insns[7].imm) {
		printf("# the calibration walk: %s\n", strerror(errno));
		return 1;
	}

	snprintf(def, sizeof(def), "r:%s %s\n", EVENT, question);
	put(T "kprobe_events", "-:" EVENT "\n", O_APPEND);
	if (put(T "kprobe_events", def, O_APPEND) ||
	    put(T "events/kprobes/" EVENT "/enable", "1", 0)) {
		printf("# SKIP no tracefs kretprobe event on %s (a kernel without it never asks)\n",
		       question);
		return 4;
	}
	put(T "trace", "", O_TRUNC);
	tp = open(T "trace_pipe", O_RDONLY);
	if (tp < 0 || pipe(pfd)) {
		printf("# trace_pipe: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (!pid)
		child(tp, pfd[1]);
	close(pfd[1]);

	t0 = now();
	fd = load(insns, sizeof(insns) / sizeof(insns[0]));
	err = fd < 0 ? errno : 0;
	t1 = now();
	/* the child's rmmod, if the question came */
	p.fd = pfd[0];
	p.events = POLLIN;
	if (poll(&p, 1, 3000) != 1 || read(pfd[0], &o, sizeof(o)) != sizeof(o))
		o.err = -1;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	put(T "events/kprobes/" EVENT "/enable", "0", 0);
	put(T "kprobe_events", "-:" EVENT "\n", O_APPEND);

	printf("# %s: load %s after %.2f s\n", argv[1],
	       fd >= 0 ? "ok" : strerror(err), t1 - t0);
	if (o.err < 0) {
		printf("# SKIP the kernel never asked %s\n", question);
		return 4;
	}
	printf("# rmmod %.2f s into the load: %s\n", o.at - t0,
	       o.err ? strerror(o.err) : "armjit removed");
	if (!o.err) {
		if (o.at > t1)
			printf("# the load ended before the rmmod: window missed\n");
		else if (fd < 0)
			printf("# armjit went away, the load was refused: armjit did not hold\n");
		ret = fd >= 0 ? run(fd, &jited_len) : -1;
		if (fd >= 0)
			printf("# loaded without armjit: %s, returns %d\n",
			       jited_len ? "JIT'ed" : "interpreted", ret);
		return 1;
	}
	if (fd < 0)
		return 1;
	ret = run(fd, &jited_len);
	printf("# the program: %s (%u bytes), returns %d (expected %d)\n",
	       jited_len ? "JIT'ed" : "interpreted", jited_len, ret, expect);
	return (o.err == EWOULDBLOCK || o.err == EBUSY) && o.at < t1 &&
	       jited_len && ret == expect ? 0 : 1;
}
