#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/nightly_sensitivity.sh [TRIALS]: how small a change the
# nightly regression detector (nightly/detect.h) catches and how often it
# cries wolf, on synthetic histories of 20 commits
# (build/nightly/nightly-replay, benchmarks/nightly_replay.c):
#   deterministic: the smallest step (0.05% .. 1%) caught at its commit,
#     and the false alarms over 20 exactly equal commits;
#   wall: lognormal noise of CV 1%, 3%, 6% (6% is httpd's measured
#     run-to-run spread of requests/s), 5 repetitions per commit, the
#     detector run after every commit as nightly would: the share of
#     TRIALS (default 1000) unchanged histories with any alarm, and the
#     smallest drop at commit 15 caught in 80% of the trials; each also
#     after the confirmation (suspect and parent re-measured alternately
#     through detect_compare, 5 to 30 samples a side).
# Deterministic: the figures depend on the code and the seed (13), not on
# the machine or its load. Report in build/bench/nightly_sensitivity.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
bench_report nightly_sensitivity.txt
TRIALS=${1:-1000}
REPLAY=$ROOT/build/nightly/nightly-replay

make -C "$ROOT" --no-print-directory build/nightly/nightly-replay >/dev/null
say "Compare with Mozilla Perfherder's production t-test over one year:"
say "  12.5% of alert groups were false positives, 6.8% held missed regressions."
say "Here a 'false alarm' is any change listed at an unchanged commit on any"
say "night; 'false share' is the part of all alarms that are false, the"
say "nearest figure to Perfherder's 12.5%; 100% - 'caught' is the missed share."
out=$("$REPLAY" --trials "$TRIALS" --seed 13)
say "$out"
say "  ($REPLAY --trials $TRIALS --seed 13)"
echo "report: $REPORT"
