// SPDX-License-Identifier: GPL-2.0
/*
 * armjit-selftests: load a few of the kernel's BPF selftest programs and run
 * them with BPF_PROG_TEST_RUN under the interpreter, the stock arm32 JIT and
 * armjit, checking what the upstream prog_tests check (pkt_access.c, xdp.c,
 * l4lb_all.c, tcp_estats.c). Output is KTAP.
 *
 * Each program is loaded twice per mode: with BPF_F_TEST_RND_HI32, as
 * upstream's loader does (the verifier then fills the upper halves of
 * zero-extended 32-bit results with random bits), and without (stable sizes
 * and timings). bpf_prog_info's jited_prog_len tells whether the program
 * really was JIT'ed (nr_jited_ksyms reads 1 either way).
 */
#define _GNU_SOURCE		/* vasprintf */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kselftest.h"
#include "test_iptunnel_common.h"	/* struct vip, struct iptnl_info */

/* Values of upstream's network_helpers.h. */
#define MAGIC_VAL	0x1234
#define MAGIC_BYTES	123
#define VIP_NUM		5

#define JIT_SYSCTL	"/proc/sys/net/core/bpf_jit_enable"
#define HARDEN_SYSCTL	"/proc/sys/net/core/bpf_jit_harden"
#define ARMJIT_DIR	"/sys/kernel/armjit"
#define ARMJIT_ENABLED	ARMJIT_DIR "/enabled"

/* The test packets of upstream's network_helpers.c: pkt_v4 and pkt_v6. */
struct ipv4_packet {
	struct ethhdr eth;
	struct iphdr iph;
	struct tcphdr tcp;
} __attribute__((packed));

struct ipv6_packet {
	struct ethhdr eth;
	struct ipv6hdr iph;
	struct tcphdr tcp;
} __attribute__((packed));

static struct ipv4_packet pkt_v4;
static struct ipv6_packet pkt_v6;

static void init_packets(void)
{
	pkt_v4.eth.h_proto = htons(ETH_P_IP);
	pkt_v4.iph.ihl = 5;
	pkt_v4.iph.protocol = IPPROTO_TCP;
	pkt_v4.iph.tot_len = htons(MAGIC_BYTES);
	pkt_v4.tcp.urg_ptr = 123;	/* host order, as upstream */
	pkt_v4.tcp.doff = 5;

	pkt_v6.eth.h_proto = htons(ETH_P_IPV6);
	pkt_v6.iph.nexthdr = IPPROTO_TCP;
	pkt_v6.iph.payload_len = htons(MAGIC_BYTES);
	pkt_v6.tcp.urg_ptr = 123;
	pkt_v6.tcp.doff = 5;
}

enum family { FAM_V4, FAM_V6, NR_FAMS };
static const char *const fam_names[NR_FAMS] = { "v4", "v6" };

enum mode { MODE_INTERP, MODE_STOCK, MODE_ARMJIT, NR_MODES };
static const char *const mode_names[NR_MODES] = { "interp", "stock", "armjit" };

/* A test failure: one diagnostic line, and the test is marked failed. */
static bool failed;

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("# FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed = true;
}

#define CHECK_EQ(got, want, what, ...) do {				\
	long long _g = (got), _w = (want);				\
	if (_g != _w)							\
		fail(what ": got %lld, want %lld", ##__VA_ARGS__, _g, _w); \
} while (0)

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (!map) {
		fail("map '%s' not found", name);
		return -1;
	}
	return bpf_map__fd(map);
}

static void update(struct bpf_object *obj, const char *name,
		   const void *key, const void *value)
{
	int fd = map_fd(obj, name);

	if (fd >= 0 && bpf_map_update_elem(fd, key, value, 0))
		fail("update of map '%s': %s", name, strerror(errno));
}

/* test_xdp: IPv4 and IPv6 TCP to any address are tunnelled (XDP_TX). */
static void xdp_setup(struct bpf_object *obj)
{
	struct vip key4 = { .protocol = 6, .family = AF_INET };
	struct vip key6 = { .protocol = 6, .family = AF_INET6 };
	struct iptnl_info value4 = { .family = AF_INET };
	struct iptnl_info value6 = { .family = AF_INET6 };

	update(obj, "vip2tnl", &key4, &value4);
	update(obj, "vip2tnl", &key6, &value6);
}

static void xdp_check_out(enum family fam, const unsigned char *out)
{
	const unsigned char *l3 = out + sizeof(struct ethhdr);

	if (fam == FAM_V4)
		CHECK_EQ(l3[offsetof(struct iphdr, protocol)], IPPROTO_IPIP,
			 "v4 iph.protocol");
	else
		CHECK_EQ(l3[offsetof(struct ipv6hdr, nexthdr)], IPPROTO_IPV6,
			 "v6 iph6.nexthdr");
}

/* test_l4lb: VIP 5 on TCP port 0 balanced onto real 3, address MAGIC_VAL. */
struct vip_meta {
	__u32 flags;
	__u32 vip_num;
};

struct real_definition {
	union {
		__be32 dst;
		__be32 dstv6[4];
	};
	__u8 flags;
};

struct vip_stats {
	__u64 bytes;
	__u64 pkts;
};

static void l4lb_setup(struct bpf_object *obj)
{
	struct vip key = { .protocol = 6 };
	struct vip_meta meta = { .vip_num = VIP_NUM };
	struct real_definition real = { .dst = MAGIC_VAL };
	__u32 ch_key = 11, real_num = 3;

	update(obj, "vip_map", &key, &meta);
	update(obj, "ch_rings", &ch_key, &real_num);
	update(obj, "reals", &real_num, &real);
}

static void l4lb_check_out(enum family fam, const unsigned char *out)
{
	__u32 magic;

	memcpy(&magic, out, sizeof(magic));
	CHECK_EQ(magic, MAGIC_VAL, "%s magic", fam_names[fam]);
}

/* Every run counted one packet of MAGIC_BYTES in the VIP's per-CPU stats. */
static void l4lb_check_after(struct bpf_object *obj, unsigned long long runs)
{
	int ncpus = libbpf_num_possible_cpus();
	__u32 key = VIP_NUM;
	struct vip_stats *stats;
	__u64 bytes = 0, pkts = 0;
	int fd = map_fd(obj, "stats"), i;

	if (fd < 0)
		return;
	if (ncpus <= 0) {
		fail("libbpf_num_possible_cpus: %d", ncpus);
		return;
	}
	stats = calloc(ncpus, sizeof(*stats));
	if (!stats) {
		fail("out of memory");
		return;
	}
	if (bpf_map_lookup_elem(fd, &key, stats)) {
		fail("lookup in map 'stats': %s", strerror(errno));
	} else {
		for (i = 0; i < ncpus; i++) {
			bytes += stats[i].bytes;
			pkts += stats[i].pkts;
		}
		printf("# stats over %d possible CPUs: bytes=%llu pkts=%llu\n",
		       ncpus, (unsigned long long)bytes,
		       (unsigned long long)pkts);
		CHECK_EQ(bytes, MAGIC_BYTES * runs, "stats bytes");
		CHECK_EQ(pkts, runs, "stats pkts");
	}
	free(stats);
}

/*
 * The programs, with what upstream checks of them. repeat is upstream's
 * repeat count (--repeat overrides it unless fixed_repeat); 0 means the test
 * only loads.
 */
struct prog_test {
	const char *name;
	const char *file;
	enum bpf_prog_type type;
	unsigned int repeat;
	bool fixed_repeat;		/* --repeat doesn't apply */
	bool data_out;			/* collect and check the output packet */
	int retval;
	unsigned int size_out[NR_FAMS];	/* 0: not checked */
	void (*setup)(struct bpf_object *obj);
	void (*check_out)(enum family fam, const unsigned char *out);
	void (*check_after)(struct bpf_object *obj, unsigned long long runs);
};

