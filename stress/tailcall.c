// SPDX-License-Identifier: GPL-2.0
/*
 * Mixed tail calls: one prog array holds a stock-JIT'ed program (loaded with
 * armjit disabled) and an armjit-JIT'ed one; callers of both kinds tail
 * call each slot. A tail call must land (the target's value) or behave as
 * a failed one (fall through: the caller's own value).
 *
 *   tailcall                    armjit->armjit, armjit->stock, stock->stock,
 *                               empty slot, index out of range
 *   tailcall --stock-to-armjit  the stock JIT jumping into an armjit image
 *                               (lands on the stub at the stock prologue
 *                               length), and chains across both JITs that
 *                               must stop at MAX_TAIL_CALL_CNT (run last:
 *                               a wrong landing crashes the kernel)
 */
#include <stddef.h>
#include "common.h"

#define NSLOT 4
#define FALL 0xfa11

static int target(uint32_t val)
{
	struct bpf_insn p[] = { MOV64_IMM(0, val), EXIT() };

	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_SIZE(p), 1);
}

static int caller(int pa, int idx, uint32_t fall)
{
	struct bpf_insn p[] = {
		MOV64_REG(6, 1),
		ST_MEM(BPF_DW, 10, -8, 0x77),
		LD_MAP_FD(2, pa),
		MOV64_IMM(3, idx),
		CALL_HELPER(BPF_FUNC_tail_call),
		LDX_MEM(BPF_DW, 0, 10, -8),	/* the frame survived */
		ALU64_IMM(BPF_ADD, 0, fall - 0x77),
		EXIT(),
	};

	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_SIZE(p), 1);
}

static int load_as(int armjit, int fd_or_idx, int pa, uint32_t v, int is_caller)
{
	int fd;

	set_armjit(armjit);
	fd = is_caller ? caller(pa, fd_or_idx, v) : target(v);
	set_armjit(0);
	return fd;
}

static void check(const char *name, int fd, int want_owner, uint32_t land,
		  uint32_t fall, int must_land)
{
	uint32_t r = 0;
	int err, o = prog_owner(fd), i, ok = 1;

	if (fd < 0) {
		result(0, "tailcall_%s # load: %s", name, strerror(-fd));
		diag("%.600s", bpf_log);
		return;
	}
	for (i = 0; i < 200 && ok; i++) {
		err = prog_run(fd, pkt, sizeof(pkt), i & 1 ? 1 : 1000, &r);
		ok = !err && (r == land || (!must_land && r == fall));
	}
	result(ok && o == want_owner,
	       "tailcall_%s # caller %c, result 0x%x (lands 0x%x, falls through 0x%x)",
	       name, o, r, land, fall);
}

/*
 * Counting chain through prog array @pa: cb[0] += 1; tail call slot 0
 * while cb[0] < @k, then slot 1; on a failed tail call R0 = cb[0], the
 * number of programs the chain ran. cb[] lives in the skb: shared by the
 * whole chain, zero at the start of each BPF_PROG_TEST_RUN.
 */
#define CB0 offsetof(struct __sk_buff, cb[0])
#define TC_LIMIT 33	/* MAX_TAIL_CALL_CNT in 6.1 and 6.12 */

static int counter(int pa, int k)
{
	struct bpf_insn p[] = {
		MOV64_REG(6, 1),
		LDX_MEM(BPF_W, 0, 1, CB0),
		ALU64_IMM(BPF_ADD, 0, 1),
		STX_MEM(BPF_W, 1, 0, CB0),
		LD_MAP_FD(2, pa),
		MOV64_IMM(3, 1),
		JMP_IMM(BPF_JGE, 0, k, 1),
		MOV64_IMM(3, 0),
		CALL_HELPER(BPF_FUNC_tail_call),
		LDX_MEM(BPF_W, 0, 6, CB0),
		EXIT(),
	};

	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_SIZE(p), 1);
}

/*
 * Slot 0: a stock-JIT'ed counter, tail-calling itself @k - 1 times and
 * then slot 1; slot 1: an armjit counter tail-calling itself. The tail-call
 * count goes across (stock -> armjit hands its count over): whatever @k,
 * the chain runs 1 + TC_LIMIT programs, min(@k, 1 + TC_LIMIT) of them
 * stock. Were the count not carried over, it would run @k + 1 + TC_LIMIT.
 */
