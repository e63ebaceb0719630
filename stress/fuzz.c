// SPDX-License-Identifier: GPL-2.0
/*
 * Differential fuzzing: random, verifier-valid socket-filter programs, each
 * loaded twice, interpreted (bpf_jit_enable=0) and JIT'ed by armjit
 * (bpf_jit_enable=1, armjit enabled), run with BPF_PROG_TEST_RUN on a fixed
 * packet; R0, all registers and the stack area (copied into a map at the
 * end) and the array map contents must be equal.
 *
 *   fuzz [--seed S] [-n N] [--verbose]
 *
 * Program i uses seed S+i: a failure prints it and the program (hex insns)
 * and "--seed X -n 1" replays it alone.
 *
 * The programs are fuzz_gen.c's (shared with the host fuzzer,
 * tests/host/fuzz.c); tail calls go into an empty prog array (fall
 * through).
 */
#include "common.h"
#include "fuzz_gen.h"

#define VAL	FUZZ_VAL
#define NKEY	FUZZ_NKEY

static struct fuzz_prog fp;
static struct bpf_insn *prog = fp.insns;
static int n;
static int use_calls;
static int map_fd, pa_fd, pa_fd_jit;
static struct bpf_insn prog_jit[FUZZ_MAXI];

static struct bpf_insn call_helper(int func)
{
	return CALL_HELPER(func);
}

/* the kernel's: map fds, helper ids (the verifier resolves both) */
static struct fuzz_env env = {
	.map_src = BPF_PSEUDO_MAP_FD,
	.call = call_helper,
};

static unsigned char init_val[NKEY][VAL];

static void map_reset(void)
{
	uint32_t k;

	for (k = 0; k < NKEY; k++)
		map_update(map_fd, &k, init_val[k]);
}

static int run(int fd, uint32_t *ret, unsigned char out[NKEY][VAL])
{
	uint32_t k;
	int err;

	map_reset();
	err = prog_run(fd, pkt, sizeof(pkt), 1, ret);
	for (k = 0; k < NKEY; k++)
		map_lookup(map_fd, &k, out[k]);
	return err;
}

/* Outcome of one program: */
enum { SAME, DIFF, REJECTED, DECLINED };
static unsigned char oi[NKEY][VAL], oa[NKEY][VAL];
static uint32_t ri, ra;
static int ei, ea, fa_err, fa_owner;

/* The verifier log of a load that failed, into bpf_log. */
static void log_failed(const struct bpf_insn *p)
{
	int fd = prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, n, 1);

	if (fd >= 0)
		close(fd);
}

/* Generate program @s with @groups groups (-1: its own count) and compare. */
static int one(uint64_t s, int groups)
{
	int fi, fa, k, r;

	env.map[FUZZ_MAP_ARRAY] = map_fd;
	env.map[FUZZ_MAP_PROGS] = pa_fd;
	fuzz_gen(&env, s, groups, &fp);
	n = fp.len;
	use_calls = fp.use_calls;
	set_jit(0);
	/*
	 * Loads without a verifier log (level 1 logs every state: most of a
	 * load's time); a failed one is loaded again with it for the report.
	 */
	fi = prog_load(BPF_PROG_TYPE_SOCKET_FILTER, prog, n, 0);
	if (fi < 0) {
		log_failed(prog);
		return REJECTED;
	}
	memcpy(prog_jit, prog, n * sizeof(prog[0]));
	for (k = 0; k < n; k++)
		if (prog_jit[k].code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    prog_jit[k].src_reg == BPF_PSEUDO_MAP_FD &&
		    prog_jit[k].imm == pa_fd)
			prog_jit[k].imm = pa_fd_jit;
	set_jit(1);
	set_armjit(1);
	fa = prog_load(BPF_PROG_TYPE_SOCKET_FILTER, prog_jit, n, 0);
	if (fa < 0)
		log_failed(prog_jit);
	set_armjit(0);
	fa_err = fa < 0 ? fa : 0;
	fa_owner = fa >= 0 ? prog_owner(fa) : '-';
	if (fa < 0 || fa_owner != 'a') {
		close(fi);
		if (fa >= 0)
			close(fa);
		return DECLINED;
	}
	ri = ra = 0;
	ei = run(fi, &ri, oi);
	ea = run(fa, &ra, oa);
	r = ei || ea || ri != ra || memcmp(oi, oa, sizeof(oi)) ? DIFF : SAME;
	close(fi);
	close(fa);
	return r;
}

/*
 * The smallest prefix of @s's groups (gen(k) makes the first k groups of
 * gen(groups), then the epilogue) that still differs: the reproducer.
 */