static const struct prog_test prog_tests[] = {
	{
		.name = "pkt_access", .file = "test_pkt_access.bpf.o",
		.type = BPF_PROG_TYPE_SCHED_CLS, .repeat = 100000,
		.retval = 0 /* TC_ACT_OK */,
	},
	{
		.name = "xdp", .file = "test_xdp.bpf.o",
		/*
		 * Runs once: repeated runs share one xdp_buff, so the second
		 * sees the tunnelled packet and answers XDP_PASS.
		 */
		.type = BPF_PROG_TYPE_XDP, .repeat = 1, .fixed_repeat = true,
		.data_out = true, .retval = 3 /* XDP_TX */,
		.size_out = { 74, 114 },
		.setup = xdp_setup, .check_out = xdp_check_out,
	},
	{
		.name = "l4lb", .file = "test_l4lb.bpf.o",
		.type = BPF_PROG_TYPE_SCHED_CLS, .repeat = 100000,
		.data_out = true, .retval = 7 /* TC_ACT_REDIRECT */,
		.size_out = { 54, 74 },
		.setup = l4lb_setup, .check_out = l4lb_check_out,
		.check_after = l4lb_check_after,
	},
	{
		.name = "l4lb_noinline", .file = "test_l4lb_noinline.bpf.o",
		.type = BPF_PROG_TYPE_SCHED_CLS, .repeat = 100000,
		.data_out = true, .retval = 7 /* TC_ACT_REDIRECT */,
		.size_out = { 54, 74 },
		.setup = l4lb_setup, .check_out = l4lb_check_out,
		.check_after = l4lb_check_after,
	},
	{
		.name = "tcp_estats", .file = "test_tcp_estats.bpf.o",
		.type = BPF_PROG_TYPE_TRACEPOINT,
	},
};
#define NR_PROGS ((int)ARRAY_SIZE(prog_tests))
/* per program: the interpreter passed plain, failed with rnd_hi32 */
static bool interp_plain_ok[NR_PROGS], interp_hi32_bad[NR_PROGS];

/* Command line. */
static const char *obj_dir;
static unsigned int sel_progs = ~0u;		/* bit per prog_tests[] entry */
static unsigned int sel_modes = (1u << NR_MODES) - 1;
static unsigned int expect_jited;		/* bit per mode */
static bool hi32_on = true, hi32_off = true;
static long long repeat_override = -1;
/* run_test()'s program: 1 JIT'ed, 0 interpreted, -1 did not load */
static int last_jited = -1;
static bool verbose;
static const char *dump_dir;
static unsigned int nr_samples = 1;
static bool img_marks;		/* --img-marks: a marker around each run */
static unsigned int nr_loads;		/* --loads: extra loads for a profile */
/* --load-reps: timed loads of a program, the fewest instructions kept */
#define MAX_LOAD_REPS	8
static unsigned int load_reps = 1;
/* --gen-lens: loads of generated programs of these lengths, timed */
#define MAX_GEN_LENS	16
static unsigned int gen_lens[MAX_GEN_LENS], nr_gen_lens;
static unsigned int nr_marks;		/* markers executed so far */

/* Mode switching: sysctl and sysfs files, with their values to restore. */
static char saved_jit[16], saved_armjit[16];
static bool have_armjit;

static int read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int write_file(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	if (fputs(val, f) < 0)
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* Put the kernel into @mode; answer NULL, or why the mode can't be had. */
static const char *set_mode(enum mode mode, bool *skip)
{
	static char why[128];
	int err;

	*skip = false;
	if (mode == MODE_ARMJIT && !have_armjit) {
		*skip = true;
		return "no " ARMJIT_DIR " (armjit.ko not loaded)";
	}
	err = write_file(JIT_SYSCTL, mode == MODE_INTERP ? "0" : "1");
	if (err) {
		snprintf(why, sizeof(why), "write %s: %s", JIT_SYSCTL,
			 strerror(-err));
		return why;
	}
	if (have_armjit) {
		err = write_file(ARMJIT_ENABLED, mode == MODE_ARMJIT ? "1" : "0");
		if (err) {
			snprintf(why, sizeof(why), "write %s: %s",
				 ARMJIT_ENABLED, strerror(-err));
			return why;
		}
	}
	return NULL;
}

static void restore_mode(void)
{
	if (saved_jit[0])
		write_file(JIT_SYSCTL, saved_jit);
	if (have_armjit && saved_armjit[0])
		write_file(ARMJIT_ENABLED, saved_armjit);
}

/*
 * armjit's counters ("name value" lines of /sys/kernel/armjit/stats). Their
 * change over a load tells what armjit did with the programs loaded then,
 * libbpf's probe programs included: "stock" and "failed" count programs
 * handed to the stock JIT (a jited_len > 0 alone can't tell who JIT'ed).
 */
#define MAX_STATS 16
struct armjit_stats {
	int n;
	char name[MAX_STATS][32];
	unsigned long long val[MAX_STATS];
};

static void read_stats(struct armjit_stats *st)
{
	FILE *f = fopen(ARMJIT_DIR "/stats", "r");

	st->n = 0;
	if (!f)
		return;
	while (st->n < MAX_STATS &&
	       fscanf(f, "%31s %llu", st->name[st->n], &st->val[st->n]) == 2)
		st->n++;
	fclose(f);
}

/* Print the changes from @before to @after; answer the change of @name. */
static unsigned long long stats_delta(const struct armjit_stats *before,
				      const struct armjit_stats *after,
				      const char *name)
{
	unsigned long long d, ret = 0;
	int i, j;

	printf("# armjit stats:");
	for (i = 0; i < after->n; i++) {
		d = after->val[i];
		for (j = 0; j < before->n; j++)
			if (!strcmp(before->name[j], after->name[i]))
				d -= before->val[j];
		printf(" %s=+%llu", after->name[i], d);
		if (!strcmp(after->name[i], name))
			ret = d;
	}
	printf("\n");
	return ret;
}

/* While set: libbpf's messages are also kept here (the verifier's words). */
#define LOG_CAPTURE_SIZE 65536
static char *log_capture;

/* libbpf's messages (the verifier log of a failed load) as KTAP diagnostics. */
static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	static bool line_start = true;
	char *buf, *p, *nl;

	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (vasprintf(&buf, fmt, ap) < 0)	/* a verifier log can be long */
		return 0;
	if (log_capture) {
		size_t n = strlen(log_capture), m = strlen(buf);

		if (n + m < LOG_CAPTURE_SIZE) {
			memcpy(log_capture + n, buf, m + 1);
		}
	}
	for (p = buf; *p; p = nl + 1) {
		if (line_start)
			printf("# ");
		nl = strchr(p, '\n');
		if (!nl) {
			printf("%s", p);
			line_start = false;
			break;
		}
		printf("%.*s\n", (int)(nl - p), p);
		line_start = true;
	}
	free(buf);
	return 0;
}

static void mark(void);

static void run_family(const struct prog_test *t, enum mode mode, bool hi32,
		       int prog_fd, const struct bpf_prog_info *info,
		       long long load_ns, enum family fam, unsigned int repeat)
{
	unsigned char out[128];
	LIBBPF_OPTS(bpf_test_run_opts, topts,
		.data_in = fam == FAM_V4 ? (void *)&pkt_v4 : (void *)&pkt_v6,
		.data_size_in = fam == FAM_V4 ? sizeof(pkt_v4) : sizeof(pkt_v6),
		.repeat = repeat,
	);
	int err;

	if (t->data_out) {
		memset(out, 0, sizeof(out));
		topts.data_out = out;
		topts.data_size_out = sizeof(out);
	}
	unsigned int i, samples = t->fixed_repeat ? nr_samples : 1;
	unsigned long long sum = 0;

	/*
	 * A program that runs once a call (xdp: each run moves the packet
	 * head) is called @samples times, each on a fresh copy of the packet:
	 * the mean of the durations, each quantized to the clock's tick.
	 */
	if (img_marks)
		mark();
	for (i = 0, err = 0; i < samples && !err; i++) {
		err = bpf_prog_test_run_opts(prog_fd, &topts) ? errno : 0;
		sum += topts.duration;
	}
	if (img_marks) {
		/* bench/imgcount.py: counts.SNAP holds these runs */
		mark();
		printf("# bench-img prog=%s fam=%s mode=%s hi32=%d snap=%u runs=%u\n",
		       t->name, fam_names[fam], mode_names[mode], hi32,
		       nr_marks - 1, err ? 0 : (repeat ? repeat : 1) * samples);
	}
	if (err) {
		fail("%s test_run: %s", fam_names[fam], strerror(err));
		return;
	}
	printf("# %s: retval=%u size_out=%u duration=%uns repeat=%u\n",
	       fam_names[fam], topts.retval, topts.data_size_out,
	       topts.duration, repeat);
	printf("# bench prog=%s fam=%s mode=%s hi32=%d jited=%d len=%u xlated=%u repeat=%u samples=%u ns=%llu load_ns=%lld\n",
	       t->name, fam_names[fam], mode_names[mode], hi32,
	       info->jited_prog_len > 0, info->jited_prog_len,
	       info->xlated_prog_len, repeat, samples,
	       (sum + samples / 2) / samples, load_ns);
	CHECK_EQ(topts.retval, t->retval, "%s retval", fam_names[fam]);
	if (t->size_out[fam])
		CHECK_EQ(topts.data_size_out, t->size_out[fam],
			 "%s data_size_out", fam_names[fam]);
	if (t->check_out)
		t->check_out(fam, out);
}

