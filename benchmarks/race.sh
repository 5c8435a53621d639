#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/race.sh [SEEDS]: the repetitions racing (a space's
# repetitions: {min: 2, max: 10}) spends against a fixed count, and
# whether it still names the true best, on simulated noisy landscapes
# (build/tuner/race-replay, benchmarks/race_replay.c): every variant's
# true requests/s is known, each run adds seeded noise (3% Gaussian, or
# 2% with one run in ten stalling at -40%), and the race takes the same
# decisions as `unitune tune` (tuner/race.c over host/stats.c's bootstrap
# intervals). Deterministic: the figures depend on the code and the
# seeds (default 50), not on the machine or its load. Report in
# build/bench/race.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
bench_report race.txt
SEEDS=${1:-50}
REPLAY=$ROOT/build/tuner/race-replay

make -C "$ROOT" --no-print-directory build/tuner/race-replay >/dev/null
out=$("$REPLAY" --seeds "$SEEDS" --min 2 --max 10)
say "$out"
say "  ($REPLAY --seeds $SEEDS --min 2 --max 10: repetitions spent (mean"
say "   over the seeds), saving against fixed 10, runs that named the"
say "   true best, one within 1% of it, and runs whose best still ties)"
echo "report: $REPORT"
