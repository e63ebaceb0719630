#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where armjit's compile time goes (make compile-profile): compile-bench's
# table per shape (time per compile at 256 .. 128k insns); instructions
# per compile counted by callgrind (exact, whatever else the machine
# runs: the growth in program length); then perf's
# profile of a 4096- and a 131072-insn "mix" program compiled over and
# over: the functions by their own share (self) and with their callees
# (children). Output on stdout; the native build of the JIT's pure parts
# is build/compile-bench.
set -eu
BIN=${BIN:-./build/compile-bench}
MIN_TIME=${MIN_TIME:-0.5}

echo "# armjit compile cost, $(git log -1 --format='%h %s' 2>/dev/null | cut -c1-72)"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'),"
echo "# load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $(${CC:-cc} --version | head -1)"
echo "# Times are CPU time of the fastest compile (the mean beside it)."
echo
for shape in mix alu jumps loops; do
	"$BIN" --shape "$shape" --min-time "$MIN_TIME"
	echo
done

if command -v valgrind >/dev/null 2>&1; then
	for shape in mix jumps; do
		echo "## callgrind: instructions executed in one compile, $shape"
		printf '# %8s %14s %10s\n' insns instructions "per insn"
		for len in 256 1024 4096 16384 65536 131072; do
			n=$(valgrind --tool=callgrind --toggle-collect=compile \
				--callgrind-out-file=/dev/null "$BIN" --shape "$shape" \
				--profile "$len" --reps 1 2>&1 |
				sed -n 's/.*Collected : *//p')
			printf '  %8d %14d %10d\n' "$len" "$n" $((n / len))
		done
		echo
	done
	echo "## callgrind: mix 4096 insns, one compile, by function (self)"
	valgrind --tool=callgrind --toggle-collect=compile \
		--callgrind-out-file="${TMPDIR:-/tmp}/cg.$$" "$BIN" --shape mix \
		--profile 4096 --reps 1 >/dev/null 2>&1
	callgrind_annotate "${TMPDIR:-/tmp}/cg.$$" 2>/dev/null |
		sed -n '/file:function/,$p' | sed 1,2d | head -16 |
		sed -E 's|[^ ]*/module/||; s| \[[^]]*\]$||'
	rm -f "${TMPDIR:-/tmp}/cg.$$"
	echo
fi

if ! command -v perf >/dev/null 2>&1; then
	echo "# perf not installed: no profile"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for spec in "4096 400" "131072 10"; do
	set -- $spec
	perf record -q -g -o "$tmp/perf.data" "$BIN" --shape mix \
		--profile "$1" --reps "$2" >/dev/null 2>&1
	echo "## perf: mix $1 insns x $2 compiles, self"
	perf report -i "$tmp/perf.data" --no-children --stdio -g none \
		--percent-limit 0.7 --sort symbol 2>/dev/null |
		grep -v '^#' | grep -v '^$' | sed 's/  *-  *-  *$//'
	echo
	echo "## perf: mix $1 insns x $2 compiles, with callees (>= 3%)"
	perf report -i "$tmp/perf.data" --children --stdio -g none \
		--percent-limit 3 --sort symbol 2>/dev/null |
		grep -v '^#' | grep -v '^$' | sed 's/  *-  *-  *$//' |
		grep -v -e __libc_start -e '\] main$' -e '_start$'
	echo
done
