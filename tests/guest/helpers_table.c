// SPDX-License-Identifier: GPL-2.0
/*
 * Guest test of armjit's helper metadata table (/sys/kernel/armjit/helpers):
 * its contents, malformed writes, override/reset, and that call sites use
 * it: a program calling bpf_map_update_elem() behaves differently once the
 * entry says "aapcs" (the arguments are then laid out as the real C
 * prototype would take them, which the u64 wrapper does not expect).
 * Also: one trivial program of each type the kernel loads without BTF
 * sweeps its type's resolver into the table (skb, xdp and tracing helpers
 * with the kernel's sizes), side-effect helpers only once a program calls
 * them, addresses hidden from readers kptr_restrict hides them from,
 * overrides refused without CAP_SYS_ADMIN, a narrowing override taints
 * the kernel and a widening one does not.
 * Static armhf binary, raw bpf(2), KTAP output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/klog.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include "../host/bpf_insn.h"

#define DIR		"/sys/kernel/armjit/helpers/"
#define TABLE		DIR "table"
#define OVERRIDE	DIR "override"
#define RESET		DIR "reset"
#define HEADER		"# name id addr conv nargs args ret source types\n"

static int nr, failed;

static void result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++nr, name);
	if (!ok)
		failed++;
}

static char *slurp(const char *path)
{
	static char buf[1 << 17];
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return strdup(buf);
}

/* write(2) of exactly len bytes; returns 0 or errno */
static int put(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, data, len) < 0)
		err = errno;
	close(fd);
	return err;
}

static int puts_(const char *path, const char *s)
{
	return put(path, s, strlen(s));
}

/* The table line of helper @name, or NULL. */
static char *line_of(const char *table, const char *name, char *out, size_t n)
{
	size_t len = strlen(name);
	const char *p = table;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == ' ') {
			const char *e = strchr(p, '\n');
			size_t l = e ? (size_t)(e - p) : strlen(p);

			snprintf(out, n, "%.*s", (int)(l < n ? l : n - 1), p);
			return out;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static long bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int map_fd;

static int make_map(void)
{
	union bpf_attr a = {
		.map_type = BPF_MAP_TYPE_ARRAY,
		.key_size = 4, .value_size = 4, .max_entries = 4,
	};

	return bpf(BPF_MAP_CREATE, &a);
}

static unsigned int map_get(unsigned int key)
{
	unsigned int val = 0xdeadbeef;
	union bpf_attr a = {
		.map_fd = map_fd,
		.key = (unsigned long)&key, .value = (unsigned long)&val,
	};

	bpf(BPF_MAP_LOOKUP_ELEM, &a);
	return val;
}

static void map_clear(void)
{
	unsigned int key, val = 0;

	for (key = 0; key < 4; key++) {
		union bpf_attr a = {
			.map_fd = map_fd, .key = (unsigned long)&key,
			.value = (unsigned long)&val,
		};
		bpf(BPF_MAP_UPDATE_ELEM, &a);
	}
}

/*
 * key = 1, value = 0x1234 on the stack; r0 = map_update_elem(map, &key,
 * &value, 0); exit. R5 = 0 too: the aapcs test passes it as a fifth
 * argument so that every word the u64 wrapper reads is defined.
 */
static int load_update_prog(unsigned int *jited_len)
{
	struct bpf_insn insns[] = {
		INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 1),
		INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -8, 0x1234),
		INSN(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0,
		     map_fd),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, -8),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_5, 0, 0, 0),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_update_elem),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	char log[4096] = "";
	union bpf_attr a = {
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.insns = (unsigned long)insns,
		.insn_cnt = sizeof(insns) / sizeof(insns[0]),
		.license = (unsigned long)"GPL",
		.log_buf = (unsigned long)log, .log_size = sizeof(log),
		.log_level = 1,
	};
	struct bpf_prog_info info = {};
	union bpf_attr ia = {};
	int fd = bpf(BPF_PROG_LOAD, &a);

	if (fd < 0) {
		printf("# load: %s\n%s", strerror(errno), log);
		return -1;
	}
	ia.info.bpf_fd = fd;
	ia.info.info_len = sizeof(info);
	ia.info.info = (unsigned long)&info;
	bpf(BPF_OBJ_GET_INFO_BY_FD, &ia);
	*jited_len = info.jited_prog_len;
	return fd;
}

