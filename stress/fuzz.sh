#!/bin/sh
# armjit differential fuzzing alone, in the guest (make fuzz): FUZZ_N
# programs from FUZZ_SEED, interpreter vs armjit. Prints the fuzzer's lines
# and "@@fuzz KEY=VALUE ..." for stress/fuzz-run; exit 1 on a mismatch, a
# program armjit did not JIT, or a kernel complaint in the log.
cd "$(dirname "$0")"
N=${FUZZ_N:-1000}
S=${FUZZ_SEED:-1}
BAD='WARNING:|BUG|Oops|Unable to handle|Internal error|kmemleak|Call trace|Kernel panic|refcount_t|list_add corruption'

t0=$(cut -d' ' -f1 /proc/uptime)
# progress lines (stderr) go to the console as they come
./armjit-stress fuzz --seed "$S" -n "$N" >fuzz.out
st=$?
t1=$(cut -d' ' -f1 /proc/uptime)
cat fuzz.out
sum=$(sed -n 's/^# fuzz: seeds //p' fuzz.out)
# "S..E: N programs, R verifier-rejected, D not JIT'ed by armjit, C compared, M differences (...)"
num() { echo "$sum" | sed -n "s/.* \([0-9][0-9]*\) $1.*/\1/p"; }
progs=$(num programs)
rej=$(num verifier-rejected)
decl=$(num "not JIT'ed")
cmp=$(num compared)
diffs=$(num differences)
calls=$(echo "$sum" | sed -n "s/.* \([0-9][0-9]*\) of them with bpf-to-bpf calls.*/\1/p")
oops=$(dmesg | grep -E "$BAD" | grep -v 'NOT YET' | grep -cE 'Oops|BUG|Internal error|Unable to handle|Kernel panic')
complaints=$(dmesg | grep -E "$BAD" | grep -v 'NOT YET' | grep -c .)
dmesg | grep -E "$BAD" | grep -v 'NOT YET' | head -n 20 | sed 's/^/# dmesg: /'
echo "@@fuzz seed=$S n=$N programs=${progs:-?} rejected=${rej:-?} notjited=${decl:-?} compared=${cmp:-?} with_calls=${calls:-0} mismatches=${diffs:-?} oopses=$oops complaints=$complaints calls_default=$(sed -n "s/^calls_default //p" /sys/kernel/armjit/stats 2>/dev/null) inlined=$(sed -n "s/^inlined //p" /sys/kernel/armjit/stats 2>/dev/null) exit=$st guest_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
[ "$st" = 0 ] && [ -n "$diffs" ] && [ "$diffs" = 0 ] && [ "$decl" = 0 ] &&
	[ "$complaints" = 0 ]
