#!/bin/sh
# Call sites marshal what the helper table says each helper takes: the
# helper-heavy test_l4lb and test_l4lb_noinline JIT'ed by armjit with the
# kernel-derived table, then with every entry forced to 5 x u64 (conv=u64,
# five 8-byte arguments: what a JIT without the table must assume), then
# with the table reset. Every run must pass the selftest's checks; the
# table's images must be smaller than the forced ones, and the reset must
# give back the first sizes (give or take the words that depend on the
# image's and the maps' addresses). Needs armjit loaded and the selftests build in
# /root/selftests.
. "$(dirname "$0")/ktap.sh"
H=/sys/kernel/armjit/helpers
ST=${ST:-/root/selftests}
OUT=/tmp/callsites.out

[ -x "$ST/run.sh" ] && [ -w "$H/override" ] || {
	echo "1..0 # SKIP no selftests in $ST or no armjit"
	exit 4
}
ktap_plan 10

# l4lb_len PROG: run PROG through armjit (one packet, no RND_HI32 poison:
# stable sizes); print its jited_len, or nothing if the run failed.
l4lb_len() {
	sh "$ST/run.sh" --prog "$1" --mode armjit --rnd-hi32 off \
		--repeat 1 --expect-jited armjit >"$OUT" 2>&1 || {
		sed 's/^/# /' "$OUT" | grep -v '^# #' | tail -n 5
		return 1
	}
	sed -n 's/.*: jited=1 jited_len=\([0-9]*\) .*/\1/p' "$OUT" | head -n 1
}

# force_u64: every table entry to 5 x u64; prints how many writes failed.
force_u64() {
	bad=0
	for n in $(grep -v '^#' "$H/table" | cut -d' ' -f1 | sort -u); do
		echo "$n conv=u64 args=8,8,8,8,8" >"$H/override" 2>/dev/null ||
			bad=$((bad + 1))
	done
	echo "$bad"
}

t_l4lb=$(l4lb_len l4lb)
ktap_result $([ -n "$t_l4lb" ]; echo $?) "l4lb with the table: passes, jited_len ${t_l4lb:-?}"
t_noin=$(l4lb_len l4lb_noinline)
ktap_result $([ -n "$t_noin" ]; echo $?) "l4lb_noinline with the table: passes, jited_len ${t_noin:-?}"

bad=$(force_u64)
nent=$(grep -vc '^#' "$H/table")
# "default" rows (helpers met with no prototype known) are 5 x u64 already
FORCED=' u64 5 8,8,8,8,8 [048] \([^ ]*override\|default\) '
nover=$(grep -c "$FORCED" "$H/table")
grep -v '^#' "$H/table" | grep -v "$FORCED" |
	head -n 5 | sed 's/^/# not forced: /'
ktap_result $([ "$bad" = 0 ] && [ "$nover" = "$nent" ]; echo $?) \
	"every entry forced to 5 x u64 ($nover/$nent entries, $bad writes failed)"

f_l4lb=$(l4lb_len l4lb)
ktap_result $([ -n "$f_l4lb" ]; echo $?) "l4lb forced to 5 x u64: passes, jited_len ${f_l4lb:-?}"
f_noin=$(l4lb_len l4lb_noinline)
ktap_result $([ -n "$f_noin" ]; echo $?) "l4lb_noinline forced to 5 x u64: passes, jited_len ${f_noin:-?}"

ktap_result $([ -n "$t_l4lb" ] && [ -n "$f_l4lb" ] && [ "$t_l4lb" -lt "$f_l4lb" ]; echo $?) \
	"l4lb: the table's image is smaller (${t_l4lb:-?} < ${f_l4lb:-?} bytes)"
ktap_result $([ -n "$t_noin" ] && [ -n "$f_noin" ] && [ "$t_noin" -lt "$f_noin" ]; echo $?) \
	"l4lb_noinline: the table's image is smaller (${t_noin:-?} < ${f_noin:-?} bytes)"

echo all >"$H/reset"
ktap_result $(! grep -q 'override ' "$H/table"; echo $?) "reset all: no overridden entry left"
# An image's size also moves by a few words with where it lands (a
# kernel routine in bl reach or not) and with the maps' addresses (a
# constant of one mov or two): the reset's must be nearer the table's than
# the forced one (a reset that left the overrides comes out the forced).
# near_table R T F: |R - T| < (F - T) / 2
near_table() {
	[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] || return 1
	_d=$(($1 - $2))
	[ $_d -ge 0 ] || _d=$((-_d))
	[ $((2 * _d)) -lt $(($3 - $2)) ]
}
r_l4lb=$(l4lb_len l4lb)
near_table "$r_l4lb" "$t_l4lb" "$f_l4lb"
ktap_result $? \
	"l4lb after the reset: jited_len ${r_l4lb:-?}, the table's ${t_l4lb:-?} again, not the forced ${f_l4lb:-?}"
r_noin=$(l4lb_len l4lb_noinline)
near_table "$r_noin" "$t_noin" "$f_noin"
ktap_result $? \
	"l4lb_noinline after the reset: jited_len ${r_noin:-?}, the table's ${t_noin:-?} again, not the forced ${f_noin:-?}"
ktap_totals
