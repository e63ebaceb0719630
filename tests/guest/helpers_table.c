// SPDX-License-Identifier: GPL-2.0
/*
 * Guest test of armjit's helper metadata table (/sys/kernel/armjit/helpers):
 * its contents, malformed writes, override/reset, and that call sites use
 * it: a program calling bpf_map_update_elem() behaves differently once the
 * entry says "aapcs" (the arguments are then laid out as the real C
 * prototype would take them, which the u64 wrapper does not expect).
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
#include <linux/bpf.h>

#define DIR		"/sys/kernel/armjit/helpers/"
#define TABLE		DIR "table"
#define OVERRIDE	DIR "override"
#define RESET		DIR "reset"
#define HEADER		"# name id addr conv nargs args ret source\n"

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

#define INSN(c, d, s, o, i) ((struct bpf_insn){ c, d, s, o, i })

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
	printf("TAP version 13\n1..17\n");
	if (access(TABLE, R_OK)) {
		printf("# armjit not loaded\n");
		return 1;
	}
	test_sysfs();
	test_call_sites();
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       nr - failed, failed);
	return failed ? 1 : 0;
}
