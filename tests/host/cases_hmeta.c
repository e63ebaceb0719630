// SPDX-License-Identifier: GPL-2.0
/*
 * The helper metadata table's derivation (module/armjit_hmeta.c): sweeps
 * of a stand-in func-proto resolver per program type, which records every
 * id it is asked. Side-effect ids are never asked unless the program
 * calls their function; one function reached with different prototypes
 * takes the widest; a default entry becomes a kernel one; an override
 * outlives a sweep; the override judge (armjit_conv_narrower()).
 */
#include <stdio.h>
#include <string.h>
#include "runner.h"
#include "armjit_hmeta.h"

/* stand-in function addresses */
enum {
	F_LOOKUP = 0x1000, F_LOAD_BYTES = 0x1100, F_XDP_REDIRECT = 0x1200,
	F_OUTPUT = 0x1300, F_TRACE_PRINTK = 0x1400, F_WRITE_USER = 0x1500,
	F_READ_KERNEL = 0x1600, F_UNKNOWN = 0x1700,
};

static u8 asked[__BPF_FUNC_MAX_ID];

struct stand_in {
	int type;
};

static void put(struct armjit_proto *p, u32 addr, int nargs, const u8 *sz,
		u8 ret)
{
	p->addr = addr;
	p->nargs = nargs;
	memcpy(p->arg_size, sz, nargs);
	p->ret_size = ret;
}

/*
 * socket_filter: map_lookup (ptr, ptr) -> ptr, skb_load_bytes, and the
 * side-effect trace_printk and probe_read_kernel.
 * xdp: map_lookup as above, redirect -> an xdp function.
 * kprobe: map_lookup typed (ptr, scalar) -> u64 (to test widening),
 * perf_event_output, probe_write_user.
 */
static int resolve(void *arg, int id, struct armjit_proto *p)
{
	const struct stand_in *s = arg;
	static const u8 pp[] = { 4, 4 }, ps[] = { 4, 8 },
		lb[] = { 4, 8, 4, 8 }, out[] = { 4, 4, 8, 4, 8 },
		rk[] = { 4, 8, 4 }, r2[] = { 8, 8 };

	asked[id]++;
	switch (id) {
	case BPF_FUNC_map_lookup_elem:
		if (s->type == BPF_PROG_TYPE_KPROBE)
			put(p, F_LOOKUP, 2, ps, 8);
		else
			put(p, F_LOOKUP, 2, pp, 4);
		return 0;
	case BPF_FUNC_skb_load_bytes:
		if (s->type != BPF_PROG_TYPE_SOCKET_FILTER)
			return -ENOENT;
		put(p, F_LOAD_BYTES, 4, lb, 8);
		return 0;
	case BPF_FUNC_trace_printk:
		if (s->type != BPF_PROG_TYPE_SOCKET_FILTER)
			return -ENOENT;
		put(p, F_TRACE_PRINTK, 2, ps, 8);
		return 0;
	case BPF_FUNC_probe_read_kernel:
		if (s->type != BPF_PROG_TYPE_SOCKET_FILTER)
			return -ENOENT;
		put(p, F_READ_KERNEL, 3, rk, 8);
		return 0;
	case BPF_FUNC_redirect:
		if (s->type != BPF_PROG_TYPE_XDP)
			return -ENOENT;
		put(p, F_XDP_REDIRECT, 2, r2, 8);
		return 0;
	case BPF_FUNC_perf_event_output:
		if (s->type != BPF_PROG_TYPE_KPROBE)
			return -ENOENT;
		put(p, F_OUTPUT, 5, out, 8);
		return 0;
	case BPF_FUNC_probe_write_user:
		if (s->type != BPF_PROG_TYPE_KPROBE)
			return -ENOENT;
		put(p, F_WRITE_USER, 3, rk, 8);
		return 0;
	}
	return -ENOENT;
}

static void name_of(u32 addr, char *buf, int size)
{
	snprintf(buf, size, "fn_%x", addr);
}

#define MAXH	16
static struct armjit_helper hbuf[MAXH];

static void table_init(struct armjit_htable *t, int max)
{
	memset(hbuf, 0, sizeof(hbuf));
	t->h = hbuf;
	t->n = 0;
	t->max = max;
	t->name_of = name_of;
}

/* side_addr[] as the kernel glue fills it: each side-effect id's function */
static u32 side_addr[ARMJIT_NR_SIDE_EFFECTS];

