// SPDX-License-Identifier: GPL-2.0
/*
 * Guest test: the helpers armjit emits in place (bpf_get_smp_processor_id,
 * bpf_get_current_task; bpf_get_current_task_btf needs BTF, which no
 * Debian armhf kernel has). Each program is loaded and run with armjit off
 * and on (bpf_jit_enable=1 both times): the same load and result, and with
 * armjit on the program is armjit's ("compiled" +1, nothing to the stock
 * JIT) and "inlined" grows by its call sites. Kernels from 6.10 ask the JIT
 * (bpf_jit_inlines_helper_call(), stats "inline_helpers" yes/no): with
 * armjit's yes the xlated program keeps "call <helper id>" and, where the
 * helper is bpf_fastcall, the verifier drops the spill/fill pairs around
 * it; without it (6.1: "absent") the xlated programs are the same. Then
 * debugfs no_inline, cap_then_off, fail_nth, another kretprobe on the
 * question, bpf_jit_enable=0 beside an enabled armjit, and no module
 * reference left once every load has ended.
 *
 * inline_helpers --bench REPEAT MODE: one "ibench" line for make bench
 * (bench/guest.sh), eight calls of bpf_get_smp_processor_id run REPEAT
 * times in whatever mode the caller set.
 *
 * Static, raw bpf(2), KTAP. Leaves armjit disabled and its debugfs knobs
 * at 0; bpf_jit_enable is the caller's (inline_helpers.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include "../host/bpf_insn.h"
#include "guest_ktap.h"

#define A		"/sys/kernel/armjit/"
#define D		"/sys/kernel/debug/armjit/"
#define JIT_ENABLE	"/proc/sys/net/core/bpf_jit_enable"

#define CPU_ID		BPF_FUNC_get_smp_processor_id
#define TASK		BPF_FUNC_get_current_task
#define TASK_BTF	BPF_FUNC_get_current_task_btf

#define ARRAY_SIZE(a)	(int)(sizeof(a) / sizeof((a)[0]))
#define INSNS(a)	a, ARRAY_SIZE(a)

/* r1 spilled around the call in clang's bpf_fastcall pattern */
#define FASTCALL_R1(id) \
	STX_MEM(BPF_DW, 10, 1, -8), CALL_IMM(id), LDX_MEM(BPF_DW, 1, 10, -8)

enum expect { CPU_PLUS_7, REGS, TASK_PTR, REFUSED, CPU_8 };

struct prog {
	const char *name;
	enum bpf_prog_type type;
	const struct bpf_insn *insns;
	int len;
	int sites;	/* calls armjit emits in place */
	int pairs;	/* spill/fill pairs the verifier drops on armjit's yes */
	enum expect expect;
};

static const struct bpf_insn p1_insns[] = {
	MOV64_IMM(1, 7), FASTCALL_R1(CPU_ID),
	ALU64_REG(BPF_ADD, 0, 1), EXIT() };

static const struct prog p1 = {
	"P1 cpu id, fastcall spill of r1 (sched_cls)",
	BPF_PROG_TYPE_SCHED_CLS, INSNS(p1_insns), 1, 1, CPU_PLUS_7 };

/*
 * A socket filter gets bpf_get_raw_smp_processor_id_proto (the base set),
 * which is not bpf_fastcall on 6.12 and 7.2: same id, the pair stays.
 */
static const struct prog p1_sk = {
	"P1 cpu id, fastcall spill of r1 (socket filter)",
	BPF_PROG_TYPE_SOCKET_FILTER, INSNS(p1_insns), 1, 0, CPU_PLUS_7 };

