# KTAP output for armjit's guest tests (busybox sh) and the host's
# make check. Source it, then:
#	ktap_plan N
#	ktap_result OK_OR_NOT NAME	ok if OK_OR_NOT is 0 (an exit status)
#	ktap_skip NAME REASON
#	ktap_diag TEXT...		"# TEXT" lines
#	ktap_totals			"# Totals: ..." line; returns 1 on a failure
#	ktap_check NAME STATUS FILE	after a component ran: a failure line if
#		it crashed without saying so (see below)

KTAP_N=0 KTAP_PASS=0 KTAP_FAIL=0 KTAP_SKIP=0

ktap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

ktap_result() {
	KTAP_N=$((KTAP_N + 1))
	if [ "$1" = 0 ]; then
		KTAP_PASS=$((KTAP_PASS + 1))
		echo "ok $KTAP_N $2"
	else
		KTAP_FAIL=$((KTAP_FAIL + 1))
		echo "not ok $KTAP_N $2"
	fi
}

ktap_skip() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_N $1 # SKIP $2"
}

ktap_diag() {
	echo "$*" | sed 's/^/# /'
}

ktap_totals() {
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	[ "$KTAP_FAIL" = 0 ]
}

# ktap_check NAME STATUS FILE: FILE holds the output of component NAME,
# which exited with STATUS (kselftest's 4, "skipped", counts as 0). Prints a
# "not ok" line when the component failed without printing one, or printed
# fewer results than its plan announced (it crashed part way).
ktap_check() {
	_st=$2
	[ "$_st" = 4 ] && _st=0
	_plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$3" | head -n 1)
	_ran=$(grep -c -E '^(not )?ok [0-9]' "$3")
	_bad=$(grep -c '^not ok ' "$3")
	if [ "$_st" != 0 ] && [ "$_bad" = 0 ]; then
		echo "not ok - $1 exited with status $2 and reported no failure"
	elif [ -n "$_plan" ] && [ "$_ran" -lt "$_plan" ]; then
		echo "not ok - $1 ran $_ran of $_plan tests"
	fi
	return 0
}