static void side_init(void)
{
	int k;

	for (k = 0; k < ARMJIT_NR_SIDE_EFFECTS; k++) {
		switch (armjit_side_effects[k].id) {
		case BPF_FUNC_trace_printk:
			side_addr[k] = F_TRACE_PRINTK;
			break;
		case BPF_FUNC_probe_write_user:
			side_addr[k] = F_WRITE_USER;
			break;
		case BPF_FUNC_probe_read_kernel:
			side_addr[k] = F_READ_KERNEL;
			break;
		default:
			side_addr[k] = 0x9000 + k;
		}
	}
}

static bool side_asked(int except)
{
	int k;

	for (k = 0; k < ARMJIT_NR_SIDE_EFFECTS; k++)
		if (armjit_side_effects[k].id != except &&
		    asked[armjit_side_effects[k].id])
			return true;
	return false;
}

static bool conv_is(const struct armjit_call_conv *c, int nargs,
		    const char *sizes, int ret)
{
	char buf[32] = "";
	int i, len = 0;

	for (i = 0; i < c->nargs; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%u",
				i ? "," : "", c->arg_size[i]);
	return c->conv == ARMJIT_CONV_U64 && c->nargs == nargs &&
	       !strcmp(buf, sizes) && c->ret_size == ret;
}

static void sweeps(void)
{
	struct stand_in sf = { BPF_PROG_TYPE_SOCKET_FILTER },
		xdp = { BPF_PROG_TYPE_XDP }, kp = { BPF_PROG_TYPE_KPROBE };
	struct armjit_htable t;
	struct armjit_helper *h;
	u32 called[2];
	int n, id;
	bool ok;

	side_init();
	table_init(&t, MAXH);

	/* a socket filter calling nothing with side effects */
	memset(asked, 0, sizeof(asked));
	called[0] = F_LOOKUP;
	n = armjit_sweep(&t, BPF_PROG_TYPE_SOCKET_FILTER, resolve, &sf,
			 side_addr, called, 1);
	ok = n == 2 && !side_asked(-1);
	for (id = 1; id < __BPF_FUNC_MAX_ID; id++)
		if (!asked[id] && id != BPF_FUNC_trace_printk &&
		    id != BPF_FUNC_trace_vprintk &&
		    id != BPF_FUNC_probe_write_user &&
		    id != BPF_FUNC_probe_read_kernel &&
		    id != BPF_FUNC_probe_read_kernel_str &&
		    id != BPF_FUNC_probe_read && id != BPF_FUNC_probe_read_str)
			ok = false;
	report("hmeta: sweep asks every id but the 7 side-effect ones", ok);
	report("hmeta: trace_printk/probe_read_kernel not asked, not listed",
	       !armjit_ht_find(&t, F_TRACE_PRINTK) &&
	       !armjit_ht_find(&t, F_READ_KERNEL));
	h = armjit_ht_find(&t, F_LOAD_BYTES);
	report("hmeta: skb_load_bytes learned for socket_filter",
	       h && h->source == ARMJIT_SRC_KERNEL &&
	       h->id == BPF_FUNC_skb_load_bytes &&
	       h->types == 1ULL << BPF_PROG_TYPE_SOCKET_FILTER &&
	       conv_is(&h->cur, 4, "4,8,4,8", 8) &&
	       !strcmp(h->name, "fn_1100"));

	/* a socket filter calling bpf_trace_printk: that id only */
	memset(asked, 0, sizeof(asked));
	called[1] = F_TRACE_PRINTK;
	n = armjit_sweep(&t, BPF_PROG_TYPE_SOCKET_FILTER, resolve, &sf,
			 side_addr, called, 2);
	report("hmeta: a program calling trace_printk: only that side-effect id asked",
	       n == 3 && asked[BPF_FUNC_trace_printk] == 1 &&
	       !side_asked(BPF_FUNC_trace_printk) &&
	       armjit_ht_find(&t, F_TRACE_PRINTK) &&
	       !armjit_ht_find(&t, F_READ_KERNEL));

	/* no side_addr (the load-time base sweep): never, even if called */
	memset(asked, 0, sizeof(asked));
	called[1] = F_READ_KERNEL;
	armjit_sweep(&t, BPF_PROG_TYPE_SOCKET_FILTER, resolve, &sf, NULL,
		     called, 2);
	report("hmeta: without side_addr no side-effect id is asked",
	       !side_asked(-1) && !armjit_ht_find(&t, F_READ_KERNEL));

	/* xdp: same lookup function, its own redirect */
	armjit_sweep(&t, BPF_PROG_TYPE_XDP, resolve, &xdp, side_addr, NULL, 0);
	h = armjit_ht_find(&t, F_LOOKUP);
	report("hmeta: one function, two types: one entry serving both",
	       h && h->types == ((1ULL << BPF_PROG_TYPE_SOCKET_FILTER) |
				 (1ULL << BPF_PROG_TYPE_XDP)) &&
	       conv_is(&h->cur, 2, "4,4", 4));
	h = armjit_ht_find(&t, F_XDP_REDIRECT);
	report("hmeta: xdp's redirect learned for xdp only",
	       h && h->id == BPF_FUNC_redirect &&
	       h->types == 1ULL << BPF_PROG_TYPE_XDP &&
	       conv_is(&h->cur, 2, "8,8", 8));

	/* an override outlives a later sweep, which widens the default */
	h = armjit_ht_find(&t, F_LOOKUP);
	h->cur.nargs = 5;
	h->overridden = true;
	memset(asked, 0, sizeof(asked));
	called[0] = F_WRITE_USER;
	armjit_sweep(&t, BPF_PROG_TYPE_KPROBE, resolve, &kp, side_addr,
		     called, 1);
	h = armjit_ht_find(&t, F_LOOKUP);
	report("hmeta: another prototype of the same function widens it",
	       h && conv_is(&h->def, 2, "4,8", 8) &&
	       (h->types & (1ULL << BPF_PROG_TYPE_KPROBE)));
	report("hmeta: an override outlives a sweep",
	       h && h->overridden && h->cur.nargs == 5);
	report("hmeta: a kprobe calling probe_write_user: that id only",
	       asked[BPF_FUNC_probe_write_user] == 1 &&
	       !side_asked(BPF_FUNC_probe_write_user) &&
	       armjit_ht_find(&t, F_WRITE_USER) &&
	       armjit_ht_find(&t, F_OUTPUT));
}