/* four calls, R6-R9 live across all, R1-R5 across the first (fastcall) */
static const struct bpf_insn p2_insns[] = {
	LD_IMM64(6, 0x1122334455667788ULL),
	LD_IMM64(7, 0x0f1e2d3c4b5a6978ULL),
	LD_IMM64(8, 0x8000000180000002ULL),
	LD_IMM64(9, 0x00ff00ff00ff00ffULL),
	MOV64_IMM(1, 1), MOV64_IMM(2, 2), MOV64_IMM(3, -3),
	MOV64_IMM(4, 4), MOV64_IMM(5, 5),
	STX_MEM(BPF_DW, 10, 5, -8), STX_MEM(BPF_DW, 10, 4, -16),
	STX_MEM(BPF_DW, 10, 3, -24), STX_MEM(BPF_DW, 10, 2, -32),
	STX_MEM(BPF_DW, 10, 1, -40),
	CALL_IMM(CPU_ID),
	LDX_MEM(BPF_DW, 1, 10, -40), LDX_MEM(BPF_DW, 2, 10, -32),
	LDX_MEM(BPF_DW, 3, 10, -24), LDX_MEM(BPF_DW, 4, 10, -16),
	LDX_MEM(BPF_DW, 5, 10, -8),
	ALU64_REG(BPF_ADD, 6, 0), ALU64_REG(BPF_ADD, 6, 1),
	ALU64_REG(BPF_ADD, 7, 2), ALU64_REG(BPF_ADD, 8, 3),
	ALU64_REG(BPF_ADD, 9, 4), ALU64_REG(BPF_ADD, 9, 5),
	CALL_IMM(CPU_ID), ALU64_IMM(BPF_ADD, 0, 0x10),
	ALU64_REG(BPF_ADD, 7, 0),
	CALL_IMM(CPU_ID), ALU64_REG(BPF_SUB, 8, 0),
	CALL_IMM(CPU_ID), ALU64_IMM(BPF_LSH, 0, 40),
	ALU64_REG(BPF_XOR, 9, 0),
	MOV64_REG(0, 6), ALU64_REG(BPF_XOR, 0, 7),
	ALU64_REG(BPF_ADD, 0, 8), ALU64_REG(BPF_XOR, 0, 9),
	MOV64_REG(1, 0), ALU64_IMM(BPF_RSH, 1, 32),
	ALU64_IMM(BPF_MUL, 1, 3), ALU64_REG(BPF_ADD, 0, 1), EXIT() };

static const struct prog p2 = {
	"P2 four cpu id calls, r1-r9 live",
	BPF_PROG_TYPE_SCHED_CLS, INSNS(p2_insns), 4, 5, REGS };

/*
 * The same value twice, returned if its hi word is its lo word's sign
 * (the helper returns (long)current as u64: 0xffffffff on 32-bit), else 1.
 */
static const struct bpf_insn p3_insns[] = {
	CALL_IMM(TASK), MOV64_REG(7, 0), CALL_IMM(TASK),
	JMP_REG(BPF_JNE, 0, 7, 4), MOV64_REG(1, 0),
	ALU64_IMM(BPF_LSH, 1, 32), ALU64_IMM(BPF_ARSH, 1, 32),
	JMP_REG(BPF_JEQ, 1, 0, 1),
	MOV64_IMM(0, 1), EXIT() };

static const struct prog p3 = {
	"P3 current task (raw_tracepoint)",
	BPF_PROG_TYPE_RAW_TRACEPOINT, INSNS(p3_insns), 2, 0, TASK_PTR };

static const struct bpf_insn p4_insns[] = {
	CALL_IMM(TASK_BTF), MOV64_IMM(0, 0), EXIT() };

static const struct prog p4 = {
	"P4 current task BTF (raw_tracepoint)",
	BPF_PROG_TYPE_RAW_TRACEPOINT, INSNS(p4_insns), 1, 0, REFUSED };

/* make bench: eight calls, r1 the sum, spilled around each */
#define BENCH_STEP \
	FASTCALL_R1(CPU_ID), ALU64_REG(BPF_ADD, 1, 0), ALU64_IMM(BPF_ADD, 1, 1)
static const struct bpf_insn bench_insns[] = {
	MOV64_IMM(1, 0), BENCH_STEP, BENCH_STEP, BENCH_STEP, BENCH_STEP,
	BENCH_STEP, BENCH_STEP, BENCH_STEP, BENCH_STEP,
	MOV64_REG(0, 1), EXIT() };

static const struct prog bench = {
	"bench: eight cpu id calls",
	BPF_PROG_TYPE_SCHED_CLS, INSNS(bench_insns), 8, 8, CPU_8 };

static int cpu;

static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) < 0)
		err = errno;
	close(fd);
	return err;
}

