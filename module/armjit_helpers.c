// SPDX-License-Identifier: GPL-2.0
/*
 * The helper metadata table: how each function a program may call takes
 * its arguments, so every BPF_CALL site marshals them right. Entries and
 * the rules for learning and overriding them: armjit_hmeta.c.
 *
 * Keyed by function address (one helper id maps to different functions
 * per program type). Where entries come from:
 *  - at load, bpf_base_func_proto() for every id, and armjit's builtins:
 *    the BPF_CALL_x functions the kernel's own rewrites call (classic BPF
 *    ancillary loads, LD_ABS), which no bpf_func_proto describes;
 *  - at JIT time, the first program of each type, or one calling a
 *    function not in the table, sweeps its type's func-proto resolver
 *    with the program itself, which the verifier just asked the same
 *    questions (armjit_sweep(): side-effect ids only for functions the
 *    program calls);
 *  - a call of a function still unknown gets the 5 x u64 default
 *    ("default", counted in calls_default).
 * Overridable from sysfs:
 *
 *   /sys/kernel/armjit/helpers/table     the table, one function per line
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
#include <linux/capability.h>
#include <linux/security.h>
#include <linux/cred.h>
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <asm/memory.h>
#include "armjit.h"
#include "armjit_jit.h"
#include "armjit_hmeta.h"

#define ARMJIT_MAX_HELPERS	1024

static struct armjit_htable table;
static DEFINE_MUTEX(helpers_lock);	/* table, swept_types */
/* program types whose resolver was swept with a program of theirs */
static u64 swept_types;

/* BPF_PROG_TYPE_NETFILTER (6.4+): the uapi enum's next value after
 * SYSCALL; absent from 6.1's headers (and its resolver from its kallsyms)
 */
#define ARMJIT_PROG_TYPE_NETFILTER	(BPF_PROG_TYPE_SYSCALL + 1)

typedef const struct bpf_func_proto *(*armjit_resolver_t)(enum bpf_func_id id,
		const struct bpf_prog *prog);

/*
 * Each program type's func-proto resolver (the get_func_proto of its
 * bpf_verifier_ops, a static text symbol: the ops objects are data,
 * which kallsyms doesn't have here, and a program keeps only its
 * bpf_prog_ops). STRUCT_OPS and EXT take another program's resolver:
 * none here (both need BTF, which no armhf Debian kernel has).
 */
static const char * const resolver_names[ARMJIT_MAX_TYPES] = {
	[BPF_PROG_TYPE_SOCKET_FILTER]	= "sk_filter_func_proto",
	[BPF_PROG_TYPE_KPROBE]		= "kprobe_prog_func_proto",
	[BPF_PROG_TYPE_SCHED_CLS]	= "tc_cls_act_func_proto",
	[BPF_PROG_TYPE_SCHED_ACT]	= "tc_cls_act_func_proto",
	[BPF_PROG_TYPE_TRACEPOINT]	= "tp_prog_func_proto",
	[BPF_PROG_TYPE_XDP]		= "xdp_func_proto",
	[BPF_PROG_TYPE_PERF_EVENT]	= "pe_prog_func_proto",
	[BPF_PROG_TYPE_CGROUP_SKB]	= "cg_skb_func_proto",
	[BPF_PROG_TYPE_CGROUP_SOCK]	= "sock_filter_func_proto",
	[BPF_PROG_TYPE_LWT_IN]		= "lwt_in_func_proto",
	[BPF_PROG_TYPE_LWT_OUT]		= "lwt_out_func_proto",
	[BPF_PROG_TYPE_LWT_XMIT]	= "lwt_xmit_func_proto",
	[BPF_PROG_TYPE_SOCK_OPS]	= "sock_ops_func_proto",
	[BPF_PROG_TYPE_SK_SKB]		= "sk_skb_func_proto",
	[BPF_PROG_TYPE_CGROUP_DEVICE]	= "cgroup_dev_func_proto",
	[BPF_PROG_TYPE_SK_MSG]		= "sk_msg_func_proto",
	[BPF_PROG_TYPE_RAW_TRACEPOINT]	= "raw_tp_prog_func_proto",
	[BPF_PROG_TYPE_CGROUP_SOCK_ADDR] = "sock_addr_func_proto",
	[BPF_PROG_TYPE_LWT_SEG6LOCAL]	= "lwt_seg6local_func_proto",
	[BPF_PROG_TYPE_LIRC_MODE2]	= "lirc_mode2_func_proto",
	[BPF_PROG_TYPE_SK_REUSEPORT]	= "sk_reuseport_func_proto",
	[BPF_PROG_TYPE_FLOW_DISSECTOR]	= "flow_dissector_func_proto",
	[BPF_PROG_TYPE_CGROUP_SYSCTL]	= "sysctl_func_proto",
	[BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE] = "raw_tp_prog_func_proto",
	[BPF_PROG_TYPE_CGROUP_SOCKOPT]	= "cg_sockopt_func_proto",
	[BPF_PROG_TYPE_TRACING]		= "tracing_prog_func_proto",
	[BPF_PROG_TYPE_LSM]		= "bpf_lsm_func_proto",
	[BPF_PROG_TYPE_SK_LOOKUP]	= "sk_lookup_func_proto",
	[BPF_PROG_TYPE_SYSCALL]		= "syscall_prog_func_proto",
	[ARMJIT_PROG_TYPE_NETFILTER]	= "bpf_nf_func_proto",
};

