#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/posix.sh: the libc/allocator figures, all in deterministic
# mode (guest TSC = executed instructions, so no run-to-run noise):
#   the syscall shim's round trip against a plain function call;
#   for each allocator: boot cycles to main(), allocbench's cycles per
#   operation for every pattern, and the image size.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
bench_report posix.txt
field() { sed -n "s/^result: .*pattern=$1 .*$2=\([0-9.]*\).*/\1/p"; }

img=$("$UNITUNE" build --app syscallbench -o "$OUT/syscallbench" 2>/dev/null | tail -n 1)
"$UNITUNE" run --deterministic "$img" >"$OUT/syscallbench.txt"
say "syscall round trip (getpid via the shim), instructions per iteration:" \
	"$(field syscall_raw cycles_per_op <"$OUT/syscallbench.txt");" \
	"through musl's getpid(): $(field syscall_libc cycles_per_op <"$OUT/syscallbench.txt");" \
	"empty non-inlined function call: $(field function_call cycles_per_op <"$OUT/syscallbench.txt")"
say "  ($UNITUNE run --deterministic $img; loop overhead included in each)"

say ""
say "allocator  boot-to-main  small  mixed  larson  realloc  (instructions per op)  hello image (loaded bytes)"
for a in REGION BUDDY TLSF; do
	dir=$OUT/alloc-$a
	hello=$("$UNITUNE" build --app hello -o "$dir/hello" --set "CONFIG_UKALLOC_$a=y" 2>/dev/null | tail -n 1)
	bench=$("$UNITUNE" build --app allocbench -o "$dir/allocbench" --set "CONFIG_UKALLOC_$a=y" 2>/dev/null | tail -n 1)
	boot=$(boot_cycles "$hello")
	"$UNITUNE" run --deterministic --mem 256M --timeout 300 "$bench" >"$dir/allocbench.txt" || true
	size=$(loaded_bytes "$hello")
	cols=""
	for p in small mixed larson realloc; do
		v=$(field "$p" cycles_per_op <"$dir/allocbench.txt")
		cols="$cols ${v:-failed}"
	done
	say "$(printf '%-10s %12s %s  %s' "${a,,}" "$boot" "$cols" "$size")"
done
say "  ($UNITUNE build --app {hello,allocbench} --set CONFIG_UKALLOC_<A>=y;"
say "   $UNITUNE run --deterministic [--mem 256M] IMAGE)"
echo "report: $REPORT"