/*
 * One BPF_PROG_LOAD (verifier and JIT) timed with CLOCK_MONOTONIC (guest
 * instructions under icount) into *ns: the program's fd, or < 0.
 */
static int timed_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		      size_t cnt, const struct bpf_prog_load_opts *opts,
		      long long *ns)
{
	/*
	 * Let the deferred frees of programs closed before (RCU, then a
	 * work item: 0.1-0.3 M instructions of TLB flushes each) run
	 * first, not inside the timed load (make compile-profile-guest).
	 */
	struct timespec t0, t1, settle = { .tv_nsec = 200000000 };
	int fd;

	nanosleep(&settle, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = bpf_prog_load(type, NULL, "GPL", insns, cnt, opts);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + t1.tv_nsec - t0.tv_nsec;
	return fd;
}

static void close_fds(const int *fds, unsigned int n)
{
	while (n--)
		close(fds[n]);
}

/*
 * @reps timed loads of one program (timed_load()), all kept open until
 * the last so no free runs inside one: their fds into @fds, the fewest
 * instructions into *best. -1 (errno kept, none left open) if one fails.
 */
static int timed_loads(enum bpf_prog_type type, const struct bpf_insn *insns,
		       size_t cnt, const struct bpf_prog_load_opts *opts,
		       unsigned int reps, int *fds, long long *best)
{
	unsigned int r;
	long long ns;
	int err;

	*best = -1;
	for (r = 0; r < reps; r++) {
		fds[r] = timed_load(type, insns, cnt, opts, &ns);
		if (fds[r] < 0) {
			err = errno;
			close_fds(fds, r);
			errno = err;
			return -1;
		}
		if (*best < 0 || ns < *best)
			*best = ns;
	}
	return 0;
}

/*
 * The cost of loading @prog: --load-reps more loads of its relocated
 * instructions (timed_load(); kept open until the last, so no free runs
 * inside one), the fewest instructions. -1 when a load fails (no
 * func_info is passed, so global subprograms are verified as static
 * ones).
 */
static long long time_load(struct bpf_object *obj, struct bpf_program *prog,
			   bool hi32)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		.expected_attach_type = bpf_program__expected_attach_type(prog),
		.prog_flags = hi32 ? BPF_F_TEST_RND_HI32 : 0,
	);
	int fds[MAX_LOAD_REPS];
	long long best;

	if (timed_loads(bpf_program__type(prog), bpf_program__insns(prog),
			bpf_program__insn_cnt(prog), &opts, load_reps, fds,
			&best))
		return -1;
	close_fds(fds, load_reps);
	return best;
}

/*
 * A marker for bench/ccount.c (make compile-profile-guest): the plugin
 * writes the counts since the last marker to a numbered file when it sees
 * this instruction executed in user space. ARM state: the plugin matches
 * the 32-bit word, and nothing emits orr of a register with itself.
 */
__attribute__((target("arm"), noinline)) static void mark(void)
{
	asm volatile("orr r9, r9, r9" ::: "memory");
	nr_marks++;
}

/*
 * --loads N: N more loads of the program, kept open, between two markers
 * (the load: verifier + JIT), then their closes and a pause between the
 * second and a third marker (the free: RCU, then a work item, run in the
 * pause), for a profile of each.
 */
static void profile_insns(const char *name, enum mode mode, bool hi32,
			  enum bpf_prog_type type, enum bpf_attach_type eat,
			  const struct bpf_insn *insns, size_t cnt)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		.expected_attach_type = eat,
		.prog_flags = hi32 ? BPF_F_TEST_RND_HI32 : 0,
	);
	struct timespec pause = { .tv_sec = 1 };
	int *fds = calloc(nr_loads, sizeof(*fds));
	unsigned int i, bad = 0;

	if (!fds) {
		fail("--loads: out of memory");
		return;
	}
	nanosleep(&pause, NULL);	/* earlier frees out of the window */
	mark();
	for (i = 0; i < nr_loads; i++) {
		fds[i] = bpf_prog_load(type, NULL, "GPL", insns, cnt, &opts);
		bad += fds[i] < 0;
	}
	mark();
	printf("# cprofile snapshot=%u phase=load prog=%s mode=%s hi32=%d loads=%u failed=%u\n",
	       nr_marks - 1, name, mode_names[mode], hi32, nr_loads, bad);
	for (i = 0; i < nr_loads; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	nanosleep(&pause, NULL);
	mark();
	printf("# cprofile snapshot=%u phase=free prog=%s mode=%s hi32=%d loads=%u failed=%u\n",
	       nr_marks - 1, name, mode_names[mode], hi32, nr_loads, bad);
	free(fds);
	if (bad)
		fail("--loads: %u of %u loads failed", bad, nr_loads);
}

/* profile_insns() of a selftest program, relocated */
static void profile_loads(const struct prog_test *t, enum mode mode,
			  struct bpf_object *obj, struct bpf_program *prog,
			  bool hi32)
{
	profile_insns(t->name, mode, hi32, bpf_program__type(prog),
		      bpf_program__expected_attach_type(prog),
		      bpf_program__insns(prog), bpf_program__insn_cnt(prog));
}

/* ---- Generated programs, for compile cost by length (--gen-lens) ---- */

#ifndef ENOTSUPP
#define ENOTSUPP	524	/* the kernel's: a JIT refused the program */
#endif

static struct bpf_insn gen_insn(__u8 code, __u8 dst, __u8 src, __s16 off,
				__s32 imm)
{
	struct bpf_insn insn = {
		.code = code, .dst_reg = dst, .src_reg = src,
		.off = off, .imm = imm,
	};

	return insn;
}

/*
 * A socket filter of exactly @len insns the verifier takes in one linear
 * walk: straight-line 64-bit ALU on R0 and R2-R9 (R1, the context, is
 * never touched), multiplies, shifts, stores and loads of eight stack
 * slots, ld_imm64 and helper calls (bpf_get_prandom_u32, R2-R5 set again
 * after each), as compilers emit packet code without its branches. The
 * same program for a length on every boot (a fixed LCG). No 32-bit ops:
 * the verifier inserts a zext after each for 32-bit JITs, one
 * bpf_patch_insn_data() (a copy of the program) apiece, which makes a
 * 100k-insn load take minutes; no divides: 6.1's stock JIT has no 64-bit
 * ones.
 */