static armjit_resolver_t type_resolver[ARMJIT_MAX_TYPES];

/* "types" column: bit 0 is bpf_base_func_proto() at load */
static const char * const type_names[ARMJIT_MAX_TYPES] = {
	[ARMJIT_TYPE_BASE]		= "base",
	[BPF_PROG_TYPE_SOCKET_FILTER]	= "socket_filter",
	[BPF_PROG_TYPE_KPROBE]		= "kprobe",
	[BPF_PROG_TYPE_SCHED_CLS]	= "sched_cls",
	[BPF_PROG_TYPE_SCHED_ACT]	= "sched_act",
	[BPF_PROG_TYPE_TRACEPOINT]	= "tracepoint",
	[BPF_PROG_TYPE_XDP]		= "xdp",
	[BPF_PROG_TYPE_PERF_EVENT]	= "perf_event",
	[BPF_PROG_TYPE_CGROUP_SKB]	= "cgroup_skb",
	[BPF_PROG_TYPE_CGROUP_SOCK]	= "cgroup_sock",
	[BPF_PROG_TYPE_LWT_IN]		= "lwt_in",
	[BPF_PROG_TYPE_LWT_OUT]		= "lwt_out",
	[BPF_PROG_TYPE_LWT_XMIT]	= "lwt_xmit",
	[BPF_PROG_TYPE_SOCK_OPS]	= "sock_ops",
	[BPF_PROG_TYPE_SK_SKB]		= "sk_skb",
	[BPF_PROG_TYPE_CGROUP_DEVICE]	= "cgroup_device",
	[BPF_PROG_TYPE_SK_MSG]		= "sk_msg",
	[BPF_PROG_TYPE_RAW_TRACEPOINT]	= "raw_tracepoint",
	[BPF_PROG_TYPE_CGROUP_SOCK_ADDR] = "cgroup_sock_addr",
	[BPF_PROG_TYPE_LWT_SEG6LOCAL]	= "lwt_seg6local",
	[BPF_PROG_TYPE_LIRC_MODE2]	= "lirc_mode2",
	[BPF_PROG_TYPE_SK_REUSEPORT]	= "sk_reuseport",
	[BPF_PROG_TYPE_FLOW_DISSECTOR]	= "flow_dissector",
	[BPF_PROG_TYPE_CGROUP_SYSCTL]	= "cgroup_sysctl",
	[BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE] = "raw_tracepoint_writable",
	[BPF_PROG_TYPE_CGROUP_SOCKOPT]	= "cgroup_sockopt",
	[BPF_PROG_TYPE_TRACING]		= "tracing",
	[BPF_PROG_TYPE_STRUCT_OPS]	= "struct_ops",
	[BPF_PROG_TYPE_EXT]		= "ext",
	[BPF_PROG_TYPE_LSM]		= "lsm",
	[BPF_PROG_TYPE_SK_LOOKUP]	= "sk_lookup",
	[BPF_PROG_TYPE_SYSCALL]		= "syscall",
	[ARMJIT_PROG_TYPE_NETFILTER]	= "netfilter",
};