static int run(int fd)
{
	unsigned char pkt[64] = {};
	union bpf_attr a = {
		.test.prog_fd = fd,
		.test.data_in = (unsigned long)pkt,
		.test.data_size_in = sizeof(pkt),
		.test.repeat = 1,
	};

	if (bpf(BPF_PROG_TEST_RUN, &a))
		return -1000 - errno;
	return (int)a.test.retval;
}

static void test_sysfs(void)
{
	char *t0, *t1, line[256];
	struct stat st;
	static const char *const bad[] = {
		"nosuch_helper nargs=1\n",	/* unknown helper */
		"bpf_map_update_elem args=4,5\n",	/* width not 4/8 */
		"bpf_map_update_elem args=8,8,8,8,8,8\n", /* 6 args */
		"bpf_map_update_elem nargs=6\n",
		"bpf_map_update_elem nargs=-1\n",
		"bpf_map_update_elem conv=fastcall\n",
		"bpf_map_update_elem ret=2\n",
		"bpf_map_update_elem color=red\n",	/* unknown key */
		"bpf_map_update_elem nargs=\n",
		"bpf_map_update_elem\n",		/* nothing to set */
		"bpf_map_update_elem nargs=2 ret=3\n",	/* all or nothing */
		"\n", " \n",
	};
	static const char binary[] = "bpf_map_update_elem \x01\xff nargs=1";
	char longw[600];
	int i, ok;

	result(!stat(TABLE, &st) && (st.st_mode & 0777) == 0444,
	       "table is 0444");
	result(!stat(OVERRIDE, &st) && (st.st_mode & 0777) == 0200,
	       "override is 0200");
	result(!stat(RESET, &st) && (st.st_mode & 0777) == 0200,
	       "reset is 0200");

	t0 = slurp(TABLE);
	ok = t0 && !strncmp(t0, HEADER, strlen(HEADER));
	result(ok, "table header");
	ok = t0 && line_of(t0, "bpf_map_lookup_elem", line, sizeof(line)) &&
	     !strncmp(strchr(line, ' '), " 1 0x", 5) &&
	     strstr(line, " u64 2 4,4 4 kernel");
	printf("# %s\n", ok ? line : "bpf_map_lookup_elem line wrong");
	result(ok, "map_lookup_elem: id 1, u64, 2 pointer args, from the kernel");
	ok = t0 && line_of(t0, "bpf_map_update_elem", line, sizeof(line)) &&
	     strstr(line, " u64 4 4,4,4,8 8 kernel");
	result(ok, "map_update_elem: 4 args (3 pointers, u64 flags)");
	ok = t0 && line_of(t0, "bpf_ktime_get_ns", line, sizeof(line)) &&
	     strstr(line, " u64 0 - 8 kernel");
	result(ok, "ktime_get_ns: no args, u64 return");
	for (i = 0, ok = 0; t0 && t0[i]; i++)
		ok += t0[i] == '\n';
	printf("# %d entries\n", ok - 1);
	result(ok > 30, "table lists the kernel's base helpers");

	for (i = 0, ok = 1; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
		int e = puts_(OVERRIDE, bad[i]);

		if (e != EINVAL) {
			printf("# override \"%s\": %s\n", bad[i], strerror(e));
			ok = 0;
		}
	}
	memset(longw, 'a', sizeof(longw));
	ok &= put(OVERRIDE, longw, sizeof(longw)) == EINVAL;
	ok &= put(OVERRIDE, binary, sizeof(binary)) == EINVAL;
	ok &= puts_(RESET, "nosuch_helper\n") == EINVAL;
	ok &= put(RESET, longw, sizeof(longw)) == EINVAL;
	result(ok, "malformed writes fail with EINVAL");
	t1 = slurp(TABLE);
	result(t0 && t1 && !strcmp(t0, t1), "malformed writes leave the table");
	free(t1);

	ok = !puts_(OVERRIDE, "bpf_map_lookup_elem nargs=3 args=4,4,8 ret=8\n");
	t1 = slurp(TABLE);
	ok = ok && line_of(t1, "bpf_map_lookup_elem", line, sizeof(line)) &&
	     strstr(line, " u64 3 4,4,8 8 kernel,override");
	result(ok, "override changes the entry");
	free(t1);
	ok = !puts_(RESET, "bpf_map_lookup_elem\n");
	t1 = slurp(TABLE);
	result(ok && !strcmp(t0, t1), "reset restores the entry");
	free(t1);
	ok = !puts_(OVERRIDE, "bpf_map_lookup_elem conv=aapcs\n") &&
	     !puts_(OVERRIDE, "bpf_ktime_get_ns ret=4\n") &&
	     !puts_(RESET, "all\n");
	t1 = slurp(TABLE);
	result(ok && !strcmp(t0, t1), "reset all restores every entry");
	free(t1);
	free(t0);
}


