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
 *                               (run last: it may crash the kernel)
 */
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
		fd = load_as(0, 1, pa, FALL, 1);
		diag("stock-JIT'ed caller tail-calls an armjit image: running");
		check("stock_to_armjit", fd, 's', 0xa100, FALL, 0);
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