/* armjit_side_effects[k]'s function, or 0 */
static u32 side_addr[ARMJIT_NR_SIDE_EFFECTS];

/* kallsyms_show_value(): kptr_restrict as /proc/kallsyms applies it */
static bool (*show_value)(const struct cred *cred);

/*
 * BPF_CALL_x functions no bpf_func_proto describes: what the kernel's
 * own rewrites call. Classic BPF conversion (bpf_convert_filter()):
 * the ancillary loads and LD_ABS/LD_IND; the verifier's LD_ABS for eBPF
 * (bpf_gen_ld_abs()): the _no_cache loads. Widths of the C arguments;
 * each returns u64.
 */
static const struct {
	const char *name;
	u8 nargs;
	u8 arg_size[ARMJIT_MAX_ARGS];
} builtins[] = {
	{ "bpf_skb_get_pay_offset", 1, { 4 } },		/* skb */
	{ "bpf_skb_get_nlattr", 3, { 4, 4, 4 } },	/* skb, u32 a, u32 x */
	{ "bpf_skb_get_nlattr_nest", 3, { 4, 4, 4 } },
	{ "bpf_get_raw_cpu_id", 0 },
	{ "bpf_user_rnd_u32", 0 },
	/* skb, const void *data, int headlen, int offset */
	{ "bpf_skb_load_helper_8", 4, { 4, 4, 4, 4 } },
	{ "bpf_skb_load_helper_16", 4, { 4, 4, 4, 4 } },
	{ "bpf_skb_load_helper_32", 4, { 4, 4, 4, 4 } },
	/* skb, int offset */
	{ "bpf_skb_load_helper_8_no_cache", 2, { 4, 4 } },
	{ "bpf_skb_load_helper_16_no_cache", 2, { 4, 4 } },
	{ "bpf_skb_load_helper_32_no_cache", 2, { 4, 4 } },
	/*
	 * Plain kernel functions, u64 (void), that lib/test_bpf.c's "Tail
	 * call count preserved across function calls" calls directly.
	 */
	{ "ktime_get_ns", 0 },
	{ "ktime_get_boot_fast_ns", 0 },
	{ "ktime_get_coarse_ns", 0 },
	{ "get_jiffies_64", 0 },
};

/*
 * Functions in modules a program may call by address, known by their
 * symbol's name (never kept in the table: the module and its address may
 * go): lib/test_bpf.c's "Tail call count preserved across function calls"
 * calls its module's copies of inline kernel functions (numa_node_id here,
 * the ktime ones among the builtins) and its own BPF_CALL_1. The C
 * prototype of each: AAPCS, or the BPF_CALL_x wrapper's 64-bit arguments.
 */
static const struct {
	const char *name;
	u8 conv, nargs, ret_size;
	u8 arg_size[ARMJIT_MAX_ARGS];
} module_fns[] = {
	{ "numa_node_id", ARMJIT_CONV_AAPCS, 0, 4 },	/* int (void) */
	{ "bpf_test_func", ARMJIT_CONV_U64, 1, 8, { 8 } },
};

/* "name+0x0/...": a symbol's start, as sprint_symbol() prints it */
static bool sym_is(const char *buf, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(buf, name, n) && !strncmp(buf + n, "+0x0/", 5);
}

/*
 * A module function's convention by its name, or false: a copy of one of
 * the builtins (ktime_get_ns is inline: a module calling it has its
 * own), or one of module_fns[].
 */
static bool module_fn_conv(u32 addr, struct armjit_call_conv *c)
{
	char buf[KSYM_SYMBOL_LEN];
	int i;

	sprint_symbol(buf, addr);	/* "name+0x0/0x40 [mod]" */
	memset(c, 0, sizeof(*c));
	c->addr = addr;
	for (i = 0; i < ARRAY_SIZE(builtins); i++) {
		if (!sym_is(buf, builtins[i].name))
			continue;
		c->conv = ARMJIT_CONV_U64;
		c->nargs = builtins[i].nargs;
		memcpy(c->arg_size, builtins[i].arg_size,
		       sizeof(c->arg_size));
		c->ret_size = 8;
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(module_fns); i++) {
		if (!sym_is(buf, module_fns[i].name))
			continue;
		c->conv = module_fns[i].conv;
		c->nargs = module_fns[i].nargs;
		memcpy(c->arg_size, module_fns[i].arg_size,
		       sizeof(c->arg_size));
		c->ret_size = module_fns[i].ret_size;
		return true;
	}
	return false;
}

