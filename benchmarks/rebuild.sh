#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/rebuild.sh [UNIKERNEL_DIR] [ROUNDS]
#
# What building a sweep's variants one after another in one build slot
# costs, as a tuner worker does it (warm ccache, make -j1 on 2 cores with
# --jobs 2), without the measuring: the 8 distinct variants of the demo
# space (benchmarks/spaces/alloc.yaml) in grid order, ROUNDS times (default
# 5) after one round that fills the cache and the slot. Prints per round the
# wall and CPU (user+sys, make and its children) seconds per variant, then
# the median, min and max over rounds. CPU time hardly depends on what else
# the machine runs; wall time does, so the load average is printed too.
# UNIKERNEL_DIR (default this tree's unikernel/) lets another tree's build
# be measured with the same variants, e.g. before and after a change.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UK=$(cd "${1:-$ROOT/unikernel}" && pwd)
ROUNDS=${2:-5}
. "$ROOT/benchmarks/stats.sh"
OUT=$ROOT/build/bench/rebuild
REPORT=$ROOT/build/bench/rebuild.txt
rm -rf "$OUT"
mkdir -p "$OUT"
: >"$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }
export CCACHE_DIR=$OUT/ccache

# The variants, resolved once by kconfig (olddefconfig) as the tuner does.
variants=(
	"CONFIG_UKALLOC_REGION=y"
	"CONFIG_UKALLOC_BUDDY=y CONFIG_UKALLOC_BUDDY_MIN_ORDER=5"
	"CONFIG_UKALLOC_BUDDY=y CONFIG_UKALLOC_BUDDY_MIN_ORDER=6"
	"CONFIG_UKALLOC_BUDDY=y CONFIG_UKALLOC_BUDDY_MIN_ORDER=7"
	"CONFIG_UKALLOC_TLSF=y CONFIG_UKALLOC_TLSF_SL_LOG2=2"
	"CONFIG_UKALLOC_TLSF=y CONFIG_UKALLOC_TLSF_SL_LOG2=3"
	"CONFIG_UKALLOC_TLSF=y CONFIG_UKALLOC_TLSF_SL_LOG2=4"
	"CONFIG_UKALLOC_TLSF=y CONFIG_UKALLOC_TLSF_SL_LOG2=5"
)
for i in "${!variants[@]}"; do
	dir=$OUT/resolve-$i
	make -s -C "$UK" O="$dir" APP=allocbench defconfig
	# The backend is a choice: drop the defconfig's pick before adding ours.
	sed -i '/CONFIG_UKALLOC_\(REGION\|BUDDY\|TLSF\)[= ]/d' "$dir/.config"
	for set in ${variants[$i]}; do
		sed -i "/^\(# \)\?${set%%=*}[= ]/d" "$dir/.config"
		echo "$set" >>"$dir/.config"
	done
	make -s -C "$UK" O="$dir" olddefconfig
	for set in ${variants[$i]}; do
		grep -qx "$set" "$dir/.config" || { echo "rebuild.sh: kconfig did not keep $set" >&2; exit 1; }
	done
	cp "$dir/.config" "$OUT/v$i.config"
done

SLOT=$OUT/slot
mkdir -p "$SLOT"
round() { # -> "wall cpu" seconds for all the variants
	local t0 t1 c0 c1 i
	t0=$(date +%s.%N)
	c0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
	for i in "${!variants[@]}"; do
		cp "$OUT/v$i.config" "$SLOT/.config"
		CC="ccache gcc" make -s -C "$UK" O="$SLOT" -j1 >"$OUT/make.log" 2>&1 ||
			{ cat "$OUT/make.log" >&2; exit 1; }
	done
	t1=$(date +%s.%N)
	c1=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
	echo "$t0 $t1 $c0 $c1 $(getconf CLK_TCK) ${#variants[@]}" |
		awk '{ printf "%.3f %.3f\n", ($2 - $1) / $6, ($4 - $3) / $5 / $6 }'
}
round >/dev/null # fills the cache and the slot
say "rebuild: $UK, ${#variants[@]} demo variants per round, one slot, warm ccache, make -j1, $(nproc) cores"
for r in $(seq "$ROUNDS"); do
	load=$(cut -d' ' -f1 /proc/loadavg)
	round >"$OUT/round"
	read -r wall cpu <"$OUT/round"
	say "  round $r: $wall s wall, $cpu s CPU per variant (load $load)"
	echo "$wall $cpu" >>"$OUT/rounds"
done
wall=$(stats "$OUT/rounds" 1)
say "per variant: wall $wall s, CPU $(stats "$OUT/rounds" 2) s; median of $ROUNDS rounds (min-max)"
say "  -> $(awk -v w="${wall%% *}" 'BEGIN { printf "%.0f", 3600 / w }') builds/hour for one slot at the median wall"
say "  ($0 $UK $ROUNDS)"