static int get_int(const char *path)
{
	char buf[16] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return atoi(buf);
}

/* the value of stats line @name ("" if none) */
static const char *stat_str(const char *name)
{
	static char v[64];
	char line[128];
	FILE *f = fopen(A "stats", "r");
	size_t n = strlen(name);

	v[0] = 0;
	if (!f)
		return v;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ' ')
			sscanf(line + n + 1, "%63s", v);
	fclose(f);
	return v;
}

static long stat_of(const char *name)
{
	const char *v = stat_str(name);

	return *v ? atol(v) : -1;
}

struct counters {
	long compiled, stock, failed, inlined;
};

static void counters(struct counters *c)
{
	c->compiled = stat_of("compiled");
	c->stock = stat_of("stock");
	c->failed = stat_of("failed");
	c->inlined = stat_of("inlined");
}

/* @now - @then into @now */
static void delta(struct counters *now, const struct counters *then)
{
	now->compiled -= then->compiled;
	now->stock -= then->stock;
	now->failed -= then->failed;
	now->inlined -= then->inlined;
}

struct outcome {
	int load_err;		/* 0 or errno */
	int run_err;
	unsigned int retval;
	unsigned int duration;
	int jited, jited_len;
	int xlen;		/* xlated insns */
	struct bpf_insn x[64];
	int calls, calls_id;	/* helper calls; those still "call <id>" */
	struct counters d;	/* armjit's counters over the load */
	char log[256];
};

static int is_inlined_id(int imm)
{
	return imm == CPU_ID || imm == TASK || imm == TASK_BTF;
}

static int load(const struct prog *p, char *log, unsigned int log_size)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = p->type;
	a.insns = (unsigned long)p->insns;
	a.insn_cnt = p->len;
	a.license = (unsigned long)"GPL";
	if (log) {
		a.log_buf = (unsigned long)log;
		a.log_size = log_size;
		a.log_level = 1;
		log[0] = 0;
	}
	return sys_bpf(BPF_PROG_LOAD, &a);
}

static void run_n(const struct prog *p, struct outcome *o, unsigned int repeat)
{
	static char log[1 << 16];
	unsigned char pkt[64] = { 0 };
	struct bpf_prog_info info;
	struct counters before;
	union bpf_attr a;
	int fd, i;

	memset(o, 0, sizeof(*o));
	counters(&before);
	fd = load(p, NULL, 0);
	counters(&o->d);
	delta(&o->d, &before);
	if (fd < 0) {
		char *nl, *line = log;

		o->load_err = errno;
		/* the same load again for the verifier's log */
		i = load(p, log, sizeof(log));
		if (i >= 0)
			close(i);
		/* the verifier's reason: its last line before the summary */
		while ((nl = strrchr(log, '\n'))) {
			*nl = 0;
			line = nl[1] ? nl + 1 : NULL;
			if (line && strncmp(line, "processed ", 10) &&
			    strncmp(line, "verification time", 17))
				break;
			line = log;
		}
		snprintf(o->log, sizeof(o->log), "%s", line);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	if (p->type != BPF_PROG_TYPE_RAW_TRACEPOINT) {
		/* raw_tp: no data, no repeat; runs in the caller's context */
		a.test.data_in = (unsigned long)pkt;
		a.test.data_size_in = sizeof(pkt);
		a.test.repeat = repeat;
	}
	if (sys_bpf(BPF_PROG_TEST_RUN, &a))
		o->run_err = errno;
	o->retval = a.test.retval;
	o->duration = a.test.duration;
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = sizeof(o->x);
	info.xlated_prog_insns = (unsigned long)o->x;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = (unsigned long)&info;
	if (!sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a)) {
		o->jited_len = info.jited_prog_len;
		o->jited = info.jited_prog_len > 0;
		o->xlen = info.xlated_prog_len / sizeof(struct bpf_insn);
	}
	for (i = 0; i < o->xlen && i < 64; i++) {
		if (o->x[i].code != (BPF_JMP | BPF_CALL) || o->x[i].src_reg)
			continue;
		o->calls++;
		o->calls_id += is_inlined_id(o->x[i].imm);
	}
	close(fd);
}

static void run(const struct prog *p, struct outcome *o)
{
	run_n(p, o, 1);
}

