// SPDX-License-Identifier: GPL-2.0
/*
 * The helper metadata table: how each helper function a program may call
 * takes its arguments, so every BPF_CALL site marshals them right.
 *
 * Keyed by function address (one helper id maps to different functions per
 * program type). Built at load from the kernel's own prototypes
 * (bpf_base_func_proto()), completed at JIT time with the 5 x u64 default
 * for helpers outside the base set, overridable from sysfs:
 *
 *   /sys/kernel/armjit/helpers/table     the table, one helper per line
 *   /sys/kernel/armjit/helpers/override  "NAME key=value..." (root)
 *   /sys/kernel/armjit/helpers/reset     "NAME" or "all" (root)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <linux/ctype.h>
#include <linux/sysfs.h>
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <asm/memory.h>
#include "armjit.h"
#include "armjit_jit.h"

#define ARMJIT_MAX_HELPERS	512
#define ARMJIT_NAME_LEN		48

enum armjit_source {
	ARMJIT_SRC_KERNEL,	/* from the kernel's bpf_func_proto */
	ARMJIT_SRC_DEFAULT,	/* seen at JIT time, no prototype: 5 x u64 */
};

struct armjit_helper {
	char name[ARMJIT_NAME_LEN];
	int id;				/* BPF_FUNC_* or -1 */
	u8 source;			/* enum armjit_source */
	bool overridden;
	struct armjit_call_conv cur;	/* what call sites use */
	struct armjit_call_conv def;	/* what reset restores */
};

static struct armjit_helper *helpers;
static int nr_helpers;
static DEFINE_MUTEX(helpers_lock);

static const char * const conv_names[] = {
	[ARMJIT_CONV_U64] = "u64",
	[ARMJIT_CONV_AAPCS] = "aapcs",
};

/* Helpers whose proto lookup has side effects (enables a trace event,
 * logs a warning): never asked for at load.
 */
static bool proto_has_side_effects(int id)
{
	return id == BPF_FUNC_trace_printk || id == BPF_FUNC_trace_vprintk ||
	       id == BPF_FUNC_probe_write_user;
}

static u8 arg_size_of(enum bpf_arg_type t)
{
	switch (base_type(t)) {
	case ARG_ANYTHING:
	case ARG_CONST_SIZE:
	case ARG_CONST_SIZE_OR_ZERO:
	case ARG_CONST_ALLOC_SIZE_OR_ZERO:
		return 8;	/* scalars: the C type may be u64 */
	default:
		return 4;	/* pointers are 32-bit here */
	}
}

static u8 ret_size_of(enum bpf_return_type t)
{
	if (t == RET_VOID)
		return 0;
	return base_type(t) == RET_INTEGER ? 8 : 4;
}

static struct armjit_helper *find_by_addr(u32 addr)
{
	int i;

	for (i = 0; i < nr_helpers; i++)
		if (helpers[i].cur.addr == addr)
			return &helpers[i];
	return NULL;
}

static struct armjit_helper *find_by_name(const char *name)
{
	int i;

	for (i = 0; i < nr_helpers; i++)
		if (!strcmp(helpers[i].name, name))
			return &helpers[i];
	return NULL;
}

static struct armjit_helper *add_helper(u32 addr, int id)
{
	struct armjit_helper *h;
	char *sym;

	if (nr_helpers >= ARMJIT_MAX_HELPERS)
		return NULL;
	h = &helpers[nr_helpers];
	memset(h, 0, sizeof(*h));
	sym = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (sym && sprint_symbol_no_offset(sym, addr) > 0)
		strscpy(h->name, sym, sizeof(h->name));
	else
		snprintf(h->name, sizeof(h->name), "0x%08x", addr);
	kfree(sym);
	h->id = id;
	h->def.addr = addr;
	nr_helpers++;
	return h;
}

static void add_from_proto(int id, const struct bpf_func_proto *fn)
{
	struct armjit_helper *h;
	int i;

	if (!fn || !fn->func || find_by_addr((u32)fn->func))
		return;
	h = add_helper((u32)fn->func, id);
	if (!h)
		return;
	h->source = ARMJIT_SRC_KERNEL;
	h->def.conv = ARMJIT_CONV_U64;	/* every helper is a BPF_CALL_x wrapper */
	for (i = 0; i < ARMJIT_MAX_ARGS; i++) {
		if (fn->arg_type[i] == ARG_DONTCARE)
			break;
		h->def.arg_size[i] = arg_size_of(fn->arg_type[i]);
	}
	h->def.nargs = i;
	h->def.ret_size = ret_size_of(fn->ret_type);
	h->cur = h->def;
}

/* The always-correct convention for a helper the table doesn't know. */
static void set_default_conv(struct armjit_call_conv *c, u32 addr)
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

/*
 * The base prototypes as an ordinary program of the loading task sees
 * them. 6.12's and 7.2's bpf_base_func_proto() read only prog->aux->token
 * (none: the capability checks of the initial user namespace) and
 * prog->sleepable (7.2); 6.1's takes no program.
 */
