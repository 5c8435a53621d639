#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The main job, as far as it goes today: build the hello image, boot it in
# deterministic mode, and say what happened and what it cost.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNITUNE=$ROOT/bin/unitune
OUT=$ROOT/build/demo

echo "== building the hello image (build/demo/hello)"
img=$("$UNITUNE" build --app hello -o "$OUT/hello" | tail -n 1)
echo "image: $img ($(stat -c %s "$img") bytes)"

echo "== booting it under QEMU (microvm, TCG, deterministic)"
set +e
"$UNITUNE" run --deterministic "$img" -- "an argument" >"$OUT/console.txt"
status=$?
cat "$OUT/console.txt"
set -e
cycles=$(sed -n 's/^\[uk\] boot: cycles=\([0-9]*\).*/\1/p' "$OUT/console.txt")
echo "== done: the guest exited with status $status; entry to main() took $cycles TSC cycles"
echo "   (deterministic mode: the same image gives the same count on every run)"