/* run @p with armjit enabled (1) or disabled (0) */
static void run_armjit(const struct prog *p, struct outcome *o, int on)
{
	put(A "enabled", on ? "1" : "0");
	run(p, o);
	put(A "enabled", "0");
}

static unsigned long long regs_expected(void)
{
	unsigned long long r6 = 0x1122334455667788ULL, r7 = 0x0f1e2d3c4b5a6978ULL;
	unsigned long long r8 = 0x8000000180000002ULL, r9 = 0x00ff00ff00ff00ffULL;
	unsigned long long r0;

	r6 += cpu + 1;
	r7 += 2;
	r8 += (unsigned long long)-3;
	r9 += 4 + 5;
	r7 += cpu + 0x10;
	r8 -= cpu;
	r9 ^= (unsigned long long)cpu << 40;
	r0 = ((r6 ^ r7) + r8) ^ r9;
	return r0 + 3 * (r0 >> 32);
}

/* the right result of @p's run @o */
static int value_ok(const struct prog *p, const struct outcome *o)
{
	if (p->expect == REFUSED)
		return o->load_err != 0;
	if (o->load_err || o->run_err)
		return 0;
	switch (p->expect) {
	case CPU_PLUS_7:
		return o->retval == (unsigned int)cpu + 7;
	case REGS:
		return o->retval == (unsigned int)regs_expected();
	case TASK_PTR:
		/* VMSPLIT_3G: a task_struct is in lowmem, from 0xc0000000 */
		return o->retval >= 0xc0000000u;
	case CPU_8:
		return o->retval == 8 * (unsigned int)cpu + 8;
	default:
		return 0;
	}
}

static void show(const char *what, const struct outcome *o)
{
	int i;

	printf("# %s: load %d run %d retval %#x jited %d xlated %d calls %d (call <id> %d) compiled +%ld stock +%ld failed +%ld inlined +%ld",
	       what, o->load_err, o->run_err, o->retval, o->jited, o->xlen,
	       o->calls, o->calls_id, o->d.compiled, o->d.stock, o->d.failed,
	       o->d.inlined);
	for (i = 0; i < o->xlen && i < 64; i++)
		if (o->x[i].code == (BPF_JMP | BPF_CALL) && !o->x[i].src_reg)
			printf(" [%d: call %d]", i, o->x[i].imm);
	if (o->load_err)
		printf("; %s", o->log);
	printf("\n");
}

/*
 * The xlated programs: where the kernel never asks (or armjit's probe is
 * not in: "stock") the same with armjit on; after armjit's yes the calls
 * stay "call <id>" and the bpf_fastcall pairs are gone; after its no (and
 * with armjit off) every call is patched to the helper's address.
 */
static int xlated_as_asked(const struct prog *p, const struct outcome *off,
			   const struct outcome *on, int yes)
{
	if (!yes)
		return on->xlen == off->xlen && off->xlen > 0 &&
		       !memcmp(on->x, off->x, off->xlen * sizeof(off->x[0]));
	return on->xlen == off->xlen - 2 * p->pairs &&
	       on->calls_id == p->sites && off->calls_id == 0;
}

/* /dev/kmsg from now on: records of armjit's faults and of trouble */
static int kmsg_fd = -1;

static void kmsg_start(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
}