static void defaults_and_limits(void)
{
	struct stand_in xdp = { BPF_PROG_TYPE_XDP };
	struct armjit_call_conv c;
	struct armjit_htable t;
	struct armjit_helper *h;
	int n;

	side_init();
	table_init(&t, MAXH);
	armjit_default_conv(&c, F_XDP_REDIRECT);
	h = armjit_ht_add(&t, F_XDP_REDIRECT, -1, ARMJIT_SRC_DEFAULT, &c);
	report("hmeta: default entry is 5 x u64",
	       h && conv_is(&h->cur, 5, "8,8,8,8,8", 8));
	armjit_sweep(&t, BPF_PROG_TYPE_XDP, resolve, &xdp, side_addr, NULL, 0);
	h = armjit_ht_find(&t, F_XDP_REDIRECT);
	report("hmeta: a sweep naming a default entry makes it a kernel one",
	       h && h->source == ARMJIT_SRC_KERNEL &&
	       h->id == BPF_FUNC_redirect && conv_is(&h->cur, 2, "8,8", 8));

	table_init(&t, 1);
	n = armjit_sweep(&t, BPF_PROG_TYPE_XDP, resolve, &xdp, side_addr,
			 NULL, 0);
	report("hmeta: a full table: -ENOSPC, what fit is kept",
	       n == -ENOSPC && t.n == 1);
	report("hmeta: a type out of range is refused",
	       armjit_ht_learn(&t, 1, &(struct armjit_proto){ .addr = 1 },
			       ARMJIT_MAX_TYPES) == -EINVAL);
}

static void narrower(void)
{
	struct armjit_call_conv def = {
		.addr = F_LOAD_BYTES, .conv = ARMJIT_CONV_U64, .nargs = 4,
		.arg_size = { 4, 8, 4, 8 }, .ret_size = 8,
	}, c;

	c = def;
	report("hmeta: judge: the same entry is not narrower",
	       !armjit_conv_narrower(&def, &c));
	c.nargs = 5;
	c.arg_size[4] = 4;
	report("hmeta: judge: an extra argument is wider",
	       !armjit_conv_narrower(&def, &c));
	armjit_default_conv(&c, def.addr);
	report("hmeta: judge: 5 x u64 is wider",
	       !armjit_conv_narrower(&def, &c));
	c = def;
	c.nargs = 3;
	report("hmeta: judge: fewer arguments are narrower",
	       armjit_conv_narrower(&def, &c));
	c = def;
	c.conv = ARMJIT_CONV_AAPCS;
	report("hmeta: judge: aapcs for a wrapper is narrower",
	       armjit_conv_narrower(&def, &c));
	c = def;
	c.ret_size = 4;
	report("hmeta: judge: a smaller return is narrower",
	       armjit_conv_narrower(&def, &c));
	c = def;
	c.arg_size[1] = 4;
	report("hmeta: judge: a narrower argument is narrower",
	       armjit_conv_narrower(&def, &c));
}

void cases_hmeta(void)
{
	sweeps();
	defaults_and_limits();
	narrower();
}