static int add_base_protos(void)
{
	struct bpf_prog_aux *aux;
	struct bpf_prog *prog;
	int id;

	prog = kzalloc(sizeof(*prog), GFP_KERNEL);
	aux = kzalloc(sizeof(*aux), GFP_KERNEL);
	if (!prog || !aux) {
		kfree(prog);
		kfree(aux);
		return -ENOMEM;
	}
	prog->aux = aux;
	aux->prog = prog;
	for (id = 1; id < __BPF_FUNC_MAX_ID; id++)
		if (!proto_has_side_effects(id))
			add_from_proto(id, armjit_call_proto(armjit_syms.bpf_base_func_proto,
							     id, prog));
	kfree(aux);
	kfree(prog);
	return 0;
}

int armjit_helpers_init(void)
{
	int err, i;

	helpers = kcalloc(ARMJIT_MAX_HELPERS, sizeof(*helpers), GFP_KERNEL);
	if (!helpers)
		return -ENOMEM;
	mutex_lock(&helpers_lock);
	err = add_base_protos();
	mutex_unlock(&helpers_lock);
	if (err) {
		kfree(helpers);
		helpers = NULL;
		return err;
	}
	for (i = 0; i < nr_helpers; i++)
		if (helpers[i].id == BPF_FUNC_map_lookup_elem)
			armjit_rt.map_lookup_elem = helpers[i].cur.addr;
	pr_info("helper table: %d helpers from the kernel's prototypes\n",
		nr_helpers);
	return 0;
}

void armjit_helpers_exit(void)
{
	kfree(helpers);
	helpers = NULL;
}

static bool is_module_addr(u32 addr)
{
	return addr >= MODULES_VADDR && addr < MODULES_END;
}

static bool is_helper_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0;
}

bool armjit_helper_overridden(u32 addr)
{
	struct armjit_helper *h;
	bool ret;

	mutex_lock(&helpers_lock);
	h = find_by_addr(addr);
	ret = h && h->overridden;
	mutex_unlock(&helpers_lock);
	return ret;
}

/*
 * Snapshot the conventions of every helper @prog calls, so all passes of
 * one compile see the same table even if sysfs changes it meanwhile.
 */
int armjit_helpers_for_prog(const struct bpf_prog *prog,
			    struct armjit_call_conv **calls, int *ncalls)
{
	struct armjit_call_conv *out;
	int i, j, n = 0, max = 0;

