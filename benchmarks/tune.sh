#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/tune.sh: what a sweep costs on the demo space
# (benchmarks/spaces/alloc.yaml: 36 points, 8 distinct variants), in
# variants per hour, three ways:
#   nocache  every variant built from scratch (--no-ccache)
#   cold     ccache on, starting empty (variants share objects as the
#            sweep goes: they build in the same slots)
#   warm     ccache filled by the cold run (a re-sweep after a commit
#            that touched nothing the objects depend on)
# each into its own store and work directory. Then the strategies are
# replayed against the finished grid (benchmarks/strategies.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNITUNE=$ROOT/bin/unitune
SPACE=$ROOT/benchmarks/spaces/alloc.yaml
OUT=$ROOT/build/bench
mkdir -p "$OUT"
REPORT=$OUT/tune.txt
: >"$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }

export CCACHE_DIR=$OUT/tune-ccache
rm -rf "$CCACHE_DIR"
for mode in nocache cold warm; do
	db=$OUT/tune-$mode.db work=$OUT/tune-$mode
	rm -rf "$db" "$db-wal" "$db-shm" "$work"
	opt=()
	[ $mode = nocache ] && opt=(--no-ccache)
	"$UNITUNE" tune "${opt[@]}" --db "$db" --work "$work" "$SPACE" \
		2>"$OUT/tune-$mode.log"
	line=$(grep 'complete:' "$OUT/tune-$mode.log")
	rate=$(grep -o '[0-9]* variants/hour' "$OUT/tune-$mode.log")
	build=$(sqlite3 "$db" "SELECT printf('%.2f', avg(build_seconds)) FROM builds")
	say "$mode: $rate; mean build ${build} s; ${line#*complete: }"
	say "  ($UNITUNE tune ${opt[*]} --db $db --work $work $SPACE, $(nproc) cores, --jobs $(nproc))"
done
"$ROOT/benchmarks/strategies.sh" "$OUT/tune-cold.db" alloc "$SPACE"
echo "report: $REPORT"