/* new records containing @pat; with @pat NULL, warnings and oopses, shown */
static int kmsg_count(const char *pat)
{
	static const char * const bad[] = {
		"WARNING:", "BUG", "Oops", "Call trace", "Internal error",
		"Unable to handle", "unwind_backtrace", "Kernel panic", NULL
	};
	char rec[2048];
	const char * const *b;
	ssize_t r;
	int n = 0;

	if (kmsg_fd < 0)
		return -1;
	for (;;) {
		char *msg;

		r = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (r < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (r <= 0)
			break;
		rec[r] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		if (pat) {
			n += !!strstr(msg, pat);
			continue;
		}
		for (b = bad; *b; b++)
			if (strstr(msg, *b)) {
				printf("# kernel: %s", msg);
				n++;
				break;
			}
	}
	return n;
}

/* pin to the highest CPU we may run on: a nonzero id where there is one */
static int pin_cpu(void)
{
	cpu_set_t set;
	int i, hi = -1;

	if (sched_getaffinity(0, sizeof(set), &set))
		return sched_getcpu();
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			hi = i;
	CPU_ZERO(&set);
	CPU_SET(hi, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return sched_getcpu();
	return hi;
}

static int kernel_asks(void)
{
	struct utsname u;
	int maj = 0, min = 0;

	/* bpf_jit_inlines_helper_call() came with 6.10 */
	uname(&u);
	sscanf(u.release, "%d.%d", &maj, &min);
	return maj > 6 || (maj == 6 && min >= 10);
}

/* P3 in a child: another task, another pointer; both runs in @vals */
static int child_task(unsigned int vals[2])
{
	struct outcome o[2];
	int fds[2], st, i;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 2; i++) {
			run_armjit(&p3, &o[i], i);
			vals[i] = o[i].load_err || o[i].run_err ? 0 : o[i].retval;
		}
		_exit(write(fds[1], vals, 2 * sizeof(vals[0])) !=
		      2 * sizeof(vals[0]));
	}
	close(fds[1]);
	i = read(fds[0], vals, 2 * sizeof(vals[0]));
	close(fds[0]);
	waitpid(pid, &st, 0);
	return i == 2 * sizeof(vals[0]) && WIFEXITED(st) && !WEXITSTATUS(st) ?
	       0 : -1;
}

/* off vs on: the three lines every program gets */
static void compare(const struct prog *p, int yes)
{
	struct outcome off, on;
	int ok;

	run_armjit(p, &off, 0);
	run_armjit(p, &on, 1);
	show("armjit off", &off);
	show("armjit on", &on);
	ok = off.load_err == on.load_err && off.run_err == on.run_err &&
	     off.retval == on.retval && value_ok(p, &off);
	result(ok, "%s: the same load and result with armjit on", p->name);
	if (p->expect == REFUSED)
		return;
	if (p->expect == TASK_PTR) {
		unsigned int c[2];

		ok = !child_task(c) && c[0] == c[1] && c[0] >= 0xc0000000u &&
		     c[0] != on.retval;
		printf("# this task %#x, a child's %#x (armjit off), %#x (on)\n",
		       on.retval, c[0], c[1]);
		result(ok, "%s: another process gets its own task, armjit off and on",
		       p->name);
	}
	result(on.jited && on.d.compiled == 1 && on.d.stock == 0 &&
	       on.d.failed == 0 && on.d.inlined == p->sites,
	       "%s: armjit JITs it, every call site in place", p->name);
	result(xlated_as_asked(p, &off, &on, yes),
	       "%s: xlated as the verifier was answered", p->name);
}

/* tracefs: write @s to @dir/@file, appending */
static int tr_put(const char *dir, const char *file, const char *s)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* occurrences of @pat in @dir/@file */
static int tr_count(const char *dir, const char *file, const char *pat)
{
	char path[128], buf[4096 + 64];
	size_t keep = 0, plen = strlen(pat);
	ssize_t r;
	int fd, n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + keep, 4096)) > 0) {
		char *s = buf;

		buf[keep + r] = 0;
		while ((s = strstr(s, pat))) {
			n++;
			s += plen;
		}
		/* a match may straddle two reads: keep a tail */
		r += keep;
		keep = (size_t)r < plen - 1 ? (size_t)r : plen - 1;
		memmove(buf, buf + r - keep, keep);
	}
	close(fd);
	return n;
}

/*
 * Another kretprobe on the question, registered after armjit's (as perf or
 * bpftrace would): it fires, and armjit's answer and code stay right.
 */
