#!/bin/sh
# Guest side of `make bench` (busybox sh, scripts/vm --icount): the BPF
# selftest programs through the selftest runner, then the test_bpf tests of
# tests.txt, each in the modes interp, stock and armjit. Machine-readable
# lines on stdout:
#	# bench prog=... mode=... ns=... load_ns=...	(the runner's)
#	tbench idx=N mode=M jited=0|1 ns=A[,B...] res=PASS|FAIL|NOLOAD seen=+S stock=+K failed=+F
#	# bench-img prog=... snap=S runs=R	(the runner's --img-marks)
#	timg idx=N mode=M snap=S mods=NAME@ADDR+SIZE,... init=ADDR	(image counts)
#	timg-mods mods=...	(the modules loaded while the runner ran)
#	ibench prog=smp8 mode=M sites=8 jited=0|1 len=B xlated=N ns=A res=PASS|FAIL inlined=+I ...
# idx is the line number of the test in tests.txt (comments excluded).
# ibench: eight bpf_get_smp_processor_id calls (inline_helpers --bench) in
# the modes interp, stock, armjit and armjit-noinline (armjit with debugfs
# no_inline=1: the same JIT calling the helper), so the saving shows.
# REPEAT (default 100000) is the runner's repeat count; SAMPLES (default 64)
# the calls of xdp, which runs once a call, averaged.
dir=$(cd "$(dirname "$0")" && pwd)
A=/sys/kernel/armjit
SYS=/proc/sys/net/core

echo "bench: kernel $(uname -r), armjit ${ARMJIT_LOAD_ERR:-loaded}"
echo 0 >/proc/sys/kernel/kptr_restrict	# module addresses for imgcount.py
mods() { awk '{ printf "%s@%s+%s,", $1, $6, $2 }' /proc/modules; }
"$dir/armjit-selftests" --dir "$dir" --rnd-hi32 off --samples "${SAMPLES:-64}" \
	--prog pkt_access,xdp,l4lb,l4lb_noinline --repeat "${REPEAT:-100000}" \
	--load-reps "${LOAD_REPS:-5}" --img-marks >/tmp/selftests.out
rc=$?
cat /tmp/selftests.out
echo "bench: selftests exit $rc"
echo "timg-mods mods=$(mods)"

stat() { sed -n "s/^$1 //p" $A/stats 2>/dev/null; }
setmode() {
	case $1 in
	interp) echo 0 >$SYS/bpf_jit_enable; [ ! -d $A ] || echo 0 >$A/enabled ;;
	stock) echo 1 >$SYS/bpf_jit_enable; [ ! -d $A ] || echo 0 >$A/enabled ;;
	armjit) echo 1 >$SYS/bpf_jit_enable; echo 1 >$A/enabled ;;
	esac
}

# The instructions of the JIT'ed code alone (bench/imgcount.py): with
# bench/ccount.c loaded, each marker the runner executes (--img-marks, --mark)
# writes the counts since the last one to counts.N, N counted here. A stock
# or armjit test_bpf run lies between two markers; its "timg" line names the
# window and the modules then loaded (their code is not the JIT's: test_bpf's
# run loop, armjit's compiler), so what else ran in the module area is the
# images. Without the plugin the markers cost nothing.
# the runner's --img-marks: two markers around each "# bench-img" line
echo $(( $(grep -c '^# bench-img ' /tmp/selftests.out) * 2 )) >/tmp/marks
mark() {
	"$dir/armjit-selftests" --mark
	echo $(( $(cat /tmp/marks) + 1 )) >/tmp/marks
}
image_window() {
	grep -q '^test_bpf ' /proc/modules || return 0
	echo "timg idx=$1 mode=$2 snap=$(cat /tmp/marks)" \
		"mods=$(mods)" \
		"init=$(cat /sys/module/test_bpf/sections/.init.text 2>/dev/null)"
	mark
}

for mode in interp stock armjit; do
	[ $mode != armjit ] || [ -d $A ] || { echo "bench: no armjit"; continue; }
	setmode $mode
	idx=0
	grep -v '^#' "$dir/tests.txt" | while IFS="|" read -r suite group label name; do
		idx=$((idx + 1))
		s0=$(stat seen) k0=$(stat stock) f0=$(stat failed)
		dmesg -c >/dev/null
		[ $mode = interp ] || mark
		kmodload "$TEST_BPF_KO" test_suite="$suite" "test_name=\"$name\"" \
			>/dev/null 2>&1
		[ $mode = interp ] || image_window $idx $mode
		rmmod test_bpf 2>/dev/null
		line=$(dmesg | sed -n 's/^\[[ 0-9.]*\] //; /test_bpf: #[0-9]* /p' | head -n 1)
		jited=$(echo "$line" | sed -n 's/.* jited:\([01]\) .*/\1/p')
		ns=$(echo "$line" | sed -n 's/.* jited:[01] \([0-9 ]*\)PASS.*/\1/p' |
			sed 's/ *$//; s/ /,/g')
		case $line in
		*" jited:"*PASS*) res=PASS ;;
		*" jited:"*) res=FAIL ;;
		*) res=NOLOAD ;;
		esac
		echo "tbench idx=$idx mode=$mode jited=${jited:-0} ns=${ns:--} res=$res" \
			"seen=+$(( $(stat seen || echo 0) - ${s0:-0} ))" \
			"stock=+$(( $(stat stock || echo 0) - ${k0:-0} ))" \
			"failed=+$(( $(stat failed || echo 0) - ${f0:-0} ))"
		[ $res = PASS ] || echo "tbench-log idx=$idx mode=$mode $line"
	done
done
NI=/sys/kernel/debug/armjit/no_inline
for mode in interp stock armjit armjit-noinline; do
	[ -x "$dir/inline_helpers" ] || { echo "bench: no inline_helpers"; break; }
	case $mode in
	armjit*) [ -d $A ] || continue ;;
	esac
	if [ $mode = armjit-noinline ]; then
		[ -w $NI ] || { echo "bench: no $NI"; continue; }
		echo 1 >$NI
	fi
	setmode ${mode%-noinline}
	"$dir/inline_helpers" --bench "${REPEAT:-100000}" $mode
	[ $mode != armjit-noinline ] || echo 0 >$NI
done
# compile cost by program length: generated straight-line programs
# ("# bench-gen" lines), after every count the image windows take
if [ -n "${GEN_LENS:-}" ]; then
	"$dir/armjit-selftests" --gen-lens "$GEN_LENS" \
		--load-reps "${LOAD_REPS:-5}" \
		--mode interp,stock$([ -d $A ] && echo ,armjit)
	echo "bench: gen-lens exit $?"
fi
setmode interp
