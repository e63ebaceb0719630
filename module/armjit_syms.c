// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve the kernel functions armjit needs but the kernel doesn't export.
 * kallsyms_lookup_name itself is unexported since 5.7; a kprobe on it
 * reveals its address. Only functions resolve on these kernels
 * (KALLSYMS_ALL is off), so armjit never looks up data symbols.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/vmalloc.h>
#include <linux/set_memory.h>
#include "armjit.h"

/*
 * Each function armjit calls through a pointer must have the type the
 * kernel declares for it: a prototype that drifted (7.2 added env to
 * bpf_int_jit_compile()) fails the build here instead of corrupting a
 * call.
 */
#define CHECK_PROTO(name) \
	static_assert(__same_type(&name, armjit_syms.name), \
		      "armjit's prototype of " #name "() differs from the kernel's")

CHECK_PROTO(bpf_int_jit_compile);
CHECK_PROTO(bpf_jit_binary_alloc);
CHECK_PROTO(bpf_jit_binary_free);
CHECK_PROTO(bpf_jit_blind_constants);
CHECK_PROTO(bpf_jit_prog_release_other);
CHECK_PROTO(set_memory_ro);
CHECK_PROTO(set_memory_x);
CHECK_PROTO(find_vm_area);
CHECK_PROTO(bpf_base_func_proto);
CHECK_PROTO(bpf_prog_fill_jited_linfo);

/* Those that differ between kernels: as armjit_compat.h expects them. */
#define CHECK_COMPAT(name, ret, params) \
	static_assert(__same_type(&name, (ret(*)(params))NULL), \
		      #name "() is not as armjit_compat.h expects for this kernel")

CHECK_COMPAT(bpf_int_jit_compile, struct bpf_prog *, ARMJIT_JIT_PARAMS);
CHECK_COMPAT(bpf_jit_blind_constants, struct bpf_prog *, ARMJIT_BLIND_PARAMS);
CHECK_COMPAT(bpf_base_func_proto, const struct bpf_func_proto *,
	     ARMJIT_PROTO_PARAMS);

struct armjit_syms armjit_syms;

static unsigned long (*lookup_name)(const char *name);

static int find_kallsyms_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err;

	err = register_kprobe(&kp);
	if (err) {
		pr_err("cannot locate kallsyms_lookup_name (%d)\n", err);
		return err;
	}
	lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	return lookup_name ? 0 : -ENOENT;
}

/* A kernel function by name, or 0 (after armjit_resolve_syms()). */
unsigned long armjit_lookup_name(const char *name)
{
	return lookup_name ? lookup_name(name) : 0;
}

#define SYM(name) { #name, (void **)&armjit_syms.name }

static const struct {
	const char *name;
	void **addr;
} sym_table[] = {
	SYM(bpf_int_jit_compile),
	SYM(bpf_jit_binary_alloc),
	SYM(bpf_jit_binary_free),
	SYM(bpf_jit_blind_constants),
	SYM(bpf_jit_prog_release_other),
	SYM(set_memory_ro),
	SYM(set_memory_x),
	SYM(find_vm_area),
	SYM(bpf_base_func_proto),
	SYM(bpf_prog_fill_jited_linfo),
};

int armjit_resolve_syms(void)
{
	int i, err;

	err = find_kallsyms_lookup_name();
	if (err)
		return err;

	for (i = 0; i < ARRAY_SIZE(sym_table); i++) {
		unsigned long addr = lookup_name(sym_table[i].name);

		if (!addr) {
			pr_err("kernel symbol %s not found; this kernel is not supported\n",
			       sym_table[i].name);
			return -ENOENT;
		}
		*sym_table[i].addr = (void *)addr;
	}
	return 0;
}