static void kretprobe_beside(int asks, int yes)
{
	const char *tr = "/sys/kernel/tracing";
	struct outcome off, on;
	char path[128];
	int events;

	if (access("/sys/kernel/tracing/kprobe_events", W_OK))
		tr = "/sys/kernel/debug/tracing";
	if (tr_put(tr, "kprobe_events",
		   "r:inl bpf_jit_inlines_helper_call $retval\n")) {
		skip("%s", "a kretprobe of another on bpf_jit_inlines_helper_call",
		     asks ? "no kprobe_events" : "the kernel never asks");
		return;
	}
	tr_put(tr, "events/kprobes/inl/enable", "1");
	snprintf(path, sizeof(path), "%s/trace", tr);
	close(open(path, O_WRONLY | O_TRUNC));	/* clears it */
	run_armjit(&p1, &off, 0);
	run_armjit(&p1, &on, 1);
	tr_put(tr, "events/kprobes/inl/enable", "0");
	events = tr_count(tr, "trace", "inl:");
	if (tr_put(tr, "kprobe_events", "-:inl\n"))
		printf("# could not remove the kprobe event\n");
	show("beside a kretprobe, armjit off", &off);
	show("beside a kretprobe, armjit on", &on);
	printf("# kretprobe events: %d\n", events);
	result(events > 0 && value_ok(&p1, &off) && value_ok(&p1, &on) &&
	       on.d.compiled == 1 && on.d.stock == 0 &&
	       on.d.inlined == p1.sites && xlated_as_asked(&p1, &off, &on, yes),
	       "%s", "a kretprobe of another on bpf_jit_inlines_helper_call: it fires, the tests pass");
}

static int bench_main(unsigned int repeat, const char *mode)
{
	struct outcome o;

	cpu = pin_cpu();
	run_n(&bench, &o, repeat);
	printf("ibench prog=smp8 mode=%s sites=%d jited=%d len=%d xlated=%d repeat=%u ns=%u res=%s load=%d inlined=+%ld compiled=+%ld stock=+%ld failed=+%ld\n",
	       mode, bench.sites, o.jited, o.jited_len, o.xlen, repeat,
	       o.duration, value_ok(&bench, &o) ? "PASS" : "FAIL", o.load_err,
	       o.d.inlined, o.d.compiled, o.d.stock, o.d.failed);
	return value_ok(&bench, &o) ? 0 : 1;
}

/* stats: the answer armjit gives, by the kernel's series; returns "yes" */
static int test_stats(int asks)
{
	char st_off[64], st_on[64];

	put(A "enabled", "0");
	snprintf(st_off, sizeof(st_off), "%s", stat_str("inline_helpers"));
	put(A "enabled", "1");
	snprintf(st_on, sizeof(st_on), "%s", stat_str("inline_helpers"));
	put(A "enabled", "0");
	printf("# cpu %d (sched_getcpu %d); inline_helpers: disabled '%s', enabled '%s'; inlined %ld\n",
	       cpu, sched_getcpu(), st_off, st_on, stat_of("inlined"));
	if (asks)
		result(!strcmp(st_off, "no") && !strcmp(st_on, "yes"), "%s",
		       "stats: inline_helpers no while disabled, yes while enabled (the kernel asks)");
	else
		result(!strcmp(st_off, "absent") && !strcmp(st_on, "absent"),
		       "%s", "stats: inline_helpers absent (the kernel never asks)");
	return !strcmp(st_on, "yes");
}

/* no_inline: armjit answers no and calls the helpers */
static void test_no_inline(void)
{
	struct outcome off, on;
	int ok;

	ok = !put(D "no_inline", "1");
	run_armjit(&p1, &on, 1);
	put(D "no_inline", "0");
	run_armjit(&p1, &off, 0);
	show("no_inline=1", &on);
	result(ok && value_ok(&p1, &on) && on.jited && on.d.compiled == 1 &&
	       on.d.stock == 0 && on.d.inlined == 0 &&
	       xlated_as_asked(&p1, &off, &on, 0),
	       "%s", "debugfs no_inline=1: real calls, the verifier told no, result right");
}

/* cap_then_off: disabled right after the yes, the load still armjit's */
static void test_cap_then_off(int yes)
{
	struct outcome on;
	int ok, enabled;

	if (!yes) {
		skip("%s", "cap_then_off: the load in progress JIT'ed by armjit",
		     "armjit gives no yes here");
		return;
	}
	ok = !put(D "cap_then_off", "1");
	put(A "enabled", "1");
	run(&p1, &on);
	enabled = get_int(A "enabled");
	put(D "cap_then_off", "0");
	put(A "enabled", "0");
	show("cap_then_off=1", &on);
	printf("# enabled after the load: %d\n", enabled);
	result(ok && value_ok(&p1, &on) && on.jited && on.d.compiled == 1 &&
	       on.d.stock == 0 && enabled == 0,
	       "%s", "cap_then_off: disabled after its yes, the load still JIT'ed by armjit, result right");
}