static int read_int(const char *path)
{
	char *t = slurp(path);
	int v = t ? atoi(t) : -1;

	free(t);
	return v;
}

static void write_str(const char *path, const char *s)
{
	puts_(path, s);
}

/* occurrences of @needle in the kernel log */
static int klog_count(const char *needle)
{
	static char buf[1 << 20];
	int len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);
	const char *p = buf;
	int n = 0;

	if (len < 0)
		return -1;
	buf[len] = 0;
	while ((p = strstr(p, needle))) {
		n++;
		p++;
	}
	return n;
}

#define RET0_INSNS \
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0), \
	INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int load_prog(int type, int attach, const struct bpf_insn *insns,
		     int n, int flags)
{
	char log[2048] = "";
	union bpf_attr a = {
		.prog_type = type,
		.insns = (unsigned long)insns,
		.insn_cnt = n,
		.license = (unsigned long)"GPL",
		.expected_attach_type = attach,
		.prog_flags = flags,
		.log_buf = (unsigned long)log, .log_size = sizeof(log),
		.log_level = 1,
	};
	int fd = bpf(BPF_PROG_LOAD, &a);

	if (fd < 0 && getenv("VERBOSE"))
		printf("# type %d: %s\n%s", type, strerror(errno), log);
	return fd;
}

static const struct {
	int type, attach, flags;
	const char *name;
} types[] = {
	{ BPF_PROG_TYPE_SOCKET_FILTER, 0, 0, "socket_filter" },
	{ BPF_PROG_TYPE_KPROBE, 0, 0, "kprobe" },
	{ BPF_PROG_TYPE_SCHED_CLS, 0, 0, "sched_cls" },
	{ BPF_PROG_TYPE_SCHED_ACT, 0, 0, "sched_act" },
	{ BPF_PROG_TYPE_TRACEPOINT, 0, 0, "tracepoint" },
	{ BPF_PROG_TYPE_XDP, 0, 0, "xdp" },
	{ BPF_PROG_TYPE_PERF_EVENT, 0, 0, "perf_event" },
	{ BPF_PROG_TYPE_CGROUP_SKB, 0, 0, "cgroup_skb" },
	{ BPF_PROG_TYPE_CGROUP_SOCK, 0, 0, "cgroup_sock" },
	{ BPF_PROG_TYPE_LWT_IN, 0, 0, "lwt_in" },
	{ BPF_PROG_TYPE_LWT_OUT, 0, 0, "lwt_out" },
	{ BPF_PROG_TYPE_LWT_XMIT, 0, 0, "lwt_xmit" },
	{ BPF_PROG_TYPE_SOCK_OPS, 0, 0, "sock_ops" },
	{ BPF_PROG_TYPE_SK_SKB, 0, 0, "sk_skb" },
	{ BPF_PROG_TYPE_CGROUP_DEVICE, 0, 0, "cgroup_device" },
	{ BPF_PROG_TYPE_SK_MSG, 0, 0, "sk_msg" },
	{ BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, "raw_tracepoint" },
	{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, 0,
	  "cgroup_sock_addr" },
	{ BPF_PROG_TYPE_LWT_SEG6LOCAL, 0, 0, "lwt_seg6local" },
	{ BPF_PROG_TYPE_SK_REUSEPORT, 0, 0, "sk_reuseport" },
	{ BPF_PROG_TYPE_FLOW_DISSECTOR, 0, 0, "flow_dissector" },
	{ BPF_PROG_TYPE_CGROUP_SYSCTL, 0, 0, "cgroup_sysctl" },
	{ BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0,
	  "raw_tracepoint_writable" },
	{ BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, 0,
	  "cgroup_sockopt" },
	{ BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, 0, "sk_lookup" },
	{ BPF_PROG_TYPE_SYSCALL, 0, BPF_F_SLEEPABLE, "syscall" },
};