static const char * const conv_names[] = {
	[ARMJIT_CONV_U64] = "u64",
	[ARMJIT_CONV_AAPCS] = "aapcs",
};

static const char * const source_names[] = {
	[ARMJIT_SRC_KERNEL] = "kernel",
	[ARMJIT_SRC_BUILTIN] = "builtin",
	[ARMJIT_SRC_DEFAULT] = "default",
};

static bool is_module_addr(u32 addr)
{
	return addr >= MODULES_VADDR && addr < MODULES_END;
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

static void name_of(u32 addr, char *buf, int size)
{
	char *sym = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);

	if (sym && sprint_symbol_no_offset(sym, addr) > 0)
		strscpy(buf, sym, size);
	else
		snprintf(buf, size, "0x%08x", addr);
	kfree(sym);
}

struct resolve_arg {
	armjit_resolver_t fn;
	const struct bpf_prog *prog;
};

/* A resolver's answer; helpers in modules are left out (see below). */
static int kernel_resolve(void *arg, int id, struct armjit_proto *p)
{
	const struct resolve_arg *a = arg;
	const struct bpf_func_proto *fn = a->fn(id, a->prog);
	int i;

	if (!fn || !fn->func || is_module_addr((u32)fn->func))
		return -ENOENT;
	p->addr = (u32)fn->func;
	for (i = 0; i < ARMJIT_MAX_ARGS; i++) {
		if (fn->arg_type[i] == ARG_DONTCARE)
			break;
		p->arg_size[i] = arg_size_of(fn->arg_type[i]);
	}
	p->nargs = i;
	p->ret_size = ret_size_of(fn->ret_type);
	return 0;
}

static const struct bpf_func_proto *base_proto(enum bpf_func_id id,
					       const struct bpf_prog *prog)
{
	return armjit_call_proto(armjit_syms.bpf_base_func_proto, id, prog);
}

/*
 * The base prototypes as an ordinary program of the loading task sees
 * them, side-effect ids left out. 6.12's and 7.2's bpf_base_func_proto()
 * read only prog->aux->token (none: the capability checks of the initial
 * user namespace) and prog->sleepable (7.2); 6.1's takes no program
 * (armjit_call_proto(), armjit_compat.h).
 */
static int add_base_protos(void)
{
	struct resolve_arg a = { .fn = base_proto };
	struct bpf_prog_aux *aux;
	struct bpf_prog *prog;
	int n;

	prog = kzalloc(sizeof(*prog), GFP_KERNEL);
	aux = kzalloc(sizeof(*aux), GFP_KERNEL);
	if (!prog || !aux) {
		kfree(prog);
		kfree(aux);
		return -ENOMEM;
	}
	prog->aux = aux;
	aux->prog = prog;
	a.prog = prog;
	n = armjit_sweep(&table, ARMJIT_TYPE_BASE, kernel_resolve, &a, NULL,
			 NULL, 0);
	kfree(aux);
	kfree(prog);
	return n < 0 ? n : 0;
}

static void add_builtins(void)
{
	struct armjit_call_conv c;
	unsigned long addr;
	int i;

	for (i = 0; i < ARRAY_SIZE(builtins); i++) {
		addr = armjit_lookup_name(builtins[i].name);
		if (!addr) {
			/* inline in some kernels: nothing calls it there */
			pr_info("helper table: no %s in this kernel\n",
				builtins[i].name);
			continue;
		}
		/*
		 * bpf_user_rnd_u32 and bpf_get_raw_cpu_id are also the
		 * functions of get_prandom_u32 and get_smp_processor_id:
		 * their kernel entry stands.
		 */
		if (armjit_ht_find(&table, addr))
			continue;
		memset(&c, 0, sizeof(c));
		c.conv = ARMJIT_CONV_U64;
		c.nargs = builtins[i].nargs;
		memcpy(c.arg_size, builtins[i].arg_size, sizeof(c.arg_size));
		c.ret_size = 8;
		armjit_ht_add(&table, addr, -1, ARMJIT_SRC_BUILTIN, &c);
	}
}

