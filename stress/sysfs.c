// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs fuzz: malformed writes to every armjit file must fail with EINVAL
 * (errno of write(2)) and leave enabled and helpers/table unchanged;
 * read-only files refuse writes; modes are 0644/0444/0200, root-owned.
 */
#include "common.h"
#include <sys/stat.h>
#include <sys/wait.h>

struct bad { const char *s; size_t len; };
#define B(x) { x, sizeof(x) - 1 }

static char longbuf[8192];

/* write(2) of exactly len bytes: 0 or -errno (a 0-byte write may return 0) */
static int raw_write(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

static void fuzz_file(const char *file, const struct bad *b, int n,
		      const char *watch)
{
	static char before[65536], after[65536];
	char path[256];
	int i, bad = 0;

	snprintf(path, sizeof(path), SYS_ARMJIT "/%s", file);
	read_file(watch, before, sizeof(before));
	for (i = 0; i < n; i++) {
		int err = raw_write(path, b[i].s, b[i].len);

		read_file(watch, after, sizeof(after));
		/* sysfs answers a 0-byte write with 0 without calling us */
		if ((err == -EINVAL || (b[i].len == 0 && err == 0)) &&
		    !strcmp(before, after))
			continue;
		bad++;
		printf("# %s: write #%d (%zu bytes) \"%.40s\": %s, %s\n", file,
		       i, b[i].len, b[i].s, err ? strerror(-err) : "accepted",
		       strcmp(before, after) ? "CHANGED the value" :
		       "value unchanged");
		if (strcmp(before, after)) {
			/* put it back for the next cases */
			if (!strcmp(file, "enabled"))
				write_file(path, before);
			else
				write_file(SYS_ARMJIT "/helpers/reset", "all");
		}
	}
	result(!bad, "sysfs_fuzz_%s_%s # %d malformed writes, %d accepted or not EINVAL",
	       strchr(file, '/') ? strchr(file, '/') + 1 : file,
	       strstr(watch, "enabled") ? (before[0] == '1' ? "from1" : "from0") : "table",
	       n, bad);
}

int cmd_sysfs(int argc, char **argv)
{
	static const struct { const char *f; unsigned int mode; } modes[] = {
		{ "enabled", 0644 }, { "stats", 0444 },
		{ "helpers/table", 0444 }, { "helpers/override", 0200 },
		{ "helpers/reset", 0200 },
	};
	static const struct bad en[] = {
		B("2"), B("-1"), B("\n"), B(" "), B(" 1"), B("1 "), B("1\n\n"),
		B("abc"), B("0x1"), B("4294967296"), B("4294967297"),
		B("99999999999999999999999"), B("1a"), B("+2"), B("-0x1"),
		B("\x01\x02\xff"), B("1\0"), B("0\0"), B("1\0garbage"),
		B("\t1"), B("1\r"), B("yes"), B("true"), B("on"), B(""),
	};
	static const struct bad ov[] = {
		B(""), B("\n"), B(" "), B("no_such_helper nargs=1"),
		B("bpf_map_lookup_elem"), B("bpf_map_lookup_elem "),
		B("bpf_map_lookup_elem nargs=6"), B("bpf_map_lookup_elem nargs=-1"),
		B("bpf_map_lookup_elem nargs=256"),
		B("bpf_map_lookup_elem nargs=99999999999999999999"),
		B("bpf_map_lookup_elem nargs="), B("bpf_map_lookup_elem nargs"),
		B("bpf_map_lookup_elem =2"), B("bpf_map_lookup_elem conv=bogus"),
		B("bpf_map_lookup_elem conv=U64"),
		B("bpf_map_lookup_elem args=4,4,4,4,4,4"),
		B("bpf_map_lookup_elem args=3"), B("bpf_map_lookup_elem args="),
		B("bpf_map_lookup_elem args=4,,4"), B("bpf_map_lookup_elem args=4,"),
		B("bpf_map_lookup_elem args=,4"), B("bpf_map_lookup_elem args=-4"),
		B("bpf_map_lookup_elem ret=2"), B("bpf_map_lookup_elem ret=-4"),
		B("bpf_map_lookup_elem ret=4294967300"),
		B("bpf_map_lookup_elem bogus=1"),
		B("bpf_map_lookup_elem nargs=2 conv=u64 bogus=1"),
		B("bpf_map_lookup_elem nargs=1=2"),
		B("bpf_map_lookup_elem nargs=2\0junk"),
		B("bpf_map_lookup_elem\x01nargs=2"), B("\xff\xfe\xfd"),
		B("BPF_MAP_LOOKUP_ELEM nargs=2"), B("all nargs=1"),
		/* (29 valid repeats of nargs=2 in < 256 bytes are accepted: valid) */
		{ longbuf, 300 }, { longbuf, 4096 }, { longbuf, 8000 },
	};
	static const struct bad rs[] = {
		B(""), B("\n"), B("no_such_helper"), B("al"), B("all all"),
		B("ALL"), B("bpf_map_lookup_elem x"), B("all\0"),
		B("\x01\x02"), { longbuf, 300 }, { longbuf, 4096 },
		{ longbuf, 8000 }, B("bpf_map_lookup_elem\0"),
	};
	struct stat st;
	unsigned int i;
	int fd, err, start;
	pid_t pid;

	memset(longbuf, 'a', sizeof(longbuf));
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		char path[256];

		snprintf(path, sizeof(path), SYS_ARMJIT "/%s", modes[i].f);
		err = stat(path, &st);
		result(!err && (st.st_mode & 07777) == modes[i].mode &&
		       st.st_uid == 0,
		       "sysfs_mode_%s_0%o # 0%o uid %d",
		       strchr(modes[i].f, '/') ? strchr(modes[i].f, '/') + 1 :
		       modes[i].f, modes[i].mode, st.st_mode & 07777, st.st_uid);
	}
	write_file(SYS_ARMJIT "/helpers/reset", "all");
	for (start = 0; start <= 1; start++) {
		set_armjit(start);
		fuzz_file("enabled", en, ARRAY_SIZE(en), SYS_ARMJIT "/enabled");
	}
	set_armjit(0);
	fuzz_file("helpers/override", ov, ARRAY_SIZE(ov),
		  SYS_ARMJIT "/helpers/table");
	fuzz_file("helpers/reset", rs, ARRAY_SIZE(rs),
		  SYS_ARMJIT "/helpers/table");
	/* read-only files: opening them for writing fails, even for root */
	for (i = 1; i <= 2; i++) {
		char path[256];

		snprintf(path, sizeof(path), SYS_ARMJIT "/%s", modes[i].f);
		fd = open(path, O_WRONLY);
		err = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
		result(err == EACCES, "sysfs_readonly_%s # open(O_WRONLY): %s",
		       strchr(modes[i].f, '/') ? strchr(modes[i].f, '/') + 1 :
		       modes[i].f, err ? strerror(err) : "opened");
	}
	/* not root: no write access */
	pid = fork();
	if (pid == 0) {
		int n = 0;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		n += open(SYS_ARMJIT "/enabled", O_WRONLY) >= 0;
		n += open(SYS_ARMJIT "/helpers/override", O_WRONLY) >= 0;
		n += open(SYS_ARMJIT "/helpers/reset", O_WRONLY) >= 0;
		_exit(n);
	}
	waitpid(pid, &err, 0);
	result(WIFEXITED(err) && WEXITSTATUS(err) == 0,
	       "sysfs_nobody_cannot_write # %d files opened", WEXITSTATUS(err));
	return 0;
}
