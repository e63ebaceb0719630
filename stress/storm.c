// SPDX-License-Identifier: GPL-2.0
/*
 * Toggle and unload storms: workers load, run (BPF_PROG_TEST_RUN), check
 * and free programs in a loop while the parent toggles
 * /sys/kernel/armjit/enabled or unloads/reloads armjit.ko.
 *
 *   storm --mode toggle|unload|steady [--cycles N] [--subprogs] [--no-vmalloc]
 *   (steady: armjit stays enabled, a control for the vmalloc check)
 *
 * Programs only use what the stock arm32 JIT handles too (with
 * bpf_jit_enable=1 a program no JIT takes fails to load on 6.1), so every
 * load must succeed whoever compiles it. A pool of long-lived programs
 * (armjit- and stock-JIT'ed) keeps running across toggles and unloads.
 * --subprogs adds programs with bpf-to-bpf calls and with
 * bpf_for_each_map_elem() callbacks: the verifier JITs each function, then
 * makes an extra pass; armjit holds a module reference for a function
 * between the two, so rmmod may be refused (EAGAIN/EBUSY) only then.
 * Without --subprogs a refused rmmod is a failure. At the end the JIT image
 * areas in /proc/vmallocinfo (bpf_jit_binary_alloc) must be back to their
 * number before the storm (polled for up to 120 s: frees are deferred).
 */
#include "common.h"
#include <signal.h>
#include <time.h>
#include <sys/wait.h>
#include <sys/mman.h>

/* Shared with the workers (a signal would interrupt the verifier: EAGAIN). */
static volatile int *stop;

static uint32_t rnd_state = 0x2545f491;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static uint32_t skb_len;	/* skb->len of the test packet (measured) */

/* ---- programs -------------------------------------------------------- */

#define C0 0x0123456789abcdefULL

static int load_alu(uint32_t k)
{
	struct bpf_insn p[] = {
		MOV64_REG(6, 1),
		LD_IMM64(0, C0 ^ k),
		MOV32_IMM(2, k),
		ALU64_REG(BPF_ADD, 0, 2),
		ALU64_IMM(BPF_XOR, 0, 0x5a5a),
		MOV64_REG(3, 0),
		ALU64_IMM(BPF_RSH, 3, 7),
		ALU64_REG(BPF_ADD, 0, 3),
		ALU32_IMM(BPF_MUL, 0, 3),
		LDX_MEM(BPF_W, 4, 6, 0),
		ALU64_REG(BPF_ADD, 0, 4),
		STX_MEM(BPF_DW, 10, 0, -8),
		LDX_MEM(BPF_DW, 5, 10, -8),
		MOV64_REG(0, 5),
		ALU64_IMM(BPF_SUB, 0, 5),
		EXIT(),
	};

	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_SIZE(p), 1);
}

static uint32_t expect_alu(uint32_t k)
{
	uint64_t r0 = C0 ^ k, r3;

	r0 += k;
	r0 ^= 0x5a5a;
	r3 = r0 >> 7;
	r0 += r3;
	r0 = (uint32_t)((uint32_t)r0 * 3);
	r0 += skb_len;
	r0 -= 5;
	return r0;
}

/* Counter in an array map: returns the new value. */
static int load_map(int mapfd)
{
	struct bpf_insn p[] = {
		ST_MEM(BPF_W, 10, -4, 0),
		LD_MAP_FD(1, mapfd),
		MOV64_REG(2, 10),
		ALU64_IMM(BPF_ADD, 2, -4),
		CALL_HELPER(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JNE, 0, 0, 2),
		MOV64_IMM(0, 0),
		EXIT(),
		LDX_MEM(BPF_DW, 1, 0, 0),
		ALU64_IMM(BPF_ADD, 1, 1),
		STX_MEM(BPF_DW, 0, 1, 0),
		MOV64_REG(0, 1),
		EXIT(),
	};

	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_SIZE(p), 1);
}

