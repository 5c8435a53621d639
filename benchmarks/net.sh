#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/net.sh: the network-stack sweep (benchmarks/spaces/net.yaml:
# apps/httpd over lwIP's Kconfig options, benchmark kind http, tpe with a
# budget, racing repetitions) into a fresh store, and what it cost and
# found:
#   evaluations (variants) by status, wall time, the load average before
#   and after;
#   wrk runs the race spent against fixed counts (every variant at the
#   race's min, which cannot tell close variants apart, and at its max);
#   the best variant with its requests/s and p99 and their bootstrap 95%
#   intervals, ties said (unitune best);
#   the Pareto front of requests/s (max) and p99 (min);
#   the HTML report with the main effects (unitune report -e net).
# NET_SPACE=FILE sweeps another space the same way (a shorter budget).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
bench_report net.txt
SPACE=${NET_SPACE:-$ROOT/benchmarks/spaces/net.yaml}
DB=$OUT/net.db
WORK=$OUT/net
command -v wrk >/dev/null || {
	echo "benchmarks/net.sh: wrk missing (scripts/deps.sh installs it)" >&2
	exit 1
}
rm -rf "$DB" "$DB-wal" "$DB-shm" "$WORK" "$OUT/net-report"
NAME=$(sed -n 's/^name: *//p' "$SPACE")
q() { sqlite3 "$DB" "$1"; }

say "network-stack sweep, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load before $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
rc=0
"$UNITUNE" tune --db "$DB" --work "$WORK" --progress never "$SPACE" \
	2>"$OUT/net-tune.log" || rc=$?
end=$(date +%s)
say "  ($UNITUNE tune --db $DB --work $WORK $SPACE: exit status $rc, --jobs $(nproc); log $OUT/net-tune.log)"
say "wall time: $(((end - start) / 60)) min $(((end - start) % 60)) s; load after $(cut -d' ' -f1-3 /proc/loadavg)"
say "evaluations: $(q "SELECT count(*) FROM variants") variants ($(q "SELECT group_concat(n || ' ' || status, ', ')
	FROM (SELECT status, count(*) n FROM variants GROUP BY status ORDER BY n DESC)"))"
grep -E '^unitune tune: (complete|throughput|race: [0-9]+ top-ups)' "$OUT/net-tune.log" |
	while IFS= read -r line; do say "  $line"; done

# What the race spent: one wrk run per sample of requests/s (the warm-up
# runs, one per boot, come on top: one per variant and per top-up).
runs=$(q "SELECT count(*) FROM runs WHERE metric = 'http.wrk.requests_per_s'")
done_n=$(q "SELECT count(*) FROM variants WHERE status = 'done'")
min=$(sed -n 's/.*repetitions: *{min: *\([0-9]*\).*/\1/p' "$SPACE")
max=$(sed -n 's/.*repetitions: *{.*max: *\([0-9]*\).*/\1/p' "$SPACE")
topups=$(q "SELECT count(*) FROM (SELECT variant_id FROM runs
	WHERE metric = 'http.wrk.requests_per_s' GROUP BY variant_id HAVING count(*) > ${min:-0})")
say "wrk runs measured: $runs over $done_n done variants ($topups raced beyond $min); a fixed ${max:-?} would take $((done_n * ${max:-0})), a fixed ${min:-?} $((done_n * ${min:-0}))"

"$UNITUNE" best "$NAME" --db "$DB" >"$OUT/net-best.txt" 2>&1 || true
while IFS= read -r line; do say "$line"; done <"$OUT/net-best.txt"
say "  ($UNITUNE best $NAME --db $DB)"

say "Pareto front (requests/s max, p99 min), median [95% interval]:"
"$UNITUNE" show "$NAME" --db "$DB" --json | jq -r '
	.variants[] | select(.pareto) |
	"  v\(.id): \(.metrics["http.wrk.requests_per_s"] | "\(.median | floor) [\(.ci_low | floor), \(.ci_high | floor)]") req/s, p99 \(.metrics["http.wrk.latency_p99_us"] | "\(.median) [\(.ci_low), \(.ci_high)]") us; \(.options | to_entries | map("\(.key | sub("^CONFIG_"; ""))=\(.value.resolved)") | join(" "))"' |
	while IFS= read -r line; do say "$line"; done
"$UNITUNE" report -e "$NAME" --db "$DB" -o "$OUT/net-report" >/dev/null 2>&1 &&
	say "report with main effects and the front: $OUT/net-report/index.html"
echo "report: $REPORT"
