// SPDX-License-Identifier: GPL-2.0
/*
 * armjit's own selftest program: a main program with a tail call and a
 * bpf-to-bpf call to a subprogram without one. The kernel accepts it only
 * when a JIT declares subprogram tail calls, but does not mark it
 * tail_call_reachable: if no JIT compiles it after all, 6.12 and later
 * would interpret it; armjit makes that load fail instead.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jmp_table SEC(".maps");

int count = 0;

static __noinline int add(int a, int b)
{
	return a * 3 + b;
}

SEC("tc")
int classifier_0(struct __sk_buff *skb)
{
	count++;
	return add(count, 0);
}

SEC("tc")
int entry(struct __sk_buff *skb)
{
	int r = add(skb->len, 1);

	bpf_tail_call_static(skb, &jmp_table, 0);
	return r;
}

char __license[] SEC("license") = "GPL";