/* main calls sub1 and sub2 (leaves, padded so JIT'ing them takes a while) */
#define SUB_PAD 300
static int load_sub(uint32_t k)
{
	static struct bpf_insn p[8 + 2 * (SUB_PAD + 3)];
	int n = 0, s1 = 7, s2 = s1 + SUB_PAD + 3, i;

	k &= 0x3fffffff;
	p[n++] = MOV64_IMM(1, k);
	p[n++] = CALL_PSEUDO(s1 - 2);
	p[n++] = MOV64_REG(6, 0);
	p[n++] = MOV64_REG(1, 6);
	p[n++] = CALL_PSEUDO(s2 - 5);
	p[n++] = ALU64_REG(BPF_ADD, 0, 6);
	p[n++] = EXIT();
	/* sub1 */
	p[n++] = MOV64_REG(0, 1);
	p[n++] = ALU64_IMM(BPF_MUL, 0, 3);
	for (i = 0; i < SUB_PAD; i++)
		p[n++] = ALU64_IMM(BPF_ADD, 0, 1);
	p[n++] = EXIT();
	/* sub2 */
	p[n++] = MOV64_REG(0, 1);
	p[n++] = ALU64_IMM(BPF_XOR, 0, 0x55);
	for (i = 0; i < SUB_PAD; i++)
		p[n++] = ALU64_IMM(BPF_SUB, 0, 1);
	p[n++] = EXIT();
	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, n, 1);
}

static uint32_t expect_sub(uint32_t k)
{
	uint64_t s1, s2;

	k &= 0x3fffffff;
	s1 = (uint64_t)k * 3 + SUB_PAD;
	s2 = (s1 ^ 0x55) - SUB_PAD;
	return s2 + s1;
}

/*
 * NCB callbacks of bpf_for_each_map_elem(): subprograms reached through
 * BPF_PSEUDO_FUNC. The stock arm32 JIT compiles main (it ignores the
 * ld_imm64's src_reg), armjit compiles the callbacks (leaves), which then
 * wait for the extra pass holding a module reference; main's extra pass
 * makes the stock JIT allocate a new image, so jit_subprogs() gives up and,
 * callbacks needing a JIT, the load fails with EINVAL. Expected: EINVAL.
 */
#define NCB 4

/* Minimal BTF: int, a FUNC_PROTO, FUNC "m" and FUNC "c" (static). */
static int btf_fd = -1;

static int load_btf(void)
{
	static const char strs[] = "\0int\0m\0c";
	uint32_t blob[6 + 4 + 3 + 3 + 3 + 4];
	uint32_t *t = blob + 6, tl;
	union bpf_attr a;

	/* 1: int */
	*t++ = 1; *t++ = 1u << 24; *t++ = 4; *t++ = (1u << 24) | 32;
	/* 2: int (void) */
	*t++ = 0; *t++ = 13u << 24; *t++ = 1;
	/* 3: FUNC m, 4: FUNC c */
	*t++ = 5; *t++ = 12u << 24; *t++ = 2;
	*t++ = 7; *t++ = 12u << 24; *t++ = 2;
	tl = (t - (blob + 6)) * 4;
	memcpy(t, strs, sizeof(strs));
	blob[0] = 0xeB9F | 1u << 16;	/* magic, version 1, flags 0 */
	blob[1] = 24;			/* hdr_len */
	blob[2] = 0;			/* type_off */
	blob[3] = tl;
	blob[4] = tl;			/* str_off */
	blob[5] = sizeof(strs);
	memset(&a, 0, sizeof(a));
	a.btf = ptr64(blob);
	a.btf_size = 24 + tl + sizeof(strs);
	btf_fd = sys_bpf(BPF_BTF_LOAD, &a);
	return btf_fd < 0 ? -errno : btf_fd;
}

static int load_cb(int mapfd)
{
	struct { uint32_t off, type; } fi[NCB + 1];
	union bpf_attr a;
	int fd;

	static struct bpf_insn p[1 + NCB * 7 + 2 + NCB * (SUB_PAD + 3)];
	int n = 0, cb = 0, i, j, at[NCB];

	p[n++] = MOV64_IMM(7, 0);

	for (i = 0; i < NCB; i++) {
		struct bpf_insn l[] = { LD_MAP_FD(1, mapfd) };

		p[n++] = l[0];
		p[n++] = l[1];
		at[i] = n;
		p[n++] = INSN(BPF_LD | BPF_DW | BPF_IMM, 2, BPF_PSEUDO_FUNC, 0, 0);
		p[n++] = INSN(0, 0, 0, 0, 0);
		p[n++] = MOV64_IMM(3, 0);
		p[n++] = MOV64_IMM(4, 0);
		p[n++] = CALL_HELPER(BPF_FUNC_for_each_map_elem);
		p[n++] = ALU64_REG(BPF_ADD, 7, 0);	/* elements visited: 1 */
	}
	p[n++] = MOV64_REG(0, 7);
	p[n++] = EXIT();
	for (i = 0; i < NCB; i++) {
		p[at[i]].imm = n - (at[i] + 1);
		p[n++] = MOV64_IMM(0, 0);
		for (j = 0; j < SUB_PAD; j++)
			p[n++] = ALU64_IMM(BPF_ADD, 0, 1);
		p[n++] = MOV64_IMM(0, 0);
		p[n++] = EXIT();
	}
	(void)cb;
	if (btf_fd < 0 && load_btf() < 0)
		return -ENOENT;
	fi[0].off = 0;
	fi[0].type = 3;
	for (i = 0; i < NCB; i++) {
		fi[i + 1].off = at[i] + 1 + p[at[i]].imm;
		fi[i + 1].type = 4;
	}
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = ptr64(p);
	a.insn_cnt = n;
	a.license = ptr64("GPL");
	a.prog_btf_fd = btf_fd;
	a.func_info = ptr64(fi);
	a.func_info_cnt = NCB + 1;
	a.func_info_rec_size = sizeof(fi[0]);
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	return fd < 0 ? -errno : fd;
}

