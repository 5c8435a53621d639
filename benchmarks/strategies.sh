#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/strategies.sh [DB EXPERIMENT SPACE]: evaluations each search
# strategy (grid, random, greedy, tpe) needs to reach the best point,
# replayed against known landscapes without building or running anything
# (build/tuner/strategy-replay, benchmarks/strategy_replay.c,
# tuner/replay.c):
#   always the synthetic landscapes defined in strategy_replay.c
#   (structured ones with interacting ints and choices, two with failing
#   regions, and rugged, a control with no structure), one point at a
#   time and four at a time (--jobs 4, as a sweep with --jobs 4 proposes);
#   with DB EXPERIMENT SPACE, also a finished grid experiment from the
#   results store, SPACE being the space file its sweep used
#   (benchmarks/tune.sh passes the demo sweep of benchmarks/spaces/alloc.yaml).
# Random and tpe run 20 seeds each; grid and greedy take no seed. Each
# landscape ends with a line comparing tpe's median with random's (the
# goal: half or less).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPLAY=$ROOT/build/tuner/strategy-replay
OUT=$ROOT/build/bench
mkdir -p "$OUT"
REPORT=$OUT/strategies.txt
: >"$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }

make -C "$ROOT" --no-print-directory build/tuner/strategy-replay >/dev/null

# A replay that fails stops the script (set -e sees an assignment fail,
# not a command substitution inside say's arguments).
for jobs in 1 4; do
	out=$("$REPLAY" --synthetic --seeds 20 --jobs "$jobs")
	say "$out"
	say "  ($REPLAY --synthetic --seeds 20 --jobs $jobs)"
	say ""
done
if [ $# -ge 3 ]; then
	out=$("$REPLAY" --db "$1" --experiment "$2" --space "$3" --unikernel "$ROOT/unikernel" --seeds 20)
	say "$out"
	say "  ($REPLAY --db $1 --experiment $2 --space $3 --unikernel $ROOT/unikernel --seeds 20)"
fi
echo "report: $REPORT"
