// SPDX-License-Identifier: GPL-2.0
/*
 * Guest test helper: the tail-call ABI between images (module/armjit_jit.h,
 * ARMJIT_TC_MARK, enum armjit_stock_tc). One case per run, one "# " line
 * saying what happened; exit 0 when it is as expected, 1 if not, 2 on a
 * setup error. Needs bpf_jit_enable=1 and armjit loaded; leaves armjit
 * enabled as it found it.
 *
 *   tail_abi old      an armjit caller tail-calls an image of tail-call
 *                     ABI 1 (debugfs armjit/tc_abi = 1: an older armjit's
 *                     image stand-in): an empty slot, the caller's own
 *                     value; into a current image: the target's
 *   tail_abi stock on|refused
 *                     a stock-JIT'ed caller tail-calls an armjit image,
 *                     directly and into an armjit chain of two: on, the
 *                     target's value; refused (the stub refuses), 0
 */
#include <stddef.h>
#include "../../stress/common.h"

char bpf_log[4 << 20];
int nfail;
const unsigned char pkt[64];

#define TC_ABI	"/sys/kernel/debug/armjit/tc_abi"
#define FALL	0xfa11

static int target(uint32_t val)
{
	struct bpf_insn p[] = { MOV64_IMM(0, val), EXIT() };

	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_SIZE(p), 1);
}

/* tail call pa[idx]; on an empty slot R0 = @fall (the frame survived) */
static int caller(int pa, int idx, uint32_t fall)
{
	struct bpf_insn p[] = {
		ST_MEM(BPF_DW, 10, -8, 0x77),
		LD_MAP_FD(2, pa),
		MOV64_IMM(3, idx),
		CALL_HELPER(BPF_FUNC_tail_call),
		LDX_MEM(BPF_DW, 0, 10, -8),
		ALU64_IMM(BPF_ADD, 0, fall - 0x77),
		EXIT(),
	};

	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_SIZE(p), 1);
}

static int put_slot(int pa, uint32_t key, int fd)
{
	return map_update(pa, &key, &fd);
}

/* Runs @fd 100 times: each result must be @want. */
static int expect(const char *name, int fd, uint32_t want)
{
	uint32_t r = ~want;
	int i, err = 0;

	for (i = 0; i < 100; i++) {
		r = ~want;
		err = prog_run(fd, pkt, sizeof(pkt), 1, &r);
		if (err || r != want)
			break;
	}
	printf("# %s: caller %c, result 0x%x (want 0x%x), err %d\n", name,
	       prog_owner(fd), r, want, err);
	return i == 100 ? 0 : 1;
}

static int case_old(void)
{
	int pa, t_old, t_new, fd, bad = 0;
	char was[16] = "";

	set_armjit(1);
	if (read_file(TC_ABI, was, sizeof(was)) < 0 ||
	    write_file(TC_ABI, "1")) {
		printf("# no %s\n", TC_ABI);
		return 2;
	}
	t_old = target(0xa1);
	write_file(TC_ABI, was);
	t_new = target(0xa2);
	pa = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2);
	if (t_old < 0 || t_new < 0 || pa < 0 ||
	    put_slot(pa, 0, t_old) || put_slot(pa, 1, t_new)) {
		printf("# setup: %d %d %d\n", t_old, t_new, pa);
		return 2;
	}
	printf("# targets: %c (ABI 1 stand-in), %c (current)\n",
	       prog_owner(t_old), prog_owner(t_new));
	bad |= prog_owner(t_old) != 'o' || prog_owner(t_new) != 'a';
	fd = caller(pa, 0, FALL);
	bad |= fd < 0 || expect("armjit -> ABI 1 image: empty slot", fd, FALL);
	close(fd);
	fd = caller(pa, 1, FALL);
	bad |= fd < 0 || expect("armjit -> current image: lands", fd, 0xa2);
	close(fd);
	return bad;
}

static int case_stock(int on)
{
	int pa, t, a, s, s2, bad = 0;

	pa = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 3);
	set_armjit(1);
	t = target(0xa2);
	a = caller(pa, 2, FALL);	/* armjit -> armjit */
	set_armjit(0);
	s = caller(pa, 0, FALL);	/* stock -> armjit */
	s2 = caller(pa, 1, FALL);	/* stock -> armjit -> armjit */
	if (pa < 0 || t < 0 || a < 0 || s < 0 || s2 < 0 ||
	    put_slot(pa, 0, t) || put_slot(pa, 1, a) || put_slot(pa, 2, t)) {
		printf("# setup: %d %d %d %d %d\n", pa, t, a, s, s2);
		return 2;
	}
	printf("# target %c, armjit caller %c, stock callers %c %c\n",
	       prog_owner(t), prog_owner(a), prog_owner(s), prog_owner(s2));
	bad |= prog_owner(t) != 'a' || prog_owner(a) != 'a' ||
	       prog_owner(s) != 's' || prog_owner(s2) != 's';
	bad |= expect(on ? "stock -> armjit: lands" :
		      "stock -> armjit: refused, the stock program returns 0",
		      s, on ? 0xa2 : 0);
	bad |= expect(on ? "stock -> armjit -> armjit: lands" :
		      "stock -> armjit -> armjit: refused at the first, 0",
		      s2, on ? 0xa2 : 0);
	bad |= expect("armjit -> armjit: lands", a, 0xa2);
	return bad;
}

int main(int argc, char **argv)
{
	int was = (int)read_long(SYS_ARMJIT "/enabled"), rc = 2;

	set_jit(1);
	if (argc == 2 && !strcmp(argv[1], "old"))
		rc = case_old();
	else if (argc == 3 && !strcmp(argv[1], "stock"))
		rc = case_stock(!strcmp(argv[2], "on"));
	else
		fprintf(stderr, "usage: tail_abi old | stock on|refused\n");
	set_armjit(was > 0);
	return rc;
}