static int chain(int k, long *crossings)
{
	int pa, s, a, ok = 1, i, err;
	uint32_t key, r = 0, want = 1 + TC_LIMIT;

	pa = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2);
	if (pa < 0) {
		result(0, "tailcall_chain_k%d # prog array: %s", k,
		       strerror(-pa));
		return 1;
	}
	set_armjit(0);
	s = counter(pa, k);
	set_armjit(1);
	a = counter(pa, 0);
	set_armjit(0);
	if (s < 0 || a < 0) {
		result(0, "tailcall_chain_k%d # load %d %d", k, s, a);
		diag("%.600s", bpf_log);
		close(pa);
		return 1;
	}
	key = 0;
	err = map_update(pa, &key, &s);
	key = 1;
	err = err ? err : map_update(pa, &key, &a);
	for (i = 0; i < 100 && ok && !err; i++) {
		err = prog_run(s, pkt, sizeof(pkt), 1, &r);
		ok = !err && r == want;
		if (ok && k <= TC_LIMIT)
			(*crossings)++;
	}
	result(ok && !err && prog_owner(s) == 's' && prog_owner(a) == 'a',
	       "tailcall_chain_stock_x%d_then_armjit # slot 0 %c, slot 1 %c: %u programs ran (want %u = 1 + MAX_TAIL_CALL_CNT), err %d",
	       k, prog_owner(s), prog_owner(a), r, want, err);
	close(s);
	close(a);
	close(pa);
	return 0;
}

int cmd_tailcall(int argc, char **argv)
{
	int danger = argc > 1 && !strcmp(argv[1], "--stock-to-armjit");
	int pa, t_stock, t_armjit, k, fd;
	uint32_t key;

	set_jit(1);
	pa = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, NSLOT);
	t_stock = load_as(0, 0, 0, 0x5100, 0);
	t_armjit = load_as(1, 0, 0, 0xa100, 0);
	if (pa < 0 || t_stock < 0 || t_armjit < 0) {
		result(0, "tailcall_setup # %d %d %d", pa, t_stock, t_armjit);
		return 1;
	}
	result(prog_owner(t_stock) == 's' && prog_owner(t_armjit) == 'a',
	       "tailcall_targets_jited_by_stock_and_armjit # %c %c",
	       prog_owner(t_stock), prog_owner(t_armjit));
	key = 0;
	k = map_update(pa, &key, &t_stock);
	key = 1;
	k = k ? k : map_update(pa, &key, &t_armjit);
	result(!k, "tailcall_prog_array_holds_both # %d", k);

	if (danger) {
		static const int ks[] = { 1, 2, 17, 33, 34, 40 };
		long crossings = 0;
		unsigned int i;

		fd = load_as(0, 1, pa, FALL, 1);
		diag("stock-JIT'ed caller tail-calls an armjit image: running");
		check("stock_to_armjit", fd, 's', 0xa100, FALL, 1);
		close(fd);
		for (i = 0; i < ARRAY_SIZE(ks); i++)
			chain(ks[i], &crossings);
		diag("tail calls from stock-JIT'ed into armjit-JIT'ed code: %ld (+200 single)",
		     crossings);
		return 0;
	}
	fd = load_as(1, 1, pa, FALL, 1);
	check("armjit_to_armjit", fd, 'a', 0xa100, FALL, 1);
	close(fd);
	fd = load_as(1, 0, pa, FALL, 1);
	check("armjit_to_stock", fd, 'a', 0x5100, FALL, 0);
	close(fd);
	fd = load_as(0, 0, pa, FALL, 1);
	check("stock_to_stock", fd, 's', 0x5100, FALL, 1);
	close(fd);
	fd = load_as(1, 2, pa, FALL, 1);
	check("armjit_empty_slot", fd, 'a', FALL, FALL, 1);
	close(fd);
	fd = load_as(1, NSLOT + 3, pa, FALL, 1);
	check("armjit_index_out_of_range", fd, 'a', FALL, FALL, 1);
	close(fd);
	/* swap the slots under a running armjit caller: still one or the other */
	fd = load_as(1, 1, pa, FALL, 1);
	key = 1;
	map_update(pa, &key, &t_stock);
	check("armjit_caller_slot_replaced_by_stock", fd, 'a', 0x5100, FALL, 0);
	map_delete(pa, &key);
	check("armjit_caller_slot_deleted", fd, 'a', FALL, FALL, 1);
	close(fd);
	return 0;
}
