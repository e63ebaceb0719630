// SPDX-License-Identifier: GPL-2.0
/*
 * Constant blinding: programs with distinctive 32-bit immediates in ALU,
 * JMP, JMP32, ST and LD_IMM64, JIT'ed by armjit with bpf_jit_harden=0 and 2.
 * The image (BPF_OBJ_GET_INFO_BY_FD jited_prog_insns) is scanned for the
 * value as a word, as a movw/movt pair of its halves and (ARMv6K code) as a
 * register built by mov/orr or mvn/bic of rotated immediates: hardened,
 * none may appear; unhardened, the scan must find one (the test can fail).
 */
#include "common.h"

static int load(uint32_t v)
{
	struct bpf_insn p[] = {
		MOV64_IMM(0, 0),
		ALU64_IMM(BPF_ADD, 0, v),
		MOV32_IMM(1, v),
		ALU64_REG(BPF_XOR, 0, 1),
		ALU64_IMM(BPF_MUL, 0, 3),
		MOV64_IMM(2, v),
		JMP_IMM(BPF_JNE, 2, v, 10),
		ST_MEM(BPF_W, 10, -4, v),
		LDX_MEM(BPF_W, 3, 10, -4),
		JMP32_IMM(BPF_JNE, 3, v, 7),
		ALU64_REG(BPF_ADD, 0, 3),
		LD_IMM64(4, (uint64_t)v << 32 | v),
		ALU64_REG(BPF_XOR, 0, 4),
		ALU32_IMM(BPF_ADD, 0, v),
		ALU64_IMM(BPF_OR, 0, 0x40000000),
		EXIT(),
		MOV64_IMM(0, 1),
		EXIT(),
	};

	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_SIZE(p), 1);
}

static uint32_t expect(uint32_t v)
{
	uint64_t r0 = (uint64_t)(int64_t)(int32_t)v, r3 = v;

	r0 ^= v;
	r0 *= 3;
	r0 += r3;
	r0 ^= (uint64_t)v << 32 | v;
	r0 = (uint32_t)((uint32_t)r0 + v);
	r0 |= 0x40000000;
	return r0;
}

/* The 16-bit immediate of a movw or movt. */
static uint32_t imm16(uint32_t w)
{
	return (w >> 4 & 0xf000) | (w & 0xfff);
}

/*
 * A register's value as far as immediates built it: mov/mvn set it,
 * orr/bic of the same register change it, movw/movt set its halves; any
 * other data-processing or load writing it forgets it. Returns 1 when the
 * word leaves @v in its destination.
 */
static int track(uint32_t w, uint32_t val[16], uint16_t *known, uint32_t v)
{
	unsigned int rd = w >> 12 & 0xf, rn = w >> 16 & 0xf, op = w >> 21 & 0xf;
	unsigned int rot = (w >> 8 & 0xf) * 2;
	uint32_t imm = w & 0xff;
	int have = *known >> rn & 1;

	imm = rot ? imm >> rot | imm << (32 - rot) : imm;
	if ((w & 0x0ff00000) == 0x03000000) {		/* movw */
		val[rd] = imm16(w);
	} else if ((w & 0x0ff00000) == 0x03400000) {	/* movt */
		if (!(*known >> rd & 1))
			return 0;
		val[rd] = (val[rd] & 0xffff) | imm16(w) << 16;
	} else if ((w & 0x0fe00000) == 0x03a00000) {	/* mov #imm */
		val[rd] = imm;
	} else if ((w & 0x0fe00000) == 0x03e00000) {	/* mvn #imm */
		val[rd] = ~imm;
	} else if ((w & 0x0e000000) == 0x02000000 && (op == 0xc || op == 0xe) &&
		   rn == rd && have) {			/* orr, bic #imm */
		val[rd] = op == 0xc ? val[rd] | imm : val[rd] & ~imm;
	} else {
		if ((w & 0x0c000000) == 0x00000000 || (w & 0x0c100000) == 0x04100000)
			*known &= ~(1u << rd);		/* data-processing, load */
		return 0;
	}
	*known |= 1u << rd;
	return val[rd] == v;
}

/*
 * counts: [0] the word, [1] movw #lo, [2] movt #hi, [3] movw+movt same reg,
 * [4] a register built to the value by immediates (track())
 */
static void scan(const uint32_t *w, int n, uint32_t v, int c[5])
{
	uint32_t val[16];
	uint16_t known = 0;
	int i;

	memset(c, 0, 5 * sizeof(int));
	for (i = 0; i < n; i++) {
		uint32_t lo = imm16(w[i]);
		int movw = (w[i] & 0x0ff00000) == 0x03000000;
		int movt = (w[i] & 0x0ff00000) == 0x03400000;

		c[4] += track(w[i], val, &known, v);
		c[0] += w[i] == v;
		c[1] += movw && lo == (v & 0xffff);
		c[2] += movt && lo == v >> 16;
		if (movw && lo == (v & 0xffff) && i + 1 < n &&
		    (w[i + 1] & 0x0ff00000) == 0x03400000 &&
		    imm16(w[i + 1]) == v >> 16 &&
		    (w[i] & 0xf000) == (w[i + 1] & 0xf000))
			c[3]++;
	}
}

int cmd_harden(int argc, char **argv)
{
	static const uint32_t vals[] = { 0x5a5a1234, 0x13579bdf, 0xa5c3e781 };
	static uint32_t img[16384];
	unsigned int i;
	int h;

	set_jit(1);
	set_armjit(1);
	for (h = 0; h <= 2; h += 2) {
		char hs[2] = { '0' + h, 0 };

		write_file(PROC_JIT_HARDEN, hs);
		for (i = 0; i < ARRAY_SIZE(vals); i++) {
			uint32_t v = vals[i], r = 0;
			int fd = load(v), len, c[5], err;

			if (fd < 0) {
				result(0, "harden%d_0x%08x # load %s", h, v,
				       strerror(-fd));
				continue;
			}
			len = prog_jited(fd, img, sizeof(img));
			err = prog_run(fd, pkt, sizeof(pkt), 1, &r);
			result(!err && r == expect(v) && prog_owner(fd) == 'a',
			       "harden%d_0x%08x_result # owner %c, 0x%x expected 0x%x",
			       h, v, prog_owner(fd), r, expect(v));
			scan(img, len > 0 ? len / 4 : 0, v, c);
			diag("harden=%d 0x%08x: %d bytes, word %d, movw lo16 %d, movt hi16 %d, movw+movt pairs %d, built by immediates %d",
			     h, v, len, c[0], c[1], c[2], c[3], c[4]);
			if (h)
				result(len > 0 && !c[0] && !c[3] && !c[4],
				       "harden2_0x%08x_not_in_image", v);
			else
				result(c[0] || c[3] || c[4],
				       "harden0_0x%08x_found_by_scan", v);
			close(fd);
		}
	}
	write_file(PROC_JIT_HARDEN, "0");
	set_armjit(0);
	return 0;
}