static void gen_prog(struct bpf_insn *p, unsigned int len)
{
	static const __u8 regs[] = { 0, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const __u8 alu[] = { BPF_ADD, BPF_SUB, BPF_XOR, BPF_OR,
				    BPF_AND, BPF_MUL };
	unsigned int n = 0, i;
	__u32 seed = 1, x;

	for (i = 0; i < sizeof(regs); i++)
		p[n++] = gen_insn(BPF_ALU64 | BPF_MOV | BPF_K, regs[i], 0, 0,
				  7 * i + 1);
	for (i = 0; i < 8; i++)
		p[n++] = gen_insn(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10,
				  regs[1 + i], -8 * (i + 1), 0);
	while (n + 8 < len) {
		__u8 dst, src;
		__s16 slot;

		seed = seed * 1103515245 + 12345;
		x = seed >> 8;
		dst = regs[x % 9];
		src = regs[(x >> 4) % 9];
		slot = -8 * ((x >> 8) % 8 + 1);
		switch ((x >> 12) % 16) {
		case 0: case 1: case 2: case 3: case 4:
			p[n++] = gen_insn(BPF_ALU64 | alu[(x >> 16) % 5] | BPF_K,
					  dst, 0, 0, x & 0xfff);
			break;
		case 5: case 6: case 7:
			p[n++] = gen_insn(BPF_ALU64 | alu[(x >> 16) % 6] | BPF_X,
					  dst, src, 0, 0);
			break;
		case 8:
			p[n++] = gen_insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src,
					  0, 0);
			break;
		case 9:
			p[n++] = gen_insn(BPF_ALU64 | ((x >> 16) % 3 == 0 ? BPF_LSH :
					  (x >> 16) % 3 == 1 ? BPF_RSH : BPF_ARSH) |
					  BPF_K, dst, 0, 0, (x >> 18) % 63 + 1);
			break;
		case 10: case 11:
			p[n++] = gen_insn(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10,
					  src, slot, 0);
			break;
		case 12: case 13:
			p[n++] = gen_insn(BPF_LDX | BPF_MEM | BPF_DW, dst,
					  BPF_REG_10, slot, 0);
			break;
		case 14:
			p[n++] = gen_insn(BPF_ALU64 | BPF_MUL | BPF_K, dst, 0, 0,
					  (x & 0xff) + 1);
			break;
		default:
			if ((x >> 16) & 1) {
				p[n++] = gen_insn(BPF_LD | BPF_IMM | BPF_DW, dst,
						  0, 0, x);
				p[n++] = gen_insn(0, 0, 0, 0, x >> 4);
				break;
			}
			p[n++] = gen_insn(BPF_JMP | BPF_CALL, 0, 0, 0,
					  BPF_FUNC_get_prandom_u32);
			for (i = 2; i <= 5; i++)
				p[n++] = gen_insn(BPF_ALU64 | BPF_MOV | BPF_K,
						  i, 0, 0, x >> i);
			break;
		}
	}
	while (n + 1 < len)
		p[n++] = gen_insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_0, 0, 0,
				  1);
	p[n] = gen_insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Why the verifier refused a generated program: its log's last lines. */
static void gen_log(const struct bpf_insn *p, unsigned int len)
{
	size_t size = 1 << 20;
	char *log = calloc(1, size), *tail;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log,
		    .log_size = size, .log_level = 1);
	int fd, lines = 0;

	if (!log)
		return;
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", p, len,
			   &opts);
	if (fd >= 0)
		close(fd);
	tail = log + strlen(log);
	while (tail > log && lines < 6)
		if (*--tail == '\n')
			lines++;
	for (char *l = strtok(tail, "\n"); l; l = strtok(NULL, "\n"))
		printf("# verifier: %s\n", l);
	free(log);
}

/*
 * Timed loads of a generated program: up to 4096 insns --load-reps
 * (make bench: one load of a short program is within the noise of the
 * interpreted load it is compared with), longer ones once.
 */
static unsigned int gen_reps(unsigned int len)
{
	return len <= 4096 ? load_reps : 1;
}

/*
 * Load the generated program of @len insns in @mode, timed (timed_load():
 * guest instructions under icount, gen_reps()), and report it:
 * "# bench-gen len= mode= jited= jited_len= load_ns= loads=".
 */
static void gen_load(unsigned int len, enum mode mode, const char *why,
		     bool skip)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_level = 0);
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	unsigned int reps = gen_reps(len);
	int fds[MAX_LOAD_REPS];
	struct bpf_insn *p;
	long long best;

	if (why) {
		if (skip)
			ksft_test_result_skip("generated %u insns, %s: %s\n",
					      len, mode_names[mode], why);
		else
			ksft_test_result_fail("generated %u insns, %s: %s\n",
					      len, mode_names[mode], why);
		return;
	}
	p = calloc(len, sizeof(*p));
	if (!p) {
		ksft_test_result_fail("generated %u insns: out of memory\n",
				      len);
		return;
	}
	gen_prog(p, len);
	if (timed_loads(BPF_PROG_TYPE_SOCKET_FILTER, p, len, &opts, reps, fds,
			&best)) {
		int err = errno;

		/* the Pi's stock JIT refuses them (6.1: a load failure) */
		if (mode == MODE_STOCK && err == ENOTSUPP) {
			free(p);
			ksft_test_result_skip("generated %u insns, stock: the stock JIT refuses it (ENOTSUPP)\n",
					      len);
			return;
		}
		gen_log(p, len);
		free(p);
		ksft_test_result_fail("generated %u insns, %s: load: %s\n",
				      len, mode_names[mode], strerror(err));
		return;
	}
	if (nr_loads) {		/* --loads: a profile of it too */
		char name[32];

		snprintf(name, sizeof(name), "gen%u", len);
		profile_insns(name, mode, false, BPF_PROG_TYPE_SOCKET_FILTER,
			      0, p, len);
	}
	free(p);
	if (bpf_obj_get_info_by_fd(fds[reps - 1], &info, &info_len))
		memset(&info, 0, sizeof(info));
	close_fds(fds, reps);
	printf("# bench-gen len=%u mode=%s jited=%d jited_len=%u load_ns=%lld loads=%u\n",
	       len, mode_names[mode], info.jited_prog_len > 0,
	       info.jited_prog_len, best, reps);
	if (mode != MODE_INTERP && !info.jited_prog_len)
		ksft_test_result_fail("generated %u insns, %s: not JIT'ed\n",
				      len, mode_names[mode]);
	else
		ksft_test_result_pass("generated %u insns, %s: loaded%s\n",
				      len, mode_names[mode],
				      mode == MODE_INTERP ? "" : ", JIT'ed");
}

/* One test: load @t in @mode (with or without RND_HI32), run, check. */
static void write_dump(const char *name, const char *mode, const char *ext,
		       const void *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s.%s", dump_dir, name, mode, ext);
	f = fopen(path, "w");
	if (!f || fwrite(buf, 1, len, f) != len)
		fail("--dump: write %s: %s", path, strerror(errno));
	if (f)
		fclose(f);
}

/*
 * --dump: the program as the kernel holds it (bpf_prog_info's arrays), for
 * profiles and disassembly on the host: the image, the xlated insns and
 * one "ADDR LEN" line per JIT'ed function.
 */