#define TP_ENABLE "/sys/kernel/debug/tracing/events/bpf_trace/bpf_trace_printk/enable"

/* line has every word of @want (space separated fields, in order) */
static int entry_is(const char *table, const char *name, const char *want,
		    const char *type)
{
	char line[1024], *types;

	if (!line_of(table, name, line, sizeof(line)) || !strstr(line, want))
		return 0;
	types = strrchr(line, ' ');
	return types && (!type || strstr(types, type));
}

/* The table learns every program type's helpers from its resolver. */
static void test_types(void)
{
	static const struct bpf_insn ret0[] = { RET0_INSNS };
	/* r1 = fp - 8, r2 = 8, r3 = 0: probe_read_kernel(fp - 8, 8, NULL) */
	static const struct bpf_insn prk[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, -8),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 8),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 0),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_kernel),
		RET0_INSNS,
	};
	char *t0, *t, line[1024];
	int i, fd, loaded = 0, tp0, n0, n1, ok;
	long dflt0, dflt1;
	char *st;

	t0 = slurp(TABLE);
	tp0 = read_int(TP_ENABLE);
	st = slurp("/sys/kernel/armjit/stats");
	dflt0 = st && strstr(st, "calls_default ") ?
		atol(strstr(st, "calls_default ") + 14) : -1;
	free(st);
	for (n0 = 0, i = 0; t0 && t0[i]; i++)
		n0 += t0[i] == '\n';
	for (i = 0; i < (int)(sizeof(types) / sizeof(types[0])); i++) {
		fd = load_prog(types[i].type, types[i].attach, ret0, 2,
			       types[i].flags);
		if (fd >= 0) {
			loaded++;
			close(fd);
		} else {
			printf("# %s: not loaded (%s)\n", types[i].name,
			       strerror(errno));
		}
	}
	t = slurp(TABLE);
	for (n1 = 0, i = 0; t && t[i]; i++)
		n1 += t[i] == '\n';
	printf("# %d program types loaded; table %d -> %d entries\n", loaded,
	       n0 - 1, n1 - 1);
	result(loaded >= 20 && n1 > n0 + 100,
	       "one program per type: the table learns their helpers");
	ok = entry_is(t, "bpf_skb_load_bytes", " u64 4 4,8,4,8 8 kernel",
		      "socket_filter") &&
	     entry_is(t, "bpf_skb_load_bytes", " kernel", "sched_cls") &&
	     entry_is(t, "bpf_csum_diff", " u64 5 4,8,4,8,8 8 kernel",
		      "sched_cls") &&
	     entry_is(t, "bpf_redirect", " u64 2 8,8 8 kernel", "sched_cls");
	result(ok, "skb helpers: skb_load_bytes, csum_diff, redirect");
	ok = entry_is(t, "bpf_xdp_adjust_head", " u64 2 4,8 8 kernel", "xdp") &&
	     entry_is(t, "bpf_xdp_redirect", " u64 2 8,8 8 kernel", "xdp") &&
	     entry_is(t, "bpf_xdp_event_output", " u64 5 4,4,8,4,8 8 kernel",
		      "xdp");
	result(ok, "xdp helpers: xdp_adjust_head, redirect, perf_event_output");
	ok = entry_is(t, "bpf_perf_event_output", " u64 5 4,4,8,4,8 8 kernel",
		      "kprobe") &&
	     entry_is(t, "bpf_get_current_pid_tgid", " u64 0 - 8 kernel",
		      "tracepoint") &&
	     entry_is(t, "bpf_get_stackid", " u64 3 4,4,8 8 kernel",
		      "kprobe");
	result(ok, "tracing helpers: perf_event_output, get_current_pid_tgid, get_stackid");
	if (line_of(t, "bpf_skb_load_bytes", line, sizeof(line)))
		printf("# %s\n", line);

	ok = !line_of(t, "bpf_trace_printk", line, sizeof(line)) &&
	     !line_of(t, "bpf_probe_write_user", line, sizeof(line)) &&
	     !line_of(t, "bpf_probe_read_kernel", line, sizeof(line));
	result(ok || line_of(t0, "bpf_trace_printk", line, sizeof(line)),
	       "side-effect helpers not asked for programs that don't call them");
	result(read_int(TP_ENABLE) == tp0,
	       "bpf_trace_printk's trace event left as it was");

	fd = load_prog(BPF_PROG_TYPE_KPROBE, 0, prk,
		       sizeof(prk) / sizeof(prk[0]), 0);
	free(t);
	t = slurp(TABLE);
	ok = fd >= 0 && entry_is(t, "bpf_probe_read_kernel",
				 " u64 3 4,8,8 8 kernel", "kprobe");
	if (line_of(t, "bpf_probe_read_kernel", line, sizeof(line)))
		printf("# %s\n", line);
	result(ok, "probe_read_kernel: listed once a kprobe program calls it");
	if (fd >= 0)
		close(fd);
	st = slurp("/sys/kernel/armjit/stats");
	dflt1 = st && strstr(st, "calls_default ") ?
		atol(strstr(st, "calls_default ") + 14) : -2;
	free(st);
	result(dflt0 >= 0 && dflt1 == dflt0, "no call got the default");
	free(t);
	free(t0);
}

