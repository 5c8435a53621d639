#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/sweep_rate.sh [TREE] [RUNS]
#
# Warm-cache sweep throughput on the demo space (benchmarks/spaces/
# alloc.yaml: 36 points, 8 distinct variants), the figure issue 10 item 7
# aims at (5,000 variants per hour on 2 cores): one sweep fills ccache and
# the build slots, then RUNS (default 5) sweeps each into a fresh store
# rebuild and measure every variant as `unitune tune` does (--jobs = the
# number of CPUs). Per run: variants/hour as the sweep reports it (fresh
# variants over the sweep's wall time), wall seconds, CPU seconds
# (user+sys of the sweep and everything it waited for), the load average
# just before, and the min_mem runs ("probes") measure.log counts. Then
# the median, min and max over the runs.
#
# Wall time, and so variants/hour, depends on what else the machine runs:
# read it with the load. CPU seconds hardly do; 3600 * cores / (CPU per
# variant) is what an otherwise idle machine could reach at best.
# TREE (default this one) is a Unitune tree with bin/unitune built: the
# same space and the same measuring in another tree (say, an export of
# main) give the "before" figure. Its sweeps build in TREE's slots.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TREE=$(cd "${1:-$ROOT}" && pwd)
RUNS=${2:-5}
. "$ROOT/benchmarks/stats.sh"
UNITUNE=$TREE/bin/unitune
SPACE=$ROOT/benchmarks/spaces/alloc.yaml
OUT=$ROOT/build/bench/sweep-rate
REPORT=$ROOT/build/bench/sweep_rate.txt
[ -x "$UNITUNE" ] || { echo "sweep_rate.sh: no $UNITUNE (run make in $TREE)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
: >"$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }
export CCACHE_DIR=$OUT/ccache

sweep() { # name -> "rate wall cpu probes" on stdout
	local db=$OUT/$1.db log=$OUT/$1.log work=$OUT/work rate wall cpu probes
	rm -f "$db" "$db-wal" "$db-shm"
	rm -f "$work"/*/measure.log
	/usr/bin/time -f "%e %U %S" -o "$OUT/$1.time" \
		"$UNITUNE" tune --progress never --db "$db" --work "$work" \
		"$SPACE" 2>"$log"
	rate=$(sed -n 's/.*throughput: \([0-9]*\) variants\/hour.*/\1/p' "$log")
	read -r wall user sys <"$OUT/$1.time"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	probes=$(cat "$work"/*/measure.log 2>/dev/null |
		grep -c 'min_mem probe' || true)
	echo "$rate $wall $cpu $probes"
}

sweep fill >/dev/null
say "sweep rate: $SPACE with $UNITUNE, warm ccache and slots, --jobs $(nproc), $(nproc) cores"
for r in $(seq "$RUNS"); do
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	read -r rate wall cpu probes < <(sweep "run$r")
	say "  run $r: $rate variants/hour, $wall s wall, $cpu s CPU, $probes min_mem runs (load before: $load)"
	echo "$rate $wall $cpu" >>"$OUT/runs"
done
say "variants/hour $(stats "$OUT/runs" 1), wall $(stats "$OUT/runs" 2) s, CPU $(stats "$OUT/runs" 3) s per sweep of 8 variants; median (min-max) of $RUNS"
cpu_median=$(stats "$OUT/runs" 3)
say "  -> at most $(awk -v c="${cpu_median%% *}" -v n="$(nproc)" 'BEGIN { printf "%.0f", 3600 * n * 8 / c }') variants/hour on an idle machine (3600 x $(nproc) cores / CPU seconds per variant)"
say "  ($0 $TREE $RUNS)"