static void dump_prog(const struct prog_test *t, enum mode mode, int fd,
		      const struct bpf_prog_info *first)
{
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info), i, n = first->nr_jited_ksyms;
	__u32 nl = first->nr_jited_func_lens;
	unsigned char *img = calloc(1, first->jited_prog_len + 1);
	unsigned char *xl = calloc(1, first->xlated_prog_len + 1);
	__u64 *ksyms = calloc(n + 1, sizeof(*ksyms));
	__u32 *lens = calloc(nl + 1, sizeof(*lens));
	char *syms = calloc(n + 1, 32);
	size_t pos = 0;

	if (!img || !xl || !ksyms || !lens || !syms) {
		fail("--dump: out of memory");
		goto out;
	}
	info.jited_prog_len = first->jited_prog_len;
	info.jited_prog_insns = (__u64)(unsigned long)img;
	info.xlated_prog_len = first->xlated_prog_len;
	info.xlated_prog_insns = (__u64)(unsigned long)xl;
	info.nr_jited_ksyms = n;
	info.jited_ksyms = (__u64)(unsigned long)ksyms;
	info.nr_jited_func_lens = nl;
	info.jited_func_lens = (__u64)(unsigned long)lens;
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len)) {
		fail("--dump: bpf_obj_get_info_by_fd: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++)
		pos += snprintf(syms + pos, 32, "%#llx %u\n",
				(unsigned long long)ksyms[i],
				i < nl ? lens[i] : 0);
	write_dump(t->name, mode_names[mode], "jited", img,
		   info.jited_prog_len);
	write_dump(t->name, mode_names[mode], "xlated", xl,
		   info.xlated_prog_len);
	write_dump(t->name, mode_names[mode], "syms", syms, pos);
out:
	free(img);
	free(xl);
	free(ksyms);
	free(lens);
	free(syms);
}

static void run_test(const struct prog_test *t, enum mode mode, bool hi32)
{
	unsigned int repeat = repeat_override < 0 || t->fixed_repeat ?
			      t->repeat : repeat_override;
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	struct armjit_stats stats_before, stats_after;
	struct bpf_object *obj = NULL;
	struct bpf_program *prog;
	char path[PATH_MAX];
	unsigned long long runs = 0;
	long long load_ns;
	int prog_fd, err;
	enum family fam;

	if (mode == MODE_ARMJIT)
		read_stats(&stats_before);
	snprintf(path, sizeof(path), "%s/%s", obj_dir, t->file);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fail("open %s: %s", path, strerror(errno));
		return;
	}
	prog = bpf_object__next_program(obj, NULL);
	if (!prog) {
		fail("no program in %s", path);
		goto out;
	}
	bpf_program__set_type(prog, t->type);
	if (hi32)
		bpf_program__set_flags(prog, bpf_program__flags(prog) |
					     BPF_F_TEST_RND_HI32);
	err = bpf_object__load(obj);
	if (mode == MODE_ARMJIT) {
		unsigned long long to_stock;

		read_stats(&stats_after);
		to_stock = stats_delta(&stats_before, &stats_after, "stock");
		if ((expect_jited & (1u << mode)) && to_stock)
			fail("%llu program(s) handed to the stock JIT (--expect-jited)",
			     to_stock);
	}
	if (err) {
		fail("load %s: %s", path, strerror(-err));
		goto out;
	}
	prog_fd = bpf_program__fd(prog);
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &info_len)) {
		fail("bpf_obj_get_info_by_fd: %s", strerror(errno));
		goto out;
	}
	last_jited = info.jited_prog_len > 0;
	printf("# %s: jited=%d jited_len=%u xlated_len=%u nr_jited_ksyms=%u\n",
	       bpf_program__name(prog), info.jited_prog_len > 0,
	       info.jited_prog_len, info.xlated_prog_len, info.nr_jited_ksyms);
	if (mode == MODE_INTERP && info.jited_prog_len)
		fail("JIT'ed with bpf_jit_enable=0 (jited_len %u)",
		     info.jited_prog_len);
	if ((expect_jited & (1u << mode)) && !info.jited_prog_len)
		fail("not JIT'ed in mode %s (--expect-jited)", mode_names[mode]);
	if (dump_dir && info.jited_prog_len)
		dump_prog(t, mode, prog_fd, &info);

	if (nr_loads)
		profile_loads(t, mode, obj, prog, hi32);
	if (!t->repeat)		/* load-only test */
		goto out;
	load_ns = time_load(obj, prog, hi32);
	if (t->setup)
		t->setup(obj);
	for (fam = 0; fam < NR_FAMS; fam++) {
		run_family(t, mode, hi32, prog_fd, &info, load_ns, fam, repeat);
		/* repeat 0 runs once */
		runs += (repeat ? repeat : 1) * (t->fixed_repeat ? nr_samples : 1);
	}
	if (t->check_after)
		t->check_after(obj, runs);
out:
	bpf_object__close(obj);
}

/*
 * A run without the interpreter's lines (--mode armjit): does the kernel's
 * interpreter pass @t plain and fail it with BPF_F_TEST_RND_HI32? Then
 * mode @mode again.
 */
static bool interp_fails_hi32(const struct prog_test *t, enum mode mode)
{
	bool skip, plain_ok;

	printf("# the same program interpreted, plain and rnd_hi32:\n");
	if (set_mode(MODE_INTERP, &skip))
		return false;
	failed = false;
	run_test(t, MODE_INTERP, false);
	plain_ok = !failed;
	failed = false;
	run_test(t, MODE_INTERP, true);
	set_mode(mode, &skip);
	return plain_ok && failed;
}

/*
 * One KTAP test line: run @t, or skip it or fail it if @why (the mode).
 * A program that loaded says whether it was JIT'ed in the line's name.
 */
static void report_test(const struct prog_test *t, enum mode mode, bool hi32,
			const char *why, bool skip)
{
	char name[128];

	snprintf(name, sizeof(name), "%s:%s:%s", t->name, mode_names[mode],
		 hi32 ? "rnd_hi32" : "plain");
	if (why && skip) {
		ksft_test_result_skip("%s (%s)\n", name, why);
		return;
	}
	failed = false;
	last_jited = -1;
	if (why)
		fail("mode %s: %s", mode_names[mode], why);
	else
		run_test(t, mode, hi32);
	if (last_jited >= 0)
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
			 " (JIT'ed: %s)", last_jited ? "yes" : "no");
	if (!failed) {
		ksft_test_result_pass("%s\n", name);
		if (mode == MODE_INTERP && !hi32)
			interp_plain_ok[t - prog_tests] = true;
		return;
	}
	/*
	 * BPF_F_TEST_RND_HI32 makes the verifier write random hi words
	 * after 32-bit defs it believes nothing reads. Where the kernel's
	 * own interpreter then fails a program it runs right without the
	 * flag, the verifier randomised a live word (7.2 does, for l4lb's
	 * cpuv3 object): the program handed to a JIT is wrong already, so
	 * no JIT can be judged on it.
	 */
	if (hi32 && mode == MODE_INTERP && interp_plain_ok[t - prog_tests]) {
		interp_hi32_bad[t - prog_tests] = true;
		ksft_test_result_skip("%s (the kernel's verifier randomised a hi word the program reads: the interpreter fails with BPF_F_TEST_RND_HI32 only)\n",
				      name);
	} else if (hi32 && (interp_hi32_bad[t - prog_tests] ||
			    (!(sel_modes & (1u << MODE_INTERP)) &&
			     interp_fails_hi32(t, mode)))) {
		ksft_test_result_skip("%s (fails as the kernel's interpreter does with BPF_F_TEST_RND_HI32)\n",
				      name);
	} else {
		ksft_test_result_fail("%s\n", name);
	}
}

/*
 * Tail calls (prog_tests/tailcalls.c of the matching kernel): each test a
 * short script over one object: fill prog-array slots, run the entry
 * program once on pkt_v4, check its return value and the .bss words
 * upstream checks. Programs with bpf-to-bpf calls and tail calls load only
 * where a JIT declared subprogram tail calls (armjit enabled); in the
 * other modes the kernel must refuse them, as without armjit.
 */
enum tc_op {
	TC_END,
	TC_FILL,	/* slot i = classifier_i, every slot */
	TC_SET,		/* slot 0 = the program named str */
	TC_RUN,		/* run the entry program: retval == val */
	TC_DEL,		/* delete slot arg */
	TC_BSS,		/* .bss u32 at offset arg == val */
	TC_POKE,	/* .bss u32 at offset arg = val (before runs) */
};

struct tc_step {
	enum tc_op op;
	int arg;
	long long val;
	const char *str;
};

struct tc_test {
	const char *name;
	const char *file;
	const char *entry;
	bool subprogs;		/* bpf-to-bpf calls with tail calls */
	struct tc_step steps[12];
	/*
	 * A global function with a ctx argument: the verifier needs the
	 * kernel's BTF for it, which no Debian armhf kernel has
	 * (DEBUG_INFO_BTF off): refused whatever the JIT, skipped then.
	 */
	bool needs_btf;
};

#define PKT_LEN ((long long)sizeof(struct ipv4_packet))