static void reduce(uint64_t s)
{
	int k, groups;

	groups = fuzz_gen(&env, s, 0, &fp);
	for (k = 0; k < groups; k++)
		if (one(s, k) == DIFF)
			break;
	if (k == groups) {
		one(s, -1);
		printf("# seed %llu: no smaller prefix differs; the whole program (%d insns):\n",
		       (unsigned long long)s, n);
	} else {
		printf("# seed %llu: reduced reproducer: the first %d of %d groups (%d insns), interpreter %d 0x%08x, armjit %d 0x%08x:\n",
		       (unsigned long long)s, k, groups, n, ei, ri, ea, ra);
	}
	dump_insns(prog, n);
}

#ifndef BPF_LOAD_ACQ
#define BPF_LOAD_ACQ	0x100
#endif

/* Does the verifier take a load-acquire (6.15+, 7.2 here)? */
static int acq_rel_taken(void)
{
	struct bpf_insn p[] = {
		ST_MEM(BPF_W, 10, -8, 42),
		ATOMIC_OP(BPF_W, BPF_LOAD_ACQ, 0, 10, -8),
		EXIT(),
	};
	int fd = prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, 3, 0);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int cmd_fuzz(int argc, char **argv)
{
	uint64_t seed = 1;
	int count = 200, verbose = 0, i, k;
	int rejected = 0, declined = 0, diff = 0, ran = 0, with_calls = 0;
	long c0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			count = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = 1;
	}
	map_fd = map_create(BPF_MAP_TYPE_ARRAY, 4, VAL, NKEY);
	/* a prog array belongs to interpreted or to JIT'ed programs */
	pa_fd = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4);
	pa_fd_jit = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4);
	if (map_fd < 0 || pa_fd < 0) {
		result(0, "fuzz_setup # %d %d", map_fd, pa_fd);
		return 1;
	}
	fuzz_bytes(0x1234, &init_val[0][0], sizeof(init_val));
	env.acq_rel = acq_rel_taken();
	printf("# load-acquire/store-release: %s\n",
	       env.acq_rel ? "the verifier takes them, generated" :
			     "not on this kernel");
	c0 = armjit_stat("compiled");
	for (i = 0; i < count; i++) {
		uint64_t s = seed + i;

		/* a long run killed by its timeout still shows how far it got */
		if (i && !(i % 500))
			fprintf(stderr, "# fuzz progress: %d of %d programs, %d compared, %d differences, %d not JIT'ed\n",
				i, count, ran, diff, declined);
		switch (one(s, -1)) {
		case REJECTED:
			rejected++;
			if (verbose || rejected <= 3) {
				diag("seed %llu: verifier rejected: %.300s",
				     (unsigned long long)s,
				     bpf_log + (strlen(bpf_log) > 300 ?
						strlen(bpf_log) - 300 : 0));
			}
			continue;
		case DECLINED:
			declined++;
			if (fa_err)
				diag("log: %.300s", bpf_log + (strlen(bpf_log) > 300 ? strlen(bpf_log) - 300 : 0));
			printf("# seed %llu: armjit did not JIT it (load %d, owner %c); replay: fuzz --seed %llu -n 1\n",
			       (unsigned long long)s, fa_err, fa_owner,
			       (unsigned long long)s);
			continue;
		case DIFF:
			ran++;
			with_calls += use_calls;
			diff++;
			printf("# seed %llu: DIFFERENCE interpreter %d 0x%08x, armjit %d 0x%08x; replay: armjit-stress fuzz --seed %llu -n 1\n",
			       (unsigned long long)s, ei, ri, ea, ra,
			       (unsigned long long)s);
			for (k = 0; k < NKEY * VAL; k++)
				if (oi[k / VAL][k % VAL] != oa[k / VAL][k % VAL])
					printf("# map key %d byte %d: interpreter %02x armjit %02x\n",
					       k / VAL, k % VAL,
					       oi[k / VAL][k % VAL],
					       oa[k / VAL][k % VAL]);
			if (diff <= 3 || verbose)
				reduce(s);
			continue;
		default:
			ran++;
			with_calls += use_calls;
			if (verbose)
				diag("seed %llu: %d insns, 0x%08x",
				     (unsigned long long)s, n, ri);
		}
	}
	set_jit(1);
	diag("fuzz: seeds %llu..%llu: %d programs, %d verifier-rejected, %d not JIT'ed by armjit, %d compared, %d differences (armjit compiled %ld; %d of them with bpf-to-bpf calls)",
	     (unsigned long long)seed, (unsigned long long)(seed + count - 1),
	     count, rejected, declined, ran, diff,
	     armjit_stat("compiled") - c0, with_calls);
	result(!diff && !declined && ran > 0,
	       "fuzz_differential_seed%llu_n%d # %d differences, %d not JIT'ed",
	       (unsigned long long)seed, count, diff, declined);
	result(rejected * 10 <= count,
	       "fuzz_few_verifier_rejections # %d of %d", rejected, count);
	return 0;
}