/* in a child: uid @uid, CAP_SYS_ADMIN dropped if @drop; reads @path or
 * writes @data to it. Exit status: errno of the write, 0; for a read, 1
 * if any "0x" address in the text is not 0x00000000, else 0.
 */
static int as_other(uid_t uid, int drop, const char *path, const char *data)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (drop) {
			struct __user_cap_header_struct h = {
				_LINUX_CAPABILITY_VERSION_3, 0 };
			struct __user_cap_data_struct d[2];

			syscall(__NR_capget, &h, d);
			d[CAP_SYS_ADMIN / 32].effective &=
				~(1u << (CAP_SYS_ADMIN % 32));
			if (syscall(__NR_capset, &h, d))
				_exit(100);
		}
		if (uid && setuid(uid))
			_exit(101);
		if (data)
			_exit(puts_(path, data));
		{
			char *t = slurp(path), *p = t;

			if (!t)
				_exit(102);
			while ((p = strstr(p, " 0x"))) {
				if (strncmp(p, " 0x00000000 ", 12))
					_exit(1);
				p++;
			}
			_exit(0);
		}
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_safety(void)
{
	const char *kr = "/proc/sys/kernel/kptr_restrict";
	char *old_kr = slurp(kr), line[1024], *t;
	int taint0, n0, r;

	write_str(kr, "1\n");
	r = as_other(0, 0, TABLE, NULL);
	result(r == 1, "kptr_restrict=1: root (CAP_SYSLOG) sees addresses");
	r = as_other(65534, 0, TABLE, NULL);
	result(r == 0, "kptr_restrict=1: an unprivileged reader sees 0x00000000");
	write_str(kr, "2\n");
	r = as_other(0, 0, TABLE, NULL);
	result(r == 0, "kptr_restrict=2: even root sees 0x00000000");
	if (old_kr)
		write_str(kr, old_kr);
	free(old_kr);

	r = as_other(0, 1, OVERRIDE, "bpf_map_lookup_elem nargs=5\n");
	result(r == EPERM, "override without CAP_SYS_ADMIN: EPERM");

	taint0 = read_int("/proc/sys/kernel/tainted");
	n0 = klog_count("override of bpf_map_lookup_elem is narrower");
	r = puts_(OVERRIDE, "bpf_map_lookup_elem conv=u64 args=8,8,8,8,8 ret=8\n");
	t = slurp(TABLE);
	result(!r && line_of(t, "bpf_map_lookup_elem", line, sizeof(line)) &&
	       strstr(line, " u64 5 8,8,8,8,8 8 kernel,override") &&
	       klog_count("override of bpf_map_lookup_elem is narrower") == n0 &&
	       ((taint0 & 64) ||
		!(read_int("/proc/sys/kernel/tainted") & 64)),
	       "a widening override: allowed, no taint");
	free(t);
	n0 = klog_count("override of bpf_ktime_get_ns is narrower");
	r = puts_(OVERRIDE, "bpf_ktime_get_ns ret=4\n");
	result(!r && (read_int("/proc/sys/kernel/tainted") & 64) &&
	       klog_count("override of bpf_ktime_get_ns is narrower") == n0 + 1,
	       "a narrowing override taints (TAINT_USER), one line naming it");
	puts_(RESET, "all\n");
}

