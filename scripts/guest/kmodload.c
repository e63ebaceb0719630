// SPDX-License-Identifier: GPL-2.0
/*
 * kmodload FILE [PARAM=VALUE...]: loads a kernel module with finit_module()
 * only. busybox insmod retries with init_module() after any finit_module()
 * failure, so a module whose init fails (test_bpf with failures) would run
 * twice. A FILE ending in .xz/.gz/.zst is handed to the kernel compressed
 * (MODULE_INIT_COMPRESSED_FILE, kernels >= 6.4).
 * Exit status: 0, or 1 with "kmodload: FILE: error" on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int main(int argc, char **argv)
{
	static char params[65536];
	size_t len = 0;
	int fd, flags = 0, i;

	if (argc < 2) {
		fprintf(stderr, "usage: kmodload FILE [PARAM=VALUE...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		int n = snprintf(params + len, sizeof(params) - len, "%s%s",
				 len ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(params) - len) {
			fprintf(stderr, "kmodload: parameters too long\n");
			return 2;
		}
		len += n;
	}
	if (ends_with(argv[1], ".xz") || ends_with(argv[1], ".gz") ||
	    ends_with(argv[1], ".zst"))
		flags |= MODULE_INIT_COMPRESSED_FILE;
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, flags)) {
		fprintf(stderr, "kmodload: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
