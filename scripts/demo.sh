#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The main job: sweep the demo space (allocator x its size-class options,
# benchmarks/spaces/alloc.yaml) in deterministic mode into the results
# store, profile the best and the worst variant, and write the report.
# Running it again resumes (or, when complete, just re-reports) the sweep.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNITUNE=$ROOT/bin/unitune
SPACE=benchmarks/spaces/alloc.yaml
EXP=alloc
DB=results/unitune.db
OUT=results/reports/$EXP
METRIC=alloc.mixed.cycles_per_op
cd "$ROOT"
mkdir -p "$OUT"

echo "== sweeping $SPACE into $DB"
"$UNITUNE" tune --db "$DB" "$SPACE"

# The best and worst finished variants by the first objective.
variant_image() { # ASC|DESC
	sqlite3 "$DB" "SELECT b.image_path FROM variants v
		JOIN runs r ON r.variant_id = v.id
		JOIN builds b ON b.variant_id = v.id
		WHERE v.experiment_id = (SELECT id FROM experiments WHERE name = '$EXP')
		  AND v.status = 'done' AND r.metric = '$METRIC'
		GROUP BY v.id ORDER BY avg(r.value) $1, v.id LIMIT 1"
}
best=$(variant_image ASC)
worst=$(variant_image DESC)

for which in best worst; do
	eval img=\$$which
	echo "== profiling the $which variant ($img)"
	"$UNITUNE" record --deterministic --freq 10000 -o "$OUT/$which.uttr" \
		"$img" >/dev/null
	"$UNITUNE" report --top --limit 12 --flame "$OUT/$which-flame.svg" \
		"$OUT/$which.uttr" | tee "$OUT/$which-top.txt"
done
echo "== what got slower from best to worst"
"$UNITUNE" diff "$OUT/best.uttr" "$OUT/worst.uttr" | head -n 20 | tee "$OUT/diff.txt"

echo "== the experiment"
"$UNITUNE" show "$EXP" --db "$DB"
"$UNITUNE" best "$EXP" --db "$DB" --export "$OUT/best.config"
"$UNITUNE" report --experiment "$EXP" --db "$DB" -o "$OUT"
echo "== done: open $OUT/index.html (profiles and flame graphs of the best"
echo "   and worst variants are next to it; $OUT/best.config builds the winner"
echo "   with: bin/unitune build --app allocbench --config $OUT/best.config)"
