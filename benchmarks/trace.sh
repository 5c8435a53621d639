#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/trace.sh: what tracing costs, in deterministic mode (guest TSC
# = executed instructions, so every figure repeats exactly).
#   overhead on allocbench: tracing compiled out / compiled in but off /
#     sampling at 1 kHz / sampling at 10 kHz, as ratios of total cycles;
#   lost samples in a 10 s (guest time) run at 10 kHz;
#   the cost of one enabled trace point (syscall entry + exit pair);
#   export bandwidth of the virtio-serial port under TCG.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNITUNE=$ROOT/bin/unitune
OUT=$ROOT/build/bench/trace
mkdir -p "$OUT"
REPORT=$OUT/../trace.txt
: >"$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }
total_cycles() { awk '/^result: / { for (i = 1; i <= NF; i++) if ($i ~ /^cycles=/) { sub("cycles=", "", $i); s += $i } } END { print s }' "$1"; }

on=$("$UNITUNE" build --app allocbench -o "$OUT/ab-on" 2>/dev/null | tail -n 1)
off=$("$UNITUNE" build --app allocbench -o "$OUT/ab-off" --set CONFIG_UKTRACE=n 2>/dev/null | tail -n 1)
run() { # name image [run args]
	local name=$1 img=$2
	shift 2
	"$UNITUNE" run --deterministic --timeout 600 "$@" "$img" >"$OUT/$name.txt"
	total_cycles "$OUT/$name.txt"
}
base=$(run compiled-out "$off")
idle=$(run compiled-in "$on")
# The port's rings come from the heap and shift allocbench's heap layout,
# which moves its counts by itself: sampling is measured against a run
# with the port and the sampler off.
port=$(run port-no-sampling "$on" --port "unitune.trace=$OUT/0.uttr" -k uk.sample_hz=0)
s1k=$(run sample-1k "$on" --port "unitune.trace=$OUT/1k.uttr" -k uk.sample_hz=1000)
s10k=$(run sample-10k "$on" --port "unitune.trace=$OUT/10k.uttr" -k uk.sample_hz=10000)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f (%+.2f%%)", a / b, (a / b - 1) * 100 }'; }
say "allocbench total cycles, deterministic: compiled out $base"
say "  compiled in, disabled (no port):  $(ratio "$idle" "$base")"
say "  port wired, sampler off:          $(ratio "$port" "$base")"
say "  sampling at 1 kHz (vs port, off): $(ratio "$s1k" "$port")"
say "  sampling at 10 kHz (vs port, off): $(ratio "$s10k" "$port")"
say "  ($UNITUNE build --app allocbench [--set CONFIG_UKTRACE=n]; $UNITUNE run --deterministic [--port unitune.trace=F -k uk.sample_hz=N] IMAGE)"

# 10 s of guest time at 10 kHz: profsplit long enough, then the lost count.
ps=$("$UNITUNE" build --app profsplit -o "$OUT/profsplit" 2>/dev/null | tail -n 1)
"$UNITUNE" run --deterministic --timeout 900 --port "unitune.trace=$OUT/long.uttr" \
	-k uk.sample_hz=10000 "$ps" -- 340000 >"$OUT/long.txt"
"$UNITUNE" report "$OUT/long.uttr" --image "$ps" >"$OUT/long.report" 2>&1 || true
say "10 s at 10 kHz (profsplit 340000 rounds): $(grep -iE 'samples|lost' "$OUT/long.report" | head -3 | tr '\n' ' ')"
say "  ($UNITUNE run --deterministic --port unitune.trace=F -k uk.sample_hz=10000 $ps -- 340000; $UNITUNE report F --image $ps)"

sb=$("$UNITUNE" build --app syscallbench -o "$OUT/syscallbench" 2>/dev/null | tail -n 1)
field() { sed -n "s/^result: .*pattern=syscall_raw .*cycles_per_op=\([0-9.]*\).*/\1/p" "$1"; }
"$UNITUNE" run --deterministic --port "unitune.trace=$OUT/sb.uttr" "$sb" >"$OUT/sb-off.txt"
"$UNITUNE" run --deterministic --port "unitune.trace=$OUT/sb.uttr" -k uk.trace=syscall,syscall_ret "$sb" >"$OUT/sb-on.txt"
a=$(field "$OUT/sb-off.txt") b=$(field "$OUT/sb-on.txt")
say "one enabled trace point: $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (b - a) / 2 }') instructions (syscall round trip $a -> $b with syscall+syscall_ret on)"
say "  ($UNITUNE run --deterministic --port unitune.trace=F [-k uk.trace=syscall,syscall_ret] $sb)"

vc=$("$UNITUNE" build --app vcontest -o "$OUT/vcontest" 2>/dev/null | tail -n 1)
"$UNITUNE" run --port "unitune.test=$OUT/bw.bin" "$vc" -- 16777216 >"$OUT/bw.txt"
say "export bandwidth (16 MiB through unitune.test, TCG): $(grep -E 'cycles|MB' "$OUT/bw.txt" | tr '\n' ' ')"
say "  ($UNITUNE run --port unitune.test=F $vc -- 16777216)"
echo "report: $REPORT"