static uint32_t measure_len(void)
{
	struct bpf_insn p[] = { LDX_MEM(BPF_W, 0, 1, 0), EXIT() };
	uint32_t r = 0;
	int fd = prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, 2, 0);

	if (fd >= 0) {
		prog_run(fd, pkt, sizeof(pkt), 1, &r);
		close(fd);
	}
	return r;
}

/* ---- worker ----------------------------------------------------------- */

struct counts {
	long loads, runs, bad, by[3], sub_loads, cb_loads, cb_einval;
	long pool_armjit_runs_unloaded;
};

static int owner_idx(int o)
{
	return o == 'a' ? 0 : o == 's' ? 1 : 2;
}

#define POOL 8
struct pooled {
	int fd;
	uint32_t expect;
	int owner;
};

static int check_run(int fd, uint32_t expect, const char *what,
		     struct counts *c)
{
	uint32_t r;
	int err = prog_run(fd, pkt, sizeof(pkt), 1, &r);

	c->runs++;
	if (err || r != expect) {
		c->bad++;
		printf("# worker: %s: run %d, result 0x%08x, expected 0x%08x (owner %c)\n",
		       what, err, r, expect, prog_owner(fd));
		return -1;
	}
	return 0;
}

static int worker(int id, int subprogs)
{
	struct pooled pool[POOL];
	struct counts c = {};
	uint64_t counter = 0;
	int mapfd, i;

	rnd_state ^= id * 0x9e3779b9u + getpid();
	for (i = 0; i < POOL; i++)
		pool[i].fd = -1;
	mapfd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	if (mapfd < 0) {
		printf("# worker %d: map_create %d\n", id, mapfd);
		return 1;
	}
	while (!*stop && c.bad < 10) {
		uint32_t kind = rnd() % 10, k = rnd(), expect = 0, r = 0;
		int fd, o, err;

		if (kind >= 8) {
			struct pooled *pp = &pool[rnd() % POOL];

			if (pp->fd < 0)
				continue;
			if (pp->owner == 'a' && access("/sys/module/armjit", F_OK))
				c.pool_armjit_runs_unloaded++;
			check_run(pp->fd, pp->expect, "pooled", &c);
			continue;
		}
		if (kind >= 4 && kind < 6) {
			fd = load_map(mapfd);
		} else if (kind == 7 && subprogs) {
			/* JIT'ed (armjit) or EINVAL (no JIT: callbacks need one) */
			fd = load_cb(mapfd);
			c.cb_loads++;
			if (fd == -EINVAL) {
				c.cb_einval++;
				continue;
			}
			if (fd < 0) {
				c.bad++;
				printf("# worker %d: callback prog: load %s\n",
				       id, strerror(-fd));
				continue;
			}
			c.by[owner_idx(prog_owner(fd))]++;
			check_run(fd, NCB, "callbacks", &c);
			close(fd);
			continue;
		} else if (kind >= 6 && subprogs) {
			fd = load_sub(k);
			expect = expect_sub(k);
			c.sub_loads++;
		} else {
			fd = load_alu(k);
			expect = expect_alu(k);
		}
		c.loads++;
		if (fd < 0) {
			c.bad++;
			printf("# worker %d: load (kind %u) failed: %s\n", id,
			       kind, strerror(-fd));
			printf("# log: %.300s\n", bpf_log);
			continue;
		}
		o = prog_owner(fd);
		c.by[owner_idx(o)]++;
		if (kind >= 4 && kind < 6) {
			for (i = 0; i < 2; i++) {
				err = prog_run(fd, pkt, sizeof(pkt), 1, &r);
				c.runs++;
				counter++;
				if (err || r != (uint32_t)counter) {
					c.bad++;
					printf("# worker %d: map prog: %d 0x%x expected 0x%x (owner %c)\n",
					       id, err, r, (uint32_t)counter, o);
					counter = r;
				}
			}
			close(fd);
			continue;
		}
		check_run(fd, expect, kind >= 6 && subprogs ? "subprog" : "alu", &c);
		if (rnd() % 4 == 0) {
			struct pooled *pp = &pool[rnd() % POOL];

			if (pp->fd >= 0)
				close(pp->fd);
			pp->fd = fd;
			pp->expect = expect;
			pp->owner = o;
		} else {
			close(fd);
		}
	}
	/* every pooled program once more, then free them */
	for (i = 0; i < POOL; i++)
		if (pool[i].fd >= 0) {
			check_run(pool[i].fd, pool[i].expect, "pooled (end)", &c);
			close(pool[i].fd);
		}
	close(mapfd);
	printf("# worker %d: %ld loads (armjit %ld, stock %ld, interpreted %ld; %ld with subprograms), %ld callback loads (%ld EINVAL: not JIT'ed), %ld runs, %ld bad, %ld runs of armjit images while armjit was unloaded\n",
	       id, c.loads, c.by[0], c.by[1], c.by[2], c.sub_loads, c.cb_loads, c.cb_einval, c.runs,
	       c.bad, c.pool_armjit_runs_unloaded);
	/* the stock JIT leaks one image per bpf-to-bpf program (see below) */
	printf("@@sub_loads %ld\n", c.cb_loads);
	return c.bad ? 1 : 0;
}

