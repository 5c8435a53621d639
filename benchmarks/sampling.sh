#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/sampling.sh [ROUNDS [IMAGE]]: how faithful the sampling
# profiler is (IMAGE: a profsplit image to measure instead of a fresh build,
# e.g. one of an older commit).
#   Attribution error on profsplit (a known 60/30/10 split; one round of its
#   loop is about 30,000 instructions) at sampling frequencies commensurate
#   with that loop, in deterministic mode, where a strictly periodic sampler
#   would see the same phase of the loop every time. The error is the
#   largest |self share - expected| of the three functions, in percentage
#   points; every figure repeats exactly.
#   The effective sampling rate in wall-clock mode (TCG), requested against
#   taken, with the ticks the guest could not take.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNITUNE=$ROOT/bin/unitune
OUT=$ROOT/build/bench/sampling
ROUNDS=${1:-20000}
mkdir -p "$OUT"
REPORT=$OUT/../sampling.txt
: >"$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }

img=${2:-$("$UNITUNE" build --app profsplit -o "$OUT/profsplit" 2>/dev/null | tail -n 1)}

# self share of each split function in a report, then the worst error
error_pp() { # report
	awk '$5 == "split_sixty" { a = $1 } $5 == "split_thirty" { b = $1 }
	     $5 == "split_ten" { c = $1 }
	     function abs(x) { return x < 0 ? -x : x }
	     END { gsub("%", "", a); gsub("%", "", b); gsub("%", "", c)
		   e = abs(a - 60); if (abs(b - 30) > e) e = abs(b - 30)
		   if (abs(c - 10) > e) e = abs(c - 10)
		   printf "%.2f pp (60/30/10 measured as %s/%s/%s)", e, a, b, c }' "$1"
}

say "profsplit $ROUNDS rounds, deterministic: attribution error by sampling frequency"
# One sample per 1, 2, 3, 4, 5 and 10 rounds, and two round numbers.
for hz in 33288 16644 11096 8322 6658 3329 10000 1000; do
	"$UNITUNE" record -d -F "$hz" -o "$OUT/$hz.uttr" "$img" -- "$ROUNDS" >/dev/null 2>&1
	"$UNITUNE" report "$OUT/$hz.uttr" >"$OUT/$hz.report" 2>&1
	say "  $hz Hz: $(error_pp "$OUT/$hz.report"), $(sed -n 's/^samples: \([0-9]*\).*/\1/p' "$OUT/$hz.report") samples"
done
say "  ($UNITUNE record -d -F HZ -o F $img -- $ROUNDS; $UNITUNE report F)"

say "wall clock (TCG), requested 10000 Hz, profsplit $ROUNDS rounds:"
"$UNITUNE" record -a tcg -F 10000 -o "$OUT/wall.uttr" "$img" -- "$ROUNDS" >/dev/null 2>&1
"$UNITUNE" report "$OUT/wall.uttr" >"$OUT/wall.report" 2>&1
say "  $(grep -E '^(samples|sampling)' "$OUT/wall.report" | tr '\n' ' ')"
say "  ($UNITUNE record -a tcg -F 10000 -o F $img -- $ROUNDS; $UNITUNE report F; load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "report: $REPORT"
