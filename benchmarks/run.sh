#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/run.sh   the core figures for the hello image, each printed
# with the command that measures it:
#   image size; boot cycles to main() (deterministic); QEMU wall time from
#   spawn to exit (median of 10, hyperfine); the smallest --mem that boots;
#   build time from clean and after touching one file. Then the other
#   benchmarks/*.sh, each writing its own report.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
bench_report core.txt

img=$("$UNITUNE" build --app hello -o "$OUT/hello" 2>/dev/null | tail -n 1)
strip -o "$OUT/hello.stripped" "$img"
say "hello image: $(stat -c %s "$img") bytes with debug info, $(stat -c %s "$OUT/hello.stripped") stripped;" \
	"loaded $(loaded_bytes "$img") bytes, in memory with .bss $(($(image_symbol "$img" _end) - $(image_symbol "$img" _image_start))) bytes"
say "  (stat -c %s; strip; nm _image_start/_edata/_end of $img)"

cycles=$(boot_cycles "$img")
say "boot cycles, first instruction to main(), deterministic: $cycles"
say "  ($UNITUNE run --deterministic $img)"

hyperfine --runs 10 --warmup 1 --export-csv "$OUT/wall.csv" \
	"$UNITUNE run --accel tcg $img" >/dev/null
# CSV columns: command,mean,stddev,median,user,system,min,max (seconds)
median=$(awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$OUT/wall.csv")
say "QEMU wall time spawn to exit, median of 10 (TCG): $median ms"
say "  (hyperfine --runs 10 --warmup 1 '$UNITUNE run --accel tcg $img')"

# Smallest --mem in KiB that still runs hello to exit 0, by bisection.
lo=1024 hi=65536
while [ $((hi - lo)) -gt 4 ]; do
	mid=$(((lo + hi) / 2))
	if "$UNITUNE" run --accel tcg --timeout 20 --mem "${mid}K" "$img" >/dev/null 2>&1; then
		hi=$mid
	else
		lo=$mid
	fi
done
say "smallest --mem for hello: ${hi} KiB (bisection over $UNITUNE run --mem NK)"

build_dir=$OUT/buildtime
rm -rf "$build_dir"
start=$(date +%s.%N)
"$UNITUNE" build --app hello -o "$build_dir" >/dev/null 2>&1
mid=$(date +%s.%N)
touch "$ROOT/unikernel/lib/ukboot/boot.c"
"$UNITUNE" build --app hello -o "$build_dir" >/dev/null 2>&1
end=$(date +%s.%N)
say "build one variant from clean: $(awk "BEGIN {printf \"%.2f\", $mid - $start}") s; after touching lib/ukboot/boot.c: $(awk "BEGIN {printf \"%.2f\", $end - $mid}") s ($(nproc) cores)"
say "  ($UNITUNE build --app hello -o $build_dir, timed with date)"
echo "report: $REPORT"
"$ROOT/benchmarks/posix.sh"
"$ROOT/benchmarks/httpd.sh"
"$ROOT/benchmarks/httpd_soak.sh"
"$ROOT/benchmarks/trace.sh"
"$ROOT/benchmarks/tune.sh"
"$ROOT/benchmarks/net.sh"
"$ROOT/benchmarks/race.sh"
"$ROOT/benchmarks/linux_baseline.sh"
"$ROOT/benchmarks/nightly.sh"
"$ROOT/benchmarks/rebuild.sh"
"$ROOT/benchmarks/sampling.sh"
"$ROOT/benchmarks/sweep_rate.sh"