static void resolve_names(void)
{
	int i;

	for (i = 0; i < ARMJIT_MAX_TYPES; i++)
		if (resolver_names[i])
			type_resolver[i] = (armjit_resolver_t)
				armjit_lookup_name(resolver_names[i]);
	for (i = 0; i < ARMJIT_NR_SIDE_EFFECTS; i++)
		side_addr[i] = armjit_lookup_name(armjit_side_effects[i].func);
	show_value = (void *)armjit_lookup_name("kallsyms_show_value");
}

int armjit_helpers_init(void)
{
	struct armjit_helper *h;
	int err;

	table.h = kvcalloc(ARMJIT_MAX_HELPERS, sizeof(*table.h), GFP_KERNEL);
	if (!table.h)
		return -ENOMEM;
	table.max = ARMJIT_MAX_HELPERS;
	table.name_of = name_of;
	resolve_names();
	mutex_lock(&helpers_lock);
	err = add_base_protos();
	if (!err)
		add_builtins();
	mutex_unlock(&helpers_lock);
	if (err) {
		kvfree(table.h);
		table.h = NULL;
		return err;
	}
	h = armjit_ht_find_name(&table, "bpf_map_lookup_elem");
	if (h)
		armjit_rt.map_lookup_elem = h->def.addr;
	pr_info("helper table: %d entries at load (base helpers and builtins)\n",
		table.n);
	return 0;
}

void armjit_helpers_exit(void)
{
	kvfree(table.h);
	table.h = NULL;
}

/* A call of a helper by address: not one left as its id for armjit. */
static inline bool is_helper_call(const struct bpf_insn *insn)
{
	if (insn->code != (BPF_JMP | BPF_CALL))
		return false;	/* most insns: no call asked about */
	return insn->src_reg == 0 && !armjit_inline_id(insn);
}

bool armjit_helper_overridden(u32 addr)
{
	struct armjit_helper *h;
	bool ret;

	mutex_lock(&helpers_lock);
	h = armjit_ht_find(&table, addr);
	ret = h && h->overridden;
	mutex_unlock(&helpers_lock);
	return ret;
}

static bool may_sweep(const struct bpf_prog *prog)
{
	/*
	 * A subprogram's bpf_prog has no BPF token (6.12): its resolver
	 * would check capabilities in the initial user namespace, which the
	 * verifier of a program loaded with a token did not. Asked without
	 * auditing: only a loader those checks can't fail for sweeps.
	 */
	if (!prog->is_func)
		return true;
	return (has_capability_noaudit(current, CAP_BPF) &&
		has_capability_noaudit(current, CAP_PERFMON)) ||
	       has_capability_noaudit(current, CAP_SYS_ADMIN);
}

/*
 * Learn what @prog's type can call from its own resolver, asked with
 * @prog itself: the verifier asked that resolver the same questions
 * (about this program) for every helper @prog calls, so no id it calls
 * is new to the resolver; side-effect ids are asked only for functions
 * @prog calls. Classic BPF (type UNSPEC, never verified) calls only
 * builtins and the base helpers: never swept.
 */
static void sweep_prog(const struct bpf_prog *prog, const u32 *addrs, int n)
{
	struct resolve_arg a = { .prog = prog };
	int type = prog->type, err;

	if (type <= 0 || type >= ARMJIT_MAX_TYPES || !may_sweep(prog))
		return;
	a.fn = type_resolver[type];
	if (!a.fn)
		return;
	err = armjit_sweep(&table, type, kernel_resolve, &a, side_addr,
			   addrs, n);
	if (err == -ENOSPC)
		pr_warn_once("helper table full (%d entries)\n", table.n);
	swept_types |= 1ULL << type;
}

/*
 * Snapshot the conventions of every helper @prog calls, so all passes of
 * one compile see the same table even if sysfs changes it meanwhile.
 * The first program of a type, or one calling a function the table
 * doesn't know, sweeps its type's resolver first.
 */