/*
 * fail_nth = 1, 2, ... until nothing is injected: a program armjit said
 * yes for never reaches the stock JIT (its calls would be wrong there):
 * right, or refused (7.2: jit_required). 6.1 never asks: stock is fine.
 */
static void test_fail_nth(int yes)
{
	struct outcome on;
	int n, hits, ok, bad = 0;

	for (n = 1; n <= 40; n++) {
		char v[16];

		snprintf(v, sizeof(v), "%d", n);
		kmsg_count("armjit: fault injected");
		if (put(D "fail_nth", v)) {
			bad++;
			break;
		}
		run_armjit(&p1, &on, 1);
		put(D "fail_nth", "0");
		hits = kmsg_count("armjit: fault injected");
		ok = on.load_err ||
		     (value_ok(&p1, &on) && (on.d.stock == 0 || !yes));
		printf("# fail_nth=%d: %d faults; load %d retval %#x jited %d compiled +%ld stock +%ld failed +%ld inlined +%ld%s\n",
		       n, hits, on.load_err, on.retval, on.jited,
		       on.d.compiled, on.d.stock, on.d.failed, on.d.inlined,
		       ok ? "" : " BAD");
		bad += !ok;
		if (hits <= 0)
			break;
	}
	result(!bad && n > 1, "%s",
	       "fail_nth = 1, 2, ...: each load right and not the stock JIT's where told yes, or refused");
}

/*
 * bpf_jit_enable=0 beside an enabled armjit: the kernel asks the question
 * whether or not it will JIT, so a yes must not leave an unpatched call to
 * the interpreter.
 */
static void test_jit_disabled(void)
{
	struct outcome off, on;

	put(JIT_ENABLE, "0");
	run_armjit(&p1, &off, 0);
	run_armjit(&p1, &on, 1);
	put(JIT_ENABLE, "1");
	show("bpf_jit_enable=0, armjit off", &off);
	show("bpf_jit_enable=0, armjit on", &on);
	result(value_ok(&p1, &off) && value_ok(&p1, &on),
	       "%s", "bpf_jit_enable=0, armjit enabled: loads and returns what the interpreter does");
}

/*
 * Every load has ended and every program is closed: once their images are
 * freed (after RCU grace periods), armjit holds no module reference, in
 * particular none for a load it told yes (its end was seen).
 */
static void test_refcnt(void)
{
	int i, refs = -1;

	for (i = 0; i < 60; i++) {
		refs = get_int("/sys/module/armjit/refcnt");
		if (refs == 0)
			break;
		sleep(1);
	}
	printf("# /sys/module/armjit/refcnt %d after %d s\n", refs, i);
	result(refs == 0, "%s", "armjit holds no module reference afterwards");
}

int main(int argc, char **argv)
{
	static const struct prog * const progs[] = { &p1, &p1_sk, &p2, &p3, &p4 };
	int asks, yes, i;

	if (argc == 4 && !strcmp(argv[1], "--bench"))
		return bench_main(strtoul(argv[2], NULL, 0), argv[3]);

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..22\n");
	kmsg_start();
	cpu = pin_cpu();
	put(JIT_ENABLE, "1");
	asks = kernel_asks();
	yes = test_stats(asks);
	if (stat_of("inlined") < 0)
		printf("# no 'inlined' line in the stats\n");
	for (i = 0; i < ARRAY_SIZE(progs); i++)
		compare(progs[i], yes);
	test_no_inline();
	test_cap_then_off(yes);
	test_fail_nth(yes);
	kretprobe_beside(asks, yes);
	test_jit_disabled();

	put(A "enabled", "0");
	put(D "no_inline", "0");
	put(D "fail_nth", "0");
	put(D "cap_then_off", "0");
	test_refcnt();
	result(kmsg_count(NULL) == 0, "%s",
	       "no warning, BUG or oops in the kernel log");
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
	       nr - failed - skipped, failed, skipped);
	return failed ? 1 : 0;
}
