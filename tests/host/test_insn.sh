#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check every encoder of module/armjit_insn.h against GNU as.
#
# test_insn.c (built for the build host) prints, per case, the encoder's
# word and the assembly text it should equal; this script assembles all
# texts at once with arm-linux-gnueabihf-as -march=armv7ve, compares word by
# word, and prints KTAP: one line per encoder, plus one per encoder
# test_insn.c doesn't call (coverage), for the ARM_INSN_BAD checks and
# for the decoder's round trip (armjit_decode.h).
set -u
HDR=${1:-../../module/armjit_insn.h}
MOD=$(dirname "$HDR")
HERE=$(cd "$(dirname "$0")" && pwd)
CROSS=${CROSS_COMPILE:-arm-linux-gnueabihf-}
HOSTCC=${HOSTCC:-cc}
B=${BUILD:-$HERE/build}
mkdir -p "$B"

fail() { echo "TAP version 13"; echo "1..1"; echo "# $*"; echo "not ok 1 insn encoders"; \
	 echo "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0"; exit 1; }

$HOSTCC -O1 -Wall -Wextra -I"$MOD" -o "$B/test_insn_gen" "$HERE/test_insn.c" 2>"$B/gen.err" ||
	fail "test_insn.c does not build: $(head -5 "$B/gen.err" | tr '\n' ' ')"
"$B/test_insn_gen" > "$B/cases.txt" || fail "test_insn_gen failed"

grep -v '^bad	\|^dec	' "$B/cases.txt" > "$B/asm_cases.txt"
{ printf '\t.syntax unified\n\t.arm\n\t.text\n'; cut -f3 "$B/asm_cases.txt" | sed 's/^/\t/'; } > "$B/insn.s"
${CROSS}as -march=armv7ve -o "$B/insn.o" "$B/insn.s" 2>"$B/as.err" ||
	fail "GNU as rejected the assembly: $(grep -m3 Error "$B/as.err" | tr '\n' ' ')"
${CROSS}objcopy -O binary -j .text "$B/insn.o" "$B/insn.bin"
od -An -v -tx4 -w4 "$B/insn.bin" | tr -d ' ' > "$B/as_words.txt"

n_cases=$(wc -l < "$B/asm_cases.txt")
n_words=$(wc -l < "$B/as_words.txt")
[ "$n_cases" = "$n_words" ] || fail "$n_cases cases but GNU as produced $n_words words"

# Encoders the header defines.
grep -oE '^static inline [a-z0-9_ ]+[ *](arm_[a-z0-9_]+)\(' "$HDR" |
	sed -E 's/.*(arm_[a-z0-9_]+)\($/\1/' | sort -u > "$B/encoders.txt"

paste "$B/asm_cases.txt" "$B/as_words.txt" | awk -F'\t' -v encs="$B/encoders.txt" -v bads="$B/cases.txt" '
BEGIN {
	while ((getline e < encs) > 0) { order[++ne] = e; known[e] = 1 }
	while ((getline l < bads) > 0) {
		split(l, f, "\t")
		if (f[1] == "dec") {
			nd[f[2]]++
			if (f[3] != "ok") { bfail[f[2]]++; if (++nds[f[2]] <= 3) bmsg[f[2]] = bmsg[f[2]] "# " f[2] ": " f[4] "\n" }
			continue
		}
		if (f[1] != "bad") continue
		nb[f[2]]++
		if (f[3] != "ok") { bfail[f[2]]++; bmsg[f[2]] = bmsg[f[2]] "# " f[2] ": expected ARM_INSN_BAD for " f[4] "\n" }
	}
}
{
	enc = $1; cases[enc]++
	if ($2 != $4) {
		bad[enc]++
		if (bad[enc] <= 5)
			msg[enc] = msg[enc] sprintf("# %s: \"%s\": as %s, encoder %s\n", enc, $3, $4, $2)
	}
}
END {
	# every encoder of the header, then any other name the generator used
	for (e in cases) if (!(e in known)) order[++ne] = e
	for (e in nb) if (!(e in known) && !(e in cases)) order[++ne] = e
	print "TAP version 13"
	print "1.." ne
	pass = 0; failn = 0
	for (i = 1; i <= ne; i++) {
		e = order[i]
		if (!(e in cases) && !(e in nb)) {
			print "# " e ": not covered by tests/host/test_insn.c"
			print "not ok " i " insn " e " (not covered)"; failn++; continue
		}
		if (bad[e] || bfail[e]) {
			printf "%s%s", msg[e], bmsg[e]
			if (bad[e] > 5) print "# " e ": ... " bad[e] " mismatches in all"
			print "not ok " i " insn " e " (" cases[e] + 0 " vs GNU as, " nb[e] + 0 " bad-operand checks, " nd[e] + 0 " decoded)"
			failn++
		} else {
			print "ok " i " insn " e " (" cases[e] + 0 " vs GNU as, " nb[e] + 0 " bad-operand checks, " nd[e] + 0 " decoded)"
			pass++
		}
	}
	printf "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n", pass, failn
	exit failn ? 1 : 0
}'
