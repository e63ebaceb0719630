// SPDX-License-Identifier: GPL-2.0
/*
 * proginfo ID [FILE]: the kernel's own bpf_prog_info of program ID (raw
 * bpf(2), no libbpf), as key=value lines, for tests/bpftool to compare with
 * what bpftool prints; with FILE, also the JIT'ed image (jited_prog_insns:
 * what "bpftool prog dump jited id ID file FILE" writes) into FILE:
 *	id=N type=N name=S jited_prog_len=N xlated_prog_len=N
 *	nr_jited_ksyms=N nr_jited_func_lens=N
 *	func=I len=N addr=0xADDR	(one line per JIT'ed function)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#define MAXF 256

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(__NR_bpf, cmd, a, sizeof(*a));
}

int main(int argc, char **argv)
{
	static uint32_t lens[MAXF];
	static uint64_t ksyms[MAXF];
	unsigned char *img = NULL;
	uint32_t img_len = 0;
	FILE *f;
	struct bpf_prog_info info;
	union bpf_attr a;
	uint32_t i, n;
	int fd;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: proginfo ID [FILE]\n");
		return 2;
	}
	memset(&a, 0, sizeof(a));
	a.prog_id = strtoul(argv[1], NULL, 0);
	fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd < 0) {
		fprintf(stderr, "proginfo: BPF_PROG_GET_FD_BY_ID %s: %s\n",
			argv[1], strerror(errno));
		return 1;
	}
	if (argc == 3) {
		/* the length first, then the image */
		memset(&info, 0, sizeof(info));
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = fd;
		a.info.info_len = sizeof(info);
		a.info.info = (uintptr_t)&info;
		if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a)) {
			fprintf(stderr, "proginfo: BPF_OBJ_GET_INFO_BY_FD: %s\n",
				strerror(errno));
			return 1;
		}
		img_len = info.jited_prog_len;
		img = calloc(1, img_len + 1);
		if (!img)
			return 1;
	}
	memset(&info, 0, sizeof(info));
	if (img) {
		info.jited_prog_len = img_len;
		info.jited_prog_insns = (uintptr_t)img;
	}
	info.nr_jited_func_lens = MAXF;
	info.jited_func_lens = (uintptr_t)lens;
	info.nr_jited_ksyms = MAXF;
	info.jited_ksyms = (uintptr_t)ksyms;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a)) {
		fprintf(stderr, "proginfo: BPF_OBJ_GET_INFO_BY_FD: %s\n",
			strerror(errno));
		return 1;
	}
	printf("id=%u type=%u name=%s jited_prog_len=%u xlated_prog_len=%u\n",
	       info.id, info.type, info.name, info.jited_prog_len,
	       info.xlated_prog_len);
	printf("nr_jited_ksyms=%u nr_jited_func_lens=%u\n",
	       info.nr_jited_ksyms, info.nr_jited_func_lens);
	n = info.nr_jited_func_lens < MAXF ? info.nr_jited_func_lens : MAXF;
	for (i = 0; i < n; i++)
		printf("func=%u len=%u addr=0x%08llx\n", i, lens[i],
		       i < info.nr_jited_ksyms ?
		       (unsigned long long)ksyms[i] : 0ULL);
	if (img) {
		if (info.jited_prog_len != img_len) {
			fprintf(stderr, "proginfo: jited_prog_len changed\n");
			return 1;
		}
		f = fopen(argv[2], "wb");
		if (!f || fwrite(img, 1, img_len, f) != img_len || fclose(f)) {
			fprintf(stderr, "proginfo: %s: %s\n", argv[2],
				strerror(errno));
			return 1;
		}
		printf("image=%s bytes=%u\n", argv[2], img_len);
	}
	return 0;
}