/* ---- vmalloc accounting -------------------------------------------- */

struct vmsnap {
	long used_kb;		/* VmallocUsed */
	long jit_areas;		/* /proc/vmallocinfo lines of JIT images */
	long bpf_areas;		/* lines of other bpf_* callers */
};

static void vm_snapshot(struct vmsnap *s)
{
	char line[512];
	FILE *f;

	memset(s, 0, sizeof(*s));
	f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "VmallocUsed: %ld", &s->used_kb);
	if (f)
		fclose(f);
	f = fopen("/proc/vmallocinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strstr(line, "bpf_jit_alloc_exec") ||
		    strstr(line, "bpf_jit_binary_alloc"))
			s->jit_areas++;
		else if (strstr(line, " bpf_"))
			s->bpf_areas++;
	}
	if (f)
		fclose(f);
}

static void vm_dump_bpf(void)
{
	char line[512];
	FILE *f = fopen("/proc/vmallocinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "bpf"))
			printf("# vmallocinfo: %s", line);
	if (f)
		fclose(f);
}

/* ---- module load/unload -------------------------------------------- */

static int ko_fd = -1;

static int armjit_unload(void)
{
	return syscall(__NR_delete_module, "armjit", O_NONBLOCK) ? -errno : 0;
}

static int armjit_load(const char *params)
{
	return syscall(__NR_finit_module, ko_fd, params, 0) ? -errno : 0;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_storm(int argc, char **argv)
{
	const char *mode = "toggle";
	int cycles = 1000, subprogs = 0, check_vm = 1, nworkers = 2;
	long refused = 0, toggles = 0, unloads = 0, sub_loads = 0;
	int i, c, pipefd[2], bad = 0, wbad = 0;
	pid_t pids[4];
	struct vmsnap before, after;
	char name[128], buf[4096];
	double t0;
	FILE *wout;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mode") && i + 1 < argc)
			mode = argv[++i];
		else if (!strcmp(argv[i], "--cycles") && i + 1 < argc)
			cycles = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--subprogs"))
			subprogs = 1;
		else if (!strcmp(argv[i], "--no-vmalloc"))
			check_vm = 0;
	}
	snprintf(name, sizeof(name), "storm_%s%s_%d", mode,
		 subprogs ? "_subprogs" : "", cycles);
	if (access(SYS_ARMJIT, F_OK)) {
		result(0, "%s # armjit not loaded", name);
		return 1;
	}
	if (!strcmp(mode, "unload")) {
		const char *ko = getenv("ARMJIT_KO");

		ko_fd = ko ? open(ko, O_RDONLY) : -1;
		if (ko_fd < 0) {
			result(0, "%s # cannot open $ARMJIT_KO", name);
			return 1;
		}
	}
	set_jit(1);
	skb_len = measure_len();
	vm_snapshot(&before);
	set_armjit(1);

	if (pipe(pipefd))
		return 1;
	stop = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
	if (stop == MAP_FAILED)
		return 1;
	*stop = 0;
	for (i = 0; i < nworkers; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(pipefd[0]);
			dup2(pipefd[1], 1);
			_exit(worker(i, subprogs));
		}
	}
	close(pipefd[1]);

	t0 = now();
	for (c = 0; c < cycles && !bad; c++) {
		if (!strcmp(mode, "steady")) {	/* control: enabled throughout */
			sleep_us(rnd() % 20000);
			continue;
		}
		if (!strcmp(mode, "toggle")) {
			if (set_armjit(1) || set_armjit(0)) {
				diag("writing enabled failed");
				bad = 1;
			}
			sleep_us(rnd() % 10000);
			set_armjit(1);
			sleep_us(rnd() % 10000);
			toggles += 2;
			continue;
		}
		/* unload, let the workers run on the stock JIT, reload */
		sleep_us(rnd() % 3000);
		for (i = 0;; i++) {
			int err = armjit_unload();

			if (!err)
				break;
			if ((err == -EAGAIN || err == -EBUSY) && i < 20000) {
				refused++;
				sleep_us(500);
				continue;
			}
			diag("cycle %d: rmmod armjit: %s (%d tries)", c,
			     strerror(-err), i + 1);
			bad = 1;
			break;
		}
		if (bad)
			break;
		unloads++;
		sleep_us(rnd() % 3000);
		{
			int err = armjit_load(c & 1 ? "enabled=1" : "");

			if (err) {
				diag("cycle %d: load armjit.ko: %s", c,
				     strerror(-err));
				bad = 1;
				break;
			}
			if (!(c & 1) && set_armjit(1)) {
				diag("cycle %d: enabling failed", c);
				bad = 1;
			}
		}
		/* let the workers compile with armjit for a while */
		sleep_us(5000 + rnd() % 20000);
	}
	diag("%s: %d cycles in %.1f s (%ld toggles, %ld unloads, rmmod refused %ld times)",
	     name, c, now() - t0, toggles, unloads, refused);

	*stop = 1;
	wout = fdopen(pipefd[0], "r");
	while (fgets(buf, sizeof(buf), wout)) {
		long n;

		if (sscanf(buf, "@@sub_loads %ld", &n) == 1)
			sub_loads += n;
		else
			fputs(buf, stdout);
	}
	fclose(wout);
	for (i = 0; i < nworkers; i++) {
		int st;

		waitpid(pids[i], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			wbad++;
	}
	result(!bad && !wbad, "%s", name);
	if (!strcmp(mode, "unload")) {
		result(subprogs || refused == 0,
		       "%s_rmmod_refused_only_with_subprogs # refused %ld", name,
		       refused);
		/* nothing pending now: rmmod works at once, then reload */
		result(read_long("/sys/module/armjit/refcnt") == 0,
		       "%s_refcnt_zero_at_rest", name);
		c = armjit_unload();
		i = c ? c : armjit_load("");
		result(!c && !i, "%s_rmmod_at_rest # rmmod %d, reload %d", name,
		       c, i);
	}
	set_armjit(0);

	if (!check_vm)
		return 0;
	/*
	 * Freeing is deferred (RCU, workqueue, lazy vfree): poll, up to
	 * 120 s. 6.12's RCU_LAZY batches the thousands of call_rcu()s of a
	 * storm: its programs are still going 15 s after the storm ends.
	 */
	for (i = 0; i < 1200; i++) {
		vm_snapshot(&after);
		if (after.jit_areas <= before.jit_areas &&
		    after.bpf_areas <= before.bpf_areas)
			break;
		sleep_us(100000);
	}
	diag("vmalloc: VmallocUsed %ld -> %ld kB, JIT image areas %ld -> %ld, other bpf areas %ld -> %ld, bpf-to-bpf loads %ld",
	     before.used_kb, after.used_kb, before.jit_areas, after.jit_areas,
	     before.bpf_areas, after.bpf_areas, sub_loads);
	/*
	 * (The stock arm32 JIT would lose main's first image if it ever
	 * compiled a program with calls: it re-JITs into a new image in the
	 * extra pass. It refuses them on 6.1/6.12 ("NOT YET: opcode 85/18").)
	 */
	c = after.jit_areas - before.jit_areas;
	result(c <= 0 && after.bpf_areas <= before.bpf_areas,
	       "%s_vmalloc_back_to_baseline # %ld JIT image areas more after %.1f s",
	       name, (long)c, i / 10.0);
	if (c > 0)
		vm_dump_bpf();
	return 0;
}
