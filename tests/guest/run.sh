#!/bin/sh
# run.sh TEST...: runs guest tests (scripts, paths relative to /root) one
# after the other in one boot, each printing KTAP. A test that exits nonzero
# without a "not ok" line, or stops short of its plan, gets one added.
# Exit status: 0 when every test exited 0 (or 4, kselftest's "skipped").
. "$(dirname "$0")/ktap.sh"
st=0
for t; do
	echo "# ==== $t"
	{ sh "$t"; echo $? >/tmp/run.rc; } 2>&1 | tee /tmp/run.out
	rc=$(cat /tmp/run.rc)
	ktap_check "$t" "$rc" /tmp/run.out
	[ "$rc" = 0 ] || [ "$rc" = 4 ] || st=1
done
exit $st
