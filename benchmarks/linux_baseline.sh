#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/linux_baseline.sh: apps/httpd against a Linux VM serving the
# same page with nginx on the same QEMU path (`unitune bench http
# --baseline linux`, docs/linux-baseline.md), each printed with its
# command and the load average:
#   the defaults (wrk -t1 -c32, 5 rounds of 10 s after a 10 s warm-up,
#   alternating, with each side's smallest memory);
#   then -c1, -c100 and -c1000 (the smallest memory once is enough), with
#   the socket errors of both sides at -c1000.
# Every run also lands in build/bench/linux_baseline.db. LINUX_BASELINE_ARGS
# adds options to every run (-d 2s -n 2 for a quick look).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
bench_report linux_baseline.txt
WORK=$OUT/linux_baseline
DB=$OUT/linux_baseline.db
mkdir -p "$WORK"
rm -f "$DB" "$DB"-*

"$ROOT/scripts/linux-guest.sh" >/dev/null
img=$("$UNITUNE" build --app httpd -o "$OUT/httpd-baseline" 2>/dev/null | tail -n 1)
# shellcheck disable=SC2206
extra=(${LINUX_BASELINE_ARGS:-})

# run NAME OPTIONS...: one bench, its comparison table in the report.
run() {
	local name=$1 load
	shift
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	"$UNITUNE" bench http --baseline linux --accel tcg --db "$DB" "$@" \
		"${extra[@]}" "$img" >"$WORK/$name.txt" 2>"$WORK/$name.err" || {
		cat "$WORK/$name.err" >&2
		echo "benchmarks/linux_baseline.sh: $name failed" >&2
		return 1
	}
	say "--- $name (load average before: $load; after: $(cut -d' ' -f1-3 /proc/loadavg))"
	sed -n '/^== unikernel \/ linux/,$p' "$WORK/$name.txt" | tee -a "$REPORT"
	say "  ($UNITUNE bench http --baseline linux --accel tcg $* ${extra[*]} $img; full tables in $WORK/$name.txt)"
}

# errors SIDE FILE: the socket errors' medians of one side's table.
errors() {
	awk -v side="== $1" '
	index($0, side) == 1 { on = 1; next }
	/^== / { on = 0 }
	on && /^socket errors: / { sub(/ \(count\)/, ""); printf "%s%s=%s", sep, $3, $4; sep = " " }
	END { print "" }' "$2"
}

run defaults
run c1 -c 1 --min-mem 0
run c100 -c 100 --min-mem 0
run c1000 -c 1000 --min-mem 0
say "socket errors at -c1000 (medians): unikernel $(errors unikernel "$WORK/c1000.txt"); linux $(errors linux "$WORK/c1000.txt")"
echo "report: $REPORT"