static const struct tc_test tc_tests[] = {
	{ "tailcall_3", "tailcall3.bpf.o", "entry", false, {
		{ TC_SET, 0, 0, "classifier_0" }, { TC_RUN, 0, 1 },
		{ TC_BSS, 0, 33 }, { TC_DEL, 0 }, { TC_RUN, 0, 0 } } },
	{ "tailcall_6", "tailcall6.bpf.o", "entry", false, {
		{ TC_SET, 0, 0, "classifier_0" }, { TC_RUN, 0, 1 },
		{ TC_BSS, 0, 33 }, { TC_DEL, 0 }, { TC_RUN, 0, 0 } } },
	{ "tailcall_bpf2bpf_1", "tailcall_bpf2bpf1.bpf.o", "entry", true, {
		{ TC_FILL }, { TC_RUN, 0, 1 }, { TC_DEL, 1 }, { TC_RUN, 0, 0 },
		{ TC_DEL, 0 }, { TC_RUN, 0, PKT_LEN * 2 } } },
	{ "tailcall_bpf2bpf_2", "tailcall_bpf2bpf2.bpf.o", "entry", true, {
		{ TC_SET, 0, 0, "classifier_0" }, { TC_RUN, 0, 1 },
		{ TC_BSS, 0, 33 }, { TC_DEL, 0 }, { TC_RUN, 0, 0 } } },
	{ "tailcall_bpf2bpf_3", "tailcall_bpf2bpf3.bpf.o", "entry", true, {
		{ TC_FILL }, { TC_RUN, 0, PKT_LEN * 3 }, { TC_DEL, 1 },
		{ TC_RUN, 0, PKT_LEN }, { TC_DEL, 0 },
		{ TC_RUN, 0, PKT_LEN * 2 }, }, true },
	{ "tailcall_bpf2bpf_4", "tailcall_bpf2bpf4.bpf.o", "entry", true, {
		{ TC_FILL }, { TC_POKE, 0, 0 }, { TC_POKE, 4, 0 },
		{ TC_RUN, 0, PKT_LEN * 3 }, { TC_BSS, 0, 31 }, }, true },
	{ "tailcall_bpf2bpf_5", "tailcall_bpf2bpf4.bpf.o", "entry", true, {
		{ TC_FILL }, { TC_POKE, 0, 0 }, { TC_POKE, 4, 1 },
		{ TC_RUN, 0, PKT_LEN * 3 }, { TC_BSS, 0, 31 }, }, true },
	{ "tailcall_bpf2bpf_6", "tailcall_bpf2bpf6.bpf.o", "entry", true, {
		{ TC_SET, 0, 0, "classifier_0" }, { TC_RUN, 0, 0 },
		{ TC_BSS, 0, 1 } } },
	/* 6.10 and later: one count for the whole call tree */
	{ "tailcall_bpf2bpf_hierarchy_1", "tailcall_bpf2bpf_hierarchy1.bpf.o",
	  "entry", true, {
		{ TC_SET, 0, 0, "entry" }, { TC_RUN, 0, 1 }, { TC_BSS, 0, 34 },
		{ TC_DEL, 0 }, { TC_RUN, 0, 1 }, { TC_BSS, 0, 35 } } },
	{ "tailcall_bpf2bpf_hierarchy_2", "tailcall_bpf2bpf_hierarchy2.bpf.o",
	  "tailcall_bpf2bpf_hierarchy_2", true, { { TC_RUN, 0, 33 } } },
	{ "tailcall_bpf2bpf_hierarchy_3", "tailcall_bpf2bpf_hierarchy3.bpf.o",
	  "tailcall_bpf2bpf_hierarchy_3", true, { { TC_RUN, 0, 33 } } },
	/* armjit's own (progs/): a main tail call beside a bpf-to-bpf call */
	{ "armjit_tc_main", "armjit_tc_main.bpf.o", "entry", true, {
		{ TC_RUN, 0, PKT_LEN * 3 + 1 },
		{ TC_SET, 0, 0, "classifier_0" }, { TC_RUN, 0, 3 },
		{ TC_RUN, 0, 6 }, { TC_BSS, 0, 2 } } },
};
#define NR_TC_TESTS ((int)ARRAY_SIZE(tc_tests))

/* Need fentry/fexit/freplace (BPF trampolines): arm32 has none. */
static const char *const tc_trampoline_tests[] = {
	"tailcall_bpf2bpf_fentry", "tailcall_bpf2bpf_fexit",
	"tailcall_bpf2bpf_fentry_fexit", "tailcall_bpf2bpf_fentry_entry",
	"tailcall_bpf2bpf_hierarchy_fentry", "tailcall_bpf2bpf_hierarchy_fexit",
	"tailcall_bpf2bpf_hierarchy_fentry_fexit",
	"tailcall_bpf2bpf_hierarchy_fentry_entry", "tailcall_freplace",
	"tailcall_bpf2bpf_freplace",
};

static bool run_tail_calls = true;
/*
 * --faults (armjit's fail_nth set by the caller): a program with
 * subprogram tail calls may be refused in armjit mode too, but one that
 * loads must be JIT'ed (never interpreted) and right.
 */
static bool tc_faults;
static bool tc_only;		/* --tail-calls: those (and --prog's) only */

static int tc_bss_fd(struct bpf_object *obj)
{
	struct bpf_map *map;
	const char *n;

	bpf_object__for_each_map(map, obj) {
		n = bpf_map__name(map);
		if (bpf_map__is_internal(map) && strlen(n) >= 4 &&
		    !strcmp(n + strlen(n) - 4, ".bss"))
			return bpf_map__fd(map);
	}
	fail("no .bss map");
	return -1;
}

static int tc_prog_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);

	if (!prog) {
		fail("no program %s", name);
		return -1;
	}
	return bpf_program__fd(prog);
}

static void tc_step(struct bpf_object *obj, const struct tc_test *t,
		    const struct tc_step *st, int entry_fd, int jmp_fd)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = &pkt_v4,
		    .data_size_in = sizeof(pkt_v4), .repeat = 1);
	char name[32];
	__u32 key = st->arg, val, max, i;
	unsigned char bss[64];
	int fd;

	switch (st->op) {
	case TC_FILL:
		max = bpf_map__max_entries(bpf_object__find_map_by_name(obj,
							"jmp_table"));
		for (i = 0; i < max; i++) {
			snprintf(name, sizeof(name), "classifier_%u", i);
			fd = tc_prog_fd(obj, name);
			if (fd >= 0 && bpf_map_update_elem(jmp_fd, &i, &fd, 0))
				fail("jmp_table[%u] = %s: %s", i, name,
				     strerror(errno));
		}
		break;
	case TC_SET:
		fd = tc_prog_fd(obj, st->str);
		if (fd >= 0 && bpf_map_update_elem(jmp_fd, &key, &fd, 0))
			fail("jmp_table[%u] = %s: %s", key, st->str,
			     strerror(errno));
		break;
	case TC_DEL:
		if (bpf_map_delete_elem(jmp_fd, &key))
			fail("delete jmp_table[%u]: %s", key, strerror(errno));
		break;
	case TC_RUN:
		if (bpf_prog_test_run_opts(entry_fd, &topts))
			fail("test run: %s", strerror(errno));
		else
			CHECK_EQ(topts.retval, st->val, "%s retval", t->name);
		break;
	case TC_BSS:
	case TC_POKE:
		fd = tc_bss_fd(obj);
		key = 0;
		memset(bss, 0, sizeof(bss));
		if (fd < 0 || bpf_map_lookup_elem(fd, &key, bss)) {
			fail(".bss lookup: %s", strerror(errno));
			break;
		}
		if (st->op == TC_BSS) {
			memcpy(&val, bss + st->arg, sizeof(val));
			CHECK_EQ(val, st->val, "%s .bss[%d]", t->name, st->arg);
			break;
		}
		val = st->val;
		memcpy(bss + st->arg, &val, sizeof(val));
		if (bpf_map_update_elem(fd, &key, bss, 0))
			fail(".bss update: %s", strerror(errno));
		break;
	default:
		break;
	}
}

/*
 * The verifier refused the program for its tail calls beside bpf-to-bpf
 * calls (no JIT declared them): 6.1-6.12 at fixup time, 7.2 at the call.
 */
static bool tc_refused(const char *log)
{
	return log &&
	       (strstr(log, "tail_calls are not allowed in non-JITed programs with bpf-to-bpf calls") ||
		strstr(log, "mixing of tail_calls and bpf-to-bpf calls is not supported"));
}

/*
 * A tail-call test the stock JIT gets wrong (7.2's arm32 JIT counts
 * tailcall_3's calls to 32, upstream and the interpreter 33) is its own
 * bug: an expected failure, where the interpreter passed it in this run;
 * and under --faults where the stock JIT had some of the load (a fault,
 * or cap_then_off), if the stock JIT alone fails it too (tc_quiet: run
 * for the result only).
 */
static bool tc_interp_ok[NR_TC_TESTS];
static bool tc_quiet, tc_quiet_failed;