	for (i = 0; i < prog->len; i++)
		max += is_helper_call(&prog->insnsi[i]);
	*calls = NULL;
	*ncalls = 0;
	if (!max)
		return 0;
	out = kcalloc(max, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;

	mutex_lock(&helpers_lock);
	for (i = 0; i < prog->len; i++) {
		const struct bpf_insn *insn = &prog->insnsi[i];
		struct armjit_helper *h;
		u32 addr;

		if (!is_helper_call(insn))
			continue;
		addr = (u32)__bpf_call_base + insn->imm;
		for (j = 0; j < n && out[j].addr != addr; j++)
			;
		if (j < n)
			continue;
		h = find_by_addr(addr);
		/*
		 * A module's function may be gone and its address reused
		 * by the next program: only core kernel helpers are kept.
		 */
		if (!h && !is_module_addr(addr)) {
			h = add_helper(addr, -1);
			if (h) {
				h->source = ARMJIT_SRC_DEFAULT;
				set_default_conv(&h->def, addr);
				h->cur = h->def;
			}
		}
		if (!h || h->source == ARMJIT_SRC_DEFAULT)
			atomic_long_inc(&armjit_stats.calls_default);
		if (h)
			out[n++] = h->cur;
		else
			set_default_conv(&out[n++], addr);
	}
	mutex_unlock(&helpers_lock);
	*calls = out;
	*ncalls = n;
	return 0;
}

static int format_table(char *buf, size_t size)
{
	static const char * const src[] = { "kernel", "default" };
	int i, k, len;

	len = scnprintf(buf, size, "# name id addr conv nargs args ret source\n");
	for (i = 0; i < nr_helpers; i++) {
		const struct armjit_helper *h = &helpers[i];
		const struct armjit_call_conv *c = &h->cur;

		len += scnprintf(buf + len, size - len, "%s %d 0x%08x %s %u ",
				 h->name, h->id, c->addr, conv_names[c->conv],
				 c->nargs);
		for (k = 0; k < c->nargs; k++)
			len += scnprintf(buf + len, size - len, "%s%u",
					 k ? "," : "", c->arg_size[k]);
		len += scnprintf(buf + len, size - len, "%s %u %s%s\n",
				 c->nargs ? "" : "-", c->ret_size,
				 src[h->source], h->overridden ? ",override" : "");
	}
	return len;
}

static ssize_t table_read(struct file *file, struct kobject *kobj,
			  ARMJIT_BIN_CONST struct bin_attribute *attr, char *buf,
			  loff_t off, size_t count)
{
	size_t size = (ARMJIT_MAX_HELPERS + 1) * 128;
	char *text;
	ssize_t len;

	text = kvmalloc(size, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	mutex_lock(&helpers_lock);
	len = format_table(text, size);
	mutex_unlock(&helpers_lock);
	if (off >= len) {
		len = 0;
	} else {
		len = min_t(ssize_t, count, len - off);
		memcpy(buf, text + off, len);
	}
	kvfree(text);
	return len;
}

/* "4,8,4" -> sizes; each 4 or 8, at most ARMJIT_MAX_ARGS. */
static int parse_sizes(char *val, struct armjit_call_conv *c)
{
	char *tok;
	int n = 0;
	u8 sz;

	if (!strcmp(val, "-")) {
		c->nargs = 0;
		return 0;
	}
	while ((tok = strsep(&val, ","))) {
		if (n == ARMJIT_MAX_ARGS || kstrtou8(tok, 10, &sz) ||
		    (sz != 4 && sz != 8))
			return -EINVAL;
		c->arg_size[n++] = sz;
	}
	c->nargs = n;
	return 0;
}

static int apply_setting(char *key, char *val, struct armjit_call_conv *c)
{
	u8 v;
	int i;

	if (!strcmp(key, "conv")) {
		for (i = 0; i < ARRAY_SIZE(conv_names); i++)
			if (!strcmp(val, conv_names[i])) {
				c->conv = i;
				return 0;
			}
		return -EINVAL;
	}
	if (!strcmp(key, "nargs")) {
		if (kstrtou8(val, 10, &v) || v > ARMJIT_MAX_ARGS)
			return -EINVAL;
		/* New arguments default to 8 bytes, the wrapper ABI's width. */
		for (i = c->nargs; i < v; i++)
			c->arg_size[i] = 8;
		c->nargs = v;
		return 0;
	}
	if (!strcmp(key, "args"))
		return parse_sizes(val, c);
	if (!strcmp(key, "ret")) {
		if (kstrtou8(val, 10, &v) || (v != 0 && v != 4 && v != 8))
			return -EINVAL;
		c->ret_size = v;
		return 0;
	}
	return -EINVAL;
}

static bool printable(const char *buf, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (!isprint(buf[i]) && buf[i] != '\n')
			return false;
	return true;
}

/* "NAME key=value [key=value...]": all or nothing. */
static ssize_t override_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	struct armjit_call_conv c;
	struct armjit_helper *h;
	char *copy, *cur, *tok, *name;
	int err = -EINVAL, nset = 0;

	if (count > 256 || !printable(buf, count))
		return -EINVAL;
	copy = kstrndup(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = strim(copy);
	name = strsep(&cur, " \t");

	mutex_lock(&helpers_lock);
	h = find_by_name(name);
	if (!h || !cur)
		goto out;
	c = h->cur;
	while ((tok = strsep(&cur, " \t"))) {
		char *val = tok;
		char *key = strsep(&val, "=");

		if (!*tok)
			continue;
		if (!val || !*val)
			goto out;
		err = apply_setting(key, val, &c);
		if (err)
			goto out;
		nset++;
	}
	err = -EINVAL;
	if (!nset)
		goto out;
	h->cur = c;
	h->overridden = memcmp(&h->cur, &h->def, sizeof(c)) != 0;
	err = count;
out:
	mutex_unlock(&helpers_lock);
	kfree(copy);
	return err;
}

static ssize_t reset_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct armjit_helper *h;
	char *copy, *name;
	int i, err = count;

	if (count > 256 || !printable(buf, count))
		return -EINVAL;
	copy = kstrndup(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	name = strim(copy);

	mutex_lock(&helpers_lock);
	if (!strcmp(name, "all")) {
		for (i = 0; i < nr_helpers; i++) {
			helpers[i].cur = helpers[i].def;
			helpers[i].overridden = false;
		}
	} else {
		h = find_by_name(name);
		if (h) {
			h->cur = h->def;
			h->overridden = false;
		} else {
			err = -EINVAL;
		}
	}
	mutex_unlock(&helpers_lock);
	kfree(copy);
	return err;
}

static struct kobj_attribute override_attr = __ATTR_WO(override);
static struct kobj_attribute reset_attr = __ATTR_WO(reset);
static BIN_ATTR_RO(table, 0);

static struct attribute *helpers_attrs[] = {
	&override_attr.attr,
	&reset_attr.attr,
	NULL,
};

static ARMJIT_BIN_CONST struct bin_attribute *ARMJIT_BIN_CONST
helpers_bin_attrs[] = {
	&bin_attr_table,
	NULL,
};

const struct attribute_group armjit_helpers_group = {
	.name = "helpers",
	.attrs = helpers_attrs,
	.bin_attrs = helpers_bin_attrs,
};