/* Call sites take their convention from the table. */
static void test_call_sites(void)
{
	unsigned int len_u64 = 0, len_aapcs = 0, len_again = 0;
	int fd_u64, fd_aapcs, fd_again, r;

	map_fd = make_map();
	if (map_fd < 0) {
		printf("# map: %s\n", strerror(errno));
		result(0, "map created");
		return;
	}
	fd_u64 = load_update_prog(&len_u64);
	map_clear();
	r = run(fd_u64);
	printf("# u64: jited_len %u, r0 %d, map[1] 0x%x\n", len_u64, r,
	       map_get(1));
	result(fd_u64 >= 0 && len_u64 && r == 0 && map_get(1) == 0x1234,
	       "u64 convention: map_update_elem(map, &1, &0x1234) works");

	/*
	 * The real-prototype layout of (ptr, ptr, ptr, u64, u64): map r0,
	 * key r1, value r2, R4 at [sp], R5 at [sp+8]. The u64 wrapper reads
	 * map r0, key r2 (the value, 0x1234: out of range), value [sp] and
	 * flags [sp+8] (R5 = 0, valid): -E2BIG and no update. Shows the call
	 * site used the entry. (Without the fifth argument the wrapper's
	 * flags would be whatever lies above the outgoing arguments.)
	 */
	if (puts_(OVERRIDE,
		  "bpf_map_update_elem conv=aapcs args=4,4,4,8,8\n"))
		result(0, "override map_update_elem to aapcs");
	fd_aapcs = load_update_prog(&len_aapcs);
	map_clear();
	r = run(fd_aapcs);
	printf("# aapcs: jited_len %u, r0 %d, map[1] 0x%x\n", len_aapcs, r,
	       map_get(1));
	result(fd_aapcs >= 0 && len_aapcs != len_u64 && r == -E2BIG &&
	       map_get(1) == 0, "aapcs entry changes the call site's layout");

	map_clear();
	r = run(fd_u64);
	result(r == 0 && map_get(1) == 0x1234,
	       "a program JIT'ed before the override keeps its code");

	puts_(RESET, "bpf_map_update_elem\n");
	fd_again = load_update_prog(&len_again);
	map_clear();
	r = run(fd_again);
	result(fd_again >= 0 && len_again == len_u64 && r == 0 &&
	       map_get(1) == 0x1234, "after reset, new programs are right again");
	close(fd_u64);
	close(fd_aapcs);
	close(fd_again);
	close(map_fd);
}

int main(void)
{
	printf("TAP version 13\n1..31\n");
	if (access(TABLE, R_OK)) {
		printf("# armjit not loaded\n");
		return 1;
	}
	test_types();
	test_safety();
	test_sysfs();
	test_call_sites();
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       nr - failed, failed);
	return failed ? 1 : 0;
}