/* One KTAP line: @t in @mode. */
static void report_tail_call(const struct tc_test *t, enum mode mode,
			     const char *why, bool skip)
{
	bool refuse = t->subprogs && mode != MODE_ARMJIT;
	struct armjit_stats st_before = {}, st_after = {};
	int idx = t - tc_tests;
	char en[8] = "";
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	struct bpf_object *obj = NULL;
	struct bpf_program *prog;
	const struct tc_step *st;
	char path[PATH_MAX], name[160];
	int err, entry_fd, jmp_fd;

	snprintf(name, sizeof(name), "%s:%s", t->name, mode_names[mode]);
	snprintf(path, sizeof(path), "%s/%s", obj_dir, t->file);
	tc_quiet_failed = true;
	if (why && skip) {
		if (!tc_quiet)
			ksft_test_result_skip("%s (%s)\n", name, why);
		return;
	}
	if (access(path, R_OK)) {
		if (!tc_quiet)
			ksft_test_result_skip("%s (no %s: not in this kernel's selftests)\n",
					      name, t->file);
		return;
	}
	failed = false;
	if (why) {
		fail("mode %s: %s", mode_names[mode], why);
		goto report;
	}
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fail("open %s: %s", path, strerror(errno));
		goto report;
	}
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_type(prog, BPF_PROG_TYPE_SCHED_CLS);
	log_capture = calloc(1, LOG_CAPTURE_SIZE);
	read_stats(&st_before);
	err = bpf_object__load(obj);
	read_stats(&st_after);
	/*
	 * A global function with a ctx argument needs the kernel's BTF,
	 * which no Debian armhf kernel has (DEBUG_INFO_BTF off): the
	 * verifier refuses it whatever the JIT.
	 */
	if (err && t->needs_btf && log_capture && !tc_refused(log_capture)) {
		bpf_object__close(obj);
		free(log_capture);
		log_capture = NULL;
		if (!tc_quiet)
			ksft_test_result_skip("%s (a global function with a ctx argument: the verifier needs kernel BTF, absent)\n",
					      name);
		return;
	}
	if (err && tc_faults && t->subprogs) {
		printf("# refused under fault injection: %s%s\n", strerror(-err),
		       tc_refused(log_capture) ?
		       " (the verifier: no JIT'ed program)" : "");
		goto report;
	}
	if (refuse) {
		/* what the kernel does without a JIT that declares them */
		if (!err)
			fail("loaded in mode %s: subprogram tail calls without armjit",
			     mode_names[mode]);
		else if (!tc_refused(log_capture))
			fail("refused, but not for its tail calls: %s",
			     strerror(-err));
		else
			printf("# refused as expected: %s\n", strerror(-err));
		goto report;
	}
	if (err) {
		fail("load %s: %s", path, strerror(-err));
		goto report;
	}
	entry_fd = tc_prog_fd(obj, t->entry);
	jmp_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "jmp_table") ?:
			     bpf_object__find_map_by_name(obj, "jmp_table0"));
	if (entry_fd < 0 || jmp_fd < 0) {
		fail("no entry program or jmp_table");
		goto report;
	}
	if (!bpf_obj_get_info_by_fd(entry_fd, &info, &info_len)) {
		printf("# %s: jited_len=%u\n", t->entry, info.jited_prog_len);
		/* accepted because armjit said yes: armjit's image only */
		if (t->subprogs && !info.jited_prog_len)
			fail("subprogram tail calls loaded, not JIT'ed");
		if (mode != MODE_INTERP && !info.jited_prog_len &&
		    (expect_jited & (1u << mode)))
			fail("not JIT'ed in mode %s (--expect-jited)",
			     mode_names[mode]);
	}
	for (st = t->steps; st->op != TC_END && !failed; st++)
		tc_step(obj, t, st, entry_fd, jmp_fd);
report:
	bpf_object__close(obj);
	free(log_capture);
	log_capture = NULL;
	if (tc_quiet) {
		tc_quiet_failed = failed;
		return;
	}
	if (!failed) {
		if (mode == MODE_INTERP)
			tc_interp_ok[idx] = true;
		ksft_test_result_pass("%s%s\n", name,
				      refuse ? " (refused)" : "");
		return;
	}
	if (mode == MODE_STOCK && tc_interp_ok[idx]) {
		ksft_test_result_xfail("%s (the stock JIT's result differs from the interpreter's and upstream's: the stock JIT's bug)\n",
				       name);
		return;
	}
	if (mode == MODE_ARMJIT && tc_faults &&
	    (stats_delta(&st_before, &st_after, "stock") ||
	     (!read_file(ARMJIT_ENABLED, en, sizeof(en)) && en[0] == '0'))) {
		printf("# some of it the stock JIT's (a fault, or armjit disabled after its yes); the stock JIT alone:\n");
		set_mode(MODE_STOCK, &skip);
		tc_quiet = true;
		report_tail_call(t, MODE_STOCK, NULL, false);
		tc_quiet = false;
		set_mode(MODE_ARMJIT, &skip);
		if (tc_quiet_failed) {
			ksft_test_result_xfail("%s (left to the stock JIT under fault injection, which fails it alone too)\n",
					       name);
			return;
		}
	}
	ksft_test_result_fail("%s\n", name);
}

static int lookup(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/* A comma-separated list of names as a bit mask. */
static unsigned int parse_list(const char *opt, const char *arg,
			       const char *const *names, int n)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	unsigned int mask = 0;
	int i;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		i = lookup(names, n, tok);
		if (i < 0) {
			fprintf(stderr, "%s: unknown '%s'; one of:", opt, tok);
			for (i = 0; i < n; i++)
				fprintf(stderr, " %s", names[i]);
			fprintf(stderr, "\n");
			exit(KSFT_FAIL);
		}
		mask |= 1u << i;
	}
	free(copy);
	return mask;
}

