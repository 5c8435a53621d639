#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/nightly.sh   what `unitune nightly` costs (docs/nightly.md):
#   1. a night of the shipped suite (benchmarks/suites/nightly.yaml) per
#      commit, with a warm ccache, on this machine's cores;
#   2. the bisection's builds and measurements on the injected test
#      (tests/system/nightly_repo.sh: the range's ends measured, the
#      culprit three commits in);
#   3. the detector's sensitivity and false alarms on synthetic series
#      (benchmarks/nightly_sensitivity.sh).
# Report: build/bench/nightly.txt. NIGHTLY_BENCH_PARTS="suite bisect
# detector" picks parts.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
bench_report nightly.txt
PARTS=${NIGHTLY_BENCH_PARTS:-suite bisect detector}
fail() { echo "benchmarks/nightly.sh: $*" >&2; exit 1; }
# shellcheck source=tests/system/nightly_repo.sh
. "$ROOT/tests/system/nightly_repo.sh"

TMP=$(mktemp -d "$OUT/nightly.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
say "load at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"

# The night's own account: "N commit(s), B build(s), M measurement(s) in S s".
cost() { # stderr-file
	grep -o '[0-9]* commit(s), [0-9]* build(s), [0-9]* measurement(s) in [0-9.]* s' "$1" | tail -n 1
}

if [[ " $PARTS " == *" suite "* ]]; then
	git clone -q "$ROOT" repo
	git -C repo config user.email bench@nightly
	git -C repo config user.name bench
	NIGHTLY_T=$(git -C repo log -1 --format=%ct)
	C0=$(git -C repo rev-parse HEAD)
	for i in 1 2 3; do
		echo "bench line $i" >>repo/README.md
		commit_all "README: line $i" >/dev/null
	done
	suite=$ROOT/benchmarks/suites/nightly.yaml
	# A cache of its own: the first night starts it cold, and the hits
	# of the next are the nights' alone.
	export CCACHE_DIR=$TMP/ccache
	# The first night fills ccache and the history.
	"$UNITUNE" nightly "$suite" --repo repo --commit "$C0" --db n.db --work w \
		>/dev/null 2>warm.err || [ $? = 1 ] || fail "the warm-up night failed: $(tail -n 3 warm.err)"
	ccache -z >/dev/null 2>&1 || true
	start=$(date +%s.%N)
	"$UNITUNE" nightly "$suite" --repo repo --commits "$C0..HEAD" --db n.db \
		--work w -o report >/dev/null 2>night.err || [ $? = 1 ] ||
		fail "the night failed: $(tail -n 3 night.err)"
	end=$(date +%s.%N)
	say "a night of the shipped suite, 3 commits, warm ccache: $(cost night.err);" \
		"$(awk "BEGIN {printf \"%.1f\", ($end - $start) / 3}") s per commit (wall)"
	say "  (unitune nightly benchmarks/suites/nightly.yaml --commits C0..C0+3, after a night on C0; load $(cut -d' ' -f1-3 /proc/loadavg))"
	say "  first night (cold ccache): $(cost warm.err)"
	say "  ccache over the 3 warm commits: $(ccache -s 2>/dev/null | grep -E '^ +Hits:|^ +Misses:' | tr -s ' ' | tr '\n' ';')"
	unset CCACHE_DIR
	say "  per benchmark and commit (build with ccache + measurement), and any confirmation:"
	grep -E '^nightly: +[a-z0-9-]+: done|^nightly: confirm' night.err | sed 's/^nightly: /    /' | tee -a "$REPORT" >/dev/null
	rm -rf repo w n.db report
fi

if [[ " $PARTS " == *" bisect "* ]]; then
	nightly_suite
	nightly_repo
	"$UNITUNE" nightly suite.yaml --repo repo --commit "$C1" --db b.db --work w \
		>/dev/null 2>first.err || fail "the first night failed: $(tail -n 3 first.err)"
	st=0
	"$UNITUNE" nightly suite.yaml --repo repo --commit "$C5" --db b.db --work w \
		--bisect >/dev/null 2>bisect.err || st=$?
	[ "$st" = 1 ] || fail "the bisecting night exited $st: $(tail -n 3 bisect.err)"
	say "bisection on the injected test (ends measured, culprit ${C3:0:12}, one unbuildable commit in the range):"
	grep 'the culprit is' bisect.err | sed 's/^nightly: /  /' | tee -a "$REPORT"
	say "  whole bisecting night: $(cost bisect.err) (the measured end, confirmations, the steps, the profiles' builds are shared)"
	say "  steps: $(grep -cE '^nightly: bisect .*: (good|bad|skipped)' bisect.err || true)"
	grep -E '^nightly: bisect .*: [0-9a-f]{12} ' bisect.err | sed 's/^nightly: /    /' | tee -a "$REPORT" >/dev/null
fi

if [[ " $PARTS " == *" detector "* ]]; then
	"$ROOT/benchmarks/nightly_sensitivity.sh"
fi
echo "report: $REPORT"