/* @addr into addrs[0..*n) unless there; false if it needs room past @max */
static bool add_helper(u32 *addrs, int *n, int max, u32 addr)
{
	int j;

	for (j = 0; j < *n && addrs[j] != addr; j++)
		;
	if (j < *n)
		return true;
	if (*n == max)
		return false;
	addrs[(*n)++] = addr;
	return true;
}

int armjit_helpers_for_prog(const struct bpf_prog *prog,
			    struct armjit_call_conv **calls, int *ncalls)
{
	u32 few[16], *addrs = few, addr;
	struct armjit_call_conv *out;
	struct armjit_helper *h;
	bool sweep, many = false;
	int i, n = 0, max = 0;

	*calls = NULL;
	*ncalls = 0;
	/* the helpers called, in one walk while few[] holds them */
	for (i = 0; i < prog->len; i++) {
		if (!is_helper_call(&prog->insnsi[i]))
			continue;
		max++;
		addr = (u32)__bpf_call_base + prog->insnsi[i].imm;
		if (!many)
			many = !add_helper(few, &n, ARRAY_SIZE(few), addr);
	}
	if (many) {
		addrs = kcalloc(max, sizeof(*addrs), GFP_KERNEL);
		if (!addrs)
			return -ENOMEM;
		n = 0;
		for (i = 0; i < prog->len; i++)
			if (is_helper_call(&prog->insnsi[i]))
				add_helper(addrs, &n, max, (u32)__bpf_call_base +
					   prog->insnsi[i].imm);
	}
	out = kcalloc(n ?: 1, sizeof(*out), GFP_KERNEL);
	if (!out) {
		if (addrs != few)
			kfree(addrs);
		return -ENOMEM;
	}

	mutex_lock(&helpers_lock);
	sweep = prog->type > 0 && prog->type < ARMJIT_MAX_TYPES &&
		!(swept_types & (1ULL << prog->type));
	for (i = 0; i < n && !sweep; i++)
		sweep = !armjit_ht_find(&table, addrs[i]) &&
			!is_module_addr(addrs[i]);
	if (sweep)
		sweep_prog(prog, addrs, n);
	for (i = 0; i < n; i++) {
		addr = addrs[i];
		h = armjit_ht_find(&table, addr);
		/*
		 * A module's function may be gone and its address reused
		 * by the next program: only core kernel functions are kept.
		 */
		if (!h && !is_module_addr(addr)) {
			armjit_default_conv(&out[i], addr);
			h = armjit_ht_add(&table, addr, -1, ARMJIT_SRC_DEFAULT,
					  &out[i]);
		}
		if (h)
			out[i] = h->cur;
		else if (module_fn_conv(addr, &out[i]))
			continue;
		else
			armjit_default_conv(&out[i], addr);
		if (!h || h->source == ARMJIT_SRC_DEFAULT)
			atomic_long_inc(&armjit_stats.calls_default);
	}
	mutex_unlock(&helpers_lock);
	if (addrs != few)
		kfree(addrs);
	if (!n) {
		kfree(out);
		out = NULL;
	}
	*calls = out;
	*ncalls = n;
	return 0;
}

/* a line's bound: the fixed fields, then every type name */
static size_t line_max_len(void)
{
	size_t len = ARMJIT_NAME_LEN + 80;
	int k;

	for (k = 0; k < ARMJIT_MAX_TYPES; k++)
		len += (type_names[k] ? strlen(type_names[k]) : 8) + 1;
	return len;
}