static void usage(const char *argv0, int status)
{
	int i;

	printf("usage: %s [options]\n"
	       "  -d, --dir DIR           where the *.bpf.o files are (default: the runner's)\n"
	       "  -p, --prog P[,P...]     programs to test (default: all)\n"
	       "  -m, --mode M[,M...]     interp, stock, armjit (default: all)\n"
	       "  -r, --repeat N          BPF_PROG_TEST_RUN repeat count (default: upstream's;\n"
	       "                          xdp always runs once)\n"
	       "      --rnd-hi32 WHICH    load with BPF_F_TEST_RND_HI32: both, on, off (default: both)\n"
	       "  -j, --expect-jited M[,M...]  fail unless every program is JIT'ed in mode M\n"
	       "                          (armjit: and none was handed to the stock JIT)\n"
	       "  -s, --samples N         calls of a program that runs once a call (xdp); the\n"
	       "                          bench line's ns is their mean (default 1)\n"
	       "      --dump DIR          write each JIT'ed program's image, xlated insns and\n"
	       "                          function addresses to DIR/PROG.MODE.{jited,xlated,syms}\n"
	       "      --loads N           N more loads of each program between two markers of\n"
	       "                          bench/ccount.c (make compile-profile-guest; with\n"
	       "                          --gen-lens: of each generated program, gen<LEN>)\n"
	       "      --mark              execute one ccount marker and exit (make bench:\n"
	       "                          the counts of a test_bpf run, bench/guest.sh)\n"
	       "      --img-marks         a ccount marker before and after each program's\n"
	       "                          test runs (make bench: bench/imgcount.py)\n"
	       "      --gen-lens N[,N...] only loads of generated straight-line programs of\n"
	       "                          these lengths, timed (make bench: compile cost)\n"
	       "      --load-reps N       time N loads of each program (generated: up to\n"
	       "                          4096 insns), the fewest instructions (default 1)\n"
	       "      --tail-calls        the tail-call tests only (with --prog: those too)\n"
	       "      --faults            armjit's fail_nth is set: the tail-call tests with\n"
	       "                          subprograms may be refused, never loaded un-JIT'ed\n"
	       "  -v, --verbose           libbpf debug messages\n"
	       "  -l, --list              list the programs\n"
	       "Programs:", argv0);
	for (i = 0; i < NR_PROGS; i++)
		printf(" %s", prog_tests[i].name);
	printf("\n");
	exit(status);
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "prog", required_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "rnd-hi32", required_argument, NULL, 'H' },
		{ "expect-jited", required_argument, NULL, 'j' },
		{ "dump", required_argument, NULL, 'D' },
		{ "samples", required_argument, NULL, 's' },
		{ "loads", required_argument, NULL, 'L' },
		{ "mark", no_argument, NULL, 'M' },
		{ "img-marks", no_argument, NULL, 'I' },
		{ "faults", no_argument, NULL, 'F' },
		{ "tail-calls", no_argument, NULL, 'T' },
		{ "gen-lens", required_argument, NULL, 'G' },
		{ "load-reps", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *prog_names[NR_PROGS];
	bool progs_given = false, modes_given = false;
	char *end;
	int c, i;

	for (i = 0; i < NR_PROGS; i++)
		prog_names[i] = prog_tests[i].name;
	while ((c = getopt_long(argc, argv, "d:p:m:r:j:s:vlh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			obj_dir = optarg;
			break;
		case 'p':
			if (!progs_given)
				sel_progs = 0;
			run_tail_calls = false;	/* only the programs named */
			progs_given = true;
			sel_progs |= parse_list("--prog", optarg, prog_names,
						NR_PROGS);
			break;
		case 'm':
			if (!modes_given)
				sel_modes = 0;
			modes_given = true;
			sel_modes |= parse_list("--mode", optarg, mode_names,
						NR_MODES);
			break;
		case 'r':
			errno = 0;
			repeat_override = strtoll(optarg, &end, 0);
			if (errno || *end || repeat_override < 0 ||
			    repeat_override > UINT_MAX) {
				fprintf(stderr, "--repeat: bad count '%s'\n", optarg);
				exit(KSFT_FAIL);
			}
			break;
		case 'H':
			if (strcmp(optarg, "both") && strcmp(optarg, "on") &&
			    strcmp(optarg, "off")) {
				fprintf(stderr, "--rnd-hi32: both, on or off\n");
				exit(KSFT_FAIL);
			}
			hi32_on = strcmp(optarg, "off") != 0;
			hi32_off = strcmp(optarg, "on") != 0;
			break;
		case 'j':
			expect_jited |= parse_list("--expect-jited", optarg,
						   mode_names, NR_MODES);
			break;
		case 'D':
			dump_dir = optarg;
			break;
		case 's':
			errno = 0;
			nr_samples = strtoul(optarg, &end, 0);
			if (errno || *end || !nr_samples || nr_samples > 100000) {
				fprintf(stderr, "--samples: bad count '%s'\n", optarg);
				exit(KSFT_FAIL);
			}
			break;
		case 'L':
			errno = 0;
			nr_loads = strtoul(optarg, &end, 0);
			if (errno || *end || nr_loads > 100000) {
				fprintf(stderr, "--loads: bad count '%s'\n", optarg);
				exit(KSFT_FAIL);
			}
			break;
		case 'M':
			mark();
			exit(0);
		case 'I':
			img_marks = true;
			break;
		case 'F':
			tc_faults = true;
			break;
		case 'T':
			tc_only = true;
			break;
		case 'R': {
			char *end;

			errno = 0;
			load_reps = strtoul(optarg, &end, 0);
			if (errno || *end || !load_reps ||
			    load_reps > MAX_LOAD_REPS) {
				fprintf(stderr, "--load-reps: 1..%d\n",
					MAX_LOAD_REPS);
				exit(KSFT_FAIL);
			}
			break;
		}
		case 'G': {
			char *tok, *save = NULL, *copy = strdup(optarg);

			for (tok = strtok_r(copy, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				errno = 0;
				if (nr_gen_lens == MAX_GEN_LENS)
					break;
				gen_lens[nr_gen_lens] = strtoul(tok, &end, 0);
				if (errno || *end || gen_lens[nr_gen_lens] < 32 ||
				    gen_lens[nr_gen_lens] > 1000000) {
					fprintf(stderr, "--gen-lens: bad length '%s' (32..1000000)\n",
						tok);
					exit(KSFT_FAIL);
				}
				nr_gen_lens++;
			}
			free(copy);
			break;
		}
		case 'v':
			verbose = true;
			break;
		case 'l':
			for (i = 0; i < NR_PROGS; i++)
				printf("%s\t%s\n", prog_tests[i].name,
				       prog_tests[i].file);
			exit(0);
		case 'h':
			usage(argv[0], 0);	/* exits */
			break;
		default:
			usage(argv[0], KSFT_FAIL);
		}
	}
	if (optind < argc)
		usage(argv[0], KSFT_FAIL);
	if (tc_only && !progs_given)
		sel_progs = 0;
	if (tc_only)
		run_tail_calls = true;
	if (nr_gen_lens) {
		sel_progs = 0;		/* the generated programs alone */
		run_tail_calls = false;
	}
}

/* The objects' default place: the runner's own directory. */
static const char *exe_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	char *slash;

	if (n <= 0)
		return ".";
	dir[n] = 0;
	slash = strrchr(dir, '/');
	if (!slash)
		return ".";
	*slash = 0;
	return dir[0] ? dir : "/";
}

int main(int argc, char **argv)
{
	char harden[16] = "?";
	struct utsname uts;
	int plan = 0, nflavours, p;
	enum mode mode;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv);
	if (!obj_dir)
		obj_dir = exe_dir();
	init_packets();
	libbpf_set_print(print_libbpf);

	have_armjit = access(ARMJIT_DIR, F_OK) == 0;
	read_file(JIT_SYSCTL, saved_jit, sizeof(saved_jit));
	read_file(HARDEN_SYSCTL, harden, sizeof(harden));
	if (have_armjit)
		read_file(ARMJIT_ENABLED, saved_armjit, sizeof(saved_armjit));

	nflavours = hi32_on + hi32_off;
	for (mode = 0; mode < NR_MODES; mode++)
		for (p = 0; p < NR_PROGS; p++)
			if ((sel_modes & (1u << mode)) && (sel_progs & (1u << p)))
				plan += nflavours;
	if (run_tail_calls) {
		for (mode = 0; mode < NR_MODES; mode++)
			if (sel_modes & (1u << mode))
				plan += NR_TC_TESTS;
		plan += ARRAY_SIZE(tc_trampoline_tests);
	}
	for (mode = 0; mode < NR_MODES; mode++)
		if (sel_modes & (1u << mode))
			plan += nr_gen_lens;

	ksft_print_header();
	ksft_set_plan(plan);
	uname(&uts);
	ksft_print_msg("kernel %s %s, possible CPUs %d, objects in %s\n",
		       uts.release, uts.machine, libbpf_num_possible_cpus(),
		       obj_dir);
	ksft_print_msg("bpf_jit_enable=%s bpf_jit_harden=%s armjit=%s%s\n",
		       saved_jit[0] ? saved_jit : "?", harden,
		       have_armjit ? "loaded, enabled=" : "absent",
		       have_armjit ? saved_armjit : "");

	for (mode = 0; mode < NR_MODES; mode++) {
		const char *why;
		bool skip;

		if (!(sel_modes & (1u << mode)))
			continue;
		why = set_mode(mode, &skip);
		for (p = 0; p < NR_PROGS; p++) {
			const struct prog_test *t = &prog_tests[p];

			if (!(sel_progs & (1u << p)))
				continue;
			/* plain first: rnd_hi32 is judged against it */
			if (hi32_off)
				report_test(t, mode, false, why, skip);
			if (hi32_on)
				report_test(t, mode, true, why, skip);
		}
		for (p = 0; p < (int)nr_gen_lens; p++)
			gen_load(gen_lens[p], mode, why, skip);
		if (run_tail_calls)
			for (p = 0; p < NR_TC_TESTS; p++) {
				/* debugfs cap_then_off disables armjit */
				if (tc_faults)
					why = set_mode(mode, &skip);
				report_tail_call(&tc_tests[p], mode, why, skip);
			}
	}
	if (run_tail_calls)
		for (p = 0; p < (int)ARRAY_SIZE(tc_trampoline_tests); p++)
			ksft_test_result_skip("%s (needs fentry/fexit/freplace: BPF trampolines, which arm32 has none of)\n",
					      tc_trampoline_tests[p]);
	restore_mode();
	ksft_print_cnts();
	if (ksft_get_fail_cnt())
		return KSFT_FAIL;
	return ksft_get_pass_cnt() ? KSFT_PASS : KSFT_SKIP;
}
