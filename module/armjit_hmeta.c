// SPDX-License-Identifier: GPL-2.0
/*
 * The helper metadata table's pure part: see armjit_hmeta.h.
 *
 * An entry is one function (its address), however many helper ids and
 * program types reach it. The same function may come with different
 * prototypes (e.g. a pointer argument typed for one program type, a
 * scalar for another): the entry then takes the widest of them, which is
 * right for every caller. A widening is always safe here: a BPF_CALL_x
 * wrapper reads each argument as a u64 and ignores the ones it doesn't
 * declare.
 */
#include "armjit_hmeta.h"

const struct armjit_side_effect armjit_side_effects[ARMJIT_NR_SIDE_EFFECTS] = {
	/* schedule_work(): enables the bpf_trace_printk trace event */
	{ BPF_FUNC_trace_printk,	"bpf_trace_printk" },
	{ BPF_FUNC_trace_vprintk,	"bpf_trace_vprintk" },
	/* capable(CAP_SYS_ADMIN) and "may corrupt user memory!" */
	{ BPF_FUNC_probe_write_user,	"bpf_probe_write_user" },
	/* security_locked_down(LOCKDOWN_BPF_READ_KERNEL) */
	{ BPF_FUNC_probe_read_kernel,	"bpf_probe_read_kernel" },
	{ BPF_FUNC_probe_read_kernel_str, "bpf_probe_read_kernel_str" },
	{ BPF_FUNC_probe_read,		"bpf_probe_read_compat" },
	{ BPF_FUNC_probe_read_str,	"bpf_probe_read_compat_str" },
};

struct armjit_helper *armjit_ht_find(const struct armjit_htable *t, u32 addr)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->h[i].def.addr == addr)
			return &t->h[i];
	return NULL;
}

struct armjit_helper *armjit_ht_find_name(const struct armjit_htable *t,
					  const char *name)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->h[i].name, name))
			return &t->h[i];
	return NULL;
}

struct armjit_helper *armjit_ht_add(struct armjit_htable *t, u32 addr,
				    int id, u8 source,
				    const struct armjit_call_conv *def)
{
	struct armjit_helper *h;

	if (t->n >= t->max)
		return NULL;
	h = &t->h[t->n++];
	memset(h, 0, sizeof(*h));
	t->name_of(addr, h->name, sizeof(h->name));
	h->id = id;
	h->source = source;
	h->def = *def;
	h->def.addr = addr;
	h->cur = h->def;
	return h;
}

/* The always-correct convention for a function the table doesn't know. */
void armjit_default_conv(struct armjit_call_conv *c, u32 addr)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->addr = addr;
	c->conv = ARMJIT_CONV_U64;
	c->nargs = ARMJIT_MAX_ARGS;
	for (i = 0; i < ARMJIT_MAX_ARGS; i++)
		c->arg_size[i] = 8;
	c->ret_size = 8;
}

static void conv_of_proto(struct armjit_call_conv *c,
			  const struct armjit_proto *p)
{
	memset(c, 0, sizeof(*c));
	c->addr = p->addr;
	c->conv = ARMJIT_CONV_U64;	/* every helper is a BPF_CALL_x wrapper */
	c->nargs = p->nargs;
	memcpy(c->arg_size, p->arg_size, sizeof(c->arg_size));
	c->ret_size = p->ret_size;
}

static void widen(struct armjit_call_conv *c, const struct armjit_proto *p)
{
	int i;

	for (i = 0; i < ARMJIT_MAX_ARGS; i++)
		if (p->arg_size[i] > c->arg_size[i])
			c->arg_size[i] = p->arg_size[i];
	if (p->nargs > c->nargs)
		c->nargs = p->nargs;
	if (p->ret_size > c->ret_size)
		c->ret_size = p->ret_size;
}

/*
 * Record that program type @type's resolver answers helper @id with @p.
 * A default entry (met before any resolver named it) becomes a kernel
 * one; a builtin or kernel one is widened. An override stays in force.
 */
int armjit_ht_learn(struct armjit_htable *t, int id,
		    const struct armjit_proto *p, int type)
{
	struct armjit_call_conv c;
	struct armjit_helper *h;

	if (p->nargs > ARMJIT_MAX_ARGS || type < 0 || type >= ARMJIT_MAX_TYPES)
		return -EINVAL;
	h = armjit_ht_find(t, p->addr);
	if (!h) {
		conv_of_proto(&c, p);
		h = armjit_ht_add(t, p->addr, id, ARMJIT_SRC_KERNEL, &c);
		if (!h)
			return -ENOSPC;
	} else if (h->source == ARMJIT_SRC_DEFAULT) {
		conv_of_proto(&h->def, p);
		h->source = ARMJIT_SRC_KERNEL;
	} else {
		widen(&h->def, p);
	}
	if (h->id < 0)
		h->id = id;
	if (!h->overridden)
		h->cur = h->def;
	h->types |= 1ULL << type;
	return 0;
}

static bool calls_addr(const u32 *called, int ncalled, u32 addr)
{
	int i;

	for (i = 0; addr && i < ncalled; i++)
		if (called[i] == addr)
			return true;
	return false;
}

/*
 * Ask resolver @fn for every helper id and learn each answer for @type.
 * A side-effect id (armjit_side_effects[k]) is asked only when the
 * program calls its function side_addr[k] (@called: the program's call
 * targets); never when side_addr is NULL. Returns the number of answers
 * or -ENOSPC (the table is full; what fit is kept).
 */
int armjit_sweep(struct armjit_htable *t, int type, armjit_resolve_fn fn,
		 void *arg, const u32 *side_addr, const u32 *called,
		 int ncalled)
{
	struct armjit_proto p;
	int id, k, n = 0, err;

	for (id = 1; id < __BPF_FUNC_MAX_ID; id++) {
		for (k = 0; k < ARMJIT_NR_SIDE_EFFECTS; k++)
			if (armjit_side_effects[k].id == id)
				break;
		if (k < ARMJIT_NR_SIDE_EFFECTS &&
		    (!side_addr || !calls_addr(called, ncalled, side_addr[k])))
			continue;
		memset(&p, 0, sizeof(p));
		if (fn(arg, id, &p) || !p.addr)
			continue;
		err = armjit_ht_learn(t, id, &p, type);
		if (err == -ENOSPC)
			return err;
		n += !err;
	}
	return n;
}

/*
 * @c would make a call site pass less than @def says the function takes:
 * another convention, fewer arguments, a narrower argument or return.
 * Anything else only widens towards the 5 x u64 default, which every
 * BPF_CALL_x wrapper accepts.
 */
bool armjit_conv_narrower(const struct armjit_call_conv *def,
			  const struct armjit_call_conv *c)
{
	int i;

	if (c->conv != def->conv || c->nargs < def->nargs ||
	    c->ret_size < def->ret_size)
		return true;
	for (i = 0; i < def->nargs; i++)
		if (c->arg_size[i] < def->arg_size[i])
			return true;
	return false;
}
