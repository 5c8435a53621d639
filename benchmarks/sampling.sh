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
ROUNDS=${1:-100000}
mkdir -p "$OUT"
REPORT=$OUT/../sampling.txt
: >"$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }

img=${2:-$("$UNITUNE" build --app profsplit -o "$OUT/profsplit" 2>/dev/null | tail -n 1)}

# The three self shares of a report: "60.12 29.88 10.00".
shares() { # report
	awk '$5 == "split_sixty" { a = $1 } $5 == "split_thirty" { b = $1 }
	     $5 == "split_ten" { c = $1 }
	     END { gsub("%", "", a); gsub("%", "", b); gsub("%", "", c)
		   print a, b, c }' "$1"
}

# One fixed seed per frequency, so replicates come from neighbouring
# frequencies: the same draws fall at other offsets. Per group: the worst
# |share - expected| over its runs, the rms error over its 3 x 4 shares,
# and what independent samples would give (sqrt(p(1-p)/n), averaged).
say "profsplit $ROUNDS rounds, deterministic: attribution error, 4 neighbouring frequencies per group"
group() { # label freqs...
	local label=$1 hz rep n s
	shift
	: >"$OUT/group"
	for hz in "$@"; do
		"$UNITUNE" record -d -F "$hz" -o "$OUT/$hz.uttr" "$img" -- "$ROUNDS" >/dev/null 2>&1
		"$UNITUNE" report "$OUT/$hz.uttr" >"$OUT/$hz.report" 2>&1
		n=$(sed -n 's/^samples: \([0-9]*\) .*/\1/p' "$OUT/$hz.report")
		echo "$hz $n $(shares "$OUT/$hz.report")" >>"$OUT/group"
	done
	say "  $label: $(awk 'function abs(x) { return x < 0 ? -x : x }
		{ e[1] = $3 - 60; e[2] = $4 - 30; e[3] = $5 - 10
		  for (i = 1; i <= 3; i++) { if (abs(e[i]) > w) w = abs(e[i]); r += e[i] * e[i] }
		  f += (sqrt(.6 * .4 / $2) + sqrt(.3 * .7 / $2) + sqrt(.1 * .9 / $2)) / 3 * 100
		  runs = runs sprintf(" %s:%s/%s/%s", $1, $3, $4, $5) }
		END { printf "worst %.2f pp, rms %.2f pp (independent samples: %.2f pp);%s", w, sqrt(r / (3 * NR)), f / NR, runs }' "$OUT/group")"
}
# profsplit's round (one call of each function) is about 30,040 instructions.
group "one sample per round (~33288 Hz)" 33280 33284 33292 33296
group "one sample per 2 rounds (~16644 Hz)" 16640 16642 16646 16648
group "~10 kHz" 9997 9999 10001 10003
group "~1 kHz" 997 999 1001 1003
say "  ($UNITUNE record -d -F HZ -o F $img -- $ROUNDS; $UNITUNE report F)"

say "wall clock (TCG), requested 10000 Hz, profsplit $ROUNDS rounds:"
"$UNITUNE" record -a tcg -F 10000 -o "$OUT/wall.uttr" "$img" -- "$ROUNDS" >/dev/null 2>&1
"$UNITUNE" report "$OUT/wall.uttr" >"$OUT/wall.report" 2>&1
say "  $(grep -E '^(samples|sampling)' "$OUT/wall.report" | tr '\n' ' ')"
say "  ($UNITUNE record -a tcg -F 10000 -o F $img -- $ROUNDS; $UNITUNE report F; load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "report: $REPORT"