static int format_entry(char *buf, size_t size, const struct armjit_helper *h,
			bool show_addr)
{
	const struct armjit_call_conv *c = &h->cur;
	int k, len, ntypes = 0;

	len = scnprintf(buf, size, "%s %d 0x%08x %s %u ", h->name, h->id,
			show_addr ? c->addr : 0, conv_names[c->conv], c->nargs);
	for (k = 0; k < c->nargs; k++)
		len += scnprintf(buf + len, size - len, "%s%u", k ? "," : "",
				 c->arg_size[k]);
	len += scnprintf(buf + len, size - len, "%s %u %s%s ",
			 c->nargs ? "" : "-", c->ret_size,
			 source_names[h->source],
			 h->overridden ? ",override" : "");
	for (k = 0; k < ARMJIT_MAX_TYPES; k++) {
		if (!(h->types & (1ULL << k)))
			continue;
		if (type_names[k])
			len += scnprintf(buf + len, size - len, "%s%s",
					 ntypes ? "," : "", type_names[k]);
		else
			len += scnprintf(buf + len, size - len, "%stype%d",
					 ntypes ? "," : "", k);
		ntypes++;
	}
	len += scnprintf(buf + len, size - len, "%s\n", ntypes ? "" : "-");
	return len;
}

/*
 * The table as text. Compiles take helpers_lock: it is held only for
 * copying the entries, the text is made from the copy. Addresses are
 * shown as /proc/kallsyms shows them to the opener (kptr_restrict).
 */
static ssize_t table_read(struct file *file, struct kobject *kobj,
			  ARMJIT_BIN_CONST struct bin_attribute *attr, char *buf,
			  loff_t off, size_t count)
{
	struct armjit_helper *copy;
	bool show_addr = show_value && show_value(file->f_cred);
	size_t size;
	char *text;
	ssize_t len;
	int i, n;

	copy = kvmalloc_array(ARMJIT_MAX_HELPERS, sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	mutex_lock(&helpers_lock);
	n = table.n;
	memcpy(copy, table.h, n * sizeof(*copy));
	mutex_unlock(&helpers_lock);

	size = (n + 1) * line_max_len();
	text = kvmalloc(size, GFP_KERNEL);
	if (!text) {
		kvfree(copy);
		return -ENOMEM;
	}
	len = scnprintf(text, size,
			"# name id addr conv nargs args ret source types\n");
	for (i = 0; i < n; i++)
		len += format_entry(text + len, size - len, &copy[i],
				    show_addr);
	if (off >= len) {
		len = 0;
	} else {
		len = min_t(ssize_t, count, len - off);
		memcpy(buf, text + off, len);
	}
	kvfree(text);
	kvfree(copy);
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

/*
 * Who may change the table: CAP_SYS_ADMIN, and not under lockdown (an
 * entry decides how the kernel calls its own functions, like an unsafe
 * module parameter: LOCKDOWN_MODULE_PARAMETERS, an integrity reason, so
 * both lockdown levels refuse it).
 */
static int may_override(void)
{
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = security_locked_down(LOCKDOWN_MODULE_PARAMETERS);
	return err ? -EPERM : 0;
}

/*
 * "NAME key=value [key=value...]": all or nothing. Widening an entry
 * (towards 5 x u64) can't make a call wrong; anything narrower than the
 * kernel-derived value taints the kernel.
 */
static ssize_t override_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	struct armjit_call_conv c;
	struct armjit_helper *h;
	char *copy, *cur, *tok, *name;
	int err, nset = 0;
	bool narrower = false;

	err = may_override();
	if (err)
		return err;
	if (count > 256 || !printable(buf, count))
		return -EINVAL;
	copy = kstrndup(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = strim(copy);
	name = strsep(&cur, " \t");

	err = -EINVAL;
	mutex_lock(&helpers_lock);
	h = armjit_ht_find_name(&table, name);
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
	narrower = armjit_conv_narrower(&h->def, &c);
	err = count;
out:
	mutex_unlock(&helpers_lock);
	if (narrower) {
		pr_warn("helper table: override of %s is narrower than its %s entry; tainting the kernel\n",
			name, source_names[h->source]);
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}
	kfree(copy);
	return err;
}

/* Back to the derived values: can't make a call wrong, allowed under
 * lockdown.
 */
static ssize_t reset_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct armjit_helper *h;
	char *copy, *name;
	int i, err = count;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (count > 256 || !printable(buf, count))
		return -EINVAL;
	copy = kstrndup(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	name = strim(copy);

	mutex_lock(&helpers_lock);
	if (!strcmp(name, "all")) {
		for (i = 0; i < table.n; i++) {
			table.h[i].cur = table.h[i].def;
			table.h[i].overridden = false;
		}
	} else {
		h = armjit_ht_find_name(&table, name);
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
